/*
** test_nn.c -- the TFLite reader and the reference kernels: one small
** hand-computed model per operator (written with tests/nn_writer.h), each
** padding mode, activation and resize mode, constant folding (FLOAT16,
** DEQUANTIZE, DENSIFY with CSR and blocks), output selection, hostile input
** (every truncation, shape mismatches), and the four real pose models when
** models/ is set up (skipped, saying so, when not).
*/
#include "gaitkeeper/nn.h"
#include "nn_writer.h"
#include "test.h"

#ifndef GK_MODELS_DIR
#define GK_MODELS_DIR "models/node_modules/@mediapipe/pose"
#endif

enum { F32 = 0, F16 = 1, I32 = 2 };
enum {
  ADD = 0, CONCAT = 2, CONV = 3, DWCONV = 4, D2S = 5, DEQUANT = 6,
  LOGISTIC = 14, MAXPOOL = 17, RESHAPE = 22, RESIZE = 23, PAD = 34,
  SOFTMAX = 25, DENSIFY = 124
};

static const int32_t D1x1x1x2[4] = {1, 1, 1, 2};

/* test_nn --write-seeds DIR: every model the tests build is also written
   to DIR as y_<test>_<n>.tflite (the fuzz_tflite seeds in tests/data/tflite). */
static const char *seed_dir;

static uint8_t *finish(tm *m, size_t *len) {
  static int n;
  uint8_t *buf = tm_finish(m, len);
  if (seed_dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/y_%s_%d.tflite", seed_dir,
             test_name_ + (strncmp(test_name_, "test_", 5) == 0 ? 5 : 0), n++);
    FILE *f = fopen(path, "wb");
    if (f) {
      fwrite(buf, 1, *len, f);
      fclose(f);
    }
  }
  return buf;
}

/* Read m's file; on success run it with in (n floats) and return the
   runner (out: the model). */
static gk_nn_runner *build_run(tm *m, const float *in, size_t n,
                               gk_nn_model **model) {
  size_t len;
  uint8_t *buf = finish(m, &len);
  gk_err err = {0};
  *model = NULL;
  gk_status st = gk_nn_model_read(buf, len, NULL, 0, model, &err);
  free(buf);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s at %llu\n", err.msg ? err.msg : "",
            (unsigned long long)err.offset);
    return NULL;
  }
  gk_nn_runner *r = NULL;
  if (!CHECK_EQ_INT(gk_nn_runner_new(*model, GK_NN_BACKEND_REF, 1, &r, &err),
                    GK_OK))
    return NULL;
  CHECK_EQ_INT((*model)->tensors[(*model)->inputs[0]].count, n);
  memcpy(gk_nn_input(r, 0), in, n * sizeof(float));
  CHECK_EQ_INT(gk_nn_run(r, &err), GK_OK);
  return r;
}

static void check_out(gk_nn_runner *r, int i, const float *want, size_t n) {
  const float *got = gk_nn_output(r, i);
  for (size_t k = 0; k < n; k++)
    if (!CHECK_NEAR(got[k], want[k], 1e-5)) fprintf(stderr, "  at %zu\n", k);
}

static void done(gk_nn_runner *r, gk_nn_model *m) {
  gk_nn_runner_free(r);
  gk_nn_model_free(m);
}

/* ---- convolution -------------------------------------------------------- */

/* 1x4x4x1 input 0..15 (v = 4 row + col), a 3x3 ones filter. */
static void conv_4x4(int same, int stride, const float *want, int oh) {
  static tm m;
  tm_init(&m);
  static float w[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  float in[16];
  for (int k = 0; k < 16; k++) in[k] = (float)k;
  int32_t xd[4] = {1, 4, 4, 1}, wd[4] = {1, 3, 3, 1}, od[4] = {1, oh, oh, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int f = tm_tensor(&m, "w", 4, wd, F32, w, sizeof w, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[3] = {x, f, -1};
  tm_op(&m, CONV, ins, 3, y, tm_conv_opts(&m, same, stride, stride, 0, 1, 1), 1);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 16, &mod);
  if (r) check_out(r, 0, want, (size_t)(oh * oh));
  done(r, mod);
}

static void test_conv_same_stride2_pads_bottom_right(void) {
  /* out 2x2, total padding 1: none on top/left, one row/column after.
     [0][0] rows 0..2 x cols 0..2 = 45 (10 if the pad went first);
     [0][1] rows 0..2 x cols 2..3 = 39; [1][0] rows 2..3 x cols 0..2 = 66;
     [1][1] rows 2..3 x cols 2..3 = 50. */
  const float want[4] = {45, 39, 66, 50};
  conv_4x4(1, 2, want, 2);
}

static void test_conv_valid(void) {
  const float want[4] = {45, 54, 81, 90};
  conv_4x4(0, 1, want, 2);
}

static void test_conv_same_stride1(void) {
  /* corners: 4 cells; (0,0): 0+1+4+5 = 10 */
  float want[16];
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 4; c++) {
      float s = 0;
      for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++) {
          int rr = r + dr, cc = c + dc;
          if (rr >= 0 && rr < 4 && cc >= 0 && cc < 4) s += (float)(4 * rr + cc);
        }
      want[4 * r + c] = s;
    }
  CHECK_NEAR(want[0], 10, 0);
  conv_4x4(1, 1, want, 4);
}

