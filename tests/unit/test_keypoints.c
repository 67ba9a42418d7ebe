/*
** test_keypoints.c -- the 2D keypoint readers on constructed inputs:
** OpenPose BODY_25 / COCO-18 (told by length), empty frames, two people
** with tracking, a left/right swap repaired, MediaPipe CSV and JSON, COCO
** JSON and CSV, malformed and truncated input, out-of-range confidence,
** NaN and huge numbers.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/keypoints.h"
#include "test.h"

/* ---- builders ----------------------------------------------------------- */

typedef struct sb {
  char *s;
  size_t n, cap;
} sb;

static void put(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(sb *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0,
                      fmt, ap);
    va_end(ap);
    if (k < 0) abort();
    if (b->s && b->n + (size_t)k < b->cap) {
      b->n += (size_t)k;
      return;
    }
    b->cap = (b->cap + (size_t)k + 1) * 2;
    b->s = (char *)realloc(b->s, b->cap);
    if (b->s == NULL) abort();
  }
}

/* A person of n points: point i at (x0 + 10 i, y0 + 5 i), confidence 0.9;
   points listed in zero are given confidence 0. */
static void person(sb *b, size_t n, double x0, double y0, const double *xy) {
  put(b, "{\"person_id\":[-1],\"pose_keypoints_2d\":[");
  for (size_t i = 0; i < n; i++) {
    double x = xy ? xy[2 * i] : x0 + 10.0 * (double)i;
    double y = xy ? xy[2 * i + 1] : y0 + 5.0 * (double)i;
    put(b, "%s%.3f,%.3f,0.9", i ? "," : "", x, y);
  }
  put(b, "],\"face_keypoints_2d\":[]}");
}

static gk_status op(const char *s, gk_capture **c, gk_err *e) {
  return gk_openpose_read(s, strlen(s), NULL, c, e);
}

/* ---- OpenPose ----------------------------------------------------------- */

