/*
** store_schema.c -- the store's schema, as an ordered list of migrations.
**
** gk__store_migrations[i] takes a store from schema version i to i + 1
** (PRAGMA user_version); gk_store_open runs the missing ones in order, in
** one transaction with the version bumps.  A script, once released,
** never changes: a new column or table is a new migration appended here
** (and GK_STORE_SCHEMA_VERSION in store.h goes up by one).  docs/STORE.md
** describes every table.
**
** The summary columns of activities and sessions are the gk_summary fields
** by name (gaitkeeper/activity.h); store_activity.c checks at compile time
** that the summary has the fields this schema knows.
*/
#include "store_internal.h"

/* The gk_summary fields as of schema 1, in GK_SUMMARY_FIELDS order. */
#define GK__V1_SUMMARY_COLUMNS                                         \
  "distance_m REAL, elapsed_s REAL, timer_s REAL, moving_s REAL, "     \
  "ascent_m REAL, descent_m REAL, avg_hr REAL, max_hr REAL, "          \
  "avg_cadence_spm REAL, max_cadence_spm REAL, avg_cadence_rpm REAL, " \
  "max_cadence_rpm REAL, avg_speed_mps REAL, max_speed_mps REAL, "     \
  "avg_power_w REAL, avg_stance_time_ms REAL, "                        \
  "avg_vertical_oscillation_mm REAL, avg_step_length_mm REAL, "        \
  "avg_vertical_ratio_pct REAL, stance_balance_left_pct REAL, "        \
  "total_steps REAL, calories REAL, "                                  \
  "computed INTEGER NOT NULL DEFAULT 0"

/* The columns of activities after id and content_hash, as of schema 1 (and
   unchanged since: schema 5 rebuilds the table with these, in this order,
   then runner_id). */
#define GK__V1_ACTIVITY_COLUMNS                                        \
  " start_time INTEGER NOT NULL,"              /* Unix seconds, UTC */ \
  " start_unknown INTEGER NOT NULL DEFAULT 0," /* 1: start_time is the \
                                                 device's own clock */ \
  " flags INTEGER NOT NULL DEFAULT 0,"         /* GK_ACT_* */          \
  " sport TEXT NOT NULL DEFAULT '',"                                   \
  " sub_sport TEXT NOT NULL DEFAULT '',"                               \
  " source_format TEXT NOT NULL DEFAULT '',"                           \
  " source_path TEXT,"                                                 \
  " device TEXT," /* for people: "garmin fenix5" */                    \
  " manufacturer TEXT NOT NULL DEFAULT '',"                            \
  " product TEXT NOT NULL DEFAULT '',"                                 \
  " product_name TEXT NOT NULL DEFAULT '',"                            \
  " serial INTEGER NOT NULL DEFAULT 0, " GK__V1_SUMMARY_COLUMNS        \
  ","                                                                  \
  " n_samples INTEGER NOT NULL DEFAULT 0,"                             \
  " n_laps INTEGER NOT NULL DEFAULT 0,"                                \
  " n_sessions INTEGER NOT NULL DEFAULT 0,"                            \
  " imported_at INTEGER NOT NULL" /* Unix seconds */

static const char schema_v1[] =
    /* One row per stored activity (a run, as import stores only runs). */
    "CREATE TABLE activities ("
    " id INTEGER PRIMARY KEY,"
    " content_hash INTEGER NOT NULL UNIQUE,"     /* FNV-1a 64 of the file's
                                                    bytes, as signed 64-bit */
    GK__V1_ACTIVITY_COLUMNS
    ");"
    "CREATE INDEX activities_start ON activities(start_time);"

    "CREATE TABLE laps ("
    " activity_id INTEGER NOT NULL REFERENCES activities(id)"
    "  ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " start_s REAL, elapsed_s REAL, timer_s REAL, distance_m REAL,"
    " avg_hr REAL, max_hr REAL, avg_cadence_spm REAL, avg_cadence_rpm REAL,"
    " avg_speed_mps REAL,"
    " session INTEGER," /* index in the activity's sessions, or NULL */
    " PRIMARY KEY (activity_id, idx)"
    ") WITHOUT ROWID;"

    "CREATE TABLE sessions ("
    " activity_id INTEGER NOT NULL REFERENCES activities(id)"
    "  ON DELETE CASCADE,"
    " idx INTEGER NOT NULL,"
    " sport TEXT NOT NULL DEFAULT '',"
    " sub_sport TEXT NOT NULL DEFAULT '',"
    " start_s REAL,"
    " on_foot INTEGER NOT NULL DEFAULT 0,"
    " first_lap INTEGER NOT NULL, n_laps INTEGER NOT NULL,"
    " first_sample INTEGER NOT NULL, n_samples INTEGER NOT "
    "NULL, " GK__V1_SUMMARY_COLUMNS
    ","
    " PRIMARY KEY (activity_id, idx)"
    ") WITHOUT ROWID;"

    /* The series: one row per activity, one BLOB per column; a column with
       no value at all is NULL.  encoding 1: each BLOB is one column in the
       lossless codec of store_series.c (plain little-endian doubles, or
       scaled integers as delta varints with a presence bitmap);
       encoding 0: each BLOB is n plain little-endian doubles, NaN where a
       sample has no value. */
    "CREATE TABLE samples ("
    " activity_id INTEGER PRIMARY KEY REFERENCES activities(id)"
    "  ON DELETE CASCADE,"
    " n INTEGER NOT NULL,"
    " encoding INTEGER NOT NULL DEFAULT 1,"
    " time_s BLOB, distance_m BLOB, speed_mps BLOB, hr_bpm BLOB,"
    " cadence_spm BLOB, cadence_rpm BLOB, altitude_m BLOB, lat_deg BLOB,"
    " lon_deg BLOB, power_w BLOB, vertical_oscillation_mm BLOB,"
    " stance_time_ms BLOB, stance_balance_left_pct BLOB,"
    " step_length_mm BLOB, vertical_ratio_pct BLOB"
    ");"

    /* The pain log: scores 0..10, NULL when not given. */
    "CREATE TABLE pain ("
    " id INTEGER PRIMARY KEY,"
    " day INTEGER NOT NULL," /* Unix days (days since 1970-01-01) */
    " during INTEGER CHECK (during BETWEEN 0 AND 10),"
    " \"after\" INTEGER CHECK (\"after\" BETWEEN 0 AND 10),"
    " morning INTEGER CHECK (morning BETWEEN 0 AND 10),"
    " onset_km REAL CHECK (onset_km >= 0),"
    " activity_id INTEGER REFERENCES activities(id) ON DELETE SET NULL,"
    " note TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "CREATE INDEX pain_day ON pain(day);"
    "CREATE INDEX pain_activity ON pain(activity_id);";

