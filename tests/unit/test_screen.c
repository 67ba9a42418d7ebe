/*
** test_screen.c -- the functional screen: nested answers parsed strictly
** (errors name the dotted key), and every rule of data/screen.json firing
** on the right side at its threshold and not just inside it.
*/
#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"
#include "gaitkeeper/clinic.h"
#include "test.h"

static int assess(const char *json, gk_screen_result *r) {
  gk_screen s;
  gk_err err = {0};
  gk_status st = gk_screen_parse(json, strlen(json), &s, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  parse: %s\n  input: %s\n", err.msg ? err.msg : "",
            json);
    return 0;
  }
  if (!CHECK_EQ_INT(gk_screen_assess(&s, r, &err), GK_OK)) {
    fprintf(stderr, "  assess: %s\n", err.msg ? err.msg : "");
    return 0;
  }
  return 1;
}

/* The n-th finding with this code (0-based), or NULL; its side in *side. */
static const gk_finding *find(const gk_screen_result *r, const char *code,
                              int nth, gk_body_side *side) {
  for (size_t i = 0; i < r->n_findings; i++)
    if (strcmp(r->findings[i].code, code) == 0 && nth-- == 0) {
      if (side) *side = r->finding_side[i];
      return &r->findings[i];
    }
  return NULL;
}

static const char *const full_normal =
    "{\"knee_to_wall_cm\": {\"left\": 12, \"right\": 12.5},"
    " \"deep_squat\": {\"full_depth\": true, \"pain\": false},"
    " \"lunge\": {\"pain\": false},"
    " \"single_leg_squat\": {"
    "   \"left\": {\"knee_valgus\": false, \"pelvic_drop\": false,"
    "            \"trunk_lean\": false, \"pain\": false},"
    "   \"right\": {\"knee_valgus\": false, \"pelvic_drop\": false,"
    "             \"trunk_lean\": false, \"pain\": false}},"
    " \"single_leg_bridge_reps\": {\"left\": 30, \"right\": 28},"
    " \"calf_raise_reps\": {\"left\": 30, \"right\": 27},"
    " \"side_plank_s\": {\"left\": 60, \"right\": 55},"
    " \"hop_pain\": {\"left\": false, \"right\": false},"
    " \"walk_30min_pain\": false}";

static void test_parse_nested(void) {
  gk_screen s;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_screen_parse(full_normal, strlen(full_normal), &s, &err),
                GK_OK);
  CHECK_NEAR(s.knee_to_wall_cm[0], 12, 0);
  CHECK_NEAR(s.knee_to_wall_cm[1], 12.5, 0);
  CHECK_EQ_INT(s.deep_squat_full_depth, 1);
  CHECK_EQ_INT(s.single_leg_squat[1].pelvic_drop, 0);
  CHECK_NEAR(s.single_leg_bridge_reps[1], 28, 0);
  CHECK_NEAR(s.side_plank_s[0], 60, 0);
  CHECK_EQ_INT(s.hop_pain[1], 0);
  CHECK_EQ_INT(s.walk_30min_pain, 0);
  /* Partial answers: the rest stays unknown. */
  const char *part = "{\"single_leg_squat\": {\"right\": {\"pain\": true}},"
                     " \"hop_pain\": null}";
  ASSERT_EQ_INT(gk_screen_parse(part, strlen(part), &s, &err), GK_OK);
  CHECK_EQ_INT(s.single_leg_squat[1].pain, 1);
  CHECK_EQ_INT(s.single_leg_squat[1].knee_valgus, -1);
  CHECK_EQ_INT(s.single_leg_squat[0].pain, -1);
  CHECK_TRUE(isnan(s.knee_to_wall_cm[0]));
  CHECK_EQ_INT(s.hop_pain[0], -1);
}

