/*
** gaitkeeper/assess.h -- the runner as of one day: everything the store
** holds up to that day, read once, analysed and turned into the plan.
**
** One function for every face (the CLI's plan, report, load and demo
** verbs; the web app): it reads the runs and the pain log, the latest
** intake and screen answers and the latest gait capture *as of* the day --
** whatever was recorded after it is invisible, so a past visit's plan and
** report can be reproduced -- runs the load analysis, parses and assesses
** the answers, and builds the plan from all of it (docs/PLAN.md, "As of a
** day").  What could not be used (stored answers or a capture that cannot
** be read, records after the day, a capture that is old) is said in notes,
** plain sentences for the caller to show; the library prints nothing.
*/
#ifndef GK_ASSESS_H
#define GK_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/plan.h"
#include "gaitkeeper/report.h"
#include "gaitkeeper/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A gait capture this many days or more before the day is called old (13
   weeks): gait-retraining and strengthening programmes run 6-12 weeks
   (EVIDENCE.md: Willy et al. 2012, 8 sessions held at 3 months; Ferber et
   al. 2015, 6 weeks; trial programmes 6-12 weeks), after which a capture
   may no longer show how the runner runs now.  A judgement, not a
   measured cut-off: docs/PLAN.md says so. */
#define GK_ASSESS_CAPTURE_OLD_DAYS 91

#define GK_ASSESS_MAX_NOTES 8
#define GK_ASSESS_NOTE_MAX 480

/* The runner's history: the runs (sport "running", or not recorded; not
   those without a real start time) and the pain log, both up to the day. */
typedef struct gk_history {
  gk_load_run *runs;
  size_t n_runs, cap_runs;
  gk_pain_entry *pain;
  size_t n_pain, cap_pain;
  size_t other_sport;   /* activities left out: not running */
  size_t unknown_start; /* left out: no real start time */
  size_t unknown_sport; /* counted as runs: sport not recorded */
  size_t fit, gpx, tcx; /* the runs kept, by file format */
  size_t later_runs;    /* left out: started after the day */
  size_t later_pain;    /* left out: logged for a later day */
  int oom;
} gk_history;

/* Read the runs and pain entries of store up to day (INT64_MAX: all) into
   *h (zeroed first; store NULL: an empty history).  GK_OK or the store's
   status (GK_E_NOMEM when out of memory); *h is freeable either way. */
GK_API gk_status gk_history_load(gk_store *store, int64_t day,
                                 gk_history *h /* OUT */);
GK_API void gk_history_free(gk_history *h);

typedef struct gk_assessment {
  int64_t day;               /* as of this Unix day (UTC) */
  int have_store;            /* 0: no store yet (an empty history) */
  gk_history history;
  gk_load_report load;

  /* The latest answers given on or before day (json: as stored). */
  char *intake_json, *screen_json;  /* NULL: none by then */
  int64_t intake_day, screen_day;   /* INT64_MIN: none */
  int have_intake, have_screen;     /* 1: read and assessed */
  gk_intake intake;
  gk_intake_result intake_result;
  gk_screen screen;
  gk_screen_result screen_result;

  /* The latest gait capture as of day. */
  int have_capture;
  gk_capture_row capture;    /* analysis owned */
  int64_t capture_day;       /* its day, or the day it was stored */
  int64_t capture_age_days;  /* day - capture_day */
  int capture_old;           /* age >= GK_ASSESS_CAPTURE_OLD_DAYS */
  gk_plan_gait *gait;        /* its findings and cadence; NULL: unreadable */

  gk_clinician_entry *clinician; /* the clinician's entries by the day,
                                    oldest first (those that pass
                                    gk_clinician_check; others noted) */
  size_t n_clinician, cap_clinician;

  gk_finding *findings;      /* load, screen and gait findings together */
  size_t n_findings;
  gk_plan *plan;             /* NULL when it could not be built (plan_error) */
  char plan_error[GK_ASSESS_NOTE_MAX];

  /* Notes: what was left out (records after the day, answers or a capture
     that cannot be read) and an old capture, plain sentences; problem[i]
     1 when something stored could not be read. */
  size_t n_notes;
  char notes[GK_ASSESS_MAX_NOTES][GK_ASSESS_NOTE_MAX];
  unsigned char note_problem[GK_ASSESS_MAX_NOTES];

  /* The cadence target in force as of day (stored by gk_assess_keep) and
     how the runs after it held it, oldest first (at most
     GK_ASSESS_CADENCE_RUNS). */
  int have_cadence_target;
  gk_cadence_target cadence_target;
  gk_cadence_hold *cadence_runs;
  size_t n_cadence_runs;
  /* The exercise log up to the day, oldest first (gk_store_each_session);
     the plan's exercises read their step and adherence from it. */
  gk_exercise_session *sessions;
  size_t n_sessions, cap_sessions;
} gk_assessment;

