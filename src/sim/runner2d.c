/*
** runner2d.c -- a kinematic runner filmed by a 2D camera (gaitkeeper/sim.h)
** and the writers of every pose-keypoint format the readers take.
**
** The model (world frame: x forward, y to the runner's left, z up, metres):
**
**   Segment lengths are proportions of height (Winter, Biomechanics and
**   Motor Control of Human Movement, after Drillis & Contini): thigh
**   0.245 H, shank 0.246 H, ankle height 0.039 H, foot 0.152 H, trunk
**   (hip to shoulder line) 0.288 H.
**
**   Stance (contact time Tc) starts at initial contact (IC) with the heel
**   on the ground and the foot at the chosen angle, pivots about the heel
**   until the foot is flat, stays flat while the pelvis passes over the
**   ankle, and pivots about the toe until toe-off.  The heel at IC is the
**   chosen overstride ahead of the pelvis centre.  The stance hip's height
**   is a periodic cubic through three knots per step: at IC the height
**   that gives the chosen knee flexion at IC, lowest when the pelvis passes
**   over the flat foot (the height that gives the chosen peak knee
**   flexion, so the peak is exact), highest in mid-flight (lowest + the
**   vertical oscillation).  Knees come from two-segment inverse kinematics
**   in the sagittal plane, knee forward.  In swing the ankle follows a
**   cubic path from toe-off to the next IC (forward past the contact point
**   and back, as real feet do), the foot rotating from plantar flexion to
**   the contact angle.
**
**   Frontal plane: the pelvis tilts so that the contralateral hip drops by
**   drop * sin^2(pi * s) during stance (s = 0..1 over the stance; 0 at IC
**   and toe-off), and the stance knee moves medially so that its frontal
**   plane projection angle is fppa * sin^2(pi * s).  Feet land at +-step
**   width / 2.  The trunk leans forward by a constant angle; arms swing
**   opposite to the legs.
**
** The camera is a pinhole looking horizontally (rear: along +x from behind
** the start; front: along -x from beyond the end; left: from the runner's
** left, along -y; right: along +y), then rolled.  Points behind the camera
** or outside the image are gaps, as a pose estimator would give them.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"
#include "gaitkeeper/sim.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* The canonical points: OpenPose BODY_25 order. */
enum {
  C_NOSE, C_NECK, C_RSHO, C_RELB, C_RWRI, C_LSHO, C_LELB, C_LWRI, C_MIDHIP,
  C_RHIP, C_RKNE, C_RANK, C_LHIP, C_LKNE, C_LANK, C_REYE, C_LEYE, C_REAR,
  C_LEAR, C_LBTOE, C_LSTOE, C_LHEEL, C_RBTOE, C_RSTOE, C_RHEEL, C_COUNT
};

typedef struct v3 {
  double x, y, z;
} v3;

/* Everything derived from the options, once. */
typedef struct model {
  double H, Lt, Ls, L, ha, hb, tf, wp, ws, trunk, upper, fore;
  double v, Ts, Tst, Tc, t0;
  double z_ic, z_min, z_max, u_over, u_peak; /* stance-hip height knots */
  double o_dx;           /* heel ahead of the pelvis at IC, m */
  double phi_ic, phi_to; /* foot angles, rad */
  double t_ff, t_ho;     /* foot flat, heel off (s after IC) */
  double sw;             /* step width, m */
  double drop[2], fppa[2], lean;
  double x_start;        /* pelvis x at t = 0 */
  int treadmill;
} model;

/* ---- small vector helpers ------------------------------------------------ */

static double smooth01(double s) {
  if (s <= 0) return 0;
  if (s >= 1) return 1;
  return s * s * (3 - 2 * s);
}

static double bump(double s) {
  if (s <= 0 || s >= 1) return 0;
  double b = sin(PI * s);
  return b * b;
}

/* Cubic Hermite on [0, 1] from p0 (slope m0) to p1 (slope m1). */
static double hermite(double p0, double m0, double p1, double m1, double w) {
  double w2 = w * w, w3 = w2 * w;
  return (2 * w3 - 3 * w2 + 1) * p0 + (w3 - 2 * w2 + w) * m0 +
         (-2 * w3 + 3 * w2) * p1 + (w3 - w2) * m1;
}

/* (a, b) in the sagittal plane rotated toe-up by phi. */
static void rot(double phi, double a, double b, double *x, double *z) {
  *x = a * cos(phi) - b * sin(phi);
  *z = a * sin(phi) + b * cos(phi);
}

/* Hip-to-ankle distance for a knee flexion (rad). */
static double leg_span(const model *m, double flex) {
  return sqrt(m->Lt * m->Lt + m->Ls * m->Ls + 2 * m->Lt * m->Ls * cos(flex));
}

/* ---- the stance hip's height ---------------------------------------------- */

/* u: fraction of the step since the last IC (either foot), 0..1. */
static double hip_height(const model *m, double u) {
  /* Knots (u, z, slope): (0, z_ic), (u_over, z_min, 0), (u_peak, z_max, 0),
     (1, z_ic); the slope at IC is the secant from the flight peak of the
     step before to the low point. */
  double s_ic = (m->z_min - m->z_max) / (m->u_over + 1 - m->u_peak);
  if (u < m->u_over) {
    double w = u / m->u_over;
    return hermite(m->z_ic, s_ic * m->u_over, m->z_min, 0, w);
  }
  if (u < m->u_peak) {
    double w = (u - m->u_over) / (m->u_peak - m->u_over);
    return hermite(m->z_min, 0, m->z_max, 0, w);
  }
  double w = (u - m->u_peak) / (1 - m->u_peak);
  return hermite(m->z_max, 0, m->z_ic, s_ic * (1 - m->u_peak), w);
}

/* ---- the foot --------------------------------------------------------- */

/* Stance foot tau seconds after IC, relative to the heel contact point:
   ankle (x, z) and foot angle. */
static void stance_foot(const model *m, double tau, double *ax, double *az,
                        double *phi) {
  if (tau < m->t_ff) {
    *phi = m->phi_ic * (1 - smooth01(tau / m->t_ff));
    rot(*phi, m->hb, m->ha, ax, az);
  } else if (tau <= m->t_ho) {
    *phi = 0;
    *ax = m->hb, *az = m->ha;
  } else {
    *phi = m->phi_to * smooth01((tau - m->t_ho) / (m->Tc - m->t_ho));
    double x, z;
    rot(*phi, -m->tf, m->ha, &x, &z);
    *ax = m->hb + m->tf + x, *az = z;
  }
}

/* Pelvis centre x (world) at time t. */
static double pelvis_x(const model *m, double t) {
  return m->x_start + (m->treadmill ? 0 : m->v * t);
}

