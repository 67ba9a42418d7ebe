/*
** kp_common.c -- keypoint models (labels), the frame sequence, and the
** build of a 2D capture: runner selection, tracking, left/right swap
** repair.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"
#include "formats/keypoints/kp_internal.h"

/* ---- labels ------------------------------------------------------------- */

static const char *const body25[25] = {
    "Nose",   "Neck",   "RShoulder", "RElbow",   "RWrist",    "LShoulder",
    "LElbow", "LWrist", "MidHip",    "RHip",     "RKnee",     "RAnkle",
    "LHip",   "LKnee",  "LAnkle",    "REye",     "LEye",      "REar",
    "LEar",   "LBigToe", "LSmallToe", "LHeel",   "RBigToe",   "RSmallToe",
    "RHeel"};

static const char *const coco18[18] = {
    "Nose", "Neck",  "RShoulder", "RElbow", "RWrist", "LShoulder",
    "LElbow", "LWrist", "RHip",  "RKnee",  "RAnkle", "LHip",
    "LKnee", "LAnkle", "REye",   "LEye",   "REar",   "LEar"};

static const char *const mp33[33] = {
    "Nose",      "LEyeInner", "LEye",      "LEyeOuter", "REyeInner",
    "REye",      "REyeOuter", "LEar",      "REar",      "LMouth",
    "RMouth",    "LShoulder", "RShoulder", "LElbow",    "RElbow",
    "LWrist",    "RWrist",    "LPinky",    "RPinky",    "LIndex",
    "RIndex",    "LThumb",    "RThumb",    "LHip",      "RHip",
    "LKnee",     "RKnee",     "LAnkle",    "RAnkle",    "LHeel",
    "RHeel",     "LFootIndex", "RFootIndex"};

static const char *const coco17[17] = {
    "Nose",   "LEye",   "REye",   "LEar",  "REar",  "LShoulder",
    "RShoulder", "LElbow", "RElbow", "LWrist", "RWrist", "LHip",
    "RHip",   "LKnee",  "RKnee",  "LAnkle", "RAnkle"};

const char *const gk__kp_mp_names[33] = {
    "nose",           "left_eye_inner", "left_eye",        "left_eye_outer",
    "right_eye_inner", "right_eye",     "right_eye_outer", "left_ear",
    "right_ear",      "mouth_left",     "mouth_right",     "left_shoulder",
    "right_shoulder", "left_elbow",     "right_elbow",     "left_wrist",
    "right_wrist",    "left_pinky",     "right_pinky",     "left_index",
    "right_index",    "left_thumb",     "right_thumb",     "left_hip",
    "right_hip",      "left_knee",      "right_knee",      "left_ankle",
    "right_ankle",    "left_heel",      "right_heel",      "left_foot_index",
    "right_foot_index"};

const char *const gk__kp_coco_names[17] = {
    "nose",       "left_eye",       "right_eye",  "left_ear",
    "right_ear",  "left_shoulder",  "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist",    "right_wrist", "left_hip",
    "right_hip",  "left_knee",      "right_knee", "left_ankle",
    "right_ankle"};

const char *const *gk_kp_labels(gk_kp_model model, size_t *n) {
  const char *const *t = NULL;
  size_t k = 0;
  switch (model) {
    case GK_KP_BODY25: t = body25, k = 25; break;
    case GK_KP_COCO18: t = coco18, k = 18; break;
    case GK_KP_MEDIAPIPE33: t = mp33, k = 33; break;
    case GK_KP_COCO17: t = coco17, k = 17; break;
    default: break;
  }
  if (n != NULL) *n = k;
  return t;
}

gk_kp_model gk_kp_model_of(const gk_capture *cap) {
  if (cap == NULL || cap->kind != GK_CAPTURE_2D) return GK_KP_UNKNOWN;
  for (int m = GK_KP_BODY25; m <= GK_KP_COCO17; m++) {
    size_t n;
    const char *const *t = gk_kp_labels((gk_kp_model)m, &n);
    if (n != cap->n_points) continue;
    size_t i = 0;
    while (i < n && cap->point_labels[i] && strcmp(cap->point_labels[i], t[i]) == 0)
      i++;
    if (i == n) return (gk_kp_model)m;
  }
  return GK_KP_UNKNOWN;
}

