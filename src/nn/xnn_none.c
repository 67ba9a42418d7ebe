/*
** src/nn/xnn_none.c -- the XNNPACK backend's stand-in until src/nn/xnn.c
** is in the tree: XNNPACK is never available, so AUTO uses the reference
** kernels.
*/
#include "core/core_internal.h"
#include "nn/nn_internal.h"

gk_status gk_nn_xnn_init(gk_nn_runner *r, int threads, gk_err *err) {
  (void)r;
  (void)threads;
  gk__set_err(err, GK_E_UNSUPPORTED, "nn: built without XNNPACK", 0);
  return GK_E_UNSUPPORTED;
}
