/*
** fit_encode.c -- the FIT writer (gaitkeeper/fit_write.h).
**
** One growable output buffer holds the whole file from its first byte: the
** header is written by gk_fit_writer_new with its data size and CRC left
** zero, records are appended as they come, and gk_fit_writer_finish patches
** the header and appends the file CRC.  Each local message type remembers the
** layout of its definition (field sizes, base types, byte order) so that
** data messages can be checked, and built value by value in place.
*/
#include "core/core_internal.h"
#include "gaitkeeper/fit_write.h"

#define GK__W_DEV_BASE 0xFFu /* base type slot of a developer field */
#define GK__W_MAX_FIELDS (255 + 255)

/* The base type byte FIT files carry: the number, with bit 0x80 for the
   types whose byte order follows the architecture. */
static const uint8_t canon_base[17] = {0x00, 0x01, 0x02, 0x83, 0x84, 0x85,
                                       0x86, 0x07, 0x88, 0x89, 0x0A, 0x8B,
                                       0x8C, 0x0D, 0x8E, 0x8F, 0x90};
static const uint8_t base_size[17] = {1, 1, 1, 2, 2, 4, 4, 1, 4,
                                      8, 1, 2, 4, 1, 8, 8, 8};
static const uint64_t base_invalid[17] = {
    0xFF,       0x7F,       0xFF,       0x7FFF,     0xFFFF,     0x7FFFFFFF,
    0xFFFFFFFF, 0x00,       0xFFFFFFFF, UINT64_MAX, 0x00,       0x0000,
    0x00000000, 0xFF,       INT64_MAX,  UINT64_MAX, 0};

/* The layout of one local message type's definition. */
struct wdef {
  uint8_t valid;
  uint8_t big_endian;
  uint16_t n;         /* fields, then developer fields */
  uint32_t data_size; /* bytes of a data record after its header byte */
  uint8_t size[GK__W_MAX_FIELDS];
  uint8_t base[GK__W_MAX_FIELDS]; /* 0x00..0x10, or GK__W_DEV_BASE */
};

struct gk_fit_writer {
  const gk_alloc *alloc;
  unsigned flags;
  uint8_t big_endian; /* for the next definitions */
  uint8_t finished;
  uint8_t hs;         /* header size, 12 or 14 */
  uint8_t *buf;
  size_t len;
  size_t cap;

  /* the message being built by gk_fit_msg_begin .. gk_fit_msg_end */
  uint8_t in_msg;
  uint8_t msg_local;
  uint8_t foff;       /* bytes written of the current field */
  uint16_t fi;        /* current field */
  size_t msg_start;   /* offset of its record header */
  gk_status put_err;  /* first failed put, reported by msg_end or finish */

  struct wdef defs[16];
};

/* ---- buffer ------------------------------------------------------------- */

static gk_status reserve(gk_fit_writer *w, size_t extra) {
  size_t need;
  if (!gk__add_ok(w->len, extra, &need)) return GK_E_LIMIT;
  /* the data section must fit the header's 32-bit size (+2: file CRC) */
  if ((uint64_t)(need - w->hs) > (uint64_t)UINT32_MAX + 2) return GK_E_LIMIT;
  if (need <= w->cap) return GK_OK;
  size_t cap = w->cap ? w->cap : 256;
  while (cap < need) {
    if (cap > SIZE_MAX / 2) {
      cap = need;
      break;
    }
    cap *= 2;
  }
  uint8_t *nb =
      (uint8_t *)w->alloc->realloc(w->alloc->ctx, w->buf, w->cap, cap);
  if (nb == NULL) return GK_E_NOMEM;
  w->buf = nb;
  w->cap = cap;
  return GK_OK;
}

/* Store the low k bytes of v at p in the given byte order. */
static void store(uint8_t *p, uint64_t v, unsigned k, int be) {
  for (unsigned i = 0; i < k; i++) {
    unsigned shift = 8 * (be ? k - 1 - i : i);
    p[i] = (uint8_t)(v >> shift);
  }
}

/* ---- lifecycle ---------------------------------------------------------- */

