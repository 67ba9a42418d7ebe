/*
** fit_mesg.c -- one FIT data message into fields.
**
** The rules follow the official FIT SDK's decoder, so that gaitkeeper
** decodes every file as the SDK does:
**   - a field whose values are all invalid is left out; invalid elements of
**     an array are null (except for the byte type);
**   - a field the profile does not declare as an array yields its first
**     value;
**   - numeric fields get the profile's scale and offset, named types their
**     value names, date_time fields their seconds since the FIT epoch;
**   - subfields are added after the fields, when a reference field holds the
**     subfield's value; then components are expanded, bit by bit, least
**     significant bits first, into their destination fields (with
**     accumulation where the profile says so);
**   - developer_data_id and field_description messages are not scaled,
**     named or expanded, and they define the developer fields that follow.
** gaitkeeper differs from the SDK in one place on purpose: a field whose
** size is not a multiple of its base type size is decoded as bytes (the
** SDK drops it), as Coros files need.
*/
#include "fit_internal.h"

#include <math.h>

#define invalid_raw gk__fit_invalid_raw

/* ---- storage ------------------------------------------------------------ */

static int grow(gk_fit_decoder *d, void **p, size_t *cap, size_t elem,
                size_t need) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap : 64;
  while (n < need) n *= 2;
  size_t bytes;
  if (!gk__mul_ok(n, elem, &bytes)) return 0;
  void *np = d->alloc->realloc(d->alloc->ctx, *p, *cap * elem, bytes);
  if (np == NULL) return 0;
  *p = np;
  *cap = n;
  return 1;
}

static int reserve_fields_slow(gk_fit_decoder *d, size_t need) {
  size_t cap = d->cap_fields;
  if (!grow(d, (void **)&d->fields, &cap, sizeof *d->fields, need)) return 0;
  cap = d->cap_fields;
  if (!grow(d, (void **)&d->fidx, &cap, sizeof *d->fidx, need)) return 0;
  d->cap_fields = cap;
  return 1;
}

static inline int reserve_fields(gk_fit_decoder *d, size_t need) {
  return need <= d->cap_fields || reserve_fields_slow(d, need);
}

static inline int reserve_vals(gk_fit_decoder *d, size_t extra) {
  return d->n_vals + extra <= d->cap_vals ||
         grow(d, (void **)&d->vals, &d->cap_vals, sizeof *d->vals,
              d->n_vals + extra);
}

/* ---- raw values ----------------------------------------------------------- */

static inline uint64_t read_raw(const uint8_t *p, uint8_t bsize, int be) {
  switch (bsize) {
    case 1:
      return p[0];
    case 2:
      return be ? gk__rd_u16be(p) : gk__rd_u16le(p);
    case 4:
      return be ? gk__rd_u32be(p) : gk__rd_u32le(p);
    default:
      return be ? gk__rd_u64be(p) : gk__rd_u64le(p);
  }
}

/* The raw bits of one value as a number, as the SDK's DataView reads it. */
static inline double raw_number(uint8_t base, uint64_t raw) {
  switch (base) {
    case GK_FIT_SINT8:
      return (double)(int8_t)raw;
    case GK_FIT_SINT16:
      return (double)(int16_t)raw;
    case GK_FIT_SINT32:
      return (double)(int32_t)raw;
    case GK_FIT_SINT64:
      return (double)(int64_t)raw;
    case GK_FIT_FLOAT32: {
      uint32_t u = (uint32_t)raw;
      float f;
      memcpy(&f, &u, 4);
      return (double)f;
    }
    case GK_FIT_FLOAT64: {
      double f;
      memcpy(&f, &raw, 8);
      return f;
    }
    default:
      return (double)raw;
  }
}

static inline int is_64(uint8_t base) {
  return base == GK_FIT_SINT64 || base == GK_FIT_UINT64 ||
         base == GK_FIT_UINT64Z;
}

/* JavaScript's ToInt32 then the low bits: how the SDK's bit reader sees a
   number. */
static uint64_t js_int_bits(double v) {
  if (v >= 0 && v < 4294967296.0) return (uint64_t)v;
  if (!isfinite(v)) return 0;
  double t = trunc(v);
  double m = fmod(t, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return (uint64_t)m;
}

/* The raw value of an expanded field, as bits for a further expansion.
   (value + offset) * scale is meant to be an integer but may land a hair
   below it (2.03 * 1000 = 2029.9999999999998): round when within 1e-6 of
   an integer, where the official SDK truncates and gets 2029. */
static uint64_t raw_bits(double rawv) {
  double r = nearbyint(rawv);
  if (fabs(rawv - r) < 1e-6) rawv = r;
  return js_int_bits(rawv);
}

/* ---- strings ------------------------------------------------------------ */

/* Copy valid UTF-8 from src, dropping invalid sequences and U+FFFD, as the
   SDK's TextDecoder-then-strip does.  Returns the bytes written. */
static size_t utf8_clean(char *dst, const uint8_t *s, size_t n) {
  size_t o = 0, i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      dst[o++] = (char)c;
      i++;
      continue;
    }
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      i++;
      continue;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) {
      i++;
      continue;
    }
    size_t k = 2;
    while (k < len && s[i + k] >= 0x80 && s[i + k] <= 0xBF) k++;
    if (k < len) {
      i++;
      continue;
    }
    if (!(len == 3 && c == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD)) {
      memcpy(dst + o, s + i, len);
      o += len;
    }
    i += len;
  }
  return o;
}

