/*
** intake.c -- the intake: where each answer of data/intake.json is stored
** in gk_intake, the checks that span several answers (contradictions), and
** the assessment: the AKPS score, the red flags of data/red_flags.json and
** the intake findings of data/intake.json ("findings").
**
** Contradictions refused (the message names the key; data/intake.json
** lists them too):
**   - swelling_within_2h, patellar_tenderness or fibular_head_tenderness
**     true with trauma false: those are asked after an injury;
**   - hot_red_swollen true with swelling false;
**   - constant_pain true with rest_pain or night_pain false, or pain_now 0;
**   - can_bear_weight false with AKPS item 2 "full support without pain",
**     or true with "weight bearing impossible";
**   - kneecap_dislocation false with AKPS item 11 naming a dislocation.
*/
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"

_Static_assert(sizeof(gk_body_side) == sizeof(int) &&
                   sizeof(gk_pain_location) == sizeof(int) &&
                   sizeof(gk_onset) == sizeof(int),
               "choice answers are stored as int-sized enums");

#define F(k, t, m) {k, t, offsetof(gk_intake, m)}

const gk__field gk__intake_fields[] = {
    F("age", GK__F_NUM, age),
    F("sex", GK__F_STR, sex),
    F("height_cm", GK__F_NUM, height_cm),
    F("mass_kg", GK__F_NUM, mass_kg),
    F("side", GK__F_CHOICE, side),
    F("pain_location", GK__F_CHOICE, pain_location),
    F("onset", GK__F_CHOICE, onset),
    F("trauma", GK__F_YESNO, trauma),
    F("swelling_within_2h", GK__F_YESNO, swelling_within_2h),
    F("locking", GK__F_YESNO, locking),
    F("giving_way", GK__F_YESNO, giving_way),
    F("night_pain", GK__F_YESNO, night_pain),
    F("rest_pain", GK__F_YESNO, rest_pain),
    F("fever_or_unwell", GK__F_YESNO, fever_or_unwell),
    F("hot_red_swollen", GK__F_YESNO, hot_red_swollen),
    F("can_bear_weight", GK__F_YESNO, can_bear_weight),
    F("can_flex_90", GK__F_YESNO, can_flex_90),
    F("bony_tenderness", GK__F_YESNO, bony_tenderness),
    F("pain_on_hop", GK__F_YESNO, pain_on_hop),
    F("swelling", GK__F_YESNO, swelling),
    F("grinding", GK__F_YESNO, grinding),
    F("morning_stiffness_min", GK__F_NUM, morning_stiffness_min),
    F("worse_with", GK__F_LIST, worse_with),
    F("history", GK__F_LIST, history),
    F("pain_now", GK__F_NUM, pain_now),
    F("pain_run", GK__F_NUM, pain_run),
    F("pain_daily", GK__F_NUM, pain_daily),
    F("shoes_km", GK__F_NUM, shoes_km),
    F("akps", GK__F_AKPS, akps),
    F("patellar_tenderness", GK__F_YESNO, patellar_tenderness),
    F("fibular_head_tenderness", GK__F_YESNO, fibular_head_tenderness),
    F("unexplained_weight_loss", GK__F_YESNO, unexplained_weight_loss),
    F("hip_or_groin_pain", GK__F_YESNO, hip_or_groin_pain),
    F("kneecap_dislocation", GK__F_YESNO, kneecap_dislocation),
    F("constant_pain", GK__F_YESNO, constant_pain),
    F("shoe_change_recent", GK__F_YESNO, shoe_change_recent),
    F("surface_change_recent", GK__F_YESNO, surface_change_recent),
    F("last_run_settled", GK__F_YESNO, last_run_settled),
    F("walk_30min_pain", GK__F_YESNO, walk_30min_pain),
};
const size_t gk__intake_field_count =
    sizeof gk__intake_fields / sizeof gk__intake_fields[0];

#undef F

void gk_intake_init(gk_intake *in) {
  if (in == NULL) return;
  memset(in, 0, sizeof *in);
  in->age = in->height_cm = in->mass_kg = NAN;
  in->morning_stiffness_min = NAN;
  in->pain_now = in->pain_run = in->pain_daily = NAN;
  in->shoes_km = NAN;
  in->trauma = in->swelling_within_2h = in->locking = in->giving_way = -1;
  in->night_pain = in->rest_pain = in->fever_or_unwell = -1;
  in->hot_red_swollen = in->can_bear_weight = in->can_flex_90 = -1;
  in->bony_tenderness = in->pain_on_hop = in->swelling = in->grinding = -1;
  in->patellar_tenderness = in->fibular_head_tenderness = -1;
  in->unexplained_weight_loss = in->hip_or_groin_pain = -1;
  in->kneecap_dislocation = in->constant_pain = -1;
  in->shoe_change_recent = in->surface_change_recent = -1;
  in->last_run_settled = in->walk_30min_pain = -1;
  for (int i = 0; i < GK_AKPS_ITEMS; i++) in->akps[i] = -1;
}

