/*
** report_html.c -- the report as one self-contained HTML page: inline CSS
** and SVG, no script, nothing loaded from outside (a Content-Security-Policy
** forbids it), readable on a phone (viewport, one column, charts that
** scale) and printable (@media print).  Sections in this order (docs/
** REPORT.md): red flags (only when the runner should see a clinician), the
** stage and this week (with what the plan could not judge), what to know
** (the plan's education), the findings, training load and pain, cadence and
** speed, gait, exercises, the running plan and cadence target, the gates to
** the next stage, when to see a clinician (always), data sources and dates.
** Every text from the documents is escaped.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/stick_figure.h"
#include "report/report_internal.h"

#define C(name) gk__report_color_hex(name)

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static const char *const sev_names[] = {"info", "caution", "warning", "refer"};
static const char *const sev_words[] = {"Information", "Caution", "Warning",
                                        "See a clinician"};

static void esc(gk_buf *b, const char *s) { gk__html_esc(b, s); }

static void day_long(gk_buf *b, int64_t day) {
  char d[11];
  if (day == INT64_MIN) {
    gk_buf_puts(b, "unknown date");
    return;
  }
  gk_buf_puts(b, gk_day_format(day, d));
}

/* A finding code's plain-language title (data/report_text.json "titles",
   else made from the code). */
static void code_title(gk_buf *b, const gk__report *r, const char *code) {
  char t[256];
  esc(b, gk__report_code_title(r, code, t, sizeof t));
}

/* A JSON value as plain text (strings as they are, numbers shortest,
   booleans yes/no, arrays joined by ", "). */
static void json_text(gk_buf *b, const cJSON *v) {
  if (v == NULL || cJSON_IsNull(v)) {
    gk_buf_puts(b, "&#8212;");
  } else if (cJSON_IsString(v)) {
    esc(b, v->valuestring);
  } else if (cJSON_IsBool(v)) {
    gk_buf_puts(b, cJSON_IsTrue(v) ? "yes" : "no");
  } else if (cJSON_IsNumber(v)) {
    gk__bprintf(b, "%g", v->valuedouble);
  } else if (cJSON_IsArray(v)) {
    int first = 1;
    for (const cJSON *c = v->child; c; c = c->next) {
      if (!first) gk_buf_puts(b, ", ");
      first = 0;
      json_text(b, c);
    }
  } else if (cJSON_IsObject(v)) {
    int first = 1;
    for (const cJSON *c = v->child; c; c = c->next) {
      if (!first) gk_buf_puts(b, "; ");
      first = 0;
      esc(b, c->string);
      gk_buf_puts(b, ": ");
      json_text(b, c);
    }
  }
}

