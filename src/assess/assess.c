/*
** assess.c -- the runner as of one day (gaitkeeper/assess.h): read what the
** store holds up to the day, analyse the load, parse and assess the
** answers, and build the plan.  The one place that wires the store to the
** analysis for every face.
*/
#include "gaitkeeper/assess.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/json.h"

/* ---- history ------------------------------------------------------------ */

typedef struct history_ctx {
  gk_history *h;
  int64_t day;
} history_ctx;

static int grow(void **p, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 1;
  size_t ncap = *cap ? *cap * 2 : 256;
  if (ncap > SIZE_MAX / size) return 0;
  void *np = realloc(*p, ncap * size);
  if (np == NULL) return 0;
  *p = np;
  *cap = ncap;
  return 1;
}

static int on_run(void *user, const gk_run_row *r) {
  history_ctx *c = (history_ctx *)user;
  gk_history *h = c->h;
  if (r->flags & GK_ACT_START_UNKNOWN) {
    h->unknown_start++;
    return 0;
  }
  if (r->sport[0] != '\0' && strcmp(r->sport, "running") != 0) {
    h->other_sport++;
    return 0;
  }
  if (gk_day_of_time(r->start_time) > c->day) {
    h->later_runs++;
    return 0;
  }
  if (r->sport[0] == '\0') h->unknown_sport++;
  if (!grow((void **)&h->runs, &h->cap_runs, h->n_runs, sizeof *h->runs)) {
    h->oom = 1;
    return 1;
  }
  if (strcmp(r->source_format, "fit") == 0) h->fit++;
  else if (strcmp(r->source_format, "gpx") == 0) h->gpx++;
  else if (strcmp(r->source_format, "tcx") == 0) h->tcx++;
  gk_load_run *lr = &h->runs[h->n_runs++];
  lr->id = r->id;
  lr->start_time = r->start_time;
  lr->distance_m = r->summary.distance_m;
  lr->duration_s =
      isnan(r->summary.timer_s) ? r->summary.elapsed_s : r->summary.timer_s;
  lr->avg_cadence_spm = r->summary.avg_cadence_spm;
  lr->avg_speed_mps = r->summary.avg_speed_mps;
  return 0;
}

static int on_pain(void *user, const gk_pain_entry *e) {
  history_ctx *c = (history_ctx *)user;
  gk_history *h = c->h;
  if (e->day > c->day) {
    h->later_pain++;
    return 0;
  }
  if (!grow((void **)&h->pain, &h->cap_pain, h->n_pain, sizeof *h->pain)) {
    h->oom = 1;
    return 1;
  }
  h->pain[h->n_pain++] = *e;
  return 0;
}

gk_status gk_history_load(gk_store *store, int64_t day, gk_history *h) {
  if (h == NULL) return GK_E_ARG;
  memset(h, 0, sizeof *h);
  if (store == NULL) return GK_OK;
  history_ctx c = {h, day};
  gk_status st = gk_store_each_run(store, on_run, &c);
  if (st == GK_OK || (st == GK_E_STOPPED && !h->oom))
    st = gk_store_each_pain(store, on_pain, &c);
  if (h->oom) st = GK_E_NOMEM;
  return st;
}

void gk_history_free(gk_history *h) {
  if (h == NULL) return;
  free(h->runs);
  free(h->pain);
  memset(h, 0, sizeof *h);
}

/* ---- notes -------------------------------------------------------------- */

static void note(gk_assessment *a, int problem, const char *fmt, ...) {
  if (a->n_notes >= GK_ASSESS_MAX_NOTES) return;
  a->note_problem[a->n_notes] = (unsigned char)problem;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(a->notes[a->n_notes++], GK_ASSESS_NOTE_MAX, fmt, ap);
  va_end(ap);
}

static gk_status store_failed(gk_err *err, gk_status st, const char *what) {
  if (err != NULL) {
    memset(err, 0, sizeof *err);
    err->code = st;
    err->msg = what;
  }
  return st;
}

/* ---- answers and capture -------------------------------------------------- */

/* The latest answers of kind as of a->day, parsed and assessed.  GK_OK
   (read, none, or unreadable with a note) or the store's status. */
