/*
** gait3d_math.c -- the geometry and signal processing of the 3D gait
** analysis: vectors and frames, the least-squares rigid fit (Horn 1987),
** joint coordinate system angles (Grood & Suntay 1983; Wu et al. 2002),
** a zero-lag Butterworth low-pass filter, contacts and the loading rate
** from vertical force (Davis et al. 2016).  No allocation here.
*/
#include <math.h>
#include <string.h>

#include "gait/gait3d_internal.h"

#define RAD2DEG (180.0 / 3.14159265358979323846)

gk__v3 gk__v3_unit(gk__v3 a) {
  double n = gk__v3_norm(a);
  if (!(n > 1e-12) || !isfinite(n)) return gk__v3_make(NAN, NAN, NAN);
  return gk__v3_scale(a, 1.0 / n);
}

gk__frame gk__frame_from(gk__v3 o, gk__v3 up_hint, gk__v3 right_hint) {
  gk__frame f;
  gk__v3 nan3 = gk__v3_make(NAN, NAN, NAN);
  f.o = o;
  f.ay = gk__v3_unit(up_hint);
  gk__v3 r = gk__v3_unit(right_hint);
  /* az: right_hint without its component along ay */
  gk__v3 z = gk__v3_sub(r, gk__v3_scale(f.ay, gk__v3_dot(r, f.ay)));
  if (!gk__v3_ok(f.ay) || !gk__v3_ok(r) || gk__v3_norm(z) < 1e-3) {
    f.ax = f.ay = f.az = nan3;
    return f;
  }
  f.az = gk__v3_unit(z);
  f.ax = gk__v3_cross(f.ay, f.az);
  return f;
}

gk__v3 gk__frame_to_local(const gk__frame *f, gk__v3 p) {
  gk__v3 d = gk__v3_sub(p, f->o);
  return gk__v3_make(gk__v3_dot(d, f->ax), gk__v3_dot(d, f->ay),
                     gk__v3_dot(d, f->az));
}

gk__v3 gk__frame_to_lab(const gk__frame *f, gk__v3 l) {
  gk__v3 p = f->o;
  p = gk__v3_add(p, gk__v3_scale(f->ax, l.x));
  p = gk__v3_add(p, gk__v3_scale(f->ay, l.y));
  p = gk__v3_add(p, gk__v3_scale(f->az, l.z));
  return p;
}

/* ---- rigid fit ------------------------------------------------------------
 */

/* Eigen-decomposition of the symmetric 4x4 A (destroyed) by cyclic Jacobi
   rotations; V receives the eigenvectors as columns, d the eigenvalues. */
