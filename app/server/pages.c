/*
** pages.c -- the web app's routes and their HTML: server-rendered, usable
** without JavaScript, readable at 390 px, keyboard-usable (labels, real
** buttons and links in reading order).  The report's sections come from
** the report's own writer (gk_report_html with sections), the data from
** the library's one assessment (gk_assess, gk_report_gather).
**
**   GET  /            Today: stage, this week, pain limits, cadence
**                     target, what is unknown
**   GET  /pain        the pain form and the latest entries
**   POST /pain        store an entry (gk_pain_entry_check, the CLI's check)
**   GET  /exercise    the exercise-session form (the plan's exercises)
**   POST /exercise    store a session (gk_record_session, as `done`)
**   GET  /runs        upload form, the runs table, the load chart
**   POST /runs        upload FIT/GPX/TCX files or a zip (upload.c)
**   GET  /gait        the capture upload form, the latest capture's analysis
**   POST /gait        analyse and store a capture (page_gait.c)
**   GET  /intake, /screen; POST them   page_answers.c
**   GET  /runners; POST it             page_runners.c (the patient list)
**   GET  /report      the report in the app, with its exports
**   GET  /report.html the report page exactly as `gaitkeeper report -o`
**   GET  /export/metronome.wav   the metronome at the cadence target
**   GET  /style.css   the style sheet (the report's and the app's)
**   GET  /app.js      the one optional script (upload progress)
**
** Every runner's page is resolved to one runner first (resolve_runner) and
** opens the store scoped to it (gk_srv_open); the header names the runner.
*/
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/assess.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/fit_workout.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"
#include "gaitkeeper/wav.h"
#include "server.h"

static const struct {
  const char *path, *label;
} NAV[] = {{"/", "Today"},         {"/pain", "Log pain"},
           {"/exercise", "Log exercise"}, {"/runs", "Runs"},
           {"/gait", "Gait"},      {"/intake", "Intake"},
           {"/screen", "Screen"},  {"/report", "Report"},
           {"/runners", "Runners"}};

/* The runner whose page this is, for the header (set by gk_srv_route for
   the request this thread serves). */
static _Thread_local char header_runner[GK_RUNNER_NAME_SIZE];

static const char APP_CSS[] =
    "header.app{background:#1f2933;color:#fff;padding:.4rem .8rem}"
    "header.app a{color:#fff}header.app .who{margin:.2rem 0 0}"
    "nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;"
    "gap:.2rem .9rem}nav a{display:inline-block;padding:.35rem .1rem}"
    "nav a[aria-current]{font-weight:700;text-decoration:underline}"
    "a:focus,input:focus,select:focus,textarea:focus,button:focus{outline:"
    "3px solid #f0b429;outline-offset:2px}"
    "form.entry{display:grid;grid-template-columns:minmax(0,1fr);gap:.7rem;"
    "max-width:30rem}form.entry>div{min-width:0}select{width:100%}"
    "form.entry label{display:block;font-weight:600}"
    "input,select,textarea,button{font:inherit;max-width:100%}"
    "input[type=number],input[type=date],select{min-width:8rem}"
    "textarea{width:100%}"
    "button{padding:.45rem 1rem;border:2px solid #1f2933;border-radius:4px;"
    "background:#1f2933;color:#fff;cursor:pointer}"
    ".err{color:#b42318;font-weight:600;margin:.1rem 0}"
    ".ok{background:#e3f9e5;border-left:5px solid #2f8132;padding:.4rem .8rem}"
    ".bad{background:#fde8e8;border-left:5px solid #b42318;padding:.4rem "
    ".8rem}"
    "fieldset{border:1px solid #ccc;border-radius:4px}"
    "img,svg{max-width:100%}"
    "form.entry label.opt{display:block;font-weight:400;padding:.15rem 0}"
    ".help{color:#52606d;font-size:.92em;margin:.1rem 0}"
    ".range{font-weight:400;color:#52606d}"
    "form.inline{display:inline-block;margin:0 .3rem .3rem 0}"
    ".table{overflow-x:auto}"
    "@media print{header.app,nav,form{display:none}}";

void gk_srv_esc(gk_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '&': gk_buf_puts(b, "&amp;"); break;
      case '<': gk_buf_puts(b, "&lt;"); break;
      case '>': gk_buf_puts(b, "&gt;"); break;
      case '"': gk_buf_puts(b, "&quot;"); break;
      case '\'': gk_buf_puts(b, "&#39;"); break;
      default:
        if (c >= 0x20 || c == '\n' || c == '\t') gk_buf_putc(b, (char)c);
    }
  }
}

void gk_srv_escs(gk_buf *b, const char *s) {
  if (s) gk_srv_esc(b, s, strlen(s));
}

void gk_srv_printf(gk_buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) gk_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void gk_srv_page_start(gk_buf *b, const char *title, const char *active) {
  gk_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
                 "charset=\"utf-8\"><meta name=\"viewport\" "
                 "content=\"width=device-width, initial-scale=1\">"
                 "<meta name=\"color-scheme\" content=\"light\"><title>");
  gk_srv_escs(b, title);
  gk_buf_puts(b, " - gaitkeeper</title><link rel=\"icon\" href=\"data:,\">"
                 "<link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body><header class=\"app\">"
                 "<nav aria-label=\"gaitkeeper\"><ul>");
  for (size_t i = 0; i < sizeof NAV / sizeof NAV[0]; i++) {
    gk_buf_puts(b, "<li><a href=\"");
    gk_buf_puts(b, NAV[i].path);
    gk_buf_putc(b, '"');
    if (active && strcmp(active, NAV[i].path) == 0)
      gk_buf_puts(b, " aria-current=\"page\"");
    gk_buf_putc(b, '>');
    gk_buf_puts(b, NAV[i].label);
    gk_buf_puts(b, "</a></li>");
  }
  gk_buf_puts(b, "</ul></nav>");
  if (header_runner[0]) {
    gk_buf_puts(b, "<p class=\"who\">Runner: <strong>");
    gk_srv_escs(b, header_runner);
    gk_buf_puts(b, "</strong> (<a href=\"/runners\">change</a>)</p>");
  }
  gk_buf_puts(b, "</header>\n<main><h1>");
  gk_srv_escs(b, title);
  gk_buf_puts(b, "</h1>\n");
}

