/*
** test_intake.c -- the intake: parsing (every error names its key; nothing
** is stored half), the Kujala AKPS score against hand-computed sums, every
** red flag of data/red_flags.json firing and not firing at its boundary,
** the intake findings, the JSON shape, and four clinical vignettes.
*/
#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"
#include "gaitkeeper/clinic.h"
#include "test.h"

static gk_status parse(const char *json, gk_intake *in, gk_err *err) {
  return gk_intake_parse(json, strlen(json), in, err);
}

/* Parse (must succeed) and assess. */
static int assess(const char *json, gk_intake_result *r) {
  gk_intake in;
  gk_err err = {0};
  gk_status st = parse(json, &in, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  parse: %s\n  input: %s\n", err.msg ? err.msg : "",
            json);
    return 0;
  }
  st = gk_intake_assess(&in, r, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  assess: %s\n", err.msg ? err.msg : "");
    return 0;
  }
  return 1;
}

static const gk_red_flag *flag(const gk_intake_result *r, const char *code) {
  for (size_t i = 0; i < r->n_red_flags; i++)
    if (strcmp(r->red_flags[i].code, code) == 0) return &r->red_flags[i];
  return NULL;
}

static const gk_finding *finding(const gk_intake_result *r, const char *code) {
  for (size_t i = 0; i < r->n_findings; i++)
    if (strcmp(r->findings[i].code, code) == 0) return &r->findings[i];
  return NULL;
}

/* ---- AKPS ---------------------------------------------------------------- */

static double akps_of(const char *list, int *n) {
  char json[256];
  snprintf(json, sizeof json, "{\"akps\": %s}", list);
  gk_intake in;
  gk_err err = {0};
  if (!CHECK_EQ_INT(parse(json, &in, &err), GK_OK)) return -1;
  return gk_akps_score(&in, n);
}

static void test_akps_hand_computed(void) {
  int n = 0;
  /* All first answers: 5+5+5+10+5+10+10+10+10+10+10+5+5 = 100. */
  CHECK_NEAR(akps_of("[0,0,0,0,0,0,0,0,0,0,0,0,0]", &n), 100, 0);
  CHECK_EQ_INT(n, 13);
  /* All last answers (each item's worst scores 0): 0. */
  CHECK_NEAR(akps_of("[2,2,3,3,4,4,3,4,4,4,4,2,2]", &n), 0, 0);
  /* Set A: limp slight 3, support painful 3, walking 1-2 km 2, stairs pain
     descending and ascending 5, squatting repeated painful 4, running
     slight pain from start 6, jumping slight difficulty 7, sitting pain
     after exercise 8, pain slight and occasional 8, swelling after severe
     exertion 8, kneecap none 10, atrophy none 5, flexion none 5:
     3+3+2+5+4+6+7+8+8+8+10+5+5 = 74. */
  CHECK_NEAR(akps_of("[1,1,2,2,1,2,1,1,1,1,0,0,0]", &n), 74, 0);
  /* Set B: limp none 5, support full 5, walking >2 km 3, stairs slight pain
     descending 8, squatting painful each time 3, running severe pain 3,
     jumping constant pain 2, sitting must extend knees 4, pain occasionally
     severe 3, swelling after daily activities 6, kneecap occasionally in
     sport 6, atrophy slight 3, flexion severe 0:
     5+5+3+8+3+3+2+4+3+6+6+3+0 = 51. */
  CHECK_NEAR(akps_of("[0,0,1,1,2,3,2,3,3,2,1,1,2]", &n), 51, 0);
  /* Incomplete: not scored. */
  CHECK_TRUE(isnan(akps_of("[0,0,0,0,0,0,0,0,0,0,0,0,null]", &n)));
  CHECK_EQ_INT(n, 12);
  gk_intake none;
  gk_intake_init(&none);
  CHECK_TRUE(isnan(gk_akps_score(&none, &n)));
  CHECK_EQ_INT(n, 0);
}

/* Every item's first answer carries the item's maximum and the maxima sum
   to 100, as published. */
static void test_akps_data(void) {
  const cJSON *items =
      cJSON_GetObjectItemCaseSensitive(gk__clinic_data(GK__CF_AKPS), "items");
  ASSERT_EQ_INT(cJSON_GetArraySize(items), 13);
  double total = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, items) {
    const cJSON *answers = cJSON_GetObjectItemCaseSensitive(it, "answers");
    double mx = cJSON_GetObjectItemCaseSensitive(it, "max")->valuedouble;
    CHECK_NEAR(cJSON_GetObjectItemCaseSensitive(answers->child, "points")
                   ->valuedouble,
               mx, 0);
    total += mx;
  }
  CHECK_NEAR(total, 100, 0);
}

/* ---- parsing ------------------------------------------------------------- */

