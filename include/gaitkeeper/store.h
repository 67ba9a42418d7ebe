/*
** gaitkeeper/store.h -- the local store: one SQLite database holding, for
** each of its runners (see "runners" below), the runs (summary, laps and
** samples), the pain log, intake and screen answers, gait captures, the
** clinician's entries, the exercise log and the cadence targets.  The only module that speaks
** SQL is src/store/.  The schema, the file's permissions and the import
** rules are described in docs/STORE.md.
**
** The file is created readable and writable by its owner only (0600; its
** directory 0700 when created), in WAL mode, with a versioned schema
** (PRAGMA user_version, migrated forward on open); a store written by a
** newer gaitkeeper is refused with GK_E_UNSUPPORTED, a file that is not a
** gaitkeeper store with GK_E_CORRUPT.  SQLite alone opens the file (it is
** never opened and closed beside it: on POSIX systems that close would drop
** this process's locks on the file; see docs/STORE.md).  Creating a new
** store sets the process's umask to 077 for the moment SQLite creates the
** file (then restores it): a thread of the same process that creates files
** or changes the umask at that instant is affected; gaitkeeper creates its
** store before it starts other threads.  Every write is one transaction
** (BEGIN IMMEDIATE ... COMMIT): a failure leaves the store as it was.
**
** Threads: a gk_store is one database connection; use it from one thread
** at a time.  Open one gk_store per thread to read in parallel: in WAL mode
** readers run beside the (single) writer.  Other processes may use the same
** file; a writer waits up to GK_STORE_BUSY_MS for another's transaction.
*/
#ifndef GK_STORE_H
#define GK_STORE_H

#include <stdint.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/clinician.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/load.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gk_store gk_store;

/* The schema version this build writes and knows (PRAGMA user_version). */
#define GK_STORE_SCHEMA_VERSION 5
/* How long a write waits for another connection's transaction. */
#define GK_STORE_BUSY_MS 5000

/* The default path: $XDG_DATA_HOME/gaitkeeper/gaitkeeper.db (when
   XDG_DATA_HOME is an absolute path), else
   $HOME/.local/share/gaitkeeper/gaitkeeper.db.  Writes into out (size
   bytes); returns GK_E_LIMIT if it does not fit, GK_E_NOT_FOUND without
   HOME. */
GK_API gk_status gk_store_default_path(char *out, size_t size);

/* gk_store_open_ex flags */
/* GK_E_NOT_FOUND when the file is missing (nothing is created). */
#define GK_STORE_NO_CREATE 0x01u
/* Read only (implies GK_STORE_NO_CREATE): the file is opened read-only and
   nothing is written to it (no WAL switch, no migration), so a store of
   another user, on a read-only mount or in a directory without write
   permission can be read.  Every write returns GK_E_ARG ("the store was
   opened read-only").  A store whose schema is older than this build's is
   refused with GK_E_UNSUPPORTED (open it once writable to upgrade it); an
   empty file is GK_E_NOT_FOUND.  In a directory where SQLite cannot create
   the -shm file, and when there is no -wal file (nobody is writing), the
   file is read as immutable (no locks); see docs/STORE.md. */
#define GK_STORE_READ_ONLY 0x02u

/*
** Open the store at path (creating it and its missing directories when
** absent) and migrate its schema to GK_STORE_SCHEMA_VERSION.  On success
** *out owns the store (gk_store_close); on failure *out is NULL and err
** (optional) holds the status and a static message:
**   GK_E_CORRUPT      "not a gaitkeeper store" (not SQLite, SQLite
**                     holding something else, or gaitkeeper's id without
**                     its tables), "the store is damaged" (e.g. a missing
**                     table)
**   GK_E_UNSUPPORTED  "store was written by a newer gaitkeeper"
**   GK_E_IO           the file or its directory cannot be created or
**                     opened, or (without GK_STORE_READ_ONLY) cannot be
**                     written
**   GK_E_NOT_FOUND    missing file with GK_STORE_NO_CREATE
**   GK_E_ARG          NULL out or path, or an empty path
** gk_store_open_ex also writes a full message into msg (msg_size bytes,
** NUL-terminated; may be NULL/0), e.g. "store was written by a newer
** gaitkeeper (schema 3, this build knows 1)", with the OS's or SQLite's
** reason where there is one.
*/
GK_API gk_status gk_store_open(gk_store **out /* OUT */, const char *path,
                               gk_err *err /* OUT, optional */);
GK_API gk_status gk_store_open_ex(gk_store **out /* OUT */, const char *path,
                                  unsigned flags,
                                  gk_err *err /* OUT, optional */,
                                  char *msg /* OUT, optional */,
                                  size_t msg_size);

/* Close the store (finalizing its statements).  NULL is a no-op. */
GK_API void gk_store_close(gk_store *s);

