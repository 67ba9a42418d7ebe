/*
** demo_run.c -- a realistic sample run written as a FIT file with
** gaitkeeper's own FIT writer, for `gaitkeeper demo`.
**
** A 40-minute easy run on a 2 km park loop: a warm-up kilometre, steady
** running, a short hill each lap; heart rate drifting up with time;
** cadence near 162 steps/min (a little low, as in many runners with knee
** pain); running dynamics as a chest strap reports them; 1 Hz records;
** one lap per kilometre, a session and an activity message, as a watch
** writes them.  Deterministic: the same bytes every time.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo_run.h"
#include "gaitkeeper/fit_ids.h"
#include "gaitkeeper/fit_write.h"

#define DEMO_SECONDS 2400
#define DEG_TO_SEMI (2147483648.0 / 180.0)
#define PI 3.14159265358979323846

static uint32_t rng_state = 2463534242u;
static double noise(void) { /* xorshift32, uniform in [-1, 1) */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return (double)rng_state / 2147483648.0 - 1.0;
}

struct lap_acc {
  uint32_t start, n;
  double dist0, hr_sum, cad_sum, hr_max, cad_max, ascent;
};

static void write_lap(gk_fit_writer *w, const struct lap_acc *a, uint32_t end,
                      double dist, uint16_t index) {
  gk_fit_msg_begin(w, 3);
  gk_fit_put_u32(w, end);
  gk_fit_put_u32(w, a->start);
  gk_fit_put_u32(w, (uint32_t)((end - a->start) * 1000.0));
  gk_fit_put_u32(w, (uint32_t)((end - a->start) * 1000.0));
  gk_fit_put_u32(w, (uint32_t)((dist - a->dist0) * 100.0));
  gk_fit_put_u8(w, (uint8_t)lround(a->hr_sum / a->n));
  gk_fit_put_u8(w, (uint8_t)a->hr_max);
  double cad = a->cad_sum / a->n / 2.0; /* strides/min */
  gk_fit_put_u8(w, (uint8_t)floor(cad));
  gk_fit_put_u8(w, (uint8_t)lround((cad - floor(cad)) * 128.0));
  gk_fit_put_u32(w, (uint32_t)((dist - a->dist0) / (end - a->start) * 1000.0));
  gk_fit_put_u16(w, index);
  gk_fit_put_u8(w, 1); /* sport: running */
  gk_fit_msg_end(w);
}