static void test_parse_all_keys(void) {
  const char *json =
      "{\"age\": 31, \"sex\": \"female\", \"height_cm\": 168, \"mass_kg\": 60,"
      " \"side\": \"right\", \"pain_location\": \"around_kneecap\","
      " \"onset\": \"gradual\", \"trauma\": false, \"swelling_within_2h\": "
      "null, \"locking\": false, \"giving_way\": false, \"night_pain\": false,"
      " \"rest_pain\": false, \"fever_or_unwell\": false, \"hot_red_swollen\":"
      " false, \"can_bear_weight\": true, \"can_flex_90\": true,"
      " \"bony_tenderness\": false, \"pain_on_hop\": true, \"swelling\": "
      "false, \"grinding\": true, \"morning_stiffness_min\": 5,"
      " \"worse_with\": [\"stairs_down\", \"running\", \"jumping\"],"
      " \"history\": [\"ankle_sprain\", \"low_energy_availability\"],"
      " \"pain_now\": 1, \"pain_run\": 4.5, \"pain_daily\": 2,"
      " \"shoes_km\": 650, \"akps\": [0,1,0,1,1,1,1,1,1,0,0,0,0],"
      " \"patellar_tenderness\": null, \"fibular_head_tenderness\": null,"
      " \"unexplained_weight_loss\": false, \"hip_or_groin_pain\": false,"
      " \"kneecap_dislocation\": false, \"constant_pain\": false,"
      " \"shoe_change_recent\": true, \"surface_change_recent\": false}";
  gk_intake in;
  gk_err err = {0};
  ASSERT_EQ_INT(parse(json, &in, &err), GK_OK);
  CHECK_NEAR(in.age, 31, 0);
  CHECK_STR(in.sex, "female");
  CHECK_EQ_INT(in.side, GK_SIDE_RIGHT);
  CHECK_EQ_INT(in.pain_location, GK_LOC_AROUND_KNEECAP);
  CHECK_EQ_INT(in.onset, GK_ONSET_GRADUAL);
  CHECK_EQ_INT(in.trauma, 0);
  CHECK_EQ_INT(in.swelling_within_2h, -1);
  CHECK_EQ_INT(in.pain_on_hop, 1);
  CHECK_EQ_INT(in.grinding, 1);
  CHECK_EQ_INT(in.worse_with,
               GK_WORSE_STAIRS_DOWN | GK_WORSE_RUNNING | GK_WORSE_JUMPING);
  CHECK_EQ_INT(in.history,
               GK_HIST_ANKLE_SPRAIN | GK_HIST_LOW_ENERGY_AVAILABILITY);
  CHECK_NEAR(in.pain_run, 4.5, 0);
  CHECK_NEAR(in.shoes_km, 650, 0);
  CHECK_EQ_INT(in.akps[1], 1);
  CHECK_EQ_INT(in.patellar_tenderness, -1);
  CHECK_EQ_INT(in.kneecap_dislocation, 0);
  CHECK_EQ_INT(in.shoe_change_recent, 1);
  CHECK_EQ_INT(in.surface_change_recent, 0);
  CHECK_TRUE(isnan(in.mass_kg) == 0);
}

/* The list answers' order in data/intake.json matches the GK_WORSE_* and
   GK_HIST_* bits, and every choice matches its enum. */
static void test_parse_enums_match_data(void) {
  static const struct {
    const char *json;
    unsigned worse, hist;
  } cases[] = {
      {"{\"worse_with\":[\"stairs_down\"]}", GK_WORSE_STAIRS_DOWN, 0},
      {"{\"worse_with\":[\"stairs_up\"]}", GK_WORSE_STAIRS_UP, 0},
      {"{\"worse_with\":[\"squat\"]}", GK_WORSE_SQUAT, 0},
      {"{\"worse_with\":[\"kneeling\"]}", GK_WORSE_KNEELING, 0},
      {"{\"worse_with\":[\"sitting\"]}", GK_WORSE_SITTING, 0},
      {"{\"worse_with\":[\"running\"]}", GK_WORSE_RUNNING, 0},
      {"{\"worse_with\":[\"downhill\"]}", GK_WORSE_DOWNHILL, 0},
      {"{\"worse_with\":[\"jumping\"]}", GK_WORSE_JUMPING, 0},
      {"{\"history\":[\"ankle_sprain\"]}", 0, GK_HIST_ANKLE_SPRAIN},
      {"{\"history\":[\"back_problems\"]}", 0, GK_HIST_BACK_PROBLEMS},
      {"{\"history\":[\"pregnancy_last_2y\"]}", 0, GK_HIST_PREGNANCY_LAST_2Y},
      {"{\"history\":[\"knee_surgery\"]}", 0, GK_HIST_KNEE_SURGERY},
      {"{\"history\":[\"hip_problems\"]}", 0, GK_HIST_HIP_PROBLEMS},
      {"{\"history\":[\"stress_fracture\"]}", 0, GK_HIST_STRESS_FRACTURE},
      {"{\"history\":[\"osteoporosis\"]}", 0, GK_HIST_OSTEOPOROSIS},
      {"{\"history\":[\"low_energy_availability\"]}", 0,
       GK_HIST_LOW_ENERGY_AVAILABILITY},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gk_intake in;
    gk_err err = {0};
    ASSERT_EQ_INT(parse(cases[i].json, &in, &err), GK_OK);
    CHECK_EQ_INT(in.worse_with, cases[i].worse);
    CHECK_EQ_INT(in.history, cases[i].hist);
  }
  static const char *const locs[] = {"front",        "around_kneecap",
                                     "behind_kneecap", "below_kneecap",
                                     "inside",       "outside",
                                     "back",         "diffuse"};
  static const gk_pain_location loc_enum[] = {
      GK_LOC_FRONT,  GK_LOC_AROUND_KNEECAP, GK_LOC_BEHIND_KNEECAP,
      GK_LOC_BELOW_KNEECAP, GK_LOC_INSIDE, GK_LOC_OUTSIDE,
      GK_LOC_BACK,   GK_LOC_DIFFUSE};
  for (int i = 0; i < 8; i++) {
    char json[96];
    snprintf(json, sizeof json, "{\"pain_location\": \"%s\"}", locs[i]);
    gk_intake in;
    gk_err err = {0};
    ASSERT_EQ_INT(parse(json, &in, &err), GK_OK);
    CHECK_EQ_INT(in.pain_location, loc_enum[i]);
  }
  gk_intake in;
  gk_err err = {0};
  ASSERT_EQ_INT(parse("{\"side\":\"both\",\"onset\":\"sudden\"}", &in, &err),
                GK_OK);
  CHECK_EQ_INT(in.side, GK_SIDE_BOTH);
  CHECK_EQ_INT(in.onset, GK_ONSET_SUDDEN);
}