/* Foot of side s at time t: ankle (world x, z), foot angle; *stance_s the
   time since IC when in stance, else -1. */
static void foot(const model *m, int s, double t, double *ax, double *az,
                 double *phi, double *stance_tau) {
  double t_ic0 = m->t0 + (s == GK_SIM_RIGHT ? 0 : m->Ts);
  double k = floor((t - t_ic0) / m->Tst);
  double t_ic = t_ic0 + k * m->Tst, tau = t - t_ic;
  /* Heel contact point of this stride, in the belt frame moving with the
     ground: overground it is fixed; on a treadmill it moves back at v. */
  double shift = m->treadmill ? -m->v * tau : 0;
  if (tau < m->Tc) {
    double hx = pelvis_x(m, t_ic) + m->o_dx;
    if (m->treadmill) hx = m->x_start + m->o_dx;
    double x, z;
    stance_foot(m, tau, &x, &z, phi);
    *ax = hx + x + shift, *az = z;
    *stance_tau = tau;
    return;
  }
  *stance_tau = -1;
  /* Swing: relative to the pelvis, from toe-off to the next IC. */
  double Tsw = m->Tst - m->Tc, w = (tau - m->Tc) / Tsw;
  double x_to, z_to, phi_to;
  stance_foot(m, m->Tc, &x_to, &z_to, &phi_to);
  /* relative to the pelvis at toe-off (the pelvis has moved v * Tc) */
  double rel_to = m->o_dx + x_to - m->v * m->Tc;
  double x_ic, z_ic;
  rot(m->phi_ic, m->hb, m->ha, &x_ic, &z_ic);
  double rel_ic = m->o_dx + x_ic;
  double rel = hermite(rel_to, -0.3 * m->v * Tsw, rel_ic, -0.6 * m->v * Tsw, w);
  double wpk = 0.4, z_pk = m->ha + 0.22 * m->L, vz = 0.5;
  double z;
  if (w < wpk)
    z = hermite(z_to, vz * Tsw * wpk, z_pk, 0, w / wpk);
  else
    z = hermite(z_pk, 0, z_ic, -vz * Tsw * (1 - wpk), (w - wpk) / (1 - wpk));
  *ax = pelvis_x(m, t) + rel;
  *az = z;
  *phi = phi_to + (m->phi_ic - phi_to) * smooth01(w);
}

/* ---- the whole body ------------------------------------------------------ */

/* Knee in the sagittal plane from hip (hx, hz) and ankle (ax, az), knee
   forward; the ankle is pulled in when out of reach. */
static void knee_ik(const model *m, double hx, double hz, double *ax,
                    double *az, double *kx, double *kz) {
  double dx = *ax - hx, dz = *az - hz, d = hypot(dx, dz);
  double dmax = 0.999 * (m->Lt + m->Ls), dmin = fabs(m->Lt - m->Ls) + 0.05;
  if (d > dmax || d < dmin) {
    double dd = d > dmax ? dmax : dmin;
    if (d < 1e-9) dx = 0, dz = -1, d = 1;
    dx *= dd / d, dz *= dd / d, d = dd;
    *ax = hx + dx, *az = hz + dz;
  }
  double ux = dx / d, uz = dz / d, nx = -uz, nz = ux; /* n: forward */
  if (nx < 0) nx = -nx, nz = -nz;
  double ca = (m->Lt * m->Lt + d * d - m->Ls * m->Ls) / (2 * m->Lt * d);
  if (ca > 1) ca = 1;
  if (ca < -1) ca = -1;
  double sa = sqrt(1 - ca * ca);
  *kx = hx + m->Lt * (ca * ux + sa * nx);
  *kz = hz + m->Lt * (ca * uz + sa * nz);
}

/* Signed frontal-plane knee angle (deg, + valgus: knee toward the midline)
   of hip (y, z), knee, ankle; med = +1 when medial is +y. */
static double fppa_of(double hy, double hz, double ky, double kz, double ay,
                      double az, double med) {
  double t1 = ky - hy, t2 = kz - hz, s1 = ay - ky, s2 = az - kz;
  double c = (t1 * s1 + t2 * s2) / (hypot(t1, t2) * hypot(s1, s2));
  if (c > 1) c = 1;
  if (c < -1) c = -1;
  double mag = acos(c) / DEG;
  /* knee offset from the hip-ankle line, toward medial? */
  double ly = hy + (ay - hy) * (kz - hz) / (az - hz);
  return (ky - ly) * med >= 0 ? mag : -mag;
}

/* Knee lateral position giving the frontal angle target (deg). */
static double knee_lateral(double hy, double hz, double kz, double ay,
                           double az, double med, double target) {
  double base = hy + (ay - hy) * (kz - hz) / (az - hz);
  if (fabs(target) < 1e-12 || fabs(az - hz) < 1e-9) return base;
  double lo = -0.4, hi = 0.4; /* medial offset, m */
  for (int i = 0; i < 60; i++) {
    double mid = (lo + hi) / 2;
    double a = fppa_of(hy, hz, base + med * mid, kz, ay, az, med);
    if (a < target) lo = mid;
    else hi = mid;
  }
  return base + med * (lo + hi) / 2;
}

/* Pelvic obliquity at t (rad, + lowers the left hip) and the stance side
   (-1: flight). */
static double obliquity(const model *m, double t, int *stance) {
  *stance = -1;
  for (int s = 0; s < 2; s++) {
    double ax, az, phi, tau;
    foot(m, s, t, &ax, &az, &phi, &tau);
    if (tau >= 0) {
      *stance = s;
      double b = bump(tau / m->Tc);
      return s == GK_SIM_RIGHT ? m->drop[s] * b : -m->drop[s] * b;
    }
  }
  return 0;
}

