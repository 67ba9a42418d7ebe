/*
** svg_chart.c -- the report's charts as inline SVG: weekly distance; daily
** runs with the longest-run-in-30-days line, spikes, rest gaps and pain;
** cadence against speed; cadence and speed over time; gait metrics against
** reference bands.  Each chart is one <svg role="img"> with a <title> and a
** <desc> stating its key numbers, drawn in viewBox units so it scales to the
** page; every colour is from the palette (checked for contrast by
** tests/unit/test_report.c).  Legends are HTML (report_html.c), so they
** wrap on a phone.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_internal.h"

/* ---- palette ---------------------------------------------------------------- */

const gk__report_color gk__report_palette[] = {
    {"ink", "#1b1b1b", "#ffffff", 4.5},       /* body text */
    {"muted", "#595959", "#ffffff", 4.5},     /* axis labels, notes */
    {"muted-on-gap", "#595959", "#ececec", 4.5}, /* label on a rest gap */
    {"ink-on-panel", "#1b1b1b", "#f4f6f8", 4.5}, /* text in boxes */
    {"week", "#3b6ea5", "#ffffff", 3.0},      /* weekly bars */
    {"run", "#2f5d8a", "#ffffff", 3.0},       /* daily run bars, cadence */
    {"spike", "#b42318", "#ffffff", 3.0},     /* spikes */
    {"ref", "#6b3fa0", "#ffffff", 3.0},       /* longest-in-30-days, fit */
    {"pain", "#c24e00", "#ffffff", 3.0},      /* pain during */
    {"morning", "#7a4a00", "#ffffff", 3.0},   /* pain next morning */
    {"pain-after", "#5e35b1", "#ffffff", 3.0}, /* pain after (course) */
    {"band-edge", "#2e7d32", "#ffffff", 3.0}, /* reference band edge */
    {"left", "#1f5fa8", "#ffffff", 3.0},      /* left side */
    {"right", "#b34700", "#ffffff", 3.0},     /* right side, speed */
    {"left-on-band", "#1f5fa8", "#dbeedd", 3.0},
    {"right-on-band", "#b34700", "#dbeedd", 3.0},
    {"refer", "#b42318", "#fdecea", 4.5},     /* red-flag box text */
    {"ink-on-refer", "#1b1b1b", "#fdecea", 4.5},
    {"warning", "#8a4b00", "#fff4e5", 4.5},
    {"caution", "#6b5900", "#fffbe6", 4.5},
    {"info", "#2f4f6f", "#eef3f8", 4.5},
    {"figure-left", "#1f5fbf", "#ffffff", 3.0},  /* stick figures */
    {"figure-right", "#b35900", "#ffffff", 3.0},
    {"figure-ink", "#1a1a1a", "#ffffff", 3.0},
    {"gap", "#ececec", "#ffffff", 1.0},       /* decorative fills */
    {"band", "#dbeedd", "#ffffff", 1.0},
    {"grid", "#d0d0d0", "#ffffff", 1.0},
    {"panel", "#f4f6f8", "#ffffff", 1.0},
    {"refer-bg", "#fdecea", "#ffffff", 1.0},
    {"warning-bg", "#fff4e5", "#ffffff", 1.0},
    {"caution-bg", "#fffbe6", "#ffffff", 1.0},
    {"info-bg", "#eef3f8", "#ffffff", 1.0},
};
const size_t gk__report_palette_n =
    sizeof gk__report_palette / sizeof gk__report_palette[0];

const char *gk__report_color_hex(const char *name) {
  for (size_t i = 0; i < gk__report_palette_n; i++)
    if (strcmp(gk__report_palette[i].name, name) == 0)
      return gk__report_palette[i].hex;
  return "#000000";
}

#define C(name) gk__report_color_hex(name)

/* ---- geometry --------------------------------------------------------------- */

#define W 480.0


static double px(const gk__chart_scale *s, double v) {
  if (!(s->hi > s->lo)) return s->p0;
  return s->p0 + (v - s->lo) * (s->p1 - s->p0) / (s->hi - s->lo);
}

