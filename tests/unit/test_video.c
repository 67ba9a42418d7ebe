/*
** test_video.c -- the video reader and the region warp.
**
** Clips are made here with the ffmpeg command-line tool (testsrc2 and solid
** colour quadrants; rotation tags; HEVC; variable and 120 fps; 10-bit;
** a cut file; not-video files) in a temporary folder; without ffmpeg
** those tests say so and skip.  ffmpeg's own decode, turned upright by its
** player logic, is the reference picture for the rotation tests.  The real
** clip ../shared/data/pose/videos/sports2d_demo.mp4 is read when present.
*/
#define _POSIX_C_SOURCE 200809L /* mkdtemp, popen */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavutil/display.h>

#include "gaitkeeper/video.h"
#include "test.h"
#include "video/video_internal.h"

static char tmpdir[256];
static int have_ffmpeg;

/* Run an ffmpeg command line (quiet); 1 on success. */
static int ff(const char *args) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "cd %s && ffmpeg -nostdin -hide_banner -loglevel error -y %s",
           tmpdir, args);
  int r = system(cmd);
  if (r != 0) fprintf(stderr, "ffmpeg failed (%d): %s\n", r, args);
  return r == 0;
}

static const char *tpath(const char *name) {
  static char buf[4][1024];
  static int k;
  k = (k + 1) & 3;
  snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
  return buf[k];
}

static uint8_t *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (fp == NULL) return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  uint8_t *b = (uint8_t *)malloc(n > 0 ? (size_t)n : 1);
  if (b != NULL && n > 0 && fread(b, 1, (size_t)n, fp) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(fp);
  *len = (size_t)(n > 0 ? n : 0);
  return b;
}

static int write_file(const char *path, const void *b, size_t n) {
  FILE *fp = fopen(path, "wb");
  if (fp == NULL) return 0;
  int ok = fwrite(b, 1, n, fp) == n;
  return fclose(fp) == 0 && ok;
}

/* Decode every frame: count, first/last time, the largest spacing error. */
typedef struct run {
  gk_status status;
  gk_err err;
  int64_t frames;
  double t_first, t_last;
  double dt_min, dt_max;
  int monotonic;
  char msg[160];
} run;

static void decode_all(gk_video *v, run *r) {
  memset(r, 0, sizeof *r);
  r->dt_min = INFINITY;
  r->monotonic = 1;
  double prev = NAN;
  for (;;) {
    gk_video_frame f;
    int got = 0;
    r->status = gk_video_next(v, &f, &got, &r->err);
    if (r->status != GK_OK) {
      snprintf(r->msg, sizeof r->msg, "%s", r->err.msg ? r->err.msg : "");
      break;
    }
    if (!got) break;
    if (f.index != r->frames) r->monotonic = 0;
    if (r->frames == 0) r->t_first = f.t_s;
    if (r->frames > 0) {
      double dt = f.t_s - prev;
      if (dt <= 0) r->monotonic = 0;
      if (dt < r->dt_min) r->dt_min = dt;
      if (dt > r->dt_max) r->dt_max = dt;
    }
    prev = f.t_s;
    r->t_last = f.t_s;
    r->frames++;
  }
}

static gk_video *open_ok(const char *path) {
  gk_video *v = NULL;
  gk_err err = {0};
  gk_status st = gk_video_open(path, &v, &err);
  if (st != GK_OK)
    fprintf(stderr, "open %s: %s (%s)\n", path, gk_strerror(st),
            err.msg ? err.msg : "");
  return v;
}

/* ---- the display matrix ------------------------------------------------ */

static void test_orientation(void) {
  int32_t m[9];
  int rot, mir;
  av_display_rotation_set(m, 0);
  CHECK_TRUE(gk__video_orientation(m, &rot, &mir));
  CHECK_EQ_INT(rot, 0);
  CHECK_EQ_INT(mir, 0);
  /* av_display_rotation_set(m, -90) writes the matrix ffmpeg 5.1 writes
     for rotate=90 (m[1] = -1, m[3] = 1; av_display_rotation_get says 90,
     counter-clockwise), which its player shows turned a quarter
     counter-clockwise: a clockwise turn of 270 (test_rotation_clips checks
     the pictures against ffmpeg's). */
  av_display_rotation_set(m, -90);
  CHECK_EQ_INT(m[1], -65536);
  CHECK_EQ_INT(m[3], 65536);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(rot, 270);
  CHECK_EQ_INT(mir, 0);
  av_display_rotation_set(m, 90);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(rot, 90);
  av_display_rotation_set(m, 180);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(rot, 180);
  av_display_rotation_set(m, -180);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(rot, 180);
  av_display_rotation_set(m, -88); /* snapped */
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(rot, 270);
  /* Mirrors: the determinant is negative. */
  av_display_rotation_set(m, 0);
  av_display_matrix_flip(m, 1, 0);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(mir, 1);
  CHECK_EQ_INT(rot, 0);
  av_display_rotation_set(m, -90);
  av_display_matrix_flip(m, 1, 0);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(mir, 1);
  CHECK_TRUE(rot == 90 || rot == 270);
  /* A vertical flip is a mirror turned 180 degrees. */
  av_display_rotation_set(m, 0);
  av_display_matrix_flip(m, 0, 1);
  gk__video_orientation(m, &rot, &mir);
  CHECK_EQ_INT(mir, 1);
  CHECK_EQ_INT(rot, 180);
  memset(m, 0, sizeof m);
  CHECK_EQ_INT(gk__video_orientation(m, &rot, &mir), 0);
  CHECK_EQ_INT(rot, 0);
  CHECK_EQ_INT(mir, 0);
}

/* ---- the warp on a hand-made frame (no decoder) ----------------------- */

/* A 4x2 yuv444p frame with known planes. */
static uint8_t py[2][4], pu[2][4], pv[2][4];

static gk_video_frame synthetic(int rot, int mir) {
  gk_video_frame f;
  memset(&f, 0, sizeof f);
  for (int y = 0; y < 2; y++)
    for (int x = 0; x < 4; x++) {
      py[y][x] = (uint8_t)(16 + 40 * x + 100 * y);
      pu[y][x] = 128;
      pv[y][x] = 128;
    }
  f.plane_[0] = &py[0][0];
  f.plane_[1] = &pu[0][0];
  f.plane_[2] = &pv[0][0];
  f.stride_[0] = f.stride_[1] = f.stride_[2] = 4;
  f.chroma_step_ = 1;
  f.coded_w_ = 4;
  f.coded_h_ = 2;
  f.rotation_deg_ = rot;
  f.mirrored_ = mir;
  f.full_range_ = 1;
  gk__video_display_size(4, 2, rot, &f.width, &f.height);
  return f;
}

