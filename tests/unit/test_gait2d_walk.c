/*
** test_gait2d_walk.c -- the 2D analysis' walk rule (src/gait/gait2d.c,
** walk_contacts) on synthetic BODY_25 keypoints of a walk with known
** initial contacts, and a run overground that must not take it.
**
** The walker (side view, walking to the image right, 400 px/m, 30 fps):
** 1.2 m/s, 100 steps/min (a stride of 1.2 s), each foot planted 60% of the
** stride (double support 0.12 s at each change of feet), the pelvis
** highest at mid-stance (+-8 px).  The heel lands with the foot
** dorsiflexed 17 deg, descending at about the walking speed; the foot goes
** flat over 0.1 s, the heel lifts at 65% of stance and the toe leaves at
** its end.  Contacts fall between frames (right foot at 0.25 s + k 1.2 s,
** left 0.6 s later).
** Tolerances (why): each initial contact within one frame of the truth
** (the rule reads frame-to-frame descents); cadence within 1 step/min (the
** contacts' +-1 frame errors average over 6 steps); contact time within
** two frames (one per event).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/gait.h"
#include "gaitkeeper/keypoints.h"
#include "test.h"

#define PI 3.14159265358979323846
#define FPS 30.0
#define NF 120
#define PX_M 400.0
#define SPEED 1.2   /* m/s */
#define STRIDE_S 1.2
#define STANCE_S 0.72
#define FOOT_PX 100.0
#define T_IC_R 0.25 /* the right foot's first contact, s */

/* BODY_25 indices */
enum {
  NOSE = 0, NECK = 1, RSHO = 2, LSHO = 5, MIDHIP = 8, RHIP = 9, RKNE = 10,
  RANK = 11, LHIP = 12, LKNE = 13, LANK = 14, REYE = 15, LEYE = 16,
  REAR = 17, LEAR = 18, LBTOE = 19, LSTOE = 20, LHEEL = 21, RBTOE = 22,
  RSTOE = 23, RHEEL = 24, NPT = 25
};

static double pelvis_x(double t) { return 200 + SPEED * PX_M * t; }

/* Heel and toe of a foot at time t whose first contact is at t0, on a
   ground line at image height yg. */
static void foot(double t, double t0, double yg, double *hx, double *hy,
                 double *tx, double *ty) {
  double k = floor((t - t0) / STRIDE_S), u = t - t0 - k * STRIDE_S;
  double tic = t0 + k * STRIDE_S;
  /* the heel's place in stance k: under the hip 0.3 s after contact */
  double xk = pelvis_x(tic + 0.3) - 25;
  double up = 17 * PI / 180, off = asin(-0.4); /* at IC; at toe-off */
  if (u < STANCE_S) {
    if (u < 0.1) { /* heel down, the foot rolls flat about it */
      double th = up * (1 - u / 0.1);
      *hx = xk, *hy = yg;
      *tx = xk + FOOT_PX * cos(th), *ty = yg - FOOT_PX * sin(th);
    } else if (u < 0.65 * STANCE_S) { /* flat */
      *hx = xk, *hy = yg, *tx = xk + FOOT_PX, *ty = yg;
    } else { /* heel off: the foot turns about the toe */
      double f = (u - 0.65 * STANCE_S) / (0.35 * STANCE_S);
      double th = off * f;
      *tx = xk + FOOT_PX, *ty = yg;
      *hx = *tx - FOOT_PX * cos(th), *hy = yg + FOOT_PX * sin(th);
    }
    return;
  }
  /* swing: from the heel at toe-off to the next stance's place */
  double s = (u - STANCE_S) / (STRIDE_S - STANCE_S);
  double x0 = xk + FOOT_PX - FOOT_PX * cos(off), h0 = -FOOT_PX * sin(off);
  double x1 = pelvis_x(tic + STRIDE_S + 0.3) - 25;
  *hx = x0 + (x1 - x0) * (1 - cos(PI * s)) / 2;
  *hy = yg - (h0 * (1 - s) + 60 * sin(PI * s));
  double th = off + (up - off) * s;
  *tx = *hx + FOOT_PX * cos(th), *ty = *hy - FOOT_PX * sin(th);
}