/* "walk_minutes" -> "Walk minutes" */
static void key_title(gk_buf *b, const char *k) {
  int first = 1;
  for (const char *s = k ? k : ""; *s; s++) {
    char c = *s == '_' ? ' ' : *s;
    if (first && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    first = 0;
    char t[2] = {c, 0};
    esc(b, t);
  }
}

static void text_with_source(gk_buf *b, const char *s) {
  size_t tl, sl;
  const char *src;
  gk__report_split_source(s, &tl, &src, &sl);
  gk__report_put_n(b, s, tl, esc);
  if (src) {
    gk_buf_puts(b, " <span class=\"evidence\">(");
    gk__report_put_n(b, src, sl, esc);
    gk_buf_puts(b, ")</span>");
  }
}

static const char CSS[] =
    ":root{color-scheme:light}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:#fff;color:%INK%;font:16px/1.5 system-ui,"
    "-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}"
    "main{max-width:50rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.6rem;margin:.2rem 0}"
    "h2{font-size:1.25rem;margin:1.8rem 0 .6rem;padding-bottom:.2rem;"
    "border-bottom:2px solid %GRID%}"
    "h3{font-size:1.05rem;margin:1rem 0 .3rem}"
    ".meta,.note,.evidence{color:%MUTED%;font-size:.9rem}"
    "section{break-inside:auto}"
    ".box{background:%PANEL%;border-radius:6px;padding:.6rem .9rem;margin:.6rem 0}"
    ".finding{border-left:5px solid;padding:.4rem .8rem;margin:.8rem 0;"
    "border-radius:4px;break-inside:avoid}"
    ".sev-refer{background:%REFERBG%;border-color:%REFER%}"
    ".sev-warning{background:%WARNBG%;border-color:%WARN%}"
    ".sev-caution{background:%CAUTBG%;border-color:%CAUT%}"
    ".sev-info{background:%INFOBG%;border-color:%INFO%}"
    ".sev{font-weight:700;font-size:.85rem;text-transform:uppercase;"
    "letter-spacing:.03em}"
    ".sev-refer .sev{color:%REFER%}.sev-warning .sev{color:%WARN%}"
    ".sev-caution .sev{color:%CAUT%}.sev-info .sev{color:%INFO%}"
    ".finding p{margin:.3rem 0}"
    ".badge{display:inline-block;border:2px solid %CAUT%;background:"
    "%CAUTBG%;border-radius:4px;padding:0 .4rem;margin-left:.4rem;"
    "font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}"
    ".provisional{border-left:5px solid %CAUT%}"
    "tr.current th,tr.current td{background:%PANEL%;font-weight:600}"
    ".redflags{background:%REFERBG%;border:2px solid %REFER%;border-radius:6px;"
    "padding:.2rem 1rem .6rem;margin:1rem 0}"
    ".redflags h2{color:%REFER%;border:0}"
    ".clinician{border:2px solid %INK%;border-radius:6px;padding:0 1rem .6rem}"
    ".clinician h2{border:0}"
    "figure{margin:1rem 0;break-inside:avoid}"
    ".figs{display:flex;flex-wrap:wrap;gap:1rem}.figs figure{margin:0}"
    "figcaption{font-size:.9rem;color:%MUTED%}"
    "svg.chart{width:100%;height:auto;display:block;font-size:12px;"
    "font-family:inherit}"
    ".legend{list-style:none;padding:0;margin:.3rem 0;display:flex;"
    "flex-wrap:wrap;gap:.2rem 1rem;font-size:.85rem}"
    ".sw{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;"
    "vertical-align:-.1rem;border:2px solid transparent}"
    ".tbl{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font-size:.92rem}"
    "th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid %GRID%;"
    "vertical-align:top}"
    "td.num{text-align:right;white-space:nowrap}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem}"
    "dt{font-weight:600}dd{margin:0}"
    "code{font-size:.9em}"
    "@media (max-width:30rem){main{padding:.6rem}body{font-size:15px}"
    "dl{grid-template-columns:1fr}dd{margin-bottom:.3rem}"
    ".cards thead{display:none}.cards tr{display:block;padding:.4rem 0;"
    "border-bottom:1px solid %GRID%}.cards th,.cards td{display:block;"
    "border:0;padding:.1rem 0;text-align:left}"
    ".cards td[data-label]::before{content:attr(data-label) \": \";"
    "font-weight:600}}"
    "@page{size:A4;margin:10mm}@media print{body{font-size:11pt}main{max-width:none;padding:0}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2{break-after:avoid}figure,.finding,table,.box{break-inside:avoid}"
    ".tbl{overflow:visible}.runner{font-size:9pt;line-height:1.25}"
    ".runner h2{font-size:12pt;margin:.4rem 0 .2rem}.runner h3{margin:.3rem 0 0}"
    ".runner ul{margin:.2rem 0;padding-left:1.2rem}.runner .box,.runner p"
    "{margin:.2rem 0}.runner .box{padding:.2rem .6rem}"
    ".runner .clinician{padding:0 .6rem .2rem}header p{margin:0}"
    ".clinical{break-before:page}.exlist{columns:2;column-gap:1rem}"
    ".runner .ex{font-size:8pt;line-height:1.2;margin-bottom:.25rem}}"
    ".exlist{padding-left:0;list-style:none;margin:.3rem 0}"
    ".ex{display:flex;gap:.5rem;align-items:flex-start;break-inside:avoid;"
    "margin:0 0 .4rem;font-size:.92rem;line-height:1.35}.ex svg{flex:none}"
    ".clinical>h2:first-child{font-size:1.4rem}"
    ".multiples{display:grid;grid-template-columns:repeat(auto-fit,"
    "minmax(16rem,1fr));gap:0 1rem}.multiples figure{margin:.4rem 0}"
    "figcaption.gate{color:%INK%;font-weight:600}"
    "svg.chart.course{max-width:36rem}";

/* The style sheet with the palette's colours put in. */
static void put_css(gk_buf *b) {
  static const struct {
    const char *tok, *color;
  } subst[] = {{"%INK%", "ink"},         {"%MUTED%", "muted"},
               {"%GRID%", "grid"},       {"%PANEL%", "panel"},
               {"%REFERBG%", "refer-bg"}, {"%REFER%", "refer"},
               {"%WARNBG%", "warning-bg"}, {"%WARN%", "warning"},
               {"%CAUTBG%", "caution-bg"}, {"%CAUT%", "caution"},
               {"%INFOBG%", "info-bg"},   {"%INFO%", "info"}};
  const char *s = CSS;
  while (*s) {
    const char *p = strchr(s, '%');
    if (p == NULL) {
      gk_buf_puts(b, s);
      break;
    }
    gk_buf_put(b, s, (size_t)(p - s));
    size_t k, n = sizeof subst / sizeof subst[0];
    for (k = 0; k < n; k++) {
      size_t tl = strlen(subst[k].tok);
      if (strncmp(p, subst[k].tok, tl) == 0) {
        gk_buf_puts(b, C(subst[k].color));
        s = p + tl;
        break;
      }
    }
    if (k == n) { /* a literal % (e.g. width:100%) */
      gk_buf_putc(b, '%');
      s = p + 1;
    }
  }
  /* legend swatches */
  gk__bprintf(b,
              ".sw-week{background:%s}.sw-run{background:%s}"
              ".sw-spike{background:%s}.sw-ref{border-top:3px dashed %s;"
              "height:0}.sw-pain{background:%s;border-radius:50%%}"
              ".sw-morning{border-color:%s}.sw-gap{background:%s}"
              ".sw-speed{border-color:%s}.sw-target{border-top:3px dashed %s;"
              "height:0}.sw-band{background:%s;border-color:%s}"
              ".sw-left{background:%s;border-radius:50%%}.sw-right{background:%s}"
              ".sw-old{border-color:%s;border-radius:50%%}"
              ".sw-new{background:%s;border-radius:50%%}",
              C("week"), C("run"), C("spike"), C("ref"), C("pain"),
              C("morning"), C("gap"), C("right"), C("band-edge"), C("band"),
              C("band-edge"), C("left"), C("right"), C("run"), C("run"));
  /* the course over weeks */
  gk__bprintf(b,
              ".sw-prov{border:2px dashed %s;border-radius:50%%}"
              ".sw-clin{border-color:%s}"
              ".sw-visit{width:0;height:0;border:.45rem solid transparent;"
              "border-bottom:.8rem solid %s;border-top:0}"
              ".sw-change{border-color:%s;border-radius:50%%}"
              ".sw-after{background:%s}.sw-limit{border-top:3px dashed %s;"
              "height:0}",
              C("run"), C("run"), C("ink"), C("ref"), C("pain-after"),
              C("spike"));
}

static void legend_item(gk_buf *b, const char *cls, const char *text) {
  gk__bprintf(b, "<li><span class=\"sw %s\" aria-hidden=\"true\"></span>", cls);
  esc(b, text);
  gk_buf_puts(b, "</li>");
}

/* ---- sections ----------------------------------------------------------------- */

/* The dates of a finding: "date" or "date to date". */
static void finding_dates(gk_buf *b, const gk__rfinding *f) {
  day_long(b, f->date_from);
  if (f->date_to != f->date_from && f->date_to != INT64_MIN) {
    gk_buf_puts(b, " to ");
    day_long(b, f->date_to);
  }
}

/* Finding i (one shown: repeat_of -1) with the dates of its repeats. */
static void finding_html(gk_buf *b, const gk__report *r, size_t i) {
  const gk__rfinding *f = &r->findings[i];
  int s = f->severity >= 0 && f->severity <= 3 ? f->severity : 0;
  gk__bprintf(b, "<article class=\"finding sev-%s\"><h3><span class=\"sev\">",
              sev_names[s]);
  esc(b, sev_words[s]);
  gk_buf_puts(b, "</span> &#183; ");
  code_title(b, r, f->code);
  gk_buf_puts(b, "</h3><p>");
  esc(b, f->text);
  gk_buf_puts(b, "</p>");
  if (f->n_repeats) {
    size_t undated = 0;
    int first = 1;
    gk_buf_puts(b, "<p><strong>Also on:</strong> ");
    for (size_t k = i + 1; k < r->n_findings; k++) {
      const gk__rfinding *o = &r->findings[k];
      if (o->repeat_of != (int)i) continue;
      if (o->date_from == INT64_MIN) {
        undated++;
        continue;
      }
      if (gk__report_date_shown(r, i, k)) continue;
      if (!first) gk_buf_puts(b, ", ");
      first = 0;
      finding_dates(b, o);
    }
    if (undated)
      gk__bprintf(b, "%s%zu time%s without a date", first ? "" : "; ",
                  undated, undated == 1 ? "" : "s");
    gk_buf_puts(b, ".</p>");
  }
  if (f->explained_by >= 0) {
    gk_buf_puts(b, f->how_sure ? "<p><strong>Why it matters, how sure:</strong>"
                               : "<p><strong>Why it matters:</strong>");
    gk_buf_puts(b, " as for &#8220;");
    code_title(b, r, r->findings[f->explained_by].code);
    gk_buf_puts(b, "&#8221; above.</p>");
  } else if (f->chain || f->why) {
    gk_buf_puts(b, "<p><strong>Why it matters:</strong> ");
    esc(b, f->chain ? f->chain : f->why);
    gk_buf_puts(b, "</p>");
  }
  if (f->how_sure && f->explained_by < 0) {
    gk_buf_puts(b, "<p><strong>How sure:</strong> ");
    esc(b, f->how_sure);
    if (f->chain_source) {
      gk_buf_puts(b, " <span class=\"evidence\">(");
      esc(b, f->chain_source);
      gk_buf_puts(b, ")</span>");
    }
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "<p class=\"evidence\">");
  if (f->date_from != INT64_MIN) {
    finding_dates(b, f);
    gk_buf_puts(b, " &#183; ");
  }
  gk_buf_puts(b, "<code>");
  esc(b, f->code);
  gk_buf_puts(b, "</code> (");
  esc(b, f->origin);
  gk_buf_puts(b, ")");
  if (isfinite(f->value)) {
    gk_buf_puts(b, " &#183; ");
    gk__besc_printf(b, "value %.3g", f->value);
    if (isfinite(f->threshold)) gk__besc_printf(b, ", threshold %.3g", f->threshold);
  }
  gk_buf_puts(b, "<br>Evidence: ");
  esc(b, f->source ? f->source : "not stated");
  if (f->evidence_note) {
    gk_buf_puts(b, ". Note on the evidence: ");
    esc(b, f->evidence_note);
  }
  gk_buf_puts(b, "</p></article>");
}

static void red_flags(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section class=\"redflags\" aria-labelledby=\"s-redflags\">"
                 "<h2 id=\"s-redflags\">See a clinician before you keep "
                 "running</h2><p>");
  gk_buf_puts(b, "Something in your answers or data needs a clinician's "
                 "examination. Stop self-managing until you have been "
                 "seen.</p>");
  /* only what needs a doctor: the refer-severity findings; the plan's
     reasons (which may list routine notes) only when there are none */
  size_t n_refer = 0;
  for (size_t i = 0; i < r->n_findings; i++)
    if (r->findings[i].severity == GK_SEV_REFER) n_refer++;
  const cJSON *refer = cJSON_GetObjectItemCaseSensitive(r->plan, "refer");
  const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(refer, "reasons");
  if (n_refer == 0 && cJSON_IsArray(reasons) && reasons->child) {
    gk_buf_puts(b, "<ul>");
    for (const cJSON *c = reasons->child; c; c = c->next) {
      gk_buf_puts(b, "<li>");
      json_text(b, c);
      gk_buf_puts(b, "</li>");
    }
    gk_buf_puts(b, "</ul>");
  }
  for (size_t i = 0; i < r->n_findings; i++)
    if (r->findings[i].severity == GK_SEV_REFER &&
        r->findings[i].repeat_of == -1)
      finding_html(b, r, i);
  gk_buf_puts(b, "</section>");
}

static const char *text_item(const gk__report *r, const char *key) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->text_data, key);
  return jstr(o, "text");
}

static void week_items(gk_buf *b, const gk__report *r) {
  gk__rweek_item items[16];
  size_t n = gk__report_this_week(r, items, 16);
  gk_buf_puts(b, "<ul>");
  for (size_t i = 0; i < n; i++) {
    gk_buf_puts(b, "<li>");
    esc(b, items[i].text);
    if (items[i].source) {
      gk_buf_puts(b, " <span class=\"evidence\">(");
      esc(b, items[i].source);
      gk_buf_puts(b, ")</span>");
    }
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "</ul>");
}

/* What the plan could not judge: its sentences, then the gates not
   measured, one line per stage. */
static void unknown_list(gk_buf *b, const gk__report *r) {
  gk__runknown u[48];
  size_t n = gk__report_unknown(r, u, sizeof u / sizeof u[0]);
  if (n == 0) return;
  gk_buf_puts(b, "<h3>Not yet known</h3><p>What gaitkeeper could not judge, "
                 "and how to add it:</p><ul>");
  for (size_t i = 0; i < n; i++) {
    gk_buf_puts(b, "<li>");
    if (u[i].stage == 0) {
      esc(b, u[i].text);
    } else {
      gk__bprintf(b, "<strong>Stage %d gate%s not measured:</strong> ",
                  u[i].stage, u[i].n_gates == 1 ? "" : "s");
      esc(b, u[i].gates);
      gk_buf_puts(b, ".");
    }
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "</ul>");
}

