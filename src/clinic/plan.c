/*
** plan.c -- the staged plan: building it step by step (findings and their
** chains, gates and stage, exercises, running and cadence), freeing it, and
** writing it as JSON.  The rules are in data/stages.json,
** data/exercises.json, data/running.json and data/chains.json; the JSON is
** documented in docs/PLAN.md.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"
#include "core/data_internal.h"

/* ---- input -------------------------------------------------------------- */

void gk_plan_input_init(gk_plan_input *in) {
  if (in == NULL) return;
  memset(in, 0, sizeof *in);
  in->cadence_baseline_spm = NAN;
  in->cadence_speed_mps = NAN;
  in->cadence_origin = GK_CADENCE_NONE;
  in->longest_run_30d_m = NAN;
  in->break_from = in->break_to = INT64_MIN;
  in->longest_run_30d_since_break_m = NAN;
  in->pain_during_14d_max = NAN;
  in->pain_morning_14d_max = NAN;
  in->last_run_day = INT64_MIN;
  in->intake_day = in->screen_day = in->capture_day = INT64_MIN;
  in->akps = NAN;
}

void gk_plan_input_from_load(gk_plan_input *in, const gk_load_report *r,
                             const gk_pain_entry *pain, size_t n_pain) {
  if (in == NULL || r == NULL) return;
  in->load_known = 1;
  in->longest_run_30d_m = r->longest_run_30d_m;
  in->break_from = r->break_from;
  in->break_to = r->break_to;
  in->break_ongoing = r->break_ongoing;
  in->longest_run_30d_since_break_m = r->longest_run_30d_since_break_m;
  in->last_run_day = r->last_run_day;
  in->pain = pain;
  in->n_pain = pain != NULL ? n_pain : 0;
  in->pain_entries_14d = 0;
  in->pain_during_14d_max = NAN;
  in->pain_morning_14d_max = NAN;
  for (size_t i = 0; pain != NULL && i < n_pain; i++) {
    const gk_pain_entry *e = &pain[i];
    if (e->day > r->day || e->day < r->day - 13) continue;
    in->pain_entries_14d++;
    if (e->during >= 0 && e->during <= 10 &&
        (isnan(in->pain_during_14d_max) || e->during > in->pain_during_14d_max))
      in->pain_during_14d_max = e->during;
    if (e->morning >= 0 && e->morning <= 10 &&
        (isnan(in->pain_morning_14d_max) ||
         e->morning > in->pain_morning_14d_max))
      in->pain_morning_14d_max = e->morning;
  }
  const gk_cadence_fit *c = &r->cadence;
  if (isfinite(c->cadence_at_ref_spm) && c->cadence_at_ref_spm > 0 &&
      isfinite(c->ref_speed_mps) && c->ref_speed_mps > 0) {
    in->cadence_baseline_spm = c->cadence_at_ref_spm;
    in->cadence_speed_mps = c->ref_speed_mps;
    in->cadence_origin = GK_CADENCE_RUNS;
  } else if (c->n > 0 && isfinite(c->mean_cadence_spm) &&
             c->mean_cadence_spm > 0) {
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < r->n_cadence_points; i++) {
      double v = r->cadence_points[i].speed_mps;
      if (isfinite(v) && v > 0) {
        sum += v;
        n++;
      }
    }
    in->cadence_baseline_spm = c->mean_cadence_spm;
    in->cadence_speed_mps = n ? sum / (double)n : NAN;
    in->cadence_origin = GK_CADENCE_RUNS;
  }
}

double gk__plan_pain_run(const gk_plan_input *in) {
  if (in->pain_entries_14d > 0 && isfinite(in->pain_during_14d_max))
    return in->pain_during_14d_max;
  if (in->intake != NULL && isfinite(in->intake->pain_run) &&
      in->intake->pain_run >= 0 && in->intake->pain_run <= 10)
    return in->intake->pain_run;
  return NAN;
}

/* ---- helpers ------------------------------------------------------------ */

static const char *keep(gk__plan_priv *pv, char *s) {
  if (s == NULL) {
    pv->oom = 1;
    return "";
  }
  if (pv->n_strings == pv->cap_strings) {
    size_t ncap = pv->cap_strings ? pv->cap_strings * 2 : 64;
    char **np = (char **)realloc(pv->strings, ncap * sizeof *np);
    if (np == NULL) {
      free(s);
      pv->oom = 1;
      return "";
    }
    pv->strings = np;
    pv->cap_strings = ncap;
  }
  pv->strings[pv->n_strings++] = s;
  return s;
}

