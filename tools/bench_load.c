/*
** bench_load.c -- time gk_load_analyze on ten years of synthetic training:
** about 3,650 runs (one most days, some doubles, breaks of 1-3 weeks, a few
** long runs), a pain log on one day in three, cadence and speed on every
** run.  Prints the runs analysed, the findings, and the best and median
** time of one analysis in milliseconds.
**
**   bench_load [ITERATIONS]      (default 200)
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/load.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A small deterministic generator (xorshift64*), so every run times the
   same history. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  uint64_t x = rng_state * 2685821657736338717ull;
  return (double)(x >> 11) / 9007199254740992.0; /* [0, 1) */
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 200;
  if (iters < 1) iters = 1;
  const int64_t day = gk_day_from_civil(2025, 6, 30);
  const int64_t first = day - 3652; /* ten years */
  size_t cap = 4500, n = 0, np = 0;
  gk_load_run *runs = (gk_load_run *)calloc(cap, sizeof *runs);
  gk_pain_entry *pain = (gk_pain_entry *)calloc(cap, sizeof *pain);
  double *times = (double *)malloc((size_t)iters * sizeof *times);
  if (runs == NULL || pain == NULL || times == NULL) {
    fprintf(stderr, "bench_load: out of memory\n");
    return 1;
  }
  for (int64_t d = first; d <= day && n < cap; d++) {
    if (rnd() < 0.004) d += 7 + (int64_t)(rnd() * 14); /* a break */
    if (rnd() < 0.06) continue;                         /* a rest day */
    int per_day = rnd() < 0.12 ? 2 : 1;
    for (int k = 0; k < per_day && n < cap; k++) {
      gk_load_run *r = &runs[n];
      double km = 4 + rnd() * 8 + (rnd() < 0.1 ? 10 : 0);
      double speed = 2.6 + rnd() * 1.2;
      r->id = (int64_t)n + 1;
      r->start_time = d * 86400 + 6 * 3600 + k * 36000 + (int64_t)(rnd() * 600);
      r->distance_m = km * 1000;
      r->duration_s = r->distance_m / speed;
      r->avg_speed_mps = speed;
      r->avg_cadence_spm = 150 + 8 * speed + (rnd() - 0.5) * 6;
      n++;
    }
    if (rnd() < 0.33 && np < cap) {
      gk_pain_entry *e = &pain[np];
      e->id = (int64_t)np + 1;
      e->day = d;
      e->during = (int)(rnd() * 7);
      e->after = (int)(rnd() * 5);
      e->morning = rnd() < 0.7 ? (int)(rnd() * 4) : -1;
      e->onset_km = rnd() < 0.5 ? rnd() * 8 : NAN;
      e->activity_id = n ? runs[n - 1].id : 0;
      np++;
    }
  }
  /* Shuffle: the analysis must not rely on sorted input. */
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)(rnd() * (double)i);
    gk_load_run t = runs[i - 1];
    runs[i - 1] = runs[j];
    runs[j] = t;
  }

  gk_load_report rep;
  size_t nf = 0, nw = 0;
  for (int it = 0; it < iters; it++) {
    double t0 = now_ms();
    gk_status st = gk_load_analyze(runs, n, pain, np, day, &rep);
    times[it] = now_ms() - t0;
    if (st != GK_OK) {
      fprintf(stderr, "bench_load: %s\n", gk_strerror(st));
      return 1;
    }
    nf = rep.n_findings;
    nw = rep.n_weekly;
    gk_load_report_free(&rep);
  }
  qsort(times, (size_t)iters, sizeof *times, cmp_double);
  printf("bench_load: %zu runs, %zu pain entries, %zu weeks, %zu findings\n",
         n, np, nw, nf);
  printf("gk_load_analyze: best %.3f ms, median %.3f ms (%d iterations)\n",
         times[0], times[iters / 2], iters);
  free(runs);
  free(pain);
  free(times);
  return 0;
}
