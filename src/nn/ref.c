/*
** src/nn/ref.c -- the reference kernels: plain C, float32 accumulation,
** TFLite's semantics (SAME padding with the odd pixel after, depthwise
** channel c*M + m, DCR depth to space, RESIZE_BILINEAR as TFLite's
** reference kernel computes it).  Every tensor is seen as 4-D NHWC (lower
** ranks are padded with leading 1s).  All activation buffers live in one
** block planned in gk_nn_ref_init from the tensors' lifetimes; gk_nn_run
** allocates nothing.
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "nn/nn_internal.h"

/* Plain float32 products and sums everywhere (no fused multiply-add), so
   results do not depend on the target's instructions: the standard pragma
   where the compiler knows it (clang), and -ffp-contract=off for this file
   in CMakeLists.txt for the others (gcc ignores the pragma). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

/* Buffers start on 64-byte boundaries inside the block. */
#define GK_NN_REF_ALIGN 16u /* floats */

typedef struct ref_state {
  float **ptr;    /* per tensor: its values */
  float *block;   /* every activation */
  float **wt;     /* per op: a CONV_2D filter as [KH][KW][I][O], or NULL */
  float *acc;     /* one output pixel's accumulators (the widest O) */
  size_t cur;     /* the op running */
} ref_state;

static void dims4(const gk_nn_tensor *t, int32_t d[4]) {
  int pad = 4 - t->rank;
  for (int k = 0; k < 4; k++) d[k] = k < pad ? 1 : t->dims[k - pad];
}

static float act(gk_nn_act a, float v) {
  switch (a) {
    case GK_NN_ACT_RELU: return v < 0.f ? 0.f : v;
    case GK_NN_ACT_RELU_N1_TO_1: return v < -1.f ? -1.f : v > 1.f ? 1.f : v;
    case GK_NN_ACT_RELU6: return v < 0.f ? 0.f : v > 6.f ? 6.f : v;
    default: return v;
  }
}

/* TFLite's SAME split: the extra pixel goes after (bottom / right). */
static int32_t pad_before(int same, int32_t in, int32_t out, int32_t k,
                          int stride, int dil) {
  if (!same) return 0;
  int64_t eff = ((int64_t)k - 1) * dil + 1;
  int64_t total = ((int64_t)out - 1) * stride + eff - in;
  return total > 0 ? (int32_t)(total / 2) : 0;
}

/* Each output sums bias, then (ky, kx, c) in order, in float32; the
   accumulators of one pixel's O outputs advance together (the filter is
   stored [KH][KW][I][O] for that), which vectorizes without changing any
   output's order of summation. */
static void k_conv(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  int32_t xd[4], od[4];
  const gk_nn_tensor *wt = &m->tensors[op->in[1]];
  dims4(&m->tensors[op->in[0]], xd);
  dims4(&m->tensors[op->out], od);
  const float *x = p[op->in[0]], *w = s->wt[s->cur];
  const float *bias = op->in[2] >= 0 ? p[op->in[2]] : NULL;
  float *y = p[op->out], *acc = s->acc;
  int32_t KH = wt->dims[1], KW = wt->dims[2], C = xd[3], O = od[3];
  int32_t pt = pad_before(op->padding_same, xd[1], od[1], KH, op->stride_h,
                          op->dilation_h);
  int32_t pl = pad_before(op->padding_same, xd[2], od[2], KW, op->stride_w,
                          op->dilation_w);
  for (int32_t b = 0; b < od[0]; b++)
    for (int32_t oy = 0; oy < od[1]; oy++)
      for (int32_t ox = 0; ox < od[2]; ox++) {
        float *yp = y + (((size_t)b * od[1] + oy) * od[2] + ox) * O;
        int32_t iy0 = oy * op->stride_h - pt, ix0 = ox * op->stride_w - pl;
        for (int32_t o = 0; o < O; o++) acc[o] = bias ? bias[o] : 0.f;
        for (int32_t ky = 0; ky < KH; ky++) {
          int32_t iy = iy0 + ky * op->dilation_h;
          if (iy < 0 || iy >= xd[1]) continue;
          for (int32_t kx = 0; kx < KW; kx++) {
            int32_t ix = ix0 + kx * op->dilation_w;
            if (ix < 0 || ix >= xd[2]) continue;
            const float *xp = x + (((size_t)b * xd[1] + iy) * xd[2] + ix) * C;
            const float *wp = w + ((size_t)ky * KW + kx) * C * O;
            for (int32_t c = 0; c < C; c++) {
              const float xv = xp[c], *wr = wp + (size_t)c * O;
              for (int32_t o = 0; o < O; o++) acc[o] += xv * wr[o];
            }
          }
        }
        for (int32_t o = 0; o < O; o++) yp[o] = act(op->act, acc[o]);
      }
}

