/*
** nn_naive.h -- a naive evaluation of a gk_nn_model written from TFLite's
** definitions of the operators, for the runners' tests and fuzzers to
** compare with (tests/unit/test_nn_xnn.c, tests/fuzz/fuzz_nn_xnn.c).
** Deliberately plain: loops over output elements, no blocking, doubles
** where TFLite accumulates.  It trusts the shapes it is given (the runner
** under test checks them first).
**
**   nn_naive_run(m, v): v[t] holds tensor t's values (constants: their
**   data; graph inputs: filled in); every operator's output is written.
*/
#ifndef GK_NN_NAIVE_H
#define GK_NN_NAIVE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gaitkeeper/nn.h"

static inline float naive_act(gk_nn_act a, float v) {
  switch (a) {
    case GK_NN_ACT_RELU:
      return v < 0 ? 0 : v;
    case GK_NN_ACT_RELU6:
      return v < 0 ? 0 : v > 6 ? 6 : v;
    case GK_NN_ACT_RELU_N1_TO_1:
      return v < -1 ? -1 : v > 1 ? 1 : v;
    case GK_NN_ACT_NONE:
    default:
      return v;
  }
}

/* TFLite: SAME is ceil(in / stride), the odd padding after. */
static inline int naive_pad_before(int in, int out, int k, int stride, int dil,
                                   int same) {
  if (!same) return 0;
  int total = (out - 1) * stride + (k - 1) * dil + 1 - in;
  return total > 0 ? total / 2 : 0;
}

#define NAIVE_AT4(t, n, y, x, c)                                              \
  ((((size_t)(n) * (t)->dims[1] + (y)) * (t)->dims[2] + (x)) * (t)->dims[3] + \
   (c))

static inline void naive_conv(const gk_nn_model *m, const gk_nn_op *op,
                              float **v) {
  const gk_nn_tensor *x = &m->tensors[op->in[0]], *f = &m->tensors[op->in[1]];
  const gk_nn_tensor *o = &m->tensors[op->out];
  int dw = op->kind == GK_NN_DEPTHWISE_CONV_2D;
  const float *bias = op->n_in > 2 && op->in[2] >= 0 ? v[op->in[2]] : NULL;
  int kh = f->dims[1], kw = f->dims[2];
  int pt = naive_pad_before(x->dims[1], o->dims[1], kh, op->stride_h,
                            op->dilation_h, op->padding_same);
  int pl = naive_pad_before(x->dims[2], o->dims[2], kw, op->stride_w,
                            op->dilation_w, op->padding_same);
  int gin = dw ? 1 : f->dims[3];
  int gout = dw ? 1 : f->dims[0] / (x->dims[3] / gin);
  for (int n = 0; n < o->dims[0]; n++) /* every image of the batch */
    for (int oy = 0; oy < o->dims[1]; oy++)
      for (int ox = 0; ox < o->dims[2]; ox++)
        for (int oc = 0; oc < o->dims[3]; oc++) {
          double acc = bias ? bias[oc] : 0;
          for (int ky = 0; ky < kh; ky++)
            for (int kx = 0; kx < kw; kx++) {
              int iy = oy * op->stride_h - pt + ky * op->dilation_h;
              int ix = ox * op->stride_w - pl + kx * op->dilation_w;
              if (iy < 0 || ix < 0 || iy >= x->dims[1] || ix >= x->dims[2])
                continue;
              if (dw) {
                int ic = oc / op->depth_multiplier;
                acc += v[op->in[0]][NAIVE_AT4(x, n, iy, ix, ic)] *
                       v[op->in[1]][NAIVE_AT4(f, 0, ky, kx, oc)];
              } else {
                int g = oc / gout;
                for (int ic = 0; ic < gin; ic++)
                  acc += v[op->in[0]][NAIVE_AT4(x, n, iy, ix, g * gin + ic)] *
                         v[op->in[1]][NAIVE_AT4(f, oc, ky, kx, ic)];
              }
            }
          v[op->out][NAIVE_AT4(o, n, oy, ox, oc)] =
              naive_act(op->act, (float)acc);
        }
}

