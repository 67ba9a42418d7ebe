/*
** plan_export.c -- the plan's watch workouts: walk/run phases
** (data/running.json) and the cadence workout as workout steps for
** gk_fit_workout_write.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "clinic/plan_internal.h"

#define CADENCE_TOLERANCE_SPM 3

static void set_cadence(gk_workout_step *s, double target) {
  if (!(isfinite(target) && target >= 60 && target <= 260)) return;
  uint32_t t = (uint32_t)lround(target);
  s->cadence_low_spm = t - CADENCE_TOLERANCE_SPM;
  s->cadence_high_spm = t + CADENCE_TOLERANCE_SPM;
}

static gk_workout_step step(const char *name, const char *notes, double min,
                            gk_wkt_intensity in) {
  gk_workout_step s;
  memset(&s, 0, sizeof s);
  s.name = name;
  s.notes = notes;
  s.duration_s = (uint32_t)lround(min * 60.0);
  if (s.duration_s < 1) s.duration_s = 1;
  s.intensity = in;
  return s;
}

size_t gk_plan_phase_workout(int phase, double target_spm,
                             gk_workout_step *steps, size_t max,
                             char name[GK_WKT_NAME_MAX]) {
  gk_walk_run_phase ph[16];
  size_t n = gk_plan_walk_run_phases(ph, 16);
  if (steps == NULL || phase < 1 || (size_t)phase > n || n > 16) return 0;
  const gk_walk_run_phase *p = &ph[phase - 1];
  size_t need = 2 + (p->continuous_min > 0 ? 1 : (size_t)p->repeats * 2);
  if (need > max || need > GK_WKT_MAX_STEPS) return 0;
  if (name) snprintf(name, GK_WKT_NAME_MAX, "Walk-run %u", (unsigned)(unsigned char)phase);
  size_t k = 0;
  steps[k++] = step("Warm-up walk", "Easy walk", 5, GK_WKT_WARMUP);
  if (p->continuous_min > 0) {
    steps[k] = step("Run", "Easy, RPE as planned; stop if pain over 5/10",
                    p->continuous_min, GK_WKT_ACTIVE);
    set_cadence(&steps[k++], target_spm);
  } else {
    for (int r = 0; r < p->repeats; r++) {
      steps[k] = step("Run", "Easy; stop if pain over 5/10", p->run_min,
                      GK_WKT_ACTIVE);
      set_cadence(&steps[k++], target_spm);
      steps[k++] = step("Walk", "Brisk walk", p->walk_min, GK_WKT_REST);
    }
  }
  steps[k++] = step("Cool-down walk", "Easy walk", 5, GK_WKT_COOLDOWN);
  return k;
}

size_t gk_plan_cadence_workout(double target_spm, gk_workout_step *steps,
                               size_t max, char name[GK_WKT_NAME_MAX]) {
  if (steps == NULL || max < 12 ||
      !(isfinite(target_spm) && target_spm >= 60 && target_spm <= 260))
    return 0;
  if (name) snprintf(name, GK_WKT_NAME_MAX, "Cadence %.0f", target_spm);
  size_t k = 0;
  steps[k++] = step("Warm-up", "Easy running", 10, GK_WKT_WARMUP);
  for (int r = 0; r < 5; r++) {
    steps[k] = step("Cadence", "Short quick steps, same easy pace", 3,
                    GK_WKT_ACTIVE);
    set_cadence(&steps[k++], target_spm);
    steps[k++] = step("Easy", "Run as you like", 2, GK_WKT_REST);
  }
  steps[k++] = step("Cool-down", "Easy running or walking", 5,
                    GK_WKT_COOLDOWN);
  return k;
}

size_t gk_plan_workouts(const gk_plan *p, gk_plan_workout *out, size_t max) {
  if (p == NULL || out == NULL || p->refer) return 0;
  double target = p->cadence.retrain == 1 ? p->cadence.target_spm : NAN;
  size_t n = 0;
  if (p->running.mode == GK_RUN_WALK_RUN ||
      p->running.mode == GK_RUN_PAUSE_THEN_WALK_RUN ||
      p->running.mode == GK_RUN_NOT_YET) {
    for (int ph = p->running.phase > 0 ? p->running.phase : 1;
         ph <= p->running.n_phases && n < max; ph++) {
      gk_plan_workout *w = &out[n];
      w->n_steps = gk_plan_phase_workout(ph, target, w->steps,
                                         GK_WKT_MAX_STEPS, w->name);
      if (w->n_steps == 0) continue;
      snprintf(w->file, sizeof w->file, "walk_run_%d.fit", ph);
      n++;
    }
  }
  if (!isnan(target) && n < max) {
    gk_plan_workout *w = &out[n];
    w->n_steps = gk_plan_cadence_workout(target, w->steps, GK_WKT_MAX_STEPS,
                                         w->name);
    if (w->n_steps > 0) {
      snprintf(w->file, sizeof w->file, "cadence_%.0f.fit", target);
      n++;
    }
  }
  return n;
}
