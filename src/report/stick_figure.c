/*
** stick_figure.c -- the runner's pose as an inline SVG
** (gaitkeeper/stick_figure.h).  The figure is drawn in the image's own
** coordinates (y down), scaled into a viewBox with a margin.  Left side:
** blue (#1f5fbf), solid; right side: orange-brown (#b35900), dashed;
** trunk and head: near-black; pelvis line: thick, near-black; vertical
** reference through the pelvis centre: grey dotted.  Each colour has a
** contrast ratio of at least 4.5:1 on white.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gaitkeeper/stick_figure.h"

typedef struct seg {
  const char *a, *b;
  int side; /* 0 left, 1 right, 2 centre */
} seg;

static const seg segs[] = {
    {"LShoulder", "LElbow", 0}, {"LElbow", "LWrist", 0},
    {"LHip", "LKnee", 0},       {"LKnee", "LAnkle", 0},
    {"LAnkle", "LHeel", 0},     {"LHeel", "LBigToe", 0},
    {"LAnkle", "LBigToe", 0},   {"LAnkle", "LFootIndex", 0},
    {"LHeel", "LFootIndex", 0}, {"RShoulder", "RElbow", 1},
    {"RElbow", "RWrist", 1},    {"RHip", "RKnee", 1},
    {"RKnee", "RAnkle", 1},     {"RAnkle", "RHeel", 1},
    {"RHeel", "RBigToe", 1},    {"RAnkle", "RBigToe", 1},
    {"RAnkle", "RFootIndex", 1}, {"RHeel", "RFootIndex", 1},
    {"LShoulder", "RShoulder", 2}, {"Neck", "Nose", 2},
};

static long idx(const struct gk_gait_figure *f, const char *name) {
  if (f->point_names == NULL) return -1;
  for (size_t i = 0; i < f->n_points; i++)
    if (f->point_names[i] && strcmp(f->point_names[i], name) == 0) return (long)i;
  return -1;
}

static int pt(const struct gk_gait_figure *f, const char *name, double *x,
              double *y) {
  long i = idx(f, name);
  if (i < 0) return 0;
  double a = f->xy[i * 2], b = f->xy[i * 2 + 1];
  if (!isfinite(a) || !isfinite(b)) return 0;
  *x = a, *y = b;
  return 1;
}

static void num(gk_buf *b, double v) {
  char t[32];
  int n = snprintf(t, sizeof t, "%.1f", isfinite(v) ? v : 0.0);
  if (n > 0) gk_buf_put(b, t, (size_t)n);
}

/* The text as XML character data (escape < > & " '). */
static void text(gk_buf *b, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '<': gk_buf_puts(b, "&lt;"); break;
      case '>': gk_buf_puts(b, "&gt;"); break;
      case '&': gk_buf_puts(b, "&amp;"); break;
      case '"': gk_buf_puts(b, "&quot;"); break;
      case '\'': gk_buf_puts(b, "&#39;"); break;
      default:
        if ((unsigned char)*s >= 0x20 || *s == '\t') gk_buf_putc(b, *s);
    }
  }
}

typedef struct xf {
  double x0, y0, s, m;
} xf;

static void line(gk_buf *b, const xf *t, double x1, double y1, double x2,
                 double y2, const char *cls) {
  gk_buf_puts(b, "<line class=\"");
  gk_buf_puts(b, cls);
  gk_buf_puts(b, "\" x1=\"");
  num(b, t->m + (x1 - t->x0) * t->s);
  gk_buf_puts(b, "\" y1=\"");
  num(b, t->m + (y1 - t->y0) * t->s);
  gk_buf_puts(b, "\" x2=\"");
  num(b, t->m + (x2 - t->x0) * t->s);
  gk_buf_puts(b, "\" y2=\"");
  num(b, t->m + (y2 - t->y0) * t->s);
  gk_buf_puts(b, "\"/>");
}

/* The figure's transform: image units -> the 0..100 viewBox. */
static gk_status transform(const struct gk_gait_figure *fig, xf *t,
                           double *y0_out, double *y1_out) {
  if (fig == NULL || fig->n_points == 0 || fig->xy == NULL) return GK_E_ARG;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  size_t present = 0;
  for (size_t i = 0; i < fig->n_points; i++) {
    double x = fig->xy[i * 2], y = fig->xy[i * 2 + 1];
    if (!isfinite(x) || !isfinite(y)) continue;
    present++;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (present < 2) return GK_E_NOT_FOUND;
  double w = x1 - x0, h = y1 - y0;
  if (!(w > 1e-9)) w = 1e-9;
  if (!(h > 1e-9)) h = 1e-9;
  /* viewBox 0..100 wide, height by aspect (clamped), 5-unit margin */
  t->m = 5;
  t->s = 90 / (w > h ? w : h);
  t->x0 = x0 - (w > h ? 0 : (h - w) / 2);
  t->y0 = y0 - (h > w ? 0 : (w - h) / 2);
  *y0_out = y0;
  *y1_out = y1;
  return GK_OK;
}

gk_status gk_stick_figure_crop(const struct gk_gait_figure *fig,
                               double crop[4]) {
  xf t;
  double y0, y1;
  gk_status st = transform(fig, &t, &y0, &y1);
  if (st != GK_OK) return st;
  crop[0] = t.x0 - t.m / t.s;
  crop[1] = t.y0 - t.m / t.s;
  crop[2] = crop[3] = 100 / t.s;
  return GK_OK;
}

/* 1 when s is plain base64 (the only text put in the image's href). */
static int is_base64(const char *s) {
  if (s == NULL || *s == '\0') return 0;
  for (; *s; s++)
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
          (*s >= '0' && *s <= '9') || *s == '+' || *s == '/' || *s == '='))
      return 0;
  return 1;
}

