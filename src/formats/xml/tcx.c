/*
** tcx.c -- Garmin Training Center (TCX v2) activities into a gk_activity.
**
** Each <Activity> (under <Activities>, or inside a <MultiSportSession>) is
** one session, its Sport attribute the session's sport; its <Lap>s are laps
** and their figures the device's summary; the <Trackpoint>s of its
** <Track>s are the samples: Time, Position, AltitudeMeters, DistanceMeters,
** HeartRateBpm/Value, Cadence, and in Extensions (TPX, any prefix) Speed,
** RunCadence and Watts.  Courses and workouts are not read.  The first
** activity's <Creator> names the device.  Rules: docs/FORMATS.md, "TCX".
*/
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "formats/xml/xml_internal.h"

/* Plausible ranges for lap figures (beyond: dropped, bad_values). */
#define LAP_TIME_MAX_S 1e7
#define LAP_DIST_MAX_M 1e8
#define LAP_SPEED_MAX_MPS 200.0
#define LAP_CAL_MAX 1e6
#define LAP_HR_MIN 1.0
#define LAP_HR_MAX 300.0
#define LAP_CAD_MAX 300.0
#define LAP_POWER_MAX_W 10000.0

/* Capture kinds beyond the point values. */
enum {
  K_ID = 100,
  K_LAP_TIME,
  K_LAP_DIST,
  K_LAP_MAX_SPEED,
  K_LAP_CALORIES,
  K_LAP_CADENCE,
  K_LAP_AVG_HR,
  K_LAP_MAX_HR,
  K_LAP_AVG_SPEED,
  K_LAP_AVG_RUN_CADENCE,
  K_LAP_MAX_RUN_CADENCE,
  K_LAP_MAX_BIKE_CADENCE,
  K_LAP_AVG_WATTS,
  K_CREATOR_NAME,
  K_CREATOR_UNIT,
  K_CREATOR_PRODUCT
};

typedef struct tcx_state {
  /* the activity being read */
  int in_activity;
  unsigned act_depth;
  gk_session ses;   /* on_foot holds "RunCadence seen" until the finish */
  double ses_id_t;  /* <Id> as a time, or NaN */
  double ses_lap_t; /* the first lap's StartTime, or NaN */
  /* the lap being read */
  int in_lap;
  unsigned lap_depth;
  gk_lap lap;
  gk_summary lap_sum; /* the lap's figures as a summary */
  /* every lap's figures, in the order of a->laps */
  gk_summary *lap_sums;
  size_t lap_sums_cap;
  int any_lap_figures;
} tcx_state;

static tcx_state *state(gk__xml_reader *r) { return (tcx_state *)r->fmt; }

static int ext_to_lap(int ext) {
  switch (ext) {
    case GK__EXT_AVG_SPEED:
      return K_LAP_AVG_SPEED;
    case GK__EXT_AVG_RUN_CADENCE:
      return K_LAP_AVG_RUN_CADENCE;
    case GK__EXT_MAX_RUN_CADENCE:
      return K_LAP_MAX_RUN_CADENCE;
    case GK__EXT_MAX_BIKE_CADENCE:
      return K_LAP_MAX_BIKE_CADENCE;
    case GK__EXT_AVG_WATTS:
      return K_LAP_AVG_WATTS;
    default:
      return -1;
  }
}

static void begin_activity(gk__xml_reader *r, tcx_state *t,
                           const char **atts) {
  t->in_activity = 1;
  t->act_depth = r->depth;
  memset(&t->ses, 0, sizeof t->ses);
  gk_summary_clear(&t->ses.summary);
  t->ses.first_sample = r->a->series.n;
  t->ses.first_lap = (uint32_t)r->a->n_laps;
  t->ses.start_s = NAN;
  t->ses_id_t = NAN;
  t->ses_lap_t = NAN;
  const char *sport = gk__xml_attr(atts, "Sport");
  if (sport)
    gk__xml_sport(sport, strlen(sport), t->ses.sport, t->ses.sub_sport);
  r->stats.activities++;
  r->seg_break = 1;
}

