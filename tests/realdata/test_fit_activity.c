/*
** test_fit_activity.c -- gk_fit_read_activity on the real recordings in
** ../shared/data/fit (GK_SHARED_DATA), against the values the upstream
** projects assert and the devices' own session messages list
** (../shared/data/MANIFEST.md, fit/FITDECODE_SUMMARY.txt).  Prints
** "skipped: ../shared/data not found" and passes when the folder is absent.
** Ends with "N passed, N failed" (tests).
*/
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/fit_activity.h"

#ifndef GK_SHARED_DATA
#define GK_SHARED_DATA "../shared/data"
#endif

/* ---- checks (local: no shared test header) ------------------------------ */

#include "test.h"

/* Checks that carry on after a failure (tests/test.h). */
#define T_TRUE(c) CHECK_TRUE(c)
#define T_INT(a, b) CHECK_EQ_INT(a, b)
#define T_NEAR(a, b, eps) CHECK_NEAR(a, b, eps)
#define T_NAN(a) CHECK_TRUE(isnan(a))
#define T_STR(a, b) CHECK_STR(a, b)
/* a device figure: as stored, to the file's own resolution */
#define T_DEV(a, b) T_NEAR((a), (b), 1e-6)
#define IS_COMPUTED(sum, ID) (((sum)->computed >> GK_SUM_##ID) & 1u)

/* ---- files -------------------------------------------------------------- */

/* Read ../shared/data/fit/<rel>; NULL (and a failed check) on error. */
static gk_activity *load(const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/fit/%s", GK_SHARED_DATA, rel);
  size_t len = 0;
  unsigned char *buf = (unsigned char *)test_read_file(path, &len);
  if (!CHECK_TRUE(buf != NULL)) {
    fprintf(stderr, "  cannot read %s\n", path);
    return NULL;
  }
  gk_activity *a = NULL;
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_status st = gk_fit_read_activity(buf, len, 0, &a, &err);
  free(buf);
  if (st != GK_OK) {
    fprintf(stderr, "%s: byte %llu: %s\n", path,
            (unsigned long long)err.offset, err.msg ? err.msg : "");
    CHECK_EQ_INT(st, GK_OK);
    return NULL;
  }
  return a;
}

static const gk_session *find_session(const gk_activity *a,
                                      const char *sport) {
  for (size_t i = 0; i < a->n_sessions; i++)
    if (strcmp(a->sessions[i].sport, sport) == 0) return &a->sessions[i];
  return NULL;
}

static size_t count_valid(const double *col, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(col[i])) k++;
  return k;
}

/* ---- tests -------------------------------------------------------------- */

/* python-fitparse's Fenix 5 run: session figures, first running-dynamics
   record, and every record against the SDK dump tool's CSV. */
