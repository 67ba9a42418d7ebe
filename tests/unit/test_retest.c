/*
** test_retest.c -- the plan's re-test reminders (data/retests.json,
** src/clinic/retest.c): each rule at its boundaries (the Kujala score 27
** vs 28 days after the intake; the screen 13 vs 14 days old, 6 vs 7 when a
** gate is close to its target; a gait capture 41 vs 42 days after the
** cadence target, at once when the final target is held, 90 vs 91 days
** after the capture), what is listed with no intake, no screen, no
** capture, none for a refer plan, and the JSON shape.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/plan.h"
#include "test.h"

#define DAY 20000 /* 2024-10-04 */

typedef struct vignette {
  gk_intake intake;
  gk_intake_result ir;
  gk_screen screen;
  gk_plan_input in;
  gk_finding f;
} vignette;

static const char *NO_FLAGS =
    "\"trauma\": false, \"swelling_within_2h\": false, \"locking\": false, "
    "\"giving_way\": false, \"night_pain\": false, \"rest_pain\": false, "
    "\"fever_or_unwell\": false, \"hot_red_swollen\": false, "
    "\"can_bear_weight\": true, \"can_flex_90\": true, "
    "\"bony_tenderness\": false, \"pain_on_hop\": false, "
    "\"hip_or_groin_pain\": false, \"constant_pain\": false";

/* A clean screen but for the knee-to-wall distances (cm). */
static int parse_screen(vignette *v, double ktw_left, double ktw_right) {
  char json[1024];
  snprintf(json, sizeof json,
           "{\"knee_to_wall_cm\": {\"left\": %g, \"right\": %g},"
           " \"deep_squat\": {\"full_depth\": true, \"pain\": false},"
           " \"lunge\": {\"pain\": false},"
           " \"single_leg_squat\": {\"left\": {\"knee_valgus\": false, "
           "\"pelvic_drop\": false, \"trunk_lean\": false, \"pain\": false},"
           " \"right\": {\"knee_valgus\": false, \"pelvic_drop\": false, "
           "\"trunk_lean\": false, \"pain\": false}},"
           " \"single_leg_bridge_reps\": {\"left\": 30, \"right\": 29},"
           " \"calf_raise_reps\": {\"left\": 28, \"right\": 27},"
           " \"side_plank_s\": {\"left\": 60, \"right\": 58},"
           " \"hop_pain\": {\"left\": false, \"right\": false},"
           " \"walk_30min_pain\": false}",
           ktw_left, ktw_right);
  gk_err e;
  memset(&e, 0, sizeof e);
  if (gk_screen_parse(json, strlen(json), &v->screen, &e) != GK_OK) {
    fprintf(stderr, "screen: %s\n", e.msg ? e.msg : "?");
    return 0;
  }
  v->in.screen = &v->screen;
  return 1;
}

static int parse_intake(vignette *v, const char *json) {
  gk_err e;
  memset(&e, 0, sizeof e);
  if (gk_intake_parse(json, strlen(json), &v->intake, &e) != GK_OK ||
      gk_intake_assess(&v->intake, &v->ir, &e) != GK_OK) {
    fprintf(stderr, "intake: %s\n", e.msg ? e.msg : "?");
    return 0;
  }
  v->in.intake = &v->intake;
  v->in.intake_result = &v->ir;
  return 1;
}

/* A runner cleared to run (every gate before running met; stage 4), with
   the intake of DAY-10 scored 70 and the screen of DAY-3. */
static void cleared(vignette *v, double ktw_left, double ktw_right) {
  memset(v, 0, sizeof *v);
  gk_plan_input_init(&v->in);
  v->in.day = DAY;
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 35, \"sex\": \"female\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 0, \"pain_now\": 0, \"pain_run\": 1, "
           "\"pain_daily\": 0}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(v, json));
  ASSERT_TRUE(parse_screen(v, ktw_left, ktw_right));
  v->in.pain_entries_14d = 3;
  v->in.pain_during_14d_max = 1;
  v->in.pain_morning_14d_max = 0;
  v->in.intake_day = DAY - 10;
  v->in.akps = 70;
  v->in.screen_day = DAY - 3;
}

static gk_plan *build(const gk_plan_input *in) {
  gk_plan *p = NULL;
  gk_err e;
  memset(&e, 0, sizeof e);
  if (gk_plan_build(in, &p, &e) != GK_OK)
    fprintf(stderr, "plan: %s\n", e.msg ? e.msg : "?");
  return p;
}

