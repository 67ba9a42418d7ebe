/*
** bench_report.c -- time the runner's knee report over ten years of
** synthetic training (tools/synth_history.c: about 3,650 runs and 1,050
** pain entries) with a gait capture: the load analysis, the plan built
** from it, and the whole HTML page (charts included, among them
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
#include "gaitkeeper/plan.h"
#include "gaitkeeper/report.h"
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

static const char GAIT[] =
    "{\"kind\":\"2d\",\"view\":\"rear\",\"fps\":30,\"speed_mps\":3.0,"
    "\"summary\":{\"cadence_spm\":{\"left\":160,\"right\":161},"
    "\"pelvic_drop_peak_stance_deg\":{\"left\":5,\"right\":9}},\"notes\":[],"
    "\"figures\":[],\"findings\":[]}";

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 30;
  if (iters < 1) iters = 1;
  const int64_t day = gk_day_from_civil(2025, 6, 30);
  size_t n = 0, np = 0;
  gk_load_run *runs = NULL;
  gk_pain_entry *pain = NULL;
  double *times = (double *)malloc((size_t)iters * sizeof *times);
  double *ttext = (double *)malloc((size_t)iters * sizeof *ttext);
  if (times == NULL || ttext == NULL ||
      gk_synth_history(day, &runs, &n, &pain, &np) != 0) {
    fprintf(stderr, "bench_report: out of memory\n");
    return 1;
  }
  size_t html_bytes = 0;
  for (int it = 0; it < iters; it++) {
    double t0 = now_ms();
    gk_load_report lr;
    gk_status st = gk_load_analyze(runs, n, pain, np, day, &lr);
    /* the plan from the load report, as `gaitkeeper report` builds it */
    gk_plan_input pin;
    gk_plan_input_init(&pin);
    pin.day = day;
    gk_plan_input_from_load(&pin, &lr, pain, np);
    pin.findings = lr.findings;
    pin.n_findings = lr.n_findings;
    gk_plan *plan = NULL;
    gk_buf pj = {0};
    if (st == GK_OK) st = gk_plan_build(&pin, &plan, NULL);
    if (st == GK_OK) {
      gk_plan_write_json(plan, &pj);
      gk_buf_putc(&pj, '\0');
    }
    gk_report_input in;
    memset(&in, 0, sizeof in);
    in.today = day;
    in.load = &lr;
    in.runs = runs;
    in.n_runs = n;
    in.pain = pain;
    in.n_pain = np;
    in.plan_json = pj.data;
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
    gk_buf_free(&pj);
    gk_plan_free(plan);
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