/* Decode a string field into the text buffer: NUL-separated parts, trailing
   empty parts removed.  Adds the parts as values (all of them when
   all_parts, else only the first).  Returns the number of values added (0:
   the field is empty and left out), or -1 on allocation failure. */
static int add_string(gk_fit_decoder *d, const uint8_t *p, size_t n,
                      int all_parts) {
  size_t need = d->n_text + n + 2;
  if (need > d->cap_text) {
    /* Strings of earlier fields point into text: keep offsets, fix later. */
    size_t cap = d->cap_text;
    char *old = d->text;
    if (!grow(d, (void **)&d->text, &cap, 1, need)) return -1;
    d->cap_text = cap;
    if (old != d->text)
      for (size_t i = 0; i < d->n_vals; i++)
        if (d->vals[i].kind == GK_FIT_V_STR)
          d->vals[i].v.s = d->text + (d->vals[i].v.s - old);
  }
  char *t = d->text + d->n_text;
  size_t len = utf8_clean(t, p, n);
  /* drop trailing NULs: trailing empty parts */
  while (len > 0 && t[len - 1] == '\0') len--;
  if (len == 0) return 0;
  t[len] = '\0';
  int added = 0;
  size_t i = 0;
  for (;;) {
    const char *part = t + i;
    size_t plen = strlen(part);
    if (!reserve_vals(d, 1)) return -1;
    gk_fit_value *v = &d->vals[d->n_vals++];
    v->kind = GK_FIT_V_STR;
    v->v.s = part;
    added++;
    i += plen + 1;
    if (!all_parts || i > len) break;
  }
  d->n_text += len + 1;
  return added;
}

/* ---- fields ------------------------------------------------------------- */

static gk_fit_field *new_field(gk_fit_decoder *d, size_t *nf, const char *name,
                               const char *units, uint8_t num, uint8_t base,
                               uint8_t flags) {
  if (!reserve_fields(d, *nf + 1)) return NULL;
  gk_fit_field *f = &d->fields[*nf];
  d->fidx[*nf] = (uint32_t)d->n_vals;
  (*nf)++;
  f->name = name;
  f->units = units ? units : "";
  f->num = num;
  f->base_type = base;
  f->flags = flags;
  f->dev_index = 0;
  f->type = GK__FIT_NO_TYPE;
  f->n_values = 0;
  f->values = NULL;
  return f;
}

#define xform gk__fit_xform

static void xform_of_sub(struct xform *x, const struct gk__fit_subfield *sf) {
  x->kind = sf->kind;
  x->apply_scale = sf->apply_scale;
  x->type = sf->type;
  x->scale = sf->scale;
  x->offset = sf->offset;
}

/* Turn one raw (valid) value into a value. */
static inline void make_value(gk_fit_value *v, uint8_t base, uint64_t raw,
                              const struct xform *x) {
  if (is_64(base)) {
    if (base == GK_FIT_SINT64) {
      v->kind = GK_FIT_V_I64;
      v->v.i = (int64_t)raw;
    } else {
      v->kind = GK_FIT_V_U64;
      v->v.u = raw;
    }
    return;
  }
  if (x == NULL) {
    v->kind = GK_FIT_V_NUM;
    v->v.f = raw_number(base, raw);
    return;
  }
  switch (x->kind) {
    case GK__FIT_KIND_NUMERIC: {
      double n = raw_number(base, raw);
      if (x->apply_scale) n = n / x->scale - x->offset;
      v->kind = GK_FIT_V_NUM;
      v->v.f = n;
      return;
    }
    case GK__FIT_KIND_DATE_TIME:
      v->kind = GK_FIT_V_TIME;
      v->v.u = raw;
      return;
    case GK__FIT_KIND_ENUM:
      v->kind = GK_FIT_V_ENUM;
      v->v.u = raw;
      return;
    default:
      v->kind = GK_FIT_V_NUM;
      v->v.f = raw_number(base, raw);
      return;
  }
}

/*
** Read a field's values from the record into the value pool.
** x: the transformation (NULL: raw).  is_array: the profile declares an
** array (-1: not in the profile, an array when several values).
** Returns the number of values added; 0 means the field is left out.
*/
static int read_values(gk_fit_decoder *d, const struct gk__fit_fdef *f,
                       const uint8_t *p, int be, const struct xform *x,
                       int as_array, uint8_t *flags) {
  if (f->count == 0) return 0;
  if (f->as_bytes) {
    /* Decoded as bytes: invalid only when every byte is 0xFF. */
    size_t i;
    for (i = 0; i < f->size && p[i] == 0xFF; i++) {
    }
    if (i == f->size) return 0;
    if (!reserve_vals(d, f->size)) return -1;
    for (i = 0; i < f->size; i++) {
      gk_fit_value *v = &d->vals[d->n_vals++];
      v->kind = GK_FIT_V_NUM;
      v->v.f = p[i];
    }
    *flags |= GK_FIT_F_AS_BYTES | GK_FIT_F_ARRAY;
    d->stats.bytes_fallbacks++;
    return f->size;
  }
  if (f->base == GK_FIT_STRING) return add_string(d, p, f->size, 0);
  uint64_t inv = invalid_raw[f->base];
  if (f->count == 1) {
    uint64_t raw = read_raw(p, f->bsize, be);
    if (raw == inv) return 0;
    make_value(&d->vals[d->n_vals++], f->base, raw, x);
    if (as_array > 0) *flags |= GK_FIT_F_ARRAY;
    return 1;
  }
  /* several values */
  int all_invalid = 1;
  for (unsigned i = 0; i < f->count; i++)
    if (read_raw(p + i * f->bsize, f->bsize, be) != inv) {
      all_invalid = 0;
      break;
    }
  if (all_invalid) return 0;
  if (as_array == 0) {
    /* not an array in the profile: the first value */
    uint64_t raw = read_raw(p, f->bsize, be);
    if (raw == inv && f->base != GK_FIT_BYTE) return 0;
    make_value(&d->vals[d->n_vals++], f->base, raw, x);
    return 1;
  }
  for (unsigned i = 0; i < f->count; i++) {
    uint64_t raw = read_raw(p + i * f->bsize, f->bsize, be);
    gk_fit_value *v = &d->vals[d->n_vals++];
    if (raw == inv && f->base != GK_FIT_BYTE)
      v->kind = GK_FIT_V_NULL;
    else
      make_value(v, f->base, raw, x);
  }
  *flags |= GK_FIT_F_ARRAY;
  return f->count;
}

