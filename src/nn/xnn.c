/*
** src/nn/xnn.c -- the XNNPACK runner: the model's operators as XNNPACK
** subgraph nodes, run by one XNNPACK runtime per stretch of operators it
** can run, with the rest done here in C.
**
** This XNNPACK (Debian's 0.0~git20220216) has no concatenation node, so
** CONCATENATION runs in C, and so does a RESHAPE of a tensor made in C (the
** detector's tail: reshapes, then concatenations, then reshapes).  The
** operators are cut into segments in execution order: a run of operators
** XNNPACK takes is one subgraph and one runtime; a run of C operators is a
** loop over them.  A tensor that crosses a segment boundary, a graph input
** and a graph output each get a buffer here (XNN_EXTRA_BYTES longer than
** the data, since XNNPACK may read that far past the end) that XNNPACK sees
** as an external value; everything inside a segment is XNNPACK's own.
** Every runtime is set up once, at init, with those buffers: a run only
** invokes the runtimes and the C loops, and allocates nothing.
**
** Weights (convolution filters and biases) are handed to XNNPACK as the
** model's own arrays: it packs them when the runtime is created, and the
** model outlives the runner anyway.  Other constants XNNPACK reads as data
** (an ADD's operand) are copied into padded buffers, for XNN_EXTRA_BYTES.
**
** Shapes are checked here against what each operator computes (TFLite's
** rules: SAME is ceil(in / stride) with the odd padding at the bottom and
** right), since XNNPACK writes what it computes whatever the declared
** output shape.  This is the only file that includes xnnpack.h.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cpuinfo.h>
#include <pthreadpool.h>
#include <xnnpack.h>

#include "core/core_internal.h"
#include "nn/nn_internal.h"

/* More threads than this is a caller's mistake, not a machine. */
#define GK_XNN_MAX_THREADS 256
/* Kernel and pooling sizes, strides, dilations and block sizes above this
   are refused (the pose models use at most 7): it keeps every padding and
   window XNNPACK computes within its 32-bit arguments. */
#define GK_XNN_MAX_WINDOW 1024

typedef struct xnn_seg {
  int on_xnn;        /* 1: an XNNPACK runtime; 0: operators run in C */
  size_t first, end; /* operators [first, end) */
  xnn_runtime_t rt;
} xnn_seg;

typedef struct xnn_state {
  pthreadpool_t pool; /* NULL for one thread */
  size_t n_segs;
  xnn_seg *segs;
  float **buf;   /* per tensor: its buffer here, or NULL */
  uint8_t *live; /* per operator: its output is needed */
} xnn_state;

/* ---- helpers ------------------------------------------------------------- */

static gk_status fail(gk_err *err, gk_status code, const char *msg, size_t op) {
  gk__set_err(err, code, msg, (uint64_t)op);
  return code;
}

static void act_range(gk_nn_act act, float *lo, float *hi) {
  switch (act) {
    case GK_NN_ACT_RELU:
      *lo = 0.0f;
      *hi = INFINITY;
      return;
    case GK_NN_ACT_RELU_N1_TO_1:
      *lo = -1.0f;
      *hi = 1.0f;
      return;
    case GK_NN_ACT_RELU6:
      *lo = 0.0f;
      *hi = 6.0f;
      return;
    case GK_NN_ACT_NONE:
    default:
      *lo = -INFINITY;
      *hi = INFINITY;
      return;
  }
}

/* The inputs an operator reads.  A PAD, RESHAPE or RESIZE_BILINEAR may
   keep its folded shape operand as a second input: not data here, so
   neither checked nor handed to XNNPACK. */
static int n_used(const gk_nn_op *op) {
  switch (op->kind) {
    case GK_NN_CONV_2D:
    case GK_NN_DEPTHWISE_CONV_2D:
      return op->n_in < 3 ? op->n_in : 3;
    case GK_NN_ADD:
      return op->n_in < 2 ? op->n_in : 2;
    case GK_NN_CONCATENATION:
      return op->n_in;
    case GK_NN_PAD:
    case GK_NN_DEPTH_TO_SPACE:
    case GK_NN_RESIZE_BILINEAR:
    case GK_NN_RESHAPE:
    case GK_NN_MAX_POOL_2D:
    case GK_NN_LOGISTIC:
    case GK_NN_OP_KIND_COUNT:
    default:
      return 1;
  }
}

static int valid_tensor(const gk_nn_model *m, int32_t t) {
  return t >= 0 && (size_t)t < m->n_tensors;
}

/* The operators run in C: concatenation (XNNPACK has none here) and a
   reshape of what C made. */
static int op_in_c(const gk_nn_op *op, const int32_t *producer,
                   const uint8_t *c_op) {
  if (op->kind == GK_NN_CONCATENATION) return 1;
  if (op->kind == GK_NN_RESHAPE && op->in[0] >= 0) {
    int32_t p = producer[op->in[0]];
    return p >= 0 && c_op[p];
  }
  return 0;
}

/* TFLite's output size and padding for one spatial dimension (window
   arguments within GK_XNN_MAX_WINDOW, checked first). */
