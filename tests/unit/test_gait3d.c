/*
** test_gait3d.c -- the 3D gait analysis on synthetic data with known
** answers: the rigid fit, the joint coordinate system angles, contacts and
** loading rate from a synthetic force curve, and a whole synthetic runner
** (a rigid-body pelvis and legs driven by known joint angles, markers of
** the RBDS set, force under every step) written as C3D, read back and
** analysed: events, cadence, joint angles at contact and their peaks in
** stance, pelvic drop, overstride; then the findings and the errors.
**
**   test_gait3d [DIR]   with DIR, also writes the fuzz seeds of
**                       fuzz_gait3d (DIR/gait3d/) and exits.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gait/gait3d_internal.h"
#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"
#include "test.h"

#define PI 3.14159265358979323846
#define D2R (PI / 180.0)

/* ---- small matrices ---------------------------------------------------------
 */

typedef struct m3 {
  double a[9]; /* row-major; columns are the frame's axes in lab */
} m3;

static m3 mmul(m3 x, m3 y) {
  m3 r;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      double s = 0;
      for (int k = 0; k < 3; k++) s += x.a[i * 3 + k] * y.a[k * 3 + j];
      r.a[i * 3 + j] = s;
    }
  return r;
}
static m3 rz(double d) {
  double c = cos(d * D2R), s = sin(d * D2R);
  m3 r = {{c, -s, 0, s, c, 0, 0, 0, 1}};
  return r;
}
static m3 rx(double d) {
  double c = cos(d * D2R), s = sin(d * D2R);
  m3 r = {{1, 0, 0, 0, c, -s, 0, s, c}};
  return r;
}
static m3 ry(double d) {
  double c = cos(d * D2R), s = sin(d * D2R);
  m3 r = {{c, 0, s, 0, 1, 0, -s, 0, c}};
  return r;
}
static gk__v3 mapply(m3 m, gk__v3 v) { return gk__mat_apply(m.a, v); }
static gk__frame frame_of(m3 m, gk__v3 o) {
  gk__frame f;
  f.o = o;
  f.ax = gk__v3_make(m.a[0], m.a[3], m.a[6]);
  f.ay = gk__v3_make(m.a[1], m.a[4], m.a[7]);
  f.az = gk__v3_make(m.a[2], m.a[5], m.a[8]);
  return f;
}

/* ---- rigid fit, JCS --------------------------------------------------------
 */

static void test_rigid_fit(void) {
  gk__v3 a[6] = {{0, 0, 0},  {100, 0, 0},  {0, 80, 0},
                 {0, 0, 60}, {50, 50, 50}, {NAN, 0, 0}};
  m3 R = mmul(rz(30), mmul(rx(-50), ry(120)));
  gk__v3 t = {1000, -20, 333};
  gk__v3 b[6];
  for (int i = 0; i < 6; i++) b[i] = gk__v3_add(mapply(R, a[i]), t);
  double Rf[9], rms;
  gk__v3 tf;
  ASSERT_EQ_INT(gk__rigid_fit(a, b, 6, Rf, &tf, &rms), 5);
  for (int i = 0; i < 9; i++) CHECK_NEAR(Rf[i], R.a[i], 1e-9);
  CHECK_NEAR(tf.x, t.x, 1e-7);
  CHECK_NEAR(tf.y, t.y, 1e-7);
  CHECK_NEAR(tf.z, t.z, 1e-7);
  CHECK_NEAR(rms, 0, 1e-7);
  /* 180-degree turn (quaternion scalar 0) */
  m3 H = rz(180);
  for (int i = 0; i < 6; i++) b[i] = mapply(H, a[i]);
  ASSERT_EQ_INT(gk__rigid_fit(a, b, 6, Rf, &tf, NULL), 5);
  for (int i = 0; i < 9; i++) CHECK_NEAR(Rf[i], H.a[i], 1e-9);
  /* noise: the fit still close, the residual reported */
  for (int i = 0; i < 5; i++)
    b[i] = gk__v3_add(mapply(R, a[i]), gk__v3_make(i % 2 ? 0.5 : -0.5, 0, 0));
  ASSERT_EQ_INT(gk__rigid_fit(a, b, 6, Rf, &tf, &rms), 5);
  CHECK_TRUE(rms > 0.1 && rms < 0.6);
  /* fewer than 3, collinear: no fit */
  gk__v3 line[4] = {{0, 0, 0}, {1, 1, 1}, {2, 2, 2}, {5, 5, 5}};
  CHECK_EQ_INT(gk__rigid_fit(line, line, 4, Rf, &tf, NULL), 0);
  CHECK_TRUE(isnan(Rf[0]));
  CHECK_EQ_INT(gk__rigid_fit(a, a, 2, Rf, &tf, NULL), 0);
}

