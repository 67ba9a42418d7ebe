/*
** gaitkeeper/load.h -- training load and pain: weekly volume, the longest
** run in the prior 30 days, and the load and pain findings, from a list of
** runs and a pain log.  Pure analysis: no files, no store, no printing.
** Every rule, its threshold and its evidence are listed in docs/METRICS.md
** ("Training load", "Pain"); the thresholds themselves, each next to its
** citation, are in src/load/load_rules.c.
**
** Days: all dates are UTC calendar days, counted as Unix days (days since
** 1970-01-01; day 0 was a Thursday).  A run belongs to the UTC day of its
** start time; weeks start on Monday.  No local time, no daylight saving.
*/
#ifndef GK_LOAD_H
#define GK_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/finding.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The range of days gk_load_analyze accepts: 1900-01-01 .. 9999-12-31. */
#define GK_DAY_MIN (-25567)
#define GK_DAY_MAX 2932896
/* History limit: runs more than this many days before the analysed day are
   ignored (about 100 years); it bounds the one day array the analysis
   allocates. */
#define GK_LOAD_MAX_HISTORY_DAYS 36525

/* One run, as the load rules see it.  NaN where absent. */
typedef struct gk_load_run {
  int64_t id;            /* the store's id (0 when not stored) */
  int64_t start_time;    /* Unix seconds, UTC */
  double distance_m;
  double duration_s;     /* timer time, else elapsed */
  double avg_cadence_spm;
  double avg_speed_mps;
} gk_load_run;

/* One pain log entry.  Pain scores 0..10; -1 when not given (any value
   outside 0..10 is treated as not given). */
typedef struct gk_pain_entry {
  int64_t id;
  int64_t day;           /* Unix days (days since 1970-01-01) */
  int during;            /* pain during the run */
  int after;             /* after it */
  int morning;           /* the next morning */
  double onset_km;       /* where in the run it began; NaN when not given */
  int64_t activity_id;   /* the run, or 0 */
  char note[256];
} gk_pain_entry;

typedef struct gk_load_week {
  int64_t week_start;    /* Unix day of the Monday */
  double distance_m;     /* runs without a distance count as 0 */
  double duration_s;     /* runs without a duration count as 0 */
  int runs;
} gk_load_week;

/* One run in the cadence-versus-speed fit. */
typedef struct gk_cadence_point {
  int64_t activity_id;
  int64_t start_time;    /* Unix seconds, UTC */
  double speed_mps;      /* the run's average speed */
  double cadence_spm;    /* its average cadence, steps/min */
} gk_cadence_point;

/*
** The runner's cadence against speed: a least-squares line
** cadence = intercept + slope * speed over the runs of the last 90 days that
** have both, and the cadence the line gives at a reference speed (3.0 m/s),
** a baseline to set cadence targets from (+5..10%).  slope, intercept, r2
** and cadence_at_ref_spm are NaN with fewer than 5 runs or when every run
** had the same speed; mean_cadence_spm is NaN with no run.
*/
typedef struct gk_cadence_fit {
  size_t n;                  /* runs in the fit */
  int64_t window_from;       /* first day of the window (Unix days) */
  double slope_spm_per_mps;  /* steps/min per m/s */
  double intercept_spm;
  double r2;                 /* share of cadence variance the line explains */
  double mean_cadence_spm;
  double speed_min_mps;      /* the speeds the fit covers */
  double speed_max_mps;
  double ref_speed_mps;      /* 3.0 */
  double cadence_at_ref_spm;
  int ref_extrapolated;      /* 1: ref_speed_mps lies outside the speeds */
  const char *source;        /* the evidence for using it (static text) */
} gk_cadence_fit;

