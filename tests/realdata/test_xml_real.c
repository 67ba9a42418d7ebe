/*
** test_xml_real.c -- the GPX and TCX readers on the real files in
** ../shared/data/gpx_tcx (GK_SHARED_DATA; MANIFEST.md says where each comes
** from):
**   - togeojson/: every positioned sample against the upstream snapshot
**     (<file>.expected.snap.txt: coordinates [lon, lat, ele], times, heart
**     rates and the other per-point arrays), plus what the edge cases give;
**   - gpxpy/: times, sub-second times, byte-order marks;
**   - goldencheetah/: the 10 km race's TCX against the same race's FIT
**     (../shared/data/fit/goldencheetah), sample by sample.
** Prints "skipped: ../shared/data not found" and passes when the folder is
** absent.  Ends with "N passed, N failed" (tests).
*/
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/fit_activity.h"
#include "gaitkeeper/formats.h"
#include "gaitkeeper/xml_activity.h"

#ifndef GK_SHARED_DATA
#define GK_SHARED_DATA "../shared/data"
#endif

#include "test.h"

/* ---- files -------------------------------------------------------------- */

typedef struct loaded {
  gk_activity *a;
  gk_xml_stats stats;
  gk_format format;
} loaded;

/* Read GK_SHARED_DATA/gpx_tcx/<rel> (its format sniffed); a failed check
   and NULL on error. */
static gk_activity *load(const char *rel, loaded *out) {
  memset(out, 0, sizeof *out);
  char path[1024];
  snprintf(path, sizeof path, "%s/gpx_tcx/%s", GK_SHARED_DATA, rel);
  size_t len = 0;
  char *buf = test_read_file(path, &len);
  if (!CHECK_TRUE(buf != NULL)) {
    fprintf(stderr, "  cannot read %s\n", path);
    return NULL;
  }
  out->format = gk_sniff_format(buf, len);
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_status st = gk_xml_read_activity(out->format, buf, len, 0, &out->a,
                                      &out->stats, &err);
  free(buf);
  if (st != GK_OK) {
    fprintf(stderr, "  %s: %s at line %u column %u\n", path,
            err.msg ? err.msg : "", err.line, err.col);
    CHECK_EQ_INT(st, GK_OK);
    return NULL;
  }
  return out->a;
}

/* ---- the togeojson snapshots --------------------------------------------- */

/* The snapshot text of <rel>.expected.snap.txt (to be freed). */
static char *snapshot(const char *rel) {
  char path[1024];
  snprintf(path, sizeof path, "%s/gpx_tcx/%s.expected.snap.txt",
           GK_SHARED_DATA, rel);
  size_t len;
  char *s = test_read_file(path, &len);
  if (!CHECK_TRUE(s != NULL)) fprintf(stderr, "  cannot read %s\n", path);
  return s;
}

typedef struct leaf {
  double num; /* NaN for null and strings */
  char str[40];
} leaf;

/*
** The leaves (numbers, null, strings) of the array that follows "key": in
** the snapshot, flattened in order.  *tuple (optional) gets the length of
** the innermost arrays when they all have the same (0 otherwise).  Returns
** how many, or (size_t)-1 when the key is not there.
*/
static size_t snap_leaves(const char *snap, const char *key, leaf *out,
                          size_t max, size_t *tuple) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": [", key);
  const char *p = strstr(snap, pat);
  if (p == NULL) return (size_t)-1;
  p += strlen(pat) - 1;
  int depth = 0;
  size_t n = 0, in_group = 0, group = (size_t)-1;
  if (tuple) *tuple = 0;
  do {
    char c = *p;
    if (c == '[') {
      depth++;
      in_group = 0;
      p++;
    } else if (c == ']') {
      if (in_group) {
        if (group == (size_t)-1) group = in_group;
        else if (group != in_group) group = 0;
      }
      in_group = 0;
      depth--;
      p++;
    } else if (c == '"') {
      const char *e = strchr(p + 1, '"');
      if (e == NULL) break;
      if (n < max) {
        size_t k = (size_t)(e - p - 1);
        if (k >= sizeof out[n].str) k = sizeof out[n].str - 1;
        memcpy(out[n].str, p + 1, k);
        out[n].str[k] = '\0';
        out[n].num = NAN;
      }
      n++;
      in_group++;
      p = e + 1;
    } else if (strncmp(p, "null", 4) == 0) {
      if (n < max) {
        out[n].num = NAN;
        out[n].str[0] = '\0';
      }
      n++;
      in_group++;
      p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      char *e;
      double v = strtod(p, &e);
      if (n < max) {
        out[n].num = v;
        out[n].str[0] = '\0';
      }
      n++;
      in_group++;
      p = e;
    } else if (c == '\0') {
      break;
    } else {
      p++;
    }
  } while (depth > 0);
  if (tuple && group != (size_t)-1) *tuple = group;
  return n;
}

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* An ISO time as in the snapshots ("...Z", "...+01:00") in Unix seconds. */
static double iso_time(const char *s) {
  int y, mo, d, h, mi, used = 0;
  double sec;
  if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &sec,
             &used) != 6)
    return NAN;
  double off = 0;
  const char *z = s + used;
  if (*z == '+' || *z == '-') {
    int oh = 0, om = 0;
    sscanf(z + 1, "%2d:%2d", &oh, &om);
    off = (*z == '-' ? -1 : 1) * (oh * 3600.0 + om * 60.0);
  }
  return (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60) +
         sec - off;
}

