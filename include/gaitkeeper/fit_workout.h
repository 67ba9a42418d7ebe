/*
** gaitkeeper/fit_workout.h -- FIT workout files, as a watch loads them
** (Garmin: the NewFiles or Workouts folder): a file_id of type workout (5),
** one workout message (26: sport running, number of steps, name) and one
** workout_step message (27) per step: a time duration, an intensity
** (warmup, active, rest, cooldown), an optional cadence target (low/high)
** and a name and notes.  Written with gaitkeeper's FIT writer
** (gaitkeeper/fit_write.h); checked against the official FIT SDK by
** tests/oracle/workout_oracle.mjs.
**
** Cadence targets are written in steps per minute, as runners and Garmin's
** workout editor state running cadence; the FIT profile labels the field
** "rpm" (its record cadence for running is strides per minute), and how a
** given watch model reads a running cadence target has not been checked on
** a device: see docs/PLAN.md.
*/
#ifndef GK_FIT_WORKOUT_H
#define GK_FIT_WORKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* FIT intensity values (profile type "intensity"). */
typedef enum gk_wkt_intensity {
  GK_WKT_ACTIVE = 0,
  GK_WKT_REST = 1,
  GK_WKT_WARMUP = 2,
  GK_WKT_COOLDOWN = 3
} gk_wkt_intensity;

#define GK_WKT_NAME_MAX 16   /* bytes of a step or workout name, NUL incl. */
#define GK_WKT_NOTES_MAX 50  /* bytes of a step's notes, NUL included */
#define GK_WKT_MAX_STEPS 64

typedef struct gk_workout_step {
  const char *name;          /* truncated to GK_WKT_NAME_MAX-1 bytes; NULL ok */
  const char *notes;         /* truncated to GK_WKT_NOTES_MAX-1 bytes; NULL ok */
  uint32_t duration_s;       /* 1 .. 86400 */
  gk_wkt_intensity intensity;
  /* Cadence target in steps/min, 0 for none (open target); else
     30 <= low <= high <= 300. */
  uint32_t cadence_low_spm, cadence_high_spm;
} gk_workout_step;

/*
** Write one workout as a FIT file into out (appended; gk_buf of
** gaitkeeper/json.h).  name: the workout's name (truncated to fit);
** time_created: Unix seconds (written as FIT time); n_steps 1..
** GK_WKT_MAX_STEPS.  Returns GK_OK, GK_E_ARG (a step out of range; err
** names the step), or GK_E_NOMEM.
*/
GK_API gk_status gk_fit_workout_write(const char *name,
                                      const gk_workout_step *steps,
                                      size_t n_steps, int64_t time_created,
                                      gk_buf *out, gk_err *err /* OUT */);

#ifdef __cplusplus
}
#endif

#endif /* GK_FIT_WORKOUT_H */
