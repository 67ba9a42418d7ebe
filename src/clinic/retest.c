/*
** retest.c -- the re-test reminders: which tests to repeat and when
** (data/retests.json; docs/PLAN.md, "Re-tests").  Run after the stage, the
** running prescription and the cadence target are known.
**
**   akps          every_days after the latest intake with a complete
**                 Kujala score; due now when there is none.
**   screen        due now when there is no screen; else, when a gate of
**                 the current stage that the screen measures (its "from"
**                 in data/stages.json), or an unknown one of an earlier
**                 stage that the stage holds on, is not met: `days` after
**                 the screen, `close_days` when one of them is within
**                 close_pct of its target.  Not listed when none is open.
**   gait_capture  while a cadence target is in force: `days` after the
**                 later of the day it was set and the latest capture; now
**                 when the final target is held (the loop's last step);
**                 and capture_old_days after the latest capture in any
**                 case (the old-capture note of gk_assess).  The earliest
**                 of these.  Not listed with neither a target nor a capture.
** A refer plan lists none.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"
#include "core/data_internal.h"
#include "gaitkeeper/json.h"

static const cJSON *test_obj(const cJSON *root, const char *test) {
  const cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "tests")) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "test");
    if (cJSON_IsString(t) && strcmp(t->valuestring, test) == 0) return it;
  }
  return NULL;
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A whole number of days in 1..lim, else -1. */
static int64_t jdays(const cJSON *o, const char *k, int64_t lim) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > (double)lim ||
      v->valuedouble != floor(v->valuedouble))
    return -1;
  return (int64_t)v->valuedouble;
}

static int known_day(int64_t d) { return d >= GK_DAY_MIN && d <= GK_DAY_MAX; }

static void add(gk_plan *p, const cJSON *t, int64_t due, const char *why) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  if (p->n_retests >= GK__PLAN_MAX_RETESTS) return;
  gk_plan_retest *r = &pv->retests[p->n_retests++];
  r->test = jstr(t, "test");
  r->name = jstr(t, "name");
  r->due_day = due;
  r->due_now = due <= pv->day;
  r->why = why;
  r->source = jstr(t, "source");
}

/* ---- AKPS ----------------------------------------------------------------- */

static void akps(gk_plan *p, const gk_plan_input *in, const cJSON *t) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  int64_t every = jdays(t, "every_days", 365);
  char d[11];
  if (known_day(in->intake_day) && isfinite(in->akps)) {
    gk_day_format(in->intake_day, d);
    add(p, t, in->intake_day + every,
        gk__plan_printf(pv, "Every %lld days: your score was %.0f/100 on %s; "
                            "a change of about 8-10 points is one that "
                            "matters.",
                        (long long)every, in->akps, d));
  } else {
    add(p, t, in->day,
        isfinite(in->akps)
            ? "The day of the latest Kujala score is not known."
        : in->intake != NULL || known_day(in->intake_day)
            ? "The latest intake does not answer every Kujala question, so "
              "there is no score to follow yet."
            : "No intake answers yet, so there is no Kujala score to follow.");
  }
}

/* ---- screen --------------------------------------------------------------- */

/* The value within pct of its (non-zero) target. */
static int close_to(const gk_plan_gate *g, double pct) {
  return isfinite(g->value) && g->target != 0 &&
         fabs(g->value - g->target) <= fabs(g->target) * pct / 100.0;
}

static void screen(gk_plan *p, const gk_plan_input *in, const cJSON *t) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  if (in->screen == NULL || !known_day(in->screen_day)) {
    add(p, t, in->day,
        in->screen != NULL
            ? "The day of the latest screen is not known."
            : "No screen yet: the mobility, control and strength gates are "
              "not known.");
    return;
  }
  int64_t days = jdays(t, "days", 365), close_days = jdays(t, "close_days", 365);
  const cJSON *cp = cJSON_GetObjectItemCaseSensitive(t, "close_pct");
  double pct = cJSON_IsNumber(cp) ? cp->valuedouble : 0;
  char names[640] = "";
  size_t len = 0, open = 0;
  const gk_plan_gate *near = NULL;
  for (size_t i = 0; i < p->n_gates; i++) {
    const gk_plan_gate *g = &p->gates[i];
    if (g->from == NULL || strcmp(g->from, "screen") != 0) continue;
    int here = g->stage == p->stage && g->met != 1;
    int holds_on = g->stage < p->stage && g->met < 0;
    if (!here && !holds_on) continue;
    if (near == NULL && g->met == 0 && close_to(g, pct)) near = g;
    if (open < 3) {
      int k = snprintf(names + len, sizeof names - len, "%s%s",
                       open ? "; " : "", g->label ? g->label : g->name);
      if (k > 0 && (size_t)k < sizeof names - len) len += (size_t)k;
    }
    open++;
  }
  if (open == 0) return;
  char d[11];
  gk_day_format(in->screen_day, d);
  const char *more = open > 3 ? "; ..." : "";
  if (near != NULL) {
    add(p, t, in->screen_day + close_days,
        gk__plan_printf(pv, "%lld days after the screen of %s, not %lld: %s "
                            "is %g %s, within %g%% of the target %g (%s%s).",
                        (long long)close_days, d, (long long)days,
                        near->label ? near->label : near->name, near->value,
                        near->unit ? near->unit : "", pct, near->target,
                        names, more));
  } else {
    add(p, t, in->screen_day + days,
        gk__plan_printf(pv, "%lld days after the screen of %s, to see "
                            "whether the gates it measures are met now (%s%s).",
                        (long long)days, d, names, more));
  }
}

