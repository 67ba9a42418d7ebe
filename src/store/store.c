/*
** store.c -- opening the store: the file and its directory (owner-only
** permissions), recognising a gaitkeeper store, WAL mode, schema
** migrations; the statement cache, errors and transactions shared by the
** other files of src/store/.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_internal.h"

/* ---- the statements ------------------------------------------------------ */

#define SUM_COL(ID, name) #name ", "
#define SUM_PARAM(ID, name) "?, "
#define SERIES_COL(name) ", " #name
#define SERIES_PARAM(name) ", ?"

static const char *const stmt_sql[GK__ST_COUNT] = {
    [GK__ST_BEGIN] = "BEGIN IMMEDIATE",
    [GK__ST_COMMIT] = "COMMIT",
    [GK__ST_ROLLBACK] = "ROLLBACK",
    [GK__ST_FIND_HASH] = "SELECT id FROM activities WHERE content_hash = ?1 AND runner_id = @runner",
    [GK__ST_ADD_ACTIVITY] =
        "INSERT INTO activities (content_hash, start_time, start_unknown, "
        "flags, sport, sub_sport, source_format, source_path, device, "
        "manufacturer, product, product_name, serial, " GK_SUMMARY_FIELDS(
            SUM_COL) "computed, n_samples, n_laps, n_sessions, imported_at, "
                     "runner_id) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        GK_SUMMARY_FIELDS(SUM_PARAM) "?, ?, ?, ?, ?, @runner)",
    [GK__ST_ADD_LAP] =
        "INSERT INTO laps (activity_id, idx, start_s, elapsed_s, timer_s, "
        "distance_m, avg_hr, max_hr, avg_cadence_spm, avg_cadence_rpm, "
        "avg_speed_mps, session) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [GK__ST_ADD_SESSION] =
        "INSERT INTO sessions (activity_id, idx, sport, sub_sport, start_s, "
        "on_foot, first_lap, n_laps, first_sample, n_samples, " GK_SUMMARY_FIELDS(
            SUM_COL) "computed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        GK_SUMMARY_FIELDS(SUM_PARAM) "?)",
    [GK__ST_ADD_SAMPLES] =
        "INSERT INTO samples (activity_id, n, encoding" GK_SERIES_COLUMNS(
            SERIES_COL) ") VALUES (?, ?, ?" GK_SERIES_COLUMNS(SERIES_PARAM) ")",
    [GK__ST_EACH_RUN] =
        "SELECT id, start_time, flags, sport, sub_sport, source_format, "
        "source_path, device, content_hash, n_samples, n_laps, imported_at, "
        GK_SUMMARY_FIELDS(SUM_COL) "computed FROM activities "
                                   "WHERE runner_id = @runner "
                                   "ORDER BY start_time, id",
    [GK__ST_GET_ACTIVITY] =
        "SELECT start_time, flags, sport, sub_sport, source_format, "
        "source_path, manufacturer, product, product_name, serial, "
        "content_hash, " GK_SUMMARY_FIELDS(SUM_COL) "computed "
                                                    "FROM activities WHERE id "
                                                    "= ?1 AND runner_id = "
                                                    "@runner",
    [GK__ST_GET_LAPS] =
        "SELECT start_s, elapsed_s, timer_s, distance_m, avg_hr, max_hr, "
        "avg_cadence_spm, avg_cadence_rpm, avg_speed_mps, session FROM laps "
        "WHERE activity_id = ?1 ORDER BY idx",
    [GK__ST_GET_SESSIONS] =
        "SELECT sport, sub_sport, start_s, on_foot, first_lap, n_laps, "
        "first_sample, n_samples, " GK_SUMMARY_FIELDS(
            SUM_COL) "computed FROM sessions WHERE activity_id = ?1 "
                     "ORDER BY idx",
    [GK__ST_GET_SAMPLES] =
        "SELECT n, encoding" GK_SERIES_COLUMNS(
            SERIES_COL) " FROM samples WHERE activity_id = ?1",
    [GK__ST_ACTIVITY_EXISTS] = "SELECT 1 FROM activities WHERE id = ?1 AND runner_id = @runner",
    [GK__ST_ADD_PAIN] =
        "INSERT INTO pain (day, during, \"after\", morning, onset_km, "
        "activity_id, note, created_at, runner_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, @runner)",
    [GK__ST_EACH_PAIN] =
        "SELECT id, day, during, \"after\", morning, onset_km, activity_id, "
        "note FROM pain WHERE runner_id = @runner ORDER BY day, id",
    [GK__ST_ADD_CAPTURE] =
        "INSERT INTO captures (kind, view, source_path, day, analysis, "
        "created_at, runner_id) VALUES (?, ?, ?, ?, ?, ?, @runner)",
    [GK__ST_LATEST_CAPTURE] =
        "SELECT id, kind, view, source_path, day, created_at, analysis "
        "FROM captures WHERE (?1 IS NULL OR kind = ?1) "
        "AND COALESCE(day, created_at / 86400) <= ?2 AND runner_id = @runner "
        "ORDER BY COALESCE(day, created_at / 86400) DESC, id DESC LIMIT 1",
    [GK__ST_EACH_CAPTURE] =
        "SELECT id, kind, view, source_path, day, created_at, analysis "
        "FROM captures WHERE runner_id = @runner ORDER BY id",
    [GK__ST_ADD_ANSWERS] =
        "INSERT INTO answers (kind, day, answers, created_at, runner_id) "
        "VALUES (?, ?, ?, ?, @runner)",
    [GK__ST_LATEST_ANSWERS] =
        "SELECT id, day, answers FROM answers WHERE kind = ?1 AND day <= ?2 "
        "AND runner_id = @runner ORDER BY day DESC, id DESC LIMIT 1",
    [GK__ST_EACH_ANSWERS] =
        "SELECT id, day, answers FROM answers WHERE kind = ?1 AND day <= ?2 "
        "AND runner_id = @runner ORDER BY day, id",
    [GK__ST_ADD_CLINICIAN] =
        "INSERT INTO clinician (day, kind, target, text, reason, author, "
        "severity, created_at, runner_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, @runner)",
    [GK__ST_EACH_CLINICIAN] =
        "SELECT id, day, kind, target, text, reason, author, severity, "
        "created_at FROM clinician WHERE day <= ?1 AND runner_id = @runner "
        "ORDER BY day, id",
    [GK__ST_ADD_CADENCE_TARGET] =
        "INSERT INTO cadence_target (day, baseline_spm, target_spm, "
        "speed_mps, origin, created_at, runner_id) "
        "VALUES (?, ?, ?, ?, ?, ?, @runner)",
    [GK__ST_LATEST_CADENCE_TARGET] =
        "SELECT id, day, baseline_spm, target_spm, speed_mps, origin, "
        "created_at FROM cadence_target WHERE day <= ?1 AND runner_id = @runner "
        "ORDER BY day DESC, id DESC LIMIT 1",
    [GK__ST_ADD_EXERCISE_SESSION] =
        "INSERT INTO exercise_session (day, exercise_id, step, sets, reps, "
        "hold_s, load_kg, pain, note, created_at, runner_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, @runner)",
    [GK__ST_EACH_EXERCISE_SESSION] =
        "SELECT id, day, exercise_id, step, sets, reps, hold_s, load_kg, pain, "
        "note, created_at FROM exercise_session WHERE day <= ?1 "
        "AND runner_id = @runner "
        "ORDER BY day, id",
    [GK__ST_RUNNER_DEFAULT] =
        "SELECT (SELECT count(*) FROM runner WHERE archived = 0), "
        "(SELECT min(id) FROM runner WHERE archived = 0), "
        "(SELECT count(*) FROM runner)",
    [GK__ST_RUNNER_CREATE_FIRST] =
        "INSERT INTO runner (name, created_at) SELECT 'Runner 1', ?1 "
        "WHERE NOT EXISTS (SELECT 1 FROM runner)",
    [GK__ST_ADD_RUNNER] =
        "INSERT INTO runner (name, created_at) VALUES (?1, ?2)",
    [GK__ST_RENAME_RUNNER] = "UPDATE runner SET name = ?2 WHERE id = ?1",
    [GK__ST_ARCHIVE_RUNNER] = "UPDATE runner SET archived = ?2 WHERE id = ?1",
    [GK__ST_EACH_RUNNER] =
        "SELECT r.id, r.name, r.created_at, r.archived, "
        "(SELECT count(*) FROM activities a WHERE a.runner_id = r.id), "
        "(SELECT max(start_time) FROM activities a WHERE a.runner_id = r.id), "
        "(SELECT count(*) FROM pain p WHERE p.runner_id = r.id), "
        "(SELECT max(day) FROM pain p WHERE p.runner_id = r.id) "
        "FROM runner r WHERE (?1 IS NULL OR instr(lower(r.name), lower(?1)) > 0) "
        "AND (?2 OR r.archived = 0) AND (?3 IS NULL OR r.id = ?3) "
        "ORDER BY r.name COLLATE NOCASE, r.id",
    [GK__ST_FIND_RUNNER] =
        "SELECT id FROM runner WHERE (?1 IS NOT NULL AND id = ?1) "
        "OR (?2 IS NOT NULL AND name = ?2)",
};