/* Every field of the C table has a question in data/intake.json and vice
   versa. */
static void test_fields_match_questions(void) {
  for (size_t i = 0; i < gk__intake_field_count; i++)
    CHECK_TRUE(gk__question_find(GK__CF_INTAKE, gk__intake_fields[i].key) !=
               NULL);
  const cJSON *q;
  cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(
                            gk__clinic_data(GK__CF_INTAKE), "questions")) {
    const char *k = gk__clinic_json_string(q, "key");
    if (!CHECK_TRUE(gk__field_find(gk__intake_fields, gk__intake_field_count,
                                   k) != NULL))
      fprintf(stderr, "  no field for %s\n", k);
  }
}

/* An error must name the key and leave the output all unknown. */
static void expect_error(const char *json, const char *needle) {
  gk_intake in;
  gk_err err = {0};
  in.age = 99; /* overwritten to unknown even on error */
  gk_status st = parse(json, &in, &err);
  if (!CHECK_TRUE(st != GK_OK)) {
    fprintf(stderr, "  accepted: %s\n", json);
    return;
  }
  if (!CHECK_TRUE(err.msg != NULL && strstr(err.msg, needle) != NULL))
    fprintf(stderr, "  message '%s' does not name '%s'\n",
            err.msg ? err.msg : "(null)", needle);
  CHECK_TRUE(isnan(in.age));
  CHECK_EQ_INT(in.trauma, -1);
  CHECK_EQ_INT(in.akps[0], -1);
}

static void test_parse_errors_name_the_key(void) {
  expect_error("{\"age\": 30, \"agee\": 31}", "'agee'");
  expect_error("{\"age\": 150}", "'age'");
  expect_error("{\"age\": 9.5}", "'age'");
  expect_error("{\"age\": \"30\"}", "'age'");
  expect_error("{\"age\": 30, \"age\": 31}", "'age' is given twice");
  expect_error("{\"age\": 30, \"trauma\": \"yes\"}", "'trauma'");
  expect_error("{\"age\": 30, \"trauma\": 1}", "'trauma'");
  expect_error("{\"side\": \"up\"}", "'side'");
  expect_error("{\"sex\": 1}", "'sex'");
  expect_error("{\"pain_run\": 11}", "'pain_run'");
  expect_error("{\"pain_run\": -1}", "'pain_run'");
  expect_error("{\"morning_stiffness_min\": 2000}", "'morning_stiffness_min'");
  expect_error("{\"worse_with\": \"stairs\"}", "'worse_with'");
  expect_error("{\"worse_with\": [\"stairs\"]}", "'worse_with[0]'");
  expect_error("{\"worse_with\": [\"squat\", 3]}", "'worse_with[1]'");
  expect_error("{\"worse_with\": [\"squat\", \"squat\"]}", "listed twice");
  expect_error("{\"history\": [\"broken_heart\"]}", "'history[0]'");
  expect_error("{\"akps\": [0,0,0]}", "'akps'");
  expect_error("{\"akps\": [0,0,0,0,7,0,0,0,0,0,0,0,0]}", "'akps[4]'");
  expect_error("{\"akps\": [0,0,0,0,0,0,0,0,0,0,0,0,0.5]}", "'akps[12]'");
  expect_error("{\"akps\": [0,0,0,0,-1,0,0,0,0,0,0,0,0]}", "'akps[4]'");
  expect_error("{\"age\": 30} x", "after the JSON object");
  expect_error("[1, 2]", "JSON object");
  expect_error("{\"age\": ", "not valid JSON");
  expect_error("", "empty");
  expect_error("{\"a.b\": 1}", "'a.b'");
  /* Contradictions: each names the key it rejects. */
  expect_error("{\"trauma\": false, \"swelling_within_2h\": true}",
               "'swelling_within_2h'");
  expect_error("{\"trauma\": false, \"patellar_tenderness\": true}",
               "'patellar_tenderness'");
  expect_error("{\"swelling\": false, \"hot_red_swollen\": true}",
               "'hot_red_swollen'");
  expect_error("{\"constant_pain\": true, \"night_pain\": false}",
               "'constant_pain'");
  expect_error("{\"constant_pain\": true, \"pain_now\": 0}",
               "'pain_now'");
  expect_error("{\"can_bear_weight\": false, "
               "\"akps\": [0,0,0,0,0,0,0,0,0,0,0,0,0]}",
               "'can_bear_weight'");
  expect_error("{\"can_bear_weight\": true, "
               "\"akps\": [0,2,0,0,0,0,0,0,0,0,0,0,0]}",
               "'can_bear_weight'");
  expect_error("{\"kneecap_dislocation\": false, "
               "\"akps\": [0,0,0,0,0,0,0,0,0,0,3,0,0]}",
               "'kneecap_dislocation'");
  /* Not a contradiction: unknown trauma with early swelling. */
  gk_intake in;
  gk_err err = {0};
  CHECK_EQ_INT(parse("{\"swelling_within_2h\": true}", &in, &err), GK_OK);
  CHECK_EQ_INT(parse("{}", &in, &err), GK_OK);
  CHECK_EQ_INT(parse("  {\"age\": null}\n", &in, &err), GK_OK);
  CHECK_TRUE(isnan(in.age));
}

