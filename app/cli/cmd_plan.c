/*
** cmd_plan.c -- `gaitkeeper plan [--date YYYY-MM-DD] [--json]`,
** `gaitkeeper plan export --fit DIR [--date ...]` and
** `gaitkeeper plan export --wav FILE [--bpm N] [--minutes M] [--date ...]`.
**
** The plan is built from what the store holds as of --date (default today,
** UTC), whatever subset exists, by gk_assess (gaitkeeper/assess.h): the
** latest intake answers by then (assessed for red flags), the latest
** screen, the runs and the pain log up to the day, and the latest gait
** capture (its findings; its cadence when the runs give none).  Its notes
** (what was left out, an old capture) follow the plan.  See docs/PLAN.md.
*/
#define _POSIX_C_SOURCE 200809L
#include "cmd_plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "gaitkeeper/clinic.h"
#include "gaitkeeper/fit_workout.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/wav.h"

#define DEFAULT_WAV_MINUTES 10.0

/* ---- gathering ------------------------------------------------------------ */

int gk_cli_assess(gk_store *store, int64_t day, const char *verb,
                  int all_notes, gk_assessment *a) {
  gk_err e;
  gk_status st = gk_assess(store, day, a, &e);
  if (st != GK_OK) {
    const char *detail = store ? gk_store_errmsg(store) : "";
    fprintf(stderr, "gaitkeeper: %s: %s: %s%s%s\n", verb,
            e.msg ? e.msg : "assessing", gk_strerror(st),
            detail[0] ? ": " : "", detail);
    return 1;
  }
  for (size_t i = 0; i < a->n_notes; i++)
    if (all_notes || a->note_problem[i])
      fprintf(stderr, "gaitkeeper: %s: %s\n", verb, a->notes[i]);
  if (a->plan == NULL)
    fprintf(stderr, "gaitkeeper: %s: the plan cannot be built: %s\n", verb,
            a->plan_error);
  return 0;
}

/* Keep what the plan prescribed that later plans follow (the cadence
   target: gk_assess_keep), in the store opened for writing only when there
   is something to keep.  A store that cannot be written is said, not an
   error: the plan stands. */
void gk_cli_keep(const char *verb, const gk_assessment *a) {
  if (!gk_assess_to_keep(a)) return;
  char path[4096], msg[512];
  gk_store *s = NULL;
  if (gk_cli_db_path(path, sizeof path) != 0) return;
  if (gk_store_open_ex(&s, path, GK_STORE_NO_CREATE, NULL, msg, sizeof msg) !=
      GK_OK) {
    fprintf(stderr,
            "gaitkeeper: %s: the cadence target could not be kept (%s); the "
            "next plan sets it again\n",
            verb, msg);
    return;
  }
  if (gk_cli_scope_store(verb, s) != GK_OK) {
    gk_store_close(s);
    return;
  }
  gk_err e;
  int recorded = 0;
  gk_status st = gk_assess_keep(s, a, &recorded, &e);
  if (st != GK_OK)
    fprintf(stderr,
            "gaitkeeper: %s: the cadence target could not be kept (%s: %s); "
            "the next plan sets it again\n",
            verb, e.msg ? e.msg : "storing", gk_store_errmsg(s));
  gk_store_close(s);
}

/* ---- text ----------------------------------------------------------------- */

static void num(char *out, size_t size, double v) {
  if (isnan(v)) snprintf(out, size, "-");
  else snprintf(out, size, "%.4g", v);
}

