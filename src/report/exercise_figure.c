/*
** exercise_figure.c -- a small side-view stick figure for each exercise of
** the plan, from the joint angles of data/exercise_figures.json (its
** "about" gives the angle convention), drawn by gk_stick_figure_svg.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/stick_figure.h"
#include "report/report_internal.h"

/* Segment lengths, in body heights (roughly adult proportions). */
#define GK__FIG_TRUNK 0.30
#define GK__FIG_HEAD 0.10
#define GK__FIG_THIGH 0.25
#define GK__FIG_SHANK 0.24
#define GK__FIG_FOOT 0.10
#define GK__FIG_ARM 0.17
#define GK__FIG_FOREARM 0.15
/* An angle outside this range (degrees) is an error in the data. */
#define GK__FIG_MAX_DEG 360.0

enum {
  P_NECK, P_NOSE, P_LSH, P_RSH, P_LEL, P_REL, P_LWR, P_RWR, P_LHIP, P_RHIP,
  P_LKN, P_RKN, P_LAN, P_RAN, P_LTOE, P_RTOE, P_N
};
static const char *const point_names[P_N] = {
    "Neck",   "Nose",   "LShoulder", "RShoulder", "LElbow", "RElbow",
    "LWrist", "RWrist", "LHip",      "RHip",      "LKnee",  "RKnee",
    "LAnkle", "RAnkle", "LBigToe",   "RBigToe"};

/* The angle `key` of the pose, else `dflt`; 0 when present but not a
   number in range. */
static int angle(const cJSON *pose, const char *key, double dflt, double *out) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(pose, key);
  if (v == NULL) {
    *out = dflt;
    return isfinite(dflt);
  }
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
      fabs(v->valuedouble) > GK__FIG_MAX_DEG)
    return 0;
  *out = v->valuedouble;
  return 1;
}

/* Point `to` = `from` + len along a direction `deg` from straight down,
   positive towards +x (image y points down). */
static void limb(double *xy, int from, int to, double deg, double len) {
  double a = deg * 3.14159265358979323846 / 180;
  xy[to * 2] = xy[from * 2] + len * sin(a);
  xy[to * 2 + 1] = xy[from * 2 + 1] + len * cos(a);
}

gk_status gk__exercise_figure_svg(const cJSON *pose, const char *name,
                                  double width_px, gk_buf *out) {
  if (!cJSON_IsObject(pose) || out == NULL) return GK_E_ARG;
  double trunk, th[2], sh[2], ft[2], arm[2], fa[2];
  static const char *const side[2] = {"l_", "r_"};
  if (!angle(pose, "trunk", NAN, &trunk)) return GK_E_CORRUPT;
  for (int s = 0; s < 2; s++) {
    char k[16];
    snprintf(k, sizeof k, "%sthigh", side[s]);
    if (!angle(pose, k, NAN, &th[s])) return GK_E_CORRUPT;
    snprintf(k, sizeof k, "%sshank", side[s]);
    if (!angle(pose, k, NAN, &sh[s])) return GK_E_CORRUPT;
    snprintf(k, sizeof k, "%sfoot", side[s]);
    if (!angle(pose, k, sh[s] + 90, &ft[s])) return GK_E_CORRUPT;
    snprintf(k, sizeof k, "%sarm", side[s]);
    if (!angle(pose, k, NAN, &arm[s])) return GK_E_CORRUPT;
    snprintf(k, sizeof k, "%sforearm", side[s]);
    if (!angle(pose, k, arm[s], &fa[s])) return GK_E_CORRUPT;
  }
  double xy[P_N * 2];
  xy[P_LHIP * 2] = xy[P_LHIP * 2 + 1] = 0;
  xy[P_RHIP * 2] = xy[P_RHIP * 2 + 1] = 0;
  /* the trunk is measured from straight up: 180 degrees from down */
  limb(xy, P_LHIP, P_NECK, 180 - trunk, GK__FIG_TRUNK);
  limb(xy, P_NECK, P_NOSE, 180 - trunk, GK__FIG_HEAD);
  xy[P_LSH * 2] = xy[P_RSH * 2] = xy[P_NECK * 2];
  xy[P_LSH * 2 + 1] = xy[P_RSH * 2 + 1] = xy[P_NECK * 2 + 1];
  for (int s = 0; s < 2; s++) {
    int hip = s ? P_RHIP : P_LHIP, knee = s ? P_RKN : P_LKN,
        ank = s ? P_RAN : P_LAN, toe = s ? P_RTOE : P_LTOE,
        sho = s ? P_RSH : P_LSH, elb = s ? P_REL : P_LEL,
        wri = s ? P_RWR : P_LWR;
    limb(xy, hip, knee, th[s], GK__FIG_THIGH);
    limb(xy, knee, ank, sh[s], GK__FIG_SHANK);
    limb(xy, ank, toe, ft[s], GK__FIG_FOOT);
    limb(xy, sho, elb, arm[s], GK__FIG_ARM);
    limb(xy, elb, wri, fa[s], GK__FIG_FOREARM);
  }
  struct gk_gait_figure f;
  memset(&f, 0, sizeof f);
  snprintf(f.label, sizeof f.label, "%s", name ? name : "the exercise");
  f.n_points = P_N;
  f.xy = xy;
  f.point_names = point_names;
  return gk_stick_figure_svg(&f, width_px, out);
}
