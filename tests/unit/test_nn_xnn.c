/*
** test_nn_xnn.c -- the XNNPACK runner (src/nn/xnn.c) on hand-built models,
** one per operator kind and option (padding mode, stride, dilation, fused
** activation, resize mode, depth multiplier, broadcast, concatenation
** axis), each compared with a naive evaluation written here from TFLite's
** definitions, within 1e-4 relative: |a - b| <= 1e-4 * max(1, |b|).
**
** The runner is driven through nn_internal.h (gk_nn_xnn_init fills the
** runner), so the test needs neither the TFLite reader nor runner.c.
** It also checks the SIMD level describe() reports against the compiler's
** own CPU detection; ctest runs it again under qemu-x86_64 with CPUs
** without AVX (Nehalem: SSE4.1) and without SSE4.1 (Conroe: SSE2).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn/nn_internal.h"
#include "nn_naive.h"
#include "test.h"

/* The plain build (no sanitizers: the copy ctest runs under qemu, and
   natively) counts the allocations made during gk_nn_run, with glibc's
   own allocator underneath: a run must make none.  The sanitizer build
   leaves allocation to the sanitizer and does not count. */
#ifdef GK_TEST_COUNT_ALLOCS
#include <errno.h>
#include <stdatomic.h>
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
int posix_memalign(void **p, size_t align, size_t n); /* POSIX, not C17 */
static atomic_long n_allocs;
void *malloc(size_t n) {
  atomic_fetch_add(&n_allocs, 1);
  return __libc_malloc(n);
}
void *calloc(size_t n, size_t size) {
  atomic_fetch_add(&n_allocs, 1);
  return __libc_calloc(n, size);
}
void *realloc(void *p, size_t n) {
  atomic_fetch_add(&n_allocs, 1);
  return __libc_realloc(p, n);
}
int posix_memalign(void **p, size_t align, size_t n) {
  atomic_fetch_add(&n_allocs, 1);
  *p = __libc_memalign(align, n);
  return *p != NULL ? 0 : ENOMEM;
}
void *aligned_alloc(size_t align, size_t n) {
  atomic_fetch_add(&n_allocs, 1);
  return __libc_memalign(align, n);
}
#define ALLOCS() atomic_load(&n_allocs)
#else
#define ALLOCS() 0L
#endif

#define TM_TENSORS 32
#define TM_OPS 16
#define REL_TOL 1e-4

/* ---- a hand-built model ---------------------------------------------------
 */

typedef struct tmodel {
  gk_nn_model m;
  gk_nn_tensor t[TM_TENSORS];
  gk_nn_op o[TM_OPS];
  float *konst[TM_TENSORS];
} tmodel;

static uint32_t rng_state = 12345u;
static float frand(float lo, float hi) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return lo + (hi - lo) * (float)(rng_state >> 8) / (float)(1u << 24);
}

static void tm_init(tmodel *b) {
  memset(b, 0, sizeof(*b));
  b->m.tensors = b->t;
  b->m.ops = b->o;
}

static void tm_free(tmodel *b) {
  for (int i = 0; i < TM_TENSORS; i++) free(b->konst[i]);
}

/* A tensor of the given shape; konst: random constant values in [-1, 1]. */
static int32_t tm_tensor(tmodel *b, int rank, const int32_t *dims, int konst) {
  int32_t i = (int32_t)b->m.n_tensors++;
  gk_nn_tensor *t = &b->t[i];
  t->name = "t";
  t->rank = rank;
  t->count = 1;
  for (int k = 0; k < rank; k++) {
    t->dims[k] = dims[k];
    t->count *= (size_t)dims[k];
  }
  if (konst) {
    b->konst[i] = (float *)malloc(t->count * sizeof(float));
    for (size_t k = 0; k < t->count; k++) b->konst[i][k] = frand(-1, 1);
    t->data = b->konst[i];
  }
  return i;
}
#define T4(b, a, c, d, e, k) tm_tensor((b), 4, (const int32_t[]){a, c, d, e}, k)
#define T1(b, a, k) tm_tensor((b), 1, (const int32_t[]){a}, k)

