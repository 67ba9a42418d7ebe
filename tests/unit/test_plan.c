/*
** test_plan.c -- the staged plan: the vignettes (each with its expected
** stage, refer decision and exercises), built from the runner's answers as
** JSON through the intake and screen parsers and from structs; gate
** boundaries; the cadence rules (+5%, at most +10%, never a fixed 180, none
** when cadence is fine); the single-run cap; the JSON shape; the gait
** JSON reader; the walk/run and cadence workouts.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/fit.h"
#include "gaitkeeper/plan.h"
#include "test.h"

#define DAY 20000 /* 2024-10-04 */

/* ---- helpers ------------------------------------------------------------ */

typedef struct vignette {
  gk_intake intake;
  gk_intake_result ir;
  gk_screen screen;
  gk_plan_input in;
} vignette;

static int parse_intake(vignette *v, const char *json) {
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_intake_parse(json, strlen(json), &v->intake, &e);
  if (st != GK_OK) {
    fprintf(stderr, "intake: %s\n", e.msg ? e.msg : "?");
    return 0;
  }
  st = gk_intake_assess(&v->intake, &v->ir, &e);
  if (st != GK_OK) return 0;
  v->in.intake = &v->intake;
  v->in.intake_result = &v->ir;
  return 1;
}

static int parse_screen(vignette *v, const char *json) {
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_screen_parse(json, strlen(json), &v->screen, &e);
  if (st != GK_OK) {
    fprintf(stderr, "screen: %s\n", e.msg ? e.msg : "?");
    return 0;
  }
  v->in.screen = &v->screen;
  return 1;
}

static void vignette_init(vignette *v) {
  memset(v, 0, sizeof *v);
  gk_plan_input_init(&v->in);
  v->in.day = DAY;
}

static int has_exercise(const gk_plan *p, const char *id) {
  for (size_t i = 0; i < p->n_exercises; i++)
    if (strcmp(p->exercises[i].id, id) == 0) return 1;
  return 0;
}

static const gk_plan_gate *gate(const gk_plan *p, const char *name) {
  for (size_t i = 0; i < p->n_gates; i++)
    if (strcmp(p->gates[i].name, name) == 0) return &p->gates[i];
  return NULL;
}

static const gk_plan_finding *finding(const gk_plan *p, const char *code) {
  for (size_t i = 0; i < p->n_findings; i++)
    if (strcmp(p->findings[i].f.code, code) == 0) return &p->findings[i];
  return NULL;
}

static int has_region(const gk_plan *p, const char *const *ids, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (has_exercise(p, ids[i])) return 1;
  return 0;
}

static const char *const HIP[] = {"clamshell", "side_lying_hip_abduction",
                                  "bridge", "single_leg_bridge",
                                  "banded_side_step", "single_leg_balance",
                                  "hip_flexor_stretch"};
static const char *const KNEE[] = {"iso_quad_set", "wall_sit",
                                   "straight_leg_raise", "step_down",
                                   "split_squat", "single_leg_squat",
                                   "goblet_squat", "step_up"};

static gk_plan *build(const gk_plan_input *in) {
  gk_plan *p = NULL;
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_plan_build(in, &p, &e);
  if (st != GK_OK) fprintf(stderr, "plan: %s\n", e.msg ? e.msg : "?");
  return p;
}

static const char *NO_FLAGS =
    "\"trauma\": false, \"swelling_within_2h\": false, \"locking\": false, "
    "\"giving_way\": false, \"night_pain\": false, \"rest_pain\": false, "
    "\"fever_or_unwell\": false, \"hot_red_swollen\": false, "
    "\"can_bear_weight\": true, \"can_flex_90\": true, "
    "\"bony_tenderness\": false, \"pain_on_hop\": false, "
    "\"hip_or_groin_pain\": false, \"constant_pain\": false";

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

/* A runner cleared to run: pain-free intake, a clean screen, a calm pain
   log (every gate before running met). */
static void cleared(vignette *v) {
  vignette_init(v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 35, \"sex\": \"female\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 0, \"pain_now\": 0, \"pain_run\": 1, "
           "\"pain_daily\": 0}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(v, json));
  ASSERT_TRUE(parse_screen(v, GOOD_SCREEN));
  v->in.pain_entries_14d = 3;
  v->in.pain_during_14d_max = 1;
  v->in.pain_morning_14d_max = 0;
}

/* ---- vignettes ---------------------------------------------------------- */

/* Classic patellofemoral pain: a young runner, gradual pain around the
   kneecap on stairs, squatting and sitting, 5/10 running, 3/10 in daily
   life, no red flag.  Stage 1 (pain), no referral, isometric quadriceps
   sets and hip work, walk/run (no run history). */
static void test_vignette_classic_pfp(void) {
  vignette v;
  vignette_init(&v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 24, \"sex\": \"female\", \"side\": \"right\", "
           "\"pain_location\": \"around_kneecap\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 0, "
           "\"worse_with\": [\"stairs_down\", \"squat\", \"sitting\", "
           "\"running\"], \"history\": [\"ankle_sprain\"], "
           "\"pain_now\": 2, \"pain_run\": 5, \"pain_daily\": 3}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(&v, json));
  CHECK_EQ_INT(v.ir.refer, 0);
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 1);
  CHECK_TRUE(strcmp(p->stage_name, "pain") == 0);
  CHECK_EQ_INT(p->refer, 0);
  CHECK_EQ_INT(p->provisional, 0);
  /* the pain rule's limit: 5/10 during running is inside it; daily-life
     pain 3/10 above its ideal of 2 keeps her in stage 1 */
  const gk_plan_gate *g = gate(p, "pain_during_running");
  ASSERT_TRUE(g != NULL);
  CHECK_EQ_INT(g->met, 1);
  CHECK_NEAR(g->value, 5, 1e-9);
  CHECK_NEAR(g->target, 5, 1e-9);
  g = gate(p, "pain_daily_life");
  CHECK_EQ_INT(g->met, 0);
  CHECK_TRUE(has_exercise(p, "iso_quad_set"));
  CHECK_TRUE(has_exercise(p, "clamshell"));
  CHECK_TRUE(has_region(p, HIP, sizeof HIP / sizeof HIP[0]));
  CHECK_TRUE(has_region(p, KNEE, sizeof KNEE / sizeof KNEE[0]));
  CHECK_TRUE(p->n_exercises >= 3 && p->n_exercises <= 8);
  /* Pain 5/10 is inside "never over 5": no pause; but the pain gates before
     running are not met: no running prescription, no cap. */
  CHECK_EQ_INT(p->running.mode, GK_RUN_NOT_YET);
  CHECK_EQ_INT(p->running.phase, 0);
  CHECK_TRUE(isnan(p->running.max_single_run_m));
  CHECK_TRUE(strstr(p->running.text, "No running yet") != NULL);
  CHECK_TRUE(p->running.rest_days_max <= 7);
  /* No screen, no runs: said so. */
  CHECK_TRUE(p->n_unknown >= 3);
  gk_plan_free(p);
}

/* Acute trauma with swelling within two hours (haemarthrosis): refer,
   urgently, no exercises, no running. */
static void test_vignette_trauma_swelling(void) {
  vignette v;
  vignette_init(&v);
  ASSERT_TRUE(parse_intake(
      &v, "{\"age\": 31, \"onset\": \"sudden\", \"trauma\": true, "
          "\"swelling_within_2h\": true, \"can_bear_weight\": true, "
          "\"can_flex_90\": true, \"patellar_tenderness\": false, "
          "\"fibular_head_tenderness\": false, \"pain_now\": 6, "
          "\"pain_run\": 8, \"pain_daily\": 6}"));
  CHECK_EQ_INT(v.ir.refer, 1);
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, GK_PLAN_STAGE_REFER);
  CHECK_EQ_INT(p->refer, 1);
  CHECK_TRUE(p->urgency != NULL && strcmp(p->urgency, "urgent") == 0);
  CHECK_TRUE(p->refer_to != NULL && p->refer_to[0] != '\0');
  CHECK_EQ_INT(p->n_exercises, 0);
  CHECK_EQ_INT(p->running.mode, GK_RUN_STOP);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  const gk_plan_finding *f = finding(p, "intake.haemarthrosis");
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->f.severity, GK_SEV_REFER);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "red_flag") == 0);
  /* Why there are no exercises is said. */
  CHECK_TRUE(p->n_education >= 1);
  gk_plan_free(p);
}

/* A 58-year-old with 45 minutes of morning stiffness: inflammatory
   arthritis must be ruled out first (refer, soon).  With 20 minutes it fits
   osteoarthritis: the plan goes on, the finding explained. */
