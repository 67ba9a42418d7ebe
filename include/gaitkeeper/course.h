/*
** gaitkeeper/course.h -- the runner's course over weeks: the stage on each
** day something was recorded, each change of stage with the gate that moved
** it, and the measures a clinician follows (AKPS, the screen's values, the
** pain log), for the report's time line and charts.
**
** The course is worked out, not stored: every visit's plan is rebuilt as of
** its day from what the store held by then (gk_assess), so the time line
** is the same whoever asks and a record added later for an earlier day
** shows where it belongs.  The days evaluated are every day with a record
** (intake or screen answers, a clinician's entry, a pain log entry, a gait
** capture, an exercise session) from the first visit (intake or screen
** answers; the first record when there is none) and one day a week in
** between, the latest GK_COURSE_MAX_DAYS of them.  See docs/PLAN.md,
** "The course over weeks".
*/
#ifndef GK_COURSE_H
#define GK_COURSE_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most days evaluated (the latest kept): a plan per day. */
#define GK_COURSE_MAX_DAYS 240
/* Gates followed (data/stages.json has 17). */
#define GK_COURSE_MAX_GATES 32

/* One gate as the plan names it. */
typedef struct gk_course_gate {
  char name[64];
  char label[192];
  char unit[32];
  char cmp[4];
  char from[16];      /* what measures it: "screen", "intake", "pain log",
                         "runs" (data/stages.json) */
  int stage;
  double target;
} gk_course_gate;

/* The plan on one day. */
typedef struct gk_course_day {
  int64_t day;
  int stage;          /* 0 refer, 1..4; -1 when no plan could be built */
  int provisional;    /* 1/0 */
  int by_clinician;   /* 1: the clinician set the stage */
  int visit;          /* 1: intake or screen answers were given that day */
  int screened;       /* 1: screen answers were given that day */
  signed char met[GK_COURSE_MAX_GATES];  /* 1, 0, -1 unknown */
  double value[GK_COURSE_MAX_GATES];     /* NaN when unknown */
} gk_course_day;

/* A change of stage between two evaluated days. */
typedef struct gk_course_change {
  int64_t day;        /* the first day of the new stage */
  int from, to;       /* stages (0 refer) */
  int by_clinician;   /* 1: the clinician's entry set it */
  char gate[64];      /* the (first) gate that moved it ("" when none,
                         e.g. the clinician, a referral) */
  char why[800];      /* plain words, up to three gates: "Deep squat
                         without pain: met (...); Lunge ..." */
} gk_course_change;

/* An AKPS score on an intake day. */
typedef struct gk_course_akps {
  int64_t day;
  double score;       /* 0..100 */
} gk_course_akps;

typedef struct gk_course {
  int64_t today;
  size_t n_gates;
  gk_course_gate gates[GK_COURSE_MAX_GATES];
  gk_course_day *days;          /* oldest first */
  size_t n_days;
  size_t days_left_out;         /* older evaluation days beyond the limit */
  gk_course_change *changes;    /* oldest first */
  size_t n_changes;
  gk_course_akps *akps;         /* every intake with a complete AKPS */
  size_t n_akps;
  /* The minimal important changes the charts mark: AKPS (data/akps.json
     "mic", about 8-10 points, remembered) and the 0-10 pain scale
     (data/load_rules.json pain.rising nprs_mcid, Piva et al. 2009). */
  double akps_mic, pain_mic;
  const char *akps_mic_source, *pain_mic_source;
  /* Stored answers that cannot be read (the plan of their days is built
     without them, as gk_assess says in its notes): the first
     GK_COURSE_MAX_UNREADABLE, and how many in all. */
  size_t n_unreadable, unreadable_total;
  struct {
    int64_t day;
    char kind[8];      /* "intake", "screen" */
    char why[160];
  } unreadable[8];
  int oom_;
} gk_course;

/*
** Work out the course of store's runner up to today (a Unix day within
** GK_DAY_MIN..GK_DAY_MAX) into *out (zeroed first; free with
** gk_course_free whatever it returns).  GK_OK (an empty store: no days),
** GK_E_ARG, GK_E_NOMEM or the store's status (err names what was being
** read).
*/
GK_API gk_status gk_course_build(gk_store *store, int64_t today,
                                 gk_course *out /* OUT */,
                                 gk_err *err /* OUT, optional */);
GK_API void gk_course_free(gk_course *c);

/*
** The course as one JSON object (no newline):
**   {"today", "gates": [{"name", "label", "unit", "comparison", "from",
**    "stage", "target"}], "days": [{"date", "stage", "provisional", "by_clinician",
**    "visit", "screen", "met": [true/false/null per gate], "value": [number/null per
**    gate]}], "days_left_out", "changes": [{"date", "from", "to",
**    "by_clinician", "gate", "why"}], "akps": [{"date", "score"}],
**    "akps_mic", "akps_mic_source", "pain_mic", "pain_mic_source",
**    "unreadable": [{"date", "kind", "why"}], "unreadable_total"}
** NaN numbers are null.  docs/PLAN.md documents it.
*/
GK_API void gk_course_write_json(const gk_course *c, gk_buf *b);

#ifdef __cplusplus
}
#endif

#endif /* GK_COURSE_H */