static const gk_plan_retest *retest(const gk_plan *p, const char *test) {
  for (size_t i = 0; i < p->n_retests; i++)
    if (strcmp(p->retests[i].test, test) == 0) return &p->retests[i];
  return NULL;
}

/* ---- tests -------------------------------------------------------------- */

static void test_init(void) {
  gk_plan_input in;
  gk_plan_input_init(&in);
  CHECK_TRUE(in.intake_day == INT64_MIN);
  CHECK_TRUE(in.screen_day == INT64_MIN);
  CHECK_TRUE(in.capture_day == INT64_MIN);
  CHECK_TRUE(isnan(in.akps));
}

static void test_akps(void) {
  vignette v;
  cleared(&v, 12, 12.5);
  v.in.intake_day = DAY - 27;
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  const gk_plan_retest *r = retest(p, "akps");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY + 1);
  CHECK_EQ_INT(r->due_now, 0);
  CHECK_TRUE(strstr(r->why, "70/100") != NULL);
  CHECK_TRUE(r->source && strstr(r->source, "Crossley") != NULL);
  CHECK_TRUE(strstr(r->name, "Kujala") != NULL);
  gk_plan_free(p);
  v.in.intake_day = DAY - 28;
  p = build(&v.in);
  r = retest(p, "akps");
  CHECK_EQ_INT(r->due_day, DAY);
  CHECK_EQ_INT(r->due_now, 1);
  gk_plan_free(p);
  /* An intake without a complete score: due now, said why. */
  v.in.akps = NAN;
  p = build(&v.in);
  r = retest(p, "akps");
  CHECK_EQ_INT(r->due_now, 1);
  CHECK_TRUE(strstr(r->why, "every Kujala question") != NULL);
  gk_plan_free(p);
  /* A score without its day (a caller that does not say): due now. */
  v.in.akps = 70;
  v.in.intake_day = INT64_MIN;
  p = build(&v.in);
  r = retest(p, "akps");
  CHECK_EQ_INT(r->due_now, 1);
  CHECK_TRUE(strstr(r->why, "not known") != NULL);
  gk_plan_free(p);
  v.in.akps = NAN;
  /* No intake at all. */
  v.in.intake = NULL;
  v.in.intake_result = NULL;
  v.in.intake_day = INT64_MIN;
  p = build(&v.in);
  r = retest(p, "akps");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY);
  CHECK_EQ_INT(r->due_now, 1);
  CHECK_TRUE(strstr(r->why, "No intake") != NULL);
  gk_plan_free(p);
}

static void test_screen(void) {
  vignette v;
  /* Every screen gate met (stage 4): no screen to repeat. */
  cleared(&v, 12, 12.5);
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 4);
  CHECK_TRUE(retest(p, "screen") == NULL);
  gk_plan_free(p);

  /* Knee-to-wall 8 cm (target 10, 20% short): stage 2; 14 days. */
  cleared(&v, 8, 8.5);
  v.in.screen_day = DAY - 13;
  p = build(&v.in);
  CHECK_EQ_INT(p->stage, 2);
  const gk_plan_retest *r = retest(p, "screen");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY + 1);
  CHECK_EQ_INT(r->due_now, 0);
  CHECK_TRUE(strstr(r->why, "Knee-to-wall distance") != NULL);
  gk_plan_free(p);
  v.in.screen_day = DAY - 14;
  p = build(&v.in);
  r = retest(p, "screen");
  CHECK_EQ_INT(r->due_day, DAY);
  CHECK_EQ_INT(r->due_now, 1);
  gk_plan_free(p);

  /* 9 cm is within 10% of 10: 7 days; 6 days old is not yet. */
  cleared(&v, 9, 9.5);
  v.in.screen_day = DAY - 6;
  p = build(&v.in);
  r = retest(p, "screen");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY + 1);
  CHECK_EQ_INT(r->due_now, 0);
  CHECK_TRUE(strstr(r->why, "within 10%") != NULL);
  gk_plan_free(p);
  v.in.screen_day = DAY - 7;
  p = build(&v.in);
  r = retest(p, "screen");
  CHECK_EQ_INT(r->due_now, 1);
  gk_plan_free(p);
  /* 8.9 cm is not close: 14 days. */
  cleared(&v, 8.9, 9.2);
  v.in.screen_day = DAY - 7;
  p = build(&v.in);
  r = retest(p, "screen");
  CHECK_EQ_INT(r->due_day, DAY + 7);
  gk_plan_free(p);

  /* No screen: due at once. */
  cleared(&v, 12, 12.5);
  v.in.screen = NULL;
  v.in.screen_day = INT64_MIN;
  p = build(&v.in);
  r = retest(p, "screen");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY);
  CHECK_EQ_INT(r->due_now, 1);
  CHECK_TRUE(strstr(r->why, "No screen") != NULL);
  gk_plan_free(p);
  /* A screen without its day: due now, said so. */
  cleared(&v, 8, 8.5);
  v.in.screen_day = INT64_MIN;
  p = build(&v.in);
  r = retest(p, "screen");
  CHECK_EQ_INT(r->due_now, 1);
  CHECK_TRUE(strstr(r->why, "day of the latest screen is not known") != NULL);
  gk_plan_free(p);
}