static void set(double *f, int p, double x, double y) {
  f[p * 3] = x, f[p * 3 + 1] = y, f[p * 3 + 2] = 0.9;
}

/* The walk's capture; noise: SD of Gaussian pixel noise (0: none); in
   frames [lost_a, lost_b) the left leg's knee, ankle, heel and toes put
   on the right leg's (a pose model losing the planted foot to the one
   swinging past). */
static gk_capture *walk_lost(double noise, int lost_a, int lost_b) {
  double *xyc = (double *)malloc(sizeof(double) * NF * NPT * 3);
  if (xyc == NULL) return NULL;
  unsigned long long rng = 12345;
  for (int i = 0; i < NF; i++) {
    double t = i / FPS, *f = xyc + (size_t)i * NPT * 3;
    for (int p = 0; p < NPT; p++) f[p * 3] = f[p * 3 + 1] = NAN, f[p * 3 + 2] = 0;
    /* pelvis highest (smallest y) at each foot's mid single support */
    double px = pelvis_x(t);
    double py = 500 - 8 * cos(2 * PI * (t - (T_IC_R + 0.36)) / (STRIDE_S / 2));
    for (int s = 0; s < 2; s++) {
      double yg = s ? 890 : 900; /* the far (right) foot higher */
      double hx, hy, tx, ty;
      foot(t, s ? T_IC_R : T_IC_R + STRIDE_S / 2, yg, &hx, &hy, &tx, &ty);
      double ax = hx + 25, ay = hy - 30;
      double hipx = px + (s ? 2 : -2), hipy = py;
      double kx = (hipx + ax) / 2 + 15, ky = (hipy + ay) / 2;
      set(f, s ? RHIP : LHIP, hipx, hipy);
      set(f, s ? RKNE : LKNE, kx, ky);
      set(f, s ? RANK : LANK, ax, ay);
      set(f, s ? RHEEL : LHEEL, hx, hy);
      set(f, s ? RBTOE : LBTOE, tx, ty);
      set(f, s ? RSTOE : LSTOE, tx - 10, ty);
      set(f, s ? RSHO : LSHO, px, py - 206);
      set(f, s ? REAR : LEAR, px, py - 260);
      set(f, s ? REYE : LEYE, px + 12, py - 266);
    }
    if (i >= lost_a && i < lost_b) {
      static const int l[] = {LKNE, LANK, LHEEL, LBTOE, LSTOE};
      static const int r[] = {RKNE, RANK, RHEEL, RBTOE, RSTOE};
      for (int k = 0; k < 5; k++)
        for (int c = 0; c < 3; c++) f[l[k] * 3 + c] = f[r[k] * 3 + c];
    }
    set(f, NECK, px, py - 206);
    set(f, NOSE, px + 15, py - 262);
    set(f, MIDHIP, px, py);
    if (noise > 0)
      for (int p = 0; p < NPT * 2; p++) {
        /* Box-Muller on a 64-bit LCG */
        double u1, u2;
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        u1 = ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        u2 = ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
        f[(p / 2) * 3 + p % 2] += noise * sqrt(-2 * log(u1)) * cos(2 * PI * u2);
      }
  }
  gk_kp_options ko = {0};
  ko.fps = FPS;
  gk_capture *c = NULL;
  gk_err e = {0};
  if (gk_kp_capture_from_frames(GK_KP_BODY25, NF, xyc, &ko, "test", &c, &e) !=
      GK_OK)
    fprintf(stderr, "capture: %s\n", e.msg);
  free(xyc);
  return c;
}

static gk_capture *walk(double noise) { return walk_lost(noise, -1, -1); }