static void test_jcs(void) {
  /* a tilted proximal frame; distal = P Rz(a) Rx(b) Ry(c) */
  m3 P = mmul(ry(25), rx(10));
  static const double cases[][3] = {
      {40, 8, -12}, {-10, -5, 20}, {95, 0, 0}, {0, 30, 0}, {0, 0, -45}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    m3 D =
        mmul(P, mmul(rz(cases[k][0]), mmul(rx(cases[k][1]), ry(cases[k][2]))));
    gk__frame p = frame_of(P, gk__v3_make(1, 2, 3));
    gk__frame d = frame_of(D, gk__v3_make(4, 5, 6));
    double fl, ad, ro;
    gk__jcs_angles(&p, &d, &fl, &ad, &ro);
    CHECK_NEAR(fl, cases[k][0], 1e-9);
    CHECK_NEAR(ad, cases[k][1], 1e-9);
    CHECK_NEAR(ro, cases[k][2], 1e-9);
  }
  /* the same frame: zero */
  gk__frame p = frame_of(P, gk__v3_make(0, 0, 0));
  double fl, ad, ro;
  gk__jcs_angles(&p, &p, &fl, &ad, &ro);
  CHECK_NEAR(fl, 0, 1e-12);
  CHECK_NEAR(ad, 0, 1e-12);
  CHECK_NEAR(ro, 0, 1e-12);
  /* frame_from: y along the hint, z towards the right hint */
  gk__frame f = gk__frame_from(gk__v3_make(0, 0, 0), gk__v3_make(0, 2, 0),
                               gk__v3_make(0.2, 0.3, 5));
  CHECK_NEAR(f.ay.y, 1, 1e-12);
  CHECK_NEAR(f.az.z, 0.2 / 0.2 * 5 / sqrt(25 + 0.04), 1e-12);
  CHECK_NEAR(gk__v3_dot(gk__v3_cross(f.ax, f.ay), f.az), 1, 1e-12);
}

/* ---- force ------------------------------------------------------------------
 */

static void test_force_contacts(void) {
  /* 300 Hz; contacts of 0.24 s every 0.35 s, 1500 N half-sines, 5 N noise
     in the flights; the first contact is cut by the start */
  enum { N = 3000 };
  static double f[N];
  const double fs = 300;
  for (int i = 0; i < N; i++) {
    double t = i / fs + 0.1, ph = fmod(t, 0.35);
    f[i] = ph < 0.24 ? 1500 * sin(PI * ph / 0.24) : ((i % 7) - 3) * 1.5;
  }
  gk__contact c[64];
  size_t n = gk__force_contacts(f, N, fs, c, 64);
  /* 10 s from t=0.1: contacts start at 0.35 k; the one at 0 started before
     the recording (skipped at 0.1 in mid-contact); the last is cut at the
     end when it does not finish */
  CHECK_EQ_INT(n, 28);
  for (size_t k = 0; k < n && k < 64; k++) {
    double on_true = 0.35 * (double)(k + 1) - 0.1;
    CHECK_NEAR(c[k].on_s, on_true, 1.5 / fs);
    CHECK_NEAR(c[k].off_s - c[k].on_s, 0.24, 2.5 / fs);
    CHECK_NEAR(c[k].peak_n, 1500, 1);
  }
  /* loading rate: a ramp 0 -> 1000 N in 50 ms, then an impact peak
     (drop), then the active peak: 20-80% of 1000 N in 30 ms */
  static double g[200];
  for (int i = 0; i < 200; i++) {
    double t = i / 1000.0;
    g[i] = t < 0.05   ? 20000 * t
           : t < 0.07 ? 1000 - 10000 * (t - 0.05)
                      : 800 + 1000 * sin(PI * (t - 0.07) / 0.13);
  }
  gk__contact one = {0, 0.2, 1800, 0, 200};
  double lr = gk__loading_rate(g, 200, 1000, &one);
  CHECK_NEAR(lr, 20000, 50);
  /* no impact peak (a smooth rise): the force at 13% of the contact */
  for (int i = 0; i < 200; i++) g[i] = 1500 * sin(PI * i / 200.0);
  double lr2 = gk__loading_rate(g, 200, 1000, &one);
  double p13 = 1500 * sin(PI * 26 / 200.0);
  double t20 = asin(0.2 * p13 / 1500) * 200 / PI / 1000;
  double t80 = asin(0.8 * p13 / 1500) * 200 / PI / 1000;
  CHECK_NEAR(lr2, 0.6 * p13 / (t80 - t20), 0.02 * lr2);
}

/* ---- a synthetic runner
 * ------------------------------------------------------ */

/* Markers of the model, in the order written. */
static const char *const names[] = {
    "R.ASIS", "L.ASIS", "R.PSIS", "L.PSIS", "R.Iliac.Crest", "L.Iliac.Crest",
    "L.Thigh.Top.Lateral", "L.Thigh.Top.Medial", "L.Thigh.Bottom.Lateral",
    "L.Thigh.Bottom.Medial", "R.Thigh.Top.Lateral", "R.Thigh.Top.Medial",
    "R.Thigh.Bottom.Lateral", "R.Thigh.Bottom.Medial", "L.Shank.Top.Lateral",
    "L.Shank.Top.Medial", "L.Shank.Bottom.Lateral", "L.Shank.Bottom.Medial",
    "R.Shank.Top.Lateral", "R.Shank.Top.Medial", "R.Shank.Bottom.Lateral",
    "R.Shank.Bottom.Medial", "L.Heel.Top", "L.Heel.Bottom", "L.Heel.Lateral",
    "L.MT1", "L.MT5", "R.Heel.Top", "R.Heel.Bottom", "R.Heel.Lateral", "R.MT1",
    "R.MT5",
    /* anatomical (static trial) */
    "L.Knee", "L.Knee.Medial", "L.Ankle", "L.Ankle.Medial", "R.Knee",
    "R.Knee.Medial", "R.Ankle", "R.Ankle.Medial"};
