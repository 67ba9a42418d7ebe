/*
** red_flags.c -- the conditions of data/red_flags.json (and of the intake
** findings in data/intake.json) evaluated over a parsed intake, and the red
** flags that fire.  The rules, their urgency, whom to see and their
** sources are data; this file only knows the condition language, which
** data/red_flags.json's "about" describes:
**   {"all": [...]}, {"any": [...]}
**   {"key": K, "is": true|false}        yes/no answered so
**   {"key": K, "is_not": true|false}    answered otherwise, or not answered
**   {"key": K, "at_least"|"more_than"|"at_most"|"less_than": N}
**   {"key": K, "has": V}                list answer containing V
**   {"key": K, "not_empty": true}       list answer with any value
**   {"key": K, "in": [V, ...]}          choice answered as one of V
** A term on an unanswered key is false (except is_not): nothing is guessed.
*/
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"

#define MAX_DEPTH 12

static gk_status defect(gk_err *err, const char *rule, const char *what) {
  return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                         "data rule '%s': %s (a data defect)",
                         rule ? rule : "?", what);
}

/* Index of s among the allowed values of intake question `key`, or -1. */
static int intake_value_index(const char *key, const char *s) {
  const cJSON *q = gk__question_find(GK__CF_INTAKE, key);
  int i = 0;
  const cJSON *v;
  cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(q, "values")) {
    if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0) return i;
    i++;
  }
  return -1;
}

gk_status gk__condition_eval(const cJSON *cond, const gk_intake *in,
                             const char *rule, int depth, int *out,
                             gk_err *err) {
  *out = 0;
  if (depth > MAX_DEPTH) return defect(err, rule, "conditions nested too deep");
  if (!cJSON_IsObject(cond)) return defect(err, rule, "a condition is not an object");
  const cJSON *all = cJSON_GetObjectItemCaseSensitive(cond, "all");
  const cJSON *any = cJSON_GetObjectItemCaseSensitive(cond, "any");
  if (all != NULL || any != NULL) {
    const cJSON *list = all ? all : any;
    if ((all && any) || !cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1)
      return defect(err, rule, "'all'/'any' must be one non-empty array");
    int result = all ? 1 : 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, list) {
      int r;
      gk_status st = gk__condition_eval(t, in, rule, depth + 1, &r, err);
      if (st != GK_OK) return st;
      if (all && !r) result = 0;
      if (any && r) result = 1;
    }
    *out = result;
    return GK_OK;
  }
  const char *key = gk__clinic_json_string(cond, "key");
  if (key == NULL) return defect(err, rule, "a term has no 'key'");
  const gk__field *fd =
      gk__field_find(gk__intake_fields, gk__intake_field_count, key);
  if (fd == NULL) return defect(err, rule, "a term names an unknown key");
  double v = gk__field_value(fd, in);
  const cJSON *op;
  int n_ops = 0;
  cJSON_ArrayForEach(op, cond) if (strcmp(op->string, "key") != 0) n_ops++;
  if (n_ops != 1) return defect(err, rule, "a term needs exactly one operator");
  for (op = cond->child; op && strcmp(op->string, "key") == 0; op = op->next) {
  }
  if (op == NULL) return defect(err, rule, "a term has no operator");
  const char *name = op->string;

  if (strcmp(name, "is") == 0 || strcmp(name, "is_not") == 0) {
    if (fd->type != GK__F_YESNO || !cJSON_IsBool(op))
      return defect(err, rule, "'is'/'is_not' needs a yes/no key and true/false");
    int want = cJSON_IsTrue(op) ? 1 : 0;
    int equal = !isnan(v) && (int)v == want;
    *out = name[2] == '\0' ? equal : !equal;
    return GK_OK;
  }
  if (strcmp(name, "at_least") == 0 || strcmp(name, "more_than") == 0 ||
      strcmp(name, "at_most") == 0 || strcmp(name, "less_than") == 0) {
    if (fd->type != GK__F_NUM || !cJSON_IsNumber(op))
      return defect(err, rule, "a comparison needs a number key and a number");
    double t = op->valuedouble;
    if (isnan(v)) return GK_OK;
    if (name[0] == 'a' && name[3] == 'l') *out = v >= t;      /* at_least */
    else if (name[0] == 'm') *out = v > t;                    /* more_than */
    else if (name[0] == 'a') *out = v <= t;                   /* at_most */
    else *out = v < t;                                        /* less_than */
    return GK_OK;
  }
  if (strcmp(name, "has") == 0) {
    if (fd->type != GK__F_LIST || !cJSON_IsString(op))
      return defect(err, rule, "'has' needs a list key and a string");
    int idx = intake_value_index(key, op->valuestring);
    if (idx < 0 || idx >= 32)
      return defect(err, rule, "'has' names a value the question does not allow");
    *out = ((unsigned)v & (1u << idx)) != 0;
    return GK_OK;
  }
  if (strcmp(name, "not_empty") == 0) {
    if (fd->type != GK__F_LIST || !cJSON_IsTrue(op))
      return defect(err, rule, "'not_empty' needs a list key and true");
    *out = (unsigned)v != 0;
    return GK_OK;
  }
  if (strcmp(name, "in") == 0) {
    if (fd->type != GK__F_CHOICE || !cJSON_IsArray(op))
      return defect(err, rule, "'in' needs a choice key and an array");
    const cJSON *s;
    cJSON_ArrayForEach(s, op) {
      int idx = cJSON_IsString(s) ? intake_value_index(key, s->valuestring) : -1;
      if (idx < 0) return defect(err, rule, "'in' names a value the question does not allow");
      if (!isnan(v) && (int)v == idx + 1) *out = 1;
    }
    return GK_OK;
  }
  return defect(err, rule, "unknown operator");
}

