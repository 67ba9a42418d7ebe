/*
** gaitkeeper/capture.h -- gk_capture, one gait recording (format-neutral),
** and the readers that fill it: C3D (3D markers, analog channels, force
** platforms) and TRC (OpenSim / Sports2D marker text).
**
** A capture is frames x points of coordinates in millimetres, stored as one
** contiguous array xyz[(frame * n_points + point) * 3 + axis]; a gap is NaN
** (all three axes).  Each point sample also carries a residual (3D, mm) or
** a confidence (2D keypoints, 0..1); NaN when unknown or a gap.  Analog
** channels are stored sample-major: analog[sample * n_analog + channel],
** after offset, scale and general scale, in the units of analog_units[c]
** (moments given in N.m are converted to N.mm).
**
** Everything a capture points to is owned by it and freed by one call to
** gk_capture_free().  A capture is a plain value: reading is thread-safe,
** separate captures are independent.  The rules (which parameter feeds
** which field, limits, errors) are in docs/FORMATS.md, "C3D" and "TRC".
*/
#ifndef GK_CAPTURE_H
#define GK_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ------------------------------------------------------------- */

#define GK_MAX_C3D_FRAMES (1u << 22)   /* frames of one capture */
#define GK_MAX_C3D_POINTS 4096u        /* points (markers, keypoints) */
#define GK_MAX_C3D_ANALOG 1024u        /* analog channels */
#define GK_MAX_C3D_ANALOG_PER_FRAME 64u /* analog samples per point frame */
#define GK_MAX_C3D_PARAMS 8192u        /* parameters in the section */
#define GK_MAX_C3D_PLATES 32u          /* force platforms */
#define GK_MAX_CAPTURE_VALUES (1u << 27) /* doubles in xyz or analog */
#define GK_MAX_LABEL 64u               /* bytes of a label, NUL included */
#define GK_MAX_TRC_LINE (1u << 20)     /* bytes of one TRC line */

/* ---- the model ---------------------------------------------------------- */

typedef enum gk_capture_kind {
  GK_CAPTURE_3D = 1, /* 3D markers, mm */
  GK_CAPTURE_2D = 2  /* 2D keypoints (x, y in the image, z NaN) */
} gk_capture_kind;

typedef enum gk_capture_view {
  GK_VIEW_UNKNOWN = 0,
  GK_VIEW_3D,    /* a calibrated 3D volume */
  GK_VIEW_REAR,  /* camera behind the runner */
  GK_VIEW_FRONT, /* camera in front */
  GK_VIEW_LEFT,  /* camera on the runner's left */
  GK_VIEW_RIGHT  /* camera on the runner's right */
} gk_capture_view;

#define GK_PLATE_MAX_CHANNELS 8u

/* One force platform, as FORCE_PLATFORM describes it. */
typedef struct gk_force_plate {
  int32_t type;               /* 1..4 (and others, as written) */
  double corners_mm[4][3];    /* lab coordinates of the 4 corners, mm */
  double origin_mm[3];        /* origin of the transducer, plate frame, mm */
  int32_t channel[GK_PLATE_MAX_CHANNELS]; /* 0-based analog channel indices
                                             (Fx Fy Fz Mx My Mz for type 2
                                             and 4); -1 when absent */
  uint32_t n_channels;        /* how many of channel[] are given */
  /* Type 4 (and 3) plates: the calibration matrix, cal[row][col], applied
     as F = cal x channels; n_cal rows and columns (0 when absent).  Read
     from FORCE_PLATFORM:CAL_MATRIX, whose first dimension varies fastest
     (the row index). */
  double cal[GK_PLATE_MAX_CHANNELS][GK_PLATE_MAX_CHANNELS];
  uint32_t n_cal;
} gk_force_plate;

