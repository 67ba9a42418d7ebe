/*
** test_load.c -- training load and pain rules (gk_load_analyze) on histories
** built by hand here, boundaries included: every threshold is tested just
** on it (no finding) and just past it (a finding).  Dates are computed by
** this file's own calendar code, not the library's.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/finding.h"
#include "gaitkeeper/load.h"
#include "load/load_internal.h"
#include "test.h"

/* ---- a history builder -------------------------------------------------- */

#define MAX_RUNS 4096
#define MAX_PAIN 64

typedef struct hist {
  gk_load_run r[MAX_RUNS];
  size_t n;
  gk_pain_entry p[MAX_PAIN];
  size_t np;
} hist;

static hist H; /* reset by each test */

static void reset(void) { memset(&H, 0, sizeof H); }

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 for a date from 1970 on, counted the slow way. */
static int64_t D(int y, int m, int d) {
  static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t n = 0;
  for (int yy = 1970; yy < y; yy++) n += is_leap(yy) ? 366 : 365;
  for (int mm = 1; mm < m; mm++) n += md[mm - 1] + (mm == 2 && is_leap(y));
  return n + d - 1;
}

/* A run at 07:00 UTC on day, km long, at 6 min/km; returns its id. */
static int64_t run_at(int64_t day, double km) {
  gk_load_run *r = &H.r[H.n++];
  r->id = (int64_t)H.n;
  r->start_time = day * 86400 + 7 * 3600;
  r->distance_m = km * 1000;
  r->duration_s = km * 360;
  r->avg_cadence_spm = NAN;
  r->avg_speed_mps = NAN;
  return r->id;
}

static gk_pain_entry *pain_at(int64_t day, int during, int after,
                              int morning, double onset_km) {
  gk_pain_entry *e = &H.p[H.np++];
  e->id = (int64_t)H.np;
  e->day = day;
  e->during = during;
  e->after = after;
  e->morning = morning;
  e->onset_km = onset_km;
  e->activity_id = 100 + (int64_t)H.np;
  return e;
}

static int analyze(int64_t day, gk_load_report *rep) {
  gk_status st = gk_load_analyze(H.r, H.n, H.p, H.np, day, rep);
  return CHECK_EQ_INT(st, GK_OK);
}

static size_t count(const gk_load_report *r, const char *code) {
  size_t n = 0;
  for (size_t i = 0; i < r->n_findings; i++)
    if (strcmp(r->findings[i].code, code) == 0) n++;
  return n;
}

/* The k-th finding with this code (in report order), or NULL. */
static const gk_finding *find(const gk_load_report *r, const char *code,
                              size_t k) {
  for (size_t i = 0; i < r->n_findings; i++)
    if (strcmp(r->findings[i].code, code) == 0 && k-- == 0)
      return &r->findings[i];
  return NULL;
}

static const int64_t DAY = 19801; /* 2024-03-19, a Tuesday (checked) */

/* ---- basics ------------------------------------------------------------- */

static void test_severity_name(void) {
  CHECK_STR(gk_severity_name(GK_SEV_INFO), "info");
  CHECK_STR(gk_severity_name(GK_SEV_CAUTION), "caution");
  CHECK_STR(gk_severity_name(GK_SEV_WARNING), "warning");
  CHECK_STR(gk_severity_name(GK_SEV_REFER), "refer");
  CHECK_STR(gk_severity_name((gk_severity)42), "unknown");
}

