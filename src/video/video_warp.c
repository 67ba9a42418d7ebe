/*
** src/video/video_warp.c -- RGB samples straight from a frame's YUV planes:
** gk_video_warp (a region as floats for the pose models) and
** gk_video_frame_rgb8 (the whole frame, small, for report pictures).
**
** A display point is taken back to the coded picture (undo the mirror,
** then the turn), Y, U and V are each sampled bilinearly there (chroma at
** its subsampled position, sample centres at .5), and converted with
** BT.601 or BT.709, limited or full range.  Nothing is allocated.
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "video/video_internal.h"

/* Display -> coded coordinates (2x3 affine, entries 0, +-1 and sizes). */
static void display_to_coded(const gk_video_frame *f, double d[6]) {
  double W = f->coded_w_, H = f->coded_h_;
  static const double turn[4][6] = {
      {1, 0, 0, 0, 1, 0},   /* 0 */
      {0, 1, 0, -1, 0, 1},  /* 90: cx = dy, cy = H - dx */
      {-1, 0, 1, 0, -1, 1}, /* 180: cx = W - dx, cy = H - dy */
      {0, -1, 1, 1, 0, 0},  /* 270: cx = W - dy, cy = dx */
  };
  int k = (f->rotation_deg_ / 90) & 3;
  memcpy(d, turn[k], sizeof turn[k]);
  /* The translations above are in units of W (row 0) and H (row 1). */
  d[2] *= W;
  d[5] *= H;
  if (f->mirrored_) {
    /* First dx -> w - dx, in display pixels. */
    double w = f->width;
    d[2] += w * d[0];
    d[5] += w * d[3];
    d[0] = -d[0];
    d[3] = -d[3];
  }
}

typedef struct conv {
  float ys, yo;         /* luma scale and offset */
  float rv, gu, gv, bu; /* chroma coefficients (already range-scaled) */
  float lo, scale;      /* output: lo + v * scale, v in 0..255 */
} conv;

static void conv_init(const gk_video_frame *f, float lo, float hi, conv *c) {
  double kr = f->bt709_ ? 0.2126 : 0.299, kb = f->bt709_ ? 0.0722 : 0.114;
  double kg = 1 - kr - kb;
  double ys = f->full_range_ ? 1.0 : 255.0 / 219.0;
  double cs = f->full_range_ ? 1.0 : 255.0 / 224.0;
  c->ys = (float)ys;
  c->yo = f->full_range_ ? 0.0f : 16.0f;
  c->rv = (float)(cs * 2 * (1 - kr));
  c->bu = (float)(cs * 2 * (1 - kb));
  c->gu = (float)(cs * 2 * kb * (1 - kb) / kg);
  c->gv = (float)(cs * 2 * kr * (1 - kr) / kg);
  c->lo = lo;
  c->scale = (hi - lo) / 255.0f;
}

/* Bilinear sample of one plane at pixel-index coordinates (x, y), centres
   at integers; neighbours clamped to the plane. */
static inline float bilinear(const uint8_t *p, int stride, int step, int w,
                             int h, float x, float y) {
  int x0 = (int)(x + 1.0f) - 1, y0 = (int)(y + 1.0f) - 1; /* floor, x >= -1 */
  float fx = x - (float)x0, fy = y - (float)y0;
  int x1 = x0 + 1, y1 = y0 + 1;
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > w - 1) x1 = w - 1;
  if (y1 > h - 1) y1 = h - 1;
  if (x0 > w - 1) x0 = w - 1;
  if (y0 > h - 1) y0 = h - 1;
  const uint8_t *r0 = p + (ptrdiff_t)y0 * stride;
  const uint8_t *r1 = p + (ptrdiff_t)y1 * stride;
  float a = r0[x0 * step], b = r0[x1 * step];
  float c = r1[x0 * step], d = r1[x1 * step];
  float top = a + (b - a) * fx, bot = c + (d - c) * fx;
  return top + (bot - top) * fy;
}