/* A "nice" tick step for a range split into about n parts. */
double gk__chart_nice_step(double range, int n) {
  if (!(range > 0) || !isfinite(range)) return 1;
  double raw = range / n, mag = pow(10, floor(log10(raw))), f = raw / mag;
  double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nf * mag;
}

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "14 Jul" */
void gk__chart_day_short(int64_t day, char out[16]) {
  char d[11];
  gk_day_format(day, d);
  int m = (d[5] - '0') * 10 + (d[6] - '0');
  if (m < 1 || m > 12) m = 1;
  snprintf(out, 16, "%d %s", (d[8] - '0') * 10 + (d[9] - '0'), month_names[m - 1]);
}

static void svg_open(gk_buf *b, const char *id, double h, const char *title,
                     void (*desc)(gk_buf *, const gk__report *),
                     const gk__report *r, gk_buf *descbuf) {
  gk__bprintf(b,
              "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
              "aria-labelledby=\"%s-t %s-d\">"
              "<title id=\"%s-t\">",
              W, h, id, id, id);
  gk__html_esc(b, title);
  gk__bprintf(b, "</title><desc id=\"%s-d\">", id);
  if (desc) {
    desc(descbuf, r);
    gk_buf_putc(descbuf, '\0');
    if (!descbuf->oom) gk__html_esc(b, descbuf->data);
  }
  gk_buf_puts(b, "</desc>");
}

void gk__chart_text_at(gk_buf *b, double x, double y, const char *anchor,
                       const char *color, const char *s) {
  gk__bprintf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">",
              x, y, anchor, color);
  gk__html_esc(b, s);
  gk_buf_puts(b, "</text>");
}

static void hgrid(gk_buf *b, const gk__chart_scale *y, double x0, double x1,
                  const char *unit, int right_axis, const gk__chart_scale *y2,
                  const char *unit2) {
  double step = gk__chart_nice_step(y->hi - y->lo, 4);
  char lab[48];
  for (double v = ceil(y->lo / step) * step; v <= y->hi + 1e-9; v += step) {
    double yy = px(y, v);
    gk__bprintf(b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"1\"/>",
                x0, yy, x1, yy, C("grid"));
    snprintf(lab, sizeof lab, "%g%s", v, unit);
    gk__chart_text_at(b, x0 - 4, yy + 4, "end", C("muted"), lab);
  }
  if (right_axis && y2) {
    double s2 = gk__chart_nice_step(y2->hi - y2->lo, 2);
    for (double v = ceil(y2->lo / s2) * s2; v <= y2->hi + 1e-9; v += s2) {
      snprintf(lab, sizeof lab, "%g%s", v, unit2);
      gk__chart_text_at(b, x1 + 4, px(y2, v) + 4, "start", C("muted"), lab);
    }
  }
}

/* ---- weekly distance --------------------------------------------------------- */

void gk__chart_desc_weekly(gk_buf *b, const gk__report *r) {
  const gk_load_report *l = r->load;
  size_t n = l->n_weekly - r->week_from;
  char d1[16], d2[16];
  if (n == 0) {
    gk_buf_puts(b, "No runs yet, so no weekly distance.");
    return;
  }
  const gk_load_week *w = l->weekly + r->week_from;
  size_t imax = 0;
  for (size_t i = 0; i < n; i++)
    if (w[i].distance_m > w[imax].distance_m) imax = i;
  gk__chart_day_short(w[0].week_start, d1);
  gk__chart_day_short(w[n - 1].week_start, d2);
  gk__bprintf(b, "Weekly distance, %zu weeks from the week of %s to the week "
                 "of %s. ", n, d1, d2);
  gk__chart_day_short(w[imax].week_start, d1);
  gk__bprintf(b, "Highest: %.1f km (week of %s). ", w[imax].distance_m / 1000,
              d1);
  if (n >= 2)
    gk__bprintf(b, "Last full week: %.1f km in %d runs. ",
                w[n - 2].distance_m / 1000, w[n - 2].runs);
  gk__bprintf(b, "This week so far: %.1f km in %d runs.",
              w[n - 1].distance_m / 1000, w[n - 1].runs);
}

