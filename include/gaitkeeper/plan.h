/*
** gaitkeeper/plan.h -- the staged plan: every finding in one list, each
** explained as the chain it belongs to; the stage (1 pain, 2 mobility,
** 3 stability, 4 conditioning and return to running) with the gates to the
** next stage, each met, not met or unknown with the measured value and the
** target; exercises picked and dosed from the findings and the stage; the
** running prescription (walk/run phases or capped runs, pain limits) and the
** cadence target.  The rules, gates, exercises and phases are data
** (data/stages.json, data/exercises.json, data/running.json,
** data/chains.json), each with its evidence; docs/PLAN.md describes them and
** the JSON.
**
** Pure analysis: no files, no store, no printing.  The caller gathers the
** inputs (intake and screen answers, their findings, the load report, the
** latest gait capture) and may leave out any of them: what could not be
** judged is listed in the plan's "unknown".
*/
#ifndef GK_PLAN_H
#define GK_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/clinician.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/finding.h"
#include "gaitkeeper/fit_workout.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- input ---------------------------------------------------------------- */

/* Where the cadence baseline came from. */
typedef enum gk_cadence_origin {
  GK_CADENCE_NONE = 0,  /* no baseline */
  GK_CADENCE_RUNS,      /* recent runs (the load report's cadence fit) */
  GK_CADENCE_CAPTURE    /* a gait capture's measured cadence */
} gk_cadence_origin;

/*
** Everything the plan is built from.  Initialise with gk_plan_input_init
** (every number NaN, every pointer NULL), then fill what exists.
** Pointers are borrowed for the duration of gk_plan_build only.
*/
typedef struct gk_plan_input {
  int64_t day;                 /* today, Unix days */

  const gk_intake *intake;     /* NULL: no intake answers */
  const gk_intake_result *intake_result; /* gk_intake_assess of intake
                                  (red flags, refer, AKPS, intake findings,
                                  which the plan takes from here); NULL:
                                  not assessed */

  const gk_screen *screen;     /* NULL: no screen answers */

  /* The findings of every other source (screen, load, pain, gait), in any
     order; duplicates by code (with the intake's too) are merged, the most
     severe kept. */
  const gk_finding *findings;
  size_t n_findings;

  /* Cadence baseline: steps/min, and the speed it belongs to (m/s; NaN
     when not known). */
  double cadence_baseline_spm;
  double cadence_speed_mps;
  gk_cadence_origin cadence_origin;

  /* From the load report (gk_plan_input_from_load). */
  int load_known;              /* 1: the run history was read (even if it
                                  holds no run); 0: not available */
  double longest_run_30d_m;    /* NaN: no run in the 30 days before day */
  int64_t break_from, break_to; /* the most recent break (more than 7 days
                                  without a run), INT64_MIN when none */
  int break_ongoing;           /* 1: no run since the break began */
  double longest_run_30d_since_break_m; /* the longest run of the 30 days
                                  before day after that break; NaN when
                                  none (always while the break goes on) */
  size_t pain_entries_14d;     /* pain log entries in the last 14 days */
  double pain_during_14d_max;  /* highest pain during a run, last 14 days;
                                  NaN when none logged */
  double pain_morning_14d_max; /* highest next-morning pain; NaN */

  /* The clinician's entries on or before day (gaitkeeper/clinician.h),
     oldest first, each checked by gk_clinician_check; applied over the
     computed plan and shown as the clinician's (gk_plan.clinician). */
  const gk_clinician_entry *clinician;
  size_t n_clinician;

  /* Following the runner over weeks (docs/PLAN.md, "Over weeks"). */
  int64_t last_run_day;        /* the latest run on or before day;
                                  INT64_MIN: none (gk_plan_input_from_load) */
  const gk_load_run *runs;     /* the run history, any order (borrowed;
                                  walk/run progression); may be NULL */
  size_t n_runs;
  const gk_pain_entry *pain;   /* the pain log (borrowed; set by
                                  gk_plan_input_from_load); may be NULL */
  size_t n_pain;
  /* The cadence target in force (stored by gk_assess_keep), or NULL; its
     baseline replaces cadence_baseline_spm while it is in force.  The runs
     after the day it was set, how each held it, oldest first. */
  const gk_cadence_target *cadence_set;
  const gk_cadence_hold *cadence_runs;
  size_t n_cadence_runs;
  /* The exercise log (gaitkeeper/exercise_log.h), in any order; sessions
     after day are ignored.  Each exercise's step, adherence and change
     come from these (gk_exercise_progress_of). */
  const gk_exercise_session *sessions;
  size_t n_sessions;
  /* When each test was last done, for the re-test reminders (gk_plan.
     retests): the day of the latest intake answers, screen answers and
     gait capture (INT64_MIN: none), and the intake's Kujala score (NaN:
     none, or not every item answered). */
  int64_t intake_day, screen_day, capture_day;
  double akps;
} gk_plan_input;