/* AKPS items (0-based) and answers the contradictions refer to. */
enum {
  AKPS_SUPPORT = 1,     /* item 2 */
  AKPS_SUPPORT_FULL = 0,
  AKPS_SUPPORT_IMPOSSIBLE = 2,
  AKPS_KNEECAP = 10,    /* item 11 */
  AKPS_KNEECAP_DISLOCATION = 3 /* answers 3 and 4 name dislocations */
};

static gk_status contradictions(const gk_intake *in, gk_err *err) {
  static const struct {
    const char *key;
    size_t off;
  } after_injury[] = {
      {"swelling_within_2h", offsetof(gk_intake, swelling_within_2h)},
      {"patellar_tenderness", offsetof(gk_intake, patellar_tenderness)},
      {"fibular_head_tenderness", offsetof(gk_intake, fibular_head_tenderness)},
  };
  for (size_t i = 0; i < sizeof after_injury / sizeof after_injury[0]; i++) {
    int v;
    memcpy(&v, (const char *)in + after_injury[i].off, sizeof v);
    if (v == 1 && in->trauma == 0)
      return gk__clinic_fail(err, GK_E_CORRUPT,
                             "'%s': true contradicts 'trauma': false (it is "
                             "asked after an injury)",
                             after_injury[i].key);
  }
  if (in->hot_red_swollen == 1 && in->swelling == 0)
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "'hot_red_swollen': true contradicts 'swelling': "
                           "false");
  if (in->constant_pain == 1) {
    if (in->rest_pain == 0 || in->night_pain == 0)
      return gk__clinic_fail(err, GK_E_CORRUPT,
                             "'constant_pain': true contradicts '%s': false",
                             in->rest_pain == 0 ? "rest_pain" : "night_pain");
    if (in->pain_now == 0)
      return gk__clinic_fail(err, GK_E_CORRUPT,
                             "'constant_pain': true contradicts 'pain_now': "
                             "0");
  }
  if (in->can_bear_weight == 0 && in->akps[AKPS_SUPPORT] == AKPS_SUPPORT_FULL)
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "'can_bear_weight': false contradicts 'akps[1]' "
                           "(support): full support without pain");
  if (in->can_bear_weight == 1 &&
      in->akps[AKPS_SUPPORT] == AKPS_SUPPORT_IMPOSSIBLE)
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "'can_bear_weight': true contradicts 'akps[1]' "
                           "(support): weight bearing impossible");
  if (in->kneecap_dislocation == 0 &&
      in->akps[AKPS_KNEECAP] >= AKPS_KNEECAP_DISLOCATION)
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "'kneecap_dislocation': false contradicts "
                           "'akps[10]' (kneecap movements): a dislocation");
  return GK_OK;
}

gk_status gk_intake_parse(const char *json, size_t len, gk_intake *out,
                          gk_err *err) {
  gk_intake tmp;
  if (out == NULL) return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  gk_intake_init(out);
  gk_intake_init(&tmp);
  gk_status st = gk__answers_parse(GK__CF_INTAKE, gk__intake_fields,
                                   gk__intake_field_count, json, len, &tmp,
                                   err);
  if (st == GK_OK) st = contradictions(&tmp, err);
  if (st == GK_OK) *out = tmp;
  return st;
}

/* ---- assessment ---------------------------------------------------------- */

static gk_status add_finding(gk_finding *list, size_t *n, gk_err *err,
                             gk_finding **out) {
  if (*n >= GK_CLINIC_FINDINGS_MAX)
    return gk__clinic_fail(err, GK_E_LIMIT, "more than %d findings",
                           GK_CLINIC_FINDINGS_MAX);
  *out = &list[(*n)++];
  gk__clinic_finding_clear(*out);
  return GK_OK;
}

