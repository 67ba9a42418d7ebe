/*
** cmd_runs.c -- `gaitkeeper runs [--json]`: the stored runs, oldest first.
**
** Text: an aligned table, one run a line (start in UTC, distance, timer
** time, pace, heart rate, cadence in steps/min, running dynamics, file).
** --json: one JSON array, one object a run, with every summary field of
** gaitkeeper/activity.h by name (null where absent), start as ISO-8601 UTC
** (null when the file had no real clock, with start_device_s instead),
** source_format, source_path and device.
** A store that does not exist yet is not created: it lists nothing.
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gaitkeeper/activity.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/store.h"

static const char *const summary_names[GK_SUM_COUNT] = {
#define NAME(ID, name) #name,
    GK_SUMMARY_FIELDS(NAME)
#undef NAME
};

/* ---- JSON ---------------------------------------------------------------- */

typedef struct json_ctx {
  gk_buf out;
  size_t n;
} json_ctx;

static void json_text_or_null(gk_buf *b, const char *s) {
  if (s == NULL || s[0] == '\0')
    gk_buf_puts(b, "null");
  else
    gk_json_str(b, s);
}

static int json_row(void *user, const gk_run_row *r) {
  json_ctx *c = (json_ctx *)user;
  gk_buf *b = &c->out;
  gk_buf_puts(b, c->n++ ? ",\n{" : "\n{");
  gk_buf_puts(b, "\"id\":");
  gk_json_i64(b, r->id);
  gk_buf_puts(b, ",\"start\":");
  if (r->flags & GK_ACT_START_UNKNOWN) {
    gk_buf_puts(b, "null,\"start_device_s\":");
    gk_json_i64(b, r->start_time);
  } else {
    char iso[21];
    gk_json_str(b, gk_time_iso8601(r->start_time, iso));
  }
  gk_buf_puts(b, ",\"sport\":");
  json_text_or_null(b, r->sport);
  gk_buf_puts(b, ",\"sub_sport\":");
  json_text_or_null(b, r->sub_sport);
  double v[GK_SUM_COUNT];
#define GET(ID, name) v[GK_SUM_##ID] = r->summary.name;
  GK_SUMMARY_FIELDS(GET)
#undef GET
  for (int k = 0; k < GK_SUM_COUNT; k++) {
    gk_buf_putc(b, ',');
    gk_json_key(b, summary_names[k]);
    gk_json_num(b, v[k]);
  }
  gk_buf_puts(b, ",\"computed\":[");
  int first = 1;
  for (int k = 0; k < GK_SUM_COUNT; k++)
    if (r->summary.computed & (1u << k)) {
      if (!first) gk_buf_putc(b, ',');
      gk_json_str(b, summary_names[k]);
      first = 0;
    }
  gk_buf_puts(b, "],\"partial\":");
  gk_buf_puts(b, (r->flags & GK_ACT_PARTIAL) ? "true" : "false");
  gk_buf_puts(b, ",\"samples\":");
  gk_json_i64(b, r->n_samples);
  gk_buf_puts(b, ",\"laps\":");
  gk_json_i64(b, r->n_laps);
  gk_buf_puts(b, ",\"device\":");
  json_text_or_null(b, r->device);
  gk_buf_puts(b, ",\"source_format\":");
  json_text_or_null(b, r->source_format);
  gk_buf_puts(b, ",\"source_path\":");
  json_text_or_null(b, r->source_path);
  gk_buf_putc(b, '}');
  if (b->len > (1u << 20)) {
    fwrite(b->data, 1, b->len, stdout);
    b->len = 0;
  }
  return 0;
}

/* ---- text ---------------------------------------------------------------- */

enum {
  C_ID,
  C_START,
  C_SPORT,
  C_KM,
  C_TIME,
  C_PACE,
  C_HR,
  C_CAD,
  C_GCT,
  C_VO,
  C_STEP,
  C_BAL,
  C_FILE,
  C_COUNT
};

static const char *const headers[C_COUNT] = {
    "id",      "start (UTC)", "sport",   "km",     "time",
    "pace/km", "HR avg/max",  "cad spm", "GCT ms", "VO mm",
    "step mm", "GCT L%",      "file"};
/* right-aligned columns (numbers) */
static const int right[C_COUNT] = {1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};

typedef struct table {
  char (*cells)[C_COUNT][64];
  size_t n, cap;
  int width[C_COUNT];
  int oom;
} table;

static void fmt_num(char *out, double v, int decimals) {
  if (isnan(v))
    snprintf(out, 64, "-");
  else
    snprintf(out, 64, "%.*f", decimals, v);
}