/* ---- red flags at their boundaries --------------------------------------- */

typedef struct flag_case {
  const char *json;
  const char *code;
  int fires;
} flag_case;

static const flag_case flag_cases[] = {
    /* Ottawa knee rule: after trauma only; age 55 yes, 54 no. */
    {"{\"trauma\":true,\"age\":55}", "intake.ottawa_knee", 1},
    {"{\"trauma\":true,\"age\":54}", "intake.ottawa_knee", 0},
    {"{\"trauma\":false,\"age\":70}", "intake.ottawa_knee", 0},
    {"{\"trauma\":true,\"age\":30,\"patellar_tenderness\":true}",
     "intake.ottawa_knee", 1},
    {"{\"trauma\":true,\"age\":30,\"fibular_head_tenderness\":true}",
     "intake.ottawa_knee", 1},
    {"{\"trauma\":true,\"age\":30,\"can_flex_90\":false}",
     "intake.ottawa_knee", 1},
    {"{\"trauma\":true,\"age\":30,\"can_flex_90\":true}",
     "intake.ottawa_knee", 0},
    {"{\"trauma\":true,\"age\":30,\"can_bear_weight\":false}",
     "intake.ottawa_knee", 1},
    {"{\"trauma\":true,\"can_bear_weight\":false}", "intake.cannot_bear_weight",
     0},
    {"{\"trauma\":false,\"can_bear_weight\":false}",
     "intake.cannot_bear_weight", 1},
    {"{\"can_bear_weight\":true}", "intake.cannot_bear_weight", 0},
    /* Septic arthritis: hot, red, swollen with fever. */
    {"{\"hot_red_swollen\":true,\"fever_or_unwell\":true}",
     "intake.septic_arthritis", 1},
    {"{\"hot_red_swollen\":true,\"fever_or_unwell\":false}",
     "intake.septic_arthritis", 0},
    {"{\"hot_red_swollen\":true,\"fever_or_unwell\":false}",
     "intake.hot_swollen_joint", 1},
    {"{\"hot_red_swollen\":true,\"fever_or_unwell\":true}",
     "intake.hot_swollen_joint", 0},
    {"{\"hot_red_swollen\":false,\"fever_or_unwell\":true}",
     "intake.septic_arthritis", 0},
    /* Swelling within 2 h of trauma. */
    {"{\"trauma\":true,\"swelling_within_2h\":true}", "intake.haemarthrosis",
     1},
    {"{\"trauma\":true,\"swelling_within_2h\":false}", "intake.haemarthrosis",
     0},
    {"{\"locking\":true}", "intake.locked_knee", 1},
    {"{\"locking\":false}", "intake.locked_knee", 0},
    {"{\"giving_way\":true}", "intake.giving_way", 1},
    {"{\"giving_way\":false}", "intake.giving_way", 0},
    {"{\"kneecap_dislocation\":true}", "intake.kneecap_dislocation", 1},
    {"{\"kneecap_dislocation\":false}", "intake.kneecap_dislocation", 0},
    /* Continuous pain: night and rest together, or constant. */
    {"{\"night_pain\":true,\"rest_pain\":true}", "intake.continuous_pain", 1},
    {"{\"night_pain\":true,\"rest_pain\":false}", "intake.continuous_pain", 0},
    {"{\"constant_pain\":true}", "intake.continuous_pain", 1},
    {"{\"unexplained_weight_loss\":true}", "intake.weight_loss", 1},
    {"{\"unexplained_weight_loss\":false}", "intake.weight_loss", 0},
    /* Bone stress: bony tenderness with night pain or hop pain, or risk
       history; neither sign alone. */
    {"{\"bony_tenderness\":true,\"night_pain\":true}", "intake.bone_stress",
     1},
    {"{\"bony_tenderness\":true,\"pain_on_hop\":true}", "intake.bone_stress",
     1},
    {"{\"bony_tenderness\":true,\"history\":[\"stress_fracture\"]}",
     "intake.bone_stress", 1},
    {"{\"pain_on_hop\":true,\"history\":[\"low_energy_availability\"]}",
     "intake.bone_stress", 1},
    {"{\"bony_tenderness\":true,\"night_pain\":false,\"pain_on_hop\":false}",
     "intake.bone_stress", 0},
    {"{\"night_pain\":true,\"bony_tenderness\":false}", "intake.bone_stress",
     0},
    {"{\"pain_on_hop\":true}", "intake.bone_stress", 0},
    {"{\"trauma\":true,\"bony_tenderness\":true,\"night_pain\":true}",
     "intake.bone_stress", 0},
    {"{\"hip_or_groin_pain\":true,\"pain_on_hop\":true}",
     "intake.femoral_neck_stress", 1},
    {"{\"hip_or_groin_pain\":true,\"pain_on_hop\":false}",
     "intake.femoral_neck_stress", 0},
    /* Adolescents: hip up to 16, osteochondritis up to 17. */
    {"{\"age\":16,\"hip_or_groin_pain\":true}", "intake.adolescent_hip", 1},
    {"{\"age\":17,\"hip_or_groin_pain\":true}", "intake.adolescent_hip", 0},
    {"{\"age\":17,\"giving_way\":true}", "intake.adolescent_ocd", 1},
    {"{\"age\":18,\"giving_way\":true}", "intake.adolescent_ocd", 0},
    {"{\"age\":15,\"grinding\":true}", "intake.adolescent_ocd", 1},
    /* Morning stiffness: over 30 minutes is inflammatory. */
    {"{\"morning_stiffness_min\":31}", "intake.inflammatory", 1},
    {"{\"morning_stiffness_min\":30}", "intake.inflammatory", 0},
};

