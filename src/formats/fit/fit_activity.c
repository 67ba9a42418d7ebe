/*
** fit_activity.c -- a FIT activity file into the canonical gk_activity.
**
** One pass over the decoder's messages collects file_id, sport, session,
** lap, record and hr messages; a finishing pass then fixes the start time,
** merges heart rates stored in hr messages into the records, decides per
** session whether cadence counts steps, converts, and builds the summaries
** (the device's session figures first, gaps filled from the samples).
** Field by field rules: docs/FORMATS.md, "FIT -> activity".
*/
#include "gaitkeeper/fit_activity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "gaitkeeper/fit_ids.h"

/* Degrees per semicircle: 180 / 2^31. */
#define SEMICIRCLE_DEG (180.0 / 2147483648.0)

/* HR messages (the FIT SDK's rules, utils-hr-mesg.js): event_timestamp is
   a uint32 of 1/1024 s, so it wraps every 2^32 / 1024 s; between two HR
   points more than 250 ms apart the previous value is carried forward in
   250 ms steps, for up to 5 s. */
#define HR_EVENT_WRAP_S 4194304.0
#define HR_GAP_STEP_MS 250.0
#define HR_GAP_MAX_STEPS 20
/* Hard limit on HR points (gap fill included) held while reading. */
#define GK_FIT_MAX_HR_POINTS (1u << 23)

typedef struct hr_point {
  double t;   /* seconds since the FIT epoch (or device-relative) */
  double bpm;
} hr_point;

typedef struct reader {
  gk_activity *a;
  const gk_alloc *al;
  gk_status st;      /* first error found by a handler */
  const char *msg;   /* its static message */
  uint64_t offset;   /* where */

  int have_t0;       /* the first timed record: time_s is relative to it */
  uint32_t t0;
  int have_last;
  uint32_t last_ts;

  int have_file_id;
  double time_created; /* file_id.time_created, FIT seconds, or NaN */
  int have_sport;
  char sport[GK_NAME_MAX], sub_sport[GK_NAME_MAX];

  hr_point *hr;
  size_t n_hr, cap_hr;
  int hr_anchored;
  double anchor_t, anchor_ev;
} reader;

/* ---- field access ------------------------------------------------------- */

static const gk_fit_field *field(const gk_fit_mesg *m, uint8_t num) {
  const gk_fit_field *f = gk_fit_mesg_field_num(m, num);
  if (f == NULL || f->n_values == 0 || (f->flags & GK_FIT_F_AS_BYTES))
    return NULL;
  return f;
}

/* The fields of a record that the reader uses, by number (the first that
   is not a subfield): one pass over the message instead of a search per
   field. */
#define GK__REC_FIELDS 128
static void index_fields(const gk_fit_mesg *m,
                         const gk_fit_field *by[GK__REC_FIELDS]) {
  static const uint8_t used[] = {
      GK_FIT_RECORD_DISTANCE,         GK_FIT_RECORD_ENHANCED_SPEED,
      GK_FIT_RECORD_SPEED,            GK_FIT_RECORD_HEART_RATE,
      GK_FIT_RECORD_CADENCE,          GK_FIT_RECORD_CADENCE256,
      GK_FIT_RECORD_FRACTIONAL_CADENCE, GK_FIT_RECORD_ENHANCED_ALTITUDE,
      GK_FIT_RECORD_ALTITUDE,         GK_FIT_RECORD_POSITION_LAT,
      GK_FIT_RECORD_POSITION_LONG,    GK_FIT_RECORD_POWER,
      GK_FIT_RECORD_VERTICAL_OSCILLATION, GK_FIT_RECORD_STANCE_TIME,
      GK_FIT_RECORD_STANCE_TIME_BALANCE, GK_FIT_RECORD_STEP_LENGTH,
      GK_FIT_RECORD_VERTICAL_RATIO};
  for (size_t k = 0; k < sizeof used; k++) by[used[k]] = NULL;
  for (unsigned i = m->n_fields; i-- > 0;) {
    const gk_fit_field *f = &m->fields[i];
    if (f->num < GK__REC_FIELDS && !(f->flags & GK_FIT_F_SUBFIELD) &&
        f->n_values > 0 && !(f->flags & GK_FIT_F_AS_BYTES))
      by[f->num] = f;
  }
}

static double inum(const gk_fit_field *const by[GK__REC_FIELDS], uint8_t n) {
  return by[n] ? gk_fit_value_num(&by[n]->values[0]) : NAN;
}