static float grey_at(const gk_video_frame *f, double x, double y) {
  double m[6] = {0, 0, x, 0, 0, y};
  float rgb[3];
  gk_video_warp(f, m, 1, 1, 0.0f, 255.0f, -1.0f, rgb);
  return rgb[0];
}

static void test_warp_synthetic(void) {
  gk_video_frame f = synthetic(0, 0);
  /* Pixel centres give the pixel; midway gives the mean. */
  CHECK_NEAR(grey_at(&f, 0.5, 0.5), 16, 1e-3);
  CHECK_NEAR(grey_at(&f, 3.5, 1.5), 16 + 120 + 100, 1e-3);
  CHECK_NEAR(grey_at(&f, 1.0, 0.5), 36, 1e-3);
  CHECK_NEAR(grey_at(&f, 1.5, 1.0), 56 + 50, 1e-3);
  /* Outside: the border value. */
  CHECK_NEAR(grey_at(&f, -0.1, 0.5), -1, 0);
  CHECK_NEAR(grey_at(&f, 4.1, 0.5), -1, 0);
  CHECK_NEAR(grey_at(&f, NAN, 0.5), -1, 0);
  /* Clockwise 90: display is 2 wide, 4 high; the coded top-left pixel is
     at the display's top right, the coded top-right at bottom right. */
  f = synthetic(90, 0);
  CHECK_EQ_INT(f.width, 2);
  CHECK_EQ_INT(f.height, 4);
  CHECK_NEAR(grey_at(&f, 1.5, 0.5), 16, 1e-3);
  CHECK_NEAR(grey_at(&f, 1.5, 3.5), 136, 1e-3);
  CHECK_NEAR(grey_at(&f, 0.5, 0.5), 116, 1e-3);
  f = synthetic(180, 0);
  CHECK_NEAR(grey_at(&f, 3.5, 1.5), 16, 1e-3);
  CHECK_NEAR(grey_at(&f, 0.5, 0.5), 236, 1e-3);
  f = synthetic(270, 0);
  CHECK_NEAR(grey_at(&f, 0.5, 3.5), 16, 1e-3);
  CHECK_NEAR(grey_at(&f, 0.5, 0.5), 136, 1e-3);
  /* Mirrored: left and right swap after the turn. */
  f = synthetic(0, 1);
  CHECK_NEAR(grey_at(&f, 3.5, 0.5), 16, 1e-3);
  CHECK_NEAR(grey_at(&f, 0.5, 0.5), 136, 1e-3);
  f = synthetic(90, 1);
  CHECK_NEAR(grey_at(&f, 0.5, 0.5), 16, 1e-3);
  /* lo..hi scaling, and limited range: Y 16 is black, 235 white. */
  f = synthetic(0, 0);
  double m[6] = {0, 0, 0.5, 0, 0, 0.5};
  float rgb[3];
  gk_video_warp(&f, m, 1, 1, -1.0f, 1.0f, 0.0f, rgb);
  CHECK_NEAR(rgb[0], -1 + 2 * 16 / 255.0, 1e-5);
  f.full_range_ = 0;
  gk_video_warp(&f, m, 1, 1, 0.0f, 1.0f, 0.0f, rgb);
  CHECK_NEAR(rgb[0], 0.0, 1e-5);
  CHECK_NEAR(rgb[2], 0.0, 1e-5);
  /* A 2x scale-down of the 4x2 frame by the matrix. */
  f = synthetic(0, 0);
  f.full_range_ = 1;
  double m2[6] = {2, 0, 0, 0, 2, 0};
  float out[2 * 1 * 3];
  gk_video_warp(&f, m2, 2, 1, 0.0f, 255.0f, 0.0f, out);
  CHECK_NEAR(out[0], (16 + 56 + 116 + 156) / 4.0, 1e-3);
  CHECK_NEAR(out[3], (96 + 136 + 196 + 236) / 4.0, 1e-3);
  /* A frame with no planes gives the border, nothing read. */
  gk_video_frame empty;
  memset(&empty, 0, sizeof empty);
  gk_video_warp(&empty, m, 1, 1, 0.0f, 1.0f, 7.0f, rgb);
  CHECK_NEAR(rgb[1], 7.0, 0);
}

/* An independent sampler for test_warp_matches_reference: double
   precision, clamped bilinear on each plane, BT.601 full range. */
