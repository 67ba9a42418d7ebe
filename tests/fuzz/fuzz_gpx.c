/*
** fuzz_gpx.c -- libFuzzer harness for the GPX reader (and, through
** fuzz_tcx.c, which includes this file with GK_FUZZ_FORMAT set, the TCX
** reader).
**
** Each input is read three ways: whole (gk_xml_read_activity), streamed in
** chunks of 1..64 bytes whose sizes come from a small PRNG seeded by the
** input's first byte, and one byte at a time.
** Every streamed chunk is its own exact-size heap copy, freed right after
** it is fed, so ASan catches a reader that keeps pointers into the caller's
** buffer.  The three must agree on the status, the error (message, offset,
** line, column), the reader's counts and a hash of every value of the
** activity (every column of every row, laps, sessions, summaries, names);
** the activity must also keep its invariants (positions in range, times
** all NaN exactly when the start is unknown, ranges inside the series,
** steps/min twice the recorded cadence or NaN).  Otherwise: abort().
**
** The input's last byte picks the options (GK_XML_PARTIAL,
** GK_XML_UNKNOWN_ON_FOOT).
**
** Build and run (from the repository root):
**   clang -g -O1 -fsanitize=fuzzer,address,undefined \
**     -fno-sanitize-recover=undefined -Iinclude -Isrc tests/fuzz/fuzz_gpx.c \
**     src/core/[a-z]*.c src/formats/fit/[a-z]*.c src/formats/xml/[a-z]*.c \
**     src/formats/read.c -lexpat -lm -o /tmp/fuzz_gpx
**   mkdir -p /tmp/corpus_gpx
**   /tmp/fuzz_gpx -max_total_time=60 -max_len=65536 /tmp/corpus_gpx \
**     tests/data/gpx
** Seeds: tests/data/gpx/ (y_* read, n_* refused); keep crash reproducers
** there as crash-<name>.gpx.
*/
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/xml/xml_internal.h"
#include "gaitkeeper/formats.h"
#include "gaitkeeper/xml_activity.h"

#ifndef GK_FUZZ_FORMAT
#define GK_FUZZ_FORMAT GK_FORMAT_GPX
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct outcome {
  gk_status st;
  gk_err err;
  gk_xml_stats stats;
  uint64_t hash; /* FNV-1a over the activity, 0 without one */
  size_t n;
} outcome;

static void mix(uint64_t *h, const void *p, size_t n) {
  const uint8_t *b = (const uint8_t *)p;
  for (size_t i = 0; i < n; i++) {
    *h ^= b[i];
    *h *= 0x100000001B3ull;
  }
}

static void mix_d(uint64_t *h, double v) { mix(h, &v, sizeof v); }

static void mix_str(uint64_t *h, const char *s, size_t max) {
  size_t n = strnlen(s, max);
  if (n == max) abort(); /* not terminated */
  mix(h, s, n + 1);
}

static void mix_summary(uint64_t *h, const gk_summary *s) {
#define M(ID, name) mix_d(h, s->name);
  GK_SUMMARY_FIELDS(M)
#undef M
  mix(h, &s->computed, sizeof s->computed);
}

/* Every value, and the invariants. */
static uint64_t touch(const gk_activity *a) {
  uint64_t h = 0xcbf29ce484222325ull;
  mix_str(&h, a->sport, sizeof a->sport);
  mix_str(&h, a->sub_sport, sizeof a->sub_sport);
  mix_str(&h, a->source.format, sizeof a->source.format);
  mix_str(&h, a->source.manufacturer, sizeof a->source.manufacturer);
  mix_str(&h, a->source.product, sizeof a->source.product);
  mix_str(&h, a->source.product_name, sizeof a->source.product_name);
  mix(&h, &a->source.serial, sizeof a->source.serial);
  mix(&h, &a->start_time, sizeof a->start_time);
  mix(&h, &a->flags, sizeof a->flags);
  mix(&h, &a->stats, sizeof a->stats);
  mix_summary(&h, &a->summary);
  const gk_series *s = &a->series;
  /* every row timed, or none; none when the start is unknown */
  int untimed = s->n > 0 && isnan(s->time_s[0]);
  if ((a->flags & GK_ACT_START_UNKNOWN) && s->n > 0 && !untimed) abort();
  for (size_t i = 0; i < s->n; i++) {
#define M(name) mix_d(&h, s->name[i]);
    GK_SERIES_COLUMNS(M)
#undef M
    if (isnan(s->time_s[i]) != untimed) abort();
    if (isnan(s->lat_deg[i]) != isnan(s->lon_deg[i])) abort();
    if (fabs(s->lat_deg[i]) > 90 || fabs(s->lon_deg[i]) > 180) abort();
    double spm = s->cadence_spm[i], rpm = s->cadence_rpm[i];
    if (!isnan(spm) && spm != 2 * rpm) abort();
    if (s->distance_m[i] < 0) abort();
  }
  for (size_t i = 0; i < a->n_laps; i++) {
    const gk_lap *l = &a->laps[i];
    mix_d(&h, l->start_s);
    mix_d(&h, l->elapsed_s);
    mix_d(&h, l->timer_s);
    mix_d(&h, l->distance_m);
    mix_d(&h, l->avg_hr);
    mix_d(&h, l->max_hr);
    mix_d(&h, l->avg_cadence_spm);
    mix_d(&h, l->avg_cadence_rpm);
    mix_d(&h, l->avg_speed_mps);
    mix(&h, &l->session, sizeof l->session);
    if (l->session < -1 || l->session >= (int32_t)a->n_sessions) abort();
  }
  for (size_t i = 0; i < a->n_sessions; i++) {
    const gk_session *se = &a->sessions[i];
    mix_str(&h, se->sport, sizeof se->sport);
    mix_str(&h, se->sub_sport, sizeof se->sub_sport);
    mix_d(&h, se->start_s);
    mix(&h, &se->on_foot, sizeof se->on_foot);
    mix(&h, &se->first_lap, sizeof se->first_lap);
    mix(&h, &se->n_laps, sizeof se->n_laps);
    mix(&h, &se->first_sample, sizeof se->first_sample);
    mix(&h, &se->n_samples, sizeof se->n_samples);
    mix_summary(&h, &se->summary);
    if (se->first_sample + se->n_samples > s->n) abort();
    if ((size_t)se->first_lap + se->n_laps > a->n_laps) abort();
  }
  return h;
}

