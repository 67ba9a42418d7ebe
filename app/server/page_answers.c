/*
** page_answers.c -- the Intake and Screen pages: forms generated from the
** question definitions the terminal asks (gk_questions), read by the same
** reader (gk_answers_from_text -> gk_question_read, then the whole object
** checked as an answers file is), stored as `gaitkeeper intake` and
** `gaitkeeper screen` store them (gk_store_add_answers), and assessed at
** once: the intake's red flags first, each with whom to see and how soon.
**
**   GET  /intake, /screen    the form, filled with the latest answers
**   POST /intake, /screen    check, store, and show the assessment; or the
**                            form again with each message by its field
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/questions.h"
#include "gaitkeeper/store.h"
#include "server.h"

#define QMAX 160
#define PROBLEMS_MAX 64

typedef struct answers_page {
  gk_questionnaire w;
  const char *kind, *title, *path;
  gk_question qs[QMAX];
  size_t n;
  gk_answer_problem problems[PROBLEMS_MAX];
  size_t n_problems;
  const gk_form *form; /* the values to show: a sent form, or NULL */
  const char *json;    /* else the latest answers, or NULL */
  size_t json_len;
  char joined[1024];   /* a list's values, joined for the reader */
} answers_page;

/* ---- the values --------------------------------------------------------- */

/* A sent form's text for q: a list's ticked boxes joined by commas ("none"
   when its "none" box is ticked), any other field's value. */
static const char *form_text(void *user, const gk_question *q) {
  answers_page *p = user;
  if (q->type != GK_QUESTION_LIST) return gk_form_str(p->form, q->key);
  size_t o = 0;
  p->joined[0] = '\0';
  for (size_t i = 0; i < p->form->n; i++) {
    const gk_form_field *f = &p->form->f[i];
    if (f->filename != NULL || strcmp(f->name, q->key) != 0) continue;
    int n = snprintf(p->joined + o, sizeof p->joined - o, "%s%s",
                     o ? "," : "", f->value);
    if (n < 0 || (size_t)n >= sizeof p->joined - o) break;
    o += (size_t)n;
  }
  return p->joined;
}

/* The text to show in q's field. */
static const char *shown_text(answers_page *p, const gk_question *q,
                              char *out, size_t size) {
  out[0] = '\0';
  if (p->form != NULL) {
    snprintf(out, size, "%s", form_text(p, q));
  } else if (p->json != NULL) {
    gk_answer_text(q, p->json, p->json_len, out, size);
  }
  return out;
}

static const char *problem_of(const answers_page *p, const char *key) {
  size_t n = p->n_problems < PROBLEMS_MAX ? p->n_problems : PROBLEMS_MAX;
  for (size_t i = 0; i < n; i++)
    if (strcmp(p->problems[i].key, key) == 0) return p->problems[i].msg;
  return NULL;
}

/* ---- the form ----------------------------------------------------------- */

/* An id for HTML from a key ("hop.left.pain" -> "q-hop-left-pain"). */
static void field_id(char *out, size_t size, const char *key) {
  size_t o = snprintf(out, size, "q-");
  for (; *key && o + 1 < size; key++)
    out[o++] = (*key == '.') ? '-' : *key;
  out[o] = '\0';
}

/* Whether value (one of q's values, or its 1-based number) is among the
   comma-separated text. */
static int listed(const gk_question *q, int i, const char *text) {
  char num[16];
  snprintf(num, sizeof num, "%d", i + 1);
  const char *p = text;
  while (*p) {
    size_t n = strcspn(p, ",");
    if ((strlen(q->values[i]) == n && strncmp(p, q->values[i], n) == 0) ||
        (strlen(num) == n && strncmp(p, num, n) == 0))
      return 1;
    p += n;
    if (*p == ',') p++;
  }
  return 0;
}