void gk_srv_page_end(gk_buf *b) {
  gk_buf_puts(b, "</main><script src=\"/app.js\" defer></script></body>"
                 "</html>\n");
}

/* The app's one script (optional: every page works without it): an upload
   form marked data-progress is sent by XMLHttpRequest so the bytes sent
   show in its <progress>; the server's answer page then replaces this
   one. */
static const char APP_JS[] =
    "'use strict';\n"
    "document.querySelectorAll('form[data-progress]').forEach(function(f){\n"
    " f.addEventListener('submit',function(ev){\n"
    "  if(!window.XMLHttpRequest||!window.FormData)return;\n"
    "  ev.preventDefault();\n"
    "  var box=f.querySelector('.progress'),bar=f.querySelector('progress'),\n"
    "      out=f.querySelector('output'),btn=f.querySelector('button');\n"
    "  if(box)box.hidden=false;if(btn)btn.disabled=true;\n"
    "  var x=new XMLHttpRequest();x.open('POST',f.action);\n"
    "  x.upload.onprogress=function(e){if(!e.lengthComputable)return;\n"
    "   var p=Math.round(100*e.loaded/e.total);if(bar)bar.value=p;\n"
    "   if(out)out.textContent=p+'% of '+Math.round(e.total/1024)+' KiB';};\n"
    "  x.upload.onload=function(){if(out)out.textContent='importing...';};\n"
    "  x.onload=function(){document.open();document.write(x.responseText);\n"
    "   document.close();};\n"
    "  x.onerror=function(){if(out)out.textContent='the upload failed: '+\n"
    "   'the server did not answer';if(btn)btn.disabled=false;};\n"
    "  x.send(new FormData(f));\n"
    " });\n"
    "});\n";

void gk_srv_error_page(gk_srv_response *rs, int status, const char *title,
                       const char *msg) {
  rs->status = status;
  rs->content_type = "text/html; charset=utf-8";
  gk_srv_page_start(&rs->body, title, NULL);
  gk_buf_puts(&rs->body, "<p class=\"bad\" role=\"alert\">");
  gk_srv_escs(&rs->body, msg);
  gk_buf_puts(&rs->body, "</p>");
  gk_srv_page_end(&rs->body);
}

int gk_srv_is_upload(const char *path) {
  return strcmp(path, "/runs") == 0 || strcmp(path, "/gait") == 0;
}

void gk_srv_hidden_keys(gk_buf *b, const gk_srv_request *rq) {
  char nonce[GK_SRV_TOKEN_HEX + 1];
  gk_buf_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
  gk_buf_puts(b, rq->csrf ? rq->csrf : "");
  gk_buf_puts(b, "\">");
  if (gk_session_nonce(nonce) == 0) {
    gk_buf_puts(b, "<input type=\"hidden\" name=\"nonce\" value=\"");
    gk_buf_puts(b, nonce);
    gk_buf_puts(b, "\">");
  }
  if (rq->runner > 0)
    gk_srv_printf(b, "<input type=\"hidden\" name=\"runner\" value=\"%" PRId64
                     "\">",
                  rq->runner);
}

int gk_srv_open(const gk_srv_request *rq, unsigned flags, gk_store **s,
                char *msg, size_t msg_size) {
  *s = NULL;
  if (msg_size) msg[0] = '\0';
  if (gk_store_open_ex(s, rq->db_path, flags, NULL, msg, msg_size) != GK_OK)
    return -1;
  if (rq->runner > 0 && gk_store_use_runner(*s, rq->runner) != GK_OK) {
    snprintf(msg, msg_size, "%s", gk_store_errmsg(*s));
    gk_store_close(*s);
    *s = NULL;
    return -1;
  }
  return 0;
}

/* ---- the runner as of a day ----------------------------------------------- */

typedef struct runner {
  gk_assessment as;
  gk_report_bundle rb;
  int ok;
} runner;

/* Open the store read-only, assess as of day and gather the report's
   documents; on failure an error page in rs and 0. */
static int load_runner_ex(const gk_srv_request *rq, int64_t day,
                          unsigned what, runner *ru, gk_srv_response *rs) {
  memset(ru, 0, sizeof *ru);
  gk_store *s = NULL;
  char msg[512] = "";
  if (gk_srv_open(rq, GK_STORE_READ_ONLY, &s, msg, sizeof msg) != 0) {
    gk_srv_error_page(rs, 500, "The store cannot be read", msg);
    return 0;
  }
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_assess(s, day, &ru->as, &e);
  if (st == GK_OK) st = gk_report_gather_ex(s, &ru->as, what, &ru->rb);
  if (st != GK_OK) {
    snprintf(msg, sizeof msg, "%s: %s", e.msg ? e.msg : "assessing",
             gk_strerror(st));
    gk_store_close(s);
    gk_report_bundle_free(&ru->rb);
    gk_assessment_free(&ru->as);
    gk_srv_error_page(rs, 500, "The store cannot be read", msg);
    return 0;
  }
  gk_store_close(s);
  ru->ok = 1;
  return 1;
}

/* The runner without the course over weeks (only the report shows it). */
static int load_runner(const gk_srv_request *rq, int64_t day, runner *ru,
                       gk_srv_response *rs) {
  return load_runner_ex(rq, day, 0, ru, rs);
}

static void free_runner(runner *ru) {
  gk_report_bundle_free(&ru->rb);
  gk_assessment_free(&ru->as);
}

