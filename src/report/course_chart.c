/*
** course_chart.c -- the report's course over weeks (docs/REPORT.md, "Your
** course over weeks"): the course document (gaitkeeper/course.h) read into
** bounded arrays, and its charts as inline SVG: the stage on every
** evaluated day (provisional days hollow and dashed, visits marked, each
** change of stage numbered), the AKPS with the minimal important change
** around the first score, the pain log's three series with the pain limit
** and the pain MIC around the first week's mean, and one small chart per
** screen gate with its target.  Each chart is one <svg role="img"> with a
** <title> and a <desc> that states its numbers; colours from the palette.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "report/report_internal.h"

#define C(name) gk__report_color_hex(name)

/* ---- reading the document -------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

static int jbool(const cJSON *o, const char *key) {
  return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static int jday(const cJSON *o, const char *key, int64_t *day) {
  const char *s = jstr(o, key);
  return s && gk_day_parse(s, day) == GK_OK;
}

/* A stage as the course writes it: 0..4, or -1 (no plan that day). */
static int jstage(const cJSON *o, const char *key, int *out) {
  double v = jnum(o, key);
  if (!(v >= -1 && v <= 4) || v != floor(v)) return 0;
  *out = (int)v;
  return 1;
}

static gk_status read_course(gk__rcourse *c, const cJSON *doc, int64_t today) {
  const cJSON *days = cJSON_GetObjectItemCaseSensitive(doc, "days");
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(doc, "changes");
  const cJSON *akps = cJSON_GetObjectItemCaseSensitive(doc, "akps");
  const cJSON *gates = cJSON_GetObjectItemCaseSensitive(doc, "gates");
  if (!cJSON_IsArray(days) || (changes && !cJSON_IsArray(changes)) ||
      (akps && !cJSON_IsArray(akps)) || (gates && !cJSON_IsArray(gates)))
    return GK_E_CORRUPT;
  if (cJSON_GetArraySize(days) > GK__COURSE_DAYS ||
      cJSON_GetArraySize(changes) > GK__COURSE_CHANGES ||
      cJSON_GetArraySize(akps) > GK__COURSE_AKPS)
    return GK_E_CORRUPT;
  c->gates = gates;
  const cJSON *e;
  cJSON_ArrayForEach(e, days) {
    gk__cday *d = &c->days[c->n_days];
    if (!jday(e, "date", &d->day) || !jstage(e, "stage", &d->stage))
      return GK_E_CORRUPT;
    if (c->n_days && d->day <= c->days[c->n_days - 1].day) return GK_E_CORRUPT;
    d->provisional = jbool(e, "provisional");
    d->by_clinician = jbool(e, "by_clinician");
    d->visit = jbool(e, "visit");
    /* "screen": the days a screen was given; a course without it (older
       JSON) counts every visit */
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(e, "screen");
    d->screened = cJSON_IsBool(sc) ? cJSON_IsTrue(sc) : d->visit;
    d->value = cJSON_GetObjectItemCaseSensitive(e, "value");
    if (!cJSON_IsArray(d->value)) d->value = NULL;
    c->n_days++;
  }
  cJSON_ArrayForEach(e, changes) {
    gk__cchange *x = &c->changes[c->n_changes];
    if (!jday(e, "date", &x->day) || !jstage(e, "from", &x->from) ||
        !jstage(e, "to", &x->to) || x->from < 0 || x->to < 0)
      return GK_E_CORRUPT;
    x->by_clinician = jbool(e, "by_clinician");
    x->gate = jstr(e, "gate") ? jstr(e, "gate") : "";
    x->why = jstr(e, "why") ? jstr(e, "why") : "";
    c->n_changes++;
  }
  cJSON_ArrayForEach(e, akps) {
    gk__cakps *a = &c->akps[c->n_akps];
    a->score = jnum(e, "score");
    if (!jday(e, "date", &a->day) || !(a->score >= 0 && a->score <= 100))
      return GK_E_CORRUPT;
    c->n_akps++;
  }
  double left = jnum(doc, "days_left_out");
  c->days_left_out = left > 0 && left < 1e9 ? (size_t)left : 0;
  c->akps_mic = jnum(doc, "akps_mic");
  c->pain_mic = jnum(doc, "pain_mic");
  if (!(c->akps_mic > 0 && c->akps_mic < 100)) c->akps_mic = NAN;
  if (!(c->pain_mic > 0 && c->pain_mic < 10)) c->pain_mic = NAN;
  c->akps_mic_source = jstr(doc, "akps_mic_source");
  c->pain_mic_source = jstr(doc, "pain_mic_source");
  c->to = today;
  c->from = c->n_days ? c->days[0].day : today;
  if (c->n_days && c->days[c->n_days - 1].day > c->to)
    c->to = c->days[c->n_days - 1].day;
  if (c->from > c->to) c->from = c->to;
  return GK_OK;
}