static void stage_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-stage\"><h2 id=\"s-stage\">"
                 "Your stage and this week</h2>");
  if (r->plan == NULL) {
    gk_buf_puts(b, "<p class=\"box\"><strong>No plan yet.</strong> ");
    if (r->plan_unreadable)
      gk_buf_puts(b, "The plan could not be read (it is not valid JSON).");
    else if (r->in->plan_missing_why)
      esc(b, r->in->plan_missing_why);
    else
      gk_buf_puts(b, "The staged plan is built from your intake, screen, runs "
                     "and gait; add them to get one.");
    gk_buf_puts(b, " Until then, what your training data says for this "
                   "week:</p>");
  } else {
    gk_buf_puts(b, r->provisional ? "<div class=\"box provisional\"><p>"
                                  : "<div class=\"box\"><p>");
    gk_buf_puts(b, "<strong>");
    if (r->stage)
      gk__bprintf(b, "Stage %d", r->stage);
    else if (r->stage_zero && r->refer)
      gk_buf_puts(b, "No stage until a clinician has seen you");
    else
      gk_buf_puts(b, "Stage not set");
    /* in plain words: the stage's title ("Calm the pain"), else its name */
    if (r->stage_title || r->stage_name) {
      gk_buf_puts(b, ": ");
      esc(b, r->stage_title ? r->stage_title : r->stage_name);
    }
    gk_buf_puts(b, "</strong>");
    if (r->provisional) gk_buf_puts(b, "<span class=\"badge\">Provisional</span>");
    gk_buf_puts(b, "</p>");
    const cJSON *se = gk__report_stage_entry(r);
    if (se != NULL) { /* the clinician's stage, said as theirs */
      const char *who = jstr(se, "author");
      gk_buf_puts(b, "<p class=\"by-clinician\"><strong>Set by ");
      esc(b, who && who[0] ? who : "your clinician");
      gk_buf_puts(b, "</strong> on ");
      esc(b, jstr(se, "date"));
      gk_buf_puts(b, ": ");
      esc(b, jstr(se, "reason"));
      gk__bprintf(b, " (the tests alone give stage %d).</p>",
                  r->stage_computed);
    }
    if (r->stage_goal) {
      gk_buf_puts(b, "<p>");
      esc(b, r->stage_goal);
      gk_buf_puts(b, "</p>");
    }
    if (r->provisional) {
      gk__rcondition c[24];
      size_t nc = gk__report_conditions(r, c, sizeof c / sizeof c[0]);
      if (nc)
        gk__bprintf(b, "<p><strong>Stage %d provisionally</strong>, if "
                       "these earlier gates, not yet measured, are met:</p>"
                       "<ul>", r->stage);
      else
        gk__bprintf(b, "<p><strong>Stage %d provisionally:</strong> none of "
                       "its gates is measured yet, so nothing is assumed "
                       "passed and you may be further along. Add what is "
                       "listed under &#8220;Not yet known&#8221; to settle "
                       "it.</p><ul>", r->stage);
      for (size_t i = 0; i < nc; i++) {
        gk_buf_puts(b, "<li>");
        esc(b, c[i].label);
        if (c[i].how) {
          gk_buf_puts(b, ": ");
          esc(b, c[i].how);
        }
        gk_buf_puts(b, "</li>");
      }
      gk_buf_puts(b, "</ul>");
    }
    gk_buf_puts(b, "</div><h3>This week</h3>");
  }
  week_items(b, r);
  gk_buf_puts(b, "</section>");
}

/* An exercise's step from the exercise log (the plan's "step", "n_steps",
   "step_name", "step_dose", "sessions_14d", "adherence", "next"): this
   week's step, adherence and when it moves up once a session is logged,
   else the step alone; nothing for an exercise without steps. */
static void exercise_step_html(gk_buf *b, const cJSON *e) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "step");
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "n_steps");
  const cJSON *ad = cJSON_GetObjectItemCaseSensitive(e, "adherence");
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "sessions_14d");
  if (!cJSON_IsNumber(st) || !cJSON_IsNumber(n) || n->valueint < 1) return;
  char line[160];
  if (!cJSON_IsNumber(ad) || !cJSON_IsNumber(k)) {
    /* nothing logged yet: the step only, so the runner's sheet stays one
       page */
    snprintf(line, sizeof line, "Step 1 of %d.", n->valueint);
    gk_buf_puts(b, " <span class=\"exstep\">");
    esc(b, line);
    gk_buf_puts(b, "</span>");
    return;
  }
  snprintf(line, sizeof line, "This week: step %d of %d", st->valueint,
           n->valueint);
  gk_buf_puts(b, "<br><span class=\"exstep\">");
  esc(b, line);
  if (jstr(e, "step_name")) {
    gk_buf_puts(b, ", ");
    esc(b, jstr(e, "step_name"));
  }
  if (st->valueint > 1 && jstr(e, "step_dose")) {
    gk_buf_puts(b, ": ");
    esc(b, jstr(e, "step_dose"));
  }
  snprintf(line, sizeof line,
           "; %d session%s in the last 14 days (adherence %.0f%%).",
           k->valueint, k->valueint == 1 ? "" : "s", 100 * ad->valuedouble);
  esc(b, line);
  gk_buf_puts(b, "</span>");
  if (jstr(e, "next")) {
    gk_buf_puts(b, " <span class=\"exnext\">");
    esc(b, jstr(e, "next"));
    gk_buf_puts(b, "</span>");
  }
}

/* The runner's exercises: a figure, the instructions and the dose. */
static void runner_exercises(gk_buf *b, const gk__report *r) {
  if (r->plan == NULL) return;
  gk_buf_puts(b, "<section aria-labelledby=\"s-doex\"><h2 id=\"s-doex\">"
                 "Your exercises</h2>");
  if (!cJSON_IsArray(r->exercises) || r->exercises->child == NULL) {
    gk_buf_puts(b, "<p>No exercises in this plan.</p></section>");
    return;
  }
  gk_buf_puts(b, "<ol class=\"exlist\">");
  const cJSON *poses =
      cJSON_GetObjectItemCaseSensitive(r->figures_data, "figures");
  for (const cJSON *e = r->exercises->child; e; e = e->next) {
    const char *name = jstr(e, "name"), *id = jstr(e, "id");
    if (name == NULL) name = id ? id : "Exercise";
    gk_buf_puts(b, "<li class=\"ex\">");
    const cJSON *pose =
        id ? cJSON_GetObjectItemCaseSensitive(poses, id) : NULL;
    if (pose) {
      gk_buf sv = {0};
      if (gk__exercise_figure_svg(pose, name, 64, &sv) == GK_OK && !sv.oom)
        gk_buf_put(b, sv.data, sv.len);
      gk_buf_free(&sv);
    }
    gk_buf_puts(b, "<div><strong>");
    esc(b, name);
    gk_buf_puts(b, "</strong>");
    if (jstr(e, "instructions")) {
      gk_buf_puts(b, " ");
      esc(b, jstr(e, "instructions"));
    }
    if (jstr(e, "dose")) {
      gk_buf_puts(b, " <em>");
      esc(b, jstr(e, "dose"));
      gk_buf_puts(b, "</em>");
    }
    exercise_step_html(b, e);
    gk_buf_puts(b, "</div></li>");
  }
  gk_buf_puts(b, "</ol></section>");
}

/* The plan's education points, each with its source. */
static void education_section(gk_buf *b, const gk__report *r) {
  if (r->education == NULL || r->education->child == NULL) return;
  gk_buf_puts(b, "<section aria-labelledby=\"s-education\"><h2 "
                 "id=\"s-education\">Good to know</h2><ul>");
  for (const cJSON *e = r->education->child; e; e = e->next) {
    if (!cJSON_IsString(e) || e->valuestring == NULL) continue;
    gk_buf_puts(b, "<li>");
    text_with_source(b, e->valuestring);
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "</ul></section>");
}

static void findings_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-findings\"><h2 id=\"s-findings\">"
                 "What gaitkeeper found</h2>");
  if (r->n_findings == 0) {
    gk_buf_puts(b, "<p>No findings: nothing in your runs, pain log");
    gk_buf_puts(b, r->gait ? ", gait capture" : "");
    gk_buf_puts(b, r->plan ? " or plan" : "");
    gk_buf_puts(b, " crossed a rule's threshold.</p>");
  } else {
    size_t counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < r->n_findings; i++)
      if (r->findings[i].severity >= 0 && r->findings[i].severity <= 3 &&
          r->findings[i].repeat_of == -1)
        counts[r->findings[i].severity]++;
    gk__bprintf(b, "<p>%zu finding%s, most important first: %zu warning%s, "
                   "%zu caution%s, %zu for information.",
                r->n_shown, r->n_shown == 1 ? "" : "s",
                counts[2] + counts[3], counts[2] + counts[3] == 1 ? "" : "s",
                counts[1], counts[1] == 1 ? "" : "s", counts[0]);
    if (r->n_findings > r->n_shown)
      gk__bprintf(b, " A finding that came up more than once is shown once, "
                     "the most recent, with the dates of the other %zu.",
                  r->n_findings - r->n_shown);
    gk_buf_puts(b, "</p>");
    for (size_t i = 0; i < r->n_findings; i++)
      if (r->findings[i].repeat_of == -1) finding_html(b, r, i);
    if (r->n_findings_dropped)
      gk__bprintf(b, "<p class=\"note\">%zu more findings are not shown.</p>",
                  r->n_findings_dropped);
  }
  gk_buf_puts(b, "</section>");
}