#define NM ((int)(sizeof names / sizeof names[0]))
#define NM_RUN 32

#define STRIDE 0.7
#define CONTACT 0.24
#define ASIS_W 230.0
#define THIGH 420.0
#define SHANK 420.0

/* Leg angles at phase ph (0 = this foot's initial contact), degrees. */
typedef struct leg_angles {
  double hip_flex, hip_add, hip_rot, knee_flex, knee_abd, ankle_df;
} leg_angles;

static leg_angles angles_at(double ph, int right) {
  double c = cos(2 * PI * ph), s = sin(2 * PI * ph);
  leg_angles a;
  a.hip_flex = 15 + 20 * c;
  a.hip_add = (right ? 6 : 9) + 4 * s;
  a.hip_rot = 3 + 5 * s;
  a.knee_flex = 45 - 30 * c;
  a.knee_abd = 2 * s;
  a.ankle_df = 5 * s + (right ? 0 : 2);
  return a;
}

/* Pelvic obliquity (right side up), degrees, at time t. */
static double obliquity_at(double t) { return 4 * sin(2 * PI * t / STRIDE); }

/* Phase of a leg at time t: the right foot lands at 0, 0.7, ...; the left
   at 0.35, 1.05, ... */
static double phase(double t, int right) {
  double p = fmod((t - (right ? 0 : STRIDE / 2)) / STRIDE, 1.0);
  return p < 0 ? p + 1 : p;
}

typedef struct pose {
  gk__v3 m[NM]; /* markers */
  gk__v3 heel[2], mid_hip;
} pose;

/* The model posed at time t (static: standing, every angle 0). */
static void pose_at(double t, int standing, pose *out) {
  m3 I = {{1, 0, 0, 0, 1, 0, 0, 0, 1}};
  m3 P = standing ? I : rx(-obliquity_at(t)); /* about +x: right side up
                                                 when obliquity > 0 */
  gk__v3 po = {0, 1000, 0};
  const double w = ASIS_W;
  gk__v3 pel_local[6] = {{0, 0, w / 2},  {0, 0, -w / 2}, {-150, 0, 45},
                         {-150, 0, -45}, {-60, 60, 140}, {-60, 60, -140}};
  for (int k = 0; k < 6; k++)
    out->m[k] = gk__v3_add(po, mapply(P, pel_local[k]));
  gk__v3 hjc[2];
  for (int s = 0; s < 2; s++)
    hjc[s] = gk__v3_add(po, mapply(P, gk__v3_make(-0.22 * w, -0.30 * w,
                                                  (s ? 1 : -1) * 0.36 * w)));
  out->mid_hip = gk__v3_scale(gk__v3_add(hjc[0], hjc[1]), 0.5);
  for (int s = 0; s < 2; s++) {
    double lr = s ? 1 : -1;
    leg_angles a;
    memset(&a, 0, sizeof a);
    if (!standing) a = angles_at(phase(t, s), s);
    /* JCS: D = P Rz(alpha) Rx(beta) Ry(gamma), clinical signs per side */
    m3 T = mmul(
        P, mmul(rz(a.hip_flex), mmul(rx(lr * a.hip_add), ry(lr * a.hip_rot))));
    m3 S = mmul(T, mmul(rz(-a.knee_flex), rx(-lr * a.knee_abd)));
    m3 F = mmul(S, rz(a.ankle_df));
    gk__v3 kjc = gk__v3_add(hjc[s], mapply(T, gk__v3_make(0, -THIGH, 0)));
    gk__v3 ajc = gk__v3_add(kjc, mapply(S, gk__v3_make(0, -SHANK, 0)));
    int base_t = s ? 10 : 6, base_s = s ? 18 : 14, base_f = s ? 27 : 22;
    int base_a = s ? 36 : 32;
    /* thigh cluster (thigh frame at the knee centre) */
    gk__v3 tl[4] = {{30, 300, lr * 70},
                    {35, 290, -lr * 40},
                    {25, 120, lr * 60},
                    {30, 110, -lr * 45}};
    for (int k = 0; k < 4; k++)
      out->m[base_t + k] = gk__v3_add(kjc, mapply(T, tl[k]));
    gk__v3 sl[4] = {{20, 320, lr * 55},
                    {25, 300, -lr * 35},
                    {15, 120, lr * 45},
                    {20, 110, -lr * 30}};
    for (int k = 0; k < 4; k++)
      out->m[base_s + k] = gk__v3_add(ajc, mapply(S, sl[k]));
    gk__v3 fl[5] = {{-60, 0, 0},
                    {-65, -50, 0},
                    {-50, -30, lr * 40},
                    {120, -60, -lr * 35},
                    {100, -60, lr * 40}};
    for (int k = 0; k < 5; k++)
      out->m[base_f + k] = gk__v3_add(ajc, mapply(F, fl[k]));
    out->heel[s] = out->m[base_f + 1];
    /* anatomical: epicondyles and malleoli */
    out->m[base_a + 0] = gk__v3_add(kjc, mapply(T, gk__v3_make(0, 0, lr * 50)));
    out->m[base_a + 1] =
        gk__v3_add(kjc, mapply(T, gk__v3_make(0, 0, -lr * 50)));
    out->m[base_a + 2] = gk__v3_add(ajc, mapply(S, gk__v3_make(0, 0, lr * 35)));
    out->m[base_a + 3] =
        gk__v3_add(ajc, mapply(S, gk__v3_make(0, 0, -lr * 35)));
  }
}