/* The single raw value of the field numbered num, as the SDK compares it
   when choosing subfields.  Returns 0 when absent, invalid or an array. */
static int ref_raw(const struct gk__fit_def *def, const uint8_t *p, uint8_t num,
                   uint64_t *out) {
  for (unsigned i = 0; i < def->n_fields; i++) {
    const struct gk__fit_fdef *f = &def->fields[i];
    if (f->num != num || f->count == 0 || f->as_bytes ||
        f->base == GK_FIT_STRING)
      continue;
    if (f->count > 1 && (!f->pf || f->pf->is_array)) return 0;
    uint64_t raw = read_raw(p + f->off, f->bsize, def->big_endian);
    if (raw == invalid_raw[f->base]) return 0;
    *out = raw;
    return 1;
  }
  return 0;
}

/* ---- accumulation ------------------------------------------------------- */

static struct gk__fit_accum *accum_slot(gk_fit_decoder *d, uint16_t mesg,
                                        uint8_t field) {
  for (unsigned i = 0; i < d->n_accum; i++) {
    struct gk__fit_accum *a = &d->accum[i];
    if (a->mesg == mesg && a->field == field) return a;
  }
  if (d->n_accum >= GK_FIT_MAX_ACCUM) return NULL;
  struct gk__fit_accum *a = &d->accum[d->n_accum++];
  a->used = 1;
  a->mesg = mesg;
  a->field = field;
  a->value = a->last = 0;
  return a;
}

static void accum_set(gk_fit_decoder *d, uint16_t mesg, uint8_t field,
                      double value) {
  struct gk__fit_accum *a = accum_slot(d, mesg, field);
  if (a) a->value = a->last = value;
}

static double accum_add(gk_fit_decoder *d, uint16_t mesg, uint8_t field,
                        double value, uint8_t bits) {
  struct gk__fit_accum *a = accum_slot(d, mesg, field);
  if (a == NULL) return value;
  if (a->value != a->value) a->value = a->last = value; /* never NaN */
  int64_t mask = bits >= 32 ? 0 : (((int64_t)1 << bits) - 1);
  int64_t diff = (int64_t)js_int_bits(value - a->last);
  a->value += (double)(diff & mask);
  a->last = value;
  return a->value;
}

/* ---- components --------------------------------------------------------- */

/* A queued field to expand: its raw values live in raws[first..first+n). */
struct expand_item {
  const struct gk__fit_component *comps;
  uint8_t n_comps;
  uint8_t bits_per; /* bits per raw element */
  uint16_t first;
  uint16_t n;
};

#define GK__MAX_EXPAND 64
#define GK__MAX_RAWS 1024

struct expansion {
  struct expand_item q[GK__MAX_EXPAND];
  unsigned head, tail;
  uint64_t raws[GK__MAX_RAWS];
  unsigned n_raws;
  /* destination fields created by expansion, in creation order */
  struct {
    uint8_t num;
    size_t field; /* index in d->fields */
    uint16_t raw_first, raw_n; /* raws of its values, for further expansion */
  } dst[64];
  unsigned n_dst;
};

static void queue_expand(struct expansion *e, const struct gk__fit_component *c,
                         uint8_t nc, uint8_t comp_base, const uint64_t *raws,
                         unsigned n) {
  if (comp_base == GK__FIT_NO_BASE || nc == 0 || n == 0) return;
  if (e->tail >= GK__MAX_EXPAND || e->n_raws + n > GK__MAX_RAWS) return;
  struct expand_item *it = &e->q[e->tail++];
  it->comps = c;
  it->n_comps = nc;
  it->bits_per = (uint8_t)(gk__fit_base_size[comp_base] * 8);
  it->first = (uint16_t)e->n_raws;
  it->n = (uint16_t)n;
  memcpy(e->raws + e->n_raws, raws, n * sizeof *raws);
  e->n_raws += n;
}

/* Read up to 64 bits, least significant first, across the elements. */
static uint64_t take_bits(const uint64_t *raws, unsigned bits_per,
                          unsigned *bitpos, unsigned nbits) {
  uint64_t v = 0;
  unsigned got = 0;
  while (got < nbits) {
    unsigned e = *bitpos / bits_per, b = *bitpos % bits_per;
    unsigned take = bits_per - b;
    if (take > nbits - got) take = nbits - got;
    uint64_t chunk = raws[e] >> b;
    if (take < 64) chunk &= ((uint64_t)1 << take) - 1;
    if (got < 64) v |= chunk << got;
    got += take;
    *bitpos += take;
  }
  return v;
}