gk_status gk_fit_writer_new(gk_fit_writer **out, const gk_alloc *alloc,
                            unsigned flags) {
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  if (flags & ~(unsigned)(GK_FIT_W_HEADER12 | GK_FIT_W_BIG_ENDIAN |
                          GK_FIT_W_NO_HEADER_CRC | GK_FIT_W_ODD_SIZES))
    return GK_E_ARG;
  alloc = gk__alloc_or_default(alloc);
  gk_fit_writer *w = (gk_fit_writer *)alloc->malloc(alloc->ctx, sizeof *w);
  if (w == NULL) return GK_E_NOMEM;
  memset(w, 0, sizeof *w);
  w->alloc = alloc;
  w->flags = flags;
  w->big_endian = (flags & GK_FIT_W_BIG_ENDIAN) != 0;
  w->hs = (flags & GK_FIT_W_HEADER12) ? 12 : 14;
  if (reserve(w, w->hs) != GK_OK) {
    alloc->free(alloc->ctx, w, sizeof *w);
    return GK_E_NOMEM;
  }
  uint8_t *h = w->buf;
  memset(h, 0, w->hs);
  h[0] = w->hs;
  h[1] = GK_FIT_W_PROTOCOL_VERSION;
  gk__wr_u16le(h + 2, GK_FIT_W_PROFILE_VERSION);
  /* h[4..8): data size, filled by finish */
  memcpy(h + 8, ".FIT", 4);
  /* h[12..14): header CRC, filled by finish */
  w->len = w->hs;
  *out = w;
  return GK_OK;
}

void gk_fit_writer_free(gk_fit_writer *w) {
  if (w == NULL) return;
  const gk_alloc *a = w->alloc;
  a->free(a->ctx, w->buf, w->cap);
  a->free(a->ctx, w, sizeof *w);
}

void gk_fit_writer_set_big_endian(gk_fit_writer *w, int be) {
  if (w) w->big_endian = be != 0;
}

size_t gk_fit_writer_size(const gk_fit_writer *w) { return w ? w->len : 0; }

/* A writer that can take a new record now. */
static int writable(const gk_fit_writer *w) {
  return w != NULL && !w->finished && !w->in_msg;
}

/* ---- definitions -------------------------------------------------------- */

/* The base type number of a definition's base type, or -1. */
static int base_index(uint8_t b) {
  unsigned i = b & 0x1Fu;
  if (i > GK_FIT_UINT64Z) return -1;
  if (b != i && b != canon_base[i]) return -1;
  return (int)i;
}

gk_status gk_fit_write_definition(gk_fit_writer *w, uint8_t local,
                                  uint16_t global_mesg_num, uint8_t n_fields,
                                  const gk_fit_field_def *fields, uint8_t n_dev,
                                  const gk_fit_dev_field_def *dev) {
  if (!writable(w) || local > 15) return GK_E_ARG;
  if ((n_fields > 0 && fields == NULL) || (n_dev > 0 && dev == NULL))
    return GK_E_ARG;
  const int odd_ok = (w->flags & GK_FIT_W_ODD_SIZES) != 0;
  for (unsigned i = 0; i < n_fields; i++) {
    int b = base_index(fields[i].base_type);
    if (b < 0 || fields[i].size == 0) return GK_E_ARG;
    if (!odd_ok && fields[i].size % base_size[b] != 0) return GK_E_ARG;
  }
  for (unsigned i = 0; i < n_dev; i++)
    if (dev[i].size == 0) return GK_E_ARG;

  size_t total = 6 + 3 * (size_t)n_fields + (n_dev ? 1 + 3 * (size_t)n_dev : 0);
  gk_status st = reserve(w, total);
  if (st != GK_OK) return st;

  const int be = w->big_endian;
  uint8_t *p = w->buf + w->len;
  p[0] = (uint8_t)(0x40 | (n_dev ? 0x20 : 0) | local);
  p[1] = 0; /* reserved */
  p[2] = (uint8_t)be;
  store(p + 3, global_mesg_num, 2, be);
  p[5] = n_fields;
  uint8_t *q = p + 6;
  struct wdef *d = &w->defs[local];
  uint32_t data_size = 0;
  for (unsigned i = 0; i < n_fields; i++, q += 3) {
    int b = base_index(fields[i].base_type);
    q[0] = fields[i].num;
    q[1] = fields[i].size;
    q[2] = canon_base[b];
    d->size[i] = fields[i].size;
    d->base[i] = (uint8_t)b;
    data_size += fields[i].size;
  }
  if (n_dev) {
    *q++ = n_dev;
    for (unsigned i = 0; i < n_dev; i++, q += 3) {
      q[0] = dev[i].num;
      q[1] = dev[i].size;
      q[2] = dev[i].dev_index;
      d->size[n_fields + i] = dev[i].size;
      d->base[n_fields + i] = GK__W_DEV_BASE;
      data_size += dev[i].size;
    }
  }
  d->valid = 1;
  d->big_endian = (uint8_t)be;
  d->n = (uint16_t)(n_fields + n_dev);
  d->data_size = data_size;
  w->len += total;
  return GK_OK;
}

/* ---- data messages from a prepared body --------------------------------- */

