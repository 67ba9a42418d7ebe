/*
** test_gait2d_radluy.c -- the 2D gait analysis on real OpenPose BODY_25
** output of one runner outdoors (GK_SHARED_DATA/pose/
** openpose_running_radluy; ../shared/data/MANIFEST.md section 4a), rear
** view (back_json, 103 frames) and left side view (side_json, 88 frames,
** runner moving right to left).  The frame rate is not recorded: 30 fps
** is assumed, and there are no reference values, so the numbers are
** printed and checked against plausible ranges for running:
** cadence 140-200 steps/min, contact time 150-350 ms, knee flexion at
** contact 0-40 deg and its stance peak 20-65 deg, trunk lean -5..25 deg,
** pelvic drop 0-15 deg, knee FPPA -20..25 deg.
**
** Rear frames 0-20 hold a partial, low-confidence detection that is not
** the runner (MANIFEST 4a); the analysis must start after it.
*/
#include <math.h>
#include <stdio.h>

#include "gaitkeeper/gait.h"
#include "gaitkeeper/keypoints.h"
#include "test.h"

#ifndef GK_SHARED_DATA
#define GK_SHARED_DATA "../shared/data"
#endif
#define DIR_OP GK_SHARED_DATA "/pose/openpose_running_radluy/"

static gk_gait *analyse_at(const char *dir, gk_capture_view want, double fps) {
  gk_capture *c = NULL;
  gk_err e = {0};
  if (gk_openpose_read_dir(dir, fps, NULL, &c, &e) != GK_OK) {
    fprintf(stderr, "read: %s\n", e.msg);
    return NULL;
  }
  gk_gait2d_options o = {0};
  o.fps = fps;
  o.height_mm = 1800; /* unknown; for the mm figures only */
  gk_gait *g = NULL;
  if (gk_gait2d_analyse(c, &o, &g, &e) != GK_OK)
    fprintf(stderr, "analyse: %s\n", e.msg);
  gk_capture_free(c);
  if (g) {
    printf("  view %s (detected; expected %s), %zu steps\n",
           gk_view_name(g->view), gk_view_name(want), g->n_steps);
    for (int m = 0; m < GK_GM_COUNT; m++) {
      const gk_gait_stat *s = &g->stat[m];
      if (s->refused || s->n_left + s->n_right == 0) continue;
      printf("    %-32s L %7.2f R %7.2f mean %7.2f (n %u/%u) %s, %s\n",
             gk_gait_metric_name((gk_gait_metric)m), s->left, s->right,
             s->mean, s->n_left, s->n_right, s->unit,
             gk_quality_name(s->quality));
    }
    for (size_t i = 0; i < g->n_steps; i++)
      printf("    step %zu %s ic %.3f s to %.3f s\n", i,
             gk_side_name(g->steps[i].side), g->steps[i].ic_s,
             g->steps[i].to_s);
    for (size_t i = 0; i < g->n_notes; i++) printf("    note: %s\n", g->notes[i]);
  }
  return g;
}

static gk_gait *analyse(const char *dir, gk_capture_view want) {
  return analyse_at(dir, want, 30);
}

static void in_range(const gk_gait *g, gk_gait_metric m, double lo, double hi) {
  const gk_gait_stat *s = &g->stat[m];
  if (!CHECK_TRUE(!s->refused && s->n_left + s->n_right > 0)) return;
  if (!CHECK_TRUE(s->mean >= lo && s->mean <= hi))
    fprintf(stderr, "  %s mean %.2f not in %g..%g\n",
            gk_gait_metric_name(m), s->mean, lo, hi);
}

