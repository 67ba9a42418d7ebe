/*
** blazepose.c -- the BlazePose pipeline on one frame, as MediaPipe's pose
** graph runs it (pose_detection, pose_detection_to_roi, pose_landmark_by_roi,
** pose_landmarks_to_roi):
**
**   detector (224 x 224, letterboxed, RGB in -1..1): 2254 SSD anchors, boxes
**   and 4 keypoints each, sigmoid scores >= 0.5, weighted non-maximum
**   suppression at IoU 0.3;
**   region: centred on keypoint 0 (hips' midpoint), side 2 x the distance to
**   keypoint 1 (the full-body circle), turned so that keypoint 1 is straight
**   above keypoint 0, then scaled by 1.25 (square);
**   landmark model (256 x 256 of that region, RGB in 0..1): 39 landmarks
**   (x, y, z in input pixels; visibility and presence as logits) and the pose
**   presence (already a probability);
**   heatmap refinement (RefineLandmarksFromHeatmap, kernel 7, min
**   confidence 0.5): each landmark moves to the confidence-weighted mean of
**   the 7 x 7 cells of its 64 x 64 heatmap channel around it;
**   next region: the same construction from landmarks 33 (centre) and 34
**   (circle point), optionally one-euro smoothed first (the legacy pose
**   graph's PoseLandmarkFiltering; tasks-vision's PoseLandmarker uses them
**   unsmoothed); the detector runs again when presence < 0.5;
**   smoothing of the 33 landmarks (one-euro, MediaPipe's VIDEO mode),
**   optional and beside the unsmoothed ones, which the gait capture takes:
**   docs/FORMATS.md, "Pose from video".
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/pose.h"
#include "pose/pose_internal.h"

#define DET_SIZE 224
#define LM_SIZE 256
#define HM_SIZE 64
#define HM_KERNEL 7
#define HM_MIN_CONF 0.5f
#define DET_COORDS 12
#define ROI_SCALE 1.25
#define NMS_IOU 0.3f
#define SCORE_CLIP 100.0f
#define PI 3.14159265358979323846

/* ---- anchors -------------------------------------------------------------
** SsdAnchorsCalculator with pose_detection's options: 5 layers, strides 8,
** 16, 32, 32, 32 on a 224 input, aspect ratio 1 plus the interpolated
** scale, fixed anchor size (w = h = 1), offset 0.5.  Layers of one stride
** share their grid: 28x28x2 + 14x14x2 + 7x7x6 = 2254 anchors.
*/
void gk_pose_anchors(float xy[GK_POSE_ANCHORS][2]) {
  static const int strides[5] = {8, 16, 32, 32, 32};
  size_t k = 0;
  int layer = 0;
  while (layer < 5) {
    int last = layer;
    while (last + 1 < 5 && strides[last + 1] == strides[layer]) last++;
    int per_cell = 2 * (last - layer + 1);
    int fm = (DET_SIZE + strides[layer] - 1) / strides[layer];
    for (int y = 0; y < fm; y++)
      for (int x = 0; x < fm; x++)
        for (int a = 0; a < per_cell; a++) {
          if (k >= GK_POSE_ANCHORS) return;
          xy[k][0] = ((float)x + 0.5f) / (float)fm;
          xy[k][1] = ((float)y + 0.5f) / (float)fm;
          k++;
        }
    layer = last + 1;
  }
}

/* ---- decoding and suppression ------------------------------------------ */

static float iou(const float a[4], const float b[4]) {
  float ax0 = a[0] - a[2] / 2, ax1 = a[0] + a[2] / 2;
  float ay0 = a[1] - a[3] / 2, ay1 = a[1] + a[3] / 2;
  float bx0 = b[0] - b[2] / 2, bx1 = b[0] + b[2] / 2;
  float by0 = b[1] - b[3] / 2, by1 = b[1] + b[3] / 2;
  float iw = fminf(ax1, bx1) - fmaxf(ax0, bx0);
  float ih = fminf(ay1, by1) - fmaxf(ay0, by0);
  if (!(iw > 0) || !(ih > 0)) return 0;
  float inter = iw * ih;
  float uni = a[2] * a[3] + b[2] * b[3] - inter;
  return uni > 0 ? inter / uni : 0;
}