/* The runs after a target was set that are read for the closed loop. */
#define GK_ASSESS_CADENCE_RUNS 12

/*
** Assess the runner of store (NULL: no store yet) as of day (GK_DAY_MIN ..
** GK_DAY_MAX) into *out.  GK_OK with *out filled (its plan may still be
** NULL: plan_error says why); GK_E_ARG for a day out of range; the store's
** status when the store cannot be read (err names it); GK_E_NOMEM.  Free
** with gk_assessment_free whatever it returns.
*/
GK_API gk_status gk_assess(gk_store *store, int64_t day,
                           gk_assessment *out /* OUT */,
                           gk_err *err /* OUT, optional */);
GK_API void gk_assessment_free(gk_assessment *a);

/* gk_assess with the runs and pain log taken from `all` (the whole history,
   gk_history_load with INT64_MAX, loaded once) instead of read from the
   store: for the course over weeks, which assesses many days.  all NULL:
   gk_assess.  The other records are read from store as of day. */
GK_API gk_status gk_assess_with(gk_store *store, int64_t day,
                                const gk_history *all,
                                gk_assessment *out /* OUT */,
                                gk_err *err /* OUT, optional */);

/*
** Keep what a's plan prescribed that later plans follow: today's cadence
** target when the plan gives one and none is in force (the baseline it is
** set from then stays fixed), or the later target once the one in force is
** held (docs/PLAN.md, "Over weeks").  Written as of a->day; nothing is
** written when a later target is already stored (a past day's plan does
** not rewrite history), when nothing changed, or without a plan.
** *recorded (optional): 1 when a target was stored.  GK_OK, or the store's
** status (GK_E_ARG for a read-only store).
*/
/* 1 when a's plan has something for gk_assess_keep to store (a target
   when none is in force, or the later one), so a caller opens the store
   for writing only then; 0 otherwise. */
GK_API int gk_assess_to_keep(const gk_assessment *a);

GK_API gk_status gk_assess_keep(gk_store *store, const gk_assessment *a,
                                int *recorded /* OUT, optional */,
                                gk_err *err /* OUT, optional */);

/*
** Record one exercise session: check it (gk_exercise_session_check: the
** exercise and step of data/exercises.json, the ranges), then store it
** (gk_store_add_session, one transaction).  The one way every face (the
** CLI's `done`, the web app) logs a session.  GK_OK with *id (may be NULL);
** GK_E_NOT_FOUND for an unknown exercise, GK_E_ARG for a field out of
** range (err's message names the field), or the store's status (err's
** message is the store's).
*/
GK_API gk_status gk_record_session(gk_store *store,
                                   const gk_exercise_session *s,
                                   int64_t *id /* OUT, optional */,
                                   gk_err *err /* OUT, optional */);

/*
** The report's documents for an assessment: the plan as JSON, the course
** over weeks (gk_course_build over store), the data sources and dates and
** the assessment's notes -- gathered once for every face (the CLI's report
** verb, the web app's pages) into b->in, ready for gk_report_html / _json
** / _text.  b->in points into *b and into *as: keep both in place and
** alive while it is used.  The course left out (it cannot be built) is not
** an error: b->course_error says why.  GK_OK or GK_E_NOMEM.  Free with
** gk_report_bundle_free whatever it returns.
*/
typedef struct gk_report_bundle {
  gk_report_input in;
  gk_buf plan_buf, course_buf;
  gk_report_source src[8 + GK_ASSESS_MAX_NOTES];
  char runs_detail[256], pain_detail[128], cap_detail[700];
  char store_detail[4200];
  char course_error[256]; /* "" when the course is in */
} gk_report_bundle;

GK_API gk_status gk_report_gather(gk_store *store, const gk_assessment *as,
                                  gk_report_bundle *b /* OUT */);
GK_API void gk_report_bundle_free(gk_report_bundle *b);

/* As gk_report_gather, with what to gather beyond the plan and the
   sources: GK_GATHER_COURSE the course over weeks (every visit's plan
   rebuilt: the costly part; gk_report_gather gathers it).  A page that
   shows no course section leaves it out. */
#define GK_GATHER_COURSE 1u
GK_API gk_status gk_report_gather_ex(gk_store *store, const gk_assessment *as,
                                     unsigned what,
                                     gk_report_bundle *b /* OUT */);

#ifdef __cplusplus
}
#endif

#endif /* GK_ASSESS_H */
