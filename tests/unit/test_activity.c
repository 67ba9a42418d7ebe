/*
** test_activity.c -- the activity model and the FIT reader
** (gk_fit_read_activity) on FIT files built by hand, byte by byte, here.
**
** The builder below writes a 14-byte header, definition and data messages
** (little-endian) and the CRCs with gk_fit_crc16; it is independent of the
** library's FIT writer on purpose.  Checks print both values; the program
** ends with "N passed, N failed" (tests) and fails when any test failed.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/fit.h"
#include "gaitkeeper/fit_activity.h"

/* ---- checks (local: no shared test header) ------------------------------ */

#include "test.h"

/* Checks that carry on after a failure (tests/test.h). */
#define T_TRUE(c) CHECK_TRUE(c)
#define T_INT(a, b) CHECK_EQ_INT(a, b)
#define T_NEAR(a, b, eps) CHECK_NEAR(a, b, eps)
#define T_NAN(a) CHECK_TRUE(isnan(a))
#define T_STR(a, b) CHECK_STR(a, b)

/* ---- a FIT file builder ------------------------------------------------- */

enum {
  B_ENUM = 0x00,
  B_UINT8 = 0x02,
  B_UINT16 = 0x84,
  B_SINT32 = 0x85,
  B_UINT32 = 0x86,
  B_UINT32Z = 0x8C
};

typedef struct fdef {
  uint8_t num, size, base;
} fdef;

typedef struct fitb {
  uint8_t b[1 << 16];
  size_t n;
} fitb;

static void fb_init(fitb *f) { f->n = 14; }

static void p8(fitb *f, uint32_t v) {
  if (f->n < sizeof f->b) f->b[f->n++] = (uint8_t)v;
}
static void p16(fitb *f, uint32_t v) {
  p8(f, v & 0xFF);
  p8(f, (v >> 8) & 0xFF);
}
static void p32(fitb *f, uint32_t v) {
  p16(f, v & 0xFFFF);
  p16(f, v >> 16);
}

/* A definition message, little-endian. */
static void fb_def(fitb *f, uint8_t local, uint16_t global, const fdef *d,
                   size_t n) {
  p8(f, 0x40 | local);
  p8(f, 0);
  p8(f, 0);
  p16(f, global);
  p8(f, (uint32_t)n);
  for (size_t i = 0; i < n; i++) {
    p8(f, d[i].num);
    p8(f, d[i].size);
    p8(f, d[i].base);
  }
}

/* The header of a data message; its values follow with p8/p16/p32. */
static void fb_data(fitb *f, uint8_t local) { p8(f, local); }

/* Write the header and the file CRC; returns the file's length. */
static size_t fb_finish(fitb *f) {
  uint32_t data = (uint32_t)(f->n - 14);
  uint8_t *h = f->b;
  h[0] = 14;
  h[1] = 0x20;
  h[2] = 2100 & 0xFF;
  h[3] = 2100 >> 8;
  h[4] = (uint8_t)data;
  h[5] = (uint8_t)(data >> 8);
  h[6] = (uint8_t)(data >> 16);
  h[7] = (uint8_t)(data >> 24);
  memcpy(h + 8, ".FIT", 4);
  uint16_t hc = gk_fit_crc16(0, h, 12);
  h[12] = (uint8_t)hc;
  h[13] = (uint8_t)(hc >> 8);
  uint16_t c = gk_fit_crc16(0, f->b, f->n);
  p16(f, c);
  return f->n;
}

/* FIT profile numbers used here. */
#define M_FILE_ID 0
#define M_SPORT 12
#define M_SESSION 18
#define M_LAP 19
#define M_RECORD 20
#define M_HR 132

#define T0 1000000000u /* FIT seconds: 2021-09-08T01:46:40Z */
#define UNIX(t) ((int64_t)(t) + 631065600)

static void file_id(fitb *f, uint8_t local) {
  static const fdef d[] = {{0, 1, B_ENUM},    /* type */
                           {1, 2, B_UINT16},  /* manufacturer */
                           {2, 2, B_UINT16},  /* product */
                           {3, 4, B_UINT32Z}, /* serial_number */
                           {4, 4, B_UINT32}}; /* time_created */
  fb_def(f, local, M_FILE_ID, d, 5);
  fb_data(f, local);
  p8(f, 4);       /* activity */
  p16(f, 1);      /* garmin */
  p16(f, 2697);   /* fenix5 */
  p32(f, 12345);
  p32(f, T0);
}

