/*
** store_docs.c -- the stored documents: gait captures (their analysis as
** JSON) and the runner's answers (intake and screen, as JSON).  SQLite
** checks the JSON (json_valid) so a half-written or broken document is
** never stored.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_internal.h"

static int bind_text_or_null(sqlite3_stmt *st, int i, const char *s) {
  return s && s[0] ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
                   : sqlite3_bind_null(st, i);
}

gk_status gk_store_add_capture(gk_store *s, const char *kind,
                               const char *view, const char *source_path,
                               int64_t day, const char *analysis_json,
                               int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  if (kind == NULL || (strcmp(kind, "3d") != 0 && strcmp(kind, "2d") != 0) ||
      analysis_json == NULL) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "a capture is of kind 3d or 2d, with its analysis");
    return GK_E_ARG;
  }
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, GK__ST_ADD_CAPTURE, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 2, view ? view : "", -1,
                                              SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = bind_text_or_null(st, 3, source_path);
  if (rc == SQLITE_OK)
    rc = day == INT64_MIN ? sqlite3_bind_null(st, 4)
                          : sqlite3_bind_int64(st, 4, day);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 5, analysis_json, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
  return gk__store_insert_finish(s, st, rc, "storing the capture", id);
}

static void copy_col(sqlite3_stmt *st, int i, char *dst, size_t size) {
  const unsigned char *t = sqlite3_column_text(st, i);
  size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
  if (n >= size) n = size - 1;
  if (n) memcpy(dst, t, n);
  dst[n] = '\0';
}

/* Fill row from the current result row; analysis points into SQLite's
   memory when own is 0, else is a malloc'd copy (NULL on failure). */
static int read_capture(sqlite3_stmt *st, gk_capture_row *row, int own) {
  memset(row, 0, sizeof *row);
  row->id = sqlite3_column_int64(st, 0);
  copy_col(st, 1, row->kind, sizeof row->kind);
  copy_col(st, 2, row->view, sizeof row->view);
  copy_col(st, 3, row->source_path, sizeof row->source_path);
  row->day = sqlite3_column_type(st, 4) == SQLITE_NULL
                 ? INT64_MIN
                 : sqlite3_column_int64(st, 4);
  row->created_at = sqlite3_column_int64(st, 5);
  const char *a = (const char *)sqlite3_column_text(st, 6);
  size_t n = a ? (size_t)sqlite3_column_bytes(st, 6) : 0;
  if (!own) {
    row->analysis = (char *)(a ? a : "");
    return 1;
  }
  row->analysis = (char *)malloc(n + 1);
  if (row->analysis == NULL) return 0;
  if (n) memcpy(row->analysis, a, n);
  row->analysis[n] = '\0';
  return 1;
}

gk_status gk_store_latest_capture(gk_store *s, const char *kind,
                                  int64_t as_of_day, gk_capture_row *out) {
  if (s == NULL || out == NULL) return GK_E_ARG;
  memset(out, 0, sizeof *out);
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_LATEST_CAPTURE);
  if (st == NULL) return GK_E_IO;
  int rc = bind_text_or_null(st, 1, kind);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, as_of_day);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status ret = GK_OK;
  if (rc == SQLITE_ROW) {
    if (!read_capture(st, out, 1)) ret = GK_E_NOMEM;
  } else if (rc == SQLITE_DONE) {
    ret = GK_E_NOT_FOUND;
  } else {
    ret = gk__store_fail(s, rc, "reading the captures");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ret;
}

gk_status gk_store_each_capture(gk_store *s,
                                int (*fn)(void *user,
                                          const gk_capture_row *row),
                                void *user) {
  if (s == NULL || fn == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_CAPTURE);
  if (st == NULL) return GK_E_IO;
  gk_status out = GK_OK;
  int rc;
  while ((rc = gk__store_step(s, st)) == SQLITE_ROW) {
    gk_capture_row row;
    read_capture(st, &row, 0);
    if (fn(user, &row) != 0) {
      out = GK_E_STOPPED;
      break;
    }
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "listing the captures");
  sqlite3_reset(st);
  return out;
}

static int valid_answers_kind(const char *kind) {
  return kind && (strcmp(kind, "intake") == 0 || strcmp(kind, "screen") == 0);
}

gk_status gk_store_add_answers(gk_store *s, const char *kind, int64_t day,
                               const char *json, int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  if (!valid_answers_kind(kind) || json == NULL) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "answers are of kind intake or screen, as JSON");
    return GK_E_ARG;
  }
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, GK__ST_ADD_ANSWERS, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, day);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
  return gk__store_insert_finish(s, st, rc, "storing the answers", id);
}