static void test_fenix5_run(void) {
  gk_activity *a = load("python-fitparse/garmin-fenix-5-run.fit");
  if (a == NULL) return;
  const gk_summary *s = &a->summary;
  T_STR(a->sport, "running");
  T_STR(a->source.manufacturer, "garmin");
  T_STR(a->source.product, "fenix5");
  T_INT(a->series.n, 21);
  T_INT(a->n_sessions, 1);
  T_INT(a->n_laps, 1);
  T_DEV(s->distance_m, 157.56);
  T_DEV(s->elapsed_s, 56.887);
  T_DEV(s->avg_hr, 90);
  T_DEV(s->max_hr, 112);
  T_DEV(s->avg_cadence_rpm, 83 + 0.671875);
  T_DEV(s->avg_cadence_spm, 2 * (83 + 0.671875)); /* 167.34 steps/min */
  T_DEV(s->max_cadence_spm, 2 * (95 + 0.5));
  T_DEV(s->avg_vertical_oscillation_mm, 76.2);
  T_DEV(s->avg_stance_time_ms, 270.3);
  T_DEV(s->avg_step_length_mm, 971.7);
  T_DEV(s->avg_vertical_ratio_pct, 7.42);
  T_DEV(s->stance_balance_left_pct, 52.39);
  T_DEV(s->total_steps, 2 * 78);
  T_DEV(s->avg_speed_mps, 2.77);
  T_DEV(s->calories, 5);
  T_TRUE(!IS_COMPUTED(s, AVG_HR) && !IS_COMPUTED(s, AVG_CADENCE_SPM));
  T_TRUE(IS_COMPUTED(s, MOVING_S)); /* the session has no moving time */
  /* the first record with running dynamics (upstream's values) */
  const gk_series *se = &a->series;
  size_t i = 0;
  while (i < se->n && isnan(se->vertical_oscillation_mm[i])) i++;
  if (T_TRUE(i < se->n)) {
    T_DEV(se->hr_bpm[i], 56);
    T_DEV(se->cadence_spm[i], 2 * (78 + 0.5));
    T_DEV(se->vertical_oscillation_mm[i], 46.7);
    T_DEV(se->stance_time_ms[i], 308.0);
    T_DEV(se->stance_balance_left_pct[i], 53.21);
    T_DEV(se->step_length_mm[i], 578.0);
  }
  /* garmin-fenix-5-run-records.csv: timestamp,heart_rate,cadence,speed,
     distance,position_lat,position_long,altitude,temperature */
  char path[1024];
  snprintf(path, sizeof path, "%s/fit/python-fitparse/%s", GK_SHARED_DATA,
           "garmin-fenix-5-run-records.csv");
  FILE *f = fopen(path, "r");
  if (T_TRUE(f != NULL)) {
    char line[512];
    size_t row = 0;
    if (fgets(line, sizeof line, f) == NULL) line[0] = '\0'; /* header */
    while (fgets(line, sizeof line, f) && row < se->n) {
      char *p = strchr(line, ','); /* after the timestamp */
      if (p == NULL) break;
      double hr = strtod(p + 1, &p);
      double cad = strtod(p + 1, &p);
      double speed = strtod(p + 1, &p);
      double dist = strtod(p + 1, &p);
      double lat = strtod(p + 1, &p);
      double lon = strtod(p + 1, &p);
      double alt = strtod(p + 1, &p);
      T_DEV(se->hr_bpm[row], hr);
      /* the CSV has the whole strides/min, 0 for invalid */
      if (cad > 0) T_DEV(floor(se->cadence_rpm[row]), cad);
      T_NEAR(se->speed_mps[row], speed, 1e-9);
      T_NEAR(se->distance_m[row], dist, 1e-9);
      T_NEAR(se->lat_deg[row], lat * 180.0 / 2147483648.0, 1e-12);
      T_NEAR(se->lon_deg[row], lon * 180.0 / 2147483648.0, 1e-12);
      T_NEAR(se->altitude_m[row], alt, 1e-9);
      row++;
    }
    fclose(f);
    T_INT(row, 21);
  }
  gk_activity_free(a);
}

static void test_fenix5_walk(void) {
  gk_activity *a = load("python-fitparse/garmin-fenix-5-walk.fit");
  if (a == NULL) return;
  const gk_summary *s = &a->summary;
  T_STR(a->sport, "walking");
  T_INT(a->series.n, 17);
  T_DEV(s->distance_m, 67.85);
  T_DEV(s->avg_vertical_oscillation_mm, 57.8);
  T_DEV(s->avg_stance_time_ms, 474.1);
  T_DEV(s->avg_cadence_spm, 2 * (61 + 0.2265625)); /* walking: steps too */
  T_DEV(s->total_steps, 2 * 41);
  gk_activity_free(a);
}

/* Fenix 2: the session's avg HR is invalid (0xFF); we fill it from the
   records and mark it computed. */
static void test_fenix2_run(void) {
  gk_activity *a = load("python-fitparse/activity-small-fenix2-run.fit");
  if (a == NULL) return;
  const gk_summary *s = &a->summary;
  T_STR(a->sport, "running");
  T_INT(a->series.n, 2809);
  T_INT(a->n_laps, 4);
  T_DEV(s->distance_m, 9008.22);
  T_DEV(s->elapsed_s, 2832);
  T_DEV(s->avg_cadence_spm, 2 * 81);
  T_DEV(s->avg_vertical_oscillation_mm, 106.2);
  T_DEV(s->avg_stance_time_ms, 252.0);
  T_TRUE(IS_COMPUTED(s, AVG_HR));
  T_TRUE(IS_COMPUTED(s, MAX_HR));
  T_NEAR(s->avg_hr, 153.94, 0.01); /* time-weighted over 2808 records */
  T_DEV(s->max_hr, 178);
  T_TRUE(IS_COMPUTED(&a->sessions[0].summary, AVG_HR));
  T_INT(count_valid(a->series.hr_bpm, a->series.n), 2808);
  T_TRUE(!(a->flags & GK_ACT_HR_MERGED));
  gk_activity_free(a);
}