static void one_field(gk_buf *b, answers_page *p, const gk_question *q) {
  char id[GK_QUESTION_KEY_MAX + 4], text[1024];
  field_id(id, sizeof id, q->key);
  shown_text(p, q, text, sizeof text);
  const char *err = problem_of(p, q->key);
  int grouped = q->type != GK_QUESTION_NUMBER;
  if (grouped) {
    gk_srv_printf(b, "<fieldset id=\"%s\"%s><legend>", id,
                  err ? " aria-invalid=\"true\"" : "");
    gk_srv_escs(b, q->prompt);
    gk_buf_puts(b, "</legend>");
  } else {
    gk_srv_printf(b, "<div><label for=\"%s\">", id);
    gk_srv_escs(b, q->prompt);
    if (isfinite(q->min) && isfinite(q->max))
      gk_srv_printf(b, " <span class=\"range\">(%g to %g%s%s)</span>", q->min,
                    q->max, q->unit ? " " : "", q->unit ? q->unit : "");
    gk_buf_puts(b, "</label>");
  }
  if (q->help != NULL && q->help[0] != '\0') {
    gk_srv_printf(b, "<p class=\"help\" id=\"%s-help\">", id);
    gk_srv_escs(b, q->help);
    gk_buf_puts(b, "</p>");
  }
  if (err != NULL) {
    gk_srv_printf(b, "<p class=\"err\" id=\"%s-err\">", id);
    gk_srv_escs(b, err);
    gk_buf_puts(b, "</p>");
  }
  switch (q->type) {
    case GK_QUESTION_NUMBER:
      gk_srv_printf(b, "<input id=\"%s\" name=\"", id);
      gk_srv_escs(b, q->key);
      gk_buf_puts(b, "\" type=\"text\" inputmode=\"decimal\" "
                     "autocomplete=\"off\" size=\"8\" value=\"");
      gk_srv_escs(b, text);
      gk_buf_puts(b, "\"");
      if (err) gk_srv_printf(b, " aria-invalid=\"true\" aria-describedby=\"%s-err\"", id);
      gk_buf_puts(b, "></div>");
      return;
    case GK_QUESTION_YESNO: {
      static const char *const v[3] = {"yes", "no", ""};
      static const char *const l[3] = {"Yes", "No", "Not known"};
      int yes = strcmp(text, "yes") == 0 || strcmp(text, "y") == 0 ||
                strcmp(text, "true") == 0;
      int no = strcmp(text, "no") == 0 || strcmp(text, "n") == 0 ||
               strcmp(text, "false") == 0;
      for (int k = 0; k < 3; k++) {
        int on = k == 0 ? yes : k == 1 ? no : !yes && !no;
        gk_buf_puts(b, "<label class=\"opt\"><input type=\"radio\" name=\"");
        gk_srv_escs(b, q->key);
        gk_srv_printf(b, "\" value=\"%s\"%s> %s</label>", v[k],
                      on ? " checked" : "", l[k]);
      }
      break;
    }
    case GK_QUESTION_CHOICE: {
      gk_srv_printf(b, "<select name=\"");
      gk_srv_escs(b, q->key);
      gk_srv_printf(b, "\" aria-label=\"%s\">", "choose");
      gk_srv_printf(b, "<option value=\"\"%s>Not known</option>",
                    text[0] ? "" : " selected");
      for (int i = 0; i < q->n_values; i++) {
        gk_buf_puts(b, "<option value=\"");
        gk_srv_escs(b, q->values[i]);
        gk_buf_puts(b, "\"");
        if (strcmp(text, q->values[i]) == 0) gk_buf_puts(b, " selected");
        gk_buf_puts(b, ">");
        gk_srv_escs(b, q->values[i]);
        gk_buf_puts(b, "</option>");
      }
      gk_buf_puts(b, "</select>");
      break;
    }
    case GK_QUESTION_AKPS_ITEM: {
      for (int i = 0; i <= q->n_values; i++) {
        char v[16] = "";
        if (i < q->n_values) snprintf(v, sizeof v, "%d", i + 1);
        int on = strcmp(text, v) == 0;
        gk_buf_puts(b, "<label class=\"opt\"><input type=\"radio\" name=\"");
        gk_srv_escs(b, q->key);
        gk_srv_printf(b, "\" value=\"%s\"%s> ", v, on ? " checked" : "");
        gk_srv_escs(b, i < q->n_values ? q->values[i] : "Not answered");
        gk_buf_puts(b, "</label>");
      }
      break;
    }
    case GK_QUESTION_LIST: {
      int none = strcmp(text, "none") == 0;
      for (int i = 0; i < q->n_values; i++) {
        gk_buf_puts(b, "<label class=\"opt\"><input type=\"checkbox\" name=\"");
        gk_srv_escs(b, q->key);
        gk_buf_puts(b, "\" value=\"");
        gk_srv_escs(b, q->values[i]);
        gk_srv_printf(b, "\"%s> ", !none && listed(q, i, text) ? " checked" : "");
        gk_srv_escs(b, q->values[i]);
        gk_buf_puts(b, "</label>");
      }
      gk_buf_puts(b, "<label class=\"opt\"><input type=\"checkbox\" name=\"");
      gk_srv_escs(b, q->key);
      gk_srv_printf(b, "\" value=\"none\"%s> none of these</label>",
                    none ? " checked" : "");
      break;
    }
  }
  gk_buf_puts(b, "</fieldset>");
}

