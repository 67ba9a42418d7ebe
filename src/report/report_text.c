/*
** report_text.c -- the report as a terminal summary: the same sections as
** the HTML page in the same order, as plain text wrapped at 78 columns, the
** charts as their key numbers.  ANSI colour (bold headings, coloured
** severities) only with GK_REPORT_COLOR; the program sets it only when its
** output is a terminal and NO_COLOR is unset.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_internal.h"

#define WIDTH 78

typedef struct tw {
  gk_buf *b;
  int color;
} tw;

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static void sgr(tw *t, const char *code) {
  if (t->color) {
    gk_buf_puts(t->b, "\033[");
    gk_buf_puts(t->b, code);
    gk_buf_putc(t->b, 'm');
  }
}

/* Text without control characters (a hostile note cannot move the
   cursor or change colours). */
static void put_clean(gk_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    gk_buf_putc(b, c < 0x20 || c == 0x7F ? ' ' : (char)c);
  }
}

/* s wrapped at WIDTH, every line indented by indent. */
static void wrap(tw *t, const char *s, int indent) {
  int col = 0;
  if (s == NULL) return;
  while (*s) {
    while (*s == ' ' || *s == '\n' || *s == '\t') s++;
    if (!*s) break;
    size_t n = strcspn(s, " \n\t");
    if (col > 0 && col + 1 + (int)n > WIDTH) {
      gk_buf_putc(t->b, '\n');
      col = 0;
    }
    if (col == 0) {
      for (int i = 0; i < indent; i++) gk_buf_putc(t->b, ' ');
      col = indent;
    } else {
      gk_buf_putc(t->b, ' ');
      col++;
    }
    put_clean(t->b, s, n);
    col += (int)n;
    s += n;
  }
  if (col > 0) gk_buf_putc(t->b, '\n');
}