/* enhanced() over an index (see there). */
static double ienhanced(const gk_fit_field *const by[GK__REC_FIELDS],
                        uint8_t enh, uint8_t plain) {
  const gk_fit_field *f = by[enh];
  if (f && !(f->flags & GK_FIT_F_EXPANDED)) return gk_fit_value_num(&f->values[0]);
  double v = inum(by, plain);
  if (!isnan(v)) return v;
  return f ? gk_fit_value_num(&f->values[0]) : NAN;
}

/* The first value of field num as a number; NaN when absent or invalid. */
static double num(const gk_fit_mesg *m, uint8_t num) {
  const gk_fit_field *f = field(m, num);
  return f ? gk_fit_value_num(&f->values[0]) : NAN;
}

/*
** enhanced_X (32 bits) when the file stores it, else X (16 bits).  An
** enhanced_X that the decoder expanded from X (the profile makes X a
** component of enhanced_X) holds X's value converted through a raw integer,
** which can round it down by one unit (compressed-speed-distance.fit: speed
** 2.03 gives enhanced_speed 2.029), so X itself is read then.
*/
static double enhanced(const gk_fit_mesg *m, uint8_t enh, uint8_t plain) {
  const gk_fit_field *f = field(m, enh);
  if (f && !(f->flags & GK_FIT_F_EXPANDED)) return gk_fit_value_num(&f->values[0]);
  double v = num(m, plain);
  if (!isnan(v)) return v;
  return f ? gk_fit_value_num(&f->values[0]) : NAN;
}

/* a + b where b (a fraction stored apart) may be missing. */
static double plus_fraction(double a, double b) {
  return isnan(b) ? a : a + b;
}