static int32_t out_size(int32_t in, int k, int stride, int dilation, int same,
                        uint32_t *pad_before, uint32_t *pad_after) {
  int64_t ek = (int64_t)(k - 1) * dilation + 1;
  int64_t out, total = 0;
  if (same) {
    out = ((int64_t)in + stride - 1) / stride;
    total = (out - 1) * stride + ek - in;
    if (total < 0) total = 0;
  } else {
    out = in >= ek ? (in - ek) / stride + 1 : 0;
  }
  *pad_before = (uint32_t)(total / 2);
  *pad_after = (uint32_t)(total - total / 2);
  return (int32_t)out;
}

static int window_ok(int v) { return v >= 1 && v <= GK_XNN_MAX_WINDOW; }

static int dims_are(const gk_nn_tensor *t, int rank, const int32_t *d) {
  if (t->rank != rank) return 0;
  for (int i = 0; i < rank; i++)
    if (t->dims[i] != d[i]) return 0;
  return 1;
}

/* ---- the shape rules ------------------------------------------------------
 */

/* Checks op's inputs and declared output against what it computes. */
static gk_status check_op(const gk_nn_model *m, const gk_nn_op *op, size_t i,
                          gk_err *err) {
  static const char *bad_shape = "nn: operator's output shape does not match";
  if (op->n_in < 1 || op->n_in > GK_NN_MAX_OP_INPUTS ||
      !valid_tensor(m, op->out))
    return fail(err, GK_E_CORRUPT, "nn: operator's tensors out of range", i);
  for (int k = 0; k < n_used(op); k++) {
    int optional = k == 2 && (op->kind == GK_NN_CONV_2D ||
                              op->kind == GK_NN_DEPTHWISE_CONV_2D);
    if (op->in[k] == -1 && optional) continue;
    if (!valid_tensor(m, op->in[k]))
      return fail(err, GK_E_CORRUPT, "nn: operator's tensors out of range", i);
  }
  const gk_nn_tensor *x = &m->tensors[op->in[0]];
  const gk_nn_tensor *o = &m->tensors[op->out];
  if (o->data != NULL)
    return fail(err, GK_E_CORRUPT, "nn: operator writes a constant", i);
  int32_t d[GK_NN_MAX_RANK];
  uint32_t p0, p1;
  switch (op->kind) {
    case GK_NN_CONV_2D:
    case GK_NN_DEPTHWISE_CONV_2D: {
      int dw = op->kind == GK_NN_DEPTHWISE_CONV_2D;
      if (op->n_in < 2 || x->rank != 4 || x->dims[3] < 1)
        return fail(err, GK_E_CORRUPT, "nn: convolution needs NHWC input", i);
      const gk_nn_tensor *f = &m->tensors[op->in[1]];
      if (f->rank != 4 || f->data == NULL)
        return fail(err, GK_E_UNSUPPORTED,
                    "nn: convolution filter must be a constant [O,KH,KW,I]", i);
      if (!window_ok(op->stride_h) || !window_ok(op->stride_w) ||
          !window_ok(op->dilation_h) || !window_ok(op->dilation_w) ||
          !window_ok(f->dims[1]) || !window_ok(f->dims[2]))
        return fail(err, GK_E_UNSUPPORTED,
                    "nn: kernel, stride or dilation out of range", i);
      int32_t cout;
      if (dw) {
        int mult = op->depth_multiplier;
        if (f->dims[0] != 1 || mult < 1 || mult > f->dims[3] ||
            (int64_t)x->dims[3] * mult != f->dims[3])
          return fail(err, GK_E_CORRUPT,
                      "nn: depthwise filter does not match its input", i);
        cout = f->dims[3];
      } else {
        if (f->dims[3] < 1 || x->dims[3] % f->dims[3] != 0 ||
            f->dims[0] % (x->dims[3] / f->dims[3]) != 0)
          return fail(err, GK_E_CORRUPT,
                      "nn: convolution filter does not match its input", i);
        cout = f->dims[0];
      }
      if (op->n_in >= 3 && op->in[2] >= 0) {
        const gk_nn_tensor *b = &m->tensors[op->in[2]];
        if (b->data == NULL || b->count != (size_t)cout)
          return fail(err, GK_E_CORRUPT,
                      "nn: convolution bias must be a constant [O]", i);
      }
      d[0] = x->dims[0];
      d[1] = out_size(x->dims[1], f->dims[1], op->stride_h, op->dilation_h,
                      op->padding_same, &p0, &p1);
      d[2] = out_size(x->dims[2], f->dims[2], op->stride_w, op->dilation_w,
                      op->padding_same, &p0, &p1);
      d[3] = cout;
      if (!dims_are(o, 4, d)) return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    }
    case GK_NN_MAX_POOL_2D:
      if (x->rank != 4)
        return fail(err, GK_E_CORRUPT, "nn: max pool needs NHWC input", i);
      if (!window_ok(op->stride_h) || !window_ok(op->stride_w) ||
          !window_ok(op->filter_h) || !window_ok(op->filter_w))
        return fail(err, GK_E_UNSUPPORTED,
                    "nn: pool size or stride out of range", i);
      if (op->filter_h * op->filter_w == 1)
        return fail(err, GK_E_UNSUPPORTED, "nn: XNNPACK has no 1x1 max pooling",
                    i);
      d[0] = x->dims[0];
      d[1] = out_size(x->dims[1], op->filter_h, op->stride_h, 1,
                      op->padding_same, &p0, &p1);
      d[2] = out_size(x->dims[2], op->filter_w, op->stride_w, 1,
                      op->padding_same, &p0, &p1);
      d[3] = x->dims[3];
      if (!dims_are(o, 4, d)) return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    case GK_NN_ADD: {
      if (op->n_in < 2)
        return fail(err, GK_E_CORRUPT, "nn: ADD needs two inputs", i);
      const gk_nn_tensor *b = &m->tensors[op->in[1]];
      /* numpy broadcasting, aligned at the last dimension */
      int rank = x->rank > b->rank ? x->rank : b->rank;
      if (o->rank != rank) return fail(err, GK_E_CORRUPT, bad_shape, i);
      for (int k = 0; k < rank; k++) {
        int ka = k - (rank - x->rank), kb = k - (rank - b->rank);
        int32_t da = ka >= 0 ? x->dims[ka] : 1, db = kb >= 0 ? b->dims[kb] : 1;
        if (da != db && da != 1 && db != 1)
          return fail(err, GK_E_CORRUPT, "nn: ADD shapes do not broadcast", i);
        d[k] = da > db ? da : db;
      }
      if (!dims_are(o, rank, d)) return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    }
    case GK_NN_PAD:
      for (int k = 0; k < x->rank; k++) {
        int64_t w = (int64_t)x->dims[k] + op->pads[k][0] + op->pads[k][1];
        if (op->pads[k][0] < 0 || op->pads[k][1] < 0 || w > INT32_MAX)
          return fail(err, GK_E_CORRUPT, "nn: padding out of range", i);
        d[k] = (int32_t)w;
      }
      if (!dims_are(o, x->rank, d))
        return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    case GK_NN_DEPTH_TO_SPACE: {
      int bs = op->block_size;
      if (x->rank != 4 || !window_ok(bs) || x->dims[3] % (bs * bs) != 0 ||
          (int64_t)x->dims[1] * bs > INT32_MAX ||
          (int64_t)x->dims[2] * bs > INT32_MAX)
        return fail(err, GK_E_CORRUPT, "nn: bad depth to space", i);
      d[0] = x->dims[0];
      d[1] = x->dims[1] * bs;
      d[2] = x->dims[2] * bs;
      d[3] = x->dims[3] / (bs * bs);
      if (!dims_are(o, 4, d)) return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    }
    case GK_NN_RESIZE_BILINEAR:
      if (op->align_corners && op->half_pixel_centers)
        return fail(err, GK_E_UNSUPPORTED,
                    "nn: resize with both align_corners and half-pixel "
                    "centres",
                    i);
      if (x->rank != 4 || o->rank != 4 || o->dims[0] != x->dims[0] ||
          o->dims[3] != x->dims[3] || o->dims[1] < 1 || o->dims[2] < 1)
        return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    case GK_NN_RESHAPE:
      if (o->count != x->count) return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    case GK_NN_LOGISTIC:
      if (!dims_are(o, x->rank, x->dims))
        return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    case GK_NN_CONCATENATION: {
      if (op->axis < 0 || op->axis >= o->rank)
        return fail(err, GK_E_CORRUPT, "nn: concatenation axis out of range",
                    i);
      int64_t along = 0;
      for (int k = 0; k < op->n_in; k++) {
        const gk_nn_tensor *t = &m->tensors[op->in[k]];
        if (t->rank != o->rank) return fail(err, GK_E_CORRUPT, bad_shape, i);
        for (int j = 0; j < o->rank; j++)
          if (j != op->axis && t->dims[j] != o->dims[j])
            return fail(err, GK_E_CORRUPT, bad_shape, i);
        along += t->dims[op->axis];
      }
      if (along != o->dims[op->axis])
        return fail(err, GK_E_CORRUPT, bad_shape, i);
      return GK_OK;
    }
    case GK_NN_OP_KIND_COUNT:
    default:
      return fail(err, GK_E_UNSUPPORTED, "nn: operator XNNPACK cannot run", i);
  }
}

