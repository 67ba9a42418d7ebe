/*
** test_fit.c -- the FIT decoder, the FIT writer and the CRC.
**
** Every FIT file here is built in memory with the writer
** (gaitkeeper/fit_write.h) and decoded three ways: whole buffer
** (gk_fit_decode), streaming one byte at a time, and streaming in random
** chunk sizes (each chunk in its own heap copy, freed after the feed, so
** ASan catches a decoder that keeps pointers into the caller's buffer).  All
** ways must give the same messages (compared as a canonical text rendering),
** the same status, error offset and message, and the same statistics
** (stats.bytes aside: test_stats_bytes); decode() checks that on every
** call, then the tests assert decoded values.
**
** The same builders make the fuzz seeds in tests/data/fit/.  Regenerate
** them (from the repository root, after building) with:
**
**     build/h4/tests/test_fit --write-seeds tests/data/fit
**
** test_seed_files checks that the committed seeds are byte-for-byte what
** the builders make, that y_*.fit decode without error and n_*.fit fail
** with the expected status, and that crash-*.fit (kept fuzzer reproducers)
** decode the same way whole and streamed.
*/
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/fit.h"
#include "gaitkeeper/fit_ids.h"
#include "gaitkeeper/fit_write.h"
#include "gaitkeeper/json.h"
#include "test.h"

#ifndef GK_TEST_DATA
#define GK_TEST_DATA "tests/data"
#endif

#define TS0 1000000000u /* a FIT date_time: 2021-09-09T01:46:40Z */
#define MESG_UNKNOWN 0xFF00u /* a manufacturer-specific message number */

/* ---- small utilities ---------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void) {
  uint64_t x = rng_state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return rng_state = x;
}

typedef struct bytes {
  uint8_t *p;
  size_t n;
} bytes;

static void bytes_free(bytes *b) {
  free(b->p);
  b->p = NULL;
  b->n = 0;
}

static void bytes_cat(bytes *a, const bytes *b) {
  uint8_t *p = (uint8_t *)realloc(a->p, a->n + b->n + 1);
  if (p == NULL) abort();
  memcpy(p + a->n, b->p, b->n);
  a->p = p;
  a->n += b->n;
}

static gk_fit_writer *wnew(unsigned flags) {
  gk_fit_writer *w = NULL;
  if (!CHECK_EQ_INT(gk_fit_writer_new(&w, NULL, flags), GK_OK)) return NULL;
  return w;
}

/* Finish w, copy the file into out and free w.  Returns 1 on success. */
static int take(gk_fit_writer *w, bytes *out) {
  const uint8_t *data;
  size_t len;
  out->p = NULL;
  out->n = 0;
  if (w == NULL) return 0;
  int ok = CHECK_EQ_INT(gk_fit_writer_finish(w, &data, &len), GK_OK);
  if (ok) {
    out->p = (uint8_t *)malloc(len + 1);
    if (out->p == NULL) abort();
    memcpy(out->p, data, len);
    out->n = len;
  }
  gk_fit_writer_free(w);
  return ok;
}

/* Recompute a finished file's header CRC (14-byte header) and file CRC,
   after a test patched it. */
static void fix_crcs(bytes *b) {
  if (b->p[0] == 14) {
    uint16_t c = gk_fit_crc16(0, b->p, 12);
    b->p[12] = (uint8_t)c;
    b->p[13] = (uint8_t)(c >> 8);
  }
  uint16_t c = gk_fit_crc16(0, b->p, b->n - 2);
  b->p[b->n - 2] = (uint8_t)c;
  b->p[b->n - 1] = (uint8_t)(c >> 8);
}

/* ---- capture: every message rendered as text and deep-copied ------------ */

typedef struct capture {
  gk_buf text;         /* canonical rendering, one line per message */
  gk_fit_mesg *mesgs;  /* deep copies (fields, values and strings owned) */
  size_t n;
  size_t cap;
  uint64_t stop_after; /* the callback stops after this many messages (0:
                          never) */
} capture;

static void render_value(gk_buf *b, const gk_fit_field *f,
                         const gk_fit_value *v) {
  char tmp[96];
  switch (v->kind) {
    case GK_FIT_V_NULL:
      gk_buf_puts(b, "null");
      return;
    case GK_FIT_V_NUM:
      snprintf(tmp, sizeof tmp, "%.17g", v->v.f);
      break;
    case GK_FIT_V_I64:
      snprintf(tmp, sizeof tmp, "i%lld", (long long)v->v.i);
      break;
    case GK_FIT_V_U64:
      snprintf(tmp, sizeof tmp, "u%llu", (unsigned long long)v->v.u);
      break;
    case GK_FIT_V_STR:
      gk_buf_putc(b, '"');
      gk_buf_puts(b, v->v.s);
      gk_buf_putc(b, '"');
      return;
    case GK_FIT_V_ENUM: {
      const char *name = gk_fit_enum_name(f, v->v.u);
      snprintf(tmp, sizeof tmp, "e%llu(%s)", (unsigned long long)v->v.u,
               name ? name : "-");
      break;
    }
    case GK_FIT_V_TIME:
      snprintf(tmp, sizeof tmp, "t%llu", (unsigned long long)v->v.u);
      break;
    default:
      snprintf(tmp, sizeof tmp, "?kind%u", (unsigned)v->kind);
      break;
  }
  gk_buf_puts(b, tmp);
}

static void render_field(gk_buf *b, const gk_fit_field *f) {
  char tmp[96];
  snprintf(tmp, sizeof tmp, " %s#%u(b%u,f%u,t%u,d%u)[%s]=",
           f->name ? f->name : "?", (unsigned)f->num, (unsigned)f->base_type,
           (unsigned)f->flags, (unsigned)f->type, (unsigned)f->dev_index,
           f->units);
  gk_buf_puts(b, tmp);
  for (unsigned i = 0; i < f->n_values; i++) {
    if (i) gk_buf_putc(b, ',');
    render_value(b, f, &f->values[i]);
  }
}

static void render_mesg(gk_buf *b, const gk_fit_mesg *m) {
  char tmp[128];
  snprintf(tmp, sizeof tmp, "@%llu %s#%u L%u ts%u=%u :",
           (unsigned long long)m->offset, m->name ? m->name : "?",
           (unsigned)m->num, (unsigned)m->local, (unsigned)m->has_timestamp,
           (unsigned)m->timestamp);
  gk_buf_puts(b, tmp);
  for (unsigned i = 0; i < m->n_fields; i++) render_field(b, &m->fields[i]);
  gk_buf_puts(b, " |");
  for (unsigned i = 0; i < m->n_dev_fields; i++)
    render_field(b, &m->dev_fields[i]);
  gk_buf_putc(b, '\n');
}

static size_t str_size(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Copy the string src to dst; *next receives the byte after its NUL. */
static const char *dup_into(char *dst, const char *src, char **next) {
  size_t n = strlen(src) + 1;
  memcpy(dst, src, n);
  *next = dst + n;
  return dst;
}

/* One heap block per message: fields, values, then every string. */
static void copy_mesg(capture *c, const gk_fit_mesg *m) {
  size_t nf = (size_t)m->n_fields + m->n_dev_fields, nv = 0, ns = 0;
  for (size_t i = 0; i < nf; i++) {
    const gk_fit_field *f =
        i < m->n_fields ? &m->fields[i] : &m->dev_fields[i - m->n_fields];
    nv += f->n_values;
    ns += str_size(f->name) + str_size(f->units);
    for (unsigned k = 0; k < f->n_values; k++)
      if (f->values[k].kind == GK_FIT_V_STR) ns += str_size(f->values[k].v.s);
  }
  char *block = (char *)malloc(nf * sizeof(gk_fit_field) +
                               nv * sizeof(gk_fit_value) + ns + 1);
  if (block == NULL) abort();
  gk_fit_field *fields = (gk_fit_field *)(void *)block;
  gk_fit_value *vals =
      (gk_fit_value *)(void *)(block + nf * sizeof(gk_fit_field));
  char *s = block + nf * sizeof(gk_fit_field) + nv * sizeof(gk_fit_value);
  size_t vi = 0;
  for (size_t i = 0; i < nf; i++) {
    const gk_fit_field *f =
        i < m->n_fields ? &m->fields[i] : &m->dev_fields[i - m->n_fields];
    fields[i] = *f;
    if (f->name) fields[i].name = dup_into(s, f->name, &s);
    fields[i].units = dup_into(s, f->units, &s);
    fields[i].values = vals + vi;
    for (unsigned k = 0; k < f->n_values; k++, vi++) {
      vals[vi] = f->values[k];
      if (vals[vi].kind == GK_FIT_V_STR)
        vals[vi].v.s = dup_into(s, f->values[k].v.s, &s);
    }
  }
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 16;
    c->mesgs = (gk_fit_mesg *)realloc(c->mesgs, c->cap * sizeof *c->mesgs);
    if (c->mesgs == NULL) abort();
  }
  gk_fit_mesg *o = &c->mesgs[c->n++];
  *o = *m;
  o->fields = fields;
  o->dev_fields = fields + m->n_fields;
}

static int capture_cb(void *user, const gk_fit_mesg *m) {
  capture *c = (capture *)user;
  render_mesg(&c->text, m);
  copy_mesg(c, m);
  return c->stop_after != 0 && c->n >= c->stop_after;
}

static void capture_free(capture *c) {
  for (size_t i = 0; i < c->n; i++) free((void *)c->mesgs[i].fields);
  free(c->mesgs);
  gk_buf_free(&c->text);
  memset(c, 0, sizeof *c);
}

/* ---- decoding three ways ------------------------------------------------ */

typedef struct result {
  gk_status st;
  gk_err err;
  gk_fit_stats stats;
  capture cap;
} result;

static void result_free(result *r) { capture_free(&r->cap); }

static void decode_whole(result *r, const uint8_t *buf, size_t len,
                         unsigned opts, uint64_t stop_after) {
  memset(r, 0, sizeof *r);
  r->cap.stop_after = stop_after;
  /* an exact-size heap copy, so reads past the end are caught */
  uint8_t *copy = (uint8_t *)malloc(len ? len : 1);
  if (copy == NULL) abort();
  if (len) memcpy(copy, buf, len);
  r->st = gk_fit_decode(len ? copy : NULL, len, opts, capture_cb, &r->cap,
                        &r->err, &r->stats);
  free(copy);
}

/* chunk == 0: random chunk sizes 1..max_chunk from the rng; else fixed. */
static void decode_stream(result *r, const uint8_t *buf, size_t len,
                          unsigned opts, uint64_t stop_after, size_t chunk,
                          size_t max_chunk) {
  memset(r, 0, sizeof *r);
  r->cap.stop_after = stop_after;
  gk_fit_decoder *d = NULL;
  r->st = gk_fit_decoder_new(&d, NULL, opts, capture_cb, &r->cap);
  if (r->st != GK_OK) return;
  size_t pos = 0;
  gk_status st = GK_OK;
  while (pos < len && st == GK_OK) {
    size_t n = chunk ? chunk : 1 + (size_t)(rng() % max_chunk);
    if (n > len - pos) n = len - pos;
    uint8_t *piece = (uint8_t *)malloc(n);
    if (piece == NULL) abort();
    memcpy(piece, buf + pos, n);
    st = gk_fit_feed(d, piece, n);
    free(piece);
    pos += n;
  }
  if (st == GK_OK) st = gk_fit_finish(d);
  r->st = st;
  r->err = *gk_fit_error(d);
  r->stats = *gk_fit_decoder_stats(d);
  gk_fit_decoder_free(d);
}

static int same_result(const result *a, const result *b, const char *how) {
  int ok = 1;
  ok &= CHECK_EQ_INT(b->st, a->st);
  ok &= CHECK_EQ_INT(b->err.code, a->err.code);
  ok &= CHECK_EQ_INT(b->err.offset, a->err.offset);
  ok &= CHECK_STR(b->err.msg, a->err.msg);
  /* stats.bytes is compared by test_stats_bytes (see there) */
  ok &= CHECK_EQ_INT(b->stats.messages, a->stats.messages);
  ok &= CHECK_EQ_INT(b->stats.definitions, a->stats.definitions);
  ok &= CHECK_EQ_INT(b->stats.files, a->stats.files);
  ok &= CHECK_EQ_INT(b->stats.crc_mismatches, a->stats.crc_mismatches);
  ok &= CHECK_EQ_INT(b->stats.bytes_fallbacks, a->stats.bytes_fallbacks);
  ok &= CHECK_EQ_INT(b->stats.unknown_dev_fields, a->stats.unknown_dev_fields);
  ok &= CHECK_EQ_INT(b->cap.n, a->cap.n);
  const char *ta = a->cap.text.data ? a->cap.text.data : "";
  const char *tb = b->cap.text.data ? b->cap.text.data : "";
  if (strcmp(ta, tb) != 0) {
    ok = 0;
    CHECK_STR(tb, ta);
  }
  if (!ok) fprintf(stderr, "  (streaming %s differs from whole buffer)\n", how);
  return ok;
}

/*
** Decode buf whole (into r, which the caller frees), then streamed one byte
** at a time and in random chunks, and check all agree.  Returns r->st.
*/
static gk_status decode_opts(result *r, const bytes *b, unsigned opts,
                             uint64_t stop_after) {
  decode_whole(r, b->p, b->n, opts, stop_after);
  static const size_t max_chunks[] = {3, 17, 64, 4096};
  result s;
  decode_stream(&s, b->p, b->n, opts, stop_after, 1, 0);
  same_result(r, &s, "byte by byte");
  result_free(&s);
  for (size_t i = 0; i < sizeof max_chunks / sizeof max_chunks[0]; i++) {
    decode_stream(&s, b->p, b->n, opts, stop_after, 0, max_chunks[i]);
    char how[64];
    snprintf(how, sizeof how, "in random chunks of 1..%zu", max_chunks[i]);
    same_result(r, &s, how);
    result_free(&s);
  }
  return r->st;
}

static gk_status decode(result *r, const bytes *b) {
  return decode_opts(r, b, 0, 0);
}

/* ---- looking at decoded messages ---------------------------------------- */

/* The k-th (0-based) captured message with global number num, or NULL. */
static const gk_fit_mesg *nth(const result *r, uint16_t num, unsigned k) {
  for (size_t i = 0; i < r->cap.n; i++)
    if (r->cap.mesgs[i].num == num && k-- == 0) return &r->cap.mesgs[i];
  return NULL;
}

static const gk_fit_field *fld(const gk_fit_mesg *m, const char *name) {
  return m ? gk_fit_mesg_field(m, name) : NULL;
}

/* The field numbered num (not a subfield) or NULL. */
static const gk_fit_field *fnum(const gk_fit_mesg *m, uint8_t num) {
  return m ? gk_fit_mesg_field_num(m, num) : NULL;
}

/* Value k of the named field as a number; NaN when absent. */
static double val(const gk_fit_mesg *m, const char *name, unsigned k) {
  const gk_fit_field *f = fld(m, name);
  if (f == NULL || k >= f->n_values) return NAN;
  return gk_fit_value_num(&f->values[k]);
}

static int kind_of(const gk_fit_mesg *m, const char *name, unsigned k) {
  const gk_fit_field *f = fld(m, name);
  if (f == NULL || k >= f->n_values) return -1;
  return f->values[k].kind;
}

static const char *str_of(const gk_fit_mesg *m, const char *name, unsigned k) {
  const gk_fit_field *f = fld(m, name);
  if (f == NULL || k >= f->n_values || f->values[k].kind != GK_FIT_V_STR)
    return NULL;
  return f->values[k].v.s;
}

