/*
** cadence_hold.c -- how one run held a cadence target (gaitkeeper/load.h,
** gk_cadence_hold_of): the run's cadence minute by minute, the running
** minutes only (a walk break of a walk/run phase is not a miss), their
** mean, the share within GK_CADENCE_HOLD_TOL_SPM of the target, and the fade
** (the last third against the first two).  Defined in docs/METRICS.md,
** "Cadence against the target".  Two passes over the series, no allocation.
*/
#include <math.h>
#include <string.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/load.h"

/* Walk the series minute by minute (by time_s from the first sample with a
   time); fn gets each minute's mean cadence when it is a running minute. */
typedef struct minute_walk {
  const double *t, *c;
  size_t n;
} minute_walk;

typedef void (*minute_fn)(void *user, double mean_spm);

static void each_running_minute(const minute_walk *w, minute_fn fn,
                                void *user) {
  double t0 = NAN, sum = 0;
  size_t cnt = 0;
  int64_t cur = INT64_MIN;
  for (size_t i = 0; i <= w->n; i++) {
    int64_t m = INT64_MIN;
    double c = NAN;
    if (i < w->n) {
      double t = w->t[i];
      c = w->c[i];
      if (!isfinite(t)) continue;
      if (isnan(t0)) t0 = t;
      double k = floor((t - t0) / 60.0);
      if (!(k > -1e9 && k < 1e9)) continue;
      m = (int64_t)k;
    }
    if (m != cur || i == w->n) {
      if (cnt > 0) {
        double mean = sum / (double)cnt;
        if (mean >= GK_CADENCE_RUNNING_MIN_SPM) fn(user, mean);
      }
      cur = m;
      sum = 0;
      cnt = 0;
    }
    if (i < w->n && isfinite(c) && c > 0 && c < 400) {
      sum += c;
      cnt++;
    }
  }
}

typedef struct pass1 {
  size_t n;
  double sum;
  size_t within;
  double target;
} pass1;

static void count_minute(void *user, double mean) {
  pass1 *p = (pass1 *)user;
  p->n++;
  p->sum += mean;
  if (fabs(mean - p->target) <= GK_CADENCE_HOLD_TOL_SPM) p->within++;
}

typedef struct pass2 {
  size_t i, split;
  double early, late;
  size_t n_early, n_late;
} pass2;

static void split_minute(void *user, double mean) {
  pass2 *p = (pass2 *)user;
  if (p->i++ < p->split) {
    p->early += mean;
    p->n_early++;
  } else {
    p->late += mean;
    p->n_late++;
  }
}

gk_status gk_cadence_hold_of(const gk_activity *a, double target_spm,
                             gk_cadence_hold *out) {
  if (out == NULL) return GK_E_ARG;
  memset(out, 0, sizeof *out);
  out->mean_spm = out->share_within = out->fade_spm = NAN;
  out->target_spm = target_spm;
  if (a == NULL || !(isfinite(target_spm) && target_spm >= 60 &&
                     target_spm <= 260))
    return GK_E_ARG;
  out->activity_id = 0;
  out->day = gk_day_of_time(a->start_time);
  const gk_series *s = &a->series;
  if (s->n == 0 || s->time_s == NULL || s->cadence_spm == NULL) {
    /* No series: the summary's average, nothing per minute. */
    out->mean_spm = a->summary.avg_cadence_spm;
    return GK_OK;
  }
  minute_walk w = {s->time_s, s->cadence_spm, s->n};
  pass1 p1 = {0, 0, 0, target_spm};
  each_running_minute(&w, count_minute, &p1);
  out->running_minutes = p1.n;
  if (p1.n == 0) {
    out->mean_spm = a->summary.avg_cadence_spm;
    return GK_OK;
  }
  out->mean_spm = p1.sum / (double)p1.n;
  out->share_within = (double)p1.within / (double)p1.n;
  if (p1.n >= GK_CADENCE_FADE_MIN_MINUTES) {
    pass2 p2;
    memset(&p2, 0, sizeof p2);
    p2.split = p1.n - p1.n / 3; /* the last third: n/3 minutes */
    each_running_minute(&w, split_minute, &p2);
    if (p2.n_early && p2.n_late)
      out->fade_spm = p2.late / (double)p2.n_late -
                      p2.early / (double)p2.n_early;
  }
  return GK_OK;
}