/* The report's own sections, as fragment. */
static void report_sections(gk_buf *b, runner *ru, unsigned sections) {
  ru->rb.in.sections = GK_REPORT_FRAGMENT | sections;
  gk_err err;
  memset(&err, 0, sizeof err);
  if (gk_report_html(&ru->rb.in, b, &err) != GK_OK) {
    gk_buf_puts(b, "<p class=\"bad\">This part could not be written: ");
    gk_srv_escs(b, err.msg ? err.msg : "out of memory");
    gk_buf_puts(b, "</p>");
  }
  ru->rb.in.sections = 0;
}

static void notes(gk_buf *b, const gk_assessment *as) {
  if (as->n_notes == 0 && as->plan != NULL) return;
  gk_buf_puts(b, "<ul class=\"note\">");
  for (size_t i = 0; i < as->n_notes; i++) {
    gk_buf_puts(b, "<li>");
    gk_srv_escs(b, as->notes[i]);
    gk_buf_puts(b, "</li>");
  }
  if (as->plan == NULL) {
    gk_buf_puts(b, "<li>The plan cannot be built: ");
    gk_srv_escs(b, as->plan_error);
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "</ul>");
}

/* The kinds of page kept (cache.c). */
enum { KEEP_TODAY = 1, KEEP_REPORT, KEEP_REPORT_PAGE, KEEP_RUNS, KEEP_GAIT };

/* Keep what the plan prescribed that later plans follow (the cadence
   target), as the CLI's plan and report verbs do (gk_assess_keep, on the
   store opened for writing); only when there is one to keep, else the
   store is not opened for writing.  A store that cannot be written leaves
   the page as it is: the next plan sets the target again. */
static void keep_plan(const gk_srv_request *rq, const gk_assessment *as) {
  if (!gk_assess_to_keep(as)) return;
  gk_store *s = NULL;
  char msg[512];
  if (gk_srv_open(rq, GK_STORE_NO_CREATE, &s, msg, sizeof msg) != 0) return;
  gk_err e;
  memset(&e, 0, sizeof e);
  (void)gk_assess_keep(s, as, NULL, &e);
  gk_store_close(s);
}

static void fill_today(const gk_srv_request *rq, int64_t day,
                       gk_srv_response *rs) {
  runner ru;
  if (!load_runner(rq, day, &ru, rs)) return;
  keep_plan(rq, &ru.as);
  gk_buf *b = &rs->body;
  gk_srv_page_start(b, "Today", "/");
  char d[11];
  gk_srv_printf(b, "<p class=\"meta\">As of %s. Made on this computer from your "
             "own data; nothing is sent anywhere.</p>",
          gk_day_format(rq->today, d));
  notes(b, &ru.as);
  report_sections(b, &ru, GK_REPORT_SEC_TODAY | GK_REPORT_SEC_CADENCE |
                              GK_REPORT_SEC_UNKNOWN);
  gk_srv_page_end(b);
  free_runner(&ru);
  rs->status = 200;
}

static void page_today(const gk_srv_request *rq, gk_srv_response *rs) {
  gk_srv_cached(rq, KEEP_TODAY, rq->today, fill_today, rs);
}

/* ---- Log pain -------------------------------------------------------------- */