static double ref_plane(const uint8_t *p, int stride, int step, int w, int h,
                        double x, double y) {
  int x0 = (int)floor(x), y0 = (int)floor(y);
  double fx = x - x0, fy = y - y0;
  int xs[2] = {x0, x0 + 1}, ys[2] = {y0, y0 + 1};
  for (int k = 0; k < 2; k++) {
    xs[k] = xs[k] < 0 ? 0 : (xs[k] > w - 1 ? w - 1 : xs[k]);
    ys[k] = ys[k] < 0 ? 0 : (ys[k] > h - 1 ? h - 1 : ys[k]);
  }
  double a = p[ys[0] * stride + xs[0] * step], b = p[ys[0] * stride + xs[1] * step];
  double c = p[ys[1] * stride + xs[0] * step], d = p[ys[1] * stride + xs[1] * step];
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

static int ref_rgb(const gk_video_frame *f, double dx, double dy, double o[3]) {
  int W = f->coded_w_, H = f->coded_h_;
  if (f->mirrored_) dx = f->width - dx;
  double cx, cy;
  switch (f->rotation_deg_) {
    case 90: cx = dy; cy = H - dx; break;
    case 180: cx = W - dx; cy = H - dy; break;
    case 270: cx = W - dy; cy = dx; break;
    default: cx = dx; cy = dy; break;
  }
  if (!(cx >= 0 && cx <= W && cy >= 0 && cy <= H)) return 0;
  double Y = ref_plane(f->plane_[0], f->stride_[0], 1, W, H, cx - .5, cy - .5);
  double U = ref_plane(f->plane_[1], f->stride_[1], f->chroma_step_, W / 2,
                       H / 2, cx / 2 - .5, cy / 2 - .5) - 128;
  double V = ref_plane(f->plane_[2], f->stride_[2], f->chroma_step_, W / 2,
                       H / 2, cx / 2 - .5, cy / 2 - .5) - 128;
  double rgb[3] = {Y + 1.402 * V, Y - 0.344136 * U - 0.714136 * V,
                   Y + 1.772 * U};
  for (int k = 0; k < 3; k++)
    o[k] = rgb[k] < 0 ? 0 : (rgb[k] > 255 ? 255 : rgb[k]);
  return 1;
}

/* Every pixel of regions inside, across and outside the edges (both
   paths of the warp: fixed point inside, checked past the edges), for
   every turn and mirror and both chroma layouts, against ref_rgb. */
static void test_warp_matches_reference(void) {
  enum { W = 64, H = 48 };
  static uint8_t y[H][W], u[H / 2][W / 2], v[H / 2][W / 2], uv[H / 2][W];
  uint32_t s = 7;
  for (int j = 0; j < H; j++)
    for (int i = 0; i < W; i++) {
      s = s * 1103515245u + 12345u;
      y[j][i] = (uint8_t)(s >> 20);
    }
  for (int j = 0; j < H / 2; j++)
    for (int i = 0; i < W / 2; i++) {
      s = s * 1103515245u + 12345u;
      u[j][i] = (uint8_t)(s >> 20);
      v[j][i] = (uint8_t)(s >> 12);
      uv[j][2 * i] = u[j][i];
      uv[j][2 * i + 1] = v[j][i];
    }
  static float out[120 * 120 * 3];
  /* Turned by 0.3 rad at 0.6 px per pixel from (-10, -12): crosses every
     edge; the same unturned at 0.3 px from (8, 6): inside; and far out. */
  double c = cos(0.3) * 0.6, sn = sin(0.3) * 0.6;
  /* and rows wholly above the picture that slope towards it without
     reaching it (no pixel of the row inside: the fast path must take none) */
  const double ms[4][6] = {{c, -sn, -10, sn, c, -12},
                           {0.3, 0, 8, 0, 0.3, 6},
                           {1, 0, 500, 0, 1, -300},
                           {0.4, 0, 3, 0.063, 0, -25.5}};
  double worst = 0;
  long inside = 0, border = 0, bad = 0;
  for (int layout = 0; layout < 2; layout++)
    for (int rot = 0; rot < 360; rot += 90)
      for (int mir = 0; mir < 2; mir++)
        for (int mi = 0; mi < 4; mi++) {
          gk_video_frame f;
          memset(&f, 0, sizeof f);
          f.plane_[0] = &y[0][0];
          f.stride_[0] = W;
          if (layout == 0) {
            f.plane_[1] = &u[0][0];
            f.plane_[2] = &v[0][0];
            f.stride_[1] = f.stride_[2] = W / 2;
            f.chroma_step_ = 1;
          } else {
            f.plane_[1] = &uv[0][0];
            f.plane_[2] = &uv[0][1];
            f.stride_[1] = f.stride_[2] = W;
            f.chroma_step_ = 2;
          }
          f.chroma_w_shift_ = f.chroma_h_shift_ = 1;
          f.coded_w_ = W;
          f.coded_h_ = H;
          f.rotation_deg_ = rot;
          f.mirrored_ = mir;
          f.full_range_ = 1;
          gk__video_display_size(W, H, rot, &f.width, &f.height);
          const double *m = ms[mi];
          gk_video_warp(&f, m, 120, 120, 0.0f, 255.0f, -1.0f, out);
          for (int j = 0; j < 120; j++)
            for (int i = 0; i < 120; i++) {
              double qx = m[0] * (i + .5) + m[1] * (j + .5) + m[2];
              double qy = m[3] * (i + .5) + m[4] * (j + .5) + m[5];
              double want[3];
              const float *got = out + (j * 120 + i) * 3;
              if (!ref_rgb(&f, qx, qy, want)) {
                border++;
                if (got[0] != -1.0f || got[1] != -1.0f || got[2] != -1.0f)
                  bad++;
                continue;
              }
              inside++;
              for (int k = 0; k < 3; k++)
                if (fabs(got[k] - want[k]) > worst)
                  worst = fabs(got[k] - want[k]);
            }
        }
  CHECK_EQ_INT(bad, 0);
  CHECK_TRUE(inside > 100000 && border > 100000);
  CHECK_TRUE(worst < 1.0);
  printf("warp against the reference: %ld points inside, %ld outside, "
         "largest difference %.3f of 255\n", inside, border, worst);
}

/* ---- clips made with ffmpeg ------------------------------------------- */

/* Quadrants: red | lime over blue | white, 160x120, 8 frames. */
static const char *quad_src =
    "-f lavfi -i \"color=red:s=80x60:r=30[a];color=lime:s=80x60:r=30[b];"
    "color=blue:s=80x60:r=30[c];color=white:s=80x60:r=30[d];"
    "[a][b]hstack[t];[c][d]hstack[u];[t][u]vstack,format=yuv420p\" "
    "-frames:v 8";

typedef struct rgbf { float r, g, b; } rgbf;

static rgbf warp_at(const gk_video_frame *f, double x, double y) {
  double m[6] = {0, 0, x, 0, 0, y};
  float o[3];
  gk_video_warp(f, m, 1, 1, 0.0f, 255.0f, -1.0f, o);
  rgbf c = {o[0], o[1], o[2]};
  return c;
}

static int near_rgb(rgbf c, int r, int g, int b) {
  return fabsf(c.r - r) < 12 && fabsf(c.g - g) < 12 && fabsf(c.b - b) < 12;
}

/* The first frame of `name`: its display size, our whole-frame warp against
   ffmpeg's own upright rgb24 decode (mean abs difference per channel). */
static double compare_with_ffmpeg(const char *name, gk_video_frame *first,
                                  gk_video **keep) {
  char args[1024];
  snprintf(args, sizeof args, "-i %s -frames:v 1 -f rawvideo -pix_fmt rgb24 %s.rgb",
           name, name);
  if (!ff(args)) return 1e9;
  char rgbname[300];
  snprintf(rgbname, sizeof rgbname, "%s.rgb", name);
  size_t n = 0;
  uint8_t *ref = slurp(tpath(rgbname), &n);
  gk_video *v = open_ok(tpath(name));
  double diff = 1e9;
  if (ref != NULL && v != NULL) {
    int got = 0;
    gk_err err;
    if (gk_video_next(v, first, &got, &err) == GK_OK && got &&
        n == (size_t)first->width * first->height * 3) {
      int w = first->width, h = first->height;
      float *ours = (float *)malloc((size_t)w * h * 3 * sizeof(float));
      double id[6] = {1, 0, 0, 0, 1, 0};
      gk_video_warp(first, id, w, h, 0.0f, 255.0f, 0.0f, ours);
      double s = 0;
      for (size_t k = 0; k < n; k++) s += fabs(ours[k] - ref[k]);
      diff = s / (double)n;
      free(ours);
    } else {
      fprintf(stderr, "%s: %zu reference bytes for %dx%d\n", name, n,
              first->width, first->height);
    }
  }
  free(ref);
  *keep = v;
  return diff;
}

static void test_rotation_clips(void) {
  if (!have_ffmpeg) return;
  char args[1024];
  snprintf(args, sizeof args, "%s -c:v libx264 -movflags +faststart q.mp4",
           quad_src);
  ASSERT_TRUE(ff(args));
  ASSERT_TRUE(ff("-i q.mp4 -c copy -metadata:s:v:0 rotate=90 q90.mp4"));
  ASSERT_TRUE(ff("-i q.mp4 -c copy -metadata:s:v:0 rotate=270 q270.mp4"));
  ASSERT_TRUE(ff("-i q.mp4 -c copy -metadata:s:v:0 rotate=180 q180.mp4"));
  /* ffprobe must see the display matrix in the rotated files. */
  char cmd[1024];
  snprintf(cmd, sizeof cmd,
           "ffprobe -v error -show_streams %s/q90.mp4 | grep -q 'Display Matrix'",
           tmpdir);
  CHECK_EQ_INT(system(cmd), 0);

  gk_video_frame f;
  gk_video *v = NULL;
  double d = compare_with_ffmpeg("q.mp4", &f, &v);
  CHECK_TRUE(d < 2.0);
  const gk_video_info *in = gk_video_get_info(v);
  ASSERT_TRUE(in != NULL);
  CHECK_EQ_INT(in->rotation_deg, 0);
  CHECK_EQ_INT(in->width, 160);
  CHECK_EQ_INT(in->height, 120);
  CHECK_TRUE(strcmp(in->codec, "h264") == 0);
  CHECK_TRUE(strstr(in->container, "mp4") != NULL);
  CHECK_TRUE(strcmp(in->pix_fmt, "yuv420p") == 0);
  CHECK_NEAR(in->fps, 30, 1e-9);
  CHECK_EQ_INT(in->frames_hint, 8);
  CHECK_TRUE(near_rgb(warp_at(&f, 40, 30), 255, 0, 0));
  CHECK_TRUE(near_rgb(warp_at(&f, 120, 30), 0, 255, 0));
  CHECK_TRUE(near_rgb(warp_at(&f, 40, 90), 0, 0, 255));
  CHECK_TRUE(near_rgb(warp_at(&f, 120, 90), 255, 255, 255));
  gk_video_close(v);

  /* rotate=90 as written by ffmpeg 5.1: its player turns the picture a
     quarter counter-clockwise (the red top-left goes to the bottom left). */
  d = compare_with_ffmpeg("q90.mp4", &f, &v);
  CHECK_TRUE(d < 2.0);
  in = gk_video_get_info(v);
  ASSERT_TRUE(in != NULL);
  CHECK_EQ_INT(in->width, 120);
  CHECK_EQ_INT(in->height, 160);
  CHECK_EQ_INT(in->coded_width, 160);
  CHECK_TRUE(in->rotation_deg == 90 || in->rotation_deg == 270);
  int rot90 = in->rotation_deg;
  CHECK_EQ_INT(f.width, 120);
  CHECK_TRUE(near_rgb(warp_at(&f, 30, 120), 255, 0, 0));
  CHECK_TRUE(near_rgb(warp_at(&f, 30, 40), 0, 255, 0));
  gk_video_close(v);

  d = compare_with_ffmpeg("q270.mp4", &f, &v);
  CHECK_TRUE(d < 2.0);
  in = gk_video_get_info(v);
  ASSERT_TRUE(in != NULL);
  CHECK_EQ_INT(in->width, 120);
  CHECK_EQ_INT(in->height, 160);
  CHECK_TRUE(in->rotation_deg == 90 || in->rotation_deg == 270);
  CHECK_TRUE(in->rotation_deg != rot90);
  CHECK_TRUE(near_rgb(warp_at(&f, 90, 40), 255, 0, 0));
  gk_video_close(v);

  d = compare_with_ffmpeg("q180.mp4", &f, &v);
  CHECK_TRUE(d < 2.0);
  in = gk_video_get_info(v);
  ASSERT_TRUE(in != NULL);
  CHECK_EQ_INT(in->rotation_deg, 180);
  CHECK_TRUE(near_rgb(warp_at(&f, 120, 90), 255, 0, 0));
  gk_video_close(v);
}

/* The offset of the first tkhd box's matrix in an mp4 (0: none). */
static size_t tkhd_matrix(const uint8_t *b, size_t n) {
  for (size_t i = 4; i + 84 <= n; i++)
    if (memcmp(b + i, "tkhd", 4) == 0 && b[i + 4] == 0) return i - 4 + 48;
  return 0;
}

static void put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* A mirrored matrix, written into the file's tkhd by hand (ffmpeg 5.1's
   command line cannot make one): x -> W - x. */