size_t gk_pose_decode(const float *boxes, const float *scores, float min_score,
                      gk_pose_detection *out, size_t max) {
  /* made here each time (2254 cells, a few microseconds beside the
     detector's milliseconds): no shared state between threads */
  float anchors[GK_POSE_ANCHORS][2];
  gk_pose_anchors(anchors);
  /* candidates above the threshold, kept as indices sorted by score */
  int idx[GK_POSE_ANCHORS];
  float sc[GK_POSE_ANCHORS];
  size_t n = 0;
  for (size_t i = 0; i < GK_POSE_ANCHORS; i++) {
    float r = scores[i];
    if (isnan(r)) continue;
    if (r > SCORE_CLIP) r = SCORE_CLIP;
    if (r < -SCORE_CLIP) r = -SCORE_CLIP;
    float s = 1.0f / (1.0f + expf(-r));
    if (s < min_score) continue;
    /* insertion keeps it sorted; candidates are few (tens) */
    size_t j = n++;
    while (j > 0 && sc[j - 1] < s) {
      sc[j] = sc[j - 1];
      idx[j] = idx[j - 1];
      j--;
    }
    sc[j] = s;
    idx[j] = (int)i;
  }
  gk_pose_detection cand[GK_POSE_ANCHORS > 256 ? 256 : GK_POSE_ANCHORS];
  if (n > 256) n = 256;
  for (size_t c = 0; c < n; c++) {
    const float *raw = boxes + (size_t)idx[c] * DET_COORDS;
    const float *an = anchors[idx[c]];
    gk_pose_detection *d = &cand[c];
    d->score = sc[c];
    d->box[0] = raw[0] / DET_SIZE + an[0];
    d->box[1] = raw[1] / DET_SIZE + an[1];
    d->box[2] = raw[2] / DET_SIZE;
    d->box[3] = raw[3] / DET_SIZE;
    for (int k = 0; k < 4; k++) {
      d->kp[k][0] = raw[4 + 2 * k] / DET_SIZE + an[0];
      d->kp[k][1] = raw[5 + 2 * k] / DET_SIZE + an[1];
    }
  }
  /* weighted NMS: the best remaining box and all that overlap it by more
     than NMS_IOU are averaged, weighted by score, into one detection */
  unsigned char used[256];
  memset(used, 0, sizeof used);
  size_t got = 0;
  for (size_t c = 0; c < n && got < max; c++) {
    if (used[c]) continue;
    float wsum = 0, box[4] = {0, 0, 0, 0}, kp[4][2];
    memset(kp, 0, sizeof kp);
    for (size_t o = c; o < n; o++) {
      if (used[o]) continue;
      if (o != c && iou(cand[c].box, cand[o].box) <= NMS_IOU) continue;
      used[o] = 1;
      float w = cand[o].score;
      wsum += w;
      for (int k = 0; k < 4; k++) box[k] += w * cand[o].box[k];
      for (int k = 0; k < 4; k++) {
        kp[k][0] += w * cand[o].kp[k][0];
        kp[k][1] += w * cand[o].kp[k][1];
      }
    }
    gk_pose_detection *d = &out[got++];
    d->score = cand[c].score;
    for (int k = 0; k < 4; k++) d->box[k] = box[k] / wsum;
    for (int k = 0; k < 4; k++) {
      d->kp[k][0] = kp[k][0] / wsum;
      d->kp[k][1] = kp[k][1] / wsum;
    }
  }
  return got;
}

/* ---- regions ------------------------------------------------------------ */

static double normalize_radians(double a) {
  return a - 2 * PI * floor((a + PI) / (2 * PI));
}

/* The region from a centre point and a circle point (display pixels):
   MediaPipe's AlignmentPointsRectsCalculator (target angle 90 degrees)
   then RectTransformationCalculator (square, x 1.25). */
void gk__pose_roi_from_points(double x0, double y0, double x1, double y1,
                              gk_pose_roi *roi) {
  double dx = x1 - x0, dy = y1 - y0;
  double side = 2 * sqrt(dx * dx + dy * dy) * ROI_SCALE;
  roi->cx = x0;
  roi->cy = y0;
  roi->w = roi->h = side;
  roi->rotation = normalize_radians(PI / 2 - atan2(-dy, dx));
}

/* The warp matrix (gk_video_warp's m) from an n x n input to the region. */
void gk__pose_roi_matrix(const gk_pose_roi *roi, int n, double m[6]) {
  double c = cos(roi->rotation), s = sin(roi->rotation);
  double sx = roi->w / n, sy = roi->h / n;
  m[0] = c * sx;
  m[1] = -s * sy;
  m[2] = roi->cx - 0.5 * roi->w * c + 0.5 * roi->h * s;
  m[3] = s * sx;
  m[4] = c * sy;
  m[5] = roi->cy - 0.5 * roi->w * s - 0.5 * roi->h * c;
}

