/*
** load_rules.c -- the training-load and pain rules, read from
** data/load_rules.json.
**
** Every number the load module (load.c) compares against, each rule's
** evidence and its caveat live in data/load_rules.json, next to the study
** they come from, so that a clinician can review or change a rule without
** reading C (docs/METRICS.md, "Training load" and "Pain", explains each
** rule in prose; the facts and citations come from ../shared/EVIDENCE.md
** sections 3 and 4).  This file maps the file's members onto the
** variables load.c reads, once per process, and checks that every one is
** present and in range: the data file is compiled in, so a mistake in it is
** a build defect that tests/unit/test_load.c reports by name.
*/
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "load_internal.h"

#define RULES_FILE "load_rules.json"

double gk__ratio_tolerance;
int gk__spike_lookback_days, gk__spike_window_days;
double gk__spike_ratio, gk__spike_band2_ratio, gk__spike_warning_ratio;
double gk__spike_hrr_band1, gk__spike_hrr_band2, gk__spike_hrr_band3;
int gk__ramp_period_days;
double gk__ramp_ratio;
int gk__rest_gap_days, gk__rest_window_days, gk__detrain_metabolic_days,
    gk__detrain_vo2max_days;
int gk__restart_week_days, gk__restart_lookback_days, gk__restart_relevant_days;
double gk__restart_ratio;
int gk__acwr_acute_days, gk__acwr_chronic_days;
double gk__acwr_sweet_low, gk__acwr_sweet_high, gk__acwr_danger;
int gk__monotony_days;
double gk__monotony_limit;
int gk__pain_window_days, gk__pain_during_limit,
    gk__pain_morning_lookback_days;
int gk__onset_entries, gk__onset_window_days;
int gk__pain_rising_days;
double gk__pain_nprs_mcid;
int gk__cadence_window_days, gk__cadence_min_runs;
double gk__cadence_ref_speed_mps;
const char *gk__cadence_source;
gk__load_rule gk__load_rules[GK__R_COUNT];

/* The rule codes, in enum gk__load_rule_id order. */
static const char *const rule_codes[GK__R_COUNT] = {
    [GK__R_SPIKE] = "load.single_run_spike",
    [GK__R_RAMP] = "load.two_week_ramp",
    [GK__R_REST_GAP] = "load.rest_gap",
    [GK__R_RESTART] = "load.restart_after_rest",
    [GK__R_ACWR] = "load.acwr",
    [GK__R_MONOTONY] = "load.monotony",
    [GK__R_PAIN_OVER] = "pain.over_limit",
    [GK__R_PAIN_ONSET] = "pain.onset_earlier",
    [GK__R_PAIN_RISING] = "pain.rising",
};

/* One parameter: which rule ("" for the cadence block), which member, and
   where it goes (an int of at least 1, or a double above 0). */
typedef struct param {
  int rule; /* enum gk__load_rule_id, or -1: the "cadence" object */
  const char *key;
  int *i;
  double *d;
} param;

