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
#include <math.h>

#include "fit_values.h"

/* The fast path for definitions whose only expansions are one whole-value
   component into a field the record does not hold (speed ->
   enhanced_speed, altitude -> enhanced_altitude): the same result as
   expand(), without its queue. */
static gk_status expand_simple(gk_fit_decoder *d, const struct gk__fit_def *def,
                               const uint8_t *p, uint64_t offset, size_t *nf) {
  if (!reserve_vals(d, def->n_comp_src) ||
      !reserve_fields(d, *nf + def->n_comp_src))
    return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  gk_fit_value *vals = d->vals;
  gk_fit_field *fields = d->fields;
  uint32_t *fidx = d->fidx;
  size_t nv = d->n_vals, n = *nf;
  for (unsigned i = 0; i < def->n_comp_src; i++) {
    const struct gk__fit_fdef *fd = &def->fields[def->comp_src[i]];
    const struct gk__fit_simple *sx = &def->simple_x[i];
    uint64_t raw = read_raw(p + fd->off, fd->bsize, def->big_endian);
    if (raw == fd->inv) continue;
    double value = (double)raw / sx->c_scale - sx->c_offset;
    double rawv = (value + sx->t_offset) * sx->t_scale;
    if (rawv == sx->t_inv) continue;
    gk_fit_value *v = &vals[nv];
    if (sx->t_enum && value >= 0 && value == trunc(value) &&
        value <= 4294967295.0) {
      v->kind = GK_FIT_V_ENUM;
      v->v.u = (uint64_t)value;
    } else {
      v->kind = GK_FIT_V_NUM;
      v->v.f = value;
    }
    gk_fit_field *f = &fields[n];
    *f = sx->tmpl;
    f->values = v;
    fidx[n] = (uint32_t)nv;
    nv++;
    n++;
  }
  d->n_vals = nv;
  *nf = n;
  return GK_OK;
}

