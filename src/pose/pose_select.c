/*
** pose_select.c -- which person in the clip is the runner.  A first pass
** runs the detector alone every GK__POSE_SAMPLE_S seconds; its detections
** (hips' midpoint and region side) are linked into tracks, each detection
** joining the track whose last point is nearest, if within a quarter of a
** region side plus half a side per second since (up to 1 s) and of a
** similar size; the rest start tracks.  The
** runner is the track that is seen longest and moves most:
**     score = seconds seen x (1 + horizontal travel in region sides),
** travel being the range of the hips' x over the track.  Someone standing,
** or in a few frames, scores low against a runner who crosses the picture
** or stays on a treadmill the whole clip.  The second pass follows only
** that person (pick_detection and the drift check in blazepose.c).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pose/pose_internal.h"

/* Linking: within LINK_NEAR region sides, plus LINK_PER_S sides per
   second since the track's last point (counted up to 1 s), and of a size
   within LINK_SIZE_RATIO. */
#define LINK_NEAR 0.3
#define LINK_PER_S 1.0
#define LINK_SIZE_RATIO 1.6

static int by_time(const void *a, const void *b) {
  const gk__pose_seen *x = (const gk__pose_seen *)a,
                      *y = (const gk__pose_seen *)b;
  return (x->t > y->t) - (x->t < y->t);
}

int gk__pose_choose_runner(gk__pose_seen *seen, size_t n,
                           gk__pose_runner *out) {
  memset(out, 0, sizeof *out);
  if (n == 0) return 0;
  qsort(seen, n, sizeof *seen, by_time);
  /* per track: its last point, first time, x range, detections */
  size_t cap = n;
  size_t *last = (size_t *)malloc(cap * sizeof *last);
  double *t0 = (double *)malloc(cap * sizeof *t0);
  double *xlo = (double *)malloc(cap * sizeof *xlo);
  double *xhi = (double *)malloc(cap * sizeof *xhi);
  double *sz = (double *)malloc(cap * sizeof *sz);
  double *vx = (double *)malloc(cap * sizeof *vx);
  double *vy = (double *)malloc(cap * sizeof *vy);
  if (!last || !t0 || !xlo || !xhi || !sz || !vx || !vy) {
    free(last), free(t0), free(xlo), free(xhi), free(sz), free(vx), free(vy);
    return 0;
  }
  size_t nt = 0;
  for (size_t i = 0; i < n; i++) {
    gk__pose_seen *s = &seen[i];
    long best = -1;
    double bd = INFINITY;
    for (size_t k = 0; k < nt; k++) {
      const gk__pose_seen *l = &seen[last[k]];
      if (l->t >= s->t) continue; /* one detection per track per frame */
      double dt = s->t - l->t, h = dt < 1 ? dt : 1;
      double reach = l->size * (LINK_NEAR + LINK_PER_S * h);
      /* where the track would be, moving on as it moved */
      double d = hypot(s->x - (l->x + vx[k] * h), s->y - (l->y + vy[k] * h));
      double ratio = s->size > l->size ? s->size / l->size : l->size / s->size;
      if (d <= reach && ratio <= LINK_SIZE_RATIO && d < bd)
        bd = d, best = (long)k;
    }
    if (best < 0) {
      best = (long)nt++;
      t0[best] = s->t;
      xlo[best] = xhi[best] = s->x;
      sz[best] = 0;
      vx[best] = vy[best] = 0;
    } else {
      const gk__pose_seen *l = &seen[last[best]];
      double dt = s->t - l->t;
      if (dt > 0) { /* smoothed: half the new step's velocity */
        vx[best] = 0.5 * vx[best] + 0.5 * (s->x - l->x) / dt;
        vy[best] = 0.5 * vy[best] + 0.5 * (s->y - l->y) / dt;
      }
    }
    s->track = (int)best;
    last[best] = i;
    if (s->x < xlo[best]) xlo[best] = s->x;
    if (s->x > xhi[best]) xhi[best] = s->x;
    sz[best] += s->size;
  }
  long pick = -1;
  double bs = -1;
  for (size_t k = 0; k < nt; k++) {
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
      if (seen[i].track == (int)k) cnt++;
    double mean_size = sz[k] / (double)cnt;
    double span = seen[last[k]].t - t0[k];
    double travel = mean_size > 0 ? (xhi[k] - xlo[k]) / mean_size : 0;
    /* seconds seen: the span, at least one sample's worth */
    double seen_s = span + GK__POSE_SAMPLE_S;
    double score = seen_s * (1 + travel);
    if (score > bs) bs = score, pick = (long)k, out->travel = travel,
                    out->span_s = span;
  }
  out->tracks = nt;
  size_t cnt = 0;
  for (size_t i = 0; i < n; i++)
    if (seen[i].track == (int)pick) cnt++;
  out->t = (double *)malloc(cnt * sizeof(double));
  out->x = (double *)malloc(cnt * sizeof(double));
  out->y = (double *)malloc(cnt * sizeof(double));
  out->size = (double *)malloc(cnt * sizeof(double));
  if (!out->t || !out->x || !out->y || !out->size) {
    gk__pose_runner_free(out);
    cnt = 0;
  } else {
    for (size_t i = 0; i < n; i++) {
      if (seen[i].track != (int)pick) continue;
      out->t[out->n] = seen[i].t;
      out->x[out->n] = seen[i].x;
      out->y[out->n] = seen[i].y;
      out->size[out->n] = seen[i].size;
      out->n++;
    }
  }
  free(last), free(t0), free(xlo), free(xhi), free(sz), free(vx), free(vy);
  return out->n > 0;
}

void gk__pose_runner_free(gk__pose_runner *r) {
  free(r->t);
  free(r->x);
  free(r->y);
  free(r->size);
  memset(r, 0, sizeof *r);
}

int gk__pose_runner_at(const gk__pose_runner *r, double t, double *x,
                       double *y, double *size) {
  if (r->n == 0) return 0;
  if (t < r->t[0] - GK__POSE_GUIDE_HOLD_S ||
      t > r->t[r->n - 1] + GK__POSE_GUIDE_HOLD_S)
    return 0;
  size_t j = 0;
  while (j + 1 < r->n && r->t[j + 1] <= t) j++;
  if (t <= r->t[0] || j + 1 >= r->n) {
    size_t k = t <= r->t[0] ? 0 : r->n - 1;
    *x = r->x[k], *y = r->y[k], *size = r->size[k];
    return 1;
  }
  double w = (t - r->t[j]) / (r->t[j + 1] - r->t[j]);
  /* a gap in the track longer than the hold: unknown in its middle */
  if (r->t[j + 1] - r->t[j] > 2 * GK__POSE_GUIDE_HOLD_S + GK__POSE_SAMPLE_S &&
      t - r->t[j] > GK__POSE_GUIDE_HOLD_S &&
      r->t[j + 1] - t > GK__POSE_GUIDE_HOLD_S)
    return 0;
  *x = r->x[j] + w * (r->x[j + 1] - r->x[j]);
  *y = r->y[j] + w * (r->y[j + 1] - r->y[j]);
  *size = r->size[j] + w * (r->size[j + 1] - r->size[j]);
  return 1;
}