static void field(gk_buf *b, const char *name, const char *label,
                  const char *type, const char *attrs, const char *value,
                  const char *err) {
  gk_srv_printf(b, "<div><label for=\"f-%s\">%s</label>", name, label);
  if (strcmp(type, "textarea") == 0) {
    gk_srv_printf(b, "<textarea id=\"f-%s\" name=\"%s\" %s", name, name, attrs);
    if (err && err[0]) gk_srv_printf(b, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", name);
    gk_buf_putc(b, '>');
    gk_srv_escs(b, value);
    gk_buf_puts(b, "</textarea>");
  } else {
    gk_srv_printf(b, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" %s value=\"", name,
            name, type, attrs);
    gk_srv_escs(b, value);
    gk_buf_putc(b, '"');
    if (err && err[0]) gk_srv_printf(b, " aria-invalid=\"true\" aria-describedby=\"e-%s\"", name);
    gk_buf_putc(b, '>');
  }
  if (err && err[0]) {
    gk_srv_printf(b, "<p class=\"err\" id=\"e-%s\">", name);
    gk_srv_escs(b, err);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "</div>");
}

static int pain_row(void *user, const gk_pain_entry *e) {
  gk_buf *b = (gk_buf *)user;
  char d[11], s[3][16];
  const int v[3] = {e->during, e->after, e->morning};
  for (int i = 0; i < 3; i++) {
    if (v[i] < 0) snprintf(s[i], sizeof s[i], "-");
    else snprintf(s[i], sizeof s[i], "%d", v[i]);
  }
  gk_srv_printf(b, "<tr><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
             "</td><td class=\"num\">%s</td><td>",
          gk_day_format(e->day, d), s[0], s[1], s[2]);
  gk_srv_escs(b, e->note);
  gk_buf_puts(b, "</td></tr>");
  return 0;
}

static void pain_form(const gk_srv_request *rq, gk_buf *b,
                      const gk_pain_fields *f,
                      const gk_pain_field_errors *fe) {
  static const gk_pain_field_errors none;
  if (fe == NULL) fe = &none;
  gk_buf_puts(b, "<form class=\"entry\" method=\"post\" action=\"/pain\">");
  gk_srv_hidden_keys(b, rq);
  if (fe->entry[0]) {
    gk_buf_puts(b, "<p class=\"err\" role=\"alert\">");
    gk_srv_escs(b, fe->entry);
    gk_buf_puts(b, "</p>");
  }
  field(b, "date", "Date", "date", "required", f->date, fe->date);
  field(b, "during", "Pain during the run (0 none - 10 worst)", "number",
        "min=\"0\" max=\"10\" step=\"1\" inputmode=\"numeric\"", f->during,
        fe->during);
  field(b, "after", "Pain after the run (0-10)", "number",
        "min=\"0\" max=\"10\" step=\"1\" inputmode=\"numeric\"", f->after,
        fe->after);
  field(b, "morning", "Pain the next morning (0-10)", "number",
        "min=\"0\" max=\"10\" step=\"1\" inputmode=\"numeric\"", f->morning,
        fe->morning);
  field(b, "onset_km", "Where the pain began (km into the run)", "number",
        "min=\"0\" max=\"1000\" step=\"0.1\" inputmode=\"decimal\"",
        f->onset_km, fe->onset_km);
  field(b, "note", "Note", "textarea", "rows=\"2\" maxlength=\"255\"",
        f->note, fe->note);
  gk_buf_puts(b, "<div><button type=\"submit\">Save</button></div></form>");
}

static void pain_list(const gk_srv_request *rq, gk_buf *b) {
  gk_store *s = NULL;
  char msg[512];
  if (gk_srv_open(rq, GK_STORE_READ_ONLY, &s, msg, sizeof msg) != 0) return;
  gk_buf rows = {0};
  gk_store_each_pain(s, pain_row, &rows);
  gk_store_close(s);
  gk_buf_puts(b, "<h2>The pain log</h2>");
  if (rows.len == 0) {
    gk_buf_puts(b, "<p>Nothing logged yet.</p>");
  } else {
    gk_buf_puts(b, "<div class=\"tbl\"><table><thead><tr><th>Date</th><th>"
                   "During</th><th>After</th><th>Morning</th><th>Note</th>"
                   "</tr></thead><tbody>");
    gk_buf_put(b, rows.data, rows.len);
    gk_buf_puts(b, "</tbody></table></div>");
  }
  gk_buf_free(&rows);
}

static void page_pain(const gk_srv_request *rq, gk_srv_response *rs) {
  gk_buf *b = &rs->body;
  char today[11];
  gk_day_format(rq->today, today);
  gk_pain_fields f;
  memset(&f, 0, sizeof f);
  f.date = today;
  f.during = f.after = f.morning = f.onset_km = f.note = "";
  if (rq->form == NULL) {
    gk_srv_page_start(b, "Log pain", "/pain");
    pain_form(rq, b, &f, NULL);
    pain_list(rq, b);
    gk_srv_page_end(b);
    rs->status = 200;
    return;
  }
  const gk_form *fm = rq->form;
  gk_pain_fields in;
  memset(&in, 0, sizeof in);
  in.date = gk_form_str(fm, "date");
  in.during = gk_form_str(fm, "during");
  in.after = gk_form_str(fm, "after");
  in.morning = gk_form_str(fm, "morning");
  in.onset_km = gk_form_str(fm, "onset_km");
  in.note = gk_form_str(fm, "note");
  gk_pain_entry e;
  gk_pain_field_errors fe;
  /* the one check `gaitkeeper pain add` makes */
  if (gk_pain_entry_check(&in, &e, &fe) != GK_OK) {
    gk_srv_page_start(b, "Log pain", "/pain");
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">Not saved: see the "
                   "messages by the fields.</p>");
    pain_form(rq, b, &in, &fe);
    gk_srv_page_end(b);
    rs->status = 422;
    return;
  }
  if (!gk_session_spend(gk_form_str(fm, "nonce"))) {
    gk_srv_page_start(b, "Log pain", "/pain");
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">This form was sent "
                   "already (or is too old): nothing new was stored. Here "
                   "is a new form.</p>");
    pain_form(rq, b, &f, NULL);
    pain_list(rq, b);
    gk_srv_page_end(b);
    rs->status = 409;
    return;
  }
  gk_store *s = NULL;
  char msg[512] = "";
  int64_t id = 0;
  gk_status st = gk_srv_open(rq, GK_STORE_NO_CREATE, &s, msg, sizeof msg)
                     ? GK_E_IO
                     : GK_OK;
  if (st == GK_OK) {
    st = gk_store_add_pain(s, &e, &id);
    if (st != GK_OK) snprintf(msg, sizeof msg, "%s", gk_store_errmsg(s));
    gk_store_close(s);
  }
  gk_srv_page_start(b, "Log pain", "/pain");
  if (st == GK_OK) {
    char d[11];
    gk_srv_printf(b, "<p class=\"ok\" role=\"status\">Saved: pain entry %" PRId64
               " for %s.</p>",
            id, gk_day_format(e.day, d));
    pain_form(rq, b, &f, NULL);
    rs->status = 200;
  } else {
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">Not saved: ");
    gk_srv_escs(b, msg);
    gk_buf_puts(b, "</p>");
    pain_form(rq, b, &in, NULL);
    rs->status = 500;
  }
  pain_list(rq, b);
  gk_srv_page_end(b);
}

/* ---- Log exercise ------------------------------------------------------------ */


typedef gk_exercise_field_errors ex_errs;

