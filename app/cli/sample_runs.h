/* sample_runs.h -- realistic sample runs as FIT files (see sample_runs.c). */
#ifndef GK_SAMPLE_RUNS_H
#define GK_SAMPLE_RUNS_H

#include <stdint.h>

/* FIT sport numbers the sample runs can carry. */
#define GK_SAMPLE_RUNNING 1
#define GK_SAMPLE_CYCLING 2
#define GK_SAMPLE_SWIMMING 5
#define GK_SAMPLE_WALKING 11

/* What a caller may choose of a sample run; NaN (or terrain -1): as run k
   would have it. */
#define GK_SAMPLE_ROAD 0
#define GK_SAMPLE_TRAIL 1
#define GK_SAMPLE_TREADMILL 2
typedef struct gk_sample_run_spec {
  double km;            /* distance */
  double pace_s_per_km; /* steady pace (the first 5 minutes warm up) */
  double cadence_spm;   /* steady cadence, steps/min */
  int terrain;          /* GK_SAMPLE_ROAD, _TRAIL, _TREADMILL or -1 */
} gk_sample_run_spec;

/* Write sample run k (deterministic in k) under sport, starting at
   start_unix (Unix seconds, UTC), to path.  Returns 0, or -1 on failure. */
int gk_sample_run_write(const char *path, uint32_t k, uint8_t sport,
                        uint32_t start_unix);
/* The same, with spec's choices (spec may be NULL). */
int gk_sample_run_write_spec(const char *path, uint32_t k, uint8_t sport,
                             uint32_t start_unix,
                             const gk_sample_run_spec *spec);

#endif