void gk__svg_weekly(gk_buf *b, const gk__report *r) {
  const gk_load_report *l = r->load;
  size_t n = l->n_weekly - r->week_from;
  const gk_load_week *w = n ? l->weekly + r->week_from : NULL;
  const double H = 220, x0 = 52, x1 = W - 12, y0 = 16, y1 = H - 30;
  gk_buf desc = {0};
  svg_open(b, "ch-weekly", H, "Weekly distance (km)", gk__chart_desc_weekly, r,
           &desc);
  gk_buf_free(&desc);
  double max = 10;
  for (size_t i = 0; i < n; i++)
    if (w[i].distance_m / 1000 > max) max = w[i].distance_m / 1000;
  gk__chart_scale y = {0, ceil(max / gk__chart_nice_step(max, 4)) * gk__chart_nice_step(max, 4), y1, y0};
  hgrid(b, &y, x0, x1, " km", 0, NULL, NULL);
  double slot = n ? (x1 - x0) / (double)n : 1, bw = slot * 0.72;
  size_t every = n > 6 ? (n + 5) / 6 : 1;
  char lab[16];
  for (size_t i = 0; i < n; i++) {
    double v = w[i].distance_m / 1000, x = x0 + slot * (double)i + (slot - bw) / 2;
    double top = px(&y, v);
    if (v > 0)
      gk__bprintf(b,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                  "fill=\"%s\"><title>",
                  x, top, bw, y1 - top, C("week"));
    if (v > 0) {
      gk__chart_day_short(w[i].week_start, lab);
      gk__besc_printf(b, "week of %s: %.1f km, %d runs%s", lab, v, w[i].runs,
                      i + 1 == n ? " (this week so far)" : "");
      gk_buf_puts(b, "</title></rect>");
    }
    if (i % every == 0 || i + 1 == n) {
      gk__chart_day_short(w[i].week_start, lab);
      gk__chart_text_at(b, x + bw / 2, H - 12, "middle", C("muted"), lab);
    }
  }
  gk__bprintf(b,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"%s\"/>",
              x0, y1, x1, y1, C("muted"));
  gk_buf_puts(b, "</svg>");
}

/* ---- daily runs, longest in 30 days, spikes, gaps, pain ---------------------- */

void gk__chart_desc_daily(gk_buf *b, const gk__report *r) {
  size_t runs = 0;
  double total = 0, best_ratio = NAN;
  int64_t best_day = INT64_MIN, pd_day = INT64_MIN, pm_day = INT64_MIN;
  int pd_max = -1, pm_max = -1, pd_last = -1, pm_last = -1;
  char d1[16], d2[16];
  for (size_t i = 0; i < r->n_days; i++) {
    const gk__rday *d = &r->days[i];
    if (d->distance_m > 0) {
      runs++;
      total += d->distance_m;
    }
    if (!isnan(d->spike_ratio) && (isnan(best_ratio) || d->spike_ratio > best_ratio)) {
      best_ratio = d->spike_ratio;
      best_day = d->day;
    }
    if (d->pain_during >= 0) {
      if (d->pain_during > pd_max) pd_max = d->pain_during;
      pd_last = d->pain_during;
      pd_day = d->day;
    }
    if (d->pain_morning >= 0) {
      if (d->pain_morning > pm_max) pm_max = d->pain_morning;
      pm_last = d->pain_morning;
      pm_day = d->day;
    }
  }
  gk__chart_day_short(r->days[0].day, d1);
  gk__chart_day_short(r->days[r->n_days - 1].day, d2);
  gk__bprintf(b, "Daily running from %s to %s: %zu days with runs, %.1f km in "
                 "all. ", d1, d2, runs, total / 1000);
  double l30 = r->load->longest_run_30d_m;
  if (isfinite(l30))
    gk__bprintf(b, "Longest run in the 30 days before today: %.1f km. ",
                l30 / 1000);
  else
    gk_buf_puts(b, "No run in the 30 days before today. ");
  if (r->n_spikes) {
    gk__chart_day_short(best_day, d1);
    gk__bprintf(b, "%zu days with a spike (a run more than 10%% longer than "
                   "the longest of the 30 days before); the largest %.2f "
                   "times, on %s. ", r->n_spikes, best_ratio, d1);
  } else {
    gk_buf_puts(b, "No spikes. ");
  }
  if (r->n_gap_days)
    gk__bprintf(b, "%zu days inside rest gaps of more than 7 days. ",
                r->n_gap_days);
  if (pd_max >= 0) {
    gk__chart_day_short(pd_day, d1);
    gk__bprintf(b, "Pain during runs up to %d/10, the latest %d/10 on %s. ",
                pd_max, pd_last, d1);
  }
  if (pm_max >= 0) {
    gk__chart_day_short(pm_day, d1);
    gk__bprintf(b, "Next-morning pain up to %d/10, the latest %d/10 on %s.",
                pm_max, pm_last, d1);
  }
  if (pd_max < 0 && pm_max < 0) gk_buf_puts(b, "No pain logged.");
}