/* Each output sums bias, then (ky, kx) in order; all of a pixel's outputs
   advance together. */
static void k_dwconv(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  int32_t xd[4], od[4];
  const gk_nn_tensor *wt = &m->tensors[op->in[1]];
  dims4(&m->tensors[op->in[0]], xd);
  dims4(&m->tensors[op->out], od);
  const float *x = p[op->in[0]], *w = p[op->in[1]];
  const float *bias = op->in[2] >= 0 ? p[op->in[2]] : NULL;
  float *y = p[op->out], *acc = s->acc;
  int32_t KH = wt->dims[1], KW = wt->dims[2], C = xd[3], O = od[3];
  int32_t M = op->depth_multiplier;
  int32_t pt = pad_before(op->padding_same, xd[1], od[1], KH, op->stride_h,
                          op->dilation_h);
  int32_t pl = pad_before(op->padding_same, xd[2], od[2], KW, op->stride_w,
                          op->dilation_w);
  for (int32_t b = 0; b < od[0]; b++)
    for (int32_t oy = 0; oy < od[1]; oy++)
      for (int32_t ox = 0; ox < od[2]; ox++) {
        float *yp = y + (((size_t)b * od[1] + oy) * od[2] + ox) * O;
        int32_t iy0 = oy * op->stride_h - pt, ix0 = ox * op->stride_w - pl;
        for (int32_t o = 0; o < O; o++) acc[o] = bias ? bias[o] : 0.f;
        for (int32_t ky = 0; ky < KH; ky++) {
          int32_t iy = iy0 + ky * op->dilation_h;
          if (iy < 0 || iy >= xd[1]) continue;
          for (int32_t kx = 0; kx < KW; kx++) {
            int32_t ix = ix0 + kx * op->dilation_w;
            if (ix < 0 || ix >= xd[2]) continue;
            const float *xp = x + (((size_t)b * xd[1] + iy) * xd[2] + ix) * C;
            const float *wp = w + ((size_t)ky * KW + kx) * O;
            if (M == 1) {
              for (int32_t o = 0; o < O; o++) acc[o] += xp[o] * wp[o];
            } else {
              for (int32_t c = 0; c < C; c++)
                for (int32_t q = 0; q < M; q++)
                  acc[c * M + q] += xp[c] * wp[c * M + q];
            }
          }
        }
        for (int32_t o = 0; o < O; o++) yp[o] = act(op->act, acc[o]);
      }
}

static void k_maxpool(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  int32_t xd[4], od[4];
  dims4(&m->tensors[op->in[0]], xd);
  dims4(&m->tensors[op->out], od);
  const float *x = p[op->in[0]];
  float *y = p[op->out];
  int32_t pt = pad_before(op->padding_same, xd[1], od[1], op->filter_h,
                          op->stride_h, 1);
  int32_t pl = pad_before(op->padding_same, xd[2], od[2], op->filter_w,
                          op->stride_w, 1);
  int32_t C = xd[3];
  for (int32_t b = 0; b < od[0]; b++)
    for (int32_t oy = 0; oy < od[1]; oy++)
      for (int32_t ox = 0; ox < od[2]; ox++)
        for (int32_t c = 0; c < C; c++) {
          float mx = -FLT_MAX;
          for (int32_t ky = 0; ky < op->filter_h; ky++) {
            int32_t iy = oy * op->stride_h - pt + ky;
            if (iy < 0 || iy >= xd[1]) continue;
            for (int32_t kx = 0; kx < op->filter_w; kx++) {
              int32_t ix = ox * op->stride_w - pl + kx;
              if (ix < 0 || ix >= xd[2]) continue;
              float v = x[(((size_t)b * xd[1] + iy) * xd[2] + ix) * C + c];
              if (v > mx) mx = v;
            }
          }
          y[(((size_t)b * od[1] + oy) * od[2] + ox) * C + c] = act(op->act, mx);
        }
}