static void text_plan(FILE *out, const gk_plan *p) {
  char line[1024], a[32], b[32];
  if (p->refer) {
    fprintf(out, "See a clinician first (urgency: %s)\n",
            p->urgency ? p->urgency : "soon");
    gk_cli_wrap(out, p->refer_to, 2, 78);
  } else {
    fprintf(out, "Stage %d of 4: %s%s\n", p->stage, p->stage_name,
            p->provisional ? " (provisionally)" : "");
    if (p->provisional) {
      fprintf(out, "  if these earlier gates, not yet measured, are met "
                   "(none: no gate of this stage is measured yet):\n");
      for (size_t i = 0; i < p->n_gates; i++) {
        const gk_plan_gate *g = &p->gates[i];
        if (g->met >= 0 || g->stage >= p->stage) continue;
        snprintf(line, sizeof line, "- %s%s%s", g->label ? g->label : g->name,
                 g->how_to_measure ? ": " : "",
                 g->how_to_measure ? g->how_to_measure : "");
        gk_cli_wrap(out, line, 4, 78);
      }
    }
    if (p->stage_by_clinician) {
      const gk_clinician_entry *e = &p->stage_by_clinician->entry;
      char d[11];
      snprintf(line, sizeof line,
               "Set by %s on %s: %s (the gates give stage %d)",
               e->author[0] ? e->author : "the clinician",
               gk_day_format(e->day, d), e->reason, p->stage_computed);
      gk_cli_wrap(out, line, 2, 78);
    }
    fprintf(out, "\nGates to the next stage\n");
    for (size_t i = 0; i < p->n_gates; i++) {
      const gk_plan_gate *g = &p->gates[i];
      if (g->stage != p->stage) continue;
      num(a, sizeof a, g->value);
      num(b, sizeof b, g->target);
      snprintf(line, sizeof line, "[%s] %s: %s (target %s %s %s)",
               g->met > 0 ? "met" : g->met == 0 ? "not met" : "unknown",
               g->label ? g->label : g->name, a, g->cmp, b,
               g->unit ? g->unit : "");
      gk_cli_wrap(out, line, 2, 78);
    }
  }

  fprintf(out, "\nExercises (%zu)\n", p->n_exercises);
  if (p->n_exercises == 0)
    fprintf(out, "  none%s\n", p->refer ? ": see below" : "");
  for (size_t i = 0; i < p->n_exercises; i++) {
    const gk_plan_exercise *x = &p->exercises[i];
    fprintf(out, "\n  %s%s\n", x->name,
            x->by_clinician == 1   ? " (added by the clinician)"
            : x->by_clinician == 2 ? " (dose set by the clinician)"
                                   : "");
    gk_cli_wrap(out, x->dose, 4, 78);
    if (x->n_steps > 0) {
      if (isnan(x->adherence))
        snprintf(line, sizeof line, "This week: step %d of %d, %s.", x->step,
                 x->n_steps, x->step_name);
      else
        snprintf(line, sizeof line,
                 "This week: step %d of %d, %s; %zu session%s in the last 14 "
                 "days (adherence %.0f%%).",
                 x->step, x->n_steps, x->step_name, x->sessions_14d,
                 x->sessions_14d == 1 ? "" : "s", 100 * x->adherence);
      gk_cli_wrap(out, line, 4, 78);
      if (x->step > 1) gk_cli_wrap(out, x->step_dose, 4, 78);
      gk_cli_wrap(out, x->next, 4, 78);
    }
    gk_cli_wrap(out, x->instructions, 4, 78);
    size_t n = (size_t)snprintf(line, sizeof line, "Why:");
    for (size_t k = 0; k < x->n_why && n < sizeof line; k++)
      n += (size_t)snprintf(line + n, sizeof line - n, " %s", x->why[k]);
    gk_cli_wrap(out, line, 4, 78);
  }

  fprintf(out, "\nRunning (%s)\n", gk_run_mode_name(p->running.mode));
  gk_cli_wrap(out, p->running.text, 2, 78);
  const gk_plan_cadence *c = &p->cadence;
  fprintf(out, "\nCadence\n");
  if (!isnan(c->target_spm))
    fprintf(out, "  baseline %.0f steps/min (%s): target %.0f now, up to "
                 "%.0f later\n",
            c->baseline_spm, c->origin ? c->origin : "", c->target_spm,
            c->later_target_spm);
  gk_cli_wrap(out, c->reason, 2, 78);

  if (p->n_clinician > 0) {
    fprintf(out, "\nThe clinician's entries (%zu)\n", p->n_clinician);
    for (size_t i = 0; i < p->n_clinician; i++) {
      const gk_plan_clinician *ce = &p->clinician[i];
      gk_buf t = {0}; /* the whole entry: longer than line may hold */
      gk_clinician_describe(&ce->entry, &t);
      gk_buf_puts(&t, ": ");
      gk_buf_puts(&t, ce->effect ? ce->effect : "");
      gk_cli_wrap(out, t.data ? t.data : "", 2, 78);
      gk_buf_free(&t);
    }
  }

  fprintf(out, "\nFindings (%zu)\n", p->n_findings);
  for (size_t i = 0; i < p->n_findings; i++) {
    const gk_plan_finding *f = &p->findings[i];
    fprintf(out, "\n  %s  %s\n", gk_severity_name(f->f.severity), f->f.code);
    gk_cli_wrap(out, f->f.text, 4, 78);
    if (f->chain) {
      snprintf(line, sizeof line, "Chain: %s", f->chain);
      gk_cli_wrap(out, line, 4, 78);
    }
    if (f->how_sure) {
      snprintf(line, sizeof line, "How sure: %s", f->how_sure);
      gk_cli_wrap(out, line, 4, 78);
    }
  }
  if (p->n_unknown) {
    fprintf(out, "\nNot judged\n");
    for (size_t i = 0; i < p->n_unknown; i++) gk_cli_wrap(out, p->unknown[i], 2, 78);
  }
  if (p->n_education) {
    fprintf(out, "\nGood to know\n");
    for (size_t i = 0; i < p->n_education; i++)
      gk_cli_wrap(out, p->education[i], 2, 78);
  }
  if (p->n_retests) {
    fprintf(out, "\nRe-tests\n");
    for (size_t i = 0; i < p->n_retests; i++) {
      const gk_plan_retest *r = &p->retests[i];
      char d[11];
      gk_buf t = {0}; /* the why may be longer than line holds */
      gk_buf_puts(&t, r->due_now ? "[due now] " : "[due ");
      if (!r->due_now) {
        gk_buf_puts(&t, gk_day_format(r->due_day, d));
        gk_buf_puts(&t, "] ");
      }
      gk_buf_puts(&t, r->name ? r->name : r->test);
      gk_buf_puts(&t, ": ");
      gk_buf_puts(&t, r->why ? r->why : "");
      gk_cli_wrap(out, t.data ? t.data : "", 2, 78);
      gk_buf_free(&t);
    }
  }
}

