/*
** gait3d.c -- 3D running gait from lab markers (C3D, TRC): the model, the
** events and the per-step metrics; docs/METRICS.md ("Gait") defines every
** metric, axis and sign used here.
**
** Model (the marker set of Fukuchi et al. 2017, RBDS):
**   - pelvis: R/L.ASIS, R/L.PSIS (R/L.Iliac.Crest join the tracking cluster
**     when present).  Frame: origin mid-ASIS, z to the right ASIS, x
**     anterior (mid-PSIS to mid-ASIS, made perpendicular to z), y = z x x.
**   - hip joint centres: Bell, Pedersen & Brand 1990 regression: 22% of
**     the inter-ASIS distance posterior, 30% distal and 14% medial of the
**     ASIS (36% lateral of the mid-ASIS point).
**   - knee and ankle centres: mid-points of the epicondyle (Knee,
**     Knee.Medial) and malleolus (Ankle, Ankle.Medial) markers of the
**     static trial.
**   - thigh, shank: ISB-style frames (Wu et al. 2002): y from the distal
**     to the proximal joint centre, z towards the right in the plane of y
**     and the epicondyle (malleolus) line, x = y x z (anterior).
**   - foot: the shank's frame in the static standing trial (standing is
**     ankle neutral, 0 degrees), carried by the foot cluster.
**   - tracking: thigh (Thigh.{Top,Bottom}.{Lateral,Medial}), shank
**     (Shank.*), foot (Heel.Top, Heel.Bottom, Heel.Lateral, MT1, MT5) and
**     pelvis clusters, each fitted from the static trial into every frame
**     of the running trial by least squares (Horn 1987); the anatomical
**     markers, removed for running, are carried by their cluster.
**   - marker trajectories low-pass filtered at 10 Hz (zero lag).
** Joint angles: joint coordinate system (Grood & Suntay 1983), pelvis ->
** thigh (hip), thigh -> shank (knee), shank -> foot (ankle).
** Events: vertical force where a force platform records the contacts,
** else the foot markers relative to the pelvis (Zeni et al. 2008).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "gait/gait3d_internal.h"

#define RAD2DEG (180.0 / 3.14159265358979323846)
#define FILTER_HZ 10.0    /* marker low-pass cut-off */
#define MIN_STEPS_SIDE 5u /* fewer steps on a side: quality poor */
#define GRAVITY 9.80665

/* Bell, Pedersen & Brand 1990 (J Biomech 23:617-21): the hip joint centre
   lies 22% of the inter-ASIS distance posterior, 30% distal and 14% medial
   of the ASIS, i.e. 36% lateral of the mid-ASIS point (pelvis frame). */
static const double hjc_post = 0.22, hjc_inf = 0.30, hjc_lat = 0.36;

/* ---- the markers ----------------------------------------------------------
   The marker set (data/marker_sets/, gait3d_sets.c) names the
   markers, their roles and the clusters; MK_MAX bounds its size. */

#define MK_MAX GK__MSET_MAX_MARKERS
#define CL_MAX GK__CL_MAX
#define S_PELVIS GK__S_PELVIS
#define S_THIGH_L GK__S_THIGH_L
#define S_SHANK_L GK__S_SHANK_L
#define S_FOOT_L GK__S_FOOT_L
#define S_COUNT GK__S_COUNT

/* ---- per-frame series ------------------------------------------------------
 */

enum {
  /* per side: index + side (0 left, 1 right) */
  Q_HIP_FLEX = 0,
  Q_HIP_ADD = 2,
  Q_HIP_ROT = 4,
  Q_KNEE_FLEX = 6,
  Q_KNEE_ABD = 8,
  Q_ANKLE_DF = 10,
  Q_FOOT_ANG = 12,
  Q_SHANK_ANG = 14,
  Q_HEEL_FWD = 16,   /* heel ahead of the mid-hip point, mm */
  Q_FOOT_UP = 18,    /* foot centroid height, mm */
  Q_FOOT_FWD = 20,   /* foot centroid ahead of the mid-hip point (Zeni) */
  Q_TOE_FWD = 22,    /* metatarsal mid-point ahead of the mid-hip point */
  Q_HEEL_LAT = 24,   /* heel to the right of the mid-hip point, mm */
  Q_FOOT_VEL = 26,   /* forward velocity of the foot centroid, mm/s */
  Q_PELVIS_OBL = 28, /* pelvic obliquity: right side up, deg */
  Q_PELVIS_UP = 29,  /* mid-hip height, mm */
  Q_PELVIS_VEL = 30, /* forward velocity of the mid-hip point, mm/s */
  Q_KNEE_ROT = 31,   /* per side: knee internal rotation, deg */
  Q_PELVIS_TILT = 33, /* anterior tilt, deg */
  Q_PELVIS_ROT = 34,  /* right side forward, deg */
  Q_COUNT = 35
};

/* ---- analysis state --------------------------------------------------------
 */

typedef struct model {
  gk__mset ms;             /* the marker set */
  const char *ms_how;      /* "named", "recognised from the labels" */
  size_t np;               /* ms.n_markers */
  long idx_cal[MK_MAX];    /* marker index in the calibration capture */
  long idx_run[MK_MAX];    /* ... in the running capture (tracked only) */
  gk__v3 cal[MK_MAX];      /* calibration positions (static mean), mm */
  gk__frame anat[S_COUNT]; /* anatomical frames in the calibration */
  gk__v3 hjc[2];           /* hip centres, calibration, lab */
  gk__v3 hjc_local[2];     /* hip centres in the pelvis frame */
  gk__v3 heel[2];          /* the heel point, calibration */
  gk__v3 toe[2];           /* the toe point (mid toe A, B), calibration */
  gk__v3 up_cal, fwd_cal;  /* lab axes of the calibration */
  double obliquity_cal;    /* pelvic obliquity standing, deg */
  double foot_angle_cal[2];
  double leg_length_mm;
  int has_static;
  /* Plug-in Gait: chord offsets (half the knee / ankle width plus the
     marker radius), tibial torsion, the foot's static offsets (the
     corrected foot's axes in the uncorrected foot frame, rows x, y, z) */
  double kdelta[2], adelta[2], torsion_deg[2];
  gk__v3 foot_off[2][3];
  int widths_defaulted;
  double len_cal[2][2];    /* thigh, shank lengths in the calibration */
} model;

static _Thread_local char msg_buf[400];

static gk_status fail(gk_err *err, gk_status code, const char *msg) {
  if (err) {
    err->code = code;
    err->msg = msg;
    err->offset = 0;
    err->line = 0;
    err->col = 0;
  }
  return code;
}
static gk__v3 point_at(const gk_capture *c, size_t f, long p) {
  if (p < 0 || f >= c->n_frames) return gk__v3_make(NAN, NAN, NAN);
  const double *x = gk_capture_point(c, f, (size_t)p);
  return gk__v3_make(x[0], x[1], x[2]);
}

/* Mean over the frames where the marker is present. */
static gk__v3 mean_point(const gk_capture *c, long p, size_t f0, size_t f1) {
  gk__v3 s = {0, 0, 0};
  size_t n = 0;
  for (size_t f = f0; f < f1; f++) {
    gk__v3 v = point_at(c, f, p);
    if (!gk__v3_ok(v) || fabs(v.x) > 1e7 || fabs(v.y) > 1e7 || fabs(v.z) > 1e7)
      continue;
    s = gk__v3_add(s, v);
    n++;
  }
  if (n == 0) return gk__v3_make(NAN, NAN, NAN);
  return gk__v3_scale(s, 1.0 / (double)n);
}

static gk__v3 mid(gk__v3 a, gk__v3 b) {
  return gk__v3_scale(gk__v3_add(a, b), 0.5);
}

/* The lab axis (+-X, +-Y, +-Z) nearest to v. */
static gk__v3 snap_axis(gk__v3 v) {
  double a[3] = {v.x, v.y, v.z};
  int k = 0;
  for (int i = 1; i < 3; i++)
    if (fabs(a[i]) > fabs(a[k])) k = i;
  double s = a[k] >= 0 ? 1.0 : -1.0;
  return gk__v3_make(k == 0 ? s : 0, k == 1 ? s : 0, k == 2 ? s : 0);
}

static gk__frame pelvis_frame(gk__v3 rasis, gk__v3 lasis, gk__v3 rpsis,
                              gk__v3 lpsis) {
  gk__frame f;
  f.o = mid(rasis, lasis);
  f.az = gk__v3_unit(gk__v3_sub(rasis, lasis));
  gk__v3 h = gk__v3_sub(f.o, mid(rpsis, lpsis));
  f.ax = gk__v3_unit(gk__v3_sub(h, gk__v3_scale(f.az, gk__v3_dot(h, f.az))));
  f.ay = gk__v3_cross(f.az, f.ax);
  return f;
}

static int frame_ok(const gk__frame *f) {
  return gk__v3_ok(f->o) && gk__v3_ok(f->ax) && gk__v3_ok(f->ay) &&
         gk__v3_ok(f->az);
}

/* Horizontal unit vector of v (the component along up removed). */
static gk__v3 horizontal(gk__v3 v, gk__v3 up) {
  return gk__v3_unit(gk__v3_sub(v, gk__v3_scale(up, gk__v3_dot(v, up))));
}

/* Sagittal angle of v above the horizontal (fwd, up), degrees. */
static double pitch(gk__v3 v, gk__v3 fwd, gk__v3 up) {
  return atan2(gk__v3_dot(v, up), gk__v3_dot(v, fwd)) * RAD2DEG;
}

static gk__v3 nan3(void) { return gk__v3_make(NAN, NAN, NAN); }

/* The calibration position of role r (NaN when the set has none). */
static gk__v3 role_cal(const model *md, int r) {
  int i = md->ms.role[r];
  return i >= 0 ? md->cal[i] : nan3();
}

