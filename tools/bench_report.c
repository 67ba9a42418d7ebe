/*
** bench_report.c -- time the runner's knee report over ten years of
** synthetic training (about 3,650 runs and 1,200 pain entries, generated
** in memory as tools/bench_load.c does), with a plan and a gait capture:
** the load analysis plus the whole HTML page (charts included, among them
** the load rules run on every day of the daily chart), and the text and
** JSON outputs.  Prints the HTML size and the best and median times.
**
**   bench_report [ITERATIONS]      (default 30)
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static double rnd(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  uint64_t x = rng_state * 2685821657736338717ull;
  return (double)(x >> 11) / 9007199254740992.0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static const char PLAN[] =
    "{\"stage\":2,\"stage_name\":\"Mobility\",\"gates\":[{\"name\":\"pain\","
    "\"met\":false,\"value\":5,\"target\":3}],\"exercises\":[{\"id\":\"a\","
    "\"name\":\"Wall sit\",\"dose\":\"5 x 45 s\",\"why\":[\"pain.over_limit\"]}"
    "],\"running\":{\"mode\":\"walk_run\",\"text\":\"Walk/run phase 2\"},"
    "\"cadence\":{\"baseline_spm\":160,\"target_spm\":168},\"refer\":false,"
    "\"findings\":[]}";
static const char GAIT[] =
    "{\"kind\":\"2d\",\"view\":\"rear\",\"fps\":30,\"speed_mps\":3.0,"
    "\"summary\":{\"cadence_spm\":{\"left\":160,\"right\":161},"
    "\"pelvic_drop_peak_stance_deg\":{\"left\":5,\"right\":9}},\"notes\":[],"
    "\"figures\":[],\"findings\":[]}";

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 30;
  if (iters < 1) iters = 1;
  const int64_t day = gk_day_from_civil(2025, 6, 30);
  const int64_t first = day - 3652;
  size_t cap = 4500, n = 0, np = 0;
  gk_load_run *runs = (gk_load_run *)calloc(cap, sizeof *runs);
  gk_pain_entry *pain = (gk_pain_entry *)calloc(cap, sizeof *pain);
  double *times = (double *)malloc((size_t)iters * sizeof *times);
  double *ttext = (double *)malloc((size_t)iters * sizeof *ttext);
  if (runs == NULL || pain == NULL || times == NULL || ttext == NULL) {
    fprintf(stderr, "bench_report: out of memory\n");
    return 1;
  }
  for (int64_t d = first; d <= day && n < cap; d++) {
    if (rnd() < 0.004) d += 7 + (int64_t)(rnd() * 14);
    if (rnd() < 0.06) continue;
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
  size_t html_bytes = 0;
  for (int it = 0; it < iters; it++) {
    double t0 = now_ms();
    gk_load_report lr;
    gk_status st = gk_load_analyze(runs, n, pain, np, day, &lr);
    gk_report_input in;
    memset(&in, 0, sizeof in);
    in.today = day;
    in.load = &lr;
    in.runs = runs;
    in.n_runs = n;
    in.pain = pain;
    in.n_pain = np;
    in.plan_json = PLAN;
    in.gait_json = GAIT;
    in.gait_day = day - 3;
    gk_buf b = {0};
    if (st == GK_OK) st = gk_report_html(&in, &b, NULL);
    times[it] = now_ms() - t0;
    html_bytes = b.len;
    gk_buf_free(&b);
    double t1 = now_ms();
    gk_buf t = {0}, j = {0};
    if (st == GK_OK) st = gk_report_text(&in, 0, &t, NULL);
    if (st == GK_OK) st = gk_report_json(&in, &j, NULL);
    ttext[it] = now_ms() - t1;
    gk_buf_free(&t);
    gk_buf_free(&j);
    gk_load_report_free(&lr);
    if (st != GK_OK) {
      fprintf(stderr, "bench_report: %s\n", gk_strerror(st));
      return 1;
    }
  }
  qsort(times, (size_t)iters, sizeof *times, cmp_double);
  qsort(ttext, (size_t)iters, sizeof *ttext, cmp_double);
  printf("bench_report: %zu runs, %zu pain entries (ten years); HTML %zu "
         "bytes\n", n, np, html_bytes);
  printf("load analysis + HTML report: best %.2f ms, median %.2f ms (%d "
         "iterations; target < 200 ms)\n", times[0], times[iters / 2], iters);
  printf("text summary + JSON: best %.2f ms, median %.2f ms\n", ttext[0],
         ttext[iters / 2]);
  free(runs);
  free(pain);
  free(times);
  free(ttext);
  return 0;
}
