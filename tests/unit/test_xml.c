/*
** test_xml.c -- the GPX and TCX readers, the format sniffer and
** gk_read_activity, on small documents built here.
**
** Every document read by read_doc() is also fed one byte at a time and in
** chunks of 7 and 61 bytes through the streaming reader; all four must give
** the same status, error and activity (compared field by field, doubles
** bit for bit).
*/
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/xml/xml_internal.h"
#include "gaitkeeper/fit.h"
#include "gaitkeeper/formats.h"
#include "gaitkeeper/xml_activity.h"
#include "test.h"

/* ---- helpers ------------------------------------------------------------ */

static int same_double(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

static int same_summary(const gk_summary *a, const gk_summary *b) {
#define CMP(ID, name) \
  if (!same_double(a->name, b->name)) return 0;
  GK_SUMMARY_FIELDS(CMP)
#undef CMP
  return a->computed == b->computed;
}

/* Two activities are the same, value for value. */
static int same_activity(const gk_activity *a, const gk_activity *b) {
  if (!CHECK_TRUE(a != NULL && b != NULL)) return 0;
  int ok = 1;
  ok &= CHECK_STR(a->sport, b->sport);
  ok &= CHECK_STR(a->sub_sport, b->sub_sport);
  ok &= CHECK_EQ_INT(a->start_time, b->start_time);
  ok &= CHECK_EQ_INT(a->flags, b->flags);
  ok &= CHECK_STR(a->source.format, b->source.format);
  ok &= CHECK_STR(a->source.product, b->source.product);
  ok &= CHECK_STR(a->source.product_name, b->source.product_name);
  ok &= CHECK_EQ_INT(a->source.serial, b->source.serial);
  ok &= CHECK_TRUE(memcmp(&a->stats, &b->stats, sizeof a->stats) == 0);
  ok &= CHECK_TRUE(same_summary(&a->summary, &b->summary));
  ok &= CHECK_EQ_INT(a->series.n, b->series.n);
  if (a->series.n == b->series.n) {
#define COL(name)                                              \
  for (size_t i = 0; i < a->series.n; i++)                     \
    if (!same_double(a->series.name[i], b->series.name[i])) { \
      ok &= CHECK_TRUE(!"column " #name " differs");           \
      break;                                                   \
    }
    GK_SERIES_COLUMNS(COL)
#undef COL
  }
  ok &= CHECK_EQ_INT(a->n_laps, b->n_laps);
  for (size_t i = 0; i < a->n_laps && i < b->n_laps; i++) {
    const gk_lap *x = &a->laps[i], *y = &b->laps[i];
    ok &= CHECK_TRUE(same_double(x->start_s, y->start_s) &&
                     same_double(x->elapsed_s, y->elapsed_s) &&
                     same_double(x->timer_s, y->timer_s) &&
                     same_double(x->distance_m, y->distance_m) &&
                     same_double(x->avg_hr, y->avg_hr) &&
                     same_double(x->max_hr, y->max_hr) &&
                     same_double(x->avg_cadence_spm, y->avg_cadence_spm) &&
                     same_double(x->avg_cadence_rpm, y->avg_cadence_rpm) &&
                     same_double(x->avg_speed_mps, y->avg_speed_mps) &&
                     x->session == y->session);
  }
  ok &= CHECK_EQ_INT(a->n_sessions, b->n_sessions);
  for (size_t i = 0; i < a->n_sessions && i < b->n_sessions; i++) {
    const gk_session *x = &a->sessions[i], *y = &b->sessions[i];
    ok &= CHECK_STR(x->sport, y->sport);
    ok &= CHECK_TRUE(same_double(x->start_s, y->start_s) &&
                     x->on_foot == y->on_foot &&
                     x->first_lap == y->first_lap && x->n_laps == y->n_laps &&
                     x->first_sample == y->first_sample &&
                     x->n_samples == y->n_samples &&
                     same_summary(&x->summary, &y->summary));
  }
  return ok;
}

typedef struct result {
  gk_status st;
  gk_err err;
  gk_xml_stats stats;
  gk_activity *a;
} result;

/* Stream doc through the internal reader in chunks of chunk bytes (each
   chunk its own heap copy, freed at once, so ASan sees a reader that keeps
   a pointer into the caller's buffer). */
static void stream(gk_format f, const char *doc, size_t len, unsigned opts,
                   size_t chunk, result *out) {
  memset(out, 0, sizeof *out);
  gk__xml_reader *r;
  if (!CHECK_EQ_INT(gk__xml_reader_new(&r, f, opts), GK_OK)) return;
  for (size_t pos = 0; pos < len; pos += chunk) {
    size_t n = len - pos < chunk ? len - pos : chunk;
    char *piece = (char *)malloc(n);
    if (piece == NULL) abort();
    memcpy(piece, doc + pos, n);
    gk_status st = gk__xml_reader_feed(r, piece, n);
    free(piece);
    if (st != GK_OK) break;
  }
  out->st = gk__xml_reader_finish(r, &out->a, &out->stats, &out->err);
}

static void same_result(const result *whole, const result *part,
                        size_t chunk) {
  if (!CHECK_EQ_INT(part->st, whole->st)) {
    fprintf(stderr, "  (chunks of %zu bytes)\n", chunk);
    return;
  }
  CHECK_TRUE(memcmp(&part->stats, &whole->stats, sizeof part->stats) == 0);
  if (whole->st != GK_OK || (whole->a && (whole->a->flags & GK_ACT_PARTIAL))) {
    CHECK_STR(part->err.msg, whole->err.msg);
    CHECK_EQ_INT(part->err.offset, whole->err.offset);
    CHECK_EQ_INT(part->err.line, whole->err.line);
    CHECK_EQ_INT(part->err.col, whole->err.col);
  }
  if (whole->st == GK_OK && !same_activity(part->a, whole->a))
    fprintf(stderr, "  (chunks of %zu bytes)\n", chunk);
}

/* Read doc whole (public API), then streamed three ways; the streamed
   results must match.  The caller frees out->a. */
static void read_doc_opts(gk_format f, const char *doc, unsigned opts,
                          result *out) {
  size_t len = strlen(doc);
  memset(out, 0, sizeof *out);
  out->st = gk_xml_read_activity(f, doc, len, opts, &out->a, &out->stats,
                                 &out->err);
  if (out->st == GK_OK) {
    CHECK_EQ_INT(out->a->source.content_hash, gk_fnv1a64(doc, len));
  } else {
    CHECK_TRUE(out->a == NULL);
    CHECK_EQ_INT(out->err.code, out->st);
    CHECK_TRUE(out->err.msg != NULL);
  }
  static const size_t chunks[] = {1, 7, 61};
  for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
    result part;
    stream(f, doc, len, opts, chunks[k], &part);
    if (part.a && out->a)
      part.a->source.content_hash = out->a->source.content_hash;
    same_result(out, &part, chunks[k]);
    gk_activity_free(part.a);
  }
}

static void read_doc(gk_format f, const char *doc, result *out) {
  read_doc_opts(f, doc, 0, out);
}

static gk_activity *read_ok(gk_format f, const char *doc, result *out) {
  read_doc(f, doc, out);
  if (!CHECK_EQ_INT(out->st, GK_OK)) {
    fprintf(stderr, "  error: %s at %u:%u\n", out->err.msg ? out->err.msg : "",
            out->err.line, out->err.col);
    return NULL;
  }
  return out->a;
}

#define GPX_HEAD                                                  \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                 \
  "<gpx version=\"1.1\" creator=\"test\" "                        \
  "xmlns=\"http://www.topografix.com/GPX/1/1\" "                  \
  "xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/"              \
  "TrackPointExtension/v1\">\n"
#define TCX_HEAD                                                       \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                      \
  "<TrainingCenterDatabase "                                           \
  "xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" " \
  "xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n"

/* Great-circle distance, as FORMATS.md specifies it. */
static double haversine(double lat1, double lon1, double lat2, double lon2) {
  const double r = 6371008.8, k = 3.14159265358979323846 / 180.0;
  double a = sin((lat2 - lat1) * k / 2), b = sin((lon2 - lon1) * k / 2);
  double h = a * a + cos(lat1 * k) * cos(lat2 * k) * b * b;
  return 2 * r * asin(sqrt(h));
}

/* ---- parsing helpers ----------------------------------------------------- */

static void test_parse_double(void) {
  static const struct {
    const char *s;
    double v;
  } ok[] = {
      {"1", 1.0},
      {"-77.02016168273985", -77.02016168273985},
      {"38.927609380334616", 38.927609380334616},
      {"  3.25\n", 3.25},
      {"+4", 4.0},
      {".5", 0.5},
      {"5.", 5.0},
      {"1e3", 1000.0},
      {"1.5E-2", 0.015},
      {"0.000000000000000000000000001234", 1.234e-27},
      {"123456789012345678901234567890", 1.2345678901234568e29},
      {"-0", 0.0},
      {"6839.970000000001", 6839.970000000001},
      {"0.11999999731779099", 0.11999999731779099},
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    double v = NAN;
    CHECK_TRUE(gk__xml_parse_double(ok[i].s, strlen(ok[i].s), &v));
    CHECK_NEAR(v, ok[i].v, fabs(ok[i].v) * 1e-16);
  }
  /* exactly what strtod gives in the C locale for typical coordinates */
  CHECK_TRUE(gk__xml_parse_double("-122.4896709", 12, &(double){0}));
  double v;
  gk__xml_parse_double("-122.4896709", 12, &v);
  CHECK_TRUE(v == -122.4896709);
  static const char *bad[] = {"",   " ",    "abc", "1,5", "nan",  "inf",
                              "1e", "--1",  "0x10", "1e400", "1.2.3", "+",
                              ".",  "1 2", "undefined", "-"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (!CHECK_TRUE(!gk__xml_parse_double(bad[i], strlen(bad[i]), &v)))
      fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s) {
  /* days from civil, independently: count days year by year */
  int64_t days = 0;
  for (int yy = 1970; yy < y; yy++)
    days += (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 ? 366 : 365;
  for (int yy = y; yy < 1970; yy++)
    days -= (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 ? 366 : 365;
  static const int cum[12] = {0,   31,  59,  90,  120, 151,
                              181, 212, 243, 273, 304, 334};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  days += cum[mo - 1] + (leap && mo > 2) + d - 1;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

static void test_parse_time(void) {
  static const struct {
    const char *s;
    int64_t sec;
    double frac;
  } ok[] = {
      {"2012-10-24T23:29:40.000Z", 0, 0.0},
      {"2015-12-11T15:43:13.994+01:00", 0, 0.994},
      {"2015-12-11T15:43:13+0100", 0, 0.0},
      {"2015-12-11T15:43:13+01", 0, 0.0},
      {"2015-12-11T09:13:13-05:30", 0, 0.0},
      {"2015-12-11 14:43:13z", 0, 0.0},
      {"2015-12-11t14:43:13,5", 0, 0.5},
      {"  2015-12-11T14:43:13Z  ", 0, 0.0},
      {"2015-12-11T14:43Z", 0, 0.0},
      {"2016-02-29T00:00:00Z", 0, 0.0},
      {"1969-12-31T23:59:59Z", 0, 0.0},
      {"2016-12-31T23:59:60Z", 0, 0.0},
      {"2019-12-15T20:19:55.123456789123Z", 0, 0.123456789},
  };
  int64_t expect[sizeof ok / sizeof ok[0]] = {
      utc(2012, 10, 24, 23, 29, 40), utc(2015, 12, 11, 14, 43, 13),
      utc(2015, 12, 11, 14, 43, 13), utc(2015, 12, 11, 14, 43, 13),
      utc(2015, 12, 11, 14, 43, 13), utc(2015, 12, 11, 14, 43, 13),
      utc(2015, 12, 11, 14, 43, 13), utc(2015, 12, 11, 14, 43, 13),
      utc(2015, 12, 11, 14, 43, 0),  utc(2016, 2, 29, 0, 0, 0),
      -1,                            utc(2017, 1, 1, 0, 0, 0),
      utc(2019, 12, 15, 20, 19, 55)};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    int64_t sec = 0;
    double frac = -1;
    if (!CHECK_TRUE(gk__xml_parse_time(ok[i].s, strlen(ok[i].s), &sec, &frac)))
      fprintf(stderr, "  rejected \"%s\"\n", ok[i].s);
    CHECK_EQ_INT(sec, expect[i]);
    CHECK_NEAR(frac, ok[i].frac, 1e-12);
  }
  static const char *bad[] = {
      "",
      "2015-12-11",
      "2015-13-11T00:00:00Z",
      "2015-02-29T00:00:00Z",
      "2015-12-11T24:00:00Z",
      "2015-12-11T23:60:00Z",
      "2015-12-11T23:00:61Z",
      "2015-12-11T23:00:00.Z",
      "2015-12-11T23:00:00+2400",
      "2015-12-11T23:00:00Zjunk",
      "15-12-11T23:00:00Z",
      "2015/12/11T23:00:00Z",
      "Aug  6 2007, 20:16:30",
      "2015-12-11T23:00:00+01:0",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t sec;
    double frac;
    if (!CHECK_TRUE(!gk__xml_parse_time(bad[i], strlen(bad[i]), &sec, &frac)))
      fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
  }
}

static void test_sport_names(void) {
  static const struct {
    const char *in, *sport, *sub;
  } cases[] = {
      {"running", "running", ""},     {" Running ", "running", ""},
      {"run", "running", ""},         {"9", "running", ""},
      {"TrailRun", "running", "trail"},
      {"trail-running", "running", "trail"},
      {"VirtualRun", "running", "virtual_activity"},
      {"Biking", "cycling", ""},      {"Ride", "cycling", ""},
      {"Walk", "walking", ""},        {"hiking", "hiking", ""},
      {"Other", "", ""},              {"", "", ""},
      {"example type", "example_type", ""},
      {"Car", "car", ""},             {"1", "1", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char sport[GK_NAME_MAX], sub[GK_NAME_MAX];
    gk__xml_sport(cases[i].in, strlen(cases[i].in), sport, sub);
    CHECK_STR(sport, cases[i].sport);
    CHECK_STR(sub, cases[i].sub);
  }
  /* long and non-ASCII names stay within the buffer */
  char sport[GK_NAME_MAX], sub[GK_NAME_MAX];
  const char *l = "L\xc3\xa4ufen-und-noch-viel-mehr-als-achtundvierzig-Zeichen";
  gk__xml_sport(l, strlen(l), sport, sub);
  CHECK_TRUE(strlen(sport) == GK_NAME_MAX - 1);
  CHECK_TRUE(strncmp(sport, "l_ufen_und", 10) == 0);
}

/* ---- GPX ----------------------------------------------------------------- */

static void test_gpx_basic(void) {
  const char *doc =
      GPX_HEAD
      "<metadata><time>2012-10-24T23:22:51Z</time></metadata>\n"
      "<trk><name>x</name><type>running</type><trkseg>\n"
      "<trkpt lat=\"38.9\" lon=\"-77.02\"><ele>25.5</ele>"
      "<time>2012-10-24T23:29:40Z</time><extensions>"
      "<gpxtpx:TrackPointExtension><gpxtpx:hr>130</gpxtpx:hr>"
      "<gpxtpx:cad>85</gpxtpx:cad></gpxtpx:TrackPointExtension>"
      "</extensions></trkpt>\n"
      "<trkpt lat=\"38.9001\" lon=\"-77.02\"><ele>26</ele>"
      "<time>2012-10-24T23:29:45Z</time><extensions>"
      "<gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>"
      "<gpxtpx:cad>90</gpxtpx:cad></gpxtpx:TrackPointExtension>"
      "</extensions></trkpt>\n"
      "</trkseg></trk></gpx>\n";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_STR(a->source.format, "gpx");
  CHECK_STR(a->source.product_name, "test");
  CHECK_STR(a->sport, "running");
  CHECK_EQ_INT(a->start_time, utc(2012, 10, 24, 23, 29, 40));
  CHECK_EQ_INT(a->flags, 0);
  CHECK_EQ_INT(a->n_laps, 0);
  CHECK_EQ_INT(a->n_sessions, 0);
  CHECK_EQ_INT(res.stats.points, 2);
  CHECK_EQ_INT(res.stats.tracks, 1);
  const gk_series *s = &a->series;
  if (!CHECK_EQ_INT(s->n, 2)) goto out;
  CHECK_NEAR(s->time_s[0], 0, 0);
  CHECK_NEAR(s->time_s[1], 5, 0);
  CHECK_NEAR(s->lat_deg[1], 38.9001, 0);
  CHECK_NEAR(s->lon_deg[1], -77.02, 0);
  CHECK_NEAR(s->altitude_m[0], 25.5, 0);
  CHECK_NEAR(s->hr_bpm[1], 140, 0);
  CHECK_NEAR(s->cadence_rpm[0], 85, 0); /* strides/min, as recorded */
  CHECK_NEAR(s->cadence_spm[0], 170, 0); /* running: steps/min */
  CHECK_NEAR(s->distance_m[0], 0, 0);
  double d = haversine(38.9, -77.02, 38.9001, -77.02);
  CHECK_NEAR(s->distance_m[1], d, 1e-9);
  CHECK_TRUE(isnan(s->speed_mps[0]));
  CHECK_TRUE(isnan(s->power_w[0]));
  /* summary: computed from the samples */
  CHECK_NEAR(a->summary.distance_m, d, 1e-9);
  CHECK_NEAR(a->summary.elapsed_s, 5, 0);
  CHECK_NEAR(a->summary.timer_s, 5, 0);
  CHECK_NEAR(a->summary.moving_s, 5, 0); /* 11 m in 5 s: moving */
  CHECK_NEAR(a->summary.avg_hr, 140, 0); /* time-weighted: first weighs 0 */
  CHECK_NEAR(a->summary.max_hr, 140, 0);
  CHECK_NEAR(a->summary.avg_cadence_spm, 180, 0);
  CHECK_NEAR(a->summary.total_steps, 15, 0);
  CHECK_TRUE(a->summary.computed & (1u << GK_SUM_DISTANCE_M));
out:
  gk_activity_free(a);
}

/* Every spelling of HR, cadence, power and speed a file may use. */
static void test_gpx_extension_forms(void) {
  const char *doc =
      "<gpx version=\"1.1\" xmlns=\"http://www.topografix.com/GPX/1/1\" "
      "xmlns:ns3=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\" "
      "xmlns:tpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v2\" "
      "xmlns:pwr=\"http://www.garmin.com/xmlschemas/PowerExtension/v1\" "
      "xmlns:gpxdata=\"http://www.cluetrust.com/XML/GPXDATA/1/0\">"
      "<trk><trkseg>"
      /* 0: ns3 prefix */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:00Z</time>"
      "<extensions><ns3:TrackPointExtension><ns3:hr>101</ns3:hr>"
      "<ns3:cad>81</ns3:cad></ns3:TrackPointExtension></extensions></trkpt>"
      /* 1: default namespace on the extension element */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:01Z</time>"
      "<extensions><TrackPointExtension xmlns=\"http://www.garmin.com/"
      "xmlschemas/TrackPointExtension/v1\"><hr>102</hr><cad>82</cad>"
      "</TrackPointExtension></extensions></trkpt>"
      /* 2: bare elements (Strava's power, Apple's speed) */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:02Z</time>"
      "<extensions><hr>103</hr><cadence>83</cadence><power>203</power>"
      "<speed>3.5</speed><course>10</course></extensions></trkpt>"
      /* 3: TrackPointExtension v2 with speed, PowerExtension */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:03Z</time>"
      "<extensions><tpx:TrackPointExtension><tpx:hr>104</tpx:hr>"
      "<tpx:speed>3.6</tpx:speed></tpx:TrackPointExtension>"
      "<pwr:PowerInWatts>204</pwr:PowerInWatts></extensions></trkpt>"
      /* 4: cluetrust gpxdata, and an undeclared prefix */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:04Z</time>"
      "<extensions><gpxdata:hr>105</gpxdata:hr>"
      "<gpxdata:cadence>85</gpxdata:cadence>"
      "<undeclared:Watts>205</undeclared:Watts></extensions></trkpt>"
      /* 5: Apple Watch style: two extensions blocks, PowerInWatts in a
         TrackPointExtension-prefixed PowerExtension */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:05Z</time>"
      "<extensions><ns3:TrackPointExtension><ns3:heartrate>106</ns3:heartrate>"
      "</ns3:TrackPointExtension></extensions><extensions>"
      "<ns3:PowerExtension><ns3:PowerInWatts>206</ns3:PowerInWatts>"
      "</ns3:PowerExtension></extensions></trkpt>"
      /* 6: GPX 1.0 speed directly in the point; a CDATA value */
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:06Z</time>"
      "<speed>3.7</speed><extensions><hr><![CDATA[107]]></hr></extensions>"
      "</trkpt>"
      "</trkseg></trk></gpx>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  const gk_series *s = &a->series;
  if (!CHECK_EQ_INT(s->n, 7)) goto out;
  for (size_t i = 0; i < 7; i++) CHECK_NEAR(s->hr_bpm[i], 101 + i, 0);
  CHECK_NEAR(s->cadence_rpm[0], 81, 0);
  CHECK_NEAR(s->cadence_rpm[1], 82, 0);
  CHECK_NEAR(s->cadence_rpm[2], 83, 0);
  CHECK_NEAR(s->cadence_rpm[4], 85, 0);
  CHECK_TRUE(isnan(s->cadence_spm[0])); /* no sport: not on foot */
  CHECK_NEAR(s->power_w[2], 203, 0);
  CHECK_NEAR(s->power_w[3], 204, 0);
  CHECK_NEAR(s->power_w[4], 205, 0);
  CHECK_NEAR(s->power_w[5], 206, 0);
  CHECK_NEAR(s->speed_mps[2], 3.5, 0);
  CHECK_NEAR(s->speed_mps[3], 3.6, 0);
  CHECK_NEAR(s->speed_mps[6], 3.7, 0);
  CHECK_EQ_INT(res.stats.bad_values, 0);
  CHECK_STR(a->sport, "");
out:
  gk_activity_free(a);

  /* an unknown sport is on foot with GK_XML_UNKNOWN_ON_FOOT */
  read_doc_opts(GK_FORMAT_GPX, doc, GK_XML_UNKNOWN_ON_FOOT, &res);
  if (CHECK_EQ_INT(res.st, GK_OK)) {
    CHECK_NEAR(res.a->series.cadence_spm[0], 162, 0);
    CHECK_TRUE(!isnan(res.a->summary.avg_cadence_spm));
  }
  gk_activity_free(res.a);
}

static void test_gpx10_and_bom(void) {
  /* GPX 1.0, a UTF-8 BOM, blank lines and spaces before the declaration,
     CRLF line ends, a comment and a DOCTYPE without entities */
  const char *doc =
      "\xEF\xBB\xBF\r\n\r\n   <?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
      "<!-- exported -->\r\n<!DOCTYPE gpx>\r\n"
      "<gpx version=\"1.0\" creator=\"GPSBabel\" "
      "xmlns=\"http://www.topografix.com/GPX/1/0\">\r\n"
      "<trk><type>Run</type><trkseg>\r\n"
      "<trkpt lat=\"52.330848\" lon=\"5.541371\"><ele>48.9</ele>"
      "<time>2009-03-02T14:05:52Z</time><speed>1.2</speed></trkpt>\r\n"
      "<trkpt lat=\"52.330951\" lon=\"5.541344\"><ele>58.1</ele>"
      "<time>2009-03-02T14:05:58Z</time><speed>2.2</speed></trkpt>\r\n"
      "</trkseg></trk></gpx>\r\n";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_STR(a->sport, "running");
  CHECK_STR(a->source.product_name, "GPSBabel");
  if (CHECK_EQ_INT(a->series.n, 2)) {
    CHECK_NEAR(a->series.speed_mps[1], 2.2, 0);
    CHECK_NEAR(a->summary.max_speed_mps, 2.2, 0);
  }
  CHECK_EQ_INT(gk_sniff_format(doc, strlen(doc)), GK_FORMAT_GPX);
  gk_activity_free(a);

  /* an error after the skipped prolog: line and column count it */
  const char *bad = "\xEF\xBB\xBF\n\n  <gpx>\n <trk>\n  </trkx>\n</gpx>";
  read_doc(GK_FORMAT_GPX, bad, &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  CHECK_EQ_INT(res.err.line, 5);
  CHECK_EQ_INT(res.err.col, 5);
  CHECK_EQ_INT(res.err.offset, (uint64_t)(strstr(bad, "trkx") - bad));
  CHECK_STR(res.err.msg, "mismatched tag");
  /* and on the first line after skipped spaces */
  const char *bad1 = "  \t<gpx><trk></trkx></gpx>";
  read_doc(GK_FORMAT_GPX, bad1, &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  CHECK_EQ_INT(res.err.line, 1);
  CHECK_EQ_INT(res.err.col, 16); /* 3 skipped + 12 + "</" */
  CHECK_EQ_INT(res.err.offset, 15);
}

static void test_gpx_no_times(void) {
  const char *doc =
      GPX_HEAD
      "<trk><trkseg>"
      "<trkpt lat=\"45.0\" lon=\"14.0\"><ele>500</ele></trkpt>"
      "<trkpt lat=\"45.001\" lon=\"14.0\"><ele>510</ele></trkpt>"
      "<trkpt lat=\"45.002\" lon=\"14.0\"><ele>505</ele>"
      "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr>"
      "</gpxtpx:TrackPointExtension></extensions></trkpt>"
      "</trkseg></trk></gpx>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
  CHECK_EQ_INT(a->start_time, 0);
  if (CHECK_EQ_INT(a->series.n, 3))
    for (size_t i = 0; i < 3; i++) CHECK_TRUE(isnan(a->series.time_s[i]));
  const gk_summary *s = &a->summary;
  CHECK_NEAR(s->distance_m, haversine(45, 14, 45.002, 14), 1e-6);
  CHECK_TRUE(isnan(s->elapsed_s));
  CHECK_TRUE(isnan(s->timer_s));
  CHECK_TRUE(isnan(s->moving_s));
  CHECK_TRUE(isnan(s->avg_speed_mps));
  CHECK_TRUE(!(s->computed & (1u << GK_SUM_TIMER_S)));
  CHECK_NEAR(s->ascent_m, 10, 1e-9);
  CHECK_NEAR(s->descent_m, 5, 1e-9);
  CHECK_NEAR(s->avg_hr, 120, 0);
  gk_activity_free(a);
}

/* A few times among many untimed points are ignored; a few untimed points
   among timed ones are dropped. */
static void test_gpx_mostly_untimed(void) {
  char doc[4096];
  const char *pt_t = "<trkpt lat=\"1\" lon=\"%d\"><time>2020-01-01T00:00:%02dZ"
                     "</time></trkpt>";
  const char *pt_u = "<trkpt lat=\"1\" lon=\"%d\"/>";
  for (int timed = 1; timed <= 4; timed += 3) {
    size_t n = (size_t)snprintf(doc, sizeof doc, "<gpx><trk><trkseg>");
    for (int i = 0; i < 5; i++) {
      char pt[128];
      if (i < 5 - timed) snprintf(pt, sizeof pt, pt_u, i);
      else snprintf(pt, sizeof pt, pt_t, i, i);
      n += (size_t)snprintf(doc + n, sizeof doc - n, "%s", pt);
    }
    snprintf(doc + n, sizeof doc - n, "</trkseg></trk></gpx>");
    result res;
    gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
    if (a == NULL) return;
    if (timed == 1) {
      /* 1 of 5 timed: read as untimed, every point kept */
      CHECK_EQ_INT(a->series.n, 5);
      CHECK_EQ_INT(res.stats.ignored_times, 1);
      CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
      CHECK_TRUE(isnan(a->series.time_s[4]));
      CHECK_EQ_INT(a->stats.untimed, 0);
    } else {
      /* 4 of 5 timed: the untimed one is dropped */
      CHECK_EQ_INT(a->series.n, 4);
      CHECK_EQ_INT(res.stats.ignored_times, 0);
      CHECK_EQ_INT(a->stats.untimed, 1);
      CHECK_EQ_INT(a->flags, 0);
      CHECK_NEAR(a->series.lon_deg[0], 1, 0);
      CHECK_NEAR(a->series.time_s[0], 0, 0);
      CHECK_NEAR(a->series.time_s[3], 3, 0);
      CHECK_EQ_INT(a->start_time, utc(2020, 1, 1, 0, 0, 1));
      CHECK_NEAR(a->series.distance_m[0], 0, 0); /* from the first kept */
    }
    gk_activity_free(a);
  }
}

/* Several tracks and segments, an empty one: distances do not bridge a
   segment break. */
static void test_gpx_tracks_segments(void) {
  const char *doc =
      GPX_HEAD
      "<trk><trkseg>"
      "<trkpt lat=\"0\" lon=\"0\"><time>2020-01-01T00:00:00Z</time></trkpt>"
      "<trkpt lat=\"0\" lon=\"0.001\"><time>2020-01-01T00:00:10Z</time>"
      "</trkpt></trkseg><trkseg></trkseg><trkseg>"
      "<trkpt lat=\"1\" lon=\"0\"><time>2020-01-01T00:00:20Z</time></trkpt>"
      "<trkpt lat=\"1\" lon=\"0.001\"><time>2020-01-01T00:00:30Z</time>"
      "</trkpt></trkseg></trk>"
      "<rte><rtept lat=\"5\" lon=\"5\"><time>2020-01-01T00:00:35Z</time>"
      "</rtept></rte><wpt lat=\"6\" lon=\"6\"/>"
      "<trk><type>hiking</type><trkseg/><trkseg>"
      "<trkpt lat=\"2\" lon=\"0\"><time>2020-01-01T00:00:40Z</time></trkpt>"
      "</trkseg></trk></gpx>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(res.stats.tracks, 2);
  CHECK_EQ_INT(res.stats.points, 5); /* route and waypoint not read */
  CHECK_STR(a->sport, "hiking");      /* the first <type> */
  if (!CHECK_EQ_INT(a->series.n, 5)) goto out;
  double d1 = haversine(0, 0, 0, 0.001), d2 = haversine(1, 0, 1, 0.001);
  CHECK_NEAR(a->series.distance_m[1], d1, 1e-9);
  CHECK_NEAR(a->series.distance_m[2], d1, 1e-9); /* no bridge */
  CHECK_NEAR(a->series.distance_m[3], d1 + d2, 1e-9);
  CHECK_NEAR(a->series.distance_m[4], d1 + d2, 1e-9);
  CHECK_NEAR(a->summary.distance_m, d1 + d2, 1e-9);
  CHECK_NEAR(a->summary.elapsed_s, 40, 0);
out:
  gk_activity_free(a);
}

static void test_gpx_subsecond_and_zones(void) {
  const char *doc =
      "<gpx><trk><type>run</type><trkseg>"
      "<trkpt lat=\"57.011456\" lon=\"9.992872\">"
      "<time>2015-12-11T15:43:13.000+01:00</time></trkpt>"
      "<trkpt lat=\"57.01147\" lon=\"9.992874\">"
      "<time>2015-12-11T15:43:13.994+01:00</time></trkpt>"
      "<trkpt lat=\"57.01148\" lon=\"9.992876\">"
      "<time>2015-12-11T14:43:15.5Z</time></trkpt>"
      "<trkpt lat=\"57.01149\" lon=\"9.992878\">"
      "<time>2015-12-11T09:13:16-0530</time></trkpt>"
      "</trkseg></trk></gpx>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(a->start_time, utc(2015, 12, 11, 14, 43, 13));
  if (CHECK_EQ_INT(a->series.n, 4)) {
    CHECK_NEAR(a->series.time_s[0], 0, 0);
    CHECK_NEAR(a->series.time_s[1], 0.994, 1e-9);
    CHECK_NEAR(a->series.time_s[2], 2.5, 1e-9);
    CHECK_NEAR(a->series.time_s[3], 3, 1e-9);
  }
  CHECK_NEAR(a->summary.elapsed_s, 3, 1e-9);
  gk_activity_free(a);

  /* a start with a fraction: start_time is floored, time_s keeps it */
  const char *doc2 =
      "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\">"
      "<time>2025-05-02T15:51:15.692Z</time></trkpt></trkseg></trk></gpx>";
  a = read_ok(GK_FORMAT_GPX, doc2, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(a->start_time, utc(2025, 5, 2, 15, 51, 15));
  CHECK_NEAR(a->series.time_s[0], 0.692, 1e-6);
  gk_activity_free(a);
}

static void test_gpx_backwards_and_duplicates(void) {
  const char *doc =
      "<gpx><trk><trkseg>"
      "<trkpt lat=\"1\" lon=\"1\"><time>2020-01-01T00:00:10Z</time></trkpt>"
      /* same time: merged, gaps filled, the first values kept */
      "<trkpt lat=\"9\" lon=\"9\"><ele>100</ele><time>2020-01-01T00:00:10Z"
      "</time><extensions><hr>120</hr></extensions></trkpt>"
      /* backwards: kept in file order, flagged */
      "<trkpt lat=\"1\" lon=\"1.001\"><time>2020-01-01T00:00:05Z</time>"
      "</trkpt>"
      "<trkpt lat=\"1\" lon=\"1.002\"><time>2020-01-01T00:00:20Z</time>"
      "</trkpt>"
      /* a point with a time and nothing else: dropped */
      "<trkpt><time>2020-01-01T00:00:25Z</time></trkpt>"
      "</trkseg></trk></gpx>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(a->flags, GK_ACT_TIME_BACKWARDS);
  CHECK_EQ_INT(a->stats.records, 5);
  CHECK_EQ_INT(a->stats.merged, 1);
  CHECK_EQ_INT(a->stats.empty, 1);
  if (CHECK_EQ_INT(a->series.n, 3)) {
    CHECK_NEAR(a->series.lat_deg[0], 1, 0); /* the first position stays */
    CHECK_NEAR(a->series.altitude_m[0], 100, 0);
    CHECK_NEAR(a->series.hr_bpm[0], 120, 0);
    CHECK_NEAR(a->series.time_s[0], 0, 0);
    CHECK_NEAR(a->series.time_s[1], -5, 0);
    CHECK_NEAR(a->series.time_s[2], 10, 0);
  }
  CHECK_EQ_INT(a->start_time, utc(2020, 1, 1, 0, 0, 10));
  gk_activity_free(a);
}

static void test_gpx_bad_values(void) {
  char big[GK_XML_MAX_TEXT + 64];
  memset(big, '1', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  char doc[2 * GK_XML_MAX_TEXT];
  snprintf(doc, sizeof doc,
           "<gpx><trk><trkseg>"
           "<trkpt lat=\"91\" lon=\"10\"><time>2020-01-01T00:00:00Z</time>"
           "<ele>5</ele></trkpt>"
           "<trkpt lat=\"10\" lon=\"-180.5\"><time>2020-01-01T00:00:01Z</time>"
           "<ele>6</ele></trkpt>"
           "<trkpt lat=\"undefined\" lon=\"x\"><time>2020-01-01T00:00:02Z"
           "</time><ele>bad data</ele><extensions><hr>0</hr><cad>-5</cad>"
           "<power>abc</power></extensions></trkpt>"
           "<trkpt lat=\"10\"><time>2020-01-01T00:00:03Z</time><ele>7</ele>"
           "</trkpt>"
           "<trkpt lat=\"-90\" lon=\"180\"><time>2020-01-01T00:00:04Z</time>"
           "<ele></ele><extensions><hr>%s</hr></extensions></trkpt>"
           "<trkpt lat=\"1\" lon=\"1\"><time>yesterday</time></trkpt>"
           "</trkseg></trk></gpx>",
           big);
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(res.stats.bad_positions, 4);
  CHECK_EQ_INT(res.stats.bad_values, 5); /* bad data, 0, -5, abc, big */
  CHECK_EQ_INT(res.stats.bad_times, 1);
  /* the bad third point has nothing left: dropped; the last has no time */
  CHECK_EQ_INT(a->stats.empty, 1);
  CHECK_EQ_INT(a->stats.untimed, 1);
  if (CHECK_EQ_INT(a->series.n, 4)) {
    CHECK_TRUE(isnan(a->series.lat_deg[0]) && isnan(a->series.lon_deg[0]));
    CHECK_NEAR(a->series.altitude_m[0], 5, 0);
    CHECK_TRUE(isnan(a->series.lat_deg[1]));
    CHECK_TRUE(isnan(a->series.lat_deg[2]));
    CHECK_NEAR(a->series.lat_deg[3], -90, 0); /* the limits are valid */
    CHECK_NEAR(a->series.lon_deg[3], 180, 0);
    CHECK_TRUE(isnan(a->series.hr_bpm[3]));
  }
  gk_activity_free(a);
}

static void test_malformed(void) {
  result res;
  /* not well-formed */
  read_doc(GK_FORMAT_GPX, "<gpx>\n<trk>\n</gpx>", &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  CHECK_EQ_INT(res.err.line, 3);
  CHECK_EQ_INT(res.err.col, 3);
  read_doc(GK_FORMAT_GPX, "<gpx a=\"1\" a=\"2\"/>", &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  CHECK_STR(res.err.msg, "duplicate attribute");
  read_doc(GK_FORMAT_GPX, "<gpx>&undefined;</gpx>", &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  read_doc(GK_FORMAT_GPX, "<gpx></gpx><gpx/>", &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  CHECK_STR(res.err.msg, "junk after document element");
  read_doc(GK_FORMAT_GPX, "<gpx>\xff</gpx>", &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  /* truncated */
  const char *trunc =
      "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\">"
      "<time>2020-01-01T00:00:00Z</time></trkpt><trkpt lat=\"1\" lon=\"3\">"
      "<time>2020-01-01T00:00:01Z</time></trkpt><trkpt lat=\"1\" lon=\"4\"><ti";
  size_t cut_at = strlen(trunc) - 3; /* the final "<ti" */
  read_doc(GK_FORMAT_GPX, trunc, &res);
  CHECK_EQ_INT(res.st, GK_E_TRUNCATED);
  CHECK_EQ_INT(res.err.offset, cut_at); /* the unclosed token's start */
  CHECK_EQ_INT(res.err.col, cut_at + 1);
  CHECK_EQ_INT(res.err.line, 1);
  CHECK_STR(res.err.msg, "unclosed token");
  read_doc(GK_FORMAT_GPX, "<gpx><trk>", &res);
  CHECK_EQ_INT(res.st, GK_E_TRUNCATED);
  CHECK_STR(res.err.msg, "no element found");
  CHECK_EQ_INT(res.err.offset, 10);
  read_doc(GK_FORMAT_GPX, "", &res);
  CHECK_EQ_INT(res.st, GK_E_TRUNCATED);
  read_doc(GK_FORMAT_GPX, " \n\t ", &res);
  CHECK_EQ_INT(res.st, GK_E_TRUNCATED);
  CHECK_EQ_INT(res.err.line, 2);
  read_doc(GK_FORMAT_GPX, "\xEF\xBB", &res); /* half a BOM */
  CHECK_TRUE(res.st == GK_E_CORRUPT || res.st == GK_E_TRUNCATED);
  /* with GK_XML_PARTIAL: what came before the damage */
  read_doc_opts(GK_FORMAT_GPX, trunc, GK_XML_PARTIAL, &res);
  if (CHECK_EQ_INT(res.st, GK_OK)) {
    CHECK_EQ_INT(res.a->flags, GK_ACT_PARTIAL);
    CHECK_EQ_INT(res.a->series.n, 2); /* the cut point is not kept */
    CHECK_EQ_INT(res.err.code, GK_E_TRUNCATED);
    CHECK_EQ_INT(res.err.offset, cut_at);
    CHECK_STR(res.err.msg, "unclosed token");
  }
  gk_activity_free(res.a);
  /* ... but not without a point read */
  read_doc_opts(GK_FORMAT_GPX, "<gpx><trk>", GK_XML_PARTIAL, &res);
  CHECK_EQ_INT(res.st, GK_E_TRUNCATED);
  /* the wrong root */
  read_doc(GK_FORMAT_GPX, "<kml><Document/></kml>", &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  CHECK_EQ_INT(res.err.col, 1); /* the start tag */
  CHECK_EQ_INT(res.err.offset, 0);
  read_doc(GK_FORMAT_TCX, "<gpx/>", &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  read_doc(GK_FORMAT_GPX, TCX_HEAD "</TrainingCenterDatabase>", &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  CHECK_EQ_INT(res.err.line, 2);
  /* encodings */
  read_doc(GK_FORMAT_GPX,
           "<?xml version=\"1.0\" encoding=\"windows-1252\"?>"
           "<gpx creator=\"caf\xe9 \x80\"/>",
           &res);
  if (CHECK_EQ_INT(res.st, GK_OK))
    CHECK_STR(res.a->source.product_name, "caf\xc3\xa9 \xe2\x82\xac");
  gk_activity_free(res.a);
  read_doc(GK_FORMAT_GPX,
           "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
           "<gpx creator=\"caf\xe9\"/>",
           &res);
  if (CHECK_EQ_INT(res.st, GK_OK))
    CHECK_STR(res.a->source.product_name, "caf\xc3\xa9");
  gk_activity_free(res.a);
  read_doc(GK_FORMAT_GPX,
           "<?xml version=\"1.0\" encoding=\"x-no-such\"?><gpx/>", &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  /* UTF-16 (expat reads it itself) */
  static const char utf16[] = "\xFF\xFE<\0g\0p\0x\0/\0>\0";
  gk_activity *a = NULL;
  gk_err err;
  CHECK_EQ_INT(gk_gpx_read_activity(utf16, sizeof utf16 - 1, 0, &a, &err),
               GK_OK);
  gk_activity_free(a);
  CHECK_EQ_INT(gk_sniff_format(utf16, sizeof utf16 - 1), GK_FORMAT_GPX);
}

/* Entity declarations are refused before anything expands. */
static void test_billion_laughs(void) {
  const char *lol =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE gpx [\n"
      " <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
      " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
      " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
      " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
      " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
      " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
      " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
      " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
      "]>\n"
      "<gpx creator=\"&lol9;\"><trk><name>&lol9;</name></trk></gpx>\n";
  result res;
  read_doc(GK_FORMAT_GPX, lol, &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  CHECK_STR(res.err.msg, "entity declarations are not allowed");
  CHECK_EQ_INT(res.err.line, 3);
  /* a parameter entity, and an external one */
  read_doc(GK_FORMAT_TCX,
           "<!DOCTYPE x [<!ENTITY % p \"<!ENTITY a 'b'>\"> %p;]>"
           "<TrainingCenterDatabase/>",
           &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  read_doc(GK_FORMAT_GPX,
           "<!DOCTYPE gpx [<!ENTITY e SYSTEM \"/etc/passwd\">]><gpx>&e;</gpx>",
           &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  /* GK_XML_PARTIAL does not keep a refused document */
  read_doc_opts(GK_FORMAT_GPX, lol, GK_XML_PARTIAL, &res);
  CHECK_EQ_INT(res.st, GK_E_UNSUPPORTED);
  /* predefined entities and character references are fine */
  read_doc(GK_FORMAT_GPX, "<gpx creator=\"a&amp;b&#x41;&#66;\"/>", &res);
  if (CHECK_EQ_INT(res.st, GK_OK))
    CHECK_STR(res.a->source.product_name, "a&bAB");
  gk_activity_free(res.a);
}

static void test_depth_limit(void) {
  size_t levels = GK_XML_MAX_DEPTH + 10, cap = levels * 7 + 64, n = 0;
  char *doc = (char *)malloc(cap);
  if (doc == NULL) abort();
  n += (size_t)snprintf(doc + n, cap - n, "<gpx>");
  for (size_t i = 0; i < levels; i++)
    n += (size_t)snprintf(doc + n, cap - n, "<a>");
  for (size_t i = 0; i < levels; i++)
    n += (size_t)snprintf(doc + n, cap - n, "</a>");
  snprintf(doc + n, cap - n, "</gpx>");
  result res;
  read_doc(GK_FORMAT_GPX, doc, &res);
  CHECK_EQ_INT(res.st, GK_E_LIMIT);
  CHECK_STR(res.err.msg, "elements nested too deeply");
  CHECK_EQ_INT(res.err.offset, 5 + 3 * (GK_XML_MAX_DEPTH - 1));
  free(doc);
}

/* A document over several of the reader's 64 KiB blocks, with an error
   after the last point. */
static void test_large_document(void) {
  size_t cap = 700000, n = 0; /* 2500 points of under 250 bytes */
  char *doc = (char *)malloc(cap);
  if (doc == NULL) abort();
  n += (size_t)snprintf(doc + n, cap - n, GPX_HEAD "<trk><trkseg>\n");
  const int points = 2500;
  for (int i = 0; i < points; i++)
    n +=
        (size_t)snprintf(doc + n, cap - n,
                         "<trkpt lat=\"%.6f\" lon=\"7.0\"><ele>%d</ele>"
                         "<time>2021-06-01T%02d:%02d:%02dZ</time><extensions>"
                         "<gpxtpx:TrackPointExtension><gpxtpx:hr>%d</gpxtpx:hr>"
                         "</gpxtpx:TrackPointExtension></extensions></trkpt>\n",
                         45 + i * 1e-5, 200 + i % 7, i / 3600, i / 60 % 60,
                         i % 60, 100 + i % 50);
  size_t body = n;
  snprintf(doc + n, cap - n, "</trkseg></trk></gpx>\n");
  CHECK_TRUE(strlen(doc) > 3 * 65536);
  result res;
  gk_activity *a = read_ok(GK_FORMAT_GPX, doc, &res);
  if (a) {
    CHECK_EQ_INT(a->series.n, points);
    CHECK_NEAR(a->series.time_s[points - 1], points - 1, 0);
    CHECK_NEAR(a->series.hr_bpm[points - 1], 100 + (points - 1) % 50, 0);
    gk_activity_free(a);
  }
  snprintf(doc + body, cap - body, "</trkseg><oops></trk></gpx>\n");
  read_doc(GK_FORMAT_GPX, doc, &res);
  CHECK_EQ_INT(res.st, GK_E_CORRUPT);
  CHECK_EQ_INT(res.err.offset, body + 17);
  CHECK_EQ_INT(res.err.line, points + 4); /* 2 head lines, <trk> line */
  free(doc);
}

/* ---- TCX ----------------------------------------------------------------- */

static const char *tcx_run =
    TCX_HEAD
    "<Activities><Activity Sport=\"Running\">"
    "<Id>2014-10-11T18:08:45.000Z</Id>"
    "<Lap StartTime=\"2014-10-11T18:08:45.000Z\">"
    "<TotalTimeSeconds>10.5</TotalTimeSeconds>"
    "<DistanceMeters>30.0</DistanceMeters>"
    "<MaximumSpeed>3.5</MaximumSpeed><Calories>2</Calories>"
    "<AverageHeartRateBpm><Value>140</Value></AverageHeartRateBpm>"
    "<MaximumHeartRateBpm><Value>150</Value></MaximumHeartRateBpm>"
    "<Intensity>Active</Intensity><Cadence>86</Cadence>"
    "<TriggerMethod>Manual</TriggerMethod><Track>"
    "<Trackpoint><Time>2014-10-11T18:08:45.000Z</Time>"
    "<Position><LatitudeDegrees>-34.906</LatitudeDegrees>"
    "<LongitudeDegrees>-57.94</LongitudeDegrees></Position>"
    "<AltitudeMeters>10</AltitudeMeters><DistanceMeters>0.5</DistanceMeters>"
    "<HeartRateBpm><Value>135</Value></HeartRateBpm>"
    "<Extensions><ns3:TPX><ns3:Speed>2.5</ns3:Speed>"
    "<ns3:RunCadence>84</ns3:RunCadence><ns3:Watts>250</ns3:Watts>"
    "</ns3:TPX></Extensions></Trackpoint>"
    "<Trackpoint><Time>2014-10-11T18:08:50.000Z</Time>"
    "<Position><LatitudeDegrees>-34.9061</LatitudeDegrees>"
    "<LongitudeDegrees>-57.94</LongitudeDegrees></Position>"
    "<DistanceMeters>15.0</DistanceMeters>"
    "<HeartRateBpm><Value>145</Value></HeartRateBpm>"
    "<Extensions><TPX xmlns=\"http://www.garmin.com/xmlschemas/"
    "ActivityExtension/v2\"><Speed>3.0</Speed><RunCadence>88</RunCadence>"
    "</TPX></Extensions></Trackpoint>"
    "</Track></Lap>"
    "<Lap StartTime=\"2014-10-11T18:08:56.000Z\">"
    "<TotalTimeSeconds>5</TotalTimeSeconds>"
    "<DistanceMeters>14</DistanceMeters><Calories>1</Calories>"
    "<AverageHeartRateBpm><Value>160</Value></AverageHeartRateBpm>"
    "<MaximumHeartRateBpm><Value>165</Value></MaximumHeartRateBpm>"
    "<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
    "<Track><Trackpoint><Time>2014-10-11T18:08:55.000Z</Time></Trackpoint>"
    "<Trackpoint><Time>2014-10-11T18:08:59.000Z</Time>"
    "<DistanceMeters>44</DistanceMeters><Cadence>90</Cadence>"
    "<HeartRateBpm><Value>165</Value></HeartRateBpm></Trackpoint>"
    "</Track><Extensions><ns3:LX><ns3:AvgSpeed>2.8</ns3:AvgSpeed>"
    "<ns3:AvgRunCadence>89</ns3:AvgRunCadence>"
    "<ns3:MaxRunCadence>91</ns3:MaxRunCadence></ns3:LX></Extensions>"
    "</Lap>"
    "<Creator xsi:type=\"Device_t\" xmlns:xsi=\"http://www.w3.org/2001/"
    "XMLSchema-instance\"><Name>Forerunner 15</Name>"
    "<UnitId>3885435205</UnitId><ProductID>1903</ProductID></Creator>"
    "</Activity></Activities>"
    "<Author><Name>not the device</Name></Author>"
    "</TrainingCenterDatabase>";

static void test_tcx_basic(void) {
  result res;
  gk_activity *a = read_ok(GK_FORMAT_TCX, tcx_run, &res);
  if (a == NULL) return;
  CHECK_STR(a->source.format, "tcx");
  CHECK_STR(a->source.product_name, "Forerunner 15");
  CHECK_STR(a->source.product, "1903");
  CHECK_EQ_INT(a->source.serial, 3885435205u);
  CHECK_STR(a->sport, "running");
  CHECK_EQ_INT(a->start_time, utc(2014, 10, 11, 18, 8, 45));
  CHECK_EQ_INT(a->flags, GK_ACT_DEVICE_SUMMARY);
  CHECK_EQ_INT(res.stats.points, 4);
  CHECK_EQ_INT(res.stats.laps, 2);
  CHECK_EQ_INT(res.stats.activities, 1);
  CHECK_EQ_INT(res.stats.tracks, 2);
  CHECK_EQ_INT(a->stats.empty, 1); /* the time-only Trackpoint */
  const gk_series *s = &a->series;
  if (!CHECK_EQ_INT(s->n, 3)) goto out;
  CHECK_NEAR(s->time_s[2], 14, 0);
  CHECK_NEAR(s->distance_m[1], 15, 0);
  CHECK_NEAR(s->speed_mps[0], 2.5, 0);
  CHECK_NEAR(s->speed_mps[1], 3.0, 0);
  CHECK_NEAR(s->power_w[0], 250, 0);
  CHECK_NEAR(s->hr_bpm[2], 165, 0);
  CHECK_NEAR(s->cadence_rpm[0], 84, 0); /* RunCadence */
  CHECK_NEAR(s->cadence_spm[0], 168, 0);
  CHECK_NEAR(s->cadence_rpm[2], 90, 0); /* <Cadence>, strides in a run */
  CHECK_NEAR(s->cadence_spm[2], 180, 0);
  CHECK_NEAR(s->altitude_m[0], 10, 0);
  CHECK_NEAR(s->lat_deg[1], -34.9061, 0);
  if (!CHECK_EQ_INT(a->n_laps, 2)) goto out;
  const gk_lap *l0 = &a->laps[0], *l1 = &a->laps[1];
  CHECK_NEAR(l0->start_s, 0, 0);
  CHECK_NEAR(l0->timer_s, 10.5, 0);
  CHECK_TRUE(isnan(l0->elapsed_s));
  CHECK_NEAR(l0->distance_m, 30, 0);
  CHECK_NEAR(l0->avg_hr, 140, 0);
  CHECK_NEAR(l0->max_hr, 150, 0);
  CHECK_NEAR(l0->avg_cadence_rpm, 86, 0);
  CHECK_NEAR(l0->avg_cadence_spm, 172, 0);
  CHECK_NEAR(l0->avg_speed_mps, 30 / 10.5, 1e-12); /* distance / time */
  CHECK_NEAR(l1->start_s, 11, 0);
  CHECK_NEAR(l1->avg_speed_mps, 2.8, 0); /* LX AvgSpeed */
  CHECK_NEAR(l1->avg_cadence_rpm, 89, 0); /* LX AvgRunCadence */
  CHECK_EQ_INT(l1->session, 0);
  if (!CHECK_EQ_INT(a->n_sessions, 1)) goto out;
  const gk_session *se = &a->sessions[0];
  CHECK_STR(se->sport, "running");
  CHECK_EQ_INT(se->on_foot, 1);
  CHECK_EQ_INT(se->first_lap, 0);
  CHECK_EQ_INT(se->n_laps, 2);
  CHECK_EQ_INT(se->first_sample, 0);
  CHECK_EQ_INT(se->n_samples, 3);
  CHECK_NEAR(se->start_s, 0, 0);
  /* the summary: the laps' figures, the rest from the samples */
  const gk_summary *sum = &a->summary;
  CHECK_NEAR(sum->distance_m, 44, 0);
  CHECK_NEAR(sum->timer_s, 15.5, 0);
  CHECK_NEAR(sum->calories, 3, 0);
  CHECK_NEAR(sum->avg_hr, (140 * 10.5 + 160 * 5) / 15.5, 1e-9);
  CHECK_NEAR(sum->max_hr, 165, 0);
  CHECK_NEAR(sum->max_speed_mps, 3.5, 0);
  CHECK_NEAR(sum->avg_speed_mps, 44 / 15.5, 1e-12);
  CHECK_NEAR(sum->avg_cadence_rpm, (86 * 10.5 + 89 * 5) / 15.5, 1e-9);
  CHECK_NEAR(sum->avg_cadence_spm, 2 * sum->avg_cadence_rpm, 1e-9);
  CHECK_NEAR(sum->max_cadence_rpm, 91, 0);
  CHECK_NEAR(sum->elapsed_s, 14, 0); /* from the samples */
  uint32_t device = (1u << GK_SUM_DISTANCE_M) | (1u << GK_SUM_TIMER_S) |
                    (1u << GK_SUM_AVG_HR) | (1u << GK_SUM_CALORIES);
  CHECK_EQ_INT(sum->computed & device, 0);
  CHECK_TRUE(sum->computed & (1u << GK_SUM_ELAPSED_S));
  CHECK_TRUE(se->summary.avg_hr == sum->avg_hr);
out:
  gk_activity_free(a);
}

static void test_tcx_sports(void) {
  const char *fmt =
      TCX_HEAD
      "<Activities><Activity Sport=\"%s\"><Id>2020-01-01T00:00:00Z</Id>"
      "<Lap StartTime=\"2020-01-01T00:00:00Z\"><Track>"
      "<Trackpoint><Time>2020-01-01T00:00:00Z</Time><Cadence>80</Cadence>"
      "%s</Trackpoint>"
      "<Trackpoint><Time>2020-01-01T00:00:01Z</Time><Cadence>82</Cadence>"
      "</Trackpoint></Track></Lap></Activity></Activities>"
      "</TrainingCenterDatabase>";
  static const struct {
    const char *sport, *ext, *name;
    unsigned opts;
    int on_foot;
  } cases[] = {
      {"Running", "", "running", 0, 1},
      {"Biking", "", "cycling", 0, 0},
      {"Other", "", "", 0, 0},
      {"Other", "", "", GK_XML_UNKNOWN_ON_FOOT, 1},
      {"Other",
       "<Extensions><TPX><RunCadence>80</RunCadence></TPX></Extensions>", "",
       0, 1},
      {"Biking",
       "<Extensions><TPX><RunCadence>80</RunCadence></TPX></Extensions>",
       "cycling", GK_XML_UNKNOWN_ON_FOOT, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char doc[2048];
    snprintf(doc, sizeof doc, fmt, cases[i].sport, cases[i].ext);
    result res;
    read_doc_opts(GK_FORMAT_TCX, doc, cases[i].opts, &res);
    if (!CHECK_EQ_INT(res.st, GK_OK)) continue;
    gk_activity *a = res.a;
    CHECK_STR(a->sport, cases[i].name);
    if (CHECK_EQ_INT(a->n_sessions, 1))
      CHECK_EQ_INT(a->sessions[0].on_foot, cases[i].on_foot);
    CHECK_NEAR(a->series.cadence_rpm[1], 82, 0);
    if (cases[i].on_foot) {
      CHECK_NEAR(a->series.cadence_spm[1], 164, 0);
      CHECK_NEAR(a->summary.max_cadence_spm, 164, 0);
    } else {
      CHECK_TRUE(isnan(a->series.cadence_spm[1]));
      CHECK_TRUE(isnan(a->summary.avg_cadence_spm));
      CHECK_TRUE(isnan(a->summary.total_steps));
    }
    CHECK_EQ_INT(a->flags, 0); /* laps without figures */
    gk_activity_free(a);
  }
}

static void test_tcx_multisport(void) {
  const char *doc =
      TCX_HEAD
      "<Activities><MultiSportSession><Id>2020-01-01T00:00:00Z</Id>"
      "<FirstSport><Activity Sport=\"Running\"><Id>2020-01-01T00:00:00Z</Id>"
      "<Lap StartTime=\"2020-01-01T00:00:00Z\">"
      "<TotalTimeSeconds>60</TotalTimeSeconds>"
      "<DistanceMeters>200</DistanceMeters><Track>"
      "<Trackpoint><Time>2020-01-01T00:00:00Z</Time>"
      "<DistanceMeters>0</DistanceMeters><Cadence>85</Cadence></Trackpoint>"
      "<Trackpoint><Time>2020-01-01T00:01:00Z</Time>"
      "<DistanceMeters>200</DistanceMeters><Cadence>85</Cadence>"
      "</Trackpoint></Track></Lap></Activity></FirstSport>"
      "<NextSport><Transition StartTime=\"2020-01-01T00:01:00Z\">"
      "<TotalTimeSeconds>5</TotalTimeSeconds></Transition>"
      "<Activity Sport=\"Biking\"><Id>2020-01-01T00:01:05Z</Id>"
      "<Lap StartTime=\"2020-01-01T00:01:05Z\">"
      "<TotalTimeSeconds>60</TotalTimeSeconds>"
      "<DistanceMeters>600</DistanceMeters><Track>"
      "<Trackpoint><Time>2020-01-01T00:01:05Z</Time>"
      "<DistanceMeters>200</DistanceMeters><Cadence>90</Cadence>"
      "</Trackpoint>"
      "<Trackpoint><Time>2020-01-01T00:02:05Z</Time>"
      "<DistanceMeters>800</DistanceMeters><Cadence>90</Cadence>"
      "</Trackpoint></Track></Lap></Activity></NextSport>"
      "</MultiSportSession></Activities></TrainingCenterDatabase>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_TCX, doc, &res);
  if (a == NULL) return;
  CHECK_STR(a->sport, "multisport");
  if (!CHECK_EQ_INT(a->n_sessions, 2)) goto out;
  CHECK_STR(a->sessions[0].sport, "running");
  CHECK_STR(a->sessions[1].sport, "cycling");
  CHECK_EQ_INT(a->sessions[1].first_sample, 2);
  CHECK_EQ_INT(a->sessions[1].n_samples, 2);
  CHECK_EQ_INT(a->sessions[1].first_lap, 1);
  CHECK_NEAR(a->sessions[1].start_s, 65, 0);
  CHECK_EQ_INT(a->laps[1].session, 1);
  CHECK_NEAR(a->series.cadence_spm[0], 170, 0);
  CHECK_TRUE(isnan(a->series.cadence_spm[2]));
  CHECK_NEAR(a->summary.distance_m, 800, 0);
  CHECK_NEAR(a->summary.timer_s, 120, 0);
  CHECK_NEAR(a->summary.avg_cadence_spm, 170, 0); /* the run's only */
out:
  gk_activity_free(a);
}

static void test_tcx_namespaces(void) {
  /* the TCX namespace under another prefix; TPX under several */
  const char *doc =
      "<tcx:TrainingCenterDatabase xmlns:tcx=\"http://www.garmin.com/"
      "xmlschemas/TrainingCenterDatabase/v2\" xmlns:ax=\"http://www.garmin."
      "com/xmlschemas/ActivityExtension/v2\"><tcx:Activities>"
      "<tcx:Activity Sport=\"Running\"><tcx:Lap StartTime=\"2020-01-01T00:00:"
      "00Z\"><tcx:Track>"
      "<tcx:Trackpoint><tcx:Time>2020-01-01T00:00:00Z</tcx:Time>"
      "<tcx:Extensions><ax:TPX><ax:Speed>1.5</ax:Speed></ax:TPX>"
      "</tcx:Extensions></tcx:Trackpoint>"
      "<tcx:Trackpoint><tcx:Time>2020-01-01T00:00:01Z</tcx:Time>"
      "<tcx:Extensions><ns2:TPX xmlns:ns2=\"http://www.garmin.com/xmlschemas/"
      "ActivityExtension/v2\"><ns2:Speed>1.6</ns2:Speed><ns2:Watts>7</ns2:"
      "Watts></ns2:TPX></tcx:Extensions></tcx:Trackpoint>"
      "</tcx:Track></tcx:Lap></tcx:Activity></tcx:Activities>"
      "</tcx:TrainingCenterDatabase>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_TCX, doc, &res);
  if (a == NULL) return;
  if (CHECK_EQ_INT(a->series.n, 2)) {
    CHECK_NEAR(a->series.speed_mps[0], 1.5, 0);
    CHECK_NEAR(a->series.speed_mps[1], 1.6, 0);
    CHECK_NEAR(a->series.power_w[1], 7, 0);
  }
  CHECK_EQ_INT(gk_sniff_format(doc, strlen(doc)), GK_FORMAT_TCX);
  gk_activity_free(a);
}

static void test_tcx_no_times_and_positions(void) {
  /* Trackpoints without Position: distance only from DistanceMeters; a
     file with DistanceMeters never gets computed distances */
  const char *doc =
      TCX_HEAD
      "<Activities><Activity Sport=\"Running\"><Lap><Track>"
      "<Trackpoint><Position><LatitudeDegrees>1</LatitudeDegrees>"
      "<LongitudeDegrees>1</LongitudeDegrees></Position></Trackpoint>"
      "<Trackpoint><Position><LatitudeDegrees>1.001</LatitudeDegrees>"
      "<LongitudeDegrees>1</LongitudeDegrees></Position>"
      "<HeartRateBpm>120</HeartRateBpm></Trackpoint>"
      "</Track></Lap></Activity></Activities></TrainingCenterDatabase>";
  result res;
  gk_activity *a = read_ok(GK_FORMAT_TCX, doc, &res);
  if (a == NULL) return;
  CHECK_EQ_INT(a->flags, GK_ACT_START_UNKNOWN);
  if (CHECK_EQ_INT(a->series.n, 2)) {
    CHECK_NEAR(a->series.distance_m[1], haversine(1, 1, 1.001, 1), 1e-9);
    CHECK_NEAR(a->series.hr_bpm[1], 120, 0); /* TCX v1: a bare number */
  }
  if (CHECK_EQ_INT(a->n_sessions, 1)) CHECK_TRUE(isnan(a->sessions[0].start_s));
  if (CHECK_EQ_INT(a->n_laps, 1)) CHECK_TRUE(isnan(a->laps[0].start_s));
  CHECK_TRUE(isnan(a->summary.timer_s));
  gk_activity_free(a);
}

/* ---- sniffing and dispatch ------------------------------------------------
 */

static size_t read_file(const char *path, char **out) {
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 65536;
      char *p = (char *)realloc(buf, cap);
      if (p == NULL) abort();
      buf = p;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    if (n == 0) break;
    len += n;
  }
  fclose(f);
  *out = buf;
  return len;
}

static void test_sniff(void) {
  static const struct {
    const char *doc;
    gk_format f;
  } cases[] = {
      {"<gpx/>", GK_FORMAT_GPX},
      {"<gpx version=\"1.1\">", GK_FORMAT_GPX},
      {"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<gpx>", GK_FORMAT_GPX},
      {"  \r\n<!-- a > comment --><?pi x?><!DOCTYPE gpx [<!ENTITY a \"x>y\">"
       "<!-- ] > -->]>\n<gpx>",
       GK_FORMAT_GPX},
      {"<!DOCTYPE gpx SYSTEM 'a>b'><gpx\t", GK_FORMAT_GPX},
      {"<g:gpx xmlns:g=\"x\">", GK_FORMAT_GPX},
      {"<TrainingCenterDatabase xmlns=\"x\">", GK_FORMAT_TCX},
      {"<?xml version=\"1.0\"?><TrainingCenterDatabase>", GK_FORMAT_TCX},
      {"<GPX>", GK_FORMAT_UNKNOWN},
      {"<gpxfoo>", GK_FORMAT_UNKNOWN},
      {"<gpx", GK_FORMAT_UNKNOWN}, /* cut before the name ends */
      {"<kml>", GK_FORMAT_UNKNOWN},
      {"<trainingcenterdatabase>", GK_FORMAT_UNKNOWN},
      {"<?xml version=\"1.0\"?>", GK_FORMAT_UNKNOWN},
      {"<!-- <gpx> ", GK_FORMAT_UNKNOWN},
      {"gpx", GK_FORMAT_UNKNOWN},
      {"{\"type\": \"FeatureCollection\"}", GK_FORMAT_UNKNOWN},
      {"", GK_FORMAT_UNKNOWN},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (!CHECK_EQ_INT(gk_sniff_format(cases[i].doc, strlen(cases[i].doc)),
                      cases[i].f))
      fprintf(stderr, "  for \"%s\"\n", cases[i].doc);
  /* UTF-16 big-endian without a BOM */
  static const char be[] = "\0<\0T\0r\0a\0i\0n\0i\0n\0g\0C\0e\0n\0t\0e\0r\0"
                           "D\0a\0t\0a\0b\0a\0s\0e\0>";
  CHECK_EQ_INT(gk_sniff_format(be, sizeof be - 1), GK_FORMAT_TCX);
  CHECK_EQ_INT(gk_sniff_format(NULL, 10), GK_FORMAT_UNKNOWN);
  /* FIT, by its header */
  char *fit;
  size_t n = read_file(GK_TEST_DATA "/fit/y_activity.fit", &fit);
  if (CHECK_TRUE(n > 14)) {
    CHECK_EQ_INT(gk_sniff_format(fit, n), GK_FORMAT_FIT);
    CHECK_EQ_INT(gk_sniff_format(fit, 12), GK_FORMAT_FIT);
  }
  unsigned char garbage[256];
  for (int i = 0; i < 256; i++) garbage[i] = (unsigned char)(i * 37 + 11);
  CHECK_EQ_INT(gk_sniff_format(garbage, sizeof garbage), GK_FORMAT_UNKNOWN);

  CHECK_STR(gk_format_name(GK_FORMAT_FIT), "fit");
  CHECK_STR(gk_format_name(GK_FORMAT_GPX), "gpx");
  CHECK_STR(gk_format_name(GK_FORMAT_TCX), "tcx");
  CHECK_STR(gk_format_name(GK_FORMAT_UNKNOWN), "unknown");
  CHECK_STR(gk_format_name((gk_format)42), "unknown");

  /* gk_read_activity dispatches by content */
  gk_activity *a = NULL;
  gk_format f = GK_FORMAT_UNKNOWN;
  gk_err err;
  if (n > 14) {
    CHECK_EQ_INT(gk_read_activity(fit, n, 0, &f, &a, &err), GK_OK);
    CHECK_EQ_INT(f, GK_FORMAT_FIT);
    if (a) CHECK_STR(a->source.format, "fit");
    gk_activity_free(a);
    /* a cut FIT file: an error, or what came before with GK_READ_PARTIAL */
    CHECK_EQ_INT(gk_read_activity(fit, n - 40, 0, &f, &a, &err),
                 GK_E_TRUNCATED);
    CHECK_TRUE(a == NULL);
    gk_status st = gk_read_activity(fit, n - 40, GK_READ_PARTIAL, &f, &a, &err);
    CHECK_EQ_INT(st, GK_OK);
    if (a) CHECK_TRUE(a->flags & GK_ACT_PARTIAL);
    gk_activity_free(a);
  }
  free(fit);
  CHECK_EQ_INT(gk_read_activity(tcx_run, strlen(tcx_run), 0, &f, &a, &err),
               GK_OK);
  CHECK_EQ_INT(f, GK_FORMAT_TCX);
  if (a) CHECK_EQ_INT(a->series.n, 3);
  gk_activity_free(a);
  const char *cut = "<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\"><time>"
                    "2020-01-01T00:00:00Z</time></trkpt><trkpt";
  CHECK_EQ_INT(gk_read_activity(cut, strlen(cut), 0, &f, &a, &err),
               GK_E_TRUNCATED);
  CHECK_EQ_INT(f, GK_FORMAT_GPX);
  CHECK_EQ_INT(err.line, 1);
  CHECK_EQ_INT(gk_read_activity(cut, strlen(cut), GK_READ_PARTIAL, &f, &a,
                                &err),
               GK_OK);
  if (a) CHECK_EQ_INT(a->flags, GK_ACT_PARTIAL);
  gk_activity_free(a);
  CHECK_EQ_INT(gk_read_activity(garbage, sizeof garbage, 0, &f, &a, &err),
               GK_E_UNSUPPORTED);
  CHECK_EQ_INT(f, GK_FORMAT_UNKNOWN);
  CHECK_TRUE(err.msg != NULL);
  CHECK_EQ_INT(gk_read_activity(NULL, 0, 0, &f, &a, &err), GK_E_UNSUPPORTED);
  CHECK_EQ_INT(gk_read_activity(NULL, 3, 0, &f, &a, &err), GK_E_ARG);
  CHECK_EQ_INT(gk_read_activity("x", 1, 0, &f, NULL, &err), GK_E_ARG);
}

static void test_args(void) {
  gk_activity *a = (gk_activity *)&a;
  gk_err err;
  CHECK_EQ_INT(gk_gpx_read_activity("<gpx/>", 6, 0, NULL, &err), GK_E_ARG);
  CHECK_EQ_INT(gk_tcx_read_activity(NULL, 6, 0, &a, &err), GK_E_ARG);
  CHECK_TRUE(a == NULL);
  CHECK_EQ_INT(gk_xml_read_activity(GK_FORMAT_FIT, "<gpx/>", 6, 0, &a, NULL,
                                    NULL),
               GK_E_ARG);
  gk__xml_reader *r;
  CHECK_EQ_INT(gk__xml_reader_new(&r, GK_FORMAT_UNKNOWN, 0), GK_E_ARG);
  CHECK_EQ_INT(gk__xml_reader_new(&r, GK_FORMAT_GPX, 0), GK_OK);
  gk__xml_reader_free(r); /* without finishing */
  gk__xml_reader_free(NULL);
  /* err may be NULL; no output on failure */
  CHECK_EQ_INT(gk_gpx_read_activity("<gpx>", 5, 0, &a, NULL), GK_E_TRUNCATED);
  CHECK_TRUE(a == NULL);
}

/* The fuzz seeds and kept reproducers: y_* read, n_* refused, crash-*
   read or refused without harm (streamed too, by read_doc). */
static void test_seed_files(void) {
  static const struct {
    const char *dir;
    gk_format f;
  } dirs[] = {{"gpx", GK_FORMAT_GPX}, {"tcx", GK_FORMAT_TCX}};
  for (size_t d = 0; d < 2; d++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", GK_TEST_DATA, dirs[d].dir);
    DIR *dp = opendir(path);
    if (!CHECK_TRUE(dp != NULL)) continue;
    size_t y = 0, n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
      const char *name = e->d_name;
      int yes = strncmp(name, "y_", 2) == 0, no = strncmp(name, "n_", 2) == 0;
      if (!yes && !no && strncmp(name, "crash-", 6) != 0) continue;
      char file[2048];
      snprintf(file, sizeof file, "%s/%s", path, name);
      char *buf;
      size_t len = read_file(file, &buf);
      char *doc = (char *)realloc(buf, len + 1);
      if (doc == NULL) abort();
      doc[len] = '\0';
      result res;
      if (strlen(doc) == len) {
        read_doc(dirs[d].f, doc, &res);
      } else { /* a NUL inside: the public reader only */
        memset(&res, 0, sizeof res);
        res.st = gk_xml_read_activity(dirs[d].f, doc, len, 0, &res.a, NULL,
                                      &res.err);
      }
      if (yes && !CHECK_EQ_INT(res.st, GK_OK))
        fprintf(stderr, "  %s: %s\n", name, res.err.msg);
      if (no && !CHECK_TRUE(res.st != GK_OK)) fprintf(stderr, "  %s\n", name);
      if (yes) CHECK_EQ_INT(gk_sniff_format(doc, len), dirs[d].f);
      gk_activity_free(res.a);
      free(doc);
      y += yes;
      n += no;
    }
    closedir(dp);
    CHECK_TRUE(y >= 5 && n >= 4);
  }
}

int main(void) {
  RUN(test_parse_double);
  RUN(test_parse_time);
  RUN(test_sport_names);
  RUN(test_gpx_basic);
  RUN(test_gpx_extension_forms);
  RUN(test_gpx10_and_bom);
  RUN(test_gpx_no_times);
  RUN(test_gpx_mostly_untimed);
  RUN(test_gpx_tracks_segments);
  RUN(test_gpx_subsecond_and_zones);
  RUN(test_gpx_backwards_and_duplicates);
  RUN(test_gpx_bad_values);
  RUN(test_malformed);
  RUN(test_billion_laughs);
  RUN(test_depth_limit);
  RUN(test_large_document);
  RUN(test_tcx_basic);
  RUN(test_tcx_sports);
  RUN(test_tcx_multisport);
  RUN(test_tcx_namespaces);
  RUN(test_tcx_no_times_and_positions);
  RUN(test_sniff);
  RUN(test_args);
  RUN(test_seed_files);
  return TEST_SUMMARY();
}