/* ---- builders ----------------------------------------------------------- */

static const gk_fit_field_def file_id_def[] = {
    {GK_FIT_FILE_ID_TYPE, 1, GK_FIT_ENUM},
    {GK_FIT_FILE_ID_MANUFACTURER, 2, GK_FIT_UINT16},
    {GK_FIT_FILE_ID_PRODUCT, 2, GK_FIT_UINT16},
    {GK_FIT_FILE_ID_SERIAL_NUMBER, 4, GK_FIT_UINT32Z},
    {GK_FIT_FILE_ID_TIME_CREATED, 4, GK_FIT_UINT32},
};

static void put_file_id(gk_fit_writer *w, uint8_t local, uint16_t manufacturer,
                        uint16_t product) {
  CHECK_EQ_INT(gk_fit_write_definition(w, local, GK_FIT_MESG_FILE_ID, 5,
                                       file_id_def, 0, NULL),
               GK_OK);
  gk_fit_msg_begin(w, local);
  gk_fit_put_u8(w, 4); /* activity */
  gk_fit_put_u16(w, manufacturer);
  gk_fit_put_u16(w, product);
  gk_fit_put_u32(w, 123456789);
  gk_fit_put_u32(w, TS0);
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

static const gk_fit_field_def record_def[] = {
    {GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
    {GK_FIT_RECORD_POSITION_LAT, 4, GK_FIT_SINT32},
    {GK_FIT_RECORD_POSITION_LONG, 4, GK_FIT_SINT32},
    {GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8},
    {GK_FIT_RECORD_DISTANCE, 4, GK_FIT_UINT32},
    {GK_FIT_RECORD_SPEED, 2, GK_FIT_UINT16},
    {GK_FIT_RECORD_ALTITUDE, 2, GK_FIT_UINT16},
    {GK_FIT_RECORD_CADENCE, 1, GK_FIT_UINT8},
};
#define RECORD_DEF_N 8

static void put_record(gk_fit_writer *w, uint8_t local, unsigned i) {
  gk_fit_msg_begin(w, local);
  gk_fit_put_u32(w, TS0 + i);
  gk_fit_put_s32(w, 500000000 + (int32_t)i * 1000);
  gk_fit_put_s32(w, -100000000 - (int32_t)i * 1000);
  gk_fit_put_u8(w, (uint8_t)(120 + i));
  gk_fit_put_u32(w, i * 500);
  gk_fit_put_u16(w, (uint16_t)(2500 + i * 10));
  gk_fit_put_u16(w, (uint16_t)(3000 + i * 5));
  gk_fit_put_u8(w, (uint8_t)(80 + i));
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

static const gk_fit_field_def event_def[] = {
    {GK_FIT_EVENT_TIMESTAMP, 4, GK_FIT_UINT32},
    {GK_FIT_EVENT_EVENT, 1, GK_FIT_ENUM},
    {GK_FIT_EVENT_EVENT_TYPE, 1, GK_FIT_ENUM},
    {GK_FIT_EVENT_DATA, 4, GK_FIT_UINT32},
};

static void put_event(gk_fit_writer *w, uint8_t local, uint32_t ts,
                      uint8_t event, uint8_t type, uint32_t data) {
  gk_fit_msg_begin(w, local);
  gk_fit_put_u32(w, ts);
  gk_fit_put_u8(w, event);
  gk_fit_put_u8(w, type);
  gk_fit_put_u32(w, data);
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

#define ACTIVITY_RECORDS 5
#define ACTIVITY_MESGS (1 + 1 + ACTIVITY_RECORDS + 1)

/*
** A small activity into w: file_id, event (timer start), 5 records, event
** (timer stop).  ends[] (optional, ACTIVITY_MESGS entries) receives the
** offset just past each data message.
*/
static void build_activity_into(gk_fit_writer *w, size_t *ends) {
  unsigned k = 0;
  put_file_id(w, 0, 1, 1);
  if (ends) ends[k++] = gk_fit_writer_size(w);
  CHECK_EQ_INT(gk_fit_write_definition(w, 1, GK_FIT_MESG_EVENT, 4, event_def, 0,
                                       NULL),
               GK_OK);
  put_event(w, 1, TS0, 0, 0, 0);
  if (ends) ends[k++] = gk_fit_writer_size(w);
  CHECK_EQ_INT(gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, RECORD_DEF_N,
                                       record_def, 0, NULL),
               GK_OK);
  for (unsigned i = 0; i < ACTIVITY_RECORDS; i++) {
    put_record(w, 2, i);
    if (ends) ends[k++] = gk_fit_writer_size(w);
  }
  put_event(w, 1, TS0 + ACTIVITY_RECORDS, 0, 4, 0);
  if (ends) ends[k++] = gk_fit_writer_size(w);
}

static int build_activity(bytes *out, unsigned flags, size_t *ends) {
  gk_fit_writer *w = wnew(flags);
  if (w == NULL) return 0;
  build_activity_into(w, ends);
  return take(w, out);
}

/* Check the activity's decoded values (file k of a chain: msg offset base). */
static void check_activity(const result *r, unsigned file) {
  const gk_fit_mesg *fid = nth(r, GK_FIT_MESG_FILE_ID, file);
  ASSERT_TRUE(fid != NULL);
  ASSERT_STR(fid->name, "file_id");
  ASSERT_EQ_INT(kind_of(fid, "type", 0), GK_FIT_V_ENUM);
  ASSERT_STR(gk_fit_enum_name(fld(fid, "type"), 4), "activity");
  ASSERT_EQ_INT(val(fid, "manufacturer", 0), 1);
  ASSERT_EQ_INT(val(fid, "serial_number", 0), 123456789);
  ASSERT_EQ_INT(kind_of(fid, "time_created", 0), GK_FIT_V_TIME);
  ASSERT_EQ_INT(val(fid, "time_created", 0), TS0);
  for (unsigned i = 0; i < ACTIVITY_RECORDS; i++) {
    const gk_fit_mesg *m =
        nth(r, GK_FIT_MESG_RECORD, file * ACTIVITY_RECORDS + i);
    ASSERT_TRUE(m != NULL);
    ASSERT_STR(m->name, "record");
    ASSERT_EQ_INT(m->local, 2);
    ASSERT_EQ_INT(m->has_timestamp, 1);
    ASSERT_EQ_INT(m->timestamp, TS0 + i);
    ASSERT_EQ_INT(val(m, "position_lat", 0), 500000000 + (int)i * 1000);
    ASSERT_EQ_INT(val(m, "position_long", 0), -100000000 - (int)i * 1000);
    ASSERT_STR(fld(m, "position_lat")->units, "semicircles");
    ASSERT_EQ_INT(val(m, "heart_rate", 0), 120 + i);
    ASSERT_NEAR(val(m, "distance", 0), i * 5.0, 1e-9);
    ASSERT_NEAR(val(m, "speed", 0), 2.5 + i * 0.01, 1e-9);
    ASSERT_NEAR(val(m, "altitude", 0), 100.0 + i, 1e-9);
    ASSERT_EQ_INT(val(m, "cadence", 0), 80 + i);
  }
  const gk_fit_mesg *ev = nth(r, GK_FIT_MESG_EVENT, 2 * file + 1);
  ASSERT_TRUE(ev != NULL);
  ASSERT_STR(gk_fit_enum_name(fld(ev, "event_type"),
                              (uint64_t)val(ev, "event_type", 0)),
             "stop_all");
}

/* ---- CRC and sniffing --------------------------------------------------- */

static uint16_t crc_bitwise(uint16_t crc, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int b = 0; b < 8; b++)
      crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
  }
  return crc;
}

static void test_crc16_bitwise(void) {
  ASSERT_EQ_INT(gk_fit_crc16(0, "123456789", 9), 0xBB3D); /* CRC-16/ARC */
  ASSERT_EQ_INT(gk_fit_crc16(0, NULL, 0), 0);
  uint8_t buf[1024];
  for (int round = 0; round < 200; round++) {
    size_t n = (size_t)(rng() % sizeof buf);
    for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)rng();
    uint16_t seed = (uint16_t)rng();
    ASSERT_EQ_INT(gk_fit_crc16(seed, buf, n), crc_bitwise(seed, buf, n));
    /* continuing a CRC over a split equals one pass */
    size_t cut = n ? (size_t)(rng() % n) : 0;
    ASSERT_EQ_INT(gk_fit_crc16(gk_fit_crc16(0, buf, cut), buf + cut, n - cut),
                  crc_bitwise(0, buf, n));
  }
}

/* fit_crc.c works eight bytes at a time through eight 256-entry tables,
   then byte by byte through the first.  An 8-byte block that is zero but
   for byte j = b reads exactly one entry of table 7 - j (the others read
   entry 0, which is 0), so every entry of every table is checked against
   the bitwise definition; single bytes check the first table again. */
static void test_crc16_table(void) {
  for (unsigned j = 0; j < 8; j++)
    for (unsigned b = 0; b < 256; b++) {
      uint8_t block[8] = {0};
      block[j] = (uint8_t)b;
      if (!CHECK_EQ_INT(gk_fit_crc16(0, block, 8), crc_bitwise(0, block, 8))) {
        fprintf(stderr, "  table %u, entry %u\n", 7 - j, b);
        return;
      }
    }
  for (unsigned b = 0; b < 256; b++) {
    uint8_t byte = (uint8_t)b;
    ASSERT_EQ_INT(gk_fit_crc16(0, &byte, 1), crc_bitwise(0, &byte, 1));
  }
  ASSERT_EQ_INT(gk_fit_crc16(0, "\x01", 1), 0xC0C1);
  ASSERT_EQ_INT(gk_fit_crc16(0, "\xff", 1), 0x4040);
  /* every length 0..40 from every alignment 0..7 */
  uint8_t buf[64];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)rng();
  for (size_t al = 0; al < 8; al++)
    for (size_t n = 0; n <= 40; n++)
      ASSERT_EQ_INT(gk_fit_crc16(0x1234, buf + al, n),
                    crc_bitwise(0x1234, buf + al, n));
}

static void test_sniff(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, 0, NULL));
  ASSERT_EQ_INT(gk_fit_sniff(a.p, a.n), 1);
  ASSERT_EQ_INT(gk_fit_sniff(a.p, 12), 1);
  ASSERT_EQ_INT(gk_fit_sniff(a.p, 11), 0);
  ASSERT_EQ_INT(gk_fit_sniff(a.p, 0), 0);
  a.p[0] = 13;
  ASSERT_EQ_INT(gk_fit_sniff(a.p, a.n), 0);
  a.p[0] = 12;
  ASSERT_EQ_INT(gk_fit_sniff(a.p, a.n), 1);
  a.p[9] = 'f';
  ASSERT_EQ_INT(gk_fit_sniff(a.p, a.n), 0);
  bytes_free(&a);
  ASSERT_EQ_INT(gk_fit_sniff("\x0e\x20\x00\x00\x00\x00\x00\x00.FIT", 12), 1);
  ASSERT_EQ_INT(gk_fit_sniff("\x0e\x20\x00\x00\x00\x00\x00\x00.FIX", 12), 0);
}

/* ---- the writer itself -------------------------------------------------- */

static void test_writer_layout(void) {
  gk_fit_writer *w = wnew(0);
  ASSERT_TRUE(w != NULL);
  ASSERT_EQ_INT(gk_fit_writer_size(w), 14);
  gk_fit_writer_set_big_endian(w, 1);
  gk_fit_field_def f[] = {{6, 2, GK_FIT_UINT16}, {1, 2, GK_FIT_SINT16}};
  ASSERT_EQ_INT(gk_fit_write_definition(w, 3, 0x1234, 2, f, 0, NULL), GK_OK);
  gk_fit_msg_begin(w, 3);
  gk_fit_put_u16(w, 0xABCD);
  gk_fit_put_invalid(w);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  gk_fit_writer_set_big_endian(w, 0);
  gk_fit_dev_field_def dv[] = {{7, 3, 2}};
  ASSERT_EQ_INT(gk_fit_write_definition(w, 15, 0x1234, 1, f, 1, dv), GK_OK);
  static const uint8_t body[] = {0x34, 0x12, 1, 2, 3};
  ASSERT_EQ_INT(gk_fit_write_message(w, 15, body, sizeof body), GK_OK);
  ASSERT_EQ_INT(gk_fit_write_compressed(w, 3, 17, "\x00\x01\x02\x03", 4),
                GK_OK);
  const uint8_t *d;
  size_t n;
  ASSERT_EQ_INT(gk_fit_writer_finish(w, &d, &n), GK_OK);
  static const uint8_t want[] = {
      14, 0x20, 0xE1, 0x52, 0, 0, 0, 0, '.', 'F', 'I', 'T', 0, 0, /* header */
      0x43, 0, 1, 0x12, 0x34, 2, 6, 2, 0x84, 1, 2, 0x83, /* BE definition */
      0x03, 0xAB, 0xCD, 0x7F, 0xFF,                       /* BE data */
      0x6F, 0, 0, 0x34, 0x12, 1, 6, 2, 0x84, 1, 7, 3, 2, /* dev definition */
      0x0F, 0x34, 0x12, 1, 2, 3,                         /* data */
      0x80 | (3 << 5) | 17, 0, 1, 2, 3,                  /* compressed */
  };
  ASSERT_EQ_INT(n, sizeof want + 2);
  uint32_t data_size = (uint32_t)(sizeof want - 14);
  ASSERT_EQ_INT(d[4] | (d[5] << 8) | (d[6] << 16) | ((uint32_t)d[7] << 24),
                data_size);
  ASSERT_EQ_INT(d[12] | (d[13] << 8), gk_fit_crc16(0, d, 12));
  for (size_t i = 0; i < sizeof want; i++) {
    if (i >= 4 && i < 8) continue;
    if (i >= 12 && i < 14) continue;
    if (!CHECK_EQ_INT(d[i], want[i])) {
      fprintf(stderr, "  at byte %zu\n", i);
      break;
    }
  }
  ASSERT_EQ_INT(d[n - 2] | (d[n - 1] << 8), gk_fit_crc16(0, d, n - 2));
  ASSERT_EQ_INT(gk_fit_crc16(0, d, n), 0); /* a CRC over data+CRC is 0 */
  /* finish again: the same file; writes after finish fail */
  const uint8_t *d2;
  size_t n2;
  ASSERT_EQ_INT(gk_fit_writer_finish(w, &d2, &n2), GK_OK);
  ASSERT_TRUE(d2 == d && n2 == n);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 0, 1, f, 0, NULL), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_msg_begin(w, 3), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_raw(w, "x", 1), GK_E_ARG);
  gk_fit_writer_free(w);
}