static gk_nn_op *tm_op(tmodel *b, gk_nn_op_kind kind, int32_t out, int n_in,
                       const int32_t *in) {
  gk_nn_op *op = &b->o[b->m.n_ops++];
  memset(op, 0, sizeof(*op));
  op->kind = kind;
  op->out = out;
  op->n_in = n_in;
  for (int k = 0; k < n_in; k++) op->in[k] = in[k];
  op->stride_h = op->stride_w = op->dilation_h = op->dilation_w = 1;
  return op;
}
#define OP(b, kind, out, ...)                                            \
  tm_op((b), (kind), (out),                                              \
        (int)(sizeof((const int32_t[]){__VA_ARGS__}) / sizeof(int32_t)), \
        (const int32_t[]){__VA_ARGS__})

static void tm_io(tmodel *b, int32_t in, int32_t out) {
  b->m.inputs[b->m.n_inputs++] = in;
  b->m.outputs[b->m.n_outputs++] = out;
}

/* ---- running and comparing -------------------------------------------------
 */

static const char *const kind_names[GK_NN_OP_KIND_COUNT] = {
    "PAD",     "CONV_2D",        "DEPTHWISE_CONV_2D",
    "ADD",     "DEPTH_TO_SPACE", "RESIZE_BILINEAR",
    "RESHAPE", "CONCATENATION",  "MAX_POOL_2D",
    "LOGISTIC"};
static double max_err_by_kind[GK_NN_OP_KIND_COUNT];

/* Runs b on XNNPACK with `threads` threads and the naive evaluation on the
   same random inputs; returns the largest relative error of the outputs,
   charged to `kind` (or -1 when the runner failed). */
static double compare(tmodel *b, int threads, gk_nn_op_kind kind) {
  const gk_nn_model *m = &b->m;
  float *v[TM_TENSORS] = {0};
  double worst = -1;
  for (size_t t = 0; t < m->n_tensors; t++)
    v[t] = m->tensors[t].data
               ? (float *)m->tensors[t].data
               : (float *)calloc(m->tensors[t].count, sizeof(float));
  for (int i = 0; i < m->n_inputs; i++) {
    const gk_nn_tensor *t = &m->tensors[m->inputs[i]];
    for (size_t e = 0; e < t->count; e++) v[m->inputs[i]][e] = frand(-2, 2);
  }
  nn_naive_run(m, v);

  struct gk_nn_runner r;
  memset(&r, 0, sizeof(r));
  r.m = m;
  r.backend = GK_NN_BACKEND_XNNPACK;
  gk_err err = {0};
  gk_status st = gk_nn_xnn_init(&r, threads, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  init: %s (op %llu)\n", err.msg ? err.msg : "",
            (unsigned long long)err.offset);
    goto done;
  }
  CHECK_TRUE(r.run != NULL && r.free_impl != NULL && r.describe != NULL);
  for (int i = 0; i < m->n_inputs; i++)
    memcpy(r.in[i], v[m->inputs[i]],
           m->tensors[m->inputs[i]].count * sizeof(float));
  worst = 0;
  for (int pass = 0; pass < 2; pass++) { /* a second run gives the same */
    long allocs = ALLOCS();
    if (!CHECK_EQ_INT(r.run(&r, &err), GK_OK)) {
      worst = -1;
      break;
    }
    CHECK_EQ_INT(ALLOCS() - allocs, 0);
    for (int j = 0; j < m->n_outputs; j++) {
      const gk_nn_tensor *t = &m->tensors[m->outputs[j]];
      const float *want = v[m->outputs[j]];
      for (size_t e = 0; e < t->count; e++) {
        double got = r.out[j][e];
        double d = fabs(got - want[e]) / fmax(1.0, fabs(want[e]));
        if (!(d <= worst)) worst = d; /* NaN counts as the worst */
      }
    }
  }
  r.free_impl(&r);
  CHECK_TRUE(r.impl == NULL);
  if (worst >= 0 && worst <= REL_TOL && worst > max_err_by_kind[kind])
    max_err_by_kind[kind] = worst;
  if (!(worst >= 0 && worst <= REL_TOL))
    fprintf(stderr, "  %s: max relative error %g\n", kind_names[kind], worst);
