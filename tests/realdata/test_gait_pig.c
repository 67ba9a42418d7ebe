/*
** test_gait_pig.c -- the Plug-in Gait marker set against Vicon's own
** model outputs (GK_SHARED_DATA/mocap/plugin_gait, MANIFEST.md section 6):
** PiG_Motion3_FF.c3d (walking, 100 Hz) calibrated with
** PiG_Calibration3_FF.c3d.  gaitkeeper's hip, knee, ankle and pelvis
** angles, frame by frame, against the points LHipAnglesV, LKneeAnglesV,
** LAnkleAnglesV, LPelvisAnglesV (and R*), with the axis and sign mapping
** of docs/METRICS.md ("Plug-in Gait"): every compared component (hip, knee,
** ankle flexion; hip and knee frontal and transverse; pelvis) within 3 deg at the foot
** strikes and foot offs; every difference (max and mean over the trial,
** and at the events) is printed.  Also: the set is recognised from the
** labels, the same set with a subject prefix ("flatFoot:LASI") is
** recognised, and a static trial of another body (the legs scaled by
** 0.85) is refused naming the segment.  Skips, saying so, when the
** shared data folder is absent.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "gait/gait3d_internal.h"
#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"
#include "test.h"

#ifndef GK_SHARED_DATA
#define GK_SHARED_DATA "../shared/data"
#endif
#define DIR_PIG GK_SHARED_DATA "/mocap/plugin_gait/"

static gk_capture *load(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", DIR_PIG, name);
  size_t len;
  char *b = test_read_file(path, &len);
  if (!CHECK_TRUE(b != NULL)) return NULL;
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_c3d_read(b, len, 0, &cap, &err);
  free(b);
  if (!CHECK_EQ_INT(st, GK_OK)) return NULL;
  return cap;
}

/* Events of PiG_Motion3_FF (MANIFEST.md): time t s -> index
   round(t * 100) + 1 - 725. */
static const double ev_l[] = {7.85, 8.93, 10.01, 7.43, 8.51, 9.59};
static const double ev_r[] = {7.31, 8.38, 9.46, 7.97, 9.02, 10.14};

typedef struct cmp {
  const char *vicon; /* point label, "L"/"R" prefixed */
  int comp;          /* x 0, y 1, z 2 */
  int col;           /* GK__TR_* (+ side) */
  double sign;       /* vicon = sign * gaitkeeper */
  int asserted;      /* within 3 deg at the events */
} cmp;

static const cmp cmps[] = {
    {"HipAnglesV", 0, GK__TR_HIP_FLEX, 1, 1},
    {"HipAnglesV", 1, GK__TR_HIP_ADD, 1, 1},
    {"HipAnglesV", 2, GK__TR_HIP_ROT, 1, 1},
    {"KneeAnglesV", 0, GK__TR_KNEE_FLEX, 1, 1},
    {"KneeAnglesV", 1, GK__TR_KNEE_ABD, -1, 1},
    {"KneeAnglesV", 2, GK__TR_KNEE_ROT, 1, 1},
    {"AnkleAnglesV", 0, GK__TR_ANKLE_DF, 1, 1},
    {"PelvisAnglesV", 0, GK__TR_PELVIS_TILT, 1, 1},
    {"PelvisAnglesV", 1, GK__TR_PELVIS_OBL, 1, 1},
    {"PelvisAnglesV", 2, GK__TR_PELVIS_ROT, 1, 1},
};