/* ---- the C operators ------------------------------------------------------
 */

static const float *tensor_data(const gk_nn_model *m, float *const *buf,
                                int32_t t) {
  return buf[t] != NULL ? buf[t] : m->tensors[t].data;
}

static void clamp_all(float *p, size_t n, gk_nn_act act) {
  if (act == GK_NN_ACT_NONE) return;
  float lo, hi;
  act_range(act, &lo, &hi);
  for (size_t i = 0; i < n; i++) p[i] = p[i] < lo ? lo : p[i] > hi ? hi : p[i];
}

static void run_c_op(const gk_nn_model *m, const gk_nn_op *op,
                     float *const *buf) {
  const gk_nn_tensor *o = &m->tensors[op->out];
  float *dst = buf[op->out];
  if (op->kind == GK_NN_RESHAPE) {
    memcpy(dst, tensor_data(m, buf, op->in[0]), o->count * sizeof(float));
  } else { /* GK_NN_CONCATENATION */
    size_t outer = 1;
    for (int j = 0; j < op->axis; j++) outer *= (size_t)o->dims[j];
    size_t w = 0;
    for (size_t r = 0; r < outer; r++) {
      for (int k = 0; k < op->n_in; k++) {
        const gk_nn_tensor *t = &m->tensors[op->in[k]];
        size_t inner = t->count / (outer ? outer : 1);
        memcpy(dst + w, tensor_data(m, buf, op->in[k]) + r * inner,
               inner * sizeof(float));
        w += inner;
      }
    }
  }
  clamp_all(dst, o->count, op->act);
}