const char *gk__plan_strdup(gk__plan_priv *pv, const char *s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s);
  char *c = (char *)malloc(n + 1);
  if (c != NULL) memcpy(c, s, n + 1);
  return keep(pv, c);
}

const char *gk__plan_printf(gk__plan_priv *pv, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  return gk__plan_strdup(pv, tmp);
}

void gk__plan_unknown(gk_plan *p, const char *text) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  if (text == NULL || p->n_unknown >= GK__PLAN_MAX_UNKNOWN) return;
  pv->unknown[p->n_unknown++] = text;
}

/* Glob with '*' only; iterative with one backtrack point (linear-ish, no
   recursion). */
int gk__plan_match(const char *pat, const char *s) {
  if (pat == NULL || s == NULL) return 0;
  const char *star = NULL, *ss = NULL;
  while (*s) {
    if (*pat == '*') {
      star = pat++;
      ss = s;
    } else if (*pat == *s) {
      pat++;
      s++;
    } else if (star) {
      pat = star + 1;
      s = ++ss;
    } else {
      return 0;
    }
  }
  while (*pat == '*') pat++;
  return *pat == '\0';
}

int gk__plan_match_any(const cJSON *pats, const char *code) {
  const cJSON *it;
  cJSON_ArrayForEach(it, pats) {
    if (cJSON_IsString(it) && gk__plan_match(it->valuestring, code)) return 1;
  }
  return 0;
}

gk_status gk__plan_data_error(gk_err *err, const char *msg) {
  if (err) {
    err->code = GK_E_CORRUPT;
    err->msg = msg;
    err->offset = 0;
    err->line = err->col = 0;
  }
  return GK_E_CORRUPT;
}

static gk_status fail(gk_err *err, gk_status code, const char *msg) {
  if (err) {
    err->code = code;
    err->msg = msg;
    err->offset = 0;
    err->line = err->col = 0;
  }
  return code;
}

/* ---- build -------------------------------------------------------------- */

void gk_plan_free(gk_plan *p) {
  if (p == NULL) return;
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  if (pv != NULL) {
    for (size_t i = 0; i < pv->n_strings; i++) free(pv->strings[i]);
    free(pv->strings);
    free(pv->findings);
    free(pv->clinician);
    free(pv->all_findings);
    free(pv);
  }
  free(p);
}

gk_status gk_plan_build(const gk_plan_input *in, gk_plan **out, gk_err *err) {
  if (out != NULL) *out = NULL;
  if (in == NULL || out == NULL)
    return fail(err, GK_E_ARG, "plan: no input or no place for the plan");
  if (in->day < GK_DAY_MIN || in->day > GK_DAY_MAX)
    return fail(err, GK_E_ARG, "plan: the date is outside 1900..9999");
  if (in->findings == NULL && in->n_findings > 0)
    return fail(err, GK_E_ARG, "plan: findings is NULL with a count");
  if (in->clinician == NULL && in->n_clinician > 0)
    return fail(err, GK_E_ARG, "plan: clinician is NULL with a count");
  if ((in->n_runs && in->runs == NULL) || (in->n_pain && in->pain == NULL))
    return fail(err, GK_E_ARG, "plan: runs or pain is NULL with a count");
  if (in->sessions == NULL && in->n_sessions > 0)
    return fail(err, GK_E_ARG, "plan: sessions is NULL with a count");

  gk_plan *p = (gk_plan *)calloc(1, sizeof *p);
  gk__plan_priv *pv = (gk__plan_priv *)calloc(1, sizeof *pv);
  if (p == NULL || pv == NULL) {
    free(p);
    free(pv);
    return fail(err, GK_E_NOMEM, "plan: out of memory");
  }
  p->priv_ = pv;
  p->gates = pv->gates;
  p->exercises = pv->exercises_out;
  p->unknown = pv->unknown;
  p->education = pv->education;

  pv->stages = gk__data("stages.json");
  pv->exercises = gk__data("exercises.json");
  pv->running = gk__data("running.json");
  pv->chains = gk__data("chains.json");
  gk_status st = GK_OK;
  if (pv->stages == NULL || pv->exercises == NULL || pv->running == NULL ||
      pv->chains == NULL) {
    /* cJSON reports only allocation failure or a malformed file; the files
       are checked by tests/unit/test_data.c, so this is memory. */
    st = fail(err, GK_E_NOMEM,
              "plan: data/stages.json, exercises.json, running.json or "
              "chains.json could not be read (out of memory or malformed)");
  }
  /* The clinician's entries: their findings join the others; their stage
     replaces the computed one before the exercises are picked for it;
     their exercise changes come last, over the picked ones. */
  gk_plan_input with;
  if (st == GK_OK) {
    st = gk__plan_clinician_findings(p, in, &with);
    if (st != GK_OK) st = fail(err, st, "plan: out of memory");
  }
  if (st == GK_OK) st = gk__plan_findings(p, &with, err);
  if (st == GK_OK) st = gk__plan_stage(p, &with, err);
  if (st == GK_OK) gk__plan_clinician_stage(p);
  if (st == GK_OK) st = gk__plan_running(p, &with, err);
  if (st == GK_OK) st = gk__plan_exercises(p, err);
  if (st == GK_OK) gk__plan_clinician_exercises(p);
  if (st == GK_OK) st = gk__plan_progression(p, &with, err);
  if (st == GK_OK) st = gk__plan_retests(p, &with, err);
  if (st == GK_OK && pv->oom) st = fail(err, GK_E_NOMEM, "plan: out of memory");
  if (st != GK_OK) {
    gk_plan_free(p);
    return st;
  }
  *out = p;
  return GK_OK;
}