static void exercise_form(const gk_srv_request *rq, gk_buf *b,
                          const gk_assessment *as, const gk_form *fm,
                          const ex_errs *er) {
  static const ex_errs none;
  if (er == NULL) er = &none;
  char today[11];
  gk_day_format(rq->today, today);
  const char *sel = fm ? gk_form_str(fm, "exercise") : "";
  const gk_plan *p = as ? as->plan : NULL;
  if (p == NULL || p->n_exercises == 0) {
    gk_buf_puts(b, "<p>The plan has no exercises yet");
    if (p == NULL && as) {
      gk_buf_puts(b, " (");
      gk_srv_escs(b, as->plan_error);
      gk_buf_puts(b, ")");
    }
    gk_buf_puts(b, ".</p>");
    return;
  }
  gk_buf_puts(b, "<form class=\"entry\" method=\"post\" action=\"/exercise\">");
  gk_srv_hidden_keys(b, rq);
  if (er->other[0]) {
    gk_buf_puts(b, "<p class=\"err\" role=\"alert\">");
    gk_srv_escs(b, er->other);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "<div><label for=\"f-exercise\">Exercise</label><select "
                 "id=\"f-exercise\" name=\"exercise\">");
  for (size_t i = 0; i < p->n_exercises; i++) {
    const gk_plan_exercise *x = &p->exercises[i];
    gk_buf_puts(b, "<option value=\"");
    gk_srv_escs(b, x->id);
    gk_buf_putc(b, '"');
    if (strcmp(sel, x->id) == 0) gk_buf_puts(b, " selected");
    gk_buf_putc(b, '>');
    gk_srv_escs(b, x->name);
    if (x->step_name) {
      gk_srv_printf(b, " (this week step %d of %d: ", x->step, x->n_steps);
      gk_srv_escs(b, x->step_name);
      gk_buf_putc(b, ')');
    }
    gk_buf_puts(b, "</option>");
  }
  gk_buf_puts(b, "</select>");
  if (er->exercise[0]) {
    gk_buf_puts(b, "<p class=\"err\">");
    gk_srv_escs(b, er->exercise);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "</div>");
#define V(n) (fm ? gk_form_str(fm, n) : "")
  field(b, "date", "Date", "date", "required", fm ? V("date") : today,
        er->date);
  field(b, "step", "Step (empty: this week's)", "number",
        "min=\"1\" max=\"9\" inputmode=\"numeric\"", V("step"), er->step);
  field(b, "sets", "Sets done (empty: the step's)", "number",
        "min=\"0\" max=\"20\" inputmode=\"numeric\"", V("sets"), er->sets);
  field(b, "reps", "Repetitions per set (empty: the step's)", "number",
        "min=\"0\" max=\"200\" inputmode=\"numeric\"", V("reps"), er->reps);
  field(b, "hold", "Seconds per hold (empty: the step's)", "number",
        "min=\"0\" max=\"600\" inputmode=\"numeric\"", V("hold"), er->hold);
  field(b, "load", "Added load (kg)", "number",
        "min=\"0\" step=\"0.5\" inputmode=\"decimal\"", V("load"), er->load);
  field(b, "pain", "Pain during it (0-10)", "number",
        "min=\"0\" max=\"10\" inputmode=\"numeric\"", V("pain"), er->pain);
  field(b, "note", "Note", "textarea", "rows=\"2\"", V("note"), er->note);
#undef V
  gk_buf_puts(b, "<div><button type=\"submit\">Save</button></div></form>");
}

static void page_exercise(const gk_srv_request *rq, gk_srv_response *rs) {
  gk_buf *b = &rs->body;
  runner ru;
  if (!load_runner(rq, rq->today, &ru, rs)) return;
  if (rq->form == NULL) {
    gk_srv_page_start(b, "Log exercise", "/exercise");
    exercise_form(rq, b, &ru.as, NULL, NULL);
    gk_srv_page_end(b);
    free_runner(&ru);
    rs->status = 200;
    return;
  }
  const gk_form *fm = rq->form;
  ex_errs er;
  gk_exercise_session s;
  const char *id = gk_form_str(fm, "exercise");
  int week_step = 0;
  if (ru.as.plan)
    for (size_t i = 0; i < ru.as.plan->n_exercises; i++)
      if (strcmp(ru.as.plan->exercises[i].id, id) == 0)
        week_step = ru.as.plan->exercises[i].step;
  gk_exercise_fields in = {id,
                           gk_form_str(fm, "date"),
                           gk_form_str(fm, "step"),
                           gk_form_str(fm, "sets"),
                           gk_form_str(fm, "reps"),
                           gk_form_str(fm, "hold"),
                           gk_form_str(fm, "load"),
                           gk_form_str(fm, "pain"),
                           gk_form_str(fm, "note")};
  /* the one reader `gaitkeeper done` uses */
  gk_status st = gk_exercise_session_read(&in, rq->today, week_step, &s, &er);
  int bad = st != GK_OK;
  int64_t sid = 0;
  if (!bad && !gk_session_spend(gk_form_str(fm, "nonce"))) {
    snprintf(er.other, sizeof er.other, "This form was sent already (or is "
             "too old): nothing new was stored.");
    gk_srv_page_start(b, "Log exercise", "/exercise");
    exercise_form(rq, b, &ru.as, NULL, &er);
    gk_srv_page_end(b);
    free_runner(&ru);
    rs->status = 409;
    return;
  }
  if (!bad) {
    gk_store *store = NULL;
    char msg[512] = "";
    st = gk_srv_open(rq, GK_STORE_NO_CREATE, &store, msg, sizeof msg)
             ? GK_E_IO
             : GK_OK;
    gk_err e;
    memset(&e, 0, sizeof e);
    if (st == GK_OK) {
      st = gk_record_session(store, &s, &sid, &e);
      if (st != GK_OK)
        snprintf(er.other, sizeof er.other, "%s",
                 e.msg ? e.msg : gk_strerror(st));
      gk_store_close(store);
    } else {
      snprintf(er.other, sizeof er.other, "%s", msg);
    }
    bad = st != GK_OK;
  }
  gk_srv_page_start(b, "Log exercise", "/exercise");
  if (bad) {
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">Not saved: see the "
                   "messages by the fields.</p>");
    exercise_form(rq, b, &ru.as, fm, &er);
    rs->status = 422;
  } else {
    char d[11];
    gk_srv_printf(b, "<p class=\"ok\" role=\"status\">Saved: session %" PRId64
               " of ",
            sid);
    gk_srv_escs(b, s.exercise_id);
    gk_srv_printf(b, " on %s, step %d, %d set%s.</p>", gk_day_format(s.day, d),
            s.step, s.sets, s.sets == 1 ? "" : "s");
    exercise_form(rq, b, &ru.as, NULL, NULL);
    rs->status = 200;
  }
  gk_srv_page_end(b);
  free_runner(&ru);
}