/* ---- gait capture --------------------------------------------------------- */

static void gait_capture(gk_plan *p, const gk_plan_input *in, const cJSON *t) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  const gk_plan_cadence *c = &p->cadence;
  int64_t days = jdays(t, "days", 365), old = jdays(t, "capture_old_days", 730);
  int have_capture = known_day(in->capture_day) && in->capture_day <= in->day;
  int in_force = !c->deferred &&
                 (c->set_day != INT64_MIN || isfinite(c->target_spm));
  if (!in_force && !have_capture) return;
  char d[11];
  int64_t due = INT64_MAX;
  const char *why = NULL;
  if (in_force) {
    int64_t set = c->set_day != INT64_MIN ? c->set_day : in->day;
    int64_t from = have_capture && in->capture_day > set ? in->capture_day : set;
    due = from + days;
    gk_day_format(from, d);
    why = gk__plan_printf(pv, "%lld days (%lld weeks) of cadence retraining "
                              "after %s (%s), to see what it changed.",
                          (long long)days, (long long)(days / 7), d,
                          from == set ? "the target" : "the latest capture");
    /* The loop's last step: the final target held for the hold days. */
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(pv->running, "cadence"), "hold");
    int64_t hold_days = jdays(h, "days", 365);
    if (hold_days < 0) hold_days = 14;
    if (c->held == 1 && isnan(c->next_target_spm) &&
        isfinite(c->target_spm) && c->target_spm >= c->later_target_spm &&
        c->set_day != INT64_MIN && in->day - c->set_day >= hold_days &&
        in->day < due) {
      due = in->day;
      why = gk__plan_printf(pv, "The final cadence target, %.0f steps/min, is "
                                "held: a new capture shows what it changed.",
                            c->target_spm);
    }
  }
  if (have_capture && in->capture_day + old < due) {
    due = in->capture_day + old;
    gk_day_format(in->capture_day, d);
    why = gk__plan_printf(pv, "%lld weeks after the latest capture, of %s: "
                              "from then on it is called old and its "
                              "findings may be out of date.",
                          (long long)(old / 7), d);
  }
  add(p, t, due, why);
}

gk_status gk__plan_retests(gk_plan *p, const gk_plan_input *in, gk_err *err) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  p->retests = pv->retests;
  p->n_retests = 0;
  pv->day = in->day;
  if (p->stage == GK_PLAN_STAGE_REFER) return GK_OK;
  pv->retests_data = gk__data("retests.json");
  if (pv->retests_data == NULL)
    return gk__plan_data_error(err, "data/retests.json could not be read");
  const cJSON *a = test_obj(pv->retests_data, "akps");
  const cJSON *s = test_obj(pv->retests_data, "screen");
  const cJSON *g = test_obj(pv->retests_data, "gait_capture");
  if (a == NULL || s == NULL || g == NULL || jdays(a, "every_days", 365) < 0 ||
      jdays(s, "days", 365) < 0 || jdays(s, "close_days", 365) < 0 ||
      jdays(g, "days", 365) < 0 || jdays(g, "capture_old_days", 730) < 0 ||
      !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(s, "close_pct")))
    return gk__plan_data_error(
        err, "data/retests.json: \"tests\" needs akps (every_days), screen "
             "(days, close_days, close_pct) and gait_capture (days, "
             "capture_old_days)");
  akps(p, in, a);
  screen(p, in, s);
  gait_capture(p, in, g);
  return GK_OK;
}