/* ---- JSON --------------------------------------------------------------- */

static void tri(gk_buf *b, int v) {
  gk_buf_puts(b, v < 0 ? "null" : v ? "true" : "false");
}

static void gate_json(gk_buf *b, const gk_plan_gate *g, int with_stage) {
  gk_buf_putc(b, '{');
  gk_json_key(b, "name");
  gk_json_str(b, g->name);
  gk_buf_putc(b, ',');
  gk_json_key(b, "met");
  tri(b, g->met);
  gk_buf_putc(b, ',');
  gk_json_key(b, "value");
  gk_json_num(b, g->value);
  gk_buf_putc(b, ',');
  gk_json_key(b, "target");
  gk_json_num(b, g->target);
  gk_buf_putc(b, ',');
  gk_json_key(b, "label");
  gk_json_str_or_null(b, g->label);
  gk_buf_putc(b, ',');
  gk_json_key(b, "unit");
  gk_json_str_or_null(b, g->unit);
  gk_buf_putc(b, ',');
  gk_json_key(b, "comparison");
  gk_json_str_or_null(b, g->cmp);
  gk_buf_putc(b, ',');
  gk_json_key(b, "source");
  gk_json_str_or_null(b, g->source);
  gk_buf_putc(b, ',');
  gk_json_key(b, "evidence_note");
  gk_json_str_or_null(b, g->evidence_note);
  gk_buf_putc(b, ',');
  gk_json_key(b, "how_to_measure");
  gk_json_str_or_null(b, g->how_to_measure);
  if (with_stage) {
    gk_buf_putc(b, ',');
    gk_json_key(b, "stage");
    gk_json_i64(b, g->stage);
  }
  gk_buf_putc(b, '}');
}

static void exercise_json(gk_buf *b, const gk_plan_exercise *e) {
  gk_buf_putc(b, '{');
  gk_json_key(b, "id");
  gk_json_str(b, e->id);
  gk_buf_putc(b, ',');
  gk_json_key(b, "name");
  gk_json_str_or_null(b, e->name);
  gk_buf_putc(b, ',');
  gk_json_key(b, "dose");
  gk_json_str_or_null(b, e->dose);
  gk_buf_putc(b, ',');
  gk_json_key(b, "why");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < e->n_why; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_json_str(b, e->why[i]);
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "instructions");
  gk_json_str_or_null(b, e->instructions);
  gk_buf_putc(b, ',');
  gk_json_key(b, "progression");
  gk_json_str_or_null(b, e->progression);
  gk_buf_putc(b, ',');
  gk_json_key(b, "regression");
  gk_json_str_or_null(b, e->regression);
  gk_buf_putc(b, ',');
  gk_json_key(b, "source");
  gk_json_str_or_null(b, e->source);
  gk_buf_putc(b, ',');
  gk_json_key(b, "by_clinician");
  gk_json_str_or_null(b, e->by_clinician == 1   ? "added"
                         : e->by_clinician == 2 ? "dose"
                                                : NULL);
  gk_buf_putc(b, ',');
  gk_json_key(b, "step");
  gk_json_i64(b, e->step);
  gk_buf_putc(b, ',');
  gk_json_key(b, "n_steps");
  gk_json_i64(b, e->n_steps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "step_name");
  gk_json_str_or_null(b, e->step_name);
  gk_buf_putc(b, ',');
  gk_json_key(b, "step_dose");
  gk_json_str_or_null(b, e->step_dose);
  gk_buf_putc(b, ',');
  gk_json_key(b, "sessions_14d");
  gk_json_i64(b, (int64_t)e->sessions_14d);
  gk_buf_putc(b, ',');
  gk_json_key(b, "adherence");
  gk_json_num(b, e->adherence);
  gk_buf_putc(b, ',');
  gk_json_key(b, "change");
  gk_json_i64(b, e->change);
  gk_buf_putc(b, ',');
  gk_json_key(b, "next");
  gk_json_str_or_null(b, e->next);
  gk_buf_putc(b, '}');
}

