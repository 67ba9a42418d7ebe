/*
** report_json.c -- the report's data as one JSON object (`gaitkeeper report
** --json`): what the HTML page shows, as numbers; the keys are listed in
** docs/REPORT.md.  NaN is null; the plan's parts are passed through as the
** plan gave them.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_internal.h"

static void num(gk_buf *b, const char *k, double v, int comma) {
  gk_json_key(b, k);
  gk_json_num(b, v);
  if (comma) gk_buf_putc(b, ',');
}

static void raw_json(gk_buf *b, const cJSON *v) {
  char *t = v ? cJSON_PrintUnformatted(v) : NULL;
  if (t) gk_buf_puts(b, t);
  else gk_buf_puts(b, "null");
  cJSON_free(t);
}

static void chart(gk_buf *b, const char *id, const char *title,
                  void (*desc)(gk_buf *, const gk__report *),
                  const gk__report *r, int comma) {
  gk_buf d = {0};
  desc(&d, r);
  gk_buf_putc(&d, '\0');
  gk_buf_putc(b, '{');
  gk_json_key(b, "id");
  gk_json_str(b, id);
  gk_buf_putc(b, ',');
  gk_json_key(b, "title");
  gk_json_str(b, title);
  gk_buf_putc(b, ',');
  gk_json_key(b, "desc");
  gk_json_str_or_null(b, d.oom ? NULL : d.data);
  gk_buf_putc(b, '}');
  if (comma) gk_buf_putc(b, ',');
  gk_buf_free(&d);
}

/* ,{"id","title","desc"} of a course chart whose description d is not
   empty (the chart is drawn). */
static void course_chart(gk_buf *b, const char *id, const char *title,
                         gk_buf *d) {
  if (d->len == 0 || d->oom) return;
  gk_buf_putc(d, '\0');
  gk_buf_puts(b, ",{");
  gk_json_key(b, "id");
  gk_json_str(b, id);
  gk_buf_putc(b, ',');
  gk_json_key(b, "title");
  gk_json_str(b, title);
  gk_buf_putc(b, ',');
  gk_json_key(b, "desc");
  gk_json_str_or_null(b, d->oom ? NULL : d->data);
  gk_buf_putc(b, '}');
}

/* The course's charts (report_html.c draws them), after the others. */
static void course_charts(gk_buf *b, const gk__report *r) {
  if (r->crs == NULL || r->crs->n_days == 0) return;
  gk_buf d = {0};
  gk__course_desc_stage(&d, r);
  course_chart(b, "ch-course-stage", "Stage over time", &d);
  d.len = 0;
  gk__course_desc_akps(&d, r);
  course_chart(b, "ch-course-akps", "AKPS over time", &d);
  d.len = 0;
  gk__course_desc_pain(&d, r);
  course_chart(b, "ch-course-pain", "Pain over time", &d);
  size_t idx[8], n = gk__course_screen_gates(r, idx, 8);
  for (size_t i = 0; i < n; i++) {
    const cJSON *g = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(r->course, "gates"), (int)idx[i]);
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(g, "label");
    char id[32], label[256];
    snprintf(id, sizeof id, "ch-course-gate%zu", idx[i]);
    gk__report_short_label(cJSON_IsString(l) ? l->valuestring : "", label,
                           sizeof label);
    d.len = 0;
    gk__course_desc_gate(&d, r, idx[i]);
    course_chart(b, id, label, &d);
  }
  if (d.oom) b->oom = 1;
  gk_buf_free(&d);
}