static void sport(fitb *f, uint8_t local, uint8_t sp, uint8_t sub) {
  static const fdef d[] = {{0, 1, B_ENUM}, {1, 1, B_ENUM}};
  fb_def(f, local, M_SPORT, d, 2);
  fb_data(f, local);
  p8(f, sp);
  p8(f, sub);
}

/* A record with only a timestamp (local type given, defined by caller). */
static void def_ts_record(fitb *f, uint8_t local) {
  static const fdef d[] = {{253, 4, B_UINT32}};
  fb_def(f, local, M_RECORD, d, 1);
}

/* A record: timestamp, distance, speed, heart_rate, cadence. */
static const fdef simple_record[] = {{253, 4, B_UINT32},
                                     {5, 4, B_UINT32},
                                     {6, 2, B_UINT16},
                                     {3, 1, B_UINT8},
                                     {4, 1, B_UINT8}};

static void simple(fitb *f, uint8_t local, uint32_t ts, double dist_m,
                   double speed, unsigned hr, unsigned cad) {
  fb_data(f, local);
  p32(f, ts);
  p32(f, (uint32_t)lround(dist_m * 100));
  p16(f, (uint32_t)lround(speed * 1000));
  p8(f, hr);
  p8(f, cad);
}

static const fdef session_fields[] = {
    {253, 4, B_UINT32}, /* timestamp */
    {2, 4, B_UINT32},   /* start_time */
    {5, 1, B_ENUM},     /* sport */
    {6, 1, B_ENUM},     /* sub_sport */
    {7, 4, B_UINT32},   /* total_elapsed_time, ms */
    {8, 4, B_UINT32},   /* total_timer_time, ms */
    {9, 4, B_UINT32},   /* total_distance, cm */
    {10, 4, B_UINT32},  /* total_cycles */
    {16, 1, B_UINT8},   /* avg_heart_rate */
    {17, 1, B_UINT8},   /* max_heart_rate */
    {18, 1, B_UINT8},   /* avg_cadence */
    {19, 1, B_UINT8},   /* max_cadence */
    {92, 1, B_UINT8},   /* avg_fractional_cadence, 1/128 */
    {93, 1, B_UINT8},   /* max_fractional_cadence */
    {124, 4, B_UINT32}, /* enhanced_avg_speed, mm/s */
    {89, 2, B_UINT16},  /* avg_vertical_oscillation, 0.1 mm */
    {91, 2, B_UINT16},  /* avg_stance_time, 0.1 ms */
    {134, 2, B_UINT16}, /* avg_step_length, 0.1 mm */
};
#define N_SESSION_FIELDS (sizeof session_fields / sizeof session_fields[0])

typedef struct sess {
  uint32_t start, elapsed_ms, timer_ms, dist_cm, cycles;
  uint8_t sport, sub, avg_hr, max_hr, avg_cad, max_cad, avg_frac, max_frac;
  uint32_t speed_mms;
  uint16_t vo, gct, step;
} sess;

static void session(fitb *f, uint8_t local, const sess *s) {
  fb_data(f, local);
  p32(f, s->start + s->elapsed_ms / 1000);
  p32(f, s->start);
  p8(f, s->sport);
  p8(f, s->sub);
  p32(f, s->elapsed_ms);
  p32(f, s->timer_ms);
  p32(f, s->dist_cm);
  p32(f, s->cycles);
  p8(f, s->avg_hr);
  p8(f, s->max_hr);
  p8(f, s->avg_cad);
  p8(f, s->max_cad);
  p8(f, s->avg_frac);
  p8(f, s->max_frac);
  p32(f, s->speed_mms);
  p16(f, s->vo);
  p16(f, s->gct);
  p16(f, s->step);
}

static gk_activity *read_ok(const fitb *f, size_t len) {
  gk_activity *a = NULL;
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_status st = gk_fit_read_activity(f->b, len, 0, &a, &err);
  if (!T_INT(st, GK_OK)) {
    fprintf(stderr, "  error at byte %llu: %s\n",
            (unsigned long long)err.offset, err.msg ? err.msg : "");
    return NULL;
  }
  return a;
}

/* ---- tests -------------------------------------------------------------- */