static const param params[] = {
    {GK__R_SPIKE, "lookback_days", &gk__spike_lookback_days, NULL},
    {GK__R_SPIKE, "window_days", &gk__spike_window_days, NULL},
    {GK__R_SPIKE, "threshold", NULL, &gk__spike_ratio},
    {GK__R_SPIKE, "band2_ratio", NULL, &gk__spike_band2_ratio},
    {GK__R_SPIKE, "warning_ratio", NULL, &gk__spike_warning_ratio},
    {GK__R_SPIKE, "hrr_band1", NULL, &gk__spike_hrr_band1},
    {GK__R_SPIKE, "hrr_band2", NULL, &gk__spike_hrr_band2},
    {GK__R_SPIKE, "hrr_band3", NULL, &gk__spike_hrr_band3},
    {GK__R_RAMP, "period_days", &gk__ramp_period_days, NULL},
    {GK__R_RAMP, "threshold", NULL, &gk__ramp_ratio},
    {GK__R_REST_GAP, "threshold", &gk__rest_gap_days, NULL},
    {GK__R_REST_GAP, "window_days", &gk__rest_window_days, NULL},
    {GK__R_REST_GAP, "detrain_metabolic_days", &gk__detrain_metabolic_days,
     NULL},
    {GK__R_REST_GAP, "detrain_vo2max_days", &gk__detrain_vo2max_days, NULL},
    {GK__R_RESTART, "week_days", &gk__restart_week_days, NULL},
    {GK__R_RESTART, "lookback_days", &gk__restart_lookback_days, NULL},
    {GK__R_RESTART, "relevant_days", &gk__restart_relevant_days, NULL},
    {GK__R_RESTART, "threshold", NULL, &gk__restart_ratio},
    {GK__R_ACWR, "acute_days", &gk__acwr_acute_days, NULL},
    {GK__R_ACWR, "chronic_days", &gk__acwr_chronic_days, NULL},
    {GK__R_ACWR, "sweet_low", NULL, &gk__acwr_sweet_low},
    {GK__R_ACWR, "sweet_high", NULL, &gk__acwr_sweet_high},
    {GK__R_ACWR, "threshold", NULL, &gk__acwr_danger},
    {GK__R_MONOTONY, "days", &gk__monotony_days, NULL},
    {GK__R_MONOTONY, "threshold", NULL, &gk__monotony_limit},
    {GK__R_PAIN_OVER, "window_days", &gk__pain_window_days, NULL},
    {GK__R_PAIN_OVER, "threshold", &gk__pain_during_limit, NULL},
    {GK__R_PAIN_OVER, "morning_lookback_days",
     &gk__pain_morning_lookback_days, NULL},
    {GK__R_PAIN_ONSET, "entries", &gk__onset_entries, NULL},
    {GK__R_PAIN_ONSET, "window_days", &gk__onset_window_days, NULL},
    {GK__R_PAIN_RISING, "days", &gk__pain_rising_days, NULL},
    {GK__R_PAIN_RISING, "nprs_mcid", NULL, &gk__pain_nprs_mcid},
    {-1, "window_days", &gk__cadence_window_days, NULL},
    {-1, "min_runs", &gk__cadence_min_runs, NULL},
    {-1, "ref_speed_mps", NULL, &gk__cadence_ref_speed_mps},
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static cJSON *rules_json;       /* kept for the life of the process: the
                                   rules' strings point into it */
static char problem[200];       /* "" when the rules were read */

static const cJSON *rule_object(const cJSON *rules, const char *code) {
  const cJSON *r;
  cJSON_ArrayForEach(r, rules) {
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "code");
    if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0) return r;
  }
  return NULL;
}

static void read_rules(void) {
  rules_json = gk__data_json(RULES_FILE);
  if (rules_json == NULL) {
    snprintf(problem, sizeof problem, "data/%s: missing or not JSON",
             RULES_FILE);
    return;
  }
  const cJSON *tol =
      cJSON_GetObjectItemCaseSensitive(rules_json, "ratio_tolerance");
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(rules_json, "rules");
  const cJSON *cad = cJSON_GetObjectItemCaseSensitive(rules_json, "cadence");
  if (!cJSON_IsNumber(tol) || !(tol->valuedouble >= 0) ||
      !cJSON_IsArray(rules) || !cJSON_IsObject(cad)) {
    snprintf(problem, sizeof problem,
             "data/%s: ratio_tolerance, rules and cadence are required",
             RULES_FILE);
    return;
  }
  gk__ratio_tolerance = tol->valuedouble;
  for (int i = 0; i < GK__R_COUNT; i++) {
    const cJSON *r = rule_object(rules, rule_codes[i]);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(r, "source");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(r, "evidence_note");
    if (r == NULL || !cJSON_IsString(src) ||
        !(note == NULL || cJSON_IsNull(note) || cJSON_IsString(note))) {
      snprintf(problem, sizeof problem,
               "data/%s: rule %s missing, or without its source", RULES_FILE,
               rule_codes[i]);
      return;
    }
    gk__load_rules[i].code = rule_codes[i];
    gk__load_rules[i].source = src->valuestring;
    gk__load_rules[i].evidence_note =
        cJSON_IsString(note) ? note->valuestring : NULL;
  }
  const cJSON *csrc = cJSON_GetObjectItemCaseSensitive(cad, "source");
  if (!cJSON_IsString(csrc)) {
    snprintf(problem, sizeof problem, "data/%s: cadence.source missing",
             RULES_FILE);
    return;
  }
  gk__cadence_source = csrc->valuestring;
  for (size_t k = 0; k < sizeof params / sizeof params[0]; k++) {
    const param *p = &params[k];
    const cJSON *obj =
        p->rule < 0 ? cad : rule_object(rules, rule_codes[p->rule]);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, p->key);
    const char *where = p->rule < 0 ? "cadence" : rule_codes[p->rule];
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    int ok = isfinite(x) && x > 0;
    if (ok && p->i != NULL) ok = x == floor(x) && x <= 100000;
    if (!ok) {
      snprintf(problem, sizeof problem, "data/%s: %s.%s: %s", RULES_FILE,
               where, p->key,
               p->i ? "a whole number of at least 1 is required"
                    : "a number above 0 is required");
      return;
    }
    if (p->i) *p->i = (int)x;
    else *p->d = x;
  }
  problem[0] = '\0';
}

const char *gk__load_rules_init(void) {
  pthread_once(&once, read_rules);
  return problem[0] ? problem : NULL;
}
