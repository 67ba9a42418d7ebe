/*
** fuzz_gait2d.c -- libFuzzer harness: bytes -> a keypoint reader ->
** gk_gait2d_analyse.  The first byte picks the reader (OpenPose frame,
** MediaPipe CSV or JSON, COCO JSON or CSV, a Sports2D TRC made 2D by
** gk_capture_to_2d), the view and the frame rate
** (bits 0-2 the reader, 3-4 the frame rate, 5-6 the view); the rest is
** the file (an OpenPose frame is a clip of one frame, refused
** as too short; the CSV and JSON layouts carry whole clips).  On success the
** result is checked: kind 2D, a view, per-step values finite or NaN, step
** sides 0/1, stats with quality in range, figures inside the capture, and
** the JSON writer runs.  On failure: no result, a message.  Otherwise:
** abort().
**
** Seeds: tests/data/gait2d/ (small clips written by the simulator's
** writers: y_*), crashers kept there as crash-*.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/gait.h"
#include "gaitkeeper/keypoints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const gk_gait *g, const gk_capture *c) {
  if (g->kind != GK_CAPTURE_2D) abort();
  if (g->view < GK_VIEW_REAR || g->view > GK_VIEW_RIGHT) abort();
  if (g->n_figures > 4 || g->n_notes > GK_GAIT_MAX_NOTES) abort();
  for (size_t i = 0; i < g->n_steps; i++) {
    const gk_gait_step *st = &g->steps[i];
    if (st->side != GK_LEFT && st->side != GK_RIGHT) abort();
    if (!isfinite(st->ic_s)) abort();
    for (int m = 0; m < GK_GM_COUNT; m++)
      if (isinf(st->v[m])) abort();
  }
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const gk_gait_stat *s = &g->stat[m];
    if (s->quality > GK_QUALITY_GOOD || s->unit == NULL) abort();
    if (isinf(s->left) || isinf(s->right) || isinf(s->mean)) abort();
    if (memchr(s->note, '\0', sizeof s->note) == NULL) abort();
  }
  for (size_t i = 0; i < g->n_figures; i++) {
    if (g->figures[i].frame >= c->n_frames) abort();
    if (g->figures[i].n_points != c->n_points) abort();
  }
  gk_buf b = {0};
  gk_gait_write_json(g, 0, &b);
  if (b.len == 0 && !b.oom) abort();
  gk_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t sel = data[0];
  data++, size--;
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  gk_kp_options ko = {0};
  ko.image_width = 1920;
  ko.image_height = 1080;
  gk_capture *c = NULL;
  gk_err e;
  gk_status st;
  switch ((sel & 7) % 6) {
    case 0: st = gk_openpose_read(copy, size, &ko, &c, &e); break;
    case 1: st = gk_mediapipe_read_csv(copy, size, &ko, &c, &e); break;
    case 2: st = gk_mediapipe_read_json(copy, size, &ko, &c, &e); break;
    case 3: st = gk_coco_read_json(copy, size, &ko, &c, &e); break;
    case 4: st = gk_coco_read_csv(copy, size, &ko, &c, &e); break;
    default:
      st = gk_trc_read(copy, size, 0, &c, &e);
      if (st == GK_OK) st = gk_capture_to_2d(c, GK_VIEW_UNKNOWN, 0, NULL, &e);
      if (st != GK_OK) {
        gk_capture_free(c);
        c = NULL;
      }
      break;
  }
  free(copy);
  if (st != GK_OK) return 0;
  /* bits 3-4: frame rate (and a height from 2 on); bits 5-6: the view */
  static const double fps[4] = {30, 60, 24, 240};
  static const gk_capture_view views[4] = {GK_VIEW_UNKNOWN, GK_VIEW_REAR,
                                           GK_VIEW_LEFT, GK_VIEW_FRONT};
  gk_gait2d_options o = {0};
  o.fps = fps[(sel >> 3) & 3];
  o.view = views[(sel >> 5) & 3];
  o.height_mm = ((sel >> 3) & 3) >= 2 ? 1750 : 0;
  gk_gait *g = (gk_gait *)(uintptr_t)1;
  gk_err ge;
  st = gk_gait2d_analyse(c, &o, &g, &ge);
  if (st == GK_OK) {
    if (g == NULL) abort();
    check(g, c);
    gk_gait_free(g);
  } else if (g != NULL || ge.msg == NULL || ge.code != st) {
    abort();
  }
  gk_capture_free(c);
  return 0;
}
