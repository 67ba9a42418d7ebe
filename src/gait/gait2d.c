/*
** gait2d.c -- running gait from 2D pose keypoints (gk_gait2d_analyse):
** the runner's stretch of frames, signal conditioning, the camera view,
** initial contacts and toe-offs per foot, per-step metrics and the
** summary.  Definitions, sign conventions and the reasons for every
** constant: docs/METRICS.md, "Gait: how 2D video measures it"; how far each
** metric can be trusted: data/gait2d.json.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/core_internal.h"
#include "core/data_internal.h"
#include "gait/gait2d_internal.h"
#include "gaitkeeper/gait.h"
#include "gaitkeeper/keypoints.h"

#define PI 3.14159265358979323846
#define DEG (180.0 / PI)

/* Thigh + shank as a fraction of body height (Winter, after Drillis &
   Contini: 0.245 + 0.246). */
#define LEG_OF_HEIGHT 0.491
/* Hip (greater trochanter, 0.530) to shoulder (0.818) height, same
   source: the trunk from the pelvis centre to the neck keypoint. */
#define TRUNK_OF_HEIGHT 0.288
/* Hip width / leg length above which the camera faces the runner's front
   or back (side-on the hips overlap: about 0.05; square on: about 0.25). */
#define FRONTAL_MIN_RATIO 0.10
/* ... and the hips keep their left/right order in at least this share of
   frames (side-on they cross back and forth) ... */
#define FRONTAL_MIN_ORDER 0.8
/* ... unless the feet look long: heel to toe across the image above this
   share of the leg length (side-on about 0.3; end-on under 0.1). */
#define SIDE_MIN_FOOT 0.15
/* A foot's ground line is its lowest point within this many seconds on
   either side (a window longer than one stride at any running cadence
   above 120 steps/min). */
#define GROUND_HALF_WINDOW_S 0.5
/* A foot is on the ground while it is within this fraction of its swing
   clearance (the 95th percentile of its height above the ground line). */
#define CONTACT_FRACTION 0.15
/* A lift shorter than this inside a contact is noise (seconds; a real
   flight lasts 50 ms or more). */
#define CONTACT_BRIDGE_S 0.04
/* Shortest contact kept, seconds (running contacts last 150-350 ms). */
#define CONTACT_MIN_S 0.05
/* Side views (events_side): toe-off is when the last foot point rises
   faster than this, leg lengths per second (about 0.5 m/s for an adult),
   or is more than LIFT_CAP x the contact threshold above its stance
   level.  A loaded forefoot rises slowly as the shoe unloads and the foot
   rolls over the toes (RBDS001's metatarsal heads: 15-19 mm in the 30 ms
   before the force toe-off); a foot in the air rises faster (the
   simulator's rigid toe lifts at about 0.58 leg lengths per second). */
#define LIFT_SPEED 0.6
#define LIFT_CAP 0.5
/* Rear views on a moving ground line (events_moving): a contact is
   followed at most this far (s) before and after the middle of the frames
   found down ... */
#define CONTACT_WALK_S 0.4
/* ... a long running contact, s: the moving line is followed when it
   comes down by more than the contact threshold over this time ... */
#define CONTACT_LONG_S 0.25
/* ... the events are timed against the foot point's level within this
   many seconds of the event (s). */
#define CONTACT_LOCAL_S 0.06
/* ... and followed on foot heights averaged over +-this many seconds. */
#define WALK_SMOOTH_S 0.02
/* Step times outside this range (s) are not steps of running. */
#define STEP_MIN_S 0.15
#define STEP_MAX_S 1.0
/* Strides needed (initial contacts: 2 * strides + 1, both feet). */
#define MIN_STEPS 4

enum {
  P_LHIP, P_RHIP, P_LKNE, P_RKNE, P_LANK, P_RANK, /* core */
  P_LHEEL, P_RHEEL, P_LTOE, P_RTOE, P_NECK, P_LSHO, P_RSHO, P_NOSE, P_LEAR,
  P_REAR, P_LSTOE, P_RSTOE, P_N
};
#define P_CORE 6

static const char *const point_names[P_N][2] = {
    {"LHip", NULL},       {"RHip", NULL},        {"LKnee", NULL},
    {"RKnee", NULL},      {"LAnkle", NULL},      {"RAnkle", NULL},
    {"LHeel", NULL},      {"RHeel", NULL},       {"LBigToe", "LFootIndex"},
    {"RBigToe", "RFootIndex"}, {"Neck", NULL},   {"LShoulder", NULL},
    {"RShoulder", NULL},  {"Nose", NULL},        {"LEar", NULL},
    {"REar", NULL},       {"LSmallToe", NULL},   {"RSmallToe", NULL}};

/* Per-side point indices: [side][0 hip, 1 knee, 2 ankle, 3 heel, 4 big
   toe, 5 small toe] */
static const int limb[2][6] = {
    {P_LHIP, P_LKNE, P_LANK, P_LHEEL, P_LTOE, P_LSTOE},
    {P_RHIP, P_RKNE, P_RANK, P_RHEEL, P_RTOE, P_RSTOE}};
/* The foot points whose heights find the contacts: limb[s][2 + k] for
   k < FP_N (0 ankle, 1 heel, 2 big toe, 3 small toe). */
#define FP_N 4

typedef struct contact {
  int side;
  double ic, to; /* frames (fractional, window-relative); NaN unknown */
} contact;

typedef struct work {
  const gk_capture *kp;
  double fps;
  size_t f0, n; /* the analysed window: capture frames [f0, f0 + n) */
  long idx[P_N];
  double *x[P_N], *y[P_N], *c[P_N];
  double *rx[P_N], *ry[P_N]; /* before the low-pass: events and the
                                values at initial contact */
  double *px, *py;         /* pelvis centre (mean of the hips) */
  double *nx, *ny;         /* neck, or the shoulders' mid-point */
  double *hp[2][FP_N];     /* ankle, heel, big and small toe height above
                              that point's own ground line, leg lengths
                              (NaN: none) */
  double *h[2];            /* the foot's height: the least of hp */
  double *leg;             /* leg length (thigh + shank), pixels */
  double *ang[2][8];       /* per-side angle series (see A_*) */
  double *spd[2];          /* walk_stances: the slowest foot point's
                              speed from frame i to i + 1, pixels per
                              frame (NaN: unknown) */
  double *scr;             /* walk_contacts' scratch */
  double *tmp, *fw;
  int frontal;             /* rear or front */
  int rear;                /* rear */
  double slope[2];         /* rear: the ground line's motion under each
                              foot, leg lengths per frame (ground_slope) */
  double fwd;              /* side views: +1 runner faces image right */
  int have_foot;           /* heel and toe points on both feet */
  int walk;                /* side views: a walk (walk_contacts) */
  double walk_v;           /* a walk's pelvis forward speed, px/frame */
  double walk_ds, walk_vault; /* its median double support (frames) and
                              pelvis rise at mid-stance (leg lengths) */
  size_t filled;
  contact *ct;
  size_t n_ct;
} work;

enum { A_KNEE, A_SHANK, A_FOOT, A_TRUNK, A_DROP, A_HIPADD, A_FPPA, A_N };

/* ---- small helpers ---------------------------------------------------- */

static gk_status fail(gk_err *err, gk_status st, const char *msg,
                      uint64_t off) {
  gk__set_err(err, st, msg, off);
  return st;
}

static long find_point(const gk_capture *kp, int p) {
  for (int k = 0; k < 2 && point_names[p][k]; k++) {
    long i = gk_capture_find_point(kp, point_names[p][k]);
    if (i >= 0) return i;
  }
  return -1;
}

/* Raw point (capture frame f): 1 and x, y, conf when present and
   confident enough. */
static int raw(const gk_capture *kp, size_t f, long p, double *x, double *y,
               double *c) {
  if (p < 0) return 0;
  const double *q = gk_capture_point(kp, f, (size_t)p);
  double r = kp->residual ? kp->residual[f * kp->n_points + (size_t)p] : NAN;
  if (!isfinite(q[0]) || !isfinite(q[1])) return 0;
  if (!isnan(r) && !(r >= GK__KP_CONF_MIN)) return 0;
  *x = q[0], *y = q[1], *c = r;
  return 1;
}

/* The runner is in frame f: at least 4 of the 6 hips, knees and ankles
   (single missing points are filled point by point later). */
static int core_present(const work *w, size_t f) {
  double x, y, c;
  int k = 0;
  for (int p = 0; p < P_CORE; p++) k += raw(w->kp, f, w->idx[p], &x, &y, &c);
  return k >= 4;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Quantile q of the finite values of v[0..n) (copied into tmp); NaN when
   none. */
static double quantile(const double *v, size_t n, double q, double *tmp) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i])) tmp[k++] = v[i];
  if (k == 0) return NAN;
  qsort(tmp, k, sizeof *tmp, cmp_double);
  double pos = q * (double)(k - 1);
  size_t i = (size_t)pos;
  double fr = pos - (double)i;
  return i + 1 < k ? tmp[i] * (1 - fr) + tmp[i + 1] * fr : tmp[i];
}

/* v at fractional frame t (linear); NaN outside or at a gap. */
static double at(const double *v, size_t n, double t) {
  if (!(t >= 0) || t > (double)(n - 1)) return NAN;
  size_t i = (size_t)t;
  if (i + 1 >= n) return v[n - 1];
  double fr = t - (double)i;
  return v[i] * (1 - fr) + v[i + 1] * fr;
}

/* Largest value of v over frames [a, b] (fractional bounds, values at the
   bounds interpolated), refined by a parabola through the peak sample;
   *where receives its frame.  NaN when a sample is missing. */
static double peak(const double *v, size_t n, double a, double b,
                   double *where) {
  double best = at(v, n, a), wt = a;
  double vb = at(v, n, b);
  if (isnan(best) || isnan(vb)) return NAN;
  if (vb > best) best = vb, wt = b;
  size_t i0 = (size_t)ceil(a), i1 = (size_t)floor(b);
  long bi = -1;
  for (size_t i = i0; i <= i1 && i < n; i++) {
    if (isnan(v[i])) return NAN;
    if (v[i] > best) best = v[i], wt = (double)i, bi = (long)i;
  }
  if (bi > 0 && (size_t)bi + 1 < n) {
    double ym = v[bi - 1], y0 = v[bi], yp = v[bi + 1];
    double den = ym - 2 * y0 + yp;
    if (den < 0) {
      double d = 0.5 * (ym - yp) / den;
      if (fabs(d) <= 0.5 && (double)bi + d >= a && (double)bi + d <= b) {
        best = y0 - 0.25 * (ym - yp) * d;
        wt = (double)bi + d;
      }
    }
  }
  if (where) *where = wt;
  return best;
}

/* Signed knee angle (deg) between thigh and shank at frame i: positive
   when the knee lies on the `pos` side of the hip-ankle line (pos: a unit
   direction), magnitude 180 - the hip-knee-ankle angle. */