static void the_form(gk_buf *b, const gk_srv_request *rq, answers_page *p,
                     const char *date) {
  gk_srv_printf(b, "<form method=\"post\" action=\"%s\" class=\"entry "
                   "answers\" novalidate>",
                p->path);
  gk_srv_hidden_keys(b, rq);
  const char *derr = problem_of(p, "date");
  gk_buf_puts(b, "<div><label for=\"q-date\">Day of these answers</label>");
  if (derr) {
    gk_buf_puts(b, "<p class=\"err\" id=\"q-date-err\">");
    gk_srv_escs(b, derr);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "<input id=\"q-date\" name=\"date\" type=\"date\" "
                 "required value=\"");
  gk_srv_escs(b, date);
  gk_buf_puts(b, "\"></div>");
  const char *group = NULL;
  for (size_t i = 0; i < p->n && i < QMAX; i++) {
    const gk_question *q = &p->qs[i];
    if (q->group != NULL && (group == NULL || strcmp(group, q->group) != 0)) {
      gk_buf_puts(b, "<h2>");
      gk_srv_escs(b, strcmp(q->group, "AKPS") == 0
                         ? "Anterior Knee Pain Scale (Kujala): choose the "
                           "answer that fits best"
                         : q->group);
      gk_buf_puts(b, "</h2>");
    }
    group = q->group;
    one_field(b, p, q);
  }
  gk_buf_puts(b, "<div><button type=\"submit\">Save the answers</button>"
                 "</div></form>");
}

/* ---- the assessment ----------------------------------------------------- */

static const char *how_soon(gk_urgency u) {
  switch (u) {
    case GK_URGENCY_EMERGENCY: return "now: go to an emergency department";
    case GK_URGENCY_URGENT: return "today or tomorrow";
    case GK_URGENCY_SOON: return "within days, at most two weeks";
    case GK_URGENCY_ROUTINE: return "at a routine appointment";
    case GK_URGENCY_NONE: break;
  }
  return "";
}

static void findings(gk_buf *b, const gk_finding *f, size_t n) {
  size_t shown = 0;
  for (size_t i = 0; i < n; i++)
    if (f[i].severity != GK_SEV_REFER) shown++;
  if (shown == 0) {
    gk_buf_puts(b, "<p>No findings: nothing answered fell outside its "
                   "target.</p>");
    return;
  }
  gk_buf_puts(b, "<h2>Findings</h2><ul>");
  for (size_t i = 0; i < n; i++) {
    if (f[i].severity == GK_SEV_REFER) continue;
    gk_buf_puts(b, "<li>");
    gk_srv_escs(b, f[i].text);
    gk_buf_puts(b, "</li>");
  }
  gk_buf_puts(b, "</ul>");
}