static int run_expansions(gk_fit_decoder *d, const struct gk__fit_def *def,
                          struct expansion *e, size_t *nf) {
  const struct gk__fit_message *pm = def->pm;
  while (e->head < e->tail) {
    struct expand_item it = e->q[e->head++];
    unsigned total_bits = (unsigned)it.n * it.bits_per, pos = 0;
    for (unsigned j = 0; j < it.n_comps; j++) {
      const struct gk__fit_component *c = &it.comps[j];
      if (total_bits - pos < c->bits) break;
      uint64_t bits = take_bits(e->raws + it.first, it.bits_per, &pos, c->bits);
      const struct gk__fit_field *tf = gk__fit_find_field(pm, c->target);
      if (tf == NULL) {
        if (pos >= total_bits) break;
        continue;
      }
      double value = (double)bits;
      if (tf->accumulated)
        value = accum_add(d, def->global, tf->num, value, c->bits);
      value = value / c->scale - c->offset;
      double rawv = (value + tf->offset) * tf->scale;
      uint8_t tbase = tf->comp_base_type;
      double inv = tbase == GK__FIT_NO_BASE ? 255.0 : (double)invalid_raw[tbase];
      /* find or create the destination field */
      unsigned k;
      for (k = 0; k < e->n_dst && e->dst[k].num != tf->num; k++) {
      }
      if (k == e->n_dst) {
        if (e->n_dst >= 64) break;
        gk_fit_field *f = new_field(d, nf, tf->name, tf->units, tf->num,
                                    tf->base_type, GK_FIT_F_EXPANDED);
        if (f == NULL) return 0;
        f->type = tf->type;
        if (tf->is_array) f->flags |= GK_FIT_F_ARRAY;
        e->dst[k].num = tf->num;
        e->dst[k].field = *nf - 1;
        e->dst[k].raw_first = (uint16_t)e->n_raws;
        e->dst[k].raw_n = 0;
        e->n_dst++;
      }
      /* Values of one destination are contiguous only if nothing else was
         added in between; the SDK keeps only the first value of a
         non-array destination, and array destinations are filled by one
         source in practice. Append in place when contiguous. */
      size_t fi = e->dst[k].field;
      gk_fit_field *f = &d->fields[fi];
      if (f->n_values > 0 && d->fidx[fi] + f->n_values != d->n_vals) {
        if (!(f->flags & GK_FIT_F_ARRAY)) {
          if (pos >= total_bits) break;
          continue;
        }
      }
      if (!reserve_vals(d, 1)) return 0;
      if (f->n_values == 0) d->fidx[fi] = (uint32_t)d->n_vals;
      gk_fit_value *v = &d->vals[d->n_vals++];
      if (rawv == inv) {
        v->kind = GK_FIT_V_NULL;
      } else if (tf->kind == GK__FIT_KIND_ENUM && value >= 0 &&
                 value == trunc(value) && value <= 4294967295.0) {
        v->kind = GK_FIT_V_ENUM;
        v->v.u = (uint64_t)value;
      } else {
        v->kind = GK_FIT_V_NUM;
        v->v.f = value;
      }
      f->n_values++;
      if (e->n_raws < GK__MAX_RAWS && e->dst[k].raw_first + e->dst[k].raw_n == e->n_raws) {
        e->raws[e->n_raws++] = raw_bits(rawv);
        e->dst[k].raw_n++;
      }
      if (tf->n_components && f->n_values == 1) {
        /* expand the destination in turn (its first raw value; the SDK
           reads a non-array field as its first value) */
        uint64_t r0 = raw_bits(rawv);
        if (rawv != inv)
          queue_expand(e, tf->components, tf->n_components, tf->comp_base_type,
                       &r0, 1);
      }
      if (pos >= total_bits) break;
    }
  }
  return 1;
}

/* ---- developer fields --------------------------------------------------- */

static const struct gk__fit_devdesc *find_devdesc(const gk_fit_decoder *d,
                                                  uint8_t idx, uint8_t num) {
  for (size_t i = 0; i < d->n_devdescs; i++)
    if (d->devdescs[i].dev_index == idx && d->devdescs[i].num == num)
      return &d->devdescs[i];
  return NULL;
}

/* Compile a developer field of a definition once its description is
   known. */
static void compile_dev_field(struct gk__fit_ddef *g) {
  const struct gk__fit_devdesc *dd = g->desc;
  struct gk__fit_fdef *f = &g->fd;
  memset(f, 0, sizeof *f);
  f->off = g->off;
  f->num = g->num;
  f->size = g->size;
  f->base = dd->base;
  f->bsize = gk__fit_base_size[dd->base];
  f->as_bytes = (uint8_t)(f->size % f->bsize != 0);
  f->count = f->as_bytes ? f->size : (uint8_t)(f->size / f->bsize);
  f->inv = gk__fit_invalid_raw[dd->base];
  f->single = f->count == 1 && !f->as_bytes && f->base != GK_FIT_STRING;
  f->as_array = -1;
  f->x.kind = GK__FIT_KIND_RAW;
  f->x.type = GK__FIT_NO_TYPE;
  gk_fit_field *t = &f->tmpl;
  t->name = dd->name;
  t->units = dd->units;
  t->num = g->num;
  t->base_type = dd->base;
  t->flags = GK_FIT_F_DEVELOPER;
  t->dev_index = g->dev_index;
  t->type = GK__FIT_NO_TYPE;
  t->n_values = 1;
  t->values = NULL;
}