/* Bind the handle's runner to the statement's @runner, if it has one: every
   per-runner statement is scoped by it.  A per-runner statement without a
   runner chosen (gk__store_scope not called first) is refused. */
static sqlite3_stmt *bind_runner(gk_store *s, sqlite3_stmt *st) {
  /* @runner comes last in each statement's text, after every ?N, so it
     has an index of its own */
  int i = sqlite3_bind_parameter_index(st, "@runner");
  if (i == 0) return st;
  if (!s->scoped) {
    snprintf(s->errmsg, sizeof s->errmsg, "no runner chosen for this query");
    return NULL;
  }
  int rc = sqlite3_bind_int64(st, i, s->runner);
  if (rc != SQLITE_OK) {
    gk__store_fail(s, rc, "choosing the runner");
    return NULL;
  }
  return st;
}

sqlite3_stmt *gk__store_stmt(gk_store *s, enum gk__stmt_id id) {
  sqlite3_stmt *st = s->stmt[id];
  if (st != NULL) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return bind_runner(s, st);
  }
  int rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1,
                              SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) {
    gk__store_fail(s, rc, "preparing a statement");
    sqlite3_finalize(st);
    return NULL;
  }
  s->stmt[id] = st;
  return bind_runner(s, st);
}

/* ---- errors and steps ---------------------------------------------------- */

int gk__store_step(gk_store *s, sqlite3_stmt *st) {
  if (s->fail_countdown > 0 && --s->fail_countdown == 0) {
    s->fail_countdown = -1; /* fired: gk__store_fail says so */
    return SQLITE_IOERR;
  }
  return sqlite3_step(st);
}

static gk_status status_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return GK_OK;
    case SQLITE_NOMEM:
      return GK_E_NOMEM;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return GK_E_ARG;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return GK_E_CORRUPT;
    case SQLITE_TOOBIG:
      return GK_E_LIMIT;
    default:
      return GK_E_IO;
  }
}