done:
  for (size_t t = 0; t < m->n_tensors; t++)
    if (m->tensors[t].data == NULL) free(v[t]);
  return worst;
}

#define CHECK_MATCHES(b, threads, kind)          \
  do {                                           \
    double e_ = compare((b), (threads), (kind)); \
    CHECK_TRUE(e_ >= 0 && e_ <= REL_TOL);        \
  } while (0)

/* ---- the operators ----------------------------------------------------------
 */

static void conv_case(int h, int w, int cin, int cout, int k, int stride,
                      int dil, int same, int bias, gk_nn_act act, int threads) {
  tmodel b;
  tm_init(&b);
  int ek = (k - 1) * dil + 1;
  int oh = same ? (h + stride - 1) / stride : (h - ek) / stride + 1;
  int ow = same ? (w + stride - 1) / stride : (w - ek) / stride + 1;
  int32_t x = T4(&b, 1, h, w, cin, 0);
  int32_t f = T4(&b, cout, k, k, cin, 1);
  int32_t bi = bias ? T1(&b, cout, 1) : -1;
  int32_t o = T4(&b, 1, oh, ow, cout, 0);
  gk_nn_op *op = OP(&b, GK_NN_CONV_2D, o, x, f, bi);
  op->stride_h = op->stride_w = stride;
  op->dilation_h = op->dilation_w = dil;
  op->padding_same = same;
  op->act = act;
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, threads, GK_NN_CONV_2D);
  tm_free(&b);
}

static void test_conv(void) {
  conv_case(7, 7, 3, 8, 3, 1, 1, 1, 1, GK_NN_ACT_NONE, 1);   /* SAME */
  conv_case(8, 8, 3, 8, 3, 2, 1, 1, 1, GK_NN_ACT_RELU, 1);   /* even, s2 */
  conv_case(9, 7, 4, 5, 3, 2, 1, 1, 1, GK_NN_ACT_RELU6, 1);  /* odd, s2 */
  conv_case(9, 9, 4, 6, 3, 2, 1, 0, 1, GK_NN_ACT_NONE, 1);   /* VALID s2 */
  conv_case(10, 10, 3, 4, 3, 1, 2, 1, 1, GK_NN_ACT_NONE, 1); /* dilated */
  conv_case(6, 6, 8, 16, 1, 1, 1, 0, 1, GK_NN_ACT_RELU_N1_TO_1, 1); /* 1x1 */
  conv_case(6, 6, 3, 4, 3, 1, 1, 1, 0, GK_NN_ACT_NONE, 1);   /* no bias */
  conv_case(16, 16, 8, 8, 5, 2, 1, 1, 1, GK_NN_ACT_RELU, 2); /* 2 threads */
  conv_case(16, 16, 8, 8, 3, 1, 1, 1, 1, GK_NN_ACT_NONE, 0); /* per core */
}

static void dw_case(int h, int w, int c, int mult, int k, int stride, int dil,
                    int same, int bias, gk_nn_act act) {
  tmodel b;
  tm_init(&b);
  int ek = (k - 1) * dil + 1;
  int oh = same ? (h + stride - 1) / stride : (h - ek) / stride + 1;
  int ow = same ? (w + stride - 1) / stride : (w - ek) / stride + 1;
  int32_t x = T4(&b, 1, h, w, c, 0);
  int32_t f = T4(&b, 1, k, k, c * mult, 1);
  int32_t bi = bias ? T1(&b, c * mult, 1) : -1;
  int32_t o = T4(&b, 1, oh, ow, c * mult, 0);
  gk_nn_op *op = OP(&b, GK_NN_DEPTHWISE_CONV_2D, o, x, f, bi);
  op->stride_h = op->stride_w = stride;
  op->dilation_h = op->dilation_w = dil;
  op->padding_same = same;
  op->depth_multiplier = mult;
  op->act = act;
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 1, GK_NN_DEPTHWISE_CONV_2D);
  tm_free(&b);
}