/* The last error's detail (e.g. SQLite's message), valid until the next
   call on s; "" when the last call succeeded. */
GK_API const char *gk_store_errmsg(const gk_store *s);

/* A number that changes whenever another connection -- of this process or
   of another one -- commits a change to the store after s was opened
   (SQLite's PRAGMA data_version): a long-lived handle that only reads it
   tells whether what was read from the store earlier is still current.
   s's own writes do not change it.  GK_OK with *version; GK_E_UNSUPPORTED
   when s reads the store as immutable (a read-only directory: it cannot
   see later commits); GK_E_ARG; or the store's status. */
GK_API gk_status gk_store_data_version(gk_store *s,
                                       int64_t *version /* OUT */);

/* The path the store was opened with. */
GK_API const char *gk_store_path(const gk_store *s);

/* Is a file with this content hash already stored?  *id gets its id, or
   0 when absent (GK_OK either way). */
GK_API gk_status gk_store_find_hash(gk_store *s, uint64_t content_hash,
                                    int64_t *id /* OUT, 0 if absent */);

/*
** Store one activity (summary, laps, sessions, samples) in one
** transaction; *id (may be NULL) gets the new id.  The activity's
** source.path is stored as given.  GK_E_ARG if its content hash is already
** stored (nothing is written); GK_E_IO with gk_store_errmsg() on a database
** failure (the transaction is rolled back).
*/
GK_API gk_status gk_store_add_activity(gk_store *s, const gk_activity *a,
                                       int64_t *id /* OUT, optional */);

/*
** Storing in two steps, for importers that decode on several threads and
** write on one: gk_store_prepare does the CPU work of storing (encoding
** the samples) without a store, on any thread (thread-safe for separate
** activities); gk_store_add_prepared then writes it as gk_store_add_activity
** would.  a must be the activity prepared, unchanged since.  A prepared
** activity is freed with gk_store_prepared_free (NULL is a no-op).
*/
typedef struct gk_store_prepared gk_store_prepared;
GK_API gk_status gk_store_prepare(const gk_activity *a,
                                  gk_store_prepared **out /* OUT */);
GK_API gk_status gk_store_add_prepared(gk_store *s, const gk_activity *a,
                                       const gk_store_prepared *p,
                                       int64_t *id /* OUT, optional */);
GK_API void gk_store_prepared_free(gk_store_prepared *p);

/*
** Read a stored activity back whole (summary, laps, sessions, samples,
** source, flags) into a new activity (gk_activity_free).  The stats are
** not stored (zero).  GK_E_NOT_FOUND for an unknown id.
*/
GK_API gk_status gk_store_get_activity(gk_store *s, int64_t id,
                                       gk_activity **out /* OUT */);

/* A stored run's row, as `gaitkeeper runs` lists it.  Strings are "" when
   absent. */
typedef struct gk_run_row {
  int64_t id;
  int64_t start_time; /* Unix seconds UTC (see flags) */
  uint32_t flags;     /* GK_ACT_*: START_UNKNOWN, PARTIAL, ... */
  char sport[GK_NAME_MAX];
  char sub_sport[GK_NAME_MAX];
  char source_format[8];        /* "fit", "gpx", "tcx" */
  char source_path[4096];       /* the path it was imported from */
  char device[3 * GK_NAME_MAX]; /* "manufacturer product name", trimmed */
  uint64_t content_hash;
  int64_t n_samples;
  int64_t n_laps;
  int64_t imported_at; /* Unix seconds */
  gk_summary summary;  /* NaN where absent, computed bits as read */
} gk_run_row;

/* Call fn for every stored activity, oldest first (start time, then id);
   fn returns non-zero to stop (then GK_E_STOPPED).  The row is valid
   during the call only.  fn may read the store (e.g. gk_store_get_activity)
   but not write to it or list again. */
GK_API gk_status gk_store_each_run(gk_store *s,
                                   int (*fn)(void *user, const gk_run_row *r),
                                   void *user);

/* The pain log.  Scores are 0..10 or -1 (not given); day is in Unix days;
   onset_km is NaN or >= 0; activity_id is 0 or a stored activity (else
   GK_E_NOT_FOUND); note is NUL-terminated.  Anything else: GK_E_ARG. */
GK_API gk_status gk_store_add_pain(gk_store *s, const gk_pain_entry *e,
                                   int64_t *id /* OUT, optional */);
/* Every entry, oldest first (day, then id); fn returns non-zero to stop
   (then GK_E_STOPPED).  As for gk_store_each_run, fn must not write. */
GK_API gk_status gk_store_each_pain(
    gk_store *s, int (*fn)(void *user, const gk_pain_entry *e), void *user);

/* ---- gait captures ---------------------------------------------------------
** One row per analysed capture: its kind ("3d" or "2d"), view, where it came
** from, the day it was made (Unix days; INT64_MIN when unknown) and the
** analysis as one JSON object (gk_gait_write_json). */

