/*
** clinician.c -- the clinician's hand over the computed plan
** (gaitkeeper/clinician.h): the check every face calls before storing an
** entry, and how the plan applies the entries, each shown as the
** clinician's with what it changed (docs/PLAN.md, "The clinician's hand").
*/
#define _POSIX_C_SOURCE 200809L
#include "gaitkeeper/clinician.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"
#include "core/data_internal.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"

#define FINDING_NAME_MAX 40

static gk_status bad(gk_err *err, const char *msg) {
  if (err != NULL) {
    memset(err, 0, sizeof *err);
    err->code = GK_E_ARG;
    err->msg = msg;
  }
  return GK_E_ARG;
}

static int terminated(const char *f, size_t size) {
  return memchr(f, '\0', size) != NULL;
}

/* Text a person wrote: no control characters but newline and tab. */
static int clean_text(const char *t) {
  for (const unsigned char *p = (const unsigned char *)t; *p; p++)
    if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) return 0;
  return 1;
}

/* The exercise of that id in data/exercises.json, or NULL. */
static const cJSON *exercise_of(const cJSON *ex, const char *id) {
  const cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ex, "exercises")) {
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(e, "id");
    if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0) return e;
  }
  return NULL;
}

static int known_exercise(const char *id) {
  const cJSON *ex = gk__data("exercises.json");
  int ok = ex != NULL && exercise_of(ex, id) != NULL;
  return ok;
}

gk_status gk_clinician_check(const gk_clinician_entry *e, gk_err *err) {
  if (e == NULL) return bad(err, "no entry");
  if (!terminated(e->target, sizeof e->target) ||
      !terminated(e->text, sizeof e->text) ||
      !terminated(e->reason, sizeof e->reason) ||
      !terminated(e->author, sizeof e->author))
    return bad(err, "a field is too long");
  if (e->day < GK_DAY_MIN || e->day > GK_DAY_MAX)
    return bad(err, "the date is outside 1900..9999");
  if (!clean_text(e->target) || !clean_text(e->text) ||
      !clean_text(e->reason) || !clean_text(e->author))
    return bad(err, "control characters in the text");
  if ((unsigned)e->severity > GK_SEV_REFER)
    return bad(err, "unknown severity");
  switch (e->kind) {
    case GK_CLIN_STAGE:
      if (strlen(e->target) != 1 || e->target[0] < '1' || e->target[0] > '4')
        return bad(err, "the stage is 1, 2, 3 or 4");
      if (e->reason[0] == '\0')
        return bad(err, "setting the stage needs a reason");
      return GK_OK;
    case GK_CLIN_ADD_EXERCISE:
    case GK_CLIN_DROP_EXERCISE:
    case GK_CLIN_DOSE:
      if (e->target[0] == '\0') return bad(err, "no exercise id");
      if (!known_exercise(e->target))
        return bad(err, "no exercise of that id in data/exercises.json "
                        "(`gaitkeeper plan --json` lists the ids)");
      if (e->kind == GK_CLIN_DOSE && e->text[0] == '\0')
        return bad(err, "a dose needs its text");
      return GK_OK;
    case GK_CLIN_NOTE:
      if (e->text[0] == '\0') return bad(err, "a note needs its text");
      return GK_OK;
    case GK_CLIN_FINDING: {
      size_t n = strlen(e->target);
      if (n == 0 || n > FINDING_NAME_MAX ||
          strspn(e->target, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return bad(err, "a finding's name is 1 to 40 of a-z, 0-9 and _");
      if (e->text[0] == '\0') return bad(err, "a finding needs its text");
      if (strlen(e->text) >= GK_FINDING_TEXT_MAX)
        return bad(err, "a finding's text is at most 511 bytes (write the "
                        "rest as a note)");
      if (e->severity == GK_SEV_REFER)
        return bad(err, "a clinician's finding is info, caution or warning; "
                        "a referral is written to the doctor, not stored "
                        "as a finding");
      return GK_OK;
    }
    case GK_CLIN_KIND_COUNT:
      break;
  }
  return bad(err, "unknown kind of entry");
}

/* ---- applying the entries ------------------------------------------------- */

static const char *by(gk__plan_priv *pv, const gk_clinician_entry *e) {
  char d[11];
  return e->author[0]
             ? gk__plan_printf(pv, "%s, %s", e->author, gk_day_format(e->day, d))
             : gk__plan_printf(pv, "the clinician, %s", gk_day_format(e->day, d));
}

gk_status gk__plan_clinician_findings(gk_plan *p, const gk_plan_input *in,
                                      gk_plan_input *copy) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  *copy = *in;
  size_t n = in->n_clinician;
  if (n == 0 || in->clinician == NULL) {
    copy->n_clinician = 0;
    return GK_OK;
  }
  pv->clinician = (gk_plan_clinician *)calloc(n, sizeof *pv->clinician);
  pv->all_findings =
      (gk_finding *)calloc(in->n_findings + n, sizeof *pv->all_findings);
  if (pv->clinician == NULL || pv->all_findings == NULL) return GK_E_NOMEM;
  p->clinician = pv->clinician;
  p->n_clinician = n;
  size_t k = 0;
  for (size_t i = 0; i < in->n_findings; i++)
    pv->all_findings[k++] = in->findings[i];
  for (size_t i = 0; i < n; i++) {
    gk_plan_clinician *c = &pv->clinician[i];
    c->entry = in->clinician[i];
    if (c->entry.kind == GK_CLIN_NOTE) {
      c->applied = 1;
      c->effect = "a note";
    }
    if (c->entry.kind != GK_CLIN_FINDING) continue;
    gk_finding *f = &pv->all_findings[k++];
    memset(f, 0, sizeof *f);
    f->code = gk__plan_printf(pv, "clinician.%s", c->entry.target);
    f->severity = c->entry.severity == GK_SEV_REFER ? GK_SEV_WARNING
                                                    : c->entry.severity;
    f->value = f->threshold = NAN;
    f->date_from = c->entry.day;
    f->date_to = INT64_MIN;
    size_t tl = strnlen(c->entry.text, sizeof f->text - 1); /* checked */
    memcpy(f->text, c->entry.text, tl);
    f->text[tl] = '\0';
    f->source = gk__plan_printf(pv, "The clinician's own finding (%s)%s%s",
                                by(pv, &c->entry),
                                c->entry.reason[0] ? ": " : "",
                                c->entry.reason);
    f->evidence_note = "recorded by the clinician, not computed";
    c->applied = 1;
    c->effect = gk__plan_printf(pv, "a finding of theirs (%s)", f->code);
  }
  copy->findings = pv->all_findings;
  copy->n_findings = k;
  return pv->oom ? GK_E_NOMEM : GK_OK;
}

void gk__plan_clinician_stage(gk_plan *p) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  gk_plan_clinician *last = NULL;
  for (size_t i = 0; i < p->n_clinician; i++)
    if (pv->clinician[i].entry.kind == GK_CLIN_STAGE) last = &pv->clinician[i];
  char d[11];
  for (size_t i = 0; i < p->n_clinician; i++) {
    gk_plan_clinician *c = &pv->clinician[i];
    if (c->entry.kind != GK_CLIN_STAGE || c == last) continue;
    c->effect = gk__plan_printf(pv, "replaced by the stage set on %s",
                                gk_day_format(last->entry.day, d));
  }
  if (last == NULL) return;
  int n = last->entry.target[0] - '0';
  if (p->refer) {
    last->effect =
        "not applied: a red flag calls for referral first; the stage applies "
        "once the referral is cleared and the intake answered again";
    return;
  }
  int computed = p->stage;
  if (!gk__plan_set_stage(p, n)) {
    last->effect = "not applied: no such stage in data/stages.json";
    return;
  }
  p->stage_computed = computed;
  p->provisional = 0;
  p->stage_by_clinician = last;
  last->applied = 1;
  last->effect = n == computed
                     ? gk__plan_printf(pv, "stage %d, as the gates give", n)
                     : gk__plan_printf(pv, "stage %d instead of the computed %d",
                                       n, computed);
}

