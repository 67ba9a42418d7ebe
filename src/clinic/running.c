/*
** running.c -- the running prescription and the cadence target, from
** data/running.json.
**
** Running: a red flag stops running until assessed; pain during running
** over 5/10 pauses it for at most 7 days, then walk/run from phase 1; a
** runner whose longest run of the last 30 days covers the last walk/run
** phase keeps running, inside the pain limits and the single-run cap (no
** run more than 10% longer than the longest of the 30 days before:
** Frandsen et al. 2025); anyone else follows the walk/run phases (Trials
** 2023), entering at the phase their longest recent run covers.
**
** Cadence: from the runner's own baseline (recent runs or a gait capture),
** +5% now and up to +10% later, never more and never a fixed number, and
** only where it is called for: a finding (low cadence, overstride, pelvic
** drop, hip adduction) or a baseline more than 5% below the typical
** cadence at the baseline's speed (Leacox et al. 2025, secondary summary).
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/plan_internal.h"
#include "core/data_internal.h"

static const char *jstr(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k, double dflt) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : dflt;
}

const char *gk_run_mode_name(gk_run_mode m) {
  switch (m) {
    case GK_RUN_STOP: return "stop";
    case GK_RUN_PAUSE_THEN_WALK_RUN: return "pause_then_walk_run";
    case GK_RUN_WALK_RUN: return "walk_run";
    case GK_RUN_CONTINUE_CAPPED: return "continue_capped";
    case GK_RUN_NOT_YET: return "not_yet";
  }
  return "unknown";
}

static size_t phases_from(const cJSON *running, gk_walk_run_phase *out,
                          size_t max) {
  const cJSON *wr = cJSON_GetObjectItemCaseSensitive(running, "walk_run");
  const cJSON *ph = cJSON_GetObjectItemCaseSensitive(wr, "phases");
  size_t n = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, ph) {
    gk_walk_run_phase p;
    p.phase = (int)jnum(it, "phase", 0);
    p.walk_min = jnum(it, "walk_min", 0);
    p.run_min = jnum(it, "run_min", 0);
    p.repeats = (int)jnum(it, "repeats", 1);
    p.continuous_min = jnum(it, "continuous_min", 0);
    p.total_km = jnum(it, "total_km", 0);
    p.rpe = (int)jnum(it, "rpe", 0);
    if (p.phase != (int)n + 1 || p.repeats < 1 || p.repeats > 100 ||
        p.walk_min < 0 || p.run_min < 0 || p.walk_min > 120 ||
        p.run_min > 120 || p.continuous_min < 0 || p.continuous_min > 600 ||
        (p.run_min <= 0 && p.continuous_min <= 0))
      return 0; /* malformed */
    if (n < max && out) out[n] = p;
    n++;
  }
  return n;
}

size_t gk_plan_walk_run_phases(gk_walk_run_phase *out, size_t max) {
  const cJSON *r = gk__data("running.json");
  size_t n = phases_from(r, out, max);
  return n;
}

/* Typical cadence at speed v from the reference points (linear between
   them, the end segments extended); NaN without a speed. */
static double expected_cadence(const cJSON *cad, double v) {
  const cJSON *ref = cJSON_GetObjectItemCaseSensitive(cad, "reference");
  double xs[8], ys[8];
  int n = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, ref) {
    if (n >= 8) break;
    double x = jnum(it, "speed_mps", NAN), y = jnum(it, "cadence_spm", NAN);
    if (isnan(x) || isnan(y)) continue;
    if (n > 0 && x <= xs[n - 1]) continue; /* must increase */
    xs[n] = x;
    ys[n] = y;
    n++;
  }
  if (n < 2 || !isfinite(v) || v <= 0.5 || v > 12) return NAN;
  int i = 0;
  while (i < n - 2 && v > xs[i + 1]) i++;
  return ys[i] + (ys[i + 1] - ys[i]) * (v - xs[i]) / (xs[i + 1] - xs[i]);
}

static int recent_flare(const gk_plan *p);

