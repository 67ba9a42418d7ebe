/*
** sample_runs.c -- realistic sample runs written as FIT activity files with
** gaitkeeper's own FIT writer (include/gaitkeeper/fit_write.h): the demo's
** run and the import benchmark's thousand (tools/gen_runs.c).
**
** Run k is deterministic in k, and differs from every other in distance
** (3-16 km, a long run of up to 30 km every seventh), pace (4:10-6:50 /km),
** heart rate, cadence, course and terrain: every fifth is a trail run with
** real hills, every ninth a treadmill run without GPS, and two runs in
** three carry running dynamics (vertical oscillation, ground contact time
** and balance, step length) as a chest strap or pod records them.  1 Hz
** records, a lap per kilometre, a session and an activity message, as a
** watch writes them.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/fit_ids.h"
#include "gaitkeeper/fit_write.h"
#include "sample_runs.h"

#define PI 3.14159265358979323846
#define DEG_TO_SEMI (2147483648.0 / 180.0)
#define FIT_EPOCH_UNIX 631065600u

typedef struct rng {
  uint64_t s;
} rng;

static double uniform(rng *r) { /* splitmix64, in [0, 1) */
  uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (double)(z >> 11) / 9007199254740992.0;
}

static double noise(rng *r) { return 2.0 * uniform(r) - 1.0; }

struct lap_acc {
  uint32_t start, n;
  double dist0, hr_sum, cad_sum, hr_max;
};

static void write_lap(gk_fit_writer *w, const struct lap_acc *a, uint32_t end,
                      double dist, uint16_t index, uint8_t sport) {
  gk_fit_msg_begin(w, 3);
  gk_fit_put_u32(w, end);
  gk_fit_put_u32(w, a->start);
  gk_fit_put_u32(w, (uint32_t)((end - a->start) * 1000.0));
  gk_fit_put_u32(w, (uint32_t)((end - a->start) * 1000.0));
  gk_fit_put_u32(w, (uint32_t)lround((dist - a->dist0) * 100.0));
  gk_fit_put_u8(w, (uint8_t)lround(a->hr_sum / a->n));
  gk_fit_put_u8(w, (uint8_t)lround(a->hr_max));
  double cad = a->cad_sum / a->n / 2.0;
  gk_fit_put_u8(w, (uint8_t)floor(cad));
  gk_fit_put_u8(w, (uint8_t)lround((cad - floor(cad)) * 128.0) & 0x7F);
  gk_fit_put_u32(
      w, (uint32_t)lround((dist - a->dist0) / (end - a->start) * 1000.0));
  gk_fit_put_u16(w, index);
  gk_fit_put_u8(w, sport);
  gk_fit_msg_end(w);
}

int gk_sample_run_write(const char *path, uint32_t k, uint8_t sport,
                        uint32_t start_unix) {
  return gk_sample_run_write_spec(path, k, sport, start_unix, NULL);
}