static double bend(double hx, double hy, double kx, double ky, double ax,
                   double ay, double posx, double posy) {
  double t1 = kx - hx, t2 = ky - hy, s1 = ax - kx, s2 = ay - ky;
  double nt = hypot(t1, t2), ns = hypot(s1, s2);
  if (!(nt > 0) || !(ns > 0)) return NAN;
  double c = (t1 * s1 + t2 * s2) / (nt * ns);
  if (c > 1) c = 1;
  if (c < -1) c = -1;
  double mag = acos(c) * DEG;
  /* knee offset from the hip-ankle line */
  double lx = ax - hx, ly = ay - hy, ll = lx * lx + ly * ly;
  if (!(ll > 0)) return NAN;
  double u = ((kx - hx) * lx + (ky - hy) * ly) / ll;
  double ox = kx - (hx + u * lx), oy = ky - (hy + u * ly);
  return ox * posx + oy * posy >= 0 ? mag : -mag;
}

/* ---- the runner's frames ---------------------------------------------- */

/* The longest stretch of frames with the core points, gaps of at most
   max_gap frames allowed inside. */
static int choose_window(work *w, size_t max_gap) {
  const gk_capture *kp = w->kp;
  size_t best_a = 0, best_b = 0, best_k = 0, a = 0, last = 0, k = 0;
  int in_run = 0;
  for (size_t f = 0; f < kp->n_frames; f++) {
    if (!core_present(w, f)) continue;
    if (in_run && f - last - 1 <= max_gap) {
      last = f;
      k++;
    } else {
      a = last = f;
      k = 1;
      in_run = 1;
    }
    if (k > best_k) best_k = k, best_a = a, best_b = last;
  }
  if (best_k == 0) return 0;
  w->f0 = best_a;
  w->n = best_b - best_a + 1;
  return 1;
}

static gk_status alloc_work(work *w, double **block) {
  size_t per = 5 * P_N + 4 + 2 * FP_N + 2 + 1 + 2 * A_N + 3 + 1;
  size_t pad = gk__filter_pad(gk__cutoff_hz(w->fps), w->fps);
  size_t n = w->n, total, fwn;
  if (!gk__add_ok(n, 2 * pad + 8, &fwn)) return GK_E_LIMIT;
  if (!gk__mul_ok(per, n, &total) || !gk__add_ok(total, fwn, &total) ||
      !gk__mul_ok(total, sizeof(double), &total))
    return GK_E_LIMIT;
  double *b = (double *)malloc(total);
  if (b == NULL) return GK_E_NOMEM;
  *block = b;
  for (int p = 0; p < P_N; p++) {
    w->x[p] = b, b += n;
    w->y[p] = b, b += n;
    w->c[p] = b, b += n;
  }
  for (int p = 0; p < P_N; p++) {
    w->rx[p] = b, b += n;
    w->ry[p] = b, b += n;
  }
  w->px = b, b += n;
  w->py = b, b += n;
  w->nx = b, b += n;
  w->ny = b, b += n;
  for (int s = 0; s < 2; s++)
    for (int k = 0; k < FP_N; k++) w->hp[s][k] = b, b += n;
  w->h[0] = b, b += n;
  w->h[1] = b, b += n;
  w->leg = b, b += n;
  for (int s = 0; s < 2; s++)
    for (int a = 0; a < A_N; a++) w->ang[s][a] = b, b += n;
  w->spd[0] = b, b += n;
  w->spd[1] = b, b += n;
  w->scr = b, b += n;
  w->tmp = b, b += n;
  w->fw = b;
  return GK_OK;
}

/* Three-point running median of x into out: removes one-frame glitches
   (a keypoint on the wrong limb for a frame) and keeps every monotone
   stretch, so the corners of contact and toe-off stay where they are. */
static void median3(const double *x, double *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || i + 1 >= n || isnan(x[i - 1]) || isnan(x[i]) ||
        isnan(x[i + 1])) {
      out[i] = x[i];
      continue;
    }
    double a = x[i - 1], b = x[i], c = x[i + 1];
    out[i] = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
  }
}

/* Extract, fill, weight and filter every point. */
static void condition(work *w, size_t max_gap) {
  size_t n = w->n;
  double fc = gk__cutoff_hz(w->fps);
  size_t pad = gk__filter_pad(fc, w->fps);
  for (int p = 0; p < P_N; p++) {
    for (size_t i = 0; i < n; i++) {
      double x, y, c;
      if (raw(w->kp, w->f0 + i, w->idx[p], &x, &y, &c)) {
        w->x[p][i] = x, w->y[p][i] = y, w->c[p][i] = c;
      } else {
        w->x[p][i] = w->y[p][i] = w->c[p][i] = NAN;
      }
    }
    if (w->idx[p] < 0) continue;
    w->filled += gk__fill_gaps(w->x[p], n, max_gap);
    gk__fill_gaps(w->y[p], n, max_gap);
    gk__conf_weight(w->x[p], w->c[p], n, w->tmp);
    gk__conf_weight(w->y[p], w->c[p], n, w->tmp);
    median3(w->x[p], w->rx[p], n);
    median3(w->y[p], w->ry[p], n);
    /* zero lag, -6 dB at fc, runs of 6 or more samples */
    gk__lowpass_zerolag(w->x[p], n, 1, fc, w->fps, pad, 6, w->fw);
    gk__lowpass_zerolag(w->y[p], n, 1, fc, w->fps, pad, 6, w->fw);
  }
  for (size_t i = 0; i < n; i++) {
    w->px[i] = (w->x[P_LHIP][i] + w->x[P_RHIP][i]) / 2;
    w->py[i] = (w->y[P_LHIP][i] + w->y[P_RHIP][i]) / 2;
    double nx = w->x[P_NECK][i], ny = w->y[P_NECK][i];
    if (isnan(nx)) {
      nx = (w->x[P_LSHO][i] + w->x[P_RSHO][i]) / 2;
      ny = (w->y[P_LSHO][i] + w->y[P_RSHO][i]) / 2;
    }
    w->nx[i] = nx, w->ny[i] = ny;
  }
}

/* 2D thigh + shank of side s at frame i. */
static double leg2d(const work *w, int s, size_t i) {
  int h = limb[s][0], k = limb[s][1], a = limb[s][2];
  return hypot(w->x[k][i] - w->x[h][i], w->y[k][i] - w->y[h][i]) +
         hypot(w->x[a][i] - w->x[k][i], w->y[a][i] - w->y[k][i]);
}

/* View, facing, leg length per frame; notes. */
/*
** Treadmill or overground (docs/METRICS.md "Treadmill or overground"):
** judged from the travel measure m (side views: the pelvis's travel across
** the image in leg lengths; frontal views: the ratio of the runner's
** largest to smallest size in the image) with an unsure band between the
** two, unless given.  Said in a note either way; a given surface the image
** clearly contradicts is said too.
*/
static void judge_surface(gk_gait *g, gk_surface given, double m,
                          int frontal) {
  /* side: under 0.6 leg lengths in place, over 1.5 across the image;
     frontal: under 1.10-fold steady, over 1.40-fold approaching */
  const double lo = frontal ? 1.10 : 0.6, hi = frontal ? 1.40 : 1.5;
  gk_surface judged = !isfinite(m) ? GK_SURFACE_UNKNOWN
                      : m < lo     ? GK_SURFACE_TREADMILL
                      : m > hi     ? GK_SURFACE_OVERGROUND
                                   : GK_SURFACE_UNKNOWN;
  char what[96];
  if (frontal)
    snprintf(what, sizeof what, "the runner's size in the image changes "
                                "%.2f-fold", m);
  else
    snprintf(what, sizeof what, "the pelvis moves %.1f leg lengths across "
                                "the image", m);
  g->surface_travel = m;
  if (given != GK_SURFACE_UNKNOWN) {
    g->surface = given;
    g->surface_how = "given";
    if (judged != GK_SURFACE_UNKNOWN && judged != given)
      gk_gait_note(g, "%s, as given, though %s, which looks %s: check "
                      "--surface.",
                   given == GK_SURFACE_TREADMILL ? "Treadmill" : "Overground",
                   what, gk_surface_name(judged));
    else
      gk_gait_note(g, "%s, as given (%s).",
                   given == GK_SURFACE_TREADMILL ? "Treadmill" : "Overground",
                   what);
    return;
  }
  g->surface = judged;
  g->surface_how = judged == GK_SURFACE_UNKNOWN ? "unsure" : "judged";
  if (judged == GK_SURFACE_TREADMILL)
    gk_gait_note(g, "Treadmill or in place: %s.", what);
  else if (judged == GK_SURFACE_OVERGROUND)
    gk_gait_note(g, "Overground: %s%s.", what,
                 frontal ? "; lengths are scaled frame by frame" : "");
  else
    gk_gait_note(g, "Treadmill or overground is unsure: %s (between %.2g "
                    "and %.2g); say which with --surface treadmill or "
                    "--surface overground.",
                 what, lo, hi);
}