/* A run: cadence with fractional cadence, enhanced vs plain speed,
   semicircles, running dynamics, missing HR, the session summary. */
static void test_run_fields(void) {
  static fitb f;
  fb_init(&f);
  file_id(&f, 0);
  static const fdef full[] = {
      {253, 4, B_UINT32}, {0, 4, B_SINT32},  {1, 4, B_SINT32},
      {2, 2, B_UINT16},   {3, 1, B_UINT8},   {4, 1, B_UINT8},
      {53, 1, B_UINT8},   {5, 4, B_UINT32},  {6, 2, B_UINT16},
      {73, 4, B_UINT32},  {39, 2, B_UINT16}, {41, 2, B_UINT16},
      {84, 2, B_UINT16},  {85, 2, B_UINT16}, {83, 2, B_UINT16},
      {7, 2, B_UINT16}};
  fb_def(&f, 1, M_RECORD, full, sizeof full / sizeof full[0]);
  fb_data(&f, 1);
  p32(&f, T0);
  p32(&f, 456099128u);            /* lat, semicircles */
  p32(&f, (uint32_t)-1463077077); /* lon */
  p16(&f, (100 + 500) * 5);       /* altitude 100 m */
  p8(&f, 120);                    /* heart_rate */
  p8(&f, 85);                     /* cadence, strides/min */
  p8(&f, 64);                     /* fractional_cadence 0.5 */
  p32(&f, 0);                     /* distance */
  p16(&f, 0xFFFF);                /* speed invalid */
  p32(&f, 3500);                  /* enhanced_speed 3.5 */
  p16(&f, 467);                   /* VO 46.7 mm */
  p16(&f, 3080);                  /* stance time 308.0 ms */
  p16(&f, 5321);                  /* stance balance 53.21 % */
  p16(&f, 5780);                  /* step length 578.0 mm */
  p16(&f, 742);                   /* vertical ratio 7.42 % */
  p16(&f, 250);                   /* power */
  fb_def(&f, 2, M_RECORD, simple_record, 5);
  simple(&f, 2, T0 + 1, 3.0, 2.5, 0xFF /* invalid HR */, 86);
  fb_def(&f, 3, M_SESSION, session_fields, N_SESSION_FIELDS);
  sess s = {T0, 1000, 1000, 300, 78, 1, 3, 90, 112, 83, 95, 86, 64,
            2770, 762, 2703, 9717};
  session(&f, 3, &s);
  size_t len = fb_finish(&f);

  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  const gk_series *se = &a->series;
  T_INT(se->n, 2);
  T_STR(a->sport, "running");
  T_STR(a->sub_sport, "trail");
  T_STR(a->source.format, "fit");
  T_STR(a->source.manufacturer, "garmin");
  T_STR(a->source.product, "fenix5");
  T_INT(a->source.serial, 12345);
  T_TRUE(a->source.content_hash == gk_fnv1a64(f.b, len));
  T_INT(a->start_time, UNIX(T0));
  T_TRUE(!(a->flags & GK_ACT_START_UNKNOWN));
  T_TRUE(a->flags & GK_ACT_DEVICE_SUMMARY);
  T_NEAR(se->time_s[0], 0, 0);
  T_NEAR(se->time_s[1], 1, 0);
  /* cadence: steps = 2 x (cadence + fractional_cadence) */
  T_NEAR(se->cadence_spm[0], 171.0, 1e-9);
  T_NEAR(se->cadence_rpm[0], 85.5, 1e-9);
  T_NEAR(se->cadence_spm[1], 172.0, 1e-9);
  /* enhanced_speed when speed is invalid; speed when it is all there is */
  T_NEAR(se->speed_mps[0], 3.5, 1e-9);
  T_NEAR(se->speed_mps[1], 2.5, 1e-9);
  /* semicircles to degrees */
  T_NEAR(se->lat_deg[0], 456099128.0 * 180.0 / 2147483648.0, 1e-12);
  T_NEAR(se->lon_deg[0], -1463077077.0 * 180.0 / 2147483648.0, 1e-12);
  T_NEAR(se->lat_deg[0], 38.2298, 1e-4);
  T_NAN(se->lat_deg[1]);
  T_NEAR(se->altitude_m[0], 100.0, 1e-9);
  T_NEAR(se->hr_bpm[0], 120, 0);
  T_NAN(se->hr_bpm[1]); /* invalid HR is NaN, not 0 */
  T_NEAR(se->vertical_oscillation_mm[0], 46.7, 1e-9);
  T_NEAR(se->stance_time_ms[0], 308.0, 1e-9);
  T_NEAR(se->stance_balance_left_pct[0], 53.21, 1e-9);
  T_NEAR(se->step_length_mm[0], 578.0, 1e-9);
  T_NEAR(se->vertical_ratio_pct[0], 7.42, 1e-9);
  T_NEAR(se->power_w[0], 250, 0);
  T_NAN(se->power_w[1]);
  T_NEAR(se->distance_m[1], 3.0, 1e-9);

  /* the device's session */
  T_INT(a->n_sessions, 1);
  const gk_summary *sum = &a->summary;
  T_NEAR(sum->distance_m, 3.0, 1e-9);
  T_NEAR(sum->elapsed_s, 1.0, 1e-9);
  T_NEAR(sum->avg_hr, 90, 0);
  T_NEAR(sum->max_hr, 112, 0);
  T_NEAR(sum->avg_cadence_spm, 2 * (83 + 86 / 128.0), 1e-9);
  T_NEAR(sum->max_cadence_spm, 2 * (95 + 0.5), 1e-9);
  T_NEAR(sum->avg_cadence_rpm, 83 + 86 / 128.0, 1e-9);
  T_NEAR(sum->total_steps, 156, 0);
  T_NEAR(sum->avg_speed_mps, 2.77, 1e-9);
  T_NEAR(sum->avg_vertical_oscillation_mm, 76.2, 1e-9);
  T_NEAR(sum->avg_stance_time_ms, 270.3, 1e-9);
  T_NEAR(sum->avg_step_length_mm, 971.7, 1e-9);
  T_TRUE(!(sum->computed & (1u << GK_SUM_AVG_HR)));
  T_TRUE(!(sum->computed & (1u << GK_SUM_DISTANCE_M)));
  /* not in the session: computed from the samples, and marked so */
  T_TRUE(sum->computed & (1u << GK_SUM_MOVING_S));
  T_NEAR(sum->moving_s, 1.0, 1e-9);
  T_TRUE(sum->computed & (1u << GK_SUM_AVG_POWER_W));
  T_NEAR(sum->stance_balance_left_pct, 53.21, 1e-9);
  T_NAN(sum->calories); /* never computed */
  T_NEAR(a->sessions[0].summary.avg_hr, 90, 0);
  T_TRUE(a->sessions[0].on_foot);
  gk_activity_free(a);
}