gk_status gk__store_fail(gk_store *s, int rc, const char *doing) {
  const char *why;
  if (s->fail_countdown == -1) {
    why = "injected failure (test)";
    s->fail_countdown = 0;
  } else {
    why = sqlite3_errmsg(s->db);
  }
  snprintf(s->errmsg, sizeof s->errmsg, "%s: %s", doing, why);
  gk_status st = status_of(rc);
  return st == GK_OK ? GK_E_IO : st;
}

/* Step a parameterless statement that returns no rows, then reset it. */
static gk_status run_simple(gk_store *s, enum gk__stmt_id id,
                            const char *doing) {
  sqlite3_stmt *st = gk__store_stmt(s, id);
  if (st == NULL) return GK_E_IO;
  int rc = gk__store_step(s, st);
  gk_status out = GK_OK;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) out = gk__store_fail(s, rc, doing);
  sqlite3_reset(st);
  return out;
}

sqlite3_stmt *gk__store_insert_start(gk_store *s, enum gk__stmt_id id,
                                     gk_status *out) {
  *out = gk__store_begin(s);
  if (*out != GK_OK) return NULL;
  sqlite3_stmt *st = gk__store_stmt(s, id);
  if (st == NULL) {
    gk__store_rollback(s);
    *out = GK_E_IO;
  }
  return st;
}

gk_status gk__store_insert_finish(gk_store *s, sqlite3_stmt *st, int rc,
                                  const char *doing, int64_t *id) {
  gk_status out = GK_OK;
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  if (rc == SQLITE_DONE) {
    if (id != NULL) *id = sqlite3_last_insert_rowid(s->db);
  } else {
    out = gk__store_fail(s, rc, doing);
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (out == GK_OK) out = gk__store_commit(s);
  if (out != GK_OK) {
    gk__store_rollback(s);
    if (id != NULL) *id = 0;
  }
  return out;
}


gk_status gk__store_begin(gk_store *s) {
  if (s->read_only) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "the store was opened read-only: nothing can be written");
    return GK_E_ARG;
  }
  return run_simple(s, GK__ST_BEGIN, "starting a transaction");
}

gk_status gk__store_commit(gk_store *s) {
  return run_simple(s, GK__ST_COMMIT, "committing");
}

void gk__store_rollback(gk_store *s) {
  if (sqlite3_get_autocommit(s->db)) return; /* no transaction open */
  char keep[sizeof s->errmsg];
  memcpy(keep, s->errmsg, sizeof keep);
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ROLLBACK);
  if (st != NULL) {
    sqlite3_step(st); /* no fault injection: the rollback must happen */
    sqlite3_reset(st);
  }
  memcpy(s->errmsg, keep, sizeof keep); /* report the first failure */
}

int gk__store_exec_script(gk_store *s, const char *sql) {
  const char *tail = sql;
  while (tail != NULL && *tail != '\0') {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, tail, -1, &st, &tail);
    if (rc != SQLITE_OK) return rc;
    if (st == NULL) break; /* only whitespace or comments were left */
    do rc = gk__store_step(s, st);
    while (rc == SQLITE_ROW);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return rc;
  }
  return SQLITE_OK;
}

/* SQLITE_OK when no row breaks a foreign key, else SQLITE_CONSTRAINT. */
static int foreign_keys_hold(sqlite3 *db) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    rc = rc == SQLITE_DONE ? SQLITE_OK
         : rc == SQLITE_ROW ? SQLITE_CONSTRAINT
                            : rc;
  }
  sqlite3_finalize(st);
  return rc;
}

/* ---- test hooks ---------------------------------------------------------- */

void gk__store_fail_after(gk_store *s, int n) {
  if (s != NULL) s->fail_countdown = n > 0 ? n : 0;
}

/* Append text to the growing buffer *buf (its length *len); -1 when out of
   memory. */
static int append(char **buf, size_t *len, const char *text) {
  size_t n = strlen(text);
  char *p = (char *)realloc(*buf, *len + n + 1);
  if (p == NULL) return -1;
  memcpy(p + *len, text, n + 1);
  *buf = p;
  *len += n;
  return 0;
}

/* The script that takes a schema-5 store back to schema 4, built from the
   schema-4 definitions as migrations 1..4 create them (in a scratch
   in-memory database): each per-runner table rebuilt without runner_id,
   its schema-4 indexes back, the runner table dropped. */