/* ---- the sequence ------------------------------------------------------- */

void gk__kp_seq_init(gk__kp_seq *s, gk_kp_model model) {
  memset(s, 0, sizeof *s);
  s->model = model;
  gk_kp_labels(model, &s->n_points);
}

void gk__kp_seq_free(gk__kp_seq *s) {
  free(s->frame_first);
  free(s->people);
  memset(s, 0, sizeof *s);
}

gk_status gk__kp_seq_frame(gk__kp_seq *s) {
  if (s->n_frames >= GK_MAX_KP_FRAMES) return GK_E_LIMIT;
  if (s->n_frames == s->cap_frames) {
    size_t nc = s->cap_frames ? s->cap_frames * 2 : 64;
    size_t *p = (size_t *)realloc(s->frame_first, nc * sizeof *p);
    if (p == NULL) return GK_E_NOMEM;
    s->frame_first = p;
    s->cap_frames = nc;
  }
  s->frame_first[s->n_frames++] = s->n_people;
  return GK_OK;
}

size_t gk__kp_seq_count(const gk__kp_seq *s, size_t f) {
  size_t end = f + 1 < s->n_frames ? s->frame_first[f + 1] : s->n_people;
  return end - s->frame_first[f];
}

double *gk__kp_seq_person(gk__kp_seq *s, gk_status *st) {
  if (s->n_frames == 0 || s->n_points == 0) {
    *st = GK_E_ARG;
    return NULL;
  }
  if (gk__kp_seq_count(s, s->n_frames - 1) >= GK_MAX_KP_PEOPLE ||
      s->n_people >= GK_MAX_KP_DETECTIONS) {
    *st = GK_E_LIMIT;
    return NULL;
  }
  size_t stride = s->n_points * 3;
  if (s->n_people == s->cap_people) {
    size_t nc = s->cap_people ? s->cap_people * 2 : 16, bytes;
    if (!gk__mul_ok(nc, stride * sizeof(double), &bytes)) {
      *st = GK_E_LIMIT;
      return NULL;
    }
    double *p = (double *)realloc(s->people, bytes);
    if (p == NULL) {
      *st = GK_E_NOMEM;
      return NULL;
    }
    s->people = p;
    s->cap_people = nc;
  }
  double *p = s->people + s->n_people++ * stride;
  for (size_t i = 0; i < stride; i++) p[i] = NAN;
  *st = GK_OK;
  return p;
}

const char *gk__kp_point(double *p, double x, double y, double c) {
  if (isinf(c) || c < 0 || c > GK_KP_CONF_MAX)
    return "keypoint confidence is not in 0..1";
  if (c > 1) c = 1; /* OpenPose writes up to ~1.03 */
  if (isinf(x) || isinf(y) || fabs(x) > GK_MAX_KP_COORD ||
      fabs(y) > GK_MAX_KP_COORD)
    return "keypoint coordinate is out of range";
  if (isnan(x) || isnan(y) || c == 0) {
    p[0] = p[1] = p[2] = NAN;
    return NULL;
  }
  p[0] = x;
  p[1] = y;
  p[2] = c;
  return NULL;
}

void gk__kp_line_col(const char *buf, size_t off, uint32_t *line,
                     uint32_t *col) {
  uint32_t ln = 1;
  size_t start = 0;
  for (size_t i = 0; i < off; i++)
    if (buf[i] == '\n') {
      if (ln < UINT32_MAX) ln++;
      start = i + 1;
    }
  *line = ln;
  size_t c = off - start + 1;
  *col = (uint32_t)(c > UINT32_MAX ? UINT32_MAX : c);
}

/* ---- tracking ----------------------------------------------------------- */

/* Bounding-box diagonal of the present points of a (x, y, c) person with
   the given stride (3 for sequence people, also used on xyz). */
static double bbox_diag(const double *p, size_t n, size_t stride) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const double *q = p + i * stride;
    if (isnan(q[0])) continue;
    k++;
    if (q[0] < x0) x0 = q[0];
    if (q[0] > x1) x1 = q[0];
    if (q[1] < y0) y0 = q[1];
    if (q[1] > y1) y1 = q[1];
  }
  return k ? hypot(x1 - x0, y1 - y0) : 0;
}