static gk_status answers(gk_store *s, gk_assessment *a, const char *kind) {
  int is_intake = strcmp(kind, "intake") == 0;
  char **json = is_intake ? &a->intake_json : &a->screen_json;
  int64_t *day = is_intake ? &a->intake_day : &a->screen_day;
  /* Answers given after the day are not used; say so. */
  char *newest = NULL;
  int64_t newest_day = INT64_MIN;
  gk_status st =
      gk_store_latest_answers(s, kind, INT64_MAX, &newest, &newest_day, NULL);
  free(newest);
  if (st != GK_OK && st != GK_E_NOT_FOUND) return st;
  if (st == GK_OK && newest_day > a->day) {
    char d[11], t[11];
    note(a, 0, "The %s answers given on %s, after %s, are left out.", kind,
         gk_day_format(newest_day, d), gk_day_format(a->day, t));
  }
  st = gk_store_latest_answers(s, kind, a->day, json, day, NULL);
  if (st == GK_E_NOT_FOUND) {
    *day = INT64_MIN;
    return GK_OK;
  }
  if (st != GK_OK) return st;
  gk_err e;
  memset(&e, 0, sizeof e);
  size_t len = strlen(*json);
  if (is_intake) {
    st = gk_intake_parse(*json, len, &a->intake, &e);
    if (st == GK_OK) st = gk_intake_assess(&a->intake, &a->intake_result, &e);
    a->have_intake = st == GK_OK;
  } else {
    st = gk_screen_parse(*json, len, &a->screen, &e);
    if (st == GK_OK) st = gk_screen_assess(&a->screen, &a->screen_result, &e);
    a->have_screen = st == GK_OK;
  }
  if (st != GK_OK) {
    char d[11];
    note(a, 1,
         "The stored %s answers of %s cannot be read (%s); the plan is built "
         "without them.",
         kind, gk_day_format(*day, d), e.msg ? e.msg : gk_strerror(st));
  }
  return GK_OK;
}

static gk_status capture(gk_store *s, gk_assessment *a) {
  gk_status st = gk_store_latest_capture(s, NULL, a->day, &a->capture);
  if (st == GK_E_NOT_FOUND) return GK_OK;
  if (st != GK_OK) return st;
  a->have_capture = 1;
  a->capture_day = a->capture.day != INT64_MIN
                       ? a->capture.day
                       : gk_day_of_time(a->capture.created_at);
  a->capture_age_days = a->day - a->capture_day;
  char d[11], t[11];
  if (a->capture_age_days >= GK_ASSESS_CAPTURE_OLD_DAYS) {
    a->capture_old = 1;
    note(a, 0,
         "The gait capture is from %s, %lld days (%lld weeks) before %s: "
         "gait changes with retraining and strength work, so its findings may "
         "be out of date; record a new one.",
         gk_day_format(a->capture_day, d), (long long)a->capture_age_days,
         (long long)(a->capture_age_days / 7), gk_day_format(a->day, t));
  }
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status ps = gk_plan_gait_parse(a->capture.analysis,
                                    strlen(a->capture.analysis), &a->gait, &e);
  if (ps == GK_E_NOMEM) return ps;
  if (ps != GK_OK)
    note(a, 1,
         "The stored gait capture %lld cannot be read (%s, byte %llu); the "
         "plan is built without it.",
         (long long)a->capture.id, e.msg ? e.msg : gk_strerror(ps),
         (unsigned long long)e.offset);
  return GK_OK;
}

/* ---- the clinician's entries ---------------------------------------------- */

typedef struct clin_ctx {
  gk_assessment *a;
  int oom;
} clin_ctx;

static int on_clinician(void *user, const gk_clinician_entry *e) {
  clin_ctx *c = (clin_ctx *)user;
  gk_assessment *a = c->a;
  gk_err err;
  if (gk_clinician_check(e, &err) != GK_OK) {
    note(a, 1, "The clinician's entry %lld cannot be used (%s); it is left out.",
         (long long)e->id, err.msg ? err.msg : "invalid");
    return 0;
  }
  if (!grow((void **)&a->clinician, &a->cap_clinician, a->n_clinician,
            sizeof *a->clinician)) {
    c->oom = 1;
    return 1;
  }
  a->clinician[a->n_clinician++] = *e;
  return 0;
}