static void view_and_scale(work *w, gk_capture_view given, gk_gait *g,
                           gk_surface surface) {
  size_t n = w->n;
  double *r = w->leg; /* scratch for the ratios, overwritten below */
  for (size_t i = 0; i < n; i++) {
    double l = (leg2d(w, 0, i) + leg2d(w, 1, i)) / 2;
    r[i] = l > 0 ? fabs(w->x[P_RHIP][i] - w->x[P_LHIP][i]) / l : NAN;
  }
  double ratio = quantile(r, n, 0.5, w->tmp);
  /* runner's right on the image right: seen from behind */
  size_t right_on_right = 0, counted = 0;
  for (size_t i = 0; i < n; i++) {
    double d = w->x[P_RHIP][i] - w->x[P_LHIP][i];
    if (isnan(d)) continue;
    counted++;
    if (d > 0) right_on_right++;
  }
  /* facing: toes ahead of heels, else nose ahead of the ears, else the
     direction of travel */
  double votes = 0;
  size_t nv = 0;
  w->have_foot = w->idx[P_LHEEL] >= 0 && w->idx[P_RHEEL] >= 0 &&
                 w->idx[P_LTOE] >= 0 && w->idx[P_RTOE] >= 0;
  const char *how = "the toes point";
  if (w->have_foot) {
    for (size_t i = 0; i < n; i++)
      for (int s = 0; s < 2; s++) {
        double d = w->x[limb[s][4]][i] - w->x[limb[s][3]][i];
        if (isnan(d)) continue;
        votes += d > 0 ? 1 : -1;
        nv++;
      }
  }
  if (nv == 0 && w->idx[P_NOSE] >= 0) {
    how = "the nose points";
    for (size_t i = 0; i < n; i++) {
      double e = NAN;
      if (!isnan(w->x[P_LEAR][i]) && !isnan(w->x[P_REAR][i]))
        e = (w->x[P_LEAR][i] + w->x[P_REAR][i]) / 2;
      else if (!isnan(w->x[P_LEAR][i])) e = w->x[P_LEAR][i];
      else if (!isnan(w->x[P_REAR][i])) e = w->x[P_REAR][i];
      double d = w->x[P_NOSE][i] - e;
      if (isnan(d)) continue;
      votes += d > 0 ? 1 : -1;
      nv++;
    }
  }
  if (nv == 0) {
    how = "the runner travels";
    double d = w->px[n - 1] - w->px[0];
    votes = d > 0 ? 1 : -1;
    nv = 1;
  }
  w->fwd = votes >= 0 ? 1 : -1;
  /* Rear or front: hips apart, always in the same left/right order, and
     feet seen end-on (short in the image); side-on the hips overlap and
     cross, and the feet show their length. */
  double footlen = NAN;
  if (w->have_foot) {
    for (size_t i = 0; i < n; i++) {
      double a = fabs(w->x[P_LTOE][i] - w->x[P_LHEEL][i]),
             b = fabs(w->x[P_RTOE][i] - w->x[P_RHEEL][i]);
      double l = (leg2d(w, 0, i) + leg2d(w, 1, i)) / 2;
      r[i] = l > 0 ? (a + b) / 2 / l : NAN;
    }
    footlen = quantile(r, n, 0.5, w->tmp);
  }
  double order = counted ? (double)right_on_right / (double)counted : 0.5;
  if (order < 0.5) order = 1 - order;
  int frontal = ratio > FRONTAL_MIN_RATIO && order >= FRONTAL_MIN_ORDER &&
                !(footlen > SIDE_MIN_FOOT);
  gk_capture_view det;
  if (frontal)
    det = 2 * right_on_right >= counted ? GK_VIEW_REAR : GK_VIEW_FRONT;
  else
    det = w->fwd < 0 ? GK_VIEW_LEFT : GK_VIEW_RIGHT;
  if (given >= GK_VIEW_REAR && given <= GK_VIEW_RIGHT) {
    g->view = given;
    g->view_detected = 0;
    if (given != det)
      gk_gait_note(g, "The view was given as %s; the keypoints look like a "
                      "%s view (hip width / leg length %.2f).",
                   gk_view_name(given), gk_view_name(det), ratio);
  } else {
    g->view = det;
    g->view_detected = 1;
    if (det == GK_VIEW_REAR || det == GK_VIEW_FRONT)
      gk_gait_note(g, "View detected: %s (hip width / leg length %.2f; the "
                      "runner's right hip is on the image %s in %.0f%% of "
                      "frames).",
                   gk_view_name(det), ratio,
                   det == GK_VIEW_REAR ? "right" : "left",
                   counted ? 100.0 * (double)(det == GK_VIEW_REAR
                                                  ? right_on_right
                                                  : counted - right_on_right) /
                                 (double)counted
                           : 0.0);
    else
      gk_gait_note(g, "View detected: %s side (hip width / leg length %.2f; "
                      "%s to the image %s).",
                   det == GK_VIEW_LEFT ? "left" : "right", ratio, how,
                   w->fwd > 0 ? "right" : "left");
  }
  w->frontal = g->view == GK_VIEW_REAR || g->view == GK_VIEW_FRONT;
  w->rear = g->view == GK_VIEW_REAR;
  /* Leg length per frame.  Side views: the median 2D thigh + shank (true
     lengths in the sagittal plane).  Frontal views: the hip width times
     the 90th percentile of leg / hip width (the leg is longest in the
     image when upright), so it follows the runner's distance. */
  for (size_t i = 0; i < n; i++) {
    double a = leg2d(w, 0, i), b = leg2d(w, 1, i);
    w->tmp[i] = NAN;
    r[i] = (a + b) / 2; /* reuse leg[] as input */
  }
  if (!w->frontal) {
    double l = quantile(r, n, 0.5, w->tmp);
    for (size_t i = 0; i < n; i++) w->leg[i] = l;
    double span = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
      if (isnan(w->px[i])) continue;
      if (w->px[i] < lo) lo = w->px[i];
      if (w->px[i] > hi) hi = w->px[i];
    }
    span = hi - lo;
    judge_surface(g, surface, l > 0 && isfinite(span) ? span / l : NAN, 0);
  } else {
    /* trunk (neck to pelvis centre) / hip width where the neck is seen,
       as a leg length: thigh + shank is 0.491 / 0.288 of the trunk */
    size_t with_neck = 0;
    for (size_t i = 0; i < n; i++) {
      double hw = fabs(w->x[P_RHIP][i] - w->x[P_LHIP][i]);
      double tr = hypot(w->nx[i] - w->px[i], w->ny[i] - w->py[i]);
      w->h[0][i] = hw > 0 ? tr / hw : NAN; /* scratch */
      if (!isnan(w->h[0][i])) with_neck++;
      r[i] = hw > 0 ? r[i] / hw : NAN;
    }
    double k;
    if (with_neck >= n / 4 + 1)
      k = LEG_OF_HEIGHT / TRUNK_OF_HEIGHT * quantile(w->h[0], n, 0.5, w->tmp);
    else
      k = quantile(r, n, 0.9, w->tmp);
    double hmin = INFINITY, hmax = 0;
    for (size_t i = 0; i < n; i++) {
      double hw = fabs(w->x[P_RHIP][i] - w->x[P_LHIP][i]);
      w->leg[i] = k * hw;
      if (hw < hmin) hmin = hw;
      if (hw > hmax) hmax = hw;
    }
    judge_surface(g, surface, hmin > 0 && isfinite(hmax) ? hmax / hmin : NAN,
                  1);
    if (g->view == GK_VIEW_FRONT)
      gk_gait_note(g, "Contacts from a front view assume a camera near the "
                      "ground: from higher up a treadmill's belt carries the "
                      "stance foot up the image, and toe-off is found early "
                      "(contact times too short). Film from behind, or with "
                      "the camera on the floor.");
  }
}

/* ---- events ------------------------------------------------------------- */

static void foot_heights(work *w) {
  size_t n = w->n;
  size_t hw = (size_t)(GROUND_HALF_WINDOW_S * w->fps + 0.5);
  /* Each foot point's height above its own ground line: the point's lowest
     image position (largest y) within the window.  Per point, because the
     ankle never reaches the ground and the near and far foot (and a heel
     and a toe keypoint) stand at different distances from the camera, so
     at different image heights.  Before the low-pass: the filter would
     round off the corners that mark contact and toe-off.  The small toe
     only in side views, where it is the first point down for a runner
     landing on the outside of the forefoot; rear and front views keep the
     heel, big toe and ankle their contact rules were validated on. */
  for (int s = 0; s < 2; s++) {
    for (int k = 0; k < FP_N; k++) {
      int p = limb[s][2 + k];
      double *hp = w->hp[s][k];
      if (w->idx[p] < 0 || (k == 3 && w->frontal)) {
        for (size_t i = 0; i < n; i++) hp[i] = NAN;
        continue;
      }
      const double *y = w->ry[p];
      /* the largest y over [i - hw, i + hw] (gaps skipped), in O(n): the
         largest so far (pre) and from here (suf) within blocks of the
         window's length; a window spans at most two blocks (van Herk) */
      size_t K = 2 * hw + 1;
      double *pre = w->tmp, *suf = w->fw;
      for (size_t i = 0; i < n; i++) {
        double v = y[i] > -INFINITY ? y[i] : -INFINITY; /* NaN: -inf */
        pre[i] = i % K == 0 || v > pre[i - 1] ? v : pre[i - 1];
      }
      for (size_t i = n; i-- > 0;) {
        double v = y[i] > -INFINITY ? y[i] : -INFINITY;
        suf[i] = i + 1 == n || (i + 1) % K == 0 || v > suf[i + 1] ? v
                                                                 : suf[i + 1];
      }
      for (size_t i = 0; i < n; i++) {
        size_t a = i > hw ? i - hw : 0, b = i + hw < n ? i + hw : n - 1;
        double g = a / K != b / K ? (suf[a] > pre[b] ? suf[a] : pre[b])
                   : a % K == 0   ? pre[b]
                                  : suf[a];
        hp[i] = (w->leg[i] > 0 && isfinite(g)) ? (g - y[i]) / w->leg[i] : NAN;
      }
    }
    for (size_t i = 0; i < n; i++) {
      double m = NAN;
      for (int k = 0; k < FP_N; k++) {
        double v = w->hp[s][k][i];
        if (!isnan(v) && (isnan(m) || v < m)) m = v;
      }
      w->h[s][i] = m;
    }
  }
}

/* The foot point lowest (nearest its ground) at frame i. */
static int lowest_point(const work *w, int s, size_t i) {
  int best = -1;
  for (int k = 0; k < FP_N; k++) {
    double v = w->hp[s][k][i];
    if (!isnan(v) && (best < 0 || v < w->hp[s][best][i])) best = k;
  }
  return best;
}

/* Least of v[a..b]. */
static double least(const double *v, size_t a, size_t b) {
  double m = INFINITY;
  for (size_t i = a; i <= b; i++)
    if (v[i] < m) m = v[i];
  return m;
}

static int cmp_contact(const void *a, const void *b) {
  const contact *x = (const contact *)a, *y = (const contact *)b;
  double u = isnan(x->ic) ? -1 : x->ic, v = isnan(y->ic) ? -1 : y->ic;
  return u < v ? -1 : u > v;
}

/* Rear and front views: IC and TO of the contact whose foot is down
   (height under the threshold) over frames [a, b], against a ground line
   that stays put in the image. */
static void events_still(const work *w, int s, size_t a, size_t b, double eps,
                         contact *c) {
  size_t n = w->n;
  /* Initial contact: the first frame where the point lowest at the start
     of the contact is down (within eps of its least height in this
     contact); its descent over the two frames before, continued in a line
     to that least height, places the contact within the frame before.
     Toe-off likewise: the last frame the point lowest at the end is down,
     and its rise over the two frames after. */
  int k = lowest_point(w, s, a);
  if (k >= 0) {
    const double *v = w->hp[s][k];
    double fl = least(v, a, b);
    size_t q = a;
    while (q < b && !(v[q] - fl <= eps)) q++; /* first frame down */
    double t = (double)q;
    if (q >= 2 && !isnan(v[q - 1]) && !isnan(v[q - 2])) {
      double d = v[q - 2] - v[q - 1];
      if (d > 0) t = (double)(q - 1) + (v[q - 1] - fl) / d;
      if (t < (double)(q - 1)) t = (double)(q - 1);
      if (t > (double)q) t = (double)q;
    } else if (q == 0) {
      t = NAN; /* already down at the first frame */
    }
    c->ic = t;
  }
  k = lowest_point(w, s, b);
  if (k >= 0 && b + 1 < n) {
    const double *v = w->hp[s][k];
    double fl = least(v, a, b);
    size_t j = b;
    while (j > a && !(v[j] - fl <= eps)) j--; /* last frame down */
    double t = (double)j;
    if (j + 2 < n && !isnan(v[j + 1]) && !isnan(v[j + 2])) {
      double d = v[j + 2] - v[j + 1];
      if (d > 0) t = (double)(j + 1) - (v[j + 1] - fl) / d;
      if (t < (double)j) t = (double)j;
      if (t > (double)(j + 1)) t = (double)(j + 1);
    }
    c->to = t;
  }
}

/* One foot point's initial contact in the frames found down, [a, b]: the
   first frame where it is within eps of its least height over them; its
   descent over the two frames before, continued in a line to that least
   height, places the contact within the frame before.  NaN when the point
   has no height there, or is down at the first frame (*under_way set: a
   contact that began before the frames analysed). */