/* Write run k to path, with spec's choices where given.  Returns 0 or -1. */
int gk_sample_run_write_spec(const char *path, uint32_t k, uint8_t sport,
                             uint32_t start_unix,
                             const gk_sample_run_spec *spec) {
  rng r = {0x5EEDull * 1000003u + k};
  int trail = k % 5 == 4, treadmill = k % 9 == 8 && !trail;
  if (spec != NULL && spec->terrain >= 0) {
    trail = spec->terrain == GK_SAMPLE_TRAIL;
    treadmill = spec->terrain == GK_SAMPLE_TREADMILL;
  }
  const int dynamics = k % 3 != 2;
  double km = 3.0 + 13.0 * pow(uniform(&r), 1.6);
  if (k % 7 == 6) km = 16.0 + 14.0 * uniform(&r);    /* the long run */
  double pace_s = 250.0 + 160.0 * uniform(&r); /* per km */
  if (spec != NULL && isfinite(spec->km) && spec->km > 0) km = spec->km;
  if (spec != NULL && isfinite(spec->pace_s_per_km) && spec->pace_s_per_km > 0)
    pace_s = spec->pace_s_per_km;
  const double v0 = 1000.0 / pace_s;
  const double hr_rest = 55 + 12 * uniform(&r);
  const double hr_steady = 118 + 45 * (v0 - 2.44) / 1.56 + 8 * noise(&r);
  double spm0 = 156 + 14 * (v0 - 2.44) / 1.56 + 6 * noise(&r);
  if (spec != NULL && isfinite(spec->cadence_spm) && spec->cadence_spm > 0)
    spm0 = spec->cadence_spm;
  const double lat0 = 47.0 + 6.0 * uniform(&r), lon0 = 6.0 + 9.0 * uniform(&r);
  const double loop_m = 1500.0 + 4000.0 * uniform(&r);
  const double hill_m = trail ? 40 + 80 * uniform(&r) : 4 + 10 * uniform(&r);
  const double alt0 = 100 + 900 * uniform(&r);
  const uint32_t start = start_unix - FIT_EPOCH_UNIX;
  const uint8_t sub_sport = treadmill ? 1 : trail ? 3 : 0;

  gk_fit_writer *w;
  if (gk_fit_writer_new(&w, NULL, 0) != GK_OK) return -1;
  static const gk_fit_field_def file_id[] = {
      {GK_FIT_FILE_ID_TYPE, 1, GK_FIT_ENUM},
      {GK_FIT_FILE_ID_MANUFACTURER, 2, GK_FIT_UINT16},
      {GK_FIT_FILE_ID_PRODUCT, 2, GK_FIT_UINT16},
      {GK_FIT_FILE_ID_SERIAL_NUMBER, 4, GK_FIT_UINT32Z},
      {GK_FIT_FILE_ID_TIME_CREATED, 4, GK_FIT_UINT32}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_FILE_ID, 5, file_id, 0, NULL);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u8(w, 4);     /* activity */
  gk_fit_put_u16(w, 1);    /* garmin */
  gk_fit_put_u16(w, 2697); /* fenix 5 */
  gk_fit_put_u32(w, 3900000000u);
  gk_fit_put_u32(w, start);
  gk_fit_msg_end(w);

  static const gk_fit_field_def event[] = {
      {GK_FIT_EVENT_TIMESTAMP, 4, GK_FIT_UINT32},
      {GK_FIT_EVENT_EVENT, 1, GK_FIT_ENUM},
      {GK_FIT_EVENT_EVENT_TYPE, 1, GK_FIT_ENUM}};
  gk_fit_write_definition(w, 1, GK_FIT_MESG_EVENT, 3, event, 0, NULL);
  gk_fit_msg_begin(w, 1);
  gk_fit_put_u32(w, start);
  gk_fit_put_u8(w, 0);
  gk_fit_put_u8(w, 0);
  gk_fit_msg_end(w);

  static const gk_fit_field_def record[] = {
      {253, 4, GK_FIT_UINT32}, {0, 4, GK_FIT_SINT32},  {1, 4, GK_FIT_SINT32},
      {5, 4, GK_FIT_UINT32},   {73, 4, GK_FIT_UINT32}, {78, 4, GK_FIT_UINT32},
      {3, 1, GK_FIT_UINT8},    {4, 1, GK_FIT_UINT8},   {53, 1, GK_FIT_UINT8},
      {39, 2, GK_FIT_UINT16},  {41, 2, GK_FIT_UINT16}, {84, 2, GK_FIT_UINT16},
      {85, 2, GK_FIT_UINT16}};
  gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, 13, record, 0, NULL);
  static const gk_fit_field_def lap[] = {
      {GK_FIT_LAP_TIMESTAMP, 4, GK_FIT_UINT32},
      {GK_FIT_LAP_START_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_LAP_TOTAL_ELAPSED_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_LAP_TOTAL_TIMER_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_LAP_TOTAL_DISTANCE, 4, GK_FIT_UINT32},
      {GK_FIT_LAP_AVG_HEART_RATE, 1, GK_FIT_UINT8},
      {GK_FIT_LAP_MAX_HEART_RATE, 1, GK_FIT_UINT8},
      {GK_FIT_LAP_AVG_CADENCE, 1, GK_FIT_UINT8},
      {GK_FIT_LAP_AVG_FRACTIONAL_CADENCE, 1, GK_FIT_UINT8},
      {GK_FIT_LAP_ENHANCED_AVG_SPEED, 4, GK_FIT_UINT32},
      {GK_FIT_LAP_MESSAGE_INDEX, 2, GK_FIT_UINT16},
      {GK_FIT_LAP_SPORT, 1, GK_FIT_ENUM}};
  gk_fit_write_definition(w, 3, GK_FIT_MESG_LAP, 12, lap, 0, NULL);

  const double r_loop = loop_m / (2 * PI);
  double dist = 0, prev_alt = alt0, ascent = 0, descent = 0;
  double hr_sum = 0, hr_max = 0, cad_sum = 0, cad_max = 0;
  double vo_sum = 0, gct_sum = 0, bal_sum = 0, step_sum = 0;
  struct lap_acc la = {start, 0, 0, 0, 0, 0};
  uint16_t laps = 0;
  uint32_t t = 0;
  const double target_m = km * 1000.0;
  const double bal0 = 49.0 + 1.6 * noise(&r); /* a slight, stable asymmetry */
  for (; dist < target_m && t < 6 * 3600; t++) {
    double warm = t < 300 ? 0.85 + 0.15 * t / 300.0 : 1.0;
    double lap_pos = fmod(dist, loop_m) / loop_m;
    double slope =
        treadmill ? 0 : hill_m * 2 * PI / loop_m * cos(2 * PI * lap_pos);
    double fatigue = 1.0 - 0.04 * (double)t / 7200.0;
    double speed = v0 * warm * fatigue * (1.0 - 1.6 * slope) + 0.05 * noise(&r);
    if (speed < 0.8) speed = 0.8;
    double hr = hr_rest +
                (hr_steady - hr_rest) * (1 - exp(-(double)t / 240.0)) +
                7.0 * t / 3600.0 + 60 * slope + 1.5 * noise(&r);
    double spm = spm0 + 8 * (warm - 1) + 3 * (speed - v0) + 1.5 * noise(&r);
    double strides = spm / 2.0;
    double stance = 300 - 25 * (speed - 2.4) + 4 * noise(&r);
    double vo = 80 + 8 * (speed - 2.4) + 3 * noise(&r);
    double balance = bal0 + 0.5 * noise(&r);
    double step_len = speed / (spm / 60.0) * 1000.0;
    dist += speed;
    double alt = treadmill ? alt0 : alt0 + hill_m * sin(2 * PI * lap_pos);
    if (alt > prev_alt)
      ascent += alt - prev_alt;
    else
      descent += prev_alt - alt;
    prev_alt = alt;
    double ang = 2 * PI * lap_pos;
    double lat = lat0 + (r_loop * sin(ang)) / 111320.0;
    double lon =
        lon0 + (r_loop * (1 - cos(ang))) / (111320.0 * cos(lat0 * PI / 180));
    uint32_t ts = start + t;
    gk_fit_msg_begin(w, 2);
    gk_fit_put_u32(w, ts);
    if (treadmill) {
      gk_fit_put_invalid(w);
      gk_fit_put_invalid(w);
    } else {
      gk_fit_put_s32(w, (int32_t)lround(lat * DEG_TO_SEMI));
      gk_fit_put_s32(w, (int32_t)lround(lon * DEG_TO_SEMI));
    }
    gk_fit_put_u32(w, (uint32_t)lround(dist * 100));
    gk_fit_put_u32(w, (uint32_t)lround(speed * 1000));
    gk_fit_put_u32(w, (uint32_t)lround((alt + 500) * 5));
    gk_fit_put_u8(w, (uint8_t)lround(hr));
    gk_fit_put_u8(w, (uint8_t)floor(strides));
    gk_fit_put_u8(w, (uint8_t)lround((strides - floor(strides)) * 128) & 0x7F);
    if (dynamics) {
      gk_fit_put_u16(w, (uint16_t)lround(vo * 10));
      gk_fit_put_u16(w, (uint16_t)lround(stance * 10));
      gk_fit_put_u16(w, (uint16_t)lround(balance * 100));
      gk_fit_put_u16(w, (uint16_t)lround(step_len * 10));
      vo_sum += vo;
      gct_sum += stance;
      bal_sum += balance;
      step_sum += step_len;
    } else {
      for (int i = 0; i < 4; i++) gk_fit_put_invalid(w);
    }
    if (gk_fit_msg_end(w) != GK_OK) break;
    hr_sum += hr;
    cad_sum += spm;
    if (hr > hr_max) hr_max = hr;
    if (spm > cad_max) cad_max = spm;
    la.n++;
    la.hr_sum += hr;
    la.cad_sum += spm;
    if (hr > la.hr_max) la.hr_max = hr;
    if (dist - la.dist0 >= 1000.0 || dist >= target_m) {
      write_lap(w, &la, ts + 1, dist, laps++, sport);
      la.start = ts + 1;
      la.dist0 = dist;
      la.n = 0;
      la.hr_sum = la.cad_sum = la.hr_max = 0;
    }
  }
  const uint32_t secs = t, end = start + secs;
  gk_fit_msg_begin(w, 1);
  gk_fit_put_u32(w, end);
  gk_fit_put_u8(w, 0);
  gk_fit_put_u8(w, 4); /* stop_all */
  gk_fit_msg_end(w);

  static const gk_fit_field_def session[] = {
      {GK_FIT_SESSION_TIMESTAMP, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_START_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_SPORT, 1, GK_FIT_ENUM},
      {GK_FIT_SESSION_SUB_SPORT, 1, GK_FIT_ENUM},
      {GK_FIT_SESSION_TOTAL_ELAPSED_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_TOTAL_TIMER_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_TOTAL_DISTANCE, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_AVG_HEART_RATE, 1, GK_FIT_UINT8},
      {GK_FIT_SESSION_MAX_HEART_RATE, 1, GK_FIT_UINT8},
      {GK_FIT_SESSION_AVG_CADENCE, 1, GK_FIT_UINT8},
      {GK_FIT_SESSION_MAX_CADENCE, 1, GK_FIT_UINT8},
      {GK_FIT_SESSION_AVG_FRACTIONAL_CADENCE, 1, GK_FIT_UINT8},
      {GK_FIT_SESSION_ENHANCED_AVG_SPEED, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_TOTAL_ASCENT, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_TOTAL_DESCENT, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_VERTICAL_OSCILLATION, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_STANCE_TIME, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_STANCE_TIME_BALANCE, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_STEP_LENGTH, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_TOTAL_CYCLES, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_NUM_LAPS, 2, GK_FIT_UINT16}};
  gk_fit_write_definition(w, 4, GK_FIT_MESG_SESSION, 21, session, 0, NULL);
  double n = secs ? secs : 1, strides_avg = cad_sum / n / 2.0;
  gk_fit_msg_begin(w, 4);
  gk_fit_put_u32(w, end);
  gk_fit_put_u32(w, start);
  gk_fit_put_u8(w, sport);
  gk_fit_put_u8(w, sport == 1 ? sub_sport : 0);
  gk_fit_put_u32(w, secs * 1000u);
  gk_fit_put_u32(w, secs * 1000u);
  gk_fit_put_u32(w, (uint32_t)lround(dist * 100));
  gk_fit_put_u8(w, (uint8_t)lround(hr_sum / n));
  gk_fit_put_u8(w, (uint8_t)lround(hr_max));
  gk_fit_put_u8(w, (uint8_t)floor(strides_avg));
  gk_fit_put_u8(w, (uint8_t)floor(cad_max / 2.0));
  gk_fit_put_u8(
      w, (uint8_t)lround((strides_avg - floor(strides_avg)) * 128) & 0x7F);
  gk_fit_put_u32(w, (uint32_t)lround(dist / n * 1000));
  gk_fit_put_u16(w, (uint16_t)lround(ascent));
  gk_fit_put_u16(w, (uint16_t)lround(descent));
  if (dynamics) {
    gk_fit_put_u16(w, (uint16_t)lround(vo_sum / n * 10));
    gk_fit_put_u16(w, (uint16_t)lround(gct_sum / n * 10));
    gk_fit_put_u16(w, (uint16_t)lround(bal_sum / n * 100));
    gk_fit_put_u16(w, (uint16_t)lround(step_sum / n * 10));
  } else {
    for (int i = 0; i < 4; i++) gk_fit_put_invalid(w);
  }
  gk_fit_put_u32(w, (uint32_t)lround(cad_sum / 60.0 / 2.0));
  gk_fit_put_u16(w, laps);
  gk_fit_msg_end(w);

  static const gk_fit_field_def activity[] = {
      {GK_FIT_ACTIVITY_TIMESTAMP, 4, GK_FIT_UINT32},
      {GK_FIT_ACTIVITY_TOTAL_TIMER_TIME, 4, GK_FIT_UINT32},
      {GK_FIT_ACTIVITY_NUM_SESSIONS, 2, GK_FIT_UINT16},
      {GK_FIT_ACTIVITY_TYPE, 1, GK_FIT_ENUM},
      {GK_FIT_ACTIVITY_EVENT, 1, GK_FIT_ENUM},
      {GK_FIT_ACTIVITY_EVENT_TYPE, 1, GK_FIT_ENUM}};
  gk_fit_write_definition(w, 5, GK_FIT_MESG_ACTIVITY, 6, activity, 0, NULL);
  gk_fit_msg_begin(w, 5);
  gk_fit_put_u32(w, end);
  gk_fit_put_u32(w, secs * 1000u);
  gk_fit_put_u16(w, 1);
  gk_fit_put_u8(w, 0);
  gk_fit_put_u8(w, 26);
  gk_fit_put_u8(w, 1);
  gk_status st = gk_fit_msg_end(w);

  const uint8_t *data;
  size_t len;
  if (st == GK_OK) st = gk_fit_writer_finish(w, &data, &len);
  int rc = -1;
  if (st == GK_OK) {
    FILE *f = fopen(path, "wb");
    if (f) {
      rc = fwrite(data, 1, len, f) == len ? 0 : -1;
      if (fclose(f) != 0) rc = -1;
    }
  }
  gk_fit_writer_free(w);
  return rc;
}