/* Speed: enhanced_speed (32 bits) over speed (16 bits).  When a record
   holds both, the profile expands speed into enhanced_speed, replacing the
   stored one (the SDK does the same): the two agree in real files. */
static void test_speed_sources(void) {
  static fitb f;
  fb_init(&f);
  static const fdef both[] = {{253, 4, B_UINT32}, {6, 2, B_UINT16},
                              {73, 4, B_UINT32}};
  static const fdef enh[] = {{253, 4, B_UINT32}, {73, 4, B_UINT32}};
  static const fdef plain[] = {{253, 4, B_UINT32}, {6, 2, B_UINT16}};
  fb_def(&f, 0, M_RECORD, enh, 2);
  fb_def(&f, 1, M_RECORD, plain, 2);
  fb_def(&f, 2, M_RECORD, both, 3);
  fb_data(&f, 0);
  p32(&f, T0);
  p32(&f, 70000); /* 70 m/s: beyond what speed can hold */
  fb_data(&f, 1);
  p32(&f, T0 + 1);
  p16(&f, 2500);
  fb_data(&f, 2);
  p32(&f, T0 + 2);
  p16(&f, 0xFFFF); /* invalid: enhanced_speed stands */
  p32(&f, 3500);
  fb_data(&f, 2);
  p32(&f, T0 + 3);
  p16(&f, 3000);
  p32(&f, 3500);
  size_t len = fb_finish(&f);
  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  T_INT(a->series.n, 4);
  T_NEAR(a->series.speed_mps[0], 70.0, 1e-9);
  T_NEAR(a->series.speed_mps[1], 2.5, 1e-9);
  T_NEAR(a->series.speed_mps[2], 3.5, 1e-9);
  T_NEAR(a->series.speed_mps[3], 3.0, 1e-9);
  gk_activity_free(a);
}