static void test_conv_channels_bias_dilation(void) {
  static tm m;
  tm_init(&m);
  /* [1,1,5,2] input, filter [2,1,3,2] dilated by 2 along W (VALID: out W 1),
     O = 2 with bias [0, 1]. */
  float in[10] = {1, 10, 2, 20, 3, 30, 4, 40, 5, 50};
  static float w[12] = {1, 0, 1, 0, 1, 0,   /* o0: channel 0 of taps 0, 2, 4 */
                        0, 1, 0, 1, 0, -1}; /* o1: channel 1, last tap -1 */
  static float b[2] = {0, 1};
  int32_t xd[4] = {1, 1, 5, 2}, wd[4] = {2, 1, 3, 2}, bd[1] = {2},
          od[4] = {1, 1, 1, 2};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int f = tm_tensor(&m, "w", 4, wd, F32, w, sizeof w, NULL);
  int bb = tm_tensor(&m, "b", 1, bd, F32, b, sizeof b, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[3] = {x, f, bb};
  tm_op(&m, CONV, ins, 3, y, tm_conv_opts(&m, 0, 1, 1, 0, 2, 1), 1);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 10, &mod);
  /* o0 = 1 + 3 + 5 = 9; o1 = 10 + 30 - 50 + 1 = -9 */
  const float want[2] = {9, -9};
  if (r) check_out(r, 0, want, 2);
  done(r, mod);
}

static void test_depthwise_multiplier(void) {
  static tm m;
  tm_init(&m);
  float in[2] = {1, 2};
  static float w[4] = {1, 2, 3, 4};
  static float b[4] = {0, 0, 0, 1};
  int32_t wd[4] = {1, 1, 1, 4}, bd[1] = {4}, od[4] = {1, 1, 1, 4};
  int x = tm_tensor(&m, "x", 4, D1x1x1x2, F32, NULL, 0, NULL);
  int f = tm_tensor(&m, "w", 4, wd, F32, w, sizeof w, NULL);
  int bb = tm_tensor(&m, "b", 1, bd, F32, b, sizeof b, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[3] = {x, f, bb};
  tm_op(&m, DWCONV, ins, 3, y, tm_dw_opts(&m, 1, 1, 1, 2, 0), 2);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 2, &mod);
  /* channel c*M + m reads input c: 1*1, 1*2, 2*3, 2*4 + 1 */
  const float want[4] = {1, 2, 6, 9};
  if (r) check_out(r, 0, want, 4);
  if (mod) CHECK_EQ_INT(mod->ops[0].depth_multiplier, 2);
  done(r, mod);
}

static void test_depthwise_same_3x3(void) {
  static tm m;
  tm_init(&m);
  float in[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  static float w[9] = {0, 0, 0, 0, 0, 1, 0, 0, 0}; /* takes the right neighbour */
  int32_t d[4] = {1, 3, 3, 1}, wd[4] = {1, 3, 3, 1};
  int x = tm_tensor(&m, "x", 4, d, F32, NULL, 0, NULL);
  int f = tm_tensor(&m, "w", 4, wd, F32, w, sizeof w, NULL);
  int y = tm_tensor(&m, "y", 4, d, F32, NULL, 0, NULL);
  int32_t ins[2] = {x, f};
  tm_op(&m, DWCONV, ins, 2, y, tm_dw_opts(&m, 1, 1, 1, 1, 0), 2);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 9, &mod);
  const float want[9] = {2, 3, 0, 5, 6, 0, 8, 9, 0};
  if (r) check_out(r, 0, want, 9);
  done(r, mod);
}

/* ---- ADD and activations ----------------------------------------------- */

static void add_act(int act, const float *want) {
  static tm m;
  tm_init(&m);
  float in[4] = {-2, -0.5f, 0.5f, 7};
  static float zero[1] = {0};
  int32_t d[4] = {1, 1, 1, 4}, one[1] = {1};
  int x = tm_tensor(&m, "x", 4, d, F32, NULL, 0, NULL);
  int c = tm_tensor(&m, "c", 1, one, F32, zero, sizeof zero, NULL);
  int y = tm_tensor(&m, "y", 4, d, F32, NULL, 0, NULL);
  int32_t ins[2] = {x, c};
  tm_op(&m, ADD, ins, 2, y, tm_act_opts(&m, act), 11);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 4, &mod);
  if (r) check_out(r, 0, want, 4);
  done(r, mod);
}

static void test_activations(void) {
  const float none[4] = {-2, -0.5f, 0.5f, 7}, relu[4] = {0, 0, 0.5f, 7},
              n1[4] = {-1, -0.5f, 0.5f, 1}, relu6[4] = {0, 0, 0.5f, 6};
  add_act(0, none);
  add_act(1, relu);
  add_act(2, n1);
  add_act(3, relu6);
}

