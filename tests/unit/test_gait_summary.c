/*
** test_gait_summary.c -- the analysis result shared by the 3D and 2D
** analyses: metric names, the per-side summary (means, SDs, asymmetry,
** cadence from step times, quality from step counts), refusals and the
** JSON shape.
*/
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/gait.h"
#include "test.h"

static void test_names(void) {
  CHECK_STR(gk_gait_metric_name(GK_GM_CADENCE), "cadence_spm");
  CHECK_STR(gk_gait_metric_name(GK_GM_OVERSTRIDE_LL), "overstride_leg_lengths");
  CHECK_STR(gk_gait_metric_unit(GK_GM_LOADING_RATE), "BW/s");
  CHECK_EQ_INT(gk_gait_metric_find("knee_fppa_peak_stance_deg"), GK_GM_KNEE_FPPA);
  CHECK_EQ_INT(gk_gait_metric_find("nope"), -1);
  CHECK_TRUE(gk_gait_metric_name(GK_GM_COUNT) == NULL);
  /* every name is unique */
  for (int a = 0; a < GK_GM_COUNT; a++)
    for (int b = a + 1; b < GK_GM_COUNT; b++)
      CHECK_TRUE(strcmp(gk_gait_metric_name((gk_gait_metric)a),
                        gk_gait_metric_name((gk_gait_metric)b)) != 0);
}

/* Eight steps alternating left/right: step time 340 ms left, 360 ms right;
   pelvic drop 4, 6 on the left and 2 on the right. */
static gk_gait *sample(unsigned n_steps) {
  gk_gait *g = gk_gait_new(n_steps);
  g->kind = GK_CAPTURE_3D;
  g->view = GK_VIEW_3D;
  g->fps = 150;
  double t = 0;
  for (unsigned i = 0; i < n_steps; i++) {
    gk_gait_step *s = &g->steps[i];
    s->side = i % 2 ? GK_RIGHT : GK_LEFT;
    s->ic_s = t;
    s->v[GK_GM_STEP_TIME] = s->side == GK_LEFT ? 340 : 360;
    s->v[GK_GM_PELVIC_DROP] = s->side == GK_LEFT ? (i % 4 ? 6 : 4) : 2;
    t += s->v[GK_GM_STEP_TIME] / 1000;
    s->next_ic_s = t;
  }
  return g;
}

static void test_summary(void) {
  gk_gait *g = sample(16);
  ASSERT_TRUE(g != NULL);
  gk_gait_summarise(g, 7);
  const gk_gait_stat *st = &g->stat[GK_GM_STEP_TIME];
  CHECK_NEAR(st->left, 340, 1e-12);
  CHECK_NEAR(st->right, 360, 1e-12);
  CHECK_NEAR(st->mean, 350, 1e-12);
  CHECK_EQ_INT(st->n_left, 8);
  CHECK_EQ_INT(st->n_right, 8);
  CHECK_NEAR(st->asymmetry, -20, 1e-12);
  CHECK_NEAR(st->asymmetry_pct, 100.0 * 20 / 350, 1e-9);
  CHECK_EQ_INT(st->quality, GK_QUALITY_GOOD);
  /* cadence agrees with the step times exactly */
  const gk_gait_stat *c = &g->stat[GK_GM_CADENCE];
  CHECK_NEAR(c->mean, 60000.0 / 350, 1e-9);
  CHECK_NEAR(c->left, 60000.0 / 340, 1e-9);
  CHECK_NEAR(c->right, 60000.0 / 360, 1e-9);
  const gk_gait_stat *p = &g->stat[GK_GM_PELVIC_DROP];
  CHECK_NEAR(p->left, 5, 1e-12);
  CHECK_NEAR(p->sd_left, sqrt(8.0 / 7.0), 1e-12); /* four 4s, four 6s */
  CHECK_NEAR(p->right, 2, 1e-12);
  CHECK_NEAR(p->asymmetry, 3, 1e-12);
  CHECK_TRUE(isnan(p->asymmetry_pct)); /* an angle: no percentage */
  /* 20 ms between the sides: over two frames at 150 fps (13 ms), so no
     word on timing; under two frames at 30 fps (67 ms), said */
  CHECK_TRUE(strstr(st->note, "two frames") == NULL);
  /* nothing computed for a metric no step has */
  CHECK_EQ_INT(g->stat[GK_GM_HIP_ADDUCTION].n_left, 0);
  CHECK_EQ_INT(g->stat[GK_GM_HIP_ADDUCTION].quality, GK_QUALITY_NONE);
  gk_gait_free(g);

  g = sample(16);
  g->fps = 30;
  g->events = GK_EVENTS_FORCE; /* timed by the force plate: no word */
  gk_gait_summarise(g, 7);
  CHECK_TRUE(strstr(g->stat[GK_GM_STEP_TIME].note, "two frames") == NULL);
  gk_gait_free(g);
  g = sample(16);
  g->fps = 30;
  g->events = GK_EVENTS_MARKERS;
  gk_gait_summarise(g, 7);
  CHECK_TRUE(strstr(g->stat[GK_GM_STEP_TIME].note,
                    "The left-right difference (20 ms) is under two frames "
                    "(67 ms at 30 fps)") != NULL);
  CHECK_TRUE(strstr(g->stat[GK_GM_CADENCE].note, "(20 ms) is under two "
                    "frames") != NULL);
  CHECK_TRUE(strstr(g->stat[GK_GM_PELVIC_DROP].note, "two frames") == NULL);
  gk_gait_free(g);

  /* too few steps per side: poor */
  g = sample(10);
  gk_gait_summarise(g, 7);
  CHECK_EQ_INT(g->stat[GK_GM_STEP_TIME].quality, GK_QUALITY_POOR);
  gk_gait_free(g);

  /* a quality set by the analysis is never raised */
  g = sample(16);
  g->stat[GK_GM_PELVIC_DROP].quality = GK_QUALITY_FAIR;
  gk_gait_summarise(g, 7);
  CHECK_EQ_INT(g->stat[GK_GM_PELVIC_DROP].quality, GK_QUALITY_FAIR);
  gk_gait_free(g);
}