static long find_marker(const gk_capture *c, const gk__mset_marker *m) {
  long i = gk__find_marker(c, m->label);
  return i >= 0 ? i : gk__find_marker(c, m->alt);
}

/* Resolve every marker; the first one missing is the error. */
static gk_status resolve(model *md, const gk_capture *cal,
                         const gk_capture *run, gk_err *err) {
  const gk__mset *ms = &md->ms;
  md->np = ms->n_markers;
  for (size_t m = 0; m < md->np; m++) {
    md->idx_cal[m] = find_marker(cal, &ms->m[m]);
    md->idx_run[m] =
        ms->m[m].use == GK__USE_TRACKED ? find_marker(run, &ms->m[m]) : -1;
  }
  for (size_t m = 0; m < md->np; m++) {
    if (ms->m[m].optional || md->idx_cal[m] >= 0) continue;
    snprintf(msg_buf, sizeof msg_buf, "%s: marker %s not found: needed for %s",
             md->has_static ? "static trial" : "running trial",
             ms->m[m].label, ms->m[m].what);
    return fail(err, GK_E_NOT_FOUND, msg_buf);
  }
  for (size_t m = 0; m < md->np; m++) {
    if (ms->m[m].optional || ms->m[m].use != GK__USE_TRACKED ||
        md->idx_run[m] >= 0)
      continue;
    snprintf(msg_buf, sizeof msg_buf,
             "running trial: marker %s not found: needed for %s",
             ms->m[m].label, ms->m[m].what);
    return fail(err, GK_E_NOT_FOUND, msg_buf);
  }
  /* an optional marker tracks only when both trials have it */
  for (size_t m = 0; m < md->np; m++)
    if (ms->m[m].use == GK__USE_TRACKED &&
        (md->idx_cal[m] < 0 || md->idx_run[m] < 0))
      md->idx_cal[m] = md->idx_run[m] = -1;
  return GK_OK;
}

/*
** Plug-in Gait's chord method: the joint centre j at distance delta from
** the lateral marker lat, with the angle (prox - j, lat - j) a right angle,
** in the plane of prox, the wand marker and lat, on the side away from
** the wand.  NaN when delta is not shorter than |prox - lat|.
*/
static gk__v3 chord(gk__v3 prox, gk__v3 wand, gk__v3 lat, double delta) {
  gk__v3 d = gk__v3_sub(prox, lat);
  double L = gk__v3_norm(d);
  if (!(L > delta) || !(delta > 0)) return nan3();
  gk__v3 u = gk__v3_scale(d, 1.0 / L);
  gk__v3 v = gk__v3_sub(wand, lat);
  gk__v3 w = gk__v3_unit(
      gk__v3_scale(gk__v3_sub(v, gk__v3_scale(u, gk__v3_dot(u, v))), -1.0));
  double r = delta / L;
  return gk__v3_add(lat, gk__v3_add(gk__v3_scale(u, delta * r),
                                    gk__v3_scale(w, delta * sqrt(1 - r * r))));
}

/* A frame with x along `fwd`, z from the hint made perpendicular to x,
   y = z x x (the Plug-in Gait foot). */
static gk__frame frame_x(gk__v3 o, gk__v3 fwd, gk__v3 right_hint) {
  gk__frame f;
  f.o = o;
  f.ax = gk__v3_unit(fwd);
  f.az = gk__v3_unit(gk__v3_sub(
      right_hint, gk__v3_scale(f.ax, gk__v3_dot(f.ax, right_hint))));
  f.ay = gk__v3_cross(f.az, f.ax);
  return f;
}

/* The hip centres in the pelvis frame: Bell et al. 1990 or Harrington et
   al. 2007 (pelvis width and depth, mm). */
static void hip_centres(model *md, const gk__frame *pel, gk__v3 rasis,
                        gk__v3 lasis, gk__v3 rpsis, gk__v3 lpsis) {
  double pw = gk__v3_norm(gk__v3_sub(rasis, lasis));
  double pd = gk__v3_dot(gk__v3_sub(mid(rasis, lasis), mid(rpsis, lpsis)),
                         pel->ax);
  for (int s = 0; s < 2; s++) {
    double side = s ? 1.0 : -1.0; /* right: +z */
    if (md->ms.hip == GK__HIP_HARRINGTON)
      md->hjc_local[s] = gk__v3_make(-0.24 * pd - 9.9, -0.30 * pw - 10.9,
                                     side * (0.33 * pw + 7.3));
    else
      md->hjc_local[s] = gk__v3_make(-hjc_post * pw, -hjc_inf * pw,
                                     side * hjc_lat * pw);
  }
}

/* Plug-in Gait: the knee and ankle centres and the thigh and shank frames
   from the markers of one instant (hjc given); frames NaN when a marker
   is missing. */
static void pig_leg(const model *md, int s, gk__v3 hjc, gk__v3 thi,
                    gk__v3 kne, gk__v3 tib, gk__v3 ank, gk__frame *thigh,
                    gk__frame *shank) {
  gk__v3 kjc = chord(hjc, thi, kne, md->kdelta[s]);
  gk__v3 ajc = chord(kjc, tib, ank, md->adelta[s]);
  gk__v3 kz = s ? gk__v3_sub(kne, kjc) : gk__v3_sub(kjc, kne);
  gk__v3 az = s ? gk__v3_sub(ank, ajc) : gk__v3_sub(ajc, ank);
  *thigh = gk__frame_from(kjc, gk__v3_sub(hjc, kjc), kz);
  *shank = gk__frame_from(ajc, gk__v3_sub(kjc, ajc), az);
}

/* The calibration: marker means of the static trial (or of one frame of
   the running trial with every marker), the anatomical frames. */
