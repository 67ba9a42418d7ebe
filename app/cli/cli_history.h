/*
** cli_history.h -- the runner's history as the load analysis and the report
** read it from the store: the runs (sport "running", or not recorded; not
** those without a real start time) and the pain log.  One place for the
** `load` and `report` verbs.
*/
#ifndef GK_CLI_HISTORY_H
#define GK_CLI_HISTORY_H

#include <stddef.h>

#include "gaitkeeper/load.h"
#include "gaitkeeper/store.h"

typedef struct gk_cli_history {
  gk_load_run *runs;
  size_t n_runs, cap_runs;
  gk_pain_entry *pain;
  size_t n_pain, cap_pain;
  size_t other_sport;   /* activities left out: not running */
  size_t unknown_start; /* left out: no real start time */
  size_t unknown_sport; /* counted as runs: sport not recorded */
  size_t fit, gpx, tcx; /* the runs kept, by file format */
  int oom;
} gk_cli_history;

/* Read every run and pain entry of store into *h (zeroed first).  Returns
   GK_OK, or the store's status (GK_E_NOMEM when out of memory); *h is
   freeable either way. */
gk_status gk_cli_history_load(gk_store *store, gk_cli_history *h);

/* Free what h holds and zero it. */
void gk_cli_history_free(gk_cli_history *h);

#endif
