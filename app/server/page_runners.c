/*
** page_runners.c -- the Runners page: a clinic's patient list (search,
** add, archive, bring back) and the choice of whose pages the app shows.
**
**   GET  /runners[?q=TEXT][&all=1]   the list (archived ones with all=1)
**   POST /runners action=use id=N    show runner N's pages (this session)
**   POST /runners action=add name=T  add a runner and show their pages
**   POST /runners action=archive|unarchive id=N
**
** Every page of one runner is scoped to that runner through the store
** handle (gk_srv_open -> gk_store_use_runner); the session only remembers
** which runner a GET shows, and every form carries its own runner, so a
** form sent from a tab opened for one runner is stored for that runner
** even after another tab chose someone else.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/json.h"
#include "gaitkeeper/store.h"
#include "server.h"

typedef struct list_ctx {
  gk_buf *b;
  const gk_srv_request *rq;
  size_t n;
} list_ctx;

static void button_form(gk_buf *b, const gk_srv_request *rq,
                        const char *action, int64_t id, const char *label,
                        const char *name) {
  gk_buf_puts(b, "<form method=\"post\" action=\"/runners\" class=\"inline\">");
  gk_srv_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">",
                rq->csrf ? rq->csrf : "");
  gk_srv_printf(b, "<input type=\"hidden\" name=\"action\" value=\"%s\">"
                   "<input type=\"hidden\" name=\"id\" value=\"%" PRId64 "\">",
                action, id);
  gk_buf_puts(b, "<button type=\"submit\" aria-label=\"");
  gk_srv_escs(b, label);
  gk_buf_puts(b, " ");
  gk_srv_escs(b, name);
  gk_buf_puts(b, "\">");
  gk_srv_escs(b, label);
  gk_buf_puts(b, "</button></form>");
}

static int list_row(void *user, const gk_runner_row *r) {
  list_ctx *c = user;
  gk_buf *b = c->b;
  char d[11];
  c->n++;
  gk_buf_puts(b, "<tr><td>");
  gk_srv_escs(b, r->name);
  if (r->id == c->rq->runner) gk_buf_puts(b, " <em>(shown now)</em>");
  if (r->archived) gk_buf_puts(b, " <em>(archived)</em>");
  gk_srv_printf(b, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>",
                r->n_runs, r->n_pain);
  if (r->last_run_time != INT64_MIN)
    gk_buf_puts(b, gk_day_format(r->last_run_time / 86400, d));
  else
    gk_buf_puts(b, "-");
  gk_buf_puts(b, "</td><td>");
  if (r->last_pain_day != INT64_MIN)
    gk_buf_puts(b, gk_day_format(r->last_pain_day, d));
  else
    gk_buf_puts(b, "-");
  gk_buf_puts(b, "</td><td>");
  button_form(b, c->rq, "use", r->id, "Open", r->name);
  button_form(b, c->rq, r->archived ? "unarchive" : "archive", r->id,
              r->archived ? "Bring back" : "Archive", r->name);
  gk_buf_puts(b, "</td></tr>");
  return 0;
}

static void list_page(const gk_srv_request *rq, gk_srv_response *rs,
                      const char *notice, int bad, const char *name_value) {
  gk_buf *b = &rs->body;
  const char *q = rq->query_q ? rq->query_q : "";
  int all = rq->query_all;
  gk_srv_page_start(b, "Runners", "/runners");
  if (notice != NULL) {
    gk_srv_printf(b, "<p class=\"%s\" role=\"%s\">", bad ? "bad" : "ok",
                  bad ? "alert" : "status");
    gk_srv_escs(b, notice);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "<form method=\"get\" action=\"/runners\" class=\"entry\" "
                 "role=\"search\"><div><label for=\"f-q\">Find a runner"
                 "</label><input id=\"f-q\" name=\"q\" type=\"search\" "
                 "maxlength=\"80\" value=\"");
  gk_srv_escs(b, q);
  gk_srv_printf(b, "\"></div><div><label><input type=\"checkbox\" "
                   "name=\"all\" value=\"1\"%s> archived ones too</label>"
                   "</div><div><button type=\"submit\">Find</button></div>"
                   "</form>",
                all ? " checked" : "");
  gk_store *s = NULL;
  char msg[512];
  gk_buf rows = {0};
  list_ctx c = {&rows, rq, 0};
  if (gk_store_open_ex(&s, rq->db_path, GK_STORE_READ_ONLY, NULL, msg,
                       sizeof msg) != GK_OK) {
    gk_buf_puts(b, "<p class=\"bad\" role=\"alert\">The store cannot be "
                   "read: ");
    gk_srv_escs(b, msg);
    gk_buf_puts(b, "</p>");
  } else {
    gk_store_each_runner(s, q[0] ? q : NULL, all, list_row, &c);
    gk_store_close(s);
  }
  if (c.n == 0) {
    gk_buf_puts(b, q[0] ? "<p>No runner's name holds that text.</p>"
                        : "<p>No runner yet: add one below.</p>");
  } else {
    gk_buf_puts(b, "<div class=\"table\"><table><caption>Runners</caption>"
                   "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">"
                   "Runs</th><th scope=\"col\">Pain entries</th><th "
                   "scope=\"col\">Last run</th><th scope=\"col\">Last pain "
                   "entry</th><th scope=\"col\">Actions</th></tr></thead>"
                   "<tbody>");
    gk_buf_put(b, rows.data, rows.len);
    gk_buf_puts(b, "</tbody></table></div>");
  }
  gk_buf_free(&rows);
  gk_buf_puts(b, "<h2>Add a runner</h2><form method=\"post\" "
                 "action=\"/runners\" class=\"entry\" id=\"add-runner\">");
  gk_srv_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                   "<input type=\"hidden\" name=\"action\" value=\"add\">",
                rq->csrf ? rq->csrf : "");
  gk_buf_puts(b, "<div><label for=\"f-name\">Name</label><input id=\"f-name\" "
                 "name=\"name\" maxlength=\"200\" required value=\"");
  gk_srv_escs(b, name_value ? name_value : "");
  gk_buf_puts(b, "\"");
  if (bad && name_value) gk_buf_puts(b, " aria-invalid=\"true\" "
                                        "aria-describedby=\"e-name\"");
  gk_buf_puts(b, ">");
  if (bad && name_value && notice) {
    gk_buf_puts(b, "<p class=\"err\" id=\"e-name\">");
    gk_srv_escs(b, notice);
    gk_buf_puts(b, "</p>");
  }
  gk_buf_puts(b, "</div><div><button type=\"submit\">Add</button></div>"
                 "</form>");
  gk_srv_page_end(b);
  rs->status = bad ? 422 : 200;
}

/* The id field of the form: > 0, or 0. */
static int64_t form_id(const gk_form *f) {
  const char *v = gk_form_str(f, "id");
  int64_t id = 0;
  for (size_t i = 0; v[i]; i++) {
    if (v[i] < '0' || v[i] > '9' || i >= 18) return 0;
    id = id * 10 + (v[i] - '0');
  }
  return id;
}