static inline float clamp255(float v) {
  return v < 0.0f ? 0.0f : (v > 255.0f ? 255.0f : v);
}

/* RGB (0..255) at coded point (cx, cy); 0 when outside the picture. */
static inline int sample(const gk_video_frame *f, const conv *c, float cx,
                         float cy, float rgb[3]) {
  int W = f->coded_w_, H = f->coded_h_;
  if (!(cx >= 0.0f && cx <= (float)W && cy >= 0.0f && cy <= (float)H))
    return 0;
  int sw = f->chroma_w_shift_, sh = f->chroma_h_shift_;
  int cw = (W + (1 << sw) - 1) >> sw, ch = (H + (1 << sh) - 1) >> sh;
  float Y = bilinear(f->plane_[0], f->stride_[0], 1, W, H, cx - 0.5f,
                     cy - 0.5f);
  float ux = cx * (1.0f / (float)(1 << sw)) - 0.5f;
  float uy = cy * (1.0f / (float)(1 << sh)) - 0.5f;
  float U = bilinear(f->plane_[1], f->stride_[1], f->chroma_step_, cw, ch,
                     ux, uy) - 128.0f;
  float V = bilinear(f->plane_[2], f->stride_[2], f->chroma_step_, cw, ch,
                     ux, uy) - 128.0f;
  float y = c->ys * (Y - c->yo);
  rgb[0] = clamp255(y + c->rv * V);
  rgb[1] = clamp255(y - c->gu * U - c->gv * V);
  rgb[2] = clamp255(y + c->bu * U);
  return 1;
}

static int frame_ok(const gk_video_frame *f) {
  return f != NULL && f->plane_[0] != NULL && f->plane_[1] != NULL &&
         f->plane_[2] != NULL && f->coded_w_ > 0 && f->coded_h_ > 0 &&
         f->chroma_step_ >= 1;
}

/* floor(a / b) for b > 0. */
static inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Narrow [*lo, *hi) to the i with 0 <= v + i * d < lim. */
static void keep_inside(int64_t v, int64_t d, int64_t lim, int64_t *lo,
                        int64_t *hi) {
  if (d == 0) {
    if (v < 0 || v >= lim) *hi = *lo;
    return;
  }
  int64_t first, last; /* the inside i: first <= i <= last */
  if (d > 0) {
    first = v >= 0 ? 0 : floor_div(-v + d - 1, d);
    last = floor_div(lim - 1 - v, d);
  } else {
    first = v < lim ? 0 : floor_div(v - lim, -d) + 1;
    last = floor_div(v, -d);
  }
  if (first > *lo) *lo = first;
  if (last + 1 < *hi) *hi = last + 1;
  if (*hi < *lo) *hi = *lo;
}

/* Output pixels i0 <= i < i1 of a row from the checked sampler. */
static void row_checked(const gk_video_frame *f, const conv *c, double x,
                        double y, double dx, double dy, int64_t i0,
                        int64_t i1, float border, float *o) {
  for (int64_t i = i0; i < i1; i++) {
    float px[3], *q = o + i * 3;
    if (sample(f, c, (float)(x + 0.5 + dx * (double)i),
               (float)(y + 0.5 + dy * (double)i), px)) {
      q[0] = c->lo + px[0] * c->scale;
      q[1] = c->lo + px[1] * c->scale;
      q[2] = c->lo + px[2] * c->scale;
    } else {
      q[0] = q[1] = q[2] = border;
    }
  }
}