gk_status gk__course_read(gk__report *r) {
  r->crs = NULL;
  if (r->course == NULL) return GK_OK;
  gk__rcourse *c = calloc(1, sizeof *c);
  if (c == NULL) return GK_E_NOMEM;
  gk_status st = read_course(c, r->course, r->today);
  if (st != GK_OK) {
    free(c);
    return st;
  }
  r->crs = c;
  return GK_OK;
}

/* ---- shared geometry ------------------------------------------------------- */

#define CW 400.0 /* the course charts' width (viewBox units) */
#define SW 320.0 /* a screen gate's small chart */


static double px(const gk__chart_scale *s, double v) {
  if (!(s->hi > s->lo)) return (s->p0 + s->p1) / 2;
  return s->p0 + (v - s->lo) * (s->p1 - s->p0) / (s->hi - s->lo);
}

static void line(gk_buf *b, double x1, double y1, double x2, double y2,
                 const char *color, double width, const char *dash) {
  gk__bprintf(b,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"%s\" stroke-width=\"%.1f\"",
              x1, y1, x2, y2, color, width);
  if (dash) gk__bprintf(b, " stroke-dasharray=\"%s\"", dash);
  gk_buf_puts(b, "/>");
}

/* <svg ...><title>title</title><desc>(desc of r)</desc> */
static void open_svg(gk_buf *b, const char *id, double w, double h,
                     const char *title, const gk_buf *desc) {
  gk__bprintf(b,
              "<svg class=\"chart%s\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
              "aria-labelledby=\"%s-t %s-d\"><title id=\"%s-t\">",
              w == CW ? " course" : "", w, h, id, id, id);
  gk__html_esc(b, title);
  gk__bprintf(b, "</title><desc id=\"%s-d\">", id);
  if (desc->data && !desc->oom) gk__report_put_n(b, desc->data, desc->len, gk__html_esc);
  gk_buf_puts(b, "</desc>");
}

/* The x axis of the course: date labels (at most 5) under y1. */
static void date_axis(gk_buf *b, const gk__chart_scale *x, double y1, double h,
                      int64_t from, int64_t to) {
  char lab[16];
  line(b, x->p0, y1, x->p1, y1, C("muted"), 1, NULL);
  /* a label every whole number of weeks, at least 70 units apart */
  int64_t span = to - from, step = 7;
  double per_day = span > 0 ? (x->p1 - x->p0) / (double)span : 0;
  while (span / step > 4 || (double)step * per_day < 70) {
    if (step > span) break;
    step += 7;
  }
  gk__chart_day_short(from, lab);
  gk__chart_text_at(b, px(x, (double)from), h - 6, "start", C("muted"), lab);
  for (int64_t d = from + step; d + step / 2 < to; d += step) {
    gk__chart_day_short(d, lab);
    gk__chart_text_at(b, px(x, (double)d), h - 6, "middle", C("muted"), lab);
  }
  if (to > from) {
    gk__chart_day_short(to, lab);
    gk__chart_text_at(b, px(x, (double)to), h - 6, "end", C("ink"), lab);
  }
}

static void hgrid(gk_buf *b, const gk__chart_scale *y, double x0, double x1,
                  double step, const char *unit) {
  char lab[48];
  for (double v = ceil(y->lo / step - 1e-9) * step; v <= y->hi + 1e-9;
       v += step) {
    double yy = px(y, v);
    line(b, x0, yy, x1, yy, C("grid"), 1, NULL);
    snprintf(lab, sizeof lab, "%g%s", fabs(v) < 1e-9 ? 0.0 : v, unit);
    gk__chart_text_at(b, x0 - 4, yy + 4, "end", C("muted"), lab);
  }
}

/* ---- stage over time -------------------------------------------------------- */

static const char *stage_word(int s) {
  static const char *const w[] = {"refer", "1", "2", "3", "4"};
  return s >= 0 && s <= 4 ? w[s] : "none";
}