static gk_status calibrate(model *md, const gk_capture *cal, gk_err *err) {
  size_t f0 = 0, f1 = cal->n_frames;
  const int pig = md->ms.model == GK__MODEL_PIG;
  if (!md->has_static) {
    /* the first frame where every needed marker is present */
    size_t f;
    for (f = 0; f < cal->n_frames; f++) {
      int ok = 1;
      for (size_t m = 0; m < md->np && ok; m++)
        if (md->idx_cal[m] >= 0 && !gk__v3_ok(point_at(cal, f, md->idx_cal[m])))
          ok = 0;
      if (ok) break;
    }
    if (f == cal->n_frames)
      return fail(err, GK_E_NOT_FOUND,
                  "running trial: no frame has every marker of the model "
                  "(give the static trial with --static)");
    f0 = f;
    f1 = f + 1;
  }
  for (size_t m = 0; m < md->np; m++) {
    md->cal[m] = md->idx_cal[m] >= 0 ? mean_point(cal, md->idx_cal[m], f0, f1)
                                     : nan3();
    if (md->idx_cal[m] >= 0 && !gk__v3_ok(md->cal[m]) && !md->ms.m[m].optional)
      return fail(err, GK_E_NOT_FOUND,
                  md->has_static ? "static trial: a marker of the model has "
                                   "no valid sample"
                                 : "running trial: a marker of the model has "
                                   "no valid sample");
  }
  gk__v3 rasis = role_cal(md, GK__R_RASIS), lasis = role_cal(md, GK__R_LASIS);
  gk__v3 rpsis = role_cal(md, GK__R_RPSIS), lpsis = role_cal(md, GK__R_LPSIS);
  gk__frame pel = pelvis_frame(rasis, lasis, rpsis, lpsis);
  double asis = gk__v3_norm(gk__v3_sub(rasis, lasis));
  if (!frame_ok(&pel) || !(asis > 50) || !(asis < 600))
    return fail(err, GK_E_CORRUPT,
                "static trial: the ASIS and PSIS markers do not form a "
                "pelvis (coincident, or ASIS distance outside 50-600 mm)");
  md->anat[S_PELVIS] = pel;
  hip_centres(md, &pel, rasis, lasis, rpsis, lpsis);
  if (pig) {
    for (int s = 0; s < 2; s++) {
      double kw = cal->knee_width_mm[s], aw = cal->ankle_width_mm[s];
      double dm = cal->marker_diameter_mm;
      if (!(kw > 0) || !(aw > 0)) md->widths_defaulted = 1;
      if (!(kw > 0)) kw = md->ms.knee_width_mm;
      if (!(aw > 0)) aw = md->ms.ankle_width_mm;
      if (!(dm > 0)) dm = md->ms.marker_diameter_mm;
      md->kdelta[s] = (kw + dm) / 2;
      md->adelta[s] = (aw + dm) / 2;
      double tt = cal->tibial_torsion_deg[s];
      md->torsion_deg[s] = isfinite(tt) ? tt : 0;
    }
  }
  const gk__v3 *c = md->cal;
  (void)c;
  for (int s = 0; s < 2; s++) {
    md->hjc[s] = gk__frame_to_lab(&pel, md->hjc_local[s]);
    gk__v3 kl = role_cal(md, GK__R_KNEE_LAT + s);
    gk__v3 al = role_cal(md, GK__R_ANKLE_LAT + s);
    if (pig) {
      pig_leg(md, s, md->hjc[s], role_cal(md, GK__R_THIGH_WAND + s), kl,
              role_cal(md, GK__R_TIBIA_WAND + s), al, &md->anat[S_THIGH_L + s],
              &md->anat[S_SHANK_L + s]);
    } else {
      gk__v3 km = role_cal(md, GK__R_KNEE_MED + s);
      gk__v3 am = role_cal(md, GK__R_ANKLE_MED + s);
      gk__v3 kjc = mid(kl, km), ajc = mid(al, am);
      /* z to the right: lateral - medial on the right, medial - lateral on
         the left */
      gk__v3 kz = s ? gk__v3_sub(kl, km) : gk__v3_sub(km, kl);
      gk__v3 az = s ? gk__v3_sub(al, am) : gk__v3_sub(am, al);
      md->anat[S_THIGH_L + s] =
          gk__frame_from(kjc, gk__v3_sub(md->hjc[s], kjc), kz);
      md->anat[S_SHANK_L + s] = gk__frame_from(ajc, gk__v3_sub(kjc, ajc), az);
    }
    md->anat[S_FOOT_L + s] = md->anat[S_SHANK_L + s]; /* neutral standing */
    if (!frame_ok(&md->anat[S_THIGH_L + s]) ||
        !frame_ok(&md->anat[S_SHANK_L + s]))
      return fail(err, GK_E_CORRUPT,
                  s ? "static trial: the right hip, knee and ankle markers "
                      "do not form a leg (coincident or in line)"
                    : "static trial: the left hip, knee and ankle markers "
                      "do not form a leg (coincident or in line)");
    md->len_cal[s][0] = gk__v3_norm(
        gk__v3_sub(md->hjc[s], md->anat[S_THIGH_L + s].o));
    md->len_cal[s][1] = gk__v3_norm(gk__v3_sub(md->anat[S_THIGH_L + s].o,
                                               md->anat[S_SHANK_L + s].o));
    gk__v3 hb = role_cal(md, GK__R_HEEL + s);
    gk__v3 heel = gk__v3_ok(hb) ? hb : role_cal(md, GK__R_HEEL_TOP + s);
    md->heel[s] = heel;
    md->toe[s] =
        mid(role_cal(md, GK__R_TOE_A + s), role_cal(md, GK__R_TOE_B + s));
  }
  /* lab axes of the calibration: up from the feet to the pelvis, forward
     from the pelvis's anterior axis */
  gk__v3 feet = mid(mid(md->heel[0], md->toe[0]), mid(md->heel[1], md->toe[1]));
  md->up_cal = snap_axis(gk__v3_sub(pel.o, feet));
  md->fwd_cal = horizontal(pel.ax, md->up_cal);
  md->obliquity_cal = asin(gk__v3_dot(pel.az, md->up_cal)) * RAD2DEG;
  double floor_up = INFINITY;
  static const int foot_roles[4] = {GK__R_HEEL, GK__R_HEEL_TOP, GK__R_TOE_A,
                                    GK__R_TOE_B};
  for (int s = 0; s < 2; s++) {
    md->foot_angle_cal[s] =
        pitch(gk__v3_sub(md->toe[s], md->heel[s]), md->fwd_cal, md->up_cal);
    for (int k = 0; k < 4; k++) {
      gk__v3 p = role_cal(md, foot_roles[k] + s);
      if (gk__v3_ok(p)) {
        double u = gk__v3_dot(p, md->up_cal);
        if (u < floor_up) floor_up = u;
      }
    }
  }
  if (pig) {
    /* the foot: uncorrected (ankle centre to toe) and, with the static
       trial, corrected (heel to toe, the heel at the toe's height) */
    for (int s = 0; s < 2; s++) {
      const gk__frame *sh = &md->anat[S_SHANK_L + s];
      gk__frame U = frame_x(md->toe[s], gk__v3_sub(md->toe[s], sh->o), sh->az);
      gk__frame C = U;
      if (md->has_static) {
        gk__v3 hf = gk__v3_add(
            md->heel[s],
            gk__v3_scale(md->up_cal,
                         gk__v3_dot(gk__v3_sub(md->toe[s], md->heel[s]),
                                    md->up_cal)));
        C = frame_x(md->toe[s], gk__v3_sub(md->toe[s], hf), sh->az);
      }
      if (!frame_ok(&U) || !frame_ok(&C))
        return fail(err, GK_E_CORRUPT,
                    "static trial: the ankle centre, heel and toe markers do "
                    "not form a foot (coincident or in line)");
      gk__frame U0 = U;
      U0.o = gk__v3_make(0, 0, 0);
      md->foot_off[s][0] = gk__frame_to_local(&U0, C.ax);
      md->foot_off[s][1] = gk__frame_to_local(&U0, C.ay);
      md->foot_off[s][2] = gk__frame_to_local(&U0, C.az);
      md->anat[S_FOOT_L + s] = C;
    }
  }
  /* leg length: hip centre to knee centre to ankle centre, plus the ankle
     centre's height above the lowest foot marker (mean of both legs) */
  double ll = 0;
  for (int s = 0; s < 2; s++) {
    gk__v3 kjc = md->anat[S_THIGH_L + s].o, ajc = md->anat[S_SHANK_L + s].o;
    ll += gk__v3_norm(gk__v3_sub(md->hjc[s], kjc)) +
          gk__v3_norm(gk__v3_sub(kjc, ajc)) +
          (gk__v3_dot(ajc, md->up_cal) - floor_up);
  }
  md->leg_length_mm = ll / 2;
  if (!(md->leg_length_mm > 300 && md->leg_length_mm < 1500))
    return fail(err, GK_E_CORRUPT,
                "static trial: the leg length from the markers is outside "
                "300-1500 mm (are the units mm?)");
  return GK_OK;
}
/* ---- events
 * ------------------------------------------------------------------ */

typedef struct event {
  double t;       /* seconds */
  int side;       /* 0 left, 1 right */
  int is_ic;      /* 1 initial contact, 0 toe-off */
  size_t contact; /* force: index of the contact */
} event;

static int event_cmp(const void *a, const void *b) {
  const event *x = (const event *)a, *y = (const event *)b;
  return x->t < y->t ? -1 : x->t > y->t;
}

/* Value of series q at time t (linear between frames). */
static double at_time(const double *ser, size_t n, double fps, size_t q,
                      double t) {
  double fi = t * fps;
  if (!(fi >= 0) || fi > (double)(n - 1)) return NAN;
  size_t i = (size_t)fi;
  if (i >= n - 1) return ser[(n - 1) * Q_COUNT + q];
  double w = fi - (double)i;
  double a = ser[i * Q_COUNT + q], b = ser[(i + 1) * Q_COUNT + q];
  return a + w * (b - a);
}

/* Max (sign +1) or -min (sign -1) ... of series q over [t0, t1]; NaN when
   no frame there has a value. */
static double extreme(const double *ser, size_t n, double fps, size_t q,
                      double t0, double t1, double sign) {
  if (!(t1 >= t0)) return NAN;
  double best = NAN;
  double f0 = ceil(t0 * fps), f1 = floor(t1 * fps);
  if (f0 < 0) f0 = 0;
  if (f1 > (double)(n - 1)) f1 = (double)(n - 1);
  for (double ff = f0; ff <= f1; ff += 1) {
    double v = ser[(size_t)ff * Q_COUNT + q] * sign;
    if (isnan(v)) continue;
    if (isnan(best) || v > best) best = v;
  }
  return best;
}

/* Local maxima of series q (sign -1: minima), at least `half` frames from
   any larger value; written as events. */
static size_t local_extrema(const double *ser, size_t n, double fps, size_t q,
                            double sign, size_t half, int side, int is_ic,
                            event *out, size_t max) {
  size_t count = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    double v = ser[i * Q_COUNT + q] * sign;
    if (isnan(v)) continue;
    size_t a = i > half ? i - half : 0, b = i + half < n ? i + half : n - 1;
    if (i < half || i + half >= n) continue; /* too close to an end */
    int best = 1;
    for (size_t k = a; k <= b && best; k++) {
      double w = ser[k * Q_COUNT + q] * sign;
      if (isnan(w)) {
        best = 0; /* a gap nearby: not trusted */
      } else if (w > v || (w == v && k < i)) {
        best = 0;
      }
    }
    if (!best) continue;
    if (count < max) {
      out[count].t = (double)i / fps;
      out[count].side = side;
      out[count].is_ic = is_ic;
      out[count].contact = 0;
    }
    count++;
  }
  return count;
}

/* Median fit residual (mm) of segment s's cluster over up to 41 frames
   spread over the trial, with markers ma and mb exchanged (-1: none). */
static double cluster_residual(const model *md, const double *track, size_t n,
                               int s, int ma, int mb) {
  double res[41];
  size_t nr = 0;
  for (size_t j = 0; j < 41 && n > 0; j++) {
    size_t f = j * (n - 1) / 40;
    gk__v3 a[CL_MAX], b[CL_MAX];
    for (int k = 0; k < CL_MAX; k++) {
      int m = md->ms.cluster[s][k];
      a[k] = b[k] = gk__v3_make(NAN, NAN, NAN);
      if (m < 0 || md->idx_run[m] < 0) continue;
      a[k] = md->cal[m];
      int src = m == ma ? mb : m == mb ? ma : m;
      const double *x = track + (f * md->np + (size_t)src) * 3;
      b[k] = gk__v3_make(x[0], x[1], x[2]);
    }
    double R[9], rms;
    gk__v3 t;
    if (gk__rigid_fit(a, b, CL_MAX, R, &t, &rms) >= 4 && isfinite(rms))
      res[nr++] = rms;
  }
  if (nr == 0) return NAN;
  for (size_t i = 1; i < nr; i++) /* insertion sort: 41 at most */
    for (size_t k = i; k > 0 && res[k] < res[k - 1]; k--) {
      double x = res[k];
      res[k] = res[k - 1];
      res[k - 1] = x;
    }
  return res[nr / 2];
}

/* Two markers of a cluster whose labels were exchanged in the running
   trial (a labelling slip: the cluster fits the static trial badly, and
   well with the two exchanged) are exchanged back; noted in g later.
   Writes the pairs into swapped[] (2 per pair), returns how many pairs. */
