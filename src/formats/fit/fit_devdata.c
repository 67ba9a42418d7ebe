/*
** fit_devdata.c -- developer data: developer_data_id and field_description
** messages define developer fields, which data messages then carry.  As
** in the official SDK, a description counts only after its
** developer_data_id, and the first description of a field number wins.
*/
#include <math.h>

#include "fit_values.h"

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
static void compile_dev_field(struct gk__fit_ddef *g, int be) {
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
  /* the conversion of a single value, compiled: the description's scale
     and offset, as gk__fit_dev_fields applies them */
  if (f->single && (dd->has_scale || dd->has_offset)) {
    f->x.kind = GK__FIT_KIND_NUMERIC;
    f->x.apply_scale = 1;
    f->x.scale = dd->has_scale ? dd->scale : 1;
    f->x.offset = dd->has_offset ? dd->offset : 0;
  }
  f->op = f->single ? gk__fit_elem_op(f, be) : GK__FIT_OP_GENERIC;
  f->x.kind = GK__FIT_KIND_RAW;
  f->x.apply_scale = 0;
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
  f.eop = GK__FIT_OP_GENERIC;
  size_t first = d->n_vals;
  uint8_t flags = GK_FIT_F_DEVELOPER;
  int n;
  if (!f.as_bytes && f.base == GK_FIT_STRING)
    n = gk__fit_add_string(d, p, f.size, 1);
  else {
    if (!reserve_vals(d, f.count)) return -1;
    n = gk__fit_read_values(d, &f, p, be, NULL, -1, &flags);
  }
  if (n <= 0) return n;
  if (dd->has_scale || dd->has_offset) {
    double sc = dd->has_scale ? dd->scale : 1, of = dd->has_offset ? dd->offset : 0;
    for (size_t i = first; i < d->n_vals; i++)
      if (d->vals[i].kind == GK_FIT_V_NUM)
        d->vals[i].v.f = d->vals[i].v.f / sc - of;
  }
  if (n > 1 && f.base == GK_FIT_STRING) flags |= GK_FIT_F_ARRAY;
  gk_fit_field *out = gk__fit_new_field(d, nf, dd->name, dd->units, g->num, f.base, flags);
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
void gk__fit_note_developer_data(gk_fit_decoder *d, uint16_t global,
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
      !gk__fit_grow(d, (void **)&d->devdescs, &d->cap_devdescs, sizeof dd,
            d->n_devdescs + 1))
    return;
  d->devdescs[d->n_devdescs++] = dd;
  d->devdesc_gen++;
}

/* The developer fields of one data message, appended after its fields. */
gk_status gk__fit_dev_fields(gk_fit_decoder *d, struct gk__fit_def *def,
                             const uint8_t *p, uint64_t offset, size_t *nfp) {
  const int be = def->big_endian;
  size_t nf = *nfp;
  if (def->n_dev > 0) {
    if (!reserve_fields(d, nf + def->n_dev) || !reserve_vals(d, def->n_dev))
      return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
  }
  gk_fit_value *vals = d->vals;
  gk_fit_field *fields = d->fields;
  uint32_t *fidx = d->fidx;
  size_t nv = d->n_vals;
  const uint32_t gen = d->devdesc_gen; /* (descriptions do not change here) */
  struct gk__fit_ddef *const gend = def->dev + def->n_dev;
  for (struct gk__fit_ddef *g = def->dev; g < gend; g++) {
    if (g->gen != gen) {
      g->desc = find_devdesc(d, g->dev_index, g->num);
      g->gen = gen;
      if (g->desc) compile_dev_field(g, be);
    }
    const struct gk__fit_devdesc *dd = g->desc;
    if (dd == NULL) {
      d->stats.unknown_dev_fields++;
      continue;
    }
    const struct gk__fit_fdef *fd = &g->fd;
    if (fd->op != GK__FIT_OP_GENERIC) {
      /* the common case: one number, compiled */
      gk_fit_value *v = &vals[nv];
      if (!op_decode(v, fd->op, p + g->off, fd->inv, &fd->x)) continue;
      fields[nf] = fd->tmpl;
      fields[nf].values = v;
      fidx[nf] = (uint32_t)nv++;
      nf++;
      continue;
    }
    if (fd->single) {
      /* one number */
      uint64_t raw = read_raw(p + g->off, fd->bsize, be);
      if (raw == fd->inv) continue;
      gk_fit_value *v = &vals[nv];
      if (is_64(fd->base)) {
        make_value(v, fd->base, raw, NULL);
      } else {
        double x = raw_number(fd->base, raw);
        if (dd->has_scale || dd->has_offset)
          x = x / (dd->has_scale ? dd->scale : 1) - (dd->has_offset ? dd->offset : 0);
        v->kind = GK_FIT_V_NUM;
        v->v.f = x;
      }
      fields[nf] = fd->tmpl;
      fields[nf].values = v;
      fidx[nf] = (uint32_t)nv++;
      nf++;
      continue;
    }
    d->n_vals = nv;
    if (read_dev_field(d, g, dd, p + g->off, be, &nf) < 0)
      return gk__fit_fail(d, GK_E_NOMEM, "out of memory", offset);
    vals = d->vals; /* the storage may have moved */
    fields = d->fields;
    fidx = d->fidx;
    nv = d->n_vals;
  }
  d->n_vals = nv;
  *nfp = nf;
  return GK_OK;
}