/* Every number NaN, every pointer NULL, counts 0, day 0, the other days
   INT64_MIN. */
GK_API void gk_plan_input_init(gk_plan_input *in /* OUT */);

/*
** Fill the load-derived members of in from a load report (load_known 1):
** the longest run in the 30 days before r->day, pain entries in the last
** 14 days (r->day-13 .. r->day)
** (pain/n_pain: the log the report was made from; may be NULL/0), the
** highest pain scores, and the cadence baseline (the fit's cadence at its
** reference speed when there is a line, else the mean of the runs; origin
** GK_CADENCE_RUNS).  The report's findings are not touched: the caller puts
** them, with every other source's, into in->findings.
*/
GK_API void gk_plan_input_from_load(gk_plan_input *in,
                                    const gk_load_report *r,
                                    const gk_pain_entry *pain, size_t n_pain);

/* ---- gait captures -------------------------------------------------------- */

/*
** A stored gait analysis (the JSON of gk_gait_write_json, as the store
** keeps it) reduced to what the plan needs: its findings (codes, severity,
** values, text, source, evidence_note) and summary cadence and speed.  The
** strings are owned by the result.  Free with gk_plan_gait_free.
*/
#define GK_PLAN_GAIT_MAX_FINDINGS 32
typedef struct gk_plan_gait {
  size_t n_findings;
  gk_finding findings[GK_PLAN_GAIT_MAX_FINDINGS];
  double cadence_spm;  /* summary cadence_spm (mean or value); NaN */
  double speed_mps;    /* NaN */
  void *strings_;      /* private */
} gk_plan_gait;

/*
** Parse untrusted gait-analysis JSON text (len bytes, no NUL needed).
** Returns GK_OK and *out, or GK_E_CORRUPT (not JSON, or not an object; err
** names the problem and byte offset), GK_E_LIMIT (over 64 MiB) or
** GK_E_NOMEM.  Findings without a string "code" are skipped; at most
** GK_PLAN_GAIT_MAX_FINDINGS are kept.
*/
GK_API gk_status gk_plan_gait_parse(const char *json, size_t len,
                                    gk_plan_gait **out /* OUT */,
                                    gk_err *err /* OUT, optional */);
GK_API void gk_plan_gait_free(gk_plan_gait *g);

/* ---- the plan ------------------------------------------------------------- */

#define GK_PLAN_STAGE_REFER 0 /* a red flag: see a clinician first */

typedef struct gk_plan_gate {
  int stage;             /* the stage this gate leads out of (1..4) */
  const char *name;      /* stable key, e.g. "pain_during_running" */
  const char *label;     /* plain words */
  int met;               /* 1 met, 0 not met, -1 unknown (not measured) */
  double value;          /* the measured value; NaN when unknown */
  double target;         /* the target */
  const char *unit;      /* "/10", "cm", "reps", ... */
  const char *cmp;       /* "<=", ">=", "==" (value cmp target) */
  const char *source;    /* evidence */
  const char *evidence_note; /* where the evidence is weak; or NULL */
  const char *how_to_measure; /* plain words: how to find out an unknown
                                 gate; or NULL */
  const char *from;      /* what measures it: "screen", "intake", "pain
                            log" or "runs" (data/stages.json) */
} gk_plan_gate;

