/*
** bench_load.c -- time gk_load_analyze on ten years of synthetic training
** (tools/synth_history.c: about 3,650 runs, a pain log on one day in
** three, cadence and speed on every run).  Prints the runs analysed, the
** findings, and the best and median time of one analysis in milliseconds.
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
#include "synth_history.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 200;
  if (iters < 1) iters = 1;
  const int64_t day = gk_day_from_civil(2025, 6, 30);
  size_t n = 0, np = 0;
  gk_load_run *runs = NULL;
  gk_pain_entry *pain = NULL;
  double *times = (double *)malloc((size_t)iters * sizeof *times);
  if (times == NULL || gk_synth_history(day, &runs, &n, &pain, &np) != 0) {
    fprintf(stderr, "bench_load: out of memory\n");
    return 1;
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
