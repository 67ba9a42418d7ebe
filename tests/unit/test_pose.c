/*
** test_pose.c -- the BlazePose pipeline's parts: SHA-256, the SSD anchors,
** box decoding and weighted suppression, the region geometry, the models'
** sums against models/SHA256SUMS, the heatmap refinement and the one-euro
** filter on hand-computed numbers, and (when the models are installed) one
** real frame through detector and landmarks.
*/
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaitkeeper/pose.h"
#include "pose/pose_internal.h"
#include "test.h"

#ifndef GK_MODELS_DIR
#define GK_MODELS_DIR "models/node_modules/@mediapipe/pose"
#endif
#ifndef GK_SOURCE_DIR
#define GK_SOURCE_DIR "."
#endif

static void hex(const uint8_t h[32], char out[65]) {
  for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void test_sha256_vectors(void) {
  /* FIPS 180-4 examples, and lengths around the padding boundary */
  uint8_t h[32];
  char s[65];
  gk_sha256("", 0, h);
  hex(h, s);
  CHECK_STR(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  gk_sha256("abc", 3, h);
  hex(h, s);
  CHECK_STR(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  gk_sha256(m448, strlen(m448), h);
  hex(h, s);
  CHECK_STR(s, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  static char a[1000000];
  memset(a, 'a', sizeof a);
  gk_sha256(a, sizeof a, h);
  hex(h, s);
  CHECK_STR(s, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void test_anchors(void) {
  static float xy[GK_POSE_ANCHORS][2];
  gk_pose_anchors(xy);
  /* 28x28 cells x 2, then 14x14 x 2, then 7x7 x 6 */
  CHECK_NEAR(xy[0][0], 0.5 / 28, 1e-6);
  CHECK_NEAR(xy[0][1], 0.5 / 28, 1e-6);
  CHECK_NEAR(xy[1][0], 0.5 / 28, 1e-6); /* the second anchor of cell 0 */
  CHECK_NEAR(xy[2][0], 1.5 / 28, 1e-6);
  CHECK_NEAR(xy[1567][0], 27.5 / 28, 1e-6);
  CHECK_NEAR(xy[1567][1], 27.5 / 28, 1e-6);
  CHECK_NEAR(xy[1568][0], 0.5 / 14, 1e-6);
  CHECK_NEAR(xy[1960][0], 0.5 / 7, 1e-6);
  CHECK_NEAR(xy[1965][0], 0.5 / 7, 1e-6); /* 6 anchors share a 7x7 cell */
  CHECK_NEAR(xy[1966][0], 1.5 / 7, 1e-6);
  CHECK_NEAR(xy[2253][0], 6.5 / 7, 1e-6);
  CHECK_NEAR(xy[2253][1], 6.5 / 7, 1e-6);
}

static float boxes[GK_POSE_ANCHORS * 12], scores[GK_POSE_ANCHORS];

static void set_box(int a, float score_logit, float dx, float dy, float w,
                    float h) {
  float *b = boxes + a * 12;
  b[0] = dx;
  b[1] = dy;
  b[2] = w;
  b[3] = h;
  for (int k = 0; k < 4; k++) {
    b[4 + 2 * k] = dx + (float)k;
    b[5 + 2 * k] = dy - (float)k;
  }
  scores[a] = score_logit;
}

static void test_decode_and_nms(void) {
  static float xy[GK_POSE_ANCHORS][2];
  gk_pose_anchors(xy);
  memset(boxes, 0, sizeof boxes);
  for (int i = 0; i < GK_POSE_ANCHORS; i++) scores[i] = -10;
  gk_pose_detection d[8];
  CHECK_EQ_INT(gk_pose_decode(boxes, scores, 0.5f, d, 8), 0);
  /* one box: centre = anchor + offset / 224 */
  set_box(100, 3.0f, 22.4f, -11.2f, 44.8f, 67.2f);
  size_t n = gk_pose_decode(boxes, scores, 0.5f, d, 8);
  ASSERT_EQ_INT(n, 1);
  CHECK_NEAR(d[0].score, 1 / (1 + exp(-3.0)), 1e-6);
  CHECK_NEAR(d[0].box[0], xy[100][0] + 0.1, 1e-6);
  CHECK_NEAR(d[0].box[1], xy[100][1] - 0.05, 1e-6);
  CHECK_NEAR(d[0].box[2], 0.2, 1e-6);
  CHECK_NEAR(d[0].box[3], 0.3, 1e-6);
  CHECK_NEAR(d[0].kp[2][0], xy[100][0] + (22.4 + 2) / 224, 1e-6);
  CHECK_NEAR(d[0].kp[2][1], xy[100][1] + (-11.2 - 2) / 224, 1e-6);
  /* a second box on the next anchor of the same cell, same place: merged,
     weighted by score; the merged score is the best one's */
  set_box(101, 1.0f, 22.4f + 2.24f, -11.2f, 44.8f, 67.2f);
  n = gk_pose_decode(boxes, scores, 0.5f, d, 8);
  ASSERT_EQ_INT(n, 1);
  double w1 = 1 / (1 + exp(-3.0)), w2 = 1 / (1 + exp(-1.0));
  CHECK_NEAR(d[0].score, w1, 1e-6);
  CHECK_NEAR(d[0].box[0], xy[100][0] + 0.1 + 0.01 * w2 / (w1 + w2), 1e-6);
  /* a third far away: kept apart, ordered by score */
  set_box(2000, 5.0f, 0, 0, 20, 20);
  n = gk_pose_decode(boxes, scores, 0.5f, d, 8);
  ASSERT_EQ_INT(n, 2);
  CHECK_TRUE(d[0].score > d[1].score);
  CHECK_NEAR(d[0].box[0], xy[2000][0], 1e-6);
  /* a threshold above the scores: nothing; max limits the count */
  CHECK_EQ_INT(gk_pose_decode(boxes, scores, 0.999f, d, 8), 0);
  CHECK_EQ_INT(gk_pose_decode(boxes, scores, 0.5f, d, 1), 1);
  /* NaN and huge logits are clipped, never propagate */
  scores[5] = NAN;
  scores[6] = 1e30f;
  n = gk_pose_decode(boxes, scores, 0.5f, d, 8);
  CHECK_EQ_INT(n, 3);
  CHECK_NEAR(d[0].score, 1.0, 1e-6);
}

static void test_roi_geometry(void) {
  gk_pose_roi r;
  /* upright: the circle point straight above the hips */
  gk__pose_roi_from_points(500, 400, 500, 300, &r);
  CHECK_NEAR(r.cx, 500, 1e-9);
  CHECK_NEAR(r.cy, 400, 1e-9);
  CHECK_NEAR(r.w, 2 * 100 * 1.25, 1e-9);
  CHECK_NEAR(r.h, r.w, 1e-9);
  CHECK_NEAR(r.rotation, 0, 1e-9);
  /* lying with the head to the right: turned a quarter clockwise */
  gk__pose_roi_from_points(500, 400, 600, 400, &r);
  CHECK_NEAR(r.rotation, 3.14159265358979 / 2, 1e-9);
  /* head down: half a turn (either sign) */
  gk__pose_roi_from_points(500, 400, 500, 500, &r);
  CHECK_NEAR(fabs(r.rotation), 3.14159265358979, 1e-9);
  /* the warp matrix maps the input's centre to the region's centre and
     its top edge's middle towards the circle point */
  gk__pose_roi_from_points(500, 400, 600, 400, &r);
  double m[6];
  gk__pose_roi_matrix(&r, 256, m);
  double cx = m[0] * 128 + m[1] * 128 + m[2], cy = m[3] * 128 + m[4] * 128 + m[5];
  CHECK_NEAR(cx, 500, 1e-9);
  CHECK_NEAR(cy, 400, 1e-9);
  double tx = m[0] * 128 + m[1] * 0 + m[2], ty = m[3] * 128 + m[4] * 0 + m[5];
  CHECK_NEAR(tx, 500 + r.w / 2, 1e-9); /* "up" in the input is +x here */
  CHECK_NEAR(ty, 400, 1e-9);
}

/* The heatmap refinement on an 8 x 8 heatmap of 3 channels, kernel 3.
   Logits of -100 give a confidence of exactly 0 in float, +100 exactly 1,
   0 one half. */
static void test_refine_heatmap(void) {
  enum { H = 8, W = 8, N = 3 };
  static float hm[H * W * N];
  for (int i = 0; i < H * W * N; i++) hm[i] = -100.0f;
#define HM(r, c, k) hm[((r) * W + (c)) * N + (k)]
  /* channel 0: confidence 1 at (row 3, col 4), 0.5 at (row 2, col 4) */
  HM(3, 4, 0) = 100.0f;
  HM(2, 4, 0) = 0.0f;
  /* channel 1: nothing above 0.27 (logit -1): below 0.5, not moved */
  for (int r = 0; r < H; r++)
    for (int c = 0; c < W; c++) HM(r, c, 1) = -1.0f;
  /* channel 2: all confident */
  for (int r = 0; r < H; r++)
    for (int c = 0; c < W; c++) HM(r, c, 2) = 100.0f;
  float uv[N][2] = {{0.40f, 0.40f}, {0.40f, 0.40f}, {-0.05f, 0.5f}};
  int moved = gk__pose_refine_heatmap(uv, N, hm, H, W, 3, 0.5f);
  CHECK_EQ_INT(moved, 2);
  /* landmark 0: cell (3, 3) (0.4 x 8 = 3.2), window rows and cols 2..4:
     weights 1 at col 4 row 3 and 0.5 at col 4 row 2, sum 1.5: col 4,
     row (3 + 2 x 0.5) / 1.5 = 2.667; / 8 */
  CHECK_NEAR(uv[0][0], 4.0 / 8, 1e-6);
  CHECK_NEAR(uv[0][1], (4.0 / 1.5) / 8, 1e-6);
  /* landmark 1: not confident enough, kept */
  CHECK_NEAR(uv[1][0], 0.40, 1e-7);
  CHECK_NEAR(uv[1][1], 0.40, 1e-7);
  /* landmark 2: -0.4 of a cell left of the edge truncates to column 0;
     the window is cut at the edge: cols 0..1, rows 3..5, all weight 1:
     col 0.5, row 4 */
  CHECK_NEAR(uv[2][0], 0.5 / 8, 1e-6);
  CHECK_NEAR(uv[2][1], 4.0 / 8, 1e-6);
  /* a point a whole cell or more outside, or NaN, is kept */
  float out[3][2] = {{1.2f, 0.5f}, {0.5f, -0.2f}, {NAN, 0.5f}};
  CHECK_EQ_INT(gk__pose_refine_heatmap(out, 3, hm, H, W, 3, 0.5f), 0);
  CHECK_NEAR(out[0][0], 1.2, 1e-7);
  CHECK_NEAR(out[1][1], -0.2, 1e-7);
  /* kernel 7 as the pose graph uses it: a single confident cell anywhere
     in the 7 x 7 window pulls the point onto it */
  for (int i = 0; i < H * W * N; i++) hm[i] = -100.0f;
  HM(6, 1, 0) = 100.0f;
  float k7[N][2] = {{0.45f, 0.45f}, {NAN, 0}, {NAN, 0}}; /* cell (3, 3) */
  CHECK_EQ_INT(gk__pose_refine_heatmap(k7, N, hm, H, W, 7, 0.5f), 1);
  CHECK_NEAR(k7[0][0], 1.0 / 8, 1e-6);
  CHECK_NEAR(k7[0][1], 6.0 / 8, 1e-6);
#undef HM
}

/* The one-euro filter.  With dt = 0.1 s, a cutoff of c0 = 1 / (2 pi 0.1)
   Hz gives tau = dt and a weight of 1/2 for the new value; 2 c0 gives
   2/3; 3 c0 gives 3/4. */
static void test_one_euro(void) {
  const double c0 = 1.0 / (2 * 3.14159265358979323846 * 0.1);
  gk__euro f;
  /* beta 0: a plain low-pass at c0 */
  gk__euro_init(&f, c0, 0, c0);
  CHECK_NEAR(gk__euro_apply(&f, 0.0, 1, 0), 0, 1e-12);  /* first passes */
  CHECK_NEAR(gk__euro_apply(&f, 0.1, 1, 10), 5, 1e-12);
  CHECK_NEAR(gk__euro_apply(&f, 0.2, 1, 10), 7.5, 1e-12);
  /* a time not after the last: passed as it is, nothing changes */
  CHECK_NEAR(gk__euro_apply(&f, 0.2, 1, 99), 99, 1e-12);
  CHECK_NEAR(gk__euro_apply(&f, 0.3, 1, 10), 8.75, 1e-12);
  /* beta 0.4 c0, value scale 0.1: at t = 0.1 the rate is 10 x 0.1 / 0.1
     = 10, smoothed (weight 1/2 at d_cutoff c0) 5, cutoff c0 + 0.4 c0 x 5
     = 3 c0: 3/4 of 10 = 7.5.  At t = 0.2 the rate is 0, smoothed 2.5,
     cutoff 2 c0: 2/3 x 10 + 1/3 x 7.5 */
  gk__euro_init(&f, c0, 0.4 * c0, c0);
  CHECK_NEAR(gk__euro_apply(&f, 0.0, 0.1, 0), 0, 1e-12);
  CHECK_NEAR(gk__euro_apply(&f, 0.1, 0.1, 10), 7.5, 1e-12);
  CHECK_NEAR(gk__euro_apply(&f, 0.2, 0.1, 10), 2.0 / 3 * 10 + 7.5 / 3, 1e-12);
  /* MediaPipe's auxiliary numbers (0.01 Hz, beta 10, 1 Hz) at 30
     frames/s, scale 1/500: still at 0 for a second, then a jump to 100.
     The rate 100 / 500 x 30 = 6 per second is smoothed with weight
     ad = 1 / (1 + 30 / 2 pi) to 6 ad; the cutoff 0.01 + 10 x 6 ad Hz
     weighs the new value a = 1 / (1 + 30 / (2 pi cutoff)) = 0.685 */
  gk__euro_init(&f, GK__POSE_AUX_MIN_CUTOFF, GK__POSE_AUX_BETA,
                GK__POSE_D_CUTOFF);
  double y = 0;
  for (int i = 0; i < 30; i++) y = gk__euro_apply(&f, i / 30.0, 1.0 / 500, 0);
  CHECK_NEAR(y, 0, 1e-12);
  y = gk__euro_apply(&f, 1.0, 1.0 / 500, 100);
  const double pi = 3.14159265358979323846;
  double ad = 1.0 / (1.0 + 30.0 / (2 * pi));
  double cut = 0.01 + 10.0 * 6.0 * ad;
  double a = 1.0 / (1.0 + 30.0 / (2 * pi * cut));
  CHECK_NEAR(y, 100 * a, 1e-9);
  CHECK_NEAR(a, 0.685, 0.001);
}

static void test_sums_file_agrees(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/models/SHA256SUMS", GK_SOURCE_DIR);
  FILE *f = fopen(path, "r");
  ASSERT_TRUE(f != NULL);
  char sum[80], name[256];
  int n = 0;
  while (fscanf(f, "%79s %255s", sum, name) == 2) {
    const char *want = gk__pose_model_sha256(name);
    CHECK_TRUE(want != NULL);
    if (want) CHECK_STR(sum, want);
    n++;
  }
  fclose(f);
  CHECK_EQ_INT(n, 4);
  CHECK_TRUE(gk__pose_model_sha256("other.tflite") == NULL);
}

static void test_model_names(void) {
  CHECK_EQ_INT(gk_pose_model_parse("lite"), GK_POSE_LITE);
  CHECK_EQ_INT(gk_pose_model_parse("full"), GK_POSE_FULL);
  CHECK_EQ_INT(gk_pose_model_parse("heavy"), GK_POSE_HEAVY);
  CHECK_EQ_INT(gk_pose_model_parse("Full"), -1);
  CHECK_STR(gk_pose_model_name(GK_POSE_HEAVY), "heavy");
}

static void test_missing_models_named(void) {
  gk_pose_options o;
  memset(&o, 0, sizeof o);
  o.models_dir = "/nonexistent/models";
  gk_pose *p = NULL;
  gk_err e;
  char file[512];
  CHECK_EQ_INT(gk_pose_new(&o, &p, &e, file, sizeof file), GK_E_NOT_FOUND);
  CHECK_TRUE(p == NULL);
  CHECK_STR(file, "/nonexistent/models/pose_solution_packed_assets.data");
  CHECK_TRUE(strstr(e.msg, "setup-models") != NULL);
}

/* Stills from the real clip: valid JPEGs of the asked size, in one pass;
   a frame past the end is an error. */
static void test_pictures(void) {
  const char *clip = GK_SHARED_DATA "/pose/videos/sports2d_demo.mp4";
  FILE *f = fopen(clip, "rb");
  if (f == NULL) {
    printf("SKIP test_pictures: %s is absent\n", clip);
    return;
  }
  fclose(f);
  int64_t frames[2] = {100, 10};
  double crops[2][4] = {{800, 300, 500, 500}, {-100, -100, 400, 400}};
  gk_buf j[2];
  memset(j, 0, sizeof j);
  gk_err e;
  ASSERT_EQ_INT(gk_pose_pictures_jpeg(clip, 2, frames, (const double(*)[4])crops,
                                      160, 120, j, &e),
                GK_OK);
  for (int k = 0; k < 2; k++) {
    const unsigned char *b = (const unsigned char *)j[k].data;
    ASSERT_TRUE(j[k].len > 1000);
    CHECK_TRUE(b[0] == 0xFF && b[1] == 0xD8);
    CHECK_TRUE(b[j[k].len - 2] == 0xFF && b[j[k].len - 1] == 0xD9);
    /* the frame size in the start-of-frame marker */
    size_t i = 2;
    int w = 0, h = 0;
    while (i + 9 < j[k].len && b[i] == 0xFF) {
      int m = b[i + 1], len = b[i + 2] << 8 | b[i + 3];
      if (m == 0xC0) {
        h = b[i + 5] << 8 | b[i + 6];
        w = b[i + 7] << 8 | b[i + 8];
        break;
      }
      i += 2 + (size_t)len;
    }
    CHECK_EQ_INT(w, 160);
    CHECK_EQ_INT(h, 120);
    gk_buf_free(&j[k]);
  }
  int64_t late = 5000;
  gk_buf one;
  memset(&one, 0, sizeof one);
  CHECK_EQ_INT(gk_pose_pictures_jpeg(clip, 1, &late, (const double(*)[4])crops,
                                     64, 64, &one, &e),
               GK_E_NOT_FOUND);
  gk_buf_free(&one);
}

/* The first pass (the detector every GK__POSE_SAMPLE_S, the runner chosen)
   with the pictures nothing refers to left out between samples, against
   the same pass decoding every picture, on an H.264 copy of the real clip
   with B frames (made here with ffmpeg): fewer pictures decoded, the same
   detector runs, and the same runner track point for point. */
static void test_first_pass_skip(void) {
  const char *clip = GK_SHARED_DATA "/pose/videos/sports2d_demo.mp4";
  char probe[600];
  snprintf(probe, sizeof probe, "%s/pose_solution_packed_assets.data",
           GK_MODELS_DIR);
  if (access(clip, R_OK) != 0 || access(probe, R_OK) != 0 ||
      system("ffmpeg -version >/dev/null 2>&1") != 0) {
    printf("SKIP test_first_pass_skip: needs %s, the models and ffmpeg\n",
           clip);
    return;
  }
  const char *base = getenv("TMPDIR");
  char dir[256], h264[400], cmd[1400];
  snprintf(dir, sizeof dir, "%s/gk_pose_XXXXXX", base && *base ? base : "/tmp");
  ASSERT_TRUE(mkdtemp(dir) != NULL);
  snprintf(h264, sizeof h264, "%s/demo_h264.mp4", dir);
  snprintf(cmd, sizeof cmd,
           "ffmpeg -nostdin -hide_banner -loglevel error -y -i '%s' -an "
           "-vf scale=640:-2 -c:v libx264 -bf 3 -pix_fmt yuv420p '%s'",
           clip, h264);
  ASSERT_TRUE(system(cmd) == 0);
  gk_pose_options o;
  memset(&o, 0, sizeof o);
  o.model = GK_POSE_LITE;
  o.models_dir = GK_MODELS_DIR;
  gk__pose_runner r[2];
  gk_pose_video_stats s[2];
  for (int k = 0; k < 2; k++) {
    gk_pose *p = NULL;
    gk_err e;
    memset(&e, 0, sizeof e);
    ASSERT_EQ_INT(gk_pose_new(&o, &p, &e, NULL, 0), GK_OK);
    memset(&r[k], 0, sizeof r[k]);
    memset(&s[k], 0, sizeof s[k]);
    double last = 0;
    CHECK_EQ_INT(gk__pose_first_pass(h264, p, k, &r[k], NULL, NULL, -1, &last,
                                     &s[k], &e),
                 GK_OK);
    gk_pose_free(p);
  }
  printf("  first pass: %lld pictures decoded of %lld, detector %lld times, "
         "%zu people, the runner in %zu samples (travel %.1f)\n",
         (long long)s[1].frames_first, (long long)s[0].frames_first,
         (long long)s[1].detector_runs_first, r[1].tracks, r[1].n,
         r[1].travel);
  CHECK_EQ_INT(s[0].frames_first, 230);
  CHECK_TRUE(s[1].frames_first < s[0].frames_first);
  CHECK_EQ_INT(s[1].detector_runs_first, s[0].detector_runs_first);
  /* the runner is found, the walker crossing the picture */
  CHECK_TRUE(r[1].n > 10);
  CHECK_TRUE(r[1].travel > 1);
  CHECK_EQ_INT(r[1].tracks, r[0].tracks);
  ASSERT_EQ_INT(r[1].n, r[0].n);
  int same = r[1].travel == r[0].travel;
  for (size_t i = 0; i < r[0].n; i++)
    same &= r[1].t[i] == r[0].t[i] && r[1].x[i] == r[0].x[i] &&
            r[1].y[i] == r[0].y[i] && r[1].size[i] == r[0].size[i];
  CHECK_TRUE(same);
  gk__pose_runner_free(&r[0]);
  gk__pose_runner_free(&r[1]);
  remove(h264);
  rmdir(dir);
}

/* The legs from the depth order (pose_legs.c) on made-up frames: a side
   view with the left leg nearer (z smaller), one frame whose labels the
   model swapped (left farther), one frame with both legs on one, then a
   second person far away in a front view (depths either way): the swapped
   frame is exchanged back, the collapsed frame keeps the near (left) leg
   and loses the far one, the front view is left as it is. */
static void put_frame(double *p, double *z, double x0, double spread,
                      double dz) {
  for (int i = 0; i < GK_POSE_LANDMARKS; i++) {
    p[i * 3] = x0, p[i * 3 + 1] = 100 + 5 * i, p[i * 3 + 2] = 0.9;
    z[i] = 0;
  }
  /* hips at y 500, knees 600, ankles 700, heels 710, toes 715 */
  static const double ys[5] = {500, 600, 700, 710, 715};
  for (int k = 0; k < 5; k++) {
    int l = 23 + 2 * k, r = 24 + 2 * k;
    double off = k == 0 ? 0 : spread;
    p[l * 3] = x0 + off, p[l * 3 + 1] = ys[k];
    p[r * 3] = x0 - off, p[r * 3 + 1] = ys[k];
    z[l] = -dz / 2, z[r] = dz / 2;
  }
}

static void test_legs_from_depth(void) {
  enum { NF = 20 };
  static double xyc[NF * GK_POSE_LANDMARKS * 3], z[NF * GK_POSE_LANDMARKS];
  for (int f = 0; f < NF; f++) {
    double *p = xyc + f * GK_POSE_LANDMARKS * 3, *zf = z + f * GK_POSE_LANDMARKS;
    if (f < 12)
      put_frame(p, zf, 300 + f, 40, 120); /* left nearer by 0.6 legs */
    else
      put_frame(p, zf, 1500, 40, (f % 2 ? 1 : -1) * 120); /* someone else */
  }
  put_frame(xyc + 4 * GK_POSE_LANDMARKS * 3, z + 4 * GK_POSE_LANDMARKS, 304,
            40, -120); /* frame 4: labels swapped */
  put_frame(xyc + 7 * GK_POSE_LANDMARKS * 3, z + 7 * GK_POSE_LANDMARKS, 307,
            3, 120); /* frame 7: both legs on one */
  double knee_l4 = xyc[(4 * GK_POSE_LANDMARKS + 25) * 3];
  static double raw[NF * GK_POSE_LANDMARKS * 3], rawz[NF * GK_POSE_LANDMARKS];
  memcpy(raw, xyc, sizeof raw);
  memcpy(rawz, z, sizeof rawz);
  gk__pose_legs legs;
  unsigned char what[NF];
  gk__pose_legs_repair(xyc, z, NF, &legs, what);
  CHECK_TRUE(legs.near == 0);
  CHECK_TRUE(legs.repaired == 1);
  CHECK_TRUE(legs.collapsed == 1);
  CHECK_TRUE(legs.found == NF);
  /* frame 4 exchanged back: its left knee is where the right one was */
  CHECK_NEAR(xyc[(4 * GK_POSE_LANDMARKS + 25) * 3], 304 - 40, 1e-12);
  CHECK_TRUE(knee_l4 == 304 + 40);
  CHECK_TRUE(z[4 * GK_POSE_LANDMARKS + 25] < 0);
  /* frame 7: the near (left) knee kept, the far (right) knee to toe out */
  CHECK_TRUE(!isnan(xyc[(7 * GK_POSE_LANDMARKS + 25) * 3]));
  for (int i = 26; i <= 32; i += 2)
    CHECK_TRUE(isnan(xyc[(7 * GK_POSE_LANDMARKS + i) * 3]));
  CHECK_TRUE(!isnan(xyc[(7 * GK_POSE_LANDMARKS + 24) * 3])); /* hips kept */
  /* the front-view person: nothing exchanged */
  CHECK_NEAR(xyc[(13 * GK_POSE_LANDMARKS + 25) * 3], 1540, 1e-12);
  CHECK_NEAR(xyc[(12 * GK_POSE_LANDMARKS + 25) * 3], 1540, 1e-12);
  /* what it did, frame by frame; done again to a frame's landmarks (the
     results written as keypoints), the same points, exchanged or out */
  for (int f = 0; f < NF; f++) {
    CHECK_EQ_INT(what[f], f == 4 ? GK__LEGS_SWAPPED
                          : f == 7 ? GK__LEGS_RIGHT_OUT : 0);
    double lm[GK_POSE_LANDMARKS][5];
    for (int i = 0; i < GK_POSE_LANDMARKS; i++) {
      const double *q = raw + (f * GK_POSE_LANDMARKS + i) * 3;
      lm[i][0] = q[0], lm[i][1] = q[1], lm[i][3] = q[2];
      lm[i][2] = rawz[f * GK_POSE_LANDMARKS + i], lm[i][4] = 1;
    }
    gk__pose_legs_apply(lm, what[f]);
    int same = 1;
    for (int i = 0; i < GK_POSE_LANDMARKS; i++) {
      const double *q = xyc + (f * GK_POSE_LANDMARKS + i) * 3;
      double zq = z[f * GK_POSE_LANDMARKS + i];
      if (isnan(q[0]) != isnan(lm[i][0]) ||
          (!isnan(q[0]) && (q[0] != lm[i][0] || q[1] != lm[i][1] ||
                            q[2] != lm[i][3] || zq != lm[i][2])))
        same = 0;
    }
    CHECK_TRUE(same);
  }
}

int main(void) {
  RUN(test_sha256_vectors);
  RUN(test_anchors);
  RUN(test_decode_and_nms);
  RUN(test_roi_geometry);
  RUN(test_refine_heatmap);
  RUN(test_one_euro);
  RUN(test_sums_file_agrees);
  RUN(test_model_names);
  RUN(test_missing_models_named);
  RUN(test_pictures);
  RUN(test_first_pass_skip);
  RUN(test_legs_from_depth);
  return TEST_SUMMARY();
}