static void jacobi4(double A[4][4], double V[4][4], double d[4]) {
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) V[i][j] = i == j ? 1.0 : 0.0;
  for (int sweep = 0; sweep < 30; sweep++) {
    double off = 0, diag = 0;
    for (int i = 0; i < 4; i++) {
      diag += A[i][i] * A[i][i];
      for (int j = i + 1; j < 4; j++) off += A[i][j] * A[i][j];
    }
    /* converged: the off-diagonal part below 1e-12 of the diagonal's */
    if (off <= 1e-24 * diag || off < 1e-300) break;
    for (int p = 0; p < 3; p++)
      for (int q = p + 1; q < 4; q++) {
        if (fabs(A[p][q]) <= 1e-15 * sqrt(diag)) continue;
        double theta = (A[q][q] - A[p][p]) / (2.0 * A[p][q]);
        double t = (theta >= 0 ? 1.0 : -1.0) /
                   (fabs(theta) + sqrt(theta * theta + 1.0));
        double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
        for (int k = 0; k < 4; k++) { /* A = A J */
          double akp = A[k][p], akq = A[k][q];
          A[k][p] = c * akp - s * akq;
          A[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 4; k++) { /* A = J^T A */
          double apk = A[p][k], aqk = A[q][k];
          A[p][k] = c * apk - s * aqk;
          A[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < 4; k++) {
          double vkp = V[k][p], vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq;
          V[k][q] = s * vkp + c * vkq;
        }
      }
  }
  for (int i = 0; i < 4; i++) d[i] = A[i][i];
}

int gk__rigid_fit(const gk__v3 *a, const gk__v3 *b, size_t n, double R[9],
                  gk__v3 *t, double *rms) {
  return gk__rigid_fit_warm(a, b, n, R, t, rms, NULL);
}

int gk__rigid_fit_warm(const gk__v3 *a, const gk__v3 *b, size_t n, double R[9],
                       gk__v3 *t, double *rms, double warm[16]) {
  for (int i = 0; i < 9; i++) R[i] = NAN;
  *t = gk__v3_make(NAN, NAN, NAN);
  if (rms) *rms = NAN;
  gk__v3 ca = {0, 0, 0}, cb = {0, 0, 0};
  int m = 0;
  for (size_t i = 0; i < n; i++) {
    if (!gk__v3_ok(a[i]) || !gk__v3_ok(b[i])) continue;
    ca = gk__v3_add(ca, a[i]);
    cb = gk__v3_add(cb, b[i]);
    m++;
  }
  if (m < 3) return 0;
  ca = gk__v3_scale(ca, 1.0 / m);
  cb = gk__v3_scale(cb, 1.0 / m);
  double S[3][3] = {{0}};
  double spread = 0;
  for (size_t i = 0; i < n; i++) {
    if (!gk__v3_ok(a[i]) || !gk__v3_ok(b[i])) continue;
    gk__v3 p = gk__v3_sub(a[i], ca), q = gk__v3_sub(b[i], cb);
    double pv[3] = {p.x, p.y, p.z}, qv[3] = {q.x, q.y, q.z};
    for (int r = 0; r < 3; r++)
      for (int c = 0; c < 3; c++) S[r][c] += pv[r] * qv[c];
    spread += gk__v3_dot(p, p);
  }
  /* collinear (or coincident) points: the second largest principal moment
     of a is tiny next to the spread */
  {
    double C[3][3] = {{0}};
    for (size_t i = 0; i < n; i++) {
      if (!gk__v3_ok(a[i]) || !gk__v3_ok(b[i])) continue;
      gk__v3 p = gk__v3_sub(a[i], ca);
      double pv[3] = {p.x, p.y, p.z};
      for (int r = 0; r < 3; r++)
        for (int c = 0; c < 3; c++) C[r][c] += pv[r] * pv[c];
    }
    /* sum of the 2x2 principal minors = l1 l2 + l1 l3 + l2 l3; for
       collinear points l2 = l3 = 0 */
    double m2 = C[0][0] * C[1][1] - C[0][1] * C[1][0] + C[0][0] * C[2][2] -
                C[0][2] * C[2][0] + C[1][1] * C[2][2] - C[1][2] * C[2][1];
    if (!(spread > 0) || !(m2 > 1e-6 * spread * spread)) return 0;
  }
  double Sxx = S[0][0], Sxy = S[0][1], Sxz = S[0][2];
  double Syx = S[1][0], Syy = S[1][1], Syz = S[1][2];
  double Szx = S[2][0], Szy = S[2][1], Szz = S[2][2];
  double N[4][4] = {{Sxx + Syy + Szz, Syz - Szy, Szx - Sxz, Sxy - Syx},
                    {Syz - Szy, Sxx - Syy - Szz, Sxy + Syx, Szx + Sxz},
                    {Szx - Sxz, Sxy + Syx, -Sxx + Syy - Szz, Syz + Szy},
                    {Sxy - Syx, Szx + Sxz, Syz + Szy, -Sxx - Syy + Szz}};
  double V[4][4], d[4];
  if (warm != NULL && isfinite(warm[0])) {
    /* start from the previous frame's eigenvectors W: diagonalise W^T N W,
       nearly diagonal already, then V = W V' */
    double W[4][4], M[4][4], A2[4][4], V2[4][4];
    memcpy(W, warm, sizeof W);
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) {
        double x = 0;
        for (int k = 0; k < 4; k++) x += N[i][k] * W[k][j];
        M[i][j] = x;
      }
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) {
        double x = 0;
        for (int k = 0; k < 4; k++) x += W[k][i] * M[k][j];
        A2[i][j] = x;
      }
    jacobi4(A2, V2, d);
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) {
        double x = 0;
        for (int k = 0; k < 4; k++) x += W[i][k] * V2[k][j];
        V[i][j] = x;
      }
  } else {
    jacobi4(N, V, d);
  }
  if (warm != NULL) memcpy(warm, V, sizeof V);
  int best = 0;
  for (int i = 1; i < 4; i++)
    if (d[i] > d[best]) best = i;
  double q0 = V[0][best], qx = V[1][best], qy = V[2][best], qz = V[3][best];
  double qn = sqrt(q0 * q0 + qx * qx + qy * qy + qz * qz);
  if (!(qn > 0) || !isfinite(qn)) return 0;
  q0 /= qn;
  qx /= qn;
  qy /= qn;
  qz /= qn;
  R[0] = q0 * q0 + qx * qx - qy * qy - qz * qz;
  R[1] = 2 * (qx * qy - q0 * qz);
  R[2] = 2 * (qx * qz + q0 * qy);
  R[3] = 2 * (qy * qx + q0 * qz);
  R[4] = q0 * q0 - qx * qx + qy * qy - qz * qz;
  R[5] = 2 * (qy * qz - q0 * qx);
  R[6] = 2 * (qz * qx - q0 * qy);
  R[7] = 2 * (qz * qy + q0 * qx);
  R[8] = q0 * q0 - qx * qx - qy * qy + qz * qz;
  *t = gk__v3_sub(cb, gk__mat_apply(R, ca));
  if (rms) {
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
      if (!gk__v3_ok(a[i]) || !gk__v3_ok(b[i])) continue;
      gk__v3 e = gk__v3_sub(gk__v3_add(gk__mat_apply(R, a[i]), *t), b[i]);
      ss += gk__v3_dot(e, e);
    }
    *rms = sqrt(ss / m);
  }
  return m;
}