static void test_writer_args(void) {
  gk_fit_writer *w = NULL;
  ASSERT_EQ_INT(gk_fit_writer_new(NULL, NULL, 0), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_new(&w, NULL, 0x100), GK_E_ARG);
  ASSERT_TRUE(w == NULL);
  w = wnew(0);
  ASSERT_TRUE(w != NULL);
  gk_fit_field_def ok[] = {{0, 2, GK_FIT_UINT16}, {1, 1, GK_FIT_UINT8}};
  gk_fit_field_def canon[] = {{0, 2, 0x84}};
  gk_fit_field_def bad_base[] = {{0, 1, 0x11}};
  gk_fit_field_def bad_bits[] = {{0, 2, 0x44}};
  gk_fit_field_def zero[] = {{0, 0, GK_FIT_UINT8}};
  gk_fit_field_def odd[] = {{0, 3, GK_FIT_UINT16}};
  gk_fit_dev_field_def dzero[] = {{0, 0, 0}};
  ASSERT_EQ_INT(gk_fit_write_definition(w, 16, 20, 2, ok, 0, NULL), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, bad_base, 0, NULL),
                GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, bad_bits, 0, NULL),
                GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, zero, 0, NULL), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, odd, 0, NULL), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, NULL, 0, NULL), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, ok, 1, NULL), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, ok, 1, dzero), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_size(w), 14); /* nothing written */
  ASSERT_EQ_INT(gk_fit_write_definition(w, 1, 20, 1, canon, 0, NULL), GK_OK);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 2, ok, 0, NULL), GK_OK);
  size_t size = gk_fit_writer_size(w);
  ASSERT_EQ_INT(size, 14 + 12 + 9);

  /* messages from a body */
  ASSERT_EQ_INT(gk_fit_write_message(w, 2, "abc", 3), GK_E_ARG); /* undefined */
  ASSERT_EQ_INT(gk_fit_write_message(w, 0, "ab", 2), GK_E_ARG);  /* short */
  ASSERT_EQ_INT(gk_fit_write_message(w, 16, "abc", 3), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_compressed(w, 4, 0, "abc", 3), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_write_compressed(w, 0, 32, "abc", 3), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_size(w), size);

  /* puts: wrong size, too few, too many, string too long -> message dropped */
  ASSERT_EQ_INT(gk_fit_msg_begin(w, 0), GK_OK);
  ASSERT_EQ_INT(gk_fit_msg_begin(w, 0), GK_E_ARG); /* already in one */
  gk_fit_put_u32(w, 1);
  gk_fit_put_u8(w, 1);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_size(w), size);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u16(w, 1);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_size(w), size);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u16(w, 1);
  gk_fit_put_u8(w, 2);
  gk_fit_put_u8(w, 3);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_size(w), size);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_str(w, "abc"); /* 3 bytes into a 2-byte field */
  gk_fit_put_u8(w, 3);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_E_ARG); /* not in a message */
  ASSERT_EQ_INT(gk_fit_writer_size(w), size);
  /* a good one; put_bytes spans fields */
  gk_fit_msg_begin(w, 0);
  gk_fit_put_bytes(w, "\x01\x02\x03", 3);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  ASSERT_EQ_INT(gk_fit_writer_size(w), size + 4);
  /* finish inside a message fails; a stray put is reported by finish */
  const uint8_t *d;
  size_t n;
  gk_fit_msg_begin(w, 0);
  ASSERT_EQ_INT(gk_fit_writer_finish(w, &d, &n), GK_E_ARG);
  gk_fit_put_u16(w, 0x0201);
  gk_fit_put_u8(w, 3);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  gk_fit_put_u8(w, 3);
  ASSERT_EQ_INT(gk_fit_writer_finish(w, &d, &n), GK_E_ARG);
  ASSERT_EQ_INT(gk_fit_writer_finish(w, &d, &n), GK_OK);
  ASSERT_EQ_INT(n, size + 4 + 4 + 2);
  ASSERT_EQ_INT(d[n - 3], 3);
  ASSERT_EQ_INT(d[n - 4], 2);
  gk_fit_writer_free(w);
  gk_fit_writer_free(NULL);

  /* odd sizes with the flag */
  w = wnew(GK_FIT_W_ODD_SIZES);
  ASSERT_TRUE(w != NULL);
  ASSERT_EQ_INT(gk_fit_write_definition(w, 0, 20, 1, odd, 0, NULL), GK_OK);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u8(w, 1); /* odd field: any size that fits */
  gk_fit_put_u16(w, 0x0302);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  gk_fit_writer_free(w);
}

/* An allocator that fails from its fail_at-th call on (0: never). */
typedef struct failing_alloc {
  unsigned calls;
  unsigned fail_at;
  long live; /* blocks allocated and not freed */
} failing_alloc;

static void *fa_malloc(void *ctx, size_t n) {
  failing_alloc *f = (failing_alloc *)ctx;
  if (f->fail_at && ++f->calls >= f->fail_at) return NULL;
  void *p = malloc(n);
  if (p) f->live++;
  return p;
}
static void *fa_realloc(void *ctx, void *p, size_t old, size_t n) {
  failing_alloc *f = (failing_alloc *)ctx;
  (void)old;
  if (f->fail_at && ++f->calls >= f->fail_at) return NULL;
  void *q = realloc(p, n);
  if (q && p == NULL) f->live++;
  return q;
}
static void fa_free(void *ctx, void *p, size_t n) {
  failing_alloc *f = (failing_alloc *)ctx;
  (void)n;
  if (p) f->live--;
  free(p);
}

/* Build a file of ~4 KiB with allocator a.  Returns the first status that
   is not GK_OK (GK_OK when none), and the file in out when all went well. */
static gk_status build_with(const gk_alloc *a, bytes *out) {
  gk_fit_writer *w = NULL;
  gk_status st = gk_fit_writer_new(&w, a, 0);
  if (st != GK_OK) return st;
  st = gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, RECORD_DEF_N,
                               record_def, 0, NULL);
  for (unsigned i = 0; st == GK_OK && i < 180; i++) {
    st = gk_fit_msg_begin(w, 2);
    if (st != GK_OK) break;
    gk_fit_put_u32(w, TS0 + i);
    gk_fit_put_s32(w, 1);
    gk_fit_put_s32(w, 2);
    gk_fit_put_u8(w, 3);
    gk_fit_put_u32(w, i);
    gk_fit_put_u16(w, 5);
    gk_fit_put_u16(w, 6);
    gk_fit_put_u8(w, 7);
    st = gk_fit_msg_end(w);
  }
  const uint8_t *d;
  size_t n;
  if (st == GK_OK) st = gk_fit_writer_finish(w, &d, &n);
  if (st == GK_OK) {
    out->p = (uint8_t *)malloc(n);
    if (out->p == NULL) abort();
    memcpy(out->p, d, n);
    out->n = n;
  }
  gk_fit_writer_free(w);
  return st;
}

static void test_writer_nomem(void) {
  bytes want = {NULL, 0};
  ASSERT_EQ_INT(build_with(NULL, &want), GK_OK);
  ASSERT_TRUE(want.n > 4096);
  unsigned k;
  for (k = 1; k < 100; k++) {
    failing_alloc f = {0, k, 0};
    gk_alloc a = {fa_malloc, fa_realloc, fa_free, &f};
    bytes got = {NULL, 0};
    gk_status st = build_with(&a, &got);
    CHECK_EQ_INT(f.live, 0); /* nothing leaked, whatever failed */
    if (st == GK_OK) {
      /* the allocator never failed: the same file as with libc */
      CHECK_TRUE(got.n == want.n && memcmp(got.p, want.p, want.n) == 0);
      bytes_free(&got);
      break;
    }
    if (!CHECK_EQ_INT(st, GK_E_NOMEM)) break;
  }
  ASSERT_TRUE(k > 3 && k < 100); /* several allocations failed in turn */
  bytes_free(&want);
}

/* ---- headers and CRCs --------------------------------------------------- */

static void test_header14(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, 0, NULL));
  ASSERT_EQ_INT(a.p[0], 14);
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, ACTIVITY_MESGS);
  ASSERT_EQ_INT(r.stats.messages, ACTIVITY_MESGS);
  ASSERT_EQ_INT(r.stats.definitions, 3);
  ASSERT_EQ_INT(r.stats.files, 1);
  ASSERT_EQ_INT(r.stats.bytes, a.n);
  ASSERT_EQ_INT(r.stats.crc_mismatches, 0);
  ASSERT_EQ_INT(r.cap.mesgs[0].offset, 14 + 6 + 3 * 5);
  check_activity(&r, 0);
  result_free(&r);
  bytes_free(&a);
}

static void test_header12(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, GK_FIT_W_HEADER12, NULL));
  ASSERT_EQ_INT(a.p[0], 12);
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, ACTIVITY_MESGS);
  ASSERT_EQ_INT(r.stats.files, 1);
  ASSERT_EQ_INT(r.stats.bytes, a.n);
  ASSERT_EQ_INT(r.cap.mesgs[0].offset, 12 + 6 + 3 * 5);
  check_activity(&r, 0);
  result_free(&r);
  bytes_free(&a);
}

static void test_header_crc_zero(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, GK_FIT_W_NO_HEADER_CRC, NULL));
  ASSERT_EQ_INT(a.p[12], 0);
  ASSERT_EQ_INT(a.p[13], 0);
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, ACTIVITY_MESGS);
  ASSERT_EQ_INT(r.stats.crc_mismatches, 0);
  check_activity(&r, 0);
  result_free(&r);
  bytes_free(&a);
}

static int build_bad_header_crc(bytes *out) {
  if (!build_activity(out, 0, NULL)) return 0;
  out->p[12] ^= 0x5A; /* the file CRC covers the header: keep it right */
  uint16_t c = gk_fit_crc16(0, out->p, out->n - 2);
  out->p[out->n - 2] = (uint8_t)c;
  out->p[out->n - 1] = (uint8_t)(c >> 8);
  return 1;
}

static void test_header_crc_wrong(void) {
  bytes a;
  ASSERT_TRUE(build_bad_header_crc(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CRC);
  ASSERT_EQ_INT(r.err.offset, 12);
  ASSERT_EQ_INT(r.cap.n, 0);
  ASSERT_EQ_INT(r.stats.files, 0);
  result_free(&r);
  ASSERT_EQ_INT(decode_opts(&r, &a, GK_FIT_ACCEPT_BAD_CRC, 0), GK_OK);
  ASSERT_EQ_INT(r.stats.crc_mismatches, 1);
  ASSERT_EQ_INT(r.cap.n, ACTIVITY_MESGS);
  check_activity(&r, 0);
  result_free(&r);
  bytes_free(&a);
}

static int build_bad_file_crc(bytes *out) {
  if (!build_activity(out, 0, NULL)) return 0;
  out->p[out->n - 1] ^= 0x01;
  return 1;
}

static void test_file_crc_wrong(void) {
  bytes a;
  ASSERT_TRUE(build_bad_file_crc(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CRC);
  ASSERT_EQ_INT(r.err.offset, a.n - 2);
  ASSERT_EQ_INT(r.cap.n, ACTIVITY_MESGS); /* all delivered before the CRC */
  check_activity(&r, 0);
  result_free(&r);
  ASSERT_EQ_INT(decode_opts(&r, &a, GK_FIT_ACCEPT_BAD_CRC, 0), GK_OK);
  ASSERT_EQ_INT(r.stats.crc_mismatches, 1);
  ASSERT_EQ_INT(r.stats.bytes, a.n);
  result_free(&r);
  /* both CRCs wrong, accepted: two mismatches */
  a.p[12] ^= 0x01;
  ASSERT_EQ_INT(decode_opts(&r, &a, GK_FIT_ACCEPT_BAD_CRC, 0), GK_OK);
  ASSERT_EQ_INT(r.stats.crc_mismatches, 2);
  result_free(&r);
  bytes_free(&a);
}

/* ---- chained files ------------------------------------------------------ */

static int build_small_file(bytes *out) {
  gk_fit_writer *w = wnew(GK_FIT_W_HEADER12);
  if (w == NULL) return 0;
  put_file_id(w, 0, 255, 7);
  return take(w, out);
}

static int build_chained(bytes *out, unsigned n_files) {
  bytes a, b;
  if (!build_activity(&a, 0, NULL)) return 0;
  for (unsigned i = 1; i < n_files; i++) {
    if (i == 1 ? !build_activity(&b, GK_FIT_W_HEADER12, NULL)
               : !build_small_file(&b))
      return 0;
    bytes_cat(&a, &b);
    bytes_free(&b);
  }
  *out = a;
  return 1;
}

static void test_chained_two(void) {
  bytes a;
  ASSERT_TRUE(build_chained(&a, 2));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.stats.files, 2);
  ASSERT_EQ_INT(r.cap.n, 2 * ACTIVITY_MESGS);
  ASSERT_EQ_INT(r.stats.bytes, a.n);
  check_activity(&r, 0);
  check_activity(&r, 1);
  /* offsets are absolute in the chain */
  const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_FILE_ID, 1);
  ASSERT_TRUE(m != NULL);
  ASSERT_TRUE(m->offset > a.n / 2);
  result_free(&r);
  bytes_free(&a);
}

static void test_chained_three(void) {
  bytes a;
  ASSERT_TRUE(build_chained(&a, 3));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.stats.files, 3);
  ASSERT_EQ_INT(r.cap.n, 2 * ACTIVITY_MESGS + 1);
  const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_FILE_ID, 2);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(val(m, "manufacturer", 0), 255);
  ASSERT_STR(gk_fit_enum_name(fld(m, "manufacturer"), 255), "development");
  result_free(&r);
  /* garbage after the last file is an error, after every message */
  bytes junk = {(uint8_t *)"\x05junk", 5};
  bytes_cat(&a, &junk);
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  ASSERT_EQ_INT(r.err.offset, a.n - 5);
  ASSERT_EQ_INT(r.cap.n, 2 * ACTIVITY_MESGS + 1);
  result_free(&r);
  bytes_free(&a);
}

/* ---- definitions -------------------------------------------------------- */