typedef struct gk_plan_exercise {
  const char *id, *name, *dose, *progression, *regression, *instructions,
      *source;
  size_t n_why;
  const char *why[8];    /* the finding codes (or gate.<name>, stage.<n>,
                            "clinician") that call for it */
  int by_clinician;      /* 0 computed; 1 added by the clinician; 2 its dose
                            set by the clinician */
  /* From the exercise log (gk_exercise_progress_of): this week's step
     (1..n_steps, after change) with its name and dose, sessions in the
     last 14 days, adherence (0..1, NaN when none was ever logged), change
     (+1 move up, -1 step back, 0 stay) and next (plain words: when to move
     up, or why it stepped back). */
  int step, n_steps;
  const char *step_name, *step_dose;
  size_t sessions_14d;
  double adherence;
  int change;
  const char *next;
} gk_plan_exercise;

typedef struct gk_plan_finding {
  gk_finding f;          /* strings point into the plan */
  const char *origin;    /* "intake", "screen", "load", "pain", "gait",
                            "plan" */
  const char *chain;     /* the chain it belongs to, plain words; or NULL */
  const char *chain_id;  /* e.g. "hip_control"; or NULL */
  const char *chain_source;
  const char *how_sure;  /* plain words on the strength of the evidence */
} gk_plan_finding;

typedef enum gk_run_mode {
  GK_RUN_STOP = 0,       /* red flag: no running until assessed */
  GK_RUN_PAUSE_THEN_WALK_RUN, /* pain over the limits: a pause of at most
                                 rest_days_max days, then walk/run */
  GK_RUN_WALK_RUN,       /* walk/run return phases */
  GK_RUN_CONTINUE_CAPPED, /* running continues inside the pain limits and
                            the single-run cap */
  GK_RUN_NOT_YET         /* no running prescription: a gate the method puts
                            before running (pain limits; deep squat and
                            lunge without pain) is not met or not known */
} gk_run_mode;

typedef struct gk_plan_running {
  gk_run_mode mode;
  int phase;             /* walk/run phase to start at (1..n_phases); 0
                            when not walk/run */
  int n_phases;
  int rest_days_max;     /* never more than 7 */
  double max_single_run_m; /* cap: 1.1 x the longest run of the 30 days
                              before, counting only runs after the latest
                              break; NaN unless mode is CONTINUE_CAPPED */
  double cap_factor;     /* 1.1 */
  const char *text;      /* plain words */
  /* Walk/run progression over the runs since the latest break: each phase
     twice inside the pain limits moves one phase up, a flare one down. */
  int phase_change;      /* +1 moved up, -1 stepped back, 0 neither (at the
                            latest counted run) */
  int phase_runs_done;   /* runs done at the current phase so far */
  const char *phase_rule; /* plain words: why this phase; or NULL */
  /* Rest: days since the latest run (today counts); -1 when no run. */
  int days_without_running;
  const char *rest_alert; /* "Day 6 without running: ..." from the alert
                            day on (data/running.json rest_alert); NULL */
} gk_plan_running;

typedef struct gk_plan_cadence {
  double baseline_spm;   /* NaN when unknown */
  double baseline_speed_mps; /* the baseline's speed; NaN when unknown */
  double target_spm;     /* +5%: NaN when no retraining is called for or
                            no baseline */
  double later_target_spm; /* up to +10% (never more); NaN as target */
  double expected_spm;   /* typical cadence at the baseline's speed; NaN */
  int retrain;           /* 1 retraining called for, 0 not, -1 unknown */
  int deferred;          /* 1: called for, but no running is prescribed
                            yet, so no target is given (target NaN) */
  const char *origin;    /* "runs", "gait capture" or NULL */
  char reason[256];      /* why (or why not), plain words */
  /* The closed loop (data/running.json cadence.hold), once a target is
     in force. */
  int64_t set_day;       /* the day the target in force was set; INT64_MIN
                            when it is new (not stored yet) or none */
  size_t runs_since;     /* runs after set_day */
  double mean_spm;       /* the mean of the last hold.runs runs' means */
  double share_within;   /* their running minutes within +/- 3, pooled */
  double fade_spm;       /* their mean fade */
  int held;              /* 1 held, 0 not yet, -1 not judged (no target) */
  double next_target_spm; /* the later target, once held and pain allows;
                            NaN */
  char loop[384];        /* plain words: how the target is being held */
} gk_plan_cadence;

