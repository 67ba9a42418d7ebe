/*
** activity.c -- the canonical activity model: storage, summaries from
** samples, combining the summaries of multisport legs.
**
** Storage: one allocation for the struct (with the allocator and the
** capacities behind it), one block for the whole series (GK_COL_COUNT
** columns of cap doubles, regrown by doubling), one array of laps and one
** of sessions.
*/
#include "gaitkeeper/activity.h"

#include <math.h>
#include <string.h>

#include "core_internal.h"

typedef struct gk__activity {
  gk_activity pub; /* first: a gk_activity * is a gk__activity * */
  gk_alloc alloc;
  double *block; /* the series columns, each of cap values */
  size_t cap;
  size_t laps_cap;
  size_t sessions_cap;
  size_t path_size;
} gk__activity;

static gk__activity *impl(gk_activity *a) { return (gk__activity *)a; }

gk_status gk_activity_new(gk_activity **out, const gk_alloc *alloc) {
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  const gk_alloc *al = gk__alloc_or_default(alloc);
  gk__activity *ia = (gk__activity *)al->malloc(al->ctx, sizeof *ia);
  if (ia == NULL) return GK_E_NOMEM;
  memset(ia, 0, sizeof *ia);
  ia->alloc = *al;
  gk_summary_clear(&ia->pub.summary);
  *out = &ia->pub;
  return GK_OK;
}

void gk_activity_free(gk_activity *a) {
  if (a == NULL) return;
  gk__activity *ia = impl(a);
  const gk_alloc *al = &ia->alloc;
  if (ia->block)
    al->free(al->ctx, ia->block, ia->cap * GK_COL_COUNT * sizeof(double));
  if (a->laps) al->free(al->ctx, a->laps, ia->laps_cap * sizeof(gk_lap));
  if (a->sessions)
    al->free(al->ctx, a->sessions, ia->sessions_cap * sizeof(gk_session));
  if (a->source.path) al->free(al->ctx, a->source.path, ia->path_size);
  gk_alloc copy = ia->alloc;
  copy.free(copy.ctx, ia, sizeof *ia);
}

void gk_sample_clear(gk_sample *s) {
#define CLEAR(name) s->name = NAN;
  GK_SERIES_COLUMNS(CLEAR)
#undef CLEAR
}

void gk_summary_clear(gk_summary *s) {
#define CLEAR(ID, name) s->name = NAN;
  GK_SUMMARY_FIELDS(CLEAR)
#undef CLEAR
  s->computed = 0;
}

/* Point the column pointers at the block. */
static void set_columns(gk__activity *ia) {
  gk_series *s = &ia->pub.series;
  size_t k = 0;
#define POINT(name) s->name = ia->block + (k++) * ia->cap;
  GK_SERIES_COLUMNS(POINT)
#undef POINT
}

static gk_status grow_series(gk__activity *ia, size_t need) {
  if (need <= ia->cap) return GK_OK;
  if (need > GK_MAX_SAMPLES) return GK_E_LIMIT;
  size_t cap = ia->cap ? ia->cap : 1024;
  while (cap < need) cap *= 2;
  if (cap > GK_MAX_SAMPLES) cap = GK_MAX_SAMPLES;
  size_t bytes;
  if (!gk__mul_ok(cap, GK_COL_COUNT * sizeof(double), &bytes))
    return GK_E_LIMIT;
  const gk_alloc *al = &ia->alloc;
  double *nb = (double *)al->malloc(al->ctx, bytes);
  if (nb == NULL) return GK_E_NOMEM;
  size_t n = ia->pub.series.n;
  if (ia->block) {
    for (size_t c = 0; c < GK_COL_COUNT; c++)
      memcpy(nb + c * cap, ia->block + c * ia->cap, n * sizeof(double));
    al->free(al->ctx, ia->block, ia->cap * GK_COL_COUNT * sizeof(double));
  }
  ia->block = nb;
  ia->cap = cap;
  set_columns(ia);
  return GK_OK;
}

