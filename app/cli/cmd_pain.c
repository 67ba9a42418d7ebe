/*
** cmd_pain.c -- the pain log.
**
**   gaitkeeper pain add --date YYYY-MM-DD [--during N] [--after N]
**                       [--morning N] [--onset-km X] [--activity ID]
**                       [--note TEXT]
**   gaitkeeper pain [list] [--json]
**
** Scores are whole numbers 0..10 (0 no pain, 10 the worst imaginable):
** during the run, after it, and the next morning.  --onset-km is where in
** the run the pain began; --activity the run's id (`gaitkeeper runs`).  An
** entry needs at least one score or a non-empty note.  Anything malformed is a usage
** error (exit 2) that says what was expected; an unknown run id exits 1.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/store.h"


/* ---- add ----------------------------------------------------------------- */

static void add_usage(void) {
  fprintf(stderr,
          "usage: gaitkeeper [--db PATH] pain add --date YYYY-MM-DD "
          "[--during N] [--after N]\n"
          "           [--morning N] [--onset-km X] [--activity ID] "
          "[--note TEXT]\n"
          "  scores N are whole numbers 0 (no pain) to 10 (worst); at least "
          "one score or a non-empty note\n");
}

/* A field's problem, as "--OPT takes WHAT (got 'V')". */
static void say(const char *opt, const char *msg, const char *got) {
  if (msg[0] != '\0')
    fprintf(stderr, "gaitkeeper: pain add: %s takes %s (got '%s')\n", opt,
            msg, got ? got : "");
}

static int cmd_add(int argc, char **argv) {
  gk_pain_fields f;
  memset(&f, 0, sizeof f);
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i];
    static const char *const with_value[] = {
        "--date",     "--during",   "--after", "--morning",
        "--onset-km", "--activity", "--note"};
    int known = 0;
    for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
      if (strcmp(opt, with_value[k]) == 0) known = 1;
    if (!known) {
      fprintf(stderr, "gaitkeeper: pain add: unknown option '%s'\n", opt);
      add_usage();
      return 2;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "gaitkeeper: pain add: %s needs a value\n", opt);
      add_usage();
      return 2;
    }
    const char *v = argv[++i];
    if (strcmp(opt, "--date") == 0) f.date = v;
    else if (strcmp(opt, "--during") == 0) f.during = v;
    else if (strcmp(opt, "--after") == 0) f.after = v;
    else if (strcmp(opt, "--morning") == 0) f.morning = v;
    else if (strcmp(opt, "--onset-km") == 0) f.onset_km = v;
    else if (strcmp(opt, "--activity") == 0) f.activity = v;
    else f.note = v;
  }
  /* the one check the web app's form uses too (gk_pain_entry_check) */
  gk_pain_entry e;
  gk_pain_field_errors fe;
  if (gk_pain_entry_check(&f, &e, &fe) != GK_OK) {
    if (fe.date[0] && (f.date == NULL || f.date[0] == '\0'))
      fprintf(stderr, "gaitkeeper: pain add: --date YYYY-MM-DD is required\n");
    else
      say("--date", fe.date, f.date);
    say("--during", fe.during, f.during);
    say("--after", fe.after, f.after);
    say("--morning", fe.morning, f.morning);
    say("--onset-km", fe.onset_km, f.onset_km);
    say("--activity", fe.activity, f.activity);
    if (fe.note[0])
      fprintf(stderr, "gaitkeeper: pain add: --note is %s\n", fe.note);
    if (fe.entry[0])
      fprintf(stderr,
              "gaitkeeper: pain add: give at least one of --during, --after, "
              "--morning or a non-empty --note\n");
    add_usage();
    return 2;
  }
  gk_store *s = NULL;
  if (gk_cli_open_store("pain add", 0, &s) != GK_OK) return 1;
  int64_t id = 0;
  gk_status st = gk_store_add_pain(s, &e, &id);
  int rc = 0;
  if (st == GK_OK) {
    char day[11];
    gk_day_format(e.day, day);
    printf("pain entry %" PRId64 " added for %s\n", id, day);
  } else if (st == GK_E_NOT_FOUND) {
    fprintf(stderr,
            "gaitkeeper: pain add: no run with id %" PRId64
            " (see `gaitkeeper runs`)\n",
            e.activity_id);
    rc = 1;
  } else {
    fprintf(stderr, "gaitkeeper: pain add: %s: %s\n", gk_store_path(s),
            gk_store_errmsg(s));
    rc = 1;
  }
  gk_store_close(s);
  return rc;
}

/* ---- list ---------------------------------------------------------------- */

typedef struct lister {
  gk_buf out;
  size_t n;
  int json;
} lister;