/* ---- exports -------------------------------------------------------------- */

/* One workout as a FIT file at path; prints the path, or the problem. */
static int write_workout(const char *verb, const char *path, const char *name,
                         const gk_workout_step *steps, size_t n,
                         int64_t now) {
  gk_buf b = {0};
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_fit_workout_write(name, steps, n, now, &b, &e);
  int rc = st == GK_OK ? gk_cli_write_file(verb, path, b.data, b.len) : 1;
  if (st != GK_OK)
    fprintf(stderr, "gaitkeeper: %s: %s: %s\n", verb, path,
            e.msg ? e.msg : gk_strerror(st));
  gk_buf_free(&b);
  if (rc == 0) printf("%s\n", path);
  return rc;
}

static int export_fit(const gk_plan *p, const char *dir) {
  const char *verb = "plan export";
  if (p->refer) {
    fprintf(stderr,
            "gaitkeeper: %s: the plan refers you to a clinician first (%s): "
            "no running workouts until then\n",
            verb, p->refer_to ? p->refer_to : "");
    return 1;
  }
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "gaitkeeper: %s: %s: cannot create: %s\n", verb, dir,
            strerror(errno));
    return 1;
  }
  /* the library's list, as the web app's downloads use it */
  static gk_plan_workout w[32];
  size_t nw = gk_plan_workouts(p, w, sizeof w / sizeof w[0]);
  char path[4096];
  int written = 0;
  int64_t now = (int64_t)time(NULL);
  for (size_t k = 0; k < nw; k++) {
    snprintf(path, sizeof path, "%s/%.31s", dir, w[k].file);
    if (write_workout(verb, path, w[k].name, w[k].steps, w[k].n_steps, now) !=
        0)
      return 1;
    written++;
  }
  if (written == 0) {
    fprintf(stderr,
            "gaitkeeper: %s: nothing to export: running goes on as it is "
            "(under the single-run cap) and no cadence target is called "
            "for\n",
            verb);
    return 1;
  }
  return 0;
}

typedef struct wav_out {
  FILE *f;
} wav_out;

static int wav_write(void *user, const void *data, size_t len) {
  wav_out *o = (wav_out *)user;
  return fwrite(data, 1, len, o->f) != len;
}

static int export_wav(const gk_plan *p, const char *path, double bpm,
                      double minutes) {
  const char *verb = "plan export";
  if (isnan(bpm)) {
    if (p->cadence.retrain == 1 && isfinite(p->cadence.target_spm)) {
      bpm = p->cadence.target_spm;
    } else {
      fprintf(stderr,
              "gaitkeeper: %s: %s: the plan has no cadence target (%s); give "
              "--bpm N\n",
              verb, path, p->cadence.reason);
      return 2;
    }
  }
  gk_cli_out out;
  if (gk_cli_out_open(&out, verb, path) != 0) return 1;
  wav_out o = {out.f};
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_wav_metronome(bpm, minutes, 0, wav_write, &o, &e);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: %s: %s: %s\n", verb, path,
            e.msg ? e.msg : gk_strerror(st));
    gk_cli_out_abort(&out);
    return st == GK_E_ARG ? 2 : 1;
  }
  if (gk_cli_out_commit(&out, verb) != 0) return 1;
  printf("%s: %.1f clicks per minute, %.1f minutes\n", path, bpm, minutes);
  return 0;
}

/* ---- the verb ------------------------------------------------------------- */

