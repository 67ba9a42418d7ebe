/*
** gaitkeeper/sim.h -- a synthetic runner filmed by a 2D camera, and
** writers for every pose-keypoint format gaitkeeper reads.
**
** gk_sim_runner2d() moves a kinematic stick figure (25 body points: head,
** trunk, arms, pelvis, legs, heels and toes) through running strides with
** the cadence, contact time, pelvic drop, knee valgus (frontal plane
** projection angle), knee flexion at initial contact and at its stance
** peak, overstride, foot angle, trunk lean, vertical oscillation and step
** width you choose, on a treadmill or overground, films it with a pinhole
** camera behind, in front of, or on either side of the runner, and returns
** the 2D keypoints as a capture (kind GK_CAPTURE_2D, image pixels, y down,
** confidence in residual[]), in the point layout of the chosen model
** (OpenPose BODY_25 or COCO-18, MediaPipe 33, COCO-17).  Noise, dropped
** points, empty frames, left/right label swaps and a second person can be
** added; they are drawn from a seeded generator, so a run is repeatable.
**
** It exists so that the gait analysis can be tested against known values
** (the truth it returns), and so that `gaitkeeper demo` can write a sample
** capture.  The model's geometry and its limits are described in
** docs/METRICS.md ("Gait: how 2D video measures it").
**
** Typical use:
**   gk_sim_runner2d_options o;
**   gk_sim_runner2d_defaults(&o);
**   o.view = GK_VIEW_REAR;
**   o.pelvic_drop_deg[GK_SIM_RIGHT] = 9;
**   gk_capture *cap;
**   if (gk_sim_runner2d(&o, &cap, NULL, &err) == GK_OK) {
**     gk_sim_write_openpose_dir(cap, NULL, "/tmp/run", &err);
**     gk_capture_free(cap);
**   }
*/
#ifndef GK_SIM_H
#define GK_SIM_H

#include <stddef.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/keypoints.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GK_SIM_LEFT 0
#define GK_SIM_RIGHT 1

/* Limits of the options (checked; out of range is GK_E_ARG). */
#define GK_SIM_MAX_FRAMES 1000000u

typedef struct gk_sim_runner2d_options {
  /* Camera and clip. */
  double fps;              /* frames per second (1..1000); default 30 */
  double duration_s;       /* default 10 */
  gk_capture_view view;    /* REAR, FRONT, LEFT or RIGHT; default REAR */
  double camera_distance_m; /* from the runner's line (side views) or from
                              the runner's start (rear/front); default 6 */
  double camera_height_m;  /* default 1.0 */
  double camera_roll_deg;  /* image rotation, counter-clockwise; default 0 */
  double image_width, image_height; /* pixels; default 1920 x 1080 */
  double focal_px;         /* 0: the runner's height fills 70% of the image
                              height at the camera distance */
  gk_kp_model model;       /* point layout; default GK_KP_BODY25 */

  /* The runner. */
  double height_mm;        /* default 1750; segment lengths are Winter's
                              proportions of height */
  double speed_mps;        /* belt or ground speed; default 3.0 */
  int treadmill;           /* 1: stays in place (default); 0: overground */
  double cadence_spm;      /* steps per minute; default 170 */
  double contact_time_ms;  /* default 220 (less than a step time) */
  double pelvic_drop_deg[2];  /* peak contralateral pelvic drop in the
                                 stance of [GK_SIM_LEFT], [GK_SIM_RIGHT];
                                 default 5, 5 */
  double knee_fppa_deg[2];    /* peak knee frontal plane projection angle in
                                 stance, positive valgus; default 5, 5 */
  double knee_flexion_ic_deg;   /* default 20 */
  double knee_flexion_peak_deg; /* in stance; default 42 */
  double overstride_leg_lengths; /* heel ahead of the pelvis centre at
                                    initial contact / (thigh + shank);
                                    default 0.15 */
  double foot_angle_ic_deg; /* toes up from the ground at initial contact,
                               0..30; default 10 */
  double trunk_lean_deg;    /* forward; default 8 */
  double vertical_oscillation_mm; /* of the stance hip, lowest at mid-stance
                                     to highest in flight; default 80 */
  double step_width_mm;     /* lateral distance between the feet; default 80 */
  double start_s;           /* time of the first right initial contact in
                               the stride cycle; default 0.1 */

  /* Imperfections. */
  double noise_px;          /* SD of Gaussian noise on x and y; default 0 */
  double dropout_rate;      /* probability that a point is missing in a
                               frame; default 0 */
  double empty_frame_rate;  /* probability that nobody is detected in a
                               frame; default 0 */
  double swap_rate;         /* probability that a frame's left and right
                               labels are exchanged; default 0 */
  int second_person;        /* 1: also build a bystander (see below) */
  unsigned seed;            /* default 1 */
} gk_sim_runner2d_options;