/*
** The closed loop on a target in force (data/running.json cadence.hold):
** the runs after the day it was set, the last `runs` of them judged; held
** when each averages within mean_tol below the target or above, their
** running minutes pooled are within +/- 3 for at least share_min, their
** mean fade is no worse than fade_min, and `days` have passed since it was
** set.  Held with no flare in the last 14 days: the later target is next.
*/
static void hold_loop(gk_plan *p, const gk_plan_input *in, const cJSON *cad) {
  gk_plan_cadence *c = &p->cadence;
  const cJSON *h = cJSON_GetObjectItemCaseSensitive(cad, "hold");
  int need = (int)jnum(h, "runs", 3), days = (int)jnum(h, "days", 14);
  double tol = jnum(h, "mean_tol_spm", 3), share_min = jnum(h, "share_min", 0.6);
  double fade_min = jnum(h, "fade_min_spm", -3);
  if (need < 1 || need > 20) need = 3;
  c->runs_since = 0;
  for (size_t i = 0; in->cadence_runs && i < in->n_cadence_runs; i++)
    if (in->cadence_runs[i].day > c->set_day && in->cadence_runs[i].day <= in->day)
      c->runs_since++;
  /* The last `need` runs after the day it was set. */
  size_t got = 0, minutes = 0, n_fade = 0, n_mean = 0;
  double sum_mean = 0, sum_fade = 0, within_min = 0;
  int each_ok = 1;
  for (size_t k = in->n_cadence_runs; in->cadence_runs && k-- > 0 &&
                                      got < (size_t)need;) {
    const gk_cadence_hold *r = &in->cadence_runs[k];
    if (r->day <= c->set_day || r->day > in->day) continue;
    got++;
    if (isfinite(r->mean_spm)) {
      sum_mean += r->mean_spm;
      n_mean++;
      if (r->mean_spm < c->target_spm - tol) each_ok = 0;
    } else {
      each_ok = 0;
    }
    if (isfinite(r->share_within) && r->running_minutes > 0) {
      minutes += r->running_minutes;
      within_min += r->share_within * (double)r->running_minutes;
    }
    if (isfinite(r->fade_spm)) {
      sum_fade += r->fade_spm;
      n_fade++;
    }
  }
  c->mean_spm = n_mean ? sum_mean / (double)n_mean : NAN;
  c->share_within = minutes ? within_min / (double)minutes : NAN;
  c->fade_spm = n_fade ? sum_fade / (double)n_fade : NAN;
  int64_t since = in->day - c->set_day;
  char d[11];
  gk_day_format(c->set_day, d);
  if (got < (size_t)need) {
    c->held = 0;
    snprintf(c->loop, sizeof c->loop,
             "Target %.0f steps/min since %s: %zu of the %d runs it is judged "
             "on so far.",
             c->target_spm, d, got, need);
    return;
  }
  int share_ok = isnan(c->share_within) || c->share_within >= share_min;
  int fade_ok = isnan(c->fade_spm) || c->fade_spm >= fade_min;
  char share[64] = "", fade[64] = "";
  if (isfinite(c->share_within))
    snprintf(share, sizeof share, ", %.0f%% of running minutes within 3",
             c->share_within * 100);
  if (isfinite(c->fade_spm))
    snprintf(fade, sizeof fade, ", %+.0f in the last third", c->fade_spm);
  if (!each_ok || !share_ok || !fade_ok) {
    c->held = 0;
    snprintf(c->loop, sizeof c->loop,
             "Target %.0f steps/min since %s, not held yet: the last %d runs "
             "averaged %.0f%s%s. Keep the target; use the metronome or the "
             "watch's alert on every run.",
             c->target_spm, d, need, c->mean_spm, share, fade);
    return;
  }
  c->held = 1;
  if (since < days) {
    snprintf(c->loop, sizeof c->loop,
             "Target %.0f steps/min held on the last %d runs (%.0f%s%s); %lld "
             "of the %d days before the next step.",
             c->target_spm, need, c->mean_spm, share, fade, (long long)since,
             days);
  } else if (recent_flare(p)) {
    snprintf(c->loop, sizeof c->loop,
             "Target %.0f steps/min held (%.0f%s%s), but pain flared in the "
             "last 14 days: stay at this target until it settles.",
             c->target_spm, c->mean_spm, share, fade);
  } else if (c->target_spm < c->later_target_spm) {
    c->next_target_spm = c->later_target_spm;
    snprintf(c->loop, sizeof c->loop,
             "Target %.0f steps/min held on the last %d runs (%.0f%s%s) for "
             "%lld days, inside the pain limits: move to %.0f steps/min, the "
             "last step (10%% above your baseline).",
             c->target_spm, need, c->mean_spm, share, fade, (long long)since,
             c->next_target_spm);
  } else {
    snprintf(c->loop, sizeof c->loop,
             "Target %.0f steps/min held (%.0f%s%s): the last step, keep it. "
             "Record a new gait capture to see what it changed.",
             c->target_spm, c->mean_spm, share, fade);
  }
}

