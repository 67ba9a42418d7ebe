/*
** cmd_course.c -- `gaitkeeper course [--date YYYY-MM-DD] [--json]`: the
** runner's course over weeks (gaitkeeper/course.h): the stage on every
** visit and each change of stage with the gate that moved it, and the
** AKPS over time.  The report draws the same as charts.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gaitkeeper/course.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"

static void usage(FILE *out) {
  fprintf(out, "usage: gaitkeeper course [--date YYYY-MM-DD] [--json]\n");
}

static const char *stage_word(int s) {
  static const char *const w[] = {"refer", "1 pain", "2 mobility",
                                  "3 stability", "4 conditioning"};
  return s >= 0 && s <= 4 ? w[s] : "no plan";
}

static void text(FILE *out, const gk_course *c) {
  char d[11];
  if (c->n_days == 0) {
    fprintf(out, "No records yet: the course starts with the first intake, "
                 "screen, pain log entry or run.\n");
    return;
  }
  fprintf(out, "Stage over time (%zu days", c->n_days);
  if (c->days_left_out)
    fprintf(out, "; %zu older days left out", c->days_left_out);
  fprintf(out, ")\n");
  int last = -2;
  for (size_t i = 0; i < c->n_days; i++) {
    const gk_course_day *x = &c->days[i];
    if (!x->visit && x->stage == last && i + 1 != c->n_days) continue;
    fprintf(out, "  %s  stage %s%s%s%s\n", gk_day_format(x->day, d),
            stage_word(x->stage), x->provisional ? " (provisionally)" : "",
            x->by_clinician ? " (set by the clinician)" : "",
            x->visit ? "  [visit]" : "");
    last = x->stage;
  }
  fprintf(out, "\nChanges of stage (%zu)\n", c->n_changes);
  for (size_t i = 0; i < c->n_changes; i++) {
    const gk_course_change *ch = &c->changes[i];
    char line[1024];
    snprintf(line, sizeof line, "%s: stage %s -> %s. %s",
             gk_day_format(ch->day, d), stage_word(ch->from),
             stage_word(ch->to), ch->why[0] ? ch->why : "");
    gk_cli_wrap(out, line, 2, 78);
  }
  /* The screen's measured values on each visit that measured them. */
  int header = 0;
  for (size_t g = 0; g < c->n_gates; g++) {
    const gk_course_gate *gt = &c->gates[g];
    if (strcmp(gt->from, "screen") != 0 || strcmp(gt->cmp, "==") == 0)
      continue;
    char row[512];
    size_t used = 0, n = 0;
    for (size_t i = 0; i < c->n_days && used < sizeof row - 40; i++) {
      const gk_course_day *x = &c->days[i];
      if (!x->screened || isnan(x->value[g])) continue;
      int w = snprintf(row + used, sizeof row - used, "%s%s %.4g",
                       n ? ", " : "", gk_day_format(x->day, d), x->value[g]);
      if (w < 0) break;
      used += (size_t)w;
      n++;
    }
    if (n == 0) continue;
    if (!header++) fprintf(out, "\nScreen values on each screen\n");
    char line[1024];
    snprintf(line, sizeof line, "%s (target %s %.4g %s): %s", gt->label,
             gt->cmp, gt->target, gt->unit, row);
    gk_cli_wrap(out, line, 2, 78);
  }
  for (size_t i = 0; i < c->n_unreadable; i++) {
    char line[400];
    snprintf(line, sizeof line,
             "Note: the %s answers of %s cannot be read (%s); the plans of "
             "that day on are built without them.",
             c->unreadable[i].kind, gk_day_format(c->unreadable[i].day, d),
             c->unreadable[i].why);
    if (i == 0) fputc('\n', out);
    gk_cli_wrap(out, line, 0, 78);
  }
  if (c->n_akps) {
    fprintf(out, "\nAKPS (0-100, higher is better; a change of %.0f points "
                 "matters)\n",
            c->akps_mic);
    for (size_t i = 0; i < c->n_akps; i++) {
      double delta = i ? c->akps[i].score - c->akps[0].score : 0;
      fprintf(out, "  %s  %.0f", gk_day_format(c->akps[i].day, d),
              c->akps[i].score);
      if (i)
        fprintf(out, "  (%+.0f since the first%s)", delta,
                delta >= c->akps_mic    ? ": an important improvement"
                : delta <= -c->akps_mic ? ": an important worsening"
                                        : "");
      fputc('\n', out);
    }
  }
}

int gk_cmd_course(int argc, char **argv) {
  int json = 0;
  int64_t day = gk_day_of_time((int64_t)time(NULL));
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
      if (gk_day_parse(argv[++i], &day) != GK_OK) {
        fprintf(stderr, "gaitkeeper: course: --date takes YYYY-MM-DD (got "
                        "'%s')\n",
                argv[i]);
        return 2;
      }
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "gaitkeeper: course: unknown argument '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("course", GK_STORE_READ_ONLY, &s);
  if (st != GK_OK && st != GK_E_NOT_FOUND) return 1;
  gk_course c;
  gk_err e;
  st = gk_course_build(st == GK_OK ? s : NULL, day, &c, &e);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: course: %s: %s%s%s\n",
            e.msg ? e.msg : "building the course", gk_strerror(st),
            s && gk_store_errmsg(s)[0] ? ": " : "",
            s ? gk_store_errmsg(s) : "");
    gk_course_free(&c);
    gk_store_close(s);
    return 1;
  }
  gk_store_close(s);
  int rc = 0;
  if (json) {
    gk_buf b = {0};
    gk_course_write_json(&c, &b);
    gk_buf_putc(&b, '\n');
    if (b.oom) rc = 1;
    else fwrite(b.data, 1, b.len, stdout);
    gk_buf_free(&b);
  } else {
    text(stdout, &c);
  }
  gk_course_free(&c);
  if (fflush(stdout) != 0) rc = 1;
  return rc;
}