/* Start score: bbox diagonal x mean confidence (unknown counts as 1). */
static double start_score(const double *p, size_t n) {
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(p[i * 3])) continue;
    sum += isnan(p[i * 3 + 2]) ? 1.0 : p[i * 3 + 2];
    k++;
  }
  if (k == 0) return -1;
  /* a single point has no extent: rank by confidence alone, tiny */
  return (bbox_diag(p, n, 3) + 1e-9) * (sum / (double)k);
}

/* Mean distance between person p (x, y, c) and the tracked frame prev
   (x, y, z), over points present in both; NaN when none. */
static double mean_dist(const double *p, const double *prev, size_t n) {
  double sum = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const double *a = p + i * 3, *b = prev + i * 3;
    if (isnan(a[0]) || isnan(b[0])) continue;
    sum += hypot(a[0] - b[0], a[1] - b[1]);
    k++;
  }
  return k ? sum / (double)k : NAN;
}

/* The left/right partner of each point (or -1), from the labels. */
static void lr_pairs(const char *const *labels, size_t n, long *partner) {
  for (size_t i = 0; i < n; i++) {
    partner[i] = -1;
    const char *a = labels[i];
    if ((a[0] != 'L' && a[0] != 'R') || a[1] < 'A' || a[1] > 'Z') continue;
    for (size_t j = 0; j < n; j++) {
      const char *b = labels[j];
      if (b[0] == (a[0] == 'L' ? 'R' : 'L') && strcmp(a + 1, b + 1) == 0)
        partner[i] = (long)j;
    }
  }
}

/* Swap thresholds: swapped must be closer than SWAP_RATIO x unswapped, by
   at least SWAP_MIN_GAIN x the previous frame's bbox diagonal, over at
   least SWAP_MIN_POINTS paired points. */
#define SWAP_RATIO 0.5
#define SWAP_MIN_GAIN 0.05
#define SWAP_MIN_POINTS 4

static int should_swap(const double *cur, const double *prev, size_t n,
                       const long *partner) {
  double dn = 0, ds = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (partner[i] < 0) continue;
    const double *a = cur + i * 3, *b = prev + i * 3;
    const double *s = cur + (size_t)partner[i] * 3;
    if (isnan(a[0]) || isnan(b[0]) || isnan(s[0])) continue;
    dn += hypot(a[0] - b[0], a[1] - b[1]);
    ds += hypot(s[0] - b[0], s[1] - b[1]);
    k++;
  }
  if (k < SWAP_MIN_POINTS) return 0;
  dn /= (double)k;
  ds /= (double)k;
  double diag = bbox_diag(prev, n, 3);
  return ds < SWAP_RATIO * dn && dn - ds > SWAP_MIN_GAIN * diag;
}

