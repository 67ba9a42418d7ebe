/*
** cmd_done.c -- the exercise log.
**
**   gaitkeeper done EXERCISE_ID [--step N] [--sets N] [--reps N] [--hold S]
**                   [--load KG] [--pain 0-10] [--date YYYY-MM-DD]
**                   [--note TEXT]
**   gaitkeeper done --list [--json]
**
** Records one session (one day's dose of one exercise of
** data/exercises.json) with gk_record_session, the one function every face
** uses, then says what was stored and where the exercise stands now (its
** step, adherence, when to move up: docs/PLAN.md, "The exercise log and
** progression").  What is not given is this week's step and its target
** dose; --date defaults to today (UTC).  An unknown exercise names the
** closest ids and exits 1; a malformed or out-of-range value is a usage
** error (exit 2) naming the field.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_plan.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: gaitkeeper [--db PATH] done EXERCISE_ID [--step N] "
          "[--sets N] [--reps N]\n"
          "           [--hold S] [--load KG] [--pain 0-10] "
          "[--date YYYY-MM-DD] [--note TEXT]\n"
          "       gaitkeeper [--db PATH] done --list [--json]\n"
          "  records one session of an exercise of the plan; what is not "
          "given is this\n"
          "  week's step and its dose (see `gaitkeeper plan`)\n");
}


/* ---- list ------------------------------------------------------------------ */

typedef struct lister {
  gk_buf out;
  size_t n;
  int json;
} lister;

static void opt_int(char *out, size_t size, int v) {
  if (v < 0) snprintf(out, size, "-");
  else snprintf(out, size, "%d", v);
}

static void json_opt_int(gk_buf *b, int v) {
  if (v < 0) gk_buf_puts(b, "null");
  else gk_json_i64(b, v);
}

