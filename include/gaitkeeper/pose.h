/*
** gaitkeeper/pose.h -- BlazePose on a video: the detector finds the runner,
** the landmark model gives 33 landmarks (MediaPipe's order) in a rotated
** square region, and the region for the next frame comes from this frame's
** landmarks; the detector runs again when the landmark model's presence
** drops.  Then a whole video becomes a 2D keypoint gk_capture that the gait
** analysis reads as it reads MediaPipe files.
**
** The models are those of the npm package @mediapipe/pose@0.5.1675469404,
** installed by scripts/setup-models.sh and checked by SHA-256 at load.
** The library never prints and never fetches anything.
*/
#ifndef GK_POSE_H
#define GK_POSE_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/nn.h"
#include "gaitkeeper/video.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GK_POSE_LANDMARKS 33     /* MediaPipe's body landmarks */
#define GK_POSE_ALL_LANDMARKS 39 /* with the model's 6 auxiliary ones */

typedef enum gk_pose_model {
  GK_POSE_FULL = 0,  /* default */
  GK_POSE_LITE,
  GK_POSE_HEAVY
} gk_pose_model;

/* "lite", "full", "heavy"; static.  Parse: -1 when unknown. */
GK_API const char *gk_pose_model_name(gk_pose_model m);
GK_API int gk_pose_model_parse(const char *s);

typedef struct gk_pose_options {
  gk_pose_model model;
  const char *models_dir;  /* NULL: $GAITKEEPER_MODELS, else the build's */
  gk_nn_backend backend;   /* AUTO: XNNPACK, else the reference kernels */
  int threads;             /* inference threads per model; 0: 1 (the
                              decoder has its own) */
  double min_detection;    /* 0: 0.5, MediaPipe's */
  double min_presence;     /* 0: 0.5, MediaPipe's min tracking confidence */
  int no_leg_repair;       /* 1: keep the model's leg labels as given (no
                              depth-order repair, no collapsed legs left
                              out) */
  int no_refine;           /* 1: landmarks as the model's regression gives
                              them, not refined from its heatmap */
  int smooth_region;       /* 1: the next region from one-euro-smoothed
                              auxiliary landmarks (MediaPipe's legacy pose
                              graph); 0: from this frame's */
  int smooth_landmarks;    /* 1: also fill gk_pose_result.smoothed */
} gk_pose_options;

/* Where the models are looked for with these options (static or the
   option's string). */
GK_API const char *gk_pose_models_dir(const gk_pose_options *o);

typedef struct gk_pose gk_pose;

/*
** Load, check (SHA-256) and prepare the detector and the landmark model.
** A missing file: GK_E_NOT_FOUND; a file whose hash differs: GK_E_CORRUPT;
** in both cases `file` (optional, file_size bytes) receives its path.
*/
GK_API gk_status gk_pose_new(const gk_pose_options *o, gk_pose **out,
                             gk_err *err, char *file, size_t file_size);
GK_API void gk_pose_free(gk_pose *p);
/* The backend and SIMD level ("XNNPACK AVX2"); valid while p lives. */
GK_API const char *gk_pose_describe(const gk_pose *p);
/* Forget the tracked region: the next frame starts with the detector. */
GK_API void gk_pose_reset(gk_pose *p);

/* A region: centre and size in display pixels, rotation in radians
   (positive turns the region clockwise on the screen). */
typedef struct gk_pose_roi {
  double cx, cy, w, h, rotation;
} gk_pose_roi;

typedef struct gk_pose_result {
  int found;                /* 1: landmarks below are valid */
  int detected;             /* 1: the detector ran on this frame */
  double presence;          /* the landmark model's pose presence, 0..1 */
  double detection_score;   /* when detected; else NaN */
  gk_pose_roi roi;          /* the region the landmarks came from */
  /* x, y display pixels; z (relative depth, pixels, smaller = nearer the
     camera, hips' midpoint 0); visibility and presence 0..1 */
  double lm[GK_POSE_ALL_LANDMARKS][5];
  /* with smooth_landmarks: the 33 landmarks one-euro filtered over time as
     MediaPipe's VIDEO mode gives them (x, y, z; visibility low-passed;
     presence as in lm) */
  int have_smoothed;
  double smoothed[GK_POSE_LANDMARKS][5];
} gk_pose_result;

/* Run the pose on one decoded frame, tracking from the previous frame. */
GK_API gk_status gk_pose_frame(gk_pose *p, const gk_video_frame *f,
                               gk_pose_result *res, gk_err *err);

/* ---- parts, exposed for tests ------------------------------------------- */

