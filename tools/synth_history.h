/*
** synth_history.h -- ten years of synthetic training in memory, for the
** load and report benchmarks: about 3,650 runs (one most days, some
** doubles, breaks of 1-3 weeks, a few long runs; cadence rising with
** speed) and a pain log on about one day in three.  Deterministic: every
** call makes the same history.
*/
#ifndef GK_SYNTH_HISTORY_H
#define GK_SYNTH_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/load.h"
#include "gaitkeeper/store.h"

/* The history of the ten years up to day (Unix days), runs shuffled (the
   analyses must not rely on sorted input).  *runs and *pain are malloc'd
   (free both); returns 0, or -1 when out of memory. */
int gk_synth_history(int64_t day, gk_load_run **runs, size_t *n_runs,
                     gk_pain_entry **pain, size_t *n_pain);

/* The same ten years written into the open store s: every run (summary
   only), the pain log, and an intake and a screen every 8 weeks, for the
   benchmarks that read a store (bench_course, bench_serve).  The counts
   into the optional outputs; returns 0, or -1 on any failure. */
int gk_synth_store(gk_store *s, int64_t day, size_t *n_runs, size_t *n_pain,
                   int *n_visits);

#endif