static void clinician_json(gk_buf *b, const gk_plan_clinician *c) {
  size_t start = b->len;
  gk_clinician_write_json(&c->entry, b);
  /* Reopen the object to add what the plan did with it. */
  if (b->oom || b->len == start || b->data[b->len - 1] != '}') return;
  b->len--;
  gk_buf_putc(b, ',');
  gk_json_key(b, "applied");
  gk_buf_puts(b, c->applied ? "true" : "false");
  gk_buf_putc(b, ',');
  gk_json_key(b, "effect");
  gk_json_str_or_null(b, c->effect);
  gk_buf_putc(b, '}');
}

static void finding_json(gk_buf *b, const gk_plan_finding *f) {
  size_t start = b->len;
  gk_finding_write_json(&f->f, b);
  /* Reopen the object to add the plan's members. */
  if (b->oom || b->len == start || b->data[b->len - 1] != '}') return;
  b->len--;
  gk_buf_putc(b, ',');
  gk_json_key(b, "origin");
  gk_json_str_or_null(b, f->origin);
  gk_buf_putc(b, ',');
  gk_json_key(b, "chain");
  gk_json_str_or_null(b, f->chain);
  gk_buf_putc(b, ',');
  gk_json_key(b, "chain_id");
  gk_json_str_or_null(b, f->chain_id);
  gk_buf_putc(b, ',');
  gk_json_key(b, "chain_source");
  gk_json_str_or_null(b, f->chain_source);
  gk_buf_putc(b, ',');
  gk_json_key(b, "how_sure");
  gk_json_str_or_null(b, f->how_sure);
  gk_buf_putc(b, '}');
}

static void strings_json(gk_buf *b, const char *const *s, size_t n) {
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < n; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_json_str(b, s[i]);
  }
  gk_buf_putc(b, ']');
}