typedef struct gk_capture_row {
  int64_t id;
  char kind[4];          /* "3d", "2d" */
  char view[16];         /* gk_view_name() */
  char source_path[512]; /* "" when not given (truncated to fit) */
  int64_t day;           /* INT64_MIN when unknown */
  int64_t created_at;    /* Unix seconds */
  char *analysis;        /* the JSON, NUL-terminated (owned: free()) */
} gk_capture_row;

/* Store one capture's analysis (JSON text, checked).  GK_E_ARG for a kind
   other than "3d"/"2d" or text that is not JSON. */
GK_API gk_status gk_store_add_capture(gk_store *s, const char *kind,
                                      const char *view,
                                      const char *source_path, int64_t day,
                                      const char *analysis_json,
                                      int64_t *id /* OUT, optional */);

/* The latest capture of this kind ("3d", "2d", or NULL for either) as of
   as_of_day (Unix day; INT64_MAX for all): the one of the latest day on or
   before it (its own day, or the day it was stored when that is unknown),
   the last stored of that day.  Into *out (free out->analysis with
   free()).  GK_E_NOT_FOUND when there is none. */
GK_API gk_status gk_store_latest_capture(gk_store *s, const char *kind,
                                         int64_t as_of_day,
                                         gk_capture_row *out /* OUT */);

/* Call fn for every stored capture, oldest first (out->analysis is only
   valid during the call); fn returns non-zero to stop (GK_E_STOPPED). */
GK_API gk_status gk_store_each_capture(gk_store *s,
                                       int (*fn)(void *user,
                                                 const gk_capture_row *row),
                                       void *user);

/* ---- answers: intake and screen ------------------------------------------
** The runner's answers as given (one JSON object per questionnaire, checked
** by src/clinic before it is stored), kind "intake" or "screen", with the
** day they were given.  Every set is kept; the latest one counts. */

GK_API gk_status gk_store_add_answers(gk_store *s, const char *kind,
                                      int64_t day, const char *json,
                                      int64_t *id /* OUT, optional */);

/* The latest answers of this kind given on or before as_of_day (Unix day;
   INT64_MAX for all): *json (malloc'd, free()), *day and *id (both
   optional).  GK_E_NOT_FOUND when none were given by then. */
GK_API gk_status gk_store_latest_answers(gk_store *s, const char *kind,
                                         int64_t as_of_day,
                                         char **json /* OUT */,
                                         int64_t *day /* OUT, optional */,
                                         int64_t *id /* OUT, optional */);

/* Every set of answers of this kind given on or before as_of_day (INT64_MAX
   for all), oldest first (day, then id): fn gets its id, day and JSON (valid
   during the call only) and returns non-zero to stop (GK_E_STOPPED).  fn
   may read the store but not write to it or list again. */
GK_API gk_status gk_store_each_answers(gk_store *s, const char *kind,
                                       int64_t as_of_day,
                                       int (*fn)(void *user, int64_t id,
                                                 int64_t day,
                                                 const char *json),
                                       void *user);

/* ---- the clinician's entries (gaitkeeper/clinician.h) ----------------------
** Kept as given, each dated; check them with gk_clinician_check first (the
** store only enforces the kinds and lengths). */

/* Store one entry (its id and created_at are ignored).  GK_E_ARG for a kind
   or severity out of range or a field too long (errmsg says which). */
GK_API gk_status gk_store_add_clinician(gk_store *s,
                                        const gk_clinician_entry *e,
                                        int64_t *id /* OUT, optional */);

/* Call fn for every entry of a day on or before as_of_day (INT64_MAX for
   all), oldest first (day, then id); *e is valid during the call only; fn
   returns non-zero to stop (GK_E_STOPPED). */
GK_API gk_status gk_store_each_clinician(gk_store *s, int64_t as_of_day,
                                         int (*fn)(void *user,
                                                   const gk_clinician_entry *e),
                                         void *user);

/* ---- cadence targets (gaitkeeper/load.h) -----------------------------------
** The targets the plan set, each dated (written by gk_assess_keep). */

/* Store one (its id and created_at are ignored).  GK_E_ARG for a baseline
   or target outside 60..260 steps/min, a day out of range or an origin
   longer than 31 bytes. */
GK_API gk_status gk_store_add_cadence_target(gk_store *s,
                                             const gk_cadence_target *t,
                                             int64_t *id /* OUT, optional */);

/* The latest target set on or before as_of_day (INT64_MAX: all), the last
   stored of that day, into *out.  GK_E_NOT_FOUND when none. */
GK_API gk_status gk_store_latest_cadence_target(gk_store *s,
                                                int64_t as_of_day,
                                                gk_cadence_target *out);