static void test_angles_against_vicon(void) {
  gk_capture *run = load("PiG_Motion3_FF.c3d");
  gk_capture *stc = load("PiG_Calibration3_FF.c3d");
  if (!run || !stc) goto out;
  gk_gait *g = NULL;
  gk_err err;
  gk__gait3d_curves *cv = (gk__gait3d_curves *)calloc(1, sizeof *cv);
  cv->want_trace = 1;
  gk_status st = gk__gait3d_analyse_curves(run, stc, NULL, &g, cv, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    printf("  error: %s\n", err.msg);
    free(cv);
    goto out;
  }
  CHECK_TRUE(strcmp(g->marker_set, "plugin_gait") == 0);
  CHECK_TRUE(strstr(g->marker_set_how, "recognised") != NULL);
  CHECK_TRUE(g->static_trial == 1);
  CHECK_TRUE(cv->trace != NULL && cv->trace_frames == run->n_frames);
  size_t n = run->n_frames;
  for (size_t c = 0; c < sizeof cmps / sizeof cmps[0]; c++)
    for (int s = 0; s < 2; s++) {
      char label[32];
      snprintf(label, sizeof label, "%c%s", s ? 'R' : 'L', cmps[c].vicon);
      long p = gk_capture_find_point(run, label);
      if (!CHECK_TRUE(p >= 0)) continue;
      double maxd = 0, sum = 0, maxev = 0;
      size_t cnt = 0;
      for (size_t f = 0; f < n && cv->trace; f++) {
        double v = gk_capture_point(run, f, (size_t)p)[cmps[c].comp];
        double o = cmps[c].sign * cv->trace[f * GK__TRACE + cmps[c].col + s];
        if (!isfinite(v) || !isfinite(o)) continue;
        double d = fabs(v - o);
        if (d > maxd) maxd = d;
        sum += d;
        cnt++;
      }
      const double *ev = s ? ev_r : ev_l;
      for (int e = 0; e < 6 && cv->trace; e++) {
        long f = lround(ev[e] * 100) + 1 - (long)run->first_frame;
        if (f < 0 || (size_t)f >= n) continue;
        double v = gk_capture_point(run, (size_t)f, (size_t)p)[cmps[c].comp];
        double o = cmps[c].sign *
                   cv->trace[(size_t)f * GK__TRACE + cmps[c].col + s];
        double d = fabs(v - o);
        if (!(d <= maxev)) maxev = d;
      }
      printf("  %-16s %c: max %.2f mean %.2f deg over %zu frames; at the 6 "
             "events max %.2f deg%s\n",
             label, "xyz"[cmps[c].comp], maxd, cnt ? sum / (double)cnt : NAN,
             cnt, maxev, cmps[c].asserted ? " (asserted <= 3)" : "");
      if (cmps[c].asserted) CHECK_TRUE(maxev <= 3.0);
    }
  free(cv->trace);
  free(cv);
  gk_gait_free(g);
out:
  gk_capture_free(run);
  gk_capture_free(stc);
}

static void test_prefix_and_wrong_static(void) {
  gk_capture *run = load("PiG_Motion3_FF.c3d");
  gk_capture *stc = load("PiG_Calibration3_FF.c3d");
  if (!run || !stc) goto out;
  /* subject prefixes on every label of the running trial */
  for (size_t k = 0; k < run->n_points; k++) {
    char buf[96];
    snprintf(buf, sizeof buf, "flatFoot:%s", run->point_labels[k]);
    run->point_labels[k] = gk__capture_label(run, buf, strlen(buf));
  }
  gk_gait *g = NULL;
  gk_err err;
  CHECK_EQ_INT(gk_gait3d_analyse(run, stc, NULL, &g, &err), GK_OK);
  if (g) CHECK_TRUE(strcmp(g->marker_set, "plugin_gait") == 0);
  /* The trial is a walk: said, and no running rule judged on it. */
  if (g && CHECK_EQ_INT(gk_gait_findings(g, &err), GK_OK)) {
    int said = 0;
    for (size_t i = 0; i < g->n_notes; i++)
      if (strstr(g->notes[i], "looks like walking")) {
        said = 1;
        printf("  %s\n", g->notes[i]);
      }
    CHECK_TRUE(said);
    CHECK_EQ_INT((int)g->n_findings, 0);
  }
  gk_gait_free(g);
  g = NULL;
  /* a static trial of a smaller body: every marker scaled by 0.85 about
     the pelvis */
  long ref = gk_capture_find_point(stc, "LASI");
  if (CHECK_TRUE(ref >= 0)) {
    double o[3];
    memcpy(o, gk_capture_point(stc, 0, (size_t)ref), sizeof o);
    for (size_t i = 0; i < stc->n_frames * stc->n_points; i++)
      for (int c = 0; c < 3; c++)
        stc->xyz[i * 3 + c] = o[c] + 0.85 * (stc->xyz[i * 3 + c] - o[c]);
    CHECK_EQ_INT(gk_gait3d_analyse(run, stc, NULL, &g, &err), GK_E_CORRUPT);
    CHECK_TRUE(g == NULL);
    printf("  wrong static: %s\n", err.msg);
    CHECK_TRUE(strstr(err.msg, "another runner or session") != NULL);
  }
out:
  gk_capture_free(run);
  gk_capture_free(stc);
}

int main(void) {
  if (!test_shared_data_present(GK_SHARED_DATA "/mocap/plugin_gait"))
    return 0;
  RUN(test_angles_against_vicon);
  RUN(test_prefix_and_wrong_static);
  return TEST_SUMMARY();
}
