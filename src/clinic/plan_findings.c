/*
** plan_findings.c -- every finding in one list: the intake's (from its
** assessment) and every other source's (screen, load, pain, gait), merged
** by code (the most severe kept, then the most recent), ordered most severe
** first, each placed in the chain data/chains.json gives it (weak hip
** abductors -> pelvic drop -> knee collapse; limited dorsiflexion ->
** pronation and inward rotation; low cadence and overstride -> more load
** per step; training load; pain response; ...), with the chain's evidence
** and how sure we are.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"

static const char *origin_of(const char *code) {
  static const char *const known[] = {"intake", "screen",  "load",
                                      "pain",   "gait",    "cadence",
                                      "plan",   "clinician"};
  size_t n = strcspn(code, ".");
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strlen(known[i]) == n && strncmp(code, known[i], n) == 0)
      return known[i];
  return "other";
}

static int origin_rank(const char *o) {
  static const char *const order[] = {"clinician", "intake", "pain",
                                      "load",      "gait",   "cadence",
                                      "screen",    "plan"};
  for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++)
    if (strcmp(o, order[i]) == 0) return i;
  return 99;
}

static int cmp_findings(const void *a, const void *b) {
  const gk_plan_finding *x = (const gk_plan_finding *)a;
  const gk_plan_finding *y = (const gk_plan_finding *)b;
  if (x->f.severity != y->f.severity)
    return (int)y->f.severity - (int)x->f.severity;
  int ox = origin_rank(x->origin), oy = origin_rank(y->origin);
  if (ox != oy) return ox - oy;
  return strcmp(x->f.code, y->f.code);
}

/* Put the chain of data/chains.json on f. */
void gk__plan_place_in_chain(const cJSON *chains, gk_plan_finding *f) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(chains, "chains");
  const cJSON *c;
  cJSON_ArrayForEach(c, list) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "match");
    if (!gk__plan_match_any(m, f->f.code)) continue;
    const cJSON *smin = cJSON_GetObjectItemCaseSensitive(c, "severity_min");
    if (cJSON_IsString(smin)) {
      int s = gk_severity_from_name(smin->valuestring);
      if (s < 0 || (int)f->f.severity < s) continue;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(c, "chain");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(c, "source");
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(c, "how_sure");
    f->chain_id = cJSON_IsString(id) ? id->valuestring : NULL;
    f->chain = cJSON_IsString(ch) ? ch->valuestring : NULL;
    f->chain_source = cJSON_IsString(src) ? src->valuestring : NULL;
    f->how_sure = cJSON_IsString(hs) ? hs->valuestring : NULL;
    return;
  }
}

/* Add one finding, merging with an earlier one of the same code. */
static void add(gk_plan *p, gk__plan_priv *pv, const gk_finding *f) {
  /* The list is sized for the inputs plus GK__PLAN_OWN_FINDINGS. */
  if (f->code == NULL || f->code[0] == '\0') return;
  int sev = (int)f->severity;
  if (sev < GK_SEV_INFO || sev > GK_SEV_REFER) return;
  for (size_t i = 0; i < p->n_findings; i++) {
    gk_plan_finding *o = &pv->findings[i];
    if (strcmp(o->f.code, f->code) != 0) continue;
    int newer = f->date_to != INT64_MIN &&
                (o->f.date_to == INT64_MIN || f->date_to > o->f.date_to);
    if ((int)f->severity > (int)o->f.severity ||
        (f->severity == o->f.severity && newer))
      break; /* replace below */
    return;
  }
  size_t at = p->n_findings;
  for (size_t i = 0; i < p->n_findings; i++)
    if (strcmp(pv->findings[i].f.code, f->code) == 0) at = i;
  gk_plan_finding *d = &pv->findings[at];
  memset(d, 0, sizeof *d);
  d->f = *f;
  d->f.text[GK_FINDING_TEXT_MAX - 1] = '\0';
  d->f.code = gk__plan_strdup(pv, f->code);
  d->f.source = gk__plan_strdup(pv, f->source);
  d->f.evidence_note = gk__plan_strdup(pv, f->evidence_note);
  d->origin = origin_of(d->f.code);
  if (at == p->n_findings) p->n_findings++;
}

gk_status gk__plan_findings(gk_plan *p, const gk_plan_input *in,
                            gk_err *err) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  size_t n_intake = 0;
  if (in->intake_result != NULL) {
    n_intake = in->intake_result->n_findings;
    if (n_intake > GK_CLINIC_FINDINGS_MAX) n_intake = GK_CLINIC_FINDINGS_MAX;
  }
  size_t total = n_intake + in->n_findings;
  if (total > SIZE_MAX / sizeof *pv->findings - GK__PLAN_OWN_FINDINGS) {
    if (err) {
      err->code = GK_E_LIMIT;
      err->msg = "plan: too many findings";
    }
    return GK_E_LIMIT;
  }
  /* Room for the findings the plan adds itself (cadence.low_for_speed). */
  pv->findings = (gk_plan_finding *)calloc(total + GK__PLAN_OWN_FINDINGS,
                                           sizeof *pv->findings);
  if (pv->findings == NULL) {
    if (err) {
      err->code = GK_E_NOMEM;
      err->msg = "plan: out of memory";
    }
    return GK_E_NOMEM;
  }
  p->findings = pv->findings;
  for (size_t i = 0; i < n_intake; i++)
    add(p, pv, &in->intake_result->findings[i]);
  for (size_t i = 0; i < in->n_findings; i++) add(p, pv, &in->findings[i]);
  for (size_t i = 0; i < p->n_findings; i++)
    gk__plan_place_in_chain(pv->chains, &pv->findings[i]);
  qsort(pv->findings, p->n_findings, sizeof *pv->findings, cmp_findings);
  return GK_OK;
}

void gk__plan_add_finding(gk_plan *p, const gk_finding *f) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  size_t before = p->n_findings;
  add(p, pv, f);
  for (size_t i = 0; i < p->n_findings; i++)
    if (strcmp(pv->findings[i].f.code, f->code) == 0)
      gk__plan_place_in_chain(pv->chains, &pv->findings[i]);
  if (p->n_findings != before)
    qsort(pv->findings, p->n_findings, sizeof *pv->findings, cmp_findings);
}