/* The 25 points at time t (world, m). */
static void pose(const model *m, double t, v3 *p) {
  int st;
  double ob = obliquity(m, t, &st);
  double ts = fmod(t - m->t0, m->Ts);
  if (ts < 0) ts += m->Ts;
  double zs = hip_height(m, ts / m->Ts); /* stance-hip height */
  double half = m->wp / 2, px = pelvis_x(m, t);
  /* the stance hip follows zs; the pelvis centre is lower or higher by
     the tilt */
  double zp = zs - (st == GK_SIM_RIGHT ? half * sin(ob)
                    : st == GK_SIM_LEFT ? -half * sin(ob) : 0);
  p[C_MIDHIP] = (v3){px, 0, zp};
  p[C_LHIP] = (v3){px, half * cos(ob), zp - half * sin(ob)};
  p[C_RHIP] = (v3){px, -half * cos(ob), zp + half * sin(ob)};
  for (int s = 0; s < 2; s++) {
    int hip = s == GK_SIM_RIGHT ? C_RHIP : C_LHIP;
    int kn = s == GK_SIM_RIGHT ? C_RKNE : C_LKNE;
    int an = s == GK_SIM_RIGHT ? C_RANK : C_LANK;
    double side_y = s == GK_SIM_RIGHT ? -1 : 1, med = -side_y;
    double ax, az, phi, tau, kx, kz;
    foot(m, s, t, &ax, &az, &phi, &tau);
    knee_ik(m, p[hip].x, p[hip].z, &ax, &az, &kx, &kz);
    double ay = side_y * m->sw / 2;
    double target = tau >= 0 ? m->fppa[s] * bump(tau / m->Tc) : 0;
    double ky = knee_lateral(p[hip].y, p[hip].z, kz, ay, az, med, target);
    p[kn] = (v3){kx, ky, kz};
    p[an] = (v3){ax, ay, az};
    double x, z;
    rot(phi, -m->hb, -m->ha, &x, &z);
    p[s == GK_SIM_RIGHT ? C_RHEEL : C_LHEEL] = (v3){ax + x, ay, az + z};
    rot(phi, m->tf, -m->ha, &x, &z);
    p[s == GK_SIM_RIGHT ? C_RBTOE : C_LBTOE] = (v3){ax + x, ay, az + z};
    rot(phi, 0.8 * m->tf, -m->ha, &x, &z);
    p[s == GK_SIM_RIGHT ? C_RSTOE : C_LSTOE] =
        (v3){ax + x, ay - med * 0.03 * m->H, az + z};
  }
  /* Trunk, head, arms. */
  double sl = sin(m->lean), cl = cos(m->lean);
  v3 nk = {px + m->trunk * sl, 0, zp + m->trunk * cl};
  p[C_NECK] = nk;
  p[C_LSHO] = (v3){nk.x, m->ws / 2, nk.z};
  p[C_RSHO] = (v3){nk.x, -m->ws / 2, nk.z};
  double hf = 0.06 * m->H, hu = 0.10 * m->H;
  p[C_NOSE] = (v3){nk.x + hf * cl + hu * sl, 0, nk.z - hf * sl + hu * cl};
  for (int s = 0; s < 2; s++) {
    double sy = s == GK_SIM_RIGHT ? -1 : 1;
    v3 n = p[C_NOSE];
    p[s ? C_REYE : C_LEYE] = (v3){n.x - 0.01 * m->H, sy * 0.03 * m->H,
                                  n.z + 0.02 * m->H};
    p[s ? C_REAR : C_LEAR] = (v3){n.x - 0.07 * m->H, sy * 0.07 * m->H,
                                  n.z + 0.01 * m->H};
    /* arm swings with the opposite leg: forward when that leg's foot is
       forward */
    double t_ic = m->t0 + (s == GK_SIM_RIGHT ? m->Ts : 0); /* other leg */
    double psi = 25 * DEG * cos(2 * PI * (t - t_ic) / m->Tst);
    v3 sh = p[s ? C_RSHO : C_LSHO];
    v3 el = {sh.x + m->upper * sin(psi), sh.y, sh.z - m->upper * cos(psi)};
    v3 wr = {el.x + m->fore * cos(psi), el.y - sy * 0.03 * m->H,
             el.z + m->fore * sin(psi)};
    p[s ? C_RELB : C_LELB] = el;
    p[s ? C_RWRI : C_LWRI] = wr;
  }
}

/* A person standing in place, swaying slightly (the bystander). */
static void stand_pose(const model *m, double t, double x0, double y0,
                       double walk_y, v3 *p) {
  double H = m->H, y = y0 + walk_y * t, sway = 0.01 * H * sin(2 * PI * t);
  double zh = 0.53 * H;
  p[C_MIDHIP] = (v3){x0, y + sway, zh};
  p[C_LHIP] = (v3){x0, y + sway + 0.06 * H, zh};
  p[C_RHIP] = (v3){x0, y + sway - 0.06 * H, zh};
  for (int s = 0; s < 2; s++) {
    double sy = s == GK_SIM_RIGHT ? -1 : 1;
    double ly = y + sway + sy * 0.06 * H;
    p[s ? C_RKNE : C_LKNE] = (v3){x0, ly, 0.285 * H};
    p[s ? C_RANK : C_LANK] = (v3){x0, ly, 0.039 * H};
    p[s ? C_RHEEL : C_LHEEL] = (v3){x0 - 0.03 * H, ly, 0};
    p[s ? C_RBTOE : C_LBTOE] = (v3){x0 + 0.11 * H, ly, 0};
    p[s ? C_RSTOE : C_LSTOE] = (v3){x0 + 0.09 * H, ly + sy * 0.03 * H, 0};
    p[s ? C_RSHO : C_LSHO] = (v3){x0, y + sway + sy * 0.13 * H, 0.818 * H};
    p[s ? C_RELB : C_LELB] = (v3){x0, y + sway + sy * 0.14 * H, 0.63 * H};
    p[s ? C_RWRI : C_LWRI] = (v3){x0, y + sway + sy * 0.14 * H, 0.485 * H};
    p[s ? C_REYE : C_LEYE] = (v3){x0 + 0.05 * H, y + sway + sy * 0.03 * H,
                                  0.94 * H};
    p[s ? C_REAR : C_LEAR] = (v3){x0, y + sway + sy * 0.07 * H, 0.93 * H};
  }
  p[C_NECK] = (v3){x0, y + sway, 0.818 * H};
  p[C_NOSE] = (v3){x0 + 0.06 * H, y + sway, 0.92 * H};
}

/* ---- options and model --------------------------------------------------- */

void gk_sim_runner2d_defaults(gk_sim_runner2d_options *o) {
  memset(o, 0, sizeof *o);
  o->fps = 30;
  o->duration_s = 10;
  o->view = GK_VIEW_REAR;
  o->camera_distance_m = 6;
  o->camera_height_m = 1.0;
  o->image_width = 1920;
  o->image_height = 1080;
  o->model = GK_KP_BODY25;
  o->height_mm = 1750;
  o->speed_mps = 3.0;
  o->treadmill = 1;
  o->cadence_spm = 170;
  o->contact_time_ms = 220;
  o->pelvic_drop_deg[0] = o->pelvic_drop_deg[1] = 5;
  o->knee_fppa_deg[0] = o->knee_fppa_deg[1] = 5;
  o->knee_flexion_ic_deg = 20;
  o->knee_flexion_peak_deg = 42;
  o->overstride_leg_lengths = 0.15;
  o->foot_angle_ic_deg = 10;
  o->trunk_lean_deg = 8;
  o->vertical_oscillation_mm = 80;
  o->step_width_mm = 80;
  o->start_s = 0.1;
  o->seed = 1;
}