static void test_mirrored(void) {
  if (!have_ffmpeg) return;
  size_t n = 0;
  uint8_t *b = slurp(tpath("q.mp4"), &n);
  ASSERT_TRUE(b != NULL);
  size_t at = tkhd_matrix(b, n);
  ASSERT_TRUE(at > 0);
  put_be32(b + at, 0xFFFF0000u);          /* a = -1 */
  put_be32(b + at + 24, 160u << 16);      /* tx = width */
  gk_video *v = NULL;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_video_open_mem(b, n, &v, &err), GK_OK);
  const gk_video_info *in = gk_video_get_info(v);
  CHECK_EQ_INT(in->mirrored, 1);
  CHECK_EQ_INT(in->rotation_deg, 0);
  CHECK_EQ_INT(in->width, 160);
  gk_video_frame f;
  int got = 0;
  ASSERT_EQ_INT(gk_video_next(v, &f, &got, &err), GK_OK);
  ASSERT_EQ_INT(got, 1);
  CHECK_TRUE(near_rgb(warp_at(&f, 40, 30), 0, 255, 0));  /* was right */
  CHECK_TRUE(near_rgb(warp_at(&f, 120, 30), 255, 0, 0));
  CHECK_TRUE(near_rgb(warp_at(&f, 40, 90), 255, 255, 255));
  uint8_t small[4 * 2 * 3];
  gk_video_frame_rgb8(&f, 4, 2, small);
  CHECK_TRUE(small[0] < 20 && small[1] > 230 && small[2] < 20);
  CHECK_TRUE(small[3 * 3] > 230 && small[3 * 3 + 1] < 20);
  gk_video_close(v);
  free(b);
}