static gk_status write_record(gk_fit_writer *w, uint8_t header, uint8_t local,
                              const void *body, size_t len) {
  const struct wdef *d = &w->defs[local];
  if (!d->valid || len != d->data_size || (len > 0 && body == NULL))
    return GK_E_ARG;
  gk_status st = reserve(w, 1 + len);
  if (st != GK_OK) return st;
  w->buf[w->len] = header;
  if (len > 0) memcpy(w->buf + w->len + 1, body, len);
  w->len += 1 + len;
  return GK_OK;
}

gk_status gk_fit_write_message(gk_fit_writer *w, uint8_t local,
                               const void *body, size_t len) {
  if (!writable(w) || local > 15) return GK_E_ARG;
  return write_record(w, local, local, body, len);
}

gk_status gk_fit_write_compressed(gk_fit_writer *w, uint8_t local,
                                  uint8_t time_offset, const void *body,
                                  size_t len) {
  if (!writable(w) || local > 3 || time_offset > 31) return GK_E_ARG;
  return write_record(w, (uint8_t)(0x80 | (local << 5) | time_offset), local,
                      body, len);
}

gk_status gk_fit_write_raw(gk_fit_writer *w, const void *p, size_t len) {
  if (!writable(w) || (p == NULL && len > 0)) return GK_E_ARG;
  gk_status st = reserve(w, len);
  if (st != GK_OK) return st;
  if (len > 0) memcpy(w->buf + w->len, p, len);
  w->len += len;
  return GK_OK;
}

/* ---- data messages value by value --------------------------------------- */

static gk_status begin(gk_fit_writer *w, uint8_t header, uint8_t local) {
  const struct wdef *d = &w->defs[local];
  if (!d->valid) return GK_E_ARG;
  /* Reserve the whole record now: puts never allocate. */
  gk_status st = reserve(w, 1 + (size_t)d->data_size);
  if (st != GK_OK) return st;
  w->msg_start = w->len;
  w->buf[w->len++] = header;
  w->in_msg = 1;
  w->msg_local = local;
  w->fi = 0;
  w->foff = 0;
  return GK_OK;
}

gk_status gk_fit_msg_begin(gk_fit_writer *w, uint8_t local) {
  if (!writable(w) || local > 15) return GK_E_ARG;
  return begin(w, local, local);
}

gk_status gk_fit_msg_begin_compressed(gk_fit_writer *w, uint8_t local,
                                      uint8_t time_offset) {
  if (!writable(w) || local > 3 || time_offset > 31) return GK_E_ARG;
  return begin(w, (uint8_t)(0x80 | (local << 5) | time_offset), local);
}

static void put_fail(gk_fit_writer *w, gk_status st) {
  if (w->put_err == GK_OK) w->put_err = st;
}

/* Room for k bytes in the current field.  typed: the put is one value, so
   it must have the field's base type size (unless the field is of odd size
   or a developer field).  Returns the write position, or NULL. */
static uint8_t *slot(gk_fit_writer *w, unsigned k, int typed) {
  if (w == NULL || w->put_err != GK_OK) return NULL;
  if (!w->in_msg) {
    put_fail(w, GK_E_ARG);
    return NULL;
  }
  const struct wdef *d = &w->defs[w->msg_local];
  if (w->fi >= d->n) {
    put_fail(w, GK_E_ARG); /* more values than the definition has room for */
    return NULL;
  }
  unsigned size = d->size[w->fi], b = d->base[w->fi];
  if (k > size - w->foff) {
    put_fail(w, GK_E_ARG);
    return NULL;
  }
  if (typed && b != GK__W_DEV_BASE && size % base_size[b] == 0 &&
      k != base_size[b]) {
    put_fail(w, GK_E_ARG);
    return NULL;
  }
  return w->buf + w->len;
}

static void advance(gk_fit_writer *w, unsigned k) {
  const struct wdef *d = &w->defs[w->msg_local];
  w->len += k;
  w->foff = (uint8_t)(w->foff + k);
  if (w->foff == d->size[w->fi]) {
    w->fi++;
    w->foff = 0;
  }
}

static void put_num(gk_fit_writer *w, uint64_t v, unsigned k) {
  uint8_t *p = slot(w, k, 1);
  if (p == NULL) return;
  store(p, v, k, w->defs[w->msg_local].big_endian);
  advance(w, k);
}

void gk_fit_put_u8(gk_fit_writer *w, uint8_t v) { put_num(w, v, 1); }
void gk_fit_put_s8(gk_fit_writer *w, int8_t v) { put_num(w, (uint8_t)v, 1); }
void gk_fit_put_u16(gk_fit_writer *w, uint16_t v) { put_num(w, v, 2); }
void gk_fit_put_s16(gk_fit_writer *w, int16_t v) {
  put_num(w, (uint16_t)v, 2);
}
void gk_fit_put_u32(gk_fit_writer *w, uint32_t v) { put_num(w, v, 4); }
void gk_fit_put_s32(gk_fit_writer *w, int32_t v) {
  put_num(w, (uint32_t)v, 4);
}
void gk_fit_put_u64(gk_fit_writer *w, uint64_t v) { put_num(w, v, 8); }
void gk_fit_put_s64(gk_fit_writer *w, int64_t v) {
  put_num(w, (uint64_t)v, 8);
}
void gk_fit_put_f32(gk_fit_writer *w, float v) {
  uint32_t u;
  memcpy(&u, &v, 4);
  put_num(w, u, 4);
}
void gk_fit_put_f64(gk_fit_writer *w, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  put_num(w, u, 8);
}