void gk__course_change_text(gk_buf *b, const gk__cchange *c) {
  char d[11];
  gk__bprintf(b, "%s: ", gk_day_format(c->day, d));
  if (c->from == 0) gk_buf_puts(b, "from referral");
  else gk__bprintf(b, "stage %d", c->from);
  if (c->to == 0) gk_buf_puts(b, " -> refer");
  else gk__bprintf(b, " -> %d", c->to);
  gk_buf_puts(b, ".");
  if (c->why[0]) {
    gk_buf_putc(b, ' ');
    gk_buf_puts(b, c->why);
  }
  if (c->by_clinician) gk_buf_puts(b, " (set by the clinician)");
}

void gk__course_desc_stage(gk_buf *b, const gk__report *r) {
  const gk__rcourse *c = r->crs;
  if (c == NULL || c->n_days == 0) return;
  size_t visits = 0, prov = 0;
  for (size_t i = 0; i < c->n_days; i++) {
    visits += c->days[i].visit;
    prov += c->days[i].provisional;
  }
  char d1[16], d2[16];
  gk__chart_day_short(c->days[0].day, d1);
  gk__chart_day_short(c->days[c->n_days - 1].day, d2);
  const gk__cday *last = &c->days[c->n_days - 1];
  gk__bprintf(b, "Stage on %zu evaluated days from %s to %s, %zu with a "
                 "visit: ", c->n_days, d1, d2, visits);
  if (c->days[0].stage >= 0)
    gk__bprintf(b, "%s%s first, ", c->days[0].stage ? "stage " : "",
                stage_word(c->days[0].stage));
  if (last->stage >= 0)
    gk__bprintf(b, "%s%s on the last day%s. ", last->stage ? "stage " : "",
                stage_word(last->stage),
                last->provisional ? " (provisional)" : "");
  else
    gk_buf_puts(b, "no plan on the last day. ");
  if (prov) gk__bprintf(b, "%zu days provisional. ", prov);
  if (c->n_changes == 0) {
    gk_buf_puts(b, "No change of stage.");
    return;
  }
  gk__bprintf(b, "%zu change%s of stage: ", c->n_changes,
              c->n_changes == 1 ? "" : "s");
  for (size_t i = 0; i < c->n_changes; i++) {
    if (i) gk_buf_puts(b, "; ");
    gk__bprintf(b, "%zu. ", i + 1);
    gk__course_change_text(b, &c->changes[i]);
  }
}

