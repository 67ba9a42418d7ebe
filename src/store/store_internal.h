/*
** store_internal.h -- what the files of src/store/ share (not public).
** The only header of the project that includes sqlite3.h besides the
** store's own .c files.
*/
#ifndef GK_STORE_INTERNAL_H
#define GK_STORE_INTERNAL_H

#include <sqlite3.h>

#include "gaitkeeper/store.h"

/* PRAGMA application_id of a gaitkeeper store: "GKST". */
#define GK__STORE_APP_ID 0x474b5354

/* The cached prepared statements of a store, by purpose. */
enum gk__stmt_id {
  GK__ST_BEGIN,
  GK__ST_COMMIT,
  GK__ST_ROLLBACK,
  GK__ST_FIND_HASH,
  GK__ST_ADD_ACTIVITY,
  GK__ST_ADD_LAP,
  GK__ST_ADD_SESSION,
  GK__ST_ADD_SAMPLES,
  GK__ST_EACH_RUN,
  GK__ST_GET_ACTIVITY,
  GK__ST_GET_LAPS,
  GK__ST_GET_SESSIONS,
  GK__ST_GET_SAMPLES,
  GK__ST_ACTIVITY_EXISTS,
  GK__ST_ADD_PAIN,
  GK__ST_EACH_PAIN,
  GK__ST_ADD_CAPTURE,
  GK__ST_LATEST_CAPTURE,
  GK__ST_EACH_CAPTURE,
  GK__ST_ADD_ANSWERS,
  GK__ST_LATEST_ANSWERS,
  GK__ST_ADD_CLINICIAN,
  GK__ST_EACH_CLINICIAN,
  GK__ST_ADD_CADENCE_TARGET,
  GK__ST_LATEST_CADENCE_TARGET,
  GK__ST_ADD_EXERCISE_SESSION,
  GK__ST_EACH_EXERCISE_SESSION,
  GK__ST_EACH_ANSWERS,
  GK__ST_RUNNER_DEFAULT,
  GK__ST_RUNNER_CREATE_FIRST,
  GK__ST_ADD_RUNNER,
  GK__ST_RENAME_RUNNER,
  GK__ST_ARCHIVE_RUNNER,
  GK__ST_EACH_RUNNER,
  GK__ST_FIND_RUNNER,
  GK__ST_COUNT
};

/* An activity's samples, encoded (store_series.c): column k is
   data[off[k] .. off[k] + len[k]), len 0 when it has no value. */
struct gk_store_prepared {
  size_t n;
  size_t off[GK_COL_COUNT], len[GK_COL_COUNT];
  unsigned char *data;
  size_t cap;
  double *k; /* encoder scratch, n values */
  size_t k_cap;
};

/* Encode a's samples into p (its buffers reused and grown as needed). */
gk_status gk__store_encode(const gk_activity *a, gk_store_prepared *p);

struct gk_store {
  sqlite3 *db;
  char *path;
  sqlite3_stmt *stmt[GK__ST_COUNT]; /* prepared on first use */
  int read_only;                    /* opened with GK_STORE_READ_ONLY */
  int immutable;                    /* read as immutable (no -shm): it
                                       cannot see later commits */
  int fail_countdown;               /* test hook: see gk__store_fail_after */
  gk_store_prepared *prep;          /* reused by gk_store_add_activity */
  int scoped;     /* runner chosen (gk_store_use_runner or the default) */
  int64_t runner; /* the runner every per-runner statement binds to
                     @runner (0 on a read-only store with no runner: no row
                     matches) */
  char errmsg[512];
};

/* The statement for id, prepared on first use (and kept), reset and with
   its bindings cleared.  NULL on failure (errmsg set). */
sqlite3_stmt *gk__store_stmt(gk_store *s, enum gk__stmt_id id);

/* Choose the handle's runner if none is yet (store_runner.c): the only
   active one, or on a writable store with no runner at all a new
   "Runner 1" (in its own transaction: call it before starting one).
   GK_E_ARG with errmsg when several are active or all are archived.
   Every public per-runner function calls it first. */
gk_status gk__store_scope(gk_store *s);

/* sqlite3_step() through the fault-injection hook. */
int gk__store_step(gk_store *s, sqlite3_stmt *st);

/* Record SQLite's message for a failed call (rc) in s->errmsg, prefixed by
   what was being done; returns the matching status (GK_E_IO, GK_E_NOMEM,
   GK_E_ARG for a constraint). */
gk_status gk__store_fail(gk_store *s, int rc, const char *doing);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (the rollback ignores errors). */
gk_status gk__store_begin(gk_store *s);
gk_status gk__store_commit(gk_store *s);
void gk__store_rollback(gk_store *s);

/* One row written in its own transaction: gk__store_insert_start begins it
   and returns statement id (NULL with *out the status, rolled back, on
   failure); bind the values, then gk__store_insert_finish steps it with
   the bind status rc, commits (or rolls back, the errmsg saying what was
   being done) and sets *id (optional) to the new row's id (0 on
   failure). */
sqlite3_stmt *gk__store_insert_start(gk_store *s, enum gk__stmt_id id,
                                     gk_status *out);
gk_status gk__store_insert_finish(gk_store *s, sqlite3_stmt *st, int rc,
                                  const char *doing, int64_t *id);

/* Run every statement of a script (no parameters, rows ignored). */
int gk__store_exec_script(gk_store *s, const char *sql);

/* The migrations: migrations[i] takes the schema from version i to i + 1
   (so GK_STORE_SCHEMA_VERSION scripts in all). */
extern const char *const gk__store_migrations[GK_STORE_SCHEMA_VERSION];

#include "store_hooks.h"

#endif /* GK_STORE_INTERNAL_H */
