/*
** fuzz_plan.c -- libFuzzer harness for the plan's reader of stored gait
** analyses (gk_plan_gait_parse: JSON from the store, untrusted) and for the
** plan built from what it returns (findings, cadence).  Seeds in
** tests/data/plan/.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gk_plan_gait *g = NULL;
  gk_err e;
  if (gk_plan_gait_parse((const char *)data, size, &g, &e) != GK_OK)
    return 0;
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = 20000;
  in.findings = g->findings;
  in.n_findings = g->n_findings;
  in.cadence_baseline_spm = g->cadence_spm;
  in.cadence_speed_mps = g->speed_mps;
  in.cadence_origin = GK_CADENCE_CAPTURE;
  gk_plan *p = NULL;
  if (gk_plan_build(&in, &p, &e) == GK_OK) {
    gk_buf b = {0};
    gk_plan_write_json(p, &b);
    gk_buf_free(&b);
    gk_plan_free(p);
  }
  gk_plan_gait_free(g);
  return 0;
}
