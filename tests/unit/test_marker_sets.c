/*
** test_marker_sets.c -- the built-in marker sets (data/marker_sets) and
** their choice: every set reads with the roles its model needs; a set that
** does not exist is named; labels with a subject prefix are found; a
** capture no set fits names the labels seen and, per set, what is missing.
*/
#include <string.h>

#include "core/capture_internal.h"
#include "gait/gait3d_internal.h"
#include "test.h"

static gk__mset ms;

static gk_capture *labels(const char *const *names, size_t n) {
  gk_capture *cap = gk__capture_new();
  cap->n_points = n;
  cap->n_frames = 1;
  cap->point_labels = (char **)gk__capture_alloc(cap, n * sizeof(char *));
  cap->xyz = gk__capture_nan_array(cap, n * 3);
  for (size_t i = 0; i < n; i++)
    cap->point_labels[i] = gk__capture_label(cap, names[i], strlen(names[i]));
  return cap;
}

static void test_sets_load(void) {
  const char *names[8];
  size_t n = gk__mset_names(names, 8);
  CHECK_EQ_INT((int)n, 3);
  gk_err err;
  for (size_t i = 0; i < n; i++) {
    CHECK_EQ_INT(gk__mset_load(names[i], &ms, &err), GK_OK);
    CHECK_TRUE(strcmp(ms.name, names[i]) == 0);
    CHECK_TRUE(ms.n_markers >= 16);
  }
  CHECK_EQ_INT(gk__mset_load("plugin_gait", &ms, &err), GK_OK);
  CHECK_EQ_INT(ms.model, GK__MODEL_PIG);
  CHECK_EQ_INT(ms.knee, GK__JC_CHORD);
  CHECK_TRUE(ms.role[GK__R_TOE_B] == ms.role[GK__R_TOE_A]);
  CHECK_EQ_INT(gk__mset_load("cluster4", &ms, &err), GK_OK);
  CHECK_TRUE(ms.static_required);
  CHECK_TRUE(ms.cluster[GK__S_FOOT_R][3] >= 0);
  CHECK_EQ_INT(gk__mset_load("helen_hayes", &ms, &err), GK_E_NOT_FOUND);
  CHECK_TRUE(strstr(err.msg, "helen_hayes") != NULL);
}

static void test_choose(void) {
  static const char *const pig[] = {
      "Sub:LASI", "Sub:RASI", "Sub:SACR", "Sub:LTHI", "Sub:LKNE", "Sub:LTIB",
      "Sub:LANK", "Sub:LHEE", "Sub:LTOE", "Sub:RTHI", "Sub:RKNE", "Sub:RTIB",
      "Sub:RANK", "Sub:RHEE", "Sub:RTOE"};
  gk_capture *c = labels(pig, sizeof pig / sizeof pig[0]);
  const char *how = NULL;
  gk_err err;
  CHECK_EQ_INT(gk__mset_choose(c, NULL, &ms, &how, &err), GK_OK);
  CHECK_TRUE(strcmp(ms.name, "plugin_gait") == 0);
  CHECK_TRUE(strcmp(how, "recognised from the labels") == 0);
  CHECK_TRUE(gk__find_marker(c, "LKNE") == 4);
  CHECK_TRUE(gk__find_marker(c, "KNE") == -1);
  CHECK_EQ_INT(gk__mset_choose(c, "rbds", &ms, &how, &err), GK_OK);
  CHECK_TRUE(strcmp(how, "named") == 0);
  gk_capture_free(c);
  static const char *const other[] = {"HEAD", "C7", "T10", "LSHO"};
  c = labels(other, 4);
  CHECK_EQ_INT(gk__mset_choose(c, NULL, &ms, &how, &err), GK_E_NOT_FOUND);
  CHECK_TRUE(strstr(err.msg, "HEAD, C7, T10, LSHO") != NULL);
  CHECK_TRUE(strstr(err.msg, "rbds (missing") != NULL);
  CHECK_TRUE(strstr(err.msg, "plugin_gait (missing 16 of 16: LASI") != NULL);
  CHECK_TRUE(strstr(err.msg, "cluster4 (missing") != NULL);
  gk_capture_free(c);
}

int main(void) {
  RUN(test_sets_load);
  RUN(test_choose);
  return TEST_SUMMARY();
}
