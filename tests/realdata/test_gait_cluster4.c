/*
** test_gait_cluster4.c -- the generic four-marker cluster set (cluster4,
** the Running Injury Clinic's naming) on a real running recording.  No
** recording with that naming is in the shared data, so the RBDS001 3.5 m/s
** treadmill run (GK_SHARED_DATA/mocap/fukuchi_RBDS2017) is relabelled: its
** real technical clusters become pelvis_1..4 (iliac crests, PSIS),
** L_thigh_1..4, L_shank_1..4, L_foot_1..4 (heel top, heel lateral, MT1,
** MT5), and the static trial's anatomical markers L_asis, L_lat_knee,
** L_med_knee, L_lat_ankle, L_med_ankle, L_heel, L_toe (MT2), L_hip (GTR)
** exist only in the static trial; the running trial's ASIS markers keep
** their RBDS labels, which cluster4 does not use.  Checked:
**   - the set is recognised, and the knee flexion peak in stance is
**     30-55 deg on both sides;
**   - the cluster-tracked pelvis (crests and PSIS) gives the same knee and
**     hip metrics as the rbds set, whose pelvis cluster also holds the
**     anatomical ASIS markers of the run (within 1.5 deg);
**   - cadence from the force within 2 steps/min of the cadence from the
**     foot markers alone (the force plate removed);
**   - a shank marker missing for 120 frames is rebuilt from its cluster
**     (the count said, the knee metrics within 0.5 deg);
**   - two thigh markers exchanged for the second half of the run: the
**     thigh cluster is said not to be rigid;
**   - a static trial without its anatomical markers is refused naming one.
** Every difference is printed.  Skips when the shared data are absent.
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
#define DIR_RBDS GK_SHARED_DATA "/mocap/fukuchi_RBDS2017/"

static gk_capture *load(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", DIR_RBDS, name);
  size_t len;
  char *b = test_read_file(path, &len);
  if (!CHECK_TRUE(b != NULL))
    return NULL;
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_c3d_read(b, len, 0, &cap, &err);
  free(b);
  if (!CHECK_EQ_INT(st, GK_OK))
    return NULL;
  return cap;
}

/* new label, RBDS label: the tracked markers (both trials) */
static const char *const tracked[][2] = {{"pelvis_1", "R.Iliac.Crest"},
                                         {"pelvis_2", "L.Iliac.Crest"},
                                         {"pelvis_3", "R.PSIS"},
                                         {"pelvis_4", "L.PSIS"},
#define SIDE(S)                                                                \
  {S "_thigh_1", S ".Thigh.Top.Lateral"},                                      \
      {S "_thigh_2", S ".Thigh.Top.Medial"},                                   \
      {S "_thigh_3", S ".Thigh.Bottom.Lateral"},                               \
      {S "_thigh_4", S ".Thigh.Bottom.Medial"},                                \
      {S "_shank_1", S ".Shank.Top.Lateral"},                                  \
      {S "_shank_2", S ".Shank.Top.Medial"},                                   \
      {S "_shank_3", S ".Shank.Bottom.Lateral"},                               \
      {S "_shank_4", S ".Shank.Bottom.Medial"}, {S "_foot_1", S ".Heel.Top"},  \
      {S "_foot_2", S ".Heel.Lateral"}, {S "_foot_3", S ".MT1"}, {             \
    S "_foot_4", S ".MT5"                                                      \
  }
                                         SIDE("L"),
                                         SIDE("R")};
/* static only */
#define ANAT(S)                                                                \
  {S "_asis", S ".ASIS"}, {S "_psis", S ".PSIS"}, {S "_hip", S ".GTR"},        \
      {S "_lat_knee", S ".Knee"}, {S "_med_knee", S ".Knee.Medial"},           \
      {S "_lat_ankle", S ".Ankle"}, {S "_med_ankle", S ".Ankle.Medial"},       \
      {S "_heel", S ".Heel.Bottom"}, {                                         \
    S "_toe", S ".MT2"                                                         \
  }
static const char *const anatomical[][2] = {ANAT("L"), ANAT("R")};
#define N_TR (sizeof tracked / sizeof tracked[0])
#define N_AN (sizeof anatomical / sizeof anatomical[0])