/* FR920XT triathlon in chained files: five sessions, the run leg's device
   figures findable, HR of the swim merged from hr messages. */
static void test_triathlon_chained(void) {
  gk_activity *a = load("python-fitparse/sample_mulitple_header.fit");
  if (a == NULL) return;
  T_STR(a->sport, "multisport");
  T_INT(a->n_sessions, 5);
  T_INT(a->series.n, 1773);
  const gk_session *r = find_session(a, "running");
  if (T_TRUE(r != NULL)) {
    const gk_summary *s = &r->summary;
    T_TRUE(r->on_foot);
    T_DEV(s->distance_m, 9805.92);
    T_DEV(s->elapsed_s, 2850.694);
    T_DEV(s->avg_hr, 176);
    T_DEV(s->max_hr, 187);
    T_DEV(s->avg_cadence_spm, 2 * (83 + 0.515625));
    T_DEV(s->avg_vertical_oscillation_mm, 101.4);
    T_DEV(s->avg_stance_time_ms, 252.0);
    T_DEV(s->avg_step_length_mm, 1238.0);
    T_DEV(s->total_steps, 2 * 3960);
  }
  const gk_session *b = find_session(a, "cycling");
  if (T_TRUE(b != NULL)) {
    T_TRUE(!b->on_foot);
    T_NAN(b->summary.avg_cadence_spm);
    T_DEV(b->summary.avg_cadence_rpm, 85.5);
  }
  T_STR(a->sessions[0].sport, "swimming");
  /* totals over the legs */
  T_NEAR(a->summary.distance_m,
         1644.71 + 141.7 + 40909.42 + 31.93 + 9805.92, 1e-6);
  T_NEAR(a->summary.elapsed_s,
         1987.521 + 170.269 + 4422.14 + 60.724 + 2850.694, 1e-6);
  /* 343 records without HR get it from the hr messages (the SDK's
     mergeHeartRates gives the same values for them) */
  T_TRUE(a->flags & GK_ACT_HR_MERGED);
  T_INT(a->stats.hr_filled, 343);
  T_INT(count_valid(a->series.hr_bpm, a->series.n), 1430 + 343);
  gk_activity_free(a);
}

/* FR255 triathlon, summary messages first or last: the same activity. */
static void test_triathlon_layouts(void) {
  gk_activity *f = load("muktihari-fit/triathlon_summary_first.fit");
  gk_activity *l = load("muktihari-fit/triathlon_summary_last.fit");
  if (f && l) {
    T_INT(f->n_sessions, 5);
    T_INT(f->series.n, l->series.n);
    T_INT(f->n_laps, l->n_laps);
    T_TRUE(memcmp(&f->summary, &l->summary, sizeof f->summary) == 0);
    const gk_session *r = find_session(f, "running");
    if (T_TRUE(r != NULL)) {
      const gk_summary *s = &r->summary;
      T_DEV(s->distance_m, 4491.51);
      T_DEV(s->elapsed_s, 1573.613);
      T_DEV(s->avg_hr, 168);
      T_DEV(s->max_hr, 175);
      T_DEV(s->avg_cadence_spm, 2 * (80 + 0.703125));
      T_DEV(s->avg_speed_mps, 2.854); /* first of a 2-element array */
      T_DEV(s->avg_vertical_oscillation_mm, 90.2);
      T_DEV(s->avg_stance_time_ms, 276.0);
      T_DEV(s->avg_step_length_mm, 1054.4);
      T_DEV(s->avg_vertical_ratio_pct, 8.57);
      T_DEV(s->total_steps, 2 * 2122);
    }
  }
  gk_activity_free(f);
  gk_activity_free(l);
}