/* Fill o with the defaults above. */
GK_API void gk_sim_runner2d_defaults(gk_sim_runner2d_options *o);

/*
** The values the simulated trial really has, measured on the model's own
** geometry with gaitkeeper's 2D definitions (docs/METRICS.md): the chosen
** values, and those that follow from them (hip adduction, shank angle,
** vertical oscillation of the pelvis centre).  Per side: [GK_SIM_LEFT],
** [GK_SIM_RIGHT] (the stance side).
*/
typedef struct gk_sim_truth {
  double cadence_spm;
  double contact_time_ms;
  double step_time_ms;
  double pelvic_drop_deg[2];
  double hip_adduction_deg[2];
  double knee_fppa_deg[2];
  double knee_flexion_ic_deg;
  double knee_flexion_peak_deg;
  double shank_angle_ic_deg;
  double foot_angle_ic_deg;
  double overstride_leg_lengths;
  double trunk_lean_deg;
  double vertical_oscillation_mm;
  double vertical_oscillation_leg_lengths;
  double step_width_mm;
  double leg_length_mm;     /* thigh + shank */
  double first_ic_s[2];     /* time of each side's first initial contact */
} gk_sim_truth;

/*
** Simulate: a new capture in *out (free with gk_capture_free), and the
** truth in *truth (optional).  GK_E_ARG with a message naming the option
** when an option is out of range or the chosen values cannot be combined
** (e.g. a knee flexion at contact the overstride does not allow).
*/
GK_API gk_status gk_sim_runner2d(const gk_sim_runner2d_options *o,
                                 gk_capture **out, gk_sim_truth *truth,
                                 gk_err *err);

/*
** A bystander for the same clip: a shorter person walking slowly across
** the back of the scene, in the same model and camera (frames as o gives).
** Pass it as `second` to the writers to test runner tracking.
*/
GK_API gk_status gk_sim_bystander2d(const gk_sim_runner2d_options *o,
                                    gk_capture **out, gk_err *err);

/* ---- writers ------------------------------------------------------------ */
/*
** Each writer takes the runner's capture (a 2D capture of a keypoint
** model: BODY_25 or COCO-18 for OpenPose, MediaPipe 33 for MediaPipe,
** COCO-17 for COCO) and optionally a second person (NULL: none) with the
** same model and frame count, listed after the runner.  A gap is written
** as the format writes a missing point; a frame whose points are all gaps
** is a frame where nobody was detected.  GK_E_ARG when the model does not
** fit the format.
*/

/* One OpenPose JSON file per frame into the existing directory dir:
   `sim_<12-digit frame>_keypoints.json`. */
GK_API gk_status gk_sim_write_openpose_dir(const gk_capture *cap,
                                           const gk_capture *second,
                                           const char *dir, gk_err *err);
/* One OpenPose frame (frame f) as JSON, appended to out. */
GK_API gk_status gk_sim_write_openpose_frame(const gk_capture *cap,
                                             const gk_capture *second,
                                             size_t f, gk_buf *out);
/* MediaPipe CSV (header `frame,x0,y0,z0,v0,...`), coordinates normalised
   by the image size (read them back with image_width/height). */
GK_API gk_status gk_sim_write_mediapipe_csv(const gk_capture *cap,
                                            const gk_capture *second,
                                            double image_width,
                                            double image_height, gk_buf *out);
/* MediaPipe JSON (a list of frames of 33 landmarks; one person only:
   second must be NULL), normalised as above. */
GK_API gk_status gk_sim_write_mediapipe_json(const gk_capture *cap,
                                             double image_width,
                                             double image_height,
                                             gk_buf *out);
/* COCO-17 results JSON (detections with image_id = frame), pixels. */
GK_API gk_status gk_sim_write_coco_json(const gk_capture *cap,
                                        const gk_capture *second,
                                        gk_buf *out);
/* COCO-17 CSV (header `frame,x0,y0,c0,...`), pixels. */
GK_API gk_status gk_sim_write_coco_csv(const gk_capture *cap,
                                       const gk_capture *second, gk_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* GK_SIM_H */
