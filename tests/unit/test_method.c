/*
** test_method.c -- plan-level vignettes for the method's rules in data/:
** the osteoarthritis path (a finding that changes the exercises and the
** education, never a red flag), hip and quadriceps strength, foot posture,
** mobility, shoes and surfaces, conditioning beyond running and the
** education items; each at its threshold and one either side.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/plan.h"
#include "test.h"

#define DAY 20000 /* 2024-10-04 */

typedef struct vignette {
  gk_intake intake;
  gk_intake_result ir;
  gk_screen screen;
  gk_screen_result sr;
  gk_plan_input in;
} vignette;

static void vignette_init(vignette *v) {
  memset(v, 0, sizeof *v);
  gk_plan_input_init(&v->in);
  v->in.day = DAY;
}

static int with_intake(vignette *v, const char *json) {
  gk_err e = {0};
  if (gk_intake_parse(json, strlen(json), &v->intake, &e) != GK_OK ||
      gk_intake_assess(&v->intake, &v->ir, &e) != GK_OK) {
    fprintf(stderr, "  intake: %s\n  input: %s\n", e.msg ? e.msg : "?",
            json);
    return 0;
  }
  v->in.intake = &v->intake;
  v->in.intake_result = &v->ir;
  return 1;
}

static int with_screen(vignette *v, const char *json) {
  gk_err e = {0};
  if (gk_screen_parse(json, strlen(json), &v->screen, &e) != GK_OK ||
      gk_screen_assess(&v->screen, &v->sr, &e) != GK_OK) {
    fprintf(stderr, "  screen: %s\n  input: %s\n", e.msg ? e.msg : "?",
            json);
    return 0;
  }
  v->in.screen = &v->screen;
  v->in.findings = v->sr.findings; /* as the plan's callers pass them */
  v->in.n_findings = v->sr.n_findings;
  return 1;
}

static gk_plan *build(const vignette *v) {
  gk_plan *p = NULL;
  gk_err e = {0};
  if (gk_plan_build(&v->in, &p, &e) != GK_OK)
    fprintf(stderr, "  plan: %s\n", e.msg ? e.msg : "?");
  return p;
}

static int has_exercise(const gk_plan *p, const char *id) {
  for (size_t i = 0; i < p->n_exercises; i++)
    if (strcmp(p->exercises[i].id, id) == 0) return 1;
  return 0;
}

static const gk_plan_finding *finding(const gk_plan *p, const char *code) {
  for (size_t i = 0; i < p->n_findings; i++)
    if (strcmp(p->findings[i].f.code, code) == 0) return &p->findings[i];
  return NULL;
}

static int has_education(const gk_plan *p, const char *needle) {
  for (size_t i = 0; i < p->n_education; i++)
    if (strstr(p->education[i], needle) != NULL) return 1;
  return 0;
}

static const char *NO_FLAGS =
    "\"trauma\": false, \"swelling_within_2h\": false, \"locking\": false, "
    "\"giving_way\": false, \"night_pain\": false, \"rest_pain\": false, "
    "\"fever_or_unwell\": false, \"hot_red_swollen\": false, "
    "\"can_bear_weight\": true, \"can_flex_90\": true, "
    "\"bony_tenderness\": false, \"pain_on_hop\": false, "
    "\"hip_or_groin_pain\": false, \"constant_pain\": false";

/* ---- osteoarthritis ----------------------------------------------------- */

static gk_plan *oa_runner(vignette *v, int age) {
  char json[1024];
  vignette_init(v);
  snprintf(json, sizeof json,
           "{\"age\": %d, \"sex\": \"male\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 20, \"worse_with\": [\"stairs_up\", "
           "\"running\"], \"pain_run\": 4, \"pain_daily\": 2}",
           age, NO_FLAGS);
  if (!with_intake(v, json)) return NULL;
  return build(v);
}

/* At 45 with activity pain and 20 minutes of stiffness, knee
   osteoarthritis by NICE's definition: the plan goes on (no referral, no
   red flag), and its exercises are the osteoarthritis ones (quadriceps
   strengthening, hip strength, ankle and hip mobility) with the
   osteoarthritis education.  At 44 the same runner gets none of that. */
