/*
** gaitkeeper/activity.h -- the canonical model of one recorded activity.
**
** A gk_activity is what every run decoder (FIT, later GPX and TCX) produces
** and what every analysis reads: sport, start time, where it came from, a
** summary, laps, the device's sessions (legs of a multisport file) and a
** columnar series of samples.  The model knows nothing of any file format.
**
** Conventions:
**   - a missing value is NaN, never 0; a true zero is 0;
**   - cadence is in steps per minute (both feet) in *_spm fields, and only
**     for sports on foot (gk_sport_is_on_foot(), or a leg carrying running
**     dynamics); the device's own cadence per minute, whatever it counts
**     (one-leg strides, crank revolutions, strokes), is kept in *_rpm fields;
**   - times inside the activity are seconds relative to start_time;
**   - every summary field that was computed from the samples rather than
**     reported by the device has its bit set in gk_summary.computed.
**
** Memory: an activity owns its struct, one block for the whole series, one
** array of laps and one of sessions (and the path, if set); all of it is
** freed by gk_activity_free().  An activity is a value: not thread-safe to
** modify, safe to read from several threads.
*/
#ifndef GK_ACTIVITY_H
#define GK_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- hard limits and thresholds ---------------------------------------- */

#define GK_MAX_SAMPLES (1u << 21) /* samples per activity: 24 days at 1 Hz */
#define GK_MAX_LAPS 4096u         /* laps per activity */
#define GK_MAX_SESSIONS 256u      /* sessions (multisport legs) */
#define GK_NAME_MAX 48            /* bytes of a name buffer, NUL included */

/* A sample is moving when its speed exceeds this (or, without speed, when
   the distance covered since the previous sample does). */
#define GK_MOVING_SPEED_MPS 0.5
/* A gap between two samples longer than this is a pause: it counts toward
   elapsed time, not timer or moving time (unless the distance covered
   shows motion). */
#define GK_PAUSE_GAP_S 30.0
/* Computed ascent and descent ignore altitude changes smaller than this. */
#define GK_ELEVATION_DEADBAND_M 3.0

/* ---- summary ------------------------------------------------------------ */

/* The summary fields, in order: X(ID, name).  Units are in the names. */
#define GK_SUMMARY_FIELDS(X)                                                  \
  X(DISTANCE_M, distance_m)             /* total distance */                 \
  X(ELAPSED_S, elapsed_s)               /* start to end, pauses included */  \
  X(TIMER_S, timer_s)                   /* timer running */                  \
  X(MOVING_S, moving_s)                 /* moving (GK_MOVING_SPEED_MPS) */   \
  X(ASCENT_M, ascent_m)                 /* total climb */                    \
  X(DESCENT_M, descent_m)               /* total descent */                  \
  X(AVG_HR, avg_hr)                     /* heart rate, beats/min */          \
  X(MAX_HR, max_hr)                                                          \
  X(AVG_CADENCE_SPM, avg_cadence_spm)   /* steps/min, both feet; on foot */  \
  X(MAX_CADENCE_SPM, max_cadence_spm)                                        \
  X(AVG_CADENCE_RPM, avg_cadence_rpm)   /* device cadence as recorded */     \
  X(MAX_CADENCE_RPM, max_cadence_rpm)                                        \
  X(AVG_SPEED_MPS, avg_speed_mps)       /* distance / timer time */          \
  X(MAX_SPEED_MPS, max_speed_mps)                                            \
  X(AVG_POWER_W, avg_power_w)                                                \
  X(AVG_STANCE_TIME_MS, avg_stance_time_ms) /* ground contact time */        \
  X(AVG_VERTICAL_OSCILLATION_MM, avg_vertical_oscillation_mm)                \
  X(AVG_STEP_LENGTH_MM, avg_step_length_mm)                                  \
  X(AVG_VERTICAL_RATIO_PCT, avg_vertical_ratio_pct) /* VO / step length */   \
  X(STANCE_BALANCE_LEFT_PCT, stance_balance_left_pct) /* left share of GCT */\
  X(TOTAL_STEPS, total_steps)           /* steps, both feet; on foot */      \
  X(CALORIES, calories)                 /* kcal */

/* Field indices: GK_SUM_DISTANCE_M ... ; GK_SUM_COUNT fields in all. */
enum gk_summary_field {
#define GK__SUM_ENUM(ID, name) GK_SUM_##ID,
  GK_SUMMARY_FIELDS(GK__SUM_ENUM)
#undef GK__SUM_ENUM
  GK_SUM_COUNT
};

typedef struct gk_summary {
#define GK__SUM_MEMBER(ID, name) double name;
  GK_SUMMARY_FIELDS(GK__SUM_MEMBER)
#undef GK__SUM_MEMBER
  /* Bit (1u << GK_SUM_<ID>) set: the value was computed from the samples,
     not reported by the device. */
  uint32_t computed;
} gk_summary;

/* ---- series ------------------------------------------------------------- */