void gk_plan_write_json(const gk_plan *p, gk_buf *b) {
  if (p == NULL || b == NULL) return;
  const gk__plan_priv *pv = (const gk__plan_priv *)p->priv_;
  gk_buf_putc(b, '{');
  gk_json_key(b, "stage");
  gk_json_i64(b, p->stage);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_name");
  gk_json_str_or_null(b, p->stage_name);
  gk_buf_putc(b, ',');

  gk_json_key(b, "gates");
  gk_buf_putc(b, '[');
  int first = 1;
  for (size_t i = 0; i < p->n_gates; i++) {
    if (p->gates[i].stage != p->stage) continue;
    if (!first) gk_buf_putc(b, ',');
    first = 0;
    gate_json(b, &p->gates[i], 0);
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "exercises");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < p->n_exercises; i++) {
    if (i) gk_buf_putc(b, ',');
    exercise_json(b, &p->exercises[i]);
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "running");
  gk__plan_running_json(p, b);
  gk_buf_putc(b, ',');

  const gk_plan_cadence *c = &p->cadence;
  gk_json_key(b, "cadence");
  gk_buf_putc(b, '{');
  gk_json_key(b, "baseline_spm");
  gk_json_num(b, c->baseline_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "target_spm");
  gk_json_num(b, c->target_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "baseline_speed_mps");
  gk_json_num(b, c->baseline_speed_mps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "later_target_spm");
  gk_json_num(b, c->later_target_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "expected_spm");
  gk_json_num(b, c->expected_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "retrain");
  tri(b, c->retrain);
  gk_buf_putc(b, ',');
  gk_json_key(b, "deferred");
  gk_buf_puts(b, c->deferred ? "true" : "false");
  gk_buf_putc(b, ',');
  gk_json_key(b, "origin");
  gk_json_str_or_null(b, c->origin);
  gk_buf_putc(b, ',');
  gk_json_key(b, "reason");
  gk_json_str(b, c->reason);
  gk_buf_putc(b, ',');
  gk_json_key(b, "set_date");
  gk_json_day(b, c->set_day);
  gk_buf_putc(b, ',');
  gk_json_key(b, "runs_since");
  gk_json_i64(b, (int64_t)c->runs_since);
  gk_buf_putc(b, ',');
  gk_json_key(b, "mean_spm");
  gk_json_num(b, c->mean_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "share_within");
  gk_json_num(b, c->share_within);
  gk_buf_putc(b, ',');
  gk_json_key(b, "fade_spm");
  gk_json_num(b, c->fade_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "held");
  gk_buf_puts(b, c->held > 0 ? "true" : c->held == 0 ? "false" : "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "next_target_spm");
  gk_json_num(b, c->next_target_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "loop");
  gk_json_str_or_null(b, c->loop[0] ? c->loop : NULL);
  gk_buf_putc(b, ',');
  gk_json_key(b, "source");
  const cJSON *cad =
      cJSON_GetObjectItemCaseSensitive(pv->running, "cadence");
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(cad, "source");
  gk_json_str_or_null(b, cJSON_IsString(src) ? src->valuestring : NULL);
  gk_buf_putc(b, ',');
  gk_json_key(b, "evidence_note");
  src = cJSON_GetObjectItemCaseSensitive(cad, "evidence_note");
  gk_json_str_or_null(b, cJSON_IsString(src) ? src->valuestring : NULL);
  gk_buf_puts(b, "},");

  gk_json_key(b, "refer");
  gk_buf_puts(b, p->refer ? "true" : "false");
  gk_buf_putc(b, ',');

  gk_json_key(b, "findings");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < p->n_findings; i++) {
    if (i) gk_buf_putc(b, ',');
    finding_json(b, &p->findings[i]);
  }
  gk_buf_puts(b, "],");

  /* Extra members. */
  gk_json_key(b, "refer_to");
  gk_json_str_or_null(b, p->refer_to);
  gk_buf_putc(b, ',');
  gk_json_key(b, "urgency");
  gk_json_str_or_null(b, p->urgency);
  gk_buf_putc(b, ',');
  gk_json_key(b, "provisional");
  gk_buf_puts(b, p->provisional ? "true" : "false");
  gk_buf_putc(b, ',');
  /* The conditions of a provisional stage: the unknown gates before it. */
  gk_json_key(b, "provisional_if");
  gk_buf_putc(b, '[');
  int first_if = 1;
  for (size_t i = 0; p->stage > 0 && i < p->n_gates; i++) {
    if (p->gates[i].met >= 0 || p->gates[i].stage >= p->stage) continue;
    if (!first_if) gk_buf_putc(b, ',');
    first_if = 0;
    gk_json_str(b, p->gates[i].name);
  }
  gk_buf_puts(b, "],");
  const cJSON *so = pv->stage_obj;
  const cJSON *title = cJSON_GetObjectItemCaseSensitive(so, "title");
  const cJSON *goal = cJSON_GetObjectItemCaseSensitive(so, "goal");
  gk_json_key(b, "stage_title");
  gk_json_str_or_null(b, cJSON_IsString(title) ? title->valuestring : NULL);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_goal");
  gk_json_str_or_null(b, cJSON_IsString(goal) ? goal->valuestring : NULL);
  gk_buf_putc(b, ',');
  gk_json_key(b, "all_gates");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < p->n_gates; i++) {
    if (i) gk_buf_putc(b, ',');
    gate_json(b, &p->gates[i], 1);
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "unknown");
  strings_json(b, p->unknown, p->n_unknown);
  gk_buf_putc(b, ',');
  gk_json_key(b, "education");
  strings_json(b, p->education, p->n_education);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_computed");
  gk_json_i64(b, p->stage_computed);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_by_clinician");
  gk_buf_puts(b, p->stage_by_clinician ? "true" : "false");
  gk_buf_putc(b, ',');
  gk_json_key(b, "clinician");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < p->n_clinician; i++) {
    if (i) gk_buf_putc(b, ',');
    clinician_json(b, &p->clinician[i]);
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "retests");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < p->n_retests; i++) {
    const gk_plan_retest *r = &p->retests[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "test");
    gk_json_str_or_null(b, r->test);
    gk_buf_putc(b, ',');
    gk_json_key(b, "name");
    gk_json_str_or_null(b, r->name);
    gk_buf_putc(b, ',');
    gk_json_key(b, "due");
    gk_json_day(b, r->due_day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "due_now");
    gk_buf_puts(b, r->due_now ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "why");
    gk_json_str_or_null(b, r->why);
    gk_buf_putc(b, ',');
    gk_json_key(b, "source");
    gk_json_str_or_null(b, r->source);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "]}");
}