static void see_other(gk_srv_response *rs, const char *to) {
  rs->status = 303;
  snprintf(rs->location, sizeof rs->location, "%s", to);
  gk_buf_puts(&rs->body, "<!DOCTYPE html><title>Done</title><a href=\"");
  gk_buf_puts(&rs->body, to);
  gk_buf_puts(&rs->body, "\">Continue</a>");
}

void gk_srv_page_runners(const gk_srv_request *rq, gk_srv_response *rs) {
  if (rq->form == NULL) {
    list_page(rq, rs, NULL, 0, NULL);
    return;
  }
  const char *action = gk_form_str(rq->form, "action");
  gk_store *s = NULL;
  char msg[512];
  if (gk_store_open_ex(&s, rq->db_path, GK_STORE_NO_CREATE, NULL, msg,
                       sizeof msg) != GK_OK) {
    gk_srv_error_page(rs, 500, "The store cannot be written", msg);
    return;
  }
  int64_t id = form_id(rq->form);
  gk_runner_row row;
  if (strcmp(action, "add") == 0) {
    const char *name = gk_form_str(rq->form, "name");
    if (gk_store_add_runner(s, name, &id) != GK_OK) {
      snprintf(msg, sizeof msg, "Not added: %s", gk_store_errmsg(s));
      gk_store_close(s);
      list_page(rq, rs, msg, 1, name);
      return;
    }
    gk_store_close(s);
    gk_session_set_runner(rq->sid, id);
    see_other(rs, "/");
    return;
  }
  if (id <= 0 || gk_store_get_runner(s, id, &row) != GK_OK) {
    gk_store_close(s);
    list_page(rq, rs, "No such runner (the list may have changed): choose "
                      "again.", 1, NULL);
    return;
  }
  if (strcmp(action, "use") == 0) {
    gk_store_close(s);
    gk_session_set_runner(rq->sid, id);
    see_other(rs, "/");
    return;
  }
  if (strcmp(action, "archive") == 0 || strcmp(action, "unarchive") == 0) {
    int arch = strcmp(action, "archive") == 0;
    gk_status st = gk_store_archive_runner(s, id, arch);
    if (st != GK_OK) snprintf(msg, sizeof msg, "%s", gk_store_errmsg(s));
    gk_store_close(s);
    if (st != GK_OK) {
      list_page(rq, rs, msg, 1, NULL);
      return;
    }
    char note[GK_RUNNER_NAME_SIZE + 96];
    snprintf(note, sizeof note,
             arch ? "%s is archived: hidden from the list, nothing deleted "
                    "(tick \"archived ones too\" to find them)."
                  : "%s is back in the list.",
             row.name);
    list_page(rq, rs, note, 0, NULL);
    return;
  }
  gk_store_close(s);
  gk_srv_error_page(rs, 400, "Unknown action",
                    "The Runners page does not know that action.");
}