static void load_section(gk_buf *b, const gk__report *r) {
  const gk_load_report *l = r->load;
  gk_buf_puts(b, "<section aria-labelledby=\"s-load\"><h2 id=\"s-load\">"
                 "Training load and pain</h2>");
  if (r->in->n_runs == 0) {
    gk_buf_puts(b, "<p class=\"box\">No runs yet: import your watch's files "
                   "(FIT, GPX or TCX) with <code>gaitkeeper import "
                   "FOLDER</code>, and log pain with <code>gaitkeeper pain "
                   "add</code>.</p>");
  }
  gk_buf_puts(b, "<figure>");
  gk__svg_weekly(b, r);
  gk_buf_puts(b, "<figcaption>Weekly distance, weeks starting on Monday; the "
                 "last bar is this week so far.</figcaption></figure>");
  gk_buf_puts(b, "<figure>");
  gk__svg_daily(b, r);
  gk_buf_puts(b, "<ul class=\"legend\">");
  legend_item(b, "sw-run", "run (km)");
  legend_item(b, "sw-spike", "spike: over 10% longer than the longest of the "
                             "30 days before");
  legend_item(b, "sw-ref", "longest run in the 30 days before");
  legend_item(b, "sw-gap", "rest gap (more than 7 days)");
  legend_item(b, "sw-pain", "pain during (0-10, right axis)");
  legend_item(b, "sw-morning", "pain next morning (0-10)");
  gk_buf_puts(b, "</ul><figcaption>The last 16 weeks, one bar per day.");
  gk_buf_puts(b, "</figcaption></figure>");

  gk_buf_puts(b, "<dl>");
  gk_buf_puts(b, "<dt>Runs analysed</dt><dd>");
  gk__bprintf(b, "%zu", l->n_runs);
  if (l->n_runs) {
    gk_buf_puts(b, ", ");
    day_long(b, l->first_run_day);
    gk_buf_puts(b, " to ");
    day_long(b, l->last_run_day);
  }
  gk_buf_puts(b, "</dd><dt>Longest run, 30 days before today</dt><dd>");
  if (isfinite(l->longest_run_30d_m))
    gk__bprintf(b, "%.1f km", l->longest_run_30d_m / 1000);
  else
    gk_buf_puts(b, "none");
  gk_buf_puts(b, "</dd>");
  char brk[160];
  if (gk__report_break(r, brk, sizeof brk)) {
    gk_buf_puts(b, "<dt>Latest break</dt><dd>");
    esc(b, brk);
    gk_buf_puts(b, "</dd><dt>Longest run since the break, 30 days before "
                   "today</dt><dd>");
    if (isfinite(l->longest_run_30d_since_break_m))
      gk__bprintf(b, "%.1f km", l->longest_run_30d_since_break_m / 1000);
    else
      gk_buf_puts(b, "none");
    gk_buf_puts(b, "</dd>");
  }
  if (isfinite(l->two_week_ratio))
    gk__bprintf(b, "<dt>Last 2 weeks against the 2 before</dt><dd>%.2f &#215; "
                   "distance</dd>", l->two_week_ratio);
  if (isfinite(l->acwr))
    gk__bprintf(b, "<dt>Acute:chronic ratio</dt><dd>%.2f (disputed; "
                   "information only)</dd>", l->acwr);
  gk_buf_puts(b, "</dl></section>");
}

static void cadence_section(gk_buf *b, const gk__report *r) {
  const gk_cadence_fit *c = &r->load->cadence;
  gk_buf_puts(b, "<section aria-labelledby=\"s-cadence\"><h2 id=\"s-cadence\">"
                 "Cadence and speed</h2>");
  gk_buf_puts(b, "<p>Cadence rises with speed, so runs at different paces are "
                 "compared at one speed (3.0 m/s, about 5:33 per km). ");
  gk__chart_desc_cadence(b, r);
  gk_buf_puts(b, "</p><figure>");
  gk__svg_cadence_speed(b, r);
  gk_buf_puts(b, "<ul class=\"legend\">");
  legend_item(b, "sw-new", "run of the last 30 days");
  legend_item(b, "sw-old", "older run (up to 90 days)");
  legend_item(b, "sw-ref", "your cadence-speed line");
  if (isfinite(r->cadence_target_spm)) legend_item(b, "sw-target", "target");
  gk_buf_puts(b, "</ul></figure><figure>");
  gk__svg_cadence_time(b, r);
  gk_buf_puts(b, "<ul class=\"legend\">");
  legend_item(b, "sw-run", "cadence (steps/min, left axis)");
  legend_item(b, "sw-speed", "speed (m/s, right axis)");
  gk_buf_puts(b, "</ul><figcaption>Each run of the last 26 weeks.</figcaption>"
                 "</figure>");
  if (c->source) {
    gk_buf_puts(b, "<p class=\"evidence\">Evidence: ");
    esc(b, c->source);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "</section>");
}

/* One stored pose ({"label", "frame", "points": {name: [x, y]}}) drawn as
   a stick figure (stick_figure.c) in a <figure> with its label; 1 when
   drawn. */
static int figure(gk_buf *b, const cJSON *f) {
  enum { MAX_POINTS = 64 };
  const cJSON *pts = cJSON_GetObjectItemCaseSensitive(f, "points");
  if (!cJSON_IsObject(pts)) return 0;
  double xy[MAX_POINTS * 2];
  const char *names[MAX_POINTS];
  size_t n = 0;
  for (const cJSON *p = pts->child; p && n < MAX_POINTS; p = p->next) {
    const cJSON *x = cJSON_GetArrayItem(p, 0), *y = cJSON_GetArrayItem(p, 1);
    if (p->string == NULL || !cJSON_IsNumber(x) || !cJSON_IsNumber(y))
      continue;
    names[n] = p->string;
    xy[n * 2] = x->valuedouble;
    xy[n * 2 + 1] = y->valuedouble;
    n++;
  }
  struct gk_gait_figure fig;
  memset(&fig, 0, sizeof fig);
  const char *label = jstr(f, "label");
  snprintf(fig.label, sizeof fig.label, "%s", label ? label : "pose");
  fig.n_points = n;
  fig.xy = xy;
  fig.point_names = names;
  const char *measure = jstr(f, "measure");
  if (measure) snprintf(fig.measure, sizeof fig.measure, "%s", measure);
  /* a still from the video (checked as base64 by the figure's writer) */
  const cJSON *photo = cJSON_GetObjectItemCaseSensitive(f, "photo");
  const cJSON *crop = cJSON_GetObjectItemCaseSensitive(photo, "crop");
  const char *jpeg = jstr(photo, "jpeg_base64");
  if (jpeg && cJSON_GetArraySize(crop) == 4) {
    int good = 1;
    for (int k = 0; k < 4; k++) {
      const cJSON *c = cJSON_GetArrayItem(crop, k);
      if (!cJSON_IsNumber(c)) good = 0;
      else fig.photo_crop[k] = c->valuedouble;
    }
    if (good) fig.photo_b64 = (char *)jpeg; /* borrowed; not freed here */
  }
  gk_buf svg = {0};
  int ok = n > 0 && gk_stick_figure_svg(&fig, 220, &svg) == GK_OK && !svg.oom;
  if (ok) {
    gk_buf_puts(b, "<figure>");
    gk_buf_put(b, svg.data, svg.len);
    gk_buf_puts(b, "<figcaption>");
    esc(b, fig.label);
    gk_buf_puts(b, "</figcaption></figure>");
  }
  gk_buf_free(&svg);
  return ok;
}