static void k_add(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  int32_t ad[4], bd[4], od[4];
  dims4(&m->tensors[op->in[0]], ad);
  dims4(&m->tensors[op->in[1]], bd);
  dims4(&m->tensors[op->out], od);
  size_t as[4], bs[4];
  size_t sa = 1, sb = 1;
  for (int k = 3; k >= 0; k--) {
    as[k] = ad[k] == 1 ? 0 : sa;
    bs[k] = bd[k] == 1 ? 0 : sb;
    sa *= (size_t)ad[k];
    sb *= (size_t)bd[k];
  }
  const float *a = p[op->in[0]], *b = p[op->in[1]];
  float *y = p[op->out];
  size_t i = 0;
  for (int32_t n = 0; n < od[0]; n++)
    for (int32_t h = 0; h < od[1]; h++)
      for (int32_t w = 0; w < od[2]; w++) {
        const float *ap = a + n * as[0] + h * as[1] + w * as[2];
        const float *bp = b + n * bs[0] + h * bs[1] + w * bs[2];
        for (int32_t c = 0; c < od[3]; c++)
          y[i++] = act(op->act, ap[c * as[3]] + bp[c * bs[3]]);
      }
}

static void k_pad(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  const gk_nn_tensor *xt = &m->tensors[op->in[0]];
  int32_t xd[4], od[4], before[4] = {0, 0, 0, 0};
  dims4(xt, xd);
  dims4(&m->tensors[op->out], od);
  int sh = 4 - xt->rank;
  for (int k = 0; k < xt->rank; k++) before[k + sh] = op->pads[k][0];
  const float *x = p[op->in[0]];
  float *y = p[op->out];
  memset(y, 0, m->tensors[op->out].count * sizeof(float));
  for (int32_t n = 0; n < xd[0]; n++)
    for (int32_t h = 0; h < xd[1]; h++)
      for (int32_t w = 0; w < xd[2]; w++) {
        const float *xp = x + (((size_t)n * xd[1] + h) * xd[2] + w) * xd[3];
        float *yp = y + ((((size_t)n + before[0]) * od[1] + h + before[1]) *
                             od[2] + w + before[2]) * od[3] + before[3];
        memcpy(yp, xp, (size_t)xd[3] * sizeof(float));
      }
}

static void k_d2s(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  int32_t xd[4], od[4];
  dims4(&m->tensors[op->in[0]], xd);
  dims4(&m->tensors[op->out], od);
  const float *x = p[op->in[0]];
  float *y = p[op->out];
  int32_t bs = op->block_size, C = od[3];
  for (int32_t n = 0; n < od[0]; n++)
    for (int32_t oy = 0; oy < od[1]; oy++)
      for (int32_t ox = 0; ox < od[2]; ox++) {
        int32_t iy = oy / bs, ix = ox / bs, dy = oy % bs, dx = ox % bs;
        const float *xp = x + (((size_t)n * xd[1] + iy) * xd[2] + ix) * xd[3] +
                          ((size_t)dy * bs + dx) * C;
        memcpy(y + (((size_t)n * od[1] + oy) * od[2] + ox) * C, xp,
               (size_t)C * sizeof(float));
      }
}

/* TFLite's ComputeInterpolationValues. */
static void interp(int32_t v, float scale, int half, int32_t size, float *sv,
                   int32_t *lo, int32_t *hi) {
  *sv = half ? ((float)v + 0.5f) * scale - 0.5f : (float)v * scale;
  float f = floorf(*sv);
  *lo = (int32_t)f > 0 ? (int32_t)f : 0;
  if (*lo > size - 1) *lo = size - 1; /* never past the last sample */
  int32_t c = (int32_t)ceilf(*sv);
  *hi = c < size - 1 ? c : size - 1;
}

static void k_resize(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  int32_t xd[4], od[4];
  dims4(&m->tensors[op->in[0]], xd);
  dims4(&m->tensors[op->out], od);
  const float *x = p[op->in[0]];
  float *y = p[op->out];
  float hs = (float)xd[1] / (float)od[1], ws = (float)xd[2] / (float)od[2];
  if (op->align_corners && od[1] > 1)
    hs = (float)(xd[1] - 1) / (float)(od[1] - 1);
  if (op->align_corners && od[2] > 1)
    ws = (float)(xd[2] - 1) / (float)(od[2] - 1);
  int32_t C = xd[3];
  for (int32_t n = 0; n < od[0]; n++)
    for (int32_t oy = 0; oy < od[1]; oy++) {
      float iy;
      int32_t y0, y1;
      interp(oy, hs, op->half_pixel_centers, xd[1], &iy, &y0, &y1);
      for (int32_t ox = 0; ox < od[2]; ox++) {
        float ix;
        int32_t x0, x1;
        interp(ox, ws, op->half_pixel_centers, xd[2], &ix, &x0, &x1);
        const float *r0 = x + ((size_t)n * xd[1] + y0) * xd[2] * C;
        const float *r1 = x + ((size_t)n * xd[1] + y1) * xd[2] * C;
        float fy = iy - (float)y0, fx = ix - (float)x0;
        float *yp = y + (((size_t)n * od[1] + oy) * od[2] + ox) * C;
        for (int32_t c = 0; c < C; c++)
          yp[c] = r0[(size_t)x0 * C + c] * (1 - fy) * (1 - fx) +
                  r1[(size_t)x0 * C + c] * fy * (1 - fx) +
                  r0[(size_t)x1 * C + c] * (1 - fy) * fx +
                  r1[(size_t)x1 * C + c] * fy * fx;
      }
    }
}