static void finish(outcome *o, gk_activity *a) {
  if (o->st != GK_OK) {
    if (a != NULL || o->err.code != o->st || o->err.msg == NULL) abort();
    return;
  }
  if (a == NULL) abort();
  o->hash = touch(a);
  o->n = a->series.n;
  if (o->n > o->stats.points) abort();
  gk_activity_free(a);
}

/* max_chunk == 0: one byte at a time. */
static void stream(const uint8_t *data, size_t size, unsigned opts,
                   unsigned seed, size_t max_chunk, outcome *o) {
  memset(o, 0, sizeof *o);
  gk__xml_reader *r;
  if (gk__xml_reader_new(&r, GK_FUZZ_FORMAT, opts) != GK_OK) abort();
  uint32_t x = seed * 2654435761u + 1;
  for (size_t pos = 0; pos < size;) {
    size_t n = 1;
    if (max_chunk) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      n = 1 + x % max_chunk;
    }
    if (n > size - pos) n = size - pos;
    uint8_t *piece = (uint8_t *)malloc(n);
    if (piece == NULL) abort();
    memcpy(piece, data + pos, n);
    gk_status st = gk__xml_reader_feed(r, piece, n);
    free(piece);
    pos += n;
    if (st != GK_OK) break;
  }
  gk_activity *a = NULL;
  o->st = gk__xml_reader_finish(r, &a, &o->stats, &o->err);
  finish(o, a);
}

static void same(const outcome *a, const outcome *b) {
  if (a->st != b->st) abort();
  if (memcmp(&a->stats, &b->stats, sizeof a->stats) != 0) abort();
  if (a->hash != b->hash || a->n != b->n) abort();
  if (a->err.msg || b->err.msg) {
    if (a->err.msg == NULL || b->err.msg == NULL) abort();
    if (strcmp(a->err.msg, b->err.msg) != 0) abort();
    if (a->err.offset != b->err.offset || a->err.line != b->err.line ||
        a->err.col != b->err.col)
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned opts = 0;
  if (size > 0) {
    uint8_t last = data[size - 1];
    if (last & 1) opts |= GK_XML_PARTIAL;
    if (last & 2) opts |= GK_XML_UNKNOWN_ON_FOOT;
  }

  outcome whole;
  memset(&whole, 0, sizeof whole);
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  gk_activity *a = NULL;
  whole.st = gk_xml_read_activity(GK_FUZZ_FORMAT, size ? copy : NULL, size,
                                  opts, &a, &whole.stats, &whole.err);
  if (whole.st == GK_OK) {
    if (a->source.content_hash != gk_fnv1a64(data, size)) abort();
    a->source.content_hash = 0; /* the streamed reads do not set it */
  }
  free(copy);
  if (whole.st != GK_OK && whole.err.offset > size) abort();
  finish(&whole, a);

  /* the sniffer must not disagree with a successful read */
  if (whole.st == GK_OK && size > 0 &&
      gk_sniff_format(data, size) != GK_FUZZ_FORMAT &&
      gk_sniff_format(data, size) != GK_FORMAT_UNKNOWN)
    abort();

  unsigned first = size ? data[0] : 0;
  outcome chunked;
  stream(data, size, opts, first, 64, &chunked);
  same(&whole, &chunked);

  outcome bytewise;
  stream(data, size, opts, 0, 0, &bytewise);
  same(&whole, &bytewise);
  return 0;
}
