/*
** exercises.c -- picking and dosing exercises (data/exercises.json) for the
** stage and the runner's deficits: every finding's code and every gate not
** met ("gate.<name>") is a deficit.  For the current stage, the exercises
** that answer a deficit come first (the most severe deficit first, then
** the most deficits answered), then the stage's core exercises, up to
** "max_per_plan"; hip and knee exercises both, as the consensus recommends
** hip and knee exercise over knee-only (Crossley et al. 2016; Collins et
** al. 2018).  A plan that refers lists none.  The education points of
** data/stages.json are added here too: those with a "for" list only when
** one of its patterns matches a finding of the plan or "stage.<n>".
*/
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"

typedef struct cand {
  const cJSON *ex;
  int score;       /* 1000 * highest severity + 10 * matches, core: 1 */
  size_t n_why;
  const char *why[8];
  const char *region;
} cand;

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int in_int_array(const cJSON *arr, int v) {
  const cJSON *it;
  cJSON_ArrayForEach(it, arr) {
    if (cJSON_IsNumber(it) && it->valueint == v) return 1;
  }
  return 0;
}

/* Whether an education item's "for" patterns (absent: everyone) match a
   finding of the plan (any severity) or the stage ("stage.<n>"). */
static int education_applies(const gk_plan *p, const cJSON *item,
                             const char *stage_code) {
  const cJSON *pats = cJSON_GetObjectItemCaseSensitive(item, "for");
  if (pats == NULL) return 1;
  if (gk__plan_match_any(pats, stage_code)) return 1;
  for (size_t i = 0; i < p->n_findings; i++)
    if (gk__plan_match_any(pats, p->findings[i].f.code)) return 1;
  return 0;
}

static void education(gk_plan *p, const char *stage_code) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  if (p->refer) {
    const cJSON *ro = cJSON_GetObjectItemCaseSensitive(pv->stages, "refer");
    const char *why = jstr(ro, "why_no_exercises");
    if (why && p->n_education < GK__PLAN_MAX_EDUCATION)
      pv->education[p->n_education++] = why;
    return;
  }
  const cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(pv->stages,
                                                          "education")) {
    const char *t = jstr(it, "text"), *s = jstr(it, "source");
    if (t == NULL || p->n_education >= GK__PLAN_MAX_EDUCATION) continue;
    if (!education_applies(p, it, stage_code)) continue;
    pv->education[p->n_education++] =
        s ? gk__plan_printf(pv, "%s (%s)", t, s) : t;
  }
}