/*
** One row of n output pixels.  (x, y) is the luma position in pixel-index
** coordinates (centres at integers) of the row's first pixel, (dx, dy) the
** step to the next.  The pixels whose luma and chroma neighbours are all
** inside the planes (a run: the positions are linear in i) take a fixed
** point path, 16 fractional bits for positions and 10 for the bilinear
** weights, with no checks; the others (past an edge) the checked sampler.
*/
static void warp_row(const gk_video_frame *f, const conv *c, double x,
                     double y, double dx, double dy, int n, float border,
                     float *o) {
  int64_t i0 = 0, i1 = 0;
  double reach = (double)n * (fabs(dx) + fabs(dy));
  if (fabs(x) < 1e7 && fabs(y) < 1e7 && reach < 1e8) {
    double sx = 1.0 / (1 << f->chroma_w_shift_);
    double sy = 1.0 / (1 << f->chroma_h_shift_);
    int64_t X = llrint(x * 65536.0), Y = llrint(y * 65536.0);
    int64_t DX = llrint(dx * 65536.0), DY = llrint(dy * 65536.0);
    /* Chroma position: (x + .5) * s - .5 for each axis. */
    int64_t UX = llrint(((x + 0.5) * sx - 0.5) * 65536.0);
    int64_t UY = llrint(((y + 0.5) * sy - 0.5) * 65536.0);
    int64_t DUX = llrint(dx * sx * 65536.0), DUY = llrint(dy * sy * 65536.0);
    int W = f->coded_w_, H = f->coded_h_;
    int cw = (W + (1 << f->chroma_w_shift_) - 1) >> f->chroma_w_shift_;
    int ch = (H + (1 << f->chroma_h_shift_) - 1) >> f->chroma_h_shift_;
    /* Each position needs its right and lower neighbour: < size - 1. */
    i1 = n;
    keep_inside(X, DX, (int64_t)(W - 1) << 16, &i0, &i1);
    keep_inside(Y, DY, (int64_t)(H - 1) << 16, &i0, &i1);
    keep_inside(UX, DUX, (int64_t)(cw - 1) << 16, &i0, &i1);
    keep_inside(UY, DUY, (int64_t)(ch - 1) << 16, &i0, &i1);
    /* keep_inside may leave both ends past n when no pixel is inside */
    if (i0 > n) i0 = n;
    if (i1 > n) i1 = n;
    if (i1 < i0) i1 = i0;
    if (i1 > i0) {
      X += i0 * DX;
      Y += i0 * DY;
      UX += i0 * DUX;
      UY += i0 * DUY;
      float *q = o + i0 * 3;
      int count = (int)(i1 - i0);
      const uint8_t *py = f->plane_[0], *pu = f->plane_[1], *pv = f->plane_[2];
      ptrdiff_t ys = f->stride_[0], us = f->stride_[1], vs = f->stride_[2];
      int st = f->chroma_step_;
      const float k = 1.0f / 1048576.0f; /* 2^-20: two 10-bit weights */
      for (int i = 0; i < count; i++, q += 3) {
        int xi = (int)(X >> 16), yi = (int)(Y >> 16);
        int fx = (int)(X >> 6) & 1023, fy = (int)(Y >> 6) & 1023;
        const uint8_t *r0 = py + (ptrdiff_t)yi * ys + xi, *r1 = r0 + ys;
        int top = r0[0] * 1024 + (r0[1] - r0[0]) * fx;
        int bot = r1[0] * 1024 + (r1[1] - r1[0]) * fx;
        int yv = top * 1024 + (bot - top) * fy;
        int ui = (int)(UX >> 16), vi = (int)(UY >> 16);
        int gx = (int)(UX >> 6) & 1023, gy = (int)(UY >> 6) & 1023;
        ptrdiff_t off = (ptrdiff_t)ui * st;
        const uint8_t *a0 = pu + (ptrdiff_t)vi * us + off, *a1 = a0 + us;
        const uint8_t *b0 = pv + (ptrdiff_t)vi * vs + off, *b1 = b0 + vs;
        int ut = a0[0] * 1024 + (a0[st] - a0[0]) * gx;
        int ub = a1[0] * 1024 + (a1[st] - a1[0]) * gx;
        int vt = b0[0] * 1024 + (b0[st] - b0[0]) * gx;
        int vb = b1[0] * 1024 + (b1[st] - b1[0]) * gx;
        int uv = ut * 1024 + (ub - ut) * gy, vv = vt * 1024 + (vb - vt) * gy;
        float Yf = (float)yv * k, U = (float)uv * k - 128.0f,
              V = (float)vv * k - 128.0f;
        float yy = c->ys * (Yf - c->yo);
        q[0] = c->lo + clamp255(yy + c->rv * V) * c->scale;
        q[1] = c->lo + clamp255(yy - c->gu * U - c->gv * V) * c->scale;
        q[2] = c->lo + clamp255(yy + c->bu * U) * c->scale;
        X += DX;
        Y += DY;
        UX += DUX;
        UY += DUY;
      }
    }
  }
  row_checked(f, c, x, y, dx, dy, 0, i0, border, o);
  row_checked(f, c, x, y, dx, dy, i1, n, border, o);
}