static void test_vignette_58_morning_stiffness(void) {
  vignette v;
  vignette_init(&v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 58, \"sex\": \"male\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 45, \"worse_with\": [\"stairs_up\", "
           "\"running\"], \"pain_run\": 4, \"pain_daily\": 2}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(&v, json));
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 1);
  CHECK_EQ_INT(p->stage, 0);
  CHECK_TRUE(p->urgency && strcmp(p->urgency, "soon") == 0);
  CHECK_EQ_INT(p->n_exercises, 0);
  CHECK_TRUE(finding(p, "intake.inflammatory") != NULL);
  gk_plan_free(p);

  vignette_init(&v);
  snprintf(json, sizeof json,
           "{\"age\": 58, \"sex\": \"male\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 20, \"worse_with\": [\"stairs_up\", "
           "\"running\"], \"pain_run\": 4, \"pain_daily\": 2}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(&v, json));
  p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 0);
  /* Pain 4/10 running and 2/10 daily are inside the stage-1 gates; the
     morning after and the walk are not known and no mobility gate is
     measured: stage 2 provisionally, if those two stage-1 gates hold. */
  CHECK_EQ_INT(p->stage, 2);
  CHECK_EQ_INT(p->provisional, 1);
  CHECK_EQ_INT(gate(p, "pain_settles_next_morning")->met, -1);
  CHECK_EQ_INT(gate(p, "walk_30min_pain_free")->met, -1);
  CHECK_EQ_INT(p->running.mode, GK_RUN_NOT_YET); /* running waits for them */
  const gk_plan_finding *f = finding(p, "intake.osteoarthritis");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "osteoarthritis") == 0);
  CHECK_TRUE(p->n_exercises > 0);
  gk_plan_free(p);
}

/* A pain-free runner who passes every gate: stage 4, nothing provisional,
   every gate met, conditioning exercises, running continues under the cap,
   no cadence target (cadence typical for the speed). */
static void test_vignette_pain_free_runner(void) {
  static vignette v;
  cleared(&v);
  v.in.load_known = 1;
  v.in.longest_run_30d_m = v.in.longest_run_30d_since_break_m = 8000;
  v.in.cadence_baseline_spm = 172;
  v.in.cadence_speed_mps = 3.0;
  v.in.cadence_origin = GK_CADENCE_RUNS;
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 4);
  CHECK_EQ_INT(p->refer, 0);
  CHECK_EQ_INT(p->provisional, 0);
  for (size_t i = 0; i < p->n_gates; i++) {
    if (p->gates[i].met != 1)
      fprintf(stderr, "gate %s: met %d value %g\n", p->gates[i].name,
              p->gates[i].met, p->gates[i].value);
    CHECK_EQ_INT(p->gates[i].met, 1);
  }
  CHECK_TRUE(p->n_gates >= 15);
  CHECK_TRUE(has_exercise(p, "split_squat"));
  CHECK_TRUE(has_exercise(p, "single_leg_squat"));
  CHECK_TRUE(has_exercise(p, "hop_progression"));
  CHECK_TRUE(has_region(p, HIP, sizeof HIP / sizeof HIP[0]));
  CHECK_EQ_INT(p->running.mode, GK_RUN_CONTINUE_CAPPED);
  CHECK_NEAR(p->running.max_single_run_m, 8800, 1e-6);
  CHECK_EQ_INT(p->cadence.retrain, 0);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  gk_plan_free(p);
}

/* A runner with a load spike and a low cadence for their speed: the spike
   keeps them in stage 4 with its gate not met; a cadence target +5% from
   their own 150 (158), later at most +10% (165); the cap from their
   longest run; cadence drills chosen for the low cadence. */
static void test_vignette_spike_low_cadence(void) {
  vignette v;
  vignette_init(&v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 41, \"sex\": \"male\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 5, \"pain_run\": 2, "
           "\"pain_daily\": 1}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(&v, json));
  ASSERT_TRUE(parse_screen(&v, GOOD_SCREEN));
  gk_finding spike;
  memset(&spike, 0, sizeof spike);
  spike.code = "load.single_run_spike";
  spike.severity = GK_SEV_WARNING;
  spike.value = 14.2;
  spike.threshold = 11.0;
  spike.date_from = spike.date_to = DAY - 2;
  snprintf(spike.text, sizeof spike.text, "A run 42%% longer than before.");
  spike.source = "Frandsen et al. 2025 (BJSM 59:1203-10)";
  v.in.findings = &spike;
  v.in.n_findings = 1;
  v.in.load_known = 1;
  v.in.longest_run_30d_m = v.in.longest_run_30d_since_break_m = 10000;
  v.in.pain_entries_14d = 2;
  v.in.pain_during_14d_max = 2;
  v.in.cadence_baseline_spm = 150;
  v.in.cadence_speed_mps = 3.0;
  v.in.cadence_origin = GK_CADENCE_RUNS;
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 0);
  CHECK_EQ_INT(p->stage, 4);
  const gk_plan_gate *g = gate(p, "no_load_spike");
  ASSERT_TRUE(g != NULL);
  CHECK_EQ_INT(g->met, 0);
  CHECK_NEAR(g->value, 1, 1e-9);
  CHECK_EQ_INT(p->cadence.retrain, 1);
  CHECK_NEAR(p->cadence.baseline_spm, 150, 1e-9);
  CHECK_NEAR(p->cadence.target_spm, 158, 1e-9);
  CHECK_NEAR(p->cadence.later_target_spm, 165, 1e-9);
  CHECK_TRUE(p->cadence.expected_spm > 165 && p->cadence.expected_spm < 175);
  CHECK_TRUE(finding(p, "cadence.low_for_speed") != NULL);
  CHECK_TRUE(has_exercise(p, "cadence_drills"));
  CHECK_EQ_INT(p->running.mode, GK_RUN_CONTINUE_CAPPED);
  CHECK_NEAR(p->running.max_single_run_m, 11000, 1e-6);
  const gk_plan_finding *f = finding(p, "load.single_run_spike");
  ASSERT_TRUE(f != NULL);
  CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "training_load") == 0);
  gk_plan_free(p);
}

/* Night pain with bony tenderness (no injury): a bone stress injury must
   be ruled out: refer, no exercises, no running. */
static void test_vignette_night_pain_bony(void) {
  vignette v;
  vignette_init(&v);
  ASSERT_TRUE(parse_intake(
      &v, "{\"age\": 27, \"sex\": \"female\", \"onset\": \"gradual\", "
          "\"trauma\": false, \"night_pain\": true, \"bony_tenderness\": true, "
          "\"rest_pain\": false, \"pain_run\": 6, \"pain_daily\": 3}"));
  CHECK_EQ_INT(v.ir.refer, 1);
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 0);
  CHECK_EQ_INT(p->refer, 1);
  CHECK_EQ_INT(p->n_exercises, 0);
  CHECK_EQ_INT(p->running.mode, GK_RUN_STOP);
  CHECK_TRUE(finding(p, "intake.bone_stress") != NULL);
  gk_plan_free(p);
}

/* The same classic vignette from structs (no parser): the plan does not
   depend on how the answers arrived. */
static void test_vignette_from_structs(void) {
  gk_intake ik;
  gk_intake_init(&ik);
  ik.age = 22;
  ik.pain_run = 6;
  ik.pain_daily = 4;
  gk_intake_result ir;
  ASSERT_EQ_INT(gk_intake_assess(&ik, &ir, NULL), GK_OK);
  gk_screen sc;
  gk_screen_init(&sc);
  sc.knee_to_wall_cm[0] = 7;
  sc.knee_to_wall_cm[1] = 11;
  sc.single_leg_squat[0].pelvic_drop = 1;
  gk_screen_result sr;
  ASSERT_EQ_INT(gk_screen_assess(&sc, &sr, NULL), GK_OK);
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = DAY;
  in.intake = &ik;
  in.intake_result = &ir;
  in.screen = &sc;
  in.findings = sr.findings;
  in.n_findings = sr.n_findings;
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 1);
  /* Pain 6/10 running: pause (at most 7 days), then walk/run. */
  CHECK_EQ_INT(p->running.mode, GK_RUN_PAUSE_THEN_WALK_RUN);
  CHECK_EQ_INT(p->running.rest_days_max, 7);
  /* one message: the pause with the gates that restart running, not the
     pause's own "then start the walk/run phases" beside "no running yet" */
  CHECK_TRUE(strstr(p->running.text, "over 5/10: stop running for now") !=
             NULL);
  CHECK_TRUE(strstr(p->running.text, "once these are met: Pain during") !=
             NULL);
  CHECK_TRUE(strstr(p->running.text, "No running yet") == NULL);
  CHECK_TRUE(strstr(p->running.text, "then start the walk/run") == NULL);
  /* The dorsiflexion deficit is answered already in stage 1. */
  CHECK_TRUE(has_exercise(p, "knee_to_wall_mobilisation"));
  CHECK_EQ_INT(gate(p, "knee_to_wall_cm")->met, 0);
  CHECK_NEAR(gate(p, "knee_to_wall_cm")->value, 7, 1e-9);
  CHECK_NEAR(gate(p, "knee_to_wall_difference_cm")->value, 4, 1e-9);
  CHECK_EQ_INT(gate(p, "single_leg_squat_control")->met, 0);
  /* Screen findings placed in their chains. */
  const gk_plan_finding *f = finding(p, "screen.dorsiflexion_limited");
  if (f) CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "ankle_mobility") == 0);
  f = finding(p, "screen.sls_pelvic_drop");
  if (f) CHECK_TRUE(f->chain_id && strcmp(f->chain_id, "hip_control") == 0);
  gk_plan_free(p);
}