static inline void naive_pool(const gk_nn_model *m, const gk_nn_op *op,
                              float **v) {
  const gk_nn_tensor *x = &m->tensors[op->in[0]], *o = &m->tensors[op->out];
  int pt = naive_pad_before(x->dims[1], o->dims[1], op->filter_h, op->stride_h,
                            1, op->padding_same);
  int pl = naive_pad_before(x->dims[2], o->dims[2], op->filter_w, op->stride_w,
                            1, op->padding_same);
  for (int n = 0; n < o->dims[0]; n++) /* every image of the batch */
    for (int oy = 0; oy < o->dims[1]; oy++)
      for (int ox = 0; ox < o->dims[2]; ox++)
        for (int c = 0; c < o->dims[3]; c++) {
          float mx = -INFINITY;
          for (int ky = 0; ky < op->filter_h; ky++)
            for (int kx = 0; kx < op->filter_w; kx++) {
              int iy = oy * op->stride_h - pt + ky,
                  ix = ox * op->stride_w - pl + kx;
              if (iy < 0 || ix < 0 || iy >= x->dims[1] || ix >= x->dims[2])
                continue;
              float e = v[op->in[0]][NAIVE_AT4(x, n, iy, ix, c)];
              if (e > mx) mx = e;
            }
          v[op->out][NAIVE_AT4(o, n, oy, ox, c)] = naive_act(op->act, mx);
        }
}

/* Offset in t of the multi-index idx of an output of rank r, broadcasting
   (numpy: dimensions aligned at the end). */
static inline size_t naive_bcast_at(const gk_nn_tensor *t, int r,
                                    const int32_t *idx) {
  size_t off = 0;
  for (int k = 0; k < t->rank; k++) {
    int32_t i = idx[k + r - t->rank];
    off = off * (size_t)t->dims[k] + (size_t)(t->dims[k] == 1 ? 0 : i);
  }
  return off;
}

static inline void naive_unravel(const gk_nn_tensor *t, size_t e,
                                 int32_t *idx) {
  for (int k = t->rank - 1; k >= 0; k--) {
    idx[k] = (int32_t)(e % (size_t)t->dims[k]);
    e /= (size_t)t->dims[k];
  }
}