static void test_red_flag_boundaries(void) {
  for (size_t i = 0; i < sizeof flag_cases / sizeof flag_cases[0]; i++) {
    gk_intake_result r;
    if (!assess(flag_cases[i].json, &r)) continue;
    int fired = flag(&r, flag_cases[i].code) != NULL;
    if (!CHECK_EQ_INT(fired, flag_cases[i].fires))
      fprintf(stderr, "  %s on %s\n", flag_cases[i].code, flag_cases[i].json);
    /* Each red flag is a finding too; refer follows stops_plan. */
    const gk_red_flag *f = flag(&r, flag_cases[i].code);
    if (f != NULL) {
      const gk_finding *fd = finding(&r, f->code);
      CHECK_TRUE(fd != NULL);
      if (fd)
        CHECK_EQ_INT(fd->severity,
                     f->stops_plan ? GK_SEV_REFER : GK_SEV_WARNING);
      CHECK_TRUE(r.refer >= f->stops_plan);
      CHECK_TRUE(r.urgency >= f->urgency);
    }
  }
}

/* Every rule of data/red_flags.json is tested firing and not firing. */
static void test_every_red_flag_covered(void) {
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_RED_FLAGS), "rules");
  ASSERT_TRUE(cJSON_GetArraySize(rules) >= 10);
  const cJSON *r;
  cJSON_ArrayForEach(r, rules) {
    const char *code = gk__clinic_json_string(r, "code");
    int yes = 0, no = 0;
    for (size_t i = 0; i < sizeof flag_cases / sizeof flag_cases[0]; i++)
      if (strcmp(flag_cases[i].code, code) == 0) {
        if (flag_cases[i].fires) yes = 1;
        else no = 1;
      }
    if (!CHECK_TRUE(yes && no)) fprintf(stderr, "  untested: %s\n", code);
  }
}

static void test_red_flag_order_and_urgency(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess("{\"trauma\":true,\"age\":60,\"giving_way\":true,"
                     "\"hot_red_swollen\":true,\"fever_or_unwell\":true}",
                     &r));
  ASSERT_TRUE(r.n_red_flags >= 3);
  CHECK_STR(r.red_flags[0].code, "intake.septic_arthritis");
  CHECK_EQ_INT(r.red_flags[0].urgency, GK_URGENCY_EMERGENCY);
  CHECK_EQ_INT(r.urgency, GK_URGENCY_EMERGENCY);
  for (size_t i = 1; i < r.n_red_flags; i++)
    CHECK_TRUE(r.red_flags[i].urgency <= r.red_flags[i - 1].urgency);
  CHECK_STR(gk_urgency_name(GK_URGENCY_SOON), "soon");
  /* No answers: nothing fires, nothing is guessed. */
  ASSERT_TRUE(assess("{}", &r));
  CHECK_EQ_INT(r.n_red_flags, 0);
  CHECK_EQ_INT(r.refer, 0);
  CHECK_EQ_INT(r.n_findings, 0);
  CHECK_TRUE(isnan(r.akps));
}

/* ---- intake findings ----------------------------------------------------- */

