/*
** gaitkeeper/gait.h -- gait analysis: from a capture (3D markers or 2D pose
** keypoints) to gait events, per-step metrics, a per-side summary and
** gait findings.  3D and 2D analyses fill the same gk_gait, so every output
** (text, JSON, store, report) reads one shape.
**
** Every metric is defined once, in docs/METRICS.md ("Gait"), with its
** units and sign convention; GK_GAIT_METRICS below is the list of them.
** A step is one stance of one foot: from its initial contact (IC) to the
** next initial contact of the other foot.  Per-step values are NaN where a
** metric cannot be computed for that step; a metric the capture cannot
** support at all (e.g. pelvic drop from a side view) is marked refused,
** with the reason in its note.
*/
#ifndef GK_GAIT_H
#define GK_GAIT_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/finding.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_side { GK_LEFT = 0, GK_RIGHT = 1 } gk_side;

/* "left", "right". */
GK_API const char *gk_side_name(gk_side s);

/*
** The gait metrics: X(ID, "json_name", "default unit").  The JSON name is
** the stable name every output uses.  A metric's unit may be replaced by
** the analysis (gk_gait_stat.unit): e.g. a 2D vertical oscillation is in
** leg lengths without the runner's height and in mm with it.
*/
#define GK_GAIT_METRICS(X)                                              \
  X(CADENCE, "cadence_spm", "steps/min")                                \
  X(STEP_TIME, "step_time_ms", "ms")                                    \
  X(CONTACT_TIME, "contact_time_ms", "ms")                              \
  X(FLIGHT_TIME, "flight_time_ms", "ms")                                \
  X(DUTY_FACTOR, "duty_factor", "fraction")                             \
  X(PELVIC_DROP, "pelvic_drop_peak_stance_deg", "deg")                  \
  X(HIP_ADDUCTION, "hip_adduction_peak_stance_deg", "deg")              \
  X(HIP_INT_ROT, "hip_internal_rotation_peak_stance_deg", "deg")        \
  X(KNEE_FLEX_IC, "knee_flexion_ic_deg", "deg")                         \
  X(KNEE_FLEX_PEAK, "knee_flexion_peak_stance_deg", "deg")              \
  X(KNEE_ABDUCTION, "knee_abduction_peak_stance_deg", "deg")            \
  X(KNEE_FPPA, "knee_fppa_peak_stance_deg", "deg")                      \
  X(ANKLE_DORSIFLEXION, "ankle_dorsiflexion_peak_stance_deg", "deg")    \
  X(FOOT_ANGLE_IC, "foot_angle_ic_deg", "deg")                          \
  X(SHANK_ANGLE_IC, "shank_angle_ic_deg", "deg")                        \
  X(OVERSTRIDE, "overstride_mm", "mm")                                  \
  X(OVERSTRIDE_LL, "overstride_leg_lengths", "leg lengths")             \
  X(LOADING_RATE, "loading_rate_bw_s", "BW/s")                          \
  X(STEP_WIDTH, "step_width", "mm")                                     \
  X(TRUNK_LEAN, "trunk_lean_deg", "deg")                                \
  X(VERTICAL_OSCILLATION, "vertical_oscillation", "mm")

typedef enum gk_gait_metric {
#define GK__GM_ENUM(id, name, unit) GK_GM_##id,
  GK_GAIT_METRICS(GK__GM_ENUM)
#undef GK__GM_ENUM
  GK_GM_COUNT
} gk_gait_metric;

/* The metric's JSON name ("cadence_spm"), default unit; NULL out of range. */
GK_API const char *gk_gait_metric_name(gk_gait_metric m);
GK_API const char *gk_gait_metric_unit(gk_gait_metric m);
/* The metric with this JSON name, or -1. */
GK_API int gk_gait_metric_find(const char *name);

/* How far a summary value can be trusted. */
typedef enum gk_quality {
  GK_QUALITY_NONE = 0, /* not computed (refused or no steps) */
  GK_QUALITY_POOR,     /* shown with a warning; no finding is drawn from it */
  GK_QUALITY_FAIR,
  GK_QUALITY_GOOD
} gk_quality;

/* "none", "poor", "fair", "good". */
GK_API const char *gk_quality_name(gk_quality q);

#define GK_GAIT_NOTE_MAX 256