gk_status gk__kp_build(const gk__kp_seq *s, const gk_kp_options *opt,
                       const char *format, int normalised, gk_capture **out) {
  static const gk_kp_options none;
  if (opt == NULL) opt = &none;
  *out = NULL;
  size_t n = s->n_points, nf = s->n_frames;
  const char *const *labels = gk_kp_labels(s->model, NULL);
  if (labels == NULL || n == 0 || n > GK_MAX_C3D_POINTS) return GK_E_ARG;
  size_t cells, vals;
  if (!gk__mul_ok(nf, n, &cells) || !gk__mul_ok(cells, 3, &vals) ||
      vals > GK_MAX_CAPTURE_VALUES)
    return GK_E_LIMIT;
  gk_capture *cap = gk__capture_new();
  if (cap == NULL) return GK_E_NOMEM;
  cap->kind = GK_CAPTURE_2D;
  cap->view = opt->view;
  cap->frame_rate_hz =
      (opt->fps > 0 && isfinite(opt->fps)) ? opt->fps : NAN;
  cap->n_frames = nf;
  cap->n_points = n;
  cap->xyz = gk__capture_nan_array(cap, vals);
  cap->residual = gk__capture_nan_array(cap, cells);
  cap->point_labels = (char **)gk__capture_alloc(cap, n * sizeof(char *));
  long partner[64];
  if (cap->xyz == NULL || cap->residual == NULL || cap->point_labels == NULL ||
      n > 64) {
    gk_capture_free(cap);
    return GK_E_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    cap->point_labels[i] = gk__capture_label(cap, labels[i], strlen(labels[i]));
    if (cap->point_labels[i] == NULL) {
      gk_capture_free(cap);
      return GK_E_NOMEM;
    }
  }
  lr_pairs(labels, n, partner);
  snprintf(cap->source.format, sizeof cap->source.format, "%s", format);
  snprintf(cap->source.units, sizeof cap->source.units, "%s",
           normalised ? "norm" : "px");
  cap->stats2d.normalised = normalised;

  const double *prev = NULL; /* last tracked frame, in cap->xyz */
  for (size_t f = 0; f < nf; f++) {
    size_t k = gk__kp_seq_count(s, f);
    if (k == 0) {
      cap->stats2d.empty_frames++;
      continue;
    }
    const double *first = s->people + s->frame_first[f] * n * 3;
    if (k > 1) cap->stats2d.multi_frames++;
    size_t best = 0;
    if (k > 1 && !(opt->flags & GK_KP_NO_TRACKING)) {
      double bd = INFINITY;
      int found = 0;
      if (prev != NULL)
        for (size_t j = 0; j < k; j++) {
          double d = mean_dist(first + j * n * 3, prev, n);
          if (!isnan(d) && d < bd) bd = d, best = j, found = 1;
        }
      if (!found) {
        double bs = -INFINITY;
        for (size_t j = 0; j < k; j++) {
          double sc = start_score(first + j * n * 3, n);
          if (sc > bs) bs = sc, best = j;
        }
      }
      if (best != 0) cap->stats2d.switches++;
    }
    const double *p = first + best * n * 3;
    double *dst = cap->xyz + f * n * 3;
    double *res = cap->residual + f * n;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
      if (isnan(p[i * 3])) continue;
      dst[i * 3] = p[i * 3];
      dst[i * 3 + 1] = p[i * 3 + 1];
      res[i] = p[i * 3 + 2];
      any = 1;
    }
    if (!any) continue; /* a person without points: not a tracked frame */
    if (prev != NULL && !(opt->flags & GK_KP_NO_SWAP_REPAIR) &&
        should_swap(dst, prev, n, partner)) {
      for (size_t i = 0; i < n; i++) {
        if (partner[i] <= (long)i) continue;
        size_t j = (size_t)partner[i];
        for (int a = 0; a < 3; a++) {
          double t = dst[i * 3 + a];
          dst[i * 3 + a] = dst[j * 3 + a];
          dst[j * 3 + a] = t;
        }
        double t = res[i];
        res[i] = res[j];
        res[j] = t;
      }
      cap->stats2d.lr_swaps++;
    }
    prev = dst;
  }
  *out = cap;
  return GK_OK;
}

gk_status gk_kp_capture_from_frames(gk_kp_model model, size_t nf,
                                   const double *xyc, const gk_kp_options *opt,
                                   const char *format, gk_capture **out,
                                   gk_err *err) {
  gk_err dummy;
  if (err == NULL) err = &dummy;
  memset(err, 0, sizeof *err);
  *out = NULL;
  gk__kp_seq s;
  gk__kp_seq_init(&s, model);
  gk_status st = s.n_points ? GK_OK : GK_E_ARG;
  for (size_t f = 0; st == GK_OK && f < nf; f++) {
    st = gk__kp_seq_frame(&s);
    if (st != GK_OK) break;
    const double *src = xyc + f * s.n_points * 3;
    int any = 0;
    for (size_t i = 0; i < s.n_points; i++)
      if (!isnan(src[i * 3])) any = 1;
    if (!any) continue;
    double *p = gk__kp_seq_person(&s, &st);
    if (p == NULL) break;
    for (size_t i = 0; i < s.n_points && st == GK_OK; i++) {
      const char *m = gk__kp_point(p + i * 3, src[i * 3], src[i * 3 + 1],
                                   src[i * 3 + 2]);
      if (m != NULL) {
        err->msg = m;
        err->offset = f;
        st = GK_E_CORRUPT;
      }
    }
  }
  if (st == GK_OK) st = gk__kp_build(&s, opt, format, 0, out);
  gk__kp_seq_free(&s);
  err->code = st;
  if (st != GK_OK && err->msg == NULL) err->msg = gk_strerror(st);
  return st;
}
