/*
** gaitkeeper/exercise_log.h -- the exercise log: one session is one day's
** dose of one exercise of data/exercises.json (its step, sets, reps or
** hold, load, pain during the exercise), and the progression rules that
** read the log: this week's step of each exercise, adherence, and when to
** move up or step back (data/exercises.json "progression"; docs/PLAN.md).
**
** Every face records a session the same way: gk_exercise_session_check
** here, then gk_record_session (gaitkeeper/assess.h), which checks and
** stores it.  Pure functions: no files, no store, no printing.
*/
#ifndef GK_EXERCISE_LOG_H
#define GK_EXERCISE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named limits of a session (gk_exercise_session_check). */
#define GK_EXERCISE_ID_MAX 64      /* bytes of an id, with the NUL */
#define GK_EXERCISE_NOTE_MAX 256   /* bytes of a note, with the NUL */
#define GK_EXERCISE_MAX_STEPS 4    /* steps of one exercise */
#define GK_EXERCISE_MAX_SETS 20
#define GK_EXERCISE_MAX_REPS 200   /* per set */
#define GK_EXERCISE_MAX_HOLD_S 3600
#define GK_EXERCISE_MAX_LOAD_KG 500.0

typedef struct gk_exercise_session {
  int64_t id;                      /* the store's id; 0 before it is stored */
  int64_t day;                     /* Unix day it was done */
  char exercise_id[GK_EXERCISE_ID_MAX]; /* an id of data/exercises.json */
  int step;                        /* 1..the exercise's steps */
  int sets;                        /* 0..GK_EXERCISE_MAX_SETS done */
  int reps;                        /* per set, 0..; -1 not given (a hold) */
  int hold_s;                      /* seconds per hold, 0..; -1 not given */
  double load_kg;                  /* added weight; NaN none or not given */
  int pain;                        /* during the exercise 0..10; -1 none */
  char note[GK_EXERCISE_NOTE_MAX];
  int64_t created_at;              /* Unix seconds; set by the store */
} gk_exercise_session;

/* Everything "not given": step 1, sets 0, reps/hold/pain -1, load NaN. */
GK_API void gk_exercise_session_init(gk_exercise_session *s /* OUT */);

/*
** Check a session before it is stored: the exercise id is one of
** data/exercises.json, the step within its steps, day within GK_DAY_MIN..
** GK_DAY_MAX, sets/reps/hold/load/pain within the limits above, the
** strings terminated.  GK_OK, or GK_E_ARG with err's message naming the
** field (e.g. "step: bridge has steps 1 to 4 (got 7)"); for an unknown id,
** GK_E_NOT_FOUND.
*/
GK_API gk_status gk_exercise_session_check(const gk_exercise_session *s,
                                           gk_err *err /* OUT, optional */);

/* A session as typed (command-line options, a form's fields): NULL or ""
   is "not given". */
typedef struct gk_exercise_fields {
  const char *exercise; /* the exercise's id, required */
  const char *date;     /* YYYY-MM-DD; not given: today */
  const char *step, *sets, *reps, *hold; /* whole numbers */
  const char *load;     /* kilograms */
  const char *pain;     /* 0..10 */
  const char *note;
} gk_exercise_fields;

/* One message per field, "" when it is fine (plain words to show beside
   the field: "a whole number from 0 to 10"); `other` for the session as a
   whole. */
typedef struct gk_exercise_field_errors {
  char exercise[160], date[160], step[160], sets[160], reps[160], hold[160],
      load[160], pain[160], note[160], other[300];
} gk_exercise_field_errors;

/*
** Read a session typed as text into *out: every field checked (not only
** the first bad one), whole numbers without sign or spaces, then the
** library's own check (gk_exercise_session_check) with its message put by
** the field it names.  What is not given is filled as a physiotherapist
** would: the step from this_week_step (the plan's step this week; 1 when
** 0), and sets, reps and hold from that step's dose.  The one reader of a
** typed session: `gaitkeeper done` and the web app's form both call it.
** GK_OK, or GK_E_ARG (GK_E_NOT_FOUND for an unknown exercise) with the
** messages in *errs.  Thread-safe.
*/
GK_API gk_status gk_exercise_session_read(const gk_exercise_fields *in,
                                          int64_t today, int this_week_step,
                                          gk_exercise_session *out /* OUT */,
                                          gk_exercise_field_errors *errs
                                          /* OUT */);

/* One step of an exercise, as data/exercises.json gives it (strings point
   into the data, valid for the life of the process). */
typedef struct gk_exercise_step {
  int step;                        /* 1-based */
  const char *name, *dose;
  int sets, reps, hold_s;          /* reps/hold_s -1 when the step has none */
  const char *load;                /* "bodyweight", "band", "weight" */
} gk_exercise_step;

/* The steps of exercise id into out[0..GK_EXERCISE_MAX_STEPS) and its
   sessions a week into *per_week (may be NULL); returns the number of
   steps, 0 for an unknown id. */
GK_API int gk_exercise_steps(const char *id,
                             gk_exercise_step out[GK_EXERCISE_MAX_STEPS],
                             int *per_week /* OUT, optional */);

/* Up to n ids of data/exercises.json closest to id (by edit distance, then
   data order) into out; returns how many (at most n). For "did you mean". */
GK_API size_t gk_exercise_close_ids(const char *id, const char **out,
                                    size_t n);

/* Where an exercise stands, from its sessions as of a day. */
typedef struct gk_exercise_progress {
  int step, n_steps;               /* this week's step (after change) */
  const char *step_name, *step_dose;
  int last_step;                   /* the latest session's step (1: none) */
  size_t sessions_14d;             /* sessions in the adherence window */
  double adherence;                /* 0..1; NaN when none ever logged */
  int change;                      /* +1 move up, -1 step back, 0 stay */
  char next[320];                  /* plain words: when to move up, or why
                                      it stepped back */
} gk_exercise_progress;

/*
** Apply the progression rules to exercise id as of day: its sessions are
** those of `sessions` with that id and a day on or before `day` (any
** order); the findings (may be NULL with 0) are searched for a pain flare
** (data/exercises.json progression.flare_codes at flare_min_severity or
** worse) dated on or after a session.  GK_OK with *out; GK_E_NOT_FOUND
** for an unknown id; GK_E_CORRUPT for a malformed data file (err names
** the file and key).  Thread-safe.
*/
GK_API gk_status gk_exercise_progress_of(const char *id, int64_t day,
                                         const gk_exercise_session *sessions,
                                         size_t n_sessions,
                                         const gk_finding *findings,
                                         size_t n_findings,
                                         gk_exercise_progress *out /* OUT */,
                                         gk_err *err /* OUT, optional */);

#ifdef __cplusplus
}
#endif

#endif /* GK_EXERCISE_LOG_H */