static void cadence(gk_plan *p, const gk_plan_input *in, const cJSON *cad) {
  gk_plan_cadence *c = &p->cadence;
  double step = jnum(cad, "step_pct", 5), maxp = jnum(cad, "max_pct", 10);
  double margin = jnum(cad, "low_margin_pct", 5);
  if (step <= 0 || step > 10) step = 5;
  if (maxp < step || maxp > 10) maxp = 10;
  const gk_cadence_target *set = in->cadence_set;
  if (set != NULL && !(isfinite(set->baseline_spm) && set->baseline_spm >= 60 &&
                       set->baseline_spm <= 260 && isfinite(set->target_spm) &&
                       set->target_spm >= 60 && set->target_spm <= 260 &&
                       set->day <= in->day))
    set = NULL;
  double base = set ? set->baseline_spm : in->cadence_baseline_spm;
  double speed = set ? set->speed_mps : in->cadence_speed_mps;
  if (!(isfinite(base) && base >= 60 && base <= 260)) base = NAN;
  c->baseline_spm = base;
  c->baseline_speed_mps = isnan(base) ? NAN : speed;
  c->target_spm = c->later_target_spm = NAN;
  c->expected_spm = NAN;
  c->set_day = INT64_MIN;
  c->mean_spm = c->share_within = c->fade_spm = c->next_target_spm = NAN;
  c->held = -1;
  c->origin = isnan(base) ? NULL
              : set && set->origin[0] ? gk__plan_strdup(
                                            (gk__plan_priv *)p->priv_,
                                            set->origin)
              : in->cadence_origin == GK_CADENCE_CAPTURE ? "gait capture"
              : in->cadence_origin == GK_CADENCE_RUNS    ? "runs"
                                                         : "given";
  if (!isnan(base)) c->expected_spm = expected_cadence(cad, speed);

  if (p->refer) {
    c->retrain = 0;
    snprintf(c->reason, sizeof c->reason,
             "No cadence work until a clinician has seen the knee.");
    return;
  }

  /* What calls for retraining. */
  const cJSON *calls = cJSON_GetObjectItemCaseSensitive(cad, "calls_for");
  char why[160] = "";
  size_t wl = 0;
  int called = 0;
  for (size_t i = 0; i < p->n_findings; i++) {
    const char *code = p->findings[i].f.code;
    if (!gk__plan_match_any(calls, code)) continue;
    called = 1;
    int n = snprintf(why + wl, sizeof why - wl, "%s%s", wl ? ", " : "", code);
    if (n > 0 && (size_t)n < sizeof why - wl) wl += (size_t)n;
  }
  int low = -1;
  if (!isnan(base) && !isnan(c->expected_spm))
    low = base < c->expected_spm * (1.0 - margin / 100.0);

  if (isnan(base)) {
    c->retrain = called ? 1 : -1;
    snprintf(c->reason, sizeof c->reason,
             called ? "Retraining is called for (%s), but there is no "
                      "measured cadence to start from: import runs with "
                      "cadence or analyse a gait capture."
                    : "No measured cadence: import runs with cadence or "
                      "analyse a gait capture.%s",
             why);
    return;
  }
  if (!called && low != 1 && set == NULL) {
    c->retrain = low == 0 ? 0 : -1;
    if (low == 0)
      snprintf(c->reason, sizeof c->reason,
               "Cadence %.0f steps/min is typical for the speed (about %.0f) "
               "and no gait finding calls for a change: no target.",
               base, c->expected_spm);
    else
      snprintf(c->reason, sizeof c->reason,
               "Cadence %.0f steps/min; its speed is not known, so whether "
               "it is low cannot be judged, and no gait finding calls for a "
               "change: no target.",
               base);
    return;
  }
  if (low == 1 && set == NULL) {
    /* The plan's own finding, so that the chain and the exercises see it
       (not while a target is in force: its baseline is the old cadence). */
    gk_finding f;
    memset(&f, 0, sizeof f);
    f.code = "cadence.low_for_speed";
    f.severity = GK_SEV_CAUTION;
    f.value = base;
    f.threshold = c->expected_spm * (1.0 - margin / 100.0);
    f.date_from = f.date_to = INT64_MIN;
    snprintf(f.text, sizeof f.text,
             "Your cadence, %.0f steps/min (%s), is more than %.0f%% below the "
             "typical %.0f steps/min at %.1f m/s.",
             base, c->origin ? c->origin : "measured", margin,
             c->expected_spm, in->cadence_speed_mps);
    f.source = jstr(cad, "reference_source");
    f.evidence_note = "Typical values from one secondary summary; runners "
                      "vary widely (about 160-210 steps/min).";
    gk__plan_add_finding(p, &f);
  }
  c->retrain = 1;
  if (p->running.mode != GK_RUN_WALK_RUN &&
      p->running.mode != GK_RUN_CONTINUE_CAPPED) {
    /* Cadence is trained while running: no target while none is
       prescribed, so the plan never says both. */
    c->deferred = 1;
    snprintf(c->reason, sizeof c->reason,
             "Cadence retraining is called for (%s), and starts when "
             "running does, from your own baseline.",
             set ? "a target was set before" : called ? why
                                                      : "cadence low for the speed");
    return;
  }
  c->target_spm = round(base * (1.0 + step / 100.0));
  c->later_target_spm = floor(base * (1.0 + maxp / 100.0));
  if (c->later_target_spm < c->target_spm) c->later_target_spm = c->target_spm;
  if (set != NULL) {
    /* The target in force, never above the later one. */
    c->target_spm = set->target_spm < c->later_target_spm ? set->target_spm
                                                           : c->later_target_spm;
    c->set_day = set->day;
    hold_loop(p, in, cad);
    char d[11];
    snprintf(c->reason, sizeof c->reason,
             "The target set on %s from your baseline of %.0f steps/min "
             "(%s); the baseline stays fixed while you retrain.",
             gk_day_format(set->day, d), base, c->origin ? c->origin : "");
    return;
  }
  if (called && low == 1)
    snprintf(c->reason, sizeof c->reason,
             "Called for by %s, and %.0f steps/min is more than %.0f%% below "
             "the typical %.0f at that speed.",
             why, base, margin, c->expected_spm);
  else if (called)
    snprintf(c->reason, sizeof c->reason, "Called for by %s.", why);
  else
    snprintf(c->reason, sizeof c->reason,
             "%.0f steps/min is more than %.0f%% below the typical %.0f at "
             "that speed.",
             base, margin, c->expected_spm);
}