#define MAXPTS 4096

static int same_or_both_nan(double a, double b, double eps) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return fabs(a - b) <= eps;
}

/*
** A per-point array of the snapshot (key) against a column.  GPX arrays
** (coordinateProperties) have one entry per positioned point: row rows[k]
** is entry snap_idx[k].  togeojson's TCX arrays (cadences, speeds, watts)
** have one entry per Trackpoint, null for one without a position: row i is
** entry i, and the rows without a position are skipped.
*/
static void check_column(const gk_activity *a, const char *snap,
                         const char *key, const double *col,
                         const size_t *rows, size_t n_rows,
                         const size_t *snap_idx, double eps) {
  static leaf v[MAXPTS];
  size_t n = snap_leaves(snap, key, v, MAXPTS, NULL);
  if (!CHECK_TRUE(n != (size_t)-1 && n <= MAXPTS)) {
    fprintf(stderr, "  no \"%s\" array\n", key);
    return;
  }
  size_t bad = 0;
  int per_row = n == a->series.n && n != n_rows;
  size_t count = per_row ? n : n_rows;
  for (size_t k = 0; k < count; k++) {
    size_t row = per_row ? k : rows[k], j = per_row ? k : snap_idx[k];
    if (per_row && isnan(a->series.lat_deg[row])) {
      if (!isnan(v[j].num) && bad++ < 5)
        fprintf(stderr, "  %s[%zu]: expected null\n", key, j);
      continue;
    }
    double want = v[j].num, got = col[row];
    if (!same_or_both_nan(got, want, eps) && bad++ < 5)
      fprintf(stderr, "  %s[%zu]: got %.17g, expected %.17g\n", key, j, got,
              want);
  }
  CHECK_EQ_INT(bad, 0);
}

typedef struct compared {
  size_t points;  /* snapshot points */
  size_t dups;    /* snapshot points at the time of the one before */
  size_t rows;    /* positioned rows compared */
} compared;

