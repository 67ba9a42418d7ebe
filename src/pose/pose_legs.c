/*
** pose_legs.c -- left/right repair of a whole video's landmarks from the
** model's depth order (docs/METRICS.md, "Video: near leg and collapsed
** legs").
**
** BlazePose gives every landmark a depth z (pixels, the hips' midpoint 0,
** smaller = nearer the camera).  In a side view one side of the body faces
** the camera for the whole pass, so the side whose leg (hip, knee, ankle,
** heel, foot) has the smaller mean z is the near side.  A frame counts
** when the two legs' mean depths differ by more than DEPTH_DECISIVE leg
** lengths.  The clip is cut into stretches of consecutive frames with both
** legs where the hips' midpoint moves less than a leg length from frame to
** frame (one person); a stretch has a near side when at least NEAR_SHARE
** of its frames count and at least NEAR_AGREE of those agree.  Then:
**   - a frame whose depth order is the other way round had its labels
**     swapped by the model: every left/right pair is exchanged back
**     (repaired);
**   - a frame whose two legs lie on one (knee, ankle, heel and foot of the
**     two sides closer than COLLAPSE_FRAC leg lengths on average: the
**     blurred far leg lost and put on the near one) keeps the near leg and
**     leaves the far leg's knee, ankle, heel and foot out (collapsed).
** Without a near side (a front or rear view, a turning runner) nothing is
** changed; collapsed legs are then told apart by the
** visibility: the less visible leg is left out.
*/
#include <math.h>
#include <string.h>

#include "pose/pose_internal.h"

#define NP GK_POSE_LANDMARKS
#define DEPTH_DECISIVE 0.3
#define NEAR_SHARE 0.6
#define NEAR_AGREE 0.8
#define COLLAPSE_FRAC 0.07

/* MediaPipe's 33: 23/24 hips, 25/26 knees, 27/28 ankles, 29/30 heels,
   31/32 foot index; left odd, right even from 11 on; face 1-6 (1-3 left,
   4-6 right), 7/8 ears, 9/10 mouth. */
static const int leg_l[5] = {23, 25, 27, 29, 31};
static const int leg_r[5] = {24, 26, 28, 30, 32};

static int have(const double *p, int i) { return !isnan(p[i * 3]); }

static double dist(const double *p, int a, int b) {
  return hypot(p[a * 3] - p[b * 3], p[a * 3 + 1] - p[b * 3 + 1]);
}

/* Mean hip-to-ankle length of the frame's legs; NaN without them. */
static double leg_length(const double *p) {
  double s = 0;
  int k = 0;
  if (have(p, 23) && have(p, 27)) s += dist(p, 23, 27), k++;
  if (have(p, 24) && have(p, 28)) s += dist(p, 24, 28), k++;
  return k && s > 0 ? s / k : NAN;
}

/* Left leg's mean depth minus the right's, in leg lengths; NaN unknown. */
static double depth_order(const double *p, const double *z, double leg) {
  double l = 0, r = 0;
  for (int i = 0; i < 5; i++) {
    if (!have(p, leg_l[i]) || !have(p, leg_r[i]) || isnan(z[leg_l[i]]) ||
        isnan(z[leg_r[i]]))
      return NAN;
    l += z[leg_l[i]];
    r += z[leg_r[i]];
  }
  return (l - r) / 5 / leg;
}

/* The left/right pairs: the face's five, then 11/12 to 31/32. */
#define N_LR_PAIRS 16
static void lr_pair(int k, int *a, int *b) {
  static const int face[5][2] = {{1, 4}, {2, 5}, {3, 6}, {7, 8}, {9, 10}};
  *a = k < 5 ? face[k][0] : 11 + 2 * (k - 5);
  *b = k < 5 ? face[k][1] : *a + 1;
}

static void swap_frame(double *p, double *z) {
  for (int k = 0; k < N_LR_PAIRS; k++) {
    int a, b;
    lr_pair(k, &a, &b);
    for (int c = 0; c < 3; c++) {
      double t = p[a * 3 + c];
      p[a * 3 + c] = p[b * 3 + c];
      p[b * 3 + c] = t;
    }
    double t = z[a];
    z[a] = z[b];
    z[b] = t;
  }
}

/* The hips' midpoint moved more than a leg length since the last frame:
   someone else (or a lost track found again). */