static gk_status bad(gk_err *err, const char *msg) {
  gk__set_err(err, GK_E_ARG, msg, 0);
  return GK_E_ARG;
}

static int in(double v, double lo, double hi) { return v >= lo && v <= hi; }

static gk_status build_model(const gk_sim_runner2d_options *o, model *m,
                             gk_err *err) {
  memset(m, 0, sizeof *m);
  if (!in(o->fps, 1, 1000)) return bad(err, "sim: fps is not in 1..1000");
  if (!in(o->duration_s, 0.01, 36000) ||
      o->duration_s * o->fps > GK_SIM_MAX_FRAMES)
    return bad(err, "sim: duration_s is out of range");
  if (o->view < GK_VIEW_REAR || o->view > GK_VIEW_RIGHT)
    return bad(err, "sim: view is not rear, front, left or right");
  size_t n;
  if (gk_kp_labels(o->model, &n) == NULL)
    return bad(err, "sim: unknown keypoint model");
  if (!in(o->height_mm, 500, 2500))
    return bad(err, "sim: height_mm is not in 500..2500");
  if (!in(o->speed_mps, 0.5, 12)) return bad(err, "sim: speed_mps is not in 0.5..12");
  if (!in(o->cadence_spm, 100, 260))
    return bad(err, "sim: cadence_spm is not in 100..260");
  if (!in(o->camera_distance_m, 1, 1000) || !in(o->camera_height_m, 0, 20) ||
      !in(o->camera_roll_deg, -45, 45))
    return bad(err, "sim: camera distance, height or roll out of range");
  if (!in(o->image_width, 16, 100000) || !in(o->image_height, 16, 100000) ||
      !(o->focal_px == 0 || in(o->focal_px, 1, 1e6)))
    return bad(err, "sim: image size or focal length out of range");
  for (int s = 0; s < 2; s++)
    if (!in(o->pelvic_drop_deg[s], -20, 20) || !in(o->knee_fppa_deg[s], -30, 30))
      return bad(err, "sim: pelvic drop or knee FPPA out of range");
  if (!in(o->knee_flexion_ic_deg, 0, 60) ||
      !in(o->knee_flexion_peak_deg, o->knee_flexion_ic_deg + 5, 90))
    return bad(err, "sim: knee flexion at contact must be 0..60 and the "
                    "peak 5..90 above it");
  if (!in(o->foot_angle_ic_deg, 0, 30))
    return bad(err, "sim: foot_angle_ic_deg is not in 0..30");
  if (!in(o->trunk_lean_deg, -20, 45) || !in(o->overstride_leg_lengths, -0.05, 0.6) ||
      !in(o->vertical_oscillation_mm, 10, 250) || !in(o->step_width_mm, 0, 400) ||
      !in(o->start_s, 0, 10))
    return bad(err, "sim: trunk lean, overstride, vertical oscillation, step "
                    "width or start out of range");
  if (!in(o->noise_px, 0, 1000) || !in(o->dropout_rate, 0, 1) ||
      !in(o->empty_frame_rate, 0, 1) || !in(o->swap_rate, 0, 1))
    return bad(err, "sim: noise, dropout, empty-frame or swap rate out of range");
  double H = o->height_mm / 1000;
  m->H = H;
  m->Lt = 0.245 * H;
  m->Ls = 0.246 * H;
  m->L = m->Lt + m->Ls;
  m->ha = 0.039 * H;
  double lf = 0.152 * H;
  m->hb = 0.22 * lf;
  m->tf = 0.78 * lf;
  m->wp = 0.12 * H;
  m->ws = 0.23 * H;
  m->trunk = 0.288 * H;
  m->upper = 0.186 * H;
  m->fore = 0.146 * H;
  m->v = o->speed_mps;
  m->Ts = 60.0 / o->cadence_spm;
  m->Tst = 2 * m->Ts;
  m->Tc = o->contact_time_ms / 1000;
  if (!(m->Tc >= 0.08 && m->Tc <= 0.9 * m->Ts))
    return bad(err, "sim: contact_time_ms must be 80 ms .. 90% of the step "
                    "time (running has a flight phase)");
  m->t0 = o->start_s;
  m->treadmill = o->treadmill != 0;
  m->o_dx = o->overstride_leg_lengths * m->L;
  m->phi_ic = o->foot_angle_ic_deg * DEG;
  m->phi_to = -35 * DEG;
  m->sw = o->step_width_mm / 1000;
  m->lean = o->trunk_lean_deg * DEG;
  for (int s = 0; s < 2; s++) {
    m->drop[s] = o->pelvic_drop_deg[s] * DEG;
    m->fppa[s] = o->knee_fppa_deg[s];
  }
  /* The pelvis passes over the flat foot at t_over after IC. */
  double t_over = (m->o_dx + m->hb) / m->v;
  if (!(t_over > 0.15 * m->Tc && t_over < 0.7 * m->Tc))
    return bad(err, "sim: the overstride, speed and contact time put the "
                    "pelvis over the foot outside 15-70% of the stance");
  m->t_ff = 0.6 * t_over;
  m->t_ho = t_over + 0.25 * (m->Tc - t_over);
  m->u_over = t_over / m->Ts;
  m->u_peak = (m->Tc + (m->Ts - m->Tc) / 2) / m->Ts;
  /* Knots of the stance-hip height. */
  double ax, az;
  rot(m->phi_ic, m->hb, m->ha, &ax, &az);
  double dx = m->o_dx + ax, d_ic = leg_span(m, o->knee_flexion_ic_deg * DEG);
  if (d_ic <= fabs(dx))
    return bad(err, "sim: the overstride is too long for the knee flexion "
                    "at contact");
  m->z_ic = az + sqrt(d_ic * d_ic - dx * dx);
  m->z_min = m->ha + leg_span(m, o->knee_flexion_peak_deg * DEG);
  m->z_max = m->z_min + o->vertical_oscillation_mm / 1000;
  if (!(m->z_ic > m->z_min + 0.002 && m->z_ic < m->z_max - 0.002))
    return bad(err, "sim: the knee flexions, overstride and vertical "
                    "oscillation cannot be combined (the hip at contact "
                    "must lie between its lowest and highest)");
  m->x_start = 0;
  /* The stance leg must reach its foot all through the stance. */
  for (int k = 0; k <= 100; k++) {
    double tau = m->Tc * k / 100.0, fx, fz, phi;
    stance_foot(m, tau, &fx, &fz, &phi);
    double hz = hip_height(m, tau / m->Ts);
    double ddx = m->o_dx + fx - m->v * tau;
    if (hypot(ddx, hz - fz) > 0.999 * (m->Lt + m->Ls))
      return bad(err, "sim: the leg cannot reach the foot late in stance: "
                      "shorten the contact time or lower the speed");
  }
  return GK_OK;
}