gk_status gk_report_json(const gk_report_input *in, gk_buf *out, gk_err *err) {
  if (out == NULL) return GK_E_ARG;
  gk__report r;
  gk_status st = gk__report_build(&r, in);
  if (st != GK_OK) {
    if (err) {
      err->code = st;
      err->msg = st == GK_E_ARG ? "report: invalid input" : "report: out of memory";
    }
    gk__report_free(&r);
    return st;
  }
  gk_buf *b = out;
  const gk_load_report *l = r.load;
  gk_buf_putc(b, '{');
  gk_json_key(b, "date");
  gk_json_day(b, r.today);
  gk_buf_putc(b, ',');
  gk_json_key(b, "refer");
  gk_buf_puts(b, r.refer ? "true," : "false,");

  gk_json_key(b, "plan");
  gk_buf_putc(b, '{');
  gk_json_key(b, "available");
  gk_buf_puts(b, r.plan ? "true," : "false,");
  gk_json_key(b, "unreadable");
  gk_buf_puts(b, r.plan_unreadable ? "true," : "false,");
  gk_json_key(b, "missing_why");
  gk_json_str_or_null(b, r.plan ? NULL : in->plan_missing_why);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage");
  if (r.stage) gk_json_i64(b, r.stage);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_name");
  gk_json_str_or_null(b, r.stage_name);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_title");
  gk_json_str_or_null(b, r.stage_title);
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_goal");
  gk_json_str_or_null(b, r.stage_goal);
  gk_buf_putc(b, ',');
  gk_json_key(b, "provisional");
  gk_buf_puts(b, r.provisional ? "true," : "false,");
  gk_json_key(b, "unknown");
  if (r.unknown) raw_json(b, r.unknown);
  else gk_buf_puts(b, r.plan ? "[]" : "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "stage_by_clinician");
  gk_buf_puts(b, r.stage_by_clinician ? "true," : "false,");
  gk_json_key(b, "clinician");
  if (r.clinician) raw_json(b, r.clinician);
  else gk_buf_puts(b, "[]");
  gk_buf_putc(b, ',');
  gk_json_key(b, "education");
  if (r.education) {
    int first = 1;
    gk_buf_putc(b, '[');
    for (const cJSON *e = r.education->child; e; e = e->next) {
      if (!cJSON_IsString(e) || e->valuestring == NULL) continue;
      size_t tl, sl;
      const char *src;
      gk__report_split_source(e->valuestring, &tl, &src, &sl);
      if (!first) gk_buf_putc(b, ',');
      first = 0;
      gk_buf_putc(b, '{');
      gk_json_key(b, "text");
      gk__report_put_n(b, e->valuestring, tl, gk_json_str);
      gk_buf_putc(b, ',');
      gk_json_key(b, "source");
      if (src) gk__report_put_n(b, src, sl, gk_json_str);
      else gk_buf_puts(b, "null");
      gk_buf_putc(b, '}');
    }
    gk_buf_putc(b, ']');
  } else {
    gk_buf_puts(b, r.plan ? "[]" : "null");
  }
  gk_buf_putc(b, ',');
  gk_json_key(b, "exercises");
  raw_json(b, r.exercises);
  gk_buf_putc(b, ',');
  gk_json_key(b, "running");
  raw_json(b, r.running);
  gk_buf_putc(b, ',');
  gk_json_key(b, "gates");
  raw_json(b, r.gates);
  gk_buf_putc(b, ',');
  gk_json_key(b, "retests");
  if (r.retests || !r.plan) raw_json(b, r.retests);
  else gk_buf_puts(b, "[]");
  gk_buf_puts(b, "},");

  gk__rweek_item items[16];
  size_t ni = gk__report_this_week(&r, items, 16);
  gk_json_key(b, "this_week");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < ni; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "text");
    gk_json_str(b, items[i].text);
    gk_buf_putc(b, ',');
    gk_json_key(b, "source");
    gk_json_str_or_null(b, items[i].source);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "findings");
  gk_buf_putc(b, '[');
  char title[256];
  for (size_t i = 0; i < r.n_findings; i++) {
    const gk__rfinding *f = &r.findings[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "code");
    gk_json_str(b, f->code);
    gk_buf_putc(b, ',');
    gk_json_key(b, "title");
    gk_json_str(b, gk__report_code_title(&r, f->code, title, sizeof title));
    gk_buf_putc(b, ',');
    gk_json_key(b, "severity");
    gk_json_str(b, gk_severity_name((gk_severity)f->severity));
    gk_buf_putc(b, ',');
    gk_json_key(b, "origin");
    gk_json_str(b, f->origin);
    gk_buf_putc(b, ',');
    num(b, "value", f->value, 1);
    num(b, "threshold", f->threshold, 1);
    gk_json_key(b, "dates");
    if (f->date_from == INT64_MIN) {
      gk_buf_puts(b, "null");
    } else {
      gk_buf_putc(b, '[');
      gk_json_day(b, f->date_from);
      gk_buf_putc(b, ',');
      gk_json_day(b, f->date_to);
      gk_buf_putc(b, ']');
    }
    gk_buf_putc(b, ',');
    gk_json_key(b, "text");
    gk_json_str(b, f->text);
    gk_buf_putc(b, ',');
    gk_json_key(b, "why");
    gk_json_str_or_null(b, f->why);
    gk_buf_putc(b, ',');
    gk_json_key(b, "source");
    gk_json_str_or_null(b, f->source);
    gk_buf_putc(b, ',');
    gk_json_key(b, "evidence_note");
    gk_json_str_or_null(b, f->evidence_note);
    gk_buf_putc(b, ',');
    gk_json_key(b, "chain");
    gk_json_str_or_null(b, f->chain);
    gk_buf_putc(b, ',');
    gk_json_key(b, "chain_id");
    gk_json_str_or_null(b, f->chain_id);
    gk_buf_putc(b, ',');
    gk_json_key(b, "chain_source");
    gk_json_str_or_null(b, f->chain_source);
    gk_buf_putc(b, ',');
    gk_json_key(b, "how_sure");
    gk_json_str_or_null(b, f->how_sure);
    gk_buf_putc(b, ',');
    gk_json_key(b, "repeat_of");
    if (f->repeat_of < 0) gk_buf_puts(b, "null");
    else gk_json_i64(b, f->repeat_of);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "load");
  gk_buf_putc(b, '{');
  gk_json_key(b, "runs");
  gk_json_u64(b, l->n_runs);
  gk_buf_putc(b, ',');
  gk_json_key(b, "first_run");
  gk_json_day(b, l->first_run_day);
  gk_buf_putc(b, ',');
  gk_json_key(b, "last_run");
  gk_json_day(b, l->last_run_day);
  gk_buf_putc(b, ',');
  num(b, "longest_run_30d_m", l->longest_run_30d_m, 1);
  num(b, "run_cap_m", r.run_cap_m, 1);
  {
    int has = r.load->break_from != INT64_MIN && r.load->break_from != 0;
    gk_json_key(b, "break_from");
    if (has) gk_json_day(b, l->break_from);
    else gk_buf_puts(b, "null");
    gk_buf_putc(b, ',');
    gk_json_key(b, "break_to");
    if (has) gk_json_day(b, l->break_to);
    else gk_buf_puts(b, "null");
    gk_buf_putc(b, ',');
    gk_json_key(b, "break_ongoing");
    gk_buf_puts(b, has && l->break_ongoing ? "true" : "false");
    gk_buf_putc(b, ',');
    num(b, "longest_run_30d_since_break_m", l->longest_run_30d_since_break_m, 1);
  }
  num(b, "two_week_ratio", l->two_week_ratio, 1);
  num(b, "acwr", l->acwr, 1);
  gk_json_key(b, "spike_days");
  gk_json_u64(b, r.n_spikes);
  gk_buf_putc(b, ',');
  gk_json_key(b, "rest_gap_days");
  gk_json_u64(b, r.n_gap_days);
  gk_buf_putc(b, ',');
  gk_json_key(b, "weekly");
  gk_buf_putc(b, '[');
  for (size_t i = r.week_from; i < l->n_weekly; i++) {
    const gk_load_week *w = &l->weekly[i];
    if (i > r.week_from) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "week_start");
    gk_json_day(b, w->week_start);
    gk_buf_putc(b, ',');
    num(b, "distance_m", w->distance_m, 1);
    gk_json_key(b, "runs");
    gk_json_i64(b, w->runs);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "daily");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < r.n_days; i++) {
    const gk__rday *d = &r.days[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "date");
    gk_json_day(b, d->day);
    gk_buf_putc(b, ',');
    num(b, "distance_m", d->distance_m, 1);
    num(b, "longest_30d_m", d->longest30_m, 1);
    num(b, "spike_ratio", d->spike_ratio, 1);
    gk_json_key(b, "rest_gap");
    gk_buf_puts(b, d->rest_gap ? "true," : "false,");
    gk_json_key(b, "pain_during");
    if (d->pain_during >= 0) gk_json_i64(b, d->pain_during);
    else gk_buf_puts(b, "null");
    gk_buf_putc(b, ',');
    gk_json_key(b, "pain_morning");
    if (d->pain_morning >= 0) gk_json_i64(b, d->pain_morning);
    else gk_buf_puts(b, "null");
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "]},");

  const gk_cadence_fit *c = &l->cadence;
  gk_json_key(b, "cadence");
  gk_buf_putc(b, '{');
  gk_json_key(b, "runs");
  gk_json_u64(b, c->n);
  gk_buf_putc(b, ',');
  num(b, "mean_spm", c->mean_cadence_spm, 1);
  num(b, "at_reference_spm", c->cadence_at_ref_spm, 1);
  num(b, "reference_speed_mps", c->ref_speed_mps, 1);
  num(b, "slope_spm_per_mps", c->slope_spm_per_mps, 1);
  num(b, "r2", c->r2, 1);
  num(b, "baseline_spm", r.cadence_baseline_spm, 1);
  num(b, "target_spm", r.cadence_target_spm, 0);
  gk_buf_puts(b, "},");

  gk_json_key(b, "gait");
  if (r.gait == NULL) {
    gk_buf_puts(b, "null");
  } else {
    gk_buf_putc(b, '{');
    gk_json_key(b, "kind");
    gk_json_str_or_null(b, cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r.gait, "kind"))
                       ? cJSON_GetObjectItemCaseSensitive(r.gait, "kind")->valuestring
                       : NULL);
    gk_buf_putc(b, ',');
    gk_json_key(b, "view");
    gk_json_str_or_null(b, cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r.gait, "view"))
                       ? cJSON_GetObjectItemCaseSensitive(r.gait, "view")->valuestring
                       : NULL);
    gk_buf_putc(b, ',');
    gk_json_key(b, "date");
    gk_json_day(b, in->gait_day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "metrics");
    gk_buf_putc(b, '[');
    for (size_t i = 0; i < r.n_metrics; i++) {
      const gk__rmetric *m = &r.metrics[i];
      if (i) gk_buf_putc(b, ',');
      gk_buf_putc(b, '{');
      gk_json_key(b, "name");
      gk_json_str(b, m->name);
      gk_buf_putc(b, ',');
      gk_json_key(b, "label");
      gk_json_str(b, m->label);
      gk_buf_putc(b, ',');
      gk_json_key(b, "unit");
      gk_json_str_or_null(b, m->unit);
      gk_buf_putc(b, ',');
      gk_json_key(b, "refused");
      gk_buf_puts(b, m->refused ? "true," : "false,");
      num(b, "left", m->left, 1);
      num(b, "right", m->right, 1);
      num(b, "value", m->value, 1);
      num(b, "asymmetry", m->asymmetry, 1);
      num(b, "band_low", m->band_low, 1);
      num(b, "band_high", m->band_high, 1);
      gk_json_key(b, "band_source");
      gk_json_str_or_null(b, m->band_source);
      gk_buf_putc(b, ',');
      gk_json_key(b, "quality");
      gk_json_str_or_null(b, m->quality);
      gk_buf_putc(b, ',');
      gk_json_key(b, "note");
      gk_json_str_or_null(b, m->note);
      gk_buf_putc(b, '}');
    }
    gk_buf_puts(b, "],");
    gk_json_key(b, "notes");
    raw_json(b, cJSON_GetObjectItemCaseSensitive(r.gait, "notes"));
    gk_buf_putc(b, '}');
  }
  gk_buf_putc(b, ',');
  gk_json_key(b, "unreadable_gait");
  gk_buf_puts(b, r.gait_unreadable ? "true," : "false,");

  gk_json_key(b, "charts");
  gk_buf_putc(b, '[');
  chart(b, "ch-weekly", "Weekly distance (km)", gk__chart_desc_weekly, &r, 1);
  chart(b, "ch-daily", "Daily runs, longest in 30 days, spikes, rest gaps, pain",
        gk__chart_desc_daily, &r, 1);
  chart(b, "ch-cadence", "Cadence against speed", gk__chart_desc_cadence, &r, 0);
  course_charts(b, &r);
  gk_buf_puts(b, "],");

  gk_json_key(b, "sources");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < in->n_sources; i++) {
    const gk_report_source *s = &in->sources[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "what");
    gk_json_str_or_null(b, s->what);
    gk_buf_putc(b, ',');
    gk_json_key(b, "detail");
    gk_json_str_or_null(b, s->detail);
    gk_buf_putc(b, ',');
    gk_json_key(b, "from");
    gk_json_day(b, s->day_from);
    gk_buf_putc(b, ',');
    gk_json_key(b, "to");
    gk_json_day(b, s->day_to);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "]}\n");
  gk__report_free(&r);
  if (b->oom) {
    if (err) {
      err->code = GK_E_NOMEM;
      err->msg = "report: out of memory";
    }
    return GK_E_NOMEM;
  }
  return GK_OK;
}