static void test_intake_findings(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess("{\"pain_run\":5}", &r));
  CHECK_TRUE(finding(&r, "intake.pain_run_above_ideal") != NULL);
  CHECK_TRUE(finding(&r, "intake.pain_run_over_limit") == NULL);
  ASSERT_TRUE(assess("{\"pain_run\":6}", &r));
  const gk_finding *f = finding(&r, "intake.pain_run_over_limit");
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 6, 0);
  CHECK_NEAR(f->threshold, 5, 0);
  CHECK_EQ_INT(f->severity, GK_SEV_WARNING);
  CHECK_TRUE(strstr(f->text, "6/10") != NULL);
  CHECK_TRUE(f->evidence_note != NULL);
  ASSERT_TRUE(assess("{\"pain_run\":2,\"pain_daily\":2}", &r));
  CHECK_EQ_INT(r.n_findings, 0);
  ASSERT_TRUE(assess("{\"pain_daily\":3}", &r));
  CHECK_TRUE(finding(&r, "intake.pain_daily") != NULL);
  ASSERT_TRUE(assess("{\"history\":[\"ankle_sprain\",\"back_problems\","
                     "\"pregnancy_last_2y\",\"knee_surgery\",\"hip_problems\","
                     "\"low_energy_availability\"]}",
                     &r));
  CHECK_TRUE(finding(&r, "intake.history_ankle_sprain") != NULL);
  CHECK_TRUE(finding(&r, "intake.history_back") != NULL);
  CHECK_TRUE(finding(&r, "intake.history_pregnancy") != NULL);
  CHECK_TRUE(finding(&r, "intake.history_knee_surgery") != NULL);
  CHECK_TRUE(finding(&r, "intake.history_hip") != NULL);
  CHECK_TRUE(finding(&r, "intake.low_energy_availability") != NULL);
  CHECK_EQ_INT(r.refer, 0);
  ASSERT_TRUE(assess("{\"pain_location\":\"below_kneecap\"}", &r));
  CHECK_TRUE(finding(&r, "intake.pain_elsewhere") != NULL);
  CHECK_TRUE(finding(&r, "intake.pfp_pattern") == NULL);
  /* Every finding carries a source. */
  for (size_t i = 0; i < r.n_findings; i++)
    CHECK_TRUE(r.findings[i].source != NULL);
}

/* Intake findings (not red flags) at their boundaries: a value exactly on
   the threshold and one either side. */
static const flag_case finding_cases[] = {
    /* Osteoarthritis pattern: 45 or older, activity pain, stiffness <= 30;
       a finding that changes the plan, never a red flag. */
    {"{\"age\":45,\"morning_stiffness_min\":30,\"worse_with\":[\"stairs_"
     "down\"]}",
     "intake.osteoarthritis", 1},
    {"{\"age\":44,\"morning_stiffness_min\":10,\"worse_with\":[\"stairs_"
     "down\"]}",
     "intake.osteoarthritis", 0},
    {"{\"age\":50,\"morning_stiffness_min\":31,\"worse_with\":[\"squat\"]}",
     "intake.osteoarthritis", 0},
    {"{\"age\":50,\"morning_stiffness_min\":10,\"pain_run\":3}",
     "intake.osteoarthritis", 1},
    {"{\"age\":50,\"morning_stiffness_min\":10,\"worse_with\":[]}",
     "intake.osteoarthritis", 0},
    {"{\"age\":50,\"worse_with\":[\"squat\"]}", "intake.osteoarthritis", 0},
};

static const flag_case surface_cases[] = {
    /* Downhill pain, collected in worse_with. */
    {"{\"worse_with\":[\"downhill\"]}", "intake.downhill_pain", 1},
    {"{\"worse_with\":[\"stairs_down\",\"running\"]}",
     "intake.downhill_pain", 0},
    {"{\"worse_with\":[]}", "intake.downhill_pain", 0},
    /* Shoes: more than 800 km. */
    {"{\"shoes_km\":801}", "intake.shoes_worn", 1},
    {"{\"shoes_km\":800}", "intake.shoes_worn", 0},
    {"{\"shoes_km\":799}", "intake.shoes_worn", 0},
    {"{\"shoe_change_recent\":true}", "intake.shoe_change_recent", 1},
    {"{\"shoe_change_recent\":false}", "intake.shoe_change_recent", 0},
    {"{}", "intake.shoe_change_recent", 0},
    {"{\"surface_change_recent\":true}", "intake.surface_change_recent", 1},
    {"{\"surface_change_recent\":false}", "intake.surface_change_recent",
     0},
};

static void test_intake_finding_boundaries(void) {
  for (size_t i = 0; i < sizeof surface_cases / sizeof surface_cases[0];
       i++) {
    gk_intake_result r;
    if (!assess(surface_cases[i].json, &r)) continue;
    const gk_finding *f = finding(&r, surface_cases[i].code);
    if (!CHECK_EQ_INT(f != NULL, surface_cases[i].fires))
      fprintf(stderr, "  %s on %s\n", surface_cases[i].code,
              surface_cases[i].json);
    CHECK_EQ_INT(r.refer, 0);
    if (f != NULL) CHECK_TRUE(f->source != NULL && f->evidence_note != NULL);
  }
  gk_intake_result shoes;
  ASSERT_TRUE(assess("{\"shoes_km\":950}", &shoes));
  const gk_finding *worn = finding(&shoes, "intake.shoes_worn");
  ASSERT_TRUE(worn != NULL);
  CHECK_NEAR(worn->value, 950, 0);
  CHECK_NEAR(worn->threshold, 800, 0);
  CHECK_EQ_INT(worn->severity, GK_SEV_INFO);
  CHECK_TRUE(strstr(worn->text, "950 km") != NULL);

  for (size_t i = 0; i < sizeof finding_cases / sizeof finding_cases[0];
       i++) {
    gk_intake_result r;
    if (!assess(finding_cases[i].json, &r)) continue;
    const gk_finding *f = finding(&r, finding_cases[i].code);
    if (!CHECK_EQ_INT(f != NULL, finding_cases[i].fires))
      fprintf(stderr, "  %s on %s\n", finding_cases[i].code,
              finding_cases[i].json);
    CHECK_TRUE(flag(&r, finding_cases[i].code) == NULL);
    if (f != NULL) CHECK_TRUE(f->severity < GK_SEV_WARNING);
  }
}