gk_status gk_activity_add_sample(gk_activity *a, const gk_sample *s) {
  if (a == NULL || s == NULL) return GK_E_ARG;
  gk__activity *ia = impl(a);
  size_t n = a->series.n;
  if (n >= ia->cap) {
    gk_status st = grow_series(ia, n + 1);
    if (st != GK_OK) return st;
  }
  gk_series *se = &a->series;
#define PUT(name) se->name[n] = s->name;
  GK_SERIES_COLUMNS(PUT)
#undef PUT
  se->n = n + 1;
  return GK_OK;
}

/* Grow an array of elem-sized items to hold need, up to max. */
static gk_status grow_array(gk__activity *ia, void **p, size_t *cap,
                            size_t elem, size_t need, size_t max) {
  if (need <= *cap) return GK_OK;
  if (need > max) return GK_E_LIMIT;
  size_t n = *cap ? *cap * 2 : 16;
  if (n > max) n = max;
  if (n < need) n = need;
  size_t bytes;
  if (!gk__mul_ok(n, elem, &bytes)) return GK_E_LIMIT;
  const gk_alloc *al = &ia->alloc;
  void *np = al->realloc(al->ctx, *p, *cap * elem, bytes);
  if (np == NULL) return GK_E_NOMEM;
  *p = np;
  *cap = n;
  return GK_OK;
}

gk_status gk_activity_add_lap(gk_activity *a, const gk_lap *lap) {
  if (a == NULL || lap == NULL) return GK_E_ARG;
  gk__activity *ia = impl(a);
  void *p = a->laps;
  gk_status st = grow_array(ia, &p, &ia->laps_cap, sizeof(gk_lap),
                            a->n_laps + 1, GK_MAX_LAPS);
  a->laps = (gk_lap *)p;
  if (st != GK_OK) return st;
  a->laps[a->n_laps++] = *lap;
  return GK_OK;
}

gk_status gk_activity_add_session(gk_activity *a, const gk_session *s) {
  if (a == NULL || s == NULL) return GK_E_ARG;
  gk__activity *ia = impl(a);
  void *p = a->sessions;
  gk_status st = grow_array(ia, &p, &ia->sessions_cap, sizeof(gk_session),
                            a->n_sessions + 1, GK_MAX_SESSIONS);
  a->sessions = (gk_session *)p;
  if (st != GK_OK) return st;
  a->sessions[a->n_sessions++] = *s;
  return GK_OK;
}

size_t gk_activity_drop_empty_samples(gk_activity *a) {
  if (a == NULL) return 0;
  gk_series *s = &a->series;
  double *cols[GK_COL_COUNT];
#define COL(name) cols[GK_COL_##name] = s->name;
  GK_SERIES_COLUMNS(COL)
#undef COL
  size_t w = 0;
  for (size_t r = 0; r < s->n; r++) {
    int empty = 1;
    for (unsigned c = 0; c < GK_COL_COUNT && empty; c++)
      if (c != GK_COL_time_s && !isnan(cols[c][r])) empty = 0;
    if (empty) continue;
    if (w != r)
      for (unsigned c = 0; c < GK_COL_COUNT; c++) cols[c][w] = cols[c][r];
    w++;
  }
  size_t dropped = s->n - w;
  s->n = w;
  return dropped;
}

gk_status gk_activity_set_path(gk_activity *a, const char *path) {
  if (a == NULL || path == NULL) return GK_E_ARG;
  gk__activity *ia = impl(a);
  const gk_alloc *al = &ia->alloc;
  size_t size = strlen(path) + 1;
  char *p = (char *)al->malloc(al->ctx, size);
  if (p == NULL) return GK_E_NOMEM;
  memcpy(p, path, size);
  if (a->source.path) al->free(al->ctx, a->source.path, ia->path_size);
  a->source.path = p;
  ia->path_size = size;
  return GK_OK;
}

/* ---- summaries ---------------------------------------------------------- */

/* A time-weighted mean with a plain-mean fallback, and a maximum. */
typedef struct acc {
  double sw, swx; /* weighted */
  double n, sx;   /* plain */
  double max;
} acc;

static void acc_init(acc *a) {
  a->sw = a->swx = a->n = a->sx = 0;
  a->max = NAN;
}

static void acc_add(acc *a, double x, double w) {
  a->sw += w;
  a->swx += w * x;
  a->n += 1;
  a->sx += x;
  if (isnan(a->max) || x > a->max) a->max = x;
}