static void test_osteoarthritis_changes_the_plan(void) {
  static vignette v;
  gk_plan *p = oa_runner(&v, 45);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 0);
  CHECK_EQ_INT(v.ir.n_red_flags, 0);
  /* stage 1's known gates met (pain 4 running, 2 daily), the rest not
     measured: stage 2 provisionally */
  CHECK_EQ_INT(p->stage, 2);
  CHECK_EQ_INT(p->provisional, 1);
  const gk_plan_finding *f = finding(p, "intake.osteoarthritis");
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->f.severity, GK_SEV_CAUTION);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "osteoarthritis") == 0);
  CHECK_TRUE(has_exercise(p, "seated_knee_extension"));
  CHECK_TRUE(has_exercise(p, "sit_to_stand"));
  CHECK_TRUE(has_exercise(p, "side_lying_hip_abduction"));
  CHECK_TRUE(has_exercise(p, "knee_to_wall_mobilisation"));
  CHECK_TRUE(has_exercise(p, "hip_90_90_switch"));
  CHECK_TRUE(has_education(p, "Knee osteoarthritis"));
  /* every exercise chosen says why: the osteoarthritis among its reasons */
  size_t for_oa = 0;
  for (size_t i = 0; i < p->n_exercises; i++)
    for (size_t k = 0; k < p->exercises[i].n_why; k++)
      if (strcmp(p->exercises[i].why[k], "intake.osteoarthritis") == 0)
        for_oa++;
  CHECK_TRUE(for_oa >= 5);
  gk_plan_free(p);

  p = oa_runner(&v, 44);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 0);
  CHECK_TRUE(finding(p, "intake.osteoarthritis") == NULL);
  CHECK_TRUE(!has_exercise(p, "seated_knee_extension"));
  CHECK_TRUE(!has_education(p, "Knee osteoarthritis"));
  gk_plan_free(p);

  p = oa_runner(&v, 46);
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "intake.osteoarthritis") != NULL);
  CHECK_TRUE(has_education(p, "Knee osteoarthritis"));
  gk_plan_free(p);
}

/* ---- strength ----------------------------------------------------------- */

static int why_has(const gk_plan *p, const char *id, const char *code) {
  for (size_t i = 0; i < p->n_exercises; i++) {
    if (strcmp(p->exercises[i].id, id) != 0) continue;
    for (size_t k = 0; k < p->exercises[i].n_why; k++)
      if (strcmp(p->exercises[i].why[k], code) == 0) return 1;
  }
  return 0;
}

static gk_plan *screened_runner(vignette *v, const char *screen) {
  char json[1024];
  vignette_init(v);
  snprintf(json, sizeof json,
           "{\"age\": 30, \"sex\": \"female\", \"onset\": \"gradual\", "
           "%s, \"morning_stiffness_min\": 0, \"pain_run\": 1, "
           "\"pain_daily\": 0}",
           NO_FLAGS);
  if (!with_intake(v, json) || !with_screen(v, screen)) return NULL;
  return build(v);
}

/* 19 single-leg sit-to-stands on one side (under 20): the quadriceps
   finding and the quadriceps exercises that answer it; 20 on both sides:
   neither.  Hip abductors at 24.9% of body weight on the dynamometer: the
   hip exercises answer it; at 25%: no finding. */
