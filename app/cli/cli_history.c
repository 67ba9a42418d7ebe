/*
** cli_history.c -- read the runs and the pain log from the store for the
** load analysis and the report (see cli_history.h).
*/
#include "cli_history.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/activity.h"

static int grow(void **p, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 1;
  size_t ncap = *cap ? *cap * 2 : 256;
  if (ncap > SIZE_MAX / size) return 0;
  void *np = realloc(*p, ncap * size);
  if (np == NULL) return 0;
  *p = np;
  *cap = ncap;
  return 1;
}

static int on_run(void *user, const gk_run_row *r) {
  gk_cli_history *h = (gk_cli_history *)user;
  if (r->flags & GK_ACT_START_UNKNOWN) {
    h->unknown_start++;
    return 0;
  }
  if (r->sport[0] != '\0' && strcmp(r->sport, "running") != 0) {
    h->other_sport++;
    return 0;
  }
  if (r->sport[0] == '\0') h->unknown_sport++;
  if (!grow((void **)&h->runs, &h->cap_runs, h->n_runs, sizeof *h->runs)) {
    h->oom = 1;
    return 1;
  }
  if (strcmp(r->source_format, "fit") == 0) h->fit++;
  else if (strcmp(r->source_format, "gpx") == 0) h->gpx++;
  else if (strcmp(r->source_format, "tcx") == 0) h->tcx++;
  gk_load_run *lr = &h->runs[h->n_runs++];
  lr->id = r->id;
  lr->start_time = r->start_time;
  lr->distance_m = r->summary.distance_m;
  lr->duration_s =
      isnan(r->summary.timer_s) ? r->summary.elapsed_s : r->summary.timer_s;
  lr->avg_cadence_spm = r->summary.avg_cadence_spm;
  lr->avg_speed_mps = r->summary.avg_speed_mps;
  return 0;
}

static int on_pain(void *user, const gk_pain_entry *e) {
  gk_cli_history *h = (gk_cli_history *)user;
  if (!grow((void **)&h->pain, &h->cap_pain, h->n_pain, sizeof *h->pain)) {
    h->oom = 1;
    return 1;
  }
  h->pain[h->n_pain++] = *e;
  return 0;
}

gk_status gk_cli_history_load(gk_store *store, gk_cli_history *h) {
  memset(h, 0, sizeof *h);
  if (store == NULL) return GK_OK;
  gk_status st = gk_store_each_run(store, on_run, h);
  if (st == GK_OK || (st == GK_E_STOPPED && !h->oom))
    st = gk_store_each_pain(store, on_pain, h);
  if (h->oom) st = GK_E_NOMEM;
  return st;
}

void gk_cli_history_free(gk_cli_history *h) {
  free(h->runs);
  free(h->pain);
  memset(h, 0, sizeof *h);
}