static void test_depthwise(void) {
  dw_case(8, 8, 8, 1, 3, 1, 1, 1, 1, GK_NN_ACT_NONE);
  dw_case(9, 8, 6, 1, 3, 2, 1, 1, 1, GK_NN_ACT_RELU);
  dw_case(9, 9, 4, 1, 5, 2, 1, 1, 1, GK_NN_ACT_RELU6);        /* 5x5 */
  dw_case(9, 9, 4, 1, 3, 1, 1, 0, 1, GK_NN_ACT_NONE);         /* VALID */
  dw_case(10, 10, 4, 1, 3, 1, 2, 1, 1, GK_NN_ACT_NONE);       /* dilated */
  dw_case(7, 7, 3, 2, 3, 1, 1, 1, 1, GK_NN_ACT_RELU_N1_TO_1); /* M = 2 */
  dw_case(6, 6, 2, 4, 3, 2, 1, 0, 0, GK_NN_ACT_NONE);         /* M = 4 */
}

static void add_case(int brank, const int32_t *bdims, int b_const,
                     gk_nn_act act) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 5, 6, 8, 0);
  int32_t y = tm_tensor(&b, brank, bdims, b_const);
  int32_t o = T4(&b, 1, 5, 6, 8, 0);
  OP(&b, GK_NN_ADD, o, x, y)->act = act;
  tm_io(&b, x, o);
  if (!b_const) b.m.inputs[b.m.n_inputs++] = y;
  CHECK_MATCHES(&b, 1, GK_NN_ADD);
  tm_free(&b);
}

static void test_add(void) {
  add_case(4, (const int32_t[]){1, 5, 6, 8}, 0, GK_NN_ACT_NONE);
  add_case(4, (const int32_t[]){1, 5, 6, 8}, 0, GK_NN_ACT_RELU);
  add_case(1, (const int32_t[]){8}, 1, GK_NN_ACT_RELU6); /* [C] */
  add_case(1, (const int32_t[]){1}, 1, GK_NN_ACT_NONE);  /* [1] */
  add_case(4, (const int32_t[]){1, 1, 1, 8}, 1, GK_NN_ACT_RELU_N1_TO_1);
}

static void test_pad(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 5, 4, 3, 0);
  int32_t o = T4(&b, 1, 8, 6, 5, 0);
  gk_nn_op *op = OP(&b, GK_NN_PAD, o, x);
  op->pads[1][0] = 1, op->pads[1][1] = 2;
  op->pads[2][0] = 0, op->pads[2][1] = 2;
  op->pads[3][0] = 2, op->pads[3][1] = 0;
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 1, GK_NN_PAD);
  tm_free(&b);
}

static void test_depth_to_space(void) {
  for (int bs = 1; bs <= 3; bs++) { /* 1: a copy (XNNPACK refuses it) */
    tmodel b;
    tm_init(&b);
    int32_t x = T4(&b, 1, 4, 5, 3 * bs * bs, 0);
    int32_t o = T4(&b, 1, 4 * bs, 5 * bs, 3, 0);
    gk_nn_op *op = OP(&b, GK_NN_DEPTH_TO_SPACE, o, x);
    op->block_size = bs;
    op->act = bs == 3 ? GK_NN_ACT_RELU : GK_NN_ACT_NONE; /* via a clamp */
    tm_io(&b, x, o);
    CHECK_MATCHES(&b, 1, GK_NN_DEPTH_TO_SPACE);
    tm_free(&b);
  }
}

static void resize_case(int ih, int iw, int oh, int ow, int align, int half) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, ih, iw, 3, 0);
  int32_t o = T4(&b, 1, oh, ow, 3, 0);
  gk_nn_op *op = OP(&b, GK_NN_RESIZE_BILINEAR, o, x);
  op->align_corners = align;
  op->half_pixel_centers = half;
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 1, GK_NN_RESIZE_BILINEAR);
  tm_free(&b);
}

