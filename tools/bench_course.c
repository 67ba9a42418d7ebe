/*
** bench_course.c -- time the course over weeks (gaitkeeper/course.h) and
** one day's assessment (gk_assess) on a store holding ten years of
** synthetic training (tools/synth_history.c: about 3,650 runs, summary
** only, and 1,050 pain entries) and an intake and a screen every 8 weeks.
** The course rebuilds one plan per evaluated day (at most 240), so it costs
** about 240 assessments; the figures go in the README.
**
**   bench_course [ITERATIONS]      (default 3)
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/course.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/store.h"
#include "synth_history.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 3;
  if (iters < 1) iters = 1;
  int64_t today = gk_day_from_civil(2026, 6, 1);
  char dir[] = "/tmp/gk-bench-course-XXXXXX", path[64];
  if (mkdtemp(dir) == NULL) return 1;
  snprintf(path, sizeof path, "%s/gk.db", dir);
  gk_store *s = NULL;
  if (gk_store_open(&s, path, NULL) != GK_OK) return 1;
  double t0 = now_ms();
  size_t nr = 0, np = 0;
  int visits = 0;
  if (gk_synth_store(s, today, &nr, &np, &visits) != 0) return 1;
  printf("store: %zu runs, %zu pain entries, %d visits (%.0f ms to write)\n",
         nr, np, visits, now_ms() - t0);

  double best_a = 1e30, best_c = 1e30;
  size_t days = 0, changes = 0;
  for (int it = 0; it < iters; it++) {
    gk_assessment a;
    double t = now_ms();
    if (gk_assess(s, today, &a, NULL) != GK_OK) return 1;
    double ta = now_ms() - t;
    gk_assessment_free(&a);
    gk_course c;
    t = now_ms();
    if (gk_course_build(s, today, &c, NULL) != GK_OK) return 1;
    double tc = now_ms() - t;
    days = c.n_days;
    changes = c.n_changes;
    gk_course_free(&c);
    if (ta < best_a) best_a = ta;
    if (tc < best_c) best_c = tc;
  }
  printf("one day's assessment: %.1f ms (best of %d)\n", best_a, iters);
  printf("course: %.0f ms for %zu days (%zu changes), %.1f ms a day (best of "
         "%d)\n",
         best_c, days, changes, best_c / (double)(days ? days : 1), iters);
  gk_store_close(s);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) return 1;
  return 0;
}
