/*
** gait2d_signal.c -- signal conditioning for the 2D analysis: gaps,
** confidence weighting, zero-lag Butterworth low-pass.  Why these values:
** docs/METRICS.md, "Gait: how 2D video measures it".
*/
#include <math.h>
#include <string.h>

#include "gait/gait2d_internal.h"

#define PI 3.14159265358979323846

double gk__cutoff_hz(double fps) {
  double fc = GK__CUTOFF_HZ;
  if (fc > GK__CUTOFF_MAX_FS * fps) fc = GK__CUTOFF_MAX_FS * fps;
  return fc;
}

size_t gk__fill_gaps(double *x, size_t n, size_t max_gap) {
  size_t filled = 0, i = 0;
  while (i < n) {
    if (!isnan(x[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && isnan(x[j])) j++;
    /* gap [i, j) */
    if (i > 0 && j < n && j - i <= max_gap) {
      double a = x[i - 1], b = x[j], len = (double)(j - i + 1);
      for (size_t k = i; k < j; k++)
        x[k] = a + (b - a) * (double)(k - i + 1) / len;
      filled += j - i;
    }
    i = j;
  }
  return filled;
}

void gk__conf_weight(double *x, const double *c, size_t n, double *tmp) {
  if (n < 3) return;
  memcpy(tmp, x, n * sizeof *x);
  for (size_t i = 1; i + 1 < n; i++) {
    double ci = c[i];
    if (isnan(ci) || ci >= GK__KP_CONF_FULL || isnan(tmp[i]) ||
        isnan(tmp[i - 1]) || isnan(tmp[i + 1]))
      continue;
    double w = ci / GK__KP_CONF_FULL;
    x[i] = w * tmp[i] + (1 - w) * 0.5 * (tmp[i - 1] + tmp[i + 1]);
  }
}

size_t gk__filter_pad(double fc, double fs) {
  if (!(fc > 0) || !(fs > 0)) return 0;
  double p = 1.5 * fs / fc; /* about the filter's settling time */
  if (p > 1e6) p = 1e6;
  return (size_t)p + 1;
}

typedef struct biquad {
  double b0, b1, b2, a1, a2;
} biquad;

static void design(double fc, double fs, biquad *q) {
  double k = tan(PI * fc / fs), r2 = sqrt(2.0);
  double norm = 1 / (1 + r2 * k + k * k);
  q->b0 = k * k * norm;
  q->b1 = 2 * q->b0;
  q->b2 = q->b0;
  q->a1 = 2 * (k * k - 1) * norm;
  q->a2 = (1 - r2 * k + k * k) * norm;
}

/* One pass over y[0..m), in place, starting at rest at y[0]. */
static void pass(const biquad *q, double *y, size_t m, int backward) {
  double x1, x2, y1, y2;
  size_t first = backward ? m - 1 : 0;
  x1 = x2 = y1 = y2 = y[first];
  for (size_t k = 0; k < m; k++) {
    size_t i = backward ? m - 1 - k : k;
    double x0 = y[i];
    double y0 = q->b0 * x0 + q->b1 * x1 + q->b2 * x2 - q->a1 * y1 - q->a2 * y2;
    x2 = x1, x1 = x0, y2 = y1, y1 = y0;
    y[i] = y0;
  }
}

static void filter_run(const biquad *q, double *x, size_t n, size_t pad,
                       double *w) {
  if (pad > n - 1) pad = n - 1;
  /* odd reflection about the end points */
  for (size_t k = 0; k < pad; k++) w[k] = 2 * x[0] - x[pad - k];
  memcpy(w + pad, x, n * sizeof *x);
  for (size_t k = 0; k < pad; k++) w[pad + n + k] = 2 * x[n - 1] - x[n - 2 - k];
  size_t m = n + 2 * pad;
  pass(q, w, m, 0);
  pass(q, w, m, 1);
  memcpy(x, w + pad, n * sizeof *x);
}

void gk__lowpass(double *x, size_t n, double fc, double fs, double *work) {
  if (!(fc > 0) || !(fs > 0) || fc >= 0.45 * fs) return;
  biquad q;
  design(fc, fs, &q);
  size_t pad = gk__filter_pad(fc, fs), i = 0;
  while (i < n) {
    if (isnan(x[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && !isnan(x[j])) j++;
    if (j - i >= 6) filter_run(&q, x + i, j - i, pad, work);
    i = j;
  }
}