static void usage(FILE *out) {
  fprintf(out,
          "usage: gaitkeeper plan [--date YYYY-MM-DD] [--json]\n"
          "       gaitkeeper plan export --fit DIR [--date YYYY-MM-DD]\n"
          "       gaitkeeper plan export --wav FILE [--bpm N] [--minutes M] "
          "[--date YYYY-MM-DD]\n");
}

static int parse_num(const char *s, double lo, double hi, double *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0' || errno != 0 || !(v >= lo && v <= hi))
    return 0;
  *out = v;
  return 1;
}

int gk_cmd_plan(int argc, char **argv) {
  int json = 0, export_mode = 0;
  const char *fit_dir = NULL, *wav_path = NULL;
  double bpm = NAN, minutes = DEFAULT_WAV_MINUTES;
  int64_t day = gk_day_of_time((int64_t)time(NULL));
  int i = 0;
  if (argc > 0 && strcmp(argv[0], "export") == 0) {
    export_mode = 1;
    i = 1;
  }
  const char *verb = export_mode ? "plan export" : "plan";
  for (; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!export_mode && strcmp(a, "--json") == 0) {
      json = 1;
    } else if (strcmp(a, "--date") == 0) {
      if (v == NULL || gk_day_parse(v, &day) != GK_OK) {
        fprintf(stderr, "gaitkeeper: %s: --date needs a date as YYYY-MM-DD%s%s\n",
                verb, v ? ", not " : "", v ? v : "");
        return 2;
      }
      i++;
    } else if (export_mode && strcmp(a, "--fit") == 0 && v) {
      fit_dir = v;
      i++;
    } else if (export_mode && strcmp(a, "--wav") == 0 && v) {
      wav_path = v;
      i++;
    } else if (export_mode && strcmp(a, "--bpm") == 0) {
      if (v == NULL || !parse_num(v, GK_WAV_BPM_MIN, GK_WAV_BPM_MAX, &bpm)) {
        fprintf(stderr, "gaitkeeper: %s: --bpm needs a number from 30 to "
                        "300%s%s\n",
                verb, v ? ", not " : "", v ? v : "");
        return 2;
      }
      i++;
    } else if (export_mode && strcmp(a, "--minutes") == 0) {
      if (v == NULL || !parse_num(v, 0.01, GK_WAV_MINUTES_MAX, &minutes)) {
        fprintf(stderr, "gaitkeeper: %s: --minutes needs a number above 0, "
                        "at most 120%s%s\n",
                verb, v ? ", not " : "", v ? v : "");
        return 2;
      }
      i++;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "gaitkeeper: %s: unknown option or missing value '%s'\n",
              verb, a);
      usage(stderr);
      return 2;
    }
  }
  if (export_mode && (fit_dir == NULL) == (wav_path == NULL)) {
    fprintf(stderr, "gaitkeeper: %s: give one of --fit DIR or --wav FILE\n",
            verb);
    usage(stderr);
    return 2;
  }
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store(verb, GK_STORE_READ_ONLY, &s);
  if (st != GK_OK && st != GK_E_NOT_FOUND) return 1;
  gk_assessment as;
  /* the text plan shows its notes itself; JSON and exports on stderr */
  int text = !json && !fit_dir && !wav_path;
  int rc = gk_cli_assess(st == GK_OK ? s : NULL, day, verb, !text, &as);
  gk_store_close(s);
  if (rc == 0 && st == GK_OK) gk_cli_keep(verb, &as);
  const gk_plan *p = as.plan;
  if (rc == 0 && p == NULL) rc = 1;
  if (rc != 0) {
    gk_assessment_free(&as);
    return rc;
  }

  if (fit_dir) {
    rc = export_fit(p, fit_dir);
  } else if (wav_path) {
    rc = export_wav(p, wav_path, bpm, minutes);
  } else if (json) {
    gk_buf b = {0};
    gk_plan_write_json(p, &b);
    gk_buf_putc(&b, '\n');
    if (b.oom) {
      fprintf(stderr, "gaitkeeper: plan: out of memory\n");
      rc = 1;
    } else {
      fwrite(b.data, 1, b.len, stdout);
    }
    gk_buf_free(&b);
  } else {
    text_plan(stdout, p);
    int header = 0;
    for (size_t k = 0; k < as.n_notes; k++) {
      if (as.note_problem[k]) continue;
      if (!header++) fprintf(stdout, "\nNotes\n");
      gk_cli_wrap(stdout, as.notes[k], 2, 78);
    }
  }
  gk_assessment_free(&as);
  if (fflush(stdout) != 0) rc = 1;
  return rc;
}