static void test_add_broadcast_channels(void) {
  static tm m;
  tm_init(&m);
  float in[6] = {1, 2, 3, 4, 5, 6};
  static float c[3] = {10, 20, 30};
  int32_t d[4] = {1, 1, 2, 3}, cd[1] = {3};
  int x = tm_tensor(&m, "x", 4, d, F32, NULL, 0, NULL);
  int k = tm_tensor(&m, "c", 1, cd, F32, c, sizeof c, NULL);
  int y = tm_tensor(&m, "y", 4, d, F32, NULL, 0, NULL);
  int32_t ins[2] = {k, x}; /* the constant first */
  tm_op(&m, ADD, ins, 2, y, NULL, 0);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 6, &mod);
  const float want[6] = {11, 22, 33, 14, 25, 36};
  if (r) check_out(r, 0, want, 6);
  done(r, mod);
}

/* ---- shape operators ---------------------------------------------------- */

static void test_pad(void) {
  static tm m;
  tm_init(&m);
  float in[2] = {1, 2};
  static int32_t p[8] = {0, 0, 1, 0, 0, 2, 0, 0};
  int32_t xd[4] = {1, 1, 2, 1}, pd[2] = {4, 2}, od[4] = {1, 2, 4, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int pp = tm_tensor(&m, "p", 2, pd, I32, p, sizeof p, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[2] = {x, pp};
  tm_op(&m, PAD, ins, 2, y, NULL, 0);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 2, &mod);
  const float want[8] = {0, 0, 0, 0, 1, 2, 0, 0};
  if (r) check_out(r, 0, want, 8);
  if (mod) {
    CHECK_EQ_INT(mod->ops[0].n_in, 1);
    CHECK_EQ_INT(mod->ops[0].pads[1][0], 1);
    CHECK_EQ_INT(mod->ops[0].pads[2][1], 2);
    CHECK_EQ_INT(mod->n_tensors, 2); /* the paddings constant is dropped */
  }
  done(r, mod);
}

static void test_depth_to_space_dcr(void) {
  static tm m;
  tm_init(&m);
  float in[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  int32_t xd[4] = {1, 1, 2, 4}, od[4] = {1, 2, 4, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[1] = {x};
  tm_op(&m, D2S, ins, 1, y, tm_int_opts(&m, 2), 94);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 8, &mod);
  const float want[8] = {0, 1, 4, 5, 2, 3, 6, 7};
  if (r) check_out(r, 0, want, 8);
  done(r, mod);
}

static void resize(int align, int half, const float *want) {
  static tm m;
  tm_init(&m);
  float in[2] = {0, 1};
  static int32_t sz[2] = {1, 4};
  int32_t xd[4] = {1, 1, 2, 1}, sd[1] = {2}, od[4] = {1, 1, 4, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int s = tm_tensor(&m, "size", 1, sd, I32, sz, sizeof sz, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[2] = {x, s};
  tm_op(&m, RESIZE, ins, 2, y, tm_resize_opts(&m, align, half), 15);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 2, &mod);
  if (r) check_out(r, 0, want, 4);
  done(r, mod);
}

/* align_corners with half_pixel_centers: refused, as TFLite refuses it (the
   reference kernel read past the input's last row: found by fuzz_tflite). */
static void test_resize_both_modes_refused(void) {
  static tm m;
  tm_init(&m);
  static int32_t sz[2] = {3, 7};
  int32_t xd[4] = {1, 2, 2, 1}, sd[1] = {2}, od[4] = {1, 3, 7, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int s = tm_tensor(&m, "size", 1, sd, I32, sz, sizeof sz, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[2] = {x, s};
  tm_op(&m, RESIZE, ins, 2, y, tm_resize_opts(&m, 1, 1), 15);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  size_t len;
  uint8_t *buf = finish(&m, &len);
  gk_nn_model *mod = NULL;
  gk_err err = {0};
  CHECK_EQ_INT(gk_nn_model_read(buf, len, NULL, 0, &mod, &err), GK_E_CORRUPT);
  CHECK_TRUE(mod == NULL);
  CHECK_TRUE(err.msg != NULL && strstr(err.msg, "align_corners") != NULL);
  free(buf);
}

static void test_resize_modes(void) {
  const float plain[4] = {0, 0.5f, 1, 1};
  const float align[4] = {0, 1.f / 3, 2.f / 3, 1};
  const float half[4] = {0, 0.25f, 0.75f, 1};
  resize(0, 0, plain);
  resize(1, 0, align);
  resize(0, 1, half);
}

static void test_concat_axis(void) {
  static tm m;
  tm_init(&m);
  int32_t ad[4] = {1, 1, 2, 1}, bd[4] = {1, 1, 2, 2}, od[4] = {1, 1, 2, 3};
  static float b[4] = {3, 4, 5, 6};
  float in[2] = {1, 2};
  int a = tm_tensor(&m, "a", 4, ad, F32, NULL, 0, NULL);
  int c = tm_tensor(&m, "b", 4, bd, F32, b, sizeof b, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[2] = {a, c};
  tm_op(&m, CONCAT, ins, 2, y, tm_concat_opts(&m, -1, 0), 10);
  m.in[m.nin++] = a;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 2, &mod);
  const float want[6] = {1, 3, 4, 2, 5, 6};
  if (r) check_out(r, 0, want, 6);
  if (mod) CHECK_EQ_INT(mod->ops[0].axis, 3);
  done(r, mod);
}

static void pool(int same, int stride, const float *want, int oh) {
  static tm m;
  tm_init(&m);
  float in[9];
  for (int k = 0; k < 9; k++) in[k] = -(float)(k + 1);
  int32_t xd[4] = {1, 3, 3, 1}, od[4] = {1, oh, oh, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[1] = {x};
  tm_op(&m, MAXPOOL, ins, 1, y, tm_pool_opts(&m, same, stride, stride, 2, 2, 0), 5);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 9, &mod);
  if (r) check_out(r, 0, want, (size_t)(oh * oh));
  done(r, mod);
}

static void test_max_pool(void) {
  /* SAME, stride 2: padding after, never counted as a value (it would be 0) */
  const float same[4] = {-1, -3, -7, -9};
  const float valid[4] = {-1, -2, -4, -5};
  pool(1, 2, same, 2);
  pool(0, 1, valid, 2);
}

static void test_logistic_reshape(void) {
  static tm m;
  tm_init(&m);
  float in[4] = {0, 2, -2, 30};
  int32_t xd[4] = {1, 2, 2, 1}, od[2] = {1, 4};
  static int32_t shape[2] = {1, 4};
  int32_t sd[1] = {2};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int l = tm_tensor(&m, "l", 4, xd, F32, NULL, 0, NULL);
  int s = tm_tensor(&m, "shape", 1, sd, I32, shape, sizeof shape, NULL);
  int y = tm_tensor(&m, "y", 2, od, F32, NULL, 0, NULL);
  int32_t i1[1] = {x}, i2[2] = {l, s};
  tm_op(&m, LOGISTIC, i1, 1, l, NULL, 0);
  tm_op(&m, RESHAPE, i2, 2, y, NULL, 0);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 4, &mod);
  const float want[4] = {0.5f, 0.880797078f, 0.119202922f, 1};
  if (r) check_out(r, 0, want, 4);
  if (mod) {
    CHECK_EQ_INT(mod->tensors[mod->outputs[0]].rank, 2);
    CHECK_EQ_INT(mod->n_ops, 2);
  }
  done(r, mod);
}

/* ---- folding ------------------------------------------------------------ */

static void test_fp16_dequantize_folded(void) {
  static tm m;
  tm_init(&m);
  static uint16_t h[2];
  h[0] = tm_half(0.5f);
  h[1] = tm_half(-2.f);
  float in[2] = {3, 4};
  int32_t wd[4] = {1, 1, 1, 2}, od[4] = {1, 1, 1, 1};
  int x = tm_tensor(&m, "x", 4, D1x1x1x2, F32, NULL, 0, NULL);
  int wh = tm_tensor(&m, "w16", 4, wd, F16, h, sizeof h, NULL);
  int w = tm_tensor(&m, "w", 4, wd, F32, NULL, 0, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t i1[1] = {wh}, i2[3] = {x, w, -1};
  tm_op(&m, DEQUANT, i1, 1, w, NULL, 0);
  tm_op(&m, CONV, i2, 3, y, tm_conv_opts(&m, 1, 1, 1, 0, 1, 1), 1);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(&m, in, 2, &mod);
  const float want[1] = {1.5f - 8};
  if (r) check_out(r, 0, want, 1);
  if (mod) {
    CHECK_EQ_INT(mod->n_ops, 1);
    CHECK_EQ_INT(mod->n_tensors, 3); /* x, the folded filter, y */
    CHECK_EQ_INT(mod->ops[0].kind, GK_NN_CONV_2D);
    CHECK_TRUE(mod->tensors[mod->ops[0].in[1]].data != NULL);
  }
  done(r, mod);
}

/* An int32 / uint16 / uint8 index vector table (SparseIndexVector). */
static tw_node *spvec(tm *m, int type, const void *v, uint32_t n) {
  tw_node *t = tw_table(&m->w);
  tw_ref(t, 0, tw_vec(&m->w, v, n, type == 1 ? 4 : type == 2 ? 2 : 1));
  return t;
}
static tw_node *dim_dense(tm *m, int32_t size) {
  tw_node *t = tw_table(&m->w);
  tw_u8(t, 0, 0);
  tw_i32(t, 1, size);
  return t;
}
static tw_node *dim_csr(tm *m, int st, const void *seg, uint32_t ns, int it,
                        const void *idx, uint32_t ni) {
  tw_node *t = tw_table(&m->w);
  tw_u8(t, 0, 1);
  tw_u8(t, 2, st);
  tw_ref(t, 3, spvec(m, st, seg, ns));
  tw_u8(t, 4, it);
  tw_ref(t, 5, spvec(m, it, idx, ni));
  return t;
}

/* ADD(zeros, DEQUANTIZE(DENSIFY(sparse))) returns the dense matrix. */
static void densify_case(tw_node *sp, tm *m, const uint16_t *vals, size_t nv,
                         const float *dense) {
  int32_t d[2] = {4, 4};
  int x = tm_tensor(m, "x", 2, d, F32, NULL, 0, NULL);
  int s = tm_tensor(m, "sparse", 2, d, F16, vals, nv * 2, sp);
  int h = tm_tensor(m, "dense16", 2, d, F16, NULL, 0, NULL);
  int f = tm_tensor(m, "dense", 2, d, F32, NULL, 0, NULL);
  int y = tm_tensor(m, "y", 2, d, F32, NULL, 0, NULL);
  int32_t i1[1] = {s}, i2[1] = {h}, i3[2] = {x, f};
  tm_op(m, DENSIFY, i1, 1, h, NULL, 0);
  tm_op(m, DEQUANT, i2, 1, f, NULL, 0);
  tm_op(m, ADD, i3, 2, y, NULL, 0);
  m->in[m->nin++] = x;
  m->out[m->nout++] = y;
  float zeros[16] = {0};
  gk_nn_model *mod;
  gk_nn_runner *r = build_run(m, zeros, 16, &mod);
  if (r) check_out(r, 0, dense, 16);
  if (mod) CHECK_EQ_INT(mod->n_ops, 1);
  done(r, mod);
}

static void test_densify_csr(void) {
  static tm m;
  tm_init(&m);
  static uint16_t v[5];
  for (int k = 0; k < 5; k++) v[k] = tm_half((float)(k + 1));
  static const int32_t order[2] = {0, 1};
  static const int32_t seg[5] = {0, 2, 2, 3, 5};
  static const uint16_t idx[5] = {0, 3, 1, 0, 2};
  tw_node *sp = tw_table(&m.w);
  tw_ref(sp, 0, tw_vec(&m.w, order, 2, 4));
  tw_node *dims[2] = {dim_dense(&m, 4), dim_csr(&m, 1, seg, 5, 2, idx, 5)};
  tw_ref(sp, 2, tw_tabvec(&m.w, dims, 2));
  const float dense[16] = {1, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 5, 0};
  densify_case(sp, &m, v, 5, dense);
}

static void test_densify_blocks(void) {
  static tm m;
  tm_init(&m);
  static uint16_t v[8];
  for (int k = 0; k < 8; k++) v[k] = tm_half((float)(k + 1));
  /* columns in blocks of 2: rows x block columns (CSR) x 2 (dense) */
  static const int32_t order[3] = {0, 1, 2}, bmap[1] = {1};
  static const uint8_t seg[5] = {0, 1, 2, 2, 4}, idx[4] = {0, 1, 0, 1};
  tw_node *sp = tw_table(&m.w);
  tw_ref(sp, 0, tw_vec(&m.w, order, 3, 4));
  tw_ref(sp, 1, tw_vec(&m.w, bmap, 1, 4));
  tw_node *dims[3] = {dim_dense(&m, 4), dim_csr(&m, 3, seg, 5, 3, idx, 4),
                      dim_dense(&m, 2)};
  tw_ref(sp, 2, tw_tabvec(&m.w, dims, 3));
  const float dense[16] = {1, 2, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8};
  densify_case(sp, &m, v, 8, dense);
}

/* ---- outputs, runner, buffer reuse ------------------------------------- */

/* x -> l = LOGISTIC(x) ("out1"); a chain of ADDs ("out2"). */
static uint8_t *two_outputs(size_t *len) {
  static tm m;
  tm_init(&m);
  static float one[1] = {1};
  int32_t d[4] = {1, 1, 1, 3}, od[1] = {1};
  int x = tm_tensor(&m, "x", 4, d, F32, NULL, 0, NULL);
  int c = tm_tensor(&m, "one", 1, od, F32, one, sizeof one, NULL);
  int l = tm_tensor(&m, "out1", 4, d, F32, NULL, 0, NULL);
  int prev = x;
  static const char *const names[5] = {"a0", "a1", "a2", "a3", "out2"};
  for (int k = 0; k < 5; k++) {
    int t = tm_tensor(&m, names[k], 4, d, F32, NULL, 0, NULL);
    int32_t ins[2] = {prev, c};
    tm_op(&m, ADD, ins, 2, t, NULL, 0);
    prev = t;
  }
  int32_t il[1] = {x};
  tm_op(&m, LOGISTIC, il, 1, l, NULL, 0);
  m.in[m.nin++] = x;
  m.out[m.nout++] = l;
  m.out[m.nout++] = prev;
  return finish(&m, len);
}

static void test_keep_outputs(void) {
  size_t len;
  uint8_t *buf = two_outputs(&len);
  gk_nn_model *mod = NULL;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_nn_model_read(buf, len, NULL, 0, &mod, &err), GK_OK);
  CHECK_EQ_INT(mod->n_ops, 6);
  CHECK_EQ_INT(mod->n_outputs, 2);
  CHECK_STR(mod->tensors[mod->outputs[0]].name, "out1");
  gk_nn_model_free(mod);

  const char *k2[2] = {"out2", "out1"};
  ASSERT_EQ_INT(gk_nn_model_read(buf, len, k2, 2, &mod, &err), GK_OK);
  CHECK_STR(mod->tensors[mod->outputs[0]].name, "out2");
  CHECK_STR(mod->tensors[mod->outputs[1]].name, "out1");
  gk_nn_model_free(mod);

  const char *k1[1] = {"out1"};
  ASSERT_EQ_INT(gk_nn_model_read(buf, len, k1, 1, &mod, &err), GK_OK);
  CHECK_EQ_INT(mod->n_ops, 1); /* the ADD chain is dropped */
  CHECK_EQ_INT(mod->n_tensors, 2);
  CHECK_EQ_INT(mod->ops[0].kind, GK_NN_LOGISTIC);
  gk_nn_model_free(mod);

  const char *bad[1] = {"a1"}; /* a tensor, but not an output */
  CHECK_EQ_INT(gk_nn_model_read(buf, len, bad, 1, &mod, &err), GK_E_NOT_FOUND);
  CHECK_TRUE(mod == NULL);
  free(buf);
}

static void test_runner_chain_and_backends(void) {
  size_t len;
  uint8_t *buf = two_outputs(&len);
  gk_nn_model *mod = NULL;
  gk_err err = {0};
  ASSERT_EQ_INT(gk_nn_model_read(buf, len, NULL, 0, &mod, &err), GK_OK);
  free(buf);
  gk_nn_runner *r = NULL;
  ASSERT_EQ_INT(gk_nn_runner_new(mod, GK_NN_BACKEND_REF, 0, &r, &err), GK_OK);
  CHECK_STR(gk_nn_runner_describe(r), "reference");
  CHECK_EQ_INT(gk_nn_runner_backend(r), GK_NN_BACKEND_REF);
  CHECK_TRUE(gk_nn_input(r, 1) == NULL && gk_nn_output(r, 2) == NULL);
  for (int run = 0; run < 2; run++) {
    float *in = gk_nn_input(r, 0);
    in[0] = 0;
    in[1] = 1;
    in[2] = (float)run;
    CHECK_EQ_INT(gk_nn_run(r, &err), GK_OK);
    /* the input survives the run (buffers reused around it) */
    CHECK_NEAR(gk_nn_input(r, 0)[1], 1, 0);
    const float *o2 = gk_nn_output(r, 1), *o1 = gk_nn_output(r, 0);
    CHECK_NEAR(o2[0], 5, 1e-6);
    CHECK_NEAR(o2[1], 6, 1e-6);
    CHECK_NEAR(o2[2], 5 + run, 1e-6);
    CHECK_NEAR(o1[0], 0.5, 1e-6);
  }
  gk_nn_runner_free(r);
  /* AUTO: XNNPACK when it runs here, else the reference kernels. */
  ASSERT_EQ_INT(gk_nn_runner_new(mod, GK_NN_BACKEND_AUTO, 0, &r, &err), GK_OK);
  gk_nn_runner *x = NULL;
  gk_status sx = gk_nn_runner_new(mod, GK_NN_BACKEND_XNNPACK, 0, &x, &err);
  CHECK_TRUE(sx == GK_OK || sx == GK_E_UNSUPPORTED);
  if (sx == GK_E_UNSUPPORTED) {
    CHECK_TRUE(x == NULL);
    CHECK_EQ_INT(gk_nn_runner_backend(r), GK_NN_BACKEND_REF);
  }
  gk_nn_runner_free(x);
  gk_nn_runner_free(r);
  CHECK_EQ_INT(gk_nn_runner_new(NULL, GK_NN_BACKEND_REF, 0, &r, &err), GK_E_ARG);
  gk_nn_model_free(mod);
}

/* ---- hostile input ------------------------------------------------------ */

static void test_every_truncation_fails(void) {
  size_t len;
  uint8_t *buf = two_outputs(&len);
  gk_err err;
  for (size_t n = 0; n < len; n++) {
    uint8_t *cut = (uint8_t *)malloc(n ? n : 1); /* exact size, for ASan */
    memcpy(cut, buf, n);
    gk_nn_model *mod = (gk_nn_model *)1;
    gk_status st = gk_nn_model_read(cut, n, NULL, 0, &mod, &err);
    free(cut);
    if (st == GK_OK) {
      /* Only trailing bytes nothing points into may go. */
      gk_nn_model_free(mod);
      continue;
    }
    if (!CHECK_TRUE(mod == NULL)) break;
  }
  /* Flip every byte in turn: never a crash, and a model that loads runs. */
  for (size_t k = 0; k < len; k++) {
    uint8_t *bad = (uint8_t *)malloc(len);
    memcpy(bad, buf, len);
    bad[k] ^= 0x5a;
    gk_nn_model *mod = NULL;
    if (gk_nn_model_read(bad, len, NULL, 0, &mod, &err) == GK_OK) {
      gk_nn_runner *r = NULL;
      if (gk_nn_runner_new(mod, GK_NN_BACKEND_REF, 0, &r, &err) == GK_OK) {
        for (int i = 0; i < mod->n_inputs; i++)
          memset(gk_nn_input(r, i), 0,
                 mod->tensors[mod->inputs[i]].count * sizeof(float));
        gk_nn_run(r, &err);
      }
      gk_nn_runner_free(r);
      gk_nn_model_free(mod);
    }
    free(bad);
  }
  free(buf);
}

/* A LOGISTIC then op 1: a conv whose filter has 3 channels for 2 (or, with
   unsupported, a SOFTMAX). */
static void test_bad_operator_named_by_index(void) {
  for (int unsupported = 0; unsupported < 2; unsupported++) {
    static tm m;
    tm_init(&m);
    static float w[3] = {1, 1, 1};
    int32_t wd[4] = {1, 1, 1, 3}, od[4] = {1, 1, 1, 1};
    int x = tm_tensor(&m, "x", 4, D1x1x1x2, F32, NULL, 0, NULL);
    int l = tm_tensor(&m, "l", 4, D1x1x1x2, F32, NULL, 0, NULL);
    int f = tm_tensor(&m, "w", 4, wd, F32, w, sizeof w, NULL);
    int y = tm_tensor(&m, "y", 4, unsupported ? D1x1x1x2 : od, F32, NULL, 0, NULL);
    int32_t i1[1] = {x}, i2[3] = {l, f, -1};
    tm_op(&m, LOGISTIC, i1, 1, l, NULL, 0);
    if (unsupported)
      tm_op(&m, SOFTMAX, i2, 1, y, NULL, 0);
    else
      tm_op(&m, CONV, i2, 3, y, tm_conv_opts(&m, 1, 1, 1, 0, 1, 1), 1);
    m.in[m.nin++] = x;
    m.out[m.nout++] = y;
    size_t len;
    uint8_t *buf = tm_finish(&m, &len);
    gk_nn_model *mod = NULL;
    gk_err err = {0};
    gk_status st = gk_nn_model_read(buf, len, NULL, 0, &mod, &err);
    CHECK_EQ_INT(st, unsupported ? GK_E_UNSUPPORTED : GK_E_CORRUPT);
    CHECK_EQ_INT(err.offset, 1);
    CHECK_TRUE(err.msg != NULL && strstr(err.msg, unsupported ? "unsupported" : "channels"));
    CHECK_TRUE(mod == NULL);
    free(buf);
  }
}

/* A 1x40000 filter dilated by 2 (extent 79999): refused before any kernel
   could compute window indices past int32. */
static void test_conv_window_limit(void) {
  static tm m;
  tm_init(&m);
  static float w[40000];
  int32_t xd[4] = {1, 1, 4, 1}, wd[4] = {1, 1, 40000, 1}, od[4] = {1, 1, 4, 1};
  int x = tm_tensor(&m, "x", 4, xd, F32, NULL, 0, NULL);
  int f = tm_tensor(&m, "w", 4, wd, F32, w, sizeof w, NULL);
  int y = tm_tensor(&m, "y", 4, od, F32, NULL, 0, NULL);
  int32_t ins[3] = {x, f, -1};
  tm_op(&m, CONV, ins, 3, y, tm_conv_opts(&m, 1, 1, 1, 0, 2, 1), 1);
  m.in[m.nin++] = x;
  m.out[m.nout++] = y;
  size_t len;
  uint8_t *buf = tm_finish(&m, &len);
  gk_nn_model *mod = NULL;
  gk_err err = {0};
  CHECK_EQ_INT(gk_nn_model_read(buf, len, NULL, 0, &mod, &err), GK_E_UNSUPPORTED);
  CHECK_EQ_INT(err.offset, 0);
  free(buf);
}

static void test_limits_and_arguments(void) {
  gk_nn_model *mod = (gk_nn_model *)1;
  gk_err err;
  static const uint8_t junk[16] = {8, 0, 0, 0, 'T', 'F', 'L', '3'};
  CHECK_EQ_INT(gk_nn_model_read(junk, GK_NN_MAX_INPUT + 1u, NULL, 0, &mod, &err),
               GK_E_LIMIT);
  CHECK_TRUE(mod == NULL);
  CHECK_EQ_INT(gk_nn_model_read(NULL, 0, NULL, 0, NULL, &err), GK_E_ARG);
  CHECK_TRUE(gk_nn_model_read(junk, sizeof junk, NULL, 0, &mod, &err) != GK_OK);
  CHECK_STR(gk_nn_op_name(GK_NN_DEPTHWISE_CONV_2D), "DEPTHWISE_CONV_2D");
  CHECK_STR(gk_nn_op_name(GK_NN_OP_KIND_COUNT), "?");
}

/* ---- the real pose models ---------------------------------------------- */

static gk_nn_model *load_real(const char *name, const char *const *keep,
                              int n_keep) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", GK_MODELS_DIR, name);
  size_t len;
  char *buf = test_read_file(path, &len);
  if (buf == NULL) return NULL;
  gk_nn_model *mod = NULL;
  gk_err err = {0};
  gk_status st = gk_nn_model_read(buf, len, keep, n_keep, &mod, &err);
  free(buf);
  if (!CHECK_EQ_INT(st, GK_OK))
    fprintf(stderr, "  %s: %s at %llu\n", name, err.msg ? err.msg : "",
            (unsigned long long)err.offset);
  return mod;
}

static int count_kind(const gk_nn_model *m, gk_nn_op_kind k) {
  int n = 0;
  for (size_t i = 0; i < m->n_ops; i++) n += m->ops[i].kind == k;
  return n;
}

static void test_real_models(void) {
  char probe[1024];
  snprintf(probe, sizeof probe, "%s/pose_landmark_lite.tflite", GK_MODELS_DIR);
  struct stat sb;
  if (stat(probe, &sb) != 0) {
    printf("skip: no models in %s (run scripts/setup-models.sh)\n", GK_MODELS_DIR);
    return;
  }
  gk_nn_model *d = load_real("pose_solution_packed_assets.data", NULL, 0);
  if (d) {
    CHECK_EQ_INT(d->n_ops, 109); /* 291 - 144 DEQUANTIZE - 38 DENSIFY */
    CHECK_EQ_INT(d->n_tensors, 254);
    CHECK_EQ_INT(count_kind(d, GK_NN_DEPTH_TO_SPACE), 3);
    CHECK_EQ_INT(d->n_inputs, 1);
    const gk_nn_tensor *in = &d->tensors[d->inputs[0]];
    CHECK_TRUE(in->rank == 4 && in->dims[1] == 224 && in->dims[2] == 224 && in->dims[3] == 3);
    CHECK_EQ_INT(d->n_outputs, 2);
    CHECK_STR(d->tensors[d->outputs[0]].name, "Identity");
    CHECK_EQ_INT(d->tensors[d->outputs[0]].count, 2254 * 12);
    CHECK_EQ_INT(d->tensors[d->outputs[1]].count, 2254);
    gk_nn_model_free(d);
  }
  static const struct { const char *name; size_t tensors, ops; } lm[3] = {
      {"pose_landmark_lite.tflite", 306, 129},
      {"pose_landmark_full.tflite", 333, 140},
      {"pose_landmark_heavy.tflite", 690, 293}};
  static const size_t counts[5] = {195, 1, 256 * 256, 64 * 64 * 39, 117};
  for (int k = 0; k < 3; k++) {
    gk_nn_model *m = load_real(lm[k].name, NULL, 0);
    if (m == NULL) continue;
    CHECK_EQ_INT(m->n_tensors, lm[k].tensors);
    CHECK_EQ_INT(m->n_ops, lm[k].ops);
    CHECK_EQ_INT(m->tensors[m->inputs[0]].count, 256 * 256 * 3);
    CHECK_EQ_INT(m->n_outputs, 5);
    for (int o = 0; o < 5 && o < m->n_outputs; o++)
      CHECK_EQ_INT(m->tensors[m->outputs[o]].count, counts[o]);
    size_t all = m->n_ops;
    int resizes = count_kind(m, GK_NN_RESIZE_BILINEAR);
    gk_nn_model_free(m);
    /* Landmarks and presence only: the segmentation and heatmap go. */
    const char *keep[2] = {"Identity", "Identity_1"};
    m = load_real(lm[k].name, keep, 2);
    if (m == NULL) continue;
    CHECK_EQ_INT(m->n_outputs, 2);
    CHECK_TRUE(m->n_ops < all);
    CHECK_TRUE(count_kind(m, GK_NN_RESIZE_BILINEAR) < resizes);
    gk_nn_model_free(m);
  }
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0) seed_dir = argv[2];
  RUN(test_conv_same_stride2_pads_bottom_right);
  RUN(test_conv_valid);
  RUN(test_conv_same_stride1);
  RUN(test_conv_channels_bias_dilation);
  RUN(test_depthwise_multiplier);
  RUN(test_depthwise_same_3x3);
  RUN(test_activations);
  RUN(test_add_broadcast_channels);
  RUN(test_pad);
  RUN(test_depth_to_space_dcr);
  RUN(test_resize_modes);
  RUN(test_resize_both_modes_refused);
  RUN(test_concat_axis);
  RUN(test_max_pool);
  RUN(test_logistic_reshape);
  RUN(test_fp16_dequantize_folded);
  RUN(test_densify_csr);
  RUN(test_densify_blocks);
  RUN(test_keep_outputs);
  RUN(test_runner_chain_and_backends);
  RUN(test_every_truncation_fails);
  RUN(test_bad_operator_named_by_index);
  RUN(test_conv_window_limit);
  RUN(test_limits_and_arguments);
  RUN(test_real_models);
  return TEST_SUMMARY();
}