static void end_activity(gk__xml_reader *r, tcx_state *t) {
  gk_activity *a = r->a;
  t->in_activity = 0;
  gk_session *s = &t->ses;
  s->n_laps = (uint32_t)(a->n_laps - s->first_lap);
  s->n_samples = a->series.n - s->first_sample;
  /* start: the first lap's StartTime, else the first timed sample, else
     the Id */
  s->start_s = t->ses_lap_t;
  for (size_t i = s->first_sample; isnan(s->start_s) && i < a->series.n; i++)
    s->start_s = a->series.time_s[i];
  if (isnan(s->start_s)) s->start_s = t->ses_id_t;
  gk_status st = gk_activity_add_session(a, s);
  if (st != GK_OK)
    gk__xml_fail(r, st,
                 st == GK_E_LIMIT ? "too many activities (GK_MAX_SESSIONS)"
                                  : "out of memory");
}

static void begin_lap(gk__xml_reader *r, tcx_state *t, const char **atts) {
  t->in_lap = 1;
  t->lap_depth = r->depth;
  gk_lap *lap = &t->lap;
  lap->start_s = NAN;
  lap->elapsed_s = NAN;
  lap->timer_s = NAN;
  lap->distance_m = NAN;
  lap->avg_hr = NAN;
  lap->max_hr = NAN;
  lap->avg_cadence_spm = NAN;
  lap->avg_cadence_rpm = NAN;
  lap->avg_speed_mps = NAN;
  lap->session = -1;
  gk_summary_clear(&t->lap_sum);
  const char *start = gk__xml_attr(atts, "StartTime");
  if (start) lap->start_s = gk__xml_time(r, start, strlen(start), 0);
}

static void end_lap(gk__xml_reader *r, tcx_state *t) {
  gk_activity *a = r->a;
  t->in_lap = 0;
  gk_lap *lap = &t->lap;
  gk_summary *s = &t->lap_sum;
  lap->session = (int32_t)a->n_sessions; /* the activity being read */
  if (isnan(lap->avg_speed_mps) && lap->timer_s > 0 &&
      !isnan(lap->distance_m))
    lap->avg_speed_mps = lap->distance_m / lap->timer_s;
  s->distance_m = lap->distance_m;
  s->timer_s = lap->timer_s;
  s->avg_hr = lap->avg_hr;
  s->max_hr = lap->max_hr;
  s->avg_cadence_rpm = lap->avg_cadence_rpm;
  s->avg_speed_mps = lap->avg_speed_mps;
  s->computed = 0;
#define ANY(ID, name) \
  if (!isnan(s->name)) t->any_lap_figures = 1;
  GK_SUMMARY_FIELDS(ANY)
#undef ANY
  if (isnan(t->ses_lap_t)) t->ses_lap_t = lap->start_s;

  size_t n = a->n_laps;
  if (n + 1 > t->lap_sums_cap) {
    size_t cap = t->lap_sums_cap ? t->lap_sums_cap * 2 : 16;
    void *p = r->al->realloc(r->al->ctx, t->lap_sums,
                             t->lap_sums_cap * sizeof(gk_summary),
                             cap * sizeof(gk_summary));
    if (p == NULL) {
      gk__xml_fail(r, GK_E_NOMEM, "out of memory");
      return;
    }
    t->lap_sums = (gk_summary *)p;
    t->lap_sums_cap = cap;
  }
  gk_status st = gk_activity_add_lap(a, lap);
  if (st != GK_OK) {
    gk__xml_fail(r, st,
                 st == GK_E_LIMIT ? "too many laps (GK_MAX_LAPS)"
                                  : "out of memory");
    return;
  }
  t->lap_sums[n] = *s;
  r->stats.laps++;
}