gk_status gk_store_latest_answers(gk_store *s, const char *kind,
                                  int64_t as_of_day, char **json, int64_t *day,
                                  int64_t *id) {
  if (json != NULL) *json = NULL;
  if (s == NULL || json == NULL || !valid_answers_kind(kind)) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_LATEST_ANSWERS);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, as_of_day);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status ret = GK_OK;
  if (rc == SQLITE_ROW) {
    if (id != NULL) *id = sqlite3_column_int64(st, 0);
    if (day != NULL) *day = sqlite3_column_int64(st, 1);
    const char *a = (const char *)sqlite3_column_text(st, 2);
    size_t n = a ? (size_t)sqlite3_column_bytes(st, 2) : 0;
    *json = (char *)malloc(n + 1);
    if (*json == NULL) {
      ret = GK_E_NOMEM;
    } else {
      if (n) memcpy(*json, a, n);
      (*json)[n] = '\0';
    }
  } else if (rc == SQLITE_DONE) {
    ret = GK_E_NOT_FOUND;
  } else {
    ret = gk__store_fail(s, rc, "reading the answers");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ret;
}

gk_status gk_store_each_answers(gk_store *s, const char *kind,
                                int64_t as_of_day,
                                int (*fn)(void *user, int64_t id, int64_t day,
                                          const char *json),
                                void *user) {
  if (s == NULL || fn == NULL || !valid_answers_kind(kind)) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_ANSWERS);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, as_of_day);
  gk_status ret = GK_OK;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    if ((rc = gk__store_step(s, st)) != SQLITE_ROW) break;
    const char *a = (const char *)sqlite3_column_text(st, 2);
    if (fn(user, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
           a ? a : "") != 0) {
      ret = GK_E_STOPPED;
      break;
    }
  }
  if (ret == GK_OK && rc != SQLITE_DONE)
    ret = gk__store_fail(s, rc, "reading the answers");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ret;
}

/* ---- the clinician's entries ------------------------------------------- */

static int field_ok(const char *f, size_t size) {
  return memchr(f, '\0', size) != NULL;
}

gk_status gk_store_add_clinician(gk_store *s, const gk_clinician_entry *e,
                                 int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || e == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  const char *kind = gk_clinician_kind_name(e->kind);
  const char *sev = (unsigned)e->severity <= GK_SEV_WARNING
                        ? gk_severity_name(e->severity)
                                                  : NULL;
  if (kind == NULL || sev == NULL || !field_ok(e->target, sizeof e->target) ||
      !field_ok(e->text, sizeof e->text) ||
      !field_ok(e->reason, sizeof e->reason) ||
      !field_ok(e->author, sizeof e->author)) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "a clinician's entry needs a known kind and severity and "
             "terminated fields");
    return GK_E_ARG;
  }
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, GK__ST_ADD_CLINICIAN, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_int64(st, 1, e->day);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 3, e->target, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 4, e->text, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 5, e->reason, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 6, e->author, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 7, sev, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
  return gk__store_insert_finish(s, st, rc, "storing the clinician's entry", id);
}

gk_status gk_store_each_clinician(gk_store *s, int64_t as_of_day,
                                  int (*fn)(void *user,
                                            const gk_clinician_entry *e),
                                  void *user) {
  if (s == NULL || fn == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_CLINICIAN);
  if (st == NULL) return GK_E_IO;
  gk_status out = GK_OK;
  int rc = sqlite3_bind_int64(st, 1, as_of_day);
  gk_clinician_entry e;
  if (rc == SQLITE_OK) rc = SQLITE_ROW;
  while (rc == SQLITE_ROW && (rc = gk__store_step(s, st)) == SQLITE_ROW) {
    memset(&e, 0, sizeof e);
    e.id = sqlite3_column_int64(st, 0);
    e.day = sqlite3_column_int64(st, 1);
    char kind[32], sev[16];
    copy_col(st, 2, kind, sizeof kind);
    int k = gk_clinician_kind_parse(kind);
    e.kind = k < 0 ? GK_CLIN_NOTE : (gk_clinician_kind)k;
    copy_col(st, 3, e.target, sizeof e.target);
    copy_col(st, 4, e.text, sizeof e.text);
    copy_col(st, 5, e.reason, sizeof e.reason);
    copy_col(st, 6, e.author, sizeof e.author);
    copy_col(st, 7, sev, sizeof sev);
    int sv = gk_severity_from_name(sev);
    e.severity = sv < 0 ? GK_SEV_CAUTION : (gk_severity)sv;
    e.created_at = sqlite3_column_int64(st, 8);
    if (fn(user, &e) != 0) {
      out = GK_E_STOPPED;
      break;
    }
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "reading the clinician's entries");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return out;
}