static void test_resize(void) {
  for (int mode = 0; mode < 3; mode++) {
    int align = mode == 1, half = mode == 2;
    resize_case(4, 4, 8, 8, align, half);  /* x2 */
    resize_case(3, 5, 7, 11, align, half); /* not a whole factor */
    resize_case(8, 9, 3, 4, align, half);  /* down */
  }
}

static void test_max_pool(void) {
  static const struct {
    int h, k, s, same;
    gk_nn_act act;
  } c[] = {{8, 2, 2, 0, GK_NN_ACT_NONE},
           {9, 3, 2, 1, GK_NN_ACT_NONE},
           {8, 3, 2, 1, GK_NN_ACT_RELU},
           {7, 3, 1, 1, GK_NN_ACT_RELU6},
           {9, 3, 3, 0, GK_NN_ACT_NONE}};
  for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
    tmodel b;
    tm_init(&b);
    int oh = c[i].same ? (c[i].h + c[i].s - 1) / c[i].s
                       : (c[i].h - c[i].k) / c[i].s + 1;
    int32_t x = T4(&b, 1, c[i].h, c[i].h, 4, 0);
    int32_t o = T4(&b, 1, oh, oh, 4, 0);
    gk_nn_op *op = OP(&b, GK_NN_MAX_POOL_2D, o, x);
    op->filter_h = op->filter_w = c[i].k;
    op->stride_h = op->stride_w = c[i].s;
    op->padding_same = c[i].same;
    op->act = c[i].act;
    tm_io(&b, x, o);
    CHECK_MATCHES(&b, 1, GK_NN_MAX_POOL_2D);
    tm_free(&b);
  }
}

static void test_logistic_and_reshape(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 4, 4, 6, 0);
  int32_t s = T4(&b, 1, 4, 4, 6, 0);
  int32_t o = tm_tensor(&b, 2, (const int32_t[]){16, 6}, 0);
  OP(&b, GK_NN_LOGISTIC, s, x);
  OP(&b, GK_NN_RESHAPE, o, s);
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 1, GK_NN_LOGISTIC);
  CHECK_MATCHES(&b, 1, GK_NN_RESHAPE);
  tm_free(&b);
}

/* The detector's tail: two heads reshaped, concatenated, reshaped again;
   the concatenations and what follows them run in C. */
static void test_concat_tail(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 8, 8, 4, 0);
  int32_t f1 = T4(&b, 6, 1, 1, 4, 1), b1 = T1(&b, 6, 1);
  int32_t f2 = T4(&b, 6, 3, 3, 4, 1), b2 = T1(&b, 6, 1);
  int32_t h1 = T4(&b, 1, 8, 8, 6, 0), h2 = T4(&b, 1, 4, 4, 6, 0);
  int32_t r1 = tm_tensor(&b, 3, (const int32_t[]){1, 128, 3}, 0);
  int32_t r2 = tm_tensor(&b, 3, (const int32_t[]){1, 32, 3}, 0);
  int32_t c = tm_tensor(&b, 3, (const int32_t[]){1, 160, 3}, 0);
  int32_t o = tm_tensor(&b, 2, (const int32_t[]){160, 3}, 0);
  OP(&b, GK_NN_CONV_2D, h1, x, f1, b1);
  gk_nn_op *op = OP(&b, GK_NN_CONV_2D, h2, x, f2, b2);
  op->stride_h = op->stride_w = 2;
  op->padding_same = 1;
  OP(&b, GK_NN_RESHAPE, r1, h1);
  OP(&b, GK_NN_RESHAPE, r2, h2);
  OP(&b, GK_NN_CONCATENATION, c, r1, r2)->axis = 1;
  OP(&b, GK_NN_RESHAPE, o, c);
  tm_io(&b, x, o);
  b.m.outputs[b.m.n_outputs++] = h2; /* an inner tensor as an output too */
  CHECK_MATCHES(&b, 1, GK_NN_CONCATENATION);
  tm_free(&b);
}