static void test_days(void) {
  int64_t d;
  CHECK_EQ_INT(D(2024, 3, 19), DAY);
  CHECK_EQ_INT(gk_day_from_civil(1970, 1, 1), 0);
  CHECK_EQ_INT(gk_day_from_civil(2024, 3, 19), D(2024, 3, 19));
  CHECK_EQ_INT(gk_day_from_civil(2000, 2, 29), D(2000, 2, 29));
  CHECK_EQ_INT(gk_day_from_civil(1969, 12, 31), -1);
  CHECK_EQ_INT(gk_day_parse("2024-02-29", &d), GK_OK);
  CHECK_EQ_INT(d, D(2024, 2, 29));
  CHECK_EQ_INT(gk_day_parse("2023-02-29", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse("1900-02-29", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse("2024-04-31", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse("2024-13-01", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse("2024-3-19", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse("2024-03-19x", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse("", &d), GK_E_ARG);
  CHECK_EQ_INT(gk_day_parse(NULL, &d), GK_E_ARG);
  char buf[11];
  CHECK_STR(gk_day_format(D(2025, 1, 1), buf), "2025-01-01");
  CHECK_STR(gk_day_format(-1, buf), "1969-12-31");
  CHECK_EQ_INT(gk_day_of_time(-1), -1);
  CHECK_EQ_INT(gk_day_of_time(86399), 0);
  CHECK_EQ_INT(gk_day_of_time(86400), 1);
  /* 2024-12-30 and 2024-03-25 are Mondays; 1970-01-01 was a Thursday. */
  CHECK_EQ_INT(gk_day_week_start(D(2025, 1, 1)), D(2024, 12, 30));
  CHECK_EQ_INT(gk_day_week_start(D(2024, 12, 30)), D(2024, 12, 30));
  CHECK_EQ_INT(gk_day_week_start(D(2024, 3, 31)), D(2024, 3, 25));
  CHECK_EQ_INT(gk_day_week_start(0), -3);
  CHECK_EQ_INT(gk_day_week_start(-1), -3);
  CHECK_EQ_INT(gk_day_week_start(-4), -10);
}

static void test_empty_history(void) {
  gk_load_report r;
  reset();
  ASSERT_EQ_INT(gk_load_analyze(NULL, 0, NULL, 0, DAY, &r), GK_OK);
  CHECK_EQ_INT(r.n_findings, 0);
  CHECK_EQ_INT(r.n_weekly, 0);
  CHECK_EQ_INT(r.n_runs, 0);
  CHECK_TRUE(isnan(r.longest_run_30d_m));
  CHECK_TRUE(isnan(r.acwr));
  CHECK_TRUE(isnan(r.monotony));
  CHECK_TRUE(isnan(r.two_week_ratio));
  CHECK_EQ_INT(r.cadence.n, 0);
  CHECK_TRUE(isnan(r.cadence.cadence_at_ref_spm));
  CHECK_EQ_INT(r.first_run_day, INT64_MIN);
  gk_load_report_free(&r);
  /* Non-NULL arrays with a zero count: the same. */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(r.n_findings, 0);
  gk_load_report_free(&r);
  gk_load_report_free(NULL);
}

static void test_bad_args(void) {
  gk_load_report r;
  reset();
  run_at(DAY, 5);
  CHECK_EQ_INT(gk_load_analyze(H.r, 1, NULL, 0, DAY, NULL), GK_E_ARG);
  CHECK_EQ_INT(gk_load_analyze(NULL, 1, NULL, 0, DAY, &r), GK_E_ARG);
  gk_load_report_free(&r);
  CHECK_EQ_INT(gk_load_analyze(H.r, 1, NULL, 3, DAY, &r), GK_E_ARG);
  gk_load_report_free(&r);
  CHECK_EQ_INT(gk_load_analyze(H.r, 1, NULL, 0, GK_DAY_MAX + 1, &r),
               GK_E_ARG);
  CHECK_EQ_INT(r.n_findings, 0);
  gk_load_report_free(&r);
  CHECK_EQ_INT(gk_load_analyze(H.r, 1, NULL, 0, INT64_MIN, &r), GK_E_ARG);
  gk_load_report_free(&r);
}

/* ---- weekly volume ------------------------------------------------------ */

static void test_weekly_year_boundary(void) {
  gk_load_report r;
  reset();
  run_at(D(2024, 12, 29), 5);  /* Sunday: week of Mon 2024-12-23 */
  run_at(D(2024, 12, 30), 6);  /* Monday: week of 2024-12-30 */
  run_at(D(2024, 12, 31), 7);
  run_at(D(2025, 1, 1), 8);    /* Wednesday, new year: same week */
  run_at(D(2025, 1, 5), 9);    /* Sunday: same week */
  run_at(D(2025, 1, 6), 10);   /* Monday: next week */
  ASSERT_TRUE(analyze(D(2025, 1, 8), &r));
  ASSERT_EQ_INT(r.n_weekly, 3);
  CHECK_EQ_INT(r.weekly[0].week_start, D(2024, 12, 23));
  CHECK_EQ_INT(r.weekly[0].runs, 1);
  CHECK_NEAR(r.weekly[0].distance_m, 5000, 1e-9);
  CHECK_EQ_INT(r.weekly[1].week_start, D(2024, 12, 30));
  CHECK_EQ_INT(r.weekly[1].runs, 4);
  CHECK_NEAR(r.weekly[1].distance_m, 30000, 1e-9);
  CHECK_NEAR(r.weekly[1].duration_s, 30 * 360, 1e-9);
  CHECK_EQ_INT(r.weekly[2].week_start, D(2025, 1, 6));
  CHECK_EQ_INT(r.weekly[2].runs, 1);
  CHECK_EQ_INT(r.n_runs, 6);
  CHECK_EQ_INT(r.first_run_day, D(2024, 12, 29));
  CHECK_EQ_INT(r.last_run_day, D(2025, 1, 6));
  gk_load_report_free(&r);
}

static void test_weekly_utc_monday_and_empty_weeks(void) {
  gk_load_report r;
  reset();
  run_at(D(2024, 3, 4), 5); /* Monday */
  /* 23:30 UTC on Sunday 31 March 2024 is already Monday 01:30 in Central
     European Summer Time (clocks changed that night): weeks are UTC. */
  H.r[H.n] = H.r[0];
  H.r[H.n].id = 2;
  H.r[H.n].start_time = D(2024, 3, 31) * 86400 + 23 * 3600 + 30 * 60;
  H.n++;
  H.r[H.n] = H.r[0];
  H.r[H.n].id = 3;
  H.r[H.n].start_time = D(2024, 3, 31) * 86400 + 86399; /* 23:59:59 */
  H.n++;
  H.r[H.n] = H.r[0];
  H.r[H.n].id = 4;
  H.r[H.n].start_time = D(2024, 4, 1) * 86400; /* Monday 00:00:00 */
  H.n++;
  ASSERT_TRUE(analyze(D(2024, 4, 2), &r));
  ASSERT_EQ_INT(r.n_weekly, 5);
  CHECK_EQ_INT(r.weekly[0].week_start, D(2024, 3, 4));
  CHECK_EQ_INT(r.weekly[1].runs, 0); /* empty weeks are kept, as zeros */
  CHECK_EQ_INT(r.weekly[2].runs, 0);
  CHECK_NEAR(r.weekly[2].distance_m, 0, 0);
  CHECK_EQ_INT(r.weekly[3].week_start, D(2024, 3, 25));
  CHECK_EQ_INT(r.weekly[3].runs, 2);
  CHECK_EQ_INT(r.weekly[4].week_start, D(2024, 4, 1));
  CHECK_EQ_INT(r.weekly[4].runs, 1);
  gk_load_report_free(&r);
}

static void test_runs_after_day_ignored(void) {
  gk_load_report r;
  reset();
  for (int k = 28; k >= 0; k -= 7) run_at(DAY - k, 10);
  run_at(DAY + 1, 40); /* a huge spike tomorrow: not yet */
  run_at(DAY + 400, 40);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(r.n_runs, 5);
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  CHECK_EQ_INT(r.last_run_day, DAY);
  CHECK_EQ_INT(r.weekly[r.n_weekly - 1].week_start, gk_day_week_start(DAY));
  CHECK_NEAR(r.weekly[r.n_weekly - 1].distance_m, 10000, 1e-9);
  gk_load_report_free(&r);
}

static void test_missing_values(void) {
  gk_load_report r;
  reset();
  run_at(DAY - 3, 10);
  int64_t id = run_at(DAY - 1, 0);
  H.r[id - 1].distance_m = NAN;
  H.r[id - 1].duration_s = NAN;
  run_at(DAY, 5);
  H.r[H.n - 1].distance_m = -5; /* nonsense: ignored like NaN */
  H.r[H.n - 1].duration_s = -5;
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_EQ_INT(r.n_weekly, 2);
  CHECK_EQ_INT(r.weekly[0].runs + r.weekly[1].runs, 3);
  CHECK_NEAR(r.weekly[0].distance_m + r.weekly[1].distance_m, 10000, 1e-9);
  CHECK_NEAR(r.weekly[0].duration_s, 3600, 1e-9);
  CHECK_NEAR(r.weekly[1].duration_s, 0, 0); /* NaN and negative: left out */
  CHECK_NEAR(r.longest_run_30d_m, 10000, 1e-9);
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  gk_load_report_free(&r);
}

static void test_history_cap(void) {
  gk_load_report r;
  reset();
  run_at(DAY - GK_LOAD_MAX_HISTORY_DAYS, 5); /* one day too old */
  run_at(DAY - GK_LOAD_MAX_HISTORY_DAYS + 1, 5);
  run_at(DAY, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(r.n_runs, 2);
  CHECK_EQ_INT(r.first_run_day, DAY - GK_LOAD_MAX_HISTORY_DAYS + 1);
  gk_load_report_free(&r);
}

/* ---- longest run in 30 days and spikes ---------------------------------- */

static void test_longest_run_30d_window(void) {
  gk_load_report r;
  reset();
  run_at(DAY - 31, 20); /* outside: 31 days before */
  run_at(DAY - 30, 12); /* inside: the 30th day before */
  run_at(DAY - 1, 8);
  run_at(DAY, 25);      /* day itself: excluded */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_NEAR(r.longest_run_30d_m, 12000, 1e-9);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 31, 20);
  run_at(DAY, 25); /* runs, but none in D-30 .. D-1 */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_TRUE(isnan(r.longest_run_30d_m));
  gk_load_report_free(&r);
}

/* One reference run of ref_km a week before, then km on DAY. */
static const gk_finding *spike_case(double ref_km, double km,
                                    gk_load_report *r) {
  reset();
  run_at(DAY - 7, ref_km);
  run_at(DAY, km);
  if (!analyze(DAY, r)) return NULL;
  return find(r, "load.single_run_spike", 0);
}

static void test_spike_boundary(void) {
  gk_load_report r;
  /* exactly 10% longer: not a spike */
  CHECK_TRUE(spike_case(10, 11, &r) == NULL);
  gk_load_report_free(&r);
  /* also when 10% longer was computed in floating point: 30528.87 * 1.1
     divided by 30528.87 gives 1.1000000000000003, not 1.1 */
  reset();
  run_at(DAY - 7, 0);
  H.r[0].distance_m = 30528.87;
  run_at(DAY, 0);
  H.r[1].distance_m = H.r[0].distance_m * 1.1;
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  gk_load_report_free(&r);
  /* 10.01% longer: a spike */
  const gk_finding *f = spike_case(10, 11.001, &r);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_NEAR(f->value, 1.1001, 1e-12);
  CHECK_NEAR(f->threshold, 1.10, 0);
  CHECK_EQ_INT(f->activity_id, 2);
  CHECK_EQ_INT(f->date_from, DAY);
  CHECK_EQ_INT(f->date_to, DAY);
  CHECK_TRUE(strstr(f->source, "Frandsen") != NULL);
  CHECK_TRUE(strstr(f->source, "2025") != NULL);
  CHECK_TRUE(strstr(f->text, "2024-03-19") != NULL);
  CHECK_TRUE(strstr(f->text, "10.01% longer") != NULL);
  CHECK_TRUE(f->text[0] != '\0');
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 1);
  gk_load_report_free(&r);
}

static void test_spike_grading(void) {
  gk_load_report r;
  const gk_finding *f;
  f = spike_case(10, 13, &r); /* exactly 30%: still the first band */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_TRUE(strstr(f->text, "1.64") != NULL);
  gk_load_report_free(&r);
  f = spike_case(10, 13.01, &r); /* just over 30%: the second band */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_TRUE(strstr(f->text, "1.52") != NULL);
  gk_load_report_free(&r);
  f = spike_case(10, 17.5, &r); /* 75% longer */
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 1.75, 1e-12);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_TRUE(strstr(f->text, "1.52") != NULL);
  gk_load_report_free(&r);
  f = spike_case(10, 20, &r); /* exactly 100%: still caution */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  gk_load_report_free(&r);
  f = spike_case(10, 20.001, &r); /* more than twice: warning */
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_WARNING);
  CHECK_TRUE(strstr(f->text, "2.28") != NULL);
  gk_load_report_free(&r);
}

static void test_spike_lookback_and_window(void) {
  gk_load_report r;
  /* The reference is the longest run on the 30 days before the run: one 30
     days before counts, one 31 days before does not. */
  reset();
  run_at(DAY - 30, 20);
  run_at(DAY - 7, 10);
  run_at(DAY, 15);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 31, 20);
  run_at(DAY - 7, 10);
  run_at(DAY, 15);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 1);
  gk_load_report_free(&r);
  /* A second run on the same day is not compared with the first. */
  reset();
  run_at(DAY - 7, 10);
  run_at(DAY, 10);
  run_at(DAY, 10.5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  gk_load_report_free(&r);
  /* Spikes are looked for in the 28 days up to day: 27 days back is in,
     28 days back is out. */
  reset();
  run_at(DAY - 35, 10);
  run_at(DAY - 28, 20); /* spike, but outside the window */
  run_at(DAY - 27, 30); /* spike inside */
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_EQ_INT(count(&r, "load.single_run_spike"), 1);
  CHECK_EQ_INT(find(&r, "load.single_run_spike", 0)->activity_id, 3);
  CHECK_NEAR(find(&r, "load.single_run_spike", 0)->value, 1.5, 1e-12);
  gk_load_report_free(&r);
  /* A run without distance (0 m) is no reference either. */
  reset();
  run_at(DAY - 3, 0);
  run_at(DAY, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  gk_load_report_free(&r);
  /* No run in the 30 days before: no reference, no spike. */
  reset();
  run_at(DAY - 40, 5);
  run_at(DAY, 20);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.single_run_spike"), 0);
  gk_load_report_free(&r);
}

/* ---- two-week ramp ------------------------------------------------------ */

static const gk_finding *ramp_case(double last_km, gk_load_report *r) {
  reset();
  run_at(DAY - 27, 10);
  run_at(DAY - 20, 10);            /* 20 km in D-27 .. D-14 */
  run_at(DAY - 13, last_km / 2);
  run_at(DAY - 6, last_km / 2);    /* last_km in D-13 .. D */
  if (!analyze(DAY, r)) return NULL;
  return find(r, "load.two_week_ramp", 0);
}

static void test_two_week_ramp(void) {
  gk_load_report r;
  CHECK_TRUE(ramp_case(26, &r) == NULL); /* exactly 30% more */
  CHECK_NEAR(r.two_week_ratio, 1.3, 1e-12);
  gk_load_report_free(&r);
  const gk_finding *f = ramp_case(26.01, &r);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_NEAR(f->value, 26.01 / 20, 1e-12);
  CHECK_NEAR(f->threshold, 1.3, 0);
  CHECK_EQ_INT(f->date_from, DAY - 13);
  CHECK_EQ_INT(f->date_to, DAY);
  CHECK_TRUE(f->evidence_note != NULL &&
             strncmp(f->evidence_note, "borderline", 10) == 0);
  CHECK_TRUE(strstr(f->evidence_note, "0.96-2.66") != NULL);
  CHECK_TRUE(strstr(f->source, "Nielsen") != NULL);
  gk_load_report_free(&r);
  /* Nothing run (or no distance) in the 2 weeks before: not evaluated. */
  reset();
  run_at(DAY - 27, 0);
  run_at(DAY - 6, 10);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.two_week_ramp"), 0);
  CHECK_TRUE(isnan(r.two_week_ratio));
  gk_load_report_free(&r);
  /* A history shorter than 4 weeks: not evaluated. */
  reset();
  run_at(DAY - 26, 10);
  run_at(DAY - 6, 40);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.two_week_ramp"), 0);
  CHECK_TRUE(isnan(r.two_week_ratio));
  gk_load_report_free(&r);
}

/* ---- rest gaps and restarts --------------------------------------------- */

static void test_rest_gap_boundary(void) {
  gk_load_report r;
  reset();
  run_at(DAY - 8, 5);
  run_at(DAY, 5); /* 7 days without running between: not a gap */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 0);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 9, 5);
  run_at(DAY, 5); /* 8 days: a gap */
  ASSERT_TRUE(analyze(DAY, &r));
  const gk_finding *f = find(&r, "load.rest_gap", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 1);
  CHECK_NEAR(f->value, 8, 0);
  CHECK_NEAR(f->threshold, 7, 0);
  CHECK_EQ_INT(f->severity, GK_SEV_INFO);
  CHECK_EQ_INT(f->date_from, DAY - 8);
  CHECK_EQ_INT(f->date_to, DAY - 1);
  CHECK_TRUE(strstr(f->source, "Mujika") != NULL);
  CHECK_TRUE(strstr(f->text, "Little fitness is lost") != NULL);
  gk_load_report_free(&r);
  /* What the text says about fitness: up to 10 days, then after. */
  reset();
  run_at(DAY - 11, 5);
  run_at(DAY, 5); /* 10 days */
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_TRUE(find(&r, "load.rest_gap", 0) != NULL);
  CHECK_TRUE(strstr(find(&r, "load.rest_gap", 0)->text,
                    "Little fitness is lost") != NULL);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 12, 5);
  run_at(DAY, 5); /* 11 days */
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_TRUE(find(&r, "load.rest_gap", 0) != NULL);
  CHECK_TRUE(strstr(find(&r, "load.rest_gap", 0)->text,
                    "After about 10 days off") != NULL);
  gk_load_report_free(&r);
}

