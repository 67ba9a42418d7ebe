/*
** filter.c -- the zero-lag low-pass filter every analysis uses: a
** second-order Butterworth section (bilinear transform) run forwards then
** backwards, so the result has no phase shift and a fourth-order roll-off.
** Both passes start at rest at their first value (no start-up step); the
** caller may also pad each run by odd reflection about its end points.
*/
#include <math.h>
#include <string.h>

#include "core/core_internal.h"

typedef struct biquad {
  double b0, b1, b2, a1, a2;
} biquad;

static void design(double fc, double fs, biquad *q) {
  double k = tan(3.14159265358979323846 * fc / fs), r2 = sqrt(2.0);
  double norm = 1 / (1 + r2 * k + k * k);
  q->b0 = k * k * norm;
  q->b1 = 2 * q->b0;
  q->b2 = q->b0;
  q->a1 = 2 * (k * k - 1) * norm;
  q->a2 = (1 - r2 * k + k * k) * norm;
}

/* One pass over y[0..m), in place, starting at rest at its first value. */
static void pass(const biquad *q, double *y, size_t m, int backward) {
  size_t first = backward ? m - 1 : 0;
  double x1 = y[first], x2 = x1, y1 = x1, y2 = x1;
  for (size_t k = 0; k < m; k++) {
    size_t i = backward ? m - 1 - k : k;
    double x0 = y[i];
    double y0 = q->b0 * x0 + q->b1 * x1 + q->b2 * x2 - q->a1 * y1 - q->a2 * y2;
    x2 = x1, x1 = x0, y2 = y1, y1 = y0;
    y[i] = y0;
  }
}

void gk__lowpass_zerolag(double *x, size_t n, size_t stride, double fc,
                         double fs, size_t pad, size_t min_run,
                         double *work) {
  if (!(fc > 0) || !(fs > 0) || fc >= 0.45 * fs || n == 0 || stride == 0)
    return;
  biquad q;
  design(fc, fs, &q);
  if (min_run < 2) min_run = 2;
  size_t i = 0;
  while (i < n) {
    while (i < n && !isfinite(x[i * stride])) i++;
    size_t s = i;
    while (i < n && isfinite(x[i * stride])) i++;
    size_t len = i - s;
    if (len < min_run) continue;
    size_t p = pad < len - 1 ? pad : len - 1;
    const double *r = x + s * stride;
    /* odd reflection about the end points */
    for (size_t k = 0; k < p; k++)
      work[k] = 2 * r[0] - r[(p - k) * stride];
    for (size_t k = 0; k < len; k++) work[p + k] = r[k * stride];
    for (size_t k = 0; k < p; k++)
      work[p + len + k] = 2 * r[(len - 1) * stride] - r[(len - 2 - k) * stride];
    pass(&q, work, len + 2 * p, 0);
    pass(&q, work, len + 2 * p, 1);
    for (size_t k = 0; k < len; k++) x[(s + k) * stride] = work[p + k];
  }
}
