/*
** test_c3d_real.c -- the C3D and TRC readers on the Fukuchi et al. 2017
** running dataset, subject RBDS001 (GK_SHARED_DATA/mocap/fukuchi_RBDS2017;
** ../shared/data/MANIFEST.md section 3a says what each file holds).
**
** Prints "skipped: ../shared/data not found" and passes when the folder is
** absent.  RBDS001static.trc is compared with RBDS001static.c3d when it is
** there (it is listed in MANIFEST.md but may be missing).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/capture.h"
#include "test.h"

#ifndef GK_SHARED_DATA
#define GK_SHARED_DATA "../shared/data"
#endif
#define DIR_RBDS GK_SHARED_DATA "/mocap/fukuchi_RBDS2017/"

static gk_capture *load(const char *name, int trc) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", DIR_RBDS, name);
  size_t len;
  char *b = test_read_file(path, &len);
  if (!CHECK_TRUE(b != NULL)) return NULL;
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = trc ? gk_trc_read(b, len, 0, &cap, &err)
                     : gk_c3d_read(b, len, 0, &cap, &err);
  free(b);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s: %s at byte %llu (line %u)\n", name, err.msg,
            (unsigned long long)err.offset, err.line);
    return NULL;
  }
  gk_capture_set_path(cap, path);
  return cap;
}

static const char *const dynamic_markers[] = {
    "ASIS", "PSIS", "Iliac.Crest", "Thigh.Top.Lateral", "Thigh.Top.Medial",
    "Thigh.Bottom.Lateral", "Thigh.Bottom.Medial", "Shank.Top.Lateral",
    "Shank.Top.Medial", "Shank.Bottom.Lateral", "Shank.Bottom.Medial",
    "Heel.Top", "Heel.Bottom", "Heel.Lateral", "MT1", "MT5"};
#define N_DYN (sizeof dynamic_markers / sizeof dynamic_markers[0])

static void check_markers(const gk_capture *cap) {
  char label[64];
  for (int side = 0; side < 2; side++)
    for (size_t i = 0; i < N_DYN; i++) {
      snprintf(label, sizeof label, "%c.%s", side ? 'R' : 'L',
               dynamic_markers[i]);
      if (!CHECK_TRUE(gk_capture_find_point(cap, label) >= 0))
        fprintf(stderr, "  missing %s\n", label);
    }
}

static void test_run_t35(void) {
  gk_capture *cap = load("RBDS001runT35.c3d", 0);
  if (cap == NULL) return;
  CHECK_EQ_INT(cap->n_frames, 4500);
  CHECK_EQ_INT(cap->n_points, 32);
  CHECK_NEAR(cap->frame_rate_hz, 150, 1e-9);
  CHECK_STR(cap->source.processor, "intel");
  CHECK_EQ_INT(cap->source.float_data, 1);
  check_markers(cap);
  CHECK_EQ_INT(cap->n_analog, 6);
  CHECK_NEAR(cap->analog_rate_hz, 300, 1e-9);
  CHECK_EQ_INT(cap->n_analog_samples, 9000);
  static const char *const ch[] = {"F1X", "F1Y", "F1Z", "M1X", "M1Y", "M1Z"};
  for (size_t k = 0; k < 6; k++) CHECK_EQ_INT(gk_capture_find_analog(cap, ch[k]), k);
  ASSERT_EQ_INT(cap->n_plates, 1);
  CHECK_EQ_INT(cap->plates[0].type, 4);
  CHECK_EQ_INT(cap->plates[0].n_cal, 6);
  for (size_t k = 0; k < 6; k++) CHECK_EQ_INT(cap->plates[0].channel[k], k);

  /* gaps: few; positions within a lab volume of a few metres */
  size_t gaps = 0, n = cap->n_frames * cap->n_points;
  for (size_t i = 0; i < n; i++) {
    const double *p = cap->xyz + 3 * i;
    if (isnan(p[0])) {
      gaps++;
      continue;
    }
    if (fabs(p[0]) > 10000 || fabs(p[1]) > 10000 || fabs(p[2]) > 10000) {
      CHECK_TRUE(!"marker outside 10 m");
      break;
    }
  }
  CHECK_TRUE(gaps < n / 100);

  /* vertical force (plate Fz, calibrated): contacts with hysteresis, on at
     > 200 N, off at < 50 N; per-contact peaks around 2-3 body weights */
  const double bw = 62.0 * 9.81;
  double maxf = 0;
  size_t contacts = 0, in_range = 0;
  int on = 0;
  double peak = 0;
  for (size_t s = 0; s < cap->n_analog_samples; s++) {
    double fz = fabs(gk_capture_plate_value(cap, 0, 2, s));
    if (fz > maxf) maxf = fz;
    if (!on && fz > 200) {
      on = 1;
      peak = fz;
    } else if (on) {
      if (fz > peak) peak = fz;
      if (fz < 50) {
        on = 0;
        contacts++;
        if (peak > 1.8 * bw && peak < 3.2 * bw) in_range++;
      }
    }
  }
  printf("     T35: %zu frames, %zu markers @%g Hz, analog %zu @%g Hz, "
         "%zu gaps; vertical force max %.1f N = %.2f BW, %zu contacts, "
         "%zu with a peak in 1.8-3.2 BW\n",
         cap->n_frames, cap->n_points, cap->frame_rate_hz, cap->n_analog,
         cap->analog_rate_hz, gaps, maxf, maxf / bw, contacts, in_range);
  CHECK_TRUE(maxf > 2.0 * bw && maxf < 3.2 * bw);
  /* 30 s at 3.5 m/s: some 80-95 steps */
  CHECK_TRUE(contacts >= 70 && contacts <= 110);
  CHECK_TRUE(in_range >= contacts * 9 / 10);
  gk_capture_free(cap);
}

