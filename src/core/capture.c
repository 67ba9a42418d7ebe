/*
** capture.c -- the gk_capture model: allocation, lookup, freeing.
**
** Every block a capture owns is a node of a singly linked list hanging off
** cap->arena_; gk_capture_free walks it once.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"

typedef struct gk__cap_block {
  struct gk__cap_block *next;
  max_align_t align_[1]; /* payload starts here, suitably aligned */
} gk__cap_block;

gk_capture *gk__capture_new(void) {
  gk_capture *cap = (gk_capture *)calloc(1, sizeof *cap);
  if (cap == NULL) return NULL;
  cap->kind = GK_CAPTURE_3D;
  cap->view = GK_VIEW_UNKNOWN;
  cap->frame_rate_hz = NAN;
  cap->analog_rate_hz = NAN;
  cap->subject_height_mm = NAN;
  cap->subject_mass_kg = NAN;
  for (int i = 0; i < 2; i++)
    cap->knee_width_mm[i] = cap->ankle_width_mm[i] =
        cap->tibial_torsion_deg[i] = NAN;
  cap->marker_diameter_mm = NAN;
  return cap;
}

void *gk__capture_alloc(gk_capture *cap, size_t size) {
  size_t total;
  if (!gk__add_ok(size, offsetof(gk__cap_block, align_), &total)) return NULL;
  gk__cap_block *b = (gk__cap_block *)calloc(1, total ? total : 1);
  if (b == NULL) return NULL;
  b->next = (gk__cap_block *)cap->arena_;
  cap->arena_ = b;
  return (void *)b->align_;
}

double *gk__capture_nan_array(gk_capture *cap, size_t n) {
  size_t bytes;
  if (!gk__mul_ok(n, sizeof(double), &bytes)) return NULL;
  double *a = (double *)gk__capture_alloc(cap, bytes ? bytes : 1);
  if (a == NULL) return NULL;
  for (size_t i = 0; i < n; i++) a[i] = NAN;
  return a;
}

char *gk__capture_label(gk_capture *cap, const char *s, size_t n) {
  const char *nul = n ? (const char *)memchr(s, '\0', n) : NULL;
  if (nul != NULL) n = (size_t)(nul - s); /* C strings: up to a NUL */
  if (n > GK_MAX_LABEL - 1) n = GK_MAX_LABEL - 1;
  while (n > 0 && s[n - 1] == ' ') n--;
  char *d = (char *)gk__capture_alloc(cap, n + 1);
  if (d == NULL) return NULL;
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void gk_capture_free(gk_capture *cap) {
  if (cap == NULL) return;
  gk__cap_block *b = (gk__cap_block *)cap->arena_;
  while (b != NULL) {
    gk__cap_block *next = b->next;
    free(b);
    b = next;
  }
  free(cap);
}

void gk_capture_set_path(gk_capture *cap, const char *path) {
  if (cap == NULL) return;
  cap->source.path[0] = '\0';
  if (path == NULL) return;
  size_t n = strlen(path);
  if (n > sizeof cap->source.path - 1) n = sizeof cap->source.path - 1;
  memcpy(cap->source.path, path, n);
  cap->source.path[n] = '\0';
}

static long find_label(char *const *labels, size_t n, const char *label) {
  if (labels == NULL || label == NULL) return -1;
  for (size_t i = 0; i < n; i++)
    if (labels[i] != NULL && strcmp(labels[i], label) == 0) return (long)i;
  return -1;
}

long gk_capture_find_point(const gk_capture *cap, const char *label) {
  return cap ? find_label(cap->point_labels, cap->n_points, label) : -1;
}

long gk_capture_find_analog(const gk_capture *cap, const char *label) {
  return cap ? find_label(cap->analog_labels, cap->n_analog, label) : -1;
}

double gk_capture_plate_value(const gk_capture *cap, size_t pl, size_t k,
                              size_t s) {
  if (cap == NULL || pl >= cap->n_plates || cap->analog == NULL ||
      s >= cap->n_analog_samples)
    return NAN;
  const gk_force_plate *fp = &cap->plates[pl];
  if (k >= fp->n_channels || k >= GK_PLATE_MAX_CHANNELS) return NAN;
  const double *row = cap->analog + s * cap->n_analog;
  if (fp->n_cal == 0 || k >= fp->n_cal) {
    int32_t ch = fp->channel[k];
    return ch < 0 || (size_t)ch >= cap->n_analog ? NAN : row[ch];
  }
  double sum = 0;
  for (size_t j = 0; j < fp->n_cal && j < fp->n_channels; j++) {
    int32_t ch = fp->channel[j];
    if (ch < 0 || (size_t)ch >= cap->n_analog) return NAN;
    if (fp->cal[k][j] != 0) sum += fp->cal[k][j] * row[ch];
  }
  return sum;
}

/* ---- 2D keypoints from a marker file ------------------------------------ */

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

gk_status gk_capture_to_2d(gk_capture *cap, gk_capture_view view, double fps,
                           int *flipped, gk_err *err) {
  if (flipped) *flipped = 0;
  if (cap == NULL) return GK_E_ARG;
  long hip[2] = {gk_capture_find_point(cap, "LHip"),
                 gk_capture_find_point(cap, "RHip")};
  long ank[2] = {gk_capture_find_point(cap, "LAnkle"),
                 gk_capture_find_point(cap, "RAnkle")};
  if ((hip[0] < 0 || ank[0] < 0) && (hip[1] < 0 || ank[1] < 0)) {
    if (err) {
      memset(err, 0, sizeof *err);
      err->code = GK_E_NOT_FOUND;
      err->msg = "2D keypoints need a hip and an ankle of one side (LHip and "
                 "LAnkle, or RHip and RAnkle) to tell which way is up";
    }
    return GK_E_NOT_FOUND;
  }
  /* ankle y - hip y in every frame where one side has both: positive
     with y down */
  size_t n = 0;
  double *d = (double *)malloc((cap->n_frames ? cap->n_frames : 1) *
                               sizeof *d);
  if (d == NULL) return GK_E_NOMEM;
  for (size_t f = 0; f < cap->n_frames; f++) {
    for (int s = 0; s < 2; s++) {
      if (hip[s] < 0 || ank[s] < 0) continue;
      double dy = gk_capture_point(cap, f, (size_t)ank[s])[1] -
                  gk_capture_point(cap, f, (size_t)hip[s])[1];
      if (isfinite(dy)) {
        d[n++] = dy;
        break;
      }
    }
  }
  int up = 0;
  if (n > 0) {
    qsort(d, n, sizeof *d, cmp_dbl);
    up = d[n / 2] < 0;
  }
  free(d);
  size_t total = cap->n_frames * cap->n_points;
  double ymax = -INFINITY;
  if (up)
    for (size_t i = 0; i < total; i++)
      if (isfinite(cap->xyz[i * 3 + 1]) && cap->xyz[i * 3 + 1] > ymax)
        ymax = cap->xyz[i * 3 + 1];
  for (size_t i = 0; i < total; i++) {
    if (up) cap->xyz[i * 3 + 1] = ymax - cap->xyz[i * 3 + 1];
    cap->xyz[i * 3 + 2] = NAN;
  }
  cap->kind = GK_CAPTURE_2D;
  cap->view = view;
  if (fps > 0) cap->frame_rate_hz = fps;
  if (flipped) *flipped = up;
  return GK_OK;
}