static int has_note(const gk_gait *g, const char *what) {
  for (size_t i = 0; i < g->n_notes; i++)
    if (strstr(g->notes[i], what) != NULL) return 1;
  return 0;
}

/* Each contact found within tol frames of a true one of its side, and
   every true contact inside the frames found; returns the count. */
static size_t check_contacts(const gk_gait *g, double tol) {
  size_t found = 0;
  for (size_t i = 0; i < g->n_steps; i++) {
    const gk_gait_step *st = &g->steps[i];
    double t0 = st->side == GK_RIGHT ? T_IC_R : T_IC_R + STRIDE_S / 2;
    double k = floor((st->ic_s - t0) / STRIDE_S + 0.5);
    double err = (st->ic_s - (t0 + k * STRIDE_S)) * FPS;
    printf("  %s contact at frame %.2f (truth %.2f)\n",
           st->side == GK_RIGHT ? "right" : "left", st->ic_s * FPS,
           (t0 + k * STRIDE_S) * FPS);
    CHECK_NEAR(err, 0, tol);
    found++;
  }
  return found;
}

static void test_walk_noise_free(void) {
  gk_capture *c = walk(0);
  ASSERT_TRUE(c != NULL);
  gk_gait *g = NULL;
  gk_err e = {0};
  gk_gait2d_options go = {0};
  CHECK_EQ_INT(gk_gait2d_analyse(c, &go, &g, &e), GK_OK);
  gk_capture_free(c);
  ASSERT_TRUE(g != NULL);
  CHECK_EQ_INT(g->view, GK_VIEW_RIGHT);
  CHECK_TRUE(has_note(g, "Walking"));
  /* contacts at frames 7.5, 25.5, ..., 115.5: the first of each foot
     (right 7.5, left 25.5) has its heel's descent in view, so all 7 */
  CHECK_EQ_INT(check_contacts(g, 1), 7);
  printf("  cadence %.2f, contact time %.0f ms\n",
         g->stat[GK_GM_CADENCE].mean, g->stat[GK_GM_CONTACT_TIME].mean);
  CHECK_NEAR(g->stat[GK_GM_CADENCE].mean, 100, 1);
  CHECK_NEAR(g->stat[GK_GM_CONTACT_TIME].mean, 1000 * STANCE_S, 2000 / FPS);
  gk_gait_free(g);
}

/* The walk c analysed: a walk found, its 7 contacts each within a frame,
   cadence 100 within 1 step/min (c freed). */
static void check_walk(gk_capture *c) {
  ASSERT_TRUE(c != NULL);
  gk_gait *g = NULL;
  gk_err e = {0};
  CHECK_EQ_INT(gk_gait2d_analyse(c, NULL, &g, &e), GK_OK);
  gk_capture_free(c);
  ASSERT_TRUE(g != NULL);
  CHECK_TRUE(has_note(g, "Walking"));
  CHECK_EQ_INT(check_contacts(g, 1), 7);
  printf("  cadence %.2f\n", g->stat[GK_GM_CADENCE].mean);
  CHECK_NEAR(g->stat[GK_GM_CADENCE].mean, 100, 1);
  gk_gait_free(g);
}

/* 1.5 px of noise on every point: still within a frame (measured: within
   0.3 frames). */
static void test_walk_noise(void) { check_walk(walk(1.5)); }

/* The planted left foot lost to the right one for 5 frames in the middle
   of its stance (frames 33-37, t 1.10-1.23 s: the left foot planted from
   0.85 to 1.57 s, the right one swinging past from 0.97 to 1.45 s): its
   speed jumps for 6 frames (0.2 s, the jump there and back), shorter than
   any walking swing, so its stance stays one and no contact is added.
   (Joining only lifts under 0.2 s, it split in two.) */
static void test_walk_foot_lost(void) { check_walk(walk_lost(0, 33, 38)); }

int main(void) {
  RUN(test_walk_noise_free);
  RUN(test_walk_noise);
  RUN(test_walk_foot_lost);
  return TEST_SUMMARY();
}
