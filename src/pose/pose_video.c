/*
** pose_video.c -- a whole video through the pose: decode every frame, run
** the tracked BlazePose pipeline, and build a 2D keypoint capture of the 33
** landmarks for the gait analysis.
**
** Frame rate: the stream's own timestamps.  A constant-rate stream keeps
** its frames; a variable-rate stream (phones drop frames in low light) is
** resampled onto a fixed grid at the median frame spacing, each landmark
** interpolated linearly between the two frames around a grid time when both
** hold it and they are less than three spacings apart (else a gap).
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/keypoints.h"
#include "gaitkeeper/pose.h"
#include "pose/pose_internal.h"

#define NP GK_POSE_LANDMARKS

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct track {
  size_t n, cap;
  double *t;    /* n */
  double *xyc;  /* n * NP * 3 */
  double *z;    /* n * NP: depth, pixels (smaller = nearer) */
  /* the smoothed landmarks, kept for gk_pose_video's each when asked */
  int keep_sm;
  double (*sm)[5];        /* n * NP, when have_sm */
  unsigned char *have_sm; /* n */
} track;

static void track_free(track *k) {
  free(k->t);
  free(k->xyc);
  free(k->z);
  free(k->sm);
  free(k->have_sm);
}

static gk_status track_push(track *k, double t, const gk_pose_result *r) {
  if (k->n == k->cap) {
    size_t nc = k->cap ? k->cap * 2 : 1024;
    if (nc > GK_VIDEO_MAX_FRAMES) nc = GK_VIDEO_MAX_FRAMES;
    if (nc <= k->n) return GK_E_LIMIT;
    double *t2 = (double *)realloc(k->t, nc * sizeof *t2);
    if (t2 == NULL) return GK_E_NOMEM;
    k->t = t2;
    double *x2 = (double *)realloc(k->xyc, nc * NP * 3 * sizeof *x2);
    if (x2 == NULL) return GK_E_NOMEM;
    k->xyc = x2;
    double *z2 = (double *)realloc(k->z, nc * NP * sizeof *z2);
    if (z2 == NULL) return GK_E_NOMEM;
    k->z = z2;
    if (k->keep_sm) {
      double(*s2)[5] = (double(*)[5])realloc(k->sm, nc * NP * sizeof *s2);
      if (s2 == NULL) return GK_E_NOMEM;
      k->sm = s2;
      unsigned char *h2 = (unsigned char *)realloc(k->have_sm, nc);
      if (h2 == NULL) return GK_E_NOMEM;
      k->have_sm = h2;
    }
    k->cap = nc;
  }
  if (k->keep_sm) {
    memcpy(k->sm + k->n * NP, r->smoothed, NP * sizeof r->smoothed[0]);
    k->have_sm[k->n] = (unsigned char)(r->have_smoothed != 0);
  }
  k->t[k->n] = t;
  double *p = k->xyc + k->n * NP * 3, *z = k->z + k->n * NP;
  for (int i = 0; i < NP; i++) {
    if (r->found) {
      p[i * 3] = r->lm[i][0];
      p[i * 3 + 1] = r->lm[i][1];
      p[i * 3 + 2] = r->lm[i][3];
      z[i] = r->lm[i][2];
    } else {
      p[i * 3] = p[i * 3 + 1] = p[i * 3 + 2] = z[i] = NAN;
    }
  }
  k->n++;
  return GK_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The median spacing of the timestamps; NaN with fewer than 2 frames. */
static double median_dt(const track *k) {
  if (k->n < 2) return NAN;
  double *d = (double *)malloc((k->n - 1) * sizeof *d);
  if (d == NULL) return NAN;
  size_t m = 0;
  for (size_t i = 1; i < k->n; i++) {
    double v = k->t[i] - k->t[i - 1];
    if (v > 0 && isfinite(v)) d[m++] = v;
  }
  double r = NAN;
  if (m) {
    qsort(d, m, sizeof *d, cmp_double);
    r = d[m / 2];
  }
  free(d);
  return r;
}

/* Resample k onto a grid of spacing dt: *out (nf * NP * 3) and *nf. */
static gk_status resample(const track *k, double dt, double **out,
                          size_t *nf) {
  double span = k->t[k->n - 1] - k->t[0];
  size_t n = (size_t)floor(span / dt + 1e-9) + 1;
  if (n > GK_VIDEO_MAX_FRAMES) return GK_E_LIMIT;
  double *g = (double *)malloc(n * NP * 3 * sizeof *g);
  if (g == NULL) return GK_E_NOMEM;
  size_t j = 0;
  for (size_t f = 0; f < n; f++) {
    double t = k->t[0] + (double)f * dt;
    while (j + 1 < k->n && k->t[j + 1] <= t) j++;
    size_t a = j, b = j + 1 < k->n ? j + 1 : j;
    double ta = k->t[a], tb = k->t[b];
    double w = tb > ta ? (t - ta) / (tb - ta) : 0;
    if (w < 0) w = 0;
    if (w > 1) w = 1;
    const double *pa = k->xyc + a * NP * 3, *pb = k->xyc + b * NP * 3;
    double *dst = g + f * NP * 3;
    int close_enough = (tb - ta) < 3 * dt;
    for (int i = 0; i < NP * 3; i++) {
      if (w == 0 || a == b)
        dst[i] = pa[i];
      else if (!close_enough)
        dst[i] = NAN;
      else
        dst[i] = pa[i] + w * (pb[i] - pa[i]); /* NaN if either is a gap */
    }
    /* a point is whole or a gap */
    for (int i = 0; i < NP; i++)
      if (isnan(dst[i * 3]) || isnan(dst[i * 3 + 1]) || isnan(dst[i * 3 + 2]))
        dst[i * 3] = dst[i * 3 + 1] = dst[i * 3 + 2] = NAN;
  }
  *out = g;
  *nf = n;
  return GK_OK;
}

/* The detector alone every GK__POSE_SAMPLE_S over the clip, then the
   runner chosen among the people seen (pose_select.c).  A damaged stream
   ends the pass where it stops (the second pass says so).  With skip,
   the decoder leaves out the pictures nothing refers to between samples
   (gk_video_skip_until): the frames sampled are the same. */
gk_status gk__pose_first_pass(const char *path, gk_pose *p, int skip,
                              gk__pose_runner *runner,
                              gk_pose_progress_fn progress, void *ctx,
                              int64_t total, double *last_progress,
                              gk_pose_video_stats *stats, gk_err *err) {
  double w0 = now_s(), c0 = cpu_s();
  gk_video *v = NULL;
  gk_status st = gk_video_open(path, &v, err);
  if (st != GK_OK) return st;
  double fps = gk_video_get_info(v)->fps;
  gk__pose_seen *seen = NULL;
  size_t n = 0, cap = 0;
  double next = -INFINITY;
  int64_t done = 0;
  for (;;) {
    gk_video_frame f;
    int got = 0;
    gk_err ve;
    memset(&ve, 0, sizeof ve);
    if (gk_video_next(v, &f, &got, &ve) != GK_OK || !got) break;
    stats->frames_first++;
    /* frames done: by the clock where the rate is known (pictures are
       left out between samples) */
    done = fps > 0 ? (int64_t)(f.t_s * fps) + 1 : stats->frames_first;
    if (f.t_s >= next) {
      next = f.t_s + GK__POSE_SAMPLE_S;
      /* until the next sample, no picture that nothing refers to */
      if (skip) gk_video_skip_until(v, next);
      gk_pose_detection d[GK__POSE_MAX_DETS];
      size_t nd = 0;
      st = gk__pose_detect(p, &f, d, &nd, err);
      if (st != GK_OK) break;
      for (size_t i = 0; i < nd; i++) {
        if (n == cap) {
          size_t nc = cap ? cap * 2 : 256;
          gk__pose_seen *ns = (gk__pose_seen *)realloc(seen, nc * sizeof *ns);
          if (ns == NULL) {
            st = err->code = GK_E_NOMEM;
            err->msg = "out of memory";
            break;
          }
          seen = ns;
          cap = nc;
        }
        gk_pose_roi roi;
        gk__pose_roi_from_points(d[i].kp[0][0], d[i].kp[0][1], d[i].kp[1][0],
                                 d[i].kp[1][1], &roi);
        seen[n].t = f.t_s;
        seen[n].x = d[i].kp[0][0];
        seen[n].y = d[i].kp[0][1];
        seen[n].size = roi.w;
        seen[n].track = -1;
        n++;
      }
      if (st != GK_OK) break;
    }
    double tn = now_s();
    if (progress != NULL && tn - *last_progress >= 0.25) {
      *last_progress = tn;
      if (progress(ctx, total > 0 ? done / 4 : done, total) != 0) {
        st = err->code = GK_E_STOPPED;
        err->msg = "stopped";
        break;
      }
    }
  }
  gk_video_close(v);
  stats->detector_runs_first = p->detector_runs;
  stats->seconds_first = now_s() - w0;
  stats->cpu_seconds_first = cpu_s() - c0;
  if (st == GK_OK) gk__pose_choose_runner(seen, n, runner);
  free(seen);
  return st;
}

gk_status gk_pose_video(const char *path, const gk_pose_options *o,
                        gk_pose_progress_fn progress, gk_pose_frame_fn each,
                        void *ctx, gk_capture **out, gk_pose_video_stats *stats,
                        gk_err *err, char *file, size_t file_size) {
  gk_err dummy;
  gk_pose_video_stats dstats;
  if (err == NULL) err = &dummy;
  if (stats == NULL) stats = &dstats;
  memset(err, 0, sizeof *err);
  memset(stats, 0, sizeof *stats);
  if (out) *out = NULL;
  if (file && file_size) snprintf(file, file_size, "%s", path);
  double t0 = now_s();
  gk_video *v = NULL;
  gk_status st = gk_video_open(path, &v, err);
  if (st != GK_OK) return st;
  stats->info = *gk_video_get_info(v);
  gk_pose *p = NULL;
  st = gk_pose_new(o, &p, err, file, file_size);
  if (st != GK_OK) {
    gk_video_close(v);
    return st;
  }
  if (file && file_size) snprintf(file, file_size, "%s", path);
  snprintf(stats->describe, sizeof stats->describe, "%s", gk_pose_describe(p));
  track k;
  memset(&k, 0, sizeof k);
  k.keep_sm = each != NULL && o != NULL && o->smooth_landmarks;
  gk__pose_runner runner;
  memset(&runner, 0, sizeof runner);
  double last_progress = t0;
  int64_t total = stats->info.frames_hint;
  /* first pass: who is in the clip, and which of them is the runner */
  st = gk__pose_first_pass(path, p, 1, &runner, progress, ctx, total,
                           &last_progress, stats, err);
  if (st != GK_OK) goto fail;
  gk_pose_reset(p);
  for (;;) {
    gk_video_frame f;
    int got = 0;
    gk_err ve;
    memset(&ve, 0, sizeof ve);
    st = gk_video_next(v, &f, &got, &ve);
    if (st != GK_OK) {
      if (k.n > 0 && (st == GK_E_CORRUPT || st == GK_E_TRUNCATED)) {
        stats->stopped_early = 1;
        stats->damage = ve;
        stats->stopped_at_s = k.t[k.n - 1];
        st = GK_OK;
        break;
      }
      *err = ve;
      goto fail;
    }
    if (!got) break;
    gk_pose_result r;
    p->have_guide = gk__pose_runner_at(&runner, f.t_s, &p->guide_x,
                                       &p->guide_y, &p->guide_size);
    if (runner.n > 0 && !p->have_guide) {
      /* the runner is not in view: nobody else is followed meanwhile */
      memset(&r, 0, sizeof r);
      gk__pose_lose(p);
      st = GK_OK;
    } else {
      st = gk_pose_frame(p, &f, &r, err);
    }
    if (st != GK_OK) goto fail;
    stats->frames++;
    if (r.found) stats->frames_found++;
    st = track_push(&k, f.t_s, &r);
    if (st != GK_OK) {
      err->code = st;
      err->msg = st == GK_E_LIMIT ? "the video has too many frames"
                                  : "out of memory";
      goto fail;
    }
    double tn = now_s();
    if (progress != NULL && tn - last_progress >= 0.25) {
      last_progress = tn;
      if (progress(ctx, total > 0 ? total / 4 + stats->frames * 3 / 4
                                  : stats->frames,
                   total) != 0) {
        st = err->code = GK_E_STOPPED;
        err->msg = "stopped";
        goto fail;
      }
    }
  }
  if (progress != NULL) progress(ctx, stats->frames, stats->frames);
  /* a variable rate shows in the timestamps read, not at open */
  stats->info.variable_rate = gk_video_get_info(v)->variable_rate;
  stats->people = (int64_t)runner.tracks;
  stats->runner_travel = runner.travel;
  stats->detector_runs = p->detector_runs - stats->detector_runs_first;
  stats->redetections = p->redetections;
  stats->switches_refused = p->switches_refused;
  if (k.n == 0) {
    st = err->code = GK_E_CORRUPT;
    err->msg = "the video has no frames that could be decoded";
    goto fail;
  }
  if (stats->frames_found == 0) {
    st = err->code = GK_E_NOT_FOUND;
    err->msg = "no person was found in any frame of the video";
    goto fail;
  }
  stats->near_side = -1;
  unsigned char *what = NULL;
  if (o == NULL || !o->no_leg_repair) {
    gk__pose_legs legs;
    what = (unsigned char *)calloc(k.n, 1);
    if (what == NULL) {
      st = err->code = GK_E_NOMEM;
      err->msg = "out of memory";
      goto fail;
    }
    gk__pose_legs_repair(k.xyc, k.z, k.n, &legs, what);
    stats->near_side = legs.near;
    stats->legs_repaired = legs.repaired;
    stats->legs_collapsed = legs.collapsed;
  }
  /* the results as the capture has them, from the repaired track (frame
     i is the stream's i-th: the second pass leaves none out); a frame
     without the runner has every point NaN, a repaired one only legs */
  for (size_t i = 0; each != NULL && i < k.n; i++) {
    gk_video_frame f;
    memset(&f, 0, sizeof f);
    f.index = (int64_t)i;
    f.t_s = k.t[i];
    f.width = stats->info.width;
    f.height = stats->info.height;
    gk_pose_result r;
    memset(&r, 0, sizeof r);
    const double *q = k.xyc + i * NP * 3, *zq = k.z + i * NP;
    r.found = !isnan(q[0]);
    for (int j = 0; j < NP; j++) {
      r.lm[j][0] = q[j * 3];
      r.lm[j][1] = q[j * 3 + 1];
      r.lm[j][2] = zq[j];
      r.lm[j][3] = q[j * 3 + 2];
      r.lm[j][4] = NAN; /* presence: not kept */
    }
    r.have_smoothed = k.keep_sm && k.have_sm[i];
    if (r.have_smoothed) {
      memcpy(r.smoothed, k.sm + i * NP, NP * sizeof r.smoothed[0]);
      if (what != NULL) gk__pose_legs_apply(r.smoothed, what[i]);
    }
    if (each(ctx, &f, &r) != 0) {
      free(what);
      st = err->code = GK_E_STOPPED;
      err->msg = "stopped";
      goto fail;
    }
  }
  free(what);
  if (out != NULL) {
    double dt = median_dt(&k);
    double fps = stats->info.fps;
    const double *xyc = k.xyc;
    size_t nf = k.n;
    double *grid = NULL;
    if (stats->info.variable_rate && dt > 0) {
      st = resample(&k, dt, &grid, &nf);
      if (st != GK_OK) {
        err->code = st;
        err->msg = "out of memory";
        goto fail;
      }
      xyc = grid;
      fps = 1.0 / dt;
      stats->resampled = 1;
    } else if (!(fps > 0) && dt > 0) {
      fps = 1.0 / dt;
    }
    gk_kp_options ko;
    memset(&ko, 0, sizeof ko);
    ko.fps = fps > 0 ? fps : 0;
    st = gk_kp_capture_from_frames(GK_KP_MEDIAPIPE33, nf, xyc, &ko, "video",
                                   out, err);
    free(grid);
    if (st != GK_OK) goto fail;
    gk_capture_set_path(*out, path);
  }
  stats->seconds = now_s() - t0;
  stats->fps = stats->seconds > 0 ? (double)stats->frames / stats->seconds : 0;
  track_free(&k);
  gk__pose_runner_free(&runner);
  gk_pose_free(p);
  gk_video_close(v);
  return GK_OK;
fail:
  if (err->code == GK_OK) err->code = st;
  if (err->msg == NULL) err->msg = gk_strerror(st);
  track_free(&k);
  gk__pose_runner_free(&runner);
  gk_pose_free(p);
  gk_video_close(v);
  return st;
}