/*
** The summary of one metric.  Per-side metrics (per_side 1) give the mean
** of the steps of each side (the side is the stance foot), the mean and SD
** over all steps, the step counts and the asymmetry left - right (in the
** metric's unit) and, for quantities that are always positive (times,
** cadence, loading rate), also as a percentage of the mean of the two sides.
** A whole-trial metric (per_side 0) has only `value` (and mean = value).
*/
typedef struct gk_gait_stat {
  int per_side;
  int refused;          /* 1: the capture cannot support it; note says why */
  double left, right;   /* per-side means (NaN: no step of that side) */
  double sd_left, sd_right;
  double mean, sd;      /* over all steps of both sides */
  double value;         /* whole-trial metrics */
  uint32_t n_left, n_right; /* steps with a value */
  double asymmetry;     /* left - right, metric units (NaN: a side missing) */
  double asymmetry_pct; /* 100 |L - R| / ((L + R) / 2), positive
                           quantities only; else NaN */
  gk_quality quality;
  const char *unit;     /* the unit of every value above */
  char note[GK_GAIT_NOTE_MAX]; /* reliability of the measure, or why it
                                  was refused; "" when none */
} gk_gait_stat;

/* One stance of one foot. */
typedef struct gk_gait_step {
  gk_side side;      /* the stance foot */
  double ic_s;       /* initial contact, seconds from the first frame */
  double to_s;       /* toe-off, seconds (NaN: not found) */
  double next_ic_s;  /* the other foot's next initial contact (NaN: none) */
  double v[GK_GM_COUNT]; /* per-step values; NaN where not computed */
} gk_gait_step;

/* How the events were found. */
typedef enum gk_event_source {
  GK_EVENTS_NONE = 0,
  GK_EVENTS_FORCE,    /* vertical ground reaction force, threshold */
  GK_EVENTS_MARKERS,  /* foot markers / keypoints (position, velocity) */
} gk_event_source;

#define GK_GAIT_MAX_NOTES 16

/* The result of one analysis (gk_gait_free). */
/* Where the runner ran (2D video: said in the output; given when the
   judgement from the image is unsure). */
typedef enum gk_surface {
  GK_SURFACE_UNKNOWN = 0,
  GK_SURFACE_TREADMILL,
  GK_SURFACE_OVERGROUND
} gk_surface;

/* "unknown", "treadmill", "overground". */
GK_API const char *gk_surface_name(gk_surface s);

typedef struct gk_gait {
  gk_capture_kind kind;     /* GK_CAPTURE_3D or GK_CAPTURE_2D */
  gk_capture_view view;     /* 3D, or the 2D camera's view */
  int view_detected;        /* 2D: 1 when the view was detected, not given */
  double fps;               /* point frames per second */
  size_t n_frames;
  double duration_s;
  gk_event_source events;
  double speed_mps;         /* running speed when known (treadmill belt,
                               given), else NaN */
  double height_mm, mass_kg, leg_length_mm; /* NaN when unknown */
  double time_scale_ratio;  /* 2D: the pelvis bounce's peak acceleration /
                               g (docs/METRICS.md "Timing from video");
                               NaN when not computed */
  /* 2D: treadmill or overground, given (gk_gait2d_options.surface) or
     judged from the runner's travel across the image (side views: the
     pelvis's travel in leg lengths; frontal: the change of the runner's
     size); "unsure" when the judgement falls between the two. */
  gk_surface surface;
  const char *surface_how;  /* "given", "judged", "unsure"; NULL for 3D */
  double surface_travel;    /* the measure judged from (leg lengths, or the
                               size ratio for frontal views); NaN */

  /* 3D: the lab marker set used (docs/MARKER_SETS.md), how it was
     chosen ("named", "recognised from the labels"), whether a static
     trial calibrated the model, the joint centre methods; "" for 2D */
  char marker_set[32];
  char marker_set_how[32];
  int static_trial;
  char hip_centre[24];      /* "bell1990", "harrington2007" */
  char knee_ankle_centres[24]; /* "epicondyles, malleoli", "chord" */

  size_t n_steps;
  gk_gait_step *steps;      /* in time order */
  gk_gait_stat stat[GK_GM_COUNT];

  /* Quality notes for the reader (frame rate limits, gaps filled, swaps
     repaired, markers missing); static or stored text, in order. */
  size_t n_notes;
  char notes[GK_GAIT_MAX_NOTES][GK_GAIT_NOTE_MAX];

  /* 2D: the runner's pose at chosen moments, for stick figures (frame
     index, label); the points are the capture's at that frame. */
  size_t n_figures;
  struct gk_gait_figure {
    char label[48];         /* e.g. "initial contact, left" */
    size_t frame;
    size_t n_points;
    double *xy;             /* n_points * 2 (NaN gaps), image units */
    const char *const *point_names; /* n_points names (static) */
    char measure[48];       /* what was measured there, e.g. "knee
                               flexion 21 deg"; "" when nothing */
    /* A still from the video at this frame (set by the caller, e.g.
       gaitkeeper gait VIDEO): a base64 JPEG of the square display region
       photo_crop {x, y, w, h} that gk_stick_figure_crop gives; malloc'd,
       freed by gk_gait_free; NULL when none. */
    char *photo_b64;
    double photo_crop[4];
  } figures[4];

  size_t n_findings;
  gk_finding findings[16];

  void *arena_; /* private: blocks owned by the result (a chain, each
                   block starting with the next one's address) */
} gk_gait;

