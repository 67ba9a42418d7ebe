/*
** fuzz_gait3d.c -- libFuzzer harness for the 3D gait analysis: each input
** is read as a C3D file (from an exact-size heap copy) and, when it reads,
** analysed with no static trial and with itself as the static trial, then
** its findings drawn and its JSON written.  Checked: an analysis either
** fails with a message and no result, or gives a result whose steps are
** in time order with finite or NaN values and whose stats are consistent.
**
** Seeds: tests/data/gait3d/ (y_* analyse, n_* refused), written by
** `test_gait3d tests/data/gait3d`; keep crash reproducers there as crash-*.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const gk_gait *g) {
  if (g->n_steps > 0 && g->steps == NULL) abort();
  double prev = -INFINITY;
  for (size_t i = 0; i < g->n_steps; i++) {
    const gk_gait_step *s = &g->steps[i];
    if (!(s->ic_s >= prev)) abort();
    prev = s->ic_s;
    for (int m = 0; m < GK_GM_COUNT; m++)
      if (isinf(s->v[m])) abort();
  }
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const gk_gait_stat *st = &g->stat[m];
    if (st->n_left + st->n_right > g->n_steps) abort();
    if (memchr(st->note, 0, GK_GAIT_NOTE_MAX) == NULL) abort();
  }
  if (g->n_notes > GK_GAIT_MAX_NOTES) abort();
  if (g->n_findings > sizeof g->findings / sizeof g->findings[0]) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  gk_capture *cap = NULL;
  gk_err err;
  if (gk_c3d_read(size ? copy : NULL, size, 0, &cap, &err) == GK_OK) {
    for (int pass = 0; pass < 2; pass++) {
      gk_gait *g = (gk_gait *)copy; /* must be overwritten */
      gk_gait3d_options opt = {NAN, NAN, NAN};
      gk_status st = gk_gait3d_analyse(cap, pass ? cap : NULL, &opt, &g, &err);
      if (st != GK_OK) {
        if (g != NULL || err.msg == NULL || err.code != st) abort();
        continue;
      }
      if (g == NULL) abort();
      check(g);
      if (gk_gait_findings(g, &err) != GK_OK) abort();
      gk_buf b;
      memset(&b, 0, sizeof b);
      gk_gait_write_json(g, 0, &b);
      gk_buf_free(&b);
      gk_gait_free(g);
    }
    gk_capture_free(cap);
  }
  free(copy);
  return 0;
}
