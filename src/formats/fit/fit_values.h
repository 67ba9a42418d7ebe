/*
** fit_values.h -- reading and converting FIT values, and the decoder's
** reusable output storage: shared by fit_mesg.c (one message),
** fit_expand.c (subfields, components) and fit_devdata.c (developer
** fields).  Internal.
*/
#ifndef GK_FIT_VALUES_H
#define GK_FIT_VALUES_H

#include <string.h>

#include "fit_internal.h"

#define invalid_raw gk__fit_invalid_raw
#define xform gk__fit_xform

/* Output storage (grows only with the largest message seen). */
int gk__fit_grow(gk_fit_decoder *d, void **p, size_t *cap, size_t elem,
                 size_t need);
int gk__fit_reserve_fields_slow(gk_fit_decoder *d, size_t need);

static inline int reserve_fields(gk_fit_decoder *d, size_t need) {
  return need <= d->cap_fields || gk__fit_reserve_fields_slow(d, need);
}

static inline int reserve_vals(gk_fit_decoder *d, size_t extra) {
  return d->n_vals + extra <= d->cap_vals ||
         gk__fit_grow(d, (void **)&d->vals, &d->cap_vals, sizeof *d->vals,
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

/* Read one value by a compiled operation (not GENERIC). */
static inline uint64_t op_read(uint8_t op, const uint8_t *p) {
  switch (op) {
    case GK__FIT_OP_U8:
    case GK__FIT_OP_U8_SCALED:
    case GK__FIT_OP_S8:
    case GK__FIT_OP_S8_SCALED:
    case GK__FIT_OP_ENUM8:
      return p[0];
    case GK__FIT_OP_U16:
    case GK__FIT_OP_U16_SCALED:
    case GK__FIT_OP_S16:
    case GK__FIT_OP_S16_SCALED:
      return gk__rd_u16le(p);
    default:
      return gk__rd_u32le(p);
  }
}

/* Convert one valid raw value by a compiled operation (not GENERIC): the
   same value make_value gives for the transformation the operation was
   compiled from. */
static inline void op_value(gk_fit_value *v, uint8_t op, uint64_t raw,
                            const struct xform *x) {
  switch (op) {
    case GK__FIT_OP_U8:
    case GK__FIT_OP_U16:
    case GK__FIT_OP_U32:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)raw;
      return;
    case GK__FIT_OP_U8_SCALED:
    case GK__FIT_OP_U16_SCALED:
    case GK__FIT_OP_U32_SCALED:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)raw / x->scale - x->offset;
      return;
    case GK__FIT_OP_S8:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)(int8_t)(uint8_t)raw;
      return;
    case GK__FIT_OP_S16:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)(int16_t)(uint16_t)raw;
      return;
    case GK__FIT_OP_S32:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)(int32_t)(uint32_t)raw;
      return;
    case GK__FIT_OP_S8_SCALED:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)(int8_t)(uint8_t)raw / x->scale - x->offset;
      return;
    case GK__FIT_OP_S16_SCALED:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)(int16_t)(uint16_t)raw / x->scale - x->offset;
      return;
    case GK__FIT_OP_S32_SCALED:
      v->kind = GK_FIT_V_NUM;
      v->v.f = (double)(int32_t)(uint32_t)raw / x->scale - x->offset;
      return;
    case GK__FIT_OP_F32:
      v->kind = GK_FIT_V_NUM;
      v->v.f = raw_number(GK_FIT_FLOAT32, raw);
      return;
    case GK__FIT_OP_F32_SCALED:
      v->kind = GK_FIT_V_NUM;
      v->v.f = raw_number(GK_FIT_FLOAT32, raw) / x->scale - x->offset;
      return;
    case GK__FIT_OP_ENUM8:
      v->kind = GK_FIT_V_ENUM;
      v->v.u = raw;
      return;
    default: /* GK__FIT_OP_TIME32 */
      v->kind = GK_FIT_V_TIME;
      v->v.u = raw;
      return;
  }
}

/* Read and convert one value by a compiled operation (not GENERIC) in one
   step: 0 when its raw value is inv (no value written), else 1. */