/* ---- rules -------------------------------------------------------------- */

static void test_empty_input(void) {
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = DAY;
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 0);
  CHECK_EQ_INT(p->stage, 1);
  CHECK_EQ_INT(p->provisional, 1); /* nothing measured: nothing passed */
  CHECK_TRUE(p->n_unknown >= 4);
  for (size_t i = 0; i < p->n_gates; i++) CHECK_EQ_INT(p->gates[i].met, -1);
  CHECK_EQ_INT(p->cadence.retrain, -1);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  gk_plan_free(p);

  /* Bad arguments. */
  gk_plan *q = (gk_plan *)1;
  CHECK_EQ_INT(gk_plan_build(NULL, &q, NULL), GK_E_ARG);
  CHECK_TRUE(q == NULL);
  in.day = GK_DAY_MAX + 1;
  CHECK_EQ_INT(gk_plan_build(&in, &q, NULL), GK_E_ARG);
  in.day = DAY;
  in.n_findings = 3;
  CHECK_EQ_INT(gk_plan_build(&in, &q, NULL), GK_E_ARG);
}

/* A first visit, no pain log, no screen: the intake's morning after the
   last run and its 30-minute walk judge the stage-1 gates; the stage is
   set on what is known, provisional where a gate stays unknown. */
static gk_plan *first_visit(vignette *v, const char *extra,
                            const char *screen) {
  vignette_init(v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 30, \"sex\": \"female\", \"onset\": \"gradual\", %s, "
           "\"pain_run\": 2, \"pain_daily\": 1%s%s}",
           NO_FLAGS, extra[0] ? ", " : "", extra);
  if (!parse_intake(v, json)) return NULL;
  if (screen && !parse_screen(v, screen)) return NULL;
  return build(&v->in);
}

static void test_first_visit(void) {
  static vignette v;
  /* Settled and a painless walk: stage 1 passed; a clean screen passes 2
     and 3; stage 4, not provisional (its run-history gates are unknown but
     they lead out of stage 4, not into it). */
  gk_plan *p = first_visit(
      &v, "\"last_run_settled\": true, \"walk_30min_pain\": false",
      GOOD_SCREEN);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(gate(p, "pain_settles_next_morning")->met, 1);
  CHECK_EQ_INT(gate(p, "walk_30min_pain_free")->met, 1);
  CHECK_EQ_INT(p->stage, 4);
  CHECK_EQ_INT(p->provisional, 0);
  gk_plan_free(p);

  /* Not settled by the next morning: stage 1, not provisional. */
  p = first_visit(
      &v, "\"last_run_settled\": false, \"walk_30min_pain\": false",
      GOOD_SCREEN);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(gate(p, "pain_settles_next_morning")->met, 0);
  CHECK_EQ_INT(p->stage, 1);
  CHECK_EQ_INT(p->provisional, 0);
  gk_plan_free(p);

  /* The morning after unknown: stage 4 provisionally, if it settles; the
     JSON names the condition and how to find it out. */
  p = first_visit(&v, "\"walk_30min_pain\": false", GOOD_SCREEN);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 4);
  CHECK_EQ_INT(p->provisional, 1);
  const gk_plan_gate *g = gate(p, "pain_settles_next_morning");
  CHECK_EQ_INT(g->met, -1);
  CHECK_TRUE(g->how_to_measure && strstr(g->how_to_measure, "pain add"));
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  CHECK_TRUE(b.data && strstr(b.data, "\"provisional_if\":["
                                      "\"pain_settles_next_morning\"]"));
  gk_buf_free(&b);
  /* Running waits for the unknown gate (#17: safety before running). */
  CHECK_TRUE(p->running.mode == GK_RUN_NOT_YET);
  gk_plan_free(p);

  /* The walk: the screen's answer counts over the intake's. */
  static const char *PAINFUL_WALK_SCREEN =
      "{\"walk_30min_pain\": true, \"deep_squat\": {\"full_depth\": true, "
      "\"pain\": false}}";
  p = first_visit(
      &v, "\"last_run_settled\": true, \"walk_30min_pain\": false",
      PAINFUL_WALK_SCREEN);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(gate(p, "walk_30min_pain_free")->met, 0);
  CHECK_EQ_INT(p->stage, 1);
  gk_plan_free(p);
  p = first_visit(&v, "\"last_run_settled\": true, \"walk_30min_pain\": true",
                  NULL);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(gate(p, "walk_30min_pain_free")->met, 0);
  CHECK_EQ_INT(p->stage, 1);
  gk_plan_free(p);

  /* A pain log in the last 14 days overrides the intake's morning after:
     no flags in the log, though the intake said it did not settle. */
  p = first_visit(&v, "\"last_run_settled\": false", GOOD_SCREEN);
  gk_plan_free(p);
  v.in.pain_entries_14d = 2;
  p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(gate(p, "pain_settles_next_morning")->met, 1);
  gk_plan_free(p);

  /* A stage with some gates met and others unknown is passed
     provisionally; a stage with none measured holds the runner there. */
  p = first_visit(&v, "\"last_run_settled\": true, \"walk_30min_pain\": false",
                  "{\"deep_squat\": {\"full_depth\": true, \"pain\": false}}");
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 3); /* stage 2 passed on the squat alone */
  CHECK_EQ_INT(p->provisional, 1);
  CHECK_EQ_INT(gate(p, "knee_to_wall_cm")->met, -1);
  gk_plan_free(p);
}

static int stage1_gate(double pain_run, double pain_daily,
                       const char *name) {
  gk_intake ik;
  gk_intake_init(&ik);
  ik.pain_run = pain_run;
  ik.pain_daily = pain_daily;
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = DAY;
  in.intake = &ik;
  gk_plan *p = build(&in);
  if (p == NULL) return -2;
  const gk_plan_gate *g = gate(p, name);
  int met = g ? g->met : -2;
  gk_plan_free(p);
  return met;
}

static int screen_gate(const gk_screen *sc, const char *name) {
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = DAY;
  in.screen = sc;
  gk_plan *p = build(&in);
  if (p == NULL) return -2;
  const gk_plan_gate *g = gate(p, name);
  int met = g ? g->met : -2;
  gk_plan_free(p);
  return met;
}

static void test_gate_boundaries(void) {
  CHECK_EQ_INT(stage1_gate(5, 0, "pain_during_running"), 1);
  CHECK_EQ_INT(stage1_gate(5.5, 0, "pain_during_running"), 0);
  CHECK_EQ_INT(stage1_gate(NAN, 0, "pain_during_running"), -1);
  CHECK_EQ_INT(stage1_gate(0, 2, "pain_daily_life"), 1);
  CHECK_EQ_INT(stage1_gate(0, 2.5, "pain_daily_life"), 0);

  gk_screen sc;
  gk_screen_init(&sc);
  sc.knee_to_wall_cm[0] = 10;
  sc.knee_to_wall_cm[1] = 11.5;
  CHECK_EQ_INT(screen_gate(&sc, "knee_to_wall_cm"), 1);
  CHECK_EQ_INT(screen_gate(&sc, "knee_to_wall_difference_cm"), 1);
  sc.knee_to_wall_cm[0] = 9.9;
  CHECK_EQ_INT(screen_gate(&sc, "knee_to_wall_cm"), 0);
  CHECK_EQ_INT(screen_gate(&sc, "knee_to_wall_difference_cm"), 0);
  sc.knee_to_wall_cm[1] = NAN; /* one side below target already decides */
  CHECK_EQ_INT(screen_gate(&sc, "knee_to_wall_cm"), 0);
  sc.knee_to_wall_cm[0] = 12; /* one side fine, the other unknown */
  CHECK_EQ_INT(screen_gate(&sc, "knee_to_wall_cm"), -1);

  gk_screen_init(&sc);
  sc.single_leg_bridge_reps[0] = 25;
  sc.single_leg_bridge_reps[1] = 27;
  CHECK_EQ_INT(screen_gate(&sc, "single_leg_bridge_reps"), 1);
  CHECK_EQ_INT(screen_gate(&sc, "strength_side_difference_pct"), 1);
  sc.single_leg_bridge_reps[0] = 24;
  CHECK_EQ_INT(screen_gate(&sc, "single_leg_bridge_reps"), 0);
  /* 24 vs 27: 11.1% > 10% */
  CHECK_EQ_INT(screen_gate(&sc, "strength_side_difference_pct"), 0);

  gk_screen_init(&sc);
  sc.single_leg_squat[1].knee_valgus = 1;
  CHECK_EQ_INT(screen_gate(&sc, "single_leg_squat_control"), 0);
  gk_screen_init(&sc);
  sc.single_leg_squat[0].knee_valgus = 0;
  sc.single_leg_squat[0].pelvic_drop = 0;
  CHECK_EQ_INT(screen_gate(&sc, "single_leg_squat_control"), -1);
  sc.single_leg_squat[1].knee_valgus = 0;
  sc.single_leg_squat[1].pelvic_drop = 0;
  CHECK_EQ_INT(screen_gate(&sc, "single_leg_squat_control"), 1);
}