static int read_dev_field(gk_fit_decoder *d, const struct gk__fit_ddef *g,
                          const struct gk__fit_devdesc *dd, const uint8_t *p,
                          int be, size_t *nf) {
  struct gk__fit_fdef f;
  f.off = g->off;
  f.num = g->num;
  f.size = g->size;
  f.base = dd->base;
  f.bsize = gk__fit_base_size[dd->base];
  f.as_bytes = (uint8_t)(f.size % f.bsize != 0);
  f.count = f.as_bytes ? f.size : (uint8_t)(f.size / f.bsize);
  f.pf = NULL;
  size_t first = d->n_vals;
  uint8_t flags = GK_FIT_F_DEVELOPER;
  int n;
  if (!f.as_bytes && f.base == GK_FIT_STRING)
    n = add_string(d, p, f.size, 1);
  else {
    if (!reserve_vals(d, f.count)) return -1;
    n = read_values(d, &f, p, be, NULL, -1, &flags);
  }
  if (n <= 0) return n;
  if (dd->has_scale || dd->has_offset) {
    double sc = dd->has_scale ? dd->scale : 1, of = dd->has_offset ? dd->offset : 0;
    for (size_t i = first; i < d->n_vals; i++)
      if (d->vals[i].kind == GK_FIT_V_NUM)
        d->vals[i].v.f = d->vals[i].v.f / sc - of;
  }
  if (n > 1 && f.base == GK_FIT_STRING) flags |= GK_FIT_F_ARRAY;
  gk_fit_field *out = new_field(d, nf, dd->name, dd->units, g->num, f.base, flags);
  if (out == NULL) return -1;
  d->fidx[*nf - 1] = (uint32_t)first;
  out->dev_index = g->dev_index;
  out->n_values = (uint16_t)n;
  return n;
}

/* A value as a small unsigned integer in [0, max], or -1 when it is not
   one (a file may declare these fields wider or signed). */
static int small_uint(const gk_fit_value *v, unsigned max) {
  double x;
  if (v->kind == GK_FIT_V_NUM) x = v->v.f;
  else if (v->kind == GK_FIT_V_ENUM || v->kind == GK_FIT_V_U64) x = (double)v->v.u;
  else return -1;
  if (!(x >= 0 && x <= (double)max) || x != trunc(x)) return -1;
  return (int)x;
}

/* Remember developer ids and field descriptions. */
static void note_developer_data(gk_fit_decoder *d, uint16_t global,
                                const gk_fit_field *fields, size_t nf) {
  if (global == GK__FIT_MESG_DEVELOPER_DATA_ID) {
    for (size_t i = 0; i < nf; i++) {
      int idx = fields[i].num == 3 ? small_uint(&fields[i].values[0], 254) : -1;
      if (idx < 0) continue;
      d->dev_id_seen[idx] = 1;
      /* a new id for this index replaces its old descriptions */
      size_t o = 0;
      for (size_t k = 0; k < d->n_devdescs; k++)
        if (d->devdescs[k].dev_index != idx) d->devdescs[o++] = d->devdescs[k];
      d->n_devdescs = o;
      d->devdesc_gen++;
    }
    return;
  }
  /* field_description */
  int have_idx = 0, have_num = 0, base_ok = 1;
  struct gk__fit_devdesc dd;
  memset(&dd, 0, sizeof dd);
  dd.base = GK_FIT_UINT8;
  for (size_t i = 0; i < nf; i++) {
    const gk_fit_value *v = &fields[i].values[0];
    double x = v->kind == GK_FIT_V_NUM ? v->v.f : NAN;
    int u;
    switch (fields[i].num) {
      case 0:
        if ((u = small_uint(v, 254)) >= 0) dd.dev_index = (uint8_t)u, have_idx = 1;
        break;
      case 1:
        if ((u = small_uint(v, 255)) >= 0) dd.num = (uint8_t)u, have_num = 1;
        break;
      case 2:
        if ((u = small_uint(v, 255)) >= 0) dd.base = (uint8_t)(u & 0x1F);
        else base_ok = 0;
        break;
      case 3:
        if (v->kind == GK_FIT_V_STR) {
          strncpy(dd.name, v->v.s, sizeof dd.name - 1);
        }
        break;
      case 6:
        if (x == x) dd.scale = x, dd.has_scale = 1;
        break;
      case 7:
        if (x == x) dd.offset = x, dd.has_offset = 1;
        break;
      case 8:
        if (v->kind == GK_FIT_V_STR) strncpy(dd.units, v->v.s, sizeof dd.units - 1);
        break;
      default:
        break;
    }
  }
  if (!base_ok) return;
  if (!have_idx || !have_num || !d->dev_id_seen[dd.dev_index]) return;
  if (dd.base > GK_FIT_UINT64Z) return;
  if (dd.has_scale && dd.scale == 0) dd.has_scale = 0;
  if (d->n_devdescs >= GK_FIT_MAX_DEV_DESCS) return;
  if (d->n_devdescs == d->cap_devdescs &&
      !grow(d, (void **)&d->devdescs, &d->cap_devdescs, sizeof dd,
            d->n_devdescs + 1))
    return;
  d->devdescs[d->n_devdescs++] = dd;
  d->devdesc_gen++;
}

/* ---- one message -------------------------------------------------------- */

/* Whether a field is in the message: not all its values invalid (for a
   field the profile calls scalar, its first value must be valid). */