/* ---- one XNNPACK subgraph -------------------------------------------------
 */

typedef struct seg_build {
  const gk_nn_model *m;
  xnn_subgraph_t sg;
  uint32_t *vid; /* per tensor: its value in this subgraph */
  float *const *buf;
  const int32_t *producer;
  size_t first, end;
  const uint8_t *live;
  uint32_t n_ext;
  struct xnn_external_value *ext; /* n_tensors long */
} seg_build;

static enum xnn_status define_value(seg_build *b, int32_t t, int weight,
                                    int output) {
  if (b->vid[t] != XNN_INVALID_VALUE_ID) return xnn_status_success;
  const gk_nn_tensor *ten = &b->m->tensors[t];
  size_t dims[GK_NN_MAX_RANK];
  for (int k = 0; k < ten->rank; k++) dims[k] = (size_t)ten->dims[k];
  const void *data = NULL;
  uint32_t ext = XNN_INVALID_VALUE_ID, flags = 0;
  if (ten->data != NULL) {
    /* weights are packed at runtime creation; other constants are read
       in place, so they come from the padded copy (when a constant is
       both, the copy serves as the weight too) */
    (void)weight;
    data =
        b->buf[t] != NULL ? (const void *)b->buf[t] : (const void *)ten->data;
  } else if (b->buf[t] != NULL) {
    int32_t p = b->producer[t];
    int made_here =
        p >= 0 && (size_t)p >= b->first && (size_t)p < b->end && b->live[p];
    flags = output || made_here ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT
                                : XNN_VALUE_FLAG_EXTERNAL_INPUT;
    ext = b->n_ext;
  }
  enum xnn_status s =
      xnn_define_tensor_value(b->sg, xnn_datatype_fp32, (size_t)ten->rank, dims,
                              data, ext, flags, &b->vid[t]);
  if (s == xnn_status_success && ext != XNN_INVALID_VALUE_ID) {
    b->ext[b->n_ext].id = ext;
    b->ext[b->n_ext].data = b->buf[t];
    b->n_ext++;
  }
  return s;
}

/* An internal value shaped like tensor t (before a clamp). */
static enum xnn_status define_temp(seg_build *b, int32_t t, uint32_t *id) {
  const gk_nn_tensor *ten = &b->m->tensors[t];
  size_t dims[GK_NN_MAX_RANK];
  for (int k = 0; k < ten->rank; k++) dims[k] = (size_t)ten->dims[k];
  return xnn_define_tensor_value(b->sg, xnn_datatype_fp32, (size_t)ten->rank,
                                 dims, NULL, XNN_INVALID_VALUE_ID, 0, id);
}