void gk_video_warp(const gk_video_frame *f, const double m[6], int out_w,
                   int out_h, float lo, float hi, float border, float *rgb) {
  if (rgb == NULL || out_w <= 0 || out_h <= 0) return;
  size_t n = (size_t)out_w * (size_t)out_h * 3;
  if (!frame_ok(f) || m == NULL) {
    for (size_t k = 0; k < n; k++) rgb[k] = border;
    return;
  }
  double d[6];
  display_to_coded(f, d);
  /* coded = D * (M * (i+.5, j+.5, 1)) */
  double a0 = d[0] * m[0] + d[1] * m[3], a1 = d[0] * m[1] + d[1] * m[4];
  double a2 = d[0] * m[2] + d[1] * m[5] + d[2];
  double a3 = d[3] * m[0] + d[4] * m[3], a4 = d[3] * m[1] + d[4] * m[4];
  double a5 = d[3] * m[2] + d[4] * m[5] + d[5];
  conv c;
  conv_init(f, lo, hi, &c);
  float *o = rgb;
  for (int j = 0; j < out_h; j++, o += (size_t)out_w * 3) {
    double yj = j + 0.5;
    warp_row(f, &c, a0 * 0.5 + a1 * yj + a2 - 0.5, a3 * 0.5 + a4 * yj + a5 - 0.5,
             a0, a3, out_w, border, o);
  }
}

/* Samples per output pixel and axis for the whole-frame downscale. */
#define GK_VIDEO_RGB8_MAX_SUPERSAMPLE 4

void gk_video_frame_rgb8(const gk_video_frame *f, int out_w, int out_h,
                         uint8_t *rgb) {
  if (rgb == NULL || out_w <= 0 || out_h <= 0) return;
  if (!frame_ok(f) || f->width <= 0 || f->height <= 0) {
    memset(rgb, 0, (size_t)out_w * (size_t)out_h * 3);
    return;
  }
  double sx = (double)f->width / out_w, sy = (double)f->height / out_h;
  double big = sx > sy ? sx : sy;
  int ns = big <= 1 ? 1 : (int)ceil(big);
  if (ns > GK_VIDEO_RGB8_MAX_SUPERSAMPLE) ns = GK_VIDEO_RGB8_MAX_SUPERSAMPLE;
  double d[6];
  display_to_coded(f, d);
  conv c;
  conv_init(f, 0.0f, 255.0f, &c);
  uint8_t *o = rgb;
  for (int j = 0; j < out_h; j++)
    for (int i = 0; i < out_w; i++, o += 3) {
      float acc[3] = {0, 0, 0};
      int got = 0;
      for (int b = 0; b < ns; b++)
        for (int a = 0; a < ns; a++) {
          double dx = (i + (a + 0.5) / ns) * sx, dy = (j + (b + 0.5) / ns) * sy;
          float cx = (float)(d[0] * dx + d[1] * dy + d[2]);
          float cy = (float)(d[3] * dx + d[4] * dy + d[5]);
          float px[3];
          if (sample(f, &c, cx, cy, px)) {
            acc[0] += px[0];
            acc[1] += px[1];
            acc[2] += px[2];
            got++;
          }
        }
      for (int k = 0; k < 3; k++)
        o[k] = got ? (uint8_t)(acc[k] / (float)got + 0.5f) : 0;
    }
}
