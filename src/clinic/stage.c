/*
** stage.c -- the stage and its gates.  Every gate of data/stages.json is
** measured from the input (met, not met, or unknown when not measured);
** the runner is in the first stage with a gate not met or with no gate
** measured at all.  A stage whose measured gates are all met while others
** are unknown is passed provisionally: the plan is marked provisional and
** the unknown gates are its conditions ("stage 3 provisionally, if ..."),
** each with how to measure it.  A stage reached because none of its gates
** is measured is provisional too: the runner may be further along.  A red flag
** that stops self-management (the intake's refer) puts the plan in stage 0:
** whom to see and how urgently, no exercise progression.
*/
#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"

/* ---- measurements ------------------------------------------------------- */

static double yesno(int v) { return v == 0 || v == 1 ? (double)v : NAN; }

static int sls_side_fault(const gk_sls_side *s) {
  /* 1 fault, 0 clean, -1 unknown */
  if (s->knee_valgus == 1 || s->pelvic_drop == 1 || s->pain == 1) return 1;
  if (s->knee_valgus == 0 && s->pelvic_drop == 0 && s->pain != 1) return 0;
  return -1;
}

static double count_sides(const gk_plan_input *in, int which) {
  /* which 0: single-leg squat faults; 1: hop pain */
  if (in->screen == NULL) return NAN;
  int faults = 0, unknown = 0;
  for (int i = 0; i < 2; i++) {
    int f = which == 0 ? sls_side_fault(&in->screen->single_leg_squat[i])
            : in->screen->hop_pain[i] == 1 ? 1
            : in->screen->hop_pain[i] == 0 ? 0
                                           : -1;
    if (f == 1) faults++;
    if (f < 0) unknown++;
  }
  if (faults > 0) return faults; /* known to fail whatever the other side */
  return unknown ? NAN : 0;
}

static int ok_num(double v, double lo, double hi) {
  return isfinite(v) && v >= lo && v <= hi;
}

/* The lower of the two sides; NaN unless both are known, except that one
   known side already below target decides (returned as is). */
static double min_sides(const double v[2], double lo, double hi,
                        double target) {
  int a = ok_num(v[0], lo, hi), b = ok_num(v[1], lo, hi);
  if (a && b) return v[0] < v[1] ? v[0] : v[1];
  if (a && v[0] < target) return v[0];
  if (b && v[1] < target) return v[1];
  return NAN;
}

static double asym_pct(const double v[2]) {
  if (!ok_num(v[0], 0, 1000) || !ok_num(v[1], 0, 1000)) return NAN;
  double hi = v[0] > v[1] ? v[0] : v[1];
  if (hi <= 0) return 0;
  return fabs(v[0] - v[1]) / hi * 100.0;
}

static double count_findings(const gk_plan *p, const char *const *codes,
                             size_t n, int min_sev) {
  double c = 0;
  for (size_t i = 0; i < p->n_findings; i++) {
    const gk_finding *f = &p->findings[i].f;
    if ((int)f->severity < min_sev) continue;
    for (size_t k = 0; k < n; k++)
      if (gk__plan_match(codes[k], f->code)) {
        c++;
        break;
      }
  }
  return c;
}

/* The measured value of a gate's input; NaN when unknown.  target is the
   gate's threshold (used where one known side already decides). */