static void tcx_start(gk__xml_reader *r, int id, const char *local,
                      const char **atts) {
  tcx_state *t = state(r);
  if (t == NULL) {
    /* the root: the format's state */
    t = (tcx_state *)r->al->malloc(r->al->ctx, sizeof *t);
    if (t == NULL) {
      gk__xml_fail(r, GK_E_NOMEM, "out of memory");
      return;
    }
    memset(t, 0, sizeof *t);
    r->fmt = t;
  }
  int parent = gk__xml_up(r, 1);
  if (!t->in_activity) {
    if (id == GK__EL_Activity) begin_activity(r, t, atts);
    return;
  }
  /* inside extensions: TPX values of a point, LX values of a lap */
  if (r->ext_depth && r->depth > r->ext_depth) {
    int ext = gk__xml_ext_id(local);
    if (r->in_point) {
      int pv = gk__xml_ext_to_pv(ext);
      if (pv >= 0) gk__xml_capture(r, pv);
    } else if (t->in_lap) {
      int k = ext_to_lap(ext);
      if (k >= 0) gk__xml_capture(r, k);
    }
    return;
  }
  if (r->in_point) {
    switch (id) {
      case GK__EL_Time:
        if (parent == GK__EL_Trackpoint) gk__xml_capture(r, GK__PV_TIME);
        break;
      case GK__EL_LatitudeDegrees:
        if (parent == GK__EL_Position) gk__xml_capture(r, GK__PV_LAT);
        break;
      case GK__EL_LongitudeDegrees:
        if (parent == GK__EL_Position) gk__xml_capture(r, GK__PV_LON);
        break;
      case GK__EL_AltitudeMeters:
        if (parent == GK__EL_Trackpoint) gk__xml_capture(r, GK__PV_ALTITUDE);
        break;
      case GK__EL_DistanceMeters:
        if (parent == GK__EL_Trackpoint) gk__xml_capture(r, GK__PV_DISTANCE);
        break;
      case GK__EL_HeartRateBpm:
        /* v2 puts the value in <Value>; a bare number is read too */
        if (parent == GK__EL_Trackpoint) gk__xml_capture(r, GK__PV_HR);
        break;
      case GK__EL_Value:
        if (parent == GK__EL_HeartRateBpm) gk__xml_capture(r, GK__PV_HR);
        break;
      case GK__EL_Cadence:
        if (parent == GK__EL_Trackpoint) gk__xml_capture(r, GK__PV_CADENCE);
        break;
      default:
        break;
    }
    return;
  }
  switch (id) {
    case GK__EL_Id:
      if (parent == GK__EL_Activity) gk__xml_capture(r, K_ID);
      break;
    case GK__EL_Lap:
      if (parent == GK__EL_Activity && !t->in_lap) begin_lap(r, t, atts);
      break;
    case GK__EL_TotalTimeSeconds:
      if (parent == GK__EL_Lap) gk__xml_capture(r, K_LAP_TIME);
      break;
    case GK__EL_DistanceMeters:
      if (parent == GK__EL_Lap) gk__xml_capture(r, K_LAP_DIST);
      break;
    case GK__EL_MaximumSpeed:
      if (parent == GK__EL_Lap) gk__xml_capture(r, K_LAP_MAX_SPEED);
      break;
    case GK__EL_Calories:
      if (parent == GK__EL_Lap) gk__xml_capture(r, K_LAP_CALORIES);
      break;
    case GK__EL_Cadence:
      if (parent == GK__EL_Lap) gk__xml_capture(r, K_LAP_CADENCE);
      break;
    case GK__EL_Value:
      if (gk__xml_up(r, 2) == GK__EL_Lap) {
        if (parent == GK__EL_AverageHeartRateBpm)
          gk__xml_capture(r, K_LAP_AVG_HR);
        else if (parent == GK__EL_MaximumHeartRateBpm)
          gk__xml_capture(r, K_LAP_MAX_HR);
      }
      break;
    case GK__EL_Track:
      r->stats.tracks++;
      r->seg_break = 1;
      break;
    case GK__EL_Trackpoint:
      if (parent == GK__EL_Track) gk__xml_point_begin(r);
      break;
    case GK__EL_Name:
    case GK__EL_UnitId:
    case GK__EL_ProductID:
      if (parent == GK__EL_Creator && gk__xml_up(r, 2) == GK__EL_Activity &&
          r->stats.activities == 1)
        gk__xml_capture(r, id == GK__EL_Name     ? K_CREATOR_NAME
                           : id == GK__EL_UnitId ? K_CREATOR_UNIT
                                                 : K_CREATOR_PRODUCT);
      break;
    default:
      break;
  }
}

static void lap_value(gk__xml_reader *r, double *a, double *b, const char *s,
                      size_t n, int over, double lo, double hi) {
  double v = gk__xml_number(r, s, n, over, lo, hi);
  if (isnan(v)) return;
  if (a) *a = v;
  if (b) *b = v;
}