/* Cycling: cadence is revolutions, not steps. */
static void test_cycling_cadence(void) {
  static fitb f;
  fb_init(&f);
  file_id(&f, 0);
  sport(&f, 1, 2, 0); /* cycling */
  fb_def(&f, 2, M_RECORD, simple_record, 5);
  simple(&f, 2, T0, 0, 8.0, 130, 90);
  simple(&f, 2, T0 + 1, 8, 8.0, 131, 92);
  size_t len = fb_finish(&f);
  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  T_STR(a->sport, "cycling");
  T_INT(a->n_sessions, 0);
  T_NAN(a->series.cadence_spm[0]);
  T_NEAR(a->series.cadence_rpm[0], 90, 0);
  T_NAN(a->summary.avg_cadence_spm);
  T_NAN(a->summary.total_steps);
  T_NEAR(a->summary.avg_cadence_rpm, 92, 1e-9); /* time-weighted */
  T_NEAR(a->summary.max_cadence_rpm, 92, 0);
  gk_activity_free(a);
}

/* HR stored in hr messages, merged into records that have none. */
static void test_hr_merge(void) {
  static fitb f;
  fb_init(&f);
  file_id(&f, 0);
  sport(&f, 1, 1, 0);
  /* anchor: timestamp T0-1 + fractional 0.5, event_timestamp 100.0 */
  static const fdef anchor[] = {{253, 4, B_UINT32},
                                {0, 2, B_UINT16},  /* fractional_timestamp */
                                {9, 4, B_UINT32},  /* event_timestamp */
                                {6, 1, B_UINT8}};  /* filtered_bpm */
  fb_def(&f, 2, M_HR, anchor, 4);
  fb_data(&f, 2);
  p32(&f, T0 - 1);
  p16(&f, 16384); /* 0.5 s */
  p32(&f, 100 * 1024);
  p8(&f, 100);
  /* then 8 points every 0.5 s: event_timestamp 100.5 .. 104.0 */
  static const fdef delta[] = {{9, 32, B_UINT32}, {6, 8, B_UINT8}};
  fb_def(&f, 3, M_HR, delta, 2);
  fb_data(&f, 3);
  for (int i = 1; i <= 8; i++) p32(&f, 100 * 1024 + i * 512);
  for (int i = 1; i <= 8; i++) p8(&f, 100 + i);
  /* records: timestamp only at T0 .. T0+5, then one with its own HR */
  def_ts_record(&f, 4);
  for (uint32_t t = 0; t <= 5; t++) {
    fb_data(&f, 4);
    p32(&f, T0 + t);
  }
  fb_def(&f, 5, M_RECORD, simple_record, 5);
  simple(&f, 5, T0 + 6, 10, 3.0, 150, 0xFF);
  size_t len = fb_finish(&f);

  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  const gk_series *s = &a->series;
  /* points: T0-0.5:100, T0:101, T0+0.5:102 ... T0+3.5:108, each gap of
     0.5 s filled with the previous value at +0.25 s (the SDK's rule) */
  T_INT(a->stats.hr_points, 9 + 8);
  /* T0+5 gets no HR point and carries nothing else: dropped */
  T_INT(s->n, 6);
  T_INT(a->stats.empty, 1);
  T_INT(a->stats.hr_filled, 5);
  T_TRUE(a->flags & GK_ACT_HR_MERGED);
  T_NEAR(s->hr_bpm[0], 100, 0); /* (T0-1, T0]: 100, 100, 101 */
  T_NEAR(s->hr_bpm[1], 102, 0); /* (T0, T0+1]: 101, 102, 102, 103 */
  T_NEAR(s->hr_bpm[2], 104, 0);
  T_NEAR(s->hr_bpm[3], 106, 0);
  T_NEAR(s->hr_bpm[4], 108, 0); /* 107, 108: 107.5 rounds up */
  T_NEAR(s->time_s[5], 6, 0);
  T_NEAR(s->hr_bpm[5], 150, 0); /* the record's own HR is kept */
  gk_activity_free(a);
}