/* Schema 2: gait captures (the analysis as JSON, gaitkeeper/gait.h) and the
   runner's answers (intake and screen, as JSON documents). */
static const char schema_v2[] =
    "CREATE TABLE captures ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (kind IN ('3d', '2d')),"
    " view TEXT NOT NULL DEFAULT '',"
    " source_path TEXT,"
    " day INTEGER," /* Unix day of the capture, NULL when unknown */
    " analysis TEXT NOT NULL CHECK (json_valid(analysis)),"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "CREATE INDEX captures_kind ON captures(kind, id);"

    "CREATE TABLE answers ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (kind IN ('intake', 'screen')),"
    " day INTEGER NOT NULL," /* Unix day the answers were given */
    " answers TEXT NOT NULL CHECK (json_valid(answers)),"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "CREATE INDEX answers_kind ON answers(kind, day, id);";

/* Schema 3: the clinician's entries over the computed plan (gaitkeeper/
   clinician.h), each dated; the kinds as gk_clinician_kind_name writes
   them.  Lengths as the entry's buffers allow. */
static const char schema_v3[] =
    "CREATE TABLE clinician ("
    " id INTEGER PRIMARY KEY,"
    " day INTEGER NOT NULL," /* Unix day it applies from */
    " kind TEXT NOT NULL CHECK (kind IN ('stage', 'add_exercise',"
    "  'drop_exercise', 'dose', 'note', 'finding')),"
    " target TEXT NOT NULL DEFAULT '' CHECK (length(CAST(target AS BLOB)) < 64),"
    " text TEXT NOT NULL DEFAULT '' CHECK (length(CAST(text AS BLOB)) < 1024),"
    " reason TEXT NOT NULL DEFAULT '' CHECK (length(CAST(reason AS BLOB)) < 512),"
    " author TEXT NOT NULL DEFAULT '' CHECK (length(CAST(author AS BLOB)) < 128),"
    " severity TEXT NOT NULL DEFAULT 'caution'"
    "  CHECK (severity IN ('info', 'caution', 'warning')),"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "CREATE INDEX clinician_day ON clinician(day, id);";

/* Schema 4: following the runner over weeks.  The exercise log
   (gaitkeeper/exercise_log.h), one row per session: an exercise of
   data/exercises.json done on a day at one of its steps; reps, hold, load
   and pain NULL when not given.  And the cadence targets the plan set
   (gaitkeeper/load.h, gk_cadence_target), each dated: the baseline a
   target was set from stays fixed while the runner retrains. */