static void test_rest_gap_ongoing(void) {
  gk_load_report r;
  reset();
  run_at(DAY - 7, 5); /* D-6 .. D: 7 days without running */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 0);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 8, 5); /* D-7 .. D: 8 days */
  ASSERT_TRUE(analyze(DAY, &r));
  const gk_finding *f = find(&r, "load.rest_gap", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 8, 0);
  CHECK_EQ_INT(f->date_from, DAY - 7);
  CHECK_EQ_INT(f->date_to, DAY);
  CHECK_TRUE(strstr(f->text, "have not run for 8 days") != NULL);
  gk_load_report_free(&r);
}

static void test_rest_gap_length_and_window(void) {
  gk_load_report r;
  reset();
  run_at(DAY - 29, 5);
  run_at(DAY, 5); /* 28 days off: info */
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_TRUE(find(&r, "load.rest_gap", 0) != NULL);
  CHECK_EQ_INT(find(&r, "load.rest_gap", 0)->severity, GK_SEV_INFO);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 30, 5);
  run_at(DAY, 5); /* 29 days off: more than 4 weeks, caution */
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_TRUE(find(&r, "load.rest_gap", 0) != NULL);
  CHECK_EQ_INT(find(&r, "load.rest_gap", 0)->severity, GK_SEV_CAUTION);
  CHECK_TRUE(strstr(find(&r, "load.rest_gap", 0)->text, "4 weeks") != NULL);
  gk_load_report_free(&r);
  /* The window: gaps with a rest day in D-27 .. D. */
  reset();
  run_at(DAY - 40, 5);
  run_at(DAY - 27, 5); /* gap D-39 .. D-28: outside */
  for (int k = 26; k >= 0; k -= 2) run_at(DAY - k, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 0);
  gk_load_report_free(&r);
  reset();
  run_at(DAY - 40, 5);
  run_at(DAY - 26, 5); /* gap D-39 .. D-27: its last day is inside */
  for (int k = 24; k >= 0; k -= 2) run_at(DAY - k, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 1);
  gk_load_report_free(&r);
}