static void test_body25_and_coco18_by_length(void) {
  sb b = {0};
  put(&b, "{\"version\":1.3,\"people\":[");
  person(&b, 25, 100, 200, NULL);
  put(&b, "]}");
  gk_capture *c = NULL;
  gk_err e;
  ASSERT_EQ_INT(op(b.s, &c, &e), GK_OK);
  CHECK_EQ_INT(c->kind, GK_CAPTURE_2D);
  CHECK_EQ_INT(c->n_points, 25);
  CHECK_EQ_INT(c->n_frames, 1);
  CHECK_EQ_INT(gk_kp_model_of(c), GK_KP_BODY25);
  CHECK_STR(c->point_labels[0], "Nose");
  CHECK_STR(c->point_labels[24], "RHeel");
  CHECK_STR(c->source.units, "px");
  long k = gk_capture_find_point(c, "RKnee");
  CHECK_EQ_INT(k, 10);
  CHECK_NEAR(gk_capture_point(c, 0, 10)[0], 200, 1e-9);
  CHECK_NEAR(gk_capture_point(c, 0, 10)[1], 250, 1e-9);
  CHECK_TRUE(isnan(gk_capture_point(c, 0, 10)[2]));
  CHECK_NEAR(c->residual[10], 0.9, 1e-12);
  gk_capture_free(c);
  b.n = 0;
  put(&b, "{\"version\":1.3,\"people\":[");
  person(&b, 18, 100, 200, NULL);
  put(&b, "]}");
  ASSERT_EQ_INT(op(b.s, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_points, 18);
  CHECK_EQ_INT(gk_kp_model_of(c), GK_KP_COCO18);
  CHECK_STR(c->point_labels[8], "RHip");
  gk_capture_free(c);
  b.n = 0;
  put(&b, "{\"people\":[");
  person(&b, 17, 100, 200, NULL);
  put(&b, "]}");
  CHECK_EQ_INT(op(b.s, &c, &e), GK_E_UNSUPPORTED);
  CHECK_TRUE(c == NULL);
  free(b.s);
}

static void test_empty_people_and_zero_confidence(void) {
  gk_capture *c = NULL;
  gk_err e;
  ASSERT_EQ_INT(op("{\"version\":1.3,\"people\":[]}", &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 1);
  CHECK_EQ_INT(c->n_points, 25);
  CHECK_EQ_INT(c->stats2d.empty_frames, 1);
  for (size_t p = 0; p < 25; p++) {
    CHECK_TRUE(isnan(gk_capture_point(c, 0, p)[0]));
    CHECK_TRUE(isnan(c->residual[p]));
  }
  gk_capture_free(c);
  /* confidence 0 gives a gap, even with coordinates */
  sb b = {0};
  put(&b, "{\"people\":[{\"pose_keypoints_2d\":[5,6,0");
  for (int i = 1; i < 25; i++) put(&b, ",%d,%d,0.5", i, i);
  put(&b, "]}]}");
  ASSERT_EQ_INT(op(b.s, &c, &e), GK_OK);
  CHECK_TRUE(isnan(gk_capture_point(c, 0, 0)[0]));
  CHECK_TRUE(isnan(c->residual[0]));
  CHECK_NEAR(gk_capture_point(c, 0, 1)[0], 1, 0);
  gk_capture_free(c);
  free(b.s);
}

static void test_malformed_truncated(void) {
  gk_capture *c = (gk_capture *)1;
  gk_err e;
  CHECK_EQ_INT(op("{\"people\":[{]}", &c, &e), GK_E_CORRUPT);
  CHECK_TRUE(c == NULL);
  CHECK_STR(e.msg, "keypoint JSON syntax error");
  CHECK_EQ_INT(e.line, 1);
  CHECK_TRUE(e.offset > 0 && e.offset <= 14);
  CHECK_EQ_INT(op("{\"people\":\n[{\"pose_keypoints_2d\":[1,2", &c, &e),
               GK_E_TRUNCATED);
  CHECK_EQ_INT(e.line, 2);
  CHECK_EQ_INT(op("", &c, &e), GK_E_TRUNCATED);
  CHECK_EQ_INT(op("{\"people\":{}}", &c, &e), GK_E_CORRUPT);
  CHECK_EQ_INT(op("[]", &c, &e), GK_E_CORRUPT);
  CHECK_EQ_INT(op("{\"people\":[]} x", &c, &e), GK_E_CORRUPT);
  CHECK_EQ_INT(e.offset, 14);
  CHECK_EQ_INT(op("{\"people\":[{\"pose_keypoints_2d\":\"no\"}]}", &c, &e),
               GK_E_CORRUPT);
  CHECK_EQ_INT(op("{\"people\":[{\"pose_keypoints_2d\":[1,2,\"3\"]}]}", &c,
                  &e),
               GK_E_UNSUPPORTED); /* 3 values: not a model */
  {
    sb b = {0};
    put(&b, "{\"people\":[{\"pose_keypoints_2d\":[1,2,\"0.5\"");
    for (int i = 1; i < 25; i++) put(&b, ",%d,%d,0.5", i, i);
    put(&b, "]}]}");
    CHECK_EQ_INT(op(b.s, &c, &e), GK_E_CORRUPT);
    CHECK_STR(e.msg, "keypoint array holds a non-number");
    free(b.s);
  }
  CHECK_TRUE(c == NULL);
}

static void test_confidence_and_numbers(void) {
  const char *bad[] = {"1.5", "-0.1", "1e999"};
  gk_capture *c;
  gk_err e;
  for (size_t k = 0; k < 3; k++) {
    sb b = {0};
    put(&b, "{\"people\":[{\"pose_keypoints_2d\":[1,2,%s", bad[k]);
    for (int i = 1; i < 25; i++) put(&b, ",%d,%d,0.5", i, i);
    put(&b, "]}]}");
    CHECK_EQ_INT(op(b.s, &c, &e), GK_E_CORRUPT);
    CHECK_STR(e.msg, "keypoint confidence is not in 0..1");
    free(b.s);
  }
  /* 1.02 (OpenPose rounding) reads as 1; a huge coordinate is refused */
  sb b = {0};
  put(&b, "{\"people\":[{\"pose_keypoints_2d\":[1,2,1.02");
  for (int i = 1; i < 25; i++) put(&b, ",%d,%d,0.5", i, i);
  put(&b, "]}]}");
  ASSERT_EQ_INT(op(b.s, &c, &e), GK_OK);
  CHECK_NEAR(c->residual[0], 1.0, 0);
  gk_capture_free(c);
  b.n = 0;
  put(&b, "{\"people\":[{\"pose_keypoints_2d\":[1e300,2,0.5");
  for (int i = 1; i < 25; i++) put(&b, ",%d,%d,0.5", i, i);
  put(&b, "]}]}");
  CHECK_EQ_INT(op(b.s, &c, &e), GK_E_CORRUPT);
  CHECK_STR(e.msg, "keypoint coordinate is out of range");
  /* NaN is not JSON */
  b.n = 0;
  put(&b, "{\"people\":[{\"pose_keypoints_2d\":[NaN,2,0.5]}]}");
  CHECK_EQ_INT(op(b.s, &c, &e), GK_E_CORRUPT);
  free(b.s);
}

/* ---- tracking and swaps (COCO JSON: several frames in one buffer) ------- */

/* A COCO-17 detection: a standing figure at x0 (points spread +-40 px),
   with left and right optionally exchanged. */
static void coco_det(sb *b, int image_id, double x0, int swapped, int first) {
  /* x offsets: left points at x0 + 40, right at x0 - 40 */
  static const int side[17] = {0, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1,
                               1, -1, 1, -1, 1, -1};
  put(b, "%s{\"image_id\":%d,\"category_id\":1,\"keypoints\":[", first ? "" : ",",
      image_id);
  for (int i = 0; i < 17; i++) {
    int sd = swapped ? -side[i] : side[i];
    put(b, "%s%.1f,%.1f,0.8", i ? "," : "", x0 + 40.0 * sd, 100.0 + 30.0 * i);
  }
  put(b, "],\"score\":0.9}");
}

static void test_two_people_tracking(void) {
  sb b = {0};
  put(&b, "[");
  /* frame 0: runner at 500 (bigger), bystander at 1500 (smaller: 0 spread
     is impossible here, so give it the same shape but listed first) */
  coco_det(&b, 0, 1500, 0, 1);
  coco_det(&b, 0, 500, 0, 0);
  /* the runner moves 20 px per frame; the bystander stays */
  for (int f = 1; f < 6; f++) {
    coco_det(&b, f, 1500, 0, 0);
    coco_det(&b, f, 500 + 20.0 * f, 0, 0);
  }
  put(&b, "]");
  gk_capture *c;
  gk_err e;
  ASSERT_EQ_INT(gk_coco_read_json(b.s, b.n, NULL, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 6);
  CHECK_EQ_INT(c->n_points, 17);
  CHECK_EQ_INT(c->stats2d.multi_frames, 6);
  /* equal boxes and confidences: the first listed starts; then tracked */
  double x0 = gk_capture_point(c, 0, 0)[0];
  for (size_t f = 1; f < 6; f++)
    CHECK_TRUE(fabs(gk_capture_point(c, f, 0)[0] - x0) <= 20.0 + 1e-9 ||
               fabs(gk_capture_point(c, f, 0)[0] - gk_capture_point(c, f - 1, 0)[0]) <= 20.0 + 1e-9);
  gk_capture_free(c);

  /* The runner is the larger person: starts on it, stays on it. */
  b.n = 0;
  put(&b, "[");
  for (int f = 0; f < 4; f++) {
    /* small bystander: all points within 10 px */
    put(&b, "%s{\"image_id\":%d,\"keypoints\":[", f ? "," : "", f);
    for (int i = 0; i < 17; i++) put(&b, "%s%d,%d,0.9", i ? "," : "", 1500 + (i % 3), 300 + (i % 5));
    put(&b, "]}");
    coco_det(&b, f, 500 + 20.0 * f, 0, 0);
  }
  put(&b, "]");
  ASSERT_EQ_INT(gk_coco_read_json(b.s, b.n, NULL, &c, &e), GK_OK);
  for (size_t f = 0; f < 4; f++)
    CHECK_NEAR(gk_capture_point(c, f, 0)[0], 500 + 20.0 * (double)f, 1e-9);
  CHECK_EQ_INT(c->stats2d.switches, 4);
  gk_capture_free(c);
  /* without tracking, the first listed person is kept */
  gk_kp_options o = {0};
  o.flags = GK_KP_NO_TRACKING;
  ASSERT_EQ_INT(gk_coco_read_json(b.s, b.n, &o, &c, &e), GK_OK);
  CHECK_NEAR(gk_capture_point(c, 0, 0)[0], 1500, 1e-9);
  gk_capture_free(c);
  free(b.s);
}

static void test_lr_swap_repaired(void) {
  sb b = {0};
  put(&b, "[");
  coco_det(&b, 10, 500, 0, 1);
  coco_det(&b, 11, 505, 0, 0);
  coco_det(&b, 12, 510, 1, 0); /* the estimator swapped L and R */
  coco_det(&b, 13, 515, 0, 0);
  /* image 14 missing: an empty frame */
  coco_det(&b, 15, 520, 0, 0);
  put(&b, "]");
  gk_capture *c;
  gk_err e;
  ASSERT_EQ_INT(gk_coco_read_json(b.s, b.n, NULL, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 6);
  CHECK_EQ_INT(c->first_frame, 10);
  CHECK_EQ_INT(c->stats2d.lr_swaps, 1);
  CHECK_EQ_INT(c->stats2d.empty_frames, 1);
  long lk = gk_capture_find_point(c, "LKnee");
  ASSERT_TRUE(lk >= 0);
  for (size_t f = 0; f < 4; f++)
    CHECK_NEAR(gk_capture_point(c, f, (size_t)lk)[0], 540 + 5.0 * (double)f,
               1e-9);
  CHECK_TRUE(isnan(gk_capture_point(c, 4, (size_t)lk)[0]));
  CHECK_NEAR(gk_capture_point(c, 5, (size_t)lk)[0], 560, 1e-9);
  gk_capture_free(c);
  gk_kp_options o = {0};
  o.flags = GK_KP_NO_SWAP_REPAIR;
  ASSERT_EQ_INT(gk_coco_read_json(b.s, b.n, &o, &c, &e), GK_OK);
  CHECK_EQ_INT(c->stats2d.lr_swaps, 0);
  CHECK_NEAR(gk_capture_point(c, 2, (size_t)lk)[0], 470, 1e-9);
  gk_capture_free(c);
  free(b.s);
}

static void test_coco_json_errors(void) {
  gk_capture *c;
  gk_err e;
  const char *bad[] = {
      "{}", "[{\"image_id\":\"a\",\"keypoints\":[]}]",
      "[{\"image_id\":1.5,\"keypoints\":[]}]",
      "[{\"image_id\":1,\"keypoints\":[1,2,3]}]",
      "[{\"image_id\":1,\"keypoints\":[],\"score\":\"x\"}]",
      "[{\"image_id\":-1,\"keypoints\":[]}]"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    CHECK_EQ_INT(gk_coco_read_json(bad[k], strlen(bad[k]), NULL, &c, &e),
                 GK_E_CORRUPT);
    CHECK_TRUE(c == NULL);
  }
  /* a visibility flag of 2 (ground truth) is not a confidence */
  sb b = {0};
  put(&b, "[{\"image_id\":1,\"keypoints\":[");
  for (int i = 0; i < 17; i++) put(&b, "%s%d,%d,2", i ? "," : "", i, i);
  put(&b, "]}]");
  CHECK_EQ_INT(gk_coco_read_json(b.s, b.n, NULL, &c, &e), GK_E_CORRUPT);
  /* too large a jump of image_id */
  b.n = 0;
  put(&b, "[");
  coco_det(&b, 0, 500, 0, 1);
  coco_det(&b, 100000, 500, 0, 0);
  put(&b, "]");
  CHECK_EQ_INT(gk_coco_read_json(b.s, b.n, NULL, &c, &e), GK_E_LIMIT);
  free(b.s);
}

/* ---- MediaPipe ---------------------------------------------------------- */

static void mp_row(sb *b, int frame, double base) {
  put(b, "%d", frame);
  for (int i = 0; i < 33; i++)
    put(b, ",%.4f,%.4f,%.4f,%.3f", base + 0.01 * i, 0.2 + 0.02 * i, -0.1,
        i == 5 ? 0.0 : 0.95);
  put(b, "\n");
}

static void test_mediapipe_csv(void) {
  /* header x0,y0,z0,v0 ... */
  sb b = {0};
  put(&b, "frame");
  for (int i = 0; i < 33; i++) put(&b, ",x%d,y%d,z%d,v%d", i, i, i, i);
  put(&b, "\r\n");
  mp_row(&b, 3, 0.3);
  mp_row(&b, 4, 0.31);
  mp_row(&b, 6, 0.32); /* frame 5 missing */
  gk_capture *c;
  gk_err e;
  ASSERT_EQ_INT(gk_mediapipe_read_csv(b.s, b.n, NULL, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 4);
  CHECK_EQ_INT(c->n_points, 33);
  CHECK_EQ_INT(c->first_frame, 3);
  CHECK_EQ_INT(c->stats2d.normalised, 1);
  CHECK_STR(c->source.units, "norm");
  CHECK_EQ_INT(c->stats2d.empty_frames, 1);
  CHECK_EQ_INT(gk_kp_model_of(c), GK_KP_MEDIAPIPE33);
  CHECK_NEAR(gk_capture_point(c, 0, 0)[0], 0.3, 1e-12);
  CHECK_TRUE(isnan(gk_capture_point(c, 0, 0)[2]));
  CHECK_TRUE(isnan(gk_capture_point(c, 0, 5)[0])); /* visibility 0 */
  CHECK_TRUE(isnan(gk_capture_point(c, 2, 0)[0]));
  CHECK_STR(c->point_labels[31], "LFootIndex");
  gk_capture_free(c);
  /* scaled to pixels; named header; no header */
  gk_kp_options o = {0};
  o.image_width = 1920;
  o.image_height = 1080;
  o.fps = 60;
  sb h = {0};
  put(&h, "frame");
  size_t nn;
  (void)gk_kp_labels(GK_KP_MEDIAPIPE33, &nn);
  static const char *const names[33] = {
      "nose", "left_eye_inner", "left_eye", "left_eye_outer",
      "right_eye_inner", "right_eye", "right_eye_outer", "left_ear",
      "right_ear", "mouth_left", "mouth_right", "left_shoulder",
      "right_shoulder", "left_elbow", "right_elbow", "left_wrist",
      "right_wrist", "left_pinky", "right_pinky", "left_index",
      "right_index", "left_thumb", "right_thumb", "left_hip", "right_hip",
      "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
      "right_heel", "left_foot_index", "right_foot_index"};
  for (int i = 0; i < 33; i++)
    put(&h, ",%s_x,%s_y,%s_z,%s_visibility", names[i], names[i], names[i],
        names[i]);
  put(&h, "\n");
  mp_row(&h, 0, 0.5);
  ASSERT_EQ_INT(gk_mediapipe_read_csv(h.s, h.n, &o, &c, &e), GK_OK);
  CHECK_EQ_INT(c->stats2d.normalised, 0);
  CHECK_NEAR(c->frame_rate_hz, 60, 0);
  CHECK_NEAR(gk_capture_point(c, 0, 0)[0], 960, 1e-9);
  CHECK_NEAR(gk_capture_point(c, 0, 0)[1], 216, 1e-9);
  gk_capture_free(c);
  sb r = {0};
  mp_row(&r, 0, 0.5);
  ASSERT_EQ_INT(gk_mediapipe_read_csv(r.s, r.n, NULL, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 1);
  gk_capture_free(c);
  /* a wrong header names the cell */
  char *w = strstr(h.s, "left_knee_y");
  ASSERT_TRUE(w != NULL);
  w[10] = 'q';
  CHECK_EQ_INT(gk_mediapipe_read_csv(h.s, h.n, NULL, &c, &e),
               GK_E_UNSUPPORTED);
  CHECK_EQ_INT(e.line, 1);
  CHECK_EQ_INT(e.offset, (size_t)(w - h.s));
  /* too few cells, truncated last line */
  CHECK_EQ_INT(gk_mediapipe_read_csv(r.s, r.n - 20, NULL, &c, &e),
               GK_E_CORRUPT);
  CHECK_STR(e.msg, "keypoint CSV row has too few cells");
  /* a non-number on line 2 */
  sb t = {0};
  mp_row(&t, 0, 0.5);
  mp_row(&t, 1, 0.5);
  char *q = strchr(strchr(t.s, '\n') + 1, ',') + 1;
  *q = 'x';
  CHECK_EQ_INT(gk_mediapipe_read_csv(t.s, t.n, NULL, &c, &e), GK_E_CORRUPT);
  CHECK_EQ_INT(e.line, 2);
  CHECK_EQ_INT(e.col, (uint32_t)(q - strchr(t.s, '\n')));
  free(b.s);
  free(h.s);
  free(r.s);
  free(t.s);
}

static void test_mediapipe_json(void) {
  sb b = {0};
  put(&b, "[[");
  for (int i = 0; i < 33; i++)
    put(&b, "%s{\"x\":%.3f,\"y\":0.5,\"z\":-0.2,\"visibility\":0.9}",
        i ? "," : "", 0.1 + 0.01 * i);
  put(&b, "],[]]");
  gk_capture *c;
  gk_err e;
  ASSERT_EQ_INT(gk_mediapipe_read_json(b.s, b.n, NULL, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 2);
  CHECK_EQ_INT(c->stats2d.empty_frames, 1);
  CHECK_NEAR(gk_capture_point(c, 0, 2)[0], 0.12, 1e-12);
  CHECK_NEAR(c->residual[2], 0.9, 1e-12);
  gk_capture_free(c);
  const char *bad[] = {"{}", "[[{\"x\":1}]]", "[[1,2]]", "[{}]",
                       "[[{\"x\":\"1\",\"y\":2}]]"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    CHECK_EQ_INT(gk_mediapipe_read_json(bad[k], strlen(bad[k]), NULL, &c, &e),
                 GK_E_CORRUPT);
  free(b.s);
}

/* ---- COCO CSV ----------------------------------------------------------- */

static void test_coco_csv(void) {
  sb b = {0};
  put(&b, "frame");
  for (int i = 0; i < 17; i++) put(&b, ",x%d,y%d,c%d", i, i, i);
  put(&b, "\n");
  for (int f = 0; f < 3; f++) {
    put(&b, "%d", f);
    for (int i = 0; i < 17; i++)
      put(&b, ",%d,%d,%s", 100 + f + i, 200 + i, i == 3 ? "" : "0.7");
    put(&b, "\n");
  }
  put(&b, "3");
  for (int i = 0; i < 17; i++) put(&b, ",nan,nan,0");
  put(&b, "\n");
  gk_capture *c;
  gk_err e;
  ASSERT_EQ_INT(gk_coco_read_csv(b.s, b.n, NULL, &c, &e), GK_OK);
  CHECK_EQ_INT(c->n_frames, 4);
  CHECK_EQ_INT(gk_kp_model_of(c), GK_KP_COCO17);
  CHECK_NEAR(gk_capture_point(c, 2, 1)[0], 103, 0);
  CHECK_TRUE(isnan(c->residual[3]));        /* no confidence: unknown */
  CHECK_NEAR(gk_capture_point(c, 0, 3)[0], 103, 0);
  CHECK_TRUE(isnan(gk_capture_point(c, 3, 0)[0]));
  gk_capture_free(c);
  /* out-of-range confidence, inf, huge, backwards frames */
  const char *cells[] = {"1.5", "-1", "inf"};
  for (size_t k = 0; k < 3; k++) {
    sb t = {0};
    put(&t, "0");
    for (int i = 0; i < 17; i++) put(&t, ",1,2,%s", i == 16 ? cells[k] : "0.5");
    CHECK_EQ_INT(gk_coco_read_csv(t.s, t.n, NULL, &c, &e), GK_E_CORRUPT);
    CHECK_STR(e.msg, "keypoint confidence is not in 0..1");
    free(t.s);
  }
  sb t = {0};
  put(&t, "5");
  for (int i = 0; i < 17; i++) put(&t, ",1e30,2,0.5");
  put(&t, "\n4");
  for (int i = 0; i < 17; i++) put(&t, ",1,2,0.5");
  CHECK_EQ_INT(gk_coco_read_csv(t.s, t.n, NULL, &c, &e), GK_E_CORRUPT);
  CHECK_STR(e.msg, "keypoint coordinate is out of range");
  for (char *w; (w = strstr(t.s, "1e30")) != NULL;) memcpy(w, "1e00", 4);
  CHECK_EQ_INT(gk_coco_read_csv(t.s, t.n, NULL, &c, &e), GK_E_CORRUPT);
  CHECK_STR(e.msg, "keypoint CSV frame numbers go backwards");
  CHECK_EQ_INT(e.line, 2);
  CHECK_EQ_INT(e.col, 1);
  free(t.s);
  free(b.s);
}

static void test_labels(void) {
  size_t n;
  const char *const *l = gk_kp_labels(GK_KP_BODY25, &n);
  CHECK_EQ_INT(n, 25);
  CHECK_STR(l[8], "MidHip");
  CHECK_STR(l[21], "LHeel");
  CHECK_TRUE(gk_kp_labels(GK_KP_UNKNOWN, &n) == NULL);
  CHECK_EQ_INT(n, 0);
  /* every L* label of every model has its R* partner */
  for (int m = GK_KP_BODY25; m <= GK_KP_COCO17; m++) {
    l = gk_kp_labels((gk_kp_model)m, &n);
    for (size_t i = 0; i < n; i++) {
      if (l[i][0] != 'L') continue;
      int found = 0;
      for (size_t j = 0; j < n; j++)
        if (l[j][0] == 'R' && strcmp(l[j] + 1, l[i] + 1) == 0) found = 1;
      CHECK_TRUE(found);
    }
  }
}

/* ---- the fuzz seeds: y_* read by a reader, n_* refused by all --------- */

#ifndef GK_TEST_DATA
#define GK_TEST_DATA "tests/data"
#endif
#include <dirent.h>

typedef gk_status (*reader)(const void *, size_t, const gk_kp_options *,
                            gk_capture **, gk_err *);

static void seeds(const char *sub, const reader *rd, size_t nrd) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/%s", GK_TEST_DATA, sub);
  DIR *d = opendir(dir);
  ASSERT_TRUE(d != NULL);
  struct dirent *de;
  int seen = 0;
  while ((de = readdir(d)) != NULL) {
    int y = strncmp(de->d_name, "y_", 2) == 0;
    if (!y && strncmp(de->d_name, "n_", 2) != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    FILE *f = fopen(path, "rb");
    if (!CHECK_TRUE(f != NULL)) continue;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int ok = 0;
    for (size_t k = 0; k < nrd; k++) {
      gk_capture *c = NULL;
      gk_err e;
      if (rd[k](buf, n, NULL, &c, &e) == GK_OK) ok = 1;
      gk_capture_free(c);
    }
    if (ok != y) fprintf(stderr, "  seed %s: %s\n", de->d_name,
                         y ? "refused" : "read");
    CHECK_EQ_INT(ok, y);
    seen++;
  }
  closedir(d);
  CHECK_TRUE(seen >= 8);
}

static void test_seeds(void) {
  const reader json[] = {gk_openpose_read, gk_mediapipe_read_json,
                         gk_coco_read_json};
  const reader csv[] = {gk_mediapipe_read_csv, gk_coco_read_csv};
  seeds("openpose", json, 3);
  seeds("kpcsv", csv, 2);
}

int main(void) {
  RUN(test_body25_and_coco18_by_length);
  RUN(test_empty_people_and_zero_confidence);
  RUN(test_malformed_truncated);
  RUN(test_confidence_and_numbers);
  RUN(test_two_people_tracking);
  RUN(test_lr_swap_repaired);
  RUN(test_coco_json_errors);
  RUN(test_mediapipe_csv);
  RUN(test_mediapipe_json);
  RUN(test_coco_csv);
  RUN(test_labels);
  RUN(test_seeds);
  return TEST_SUMMARY();
}