static void tcx_text(gk__xml_reader *r, int kind, const char *s, size_t n,
                     int over) {
  tcx_state *t = state(r);
  gk_lap *lap = &t->lap;
  gk_summary *ls = &t->lap_sum;
  gk_source *src = &r->a->source;
  double v;
  switch (kind) {
    case K_ID:
      t->ses_id_t = gk__xml_time(r, s, n, over);
      break;
    case K_LAP_TIME:
      lap_value(r, &lap->timer_s, NULL, s, n, over, 0, LAP_TIME_MAX_S);
      break;
    case K_LAP_DIST:
      lap_value(r, &lap->distance_m, NULL, s, n, over, 0, LAP_DIST_MAX_M);
      break;
    case K_LAP_MAX_SPEED:
      lap_value(r, &ls->max_speed_mps, NULL, s, n, over, 0,
                LAP_SPEED_MAX_MPS);
      break;
    case K_LAP_CALORIES:
      lap_value(r, &ls->calories, NULL, s, n, over, 0, LAP_CAL_MAX);
      break;
    case K_LAP_CADENCE:
      lap_value(r, &lap->avg_cadence_rpm, NULL, s, n, over, 0, LAP_CAD_MAX);
      break;
    case K_LAP_AVG_HR:
      lap_value(r, &lap->avg_hr, NULL, s, n, over, LAP_HR_MIN, LAP_HR_MAX);
      break;
    case K_LAP_MAX_HR:
      lap_value(r, &lap->max_hr, NULL, s, n, over, LAP_HR_MIN, LAP_HR_MAX);
      break;
    case K_LAP_AVG_SPEED:
      lap_value(r, &lap->avg_speed_mps, NULL, s, n, over, 0,
                LAP_SPEED_MAX_MPS);
      break;
    case K_LAP_AVG_RUN_CADENCE:
      v = gk__xml_number(r, s, n, over, 0, LAP_CAD_MAX);
      if (!isnan(v)) {
        if (isnan(lap->avg_cadence_rpm)) lap->avg_cadence_rpm = v;
        t->ses.on_foot = 1; /* run cadence: on foot */
      }
      break;
    case K_LAP_MAX_RUN_CADENCE:
      v = gk__xml_number(r, s, n, over, 0, LAP_CAD_MAX);
      if (!isnan(v)) {
        ls->max_cadence_rpm = v;
        t->ses.on_foot = 1;
      }
      break;
    case K_LAP_MAX_BIKE_CADENCE:
      lap_value(r, &ls->max_cadence_rpm, NULL, s, n, over, 0, LAP_CAD_MAX);
      break;
    case K_LAP_AVG_WATTS:
      lap_value(r, &ls->avg_power_w, NULL, s, n, over, 0, LAP_POWER_MAX_W);
      break;
    case K_CREATOR_NAME:
      gk__xml_copy_name(src->product_name, s, n);
      break;
    case K_CREATOR_UNIT:
      v = gk__xml_number(r, s, n, over, 0, 9007199254740992.0);
      if (!isnan(v)) src->serial = (uint64_t)v;
      break;
    case K_CREATOR_PRODUCT:
      v = gk__xml_number(r, s, n, over, 0, 4294967295.0);
      if (!isnan(v)) gk__xml_copy_name(src->product, s, n);
      break;
    default:
      gk__xml_point_value(r, kind, s, n, over);
      break;
  }
}

static void tcx_end(gk__xml_reader *r, int id) {
  tcx_state *t = state(r);
  if (t == NULL) return;
  if (id == GK__EL_Trackpoint && r->in_point && r->depth == r->point_depth) {
    if (r->pt_run_cadence) t->ses.on_foot = 1;
    gk__xml_point_end(r);
  } else if (id == GK__EL_Lap && t->in_lap && r->depth == t->lap_depth) {
    end_lap(r, t);
  } else if (id == GK__EL_Activity && t->in_activity &&
             r->depth == t->act_depth) {
    if (t->in_lap) end_lap(r, t);
    end_activity(r, t);
  }
}