static void test_fenix5plus(void) {
  gk_activity *a = load("goldencheetah/fenix5plus_2019-09-07-11-22-19.fit");
  if (a == NULL) return;
  const gk_summary *s = &a->summary;
  T_INT(a->series.n, 941);
  T_STR(a->source.product, "fenix5_plus");
  T_DEV(s->distance_m, 13301.03);
  T_DEV(s->elapsed_s, 3653.367);
  T_DEV(s->avg_hr, 158);
  T_DEV(s->max_hr, 172);
  T_DEV(s->avg_cadence_spm, 2 * (81 + 0.8515625));
  T_DEV(s->avg_vertical_oscillation_mm, 110.2);
  T_DEV(s->avg_stance_time_ms, 255.9);
  T_DEV(s->avg_step_length_mm, 1315.7);
  T_DEV(s->avg_vertical_ratio_pct, 8.21);
  T_DEV(s->total_steps, 2 * 4977);
  T_INT(count_valid(a->series.step_length_mm, a->series.n), 937);
  gk_activity_free(a);
}

/* FR15 10 km race: GPS only; HR and cadence all invalid. */
static void test_10k_gps_only(void) {
  gk_activity *a = load("goldencheetah/10kUNLP2014-Garmin15.fit");
  if (a == NULL) return;
  const gk_summary *s = &a->summary;
  T_INT(a->series.n, 686);
  T_INT(a->n_laps, 11);
  T_DEV(s->distance_m, 10010.82);
  T_DEV(s->elapsed_s, 2223.803);
  T_INT(count_valid(a->series.hr_bpm, a->series.n), 0);
  T_INT(count_valid(a->series.cadence_spm, a->series.n), 0);
  T_INT(count_valid(a->series.lat_deg, a->series.n), 686);
  T_NAN(s->avg_hr);
  T_NAN(s->max_hr);
  T_NAN(s->avg_cadence_spm);
  T_DEV(a->laps[0].elapsed_s, 212.152); /* as in the TCX of the same run */
  T_DEV(a->laps[0].distance_m, 1000);
  gk_activity_free(a);
}

/* FR70 with a footpod: distance and speed from compressed_speed_distance,
   device-relative time; every record against the CSV. */
static void test_compressed_speed_distance(void) {
  gk_activity *a = load("python-fitparse/compressed-speed-distance.fit");
  if (a == NULL) return;
  const gk_series *se = &a->series;
  T_TRUE(a->flags & GK_ACT_START_UNKNOWN);
  T_INT(a->start_time, 17217864);
  T_INT(a->stats.records, 755);
  T_INT(a->stats.empty, 1); /* the first record is a bare timestamp */
  T_INT(se->n, 754);
  T_INT(count_valid(se->distance_m, se->n), 754);
  T_DEV(a->summary.distance_m, 10248.67);
  T_DEV(a->summary.avg_hr, 170);
  T_DEV(a->summary.avg_cadence_spm, 2 * 88);
  T_DEV(a->summary.total_steps, 2 * 5062);
  T_NEAR(se->distance_m[se->n - 1], 10248.6875, 1e-9);
  char path[1024];
  snprintf(path, sizeof path, "%s/fit/python-fitparse/%s", GK_SHARED_DATA,
           "compressed-speed-distance-records.csv");
  FILE *f = fopen(path, "r");
  if (T_TRUE(f != NULL)) {
    char line[256];
    size_t row = 0, bad = 0;
    if (fgets(line, sizeof line, f) == NULL) line[0] = '\0'; /* header */
    while (fgets(line, sizeof line, f) && row < se->n) {
      /* Timestamp, Heart Rate [bpm],Speed [m/s],Distance [m],Cadence [rpm] */
      char *p;
      double ts = strtod(line, &p);
      double hr = strtod(p + 1, &p);
      double speed = strtod(p + 1, &p);
      double dist = strtod(p + 1, &p);
      double cad = strncmp(p + 1, "null", 4) == 0 ? NAN : strtod(p + 1, NULL);
      double t = (double)a->start_time + se->time_s[row];
      int ok = t == ts && se->hr_bpm[row] == hr &&
               fabs(se->speed_mps[row] - speed) < 1e-9 &&
               fabs(se->distance_m[row] - dist) < 1e-9 &&
               (isnan(cad) ? isnan(se->cadence_rpm[row])
                           : se->cadence_rpm[row] == cad);
      if (!ok && bad++ < 3)
        fprintf(stderr, "row %zu differs: %s", row, line);
      row++;
    }
    fclose(f);
    T_INT(row, 754);
    T_INT(bad, 0);
  }
  gk_activity_free(a);
}

