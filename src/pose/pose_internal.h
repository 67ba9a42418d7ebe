/*
** pose_internal.h -- the state of gk_pose, shared by blazepose.c (one
** frame), pose_models.c (loading) and pose_video.c (a whole video).
*/
#ifndef GK_POSE_INTERNAL_H
#define GK_POSE_INTERNAL_H

#include "gaitkeeper/pose.h"

#define GK__POSE_MAX_DETS 16
/* A lost runner is looked for near where they were for this long; then
   whoever the detector finds best is followed. */
#define GK__POSE_FOLLOW_S 1.0

/* ---- landmark post-processing (blazepose.c) ------------------------------ */

/* MediaPipe's RefineLandmarksFromHeatmap (kernel 7, min confidence 0.5 in
   its pose graphs): each of n landmarks (u, v: 0..1 of the region) moves
   to the sigmoid-weighted mean cell of the kernel x kernel window of its
   channel around the cell it falls in, when the window's largest sigmoid
   is at least min_conf; hm is h x w x n (HWC, logits).  A landmark outside
   the heatmap is kept.  Returns how many were moved. */
int gk__pose_refine_heatmap(float (*uv)[2], int n, const float *hm, int h,
                            int w, int kernel, float min_conf);

/* A one-euro filter (Casiez et al. 2012) as MediaPipe's OneEuroFilter:
   the rate of change (times scale, per second from the timestamps) is
   low-passed at d_cutoff, and the value at min_cutoff + beta * |rate|.
   The first value passes as it is; a time not after the last passes
   unfiltered and changes nothing. */
typedef struct gk__euro {
  double min_cutoff, beta, d_cutoff;
  int init;
  double x, dx, raw, t; /* last output, smoothed rate, last input, time */
} gk__euro;
void gk__euro_init(gk__euro *f, double min_cutoff, double beta,
                   double d_cutoff);
double gk__euro_apply(gk__euro *f, double t, double scale, double v);

/* MediaPipe's numbers (pose_landmark_filtering.pbtxt, pose_landmarker's
   pose_landmarks_detector_graph.cc): the auxiliary landmarks that make
   the next region, the body landmarks, visibility (low-pass). */
#define GK__POSE_AUX_MIN_CUTOFF 0.01
#define GK__POSE_AUX_BETA 10.0
#define GK__POSE_LM_MIN_CUTOFF 0.05
#define GK__POSE_LM_BETA 80.0
#define GK__POSE_D_CUTOFF 1.0
#define GK__POSE_VIS_ALPHA 0.1

typedef struct gk__pose_filters {
  int have;                                /* a frame went in since reset */
  gk__euro aux[2][2];                      /* landmarks 33, 34: x, y */
  gk__euro lm[GK_POSE_LANDMARKS][3];       /* x, y, z */
  double vis[GK_POSE_LANDMARKS];           /* low-passed visibility */
} gk__pose_filters;
/* Forget the filters' history (a frame without landmarks, a new track). */
void gk__pose_filters_reset(gk_pose *p);
/* The runner is lost: the detector runs on the next frame and the filters
   start afresh. */
void gk__pose_lose(gk_pose *p);

struct gk_pose {
  gk_nn_model *det_model, *lm_model;
  gk_nn_runner *det, *lm;
  double min_detection, min_presence;
  int refine;             /* 1: landmarks refined from the heatmap */
  int smooth_region;      /* 1: next region from one-euro-smoothed 33, 34 */
  int smooth_landmarks;   /* 1: res->smoothed filled */
  gk__pose_filters filt;
  int tracking;           /* 1: next_roi comes from the last landmarks */
  gk_pose_roi next_roi;
  int have_last;          /* the runner was found at least once */
  gk_pose_roi last_roi;
  double last_t;
  int64_t detector_runs, redetections, switches_refused;
  char describe[64];
  /* the runner chosen over the whole clip (pose_select.c): where they are
     at this frame; have_guide 0 when unknown */
  int have_guide;
  double guide_x, guide_y, guide_size;
};