static void test_fields_match_questions(void) {
  for (size_t i = 0; i < gk__screen_field_count; i++)
    if (!CHECK_TRUE(gk__question_find(GK__CF_SCREEN,
                                      gk__screen_fields[i].key) != NULL))
      fprintf(stderr, "  no question for %s\n", gk__screen_fields[i].key);
}

static void expect_error(const char *json, const char *needle) {
  gk_screen s;
  gk_err err = {0};
  gk_status st = gk_screen_parse(json, strlen(json), &s, &err);
  if (!CHECK_TRUE(st != GK_OK)) {
    fprintf(stderr, "  accepted: %s\n", json);
    return;
  }
  if (!CHECK_TRUE(err.msg != NULL && strstr(err.msg, needle) != NULL))
    fprintf(stderr, "  message '%s' does not name '%s'\n",
            err.msg ? err.msg : "(null)", needle);
  CHECK_TRUE(isnan(s.knee_to_wall_cm[0]));
  CHECK_EQ_INT(s.deep_squat_pain, -1);
}

static void test_parse_errors(void) {
  expect_error("{\"knee_to_wall_cm\": {\"left\": 12, \"middle\": 3}}",
               "'middle' in 'knee_to_wall_cm'");
  expect_error("{\"knee_to_wall_cm\": {\"left\": 40}}",
               "'knee_to_wall_cm.left'");
  expect_error("{\"knee_to_wall_cm\": 12}", "'knee_to_wall_cm' must be an "
                                            "object");
  expect_error("{\"single_leg_squat\": {\"left\": {\"knee_valgs\": true}}}",
               "'knee_valgs' in 'single_leg_squat.left'");
  expect_error("{\"single_leg_squat\": {\"left\": {\"pain\": 1}}}",
               "'single_leg_squat.left.pain'");
  expect_error("{\"single_leg_bridge_reps\": {\"left\": 12.5}}",
               "'single_leg_bridge_reps.left'");
  expect_error("{\"calf_raise_reps\": {\"right\": -1}}",
               "'calf_raise_reps.right'");
  expect_error("{\"deep_squat\": {\"pain\": true}, \"deep_squat\": "
               "{\"pain\": false}}",
               "'deep_squat.pain' is given twice");
  expect_error("{\"deep_squat\": {\"full_depth\": true}, \"squat\": 1}",
               "'squat'");
  expect_error("{\"walk_30min_pain\": \"no\"}", "'walk_30min_pain'");
  expect_error("{\"foot_posture_index\": {\"left\": 13}}",
               "'foot_posture_index.left'");
  expect_error("{\"foot_posture_index\": {\"right\": 2.5}}",
               "'foot_posture_index.right'");
  expect_error("{\"hip_abduction_pct_bw\": {\"left\": 101}}",
               "'hip_abduction_pct_bw.left'");
  expect_error("{\"single_leg_sit_to_stand_reps\": {\"right\": 12.5}}",
               "'single_leg_sit_to_stand_reps.right'");
  expect_error("{\"knee_to_wall_cm.left\": 12}", "'knee_to_wall_cm.left'");
}