static double measure(const gk_plan *p, const gk_plan_input *in,
                      const char *input, double target) {
  const gk_intake *ik = in->intake;
  const gk_screen *sc = in->screen;
  if (strcmp(input, "pain_run") == 0) return gk__plan_pain_run(in);
  if (strcmp(input, "pain_daily") == 0)
    return ik && ok_num(ik->pain_daily, 0, 10) ? ik->pain_daily : NAN;
  if (strcmp(input, "pain_log_flags") == 0) {
    static const char *const codes[] = {"pain.over_limit", "pain.rising"};
    double c = count_findings(p, codes, 2, GK_SEV_INFO);
    if (c > 0) return c;
    if (in->pain_entries_14d > 0) return 0;
    /* No log yet (a first visit): the intake's morning after the last run
       (settled: no flag; not settled: one). */
    return ik && ik->last_run_settled >= 0 ? (double)!ik->last_run_settled
                                           : NAN;
  }
  if (strcmp(input, "walk_30min_pain") == 0) {
    double v = sc ? yesno(sc->walk_30min_pain) : NAN;
    return isnan(v) && ik ? yesno(ik->walk_30min_pain) : v;
  }
  if (strcmp(input, "knee_to_wall_min") == 0)
    return sc ? min_sides(sc->knee_to_wall_cm, 0, 40, target) : NAN;
  if (strcmp(input, "knee_to_wall_diff") == 0) {
    if (sc == NULL || !ok_num(sc->knee_to_wall_cm[0], 0, 40) ||
        !ok_num(sc->knee_to_wall_cm[1], 0, 40))
      return NAN;
    return fabs(sc->knee_to_wall_cm[0] - sc->knee_to_wall_cm[1]);
  }
  if (strcmp(input, "deep_squat_full_depth") == 0)
    return sc ? yesno(sc->deep_squat_full_depth) : NAN;
  if (strcmp(input, "deep_squat_pain") == 0)
    return sc ? yesno(sc->deep_squat_pain) : NAN;
  if (strcmp(input, "lunge_pain") == 0) return sc ? yesno(sc->lunge_pain) : NAN;
  if (strcmp(input, "sls_faults") == 0) return count_sides(in, 0);
  if (strcmp(input, "hop_pain_sides") == 0) return count_sides(in, 1);
  if (strcmp(input, "bridge_min") == 0)
    return sc ? min_sides(sc->single_leg_bridge_reps, 0, 1000, target) : NAN;
  if (strcmp(input, "calf_min") == 0)
    return sc ? min_sides(sc->calf_raise_reps, 0, 1000, target) : NAN;
  if (strcmp(input, "strength_asym_pct") == 0) {
    if (sc == NULL) return NAN;
    double a = asym_pct(sc->single_leg_bridge_reps);
    double b = asym_pct(sc->calf_raise_reps);
    if (isnan(a)) return b;
    if (isnan(b)) return a;
    return a > b ? a : b;
  }
  if (strcmp(input, "longest_run_30d_m") == 0) {
    if (!in->load_known) return NAN;
    return isfinite(in->longest_run_30d_m) ? in->longest_run_30d_m : 0;
  }
  if (strcmp(input, "load_warnings") == 0) {
    if (!in->load_known) return NAN;
    static const char *const codes[] = {"load.*"};
    return count_findings(p, codes, 1, GK_SEV_WARNING);
  }
  return NAN;
}

static int judge(double v, const char *cmp, double t) {
  if (isnan(v)) return -1;
  if (strcmp(cmp, "<=") == 0) return v <= t;
  if (strcmp(cmp, ">=") == 0) return v >= t;
  if (strcmp(cmp, "==") == 0) return fabs(v - t) < 1e-9;
  return -1;
}

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- refer -------------------------------------------------------------- */

static void refer(gk_plan *p, const gk_plan_input *in) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  const gk_intake_result *r = in->intake_result;
  const cJSON *ro = cJSON_GetObjectItemCaseSensitive(pv->stages, "refer");
  p->stage = GK_PLAN_STAGE_REFER;
  p->stage_name = jstr(ro, "name");
  if (p->stage_name == NULL) p->stage_name = "refer";
  p->refer = 1;
  pv->stage_obj = ro;
  /* The most urgent red flag that stops the plan names whom to see. */
  const gk_red_flag *best = NULL;
  for (size_t i = 0; r && i < r->n_red_flags && i < GK_RED_FLAG_MAX; i++) {
    const gk_red_flag *f = &r->red_flags[i];
    if (!f->stops_plan) continue;
    if (best == NULL || f->urgency > best->urgency) best = f;
  }
  gk_urgency u = best ? best->urgency : (r ? r->urgency : GK_URGENCY_NONE);
  if (u == GK_URGENCY_NONE) u = GK_URGENCY_SOON;
  p->urgency = gk_urgency_name(u);
  if (best && best->who) {
    p->refer_to = gk__plan_strdup(pv, best->who);
  } else {
    /* A refer finding without a red flag's whom-to-see: data/stages.json's
       default for the urgency. */
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ro, "by_urgency")) {
      const char *name = jstr(it, "urgency");
      if (name && strcmp(name, p->urgency) == 0) p->refer_to = jstr(it, "refer_to");
    }
    if (p->refer_to == NULL)
      p->refer_to = "A doctor or physiotherapist, before going on with the plan";
  }
}

/* ---- the stage ---------------------------------------------------------- */

/* The stage on what is known: the first stage with a gate not met, or with
   none of its gates measured; a stage with some gates met and the rest
   unknown is passed provisionally (the unknown gates are the "if" of a
   provisional stage).  4 when every stage is passed. */
static int stage_on_what_is_known(const gk_plan_gate *g, size_t n) {
  for (int s = 1; s <= 4; s++) {
    int gates = 0, known = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
      if (g[i].stage != s) continue;
      gates++;
      if (g[i].met >= 0) known++;
      if (g[i].met == 0) failed++;
    }
    if (failed || (gates > 0 && known == 0)) return s;
  }
  return 4;
}

