/*
** cmd_load.h -- `gaitkeeper load [--date YYYY-MM-DD] [--weeks N|all]
** [--json]`: training load and pain findings from the store's runs and
** pain log (see docs/METRICS.md, "Training load" and "Pain").
*/
#ifndef GK_CMD_LOAD_H
#define GK_CMD_LOAD_H

#include "gaitkeeper/store.h"

/* argc/argv after "load".  Reads every run and pain entry from store (NULL:
   no store yet, an empty history), analyses them as of --date (default:
   today, UTC) and prints the report: text, or one JSON object with --json.
   Returns 0, 1 when the store could not be read, 2 on a usage error. */
int gk_cmd_load(gk_store *store, int argc, char **argv);

/* The verb as main.c dispatches it: opens the store chosen by --db /
   $GAITKEEPER_DB / the default (never creating one: a missing store is an
   empty history), runs gk_cmd_load and closes it. */
int gk_cmd_load_main(int argc, char **argv);

#endif