/* ---- walk/run progression ------------------------------------------------ */

/* A pain.over_limit or pain.rising finding in the plan (the load analysis
   looks back 14 days). */
static int recent_flare(const gk_plan *p) {
  for (size_t i = 0; i < p->n_findings; i++)
    if (gk__plan_match("pain.over_limit", p->findings[i].f.code) ||
        gk__plan_match("pain.rising", p->findings[i].f.code))
      return 1;
  return 0;
}

/* The progression's window, at most this many days (data/running.json
   walk_run.progress window_days). */
#define PROGRESS_MAX_DAYS 365

/*
** The walk/run phase from the runs since the latest break, in the last
** window_days: from phase 1, each day with a run that covers cover x the
** phase's distance and no flare logged counts; runs_per_phase such runs
** move one phase up; a day with a flare steps one phase back (not below 1)
** and restarts the count.  Days in order, so a flare after the runs that
** moved the runner up steps them back.
*/
static void progress(gk_plan_running *r, const gk_plan_input *in,
                     const gk_walk_run_phase *ph, size_t n, const cJSON *rule) {
  int per = (int)jnum(rule, "runs_per_phase", 2);
  double cover = jnum(rule, "cover_fraction", 0.9);
  int window = (int)jnum(rule, "window_days", 42);
  if (per < 1 || per > 10) per = 2;
  if (!(cover > 0.5 && cover <= 1.0)) cover = 0.9;
  if (window < 7 || window > PROGRESS_MAX_DAYS) window = 42;
  int64_t from = in->day - (window - 1);
  if (in->break_to != INT64_MIN && !in->break_ongoing &&
      in->break_to + 1 > from)
    from = in->break_to + 1;
  /* One pass over the runs and one over the pain log: each day's longest
     run (NaN: none) and whether a flare was logged (gk_pain_flare). */
  double longest[PROGRESS_MAX_DAYS];
  unsigned char flare[PROGRESS_MAX_DAYS];
  size_t nd = (size_t)(in->day - from + 1);
  for (size_t k = 0; k < nd; k++) {
    longest[k] = NAN;
    flare[k] = 0;
  }
  for (size_t i = 0; i < in->n_runs; i++) {
    int64_t d = gk_day_of_time(in->runs[i].start_time);
    if (d < from || d > in->day) continue;
    double m = isfinite(in->runs[i].distance_m) ? in->runs[i].distance_m : 0;
    if (isnan(longest[d - from]) || m > longest[d - from]) longest[d - from] = m;
  }
  for (size_t i = 0; in->pain != NULL && i < in->n_pain; i++) {
    int64_t d = in->pain[i].day;
    if (d >= from && d <= in->day && !flare[d - from] &&
        gk_pain_flare(in->pain, in->n_pain, &in->pain[i], NULL) != 0)
      flare[d - from] = 1;
  }
  int phase = 1, done = 0, change = 0;
  for (size_t k = 0; k < nd; k++) {
    if (flare[k]) {
      change = phase > 1 ? -1 : 0;
      if (phase > 1) phase--;
      done = 0;
      continue;
    }
    double m = longest[k];
    if (isnan(m)) continue;
    change = 0;
    /* half a metre for the rounding of 0.9 x 1.6 km */
    if (m + 0.5 < cover * ph[phase - 1].total_km * 1000.0) continue;
    if (++done >= per && phase < (int)n) {
      phase++;
      done = 0;
      change = 1;
    }
  }
  r->phase = phase;
  r->phase_runs_done = done;
  r->phase_change = change;
  r->phase_rule = jstr(rule, "text");
}