static void gait_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-gait\"><h2 id=\"s-gait\">"
                 "Running gait</h2>");
  if (r->gait == NULL) {
    gk_buf_puts(b, "<p class=\"box\">");
    if (r->gait_unreadable) {
      gk_buf_puts(b, "The stored gait capture could not be read (it is not "
                     "valid JSON); analyse the video again with "
                     "<code>gaitkeeper gait</code>.");
    } else {
      esc(b, text_item(r, "film_yourself"));
    }
    gk_buf_puts(b, "</p></section>");
    return;
  }
  const char *kind = jstr(r->gait, "kind"), *view = jstr(r->gait, "view");
  const cJSON *ns = cJSON_GetObjectItemCaseSensitive(r->gait, "n_steps");
  const cJSON *fps = cJSON_GetObjectItemCaseSensitive(r->gait, "fps");
  gk_buf_puts(b, "<p>");
  esc(b, kind && strcmp(kind, "3d") == 0 ? "3D motion capture" : "Video (2D pose keypoints)");
  if (view && (!kind || strcmp(kind, "3d") != 0)) {
    gk_buf_puts(b, ", ");
    esc(b, view);
    gk_buf_puts(b, " view");
  }
  if (cJSON_IsNumber(fps)) gk__bprintf(b, ", %g frames/s", fps->valuedouble);
  const cJSON *nl = cJSON_GetObjectItemCaseSensitive(ns, "left"),
              *nr = cJSON_GetObjectItemCaseSensitive(ns, "right");
  if (cJSON_IsNumber(nl) && cJSON_IsNumber(nr))
    gk__bprintf(b, ", %g left and %g right steps", nl->valuedouble,
                nr->valuedouble);
  if (r->in->gait_day != INT64_MIN) {
    gk_buf_puts(b, ", recorded ");
    day_long(b, r->in->gait_day);
  }
  gk_buf_puts(b, ".</p>");

  int any = 0;
  for (size_t i = 0; i < r->n_metrics; i++)
    if (!r->metrics[i].refused) any = 1;
  if (any) {
    gk_buf_puts(b, "<figure>");
    gk__svg_gait_bands(b, r);
    gk_buf_puts(b, "<ul class=\"legend\">");
    legend_item(b, "sw-left", "left (L)");
    legend_item(b, "sw-right", "right (R)");
    legend_item(b, "sw-band", "reference band (orientation only)");
    gk_buf_puts(b, "</ul></figure>");
  }
  gk_buf_puts(b, "<div class=\"tbl\"><table class=\"cards\"><thead><tr><th scope=\"col\">"
                 "Measure</th><th scope=\"col\">Left</th><th scope=\"col\">"
                 "Right</th><th scope=\"col\">Asymmetry</th><th scope=\"col\">"
                 "Reference</th><th scope=\"col\">How reliable</th></tr>"
                 "</thead><tbody>");
  for (size_t i = 0; i < r->n_metrics; i++) {
    const gk__rmetric *m = &r->metrics[i];
    const char *u = m->unit ? m->unit : "";
    if (m->refused) continue; /* listed in one line below the table */
    gk_buf_puts(b, "<tr><th scope=\"row\">");
    esc(b, m->label);
    gk_buf_puts(b, "</th>");
    if (m->per_side) {
      gk_buf_puts(b, "<td class=\"num\" data-label=\"Left\">");
      if (isfinite(m->left)) gk__besc_printf(b, "%.1f %s", m->left, u);
      else gk_buf_puts(b, "&#8212;");
      gk_buf_puts(b, "</td><td class=\"num\" data-label=\"Right\">");
      if (isfinite(m->right)) gk__besc_printf(b, "%.1f %s", m->right, u);
      else gk_buf_puts(b, "&#8212;");
      gk_buf_puts(b, "</td><td class=\"num\" data-label=\"Asymmetry\">");
      if (isfinite(m->asymmetry)) {
        gk__besc_printf(b, "%+.1f %s", m->asymmetry, u);
        if (isfinite(m->asymmetry_pct))
          gk__besc_printf(b, " (%.0f%%)", m->asymmetry_pct);
      } else {
        gk_buf_puts(b, "&#8212;");
      }
      gk_buf_puts(b, "</td>");
    } else {
      gk_buf_puts(b, "<td colspan=\"3\" class=\"num\" data-label=\"Value\">");
      if (isfinite(m->value)) gk__besc_printf(b, "%.1f %s", m->value, u);
      else gk_buf_puts(b, "&#8212;");
      gk_buf_puts(b, "</td>");
    }
    gk_buf_puts(b, "<td data-label=\"Reference\">");
    if (isfinite(m->band_low)) {
      if (m->band_low == m->band_high)
        gk__besc_printf(b, "about %.0f %s at this speed", m->band_low, u);
      else
        gk__besc_printf(b, "%g to %g %s", m->band_low, m->band_high, u);
    } else {
      gk_buf_puts(b, "no published band");
    }
    if (m->band_source && strcmp(m->band_source, "none") != 0) {
      gk_buf_puts(b, "<br><span class=\"evidence\">");
      esc(b, m->band_source);
      gk_buf_puts(b, "</span>");
    }
    gk_buf_puts(b, "</td><td data-label=\"How reliable\">");
    if (m->quality) esc(b, m->quality);
    if (m->note) {
      gk_buf_puts(b, m->quality ? ": " : "");
      esc(b, m->note);
    }
    gk_buf_puts(b, "</td></tr>");
  }
  if (r->n_metrics == 0)
    gk_buf_puts(b, "<tr><td colspan=\"6\">The capture holds no measures.</td></tr>");
  gk_buf_puts(b, "</tbody></table></div>");
  size_t n_refused = 0;
  for (size_t i = 0; i < r->n_metrics; i++)
    if (r->metrics[i].refused) {
      gk_buf_puts(b, n_refused++ ? ", " : "<p class=\"note\">Not measurable "
                                        "from this view: ");
      esc(b, r->metrics[i].label);
    }
  if (n_refused) gk_buf_puts(b, ".</p>");

  const cJSON *notes = cJSON_GetObjectItemCaseSensitive(r->gait, "notes");
  gk_buf_puts(b, "<h3>Quality notes</h3>");
  if (cJSON_IsArray(notes) && notes->child) {
    gk_buf_puts(b, "<ul>");
    for (const cJSON *c = notes->child; c; c = c->next) {
      gk_buf_puts(b, "<li>");
      json_text(b, c);
      gk_buf_puts(b, "</li>");
    }
    gk_buf_puts(b, "</ul>");
  } else {
    gk_buf_puts(b, "<p>The analysis left no quality notes.</p>");
  }
  gk_buf_puts(b, "<p class=\"note\">Reference bands are what studies saw in "
                 "groups of runners: orientation, not a diagnosis. Where a "
                 "band is missing, no published value was found.</p>");

  gk_buf_puts(b, "<h3>Stick figures at initial contact</h3>");
  const cJSON *figs = cJSON_GetObjectItemCaseSensitive(r->gait, "figures");
  int nfig = cJSON_IsArray(figs) ? cJSON_GetArraySize(figs) : 0;
  if (r->in->stick_figures_svg) {
    gk_buf_puts(b, "<figure>");
    gk_buf_puts(b, r->in->stick_figures_svg);
    gk_buf_puts(b, "</figure>");
  } else if (nfig > 0) {
    int drawn = 0;
    gk_buf_puts(b, "<div class=\"figs\">");
    for (const cJSON *f = figs->child; f; f = f->next) drawn += figure(b, f);
    gk_buf_puts(b, "</div>");
    if (drawn == 0)
      gk_buf_puts(b, "<p>The stored poses have too few points to draw.</p>");
  } else {
    gk_buf_puts(b, "<p>No poses were stored with this capture, so there are "
                   "no stick figures.</p>");
  }
  gk_buf_puts(b, "</section>");
}

static void exercises_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-exercises\"><h2 id=\"s-exercises\">"
                 "Why these exercises</h2>");
  if (r->plan == NULL) {
    gk_buf_puts(b, "<p>Exercises come with the plan, and there is no plan "
                   "yet.</p></section>");
    return;
  }
  if (!cJSON_IsArray(r->exercises) || r->exercises->child == NULL) {
    gk_buf_puts(b, "<p>No exercises in this plan.</p></section>");
    return;
  }
  gk_buf_puts(b, "<div class=\"tbl\"><table><thead><tr><th scope=\"col\">"
                 "Exercise</th><th scope=\"col\">Why</th></tr></thead><tbody>");
  for (const cJSON *e = r->exercises->child; e; e = e->next) {
    const char *name = jstr(e, "name");
    gk_buf_puts(b, "<tr><th scope=\"row\">");
    esc(b, name ? name : jstr(e, "id") ? jstr(e, "id") : "exercise");
    gk_buf_puts(b, "</th><td>");
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(e, "why");
    if (cJSON_IsArray(why)) {
      /* the findings' titles, then the gates not met as one list, then
         the rest (a stage's core exercise) */
      int first = 1, gates = 0;
      char label[256];
      for (int pass = 0; pass < 3; pass++)
        for (const cJSON *w = why->child; w; w = w->next) {
          if (!cJSON_IsString(w)) continue;
          int gate = strncmp(w->valuestring, "gate.", 5) == 0 &&
                     gk__report_gate_label(r, w->valuestring + 5, label,
                                           sizeof label);
          int stage = strncmp(w->valuestring, "stage.", 6) == 0;
          if (pass != (gate ? 1 : stage ? 2 : 0)) continue;
          if (gate) {
            /* two gates may share a label (pain during running, stages 1
               and 4): once */
            int seen = 0;
            char other[256];
            for (const cJSON *o = why->child; o && o != w && !seen; o = o->next)
              seen = cJSON_IsString(o) &&
                     strncmp(o->valuestring, "gate.", 5) == 0 &&
                     gk__report_gate_label(r, o->valuestring + 5, other,
                                           sizeof other) &&
                     strcmp(other, label) == 0;
            if (seen) continue;
            gk_buf_puts(b, gates++ ? "; " : first ? "Gates not met yet: "
                                                  : ". Gates not met yet: ");
            esc(b, label);
          } else {
            if (!first) gk_buf_puts(b, gates ? ". " : "; ");
            code_title(b, r, w->valuestring);
            gates = 0;
          }
          first = 0;
        }
    } else {
      json_text(b, why);
    }
    gk_buf_puts(b, "</td></tr>");
  }
  gk_buf_puts(b, "</tbody></table></div></section>");
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

