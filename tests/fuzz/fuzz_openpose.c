/*
** fuzz_openpose.c -- libFuzzer harness for the JSON keypoint readers: one
** OpenPose frame (gk_openpose_read), and the same bytes through the
** MediaPipe JSON and COCO JSON readers.  fuzz_kpcsv.c includes this file
** with GK_FUZZ_KPCSV defined to fuzz the two CSV readers instead.
**
** Each input is read from an exact-size heap copy.  On success every value
** is touched and the invariants checked: kind 2D, z NaN, a gap is NaN on x
** and y with a NaN confidence, confidences in (0, 1], coordinates finite
** and within GK_MAX_KP_COORD (times the image size when scaled), labels
** short; stats within the frame count.  On failure: no capture, a message,
** an offset inside the input.  Otherwise: abort().
**
** Build and run (from the repository root):
**   clang -g -fsanitize=fuzzer,address,undefined \
**     -fno-sanitize-recover=undefined -Iinclude -Isrc \
**     tests/fuzz/fuzz_openpose.c src/core/[a-z]*.c \
**     src/formats/keypoints/[a-z]*.c -lcjson -lm -o /tmp/fuzz_openpose
**   /tmp/fuzz_openpose -max_total_time=60 /tmp/corpus_op tests/data/openpose
** Seeds: tests/data/openpose/ (y_* read, n_* refused); crashers kept there
** as crash-*.
*/
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/keypoints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const gk_capture *c, double scale) {
  if (c->kind != GK_CAPTURE_2D || c->n_points == 0 || c->n_points > 64 ||
      c->n_frames > GK_MAX_KP_FRAMES)
    abort();
  if (gk_kp_model_of(c) == GK_KP_UNKNOWN) abort();
  for (size_t p = 0; p < c->n_points; p++)
    if (c->point_labels[p] == NULL ||
        strnlen(c->point_labels[p], GK_MAX_LABEL) == GK_MAX_LABEL)
      abort();
  size_t nonempty = 0;
  for (size_t f = 0; f < c->n_frames; f++) {
    int any = 0;
    for (size_t p = 0; p < c->n_points; p++) {
      const double *q = gk_capture_point(c, f, p);
      double r = c->residual[f * c->n_points + p];
      if (!isnan(q[2])) abort();
      if (isnan(q[0]) != isnan(q[1])) abort();
      if (isnan(q[0])) {
        if (!isnan(r)) abort();
        continue;
      }
      any = 1;
      if (!isnan(r) && !(r > 0 && r <= 1)) abort();
      if (!(fabs(q[0]) <= GK_MAX_KP_COORD * scale) ||
          !(fabs(q[1]) <= GK_MAX_KP_COORD * scale))
        abort();
    }
    nonempty += (size_t)any;
  }
  if (c->stats2d.empty_frames + nonempty > c->n_frames) abort();
  if (c->stats2d.lr_swaps > nonempty || c->stats2d.multi_frames > c->n_frames)
    abort();
}

typedef gk_status (*reader)(const void *, size_t, const gk_kp_options *,
                            gk_capture **, gk_err *);

static void one(reader rd, const uint8_t *copy, size_t size,
                const gk_kp_options *o) {
  gk_capture *cap = (gk_capture *)(uintptr_t)1; /* must be overwritten */
  gk_err err;
  gk_status st = rd(size ? copy : NULL, size, o, &cap, &err);
  if (st != GK_OK) {
    if (cap != NULL || err.code != st || err.msg == NULL || err.offset > size)
      abort();
    return;
  }
  if (cap == NULL) abort();
  check(cap, o && o->image_width > 0 ? 2000.0 : 1.0);
  gk_capture_free(cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  gk_kp_options o = {0};
  o.fps = 30;
  o.image_width = 1920;
  o.image_height = 1080;
  gk_kp_options notrack = {0};
  notrack.flags = GK_KP_NO_TRACKING | GK_KP_NO_SWAP_REPAIR;
#ifdef GK_FUZZ_KPCSV
  one(gk_mediapipe_read_csv, copy, size, NULL);
  one(gk_mediapipe_read_csv, copy, size, &o);
  one(gk_coco_read_csv, copy, size, NULL);
  one(gk_coco_read_csv, copy, size, &notrack);
#else
  one(gk_openpose_read, copy, size, NULL);
  one(gk_openpose_read, copy, size, &notrack);
  one(gk_mediapipe_read_json, copy, size, &o);
  one(gk_coco_read_json, copy, size, NULL);
#endif
  free(copy);
  return 0;
}