static double point_ic(const double *v, size_t a, size_t b, double eps,
                       int *under_way) {
  double fl = least(v, a, b);
  if (!isfinite(fl)) return NAN;
  size_t q = a;
  while (q < b && !(v[q] - fl <= eps)) q++; /* first frame down */
  if (q == 0) {
    *under_way = 1;
    return NAN;
  }
  double t = (double)q;
  if (q >= 2 && !isnan(v[q - 1]) && !isnan(v[q - 2])) {
    double d = v[q - 2] - v[q - 1];
    if (d > 0) t = (double)(q - 1) + (v[q - 1] - fl) / d;
    if (t < (double)(q - 1)) t = (double)(q - 1);
    if (t > (double)q) t = (double)q;
  }
  return t;
}

/* One foot point's toe-off after the frames found down, [a, b]: from the
   last frame j within eps of its least height fl, the point is followed
   while it rises slowly (by less than `lift` per frame) and stays within
   `cap` of fl: it is still loaded.  When it is not followed at all, its
   rise over the two frames after j, continued back in a line to fl,
   places the toe-off within the frame after j (a rigid foot: it leaves at
   once); else the rise over the two frames after the last one followed,
   continued back to that frame's height, places it within the frame after
   that one.  NaN when the point has no height there or the contact lasts
   to the last frame. */
static double point_to(const double *v, size_t n, size_t a, size_t b,
                       double eps, double lift, double cap) {
  double fl = least(v, a, b);
  if (!isfinite(fl) || b + 1 >= n) return NAN;
  size_t j = b;
  while (j > a && !(v[j] - fl <= eps)) j--; /* last frame down */
  size_t i = j;
  while (i + 2 < n && !isnan(v[i + 1]) && !isnan(v[i + 2]) &&
         v[i + 1] - v[i] < lift && v[i + 1] - fl < cap)
    i++;
  double t = (double)i, lvl = i > j ? v[i] : fl;
  if (i + 2 < n && !isnan(v[i + 1]) && !isnan(v[i + 2])) {
    double d = v[i + 2] - v[i + 1];
    if (d > 0) t = (double)(i + 1) - (v[i + 1] - lvl) / d;
    if (t < (double)i) t = (double)i;
    if (t > (double)(i + 1)) t = (double)(i + 1);
  }
  return t;
}

/* Side views: IC and TO of the contact found down over frames [a, b]: IC
   when the first of the heel, big toe and small toe comes down, TO when
   the last one leaves (point_ic, point_to; the ankle when the keypoints
   have none of them).  The first point down is the heel of a heel striker
   and the small or big toe of a forefoot striker; each point is timed
   against its own least height because a real heel keeps sinking into
   the shoe for ~30 ms after it lands (RBDS001: 5-10 mm), so a heel that
   lands with the forefoot reaches its least height ~30 ms after IC. */
static void events_side(const work *w, int s, size_t a, size_t b, double eps,
                        double tau, contact *c) {
  int feet = 0;
  for (int k = 1; k < FP_N; k++) feet |= w->idx[limb[s][2 + k]] >= 0;
  double lift = LIFT_SPEED / w->fps, cap = LIFT_CAP * tau;
  double ic = NAN, to = NAN;
  int under_way = 0;
  for (int k = feet ? 1 : 0; k < FP_N; k++) {
    if (w->idx[limb[s][2 + k]] < 0) continue;
    const double *v = w->hp[s][k];
    double t = point_ic(v, a, b, eps, &under_way);
    if (!isnan(t) && (isnan(ic) || t < ic)) ic = t;
    t = point_to(v, w->n, a, b, eps, lift, cap);
    if (!isnan(t) && (isnan(to) || t > to)) to = t;
  }
  c->ic = under_way ? NAN : ic;
  c->to = to;
}

/* Rear views: how fast the ground under a stance foot comes down the
   image, in leg lengths per frame (negative: the height above the lowest
   image position falls).  On a treadmill filmed from behind by a camera
   above the floor, the belt carries the stance foot toward the camera, and
   a ground point's image height below the horizon is focal length x camera
   height / distance: the foot sinks in the image all through stance, by
   about 0.13 leg lengths for a camera 1 m high and 6 m away, four times
   the threshold that finds contacts.  Per contact, the least-squares slope
   of the heel or toe (whichever is lower on average) over the middle half
   of the frames found down; the foot's value is the median over its
   contacts (about 0 overground, where the stance foot stays put, and for a
   camera on the floor).  Validated on the simulated heel-striking foot: a
   real forefoot striker's heel rises through late stance and is often the
   lower point, and its slope is then not "coming down" (docs/METRICS.md).
   cores: the frames found down, [ic, to]. */
static double ground_slope(work *w, int s, const contact *cores, size_t nc) {
  size_t k_s = 0;
  for (size_t j = 0; j < nc; j++) {
    /* the middle half: the ends may hold the last of the descent and the
       start of the lift */
    size_t a0 = (size_t)cores[j].ic, b0 = (size_t)cores[j].to;
    size_t a = a0 + (b0 - a0 + 2) / 4, b = b0 - (b0 - a0 + 2) / 4;
    if (b < a + 2) continue;
    int best = -1;
    double best_mean = INFINITY;
    /* the heel or the toe: the ankle is never on the ground */
    int k0 = w->idx[limb[s][3]] >= 0 || w->idx[limb[s][4]] >= 0;
    for (int k = k0; k < FP_N; k++) {
      double sum = 0;
      size_t i;
      for (i = a; i <= b && !isnan(w->hp[s][k][i]); i++) sum += w->hp[s][k][i];
      if (i <= b) continue; /* a gap: not this point */
      sum /= (double)(b - a + 1);
      if (sum < best_mean) best_mean = sum, best = k;
    }
    if (best < 0) continue;
    const double *v = w->hp[s][best];
    double mi = 0.5 * (double)(a + b), sxy = 0, sxx = 0;
    for (size_t i = a; i <= b; i++) {
      sxy += ((double)i - mi) * v[i];
      sxx += ((double)i - mi) * ((double)i - mi);
    }
    w->tmp[k_s++] = sxy / sxx;
  }
  if (k_s == 0) return 0;
  double m = quantile(w->tmp, k_s, 0.5, w->fw);
  if (!isfinite(m)) return 0;
  /* a camera above the floor: the ground comes down the image toward a
     camera behind the runner (the height above it falls); the other sign
     is noise or swing in the frames */
  return m < 0 ? m : 0;
}

/* A foot point's height above a ground line moving by `slope` per frame
   (ground_slope), anchored at frame r; averaged over frames i - hw ..
   i + hw (hw 0: the frame's own value). */
static double moving_height(const work *w, int s, int k, size_t i,
                            double slope, size_t r, size_t hw) {
  const double *v = w->hp[s][k];
  double h = v[i];
  if (hw > 0) {
    size_t a = i > hw ? i - hw : 0, b = i + hw < w->n ? i + hw : w->n - 1;
    double sum = 0;
    size_t m = 0;
    for (size_t j = a; j <= b; j++)
      if (!isnan(v[j])) sum += v[j], m++;
    h = m > 0 ? sum / (double)m : NAN;
  }
  return h - slope * ((double)i - (double)r);
}

/* Is some point of foot s down at frame i: no more than eps above the
   least moving height it had in the contact so far (lvl)?  *which: the
   point nearest its level. */
static int down_moving(const work *w, int s, size_t i, double slope, size_t r,
                       size_t hw, const double *lvl, double eps, int *which) {
  double best = INFINITY;
  *which = -1;
  for (int k = 0; k < FP_N; k++) {
    double e = moving_height(w, s, k, i, slope, r, hw);
    if (isnan(e) || isnan(lvl[k])) continue;
    if (e - lvl[k] < best) best = e - lvl[k], *which = k;
  }
  return *which >= 0 && best <= eps;
}

static void lower_levels(const work *w, int s, size_t i, double slope,
                         size_t r, size_t hw, double *lvl) {
  for (int k = 0; k < FP_N; k++) {
    double e = moving_height(w, s, k, i, slope, r, hw);
    if (!isnan(e) && (isnan(lvl[k]) || e < lvl[k])) lvl[k] = e;
  }
}

/* Rear views: IC and TO of the contact found down over frames [a, b],
   against the ground line moving by `slope` per frame.
   1. The contact's extent: from the middle of [a, b] it extends backward
      and forward while some point of the foot (heel, ankle or toe: they
      take over from one another as the foot rolls) stays within eps_walk
      of the least moving height it reached in the contact; a lift of at
      most `bridge` frames is noise.  eps_walk is loose: the ground's image
      motion is not quite a line (1 / distance), and the point's least
      height over the whole contact drifts by a few pixels.
   2. The events, as in side views but against the point's level near the
      event (its least averaged moving height within CONTACT_LOCAL_S): IC
      at the first frame where the point nearest its level at the
      contact's start is within eps of it, placed within the frame before
      by its descent over the two frames before; TO likewise at the end.
   Not before frame lo; *last receives the contact's last frame down. */
static void events_moving(const work *w, int s, size_t a, size_t b, size_t lo,
                          double slope, double eps_walk, double eps,
                          size_t bridge, contact *c, size_t *last) {
  size_t n = w->n, r = a + (b - a) / 2;
  /* the ground line is a line only near the frames found down: reach out
     at most their number again beyond each end */
  size_t reach = (size_t)(CONTACT_WALK_S * w->fps) + 1;
  if (reach > (b - a + 1) + bridge + (b - a) / 2)
    reach = (b - a + 1) + bridge + (b - a) / 2;
  size_t local = (size_t)(CONTACT_LOCAL_S * w->fps + 0.5);
  if (local < 2) local = 2;
  /* the extent from heights averaged over WALK_SMOOTH_S: the least of
     many noisy frames would sit well below their typical value */
  size_t hw = (size_t)(WALK_SMOOTH_S * w->fps + 0.5);
  double lvl[FP_N];
  int k;
  for (k = 0; k < FP_N; k++) lvl[k] = moving_height(w, s, k, r, slope, r, hw);
  size_t q = r, i = r, miss = 0;
  while (i > lo && r - i < reach) {
    i--;
    if (down_moving(w, s, i, slope, r, hw, lvl, eps_walk, &k)) {
      q = i, miss = 0;
      lower_levels(w, s, i, slope, r, hw, lvl);
    } else if (++miss > bridge) {
      break;
    }
  }
  size_t j = r, e = r;
  miss = 0;
  while (j + 1 < n && j - r < reach) {
    j++;
    if (down_moving(w, s, j, slope, r, hw, lvl, eps_walk, &k)) {
      e = j, miss = 0;
      lower_levels(w, s, j, slope, r, hw, lvl);
    } else if (++miss > bridge) {
      break;
    }
  }
  *last = e;
  /* initial contact */
  down_moving(w, s, q, slope, r, hw, lvl, INFINITY, &k);
  if (q == 0 || k < 0) {
    c->ic = NAN; /* already down at the first frame */
  } else {
    size_t z = q + local < e ? q + local : e;
    double fl = INFINITY;
    for (size_t u = q; u <= z; u++) {
      double v = moving_height(w, s, k, u, slope, r, hw);
      if (v < fl) fl = v;
    }
    if (!isfinite(fl)) fl = lvl[k];
    size_t p = q;
    while (p < z && !(moving_height(w, s, k, p, slope, r, 0) - fl <= eps)) p++;
    double t = (double)p;
    if (p >= 2) {
      double v1 = moving_height(w, s, k, p - 1, slope, r, 0),
             v2 = moving_height(w, s, k, p - 2, slope, r, 0);
      double d = v2 - v1;
      if (d > 0) t = (double)(p - 1) + (v1 - fl) / d;
      if (t < (double)(p - 1)) t = (double)(p - 1);
      if (t > (double)p) t = (double)p;
    }
    c->ic = t;
  }
  /* toe-off: the contact must end before the last frame */
  down_moving(w, s, e, slope, r, hw, lvl, INFINITY, &k);
  if (e + 1 >= n || k < 0) {
    c->to = NAN;
  } else {
    size_t z = e > q + local ? e - local : q;
    double fl = INFINITY;
    for (size_t u = z; u <= e; u++) {
      double v = moving_height(w, s, k, u, slope, r, hw);
      if (v < fl) fl = v;
    }
    if (!isfinite(fl)) fl = lvl[k];
    size_t p = e;
    while (p > z && !(moving_height(w, s, k, p, slope, r, 0) - fl <= eps)) p--;
    double t = (double)p;
    if (p + 2 < n) {
      double v1 = moving_height(w, s, k, p + 1, slope, r, 0),
             v2 = moving_height(w, s, k, p + 2, slope, r, 0);
      double d = v2 - v1;
      if (d > 0) t = (double)(p + 1) - (v1 - fl) / d;
      if (t < (double)p) t = (double)p;
      if (t > (double)(p + 1)) t = (double)(p + 1);
    }
    c->to = t;
  }
}