gk_status gk__fit_data_message(gk_fit_decoder *d, struct gk__fit_def *def,
                               uint8_t local, const uint8_t *p, uint64_t offset,
                               int compressed, uint32_t ctime) {
  const struct gk__fit_message *pm = def->pm;
  const int be = def->big_endian;
  size_t nf = 0, nv = 0;
  d->n_text = 0;
  d->fix_values = 0;
  /* Room for every value the fields, a simple expansion and the developer
     fields can add, so that the hot path needs no checks; the slower paths
     reserve for themselves. */
  size_t n_simple = def->simple ? def->n_comp_src : 0;
  d->n_vals = 0;
  if (!reserve_fields(d, (size_t)def->n_fields + def->n_dev + n_simple + 1) ||
      !reserve_vals(d, (size_t)def->max_values + n_simple + 1))
    return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  /* Values pointers are set as fields are added, relative to vals_ref; if
     the pool moves, or a slower path adds fields, they are set again from
     fidx at the end. */
  gk_fit_value *const vals_ref = d->vals;
  gk_fit_value *vals = vals_ref;
  gk_fit_field *const fields = d->fields;
  uint32_t *const fidx = d->fidx;

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
    gk_fit_field *f = &fields[nf];
    f->name = tf ? tf->name : "timestamp";
    f->units = tf ? (tf->units ? tf->units : "") : "s";
    f->num = GK__FIT_FIELD_TIMESTAMP;
    f->base_type = GK_FIT_UINT32;
    f->flags = 0;
    f->dev_index = 0;
    f->type = GK__FIT_NO_TYPE;
    f->n_values = 1;
    f->values = &vals[nv];
    fidx[nf] = (uint32_t)nv;
    nf++;
    gk_fit_value *v = &vals[nv++];
    v->kind = GK_FIT_V_TIME;
    v->v.u = ctime;
    m.has_timestamp = 1;
    m.timestamp = ctime;
  }

  const struct gk__fit_fdef *fd = def->fields;
  const struct gk__fit_fdef *const fend = fd + def->n_fields;
  for (; fd < fend; fd++) {
    const uint8_t *fp = p + fd->off;
    gk_fit_value *v = &vals[nv];
    uint64_t raw;
    /* the common case: one value, read and converted in one step */
    switch (fd->op) {
      case GK__FIT_OP_U8:
        raw = fp[0];
        if (raw == fd->inv) continue;
        v->v.f = (double)raw;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_U16:
        raw = gk__rd_u16le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)raw;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_U32:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)raw;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_U8_SCALED:
        raw = fp[0];
        if (raw == fd->inv) continue;
        v->v.f = (double)raw / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_U16_SCALED:
        raw = gk__rd_u16le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)raw / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_U32_SCALED:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)raw / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_S8:
        raw = fp[0];
        if (raw == fd->inv) continue;
        v->v.f = (double)(int8_t)(uint8_t)raw;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_S16:
        raw = gk__rd_u16le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)(int16_t)(uint16_t)raw;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_S32:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)(int32_t)(uint32_t)raw;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_S8_SCALED:
        raw = fp[0];
        if (raw == fd->inv) continue;
        v->v.f = (double)(int8_t)(uint8_t)raw / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_S16_SCALED:
        raw = gk__rd_u16le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)(int16_t)(uint16_t)raw / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_S32_SCALED:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.f = (double)(int32_t)(uint32_t)raw / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_F32:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.f = raw_number(GK_FIT_FLOAT32, raw);
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_F32_SCALED:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.f = raw_number(GK_FIT_FLOAT32, raw) / fd->x.scale - fd->x.offset;
        v->kind = GK_FIT_V_NUM;
        break;
      case GK__FIT_OP_ENUM8:
        raw = fp[0];
        if (raw == fd->inv) continue;
        v->v.u = raw;
        v->kind = GK_FIT_V_ENUM;
        break;
      case GK__FIT_OP_TIME32:
        raw = gk__rd_u32le(fp);
        if (raw == fd->inv) continue;
        v->v.u = raw;
        v->kind = GK_FIT_V_TIME;
        if (fd->num == GK__FIT_FIELD_TIMESTAMP) {
          d->last_timestamp = (uint32_t)raw;
          m.has_timestamp = 1;
          m.timestamp = (uint32_t)raw;
        }
        break;
      default: {
        /* anything else: several values, strings, bytes, big-endian,
           accumulated fields */
        size_t first = nv;
        uint8_t flags = 0;
        int n;
        if (fd->single) {
          raw = read_raw(fp, fd->bsize, be);
          if (raw == fd->inv) continue;
          make_value(v, fd->base, raw, &fd->x);
          nv++;
          n = 1;
        } else if (fd->eop != GK__FIT_OP_GENERIC && fd->as_array > 0) {
          /* an array of compiled values (as gk__fit_read_values reads
             it): invalid elements are null, except for bytes; left out
             when every element is invalid. The values fit in the room
             reserved for the definition. */
          const unsigned cnt = fd->count, bs = fd->bsize;
          const uint64_t inv = fd->inv;
          const int keep_inv = fd->base == GK_FIT_BYTE;
          int any = 0;
          for (unsigned k = 0; k < cnt; k++) {
            raw = op_read(fd->eop, fp + k * bs);
            if (raw != inv) {
              any = 1;
              op_value(&v[k], fd->eop, raw, &fd->x);
            } else if (keep_inv) {
              op_value(&v[k], fd->eop, raw, &fd->x);
            } else {
              v[k].kind = GK_FIT_V_NULL;
            }
          }
          if (!any) continue;
          nv += cnt;
          n = (int)cnt;
          flags = GK_FIT_F_ARRAY;
        } else {
          d->n_vals = nv;
          n = gk__fit_read_values(d, fd, fp, be, &fd->x, fd->as_array, &flags);
          if (n < 0) return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
          vals = d->vals; /* may have moved: see vals_ref */
          nv = d->n_vals;
          if (n == 0) continue;
        }
        gk_fit_field *f = &fields[nf];
        *f = fd->tmpl;
        f->flags |= flags;
        f->n_values = (uint16_t)n;
        f->values = &vals[first];
        fidx[nf] = (uint32_t)first;
        nf++;
        if (fd->num == GK__FIT_FIELD_TIMESTAMP && vals[first].kind == GK_FIT_V_TIME) {
          d->last_timestamp = (uint32_t)vals[first].v.u;
          m.has_timestamp = 1;
          m.timestamp = d->last_timestamp;
        }
        if (fd->seed) {
          /* Seed the accumulator in the units of the component that feeds
             this field, as the SDK does. */
          double rn = raw_number(fd->base, read_raw(fp, fd->bsize, be));
          double val = rn;
          if (fd->seed_scale != 0)
            val = (rn / fd->x.scale - fd->x.offset + fd->seed_offset) * fd->seed_scale;
          gk__fit_accum_seed(d, def->global, fd->num, val,
                             &def->fields[fd - def->fields].accum_hint);
        }
        continue;
      }
    }
    /* one value, the field's template as it is */
    gk_fit_field *f = &fields[nf];
    *f = fd->tmpl;
    f->values = v;
    fidx[nf] = (uint32_t)nv;
    nf++;
    nv++;
  }
  d->n_vals = nv;

  /* (a separate count: nf, never addressed, stays in a register above) */
  size_t nf_all = nf;
  if (def->has_expansions && !(d->options & GK_FIT_NO_EXPAND)) {
    gk_status st;
    if (def->simple) {
      st = expand_simple(d, def, p, offset, &nf_all);
    } else {
      st = gk__fit_expand(d, def, p, offset, &nf_all);
      d->fix_values = 1;
    }
    if (st != GK_OK) return st;
  }

  size_t n_main_fields = nf_all;
  if (def->n_dev) {
    gk_status dst = gk__fit_dev_fields(d, def, p, offset, &nf_all);
    if (dst != GK_OK) return dst;
  }
  nf = nf_all;
  gk_fit_field *const out = d->fields;
  if (d->fix_values || d->vals != vals_ref)
    for (size_t i = 0; i < nf; i++) out[i].values = d->vals + d->fidx[i];
  m.n_fields = (uint16_t)n_main_fields;
  m.fields = out;
  m.n_dev_fields = (uint16_t)(nf - n_main_fields);
  m.dev_fields = out + n_main_fields;

  if (def->special) gk__fit_note_developer_data(d, def->global, m.fields, m.n_fields);

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