/* ---- camera -------------------------------------------------------------- */

typedef struct camera {
  v3 c, fwd, right;
  double f, cx, cy, cr, sr;
} camera;

static void camera_setup(const gk_sim_runner2d_options *o, const model *m,
                         camera *cam) {
  double run = m->treadmill ? 0 : m->v * o->duration_s;
  double d = o->camera_distance_m, h = o->camera_height_m;
  switch (o->view) {
    case GK_VIEW_FRONT:
      cam->c = (v3){run + d, 0, h};
      cam->fwd = (v3){-1, 0, 0};
      break;
    case GK_VIEW_LEFT:
      cam->c = (v3){run / 2 + 0.1 * m->H, d, h};
      cam->fwd = (v3){0, -1, 0};
      break;
    case GK_VIEW_RIGHT:
      cam->c = (v3){run / 2 + 0.1 * m->H, -d, h};
      cam->fwd = (v3){0, 1, 0};
      break;
    default: /* rear */
      cam->c = (v3){-d, 0, h};
      cam->fwd = (v3){1, 0, 0};
      break;
  }
  /* right = forward x up (up = +z) */
  cam->right = (v3){cam->fwd.y, -cam->fwd.x, 0};
  cam->f = o->focal_px > 0 ? o->focal_px
                           : 0.7 * o->image_height * d / m->H;
  cam->cx = o->image_width / 2;
  cam->cy = o->image_height / 2;
  cam->cr = cos(o->camera_roll_deg * DEG);
  cam->sr = sin(o->camera_roll_deg * DEG);
}

/* Project p; 0 when behind the camera or outside the image. */
static int project(const camera *cam, const gk_sim_runner2d_options *o, v3 p,
                   double *u, double *v) {
  double rx = p.x - cam->c.x, ry = p.y - cam->c.y, rz = p.z - cam->c.z;
  double depth = rx * cam->fwd.x + ry * cam->fwd.y;
  if (depth < 0.1) return 0;
  double a = cam->f * (rx * cam->right.x + ry * cam->right.y) / depth;
  double b = -cam->f * rz / depth;
  /* roll counter-clockwise on screen (y down) */
  double x = cam->cx + a * cam->cr + b * cam->sr;
  double y = cam->cy - a * cam->sr + b * cam->cr;
  if (!(x >= 0 && x <= o->image_width && y >= 0 && y <= o->image_height))
    return 0;
  *u = x, *v = y;
  return 1;
}

/* ---- random numbers (xorshift64*) ----------------------------------------- */

typedef struct rng {
  uint64_t s;
} rng;