void gk__svg_daily(gk_buf *b, const gk__report *r) {
  const double H = 250, x0 = 52, x1 = W - 40, y0 = 16, y1 = H - 30;
  gk_buf desc = {0};
  svg_open(b, "ch-daily", H,
           "Daily runs (km), the longest run in the 30 days before, spikes, "
           "rest gaps and pain (0-10)",
           gk__chart_desc_daily, r, &desc);
  gk_buf_free(&desc);
  double max = 5;
  for (size_t i = 0; i < r->n_days; i++) {
    if (r->days[i].longest_m / 1000 > max) max = r->days[i].longest_m / 1000;
    if (r->days[i].distance_m / 1000 > max) max = r->days[i].distance_m / 1000;
    if (isfinite(r->days[i].longest30_m) && r->days[i].longest30_m * 1.1 / 1000 > max)
      max = r->days[i].longest30_m * 1.1 / 1000;
  }
  double st = gk__chart_nice_step(max, 4);
  gk__chart_scale y = {0, ceil(max / st) * st, y1, y0};
  gk__chart_scale yp = {0, 10, y1, y0};
  double slot = (x1 - x0) / (double)r->n_days, bw = slot * 0.8;
  /* rest gaps, under everything */
  for (size_t i = 0; i < r->n_days;) {
    if (!r->days[i].rest_gap) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < r->n_days && r->days[j].rest_gap) j++;
    double gx = x0 + slot * (double)i, gw = slot * (double)(j - i);
    gk__bprintf(b,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>rest gap: %zu days</title></rect>",
                gx, y0, gw, y1 - y0, C("gap"), j - i);
    if (gw > 30) gk__chart_text_at(b, gx + gw / 2, y0 + 12, "middle", C("muted"), "rest");
    i = j;
  }
  hgrid(b, &y, x0, x1, " km", 1, &yp, "");
  char lab[16];
  /* runs */
  for (size_t i = 0; i < r->n_days; i++) {
    const gk__rday *d = &r->days[i];
    if (!(d->distance_m > 0)) continue;
    double x = x0 + slot * (double)i + (slot - bw) / 2, top = px(&y, d->distance_m / 1000);
    int spike = !isnan(d->spike_ratio);
    gk__chart_day_short(d->day, lab);
    gk__bprintf(b,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>",
                x, top, bw, y1 - top, C(spike ? "spike" : "run"));
    gk__besc_printf(b, "%s: %.1f km", lab, d->distance_m / 1000);
    if (spike) gk__besc_printf(b, ", spike: %.2f times the longest of the 30 days before", d->spike_ratio);
    gk_buf_puts(b, "</title></rect>");
    if (spike)
      gk__bprintf(b,
                  "<path d=\"M%.1f %.1fl4 -7h-8z\" fill=\"%s\"/>",
                  x + bw / 2, top - 2, C("spike"));
  }
  /* the longest run in the 30 days before each day: a step line */
  int open = 0;
  for (size_t i = 0; i < r->n_days; i++) {
    double v = r->days[i].longest30_m;
    if (!isfinite(v)) {
      if (open) gk_buf_puts(b, "\"/>");
      open = 0;
      continue;
    }
    double xa = x0 + slot * (double)i, yy = px(&y, v / 1000);
    if (!open) {
      gk__bprintf(b,
                  "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                  "stroke-dasharray=\"5 3\" d=\"M%.1f %.1f",
                  C("ref"), xa, yy);
      open = 1;
    } else {
      gk__bprintf(b, "V%.1f", yy);
    }
    gk__bprintf(b, "H%.1f", xa + slot);
  }
  if (open) gk_buf_puts(b, "\"/>");
  /* pain: during (circles), next morning (squares), on the right axis */
  for (size_t i = 0; i < r->n_days; i++) {
    const gk__rday *d = &r->days[i];
    double cx = x0 + slot * ((double)i + 0.5);
    gk__chart_day_short(d->day, lab);
    if (d->pain_during >= 0) {
      gk__bprintf(b,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>",
                  cx, px(&yp, d->pain_during), C("pain"));
      gk__besc_printf(b, "%s: pain during %d/10", lab, d->pain_during);
      gk_buf_puts(b, "</title></circle>");
    }
    if (d->pain_morning >= 0) {
      gk__bprintf(b,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" "
                  "fill=\"none\" stroke=\"%s\" stroke-width=\"2\"><title>",
                  cx - 3.5, px(&yp, d->pain_morning) - 3.5, C("morning"));
      gk__besc_printf(b, "%s: next-morning pain %d/10", lab, d->pain_morning);
      gk_buf_puts(b, "</title></rect>");
    }
  }
  /* x labels: every 4 weeks, and today */
  for (size_t i = 0; i < r->n_days; i += 28) {
    gk__chart_day_short(r->days[i].day, lab);
    gk__chart_text_at(b, x0 + slot * ((double)i + 0.5), H - 12, "middle", C("muted"), lab);
  }
  gk__chart_day_short(r->days[r->n_days - 1].day, lab);
  gk__chart_text_at(b, x1, H - 12, "end", C("ink"), lab);
  gk__chart_text_at(b, x1 + 4, y0 - 4, "start", C("muted"), "pain");
  gk__bprintf(b,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"%s\"/>",
              x0, y1, x1, y1, C("muted"));
  gk_buf_puts(b, "</svg>");
}

