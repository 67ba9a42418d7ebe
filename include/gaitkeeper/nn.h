/*
** gaitkeeper/nn.h -- a small neural-network runtime for the pose models:
** a TFLite flatbuffer reader into gk_nn_model (float32 only: fp16
** constants are widened, DEQUANTIZE and DENSIFY of constants are folded
** at load time, outputs not asked for are dropped with the operators that
** feed only them) and runners that evaluate the model: plain C reference
** kernels (the test reference and the fallback) and XNNPACK.
**
** Layout is NHWC throughout, batch 1.  The library never prints.
*/
#ifndef GK_NN_H
#define GK_NN_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GK_NN_MAX_INPUT (64u << 20)   /* bytes of one .tflite file */
#define GK_NN_MAX_TENSORS 4096u
#define GK_NN_MAX_OPS 4096u
#define GK_NN_MAX_RANK 4
#define GK_NN_MAX_ELEMS (1u << 26)    /* elements of one tensor */
#define GK_NN_MAX_IO 8                /* graph inputs / outputs kept */

/* The operators the pose models use after constant folding. */
typedef enum gk_nn_op_kind {
  GK_NN_PAD = 0,            /* constant zero padding, pads[dim][before/after] */
  GK_NN_CONV_2D,            /* in: x, filter [O,KH,KW,I], bias [O] (or -1) */
  GK_NN_DEPTHWISE_CONV_2D,  /* in: x, filter [1,KH,KW,C*M], bias or -1 */
  GK_NN_ADD,                /* in: a, b (same shape, or b broadcast [C]/[1]) */
  GK_NN_DEPTH_TO_SPACE,     /* block_size; TFLite's DCR order */
  GK_NN_RESIZE_BILINEAR,    /* to the output tensor's H, W */
  GK_NN_RESHAPE,            /* to the output tensor's shape */
  GK_NN_CONCATENATION,      /* n_in inputs along axis */
  GK_NN_MAX_POOL_2D,
  GK_NN_LOGISTIC,
  GK_NN_OP_KIND_COUNT
} gk_nn_op_kind;

typedef enum gk_nn_act {
  GK_NN_ACT_NONE = 0,
  GK_NN_ACT_RELU,
  GK_NN_ACT_RELU_N1_TO_1,
  GK_NN_ACT_RELU6
} gk_nn_act;

typedef struct gk_nn_tensor {
  const char *name;         /* as in the file; never NULL */
  int rank;                 /* 0..GK_NN_MAX_RANK */
  int32_t dims[GK_NN_MAX_RANK];
  size_t count;             /* product of dims (1 for rank 0) */
  const float *data;        /* constant values, or NULL for an activation */
} gk_nn_tensor;

#define GK_NN_MAX_OP_INPUTS 8

typedef struct gk_nn_op {
  gk_nn_op_kind kind;
  int n_in;
  int32_t in[GK_NN_MAX_OP_INPUTS]; /* tensor indices; -1 = absent (bias) */
  int32_t out;                     /* one output tensor */
  gk_nn_act act;                   /* fused activation */
  int stride_h, stride_w;          /* conv, depthwise, pool */
  int dilation_h, dilation_w;      /* conv, depthwise */
  int padding_same;                /* 1 SAME, 0 VALID (conv, pool) */
  int filter_h, filter_w;          /* pool */
  int depth_multiplier;            /* depthwise */
  int block_size;                  /* depth to space */
  int align_corners;               /* resize */
  int half_pixel_centers;          /* resize */
  int axis;                        /* concatenation, >= 0 */
  int32_t pads[GK_NN_MAX_RANK][2]; /* pad, per dimension */
} gk_nn_op;

typedef struct gk_nn_model {
  size_t n_tensors;
  gk_nn_tensor *tensors;
  size_t n_ops;
  gk_nn_op *ops;            /* in execution order */
  int n_inputs, n_outputs;
  int32_t inputs[GK_NN_MAX_IO];  /* tensor indices */
  int32_t outputs[GK_NN_MAX_IO]; /* in the order asked for */
  void *arena_;             /* private */
} gk_nn_model;

/*
** Read a TFLite model from buf[0..len).  keep lists the names of the
** subgraph outputs wanted, in the order wanted (NULL, or n_keep 0: all of
** them); a name not among the outputs is GK_E_NOT_FOUND naming it in
** err->msg's static text.  buf is not kept.  Unsupported operators or
** types that remain after folding: GK_E_UNSUPPORTED with the operator's
** index in err->offset.  On failure *out is NULL.
*/
GK_API gk_status gk_nn_model_read(const void *buf, size_t len,
                                  const char *const *keep, int n_keep,
                                  gk_nn_model **out, gk_err *err);
GK_API void gk_nn_model_free(gk_nn_model *m);

/* The name of an operator kind ("CONV_2D"); static. */
GK_API const char *gk_nn_op_name(gk_nn_op_kind k);

/* ---- runners ------------------------------------------------------------ */

typedef enum gk_nn_backend {
  GK_NN_BACKEND_AUTO = 0,   /* XNNPACK when built with it, else reference */
  GK_NN_BACKEND_REF,        /* the plain C kernels */
  GK_NN_BACKEND_XNNPACK
} gk_nn_backend;

typedef struct gk_nn_runner gk_nn_runner;

/*
** Prepare a runner for m (which must outlive it).  threads: 0 = one per
** core.  All buffers are allocated here; gk_nn_run allocates nothing.
*/
GK_API gk_status gk_nn_runner_new(const gk_nn_model *m, gk_nn_backend backend,
                                  int threads, gk_nn_runner **out,
                                  gk_err *err);
/* The float buffer of graph input i (the model's shape, NHWC), to fill. */
GK_API float *gk_nn_input(gk_nn_runner *r, int i);
/* The float buffer of graph output i, valid after gk_nn_run. */
GK_API const float *gk_nn_output(const gk_nn_runner *r, int i);
GK_API gk_status gk_nn_run(gk_nn_runner *r, gk_err *err);
/* "reference", or "XNNPACK AVX2" (the SIMD level XNNPACK picked, from
   cpuinfo: "AVX-512", "AVX2", "AVX", "SSE4.1", "SSE2"); static. */
GK_API const char *gk_nn_runner_describe(const gk_nn_runner *r);
GK_API gk_nn_backend gk_nn_runner_backend(const gk_nn_runner *r);
GK_API void gk_nn_runner_free(gk_nn_runner *r);

#ifdef __cplusplus
}
#endif

#endif /* GK_NN_H */
