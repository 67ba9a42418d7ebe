/*
** store_hooks.h -- test hooks of the store (not public; no SQLite types, so
** tests can include it: only src/store/ includes sqlite3.h).
*/
#ifndef GK_STORE_HOOKS_H
#define GK_STORE_HOOKS_H

#include <stdint.h>

#include "gaitkeeper/store.h"

/* Make the n-th SQLite statement step from now on s fail with an I/O
   error (n >= 1; 0 disables).  Fires once. */
void gk__store_fail_after(gk_store *s, int n);

/* Rows in one of the store's tables ("activities", "laps", "sessions",
   "samples", "pain", "captures", "answers", "clinician", "exercise_session",
   "cadence_target", "runner");
   GK_E_ARG for any other name. */
gk_status gk__store_count(gk_store *s, const char *table, int64_t *n);

/* Rows of activities whose summary column `field` (a gk_summary field
   name) is NULL; GK_E_ARG for any other name. */
gk_status gk__store_count_null(gk_store *s, const char *field, int64_t *n);

/* Take a store back to schema 4 (before runners): every per-runner table
   rebuilt without runner_id (all runners' rows kept), the runner table
   dropped.  The v1..v3 hooks go through it. */
gk_status gk__store_downgrade_to_v4(gk_store *s);
/* Take a store back to schema 1 (drop what schema 2 added), to test the
   migration forward. */
gk_status gk__store_downgrade_to_v1(gk_store *s);
/* Back to schema 2 (drops the clinician table), for the migration test. */
gk_status gk__store_downgrade_to_v2(gk_store *s);
/* Back to schema 3 (drops the exercise log and the cadence targets), for
   the migration test. */
gk_status gk__store_downgrade_to_v3(gk_store *s);

/* Drop one of the store's tables (a name as for gk__store_count), to test
   how a damaged store is reported; GK_E_ARG for any other name. */
gk_status gk__store_drop_table(gk_store *s, const char *table);

#endif /* GK_STORE_HOOKS_H */