/* Free a result and everything it owns.  NULL is a no-op. */
GK_API void gk_gait_free(gk_gait *g);

/*
** Allocate an empty result for n_steps steps (every value NaN, every stat
** empty); the analyses fill it.  Returns NULL when out of memory.
*/
GK_API gk_gait *gk_gait_new(size_t n_steps);

/* Append a quality note (printf-style; truncated; dropped past
   GK_GAIT_MAX_NOTES). */
GK_API void gk_gait_note(gk_gait *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Mark metric m refused with the reason (printf-style). */
GK_API void gk_gait_refuse(gk_gait *g, gk_gait_metric m, const char *fmt,
                           ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*
** Fill stat[] from the steps: per-side means and SDs, asymmetry; cadence
** is 60 / the mean step time over all steps, per side from that side's
** steps.  Metrics marked refused stay refused; a metric already given a
** whole-trial value (per_side 0, value set) is left alone.  Quality is set
** from the step counts (fewer than min_steps_per_side on a side: poor) and
** is never raised above what the analysis set before (NONE counts as not
** set).
*/
GK_API void gk_gait_summarise(gk_gait *g, unsigned min_steps_per_side);

/*
** Gait findings (gait.pelvic_drop, gait.hip_adduction, gait.overstride,
** gait.low_cadence, gait.asymmetry, ...) from the summary, with the rules
** and thresholds of data/gait_rules.json; fills g->findings.
*/
GK_API gk_status gk_gait_findings(gk_gait *g, gk_err *err);

/*
** The result as JSON (one object, no newline):
**   {"kind": "3d"|"2d", "view", "fps", "n_frames", "duration_s", "events",
**    "speed_mps", "n_steps": {"left", "right"},
**    "summary": {<metric>: {"left", "right", "mean", "sd", "sd_left",
**                "sd_right", "n_left", "n_right", "asymmetry",
**                "asymmetry_pct", "unit", "quality", "note"}
**                or {"value", "unit", "quality", "note"}
**                or {"refused": true, "note"}, ...},
**    "steps": [{"side", "ic_s", "to_s", <metric>: value, ...}],
**    "notes": [...], "figures": [...], "findings": [...]}
** Metrics never computed (no value, not refused) are left out.
** options: GK_GAIT_JSON_NO_STEPS leaves "steps" out.
*/
#define GK_GAIT_JSON_NO_STEPS 0x1u
GK_API void gk_gait_write_json(const gk_gait *g, unsigned options, gk_buf *b);

/* ---- 3D: markers (C3D, TRC) -------------------------------------------- */

/* The hip joint centre method (gk_gait3d_options.hip_centre). */
typedef enum gk_hip_centre {
  GK_HIP_SET = 0,        /* the marker set's (docs/MARKER_SETS.md) */
  GK_HIP_BELL = 1,       /* Bell, Pedersen & Brand 1990 */
  GK_HIP_HARRINGTON = 2  /* Harrington et al. 2007 */
} gk_hip_centre;

typedef struct gk_gait3d_options {
  double height_mm;   /* NaN or 0: from the capture, else unknown */
  double mass_kg;     /* NaN or 0: from the capture or the force */
  double speed_mps;   /* treadmill belt speed when known; NaN otherwise */
  const char *marker_set; /* "rbds", "plugin_gait", "cluster4"; NULL or
                             "": recognised from the running trial's
                             labels (subject prefixes stripped) */
  gk_hip_centre hip_centre;
} gk_gait3d_options;

/*
** Analyse a 3D running trial.  stat_trial is the static calibration trial
** (anatomical markers on), or NULL when the running trial carries every
** marker the model needs.  A marker the model needs and cannot find is an
** error naming it and what it is needed for (GK_E_NOT_FOUND).
*/
GK_API gk_status gk_gait3d_analyse(const gk_capture *run,
                                   const gk_capture *stat_trial,
                                   const gk_gait3d_options *opt,
                                   gk_gait **out, gk_err *err);

/* ---- 2D: pose keypoints ------------------------------------------------- */

typedef struct gk_gait2d_options {
  double fps;            /* frames per second (required when the capture
                            has none) */
  gk_capture_view view;  /* GK_VIEW_UNKNOWN: detect */
  double height_mm;      /* NaN or 0: unknown */
  double speed_mps;      /* NaN: unknown */
  gk_surface surface;    /* GK_SURFACE_UNKNOWN: judge from the image */
} gk_gait2d_options;

GK_API gk_status gk_gait2d_analyse(const gk_capture *kp,
                                   const gk_gait2d_options *opt,
                                   gk_gait **out, gk_err *err);

/* "3d", "rear", "front", "left", "right", "unknown". */
GK_API const char *gk_view_name(gk_capture_view v);

#ifdef __cplusplus
}
#endif

#endif /* GK_GAIT_H */