static gk_status clinician(gk_store *s, gk_assessment *a) {
  clin_ctx c = {a, 0};
  gk_status st = gk_store_each_clinician(s, a->day, on_clinician, &c);
  if (c.oom) return GK_E_NOMEM;
  return st == GK_E_STOPPED ? GK_OK : st;
}

/* ---- the cadence target in force ------------------------------------------ */

static gk_status cadence_loop(gk_store *s, gk_assessment *a) {
  gk_status st = gk_store_latest_cadence_target(s, a->day, &a->cadence_target);
  if (st == GK_E_NOT_FOUND) return GK_OK;
  if (st != GK_OK) return st;
  a->have_cadence_target = 1;
  const gk_history *h = &a->history;
  size_t first = h->n_runs;
  size_t n = 0;
  while (first > 0 && n < GK_ASSESS_CADENCE_RUNS &&
         gk_day_of_time(h->runs[first - 1].start_time) > a->cadence_target.day) {
    first--;
    n++;
  }
  if (n == 0) return GK_OK;
  a->cadence_runs = (gk_cadence_hold *)calloc(n, sizeof *a->cadence_runs);
  if (a->cadence_runs == NULL) return GK_E_NOMEM;
  for (size_t i = first; i < h->n_runs; i++) {
    gk_activity *act = NULL;
    st = gk_store_get_activity(s, h->runs[i].id, &act);
    if (st == GK_E_NOMEM) return st;
    gk_cadence_hold *o = &a->cadence_runs[a->n_cadence_runs];
    if (st == GK_OK) {
      gk_cadence_hold_of(act, a->cadence_target.target_spm, o);
    } else {
      /* Unreadable samples: the run's average from the list. */
      memset(o, 0, sizeof *o);
      o->day = gk_day_of_time(h->runs[i].start_time);
      o->target_spm = a->cadence_target.target_spm;
      o->mean_spm = h->runs[i].avg_cadence_spm;
      o->share_within = o->fade_spm = NAN;
    }
    gk_activity_free(act);
    o->activity_id = h->runs[i].id;
    a->n_cadence_runs++;
  }
  return GK_OK;
}

int gk_assess_to_keep(const gk_assessment *a) {
  const gk_plan *p = a != NULL ? a->plan : NULL;
  if (p == NULL || p->cadence.deferred || !isfinite(p->cadence.target_spm))
    return 0;
  return !a->have_cadence_target || isfinite(p->cadence.next_target_spm);
}

gk_status gk_assess_keep(gk_store *store, const gk_assessment *a,
                         int *recorded, gk_err *err) {
  if (recorded != NULL) *recorded = 0;
  if (err != NULL) memset(err, 0, sizeof *err);
  if (store == NULL || a == NULL) return GK_E_ARG;
  if (!gk_assess_to_keep(a)) return GK_OK;
  const gk_plan *p = a->plan;
  gk_cadence_target latest;
  gk_status st = gk_store_latest_cadence_target(store, INT64_MAX, &latest);
  if (st != GK_OK && st != GK_E_NOT_FOUND)
    return store_failed(err, st, "reading the cadence targets");
  if (st == GK_OK && latest.day > a->day) return GK_OK; /* history stands */
  gk_cadence_target t;
  memset(&t, 0, sizeof t);
  t.day = a->day;
  t.baseline_spm = p->cadence.baseline_spm;
  t.speed_mps = p->cadence.baseline_speed_mps;
  t.target_spm = a->have_cadence_target ? p->cadence.next_target_spm
                                        : p->cadence.target_spm;
  snprintf(t.origin, sizeof t.origin, "%s",
           p->cadence.origin ? p->cadence.origin : "");
  st = gk_store_add_cadence_target(store, &t, NULL);
  if (st != GK_OK) return store_failed(err, st, "storing the cadence target");
  if (recorded != NULL) *recorded = 1;
  return GK_OK;
}

/* ---- the exercise log --------------------------------------------------------- */