static vignette cad_v;

static gk_plan *cadence_plan(double base, double speed, const char *code) {
  static gk_finding f;
  memset(&f, 0, sizeof f);
  f.code = code;
  f.severity = GK_SEV_CAUTION;
  f.value = f.threshold = NAN;
  f.date_from = f.date_to = INT64_MIN;
  cleared(&cad_v);
  gk_plan_input *in = &cad_v.in;
  in->cadence_baseline_spm = base;
  in->cadence_speed_mps = speed;
  in->cadence_origin = GK_CADENCE_CAPTURE;
  if (code) {
    in->findings = &f;
    in->n_findings = 1;
  }
  return build(in);
}

/* The closed loop: a target set 21 days ago from a baseline of 160 (168);
   the runs since, each with its mean, share within +/- 3 and fade. */
static gk_cadence_hold hold_of(int64_t day, double mean, double share,
                               double fade) {
  gk_cadence_hold h;
  memset(&h, 0, sizeof h);
  h.day = day;
  h.target_spm = 168;
  h.running_minutes = 30;
  h.mean_spm = mean;
  h.share_within = share;
  h.fade_spm = fade;
  return h;
}

static void test_cadence_loop(void) {
  gk_cadence_target set;
  memset(&set, 0, sizeof set);
  set.day = DAY - 21;
  set.baseline_spm = 160;
  set.target_spm = 168;
  set.speed_mps = NAN;
  snprintf(set.origin, sizeof set.origin, "runs");
  gk_cadence_hold runs[4];
  runs[0] = hold_of(DAY - 9, 167, 0.7, -1);
  runs[1] = hold_of(DAY - 6, 165, 0.6, -2);
  runs[2] = hold_of(DAY - 3, 168, 0.8, -3);
  /* The runs' own cadence (now 167) is not the baseline: the stored 160
     is, and the target stays 168. */
  gk_plan *p = cadence_plan(167, NAN, "gait.overstride");
  gk_plan_free(p);
  gk_plan_input in = cad_v.in;
  in.cadence_set = &set;
  in.cadence_runs = runs;
  in.n_cadence_runs = 3;
  p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_NEAR(p->cadence.baseline_spm, 160, 1e-9);
  CHECK_NEAR(p->cadence.target_spm, 168, 1e-9);
  CHECK_EQ_INT(p->cadence.set_day, DAY - 21);
  CHECK_EQ_INT(p->cadence.runs_since, 3);
  /* at the boundaries: 165 is 3 below, 60% within, fade -3: held, 21 days
     since, no flare: the later target (176) is next */
  CHECK_EQ_INT(p->cadence.held, 1);
  CHECK_NEAR(p->cadence.next_target_spm, 176, 1e-9);
  CHECK_NEAR(p->cadence.share_within, 0.7, 1e-9);
  CHECK_TRUE(strstr(p->cadence.loop, "move to 176") != NULL);
  gk_plan_free(p);
  /* one step past each boundary: not held */
  runs[1].mean_spm = 164.9;
  p = build(&in);
  CHECK_EQ_INT(p->cadence.held, 0);
  CHECK_TRUE(isnan(p->cadence.next_target_spm));
  gk_plan_free(p);
  runs[1].mean_spm = 165;
  runs[0].share_within = runs[1].share_within = runs[2].share_within = 0.59;
  p = build(&in);
  CHECK_EQ_INT(p->cadence.held, 0);
  gk_plan_free(p);
  runs[0].share_within = runs[1].share_within = runs[2].share_within = 0.6;
  runs[2].fade_spm = -7; /* mean fade (-1 -2 -7)/3 = -3.33 */
  p = build(&in);
  CHECK_EQ_INT(p->cadence.held, 0);
  gk_plan_free(p);
  runs[2].fade_spm = -3;
  /* two runs only: not judged yet */
  in.n_cadence_runs = 2;
  p = build(&in);
  CHECK_EQ_INT(p->cadence.held, 0);
  CHECK_TRUE(strstr(p->cadence.loop, "2 of the 3 runs") != NULL);
  gk_plan_free(p);
  in.n_cadence_runs = 3;
  /* held, but 13 days since the target was set: wait (14 needed) */
  set.day = DAY - 13;
  p = build(&in);
  CHECK_EQ_INT(p->cadence.held, 1);
  CHECK_TRUE(isnan(p->cadence.next_target_spm));
  gk_plan_free(p);
  set.day = DAY - 14;
  p = build(&in);
  CHECK_NEAR(p->cadence.next_target_spm, 176, 1e-9);
  gk_plan_free(p);
  /* a pain flare in the last 14 days: the stage-1 gate "pain settles by
     the next morning" is not met, running waits and so does the target */
  static gk_finding two[2];
  two[0] = cad_v.in.findings[0];
  memset(&two[1], 0, sizeof two[1]);
  two[1].code = "pain.over_limit";
  two[1].severity = GK_SEV_CAUTION;
  two[1].value = two[1].threshold = NAN;
  two[1].date_from = two[1].date_to = DAY - 2;
  in.findings = two;
  in.n_findings = 2;
  p = build(&in);
  CHECK_EQ_INT(p->cadence.deferred, 1);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  CHECK_TRUE(isnan(p->cadence.next_target_spm));
  CHECK_TRUE(strstr(p->cadence.reason, "a target was set before") != NULL);
  gk_plan_free(p);
  in.findings = cad_v.in.findings;
  in.n_findings = 1;
  /* at the later target and held: the last step, a new gait capture */
  set.target_spm = 176;
  for (int i = 0; i < 3; i++) runs[i].mean_spm = 176;
  p = build(&in);
  CHECK_NEAR(p->cadence.target_spm, 176, 1e-9);
  CHECK_EQ_INT(p->cadence.held, 1);
  CHECK_TRUE(isnan(p->cadence.next_target_spm));
  CHECK_TRUE(strstr(p->cadence.loop, "gait capture") != NULL);
  gk_plan_free(p);
  /* a stored target above +10% is held to +10% */
  set.target_spm = 190;
  p = build(&in);
  CHECK_NEAR(p->cadence.target_spm, 176, 1e-9);
  gk_plan_free(p);
  /* the finding that called for it is gone (the cadence rose): the
     target stays in force */
  set.target_spm = 168;
  in.findings = NULL;
  in.n_findings = 0;
  p = build(&in);
  CHECK_EQ_INT(p->cadence.retrain, 1);
  CHECK_NEAR(p->cadence.target_spm, 168, 1e-9);
  gk_plan_free(p);
}

static void test_cadence_rules(void) {
  /* +5% from the runner's own baseline, later +10%, never more. */
  for (double b = 140; b <= 200; b += 1) {
    gk_plan *p = cadence_plan(b, NAN, "gait.overstride");
    ASSERT_TRUE(p != NULL);
    CHECK_EQ_INT(p->cadence.retrain, 1);
    CHECK_NEAR(p->cadence.target_spm, round(b * 1.05), 1e-9);
    CHECK_TRUE(p->cadence.later_target_spm <= b * 1.10 + 1e-9);
    CHECK_TRUE(p->cadence.later_target_spm >= p->cadence.target_spm);
    gk_plan_free(p);
  }
  /* Never a fixed 180: 176 goes to 185, 160 to 168. */
  gk_plan *p = cadence_plan(176, NAN, "gait.pelvic_drop");
  CHECK_NEAR(p->cadence.target_spm, 185, 1e-9);
  CHECK_NEAR(p->cadence.later_target_spm, 193, 1e-9);
  gk_plan_free(p);
  p = cadence_plan(160, NAN, "gait.low_cadence");
  CHECK_NEAR(p->cadence.target_spm, 168, 1e-9);
  CHECK_NEAR(p->cadence.later_target_spm, 176, 1e-9);
  CHECK_TRUE(strcmp(p->cadence.origin, "gait capture") == 0);
  gk_plan_free(p);
  /* None when cadence is fine: typical for the speed, no finding. */
  p = cadence_plan(172, 3.16, NULL);
  CHECK_EQ_INT(p->cadence.retrain, 0);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  CHECK_TRUE(isnan(p->cadence.later_target_spm));
  gk_plan_free(p);
  /* Low for the speed without any finding: 160 at 3.83 m/s (typical
     178; 5% margin: 169.1). */
  p = cadence_plan(160, 3.83, NULL);
  CHECK_EQ_INT(p->cadence.retrain, 1);
  CHECK_NEAR(p->cadence.expected_spm, 178, 1e-9);
  CHECK_NEAR(p->cadence.target_spm, 168, 1e-9);
  gk_plan_free(p);
  /* Just inside the margin: 170 at 3.83 m/s is fine. */
  p = cadence_plan(170, 3.83, NULL);
  CHECK_EQ_INT(p->cadence.retrain, 0);
  gk_plan_free(p);
  /* A finding that does not call for cadence work: none. */
  p = cadence_plan(172, 3.16, "load.monotony");
  CHECK_EQ_INT(p->cadence.retrain, 0);
  gk_plan_free(p);
  /* Called for but no baseline: no invented number. */
  p = cadence_plan(NAN, NAN, "gait.overstride");
  CHECK_EQ_INT(p->cadence.retrain, 1);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  gk_plan_free(p);
}

