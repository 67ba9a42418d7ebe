/*
** fit_expand.c -- subfields and components of a FIT message, after its
** fields are read: a subfield applies when a reference field holds its
** value; a component's bits (least significant first) expand into another
** field, accumulating where the profile says so.  The rules are the
** official SDK's.
*/
#include <math.h>

#include "fit_values.h"

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

static void xform_of_sub(struct xform *x, const struct gk__fit_subfield *sf) {
  x->kind = sf->kind;
  x->apply_scale = sf->apply_scale;
  x->type = sf->type;
  x->scale = sf->scale;
  x->offset = sf->offset;
}

/* Turn one raw (valid) value into a value. */
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

void gk__fit_accum_seed(gk_fit_decoder *d, uint16_t mesg, uint8_t field,
                        double value, uint8_t *hint) {
  struct gk__fit_accum *a;
  unsigned h = *hint;
  /* (mesg, field) pairs are unique in the table and never removed */
  if (h < d->n_accum && d->accum[h].mesg == mesg && d->accum[h].field == field) {
    a = &d->accum[h];
  } else {
    a = accum_slot(d, mesg, field);
    if (a == NULL) return;
    *hint = (uint8_t)(a - d->accum);
  }
  a->value = a->last = value;
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
        gk_fit_field *f = gk__fit_new_field(d, nf, tf->name, tf->units, tf->num,
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

/* Subfields and components of one message, after its fields are read. */
gk_status gk__fit_expand(gk_fit_decoder *d, const struct gk__fit_def *def,
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
      int n = gk__fit_read_values(d, fd, p + fd->off, be, &sx, fd->as_array, &flags);
      if (n < 0) return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
      if (n == 0) continue;
      gk_fit_field *f =
          gk__fit_new_field(d, &nf, sf->name, sf->units, pf->num, fd->base, flags);
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