static int build_redefine(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  put_file_id(w, 0, 1, 1);
  /* local 0 becomes a record */
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
                            {GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_RECORD, 2, rec, 0, NULL);
  for (unsigned i = 0; i < 2; i++) {
    gk_fit_msg_begin(w, 0);
    gk_fit_put_u32(w, TS0 + i);
    gk_fit_put_u8(w, (uint8_t)(100 + i));
    gk_fit_msg_end(w);
  }
  /* then an event */
  gk_fit_write_definition(w, 0, GK_FIT_MESG_EVENT, 4, event_def, 0, NULL);
  put_event(w, 0, TS0 + 2, 0, 4, 0);
  /* then a record again, with another layout */
  gk_fit_field_def rec2[] = {{GK_FIT_RECORD_CADENCE, 1, GK_FIT_UINT8},
                             {GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_RECORD, 2, rec2, 0, NULL);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u8(w, 90);
  gk_fit_put_u32(w, TS0 + 3);
  gk_fit_msg_end(w);
  return take(w, out);
}

static void test_local_redefined(void) {
  bytes a;
  ASSERT_TRUE(build_redefine(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 5);
  ASSERT_EQ_INT(r.stats.definitions, 4);
  static const uint16_t want[] = {GK_FIT_MESG_FILE_ID, GK_FIT_MESG_RECORD,
                                  GK_FIT_MESG_RECORD, GK_FIT_MESG_EVENT,
                                  GK_FIT_MESG_RECORD};
  for (unsigned i = 0; i < 5; i++) {
    ASSERT_EQ_INT(r.cap.mesgs[i].num, want[i]);
    ASSERT_EQ_INT(r.cap.mesgs[i].local, 0);
  }
  ASSERT_EQ_INT(val(&r.cap.mesgs[2], "heart_rate", 0), 101);
  ASSERT_TRUE(fld(&r.cap.mesgs[2], "cadence") == NULL);
  ASSERT_STR(r.cap.mesgs[3].name, "event");
  ASSERT_EQ_INT(r.cap.mesgs[3].timestamp, TS0 + 2);
  ASSERT_EQ_INT(val(&r.cap.mesgs[4], "cadence", 0), 90);
  ASSERT_EQ_INT(r.cap.mesgs[4].timestamp, TS0 + 3);
  ASSERT_TRUE(fld(&r.cap.mesgs[4], "heart_rate") == NULL);
  result_free(&r);
  bytes_free(&a);
}

static const gk_fit_field_def wide_def[] = {
    {0, 2, GK_FIT_SINT16}, {1, 2, GK_FIT_UINT16}, {2, 4, GK_FIT_SINT32},
    {3, 4, GK_FIT_UINT32}, {4, 8, GK_FIT_SINT64}, {5, 8, GK_FIT_UINT64},
    {6, 4, GK_FIT_FLOAT32}, {7, 8, GK_FIT_FLOAT64}, {8, 2, GK_FIT_UINT16Z},
    {9, 8, GK_FIT_UINT64Z}, {10, 6, GK_FIT_UINT16}, /* an array of 3 */
};

static void put_wide(gk_fit_writer *w, uint8_t local) {
  gk_fit_msg_begin(w, local);
  gk_fit_put_s16(w, -12345);
  gk_fit_put_u16(w, 0xBEEF);
  gk_fit_put_s32(w, -123456789);
  gk_fit_put_u32(w, 0xDEADBEEF);
  gk_fit_put_s64(w, -1234567890123456789ll);
  gk_fit_put_u64(w, 0xFEDCBA9876543210ull);
  gk_fit_put_f32(w, -1.5f);
  gk_fit_put_f64(w, 3.25e100);
  gk_fit_put_u16(w, 0x0102);
  gk_fit_put_u64(w, 0x0102030405060708ull);
  gk_fit_put_u16(w, 1);
  gk_fit_put_u16(w, 0x0203);
  gk_fit_put_u16(w, 0xFFFE);
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

static void check_wide(const gk_fit_mesg *m) {
  ASSERT_TRUE(m != NULL);
  ASSERT_TRUE(m->name == NULL);
  ASSERT_EQ_INT(m->num, MESG_UNKNOWN);
  ASSERT_EQ_INT(m->n_fields, 11);
  const gk_fit_field *f;
  ASSERT_TRUE((f = fnum(m, 0)) != NULL);
  ASSERT_EQ_INT(f->flags, GK_FIT_F_UNKNOWN);
  ASSERT_EQ_INT(gk_fit_value_num(&f->values[0]), -12345);
  ASSERT_EQ_INT(gk_fit_value_num(&fnum(m, 1)->values[0]), 0xBEEF);
  ASSERT_EQ_INT(gk_fit_value_num(&fnum(m, 2)->values[0]), -123456789);
  ASSERT_EQ_INT(gk_fit_value_num(&fnum(m, 3)->values[0]), 0xDEADBEEF);
  ASSERT_EQ_INT(fnum(m, 4)->values[0].kind, GK_FIT_V_I64);
  ASSERT_EQ_INT(fnum(m, 4)->values[0].v.i, -1234567890123456789ll);
  ASSERT_EQ_INT(fnum(m, 5)->values[0].kind, GK_FIT_V_U64);
  ASSERT_TRUE(fnum(m, 5)->values[0].v.u == 0xFEDCBA9876543210ull);
  ASSERT_NEAR(gk_fit_value_num(&fnum(m, 6)->values[0]), -1.5, 0);
  ASSERT_NEAR(gk_fit_value_num(&fnum(m, 7)->values[0]), 3.25e100, 0);
  ASSERT_EQ_INT(gk_fit_value_num(&fnum(m, 8)->values[0]), 0x0102);
  ASSERT_TRUE(fnum(m, 9)->values[0].v.u == 0x0102030405060708ull);
  ASSERT_TRUE((f = fnum(m, 10)) != NULL);
  ASSERT_EQ_INT(f->n_values, 3);
  ASSERT_TRUE(f->flags & GK_FIT_F_ARRAY);
  ASSERT_EQ_INT(gk_fit_value_num(&f->values[0]), 1);
  ASSERT_EQ_INT(gk_fit_value_num(&f->values[1]), 0x0203);
  ASSERT_EQ_INT(gk_fit_value_num(&f->values[2]), 0xFFFE);
}

static int build_big_endian(bytes *out) {
  gk_fit_writer *w = wnew(GK_FIT_W_BIG_ENDIAN);
  if (w == NULL) return 0;
  build_activity_into(w, NULL);
  gk_fit_write_definition(w, 3, MESG_UNKNOWN, 11, wide_def, 0, NULL);
  put_wide(w, 3);
  return take(w, out);
}

static void test_big_endian(void) {
  bytes a;
  ASSERT_TRUE(build_big_endian(&a));
  /* the record definition really is big-endian */
  size_t def_at = 14 + (6 + 3 * 5) + (1 + 13); /* after file_id */
  ASSERT_EQ_INT(a.p[def_at], 0x40 | 1);
  ASSERT_EQ_INT(a.p[def_at + 2], 1);
  ASSERT_EQ_INT(a.p[def_at + 3], 0);
  ASSERT_EQ_INT(a.p[def_at + 4], GK_FIT_MESG_EVENT);
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, ACTIVITY_MESGS + 1);
  check_activity(&r, 0);
  check_wide(nth(&r, MESG_UNKNOWN, 0));
  result_free(&r);
  bytes_free(&a);
}

static int build_mixed_endian(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_write_definition(w, 0, MESG_UNKNOWN, 11, wide_def, 0, NULL);
  gk_fit_writer_set_big_endian(w, 1);
  gk_fit_write_definition(w, 1, MESG_UNKNOWN, 11, wide_def, 0, NULL);
  gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, RECORD_DEF_N, record_def, 0,
                          NULL);
  gk_fit_writer_set_big_endian(w, 0);
  gk_fit_write_definition(w, 3, GK_FIT_MESG_RECORD, RECORD_DEF_N, record_def, 0,
                          NULL);
  put_wide(w, 0);
  put_wide(w, 1);
  put_record(w, 2, 1);
  put_record(w, 3, 1);
  put_wide(w, 1);
  put_wide(w, 0);
  return take(w, out);
}

static void test_mixed_endian(void) {
  bytes a;
  ASSERT_TRUE(build_mixed_endian(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 6);
  for (unsigned i = 0; i < 4; i++) check_wide(nth(&r, MESG_UNKNOWN, i));
  const gk_fit_mesg *be = nth(&r, GK_FIT_MESG_RECORD, 0);
  const gk_fit_mesg *le = nth(&r, GK_FIT_MESG_RECORD, 1);
  ASSERT_TRUE(be != NULL && le != NULL);
  ASSERT_EQ_INT(be->local, 2);
  ASSERT_EQ_INT(le->local, 3);
  const char *names[] = {"position_lat", "position_long", "distance", "speed",
                         "altitude", "heart_rate", "timestamp"};
  for (unsigned i = 0; i < 7; i++) {
    ASSERT_TRUE(!isnan(val(be, names[i], 0)));
    ASSERT_NEAR(val(be, names[i], 0), val(le, names[i], 0), 0);
  }
  ASSERT_EQ_INT(val(be, "position_lat", 0), 500001000);
  ASSERT_NEAR(val(be, "speed", 0), 2.51, 1e-9);
  ASSERT_EQ_INT(be->timestamp, TS0 + 1);
  result_free(&r);
  bytes_free(&a);
}

/* ---- base types and invalid values -------------------------------------- */

/* One field of each base type 0x00..0x10, field number = base type. */
static const gk_fit_field_def all_types_def[] = {
    {0, 1, 0x00}, {1, 1, 0x01}, {2, 1, 0x02}, {3, 2, 0x03}, {4, 2, 0x04},
    {5, 4, 0x05}, {6, 4, 0x06}, {7, 4, 0x07}, {8, 4, 0x08}, {9, 8, 0x09},
    {10, 1, 0x0A}, {11, 2, 0x0B}, {12, 4, 0x0C}, {13, 1, 0x0D}, {14, 8, 0x0E},
    {15, 8, 0x0F}, {16, 8, 0x10},
};

static void put_all_types(gk_fit_writer *w, uint8_t local, int variant) {
  gk_fit_msg_begin(w, local);
  if (variant == 0) { /* ordinary values */
    gk_fit_put_u8(w, 3);
    gk_fit_put_s8(w, -5);
    gk_fit_put_u8(w, 200);
    gk_fit_put_s16(w, -1234);
    gk_fit_put_u16(w, 60000);
    gk_fit_put_s32(w, -123456789);
    gk_fit_put_u32(w, 4000000000u);
    gk_fit_put_str(w, "hi");
    gk_fit_put_f32(w, 1.5f);
    gk_fit_put_f64(w, -2.25);
    gk_fit_put_u8(w, 7);
    gk_fit_put_u16(w, 513);
    gk_fit_put_u32(w, 70000);
    gk_fit_put_u8(w, 0x42);
    gk_fit_put_s64(w, -1234567890123ll);
    gk_fit_put_u64(w, 0xFEDCBA9876543210ull);
    gk_fit_put_u64(w, 1);
  } else if (variant == 1) { /* values next to the invalid ones: valid */
    gk_fit_put_u8(w, 0xFE);
    gk_fit_put_s8(w, -128);
    gk_fit_put_u8(w, 0xFE);
    gk_fit_put_s16(w, -32768);
    gk_fit_put_u16(w, 0xFFFE);
    gk_fit_put_s32(w, INT32_MIN);
    gk_fit_put_u32(w, 0xFFFFFFFEu);
    gk_fit_put_str(w, "abcd"); /* fills the field: no terminator */
    gk_fit_put_f32(w, 0.0f);
    gk_fit_put_f64(w, 0.0);
    gk_fit_put_u8(w, 0xFF);
    gk_fit_put_u16(w, 0xFFFF);
    gk_fit_put_u32(w, 0xFFFFFFFFu);
    gk_fit_put_u8(w, 0xFE);
    gk_fit_put_s64(w, INT64_MIN);
    gk_fit_put_u64(w, UINT64_MAX - 1);
    gk_fit_put_u64(w, UINT64_MAX);
  } else { /* every field invalid */
    for (int i = 0; i < 17; i++) gk_fit_put_invalid(w);
  }
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

static int build_base_types(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_write_definition(w, 0, MESG_UNKNOWN, 17, all_types_def, 0, NULL);
  gk_fit_writer_set_big_endian(w, 1);
  gk_fit_write_definition(w, 1, MESG_UNKNOWN, 17, all_types_def, 0, NULL);
  for (int v = 0; v < 3; v++) {
    put_all_types(w, 0, v);
    put_all_types(w, 1, v);
  }
  return take(w, out);
}

static void check_all_types(const gk_fit_mesg *m, int variant) {
  ASSERT_TRUE(m != NULL);
  if (variant == 2) {
    ASSERT_EQ_INT(m->n_fields, 0); /* every invalid field left out */
    return;
  }
  ASSERT_EQ_INT(m->n_fields, 17);
  for (unsigned b = 0; b <= 0x10; b++) {
    const gk_fit_field *f = fnum(m, (uint8_t)b);
    ASSERT_TRUE(f != NULL);
    ASSERT_EQ_INT(f->base_type, b);
    ASSERT_EQ_INT(f->n_values, 1);
    ASSERT_TRUE(f->flags & GK_FIT_F_UNKNOWN);
    int want_kind = b == 0x07   ? GK_FIT_V_STR
                    : b == 0x0E ? GK_FIT_V_I64
                    : (b == 0x0F || b == 0x10) ? GK_FIT_V_U64
                                               : GK_FIT_V_NUM;
    ASSERT_EQ_INT(f->values[0].kind, want_kind);
  }
  const gk_fit_value *v[17];
  for (unsigned b = 0; b <= 0x10; b++) v[b] = &fnum(m, (uint8_t)b)->values[0];
  if (variant == 0) {
    ASSERT_NEAR(v[0]->v.f, 3, 0);
    ASSERT_NEAR(v[1]->v.f, -5, 0);
    ASSERT_NEAR(v[2]->v.f, 200, 0);
    ASSERT_NEAR(v[3]->v.f, -1234, 0);
    ASSERT_NEAR(v[4]->v.f, 60000, 0);
    ASSERT_NEAR(v[5]->v.f, -123456789, 0);
    ASSERT_NEAR(v[6]->v.f, 4000000000.0, 0);
    ASSERT_STR(v[7]->v.s, "hi");
    ASSERT_NEAR(v[8]->v.f, 1.5, 0);
    ASSERT_NEAR(v[9]->v.f, -2.25, 0);
    ASSERT_NEAR(v[10]->v.f, 7, 0);
    ASSERT_NEAR(v[11]->v.f, 513, 0);
    ASSERT_NEAR(v[12]->v.f, 70000, 0);
    ASSERT_NEAR(v[13]->v.f, 0x42, 0);
    ASSERT_EQ_INT(v[14]->v.i, -1234567890123ll);
    ASSERT_TRUE(v[15]->v.u == 0xFEDCBA9876543210ull);
    ASSERT_TRUE(v[16]->v.u == 1);
  } else {
    ASSERT_NEAR(v[0]->v.f, 0xFE, 0);
    ASSERT_NEAR(v[1]->v.f, -128, 0);
    ASSERT_NEAR(v[2]->v.f, 0xFE, 0);
    ASSERT_NEAR(v[3]->v.f, -32768, 0);
    ASSERT_NEAR(v[4]->v.f, 0xFFFE, 0);
    ASSERT_NEAR(v[5]->v.f, (double)INT32_MIN, 0);
    ASSERT_NEAR(v[6]->v.f, 4294967294.0, 0);
    ASSERT_STR(v[7]->v.s, "abcd");
    ASSERT_NEAR(v[8]->v.f, 0, 0);
    ASSERT_NEAR(v[9]->v.f, 0, 0);
    ASSERT_NEAR(v[10]->v.f, 0xFF, 0);
    ASSERT_NEAR(v[11]->v.f, 0xFFFF, 0);
    ASSERT_NEAR(v[12]->v.f, 4294967295.0, 0);
    ASSERT_NEAR(v[13]->v.f, 0xFE, 0);
    ASSERT_TRUE(v[14]->v.i == INT64_MIN);
    ASSERT_TRUE(v[15]->v.u == UINT64_MAX - 1);
    ASSERT_TRUE(v[16]->v.u == UINT64_MAX);
  }
}

static void test_base_types(void) {
  bytes a;
  ASSERT_TRUE(build_base_types(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 6);
  for (int v = 0; v < 3; v++) {
    check_all_types(&r.cap.mesgs[2 * v], v);     /* little-endian */
    check_all_types(&r.cap.mesgs[2 * v + 1], v); /* big-endian */
  }
  result_free(&r);
  bytes_free(&a);
}

static const gk_fit_field_def arrays_def[] = {
    {0, 6, GK_FIT_UINT16}, /* 1, invalid, 3 */
    {1, 6, GK_FIT_UINT16}, /* all invalid */
    {2, 3, GK_FIT_BYTE},   /* 1, 0xFF, 3: byte keeps 0xFF */
    {3, 3, GK_FIT_BYTE},   /* all 0xFF */
    {4, 2, GK_FIT_UINT8Z}, /* 0 (invalid), 5 */
    {5, 8, GK_FIT_SINT32}, /* 0x7FFFFFFF (invalid), -1 */
};

static int build_arrays(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_write_definition(w, 0, MESG_UNKNOWN, 6, arrays_def, 0, NULL);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u16(w, 1);
  gk_fit_put_u16(w, 0xFFFF);
  gk_fit_put_u16(w, 3);
  gk_fit_put_invalid(w);
  gk_fit_put_bytes(w, "\x01\xFF\x03", 3);
  gk_fit_put_invalid(w);
  gk_fit_put_u8(w, 0);
  gk_fit_put_u8(w, 5);
  gk_fit_put_s32(w, INT32_MAX);
  gk_fit_put_s32(w, -1);
  gk_fit_msg_end(w);
  /* a profile field that is not an array, given 3 values: the first one */
  gk_fit_field_def hr3[] = {{GK_FIT_RECORD_HEART_RATE, 3, GK_FIT_UINT8},
                            {GK_FIT_RECORD_CADENCE, 2, GK_FIT_UINT8}};
  gk_fit_write_definition(w, 1, GK_FIT_MESG_RECORD, 2, hr3, 0, NULL);
  gk_fit_msg_begin(w, 1);
  gk_fit_put_bytes(w, "\x96\x97\x98", 3);
  gk_fit_put_bytes(w, "\xFF\x50", 2); /* first invalid, second valid */
  gk_fit_msg_end(w);
  return take(w, out);
}

static void test_arrays(void) {
  bytes a;
  ASSERT_TRUE(build_arrays(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 2);
  const gk_fit_mesg *m = &r.cap.mesgs[0];
  const gk_fit_field *f;
  ASSERT_TRUE((f = fnum(m, 0)) != NULL);
  ASSERT_EQ_INT(f->n_values, 3);
  ASSERT_TRUE(f->flags & GK_FIT_F_ARRAY);
  ASSERT_EQ_INT(f->values[0].kind, GK_FIT_V_NUM);
  ASSERT_NEAR(f->values[0].v.f, 1, 0);
  ASSERT_EQ_INT(f->values[1].kind, GK_FIT_V_NULL);
  ASSERT_NEAR(f->values[2].v.f, 3, 0);
  ASSERT_TRUE(fnum(m, 1) == NULL); /* all invalid: left out */
  ASSERT_TRUE((f = fnum(m, 2)) != NULL);
  ASSERT_EQ_INT(f->n_values, 3);
  ASSERT_EQ_INT(f->values[1].kind, GK_FIT_V_NUM); /* byte keeps 0xFF */
  ASSERT_NEAR(f->values[1].v.f, 255, 0);
  ASSERT_NEAR(f->values[2].v.f, 3, 0);
  ASSERT_TRUE(fnum(m, 3) == NULL);
  ASSERT_TRUE((f = fnum(m, 4)) != NULL);
  ASSERT_EQ_INT(f->n_values, 2);
  ASSERT_EQ_INT(f->values[0].kind, GK_FIT_V_NULL);
  ASSERT_NEAR(f->values[1].v.f, 5, 0);
  ASSERT_TRUE((f = fnum(m, 5)) != NULL);
  ASSERT_EQ_INT(f->values[0].kind, GK_FIT_V_NULL);
  ASSERT_NEAR(f->values[1].v.f, -1, 0);
  ASSERT_EQ_INT(m->n_fields, 4);

  m = &r.cap.mesgs[1];
  ASSERT_TRUE((f = fld(m, "heart_rate")) != NULL);
  ASSERT_EQ_INT(f->n_values, 1);
  ASSERT_EQ_INT(f->flags & GK_FIT_F_ARRAY, 0);
  ASSERT_NEAR(f->values[0].v.f, 150, 0);
  /* cadence: the profile reads the first value, which is invalid */
  ASSERT_TRUE(fld(m, "cadence") == NULL);
  result_free(&r);
  bytes_free(&a);
}

/* ---- strings ------------------------------------------------------------ */

static int build_strings(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_field_def def[] = {{GK_FIT_FILE_ID_PRODUCT_NAME, 8, GK_FIT_STRING},
                            {200, 8, GK_FIT_STRING}}; /* 200: not in profile */
  gk_fit_write_definition(w, 0, GK_FIT_MESG_FILE_ID, 2, def, 0, NULL);
  static const char *const cases[][2] = {
      {"Edge\0\0\0\0", "x\0\0\0\0\0\0\0"},    /* NUL-terminated */
      {"Edge1030", "12345678"},                /* no terminator */
      {"ab\0cd\0\0\0", "ab\0\0cd\0e"},         /* several parts */
      {"a\xFF" "b\xC3\xA9\xE2\x82", "\xC0\x80z\0\0\0\0\0"}, /* bad UTF-8 */
      {"\0\0\0\0\0\0\0\0", "\0abc\0\0\0\0"},   /* empty; empty first part */
      {"\xFF\xFE\0\0\0\0\0\0", "\xEF\xBF\xBD" "q\0\0\0\0"}, /* U+FFFD dropped */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gk_fit_msg_begin(w, 0);
    gk_fit_put_bytes(w, cases[i][0], 8);
    gk_fit_put_bytes(w, cases[i][1], 8);
    CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
  }
  return take(w, out);
}

static void test_strings(void) {
  bytes a;
  ASSERT_TRUE(build_strings(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 6);
  const gk_fit_mesg *m = r.cap.mesgs;
  ASSERT_STR(str_of(&m[0], "product_name", 0), "Edge");
  ASSERT_EQ_INT(fld(&m[0], "product_name")->n_values, 1);
  ASSERT_STR(fnum(&m[0], 200)->values[0].v.s, "x");
  ASSERT_STR(str_of(&m[1], "product_name", 0), "Edge1030");
  ASSERT_STR(fnum(&m[1], 200)->values[0].v.s, "12345678");
  /* several parts: profile (and unknown) fields keep the first */
  ASSERT_STR(str_of(&m[2], "product_name", 0), "ab");
  ASSERT_EQ_INT(fld(&m[2], "product_name")->n_values, 1);
  ASSERT_EQ_INT(fnum(&m[2], 200)->n_values, 1);
  ASSERT_STR(fnum(&m[2], 200)->values[0].v.s, "ab");
  /* invalid UTF-8 sequences dropped, valid ones kept */
  ASSERT_STR(str_of(&m[3], "product_name", 0), "ab\xC3\xA9");
  ASSERT_STR(fnum(&m[3], 200)->values[0].v.s, "z");
  /* empty: left out; an empty first part is an empty string */
  ASSERT_TRUE(fld(&m[4], "product_name") == NULL);
  ASSERT_TRUE(fnum(&m[4], 200) != NULL);
  ASSERT_STR(fnum(&m[4], 200)->values[0].v.s, "");
  /* only invalid bytes: empty after cleaning, left out; U+FFFD dropped */
  ASSERT_TRUE(fld(&m[5], "product_name") == NULL);
  ASSERT_STR(fnum(&m[5], 200)->values[0].v.s, "q");
  result_free(&r);
  bytes_free(&a);
}

/* ---- odd sizes ---------------------------------------------------------- */

static int build_odd_sizes(bytes *out) {
  gk_fit_writer *w = wnew(GK_FIT_W_ODD_SIZES);
  if (w == NULL) return 0;
  gk_fit_field_def def[] = {{GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
                            {GK_FIT_RECORD_SPEED, 3, GK_FIT_UINT16},
                            {GK_FIT_RECORD_POSITION_LAT, 6, GK_FIT_SINT32},
                            {GK_FIT_RECORD_ALTITUDE, 1, GK_FIT_UINT16},
                            {GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_RECORD, 5, def, 0, NULL);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u32(w, TS0);
  gk_fit_put_bytes(w, "\xC4\x09\x00", 3);
  gk_fit_put_bytes(w, "\x01\x02\x03\x04\xFF\x06", 6);
  gk_fit_put_invalid(w); /* 0xFF: all-invalid bytes, left out */
  gk_fit_put_u8(w, 150);
  gk_fit_msg_end(w);
  return take(w, out);
}

static void test_odd_sizes(void) {
  bytes a;
  ASSERT_TRUE(build_odd_sizes(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 1);
  ASSERT_EQ_INT(r.stats.bytes_fallbacks, 2);
  const gk_fit_mesg *m = &r.cap.mesgs[0];
  const gk_fit_field *f;
  ASSERT_TRUE((f = fld(m, "speed")) != NULL);
  ASSERT_EQ_INT(f->flags & (GK_FIT_F_AS_BYTES | GK_FIT_F_ARRAY),
                GK_FIT_F_AS_BYTES | GK_FIT_F_ARRAY);
  ASSERT_EQ_INT(f->n_values, 3);
  ASSERT_NEAR(f->values[0].v.f, 0xC4, 0); /* raw bytes, not scaled */
  ASSERT_NEAR(f->values[1].v.f, 0x09, 0);
  ASSERT_NEAR(f->values[2].v.f, 0x00, 0);
  ASSERT_TRUE((f = fld(m, "position_lat")) != NULL);
  ASSERT_EQ_INT(f->n_values, 6);
  ASSERT_NEAR(f->values[4].v.f, 0xFF, 0);
  ASSERT_NEAR(f->values[5].v.f, 6, 0);
  ASSERT_TRUE(fld(m, "altitude") == NULL);
  ASSERT_TRUE(fld(m, "enhanced_speed") == NULL); /* no components from bytes */
  ASSERT_EQ_INT(val(m, "heart_rate", 0), 150);
  result_free(&r);
  bytes_free(&a);
}

/* ---- compressed timestamps ---------------------------------------------- */

static int build_compressed_ts(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_field_def full[] = {{GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
                             {GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_field_def small[] = {{GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_RECORD, 2, full, 0, NULL);
  gk_fit_write_definition(w, 3, GK_FIT_MESG_RECORD, 1, small, 0, NULL);
  static const struct {
    int full;
    uint32_t value; /* full: the timestamp; compressed: the 5-bit offset */
  } seq[] = {
      {1, 0x3B9ACA10}, {0, 0x15}, {0, 0x1F}, /* no rollover */
      {1, 0x3B9ACA1F}, {0, 0x01},            /* rollover: +2 s */
      {0, 0x01},                             /* same offset: no change */
      {0, 0x00},                             /* rollover again: +31 s */
      {0, 0x1E},                             /* +30 s */
  };
  for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
    if (seq[i].full) {
      gk_fit_msg_begin(w, 0);
      gk_fit_put_u32(w, seq[i].value);
    } else {
      gk_fit_msg_begin_compressed(w, 3, (uint8_t)seq[i].value);
    }
    gk_fit_put_u8(w, (uint8_t)(100 + i));
    CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
  }
  return take(w, out);
}

static void test_compressed_timestamps(void) {
  bytes a;
  ASSERT_TRUE(build_compressed_ts(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 8);
  static const uint32_t want[] = {0x3B9ACA10, 0x3B9ACA15, 0x3B9ACA1F,
                                  0x3B9ACA1F, 0x3B9ACA21, 0x3B9ACA21,
                                  0x3B9ACA40, 0x3B9ACA5E};
  for (unsigned i = 0; i < 8; i++) {
    const gk_fit_mesg *m = &r.cap.mesgs[i];
    ASSERT_EQ_INT(m->has_timestamp, 1);
    ASSERT_EQ_INT(m->timestamp, want[i]);
    ASSERT_EQ_INT(kind_of(m, "timestamp", 0), GK_FIT_V_TIME);
    ASSERT_EQ_INT(val(m, "timestamp", 0), want[i]);
    ASSERT_EQ_INT(val(m, "heart_rate", 0), 100 + i);
    ASSERT_STR(m->name, "record");
    ASSERT_EQ_INT(m->local, (i == 0 || i == 3) ? 0 : 3);
  }
  ASSERT_EQ_INT(r.cap.mesgs[4].timestamp - r.cap.mesgs[3].timestamp, 2);
  result_free(&r);
  bytes_free(&a);
}

/* ---- profile: scale, offset, enums, times, subfields, components -------- */

static void test_scale_offset_enum_time(void) {
  gk_fit_writer *w = wnew(0);
  ASSERT_TRUE(w != NULL);
  put_file_id(w, 0, 1, 1);
  gk_fit_field_def def[] = {{GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
                            {GK_FIT_RECORD_SPEED, 2, GK_FIT_UINT16},
                            {GK_FIT_RECORD_ALTITUDE, 2, GK_FIT_UINT16}};
  ASSERT_EQ_INT(
      gk_fit_write_definition(w, 1, GK_FIT_MESG_RECORD, 3, def, 0, NULL),
      GK_OK);
  static const uint16_t alt_raw[] = {3000, 0, 2500};
  static const double alt_m[] = {100.0, -500.0, 0.0};
  for (unsigned i = 0; i < 3; i++) {
    gk_fit_msg_begin(w, 1);
    gk_fit_put_u32(w, TS0 + i);
    gk_fit_put_u16(w, (uint16_t)(2500 + 1234 * i));
    gk_fit_put_u16(w, alt_raw[i]);
    ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  }
  bytes a;
  ASSERT_TRUE(take(w, &a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 4);
  const gk_fit_mesg *fid = nth(&r, GK_FIT_MESG_FILE_ID, 0);
  ASSERT_TRUE(fid != NULL);
  const gk_fit_field *f = fld(fid, "manufacturer");
  ASSERT_TRUE(f != NULL);
  ASSERT_EQ_INT(f->values[0].kind, GK_FIT_V_ENUM);
  ASSERT_EQ_INT(f->values[0].v.u, 1);
  ASSERT_STR(gk_fit_enum_name(f, f->values[0].v.u), "garmin");
  ASSERT_STR(gk_fit_enum_name(f, 0xFFFE), NULL);
  ASSERT_STR(gk_fit_enum_name(fld(fid, "serial_number"), 1), NULL);
  ASSERT_EQ_INT(kind_of(fid, "time_created", 0), GK_FIT_V_TIME);
  ASSERT_EQ_INT(fid->has_timestamp, 0); /* time_created is not field 253 */
  for (unsigned i = 0; i < 3; i++) {
    const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, i);
    ASSERT_TRUE(m != NULL);
    ASSERT_EQ_INT(kind_of(m, "speed", 0), GK_FIT_V_NUM);
    ASSERT_NEAR(val(m, "speed", 0), (2500 + 1234 * i) / 1000.0, 1e-12);
    ASSERT_STR(fld(m, "speed")->units, "m/s");
    ASSERT_NEAR(val(m, "altitude", 0), alt_m[i], 1e-12);
    ASSERT_STR(fld(m, "altitude")->units, "m");
    ASSERT_EQ_INT(kind_of(m, "timestamp", 0), GK_FIT_V_TIME);
    ASSERT_EQ_INT(m->timestamp, TS0 + i);
    ASSERT_NEAR(gk_fit_mesg_num(m, GK_FIT_RECORD_SPEED),
                (2500 + 1234 * i) / 1000.0, 1e-12);
    ASSERT_TRUE(isnan(gk_fit_mesg_num(m, GK_FIT_RECORD_HEART_RATE)));
  }
  result_free(&r);
  bytes_free(&a);
}

static void test_subfields(void) {
  gk_fit_writer *w = wnew(0);
  ASSERT_TRUE(w != NULL);
  put_file_id(w, 0, 1, 1);     /* garmin, product 1 = hrm1 */
  put_file_id(w, 0, 255, 1);   /* development: no garmin_product */
  gk_fit_write_definition(w, 1, GK_FIT_MESG_EVENT, 4, event_def, 0, NULL);
  put_event(w, 1, TS0, 0, 0, 1);  /* timer start, trigger auto */
  put_event(w, 1, TS0, 3, 0, 1);  /* workout: not a timer */
  bytes a;
  ASSERT_TRUE(take(w, &a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 4);
  const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_FILE_ID, 0);
  const gk_fit_field *f = fld(m, "garmin_product");
  ASSERT_TRUE(f != NULL);
  ASSERT_TRUE(f->flags & GK_FIT_F_SUBFIELD);
  ASSERT_EQ_INT(f->num, GK_FIT_FILE_ID_PRODUCT);
  ASSERT_EQ_INT(f->values[0].kind, GK_FIT_V_ENUM);
  ASSERT_STR(gk_fit_enum_name(f, f->values[0].v.u), "hrm1");
  /* the plain field stays, and field_num finds it, not the subfield */
  ASSERT_TRUE(fld(m, "product") != NULL);
  ASSERT_TRUE(fnum(m, GK_FIT_FILE_ID_PRODUCT) == fld(m, "product"));
  m = nth(&r, GK_FIT_MESG_FILE_ID, 1);
  ASSERT_TRUE(fld(m, "garmin_product") == NULL);
  ASSERT_EQ_INT(val(m, "product", 0), 1);

  m = nth(&r, GK_FIT_MESG_EVENT, 0);
  f = fld(m, "timer_trigger");
  ASSERT_TRUE(f != NULL);
  ASSERT_TRUE(f->flags & GK_FIT_F_SUBFIELD);
  ASSERT_STR(gk_fit_enum_name(f, f->values[0].v.u), "auto");
  ASSERT_EQ_INT(val(m, "data", 0), 1);
  m = nth(&r, GK_FIT_MESG_EVENT, 1);
  ASSERT_TRUE(fld(m, "timer_trigger") == NULL);
  result_free(&r);

  /* GK_FIT_NO_EXPAND: no subfields */
  ASSERT_EQ_INT(decode_opts(&r, &a, GK_FIT_NO_EXPAND, 0), GK_OK);
  ASSERT_TRUE(fld(nth(&r, GK_FIT_MESG_FILE_ID, 0), "garmin_product") == NULL);
  ASSERT_TRUE(fld(nth(&r, GK_FIT_MESG_EVENT, 0), "timer_trigger") == NULL);
  result_free(&r);
  bytes_free(&a);
}

static void test_components_speed_altitude(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, 0, NULL));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  for (unsigned i = 0; i < ACTIVITY_RECORDS; i++) {
    const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, i);
    const gk_fit_field *f = fld(m, "enhanced_speed");
    ASSERT_TRUE(f != NULL);
    ASSERT_TRUE(f->flags & GK_FIT_F_EXPANDED);
    ASSERT_EQ_INT(f->num, GK_FIT_RECORD_ENHANCED_SPEED);
    ASSERT_STR(f->units, "m/s");
    ASSERT_NEAR(f->values[0].v.f, 2.5 + i * 0.01, 1e-9);
    f = fld(m, "enhanced_altitude");
    ASSERT_TRUE(f != NULL);
    ASSERT_TRUE(f->flags & GK_FIT_F_EXPANDED);
    ASSERT_NEAR(f->values[0].v.f, 100.0 + i, 1e-9);
    /* the sources stay */
    ASSERT_NEAR(val(m, "speed", 0), 2.5 + i * 0.01, 1e-9);
    ASSERT_NEAR(val(m, "altitude", 0), 100.0 + i, 1e-9);
  }
  result_free(&r);
  ASSERT_EQ_INT(decode_opts(&r, &a, GK_FIT_NO_EXPAND, 0), GK_OK);
  ASSERT_TRUE(fld(nth(&r, GK_FIT_MESG_RECORD, 0), "enhanced_speed") == NULL);
  ASSERT_TRUE(fld(nth(&r, GK_FIT_MESG_RECORD, 0), "enhanced_altitude") == NULL);
  ASSERT_NEAR(val(nth(&r, GK_FIT_MESG_RECORD, 0), "speed", 0), 2.5, 1e-9);
  result_free(&r);
  bytes_free(&a);
}

/* Pack n 12-bit values, least significant bits first, into (n*12+7)/8
   bytes. */
static void pack12(const uint16_t *v, unsigned n, uint8_t *out) {
  memset(out, 0, (n * 12 + 7) / 8);
  for (unsigned i = 0; i < n; i++)
    for (unsigned b = 0; b < 12; b++)
      if (v[i] >> b & 1) {
        unsigned bit = i * 12 + b;
        out[bit / 8] |= (uint8_t)(1u << (bit % 8));
      }
}

static int build_components(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  /* record.compressed_speed_distance: 12 bits speed (1/100 m/s), 12 bits
     distance (1/16 m, accumulated) */
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
                            {GK_FIT_RECORD_COMPRESSED_SPEED_DISTANCE, 3,
                             GK_FIT_BYTE}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_RECORD, 2, rec, 0, NULL);
  static const uint16_t sd[][2] = {{550, 4000}, {600, 100}, {0, 150}};
  for (unsigned i = 0; i < 3; i++) {
    uint8_t b[3];
    pack12(sd[i], 2, b);
    gk_fit_msg_begin(w, 0);
    gk_fit_put_u32(w, TS0 + i);
    gk_fit_put_bytes(w, b, 3);
    gk_fit_msg_end(w);
  }
  /* hr.event_timestamp_12: 12-bit event times (1/1024 s, accumulated) */
  gk_fit_field_def hr[] = {{GK_FIT_HR_TIMESTAMP, 4, GK_FIT_UINT32},
                           {GK_FIT_HR_EVENT_TIMESTAMP_12, 6, GK_FIT_BYTE}};
  gk_fit_write_definition(w, 1, GK_FIT_MESG_HR, 2, hr, 0, NULL);
  static const uint16_t et[][4] = {{100, 200, 4000, 50}, {60, 1000, 1000, 5}};
  for (unsigned i = 0; i < 2; i++) {
    uint8_t b[6];
    pack12(et[i], 4, b);
    gk_fit_msg_begin(w, 1);
    gk_fit_put_u32(w, TS0 + 10 + i);
    gk_fit_put_bytes(w, b, 6);
    gk_fit_msg_end(w);
  }
  return take(w, out);
}

static void test_compressed_speed_distance(void) {
  bytes a;
  ASSERT_TRUE(build_components(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  static const double speed[] = {5.5, 6.0, 0.0};
  static const double dist[] = {4000 / 16.0, (4000 + 196) / 16.0,
                                (4000 + 196 + 50) / 16.0};
  for (unsigned i = 0; i < 3; i++) {
    const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, i);
    ASSERT_TRUE(m != NULL);
    const gk_fit_field *f = fld(m, "compressed_speed_distance");
    ASSERT_TRUE(f != NULL);
    ASSERT_EQ_INT(f->n_values, 3);
    f = fld(m, "speed");
    ASSERT_TRUE(f != NULL);
    ASSERT_TRUE(f->flags & GK_FIT_F_EXPANDED);
    ASSERT_NEAR(f->values[0].v.f, speed[i], 1e-9);
    ASSERT_NEAR(val(m, "enhanced_speed", 0), speed[i], 1e-9);
    f = fld(m, "distance");
    ASSERT_TRUE(f != NULL);
    ASSERT_TRUE(f->flags & GK_FIT_F_EXPANDED);
    ASSERT_NEAR(f->values[0].v.f, dist[i], 1e-9);
  }
  result_free(&r);
  bytes_free(&a);
}

static void test_hr_event_timestamp_12(void) {
  bytes a;
  ASSERT_TRUE(build_components(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  /* accumulated across elements and messages, rolling over at 4096 */
  static const double want[2][4] = {
      {100 / 1024.0, 200 / 1024.0, 4000 / 1024.0, 4146 / 1024.0},
      {4156 / 1024.0, 5096 / 1024.0, 5096 / 1024.0, 8197 / 1024.0}};
  for (unsigned i = 0; i < 2; i++) {
    const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_HR, i);
    ASSERT_TRUE(m != NULL);
    ASSERT_STR(m->name, "hr");
    const gk_fit_field *f = fld(m, "event_timestamp");
    ASSERT_TRUE(f != NULL);
    ASSERT_TRUE(f->flags & GK_FIT_F_EXPANDED);
    ASSERT_TRUE(f->flags & GK_FIT_F_ARRAY);
    ASSERT_STR(f->units, "s");
    ASSERT_EQ_INT(f->n_values, 4);
    for (unsigned k = 0; k < 4; k++)
      ASSERT_NEAR(f->values[k].v.f, want[i][k], 1e-12);
    ASSERT_EQ_INT(fld(m, "event_timestamp_12")->n_values, 6);
  }
  result_free(&r);
  bytes_free(&a);
}

/* ---- developer fields --------------------------------------------------- */

static const gk_fit_field_def dev_id_def[] = {
    {GK_FIT_DEVELOPER_DATA_ID_DEVELOPER_DATA_INDEX, 1, GK_FIT_UINT8},
    {GK_FIT_DEVELOPER_DATA_ID_APPLICATION_ID, 16, GK_FIT_BYTE},
};
static const gk_fit_field_def field_desc_def[] = {
    {GK_FIT_FIELD_DESCRIPTION_DEVELOPER_DATA_INDEX, 1, GK_FIT_UINT8},
    {GK_FIT_FIELD_DESCRIPTION_FIELD_DEFINITION_NUMBER, 1, GK_FIT_UINT8},
    {GK_FIT_FIELD_DESCRIPTION_FIT_BASE_TYPE_ID, 1, GK_FIT_UINT8},
    {GK_FIT_FIELD_DESCRIPTION_FIELD_NAME, 16, GK_FIT_STRING},
    {GK_FIT_FIELD_DESCRIPTION_UNITS, 8, GK_FIT_STRING},
    {GK_FIT_FIELD_DESCRIPTION_SCALE, 1, GK_FIT_UINT8},
    {GK_FIT_FIELD_DESCRIPTION_OFFSET, 1, GK_FIT_SINT8},
};

static void put_dev_id(gk_fit_writer *w, uint8_t local, uint8_t index) {
  gk_fit_msg_begin(w, local);
  gk_fit_put_u8(w, index);
  gk_fit_put_bytes(w, "0123456789abcdef", 16);
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

/* scale 0xFF / offset 0x7F: not given */
static void put_field_desc(gk_fit_writer *w, uint8_t local, uint8_t index,
                           uint8_t num, uint8_t base, const char *name,
                           const char *units, uint8_t scale, int8_t offset) {
  gk_fit_msg_begin(w, local);
  gk_fit_put_u8(w, index);
  gk_fit_put_u8(w, num);
  gk_fit_put_u8(w, base);
  gk_fit_put_str(w, name);
  gk_fit_put_str(w, units);
  gk_fit_put_u8(w, scale);
  gk_fit_put_s8(w, offset);
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
}

static int build_developer(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_write_definition(w, 0, GK_FIT_MESG_DEVELOPER_DATA_ID, 2, dev_id_def, 0,
                          NULL);
  gk_fit_write_definition(w, 1, GK_FIT_MESG_FIELD_DESCRIPTION, 7,
                          field_desc_def, 0, NULL);
  /* a description before its developer_data_id: ignored */
  put_field_desc(w, 1, 1, 0, 0x84, "Early", "x", 0xFF, 0x7F);
  put_dev_id(w, 0, 0);
  put_dev_id(w, 0, 1);
  put_field_desc(w, 1, 0, 0, 0x84, "Power2", "watts", 10, 5);
  put_field_desc(w, 1, 0, 1, 0x07, "Tags", "", 0xFF, 0x7F);
  put_field_desc(w, 1, 0, 2, 0x88, "Ratio", "%", 0xFF, 0x7F);
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_TIMESTAMP, 4, GK_FIT_UINT32},
                            {GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_dev_field_def dev[] = {
      {0, 2, 0},  /* Power2: uint16, scale 10, offset 5 */
      {1, 8, 0},  /* Tags: string, every part kept */
      {5, 1, 0},  /* no description: skipped, counted */
      {0, 2, 1},  /* index 1's description came too early: skipped */
      {2, 4, 0},  /* Ratio: float32 */
  };
  gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, 2, rec, 5, dev);
  for (unsigned i = 0; i < 2; i++) {
    gk_fit_msg_begin(w, 2);
    gk_fit_put_u32(w, TS0 + i);
    gk_fit_put_u8(w, (uint8_t)(140 + i));
    gk_fit_put_u16(w, (uint16_t)(1234 + i));
    gk_fit_put_bytes(w, "a\0bc\0\0\0\0", 8);
    gk_fit_put_u8(w, 9);
    gk_fit_put_u16(w, 77);
    gk_fit_put_f32(w, 0.25f);
    CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
  }
  return take(w, out);
}

static void test_developer_fields(void) {
  bytes a;
  ASSERT_TRUE(build_developer(&a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.cap.n, 8);
  /* 3 per record: unknown number 5, and index 1's field */
  ASSERT_EQ_INT(r.stats.unknown_dev_fields, 4);
  /* developer_data_id and field_description are plain numbers */
  const gk_fit_mesg *fd = nth(&r, GK_FIT_MESG_FIELD_DESCRIPTION, 1);
  ASSERT_TRUE(fd != NULL);
  ASSERT_STR(str_of(fd, "field_name", 0), "Power2");
  ASSERT_EQ_INT(kind_of(fd, "fit_base_type_id", 0), GK_FIT_V_NUM);
  ASSERT_EQ_INT(val(fd, "fit_base_type_id", 0), 0x84);
  ASSERT_EQ_INT(val(fd, "scale", 0), 10);
  for (unsigned i = 0; i < 2; i++) {
    const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, i);
    ASSERT_TRUE(m != NULL);
    ASSERT_EQ_INT(m->n_fields, 2);
    ASSERT_EQ_INT(val(m, "heart_rate", 0), 140 + i);
    ASSERT_EQ_INT(m->n_dev_fields, 3);
    const gk_fit_field *f = &m->dev_fields[0];
    ASSERT_STR(f->name, "Power2");
    ASSERT_STR(f->units, "watts");
    ASSERT_EQ_INT(f->num, 0);
    ASSERT_EQ_INT(f->dev_index, 0);
    ASSERT_EQ_INT(f->base_type, GK_FIT_UINT16);
    ASSERT_TRUE(f->flags & GK_FIT_F_DEVELOPER);
    ASSERT_EQ_INT(f->n_values, 1);
    ASSERT_NEAR(f->values[0].v.f, (1234 + i) / 10.0 - 5, 1e-9);
    ASSERT_TRUE(gk_fit_mesg_field(m, "Power2") == f);
    f = &m->dev_fields[1];
    ASSERT_STR(f->name, "Tags");
    ASSERT_STR(f->units, "");
    ASSERT_EQ_INT(f->n_values, 2); /* developer strings keep every part */
    ASSERT_TRUE(f->flags & GK_FIT_F_ARRAY);
    ASSERT_STR(f->values[0].v.s, "a");
    ASSERT_STR(f->values[1].v.s, "bc");
    f = &m->dev_fields[2];
    ASSERT_STR(f->name, "Ratio");
    ASSERT_NEAR(f->values[0].v.f, 0.25, 0);
  }
  result_free(&r);
  bytes_free(&a);
}

static void test_dev_field_without_description(void) {
  gk_fit_writer *w = wnew(0);
  ASSERT_TRUE(w != NULL);
  gk_fit_write_definition(w, 0, GK_FIT_MESG_DEVELOPER_DATA_ID, 2, dev_id_def, 0,
                          NULL);
  put_dev_id(w, 0, 3);
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_dev_field_def dev[] = {{0, 2, 3}, {0, 1, 9}};
  gk_fit_write_definition(w, 1, GK_FIT_MESG_RECORD, 1, rec, 2, dev);
  gk_fit_msg_begin(w, 1);
  gk_fit_put_u8(w, 99);
  gk_fit_put_u16(w, 1);
  gk_fit_put_u8(w, 2);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  bytes a;
  ASSERT_TRUE(take(w, &a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.stats.unknown_dev_fields, 2);
  const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, 0);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 0);
  ASSERT_EQ_INT(val(m, "heart_rate", 0), 99);
  result_free(&r);
  bytes_free(&a);
}

static void test_dev_description_before_id(void) {
  gk_fit_writer *w = wnew(0);
  ASSERT_TRUE(w != NULL);
  gk_fit_write_definition(w, 0, GK_FIT_MESG_DEVELOPER_DATA_ID, 2, dev_id_def, 0,
                          NULL);
  gk_fit_write_definition(w, 1, GK_FIT_MESG_FIELD_DESCRIPTION, 7,
                          field_desc_def, 0, NULL);
  put_field_desc(w, 1, 0, 0, 0x02, "Early", "x", 0xFF, 0x7F);
  put_dev_id(w, 0, 0);
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_dev_field_def dev[] = {{0, 1, 0}};
  gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, 1, rec, 1, dev);
  gk_fit_msg_begin(w, 2);
  gk_fit_put_u8(w, 99);
  gk_fit_put_u8(w, 7);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  /* a description after the id does apply */
  put_field_desc(w, 1, 0, 0, 0x02, "Late", "y", 0xFF, 0x7F);
  gk_fit_msg_begin(w, 2);
  gk_fit_put_u8(w, 98);
  gk_fit_put_u8(w, 8);
  ASSERT_EQ_INT(gk_fit_msg_end(w), GK_OK);
  bytes a;
  ASSERT_TRUE(take(w, &a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  ASSERT_EQ_INT(r.stats.unknown_dev_fields, 1);
  const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, 0);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 0);
  ASSERT_TRUE(gk_fit_mesg_field(m, "Early") == NULL);
  m = nth(&r, GK_FIT_MESG_RECORD, 1);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 1);
  ASSERT_STR(m->dev_fields[0].name, "Late");
  ASSERT_STR(m->dev_fields[0].units, "y");
  ASSERT_NEAR(m->dev_fields[0].values[0].v.f, 8, 0);
  result_free(&r);
  bytes_free(&a);
}

/*
** Descriptions that change after a definition was read: a developer_data_id
** sent again drops its index's descriptions, a new description then
** applies; the first description of a number wins; and hundreds of
** descriptions (the decoder's table grows while definitions refer to it).
*/
static void test_dev_descriptions_change(void) {
  gk_fit_writer *w = wnew(0);
  ASSERT_TRUE(w != NULL);
  gk_fit_write_definition(w, 0, GK_FIT_MESG_DEVELOPER_DATA_ID, 2, dev_id_def, 0,
                          NULL);
  gk_fit_write_definition(w, 1, GK_FIT_MESG_FIELD_DESCRIPTION, 7,
                          field_desc_def, 0, NULL);
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_dev_field_def dev[] = {{0, 1, 0}, {250, 2, 0}};
  /* the record definition comes before any description */
  gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, 1, rec, 2, dev);
  put_dev_id(w, 0, 0);
  put_field_desc(w, 1, 0, 0, GK_FIT_UINT8, "First", "a", 0xFF, 0x7F);
  put_field_desc(w, 1, 0, 0, GK_FIT_UINT8, "Second", "b", 0xFF, 0x7F);
  unsigned rec_no = 0;
#define PUT_REC()                        \
  do {                                   \
    gk_fit_msg_begin(w, 2);              \
    gk_fit_put_u8(w, (uint8_t)rec_no);   \
    gk_fit_put_u8(w, (uint8_t)(10 + rec_no)); \
    gk_fit_put_u16(w, (uint16_t)(1000 + rec_no)); \
    CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK); \
    rec_no++;                            \
  } while (0)
  PUT_REC(); /* 0: First */
  put_dev_id(w, 0, 0); /* drops index 0's descriptions */
  PUT_REC(); /* 1: no description */
  put_field_desc(w, 1, 0, 0, GK_FIT_UINT8, "Third", "c", 2, 0x7F);
  PUT_REC(); /* 2: Third, scale 2 */
  /* 310 more descriptions: the table grows under the cached ones */
  for (unsigned k = 1; k <= 249; k++)
    put_field_desc(w, 1, 0, (uint8_t)k, GK_FIT_UINT8, "filler", "", 0xFF, 0x7F);
  put_field_desc(w, 1, 0, 250, GK_FIT_UINT16, "Last", "z", 0xFF, 0x7F);
  put_dev_id(w, 0, 1);
  for (unsigned k = 0; k < 60; k++)
    put_field_desc(w, 1, 1, (uint8_t)k, GK_FIT_UINT8, "other", "", 0xFF, 0x7F);
  PUT_REC(); /* 3: Third and Last */
#undef PUT_REC
  bytes a;
  ASSERT_TRUE(take(w, &a));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_OK);
  const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, 0);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 1);
  ASSERT_STR(m->dev_fields[0].name, "First");
  ASSERT_STR(m->dev_fields[0].units, "a");
  ASSERT_NEAR(m->dev_fields[0].values[0].v.f, 10, 0);
  m = nth(&r, GK_FIT_MESG_RECORD, 1);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 0);
  m = nth(&r, GK_FIT_MESG_RECORD, 2);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 1);
  ASSERT_STR(m->dev_fields[0].name, "Third");
  ASSERT_NEAR(m->dev_fields[0].values[0].v.f, 12 / 2.0, 0);
  m = nth(&r, GK_FIT_MESG_RECORD, 3);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_dev_fields, 2);
  ASSERT_STR(m->dev_fields[0].name, "Third");
  ASSERT_NEAR(m->dev_fields[0].values[0].v.f, 13 / 2.0, 0);
  ASSERT_STR(m->dev_fields[1].name, "Last");
  ASSERT_STR(m->dev_fields[1].units, "z");
  ASSERT_EQ_INT(m->dev_fields[1].base_type, GK_FIT_UINT16);
  ASSERT_NEAR(m->dev_fields[1].values[0].v.f, 1003, 0);
  /* undescribed: field 250 in records 0..2, field 0 in record 1 */
  ASSERT_EQ_INT(r.stats.unknown_dev_fields, 3 + 1);
  result_free(&r);
  bytes_free(&a);
}

/*
** developer_data_index, field_definition_number and fit_base_type_id are
** uint8 in the profile, but a file may declare them wider or signed.  A
** value that does not fit names no developer index, field or base type
** (the SDK keeps the number as it is, so it matches nothing): the id or
** description is ignored and the developer field stays undescribed.
** Scenario 0: developer_data_id.developer_data_index = 256 (uint16);
** 1: field_description.developer_data_index = 256 (uint16);
** 2: field_description.field_definition_number = -54 (sint16; its low
**    byte is 202);
** 3: field_description.fit_base_type_id = -124 (sint16);
** 4: none (the control: the description applies).
** Each record has one developer field, index 0, number 202, one byte.
*/
static int build_dev_out_of_range(int scenario, bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_field_def id[] = {
      {GK_FIT_DEVELOPER_DATA_ID_DEVELOPER_DATA_INDEX, 2, GK_FIT_UINT16}};
  gk_fit_field_def desc[] = {
      {GK_FIT_FIELD_DESCRIPTION_DEVELOPER_DATA_INDEX, 2, GK_FIT_UINT16},
      {GK_FIT_FIELD_DESCRIPTION_FIELD_DEFINITION_NUMBER, 2, GK_FIT_SINT16},
      {GK_FIT_FIELD_DESCRIPTION_FIT_BASE_TYPE_ID, 2, GK_FIT_SINT16},
      {GK_FIT_FIELD_DESCRIPTION_FIELD_NAME, 8, GK_FIT_STRING}};
  gk_fit_write_definition(w, 0, GK_FIT_MESG_DEVELOPER_DATA_ID, 1, id, 0, NULL);
  gk_fit_write_definition(w, 1, GK_FIT_MESG_FIELD_DESCRIPTION, 4, desc, 0,
                          NULL);
  gk_fit_field_def rec[] = {{GK_FIT_RECORD_HEART_RATE, 1, GK_FIT_UINT8}};
  gk_fit_dev_field_def dev[] = {{202, 1, 0}};
  gk_fit_write_definition(w, 2, GK_FIT_MESG_RECORD, 1, rec, 1, dev);
  gk_fit_msg_begin(w, 0);
  gk_fit_put_u16(w, scenario == 0 ? 256 : 0);
  gk_fit_msg_end(w);
  gk_fit_msg_begin(w, 1);
  gk_fit_put_u16(w, scenario == 1 ? 256 : 0);
  gk_fit_put_s16(w, scenario == 2 ? -54 : 202);
  gk_fit_put_s16(w, scenario == 3 ? -124 : GK_FIT_UINT8);
  gk_fit_put_str(w, "Dev");
  gk_fit_msg_end(w);
  gk_fit_msg_begin(w, 2);
  gk_fit_put_u8(w, 99);
  gk_fit_put_u8(w, 7);
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
  return take(w, out);
}

static void test_dev_ids_out_of_range(void) {
  for (int sc = 0; sc < 5; sc++) {
    bytes a;
    ASSERT_TRUE(build_dev_out_of_range(sc, &a));
    result r;
    ASSERT_EQ_INT(decode(&r, &a), GK_OK);
    const gk_fit_mesg *m = nth(&r, GK_FIT_MESG_RECORD, 0);
    ASSERT_TRUE(m != NULL);
    int want = sc == 4; /* only the control describes the field */
    int ok = CHECK_EQ_INT(m->n_dev_fields, want) &&
             CHECK_EQ_INT(r.stats.unknown_dev_fields, !want);
    if (ok && want) ok = CHECK_STR(m->dev_fields[0].name, "Dev");
    if (!ok)
      fprintf(stderr, "  scenario %d: the developer field was described by "
                      "\"%s\"\n", sc,
              m->n_dev_fields ? m->dev_fields[0].name : "?");
    result_free(&r);
    bytes_free(&a);
  }
}

/*
** Developer fields after a definition whose own fields take more than 64 KiB
** of the record: 255 fields of 255 bytes (65025 bytes), then four developer
** fields of 255 bytes.  The fourth starts at byte 65790 of the record.
*/
static int build_wide_dev(bytes *out) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  gk_fit_write_definition(w, 0, GK_FIT_MESG_DEVELOPER_DATA_ID, 2, dev_id_def, 0,
                          NULL);
  gk_fit_write_definition(w, 1, GK_FIT_MESG_FIELD_DESCRIPTION, 7,
                          field_desc_def, 0, NULL);
  put_dev_id(w, 0, 0);
  for (uint8_t k = 0; k < 4; k++)
    put_field_desc(w, 1, 0, k, GK_FIT_BYTE, "blob", "", 0xFF, 0x7F);
  static gk_fit_field_def fields[255];
  for (unsigned i = 0; i < 255; i++) {
    fields[i].num = (uint8_t)i;
    fields[i].size = 255;
    fields[i].base_type = GK_FIT_BYTE;
  }
  gk_fit_dev_field_def dev[4] = {{0, 255, 0}, {1, 255, 0}, {2, 255, 0},
                                 {3, 255, 0}};
  gk_fit_write_definition(w, 2, MESG_UNKNOWN, 255, fields, 4, dev);
  gk_fit_msg_begin(w, 2);
  uint8_t chunk[255];
  memset(chunk, 0x01, sizeof chunk);
  for (unsigned i = 0; i < 255; i++) gk_fit_put_bytes(w, chunk, 255);
  for (unsigned k = 0; k < 4; k++) {
    memset(chunk, 0x10 + (int)k, sizeof chunk);
    gk_fit_put_bytes(w, chunk, 255);
  }
  CHECK_EQ_INT(gk_fit_msg_end(w), GK_OK);
  return take(w, out);
}