gk_status gk__plan_stage(gk_plan *p, const gk_plan_input *in, gk_err *err) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  const cJSON *stages = cJSON_GetObjectItemCaseSensitive(pv->stages, "stages");
  if (!cJSON_IsArray(stages))
    return gk__plan_data_error(err, "data/stages.json: \"stages\" is not an array");

  const cJSON *st;
  cJSON_ArrayForEach(st, stages) {
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(st, "stage");
    const cJSON *gates = cJSON_GetObjectItemCaseSensitive(st, "gates");
    if (!cJSON_IsNumber(num) || num->valueint < 1 || num->valueint > 4 ||
        !cJSON_IsArray(gates))
      return gk__plan_data_error(
          err, "data/stages.json: a stage needs \"stage\" 1..4 and \"gates\"");
    const cJSON *g;
    cJSON_ArrayForEach(g, gates) {
      if (p->n_gates >= GK__PLAN_MAX_GATES)
        return gk__plan_data_error(err, "data/stages.json: too many gates");
      const char *name = jstr(g, "name"), *input = jstr(g, "input"),
                 *cmp = jstr(g, "cmp");
      const cJSON *th = cJSON_GetObjectItemCaseSensitive(g, "threshold");
      if (!name || !input || !cmp || !cJSON_IsNumber(th))
        return gk__plan_data_error(
            err, "data/stages.json: a gate needs \"name\", \"input\", \"cmp\" "
                 "and a numeric \"threshold\"");
      gk_plan_gate *o = &pv->gates[p->n_gates++];
      o->stage = num->valueint;
      o->name = name;
      o->label = jstr(g, "label");
      o->unit = jstr(g, "unit");
      o->cmp = cmp;
      o->source = jstr(g, "source");
      o->evidence_note = jstr(g, "evidence_note");
      o->target = th->valuedouble;
      o->value = measure(p, in, input, o->target);
      o->met = judge(o->value, cmp, o->target);
      o->how_to_measure = jstr(g, "how_to_measure");
      o->from = jstr(g, "from");
    }
  }

  /* What could not be judged. */
  if (in->intake == NULL)
    gk__plan_unknown(p, "No intake answers: red flags, pain in daily life, "
                        "the Kujala score and the history beyond the knee "
                        "could not be judged (gaitkeeper intake).");
  else if (in->intake_result == NULL)
    gk__plan_unknown(p, "The intake answers were not assessed for red flags.");
  if (in->screen == NULL)
    gk__plan_unknown(p, "No functional screen: the mobility, single-leg "
                        "control and strength gates are unknown (gaitkeeper "
                        "screen).");
  if (!in->load_known)
    gk__plan_unknown(p, "No run history: the single-run cap, the load "
                        "findings and the return-to-running gate are "
                        "unknown (gaitkeeper import).");
  if (in->pain_entries_14d == 0)
    gk__plan_unknown(p, "No pain log entries in the last 14 days: whether "
                        "pain settles by the next morning is unknown "
                        "(gaitkeeper pain add).");
  for (size_t i = 0; i < p->n_gates; i++)
    if (pv->gates[i].met < 0)
      gk__plan_unknown(p, gk__plan_printf(pv, "Gate \"%s\" (stage %d): not "
                                              "measured.",
                                          pv->gates[i].label
                                              ? pv->gates[i].label
                                              : pv->gates[i].name,
                                          pv->gates[i].stage));

  /* Refer: the intake's decision, or any refer finding. */
  int must_refer = in->intake_result != NULL && in->intake_result->refer;
  for (size_t i = 0; i < p->n_findings; i++)
    if (p->findings[i].f.severity == GK_SEV_REFER) must_refer = 1;
  if (must_refer) {
    refer(p, in);
    return GK_OK;
  }

  int stage = stage_on_what_is_known(pv->gates, p->n_gates);
  /* Provisional: an earlier stage passed with gates unknown, or this stage
     reached only because none of its gates is measured. */
  int known_here = 0;
  p->provisional = 0;
  for (size_t i = 0; i < p->n_gates; i++) {
    if (pv->gates[i].met < 0 && pv->gates[i].stage < stage) p->provisional = 1;
    if (pv->gates[i].met >= 0 && pv->gates[i].stage == stage) known_here = 1;
  }
  if (!known_here) p->provisional = 1;
  if (!gk__plan_set_stage(p, stage))
    return gk__plan_data_error(err, "data/stages.json: a stage has no \"name\"");
  p->stage_computed = stage;
  return GK_OK;
}

int gk__plan_set_stage(gk_plan *p, int n) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  const cJSON *st;
  cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(pv->stages,
                                                          "stages")) {
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(st, "stage");
    if (cJSON_IsNumber(num) && num->valueint == n && jstr(st, "name")) {
      p->stage = n;
      pv->stage_obj = st;
      p->stage_name = jstr(st, "name");
      return 1;
    }
  }
  return 0;
}