/* FR935: HR partly in records, partly only in hr messages. */
static void test_fr935_hr_messages(void) {
  gk_activity *a = load("fitdecode/garmin-fr935-cr.fit");
  if (a == NULL) return;
  T_STR(a->sport, "swimming");
  T_INT(a->series.n, 7515);
  T_TRUE(a->flags & GK_ACT_HR_MERGED);
  /* 5298 records carry HR; of the 2217 others, 2185 get it from hr
     messages (the same values as the SDK's mergeHeartRates) */
  T_INT(a->stats.hr_filled, 2185);
  T_INT(count_valid(a->series.hr_bpm, a->series.n), 5298 + 2185);
  T_TRUE(a->stats.hr_points > 1432 * 8);
  T_DEV(a->summary.avg_hr, 80);
  T_DEV(a->summary.max_hr, 151);
  for (size_t i = 0; i < a->series.n; i++)
    if (!isnan(a->series.hr_bpm[i]) &&
        !(a->series.hr_bpm[i] >= 30 && a->series.hr_bpm[i] <= 220)) {
      T_TRUE(!"heart rate out of 30..220");
      break;
    }
  gk_activity_free(a);
}

/* FR735XT pool swim: records are bare timestamps; every HR is merged. */
static void test_event_timestamp_swim(void) {
  gk_activity *a = load("python-fitparse/event_timestamp.fit");
  if (a == NULL) return;
  T_INT(a->stats.records, 4376);
  T_INT(a->stats.merged, 2);
  T_INT(a->series.n, 4374);
  T_INT(a->stats.hr_filled, 4374);
  T_INT(count_valid(a->series.hr_bpm, a->series.n), 4374);
  gk_activity_free(a);
}

static void test_more_runs(void) {
  gk_activity *a = load("tormoder-fit/misc__mornindew-broken.fit");
  if (a) {
    T_DEV(a->summary.distance_m, 16773.34);
    T_DEV(a->summary.avg_hr, 147);
    T_DEV(a->summary.max_hr, 173);
    T_DEV(a->summary.avg_cadence_spm, 2 * (82 + 0.6484375));
    T_DEV(a->summary.avg_step_length_mm, 872.8);
    T_DEV(a->summary.total_steps, 2 * 9608);
    gk_activity_free(a);
  }
  a = load("goldencheetah/Fr955v19.28andStryd.fit");
  if (a) {
    T_DEV(a->summary.distance_m, 10021.48);
    T_DEV(a->summary.avg_hr, 139);
    T_DEV(a->summary.avg_cadence_spm, 2 * (83 + 0.1875));
    T_DEV(a->summary.avg_vertical_oscillation_mm, 92.4);
    T_DEV(a->summary.avg_stance_time_ms, 269.3);
    T_DEV(a->summary.avg_step_length_mm, 1157.3);
    T_DEV(a->summary.avg_vertical_ratio_pct, 8.04);
    T_DEV(a->summary.total_steps, 2 * 4312);
    gk_activity_free(a);
  }
  a = load("goldencheetah/fenix6x_trail_4077461142.fit");
  if (a) {
    T_STR(a->sub_sport, "trail");
    T_INT(a->n_laps, 13);
    T_DEV(a->summary.distance_m, 12167.64);
    T_DEV(a->summary.avg_hr, 146);
    T_DEV(a->summary.max_hr, 161);
    T_DEV(a->summary.avg_vertical_oscillation_mm, 77.9);
    T_DEV(a->summary.avg_stance_time_ms, 302.1);
    T_DEV(a->summary.avg_step_length_mm, 875.2);
    T_TRUE(a->summary.moving_s <= a->summary.timer_s);
    gk_activity_free(a);
  }
  a = load("python-fitparse/2013-02-06-12-11-14.fit");
  if (a) {
    T_DEV(a->summary.distance_m, 4835.38);
    T_DEV(a->summary.elapsed_s, 2625.14);
    T_DEV(a->summary.avg_hr, 147);
    T_DEV(a->summary.max_hr, 171);
    T_INT(a->n_laps, 5);
    T_INT(a->stats.merged, 7); /* 7 records repeat the previous second */
    gk_activity_free(a);
  }
  a = load("python-fitparse/antfs-dump.63.fit");
  if (a) {
    T_DEV(a->summary.elapsed_s, 3426.898);
    T_DEV(a->summary.avg_hr, 162);
    T_DEV(a->summary.max_hr, 195);
    T_NAN(a->summary.distance_m); /* HR only, no GPS */
    gk_activity_free(a);
  }
}