/* A concatenation in the middle: XNNPACK, C, XNNPACK again, with a fused
   activation on the concatenation and a constant among its inputs. */
static void test_concat_middle(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 6, 6, 3, 0);
  int32_t a = T4(&b, 1, 6, 6, 3, 0), k = T4(&b, 1, 6, 6, 2, 1);
  int32_t c = T4(&b, 1, 6, 6, 8, 0);
  int32_t f = T4(&b, 4, 3, 3, 8, 1), bi = T1(&b, 4, 1);
  int32_t o = T4(&b, 1, 6, 6, 4, 0);
  OP(&b, GK_NN_LOGISTIC, a, x);
  gk_nn_op *cat = OP(&b, GK_NN_CONCATENATION, c, a, x, k);
  cat->axis = 3;
  cat->act = GK_NN_ACT_RELU;
  gk_nn_op *conv = OP(&b, GK_NN_CONV_2D, o, c, f, bi);
  conv->padding_same = 1;
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 2, GK_NN_CONCATENATION);
  tm_free(&b);
}

/* A residual block as in the landmark models: a padded stride-2 depthwise,
   a 1x1 expansion, a max-pooled and channel-padded shortcut, the ADD. */
static void test_block(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 16, 16, 8, 0);
  int32_t p = T4(&b, 1, 18, 18, 8, 0);
  int32_t fd = T4(&b, 1, 3, 3, 8, 1), bd = T1(&b, 8, 1);
  int32_t d = T4(&b, 1, 8, 8, 8, 0);
  int32_t fp = T4(&b, 16, 1, 1, 8, 1), bp = T1(&b, 16, 1);
  int32_t e = T4(&b, 1, 8, 8, 16, 0);
  int32_t mp = T4(&b, 1, 8, 8, 8, 0), sp = T4(&b, 1, 8, 8, 16, 0);
  int32_t o = T4(&b, 1, 8, 8, 16, 0);
  gk_nn_op *op = OP(&b, GK_NN_PAD, p, x);
  op->pads[1][0] = op->pads[1][1] = op->pads[2][0] = op->pads[2][1] = 1;
  op = OP(&b, GK_NN_DEPTHWISE_CONV_2D, d, p, fd, bd);
  op->stride_h = op->stride_w = 2;
  op->depth_multiplier = 1;
  OP(&b, GK_NN_CONV_2D, e, d, fp, bp);
  op = OP(&b, GK_NN_MAX_POOL_2D, mp, x);
  op->filter_h = op->filter_w = op->stride_h = op->stride_w = 2;
  OP(&b, GK_NN_PAD, sp, mp)->pads[3][1] = 8;
  OP(&b, GK_NN_ADD, o, e, sp)->act = GK_NN_ACT_RELU;
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 2, GK_NN_ADD);
  tm_free(&b);
}

/* An operator whose output nothing reads (and no graph output is): left
   out.  XNNPACK gives such a value no memory and then asserts (aborting
   the process) when the node that writes it is set up. */
static void test_dead_operator(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 6, 6, 3, 0), f = T4(&b, 4, 3, 3, 3, 1);
  int32_t c = T4(&b, 1, 6, 6, 4, 0), dead = T4(&b, 1, 6, 6, 4, 0);
  int32_t o = T4(&b, 1, 6, 6, 4, 0);
  OP(&b, GK_NN_CONV_2D, c, x, f, -1)->padding_same = 1;
  OP(&b, GK_NN_LOGISTIC, dead, c);
  OP(&b, GK_NN_ADD, o, c, c);
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 1, GK_NN_LOGISTIC);
  tm_free(&b);
}

/* Operators on constants only (a reader folds them, but a model need not
   have been): the sigmoid of a constant, the sum of two, a constant
   padded, and a constant that is a filter in one place and an ADD's
   operand in another. */