typedef struct session_ctx {
  gk_assessment *a;
  int oom;
} session_ctx;

static int on_session(void *user, const gk_exercise_session *e) {
  session_ctx *c = (session_ctx *)user;
  gk_assessment *a = c->a;
  if (!grow((void **)&a->sessions, &a->cap_sessions, a->n_sessions,
            sizeof *a->sessions)) {
    c->oom = 1;
    return 1;
  }
  a->sessions[a->n_sessions++] = *e;
  return 0;
}

static gk_status sessions(gk_store *s, gk_assessment *a) {
  session_ctx c = {a, 0};
  gk_status st = gk_store_each_session(s, a->day, on_session, &c);
  if (c.oom) return GK_E_NOMEM;
  return st == GK_E_STOPPED ? GK_OK : st;
}

gk_status gk_record_session(gk_store *store, const gk_exercise_session *s,
                            int64_t *id, gk_err *err) {
  if (id != NULL) *id = 0;
  if (err != NULL) memset(err, 0, sizeof *err);
  if (store == NULL || s == NULL)
    return store_failed(err, GK_E_ARG, "no store or no session");
  gk_status st = gk_exercise_session_check(s, err);
  if (st != GK_OK) return st;
  st = gk_store_add_session(store, s, id);
  if (st != GK_OK) return store_failed(err, st, gk_store_errmsg(store));
  return GK_OK;
}

/* ---- the whole -------------------------------------------------------------- */

static void later_note(gk_assessment *a) {
  const gk_history *h = &a->history;
  if (h->later_runs == 0 && h->later_pain == 0) return;
  char d[11];
  note(a, 0,
       "As of %s: %zu run%s and %zu pain log entr%s recorded for later days "
       "are left out.",
       gk_day_format(a->day, d), h->later_runs, h->later_runs == 1 ? "" : "s",
       h->later_pain, h->later_pain == 1 ? "y" : "ies");
}

static gk_status build_plan(gk_assessment *a) {
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = a->day;
  if (a->have_intake) {
    in.intake = &a->intake;
    in.intake_result = &a->intake_result;
  }
  if (a->have_screen) in.screen = &a->screen;
  in.clinician = a->clinician;
  in.n_clinician = a->n_clinician;
  in.sessions = a->sessions;
  in.n_sessions = a->n_sessions;
  gk_plan_input_from_load(&in, &a->load, a->history.pain, a->history.n_pain);
  in.runs = a->history.runs;
  in.n_runs = a->history.n_runs;
  if (a->have_cadence_target) {
    in.cadence_set = &a->cadence_target;
    in.cadence_runs = a->cadence_runs;
    in.n_cadence_runs = a->n_cadence_runs;
  }
  if (!a->have_store) in.load_known = 0;
  if (isnan(in.cadence_baseline_spm) && a->gait != NULL &&
      isfinite(a->gait->cadence_spm)) {
    in.cadence_baseline_spm = a->gait->cadence_spm;
    in.cadence_speed_mps = a->gait->speed_mps;
    in.cadence_origin = GK_CADENCE_CAPTURE;
  }

  /* Every other source's findings in one array. */
  size_t n = a->load.n_findings +
             (a->have_screen ? a->screen_result.n_findings : 0) +
             (a->gait ? a->gait->n_findings : 0);
  a->findings = (gk_finding *)calloc(n ? n : 1, sizeof *a->findings);
  if (a->findings == NULL) return GK_E_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < a->load.n_findings; i++)
    a->findings[k++] = a->load.findings[i];
  for (size_t i = 0; a->have_screen && i < a->screen_result.n_findings; i++)
    a->findings[k++] = a->screen_result.findings[i];
  for (size_t i = 0; a->gait && i < a->gait->n_findings; i++)
    a->findings[k++] = a->gait->findings[i];
  a->n_findings = k;
  in.findings = a->findings;
  in.n_findings = k;
  /* When each test was last done, for the re-test reminders. */
  if (a->have_intake) {
    in.intake_day = a->intake_day;
    in.akps = a->intake_result.akps;
  }
  if (a->have_screen) in.screen_day = a->screen_day;
  if (a->have_capture) in.capture_day = a->capture_day;

  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_plan_build(&in, &a->plan, &e);
  if (st == GK_E_NOMEM) return st;
  if (st != GK_OK) {
    a->plan = NULL;
    snprintf(a->plan_error, sizeof a->plan_error, "%s",
             e.msg ? e.msg : gk_strerror(st));
  }
  return GK_OK;
}

