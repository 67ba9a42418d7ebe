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
    gk_fit_field *f = gk__fit_new_field(d, &nf, tf ? tf->name : "timestamp",
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
      n = gk__fit_read_values(d, fd, fp, be, &fd->x, fd->as_array, &flags);
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
      gk__fit_accum_set(d, def->global, fd->num, val);
    }
  }

  if (def->has_expansions && !(d->options & GK_FIT_NO_EXPAND)) {
    gk_status st = def->simple ? gk__fit_expand_simple(d, def, p, offset, &nf)
                               : gk__fit_expand(d, def, p, offset, &nf);
    if (st != GK_OK) return st;
  }

  size_t n_main_fields = nf;
  gk_status dst = gk__fit_dev_fields(d, def, p, offset, &nf);
  if (dst != GK_OK) return dst;
  for (size_t i = 0; i < nf; i++) d->fields[i].values = d->vals + d->fidx[i];
  m.n_fields = (uint16_t)n_main_fields;
  m.fields = d->fields;
  m.n_dev_fields = (uint16_t)(nf - n_main_fields);
  m.dev_fields = d->fields + n_main_fields;

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