/* ---- cadence ----------------------------------------------------------------- */

void gk__chart_desc_cadence(gk_buf *b, const gk__report *r) {
  const gk_cadence_fit *c = &r->load->cadence;
  char d1[16];
  if (c->n == 0) {
    gk_buf_puts(b, "No run of the last 90 days has both a cadence and a "
                   "speed.");
    return;
  }
  gk__chart_day_short(c->window_from, d1);
  gk__bprintf(b, "%zu runs since %s, average cadence %.0f steps/min", c->n, d1,
              c->mean_cadence_spm);
  if (isfinite(c->cadence_at_ref_spm) && c->ref_speed_mps > 0)
    gk__bprintf(b, "; the fitted line gives %.0f steps/min at %.1f m/s%s and "
                   "rises %.1f steps/min per m/s (r2 %.2f)",
                c->cadence_at_ref_spm, c->ref_speed_mps,
                c->ref_extrapolated ? " (extrapolated)" : "",
                c->slope_spm_per_mps, c->r2);
  if (isfinite(r->cadence_target_spm))
    gk__bprintf(b, "; the plan's target is %.0f steps/min",
                r->cadence_target_spm);
  gk_buf_puts(b, ".");
}

void gk__svg_cadence_speed(gk_buf *b, const gk__report *r) {
  const gk_load_report *l = r->load;
  const gk_cadence_fit *c = &l->cadence;
  const double H = 250, x0 = 52, x1 = W - 16, y0 = 16, y1 = H - 36;
  gk_buf desc = {0};
  svg_open(b, "ch-cadence", H, "Cadence (steps/min) against speed (m/s)",
           gk__chart_desc_cadence, r, &desc);
  gk_buf_free(&desc);
  double smin = INFINITY, smax = -INFINITY, cmin = INFINITY, cmax = -INFINITY;
  for (size_t i = 0; i < l->n_cadence_points; i++) {
    const gk_cadence_point *p = &l->cadence_points[i];
    if (!isfinite(p->speed_mps) || !isfinite(p->cadence_spm)) continue;
    smin = fmin(smin, p->speed_mps);
    smax = fmax(smax, p->speed_mps);
    cmin = fmin(cmin, p->cadence_spm);
    cmax = fmax(cmax, p->cadence_spm);
  }
  if (!isfinite(smin)) {
    smin = 2.5;
    smax = 3.5;
    cmin = 150;
    cmax = 180;
  }
  if (isfinite(r->cadence_target_spm)) {
    cmin = fmin(cmin, r->cadence_target_spm);
    cmax = fmax(cmax, r->cadence_target_spm);
  }
  gk__chart_scale x = {floor((smin - 0.15) * 10) / 10, ceil((smax + 0.15) * 10) / 10, x0, x1};
  gk__chart_scale y = {floor((cmin - 4) / 5) * 5, ceil((cmax + 4) / 5) * 5, y1, y0};
  hgrid(b, &y, x0, x1, "", 0, NULL, NULL);
  char lab[48];
  double xs = gk__chart_nice_step(x.hi - x.lo, 4);
  for (double v = ceil(x.lo / xs) * xs; v <= x.hi + 1e-9; v += xs) {
    snprintf(lab, sizeof lab, "%.1f", v);
    gk__chart_text_at(b, px(&x, v), H - 20, "middle", C("muted"), lab);
  }
  gk__chart_text_at(b, (x0 + x1) / 2, H - 4, "middle", C("muted"), "speed, m/s");
  gk__chart_text_at(b, x0, y0 - 4, "start", C("muted"), "steps/min");
  if (c->ref_speed_mps > 0 && c->ref_speed_mps >= x.lo &&
      c->ref_speed_mps <= x.hi)
    gk__bprintf(b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-dasharray=\"2 3\"/>",
                px(&x, c->ref_speed_mps), y0, px(&x, c->ref_speed_mps), y1,
                C("muted"));
  if (isfinite(r->cadence_target_spm)) {
    double yy = px(&y, r->cadence_target_spm);
    gk__bprintf(b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
                x0, yy, x1, yy, C("band-edge"));
    snprintf(lab, sizeof lab, "target %.0f", r->cadence_target_spm);
    gk__chart_text_at(b, x1 - 2, yy - 4, "end", C("band-edge"), lab);
  }
  for (size_t i = 0; i < l->n_cadence_points; i++) {
    const gk_cadence_point *p = &l->cadence_points[i];
    if (!isfinite(p->speed_mps) || !isfinite(p->cadence_spm)) continue;
    int recent = gk_day_of_time(p->start_time) > r->today - 30;
    gk__bprintf(b,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" "
                "stroke=\"%s\" stroke-width=\"1.5\"><title>",
                px(&x, p->speed_mps), px(&y, p->cadence_spm),
                recent ? C("run") : "none", C("run"));
    char d[16];
    gk__chart_day_short(gk_day_of_time(p->start_time), d);
    gk__besc_printf(b, "%s: %.0f steps/min at %.2f m/s", d, p->cadence_spm,
                    p->speed_mps);
    gk_buf_puts(b, "</title></circle>");
  }
  if (isfinite(c->slope_spm_per_mps) && isfinite(c->intercept_spm)) {
    double a = x.lo, z = x.hi;
    gk__bprintf(b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"2\"/>",
                px(&x, a), px(&y, c->intercept_spm + c->slope_spm_per_mps * a),
                px(&x, z), px(&y, c->intercept_spm + c->slope_spm_per_mps * z),
                C("ref"));
  }
  gk_buf_puts(b, "</svg>");
}