/* ---- the runner over the whole clip (pose_select.c) ---------------------- */

/* One detection of the first pass: time, hips' midpoint, region side. */
typedef struct gk__pose_seen {
  double t, x, y, size;
  int track;
} gk__pose_seen;

typedef struct gk__pose_runner {
  size_t n;               /* points of the chosen track, in time order */
  double *t, *x, *y, *size;
  size_t tracks;          /* tracks found */
  double travel, span_s;  /* the chosen one's horizontal travel (sides of
                             its region) and time span */
} gk__pose_runner;

/* Link the first pass' detections into tracks and choose the runner;
   0 when nobody was seen.  seen is reordered. */
int gk__pose_choose_runner(gk__pose_seen *seen, size_t n,
                           gk__pose_runner *out);
void gk__pose_runner_free(gk__pose_runner *r);
/* Where the runner is at time t (linear between the track's points; held
   for GK__POSE_GUIDE_HOLD_S past either end); 0 outside. */
int gk__pose_runner_at(const gk__pose_runner *r, double t, double *x,
                       double *y, double *size);
#define GK__POSE_GUIDE_HOLD_S 0.5
/* The first pass runs the detector every this many seconds. */
#define GK__POSE_SAMPLE_S 0.2
/* The first pass of gk_pose_video (pose_video.c): the detector every
   GK__POSE_SAMPLE_S and the runner chosen; skip 1 lets the decoder leave
   out pictures nothing refers to between samples (gk_video_skip_until).
   Fills stats' *_first fields. */
gk_status gk__pose_first_pass(const char *path, gk_pose *p, int skip,
                              gk__pose_runner *runner,
                              gk_pose_progress_fn progress, void *ctx,
                              int64_t total, double *last_progress,
                              gk_pose_video_stats *stats, gk_err *err);
/* The detector alone on one frame: detections in display pixels. */
gk_status gk__pose_detect(gk_pose *p, const gk_video_frame *f,
                          gk_pose_detection *dets, size_t *n, gk_err *err);

void gk__pose_roi_from_points(double x0, double y0, double x1, double y1,
                              gk_pose_roi *roi);
void gk__pose_roi_matrix(const gk_pose_roi *roi, int n, double m[6]);

/* ---- left/right from the depth order (pose_legs.c) ---------------------- */

typedef struct gk__pose_legs {
  int near;          /* the longest stretch's near side: 0 left, 1 right,
                        -1 none */
  int64_t found;     /* frames with both legs */
  int64_t decisive;  /* frames whose depth order tells the near leg */
  int64_t repaired;  /* frames whose labels were exchanged back */
  int64_t collapsed; /* frames whose far leg was left out (on the near one) */
} gk__pose_legs;

/* What the repair did to a frame (bits). */
#define GK__LEGS_SWAPPED 1   /* left and right exchanged back */
#define GK__LEGS_LEFT_OUT 2  /* the left leg's knee, ankle, heel, foot out */
#define GK__LEGS_RIGHT_OUT 4 /* the right leg's */

/* Repair xyc (nf x 33 x 3: x, y, visibility) with z (nf x 33, pixels) in
   place; see pose_legs.c.  what (nf, optional): each frame's bits. */
void gk__pose_legs_repair(double *xyc, double *z, size_t nf,
                          gk__pose_legs *out, unsigned char *what);
/* Do to one frame's landmarks lm (33 x 5) what the repair did (what):
   the same exchange, and the same points left out (NaN); for results the
   repaired track does not hold (the smoothed landmarks). */
void gk__pose_legs_apply(double (*lm)[5], unsigned char what);

/* The expected SHA-256 (hex) of a model file by its name; NULL unknown. */
const char *gk__pose_model_sha256(const char *file_name);

#endif /* GK_POSE_INTERNAL_H */