/*
** Every positioned row against the snapshot, in order: longitude, latitude,
** elevation (when the snapshot has it), time, heart rate (NaN for null or
** absent).  A snapshot point at the same time as the one before is the
** duplicate the reader merged: skipped (counted in dups).  extra: more
** (key, column) pairs to compare.
*/
static compared compare_snapshot(const gk_activity *a, const char *rel,
                                 const char *const *keys,
                                 const double *const *cols, size_t n_extra) {
  compared c = {0, 0, 0};
  char *snap = snapshot(rel);
  if (snap == NULL) return c;
  static leaf coords[3 * MAXPTS], times[MAXPTS], heart[MAXPTS];
  static size_t rows[MAXPTS], idx[MAXPTS];
  size_t tuple = 0;
  size_t nc = snap_leaves(snap, "coordinates", coords, 3 * MAXPTS, &tuple);
  if (!CHECK_TRUE(nc != (size_t)-1 && (tuple == 2 || tuple == 3))) goto out;
  size_t np = nc / tuple;
  size_t nt = snap_leaves(snap, "times", times, MAXPTS, NULL);
  size_t nh = snap_leaves(snap, "heart", heart, MAXPTS, NULL);
  CHECK_EQ_INT(nt, np);
  if (nh != (size_t)-1) CHECK_EQ_INT(nh, np);
  c.points = np;

  const gk_series *s = &a->series;
  size_t nr = 0;
  for (size_t i = 0; i < s->n && nr < MAXPTS; i++)
    if (!isnan(s->lat_deg[i])) rows[nr++] = i;
  size_t k = 0, bad = 0;
  for (size_t j = 0; j < np; j++) {
    double t = iso_time(times[j].str);
    if (j > 0 && t == iso_time(times[j - 1].str)) {
      c.dups++;
      continue;
    }
    if (k >= nr) {
      k++;
      continue;
    }
    size_t i = rows[k];
    idx[k] = j;
    double lon = coords[j * tuple].num, lat = coords[j * tuple + 1].num;
    double ele = tuple == 3 ? coords[j * tuple + 2].num : NAN;
    double got_t = (double)a->start_time + s->time_s[i];
    double hr = nh != (size_t)-1 ? heart[j].num : NAN;
    if (!(fabs(s->lon_deg[i] - lon) <= 1e-9 &&
          fabs(s->lat_deg[i] - lat) <= 1e-9 &&
          same_or_both_nan(s->altitude_m[i], ele, 1e-9) &&
          fabs(got_t - t) <= 1e-6 && same_or_both_nan(s->hr_bpm[i], hr, 0)) &&
        bad++ < 5)
      fprintf(stderr,
              "  %s point %zu: got [%.10g, %.10g, %g] t=%.3f hr=%g, expected "
              "[%.10g, %.10g, %g] t=%.3f hr=%g\n",
              rel, j, s->lon_deg[i], s->lat_deg[i], s->altitude_m[i], got_t,
              s->hr_bpm[i], lon, lat, ele, t, hr);
    k++;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(k, nr); /* every positioned row matched a snapshot point */
  c.rows = nr;
  if (k == nr)
    for (size_t e = 0; e < n_extra; e++)
      check_column(a, snap, keys[e], cols[e], rows, nr, idx, 1e-9);
out:
  free(snap);
  return c;
}

/* ---- togeojson ----------------------------------------------------------- */

static void test_run_gpx(void) {
  loaded l;
  gk_activity *a = load("togeojson/run.gpx", &l);
  if (a == NULL) return;
  compared c = compare_snapshot(a, "togeojson/run.gpx", NULL, NULL, 0);
  CHECK_EQ_INT(c.points, 206);
  CHECK_EQ_INT(c.dups, 1); /* 23:38:09 twice: merged */
  CHECK_EQ_INT(a->series.n, 205);
  CHECK_EQ_INT(a->stats.merged, 1);
  CHECK_STR(a->sport, ""); /* no <type> */
  CHECK_STR(a->source.product_name, "Garmin Connect");
  CHECK_EQ_INT(a->flags, 0);
  CHECK_NEAR(a->summary.elapsed_s, 948, 0);
  CHECK_NEAR(a->summary.max_hr, 203, 0);
  /* distance from the coordinates: about 3.1 km */
  CHECK_NEAR(a->summary.distance_m, 3098.5, 1.0);
  gk_activity_free(a);
}

static void test_run_gpxtpx(void) {
  loaded l;
  gk_activity *a = load("togeojson/run_gpxtpx.gpx", &l);
  if (a == NULL) return;
  compared c = compare_snapshot(a, "togeojson/run_gpxtpx.gpx", NULL, NULL, 0);
  CHECK_EQ_INT(c.points, 42);
  CHECK_EQ_INT(c.rows, 42);
  CHECK_EQ_INT(a->series.n, 42);
  CHECK_STR(a->source.product_name, "StravaGPX");
  gk_activity_free(a);
}

static void test_friday_evening_run(void) {
  loaded l;
  gk_activity *a = load("togeojson/Friday-Evening-Run.gpx", &l);
  if (a == NULL) return;
  const char *keys[] = {"cads"};
  const double *cols[] = {a->series.cadence_rpm};
  compared c =
      compare_snapshot(a, "togeojson/Friday-Evening-Run.gpx", keys, cols, 1);
  CHECK_EQ_INT(c.points, 17);
  CHECK_EQ_INT(c.rows, 17);
  CHECK_EQ_INT(l.stats.tracks, 1);
  CHECK_STR(a->sport, "running"); /* <type>running</type> */
  CHECK_STR(a->source.product_name, "Apple Watch");
  size_t hr = 0;
  for (size_t i = 0; i < a->series.n; i++) hr += !isnan(a->series.hr_bpm[i]);
  CHECK_EQ_INT(hr, 13);
  /* cadence: strides/min as recorded, steps/min doubled (running) */
  CHECK_NEAR(a->series.cadence_rpm[0], 64, 0);
  CHECK_NEAR(a->series.cadence_spm[0], 128, 0);
  /* power from <gpxtpx:PowerExtension><gpxtpx:PowerInWatts> */
  CHECK_NEAR(a->series.power_w[0], 0, 0);
  CHECK_NEAR(a->series.power_w[3], 170, 0);
  CHECK_NEAR(a->series.power_w[16], 209, 0);
  /* sub-second start */
  CHECK_NEAR(a->series.time_s[0], 0.692, 1e-6);
  /* three segments: no distance across the breaks */
  CHECK_TRUE(a->summary.distance_m < 100);
  gk_activity_free(a);
}

static void test_strava_gpx(void) {
  loaded l;
  gk_activity *a = load("togeojson/strava.gpx", &l);
  if (a == NULL) return;
  const char *keys[] = {"cads", "powers"};
  const double *cols[] = {a->series.cadence_rpm, a->series.power_w};
  compared c = compare_snapshot(a, "togeojson/strava.gpx", keys, cols, 2);
  CHECK_EQ_INT(c.rows, 3);
  CHECK_NEAR(a->series.hr_bpm[1], 154, 0);
  CHECK_NEAR(a->series.power_w[0], 75, 0); /* bare <power> */
  CHECK_TRUE(isnan(a->series.power_w[1]));
  /* no sport in the file: cadence kept as recorded only */
  CHECK_STR(a->sport, "");
  CHECK_TRUE(isnan(a->series.cadence_spm[0]));
  gk_activity_free(a);
}

static void test_missing_hr(void) {
  loaded l;
  gk_activity *a = load("togeojson/missing_hr.gpx", &l);
  if (a == NULL) return;
  compared c = compare_snapshot(a, "togeojson/missing_hr.gpx", NULL, NULL, 0);
  CHECK_EQ_INT(c.points, 16);
  CHECK_EQ_INT(c.rows, 16);
  size_t nan_hr = 0;
  for (size_t i = 0; i < a->series.n; i++)
    nan_hr += isnan(a->series.hr_bpm[i]);
  CHECK_EQ_INT(nan_hr, 7); /* HR on 9 of 16 points */
  CHECK_EQ_INT(a->series.n, 16);
  gk_activity_free(a);
}

static void test_apple_watch_route(void) {
  loaded l;
  gk_activity *a = load("togeojson/apple_watch_route.gpx", &l);
  if (a == NULL) return;
  const char *keys[] = {"speeds"};
  const double *cols[] = {a->series.speed_mps};
  compared c =
      compare_snapshot(a, "togeojson/apple_watch_route.gpx", keys, cols, 1);
  CHECK_EQ_INT(c.rows, 44);
  CHECK_TRUE(!isnan(a->summary.max_speed_mps));
  gk_activity_free(a);
}

static void test_sample_tcx(void) {
  loaded l;
  gk_activity *a = load("togeojson/sample.tcx", &l);
  if (a == NULL) return;
  const char *keys[] = {"speeds", "watts"};
  const double *cols[] = {a->series.speed_mps, a->series.power_w};
  compared c = compare_snapshot(a, "togeojson/sample.tcx", keys, cols, 2);
  CHECK_EQ_INT(c.points, 17);
  CHECK_EQ_INT(c.rows, 17);
  CHECK_EQ_INT(l.stats.points, 19);
  CHECK_EQ_INT(a->stats.empty, 2); /* the two Time-only Trackpoints */
  CHECK_EQ_INT(a->series.n, 17);
  CHECK_EQ_INT(l.stats.tracks, 3);
  CHECK_STR(a->sport, "running");
  CHECK_STR(a->source.product_name, "Forerunner305");
  CHECK_EQ_INT(a->source.serial, 3332601296u);
  CHECK_EQ_INT(a->start_time, 1186454561); /* 2007-08-07T02:42:41Z */
  if (CHECK_EQ_INT(a->n_laps, 1)) {
    CHECK_NEAR(a->laps[0].timer_s, 2325.02, 1e-9);
    CHECK_NEAR(a->laps[0].distance_m, 8348.5039063, 1e-9);
  }
  /* the lap's figures are the summary (the file holds a cut track) */
  CHECK_NEAR(a->summary.distance_m, 8348.5039063, 1e-9);
  CHECK_NEAR(a->summary.timer_s, 2325.02, 1e-9);
  CHECK_NEAR(a->summary.max_speed_mps, 18.6828499, 1e-9);
  CHECK_NEAR(a->summary.calories, 285, 0);
  CHECK_EQ_INT(a->flags, GK_ACT_DEVICE_SUMMARY);
  gk_activity_free(a);
}

static void test_garmin_connect_tcx(void) {
  loaded l;
  gk_activity *a = load("togeojson/garmin_connect.tcx", &l);
  if (a == NULL) return;
  const char *keys[] = {"cadences", "speeds", "watts"};
  const double *cols[] = {a->series.cadence_rpm, a->series.speed_mps,
                          a->series.power_w};
  compared c =
      compare_snapshot(a, "togeojson/garmin_connect.tcx", keys, cols, 3);
  CHECK_EQ_INT(c.points, 316);
  CHECK_EQ_INT(c.rows, 316);
  CHECK_EQ_INT(l.stats.points, 317);
  CHECK_EQ_INT(a->series.n, 317); /* one without a position */
  CHECK_STR(a->sport, "cycling"); /* Biking */
  CHECK_STR(a->source.product_name, "Edge 520");
  CHECK_TRUE(isnan(a->series.cadence_spm[0])); /* not on foot */
  CHECK_NEAR(a->summary.distance_m, 1691.68, 1e-9);
  CHECK_NEAR(a->summary.timer_s, 4352, 0);
  CHECK_NEAR(a->summary.avg_speed_mps, 5.427000045776367, 1e-12); /* LX */
  CHECK_NEAR(a->summary.avg_power_w, 178, 0);                     /* LX */
  CHECK_NEAR(a->summary.avg_cadence_rpm, 106, 0);
  CHECK_TRUE(isnan(a->summary.avg_cadence_spm));
  gk_activity_free(a);
}

/* Fitbit: two laps that repeat each other, positions "no" and "undefined". */
static void test_bad_tcx(void) {
  loaded l;
  gk_activity *a = load("togeojson/bad.tcx", &l);
  if (a == NULL) return;
  compared c = compare_snapshot(a, "togeojson/bad.tcx", NULL, NULL, 0);
  CHECK_EQ_INT(c.points, 2);
  CHECK_EQ_INT(c.rows, 2);
  CHECK_EQ_INT(l.stats.bad_positions, 2);
  CHECK_EQ_INT(a->series.n, 4); /* the unpositioned points keep HR, ... */
  CHECK_EQ_INT(a->flags, GK_ACT_TIME_BACKWARDS | GK_ACT_DEVICE_SUMMARY);
  CHECK_EQ_INT(a->n_laps, 2);
  CHECK_STR(a->sport, "cycling");
  CHECK_STR(a->source.product_name, "Fitbit Versa");
  /* the laps, summed, as the device wrote them */
  CHECK_NEAR(a->summary.distance_m, 2 * 6839.970000000001, 1e-6);
  CHECK_NEAR(a->summary.timer_s, 4566, 0);
  CHECK_NEAR(a->series.time_s[0], 947, 0); /* after the lap's StartTime */
  gk_activity_free(a);
}

static void test_gpx_edge_cases(void) {
  loaded l;
  /* bad.gpx: two points with lat/lon "undefined" and nothing else: no
     sample; the route and waypoints are not read */
  gk_activity *a = load("togeojson/bad.gpx", &l);
  if (a) {
    CHECK_EQ_INT(a->series.n, 0);
    CHECK_EQ_INT(l.stats.points, 2);
    CHECK_EQ_INT(l.stats.bad_positions, 2);
    CHECK_EQ_INT(a->stats.empty, 2);
    CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
    gk_activity_free(a);
  }
  a = load("togeojson/empty_trk.gpx", &l);
  if (a) {
    CHECK_EQ_INT(a->series.n, 0);
    CHECK_EQ_INT(l.stats.tracks, 1);
    CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
    CHECK_TRUE(isnan(a->summary.distance_m));
    gk_activity_free(a);
  }
  /* empty_ele.gpx: <ele></ele> is absent, not bad; two points at the same
     time and place: one sample */
  a = load("togeojson/empty_ele.gpx", &l);
  if (a) {
    compare_snapshot(a, "togeojson/empty_ele.gpx", NULL, NULL, 0);
    CHECK_EQ_INT(a->series.n, 1);
    CHECK_EQ_INT(a->stats.merged, 1);
    CHECK_EQ_INT(l.stats.bad_values, 0);
    CHECK_TRUE(isnan(a->series.altitude_m[0]));
    gk_activity_free(a);
  }
}

/* ---- gpxpy -----------------------------------------------------------------
 */

static void test_gpxpy(void) {
  loaded l;
  /* 296 points in 8 tracks, 5 of them (the last track) timed: read as a
     file without times, every point kept (gpxpy: has_times() is False) */
  gk_activity *a = load("gpxpy/cerknicko-without-times.gpx", &l);
  if (a) {
    CHECK_EQ_INT(a->series.n, 296);
    CHECK_EQ_INT(l.stats.ignored_times, 5);
    CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
    for (size_t i = 0; i < a->series.n; i++)
      if (!CHECK_TRUE(isnan(a->series.time_s[i]))) break;
    CHECK_TRUE(isnan(a->summary.elapsed_s));
    CHECK_TRUE(isnan(a->summary.timer_s));
    CHECK_TRUE(a->summary.distance_m > 1000);
    gk_activity_free(a);
  }
  a = load("gpxpy/track-with-less-sec-time.gpx", &l);
  if (a) {
    CHECK_STR(a->sport, "running");          /* <type>run</type> */
    CHECK_EQ_INT(a->start_time, 1449844993); /* 15:43:13+01:00 */
    if (CHECK_EQ_INT(a->series.n, 2))
      CHECK_NEAR(a->series.time_s[1], 0.994, 1e-9);
    CHECK_NEAR(a->summary.elapsed_s, 0.994, 1e-9);
    gk_activity_free(a);
  }
  a = load("gpxpy/track-with-extremes.gpx", &l);
  if (a) {
    CHECK_EQ_INT(a->series.n, 25);
    CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
    gk_activity_free(a);
  }
  a = load("gpxpy/track_with_speed.gpx", &l);
  if (a) {
    if (CHECK_EQ_INT(a->series.n, 3))
      CHECK_NEAR(a->series.speed_mps[2], 3.2, 0);
    gk_activity_free(a);
  }
  a = load("gpxpy/track-with-empty-segment.gpx", &l);
  if (a) {
    CHECK_EQ_INT(a->series.n, 9);
    gk_activity_free(a);
  }
  /* byte-order marks: read, sniffed; waypoints only, so no sample */
  static const char *bom[] = {"gpxpy/unicode_with_bom.gpx",
                              "gpxpy/unicode_with_bom_noencoding.gpx"};
  for (size_t i = 0; i < 2; i++) {
    a = load(bom[i], &l);
    if (a == NULL) continue;
    CHECK_EQ_INT(l.format, GK_FORMAT_GPX);
    CHECK_EQ_INT(a->series.n, 0);
    gk_activity_free(a);
  }
  /* every gpxpy file reads */
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/gpx_tcx/gpxpy", GK_SHARED_DATA);
  DIR *dp = opendir(dir);
  if (!CHECK_TRUE(dp != NULL)) return;
  size_t files = 0;
  for (struct dirent *e; (e = readdir(dp)) != NULL;) {
    if (strstr(e->d_name, ".gpx") == NULL) continue;
    char rel[512];
    snprintf(rel, sizeof rel, "gpxpy/%s", e->d_name);
    a = load(rel, &l);
    if (a) CHECK_EQ_INT(l.format, GK_FORMAT_GPX);
    gk_activity_free(a);
    files++;
  }
  closedir(dp);
  CHECK_EQ_INT(files, 12);
}

/* ---- the same race as TCX and FIT
 * --------------------------------------------- */

static void test_goldencheetah_10k(void) {
  loaded l;
  gk_activity *t = load("goldencheetah/10kUNLP2014-Garmin15.tcx", &l);
  char path[1024];
  snprintf(path, sizeof path, "%s/fit/goldencheetah/10kUNLP2014-Garmin15.fit",
           GK_SHARED_DATA);
  size_t len;
  char *buf = test_read_file(path, &len);
  gk_activity *f = NULL;
  if (CHECK_TRUE(buf != NULL)) {
    gk_err err;
    CHECK_EQ_INT(gk_fit_read_activity(buf, len, 0, &f, &err), GK_OK);
    CHECK_EQ_INT(gk_sniff_format(buf, len), GK_FORMAT_FIT);
  }
  free(buf);
  if (t == NULL || f == NULL) goto out;

  /* the figures both files give */
  const gk_activity *both[2] = {t, f};
  for (int k = 0; k < 2; k++) {
    const gk_activity *a = both[k];
    CHECK_STR(a->sport, "running");
    CHECK_EQ_INT(a->start_time, 1413050925); /* 2014-10-11T18:08:45Z */
    CHECK_NEAR(a->summary.distance_m, 10010.82, 1.0);
    CHECK_NEAR(a->summary.elapsed_s, 2223.803, 1.0);
    CHECK_NEAR(a->summary.timer_s, 2223.803, 1.0);
    CHECK_EQ_INT(a->series.n, 686);
    CHECK_EQ_INT(a->n_laps, 11);
    if (a->n_laps > 0) CHECK_NEAR(a->laps[0].timer_s, 212.152, 1e-9);
    CHECK_EQ_INT(a->source.serial, 3885435205u);
  }
  /* TCX: the device's timer is the laps' sum; elapsed from the samples */
  CHECK_NEAR(t->summary.timer_s, 2223.803, 1e-9);
  CHECK_NEAR(t->summary.distance_m, 10010.82, 1e-6);
  CHECK_NEAR(t->summary.elapsed_s, 2224, 0);
  /* lap by lap */
  for (size_t i = 0; i < 11 && i < t->n_laps && i < f->n_laps; i++) {
    CHECK_NEAR(t->laps[i].start_s, f->laps[i].start_s, 1e-9);
    CHECK_NEAR(t->laps[i].timer_s, f->laps[i].timer_s, 1e-9);
    CHECK_NEAR(t->laps[i].distance_m, f->laps[i].distance_m, 0.01);
    CHECK_NEAR(t->laps[i].avg_speed_mps, f->laps[i].avg_speed_mps, 0.001);
  }
  /* sample by sample */
  size_t bad = 0;
  for (size_t i = 0; i < t->series.n && i < f->series.n; i++) {
    const gk_series *a = &t->series, *b = &f->series;
    if (!(a->time_s[i] == b->time_s[i] &&
          fabs(a->lat_deg[i] - b->lat_deg[i]) < 1e-6 &&
          fabs(a->lon_deg[i] - b->lon_deg[i]) < 1e-6 &&
          fabs(a->distance_m[i] - b->distance_m[i]) < 0.01 &&
          same_or_both_nan(a->speed_mps[i], b->speed_mps[i], 0.001)) &&
        bad++ < 5)
      fprintf(stderr,
              "  row %zu: tcx t=%g %.7f,%.7f d=%.2f v=%g; fit t=%g "
              "%.7f,%.7f d=%.2f v=%g\n",
              i, a->time_s[i], a->lat_deg[i], a->lon_deg[i], a->distance_m[i],
              a->speed_mps[i], b->time_s[i], b->lat_deg[i], b->lon_deg[i],
              b->distance_m[i], b->speed_mps[i]);
  }
  CHECK_EQ_INT(bad, 0);
out:
  gk_activity_free(t);
  gk_activity_free(f);
}

int main(void) {
  if (!test_shared_data_present(GK_SHARED_DATA "/gpx_tcx")) return 0;
  RUN(test_run_gpx);
  RUN(test_run_gpxtpx);
  RUN(test_friday_evening_run);
  RUN(test_strava_gpx);
  RUN(test_missing_hr);
  RUN(test_apple_watch_route);
  RUN(test_sample_tcx);
  RUN(test_garmin_connect_tcx);
  RUN(test_bad_tcx);
  RUN(test_gpx_edge_cases);
  RUN(test_gpxpy);
  RUN(test_goldencheetah_10k);
  return TEST_SUMMARY();
}