static int downgrade_v4_script(char **out) {
  static const char *const tables[] = {
      "activities", "pain",           "captures",       "answers",
      "clinician",  "exercise_session", "cadence_target"};
  *out = NULL;
  sqlite3 *mem = NULL;
  int rc = sqlite3_open(":memory:", &mem);
  for (int v = 0; rc == SQLITE_OK && v < 4; v++)
    rc = sqlite3_exec(mem, gk__store_migrations[v], NULL, NULL, NULL);
  char *buf = NULL, line[512];
  size_t len = 0;
  for (size_t i = 0; rc == SQLITE_OK && i < sizeof tables / sizeof *tables;
       i++) {
    const char *tb = tables[i];
    sqlite3_stmt *st = NULL;
    /* CREATE TABLE tb (...) becomes CREATE TABLE tb__v4 (...) */
    rc = sqlite3_prepare_v2(mem,
                            "SELECT sql FROM sqlite_master WHERE type = "
                            "'table' AND name = ?1",
                            -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, tb, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const char *sql = (const char *)sqlite3_column_text(st, 0);
      const char *paren = sql ? strchr(sql, '(') : NULL;
      snprintf(line, sizeof line, "CREATE TABLE %s__v4 ", tb);
      if (paren == NULL || append(&buf, &len, line) ||
          append(&buf, &len, paren) || append(&buf, &len, ";"))
        rc = SQLITE_NOMEM;
    } else if (rc == SQLITE_OK) {
      rc = SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    /* the columns, copied by name */
    char cols[4096];
    size_t cl = 0;
    cols[0] = '\0';
    snprintf(line, sizeof line, "SELECT name FROM pragma_table_info('%s')", tb);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(mem, line, -1, &st, NULL);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      int n = snprintf(cols + cl, sizeof cols - cl, "%s\"%s\"", cl ? ", " : "",
                       (const char *)sqlite3_column_text(st, 0));
      if (n < 0 || (size_t)n >= sizeof cols - cl) rc = SQLITE_TOOBIG;
      else cl += (size_t)n;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) {
      snprintf(line, sizeof line, "INSERT INTO %s__v4 (", tb);
      if (append(&buf, &len, line) || append(&buf, &len, cols) ||
          append(&buf, &len, ") SELECT ") || append(&buf, &len, cols))
        rc = SQLITE_NOMEM;
      snprintf(line, sizeof line,
               " FROM %s; DROP TABLE %s; ALTER TABLE %s__v4 RENAME TO %s;", tb,
               tb, tb, tb);
      if (rc == SQLITE_OK && append(&buf, &len, line)) rc = SQLITE_NOMEM;
    }
    /* its schema-4 indexes */
    if (rc == SQLITE_OK)
      rc = sqlite3_prepare_v2(mem,
                              "SELECT sql FROM sqlite_master WHERE type = "
                              "'index' AND tbl_name = ?1 AND sql IS NOT NULL",
                              -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(st, 1, tb, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      if (append(&buf, &len, (const char *)sqlite3_column_text(st, 0)) ||
          append(&buf, &len, ";"))
        rc = SQLITE_NOMEM;
    sqlite3_finalize(st);
  }
  sqlite3_close(mem);
  if (rc == SQLITE_OK &&
      append(&buf, &len, "DROP TABLE runner; PRAGMA user_version = 4;"))
    rc = SQLITE_NOMEM;
  if (rc != SQLITE_OK) {
    free(buf);
    return rc;
  }
  *out = buf;
  return SQLITE_OK;
}

gk_status gk__store_downgrade_to_v4(gk_store *s) {
  if (s == NULL) return GK_E_ARG;
  char *script = NULL;
  int rc = downgrade_v4_script(&script);
  if (rc != SQLITE_OK) return gk__store_fail(s, rc, "downgrading");
  rc = gk__store_exec_script(s, "PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE");
  if (rc == SQLITE_OK) rc = gk__store_exec_script(s, script);
  if (rc == SQLITE_OK) rc = foreign_keys_hold(s->db);
  if (rc == SQLITE_OK) rc = gk__store_exec_script(s, "COMMIT");
  free(script);
  gk_status out = rc == SQLITE_OK ? GK_OK : gk__store_fail(s, rc, "downgrading");
  if (!sqlite3_get_autocommit(s->db)) gk__store_exec_script(s, "ROLLBACK");
  gk__store_exec_script(s, "PRAGMA foreign_keys = ON");
  for (int i = 0; i < GK__ST_COUNT; i++) { /* they name the old columns */
    sqlite3_finalize(s->stmt[i]);
    s->stmt[i] = NULL;
  }
  s->scoped = 0;
  s->runner = 0;
  return out;
}

gk_status gk__store_downgrade_to_v1(gk_store *s) {
  if (s == NULL) return GK_E_ARG;
  gk_status d = gk__store_downgrade_to_v4(s);
  if (d != GK_OK) return d;
  int rc = gk__store_exec_script(
      s, "DROP TABLE cadence_target; DROP TABLE exercise_session; DROP TABLE "
         "clinician; DROP TABLE captures; DROP TABLE answers; "
         "PRAGMA user_version = 1;");
  return rc == SQLITE_OK ? GK_OK : gk__store_fail(s, rc, "downgrading");
}

gk_status gk__store_downgrade_to_v2(gk_store *s) {
  if (s == NULL) return GK_E_ARG;
  gk_status d = gk__store_downgrade_to_v4(s);
  if (d != GK_OK) return d;
  int rc = gk__store_exec_script(
      s, "DROP TABLE cadence_target; DROP TABLE exercise_session; "
         "DROP TABLE clinician; "
         "PRAGMA user_version = 2;");
  return rc == SQLITE_OK ? GK_OK : gk__store_fail(s, rc, "downgrading");
}

gk_status gk__store_downgrade_to_v3(gk_store *s) {
  if (s == NULL) return GK_E_ARG;
  gk_status d = gk__store_downgrade_to_v4(s);
  if (d != GK_OK) return d;
  int rc = gk__store_exec_script(
      s, "DROP TABLE cadence_target; DROP TABLE exercise_session; "
         "PRAGMA user_version = 3;");
  return rc == SQLITE_OK ? GK_OK : gk__store_fail(s, rc, "downgrading");
}

gk_status gk__store_drop_table(gk_store *s, const char *table) {
  static const char *const sql[][2] = {
      {"activities", "DROP TABLE activities"},
      {"laps", "DROP TABLE laps"},
      {"sessions", "DROP TABLE sessions"},
      {"samples", "DROP TABLE samples"},
      {"pain", "DROP TABLE pain"},
      {"captures", "DROP TABLE captures"},
      {"answers", "DROP TABLE answers"},
      {"clinician", "DROP TABLE clinician"},
      {"cadence_target", "DROP TABLE cadence_target"},
      {"exercise_session", "DROP TABLE exercise_session"},
      {"runner", "DROP TABLE runner"},
  };
  if (s == NULL || table == NULL) return GK_E_ARG;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
    if (strcmp(table, sql[i][0]) != 0) continue;
    int rc = gk__store_exec_script(s, sql[i][1]);
    return rc == SQLITE_OK ? GK_OK : gk__store_fail(s, rc, "dropping a table");
  }
  return GK_E_ARG;
}

gk_status gk__store_count(gk_store *s, const char *table, int64_t *n) {
  static const char *const sql[][2] = {
      {"activities", "SELECT count(*) FROM activities"},
      {"laps", "SELECT count(*) FROM laps"},
      {"sessions", "SELECT count(*) FROM sessions"},
      {"samples", "SELECT count(*) FROM samples"},
      {"pain", "SELECT count(*) FROM pain"},
      {"captures", "SELECT count(*) FROM captures"},
      {"answers", "SELECT count(*) FROM answers"},
      {"clinician", "SELECT count(*) FROM clinician"},
      {"cadence_target", "SELECT count(*) FROM cadence_target"},
      {"exercise_session", "SELECT count(*) FROM exercise_session"},
      {"runner", "SELECT count(*) FROM runner"},
  };
  if (s == NULL || table == NULL || n == NULL) return GK_E_ARG;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
    if (strcmp(table, sql[i][0]) != 0) continue;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql[i][1], -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    gk_status out = GK_OK;
    if (rc == SQLITE_ROW)
      *n = sqlite3_column_int64(st, 0);
    else
      out = gk__store_fail(s, rc, "counting rows");
    sqlite3_finalize(st);
    return out;
  }
  return GK_E_ARG;
}