static enum xnn_status define_op(seg_build *b, const gk_nn_op *op) {
  const gk_nn_model *m = b->m;
  const gk_nn_tensor *x = &m->tensors[op->in[0]];
  const gk_nn_tensor *o = &m->tensors[op->out];
  int conv = op->kind == GK_NN_CONV_2D || op->kind == GK_NN_DEPTHWISE_CONV_2D;
  enum xnn_status s;
  for (int k = 0; k < n_used(op); k++) {
    if (op->in[k] < 0) continue;
    s = define_value(b, op->in[k], conv && k >= 1, 0);
    if (s != xnn_status_success) return s;
  }
  s = define_value(b, op->out, 0, 1);
  if (s != xnn_status_success) return s;
  uint32_t in = b->vid[op->in[0]], out = b->vid[op->out];
  float lo, hi;
  act_range(op->act, &lo, &hi);
  /* operators without output_min/max write a temporary, then a clamp */
  uint32_t dst = out;
  int fused = conv || op->kind == GK_NN_ADD || op->kind == GK_NN_MAX_POOL_2D;
  if (!fused && op->act != GK_NN_ACT_NONE) {
    s = define_temp(b, op->out, &dst);
    if (s != xnn_status_success) return s;
  }
  uint32_t t, l, bo, r;
  switch (op->kind) {
    case GK_NN_CONV_2D:
    case GK_NN_DEPTHWISE_CONV_2D: {
      const gk_nn_tensor *f = &m->tensors[op->in[1]];
      uint32_t bias = op->n_in >= 3 && op->in[2] >= 0 ? b->vid[op->in[2]]
                                                      : XNN_INVALID_VALUE_ID;
      out_size(x->dims[1], f->dims[1], op->stride_h, op->dilation_h,
               op->padding_same, &t, &bo);
      out_size(x->dims[2], f->dims[2], op->stride_w, op->dilation_w,
               op->padding_same, &l, &r);
      if (op->kind == GK_NN_DEPTHWISE_CONV_2D)
        return xnn_define_depthwise_convolution_2d(
            b->sg, t, r, bo, l, (uint32_t)f->dims[1], (uint32_t)f->dims[2],
            (uint32_t)op->stride_h, (uint32_t)op->stride_w,
            (uint32_t)op->dilation_h, (uint32_t)op->dilation_w,
            (uint32_t)op->depth_multiplier, (size_t)x->dims[3], lo, hi, in,
            b->vid[op->in[1]], bias, out, 0);
      uint32_t groups = (uint32_t)(x->dims[3] / f->dims[3]);
      return xnn_define_convolution_2d(
          b->sg, t, r, bo, l, (uint32_t)f->dims[1], (uint32_t)f->dims[2],
          (uint32_t)op->stride_h, (uint32_t)op->stride_w,
          (uint32_t)op->dilation_h, (uint32_t)op->dilation_w, groups,
          (size_t)f->dims[3], (size_t)(f->dims[0] / (int32_t)groups), lo, hi,
          in, b->vid[op->in[1]], bias, out, 0);
    }
    case GK_NN_MAX_POOL_2D:
      out_size(x->dims[1], op->filter_h, op->stride_h, 1, op->padding_same, &t,
               &bo);
      out_size(x->dims[2], op->filter_w, op->stride_w, 1, op->padding_same, &l,
               &r);
      return xnn_define_max_pooling_2d(
          b->sg, t, r, bo, l, (uint32_t)op->filter_h, (uint32_t)op->filter_w,
          (uint32_t)op->stride_h, (uint32_t)op->stride_w, 1, 1, lo, hi, in, out,
          0);
    case GK_NN_ADD:
      return xnn_define_add2(b->sg, lo, hi, in, b->vid[op->in[1]], out, 0);
    case GK_NN_PAD: {
      size_t pre[GK_NN_MAX_RANK], post[GK_NN_MAX_RANK];
      for (int k = 0; k < x->rank; k++) {
        pre[k] = (size_t)op->pads[k][0];
        post[k] = (size_t)op->pads[k][1];
      }
      s = xnn_define_static_constant_pad(b->sg, pre, post, 0.0f, in, dst, 0);
      break;
    }
    case GK_NN_DEPTH_TO_SPACE:
      if (op->block_size == 1) { /* XNNPACK refuses it; it is a copy */
        size_t dims[4] = {(size_t)o->dims[0], (size_t)o->dims[1],
                          (size_t)o->dims[2], (size_t)o->dims[3]};
        s = xnn_define_static_reshape(b->sg, 4, dims, in, dst, 0);
      } else {
        s = xnn_define_depth_to_space(b->sg, in, dst, (uint32_t)op->block_size,
                                      0);
      }
      break;
    case GK_NN_RESIZE_BILINEAR: {
      uint32_t flags = op->align_corners ? XNN_FLAG_ALIGN_CORNERS
                       : op->half_pixel_centers
                           ? 0
                           : XNN_FLAG_TENSORFLOW_LEGACY_MODE;
      s = xnn_define_static_resize_bilinear_2d(
          b->sg, (size_t)o->dims[1], (size_t)o->dims[2], in, dst, flags);
      break;
    }
    case GK_NN_RESHAPE: {
      size_t dims[GK_NN_MAX_RANK];
      for (int k = 0; k < o->rank; k++) dims[k] = (size_t)o->dims[k];
      s = xnn_define_static_reshape(b->sg, (size_t)o->rank, dims, in, dst, 0);
      break;
    }
    case GK_NN_LOGISTIC:
      s = xnn_define_sigmoid(b->sg, in, dst, 0);
      break;
    case GK_NN_CONCATENATION:
    case GK_NN_OP_KIND_COUNT:
    default:
      return xnn_status_unsupported_parameter;
  }
  if (s == xnn_status_success && dst != out)
    s = xnn_define_clamp(b->sg, lo, hi, dst, out, 0);
  return s;
}