typedef struct gk_load_report {
  int64_t day;                 /* the day analysed (Unix days) */
  size_t n_runs;               /* runs analysed (up to day, in the history) */
  int64_t first_run_day;       /* INT64_MIN when no run */
  int64_t last_run_day;        /* INT64_MIN when no run */
  gk_load_week *weekly;        /* oldest first, every week from the first
                                  run's to day's, empty weeks included */
  size_t n_weekly;
  double longest_run_30d_m;    /* longest run on the 30 days before day
                                  (day-30 .. day-1); NaN when none */
  /* The most recent break: more than the rest-gap threshold (7) of days
     without a run, between two runs or since the last run, anywhere in the
     history (not only the rest-gap window).  INT64_MIN when none. */
  int64_t break_from;          /* its first day without a run */
  int64_t break_to;            /* its last (day itself when ongoing) */
  int break_ongoing;           /* 1: no run since; the break goes on */
  double longest_run_30d_since_break_m; /* the longest run on day-30 ..
                                  day-1 after that break (the same as
                                  longest_run_30d_m when there was none);
                                  NaN when none, always NaN while the break
                                  goes on */
  double two_week_ratio;       /* distance day-13..day / day-27..day-14;
                                  NaN when not computable */
  double acwr;                 /* EWMA 7/28-day distance ratio; NaN */
  double monotony;             /* 7-day mean / SD of daily minutes; NaN
                                  when not computable, +inf when every day
                                  had the same load */
  gk_cadence_fit cadence;
  gk_cadence_point *cadence_points; /* the runs in the fit, oldest first */
  size_t n_cadence_points;
  gk_finding *findings;        /* most severe first, then most recent
                                  first (by date_to), then by code */
  size_t n_findings;
} gk_load_report;

/*
** Analyse runs (any order) and pain entries (any order) as of day (Unix
** days; runs and entries after it are ignored, as are runs more than
** GK_LOAD_MAX_HISTORY_DAYS before it).  Fills *out; free with
** gk_load_report_free (also after a failure: *out is always left freeable).
** runs / pain may be NULL when their count is 0.
** The rules and their thresholds come from data/load_rules.json (compiled
** in; read once per process).
** Returns GK_OK, GK_E_ARG (out NULL, a NULL array with a count, day outside
** GK_DAY_MIN..GK_DAY_MAX), GK_E_NOMEM, or GK_E_CORRUPT when the compiled-in
** rules are broken (a build defect).  Thread-safe: the rules are read
** once, under pthread_once; no other shared state.
*/
GK_API gk_status gk_load_analyze(const gk_load_run *runs, size_t n_runs,
                                 const gk_pain_entry *pain, size_t n_pain,
                                 int64_t day, gk_load_report *out /* OUT */);
/* Free what a report owns and zero it.  NULL is a no-op. */
GK_API void gk_load_report_free(gk_load_report *r);

/* ---- cadence against its target --------------------------------------- */

/* A cadence target the plan set (stored, gk_store_add_cadence_target): the
   baseline it was set from stays fixed while the target is in force, so a
   retrained cadence never becomes the next baseline. */
typedef struct gk_cadence_target {
  int64_t id;            /* the store's id; 0 before it is stored */
  int64_t day;           /* the Unix day it was set */
  double baseline_spm;   /* 60..260 */
  double target_spm;     /* 60..260 */
  double speed_mps;      /* the baseline's speed; NaN unknown */
  char origin[32];       /* "runs", "gait capture", "" */
  int64_t created_at;    /* Unix seconds; 0 before it is stored */
} gk_cadence_target;

/* A minute counts as running when its mean cadence is at least this (a
   walk break of a walk/run phase, about 100-130 steps/min, does not). */
#define GK_CADENCE_RUNNING_MIN_SPM 140.0
/* "Within the target": the watch's cadence alert band, +/- 3 steps/min. */
#define GK_CADENCE_HOLD_TOL_SPM 3.0
/* The fade needs at least this many running minutes. */
#define GK_CADENCE_FADE_MIN_MINUTES 6

/* How one run held a cadence target (docs/METRICS.md, "Cadence against the
   target"). */
typedef struct gk_cadence_hold {
  int64_t activity_id;   /* set by the caller (0 from gk_cadence_hold_of) */
  int64_t day;           /* the run's Unix day */
  double target_spm;
  size_t running_minutes; /* minutes whose mean cadence is running */
  double mean_spm;       /* mean of the running minutes; the summary's
                            average cadence without a series; NaN */
  double share_within;   /* share of running minutes within +/- 3 of the
                            target, 0..1; NaN without a series */
  double fade_spm;       /* mean of the last third of the running minutes
                            minus that of the first two thirds (negative:
                            cadence fell off); NaN under 6 minutes */
} gk_cadence_hold;

