/*
** fuzz_fit.c -- libFuzzer harness for the FIT decoder.
**
** Each input is decoded three ways: whole buffer (gk_fit_decode), streamed
** in chunks whose sizes come from the input's first byte (a small PRNG
** seeded by it), and, for inputs up to 4 KiB, streamed one byte at a time.
** Every streamed chunk is its own exact-size heap copy, freed right after
** gk_fit_feed, so ASan catches a decoder that keeps pointers into the
** caller's buffer.  The callback reads every field, value and string so
** ASan sees every read.  The three ways must agree on the status, the
** error offset and message, the number of messages and a hash of
** everything delivered; otherwise the harness aborts.  (stats.bytes is not
** compared: streaming and whole-buffer decoding disagree on it today, see
** test_stats_bytes in tests/unit/test_fit.c.)
**
** The input's last byte picks the options (GK_FIT_ACCEPT_BAD_CRC,
** GK_FIT_NO_EXPAND), so mutated files get past their CRCs half the time.
**
** Build and run (from the repository root):
**   clang -g -O1 -fsanitize=fuzzer,address,undefined \
**     -fno-sanitize-recover=undefined -Iinclude -Isrc \
**     tests/fuzz/fuzz_fit.c src/core/[a-z]*.c src/formats/fit/[a-z]*.c \
**     -lm -o /tmp/fuzz_fit
**   mkdir -p /tmp/corpus
**   /tmp/fuzz_fit -max_total_time=60 /tmp/corpus tests/data/fit
** Without -fno-sanitize-recover=undefined, UBSan only prints undefined
** behaviour and the fuzzer goes on: no reproducer is saved.
** Seeds: tests/data/fit/ (made by `test_fit --write-seeds`); keep crash
** reproducers there as crash-<name>.fit (test_fit decodes them all).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/fit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct tally {
  uint64_t messages;
  uint64_t hash; /* FNV-1a over everything the callback saw */
} tally;

static void mix(tally *t, const void *p, size_t n) {
  const uint8_t *b = (const uint8_t *)p;
  for (size_t i = 0; i < n; i++) {
    t->hash ^= b[i];
    t->hash *= 0x100000001B3ull;
  }
}

static void mix_str(tally *t, const char *s) {
  if (s == NULL) {
    mix(t, "\xff", 1);
    return;
  }
  mix(t, s, strlen(s) + 1);
}

static void touch_field(tally *t, const gk_fit_mesg *m, const gk_fit_field *f) {
  mix_str(t, f->name);
  mix_str(t, f->units);
  mix(t, &f->num, 1);
  mix(t, &f->base_type, 1);
  mix(t, &f->flags, 1);
  mix(t, &f->dev_index, 1);
  mix(t, &f->n_values, sizeof f->n_values);
  if (f->n_values == 0) abort(); /* fields have at least one value */
  for (unsigned k = 0; k < f->n_values; k++) {
    const gk_fit_value *v = &f->values[k];
    mix(t, &v->kind, 1);
    switch (v->kind) {
      case GK_FIT_V_NULL:
        break;
      case GK_FIT_V_NUM:
        mix(t, &v->v.f, sizeof v->v.f);
        break;
      case GK_FIT_V_I64:
      case GK_FIT_V_U64:
      case GK_FIT_V_TIME:
        mix(t, &v->v.u, sizeof v->v.u);
        break;
      case GK_FIT_V_ENUM:
        mix(t, &v->v.u, sizeof v->v.u);
        mix_str(t, gk_fit_enum_name(f, v->v.u));
        break;
      case GK_FIT_V_STR:
        if (v->v.s == NULL) abort();
        mix_str(t, v->v.s);
        break;
      default:
        abort(); /* an unknown value kind */
    }
  }
  /* the lookups must find something for a named field */
  if (f->name && gk_fit_mesg_field(m, f->name) == NULL) abort();
}

