/*
** cmd_plan.h -- `gaitkeeper plan`: the staged plan from what the store
** holds (the latest intake and screen answers, the runs and the pain log,
** the latest gait capture), and its exports (FIT workouts, a metronome
** WAV).  See docs/PLAN.md.
*/
#ifndef GK_CMD_PLAN_H
#define GK_CMD_PLAN_H

#include <stdint.h>

#include "cli_history.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/plan.h"
#include "gaitkeeper/store.h"

/*
** Build the plan as of day from store (NULL: no store yet, an empty
** history).  Stored answers or a capture that cannot be read are left out
** with a note on standard error naming them ("gaitkeeper: VERB: ...");
** a store that cannot be read fails.  Returns 0 with *out (gk_plan_free),
** or 1 after printing the problem.
*/
int gk_cli_plan_build(gk_store *store, int64_t day, const char *verb,
                      gk_plan **out);

/* The same from a run history and its load report already in hand (the
   report reads them once for itself and the plan). */
int gk_cli_plan_build_with(gk_store *store, int64_t day, const char *verb,
                           const gk_cli_history *hist,
                           const gk_load_report *load, gk_plan **out);

/* The verb: argc/argv after "plan". */
int gk_cmd_plan(int argc, char **argv);

#endif