static int field_present(const struct gk__fit_fdef *fd, const uint8_t *p,
                         int be) {
  int any = 0;
  for (unsigned k = 0; k < fd->count && !any; k++)
    any = read_raw(p + k * fd->bsize, fd->bsize, be) != fd->inv;
  if (!any) return 0;
  if (fd->as_array == 0 && fd->base != GK_FIT_BYTE)
    return read_raw(p, fd->bsize, be) != fd->inv;
  return 1;
}

/* Queue the components of definition field fd (a field or one of its
   subfields) for expansion. */
static void queue_field_components(struct expansion *e,
                                   const struct gk__fit_fdef *fd,
                                   const uint8_t *p, int be,
                                   const struct gk__fit_component *comps,
                                   uint8_t n_comps, uint8_t comp_base) {
  uint64_t raws[255];
  unsigned cnt = (fd->as_array > 0 || fd->count == 1) ? fd->count : 1;
  for (unsigned k = 0; k < cnt; k++) {
    uint64_t r = read_raw(p + fd->off + k * fd->bsize, fd->bsize, be);
    raws[k] = (r == fd->inv && fd->base != GK_FIT_BYTE) ? 0 : r;
  }
  queue_expand(e, comps, n_comps, comp_base, raws, cnt);
}

/* The fast path for definitions whose only expansions are one whole-value
   component into a field the record does not hold (speed ->
   enhanced_speed, altitude -> enhanced_altitude): the same result as
   expand(), without its queue. */
static gk_status expand_simple(gk_fit_decoder *d, const struct gk__fit_def *def,
                               const uint8_t *p, uint64_t offset, size_t *nf) {
  if (!reserve_vals(d, def->n_comp_src) ||
      !reserve_fields(d, *nf + def->n_comp_src))
    return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  for (unsigned i = 0; i < def->n_comp_src; i++) {
    const struct gk__fit_fdef *fd = &def->fields[def->comp_src[i]];
    uint64_t raw = read_raw(p + fd->off, fd->bsize, def->big_endian);
    if (raw == fd->inv) continue;
    const struct gk__fit_component *c = &fd->pf->components[0];
    const struct gk__fit_field *tf = fd->simple_target;
    double value = (double)raw / c->scale - c->offset;
    double rawv = (value + tf->offset) * tf->scale;
    double inv = tf->comp_base_type == GK__FIT_NO_BASE
                     ? 255.0
                     : (double)invalid_raw[tf->comp_base_type];
    if (rawv == inv) continue;
    gk_fit_value *v = &d->vals[d->n_vals];
    if (tf->kind == GK__FIT_KIND_ENUM && value >= 0 && value == trunc(value) &&
        value <= 4294967295.0) {
      v->kind = GK_FIT_V_ENUM;
      v->v.u = (uint64_t)value;
    } else {
      v->kind = GK_FIT_V_NUM;
      v->v.f = value;
    }
    gk_fit_field *f = &d->fields[*nf];
    d->fidx[*nf] = (uint32_t)d->n_vals++;
    (*nf)++;
    f->name = tf->name;
    f->units = tf->units;
    f->num = tf->num;
    f->base_type = tf->base_type;
    f->flags = (uint8_t)(GK_FIT_F_EXPANDED | (tf->is_array ? GK_FIT_F_ARRAY : 0));
    f->dev_index = 0;
    f->type = tf->type;
    f->n_values = 1;
    f->values = NULL;
  }
  return GK_OK;
}

/* Subfields and components of one message, after its fields are read. */
static gk_status expand(gk_fit_decoder *d, const struct gk__fit_def *def,
                        const uint8_t *p, uint64_t offset, size_t *nfp) {
  const int be = def->big_endian;
  size_t nf = *nfp, n_main = nf;
  struct expansion e;
  e.head = e.tail = 0;
  e.n_raws = 0;
  e.n_dst = 0;
  /* components of the fields themselves, in definition order */
  for (unsigned i = 0; i < def->n_comp_src; i++) {
    const struct gk__fit_fdef *fd = &def->fields[def->comp_src[i]];
    const struct gk__fit_field *pf = fd->pf;
    if (!field_present(fd, p + fd->off, be)) continue;
    queue_field_components(&e, fd, p, be, pf->components, pf->n_components,
                           pf->comp_base_type);
  }
  /* subfields whose reference field matches, then their components */
  for (unsigned i = 0; i < def->n_sub_src; i++) {
    const struct gk__fit_fdef *fd = &def->fields[def->sub_src[i]];
    const struct gk__fit_field *pf = fd->pf;
    for (unsigned s = 0; s < pf->n_subfields; s++) {
      const struct gk__fit_subfield *sf = &pf->subfields[s];
      int match = 0;
      for (unsigned k = 0; k < sf->n_maps && !match; k++) {
        uint64_t r;
        if (ref_raw(def, p, sf->maps[k].ref_field, &r) &&
            r == sf->maps[k].ref_value)
          match = 1;
      }
      if (!match) continue;
      uint8_t flags = GK_FIT_F_SUBFIELD;
      struct xform sx;
      xform_of_sub(&sx, sf);
      size_t first = d->n_vals;
      if (!reserve_vals(d, fd->count))
        return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
      int n = read_values(d, fd, p + fd->off, be, &sx, fd->as_array, &flags);
      if (n < 0) return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
      if (n == 0) continue;
      gk_fit_field *f =
          new_field(d, &nf, sf->name, sf->units, pf->num, fd->base, flags);
      if (f == NULL) return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
      d->fidx[nf - 1] = (uint32_t)first;
      f->type = sf->type;
      f->n_values = (uint16_t)n;
      if (sf->n_components && fd->base != GK_FIT_STRING)
        queue_field_components(&e, fd, p, be, sf->components, sf->n_components,
                               sf->comp_base_type);
    }
  }
  if (!run_expansions(d, def, &e, &nf))
    return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  /* An expanded field replaces a field of the same number read from the
     record (the SDK keeps one value per name). */
  for (unsigned k = 0; k < e.n_dst; k++) {
    size_t di = e.dst[k].field;
    gk_fit_field *df = &d->fields[di];
    int all_null = 1;
    for (unsigned v = 0; v < df->n_values; v++)
      if (d->vals[d->fidx[di] + v].kind != GK_FIT_V_NULL) all_null = 0;
    if (!(df->flags & GK_FIT_F_ARRAY) && df->n_values > 1) df->n_values = 1;
    if (all_null) df->n_values = 0;
    for (size_t i = 0; i < n_main; i++) {
      gk_fit_field *f = &d->fields[i];
      if (f->num == df->num &&
          !(f->flags & (GK_FIT_F_SUBFIELD | GK_FIT_F_UNKNOWN))) {
        *f = *df; /* the expanded values take the original's place */
        d->fidx[i] = d->fidx[di];
        df->n_values = 0;
        break;
      }
    }
  }
  /* drop emptied fields */
  size_t o = 0;
  for (size_t i = 0; i < nf; i++) {
    if (d->fields[i].n_values == 0) continue;
    if (!(d->fields[i].flags & GK_FIT_F_ARRAY) &&
        d->vals[d->fidx[i]].kind == GK_FIT_V_NULL)
      continue;
    d->fields[o] = d->fields[i];
    d->fidx[o] = d->fidx[i];
    o++;
  }
  *nfp = o;
  return GK_OK;
}