/* Vertical force at time t: a half-sine under the foot in contact. */
static double force_at(double t) {
  for (int s = 0; s < 2; s++) {
    double ph = phase(t, s) * STRIDE;
    if (ph < CONTACT) return 1500 * sin(PI * ph / CONTACT);
  }
  return 0;
}

/* ---- a C3D writer (Intel, 16-bit integers, scale 0.1 mm) --------------------
 */

typedef struct cw {
  uint8_t *b;
  size_t n, cap;
  size_t last_word;
} cw;

static void cw_need(cw *w, size_t at) {
  if (at <= w->cap) return;
  size_t nc = w->cap ? w->cap : 4096;
  while (nc < at) nc *= 2;
  w->b = (uint8_t *)realloc(w->b, nc);
  memset(w->b + w->cap, 0, nc - w->cap);
  w->cap = nc;
}
static void cw16(cw *w, size_t at, int v) {
  cw_need(w, at + 2);
  w->b[at] = (uint8_t)(v & 0xff);
  w->b[at + 1] = (uint8_t)((v >> 8) & 0xff);
}
static void cwf(cw *w, size_t at, double d) {
  float f = (float)d;
  cw_need(w, at + 4);
  memcpy(w->b + at, &f, 4);
}
static size_t cw_entry(cw *w, size_t pos, int nl, int gid, const char *name) {
  size_t n = strlen(name);
  cw_need(w, pos + n + 8);
  if (w->last_word) cw16(w, w->last_word, (int)(pos - w->last_word));
  w->b[pos] = (uint8_t)(int8_t)nl;
  w->b[pos + 1] = (uint8_t)(int8_t)gid;
  memcpy(w->b + pos + 2, name, n);
  w->last_word = pos + 2 + n;
  cw16(w, w->last_word, 0);
  return pos + 2 + n + 2;
}
static size_t cw_group(cw *w, size_t pos, int id, const char *name) {
  size_t q = cw_entry(w, pos, (int)strlen(name), -id, name);
  cw_need(w, q + 1);
  w->b[q] = 0;
  return q + 1;
}
static size_t cw_param(cw *w, size_t pos, int gid, const char *name, int type,
                       int nd, const int *dims, const double *num,
                       const char *text) {
  size_t q = cw_entry(w, pos, (int)strlen(name), gid, name);
  size_t n = 1;
  for (int d = 0; d < nd; d++) n *= (size_t)dims[d];
  cw_need(w, q + 4 + (size_t)nd + n * 4);
  w->b[q] = (uint8_t)(int8_t)type;
  w->b[q + 1] = (uint8_t)nd;
  q += 2;
  for (int d = 0; d < nd; d++) w->b[q++] = (uint8_t)dims[d];
  for (size_t i = 0; i < n; i++) {
    if (type == -1) {
      w->b[q++] = (uint8_t)text[i];
    } else if (type == 2) {
      cw16(w, q, (int)num[i]);
      q += 2;
    } else {
      cwf(w, q, num[i]);
      q += 4;
    }
  }
  w->b[q++] = 0;
  return q;
}

typedef struct trial_spec {
  int standing;  /* the static trial */
  int n_markers; /* names[0..n) */
  double fps, seconds;
  int force;        /* a plate with the vertical force (2 samples/frame) */
  const char *drop; /* a marker to leave out, or NULL */
} trial_spec;

