/*
** synth_history.c -- ten years of synthetic training (synth_history.h).
*/
#include "synth_history.h"

#include <math.h>
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