gk_status gk__plan_exercises(gk_plan *p, gk_err *err) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  const char *stage_code = gk__plan_printf(pv, "stage.%d", p->stage);
  education(p, stage_code);
  if (p->refer) return GK_OK; /* no exercise progression before assessment */

  /* The deficits: finding codes with their severity, then gates not met
     (counted as warnings). */
  const char *codes[GK__PLAN_MAX_CODES];
  int sev[GK__PLAN_MAX_CODES];
  size_t n_codes = 0;
  for (size_t i = 0; i < p->n_findings && n_codes < GK__PLAN_MAX_CODES; i++) {
    if (p->findings[i].f.severity == GK_SEV_INFO) continue;
    sev[n_codes] = (int)p->findings[i].f.severity;
    codes[n_codes++] = p->findings[i].f.code;
  }
  for (size_t i = 0; i < p->n_gates && n_codes < GK__PLAN_MAX_CODES; i++) {
    if (p->gates[i].met != 0) continue;
    sev[n_codes] = GK_SEV_WARNING;
    codes[n_codes++] = gk__plan_printf(pv, "gate.%s", p->gates[i].name);
  }

  const cJSON *list = cJSON_GetObjectItemCaseSensitive(pv->exercises,
                                                       "exercises");
  const cJSON *maxj = cJSON_GetObjectItemCaseSensitive(pv->exercises,
                                                       "max_per_plan");
  if (!cJSON_IsArray(list))
    return gk__plan_data_error(err, "data/exercises.json: \"exercises\" is "
                                    "not an array");
  size_t max = cJSON_IsNumber(maxj) && maxj->valueint > 0 &&
                       maxj->valueint <= GK__PLAN_MAX_EXERCISES
                   ? (size_t)maxj->valueint
                   : 8;

  cand cands[64];
  size_t n_cands = 0;
  const cJSON *ex;
  cJSON_ArrayForEach(ex, list) {
    if (n_cands >= sizeof cands / sizeof cands[0]) break;
    if (jstr(ex, "id") == NULL || jstr(ex, "name") == NULL)
      return gk__plan_data_error(err, "data/exercises.json: an exercise "
                                      "needs \"id\" and \"name\"");
    if (!in_int_array(cJSON_GetObjectItemCaseSensitive(ex, "stages"),
                      p->stage))
      continue;
    cand c;
    memset(&c, 0, sizeof c);
    c.ex = ex;
    c.region = jstr(ex, "region");
    const cJSON *ans = cJSON_GetObjectItemCaseSensitive(ex, "answers");
    int best = -1, matches = 0;
    for (size_t k = 0; k < n_codes; k++) {
      if (!gk__plan_match_any(ans, codes[k])) continue;
      matches++;
      if (sev[k] > best) best = sev[k];
      if (c.n_why < 8) c.why[c.n_why++] = codes[k];
    }
    if (matches > 0)
      c.score = 1000 * (best + 1) + 10 * matches;
    else if (in_int_array(cJSON_GetObjectItemCaseSensitive(ex, "core"),
                          p->stage))
      c.score = 1;
    else
      c.score = 0; /* only to complete the hip and knee pair */
    if (in_int_array(cJSON_GetObjectItemCaseSensitive(ex, "core"),
                     p->stage) &&
        c.n_why < 8)
      c.why[c.n_why++] = stage_code;
    cands[n_cands++] = c;
  }

  /* Stable selection by score (insertion sort keeps the data's order for
     equal scores). */
  for (size_t i = 1; i < n_cands; i++) {
    cand t = cands[i];
    size_t j = i;
    while (j > 0 && cands[j - 1].score < t.score) {
      cands[j] = cands[j - 1];
      j--;
    }
    cands[j] = t;
  }
  size_t take = 0;
  while (take < n_cands && take < max && cands[take].score > 0) take++;
  /* Hip and knee both: a region missing from the chosen ones is taken
     from the stage's other exercises, added when there is room, else in
     place of the last chosen one that is not of the other region. */
  static const char *const need[] = {"hip", "knee"};
  for (size_t r = 0; r < 2 && take > 0; r++) {
    int have = 0;
    for (size_t i = 0; i < take; i++)
      if (cands[i].region && strcmp(cands[i].region, need[r]) == 0) have = 1;
    if (have) continue;
    size_t found = n_cands;
    for (size_t i = take; i < n_cands; i++)
      if (cands[i].region && strcmp(cands[i].region, need[r]) == 0) {
        found = i;
        break;
      }
    if (found == n_cands) continue;
    cand pick = cands[found];
    if (pick.n_why < 8) pick.why[pick.n_why++] = "plan.hip_and_knee";
    if (take < max) {
      memmove(&cands[take + 1], &cands[take],
              (found - take) * sizeof cands[0]);
      cands[take++] = pick;
      continue;
    }
    for (size_t i = take; i-- > 0;) {
      const char *rg = cands[i].region;
      if (rg && strcmp(rg, need[1 - r]) == 0) continue;
      cands[i] = pick;
      break;
    }
  }

  for (size_t i = 0; i < take; i++) {
    gk_plan_exercise *o = &pv->exercises_out[p->n_exercises++];
    const cJSON *e = cands[i].ex;
    o->id = jstr(e, "id");
    o->name = jstr(e, "name");
    o->dose = jstr(e, "dose");
    o->progression = jstr(e, "progression");
    o->regression = jstr(e, "regression");
    o->instructions = jstr(e, "instructions");
    o->source = jstr(e, "source");
    o->n_why = cands[i].n_why;
    for (size_t k = 0; k < o->n_why; k++) o->why[k] = cands[i].why[k];
  }
  return GK_OK;
}
