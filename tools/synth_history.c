/*
** synth_history.c -- ten years of synthetic training (synth_history.h).
*/
#include "gaitkeeper/activity.h"
#include "synth_history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* A small deterministic generator (xorshift64*). */
static double rnd(uint64_t *state) {
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  uint64_t x = *state * 2685821657736338717ull;
  return (double)(x >> 11) / 9007199254740992.0; /* [0, 1) */
}

int gk_synth_history(int64_t day, gk_load_run **runs_out, size_t *n_runs,
                     gk_pain_entry **pain_out, size_t *n_pain) {
  uint64_t st = 0x9e3779b97f4a7c15ull;
  const int64_t first = day - 3652; /* ten years */
  size_t cap = 4500, n = 0, np = 0;
  gk_load_run *runs = (gk_load_run *)calloc(cap, sizeof *runs);
  gk_pain_entry *pain = (gk_pain_entry *)calloc(cap, sizeof *pain);
  if (runs == NULL || pain == NULL) {
    free(runs);
    free(pain);
    return -1;
  }
  for (int64_t d = first; d <= day && n < cap; d++) {
    if (rnd(&st) < 0.004) d += 7 + (int64_t)(rnd(&st) * 14); /* a break */
    if (rnd(&st) < 0.06) continue;                           /* rest day */
    int per_day = rnd(&st) < 0.12 ? 2 : 1;
    for (int k = 0; k < per_day && n < cap; k++) {
      gk_load_run *r = &runs[n];
      double km = 4 + rnd(&st) * 8 + (rnd(&st) < 0.1 ? 10 : 0);
      double speed = 2.6 + rnd(&st) * 1.2;
      r->id = (int64_t)n + 1;
      r->start_time =
          d * 86400 + 6 * 3600 + k * 36000 + (int64_t)(rnd(&st) * 600);
      r->distance_m = km * 1000;
      r->duration_s = r->distance_m / speed;
      r->avg_speed_mps = speed;
      r->avg_cadence_spm = 150 + 8 * speed + (rnd(&st) - 0.5) * 6;
      n++;
    }
    if (rnd(&st) < 0.33 && np < cap) {
      gk_pain_entry *e = &pain[np];
      e->id = (int64_t)np + 1;
      e->day = d;
      e->during = (int)(rnd(&st) * 7);
      e->after = (int)(rnd(&st) * 5);
      e->morning = rnd(&st) < 0.7 ? (int)(rnd(&st) * 4) : -1;
      e->onset_km = rnd(&st) < 0.5 ? rnd(&st) * 8 : NAN;
      e->activity_id = n ? runs[n - 1].id : 0;
      np++;
    }
  }
  for (size_t i = n; i > 1; i--) { /* shuffle */
    size_t j = (size_t)(rnd(&st) * (double)i);
    gk_load_run t = runs[i - 1];
    runs[i - 1] = runs[j];
    runs[j] = t;
  }
  *runs_out = runs;
  *n_runs = n;
  *pain_out = pain;
  *n_pain = np;
  return 0;
}

static const char INTAKE[] =
    "{\"age\": 40, \"sex\": \"male\", \"onset\": \"gradual\", \"trauma\": "
    "false, \"locking\": false, \"giving_way\": false, \"night_pain\": false, "
    "\"rest_pain\": false, \"fever_or_unwell\": false, \"hot_red_swollen\": "
    "false, \"can_bear_weight\": true, \"can_flex_90\": true, "
    "\"bony_tenderness\": false, \"constant_pain\": false, \"pain_run\": 3, "
    "\"pain_daily\": 1, \"akps\": [1,1,1,1,1,1,1,1,1,1,1,1,1]}";
static const char SCREEN[] =
    "{\"knee_to_wall_cm\": {\"left\": 11, \"right\": 12}, \"deep_squat\": "
    "{\"full_depth\": true, \"pain\": false}, \"lunge\": {\"pain\": false}, "
    "\"walk_30min_pain\": false}";

int gk_synth_store(gk_store *s, int64_t day, size_t *n_runs, size_t *n_pain,
                   int *n_visits) {
  gk_load_run *runs = NULL;
  gk_pain_entry *pain = NULL;
  size_t nr = 0, np = 0;
  int visits = 0, rc = -1;
  if (gk_synth_history(day, &runs, &nr, &pain, &np) != 0) return -1;
  for (size_t i = 0; i < nr; i++) {
    gk_activity *a = NULL;
    if (gk_activity_new(&a, NULL) != GK_OK) goto out;
    snprintf(a->sport, sizeof a->sport, "running");
    a->start_time = runs[i].start_time;
    a->source.content_hash = 0x51ed270b27e1f00dull + i;
    a->summary.distance_m = runs[i].distance_m;
    a->summary.timer_s = runs[i].duration_s;
    a->summary.avg_cadence_spm = runs[i].avg_cadence_spm;
    a->summary.avg_speed_mps = runs[i].avg_speed_mps;
    gk_status st = gk_store_add_activity(s, a, NULL);
    gk_activity_free(a);
    if (st != GK_OK) goto out;
  }
  for (size_t i = 0; i < np; i++)
    if (gk_store_add_pain(s, &pain[i], NULL) != GK_OK) goto out;
  for (int64_t d = day - 3650 + 14; d <= day; d += 56, visits++)
    if (gk_store_add_answers(s, "intake", d, INTAKE, NULL) != GK_OK ||
        gk_store_add_answers(s, "screen", d, SCREEN, NULL) != GK_OK)
      goto out;
  rc = 0;
  if (n_runs) *n_runs = nr;
  if (n_pain) *n_pain = np;
  if (n_visits) *n_visits = visits;
out:
  free(runs);
  free(pain);
  return rc;
}