/* No session: the summary is computed from the samples. */
static void test_computed_summary(void) {
  static fitb f;
  fb_init(&f);
  file_id(&f, 0);
  sport(&f, 1, 1, 0); /* running */
  fb_def(&f, 2, M_RECORD, simple_record, 5);
  for (uint32_t i = 0; i <= 10; i++)
    simple(&f, 2, T0 + i, 3.0 * i, 3.0, 100 + i, 80);
  /* a 60 s pause: no distance, speed 0 */
  simple(&f, 2, T0 + 70, 30, 0, 90, 0);
  size_t len = fb_finish(&f);
  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  const gk_summary *s = &a->summary;
  T_INT(a->n_sessions, 0);
  T_TRUE(!(a->flags & GK_ACT_DEVICE_SUMMARY));
  T_STR(a->sport, "running");
  T_NEAR(s->distance_m, 30, 1e-9);
  T_NEAR(s->elapsed_s, 70, 0);
  T_NEAR(s->timer_s, 10, 1e-9);  /* the pause is not timed */
  T_NEAR(s->moving_s, 10, 1e-9);
  T_NEAR(s->avg_speed_mps, 3.0, 1e-9);
  T_NEAR(s->max_speed_mps, 3.0, 1e-9);
  /* time-weighted: each sample weighs the gap before it (the first and the
     one after the pause weigh nothing) */
  T_NEAR(s->avg_hr, 105.5, 1e-9);
  T_NEAR(s->max_hr, 110, 0);
  T_NEAR(s->avg_cadence_spm, 160, 1e-9); /* zero cadence left out */
  T_NEAR(s->max_cadence_spm, 160, 0);
  T_NEAR(s->total_steps, 160.0 * 10 / 60, 0.5);
  T_NAN(s->calories);
  T_NAN(s->ascent_m); /* no altitude */
  T_NAN(s->avg_stance_time_ms);
  T_TRUE(s->computed & (1u << GK_SUM_DISTANCE_M));
  T_TRUE(s->computed & (1u << GK_SUM_AVG_HR));
  T_TRUE(!(s->computed & (1u << GK_SUM_CALORIES)));
  gk_activity_free(a);
}

/* Device-relative timestamps (below 0x10000000): the start is unknown. */
static void test_relative_time(void) {
  static fitb f;
  fb_init(&f);
  fb_def(&f, 0, M_RECORD, simple_record, 5);
  simple(&f, 0, 17217864, 0, 3.0, 93, 0xFF);
  simple(&f, 0, 17217869, 14.25, 3.5, 104, 88);
  size_t len = fb_finish(&f);
  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  T_TRUE(a->flags & GK_ACT_START_UNKNOWN);
  T_INT(a->start_time, 17217864);
  T_NEAR(a->series.time_s[1], 5, 0);
  T_STR(a->sport, "");
  /* no sport and no running dynamics: cadence not taken as steps */
  T_NAN(a->series.cadence_spm[1]);
  T_NEAR(a->series.cadence_rpm[1], 88, 0);
  gk_activity_free(a);
}

/* Two sessions (bike, run) written before the records, laps, same-second
   records merged. */