/* ---- JCS ------------------------------------------------------------------
 */

void gk__jcs_angles(const gk__frame *p, const gk__frame *d, double *flex,
                    double *add, double *rot) {
  /* R = P^T D: R[i][j] = p_axis_i . d_axis_j */
  const gk__v3 *pa[3] = {&p->ax, &p->ay, &p->az};
  const gk__v3 *da[3] = {&d->ax, &d->ay, &d->az};
  double R[3][3];
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) R[i][j] = gk__v3_dot(*pa[i], *da[j]);
  double s = R[2][1];
  if (s > 1) s = 1;
  if (s < -1) s = -1;
  *add = asin(s) * RAD2DEG;
  *flex = atan2(-R[0][1], R[1][1]) * RAD2DEG;
  *rot = atan2(-R[2][0], R[2][2]) * RAD2DEG;
  if (isnan(R[2][1]) || isnan(R[0][1]) || isnan(R[2][0])) {
    *add = *flex = *rot = NAN;
  }
}

/* ---- force ----------------------------------------------------------------
 */

size_t gk__force_contacts(const double *f, size_t n, double fs,
                          gk__contact *out, size_t max) {
  size_t count = 0;
  if (!(fs > 0)) return 0;
  size_t i = 0;
  size_t min_len = (size_t)(GK__CONTACT_MIN_S * fs);
  while (i < n) {
    /* next rise above the high threshold */
    while (i < n && !(f[i] > GK__FORCE_HIGH_N)) i++;
    if (i >= n) break;
    size_t on = i;
    while (on > 0 && f[on - 1] > GK__FORCE_LOW_N) on--;
    /* starts at the very first sample: the contact began before the
       recording; skip it */
    int partial = (on == 0 && f[0] > GK__FORCE_LOW_N);
    size_t off = i;
    double peak = 0;
    while (off < n && f[off] >= GK__FORCE_LOW_N) {
      if (f[off] > peak) peak = f[off];
      off++;
    }
    if (off >= n) partial = 1; /* still on at the end */
    i = off + 1;
    if (partial || off - on < min_len) continue;
    if (count < max) {
      out[count].on_i = on;
      out[count].off_i = off;
      out[count].on_s = (double)on / fs;
      out[count].off_s = (double)off / fs;
      out[count].peak_n = peak;
    }
    count++;
  }
  return count;
}

double gk__loading_rate(const double *f, size_t n, double fs,
                        const gk__contact *c) {
  if (c->off_i > n || c->off_i <= c->on_i || !(fs > 0)) return NAN;
  size_t len = c->off_i - c->on_i;
  size_t lim = c->on_i + len / 4;
  size_t pk = 0;
  for (size_t i = c->on_i + 1; i + 1 < c->off_i && i <= lim; i++) {
    if (f[i] > f[i - 1] && f[i] >= f[i + 1] && f[i] > 2 * GK__FORCE_HIGH_N) {
      pk = i;
      break;
    }
  }
  if (pk == 0) pk = c->on_i + (size_t)(0.13 * (double)len + 0.5);
  double peak = f[pk];
  if (!(peak > 0)) return NAN;
  double lo = 0.2 * peak, hi = 0.8 * peak;
  /* first crossings of 20% and 80% of the impact peak, interpolated */
  double t20 = NAN, t80 = NAN;
  for (size_t i = c->on_i + 1; i <= pk; i++) {
    if (isnan(t20) && f[i] >= lo && f[i - 1] < lo)
      t20 = (double)(i - 1) + (lo - f[i - 1]) / (f[i] - f[i - 1]);
    if (isnan(t80) && f[i] >= hi && f[i - 1] < hi)
      t80 = (double)(i - 1) + (hi - f[i - 1]) / (f[i] - f[i - 1]);
  }
  if (isnan(t20) && f[c->on_i] >= lo) t20 = (double)c->on_i;
  if (isnan(t20) || isnan(t80) || !(t80 > t20)) return NAN;
  return (hi - lo) / ((t80 - t20) / fs);
}