static inline int op_decode(gk_fit_value *v, uint8_t op, const uint8_t *p,
                            uint64_t inv, const struct xform *x) {
  uint64_t raw;
  double f;
  switch (op) {
#define GK__OP_NUM(RD, CONV, SCALED)            \
  raw = RD;                                     \
  if (raw == inv) return 0;                     \
  f = CONV;                                     \
  if (SCALED) f = f / x->scale - x->offset;     \
  v->v.f = f;                                   \
  v->kind = GK_FIT_V_NUM;                       \
  return 1
    case GK__FIT_OP_U8: GK__OP_NUM(p[0], (double)raw, 0);
    case GK__FIT_OP_U16: GK__OP_NUM(gk__rd_u16le(p), (double)raw, 0);
    case GK__FIT_OP_U32: GK__OP_NUM(gk__rd_u32le(p), (double)raw, 0);
    case GK__FIT_OP_U8_SCALED: GK__OP_NUM(p[0], (double)raw, 1);
    case GK__FIT_OP_U16_SCALED: GK__OP_NUM(gk__rd_u16le(p), (double)raw, 1);
    case GK__FIT_OP_U32_SCALED: GK__OP_NUM(gk__rd_u32le(p), (double)raw, 1);
    case GK__FIT_OP_S8: GK__OP_NUM(p[0], (double)(int8_t)(uint8_t)raw, 0);
    case GK__FIT_OP_S16: GK__OP_NUM(gk__rd_u16le(p), (double)(int16_t)(uint16_t)raw, 0);
    case GK__FIT_OP_S32: GK__OP_NUM(gk__rd_u32le(p), (double)(int32_t)(uint32_t)raw, 0);
    case GK__FIT_OP_S8_SCALED: GK__OP_NUM(p[0], (double)(int8_t)(uint8_t)raw, 1);
    case GK__FIT_OP_S16_SCALED:
      GK__OP_NUM(gk__rd_u16le(p), (double)(int16_t)(uint16_t)raw, 1);
    case GK__FIT_OP_S32_SCALED:
      GK__OP_NUM(gk__rd_u32le(p), (double)(int32_t)(uint32_t)raw, 1);
    case GK__FIT_OP_F32: GK__OP_NUM(gk__rd_u32le(p), raw_number(GK_FIT_FLOAT32, raw), 0);
    case GK__FIT_OP_F32_SCALED:
      GK__OP_NUM(gk__rd_u32le(p), raw_number(GK_FIT_FLOAT32, raw), 1);
#undef GK__OP_NUM
    case GK__FIT_OP_ENUM8:
      raw = p[0];
      if (raw == inv) return 0;
      v->v.u = raw;
      v->kind = GK_FIT_V_ENUM;
      return 1;
    default: /* GK__FIT_OP_TIME32 */
      raw = gk__rd_u32le(p);
      if (raw == inv) return 0;
      v->v.u = raw;
      v->kind = GK_FIT_V_TIME;
      return 1;
  }
}

/* A new output field with no values yet; NULL when out of memory. */
gk_fit_field *gk__fit_new_field(gk_fit_decoder *d, size_t *nf, const char *name,
                                const char *units, uint8_t num, uint8_t base,
                                uint8_t flags);

/* Read a field's values into the value pool (see fit_values.c). */
int gk__fit_read_values(gk_fit_decoder *d, const struct gk__fit_fdef *f,
                        const uint8_t *p, int be, const struct xform *x,
                        int as_array, uint8_t *flags);

/* Decode a string field into the text buffer (see fit_values.c). */
int gk__fit_add_string(gk_fit_decoder *d, const uint8_t *p, size_t n,
                       int all_parts);

/* Subfields and components (fit_expand.c). */
gk_status gk__fit_expand(gk_fit_decoder *d, const struct gk__fit_def *def,
                         const uint8_t *p, uint64_t offset, size_t *nf);
/* Seed the accumulator of (mesg, field) with value: *hint remembers the
   slot (0xFF: not known yet). */
void gk__fit_accum_seed(gk_fit_decoder *d, uint16_t mesg, uint8_t field,
                        double value, uint8_t *hint);

/* Developer fields (fit_devdata.c). */
gk_status gk__fit_dev_fields(gk_fit_decoder *d, struct gk__fit_def *def,
                             const uint8_t *p, uint64_t offset, size_t *nf);
void gk__fit_note_developer_data(gk_fit_decoder *d, uint16_t global,
                                 const gk_fit_field *fields, size_t nf);

#endif /* GK_FIT_VALUES_H */