static void test_rgb8(void) {
  if (!have_ffmpeg) return;
  gk_video *v = open_ok(tpath("q90.mp4"));
  ASSERT_TRUE(v != NULL);
  gk_video_frame f;
  int got = 0;
  gk_err err;
  ASSERT_EQ_INT(gk_video_next(v, &f, &got, &err), GK_OK);
  ASSERT_EQ_INT(got, 1);
  /* 12 x 16 of the 120 x 160 display: each quadrant 6 x 8. */
  uint8_t px[12 * 16 * 3];
  gk_video_frame_rgb8(&f, 12, 16, px);
  const uint8_t *tl = px + (2 * 12 + 2) * 3, *bl = px + (13 * 12 + 2) * 3;
  const uint8_t *br = px + (13 * 12 + 9) * 3;
  CHECK_TRUE(tl[0] < 20 && tl[1] > 230 && tl[2] < 20);  /* lime */
  CHECK_TRUE(bl[0] > 230 && bl[1] < 20 && bl[2] < 20);  /* red */
  CHECK_TRUE(br[0] < 20 && br[1] < 20 && br[2] > 230);  /* blue */
  gk_video_close(v);
}

static void test_memory_matches_file(void) {
  if (!have_ffmpeg) return;
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=176x144:r=25 -frames:v 50 "
                 "-c:v libx264 -pix_fmt yuv420p a.mp4"));
  size_t n = 0;
  uint8_t *b = slurp(tpath("a.mp4"), &n);
  ASSERT_TRUE(b != NULL);
  gk_video *v = NULL;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_video_open_mem(b, n, &v, &err), GK_OK);
  run r;
  decode_all(v, &r);
  CHECK_EQ_INT(r.status, GK_OK);
  CHECK_EQ_INT(r.frames, 50);
  CHECK_TRUE(r.monotonic);
  CHECK_NEAR(r.t_last, 49 / 25.0, 1e-6);
  CHECK_NEAR(r.dt_min, 0.04, 1e-6);
  CHECK_NEAR(r.dt_max, 0.04, 1e-6);
  CHECK_EQ_INT(gk_video_get_info(v)->variable_rate, 0);
  CHECK_EQ_INT(gk_video_get_info(v)->decode_errors, 0);
  /* After the end: still the end. */
  gk_video_frame f;
  int got = 1;
  CHECK_EQ_INT(gk_video_next(v, &f, &got, &err), GK_OK);
  CHECK_EQ_INT(got, 0);
  gk_video_close(v);
  v = open_ok(tpath("a.mp4"));
  ASSERT_TRUE(v != NULL);
  run r2;
  decode_all(v, &r2);
  CHECK_EQ_INT(r2.frames, 50);
  CHECK_NEAR(r2.t_last, r.t_last, 0);
  gk_video_close(v);
  free(b);
}

static void test_hevc_and_rates(void) {
  if (!have_ffmpeg) return;
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=128x96:r=30 -frames:v 30 "
                 "-c:v libx265 -x265-params log-level=error -pix_fmt yuv420p "
                 "h.mp4"));
  gk_video *v = open_ok(tpath("h.mp4"));
  ASSERT_TRUE(v != NULL);
  CHECK_TRUE(strcmp(gk_video_get_info(v)->codec, "hevc") == 0);
  run r;
  decode_all(v, &r);
  CHECK_EQ_INT(r.status, GK_OK);
  CHECK_EQ_INT(r.frames, 30);
  CHECK_NEAR(r.t_last, 29 / 30.0, 1e-3);
  gk_video_close(v);

  /* Slow motion: 120 frames a second keep their spacing. */
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=128x96:r=120 -frames:v 120 "
                 "-c:v libx264 -pix_fmt yuv420p s.mp4"));
  v = open_ok(tpath("s.mp4"));
  ASSERT_TRUE(v != NULL);
  CHECK_NEAR(gk_video_get_info(v)->fps, 120, 1e-6);
  decode_all(v, &r);
  CHECK_EQ_INT(r.frames, 120);
  CHECK_NEAR(r.dt_min, 1 / 120.0, 1e-4);
  CHECK_NEAR(r.dt_max, 1 / 120.0, 1e-4);
  CHECK_EQ_INT(gk_video_get_info(v)->variable_rate, 0);
  gk_video_close(v);
  /* The same in Matroska, whose millisecond ticks make the spacing 8 or
     9 ms: rounding, not a variable rate. */
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=128x96:r=120 -frames:v 120 "
                 "-c:v libx264 -pix_fmt yuv420p s.mkv"));
  v = open_ok(tpath("s.mkv"));
  ASSERT_TRUE(v != NULL);
  decode_all(v, &r);
  CHECK_EQ_INT(r.frames, 120);
  CHECK_NEAR(r.dt_min, 0.008, 1e-9);
  CHECK_NEAR(r.dt_max, 0.009, 1e-9);
  CHECK_EQ_INT(gk_video_get_info(v)->variable_rate, 0);
  gk_video_close(v);

  /* Variable rate: of 60 frames at 30 fps, every third dropped; the gaps
     stay in the timestamps. */
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=128x96:r=30:d=2 "
                 "-vf \"select='mod(n\\,3)'\" -fps_mode vfr "
                 "-c:v libx264 -pix_fmt yuv420p vfr.mp4"));
  v = open_ok(tpath("vfr.mp4"));
  ASSERT_TRUE(v != NULL);
  decode_all(v, &r);
  CHECK_EQ_INT(r.status, GK_OK);
  CHECK_EQ_INT(r.frames, 40);
  CHECK_NEAR(r.dt_min, 1 / 30.0, 1e-3);
  CHECK_NEAR(r.dt_max, 2 / 30.0, 1e-3);
  CHECK_NEAR(r.t_last, 58 / 30.0, 1e-3); /* frames 1 .. 59 */
  CHECK_EQ_INT(gk_video_get_info(v)->variable_rate, 1);
  gk_video_close(v);
}

/* 10-bit (an HDR phone's yuv420p10le) goes through libswscale. */
static void test_ten_bit(void) {
  if (!have_ffmpeg) return;
  char args[1024];
  snprintf(args, sizeof args,
           "%s -vf format=yuv420p10le -c:v libx265 -x265-params "
           "log-level=error q10.mp4", quad_src);
  ASSERT_TRUE(ff(args));
  gk_video *v = open_ok(tpath("q10.mp4"));
  ASSERT_TRUE(v != NULL);
  CHECK_TRUE(strcmp(gk_video_get_info(v)->pix_fmt, "yuv420p10le") == 0);
  gk_video_frame f;
  int got = 0;
  gk_err err;
  ASSERT_EQ_INT(gk_video_next(v, &f, &got, &err), GK_OK);
  ASSERT_EQ_INT(got, 1);
  CHECK_TRUE(near_rgb(warp_at(&f, 40, 30), 255, 0, 0));
  CHECK_TRUE(near_rgb(warp_at(&f, 120, 30), 0, 255, 0));
  CHECK_TRUE(near_rgb(warp_at(&f, 40, 90), 0, 0, 255));
  run r;
  decode_all(v, &r);
  CHECK_EQ_INT(r.frames, 7);
  gk_video_close(v);
}