static int text_row(void *user, const gk_run_row *r) {
  table *t = (table *)user;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    void *v = realloc(t->cells, cap * sizeof *t->cells);
    if (v == NULL) {
      t->oom = 1;
      return 1;
    }
    t->cells = v;
    t->cap = cap;
  }
  char(*c)[64] = t->cells[t->n++];
  const gk_summary *s = &r->summary;
  snprintf(c[C_ID], 64, "%" PRId64, r->id);
  if (r->flags & GK_ACT_START_UNKNOWN) {
    snprintf(c[C_START], 64, "unknown");
  } else {
    char iso[21];
    gk_time_iso8601(r->start_time, iso);
    snprintf(c[C_START], 64, "%.10s %.5s", iso, iso + 11);
  }
  if (r->sub_sport[0] && strcmp(r->sub_sport, "generic") != 0)
    snprintf(c[C_SPORT], 64, "%.24s/%.24s", r->sport[0] ? r->sport : "?",
             r->sub_sport);
  else
    snprintf(c[C_SPORT], 64, "%.48s", r->sport[0] ? r->sport : "unknown");
  fmt_num(c[C_KM], s->distance_m / 1000.0, 2);
  double t_s = !isnan(s->timer_s) ? s->timer_s : s->elapsed_s;
  if (isnan(t_s) || t_s < 0 || t_s > 1e8) {
    snprintf(c[C_TIME], 64, "-");
  } else {
    long x = lround(t_s);
    snprintf(c[C_TIME], 64, "%ld:%02ld:%02ld", x / 3600, x / 60 % 60, x % 60);
  }
  if (isnan(s->avg_speed_mps) || s->avg_speed_mps <= 0.05) {
    snprintf(c[C_PACE], 64, "-");
  } else {
    long p = lround(1000.0 / s->avg_speed_mps);
    snprintf(c[C_PACE], 64, "%ld:%02ld", p / 60, p % 60);
  }
  char a[32], m[32];
  fmt_num(a, s->avg_hr, 0);
  fmt_num(m, s->max_hr, 0);
  snprintf(c[C_HR], 64, "%s/%s", a, m);
  fmt_num(c[C_CAD], s->avg_cadence_spm, 1);
  fmt_num(c[C_GCT], s->avg_stance_time_ms, 0);
  fmt_num(c[C_VO], s->avg_vertical_oscillation_mm, 1);
  fmt_num(c[C_STEP], s->avg_step_length_mm, 0);
  fmt_num(c[C_BAL], s->stance_balance_left_pct, 1);
  const char *base = strrchr(r->source_path, '/');
  base = base ? base + 1 : r->source_path;
  snprintf(c[C_FILE], 64, "%.52s%s", base[0] ? base : "-",
           (r->flags & GK_ACT_PARTIAL) ? " (partial)" : "");
  return 0;
}

static void print_table(table *t) {
  for (int k = 0; k < C_COUNT; k++) t->width[k] = (int)strlen(headers[k]);
  for (size_t i = 0; i < t->n; i++)
    for (int k = 0; k < C_COUNT; k++) {
      int w = (int)strlen(t->cells[i][k]);
      if (w > t->width[k]) t->width[k] = w;
    }
  gk_buf out = {0};
  char cell[128];
  for (size_t i = 0; i <= t->n; i++) {
    for (int k = 0; k < C_COUNT; k++) {
      const char *v = i == 0 ? headers[k] : t->cells[i - 1][k];
      if (k == C_COUNT - 1) /* last column: no padding */
        snprintf(cell, sizeof cell, "%s", v);
      else
        snprintf(cell, sizeof cell, right[k] ? "%*s  " : "%-*s  ", t->width[k],
                 v);
      gk_buf_puts(&out, cell);
    }
    gk_buf_putc(&out, '\n');
    if (out.len > (1u << 20)) {
      fwrite(out.data, 1, out.len, stdout);
      out.len = 0;
    }
  }
  if (out.len) fwrite(out.data, 1, out.len, stdout);
  gk_buf_free(&out);
}

static void usage(void) {
  fprintf(stderr, "usage: gaitkeeper [--db PATH] runs [--json]\n");
}

int gk_cmd_runs(int argc, char **argv) {
  int json = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else {
      fprintf(stderr, "gaitkeeper: runs: unexpected '%s'\n", argv[i]);
      usage();
      return 2;
    }
  }
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("runs", GK_STORE_READ_ONLY, &s);
  if (st == GK_E_NOT_FOUND) { /* nothing imported yet: nothing to list */
    if (json)
      printf("[]\n");
    else
      printf(
          "no runs stored yet: import some with `gaitkeeper import "
          "PATH...`\n");
    return 0;
  }
  if (st != GK_OK) return 1;
  int rc = 0;
  if (json) {
    json_ctx c;
    memset(&c, 0, sizeof c);
    gk_buf_putc(&c.out, '[');
    st = gk_store_each_run(s, json_row, &c);
    gk_buf_puts(&c.out, c.n ? "\n]\n" : "]\n");
    if (!c.out.oom) fwrite(c.out.data, 1, c.out.len, stdout);
    if (c.out.oom) st = GK_E_NOMEM;
    gk_buf_free(&c.out);
  } else {
    table t;
    memset(&t, 0, sizeof t);
    st = gk_store_each_run(s, text_row, &t);
    if (t.oom) st = GK_E_NOMEM;
    if (st == GK_OK) {
      if (t.n == 0)
        printf(
            "no runs stored yet: import some with `gaitkeeper import "
            "PATH...`\n");
      else
        print_table(&t);
    }
    free(t.cells);
  }
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: runs: %s: %s\n", gk_store_path(s),
            st == GK_E_NOMEM ? "out of memory" : gk_store_errmsg(s));
    rc = 1;
  }
  fflush(stdout);
  gk_store_close(s);
  return rc;
}