/* The walk/run phases as a table: phase, walk/run pattern, repeats,
   distance and effort; the phase to start at is marked. */
static void phases_table(gk_buf *b, const cJSON *phases, double current) {
  gk_buf_puts(b, "<div class=\"tbl\"><table class=\"cards\"><thead><tr>"
                 "<th scope=\"col\">Phase</th><th scope=\"col\">Walk/run "
                 "pattern</th><th scope=\"col\">Repeats</th><th "
                 "scope=\"col\">Distance</th><th scope=\"col\">Effort (RPE "
                 "0-10)</th></tr></thead><tbody>");
  for (const cJSON *ph = phases->child; ph; ph = ph->next) {
    double n = jnum(ph, "phase"), walk = jnum(ph, "walk_min"),
           run = jnum(ph, "run_min"), rep = jnum(ph, "repeats"),
           cont = jnum(ph, "continuous_min"), km = jnum(ph, "total_km"),
           rpe = jnum(ph, "rpe");
    int here = isfinite(n) && n == current;
    gk_buf_puts(b, here ? "<tr class=\"current\">" : "<tr>");
    gk_buf_puts(b, "<th scope=\"row\">");
    if (isfinite(n)) gk__bprintf(b, "Phase %g", n);
    else gk_buf_puts(b, "&#8212;");
    if (here) gk_buf_puts(b, " (start here)");
    gk_buf_puts(b, "</th><td data-label=\"Walk/run pattern\">");
    if (isfinite(cont) && cont > 0)
      gk__besc_printf(b, "%g min continuous running", cont);
    else if (isfinite(walk) && isfinite(run))
      gk__besc_printf(b, "%g min walk, %g min run", walk, run);
    else
      gk_buf_puts(b, "&#8212;");
    gk_buf_puts(b, "</td><td class=\"num\" data-label=\"Repeats\">");
    if (isfinite(rep)) gk__besc_printf(b, "%g", rep);
    else gk_buf_puts(b, "&#8212;");
    gk_buf_puts(b, "</td><td class=\"num\" data-label=\"Distance\">");
    if (isfinite(km)) gk__besc_printf(b, "about %.1f km", km);
    else gk_buf_puts(b, "&#8212;");
    gk_buf_puts(b, "</td><td class=\"num\" data-label=\"Effort\">");
    if (isfinite(rpe)) gk__besc_printf(b, "%g", rpe);
    else gk_buf_puts(b, "&#8212;");
    gk_buf_puts(b, "</td></tr>");
  }
  gk_buf_puts(b, "</tbody></table></div>");
}

/* The members of the running prescription the section shows in its own
   form; any other member is listed by name. */
static int running_known(const char *k) {
  static const char *const known[] = {
      "mode", "text", "phase", "phases", "progression_rules",
      "walk_run_source", "rest_days_max", "max_single_run_m", "cap_factor",
      "pain_limits", "phase_change", "phase_runs_done", "phase_rule",
      "days_without_running", "rest_alert", "rest_alert_source",
      "before_running"};
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (k && strcmp(k, known[i]) == 0) return 1;
  return 0;
}

static void running_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-running\"><h2 id=\"s-running\">"
                 "Running plan and cadence target</h2>");
  if (r->plan == NULL) {
    gk_buf_puts(b, "<p>The running prescription comes with the plan, and "
                   "there is no plan yet.</p>");
  } else if (cJSON_IsObject(r->running) && r->running->child) {
    const cJSON *run = r->running;
    const char *text = jstr(run, "text");
    if (text) {
      gk_buf_puts(b, "<p class=\"box\">");
      esc(b, text);
      gk_buf_puts(b, "</p>");
    }
    const cJSON *phases = cJSON_GetObjectItemCaseSensitive(run, "phases");
    double phase = jnum(run, "phase");
    if (cJSON_IsArray(phases) && phases->child) {
      gk_buf_puts(b, "<h3>Walk/run phases</h3>");
      if (!gk__report_running_prescribed(r))
        gk_buf_puts(b, "<p>The way back once running starts again, from "
                       "phase 1.</p>");
      else if (isfinite(phase) && phase >= 1)
        gk__bprintf(b, "<p>Start at phase %g of %d.</p>", phase,
                    cJSON_GetArraySize(phases));
      phases_table(b, phases, gk__report_running_prescribed(r) ? phase : NAN);
      const char *src = jstr(run, "walk_run_source");
      if (src) {
        gk_buf_puts(b, "<p class=\"evidence\">Phases: ");
        esc(b, src);
        gk_buf_puts(b, ".</p>");
      }
    }
    const cJSON *rules =
        cJSON_GetObjectItemCaseSensitive(run, "progression_rules");
    if (cJSON_IsArray(rules) && rules->child) {
      gk_buf_puts(b, "<h3>Moving on to the next phase</h3><ul>");
      for (const cJSON *c = rules->child; c; c = c->next) {
        gk_buf_puts(b, "<li>");
        json_text(b, c);
        gk_buf_puts(b, "</li>");
      }
      gk_buf_puts(b, "</ul>");
    }
    const char *prule = jstr(run, "phase_rule");
    if (prule && gk__report_running_prescribed(r)) {
      gk_buf_puts(b, "<p>How gaitkeeper moves you on: ");
      esc(b, prule);
      gk_buf_puts(b, "</p>");
    }
    gk_buf_puts(b, "<dl>");
    double cap = jnum(run, "max_single_run_m"), f = jnum(run, "cap_factor");
    if (isfinite(cap) && gk__report_running_capped(r)) {
      gk__bprintf(b, "<dt>Longest single run</dt><dd>at most %.1f km", cap / 1000);
      if (isfinite(f))
        gk__bprintf(b, " (%g &#215; your longest run of the 30 days before)", f);
      gk_buf_puts(b, "</dd>");
    }
    double rest = jnum(run, "rest_days_max");
    if (isfinite(rest))
      gk__bprintf(b, "<dt>Rest</dt><dd>never more than %g days in a row</dd>",
                  rest);
    /* the pain limits: stated once, on the runner's sheet */
    for (const cJSON *c = run->child; c; c = c->next) {
      if (running_known(c->string)) continue;
      gk_buf_puts(b, "<dt>");
      key_title(b, c->string);
      gk_buf_puts(b, "</dt><dd>");
      json_text(b, c);
      gk_buf_puts(b, "</dd>");
    }
    gk_buf_puts(b, "</dl>");
  } else if (r->running) {
    gk_buf_puts(b, "<p>");
    json_text(b, r->running);
    gk_buf_puts(b, "</p>");
  } else {
    gk_buf_puts(b, "<p>The plan holds no running prescription.</p>");
  }
  gk_buf_puts(b, "<h3>Cadence target</h3><p>");
  const gk_cadence_fit *c = &r->load->cadence;
  if (r->plan && !gk__report_running_prescribed(r)) {
    /* no target while no running is prescribed: the plan's reason */
    const char *why = jstr(r->cadence, "reason");
    gk_buf_puts(b, "None while no running is prescribed");
    if (why && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r->cadence,
                                                             "deferred"))) {
      gk_buf_puts(b, ": ");
      esc(b, why);
      gk_buf_puts(b, " ");
    } else {
      gk_buf_puts(b, ": cadence work starts with the runs. ");
    }
  } else if (isfinite(r->cadence_target_spm)) {
    gk__besc_printf(b, "Target about %.0f steps/min", r->cadence_target_spm);
    if (isfinite(r->cadence_baseline_spm))
      gk__besc_printf(b, ", from your baseline of %.0f steps/min (+%.0f%%)",
                      r->cadence_baseline_spm,
                      100 * (r->cadence_target_spm / r->cadence_baseline_spm - 1));
    gk_buf_puts(b, ". ");
  } else if (isfinite(c->cadence_at_ref_spm) && c->ref_speed_mps > 0) {
    gk__besc_printf(b, "Your baseline: %.0f steps/min at %.1f m/s. No target "
                       "set yet; a target comes with the plan. ",
                    c->cadence_at_ref_spm, c->ref_speed_mps);
  } else {
    gk_buf_puts(b, "Not enough runs with cadence and speed for a baseline. ");
  }
  const cJSON *cb = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(r->bands, "metrics"), "cadence_spm");
  const char *note = jstr(cb, "evidence_note");
  if (note) {
    gk_buf_puts(b, "<span class=\"evidence\">");
    esc(b, note);
    gk_buf_puts(b, ".</span>");
  }
  gk_buf_puts(b, "</p></section>");
}