int gk__svg_course_stage(gk_buf *b, const gk__report *r) {
  const gk__rcourse *c = r->crs;
  if (c == NULL || c->n_days == 0) return 0;
  const double H = 200, x0 = 44, x1 = CW - 12, y0 = 22, y1 = H - 40;
  gk_buf desc = {0};
  gk__course_desc_stage(&desc, r);
  open_svg(b, "ch-course-stage", CW, H,
           "Stage on each evaluated day (0 refer, 1 to 4), visits and changes "
           "of stage", &desc);
  gk_buf_free(&desc);
  gk__chart_scale x = {(double)c->from, (double)c->to, x0 + 6, x1 - 6};
  gk__chart_scale y = {0, 4, y1 - 10, y0};
  for (int s = 0; s <= 4; s++) {
    double yy = px(&y, s);
    line(b, x0, yy, x1, yy, C("grid"), 1, NULL);
    gk__chart_text_at(b, x0 - 4, yy + 4, "end", C("muted"), stage_word(s));
  }
  gk__chart_text_at(b, x0 - 40, y0 - 10, "start", C("muted"), "stage");
  date_axis(b, &x, y1, H - 12, c->from, c->to);
  char lab[16], d[11];
  /* the step line: each day's stage held to the next evaluated day, dashed
     from a provisional day */
  for (size_t i = 0; i < c->n_days; i++) {
    const gk__cday *a = &c->days[i];
    if (a->stage < 0) continue;
    double xa = px(&x, (double)a->day), ya = px(&y, a->stage);
    double xb = i + 1 < c->n_days ? px(&x, (double)c->days[i + 1].day)
                                  : px(&x, (double)c->to);
    if (xb > xa)
      line(b, xa, ya, xb, ya, C("run"), 2.5, a->provisional ? "5 3" : NULL);
    if (i + 1 < c->n_days && c->days[i + 1].stage >= 0 &&
        c->days[i + 1].stage != a->stage)
      line(b, xb, ya, xb, px(&y, c->days[i + 1].stage), C("run"), 1.5, NULL);
  }
  /* visits: a triangle under the axis */
  for (size_t i = 0; i < c->n_days; i++) {
    const gk__cday *a = &c->days[i];
    double xa = px(&x, (double)a->day);
    if (a->visit) {
      gk__bprintf(b,
                  "<path d=\"M%.1f %.1fl5 8h-10z\" fill=\"%s\"><title>",
                  xa, y1 + 3, C("ink"));
      gk__chart_day_short(a->day, lab);
      gk__besc_printf(b, "%s: visit (intake or screen answers)", lab);
      gk_buf_puts(b, "</title></path>");
    }
    if (a->stage < 0) continue;
    /* each day: filled, hollow when provisional, a square when the
       clinician set the stage */
    const char *fill = a->provisional ? "#fff" : C("run");
    if (a->by_clinician)
      gk__bprintf(b,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" "
                  "fill=\"%s\" stroke=\"%s\" stroke-width=\"2\"><title>",
                  xa - 4, px(&y, a->stage) - 4, fill, C("run"));
    else
      gk__bprintf(b,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" "
                  "stroke=\"%s\" stroke-width=\"2\"><title>",
                  xa, px(&y, a->stage), fill, C("run"));
    gk__besc_printf(b, "%s: %s%s%s%s", gk_day_format(a->day, d),
                    a->stage ? "stage " : "", stage_word(a->stage),
                    a->provisional ? ", provisional" : "",
                    a->by_clinician ? ", set by the clinician" : "");
    gk_buf_puts(b, a->by_clinician ? "</title></rect>" : "</title></circle>");
  }
  /* each change: its number over the new stage, with its date and why */
  for (size_t i = 0; i < c->n_changes; i++) {
    const gk__cchange *ch = &c->changes[i];
    double xa = px(&x, (double)ch->day), ya = px(&y, ch->to) - 13;
    if (ch->day < c->from || ch->day > c->to) continue;
    gk__bprintf(b,
                "<g><circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"#fff\" "
                "stroke=\"%s\" stroke-width=\"1.5\"/>",
                xa, ya, C("ref"));
    gk__bprintf(b,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                "fill=\"%s\" font-size=\"11\">%zu</text><title>",
                xa, ya + 4, C("ref"), i + 1);
    gk_buf tb = {0};
    gk__course_change_text(&tb, ch);
    if (tb.data && !tb.oom) gk__report_put_n(b, tb.data, tb.len, gk__html_esc);
    gk_buf_free(&tb);
    gk_buf_puts(b, "</title></g>");
  }
  gk_buf_puts(b, "</svg>");
  return 1;
}

/* ---- AKPS -------------------------------------------------------------------- */

void gk__course_desc_akps(gk_buf *b, const gk__report *r) {
  const gk__rcourse *c = r->crs;
  if (c == NULL || c->n_akps == 0) return;
  char d[16];
  const gk__cakps *a = c->akps, *z = c->akps + c->n_akps - 1;
  gk__chart_day_short(a->day, d);
  gk__bprintf(b, "AKPS (0-100, higher is better) at %zu intake%s: %.0f on %s",
              c->n_akps, c->n_akps == 1 ? "" : "s", a->score, d);
  if (c->n_akps > 1) {
    gk__chart_day_short(z->day, d);
    gk__bprintf(b, ", %.0f on %s (%+.0f)", z->score, d, z->score - a->score);
  }
  gk_buf_puts(b, ".");
  if (isfinite(c->akps_mic)) {
    gk__bprintf(b, " The minimal important change is %.0f points", c->akps_mic);
    if (c->n_akps > 1) {
      double dz = z->score - a->score;
      gk_buf_puts(b, fabs(dz) >= c->akps_mic
                         ? (dz > 0 ? ": the last score is an important "
                                     "improvement on the first"
                                   : ": the last score is an important "
                                     "worsening on the first")
                         : ": the last score is within it of the first");
    }
    gk_buf_puts(b, ".");
  }
}