static void test_dev_fields_beyond_64k(void) {
  bytes a;
  ASSERT_TRUE(build_wide_dev(&a));
  result r;
  decode_whole(&r, a.p, a.n, 0, 0);
  ASSERT_EQ_INT(r.st, GK_OK);
  const gk_fit_mesg *m = nth(&r, MESG_UNKNOWN, 0);
  ASSERT_TRUE(m != NULL);
  ASSERT_EQ_INT(m->n_fields, 255);
  ASSERT_EQ_INT(m->n_dev_fields, 4);
  for (unsigned k = 0; k < 4; k++) {
    const gk_fit_field *f = &m->dev_fields[k];
    ASSERT_EQ_INT(f->num, k);
    ASSERT_EQ_INT(f->n_values, 255);
    if (!CHECK_NEAR(f->values[0].v.f, 0x10 + k, 0) ||
        !CHECK_NEAR(f->values[254].v.f, 0x10 + k, 0)) {
      fprintf(stderr, "  developer field %u (record offset %u) read from the "
                      "wrong bytes\n", k, 65025 + 255 * k);
      break;
    }
  }
  result_free(&r);
  bytes_free(&a);
}

/* ---- damage ------------------------------------------------------------- */

static void test_truncated_everywhere(void) {
  size_t ends[ACTIVITY_MESGS];
  bytes a;
  ASSERT_TRUE(build_activity(&a, 0, ends));
  result full;
  ASSERT_EQ_INT(decode(&full, &a), GK_OK);
  ASSERT_EQ_INT(full.cap.n, ACTIVITY_MESGS);
  for (size_t cut = 0; cut < a.n; cut++) {
    bytes b = {a.p, cut};
    result r;
    decode(&r, &b);
    size_t want = 0;
    while (want < ACTIVITY_MESGS && ends[want] <= cut) want++;
    int ok = CHECK_EQ_INT(r.st, GK_E_TRUNCATED) &&
             CHECK_EQ_INT(r.err.code, GK_E_TRUNCATED) &&
             CHECK_EQ_INT(r.err.offset, cut) && CHECK_EQ_INT(r.cap.n, want) &&
             CHECK_TRUE(r.err.msg != NULL);
    /* the messages delivered are exactly the first ones of the whole file */
    if (ok && r.cap.n > 0)
      ok = CHECK_TRUE(strncmp(full.cap.text.data, r.cap.text.data,
                              r.cap.text.len) == 0);
    result_free(&r);
    if (!ok) {
      fprintf(stderr, "  cut at %zu of %zu\n", cut, a.n);
      break;
    }
  }
  result_free(&full);
  bytes_free(&a);
}

