/*
** fuzz_c3d.c -- libFuzzer harness for the C3D reader (and, through
** fuzz_trc.c, which includes this file with GK_FUZZ_TRC defined, the TRC
** reader).
**
** Each input is read from an exact-size heap copy (so ASan sees any read
** past the end), with options 0 and, for C3D, GK_C3D_SKIP_ANALOG.  On
** success every value of the capture is touched (hashed) and its
** invariants checked: labels terminated and short, a gap is NaN on all
** three axes with a NaN residual, plate channels inside the analog
** channels, the two reads agree on the points.  On failure: no capture, a
** message, an offset inside the input.  Otherwise: abort().
**
** Build and run (from the repository root):
**   clang -g -fsanitize=fuzzer,address,undefined \
**     -fno-sanitize-recover=undefined -Iinclude -Isrc tests/fuzz/fuzz_c3d.c \
**     src/core/[a-z]*.c src/formats/c3d/[a-z]*.c -lm -o /tmp/fuzz_c3d
**   /tmp/fuzz_c3d -max_total_time=60 /tmp/corpus_c3d tests/data/c3d
** Seeds: tests/data/c3d/ (y_* read, n_* refused), written by
** `test_c3d tests/data`; keep crash reproducers there as crash-*.
*/
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void mix(uint64_t *h, const void *p, size_t n) {
  const uint8_t *b = (const uint8_t *)p;
  for (size_t i = 0; i < n; i++) {
    *h ^= b[i];
    *h *= 0x100000001B3ull;
  }
}

static void mix_label(uint64_t *h, const char *s) {
  if (s == NULL) abort();
  size_t n = strnlen(s, GK_MAX_LABEL);
  if (n == GK_MAX_LABEL) abort();
  if (n > 0 && s[n - 1] == ' ') abort(); /* trimmed */
  mix(h, s, n + 1);
}

static uint64_t touch(const gk_capture *c) {
  uint64_t h = 0xcbf29ce484222325ull;
  mix(&h, &c->kind, sizeof c->kind);
  mix(&h, &c->frame_rate_hz, sizeof c->frame_rate_hz);
  if (!(c->frame_rate_hz > 0)) abort();
  mix(&h, &c->first_frame, sizeof c->first_frame);
  if (c->n_points > GK_MAX_C3D_POINTS || c->n_frames > GK_MAX_C3D_FRAMES)
    abort();
  for (size_t p = 0; p < c->n_points; p++) mix_label(&h, c->point_labels[p]);
  for (size_t f = 0; f < c->n_frames; f++)
    for (size_t p = 0; p < c->n_points; p++) {
      const double *pt = gk_capture_point(c, f, p);
      double r = c->residual[f * c->n_points + p];
      mix(&h, pt, 3 * sizeof(double));
      mix(&h, &r, sizeof r);
      int gap = isnan(pt[0]);
      if (isnan(pt[1]) != gap || isnan(pt[2]) != gap) abort();
      if (gap && !isnan(r)) abort();
      if (isinf(pt[0]) || isinf(pt[1]) || isinf(pt[2])) abort();
    }
  if (c->n_analog > GK_MAX_C3D_ANALOG) abort();
  for (size_t k = 0; k < c->n_analog; k++) {
    mix_label(&h, c->analog_labels[k]);
    mix_label(&h, c->analog_units[k]);
  }
  if (c->n_analog_samples > 0 && c->analog == NULL) abort();
  for (size_t i = 0; i < c->n_analog_samples * c->n_analog; i++) {
    if (isinf(c->analog[i])) abort();
    mix(&h, &c->analog[i], sizeof(double));
  }
  for (size_t i = 0; i < c->n_plates; i++) {
    const gk_force_plate *fp = &c->plates[i];
    mix(&h, fp, sizeof *fp);
    if (fp->n_channels > GK_PLATE_MAX_CHANNELS || fp->n_cal > GK_PLATE_MAX_CHANNELS)
      abort();
    for (size_t k = 0; k < GK_PLATE_MAX_CHANNELS; k++)
      if (fp->channel[k] < -1 || fp->channel[k] >= (int32_t)c->n_analog)
        abort();
    for (size_t k = 0; k < fp->n_channels; k++)
      for (size_t s = 0; s < c->n_analog_samples && s < 4; s++) {
        double v = gk_capture_plate_value(c, i, k, s);
        mix(&h, &v, sizeof v);
      }
  }
  mix(&h, &c->subject_height_mm, sizeof(double));
  mix(&h, &c->subject_mass_kg, sizeof(double));
  if (strnlen(c->source.format, sizeof c->source.format) ==
          sizeof c->source.format ||
      strnlen(c->source.units, sizeof c->source.units) ==
          sizeof c->source.units ||
      strnlen(c->source.processor, sizeof c->source.processor) ==
          sizeof c->source.processor)
    abort();
  return h;
}

static gk_status read_one(const uint8_t *copy, size_t size, unsigned opts,
                          gk_capture **cap, gk_err *err) {
#ifdef GK_FUZZ_TRC
  (void)opts;
  return gk_trc_read(copy, size, 0, cap, err);
#else
  return gk_c3d_read(copy, size, opts, cap, err);
#endif
}

static uint64_t points_hash(const gk_capture *c) {
  uint64_t h = 1;
  mix(&h, c->xyz, c->n_frames * c->n_points * 3 * sizeof(double));
  return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  uint64_t ph[2] = {0, 0};
  gk_status sts[2];
  for (unsigned pass = 0; pass < 2; pass++) {
    gk_capture *cap = (gk_capture *)copy; /* must be overwritten */
    gk_err err;
    gk_status st = read_one(size ? copy : NULL, size,
                            pass ? GK_C3D_SKIP_ANALOG : 0, &cap, &err);
    sts[pass] = st;
    if (st != GK_OK) {
      if (cap != NULL || err.code != st || err.msg == NULL ||
          err.offset > size)
        abort();
      continue;
    }
    if (cap == NULL) abort();
    volatile uint64_t h = touch(cap);
    (void)h;
    ph[pass] = points_hash(cap);
    if (pass == 1 && cap->analog != NULL) abort();
    gk_capture_free(cap);
  }
  if (sts[0] != sts[1] || ph[0] != ph[1]) abort();
  free(copy);
  return 0;
}
