/*
** cmd_plan.h -- `gaitkeeper plan`: the staged plan from what the store
** holds (the latest intake and screen answers, the runs and the pain log,
** the latest gait capture), and its exports (FIT workouts, a metronome
** WAV).  See docs/PLAN.md.
*/
#ifndef GK_CMD_PLAN_H
#define GK_CMD_PLAN_H

#include <stdint.h>

#include "gaitkeeper/assess.h"
#include "gaitkeeper/store.h"

/*
** gk_assess (gaitkeeper/assess.h) for a verb: the runner as of day from
** store (NULL: no store yet, an empty history) into *a.  Notes on stored
** data that cannot be read (every note with all_notes: the caller does
** not show them itself) and a plan that cannot be built are said on
** standard error ("gaitkeeper: VERB: ...").  Returns 0 (a->plan may be
** NULL), or 1 after printing why the store could not be read.  Free *a
** with gk_assessment_free either way.
*/
/* Keep the plan's cadence target in the store (gk_assess_keep), opening
   it for writing only when there is one to keep; a failure is said on
   stderr, the plan stands. */
void gk_cli_keep(const char *verb, const gk_assessment *a);

int gk_cli_assess(gk_store *store, int64_t day, const char *verb,
                  int all_notes, gk_assessment *a);

/* The verb: argc/argv after "plan". */
int gk_cmd_plan(int argc, char **argv);

#endif