/* The trial as a C3D file in memory (free w->b). */
static void write_trial(const trial_spec *sp, cw *w) {
  memset(w, 0, sizeof *w);
  int nf = (int)(sp->fps * sp->seconds);
  int np = 0;
  int keep[NM];
  for (int k = 0; k < sp->n_markers; k++)
    if (sp->drop == NULL || strcmp(names[k], sp->drop) != 0) keep[np++] = k;
  int spf = sp->force ? 2 : 0, na = sp->force ? 6 : 0;
  const double scale = 0.1;
  /* parameters: labels 24 bytes each */
  char *labels = (char *)calloc((size_t)np * 24 + 1, 1);
  for (int k = 0; k < np; k++) {
    memset(labels + k * 24, ' ', 24);
    memcpy(labels + k * 24, names[keep[k]], strlen(names[keep[k]]));
  }
  size_t pos = 516;
  double v;
  int dims[3];
  pos = cw_group(w, pos, 1, "POINT");
  v = np;
  pos = cw_param(w, pos, 1, "USED", 2, 0, NULL, &v, NULL);
  v = scale;
  pos = cw_param(w, pos, 1, "SCALE", 4, 0, NULL, &v, NULL);
  v = sp->fps;
  pos = cw_param(w, pos, 1, "RATE", 4, 0, NULL, &v, NULL);
  dims[0] = 2;
  pos = cw_param(w, pos, 1, "UNITS", -1, 1, dims, NULL, "mm");
  dims[0] = 24;
  dims[1] = np;
  pos = cw_param(w, pos, 1, "LABELS", -1, 2, dims, NULL, labels);
  if (sp->force) {
    pos = cw_group(w, pos, 2, "ANALOG");
    v = na;
    pos = cw_param(w, pos, 2, "USED", 2, 0, NULL, &v, NULL);
    dims[0] = 2;
    dims[1] = na;
    pos = cw_param(w, pos, 2, "LABELS", -1, 2, dims, NULL, "FXFYFZMXMYMZ");
    pos = cw_param(w, pos, 2, "UNITS", -1, 2, dims, NULL, "N N N NmNmNm");
    double sc[6] = {1, 1, 1, 1, 1, 1}, of[6] = {0};
    dims[0] = na;
    pos = cw_param(w, pos, 2, "SCALE", 4, 1, dims, sc, NULL);
    pos = cw_param(w, pos, 2, "OFFSET", 2, 1, dims, of, NULL);
    v = 1;
    pos = cw_param(w, pos, 2, "GEN_SCALE", 4, 0, NULL, &v, NULL);
    v = sp->fps * spf;
    pos = cw_param(w, pos, 2, "RATE", 4, 0, NULL, &v, NULL);
    pos = cw_group(w, pos, 3, "FORCE_PLATFORM");
    v = 1;
    pos = cw_param(w, pos, 3, "USED", 2, 0, NULL, &v, NULL);
    dims[0] = 1;
    v = 2;
    pos = cw_param(w, pos, 3, "TYPE", 2, 1, dims, &v, NULL);
    double ch[6] = {1, 2, 3, 4, 5, 6};
    dims[0] = 6;
    dims[1] = 1;
    pos = cw_param(w, pos, 3, "CHANNEL", 2, 2, dims, ch, NULL);
    double co[12] = {900, 0, 300, 900, 0, -300, -900, 0, -300, -900, 0, 300};
    dims[0] = 3;
    dims[1] = 4;
    dims[2] = 1;
    pos = cw_param(w, pos, 3, "CORNERS", 4, 3, dims, co, NULL);
    double og[3] = {0, 0, -20};
    dims[0] = 3;
    dims[1] = 1;
    pos = cw_param(w, pos, 3, "ORIGIN", 4, 2, dims, og, NULL);
  }
  free(labels);
  size_t pblocks = (pos + 511 - 512) / 512;
  size_t data = 512 * (1 + pblocks);
  cw_need(w, data);
  w->b[0] = 2;
  w->b[1] = 0x50;
  cw16(w, 2, np);
  cw16(w, 4, na * spf);
  cw16(w, 6, 1);
  cw16(w, 8, nf);
  cwf(w, 12, scale);
  cw16(w, 16, (int)(data / 512 + 1));
  cw16(w, 18, spf);
  cwf(w, 20, sp->fps);
  w->b[512] = 1;
  w->b[513] = 0x50;
  w->b[514] = (uint8_t)pblocks;
  w->b[515] = 84; /* Intel */
  size_t q = data;
  pose p;
  for (int f = 0; f < nf; f++) {
    double t = f / sp->fps;
    pose_at(t, sp->standing, &p);
    for (int k = 0; k < np; k++) {
      gk__v3 m = p.m[keep[k]];
      double xyz[3] = {m.x, m.y, m.z};
      for (int a = 0; a < 3; a++) {
        cw16(w, q, (int)lround(xyz[a] / scale));
        q += 2;
      }
      cw16(w, q, 0);
      q += 2;
    }
    for (int s = 0; s < spf; s++) {
      double fz = -force_at(t + (double)s / (sp->fps * spf));
      double ch[6] = {0, 0, fz, 0, 0, 0};
      for (int c = 0; c < na; c++) {
        cw16(w, q, (int)lround(ch[c]));
        q += 2;
      }
    }
  }
  w->n = q;
}

static gk_capture *trial(const trial_spec *sp) {
  cw w;
  write_trial(sp, &w);
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_c3d_read(w.b, w.n, 0, &cap, &err);
  free(w.b);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s at byte %llu\n", err.msg,
            (unsigned long long)err.offset);
    return NULL;
  }
  return cap;
}

/* Max over the frames in [t0, t1] of a leg angle, and the value at t. */
static double peak_of(double t0, double t1, double fps, int right, int which) {
  double best = -INFINITY;
  for (double f = ceil(t0 * fps); f <= floor(t1 * fps); f += 1) {
    leg_angles a = angles_at(phase(f / fps, right), right);
    double v = which == 0   ? a.knee_flex
               : which == 1 ? a.hip_add
               : which == 2 ? a.ankle_df
               : which == 3 ? a.hip_rot
                            : a.knee_abd;
    if (v > best) best = v;
  }
  return best;
}

