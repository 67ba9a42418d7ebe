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

static double jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
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
/* s wrapped at WIDTH, every line indented by indent (a list item, "- ",
   continues under its text). */
static void wrap(tw *t, const char *s, int indent) {
  int col = 0, lines = 0;
  if (s == NULL) return;
  const int hang = strncmp(s, "- ", 2) == 0 ? 2 : 0;
  while (*s) {
    while (*s == ' ' || *s == '\n' || *s == '\t') s++;
    if (!*s) break;
    size_t n = strcspn(s, " \n\t");
    if (col > 0 && col + 1 + (int)n > WIDTH) {
      gk_buf_putc(t->b, '\n');
      col = 0;
    }
    if (col == 0) {
      int in = indent + (lines++ ? hang : 0);
      for (int i = 0; i < in; i++) gk_buf_putc(t->b, ' ');
      col = in;
    } else {
      gk_buf_putc(t->b, ' ');
      col++;
    }
    gk_buf_put_clean(t->b, s, n);
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

/* An exercise's step from the exercise log (the plan's "step", "n_steps",
   "step_name", "step_dose" past step 1, "sessions_14d", "adherence",
   "next"); nothing for an exercise without steps. */
static void exercise_step(tw *t, const cJSON *e) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "step");
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "n_steps");
  const cJSON *ad = cJSON_GetObjectItemCaseSensitive(e, "adherence");
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "sessions_14d");
  const cJSON *nm = cJSON_GetObjectItemCaseSensitive(e, "step_name");
  const cJSON *nx = cJSON_GetObjectItemCaseSensitive(e, "next");
  if (!cJSON_IsNumber(st) || !cJSON_IsNumber(n) || n->valueint < 1) return;
  const char *name = cJSON_IsString(nm) ? nm->valuestring : "";
  if (cJSON_IsNumber(ad) && cJSON_IsNumber(k))
    wrapf(t, 4, "This week: step %d of %d, %s; %d session%s in the last 14 "
                "days (adherence %.0f%%).",
          st->valueint, n->valueint, name, k->valueint,
          k->valueint == 1 ? "" : "s", 100 * ad->valuedouble);
  else
    wrapf(t, 4, "This week: step %d of %d, %s; no session logged yet.",
          st->valueint, n->valueint, name);
  const cJSON *sd = cJSON_GetObjectItemCaseSensitive(e, "step_dose");
  if (st->valueint > 1 && cJSON_IsString(sd)) wrap(t, sd->valuestring, 4);
  if (cJSON_IsString(nx)) wrap(t, nx->valuestring, 4);
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

/* The dates of a finding ("date" or "date to date") into out. */
static const char *finding_dates(const gk__rfinding *f, char out[32]) {
  char d1[11], d2[11];
  out[0] = '\0';
  if (f->date_from == INT64_MIN) return out;
  gk_day_format(f->date_from, d1);
  if (f->date_to != INT64_MIN && f->date_to != f->date_from)
    snprintf(out, 32, "%s to %s", d1, gk_day_format(f->date_to, d2));
  else
    snprintf(out, 32, "%s", d1);
  return out;
}

/* Finding i (one shown) with the dates of its repeats. */
static void finding_text(tw *t, const gk__report *r, size_t i) {
  const gk__rfinding *f = &r->findings[i];
  int s = f->severity >= 0 && f->severity <= 3 ? f->severity : 0;
  char title[256], dates[32], line[1024];
  gk_buf_puts(t->b, "  ");
  sgr(t, sev_color[s]);
  gk_buf_puts(t->b, sev_upper[s]);
  sgr(t, "0");
  gk_buf_puts(t->b, "  ");
  sgr(t, "1");
  gk__report_code_title(r, f->code, title, sizeof title);
  gk_buf_put_clean(t->b, title, strlen(title));
  sgr(t, "0");
  gk_buf_putc(t->b, '\n');
  /* where and when: the dates, the code, the repeats' dates */
  size_t used = 0;
  finding_dates(f, dates);
  used += (size_t)snprintf(line, sizeof line, "%s%s(%s)", dates,
                           dates[0] ? " " : "", f->code);
  if (f->n_repeats) {
    size_t undated = 0;
    int first = 1;
    for (size_t k = i + 1; k < r->n_findings && used < sizeof line; k++) {
      const gk__rfinding *o = &r->findings[k];
      if (o->repeat_of != (int)i) continue;
      if (o->date_from == INT64_MIN) {
        undated++;
        continue;
      }
      if (gk__report_date_shown(r, i, k)) continue;
      used += (size_t)snprintf(line + used, sizeof line - used, "%s%s",
                               first ? "; also on " : ", ",
                               finding_dates(o, dates));
      first = 0;
    }
    if (undated && used < sizeof line)
      used += (size_t)snprintf(line + used, sizeof line - used,
                               "%s%zu more time%s without a date",
                               first ? "; also " : "; and ", undated,
                               undated == 1 ? "" : "s");
  }
  wrap(t, line, 4);
  wrap(t, f->text, 4);
  if (f->explained_by >= 0) {
    gk__report_code_title(r, r->findings[f->explained_by].code, title,
                          sizeof title);
    wrapf(t, 4, "%s: as for \"%s\" above.",
          f->how_sure ? "Why it matters, how sure" : "Why it matters", title);
  } else if (f->chain || f->why) {
    wrapf(t, 4, "Why it matters: %s", f->chain ? f->chain : f->why);
  }
  if (f->how_sure && f->explained_by < 0)
    wrapf(t, 4, "How sure: %s%s%s%s", f->how_sure,
          f->chain_source ? " (" : "",
          f->chain_source ? f->chain_source : "",
          f->chain_source ? ")" : "");
  wrapf(t, 4, "Evidence: %s%s%s", f->source ? f->source : "not stated",
        f->evidence_note ? ". Note on the evidence: " : "",
        f->evidence_note ? f->evidence_note : "");
}