gk_status gk__store_count_null(gk_store *s, const char *field, int64_t *n) {
  static const char *const fields[] = {
#define NAME(ID, name) #name,
      GK_SUMMARY_FIELDS(NAME)
#undef NAME
  };
  if (s == NULL || field == NULL || n == NULL) return GK_E_ARG;
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    if (strcmp(field, fields[i]) != 0) continue;
    char sql[128]; /* the name is one of ours, never the caller's text */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM activities WHERE %s IS NULL", fields[i]);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    gk_status out = GK_OK;
    if (rc == SQLITE_ROW)
      *n = sqlite3_column_int64(st, 0);
    else
      out = gk__store_fail(s, rc, "counting rows");
    sqlite3_finalize(st);
    return out;
  }
  return GK_E_ARG;
}

/* ---- the default path ---------------------------------------------------- */

gk_status gk_store_default_path(char *out, size_t size) {
  if (out == NULL || size == 0) return GK_E_ARG;
  const char *base = getenv("XDG_DATA_HOME"), *suffix = "";
  if (base == NULL || base[0] != '/') { /* the spec: relative is invalid */
    base = getenv("HOME");
    if (base == NULL || base[0] == '\0') return GK_E_NOT_FOUND;
    suffix = "/.local/share";
  }
  size_t blen = strlen(base);
  while (blen > 1 && base[blen - 1] == '/') blen--;
  int n = snprintf(out, size, "%.*s%s/gaitkeeper/gaitkeeper.db", (int)blen,
                   base, suffix);
  if (n < 0 || (size_t)n >= size) {
    out[0] = '\0';
    return GK_E_LIMIT;
  }
  return GK_OK;
}

/* ---- opening ------------------------------------------------------------- */

/* Fill err and msg for a failed open; returns code. */
static gk_status open_fail(gk_err *err, char *msg, size_t msg_size,
                           gk_status code, const char *static_msg,
                           const char *fmt, ...) {
  if (err != NULL) {
    memset(err, 0, sizeof *err);
    err->code = code;
    err->msg = static_msg;
  }
  if (msg != NULL && msg_size > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_size, fmt, ap);
    va_end(ap);
  }
  return code;
}

/* mkdir -p of path's directory; new directories get mode 0700.  Returns 0,
   or -1 with errno set and the failing directory left in dir. */
static int make_parent_dirs(const char *path, char *dir, size_t dir_size) {
  size_t len = strlen(path);
  while (len > 0 && path[len - 1] != '/') len--; /* keep the last '/' */
  while (len > 1 && path[len - 1] == '/') len--; /* not the trailing ones */
  if (len == 0 || (len == 1 && path[0] == '/')) return 0;
  if (len >= dir_size) {
    errno = ENAMETOOLONG;
    snprintf(dir, dir_size, "%s", path);
    return -1;
  }
  memcpy(dir, path, len);
  dir[len] = '\0';
  struct stat sb;
  if (stat(dir, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) return 0;
    errno = ENOTDIR;
    return -1;
  }
  for (size_t i = 1; i <= len; i++) {
    if (i < len && dir[i] != '/') continue;
    char c = dir[i];
    dir[i] = '\0';
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) return -1;
    dir[i] = c;
  }
  return 0;
}

/* One integer from a one-row query (a PRAGMA or a count). */
static int query_int(sqlite3 *db, const char *sql, int64_t *v) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      *v = sqlite3_column_int64(st, 0);
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* Bring the schema from its version up to GK_STORE_SCHEMA_VERSION in one
   transaction (re-reading the version once the write lock is held: another
   process may have just done it). */
