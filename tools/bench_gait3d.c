/*
** bench_gait3d.c -- time the whole 3D gait analysis of a 30-s running
** trial: RBDS001runT35.c3d (4,500 frames at 150 Hz, 32 markers, force
** plate at 300 Hz; Fukuchi et al. 2017) with its static trial, from the
** bytes in memory: read both C3D files, fit the model, find the events,
** compute every metric, summarise and draw the findings.  Prints the best
** and median wall time of one analysis, its median CPU time (the figure
** judged: wall time swings with other load on the machine) and the
** frames analysed per CPU second.
**
**   bench_gait3d [DATA_DIR] [ITERATIONS]
**     DATA_DIR: the folder holding mocap/fukuchi_RBDS2017 (default
**     ../shared/data); ITERATIONS default 30.  Exits 0 saying so when the
**     data are absent.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"

static double now_ms(clockid_t clk) {
  struct timespec ts;
  clock_gettime(clk, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 20, n = 0;
  unsigned char *b = (unsigned char *)malloc(cap);
  while (b != NULL) {
    n += fread(b + n, 1, cap - n, f);
    if (n < cap) break;
    unsigned char *nb = (unsigned char *)realloc(b, cap * 2);
    if (nb == NULL) {
      free(b);
      b = NULL;
      break;
    }
    b = nb;
    cap *= 2;
  }
  fclose(f);
  *len = n;
  return b;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "../shared/data";
  int iters = argc > 2 ? atoi(argv[2]) : 30;
  if (iters < 1) iters = 1;
  char prun[1024], pstat[1024];
  snprintf(prun, sizeof prun, "%s/mocap/fukuchi_RBDS2017/RBDS001runT35.c3d",
           dir);
  snprintf(pstat, sizeof pstat, "%s/mocap/fukuchi_RBDS2017/RBDS001static.c3d",
           dir);
  size_t nrun = 0, nstat = 0;
  unsigned char *brun = slurp(prun, &nrun), *bstat = slurp(pstat, &nstat);
  if (brun == NULL || bstat == NULL) {
    printf(
        "bench_gait3d: %s not found (the benchmark reads the RBDS "
        "running trial from ../shared/data); skipped\n",
        prun);
    free(brun);
    free(bstat);
    return 0;
  }
  double *times = (double *)malloc((size_t)iters * sizeof *times);
  double *cpu = (double *)malloc((size_t)iters * sizeof *cpu);
  size_t frames = 0, markers = 0, steps = 0, findings = 0;
  double read_best = INFINITY;
  for (int i = 0; i < iters; i++) {
    double c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    double t0 = now_ms(CLOCK_MONOTONIC);
    gk_capture *run = NULL, *st = NULL;
    gk_err err;
    if (gk_c3d_read(brun, nrun, 0, &run, &err) != GK_OK ||
        gk_c3d_read(bstat, nstat, 0, &st, &err) != GK_OK) {
      fprintf(stderr, "bench_gait3d: cannot read the trials: %s\n", err.msg);
      return 1;
    }
    double t1 = now_ms(CLOCK_MONOTONIC);
    gk_gait3d_options opt = {NAN, NAN, 3.5};
    gk_gait *g = NULL;
    if (gk_gait3d_analyse(run, st, &opt, &g, &err) != GK_OK ||
        gk_gait_findings(g, &err) != GK_OK) {
      fprintf(stderr, "bench_gait3d: analysis failed: %s\n", err.msg);
      return 1;
    }
    double t2 = now_ms(CLOCK_MONOTONIC);
    times[i] = t2 - t0;
    cpu[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (t1 - t0 < read_best) read_best = t1 - t0;
    frames = run->n_frames;
    markers = run->n_points;
    steps = g->n_steps;
    findings = g->n_findings;
    gk_gait_free(g);
    gk_capture_free(run);
    gk_capture_free(st);
  }
  qsort(times, (size_t)iters, sizeof *times, cmp_double);
  qsort(cpu, (size_t)iters, sizeof *cpu, cmp_double);
  double best = times[0], median = times[iters / 2];
  double cpu_median = cpu[iters / 2];
  printf(
      "gait3d: RBDS001runT35 (%zu frames, %zu markers, force) + static: "
      "%zu steps, %zu findings\n",
      frames, markers, steps, findings);
  printf(
      "gait3d: read + analyse: wall best %.1f ms, median %.1f ms; CPU "
      "median %.1f ms (C3D reading %.1f ms of it); %.0f frames/s (CPU); "
      "target < 50 ms: %s\n",
      best, median, cpu_median, read_best,
      (double)frames / (cpu_median / 1000.0),
      cpu_median < 50 ? "met" : "NOT met");
  free(times);
  free(cpu);
  free(brun);
  free(bstat);
  return 0;
}