static void json_score(gk_buf *b, int v) {
  if (v < 0)
    gk_buf_puts(b, "null");
  else
    gk_json_i64(b, v);
}

static void text_score(char *out, size_t size, int v) {
  if (v < 0)
    snprintf(out, size, "-");
  else
    snprintf(out, size, "%d", v);
}

static int list_row(void *user, const gk_pain_entry *e) {
  lister *l = (lister *)user;
  gk_buf *b = &l->out;
  char day[11];
  gk_day_format(e->day, day);
  if (l->json) {
    gk_buf_puts(b, l->n ? ",\n{" : "\n{");
    gk_buf_puts(b, "\"id\":");
    gk_json_i64(b, e->id);
    gk_buf_puts(b, ",\"date\":");
    gk_json_str(b, day);
    gk_buf_puts(b, ",\"during\":");
    json_score(b, e->during);
    gk_buf_puts(b, ",\"after\":");
    json_score(b, e->after);
    gk_buf_puts(b, ",\"morning\":");
    json_score(b, e->morning);
    gk_buf_puts(b, ",\"onset_km\":");
    gk_json_num(b, e->onset_km);
    gk_buf_puts(b, ",\"activity_id\":");
    if (e->activity_id > 0)
      gk_json_i64(b, e->activity_id);
    else
      gk_buf_puts(b, "null");
    gk_buf_puts(b, ",\"note\":");
    gk_json_str(b, e->note);
    gk_buf_putc(b, '}');
  } else {
    if (l->n == 0)
      gk_buf_puts(b,
                  "   id  date        during  after  morning  onset km  "
                  "run  note\n");
    char d[12], a[12], m[12], onset[32], run[24], line[400];
    text_score(d, sizeof d, e->during);
    text_score(a, sizeof a, e->after);
    text_score(m, sizeof m, e->morning);
    if (isnan(e->onset_km))
      snprintf(onset, sizeof onset, "-");
    else
      snprintf(onset, sizeof onset, "%.1f", e->onset_km);
    if (e->activity_id > 0)
      snprintf(run, sizeof run, "%" PRId64, e->activity_id);
    else
      snprintf(run, sizeof run, "-");
    snprintf(line, sizeof line,
             "%5" PRId64 "  %s  %6s  %5s  %7s  %8s  %3s  ", e->id, day, d, a,
             m, onset, run);
    gk_buf_puts(b, line);
    /* the note as typed, but never a terminal escape */
    gk_buf_put_clean(b, e->note, strlen(e->note));
    gk_buf_putc(b, '\n');
  }
  l->n++;
  return 0;
}

static int cmd_list(int argc, char **argv) {
  lister l;
  memset(&l, 0, sizeof l);
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      l.json = 1;
    } else {
      fprintf(stderr, "gaitkeeper: pain: unexpected '%s'\n", argv[i]);
      fprintf(stderr,
              "usage: gaitkeeper [--db PATH] pain [list] [--json]\n"
              "       gaitkeeper [--db PATH] pain add --date "
              "YYYY-MM-DD ...\n");
      return 2;
    }
  }
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("pain", GK_STORE_READ_ONLY, &s);
  if (st == GK_E_NOT_FOUND) {
    if (l.json)
      printf("[]\n");
    else
      printf(
          "no pain logged yet: gaitkeeper pain add --date YYYY-MM-DD "
          "--during N ...\n");
    return 0;
  }
  if (st != GK_OK) return 1;
  if (l.json) gk_buf_putc(&l.out, '[');
  st = gk_store_each_pain(s, list_row, &l);
  if (l.json)
    gk_buf_puts(&l.out, l.n ? "\n]\n" : "]\n");
  else if (l.n == 0)
    gk_buf_puts(&l.out,
                "no pain logged yet: gaitkeeper pain add --date "
                "YYYY-MM-DD --during N ...\n");
  int rc = 0;
  if (st != GK_OK || l.out.oom) {
    fprintf(stderr, "gaitkeeper: pain: %s: %s\n", gk_store_path(s),
            l.out.oom ? "out of memory" : gk_store_errmsg(s));
    rc = 1;
  } else if (l.out.len) {
    fwrite(l.out.data, 1, l.out.len, stdout);
  }
  gk_buf_free(&l.out);
  gk_store_close(s);
  return rc;
}

int gk_cmd_pain(int argc, char **argv) {
  if (argc >= 1 && strcmp(argv[0], "add") == 0)
    return cmd_add(argc - 1, argv + 1);
  if (argc >= 1 && strcmp(argv[0], "list") == 0)
    return cmd_list(argc - 1, argv + 1);
  return cmd_list(argc, argv);
}