int gk__svg_course_akps(gk_buf *b, const gk__report *r) {
  const gk__rcourse *c = r->crs;
  if (c == NULL || c->n_akps == 0) return 0;
  const double H = 190, x0 = 44, x1 = CW - 12, y0 = 14, y1 = H - 30;
  gk_buf desc = {0};
  gk__course_desc_akps(&desc, r);
  open_svg(b, "ch-course-akps", CW, H,
           "AKPS (0-100) at each intake, with the minimal important change "
           "around the first score", &desc);
  gk_buf_free(&desc);
  int64_t from = c->from < c->akps[0].day ? c->from : c->akps[0].day;
  gk__chart_scale x = {(double)from, (double)c->to, x0 + 6, x1 - 6};
  gk__chart_scale y = {0, 100, y1, y0};
  double first = c->akps[0].score;
  if (isfinite(c->akps_mic)) {
    double lo = fmax(0, first - c->akps_mic), hi = fmin(100, first + c->akps_mic);
    gk__bprintf(b,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>",
                x0, px(&y, hi), x1 - x0, px(&y, lo) - px(&y, hi), C("band"));
    gk__besc_printf(b, "within %.0f points of the first score (%.0f): no "
                       "important change", c->akps_mic, first);
    gk_buf_puts(b, "</title></rect>");
  }
  hgrid(b, &y, x0, x1, 25, "");
  if (isfinite(c->akps_mic)) {
    double hi = first + c->akps_mic, lo = first - c->akps_mic;
    char lab[64];
    if (hi <= 100) {
      line(b, x0, px(&y, hi), x1, px(&y, hi), C("band-edge"), 1.5, "6 3");
      snprintf(lab, sizeof lab, "first %+.0f", c->akps_mic);
      gk__chart_text_at(b, x1 - 2, px(&y, hi) - 4, "end", C("band-edge"), lab);
    }
    if (lo >= 0) {
      line(b, x0, px(&y, lo), x1, px(&y, lo), C("band-edge"), 1.5, "6 3");
      snprintf(lab, sizeof lab, "first %+.0f", -c->akps_mic);
      gk__chart_text_at(b, x1 - 2, px(&y, lo) + 14, "end", C("band-edge"), lab);
    }
  }
  date_axis(b, &x, y1, H, from, c->to);
  if (c->n_akps > 1) {
    gk__bprintf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"",
                C("run"));
    for (size_t i = 0; i < c->n_akps; i++)
      gk__bprintf(b, "%c%.1f %.1f", i ? 'L' : 'M',
                  px(&x, (double)c->akps[i].day), px(&y, c->akps[i].score));
    gk_buf_puts(b, "\"/>");
  }
  char d[11];
  for (size_t i = 0; i < c->n_akps; i++) {
    gk__bprintf(b,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"><title>",
                px(&x, (double)c->akps[i].day), px(&y, c->akps[i].score),
                C("run"));
    gk__besc_printf(b, "%s: AKPS %.0f", gk_day_format(c->akps[i].day, d),
                    c->akps[i].score);
    gk_buf_puts(b, "</title></circle>");
  }
  gk_buf_puts(b, "</svg>");
  return 1;
}

/* ---- pain --------------------------------------------------------------------- */

double gk__course_pain_limit(const gk__report *r) {
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(r->plan, "pain_rule");
  double v = jnum(pr, "during_max");
  if (isnan(v))
    v = jnum(cJSON_GetObjectItemCaseSensitive(r->running, "pain_limits"),
             "during_max");
  if (isnan(v)) {
    const cJSON *run = gk__data("running.json");
    v = jnum(cJSON_GetObjectItemCaseSensitive(run, "pain_limits"),
             "during_max");
  }
  return v >= 0 && v <= 10 ? v : NAN;
}

typedef struct pain_pt {
  int64_t day;
  int v[3]; /* during, after, next morning; -1 not given */
} pain_pt;

static int by_day(const void *a, const void *b) {
  const pain_pt *x = a, *y = b;
  return (x->day > y->day) - (x->day < y->day);
}

static int valid_score(int v) { return v >= 0 && v <= 10; }

/* The pain log's entries from the course's first day to its last, by day
   (at most GK__COURSE_PAIN, the latest); returns the count. */
static size_t pain_points(const gk__report *r, pain_pt *out) {
  const gk__rcourse *c = r->crs;
  size_t n = 0;
  for (size_t i = 0; i < r->in->n_pain; i++) {
    const gk_pain_entry *e = &r->in->pain[i];
    if (e->day < c->from || e->day > c->to) continue;
    if (!valid_score(e->during) && !valid_score(e->after) &&
        !valid_score(e->morning))
      continue;
    pain_pt p = {e->day,
                 {valid_score(e->during) ? e->during : -1,
                  valid_score(e->after) ? e->after : -1,
                  valid_score(e->morning) ? e->morning : -1}};
    if (n < GK__COURSE_PAIN) {
      out[n++] = p;
      continue;
    }
    size_t oldest = 0; /* full: keep the latest */
    for (size_t k = 1; k < n; k++)
      if (out[k].day < out[oldest].day) oldest = k;
    if (p.day > out[oldest].day) out[oldest] = p;
  }
  qsort(out, n, sizeof *out, by_day);
  return n;
}