static void test_run_cap(void) {
  static vignette v;
  cleared(&v);
  gk_plan_input in = v.in;
  in.load_known = 1;
  in.longest_run_30d_m = in.longest_run_30d_since_break_m = 10000;
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_NEAR(p->running.max_single_run_m, 11000, 1e-6);
  CHECK_NEAR(p->running.cap_factor, 1.1, 1e-12);
  CHECK_EQ_INT(p->running.mode, GK_RUN_CONTINUE_CAPPED);
  gk_plan_free(p);
  /* 2.5 km: walk/run, entered at phase 3 (2.4 km); no cap number, the
     phases say how far. */
  in.longest_run_30d_m = in.longest_run_30d_since_break_m = 2500;
  p = build(&in);
  CHECK_EQ_INT(p->running.mode, GK_RUN_WALK_RUN);
  CHECK_EQ_INT(p->running.phase, 3);
  CHECK_TRUE(isnan(p->running.max_single_run_m));
  gk_plan_free(p);
  /* A 20 km run from before a break does not count: only the 2.5 km
     since. */
  in.longest_run_30d_m = 20000;
  p = build(&in);
  CHECK_EQ_INT(p->running.mode, GK_RUN_WALK_RUN);
  CHECK_EQ_INT(p->running.phase, 3);
  CHECK_TRUE(isnan(p->running.max_single_run_m));
  gk_plan_free(p);
  /* No run in 30 days: phase 1, no cap number. */
  in.longest_run_30d_since_break_m = NAN;
  in.longest_run_30d_m = NAN;
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 1);
  CHECK_TRUE(isnan(p->running.max_single_run_m));
  CHECK_EQ_INT(gate(p, "continuous_run_m")->met, 0);
  gk_plan_free(p);
}

/* Walk/run over weeks: each phase twice (a run covering 90% of its
   distance, no flare logged that day) moves one phase up; a flare steps one
   back.  Phases 1.6, 2.4, 2.4, 3.2 ... km (data/running.json). */
static gk_load_run run_on_day(int64_t day, double m) {
  gk_load_run r;
  memset(&r, 0, sizeof r);
  r.start_time = day * 86400 + 8 * 3600;
  r.distance_m = m;
  r.duration_s = m / 2.2;
  r.avg_cadence_spm = NAN;
  r.avg_speed_mps = 2.2;
  return r;
}

static gk_pain_entry pain_on_day(int64_t day, int during, int morning) {
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.id = day;
  e.day = day;
  e.during = during;
  e.after = -1;
  e.morning = morning;
  e.onset_km = NAN;
  return e;
}

static void test_walk_run_progression(void) {
  static vignette v;
  cleared(&v);
  gk_plan_input in = v.in;
  in.load_known = 1;
  in.longest_run_30d_m = in.longest_run_30d_since_break_m = 2000;
  gk_load_run runs[8];
  gk_pain_entry pain[4];
  /* Two runs of exactly 90% of phase 1 (1440 m): phase 2. */
  runs[0] = run_on_day(DAY - 6, 1440);
  runs[1] = run_on_day(DAY - 4, 1440);
  in.runs = runs;
  in.n_runs = 2;
  in.last_run_day = DAY - 4;
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->running.mode, GK_RUN_WALK_RUN);
  CHECK_EQ_INT(p->running.phase, 2);
  CHECK_EQ_INT(p->running.phase_change, 1);
  CHECK_EQ_INT(p->running.phase_runs_done, 0);
  CHECK_TRUE(p->running.phase_rule != NULL);
  gk_plan_free(p);
  /* One metre short on the second: still phase 1, one run done. */
  runs[1] = run_on_day(DAY - 4, 1439);
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 1);
  CHECK_EQ_INT(p->running.phase_runs_done, 1);
  gk_plan_free(p);
  /* Two runs, but the second with pain 6/10 during (a flare): it does not
     count; pain 5/10 is inside the limit and does. */
  runs[1] = run_on_day(DAY - 4, 1440);
  pain[0] = pain_on_day(DAY - 4, 6, -1);
  in.pain = pain;
  in.n_pain = 1;
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 1);
  CHECK_EQ_INT(p->running.phase_runs_done, 0);
  gk_plan_free(p);
  pain[0] = pain_on_day(DAY - 4, 5, -1);
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 2);
  gk_plan_free(p);
  /* Phase 2 reached, then a morning worse than the morning before: back
     to phase 1, said as a step back. */
  pain[0] = pain_on_day(DAY - 5, -1, 1);
  pain[1] = pain_on_day(DAY - 2, -1, 2);
  in.n_pain = 2;
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 1);
  CHECK_EQ_INT(p->running.phase_change, -1);
  gk_plan_free(p);
  /* Four runs covering phase 2's 2.4 km reach phase 3; a flare after
     steps back to 2. */
  for (int i = 0; i < 4; i++) runs[i] = run_on_day(DAY - 12 + 2 * i, 2400);
  in.n_runs = 4;
  in.n_pain = 0;
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 3);
  gk_plan_free(p);
  pain[0] = pain_on_day(DAY - 1, 7, -1);
  in.n_pain = 1;
  p = build(&in);
  CHECK_EQ_INT(p->running.phase, 2);
  CHECK_EQ_INT(p->running.phase_change, -1);
  CHECK_TRUE(strstr(p->running.text, "stepped back") != NULL);
  gk_plan_free(p);
  /* Runs before the latest break do not count. */
  in.n_pain = 0;
  in.break_from = DAY - 9;
  in.break_to = DAY - 7;
  p = build(&in);
  /* runs on DAY-12, -10, -8, -6: only the one on DAY-6 is after it */
  CHECK_EQ_INT(p->running.phase, 1);
  CHECK_EQ_INT(p->running.phase_runs_done, 1);
  gk_plan_free(p);
}

/* A rest going on is flagged from day 5 (two days before the 7-day limit),
   and as over the limit after day 7. */
static void test_rest_alert(void) {
  static vignette v;
  cleared(&v);
  gk_plan_input in = v.in;
  in.load_known = 1;
  in.longest_run_30d_m = in.longest_run_30d_since_break_m = 2000;
  in.last_run_day = DAY - 4;
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->running.days_without_running, 4);
  CHECK_TRUE(p->running.rest_alert == NULL);
  gk_plan_free(p);
  in.last_run_day = DAY - 5;
  p = build(&in);
  CHECK_EQ_INT(p->running.days_without_running, 5);
  CHECK_TRUE(p->running.rest_alert &&
             strncmp(p->running.rest_alert, "Day 5 without running", 21) == 0);
  CHECK_TRUE(strstr(p->running.rest_alert, "phase 1") != NULL); /* running */
  gk_plan_free(p);
  in.last_run_day = DAY - 7;
  p = build(&in);
  CHECK_TRUE(p->running.rest_alert &&
             strstr(p->running.rest_alert, "longer than") == NULL);
  gk_plan_free(p);
  in.last_run_day = DAY - 8;
  p = build(&in);
  CHECK_TRUE(p->running.rest_alert &&
             strstr(p->running.rest_alert, "longer than the 7 days") != NULL);
  gk_plan_free(p);
  /* Not yet running (the deep squat hurts): the pause wording. */
  in.last_run_day = DAY - 6;
  gk_screen sc = v.screen;
  sc.deep_squat_pain = 1;
  in.screen = &sc;
  p = build(&in);
  CHECK_EQ_INT(p->running.mode, GK_RUN_NOT_YET);
  CHECK_TRUE(p->running.rest_alert &&
             strstr(p->running.rest_alert, "physiotherapist") != NULL);
  gk_plan_free(p);
  /* No run ever: nothing to count from. */
  in.last_run_day = INT64_MIN;
  p = build(&in);
  CHECK_EQ_INT(p->running.days_without_running, -1);
  CHECK_TRUE(p->running.rest_alert == NULL);
  gk_plan_free(p);
}