static void test_stage_gates_say_where_from(void) {
  vignette v;
  cleared(&v, 12, 12.5);
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  size_t screen = 0;
  for (size_t i = 0; i < p->n_gates; i++) {
    const char *f = p->gates[i].from;
    ASSERT_TRUE(f != NULL);
    CHECK_TRUE(strcmp(f, "screen") == 0 || strcmp(f, "intake") == 0 ||
               strcmp(f, "pain log") == 0 || strcmp(f, "runs") == 0);
    if (strcmp(f, "screen") == 0) screen++;
  }
  /* knee-to-wall (2), deep squat (2), lunge, single-leg squat, hop,
     bridge, calf, strength difference, the 30-minute walk */
  CHECK_EQ_INT(screen, 11);
  gk_plan_free(p);
}

/* A runner retraining cadence: baseline 160 from a capture, overstride. */
static void retraining(vignette *v) {
  cleared(v, 12, 12.5);
  v->in.cadence_baseline_spm = 160;
  v->in.cadence_origin = GK_CADENCE_CAPTURE;
  v->f.code = "gait.overstride";
  v->f.severity = GK_SEV_CAUTION;
  v->f.value = v->f.threshold = NAN;
  v->f.date_from = v->f.date_to = INT64_MIN;
  v->in.findings = &v->f;
  v->in.n_findings = 1;
}

static gk_cadence_hold hold_of(int64_t day, double target, double mean) {
  gk_cadence_hold h;
  memset(&h, 0, sizeof h);
  h.day = day;
  h.target_spm = target;
  h.running_minutes = 30;
  h.mean_spm = mean;
  h.share_within = 0.8;
  h.fade_spm = -1;
  return h;
}

static void test_gait_capture(void) {
  vignette v;
  /* No target, no capture: nothing to repeat. */
  cleared(&v, 12, 12.5);
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(retest(p, "gait_capture") == NULL);
  gk_plan_free(p);
  /* No target; a capture 90 / 91 days old (the old-capture limit). */
  v.in.capture_day = DAY - 90;
  p = build(&v.in);
  const gk_plan_retest *r = retest(p, "gait_capture");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY + 1);
  CHECK_EQ_INT(r->due_now, 0);
  CHECK_TRUE(strstr(r->why, "13 weeks") != NULL);
  gk_plan_free(p);
  v.in.capture_day = DAY - 91;
  p = build(&v.in);
  r = retest(p, "gait_capture");
  CHECK_EQ_INT(r->due_now, 1);
  gk_plan_free(p);

  /* A new target today, no capture: 42 days from today. */
  retraining(&v);
  p = build(&v.in);
  CHECK_NEAR(p->cadence.target_spm, 168, 1e-9);
  r = retest(p, "gait_capture");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY + 42);
  CHECK_EQ_INT(r->due_now, 0);
  gk_plan_free(p);

  /* A target in force since DAY-41 / DAY-42. */
  gk_cadence_target set;
  memset(&set, 0, sizeof set);
  set.day = DAY - 41;
  set.baseline_spm = 160;
  set.target_spm = 168;
  set.speed_mps = NAN;
  snprintf(set.origin, sizeof set.origin, "gait capture");
  v.in.cadence_set = &set;
  p = build(&v.in);
  r = retest(p, "gait_capture");
  CHECK_EQ_INT(r->due_day, DAY + 1);
  CHECK_EQ_INT(r->due_now, 0);
  CHECK_TRUE(strstr(r->why, "6 weeks") != NULL);
  gk_plan_free(p);
  set.day = DAY - 42;
  p = build(&v.in);
  r = retest(p, "gait_capture");
  CHECK_EQ_INT(r->due_now, 1);
  gk_plan_free(p);
  /* A capture after the target was set: 42 days from the capture. */
  v.in.capture_day = DAY - 10;
  p = build(&v.in);
  r = retest(p, "gait_capture");
  CHECK_EQ_INT(r->due_day, DAY + 32);
  CHECK_TRUE(strstr(r->why, "the latest capture") != NULL);
  gk_plan_free(p);

  /* The final target (176) held for 14 days: a capture is due now. */
  set.day = DAY - 14;
  set.target_spm = 176;
  gk_cadence_hold runs[3] = {hold_of(DAY - 9, 176, 176),
                             hold_of(DAY - 6, 176, 176),
                             hold_of(DAY - 3, 176, 176)};
  v.in.cadence_runs = runs;
  v.in.n_cadence_runs = 3;
  p = build(&v.in);
  CHECK_EQ_INT(p->cadence.held, 1);
  CHECK_TRUE(isnan(p->cadence.next_target_spm));
  r = retest(p, "gait_capture");
  ASSERT_TRUE(r != NULL);
  CHECK_EQ_INT(r->due_day, DAY);
  CHECK_EQ_INT(r->due_now, 1);
  CHECK_TRUE(strstr(r->why, "final cadence target") != NULL);
  gk_plan_free(p);
  /* Held but only 13 days: not yet (42 days after the capture). */
  set.day = DAY - 13;
  p = build(&v.in);
  r = retest(p, "gait_capture");
  CHECK_EQ_INT(r->due_now, 0);
  gk_plan_free(p);
  /* The first target (168) held: the next one comes, not a capture. */
  set.day = DAY - 14;
  set.target_spm = 168;
  for (int i = 0; i < 3; i++) runs[i] = hold_of(DAY - 9 + 3 * i, 168, 168);
  p = build(&v.in);
  CHECK_NEAR(p->cadence.next_target_spm, 176, 1e-9);
  r = retest(p, "gait_capture");
  CHECK_EQ_INT(r->due_now, 0);
  gk_plan_free(p);
}

