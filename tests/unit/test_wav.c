/*
** test_wav.c -- the metronome click track: the RIFF header field by field,
** the data size, and the click rate measured from the samples (onset
** detection) against the BPM asked for.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gaitkeeper/json.h"
#include "gaitkeeper/wav.h"
#include "test.h"

static int to_buf(void *user, const void *data, size_t len) {
  gk_buf *b = (gk_buf *)user;
  gk_buf_put(b, data, len);
  return b->oom;
}

static uint32_t rd32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
         (uint32_t)u[3] << 24;
}
static uint16_t rd16(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint16_t)(u[0] | u[1] << 8);
}

/* Onsets: a sample above the threshold after at least `gap` quiet
   samples.  Returns the measured BPM from the first to the last onset. */
static double measured_bpm(const gk_buf *b, uint32_t rate, size_t *onsets) {
  const char *d = b->data + 44;
  size_t n = (b->len - 44) / 2;
  size_t quiet = SIZE_MAX / 2, first = 0, last = 0, count = 0;
  const size_t gap = rate / 20; /* 50 ms */
  for (size_t i = 0; i < n; i++) {
    int16_t v = (int16_t)rd16(d + 2 * i);
    if (abs(v) > 3000) {
      if (quiet >= gap) {
        if (count == 0) first = i;
        last = i;
        count++;
      }
      quiet = 0;
    } else {
      quiet++;
    }
  }
  *onsets = count;
  if (count < 2) return NAN;
  return 60.0 * rate * (double)(count - 1) / (double)(last - first);
}

static void check_track(double bpm, double minutes, uint32_t rate) {
  gk_buf b = {0};
  gk_err e;
  memset(&e, 0, sizeof e);
  ASSERT_EQ_INT(gk_wav_metronome(bpm, minutes, rate, to_buf, &b, &e), GK_OK);
  uint32_t r = rate ? rate : GK_WAV_DEFAULT_RATE;
  uint64_t samples = (uint64_t)llround(minutes * 60.0 * r);
  ASSERT_EQ_INT(b.len, 44 + samples * 2);
  CHECK_TRUE(memcmp(b.data, "RIFF", 4) == 0);
  CHECK_EQ_INT(rd32(b.data + 4), 36 + samples * 2);
  CHECK_TRUE(memcmp(b.data + 8, "WAVEfmt ", 8) == 0);
  CHECK_EQ_INT(rd32(b.data + 16), 16);
  CHECK_EQ_INT(rd16(b.data + 20), 1);   /* PCM */
  CHECK_EQ_INT(rd16(b.data + 22), 1);   /* mono */
  CHECK_EQ_INT(rd32(b.data + 24), r);
  CHECK_EQ_INT(rd32(b.data + 28), r * 2);
  CHECK_EQ_INT(rd16(b.data + 32), 2);
  CHECK_EQ_INT(rd16(b.data + 34), 16);
  CHECK_TRUE(memcmp(b.data + 36, "data", 4) == 0);
  CHECK_EQ_INT(rd32(b.data + 40), samples * 2);

  size_t onsets = 0;
  double m = measured_bpm(&b, r, &onsets);
  double expect_clicks = floor(minutes * 60.0 * bpm / 60.0 - 1e-9) + 1;
  fprintf(stderr, "  %.1f bpm asked, %.0f Hz, %.2f min: %zu clicks, "
                  "measured %.4f bpm\n",
          bpm, (double)r, minutes, onsets, m);
  CHECK_NEAR((double)onsets, expect_clicks, 1);
  CHECK_NEAR(m, bpm, bpm * 0.001); /* within 0.1% */
  gk_buf_free(&b);
}

static void test_rates(void) {
  check_track(170, 1.0, 0);
  check_track(158, 2.0, 22050);
  check_track(180.5, 0.5, 44100);
  check_track(30, 1.0, 8000);
  check_track(300, 0.25, 48000);
}

static void test_bad_args(void) {
  gk_buf b = {0};
  gk_err e;
  memset(&e, 0, sizeof e);
  CHECK_EQ_INT(gk_wav_metronome(29.9, 1, 0, to_buf, &b, &e), GK_E_ARG);
  CHECK_TRUE(e.msg != NULL && strstr(e.msg, "bpm") != NULL);
  CHECK_EQ_INT(gk_wav_metronome(NAN, 1, 0, to_buf, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(gk_wav_metronome(170, 0, 0, to_buf, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(gk_wav_metronome(170, 121, 0, to_buf, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(gk_wav_metronome(170, NAN, 0, to_buf, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(gk_wav_metronome(170, 1, 7999, to_buf, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(gk_wav_metronome(170, 1, 0, NULL, &b, &e), GK_E_ARG);
  CHECK_EQ_INT(b.len, 0);
  gk_buf_free(&b);
}

static int stop_after_header(void *user, const void *data, size_t len) {
  (void)data;
  size_t *n = (size_t *)user;
  *n += len;
  return *n > 44;
}

static void test_writer_stops(void) {
  size_t n = 0;
  CHECK_EQ_INT(gk_wav_metronome(170, 1, 0, stop_after_header, &n, NULL),
               GK_E_IO);
}

int main(void) {
  RUN(test_rates);
  RUN(test_bad_args);
  RUN(test_writer_stops);
  return TEST_SUMMARY();
}