static int migrate(gk_store *s) {
  int64_t version = 0;
  int rc = query_int(s->db, "PRAGMA user_version", &version);
  if (rc != SQLITE_OK || version >= GK_STORE_SCHEMA_VERSION) return rc;
  /* Foreign keys off while tables are rebuilt (schema 5): dropping the
     old table must not cascade to its children.  Checked before the
     commit.  (The pragma is a no-op inside a transaction.) */
  rc = gk__store_exec_script(s, "PRAGMA foreign_keys = OFF");
  if (rc == SQLITE_OK) rc = gk__store_exec_script(s, "BEGIN IMMEDIATE");
  if (rc == SQLITE_OK) rc = query_int(s->db, "PRAGMA user_version", &version);
  for (; rc == SQLITE_OK && version < GK_STORE_SCHEMA_VERSION; version++) {
    rc = gk__store_exec_script(s, gk__store_migrations[version]);
    char bump[96];
    /* PRAGMA takes no parameters; the values are this build's constants. */
    snprintf(bump, sizeof bump,
             "PRAGMA user_version = %d; PRAGMA application_id = %d",
             (int)version + 1, GK__STORE_APP_ID);
    if (rc == SQLITE_OK) rc = gk__store_exec_script(s, bump);
  }
  if (rc == SQLITE_OK) rc = foreign_keys_hold(s->db);
  if (rc == SQLITE_OK) rc = gk__store_exec_script(s, "COMMIT");
  if (rc != SQLITE_OK && !sqlite3_get_autocommit(s->db))
    gk__store_exec_script(s, "ROLLBACK");
  int fk = gk__store_exec_script(s, "PRAGMA foreign_keys = ON");
  return rc != SQLITE_OK ? rc : fk;
}

gk_status gk_store_open(gk_store **out, const char *path, gk_err *err) {
  return gk_store_open_ex(out, path, 0, err, NULL, 0);
}

/* The tables of each schema version; a store that lacks one is damaged. */
static const struct {
  const char *name;
  int since; /* the schema version that created it */
} store_tables[] = {
    {"activities", 1}, {"laps", 1},     {"sessions", 1}, {"samples", 1},
    {"pain", 1},       {"captures", 2}, {"answers", 2},
    {"clinician", 3},  {"exercise_session", 4}, {"cadence_target", 4},
    {"runner", 5},
};

/* Does every table of schema `version` exist?  SQLITE_OK with *missing the
   first one absent (NULL when none is) and *found how many exist. */
static int check_tables(sqlite3 *db, int64_t version, const char **missing,
                        int *found) {
  *missing = NULL;
  *found = 0;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(
      db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
      &st, NULL);
  for (size_t i = 0;
       rc == SQLITE_OK && i < sizeof store_tables / sizeof store_tables[0];
       i++) {
    if (store_tables[i].since > version) continue;
    sqlite3_reset(st);
    rc = sqlite3_bind_text(st, 1, store_tables[i].name, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) break;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      (*found)++;
    } else if (rc == SQLITE_DONE) {
      if (*missing == NULL) *missing = store_tables[i].name;
    } else {
      break;
    }
    rc = SQLITE_OK;
  }
  sqlite3_finalize(st);
  return rc;
}

/* "file:" + path percent-encoded + "?immutable=1" into out; 0, or -1 when
   it does not fit. */
static int immutable_uri(const char *path, char *out, size_t size) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = 0;
  const char *head = "file:", *tail = "?immutable=1";
  size_t hl = strlen(head), tl = strlen(tail);
  if (hl >= size) return -1;
  memcpy(out, head, hl);
  n = hl;
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || *p == '/' || *p == '-' ||
                *p == '_' || *p == '.' || *p == '~';
    if (n + (plain ? 1 : 3) >= size) return -1;
    if (plain) {
      out[n++] = (char)*p;
    } else {
      out[n++] = '%';
      out[n++] = hex[*p >> 4];
      out[n++] = hex[*p & 15];
    }
  }
  if (n + tl + 1 > size) return -1;
  memcpy(out + n, tail, tl + 1);
  return 0;
}

/* Can this process write the file and create files beside it (the -wal
   and -shm)?  access() answers for the real user, and says no on a
   read-only mount or for an immutable file. */
static int can_write_beside(const char *path) {
  if (access(path, W_OK) != 0) return 0;
  size_t len = strlen(path);
  while (len > 0 && path[len - 1] != '/') len--;
  while (len > 1 && path[len - 1] == '/') len--;
  if (len == 0) return access(".", W_OK | X_OK) == 0;
  char *dir = (char *)malloc(len + 1);
  if (dir == NULL) return 0;
  memcpy(dir, path, len);
  dir[len] = '\0';
  int ok = access(dir, W_OK | X_OK) == 0;
  free(dir);
  return ok;
}

/* Open the SQLite connection.  A new file is created by SQLite itself,
   owner-only: the umask is 077 for the duration of the call (and restored),
   and a file created meanwhile with wider permissions is narrowed while it
   is still empty.  Nothing else opens the database file: closing any
   descriptor of it would drop every POSIX lock this process holds on it
   (those of its other connections too), and another process could then
   checkpoint and remove the write-ahead log under them.
   read_only: a store this process could write is opened read-write with
   PRAGMA query_only (SQLite refuses every change; as the last connection it
   still checkpoints and removes its -wal and -shm as a writer would); one
   it cannot write is opened SQLITE_OPEN_READONLY. */
static int open_connection(gk_store *s, const char *path, int exists,
                           int read_only) {
  int oflags = SQLITE_OPEN_NOMUTEX; /* one connection per thread (store.h) */
  int query_only = read_only && can_write_beside(path);
  if (read_only && !query_only)
    oflags |= SQLITE_OPEN_READONLY;
  else
    oflags |= SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
  mode_t old_mask = 0;
  if (!exists) old_mask = umask(077);
  int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, GK_STORE_BUSY_MS);
    if (query_only) rc = gk__store_exec_script(s, "PRAGMA query_only = 1");
  }
  if (!exists) {
    umask(old_mask);
    struct stat sb;
    if (rc == SQLITE_OK && stat(path, &sb) == 0 && sb.st_size == 0 &&
        (sb.st_mode & 077) != 0)
      chmod(path, 0600); /* another thread changed the umask meanwhile */
  }
  return rc;
}

