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