static void test_from_load(void) {
  gk_load_run runs[6];
  for (int i = 0; i < 6; i++) {
    runs[i].id = i + 1;
    runs[i].start_time = (int64_t)(DAY - 20 + 3 * i) * 86400 + 7 * 3600;
    runs[i].distance_m = 5000 + 500 * i;
    runs[i].duration_s = runs[i].distance_m / (2.6 + 0.15 * i);
    runs[i].avg_speed_mps = 2.6 + 0.15 * i;
    runs[i].avg_cadence_spm = 160 + 3 * i;
  }
  gk_pain_entry pain[2];
  memset(pain, 0, sizeof pain);
  pain[0].day = DAY - 3;
  pain[0].during = 4;
  pain[0].after = 3;
  pain[0].morning = 2;
  pain[0].onset_km = NAN;
  pain[1].day = DAY - 40; /* too old */
  pain[1].during = 9;
  pain[1].after = pain[1].morning = -1;
  pain[1].onset_km = NAN;
  gk_load_report r;
  /* A report without a reference speed (none known) falls back to the
     mean cadence at the mean speed. */
  ASSERT_EQ_INT(gk_load_analyze(runs, 6, pain, 2, DAY, &r), GK_OK);
  if (!(r.cadence.ref_speed_mps > 0)) {
    gk_plan_input in0;
    gk_plan_input_init(&in0);
    gk_plan_input_from_load(&in0, &r, pain, 2);
    CHECK_NEAR(in0.cadence_baseline_spm, 167.5, 1e-9);
    CHECK_NEAR(in0.cadence_speed_mps, 2.975, 1e-9);
  }
  gk_load_report_free(&r);
  ASSERT_EQ_INT(gk_load_analyze(runs, 6, pain, 2, DAY, &r), GK_OK);
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = DAY;
  gk_plan_input_from_load(&in, &r, pain, 2);
  CHECK_EQ_INT(in.load_known, 1);
  CHECK_NEAR(in.longest_run_30d_m, 7500, 1e-9);
  CHECK_EQ_INT(in.pain_entries_14d, 1);
  CHECK_NEAR(in.pain_during_14d_max, 4, 1e-9);
  CHECK_NEAR(in.pain_morning_14d_max, 2, 1e-9);
  CHECK_EQ_INT(in.cadence_origin, GK_CADENCE_RUNS);
  /* The line through (2.6+0.15i, 160+3i) gives 20 spm per m/s: at 3.0 m/s
     160 + 20*0.4 = 168. */
  CHECK_NEAR(in.cadence_baseline_spm, 168, 1e-6);
  CHECK_NEAR(in.cadence_speed_mps, 3.0, 1e-12);
  /* The pain log's 4/10 is what the gate sees. */
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_NEAR(gate(p, "pain_during_running")->value, 4, 1e-9);
  gk_plan_free(p);
  gk_load_report_free(&r);
}

/* ---- JSON --------------------------------------------------------------- */

static void test_json_shape(void) {
  vignette v;
  vignette_init(&v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 24, \"onset\": \"gradual\", %s, "
           "\"pain_run\": 5, \"pain_daily\": 3}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(&v, json));
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  ASSERT_TRUE(!b.oom && b.len > 0);
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  ASSERT_TRUE(j != NULL);
  static const char *const order[] = {"stage",    "stage_name", "gates",
                                      "exercises", "running",   "cadence",
                                      "refer",    "findings"};
  const cJSON *c = j->child;
  for (size_t i = 0; i < 8; i++, c = c ? c->next : NULL) {
    ASSERT_TRUE(c != NULL);
    CHECK_TRUE(strcmp(c->string, order[i]) == 0);
  }
  CHECK_EQ_INT(cJSON_GetObjectItem(j, "stage")->valueint, 1);
  const cJSON *gates = cJSON_GetObjectItem(j, "gates");
  CHECK_EQ_INT(cJSON_GetArraySize(gates), 4);
  const cJSON *g0 = cJSON_GetArrayItem(gates, 0);
  CHECK_TRUE(cJSON_GetObjectItem(g0, "name") && cJSON_GetObjectItem(g0, "met") &&
             cJSON_GetObjectItem(g0, "value") &&
             cJSON_GetObjectItem(g0, "target"));
  const cJSON *ex = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "exercises"), 0);
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(ex, "id")));
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(ex, "dose")));
  CHECK_TRUE(cJSON_IsArray(cJSON_GetObjectItem(ex, "why")));
  /* the gates before running, each with its state: pain 5/10 running is
     inside the limit, daily pain 3/10 is not, the rest unknown */
  const cJSON *br = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "running"),
                                        "before_running");
  CHECK_EQ_INT(cJSON_GetArraySize(br), 6);
  const cJSON *b0 = cJSON_GetArrayItem(br, 0), *b1 = cJSON_GetArrayItem(br, 1);
  CHECK_STR(cJSON_GetObjectItem(b0, "name")->valuestring,
            "pain_during_running");
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(b0, "met")));
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(b1, "met")));
  CHECK_TRUE(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(br, 5),
                                              "met")));
  const cJSON *cad = cJSON_GetObjectItem(j, "cadence");
  CHECK_TRUE(cJSON_GetObjectItem(cad, "baseline_spm") != NULL);
  CHECK_TRUE(cJSON_IsNull(cJSON_GetObjectItem(cad, "target_spm")));
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(j, "refer")));
  CHECK_TRUE(cJSON_IsArray(cJSON_GetObjectItem(j, "unknown")));
  CHECK_TRUE(cJSON_GetArraySize(cJSON_GetObjectItem(j, "all_gates")) >= 15);
  const cJSON *run = cJSON_GetObjectItem(j, "running");
  /* Pain 5/10 running, 3/10 in daily life: not cleared to run. */
  CHECK_TRUE(strcmp(cJSON_GetObjectItem(run, "mode")->valuestring,
                    "not_yet") == 0);
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(run, "phases")), 6);
  cJSON_Delete(j);
  gk_buf_free(&b);
  gk_plan_free(p);
}

/* ---- gait JSON ---------------------------------------------------------- */

static void test_gait_json(void) {
  const char *t =
      "{\"kind\":\"2d\",\"speed_mps\":3.1,\"summary\":{\"cadence_spm\":"
      "{\"left\":158,\"right\":160,\"mean\":159,\"unit\":\"steps/min\","
      "\"quality\":\"good\"}},\"findings\":[{\"code\":\"gait.low_cadence\","
      "\"severity\":\"caution\",\"value\":159,\"threshold\":165,\"text\":"
      "\"Cadence is low.\",\"source\":\"Heiderscheit et al. 2011\","
      "\"evidence_note\":null},{\"severity\":\"warning\"},{\"code\":"
      "\"gait.pelvic_drop\",\"severity\":\"bogus\"}]}";
  gk_plan_gait *g = NULL;
  ASSERT_EQ_INT(gk_plan_gait_parse(t, strlen(t), &g, NULL), GK_OK);
  CHECK_NEAR(g->cadence_spm, 159, 1e-9);
  CHECK_NEAR(g->speed_mps, 3.1, 1e-12);
  CHECK_EQ_INT(g->n_findings, 2);
  CHECK_TRUE(strcmp(g->findings[0].code, "gait.low_cadence") == 0);
  CHECK_EQ_INT(g->findings[0].severity, GK_SEV_CAUTION);
  CHECK_NEAR(g->findings[0].threshold, 165, 1e-9);
  CHECK_TRUE(g->findings[0].evidence_note == NULL);
  CHECK_EQ_INT(g->findings[1].severity, GK_SEV_CAUTION);

  static vignette v;
  cleared(&v); /* cadence targets come with a running prescription */
  gk_plan_input in = v.in;
  in.findings = g->findings;
  in.n_findings = g->n_findings;
  in.cadence_baseline_spm = g->cadence_spm;
  in.cadence_speed_mps = g->speed_mps;
  in.cadence_origin = GK_CADENCE_CAPTURE;
  gk_plan *p = build(&in);
  ASSERT_TRUE(p != NULL);
  CHECK_NEAR(p->cadence.target_spm, 167, 1e-9);
  CHECK_TRUE(finding(p, "gait.low_cadence")->chain_id != NULL &&
             strcmp(finding(p, "gait.low_cadence")->chain_id, "step_load") == 0);
  CHECK_TRUE(strcmp(finding(p, "gait.pelvic_drop")->chain_id,
                    "hip_control") == 0);
  gk_plan_free(p);
  gk_plan_gait_free(g);

  gk_err e;
  memset(&e, 0, sizeof e);
  g = (gk_plan_gait *)1;
  CHECK_EQ_INT(gk_plan_gait_parse("{\"a\":", 5, &g, &e), GK_E_CORRUPT);
  CHECK_TRUE(g == NULL && e.msg != NULL);
  CHECK_EQ_INT(gk_plan_gait_parse("[1,2]", 5, &g, &e), GK_E_CORRUPT);
  CHECK_EQ_INT(gk_plan_gait_parse("", 0, &g, &e), GK_E_CORRUPT);
  /* A refused or poor cadence is not used. */
  const char *r = "{\"summary\":{\"cadence_spm\":{\"refused\":true,"
                  "\"mean\":150}}}";
  ASSERT_EQ_INT(gk_plan_gait_parse(r, strlen(r), &g, NULL), GK_OK);
  CHECK_TRUE(isnan(g->cadence_spm));
  gk_plan_gait_free(g);
}