static const char *const static_extra[] = {"Knee", "Knee.Medial", "Ankle",
                                           "Ankle.Medial", "GTR", "TT", "HF",
                                           "MT2"};

static void test_static(void) {
  gk_capture *cap = load("RBDS001static.c3d", 0);
  if (cap == NULL) return;
  CHECK_EQ_INT(cap->n_frames, 150);
  CHECK_EQ_INT(cap->n_points, 48);
  CHECK_NEAR(cap->frame_rate_hz, 150, 1e-9);
  CHECK_EQ_INT(cap->n_analog, 0);
  check_markers(cap);
  char label[64];
  for (int side = 0; side < 2; side++)
    for (size_t i = 0; i < 8; i++) {
      snprintf(label, sizeof label, "%c.%s", side ? 'R' : 'L', static_extra[i]);
      CHECK_TRUE(gk_capture_find_point(cap, label) >= 0);
    }
  /* standing: the knee markers sit some 0.4-0.6 m above the heels */
  long knee = gk_capture_find_point(cap, "R.Knee");
  long heel = gk_capture_find_point(cap, "R.Heel.Bottom");
  if (knee >= 0 && heel >= 0) {
    double dy = gk_capture_point(cap, 0, (size_t)knee)[1] -
                gk_capture_point(cap, 0, (size_t)heel)[1];
    double dz = gk_capture_point(cap, 0, (size_t)knee)[2] -
                gk_capture_point(cap, 0, (size_t)heel)[2];
    double up = fabs(dy) > fabs(dz) ? fabs(dy) : fabs(dz);
    printf("     static: knee %.0f mm above the heel\n", up);
    CHECK_TRUE(up > 350 && up < 650);
  }

  /* the TRC of the same trial, when present */
  char path[1024];
  snprintf(path, sizeof path, "%sRBDS001static.trc", DIR_RBDS);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    printf("     skipped: RBDS001static.trc not present\n");
  } else {
    fclose(f);
    gk_capture *trc = load("RBDS001static.trc", 1);
    if (trc != NULL) {
      CHECK_EQ_INT(trc->n_frames, 150);
      CHECK_EQ_INT(trc->n_points, 48);
      static const char *const cmp[] = {"R.Knee", "L.Knee.Medial", "R.ASIS",
                                        "L.MT1"};
      for (size_t i = 0; i < 4; i++) {
        long a = gk_capture_find_point(cap, cmp[i]);
        long b = gk_capture_find_point(trc, cmp[i]);
        if (!CHECK_TRUE(a >= 0 && b >= 0)) continue;
        for (size_t ax = 0; ax < 3; ax++) {
          double sa = 0, sb = 0;
          for (size_t fr = 0; fr < 150; fr++) {
            sa += gk_capture_point(cap, fr, (size_t)a)[ax];
            sb += gk_capture_point(trc, fr, (size_t)b)[ax];
          }
          CHECK_NEAR(sa / 150, sb / 150, 0.5);
        }
      }
      gk_capture_free(trc);
    }
  }
  gk_capture_free(cap);
}

/* The marker text export is not a TRC: refused on line 1. */
static void test_markers_txt_is_not_trc(void) {
  char path[1024];
  snprintf(path, sizeof path, "%sRBDS001runT25markers.txt", DIR_RBDS);
  size_t len;
  char *b = test_read_file(path, &len);
  ASSERT_TRUE(b != NULL);
  gk_capture *cap = NULL;
  gk_err err;
  CHECK_EQ_INT(gk_trc_read(b, len, 0, &cap, &err), GK_E_CORRUPT);
  CHECK_EQ_INT(err.line, 1);
  CHECK_TRUE(cap == NULL);
  free(b);
}

int main(void) {
  if (!test_shared_data_present(DIR_RBDS)) return 0;
  RUN(test_run_t35);
  RUN(test_static);
  RUN(test_markers_txt_is_not_trc);
  return TEST_SUMMARY();
}