static void test_rear(void) {
  gk_gait *g = analyse(DIR_OP "back_json", GK_VIEW_REAR);
  ASSERT_TRUE(g != NULL);
  CHECK_EQ_INT(g->view, GK_VIEW_REAR);
  /* outdoors, overground (MANIFEST.md): the runner grows 5.6-fold */
  CHECK_EQ_INT(g->surface, GK_SURFACE_OVERGROUND);
  CHECK_TRUE(g->surface_travel > 1.4);
  /* the first step starts after the non-runner detection (frame 20) */
  ASSERT_TRUE(g->n_steps > 0);
  CHECK_TRUE(g->steps[0].ic_s > 20 / 30.0);
  in_range(g, GK_GM_CADENCE, 140, 200);
  in_range(g, GK_GM_CONTACT_TIME, 150, 350);
  in_range(g, GK_GM_PELVIC_DROP, 0, 15);
  in_range(g, GK_GM_KNEE_FPPA, -20, 25);
  in_range(g, GK_GM_HIP_ADDUCTION, -10, 25);
  CHECK_TRUE(g->stat[GK_GM_KNEE_FLEX_IC].refused);
  /* too few steps for reliable 2D values */
  CHECK_EQ_INT(g->stat[GK_GM_PELVIC_DROP].quality, GK_QUALITY_POOR);
  gk_gait_free(g);
}

static void test_side(void) {
  gk_gait *g = analyse(DIR_OP "side_json", GK_VIEW_LEFT);
  ASSERT_TRUE(g != NULL);
  CHECK_EQ_INT(g->view, GK_VIEW_LEFT);
  /* overground: the pelvis crosses 7.9 leg lengths of the image */
  CHECK_EQ_INT(g->surface, GK_SURFACE_OVERGROUND);
  CHECK_TRUE(g->surface_travel > 1.5);
  in_range(g, GK_GM_CADENCE, 140, 200);
  in_range(g, GK_GM_CONTACT_TIME, 150, 350);
  in_range(g, GK_GM_KNEE_FLEX_IC, 0, 40);
  in_range(g, GK_GM_KNEE_FLEX_PEAK, 20, 65);
  in_range(g, GK_GM_TRUNK_LEAN, -5, 25);
  in_range(g, GK_GM_OVERSTRIDE_LL, -0.1, 0.5);
  in_range(g, GK_GM_SHANK_ANGLE_IC, -15, 25);
  in_range(g, GK_GM_FOOT_ANGLE_IC, -25, 35);
  CHECK_TRUE(g->stat[GK_GM_PELVIC_DROP].refused);
  gk_gait_free(g);
}

/* Time that runs slower than real: the same frames read at 12 frames/s
   (2.5 times slow, as a slow-motion clip read at its playback rate) give a
   pelvis bounce far below g; at 30 it is of the order of g (1.9 g). */
static void test_side_time_scale(void) {
  gk_gait *g = analyse(DIR_OP "side_json", GK_VIEW_LEFT);
  ASSERT_TRUE(g != NULL);
  CHECK_TRUE(g->time_scale_ratio > 1 && g->time_scale_ratio < 3);
  for (size_t i = 0; i < g->n_notes; i++)
    CHECK_TRUE(strstr(g->notes[i], "pelvis bounces") == NULL);
  gk_gait_free(g);
  g = analyse_at(DIR_OP "side_json", GK_VIEW_LEFT, 12);
  ASSERT_TRUE(g != NULL);
  CHECK_TRUE(g->time_scale_ratio < 0.5);
  int said = 0;
  for (size_t i = 0; i < g->n_notes; i++)
    if (strstr(g->notes[i], "slower than real") != NULL) said = 1;
  CHECK_TRUE(said);
  CHECK_EQ_INT(g->stat[GK_GM_CADENCE].quality, GK_QUALITY_POOR);
  CHECK_EQ_INT(g->stat[GK_GM_CONTACT_TIME].quality, GK_QUALITY_POOR);
  CHECK_EQ_INT(g->stat[GK_GM_KNEE_FLEX_PEAK].quality != GK_QUALITY_NONE, 1);
  gk_gait_free(g);
}

int main(void) {
  if (!test_shared_data_present(DIR_OP "side_json")) return 0;
  RUN(test_rear);
  RUN(test_side);
  RUN(test_side_time_scale);
  return TEST_SUMMARY();
}
