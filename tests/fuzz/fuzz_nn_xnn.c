/*
** fuzz_nn_xnn.c -- libFuzzer harness for the XNNPACK runner's checks of
** the model it is given (src/nn/xnn.c).  The bytes build a small model:
** operators of every kind with their options, each on tensors made so far,
** its output shaped by TFLite's rules, or (one byte in eight) by the bytes,
** so that a wrong declared shape or element count reaches the checks;
** constants from the bytes.  Whatever gk_nn_xnn_init accepts is run and
** must agree with the naive evaluation of tests/nn_naive.h (which reads
** only within the shapes it is given: ASan sees it).  Seeds (models the
** runner accepts) in tests/data/nn_xnn/.
*/
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../nn_naive.h"
#include "nn/nn_internal.h"

#define FZ_TENSORS 48
#define FZ_OPS 12
#define FZ_DIM 12 /* dimensions 1..FZ_DIM */
#define FZ_MAX_ELEMS 20000

typedef struct fz {
  const uint8_t *p, *end;
  gk_nn_model m;
  gk_nn_tensor t[FZ_TENSORS];
  gk_nn_op o[FZ_OPS];
  float *val[FZ_TENSORS]; /* constants' data, and the naive values */
} fz;

static unsigned rd(fz *f) { return f->p < f->end ? *f->p++ : 0; }

static int32_t add_tensor(fz *f, int rank, const int32_t *dims, int konst) {
  if (f->m.n_tensors >= FZ_TENSORS) return -1;
  int32_t i = (int32_t)f->m.n_tensors++;
  gk_nn_tensor *t = &f->t[i];
  t->name = "t";
  t->rank = rank;
  t->count = 1;
  for (int k = 0; k < rank; k++) {
    t->dims[k] = dims[k];
    t->count *= (size_t)(dims[k] > 0 ? dims[k] : 1);
  }
  f->val[i] = (float *)calloc(t->count + 1, sizeof(float));
  if (konst && f->val[i] != NULL) {
    for (size_t e = 0; e < t->count; e++)
      f->val[i][e] = ((float)rd(f) - 128.0f) / 128.0f;
    t->data = f->val[i];
  }
  return i;
}

/* An activation tensor made so far, preferring rank 4 when want4. */
static int32_t pick(fz *f, int want4) {
  size_t n = f->m.n_tensors;
  if (n == 0) return -1;
  int32_t i = (int32_t)(rd(f) % n);
  for (size_t k = 0; k < n; k++) {
    int32_t j = (int32_t)((i + k) % n);
    if (f->t[j].data == NULL && (!want4 || f->t[j].rank == 4)) return j;
  }
  return -1;
}

static int32_t out_dim(int32_t in, int k, int s, int d, int same) {
  int32_t ek = (k - 1) * d + 1;
  return same ? (in + s - 1) / s : in >= ek ? (in - ek) / s + 1 : 0;
}