/* A point of the region given in 0..1 of its side -> display pixels. */
static void roi_point(const gk_pose_roi *roi, double u, double v, double *x,
                      double *y) {
  double c = cos(roi->rotation), s = sin(roi->rotation);
  double dx = (u - 0.5) * roi->w, dy = (v - 0.5) * roi->h;
  *x = roi->cx + dx * c - dy * s;
  *y = roi->cy + dx * s + dy * c;
}

static double sigmoid(double v) { return 1.0 / (1.0 + exp(-v)); }

/* ---- landmark post-processing ------------------------------------------- */

int gk__pose_refine_heatmap(float (*uv)[2], int n, const float *hm, int h,
                            int w, int kernel, float min_conf) {
  int moved = 0, half = (kernel - 1) / 2;
  for (int i = 0; i < n; i++) {
    float u = uv[i][0], v = uv[i][1];
    if (!(u == u) || !(v == v)) continue;
    float fc = u * (float)w, fr = v * (float)h;
    /* the cell it falls in, truncated toward zero as MediaPipe's int
       conversion does (a point less than a cell left of or above the
       edge counts as cell 0) */
    if (!(fc > -1.0f && fc < (float)w && fr > -1.0f && fr < (float)h))
      continue;
    int col = (int)fc, row = (int)fr;
    int c0 = col - half > 0 ? col - half : 0;
    int c1 = col + half + 1 < w ? col + half + 1 : w;
    int r0 = row - half > 0 ? row - half : 0;
    int r1 = row + half + 1 < h ? row + half + 1 : h;
    float sum = 0, wc = 0, wr = 0, best = 0;
    for (int r = r0; r < r1; r++)
      for (int c = c0; c < c1; c++) {
        float lg = hm[((size_t)r * (size_t)w + (size_t)c) * (size_t)n +
                      (size_t)i];
        float conf = 1.0f / (1.0f + expf(-lg));
        sum += conf;
        if (conf > best) best = conf;
        wc += (float)c * conf;
        wr += (float)r * conf;
      }
    if (best >= min_conf && sum > 0) {
      uv[i][0] = wc / (float)w / sum;
      uv[i][1] = wr / (float)h / sum;
      moved++;
    }
  }
  return moved;
}

void gk__euro_init(gk__euro *f, double min_cutoff, double beta,
                   double d_cutoff) {
  memset(f, 0, sizeof *f);
  f->min_cutoff = min_cutoff;
  f->beta = beta;
  f->d_cutoff = d_cutoff;
}

/* The weight of the new value in a low-pass at cutoff (Hz), dt apart. */
static double euro_alpha(double cutoff, double dt) {
  double tau = 1.0 / (2 * PI * cutoff);
  return 1.0 / (1.0 + tau / dt);
}

double gk__euro_apply(gk__euro *f, double t, double scale, double v) {
  if (!f->init) {
    f->init = 1;
    f->x = f->raw = v;
    f->dx = 0;
    f->t = t;
    return v;
  }
  double dt = t - f->t;
  if (!(dt > 0)) return v;
  f->t = t;
  double rate = (v - f->raw) * scale / dt;
  double ad = euro_alpha(f->d_cutoff, dt);
  f->dx = ad * rate + (1 - ad) * f->dx;
  double a = euro_alpha(f->min_cutoff + f->beta * fabs(f->dx), dt);
  f->x = a * v + (1 - a) * f->x;
  f->raw = v;
  return f->x;
}

void gk__pose_filters_reset(gk_pose *p) {
  gk__pose_filters *fl = &p->filt;
  fl->have = 0;
  for (int k = 0; k < 2; k++)
    for (int c = 0; c < 2; c++)
      gk__euro_init(&fl->aux[k][c], GK__POSE_AUX_MIN_CUTOFF,
                    GK__POSE_AUX_BETA, GK__POSE_D_CUTOFF);
  for (int i = 0; i < GK_POSE_LANDMARKS; i++)
    for (int c = 0; c < 3; c++)
      gk__euro_init(&fl->lm[i][c], GK__POSE_LM_MIN_CUTOFF, GK__POSE_LM_BETA,
                    GK__POSE_D_CUTOFF);
}

void gk__pose_lose(gk_pose *p) {
  p->tracking = 0;
  gk__pose_filters_reset(p);
}

/* This frame's landmarks through the filters: the smoothed 33 into
   res->smoothed, and the smoothed 33 and 34 into aux (x, y).  Values in
   display pixels, scaled by the region's side as MediaPipe scales by its
   object size. */