/* Before the gap: 4 x 5 km on a-6, a-4, a-2, a (20 km that week, longest
   5 km); rest days; then runs of restart_km on b, b+2, b+4, b+6. */
static void restart_history(int rest_days, double restart_km, int restarts) {
  reset();
  int64_t b = DAY - 6;
  int64_t a = b - rest_days - 1;
  for (int k = 6; k >= 0; k -= 2) run_at(a - k, 5);
  for (int k = 0; k < restarts; k++) run_at(b + 2 * k, restart_km);
}

static void test_restart_after_rest(void) {
  gk_load_report r;
  const gk_finding *f;
  /* Back at the same week (4 x 5 km = 20 km) after 10 days: caution. */
  restart_history(10, 5, 4);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 1);
  f = find(&r, "load.restart_after_rest", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_NEAR(f->value, 1.0, 1e-12);
  CHECK_NEAR(f->threshold, 1.0, 0);
  CHECK_EQ_INT(f->activity_id, 5); /* the first run back matched 5 km */
  CHECK_EQ_INT(f->date_from, DAY - 6);
  CHECK_EQ_INT(f->date_to, DAY);
  gk_load_report_free(&r);
  /* Shorter runs and less volume: no finding. */
  restart_history(10, 4, 4);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 1);
  CHECK_EQ_INT(count(&r, "load.restart_after_rest"), 0);
  gk_load_report_free(&r);
  /* One run as long as the longest before the gap is enough. */
  restart_history(10, 5, 1);
  ASSERT_TRUE(analyze(DAY, &r));
  f = find(&r, "load.restart_after_rest", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 1.0, 1e-12);
  CHECK_TRUE(strstr(f->text, "as long as or longer") != NULL);
  gk_load_report_free(&r);
  /* More volume than before by the week, shorter runs: 6 x 4 km. */
  reset();
  {
    int64_t b = DAY - 6, a = b - 11;
    for (int k = 6; k >= 0; k -= 2) run_at(a - k, 5);
    for (int k = 0; k < 6; k++) run_at(b + k, 4);
  }
  ASSERT_TRUE(analyze(DAY, &r));
  f = find(&r, "load.restart_after_rest", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 24.0 / 20.0, 1e-12);
  CHECK_EQ_INT(f->activity_id, 0);
  gk_load_report_free(&r);
  /* The longest run before the gap is looked for in the 30 days ending
     with the last run before it: a 12 km run 29 days before that counts (a
     10 km run back is below it), one 30 days before does not. */
  for (int back = 29; back <= 30; back++) {
    reset();
    int64_t b = DAY - 6, a = b - 11;
    run_at(a - back, 12);
    for (int k = 6; k >= 0; k -= 2) run_at(a - k, 5);
    run_at(b, 10);
    ASSERT_TRUE(analyze(DAY, &r));
    int n = 0; /* restarts on b (the 12 km run left a gap of its own) */
    for (size_t i = 0; i < r.n_findings; i++)
      if (strcmp(r.findings[i].code, "load.restart_after_rest") == 0 &&
          r.findings[i].date_from == b)
        n++;
    CHECK_EQ_INT(n, (back == 29 ? 0 : 1));
    gk_load_report_free(&r);
  }
  /* The first week back is 7 days: a run on its 8th day is not in it. */
  reset();
  {
    int64_t b = DAY - 8, a = b - 11;
    for (int k = 6; k >= 0; k -= 2) run_at(a - k, 5);   /* 20 km */
    for (int k = 0; k <= 6; k += 2) run_at(b + k, 4);   /* 16 km */
    run_at(b + 7, 4.5); /* 20.5 km in 8 days */
  }
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 1);
  CHECK_EQ_INT(count(&r, "load.restart_after_rest"), 0);
  gk_load_report_free(&r);
  /* After more than 4 weeks off: warning. */
  restart_history(29, 5, 4);
  ASSERT_TRUE(analyze(DAY, &r));
  f = find(&r, "load.restart_after_rest", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_WARNING);
  CHECK_TRUE(f->evidence_note != NULL);
  gk_load_report_free(&r);
}

/* The newest break's restart is found over the whole history while it is
   recent (relevant_days, 182, in data/load_rules.json), not only in the
   28-day window: 4 x 5 km, 10 days off, 4 x 5 km from day b, then 3 km
   every other day up to DAY (no gap of its own). */
static void restart_long_ago(int64_t b) {
  reset();
  int64_t a = b - 11;
  for (int k = 6; k >= 0; k -= 2) run_at(a - k, 5);
  for (int k = 0; k < 4; k++) run_at(b + 2 * k, 5);
  for (int64_t d = b + 8; d <= DAY; d += 2) run_at(d, 3);
}