static void gates_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-gates\"><h2 id=\"s-gates\">"
                 "Gates to the next stage</h2>");
  if (r->plan == NULL) {
    gk_buf_puts(b, "<p>The gates come with the plan, and there is no plan "
                   "yet.</p></section>");
    return;
  }
  if (!cJSON_IsArray(r->gates) || r->gates->child == NULL) {
    gk_buf_puts(b, "<p>No gates: this is the last stage, or the plan lists "
                   "none.</p></section>");
    return;
  }
  int n_met = 0, n = 0, unknown = 0;
  for (const cJSON *g = r->gates->child; g; g = g->next, n++) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(g, "met");
    n_met += cJSON_IsTrue(m);
    unknown += !cJSON_IsBool(m);
  }
  gk__bprintf(b, "<p>%d of %d met", n_met, n);
  if (unknown) gk__bprintf(b, "; %d not measured", unknown);
  gk_buf_puts(b, ".</p>");
  gk_buf_puts(b, "<div class=\"tbl\"><table><thead><tr><th scope=\"col\">Gate"
                 "</th><th scope=\"col\">Target</th><th scope=\"col\">Now</th>"
                 "<th scope=\"col\">Met</th></tr></thead><tbody>");
  for (const cJSON *g = r->gates->child; g; g = g->next) {
    const cJSON *met = cJSON_GetObjectItemCaseSensitive(g, "met");
    const char *cmp = jstr(g, "comparison"), *unit = jstr(g, "unit");
    gk_buf_puts(b, "<tr><th scope=\"row\">");
    json_text(b, cJSON_GetObjectItemCaseSensitive(
                     g, jstr(g, "label") ? "label" : "name"));
    gk_buf_puts(b, "</th><td>");
    if (cmp) {
      esc(b, strcmp(cmp, "<=") == 0   ? "at most "
             : strcmp(cmp, ">=") == 0 ? "at least "
                                      : "");
    }
    json_text(b, cJSON_GetObjectItemCaseSensitive(g, "target"));
    /* "3/10", "10 cm" */
    const char *sp = unit && unit[0] != '/' && unit[0] != '%' ? " " : "";
    if (unit) {
      gk_buf_puts(b, sp);
      esc(b, unit);
    }
    gk_buf_puts(b, "</td><td>");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(g, "value");
    json_text(b, value);
    if (unit && cJSON_IsNumber(value)) {
      gk_buf_puts(b, sp);
      esc(b, unit);
    }
    gk_buf_puts(b, "</td><td>");
    gk_buf_puts(b, cJSON_IsTrue(met)      ? "&#10003; met"
                   : cJSON_IsFalse(met)   ? "not yet"
                                          : "not measured");
    gk_buf_puts(b, "</td></tr>");
  }
  gk_buf_puts(b, "</tbody></table></div></section>");
}

/* The plan's re-tests: each test, when it is due and why, with its
   evidence.  Omitted without a plan or when it lists none. */
static void retests_section(gk_buf *b, const gk__report *r) {
  if (r->plan == NULL || r->retests == NULL) return;
  gk_buf_puts(b, "<section aria-labelledby=\"s-retests\"><h2 id=\"s-retests\">"
                 "Tests to repeat</h2><div class=\"tbl\"><table><thead><tr>"
                 "<th scope=\"col\">Test</th><th scope=\"col\">Due</th>"
                 "<th scope=\"col\">Why</th></tr></thead><tbody>");
  const cJSON *t;
  cJSON_ArrayForEach(t, r->retests) {
    const char *src = jstr(t, "source");
    gk_buf_puts(b, "<tr><th scope=\"row\">");
    esc(b, jstr(t, "name") ? jstr(t, "name") : "A test");
    gk_buf_puts(b, "</th><td>");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "due_now")))
      gk_buf_puts(b, "<strong>now</strong>, since ");
    esc(b, jstr(t, "due") ? jstr(t, "due") : "not known");
    gk_buf_puts(b, "</td><td>");
    esc(b, jstr(t, "why") ? jstr(t, "why") : "");
    if (src) {
      gk_buf_puts(b, " <span class=\"evidence\">(");
      esc(b, src);
      gk_buf_puts(b, ")</span>");
    }
    gk_buf_puts(b, "</td></tr>");
  }
  gk_buf_puts(b, "</tbody></table></div></section>");
}

static void clinician_section(gk_buf *b, const gk__report *r) {
  const cJSON *box =
      cJSON_GetObjectItemCaseSensitive(r->text_data, "see_a_clinician");
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(box, "items");
  gk_buf_puts(b, "<section class=\"clinician\" aria-labelledby=\"s-clinician\">"
                 "<h2 id=\"s-clinician\">When to stop and see someone</h2>");
  if (r->refer)
    gk_buf_puts(b, "<p><strong>Your data already shows a reason to see one: "
                   "see the top of this report.</strong></p>");
  gk_buf_puts(b, "<p>");
  esc(b, jstr(box, "intro"));
  gk_buf_puts(b, "</p><ul>");
  for (const cJSON *i = items ? items->child : NULL; i; i = i->next) {
    gk_buf_puts(b, "<li>");
    esc(b, jstr(i, "text"));
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "</ul></section>");
}

/* The clinician's own entries over the computed plan, each as theirs with
   what it changed (docs/PLAN.md, "The clinician's hand"). */
static void clinician_entries_section(gk_buf *b, const gk__report *r) {
  if (r->clinician == NULL) return;
  gk_buf_puts(b, "<section aria-labelledby=\"s-clin-entries\"><h2 "
                 "id=\"s-clin-entries\">The clinician&#8217;s entries</h2>"
                 "<p>Recorded by the clinician, not computed; applied over the "
                 "plan in date order.</p><ul>");
  gk_buf t = {0};
  for (const cJSON *e = r->clinician->child; e; e = e->next) {
    t.len = 0;
    gk__report_clinician_entry(e, &t);
    gk_buf_puts(b, "<li>");
    if (t.data) esc(b, t.data);
    gk_buf_puts(b, "</li>");
  }
  gk_buf_free(&t);
  gk_buf_puts(b, "</ul></section>");
}

/* The course over weeks (docs/REPORT.md): the stage, the AKPS, the pain log
   and the screen's values over time, each chart with what it shows in
   words; left out when the course is missing or not a course, and saying
   what to record when it is empty. */
static void course_section(gk_buf *b, const gk__report *r) {
  const gk__rcourse *c = r->crs;
  if (c == NULL) return;
  gk_buf_puts(b, "<section aria-labelledby=\"s-course\"><h2 id=\"s-course\">"
                 "Your course over weeks</h2>");
  if (c->n_days == 0) {
    gk_buf_puts(b, "<p class=\"box\">No course yet: it starts with the first "
                   "visit. Record the intake (<code>gaitkeeper intake</code>) "
                   "with the AKPS answers and the screen (<code>gaitkeeper "
                   "screen</code>) at each visit, and log pain during, after "
                   "and the next morning (<code>gaitkeeper pain add</code>); "
                   "the stage, the AKPS, the pain and the screen's values are "
                   "then drawn over the weeks.</p></section>");
    return;
  }
  gk_buf_puts(b, "<p>Every visit&#8217;s plan worked out again as of its day, "
                 "from what was recorded by then.");
  if (c->days_left_out)
    gk__bprintf(b, " %zu older days are left out.", c->days_left_out);
  gk_buf_puts(b, "</p><h3>Stage over time</h3><figure>");
  gk__svg_course_stage(b, r);
  gk_buf_puts(b, "<ul class=\"legend\">");
  legend_item(b, "sw-new", "stage (0 refer, 1 to 4)");
  legend_item(b, "sw-prov", "provisional: hollow, dashed");
  legend_item(b, "sw-clin", "set by the clinician");
  legend_item(b, "sw-visit", "visit (intake or screen)");
  legend_item(b, "sw-change", "change of stage, numbered as below");
  gk_buf_puts(b, "</ul><figcaption>Each day with a record and one a week "
                 "between.</figcaption></figure>");
  if (c->n_changes == 0) {
    gk_buf_puts(b, "<p>No change of stage yet.</p>");
  } else {
    gk_buf_puts(b, "<ol class=\"changes\">");
    gk_buf t = {0};
    for (size_t i = 0; i < c->n_changes; i++) {
      t.len = 0;
      gk__course_change_text(&t, &c->changes[i]);
      gk_buf_puts(b, "<li>");
      if (t.data && !t.oom) gk__report_put_n(b, t.data, t.len, esc);
      gk_buf_puts(b, "</li>");
    }
    gk_buf_free(&t);
    gk_buf_puts(b, "</ol>");
  }

  gk_buf_puts(b, "<h3>AKPS over time</h3>");
  if (c->n_akps == 0) {
    gk_buf_puts(b, "<p class=\"box\">No AKPS yet: answer the 13 AKPS "
                   "questions in the intake (<code>gaitkeeper intake</code>) "
                   "at each visit.</p>");
  } else {
    gk_buf_puts(b, "<figure>");
    gk__svg_course_akps(b, r);
    gk_buf_puts(b, "<ul class=\"legend\">");
    legend_item(b, "sw-new", "AKPS at an intake (0-100, higher is better)");
    if (isfinite(c->akps_mic))
      legend_item(b, "sw-band", "no important change from the first score");
    gk_buf_puts(b, "</ul><figcaption>");
    gk__course_desc_akps(b, r);
    gk_buf_puts(b, "</figcaption></figure>");
    if (c->akps_mic_source) {
      gk_buf_puts(b, "<p class=\"evidence\">Minimal important change: ");
      esc(b, c->akps_mic_source);
      gk_buf_puts(b, "</p>");
    }
  }

  gk_buf_puts(b, "<h3>Pain over time</h3>");
  gk_buf pain = {0};
  if (gk__svg_course_pain(&pain, r)) {
    gk_buf_puts(b, "<figure>");
    gk_buf_put(b, pain.data, pain.len);
    gk_buf_puts(b, "<ul class=\"legend\">");
    legend_item(b, "sw-pain", "during the run");
    legend_item(b, "sw-after", "after it");
    legend_item(b, "sw-morning", "the next morning");
    legend_item(b, "sw-limit", "the pain limit during running");
    if (isfinite(c->pain_mic))
      legend_item(b, "sw-band", "the first week's mean pain during, plus or "
                                "minus the minimal important change");
    gk_buf_puts(b, "</ul><figcaption>From the pain log, since the first "
                   "day of the course.</figcaption></figure>");
    if (c->pain_mic_source) {
      gk_buf_puts(b, "<p class=\"evidence\">Minimal important change: ");
      esc(b, c->pain_mic_source);
      gk_buf_puts(b, "</p>");
    }
  } else {
    gk_buf_puts(b, "<p class=\"box\">No pain logged since the course began: "
                   "after each run, log pain during, after and the next "
                   "morning (0-10) with <code>gaitkeeper pain add</code>.</p>");
  }
  if (pain.oom) b->oom = 1;
  gk_buf_free(&pain);

  gk_buf_puts(b, "<h3>The screen over time</h3>");
  size_t idx[8];
  size_t n = gk__course_screen_gates(r, idx, 8);
  if (n == 0) {
    gk_buf_puts(b, "<p class=\"box\">No screen values yet: record the screen "
                   "(<code>gaitkeeper screen</code>: knee-to-wall, single-leg "
                   "bridges, calf raises) at each visit.</p>");
  } else {
    gk_buf_puts(b, "<div class=\"multiples\">");
    for (size_t i = 0; i < n; i++) {
      const cJSON *g = cJSON_GetArrayItem(
          cJSON_GetObjectItemCaseSensitive(r->course, "gates"), (int)idx[i]);
      char label[256];
      gk__report_short_label(jstr(g, "label") ? jstr(g, "label") : "",
                             label, sizeof label);
      gk_buf_puts(b, "<figure><figcaption class=\"gate\">");
      esc(b, label);
      gk_buf_puts(b, "</figcaption>");
      gk__svg_course_gate(b, r, idx[i]);
      gk_buf_puts(b, "</figure>");
    }
    gk_buf_puts(b, "</div><ul class=\"legend\">");
    legend_item(b, "sw-new", "value at a visit");
    legend_item(b, "sw-target", "the gate's target");
    gk_buf_puts(b, "</ul>");
  }
  gk_buf_puts(b, "</section>");
}

