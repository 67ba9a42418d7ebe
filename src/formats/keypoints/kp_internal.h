/*
** kp_internal.h -- shared by the keypoint readers (not public): a growing
** sequence of frames, each with 0..GK_MAX_KP_PEOPLE people of n_points
** (x, y, confidence) triples, turned into a gk_capture by gk__kp_build,
** which tracks the runner and repairs left/right swaps.
*/
#ifndef GK_KP_INTERNAL_H
#define GK_KP_INTERNAL_H

#include <stddef.h>

#include "gaitkeeper/keypoints.h"

typedef struct gk__kp_seq {
  gk_kp_model model;
  size_t n_points;     /* 0 until the model is known */
  size_t n_frames, cap_frames;
  size_t *frame_first; /* index of the frame's first person */
  size_t n_people, cap_people;
  double *people;      /* n_people * n_points * 3: x, y, confidence */
} gk__kp_seq;

void gk__kp_seq_init(gk__kp_seq *s, gk_kp_model model);
void gk__kp_seq_free(gk__kp_seq *s);
/* Start a new (empty) frame: GK_OK, GK_E_LIMIT or GK_E_NOMEM. */
gk_status gk__kp_seq_frame(gk__kp_seq *s);
/* Add a person to the last frame: n_points * 3 NaNs to fill, or NULL with
   *st set (GK_E_LIMIT, GK_E_NOMEM). */
double *gk__kp_seq_person(gk__kp_seq *s, gk_status *st);
/* People of frame f. */
size_t gk__kp_seq_count(const gk__kp_seq *s, size_t f);

/* Store one point (x, y, confidence) at p: NULL, or an error message for a
   confidence outside 0..1 or a coordinate out of range.  NaN x or y, or a
   confidence of 0, give a gap; a NaN confidence is unknown. */
const char *gk__kp_point(double *p, double x, double y, double c);

/* Build the capture (tracking, swap repair). format: source.format. */
gk_status gk__kp_build(const gk__kp_seq *s, const gk_kp_options *opt,
                       const char *format, int normalised, gk_capture **out);

/* Byte offset -> 1-based line and column of buf. */
void gk__kp_line_col(const char *buf, size_t off, uint32_t *line,
                     uint32_t *col);

/* MediaPipe and COCO-17 source names (snake case), for CSV headers. */
extern const char *const gk__kp_mp_names[33];
extern const char *const gk__kp_coco_names[17];

#endif /* GK_KP_INTERNAL_H */
