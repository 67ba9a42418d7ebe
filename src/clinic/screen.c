/*
** screen.c -- the functional screen: where each answer of data/screen.json
** is stored in gk_screen, and the findings its rules produce (kinds below,
** above, side_difference, side_percent, yes, no; data/screen.json
** "about").  The
** screen alone never refers: pain on hopping is a warning that points to
** the intake's bone-stress questions.
*/
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"

#define F(k, t, m) {k, t, offsetof(gk_screen, m)}
#define SLS(side, i)                                                  \
  F("single_leg_squat." side ".knee_valgus", GK__F_YESNO,             \
    single_leg_squat[i].knee_valgus),                                 \
      F("single_leg_squat." side ".pelvic_drop", GK__F_YESNO,         \
        single_leg_squat[i].pelvic_drop),                             \
      F("single_leg_squat." side ".trunk_lean", GK__F_YESNO,          \
        single_leg_squat[i].trunk_lean),                              \
      F("single_leg_squat." side ".pain", GK__F_YESNO,                \
        single_leg_squat[i].pain)
/* A number measured on each side: key.left, key.right. */
#define SIDES(key, m)                                                 \
  F(key ".left", GK__F_NUM, m[0]), F(key ".right", GK__F_NUM, m[1])

const gk__field gk__screen_fields[] = {
    F("knee_to_wall_cm.left", GK__F_NUM, knee_to_wall_cm[0]),
    F("knee_to_wall_cm.right", GK__F_NUM, knee_to_wall_cm[1]),
    F("deep_squat.full_depth", GK__F_YESNO, deep_squat_full_depth),
    F("deep_squat.pain", GK__F_YESNO, deep_squat_pain),
    F("lunge.pain", GK__F_YESNO, lunge_pain),
    SLS("left", 0),
    SLS("right", 1),
    F("single_leg_bridge_reps.left", GK__F_NUM, single_leg_bridge_reps[0]),
    F("single_leg_bridge_reps.right", GK__F_NUM, single_leg_bridge_reps[1]),
    F("calf_raise_reps.left", GK__F_NUM, calf_raise_reps[0]),
    F("calf_raise_reps.right", GK__F_NUM, calf_raise_reps[1]),
    F("side_plank_s.left", GK__F_NUM, side_plank_s[0]),
    F("side_plank_s.right", GK__F_NUM, side_plank_s[1]),
    F("hop_pain.left", GK__F_YESNO, hop_pain[0]),
    F("hop_pain.right", GK__F_YESNO, hop_pain[1]),
    F("walk_30min_pain", GK__F_YESNO, walk_30min_pain),
    SIDES("hip_abduction_pct_bw", hip_abduction_pct_bw),
    SIDES("side_lying_abduction_reps", side_lying_abduction_reps),
    SIDES("knee_extension_pct_bw", knee_extension_pct_bw),
    SIDES("single_leg_sit_to_stand_reps", single_leg_sit_to_stand_reps),
    SIDES("foot_posture_index", foot_posture_index),
    SIDES("navicular_drop_mm", navicular_drop_mm),
    SIDES("thoracic_rotation_deg", thoracic_rotation_deg),
    SIDES("hip_internal_rotation_deg", hip_internal_rotation_deg),
    SIDES("hip_external_rotation_deg", hip_external_rotation_deg),
    F("shoulder_flexion_full.left", GK__F_YESNO, shoulder_flexion_full[0]),
    F("shoulder_flexion_full.right", GK__F_YESNO, shoulder_flexion_full[1]),
};
const size_t gk__screen_field_count =
    sizeof gk__screen_fields / sizeof gk__screen_fields[0];

#undef SLS
#undef SIDES
#undef F

