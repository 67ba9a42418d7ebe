/*
** gait.c -- the analysis result shared by the 3D and 2D analyses: metric
** names, allocation, notes, the per-side summary and the JSON output.
** The metrics themselves are computed in gait3d*.c and gait2d*.c; their
** definitions are in docs/METRICS.md ("Gait").
*/
#include "gaitkeeper/gait.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const metric_names[GK_GM_COUNT] = {
#define GK__GM_NAME(id, name, unit) name,
    GK_GAIT_METRICS(GK__GM_NAME)
#undef GK__GM_NAME
};

static const char *const metric_units[GK_GM_COUNT] = {
#define GK__GM_UNIT(id, name, unit) unit,
    GK_GAIT_METRICS(GK__GM_UNIT)
#undef GK__GM_UNIT
};

const char *gk_side_name(gk_side s) { return s == GK_LEFT ? "left" : "right"; }

const char *gk_gait_metric_name(gk_gait_metric m) {
  return (unsigned)m < GK_GM_COUNT ? metric_names[m] : NULL;
}

const char *gk_gait_metric_unit(gk_gait_metric m) {
  return (unsigned)m < GK_GM_COUNT ? metric_units[m] : NULL;
}

int gk_gait_metric_find(const char *name) {
  if (name == NULL) return -1;
  for (int m = 0; m < GK_GM_COUNT; m++)
    if (strcmp(metric_names[m], name) == 0) return m;
  return -1;
}

const char *gk_quality_name(gk_quality q) {
  switch (q) {
    case GK_QUALITY_NONE: return "none";
    case GK_QUALITY_POOR: return "poor";
    case GK_QUALITY_FAIR: return "fair";
    case GK_QUALITY_GOOD: return "good";
  }
  return "none";
}

const char *gk_view_name(gk_capture_view v) {
  switch (v) {
    case GK_VIEW_3D: return "3d";
    case GK_VIEW_REAR: return "rear";
    case GK_VIEW_FRONT: return "front";
    case GK_VIEW_LEFT: return "left";
    case GK_VIEW_RIGHT: return "right";
    case GK_VIEW_UNKNOWN: break;
  }
  return "unknown";
}

static void stat_clear(gk_gait_stat *s, gk_gait_metric m) {
  memset(s, 0, sizeof *s);
  s->per_side = 1;
  s->left = s->right = s->sd_left = s->sd_right = NAN;
  s->mean = s->sd = s->value = NAN;
  s->asymmetry = s->asymmetry_pct = NAN;
  s->unit = metric_units[m];
}

gk_gait *gk_gait_new(size_t n_steps) {
  gk_gait *g = (gk_gait *)calloc(1, sizeof *g);
  if (g == NULL) return NULL;
  if (n_steps > 0) {
    if (n_steps > SIZE_MAX / sizeof *g->steps) {
      free(g);
      return NULL;
    }
    g->steps = (gk_gait_step *)calloc(n_steps, sizeof *g->steps);
    if (g->steps == NULL) {
      free(g);
      return NULL;
    }
  }
  g->n_steps = n_steps;
  for (size_t i = 0; i < n_steps; i++) {
    gk_gait_step *st = &g->steps[i];
    st->ic_s = st->to_s = st->next_ic_s = NAN;
    for (int m = 0; m < GK_GM_COUNT; m++) st->v[m] = NAN;
  }
  for (int m = 0; m < GK_GM_COUNT; m++)
    stat_clear(&g->stat[m], (gk_gait_metric)m);
  g->fps = g->duration_s = g->speed_mps = NAN;
  g->height_mm = g->mass_kg = g->leg_length_mm = NAN;
  g->time_scale_ratio = NAN;
  g->surface_travel = NAN;
  return g;
}

void gk_gait_free(gk_gait *g) {
  if (g == NULL) return;
  for (size_t i = 0; i < g->n_figures && i < 4; i++) {
    free(g->figures[i].xy);
    free(g->figures[i].photo_b64);
  }
  /* arena_: a chain of blocks, each starting with the next one's address
     (text the findings keep, e.g. their sources from data/) */
  for (void *blk = g->arena_; blk != NULL;) {
    void *next;
    memcpy(&next, blk, sizeof next);
    free(blk);
    blk = next;
  }
  free(g->steps);
  free(g);
}