/* The history up to day from one loaded whole (gk_history_load with
   INT64_MAX): the same as reading the store as of day. */
static gk_status history_from(const gk_history *all, int64_t day,
                              gk_history *h) {
  memset(h, 0, sizeof *h);
  h->other_sport = all->other_sport;
  h->unknown_start = all->unknown_start;
  for (size_t i = 0; i < all->n_runs; i++) {
    if (gk_day_of_time(all->runs[i].start_time) > day) {
      h->later_runs++;
      continue;
    }
    if (!grow((void **)&h->runs, &h->cap_runs, h->n_runs, sizeof *h->runs))
      return GK_E_NOMEM;
    h->runs[h->n_runs++] = all->runs[i];
  }
  for (size_t i = 0; i < all->n_pain; i++) {
    if (all->pain[i].day > day) {
      h->later_pain++;
      continue;
    }
    if (!grow((void **)&h->pain, &h->cap_pain, h->n_pain, sizeof *h->pain))
      return GK_E_NOMEM;
    h->pain[h->n_pain++] = all->pain[i];
  }
  /* the by-format and unknown-sport counts are of the kept runs; the whole
     history's are an upper bound, kept as they are */
  h->fit = all->fit;
  h->gpx = all->gpx;
  h->tcx = all->tcx;
  h->unknown_sport = all->unknown_sport;
  return GK_OK;
}

gk_status gk_assess(gk_store *store, int64_t day, gk_assessment *a,
                    gk_err *err) {
  return gk_assess_with(store, day, NULL, a, err);
}

gk_status gk_assess_with(gk_store *store, int64_t day, const gk_history *all,
                         gk_assessment *a, gk_err *err) {
  if (a == NULL) return GK_E_ARG;
  memset(a, 0, sizeof *a);
  a->day = day;
  a->intake_day = a->screen_day = a->capture_day = INT64_MIN;
  if (err != NULL) memset(err, 0, sizeof *err);
  if (day < GK_DAY_MIN || day > GK_DAY_MAX) {
    return store_failed(err, GK_E_ARG, "the day is out of range");
  }
  a->have_store = store != NULL;
  gk_status st = all != NULL ? history_from(all, day, &a->history)
                             : gk_history_load(store, day, &a->history);
  if (st != GK_OK) return store_failed(err, st, "reading the runs and pain log");
  st = gk_load_analyze(a->history.runs, a->history.n_runs, a->history.pain,
                       a->history.n_pain, day, &a->load);
  if (st != GK_OK) return store_failed(err, st, "analysing the load");
  later_note(a);
  if (store != NULL) {
    st = answers(store, a, "intake");
    if (st == GK_OK) st = answers(store, a, "screen");
    if (st != GK_OK) return store_failed(err, st, "reading the answers");
    st = capture(store, a);
    if (st != GK_OK) return store_failed(err, st, "reading the captures");
    st = clinician(store, a);
    if (st != GK_OK)
      return store_failed(err, st, "reading the clinician's entries");
    st = cadence_loop(store, a);
    if (st != GK_OK) return store_failed(err, st, "reading the cadence target");
    st = sessions(store, a);
    if (st != GK_OK) return store_failed(err, st, "reading the exercise log");
  }
  st = build_plan(a);
  if (st != GK_OK) return store_failed(err, st, "building the plan");
  return GK_OK;
}

void gk_assessment_free(gk_assessment *a) {
  if (a == NULL) return;
  gk_history_free(&a->history);
  gk_load_report_free(&a->load);
  free(a->intake_json);
  free(a->screen_json);
  free(a->capture.analysis);
  gk_plan_gait_free(a->gait);
  free(a->findings);
  free(a->clinician);
  free(a->cadence_runs);
  free(a->sessions);
  gk_plan_free(a->plan);
  memset(a, 0, sizeof *a);
}
