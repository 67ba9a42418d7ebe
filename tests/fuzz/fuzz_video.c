/*
** fuzz_video.c -- libFuzzer harness for the video reader and the warp.
**
** Each input is opened from an exact-size heap copy with gk_video_open_mem;
** pictures larger than GK_FUZZ_VIDEO_MAX_SIDE pixels are not decoded (the
** work per input stays small), and at most GK_FUZZ_VIDEO_MAX_FRAMES frames
** are read.  Every frame is warped (a turned, scaled region reaching past
** the picture's edges) and shrunk to a small RGB picture; the invariants
** checked: frame indices count up from 0, sizes match the info, values in
** lo..hi or the border, errors carry a message.  Otherwise: abort().
** FFmpeg itself is not built with the sanitizers; gaitkeeper's code is.
**
** Seeds: tests/data/video/ (y_* tiny clips made with ffmpeg: h264, hevc,
** mpeg4, vp9, mjpeg, 10-bit, 4:4:4, raw nv12, a rotation tag; n_* a cut
** file and text); keep crash reproducers there as crash-*.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/video.h"

#define GK_FUZZ_VIDEO_MAX_SIDE 1024
#define GK_FUZZ_VIDEO_MAX_FRAMES 8
#define GK_FUZZ_VIDEO_ROI 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_err(gk_status st, const gk_err *err) {
  if (st == GK_OK) return;
  if (err->msg == NULL || err->msg[0] == '\0') abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) return 0;
  if (size) memcpy(copy, data, size);
  gk_video *v = NULL;
  gk_err err = {0};
  gk_status st = gk_video_open_mem(copy, size, &v, &err);
  check_err(st, &err);
  if (st != GK_OK) {
    if (v != NULL) abort();
    free(copy);
    return 0;
  }
  const gk_video_info *in = gk_video_get_info(v);
  if (in == NULL || in->width <= 0 || in->height <= 0 ||
      in->width > GK_VIDEO_MAX_SIDE || in->height > GK_VIDEO_MAX_SIDE)
    abort();
  if (in->rotation_deg % 90 != 0 || in->rotation_deg < 0 ||
      in->rotation_deg > 270)
    abort();
  if (in->width <= GK_FUZZ_VIDEO_MAX_SIDE &&
      in->height <= GK_FUZZ_VIDEO_MAX_SIDE) {
    static float roi[GK_FUZZ_VIDEO_ROI * GK_FUZZ_VIDEO_ROI * 3];
    static uint8_t small[16 * 12 * 3];
    for (int k = 0; k < GK_FUZZ_VIDEO_MAX_FRAMES; k++) {
      gk_video_frame f;
      int got = 0;
      st = gk_video_next(v, &f, &got, &err);
      check_err(st, &err);
      if (st != GK_OK || !got) break;
      if (f.index != k || !isfinite(f.t_s)) abort();
      if (f.width <= 0 || f.height <= 0 || f.width > GK_VIDEO_MAX_SIDE ||
          f.height > GK_VIDEO_MAX_SIDE)
        abort();
      if (f.width > GK_FUZZ_VIDEO_MAX_SIDE || f.height > GK_FUZZ_VIDEO_MAX_SIDE)
        break;
      /* A region turned by 30 degrees, 1.5 times the picture, centred. */
      double s = 1.5 * (f.width > f.height ? f.width : f.height) /
                 GK_FUZZ_VIDEO_ROI;
      double c = cos(0.5236) * s, sn = sin(0.5236) * s;
      double half = GK_FUZZ_VIDEO_ROI / 2.0;
      double m[6] = {c, -sn, f.width / 2.0 - c * half + sn * half,
                     sn, c, f.height / 2.0 - sn * half - c * half};
      gk_video_warp(&f, m, GK_FUZZ_VIDEO_ROI, GK_FUZZ_VIDEO_ROI, -1.0f, 1.0f,
                    -2.0f, roi);
      for (size_t i = 0; i < sizeof roi / sizeof roi[0]; i++)
        if (!(roi[i] == -2.0f || (roi[i] >= -1.0f && roi[i] <= 1.0f)))
          abort();
      gk_video_frame_rgb8(&f, 16, 12, small);
    }
  }
  gk_video_close(v);
  free(copy);
  return 0;
}