static void test_normal_screen_has_no_findings(void) {
  gk_screen_result r;
  ASSERT_TRUE(assess(full_normal, &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{}", &r));
  CHECK_EQ_INT(r.n_findings, 0);
}

static void test_dorsiflexion(void) {
  gk_screen_result r;
  gk_body_side side;
  /* 10 cm is not limited; 9.9 is.  Left 10 / right 11.5: 1.5 cm apart,
     not more than 1.5. */
  ASSERT_TRUE(assess("{\"knee_to_wall_cm\": {\"left\": 10, \"right\": 11.5}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"knee_to_wall_cm\": {\"left\": 9.9, \"right\": 11.6}}",
                     &r));
  const gk_finding *f = find(&r, "screen.dorsiflexion_limited", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 9.9, 0);
  CHECK_NEAR(f->threshold, 10, 0);
  CHECK_TRUE(strstr(f->text, "left side") != NULL);
  CHECK_TRUE(strstr(f->text, "9.9 cm") != NULL);
  CHECK_TRUE(find(&r, "screen.dorsiflexion_limited", 1, NULL) == NULL);
  f = find(&r, "screen.dorsiflexion_asymmetry", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT); /* the stiffer side */
  CHECK_NEAR(f->value, 1.7, 1e-9);
  CHECK_NEAR(f->threshold, 1.5, 0);
}

static void test_yes_no_rules(void) {
  gk_screen_result r;
  gk_body_side side;
  ASSERT_TRUE(assess(
      "{\"deep_squat\": {\"full_depth\": false, \"pain\": true},"
      " \"lunge\": {\"pain\": true},"
      " \"single_leg_squat\": {\"right\": {\"knee_valgus\": true,"
      "   \"pelvic_drop\": true, \"trunk_lean\": true, \"pain\": true}},"
      " \"hop_pain\": {\"left\": true}, \"walk_30min_pain\": true}",
      &r));
  CHECK_TRUE(find(&r, "screen.deep_squat_limited", 0, NULL) != NULL);
  CHECK_TRUE(find(&r, "screen.deep_squat_pain", 0, NULL) != NULL);
  CHECK_TRUE(find(&r, "screen.lunge_pain", 0, NULL) != NULL);
  static const char *const sls[] = {"screen.sls_knee_valgus",
                                    "screen.sls_pelvic_drop",
                                    "screen.sls_trunk_lean", "screen.sls_pain"};
  for (int i = 0; i < 4; i++) {
    const gk_finding *f = find(&r, sls[i], 0, &side);
    if (!CHECK_TRUE(f != NULL)) continue;
    CHECK_EQ_INT(side, GK_SIDE_RIGHT);
    CHECK_TRUE(strstr(f->text, "right") != NULL);
    CHECK_TRUE(find(&r, sls[i], 1, NULL) == NULL);
  }
  const gk_finding *f = find(&r, "screen.sls_pelvic_drop", 0, NULL);
  CHECK_TRUE(f && strstr(f->text, "hip abductors") != NULL); /* the chain */
  CHECK_TRUE(f && f->evidence_note != NULL);
  f = find(&r, "screen.hop_pain", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_EQ_INT(f->severity, GK_SEV_WARNING);
  f = find(&r, "screen.walk_pain", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_UNKNOWN);
  for (size_t i = 0; i < r.n_findings; i++) {
    CHECK_TRUE(r.findings[i].source != NULL);
    CHECK_TRUE(r.findings[i].severity != GK_SEV_REFER);
  }
}

static void test_strength_rules(void) {
  gk_screen_result r;
  gk_body_side side;
  /* 25 reps pass, 24 do not; 20 % apart is not more than 20 %. */
  ASSERT_TRUE(assess("{\"single_leg_bridge_reps\": {\"left\": 25, \"right\": "
                     "25}, \"calf_raise_reps\": {\"left\": 28, \"right\": 35},"
                     " \"side_plank_s\": {\"left\": 30, \"right\": 30}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"single_leg_bridge_reps\": {\"left\": 24, \"right\": "
                     "32}, \"calf_raise_reps\": {\"left\": 20, \"right\": 26},"
                     " \"side_plank_s\": {\"left\": 45, \"right\": 29.5}}",
                     &r));
  const gk_finding *f = find(&r, "screen.hip_weak", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 24, 0);
  CHECK_TRUE(find(&r, "screen.hip_weak", 1, NULL) == NULL);
  f = find(&r, "screen.hip_asymmetry", 0, &side); /* 8/32 = 25 % */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 25, 1e-9);
  f = find(&r, "screen.calf_endurance_low", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_TRUE(find(&r, "screen.calf_asymmetry", 0, NULL) !=
             NULL); /* 6/26 = 23 %: fires */
  f = find(&r, "screen.side_plank_low", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
  CHECK_TRUE(find(&r, "screen.side_plank_asymmetry", 0, &side) != NULL);
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
}

/* Hip abductor and quadriceps strength: each threshold exactly (no
   finding), then just past it; the side rules at exactly their percentage
   and just past it. */
static void test_hip_and_quad_strength(void) {
  gk_screen_result r;
  gk_body_side side;
  ASSERT_TRUE(assess("{\"hip_abduction_pct_bw\": {\"left\": 45, \"right\": 50},"
                     " \"side_lying_abduction_reps\": {\"left\": 40, "
                     "\"right\": 50},"
                     " \"knee_extension_pct_bw\": {\"left\": 90, \"right\": "
                     "100},"
                     " \"single_leg_sit_to_stand_reps\": {\"left\": 20, "
                     "\"right\": 25}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"hip_abduction_pct_bw\": {\"left\": 25, \"right\": 25},"
                     " \"side_lying_abduction_reps\": {\"left\": 25, "
                     "\"right\": 25}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"hip_abduction_pct_bw\": {\"left\": 44.9, \"right\": "
                     "24.9},"
                     " \"side_lying_abduction_reps\": {\"left\": 39, "
                     "\"right\": 50},"
                     " \"knee_extension_pct_bw\": {\"left\": 100, \"right\": "
                     "89},"
                     " \"single_leg_sit_to_stand_reps\": {\"left\": 19, "
                     "\"right\": 26}}",
                     &r));
  const gk_finding *f = find(&r, "screen.hip_abductor_weak", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
  CHECK_NEAR(f->value, 24.9, 1e-9);
  CHECK_NEAR(f->threshold, 25, 0);
  CHECK_TRUE(find(&r, "screen.hip_abductor_weak", 1, NULL) == NULL);
  CHECK_TRUE(strstr(f->text, "right") != NULL);
  f = find(&r, "screen.hip_abductor_asymmetry", 0, &side);
  ASSERT_TRUE(f != NULL); /* 20/44.9 = 44.5 % */
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
  f = find(&r, "screen.hip_abductor_reps_asymmetry", 0, &side);
  ASSERT_TRUE(f != NULL); /* 11/50 = 22 % */
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 22, 1e-9);
  CHECK_TRUE(find(&r, "screen.hip_abductor_endurance_low", 0, NULL) == NULL);
  f = find(&r, "screen.quad_asymmetry", 0, &side); /* 11/100 */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
  CHECK_NEAR(f->value, 11, 1e-9);
  f = find(&r, "screen.quad_weak", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 19, 0);
  CHECK_TRUE(find(&r, "screen.quad_weak", 1, NULL) == NULL);
  f = find(&r, "screen.quad_reps_asymmetry", 0, &side); /* 7/26 */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  ASSERT_TRUE(assess("{\"side_lying_abduction_reps\": {\"left\": 24}}", &r));
  CHECK_TRUE(find(&r, "screen.hip_abductor_endurance_low", 0, &side) != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_EQ_INT(r.n_findings, 1); /* one side: no side rule */
}

/* Foot posture: the Foot Posture Index above +5 is pronated (+5 is not,
   +6 is), below -4 supinated (-4 is not, -5 is); a navicular drop above
   10 mm (10 is not, 10.5 is).  The "above" kind is strict as "below". */
static void test_foot_posture(void) {
  gk_screen_result r;
  gk_body_side side;
  ASSERT_TRUE(assess("{\"foot_posture_index\": {\"left\": 5, \"right\": -4},"
                     " \"navicular_drop_mm\": {\"left\": 10, \"right\": 9}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"foot_posture_index\": {\"left\": -5, \"right\": 6},"
                     " \"navicular_drop_mm\": {\"left\": 10.5, \"right\": 4}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 3);
  const gk_finding *f = find(&r, "screen.foot_pronated", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
  CHECK_NEAR(f->value, 6, 0);
  CHECK_TRUE(strstr(f->text, "right") != NULL);
  f = find(&r, "screen.foot_supinated", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_EQ_INT(f->severity, GK_SEV_INFO);
  f = find(&r, "screen.foot_navicular_drop", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 10.5, 0);
  CHECK_NEAR(f->threshold, 10, 0);
  ASSERT_TRUE(assess("{\"foot_posture_index\": {\"left\": 12, \"right\": 12}}",
                     &r));
  CHECK_TRUE(find(&r, "screen.foot_pronated", 1, NULL) != NULL);
}

/* Mobility: thoracic rotation under 45 degrees (45 passes, 44.5 does not),
   hip rotation under 30 (30 passes, 29 does not), hip internal rotation
   more than 10 degrees apart (10 apart does not fire, 11 does), and an arm
   that does not reach overhead (per side). */
static void test_mobility(void) {
  gk_screen_result r;
  gk_body_side side;
  ASSERT_TRUE(assess("{\"thoracic_rotation_deg\": {\"left\": 45, \"right\": 60},"
                     " \"hip_internal_rotation_deg\": {\"left\": 30, "
                     "\"right\": 40},"
                     " \"hip_external_rotation_deg\": {\"left\": 30, "
                     "\"right\": 31},"
                     " \"shoulder_flexion_full\": {\"left\": true, \"right\": "
                     "true}}",
                     &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"thoracic_rotation_deg\": {\"left\": 50, \"right\": "
                     "44.5},"
                     " \"hip_internal_rotation_deg\": {\"left\": 29, "
                     "\"right\": 40},"
                     " \"hip_external_rotation_deg\": {\"left\": 29, "
                     "\"right\": 45},"
                     " \"shoulder_flexion_full\": {\"left\": false, "
                     "\"right\": true}}",
                     &r));
  const gk_finding *f =
      find(&r, "screen.mobility_thoracic_rotation", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_RIGHT);
  CHECK_NEAR(f->value, 44.5, 0);
  f = find(&r, "screen.mobility_hip_internal_rotation", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_TRUE(find(&r, "screen.mobility_hip_external_rotation", 0, &side) !=
             NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  f = find(&r, "screen.mobility_hip_rotation_asymmetry", 0, &side);
  ASSERT_TRUE(f != NULL); /* 11 degrees apart */
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_NEAR(f->value, 11, 0);
  f = find(&r, "screen.mobility_shoulder_flexion", 0, &side);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(side, GK_SIDE_LEFT);
  CHECK_TRUE(find(&r, "screen.mobility_shoulder_flexion", 1, NULL) == NULL);
}

static void test_json(void) {
  gk_screen_result r;
  ASSERT_TRUE(assess("{\"hop_pain\": {\"right\": true}}", &r));
  gk_buf b = {0};
  gk_screen_result_write_json(&r, &b);
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  ASSERT_TRUE(j != NULL);
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(j, "refer")));
  const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(f, "code")),
            "screen.hop_pain");
  CHECK_STR(cJSON_GetStringValue(
                cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sides"), 0)),
            "right");
  cJSON_Delete(j);
  gk_buf_free(&b);
}

/* The most findings the rules can give at once (a per-side rule twice, a
   side or single rule once) fits in the result: a runner failing every
   test on both sides gets findings, not GK_E_LIMIT. */
static void test_worst_case_fits(void) {
  size_t most = 0;
  const cJSON *rule;
  cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(
                               gk__clinic_data(GK__CF_SCREEN), "rules")) {
    const char *kind = gk__clinic_json_string(rule, "kind");
    const char *key = gk__clinic_json_string(rule, "key");
    int per_side = key && strstr(key, "{side}") != NULL &&
                   kind && strncmp(kind, "side_", 5) != 0;
    most += per_side ? 2 : 1;
  }
  CHECK_TRUE(most > 40);
  if (!CHECK_TRUE(most <= GK_CLINIC_FINDINGS_MAX))
    fprintf(stderr, "  the rules can emit %zu findings, room for %d\n", most,
            GK_CLINIC_FINDINGS_MAX);
}

/* The fuzz seed with every new test of the method parses and gives its
   findings. */
static void test_method_seed(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/intake/y_screen_method.json",
           GK_TEST_DATA);
  FILE *fp = fopen(path, "rb");
  ASSERT_TRUE(fp != NULL);
  static char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, fp);
  fclose(fp);
  text[n] = '\0';
  gk_screen_result r;
  ASSERT_TRUE(assess(text, &r));
  static const char *const want[] = {
      "screen.hip_abductor_weak",        "screen.hip_abductor_asymmetry",
      "screen.hip_abductor_endurance_low", "screen.quad_weak",
      "screen.quad_asymmetry",           "screen.foot_pronated",
      "screen.foot_navicular_drop",      "screen.mobility_thoracic_rotation",
      "screen.mobility_hip_internal_rotation",
      "screen.mobility_hip_rotation_asymmetry",
      "screen.mobility_shoulder_flexion", "screen.side_plank_low"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    if (!CHECK_TRUE(find(&r, want[i], 0, NULL) != NULL))
      fprintf(stderr, "  missing %s\n", want[i]);
}

/* Every rule of data/screen.json fires in some test above. */
static void test_every_rule_fires_somewhere(void) {
  static const char *const all =
      "{\"knee_to_wall_cm\": {\"left\": 5, \"right\": 12},"
      " \"deep_squat\": {\"full_depth\": false, \"pain\": true},"
      " \"lunge\": {\"pain\": true},"
      " \"single_leg_squat\": {\"left\": {\"knee_valgus\": true,"
      "   \"pelvic_drop\": true, \"trunk_lean\": true, \"pain\": true}},"
      " \"single_leg_bridge_reps\": {\"left\": 5, \"right\": 20},"
      " \"calf_raise_reps\": {\"left\": 5, \"right\": 20},"
      " \"side_plank_s\": {\"left\": 5, \"right\": 20},"
      " \"hop_pain\": {\"left\": true}, \"walk_30min_pain\": true,"
      " \"hip_abduction_pct_bw\": {\"left\": 10, \"right\": 30},"
      " \"side_lying_abduction_reps\": {\"left\": 5, \"right\": 30},"
      " \"knee_extension_pct_bw\": {\"left\": 40, \"right\": 60},"
      " \"single_leg_sit_to_stand_reps\": {\"left\": 5, \"right\": 25},"
      " \"foot_posture_index\": {\"left\": 8, \"right\": -6},"
      " \"navicular_drop_mm\": {\"left\": 12},"
      " \"thoracic_rotation_deg\": {\"left\": 20},"
      " \"hip_internal_rotation_deg\": {\"left\": 15, \"right\": 40},"
      " \"hip_external_rotation_deg\": {\"left\": 15},"
      " \"shoulder_flexion_full\": {\"left\": false}}";
  gk_screen_result r;
  ASSERT_TRUE(assess(all, &r));
  const cJSON *rule;
  cJSON_ArrayForEach(rule, cJSON_GetObjectItemCaseSensitive(
                               gk__clinic_data(GK__CF_SCREEN), "rules")) {
    const char *code = gk__clinic_json_string(rule, "code");
    if (!CHECK_TRUE(find(&r, code, 0, NULL) != NULL))
      fprintf(stderr, "  never fires: %s\n", code);
  }
}

int main(void) {
  RUN(test_parse_nested);
  RUN(test_fields_match_questions);
  RUN(test_parse_errors);
  RUN(test_normal_screen_has_no_findings);
  RUN(test_dorsiflexion);
  RUN(test_yes_no_rules);
  RUN(test_strength_rules);
  RUN(test_hip_and_quad_strength);
  RUN(test_foot_posture);
  RUN(test_mobility);
  RUN(test_worst_case_fits);
  RUN(test_method_seed);
  RUN(test_json);
  RUN(test_every_rule_fires_somewhere);
  return TEST_SUMMARY();
}