static const char *const series_name[3] = {"during", "after",
                                           "the next morning"};
static const char *const series_color[3] = {"pain", "pain-after", "morning"};

/* The mean pain during runs of the first week of the log (the 7 days from
   its first entry with a score during); NaN when none. */
static double first_week_mean(const pain_pt *p, size_t n, int64_t *from) {
  double s = 0;
  size_t k = 0;
  int64_t start = INT64_MIN;
  for (size_t i = 0; i < n; i++) {
    if (p[i].v[0] < 0) continue;
    if (start == INT64_MIN) start = p[i].day;
    if (p[i].day > start + 6) break;
    s += p[i].v[0];
    k++;
  }
  *from = start;
  return k ? s / (double)k : NAN;
}

static void desc_pain_pts(gk_buf *b, const gk__report *r, const pain_pt *p,
                          size_t n) {
  const gk__rcourse *c = r->crs;
  char d1[16], d2[16];
  gk__chart_day_short(p[0].day, d1);
  gk__chart_day_short(p[n - 1].day, d2);
  gk__bprintf(b, "Pain (0-10) in %zu pain log entr%s from %s to %s", n,
              n == 1 ? "y" : "ies", d1, d2);
  for (int s = 0; s < 3; s++) {
    int first = -1, last = -1, max = -1;
    for (size_t i = 0; i < n; i++) {
      int v = p[i].v[s];
      if (v < 0) continue;
      if (first < 0) first = v;
      last = v;
      if (v > max) max = v;
    }
    if (max < 0) continue;
    gk__bprintf(b, "; %s: first %d/10, last %d/10, highest %d/10",
                series_name[s], first, last, max);
  }
  gk_buf_puts(b, ".");
  double lim = gk__course_pain_limit(r);
  if (isfinite(lim)) {
    size_t over = 0;
    for (size_t i = 0; i < n; i++) over += p[i].v[0] > lim;
    gk__bprintf(b, " The pain limit during running is %g/10; %zu entr%s "
                   "over it.", lim, over, over == 1 ? "y" : "ies");
  }
  int64_t wk;
  double mean = first_week_mean(p, n, &wk);
  if (isfinite(mean) && isfinite(c->pain_mic))
    gk__bprintf(b, " The first week's mean pain during is %.1f/10; a change "
                   "of %.2f points or more from it matters.",
                mean, c->pain_mic);
}

void gk__course_desc_pain(gk_buf *b, const gk__report *r) {
  if (r->crs == NULL) return;
  pain_pt *p = malloc(GK__COURSE_PAIN * sizeof *p);
  if (p == NULL) {
    b->oom = 1;
    return;
  }
  size_t n = pain_points(r, p);
  if (n) desc_pain_pts(b, r, p, n);
  free(p);
}

