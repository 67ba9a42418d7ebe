/*
** store_exercise.c -- the exercise log: one row per session (an exercise
** of data/exercises.json done on a day at one of its steps, with what was
** done and the pain during it).  The exercise id and step are checked
** against the data by gk_exercise_session_check (src/clinic), not here:
** the store knows no data files.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store_internal.h"

static int bind_opt_int(sqlite3_stmt *st, int i, int v) {
  return v < 0 ? sqlite3_bind_null(st, i) : sqlite3_bind_int(st, i, v);
}

static int col_opt_int(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL ? -1
                                                   : sqlite3_column_int(st, i);
}

gk_status gk_store_add_session(gk_store *s, const gk_exercise_session *e,
                               int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || e == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  if (memchr(e->exercise_id, '\0', sizeof e->exercise_id) == NULL ||
      e->exercise_id[0] == '\0' ||
      memchr(e->note, '\0', sizeof e->note) == NULL) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "a session needs an exercise id and terminated fields");
    return GK_E_ARG;
  }
  if (e->step < 1 || e->sets < 0 || e->reps < -1 || e->hold_s < -1 ||
      e->pain < -1 || e->pain > 10 ||
      !(isnan(e->load_kg) || (isfinite(e->load_kg) && e->load_kg >= 0))) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "a session's step is 1 or more, sets, reps, hold and load 0 or "
             "more, pain 0 to 10");
    return GK_E_ARG;
  }
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, GK__ST_ADD_EXERCISE_SESSION, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_int64(st, 1, e->day);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text(st, 2, e->exercise_id, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st, 3, e->step);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st, 4, e->sets);
  if (rc == SQLITE_OK) rc = bind_opt_int(st, 5, e->reps);
  if (rc == SQLITE_OK) rc = bind_opt_int(st, 6, e->hold_s);
  if (rc == SQLITE_OK)
    rc = isnan(e->load_kg) ? sqlite3_bind_null(st, 7)
                           : sqlite3_bind_double(st, 7, e->load_kg);
  if (rc == SQLITE_OK) rc = bind_opt_int(st, 8, e->pain);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 9, e->note, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, 10, (sqlite3_int64)time(NULL));
  return gk__store_insert_finish(s, st, rc, "storing the exercise session", id);
}

static void copy_text(sqlite3_stmt *st, int i, char *dst, size_t size) {
  const unsigned char *t = sqlite3_column_text(st, i);
  size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
  if (n >= size) n = size - 1;
  if (n) memcpy(dst, t, n);
  dst[n] = '\0';
}

gk_status gk_store_each_session(gk_store *s, int64_t as_of_day,
                                int (*fn)(void *user,
                                          const gk_exercise_session *e),
                                void *user) {
  if (s == NULL || fn == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_EXERCISE_SESSION);
  if (st == NULL) return GK_E_IO;
  gk_status out = GK_OK;
  int rc = sqlite3_bind_int64(st, 1, as_of_day);
  if (rc == SQLITE_OK) rc = SQLITE_ROW;
  while (rc == SQLITE_ROW && (rc = gk__store_step(s, st)) == SQLITE_ROW) {
    gk_exercise_session e;
    memset(&e, 0, sizeof e);
    e.id = sqlite3_column_int64(st, 0);
    e.day = sqlite3_column_int64(st, 1);
    copy_text(st, 2, e.exercise_id, sizeof e.exercise_id);
    e.step = sqlite3_column_int(st, 3);
    e.sets = sqlite3_column_int(st, 4);
    e.reps = col_opt_int(st, 5);
    e.hold_s = col_opt_int(st, 6);
    e.load_kg = sqlite3_column_type(st, 7) == SQLITE_NULL
                    ? NAN
                    : sqlite3_column_double(st, 7);
    e.pain = col_opt_int(st, 8);
    copy_text(st, 9, e.note, sizeof e.note);
    e.created_at = sqlite3_column_int64(st, 10);
    if (fn(user, &e) != 0) {
      out = GK_E_STOPPED;
      break;
    }
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "reading the exercise log");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return out;
}