void gk_fit_put_str(gk_fit_writer *w, const char *s) {
  if (w == NULL || w->put_err != GK_OK) return;
  if (s == NULL) {
    put_fail(w, GK_E_ARG);
    return;
  }
  if (!w->in_msg || w->fi >= w->defs[w->msg_local].n) {
    put_fail(w, GK_E_ARG);
    return;
  }
  unsigned rest = w->defs[w->msg_local].size[w->fi] - w->foff;
  size_t n = strlen(s);
  if (n > rest) {
    put_fail(w, GK_E_ARG);
    return;
  }
  uint8_t *p = slot(w, rest, 0);
  if (p == NULL) return;
  memcpy(p, s, n);
  memset(p + n, 0, rest - n);
  advance(w, rest);
}

void gk_fit_put_bytes(gk_fit_writer *w, const void *p, size_t n) {
  const uint8_t *s = (const uint8_t *)p;
  if (w == NULL || w->put_err != GK_OK) return;
  if (s == NULL && n > 0) {
    put_fail(w, GK_E_ARG);
    return;
  }
  while (n > 0) {
    if (!w->in_msg || w->fi >= w->defs[w->msg_local].n) {
      put_fail(w, GK_E_ARG);
      return;
    }
    unsigned rest = w->defs[w->msg_local].size[w->fi] - w->foff;
    unsigned k = n < rest ? (unsigned)n : rest;
    uint8_t *o = slot(w, k, 0);
    if (o == NULL) return;
    memcpy(o, s, k);
    advance(w, k);
    s += k;
    n -= k;
  }
}

void gk_fit_put_invalid(gk_fit_writer *w) {
  if (w == NULL || w->put_err != GK_OK) return;
  if (!w->in_msg || w->fi >= w->defs[w->msg_local].n) {
    put_fail(w, GK_E_ARG);
    return;
  }
  const struct wdef *d = &w->defs[w->msg_local];
  unsigned rest = d->size[w->fi] - w->foff, b = d->base[w->fi];
  uint8_t *p = slot(w, rest, 0);
  if (p == NULL) return;
  if (b == GK__W_DEV_BASE || rest % base_size[b] != 0) {
    memset(p, 0xFF, rest);
  } else {
    for (unsigned i = 0; i < rest; i += base_size[b])
      store(p + i, base_invalid[b], base_size[b], d->big_endian);
  }
  advance(w, rest);
}

gk_status gk_fit_msg_end(gk_fit_writer *w) {
  if (w == NULL || w->finished) return GK_E_ARG;
  gk_status st = w->put_err;
  w->put_err = GK_OK;
  if (!w->in_msg) return st != GK_OK ? st : GK_E_ARG;
  w->in_msg = 0;
  if (st == GK_OK && w->fi < w->defs[w->msg_local].n)
    st = GK_E_ARG; /* fewer values than the definition */
  if (st != GK_OK) w->len = w->msg_start; /* drop the message */
  return st;
}

/* ---- finish ------------------------------------------------------------- */

gk_status gk_fit_writer_finish(gk_fit_writer *w, const uint8_t **data,
                               size_t *len) {
  if (w == NULL || data == NULL || len == NULL) return GK_E_ARG;
  if (!w->finished) {
    if (w->in_msg) return GK_E_ARG;
    if (w->put_err != GK_OK) {
      gk_status st = w->put_err;
      w->put_err = GK_OK;
      return st;
    }
    size_t data_size = w->len - w->hs;
    if (data_size > UINT32_MAX) return GK_E_LIMIT;
    gk_status st = reserve(w, 2);
    if (st != GK_OK) return st;
    gk__wr_u32le(w->buf + 4, (uint32_t)data_size);
    if (w->hs == 14) {
      uint16_t hcrc = (w->flags & GK_FIT_W_NO_HEADER_CRC)
                          ? 0
                          : gk_fit_crc16(0, w->buf, 12);
      gk__wr_u16le(w->buf + 12, hcrc);
    }
    gk__wr_u16le(w->buf + w->len, gk_fit_crc16(0, w->buf, w->len));
    w->len += 2;
    w->finished = 1;
  }
  *data = w->buf;
  *len = w->len;
  return GK_OK;
}