/* A read-only connection to a store in WAL mode needs the -shm file; in a
   directory it cannot write, and with no -shm there it may use, SQLite
   cannot set it up.  When the -wal is absent or empty too (no committed
   transaction is outside the main file), read the file as immutable (no
   locks, no -shm).  Returns the new open's rc, or -1 when rc (the failure)
   is not that case and nothing was reopened. */
static int reopen_immutable(gk_store *s, const char *path, int rc) {
  int prc = rc & 0xff;
  if (prc != SQLITE_READONLY && prc != SQLITE_CANTOPEN) return -1;
  size_t len = strlen(path);
  char *side = (char *)malloc(len + 5);
  if (side == NULL) return -1;
  memcpy(side, path, len);
  memcpy(side + len, "-wal", 5);
  struct stat sb;
  int wal_empty = stat(side, &sb) != 0 ? errno == ENOENT : sb.st_size == 0;
  free(side);
  if (!wal_empty) return -1;
  char uri[3 * 4096 + 32];
  if (immutable_uri(path, uri, sizeof uri) != 0) return -1;
  sqlite3_close(s->db);
  s->db = NULL;
  rc = sqlite3_open_v2(
      uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
      NULL);
  if (rc == SQLITE_OK) {
    sqlite3_extended_result_codes(s->db, 1);
    s->immutable = 1;
  }
  return rc;
}

/* The three facts read before anything is written. */
static int read_header(sqlite3 *db, int64_t *app_id, int64_t *version,
                       int64_t *objects) {
  int rc = query_int(db, "PRAGMA application_id", app_id);
  if (rc == SQLITE_OK) rc = query_int(db, "PRAGMA user_version", version);
  if (rc == SQLITE_OK)
    rc = query_int(db, "SELECT count(*) FROM sqlite_master", objects);
  return rc;
}

gk_status gk_store_data_version(gk_store *s, int64_t *version) {
  if (version != NULL) *version = 0;
  if (s == NULL || s->db == NULL || version == NULL) return GK_E_ARG;
  if (s->immutable) {
    snprintf(s->errmsg, sizeof s->errmsg, "the store is read as immutable: "
             "later commits are not seen");
    return GK_E_UNSUPPORTED;
  }
  int rc = query_int(s->db, "PRAGMA data_version", version);
  if (rc != SQLITE_OK) {
    snprintf(s->errmsg, sizeof s->errmsg, "%s", sqlite3_errmsg(s->db));
    return status_of(rc);
  }
  s->errmsg[0] = '\0';
  return GK_OK;
}

