/* sample_runs.h -- realistic sample runs as FIT files (see sample_runs.c). */
#ifndef GK_SAMPLE_RUNS_H
#define GK_SAMPLE_RUNS_H

#include <stdint.h>

/* FIT sport numbers the sample runs can carry. */
#define GK_SAMPLE_RUNNING 1
#define GK_SAMPLE_CYCLING 2
#define GK_SAMPLE_SWIMMING 5
#define GK_SAMPLE_WALKING 11

/* Write sample run k (deterministic in k) under sport, starting at
   start_unix (Unix seconds, UTC), to path.  Returns 0, or -1 on failure. */
int gk_sample_run_write(const char *path, uint32_t k, uint8_t sport,
                        uint32_t start_unix);

#endif