static int build_undefined_local(bytes *out, size_t *at) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  put_file_id(w, 0, 1, 1);
  *at = gk_fit_writer_size(w);
  gk_fit_write_raw(w, "\x03\x01\x02\x03\x04", 5); /* local 3: no definition */
  return take(w, out);
}

static void test_undefined_local(void) {
  bytes a;
  size_t at;
  ASSERT_TRUE(build_undefined_local(&a, &at));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  ASSERT_EQ_INT(r.err.offset, at);
  ASSERT_EQ_INT(r.cap.n, 1);
  result_free(&r);
  /* a compressed-timestamp header for an undefined local type (2) too */
  a.p[at] = 0x80 | (2 << 5) | 5;
  fix_crcs(&a);
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  ASSERT_EQ_INT(r.err.offset, at);
  result_free(&r);
  bytes_free(&a);
}

static int build_bad_base_type(bytes *out, size_t *at) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  put_file_id(w, 0, 1, 1);
  *at = gk_fit_writer_size(w);
  /* record, 2 fields; the second has base type 0x11 */
  gk_fit_write_raw(w, "\x41\x00\x00\x14\x00\x02\xFD\x04\x86\x03\x01\x11", 12);
  gk_fit_write_raw(w, "\x01\x00\x00\x00\x00\x50", 6);
  return take(w, out);
}