/* One subgraph for operators [first, end), made into a set-up runtime. */
static gk_status build_segment(const gk_nn_model *m, xnn_state *st,
                               xnn_seg *seg, const int32_t *producer,
                               uint32_t *vid, struct xnn_external_value *ext,
                               gk_err *err) {
  seg_build b = {m,          NULL,     vid,      st->buf, producer,
                 seg->first, seg->end, st->live, 0,       ext};
  for (size_t t = 0; t < m->n_tensors; t++) vid[t] = XNN_INVALID_VALUE_ID;
  /* every buffered tensor may be external: reserve ids for all of them */
  uint32_t n_reserve = 0;
  for (size_t i = seg->first; i < seg->end; i++)
    n_reserve += (uint32_t)m->ops[i].n_in + 1u;
  if (xnn_create_subgraph(n_reserve, 0, &b.sg) != xnn_status_success)
    return fail(err, GK_E_NOMEM, "nn: XNNPACK could not make a subgraph",
                seg->first);
  for (size_t i = seg->first; i < seg->end; i++) {
    if (!st->live[i]) continue;
    if (define_op(&b, &m->ops[i]) != xnn_status_success) {
      xnn_delete_subgraph(b.sg);
      return fail(err, GK_E_UNSUPPORTED, "nn: XNNPACK refused an operator", i);
    }
  }
  /* The pool's workers spin after an operator, waiting for the next; with
     XNN_FLAG_YIELD_WORKERS they go back to the scheduler after the
     runtime's last one, so between inferences (decoding, the warp) they
     do not hold the cores.  Debian's 2022 XNNPACK has it; guarded for
     headers without. */
  uint32_t flags = 0;
#ifdef XNN_FLAG_YIELD_WORKERS
  flags |= XNN_FLAG_YIELD_WORKERS;
#endif
  enum xnn_status s = xnn_create_runtime_v2(b.sg, st->pool, flags, &seg->rt);
  xnn_delete_subgraph(b.sg);
  if (s != xnn_status_success) {
    seg->rt = NULL;
    return fail(err,
                s == xnn_status_out_of_memory ? GK_E_NOMEM : GK_E_UNSUPPORTED,
                "nn: XNNPACK could not make a runtime", seg->first);
  }
  if (xnn_setup_runtime(seg->rt, b.n_ext, ext) != xnn_status_success)
    return fail(err, GK_E_UNSUPPORTED, "nn: XNNPACK could not set up a runtime",
                seg->first);
  return GK_OK;
}

/* ---- the runner ------------------------------------------------------------
 */

static gk_status xnn_run(gk_nn_runner *r, gk_err *err) {
  xnn_state *st = (xnn_state *)r->impl;
  const gk_nn_model *m = r->m;
  for (size_t s = 0; s < st->n_segs; s++) {
    const xnn_seg *seg = &st->segs[s];
    if (seg->on_xnn) {
      if (xnn_invoke_runtime(seg->rt) != xnn_status_success)
        return fail(err, GK_E_UNSUPPORTED, "nn: XNNPACK failed to run",
                    seg->first);
    } else {
      for (size_t i = seg->first; i < seg->end; i++)
        if (st->live[i]) run_c_op(m, &m->ops[i], st->buf);
    }
  }
  return GK_OK;
}

static void xnn_free(gk_nn_runner *r) {
  xnn_state *st = (xnn_state *)r->impl;
  if (st == NULL) return;
  for (size_t s = 0; s < st->n_segs; s++)
    if (st->segs[s].rt != NULL) xnn_delete_runtime(st->segs[s].rt);
  if (st->pool != NULL) pthreadpool_destroy(st->pool);
  if (st->buf != NULL)
    for (size_t t = 0; t < r->m->n_tensors; t++) free(st->buf[t]);
  free(st->buf);
  free(st->segs);
  free(st->live);
  free(st);
  r->impl = NULL;
}

/* The SIMD level XNNPACK's kernels use here, as cpuinfo sees the CPU. */
static const char *simd_level(void) {
#if defined(__x86_64__) || defined(__i386__)
  if (!cpuinfo_initialize()) return NULL;
  if (cpuinfo_has_x86_avx512f()) return "XNNPACK AVX-512";
  if (cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3()) return "XNNPACK AVX2";
  if (cpuinfo_has_x86_avx()) return "XNNPACK AVX";
  if (cpuinfo_has_x86_sse4_1()) return "XNNPACK SSE4.1";
  if (cpuinfo_has_x86_sse2()) return "XNNPACK SSE2";
  return NULL;
#else
  return cpuinfo_initialize() ? "XNNPACK" : NULL;
#endif
}

static void reset_runner(gk_nn_runner *r) {
  for (int i = 0; i < GK_NN_MAX_IO; i++) r->in[i] = r->out[i] = NULL;
  r->impl = NULL;
  r->run = NULL;
  r->free_impl = NULL;
}

/* Which tensors get a buffer here, and the constants XNNPACK reads in
   place (copied, padded). */