static void desc_cadence_time(gk_buf *b, const gk__report *r) {
  const gk_report_input *in = r->in;
  size_t n = 0;
  double cs = 0, ss = 0;
  for (size_t i = 0; i < in->n_runs; i++) {
    const gk_load_run *p = &in->runs[i];
    int64_t d = gk_day_of_time(p->start_time);
    if (d > r->today || d <= r->today - 182) continue;
    if (!isfinite(p->avg_cadence_spm) || !isfinite(p->avg_speed_mps)) continue;
    n++;
    cs += p->avg_cadence_spm;
    ss += p->avg_speed_mps;
  }
  if (n == 0) {
    gk_buf_puts(b, "No run of the last 26 weeks has both a cadence and a "
                   "speed.");
    return;
  }
  gk__bprintf(b, "Cadence and speed of %zu runs over the last 26 weeks: "
                 "average %.0f steps/min at %.2f m/s.",
              n, cs / (double)n, ss / (double)n);
}

void gk__svg_cadence_time(gk_buf *b, const gk__report *r) {
  const gk_report_input *in = r->in;
  const double H = 230, x0 = 52, x1 = W - 44, y0 = 16, y1 = H - 30;
  const int64_t from = r->today - 181;
  gk_buf desc = {0};
  svg_open(b, "ch-cadence-time", H,
           "Cadence (steps/min) and speed (m/s) of each run over time",
           desc_cadence_time, r, &desc);
  gk_buf_free(&desc);
  double cmin = INFINITY, cmax = -INFINITY, smin = INFINITY, smax = -INFINITY;
  for (size_t i = 0; i < in->n_runs; i++) {
    const gk_load_run *p = &in->runs[i];
    int64_t d = gk_day_of_time(p->start_time);
    if (d > r->today || d < from) continue;
    if (!isfinite(p->avg_cadence_spm) || !isfinite(p->avg_speed_mps)) continue;
    cmin = fmin(cmin, p->avg_cadence_spm);
    cmax = fmax(cmax, p->avg_cadence_spm);
    smin = fmin(smin, p->avg_speed_mps);
    smax = fmax(smax, p->avg_speed_mps);
  }
  if (!isfinite(cmin)) {
    cmin = 150, cmax = 180, smin = 2.5, smax = 3.5;
  }
  gk__chart_scale x = {(double)from, (double)r->today + 1, x0, x1};
  gk__chart_scale y = {floor((cmin - 4) / 5) * 5, ceil((cmax + 4) / 5) * 5, y1, y0};
  gk__chart_scale ys = {floor((smin - 0.2) * 2) / 2, ceil((smax + 0.2) * 2) / 2, y1, y0};
  hgrid(b, &y, x0, x1, "", 1, &ys, "");
  gk__chart_text_at(b, x0, y0 - 4, "start", C("muted"), "steps/min");
  gk__chart_text_at(b, x1 + 4, y0 - 4, "start", C("muted"), "m/s");
  char lab[16];
  for (int64_t d = from; d <= r->today; d += 42) {
    gk__chart_day_short(d, lab);
    gk__chart_text_at(b, px(&x, (double)d + 0.5), H - 12, "middle", C("muted"), lab);
  }
  for (size_t i = 0; i < in->n_runs; i++) {
    const gk_load_run *p = &in->runs[i];
    int64_t d = gk_day_of_time(p->start_time);
    if (d > r->today || d < from) continue;
    if (!isfinite(p->avg_cadence_spm) || !isfinite(p->avg_speed_mps)) continue;
    double cx = px(&x, (double)d + 0.5);
    gk__chart_day_short(d, lab);
    gk__bprintf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                cx, px(&y, p->avg_cadence_spm), C("run"));
    gk__besc_printf(b, "%s: %.0f steps/min", lab, p->avg_cadence_spm);
    gk_buf_puts(b, "</title></circle>");
    double sy = px(&ys, p->avg_speed_mps);
    gk__bprintf(b,
                "<path d=\"M%.1f %.1fl3.5 6h-7z\" fill=\"none\" stroke=\"%s\" "
                "stroke-width=\"1.5\"><title>",
                cx, sy - 3.5, C("right"));
    gk__besc_printf(b, "%s: %.2f m/s", lab, p->avg_speed_mps);
    gk_buf_puts(b, "</title></path>");
  }
  if (isfinite(r->cadence_target_spm) && r->cadence_target_spm >= y.lo &&
      r->cadence_target_spm <= y.hi) {
    double yy = px(&y, r->cadence_target_spm);
    gk__bprintf(b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>",
                x0, yy, x1, yy, C("band-edge"));
  }
  gk__bprintf(b,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"%s\"/>",
              x0, y1, x1, y1, C("muted"));
  gk_buf_puts(b, "</svg>");
}