/* "Day N without running" from the alert day on (data/running.json
   rest_alert): {n}, {date} and {max} filled in. */
static void rest_alert(gk__plan_priv *pv, gk_plan_running *r,
                       const gk_plan_input *in, const cJSON *ra) {
  r->days_without_running = -1;
  r->rest_alert = NULL;
  if (!in->load_known || in->last_run_day == INT64_MIN ||
      in->last_run_day > in->day)
    return;
  int64_t n = in->day - in->last_run_day;
  r->days_without_running = n > 100000 ? 100000 : (int)n;
  int from = (int)jnum(ra, "from_day", 5);
  if (from < 1 || from > r->rest_days_max) from = r->rest_days_max - 2;
  if (n < from || r->mode == GK_RUN_STOP) return;
  const char *t = n > r->rest_days_max ? jstr(ra, "text_over")
                  : r->mode == GK_RUN_WALK_RUN ||
                          r->mode == GK_RUN_CONTINUE_CAPPED
                      ? jstr(ra, "text_running")
                      : jstr(ra, "text_not_running");
  if (t == NULL) t = "Day {n} without running (last run {date}).";
  char d[11];
  gk_day_format(in->last_run_day, d);
  gk_buf b = {0};
  for (const char *c = t; *c; c++) {
    if (strncmp(c, "{n}", 3) == 0) {
      char v[24];
      snprintf(v, sizeof v, "%lld", (long long)n);
      gk_buf_puts(&b, v);
      c += 2;
    } else if (strncmp(c, "{date}", 6) == 0) {
      gk_buf_puts(&b, d);
      c += 5;
    } else if (strncmp(c, "{max}", 5) == 0) {
      char v[24];
      snprintf(v, sizeof v, "%d", r->rest_days_max);
      gk_buf_puts(&b, v);
      c += 4;
    } else {
      gk_buf_putc(&b, *c);
    }
  }
  if (!b.oom && b.data) r->rest_alert = gk__plan_strdup(pv, b.data);
  gk_buf_free(&b);
}