static void filter_frame(gk_pose *p, double t, const gk_pose_roi *roi,
                         gk_pose_result *res, double aux[2][2]) {
  gk__pose_filters *fl = &p->filt;
  double scale = roi->w > 0 ? 1.0 / (0.5 * (roi->w + roi->h)) : 1.0;
  for (int k = 0; k < 2; k++)
    for (int c = 0; c < 2; c++)
      aux[k][c] = gk__euro_apply(&fl->aux[k][c], t, scale, res->lm[33 + k][c]);
  if (p->smooth_landmarks) {
    for (int i = 0; i < GK_POSE_LANDMARKS; i++) {
      for (int c = 0; c < 3; c++)
        res->smoothed[i][c] = gk__euro_apply(&fl->lm[i][c], t, scale,
                                             res->lm[i][c]);
      double v = res->lm[i][3];
      if (fl->have)
        v = GK__POSE_VIS_ALPHA * v + (1 - GK__POSE_VIS_ALPHA) * fl->vis[i];
      fl->vis[i] = v;
      res->smoothed[i][3] = v;
      res->smoothed[i][4] = res->lm[i][4];
    }
    res->have_smoothed = 1;
  }
  fl->have = 1;
}

/* ---- one frame ---------------------------------------------------------- */

static gk_status run_detector(gk_pose *p, const gk_video_frame *f,
                              gk_pose_detection *dets, size_t *n_dets,
                              double *side_out, gk_err *err);

/* The detector on the whole frame, letterboxed into its square input; the
   detections' points in display pixels into dets. */
gk_status gk__pose_detect(gk_pose *p, const gk_video_frame *f,
                          gk_pose_detection *dets, size_t *n, gk_err *err) {
  double side;
  return run_detector(p, f, dets, n, &side, err);
}

static gk_status run_detector(gk_pose *p, const gk_video_frame *f,
                              gk_pose_detection *dets, size_t *n_dets,
                              double *side_out, gk_err *err) {
  double side = f->width > f->height ? f->width : f->height;
  double m[6] = {side / DET_SIZE, 0, (f->width - side) / 2,
                 0, side / DET_SIZE, (f->height - side) / 2};
  gk_video_warp(f, m, DET_SIZE, DET_SIZE, -1.0f, 1.0f, -1.0f,
                gk_nn_input(p->det, 0));
  gk_status st = gk_nn_run(p->det, err);
  if (st != GK_OK) return st;
  p->detector_runs++;
  *n_dets = gk_pose_decode(gk_nn_output(p->det, 0), gk_nn_output(p->det, 1),
                           (float)p->min_detection, dets, GK__POSE_MAX_DETS);
  /* detector coordinates (0..1 of the letterboxed square) -> display px */
  for (size_t i = 0; i < *n_dets; i++) {
    gk_pose_detection *d = &dets[i];
    d->box[0] = (float)(m[2] + d->box[0] * side);
    d->box[1] = (float)(m[5] + d->box[1] * side);
    d->box[2] = (float)(d->box[2] * side);
    d->box[3] = (float)(d->box[3] * side);
    for (int k = 0; k < 4; k++) {
      d->kp[k][0] = (float)(m[2] + d->kp[k][0] * side);
      d->kp[k][1] = (float)(m[5] + d->kp[k][1] * side);
    }
  }
  *side_out = side;
  return GK_OK;
}

/* Which detection to follow: while the runner was seen recently, only one
   near where they were (a bystander elsewhere in the picture does not take
   over); after that, the best score.  -1: none. */
static int pick_detection(gk_pose *p, const gk_video_frame *f,
                          const gk_pose_detection *dets, size_t n) {
  if (n == 0) return -1;
  if (p->have_guide) {
    /* the runner chosen over the clip: only a detection where they are */
    int best = -1;
    double bd = INFINITY;
    for (size_t i = 0; i < n; i++) {
      double d = hypot(dets[i].kp[0][0] - p->guide_x,
                       dets[i].kp[0][1] - p->guide_y);
      if (d < bd) bd = d, best = (int)i;
    }
    if (best >= 0 && bd <= 0.5 * p->guide_size) return best;
    p->switches_refused++;
    return -1;
  }
  double since = p->have_last ? f->t_s - p->last_t : INFINITY;
  if (!(since <= GK__POSE_FOLLOW_S)) return 0;
  int best = -1;
  double bd = INFINITY;
  for (size_t i = 0; i < n; i++) {
    double dx = dets[i].kp[0][0] - p->last_roi.cx;
    double dy = dets[i].kp[0][1] - p->last_roi.cy;
    double d = sqrt(dx * dx + dy * dy);
    if (d < bd) bd = d, best = (int)i;
  }
  /* near: within the last region's half side, plus how far a runner can
     move in the time (half a side per second) */
  double reach = p->last_roi.w * (0.5 + 0.5 * since);
  if (best >= 0 && bd <= reach) return best;
  p->switches_refused++;
  return -1;
}