const char *gk_urgency_name(gk_urgency u) {
  switch (u) {
    case GK_URGENCY_NONE: return "none";
    case GK_URGENCY_ROUTINE: return "routine";
    case GK_URGENCY_SOON: return "soon";
    case GK_URGENCY_URGENT: return "urgent";
    case GK_URGENCY_EMERGENCY: return "emergency";
  }
  return "none";
}

static int urgency_parse(const char *s) {
  for (int u = GK_URGENCY_ROUTINE; u <= GK_URGENCY_EMERGENCY; u++)
    if (s != NULL && strcmp(s, gk_urgency_name((gk_urgency)u)) == 0) return u;
  return -1;
}

gk_status gk__red_flags_eval(const gk_intake *in, gk_red_flag *out,
                             const char **notes, size_t max, size_t *n,
                             gk_err *err) {
  *n = 0;
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_RED_FLAGS), "rules");
  if (!cJSON_IsArray(rules))
    return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                           "data/red_flags.json is missing or has no rules "
                           "(a build defect)");
  for (int pass = GK_URGENCY_EMERGENCY; pass >= GK_URGENCY_ROUTINE; pass--) {
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) {
      const char *code = gk__clinic_json_string(r, "code");
      int urg = urgency_parse(gk__clinic_json_string(r, "urgency"));
      const cJSON *stops = cJSON_GetObjectItemCaseSensitive(r, "stops_plan");
      if (code == NULL || urg < 0 || !cJSON_IsBool(stops) ||
          gk__clinic_json_string(r, "text") == NULL ||
          gk__clinic_json_string(r, "who") == NULL ||
          gk__clinic_json_string(r, "source") == NULL)
        return defect(err, code,
                      "a red flag needs code, urgency, who, stops_plan, text "
                      "and source");
      if (urg != pass) continue;
      int fires;
      gk_status st = gk__condition_eval(
          cJSON_GetObjectItemCaseSensitive(r, "when"), in, code, 0, &fires,
          err);
      if (st != GK_OK) return st;
      if (!fires) continue;
      if (*n >= max)
        return gk__clinic_fail(err, GK_E_LIMIT, "more than %zu red flags",
                               max);
      gk_red_flag *f = &out[(*n)++];
      f->code = code;
      f->text = gk__clinic_json_string(r, "text");
      f->urgency = (gk_urgency)urg;
      f->who = gk__clinic_json_string(r, "who");
      f->stops_plan = cJSON_IsTrue(stops);
      f->source = gk__clinic_json_string(r, "source");
      if (notes != NULL) notes[*n - 1] = gk__clinic_json_string(r, "evidence_note");
    }
  }
  return GK_OK;
}