typedef struct gk_capture {
  gk_capture_kind kind;
  gk_capture_view view;
  double frame_rate_hz;   /* point frames per second */
  uint32_t first_frame;   /* number of the first frame in the source (1..) */
  size_t n_frames;
  size_t n_points;
  char **point_labels;    /* n_points labels, trailing spaces trimmed */
  double *xyz;            /* n_frames * n_points * 3, mm, NaN gap */
  double *residual;       /* n_frames * n_points; NaN gap or unknown */

  size_t n_analog;        /* analog channels */
  size_t n_analog_samples; /* samples per channel */
  double analog_rate_hz;  /* NaN when there are no analog channels */
  char **analog_labels;   /* n_analog */
  char **analog_units;    /* n_analog ("N", "Nmm", "V", ... or "") */
  double *analog;         /* n_analog_samples * n_analog */

  size_t n_plates;
  gk_force_plate *plates;

  double subject_height_mm; /* NaN unknown */
  double subject_mass_kg;   /* NaN unknown */
  /* Plug-in Gait subject measurements (Vicon's PROCESSING group), [0]
     left, [1] right; NaN unknown. */
  double knee_width_mm[2], ankle_width_mm[2];
  double tibial_torsion_deg[2];
  double marker_diameter_mm;

  struct {
    char format[8];     /* "C3D", "TRC" */
    char processor[8];  /* C3D: "intel", "dec", "mips"; else "" */
    int float_data;     /* C3D: 1 when the data are floats */
    char units[8];      /* point units as written ("mm", "m", ...) */
    char path[256];     /* set by the caller (gk_capture_set_path) */
  } source;

  /* 2D keypoint captures (gaitkeeper/keypoints.h); all 0 for C3D/TRC.
     For kind 2D, x and y are image pixels (source.units "px"; y down) or,
     when normalised is 1, fractions of the image width and height
     (source.units "norm"); z is NaN and residual holds the confidence. */
  struct {
    int normalised;          /* 1: x, y in 0..1 of the image */
    size_t empty_frames;     /* frames where nobody was detected */
    size_t multi_frames;     /* frames with more than one person */
    size_t lr_swaps;         /* frames whose left/right points were swapped
                                back (a pose-estimator label swap) */
    size_t switches;         /* frames where the tracked runner was not the
                                first person listed */
  } stats2d;

  void *arena_; /* private: the allocations of this capture */
} gk_capture;

/* Free a capture and everything it owns.  NULL is a no-op. */
GK_API void gk_capture_free(gk_capture *cap);

/* Record where the capture came from (truncated to fit; NULL clears). */
GK_API void gk_capture_set_path(gk_capture *cap, const char *path);

/* Index of the point with this label (exact match), or -1. */
GK_API long gk_capture_find_point(const gk_capture *cap, const char *label);

/* Index of the analog channel with this label (exact match), or -1. */
GK_API long gk_capture_find_analog(const gk_capture *cap, const char *label);

/*
** Make a marker capture read from a TRC file of 2D pose keypoints (Sports2D,
** Pose2Sim) into a 2D capture: kind GK_CAPTURE_2D, view as given, z
** dropped (NaN), the frame rate set when fps > 0, and y pointing down as in
** an image.  Sports2D writes its pixel TRC with y down (and, whatever the
** units, "m" in the header) and its metre TRC with y up: the direction is
** told from the keypoints themselves (the ankles below the hips in most
** frames), so either file reads the same.  *flipped (may be NULL) is 1 when
** y was turned over.  GK_E_NOT_FOUND when the capture has no LHip/RHip and
** LAnkle/RAnkle points to tell it by.
*/
GK_API gk_status gk_capture_to_2d(gk_capture *cap, gk_capture_view view,
                                  double fps, int *flipped, gk_err *err);

/*
** Output k (0..n_channels-1; Fx Fy Fz Mx My Mz for types 2 and 4) of plate
** pl at analog sample s, in the plate's frame: the channel's value, or for
** a plate with a calibration matrix, row k of cal x channels.  NaN when
** out of range or a channel is missing.
*/
GK_API double gk_capture_plate_value(const gk_capture *cap, size_t pl,
                                     size_t k, size_t s);

/* Pointer to point p of frame f: 3 doubles (x, y, z), mm. */
static inline const double *gk_capture_point(const gk_capture *cap, size_t f,
                                             size_t p) {
  return cap->xyz + (f * cap->n_points + p) * 3;
}

/* ---- readers ------------------------------------------------------------ */

/* gk_c3d_read options: do not read the analog samples (labels, rates and
   plates are still read). */
#define GK_C3D_SKIP_ANALOG 0x1u

/*
** Read a C3D file from buf[0..len) into a new capture stored in *out (to be
** freed with gk_capture_free()).  Intel, DEC and MIPS processor types,
** integer and float data.  err is optional; on failure *out is NULL and
** err names the byte offset.  buf is not kept.
*/
GK_API gk_status gk_c3d_read(const void *buf, size_t len, unsigned options,
                             gk_capture **out, gk_err *err);

/*
** Read a TRC text file (OpenSim, Sports2D) from buf[0..len) into a new
** capture (kind 3D, units converted to mm).  options: reserved, pass 0.
** Empty cells are gaps (NaN).  err gives the line and column.
*/
GK_API gk_status gk_trc_read(const void *buf, size_t len, unsigned options,
                             gk_capture **out, gk_err *err);

#ifdef __cplusplus
}
#endif

#endif /* GK_CAPTURE_H */