static void wrapf(tw *t, int indent, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void wrapf(tw *t, int indent, const char *fmt, ...) {
  char tmp[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  wrap(t, tmp, indent);
}

static void heading(tw *t, const char *s) {
  gk_buf_putc(t->b, '\n');
  sgr(t, "1");
  gk_buf_puts(t->b, s);
  sgr(t, "0");
  gk_buf_putc(t->b, '\n');
}

static const char *const sev_upper[] = {"INFO", "CAUTION", "WARNING", "REFER"};
static const char *const sev_color[] = {"36", "33", "1;33", "1;31"};

static void finding_text(tw *t, const gk__rfinding *f) {
  int s = f->severity >= 0 && f->severity <= 3 ? f->severity : 0;
  char d1[11], d2[11];
  gk_buf_puts(t->b, "  ");
  sgr(t, sev_color[s]);
  gk_buf_puts(t->b, sev_upper[s]);
  sgr(t, "0");
  gk_buf_puts(t->b, "  ");
  put_clean(t->b, f->code, strlen(f->code));
  if (f->date_from != INT64_MIN) {
    gk_buf_puts(t->b, "  ");
    gk_buf_puts(t->b, gk_day_format(f->date_from, d1));
    if (f->date_to != INT64_MIN && f->date_to != f->date_from) {
      gk_buf_puts(t->b, " to ");
      gk_buf_puts(t->b, gk_day_format(f->date_to, d2));
    }
  }
  gk_buf_putc(t->b, '\n');
  wrap(t, f->text, 4);
  if (f->why) wrapf(t, 4, "Why it matters: %s", f->why);
  wrapf(t, 4, "Evidence: %s%s%s", f->source ? f->source : "not stated",
        f->evidence_note ? ". How sure: " : "",
        f->evidence_note ? f->evidence_note : "");
}

gk_status gk_report_text(const gk_report_input *in, unsigned flags,
                         gk_buf *out, gk_err *err) {
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
  tw t = {out, (flags & GK_REPORT_COLOR) != 0};
  char d[11];
  sgr(&t, "1");
  gk__bprintf(out, "Runner's knee report, %s", gk_day_format(r.today, d));
  sgr(&t, "0");
  gk_buf_putc(out, '\n');

  if (r.refer) {
    gk_buf_putc(out, '\n');
    sgr(&t, "1;31");
    gk_buf_puts(out, "SEE A CLINICIAN BEFORE YOU KEEP RUNNING");
    sgr(&t, "0");
    gk_buf_putc(out, '\n');
    for (size_t i = 0; i < r.n_findings; i++)
      if (r.findings[i].severity == GK_SEV_REFER) finding_text(&t, &r.findings[i]);
  }

  heading(&t, "Your stage and this week");
  if (r.plan == NULL) {
    wrapf(&t, 2, "No plan yet. %s",
          r.plan_unreadable ? "The plan could not be read (not valid JSON)."
          : in->plan_missing_why ? in->plan_missing_why
                                 : "The staged plan is built from your "
                                   "intake, screen, runs and gait.");
  } else {
    char stage[64] = "Stage not set";
    if (r.stage) snprintf(stage, sizeof stage, "Stage %d", r.stage);
    wrapf(&t, 2, "%s%s%s", stage, r.stage_name ? ": " : "",
          r.stage_name ? r.stage_name : "");
  }
  gk__rweek_item items[16];
  size_t ni = gk__report_this_week(&r, items, 16);
  for (size_t i = 0; i < ni; i++) wrapf(&t, 4, "- %s", items[i].text);

  char title[64];
  snprintf(title, sizeof title, "What gaitkeeper found (%zu)", r.n_findings);
  heading(&t, title);
  if (r.n_findings == 0) wrap(&t, "No findings.", 2);
  for (size_t i = 0; i < r.n_findings; i++) {
    if (i) gk_buf_putc(out, '\n');
    finding_text(&t, &r.findings[i]);
  }

  heading(&t, "Training load and pain");
  if (in->n_runs == 0)
    wrap(&t, "No runs yet: import your watch's files with `gaitkeeper "
             "import FOLDER`.", 2);
  {
    const gk_load_report *l = r.load;
    size_t from = l->n_weekly > 8 ? l->n_weekly - 8 : 0;
    double max = 1;
    for (size_t i = from; i < l->n_weekly; i++)
      if (l->weekly[i].distance_m > max) max = l->weekly[i].distance_m;
    for (size_t i = from; i < l->n_weekly; i++) {
      const gk_load_week *w = &l->weekly[i];
      int bar = (int)lround(30.0 * w->distance_m / max);
      gk__bprintf(out, "  week of %s %6.1f km %2d run%s ",
                  gk_day_format(w->week_start, d), w->distance_m / 1000,
                  w->runs, w->runs == 1 ? " " : "s");
      for (int k = 0; k < bar && k < 30; k++) gk_buf_putc(out, '#');
      gk_buf_putc(out, '\n');
    }
  }
  {
    gk_buf s = {0};
    gk__chart_desc_daily(&s, &r);
    gk_buf_putc(&s, '\0');
    if (!s.oom) wrap(&t, s.data, 2);
    gk_buf_free(&s);
  }

  heading(&t, "Cadence and speed");
  {
    gk_buf s = {0};
    gk__chart_desc_cadence(&s, &r);
    gk_buf_putc(&s, '\0');
    if (!s.oom) wrap(&t, s.data, 2);
    gk_buf_free(&s);
  }

  heading(&t, "Running gait");
  if (r.gait == NULL) {
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(r.text_data, "film_yourself");
    wrap(&t, r.gait_unreadable ? "The stored gait capture could not be read."
                               : jstr(o, "text"), 2);
  } else {
    for (size_t i = 0; i < r.n_metrics; i++) {
      const gk__rmetric *m = &r.metrics[i];
      const char *u = m->unit ? m->unit : "";
      char band[96] = "";
      if (isfinite(m->band_low))
        snprintf(band, sizeof band, m->band_low == m->band_high
                                        ? " (reference about %.0f)"
                                        : " (reference %g to %g)",
                 m->band_low, m->band_high);
      if (m->refused)
        wrapf(&t, 2, "- %s: not measured from this view", m->label);
      else if (m->per_side)
        wrapf(&t, 2, "- %s: left %.1f, right %.1f %s%s%s%s", m->label,
              m->left, m->right, u, band, m->quality ? "; quality " : "",
              m->quality ? m->quality : "");
      else
        wrapf(&t, 2, "- %s: %.1f %s%s", m->label, m->value, u, band);
    }
    const cJSON *notes = cJSON_GetObjectItemCaseSensitive(r.gait, "notes");
    for (const cJSON *c = cJSON_IsArray(notes) ? notes->child : NULL; c;
         c = c->next)
      if (cJSON_IsString(c)) wrapf(&t, 2, "Note: %s", c->valuestring);
  }

  heading(&t, "Exercise plan");
  if (r.plan == NULL) wrap(&t, "Comes with the plan; no plan yet.", 2);
  else if (!cJSON_IsArray(r.exercises) || !r.exercises->child)
    wrap(&t, "No exercises in this plan.", 2);
  else
    for (const cJSON *e = r.exercises->child; e; e = e->next) {
      const cJSON *dose = cJSON_GetObjectItemCaseSensitive(e, "dose");
      wrapf(&t, 2, "- %s: %s", jstr(e, "name") ? jstr(e, "name") : "exercise",
            cJSON_IsString(dose) ? dose->valuestring : "see the plan");
    }

  heading(&t, "Running plan and cadence target");
  if (r.plan == NULL) {
    wrap(&t, "Comes with the plan; no plan yet.", 2);
  } else if (cJSON_IsObject(r.running)) {
    for (const cJSON *c = r.running->child; c; c = c->next) {
      if (cJSON_IsString(c)) wrapf(&t, 2, "%s: %s", c->string, c->valuestring);
      else if (cJSON_IsNumber(c)) wrapf(&t, 2, "%s: %g", c->string, c->valuedouble);
    }
  }
  if (isfinite(r.cadence_target_spm))
    wrapf(&t, 2, "Cadence target: about %.0f steps/min%s", r.cadence_target_spm,
          isfinite(r.cadence_baseline_spm) ? " (from your own baseline)" : "");
  else if (isfinite(r.load->cadence.cadence_at_ref_spm) &&
           r.load->cadence.ref_speed_mps > 0)
    wrapf(&t, 2, "Cadence baseline: %.0f steps/min at %.1f m/s; no target "
                 "set yet.", r.load->cadence.cadence_at_ref_spm,
          r.load->cadence.ref_speed_mps);

  heading(&t, "Gates to the next stage");
  if (r.plan == NULL) wrap(&t, "Come with the plan; no plan yet.", 2);
  else if (!cJSON_IsArray(r.gates) || !r.gates->child)
    wrap(&t, "No gates listed.", 2);
  else
    for (const cJSON *g = r.gates->child; g; g = g->next)
      wrapf(&t, 2, "[%s] %s",
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "met")) ? "x" : " ",
            jstr(g, "name") ? jstr(g, "name") : "gate");

  heading(&t, "When to see a clinician");
  {
    const cJSON *box =
        cJSON_GetObjectItemCaseSensitive(r.text_data, "see_a_clinician");
    const cJSON *its = cJSON_GetObjectItemCaseSensitive(box, "items");
    wrap(&t, jstr(box, "intro"), 2);
    for (const cJSON *i = its ? its->child : NULL; i; i = i->next)
      wrapf(&t, 4, "- %s", jstr(i, "text") ? jstr(i, "text") : "");
  }

  heading(&t, "Data sources and dates");
  for (size_t i = 0; i < in->n_sources; i++) {
    const gk_report_source *s = &in->sources[i];
    char d1[11] = "", d2[11] = "", dates[40] = "";
    if (s->day_from != INT64_MIN) {
      gk_day_format(s->day_from, d1);
      if (s->day_to != INT64_MIN && s->day_to != s->day_from)
        snprintf(dates, sizeof dates, ", %s to %s", d1,
                 gk_day_format(s->day_to, d2));
      else
        snprintf(dates, sizeof dates, ", %s", d1);
    }
    wrapf(&t, 2, "- %s%s%s%s", s->what ? s->what : "", dates,
          s->detail ? ": " : "", s->detail ? s->detail : "");
  }
  gk__report_free(&r);
  if (out->oom) {
    if (err) {
      err->code = GK_E_NOMEM;
      err->msg = "report: out of memory";
    }
    return GK_E_NOMEM;
  }
  return GK_OK;
}
