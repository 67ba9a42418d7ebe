/*
** plan_gait.c -- a stored gait analysis (gk_gait_write_json's JSON, as the
** store keeps it) reduced to what the plan needs: the findings and the
** summary cadence and speed.  The text comes from the store, so it is
** treated as untrusted: any JSON is accepted or refused with a message,
** strings are truncated to fit, numbers outside their range are ignored
** (tests/fuzz/fuzz_plan.c).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"

#define GAIT_JSON_MAX ((size_t)64 << 20)

typedef struct gait_strings {
  char code[GK_PLAN_GAIT_MAX_FINDINGS][96];
  char source[GK_PLAN_GAIT_MAX_FINDINGS][512];
  char note[GK_PLAN_GAIT_MAX_FINDINGS][256];
} gait_strings;

static void copy(char *dst, size_t size, const char *src) {
  size_t n = strlen(src);
  if (n >= size) {
    n = size - 1;
    /* Do not cut a UTF-8 sequence in half. */
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
  }
  memcpy(dst, src, n);
  dst[n] = '\0';
}

static double num_in(const cJSON *o, const char *k, double lo, double hi) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return NAN;
  return v->valuedouble >= lo && v->valuedouble <= hi ? v->valuedouble : NAN;
}

void gk_plan_gait_free(gk_plan_gait *g) {
  if (g == NULL) return;
  free(g->strings_);
  free(g);
}

gk_status gk_plan_gait_parse(const char *json, size_t len, gk_plan_gait **out,
                             gk_err *err) {
  if (out) *out = NULL;
  if (out == NULL || (json == NULL && len > 0)) {
    if (err) {
      err->code = GK_E_ARG;
      err->msg = "gait analysis: no text or no place for the result";
      err->offset = 0;
    }
    return GK_E_ARG;
  }
  if (len > GAIT_JSON_MAX) {
    if (err) {
      err->code = GK_E_LIMIT;
      err->msg = "gait analysis: larger than 64 MiB";
      err->offset = 0;
    }
    return GK_E_LIMIT;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(json ? json : "", len, &end, 0);
  if (root == NULL || !cJSON_IsObject(root)) {
    if (err) {
      err->code = GK_E_CORRUPT;
      err->msg = root ? "gait analysis: not a JSON object"
                      : "gait analysis: not valid JSON";
      err->offset = root == NULL && end != NULL && json != NULL && end >= json &&
                            (size_t)(end - json) <= len
                        ? (uint64_t)(end - json)
                        : 0;
      err->line = err->col = 0;
    }
    cJSON_Delete(root);
    return GK_E_CORRUPT;
  }
  gk_plan_gait *g = (gk_plan_gait *)calloc(1, sizeof *g);
  gait_strings *s = (gait_strings *)calloc(1, sizeof *s);
  if (g == NULL || s == NULL) {
    free(g);
    free(s);
    cJSON_Delete(root);
    if (err) {
      err->code = GK_E_NOMEM;
      err->msg = "gait analysis: out of memory";
      err->offset = 0;
    }
    return GK_E_NOMEM;
  }
  g->strings_ = s;
  g->cadence_spm = NAN;
  g->speed_mps = num_in(root, "speed_mps", 0.1, 15);

  const cJSON *sum = cJSON_GetObjectItemCaseSensitive(root, "summary");
  const cJSON *cad = cJSON_GetObjectItemCaseSensitive(sum, "cadence_spm");
  if (cJSON_IsObject(cad)) {
    const cJSON *refused = cJSON_GetObjectItemCaseSensitive(cad, "refused");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(cad, "quality");
    int poor = cJSON_IsString(q) && (strcmp(q->valuestring, "poor") == 0 ||
                                     strcmp(q->valuestring, "none") == 0);
    if (!cJSON_IsTrue(refused) && !poor) {
      g->cadence_spm = num_in(cad, "mean", 60, 260);
      if (isnan(g->cadence_spm)) g->cadence_spm = num_in(cad, "value", 60, 260);
    }
  } else if (cJSON_IsNumber(cad)) {
    g->cadence_spm = num_in(sum, "cadence_spm", 60, 260);
  }

  const cJSON *fs = cJSON_GetObjectItemCaseSensitive(root, "findings");
  const cJSON *f;
  cJSON_ArrayForEach(f, fs) {
    if (g->n_findings >= GK_PLAN_GAIT_MAX_FINDINGS) break;
    if (!cJSON_IsObject(f)) continue;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(f, "code");
    if (!cJSON_IsString(code) || code->valuestring[0] == '\0') continue;
    size_t i = g->n_findings;
    gk_finding *d = &g->findings[i];
    memset(d, 0, sizeof *d);
    copy(s->code[i], sizeof s->code[i], code->valuestring);
    d->code = s->code[i];
    const cJSON *sev = cJSON_GetObjectItemCaseSensitive(f, "severity");
    int sv = cJSON_IsString(sev) ? gk_severity_from_name(sev->valuestring)
                                 : -1;
    d->severity = sv < 0 ? GK_SEV_CAUTION : (gk_severity)sv;
    d->value = num_in(f, "value", -1e9, 1e9);
    d->threshold = num_in(f, "threshold", -1e9, 1e9);
    d->activity_id = 0;
    d->date_from = d->date_to = INT64_MIN;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "text");
    if (cJSON_IsString(t)) copy(d->text, sizeof d->text, t->valuestring);
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(f, "source");
    if (cJSON_IsString(src)) {
      copy(s->source[i], sizeof s->source[i], src->valuestring);
      d->source = s->source[i];
    }
    const cJSON *nt = cJSON_GetObjectItemCaseSensitive(f, "evidence_note");
    if (cJSON_IsString(nt)) {
      copy(s->note[i], sizeof s->note[i], nt->valuestring);
      d->evidence_note = s->note[i];
    }
    g->n_findings++;
  }
  cJSON_Delete(root);
  *out = g;
  return GK_OK;
}