static void test_multisport(void) {
  static fitb f;
  fb_init(&f);
  file_id(&f, 0);
  fb_def(&f, 1, M_SESSION, session_fields, N_SESSION_FIELDS);
  sess bike = {T0, 10000, 10000, 10000, 0, 2, 0, 120, 130, 90, 95, 0, 0,
               10000, 0xFFFF, 0xFFFF, 0xFFFF};
  sess runs = {T0 + 10, 10000, 10000, 5000, 14, 1, 0, 150, 160, 85, 90, 0, 0,
               5000, 0xFFFF, 0xFFFF, 0xFFFF};
  session(&f, 1, &bike);
  session(&f, 1, &runs);
  static const fdef lap[] = {{253, 4, B_UINT32}, {2, 4, B_UINT32},
                             {7, 4, B_UINT32},   {8, 4, B_UINT32},
                             {9, 4, B_UINT32},   {15, 1, B_UINT8},
                             {17, 1, B_UINT8},   {80, 1, B_UINT8}};
  fb_def(&f, 2, M_LAP, lap, 8);
  for (int k = 0; k < 2; k++) {
    fb_data(&f, 2);
    p32(&f, T0 + 10 * (k + 1));
    p32(&f, T0 + 10 * k);
    p32(&f, 10000);
    p32(&f, 10000);
    p32(&f, k ? 5000 : 10000);
    p8(&f, k ? 150 : 120);
    p8(&f, k ? 85 : 90);
    p8(&f, 32); /* 0.25 */
  }
  fb_def(&f, 3, M_RECORD, simple_record, 5);
  for (uint32_t i = 0; i < 20; i++)
    simple(&f, 3, T0 + i, i < 10 ? 10.0 * i : 100 + 5.0 * (i - 10),
           i < 10 ? 10.0 : 5.0, i < 10 ? 120 : 150, i < 10 ? 90 : 85);
  /* a second record in the same second: fills the gaps of the first */
  static const fdef pos[] = {{253, 4, B_UINT32}, {0, 4, B_SINT32},
                             {1, 4, B_SINT32}};
  fb_def(&f, 4, M_RECORD, pos, 3);
  fb_data(&f, 4);
  p32(&f, T0 + 19);
  p32(&f, 0x10000000);
  p32(&f, 0x20000000);
  size_t len = fb_finish(&f);

  gk_activity *a = read_ok(&f, len);
  if (a == NULL) return;
  const gk_series *s = &a->series;
  T_STR(a->sport, "multisport");
  T_INT(a->n_sessions, 2);
  T_INT(s->n, 20);
  T_INT(a->stats.merged, 1);
  T_NEAR(s->lat_deg[19], 22.5, 1e-9);
  T_NEAR(s->hr_bpm[19], 150, 0);
  const gk_session *b = &a->sessions[0], *r = &a->sessions[1];
  T_STR(b->sport, "cycling");
  T_STR(r->sport, "running");
  T_TRUE(!b->on_foot);
  T_TRUE(r->on_foot);
  T_NEAR(r->start_s, 10, 0);
  T_INT(b->first_sample, 0);
  T_INT(b->n_samples, 10);
  T_INT(r->first_sample, 10);
  T_INT(r->n_samples, 10);
  T_NAN(s->cadence_spm[5]);
  T_NEAR(s->cadence_rpm[5], 90, 0);
  T_NEAR(s->cadence_spm[15], 170, 0);
  T_NAN(b->summary.avg_cadence_spm);
  T_NAN(b->summary.total_steps);
  T_NEAR(b->summary.avg_cadence_rpm, 90, 0);
  T_NEAR(r->summary.avg_cadence_spm, 170, 0);
  T_NEAR(r->summary.total_steps, 28, 0);
  /* the activity: totals summed, averages weighted by timer time, step
     cadence only from the run */
  T_NEAR(a->summary.distance_m, 150, 1e-9);
  T_NEAR(a->summary.timer_s, 20, 1e-9);
  T_NEAR(a->summary.avg_hr, 135, 1e-9);
  T_NEAR(a->summary.max_hr, 160, 0);
  T_NEAR(a->summary.avg_cadence_spm, 170, 0);
  T_NEAR(a->summary.total_steps, 28, 0);
  T_NEAR(a->summary.avg_speed_mps, 7.5, 1e-9);
  /* laps: assigned to sessions by time; cadence per the session's sport */
  T_INT(a->n_laps, 2);
  T_INT(a->laps[0].session, 0);
  T_INT(a->laps[1].session, 1);
  T_INT(r->first_lap, 1);
  T_INT(r->n_laps, 1);
  T_NAN(a->laps[0].avg_cadence_spm);
  T_NEAR(a->laps[0].avg_cadence_rpm, 90.25, 1e-9);
  T_NEAR(a->laps[1].avg_cadence_spm, 170.5, 1e-9);
  T_NEAR(a->laps[1].start_s, 10, 0);
  T_NEAR(a->laps[1].distance_m, 50, 1e-9);
  gk_activity_free(a);
}