void gk_gait_note(gk_gait *g, const char *fmt, ...) {
  if (g->n_notes >= GK_GAIT_MAX_NOTES) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g->notes[g->n_notes], GK_GAIT_NOTE_MAX, fmt, ap);
  va_end(ap);
  /* the same note twice is said once */
  for (size_t i = 0; i < g->n_notes; i++)
    if (strcmp(g->notes[i], g->notes[g->n_notes]) == 0) return;
  g->n_notes++;
}

void gk_gait_refuse(gk_gait *g, gk_gait_metric m, const char *fmt, ...) {
  if ((unsigned)m >= GK_GM_COUNT) return;
  gk_gait_stat *s = &g->stat[m];
  stat_clear(s, m);
  s->refused = 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(s->note, sizeof s->note, fmt, ap);
  va_end(ap);
}

/* Metrics that are never negative: their asymmetry is also a percentage. */
static int positive_metric(gk_gait_metric m) {
  return m == GK_GM_CADENCE || m == GK_GM_STEP_TIME ||
         m == GK_GM_CONTACT_TIME || m == GK_GM_FLIGHT_TIME ||
         m == GK_GM_DUTY_FACTOR || m == GK_GM_LOADING_RATE;
}

/* Mean and sample SD of the values of steps on `side` (-1: both). */
static uint32_t side_stats(const gk_gait *g, int m, int side, double *mean,
                           double *sd) {
  double sum = 0, n = 0;
  for (size_t i = 0; i < g->n_steps; i++) {
    const gk_gait_step *st = &g->steps[i];
    if (side >= 0 && (int)st->side != side) continue;
    if (isnan(st->v[m])) continue;
    sum += st->v[m];
    n++;
  }
  *mean = n > 0 ? sum / n : NAN;
  double ss = 0;
  for (size_t i = 0; i < g->n_steps; i++) {
    const gk_gait_step *st = &g->steps[i];
    if (side >= 0 && (int)st->side != side) continue;
    if (isnan(st->v[m])) continue;
    double d = st->v[m] - *mean;
    ss += d * d;
  }
  *sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
  return (uint32_t)n;
}

/* Limits of what 2D keypoints time well (gaitkeeper's own measurement
   limits, not clinical thresholds; docs/METRICS.md "Timing from video"):
   steps of one side whose times vary by more than TIMING_CV_MAX of their
   mean, or sides whose cadences differ by more than TIMING_SPLIT_MAX_PCT,
   are a leg lost or swapped by the pose model more often than a runner's
   real rhythm; such timing is rated poor (no finding is drawn from it). */
#define TIMING_CV_MAX 0.15
#define TIMING_SPLIT_MAX_PCT 15.0

static gk_quality timing_plausible(gk_gait *g, gk_gait_metric m,
                                   gk_gait_stat *s, gk_quality q) {
  if (m != GK_GM_CADENCE && m != GK_GM_STEP_TIME && m != GK_GM_CONTACT_TIME)
    return q;
  double ml, sl, mr, sr;
  gk_gait_metric src = m == GK_GM_CONTACT_TIME ? m : GK_GM_STEP_TIME;
  side_stats(g, src, GK_LEFT, &ml, &sl);
  side_stats(g, src, GK_RIGHT, &mr, &sr);
  double cv = fmax(ml > 0 ? sl / ml : 0, mr > 0 ? sr / mr : 0);
  size_t len = strlen(s->note);
  if (cv > TIMING_CV_MAX) {
    snprintf(s->note + len, sizeof s->note - len,
             "%sSteps of one side vary by %.0f%% of their mean: more than a "
             "runner's rhythm does; the keypoints likely lost or swapped a "
             "leg in some frames.",
             len ? " " : "", 100 * cv);
    return GK_QUALITY_POOR;
  }
  /* the split only for the step rhythm: a contact-time asymmetry is what
     the asymmetry finding is about, and is left to it */
  double split = m != GK_GM_CONTACT_TIME && ml > 0 && mr > 0
                     ? 200 * fabs(ml - mr) / (ml + mr)
                     : 0;
  if (split > TIMING_SPLIT_MAX_PCT) {
    snprintf(s->note + len, sizeof s->note - len,
             "%sThe left and right sides differ by %.0f%% in time: more than "
             "runners differ; the keypoints likely found one foot's contacts "
             "late or early.",
             len ? " " : "", split);
    return GK_QUALITY_POOR;
  }
  return q;
}