static gk_status alloc_buffers(const gk_nn_model *m, xnn_state *st,
                               const int32_t *producer, const uint8_t *c_op,
                               const size_t *seg_of, gk_err *err) {
  uint8_t *need = (uint8_t *)calloc(m->n_tensors ? m->n_tensors : 1, 1);
  if (need == NULL) return fail(err, GK_E_NOMEM, "nn: out of memory", 0);
  for (int i = 0; i < m->n_inputs; i++) need[m->inputs[i]] = 1;
  for (int i = 0; i < m->n_outputs; i++) need[m->outputs[i]] = 1;
  for (size_t i = 0; i < m->n_ops; i++) {
    const gk_nn_op *op = &m->ops[i];
    int conv = op->kind == GK_NN_CONV_2D || op->kind == GK_NN_DEPTHWISE_CONV_2D;
    if (!st->live[i]) continue;
    if (c_op[i]) need[op->out] = 1;
    for (int k = 0; k < n_used(op); k++) {
      int32_t t = op->in[k];
      if (t < 0) continue;
      if (m->tensors[t].data != NULL) {
        if (!c_op[i] && !(conv && k >= 1)) need[t] = 1;
        continue;
      }
      int32_t p = producer[t];
      if (c_op[i] || p < 0 || seg_of[p] != seg_of[i]) need[t] = 1;
    }
  }
  gk_status rc = GK_OK;
  for (size_t t = 0; t < m->n_tensors && rc == GK_OK; t++) {
    if (!need[t]) continue;
    const gk_nn_tensor *ten = &m->tensors[t];
    size_t bytes;
    if (ten->count > GK_NN_MAX_ELEMS ||
        !gk__mul_ok(ten->count, sizeof(float), &bytes) ||
        !gk__add_ok(bytes, XNN_EXTRA_BYTES, &bytes)) {
      rc = fail(err, GK_E_LIMIT, "nn: tensor too large", t);
      break;
    }
    st->buf[t] = (float *)calloc(1, bytes);
    if (st->buf[t] == NULL) {
      rc = fail(err, GK_E_NOMEM, "nn: out of memory", t);
      break;
    }
    if (ten->data != NULL)
      memcpy(st->buf[t], ten->data, ten->count * sizeof(float));
  }
  free(need);
  return rc;
}

/* Segments: maximal runs of operators on the same side. */
static gk_status make_segments(const gk_nn_model *m, xnn_state *st,
                               const uint8_t *c_op, size_t *seg_of,
                               gk_err *err) {
  size_t n = 0;
  int prev = -1; /* the side of the last live operator */
  for (size_t i = 0; i < m->n_ops; i++) {
    if (!st->live[i]) continue;
    if (c_op[i] != prev) n++;
    prev = c_op[i];
  }
  st->segs = (xnn_seg *)calloc(n ? n : 1, sizeof(xnn_seg));
  if (st->segs == NULL) return fail(err, GK_E_NOMEM, "nn: out of memory", 0);
  prev = -1;
  for (size_t i = 0; i < m->n_ops; i++) {
    if (!st->live[i]) continue; /* inside a segment, skipped by its loops */
    if (c_op[i] != prev) {
      xnn_seg *s = &st->segs[st->n_segs++];
      s->on_xnn = !c_op[i];
      s->first = i;
    }
    prev = c_op[i];
    st->segs[st->n_segs - 1].end = i + 1;
    seg_of[i] = st->n_segs - 1;
  }
  return GK_OK;
}

/* A tensor's rank, dimensions (each at least 1) and count agree, within
   the limits: XNNPACK sizes by the dimensions, the buffers by the count. */
static int tensor_ok(const gk_nn_tensor *t) {
  if (t->rank < 0 || t->rank > GK_NN_MAX_RANK) return 0;
  size_t n = 1;
  for (int k = 0; k < t->rank; k++)
    if (t->dims[k] < 1 || !gk__mul_ok(n, (size_t)t->dims[k], &n) ||
        n > GK_NN_MAX_ELEMS)
      return 0;
  return n == t->count;
}

static gk_status check_model(const gk_nn_model *m, gk_err *err) {
  if (m == NULL || m->n_tensors > GK_NN_MAX_TENSORS ||
      m->n_ops > GK_NN_MAX_OPS || m->n_inputs < 0 ||
      m->n_inputs > GK_NN_MAX_IO || m->n_outputs < 0 ||
      m->n_outputs > GK_NN_MAX_IO || (m->n_ops && m->ops == NULL) ||
      (m->n_tensors && m->tensors == NULL))
    return fail(err, GK_E_ARG, "nn: invalid model", 0);
  for (size_t t = 0; t < m->n_tensors; t++)
    if (!tensor_ok(&m->tensors[t]))
      return fail(err, GK_E_CORRUPT,
                  "nn: tensor's shape and element count disagree", t);
  for (int i = 0; i < m->n_inputs; i++)
    if (!valid_tensor(m, m->inputs[i]) || m->tensors[m->inputs[i]].data != NULL)
      return fail(err, GK_E_CORRUPT, "nn: graph input out of range", 0);
  for (int i = 0; i < m->n_outputs; i++)
    if (!valid_tensor(m, m->outputs[i]))
      return fail(err, GK_E_CORRUPT, "nn: graph output out of range", 0);
  for (size_t i = 0; i < m->n_ops; i++) {
    gk_status s = check_op(m, &m->ops[i], i, err);
    if (s != GK_OK) return s;
  }
  return GK_OK;
}