/* Every FIT file in the folder reads (damaged ones with
   GK_FIT_ACT_PARTIAL), and keeps the model's invariants. */
static void test_every_file(void) {
  static const char *const dirs[] = {"fitdecode",       "fitparse-rs",
                                     "goldencheetah",   "muktihari-fit",
                                     "python-fitparse", "tormoder-fit"};
  int files = 0;
  for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/fit/%s", GK_SHARED_DATA, dirs[d]);
    DIR *dp = opendir(dir);
    if (dp == NULL) continue;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
      size_t n = strlen(e->d_name);
      if (n < 4 || (strcmp(e->d_name + n - 4, ".fit") != 0 &&
                    strcmp(e->d_name + n - 4, ".FIT") != 0))
        continue;
      char path[2048];
      snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
      size_t len = 0;
      unsigned char *buf = (unsigned char *)test_read_file(path, &len);
      if (!T_TRUE(buf != NULL)) continue;
      gk_activity *a = NULL;
      gk_err err;
      memset(&err, 0, sizeof err);
      gk_status st = gk_fit_read_activity(buf, len, GK_FIT_ACT_PARTIAL, &a,
                                          &err);
      free(buf);
      files++;
      if (!T_INT(st, GK_OK)) {
        fprintf(stderr, "  %s\n", path);
        continue;
      }
      const gk_series *s = &a->series;
      int ok = 1;
      for (size_t i = 0; i < s->n; i++) {
        if (!isnan(s->cadence_spm[i]) &&
            s->cadence_spm[i] != 2 * s->cadence_rpm[i])
          ok = 0;
        if (!isnan(s->lat_deg[i]) && fabs(s->lat_deg[i]) > 90) ok = 0;
        if (!isnan(s->lon_deg[i]) && fabs(s->lon_deg[i]) > 180) ok = 0;
      }
      if (!CHECK_TRUE(ok /* cadence and positions consistent */))
        fprintf(stderr, "  %s\n", path);
      if (a->summary.moving_s > a->summary.timer_s + 1e-9 &&
          !CHECK_TRUE(a->summary.moving_s <= a->summary.timer_s + 1e-9))
        fprintf(stderr, "  %s\n", path);
      int partial = (a->flags & GK_ACT_PARTIAL) != 0;
      int damaged = strcmp(e->d_name, "nick.fit") == 0 ||
                    strncmp(e->d_name, "strava-android", 14) == 0;
      if (!CHECK_EQ_INT(partial, damaged))
        fprintf(stderr, "  %s\n", path);
      gk_activity_free(a);
    }
    closedir(dp);
  }
  T_TRUE(files >= 40);
}

int main(void) {
  if (!test_shared_data_present(GK_SHARED_DATA "/fit")) return 0;
  RUN(test_fenix5_run);
  RUN(test_fenix5_walk);
  RUN(test_fenix2_run);
  RUN(test_triathlon_chained);
  RUN(test_triathlon_layouts);
  RUN(test_fenix5plus);
  RUN(test_10k_gps_only);
  RUN(test_compressed_speed_distance);
  RUN(test_fr935_hr_messages);
  RUN(test_event_timestamp_swim);
  RUN(test_more_runs);
  RUN(test_every_file);
  return TEST_SUMMARY();
}