void gk_gait_summarise(gk_gait *g, unsigned min_steps_per_side) {
  for (int m = 0; m < GK_GM_COUNT; m++) {
    gk_gait_stat *s = &g->stat[m];
    if (s->refused) continue;
    if (!s->per_side) {
      if (!isnan(s->value)) s->mean = s->value;
      continue;
    }
    gk_quality set = s->quality;
    if (m == GK_GM_CADENCE) {
      /* Cadence from the step times: 60 000 / mean step time (ms), so that
         it agrees with step_time_ms exactly. */
      double mt, sdt;
      s->n_left = side_stats(g, GK_GM_STEP_TIME, GK_LEFT, &mt, &sdt);
      s->left = mt > 0 ? 60000.0 / mt : NAN;
      s->sd_left = NAN;
      s->n_right = side_stats(g, GK_GM_STEP_TIME, GK_RIGHT, &mt, &sdt);
      s->right = mt > 0 ? 60000.0 / mt : NAN;
      s->sd_right = NAN;
      side_stats(g, GK_GM_STEP_TIME, -1, &mt, &sdt);
      s->mean = mt > 0 ? 60000.0 / mt : NAN;
      /* SD of the per-step cadences, for the spread. */
      double ss = 0, mc = s->mean;
      uint32_t n = 0;
      for (size_t i = 0; i < g->n_steps; i++) {
        double t = g->steps[i].v[GK_GM_STEP_TIME];
        if (isnan(t) || t <= 0) continue;
        double d = 60000.0 / t - mc;
        ss += d * d;
        n++;
      }
      s->sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
    } else {
      s->n_left = side_stats(g, m, GK_LEFT, &s->left, &s->sd_left);
      s->n_right = side_stats(g, m, GK_RIGHT, &s->right, &s->sd_right);
      side_stats(g, m, -1, &s->mean, &s->sd);
    }
    s->asymmetry = s->left - s->right; /* NaN when a side is missing */
    if (positive_metric((gk_gait_metric)m) && !isnan(s->asymmetry)) {
      double avg = (s->left + s->right) / 2;
      s->asymmetry_pct = avg > 0 ? 100.0 * fabs(s->asymmetry) / avg : NAN;
    }
    /* Events found from the markers or keypoints are timed to about one
       frame: a left-right difference under two frames may be timing alone;
       say so.  (Events from the force plate are timed by its own, faster
       sampling.) */
    double dt_ms = NAN;
    if (m == GK_GM_CADENCE) /* per-side cadence is 60000 / step time */
      dt_ms = 60000.0 / s->left - 60000.0 / s->right;
    else if (s->unit != NULL && strcmp(s->unit, "ms") == 0)
      dt_ms = s->asymmetry;
    if (g->events == GK_EVENTS_MARKERS && g->fps > 0 && isfinite(dt_ms) &&
        fabs(dt_ms) > 0 && fabs(dt_ms) < 2000.0 / g->fps) {
      size_t len = strlen(s->note);
      snprintf(s->note + len, sizeof s->note - len,
               "%sThe left-right difference (%.0f ms) is under two frames "
               "(%.0f ms at %.0f fps) and may be timing alone.",
               len ? " " : "", fabs(dt_ms), 2000.0 / g->fps, g->fps);
    }
    gk_quality q;
    if (s->n_left == 0 && s->n_right == 0) q = GK_QUALITY_NONE;
    else if (s->n_left < min_steps_per_side || s->n_right < min_steps_per_side)
      q = GK_QUALITY_POOR;
    else q = GK_QUALITY_GOOD;
    if (set != GK_QUALITY_NONE && set < q) q = set;
    if (g->kind == GK_CAPTURE_2D && q > GK_QUALITY_POOR)
      q = timing_plausible(g, (gk_gait_metric)m, s, q);
    s->quality = q;
  }
}

/* ---- JSON ---------------------------------------------------------------- */

static void num_member(gk_buf *b, const char *k, double v) {
  gk_json_key(b, k);
  gk_json_num(b, v);
  gk_buf_putc(b, ',');
}

