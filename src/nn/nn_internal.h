/*
** src/nn/nn_internal.h -- what the runners share: one gk_nn_runner whose
** backend fills in its buffers and its run/free functions.
**   runner.c  gk_nn_runner_new (picks the backend), the public accessors
**   ref.c     the plain C kernels (reference and fallback)
**   xnn.c     the XNNPACK adapter (the only file that includes xnnpack.h)
*/
#ifndef GK_NN_INTERNAL_H
#define GK_NN_INTERNAL_H

#include "gaitkeeper/nn.h"

struct gk_nn_runner {
  const gk_nn_model *m;
  gk_nn_backend backend;
  const char *describe;         /* static text */
  float *in[GK_NN_MAX_IO];      /* graph inputs, owned by the backend */
  float *out[GK_NN_MAX_IO];     /* graph outputs, owned by the backend */
  void *impl;                   /* the backend's state */
  gk_status (*run)(gk_nn_runner *r, gk_err *err);
  void (*free_impl)(gk_nn_runner *r);
};

/* Fill r (m and backend already set) for the reference kernels. */
gk_status gk_nn_ref_init(gk_nn_runner *r, gk_err *err);
/* Fill r for XNNPACK with `threads` threads (0: one per core).  Returns
   GK_E_UNSUPPORTED when XNNPACK cannot run here (no SSE2, init failed). */
gk_status gk_nn_xnn_init(gk_nn_runner *r, int threads, gk_err *err);

#endif /* GK_NN_INTERNAL_H */