#define GK_POSE_ANCHORS 2254
/* The detector's SSD anchors (x, y centre, normalised; w = h = 1). */
GK_API void gk_pose_anchors(float xy[GK_POSE_ANCHORS][2]);

typedef struct gk_pose_detection {
  float score;
  float box[4];        /* x centre, y centre, w, h; normalised to the
                          detector's 224 x 224 input */
  float kp[4][2];      /* hips' midpoint, full-body circle point, shoulders'
                          midpoint, upper-body circle point */
} gk_pose_detection;

/* Decode the detector's raw outputs (boxes [2254][12], scores [2254]) and
   merge overlapping boxes (weighted non-maximum suppression, IoU 0.3):
   up to max detections, best first; returns how many. */
GK_API size_t gk_pose_decode(const float *boxes, const float *scores,
                             float min_score, gk_pose_detection *out,
                             size_t max);

/* ---- a whole video ------------------------------------------------------ */

typedef struct gk_pose_video_stats {
  int64_t frames;           /* decoded */
  int64_t frames_found;     /* with landmarks */
  int64_t detector_runs;     /* in the second pass (tracking) */
  int64_t detector_runs_first; /* in the first pass (who is the runner) */
  int64_t frames_first;     /* decoded in the first pass (the detector
                               every GK__POSE_SAMPLE_S; pictures nothing
                               refers to are left out between samples) */
  double seconds_first;     /* the first pass: wall time */
  double cpu_seconds_first; /* the first pass: the process's CPU time
                               (user + system, all threads) */
  int64_t redetections;     /* detector runs after the track was lost */
  int64_t switches_refused; /* detections of someone else not followed */
  int64_t people;           /* people told apart in the first pass */
  double runner_travel;     /* the runner's horizontal travel, in sides of
                               their region (0: in place) */
  double seconds;           /* wall time of decode + pose */
  double fps;               /* frames per second, end to end */
  int stopped_early;        /* 1: the stream was damaged (err says where) */
  double stopped_at_s;      /* time of the last good frame */
  gk_err damage;            /* what stopped it */
  char describe[64];        /* backend and SIMD level */
  gk_video_info info;
  int resampled;            /* 1: variable frame rate put on a fixed grid */
  /* the legs from the model's depth order (docs/METRICS.md, "Video: near
     leg and collapsed legs") */
  int near_side;            /* 0 left, 1 right facing the camera; -1 unknown */
  int64_t legs_repaired;    /* frames whose left/right labels were swapped
                               back by the depth order */
  int64_t legs_collapsed;   /* frames whose far leg lay on the near one and
                               was left out */
} gk_pose_video_stats;

/* progress: called about 4 times a second with frames done and the total
   announced (-1 unknown); return nonzero to stop (GK_E_STOPPED). */
typedef int (*gk_pose_progress_fn)(void *ctx, int64_t done, int64_t total);

/*
** Read a video file and run the pose on every frame: *out receives a 2D
** capture of the 33 landmarks (MediaPipe's labels, image pixels, the
** landmark's visibility as confidence) at the stream's frame rate, with
** one runner followed.  A damaged stream keeps the frames before the
** damage (stats->stopped_early).  each (optional) is called, once the
** whole clip is read, with every frame's result as the capture has it
** (for writing keypoints): the legs repaired (swapped labels exchanged
** back, a collapsed far leg's knee, ankle, heel and foot NaN), smoothed
** landmarks likewise; f holds only index, t_s, width and height (no
** pixels).  A nonzero return stops (GK_E_STOPPED).
*/
typedef int (*gk_pose_frame_fn)(void *ctx, const gk_video_frame *f,
                                const gk_pose_result *res);
GK_API gk_status gk_pose_video(const char *path, const gk_pose_options *o,
                               gk_pose_progress_fn progress,
                               gk_pose_frame_fn each, void *ctx,
                               gk_capture **out, gk_pose_video_stats *stats,
                               gk_err *err, char *file, size_t file_size);

/*
** Stills for the report, in one pass over the video: for each i < n, frame
** frames[i] (0-based, decode order), the display region crops[i] = {x, y,
** w, h} (pixels) scaled to out_w x out_h, as a JPEG appended to jpegs[i].
** Outside the picture: white.
*/
GK_API gk_status gk_pose_pictures_jpeg(const char *path, size_t n,
                                       const int64_t *frames,
                                       const double (*crops)[4], int out_w,
                                       int out_h, gk_buf *jpegs, gk_err *err);

#ifdef __cplusplus
}
#endif

#endif /* GK_POSE_H */