static void assessment(gk_buf *b, answers_page *p, const char *json,
                       size_t len) {
  gk_err e = {0};
  if (p->w == GK_QUESTIONS_INTAKE) {
    gk_intake in;
    static _Thread_local gk_intake_result r;
    if (gk_intake_parse(json, len, &in, &e) != GK_OK ||
        gk_intake_assess(&in, &r, &e) != GK_OK) {
      gk_buf_puts(b, "<p class=\"bad\">The answers could not be assessed: ");
      gk_srv_escs(b, e.msg ? e.msg : "?");
      gk_buf_puts(b, "</p>");
      return;
    }
    if (r.n_red_flags > 0) {
      gk_buf_puts(b, "<section class=\"bad\" role=\"alert\" "
                     "aria-labelledby=\"rf\"><h2 id=\"rf\">Red flags: see a "
                     "clinician</h2><ul>");
      for (size_t i = 0; i < r.n_red_flags; i++) {
        const gk_red_flag *f = &r.red_flags[i];
        gk_buf_puts(b, "<li><strong>");
        gk_srv_escs(b, f->who);
        gk_buf_puts(b, ", ");
        gk_srv_escs(b, how_soon(f->urgency));
        gk_buf_puts(b, ".</strong> ");
        gk_srv_escs(b, f->text);
        gk_buf_puts(b, " <span class=\"src\">(");
        gk_srv_escs(b, f->source);
        gk_buf_puts(b, ")</span></li>");
      }
      gk_buf_puts(b, "</ul>");
      gk_buf_puts(b, r.refer ? "<p><strong>Stop the self-managed plan until "
                               "you have been seen as above.</strong></p>"
                             : "<p>These do not stop the plan, but get them "
                               "checked as above.</p>");
      gk_buf_puts(b, "</section>");
    } else {
      gk_buf_puts(b, "<p class=\"ok\">No red flag stops self-management."
                     "</p>");
    }
    if (isnan(r.akps))
      gk_srv_printf(b, "<p>AKPS (Kujala): not scored (%d of 13 items "
                       "answered).</p>",
                    r.akps_answered);
    else
      gk_srv_printf(b, "<p>AKPS (Kujala): <strong>%g</strong>/100.</p>",
                    r.akps);
    findings(b, r.findings, r.n_findings);
  } else {
    gk_screen sc;
    static _Thread_local gk_screen_result r;
    if (gk_screen_parse(json, len, &sc, &e) != GK_OK ||
        gk_screen_assess(&sc, &r, &e) != GK_OK) {
      gk_buf_puts(b, "<p class=\"bad\">The answers could not be assessed: ");
      gk_srv_escs(b, e.msg ? e.msg : "?");
      gk_buf_puts(b, "</p>");
      return;
    }
    findings(b, r.findings, r.n_findings);
  }
  gk_buf_puts(b, "<p><a href=\"/\">See today's plan</a> (the stage and the "
                 "plan take these answers into account).</p>");
}

/* ---- the page ----------------------------------------------------------- */