int gk__svg_course_pain(gk_buf *b, const gk__report *r) {
  const gk__rcourse *c = r->crs;
  if (c == NULL) return 0;
  pain_pt *p = malloc(GK__COURSE_PAIN * sizeof *p);
  if (p == NULL) {
    b->oom = 1;
    return 0;
  }
  size_t n = pain_points(r, p);
  if (n == 0) {
    free(p);
    return 0;
  }
  const double H = 210, x0 = 44, x1 = CW - 12, y0 = 14, y1 = H - 30;
  gk_buf desc = {0};
  desc_pain_pts(&desc, r, p, n);
  open_svg(b, "ch-course-pain", CW, H,
           "Pain during, after and the next morning (0-10) from the pain log, "
           "with the pain limit and the minimal important change", &desc);
  gk_buf_free(&desc);
  gk__chart_scale x = {(double)c->from, (double)c->to, x0 + 6, x1 - 6};
  gk__chart_scale y = {0, 10, y1, y0};
  int64_t wk;
  double mean = first_week_mean(p, n, &wk);
  if (isfinite(mean) && isfinite(c->pain_mic)) {
    double lo = fmax(0, mean - c->pain_mic), hi = fmin(10, mean + c->pain_mic);
    gk__bprintf(b,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>",
                x0, px(&y, hi), x1 - x0, px(&y, lo) - px(&y, hi), C("band"));
    gk__besc_printf(b, "the first week's mean pain during (%.1f) plus or "
                       "minus %.2f: no important change", mean, c->pain_mic);
    gk_buf_puts(b, "</title></rect>");
  }
  hgrid(b, &y, x0, x1, 2, "");
  double lim = gk__course_pain_limit(r);
  if (isfinite(lim)) {
    char lab[32];
    line(b, x0, px(&y, lim), x1, px(&y, lim), C("spike"), 2, "6 3");
    snprintf(lab, sizeof lab, "limit %g", lim);
    gk__chart_text_at(b, x1 - 2, px(&y, lim) - 4, "end", C("spike"), lab);
  }
  date_axis(b, &x, y1, H, c->from, c->to);
  char d[11];
  for (int s = 0; s < 3; s++) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
      if (p[i].v[s] < 0) continue;
      if (k++ == 0)
        gk__bprintf(b,
                    "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
                    "d=\"M",
                    C(series_color[s]));
      else
        gk_buf_putc(b, 'L');
      gk__bprintf(b, "%.1f %.1f", px(&x, (double)p[i].day), px(&y, p[i].v[s]));
    }
    if (k) gk_buf_puts(b, "\"/>");
    for (size_t i = 0; i < n; i++) {
      int v = p[i].v[s];
      if (v < 0) continue;
      double cx = px(&x, (double)p[i].day), cy = px(&y, v);
      if (s == 0)
        gk__bprintf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">",
                    cx, cy, C("pain"));
      else if (s == 1)
        gk__bprintf(b,
                    "<path d=\"M%.1f %.1fl4 7h-8z\" fill=\"%s\">", cx, cy - 4,
                    C("pain-after"));
      else
        gk__bprintf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" "
                    "fill=\"#fff\" stroke=\"%s\" stroke-width=\"2\">",
                    cx - 3.5, cy - 3.5, C("morning"));
      gk_buf_puts(b, "<title>");
      gk__besc_printf(b, "%s: pain %s %d/10", gk_day_format(p[i].day, d),
                      series_name[s], v);
      gk_buf_puts(b, s == 0 ? "</title></circle>"
                            : s == 1 ? "</title></path>" : "</title></rect>");
    }
  }
  gk_buf_puts(b, "</svg>");
  free(p);
  return 1;
}

/* ---- the screen's values, one small chart per gate ----------------------------- */

static const char *const screen_gates[] = {
    "knee_to_wall_cm", "single_leg_bridge_reps", "calf_raise_reps",
    "strength_side_difference_pct"};