/* The sample columns, in order: X(name).  Units are in the names. */
#define GK_SERIES_COLUMNS(X)                                                  \
  X(time_s)                  /* seconds since start_time (may be < 0) */     \
  X(distance_m)              /* cumulative distance */                       \
  X(speed_mps)                                                               \
  X(hr_bpm)                                                                  \
  X(cadence_spm)             /* steps/min, both feet; NaN unless on foot */  \
  X(cadence_rpm)             /* device cadence as recorded */                \
  X(altitude_m)                                                              \
  X(lat_deg)                 /* WGS84 degrees */                             \
  X(lon_deg)                                                                 \
  X(power_w)                                                                 \
  X(vertical_oscillation_mm)                                                 \
  X(stance_time_ms)          /* ground contact time */                       \
  X(stance_balance_left_pct) /* left share of ground contact time */         \
  X(step_length_mm)                                                          \
  X(vertical_ratio_pct)      /* vertical oscillation / step length */

enum gk_series_column {
#define GK__COL_ENUM(name) GK_COL_##name,
  GK_SERIES_COLUMNS(GK__COL_ENUM)
#undef GK__COL_ENUM
  GK_COL_COUNT
};

/* One sample as a row: used to append to a series. */
typedef struct gk_sample {
#define GK__COL_MEMBER(name) double name;
  GK_SERIES_COLUMNS(GK__COL_MEMBER)
#undef GK__COL_MEMBER
} gk_sample;

/* The samples as columns, each of n values, in recording order. */
typedef struct gk_series {
  size_t n;
#define GK__COL_PTR(name) double *name;
  GK_SERIES_COLUMNS(GK__COL_PTR)
#undef GK__COL_PTR
} gk_series;

/* ---- laps, sessions, source --------------------------------------------- */

typedef struct gk_lap {
  double start_s;   /* seconds since the activity's start_time */
  double elapsed_s;
  double timer_s;
  double distance_m;
  double avg_hr;
  double max_hr;
  double avg_cadence_spm; /* steps/min; NaN unless on foot */
  double avg_cadence_rpm; /* device cadence as recorded */
  double avg_speed_mps;
  int32_t session; /* index in sessions[], or -1 */
} gk_lap;

/* One session: a leg of a multisport file, or the whole of a single-sport
   one. */
typedef struct gk_session {
  char sport[GK_NAME_MAX];     /* e.g. "running"; "" when unknown */
  char sub_sport[GK_NAME_MAX]; /* e.g. "trail"; "" when unknown */
  double start_s;              /* seconds since the activity's start_time */
  int on_foot;                 /* cadence converted to steps/min */
  uint32_t first_lap;          /* laps[first_lap .. first_lap + n_laps) */
  uint32_t n_laps;
  size_t first_sample;         /* series rows [first_sample, + n_samples): */
  size_t n_samples;            /* from its start to the next session's */
  gk_summary summary;
} gk_session;

typedef struct gk_source {
  char format[8];                 /* "fit" */
  char manufacturer[GK_NAME_MAX]; /* "garmin", or the number; "" unknown */
  char product[GK_NAME_MAX];      /* "fenix5", or the number; "" unknown */
  char product_name[GK_NAME_MAX]; /* free text from the file; often "" */
  uint64_t serial;                /* 0 when unknown */
  uint64_t content_hash;          /* gk_fnv1a64() of the file's bytes */
  char *path;                     /* NULL unless gk_activity_set_path() */
} gk_source;

/* gk_activity.flags */
#define GK_ACT_START_UNKNOWN 0x01u /* start_time is not UTC: it holds the
                                      device's own seconds (since power-on),
                                      or 0 when the file has no time at all */
#define GK_ACT_TIME_BACKWARDS 0x02u /* some sample is earlier than the one
                                       before it (kept in file order) */
#define GK_ACT_HR_MERGED 0x04u /* some heart rates came from a separate HR
                                  stream (see stats.hr_filled) */
#define GK_ACT_DEVICE_SUMMARY 0x08u /* the summary starts from the device's
                                       own session summaries */
#define GK_ACT_PARTIAL 0x10u /* the file is damaged: the activity holds what
                                was read before the damage */

/* Counts of what the reader did with the source's data points. */
typedef struct gk_activity_stats {
  uint32_t records;         /* data points read from the file */
  uint32_t merged;          /* merged into the previous sample (same time) */
  uint32_t empty;           /* dropped: a time and no value at all */
  uint32_t untimed;         /* dropped: no time */
  uint32_t hr_filled;       /* samples whose HR came from the HR stream */
  uint32_t hr_points;       /* HR points in that stream (gap fill included) */
  uint32_t hr_skipped;      /* HR stream entries that could not be placed */
} gk_activity_stats;