/* Full range (MJPEG's yuvj422p) and a stream tagged BT.709. */
static void test_colour_ranges(void) {
  if (!have_ffmpeg) return;
  char args[1024];
  snprintf(args, sizeof args, "%s -c:v mjpeg -q:v 2 qj.avi", quad_src);
  ASSERT_TRUE(ff(args));
  snprintf(args, sizeof args,
           "%s -vf scale=out_color_matrix=bt709 -c:v libx264 -colorspace bt709 "
           "-color_primaries bt709 -color_trc bt709 q709.mp4", quad_src);
  ASSERT_TRUE(ff(args));
  const char *names[2] = {"qj.avi", "q709.mp4"};
  for (int k = 0; k < 2; k++) {
    gk_video_frame f;
    gk_video *v = NULL;
    double d = compare_with_ffmpeg(names[k], &f, &v);
    CHECK_TRUE(d < 3.0);
    ASSERT_TRUE(v != NULL);
    if (k == 0) CHECK_EQ_INT(f.full_range_, 1);
    if (k == 1) CHECK_EQ_INT(f.bt709_, 1);
    CHECK_TRUE(near_rgb(warp_at(&f, 40, 30), 255, 0, 0));
    CHECK_TRUE(near_rgb(warp_at(&f, 120, 30), 0, 255, 0));
    CHECK_TRUE(near_rgb(warp_at(&f, 40, 90), 0, 0, 255));
    CHECK_TRUE(near_rgb(warp_at(&f, 120, 90), 255, 255, 255));
    gk_video_close(v);
  }
}

/* The pixel formats read straight from the planes (nv12 from raw video,
   4:2:2 and 4:4:4 from x264) and one converted (grey), each against
   ffmpeg's own decode. */
static void test_pixel_formats(void) {
  if (!have_ffmpeg) return;
  static const struct {
    const char *args, *name, *pix;
  } c[] = {
      {"-vf format=nv12 -c:v rawvideo", "qnv12.mkv", "nv12"},
      {"-vf format=yuv422p -c:v libx264", "q422.mp4", "yuv422p"},
      {"-vf format=yuv444p -c:v libx264", "q444.mp4", "yuv444p"},
      {"-vf format=gray -c:v ffv1", "qgray.mkv", "gray"},
  };
  for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
    char args[1024];
    snprintf(args, sizeof args, "%s %s %s", quad_src, c[k].args, c[k].name);
    ASSERT_TRUE(ff(args));
    gk_video_frame f;
    gk_video *v = NULL;
    double d = compare_with_ffmpeg(c[k].name, &f, &v);
    ASSERT_TRUE(v != NULL);
    CHECK_TRUE(d < 2.0);
    if (d >= 2.0) fprintf(stderr, "%s: mean difference %.2f\n", c[k].name, d);
    CHECK_TRUE(strcmp(gk_video_get_info(v)->pix_fmt, c[k].pix) == 0);
    if (k == 0) CHECK_EQ_INT(f.chroma_step_, 2);
    if (k < 3) {
      CHECK_TRUE(near_rgb(warp_at(&f, 40, 30), 255, 0, 0));
      CHECK_TRUE(near_rgb(warp_at(&f, 120, 90), 255, 255, 255));
    }
    gk_video_close(v);
  }
}

/* A cut file (moov first, so the frames before the cut are readable). */
static void test_truncated(void) {
  if (!have_ffmpeg) return;
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=176x144:r=25 -frames:v 50 "
                 "-c:v libx264 -pix_fmt yuv420p -g 10 -movflags +faststart "
                 "full.mp4"));
  size_t n = 0;
  uint8_t *b = slurp(tpath("full.mp4"), &n);
  ASSERT_TRUE(b != NULL);
  size_t cut = n * 6 / 10;
  ASSERT_TRUE(write_file(tpath("cut.mp4"), b, cut));
  gk_video *v = open_ok(tpath("cut.mp4"));
  ASSERT_TRUE(v != NULL);
  run r;
  decode_all(v, &r);
  CHECK_TRUE(r.frames > 5 && r.frames < 50);
  CHECK_EQ_INT(r.status, GK_E_TRUNCATED);
  CHECK_TRUE(r.err.offset > 0 && r.err.offset <= cut);
  char want[64];
  snprintf(want, sizeof want, "at byte %llu (frame %lld, ",
           (unsigned long long)r.err.offset, (long long)r.frames);
  CHECK_TRUE(strstr(r.msg, want) != NULL);
  CHECK_TRUE(strstr(r.msg, " s)") != NULL);
  fprintf(stderr, "cut at %zu of %zu: %lld frames, \"%s\"\n", cut, n,
          (long long)r.frames, r.msg);
  /* And again after the error: the same error, no frame. */
  gk_video_frame f;
  int got = 1;
  gk_err err;
  CHECK_EQ_INT(gk_video_next(v, &f, &got, &err), GK_E_TRUNCATED);
  CHECK_EQ_INT(got, 0);
  gk_video_close(v);
  /* The same bytes from memory. */
  ASSERT_EQ_INT(gk_video_open_mem(b, cut, &v, &err), GK_OK);
  run rm;
  decode_all(v, &rm);
  CHECK_EQ_INT(rm.frames, r.frames);
  CHECK_EQ_INT(rm.status, GK_E_TRUNCATED);
  gk_video_close(v);
  free(b);
}

/* Matroska and WebM cut short end without a read error: the frames fall
   short of the duration in the header. */