gk_status gk_pose_frame(gk_pose *p, const gk_video_frame *f,
                        gk_pose_result *res, gk_err *err) {
  memset(res, 0, sizeof *res);
  res->detection_score = NAN;
  gk_pose_roi roi;
  if (!p->tracking) {
    gk_pose_detection dets[GK__POSE_MAX_DETS];
    size_t n = 0;
    double side = 0;
    gk_status st = run_detector(p, f, dets, &n, &side, err);
    if (st != GK_OK) return st;
    res->detected = 1;
    if (p->have_last) p->redetections++;
    int k = pick_detection(p, f, dets, n);
    if (k < 0) {
      gk__pose_lose(p);
      return GK_OK;
    }
    res->detection_score = dets[k].score;
    gk__pose_roi_from_points(dets[k].kp[0][0], dets[k].kp[0][1],
                             dets[k].kp[1][0], dets[k].kp[1][1], &roi);
  } else {
    roi = p->next_roi;
    if (p->have_guide &&
        hypot(roi.cx - p->guide_x, roi.cy - p->guide_y) > 0.75 * p->guide_size) {
      /* the track has moved onto someone else: look again */
      gk__pose_lose(p);
      p->switches_refused++;
      return gk_pose_frame(p, f, res, err);
    }
  }
  if (!(roi.w >= 8) || !(roi.w <= 4.0 * (f->width + f->height))) {
    gk__pose_lose(p);
    return GK_OK;
  }
  double m[6];
  gk__pose_roi_matrix(&roi, LM_SIZE, m);
  gk_video_warp(f, m, LM_SIZE, LM_SIZE, 0.0f, 1.0f, 0.0f,
                gk_nn_input(p->lm, 0));
  gk_status st = gk_nn_run(p->lm, err);
  if (st != GK_OK) return st;
  const float *raw = gk_nn_output(p->lm, 0);
  double presence = gk_nn_output(p->lm, 1)[0];
  res->presence = presence;
  res->roi = roi;
  if (!(presence >= p->min_presence)) {
    gk__pose_lose(p); /* the detector runs on the next frame */
    return GK_OK;
  }
  /* 0..1 of the region, in float as MediaPipe's normalised landmarks */
  float uv[GK_POSE_ALL_LANDMARKS][2];
  for (int i = 0; i < GK_POSE_ALL_LANDMARKS; i++) {
    uv[i][0] = raw[i * 5] / (float)LM_SIZE;
    uv[i][1] = raw[i * 5 + 1] / (float)LM_SIZE;
  }
  if (p->refine)
    gk__pose_refine_heatmap(uv, GK_POSE_ALL_LANDMARKS, gk_nn_output(p->lm, 2),
                            HM_SIZE, HM_SIZE, HM_KERNEL, HM_MIN_CONF);
  for (int i = 0; i < GK_POSE_ALL_LANDMARKS; i++) {
    const float *r = raw + i * 5;
    double x, y;
    roi_point(&roi, uv[i][0], uv[i][1], &x, &y);
    res->lm[i][0] = x;
    res->lm[i][1] = y;
    res->lm[i][2] = r[2] / LM_SIZE * roi.w;
    res->lm[i][3] = sigmoid(r[3]);
    res->lm[i][4] = sigmoid(r[4]);
  }
  res->found = 1;
  double aux[2][2] = {{res->lm[33][0], res->lm[33][1]},
                      {res->lm[34][0], res->lm[34][1]}};
  if (p->smooth_region || p->smooth_landmarks) {
    double sm[2][2];
    filter_frame(p, f->t_s, &roi, res, sm);
    if (p->smooth_region) memcpy(aux, sm, sizeof aux);
  }
  gk__pose_roi_from_points(aux[0][0], aux[0][1], aux[1][0], aux[1][1],
                           &p->next_roi);
  p->tracking = 1;
  p->have_last = 1;
  p->last_roi = roi;
  p->last_t = f->t_s;
  return GK_OK;
}