/* The running prescription: its sentence, the walk/run phases as a small
   table (the phase to start at marked), the rules to move on, the caps. */
static void running_text(tw *t, const cJSON *run) {
  const char *text = jstr(run, "text");
  if (text) wrap(t, text, 2);
  const cJSON *phases = cJSON_GetObjectItemCaseSensitive(run, "phases");
  double phase = jnum(run, "phase");
  /* the phase to start at only when running is prescribed now */
  const char *mode = jstr(run, "mode");
  if (mode && strcmp(mode, "walk_run") != 0 &&
      strcmp(mode, "continue_capped") != 0)
    phase = NAN;
  if (cJSON_IsArray(phases) && phases->child) {
    gk_buf_puts(t->b, "\n  Phase  Walk/run pattern          Repeats  "
                      "Distance  Effort\n");
    for (const cJSON *ph = phases->child; ph; ph = ph->next) {
      double n = jnum(ph, "phase"), walk = jnum(ph, "walk_min"),
             runm = jnum(ph, "run_min"), rep = jnum(ph, "repeats"),
             cont = jnum(ph, "continuous_min"), km = jnum(ph, "total_km"),
             rpe = jnum(ph, "rpe");
      char pat[64] = "-", reps[32] = "-", dist[32] = "-", eff[32] = "-";
      if (isfinite(cont) && cont > 0)
        snprintf(pat, sizeof pat, "%g min continuous", cont);
      else if (isfinite(walk) && isfinite(runm))
        snprintf(pat, sizeof pat, "%g min walk, %g min run", walk, runm);
      if (isfinite(rep)) snprintf(reps, sizeof reps, "%g", rep);
      if (isfinite(km)) snprintf(dist, sizeof dist, "%.4g km", km);
      if (isfinite(rpe)) snprintf(eff, sizeof eff, "RPE %g", rpe);
      char num[32] = "-";
      if (isfinite(n)) snprintf(num, sizeof num, "%g", n);
      if (isfinite(n) && n == phase)
        gk__bprintf(t->b, "  %-5.5s  %-24.24s  %-7.7s  %-8.8s  %-7.7s <- "
                    "start here\n", num, pat, reps, dist, eff);
      else
        gk__bprintf(t->b, "  %-5.5s  %-24.24s  %-7.7s  %-8.8s  %.7s\n", num,
                    pat, reps, dist, eff);
    }
    const char *src = jstr(run, "walk_run_source");
    if (src) wrapf(t, 2, "Phases: %s.", src);
  }
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(run, "progression_rules");
  if (cJSON_IsArray(rules) && rules->child) {
    wrap(t, "Moving on to the next phase:", 2);
    for (const cJSON *c = rules->child; c; c = c->next)
      if (cJSON_IsString(c)) wrapf(t, 4, "- %s", c->valuestring);
  }
  if (jstr(run, "phase_rule") && mode && strcmp(mode, "walk_run") == 0)
    wrapf(t, 2, "How gaitkeeper moves you on: %s", jstr(run, "phase_rule"));
  double cap = jnum(run, "max_single_run_m"), f = jnum(run, "cap_factor");
  if (isfinite(cap)) {
    char why[96] = "";
    if (isfinite(f))
      snprintf(why, sizeof why, " (%g x your longest run of the 30 days "
               "before)", f);
    wrapf(t, 2, "Longest single run: at most %.1f km%s.", cap / 1000, why);
  }
  double rest = jnum(run, "rest_days_max");
  if (isfinite(rest))
    wrapf(t, 2, "Rest: never more than %g days in a row.", rest);
  const cJSON *pl = cJSON_GetObjectItemCaseSensitive(run, "pain_limits");
  if (jstr(pl, "text"))
    wrapf(t, 2, "Pain limits: %s%s%s%s", jstr(pl, "text"),
          jstr(pl, "source") ? " (" : "",
          jstr(pl, "source") ? jstr(pl, "source") : "",
          jstr(pl, "source") ? ")" : "");
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
      if (r.findings[i].severity == GK_SEV_REFER &&
          r.findings[i].repeat_of == -1)
        finding_text(&t, &r, i);
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
    else if (r.stage_zero && r.refer)
      snprintf(stage, sizeof stage, "No stage until a clinician has seen you");
    gk_buf_puts(out, "  ");
    sgr(&t, "1");
    gk__bprintf(out, "%s%s", stage, r.stage_name ? ": " : "");
    if (r.stage_name) gk_buf_put_clean(out, r.stage_name, strlen(r.stage_name));
    sgr(&t, "0");
    if (r.provisional) {
      gk_buf_putc(out, ' ');
      sgr(&t, "1;33");
      gk_buf_puts(out, "(PROVISIONAL)");
      sgr(&t, "0");
    }
    gk_buf_putc(out, '\n');
    const cJSON *se = gk__report_stage_entry(&r);
    if (se != NULL) {
      const cJSON *w = cJSON_GetObjectItemCaseSensitive(se, "author");
      const cJSON *dt = cJSON_GetObjectItemCaseSensitive(se, "date");
      const cJSON *why = cJSON_GetObjectItemCaseSensitive(se, "reason");
      wrapf(&t, 2, "Set by %s on %s: %s (the tests alone give stage %d).",
            cJSON_IsString(w) && w->valuestring[0] ? w->valuestring
                                                   : "your clinician",
            cJSON_IsString(dt) ? dt->valuestring : "",
            cJSON_IsString(why) ? why->valuestring : "", r.stage_computed);
    }
    if (r.stage_title) wrap(&t, r.stage_title, 2);
    if (r.stage_goal) wrapf(&t, 2, "Goal: %s", r.stage_goal);
    if (r.provisional) {
      gk__rcondition c[24];
      size_t nc = gk__report_conditions(&r, c, sizeof c / sizeof c[0]);
      if (nc)
        wrapf(&t, 2, "Stage %d provisionally, if these earlier gates, not "
                     "yet measured, are met:", r.stage);
      else
        wrapf(&t, 2, "Stage %d provisionally: none of its gates is measured "
                     "yet, so nothing is assumed passed and you may be "
                     "further along. Add what is listed under \"Not yet "
                     "known\" to settle it.", r.stage);
      for (size_t i = 0; i < nc; i++)
        wrapf(&t, 4, "- %s%s%s", c[i].label, c[i].how ? ": " : "",
              c[i].how ? c[i].how : "");
    }
    gk_buf_puts(out, "\n  This week:\n");
  }
  gk__rweek_item items[16];
  size_t ni = gk__report_this_week(&r, items, 16);
  for (size_t i = 0; i < ni; i++) wrapf(&t, 4, "- %s", items[i].text);
  {
    gk__runknown u[48];
    size_t nu = r.plan ? gk__report_unknown(&r, u, sizeof u / sizeof u[0]) : 0;
    if (nu) gk_buf_puts(out, "\n  Not yet known (what could not be judged, "
                             "and how to add it):\n");
    for (size_t i = 0; i < nu; i++) {
      if (u[i].stage == 0)
        wrapf(&t, 4, "- %s", u[i].text);
      else
        wrapf(&t, 4, "- Stage %d gate%s not measured: %s.", u[i].stage,
              u[i].n_gates == 1 ? "" : "s", u[i].gates);
    }
  }

  if (r.education && r.education->child) {
    heading(&t, "Good to know");
    for (const cJSON *e = r.education->child; e; e = e->next)
      if (cJSON_IsString(e) && e->valuestring)
        wrapf(&t, 2, "- %s", e->valuestring);
  }

  char title[96];
  if (r.n_findings > r.n_shown)
    snprintf(title, sizeof title, "What gaitkeeper found (%zu; %zu with "
             "repeats)", r.n_shown, r.n_findings);
  else
    snprintf(title, sizeof title, "What gaitkeeper found (%zu)", r.n_shown);
  heading(&t, title);
  if (r.n_findings == 0) wrap(&t, "No findings.", 2);
  for (size_t i = 0, k = 0; i < r.n_findings; i++) {
    if (r.findings[i].repeat_of != -1) continue;
    if (k++) gk_buf_putc(out, '\n');
    finding_text(&t, &r, i);
  }

  if (r.clinician != NULL) {
    heading(&t, "The clinician's entries");
    gk_buf line = {0};
    for (const cJSON *e = r.clinician->child; e; e = e->next) {
      line.len = 0;
      gk_buf_puts(&line, "- ");
      gk__report_clinician_entry(e, &line);
      if (line.data) wrap(&t, line.data, 2);
    }
    gk_buf_free(&line);
  }

  if (r.crs != NULL) {
    heading(&t, "Your course over weeks");
    if (r.crs->n_days == 0) {
      wrap(&t, "No course yet: it starts with the first visit. Record the "
               "intake with the AKPS answers (`gaitkeeper intake`) and the "
               "screen (`gaitkeeper screen`) at each visit, and log pain "
               "during, after and the next morning (`gaitkeeper pain add`).",
           2);
    } else {
      gk_buf s = {0};
      size_t idx[8], n = gk__course_screen_gates(&r, idx, 8);
      for (size_t k = 0; k < 3 + n; k++) {
        s.len = 0;
        if (k == 0) gk__course_desc_stage(&s, &r);
        else if (k == 1) gk__course_desc_akps(&s, &r);
        else if (k == 2) gk__course_desc_pain(&s, &r);
        else gk__course_desc_gate(&s, &r, idx[k - 3]);
        if (s.len == 0 && k == 1)
          gk_buf_puts(&s, "No AKPS yet: answer its 13 questions in the "
                          "intake at each visit.");
        if (s.len == 0 && k == 2)
          gk_buf_puts(&s, "No pain logged since the course began.");
        gk_buf_putc(&s, '\0');
        if (!s.oom && s.len > 1) wrap(&t, s.data, 2);
      }
      if (n == 0) wrap(&t, "No screen values yet: record the screen at each "
                           "visit.", 2);
      gk_buf_free(&s);
    }
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

  {
    char brk[160];
    if (gk__report_break(&r, brk, sizeof brk)) wrapf(&t, 2, "Latest break: %s.", brk);
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
      exercise_step(&t, e);
    }

  heading(&t, "Running plan and cadence target");
  if (r.plan == NULL) {
    wrap(&t, "Comes with the plan; no plan yet.", 2);
  } else if (cJSON_IsObject(r.running)) {
    running_text(&t, r.running);
  }
  if (isfinite(r.cadence_target_spm) && gk__report_running_prescribed(&r))
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
    for (const cJSON *g = r.gates->child; g; g = g->next) {
      const cJSON *met = cJSON_GetObjectItemCaseSensitive(g, "met");
      const char *label = jstr(g, "label") ? jstr(g, "label") : jstr(g, "name");
      const char *cmp = jstr(g, "comparison"), *unit = jstr(g, "unit");
      double v = jnum(g, "value"), target = jnum(g, "target");
      char now[128] = "not measured", want[160] = "";
      /* "6/10", "7 cm" */
      const char *sp = unit && unit[0] != '/' && unit[0] != '%' ? " " : "";
      if (isfinite(v))
        snprintf(now, sizeof now, "now %g%s%s", v, sp, unit ? unit : "");
      if (isfinite(target))
        snprintf(want, sizeof want, "; target %s%g%s%s",
                 cmp && strcmp(cmp, "<=") == 0   ? "at most "
                 : cmp && strcmp(cmp, ">=") == 0 ? "at least "
                                                 : "",
                 target, sp, unit ? unit : "");
      wrapf(&t, 2, "- [%s] %s: %s%s",
            cJSON_IsTrue(met) ? "x" : cJSON_IsFalse(met) ? " " : "?",
            label ? label : "gate", now, want);
    }

  if (r.plan && r.retests) {
    heading(&t, "Tests to repeat");
    char line[2048];
    for (const cJSON *rt = r.retests->child; rt; rt = rt->next) {
      gk__report_retest(rt, 1, line, sizeof line);
      wrapf(&t, 2, "- %s", line);
    }
  }

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