gk_status gk__plan_running(gk_plan *p, const gk_plan_input *in, gk_err *err) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  gk_plan_running *r = &p->running;
  const cJSON *cap = cJSON_GetObjectItemCaseSensitive(pv->running,
                                                      "single_run_cap");
  const cJSON *pause = cJSON_GetObjectItemCaseSensitive(pv->running, "pause");
  gk_walk_run_phase ph[16];
  size_t n = phases_from(pv->running, ph, 16);
  if (n == 0 || n > 16)
    return gk__plan_data_error(err, "data/running.json: \"walk_run\" "
                                    "\"phases\" are malformed");
  r->n_phases = (int)n;
  r->cap_factor = jnum(cap, "factor", 1.1);
  if (!(r->cap_factor > 1.0 && r->cap_factor <= 1.1)) r->cap_factor = 1.1;
  int rest = (int)jnum(pause, "rest_days_max", 7);
  r->rest_days_max = rest < 0 ? 0 : rest > 7 ? 7 : rest; /* never > 7 */
  /* Only runs after the latest break count: a run from before it says
     nothing of what the knee takes now. */
  double longest = in->load_known && isfinite(in->longest_run_30d_since_break_m)
                       ? in->longest_run_30d_since_break_m
                       : NAN;
  r->max_single_run_m = NAN;
  double pain = gk__plan_pain_run(in);
  double pause_over = jnum(pause, "pain_run_over", 5);
  const cJSON *before = cJSON_GetObjectItemCaseSensitive(pv->running,
                                                         "before_running");
  const cJSON *brk = cJSON_GetObjectItemCaseSensitive(pv->running,
                                                      "after_break");
  const cJSON *progress_rule = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(pv->running, "walk_run"), "progress");
  /* The gates the method puts before running, as the stage measured them. */
  char held[512] = "";
  size_t hl = 0;
  int n_held = 0;
  const cJSON *gname;
  cJSON_ArrayForEach(gname,
                     cJSON_GetObjectItemCaseSensitive(before, "gates")) {
    if (!cJSON_IsString(gname)) continue;
    for (size_t i = 0; i < p->n_gates; i++) {
      const gk_plan_gate *g = &p->gates[i];
      if (strcmp(g->name, gname->valuestring) != 0 || g->met == 1) continue;
      int k = snprintf(held + hl, sizeof held - hl, "%s%s%s",
                       n_held ? "; " : "", g->label ? g->label : g->name,
                       g->met < 0 ? " (not yet known)" : "");
      if (k > 0 && (size_t)k < sizeof held - hl) hl += (size_t)k;
      n_held++;
    }
  }
  const char *hold_text = NULL;
  if (n_held > 0) {
    const char *t = jstr(before, "text");
    const char *at = t ? strstr(t, "{gates}") : NULL;
    hold_text = at ? gk__plan_printf(pv, "%.*s%s%s", (int)(at - t), t, held,
                                     at + 7)
                   : gk__plan_printf(pv, "No running yet: first %s.", held);
  }
  const char *break_text = NULL;
  if (in->load_known && in->break_ongoing && in->break_from != INT64_MIN) {
    char d[11];
    long long days = (long long)(in->day - in->break_from + 1);
    const char *t = jstr(brk, "text");
    if (t == NULL) t = "You have not run for {days} days (since {date}).";
    /* {days} then {date}, in that order, as data/running.json writes it. */
    const char *a = strstr(t, "{days}"), *b = a ? strstr(a, "{date}") : NULL;
    break_text = b ? gk__plan_printf(pv, "%.*s%lld%.*s%s%s", (int)(a - t), t,
                                     days, (int)(b - a - 6), a + 6,
                                     gk_day_format(in->break_from - 1, d),
                                     b + 6)
                   : t;
  }

  if (p->refer) {
    r->mode = GK_RUN_STOP;
    r->phase = 0;
    r->text = "No running until a clinician has assessed the knee; then "
              "follow their advice on when to start the walk/run phases.";
  } else if (isfinite(pain) && pain > pause_over) {
    r->mode = GK_RUN_PAUSE_THEN_WALK_RUN;
    r->phase = 1;
    /* One sentence with the gates, not the pause and "no running yet"
       side by side. */
    const char *t = jstr(pause, "text_with_gates");
    const char *at = t ? strstr(t, "{gates}") : NULL;
    r->text = n_held > 0 && at ? gk__plan_printf(pv, "%.*s%s%s", (int)(at - t),
                                                 t, held, at + 7)
              : hold_text      ? gk__plan_printf(pv, "%s %s",
                                                 jstr(pause, "text"), hold_text)
                               : jstr(pause, "text");
  } else if (hold_text != NULL) {
    r->mode = GK_RUN_NOT_YET;
    r->phase = 0;
    r->text = break_text ? gk__plan_printf(pv, "%s %s", hold_text, break_text)
                         : hold_text;
  } else if (break_text != NULL) {
    r->mode = GK_RUN_WALK_RUN;
    r->phase = 1;
    r->text = gk__plan_printf(pv,
                              "%s Walk/run from phase 1 of %zu: a rest day "
                              "between runs, each phase at least twice, on "
                              "level ground, inside the pain limits.",
                              break_text, n);
  } else if (isfinite(longest) && longest >= ph[n - 1].total_km * 1000.0 &&
             !recent_flare(p)) {
    r->mode = GK_RUN_CONTINUE_CAPPED;
    r->phase = 0;
    r->max_single_run_m = longest * r->cap_factor;
    r->text = gk__plan_printf(
        pv,
        "Keep running inside the pain limits. No single run longer than "
        "%.1f km (10%% more than your longest run of the last 30 days, "
        "%.1f km).",
        r->max_single_run_m / 1000.0, longest / 1000.0);
  } else if (isfinite(longest) && longest >= ph[n - 1].total_km * 1000.0) {
    /* A runner who runs the distances already, with a flare in the last 14
       days: back to the last phase until it passes twice without one. */
    r->mode = GK_RUN_WALK_RUN;
    r->phase = (int)n;
    r->phase_change = -1;
    r->phase_rule = jstr(progress_rule, "text");
    r->text = gk__plan_printf(
        pv,
        "A flare in the last 14 days steps you back to walk/run phase %zu of "
        "%zu (the continuous easy run) until it passes twice without one; "
        "then back to your runs, capped.",
        n, n);
  } else if (in->runs != NULL) {
    r->mode = GK_RUN_WALK_RUN;
    progress(r, in, ph, n, progress_rule);
    int per = (int)jnum(progress_rule, "runs_per_phase", 2);
    r->text = gk__plan_printf(
        pv,
        "Walk/run phase %d of %zu%s: %d of %d runs done at this phase inside "
        "the pain limits. A rest day between runs, on level ground; a flare "
        "steps back one phase.",
        r->phase, n,
        r->phase_change > 0   ? " (moved up: the last phase was run twice "
                                "inside the pain limits)"
        : r->phase_change < 0 ? " (stepped back: a flare)"
                              : "",
        r->phase_runs_done, per);
  } else {
    r->mode = GK_RUN_WALK_RUN;
    r->phase = 1;
    for (size_t i = 0; isfinite(longest) && i < n; i++)
      if (longest >= ph[i].total_km * 1000.0) r->phase = ph[i].phase;
    r->text = gk__plan_printf(
        pv,
        "Walk/run, starting at phase %d of %zu: a rest day between runs, "
        "each phase at least twice, on level ground, inside the pain "
        "limits.",
        r->phase, n);
  }
  if (r->text == NULL) r->text = "";
  rest_alert(pv, r, in,
             cJSON_GetObjectItemCaseSensitive(pv->running, "rest_alert"));

  cadence(p, in, cJSON_GetObjectItemCaseSensitive(pv->running, "cadence"));
  if (p->cadence.retrain < 0 && isnan(p->cadence.baseline_spm))
    gk__plan_unknown(p, "No cadence baseline: whether cadence retraining "
                        "is called for is unknown.");
  return GK_OK;
}