/* The fuzz seed for osteoarthritis, downhill pain and shoes parses and
   gives those findings, and no red flag. */
static void test_osteoarthritis_seed(void) {
  char path[512];
  snprintf(path, sizeof path, "%s/intake/y_osteoarthritis_shoes.json",
           GK_TEST_DATA);
  FILE *fp = fopen(path, "rb");
  ASSERT_TRUE(fp != NULL);
  static char text[4096];
  size_t n = fread(text, 1, sizeof text - 1, fp);
  fclose(fp);
  text[n] = '\0';
  gk_intake_result r;
  ASSERT_TRUE(assess(text, &r));
  CHECK_EQ_INT(r.n_red_flags, 0);
  CHECK_TRUE(finding(&r, "intake.osteoarthritis") != NULL);
  CHECK_TRUE(finding(&r, "intake.downhill_pain") != NULL);
  CHECK_TRUE(finding(&r, "intake.shoes_worn") != NULL);
  CHECK_TRUE(finding(&r, "intake.shoe_change_recent") != NULL);
  CHECK_TRUE(finding(&r, "intake.surface_change_recent") == NULL);
}

/* ---- vignettes ----------------------------------------------------------- */

/* A 24-year-old runner, gradual pain around the kneecap, worse on stairs,
   squatting and sitting: classic patellofemoral pain, no red flag. */
static void test_vignette_classic_pfp(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess(
      "{\"age\":24,\"sex\":\"female\",\"side\":\"right\","
      "\"pain_location\":\"around_kneecap\",\"onset\":\"gradual\","
      "\"trauma\":false,\"locking\":false,\"giving_way\":false,"
      "\"night_pain\":false,\"rest_pain\":false,\"fever_or_unwell\":false,"
      "\"hot_red_swollen\":false,\"can_bear_weight\":true,\"can_flex_90\":true,"
      "\"bony_tenderness\":false,\"pain_on_hop\":false,\"swelling\":false,"
      "\"grinding\":true,\"morning_stiffness_min\":5,"
      "\"worse_with\":[\"stairs_down\",\"squat\",\"sitting\",\"running\"],"
      "\"history\":[\"ankle_sprain\"],\"pain_now\":1,\"pain_run\":4,"
      "\"pain_daily\":3,\"shoes_km\":400,"
      "\"akps\":[1,1,2,2,1,2,1,1,1,1,0,0,0]}",
      &r));
  CHECK_EQ_INT(r.refer, 0);
  CHECK_EQ_INT(r.n_red_flags, 0);
  CHECK_EQ_INT(r.urgency, GK_URGENCY_NONE);
  CHECK_NEAR(r.akps, 74, 0);
  CHECK_TRUE(finding(&r, "intake.pfp_pattern") != NULL);
  CHECK_TRUE(finding(&r, "intake.pain_run_above_ideal") != NULL);
  CHECK_TRUE(finding(&r, "intake.pain_daily") != NULL);
  CHECK_TRUE(finding(&r, "intake.history_ankle_sprain") != NULL);
  const gk_finding *a = finding(&r, "intake.akps");
  ASSERT_TRUE(a != NULL);
  CHECK_NEAR(a->value, 74, 0);
  for (size_t i = 0; i < r.n_findings; i++)
    CHECK_TRUE(r.findings[i].severity != GK_SEV_REFER);
}

/* A 30-year-old twisted the knee playing football; it swelled within the
   hour and gives way: haemarthrosis (ACL?), urgent; stop the plan. */
static void test_vignette_acute_trauma(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess("{\"age\":30,\"onset\":\"sudden\",\"trauma\":true,"
                     "\"swelling_within_2h\":true,\"swelling\":true,"
                     "\"giving_way\":true,\"can_bear_weight\":true,"
                     "\"can_flex_90\":true,\"patellar_tenderness\":false,"
                     "\"fibular_head_tenderness\":false,\"pain_now\":6}",
                     &r));
  CHECK_EQ_INT(r.refer, 1);
  CHECK_EQ_INT(r.urgency, GK_URGENCY_URGENT);
  ASSERT_TRUE(r.n_red_flags >= 2);
  CHECK_STR(r.red_flags[0].code, "intake.haemarthrosis");
  CHECK_TRUE(flag(&r, "intake.giving_way") != NULL);
  CHECK_TRUE(flag(&r, "intake.ottawa_knee") == NULL); /* 30, all negative */
  const gk_finding *f = finding(&r, "intake.haemarthrosis");
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_REFER);
}

/* A 58-year-old with 45 minutes of morning stiffness: inflammatory
   arthritis must be ruled out (refer, soon), not the osteoarthritis
   pathway; with 20 minutes the NICE osteoarthritis pattern instead (a
   finding that shapes the plan, not a red flag). */