static double acc_mean(const acc *a) {
  if (a->sw > 0) return a->swx / a->sw;
  if (a->n > 0) return a->sx / a->n;
  return NAN;
}

double gk_haversine_m(double lat1, double lon1, double lat2, double lon2) {
  const double r = 6371008.8, d2r = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
  double h = sin(dlat / 2) * sin(dlat / 2) +
             cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
  if (h > 1) h = 1;
  return 2 * r * asin(sqrt(h));
}

void gk_activity_summarize(const gk_activity *a, size_t first, size_t n,
                           int on_foot, gk_summary *out) {
  gk_summary_clear(out);
  if (a == NULL || first >= a->series.n || n == 0) return;
  const gk_series *s = &a->series;
  size_t end = first + n;
  if (end > s->n || end < first) end = s->n;

  /* Distance base: the last distance before the range. */
  double dist_base = 0;
  for (size_t i = first; i-- > 0;)
    if (!isnan(s->distance_m[i])) {
      dist_base = s->distance_m[i];
      break;
    }

  acc hr, cad, rpm, speed, power, gct, vo, step, ratio, bal;
  acc_init(&hr);
  acc_init(&cad);
  acc_init(&rpm);
  acc_init(&speed);
  acc_init(&power);
  acc_init(&gct);
  acc_init(&vo);
  acc_init(&step);
  acc_init(&ratio);
  acc_init(&bal);

  double last_dist = NAN, first_dist = NAN;
  double gps_dist = 0, plat = NAN, plon = NAN;
  int have_gps = 0;
  double timer = 0, moving = 0, steps = 0;
  int have_motion = 0, have_steps = 0;
  double ascent = 0, descent = 0, alt_ref = NAN;
  int have_alt = 0;
  double prev_t = NAN, prev_d = NAN;
  /* Distance from positions is needed only when no sample has one. */
  int need_gps_dist = 1;
  for (size_t i = first; i < end && need_gps_dist; i++)
    if (!isnan(s->distance_m[i])) need_gps_dist = 0;

  for (size_t i = first; i < end; i++) {
    double t = s->time_s[i];
    double dt = isnan(prev_t) ? 0 : t - prev_t;
    double w = (dt > 0 && dt <= GK_PAUSE_GAP_S) ? dt : 0;
    double d = s->distance_m[i];
    double v = s->speed_mps[i];

    /* distance */
    if (!isnan(d)) {
      if (isnan(first_dist)) first_dist = d;
      last_dist = d;
    }
    double la = s->lat_deg[i], lo = s->lon_deg[i];
    if (!isnan(la) && !isnan(lo)) {
      if (need_gps_dist && !isnan(plat))
        gps_dist += gk_haversine_m(plat, plon, la, lo);
      plat = la;
      plon = lo;
      have_gps = 1;
    }

    /* timer and moving time */
    int moving_now = -1; /* unknown */
    if (dt > 0) {
      double avg_v = (!isnan(d) && !isnan(prev_d)) ? (d - prev_d) / dt : NAN;
      if (dt <= GK_PAUSE_GAP_S) {
        timer += dt;
        if (!isnan(v)) moving_now = v > GK_MOVING_SPEED_MPS;
        else if (!isnan(avg_v)) moving_now = avg_v > GK_MOVING_SPEED_MPS;
      } else if (!isnan(avg_v)) {
        /* a long gap is a pause, unless the distance shows motion */
        moving_now = avg_v > GK_MOVING_SPEED_MPS;
        if (moving_now) timer += dt;
      }
      if (moving_now >= 0) {
        have_motion = 1;
        if (moving_now) moving += dt;
      }
    }
    if (!isnan(d)) prev_d = d;
    if (!isnan(t)) prev_t = t;
    /* a sample is moving for the averages unless its speed says otherwise */
    int moving_sample = isnan(v) ? 1 : v > GK_MOVING_SPEED_MPS;

    /* ascent, descent */
    double alt = s->altitude_m[i];
    if (!isnan(alt)) {
      have_alt = 1;
      if (isnan(alt_ref)) alt_ref = alt;
      else if (alt - alt_ref >= GK_ELEVATION_DEADBAND_M) {
        ascent += alt - alt_ref;
        alt_ref = alt;
      } else if (alt_ref - alt >= GK_ELEVATION_DEADBAND_M) {
        descent += alt_ref - alt;
        alt_ref = alt;
      }
    }

    if (!isnan(s->hr_bpm[i])) acc_add(&hr, s->hr_bpm[i], w);
    double c = s->cadence_spm[i];
    if (!isnan(c)) {
      if (c > 0 && moving_sample) acc_add(&cad, c, w);
      else if (isnan(cad.max) || c > cad.max) cad.max = c;
      if (on_foot && w > 0) {
        steps += c * w / 60.0;
        have_steps = 1;
      }
    }
    double r = s->cadence_rpm[i];
    if (!isnan(r)) {
      if (r > 0 && moving_sample) acc_add(&rpm, r, w);
      else if (isnan(rpm.max) || r > rpm.max) rpm.max = r;
    }
    if (!isnan(v)) acc_add(&speed, v, w);
    if (!isnan(s->power_w[i])) acc_add(&power, s->power_w[i], w);
    if (s->stance_time_ms[i] > 0) acc_add(&gct, s->stance_time_ms[i], w);
    if (s->vertical_oscillation_mm[i] > 0)
      acc_add(&vo, s->vertical_oscillation_mm[i], w);
    if (s->step_length_mm[i] > 0) acc_add(&step, s->step_length_mm[i], w);
    if (s->vertical_ratio_pct[i] > 0)
      acc_add(&ratio, s->vertical_ratio_pct[i], w);
    if (s->stance_balance_left_pct[i] > 0)
      acc_add(&bal, s->stance_balance_left_pct[i], w);
  }

  if (!isnan(last_dist)) out->distance_m = last_dist - dist_base;
  else if (have_gps) out->distance_m = gps_dist;
  double t0 = s->time_s[first], t1 = s->time_s[end - 1];
  if (!isnan(t0) && !isnan(t1)) out->elapsed_s = t1 - t0;
  out->timer_s = timer;
  if (have_motion) out->moving_s = moving;
  if (have_alt) {
    out->ascent_m = ascent;
    out->descent_m = descent;
  }
  out->avg_hr = acc_mean(&hr);
  out->max_hr = hr.max;
  out->avg_cadence_spm = acc_mean(&cad);
  out->max_cadence_spm = cad.max;
  out->avg_cadence_rpm = acc_mean(&rpm);
  out->max_cadence_rpm = rpm.max;
  if (!isnan(out->distance_m) && timer > 0)
    out->avg_speed_mps = out->distance_m / timer;
  else
    out->avg_speed_mps = acc_mean(&speed);
  out->max_speed_mps = speed.max;
  out->avg_power_w = acc_mean(&power);
  out->avg_stance_time_ms = acc_mean(&gct);
  out->avg_vertical_oscillation_mm = acc_mean(&vo);
  out->avg_step_length_mm = acc_mean(&step);
  out->avg_vertical_ratio_pct = acc_mean(&ratio);
  out->stance_balance_left_pct = acc_mean(&bal);
  if (on_foot && have_steps) out->total_steps = round(steps);

  uint32_t bits = 0;
#define MARK(ID, name) \
  if (!isnan(out->name)) bits |= 1u << GK_SUM_##ID;
  GK_SUMMARY_FIELDS(MARK)
#undef MARK
  out->computed = bits;
}