/* ---- the exercise log (gaitkeeper/exercise_log.h) ----------------------------
** Faces record a session with gk_record_session (gaitkeeper/assess.h),
** which checks it against data/exercises.json first; the store only
** enforces the ranges. */

/* Store one session (its id and created_at are ignored).  GK_E_ARG for a
   value out of range or an unterminated field (errmsg says which). */
GK_API gk_status gk_store_add_session(gk_store *s,
                                      const gk_exercise_session *e,
                                      int64_t *id /* OUT, optional */);

/* Call fn for every session of a day on or before as_of_day (INT64_MAX for
   all), oldest first (day, then id); *e is valid during the call only; fn
   returns non-zero to stop (GK_E_STOPPED). */
GK_API gk_status gk_store_each_session(gk_store *s, int64_t as_of_day,
                                       int (*fn)(void *user,
                                                 const gk_exercise_session *e),
                                       void *user);

/* ---- runners ------------------------------------------------------------
** A store holds one or more runners (a clinic's patients); every row of the
** per-runner tables belongs to one, and every call above (each_, latest_,
** get_, add_, find_hash) reads and writes only the handle's runner: another
** runner's ids are unknown to it (GK_E_NOT_FOUND).  The handle's runner is
** the one chosen with gk_store_use_runner, else, on first use, the store's
** only active (not archived) runner; on a writable store without any
** runner a first one, "Runner 1", is created then (so a store of one
** runner never shows the concept).  With several active runners, or only
** archived ones, and none chosen, those calls fail with GK_E_ARG and
** gk_store_errmsg() saying "this store holds 3 runners; choose one".
** Once chosen (or defaulted) the runner stays the handle's until another
** gk_store_use_runner.  Runners are never deleted: archiving hides one
** from the list, its data kept. */

/* A runner's name: trimmed of spaces at both ends, 1 to 80 characters of
   UTF-8 without control characters, not digits only (those read as an
   id); unique ignoring the case of ASCII letters.  At most 80 characters
   of up to 4 bytes, and a NUL. */
#define GK_RUNNER_NAME_SIZE 321

typedef struct gk_runner_row {
  int64_t id;
  char name[GK_RUNNER_NAME_SIZE];
  int64_t created_at;    /* Unix seconds */
  int archived;          /* 1: hidden from the list by default */
  int64_t n_runs;        /* stored runs */
  int64_t last_run_time; /* start time of the latest run; INT64_MIN: none */
  int64_t n_pain;        /* pain log entries */
  int64_t last_pain_day; /* Unix day of the latest entry; INT64_MIN: none */
} gk_runner_row;

/* Add a runner (name as above); *id (optional) gets its id.  GK_E_ARG for
   a name against the rules or one already taken (errmsg says which). */
GK_API gk_status gk_store_add_runner(gk_store *s, const char *name,
                                     int64_t *id /* OUT, optional */);

/* Rename runner id (rules as for add).  GK_E_NOT_FOUND for an unknown id. */
GK_API gk_status gk_store_rename_runner(gk_store *s, int64_t id,
                                        const char *name);

/* Archive (archived 1) or bring back (0) runner id.  GK_E_NOT_FOUND for an
   unknown id. */
GK_API gk_status gk_store_archive_runner(gk_store *s, int64_t id,
                                         int archived);

/* Call fn for each runner whose name contains search (NULL or "": all;
   ignoring the case of ASCII letters), archived ones only when
   include_archived; by name, then id.  *r is valid during the call only; fn
   returns non-zero to stop (GK_E_STOPPED); it may read the store but not
   write to it or list again. */
GK_API gk_status gk_store_each_runner(gk_store *s, const char *search,
                                      int include_archived,
                                      int (*fn)(void *user,
                                                const gk_runner_row *r),
                                      void *user);

/* One runner's row (archived or not).  GK_E_NOT_FOUND for an unknown id. */
GK_API gk_status gk_store_get_runner(gk_store *s, int64_t id,
                                     gk_runner_row *out /* OUT */);

/* The runner named by text: all digits is an id, anything else a name
   (trimmed; case of ASCII letters ignored).  Archived runners are found
   too.  GK_E_NOT_FOUND (errmsg naming it) when there is none. */
GK_API gk_status gk_store_find_runner(gk_store *s, const char *name_or_id,
                                      int64_t *id /* OUT */);

/* Scope the handle to runner id from now on (archived runners too).
   GK_E_NOT_FOUND for an unknown id (the handle keeps its runner). */
GK_API gk_status gk_store_use_runner(gk_store *s, int64_t id);

/* The handle's runner, choosing the default as the per-runner calls do
   (and failing as they do).  *id is 0 only on a read-only store that holds
   no runner yet (and so no data). */
GK_API gk_status gk_store_current_runner(gk_store *s, int64_t *id /* OUT */);

#ifdef __cplusplus
}
#endif

#endif /* GK_STORE_H */