/* ---- workouts ----------------------------------------------------------- */

static void test_workouts(void) {
  gk_walk_run_phase ph[8];
  ASSERT_EQ_INT(gk_plan_walk_run_phases(ph, 8), 6);
  CHECK_NEAR(ph[0].walk_min, 2, 0);
  CHECK_NEAR(ph[0].run_min, 3, 0);
  CHECK_NEAR(ph[4].walk_min, 1, 0);
  CHECK_TRUE(ph[5].continuous_min > 0);

  gk_workout_step s[GK_WKT_MAX_STEPS];
  char name[GK_WKT_NAME_MAX];
  size_t n = gk_plan_phase_workout(1, 158, s, GK_WKT_MAX_STEPS, name);
  CHECK_EQ_INT(n, 2 + 2 * (size_t)ph[0].repeats);
  CHECK_TRUE(strcmp(name, "Walk-run 1") == 0);
  CHECK_EQ_INT(s[0].intensity, GK_WKT_WARMUP);
  CHECK_EQ_INT(s[1].intensity, GK_WKT_ACTIVE);
  CHECK_EQ_INT(s[1].duration_s, 180);
  CHECK_EQ_INT(s[1].cadence_low_spm, 155);
  CHECK_EQ_INT(s[1].cadence_high_spm, 161);
  CHECK_EQ_INT(s[2].intensity, GK_WKT_REST);
  CHECK_EQ_INT(s[2].duration_s, 120);
  CHECK_EQ_INT(s[2].cadence_low_spm, 0);
  CHECK_EQ_INT(s[n - 1].intensity, GK_WKT_COOLDOWN);
  n = gk_plan_phase_workout(6, NAN, s, GK_WKT_MAX_STEPS, name);
  CHECK_EQ_INT(n, 3);
  CHECK_EQ_INT(s[1].cadence_low_spm, 0);
  CHECK_EQ_INT(gk_plan_phase_workout(7, NAN, s, GK_WKT_MAX_STEPS, name), 0);
  CHECK_EQ_INT(gk_plan_phase_workout(0, NAN, s, GK_WKT_MAX_STEPS, name), 0);

  n = gk_plan_cadence_workout(168, s, GK_WKT_MAX_STEPS, name);
  CHECK_EQ_INT(n, 12);
  CHECK_EQ_INT(s[1].cadence_low_spm, 165);
  CHECK_EQ_INT(gk_plan_cadence_workout(NAN, s, GK_WKT_MAX_STEPS, name), 0);

  /* The FIT file decodes with gaitkeeper's decoder as a workout. */
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_fit_workout_write(name, s, n, 1700000000, &b, NULL), GK_OK);
  CHECK_TRUE(b.len > 14 + 12 * 20);
  CHECK_TRUE(memcmp(b.data + 8, ".FIT", 4) == 0);
  /* Invalid steps. */
  gk_workout_step bad = s[1];
  bad.cadence_low_spm = 200;
  bad.cadence_high_spm = 190;
  gk_err e;
  memset(&e, 0, sizeof e);
  CHECK_EQ_INT(gk_fit_workout_write("x", &bad, 1, 0, &b, &e), GK_E_ARG);
  bad = s[1];
  bad.duration_s = 0;
  CHECK_EQ_INT(gk_fit_workout_write("x", &bad, 1, 0, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(gk_fit_workout_write("x", s, 0, 0, &b, &e), GK_E_ARG);
  gk_buf_free(&b);
}

/* The follow-up of a runner who stopped: pain now 3/10, two log entries at
   2/10, the deep squat still painful, 20 days since the last run, whose
   longest run of the 30 days was 20 km before the pain stopped her.  No
   running prescription (no cap, no cadence target), the gate and the break
   named. */
static void test_followup_squat_painful_after_break(void) {
  static vignette v;
  cleared(&v);
  static const char screen[] =
      "{\"knee_to_wall_cm\": {\"left\": 12, \"right\": 12}, "
      "\"deep_squat\": {\"full_depth\": true, \"pain\": true}, "
      "\"lunge\": {\"pain\": false}, \"walk_30min_pain\": false}";
  ASSERT_TRUE(parse_screen(&v, screen));
  v.in.pain_entries_14d = 2;
  v.in.pain_during_14d_max = 2;
  v.in.pain_morning_14d_max = 2;
  v.in.load_known = 1;
  v.in.longest_run_30d_m = 20000;
  v.in.longest_run_30d_since_break_m = NAN;
  v.in.break_from = DAY - 19;
  v.in.break_to = DAY;
  v.in.break_ongoing = 1;
  v.in.cadence_baseline_spm = 159;
  v.in.cadence_speed_mps = 3.0;
  v.in.cadence_origin = GK_CADENCE_RUNS;
  static gk_finding f;
  memset(&f, 0, sizeof f);
  f.code = "gait.pelvic_drop";
  f.severity = GK_SEV_CAUTION;
  f.value = f.threshold = NAN;
  f.date_from = f.date_to = INT64_MIN;
  v.in.findings = &f;
  v.in.n_findings = 1;
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 2);
  CHECK_EQ_INT(p->running.mode, GK_RUN_NOT_YET);
  CHECK_TRUE(isnan(p->running.max_single_run_m));
  CHECK_TRUE(strstr(p->running.text, "squat") != NULL);
  CHECK_TRUE(strstr(p->running.text, "20 days") != NULL);
  CHECK_TRUE(strstr(p->running.text, "phase 1") != NULL);
  CHECK_TRUE(strstr(p->running.text, "22.0") == NULL);
  CHECK_EQ_INT(p->cadence.retrain, 1);
  CHECK_EQ_INT(p->cadence.deferred, 1);
  CHECK_TRUE(isnan(p->cadence.target_spm));
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  gk_buf_putc(&b, '\0');
  CHECK_TRUE(strstr((const char *)b.data, "\"mode\":\"not_yet\"") != NULL);
  CHECK_TRUE(strstr((const char *)b.data, "\"deferred\":true") != NULL);
  gk_buf_free(&b);
  gk_plan_free(p);

  /* The squat settles: running starts again, from walk/run phase 1 (the
     break goes on), never capped by the 20 km from before it; the cadence
     target comes with the running. */
  v.screen.deep_squat_pain = 0;
  p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->running.mode, GK_RUN_WALK_RUN);
  CHECK_EQ_INT(p->running.phase, 1);
  CHECK_TRUE(isnan(p->running.max_single_run_m));
  CHECK_TRUE(strstr(p->running.text, "20 days") != NULL);
  CHECK_EQ_INT(p->cadence.deferred, 0);
  CHECK_NEAR(p->cadence.target_spm, 167, 1e-9);
  gk_plan_free(p);

  /* Boundary: the gate unknown (no lunge answer) holds running too. */
  v.screen.lunge_pain = -1;
  p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->running.mode, GK_RUN_NOT_YET);
  CHECK_TRUE(strstr(p->running.text, "not yet known") != NULL);
  gk_plan_free(p);
}

/* ---- the clinician's hand ------------------------------------------------ */

static gk_clinician_entry clin(gk_clinician_kind kind, int64_t day,
                               const char *target, const char *text,
                               const char *reason) {
  gk_clinician_entry e;
  gk_clinician_entry_init(&e);
  e.kind = kind;
  e.day = day;
  snprintf(e.target, sizeof e.target, "%s", target);
  snprintf(e.text, sizeof e.text, "%s", text);
  snprintf(e.reason, sizeof e.reason, "%s", reason);
  return e;
}