#define SWAP_RESIDUAL_MM 8.0
static int repair_swaps(const model *md, double *track, size_t n, int swapped[],
                        int max_pairs) {
  int pairs = 0;
  for (int s = 0; s < S_COUNT && pairs < max_pairs; s++) {
    double base = cluster_residual(md, track, n, s, -1, -1);
    if (!(base > SWAP_RESIDUAL_MM)) continue;
    double best = base;
    int ba = -1, bb = -1;
    for (int i = 0; i < CL_MAX; i++)
      for (int j = i + 1; j < CL_MAX; j++) {
        int ma = md->ms.cluster[s][i], mb = md->ms.cluster[s][j];
        if (ma < 0 || mb < 0 || md->idx_run[ma] < 0 || md->idx_run[mb] < 0)
          continue;
        double r = cluster_residual(md, track, n, s, ma, mb);
        if (r < best) {
          best = r;
          ba = ma;
          bb = mb;
        }
      }
    if (ba < 0 || !(best < SWAP_RESIDUAL_MM) || !(best < base / 2)) continue;
    for (size_t f = 0; f < n; f++) {
      double *xa = track + (f * md->np + (size_t)ba) * 3;
      double *xb = track + (f * md->np + (size_t)bb) * 3;
      for (int c = 0; c < 3; c++) {
        double t = xa[c];
        xa[c] = xb[c];
        xb[c] = t;
      }
    }
    swapped[2 * pairs] = ba;
    swapped[2 * pairs + 1] = bb;
    pairs++;
  }
  return pairs;
}

/* ---- the analysis
 * --------------------------------------------------------------- */

typedef struct work {
  double *track;   /* n_frames * n markers * 3: filtered tracked markers */
  size_t filled[MK_MAX];    /* frames a cluster marker was rebuilt */
  size_t seg_lost[S_COUNT]; /* frames a segment could not be built */
  double *ser;     /* n_frames * Q_COUNT */
  double *force;   /* n_analog_samples: vertical force, N */
  double *scratch; /* max(n_frames, n_analog_samples) */
  gk__contact *contacts;
  event *events;
  size_t max_events, max_contacts;
} work;

static void work_free(work *w) {
  free(w->track);
  free(w->ser);
  free(w->force);
  free(w->scratch);
  free(w->contacts);
  free(w->events);
}

/* The vertical force of all plates (|sum of Fz|), N; 0 plates: none. */
static int vertical_force(const gk_capture *run, double *f) {
  size_t n = run->n_analog_samples;
  int any = 0;
  for (size_t s = 0; s < n; s++) {
    double sum = 0;
    int have = 0;
    for (size_t p = 0; p < run->n_plates; p++) {
      if (run->plates[p].n_channels < 3) continue;
      double v = gk_capture_plate_value(run, p, 2, s);
      if (isfinite(v) && fabs(v) < 1e6) {
        sum += v;
        have = 1;
      }
    }
    f[s] = have ? fabs(sum) : NAN;
    any |= have;
  }
  return any;
}

/* One instant's segments, as the marker set builds them. */
typedef struct pose {
  gk__frame seg[S_COUNT];
  int ok[S_COUNT];
  gk__frame knee_shank[2]; /* the shank the knee angle uses */
  gk__v3 hjc[2], heel[2], toe[2];
} pose;

/* Filtered track of marker m at frame f (NaN when not tracked). */
static gk__v3 track_at(const model *md, const double *track, size_t f,
                       int m) {
  if (m < 0 || md->idx_run[m] < 0) return nan3();
  const double *x = track + (f * md->np + (size_t)m) * 3;
  return gk__v3_make(x[0], x[1], x[2]);
}

static gk__v3 track_role(const model *md, const double *track, size_t f,
                         int r) {
  return track_at(md, track, f, md->ms.role[r]);
}

/* The axes of local vectors l[0..2] of frame u, in the lab. */
static gk__v3 axes_apply(const gk__frame *u, gk__v3 l) {
  return gk__v3_add(gk__v3_add(gk__v3_scale(u->ax, l.x), gk__v3_scale(u->ay, l.y)),
                    gk__v3_scale(u->az, l.z));
}

/* Frame f's segments: cluster sets fit each segment's cluster from the
   calibration (Horn 1987; warm: the solver's state per segment, or NULL);
   Plug-in Gait rebuilds every frame from that frame's markers. */
static void frame_pose(const model *md, const double *track, size_t f,
                       double (*warm)[16], pose *p) {
  if (md->ms.model == GK__MODEL_PIG) {
    gk__frame pel = pelvis_frame(track_role(md, track, f, GK__R_RASIS),
                                 track_role(md, track, f, GK__R_LASIS),
                                 track_role(md, track, f, GK__R_RPSIS),
                                 track_role(md, track, f, GK__R_LPSIS));
    p->seg[S_PELVIS] = pel;
    p->ok[S_PELVIS] = frame_ok(&pel);
    for (int s = 0; s < 2; s++) {
      p->hjc[s] = gk__frame_to_lab(&pel, md->hjc_local[s]);
      gk__frame *th = &p->seg[S_THIGH_L + s], *sh = &p->seg[S_SHANK_L + s];
      pig_leg(md, s, p->hjc[s], track_role(md, track, f, GK__R_THIGH_WAND + s),
              track_role(md, track, f, GK__R_KNEE_LAT + s),
              track_role(md, track, f, GK__R_TIBIA_WAND + s),
              track_role(md, track, f, GK__R_ANKLE_LAT + s), th, sh);
      p->ok[S_THIGH_L + s] = frame_ok(th);
      p->ok[S_SHANK_L + s] = frame_ok(sh);
      /* the knee uses the tibia turned back by the tibial torsion */
      double t = -md->torsion_deg[s] / RAD2DEG * (s ? 1.0 : -1.0);
      gk__frame ks = *sh;
      ks.ax = gk__v3_add(gk__v3_scale(sh->ax, cos(t)),
                         gk__v3_scale(sh->az, sin(t)));
      ks.az = gk__v3_cross(ks.ax, ks.ay);
      p->knee_shank[s] = ks;
      p->toe[s] = mid(track_role(md, track, f, GK__R_TOE_A + s),
                      track_role(md, track, f, GK__R_TOE_B + s));
      p->heel[s] = track_role(md, track, f, GK__R_HEEL + s);
      gk__frame U = frame_x(p->toe[s], gk__v3_sub(p->toe[s], sh->o), sh->az);
      gk__frame *ft = &p->seg[S_FOOT_L + s];
      ft->o = p->toe[s];
      ft->ax = axes_apply(&U, md->foot_off[s][0]);
      ft->ay = axes_apply(&U, md->foot_off[s][1]);
      ft->az = axes_apply(&U, md->foot_off[s][2]);
      p->ok[S_FOOT_L + s] = frame_ok(ft) && gk__v3_ok(p->heel[s]);
    }
    return;
  }
  double R[S_COUNT][9];
  gk__v3 tr[S_COUNT];
  for (int s = 0; s < S_COUNT; s++) {
    gk__v3 a[CL_MAX], b[CL_MAX];
    for (int k = 0; k < CL_MAX; k++) {
      int m = md->ms.cluster[s][k];
      if (m < 0 || md->idx_run[m] < 0) {
        a[k] = b[k] = nan3();
        continue;
      }
      a[k] = md->cal[m];
      b[k] = track_at(md, track, f, m);
    }
    p->ok[s] = (warm ? gk__rigid_fit_warm(a, b, CL_MAX, R[s], &tr[s], NULL,
                                          warm[s])
                     : gk__rigid_fit(a, b, CL_MAX, R[s], &tr[s], NULL)) >= 3;
    if (!p->ok[s] && warm) warm[s][0] = NAN;
    if (p->ok[s]) {
      const gk__frame *an = &md->anat[s];
      p->seg[s].o = gk__v3_add(gk__mat_apply(R[s], an->o), tr[s]);
      p->seg[s].ax = gk__mat_apply(R[s], an->ax);
      p->seg[s].ay = gk__mat_apply(R[s], an->ay);
      p->seg[s].az = gk__mat_apply(R[s], an->az);
    }
  }
  for (int s = 0; s < 2; s++) {
    p->hjc[s] = p->ok[S_PELVIS] ? gk__v3_add(gk__mat_apply(R[S_PELVIS],
                                                           md->hjc[s]),
                                             tr[S_PELVIS])
                                : nan3();
    p->knee_shank[s] = p->seg[S_SHANK_L + s];
    if (p->ok[S_FOOT_L + s]) {
      const double *Rf = R[S_FOOT_L + s];
      p->heel[s] = gk__v3_add(gk__mat_apply(Rf, md->heel[s]), tr[S_FOOT_L + s]);
      p->toe[s] = gk__v3_add(gk__mat_apply(Rf, md->toe[s]), tr[S_FOOT_L + s]);
    } else {
      p->heel[s] = p->toe[s] = nan3();
    }
  }
}

/* Per frame: build the segments, fill the series; count the frames each
   segment is missing and each cluster marker was rebuilt from the rest of
   its cluster. */