/* One operator of the kind the bytes say; 0 when none could be made. */
static int add_op(fz *f) {
  if (f->m.n_ops >= FZ_OPS) return 0;
  gk_nn_op *op = &f->o[f->m.n_ops];
  memset(op, 0, sizeof(*op));
  op->kind = (gk_nn_op_kind)(rd(f) % GK_NN_OP_KIND_COUNT);
  op->act = (gk_nn_act)(rd(f) % 4);
  op->stride_h = op->stride_w = op->dilation_h = op->dilation_w = 1;
  int32_t x =
      pick(f, op->kind != GK_NN_ADD && op->kind != GK_NN_PAD &&
                  op->kind != GK_NN_RESHAPE && op->kind != GK_NN_LOGISTIC &&
                  op->kind != GK_NN_CONCATENATION);
  if (x < 0) return 0;
  const gk_nn_tensor *xt = &f->t[x];
  int32_t d[GK_NN_MAX_RANK] = {0};
  int rank = xt->rank;
  memcpy(d, xt->dims, sizeof(d));
  op->n_in = 1;
  op->in[0] = x;
  switch (op->kind) {
    case GK_NN_CONV_2D:
    case GK_NN_DEPTHWISE_CONV_2D: {
      int dw = op->kind == GK_NN_DEPTHWISE_CONV_2D;
      int k = 1 + (int)(rd(f) % 4), cout = 1 + (int)(rd(f) % 8);
      op->stride_h = 1 + (int)(rd(f) % 3);
      op->stride_w = 1 + (int)(rd(f) % 3);
      op->dilation_h = 1 + (int)(rd(f) % 2);
      op->dilation_w = 1 + (int)(rd(f) % 2);
      op->padding_same = (int)(rd(f) & 1);
      int32_t fd[4];
      if (dw) {
        op->depth_multiplier = 1 + (int)(rd(f) % 3);
        cout = xt->dims[3] * op->depth_multiplier;
        fd[0] = 1, fd[1] = k, fd[2] = k, fd[3] = cout;
      } else {
        int groups = (rd(f) & 1) && xt->dims[3] % 2 == 0 ? 2 : 1;
        cout *= groups;
        fd[0] = cout, fd[1] = k, fd[2] = k, fd[3] = xt->dims[3] / groups;
      }
      op->in[1] = add_tensor(f, 4, fd, 1);
      op->in[2] = rd(f) & 1 ? add_tensor(f, 1, &cout, 1) : -1;
      op->n_in = 3;
      d[1] = out_dim(xt->dims[1], k, op->stride_h, op->dilation_h,
                     op->padding_same);
      d[2] = out_dim(xt->dims[2], k, op->stride_w, op->dilation_w,
                     op->padding_same);
      d[3] = cout;
      break;
    }
    case GK_NN_MAX_POOL_2D:
      op->filter_h = 1 + (int)(rd(f) % 3);
      op->filter_w = 1 + (int)(rd(f) % 3);
      op->stride_h = 1 + (int)(rd(f) % 3);
      op->stride_w = 1 + (int)(rd(f) % 3);
      op->padding_same = (int)(rd(f) & 1);
      d[1] =
          out_dim(xt->dims[1], op->filter_h, op->stride_h, 1, op->padding_same);
      d[2] =
          out_dim(xt->dims[2], op->filter_w, op->stride_w, 1, op->padding_same);
      break;
    case GK_NN_ADD: {
      unsigned how = rd(f) % 4;
      int32_t one = 1, c = rank > 0 ? xt->dims[rank - 1] : 1;
      op->in[1] = -1;
      if (how == 3) /* an activation of the same shape, x itself at worst */
        for (size_t t = f->m.n_tensors; t-- > 0 && op->in[1] < 0;)
          if (f->t[t].data == NULL && f->t[t].rank == rank &&
              memcmp(f->t[t].dims, xt->dims, sizeof(xt->dims)) == 0)
            op->in[1] = (int32_t)t;
      if (op->in[1] < 0)
        op->in[1] = how == 1   ? add_tensor(f, 1, &c, 1)
                    : how == 2 ? add_tensor(f, 1, &one, 1)
                               : add_tensor(f, rank, xt->dims, 1);
      op->n_in = 2;
      break;
    }
    case GK_NN_PAD:
      for (int k = 0; k < rank; k++) {
        op->pads[k][0] = (int32_t)(rd(f) % 3);
        op->pads[k][1] = (int32_t)(rd(f) % 3);
        d[k] += op->pads[k][0] + op->pads[k][1];
      }
      break;
    case GK_NN_DEPTH_TO_SPACE:
      op->block_size = 2 + (int)(rd(f) % 2);
      if (d[3] % (op->block_size * op->block_size) != 0) op->block_size = 1;
      d[1] *= op->block_size;
      d[2] *= op->block_size;
      d[3] /= op->block_size * op->block_size;
      break;
    case GK_NN_RESIZE_BILINEAR:
      op->align_corners = (int)(rd(f) & 1);
      op->half_pixel_centers = !op->align_corners && (rd(f) & 1);
      d[1] = 1 + (int32_t)(rd(f) % FZ_DIM);
      d[2] = 1 + (int32_t)(rd(f) % FZ_DIM);
      break;
    case GK_NN_RESHAPE:
      rank = 1 + (int)(rd(f) % 2);
      d[0] = rank == 1 ? (int32_t)xt->count : 1;
      d[1] = (int32_t)xt->count;
      break;
    case GK_NN_LOGISTIC:
      break;
    case GK_NN_CONCATENATION: {
      if (rank == 0) return 0;
      op->axis = (int)(rd(f) % (unsigned)rank);
      int n = 1 + (int)(rd(f) % 3);
      for (int k = 1; k <= n; k++) {
        int32_t e[GK_NN_MAX_RANK];
        memcpy(e, xt->dims, sizeof(e));
        e[op->axis] = 1 + (int32_t)(rd(f) % 3);
        int input = (rd(f) & 1) && f->m.n_inputs < GK_NN_MAX_IO;
        op->in[k] = add_tensor(f, rank, e, !input);
        if (op->in[k] < 0) return 0;
        if (input) f->m.inputs[f->m.n_inputs++] = op->in[k];
        d[op->axis] += e[op->axis];
      }
      op->n_in = 1 + n;
      break;
    }
    case GK_NN_OP_KIND_COUNT:
    default:
      return 0;
  }
  for (int k = 0; k < op->n_in; k++)
    if (op->in[k] < 0 && !(k == 2 && op->n_in == 3)) return 0;
  unsigned lie = rd(f);
  if ((lie & 0x40) && (op->kind == GK_NN_PAD || op->kind == GK_NN_RESHAPE ||
                       op->kind == GK_NN_RESIZE_BILINEAR)) {
    int32_t two = 2; /* a folded shape operand left as an input */
    op->in[1] = add_tensor(f, 1, &two, (int)(lie & 0x20));
    if (op->in[1] < 0) return 0;
    op->n_in = 2;
  }
  if ((lie & 7) == 7 && rank > 0) /* a declared shape off by one */
    d[(lie >> 3) % (unsigned)rank] += (lie & 0x80) ? 1 : -1;
  int64_t n = 1;
  for (int k = 0; k < rank; k++) {
    if (d[k] < 0) return 0;
    n *= d[k];
  }
  if (n > FZ_MAX_ELEMS) return 0;
  int32_t o = add_tensor(f, rank, d, 0);
  if (o < 0) return 0;
  if ((lie & 0x3f) == 0x3e) f->t[o].count += 1; /* count and dims disagree */
  op->out = o;
  f->m.n_ops++;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static fz f;
  memset(&f, 0, sizeof(f));
  f.p = data;
  f.end = data + size;
  f.m.tensors = f.t;
  f.m.ops = f.o;
  int32_t dims[4] = {1, 1 + (int32_t)(rd(&f) % FZ_DIM),
                     1 + (int32_t)(rd(&f) % FZ_DIM), 1 + (int32_t)(rd(&f) % 8)};
  int32_t x = add_tensor(&f, 4, dims, 0);
  f.m.inputs[f.m.n_inputs++] = x;
  int n_ops = 1 + (int)(rd(&f) % FZ_OPS);
  for (int i = 0; i < n_ops && f.p < f.end; i++) add_op(&f);
  if (f.m.n_ops == 0) goto done;
  f.m.outputs[f.m.n_outputs++] = f.o[f.m.n_ops - 1].out;
  if (rd(&f) & 1) f.m.outputs[f.m.n_outputs++] = f.o[rd(&f) % f.m.n_ops].out;
  for (size_t t = 0; t < f.m.n_tensors; t++)
    if (f.val[t] == NULL) goto done;

  struct gk_nn_runner r;
  memset(&r, 0, sizeof(r));
  r.m = &f.m;
  r.backend = GK_NN_BACKEND_XNNPACK;
  gk_err err;
  gk_status st = gk_nn_xnn_init(&r, 1, &err);
  if (getenv("FZ_VERBOSE"))
    fprintf(stderr, "ops %zu tensors %zu: %s\n", f.m.n_ops, f.m.n_tensors,
            st == GK_OK ? "accepted" : err.msg);
  if (getenv("FZ_VERBOSE") && st != GK_OK && err.offset < f.m.n_ops)
    fprintf(stderr, "  op %llu kind %d\n", (unsigned long long)err.offset,
            f.o[err.offset].kind);
  if (st != GK_OK) {
    if (r.impl != NULL || r.run != NULL || r.in[0] != NULL) abort();
    goto done;
  }
  for (int i = 0; i < f.m.n_inputs; i++) {
    const gk_nn_tensor *t = &f.t[f.m.inputs[i]];
    for (size_t e = 0; e < t->count; e++)
      f.val[f.m.inputs[i]][e] = r.in[i][e] = (float)((e * 37) % 29) / 7.0f - 2;
  }
  if (r.run(&r, &err) != GK_OK) abort();
  nn_naive_run(&f.m, f.val);
  for (int j = 0; j < f.m.n_outputs; j++) {
    const gk_nn_tensor *t = &f.t[f.m.outputs[j]];
    const float *want = f.val[f.m.outputs[j]];
    for (size_t e = 0; e < t->count; e++) {
      /* chains of random weights can grow and cancel: compare where the
         values are of a size float keeps to 1e-3 */
      if (!(fabsf(want[e]) < 1e4f)) continue;
      if (!(fabs((double)r.out[j][e] - want[e]) <=
            1e-3 * fmax(1.0, fabs((double)want[e])))) {
        if (getenv("FZ_VERBOSE")) {
          for (size_t i = 0; i < f.m.n_ops; i++) {
            const gk_nn_op *q = &f.o[i];
            fprintf(stderr, "op %zu kind %d act %d in", i, q->kind, q->act);
            for (int k = 0; k < q->n_in; k++) fprintf(stderr, " %d", q->in[k]);
            fprintf(stderr,
                    " out %d s %d,%d d %d,%d same %d f %d,%d m %d "
                    "bs %d ac %d hp %d axis %d\n",
                    q->out, q->stride_h, q->stride_w, q->dilation_h,
                    q->dilation_w, q->padding_same, q->filter_h, q->filter_w,
                    q->depth_multiplier, q->block_size, q->align_corners,
                    q->half_pixel_centers, q->axis);
          }
          for (size_t t = 0; t < f.m.n_tensors; t++)
            fprintf(stderr, "t%zu rank %d [%d %d %d %d] %s\n", t, f.t[t].rank,
                    f.t[t].dims[0], f.t[t].dims[1], f.t[t].dims[2],
                    f.t[t].dims[3], f.t[t].data ? "const" : "");
          fprintf(stderr, "output %d element %zu: %g, want %g\n", j, e,
                  r.out[j][e], want[e]);
        }
        abort();
      }
    }
  }
  r.free_impl(&r);
done:
  for (size_t t = 0; t < f.m.n_tensors; t++) free(f.val[t]);
  return 0;
}