static void test_clinician_check(void) {
  gk_err err;
  gk_clinician_entry e = clin(GK_CLIN_STAGE, DAY, "2", "", "seen today");
  CHECK_EQ_INT(gk_clinician_check(&e, &err), GK_OK);
  e = clin(GK_CLIN_STAGE, DAY, "2", "", "");
  CHECK_EQ_INT(gk_clinician_check(&e, &err), GK_E_ARG);
  CHECK_TRUE(strstr(err.msg, "reason") != NULL);
  static const char *const bad_stage[] = {"0", "5", "22", "", "a"};
  for (size_t i = 0; i < 5; i++) {
    e = clin(GK_CLIN_STAGE, DAY, bad_stage[i], "", "why");
    CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  }
  e = clin(GK_CLIN_STAGE, DAY, "4", "", "why");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_OK);
  e = clin(GK_CLIN_ADD_EXERCISE, DAY, "clamshell", "", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_OK);
  e = clin(GK_CLIN_ADD_EXERCISE, DAY, "clam", "", "");
  CHECK_EQ_INT(gk_clinician_check(&e, &err), GK_E_ARG);
  CHECK_TRUE(strstr(err.msg, "exercises.json") != NULL);
  e = clin(GK_CLIN_DOSE, DAY, "clamshell", "", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  e = clin(GK_CLIN_NOTE, DAY, "", "", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  e = clin(GK_CLIN_NOTE, DAY, "", "line one\nline two\ttab", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_OK);
  e = clin(GK_CLIN_NOTE, DAY, "", "escape \x1b[2J", "");
  CHECK_EQ_INT(gk_clinician_check(&e, &err), GK_E_ARG);
  CHECK_TRUE(strstr(err.msg, "control") != NULL);
  e = clin(GK_CLIN_FINDING, DAY, "tilt_2", "lateral tilt", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_OK);
  e.severity = GK_SEV_REFER;
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  memset(e.text, 'a', GK_FINDING_TEXT_MAX - 1); /* 511 bytes: fits */
  e.text[GK_FINDING_TEXT_MAX - 1] = '\0';
  e.severity = GK_SEV_CAUTION;
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_OK);
  e.text[GK_FINDING_TEXT_MAX - 1] = 'a'; /* 512: as a note, not a finding */
  e.text[GK_FINDING_TEXT_MAX] = '\0';
  CHECK_EQ_INT(gk_clinician_check(&e, &err), GK_E_ARG);
  CHECK_TRUE(strstr(err.msg, "511") != NULL);
  e = clin(GK_CLIN_FINDING, DAY, "Tilt", "lateral tilt", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  e = clin(GK_CLIN_FINDING, DAY,
           "a_name_of_forty_one_characters_is_too_lo", "x", "");
  CHECK_EQ_INT((int)strlen(e.target), 40);
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_OK);
  e = clin(GK_CLIN_FINDING, DAY,
           "a_name_of_forty_one_characters_is_too_lon", "x", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  e = clin(GK_CLIN_NOTE, GK_DAY_MIN - 1, "", "x", "");
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  e = clin(GK_CLIN_NOTE, DAY, "", "x", "");
  e.kind = GK_CLIN_KIND_COUNT;
  CHECK_EQ_INT(gk_clinician_check(&e, NULL), GK_E_ARG);
  CHECK_TRUE(gk_clinician_kind_parse("drop_exercise") == GK_CLIN_DROP_EXERCISE);
  CHECK_TRUE(gk_clinician_kind_parse("drop") == -1);
  CHECK_TRUE(gk_clinician_kind_name(GK_CLIN_KIND_COUNT) == NULL);
}

static void test_clinician_over_plan(void) {
  vignette v;
  vignette_init(&v);
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 24, \"sex\": \"female\", \"pain_location\": "
           "\"around_kneecap\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 0, \"pain_now\": 2, \"pain_run\": 5, "
           "\"pain_daily\": 3}",
           NO_FLAGS);
  ASSERT_TRUE(parse_intake(&v, json));
  gk_plan *p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->stage, 1);
  CHECK_EQ_INT(p->stage_computed, 1);
  CHECK_TRUE(p->stage_by_clinician == NULL);
  CHECK_TRUE(has_exercise(p, "clamshell"));
  gk_plan_free(p);

  gk_clinician_entry es[8];
  size_t n = 0;
  es[n++] = clin(GK_CLIN_STAGE, DAY - 9, "3", "", "an older decision");
  es[n++] = clin(GK_CLIN_STAGE, DAY - 2, "2", "", "daily pain settled in clinic");
  es[n++] = clin(GK_CLIN_DROP_EXERCISE, DAY - 1, "hip_flexor_stretch", "",
                 "ankle fine on testing");
  es[n++] = clin(GK_CLIN_ADD_EXERCISE, DAY - 1, "side_plank", "2 x 20 s", "");
  es[n++] = clin(GK_CLIN_DOSE, DAY, "side_plank", "3 x 30 s", "progressing");
  es[n++] = clin(GK_CLIN_DOSE, DAY, "mirror_running", "10 min", "");
  es[n++] = clin(GK_CLIN_FINDING, DAY, "lateral_tilt", "Lateral patellar tilt",
                 "palpation");
  es[n - 1].severity = GK_SEV_WARNING;
  es[n++] = clin(GK_CLIN_NOTE, DAY, "", "Works night shifts", "");
  v.in.clinician = es;
  v.in.n_clinician = n;
  p = build(&v.in);
  ASSERT_TRUE(p != NULL);
  /* the latest stage entry wins, the computed one is kept beside it */
  CHECK_EQ_INT(p->stage, 2);
  CHECK_TRUE(strcmp(p->stage_name, "mobility") == 0);
  CHECK_EQ_INT(p->stage_computed, 1);
  ASSERT_TRUE(p->stage_by_clinician != NULL);
  CHECK_STR(p->stage_by_clinician->entry.reason, "daily pain settled in clinic");
  ASSERT_EQ_INT((int)p->n_clinician, (int)n);
  CHECK_EQ_INT(p->clinician[0].applied, 0);
  CHECK_TRUE(strstr(p->clinician[0].effect, "replaced by") != NULL);
  CHECK_TRUE(strstr(p->clinician[1].effect, "instead of the computed 1") != NULL);
  /* the exercises were picked for the clinician's stage, then changed */
  CHECK_TRUE(!has_exercise(p, "hip_flexor_stretch"));
  CHECK_TRUE(has_exercise(p, "wall_sit")); /* a stage-2 pick stays */
  CHECK_EQ_INT(p->clinician[2].applied, 1);
  if (p->clinician[2].effect) CHECK_STR(p->clinician[2].effect, "dropped from the plan");
  CHECK_EQ_INT(p->clinician[3].applied, 1);
  const gk_plan_exercise *sp = NULL;
  for (size_t i = 0; i < p->n_exercises; i++)
    if (strcmp(p->exercises[i].id, "side_plank") == 0) sp = &p->exercises[i];
  ASSERT_TRUE(sp != NULL);
  CHECK_STR(sp->dose, "3 x 30 s");
  CHECK_TRUE(sp->by_clinician != 0);
  CHECK_EQ_INT(p->clinician[5].applied, 0); /* dose of one not in the plan */
  CHECK_TRUE(strstr(p->clinician[5].effect, "not in the plan") != NULL);
  /* their finding is theirs, first of its severity */
  const gk_plan_finding *f = finding(p, "clinician.lateral_tilt");
  ASSERT_TRUE(f != NULL);
  CHECK_STR(f->origin, "clinician");
  CHECK_EQ_INT(f->f.severity, GK_SEV_WARNING);
  CHECK_TRUE(strstr(f->f.source, "The clinician's own finding") != NULL);
  CHECK_EQ_INT(p->clinician[7].applied, 1);
  /* in the JSON */
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  gk_buf_putc(&b, '\0');
  CHECK_TRUE(strstr(b.data, "\"stage_computed\":1,\"stage_by_clinician\":true") !=
             NULL);
  CHECK_TRUE(strstr(b.data, "\"kind\":\"note\",\"target\":\"\",\"text\":"
                            "\"Works night shifts\"") != NULL);
  gk_buf_free(&b);
  gk_plan_free(p);

  /* a red flag stands: the clinician's stage does not clear a referral */
  vignette r;
  vignette_init(&r);
  ASSERT_TRUE(parse_intake(&r,
                           "{\"age\": 31, \"onset\": \"sudden\", \"trauma\": "
                           "true, \"swelling_within_2h\": true, "
                           "\"can_bear_weight\": true, \"can_flex_90\": true}"));
  r.in.clinician = es;
  r.in.n_clinician = 2;
  p = build(&r.in);
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(p->refer, 1);
  CHECK_EQ_INT(p->stage, 0);
  CHECK_TRUE(p->stage_by_clinician == NULL);
  CHECK_TRUE(strstr(p->clinician[1].effect, "red flag") != NULL);
  gk_plan_free(p);

  /* NULL entries with a count: refused */
  r.in.clinician = NULL;
  gk_plan *q = NULL;
  CHECK_EQ_INT(gk_plan_build(&r.in, &q, NULL), GK_E_ARG);
  CHECK_TRUE(q == NULL);
}

int main(void) {
  RUN(test_vignette_classic_pfp);
  RUN(test_vignette_trauma_swelling);
  RUN(test_vignette_58_morning_stiffness);
  RUN(test_vignette_pain_free_runner);
  RUN(test_vignette_spike_low_cadence);
  RUN(test_vignette_night_pain_bony);
  RUN(test_vignette_from_structs);
  RUN(test_empty_input);
  RUN(test_first_visit);
  RUN(test_gate_boundaries);
  RUN(test_cadence_rules);
  RUN(test_cadence_loop);
  RUN(test_run_cap);
  RUN(test_walk_run_progression);
  RUN(test_rest_alert);
  RUN(test_followup_squat_painful_after_break);
  RUN(test_from_load);
  RUN(test_json_shape);
  RUN(test_gait_json);
  RUN(test_workouts);
  RUN(test_clinician_check);
  RUN(test_clinician_over_plan);
  return TEST_SUMMARY();
}