/* Contacts of both feet into w->ct (capacity n). */
static void find_contacts(work *w) {
  size_t n = w->n, minlen = (size_t)ceil(CONTACT_MIN_S * w->fps);
  if (minlen < 2) minlen = 2;
  size_t bridge = (size_t)(CONTACT_BRIDGE_S * w->fps);
  if (bridge < 1) bridge = 1;
  w->n_ct = 0;
  for (int s = 0; s < 2; s++) {
    const double *h = w->h[s];
    double tau = CONTACT_FRACTION * quantile(h, n, 0.95, w->tmp);
    if (!(tau > 0.005)) tau = 0.005;
    /* Noise of the height signal: a quarter of the frames (a foot is down
       a third of the time) bend less than this; without noise, 0. */
    for (size_t i = 0; i < n; i++)
      w->tmp[i] = i > 0 && i + 1 < n ? fabs(h[i] - (h[i - 1] + h[i + 1]) / 2)
                                     : NAN;
    double noise = 2.1 * quantile(w->tmp, n, 0.25, w->fw);
    /* The frames where the foot is down: its height under the threshold;
       stored as [ic, to] = [a, b] until the events are timed. */
    contact *cores = w->ct + w->n_ct;
    size_t nc = 0, i = 0;
    while (i < n) {
      if (!(h[i] < tau)) {
        i++;
        continue;
      }
      size_t a = i;
      for (;;) {
        while (i < n && h[i] < tau) i++;
        /* a lift of at most `bridge` frames inside a contact is noise */
        size_t j = i;
        while (j < n && j - i < bridge && !(h[j] < tau)) j++;
        if (j < n && j > i && j - i < bridge && h[j] < tau) {
          i = j;
          continue;
        }
        break;
      }
      size_t b = i - 1; /* contact frames [a, b] */
      if (b - a + 1 < minlen) continue;
      cores[nc++] = (contact){s, (double)a, (double)b};
    }
    /* Rear views: does the ground under the stance foot move down the
       image by more than the threshold over a long contact
       (CONTACT_LONG_S)?  Then the contacts are followed on the moving
       ground (events_moving). */
    double slope = w->rear ? ground_slope(w, s, cores, nc) : 0;
    int moving = -slope * CONTACT_LONG_S * w->fps > tau;
    w->slope[s] = moving ? slope : 0;
    /* "down": within eps of the least height: a tenth of the threshold,
       or 4 x the noise.  Frontal views on a still ground line allow half
       the threshold: the ground under a foot moves in the image as the
       foot comes toward or goes away from the camera. */
    double eps = (w->frontal && !moving ? 0.5 : 0.1) * tau;
    if (eps < 4 * noise) eps = 4 * noise;
    if (eps > 0.8 * tau) eps = 0.8 * tau;
    /* A moving ground is followed with a looser bound on heights averaged
       over 2 x WALK_SMOOTH_S: a quarter of the threshold, or 4 x the noise
       left after the averaging. */
    size_t avg = 2 * (size_t)(WALK_SMOOTH_S * w->fps + 0.5) + 1;
    double eps_walk = 0.25 * tau;
    if (eps_walk < 4 * noise / sqrt((double)avg))
      eps_walk = 4 * noise / sqrt((double)avg);
    if (eps_walk > 0.8 * tau) eps_walk = 0.8 * tau;
    size_t kept = 0, lo = 0, end = 0;
    int walked = 0, last_kept = 0;
    for (size_t j = 0; j < nc; j++) {
      size_t a = (size_t)cores[j].ic, b = (size_t)cores[j].to;
      contact c = {s, NAN, NAN};
      if (moving) {
        if (walked && a + (b - a) / 2 <= end) continue; /* same contact */
        /* still down at the last frame: the level the foot would settle
           to is not seen, and the contact is left out */
        if (b + 1 >= n) continue;
        events_moving(w, s, a, b, lo, slope, eps_walk, eps, bridge, &c, &end);
        lo = end + 1;
        /* a foot does not land again within a step time: the same contact,
           split where noise lifted it for a few frames */
        if (walked && last_kept && !isnan(c.ic) &&
            !isnan(cores[kept - 1].to) &&
            c.ic - cores[kept - 1].to < STEP_MIN_S * w->fps) {
          cores[kept - 1].to = c.to;
          continue;
        }
        walked = 1;
        last_kept = !isnan(c.ic);
      } else if (w->frontal) {
        events_still(w, s, a, b, eps, &c);
      } else {
        events_side(w, s, a, b, eps, tau, &c);
      }
      if (!isnan(c.ic) && !isnan(c.to) && c.to < c.ic) c.to = c.ic;
      if (isnan(c.ic)) continue; /* contact under way at the start */
      cores[kept++] = c;
    }
    w->n_ct += kept;
  }
  qsort(w->ct, w->n_ct, sizeof *w->ct, cmp_contact);
}

/* ---- walking (side views) ---------------------------------------------- */

/*
** The contact rules above are tuned to running, where a foot comes down
** fast and the feet are never down together.  In a walk the heel lands
** while the foot still moves along the ground (the landmark heel sits
** above the sole and the foot rolls), the foot then flattens over 5-8
** frames at 30 fps, and the height rule finds contact at foot-flat; its
** ground line (GROUND_HALF_WINDOW_S) is also shorter than a walking stride.
** Side views overground only: the image is the ground's frame there.
*/
/* A walk has double support: both feet planted together, for about 10%
   of the gait cycle at each change of feet (at least 100 ms at walking
   cadences up to 130 steps/min); a run has a flight instead.  Median over
   the steps, seconds: 60 ms leaves room for the +-1 frame of each
   event at 30 fps. */
#define WALK_DOUBLE_SUPPORT_S 0.06
/* Within a walk a foot that is planted again after a lift shorter than
   this (s) never left: a walking swing lasts 35-40% of a stride, over
   0.28 s at cadences up to 150 steps/min (the walker of sports2d_demo.mp4,
   96 steps/min: 0.4 s faster than her pelvis); shorter lifts are the pose
   model losing the foot for a few frames (there: 0.2 s where it exchanged
   the legs as the far one swung past, on a copy with dropped frames). */
#define WALK_SWING_MIN_S 0.25
/* The pelvis travels at least this fast (leg lengths per second) for the
   walk rule: walking overground is 0.5 m/s or more (0.6 leg lengths per
   second); a runner on a treadmill stays in place and keeps the running
   rules. */
#define WALK_MIN_SPEED 0.3
/* Initial contact: the heel's descent falls below this fraction of the
   pelvis' forward speed.  The heel comes down in terminal swing at about
   the walking speed (the foot swings down and forward), and the ground
   stops it at once; the ankle keeps rolling the foot flat afterwards
   (the heel then moves along the ground, not down).  Half of the speed
   lies between the two. */
#define WALK_IC_DESCENT 0.5

/* The slowest of the foot's heel and toe points, from frame i to i + 1
   (pixels per frame; NaN unknown), into w->spd[s]. */
static void walk_speeds(work *w, int s) {
  size_t n = w->n;
  double *sp = w->spd[s];
  for (size_t i = 0; i < n; i++) {
    sp[i] = NAN;
    if (i + 1 >= n) continue;
    for (int k = 1; k < FP_N; k++) {
      int p = limb[s][2 + k];
      if (w->idx[p] < 0) continue;
      double d = hypot(w->rx[p][i + 1] - w->rx[p][i],
                       w->ry[p][i + 1] - w->ry[p][i]);
      if (isfinite(d) && (isnan(sp[i]) || d < sp[i])) sp[i] = d;
    }
  }
}

/* Foot s's stances in a walk into out: stretches of frames where it is
   planted (slower than the pelvis, v pixels per frame), of at least
   CONTACT_MIN_S, joined across lifts shorter than WALK_SWING_MIN_S;
   stored as [ic, to] = [a, b] (frames, the last one planted).  Returns
   the count. */
static size_t walk_stances(const work *w, int s, double v, contact *out) {
  size_t n = w->n, minlen = (size_t)ceil(CONTACT_MIN_S * w->fps);
  if (minlen < 2) minlen = 2;
  size_t bridge = (size_t)(WALK_SWING_MIN_S * w->fps);
  const double *sp = w->spd[s];
  size_t k = 0, i = 0;
  while (i < n) {
    if (!(sp[i] < v)) {
      i++;
      continue;
    }
    size_t a = i;
    while (i < n && sp[i] < v) i++;
    size_t b = i - 1;
    if (b - a + 1 < minlen) continue; /* a glitch in the swing */
    if (k > 0 && a - (size_t)out[k - 1].to - 1 < bridge) {
      out[k - 1].to = (double)b;
      continue;
    }
    out[k++] = (contact){s, (double)a, (double)b};
  }
  return k;
}

/* Is it a walk?  Stances of both feet in st[0..ns) (left ones first, in
   order per foot): the median double support (frames both feet are
   planted as one foot's stance gives way to the other's) is at least
   WALK_DOUBLE_SUPPORT_S, and the pelvis is highest at mid-stance (it
   vaults over the stance leg; a runner's is lowest there): the median of
   the pelvis' rise from the stance's ends to its middle third is
   above 0. */