static int jumped(const double *p, const double *q, double leg) {
  if (!have(p, 23) || !have(p, 24) || !have(q, 23) || !have(q, 24)) return 1;
  double dx = (p[23 * 3] + p[24 * 3] - q[23 * 3] - q[24 * 3]) / 2;
  double dy = (p[23 * 3 + 1] + p[24 * 3 + 1] - q[23 * 3 + 1] - q[24 * 3 + 1]) / 2;
  return !(hypot(dx, dy) <= leg);
}

/* One stretch [a, b) of frames with both legs, one person throughout. */
static void repair_stretch(double *xyc, double *z, size_t a, size_t b,
                           gk__pose_legs *out, size_t *best_len,
                           unsigned char *what) {
  size_t found = b - a, left = 0, right = 0;
  for (size_t f = a; f < b; f++) {
    const double *p = xyc + f * NP * 3;
    double d = depth_order(p, z + f * NP, leg_length(p));
    if (d < -DEPTH_DECISIVE) left++;
    if (d > DEPTH_DECISIVE) right++;
  }
  size_t decisive = left + right;
  out->decisive += (int64_t)decisive;
  out->found += (int64_t)found;
  int near = -1;
  if ((double)decisive >= NEAR_SHARE * (double)found) {
    if ((double)left >= NEAR_AGREE * (double)decisive) near = 0;
    if ((double)right >= NEAR_AGREE * (double)decisive) near = 1;
  }
  if (near >= 0 && found > *best_len) *best_len = found, out->near = near;
  for (size_t f = a; f < b; f++) {
    double *p = xyc + f * NP * 3, *zf = z + f * NP;
    double leg = leg_length(p);
    if (near >= 0) {
      double d = depth_order(p, zf, leg);
      if ((near == 0 && d > DEPTH_DECISIVE) ||
          (near == 1 && d < -DEPTH_DECISIVE)) {
        swap_frame(p, zf);
        out->repaired++;
        if (what) what[f] |= GK__LEGS_SWAPPED;
      }
    }
    double s = 0;
    int k = 0;
    for (int i = 1; i < 5; i++)
      if (have(p, leg_l[i]) && have(p, leg_r[i]))
        s += dist(p, leg_l[i], leg_r[i]), k++;
    if (k < 4 || !(s / k < COLLAPSE_FRAC * leg)) continue;
    int far_left;
    if (near >= 0) {
      far_left = near == 1;
    } else {
      double vl = 0, vr = 0;
      for (int i = 1; i < 5; i++)
        vl += p[leg_l[i] * 3 + 2], vr += p[leg_r[i] * 3 + 2];
      far_left = vl < vr;
    }
    const int *far = far_left ? leg_l : leg_r;
    for (int i = 1; i < 5; i++) {
      p[far[i] * 3] = p[far[i] * 3 + 1] = p[far[i] * 3 + 2] = NAN;
      zf[far[i]] = NAN;
    }
    out->collapsed++;
    if (what) what[f] |= far_left ? GK__LEGS_LEFT_OUT : GK__LEGS_RIGHT_OUT;
  }
}

void gk__pose_legs_apply(double (*lm)[5], unsigned char what) {
  if (what & GK__LEGS_SWAPPED) {
    for (int k = 0; k < N_LR_PAIRS; k++) {
      int a, b;
      lr_pair(k, &a, &b);
      for (int c = 0; c < 5; c++) {
        double t = lm[a][c];
        lm[a][c] = lm[b][c];
        lm[b][c] = t;
      }
    }
  }
  for (int s = 0; s < 2; s++) {
    if (!(what & (s ? GK__LEGS_RIGHT_OUT : GK__LEGS_LEFT_OUT))) continue;
    const int *leg = s ? leg_r : leg_l;
    for (int i = 1; i < 5; i++)
      for (int c = 0; c < 5; c++) lm[leg[i]][c] = NAN;
  }
}

void gk__pose_legs_repair(double *xyc, double *z, size_t nf,
                          gk__pose_legs *out, unsigned char *what) {
  memset(out, 0, sizeof *out);
  if (what) memset(what, 0, nf);
  out->near = -1;
  size_t best_len = 0, a = 0;
  for (size_t f = 0; f <= nf; f++) {
    int ok = 0;
    if (f < nf) {
      const double *p = xyc + f * NP * 3;
      double leg = leg_length(p);
      ok = leg > 0 && (f == a || !jumped(p, p - NP * 3, leg));
      if (leg > 0 && f > a && !ok) { /* a new person: a new stretch */
        repair_stretch(xyc, z, a, f, out, &best_len, what);
        a = f;
        continue;
      }
    }
    if (!ok) {
      if (f > a) repair_stretch(xyc, z, a, f, out, &best_len, what);
      a = f + 1;
    }
  }
}