/* A clinician's entry as the plan applied it. */
typedef struct gk_plan_clinician {
  gk_clinician_entry entry;
  int applied;           /* 1 it changed the plan (or is a note/finding);
                            0 not (effect says why) */
  const char *effect;    /* plain words: what it changed, or why not */
} gk_plan_clinician;

/* A test to repeat (data/retests.json; docs/PLAN.md, "Re-tests"). */
typedef struct gk_plan_retest {
  const char *test;      /* "akps", "screen" or "gait_capture" */
  const char *name;      /* plain words: what to do */
  int64_t due_day;       /* Unix day it is due */
  int due_now;           /* 1: due_day <= the plan's day */
  const char *why;       /* plain words: why then */
  const char *source;    /* evidence */
} gk_plan_retest;

/* The plan.  Built by gk_plan_build, which owns everything it points to;
   read it, never change or copy it; free with gk_plan_free. */
typedef struct gk_plan {
  int stage;                   /* 0 refer, 1..4 */
  const char *stage_name;
  int provisional;             /* 1: a gate of an earlier stage is unknown
                                  (the stage holds if those gates are met:
                                  its conditions, gates with met -1 and
                                  stage < this stage), or none of this
                                  stage's gates is measured (the runner may
                                  be further along) */
  int refer;                   /* 1/0 */
  const char *refer_to;        /* whom to see; NULL unless refer */
  const char *urgency;         /* gk_urgency_name() of the most urgent
                                  red flag; NULL unless refer */
  size_t n_gates;              /* every stage's gates, stage by stage */
  const gk_plan_gate *gates;
  size_t n_exercises;
  const gk_plan_exercise *exercises;
  size_t n_findings;
  const gk_plan_finding *findings;
  gk_plan_running running;
  gk_plan_cadence cadence;
  size_t n_unknown;            /* what could not be judged, plain words */
  const char *const *unknown;
  size_t n_education;
  const char *const *education;
  int stage_computed;          /* the stage the gates give (0 refer); the
                                  stage itself unless the clinician set it */
  const gk_plan_clinician *stage_by_clinician; /* the entry that set the
                                  stage, or NULL */
  size_t n_clinician;          /* every entry of the input, as applied */
  const gk_plan_clinician *clinician;
  void *priv_;                 /* private */
  size_t n_retests;            /* the tests to repeat, in data/retests.json
                                  order (none for stage 0) */
  const gk_plan_retest *retests;
} gk_plan;

/*
** Build the plan.  in->day must be within GK_DAY_MIN..GK_DAY_MAX.
** Returns GK_OK and *out (free with gk_plan_free), GK_E_ARG (NULL in/out,
** day out of range, a NULL array with a count), GK_E_CORRUPT (a data/ file
** is malformed: a build defect; err names the file and key) or GK_E_NOMEM.
** Thread-safe: no shared state.
*/
GK_API gk_status gk_plan_build(const gk_plan_input *in,
                               gk_plan **out /* OUT */,
                               gk_err *err /* OUT, optional */);
/* Free a plan.  NULL is a no-op. */
GK_API void gk_plan_free(gk_plan *p);