gk_status gk_stick_figure_svg(const struct gk_gait_figure *fig,
                              double width_px, gk_buf *out) {
  if (fig == NULL || out == NULL) return GK_E_ARG;
  if (!(width_px > 0) || !isfinite(width_px) || width_px > 10000) width_px = 240;
  xf t;
  double y0, y1;
  gk_status st = transform(fig, &t, &y0, &y1);
  if (st != GK_OK) return st;
  double vw = 100, vh = 100;
  double px_h = width_px * vh / vw;
  /* inline in HTML: no xmlns (nothing that looks like a URL) */
  gk_buf_puts(out, "<svg viewBox=\"0 0 ");
  num(out, vw);
  gk_buf_putc(out, ' ');
  num(out, vh);
  gk_buf_puts(out, "\" width=\"");
  num(out, width_px);
  gk_buf_puts(out, "\" height=\"");
  num(out, px_h);
  gk_buf_puts(out, "\" role=\"img\" aria-label=\"Stick figure of the runner: ");
  text(out, fig->label);
  gk_buf_puts(out, ". Left side solid blue, right side dashed orange; the "
                   "thick line joins the hips, the dotted line is vertical.\">");
  gk_buf_puts(out, "<title>Runner at ");
  text(out, fig->label);
  gk_buf_puts(out, "</title><style>line{stroke-linecap:round;stroke-width:1.6}"
                   ".l{stroke:#1f5fbf}.r{stroke:#b35900;stroke-dasharray:3 2}"
                   ".c{stroke:#1a1a1a}.p{stroke:#1a1a1a;stroke-width:2.6}"
                   ".v{stroke:#595959;stroke-width:0.8;stroke-dasharray:1 2}"
                   "circle{fill:#1a1a1a}"
                   "text{font:6px sans-serif;fill:#1a1a1a;paint-order:stroke;"
                   "stroke:#fff;stroke-width:1.5}</style>");
  const double *pc = fig->photo_crop;
  if (is_base64(fig->photo_b64) && pc[2] > 0 && pc[3] > 0) {
    /* the still under the figure, placed by its own crop */
    gk_buf_puts(out, "<image preserveAspectRatio=\"none\" x=\"");
    num(out, t.m + (pc[0] - t.x0) * t.s);
    gk_buf_puts(out, "\" y=\"");
    num(out, t.m + (pc[1] - t.y0) * t.s);
    gk_buf_puts(out, "\" width=\"");
    num(out, pc[2] * t.s);
    gk_buf_puts(out, "\" height=\"");
    num(out, pc[3] * t.s);
    gk_buf_puts(out, "\" href=\"data:image/jpeg;base64,");
    gk_buf_puts(out, fig->photo_b64);
    gk_buf_puts(out, "\"/>");
  }
  double ax, ay, bx, by;
  /* vertical reference through the pelvis centre */
  double lhx, lhy, rhx, rhy, cx = NAN, cy = NAN;
  int lh = pt(fig, "LHip", &lhx, &lhy), rh = pt(fig, "RHip", &rhx, &rhy);
  if (lh && rh) cx = (lhx + rhx) / 2, cy = (lhy + rhy) / 2;
  else if (pt(fig, "MidHip", &ax, &ay)) cx = ax, cy = ay;
  if (isfinite(cx)) line(out, &t, cx, y0, cx, y1, "v");
  for (size_t i = 0; i < sizeof segs / sizeof segs[0]; i++) {
    if (!pt(fig, segs[i].a, &ax, &ay) || !pt(fig, segs[i].b, &bx, &by)) continue;
    line(out, &t, ax, ay, bx, by, segs[i].side == 0 ? "l" : segs[i].side == 1 ? "r" : "c");
  }
  /* trunk: neck (or the shoulders' mid-point) to the pelvis centre */
  double nx, ny, sx, sy;
  int nk = pt(fig, "Neck", &nx, &ny);
  if (!nk && pt(fig, "LShoulder", &ax, &ay) && pt(fig, "RShoulder", &sx, &sy))
    nx = (ax + sx) / 2, ny = (ay + sy) / 2, nk = 1;
  if (nk && isfinite(cx)) line(out, &t, nx, ny, cx, cy, "c");
  if (lh && rh) line(out, &t, lhx, lhy, rhx, rhy, "p");
  if (pt(fig, "Nose", &ax, &ay)) {
    gk_buf_puts(out, "<circle cx=\"");
    num(out, t.m + (ax - t.x0) * t.s);
    gk_buf_puts(out, "\" cy=\"");
    num(out, t.m + (ay - t.y0) * t.s);
    gk_buf_puts(out, "\" r=\"2\"/>");
  }
  if (fig->measure[0] != '\0') {
    gk_buf_puts(out, "<text x=\"3\" y=\"8\">");
    text(out, fig->measure);
    gk_buf_puts(out, "</text>");
  }
  gk_buf_puts(out, "</svg>");
  return out->oom ? GK_E_NOMEM : GK_OK;
}