static void test_constant_inputs(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 4, 4, 2, 0);
  int32_t k1 = T4(&b, 1, 4, 4, 2, 1), k2 = T4(&b, 1, 4, 4, 2, 1);
  int32_t l = T4(&b, 1, 4, 4, 2, 0), s = T4(&b, 1, 4, 4, 2, 0);
  int32_t p = T4(&b, 1, 4, 4, 2, 0), a = T4(&b, 1, 4, 4, 2, 0);
  int32_t o = T4(&b, 1, 4, 4, 2, 0);
  int32_t f = T4(&b, 2, 1, 1, 2, 1), bi = T1(&b, 2, 1);
  int32_t cf = T4(&b, 1, 4, 4, 2, 0), g = T4(&b, 1, 4, 4, 2, 0);
  OP(&b, GK_NN_LOGISTIC, l, k1);
  OP(&b, GK_NN_ADD, s, k1, k2);
  gk_nn_op *op = OP(&b, GK_NN_PAD, p, T4(&b, 1, 2, 4, 2, 1));
  op->pads[1][0] = op->pads[1][1] = 1;
  OP(&b, GK_NN_ADD, a, l, s);
  OP(&b, GK_NN_ADD, o, a, p);
  OP(&b, GK_NN_CONV_2D, cf, x, f, bi);
  OP(&b, GK_NN_ADD, g, cf, bi); /* bi: the bias above, and an operand */
  tm_io(&b, x, o);
  b.m.outputs[b.m.n_outputs++] = g;
  CHECK_MATCHES(&b, 1, GK_NN_ADD);
  tm_free(&b);
}

/* A folded shape operand kept as a second input (a RESHAPE's new shape, a
   RESIZE_BILINEAR's size, a PAD's paddings) is not data: neither read nor
   required to be computed. */
static void test_shape_operands(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 4, 4, 2, 0);
  int32_t shape = T1(&b, 2, 0); /* never computed: an int32 tensor */
  int32_t size = T1(&b, 2, 1),
          pads = tm_tensor(&b, 2, (const int32_t[]){4, 2}, 1);
  int32_t r = T4(&b, 1, 6, 6, 2, 0), p = T4(&b, 1, 8, 8, 2, 0);
  int32_t o = tm_tensor(&b, 2, (const int32_t[]){64, 2}, 0);
  OP(&b, GK_NN_RESIZE_BILINEAR, r, x, size)->half_pixel_centers = 1;
  gk_nn_op *op = OP(&b, GK_NN_PAD, p, r, pads);
  op->pads[1][0] = op->pads[2][1] = 2;
  OP(&b, GK_NN_RESHAPE, o, p, shape);
  tm_io(&b, x, o);
  CHECK_MATCHES(&b, 1, GK_NN_RESHAPE);
  tm_free(&b);
}

/* ---- refusals ---------------------------------------------------------------
 */

static gk_status init_status(tmodel *b, gk_err *err) {
  struct gk_nn_runner r;
  memset(&r, 0, sizeof(r));
  r.m = &b->m;
  gk_status st = gk_nn_xnn_init(&r, 1, err);
  if (st == GK_OK) {
    r.free_impl(&r);
  } else {
    CHECK_TRUE(r.impl == NULL && r.run == NULL && r.free_impl == NULL);
    CHECK_TRUE(r.in[0] == NULL && r.out[0] == NULL);
  }
  return st;
}