/*
** The plan as one JSON object (no newline).  Members, in this order:
**   "stage" (0 refer, 1..4), "stage_name",
**   "gates": [{"name", "met" (true/false/null), "value" (null unknown),
**              "target", "label", "unit", "comparison", "source",
**              "evidence_note"}]  -- the current stage's gates to the next
**              (empty for stage 0),
**   "exercises": [{"id", "name", "dose", "why": [codes], "instructions",
**                  "progression", "regression", "source", "by_clinician",
**                  "step", "n_steps", "step_name", "step_dose",
**                  "sessions_14d", "adherence", "change", "next"}],
**   "running": {"mode" ("stop", "pause_then_walk_run", "walk_run",
**               "continue_capped"), "text", "phase", "phases": [{"phase",
**               "walk_min", "run_min", "repeats", "total_km", "rpe"}],
**               "progression_rules": [...], "rest_days_max",
**               "max_single_run_m", "cap_factor", "pain_limits": {...}},
**   "cadence": {"baseline_spm", "target_spm", "later_target_spm",
**               "expected_spm", "retrain" (true/false/null), "origin",
**               "reason", "source"},
**   "refer" (true/false),
**   "findings": [finding objects (gaitkeeper/finding.h) with "origin",
**                "chain", "chain_id", "chain_source", "how_sure"],
**   then "refer_to", "urgency", "provisional", "all_gates": [every stage's
**   gates, each with "stage"], "unknown": [...], "education": [...],
**   ..., and last "retests": [{"test", "name", "due" (date), "due_now",
**   "why", "source"}].
** NaN numbers are null.  docs/PLAN.md documents every member.
*/
GK_API void gk_plan_write_json(const gk_plan *p, gk_buf *b);

/* The name of a run mode as in the JSON ("stop", ...). */
GK_API const char *gk_run_mode_name(gk_run_mode m);

/* ---- exports -------------------------------------------------------------- */

/* The walk/run phases of data/running.json, for exports: phase i (1-based)
   of gk_plan_walk_run_phases(). */
typedef struct gk_walk_run_phase {
  int phase;
  double walk_min, run_min; /* run_min 0..; walk_min 0 = continuous run */
  int repeats;              /* walk/run pairs (1 for a continuous run) */
  double continuous_min;    /* for a continuous run; else 0 */
  double total_km;
  int rpe;                  /* 0..10 */
} gk_walk_run_phase;

/* The number of phases (filling up to max into out); 0 when the data file
   is malformed. */
GK_API size_t gk_plan_walk_run_phases(gk_walk_run_phase *out, size_t max);

/*
** The steps of a watch workout (gaitkeeper/fit_workout.h) for walk/run
** phase `phase` (1..the number of phases): a 5-minute warm-up walk, the
** phase's walk/run pairs (or its continuous run), a 5-minute cool-down
** walk.  target_spm > 0 puts a cadence target of target_spm +/- 3
** steps/min on every running step (NaN or 0: none).  Fills up to max steps
** and writes the workout's name ("Walk-run N") into name (GK_WKT_NAME_MAX
** bytes).  Returns the number of steps, 0 for a phase that does not exist
** or when max is too small.
*/
GK_API size_t gk_plan_phase_workout(int phase, double target_spm,
                                    gk_workout_step *steps, size_t max,
                                    char name[GK_WKT_NAME_MAX]);

/*
** The cadence workout: a 10-minute easy warm-up, 5 x (3 minutes at
** target_spm +/- 3 steps/min, 2 minutes easy), a 5-minute cool-down.
** Returns the number of steps (0 when target_spm is outside 60..260 or max
** is too small).
*/
GK_API size_t gk_plan_cadence_workout(double target_spm,
                                      gk_workout_step *steps, size_t max,
                                      char name[GK_WKT_NAME_MAX]);

/*
** The watch workouts a plan exports (`gaitkeeper plan export --fit`, the
** web app's downloads), each a file name ("walk_run_N.fit",
** "cadence_S.fit") with its workout: the walk/run phases from this week's
** on when the plan leads back to running (also before the runner is
** cleared to start them), and the cadence workout when the plan retrains
** cadence.  None when the plan refers to a clinician first.  Fills up to
** max into out; returns how many.
*/
typedef struct gk_plan_workout {
  char file[32];
  char name[GK_WKT_NAME_MAX];
  gk_workout_step steps[GK_WKT_MAX_STEPS];
  size_t n_steps;
} gk_plan_workout;
GK_API size_t gk_plan_workouts(const gk_plan *p, gk_plan_workout *out,
                               size_t max);

#ifdef __cplusplus
}
#endif

#endif /* GK_PLAN_H */