static void test_restart_over_history(void) {
  gk_load_report r;
  const gk_finding *f;
  /* 100 days ago: outside the rest-gap window, still found, with the pain
     that followed it named. */
  restart_long_ago(DAY - 100);
  pain_at(DAY - 100 + 5, 0, 0, 0, NAN); /* pain-free entry: not the start */
  pain_at(DAY - 100 + 9, 4, 2, 1, 3.0);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.rest_gap"), 0); /* the gap is not recent */
  f = find(&r, "load.restart_after_rest", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->date_from, DAY - 100);
  CHECK_NEAR(f->value, 1.0, 1e-12);
  CHECK_TRUE(strstr(f->text, "After 10 days off") != NULL);
  CHECK_TRUE(strstr(f->text, "9 days after this restart") != NULL);
  CHECK_EQ_INT(r.break_from, DAY - 110);
  CHECK_EQ_INT(r.break_to, DAY - 101);
  CHECK_EQ_INT(r.break_ongoing, 0);
  gk_load_report_free(&r);
  /* the boundary: 181 days ago found, 182 not */
  restart_long_ago(DAY - 181);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.restart_after_rest"), 1);
  gk_load_report_free(&r);
  restart_long_ago(DAY - 182);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.restart_after_rest"), 0);
  CHECK_EQ_INT(r.break_to, DAY - 183); /* the break is still reported */
  gk_load_report_free(&r);
  /* Only the newest break counts: a later break with a gentle restart
     (2 km runs) hides the full-volume restart before it. */
  restart_long_ago(DAY - 100);
  {
    size_t keep = 0; /* drop the 3 km runs of DAY-60 .. DAY-51: a new gap */
    for (size_t i = 0; i < H.n; i++) {
      int64_t d = H.r[i].start_time / 86400;
      if (d >= DAY - 60 && d <= DAY - 51) continue;
      H.r[keep++] = H.r[i];
    }
    H.n = keep;
    for (size_t i = 0; i < H.n; i++) {
      int64_t d = H.r[i].start_time / 86400;
      if (d > DAY - 51) H.r[i].distance_m = 2000;
    }
  }
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "load.restart_after_rest"), 0);
  CHECK_TRUE(r.break_to >= DAY - 51 && r.break_from <= DAY - 60);
  gk_load_report_free(&r);
}

/* ---- ACWR --------------------------------------------------------------- */