static gk_status tcx_finish(gk__xml_reader *r) {
  gk_activity *a = r->a;
  tcx_state *t = state(r);
  /* a damaged file (GK_XML_PARTIAL): close what the damage left open */
  if (t && t->in_activity) {
    if (t->in_lap) end_lap(r, t);
    if (r->st == GK_OK) end_activity(r, t);
  }
  if (r->st != GK_OK) return r->st;
  gk__xml_finish_rows(r);

  double start = NAN;
  if (a->n_sessions > 0) start = a->sessions[0].start_s;
  if (isnan(start) && r->any_timed) start = r->first_t;
  gk__xml_set_start(r, start);

  gk_series *se = &a->series;
  int unknown_on_foot = (r->options & GK_XML_UNKNOWN_ON_FOOT) != 0;
  for (size_t i = 0; i < a->n_sessions; i++) {
    gk_session *s = &a->sessions[i];
    int run_cadence = s->on_foot;
    s->on_foot = gk_sport_is_on_foot(s->sport) ||
                 (s->sport[0] == '\0' && (run_cadence || unknown_on_foot));
    gk__xml_convert_cadence(r, s->first_sample, s->n_samples, s->on_foot);
    /* the device's figures: the laps' */
    gk_summary dev;
    gk_summary_clear(&dev);
    if (s->n_laps > 0 && t)
      gk_summary_combine(&dev, t->lap_sums + s->first_lap, s->n_laps);
    dev.computed = 0;
    if (s->on_foot) {
      dev.avg_cadence_spm = 2.0 * dev.avg_cadence_rpm;
      dev.max_cadence_spm = 2.0 * dev.max_cadence_rpm;
    }
    for (uint32_t k = s->first_lap; k < s->first_lap + s->n_laps; k++)
      a->laps[k].avg_cadence_spm =
          s->on_foot ? 2.0 * a->laps[k].avg_cadence_rpm : NAN;
    gk_summary computed;
    gk__xml_summarize(r, s->first_sample, s->n_samples, s->on_foot,
                      &computed);
    gk_summary_fill(&dev, &computed);
    /* moving time computed from the samples is no more than the timer */
    if ((dev.computed & (1u << GK_SUM_MOVING_S)) && dev.moving_s > dev.timer_s)
      dev.moving_s = dev.timer_s;
    s->summary = dev;
  }

  if (a->n_sessions == 0) {
    gk__xml_convert_cadence(r, 0, se->n, unknown_on_foot);
    gk__xml_summarize(r, 0, se->n, unknown_on_foot, &a->summary);
    return GK_OK;
  }
  const gk_session *s0 = &a->sessions[0];
  int same_sport = 1, same_sub = 1;
  for (size_t i = 1; i < a->n_sessions; i++) {
    if (strcmp(a->sessions[i].sport, s0->sport) != 0) same_sport = 0;
    if (strcmp(a->sessions[i].sub_sport, s0->sub_sport) != 0) same_sub = 0;
  }
  gk__xml_copy_name(a->sport, same_sport ? s0->sport : "multisport",
                    strlen(same_sport ? s0->sport : "multisport"));
  if (same_sport && same_sub)
    memcpy(a->sub_sport, s0->sub_sport, sizeof a->sub_sport);
  if (a->n_sessions == 1) {
    a->summary = s0->summary;
  } else {
    size_t bytes = a->n_sessions * sizeof(gk_summary);
    gk_summary *parts = (gk_summary *)r->al->malloc(r->al->ctx, bytes);
    if (parts == NULL) return GK_E_NOMEM;
    for (size_t i = 0; i < a->n_sessions; i++)
      parts[i] = a->sessions[i].summary;
    gk_summary_combine(&a->summary, parts, a->n_sessions);
    r->al->free(r->al->ctx, parts, bytes);
  }
  if (t && t->any_lap_figures) a->flags |= GK_ACT_DEVICE_SUMMARY;
  return GK_OK;
}

static void tcx_release(gk__xml_reader *r) {
  tcx_state *t = state(r);
  if (t == NULL) return;
  if (t->lap_sums)
    r->al->free(r->al->ctx, t->lap_sums, t->lap_sums_cap * sizeof(gk_summary));
  r->al->free(r->al->ctx, t, sizeof *t);
  r->fmt = NULL;
}

const gk__xml_ops gk__tcx_ops = {
    GK_FORMAT_TCX,
    "TrainingCenterDatabase",
    "not a TCX file: the root element is not <TrainingCenterDatabase>",
    tcx_start,
    tcx_text,
    tcx_end,
    tcx_finish,
    tcx_release,
};

gk_status gk_tcx_read_activity(const void *buf, size_t len, unsigned options,
                               gk_activity **out, gk_err *err) {
  return gk_xml_read_activity(GK_FORMAT_TCX, buf, len, options, out, NULL,
                              err);
}
