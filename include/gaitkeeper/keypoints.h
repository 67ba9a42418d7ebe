/*
** gaitkeeper/keypoints.h -- 2D pose keypoints (video gait analysis) read
** into a gk_capture of kind GK_CAPTURE_2D: OpenPose JSON (BODY_25,
** COCO-18), MediaPipe pose landmarks (33, CSV and JSON), COCO-17 results
** (JSON and CSV).
**
** The capture holds frames x points with x, y in image pixels (y down), or
** in fractions of the image when cap->stats2d.normalised is 1 (MediaPipe
** without an image size); z is always NaN.  residual[] holds the point's
** confidence (0..1; NaN when the source gives none).  A point that is
** missing, or whose confidence is 0, is a gap: NaN x, y, z and confidence.
** A frame where nobody was detected is all gaps (stats2d.empty_frames).
**
** When a frame holds several people, one runner is kept per frame:
** the person closest to the previous tracked frame (mean distance of the
** points present in both), starting from, and falling back to when no
** point is shared, the person with the largest bounding-box diagonal times
** mean confidence.  A left/right label swap is repaired when exchanging the
** L* and R* points of the frame makes them much closer to the previous
** frame (see docs/FORMATS.md, "Pose keypoints"); stats2d.lr_swaps counts
** them.
**
** Inputs are whole buffers of at most GK_MAX_KP_INPUT bytes; the library
** never prints.  On failure *out is NULL and err (optional) says why: for
** CSV the byte offset, line and column; for JSON syntax errors the byte
** offset, line and column of the error; for JSON that parses but has the
** wrong shape the offset is 0 and the message names the problem.
** Readers are thread-safe (separate captures).
*/
#ifndef GK_KEYPOINTS_H
#define GK_KEYPOINTS_H

#include <stddef.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ------------------------------------------------------------- */

#define GK_MAX_KP_INPUT (64u << 20)  /* bytes of one JSON/CSV input (file) */
#define GK_MAX_KP_FRAMES (1u << 20)  /* frames of one capture (and files of
                                        a directory) */
#define GK_MAX_KP_GAP 1024u          /* frame numbers skipped at once (CSV
                                        frame, COCO image_id) */
#define GK_MAX_KP_PEOPLE 64u         /* people in one frame */
#define GK_MAX_KP_DETECTIONS (1u << 22) /* people over all frames */
#define GK_MAX_KP_LINE (1u << 16)    /* bytes of one CSV line */
#define GK_MAX_KP_CELL 63u           /* bytes of one CSV number */
#define GK_KP_CONF_MAX 1.1           /* confidences in (1, 1.1] are read
                                        as 1 (OpenPose writes up to 1.03);
                                        above, or below 0: refused */
#define GK_MAX_KP_COORD 1e7          /* |x|, |y| above this: refused */

/* ---- models ------------------------------------------------------------- */

typedef enum gk_kp_model {
  GK_KP_UNKNOWN = 0,
  GK_KP_BODY25,      /* OpenPose BODY_25: 25 points */
  GK_KP_COCO18,      /* OpenPose COCO: 18 points */
  GK_KP_MEDIAPIPE33, /* MediaPipe / BlazePose: 33 landmarks */
  GK_KP_COCO17       /* COCO keypoints: 17 points */
} gk_kp_model;

/*
** The point labels of a model, in the model's order (static strings, never
** freed); *n (optional) receives the count.  NULL for GK_KP_UNKNOWN.
** Shared names are spelled alike across models: Nose, Neck, LEye, REye,
** LEar, REar, LShoulder, RShoulder, LElbow, RElbow, LWrist, RWrist, MidHip,
** LHip, RHip, LKnee, RKnee, LAnkle, RAnkle, LHeel, RHeel, LBigToe, ...
** Left/right partners differ only by the leading L / R.
*/
GK_API const char *const *gk_kp_labels(gk_kp_model model, size_t *n);

/* The model a capture read here was read with (from its point count and
   labels), or GK_KP_UNKNOWN. */
GK_API gk_kp_model gk_kp_model_of(const gk_capture *cap);

/* Options of every reader; NULL means all defaults (zeros). */
typedef struct gk_kp_options {
  double fps;            /* frames per second; 0 or NaN: unknown (the
                            capture's frame_rate_hz is NaN) */
  double image_width;    /* MediaPipe: when both are > 0, normalised */
  double image_height;   /*   coordinates are scaled to pixels */
  gk_capture_view view;  /* stored in cap->view */
  unsigned flags;        /* GK_KP_NO_TRACKING ... */
} gk_kp_options;

/* flags: keep the first person listed in each frame (no tracking) */
#define GK_KP_NO_TRACKING 0x1u
/* flags: do not repair left/right swaps */
#define GK_KP_NO_SWAP_REPAIR 0x2u

/* ---- readers ------------------------------------------------------------ */

/*
** One OpenPose frame (`{"version":..,"people":[{"pose_keypoints_2d":[x,y,c
** ...]}]}`) from buf[0..len): a capture of one frame.  The model is told by
** the array length (75: BODY_25, 54: COCO-18); `people: []` gives a frame
** of gaps (BODY_25).
*/
GK_API gk_status gk_openpose_read(const void *buf, size_t len,
                                  const gk_kp_options *opt, gk_capture **out,
                                  gk_err *err);