void gk_srv_page_answers(const gk_srv_request *rq, int screen,
                         gk_srv_response *rs) {
  answers_page *p = calloc(1, sizeof *p);
  if (p == NULL) {
    gk_srv_error_page(rs, 503, "Busy", "Out of memory; try again.");
    return;
  }
  p->w = screen ? GK_QUESTIONS_SCREEN : GK_QUESTIONS_INTAKE;
  p->kind = screen ? "screen" : "intake";
  p->title = screen ? "Functional screen" : "Intake";
  p->path = screen ? "/screen" : "/intake";
  gk_buf *b = &rs->body;
  gk_err e = {0};
  if (gk_questions(p->w, p->qs, QMAX, &p->n, &e) != GK_OK || p->n > QMAX) {
    gk_srv_error_page(rs, 500, "The questions cannot be read",
                      e.msg ? e.msg : "too many questions");
    free(p);
    return;
  }
  char today[11], msg[512];
  gk_day_format(rq->today, today);
  gk_store *s = NULL;
  if (rq->form == NULL) { /* the form, with the latest answers */
    char *json = NULL;
    int64_t day = 0;
    if (gk_srv_open(rq, GK_STORE_READ_ONLY, &s, msg, sizeof msg) == 0) {
      if (gk_store_latest_answers(s, p->kind, INT64_MAX, &json, &day, NULL) !=
          GK_OK)
        json = NULL;
      gk_store_close(s);
    }
    gk_srv_page_start(b, p->title, p->path);
    if (json != NULL) {
      char d[11];
      gk_srv_printf(b, "<p class=\"meta\">Filled in with the answers of %s: "
                       "change what is different today, and save (a new "
                       "set of answers is stored; the old one is kept).</p>",
                    gk_day_format(day, d));
      p->json = json;
      p->json_len = strlen(json);
    } else {
      gk_buf_puts(b, "<p class=\"meta\">Leave what you do not know blank: "
                     "it counts as not known.</p>");
    }
    the_form(b, rq, p, today);
    gk_srv_page_end(b);
    free(json);
    free(p);
    rs->status = 200;
    return;
  }
  /* a sent form: the one reader of typed answers */
  p->form = rq->form;
  gk_buf json = {0};
  const char *date = gk_form_str(rq->form, "date");
  int64_t day = 0;
  gk_status st = gk_answers_from_text(p->w, form_text, p, &json, p->problems,
                                      PROBLEMS_MAX, &p->n_problems, &e);
  if (gk_day_parse(date, &day) != GK_OK && p->n_problems < PROBLEMS_MAX) {
    snprintf(p->problems[p->n_problems].key, GK_QUESTION_KEY_MAX, "date");
    snprintf(p->problems[p->n_problems].msg, 320,
             "give the day as YYYY-MM-DD");
    p->n_problems++;
    st = GK_E_CORRUPT;
  }
  if (st != GK_OK) {
    gk_srv_page_start(b, p->title, p->path);
    gk_buf_puts(b, "<div class=\"bad\" role=\"alert\"><p>Not saved: see the "
                   "messages by the fields.</p>");
    size_t n = p->n_problems < PROBLEMS_MAX ? p->n_problems : PROBLEMS_MAX;
    for (size_t i = 0; i < n; i++)
      if (p->problems[i].key[0] == '\0') { /* about the whole */
        gk_buf_puts(b, "<p>");
        gk_srv_escs(b, p->problems[i].msg);
        gk_buf_puts(b, "</p>");
      }
    gk_buf_puts(b, "</div>");
    the_form(b, rq, p, date);
    gk_srv_page_end(b);
    gk_buf_free(&json);
    free(p);
    rs->status = 422;
    return;
  }
  gk_buf_putc(&json, '\0');
  if (!gk_session_spend(gk_form_str(rq->form, "nonce"))) {
    gk_srv_page_start(b, p->title, p->path);
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">This form was sent "
                   "already (or is too old): nothing new was stored.</p>");
    assessment(b, p, json.data, json.len - 1);
    gk_srv_page_end(b);
    gk_buf_free(&json);
    free(p);
    rs->status = 409;
    return;
  }
  int64_t id = 0;
  st = GK_E_IO;
  if (gk_srv_open(rq, GK_STORE_NO_CREATE, &s, msg, sizeof msg) == 0) {
    st = gk_store_add_answers(s, p->kind, day, json.data, &id);
    if (st != GK_OK) snprintf(msg, sizeof msg, "%s", gk_store_errmsg(s));
    gk_store_close(s);
  }
  gk_srv_page_start(b, p->title, p->path);
  if (st != GK_OK) {
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">Not saved: ");
    gk_srv_escs(b, msg);
    gk_buf_puts(b, "</p>");
    the_form(b, rq, p, date);
    rs->status = 500;
  } else {
    char d[11];
    gk_srv_printf(b, "<p class=\"ok\" role=\"status\">Saved: %s answers #%"
                     PRId64 " of %s.</p>",
                  p->kind, id, gk_day_format(day, d));
    assessment(b, p, json.data, json.len - 1);
    rs->status = 200;
  }
  gk_srv_page_end(b);
  gk_buf_free(&json);
  free(p);
}
