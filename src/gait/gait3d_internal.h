/*
** gait3d_internal.h -- the pieces of the 3D gait analysis that the unit
** tests reach directly: 3-vectors, the least-squares rigid fit, the joint
** coordinate system decomposition, the low-pass filter and the force
** events.  Definitions and conventions: docs/METRICS.md ("Gait").
*/
#ifndef GK_GAIT3D_INTERNAL_H
#define GK_GAIT3D_INTERNAL_H

#include <math.h>
#include <stddef.h>

#include "gaitkeeper/gait.h"

/* ---- 3-vectors and frames ------------------------------------------------ */

typedef struct gk__v3 {
  double x, y, z;
} gk__v3;

/*
** A segment frame: origin o and the unit axes of an ISB-style frame in
** lab coordinates: ax anterior, ay up (proximal, along the long axis), az
** to the runner's right, right-handed (ax x ay = az).  Any member NaN: the
** frame is unknown.
*/
typedef struct gk__frame {
  gk__v3 o, ax, ay, az;
} gk__frame;

static inline gk__v3 gk__v3_make(double x, double y, double z) {
  gk__v3 v = {x, y, z};
  return v;
}
static inline gk__v3 gk__v3_add(gk__v3 a, gk__v3 b) {
  return gk__v3_make(a.x + b.x, a.y + b.y, a.z + b.z);
}
static inline gk__v3 gk__v3_sub(gk__v3 a, gk__v3 b) {
  return gk__v3_make(a.x - b.x, a.y - b.y, a.z - b.z);
}
static inline gk__v3 gk__v3_scale(gk__v3 a, double s) {
  return gk__v3_make(a.x * s, a.y * s, a.z * s);
}
static inline double gk__v3_dot(gk__v3 a, gk__v3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
static inline gk__v3 gk__v3_cross(gk__v3 a, gk__v3 b) {
  return gk__v3_make(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z,
                     a.x * b.y - a.y * b.x);
}
static inline double gk__v3_norm(gk__v3 a) { return sqrt(gk__v3_dot(a, a)); }
/* every component finite */
static inline int gk__v3_ok(gk__v3 a) {
  return isfinite(a.x) && isfinite(a.y) && isfinite(a.z);
}
/* a / |a|; NaN vector when |a| is 0 or not finite. */
gk__v3 gk__v3_unit(gk__v3 a);
/* R x v (R row-major 3x3). */
static inline gk__v3 gk__mat_apply(const double R[9], gk__v3 v) {
  return gk__v3_make(R[0] * v.x + R[1] * v.y + R[2] * v.z,
                     R[3] * v.x + R[4] * v.y + R[5] * v.z,
                     R[6] * v.x + R[7] * v.y + R[8] * v.z);
}

/*
** The frame with origin o, long axis ay = unit(up_hint) and az in the plane
** of ay and right_hint, perpendicular to ay, on right_hint's side; ax =
** ay x az.  NaN frame when the hints are (nearly) parallel or not finite.
*/
gk__frame gk__frame_from(gk__v3 o, gk__v3 up_hint, gk__v3 right_hint);

/* p (lab) in frame f's coordinates, and back. */
gk__v3 gk__frame_to_local(const gk__frame *f, gk__v3 p);
gk__v3 gk__frame_to_lab(const gk__frame *f, gk__v3 local);

/* ---- least-squares rigid fit ------------------------------------------- */

/*
** The rotation R (row-major 3x3) and translation t that best map the
** points a[i] onto b[i] (i < n, entries with a NaN component in either set
** skipped) in the least-squares sense: b ~ R a + t (Horn 1987, unit
** quaternions: the eigenvector of the largest eigenvalue of a symmetric
** 4x4 matrix, found by Jacobi rotations).  Returns the number of pairs
** used; fewer than 3, or collinear points, give 0 and leave R, t NaN.
** *rms (optional) receives the root-mean-square residual, mm.
*/
int gk__rigid_fit(const gk__v3 *a, const gk__v3 *b, size_t n, double R[9],
                  gk__v3 *t, double *rms);

/* The same, starting the eigen-solver from warm[16] (the 4x4 eigenvector
   matrix of the previous call, row-major; warm[0] NaN: none) and leaving
   this call's there: consecutive frames of a segment then converge in a
   sweep or two.  The result is the same as without. */
int gk__rigid_fit_warm(const gk__v3 *a, const gk__v3 *b, size_t n, double R[9],
                       gk__v3 *t, double *rms, double warm[16]);

/* ---- joint angles -------------------------------------------------------- */

/*
** Joint coordinate system angles (Grood & Suntay 1983; Wu et al. 2002) of
** the distal frame d relative to the proximal frame p, in degrees, as the
** rotation about p's medio-lateral axis (az; `flex`), then the floating
** axis (`add`), then d's long axis (`rot`): the Cardan sequence Z-X-Y of
** R = P^T D.  Signs by the right-hand rule on the axes of a right-side
** frame (x anterior, y up, z right): flex > 0 rotates x towards y; add > 0
** tilts y towards +z; rot > 0 turns x towards -z.  docs/METRICS.md turns
** these into clinical signs per joint and side.  NaN when a frame is.
*/
void gk__jcs_angles(const gk__frame *p, const gk__frame *d, double *flex,
                    double *add, double *rot);

/* ---- signals ------------------------------------------------------------- */

/* One contact found in a vertical force signal. */
typedef struct gk__contact {
  double on_s, off_s; /* first sample over the low threshold, first sample
                         under it after the peak; seconds from sample 0 */
  double peak_n;      /* peak vertical force, N */
  size_t on_i, off_i; /* the same as sample indices */
} gk__contact;

/* The contact detection thresholds (N): a contact starts where the force
   first rose above GK__FORCE_LOW_N before rising above GK__FORCE_HIGH_N,
   and ends where it first falls below GK__FORCE_LOW_N again. */
#define GK__FORCE_HIGH_N 50.0
#define GK__FORCE_LOW_N 20.0
#define GK__CONTACT_MIN_S 0.06 /* shorter contacts are noise */

/*
** Contacts in the vertical force f[0..n) sampled at fs Hz (NaN samples
** count as no force).  Writes at most max into out; returns how many were
** found (may exceed max: only the first max are written).
*/
size_t gk__force_contacts(const double *f, size_t n, double fs,
                          gk__contact *out, size_t max);

/*
** Vertical average loading rate (Davis et al. 2016): the mean slope of the
** vertical force between 20% and 80% of the impact peak, N/s; the impact
** peak is the first local maximum in the first 25% of the contact when
** there is one, else the force at 13% of the contact (no impact peak, as
** in forefoot strikes).  NaN when it cannot be found.
*/
double gk__loading_rate(const double *f, size_t n, double fs,
                        const gk__contact *c);


/* ---- marker sets (data/marker_sets, docs/MARKER_SETS.md) ------- */

/* Segments. */
enum {
  GK__S_PELVIS,
  GK__S_THIGH_L,
  GK__S_THIGH_R,
  GK__S_SHANK_L,
  GK__S_SHANK_R,
  GK__S_FOOT_L,
  GK__S_FOOT_R,
  GK__S_COUNT
};

/* The anatomical roles a marker of a set can play; per-side roles have
   the left at +0 and the right at +1. */
enum {
  GK__R_RASIS,
  GK__R_LASIS,
  GK__R_RPSIS,
  GK__R_LPSIS,
  GK__R_KNEE_LAT = 4,
  GK__R_KNEE_MED = 6,
  GK__R_ANKLE_LAT = 8,
  GK__R_ANKLE_MED = 10,
  GK__R_HEEL = 12,       /* the heel point (overstride) */
  GK__R_HEEL_TOP = 14,   /* the heel when the first is absent; lab axes */
  GK__R_TOE_A = 16,      /* the toe point is the mid-point of A and B */
  GK__R_TOE_B = 18,
  GK__R_THIGH_WAND = 20, /* Plug-in Gait's LTHI / RTHI */
  GK__R_TIBIA_WAND = 22, /* LTIB / RTIB */
  GK__R_COUNT = 24
};

enum { GK__MODEL_CLUSTER = 1, GK__MODEL_PIG = 2 };
enum { GK__HIP_BELL = 0, GK__HIP_HARRINGTON = 1 };
enum { GK__JC_PAIR = 0, GK__JC_CHORD = 1 };
enum { GK__USE_TRACKED = 1, GK__USE_STATIC = 2 };

#define GK__MSET_MAX_MARKERS 64
#define GK__CL_MAX 6

typedef struct gk__mset_marker {
  char label[40];
  char alt[40];   /* used when label is absent ("" none) */
  int role;       /* GK__R_*, -1 none */
  int use;        /* GK__USE_TRACKED (both trials) or GK__USE_STATIC */
  int optional;
  char what[112]; /* what it is needed for */
} gk__mset_marker;

typedef struct gk__mset {
  char name[32];
  int model;          /* GK__MODEL_* */
  int hip, knee, ankle; /* GK__HIP_*, GK__JC_* */
  int static_required;
  size_t n_markers;
  gk__mset_marker m[GK__MSET_MAX_MARKERS];
  int role[GK__R_COUNT];                   /* marker index or -1 */
  int cluster[GK__S_COUNT][GK__CL_MAX];    /* marker indices or -1 */
  double rigid_tol_mm[GK__S_COUNT]; /* cluster inter-marker distance
                                       spread (5th-95th %) in a trial */
  double static_tol_mm; /* static vs running distances / segment lengths */
  double knee_width_mm, ankle_width_mm, marker_diameter_mm; /* defaults */
} gk__mset;

/* The built-in set names, in file order; returns how many (<= max). */
size_t gk__mset_names(const char **names, size_t max);

/* Read built-in set `name` ("rbds", "plugin_gait", "cluster4"). */
gk_status gk__mset_load(const char *name, gk__mset *out, gk_err *err);

/* The marker of this label (exact, else the part after the last ':' of
   the capture's label: subject prefixes "Name:LASI"), or -1. */
long gk__find_marker(const gk_capture *c, const char *label);

/*
** The set for the running trial: `name` when given (GK_E_NOT_FOUND when
** no such set), else the built-in set whose tracked markers the running
** trial carries (all of them; or, when none does, the one with most of
** them, at least half, so that the analysis names what is missing).  No
** set: GK_E_NOT_FOUND naming the labels seen and, per set tried, the
** markers missing.  *how: "named" or "recognised from the labels".
*/
gk_status gk__mset_choose(const gk_capture *run, const char *name,
                          gk__mset *out, const char **how, gk_err *err);

/* ---- the analysis with its curves (tests) ------------------------------ */

/* Curves: hip flexion, hip adduction, hip internal rotation, knee flexion,
   knee abduction, ankle dorsiflexion, pelvic obliquity (stance side up),
   degrees, per side (0 left, 1 right), at 0..100% of the stride from
   initial contact, averaged over n_cycles strides (NaN: none). */
#define GK__CURVES 7
typedef struct gk__gait3d_curves {
  double curve[GK__CURVES][2][101];
  size_t n_cycles[2];
  /* When want_trace is set: every frame's angles (malloc'd, the caller
     frees), trace[f * GK__TRACE + column], columns below, NaN gaps. */
  int want_trace;
  double *trace;
  size_t trace_frames;
} gk__gait3d_curves;
/* trace columns, per side (+0 left, +1 right), clinical signs of
   docs/METRICS.md: hip flexion, adduction, internal rotation; knee
   flexion, abduction, internal rotation; ankle dorsiflexion; pelvis
   anterior tilt, obliquity (own side up), internal rotation (own side
   forward), relative to the lab's progression frame */
enum {
  GK__TR_HIP_FLEX = 0,
  GK__TR_HIP_ADD = 2,
  GK__TR_HIP_ROT = 4,
  GK__TR_KNEE_FLEX = 6,
  GK__TR_KNEE_ABD = 8,
  GK__TR_KNEE_ROT = 10,
  GK__TR_ANKLE_DF = 12,
  GK__TR_PELVIS_TILT = 14,
  GK__TR_PELVIS_OBL = 16,
  GK__TR_PELVIS_ROT = 18,
  GK__TRACE = 20
};

/* gk_gait3d_analyse, also filling *curves when not NULL. */
gk_status gk__gait3d_analyse_curves(const gk_capture *run,
                                    const gk_capture *stat_trial,
                                    const gk_gait3d_options *opt, gk_gait **out,
                                    gk__gait3d_curves *curves, gk_err *err);

/* Keep text for the life of g (gait.c frees g->arena_, a chain of blocks
   each starting with the pointer to the next).  NULL when out of memory. */
const char *gk__gait_keep(gk_gait *g, const char *s);

#endif /* GK_GAIT3D_INTERNAL_H */