static void test_truncated_matroska(void) {
  if (!have_ffmpeg) return;
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=176x144:r=25 -frames:v 50 "
                 "-c:v libvpx-vp9 -b:v 200k full.webm"));
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=176x144:r=25 -frames:v 50 "
                 "-c:v libx264 -pix_fmt yuv420p full.mkv"));
  const char *names[2] = {"full.webm", "full.mkv"};
  for (int k = 0; k < 2; k++) {
    gk_video *v = open_ok(tpath(names[k]));
    ASSERT_TRUE(v != NULL);
    run r;
    decode_all(v, &r);
    CHECK_EQ_INT(r.status, GK_OK);
    CHECK_EQ_INT(r.frames, 50);
    gk_video_close(v);
    size_t n = 0;
    uint8_t *b = slurp(tpath(names[k]), &n);
    ASSERT_TRUE(b != NULL);
    size_t cut = n * 6 / 10;
    gk_err err = {0};
    ASSERT_EQ_INT(gk_video_open_mem(b, cut, &v, &err), GK_OK);
    decode_all(v, &r);
    fprintf(stderr, "%s cut at %zu of %zu: %lld frames, \"%s\"\n", names[k],
            cut, n, (long long)r.frames, r.msg);
    CHECK_EQ_INT(r.status, GK_E_TRUNCATED);
    CHECK_TRUE(r.frames > 15 && r.frames < 40);
    CHECK_EQ_INT(r.err.offset, cut);
    CHECK_TRUE(strncmp(r.msg, "the file ends inside the video at byte ", 39) == 0);
    gk_video_close(v);
    free(b);
  }
}

static void expect_refused(const char *path, gk_status want,
                           const char *msg_part) {
  gk_video *v = (gk_video *)1;
  gk_err err = {0};
  gk_status st = gk_video_open(path, &v, &err);
  CHECK_EQ_INT(st, want);
  CHECK_TRUE(v == NULL);
  CHECK_TRUE(err.msg != NULL && strstr(err.msg, msg_part) != NULL);
  if (err.msg != NULL && strstr(err.msg, msg_part) == NULL)
    fprintf(stderr, "%s: \"%s\"\n", path, err.msg);
}

static void test_not_video(void) {
  /* These need no ffmpeg. */
  uint8_t junk[4096];
  uint32_t s = 12345;
  for (size_t i = 0; i < sizeof junk; i++) {
    s = s * 1103515245u + 12345u;
    junk[i] = (uint8_t)(s >> 16);
  }
  ASSERT_TRUE(write_file(tpath("junk.bin"), junk, sizeof junk));
  ASSERT_TRUE(write_file(tpath("empty.mp4"), "", 0));
  const char *text = "date,pain\n2026-12-01,3\n2026-12-02,2\n";
  ASSERT_TRUE(write_file(tpath("notes.txt"), text, strlen(text)));
  expect_refused(tpath("junk.bin"), GK_E_CORRUPT, "not a video file");
  expect_refused(tpath("empty.mp4"), GK_E_TRUNCATED, "the file is empty");
  expect_refused(tpath("notes.txt"), GK_E_CORRUPT, "not a video file");
  expect_refused(tpath("no-such-file.mp4"), GK_E_IO, "cannot be opened");
  gk_video *v = NULL;
  gk_err err = {0};
  CHECK_EQ_INT(gk_video_open_mem(junk, 0, &v, &err), GK_E_TRUNCATED);
  CHECK_EQ_INT(gk_video_open_mem(junk, sizeof junk, &v, &err), GK_E_CORRUPT);
  CHECK_TRUE(v == NULL);
  CHECK_EQ_INT(gk_video_open(NULL, &v, &err), GK_E_ARG);
  /* A playlist naming another file is not followed (not a format read). */
  char m3u[600];
  snprintf(m3u, sizeof m3u,
           "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n%s\n#EXT-X-ENDLIST\n",
           tpath("a.mp4"));
  ASSERT_TRUE(write_file(tpath("list.m3u8"), m3u, strlen(m3u)));
  expect_refused(tpath("list.m3u8"), GK_E_CORRUPT, "not a video file");
  if (!have_ffmpeg) return;
  ASSERT_TRUE(ff("-f lavfi -i sine=f=440:d=1 -c:a aac tone.m4a"));
  expect_refused(tpath("tone.m4a"), GK_E_UNSUPPORTED, "no video stream");
}

/* Bytes overwritten in the middle of the picture data: the decoder skips
   what it cannot read and the frames go on. */
static void test_damaged_middle(void) {
  if (!have_ffmpeg) return;
  size_t n = 0;
  uint8_t *b = slurp(tpath("full.mp4"), &n);
  ASSERT_TRUE(b != NULL);
  for (size_t i = n / 2; i < n / 2 + 3000 && i < n; i++) b[i] = 0xFF;
  gk_video *v = NULL;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_video_open_mem(b, n, &v, &err), GK_OK);
  run r;
  decode_all(v, &r);
  fprintf(stderr, "damaged middle: %lld frames, %lld decode errors, %s\n",
          (long long)r.frames, (long long)gk_video_get_info(v)->decode_errors,
          gk_strerror(r.status));
  CHECK_TRUE(r.frames >= 40);
  CHECK_EQ_INT(r.status, GK_OK);
  CHECK_TRUE(gk_video_get_info(v)->decode_errors > 0);
  gk_video_close(v);
  free(b);
  /* The whole second half overwritten: more refused packets in a row than
     GK_VIDEO_MAX_DECODE_ERRORS, so the stream is damaged there. */
  b = slurp(tpath("full.mp4"), &n);
  ASSERT_TRUE(b != NULL);
  for (size_t i = n / 2; i < n; i++) b[i] = (uint8_t)(i * 131);
  ASSERT_EQ_INT(gk_video_open_mem(b, n, &v, &err), GK_OK);
  decode_all(v, &r);
  fprintf(stderr, "damaged half: %lld frames, %lld decode errors, \"%s\"\n",
          (long long)r.frames, (long long)gk_video_get_info(v)->decode_errors,
          r.msg);
  CHECK_EQ_INT(r.status, GK_E_CORRUPT);
  CHECK_TRUE(r.frames > 5 && r.frames < 50);
  /* Where the damage starts: the first refused packet of the run, which
     holds or follows byte n / 2 (these packets are < 2,000 bytes). */
  CHECK_TRUE(r.err.offset + 2000 >= n / 2 && r.err.offset < n / 2 + 4000);
  CHECK_TRUE(strncmp(r.msg, "the stream is damaged at byte ", 30) == 0);
  CHECK_TRUE(gk_video_get_info(v)->decode_errors > GK_VIDEO_MAX_DECODE_ERRORS);
  gk_video_close(v);
  free(b);
}