static int stat_present(const gk_gait_stat *s) {
  if (s->refused) return 1;
  if (!s->per_side) return !isnan(s->value);
  return s->n_left + s->n_right > 0;
}

static void write_stat(gk_buf *b, const gk_gait_stat *s) {
  gk_buf_putc(b, '{');
  if (s->refused) {
    gk_json_key(b, "refused");
    gk_buf_puts(b, "true,");
  } else if (s->per_side) {
    num_member(b, "left", s->left);
    num_member(b, "right", s->right);
    num_member(b, "mean", s->mean);
    num_member(b, "sd", s->sd);
    num_member(b, "sd_left", s->sd_left);
    num_member(b, "sd_right", s->sd_right);
    gk_json_key(b, "n_left");
    gk_json_u64(b, s->n_left);
    gk_buf_putc(b, ',');
    gk_json_key(b, "n_right");
    gk_json_u64(b, s->n_right);
    gk_buf_putc(b, ',');
    num_member(b, "asymmetry", s->asymmetry);
    num_member(b, "asymmetry_pct", s->asymmetry_pct);
  } else {
    num_member(b, "value", s->value);
  }
  if (!s->refused) {
    gk_json_key(b, "unit");
    gk_json_str(b, s->unit ? s->unit : "");
    gk_buf_putc(b, ',');
    gk_json_key(b, "quality");
    gk_json_str(b, gk_quality_name(s->quality));
    gk_buf_putc(b, ',');
  }
  gk_json_key(b, "note");
  gk_json_str(b, s->note);
  gk_buf_putc(b, '}');
}

static const char *events_name(gk_event_source e) {
  switch (e) {
    case GK_EVENTS_FORCE: return "force";
    case GK_EVENTS_MARKERS: return "markers";
    case GK_EVENTS_NONE: break;
  }
  return "none";
}

const char *gk_surface_name(gk_surface s) {
  switch (s) {
    case GK_SURFACE_TREADMILL: return "treadmill";
    case GK_SURFACE_OVERGROUND: return "overground";
    case GK_SURFACE_UNKNOWN: break;
  }
  return "unknown";
}