gk_status gk__fit_data_message(gk_fit_decoder *d, struct gk__fit_def *def,
                               uint8_t local, const uint8_t *p, uint64_t offset,
                               int compressed, uint32_t ctime) {
  const struct gk__fit_message *pm = def->pm;
  const int be = def->big_endian;
  size_t nf = 0;
  d->n_vals = 0;
  d->n_text = 0;
  if (!reserve_fields(d, (size_t)def->n_fields + def->n_dev + 1) ||
      !reserve_vals(d, (size_t)def->max_values + 1))
    return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);

  gk_fit_mesg m;
  m.name = pm ? pm->name : NULL;
  m.num = def->global;
  m.local = local;
  m.offset = offset;
  m.has_timestamp = 0;
  m.timestamp = 0;

  if (compressed) {
    const struct gk__fit_field *tf =
        pm ? gk__fit_find_field(pm, GK__FIT_FIELD_TIMESTAMP) : NULL;
    gk_fit_field *f = new_field(d, &nf, tf ? tf->name : "timestamp",
                                tf ? tf->units : "s", GK__FIT_FIELD_TIMESTAMP,
                                GK_FIT_UINT32, 0);
    gk_fit_value *v = &d->vals[d->n_vals++];
    v->kind = GK_FIT_V_TIME;
    v->v.u = ctime;
    f->n_values = 1;
    m.has_timestamp = 1;
    m.timestamp = ctime;
  }

  for (unsigned i = 0; i < def->n_fields; i++) {
    const struct gk__fit_fdef *fd = &def->fields[i];
    const uint8_t *fp = p + fd->off;
    uint8_t flags = 0;
    size_t first = d->n_vals;
    int n;
    if (fd->single) {
      /* the common case: one value, read and converted in one step */
      uint64_t raw;
      gk_fit_value *v = &d->vals[d->n_vals];
      switch (fd->op) {
        case GK__FIT_OP_U8:
        case GK__FIT_OP_U8_SCALED:
        case GK__FIT_OP_ENUM8:
          raw = fp[0];
          break;
        case GK__FIT_OP_U16:
        case GK__FIT_OP_U16_SCALED:
          raw = gk__rd_u16le(fp);
          break;
        case GK__FIT_OP_U32:
        case GK__FIT_OP_U32_SCALED:
        case GK__FIT_OP_S32:
        case GK__FIT_OP_TIME32:
          raw = gk__rd_u32le(fp);
          break;
        default:
          raw = read_raw(fp, fd->bsize, be);
      }
      if (raw == fd->inv) continue;
      switch (fd->op) {
        case GK__FIT_OP_U8:
        case GK__FIT_OP_U16:
        case GK__FIT_OP_U32:
          v->kind = GK_FIT_V_NUM;
          v->v.f = (double)raw;
          break;
        case GK__FIT_OP_U8_SCALED:
        case GK__FIT_OP_U16_SCALED:
        case GK__FIT_OP_U32_SCALED:
          v->kind = GK_FIT_V_NUM;
          v->v.f = (double)raw / fd->x.scale - fd->x.offset;
          break;
        case GK__FIT_OP_S32:
          v->kind = GK_FIT_V_NUM;
          v->v.f = (double)(int32_t)(uint32_t)raw;
          break;
        case GK__FIT_OP_ENUM8:
          v->kind = GK_FIT_V_ENUM;
          v->v.u = raw;
          break;
        case GK__FIT_OP_TIME32:
          v->kind = GK_FIT_V_TIME;
          v->v.u = raw;
          break;
        default:
          make_value(v, fd->base, raw, &fd->x);
      }
      d->n_vals++;
      n = 1;
    } else {
      n = read_values(d, fd, fp, be, &fd->x, fd->as_array, &flags);
      if (n < 0) return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
      if (n == 0) continue;
    }
    gk_fit_field *f = &d->fields[nf];
    *f = fd->tmpl;
    f->flags |= flags;
    f->n_values = (uint16_t)n;
    d->fidx[nf] = (uint32_t)first;
    nf++;
    if (fd->num == GK__FIT_FIELD_TIMESTAMP &&
        d->vals[first].kind == GK_FIT_V_TIME) {
      d->last_timestamp = (uint32_t)d->vals[first].v.u;
      m.has_timestamp = 1;
      m.timestamp = d->last_timestamp;
    }
    if (fd->seed) {
      /* Seed the accumulator in the units of the component that feeds this
         field, as the SDK does. */
      double raw = raw_number(fd->base, read_raw(fp, fd->bsize, be));
      double val = raw;
      if (fd->seed_scale != 0)
        val = (raw / fd->x.scale - fd->x.offset + fd->seed_offset) * fd->seed_scale;
      accum_set(d, def->global, fd->num, val);
    }
  }

  if (def->has_expansions && !(d->options & GK_FIT_NO_EXPAND)) {
    gk_status st = def->simple ? expand_simple(d, def, p, offset, &nf)
                               : expand(d, def, p, offset, &nf);
    if (st != GK_OK) return st;
  }

  size_t n_main_fields = nf;
  if (def->n_dev > 0) {
    if (!reserve_fields(d, nf + def->n_dev) || !reserve_vals(d, def->n_dev))
      return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  }
  for (unsigned i = 0; i < def->n_dev; i++) {
    struct gk__fit_ddef *g = &def->dev[i];
    if (g->gen != d->devdesc_gen) {
      g->desc = find_devdesc(d, g->dev_index, g->num);
      g->gen = d->devdesc_gen;
      if (g->desc) compile_dev_field(g);
    }
    const struct gk__fit_devdesc *dd = g->desc;
    if (dd == NULL) {
      d->stats.unknown_dev_fields++;
      continue;
    }
    if (g->fd.single) {
      /* the common case: one number */
      uint64_t raw = read_raw(p + g->off, g->fd.bsize, be);
      if (raw == g->fd.inv) continue;
      gk_fit_value *v = &d->vals[d->n_vals];
      if (is_64(g->fd.base)) {
        make_value(v, g->fd.base, raw, NULL);
      } else {
        double x = raw_number(g->fd.base, raw);
        if (dd->has_scale || dd->has_offset)
          x = x / (dd->has_scale ? dd->scale : 1) - (dd->has_offset ? dd->offset : 0);
        v->kind = GK_FIT_V_NUM;
        v->v.f = x;
      }
      d->fields[nf] = g->fd.tmpl;
      d->fidx[nf] = (uint32_t)d->n_vals++;
      nf++;
      continue;
    }
    if (read_dev_field(d, g, dd, p + g->off, be, &nf) < 0)
      return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  }

  for (size_t i = 0; i < nf; i++) d->fields[i].values = d->vals + d->fidx[i];
  m.n_fields = (uint16_t)n_main_fields;
  m.fields = d->fields;
  m.n_dev_fields = (uint16_t)(nf - n_main_fields);
  m.dev_fields = d->fields + n_main_fields;

  if (def->special) note_developer_data(d, def->global, m.fields, m.n_fields);

  d->stats.messages++;
  if (d->cb && d->cb(d->user, &m) != 0)
    return gk__fit_fail(d, GK_E_STOPPED, "stopped by the caller", offset);
  return GK_OK;
}