static void test_refer_has_none(void) {
  vignette v;
  memset(&v, 0, sizeof v);
  gk_plan_input_init(&v.in);
  v.in.day = DAY;
  ASSERT_TRUE(parse_intake(
      &v, "{\"age\": 31, \"onset\": \"sudden\", \"trauma\": true, "
          "\"swelling_within_2h\": true, \"can_bear_weight\": true, "
          "\"can_flex_90\": true, \"pain_now\": 6, \"pain_run\": 8, "
          "\"pain_daily\": 6}"));
  v.in.intake_day = DAY - 40;
  v.in.akps = 50;
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, GK_PLAN_STAGE_REFER);
  CHECK_EQ_INT(p->n_retests, 0);
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  ASSERT_TRUE(!b.oom);
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  ASSERT_TRUE(j != NULL);
  const cJSON *rt = cJSON_GetObjectItemCaseSensitive(j, "retests");
  CHECK_TRUE(cJSON_IsArray(rt) && cJSON_GetArraySize(rt) == 0);
  cJSON_Delete(j);
  gk_buf_free(&b);
  gk_plan_free(p);
}

static void test_json(void) {
  vignette v;
  cleared(&v, 8, 8.5);
  v.in.intake_day = DAY - 28;
  v.in.screen_day = DAY - 3;
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  ASSERT_TRUE(!b.oom);
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  ASSERT_TRUE(j != NULL);
  /* The last member. */
  const cJSON *last = j->child;
  while (last && last->next) last = last->next;
  ASSERT_TRUE(last != NULL);
  CHECK_TRUE(strcmp(last->string, "retests") == 0);
  CHECK_EQ_INT(cJSON_GetArraySize(last), 2); /* akps, screen */
  const cJSON *a = cJSON_GetArrayItem(last, 0);
  CHECK_TRUE(strcmp(cJSON_GetObjectItem(a, "test")->valuestring, "akps") == 0);
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(a, "name")));
  CHECK_TRUE(strcmp(cJSON_GetObjectItem(a, "due")->valuestring,
                    "2024-10-04") == 0);
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(a, "due_now")));
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(a, "why")));
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(a, "source")));
  const cJSON *s = cJSON_GetArrayItem(last, 1);
  CHECK_TRUE(strcmp(cJSON_GetObjectItem(s, "test")->valuestring, "screen") ==
             0);
  CHECK_TRUE(strcmp(cJSON_GetObjectItem(s, "due")->valuestring,
                    "2024-10-15") == 0);
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(s, "due_now")));
  cJSON_Delete(j);
  gk_buf_free(&b);
  gk_plan_free(p);
}

int main(void) {
  RUN(test_init);
  RUN(test_akps);
  RUN(test_screen);
  RUN(test_stage_gates_say_where_from);
  RUN(test_gait_capture);
  RUN(test_refer_has_none);
  RUN(test_json);
  return TEST_SUMMARY();
}