void gk_screen_init(gk_screen *s) {
  if (s == NULL) return;
  memset(s, 0, sizeof *s);
  for (int i = 0; i < 2; i++) {
    s->knee_to_wall_cm[i] = NAN;
    s->single_leg_bridge_reps[i] = NAN;
    s->calf_raise_reps[i] = NAN;
    s->side_plank_s[i] = NAN;
    s->hip_abduction_pct_bw[i] = s->side_lying_abduction_reps[i] = NAN;
    s->knee_extension_pct_bw[i] = s->single_leg_sit_to_stand_reps[i] = NAN;
    s->foot_posture_index[i] = s->navicular_drop_mm[i] = NAN;
    s->thoracic_rotation_deg[i] = NAN;
    s->hip_internal_rotation_deg[i] = s->hip_external_rotation_deg[i] = NAN;
    s->shoulder_flexion_full[i] = -1;
    s->hop_pain[i] = -1;
    s->single_leg_squat[i].knee_valgus = -1;
    s->single_leg_squat[i].pelvic_drop = -1;
    s->single_leg_squat[i].trunk_lean = -1;
    s->single_leg_squat[i].pain = -1;
  }
  s->deep_squat_full_depth = s->deep_squat_pain = s->lunge_pain = -1;
  s->walk_30min_pain = -1;
}

gk_status gk_screen_parse(const char *json, size_t len, gk_screen *out,
                          gk_err *err) {
  gk_screen tmp;
  if (out == NULL) return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  gk_screen_init(out);
  gk_screen_init(&tmp);
  gk_status st = gk__answers_parse(GK__CF_SCREEN, gk__screen_fields,
                                   gk__screen_field_count, json, len, &tmp,
                                   err);
  if (st == GK_OK) *out = tmp;
  return st;
}

/* ---- assessment ---------------------------------------------------------- */

static const char *const side_names[2] = {"left", "right"};

/* The value of key pattern (with {side} as side s, or none) in s; NaN
   when unknown or not a known key.  *found says whether the key exists. */
static double screen_value(const gk_screen *sc, const char *pattern, int side,
                           int *found) {
  char key[96];
  const char *p = strstr(pattern, "{side}");
  if (p != NULL) {
    snprintf(key, sizeof key, "%.*s%s%s", (int)(p - pattern), pattern,
             side_names[side], p + 6);
  } else {
    snprintf(key, sizeof key, "%s", pattern);
  }
  const gk__field *fd =
      gk__field_find(gk__screen_fields, gk__screen_field_count, key);
  *found = fd != NULL;
  return fd ? gk__field_value(fd, sc) : NAN;
}

typedef struct rule_ctx {
  gk_screen_result *r;
  const char *code, *text, *source, *note;
  gk_severity sev;
  double threshold;
  double left, right;
  gk_err *err;
} rule_ctx;

static gk_status emit(rule_ctx *c, gk_body_side side, double value) {
  gk_screen_result *r = c->r;
  if (r->n_findings >= GK_CLINIC_FINDINGS_MAX)
    return gk__clinic_fail(c->err, GK_E_LIMIT, "more than %d findings",
                           GK_CLINIC_FINDINGS_MAX);
  gk_finding *f = &r->findings[r->n_findings];
  r->finding_side[r->n_findings] = side;
  r->n_findings++;
  gk__clinic_finding_clear(f);
  f->code = c->code;
  f->severity = c->sev;
  f->value = value;
  f->threshold = c->threshold;
  const char *sn = side == GK_SIDE_LEFT    ? "left"
                   : side == GK_SIDE_RIGHT ? "right"
                                           : NULL;
  gk__clinic_template(f->text, sizeof f->text, c->text, sn, value,
                      c->threshold, c->left, c->right);
  f->source = c->source;
  f->evidence_note = c->note;
  return GK_OK;
}

static gk_status defect(gk_err *err, const char *code, const char *what) {
  return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                         "data/screen.json: rule '%s': %s (a data defect)",
                         code ? code : "?", what);
}