/*
** Every *.json file of the directory dir, in natural name order (digit runs
** compared as numbers: `x_2_keypoints.json` before `x_10_keypoints.json`),
** one frame per file.  fps > 0 sets the frame rate (0 or NaN: unknown;
** overrides opt->fps).  first_frame is the last number in the first file's
** name (0 for OpenPose's `..._000000000000_keypoints.json`).  On failure
** err's offset, line and column are inside the failing file (when known),
** and gk_openpose_read_dir_named also gives that file's name (NUL-
** terminated, cut to failed_size; "" when the folder itself failed).
*/
GK_API gk_status gk_openpose_read_dir_named(const char *dir, double fps,
                                            const gk_kp_options *opt,
                                            gk_capture **out, gk_err *err,
                                            char *failed /* OUT, optional */,
                                            size_t failed_size);
GK_API gk_status gk_openpose_read_dir(const char *dir, double fps,
                                      const gk_kp_options *opt,
                                      gk_capture **out, gk_err *err);

/*
** The same from memory (a folder's files uploaded as a zip): n frames,
** names[i] the file's name, bufs[i]/lens[i] its bytes; only names ending
** in .json are read, in natural name order as above (at most
** GK_MAX_KP_FRAMES).  failed as for gk_openpose_read_dir_named.
*/
GK_API gk_status gk_openpose_read_frames(size_t n, const char *const *names,
                                         const void *const *bufs,
                                         const size_t *lens, double fps,
                                         const gk_kp_options *opt,
                                         gk_capture **out, gk_err *err,
                                         char *failed /* OUT, optional */,
                                         size_t failed_size);

/*
** MediaPipe pose landmarks, CSV: one row per frame, comma separated:
**   frame, x0, y0, z0, v0, x1, y1, z1, v1, ... x32, y32, z32, v32
** (133 cells).  An optional first row is a header; it must name the cells
** in that order, case-insensitively, either as `x<i>,y<i>,z<i>,v<i>` or
** as `<name>_x,<name>_y,<name>_z,<name>_v` with MediaPipe's landmark names
** (nose, left_eye_inner, ..., right_foot_index); `visibility` may be
** written for `v`; the first cell is any non-numeric word (`frame`).
** frame is an integer >= 0, non-decreasing: a repeated frame number is a
** second person in that frame, a skipped number an empty frame (at most
** GK_MAX_KP_GAP at once).  An empty
** cell or `nan` is a missing value (the point is a gap when x or y is).
** z is read (checked) and dropped.
*/
GK_API gk_status gk_mediapipe_read_csv(const void *buf, size_t len,
                                       const gk_kp_options *opt,
                                       gk_capture **out, gk_err *err);

/*
** MediaPipe pose landmarks, JSON: a list of frames, each a list of 33
** objects {"x":..,"y":..,"z":..,"visibility":..} (x, y required; z and
** visibility optional numbers; other members ignored) or an empty list
** (nobody detected).
*/
GK_API gk_status gk_mediapipe_read_json(const void *buf, size_t len,
                                        const gk_kp_options *opt,
                                        gk_capture **out, gk_err *err);

/*
** COCO-17 keypoint results, JSON: a list of detections {"image_id": int,
** "keypoints": [x, y, c] * 17, "score": number (optional), ...}.
** image_id is the frame number (integer >= 0, any order); frames run from
** the smallest to the largest image_id, a missing id is an empty frame
** (at most GK_MAX_KP_GAP in a row);
** several detections of one image_id are several people.  c is a
** confidence 0..1 (ground-truth visibility flags 2 are refused).
*/
GK_API gk_status gk_coco_read_json(const void *buf, size_t len,
                                   const gk_kp_options *opt, gk_capture **out,
                                   gk_err *err);

/*
** COCO-17 keypoints, CSV: frame, then x<i>, y<i>, c<i> for the 17 points
** (52 cells); header as for MediaPipe CSV (`x0,y0,c0` or `nose_x,nose_y,
** nose_c`; `conf`, `confidence` or `score` may be written for `c`); rows
** as for MediaPipe CSV.
*/
GK_API gk_status gk_coco_read_csv(const void *buf, size_t len,
                                  const gk_kp_options *opt, gk_capture **out,
                                  gk_err *err);

/*
** Keypoints made elsewhere (gaitkeeper's own pose on a video): nf frames
** of one person each, xyc[nf * n * 3] holding x, y (pixels) and
** confidence per point of the model (NaN x: a gap; a frame of all NaN: no
** person), built into a capture as the readers build theirs (left/right
** swap repair, stats2d).  format: source.format ("video").
*/
GK_API gk_status gk_kp_capture_from_frames(gk_kp_model model, size_t nf,
                                           const double *xyc,
                                           const gk_kp_options *opt,
                                           const char *format,
                                           gk_capture **out, gk_err *err);

#ifdef __cplusplus
}
#endif

#endif /* GK_KEYPOINTS_H */
