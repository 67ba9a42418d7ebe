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

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 3;
  if (iters < 1) iters = 1;
  int64_t today = gk_day_from_civil(2026, 6, 1);
  gk_load_run *runs = NULL;
  gk_pain_entry *pain = NULL;
  size_t nr = 0, np = 0;
  if (gk_synth_history(today, &runs, &nr, &pain, &np) != 0) return 1;
  char dir[] = "/tmp/gk-bench-course-XXXXXX", path[64];
  if (mkdtemp(dir) == NULL) return 1;
  snprintf(path, sizeof path, "%s/gk.db", dir);
  gk_store *s = NULL;
  if (gk_store_open(&s, path, NULL) != GK_OK) return 1;
  double t0 = now_ms();
  for (size_t i = 0; i < nr; i++) {
    gk_activity *a = NULL;
    if (gk_activity_new(&a, NULL) != GK_OK) return 1;
    snprintf(a->sport, sizeof a->sport, "running");
    a->start_time = runs[i].start_time;
    a->source.content_hash = 0x51ed270b27e1f00dull + i;
    a->summary.distance_m = runs[i].distance_m;
    a->summary.timer_s = runs[i].duration_s;
    a->summary.avg_cadence_spm = runs[i].avg_cadence_spm;
    a->summary.avg_speed_mps = runs[i].avg_speed_mps;
    if (gk_store_add_activity(s, a, NULL) != GK_OK) return 1;
    gk_activity_free(a);
  }
  for (size_t i = 0; i < np; i++)
    if (gk_store_add_pain(s, &pain[i], NULL) != GK_OK) return 1;
  int visits = 0;
  for (int64_t d = today - 3650 + 14; d <= today; d += 56, visits++)
    if (gk_store_add_answers(s, "intake", d, INTAKE, NULL) != GK_OK ||
        gk_store_add_answers(s, "screen", d, SCREEN, NULL) != GK_OK)
      return 1;
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
  free(runs);
  free(pain);
  return 0;
}