static int on_mesg(void *user, const gk_fit_mesg *m) {
  tally *t = (tally *)user;
  t->messages++;
  mix_str(t, m->name);
  mix(t, &m->num, sizeof m->num);
  mix(t, &m->local, 1);
  mix(t, &m->has_timestamp, 1);
  mix(t, &m->timestamp, sizeof m->timestamp);
  mix(t, &m->offset, sizeof m->offset);
  if (m->local > 15) abort();
  for (unsigned i = 0; i < m->n_fields; i++) touch_field(t, m, &m->fields[i]);
  for (unsigned i = 0; i < m->n_dev_fields; i++)
    touch_field(t, m, &m->dev_fields[i]);
  double x = gk_fit_mesg_num(m, 253);
  mix(t, &x, sizeof x);
  return 0;
}

typedef struct outcome {
  gk_status st;
  uint64_t offset;
  const char *msg; /* static error message, or NULL */
  tally t;
} outcome;

/* max_chunk == 0: one byte at a time. */
static void stream(const uint8_t *data, size_t size, unsigned opts,
                   unsigned seed, size_t max_chunk, outcome *o) {
  memset(o, 0, sizeof *o);
  gk_fit_decoder *d;
  if (gk_fit_decoder_new(&d, NULL, opts, on_mesg, &o->t) != GK_OK) abort();
  uint32_t r = seed * 2654435761u + 1;
  size_t pos = 0;
  gk_status st = GK_OK;
  while (pos < size && st == GK_OK) {
    size_t n = 1;
    if (max_chunk) {
      r ^= r << 13;
      r ^= r >> 17;
      r ^= r << 5;
      n = 1 + r % max_chunk;
    }
    if (n > size - pos) n = size - pos;
    uint8_t *piece = (uint8_t *)malloc(n);
    if (piece == NULL) abort();
    memcpy(piece, data + pos, n);
    st = gk_fit_feed(d, piece, n);
    free(piece);
    pos += n;
  }
  if (st == GK_OK) st = gk_fit_finish(d);
  o->st = st;
  o->offset = gk_fit_error(d)->offset;
  o->msg = st != GK_OK ? gk_fit_error(d)->msg : NULL;
  if (st != GK_OK && gk_fit_error(d)->code != st) abort();
  if (st != GK_OK && gk_fit_error(d)->msg == NULL) abort();
  if (gk_fit_decoder_stats(d)->messages != o->t.messages) abort();
  gk_fit_decoder_free(d);
}

static void same(const outcome *a, const outcome *b) {
  if (a->st != b->st) abort();
  if (a->st != GK_OK && a->offset != b->offset) abort();
  if (a->st != GK_OK && strcmp(a->msg, b->msg) != 0) abort();
  if (a->t.messages != b->t.messages) abort();
  if (a->t.hash != b->t.hash) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  unsigned opts = 0;
  if (size > 0) {
    uint8_t last = data[size - 1];
    if (last & 1) opts |= GK_FIT_ACCEPT_BAD_CRC;
    if ((last & 6) == 6) opts |= GK_FIT_NO_EXPAND;
  }

  outcome whole;
  memset(&whole, 0, sizeof whole);
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) abort();
  if (size) memcpy(copy, data, size);
  gk_err err;
  gk_fit_stats stats;
  whole.st = gk_fit_decode(size ? copy : NULL, size, opts, on_mesg, &whole.t,
                           &err, &stats);
  free(copy);
  whole.offset = err.offset;
  whole.msg = whole.st != GK_OK ? err.msg : NULL;
  if (whole.st != GK_OK && err.code != whole.st) abort();
  if (whole.st != GK_OK && (err.msg == NULL || err.offset > size)) abort();
  if (stats.messages != whole.t.messages) abort();

  unsigned first = size ? data[0] : 0;
  outcome chunked;
  stream(data, size, opts, first, 1 + (first & 0x3F), &chunked);
  same(&whole, &chunked);

  if (size <= 4096) {
    outcome bytewise;
    stream(data, size, opts, 0, 0, &bytewise);
    same(&whole, &bytewise);
  }
  return 0;
}