void gk_summary_fill(gk_summary *dst, const gk_summary *src) {
  if (dst == NULL || src == NULL) return;
#define FILL(ID, name)                                           \
  if (isnan(dst->name) && !isnan(src->name)) {                   \
    dst->name = src->name;                                       \
    dst->computed |= src->computed & (1u << GK_SUM_##ID);        \
  }
  GK_SUMMARY_FIELDS(FILL)
#undef FILL
}

/* How a summary field combines across parts. */
enum { C_SUM, C_MAX, C_AVG };

static int combine_kind(unsigned id) {
  switch (id) {
    case GK_SUM_DISTANCE_M:
    case GK_SUM_ELAPSED_S:
    case GK_SUM_TIMER_S:
    case GK_SUM_MOVING_S:
    case GK_SUM_ASCENT_M:
    case GK_SUM_DESCENT_M:
    case GK_SUM_TOTAL_STEPS:
    case GK_SUM_CALORIES:
      return C_SUM;
    case GK_SUM_MAX_HR:
    case GK_SUM_MAX_CADENCE_SPM:
    case GK_SUM_MAX_CADENCE_RPM:
    case GK_SUM_MAX_SPEED_MPS:
      return C_MAX;
    default:
      return C_AVG;
  }
}

/* The fields of a summary as an array, in GK_SUMMARY_FIELDS order. */
static void summary_to_array(const gk_summary *s, double v[GK_SUM_COUNT]) {
#define GET(ID, name) v[GK_SUM_##ID] = s->name;
  GK_SUMMARY_FIELDS(GET)
#undef GET
}

static void summary_from_array(gk_summary *s, const double v[GK_SUM_COUNT]) {
#define PUT(ID, name) s->name = v[GK_SUM_##ID];
  GK_SUMMARY_FIELDS(PUT)
#undef PUT
}

static double part_weight(const gk_summary *s) {
  if (s->timer_s > 0) return s->timer_s;
  if (s->elapsed_s > 0) return s->elapsed_s;
  return 0;
}

void gk_summary_combine(gk_summary *dst, const gk_summary *parts, size_t n) {
  if (dst == NULL) return;
  gk_summary_clear(dst);
  if (parts == NULL || n == 0) return;
  if (n == 1) {
    *dst = parts[0];
    return;
  }
  double out[GK_SUM_COUNT], wsum[GK_SUM_COUNT], only[GK_SUM_COUNT];
  unsigned count[GK_SUM_COUNT];
  for (unsigned k = 0; k < GK_SUM_COUNT; k++) {
    out[k] = only[k] = NAN;
    wsum[k] = 0;
    count[k] = 0;
  }
  /* The weight of a part in the averages: its timer time, else its
     elapsed time; when no part has either, every part weighs 1. */
  int any_weight = 0;
  for (size_t i = 0; i < n; i++)
    if (part_weight(&parts[i]) > 0) any_weight = 1;
  uint32_t bits = 0;
  for (size_t i = 0; i < n; i++) {
    double v[GK_SUM_COUNT];
    summary_to_array(&parts[i], v);
    double w = any_weight ? part_weight(&parts[i]) : 1;
    for (unsigned k = 0; k < GK_SUM_COUNT; k++) {
      double x = v[k];
      if (isnan(x)) continue;
      int kind = combine_kind(k);
      if (kind == C_SUM) {
        out[k] = isnan(out[k]) ? x : out[k] + x;
      } else if (kind == C_MAX) {
        if (isnan(out[k]) || x > out[k]) out[k] = x;
      } else {
        if (w <= 0) continue;
        out[k] = isnan(out[k]) ? w * x : out[k] + w * x;
        wsum[k] += w;
        only[k] = x;
        count[k]++;
      }
      bits |= parts[i].computed & (1u << k);
    }
  }
  for (unsigned k = 0; k < GK_SUM_COUNT; k++)
    if (combine_kind(k) == C_AVG && !isnan(out[k]))
      out[k] = count[k] == 1 ? only[k] : out[k] / wsum[k];
  /* avg speed = total distance / total timer, when both are known for
     every part */
  int all = 1;
  for (size_t i = 0; i < n; i++)
    if (isnan(parts[i].distance_m) || isnan(parts[i].timer_s)) all = 0;
  if (all && out[GK_SUM_TIMER_S] > 0)
    out[GK_SUM_AVG_SPEED_MPS] = out[GK_SUM_DISTANCE_M] / out[GK_SUM_TIMER_S];
  summary_from_array(dst, out);
  dst->computed = bits;
}

/* ---- helpers ------------------------------------------------------------ */

int gk_sport_is_on_foot(const char *sport) {
  if (sport == NULL) return 0;
  return strcmp(sport, "running") == 0 || strcmp(sport, "walking") == 0 ||
         strcmp(sport, "hiking") == 0;
}

uint64_t gk_fnv1a64(const void *buf, size_t len) {
  const unsigned char *p = (const unsigned char *)buf;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