static void kinematics(const model *md, const gk_capture *run, work *w,
                       gk__v3 up, gk__v3 fwd, size_t *lost) {
  size_t n = run->n_frames;
  double fps = run->frame_rate_hz;
  double warm[S_COUNT][16];
  for (int s = 0; s < S_COUNT; s++) warm[s][0] = NAN;
  *lost = 0;
  gk__frame prog;
  prog.o = gk__v3_make(0, 0, 0);
  prog.ax = fwd;
  prog.ay = up;
  prog.az = gk__v3_cross(fwd, up);
  for (size_t f = 0; f < n; f++) {
    double *q = w->ser + f * Q_COUNT;
    for (int k = 0; k < Q_COUNT; k++) q[k] = NAN;
    pose p;
    frame_pose(md, w->track, f, warm, &p);
    const gk__frame *seg = p.seg;
    for (int s = 0; s < S_COUNT; s++) {
      if (!p.ok[s]) {
        w->seg_lost[s]++;
        continue;
      }
      if (md->ms.model != GK__MODEL_CLUSTER) continue;
      for (int k = 0; k < CL_MAX; k++) {
        int m = md->ms.cluster[s][k];
        if (m >= 0 && md->idx_run[m] >= 0 &&
            !gk__v3_ok(track_at(md, w->track, f, m)))
          w->filled[m]++;
      }
    }
    if (!p.ok[S_PELVIS]) {
      (*lost)++;
      continue;
    }
    gk__v3 mh = mid(p.hjc[0], p.hjc[1]);
    q[Q_PELVIS_OBL] =
        asin(fmax(-1, fmin(1, gk__v3_dot(seg[S_PELVIS].az, up)))) * RAD2DEG;
    q[Q_PELVIS_UP] = gk__v3_dot(mh, up);
    q[Q_PELVIS_VEL] = gk__v3_dot(mh, fwd); /* position; differenced below */
    {
      double fl, ad, ro;
      gk__jcs_angles(&prog, &seg[S_PELVIS], &fl, &ad, &ro);
      q[Q_PELVIS_TILT] = -fl;
      q[Q_PELVIS_ROT] = ro;
    }
    for (int s = 0; s < 2; s++) {
      double lr = s ? 1.0 : -1.0; /* left: frontal, transverse signs flip */
      double fl, ad, ro;
      if (p.ok[S_THIGH_L + s]) {
        gk__jcs_angles(&seg[S_PELVIS], &seg[S_THIGH_L + s], &fl, &ad, &ro);
        q[Q_HIP_FLEX + s] = fl;
        q[Q_HIP_ADD + s] = lr * ad;
        q[Q_HIP_ROT + s] = lr * ro;
      }
      if (p.ok[S_THIGH_L + s] && p.ok[S_SHANK_L + s]) {
        gk__jcs_angles(&seg[S_THIGH_L + s], &p.knee_shank[s], &fl, &ad, &ro);
        q[Q_KNEE_FLEX + s] = -fl;
        q[Q_KNEE_ABD + s] = -lr * ad;
        q[Q_KNEE_ROT + s] = lr * ro;
      }
      if (p.ok[S_SHANK_L + s]) {
        gk__v3 v = seg[S_SHANK_L + s].ay;
        q[Q_SHANK_ANG + s] =
            atan2(-gk__v3_dot(v, fwd), gk__v3_dot(v, up)) * RAD2DEG;
      }
      if (p.ok[S_SHANK_L + s] && p.ok[S_FOOT_L + s]) {
        gk__jcs_angles(&seg[S_SHANK_L + s], &seg[S_FOOT_L + s], &fl, &ad, &ro);
        q[Q_ANKLE_DF + s] = fl;
      }
      if (p.ok[S_FOOT_L + s]) {
        gk__v3 heel = p.heel[s], toe = p.toe[s];
        gk__v3 cen = mid(heel, toe);
        q[Q_FOOT_ANG + s] =
            pitch(gk__v3_sub(toe, heel), fwd, up) - md->foot_angle_cal[s];
        q[Q_HEEL_FWD + s] = gk__v3_dot(gk__v3_sub(heel, mh), fwd);
        q[Q_HEEL_LAT + s] =
            gk__v3_dot(gk__v3_sub(heel, mh), gk__v3_cross(fwd, up));
        q[Q_FOOT_UP + s] = gk__v3_dot(cen, up);
        q[Q_FOOT_FWD + s] = gk__v3_dot(gk__v3_sub(cen, mh), fwd);
        q[Q_TOE_FWD + s] = gk__v3_dot(gk__v3_sub(toe, mh), fwd);
        q[Q_FOOT_VEL + s] = gk__v3_dot(cen, fwd); /* differenced below */
      }
    }
  }
  /* velocities by central differences (positions stored above) */
  for (int k = 0; k < 3; k++) {
    size_t col = k == 2 ? Q_PELVIS_VEL : (size_t)Q_FOOT_VEL + (size_t)k;
    double prev = NAN;
    for (size_t f = 0; f < n; f++) {
      double cur = w->ser[f * Q_COUNT + col];
      double next = f + 1 < n ? w->ser[(f + 1) * Q_COUNT + col] : NAN;
      w->ser[f * Q_COUNT + col] = (next - prev) * fps / 2;
      prev = cur;
    }
  }
}

/* ---- checks: rigid clusters, a static trial of this runner ---------------- */

static int dcmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The 5th, 50th and 95th percentiles of v[0..k) (sorted in place). */
static void pcts(double *v, size_t k, double *p5, double *p50, double *p95) {
  qsort(v, k, sizeof *v, dcmp);
  *p5 = v[k * 5 / 100];
  *p50 = v[k / 2];
  *p95 = v[(k * 95) / 100 < k ? (k * 95) / 100 : k - 1];
}

typedef struct check_result {
  /* per segment: the worst pair's spread through the trial and its
     median's difference from the calibration, mm */
  double spread[S_COUNT], mismatch[S_COUNT];
  int spread_pair[S_COUNT][2], mismatch_pair[S_COUNT][2];
  double cal_len[S_COUNT], run_len[S_COUNT]; /* Plug-in Gait segments */
} check_result;

#define CHECK_SAMPLES 401
static void run_checks(const model *md, const double *track, size_t n,
                       check_result *cr) {
  double v[CHECK_SAMPLES];
  size_t step = 1 + n / (CHECK_SAMPLES - 1);
  for (int s = 0; s < S_COUNT; s++) {
    cr->spread[s] = cr->mismatch[s] = 0;
    cr->cal_len[s] = cr->run_len[s] = NAN;
    cr->spread_pair[s][0] = cr->mismatch_pair[s][0] = -1;
  }
  if (md->ms.model == GK__MODEL_PIG) {
    /* segment lengths: thigh (hip to knee centre), shank (knee to ankle
       centre), per side; the pelvis width */
    for (int s = 1; s < 5; s++) {
      int side = (s - 1) % 2, shank = s >= 3;
      size_t k = 0;
      for (size_t f = 0; f < n && k < CHECK_SAMPLES; f += step) {
        pose p;
        frame_pose(md, track, f, NULL, &p);
        if (!p.ok[S_THIGH_L + side] || !p.ok[S_SHANK_L + side]) continue;
        gk__v3 a = shank ? p.seg[S_THIGH_L + side].o : p.hjc[side];
        gk__v3 b = shank ? p.seg[S_SHANK_L + side].o
                         : p.seg[S_THIGH_L + side].o;
        v[k++] = gk__v3_norm(gk__v3_sub(a, b));
      }
      cr->cal_len[s] = md->len_cal[side][shank];
      if (k > 0) {
        double p5, p50, p95;
        pcts(v, k, &p5, &p50, &p95);
        cr->run_len[s] = p50;
        cr->mismatch[s] = fabs(p50 - cr->cal_len[s]);
      }
    }
    return;
  }
  for (int s = 0; s < S_COUNT; s++)
    for (int i = 0; i < CL_MAX; i++)
      for (int j = i + 1; j < CL_MAX; j++) {
        int a = md->ms.cluster[s][i], b = md->ms.cluster[s][j];
        if (a < 0 || b < 0 || md->idx_run[a] < 0 || md->idx_run[b] < 0)
          continue;
        size_t k = 0;
        for (size_t f = 0; f < n && k < CHECK_SAMPLES; f += step) {
          double d = gk__v3_norm(gk__v3_sub(track_at(md, track, f, a),
                                            track_at(md, track, f, b)));
          if (isfinite(d)) v[k++] = d;
        }
        if (k < 10) continue;
        double p5, p50, p95;
        pcts(v, k, &p5, &p50, &p95);
        double dc = gk__v3_norm(gk__v3_sub(md->cal[a], md->cal[b]));
        if (p95 - p5 > cr->spread[s]) {
          cr->spread[s] = p95 - p5;
          cr->spread_pair[s][0] = a;
          cr->spread_pair[s][1] = b;
        }
        if (isfinite(dc) && fabs(p50 - dc) > cr->mismatch[s]) {
          cr->mismatch[s] = fabs(p50 - dc);
          cr->mismatch_pair[s][0] = a;
          cr->mismatch_pair[s][1] = b;
        }
      }
}

static const char *const seg_text[S_COUNT] = {
    "pelvis", "left thigh", "right thigh", "left shank",
    "right shank", "left foot", "right foot"};

/* Mean time-normalised curves over the strides of each side. */
static void mean_curves(const gk_gait *g, const double *ser, size_t n,
                        double fps, gk__gait3d_curves *cv) {
  memset(cv, 0, sizeof *cv);
  static const size_t qs[GK__CURVES] = {Q_HIP_FLEX,  Q_HIP_ADD,  Q_HIP_ROT,
                                        Q_KNEE_FLEX, Q_KNEE_ABD, Q_ANKLE_DF,
                                        Q_PELVIS_OBL};
  for (int s = 0; s < 2; s++) {
    size_t cycles = 0;
    for (size_t i = 0; i < g->n_steps; i++) {
      const gk_gait_step *a = &g->steps[i];
      if ((int)a->side != s) continue;
      double t1 = NAN;
      for (size_t j = i + 1; j < g->n_steps; j++)
        if ((int)g->steps[j].side == s) {
          t1 = g->steps[j].ic_s;
          break;
        }
      if (isnan(t1) || !(t1 - a->ic_s < 2.5)) continue;
      int ok = 1;
      double tmp[GK__CURVES][101];
      for (int c = 0; c < GK__CURVES && ok; c++)
        for (int k = 0; k <= 100 && ok; k++) {
          double v = at_time(ser, n, fps, qs[c] + (c == 6 ? 0 : (size_t)s),
                             a->ic_s + (t1 - a->ic_s) * k / 100.0);
          if (c == 6 && s == 0) v = -v; /* obliquity: stance side up */
          if (isnan(v)) ok = 0;
          tmp[c][k] = v;
        }
      if (!ok) continue;
      for (int c = 0; c < GK__CURVES; c++)
        for (int k = 0; k <= 100; k++) cv->curve[c][s][k] += tmp[c][k];
      cycles++;
    }
    cv->n_cycles[s] = cycles;
    for (int c = 0; c < GK__CURVES; c++)
      for (int k = 0; k <= 100; k++)
        cv->curve[c][s][k] = cycles ? cv->curve[c][s][k] / (double)cycles : NAN;
  }
}