static int detect_walk(work *w, const contact *st, size_t ns) {
  size_t n = w->n, nd = 0, nv = 0;
  double *ds = w->scr, *vault = w->tmp;
  for (size_t j = 0; j < ns; j++) {
    const contact *c = &st[j], *o = NULL;
    for (size_t m = 0; m < ns; m++)
      if (st[m].side != c->side && st[m].ic > c->ic &&
          (o == NULL || st[m].ic < o->ic))
        o = &st[m];
    if (o != NULL) ds[nd++] = fmin(c->to, o->to) + 1 - o->ic;
    size_t a = (size_t)c->ic, b = (size_t)c->to, len = b - a + 1;
    if (len < 5 || a == 0 || b + 1 >= n) continue;
    double mid = 0;
    size_t k = 0;
    for (size_t i = a + len / 3; i + len / 3 <= b; i++) mid += w->py[i], k++;
    if (k == 0 || !(w->leg[a] > 0)) continue;
    /* y down: the rise is the ends' y less the middle's */
    vault[nv++] = ((w->py[a] + w->py[b]) / 2 - mid / (double)k) / w->leg[a];
  }
  if (nd < 2 || nv < 2) return 0;
  w->walk_ds = quantile(ds, nd, 0.5, w->fw);
  w->walk_vault = quantile(vault, nv, 0.5, w->fw);
  return w->walk_ds >= WALK_DOUBLE_SUPPORT_S * w->fps && w->walk_vault > 0;
}

/* A walk's initial contact and toe-off of the stance [a, b] (planted
   frames) after the same foot's previous stance ending at frame lo - 1
   (lo 0: none).  IC: back from a while the heel descends slower than
   thr per frame, then forward while that descent goes on past a (a foot
   slows below v as it swings down); where its descent (from frame q - 1
   to q) last reached thr, the crossing between the half frames q - 0.5
   and q + 0.5 places IC.  No such descent since the previous stance: IC at a (the heel
   landed unseen).  NaN when the stance began before the first frame.  TO:
   where the slowest foot point's speed crosses v, between the half frames
   b + 0.5 and b + 1.5; NaN when the stance lasts to the last frames. */
static void walk_events(const work *w, int s, size_t a, size_t b, size_t lo,
                        double v, contact *c) {
  size_t n = w->n;
  const double *y = w->ry[limb[s][3]], *sp = w->spd[s];
  double thr = WALK_IC_DESCENT * v;
  size_t q = a;
  while (q > lo && !(y[q] - y[q - 1] >= thr)) q--;
  /* the foot may slow below v as it swings down, before the heel lands:
     the descent found goes on past a */
  while (q > lo && q < b && q + 1 < n && y[q + 1] - y[q] >= thr) q++;
  if (q == 0) {
    c->ic = NAN; /* under way at the first frame */
  } else if (q == lo) {
    c->ic = (double)a;
  } else {
    double d1 = y[q] - y[q - 1], d2 = q + 1 < n ? y[q + 1] - y[q] : NAN;
    double t = (double)q;
    if (d2 < thr) t = (double)q - 0.5 + (d1 - thr) / (d1 - d2);
    c->ic = t;
  }
  c->to = NAN;
  if (b + 2 < n && sp[b + 1] > sp[b])
    c->to = (double)b + 0.5 + (v - sp[b]) / (sp[b + 1] - sp[b]);
  if (!isnan(c->to) && c->to > (double)b + 1.5) c->to = (double)b + 1.5;
  if (!isnan(c->to) && !isnan(c->ic) && c->to < c->ic) c->to = c->ic;
}

/* Side views: when the clip shows a walk overground, its contacts into
   w->ct (capacity n) and 1; else 0 and w->ct untouched but for scratch. */
static int walk_contacts(work *w) {
  size_t n = w->n;
  if (w->frontal || !w->have_foot || n < 3) return 0;
  /* the pelvis' forward speed: the median over the frames */
  for (size_t i = 0; i + 1 < n; i++)
    w->tmp[i] = w->fwd * (w->px[i + 1] - w->px[i]);
  double v = quantile(w->tmp, n - 1, 0.5, w->fw);
  if (!(v * w->fps >= WALK_MIN_SPEED * w->leg[0])) return 0;
  walk_speeds(w, 0);
  walk_speeds(w, 1);
  size_t nl = walk_stances(w, 0, v, w->ct);
  size_t nr = walk_stances(w, 1, v, w->ct + nl);
  if (!detect_walk(w, w->ct, nl + nr)) return 0;
  w->walk = 1;
  w->walk_v = v;
  /* the events of stance j into scr[j] (IC) and tmp[j] (TO): the stances
     stay in w->ct until all are timed (the previous one bounds the
     search) */
  for (size_t j = 0; j < nl + nr; j++) {
    const contact *c = &w->ct[j];
    size_t lo = j > 0 && w->ct[j - 1].side == c->side
                    ? (size_t)w->ct[j - 1].to + 1
                    : 0;
    contact e = {c->side, NAN, NAN};
    walk_events(w, c->side, (size_t)c->ic, (size_t)c->to, lo, v, &e);
    w->scr[j] = e.ic;
    w->tmp[j] = e.to;
  }
  size_t kept = 0;
  for (size_t j = 0; j < nl + nr; j++)
    if (!isnan(w->scr[j])) /* not under way at the first frame */
      w->ct[kept++] = (contact){w->ct[j].side, w->scr[j], w->tmp[j]};
  w->n_ct = kept;
  qsort(w->ct, w->n_ct, sizeof *w->ct, cmp_contact);
  return 1;
}

/* ---- angle series ---------------------------------------------------- */

static void angles(work *w) {
  size_t n = w->n;
  for (int s = 0; s < 2; s++) {
    int H = limb[s][0], K = limb[s][1], A = limb[s][2], He = limb[s][3],
        T = limb[s][4];
    int O = limb[1 - s][0]; /* the other hip */
    for (size_t i = 0; i < n; i++) {
      double hx = w->x[H][i], hy = w->y[H][i], kx = w->x[K][i],
             ky = w->y[K][i], ax = w->x[A][i], ay = w->y[A][i];
      for (int a = 0; a < A_N; a++) w->ang[s][a][i] = NAN;
      if (!w->frontal) {
        /* knee flexion: positive with the knee ahead of the hip-ankle line */
        w->ang[s][A_KNEE][i] = bend(hx, hy, kx, ky, ax, ay, w->fwd, 0);
        w->ang[s][A_SHANK][i] = atan2(w->fwd * (ax - kx), ay - ky) * DEG;
        if (w->have_foot) {
          double dx = w->x[T][i] - w->x[He][i], dy = w->y[T][i] - w->y[He][i];
          w->ang[s][A_FOOT][i] = atan2(-dy, w->fwd * dx) * DEG;
        }
        w->ang[s][A_TRUNK][i] =
            atan2(w->fwd * (w->nx[i] - w->px[i]), w->py[i] - w->ny[i]) * DEG;
      } else {
        double ox = w->x[O][i], oy = w->y[O][i];
        double mx = ox - hx, my = oy - hy, ml = hypot(mx, my);
        if (!(ml > 0)) continue;
        mx /= ml, my /= ml; /* medial unit: toward the other hip */
        /* pelvic drop: the other hip below this one (y down) */
        w->ang[s][A_DROP][i] = atan2(oy - hy, fabs(ox - hx)) * DEG;
        double dx = -my, dy = mx; /* perpendicular, pointing down */
        if (dy < 0) dx = -dx, dy = -dy;
        double fx = kx - hx, fy = ky - hy;
        w->ang[s][A_HIPADD][i] = atan2(fx * mx + fy * my, fx * dx + fy * dy) * DEG;
        w->ang[s][A_FPPA][i] = bend(hx, hy, kx, ky, ax, ay, mx, my);
      }
    }
  }
}

/* ---- knowledge: data/gait2d.json -------------------------------------- */

typedef struct metric_info {
  char note[GK_GAIT_NOTE_MAX];
  gk_quality max_q;
  unsigned views; /* bit per gk_capture_view */
  int known;
} metric_info;

static gk_quality quality_of(const char *s) {
  if (s == NULL) return GK_QUALITY_GOOD;
  if (strcmp(s, "poor") == 0) return GK_QUALITY_POOR;
  if (strcmp(s, "fair") == 0) return GK_QUALITY_FAIR;
  return GK_QUALITY_GOOD;
}

static unsigned read_knowledge(metric_info *info, unsigned *min_steps) {
  memset(info, 0, sizeof(metric_info) * GK_GM_COUNT);
  *min_steps = 7;
  const cJSON *root = gk__data("gait2d.json");
  if (root == NULL) return 0;
  const cJSON *ms = cJSON_GetObjectItemCaseSensitive(root, "min_steps_per_side");
  const cJSON *th = cJSON_GetObjectItemCaseSensitive(ms, "threshold");
  if (cJSON_IsNumber(th) && th->valuedouble >= 1 && th->valuedouble <= 1000)
    *min_steps = (unsigned)th->valuedouble;
  const cJSON *mets = cJSON_GetObjectItemCaseSensitive(root, "metrics");
  const cJSON *m;
  cJSON_ArrayForEach(m, mets) {
    int id = gk_gait_metric_find(m->string);
    if (id < 0) continue;
    metric_info *mi = &info[id];
    mi->known = 1;
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(m, "note");
    if (cJSON_IsString(note))
      snprintf(mi->note, sizeof mi->note, "%s", note->valuestring);
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(m, "max_quality");
    mi->max_q = quality_of(cJSON_IsString(q) ? q->valuestring : NULL);
    const cJSON *v, *views = cJSON_GetObjectItemCaseSensitive(m, "views");
    cJSON_ArrayForEach(v, views) {
      if (!cJSON_IsString(v)) continue;
      for (int k = GK_VIEW_REAR; k <= GK_VIEW_RIGHT; k++)
        if (strcmp(v->valuestring, gk_view_name((gk_capture_view)k)) == 0)
          mi->views |= 1u << k;
    }
  }
  return 1;
}

/* ---- steps and metrics ------------------------------------------------ */

static double clamp_nan(double v) { return isfinite(v) ? v : NAN; }