void gk__plan_running_json(const gk_plan *p, gk_buf *b) {
  const gk__plan_priv *pv = (const gk__plan_priv *)p->priv_;
  const gk_plan_running *r = &p->running;
  const cJSON *wr = cJSON_GetObjectItemCaseSensitive(pv->running, "walk_run");
  const cJSON *lim = cJSON_GetObjectItemCaseSensitive(pv->running,
                                                      "pain_limits");
  gk_buf_putc(b, '{');
  gk_json_key(b, "mode");
  gk_json_str(b, gk_run_mode_name(r->mode));
  gk_buf_putc(b, ',');
  gk_json_key(b, "text");
  gk_json_str(b, r->text);
  gk_buf_putc(b, ',');
  gk_json_key(b, "phase");
  if (r->phase > 0) gk_json_i64(b, r->phase);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "phase_change");
  gk_json_i64(b, r->phase_change);
  gk_buf_putc(b, ',');
  gk_json_key(b, "phase_runs_done");
  gk_json_i64(b, r->phase_runs_done);
  gk_buf_putc(b, ',');
  gk_json_key(b, "phase_rule");
  gk_json_str_or_null(b, r->phase_rule);
  gk_buf_putc(b, ',');
  gk_json_key(b, "days_without_running");
  if (r->days_without_running >= 0) gk_json_i64(b, r->days_without_running);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "rest_alert");
  gk_json_str_or_null(b, r->rest_alert);
  gk_buf_putc(b, ',');
  gk_json_key(b, "rest_alert_source");
  gk_json_str_or_null(b, r->rest_alert
                             ? jstr(cJSON_GetObjectItemCaseSensitive(
                                        pv->running, "rest_alert"),
                                    "source")
                             : NULL);
  gk_buf_putc(b, ',');
  /* The gates the method puts before running, each with its state now
     (data/running.json before_running). */
  gk_json_key(b, "before_running");
  gk_buf_putc(b, '[');
  int first_gate = 1;
  const cJSON *gname;
  cJSON_ArrayForEach(gname, cJSON_GetObjectItemCaseSensitive(
                                cJSON_GetObjectItemCaseSensitive(pv->running,
                                                                 "before_running"),
                                "gates")) {
    if (!cJSON_IsString(gname)) continue;
    for (size_t i = 0; i < p->n_gates; i++) {
      const gk_plan_gate *g = &p->gates[i];
      if (strcmp(g->name, gname->valuestring) != 0) continue;
      if (!first_gate) gk_buf_putc(b, ',');
      first_gate = 0;
      gk_buf_putc(b, '{');
      gk_json_key(b, "name");
      gk_json_str(b, g->name);
      gk_buf_putc(b, ',');
      gk_json_key(b, "met");
      gk_buf_puts(b, g->met > 0 ? "true" : g->met == 0 ? "false" : "null");
      gk_buf_putc(b, '}');
    }
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "phases");
  gk_buf_putc(b, '[');
  gk_walk_run_phase ph[16];
  size_t n = r->mode == GK_RUN_STOP ? 0 : phases_from(pv->running, ph, 16);
  for (size_t i = 0; i < n && i < 16; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "phase");
    gk_json_i64(b, ph[i].phase);
    gk_buf_putc(b, ',');
    gk_json_key(b, "walk_min");
    gk_json_num(b, ph[i].walk_min);
    gk_buf_putc(b, ',');
    gk_json_key(b, "run_min");
    gk_json_num(b, ph[i].run_min);
    gk_buf_putc(b, ',');
    gk_json_key(b, "repeats");
    gk_json_i64(b, ph[i].repeats);
    gk_buf_putc(b, ',');
    gk_json_key(b, "continuous_min");
    gk_json_num(b, ph[i].continuous_min);
    gk_buf_putc(b, ',');
    gk_json_key(b, "total_km");
    gk_json_num(b, ph[i].total_km);
    gk_buf_putc(b, ',');
    gk_json_key(b, "rpe");
    gk_json_i64(b, ph[i].rpe);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "progression_rules");
  gk_buf_putc(b, '[');
  const cJSON *it;
  int first = 1;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(wr,
                                                          "progression_rules")) {
    if (!cJSON_IsString(it)) continue;
    if (!first) gk_buf_putc(b, ',');
    first = 0;
    gk_json_str(b, it->valuestring);
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "walk_run_source");
  const char *s = jstr(wr, "source");
  if (s) gk_json_str(b, s);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "rest_days_max");
  gk_json_i64(b, r->rest_days_max);
  gk_buf_putc(b, ',');
  gk_json_key(b, "max_single_run_m");
  gk_json_num(b, r->max_single_run_m);
  gk_buf_putc(b, ',');
  gk_json_key(b, "cap_factor");
  gk_json_num(b, r->cap_factor);
  gk_buf_putc(b, ',');
  gk_json_key(b, "pain_limits");
  gk_buf_putc(b, '{');
  gk_json_key(b, "during_ideal_max");
  gk_json_num(b, jnum(lim, "during_ideal_max", NAN));
  gk_buf_putc(b, ',');
  gk_json_key(b, "during_max");
  gk_json_num(b, jnum(lim, "during_max", NAN));
  gk_buf_putc(b, ',');
  gk_json_key(b, "settle_within_min");
  gk_json_num(b, jnum(lim, "settle_within_min", NAN));
  gk_buf_putc(b, ',');
  gk_json_key(b, "text");
  s = jstr(lim, "text");
  if (s) gk_json_str(b, s);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "source");
  s = jstr(lim, "source");
  if (s) gk_json_str(b, s);
  else gk_buf_puts(b, "null");
  gk_buf_puts(b, "}}");
}
