/*
** wav.c -- the metronome click track (gaitkeeper/wav.h): a RIFF/WAVE
** header written byte by byte in little-endian order, then 16-bit PCM mono
** samples: silence with one click per beat, a 2 kHz tone under a fast
** exponential decay (GK_WAV_CLICK_MS long).  The click is computed once;
** the sample loop only copies it and writes fixed-size chunks.
*/
#include "gaitkeeper/wav.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static gk_status fail(gk_err *err, gk_status code, const char *msg) {
  if (err) {
    err->code = code;
    err->msg = msg;
    err->offset = 0;
    err->line = err->col = 0;
  }
  return code;
}

static void le16(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v & 0xFF);
  p[1] = (uint8_t)((v >> 8) & 0xFF);
}

static void le32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v & 0xFF);
  p[1] = (uint8_t)((v >> 8) & 0xFF);
  p[2] = (uint8_t)((v >> 16) & 0xFF);
  p[3] = (uint8_t)((v >> 24) & 0xFF);
}

#define CHUNK 4096

gk_status gk_wav_metronome(double bpm, double minutes, uint32_t rate,
                           gk_wav_write_fn write, void *user, gk_err *err) {
  if (write == NULL) return fail(err, GK_E_ARG, "wav: no writer");
  if (!(bpm >= GK_WAV_BPM_MIN && bpm <= GK_WAV_BPM_MAX))
    return fail(err, GK_E_ARG, "wav: bpm must be 30 to 300");
  if (!(minutes > 0 && minutes <= GK_WAV_MINUTES_MAX))
    return fail(err, GK_E_ARG, "wav: minutes must be more than 0, at most 120");
  if (rate == 0) rate = GK_WAV_DEFAULT_RATE;
  if (rate < 8000 || rate > 96000)
    return fail(err, GK_E_ARG, "wav: sample rate must be 8000 to 96000 Hz");

  /* At most 120 min * 60 * 96000 = 691.2 M samples: the data size (2
     bytes each) fits in 32 bits. */
  uint64_t n = (uint64_t)llround(minutes * 60.0 * rate);
  if (n == 0) n = 1;
  uint64_t data_bytes = n * 2;
  if (data_bytes + 36 > 0xFFFFFFFFu)
    return fail(err, GK_E_LIMIT, "wav: track too long for a WAV file");

  uint8_t h[GK_WAV_HEADER_BYTES];
  memcpy(h, "RIFF", 4);
  le32(h + 4, (uint32_t)(36 + data_bytes));
  memcpy(h + 8, "WAVE", 4);
  memcpy(h + 12, "fmt ", 4);
  le32(h + 16, 16);          /* fmt chunk size */
  le16(h + 20, 1);           /* PCM */
  le16(h + 22, 1);           /* mono */
  le32(h + 24, rate);        /* samples per second */
  le32(h + 28, rate * 2);    /* bytes per second */
  le16(h + 32, 2);           /* block align */
  le16(h + 34, 16);          /* bits per sample */
  memcpy(h + 36, "data", 4);
  le32(h + 40, (uint32_t)data_bytes);
  if (write(user, h, sizeof h) != 0)
    return fail(err, GK_E_IO, "wav: writing the header failed");

  size_t click_len = (size_t)(rate * GK_WAV_CLICK_MS / 1000.0);
  if (click_len < 8) click_len = 8;
  int16_t *click = (int16_t *)malloc(click_len * sizeof *click);
  if (click == NULL) return fail(err, GK_E_NOMEM, "wav: out of memory");
  const double tau = GK_WAV_CLICK_MS / 1000.0 / 6.0; /* ~ -52 dB at the end */
  for (size_t i = 0; i < click_len; i++) {
    double t = (double)i / rate;
    double v = 0.8 * sin(2.0 * M_PI * 2000.0 * t) * exp(-t / tau);
    click[i] = (int16_t)lrint(v * 32767.0);
  }

  const double period = 60.0 * rate / bpm; /* samples per beat */
  uint8_t out[CHUNK * 2];
  uint64_t beat = 0;
  uint64_t next = 0; /* start sample of beat `beat` */
  gk_status st = GK_OK;
  for (uint64_t pos = 0; pos < n && st == GK_OK;) {
    size_t m = n - pos < CHUNK ? (size_t)(n - pos) : CHUNK;
    for (size_t i = 0; i < m; i++) {
      uint64_t s = pos + i;
      while (s >= next + click_len) {
        beat++;
        next = (uint64_t)llround((double)beat * period);
      }
      int16_t v = s >= next ? click[s - next] : 0;
      le16(out + 2 * i, (uint16_t)v);
    }
    if (write(user, out, m * 2) != 0)
      st = fail(err, GK_E_IO, "wav: writing the samples failed");
    pos += m;
  }
  free(click);
  return st;
}