static int list_row(void *user, const gk_exercise_session *e) {
  lister *l = (lister *)user;
  gk_buf *b = &l->out;
  char day[11];
  gk_day_format(e->day, day);
  if (l->json) {
    gk_buf_puts(b, l->n ? ",\n{" : "\n{");
    gk_json_key(b, "id");
    gk_json_i64(b, e->id);
    gk_buf_putc(b, ',');
    gk_json_key(b, "date");
    gk_json_str(b, day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "exercise_id");
    gk_json_str(b, e->exercise_id);
    gk_buf_putc(b, ',');
    gk_json_key(b, "step");
    gk_json_i64(b, e->step);
    gk_buf_putc(b, ',');
    gk_json_key(b, "sets");
    gk_json_i64(b, e->sets);
    gk_buf_putc(b, ',');
    gk_json_key(b, "reps");
    json_opt_int(b, e->reps);
    gk_buf_putc(b, ',');
    gk_json_key(b, "hold_s");
    json_opt_int(b, e->hold_s);
    gk_buf_putc(b, ',');
    gk_json_key(b, "load_kg");
    gk_json_num(b, e->load_kg);
    gk_buf_putc(b, ',');
    gk_json_key(b, "pain");
    json_opt_int(b, e->pain);
    gk_buf_putc(b, ',');
    gk_json_key(b, "note");
    gk_json_str(b, e->note);
    gk_buf_putc(b, '}');
  } else {
    if (l->n == 0)
      gk_buf_puts(b, "   id  date        exercise                   step  "
                     "sets  reps  hold s  load kg  pain  note\n");
    char r[12], h[12], p[12], kg[24], line[400];
    opt_int(r, sizeof r, e->reps);
    opt_int(h, sizeof h, e->hold_s);
    opt_int(p, sizeof p, e->pain);
    if (isnan(e->load_kg)) snprintf(kg, sizeof kg, "-");
    else snprintf(kg, sizeof kg, "%.1f", e->load_kg);
    char id[GK_EXERCISE_ID_MAX];
    size_t k = 0;
    for (; e->exercise_id[k] != '\0' && k + 1 < sizeof id; k++) {
      unsigned char c = (unsigned char)e->exercise_id[k];
      id[k] = c >= 0x20 && c < 0x7f ? (char)c : '?'; /* never an escape */
    }
    id[k] = '\0';
    snprintf(line, sizeof line,
             "%5" PRId64 "  %s  %-25s  %4d  %4d  %4s  %6s  %7s  %4s  ", e->id,
             day, id, e->step, e->sets, r, h, kg, p);
    gk_buf_puts(b, line);
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
    } else if (strcmp(argv[i], "--list") != 0) {
      fprintf(stderr, "gaitkeeper: done: unexpected '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  static const char none[] =
      "no exercise session logged yet: gaitkeeper done EXERCISE_ID ...\n";
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("done", GK_STORE_READ_ONLY, &s);
  if (st == GK_E_NOT_FOUND) {
    fputs(l.json ? "[]\n" : none, stdout);
    return 0;
  }
  if (st != GK_OK) return 1;
  if (l.json) gk_buf_putc(&l.out, '[');
  st = gk_store_each_session(s, INT64_MAX, list_row, &l);
  if (l.json) gk_buf_puts(&l.out, l.n ? "\n]\n" : "]\n");
  else if (l.n == 0) gk_buf_puts(&l.out, none);
  int rc = 0;
  if (st != GK_OK || l.out.oom) {
    fprintf(stderr, "gaitkeeper: done: %s: %s\n", gk_store_path(s),
            l.out.oom ? "out of memory" : gk_store_errmsg(s));
    rc = 1;
  } else if (l.out.len) {
    fwrite(l.out.data, 1, l.out.len, stdout);
  }
  gk_buf_free(&l.out);
  gk_store_close(s);
  return rc;
}

/* ---- record ------------------------------------------------------------------ */

/* Where exercise id stands as of a->day (the plan's rules over the log
   and the findings the plan sees). */
static int progress(const gk_assessment *a, const char *id,
                    gk_exercise_progress *g) {
  gk_err e;
  gk_status st = gk_exercise_progress_of(id, a->day, a->sessions,
                                         a->n_sessions, a->findings,
                                         a->n_findings, g, &e);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: done: %s\n", e.msg ? e.msg : gk_strerror(st));
    return 1;
  }
  return 0;
}

static int unknown_exercise(const char *id) {
  const char *close[3];
  size_t n = gk_exercise_close_ids(id, close, 3);
  gk_buf q = {0};
  gk_buf_put_clean(&q, id, strlen(id));
  gk_buf_putc(&q, '\0');
  fprintf(stderr, "gaitkeeper: done: no exercise '%s' in the exercise list",
          q.oom ? "?" : q.data);
  gk_buf_free(&q);
  for (size_t i = 0; i < n; i++)
    fprintf(stderr, "%s%s", i ? ", " : "; close: ", close[i]);
  fprintf(stderr, "\n");
  return 1;
}

int gk_cmd_done(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--list") == 0) return cmd_list(argc, argv);
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    }
  }
  gk_exercise_fields in;
  memset(&in, 0, sizeof in);
  static const struct {
    const char *opt;
    size_t off;
  } opts[] = {{"--step", offsetof(gk_exercise_fields, step)},
              {"--sets", offsetof(gk_exercise_fields, sets)},
              {"--reps", offsetof(gk_exercise_fields, reps)},
              {"--hold", offsetof(gk_exercise_fields, hold)},
              {"--load", offsetof(gk_exercise_fields, load)},
              {"--pain", offsetof(gk_exercise_fields, pain)},
              {"--date", offsetof(gk_exercise_fields, date)},
              {"--note", offsetof(gk_exercise_fields, note)}};
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i];
    if (opt[0] != '-') {
      if (in.exercise != NULL) {
        fprintf(stderr, "gaitkeeper: done: one exercise at a time (got '%s' "
                        "after '%s')\n", opt, in.exercise);
        usage(stderr);
        return 2;
      }
      in.exercise = opt;
      continue;
    }
    size_t k = 0;
    while (k < sizeof opts / sizeof *opts && strcmp(opt, opts[k].opt) != 0)
      k++;
    if (k == sizeof opts / sizeof *opts) {
      fprintf(stderr, "gaitkeeper: done: unknown option '%s'\n", opt);
      usage(stderr);
      return 2;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "gaitkeeper: done: %s needs a value\n", opt);
      usage(stderr);
      return 2;
    }
    *(const char **)((char *)&in + opts[k].off) = argv[++i];
  }
  if (in.exercise == NULL) {
    fprintf(stderr, "gaitkeeper: done: which exercise? (its id, as in "
                    "`gaitkeeper plan --json`)\n");
    usage(stderr);
    return 2;
  }
  const char *id = in.exercise;
  int64_t today = gk_day_of_time((int64_t)time(NULL));
  gk_exercise_session s;
  gk_exercise_field_errors fe;
  /* the one reader the web app's form uses: first to refuse bad options
     before the store is opened, then with this week's step */
  gk_status rst = gk_exercise_session_read(&in, today, 0, &s, &fe);
  if (fe.exercise[0]) return unknown_exercise(id);
  if (rst != GK_OK) {
    const struct {
      const char *opt, *msg, *got;
    } bad[] = {{"--date", fe.date, in.date}, {"--step", fe.step, in.step},
               {"--sets", fe.sets, in.sets}, {"--reps", fe.reps, in.reps},
               {"--hold", fe.hold, in.hold}, {"--load", fe.load, in.load},
               {"--pain", fe.pain, in.pain}, {"--note", fe.note, in.note}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
      if (bad[k].msg[0])
        fprintf(stderr, "gaitkeeper: done: %s takes %s (got '%s')\n",
                bad[k].opt, bad[k].msg,
                bad[k].opt[2] == 'n' ? "..." : bad[k].got ? bad[k].got : "");
    if (fe.other[0]) fprintf(stderr, "gaitkeeper: done: %s\n", fe.other);
    return 2;
  }
  gk_exercise_step steps[GK_EXERCISE_MAX_STEPS];
  gk_exercise_steps(id, steps, NULL);

  gk_store *store = NULL;
  if (gk_cli_open_store("done", 0, &store) != GK_OK) return 1;
  gk_assessment a;
  int rc = gk_cli_assess(store, s.day, "done", 0, &a);
  gk_exercise_progress g;
  if (rc == 0) rc = progress(&a, id, &g);
  gk_assessment_free(&a);
  if (rc != 0) {
    gk_store_close(store);
    return rc;
  }
  /* what is not given: this week's step and its dose */
  if (gk_exercise_session_read(&in, today, g.step, &s, &fe) != GK_OK) {
    fprintf(stderr, "gaitkeeper: done: %s\n",
            fe.step[0] ? fe.step : fe.other[0] ? fe.other : "bad session");
    gk_store_close(store);
    return 2;
  }
  const gk_exercise_step *t =
      s.step >= 1 && s.step <= g.n_steps ? &steps[s.step - 1] : NULL;
  gk_err err;
  int64_t sid = 0;
  gk_status st = gk_record_session(store, &s, &sid, &err);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: done: %s\n",
            err.msg ? err.msg : gk_strerror(st));
    gk_store_close(store);
    return st == GK_E_ARG ? 2 : 1;
  }
  char day[11], line[600], r[24], h[32], p[24], kg[40];
  gk_day_format(s.day, day);
  r[0] = h[0] = p[0] = kg[0] = '\0';
  if (s.reps >= 0) snprintf(r, sizeof r, " x %d", s.reps);
  if (s.hold_s >= 0) snprintf(h, sizeof h, ", %d s holds", s.hold_s);
  if (s.pain >= 0) snprintf(p, sizeof p, ", pain %d/10", s.pain);
  if (!isnan(s.load_kg)) snprintf(kg, sizeof kg, ", %.1f kg", s.load_kg);
  snprintf(line, sizeof line,
           "session %" PRId64 " stored: %s on %s, step %d of %d (%s): %d "
           "set%s%s%s%s%s",
           sid, id, day, s.step, g.n_steps, t ? t->name : "?", s.sets,
           s.sets == 1 ? "" : "s", r, h, kg, p);
  gk_cli_wrap(stdout, line, 0, 78);

  rc = gk_cli_assess(store, s.day, "done", 0, &a);
  if (rc == 0) rc = progress(&a, id, &g);
  gk_assessment_free(&a);
  gk_store_close(store);
  if (rc != 0) return rc;
  if (isnan(g.adherence))
    snprintf(line, sizeof line, "Now: step %d of %d (%s).", g.step,
             g.n_steps, g.step_name);
  else
    snprintf(line, sizeof line,
             "Now: step %d of %d (%s); %zu session%s in the last 14 days "
             "(adherence %.0f%%).",
             g.step, g.n_steps, g.step_name, g.sessions_14d,
             g.sessions_14d == 1 ? "" : "s", 100 * g.adherence);
  gk_cli_wrap(stdout, line, 0, 78);
  gk_cli_wrap(stdout, g.next, 0, 78);
  if (fflush(stdout) != 0) return 1;
  return 0;
}