static void step_metrics(const work *w, const contact *c, double next_ic,
                         double next_same_ic, int next_side_ok,
                         const contact *next, double mm_per_leg,
                         gk_gait_step *st) {
  size_t n = w->n;
  int s = c->side;
  double fr = w->fps;
  st->side = (gk_side)s;
  st->ic_s = c->ic / fr;
  st->to_s = isnan(c->to) ? NAN : c->to / fr;
  st->next_ic_s = next_side_ok ? next_ic / fr : NAN;
  double *v = st->v;
  if (next_side_ok) v[GK_GM_STEP_TIME] = 1000 * (next_ic - c->ic) / fr;
  if (!isnan(c->to)) {
    v[GK_GM_CONTACT_TIME] = 1000 * (c->to - c->ic) / fr;
    if (next_side_ok) {
      double fl = 1000 * (next_ic - c->to) / fr;
      v[GK_GM_FLIGHT_TIME] = fl > 0 ? fl : 0;
    }
    double stride = !isnan(next_same_ic) ? next_same_ic - c->ic
                    : next_side_ok       ? 2 * (next_ic - c->ic)
                                         : NAN;
    if (stride > 0) v[GK_GM_DUTY_FACTOR] = (c->to - c->ic) / stride;
  }
  double end = isnan(c->to) ? NAN : c->to;
  double leg_ic = at(w->leg, n, c->ic);
  if (!w->frontal) {
    /* Values at initial contact from the keypoints before the low-pass,
       as a clinician reads the frame of contact: the filter would blend
       it with the fast motion around contact (the foot slaps flat in
       30-50 ms). */
    double t = c->ic, f = w->fwd;
    int H = limb[s][0], K = limb[s][1], A = limb[s][2], He = limb[s][3],
        T = limb[s][4];
#define RX(p) at(w->rx[p], n, t)
#define RY(p) at(w->ry[p], n, t)
    double kx = RX(K), ky = RY(K), ax = RX(A), ay = RY(A);
    v[GK_GM_KNEE_FLEX_IC] = bend(RX(H), RY(H), kx, ky, ax, ay, f, 0);
    v[GK_GM_SHANK_ANGLE_IC] = clamp_nan(atan2(f * (ax - kx), ay - ky) * DEG);
    if (w->have_foot)
      v[GK_GM_FOOT_ANGLE_IC] =
          clamp_nan(atan2(-(RY(T) - RY(He)), f * (RX(T) - RX(He))) * DEG);
    int heel = w->have_foot ? He : A;
    double px = (RX(P_LHIP) + RX(P_RHIP)) / 2;
    v[GK_GM_OVERSTRIDE_LL] = clamp_nan(f * (RX(heel) - px) / leg_ic);
#undef RX
#undef RY
    if (!isnan(end)) {
      v[GK_GM_KNEE_FLEX_PEAK] = peak(w->ang[s][A_KNEE], n, c->ic, end, NULL);
      double sum = 0;
      size_t k = 0;
      for (size_t i = (size_t)ceil(c->ic); (double)i <= end && i < n; i++) {
        sum += w->ang[s][A_TRUNK][i];
        k++;
      }
      if (k) v[GK_GM_TRUNK_LEAN] = clamp_nan(sum / (double)k);
    }
    if (next_side_ok) {
      /* pelvis rise and fall over the step (y down: min y is highest) */
      double hi = peak(w->py, n, c->ic, next_ic, NULL);
      for (size_t i = 0; i < n; i++) w->tmp[i] = -w->py[i];
      double lo = peak(w->tmp, n, c->ic, next_ic, NULL);
      double vo = (hi + lo) / leg_ic; /* (max y - min y) / leg */
      v[GK_GM_VERTICAL_OSCILLATION] = clamp_nan(vo * mm_per_leg);
    }
  } else {
    if (!isnan(end)) {
      /* drop relative to the pelvis at IC */
      const double *d = w->ang[s][A_DROP];
      double d0 = at(d, n, c->ic);
      v[GK_GM_PELVIC_DROP] = clamp_nan(peak(d, n, c->ic, end, NULL) - d0);
      v[GK_GM_HIP_ADDUCTION] = peak(w->ang[s][A_HIPADD], n, c->ic, end, NULL);
      v[GK_GM_KNEE_FPPA] = peak(w->ang[s][A_FPPA], n, c->ic, end, NULL);
    }
    if (next_side_ok && next != NULL) {
      int a = limb[s][2], b = limb[1 - s][2];
      double xa = at(w->x[a], n, c->ic), xb = at(w->x[b], n, next->ic);
      double l = (leg_ic + at(w->leg, n, next->ic)) / 2;
      v[GK_GM_STEP_WIDTH] = clamp_nan(fabs(xa - xb) / l * mm_per_leg);
    }
  }
}

/* Is the clip's time real time?  A runner's pelvis rises and falls each
   step, and in flight it falls freely: for a bounce of amplitude A (half
   the vertical oscillation) at step rate f, the peak vertical acceleration
   of that motion, A (2 pi f)^2, is of the order of g (about 1-2 g in real
   running).  A clip whose time runs slower than real (slow motion read at
   its playback rate) scales it by 1/k^2: below 0.5 g is either walking or
   slowed time, far above is time running fast (a wrong --fps).  Then the
   timing metrics are rated poor and the note says why.  H: height in mm
   (NaN: a typical leg of TYPICAL_LEG_M).  docs/METRICS.md "Timing from
   video". */
#define TYPICAL_LEG_M 0.86
#define G_MPS2 9.81
#define TIME_SCALE_LOW 0.5
#define TIME_SCALE_HIGH 6.0
static void check_time_scale(gk_gait *g, double H) {
  const gk_gait_stat *vo = &g->stat[GK_GM_VERTICAL_OSCILLATION];
  const gk_gait_stat *cad = &g->stat[GK_GM_CADENCE];
  if (vo->refused || cad->refused || !(vo->mean > 0) || !(cad->mean > 0))
    return;
  double leg_m = isnan(H) ? TYPICAL_LEG_M : LEG_OF_HEIGHT * H / 1000;
  double pp_m = isnan(H) ? vo->mean * leg_m : vo->mean / 1000;
  double f = cad->mean / 60, w = 2 * 3.14159265358979 * f;
  double ratio = pp_m / 2 * w * w / G_MPS2;
  g->time_scale_ratio = ratio;
  if (ratio >= TIME_SCALE_LOW && ratio <= TIME_SCALE_HIGH) return;
  double k = sqrt(1.0 / ratio); /* time runs about k x slow (k < 1: fast) */
  if (ratio < TIME_SCALE_LOW)
    gk_gait_note(g, "The pelvis bounces %.0f mm per step at %.0f steps/min: "
                    "too slowly for running against gravity (%.2f g). Either "
                    "this is walking, or the clip's time runs about %.0fx "
                    "slower than real (a slow-motion clip read at its "
                    "playback rate): give the rate it was filmed at with "
                    "--fps. Timing is rated poor.",
                 pp_m * 1000, cad->mean, ratio, k);
  else
    gk_gait_note(g, "The pelvis bounces %.0f mm per step at %.0f steps/min: "
                    "faster than gravity allows (%.1f g); the frame rate "
                    "given is likely too high (about %.1fx). Timing is rated "
                    "poor.",
                 pp_m * 1000, cad->mean, ratio, 1.0 / k);
  static const gk_gait_metric timing[] = {
      GK_GM_CADENCE, GK_GM_STEP_TIME, GK_GM_CONTACT_TIME, GK_GM_FLIGHT_TIME,
      GK_GM_DUTY_FACTOR};
  for (size_t i = 0; i < sizeof timing / sizeof timing[0]; i++) {
    gk_gait_stat *s = &g->stat[timing[i]];
    if (s->quality > GK_QUALITY_POOR) s->quality = GK_QUALITY_POOR;
  }
}

/* Copy the capture's points of frame f into figure i. */
static void add_figure(gk_gait *g, const gk_capture *kp, size_t f,
                       const char *label, const char *what, double value) {
  if (g->n_figures >= 4) return;
  gk_kp_model model = gk_kp_model_of(kp);
  const char *const *names = gk_kp_labels(model, NULL);
  if (names == NULL) return;
  double *xy = (double *)malloc(kp->n_points * 2 * sizeof *xy);
  if (xy == NULL) return;
  for (size_t p = 0; p < kp->n_points; p++) {
    const double *q = gk_capture_point(kp, f, p);
    xy[p * 2] = q[0];
    xy[p * 2 + 1] = q[1];
  }
  struct gk_gait_figure *fig = &g->figures[g->n_figures++];
  snprintf(fig->label, sizeof fig->label, "%s", label);
  fig->frame = f;
  fig->n_points = kp->n_points;
  fig->xy = xy;
  fig->point_names = names;
  if (what != NULL && isfinite(value))
    snprintf(fig->measure, sizeof fig->measure, "%s %.0f deg", what, value);
}

/* The frame of side s's highest stance value of angle a (over all its
   stances; from_ic: measured from the value at contact) as a figure,
   labelled "<label>, <side> stance" with what = value. */
static void add_peak_figure(gk_gait *g, const gk_capture *kp, const work *w,
                            size_t n_steps, int s, int a, int from_ic,
                            const char *label, const char *what) {
  double best = -INFINITY, where = NAN;
  for (size_t i = 0; i < n_steps; i++) {
    const contact *c = &w->ct[i];
    if (c->side != s || isnan(c->to)) continue;
    double wt, d0 = from_ic ? at(w->ang[s][a], w->n, c->ic) : 0;
    double p = peak(w->ang[s][a], w->n, c->ic, c->to, &wt) - d0;
    if (p > best) best = p, where = wt;
  }
  if (isnan(where)) return;
  size_t f = w->f0 + (size_t)(where + 0.5);
  char full[48];
  snprintf(full, sizeof full, "%s, %s stance", label, gk_side_name((gk_side)s));
  add_figure(g, kp, f < kp->n_frames ? f : kp->n_frames - 1, full, what, best);
}

/* ---- the analysis ----------------------------------------------------- */