static double rnd(rng *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return (double)((r->s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double gauss(rng *r) {
  double a = rnd(r), b = rnd(r);
  if (a < 1e-300) a = 1e-300;
  return sqrt(-2 * log(a)) * cos(2 * PI * b);
}

/* ---- the capture --------------------------------------------------------- */

/* Index of canonical point for a model label, and an offset kind. */
static int canon_of(const char *label) {
  static const char *const alias[][2] = {
      {"LEyeInner", "LEye"},   {"LEyeOuter", "LEye"},  {"REyeInner", "REye"},
      {"REyeOuter", "REye"},   {"LMouth", "Nose"},     {"RMouth", "Nose"},
      {"LPinky", "LWrist"},    {"RPinky", "RWrist"},   {"LIndex", "LWrist"},
      {"RIndex", "RWrist"},    {"LThumb", "LWrist"},   {"RThumb", "RWrist"},
      {"LFootIndex", "LBigToe"}, {"RFootIndex", "RBigToe"}};
  size_t n;
  const char *const *b25 = gk_kp_labels(GK_KP_BODY25, &n);
  for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
    if (strcmp(label, alias[i][0]) == 0) label = alias[i][1];
  for (size_t i = 0; i < n; i++)
    if (strcmp(b25[i], label) == 0) return (int)i;
  return -1;
}

/* Partner of each point (L <-> R), itself when none. */
static void partners(const char *const *lab, size_t n, size_t *part) {
  for (size_t i = 0; i < n; i++) {
    part[i] = i;
    if (lab[i][0] != 'L' && lab[i][0] != 'R') continue;
    for (size_t j = 0; j < n; j++)
      if (j != i && lab[j][0] == (lab[i][0] == 'L' ? 'R' : 'L') &&
          strcmp(lab[j] + 1, lab[i] + 1) == 0)
        part[i] = j;
  }
}

/* Confidence of a canonical point seen from this view. */
static double confidence(gk_capture_view view, int c) {
  int face = c == C_NOSE || c == C_LEYE || c == C_REYE;
  int left = c == C_LSHO || c == C_LELB || c == C_LWRI || c == C_LHIP ||
             c == C_LKNE || c == C_LANK || c == C_LHEEL || c == C_LBTOE ||
             c == C_LSTOE || c == C_LEYE || c == C_LEAR;
  int right = c == C_RSHO || c == C_RELB || c == C_RWRI || c == C_RHIP ||
              c == C_RKNE || c == C_RANK || c == C_RHEEL || c == C_RBTOE ||
              c == C_RSTOE || c == C_REYE || c == C_REAR;
  if (view == GK_VIEW_REAR && face) return 0; /* not visible from behind */
  if ((view == GK_VIEW_LEFT && right) || (view == GK_VIEW_RIGHT && left))
    return 0.7; /* far side, partly hidden */
  return 0.9;
}

typedef void (*pose_fn)(const model *m, double t, v3 *p, const void *ctx);

typedef struct stand_ctx {
  double x0, y0, walk;
} stand_ctx;

static void runner_pose(const model *m, double t, v3 *p, const void *ctx) {
  (void)ctx;
  pose(m, t, p);
}

static void bystander_pose(const model *m, double t, v3 *p, const void *ctx) {
  const stand_ctx *c = (const stand_ctx *)ctx;
  stand_pose(m, t, c->x0, c->y0, c->walk, p);
}

static gk_status film(const gk_sim_runner2d_options *o, const model *m,
                      const model *cam_model, pose_fn fn, const void *ctx,
                      int imperfect, gk_capture **out, gk_err *err) {
  size_t n_pts;
  const char *const *lab = gk_kp_labels(o->model, &n_pts);
  size_t n_frames = (size_t)floor(o->duration_s * o->fps + 0.5);
  if (n_frames < 1) n_frames = 1;
  gk_capture *cap = gk__capture_new();
  size_t total;
  if (cap == NULL || !gk__mul_ok(n_frames, n_pts * 3, &total)) {
    gk_capture_free(cap);
    gk__set_err(err, GK_E_NOMEM, "sim: out of memory", 0);
    return GK_E_NOMEM;
  }
  cap->kind = GK_CAPTURE_2D;
  cap->view = GK_VIEW_UNKNOWN;
  cap->frame_rate_hz = o->fps;
  cap->n_frames = n_frames;
  cap->n_points = n_pts;
  cap->point_labels = (char **)gk__capture_alloc(cap, n_pts * sizeof(char *));
  cap->xyz = gk__capture_nan_array(cap, total);
  cap->residual = gk__capture_nan_array(cap, n_frames * n_pts);
  int ok = cap->point_labels && cap->xyz && cap->residual;
  for (size_t i = 0; ok && i < n_pts; i++)
    ok = (cap->point_labels[i] =
              gk__capture_label(cap, lab[i], strlen(lab[i]))) != NULL;
  if (!ok) {
    gk_capture_free(cap);
    gk__set_err(err, GK_E_NOMEM, "sim: out of memory", 0);
    return GK_E_NOMEM;
  }
  memcpy(cap->source.format, "SIM", 4);
  memcpy(cap->source.units, "px", 3);
  int canon[64];
  size_t part[64];
  for (size_t i = 0; i < n_pts && i < 64; i++) canon[i] = canon_of(lab[i]);
  partners(lab, n_pts, part);
  camera cam;
  camera_setup(o, cam_model, &cam);
  rng r = {((uint64_t)o->seed + 1) * 0x9E3779B97F4A7C15ULL};
  if (fn == bystander_pose) r.s ^= 0xB5AD4ECEDA1CE2A9ULL;
  if (r.s == 0) r.s = 1;
  v3 pts[C_COUNT];
  for (size_t f = 0; f < n_frames; f++) {
    double t = (double)f / o->fps;
    fn(m, t, pts, ctx);
    int empty = imperfect && o->empty_frame_rate > 0 &&
                rnd(&r) < o->empty_frame_rate;
    int swap = imperfect && o->swap_rate > 0 && rnd(&r) < o->swap_rate;
    double *xy = cap->xyz + f * n_pts * 3, *cf = cap->residual + f * n_pts;
    if (empty) continue;
    for (size_t i = 0; i < n_pts; i++) {
      int c = canon[i];
      if (c < 0) continue;
      v3 q = pts[c];
      /* small offsets for the points MediaPipe has and BODY_25 lacks */
      if (strstr(lab[i], "Mouth")) q.z -= 0.04 * m->H;
      if (strstr(lab[i], "Index") && !strstr(lab[i], "Foot")) q.x += 0.02 * m->H;
      double conf = confidence(o->view, c);
      if (conf <= 0) continue;
      if (imperfect && o->dropout_rate > 0 && rnd(&r) < o->dropout_rate)
        continue;
      double u, v;
      if (!project(&cam, o, q, &u, &v)) continue;
      if (imperfect && o->noise_px > 0) {
        u += o->noise_px * gauss(&r);
        v += o->noise_px * gauss(&r);
      }
      size_t dst = swap ? part[i] : i;
      xy[dst * 3] = u;
      xy[dst * 3 + 1] = v;
      cf[dst] = conf;
    }
  }
  *out = cap;
  return GK_OK;
}

/* Truth, measured on the model: peaks over one stride sampled at 2 kHz. */
static void truth_of(const gk_sim_runner2d_options *o, const model *m,
                     gk_sim_truth *tr) {
  memset(tr, 0, sizeof *tr);
  tr->cadence_spm = o->cadence_spm;
  tr->contact_time_ms = o->contact_time_ms;
  tr->step_time_ms = 1000 * m->Ts;
  tr->knee_flexion_ic_deg = o->knee_flexion_ic_deg;
  tr->knee_flexion_peak_deg = o->knee_flexion_peak_deg;
  tr->foot_angle_ic_deg = o->foot_angle_ic_deg;
  tr->overstride_leg_lengths = o->overstride_leg_lengths;
  tr->trunk_lean_deg = o->trunk_lean_deg;
  tr->step_width_mm = o->step_width_mm;
  tr->leg_length_mm = 1000 * m->L;
  tr->first_ic_s[GK_SIM_RIGHT] = m->t0;
  tr->first_ic_s[GK_SIM_LEFT] = m->t0 + m->Ts;
  v3 p[C_COUNT];
  /* shank angle at a right IC (steady state: every IC alike) */
  double t_ic = m->t0 + m->Tst;
  pose(m, t_ic, p);
  tr->shank_angle_ic_deg =
      atan2(p[C_RANK].x - p[C_RKNE].x, p[C_RKNE].z - p[C_RANK].z) / DEG;
  double zmin = INFINITY, zmax = -INFINITY;
  for (int s = 0; s < 2; s++) {
    double ic = m->t0 + m->Tst + (s == GK_SIM_LEFT ? m->Ts : 0);
    double add = -INFINITY, fp = -INFINITY, dr = -INFINITY;
    int hip = s == GK_SIM_RIGHT ? C_RHIP : C_LHIP;
    int oth = s == GK_SIM_RIGHT ? C_LHIP : C_RHIP;
    int kn = s == GK_SIM_RIGHT ? C_RKNE : C_LKNE;
    int an = s == GK_SIM_RIGHT ? C_RANK : C_LANK;
    pose(m, ic, p);
    double ob_ic = atan2(p[hip].z - p[oth].z, fabs(p[hip].y - p[oth].y));
    for (int k = 0; k <= 2000; k++) {
      double t = ic + m->Tc * k / 2000.0;
      pose(m, t, p);
      /* frontal plane (y, z): medial unit from the stance hip */
      double my = p[oth].y - p[hip].y, mz = p[oth].z - p[hip].z;
      double ml = hypot(my, mz);
      my /= ml, mz /= ml;
      double dy = -mz, dz = my; /* perpendicular, pointing down */
      if (dz > 0) dy = -dy, dz = -dz;
      double fy = p[kn].y - p[hip].y, fz = p[kn].z - p[hip].z;
      double a = atan2(fy * my + fz * mz, fy * dy + fz * dz) / DEG;
      if (a > add) add = a;
      double med = my > 0 ? 1 : -1;
      double q = fppa_of(p[hip].y, p[hip].z, p[kn].y, p[kn].z, p[an].y,
                         p[an].z, med);
      if (q > fp) fp = q;
      double ob = atan2(p[hip].z - p[oth].z, fabs(p[hip].y - p[oth].y));
      if ((ob - ob_ic) / DEG > dr) dr = (ob - ob_ic) / DEG;
    }
    tr->hip_adduction_deg[s] = add;
    tr->knee_fppa_deg[s] = fp;
    tr->pelvic_drop_deg[s] = dr;
  }
  /* pelvis centre range over each step, averaged over the two steps */
  double vo = 0;
  for (int s = 0; s < 2; s++) {
    zmin = INFINITY, zmax = -INFINITY;
    for (int k = 0; k <= 2000; k++) {
      pose(m, m->t0 + m->Tst + m->Ts * (s + k / 2000.0), p);
      if (p[C_MIDHIP].z < zmin) zmin = p[C_MIDHIP].z;
      if (p[C_MIDHIP].z > zmax) zmax = p[C_MIDHIP].z;
    }
    vo += (zmax - zmin) / 2;
  }
  tr->vertical_oscillation_mm = 1000 * vo;
  tr->vertical_oscillation_leg_lengths = vo / m->L;
}

gk_status gk_sim_runner2d(const gk_sim_runner2d_options *o, gk_capture **out,
                          gk_sim_truth *truth, gk_err *err) {
  if (out == NULL) return bad(err, "sim: no output");
  *out = NULL;
  if (o == NULL) return bad(err, "sim: no options");
  model m;
  gk_status st = build_model(o, &m, err);
  if (st != GK_OK) return st;
  if (truth != NULL) truth_of(o, &m, truth);
  return film(o, &m, &m, runner_pose, NULL, 1, out, err);
}

gk_status gk_sim_bystander2d(const gk_sim_runner2d_options *o,
                             gk_capture **out, gk_err *err) {
  if (out == NULL) return bad(err, "sim: no output");
  *out = NULL;
  if (o == NULL) return bad(err, "sim: no options");
  model m;
  gk_status st = build_model(o, &m, err);
  if (st != GK_OK) return st;
  model b = m;
  b.H = 0.85 * m.H;
  stand_ctx c;
  double run = m.treadmill ? 0 : m.v * o->duration_s;
  switch (o->view) {
    case GK_VIEW_LEFT: c = (stand_ctx){run / 2 - 1.5, -4, 0}; break;
    case GK_VIEW_RIGHT: c = (stand_ctx){run / 2 + 1.5, 4, 0}; break;
    case GK_VIEW_FRONT: c = (stand_ctx){-4, 1.2, 0}; break;
    default: c = (stand_ctx){run + 4, -1.2, 0}; break;
  }
  c.walk = 0.05; /* drifts slowly sideways */
  return film(o, &b, &m, bystander_pose, &c, 0, out, err);
}

/* ---- writers ------------------------------------------------------------- */

static int frame_empty(const gk_capture *c, size_t f) {
  for (size_t p = 0; p < c->n_points; p++)
    if (!isnan(gk_capture_point(c, f, p)[0])) return 0;
  return 1;
}

static void putf(gk_buf *b, const char *fmt, double v) {
  char tmp[64];
  int n = snprintf(tmp, sizeof tmp, fmt, v);
  if (n > 0) gk_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void putz(gk_buf *b, size_t v) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%zu", v);
  if (n > 0) gk_buf_put(b, tmp, (size_t)n);
}

/* The point's confidence (1 when unknown), 0 for a gap. */
static double conf_of(const gk_capture *c, size_t f, size_t p) {
  if (isnan(gk_capture_point(c, f, p)[0])) return 0;
  double r = c->residual[f * c->n_points + p];
  return isnan(r) ? 1 : r;
}

static int same_shape(const gk_capture *a, const gk_capture *b) {
  return b == NULL || (b->n_points == a->n_points &&
                       b->n_frames == a->n_frames &&
                       gk_kp_model_of(b) == gk_kp_model_of(a));
}

static void op_person(gk_buf *b, const gk_capture *c, size_t f) {
  gk_buf_puts(b, "{\"person_id\":[-1],\"pose_keypoints_2d\":[");
  for (size_t p = 0; p < c->n_points; p++) {
    const double *q = gk_capture_point(c, f, p);
    double cf = conf_of(c, f, p);
    if (p) gk_buf_putc(b, ',');
    if (cf == 0) {
      gk_buf_puts(b, "0,0,0");
      continue;
    }
    putf(b, "%.3f", q[0]);
    gk_buf_putc(b, ',');
    putf(b, "%.3f", q[1]);
    gk_buf_putc(b, ',');
    putf(b, "%.4f", cf);
  }
  gk_buf_puts(b, "]}");
}

gk_status gk_sim_write_openpose_frame(const gk_capture *cap,
                                      const gk_capture *second, size_t f,
                                      gk_buf *out) {
  gk_kp_model m = gk_kp_model_of(cap);
  if ((m != GK_KP_BODY25 && m != GK_KP_COCO18) || !same_shape(cap, second) ||
      f >= cap->n_frames)
    return GK_E_ARG;
  gk_buf_puts(out, "{\"version\":1.3,\"people\":[");
  int any = 0;
  if (!frame_empty(cap, f)) {
    op_person(out, cap, f);
    any = 1;
  }
  if (second != NULL && !frame_empty(second, f)) {
    if (any) gk_buf_putc(out, ',');
    op_person(out, second, f);
  }
  gk_buf_puts(out, "]}\n");
  return out->oom ? GK_E_NOMEM : GK_OK;
}

gk_status gk_sim_write_openpose_dir(const gk_capture *cap,
                                    const gk_capture *second, const char *dir,
                                    gk_err *err) {
  if (cap == NULL || dir == NULL) return bad(err, "sim: no capture or folder");
  gk_kp_model m = gk_kp_model_of(cap);
  if ((m != GK_KP_BODY25 && m != GK_KP_COCO18) || !same_shape(cap, second))
    return bad(err, "sim: OpenPose needs a BODY_25 or COCO-18 capture");
  gk_buf b = {0};
  char path[4096];
  gk_status st = GK_OK;
  for (size_t f = 0; f < cap->n_frames && st == GK_OK; f++) {
    b.len = 0;
    st = gk_sim_write_openpose_frame(cap, second, f, &b);
    if (st != GK_OK) {
      gk__set_err(err, st, "sim: out of memory", 0);
      break;
    }
    int n = snprintf(path, sizeof path, "%s/sim_%012zu_keypoints.json", dir, f);
    if (n < 0 || (size_t)n >= sizeof path) {
      st = bad(err, "sim: folder name too long");
      break;
    }
    FILE *fp = fopen(path, "wb");
    if (fp == NULL || fwrite(b.data, 1, b.len, fp) != b.len) {
      if (fp) fclose(fp);
      st = GK_E_IO;
      gk__set_err(err, st, "sim: cannot write an OpenPose frame file", f);
      break;
    }
    if (fclose(fp) != 0) {
      st = GK_E_IO;
      gk__set_err(err, st, "sim: cannot write an OpenPose frame file", f);
    }
  }
  gk_buf_free(&b);
  return st;
}

/* A CSV row: frame, then per point x, y[, z], conf; gaps empty. */
static void csv_row(gk_buf *b, const gk_capture *c, size_t f, int with_z,
                    double sx, double sy) {
  putz(b, f);
  for (size_t p = 0; p < c->n_points; p++) {
    const double *q = gk_capture_point(c, f, p);
    double cf = conf_of(c, f, p);
    if (cf == 0) {
      gk_buf_puts(b, with_z ? ",,,," : ",,,");
      continue;
    }
    gk_buf_putc(b, ',');
    putf(b, sx == 1 ? "%.3f" : "%.7f", q[0] / sx);
    gk_buf_putc(b, ',');
    putf(b, sy == 1 ? "%.3f" : "%.7f", q[1] / sy);
    if (with_z) gk_buf_puts(b, ",0");
    gk_buf_putc(b, ',');
    putf(b, "%.4f", cf);
  }
  gk_buf_putc(b, '\n');
}

static void csv_header(gk_buf *b, size_t n, const char *comps) {
  gk_buf_puts(b, "frame");
  for (size_t p = 0; p < n; p++)
    for (const char *k = comps; *k; k++) {
      gk_buf_putc(b, ',');
      gk_buf_putc(b, *k);
      putz(b, p);
    }
  gk_buf_putc(b, '\n');
}

static gk_status csv(const gk_capture *cap, const gk_capture *second,
                     gk_kp_model need, int with_z, double sx, double sy,
                     gk_buf *out) {
  if (cap == NULL || out == NULL || gk_kp_model_of(cap) != need ||
      !same_shape(cap, second) || !(sx > 0) || !(sy > 0))
    return GK_E_ARG;
  csv_header(out, cap->n_points, with_z ? "xyzv" : "xyc");
  for (size_t f = 0; f < cap->n_frames; f++) {
    int a = !frame_empty(cap, f), b = second && !frame_empty(second, f);
    if (a) csv_row(out, cap, f, with_z, sx, sy);
    if (b) csv_row(out, second, f, with_z, sx, sy);
    /* a frame with nobody: its number is skipped; the last frame is
       written as gaps so the frame count survives */
    if (!a && !b && f + 1 == cap->n_frames) csv_row(out, cap, f, with_z, sx, sy);
  }
  return out->oom ? GK_E_NOMEM : GK_OK;
}

gk_status gk_sim_write_mediapipe_csv(const gk_capture *cap,
                                     const gk_capture *second,
                                     double image_width, double image_height,
                                     gk_buf *out) {
  return csv(cap, second, GK_KP_MEDIAPIPE33, 1, image_width, image_height, out);
}

gk_status gk_sim_write_coco_csv(const gk_capture *cap,
                                const gk_capture *second, gk_buf *out) {
  return csv(cap, second, GK_KP_COCO17, 0, 1, 1, out);
}

gk_status gk_sim_write_mediapipe_json(const gk_capture *cap,
                                      double image_width, double image_height,
                                      gk_buf *out) {
  if (cap == NULL || out == NULL || gk_kp_model_of(cap) != GK_KP_MEDIAPIPE33 ||
      !(image_width > 0) || !(image_height > 0))
    return GK_E_ARG;
  gk_buf_putc(out, '[');
  for (size_t f = 0; f < cap->n_frames; f++) {
    if (f) gk_buf_puts(out, ",\n");
    gk_buf_putc(out, '[');
    if (!frame_empty(cap, f))
      for (size_t p = 0; p < cap->n_points; p++) {
        const double *q = gk_capture_point(cap, f, p);
        double cf = conf_of(cap, f, p);
        if (p) gk_buf_putc(out, ',');
        if (cf == 0) {
          gk_buf_puts(out, "{\"x\":0,\"y\":0,\"z\":0,\"visibility\":0}");
          continue;
        }
        gk_buf_puts(out, "{\"x\":");
        putf(out, "%.7f", q[0] / image_width);
        gk_buf_puts(out, ",\"y\":");
        putf(out, "%.7f", q[1] / image_height);
        gk_buf_puts(out, ",\"z\":0,\"visibility\":");
        putf(out, "%.4f", cf);
        gk_buf_putc(out, '}');
      }
    gk_buf_putc(out, ']');
  }
  gk_buf_puts(out, "]\n");
  return out->oom ? GK_E_NOMEM : GK_OK;
}

static void coco_det(gk_buf *b, const gk_capture *c, size_t f, int *first) {
  if (!*first) gk_buf_puts(b, ",\n");
  *first = 0;
  gk_buf_puts(b, "{\"image_id\":");
  putz(b, f);
  gk_buf_puts(b, ",\"category_id\":1,\"keypoints\":[");
  double sum = 0;
  for (size_t p = 0; p < c->n_points; p++) {
    const double *q = gk_capture_point(c, f, p);
    double cf = conf_of(c, f, p);
    sum += cf;
    if (p) gk_buf_putc(b, ',');
    if (cf == 0) {
      gk_buf_puts(b, "0,0,0");
      continue;
    }
    putf(b, "%.3f", q[0]);
    gk_buf_putc(b, ',');
    putf(b, "%.3f", q[1]);
    gk_buf_putc(b, ',');
    putf(b, "%.4f", cf);
  }
  gk_buf_puts(b, "],\"score\":");
  putf(b, "%.4f", sum / (double)c->n_points);
  gk_buf_putc(b, '}');
}

gk_status gk_sim_write_coco_json(const gk_capture *cap,
                                 const gk_capture *second, gk_buf *out) {
  if (cap == NULL || out == NULL || gk_kp_model_of(cap) != GK_KP_COCO17 ||
      !same_shape(cap, second))
    return GK_E_ARG;
  gk_buf_putc(out, '[');
  int first = 1;
  for (size_t f = 0; f < cap->n_frames; f++) {
    int a = !frame_empty(cap, f), b = second && !frame_empty(second, f);
    /* the first and last frames are always written so the frame span
       survives; elsewhere an empty frame is a missing image_id */
    if (a || (!b && (f == 0 || f + 1 == cap->n_frames)))
      coco_det(out, cap, f, &first);
    if (b) coco_det(out, second, f, &first);
  }
  gk_buf_puts(out, "]\n");
  return out->oom ? GK_E_NOMEM : GK_OK;
}