static const char *field(const cJSON *e, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static gk_plan_exercise *find_exercise(gk_plan *p, const char *id) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  for (size_t i = 0; i < p->n_exercises; i++)
    if (strcmp(pv->exercises_out[i].id, id) == 0) return &pv->exercises_out[i];
  return NULL;
}

void gk__plan_clinician_exercises(gk_plan *p) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  for (size_t i = 0; i < p->n_clinician; i++) {
    gk_plan_clinician *c = &pv->clinician[i];
    const gk_clinician_entry *e = &c->entry;
    if (e->kind != GK_CLIN_ADD_EXERCISE && e->kind != GK_CLIN_DROP_EXERCISE &&
        e->kind != GK_CLIN_DOSE)
      continue;
    if (p->refer) {
      c->effect = "not applied: no exercises before the referral";
      continue;
    }
    gk_plan_exercise *x = find_exercise(p, e->target);
    if (e->kind == GK_CLIN_DROP_EXERCISE) {
      if (x == NULL) {
        c->effect = "not in the plan: nothing to drop";
        continue;
      }
      size_t k = (size_t)(x - pv->exercises_out);
      memmove(x, x + 1, (p->n_exercises - k - 1) * sizeof *x);
      p->n_exercises--;
      c->applied = 1;
      c->effect = "dropped from the plan";
      continue;
    }
    if (e->kind == GK_CLIN_DOSE) {
      if (x == NULL) {
        c->effect = "not in the plan: add it first";
        continue;
      }
      x->dose = gk__plan_strdup(pv, e->text);
      if (x->by_clinician == 0) x->by_clinician = 2;
      c->applied = 1;
      c->effect = "its dose changed";
      continue;
    }
    /* add */
    if (x != NULL) {
      if (e->text[0]) {
        x->dose = gk__plan_strdup(pv, e->text);
        if (x->by_clinician == 0) x->by_clinician = 2;
      }
      c->applied = 1;
      c->effect = e->text[0] ? "already in the plan: its dose set"
                             : "already in the plan";
      continue;
    }
    const cJSON *ex = exercise_of(pv->exercises, e->target);
    if (ex == NULL) {
      c->effect = "not applied: no such exercise in data/exercises.json";
      continue;
    }
    if (p->n_exercises >= GK__PLAN_MAX_EXERCISES) {
      c->effect = "not applied: the plan is full; drop one first";
      continue;
    }
    x = &pv->exercises_out[p->n_exercises++];
    memset(x, 0, sizeof *x);
    x->id = field(ex, "id");
    x->name = field(ex, "name");
    x->dose = e->text[0] ? gk__plan_strdup(pv, e->text) : field(ex, "dose");
    x->progression = field(ex, "progression");
    x->regression = field(ex, "regression");
    x->instructions = field(ex, "instructions");
    x->source = field(ex, "source");
    x->why[x->n_why++] = "clinician";
    x->by_clinician = 1;
    c->applied = 1;
    c->effect = "added to the plan";
  }
}