static void test_strength_calls_for_its_exercises(void) {
  static vignette v;
  gk_plan *p = screened_runner(
      &v, "{\"single_leg_sit_to_stand_reps\": {\"left\": 19, \"right\": 20}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "screen.quad_weak") != NULL);
  CHECK_TRUE(why_has(p, "sit_to_stand", "screen.quad_weak"));
  CHECK_TRUE(why_has(p, "seated_knee_extension", "screen.quad_weak"));
  gk_plan_free(p);
  p = screened_runner(
      &v, "{\"single_leg_sit_to_stand_reps\": {\"left\": 20, \"right\": 20}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "screen.quad_weak") == NULL);
  CHECK_TRUE(!has_exercise(p, "seated_knee_extension"));
  gk_plan_free(p);

  p = screened_runner(
      &v, "{\"hip_abduction_pct_bw\": {\"left\": 24.9, \"right\": 25}}");
  ASSERT_TRUE(p != NULL);
  const gk_plan_finding *f = finding(p, "screen.hip_abductor_weak");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "hip_control") == 0);
  CHECK_TRUE(why_has(p, "side_lying_hip_abduction",
                     "screen.hip_abductor_weak"));
  gk_plan_free(p);
  p = screened_runner(
      &v, "{\"hip_abduction_pct_bw\": {\"left\": 25, \"right\": 25}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "screen.hip_abductor_weak") == NULL);
  gk_plan_free(p);
}

/* ---- shoes and surfaces ------------------------------------------------- */

/* Pain going downhill (collected in worse_with): a finding in the shoes
   and surfaces chain, and slow-lowering quadriceps work answers it; the
   same runner with stairs only gets neither. */
static void test_downhill_pain_shapes_the_plan(void) {
  static vignette v;
  char json[1024];
  for (int downhill = 1; downhill >= 0; downhill--) {
    vignette_init(&v);
    snprintf(json, sizeof json,
             "{\"age\": 30, \"sex\": \"female\", \"onset\": \"gradual\", "
             "%s, \"morning_stiffness_min\": 0, \"pain_run\": 2, "
             "\"pain_daily\": 1, \"worse_with\": [\"stairs_down\"%s]}",
             NO_FLAGS, downhill ? ", \"downhill\"" : "");
    ASSERT_TRUE(with_intake(&v, json));
    gk_plan *p = build(&v);
    ASSERT_TRUE(p != NULL);
    const gk_plan_finding *f = finding(p, "intake.downhill_pain");
    CHECK_EQ_INT(f != NULL, downhill);
    if (f)
      CHECK_TRUE(f->chain_id &&
                 strcmp(f->chain_id, "shoes_and_surfaces") == 0);
    CHECK_EQ_INT(why_has(p, "seated_knee_extension", "intake.downhill_pain"),
                 downhill);
    gk_plan_free(p);
  }
}

/* ---- foot posture ------------------------------------------------------- */

/* A pronated foot (Foot Posture Index +6) in the mobility stage gets the
   foot-first work (short foot) for that finding; +5 does not. */
static void test_pronated_foot_gets_foot_work(void) {
  static vignette v;
  gk_plan *p = screened_runner(
      &v, "{\"foot_posture_index\": {\"left\": 6, \"right\": 3}}");
  ASSERT_TRUE(p != NULL);
  const gk_plan_finding *f = finding(p, "screen.foot_pronated");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "foot_posture") == 0);
  CHECK_TRUE(why_has(p, "short_foot", "screen.foot_pronated"));
  gk_plan_free(p);
  p = screened_runner(
      &v, "{\"foot_posture_index\": {\"left\": 5, \"right\": 3}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "screen.foot_pronated") == NULL);
  CHECK_TRUE(!has_exercise(p, "short_foot"));
  gk_plan_free(p);
}

/* ---- mobility ----------------------------------------------------------- */

/* A stiff upper back (44 degrees of seated rotation, under 45) gets the
   upper-body mobility work in the first stages; 45 does not.  A hip that
   turns inward 29 degrees gets the 90/90 hip switches. */
static void test_mobility_before_stability(void) {
  static vignette v;
  gk_plan *p = screened_runner(
      &v, "{\"thoracic_rotation_deg\": {\"left\": 44, \"right\": 50},"
          " \"hip_internal_rotation_deg\": {\"left\": 29, \"right\": 35}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(p->stage <= 2);
  const gk_plan_finding *f = finding(p, "screen.mobility_thoracic_rotation");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "mobility") == 0);
  f = finding(p, "screen.mobility_hip_internal_rotation");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "mobility") == 0);
  CHECK_TRUE(why_has(p, "open_book", "screen.mobility_thoracic_rotation"));
  CHECK_TRUE(why_has(p, "hip_90_90_switch",
                     "screen.mobility_hip_internal_rotation"));
  gk_plan_free(p);
  p = screened_runner(
      &v, "{\"thoracic_rotation_deg\": {\"left\": 45, \"right\": 50}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "screen.mobility_thoracic_rotation") == NULL);
  CHECK_TRUE(!has_exercise(p, "open_book"));
  gk_plan_free(p);
}