static inline void naive_op(const gk_nn_model *m, const gk_nn_op *op,
                            float **v) {
  const gk_nn_tensor *x = &m->tensors[op->in[0]], *o = &m->tensors[op->out];
  float *dst = v[op->out];
  int32_t idx[GK_NN_MAX_RANK];
  switch (op->kind) {
    case GK_NN_CONV_2D:
    case GK_NN_DEPTHWISE_CONV_2D:
      naive_conv(m, op, v);
      return;
    case GK_NN_MAX_POOL_2D:
      naive_pool(m, op, v);
      return;
    case GK_NN_ADD:
      for (size_t e = 0; e < o->count; e++) {
        naive_unravel(o, e, idx);
        dst[e] =
            naive_act(op->act, v[op->in[0]][naive_bcast_at(x, o->rank, idx)] +
                                   v[op->in[1]][naive_bcast_at(
                                       &m->tensors[op->in[1]], o->rank, idx)]);
      }
      return;
    case GK_NN_PAD:
      for (size_t e = 0; e < o->count; e++) {
        naive_unravel(o, e, idx);
        size_t off = 0;
        int inside = 1;
        for (int k = 0; k < o->rank; k++) {
          int32_t i = idx[k] - op->pads[k][0];
          if (i < 0 || i >= x->dims[k]) inside = 0;
          off = off * (size_t)x->dims[k] + (size_t)(inside ? i : 0);
        }
        dst[e] = naive_act(op->act, inside ? v[op->in[0]][off] : 0.0f);
      }
      return;
    case GK_NN_DEPTH_TO_SPACE: {
      int bs = op->block_size;
      for (int n = 0; n < o->dims[0]; n++) /* every image of the batch */
        for (int y = 0; y < o->dims[1]; y++)
          for (int xx = 0; xx < o->dims[2]; xx++)
            for (int c = 0; c < o->dims[3]; c++) {
              int ic = ((y % bs) * bs + xx % bs) * o->dims[3] + c;
              dst[NAIVE_AT4(o, n, y, xx, c)] = naive_act(
                  op->act, v[op->in[0]][NAIVE_AT4(x, n, y / bs, xx / bs, ic)]);
            }
      return;
    }
    case GK_NN_RESIZE_BILINEAR: {
      int ih = x->dims[1], iw = x->dims[2], oh = o->dims[1], ow = o->dims[2];
      float sy = op->align_corners && oh > 1 ? (float)(ih - 1) / (float)(oh - 1)
                                             : (float)ih / (float)oh;
      float sx = op->align_corners && ow > 1 ? (float)(iw - 1) / (float)(ow - 1)
                                             : (float)iw / (float)ow;
      for (int n = 0; n < o->dims[0]; n++) /* every image of the batch */
        for (int y = 0; y < oh; y++)
          for (int xx = 0; xx < ow; xx++) {
            float fy = op->half_pixel_centers ? ((float)y + 0.5f) * sy - 0.5f
                                              : (float)y * sy;
            float fx = op->half_pixel_centers ? ((float)xx + 0.5f) * sx - 0.5f
                                              : (float)xx * sx;
            int y0 = (int)floorf(fy) < 0 ? 0 : (int)floorf(fy);
            int y1 = (int)ceilf(fy) > ih - 1 ? ih - 1 : (int)ceilf(fy);
            int x0 = (int)floorf(fx) < 0 ? 0 : (int)floorf(fx);
            int x1 = (int)ceilf(fx) > iw - 1 ? iw - 1 : (int)ceilf(fx);
            float dy = fy - (float)y0, dx = fx - (float)x0;
            for (int c = 0; c < o->dims[3]; c++) {
              const float *in = v[op->in[0]];
              float r = in[NAIVE_AT4(x, n, y0, x0, c)] * (1 - dy) * (1 - dx) +
                        in[NAIVE_AT4(x, n, y1, x0, c)] * dy * (1 - dx) +
                        in[NAIVE_AT4(x, n, y0, x1, c)] * (1 - dy) * dx +
                        in[NAIVE_AT4(x, n, y1, x1, c)] * dy * dx;
              dst[NAIVE_AT4(o, n, y, xx, c)] = naive_act(op->act, r);
            }
          }
      return;
    }
    case GK_NN_RESHAPE:
      for (size_t e = 0; e < o->count; e++)
        dst[e] = naive_act(op->act, v[op->in[0]][e]);
      return;
    case GK_NN_LOGISTIC:
      for (size_t e = 0; e < o->count; e++)
        dst[e] = naive_act(op->act, 1.0f / (1.0f + expf(-v[op->in[0]][e])));
      return;
    case GK_NN_CONCATENATION:
      for (size_t e = 0; e < o->count; e++) {
        naive_unravel(o, e, idx);
        int k = 0;
        int32_t a = idx[op->axis];
        while (a >= m->tensors[op->in[k]].dims[op->axis])
          a -= m->tensors[op->in[k++]].dims[op->axis];
        int32_t sub[GK_NN_MAX_RANK];
        memcpy(sub, idx, sizeof(sub));
        sub[op->axis] = a;
        dst[e] = naive_act(
            op->act,
            v[op->in[k]][naive_bcast_at(&m->tensors[op->in[k]], o->rank, sub)]);
      }
      return;
    case GK_NN_OP_KIND_COUNT:
    default:
      return;
  }
}

static inline void nn_naive_run(const gk_nn_model *m, float **v) {
  for (size_t i = 0; i < m->n_ops; i++) naive_op(m, &m->ops[i], v);
}

#endif /* GK_NN_NAIVE_H */