int gk_demo_write_run(const char *path, uint32_t start_fit_time) {
  gk_fit_writer *w;
  if (gk_fit_writer_new(&w, NULL, 0) != GK_OK) return -1;

  static const gk_fit_field_def file_id[] = {
      {GK_FIT_FILE_ID_TYPE, 1, GK_FIT_ENUM},
      {GK_FIT_FILE_ID_MANUFACTURER, 2, GK_FIT_UINT16},
      {GK_FIT_FILE_ID_PRODUCT, 2, GK_FIT_UINT16},
      {GK_FIT_FILE_ID_SERIAL_NUMBER, 4, GK_FIT_UINT32Z},
      {GK_FIT_FILE_ID_TIME_CREATED, 4, GK_FIT_UINT32},
      {GK_FIT_FILE_ID_PRODUCT_NAME, 16, GK_FIT_STRING}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_FILE_ID, 6, file_id, 0, NULL);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u8(w, 4);       /* activity */
  gk_fit_put_u16(w, 255);    /* manufacturer: development */
  gk_fit_put_u16(w, 1);
  gk_fit_put_u32(w, 20261123);
  gk_fit_put_u32(w, start_fit_time);
  gk_fit_put_str(w, "gaitkeeper demo");
  gk_fit_msg_end(w);

  static const gk_fit_field_def event[] = {
      {GK_FIT_EVENT_TIMESTAMP, 4, GK_FIT_UINT32},
      {GK_FIT_EVENT_EVENT, 1, GK_FIT_ENUM},
      {GK_FIT_EVENT_EVENT_TYPE, 1, GK_FIT_ENUM}};
  gk_fit_write_definition(w, 1, GK_FIT_MESG_EVENT, 3, event, 0, NULL);
  gk_fit_msg_begin(w, 1);
  gk_fit_put_u32(w, start_fit_time);
  gk_fit_put_u8(w, 0); /* timer */
  gk_fit_put_u8(w, 0); /* start */
  gk_fit_msg_end(w);

  static const gk_fit_field_def record[] = {
      {253, 4, GK_FIT_UINT32},  {0, 4, GK_FIT_SINT32},  {1, 4, GK_FIT_SINT32},
      {5, 4, GK_FIT_UINT32},    {73, 4, GK_FIT_UINT32}, {78, 4, GK_FIT_UINT32},
      {3, 1, GK_FIT_UINT8},     {4, 1, GK_FIT_UINT8},   {53, 1, GK_FIT_UINT8},
      {39, 2, GK_FIT_UINT16},   {41, 2, GK_FIT_UINT16}, {84, 2, GK_FIT_UINT16},
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

  const double lat0 = 48.1374, lon0 = 11.5755, loop_m = 2000.0;
  const double r = loop_m / (2 * PI);
  double dist = 0, alt = 520, prev_alt = 520, ascent = 0;
  double hr_sum = 0, hr_max = 0, cad_sum = 0, cad_max = 0;
  double vo_sum = 0, gct_sum = 0, bal_sum = 0, step_sum = 0;
  struct lap_acc la = {start_fit_time, 0, 0, 0, 0, 0, 0, 0};
  uint16_t laps = 0;
  for (uint32_t t = 0; t < DEMO_SECONDS; t++) {
    double warm = t < 360 ? 0.85 + 0.15 * t / 360.0 : 1.0;
    double lap_pos = fmod(dist, loop_m) / loop_m;
    double hill = (lap_pos > 0.6 && lap_pos < 0.7) ? 1.0 : 0.0;
    double speed = (2.95 - 0.35 * hill) * warm + 0.04 * noise();
    double hr = 118 + 32 * (1 - exp(-(double)t / 300.0)) + 6.0 * t / DEMO_SECONDS +
                8 * hill + 1.5 * noise();
    double spm = 158 + 6 * warm - 2 * hill + 1.6 * noise(); /* steps/min */
    double strides = spm / 2.0;
    double stance = 268 - 12 * (warm - 0.85) / 0.15 + 6 * hill + 4 * noise();
    double vo = 92 + 3 * noise();
    double balance = 49.2 + 0.6 * noise(); /* a little less on the left */
    double step_len = speed / (spm / 60.0) * 1000.0;
    dist += speed;
    alt = 520 + (hill ? 12.0 * (lap_pos - 0.6) / 0.1 : (lap_pos >= 0.7 ? 12.0 * (1 - (lap_pos - 0.7) / 0.3) : 0));
    if (alt > prev_alt) ascent += alt - prev_alt;
    prev_alt = alt;
    double ang = 2 * PI * lap_pos;
    double lat = lat0 + (r * sin(ang)) / 111320.0;
    double lon = lon0 + (r * (1 - cos(ang))) / (111320.0 * cos(lat0 * PI / 180));
    uint32_t ts = start_fit_time + t;
    gk_fit_msg_begin(w, 2);
    gk_fit_put_u32(w, ts);
    gk_fit_put_s32(w, (int32_t)lround(lat * DEG_TO_SEMI));
    gk_fit_put_s32(w, (int32_t)lround(lon * DEG_TO_SEMI));
    gk_fit_put_u32(w, (uint32_t)lround(dist * 100));
    gk_fit_put_u32(w, (uint32_t)lround(speed * 1000));
    gk_fit_put_u32(w, (uint32_t)lround((alt + 500) * 5));
    gk_fit_put_u8(w, (uint8_t)lround(hr));
    gk_fit_put_u8(w, (uint8_t)floor(strides));
    gk_fit_put_u8(w, (uint8_t)lround((strides - floor(strides)) * 128) & 0x7F);
    gk_fit_put_u16(w, (uint16_t)lround(vo * 10));
    gk_fit_put_u16(w, (uint16_t)lround(stance * 10));
    gk_fit_put_u16(w, (uint16_t)lround(balance * 100));
    gk_fit_put_u16(w, (uint16_t)lround(step_len * 10));
    gk_fit_msg_end(w);
    hr_sum += hr;
    cad_sum += spm;
    vo_sum += vo;
    gct_sum += stance;
    bal_sum += balance;
    step_sum += step_len;
    if (hr > hr_max) hr_max = hr;
    if (spm > cad_max) cad_max = spm;
    la.n++;
    la.hr_sum += hr;
    la.cad_sum += spm;
    if (hr > la.hr_max) la.hr_max = lround(hr);
    if (dist - la.dist0 >= 1000.0 || t + 1 == DEMO_SECONDS) {
      write_lap(w, &la, ts + 1, dist, laps++);
      la.start = ts + 1;
      la.dist0 = dist;
      la.n = 0;
      la.hr_sum = la.cad_sum = la.hr_max = 0;
    }
  }
  uint32_t end = start_fit_time + DEMO_SECONDS;
  gk_fit_msg_begin(w, 1);
  gk_fit_put_u32(w, end);
  gk_fit_put_u8(w, 0); /* timer */
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
      {GK_FIT_SESSION_AVG_VERTICAL_OSCILLATION, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_STANCE_TIME, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_STANCE_TIME_BALANCE, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_AVG_STEP_LENGTH, 2, GK_FIT_UINT16},
      {GK_FIT_SESSION_TOTAL_CYCLES, 4, GK_FIT_UINT32},
      {GK_FIT_SESSION_NUM_LAPS, 2, GK_FIT_UINT16}};
  gk_fit_write_definition(w, 4, GK_FIT_MESG_SESSION, 20, session, 0, NULL);
  double n = DEMO_SECONDS, strides_avg = cad_sum / n / 2.0;
  gk_fit_msg_begin(w, 4);
  gk_fit_put_u32(w, end);
  gk_fit_put_u32(w, start_fit_time);
  gk_fit_put_u8(w, 1); /* running */
  gk_fit_put_u8(w, 0); /* generic */
  gk_fit_put_u32(w, DEMO_SECONDS * 1000u);
  gk_fit_put_u32(w, DEMO_SECONDS * 1000u);
  gk_fit_put_u32(w, (uint32_t)lround(dist * 100));
  gk_fit_put_u8(w, (uint8_t)lround(hr_sum / n));
  gk_fit_put_u8(w, (uint8_t)lround(hr_max));
  gk_fit_put_u8(w, (uint8_t)floor(strides_avg));
  gk_fit_put_u8(w, (uint8_t)floor(cad_max / 2.0));
  gk_fit_put_u8(w, (uint8_t)lround((strides_avg - floor(strides_avg)) * 128) & 0x7F);
  gk_fit_put_u32(w, (uint32_t)lround(dist / n * 1000));
  gk_fit_put_u16(w, (uint16_t)lround(ascent));
  gk_fit_put_u16(w, (uint16_t)lround(vo_sum / n * 10));
  gk_fit_put_u16(w, (uint16_t)lround(gct_sum / n * 10));
  gk_fit_put_u16(w, (uint16_t)lround(bal_sum / n * 100));
  gk_fit_put_u16(w, (uint16_t)lround(step_sum / n * 10));
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
  gk_fit_put_u32(w, DEMO_SECONDS * 1000u);
  gk_fit_put_u16(w, 1);
  gk_fit_put_u8(w, 0);  /* manual */
  gk_fit_put_u8(w, 26); /* activity */
  gk_fit_put_u8(w, 1);  /* stop */
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