static void check_runner(int force) {
  trial_spec ss = {1, NM, 150, 0.5, 0, NULL};
  trial_spec rs = {0, NM_RUN, 150, 6.0, force, NULL};
  gk_capture *stc = trial(&ss), *run = trial(&rs);
  gk_gait *g = NULL;
  if (stc == NULL || run == NULL) goto done;
  gk_gait3d_options opt = {NAN, 70, 3.5};
  gk_err err;
  gk_status st = gk_gait3d_analyse(run, stc, &opt, &g, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s\n", err.msg);
    goto done;
  }
  CHECK_EQ_INT(g->events, force ? GK_EVENTS_FORCE : GK_EVENTS_MARKERS);
  /* hip, knee and ankle centres, and the metatarsal markers 60 mm below
     the ankle centre standing */
  CHECK_NEAR(g->leg_length_mm, THIGH + SHANK + 60, 1e-3);
  /* 6 s, a step every 0.35 s: cadence 171.43 */
  CHECK_NEAR(g->stat[GK_GM_CADENCE].mean, 60 / 0.35, 0.3);
  CHECK_TRUE(g->stat[GK_GM_CADENCE].n_left >= 7);
  CHECK_TRUE(g->stat[GK_GM_CADENCE].n_right >= 7);
  if (force) {
    CHECK_NEAR(g->stat[GK_GM_CONTACT_TIME].mean, CONTACT * 1000, 5);
    CHECK_NEAR(g->stat[GK_GM_FLIGHT_TIME].mean, (0.35 - CONTACT) * 1000, 5);
    CHECK_NEAR(g->stat[GK_GM_DUTY_FACTOR].mean, CONTACT / STRIDE, 0.01);
    CHECK_TRUE(g->stat[GK_GM_LOADING_RATE].mean > 0);
    /* steps alternate, right first */
    CHECK_EQ_INT(g->steps[0].side, GK_RIGHT);
    CHECK_EQ_INT(g->steps[1].side, GK_LEFT);
  } else {
    CHECK_TRUE(g->stat[GK_GM_LOADING_RATE].refused);
  }
  int checked = 0;
  for (size_t i = 0; i < g->n_steps; i++) {
    const gk_gait_step *s = &g->steps[i];
    int r = s->side == GK_RIGHT;
    if (s->ic_s < 0.3 || s->ic_s > 5.4) continue; /* filter edges */
    leg_angles a = angles_at(phase(s->ic_s, r), r);
    CHECK_NEAR(s->v[GK_GM_KNEE_FLEX_IC], a.knee_flex, 0.6);
    if (force && !isnan(s->to_s)) {
      double fps = 150;
      CHECK_NEAR(s->v[GK_GM_KNEE_FLEX_PEAK],
                 peak_of(s->ic_s, s->to_s, fps, r, 0), 0.6);
      CHECK_NEAR(s->v[GK_GM_HIP_ADDUCTION],
                 peak_of(s->ic_s, s->to_s, fps, r, 1), 0.6);
      CHECK_NEAR(s->v[GK_GM_ANKLE_DORSIFLEXION],
                 peak_of(s->ic_s, s->to_s, fps, r, 2), 0.6);
      CHECK_NEAR(s->v[GK_GM_HIP_INT_ROT], peak_of(s->ic_s, s->to_s, fps, r, 3),
                 0.6);
      CHECK_NEAR(s->v[GK_GM_KNEE_ABDUCTION],
                 peak_of(s->ic_s, s->to_s, fps, r, 4), 0.6);
      /* contralateral drop: the obliquity's peak with the other side down */
      double drop = -INFINITY;
      for (double f = ceil(s->ic_s * fps); f <= floor(s->to_s * fps); f += 1)
        drop = fmax(drop, (r ? 1 : -1) * obliquity_at(f / fps));
      CHECK_NEAR(s->v[GK_GM_PELVIC_DROP], drop, 0.6);
      pose p;
      pose_at(s->ic_s, 0, &p);
      gk__v3 d = gk__v3_sub(p.heel[r], p.mid_hip);
      CHECK_NEAR(s->v[GK_GM_OVERSTRIDE], d.x, 3);
      CHECK_NEAR(s->v[GK_GM_OVERSTRIDE_LL], d.x / g->leg_length_mm, 0.005);
      checked++;
    }
  }
  if (force) CHECK_TRUE(checked >= 12);
  CHECK_TRUE(g->stat[GK_GM_KNEE_FPPA].refused);
  CHECK_TRUE(g->stat[GK_GM_TRUNK_LEAN].refused);
  CHECK_EQ_INT(g->stat[GK_GM_KNEE_FLEX_PEAK].quality, GK_QUALITY_GOOD);
  CHECK_EQ_INT(g->stat[GK_GM_HIP_INT_ROT].quality, GK_QUALITY_FAIR);
  /* the summary is the mean of the steps */
  double sum = 0;
  unsigned n = 0;
  for (size_t i = 0; i < g->n_steps; i++)
    if (g->steps[i].side == GK_LEFT &&
        !isnan(g->steps[i].v[GK_GM_KNEE_FLEX_IC])) {
      sum += g->steps[i].v[GK_GM_KNEE_FLEX_IC];
      n++;
    }
  CHECK_NEAR(g->stat[GK_GM_KNEE_FLEX_IC].left, sum / n, 1e-9);
  /* findings run; every one has its source */
  CHECK_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  for (size_t i = 0; i < g->n_findings; i++)
    CHECK_TRUE(g->findings[i].source != NULL && g->findings[i].text[0]);
done:
  gk_gait_free(g);
  gk_capture_free(stc);
  gk_capture_free(run);
}

