/*
** store_pain.c -- the pain log: one row per entry (a day, up to three
** scores 0..10, where in the run it began, the run concerned, a note).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_internal.h"

static int valid_score(int v) { return v == -1 || (v >= 0 && v <= 10); }

static int bind_score(sqlite3_stmt *st, int i, int v) {
  return v < 0 ? sqlite3_bind_null(st, i) : sqlite3_bind_int(st, i, v);
}

static int col_score(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? -1
                                                   : sqlite3_column_int(st, i);
}

gk_status gk_store_add_pain(gk_store *s, const gk_pain_entry *e, int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || e == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  if (!valid_score(e->during) || !valid_score(e->after) ||
      !valid_score(e->morning)) {
    snprintf(s->errmsg, sizeof s->errmsg, "pain scores are 0 to 10");
    return GK_E_ARG;
  }
  if (!(isnan(e->onset_km) || (isfinite(e->onset_km) && e->onset_km >= 0))) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "the onset is a distance in km, 0 or more");
    return GK_E_ARG;
  }
  if (e->activity_id < 0 || memchr(e->note, '\0', sizeof e->note) == NULL) {
    snprintf(s->errmsg, sizeof s->errmsg, "invalid pain entry");
    return GK_E_ARG;
  }
  gk_status out = gk__store_begin(s);
  if (out != GK_OK) return out;
  if (e->activity_id > 0) {
    sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ACTIVITY_EXISTS);
    int rc = st ? sqlite3_bind_int64(st, 1, e->activity_id) : SQLITE_ERROR;
    if (rc == SQLITE_OK) rc = gk__store_step(s, st);
    if (rc == SQLITE_DONE) {
      snprintf(s->errmsg, sizeof s->errmsg, "no run with id %lld",
               (long long)e->activity_id);
      out = GK_E_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
      out = st ? gk__store_fail(s, rc, "looking up the run") : GK_E_IO;
    }
    if (st) sqlite3_reset(st);
  }
  if (out == GK_OK) {
    sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ADD_PAIN);
    if (st == NULL) {
      out = GK_E_IO;
    } else {
      int rc = sqlite3_bind_int64(st, 1, e->day);
      if (rc == SQLITE_OK) rc = bind_score(st, 2, e->during);
      if (rc == SQLITE_OK) rc = bind_score(st, 3, e->after);
      if (rc == SQLITE_OK) rc = bind_score(st, 4, e->morning);
      if (rc == SQLITE_OK)
        rc = isnan(e->onset_km) ? sqlite3_bind_null(st, 5)
                                : sqlite3_bind_double(st, 5, e->onset_km);
      if (rc == SQLITE_OK)
        rc = e->activity_id > 0 ? sqlite3_bind_int64(st, 6, e->activity_id)
                                : sqlite3_bind_null(st, 6);
      /* e outlives the step; the bindings are cleared right after it */
      if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 7, e->note, -1, SQLITE_STATIC);
      if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
      if (rc == SQLITE_OK) rc = gk__store_step(s, st);
      if (rc == SQLITE_DONE) {
        if (id != NULL) *id = sqlite3_last_insert_rowid(s->db);
      } else {
        out = gk__store_fail(s, rc, "storing the pain entry");
      }
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
    }
  }
  if (out == GK_OK) out = gk__store_commit(s);
  if (out != GK_OK) {
    gk__store_rollback(s);
    if (id != NULL) *id = 0;
  }
  return out;
}

gk_status gk_store_each_pain(gk_store *s,
                             int (*fn)(void *user, const gk_pain_entry *e),
                             void *user) {
  if (s == NULL || fn == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_PAIN);
  if (st == NULL) return GK_E_IO;
  gk_status out = GK_OK;
  int rc;
  while ((rc = gk__store_step(s, st)) == SQLITE_ROW) {
    gk_pain_entry e;
    memset(&e, 0, sizeof e);
    e.id = sqlite3_column_int64(st, 0);
    e.day = sqlite3_column_int64(st, 1);
    e.during = col_score(st, 2);
    e.after = col_score(st, 3);
    e.morning = col_score(st, 4);
    e.onset_km = sqlite3_column_type(st, 5) == SQLITE_NULL
                     ? NAN
                     : sqlite3_column_double(st, 5);
    e.activity_id = sqlite3_column_int64(st, 6); /* NULL reads as 0 */
    const unsigned char *t = sqlite3_column_text(st, 7);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, 7) : 0;
    if (n >= sizeof e.note) n = sizeof e.note - 1;
    if (n) memcpy(e.note, t, n);
    e.note[n] = '\0';
    if (fn(user, &e) != 0) {
      out = GK_E_STOPPED;
      break;
    }
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "listing the pain log");
  sqlite3_reset(st);
  return out;
}