static void k_concat(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  const gk_nn_tensor *ot = &m->tensors[op->out];
  size_t outer = 1, inner = 1;
  for (int k = 0; k < op->axis; k++) outer *= (size_t)ot->dims[k];
  for (int k = op->axis + 1; k < ot->rank; k++) inner *= (size_t)ot->dims[k];
  float *y = p[op->out];
  for (size_t o = 0; o < outer; o++)
    for (int i = 0; i < op->n_in; i++) {
      size_t n = (size_t)m->tensors[op->in[i]].dims[op->axis] * inner;
      const float *xp = p[op->in[i]] + o * n;
      for (size_t k = 0; k < n; k++) *y++ = act(op->act, xp[k]);
    }
}

static void k_reshape(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  memmove(p[op->out], p[op->in[0]], m->tensors[op->out].count * sizeof(float));
}

static void k_logistic(const gk_nn_op *op, const gk_nn_model *m, ref_state *s) {
  float **p = s->ptr;
  const float *x = p[op->in[0]];
  float *y = p[op->out];
  size_t n = m->tensors[op->out].count;
  for (size_t i = 0; i < n; i++) y[i] = 1.f / (1.f + expf(-x[i]));
}

typedef void (*kernel_fn)(const gk_nn_op *, const gk_nn_model *, ref_state *);
static const kernel_fn kernels[GK_NN_OP_KIND_COUNT] = {
    [GK_NN_PAD] = k_pad,
    [GK_NN_CONV_2D] = k_conv,
    [GK_NN_DEPTHWISE_CONV_2D] = k_dwconv,
    [GK_NN_ADD] = k_add,
    [GK_NN_DEPTH_TO_SPACE] = k_d2s,
    [GK_NN_RESIZE_BILINEAR] = k_resize,
    [GK_NN_RESHAPE] = k_reshape,
    [GK_NN_CONCATENATION] = k_concat,
    [GK_NN_MAX_POOL_2D] = k_maxpool,
    [GK_NN_LOGISTIC] = k_logistic,
};

static gk_status ref_run(gk_nn_runner *r, gk_err *err) {
  ref_state *s = (ref_state *)r->impl;
  const gk_nn_model *m = r->m;
  (void)err;
  for (size_t i = 0; i < m->n_ops; i++) {
    s->cur = i;
    kernels[m->ops[i].kind](&m->ops[i], m, s);
  }
  return GK_OK;
}

static void ref_free(gk_nn_runner *r) {
  ref_state *s = (ref_state *)r->impl;
  if (s == NULL) return;
  if (s->wt)
    for (size_t i = 0; i < r->m->n_ops; i++) free(s->wt[i]);
  free(s->wt);
  free(s->acc);
  free(s->ptr);
  free(s->block);
  free(s);
  r->impl = NULL;
}

typedef struct life {
  int64_t first, last;  /* op indices; inputs first = -1 */
  size_t off, size;     /* floats */
} life;

static int by_off(const void *a, const void *b) {
  const life *x = *(const life *const *)a, *y = *(const life *const *)b;
  return x->off < y->off ? -1 : x->off > y->off;
}

/* The lowest offset for tensor t that overlaps no placed tensor alive with
   it; tmp holds n pointers. */
static size_t place(life *l, size_t t, const size_t *order, size_t no,
                    const life **tmp) {
  size_t n = 0, off = 0;
  for (size_t k = 0; k < no; k++) {
    const life *o = &l[order[k]];
    if (o->last < l[t].first || l[t].last < o->first) continue;
    tmp[n++] = o;
  }
  qsort(tmp, n, sizeof *tmp, by_off);
  for (size_t k = 0; k < n; k++) {
    if (tmp[k]->off >= off + l[t].size) break; /* the gap before fits */
    if (tmp[k]->off + tmp[k]->size > off) off = tmp[k]->off + tmp[k]->size;
  }
  return off;
}