gk_status gk_store_open_ex(gk_store **out, const char *path, unsigned flags,
                           gk_err *err, char *msg, size_t msg_size) {
  if (msg != NULL && msg_size > 0) msg[0] = '\0';
  if (err != NULL) memset(err, 0, sizeof *err);
  if (out == NULL || path == NULL || path[0] == '\0' ||
      (flags & ~(GK_STORE_NO_CREATE | GK_STORE_READ_ONLY)) != 0)
    return open_fail(err, msg, msg_size, GK_E_ARG, "invalid argument",
                     "invalid argument");
  *out = NULL;
  int read_only = (flags & GK_STORE_READ_ONLY) != 0;

  /* The path is only looked at (stat), never opened beside SQLite. */
  struct stat sb;
  int exists = stat(path, &sb) == 0;
  if (!exists && errno != ENOENT)
    return open_fail(err, msg, msg_size, GK_E_IO, "cannot open the store",
                     "cannot open: %s", strerror(errno));
  if (exists && !S_ISREG(sb.st_mode))
    return open_fail(err, msg, msg_size, GK_E_IO, "cannot open the store",
                     "cannot open: not a regular file");
  if (!exists && (flags & (GK_STORE_NO_CREATE | GK_STORE_READ_ONLY)))
    return open_fail(err, msg, msg_size, GK_E_NOT_FOUND,
                     "no store at this path", "no store at this path");
  if (!exists) {
    char dir[4096];
    if (make_parent_dirs(path, dir, sizeof dir) != 0)
      return open_fail(err, msg, msg_size, GK_E_IO,
                       "cannot create the store's directory",
                       "cannot create directory %s: %s", dir, strerror(errno));
  }

  size_t path_size = strlen(path) + 1;
  gk_store *s = (gk_store *)calloc(1, sizeof *s);
  char *p = s ? (char *)malloc(path_size) : NULL;
  if (p == NULL) {
    free(s);
    return open_fail(err, msg, msg_size, GK_E_NOMEM, "out of memory",
                     "out of memory");
  }
  memcpy(p, path, path_size);
  s->path = p;
  s->read_only = read_only;

  int rc = open_connection(s, path, exists, read_only);
  int64_t app_id = 0, version = 0, objects = 0;
  int hrc = rc == SQLITE_OK ? read_header(s->db, &app_id, &version, &objects)
                            : rc;
  if (hrc != SQLITE_OK && read_only) {
    int again = reopen_immutable(s, path, hrc);
    if (again != -1) {
      rc = again;
      hrc = rc == SQLITE_OK ? read_header(s->db, &app_id, &version, &objects)
                            : rc;
    }
  }
  gk_status code = GK_OK;
  if (rc != SQLITE_OK) {
    code = open_fail(err, msg, msg_size,
                     status_of(rc) == GK_E_NOMEM ? GK_E_NOMEM : GK_E_IO,
                     "cannot open the store", "cannot open: %s",
                     s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    gk_store_close(s);
    return code;
  }
  if (!read_only && sqlite3_db_readonly(s->db, "main") == 1) {
    code = open_fail(err, msg, msg_size, GK_E_IO,
                     "the store cannot be written",
                     "cannot open for writing: the file is read-only");
    gk_store_close(s);
    return code;
  }
  /* Is it a gaitkeeper store (or an empty file), and one this build can
     read?  Asked before anything writes to the file. */
  int is_new = app_id == 0 && version == 0 && objects == 0;
  rc = hrc;
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_NOTADB)
      code =
          open_fail(err, msg, msg_size, GK_E_CORRUPT, "not a gaitkeeper store",
                    "not a gaitkeeper store (not an SQLite database)");
    else if ((rc & 0xff) == SQLITE_CORRUPT)
      code = open_fail(err, msg, msg_size, GK_E_CORRUPT, "the store is damaged",
                       "the store is damaged: %s", sqlite3_errmsg(s->db));
    else
      code = open_fail(err, msg, msg_size,
                       status_of(rc) == GK_E_NOMEM ? GK_E_NOMEM : GK_E_IO,
                       "cannot read the store", "cannot read: %s",
                       sqlite3_errmsg(s->db));
  } else if (app_id != GK__STORE_APP_ID && !is_new) {
    code = open_fail(err, msg, msg_size, GK_E_CORRUPT, "not a gaitkeeper store",
                     "not a gaitkeeper store (an SQLite database of another "
                     "program)");
  } else if (version > GK_STORE_SCHEMA_VERSION) {
    code = open_fail(err, msg, msg_size, GK_E_UNSUPPORTED,
                     "store was written by a newer gaitkeeper",
                     "store was written by a newer gaitkeeper (schema %" PRId64
                     ", this build knows %d)",
                     version, GK_STORE_SCHEMA_VERSION);
  } else if (read_only && is_new) {
    /* an empty file (e.g. a store whose creation was cut short) */
    code = open_fail(err, msg, msg_size, GK_E_NOT_FOUND,
                     "no store at this path",
                     "no store at this path (an empty file)");
  } else if (read_only && version < GK_STORE_SCHEMA_VERSION) {
    code = open_fail(err, msg, msg_size, GK_E_UNSUPPORTED,
                     "the store must be opened writable once to upgrade it",
                     "the store's schema (%" PRId64
                     ") is older than this build's (%d): open it once "
                     "writable to upgrade it",
                     version, GK_STORE_SCHEMA_VERSION);
  }
  if (code != GK_OK) {
    gk_store_close(s);
    return code;
  }

  if (!read_only) {
    /* WAL: readers beside one writer, one fsync per checkpoint rather than
       per transaction (synchronous=NORMAL keeps every committed transaction
       through a crash of the program; a power cut may lose the last ones).
       A new store gets 16 KiB pages (a run's sample BLOBs span fewer
       overflow pages); only possible before its first write. */
    if (is_new &&
        gk__store_exec_script(s, "PRAGMA page_size = 16384") != SQLITE_OK) {
      code = open_fail(err, msg, msg_size, GK_E_IO, "cannot set up the store",
                       "cannot set up the store: %s", sqlite3_errmsg(s->db));
      gk_store_close(s);
      return code;
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    int wal = rc == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
              strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) {
      code = open_fail(err, msg, msg_size, GK_E_IO,
                       "cannot switch the store to WAL mode",
                       "cannot switch the store to WAL mode: %s",
                       rc == SQLITE_ROW ? "the file system does not allow it"
                                        : sqlite3_errmsg(s->db));
      gk_store_close(s);
      return code;
    }
    rc = gk__store_exec_script(s,
                               "PRAGMA synchronous = NORMAL;"
                               "PRAGMA foreign_keys = ON;");
    if (rc == SQLITE_OK) rc = migrate(s);
    if (rc != SQLITE_OK) {
      code = open_fail(err, msg, msg_size,
                       status_of(rc) == GK_E_NOMEM ? GK_E_NOMEM : GK_E_IO,
                       "cannot set up the store", "cannot set up the store: %s",
                       sqlite3_errmsg(s->db));
      gk_store_close(s);
      return code;
    }
    version = GK_STORE_SCHEMA_VERSION;
  }

  /* Every table of its schema is there (a file may carry our id and
     version without them). */
  const char *missing = NULL;
  int found = 0;
  rc = check_tables(s->db, version, &missing, &found);
  if (rc != SQLITE_OK)
    code = open_fail(err, msg, msg_size, GK_E_IO, "cannot read the store",
                     "cannot read: %s", sqlite3_errmsg(s->db));
  else if (missing != NULL && found == 0)
    code = open_fail(err, msg, msg_size, GK_E_CORRUPT, "not a gaitkeeper store",
                     "not a gaitkeeper store (it has gaitkeeper's id but none "
                     "of its tables)");
  else if (missing != NULL)
    code = open_fail(err, msg, msg_size, GK_E_CORRUPT, "the store is damaged",
                     "the store is damaged: missing table %s", missing);
  if (code != GK_OK) {
    gk_store_close(s);
    return code;
  }
  *out = s;
  return GK_OK;
}

void gk_store_close(gk_store *s) {
  if (s == NULL) return;
  for (int i = 0; i < GK__ST_COUNT; i++) sqlite3_finalize(s->stmt[i]);
  sqlite3_close(s->db);
  gk_store_prepared_free(s->prep);
  free(s->path);
  free(s);
}

const char *gk_store_errmsg(const gk_store *s) {
  return s == NULL ? "no store" : s->errmsg;
}

const char *gk_store_path(const gk_store *s) {
  return s == NULL ? "" : s->path;
}