void gk_gait_write_json(const gk_gait *g, unsigned options, gk_buf *b) {
  gk_buf_putc(b, '{');
  gk_json_key(b, "kind");
  gk_json_str(b, g->kind == GK_CAPTURE_2D ? "2d" : "3d");
  gk_buf_putc(b, ',');
  gk_json_key(b, "view");
  gk_json_str(b, gk_view_name(g->view));
  gk_buf_putc(b, ',');
  gk_json_key(b, "view_detected");
  gk_buf_puts(b, g->view_detected ? "true," : "false,");
  num_member(b, "fps", g->fps);
  gk_json_key(b, "n_frames");
  gk_json_u64(b, g->n_frames);
  gk_buf_putc(b, ',');
  num_member(b, "duration_s", g->duration_s);
  gk_json_key(b, "events");
  gk_json_str(b, events_name(g->events));
  gk_buf_putc(b, ',');
  if (g->kind == GK_CAPTURE_3D && g->marker_set[0]) {
    /* the lab marker set (docs/MARKER_SETS.md) */
    gk_json_key(b, "marker_set");
    gk_buf_putc(b, '{');
    gk_json_key(b, "name");
    gk_json_str(b, g->marker_set);
    gk_buf_putc(b, ',');
    gk_json_key(b, "chosen");
    gk_json_str(b, g->marker_set_how);
    gk_buf_putc(b, ',');
    gk_json_key(b, "static_trial");
    gk_buf_puts(b, g->static_trial ? "true," : "false,");
    gk_json_key(b, "hip_centre");
    gk_json_str(b, g->hip_centre);
    gk_buf_putc(b, ',');
    gk_json_key(b, "knee_ankle_centres");
    gk_json_str(b, g->knee_ankle_centres);
    gk_buf_puts(b, "},");
  }
  num_member(b, "speed_mps", g->speed_mps);
  num_member(b, "height_mm", g->height_mm);
  num_member(b, "mass_kg", g->mass_kg);
  num_member(b, "leg_length_mm", g->leg_length_mm);
  num_member(b, "time_scale_g", g->time_scale_ratio);
  if (g->surface_how != NULL) {
    gk_json_key(b, "surface");
    gk_buf_putc(b, '{');
    gk_json_key(b, "value");
    gk_json_str(b, gk_surface_name(g->surface));
    gk_buf_putc(b, ',');
    gk_json_key(b, "how");
    gk_json_str(b, g->surface_how);
    gk_buf_putc(b, ',');
    gk_json_key(b, "travel");
    gk_json_num(b, g->surface_travel);
    gk_buf_puts(b, "},");
  }

  uint32_t nl = 0, nr = 0;
  for (size_t i = 0; i < g->n_steps; i++) {
    if (g->steps[i].side == GK_LEFT) nl++;
    else nr++;
  }
  gk_json_key(b, "n_steps");
  gk_buf_putc(b, '{');
  gk_json_key(b, "left");
  gk_json_u64(b, nl);
  gk_buf_putc(b, ',');
  gk_json_key(b, "right");
  gk_json_u64(b, nr);
  gk_buf_puts(b, "},");

  gk_json_key(b, "summary");
  gk_buf_putc(b, '{');
  int first = 1;
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const gk_gait_stat *s = &g->stat[m];
    if (!stat_present(s)) continue;
    if (!first) gk_buf_putc(b, ',');
    first = 0;
    gk_json_key(b, metric_names[m]);
    write_stat(b, s);
  }
  gk_buf_puts(b, "},");

  if (!(options & GK_GAIT_JSON_NO_STEPS)) {
    gk_json_key(b, "steps");
    gk_buf_putc(b, '[');
    for (size_t i = 0; i < g->n_steps; i++) {
      const gk_gait_step *st = &g->steps[i];
      if (i) gk_buf_putc(b, ',');
      gk_buf_putc(b, '{');
      gk_json_key(b, "side");
      gk_json_str(b, gk_side_name(st->side));
      gk_buf_putc(b, ',');
      num_member(b, "ic_s", st->ic_s);
      num_member(b, "to_s", st->to_s);
      gk_json_key(b, "next_ic_s");
      gk_json_num(b, st->next_ic_s);
      for (int m = 0; m < GK_GM_COUNT; m++) {
        if (isnan(st->v[m])) continue;
        gk_buf_putc(b, ',');
        gk_json_key(b, metric_names[m]);
        gk_json_num(b, st->v[m]);
      }
      gk_buf_putc(b, '}');
    }
    gk_buf_puts(b, "],");
  }

  gk_json_key(b, "notes");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < g->n_notes; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_json_str(b, g->notes[i]);
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "figures");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < g->n_figures && i < 4; i++) {
    const struct gk_gait_figure *f = &g->figures[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "label");
    gk_json_str(b, f->label);
    gk_buf_putc(b, ',');
    gk_json_key(b, "frame");
    gk_json_u64(b, f->frame);
    gk_buf_putc(b, ',');
    gk_json_key(b, "measure");
    gk_json_str(b, f->measure);
    gk_buf_putc(b, ',');
    if (f->photo_b64 != NULL) {
      gk_json_key(b, "photo");
      gk_buf_puts(b, "{\"jpeg_base64\":\"");
      gk_buf_puts(b, f->photo_b64); /* base64: nothing to escape */
      gk_buf_puts(b, "\",\"crop\":[");
      for (int k = 0; k < 4; k++) {
        if (k) gk_buf_putc(b, ',');
        gk_json_num(b, f->photo_crop[k]);
      }
      gk_buf_puts(b, "]},");
    }
    gk_json_key(b, "points");
    gk_buf_putc(b, '{');
    int pf = 1;
    for (size_t p = 0; p < f->n_points; p++) {
      double x = f->xy[p * 2], y = f->xy[p * 2 + 1];
      if (isnan(x) || isnan(y) || f->point_names == NULL ||
          f->point_names[p] == NULL)
        continue;
      if (!pf) gk_buf_putc(b, ',');
      pf = 0;
      gk_json_key(b, f->point_names[p]);
      gk_buf_putc(b, '[');
      gk_json_num(b, x);
      gk_buf_putc(b, ',');
      gk_json_num(b, y);
      gk_buf_putc(b, ']');
    }
    gk_buf_puts(b, "}}");
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "findings");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < g->n_findings; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_finding_write_json(&g->findings[i], b);
  }
  gk_buf_puts(b, "]}");
}