/* ---- Runs --------------------------------------------------------------------- */

static void runs_table(gk_buf *b, const gk_history *h) {
  gk_buf_puts(b, "<h2>Your runs</h2>");
  if (h->n_runs == 0) {
    gk_buf_puts(b, "<p>No runs stored yet: upload your watch's files "
                   "above.</p>");
    return;
  }
  gk_srv_printf(b, "<p>%zu runs; the latest 100 shown, newest first.</p>",
          h->n_runs);
  gk_buf_puts(b, "<div class=\"tbl\"><table class=\"cards runs\"><thead><tr>"
                 "<th>Date</th><th>Distance</th><th>Time</th><th>Pace</th>"
                 "<th>Cadence</th></tr></thead><tbody>");
  /* the history is in start order */
  size_t shown = 0;
  for (size_t k = h->n_runs; k-- > 0 && shown < 100; shown++) {
    const gk_load_run *r = &h->runs[k];
    char d[11], dist[48] = "-", t[48] = "-", pace[48] = "-", cad[48] = "-";
    gk_day_format(gk_day_of_time(r->start_time), d);
    if (isfinite(r->distance_m))
      snprintf(dist, sizeof dist, "%.2f km", r->distance_m / 1000);
    if (isfinite(r->duration_s) && r->duration_s >= 0) {
      long s = lround(r->duration_s);
      snprintf(t, sizeof t, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    }
    if (isfinite(r->avg_speed_mps) && r->avg_speed_mps > 0.1) {
      long sk = lround(1000 / r->avg_speed_mps);
      snprintf(pace, sizeof pace, "%ld:%02ld /km", sk / 60, sk % 60);
    }
    if (isfinite(r->avg_cadence_spm))
      snprintf(cad, sizeof cad, "%.0f spm", r->avg_cadence_spm);
    gk_srv_printf(b, "<tr><td data-label=\"Date\">%s</td><td class=\"num\" "
               "data-label=\"Distance\">%s</td><td class=\"num\" "
               "data-label=\"Time\">%s</td><td class=\"num\" "
               "data-label=\"Pace\">%s</td><td class=\"num\" "
               "data-label=\"Cadence\">%s</td></tr>",
            d, dist, t, pace, cad);
  }
  gk_buf_puts(b, "</tbody></table></div>");
}

/* The Runs page's part from the store (kept: cache.c): the table and the
   load chart. */
static void fill_runs(const gk_srv_request *rq, int64_t day,
                      gk_srv_response *rs) {
  runner ru;
  if (!load_runner(rq, day, &ru, rs)) return;
  runs_table(&rs->body, &ru.as.history);
  report_sections(&rs->body, &ru, GK_REPORT_SEC_LOAD);
  free_runner(&ru);
  rs->status = 200;
}

/* A page's part from the store into *part (kind of cache.c); 1, or 0 with
   the error page moved into rs. */
static int kept_part(const gk_srv_request *rq, int kind, gk_srv_fill_fn fill,
                     gk_srv_response *part, gk_srv_response *rs) {
  memset(part, 0, sizeof *part);
  gk_srv_cached(rq, kind, rq->today, fill, part);
  if (part->status == 200 && !part->body.oom) return 1;
  gk_buf_free(&rs->body);
  *rs = *part;
  memset(part, 0, sizeof *part);
  if (rs->status == 200) { /* out of memory copying it */
    gk_buf_free(&rs->body);
    memset(&rs->body, 0, sizeof rs->body);
    gk_srv_error_page(rs, 500, "Out of memory",
                      "The server ran out of memory; try again.");
  }
  return 0;
}

static void page_runs(const gk_srv_request *rq, gk_srv_response *rs) {
  gk_buf *b = &rs->body;
  gk_buf summary = {0};
  if (rq->form != NULL) gk_srv_upload_runs(rq, &summary);
  gk_srv_response part;
  if (!kept_part(rq, KEEP_RUNS, fill_runs, &part, rs)) {
    gk_buf_free(&summary);
    return;
  }
  gk_srv_page_start(b, "Runs", "/runs");
  if (summary.len) gk_buf_put(b, summary.data, summary.len);
  gk_buf_free(&summary);
  gk_buf_puts(b, "<form class=\"entry\" method=\"post\" action=\"/runs\" "
                 "enctype=\"multipart/form-data\" data-progress>");
  gk_srv_hidden_keys(b, rq);
  gk_srv_printf(b, "<div><label for=\"f-files\">Watch files: FIT, GPX or TCX, "
             "several at once, or one .zip of a folder (at most %u MiB in "
             "all)</label><input id=\"f-files\" name=\"files\" type=\"file\" "
             "multiple accept=\".fit,.gpx,.tcx,.zip\"></div>",
          GK_SRV_UPLOAD_BYTES >> 20);
  gk_buf_puts(b, "<div><button type=\"submit\">Import</button></div>"
                 "<div hidden class=\"progress\"><label for=\"f-progress\">"
                 "Sending</label><progress id=\"f-progress\" max=\"100\" "
                 "value=\"0\"></progress> <output for=\"f-files\" "
                 "id=\"f-progress-text\" aria-live=\"polite\"></output>"
                 "</div></form>");
  gk_buf_put(b, part.body.data, part.body.len);
  gk_buf_free(&part.body);
  gk_srv_page_end(b);
  rs->cached = part.cached;
  rs->status = 200;
}

/* ---- Gait ---------------------------------------------------------------------- */

/* The Gait page's part from the store (kept: cache.c): the latest
   capture's analysis. */
static void fill_gait(const gk_srv_request *rq, int64_t day,
                      gk_srv_response *rs) {
  runner ru;
  if (!load_runner(rq, day, &ru, rs)) return;
  report_sections(&rs->body, &ru, GK_REPORT_SEC_GAIT);
  free_runner(&ru);
  rs->status = 200;
}

static void page_gait(const gk_srv_request *rq, gk_srv_response *rs) {
  gk_buf result = {0};
  int status = 200;
  if (rq->form != NULL) {
    if (!gk_session_spend(gk_form_str(rq->form, "nonce"))) {
      gk_buf_puts(&result, "<p class=\"bad\" role=\"alert\">This form was "
                           "sent already (or is too old): nothing new was "
                           "stored.</p>");
      status = 409;
    } else {
      status = gk_srv_upload_gait(rq, &result);
    }
  }
  gk_srv_response part;
  if (!kept_part(rq, KEEP_GAIT, fill_gait, &part, rs)) {
    gk_buf_free(&result);
    return;
  }
  gk_buf *b = &rs->body;
  gk_srv_page_start(b, "Gait", "/gait");
  if (result.len) gk_buf_put(b, result.data, result.len);
  gk_buf_free(&result);
  gk_buf_puts(b, "<form class=\"entry\" method=\"post\" action=\"/gait\" "
                 "enctype=\"multipart/form-data\">");
  gk_srv_hidden_keys(b, rq);
  gk_srv_gait_fields(b);
  gk_buf_puts(b, "</form><p>The latest capture's analysis, as the report "
                 "shows it (also <code>gaitkeeper gait FILE</code>):</p>");
  gk_buf_put(b, part.body.data, part.body.len);
  gk_buf_free(&part.body);
  gk_srv_page_end(b);
  rs->cached = part.cached;
  rs->status = status;
}

/* ---- Report ------------------------------------------------------------------- */

static void fill_report(const gk_srv_request *rq, int64_t day,
                        gk_srv_response *rs, int standalone) {
  runner ru;
  if (!load_runner_ex(rq, day, GK_GATHER_COURSE, &ru, rs)) return;
  keep_plan(rq, &ru.as); /* as `gaitkeeper report` keeps it */
  gk_buf *b = &rs->body;
  if (standalone) { /* exactly the page `gaitkeeper report -o` writes */
    gk_err err;
    memset(&err, 0, sizeof err);
    if (gk_report_html(&ru.rb.in, b, &err) != GK_OK) {
      gk_buf_free(b);
      memset(b, 0, sizeof *b);
      gk_srv_error_page(rs, 500, "The report could not be written",
                        err.msg ? err.msg : "out of memory");
    } else {
      rs->status = 200;
      rs->report_page = 1;
    }
    free_runner(&ru);
    return;
  }
  gk_srv_page_start(b, "Report", "/report");
  gk_buf_puts(b, "<ul><li><a href=\"/report.html\">The report as one page"
                 "</a> (the same page <code>gaitkeeper report -o</code> "
                 "writes; print it from there, it has its own print "
                 "layout)</li>");
  const gk_plan *p = ru.as.plan;
  if (p && p->cadence.retrain == 1 && isfinite(p->cadence.target_spm))
    gk_srv_printf(b, "<li><a href=\"/export/metronome.wav\" download>Metronome "
               "at %.0f steps/min</a> (WAV, 10 minutes)</li>",
            p->cadence.target_spm);
  gk_plan_workout *w = (gk_plan_workout *)calloc(32, sizeof *w);
  size_t nw = p && w ? gk_plan_workouts(p, w, 32) : 0;
  for (size_t k = 0; k < nw; k++) {
    gk_srv_printf(b, "<li><a href=\"/export/workout/%s\" download>Watch workout "
               "%s</a> (FIT)</li>", w[k].file, w[k].file);
  }
  free(w);
  gk_buf_puts(b, "</ul>");
  report_sections(b, &ru, GK_REPORT_SEC_ALL);
  gk_srv_page_end(b);
  free_runner(&ru);
  rs->status = 200;
}

static void fill_report_app(const gk_srv_request *rq, int64_t day,
                            gk_srv_response *rs) {
  fill_report(rq, day, rs, 0);
}

static void fill_report_page(const gk_srv_request *rq, int64_t day,
                             gk_srv_response *rs) {
  fill_report(rq, day, rs, 1);
}

static void page_report(const gk_srv_request *rq, gk_srv_response *rs,
                        int standalone) {
  int64_t day = rq->today;
  if (rq->query_date && gk_day_parse(rq->query_date, &day) != GK_OK) {
    gk_srv_error_page(rs, 400, "Not a date",
                      "The report's date is YYYY-MM-DD (a real day).");
    return;
  }
  if (standalone)
    gk_srv_cached(rq, KEEP_REPORT_PAGE, day, fill_report_page, rs);
  else
    gk_srv_cached(rq, KEEP_REPORT, day, fill_report_app, rs);
}

static int wav_put(void *user, const void *data, size_t len) {
  gk_buf *b = (gk_buf *)user;
  gk_buf_put(b, data, len);
  return b->oom;
}

static void export_wav(const gk_srv_request *rq, gk_srv_response *rs) {
  runner ru;
  if (!load_runner(rq, rq->today, &ru, rs)) return;
  const gk_plan *p = ru.as.plan;
  if (!(p && p->cadence.retrain == 1 && isfinite(p->cadence.target_spm))) {
    free_runner(&ru);
    gk_srv_error_page(rs, 404, "No cadence target",
                      "The plan has no cadence target, so there is no "
                      "metronome to give.");
    return;
  }
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st =
      gk_wav_metronome(p->cadence.target_spm, 10.0, 0, wav_put, &rs->body, &e);
  if (st != GK_OK) {
    gk_buf_free(&rs->body);
    memset(&rs->body, 0, sizeof rs->body);
    gk_srv_error_page(rs, 500, "The metronome could not be made",
                      e.msg ? e.msg : gk_strerror(st));
  } else {
    rs->status = 200;
    rs->content_type = "audio/wav";
    snprintf(rs->disposition, sizeof rs->disposition,
             "attachment; filename=\"metronome_%.0f.wav\"",
             p->cadence.target_spm);
  }
  free_runner(&ru);
}

/* One of the plan's watch workouts (gk_plan_workouts, as `plan export
   --fit` writes them), by its file name. */
static void export_workout(const gk_srv_request *rq, const char *file,
                           gk_srv_response *rs) {
  runner ru;
  if (!load_runner(rq, rq->today, &ru, rs)) return;
  gk_plan_workout *w = (gk_plan_workout *)calloc(32, sizeof *w);
  size_t nw = w && ru.as.plan ? gk_plan_workouts(ru.as.plan, w, 32) : 0;
  size_t k = 0;
  while (k < nw && strcmp(w[k].file, file) != 0) k++;
  if (k == nw) {
    gk_srv_error_page(rs, 404, "No such workout",
                      "The plan has no workout of that name today.");
  } else {
    gk_err e;
    memset(&e, 0, sizeof e);
    gk_status st = gk_fit_workout_write(w[k].name, w[k].steps, w[k].n_steps,
                                        (int64_t)time(NULL), &rs->body, &e);
    if (st != GK_OK) {
      gk_buf_free(&rs->body);
      memset(&rs->body, 0, sizeof rs->body);
      gk_srv_error_page(rs, 500, "The workout could not be written",
                        e.msg ? e.msg : gk_strerror(st));
    } else {
      rs->status = 200;
      rs->content_type = "application/vnd.ant.fit";
      snprintf(rs->disposition, sizeof rs->disposition,
               "attachment; filename=\"%s\"", w[k].file);
    }
  }
  free(w);
  free_runner(&ru);
}

/* ---- routing ------------------------------------------------------------------- */

/* The runner the request is for, made definite: the one it names (an
   archived one too), else the store's only active one; 0 on a store with
   no runner yet (an empty store: its pages are empty).  1, or 0 with an
   answer in rs (no such runner; several and none chosen: to /runners). */
static int resolve_runner(gk_srv_request *rq, gk_srv_response *rs) {
  header_runner[0] = '\0';
  if (rq->runner < 0) {
    gk_srv_error_page(rs, 400, "No such runner",
                      "The runner in the address is not a runner's number.");
    return 0;
  }
  gk_store *s = NULL;
  char msg[512];
  if (gk_store_open_ex(&s, rq->db_path, GK_STORE_READ_ONLY, NULL, msg,
                       sizeof msg) != GK_OK) {
    gk_srv_error_page(rs, 500, "The store cannot be read", msg);
    return 0;
  }
  int ok = 1;
  int64_t id = rq->runner;
  if (id > 0) {
    if (gk_store_use_runner(s, id) != GK_OK) {
      gk_srv_error_page(rs, 404, "No such runner",
                        "This store has no runner with that number; choose "
                        "one on the Runners page.");
      ok = 0;
    }
  } else if (gk_store_current_runner(s, &id) != GK_OK) {
    /* several runners and none chosen: the list first */
    rs->status = 303;
    snprintf(rs->location, sizeof rs->location, "/runners");
    gk_buf_puts(&rs->body, "<!DOCTYPE html><title>Choose a runner</title>"
                           "<a href=\"/runners\">Choose a runner</a>");
    ok = 0;
  }
  gk_runner_row row;
  if (ok && id > 0 && gk_store_get_runner(s, id, &row) == GK_OK) {
    snprintf(header_runner, sizeof header_runner, "%s", row.name);
    /* every form names the runner it was shown for */
    rq->runner = id;
  }
  gk_store_close(s);
  return ok;
}

void gk_srv_route(const gk_srv_request *rq_in, gk_srv_response *rs) {
  gk_srv_request req = *rq_in;
  gk_srv_request *rq = &req;
  const char *p = rq->path;
  int post = rq->form != NULL;
  header_runner[0] = '\0';
  if (!post && strcmp(p, "/style.css") == 0) {
    gk_report_css(&rs->body);
    gk_buf_puts(&rs->body, APP_CSS);
    rs->status = 200;
    rs->content_type = "text/css; charset=utf-8";
    return;
  }
  if (!post && strcmp(p, "/app.js") == 0) {
    gk_buf_puts(&rs->body, APP_JS);
    rs->status = 200;
    rs->content_type = "text/javascript; charset=utf-8";
    return;
  }
  if (strcmp(p, "/runners") == 0) { /* not one runner's page */
    gk_srv_page_runners(rq, rs);
    return;
  }
  if (!resolve_runner(rq, rs)) return;
  if (strcmp(p, "/") == 0 && !post) {
    page_today(rq, rs);
    return;
  }
  if (strcmp(p, "/pain") == 0) {
    page_pain(rq, rs);
    return;
  }
  if (strcmp(p, "/exercise") == 0) {
    page_exercise(rq, rs);
    return;
  }
  if (strcmp(p, "/runs") == 0) {
    page_runs(rq, rs);
    return;
  }
  if (strcmp(p, "/gait") == 0) {
    page_gait(rq, rs);
    return;
  }
  if (strcmp(p, "/intake") == 0 || strcmp(p, "/screen") == 0) {
    gk_srv_page_answers(rq, strcmp(p, "/screen") == 0, rs);
    return;
  }
  if (strcmp(p, "/report") == 0 && !post) {
    page_report(rq, rs, 0);
    return;
  }
  if (strcmp(p, "/report.html") == 0 && !post) {
    page_report(rq, rs, 1);
    return;
  }
  if (strcmp(p, "/export/metronome.wav") == 0 && !post) {
    export_wav(rq, rs);
    return;
  }
  if (strncmp(p, "/export/workout/", 16) == 0 && !post) {
    export_workout(rq, p + 16, rs);
    return;
  }
  gk_srv_error_page(rs, post ? 405 : 404, post ? "Not allowed" : "Not found",
                    post ? "Nothing is sent to this address."
                         : "There is no such page.");
}