gk_status gk_gait3d_analyse(const gk_capture *run, const gk_capture *stat_trial,
                            const gk_gait3d_options *opt, gk_gait **out,
                            gk_err *err) {
  return gk__gait3d_analyse_curves(run, stat_trial, opt, out, NULL, err);
}

gk_status gk__gait3d_analyse_curves(const gk_capture *run,
                                    const gk_capture *stat_trial,
                                    const gk_gait3d_options *opt, gk_gait **out,
                                    gk__gait3d_curves *curves, gk_err *err) {
  if (out) *out = NULL;
  if (run == NULL || out == NULL)
    return fail(err, GK_E_ARG, "no running trial");
  if (run->kind != GK_CAPTURE_3D ||
      (stat_trial && stat_trial->kind != GK_CAPTURE_3D))
    return fail(err, GK_E_ARG, "a 3D analysis needs 3D markers (C3D, TRC)");
  double fps = run->frame_rate_hz;
  if (!(fps >= 10 && fps <= 10000))
    return fail(err, GK_E_UNSUPPORTED,
                "running trial: the marker rate must be 10-10000 frames/s");
  if (run->n_frames < 16)
    return fail(err, GK_E_NOT_FOUND,
                "running trial: too short (fewer than 16 frames): no complete "
                "stride");
  if (run->xyz == NULL)
    return fail(err, GK_E_CORRUPT, "running trial: no marker data");

  model md;
  memset(&md, 0, sizeof md);
  md.has_static = stat_trial != NULL && stat_trial->n_frames > 0;
  const gk_capture *cal = md.has_static ? stat_trial : run;
  if (md.has_static && stat_trial->xyz == NULL)
    return fail(err, GK_E_CORRUPT, "static trial: no marker data");
  gk_status st = gk__mset_choose(run, opt ? opt->marker_set : NULL, &md.ms,
                                 &md.ms_how, err);
  if (st != GK_OK) return st;
  if (opt && opt->hip_centre == GK_HIP_BELL) md.ms.hip = GK__HIP_BELL;
  if (opt && opt->hip_centre == GK_HIP_HARRINGTON)
    md.ms.hip = GK__HIP_HARRINGTON;
  if (md.ms.static_required && !md.has_static) {
    snprintf(msg_buf, sizeof msg_buf,
             "marker set %s: the anatomical markers exist only in the "
             "static trial: give it with --static",
             md.ms.name);
    return fail(err, GK_E_NOT_FOUND, msg_buf);
  }
  st = resolve(&md, cal, run, err);
  if (st != GK_OK) return st;
  st = calibrate(&md, cal, err);
  if (st != GK_OK) return st;

  size_t n = run->n_frames;
  work w;
  memset(&w, 0, sizeof w);
  size_t ns = run->n_analog_samples;
  size_t nscr = n > ns ? n : ns;
  if (n > SIZE_MAX / (MK_MAX * 3 * sizeof(double)) ||
      n > SIZE_MAX / (Q_COUNT * sizeof(double)))
    return fail(err, GK_E_LIMIT, "running trial: too many frames");
  w.track = (double *)malloc(n * md.np * 3 * sizeof(double));
  w.ser = (double *)malloc(n * Q_COUNT * sizeof(double));
  w.scratch = (double *)malloc((nscr ? nscr : 1) * sizeof(double));
  if (ns > 0 && run->analog != NULL && run->n_plates > 0 &&
      run->analog_rate_hz > 0)
    w.force = (double *)malloc(ns * sizeof(double));
  if (w.track == NULL || w.ser == NULL || w.scratch == NULL ||
      (ns > 0 && run->analog != NULL && run->n_plates > 0 &&
       run->analog_rate_hz > 0 && w.force == NULL)) {
    work_free(&w);
    return fail(err, GK_E_NOMEM, "out of memory");
  }

  /* the tracked markers, filtered; far-out values (garbage) are gaps */
  for (size_t f = 0; f < n; f++)
    for (size_t m = 0; m < md.np; m++) {
      gk__v3 v = point_at(run, f, md.idx_run[m]);
      if (!gk__v3_ok(v) || fabs(v.x) > 1e6 || fabs(v.y) > 1e6 ||
          fabs(v.z) > 1e6)
        v = gk__v3_make(NAN, NAN, NAN);
      double *x = w.track + (f * md.np + m) * 3;
      x[0] = v.x;
      x[1] = v.y;
      x[2] = v.z;
    }
  for (size_t c = 0; c < md.np * 3; c++)
    /* -3 dB at FILTER_HZ after both passes (Winter 2009: design at
       fc / 0.802); no padding; runs of 12 or more samples */
    gk__lowpass_zerolag(w.track + c, n, md.np * 3, FILTER_HZ / 0.802, fps,
                        0, 12, w.scratch);

  int swapped[2 * S_COUNT];
  int n_swapped = repair_swaps(&md, w.track, n, swapped, S_COUNT);

  /* lab axes of the run: up from the feet to the pelvis, forward along the
     pelvis's anterior axis (the direction of progression; on a treadmill
     the runner faces the front of the belt).  From the pelvis and heel
     markers when the running trial carries them, else from the segments
     the clusters carry. */
  gk__v3 sum_d = {0, 0, 0}, sum_ax = {0, 0, 0};
  size_t nd = 0;
  int direct = 1;
  const int heel_role =
      md.ms.role[GK__R_HEEL_TOP] >= 0 ? GK__R_HEEL_TOP : GK__R_HEEL;
  {
    const int pr[6] = {GK__R_RASIS, GK__R_LASIS, GK__R_RPSIS,
                       GK__R_LPSIS, heel_role,   heel_role + 1};
    for (int k = 0; k < 6; k++) {
      int m = md.ms.role[pr[k]];
      if (m < 0 || md.idx_run[m] < 0) direct = 0;
    }
  }
  for (size_t f = 0; f < n; f += 1 + n / 400) {
    gk__frame pel;
    gk__v3 h0, h1;
    if (direct) {
      gk__v3 p[6];
      const int pr[6] = {GK__R_RASIS, GK__R_LASIS, GK__R_RPSIS,
                         GK__R_LPSIS, heel_role,   heel_role + 1};
      int good = 1;
      for (int k = 0; k < 6; k++) {
        p[k] = track_role(&md, w.track, f, pr[k]);
        if (!gk__v3_ok(p[k])) good = 0;
      }
      if (!good) continue;
      pel = pelvis_frame(p[0], p[1], p[2], p[3]);
      h0 = p[4];
      h1 = p[5];
    } else {
      pose ps;
      frame_pose(&md, w.track, f, NULL, &ps);
      if (!ps.ok[S_PELVIS] || !ps.ok[S_FOOT_L] || !ps.ok[S_FOOT_L + 1])
        continue;
      pel = ps.seg[S_PELVIS];
      h0 = ps.heel[0];
      h1 = ps.heel[1];
    }
    if (!frame_ok(&pel)) continue;
    sum_d = gk__v3_add(sum_d, gk__v3_sub(pel.o, mid(h0, h1)));
    sum_ax = gk__v3_add(sum_ax, pel.ax);
    nd++;
  }
  if (nd == 0) {
    work_free(&w);
    return fail(err, GK_E_NOT_FOUND,
                "running trial: no frame shows the pelvis and both heels");
  }
  gk__v3 up = snap_axis(sum_d);
  gk__v3 fwd = horizontal(sum_ax, up);
  if (!gk__v3_ok(fwd)) {
    work_free(&w);
    return fail(err, GK_E_CORRUPT,
                "running trial: cannot tell the direction of progression "
                "(the pelvis faces straight up or down)");
  }

  static _Thread_local check_result cr;
  run_checks(&md, w.track, n, &cr);
  if (md.has_static) {
    for (int s = 0; s < S_COUNT; s++) {
      if (!(cr.mismatch[s] > md.ms.static_tol_mm)) continue;
      if (md.ms.model == GK__MODEL_PIG)
        snprintf(msg_buf, sizeof msg_buf,
                 "static trial: the %s is %.0f mm in the static trial and "
                 "%.0f mm in the running trial (more than %.0f mm apart): a "
                 "static trial of another runner or session?",
                 seg_text[s], cr.cal_len[s],
                 cr.run_len[s], md.ms.static_tol_mm);
      else
        snprintf(msg_buf, sizeof msg_buf,
                 "static trial: the %s cluster does not match the running "
                 "trial's (%s to %s differs by %.0f mm, more than %.0f mm): a "
                 "static trial of another runner or session?",
                 seg_text[s], md.ms.m[cr.mismatch_pair[s][0]].label,
                 md.ms.m[cr.mismatch_pair[s][1]].label, cr.mismatch[s],
                 md.ms.static_tol_mm);
      work_free(&w);
      return fail(err, GK_E_CORRUPT, msg_buf);
    }
  }
  size_t lost = 0;
  kinematics(&md, run, &w, up, fwd, &lost);
  if (lost * 2 > n) {
    work_free(&w);
    return fail(err, GK_E_NOT_FOUND,
                "running trial: the pelvis cluster is missing in more than "
                "half of the frames");
  }

  /* ---- events ---- */
  double dur = (double)(n - 1) / fps;
  size_t max_ev = 4 * (size_t)(dur * 8 + 8); /* far above any cadence */
  w.events = (event *)calloc(max_ev, sizeof *w.events);
  if (w.events == NULL) {
    work_free(&w);
    return fail(err, GK_E_NOMEM, "out of memory");
  }
  size_t nev = 0;
  gk_event_source source = GK_EVENTS_NONE;
  double mass_force = NAN;
  double arate = run->analog_rate_hz;
  if (w.force && vertical_force(run, w.force)) {
    w.max_contacts = max_ev / 2;
    w.contacts = (gk__contact *)calloc(w.max_contacts, sizeof *w.contacts);
    if (w.contacts == NULL) {
      work_free(&w);
      return fail(err, GK_E_NOMEM, "out of memory");
    }
    size_t nc =
        gk__force_contacts(w.force, ns, arate, w.contacts, w.max_contacts);
    if (nc > w.max_contacts) nc = w.max_contacts;
    /* the contacts must cover the trial (treadmill) to be its events;
       otherwise (over-ground plates) the markers give them */
    double span = nc > 1 ? w.contacts[nc - 1].on_s - w.contacts[0].on_s : 0;
    if (nc >= 4 && span > 0.6 * dur) {
      size_t k = 0;
      for (size_t c = 0; c < nc && k + 2 <= max_ev; c++) {
        double tm = (w.contacts[c].on_s + w.contacts[c].off_s) / 2;
        double ul = at_time(w.ser, n, fps, Q_FOOT_UP + 0, tm);
        double ur = at_time(w.ser, n, fps, Q_FOOT_UP + 1, tm);
        if (isnan(ul) || isnan(ur)) continue;
        int side = ur < ul ? 1 : 0;
        w.events[k++] = (event){w.contacts[c].on_s, side, 1, c};
        w.events[k++] = (event){w.contacts[c].off_s, side, 0, c};
      }
      nev = k;
      source = GK_EVENTS_FORCE;
      /* body weight: mean vertical force over whole contacts and flights */
      size_t a = w.contacts[0].on_i, b = w.contacts[nc - 1].on_i;
      double sum = 0;
      size_t cnt = 0;
      for (size_t s2 = a; s2 < b; s2++)
        if (isfinite(w.force[s2])) {
          sum += w.force[s2];
          cnt++;
        }
      if (cnt > 0 && b - a > (size_t)(2 * arate))
        mass_force = sum / (double)cnt / GRAVITY;
    }
  }
  if (source == GK_EVENTS_NONE) {
    /* Zeni et al. 2008: initial contact at the foot's most forward point
       relative to the pelvis, toe-off at the toes' most backward point */
    size_t half = (size_t)(0.2 * fps);
    if (half < 2) half = 2;
    for (int s = 0; s < 2; s++) {
      size_t room = max_ev - nev;
      size_t k = local_extrema(w.ser, n, fps, Q_FOOT_FWD + (size_t)s, 1, half,
                               s, 1, w.events + nev, room);
      nev += k < room ? k : room;
      room = max_ev - nev;
      k = local_extrema(w.ser, n, fps, Q_TOE_FWD + (size_t)s, -1, half, s, 0,
                        w.events + nev, room);
      nev += k < room ? k : room;
    }
    source = GK_EVENTS_MARKERS;
  }
  qsort(w.events, nev, sizeof *w.events, event_cmp);

  /* ---- steps ---- */
  size_t n_ic = 0;
  for (size_t i = 0; i < nev; i++) n_ic += w.events[i].is_ic;
  gk_gait *g = gk_gait_new(n_ic);
  if (g == NULL) {
    work_free(&w);
    return fail(err, GK_E_NOMEM, "out of memory");
  }
  g->kind = GK_CAPTURE_3D;
  g->view = GK_VIEW_3D;
  g->fps = fps;
  g->n_frames = n;
  g->duration_s = dur;
  g->events = source;
  g->leg_length_mm = md.leg_length_mm;
  double h_opt = opt ? opt->height_mm : NAN;
  g->height_mm =
      h_opt > 0 ? h_opt
      : run->subject_height_mm > 0
          ? run->subject_height_mm
          : (cal->subject_height_mm > 0 ? cal->subject_height_mm : NAN);
  double m_opt = opt ? opt->mass_kg : NAN;
  const char *mass_from = "given";
  if (m_opt > 0) {
    g->mass_kg = m_opt;
  } else if (run->subject_mass_kg > 0) {
    g->mass_kg = run->subject_mass_kg;
    mass_from = "from the capture";
  } else if (mass_force > 20 && mass_force < 300) {
    g->mass_kg = mass_force;
    mass_from = "from the mean vertical force";
  } else {
    mass_from = NULL;
  }

  size_t k = 0;
  int alternation_breaks = 0;
  for (size_t i = 0; i < nev; i++) {
    const event *e = &w.events[i];
    if (!e->is_ic) continue;
    gk_gait_step *stp = &g->steps[k++];
    stp->side = e->side ? GK_RIGHT : GK_LEFT;
    stp->ic_s = e->t;
    double next_same = NAN, next_other = NAN, to = NAN;
    for (size_t j = i + 1; j < nev; j++) {
      const event *x = &w.events[j];
      if (x->is_ic && x->side == e->side && isnan(next_same)) next_same = x->t;
      if (x->is_ic && x->side != e->side && isnan(next_other))
        next_other = x->t;
      if (!x->is_ic && x->side == e->side && isnan(to) && isnan(next_same)) {
        if (source != GK_EVENTS_FORCE || x->contact == e->contact) to = x->t;
      }
      if (!isnan(next_same) && !isnan(next_other)) break;
    }
    /* the other foot's contact must come before this foot's next one */
    if (!isnan(next_other) && !isnan(next_same) && next_other > next_same) {
      next_other = NAN;
      alternation_breaks++;
    }
    stp->to_s = to;
    stp->next_ic_s = next_other;
    double *v = stp->v;
    if (!isnan(next_other)) v[GK_GM_STEP_TIME] = (next_other - e->t) * 1000;
    if (!isnan(to)) v[GK_GM_CONTACT_TIME] = (to - e->t) * 1000;
    if (!isnan(to) && !isnan(next_other))
      v[GK_GM_FLIGHT_TIME] = (next_other - to) * 1000;
    if (!isnan(to) && !isnan(next_same) && next_same > e->t)
      v[GK_GM_DUTY_FACTOR] = (to - e->t) / (next_same - e->t);

    int s = e->side;
    double t0 = e->t, t1 = to;
    const double *ser = w.ser;
    if (!isnan(t1)) {
      /* contralateral drop: the other side of the pelvis lower */
      double drop = extreme(ser, n, fps, Q_PELVIS_OBL, t0, t1, s ? 1 : -1);
      double neutral = (s ? 1 : -1) * md.obliquity_cal;
      v[GK_GM_PELVIC_DROP] = drop - neutral;
      v[GK_GM_HIP_ADDUCTION] =
          extreme(ser, n, fps, Q_HIP_ADD + (size_t)s, t0, t1, 1);
      v[GK_GM_HIP_INT_ROT] =
          extreme(ser, n, fps, Q_HIP_ROT + (size_t)s, t0, t1, 1);
      v[GK_GM_KNEE_FLEX_PEAK] =
          extreme(ser, n, fps, Q_KNEE_FLEX + (size_t)s, t0, t1, 1);
      v[GK_GM_KNEE_ABDUCTION] =
          extreme(ser, n, fps, Q_KNEE_ABD + (size_t)s, t0, t1, 1);
      if (md.has_static)
        v[GK_GM_ANKLE_DORSIFLEXION] =
            extreme(ser, n, fps, Q_ANKLE_DF + (size_t)s, t0, t1, 1);
    }
    v[GK_GM_KNEE_FLEX_IC] = at_time(ser, n, fps, Q_KNEE_FLEX + (size_t)s, t0);
    if (md.has_static)
      v[GK_GM_FOOT_ANGLE_IC] = at_time(ser, n, fps, Q_FOOT_ANG + (size_t)s, t0);
    v[GK_GM_SHANK_ANGLE_IC] = at_time(ser, n, fps, Q_SHANK_ANG + (size_t)s, t0);
    v[GK_GM_OVERSTRIDE] = at_time(ser, n, fps, Q_HEEL_FWD + (size_t)s, t0);
    v[GK_GM_OVERSTRIDE_LL] = v[GK_GM_OVERSTRIDE] / md.leg_length_mm;
    if (!isnan(next_other)) {
      /* step width: lateral distance between this heel at its contact and
         the other heel at the next contact */
      double a = at_time(ser, n, fps, Q_HEEL_LAT + (size_t)s, t0);
      double b = at_time(ser, n, fps, Q_HEEL_LAT + (size_t)(1 - s), next_other);
      v[GK_GM_STEP_WIDTH] = fabs(a - b);
      double hi = extreme(ser, n, fps, Q_PELVIS_UP, t0, next_other, 1);
      double lo = -extreme(ser, n, fps, Q_PELVIS_UP, t0, next_other, -1);
      v[GK_GM_VERTICAL_OSCILLATION] = hi - lo;
    }
    if (source == GK_EVENTS_FORCE && g->mass_kg > 0) {
      double lr = gk__loading_rate(w.force, ns, arate, &w.contacts[e->contact]);
      v[GK_GM_LOADING_RATE] = lr / (g->mass_kg * GRAVITY);
    }
  }
  g->n_steps = k;

  /* running speed: given, else the pelvis's speed minus the stance foot's
     (on a treadmill: the belt moving the foot backwards) */
  double sp = opt ? opt->speed_mps : NAN;
  if (sp > 0 && sp < 15) {
    g->speed_mps = sp;
  } else {
    double sum = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < g->n_steps; i++) {
      const gk_gait_step *stp = &g->steps[i];
      if (isnan(stp->to_s)) continue;
      double c0 = stp->ic_s + (stp->to_s - stp->ic_s) / 3;
      double c1 = stp->ic_s + 2 * (stp->to_s - stp->ic_s) / 3;
      for (double t = c0; t <= c1; t += 1 / fps) {
        double pv = at_time(w.ser, n, fps, Q_PELVIS_VEL, t);
        double fv = at_time(w.ser, n, fps, Q_FOOT_VEL + (size_t)stp->side, t);
        if (isnan(pv) || isnan(fv)) continue;
        sum += (pv - fv) / 1000;
        cnt++;
      }
    }
    if (cnt > 0 && sum / (double)cnt > 0.3 && sum / (double)cnt < 15) {
      g->speed_mps = sum / (double)cnt;
      gk_gait_note(g,
                   "running speed %.2f m/s estimated from the stance "
                   "foot's motion against the pelvis (give --speed to "
                   "set it)",
                   g->speed_mps);
    }
  }

  /* ---- summary, refusals, notes ---- */
  int any_step = 0;
  for (size_t i = 0; i < g->n_steps; i++)
    if (!isnan(g->steps[i].v[GK_GM_STEP_TIME])) any_step = 1;
  if (!any_step) {
    gk_gait_free(g);
    work_free(&w);
    return fail(err, GK_E_NOT_FOUND,
                source == GK_EVENTS_FORCE
                    ? "running trial: no complete step (fewer than two "
                      "alternating foot contacts in the force)"
                    : "running trial: no complete step (fewer than two "
                      "alternating foot contacts found from the markers)");
  }
  gk_gait_refuse(g, GK_GM_KNEE_FPPA,
                 "a 2D video measure (the knee's angle in the camera image); "
                 "a 3D capture reports knee_abduction_peak_stance_deg");
  gk_gait_refuse(g, GK_GM_TRUNK_LEAN,
                 "the 3D model covers the pelvis and legs only (no trunk "
                 "markers)");
  if (!md.has_static) {
    gk_gait_refuse(g, GK_GM_ANKLE_DORSIFLEXION,
                   "needs the static standing trial (ankle neutral)");
    gk_gait_refuse(g, GK_GM_FOOT_ANGLE_IC,
                   "needs the static standing trial (foot flat)");
  }
  if (source != GK_EVENTS_FORCE || !(g->mass_kg > 0))
    gk_gait_refuse(g, GK_GM_LOADING_RATE,
                   source != GK_EVENTS_FORCE
                       ? "needs the vertical force of a force platform under "
                         "every step"
                       : "needs the runner's body mass (--mass-kg)");
  /* what the 3D measures are worth (EVIDENCE.md section 1) */
  g->stat[GK_GM_HIP_INT_ROT].quality = GK_QUALITY_FAIR;
  snprintf(g->stat[GK_GM_HIP_INT_ROT].note, GK_GAIT_NOTE_MAX, "%s",
           "transverse-plane angles are the least repeatable in 3D (skin "
           "movement over the thigh)");
  g->stat[GK_GM_KNEE_ABDUCTION].quality = GK_QUALITY_FAIR;
  snprintf(g->stat[GK_GM_KNEE_ABDUCTION].note, GK_GAIT_NOTE_MAX, "%s",
           "small angle, sensitive to the knee axis (cross-talk from "
           "flexion)");
  if (!md.has_static) {
    for (int m2 = GK_GM_PELVIC_DROP; m2 <= GK_GM_KNEE_ABDUCTION; m2++) {
      gk_gait_stat *sg = &g->stat[m2];
      if (sg->refused || m2 == GK_GM_KNEE_FPPA) continue;
      if (sg->quality == GK_QUALITY_NONE) sg->quality = GK_QUALITY_FAIR;
    }
    gk_gait_note(g,
                 "no static trial: the model was calibrated on the "
                 "running trial's first complete frame; pelvic drop is "
                 "relative to that frame, not to standing");
  }
  gk_gait_summarise(g, MIN_STEPS_SIDE);

  gk_gait_note(g,
               "events from %s; hip joint centres by %s; "
               "angles by the joint coordinate "
               "system, markers low-pass filtered at %.0f Hz",
               source == GK_EVENTS_FORCE
                   ? "the vertical force (contact from 20 N, confirmed "
                     "above 50 N)"
                   : "the foot markers (Zeni et al. 2008)",
               md.ms.hip == GK__HIP_HARRINGTON ? "Harrington et al. 2007"
                                               : "Bell et al. 1990",
               FILTER_HZ);
  if (mass_from != NULL && g->mass_kg > 0)
    gk_gait_note(g, "body mass %.1f kg (%s)", g->mass_kg, mass_from);
  for (int i = 0; i < n_swapped; i++)
    gk_gait_note(g,
                 "running trial: markers %s and %s fit the static trial "
                 "only when exchanged (labels swapped); exchanged back",
                 md.ms.m[swapped[2 * i]].label,
                 md.ms.m[swapped[2 * i + 1]].label);
  if (lost > 0)
    gk_gait_note(g,
                 "%zu of %zu frames without the pelvis cluster were left "
                 "out",
                 lost, n);
  if (alternation_breaks > 0)
    gk_gait_note(g,
                 "%d contacts were not followed by the other foot's "
                 "(a missed or extra contact): their step times are left "
                 "out",
                 alternation_breaks);
  /* the marker set, the gaps rebuilt, the segments left out, the
     clusters that are not rigid */
  snprintf(g->marker_set, sizeof g->marker_set, "%s", md.ms.name);
  snprintf(g->marker_set_how, sizeof g->marker_set_how, "%s", md.ms_how);
  g->static_trial = md.has_static;
  snprintf(g->hip_centre, sizeof g->hip_centre, "%s",
           md.ms.hip == GK__HIP_HARRINGTON ? "harrington2007" : "bell1990");
  snprintf(g->knee_ankle_centres, sizeof g->knee_ankle_centres, "%s",
           md.ms.knee == GK__JC_CHORD ? "chord" : "epicondyles, malleoli");
  gk_gait_note(g, "marker set %s (%s), %s", md.ms.name, md.ms_how,
               md.has_static ? "calibrated on the static trial"
                             : "no static trial");
  if (md.ms.model == GK__MODEL_PIG && md.widths_defaulted)
    gk_gait_note(g,
                 "Plug-in Gait: knee or ankle width not in the capture: "
                 "%.0f mm (knee) and %.0f mm (ankle) assumed; the knee and "
                 "ankle centres may be off by some mm",
                 md.ms.knee_width_mm, md.ms.ankle_width_mm);
  {
    char buf[GK_GAIT_NOTE_MAX];
    size_t len = 0, count = 0, total = 0;
    buf[0] = '\0';
    for (size_t m = 0; m < md.np; m++) {
      if (w.filled[m] == 0) continue;
      total += w.filled[m];
      if (count++ < 6 && len < sizeof buf) {
        int wr = snprintf(buf + len, sizeof buf - len, "%s%s %zu",
                         count > 1 ? ", " : "", md.ms.m[m].label, w.filled[m]);
        if (wr > 0) len += (size_t)wr;
      }
    }
    if (count > 0)
      gk_gait_note(g,
                   "gaps rebuilt from the rest of their cluster (rigid fit), "
                   "frames per marker: %s%s",
                   buf, count > 6 ? ", ..." : "");
    (void)total;
  }
  for (int s = 1; s < S_COUNT; s++)
    if (w.seg_lost[s] > 0 && w.seg_lost[s] + lost < n)
      gk_gait_note(g,
                   "%s left out in %zu of %zu frames (%s)", seg_text[s],
                   w.seg_lost[s], n,
                   md.ms.model == GK__MODEL_PIG
                       ? "a marker missing"
                       : "fewer than 3 markers of its cluster");
  for (int s = 0; s < S_COUNT; s++)
    if (cr.spread[s] > md.ms.rigid_tol_mm[s] && cr.spread_pair[s][0] >= 0)
      gk_gait_note(g,
                   "the %s cluster is not rigid: %s to %s varies by %.0f mm "
                   "through the trial (more than %.0f mm: a marker swapped, "
                   "loose or mislabelled); its angles are doubtful",
                   seg_text[s], md.ms.m[cr.spread_pair[s][0]].label,
                   md.ms.m[cr.spread_pair[s][1]].label, cr.spread[s],
                   md.ms.rigid_tol_mm[s]);
  if (curves) {
    int want = curves->want_trace;
    mean_curves(g, w.ser, n, fps, curves);
    curves->want_trace = want;
    curves->trace = NULL;
    curves->trace_frames = 0;
    if (want) {
      curves->trace = (double *)malloc(n * GK__TRACE * sizeof(double));
      if (curves->trace) {
        curves->trace_frames = n;
        for (size_t f = 0; f < n; f++) {
          const double *q = w.ser + f * Q_COUNT;
          double *t = curves->trace + f * GK__TRACE;
          for (int sd = 0; sd < 2; sd++) {
            double lr = sd ? 1.0 : -1.0;
            t[GK__TR_HIP_FLEX + sd] = q[Q_HIP_FLEX + sd];
            t[GK__TR_HIP_ADD + sd] = q[Q_HIP_ADD + sd];
            t[GK__TR_HIP_ROT + sd] = q[Q_HIP_ROT + sd];
            t[GK__TR_KNEE_FLEX + sd] = q[Q_KNEE_FLEX + sd];
            t[GK__TR_KNEE_ABD + sd] = q[Q_KNEE_ABD + sd];
            t[GK__TR_KNEE_ROT + sd] = q[Q_KNEE_ROT + sd];
            t[GK__TR_ANKLE_DF + sd] = q[Q_ANKLE_DF + sd];
            t[GK__TR_PELVIS_TILT + sd] = q[Q_PELVIS_TILT];
            t[GK__TR_PELVIS_OBL + sd] = lr * q[Q_PELVIS_OBL];
            t[GK__TR_PELVIS_ROT + sd] = lr * q[Q_PELVIS_ROT];
          }
        }
      }
    }
  }
  work_free(&w);
  *out = g;
  return GK_OK;
}