static void copy_name(char dst[GK_NAME_MAX], const char *src) {
  size_t n = strlen(src);
  if (n >= GK_NAME_MAX) n = GK_NAME_MAX - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* An enum field as its profile name, else its number; "" when absent. */
static void enum_name(const gk_fit_mesg *m, uint8_t num, char dst[GK_NAME_MAX]) {
  dst[0] = '\0';
  const gk_fit_field *f = field(m, num);
  if (f == NULL) return;
  const gk_fit_value *v = &f->values[0];
  if (v->kind == GK_FIT_V_STR) {
    copy_name(dst, v->v.s);
    return;
  }
  if (v->kind != GK_FIT_V_ENUM && v->kind != GK_FIT_V_NUM &&
      v->kind != GK_FIT_V_U64)
    return;
  const char *name =
      v->kind == GK_FIT_V_ENUM ? gk_fit_enum_name(f, v->v.u) : NULL;
  if (name) copy_name(dst, name);
  else snprintf(dst, GK_NAME_MAX, "%.0f", gk_fit_value_num(v));
}

static int fail(reader *r, gk_status st, const char *msg,
                const gk_fit_mesg *m) {
  if (r->st == GK_OK) {
    r->st = st;
    r->msg = msg;
    r->offset = m->offset;
  }
  return 1;
}

static int status_fail(reader *r, gk_status st, const gk_fit_mesg *m) {
  return fail(r, st,
              st == GK_E_LIMIT ? "activity exceeds a hard limit"
                               : "out of memory",
              m);
}

/* ---- messages ----------------------------------------------------------- */

static void on_file_id(reader *r, const gk_fit_mesg *m) {
  if (r->have_file_id) return; /* chained files: the first one names it */
  r->have_file_id = 1;
  gk_source *src = &r->a->source;
  enum_name(m, GK_FIT_FILE_ID_MANUFACTURER, src->manufacturer);
  /* product: a named subfield (garmin_product, ...) when there is one */
  src->product[0] = '\0';
  for (unsigned i = 0; i < m->n_fields; i++) {
    const gk_fit_field *f = &m->fields[i];
    if (f->num != GK_FIT_FILE_ID_PRODUCT || !(f->flags & GK_FIT_F_SUBFIELD))
      continue;
    if (f->n_values && f->values[0].kind == GK_FIT_V_ENUM) {
      const char *name = gk_fit_enum_name(f, f->values[0].v.u);
      if (name) copy_name(src->product, name);
    }
  }
  if (src->product[0] == '\0')
    enum_name(m, GK_FIT_FILE_ID_PRODUCT, src->product);
  enum_name(m, GK_FIT_FILE_ID_PRODUCT_NAME, src->product_name);
  double serial = num(m, GK_FIT_FILE_ID_SERIAL_NUMBER);
  if (serial > 0) src->serial = (uint64_t)serial;
  r->time_created = num(m, GK_FIT_FILE_ID_TIME_CREATED);
}

static void on_sport(reader *r, const gk_fit_mesg *m) {
  if (r->have_sport) return;
  r->have_sport = 1;
  enum_name(m, GK_FIT_SPORT_SPORT, r->sport);
  enum_name(m, GK_FIT_SPORT_SUB_SPORT, r->sub_sport);
}

/* Until the finishing pass: start_s holds FIT seconds, summary.total_steps
   the device's total cycles (strides on foot) and the *_spm fields NaN. */
static int on_session(reader *r, const gk_fit_mesg *m) {
  gk_session se;
  memset(&se, 0, sizeof se);
  gk_summary *s = &se.summary;
  gk_summary_clear(s);
  enum_name(m, GK_FIT_SESSION_SPORT, se.sport);
  enum_name(m, GK_FIT_SESSION_SUB_SPORT, se.sub_sport);
  s->elapsed_s = num(m, GK_FIT_SESSION_TOTAL_ELAPSED_TIME);
  s->timer_s = num(m, GK_FIT_SESSION_TOTAL_TIMER_TIME);
  se.start_s = num(m, GK_FIT_SESSION_START_TIME);
  if (isnan(se.start_s) && m->has_timestamp && !isnan(s->elapsed_s))
    se.start_s = (double)m->timestamp - s->elapsed_s;
  s->distance_m = num(m, GK_FIT_SESSION_TOTAL_DISTANCE);
  s->moving_s = num(m, GK_FIT_SESSION_TOTAL_MOVING_TIME);
  s->ascent_m = plus_fraction(num(m, GK_FIT_SESSION_TOTAL_ASCENT),
                              num(m, GK_FIT_SESSION_TOTAL_FRACTIONAL_ASCENT));
  s->descent_m =
      plus_fraction(num(m, GK_FIT_SESSION_TOTAL_DESCENT),
                    num(m, GK_FIT_SESSION_TOTAL_FRACTIONAL_DESCENT));
  s->avg_hr = num(m, GK_FIT_SESSION_AVG_HEART_RATE);
  s->max_hr = num(m, GK_FIT_SESSION_MAX_HEART_RATE);
  s->avg_cadence_rpm =
      plus_fraction(num(m, GK_FIT_SESSION_AVG_CADENCE),
                    num(m, GK_FIT_SESSION_AVG_FRACTIONAL_CADENCE));
  s->max_cadence_rpm =
      plus_fraction(num(m, GK_FIT_SESSION_MAX_CADENCE),
                    num(m, GK_FIT_SESSION_MAX_FRACTIONAL_CADENCE));
  s->avg_speed_mps =
      enhanced(m, GK_FIT_SESSION_ENHANCED_AVG_SPEED, GK_FIT_SESSION_AVG_SPEED);
  s->max_speed_mps =
      enhanced(m, GK_FIT_SESSION_ENHANCED_MAX_SPEED, GK_FIT_SESSION_MAX_SPEED);
  s->avg_power_w = num(m, GK_FIT_SESSION_AVG_POWER);
  s->avg_stance_time_ms = num(m, GK_FIT_SESSION_AVG_STANCE_TIME);
  s->avg_vertical_oscillation_mm =
      num(m, GK_FIT_SESSION_AVG_VERTICAL_OSCILLATION);
  s->avg_step_length_mm = num(m, GK_FIT_SESSION_AVG_STEP_LENGTH);
  s->avg_vertical_ratio_pct = num(m, GK_FIT_SESSION_AVG_VERTICAL_RATIO);
  s->stance_balance_left_pct = num(m, GK_FIT_SESSION_AVG_STANCE_TIME_BALANCE);
  s->total_steps =
      plus_fraction(num(m, GK_FIT_SESSION_TOTAL_CYCLES),
                    num(m, GK_FIT_SESSION_TOTAL_FRACTIONAL_CYCLES));
  s->calories = num(m, GK_FIT_SESSION_TOTAL_CALORIES);
  gk_status st = gk_activity_add_session(r->a, &se);
  return st == GK_OK ? 0 : status_fail(r, st, m);
}

/* Until the finishing pass: start_s holds FIT seconds. */
static int on_lap(reader *r, const gk_fit_mesg *m) {
  gk_lap lap;
  lap.elapsed_s = num(m, GK_FIT_LAP_TOTAL_ELAPSED_TIME);
  lap.timer_s = num(m, GK_FIT_LAP_TOTAL_TIMER_TIME);
  lap.start_s = num(m, GK_FIT_LAP_START_TIME);
  if (isnan(lap.start_s) && m->has_timestamp && !isnan(lap.elapsed_s))
    lap.start_s = (double)m->timestamp - lap.elapsed_s;
  lap.distance_m = num(m, GK_FIT_LAP_TOTAL_DISTANCE);
  lap.avg_hr = num(m, GK_FIT_LAP_AVG_HEART_RATE);
  lap.max_hr = num(m, GK_FIT_LAP_MAX_HEART_RATE);
  lap.avg_cadence_rpm = plus_fraction(num(m, GK_FIT_LAP_AVG_CADENCE),
                                      num(m, GK_FIT_LAP_AVG_FRACTIONAL_CADENCE));
  lap.avg_cadence_spm = NAN;
  lap.avg_speed_mps =
      enhanced(m, GK_FIT_LAP_ENHANCED_AVG_SPEED, GK_FIT_LAP_AVG_SPEED);
  lap.session = -1;
  gk_status st = gk_activity_add_lap(r->a, &lap);
  return st == GK_OK ? 0 : status_fail(r, st, m);
}

static int on_record(reader *r, const gk_fit_mesg *m) {
  gk_activity *a = r->a;
  a->stats.records++;
  if (!m->has_timestamp) {
    a->stats.untimed++;
    return 0;
  }
  if (!r->have_t0) {
    r->have_t0 = 1;
    r->t0 = m->timestamp;
  }
  gk_sample s;
  gk_sample_clear(&s);
  s.time_s = (double)m->timestamp - (double)r->t0;
  const gk_fit_field *by[GK__REC_FIELDS];
  index_fields(m, by);
  s.distance_m = inum(by, GK_FIT_RECORD_DISTANCE);
  s.speed_mps = ienhanced(by, GK_FIT_RECORD_ENHANCED_SPEED, GK_FIT_RECORD_SPEED);
  s.hr_bpm = inum(by, GK_FIT_RECORD_HEART_RATE);
  double cad = inum(by, GK_FIT_RECORD_CADENCE);
  if (isnan(cad)) cad = inum(by, GK_FIT_RECORD_CADENCE256);
  else cad = plus_fraction(cad, inum(by, GK_FIT_RECORD_FRACTIONAL_CADENCE));
  s.cadence_rpm = cad; /* cadence_spm is set in the finishing pass */
  s.altitude_m =
      ienhanced(by, GK_FIT_RECORD_ENHANCED_ALTITUDE, GK_FIT_RECORD_ALTITUDE);
  double lat = inum(by, GK_FIT_RECORD_POSITION_LAT);
  double lon = inum(by, GK_FIT_RECORD_POSITION_LONG);
  if (!isnan(lat) && !isnan(lon)) {
    s.lat_deg = lat * SEMICIRCLE_DEG;
    s.lon_deg = lon * SEMICIRCLE_DEG;
  }
  s.power_w = inum(by, GK_FIT_RECORD_POWER);
  s.vertical_oscillation_mm = inum(by, GK_FIT_RECORD_VERTICAL_OSCILLATION);
  s.stance_time_ms = inum(by, GK_FIT_RECORD_STANCE_TIME);
  s.stance_balance_left_pct = inum(by, GK_FIT_RECORD_STANCE_TIME_BALANCE);
  s.step_length_mm = inum(by, GK_FIT_RECORD_STEP_LENGTH);
  s.vertical_ratio_pct = inum(by, GK_FIT_RECORD_VERTICAL_RATIO);

  gk_series *se = &a->series;
  if (r->have_last && m->timestamp == r->last_ts && se->n > 0) {
    /* Same second as the previous sample: fill its gaps. */
    size_t i = se->n - 1;
#define FILL(name) \
  if (isnan(se->name[i])) se->name[i] = s.name;
    GK_SERIES_COLUMNS(FILL)
#undef FILL
    a->stats.merged++;
    return 0;
  }
  if (r->have_last && m->timestamp < r->last_ts)
    a->flags |= GK_ACT_TIME_BACKWARDS;
  r->have_last = 1;
  r->last_ts = m->timestamp;
  gk_status st = gk_activity_add_sample(a, &s);
  return st == GK_OK ? 0 : status_fail(r, st, m);
}

static int push_hr(reader *r, double t, double bpm) {
  size_t need = r->n_hr + 1 + HR_GAP_MAX_STEPS;
  if (need > GK_FIT_MAX_HR_POINTS) return GK_E_LIMIT;
  if (need > r->cap_hr) {
    size_t cap = r->cap_hr ? r->cap_hr * 2 : 4096;
    while (cap < need) cap *= 2;
    void *p = r->al->realloc(r->al->ctx, r->hr, r->cap_hr * sizeof(hr_point),
                             cap * sizeof(hr_point));
    if (p == NULL) return GK_E_NOMEM;
    r->hr = (hr_point *)p;
    r->cap_hr = cap;
  }
  if (r->n_hr > 0) {
    /* carry the previous value forward across a gap, as the SDK does */
    hr_point prev = r->hr[r->n_hr - 1];
    double gap_ms = fabs(t - prev.t) * 1000.0;
    for (int step = 1; gap_ms > HR_GAP_STEP_MS && step <= HR_GAP_MAX_STEPS;
         step++) {
      r->hr[r->n_hr].t = prev.t + step * (HR_GAP_STEP_MS / 1000.0);
      r->hr[r->n_hr].bpm = prev.bpm;
      r->n_hr++;
      gap_ms -= HR_GAP_STEP_MS;
    }
  }
  r->hr[r->n_hr].t = t;
  r->hr[r->n_hr].bpm = bpm;
  r->n_hr++;
  return GK_OK;
}

/*
** hr messages: an anchor (with a timestamp) holds one event_timestamp and
** fixes the clock: time = timestamp + fractional_timestamp.  Every
** event_timestamp, in it and in the messages after it, is at
** anchor time + (event_timestamp - anchor event_timestamp), with the
** filtered_bpm of the same index.
*/
static int on_hr(reader *r, const gk_fit_mesg *m) {
  const gk_fit_field *ev = field(m, 9);  /* event_timestamp */
  const gk_fit_field *bpm = field(m, 6); /* filtered_bpm */
  if (m->has_timestamp) {
    if (ev == NULL || ev->n_values != 1 ||
        ev->values[0].kind != GK_FIT_V_NUM) {
      r->hr_anchored = 0; /* an anchor we cannot use: wait for the next */
      r->a->stats.hr_skipped++;
      return 0;
    }
    double frac = num(m, 0); /* fractional_timestamp */
    r->anchor_t = (double)m->timestamp + (isnan(frac) ? 0 : frac);
    r->anchor_ev = ev->values[0].v.f;
    r->hr_anchored = 1;
  }
  if (!r->hr_anchored || ev == NULL || bpm == NULL ||
      ev->n_values != bpm->n_values) {
    r->a->stats.hr_skipped++;
    return 0;
  }
  for (unsigned i = 0; i < ev->n_values; i++) {
    double e = gk_fit_value_num(&ev->values[i]);
    double b = gk_fit_value_num(&bpm->values[i]);
    if (isnan(e) || isnan(b)) continue;
    if (e < r->anchor_ev) {
      if (r->anchor_ev - e > HR_EVENT_WRAP_S / 2) e += HR_EVENT_WRAP_S;
      else {
        r->a->stats.hr_skipped++;
        continue;
      }
    }
    gk_status st = push_hr(r, r->anchor_t + (e - r->anchor_ev), b);
    if (st != GK_OK) return status_fail(r, st, m);
  }
  return 0;
}

static int on_mesg(void *user, const gk_fit_mesg *m) {
  reader *r = (reader *)user;
  switch (m->num) {
    case GK_FIT_MESG_FILE_ID:
      on_file_id(r, m);
      return 0;
    case GK_FIT_MESG_SPORT:
      on_sport(r, m);
      return 0;
    case GK_FIT_MESG_SESSION:
      return on_session(r, m);
    case GK_FIT_MESG_LAP:
      return on_lap(r, m);
    case GK_FIT_MESG_RECORD:
      return on_record(r, m);
    case GK_FIT_MESG_HR:
      return on_hr(r, m);
    default:
      return 0;
  }
}

/* ---- the finishing pass ------------------------------------------------- */

static int cmp_hr(const void *pa, const void *pb) {
  double a = ((const hr_point *)pa)->t, b = ((const hr_point *)pb)->t;
  return (a > b) - (a < b);
}

/* The first HR point later than t. */
static size_t hr_after(const hr_point *hr, size_t n, double t) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (hr[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/*
** Give each sample without a heart rate the mean (rounded) of the HR points
** in (previous sample's time, its time]; the first sample, or one at the
** same time as the one before, looks back one second.  As the SDK's
** mergeHeartRates, except that a heart rate the record carries is kept.
*/
static void merge_hr(reader *r) {
  gk_activity *a = r->a;
  gk_series *s = &a->series;
  if (r->n_hr == 0 || s->n == 0) return;
  for (size_t i = 1; i < r->n_hr; i++)
    if (r->hr[i].t < r->hr[i - 1].t) {
      qsort(r->hr, r->n_hr, sizeof *r->hr, cmp_hr);
      break;
    }
  double t0 = (double)r->t0;
  for (size_t i = 0; i < s->n; i++) {
    if (!isnan(s->hr_bpm[i])) continue;
    double t = t0 + s->time_s[i];
    double prev = i ? t0 + s->time_s[i - 1] : t - 1;
    if (prev >= t) prev = t - 1;
    double sum = 0;
    size_t cnt = 0;
    for (size_t k = hr_after(r->hr, r->n_hr, prev);
         k < r->n_hr && r->hr[k].t <= t; k++) {
      sum += r->hr[k].bpm;
      cnt++;
    }
    if (cnt) {
      s->hr_bpm[i] = round(sum / (double)cnt);
      a->stats.hr_filled++;
    }
  }
  if (a->stats.hr_filled) a->flags |= GK_ACT_HR_MERGED;
}

static int has_dynamics(const gk_series *s, size_t first, size_t n) {
  for (size_t i = first; i < first + n; i++)
    if (s->vertical_oscillation_mm[i] > 0 || s->stance_time_ms[i] > 0 ||
        s->step_length_mm[i] > 0)
      return 1;
  return 0;
}

/* Cadence counts steps: a sport on foot; or a generic, transition or
   unnamed one whose figures include running dynamics. */
static int decide_on_foot(const char *sport, const gk_summary *device,
                          const gk_series *s, size_t first, size_t n) {
  if (gk_sport_is_on_foot(sport)) return 1;
  if (sport[0] != '\0' && strcmp(sport, "generic") != 0 &&
      strcmp(sport, "transition") != 0)
    return 0;
  if (device && (device->avg_vertical_oscillation_mm > 0 ||
                 device->avg_stance_time_ms > 0 ||
                 device->avg_step_length_mm > 0))
    return 1;
  return has_dynamics(s, first, n);
}

/* Running dynamics and step counts mean nothing off foot: a leg not on
   foot gets none from its samples and gives none to the activity. */
static void clear_on_foot_fields(gk_summary *s) {
  s->avg_cadence_spm = NAN;
  s->max_cadence_spm = NAN;
  s->total_steps = NAN;
  s->avg_stance_time_ms = NAN;
  s->avg_vertical_oscillation_mm = NAN;
  s->avg_step_length_mm = NAN;
  s->avg_vertical_ratio_pct = NAN;
  s->stance_balance_left_pct = NAN;
  s->computed &= ~((1u << GK_SUM_AVG_CADENCE_SPM) |
                   (1u << GK_SUM_MAX_CADENCE_SPM) |
                   (1u << GK_SUM_TOTAL_STEPS) |
                   (1u << GK_SUM_AVG_STANCE_TIME_MS) |
                   (1u << GK_SUM_AVG_VERTICAL_OSCILLATION_MM) |
                   (1u << GK_SUM_AVG_STEP_LENGTH_MM) |
                   (1u << GK_SUM_AVG_VERTICAL_RATIO_PCT) |
                   (1u << GK_SUM_STANCE_BALANCE_LEFT_PCT));
}

static void convert_cadence(gk_series *s, size_t first, size_t n,
                            int on_foot) {
  for (size_t i = first; i < first + n; i++)
    s->cadence_spm[i] = on_foot ? 2.0 * s->cadence_rpm[i] : NAN;
}

/* Moving time computed from samples that run past the device's timer
   (records after the stop) is capped at the timer time. */
static void clamp_moving(gk_summary *s) {
  if ((s->computed & (1u << GK_SUM_MOVING_S)) && s->moving_s > s->timer_s)
    s->moving_s = s->timer_s;
}

static void finish(reader *r) {
  gk_activity *a = r->a;
  gk_series *s = &a->series;

  /* Sessions in time order (stable; only when every start is known). */
  int all_known = 1;
  for (size_t i = 0; i < a->n_sessions; i++)
    if (isnan(a->sessions[i].start_s)) all_known = 0;
  if (all_known)
    for (size_t i = 1; i < a->n_sessions; i++) {
      gk_session x = a->sessions[i];
      size_t j = i;
      for (; j > 0 && a->sessions[j - 1].start_s > x.start_s; j--)
        a->sessions[j] = a->sessions[j - 1];
      a->sessions[j] = x;
    }

  /* The start: the first session's start_time, else the first record's
     time, else file_id.time_created. */
  double start = NAN;
  if (a->n_sessions && !isnan(a->sessions[0].start_s))
    start = a->sessions[0].start_s;
  else if (r->have_t0)
    start = (double)r->t0;
  else if (!isnan(r->time_created))
    start = r->time_created;
  if (isnan(start)) {
    a->start_time = 0;
    a->flags |= GK_ACT_START_UNKNOWN;
    start = r->have_t0 ? (double)r->t0 : 0;
  } else if (start < (double)GK_FIT_DATE_TIME_MIN) {
    a->start_time = (int64_t)start;
    a->flags |= GK_ACT_START_UNKNOWN;
  } else {
    a->start_time = (int64_t)start + GK_FIT_EPOCH_UNIX;
  }

  merge_hr(r);
  a->stats.hr_points = (uint32_t)r->n_hr;

  /* Times relative to the start. */
  double shift = r->have_t0 ? (double)r->t0 - start : 0;
  if (shift != 0)
    for (size_t i = 0; i < s->n; i++) s->time_s[i] += shift;
  for (size_t i = 0; i < a->n_sessions; i++) a->sessions[i].start_s -= start;
  for (size_t i = 0; i < a->n_laps; i++) a->laps[i].start_s -= start;

  a->stats.empty = (uint32_t)gk_activity_drop_empty_samples(a);

  /* Samples and laps to sessions, by time: session i covers from its start
     to the next session's start; samples before the first session go to
     the first. */
  size_t pos = 0;
  for (size_t i = 0; i < a->n_sessions; i++) {
    gk_session *se = &a->sessions[i];
    if (i > 0)
      while (pos < s->n && !(s->time_s[pos] >= se->start_s)) pos++;
    se->first_sample = pos;
  }
  for (size_t i = 0; i < a->n_sessions; i++) {
    size_t end = i + 1 < a->n_sessions ? a->sessions[i + 1].first_sample : s->n;
    a->sessions[i].n_samples = end - a->sessions[i].first_sample;
  }
  for (size_t k = 0; k < a->n_laps; k++) {
    gk_lap *lap = &a->laps[k];
    if (a->n_sessions == 0 || isnan(lap->start_s)) continue;
    size_t i = 0;
    while (i + 1 < a->n_sessions &&
           a->sessions[i + 1].start_s <= lap->start_s + 1e-6)
      i++;
    lap->session = (int32_t)i;
  }
  for (size_t i = 0; i < a->n_sessions; i++) {
    gk_session *se = &a->sessions[i];
    se->first_lap = 0;
    se->n_laps = 0;
    for (size_t k = 0; k < a->n_laps; k++)
      if (a->laps[k].session == (int32_t)i) {
        if (se->n_laps == 0) se->first_lap = (uint32_t)k;
        se->n_laps++;
      }
  }

  /* Per session: steps or not, then the device's figures with the gaps
     filled from the session's samples. */
  for (size_t i = 0; i < a->n_sessions; i++) {
    gk_session *se = &a->sessions[i];
    gk_summary *sum = &se->summary;
    se->on_foot = decide_on_foot(se->sport, sum, s, se->first_sample,
                                 se->n_samples);
    convert_cadence(s, se->first_sample, se->n_samples, se->on_foot);
    if (se->on_foot) {
      sum->avg_cadence_spm = 2.0 * sum->avg_cadence_rpm;
      sum->max_cadence_spm = 2.0 * sum->max_cadence_rpm;
      sum->total_steps = 2.0 * sum->total_steps; /* strides to steps */
    } else {
      sum->total_steps = NAN; /* cycles here are strokes or revolutions */
    }
    gk_summary computed;
    gk_activity_summarize(a, se->first_sample, se->n_samples, se->on_foot,
                          &computed);
    if (!se->on_foot) clear_on_foot_fields(&computed);
    gk_summary_fill(sum, &computed);
    clamp_moving(sum);
  }
  for (size_t k = 0; k < a->n_laps; k++) {
    gk_lap *lap = &a->laps[k];
    if (lap->session >= 0 && a->sessions[lap->session].on_foot)
      lap->avg_cadence_spm = 2.0 * lap->avg_cadence_rpm;
  }

  /* The activity: its sport, and its summary (from the sessions, each
     already filled from its own samples; from all samples when the file
     has no session). */
  if (a->n_sessions == 0) {
    copy_name(a->sport, r->sport);
    copy_name(a->sub_sport, r->sub_sport);
    int on_foot = decide_on_foot(a->sport, NULL, s, 0, s->n);
    convert_cadence(s, 0, s->n, on_foot);
    for (size_t k = 0; k < a->n_laps; k++)
      if (on_foot)
        a->laps[k].avg_cadence_spm = 2.0 * a->laps[k].avg_cadence_rpm;
    gk_activity_summarize(a, 0, s->n, on_foot, &a->summary);
    return;
  }
  const gk_session *s0 = &a->sessions[0];
  int same_sport = 1, same_sub = 1;
  for (size_t i = 1; i < a->n_sessions; i++) {
    if (strcmp(a->sessions[i].sport, s0->sport) != 0) same_sport = 0;
    if (strcmp(a->sessions[i].sub_sport, s0->sub_sport) != 0) same_sub = 0;
  }
  copy_name(a->sport, same_sport ? s0->sport : "multisport");
  copy_name(a->sub_sport, same_sport && same_sub ? s0->sub_sport : "");
  {
    /* gk_summary_combine reads an array of summaries */
    gk_summary parts_small[8];
    gk_summary *parts = parts_small;
    if (a->n_sessions > 8) {
      parts = (gk_summary *)r->al->malloc(r->al->ctx,
                                          a->n_sessions * sizeof *parts);
      if (parts == NULL) {
        r->st = GK_E_NOMEM;
        r->msg = "out of memory";
        return;
      }
    }
    for (size_t i = 0; i < a->n_sessions; i++) {
      parts[i] = a->sessions[i].summary;
      if (!a->sessions[i].on_foot) clear_on_foot_fields(&parts[i]);
    }
    gk_summary_combine(&a->summary, parts, a->n_sessions);
    if (parts != parts_small)
      r->al->free(r->al->ctx, parts, a->n_sessions * sizeof *parts);
  }
  a->flags |= GK_ACT_DEVICE_SUMMARY;
}

/* ---- entry -------------------------------------------------------------- */

gk_status gk_fit_read_activity(const void *buf, size_t len, unsigned options,
                               gk_activity **out, gk_err *err) {
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  if (buf == NULL && len > 0) {
    gk__set_err(err, GK_E_ARG, "no input", 0);
    return GK_E_ARG;
  }
  reader r;
  memset(&r, 0, sizeof r);
  r.al = gk__alloc_or_default(NULL);
  r.time_created = NAN;
  gk_status st = gk_activity_new(&r.a, NULL);
  if (st != GK_OK) {
    gk__set_err(err, st, "out of memory", 0);
    return st;
  }
  gk_activity *a = r.a;
  memcpy(a->source.format, "fit", 4);
  if (!(options & GK_FIT_ACT_NO_HASH))
    a->source.content_hash = gk_fnv1a64(buf, len);

  unsigned dec_opts = options & GK_FIT_ACCEPT_BAD_CRC;
  gk_err derr;
  memset(&derr, 0, sizeof derr);
  gk_fit_stats stats;
  st = gk_fit_decode(buf, len, dec_opts, on_mesg, &r, &derr, &stats);
  if (st == GK_E_STOPPED && r.st != GK_OK) {
    st = r.st;
    gk__set_err(&derr, r.st, r.msg, r.offset);
  }
  if (st != GK_OK) {
    int keep = (options & GK_FIT_ACT_PARTIAL) && r.st == GK_OK &&
               stats.messages > 0;
    if (err) *err = derr;
    if (!keep) goto fail;
    a->flags |= GK_ACT_PARTIAL;
  }
  finish(&r);
  if (r.st != GK_OK) {
    st = r.st;
    gk__set_err(err, st, r.msg, r.offset);
    goto fail;
  }
  if (r.hr) r.al->free(r.al->ctx, r.hr, r.cap_hr * sizeof(hr_point));
  *out = a;
  return GK_OK;

fail:
  if (r.hr) r.al->free(r.al->ctx, r.hr, r.cap_hr * sizeof(hr_point));
  gk_activity_free(a);
  return st;
}