/* Fill *out for run a against target_spm (60..260).  GK_OK, or GK_E_ARG
   (NULL, a target out of range; *out is zeroed with NaNs either way). */
struct gk_activity;
GK_API gk_status gk_cadence_hold_of(const struct gk_activity *a,
                                    double target_spm,
                                    gk_cadence_hold *out /* OUT */);

/* ---- the pain rule ------------------------------------------------------- */

/*
** Is pain log entry e over the pain limits (the pain.over_limit rule of
** data/load_rules.json, defined here once)?  A bit mask: GK_PAIN_FLARE_DURING
** when pain during running is over the limit (5/10), GK_PAIN_FLARE_MORNING
** when the next-morning score is worse than the latest earlier-day morning
** score of the log (by day, then id) within the lookback (7 days), which
** *before (optional) then points to.  0: inside the limits, or not known.
** pain/n: the whole log (any order; e may be one of its entries).
*/
#define GK_PAIN_FLARE_DURING 1u
#define GK_PAIN_FLARE_MORNING 2u
GK_API unsigned gk_pain_flare(const gk_pain_entry *pain, size_t n,
                              const gk_pain_entry *e,
                              const gk_pain_entry **before /* OUT, opt. */);

/* The smallest change of a 0-10 pain score that matters (data/load_rules.json
   pain.rising nprs_mcid: 1.16 points, Piva et al. 2009), and its source. */
GK_API double gk_pain_mic(const char **source /* OUT, optional */);

/* ---- days --------------------------------------------------------------- */

/* The Unix day of a proleptic Gregorian date (month 1..12, day 1..31; not
   checked). */
GK_API int64_t gk_day_from_civil(int64_t year, int month, int mday);
/* The UTC day of Unix time t (floor division: 1969-12-31T23:59:59Z is day
   -1). */
GK_API int64_t gk_day_of_time(int64_t t);
/* The Monday that starts day's week. */
GK_API int64_t gk_day_week_start(int64_t day);
/* Parse exactly "YYYY-MM-DD" (a real calendar date, year 1900..9999) into
   *day.  GK_E_ARG otherwise (*day untouched). */
GK_API gk_status gk_day_parse(const char *s, int64_t *day /* OUT */);
/* gk_day_format: gaitkeeper/json.h. */

/* ---- a pain entry as typed (the CLI's `pain add`, the web app's form) ---- */

/* The fields as text, as given; NULL or "" is not given (date: required). */
typedef struct gk_pain_fields {
  const char *date;     /* YYYY-MM-DD, a real day */
  const char *during;   /* whole numbers 0..10 */
  const char *after;
  const char *morning;
  const char *onset_km; /* a distance in km, 0..1000 */
  const char *activity; /* a run's id, 1.. */
  const char *note;     /* at most 255 bytes */
} gk_pain_fields;

/* One message per field (empty when that field is fine); `entry` is the
   whole-entry problem (nothing given at all). */
typedef struct gk_pain_field_errors {
  char date[96], during[96], after[96], morning[96], onset_km[96],
      activity[96], note[96], entry[128];
} gk_pain_field_errors;

/*
** Check and convert a pain entry typed as text into *out (id 0; scores
** not given -1, onset NaN).  The one check every face uses.  GK_OK, or
** GK_E_ARG with a plain message in each field of *errs that is wrong
** (every field is checked, not only the first bad one).  Rules: the date
** is required and a real day; scores are whole numbers 0..10 (no sign, no
** spaces); onset km a number 0..1000; activity a whole number from 1; the
** note at most 255 bytes; at least one score or a non-empty note.
** Thread-safe.
*/
GK_API gk_status gk_pain_entry_check(const gk_pain_fields *in,
                                     gk_pain_entry *out /* OUT */,
                                     gk_pain_field_errors *errs /* OUT */);

#ifdef __cplusplus
}
#endif

#endif /* GK_LOAD_H */