gk_status gk_intake_assess(const gk_intake *in, gk_intake_result *out,
                           gk_err *err) {
  if (in == NULL || out == NULL)
    return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  memset(out, 0, sizeof *out);
  out->akps = NAN;
  const char *notes[GK_RED_FLAG_MAX] = {0};
  gk_intake_result r;
  memset(&r, 0, sizeof r);
  r.akps = gk_akps_score(in, &r.akps_answered);
  gk_status st =
      gk__red_flags_eval(in, r.red_flags, notes, GK_RED_FLAG_MAX,
                         &r.n_red_flags, err);
  if (st != GK_OK) return st;

  gk_finding *f = NULL;
  for (size_t i = 0; i < r.n_red_flags; i++) {
    const gk_red_flag *rf = &r.red_flags[i];
    if (rf->stops_plan) r.refer = 1;
    if (rf->urgency > r.urgency) r.urgency = rf->urgency;
    if ((st = add_finding(r.findings, &r.n_findings, err, &f)) != GK_OK)
      return st;
    f->code = rf->code;
    f->severity = rf->stops_plan ? GK_SEV_REFER : GK_SEV_WARNING;
    gk__clinic_template(f->text, sizeof f->text, rf->text, NULL, NAN, NAN,
                        NAN, NAN);
    f->source = rf->source;
    f->evidence_note = notes[i];
  }

  if (!isnan(r.akps)) {
    if ((st = add_finding(r.findings, &r.n_findings, err, &f)) != GK_OK)
      return st;
    const cJSON *akps = gk__clinic_data(GK__CF_AKPS);
    f->code = "intake.akps";
    f->severity = GK_SEV_INFO;
    f->value = r.akps;
    gk__clinic_template(
        f->text, sizeof f->text,
        "Kujala Anterior Knee Pain Scale: {value}/100 (100: no problems). "
        "A change of about 8-10 points is a change you would notice; "
        "repeat it every few weeks to follow progress.",
        NULL, r.akps, NAN, NAN, NAN);
    f->source = gk__clinic_json_string(akps, "source");
    f->evidence_note =
        "the 8-10 point minimal important change is remembered, not read "
        "(Crossley et al. 2004 measured responsiveness)";
  }

  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_INTAKE), "findings");
  const cJSON *rule;
  cJSON_ArrayForEach(rule, rules) {
    const char *code = gk__clinic_json_string(rule, "code");
    int sev = gk_severity_from_name(gk__clinic_json_string(rule, "severity"));
    const char *text = gk__clinic_json_string(rule, "text");
    if (code == NULL || sev < 0 || text == NULL ||
        gk__clinic_json_string(rule, "source") == NULL)
      return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                             "data/intake.json: finding '%s' needs code, "
                             "severity, text and source (a data defect)",
                             code ? code : "?");
    int fires;
    st = gk__condition_eval(cJSON_GetObjectItemCaseSensitive(rule, "when"),
                            in, code, 0, &fires, err);
    if (st != GK_OK) return st;
    if (!fires) continue;
    if ((st = add_finding(r.findings, &r.n_findings, err, &f)) != GK_OK)
      return st;
    const char *vk = gk__clinic_json_string(rule, "value_key");
    const gk__field *vf =
        vk ? gk__field_find(gk__intake_fields, gk__intake_field_count, vk)
           : NULL;
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(rule, "threshold");
    f->code = code;
    f->severity = (gk_severity)sev;
    f->value = vf ? gk__field_value(vf, in) : NAN;
    f->threshold = cJSON_IsNumber(th) ? th->valuedouble : NAN;
    gk__clinic_template(f->text, sizeof f->text, text, NULL, f->value,
                        f->threshold, NAN, NAN);
    f->source = gk__clinic_json_string(rule, "source");
    f->evidence_note = gk__clinic_json_string(rule, "evidence_note");
  }
  *out = r;
  return GK_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

void gk_intake_result_write_json(const gk_intake_result *r, gk_buf *b) {
  gk_buf_putc(b, '{');
  gk_json_key(b, "akps");
  gk_json_num(b, r->akps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "refer");
  gk_buf_puts(b, r->refer ? "true" : "false");
  gk_buf_putc(b, ',');
  gk_json_key(b, "red_flags");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < r->n_red_flags && i < GK_RED_FLAG_MAX; i++) {
    const gk_red_flag *f = &r->red_flags[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "code");
    gk_json_str(b, f->code ? f->code : "");
    gk_buf_putc(b, ',');
    gk_json_key(b, "text");
    gk_json_str(b, f->text ? f->text : "");
    gk_buf_putc(b, ',');
    gk_json_key(b, "urgency");
    gk_json_str(b, gk_urgency_name(f->urgency));
    gk_buf_putc(b, ',');
    gk_json_key(b, "who");
    gk_json_str(b, f->who ? f->who : "");
    gk_buf_putc(b, ',');
    gk_json_key(b, "stops_plan");
    gk_buf_puts(b, f->stops_plan ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "source");
    gk_json_str(b, f->source ? f->source : "");
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "findings");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < r->n_findings && i < GK_CLINIC_FINDINGS_MAX; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_finding_write_json(&r->findings[i], b);
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "akps_answered");
  gk_json_i64(b, r->akps_answered);
  gk_buf_putc(b, ',');
  gk_json_key(b, "urgency");
  gk_json_str(b, gk_urgency_name(r->urgency));
  gk_buf_putc(b, '}');
}