static void test_acwr_known_values(void) {
  gk_load_report r;
  /* The same L metres every day for n days, EWMAs starting at 0:
     acute = L (1 - (1 - 2/8)^n), chronic = L (1 - (1 - 2/29)^n). */
  reset();
  for (int k = 39; k >= 0; k--) run_at(DAY - k, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  double acute = 1 - pow(0.75, 40), chronic = 1 - pow(27.0 / 29.0, 40);
  CHECK_NEAR(r.acwr, acute / chronic, 1e-12);
  const gk_finding *f = find(&r, "load.acwr", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_INFO);
  CHECK_NEAR(f->value, r.acwr, 0);
  CHECK_NEAR(f->threshold, 1.5, 0);
  CHECK_TRUE(f->evidence_note != NULL &&
             strncmp(f->evidence_note, "disputed", 8) == 0);
  CHECK_TRUE(strstr(f->source, "Williams") != NULL);
  CHECK_TRUE(strstr(f->source, "Impellizzeri") != NULL);
  gk_load_report_free(&r);

  /* One run of 10 km, then 27 rest days (28 days of history):
     acute = 0.25 * 10000 * 0.75^27, chronic = 2/29 * 10000 * (27/29)^27.
     By hand: 0.75^27 = 4.2331e-4, (27/29)^27 = 0.14524;
     ratio = 0.25 * 4.2331e-4 / (0.068966 * 0.14524) = 0.010565. */
  reset();
  run_at(DAY - 27, 10);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_NEAR(r.acwr, 0.010565, 5e-6);
  CHECK_EQ_INT(find(&r, "load.acwr", 0)->severity, GK_SEV_INFO);
  gk_load_report_free(&r);

  /* 27 days of history: not reported. */
  reset();
  run_at(DAY - 26, 10);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_TRUE(isnan(r.acwr));
  CHECK_EQ_INT(count(&r, "load.acwr"), 0);
  gk_load_report_free(&r);
}

/* ---- monotony ----------------------------------------------------------- */

static void test_monotony_known_values(void) {
  gk_load_report r;
  /* k equal loads in 7 days (the rest 0): mean/SD = sqrt(k / (7 - k)) with
     the population SD.  k = 6: sqrt(6) = 2.449 > 2. */
  reset();
  for (int k = 6; k >= 1; k--) run_at(DAY - k, 5); /* 30 min each */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_NEAR(r.monotony, sqrt(6.0), 1e-12);
  const gk_finding *f = find(&r, "load.monotony", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_NEAR(f->value, 2.449489742783178, 1e-12);
  CHECK_NEAR(f->threshold, 2.0, 0);
  CHECK_TRUE(f->evidence_note != NULL &&
             strncmp(f->evidence_note, "secondary", 9) == 0);
  CHECK_TRUE(strstr(f->evidence_note, "RPE") != NULL);
  gk_load_report_free(&r);
  /* k = 5: sqrt(2.5) = 1.58, not flagged. */
  reset();
  for (int k = 6; k >= 2; k--) run_at(DAY - k, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_NEAR(r.monotony, sqrt(2.5), 1e-12);
  CHECK_EQ_INT(count(&r, "load.monotony"), 0);
  gk_load_report_free(&r);
  /* Hand-computed, unequal loads: 60, 0, 30, 0, 30, 0, 90 minutes:
     mean 30, SD sqrt((900+900+0+900+0+900+3600)/7) = sqrt(1028.57) =
     32.071, monotony 0.9354. */
  reset();
  run_at(DAY - 6, 10);
  run_at(DAY - 4, 5);
  run_at(DAY - 2, 5);
  run_at(DAY, 15);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_NEAR(r.monotony, 0.93541, 1e-5);
  gk_load_report_free(&r);
  /* The same load every day: no variation at all, flagged. */
  reset();
  for (int k = 6; k >= 0; k--) run_at(DAY - k, 5);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_TRUE(isinf(r.monotony));
  CHECK_EQ_INT(count(&r, "load.monotony"), 1);
  gk_load_report_free(&r);
}

/* ---- pain --------------------------------------------------------------- */

static void test_pain_during_boundary(void) {
  gk_load_report r;
  reset();
  pain_at(DAY - 1, 5, -1, -1, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 0);
  gk_load_report_free(&r);
  reset();
  gk_pain_entry *e = pain_at(DAY - 1, 6, -1, -1, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  const gk_finding *f = find(&r, "pain.over_limit", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_EQ_INT(f->severity, GK_SEV_WARNING);
  CHECK_NEAR(f->value, 6, 0);
  CHECK_NEAR(f->threshold, 5, 0);
  CHECK_EQ_INT(f->activity_id, e->activity_id);
  CHECK_EQ_INT(f->date_from, DAY - 1);
  CHECK_TRUE(strstr(f->source, "My Knee Cap") != NULL);
  CHECK_TRUE(strstr(f->source, "Silbernagel") != NULL);
  CHECK_TRUE(f->evidence_note != NULL &&
             strstr(f->evidence_note, "Achilles") != NULL);
  gk_load_report_free(&r);
  /* Outside the 14-day window, after day, or not a 0..10 score: ignored. */
  reset();
  pain_at(DAY - 14, 8, -1, -1, NAN);
  pain_at(DAY + 1, 8, -1, -1, NAN);
  pain_at(DAY, 11, -1, -1, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 0);
  gk_load_report_free(&r);
  reset();
  pain_at(DAY - 13, 8, -1, -1, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 1);
  gk_load_report_free(&r);
}

static void test_pain_morning(void) {
  gk_load_report r;
  reset();
  pain_at(DAY - 2, 2, 2, 2, NAN);
  pain_at(DAY - 1, 2, 2, 2, NAN); /* the same as the morning before */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 0);
  gk_load_report_free(&r);
  reset();
  pain_at(DAY - 1, 2, 2, 3, NAN); /* worse; given out of order */
  pain_at(DAY - 2, 2, 2, 2, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_EQ_INT(count(&r, "pain.over_limit"), 1);
  const gk_finding *f = find(&r, "pain.over_limit", 0);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_NEAR(f->value, 3, 0);
  CHECK_NEAR(f->threshold, 2, 0);
  CHECK_EQ_INT(f->date_to, DAY - 1);
  gk_load_report_free(&r);
  /* The morning before 7 days earlier is still compared ... */
  reset();
  pain_at(DAY - 8, 2, 2, 1, NAN);
  pain_at(DAY - 1, 2, 2, 3, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 1);
  gk_load_report_free(&r);
  /* ... one more than 7 days earlier is not. */
  reset();
  pain_at(DAY - 9, 2, 2, 1, NAN);
  pain_at(DAY - 1, 2, 2, 3, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 0);
  gk_load_report_free(&r);
  /* An entry without a morning score in between is skipped over: 2 is
     compared with 3 (better), not with "not given". */
  reset();
  pain_at(DAY - 3, 2, 2, 3, NAN);
  pain_at(DAY - 2, 2, 2, -1, NAN);
  pain_at(DAY - 1, 2, 2, 2, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 0);
  gk_load_report_free(&r);
  reset();
  pain_at(DAY - 3, 2, 2, 1, NAN);
  pain_at(DAY - 2, 2, 2, -1, NAN);
  pain_at(DAY - 1, 2, 2, 2, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 1);
  gk_load_report_free(&r);
  /* Two entries on the same day share the same next morning: they are not
     compared with each other. */
  reset();
  pain_at(DAY - 1, 2, 2, 2, NAN);
  pain_at(DAY - 1, 2, 2, 3, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.over_limit"), 0);
  gk_load_report_free(&r);
}

static int onset_count(double a, double b, double c, int64_t first_day) {
  gk_load_report r;
  reset();
  pain_at(first_day, 2, -1, -1, a);
  pain_at(DAY - 3, 2, -1, -1, NAN); /* no onset: not one of the three */
  pain_at(DAY - 2, 2, -1, -1, b);
  pain_at(DAY - 1, 2, -1, -1, c);
  if (!analyze(DAY, &r)) return -1;
  int n = (int)count(&r, "pain.onset_earlier");
  const gk_finding *f = find(&r, "pain.onset_earlier", 0);
  if (f != NULL) {
    CHECK_NEAR(f->value, c, 0);
    CHECK_NEAR(f->threshold, a, 0);
    CHECK_EQ_INT(f->date_from, first_day);
    CHECK_EQ_INT(f->date_to, DAY - 1);
    CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  }
  gk_load_report_free(&r);
  return n;
}

static void test_pain_onset_earlier(void) {
  CHECK_EQ_INT(onset_count(5, 4, 3, DAY - 5), 1);
  CHECK_EQ_INT(onset_count(5, 4, 4, DAY - 5), 0); /* not strictly */
  CHECK_EQ_INT(onset_count(5, 3, 4, DAY - 5), 0);
  CHECK_EQ_INT(onset_count(3, 4, 5, DAY - 5), 0);
  CHECK_EQ_INT(onset_count(5, 4, 3, DAY - 27), 1); /* window: 28 days */
  CHECK_EQ_INT(onset_count(5, 4, 3, DAY - 28), 0);
  /* Only the last three count: an earlier, smaller onset is irrelevant. */
  gk_load_report r;
  reset();
  pain_at(DAY - 10, 2, -1, -1, 1);
  pain_at(DAY - 6, 2, -1, -1, 5);
  pain_at(DAY - 4, 2, -1, -1, 4.5);
  pain_at(DAY - 2, 2, -1, -1, 4);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.onset_earlier"), 1);
  gk_load_report_free(&r);
}

static void test_pain_rising(void) {
  gk_load_report r;
  reset();
  pain_at(DAY - 10, 3, 2, 1, NAN); /* worst 3 */
  pain_at(DAY - 8, 1, 3, -1, NAN); /* worst 3 */
  pain_at(DAY - 5, 4, -1, -1, NAN);
  pain_at(DAY - 1, 2, 5, 1, NAN);  /* worst 5 */
  ASSERT_TRUE(analyze(DAY, &r));
  const gk_finding *f = find(&r, "pain.rising", 0);
  ASSERT_TRUE(f != NULL);
  CHECK_NEAR(f->value, 4.5, 1e-12);
  CHECK_NEAR(f->threshold, 3, 1e-12);
  CHECK_EQ_INT(f->severity, GK_SEV_CAUTION);
  CHECK_EQ_INT(f->date_from, DAY - 13);
  CHECK_EQ_INT(f->date_to, DAY);
  gk_load_report_free(&r);
  /* Equal means: no finding. */
  reset();
  pain_at(DAY - 7, 3, -1, -1, NAN); /* D-13 .. D-7 */
  pain_at(DAY - 6, 3, -1, -1, NAN); /* D-6 .. D */
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.rising"), 0);
  gk_load_report_free(&r);
  reset();
  pain_at(DAY - 7, 3, -1, -1, NAN);
  pain_at(DAY - 6, 4, -1, -1, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.rising"), 1);
  gk_load_report_free(&r);
  /* Nothing logged the week before (D-14 is outside): not evaluated. */
  reset();
  pain_at(DAY - 14, 1, -1, -1, NAN);
  pain_at(DAY - 1, 6, -1, -1, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(count(&r, "pain.rising"), 0);
  gk_load_report_free(&r);
}

/* ---- cadence against speed ---------------------------------------------- */

static void test_cadence_fit(void) {
  gk_load_report r;
  reset();
  /* cadence = 150 + 8 * speed exactly, speeds 2.5 .. 3.5, given newest
     first; and one run outside the 90-day window that would spoil it. */
  for (int k = 0; k < 6; k++) {
    int64_t id = run_at(DAY - 2 * k, 8);
    H.r[id - 1].avg_speed_mps = 3.5 - 0.2 * k;
    H.r[id - 1].avg_cadence_spm = 150 + 8 * (3.5 - 0.2 * k);
  }
  int64_t old = run_at(DAY - 90, 8);
  H.r[old - 1].avg_speed_mps = 3.0;
  H.r[old - 1].avg_cadence_spm = 200;
  int64_t nocad = run_at(DAY - 1, 8);
  H.r[nocad - 1].avg_speed_mps = 3.0; /* no cadence: not in the fit */
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_EQ_INT(r.cadence.n, 6);
  ASSERT_EQ_INT(r.n_cadence_points, 6);
  CHECK_NEAR(r.cadence.slope_spm_per_mps, 8, 1e-9);
  CHECK_NEAR(r.cadence.intercept_spm, 150, 1e-9);
  CHECK_NEAR(r.cadence.cadence_at_ref_spm, 174, 1e-9);
  CHECK_NEAR(r.cadence.ref_speed_mps, 3.0, 0);
  CHECK_NEAR(r.cadence.r2, 1, 1e-12);
  CHECK_NEAR(r.cadence.speed_min_mps, 2.5, 1e-12);
  CHECK_NEAR(r.cadence.speed_max_mps, 3.5, 1e-12);
  CHECK_EQ_INT(r.cadence.ref_extrapolated, 0);
  CHECK_EQ_INT(r.cadence.window_from, DAY - 89);
  CHECK_TRUE(r.cadence.source != NULL &&
             strstr(r.cadence.source, "Heiderscheit") != NULL);
  /* oldest first */
  CHECK_EQ_INT(r.cadence_points[0].activity_id, 6);
  CHECK_EQ_INT(r.cadence_points[5].activity_id, 1);
  CHECK_NEAR(r.cadence_points[0].speed_mps, 2.5, 1e-12);
  gk_load_report_free(&r);

  /* Four runs: too few for a line, but the mean is there. */
  reset();
  for (int k = 0; k < 4; k++) {
    int64_t id = run_at(DAY - k, 8);
    H.r[id - 1].avg_speed_mps = 3.2 + 0.1 * k;
    H.r[id - 1].avg_cadence_spm = 170;
  }
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(r.cadence.n, 4);
  CHECK_TRUE(isnan(r.cadence.slope_spm_per_mps));
  CHECK_TRUE(isnan(r.cadence.cadence_at_ref_spm));
  CHECK_NEAR(r.cadence.mean_cadence_spm, 170, 1e-12);
  gk_load_report_free(&r);

  /* Five runs at the same speed: no line. */
  reset();
  for (int k = 0; k < 5; k++) {
    int64_t id = run_at(DAY - k, 8);
    H.r[id - 1].avg_speed_mps = 3.2;
    H.r[id - 1].avg_cadence_spm = 168 + k;
  }
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_EQ_INT(r.cadence.n, 5);
  CHECK_TRUE(isnan(r.cadence.slope_spm_per_mps));
  CHECK_TRUE(isnan(r.cadence.cadence_at_ref_spm));
  CHECK_EQ_INT(r.cadence.ref_extrapolated, 0);
  CHECK_NEAR(r.cadence.mean_cadence_spm, 170, 1e-12);
  gk_load_report_free(&r);

  /* Five runs all faster than 3.0 m/s: the value at 3.0 is extrapolated. */
  reset();
  for (int k = 0; k < 5; k++) {
    int64_t id = run_at(DAY - k, 8);
    H.r[id - 1].avg_speed_mps = 3.2 + 0.1 * k;
    H.r[id - 1].avg_cadence_spm = 160 + 10 * (3.2 + 0.1 * k);
  }
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_NEAR(r.cadence.cadence_at_ref_spm, 190, 1e-9);
  CHECK_EQ_INT(r.cadence.ref_extrapolated, 1);
  gk_load_report_free(&r);
}

/* ---- order of findings, input order ------------------------------------- */

static void test_findings_sorted(void) {
  gk_load_report r;
  reset();
  /* 6 weeks of 5 km every other day, then a 12 km run (warning spike) on
     D-3 and a 6 km run on D (caution spike: 6 > 5 * 1.1? no: reference is
     now 12). */
  for (int k = 41; k >= 4; k -= 2) run_at(DAY - k, 5);
  run_at(DAY - 3, 12);
  run_at(DAY - 10, 5.8); /* caution spike (16%) on D-10 */
  pain_at(DAY - 2, 7, -1, -1, NAN); /* warning */
  pain_at(DAY - 1, 3, 2, 2, NAN);
  ASSERT_TRUE(analyze(DAY, &r));
  ASSERT_TRUE(r.n_findings >= 4);
  for (size_t i = 1; i < r.n_findings; i++) {
    const gk_finding *a = &r.findings[i - 1], *b = &r.findings[i];
    CHECK_TRUE(a->severity >= b->severity);
    if (a->severity == b->severity) CHECK_TRUE(a->date_to >= b->date_to);
  }
  CHECK_EQ_INT(r.findings[0].severity, GK_SEV_WARNING);
  CHECK_STR(r.findings[0].code, "pain.over_limit"); /* D-2 before D-3 */
  CHECK_STR(r.findings[1].code, "load.single_run_spike");
  CHECK_EQ_INT(r.findings[1].severity, GK_SEV_WARNING);
  CHECK_EQ_INT(r.findings[r.n_findings - 1].severity, GK_SEV_INFO);
  gk_load_report_free(&r);
}

static void test_input_order_irrelevant(void) {
  gk_load_report a, b;
  reset();
  for (int k = 60; k >= 0; k -= 3) run_at(DAY - k, 4 + (k % 7));
  run_at(DAY - 1, 14);
  pain_at(DAY - 3, 6, 2, 2, 4);
  pain_at(DAY - 2, 3, 2, 3, 3);
  pain_at(DAY - 1, 3, 2, 3, 2);
  ASSERT_TRUE(analyze(DAY, &a));
  for (size_t i = 0; i < H.n / 2; i++) {
    gk_load_run t = H.r[i];
    H.r[i] = H.r[H.n - 1 - i];
    H.r[H.n - 1 - i] = t;
  }
  gk_pain_entry t = H.p[0];
  H.p[0] = H.p[2];
  H.p[2] = t;
  ASSERT_TRUE(analyze(DAY, &b));
  ASSERT_EQ_INT(a.n_findings, b.n_findings);
  CHECK_TRUE(a.n_findings >= 4);
  for (size_t i = 0; i < a.n_findings; i++) {
    CHECK_STR(a.findings[i].code, b.findings[i].code);
    CHECK_STR(a.findings[i].text, b.findings[i].text);
    CHECK_EQ_INT(a.findings[i].activity_id, b.findings[i].activity_id);
  }
  CHECK_NEAR(a.acwr, b.acwr, 0);
  gk_load_report_free(&a);
  gk_load_report_free(&b);
}

static void test_every_finding_complete(void) {
  gk_load_report r;
  reset();
  for (int k = 60; k >= 12; k -= 2) run_at(DAY - k, 5);
  for (int k = 2; k >= 0; k--) run_at(DAY - k, 12); /* restart + spikes */
  pain_at(DAY - 9, 2, 2, 1, 5);
  pain_at(DAY - 2, 7, 3, 1, 4);
  pain_at(DAY - 1, 5, 6, 4, 3);
  ASSERT_TRUE(analyze(DAY, &r));
  CHECK_TRUE(r.n_findings >= 6);
  for (size_t i = 0; i < r.n_findings; i++) {
    const gk_finding *f = &r.findings[i];
    CHECK_TRUE(f->code != NULL && strchr(f->code, '.') != NULL);
    CHECK_TRUE(f->source != NULL && strstr(f->source, "20") != NULL);
    CHECK_TRUE(strlen(f->text) > 40);
    CHECK_TRUE(strlen(f->text) < GK_FINDING_TEXT_MAX - 1); /* not cut */
    CHECK_TRUE(f->date_from != INT64_MIN && f->date_from <= f->date_to);
    CHECK_TRUE(f->date_to <= DAY);
    CHECK_TRUE(!isnan(f->threshold));
  }
  gk_load_report_free(&r);
}

/* Runs first: the very first analysis of a process reads the rules before
   it fills the report (the reference speed comes from them). */
static void test_first_analysis_reads_rules(void) {
  gk_load_report r;
  CHECK_EQ_INT(gk_load_analyze(NULL, 0, NULL, 0, 20000, &r), GK_OK);
  CHECK_NEAR(r.cadence.ref_speed_mps, 3.0, 0);
  gk_load_report_free(&r);
}

/* The rules come from data/load_rules.json: every one is read, with its
   source, and the numbers the boundary tests below rely on are those. */
static void test_rules_from_data(void) {
  const char *problem = gk__load_rules_init();
  if (problem) fprintf(stderr, "%s\n", problem);
  ASSERT_TRUE(problem == NULL);
  for (int i = 0; i < GK__R_COUNT; i++) {
    CHECK_TRUE(gk__load_rules[i].code != NULL);
    CHECK_TRUE(gk__load_rules[i].source != NULL &&
               gk__load_rules[i].source[0] != '\0');
  }
  CHECK_STR(gk__load_rules[GK__R_SPIKE].code, "load.single_run_spike");
  CHECK_TRUE(gk__load_rules[GK__R_SPIKE].evidence_note == NULL);
  CHECK_TRUE(gk__load_rules[GK__R_ACWR].evidence_note != NULL &&
             strncmp(gk__load_rules[GK__R_ACWR].evidence_note, "disputed",
                     8) == 0);
  CHECK_NEAR(gk__spike_ratio, 1.10, 0);
  CHECK_EQ_INT(gk__spike_lookback_days, 30);
  CHECK_EQ_INT(gk__rest_gap_days, 7);
  CHECK_EQ_INT(gk__pain_during_limit, 5);
  CHECK_NEAR(gk__cadence_ref_speed_mps, 3.0, 0);
  CHECK_NEAR(gk__ratio_tolerance, 1e-9, 0);
}

/* ---- cadence against a target (gk_cadence_hold_of) ----------------------- */

/* A run sampled every second: minute m at cadence[m] (0: a stop). */
static gk_activity *cadence_run(const double *cad, size_t minutes) {
  gk_activity *a = NULL;
  if (gk_activity_new(&a, NULL) != GK_OK) return NULL;
  a->start_time = 20000LL * 86400 + 7 * 3600;
  for (size_t m = 0; m < minutes; m++)
    for (int k = 0; k < 60; k++) {
      gk_sample s;
      gk_sample_clear(&s);
      s.time_s = (double)(m * 60 + (size_t)k);
      if (cad[m] > 0) s.cadence_spm = cad[m] + (k % 2 ? 1 : -1);
      if (gk_activity_add_sample(a, &s) != GK_OK) {
        gk_activity_free(a);
        return NULL;
      }
    }
  return a;
}

static void test_cadence_hold(void) {
  /* 9 minutes: 3 of walking (120) excluded; 6 running at 168, 168, 171,
     172 (last third: 165, 164).  Within +/- 3 of 168: 168, 168, 171, 165
     (4 of 6); 172 and 164 are 4 off. */
  const double cad[] = {120, 168, 168, 120, 171, 172, 120, 165, 164};
  gk_activity *a = cadence_run(cad, 9);
  ASSERT_TRUE(a != NULL);
  gk_cadence_hold h;
  CHECK_EQ_INT(gk_cadence_hold_of(a, 168, &h), GK_OK);
  CHECK_EQ_INT(h.running_minutes, 6);
  CHECK_NEAR(h.mean_spm, (168 + 168 + 171 + 172 + 165 + 164) / 6.0, 1e-9);
  CHECK_NEAR(h.share_within, 4.0 / 6.0, 1e-12);
  /* the last third: the last 2 running minutes against the first 4 */
  CHECK_NEAR(h.fade_spm, (165 + 164) / 2.0 - (168 + 168 + 171 + 172) / 4.0,
             1e-9);
  CHECK_EQ_INT(h.day, 20000);
  /* exactly 3 off counts as within; a minute at 139.9 is not running */
  const double edge[] = {165, 171, 139.9, 140};
  gk_activity_free(a);
  a = cadence_run(edge, 4);
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(gk_cadence_hold_of(a, 168, &h), GK_OK);
  CHECK_EQ_INT(h.running_minutes, 3);
  CHECK_NEAR(h.share_within, 2.0 / 3.0, 1e-12);
  CHECK_TRUE(isnan(h.fade_spm)); /* under 6 running minutes */
  gk_activity_free(a);
  /* no series: the summary's average, nothing per minute */
  ASSERT_EQ_INT(gk_activity_new(&a, NULL), GK_OK);
  a->summary.avg_cadence_spm = 166;
  CHECK_EQ_INT(gk_cadence_hold_of(a, 168, &h), GK_OK);
  CHECK_NEAR(h.mean_spm, 166, 1e-12);
  CHECK_TRUE(isnan(h.share_within));
  CHECK_EQ_INT(gk_cadence_hold_of(a, 59, &h), GK_E_ARG);
  CHECK_EQ_INT(gk_cadence_hold_of(NULL, 168, &h), GK_E_ARG);
  CHECK_EQ_INT(gk_cadence_hold_of(a, 168, NULL), GK_E_ARG);
  gk_activity_free(a);
}

int main(void) {
  RUN(test_first_analysis_reads_rules);
  RUN(test_severity_name);
  RUN(test_rules_from_data);
  RUN(test_days);
  RUN(test_empty_history);
  RUN(test_bad_args);
  RUN(test_weekly_year_boundary);
  RUN(test_weekly_utc_monday_and_empty_weeks);
  RUN(test_runs_after_day_ignored);
  RUN(test_missing_values);
  RUN(test_history_cap);
  RUN(test_longest_run_30d_window);
  RUN(test_spike_boundary);
  RUN(test_spike_grading);
  RUN(test_spike_lookback_and_window);
  RUN(test_two_week_ramp);
  RUN(test_rest_gap_boundary);
  RUN(test_rest_gap_ongoing);
  RUN(test_rest_gap_length_and_window);
  RUN(test_restart_after_rest);
  RUN(test_restart_over_history);
  RUN(test_acwr_known_values);
  RUN(test_monotony_known_values);
  RUN(test_pain_during_boundary);
  RUN(test_pain_morning);
  RUN(test_pain_onset_earlier);
  RUN(test_pain_rising);
  RUN(test_cadence_fit);
  RUN(test_findings_sorted);
  RUN(test_input_order_irrelevant);
  RUN(test_every_finding_complete);
  RUN(test_cadence_hold);
  return TEST_SUMMARY();
}