static void test_runner_force(void) { check_runner(1); }
static void test_runner_markers(void) { check_runner(0); }

static void test_errors(void) {
  trial_spec ss = {1, NM, 150, 0.5, 0, "R.Knee.Medial"};
  trial_spec rs = {0, NM_RUN, 150, 3.0, 1, NULL};
  gk_capture *stc = trial(&ss), *run = trial(&rs);
  gk_gait *g = (gk_gait *)1;
  gk_err err;
  if (stc && run) {
    CHECK_EQ_INT(gk_gait3d_analyse(run, stc, NULL, &g, &err), GK_E_NOT_FOUND);
    CHECK_TRUE(g == NULL);
    CHECK_TRUE(strstr(err.msg, "R.Knee.Medial") != NULL);
    CHECK_TRUE(strstr(err.msg, "knee joint centre") != NULL);
    CHECK_TRUE(strstr(err.msg, "static") != NULL);
    /* no static trial and no anatomical markers in the run */
    CHECK_EQ_INT(gk_gait3d_analyse(run, NULL, NULL, &g, &err), GK_E_NOT_FOUND);
    CHECK_TRUE(strstr(err.msg, "running trial") != NULL);
  }
  gk_capture_free(stc);
  gk_capture_free(run);
  /* a running trial without a shank marker */
  trial_spec s2 = {1, NM, 150, 0.5, 0, NULL};
  trial_spec r2 = {0, NM_RUN, 150, 3.0, 1, "L.Shank.Top.Medial"};
  stc = trial(&s2);
  run = trial(&r2);
  if (stc && run) {
    CHECK_EQ_INT(gk_gait3d_analyse(run, stc, NULL, &g, &err), GK_E_NOT_FOUND);
    CHECK_TRUE(strstr(err.msg, "L.Shank.Top.Medial") != NULL);
  }
  gk_capture_free(run);
  /* too short for a stride */
  trial_spec r3 = {0, NM_RUN, 150, 0.3, 1, NULL};
  run = trial(&r3);
  if (stc && run) {
    CHECK_EQ_INT(gk_gait3d_analyse(run, stc, NULL, &g, &err), GK_E_NOT_FOUND);
    CHECK_TRUE(strstr(err.msg, "no complete step") != NULL);
  }
  /* garbage: every coordinate NaN */
  if (run) {
    for (size_t i = 0; i < run->n_frames * run->n_points * 3; i++)
      run->xyz[i] = NAN;
    CHECK_TRUE(gk_gait3d_analyse(run, stc, NULL, &g, &err) != GK_OK);
    CHECK_TRUE(g == NULL);
  }
  gk_capture_free(stc);
  gk_capture_free(run);
  CHECK_EQ_INT(gk_gait3d_analyse(NULL, NULL, NULL, &g, &err), GK_E_ARG);
}

/* ---- findings
 * ------------------------------------------------------------------ */

static gk_gait *fake(gk_capture_kind kind) {
  gk_gait *g = gk_gait_new(0);
  g->kind = kind;
  return g;
}

static void set_sides(gk_gait *g, gk_gait_metric m, double l, double r,
                      unsigned n) {
  gk_gait_stat *s = &g->stat[m];
  s->left = l;
  s->right = r;
  s->mean = (l + r) / 2;
  s->n_left = s->n_right = n;
  s->asymmetry = l - r;
  s->asymmetry_pct = 100 * fabs(l - r) / ((l + r) / 2);
  s->quality = n >= 5 ? GK_QUALITY_GOOD : GK_QUALITY_POOR;
}

static const gk_finding *find(const gk_gait *g, const char *code) {
  for (size_t i = 0; i < g->n_findings; i++)
    if (strcmp(g->findings[i].code, code) == 0) return &g->findings[i];
  return NULL;
}