static void test_vignette_58_morning_stiffness(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess("{\"age\":58,\"onset\":\"gradual\",\"trauma\":false,"
                     "\"morning_stiffness_min\":45,"
                     "\"worse_with\":[\"stairs_down\",\"kneeling\"],"
                     "\"pain_daily\":3}",
                     &r));
  CHECK_EQ_INT(r.refer, 1);
  CHECK_EQ_INT(r.urgency, GK_URGENCY_SOON);
  CHECK_TRUE(flag(&r, "intake.inflammatory") != NULL);
  CHECK_TRUE(flag(&r, "intake.osteoarthritis") == NULL);
  CHECK_TRUE(flag(&r, "intake.ottawa_knee") == NULL); /* no trauma */
  ASSERT_TRUE(assess("{\"age\":58,\"onset\":\"gradual\",\"trauma\":false,"
                     "\"morning_stiffness_min\":20,"
                     "\"worse_with\":[\"stairs_down\",\"kneeling\"]}",
                     &r));
  CHECK_EQ_INT(r.refer, 0);
  CHECK_EQ_INT(r.urgency, GK_URGENCY_NONE);
  CHECK_EQ_INT(r.n_red_flags, 0); /* osteoarthritis is not a red flag */
  CHECK_TRUE(flag(&r, "intake.osteoarthritis") == NULL);
  const gk_finding *f = finding(&r, "intake.osteoarthritis");
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_NEAR(f->value, 58, 0);
}

/* A 35-year-old runner with night pain and one tender spot on the shin
   bone, hopping hurts: bone stress injury, stop running, see a doctor. */
static void test_vignette_night_pain_bony_tenderness(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess("{\"age\":35,\"onset\":\"gradual\",\"trauma\":false,"
                     "\"night_pain\":true,\"rest_pain\":false,"
                     "\"bony_tenderness\":true,\"pain_on_hop\":true,"
                     "\"pain_run\":6,\"history\":[\"low_energy_availability\"]}",
                     &r));
  CHECK_EQ_INT(r.refer, 1);
  CHECK_TRUE(r.urgency >= GK_URGENCY_SOON);
  const gk_red_flag *b = flag(&r, "intake.bone_stress");
  ASSERT_TRUE(b != NULL);
  CHECK_EQ_INT(b->stops_plan, 1);
  CHECK_TRUE(strstr(b->who, "doctor") != NULL || strstr(b->who, "GP") != NULL);
  CHECK_TRUE(flag(&r, "intake.continuous_pain") == NULL);
}

/* ---- JSON ---------------------------------------------------------------- */

static void test_json_shape(void) {
  gk_intake_result r;
  ASSERT_TRUE(assess("{\"age\":60,\"trauma\":true,\"pain_run\":7,"
                     "\"akps\":[0,0,1,1,2,3,2,3,3,2,1,1,2]}",
                     &r));
  gk_buf b = {0};
  gk_intake_result_write_json(&r, &b);
  ASSERT_TRUE(!b.oom && b.len > 0);
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  ASSERT_TRUE(j != NULL);
  const char *order[] = {"akps", "refer", "red_flags", "findings"};
  const cJSON *m = j->child;
  for (int i = 0; i < 4; i++, m = m ? m->next : NULL)
    CHECK_STR(m ? m->string : NULL, order[i]);
  CHECK_NEAR(cJSON_GetObjectItem(j, "akps")->valuedouble, 51, 0);
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(j, "refer")));
  const cJSON *rf = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "red_flags"), 0);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rf, "code")),
            "intake.ottawa_knee");
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(rf, "urgency")),
            "urgent");
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(rf, "text")));
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")),
               (int)r.n_findings);
  cJSON_Delete(j);
  gk_buf_free(&b);
}

/* Every text of the clinic's rules fits a finding's text with room for the
   filled-in numbers and side. */
static void test_texts_fit(void) {
  static const gk__clinic_file files[] = {GK__CF_RED_FLAGS, GK__CF_SCREEN,
                                          GK__CF_INTAKE};
  static const char *const lists[] = {"rules", "findings"};
  for (size_t i = 0; i < 3; i++)
    for (size_t l = 0; l < 2; l++) {
      const cJSON *r;
      cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(
                                gk__clinic_data(files[i]), lists[l])) {
        const char *t = gk__clinic_json_string(r, "text");
        if (!CHECK_TRUE(t != NULL && strlen(t) < GK_FINDING_TEXT_MAX - 64))
          fprintf(stderr, "  %s\n", gk__clinic_json_string(r, "code"));
      }
    }
}

int main(void) {
  RUN(test_texts_fit);
  RUN(test_akps_hand_computed);
  RUN(test_akps_data);
  RUN(test_parse_all_keys);
  RUN(test_parse_enums_match_data);
  RUN(test_fields_match_questions);
  RUN(test_parse_errors_name_the_key);
  RUN(test_red_flag_boundaries);
  RUN(test_every_red_flag_covered);
  RUN(test_red_flag_order_and_urgency);
  RUN(test_intake_findings);
  RUN(test_intake_finding_boundaries);
  RUN(test_osteoarthritis_seed);
  RUN(test_vignette_classic_pfp);
  RUN(test_vignette_acute_trauma);
  RUN(test_vignette_58_morning_stiffness);
  RUN(test_vignette_night_pain_bony_tenderness);
  RUN(test_json_shape);
  return TEST_SUMMARY();
}