/* ---- accessors ---------------------------------------------------------- */

const char *gk_fit_enum_name(const gk_fit_field *f, uint64_t raw) {
  if (f == NULL || f->type == GK__FIT_NO_TYPE || raw > UINT32_MAX) return NULL;
  return gk__fit_type_value_name(f->type, (uint32_t)raw);
}

const gk_fit_field *gk_fit_mesg_field(const gk_fit_mesg *m, const char *name) {
  for (unsigned i = 0; i < m->n_fields; i++)
    if (m->fields[i].name && strcmp(m->fields[i].name, name) == 0)
      return &m->fields[i];
  for (unsigned i = 0; i < m->n_dev_fields; i++)
    if (m->dev_fields[i].name && strcmp(m->dev_fields[i].name, name) == 0)
      return &m->dev_fields[i];
  return NULL;
}

const gk_fit_field *gk_fit_mesg_field_num(const gk_fit_mesg *m, uint8_t num) {
  for (unsigned i = 0; i < m->n_fields; i++)
    if (m->fields[i].num == num && !(m->fields[i].flags & GK_FIT_F_SUBFIELD))
      return &m->fields[i];
  return NULL;
}

double gk_fit_value_num(const gk_fit_value *v) {
  switch (v->kind) {
    case GK_FIT_V_NUM:
      return v->v.f;
    case GK_FIT_V_ENUM:
    case GK_FIT_V_TIME:
    case GK_FIT_V_U64:
      return (double)v->v.u;
    case GK_FIT_V_I64:
      return (double)v->v.i;
    default:
      return NAN;
  }
}

double gk_fit_mesg_num(const gk_fit_mesg *m, uint8_t num) {
  const gk_fit_field *f = gk_fit_mesg_field_num(m, num);
  if (f == NULL || f->n_values == 0) return NAN;
  return gk_fit_value_num(&f->values[0]);
}