static void test_json(void) {
  gk_gait *g = sample(16);
  gk_gait_refuse(g, GK_GM_KNEE_FPPA, "a %s measure", "2D");
  g->stat[GK_GM_VERTICAL_OSCILLATION].per_side = 0;
  g->stat[GK_GM_VERTICAL_OSCILLATION].value = 81.5;
  gk_gait_note(g, "gaps filled: %d", 3);
  gk_gait_summarise(g, 7);
  gk_buf b = {0};
  gk_gait_write_json(g, 0, &b);
  gk_buf_putc(&b, '\0');
  ASSERT_TRUE(!b.oom);
  cJSON *j = cJSON_Parse(b.data);
  ASSERT_TRUE(j != NULL);
  CHECK_STR(cJSON_GetObjectItem(j, "kind")->valuestring, "3d");
  const cJSON *ns = cJSON_GetObjectItem(j, "n_steps");
  CHECK_EQ_INT(cJSON_GetObjectItem(ns, "left")->valueint, 8);
  CHECK_EQ_INT(cJSON_GetObjectItem(ns, "right")->valueint, 8);
  const cJSON *sum = cJSON_GetObjectItem(j, "summary");
  const cJSON *cad = cJSON_GetObjectItem(sum, "cadence_spm");
  CHECK_NEAR(cJSON_GetObjectItem(cad, "mean")->valuedouble, 60000.0 / 350,
             1e-9);
  CHECK_STR(cJSON_GetObjectItem(cad, "quality")->valuestring, "good");
  const cJSON *fppa = cJSON_GetObjectItem(sum, "knee_fppa_peak_stance_deg");
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(fppa, "refused")));
  CHECK_STR(cJSON_GetObjectItem(fppa, "note")->valuestring, "a 2D measure");
  const cJSON *vo = cJSON_GetObjectItem(sum, "vertical_oscillation");
  CHECK_NEAR(cJSON_GetObjectItem(vo, "value")->valuedouble, 81.5, 0);
  CHECK_TRUE(cJSON_GetObjectItem(vo, "left") == NULL);
  /* metrics never computed are left out */
  CHECK_TRUE(cJSON_GetObjectItem(sum, "hip_adduction_peak_stance_deg") == NULL);
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "steps")), 16);
  CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "notes"), 0)->valuestring,
            "gaps filled: 3");
  cJSON_Delete(j);
  b.len = 0;
  gk_gait_write_json(g, GK_GAIT_JSON_NO_STEPS, &b);
  gk_buf_putc(&b, '\0');
  j = cJSON_Parse(b.data);
  ASSERT_TRUE(j != NULL);
  CHECK_TRUE(cJSON_GetObjectItem(j, "steps") == NULL);
  cJSON_Delete(j);
  gk_buf_free(&b);
  gk_gait_free(g);
}

/* A left-right difference in a time measured from frames is judged only
   when it is larger than two frames. */
static void test_time_asymmetry_and_frame_rate(void) {
  const double fps[2] = {30, 300};
  for (int k = 0; k < 2; k++) {
    gk_gait *g = sample(16);
    g->kind = GK_CAPTURE_2D;
    g->view = GK_VIEW_LEFT;
    g->fps = fps[k];
    g->events = GK_EVENTS_MARKERS;
    for (size_t i = 0; i < g->n_steps; i++)
      g->steps[i].v[GK_GM_CONTACT_TIME] = g->steps[i].side == GK_LEFT ? 200 : 250;
    gk_gait_summarise(g, 7);
    CHECK_NEAR(g->stat[GK_GM_CONTACT_TIME].asymmetry_pct, 100.0 * 50 / 225,
               1e-9);
    ASSERT_EQ_INT(gk_gait_findings(g, NULL), GK_OK);
    int found = 0, noted = 0;
    for (size_t i = 0; i < g->n_findings; i++)
      if (strcmp(g->findings[i].code, "gait.asymmetry") == 0 &&
          g->findings[i].value > 20)
        found = 1;
    for (size_t i = 0; i < g->n_notes; i++)
      if (strstr(g->notes[i], "contact_time_ms") &&
          strstr(g->notes[i], "two frames"))
        noted = 1;
    /* 50 ms: under two frames at 30 fps (66.7 ms), over them at 300 fps */
    CHECK_EQ_INT(found, k == 1);
    CHECK_EQ_INT(noted, k == 0);
    gk_gait_free(g);
  }
}

int main(void) {
  RUN(test_names);
  RUN(test_summary);
  RUN(test_json);
  RUN(test_time_asymmetry_and_frame_rate);
  return TEST_SUMMARY();
}