static gk_status xnn_build(gk_nn_runner *r, xnn_state *st, int threads,
                           gk_err *err) {
  const gk_nn_model *m = r->m;
  size_t nt = m->n_tensors ? m->n_tensors : 1, no = m->n_ops ? m->n_ops : 1;
  int32_t *producer = (int32_t *)malloc(nt * sizeof(int32_t));
  uint8_t *c_op = (uint8_t *)calloc(no, 1);
  size_t *seg_of = (size_t *)calloc(no, sizeof(size_t));
  uint32_t *vid = (uint32_t *)malloc(nt * sizeof(uint32_t));
  struct xnn_external_value *ext =
      (struct xnn_external_value *)calloc(nt, sizeof(*ext));
  st->buf = (float **)calloc(nt, sizeof(float *));
  gk_status rc = GK_OK;
  if (!producer || !c_op || !seg_of || !vid || !ext || !st->buf) {
    rc = fail(err, GK_E_NOMEM, "nn: out of memory", 0);
    goto done;
  }
  for (size_t t = 0; t < m->n_tensors; t++) producer[t] = -1;
  for (size_t i = 0; i < m->n_ops; i++) {
    for (int k = 0; k < n_used(&m->ops[i]); k++) {
      int32_t t = m->ops[i].in[k];
      if (t >= 0 && m->tensors[t].data == NULL && producer[t] < 0) {
        int is_input = 0;
        for (int j = 0; j < m->n_inputs; j++) is_input |= m->inputs[j] == t;
        if (!is_input) {
          rc = fail(err, GK_E_CORRUPT,
                    "nn: operator reads a tensor not yet computed", i);
          goto done;
        }
      }
    }
    if (producer[m->ops[i].out] >= 0) {
      rc = fail(err, GK_E_CORRUPT, "nn: tensor written twice", i);
      goto done;
    }
    producer[m->ops[i].out] = (int32_t)i;
    c_op[i] = (uint8_t)op_in_c(&m->ops[i], producer, c_op);
  }
  for (int i = 0; i < m->n_inputs; i++)
    if (producer[m->inputs[i]] >= 0) {
      rc = fail(err, GK_E_CORRUPT, "nn: an operator writes a graph input", 0);
      goto done;
    }
  for (int i = 0; i < m->n_outputs; i++) {
    int32_t t = m->outputs[i];
    int is_input = 0;
    for (int j = 0; j < m->n_inputs; j++) is_input |= m->inputs[j] == t;
    if (producer[t] < 0 && !is_input && m->tensors[t].data == NULL) {
      rc = fail(err, GK_E_CORRUPT, "nn: a graph output nothing computes", 0);
      goto done;
    }
  }
  /* operators nothing needs are left out: XNNPACK gives a value no node
     reads no memory, and asserts when a node writes it */
  st->live = (uint8_t *)calloc(no, 1);
  uint8_t *wanted = (uint8_t *)calloc(nt, 1);
  if (st->live == NULL || wanted == NULL) {
    free(wanted);
    rc = fail(err, GK_E_NOMEM, "nn: out of memory", 0);
    goto done;
  }
  for (int i = 0; i < m->n_outputs; i++) wanted[m->outputs[i]] = 1;
  for (size_t i = m->n_ops; i-- > 0;) {
    const gk_nn_op *op = &m->ops[i];
    if (!wanted[op->out]) continue;
    st->live[i] = 1;
    for (int k = 0; k < n_used(op); k++)
      if (op->in[k] >= 0) wanted[op->in[k]] = 1;
  }
  free(wanted);
  rc = make_segments(m, st, c_op, seg_of, err);
  if (rc == GK_OK) rc = alloc_buffers(m, st, producer, c_op, seg_of, err);
  if (rc != GK_OK) goto done;
  if (threads != 1) {
    st->pool = pthreadpool_create((size_t)threads);
    if (st->pool == NULL) {
      rc = fail(err, GK_E_NOMEM, "nn: could not make the thread pool", 0);
      goto done;
    }
  }
  for (size_t s = 0; s < st->n_segs && rc == GK_OK; s++)
    if (st->segs[s].on_xnn)
      rc = build_segment(m, st, &st->segs[s], producer, vid, ext, err);
done:
  free(producer);
  free(c_op);
  free(seg_of);
  free(vid);
  free(ext);
  return rc;
}

gk_status gk_nn_xnn_init(gk_nn_runner *r, int threads, gk_err *err) {
  if (r == NULL || r->m == NULL || threads < 0 || threads > GK_XNN_MAX_THREADS)
    return fail(err, GK_E_ARG, "nn: invalid runner or thread count", 0);
  reset_runner(r);
  gk_status rc = check_model(r->m, err);
  if (rc != GK_OK) return rc;
  const char *level = simd_level();
  if (level == NULL)
    return fail(err, GK_E_UNSUPPORTED, "nn: XNNPACK needs SSE2 here", 0);
  if (xnn_initialize(NULL) != xnn_status_success)
    return fail(err, GK_E_UNSUPPORTED, "nn: XNNPACK cannot run on this CPU", 0);
  xnn_state *st = (xnn_state *)calloc(1, sizeof(*st));
  if (st == NULL) return fail(err, GK_E_NOMEM, "nn: out of memory", 0);
  r->impl = st;
  rc = xnn_build(r, st, threads, err);
  if (rc != GK_OK) {
    xnn_free(r);
    reset_runner(r);
    return rc;
  }
  const gk_nn_model *m = r->m;
  for (int i = 0; i < m->n_inputs; i++) r->in[i] = st->buf[m->inputs[i]];
  for (int i = 0; i < m->n_outputs; i++) r->out[i] = st->buf[m->outputs[i]];
  r->describe = level;
  r->run = xnn_run;
  r->free_impl = xnn_free;
  return GK_OK;
}