gk_status gk_gait2d_analyse(const gk_capture *kp, const gk_gait2d_options *opt,
                            gk_gait **out, gk_err *err) {
  if (out == NULL) return fail(err, GK_E_ARG, "no output for the analysis", 0);
  *out = NULL;
  if (kp == NULL) return fail(err, GK_E_ARG, "no keypoint capture", 0);
  if (kp->kind != GK_CAPTURE_2D || kp->xyz == NULL || kp->n_points == 0)
    return fail(err, GK_E_ARG,
                "the 2D analysis needs a capture of 2D pose keypoints", 0);
  double fps = opt != NULL && opt->fps > 0 && isfinite(opt->fps)
                   ? opt->fps
                   : kp->frame_rate_hz;
  if (!(fps >= 10 && fps <= 10000))
    return fail(err, GK_E_ARG,
                "the frame rate is unknown or outside 10..10000 frames per "
                "second: give it (--fps)",
                0);
  work w;
  memset(&w, 0, sizeof w);
  w.kp = kp;
  w.fps = fps;
  for (int p = 0; p < P_N; p++) w.idx[p] = find_point(kp, p);
  for (int p = 0; p < P_CORE; p++)
    if (w.idx[p] < 0)
      return fail(err, GK_E_NOT_FOUND,
                  "the keypoints lack a hip, knee or ankle (LHip, RHip, LKnee, "
                  "RKnee, LAnkle, RAnkle are needed)",
                  0);
  if (kp->n_frames == 0)
    return fail(err, GK_E_NOT_FOUND, "the capture has no frames", 0);
  size_t max_gap = (size_t)(GK__GAP_MAX_S * fps);
  if (max_gap < 1) max_gap = 1;
  if (!choose_window(&w, max_gap))
    return fail(err, GK_E_NOT_FOUND,
                "no frame shows the runner's hips, knees and ankles (frames "
                "empty, NaN or of zero confidence)",
                0);
  double min_frames = MIN_STEPS * STEP_MIN_S * fps;
  if ((double)w.n < min_frames)
    return fail(err, GK_E_UNSUPPORTED,
                "fewer than two strides: the runner is in view for too few "
                "frames",
                w.f0);

  metric_info info[GK_GM_COUNT];
  unsigned min_steps;
  read_knowledge(info, &min_steps);

  double *block = NULL;
  gk_status st = alloc_work(&w, &block);
  if (st != GK_OK)
    return fail(err, st, st == GK_E_NOMEM ? "out of memory"
                                          : "the capture is too long", 0);
  contact *cts = (contact *)malloc(w.n * sizeof *cts);
  gk_gait *g = gk_gait_new(0);
  if (cts == NULL || g == NULL) {
    free(block);
    free(cts);
    gk_gait_free(g);
    return fail(err, GK_E_NOMEM, "out of memory", 0);
  }
  w.ct = cts;
  g->kind = GK_CAPTURE_2D;
  g->fps = fps;
  g->n_frames = kp->n_frames;
  g->duration_s = (double)kp->n_frames / fps;
  g->events = GK_EVENTS_MARKERS;
  g->speed_mps = opt != NULL && opt->speed_mps > 0 ? opt->speed_mps : NAN;
  double H = opt != NULL && opt->height_mm > 0 && isfinite(opt->height_mm)
                 ? opt->height_mm
                 : kp->subject_height_mm;
  if (!(H > 300 && H < 3000)) H = NAN;
  g->height_mm = H;
  g->leg_length_mm = isnan(H) ? NAN : LEG_OF_HEIGHT * H;

  condition(&w, max_gap);
  gk_gait_note(g, "Frames %zu-%zu of %zu analysed (the longest stretch "
                  "showing the runner's hips, knees and ankles); %zu missing "
                  "keypoint samples filled across gaps of up to %zu frames.",
               kp->first_frame + w.f0, kp->first_frame + w.f0 + w.n - 1,
               kp->n_frames, w.filled, max_gap);
  gk_gait_note(g, "Keypoints low-pass filtered: Butterworth, 2nd order run "
                  "forward and backward (zero lag), cut-off %.1f Hz; "
                  "confidence below %.1f pulls a point toward its neighbours.",
               gk__cutoff_hz(fps), GK__KP_CONF_FULL);
  if (kp->stats2d.lr_swaps > 0 || kp->stats2d.switches > 0)
    gk_gait_note(g, "The reader repaired %zu left/right label swaps and "
                    "followed the runner among other people in %zu frames.",
                 kp->stats2d.lr_swaps, kp->stats2d.switches);
  view_and_scale(&w, opt != NULL && opt->view != GK_VIEW_UNKNOWN ? opt->view
                                                                 : kp->view,
                 g, opt != NULL ? opt->surface : GK_SURFACE_UNKNOWN);
  foot_heights(&w);
  if (!walk_contacts(&w)) find_contacts(&w);
  if (w.walk)
    gk_gait_note(g, "Walking: double support %.0f ms, pelvis highest at "
                    "mid-stance (+%.3f leg lengths); contacts where the heel "
                    "stops descending (walk rule, docs/METRICS.md).",
                 1000 * w.walk_ds / fps, w.walk_vault);
  if (w.slope[0] < 0 || w.slope[1] < 0) {
    double sl = 0;
    int k = 0;
    for (int s = 0; s < 2; s++)
      if (w.slope[s] < 0) sl += w.slope[s], k++;
    gk_gait_note(g, "The ground under the stance foot comes down the image "
                    "by %.3f leg lengths per 100 ms (a treadmill filmed from "
                    "above the floor carries the foot toward the camera); "
                    "contacts follow it.",
                 -sl / k * fps * 0.1);
  }
  angles(&w);
  gk_gait_note(g, "Events from the foot keypoints; at %.0f fps each is timed "
                  "to about +-%.0f ms (one frame), a contact time to about "
                  "+-%.0f ms.",
               fps, 1000 / fps, 2000 / fps);

  /* Steps: each contact with the other foot's next contact. */
  size_t n_steps = 0, nl = 0, nr = 0;
  for (size_t i = 0; i < w.n_ct; i++) {
    if (w.ct[i].side == 0) nl++;
    else nr++;
  }
  size_t valid_steps = 0;
  for (size_t i = 0; i + 1 < w.n_ct; i++) {
    double dt = (w.ct[i + 1].ic - w.ct[i].ic) / fps;
    if (w.ct[i + 1].side != w.ct[i].side && dt >= STEP_MIN_S && dt <= STEP_MAX_S)
      valid_steps++;
  }
  if (nl < 2 || nr < 2 || valid_steps < MIN_STEPS) {
    free(block);
    free(cts);
    gk_gait_free(g);
    return fail(err, GK_E_UNSUPPORTED,
                "fewer than two strides: too few initial contacts of each "
                "foot were found in the frames showing the runner",
                w.f0);
  }
  n_steps = w.n_ct;
  g->steps = (gk_gait_step *)calloc(n_steps, sizeof *g->steps);
  if (g->steps == NULL) {
    free(block);
    free(cts);
    gk_gait_free(g);
    return fail(err, GK_E_NOMEM, "out of memory", 0);
  }
  g->n_steps = n_steps;
  double mm_per_leg = isnan(H) ? 1.0 : LEG_OF_HEIGHT * H;
  for (size_t i = 0; i < n_steps; i++) {
    const contact *c = &w.ct[i];
    const contact *nx = i + 1 < w.n_ct ? &w.ct[i + 1] : NULL;
    double next_ic = nx ? nx->ic : NAN, next_same = NAN;
    for (size_t j = i + 1; j < w.n_ct; j++)
      if (w.ct[j].side == c->side) {
        next_same = w.ct[j].ic;
        break;
      }
    double dt = nx ? (nx->ic - c->ic) / fps : NAN;
    int ok = nx && nx->side != c->side && dt >= STEP_MIN_S && dt <= STEP_MAX_S;
    gk_gait_step *stp = &g->steps[i];
    for (int m = 0; m < GK_GM_COUNT; m++) stp->v[m] = NAN;
    step_metrics(&w, c, next_ic, next_same, ok, nx, mm_per_leg, stp);
    /* time from the capture's first frame */
    stp->ic_s += (double)w.f0 / fps;
    if (!isnan(stp->to_s)) stp->to_s += (double)w.f0 / fps;
    if (!isnan(stp->next_ic_s)) stp->next_ic_s += (double)w.f0 / fps;
  }

  /* Refusals, units, notes, quality caps. */
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const metric_info *mi = &info[m];
    gk_gait_metric id = (gk_gait_metric)m;
    if (!mi->known) {
      const char *why =
          m == GK_GM_HIP_INT_ROT
              ? "a rotation about the thigh's long axis: 2D video cannot see it"
          : m == GK_GM_KNEE_ABDUCTION
              ? "a 3D joint angle; 2D video gives the knee frontal plane "
                "projection angle (knee_fppa_peak_stance_deg) instead"
          : m == GK_GM_LOADING_RATE ? "needs a force plate or an instrumented "
                                      "treadmill"
          : m == GK_GM_OVERSTRIDE
              ? "2D video gives it in leg lengths (overstride_leg_lengths)"
              : "not measured by the 2D analysis";
      gk_gait_refuse(g, id, "%s", why);
      continue;
    }
    if (!(mi->views & (1u << g->view))) {
      char views[64] = "";
      for (int k = GK_VIEW_REAR; k <= GK_VIEW_RIGHT; k++)
        if (mi->views & (1u << k)) {
          size_t len = strlen(views);
          snprintf(views + len, sizeof views - len, "%s%s", len ? "/" : "",
                   gk_view_name((gk_capture_view)k));
        }
      gk_gait_refuse(g, id, "needs a %s view; this is a %s view: %s", views,
                     gk_view_name(g->view),
                     w.frontal ? "the sagittal plane is seen end-on"
                               : "the frontal plane is seen end-on");
      continue;
    }
    if (!w.have_foot &&
        (id == GK_GM_FOOT_ANGLE_IC || id == GK_GM_CONTACT_TIME ||
         id == GK_GM_FLIGHT_TIME || id == GK_GM_DUTY_FACTOR ||
         id == GK_GM_KNEE_FLEX_IC || id == GK_GM_SHANK_ANGLE_IC ||
         id == GK_GM_OVERSTRIDE_LL)) {
      gk_gait_refuse(g, id, "the keypoint model has no heel and toe points: "
                            "from the ankle alone contact is found when the "
                            "foot is flat, after initial contact");
      continue;
    }
    gk_gait_stat *s = &g->stat[m];
    size_t len = 0;
    while (len + 1 < sizeof s->note && mi->note[len] != '\0') len++;
    memcpy(s->note, mi->note, len);
    s->note[len] = '\0';
    s->quality = mi->max_q;
    if (id == GK_GM_VERTICAL_OSCILLATION || id == GK_GM_STEP_WIDTH)
      s->unit = isnan(H) ? "leg lengths" : "mm";
  }
  gk_gait_summarise(g, min_steps);
  size_t sl = g->stat[GK_GM_CADENCE].n_left, sr = g->stat[GK_GM_CADENCE].n_right;
  if (sl < min_steps || sr < min_steps)
    gk_gait_note(g, "%zu left and %zu right steps: at least %u per side are "
                    "needed for reliable 2D values (Dingenen et al. 2018); "
                    "film a longer stretch.",
                 (size_t)sl, (size_t)sr, min_steps);

  /* the bounce against gravity is a test of running; a walk found by its
     double support and vaulting pelvis has neither flight nor that bounce */
  if (!w.walk) check_time_scale(g, H);

  /* Figures: initial contact of each side (the middle one), and for rear
     and front views the frame of the largest pelvic drop of each side. */
  for (int s = 0; s < 2; s++) {
    size_t k = 0, cnt = 0;
    for (size_t i = 0; i < n_steps; i++)
      if ((int)g->steps[i].side == s) cnt++;
    for (size_t i = 0; i < n_steps; i++) {
      if ((int)g->steps[i].side != s) continue;
      if (k++ == cnt / 2) {
        size_t f = w.f0 + (size_t)(w.ct[i].ic + 0.5);
        char label[48];
        snprintf(label, sizeof label, "initial contact, %s",
                 gk_side_name((gk_side)s));
        add_figure(g, kp, f < kp->n_frames ? f : kp->n_frames - 1, label,
                   w.frontal ? NULL : "knee flexion",
                   g->steps[i].v[GK_GM_KNEE_FLEX_IC]);
        break;
      }
    }
  }
  /* rear and front views: the largest pelvic drop of each side's stance
     (from the pelvis at contact); side views: the deepest knee bend */
  for (int s = 0; s < 2; s++)
    if (w.frontal)
      add_peak_figure(g, kp, &w, n_steps, s, A_DROP, 1, "peak pelvic drop",
                      "pelvic drop");
    else
      add_peak_figure(g, kp, &w, n_steps, s, A_KNEE, 0, "peak knee flexion",
                      "knee flexion");

  free(block);
  free(cts);
  st = gk_gait_findings(g, err);
  if (st != GK_OK) {
    gk_gait_free(g);
    return st;
  }
  *out = g;
  return GK_OK;
}