static double day_value(const gk__cday *d, size_t k) {
  const cJSON *v = d->value ? cJSON_GetArrayItem(d->value, (int)k) : NULL;
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

size_t gk__course_screen_gates(const gk__report *r, size_t *idx, size_t max) {
  const gk__rcourse *c = r->crs;
  size_t n = 0;
  if (c == NULL) return 0;
  for (size_t s = 0; s < sizeof screen_gates / sizeof screen_gates[0]; s++) {
    int k = 0;
    const cJSON *g;
    cJSON_ArrayForEach(g, c->gates) {
      const char *name = jstr(g, "name");
      if (name && strcmp(name, screen_gates[s]) == 0) break;
      k++;
    }
    if (g == NULL) continue;
    size_t have = 0;
    for (size_t i = 0; i < c->n_days; i++)
      if (c->days[i].screened && isfinite(day_value(&c->days[i], (size_t)k)))
        have++;
    if (have && n < max) idx[n++] = (size_t)k;
  }
  return n;
}

static const char *cmp_words(const char *cmp) {
  if (cmp && strcmp(cmp, ">=") == 0) return "at least ";
  if (cmp && strcmp(cmp, "<=") == 0) return "at most ";
  return "";
}

static void gate_label(const cJSON *g, char *out, size_t size) {
  const char *l = jstr(g, "label");
  gk__report_short_label(l ? l : jstr(g, "name") ? jstr(g, "name") : "gate",
                         out, size);
}

void gk__course_desc_gate(gk_buf *b, const gk__report *r, size_t k) {
  const gk__rcourse *c = r->crs;
  if (c == NULL) return;
  const cJSON *g = cJSON_GetArrayItem(c->gates, (int)k);
  if (g == NULL) return;
  char label[256], d[16];
  gate_label(g, label, sizeof label);
  const char *unit = jstr(g, "unit") ? jstr(g, "unit") : "";
  size_t n = 0;
  for (size_t i = 0; i < c->n_days; i++)
    if (c->days[i].screened && isfinite(day_value(&c->days[i], k))) n++;
  gk__bprintf(b, "%s, at %zu screen%s: ", label, n, n == 1 ? "" : "s");
  size_t m = 0;
  for (size_t i = 0; i < c->n_days; i++) {
    double v = day_value(&c->days[i], k);
    if (!c->days[i].screened || !isfinite(v)) continue;
    gk__chart_day_short(c->days[i].day, d);
    gk__bprintf(b, "%s%.3g %s on %s", m++ ? ", " : "", v, unit, d);
  }
  double t = jnum(g, "target");
  if (isfinite(t))
    gk__bprintf(b, "; target %s%.3g %s", cmp_words(jstr(g, "comparison")), t,
                unit);
  gk_buf_puts(b, ".");
}

int gk__svg_course_gate(gk_buf *b, const gk__report *r, size_t k) {
  const gk__rcourse *c = r->crs;
  if (c == NULL) return 0;
  const cJSON *g = cJSON_GetArrayItem(c->gates, (int)k);
  if (g == NULL) return 0;
  double lo = INFINITY, hi = -INFINITY, t = jnum(g, "target");
  for (size_t i = 0; i < c->n_days; i++) {
    double v = day_value(&c->days[i], k);
    if (!c->days[i].screened || !isfinite(v)) continue;
    lo = fmin(lo, v);
    hi = fmax(hi, v);
  }
  if (!isfinite(lo)) return 0;
  if (isfinite(t)) {
    lo = fmin(lo, t);
    hi = fmax(hi, t);
  }
  double pad = fmax((hi - lo) * 0.15, 1);
  lo = lo - pad < 0 && lo >= 0 ? 0 : lo - pad;
  hi += pad;
  const double H = 140, x0 = 40, x1 = SW - 10, y0 = 16, y1 = H - 26;
  char label[256], id[32], lab[64], d[11];
  gate_label(g, label, sizeof label);
  const char *unit = jstr(g, "unit") ? jstr(g, "unit") : "";
  snprintf(id, sizeof id, "ch-course-gate%zu", k);
  gk_buf desc = {0};
  gk__course_desc_gate(&desc, r, k);
  open_svg(b, id, SW, H, label, &desc);
  gk_buf_free(&desc);
  gk__chart_scale x = {(double)c->from, (double)c->to, x0 + 6, x1 - 6};
  double st = gk__chart_nice_step(hi - lo, 3);
  gk__chart_scale y = {floor(lo / st) * st, ceil(hi / st) * st, y1, y0};
  hgrid(b, &y, x0, x1, st, "");
  if (isfinite(t)) {
    line(b, x0, px(&y, t), x1, px(&y, t), C("band-edge"), 2, "6 3");
    snprintf(lab, sizeof lab, "target %s%g %s", cmp_words(jstr(g, "comparison")),
             t, unit);
    gk__chart_text_at(b, x1 - 2, px(&y, t) - 4, "end", C("band-edge"), lab);
  }
  date_axis(b, &x, y1, H, c->from, c->to);
  size_t m = 0;
  for (size_t i = 0; i < c->n_days; i++) {
    double v = day_value(&c->days[i], k);
    if (!c->days[i].screened || !isfinite(v)) continue;
    if (m++ == 0)
      gk__bprintf(b,
                  "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"M",
                  C("run"));
    else
      gk_buf_putc(b, 'L');
    gk__bprintf(b, "%.1f %.1f", px(&x, (double)c->days[i].day), px(&y, v));
  }
  if (m) gk_buf_puts(b, "\"/>");
  for (size_t i = 0; i < c->n_days; i++) {
    double v = day_value(&c->days[i], k);
    if (!c->days[i].screened || !isfinite(v)) continue;
    gk__bprintf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"><title>",
                px(&x, (double)c->days[i].day), px(&y, v), C("run"));
    gk__besc_printf(b, "%s: %.3g %s", gk_day_format(c->days[i].day, d), v,
                    unit);
    gk_buf_puts(b, "</title></circle>");
  }
  gk_buf_puts(b, "</svg>");
  return 1;
}