/* Rename the running trial's cluster markers in place. */
static int relabel_run(gk_capture *run) {
  for (size_t i = 0; i < N_TR; i++) {
    long p = gk_capture_find_point(run, tracked[i][1]);
    if (!CHECK_TRUE(p >= 0))
      return 0;
    run->point_labels[p] =
        gk__capture_label(run, tracked[i][0], strlen(tracked[i][0]));
  }
  return 1;
}

/* A static capture with the cluster4 labels (n_anat anatomical markers
   of the list: 0 leaves them all out). */
static gk_capture *relabel_static(const gk_capture *src, size_t n_anat) {
  gk_capture *cap = gk__capture_new();
  size_t np = N_TR + n_anat;
  cap->kind = GK_CAPTURE_3D;
  cap->frame_rate_hz = src->frame_rate_hz;
  cap->first_frame = 1;
  cap->n_frames = src->n_frames;
  cap->n_points = np;
  cap->point_labels = (char **)gk__capture_alloc(cap, np * sizeof(char *));
  cap->xyz = gk__capture_nan_array(cap, src->n_frames * np * 3);
  cap->residual = gk__capture_nan_array(cap, src->n_frames * np);
  for (size_t i = 0; i < np; i++) {
    const char *const *m = i < N_TR ? tracked[i] : anatomical[i - N_TR];
    cap->point_labels[i] = gk__capture_label(cap, m[0], strlen(m[0]));
    long p = gk_capture_find_point(src, m[1]);
    if (!CHECK_TRUE(p >= 0))
      continue;
    for (size_t f = 0; f < src->n_frames; f++)
      memcpy(cap->xyz + (f * np + i) * 3, gk_capture_point(src, f, (size_t)p),
             3 * sizeof(double));
  }
  return cap;
}