typedef struct gk_activity {
  char sport[GK_NAME_MAX];     /* "running", "multisport", ...; "" unknown */
  char sub_sport[GK_NAME_MAX]; /* "trail", "generic", ...; "" unknown */
  int64_t start_time;          /* Unix seconds, UTC (see GK_ACT_START_UNKNOWN) */
  uint32_t flags;              /* GK_ACT_* */
  gk_source source;
  gk_summary summary; /* the whole activity (all sessions) */
  gk_lap *laps;
  size_t n_laps;
  gk_session *sessions; /* in time order */
  size_t n_sessions;
  gk_series series;
  gk_activity_stats stats;
} gk_activity;

/* ---- construction (for readers) ---------------------------------------- */

/*
** A new, empty activity: no samples, laps or sessions; names ""; summary
** all NaN; start_time 0.  alloc may be NULL (libc).  Returns GK_OK and
** stores it in *out, or GK_E_NOMEM / GK_E_ARG.
*/
GK_API gk_status gk_activity_new(gk_activity **out /* OUT */,
                                 const gk_alloc *alloc);

/* Free an activity and everything it owns.  NULL is a no-op. */
GK_API void gk_activity_free(gk_activity *a);

/* Set every field of s (or of a summary) to NaN (computed bits to 0). */
GK_API void gk_sample_clear(gk_sample *s);
GK_API void gk_summary_clear(gk_summary *s);

/* Append one sample, lap or session (copied).  GK_E_LIMIT past
   GK_MAX_SAMPLES / GK_MAX_LAPS / GK_MAX_SESSIONS, GK_E_NOMEM.  Samples grow
   by doubling: appending is amortized O(1). */
GK_API gk_status gk_activity_add_sample(gk_activity *a, const gk_sample *s);
GK_API gk_status gk_activity_add_lap(gk_activity *a, const gk_lap *lap);
GK_API gk_status gk_activity_add_session(gk_activity *a,
                                         const gk_session *s);

/* Drop the samples whose every column but time_s is NaN; returns how many
   were dropped.  Keeps the order of the others. */
GK_API size_t gk_activity_drop_empty_samples(gk_activity *a);

/* Copy path into the activity's source (replacing any earlier one). */
GK_API gk_status gk_activity_set_path(gk_activity *a, const char *path);

/* Great-circle distance in metres between two WGS84 positions (degrees):
   the haversine formula on a sphere of the mean Earth radius (IUGG R1,
   6371008.8 m); within about 0.5% of the ellipsoid. */
GK_API double gk_haversine_m(double lat1, double lon1, double lat2,
                             double lon2);

/* ---- summaries ---------------------------------------------------------- */

/*
** Compute a summary from samples [first, first + n) of a's series, every
** value marked computed.  on_foot says whether the samples' cadence counts
** steps (for total_steps).  Rules (see docs/FORMATS.md):
**   distance   last distance minus the last one before the range (0 when
**              none); without distances, the sum of great-circle distances
**              between positions;
**   elapsed    last time minus first time;
**   timer      sum of the gaps between samples, except pauses: gaps
**              longer than GK_PAUSE_GAP_S over which the distance grew
**              slower than GK_MOVING_SPEED_MPS (or is unknown);
**   moving     sum of those gaps that end in a moving sample (speed above
**              GK_MOVING_SPEED_MPS, or distance covered faster than that
**              when there is no speed, or for the long gaps);
**   ascent/descent  altitude changes past a GK_ELEVATION_DEADBAND_M band;
**   averages   time-weighted (each sample weighs the gap before it, up to
**              GK_PAUSE_GAP_S; a plain mean when no sample has weight);
**              cadence over moving samples with cadence > 0; running
**              dynamics over values > 0; avg speed = distance / timer;
**   maxima     over all samples;
**   total_steps  steps/min integrated over the timer gaps (on foot only);
**   calories   never computed (NaN).
*/
GK_API void gk_activity_summarize(const gk_activity *a, size_t first,
                                  size_t n, int on_foot,
                                  gk_summary *out /* OUT */);

/* Fill every NaN field of dst from src, carrying src's computed bit. */
GK_API void gk_summary_fill(gk_summary *dst, const gk_summary *src);

/*
** Combine n summaries of consecutive parts (e.g. multisport legs) into one:
** totals (distance, times, ascent, descent, steps, calories) are summed,
** maxima are the largest, averages are weighted by each part's timer time
** (elapsed time when the timer is missing) over the parts that have them;
** avg speed is total distance / total timer when both are known for every
** part.  An average only one part has is copied exactly; one summary is
** copied as is.  A field none of the parts has stays NaN; a computed bit is
** set when any part that contributed had it set.
*/
GK_API void gk_summary_combine(gk_summary *dst /* OUT */,
                               const gk_summary *parts, size_t n);

/* ---- helpers ------------------------------------------------------------ */

/* 1 for the sports whose cadence counts steps: "running", "walking",
   "hiking" (FIT profile names); 0 otherwise. */
GK_API int gk_sport_is_on_foot(const char *sport);

/* 64-bit FNV-1a (offset basis 0xcbf29ce484222325, prime 0x100000001b3). */
GK_API uint64_t gk_fnv1a64(const void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* GK_ACTIVITY_H */