/* ---- gait metrics against reference bands ------------------------------------ */

static int metric_drawable(const gk__rmetric *m) {
  if (m->refused) return 0;
  if (m->per_side) return isfinite(m->left) || isfinite(m->right);
  return isfinite(m->value);
}

static void desc_gait(gk_buf *b, const gk__report *r) {
  size_t shown = 0;
  for (size_t i = 0; i < r->n_metrics; i++) {
    const gk__rmetric *m = &r->metrics[i];
    if (!metric_drawable(m)) continue;
    if (shown++) gk_buf_puts(b, "; ");
    gk__bprintf(b, "%s", m->label);
    if (m->per_side)
      gk__bprintf(b, ": left %.1f, right %.1f %s", m->left, m->right,
                  m->unit ? m->unit : "");
    else
      gk__bprintf(b, ": %.1f %s", m->value, m->unit ? m->unit : "");
    if (isfinite(m->band_low)) {
      if (m->band_low == m->band_high)
        gk__bprintf(b, " (reference %.0f)", m->band_low);
      else
        gk__bprintf(b, " (reference %g to %g)", m->band_low, m->band_high);
    }
  }
  if (shown == 0) gk_buf_puts(b, "No gait metric to draw.");
  else gk_buf_puts(b, ".");
}

void gk__svg_gait_bands(gk_buf *b, const gk__report *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->n_metrics; i++) n += metric_drawable(&r->metrics[i]);
  const double row = 64, x0 = 16, x1 = W - 16, H = 12 + row * (double)n;
  gk_buf desc = {0};
  svg_open(b, "ch-gait", H,
           "Gait metrics per side against reference bands (L left, R right)",
           desc_gait, r, &desc);
  gk_buf_free(&desc);
  double yy = 8;
  char lab[96];
  for (size_t i = 0; i < r->n_metrics; i++) {
    const gk__rmetric *m = &r->metrics[i];
    if (!metric_drawable(m)) continue;
    double lo = INFINITY, hi = -INFINITY;
    const double vals[4] = {m->per_side ? m->left : m->value,
                            m->per_side ? m->right : NAN, m->band_low,
                            m->band_high};
    for (int k = 0; k < 4; k++)
      if (isfinite(vals[k])) {
        lo = fmin(lo, vals[k]);
        hi = fmax(hi, vals[k]);
      }
    double pad = fmax((hi - lo) * 0.15, fmax(fabs(hi) * 0.05, 1));
    gk__chart_scale x = {lo - pad, hi + pad, x0 + 8, x1 - 8};
    const char *unit = m->unit ? m->unit : "";
    if (m->per_side)
      snprintf(lab, sizeof lab, "L %.1f  R %.1f %s", m->left, m->right, unit);
    else
      snprintf(lab, sizeof lab, "%.1f %s", m->value, unit);
    gk__bprintf(b, "<g font-size=\"15\">");
    gk__chart_text_at(b, x0, yy + 14, "start", C("ink"), m->label);
    gk__chart_text_at(b, x0, yy + 32, "start", C("muted"), lab);
    gk_buf_puts(b, "</g>");
    double ly = yy + 46;
    gk__bprintf(b,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\"/>",
                x.p0, ly, x.p1, ly, C("grid"));
    if (isfinite(m->band_low)) {
      double bx0 = px(&x, m->band_low), bx1 = px(&x, m->band_high);
      if (bx1 - bx0 < 2) {
        bx0 -= 1;
        bx1 += 1;
      }
      gk__bprintf(b,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
                  "fill=\"%s\" stroke=\"%s\"><title>",
                  bx0, ly - 7, bx1 - bx0, C("band"), C("band-edge"));
      if (m->band_low == m->band_high)
        gk__besc_printf(b, "reference %.0f %s at this speed", m->band_low, unit);
      else
        gk__besc_printf(b, "reference band %g to %g %s", m->band_low,
                        m->band_high, unit);
      gk_buf_puts(b, "</title></rect>");
    }
    if (m->per_side) {
      if (isfinite(m->left)) {
        gk__bprintf(b,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "fill=\"%s\" font-size=\"10\">L</text>",
                    px(&x, m->left), ly, C("left"), px(&x, m->left), ly - 9,
                    C("left"));
      }
      if (isfinite(m->right)) {
        gk__bprintf(b,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" "
                    "fill=\"%s\"/>"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "fill=\"%s\" font-size=\"10\">R</text>",
                    px(&x, m->right) - 5.5, ly - 5.5, C("right"),
                    px(&x, m->right), ly + 17, C("right"));
      }
    } else {
      gk__bprintf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"/>",
                  px(&x, m->value), ly, C("ink"));
    }
    yy += row;
  }
  gk_buf_puts(b, "</svg>");
}