gk_status gk_nn_ref_init(gk_nn_runner *r, gk_err *err) {
  const gk_nn_model *m = r->m;
  size_t nt = m->n_tensors;
  ref_state *s = (ref_state *)calloc(1, sizeof *s);
  life *l = (life *)calloc(nt + 1, sizeof *l);
  size_t *order = (size_t *)calloc(nt + 1, sizeof *order);
  const life **tmp = (const life **)calloc(nt + 1, sizeof *tmp);
  if (s == NULL || l == NULL || order == NULL || tmp == NULL) goto nomem;
  s->ptr = (float **)calloc(nt + 1, sizeof(float *));
  if (s->ptr == NULL) goto nomem;
  for (size_t i = 0; i < nt; i++) {
    l[i].first = (int64_t)m->n_ops;
    l[i].last = -1;
  }
  for (int k = 0; k < m->n_inputs; k++) {
    l[m->inputs[k]].first = -1;
    l[m->inputs[k]].last = (int64_t)m->n_ops;
  }
  for (int k = 0; k < m->n_outputs; k++) l[m->outputs[k]].last = (int64_t)m->n_ops;
  for (size_t i = 0; i < m->n_ops; i++) {
    const gk_nn_op *op = &m->ops[i];
    if (l[op->out].first > (int64_t)i) l[op->out].first = (int64_t)i;
    if (l[op->out].last < (int64_t)i) l[op->out].last = (int64_t)i;
    for (int k = 0; k < op->n_in; k++)
      if (op->in[k] >= 0 && l[op->in[k]].last < (int64_t)i)
        l[op->in[k]].last = (int64_t)i;
  }
  size_t no = 0, total = 0;
  for (size_t i = 0; i < nt; i++) {
    const gk_nn_tensor *t = &m->tensors[i];
    if (t->data) {
      s->ptr[i] = (float *)t->data; /* read only: no kernel writes a constant */
      continue;
    }
    if (l[i].last < l[i].first) l[i].last = l[i].first;
    l[i].size = (t->count + GK_NN_REF_ALIGN - 1) / GK_NN_REF_ALIGN *
                GK_NN_REF_ALIGN;
    l[i].off = place(l, i, order, no, tmp);
    order[no++] = i;
    size_t end;
    if (!gk__add_ok(l[i].off, l[i].size, &end)) goto nomem;
    if (end > total) total = end;
  }
  size_t bytes;
  if (!gk__mul_ok(total + GK_NN_REF_ALIGN, sizeof(float), &bytes)) goto nomem;
  s->block = (float *)calloc(1, bytes);
  if (s->block == NULL) goto nomem;
  for (size_t i = 0; i < nt; i++)
    if (m->tensors[i].data == NULL) s->ptr[i] = s->block + l[i].off;
  /* Conv filters as [KH][KW][I][O]; the accumulators of the widest op. */
  s->wt = (float **)calloc(m->n_ops + 1, sizeof(float *));
  if (s->wt == NULL) goto nomem;
  size_t widest = 1;
  for (size_t i = 0; i < m->n_ops; i++) {
    const gk_nn_op *op = &m->ops[i];
    if (op->kind != GK_NN_CONV_2D && op->kind != GK_NN_DEPTHWISE_CONV_2D)
      continue;
    const gk_nn_tensor *w = &m->tensors[op->in[1]];
    size_t O = (size_t)m->tensors[op->out].dims[3];
    if (O > widest) widest = O;
    if (op->kind != GK_NN_CONV_2D) continue;
    size_t KH = (size_t)w->dims[1], KW = (size_t)w->dims[2],
           C = (size_t)w->dims[3];
    s->wt[i] = (float *)malloc(w->count * sizeof(float));
    if (s->wt[i] == NULL) goto nomem;
    for (size_t o = 0; o < O; o++)
      for (size_t k = 0; k < KH * KW; k++)
        for (size_t c = 0; c < C; c++)
          s->wt[i][(k * C + c) * O + o] = w->data[(o * KH * KW + k) * C + c];
  }
  s->acc = (float *)calloc(widest, sizeof(float));
  if (s->acc == NULL) goto nomem;
  for (int k = 0; k < m->n_inputs; k++) r->in[k] = s->ptr[m->inputs[k]];
  for (int k = 0; k < m->n_outputs; k++) r->out[k] = s->ptr[m->outputs[k]];
  free(l);
  free(order);
  free(tmp);
  r->impl = s;
  r->describe = "reference";
  r->run = ref_run;
  r->free_impl = ref_free;
  return GK_OK;
nomem:
  free(l);
  free(order);
  free(tmp);
  if (s) {
    if (s->wt)
      for (size_t i = 0; i < m->n_ops; i++) free(s->wt[i]);
    free(s->wt);
    free(s->acc);
    free(s->ptr);
    free(s->block);
    free(s);
  }
  gk__set_err(err, GK_E_NOMEM, "nn: out of memory planning the buffers", 0);
  return GK_E_NOMEM;
}