static void test_findings(void) {
  gk_err err;
  gk_gait *g = fake(GK_CAPTURE_3D);
  set_sides(g, GK_GM_PELVIC_DROP, 8.2, 4.0, 10);
  set_sides(g, GK_GM_HIP_ADDUCTION, 12.0, 12.5, 10);
  set_sides(g, GK_GM_CADENCE, 150, 152, 10);
  set_sides(g, GK_GM_CONTACT_TIME, 280, 240, 10);
  set_sides(g, GK_GM_OVERSTRIDE_LL, 0.30, 0.2, 10);
  g->speed_mps = 3.5;
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  const gk_finding *f = find(g, "gait.pelvic_drop");
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 8.2, 1e-9);
  CHECK_NEAR(f->threshold, 6.0, 1e-9);
  CHECK_TRUE(strstr(f->text, "left") != NULL);
  CHECK_TRUE(strstr(f->text, "3D") != NULL); /* 3D reliability text */
  CHECK_TRUE(strstr(f->source, "Bramah") != NULL);
  CHECK_TRUE(f->evidence_note != NULL);
  CHECK_TRUE(find(g, "gait.hip_adduction") == NULL); /* 12.5 < 13.7 */
  f = find(g, "gait.low_cadence");
  ASSERT_TRUE(f != NULL);
  /* typical at 3.5 m/s: 172 + 6 * 0.34 / 0.67 = 175.04; low below 94% */
  CHECK_NEAR(f->threshold, 0.94 * (172 + 6 * 0.34 / 0.67), 1e-6);
  CHECK_TRUE(find(g, "gait.asymmetry") != NULL); /* 280 vs 240 ms: 15% */
  CHECK_TRUE(find(g, "gait.overstride") != NULL);
  gk_gait_free(g);

  /* faster runner: the same cadence is not low at 2.5 m/s... */
  g = fake(GK_CAPTURE_3D);
  set_sides(g, GK_GM_CADENCE, 162, 162, 10);
  g->speed_mps = 2.5;
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  CHECK_TRUE(find(g, "gait.low_cadence") == NULL);
  gk_gait_free(g);
  /* ...but is at 3.8 m/s */
  g = fake(GK_CAPTURE_3D);
  set_sides(g, GK_GM_CADENCE, 162, 162, 10);
  g->speed_mps = 3.8;
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  CHECK_TRUE(find(g, "gait.low_cadence") != NULL);
  gk_gait_free(g);
  /* no speed: no cadence finding, a note saying why */
  g = fake(GK_CAPTURE_3D);
  set_sides(g, GK_GM_CADENCE, 140, 140, 10);
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  CHECK_TRUE(find(g, "gait.low_cadence") == NULL);
  CHECK_TRUE(g->n_notes == 1 && strstr(g->notes[0], "--speed") != NULL);
  gk_gait_free(g);

  /* poor quality: a note, no finding; 2D texts */
  g = fake(GK_CAPTURE_2D);
  set_sides(g, GK_GM_PELVIC_DROP, 9, 9, 3);
  set_sides(g, GK_GM_KNEE_FPPA, 14, 6, 8);
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  CHECK_TRUE(find(g, "gait.pelvic_drop") == NULL);
  CHECK_TRUE(g->n_notes >= 1 && strstr(g->notes[0], "too few steps") != NULL);
  f = find(g, "gait.knee_valgus");
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 14, 1e-9);
  CHECK_TRUE(strstr(f->text, "video") != NULL);
  gk_gait_free(g);

  /* overstride from the shank angle only when no distance is available */
  g = fake(GK_CAPTURE_2D);
  set_sides(g, GK_GM_SHANK_ANGLE_IC, 12, 8, 8);
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  f = find(g, "gait.overstride");
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->threshold, 10, 1e-9);
  gk_gait_free(g);
  g = fake(GK_CAPTURE_3D);
  set_sides(g, GK_GM_SHANK_ANGLE_IC, 12, 8, 8);
  set_sides(g, GK_GM_OVERSTRIDE_LL, 0.1, 0.1, 8);
  ASSERT_EQ_INT(gk_gait_findings(g, &err), GK_OK);
  CHECK_TRUE(find(g, "gait.overstride") == NULL);
  gk_gait_free(g);
}

/* ---- fuzz seeds
 * ------------------------------------------------------------------ */

static void put(const char *dir, const char *name, const cw *w, size_t n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL) {
    perror(path);
    return;
  }
  fwrite(w->b, 1, n, f);
  fclose(f);
}

static void write_seeds(const char *dir) {
  /* small: 50 frames/s for 1.6 s, the anatomical markers in the run */
  cw w;
  trial_spec a = {0, NM, 50, 1.6, 1, NULL};
  write_trial(&a, &w);
  put(dir, "y_force.c3d", &w, w.n);
  put(dir, "n_truncated.c3d", &w, w.n / 2);
  free(w.b);
  trial_spec b = {0, NM, 50, 1.6, 0, NULL};
  write_trial(&b, &w);
  put(dir, "y_markers.c3d", &w, w.n);
  free(w.b);
  trial_spec c = {0, NM, 50, 1.0, 1, "R.Ankle"};
  write_trial(&c, &w);
  put(dir, "n_missing_marker.c3d", &w, w.n);
  free(w.b);
}

int main(int argc, char **argv) {
  if (argc > 1) {
    write_seeds(argv[1]);
    return 0;
  }
  RUN(test_rigid_fit);
  RUN(test_jcs);
  RUN(test_force_contacts);
  RUN(test_runner_force);
  RUN(test_runner_markers);
  RUN(test_errors);
  RUN(test_findings);
  return TEST_SUMMARY();
}
