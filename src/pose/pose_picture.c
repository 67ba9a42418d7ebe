/*
** pose_picture.c -- a still from the video for the report: the frame at a
** given index, cropped to a region (display pixels) and scaled, encoded as
** a baseline JPEG with libjpeg (Debian's libjpeg62-turbo).  The skeleton
** and the angle are drawn over it by the report, in SVG.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "gaitkeeper/pose.h"

#define PICTURE_QUALITY 80

/* libjpeg reports errors through a callback that must not return. */
#include <setjmp.h>
typedef struct jerr {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
} jerr;
static void on_error(j_common_ptr c) { longjmp(((jerr *)c->err)->jump, 1); }
static void on_message(j_common_ptr c) { (void)c; }

static gk_status encode(const uint8_t *rgb, int w, int h, gk_buf *out) {
  struct jpeg_compress_struct c;
  jerr je;
  unsigned char *mem = NULL;
  unsigned long size = 0;
  c.err = jpeg_std_error(&je.pub);
  je.pub.error_exit = on_error;
  je.pub.output_message = on_message;
  if (setjmp(je.jump)) {
    jpeg_destroy_compress(&c);
    free(mem);
    return GK_E_NOMEM;
  }
  jpeg_create_compress(&c);
  jpeg_mem_dest(&c, &mem, &size);
  c.image_width = (JDIMENSION)w;
  c.image_height = (JDIMENSION)h;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, PICTURE_QUALITY, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = (JSAMPROW)(rgb + (size_t)c.next_scanline * (size_t)w * 3);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  gk_buf_put(out, mem, size);
  free(mem);
  return out->oom ? GK_E_NOMEM : GK_OK;
}

gk_status gk_pose_pictures_jpeg(const char *path, size_t n,
                                const int64_t *frames, const double (*crops)[4],
                                int out_w, int out_h, gk_buf *jpegs,
                                gk_err *err) {
  gk_err dummy;
  if (err == NULL) err = &dummy;
  memset(err, 0, sizeof *err);
  int64_t last = -1;
  for (size_t i = 0; i < n; i++) {
    if (frames[i] < 0 || !(crops[i][2] > 0) || !(crops[i][3] > 0)) {
      err->msg = "bad picture frame or crop";
      return err->code = GK_E_ARG;
    }
    if (frames[i] > last) last = frames[i];
  }
  if (out_w < 8 || out_h < 8 || out_w > 2048 || out_h > 2048) {
    err->msg = "bad picture size";
    return err->code = GK_E_ARG;
  }
  if (n == 0) return GK_OK;
  gk_video *v = NULL;
  gk_status st = gk_video_open(path, &v, err);
  if (st != GK_OK) return st;
  float *f32 = (float *)malloc((size_t)out_w * out_h * 3 * sizeof *f32);
  uint8_t *rgb = (uint8_t *)malloc((size_t)out_w * out_h * 3);
  if (f32 == NULL || rgb == NULL) {
    st = err->code = GK_E_NOMEM;
    err->msg = "out of memory";
    goto out;
  }
  /* one pass over the video, up to the last frame wanted */
  for (;;) {
    gk_video_frame f;
    int got = 0;
    st = gk_video_next(v, &f, &got, err);
    if (st != GK_OK) goto out;
    if (!got) {
      st = err->code = GK_E_NOT_FOUND;
      err->msg = "the video ends before the frame of a picture";
      goto out;
    }
    for (size_t i = 0; i < n; i++) {
      if (frames[i] != f.index) continue;
      const double *c = crops[i];
      double m[6] = {c[2] / out_w, 0, c[0], 0, c[3] / out_h, c[1]};
      gk_video_warp(&f, m, out_w, out_h, 0.0f, 255.0f, 255.0f, f32);
      for (size_t k = 0; k < (size_t)out_w * out_h * 3; k++) {
        float x = f32[k] + 0.5f;
        rgb[k] = (uint8_t)(x < 0 ? 0 : x > 255 ? 255 : x);
      }
      st = encode(rgb, out_w, out_h, &jpegs[i]);
      if (st != GK_OK) {
        err->code = st;
        err->msg = "a picture could not be encoded";
        goto out;
      }
    }
    if (f.index >= last) break;
  }
out:
  free(f32);
  free(rgb);
  gk_video_close(v);
  return st;
}