static const char schema_v4[] =
    "CREATE TABLE exercise_session ("
    " id INTEGER PRIMARY KEY,"
    " day INTEGER NOT NULL," /* Unix day it was done */
    " exercise_id TEXT NOT NULL"
    "  CHECK (length(CAST(exercise_id AS BLOB)) BETWEEN 1 AND 63),"
    " step INTEGER NOT NULL CHECK (step >= 1),"
    " sets INTEGER NOT NULL CHECK (sets >= 0),"
    " reps INTEGER CHECK (reps >= 0),"
    " hold_s INTEGER CHECK (hold_s >= 0),"
    " load_kg REAL CHECK (load_kg >= 0),"
    " pain INTEGER CHECK (pain BETWEEN 0 AND 10),"
    " note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) < 256),"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "CREATE INDEX exercise_session_day ON exercise_session(day, id);"
    "CREATE TABLE cadence_target ("
    " id INTEGER PRIMARY KEY,"
    " day INTEGER NOT NULL," /* Unix day it was set */
    " baseline_spm REAL NOT NULL CHECK (baseline_spm BETWEEN 60 AND 260),"
    " target_spm REAL NOT NULL CHECK (target_spm BETWEEN 60 AND 260),"
    " speed_mps REAL," /* NULL when unknown */
    " origin TEXT NOT NULL DEFAULT '' CHECK (length(CAST(origin AS BLOB)) < 32),"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "CREATE INDEX cadence_target_day ON cadence_target(day, id);";

/* Schema 5: several runners in one store (a clinic's patients).  The runner
   table; every per-runner table gains runner_id (laps, sessions and samples
   belong to a runner through their activity).  A store that holds anything
   gets one runner, "Runner 1" (id 1), owning every row; an empty one gets
   none (the first per-runner use creates it, store_runner.c).  A file's
   content hash is unique per runner, so activities is rebuilt (SQLite
   cannot drop a column's UNIQUE): the generalized ALTER TABLE procedure of
   sqlite.org/lang_altertable.html, run with foreign keys off (migrate() in
   store.c, which checks them before committing).  Indexes lead with the
   runner. */
static const char schema_v5[] =
    "CREATE TABLE runner ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL COLLATE NOCASE UNIQUE"
    "  CHECK (length(name) BETWEEN 1 AND 80),"
    " note TEXT NOT NULL DEFAULT '' CHECK (length(CAST(note AS BLOB)) < 1024),"
    " archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),"
    " created_at INTEGER NOT NULL" /* Unix seconds */
    ");"
    "INSERT INTO runner (id, name, created_at)"
    " SELECT 1, 'Runner 1', CAST(strftime('%s', 'now') AS INTEGER)"
    " WHERE EXISTS (SELECT 1 FROM activities) OR EXISTS (SELECT 1 FROM pain)"
    " OR EXISTS (SELECT 1 FROM captures) OR EXISTS (SELECT 1 FROM answers)"
    " OR EXISTS (SELECT 1 FROM clinician)"
    " OR EXISTS (SELECT 1 FROM exercise_session)"
    " OR EXISTS (SELECT 1 FROM cadence_target);"

    "CREATE TABLE activities_v5 ("
    " id INTEGER PRIMARY KEY,"
    " content_hash INTEGER NOT NULL," /* FNV-1a 64, unique per runner */
    GK__V1_ACTIVITY_COLUMNS ","
    " runner_id INTEGER NOT NULL REFERENCES runner(id),"
    " UNIQUE (runner_id, content_hash)"
    ");"
    "INSERT INTO activities_v5 SELECT *, 1 FROM activities;"
    "DROP TABLE activities;"
    "ALTER TABLE activities_v5 RENAME TO activities;"
    "CREATE INDEX activities_runner_start ON activities(runner_id, start_time);"

#define GK__V5_RUNNER_COLUMN(table)                                     \
  "ALTER TABLE " table " ADD COLUMN runner_id INTEGER NOT NULL DEFAULT 0" \
  " REFERENCES runner(id);"                                            \
  "UPDATE " table " SET runner_id = 1;"
    GK__V5_RUNNER_COLUMN("pain")
    "DROP INDEX pain_day;"
    "CREATE INDEX pain_runner_day ON pain(runner_id, day);"
    GK__V5_RUNNER_COLUMN("captures")
    "DROP INDEX captures_kind;"
    "CREATE INDEX captures_runner_kind ON captures(runner_id, kind, id);"
    GK__V5_RUNNER_COLUMN("answers")
    "DROP INDEX answers_kind;"
    "CREATE INDEX answers_runner_kind ON answers(runner_id, kind, day, id);"
    GK__V5_RUNNER_COLUMN("clinician")
    "DROP INDEX clinician_day;"
    "CREATE INDEX clinician_runner_day ON clinician(runner_id, day, id);"
    GK__V5_RUNNER_COLUMN("exercise_session")
    "DROP INDEX exercise_session_day;"
    "CREATE INDEX exercise_session_runner_day"
    " ON exercise_session(runner_id, day, id);"
    GK__V5_RUNNER_COLUMN("cadence_target")
    "DROP INDEX cadence_target_day;"
    "CREATE INDEX cadence_target_runner_day"
    " ON cadence_target(runner_id, day, id);";
#undef GK__V5_RUNNER_COLUMN

const char *const gk__store_migrations[GK_STORE_SCHEMA_VERSION] = {
    schema_v1, /* 0 -> 1 */
    schema_v2, /* 1 -> 2 */
    schema_v3, /* 2 -> 3 */
    schema_v4, /* 3 -> 4 */
    schema_v5, /* 4 -> 5 */
};