/* ---- conditioning and education ---------------------------------------- */

/* A side plank of 29 s (under 30) calls for the developmental positions
   and their education; 30 s does not.  A trunk lean in the single-leg
   squat is explained by the trunk chain (no longer shadowed by the hip
   chain). */
static void test_trunk_control_and_developmental_positions(void) {
  static vignette v;
  gk_plan *p = screened_runner(
      &v, "{\"side_plank_s\": {\"left\": 29, \"right\": 30},"
          " \"single_leg_squat\": {\"left\": {\"trunk_lean\": true}}}");
  ASSERT_TRUE(p != NULL);
  const gk_plan_finding *f = finding(p, "screen.side_plank_low");
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->f.severity, GK_SEV_CAUTION);
  CHECK_TRUE(why_has(p, "dns_supine_90_90", "screen.side_plank_low"));
  CHECK_TRUE(has_education(p, "developmental positions"));
  f = finding(p, "screen.sls_trunk_lean");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "trunk") == 0);
  CHECK_TRUE(has_education(p, "do not replace the exercise"));
  gk_plan_free(p);
  p = screened_runner(&v, "{\"side_plank_s\": {\"left\": 30, \"right\": 30}}");
  ASSERT_TRUE(p != NULL);
  CHECK_TRUE(finding(p, "screen.side_plank_low") == NULL);
  CHECK_TRUE(!has_exercise(p, "dns_supine_90_90"));
  CHECK_TRUE(!has_education(p, "developmental positions"));
  CHECK_TRUE(has_education(p, "do not replace the exercise")); /* everyone */
  CHECK_TRUE(!has_education(p, "Maintenance after the return"));
  gk_plan_free(p);
}

static const char *GOOD_SCREEN =
    "{\"knee_to_wall_cm\": {\"left\": 12, \"right\": 12.5},"
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
    " \"walk_30min_pain\": false}";

/* A runner who passes the stability gates reaches stage 4: conditioning
   beyond running (full-body strength, cross-training) and the
   maintenance education; cross-training is also offered in the pain
   stage. */
static void test_stage4_conditioning_and_maintenance(void) {
  static vignette v;
  gk_plan *p = screened_runner(&v, GOOD_SCREEN);
  ASSERT_TRUE(p != NULL);
  v.in.pain_entries_14d = 3;
  v.in.pain_during_14d_max = 1;
  v.in.pain_morning_14d_max = 0;
  gk_plan_free(p);
  p = build(&v);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 4);
  CHECK_TRUE(has_exercise(p, "cross_training"));
  CHECK_TRUE(has_exercise(p, "romanian_deadlift"));
  CHECK_TRUE(has_exercise(p, "upper_body_strength"));
  CHECK_TRUE(has_education(p, "Maintenance after the return"));
  CHECK_TRUE(has_education(p, "Conditioning is more than running"));
  gk_plan_free(p);

  vignette_init(&v);
  char json[1024];
  snprintf(json, sizeof json,
           "{\"age\": 30, \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 0, \"pain_run\": 6, "
           "\"pain_daily\": 3}",
           NO_FLAGS);
  ASSERT_TRUE(with_intake(&v, json));
  p = build(&v);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 1);
  CHECK_TRUE(has_exercise(p, "cross_training"));
  CHECK_TRUE(!has_education(p, "Maintenance after the return"));
  gk_plan_free(p);
}

int main(void) {
  RUN(test_osteoarthritis_changes_the_plan);
  RUN(test_strength_calls_for_its_exercises);
  RUN(test_downhill_pain_shapes_the_plan);
  RUN(test_pronated_foot_gets_foot_work);
  RUN(test_mobility_before_stability);
  RUN(test_trunk_control_and_developmental_positions);
  RUN(test_stage4_conditioning_and_maintenance);
  return TEST_SUMMARY();
}