static void test_refusals(void) {
  gk_err err = {0};
  tmodel b;
  /* a convolution whose declared output is smaller than what it makes */
  tm_init(&b);
  int32_t x = T4(&b, 1, 8, 8, 3, 0), f = T4(&b, 4, 3, 3, 3, 1);
  int32_t o = T4(&b, 1, 6, 6, 4, 0);
  OP(&b, GK_NN_CONV_2D, o, x, f, -1)->padding_same = 1;
  tm_io(&b, x, o);
  CHECK_EQ_INT(init_status(&b, &err), GK_E_CORRUPT);
  CHECK_EQ_INT(err.offset, 0);
  b.o[0].padding_same = 0; /* VALID: 6x6, as declared */
  CHECK_EQ_INT(init_status(&b, &err), GK_OK);
  tm_free(&b);

  /* a 1x1 max pool (XNNPACK has none), named by its operator index */
  tm_init(&b);
  x = T4(&b, 1, 4, 4, 2, 0);
  int32_t l = T4(&b, 1, 4, 4, 2, 0);
  o = T4(&b, 1, 2, 2, 2, 0);
  OP(&b, GK_NN_LOGISTIC, l, x);
  gk_nn_op *op = OP(&b, GK_NN_MAX_POOL_2D, o, l);
  op->filter_h = op->filter_w = 1;
  op->stride_h = op->stride_w = 2;
  tm_io(&b, x, o);
  CHECK_EQ_INT(init_status(&b, &err), GK_E_UNSUPPORTED);
  CHECK_EQ_INT(err.offset, 1);
  tm_free(&b);

  /* an operator reading a tensor nothing wrote */
  tm_init(&b);
  x = T4(&b, 1, 4, 4, 2, 0);
  int32_t y = T4(&b, 1, 4, 4, 2, 0);
  o = T4(&b, 1, 4, 4, 2, 0);
  OP(&b, GK_NN_ADD, o, x, y);
  tm_io(&b, x, o);
  CHECK_EQ_INT(init_status(&b, &err), GK_E_CORRUPT);
  tm_free(&b);

  /* a tensor index out of range, a negative thread count */
  tm_init(&b);
  x = T4(&b, 1, 4, 4, 2, 0);
  o = T4(&b, 1, 4, 4, 2, 0);
  OP(&b, GK_NN_LOGISTIC, o, 7);
  tm_io(&b, x, o);
  CHECK_EQ_INT(init_status(&b, &err), GK_E_CORRUPT);
  b.o[0].in[0] = x;
  struct gk_nn_runner r;
  memset(&r, 0, sizeof(r));
  r.m = &b.m;
  CHECK_EQ_INT(gk_nn_xnn_init(&r, -1, &err), GK_E_ARG);
  tm_free(&b);
}

/* ---- the SIMD level
 * ------------------------------------------------------------ */

/* --expect LEVEL: the level this run must see (the qemu runs, so that a
   CPU model that still showed AVX would not pass unnoticed). */
static const char *expect_level;

static void test_simd_level(void) {
  tmodel b;
  tm_init(&b);
  int32_t x = T4(&b, 1, 2, 2, 1, 0), o = T4(&b, 1, 2, 2, 1, 0);
  OP(&b, GK_NN_LOGISTIC, o, x);
  tm_io(&b, x, o);
  struct gk_nn_runner r;
  memset(&r, 0, sizeof(r));
  r.m = &b.m;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_nn_xnn_init(&r, 1, &err), GK_OK);
  const char *want = "XNNPACK SSE2";
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    want = "XNNPACK AVX-512";
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    want = "XNNPACK AVX2";
  else if (__builtin_cpu_supports("avx"))
    want = "XNNPACK AVX";
  else if (__builtin_cpu_supports("sse4.1"))
    want = "XNNPACK SSE4.1";
#endif
  printf("simd: %s\n", r.describe);
  CHECK_STR(r.describe, want);
  if (expect_level != NULL) CHECK_STR(r.describe, expect_level);
  r.free_impl(&r);
  tm_free(&b);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--expect") == 0) expect_level = argv[2];
  RUN(test_simd_level);
  RUN(test_conv);
  RUN(test_depthwise);
  RUN(test_add);
  RUN(test_pad);
  RUN(test_depth_to_space);
  RUN(test_resize);
  RUN(test_max_pool);
  RUN(test_logistic_and_reshape);
  RUN(test_concat_tail);
  RUN(test_concat_middle);
  RUN(test_block);
  RUN(test_dead_operator);
  RUN(test_constant_inputs);
  RUN(test_shape_operands);
  RUN(test_refusals);
  for (int k = 0; k < GK_NN_OP_KIND_COUNT; k++)
    printf("max error %-18s %.3g\n", kind_names[k], max_err_by_kind[k]);
  return TEST_SUMMARY();
}