static void test_real_clip(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/pose/videos/sports2d_demo.mp4",
           GK_SHARED_DATA);
  if (access(path, R_OK) != 0) {
    printf("skipped: %s is absent\n", path);
    return;
  }
  gk_video *v = open_ok(path);
  ASSERT_TRUE(v != NULL);
  const gk_video_info *in = gk_video_get_info(v);
  CHECK_TRUE(strcmp(in->codec, "vp9") == 0);
  CHECK_EQ_INT(in->width, 1768);
  CHECK_EQ_INT(in->height, 994);
  CHECK_NEAR(in->fps, 30, 1e-6);
  run r;
  decode_all(v, &r);
  CHECK_EQ_INT(r.status, GK_OK);
  CHECK_EQ_INT(r.frames, 230);
  CHECK_NEAR(r.t_last, 229 / 30.0, 1e-3);
  CHECK_NEAR(r.dt_min, 1 / 30.0, 1e-3);
  CHECK_NEAR(r.dt_max, 1 / 30.0, 1e-3);
  CHECK_EQ_INT(in->variable_rate, 0);
  CHECK_EQ_INT(in->decode_errors, 0);
  gk_video_close(v);
}

/* ---- leaving out pictures (gk_video_skip_until) ------------------------- */

/* A hash of the frame's luma plane (FNV-1a over the coded picture). */
static uint64_t luma_hash(const gk_video_frame *f) {
  uint64_t h = 1469598103934665603ull;
  for (int y = 0; y < f->coded_h_; y++) {
    const uint8_t *row = f->plane_[0] + (size_t)y * (size_t)f->stride_[0];
    for (int x = 0; x < f->coded_w_; x++) h = (h ^ row[x]) * 1099511628211ull;
  }
  return h;
}

#define SKIP_MAX 256
typedef struct seen_frames {
  int n;
  double t[SKIP_MAX];
  uint64_t h[SKIP_MAX];
} seen_frames;

/* Decode a clip: every frame (every <= 0), or as the pose's first pass
   does, a sample every `every` seconds with the pictures nothing refers
   to left out in between.  sampled: the frames taken as samples. */
static void decode_sampled(const char *path, double every, seen_frames *all,
                           seen_frames *sampled) {
  memset(all, 0, sizeof *all);
  memset(sampled, 0, sizeof *sampled);
  gk_video *v = open_ok(path);
  ASSERT_TRUE(v != NULL);
  double next = -INFINITY;
  for (;;) {
    gk_video_frame f;
    int got = 0;
    gk_err err;
    ASSERT_EQ_INT(gk_video_next(v, &f, &got, &err), GK_OK);
    if (!got) break;
    ASSERT_TRUE(all->n < SKIP_MAX);
    CHECK_EQ_INT(f.index, all->n);
    all->t[all->n] = f.t_s;
    all->h[all->n++] = luma_hash(&f);
    if (every > 0 && f.t_s >= next) {
      next = f.t_s + every;
      gk_video_skip_until(v, next);
      sampled->t[sampled->n] = f.t_s;
      sampled->h[sampled->n++] = all->h[all->n - 1];
    }
  }
  CHECK_EQ_INT(gk_video_get_info(v)->variable_rate, 0);
  CHECK_EQ_INT(gk_video_get_info(v)->decode_errors, 0);
  gk_video_close(v);
}

/* Frames sampled every 0.2 s with the non-reference pictures left out in
   between: fewer pictures decoded (x264's and x265's B frames), every
   frame returned is the full decode's frame of that time, picture for
   picture, and the samples fall on the same frames as in a full decode. */
static void check_skip(const char *file, int expect_fewer) {
  seen_frames full, full_s, skip, skip_s;
  decode_sampled(tpath(file), 0, &full, &full_s);
  decode_sampled(tpath(file), 0.2, &skip, &skip_s);
  ASSERT_EQ_INT(full.n, 60);
  if (expect_fewer) CHECK_TRUE(skip.n < full.n);
  printf("  %s: %d of %d pictures decoded when sampled every 0.2 s\n", file,
         skip.n, full.n);
  int j = 0, same = 1;
  for (int i = 0; i < skip.n; i++) {
    while (j < full.n && full.t[j] < skip.t[i] - 1e-9) j++;
    if (j == full.n || fabs(full.t[j] - skip.t[i]) > 1e-9 ||
        full.h[j] != skip.h[i])
      same = 0;
  }
  CHECK_TRUE(same);
  /* the samples of a full decode (every frame, the same rule) */
  double next = -INFINITY;
  int k = 0;
  for (int i = 0; i < full.n; i++)
    if (full.t[i] >= next) {
      next = full.t[i] + 0.2;
      CHECK_TRUE(k < skip_s.n && fabs(skip_s.t[k] - full.t[i]) < 1e-9 &&
                 skip_s.h[k] == full.h[i]);
      k++;
    }
  CHECK_EQ_INT(k, skip_s.n);
}

static void test_skip_until(void) {
  if (!have_ffmpeg) return;
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=160x120:r=30 -frames:v 60 "
                 "-c:v libx264 -bf 3 -pix_fmt yuv420p skip.mp4"));
  check_skip("skip.mp4", 1);
  ASSERT_TRUE(ff("-f lavfi -i testsrc2=s=160x120:r=30 -frames:v 60 "
                 "-c:v libx265 -x265-params log-level=error -pix_fmt yuv420p "
                 "skip_hevc.mp4"));
  check_skip("skip_hevc.mp4", 1);
  /* NaN and -INFINITY decode every frame */
  gk_video *v = open_ok(tpath("skip.mp4"));
  ASSERT_TRUE(v != NULL);
  gk_video_skip_until(v, NAN);
  run r;
  decode_all(v, &r);
  CHECK_EQ_INT(r.frames, 60);
  gk_video_close(v);
  gk_video_skip_until(NULL, 1.0);
}

static void cleanup(void) {
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
}

int main(void) {
  const char *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/gk_video_XXXXXX",
           base && *base ? base : "/tmp");
  if (mkdtemp(tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  have_ffmpeg = system("ffmpeg -version >/dev/null 2>&1") == 0;
  if (!have_ffmpeg)
    printf("skipped: the clip tests need the ffmpeg command (not found)\n");
  RUN(test_orientation);
  RUN(test_warp_synthetic);
  RUN(test_warp_matches_reference);
  RUN(test_not_video);
  RUN(test_rotation_clips);
  RUN(test_mirrored);
  RUN(test_rgb8);
  RUN(test_memory_matches_file);
  RUN(test_hevc_and_rates);
  RUN(test_ten_bit);
  RUN(test_colour_ranges);
  RUN(test_pixel_formats);
  RUN(test_truncated);
  RUN(test_truncated_matroska);
  RUN(test_damaged_middle);
  RUN(test_real_clip);
  RUN(test_skip_until);
  cleanup();
  return TEST_SUMMARY();
}