static gk_status apply_rule(const cJSON *rule, const gk_screen *sc,
                            gk_screen_result *r, gk_err *err) {
  rule_ctx c;
  memset(&c, 0, sizeof c);
  c.r = r;
  c.err = err;
  c.code = gk__clinic_json_string(rule, "code");
  c.text = gk__clinic_json_string(rule, "text");
  c.source = gk__clinic_json_string(rule, "source");
  c.note = gk__clinic_json_string(rule, "evidence_note");
  const char *kind = gk__clinic_json_string(rule, "kind");
  const char *key = gk__clinic_json_string(rule, "key");
  const cJSON *th = cJSON_GetObjectItemCaseSensitive(rule, "threshold");
  int sev = gk_severity_from_name(gk__clinic_json_string(rule, "severity"));
  if (c.code == NULL || c.text == NULL || c.source == NULL || kind == NULL ||
      key == NULL || !cJSON_IsNumber(th) || sev < 0)
    return defect(err, c.code,
                  "needs code, kind, key, threshold, severity, text and "
                  "source");
  c.sev = (gk_severity)sev;
  c.threshold = th->valuedouble;
  int per_side = strstr(key, "{side}") != NULL;
  int found_l, found_r;
  c.left = screen_value(sc, key, 0, &found_l);
  c.right = screen_value(sc, key, 1, &found_r);
  if (!found_l || !found_r) return defect(err, c.code, "unknown key");

  gk_status st = GK_OK;
  if (strcmp(kind, "below") == 0 || strcmp(kind, "above") == 0) {
    if (!per_side)
      return defect(err, c.code, "'below' and 'above' need a {side} key");
    int above = kind[0] == 'a';
    for (int s = 0; s < 2 && st == GK_OK; s++) {
      double v = s == 0 ? c.left : c.right;
      if (!isnan(v) && (above ? v > c.threshold : v < c.threshold))
        st = emit(&c, s == 0 ? GK_SIDE_LEFT : GK_SIDE_RIGHT, v);
    }
  } else if (strcmp(kind, "side_difference") == 0 ||
             strcmp(kind, "side_percent") == 0) {
    if (!per_side) return defect(err, c.code, "a side rule needs a {side} key");
    if (isnan(c.left) || isnan(c.right)) return GK_OK;
    double hi = fmax(c.left, c.right), lo = fmin(c.left, c.right);
    double v = kind[5] == 'd' ? hi - lo : (hi > 0 ? (hi - lo) * 100 / hi : 0);
    if (v > c.threshold)
      st = emit(&c, c.left < c.right ? GK_SIDE_LEFT : GK_SIDE_RIGHT, v);
  } else if (strcmp(kind, "yes") == 0 || strcmp(kind, "no") == 0) {
    double want = kind[0] == 'y' ? 1 : 0;
    if (per_side) {
      for (int s = 0; s < 2 && st == GK_OK; s++) {
        double v = s == 0 ? c.left : c.right;
        if (v == want) st = emit(&c, s == 0 ? GK_SIDE_LEFT : GK_SIDE_RIGHT, v);
      }
    } else if (c.left == want) {
      st = emit(&c, GK_SIDE_UNKNOWN, c.left);
    }
  } else {
    return defect(err, c.code, "unknown kind");
  }
  return st;
}

gk_status gk_screen_assess(const gk_screen *s, gk_screen_result *out,
                           gk_err *err) {
  if (s == NULL || out == NULL)
    return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  memset(out, 0, sizeof *out);
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_SCREEN), "rules");
  if (!cJSON_IsArray(rules))
    return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                           "data/screen.json is missing or has no rules (a "
                           "build defect)");
  gk_screen_result r;
  memset(&r, 0, sizeof r);
  const cJSON *rule;
  cJSON_ArrayForEach(rule, rules) {
    gk_status st = apply_rule(rule, s, &r, err);
    if (st != GK_OK) return st;
  }
  *out = r;
  return GK_OK;
}

void gk_screen_result_write_json(const gk_screen_result *r, gk_buf *b) {
  gk_buf_puts(b, "{\"refer\":false,\"findings\":[");
  for (size_t i = 0; i < r->n_findings && i < GK_CLINIC_FINDINGS_MAX; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_finding_write_json(&r->findings[i], b);
  }
  gk_buf_puts(b, "],\"sides\":[");
  for (size_t i = 0; i < r->n_findings && i < GK_CLINIC_FINDINGS_MAX; i++) {
    gk_body_side sd = r->finding_side[i];
    if (i) gk_buf_putc(b, ',');
    if (sd == GK_SIDE_LEFT) gk_json_str(b, "left");
    else if (sd == GK_SIDE_RIGHT) gk_json_str(b, "right");
    else gk_buf_puts(b, "null");
  }
  gk_buf_puts(b, "]}");
}
