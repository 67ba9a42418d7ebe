/*
** src/nn/runner.c -- gk_nn_runner_new picks the backend (AUTO: XNNPACK,
** then the reference kernels when XNNPACK cannot run here); the public
** accessors.
*/
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "nn/nn_internal.h"

static void runner_reset(gk_nn_runner *r, const gk_nn_model *m,
                         gk_nn_backend b) {
  memset(r, 0, sizeof *r);
  r->m = m;
  r->backend = b;
}

gk_status gk_nn_runner_new(const gk_nn_model *m, gk_nn_backend backend,
                           int threads, gk_nn_runner **out, gk_err *err) {
  if (out) *out = NULL;
  if (m == NULL || out == NULL || threads < 0 ||
      (backend != GK_NN_BACKEND_AUTO && backend != GK_NN_BACKEND_REF &&
       backend != GK_NN_BACKEND_XNNPACK)) {
    gk__set_err(err, GK_E_ARG, "nn: bad runner argument", 0);
    return GK_E_ARG;
  }
  gk_nn_runner *r = (gk_nn_runner *)calloc(1, sizeof *r);
  if (r == NULL) {
    gk__set_err(err, GK_E_NOMEM, "nn: out of memory", 0);
    return GK_E_NOMEM;
  }
  gk_status st;
  if (backend == GK_NN_BACKEND_REF) {
    runner_reset(r, m, GK_NN_BACKEND_REF);
    st = gk_nn_ref_init(r, err);
  } else {
    runner_reset(r, m, GK_NN_BACKEND_XNNPACK);
    st = gk_nn_xnn_init(r, threads, err);
    if (st == GK_E_UNSUPPORTED && backend == GK_NN_BACKEND_AUTO) {
      runner_reset(r, m, GK_NN_BACKEND_REF);
      st = gk_nn_ref_init(r, err);
    }
  }
  if (st != GK_OK) {
    free(r);
    return st;
  }
  *out = r;
  return GK_OK;
}

float *gk_nn_input(gk_nn_runner *r, int i) {
  if (r == NULL || i < 0 || i >= r->m->n_inputs) return NULL;
  return r->in[i];
}

const float *gk_nn_output(const gk_nn_runner *r, int i) {
  if (r == NULL || i < 0 || i >= r->m->n_outputs) return NULL;
  return r->out[i];
}

gk_status gk_nn_run(gk_nn_runner *r, gk_err *err) {
  if (r == NULL || r->run == NULL) {
    gk__set_err(err, GK_E_ARG, "nn: NULL runner", 0);
    return GK_E_ARG;
  }
  return r->run(r, err);
}

const char *gk_nn_runner_describe(const gk_nn_runner *r) {
  return r && r->describe ? r->describe : "none";
}

gk_nn_backend gk_nn_runner_backend(const gk_nn_runner *r) {
  return r ? r->backend : GK_NN_BACKEND_AUTO;
}

void gk_nn_runner_free(gk_nn_runner *r) {
  if (r == NULL) return;
  if (r->free_impl) r->free_impl(r);
  free(r);
}
