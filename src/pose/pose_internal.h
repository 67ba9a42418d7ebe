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

struct gk_pose {
  gk_nn_model *det_model, *lm_model;
  gk_nn_runner *det, *lm;
  double min_detection, min_presence;
  int tracking;           /* 1: next_roi comes from the last landmarks */
  gk_pose_roi next_roi;
  int have_last;          /* the runner was found at least once */
  gk_pose_roi last_roi;
  double last_t;
  int64_t detector_runs, redetections, switches_refused;
  char describe[64];
};

void gk__pose_roi_from_points(double x0, double y0, double x1, double y1,
                              gk_pose_roi *roi);
void gk__pose_roi_matrix(const gk_pose_roi *roi, int n, double m[6]);

/* The expected SHA-256 (hex) of a model file by its name; NULL unknown. */
const char *gk__pose_model_sha256(const char *file_name);

#endif /* GK_POSE_INTERNAL_H */