/* A damaged file: an error, or with GK_FIT_ACT_PARTIAL what was read. */
static void test_partial(void) {
  static fitb f;
  fb_init(&f);
  file_id(&f, 0);
  fb_def(&f, 1, M_RECORD, simple_record, 5);
  for (uint32_t i = 0; i < 5; i++) simple(&f, 1, T0 + i, i, 1.0, 100, 80);
  size_t len = fb_finish(&f);
  size_t cut = len - 2 - 7; /* into the last record */
  static gk_activity dummy;
  gk_activity *a = &dummy; /* must be reset to NULL on failure */
  gk_err err;
  memset(&err, 0, sizeof err);
  T_INT(gk_fit_read_activity(f.b, cut, 0, &a, &err), GK_E_TRUNCATED);
  T_TRUE(a == NULL);
  T_INT(err.code, GK_E_TRUNCATED);
  memset(&err, 0, sizeof err);
  T_INT(gk_fit_read_activity(f.b, cut, GK_FIT_ACT_PARTIAL, &a, &err), GK_OK);
  if (!T_TRUE(a != NULL)) return;
  T_TRUE(a->flags & GK_ACT_PARTIAL);
  T_INT(err.code, GK_E_TRUNCATED);
  T_INT(a->series.n, 4);
  gk_activity_free(a);
  /* a bad CRC: an error unless accepted */
  f.b[len - 1] ^= 0xFF;
  T_INT(gk_fit_read_activity(f.b, len, 0, &a, NULL), GK_E_CRC);
  T_INT(gk_fit_read_activity(f.b, len, GK_FIT_ACCEPT_BAD_CRC, &a, NULL), GK_OK);
  T_INT(a->series.n, 5);
  gk_activity_free(a);
  T_INT(gk_fit_read_activity(f.b, len, 0, NULL, NULL), GK_E_ARG);
}

/* The model on its own: storage, limits, combine, hash. */
static void test_model(void) {
  gk_activity *a = NULL;
  T_INT(gk_activity_new(&a, NULL), GK_OK);
  if (a == NULL) return;
  T_NAN(a->summary.distance_m);
  gk_sample s;
  for (int i = 0; i < 3000; i++) { /* grows past the first block */
    gk_sample_clear(&s);
    s.time_s = i;
    if (i % 2) s.hr_bpm = 100 + i % 7;
    T_INT(gk_activity_add_sample(a, &s), GK_OK);
  }
  T_INT(a->series.n, 3000);
  T_NEAR(a->series.hr_bpm[2999], 100 + 2999 % 7, 0);
  T_NAN(a->series.hr_bpm[2998]);
  T_INT(gk_activity_drop_empty_samples(a), 1500);
  T_INT(a->series.n, 1500);
  T_NEAR(a->series.time_s[1], 3, 0);
  T_INT(gk_activity_set_path(a, "run.fit"), GK_OK);
  T_STR(a->source.path, "run.fit");
  gk_activity_free(a);
  gk_activity_free(NULL);

  gk_summary p[2];
  gk_summary_clear(&p[0]);
  gk_summary_clear(&p[1]);
  p[0].timer_s = 100;
  p[0].distance_m = 1000;
  p[0].avg_hr = 100;
  p[0].max_hr = 150;
  p[1].timer_s = 300;
  p[1].distance_m = 2000;
  p[1].avg_hr = 140;
  p[1].max_hr = 160;
  p[1].avg_step_length_mm = 1000.1;
  p[1].computed = 1u << GK_SUM_AVG_HR;
  gk_summary c;
  gk_summary_combine(&c, p, 2);
  T_NEAR(c.timer_s, 400, 0);
  T_NEAR(c.distance_m, 3000, 0);
  T_NEAR(c.avg_hr, 130, 1e-9);
  T_NEAR(c.max_hr, 160, 0);
  T_NEAR(c.avg_speed_mps, 7.5, 1e-12);
  T_TRUE(c.avg_step_length_mm == 1000.1); /* one part: exact */
  T_NAN(c.calories);
  T_TRUE(c.computed == (1u << GK_SUM_AVG_HR));

  T_TRUE(gk_fnv1a64("", 0) == 0xcbf29ce484222325ull);
  T_TRUE(gk_fnv1a64("a", 1) == 0xaf63dc4c8601ec8cull);
  T_TRUE(gk_sport_is_on_foot("running"));
  T_TRUE(gk_sport_is_on_foot("hiking"));
  T_TRUE(!gk_sport_is_on_foot("cycling"));
  T_TRUE(!gk_sport_is_on_foot(NULL));
}

int main(void) {
  RUN(test_run_fields);
  RUN(test_speed_sources);
  RUN(test_cycling_cadence);
  RUN(test_hr_merge);
  RUN(test_computed_summary);
  RUN(test_relative_time);
  RUN(test_multisport);
  RUN(test_partial);
  RUN(test_model);
  return TEST_SUMMARY();
}