static void test_cluster4(void) {
  gk_capture *run = load("RBDS001runT35.c3d");
  gk_capture *st0 = load("RBDS001static.c3d");
  gk_capture *stc = NULL;
  gk_gait *ref = NULL, *g = NULL, *gm = NULL, *gs = NULL;
  gk_err err;
  if (!run || !st0)
    goto out;
  gk_gait3d_options o = {NAN, NAN, 3.5, NULL, GK_HIP_SET};
  if (!CHECK_EQ_INT(gk_gait3d_analyse(run, st0, &o, &ref, &err), GK_OK))
    goto out;
  if (!relabel_run(run))
    goto out;
  stc = relabel_static(st0, N_AN);
  if (!CHECK_EQ_INT(gk_gait3d_analyse(run, stc, &o, &g, &err), GK_OK)) {
    printf("  error: %s\n", err.msg);
    goto out;
  }
  CHECK_TRUE(strcmp(g->marker_set, "cluster4") == 0);
  CHECK_TRUE(strcmp(ref->marker_set, "rbds") == 0);
  static const gk_gait_metric ms[] = {GK_GM_KNEE_FLEX_PEAK, GK_GM_KNEE_FLEX_IC,
                                      GK_GM_HIP_ADDUCTION,
                                      GK_GM_KNEE_ABDUCTION};
  for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
    const gk_gait_stat *a = &g->stat[ms[i]], *b = &ref->stat[ms[i]];
    printf("  %-34s cluster4 L %.2f R %.2f | rbds L %.2f R %.2f | diff "
           "%.2f %.2f deg\n",
           gk_gait_metric_name(ms[i]), a->left, a->right, b->left, b->right,
           a->left - b->left, a->right - b->right);
    CHECK_TRUE(fabs(a->left - b->left) <= 1.5);
    CHECK_TRUE(fabs(a->right - b->right) <= 1.5);
  }
  double kl = g->stat[GK_GM_KNEE_FLEX_PEAK].left;
  double kr = g->stat[GK_GM_KNEE_FLEX_PEAK].right;
  CHECK_TRUE(kl >= 30 && kl <= 55);
  CHECK_TRUE(kr >= 30 && kr <= 55);
  /* cadence from the foot markers alone */
  size_t plates = run->n_plates;
  run->n_plates = 0;
  CHECK_EQ_INT(gk_gait3d_analyse(run, stc, &o, &gm, &err), GK_OK);
  run->n_plates = plates;
  if (gm) {
    double c1 = g->stat[GK_GM_CADENCE].mean, c2 = gm->stat[GK_GM_CADENCE].mean;
    printf("  cadence: force %.2f, foot markers %.2f steps/min (diff %.2f)\n",
           c1, c2, c1 - c2);
    CHECK_TRUE(gm->events == GK_EVENTS_MARKERS);
    CHECK_TRUE(fabs(c1 - c2) <= 2.0);
  }
  /* A gap: L_shank_3 missing for 120 frames, rebuilt from the three other
     shank markers; the count said and the knee metrics kept. */
  long gap = gk_capture_find_point(run, "L_shank_3");
  if (CHECK_TRUE(gap >= 0) && run->n_frames > 400) {
    enum { GAP_FROM = 250, GAP_N = 120 };
    double *saved = malloc(GAP_N * 3 * sizeof(double));
    gk_gait *gg = NULL;
    if (CHECK_TRUE(saved != NULL)) {
      for (size_t f = 0; f < GAP_N; f++) {
        double *p =
            run->xyz + ((GAP_FROM + f) * run->n_points + (size_t)gap) * 3;
        memcpy(saved + f * 3, p, 3 * sizeof(double));
        p[0] = p[1] = p[2] = NAN;
      }
      CHECK_EQ_INT(gk_gait3d_analyse(run, stc, &o, &gg, &err), GK_OK);
      int said = 0;
      for (size_t i = 0; gg && i < gg->n_notes; i++)
        if (strstr(gg->notes[i], "gaps rebuilt") &&
            strstr(gg->notes[i], "L_shank_3 120")) {
          said = 1;
          printf("  gap: %s\n", gg->notes[i]);
        }
      CHECK_TRUE(said);
      for (size_t i = 0; gg && i < sizeof ms / sizeof ms[0]; i++) {
        double d = gg->stat[ms[i]].left - g->stat[ms[i]].left;
        printf("  with the gap rebuilt: %-34s L %.2f (diff %.3f deg)\n",
               gk_gait_metric_name(ms[i]), gg->stat[ms[i]].left, d);
        CHECK_TRUE(fabs(d) <= 0.5);
      }
      for (size_t f = 0; f < GAP_N; f++)
        memcpy(run->xyz + ((GAP_FROM + f) * run->n_points + (size_t)gap) * 3,
               saved + f * 3, 3 * sizeof(double));
    }
    free(saved);
    gk_gait_free(gg);
  }
  /* L_thigh_1 and L_thigh_4 exchanged for the second half of the run */
  long a = gk_capture_find_point(run, "L_thigh_1");
  long b = gk_capture_find_point(run, "L_thigh_4");
  if (CHECK_TRUE(a >= 0 && b >= 0)) {
    for (size_t f = run->n_frames / 2; f < run->n_frames; f++) {
      double *pa = run->xyz + (f * run->n_points + (size_t)a) * 3;
      double *pb = run->xyz + (f * run->n_points + (size_t)b) * 3;
      for (int c = 0; c < 3; c++) {
        double t = pa[c];
        pa[c] = pb[c];
        pb[c] = t;
      }
    }
    CHECK_EQ_INT(gk_gait3d_analyse(run, stc, &o, &gs, &err), GK_OK);
    int said = 0;
    for (size_t i = 0; gs && i < gs->n_notes; i++)
      if (strstr(gs->notes[i], "left thigh cluster is not rigid")) {
        said = 1;
        printf("  swapped half: %s\n", gs->notes[i]);
      }
    CHECK_TRUE(said);
  }
  /* a static trial without the anatomical markers */
  gk_capture_free(stc);
  stc = relabel_static(st0, 0);
  gk_gait *gx = NULL;
  CHECK_EQ_INT(gk_gait3d_analyse(run, stc, &o, &gx, &err), GK_E_NOT_FOUND);
  printf("  no anatomical markers: %s\n", err.msg);
  CHECK_TRUE(strstr(err.msg, "static trial: marker") != NULL);
  gk_gait_free(gx);
out:
  gk_gait_free(ref);
  gk_gait_free(g);
  gk_gait_free(gm);
  gk_gait_free(gs);
  gk_capture_free(run);
  gk_capture_free(st0);
  gk_capture_free(stc);
}

int main(void) {
  if (!test_shared_data_present(GK_SHARED_DATA "/mocap/fukuchi_RBDS2017"))
    return 0;
  RUN(test_cluster4);
  return TEST_SUMMARY();
}
