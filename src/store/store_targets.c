/*
** store_targets.c -- the cadence targets the plan set (gaitkeeper/store.h,
** gaitkeeper/load.h gk_cadence_target), one row each, dated.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "gaitkeeper/load.h"
#include "store_internal.h"

static int spm_ok(double v) { return isfinite(v) && v >= 60 && v <= 260; }

gk_status gk_store_add_cadence_target(gk_store *s, const gk_cadence_target *t,
                                      int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || t == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  if (!spm_ok(t->baseline_spm) || !spm_ok(t->target_spm) ||
      t->day < GK_DAY_MIN || t->day > GK_DAY_MAX ||
      memchr(t->origin, '\0', sizeof t->origin) == NULL) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "a cadence target needs a baseline and a target of 60..260 "
             "steps/min, a day of 1900..9999 and a short origin");
    return GK_E_ARG;
  }
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, GK__ST_ADD_CADENCE_TARGET, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_int64(st, 1, t->day);
  if (rc == SQLITE_OK) rc = sqlite3_bind_double(st, 2, t->baseline_spm);
  if (rc == SQLITE_OK) rc = sqlite3_bind_double(st, 3, t->target_spm);
  if (rc == SQLITE_OK)
    rc = isfinite(t->speed_mps) ? sqlite3_bind_double(st, 4, t->speed_mps)
                                : sqlite3_bind_null(st, 4);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 5, t->origin, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
  return gk__store_insert_finish(s, st, rc, "storing the cadence target", id);
}

gk_status gk_store_latest_cadence_target(gk_store *s, int64_t as_of_day,
                                         gk_cadence_target *out) {
  if (out != NULL) memset(out, 0, sizeof *out);
  if (s == NULL || out == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_LATEST_CADENCE_TARGET);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, as_of_day);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status ret = GK_OK;
  if (rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(st, 0);
    out->day = sqlite3_column_int64(st, 1);
    out->baseline_spm = sqlite3_column_double(st, 2);
    out->target_spm = sqlite3_column_double(st, 3);
    out->speed_mps = sqlite3_column_type(st, 4) == SQLITE_NULL
                         ? NAN
                         : sqlite3_column_double(st, 4);
    const unsigned char *o = sqlite3_column_text(st, 5);
    snprintf(out->origin, sizeof out->origin, "%s", o ? (const char *)o : "");
    out->created_at = sqlite3_column_int64(st, 6);
  } else if (rc == SQLITE_DONE) {
    ret = GK_E_NOT_FOUND;
  } else {
    ret = gk__store_fail(s, rc, "reading the cadence target");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ret;
}