static void test_unknown_base_type(void) {
  bytes a;
  size_t at;
  ASSERT_TRUE(build_bad_base_type(&a, &at));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  ASSERT_EQ_INT(r.err.offset, at + 6 + 3 + 2); /* the base type byte */
  ASSERT_EQ_INT(r.cap.n, 1);
  result_free(&r);
  bytes_free(&a);
}

static int build_arch2(bytes *out, size_t *at) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  put_file_id(w, 0, 1, 1);
  *at = gk_fit_writer_size(w);
  gk_fit_write_raw(w, "\x41\x00\x02\x14\x00\x01\x03\x01\x02", 9);
  gk_fit_write_raw(w, "\x01\x50", 2);
  return take(w, out);
}

static void test_architecture_2(void) {
  bytes a;
  size_t at;
  ASSERT_TRUE(build_arch2(&a, &at));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  ASSERT_EQ_INT(r.err.offset, at + 2);
  ASSERT_EQ_INT(r.cap.n, 1);
  ASSERT_EQ_INT(r.stats.definitions, 1);
  result_free(&r);
  bytes_free(&a);
}

static void test_empty_input(void) {
  bytes a = {NULL, 0};
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_TRUNCATED);
  ASSERT_EQ_INT(r.err.offset, 0);
  ASSERT_EQ_INT(r.stats.files, 0);
  result_free(&r);
  /* the streaming decoder: finish with nothing fed */
  gk_fit_decoder *d;
  ASSERT_EQ_INT(gk_fit_decoder_new(&d, NULL, 0, NULL, NULL), GK_OK);
  ASSERT_EQ_INT(gk_fit_feed(d, NULL, 0), GK_OK);
  ASSERT_EQ_INT(gk_fit_finish(d), GK_E_TRUNCATED);
  ASSERT_EQ_INT(gk_fit_error(d)->code, GK_E_TRUNCATED);
  /* a failed decoder stays failed */
  ASSERT_EQ_INT(gk_fit_feed(d, "\x0e", 1), GK_E_TRUNCATED);
  gk_fit_decoder_free(d);
}