static void sources_section(gk_buf *b, const gk__report *r) {
  gk_buf_puts(b, "<section aria-labelledby=\"s-sources\"><h2 id=\"s-sources\">"
                 "Data sources and dates</h2><ul>");
  for (size_t i = 0; i < r->in->n_sources; i++) {
    const gk_report_source *s = &r->in->sources[i];
    gk_buf_puts(b, "<li><strong>");
    esc(b, s->what ? s->what : "");
    gk_buf_puts(b, "</strong>");
    if (s->day_from != INT64_MIN) {
      gk_buf_puts(b, ", ");
      day_long(b, s->day_from);
      if (s->day_to != INT64_MIN && s->day_to != s->day_from) {
        gk_buf_puts(b, " to ");
        day_long(b, s->day_to);
      }
    }
    if (s->detail) {
      gk_buf_puts(b, ": ");
      esc(b, s->detail);
    }
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "<li><strong>Report</strong>, ");
  day_long(b, r->today);
  gk__bprintf(b, ": made by gaitkeeper %s on this computer; nothing was sent "
                 "anywhere.</li>", gk_version());
  gk_buf_puts(b, "</ul><p class=\"note\">Dates are UTC days. Evidence keys "
                 "refer to the studies named; where the evidence is weak or "
                 "disputed, the text says so.</p></section>");
}

/* The abbreviations of the clinician's part, each explained once
   (data/report_text.json "glossary"). */
static void glossary(gk_buf *b, const gk__report *r) {
  const cJSON *g = cJSON_GetObjectItemCaseSensitive(r->text_data, "glossary");
  if (!cJSON_IsArray(g) || g->child == NULL) return;
  gk_buf_puts(b, "<p class=\"note\">Terms: ");
  int n = 0;
  for (const cJSON *t = g->child; t; t = t->next) {
    const char *term = jstr(t, "term"), *means = jstr(t, "means");
    if (term == NULL || means == NULL) continue;
    if (n++) gk_buf_puts(b, "; ");
    gk_buf_puts(b, "<strong>");
    esc(b, term);
    gk_buf_puts(b, means[0] == '(' ? "</strong> " : "</strong>, ");
    esc(b, means);
  }
  gk_buf_puts(b, ".</p>");
}

gk_status gk_report_html(const gk_report_input *in, gk_buf *out, gk_err *err) {
  if (out == NULL) return GK_E_ARG;
  gk__report r;
  gk_status st = gk__report_build(&r, in);
  if (st != GK_OK) {
    if (err) {
      err->code = st;
      err->msg = st == GK_E_ARG ? "report: invalid input (day out of range or "
                                  "an array without its data)"
                                : "report: out of memory";
    }
    gk__report_free(&r);
    return st;
  }
  gk_buf *b = out;
  unsigned sec = in->sections & GK_REPORT_SEC_ALL;
  if (sec == 0) sec = GK_REPORT_SEC_ALL;
  /* every section (0 or _ALL): the whole page's content, in its order */
  int whole = sec == GK_REPORT_SEC_ALL;
  if (!(in->sections & GK_REPORT_FRAGMENT)) {
    char d[11];
    gk_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                   "charset=\"utf-8\"><meta name=\"viewport\" "
                   "content=\"width=device-width, initial-scale=1\">"
                   "<meta http-equiv=\"Content-Security-Policy\" "
                   "content=\"default-src 'none'; style-src 'unsafe-inline'; "
                   "img-src data:\">"
                   "<meta name=\"color-scheme\" content=\"light\">");
    gk__bprintf(b, "<title>Runner&#39;s knee report, %s</title><style>",
                gk_day_format(r.today, d));
    put_css(b);
    gk_buf_puts(b, "</style></head>\n<body><main><header><h1>Runner&#39;s "
                   "knee report</h1><p class=\"meta\">As of ");
    day_long(b, r.today);
    gk_buf_puts(b, ". Made on this computer from your own data; gaitkeeper "
                   "sends nothing anywhere. This report supports, and does "
                   "not replace, a clinician&#39;s examination.</p>"
                   "</header>\n");
  }
  if (sec & GK_REPORT_SEC_TODAY) {
    gk_buf_puts(b, "<div class=\"runner\">");
    if (r.refer) red_flags(b, &r);
    stage_section(b, &r);
    gk_buf_putc(b, '\n');
    runner_exercises(b, &r);
    gk_buf_putc(b, '\n');
    clinician_section(b, &r);
    gk_buf_puts(b, "</div>\n");
  }
  if (whole) {
    gk_buf_puts(b, "<div class=\"clinical\"><h2 id=\"s-for-clinician\">"
                   "For your clinician</h2>");
    glossary(b, &r);
  }
  if ((sec & GK_REPORT_SEC_UNKNOWN) && r.plan) {
    if (!whole)
      gk_buf_puts(b, "<section aria-labelledby=\"s-unknown\"><h2 "
                     "id=\"s-unknown\">What is not yet known</h2>");
    unknown_list(b, &r);
    if (!whole) gk_buf_puts(b, "</section>\n");
  }
  if (sec & GK_REPORT_SEC_FINDINGS) findings_section(b, &r);
  if (whole) {
    clinician_entries_section(b, &r);
    gk_buf_putc(b, '\n');
    course_section(b, &r);
    gk_buf_putc(b, '\n');
  }
  if (sec & GK_REPORT_SEC_LOAD) {
    load_section(b, &r);
    gk_buf_putc(b, '\n');
  }
  if (sec & GK_REPORT_SEC_CADENCE) {
    cadence_section(b, &r);
    gk_buf_putc(b, '\n');
  }
  if (sec & GK_REPORT_SEC_GAIT) {
    gait_section(b, &r);
    gk_buf_putc(b, '\n');
  }
  if (whole) {
    exercises_section(b, &r);
    gk_buf_putc(b, '\n');
  }
  if (sec & GK_REPORT_SEC_RUNNING) {
    running_section(b, &r);
    gk_buf_putc(b, '\n');
  }
  if (whole) {
    gates_section(b, &r);
    gk_buf_putc(b, '\n');
    retests_section(b, &r);
    gk_buf_putc(b, '\n');
    education_section(b, &r);
    gk_buf_putc(b, '\n');
    sources_section(b, &r);
    gk_buf_puts(b, "</div>\n");
  }
  if (!(in->sections & GK_REPORT_FRAGMENT))
    gk_buf_puts(b, "</main></body></html>\n");
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

gk_status gk_report_css(gk_buf *out) {
  if (out == NULL) return GK_E_ARG;
  put_css(out);
  return out->oom ? GK_E_NOMEM : GK_OK;
}