static void test_random_bytes(void) {
  uint8_t buf[512];
  for (int round = 0; round < 300; round++) {
    size_t n = (size_t)(rng() % sizeof buf);
    for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)rng();
    int with_header = round % 2;
    if (with_header && n >= 16) {
      /* a valid header over random records, so the decoder gets past it */
      memcpy(buf, "\x0e\x20\xE1\x52\0\0\0\0.FIT\0\0", 14);
      uint32_t ds = (uint32_t)(n - 16);
      buf[4] = (uint8_t)ds;
      buf[5] = (uint8_t)(ds >> 8);
      uint16_t c = gk_fit_crc16(0, buf, 12);
      buf[12] = (uint8_t)c;
      buf[13] = (uint8_t)(c >> 8);
    }
    bytes b = {buf, n};
    result r;
    decode(&r, &b);
    int ok = CHECK_TRUE(r.st != GK_OK) && CHECK_EQ_INT(r.err.code, r.st) &&
             CHECK_TRUE(r.err.offset <= n);
    result_free(&r);
    if (!ok) {
      fprintf(stderr, "  round %d, %zu bytes\n", round, n);
      return;
    }
  }
}

static int build_past_data_size(bytes *out, size_t *at) {
  gk_fit_writer *w = wnew(0);
  if (w == NULL) return 0;
  put_file_id(w, 0, 1, 1);
  *at = gk_fit_writer_size(w);
  put_file_id(w, 1, 1, 2);
  if (!take(w, out)) return 0;
  /* the header says the data ends 3 bytes before the last record does */
  uint32_t ds = (uint32_t)(out->n - 14 - 2 - 3);
  out->p[4] = (uint8_t)ds;
  out->p[5] = (uint8_t)(ds >> 8);
  out->p[6] = (uint8_t)(ds >> 16);
  out->p[7] = (uint8_t)(ds >> 24);
  fix_crcs(out);
  return 1;
}

static void test_record_past_data_size(void) {
  bytes a;
  size_t at;
  ASSERT_TRUE(build_past_data_size(&a, &at));
  result r;
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  /* the second definition ends inside the data section; its data message
     runs past it */
  size_t rec_at = at + 6 + 3 * 5;
  ASSERT_EQ_INT(r.err.offset, rec_at);
  ASSERT_EQ_INT(r.cap.n, 1);
  ASSERT_EQ_INT(r.stats.definitions, 2);
  result_free(&r);
  /* now the definition itself runs past the end */
  uint32_t ds = (uint32_t)(at - 14 + 4);
  a.p[4] = (uint8_t)ds;
  a.p[5] = (uint8_t)(ds >> 8);
  a.p[6] = a.p[7] = 0;
  fix_crcs(&a);
  ASSERT_EQ_INT(decode(&r, &a), GK_E_CORRUPT);
  ASSERT_EQ_INT(r.err.offset, at);
  ASSERT_EQ_INT(r.cap.n, 1);
  ASSERT_EQ_INT(r.stats.definitions, 1);
  result_free(&r);
  bytes_free(&a);
}

static void test_callback_stop(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, 0, NULL));
  result full;
  ASSERT_EQ_INT(decode(&full, &a), GK_OK);
  for (uint64_t k = 1; k <= ACTIVITY_MESGS; k++) {
    result r;
    ASSERT_EQ_INT(decode_opts(&r, &a, 0, k), GK_E_STOPPED);
    ASSERT_EQ_INT(r.cap.n, k);
    ASSERT_EQ_INT(r.stats.messages, k);
    ASSERT_EQ_INT(r.err.offset, full.cap.mesgs[k - 1].offset);
    result_free(&r);
  }
  result_free(&full);
  bytes_free(&a);
}

/*
** stats.bytes, "input bytes consumed", must not depend on how the input is
** cut into chunks: after every successful gk_fit_feed it is the number of
** bytes fed so far (fit_decode.c sets pos + pend_len), and after an error
** the whole-buffer and the streaming decoder must agree.
*/
static void test_stats_bytes(void) {
  bytes a;
  ASSERT_TRUE(build_activity(&a, 0, NULL));
  gk_fit_decoder *d;
  ASSERT_EQ_INT(gk_fit_decoder_new(&d, NULL, 0, NULL, NULL), GK_OK);
  int reported = 0;
  for (size_t i = 0; i < a.n; i++) {
    CHECK_EQ_INT(gk_fit_feed(d, a.p + i, 1), GK_OK);
    if (!reported && !CHECK_EQ_INT(gk_fit_decoder_stats(d)->bytes, i + 1)) {
      fprintf(stderr, "  after feeding byte %zu, one byte at a time\n", i);
      reported = 1;
    }
  }
  CHECK_EQ_INT(gk_fit_finish(d), GK_OK);
  CHECK_EQ_INT(gk_fit_decoder_stats(d)->bytes, a.n);
  gk_fit_decoder_free(d);

  /* the same file cut inside the third record, then a bad file CRC: the
     whole buffer and bytes one at a time */
  const size_t cuts[] = {5, a.n / 2};
  for (size_t c = 0; c < 2; c++) {
    result w, s;
    decode_whole(&w, a.p, cuts[c], 0, 0);
    decode_stream(&s, a.p, cuts[c], 0, 0, 1, 0);
    ASSERT_EQ_INT(w.st, GK_E_TRUNCATED);
    CHECK_EQ_INT(w.stats.bytes, cuts[c]);
    CHECK_EQ_INT(s.stats.bytes, w.stats.bytes);
    result_free(&w);
    result_free(&s);
  }
  a.p[a.n - 1] ^= 1;
  result w, s;
  decode_whole(&w, a.p, a.n, 0, 0);
  decode_stream(&s, a.p, a.n, 0, 0, 1, 0);
  ASSERT_EQ_INT(w.st, GK_E_CRC);
  ASSERT_EQ_INT(s.st, GK_E_CRC);
  CHECK_EQ_INT(s.stats.bytes, w.stats.bytes);
  result_free(&w);
  result_free(&s);
  bytes_free(&a);
}

/* ---- the seed files ----------------------------------------------------- */

static int seed_activity(bytes *o) { return build_activity(o, 0, NULL); }
static int seed_header12(bytes *o) {
  return build_activity(o, GK_FIT_W_HEADER12, NULL);
}
static int seed_header_crc0(bytes *o) {
  return build_activity(o, GK_FIT_W_NO_HEADER_CRC, NULL);
}
static int seed_chained(bytes *o) { return build_chained(o, 3); }
static int seed_truncated(bytes *o) {
  size_t ends[ACTIVITY_MESGS];
  if (!build_activity(o, 0, ends)) return 0;
  o->n = ends[4] - 5; /* inside the third record */
  return 1;
}
static int seed_undefined_local(bytes *o) {
  size_t at;
  return build_undefined_local(o, &at);
}
static int seed_bad_base_type(bytes *o) {
  size_t at;
  return build_bad_base_type(o, &at);
}
static int seed_arch2(bytes *o) {
  size_t at;
  return build_arch2(o, &at);
}
static int seed_past_data_size(bytes *o) {
  size_t at;
  return build_past_data_size(o, &at);
}

static const struct seed {
  const char *name;
  int (*build)(bytes *);
  gk_status want;
} seeds[] = {
    {"y_activity.fit", seed_activity, GK_OK},
    {"y_header12.fit", seed_header12, GK_OK},
    {"y_header_crc0.fit", seed_header_crc0, GK_OK},
    {"y_chained.fit", seed_chained, GK_OK},
    {"y_redefine.fit", build_redefine, GK_OK},
    {"y_big_endian.fit", build_big_endian, GK_OK},
    {"y_mixed_endian.fit", build_mixed_endian, GK_OK},
    {"y_base_types.fit", build_base_types, GK_OK},
    {"y_arrays.fit", build_arrays, GK_OK},
    {"y_strings.fit", build_strings, GK_OK},
    {"y_odd_sizes.fit", build_odd_sizes, GK_OK},
    {"y_compressed_ts.fit", build_compressed_ts, GK_OK},
    {"y_components.fit", build_components, GK_OK},
    {"y_developer.fit", build_developer, GK_OK},
    {"n_bad_header_crc.fit", build_bad_header_crc, GK_E_CRC},
    {"n_bad_file_crc.fit", build_bad_file_crc, GK_E_CRC},
    {"n_truncated.fit", seed_truncated, GK_E_TRUNCATED},
    {"n_undefined_local.fit", seed_undefined_local, GK_E_CORRUPT},
    {"n_bad_base_type.fit", seed_bad_base_type, GK_E_CORRUPT},
    {"n_arch2.fit", seed_arch2, GK_E_CORRUPT},
    {"n_past_data_size.fit", seed_past_data_size, GK_E_CORRUPT},
};
#define N_SEEDS (sizeof seeds / sizeof seeds[0])

static int read_file(const char *path, bytes *out) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return 0;
  out->p = NULL;
  out->n = 0;
  uint8_t tmp[4096];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0) {
    bytes part = {tmp, k};
    bytes_cat(out, &part);
  }
  int ok = !ferror(f);
  fclose(f);
  return ok;
}

static int write_seeds(const char *dir) {
  for (size_t i = 0; i < N_SEEDS; i++) {
    bytes b;
    if (!seeds[i].build(&b)) {
      fprintf(stderr, "building %s failed\n", seeds[i].name);
      return 1;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, seeds[i].name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b.p, 1, b.n, f) != b.n || fclose(f) != 0) {
      fprintf(stderr, "cannot write %s\n", path);
      return 1;
    }
    printf("%s: %zu bytes\n", path, b.n);
    bytes_free(&b);
  }
  return 0;
}

static void test_seed_files(void) {
  char path[1024];
  /* every seed: as committed, small, and decoding as its name says */
  for (size_t i = 0; i < N_SEEDS; i++) {
    bytes want, got;
    ASSERT_TRUE(seeds[i].build(&want));
    snprintf(path, sizeof path, "%s/fit/%s", GK_TEST_DATA, seeds[i].name);
    if (!CHECK_TRUE(read_file(path, &got))) {
      fprintf(stderr, "  missing %s: run test_fit --write-seeds\n", path);
      bytes_free(&want);
      continue;
    }
    if (!CHECK_TRUE(got.n == want.n && memcmp(got.p, want.p, got.n) == 0))
      fprintf(stderr, "  %s differs from its builder: regenerate it\n", path);
    CHECK_TRUE(want.n < 2048);
    result r;
    CHECK_EQ_INT(decode(&r, &want), seeds[i].want);
    result_free(&r);
    bytes_free(&want);
    bytes_free(&got);
  }
  /* every file in the folder (kept crash reproducers too): no crash, the
     same result whole and streamed, and y_/n_ as named */
  snprintf(path, sizeof path, "%s/fit", GK_TEST_DATA);
  DIR *dir = opendir(path);
  ASSERT_TRUE(dir != NULL);
  struct dirent *e;
  unsigned n_files = 0;
  while ((e = readdir(dir)) != NULL) {
    const char *name = e->d_name;
    size_t len = strlen(name);
    if (len < 4 || strcmp(name + len - 4, ".fit") != 0) continue;
    snprintf(path, sizeof path, "%s/fit/%s", GK_TEST_DATA, name);
    bytes b;
    if (!CHECK_TRUE(read_file(path, &b))) continue;
    result r;
    if (strncmp(name, "crash-", 6) == 0) {
      /* the fuzzer's option sets too (it takes them from the last byte) */
      static const unsigned opts[] = {GK_FIT_ACCEPT_BAD_CRC, GK_FIT_NO_EXPAND,
                                      GK_FIT_ACCEPT_BAD_CRC | GK_FIT_NO_EXPAND};
      for (size_t k = 0; k < 3; k++) {
        decode_opts(&r, &b, opts[k], 0);
        result_free(&r);
      }
    }
    gk_status st = decode(&r, &b);
    if (name[0] == 'y' && name[1] == '_') {
      if (!CHECK_EQ_INT(st, GK_OK)) fprintf(stderr, "  %s\n", name);
    } else if (name[0] == 'n' && name[1] == '_') {
      if (!CHECK_TRUE(st != GK_OK)) fprintf(stderr, "  %s\n", name);
    }
    result_free(&r);
    bytes_free(&b);
    n_files++;
  }
  closedir(dir);
  ASSERT_TRUE(n_files >= N_SEEDS);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
    return write_seeds(argv[2]);
  RUN(test_crc16_bitwise);
  RUN(test_crc16_table);
  RUN(test_sniff);
  RUN(test_writer_layout);
  RUN(test_writer_args);
  RUN(test_writer_nomem);
  RUN(test_header14);
  RUN(test_header12);
  RUN(test_header_crc_zero);
  RUN(test_header_crc_wrong);
  RUN(test_file_crc_wrong);
  RUN(test_chained_two);
  RUN(test_chained_three);
  RUN(test_local_redefined);
  RUN(test_big_endian);
  RUN(test_mixed_endian);
  RUN(test_base_types);
  RUN(test_arrays);
  RUN(test_strings);
  RUN(test_odd_sizes);
  RUN(test_compressed_timestamps);
  RUN(test_scale_offset_enum_time);
  RUN(test_subfields);
  RUN(test_components_speed_altitude);
  RUN(test_compressed_speed_distance);
  RUN(test_hr_event_timestamp_12);
  RUN(test_developer_fields);
  RUN(test_dev_field_without_description);
  RUN(test_dev_description_before_id);
  RUN(test_dev_descriptions_change);
  RUN(test_dev_fields_beyond_64k);
  RUN(test_truncated_everywhere);
  RUN(test_undefined_local);
  RUN(test_unknown_base_type);
  RUN(test_architecture_2);
  RUN(test_empty_input);
  RUN(test_random_bytes);
  RUN(test_record_past_data_size);
  RUN(test_callback_stop);
  RUN(test_stats_bytes);
  RUN(test_dev_ids_out_of_range); /* UB in the decoder: may abort */
  RUN(test_seed_files);
  return TEST_SUMMARY();
}
