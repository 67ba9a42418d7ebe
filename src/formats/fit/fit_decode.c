/*
** fit_decode.c -- FIT framing: file headers and their CRCs, chained files,
** record headers (normal and compressed-timestamp), definition messages,
** and the streaming state machine that feeds data records to fit_mesg.c.
**
** The unit of progress is one header, one record or one CRC.  step() tries
** to consume a unit from a byte range; when the range is too short it says
** how many bytes it needs, and gk_fit_feed() keeps the partial unit in a
** small pending buffer until the next chunk completes it.  Given the whole
** input in one call, step() runs directly on the caller's buffer: that is
** the whole-buffer fast path, with no copy.
*/
#include "fit_internal.h"

#include <math.h>

#define GK__NEED 1000 /* internal: step() needs more bytes */

const uint8_t gk__fit_base_size[17] = {1, 1, 1, 2, 2, 4, 4, 1, 4,
                                       8, 1, 2, 4, 1, 8, 8, 8};

const uint64_t gk__fit_invalid_raw[17] = {
    0xFF,       0x7F,       0xFF,       0x7FFF,     0xFFFF,     0x7FFFFFFF,
    0xFFFFFFFF, 0x00,       0xFFFFFFFF, UINT64_MAX, 0x00,       0x0000,
    0x00000000, 0xFF,       INT64_MAX,  UINT64_MAX, 0};

gk_status gk__fit_fail(gk_fit_decoder *d, gk_status code, const char *msg,
                       uint64_t offset) {
  gk__set_err(&d->err, code, msg, offset);
  d->state = GK__FIT_ST_FAILED;
  return code;
}

int gk_fit_sniff(const void *buf, size_t len) {
  const uint8_t *p = (const uint8_t *)buf;
  if (len < 12 || (p[0] != 12 && p[0] != 14)) return 0;
  return memcmp(p + 8, ".FIT", 4) == 0;
}

/* ---- file header -------------------------------------------------------- */

static int step_header(gk_fit_decoder *d, const uint8_t *p, size_t n,
                       size_t *used, size_t *need) {
  if (n < 1) return (*need = 1), GK__NEED;
  uint8_t hs = p[0];
  if (hs != 12 && hs != 14) {
    return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                        d->stats.files == 0
                            ? "not a FIT file: header size is neither 12 nor 14"
                            : "bytes after the end of a FIT file are not "
                              "another FIT file",
                        d->pos);
  }
  if (n < hs) return (*need = hs), GK__NEED;
  if (memcmp(p + 8, ".FIT", 4) != 0)
    return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                        "not a FIT file: no \".FIT\" signature in the header",
                        d->pos + 8);
  if (hs == 14) {
    uint16_t want = gk__rd_u16le(p + 12);
    if (want != 0 && want != gk_fit_crc16(0, p, 12)) {
      if (!(d->options & GK_FIT_ACCEPT_BAD_CRC))
        return gk__fit_fail(d, GK_E_CRC, "file header CRC does not match",
                            d->pos + 12);
      d->stats.crc_mismatches++;
    }
  }
  uint32_t data_size = gk__rd_u32le(p + 4);
  d->crc = gk_fit_crc16(0, p, hs);
  d->data_end = d->pos + hs + (uint64_t)data_size;
  d->state = GK__FIT_ST_RECORDS;
  d->stats.files++;
  *used = hs;
  return GK_OK;
}

/* ---- definition message ------------------------------------------------- */

/* How one value of a field is read and converted in one step with the
   field's own transformation (GENERIC when no operation fits): the hot
   path of single-valued fields, arrays and developer fields. */
uint8_t gk__fit_elem_op(const struct gk__fit_fdef *f, int big_endian) {
  if (big_endian || f->as_bytes || f->base == GK_FIT_STRING)
    return GK__FIT_OP_GENERIC;
  int unsig = f->base == GK_FIT_ENUM || f->base == GK_FIT_UINT8 ||
              f->base == GK_FIT_UINT8Z || f->base == GK_FIT_BYTE ||
              f->base == GK_FIT_UINT16 || f->base == GK_FIT_UINT16Z ||
              f->base == GK_FIT_UINT32 || f->base == GK_FIT_UINT32Z;
  int sig = f->base == GK_FIT_SINT8 || f->base == GK_FIT_SINT16 ||
            f->base == GK_FIT_SINT32;
  int numeric = f->x.kind == GK__FIT_KIND_NUMERIC || f->x.kind == GK__FIT_KIND_RAW;
  if (f->x.kind == GK__FIT_KIND_ENUM && f->bsize == 1) return GK__FIT_OP_ENUM8;
  if (f->x.kind == GK__FIT_KIND_DATE_TIME && f->base == GK_FIT_UINT32)
    return GK__FIT_OP_TIME32;
  if (!numeric) return GK__FIT_OP_GENERIC;
  int scaled = f->x.kind == GK__FIT_KIND_NUMERIC && f->x.apply_scale;
  if (f->base == GK_FIT_FLOAT32)
    return scaled ? GK__FIT_OP_F32_SCALED : GK__FIT_OP_F32;
  if (!unsig && !sig) return GK__FIT_OP_GENERIC;
  if (sig) {
    switch (f->bsize) {
      case 1: return scaled ? GK__FIT_OP_S8_SCALED : GK__FIT_OP_S8;
      case 2: return scaled ? GK__FIT_OP_S16_SCALED : GK__FIT_OP_S16;
      case 4: return scaled ? GK__FIT_OP_S32_SCALED : GK__FIT_OP_S32;
      default: return GK__FIT_OP_GENERIC;
    }
  }
  switch (f->bsize) {
    case 1: return scaled ? GK__FIT_OP_U8_SCALED : GK__FIT_OP_U8;
    case 2: return scaled ? GK__FIT_OP_U16_SCALED : GK__FIT_OP_U16;
    case 4: return scaled ? GK__FIT_OP_U32_SCALED : GK__FIT_OP_U32;
    default: return GK__FIT_OP_GENERIC;
  }
}

/* The operation of a single-valued field; accumulated fields take the
   general path, which seeds their accumulator. */
static uint8_t single_op(const struct gk__fit_fdef *f, int big_endian) {
  if (!f->single || f->seed) return GK__FIT_OP_GENERIC;
  return gk__fit_elem_op(f, big_endian);
}

static gk_status compile_definition(gk_fit_decoder *d, const uint8_t *p,
                                    int has_dev) {
  uint8_t local = p[0] & 0x0F;
  struct gk__fit_def *def = d->defs[local];
  if (def == NULL) {
    def = (struct gk__fit_def *)d->alloc->malloc(d->alloc->ctx, sizeof *def);
    if (def == NULL) return gk__fit_fail(d, GK_E_NOMEM, "out of memory", d->pos);
    d->defs[local] = def;
  }
  def->valid = 0;
  def->big_endian = p[2] == 1;
  def->global = def->big_endian ? gk__rd_u16be(p + 3) : gk__rd_u16le(p + 3);
  def->n_fields = p[5];
  def->pm = gk__fit_find_message(def->global);
  def->has_expansions = 0;
  def->special = def->global == GK__FIT_MESG_DEVELOPER_DATA_ID ||
                 def->global == GK__FIT_MESG_FIELD_DESCRIPTION;
  def->n_comp_src = def->n_sub_src = 0;
  uint32_t off = 0, max_values = 0;
  const uint8_t *q = p + 6;
  for (unsigned i = 0; i < def->n_fields; i++, q += 3) {
    struct gk__fit_fdef *f = &def->fields[i];
    uint8_t base = q[2] & 0x1F;
    if (base > GK_FIT_UINT64Z)
      return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                          "definition names an unknown base type",
                          d->pos + 6 + 3 * i + 2);
    f->num = q[0];
    f->size = q[1];
    f->base = base;
    f->bsize = gk__fit_base_size[base];
    f->as_bytes = (uint8_t)(f->size % f->bsize != 0);
    f->count = f->as_bytes ? f->size : (uint8_t)(f->size / f->bsize);
    f->off = (uint16_t)off;
    f->inv = gk__fit_invalid_raw[base];
    f->single = f->count == 1 && !f->as_bytes && base != GK_FIT_STRING;
    f->pf = def->pm ? gk__fit_find_field(def->pm, f->num) : NULL;
    const struct gk__fit_field *pf = f->pf;
    f->seed = 0;
    f->accum_hint = 0xFF;
    if (pf) {
      f->as_array = pf->is_array ? 1 : 0;
      if (def->special) {
        f->x.kind = GK__FIT_KIND_RAW; /* neither scaled nor named */
        f->x.apply_scale = 0;
        f->x.type = GK__FIT_NO_TYPE;
      } else {
        f->x.kind = pf->kind;
        f->x.apply_scale = pf->apply_scale;
        f->x.type = pf->type;
        f->x.scale = pf->scale;
        f->x.offset = pf->offset;
        if (pf->n_components && !f->as_bytes && base != GK_FIT_STRING)
          def->comp_src[def->n_comp_src++] = (uint8_t)i;
        if (pf->n_subfields && !f->as_bytes)
          def->sub_src[def->n_sub_src++] = (uint8_t)i;
        f->seed = pf->accumulated && !f->as_bytes && base != GK_FIT_STRING;
      }
    } else {
      f->as_array = f->count > 1 ? 1 : 0;
      f->x.kind = GK__FIT_KIND_RAW;
      f->x.apply_scale = 0;
      f->x.type = GK__FIT_NO_TYPE;
    }
    gk_fit_field *t = &f->tmpl;
    t->name = pf ? pf->name : NULL;
    t->units = pf ? pf->units : "";
    t->num = f->num;
    t->base_type = base;
    t->flags = (uint8_t)((pf ? 0 : GK_FIT_F_UNKNOWN) |
                         (f->as_array > 0 && base != GK_FIT_STRING && !f->as_bytes
                              ? GK_FIT_F_ARRAY
                              : 0));
    t->dev_index = 0;
    t->type = f->x.type;
    t->n_values = 1; /* the single-valued case; set for the others */
    t->values = NULL;
    f->op = single_op(f, def->big_endian);
    f->eop = gk__fit_elem_op(f, def->big_endian);
    off += f->size;
    max_values += f->count;
  }
  /* An accumulated field read from the record seeds its accumulator in the
     units of the component that feeds it (the last such component in the
     definition, as the SDK does). */
  for (unsigned i = 0; i < def->n_fields; i++) {
    struct gk__fit_fdef *f = &def->fields[i];
    if (!f->seed) continue;
    f->seed_scale = 1;
    f->seed_offset = 0;
    int found = 0;
    for (unsigned k = 0; k <= i; k++) {
      const struct gk__fit_field *cf = def->fields[k].pf;
      if (!cf) continue;
      for (unsigned c = 0; c < cf->n_components; c++)
        if (cf->components[c].target == f->num) {
          f->seed_scale = cf->components[c].scale;
          f->seed_offset = cf->components[c].offset;
          found = 1;
        }
    }
    if (!found) f->seed_scale = 0; /* raw value, unconverted */
  }
  def->has_expansions = def->n_comp_src > 0 || def->n_sub_src > 0;
  def->simple = def->n_sub_src == 0 && def->n_comp_src > 0 &&
                def->n_comp_src <= GK__FIT_MAX_SIMPLE;
  for (unsigned i = 0; i < def->n_comp_src && def->simple; i++) {
    struct gk__fit_fdef *f = &def->fields[def->comp_src[i]];
    const struct gk__fit_field *pf = f->pf;
    const struct gk__fit_field *tf =
        gk__fit_find_field(def->pm, pf->components[0].target);
    f->simple_target = tf;
    if (pf->n_components != 1 || f->count != 1 ||
        pf->comp_base_type == GK__FIT_NO_BASE ||
        pf->components[0].bits != 8 * gk__fit_base_size[pf->comp_base_type] ||
        pf->components[0].bits != 8 * f->bsize || tf == NULL ||
        tf->accumulated || tf->n_components) {
      def->simple = 0;
      break;
    }
    for (unsigned k = 0; k < def->n_fields; k++)
      if (def->fields[k].num == tf->num) def->simple = 0;
    for (unsigned k = 0; k < i; k++)
      if (def->fields[def->comp_src[k]].simple_target == tf) def->simple = 0;
    const struct gk__fit_component *c = &pf->components[0];
    struct gk__fit_simple *sx = &def->simple_x[i];
    sx->c_scale = c->scale;
    sx->c_offset = c->offset;
    sx->t_scale = tf->scale;
    sx->t_offset = tf->offset;
    sx->t_inv = tf->comp_base_type == GK__FIT_NO_BASE
                    ? 255.0
                    : (double)gk__fit_invalid_raw[tf->comp_base_type];
    sx->t_enum = tf->kind == GK__FIT_KIND_ENUM;
    gk_fit_field *t = &sx->tmpl;
    t->name = tf->name;
    t->units = tf->units;
    t->num = tf->num;
    t->base_type = tf->base_type;
    t->flags = (uint8_t)(GK_FIT_F_EXPANDED | (tf->is_array ? GK_FIT_F_ARRAY : 0));
    t->dev_index = 0;
    t->type = tf->type;
    t->n_values = 1;
    t->values = NULL;
  }
  def->n_dev = 0;
  if (has_dev) {
    def->n_dev = q[0];
    q++;
    for (unsigned i = 0; i < def->n_dev; i++, q += 3) {
      struct gk__fit_ddef *f = &def->dev[i];
      f->num = q[0];
      f->size = q[1];
      f->dev_index = q[2];
      f->off = off;
      f->gen = 0;
      f->desc = NULL;
      off += f->size;
      max_values += f->size;
    }
  }
  def->data_size = off;
  def->max_values = max_values;
  def->valid = 1;
  d->stats.definitions++;
  return GK_OK;
}

static int step_definition(gk_fit_decoder *d, const uint8_t *p, size_t n,
                           size_t *used, size_t *need) {
  if (n < 6) return (*need = 6), GK__NEED;
  if (p[2] > 1)
    return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                        "definition has an unknown architecture byte",
                        d->pos + 2);
  size_t total = 6 + 3 * (size_t)p[5];
  int has_dev = (p[0] & 0x20) != 0;
  if (has_dev) {
    if (n < total + 1) return (*need = total + 1), GK__NEED;
    total += 1 + 3 * (size_t)p[total];
  }
  if (n < total) return (*need = total), GK__NEED;
  if (d->pos + total > d->data_end)
    return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                        "definition runs past the end of the data section",
                        d->pos);
  gk_status st = compile_definition(d, p, has_dev);
  if (st != GK_OK) return st;
  *used = total;
  return GK_OK;
}

/* ---- data records ------------------------------------------------------- */

static int step_data(gk_fit_decoder *d, const uint8_t *p, size_t n,
                     size_t *used, size_t *need) {
  uint8_t h = p[0];
  int compressed = (h & 0x80) != 0;
  uint8_t local = compressed ? (uint8_t)((h >> 5) & 0x03) : (uint8_t)(h & 0x0F);
  struct gk__fit_def *def = d->defs[local];
  if (def == NULL || !def->valid)
    return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                        "data message uses a local message type that has no "
                        "definition",
                        d->pos);
  size_t total = 1 + (size_t)def->data_size;
  if (n < total) return (*need = total), GK__NEED;
  if (d->pos + total > d->data_end)
    return gk__fit_fail(d, GK_CORRUPT(GK_E_CORRUPT),
                        "data message runs past the end of the data section",
                        d->pos);
  uint32_t ctime = 0;
  if (compressed) {
    /* Five bits of time offset, rolling over every 32 s relative to the
       last full timestamp. */
    uint32_t offset = h & 0x1F;
    uint32_t last = d->last_timestamp;
    ctime = (last & ~0x1Fu) + offset;
    if (offset < (last & 0x1Fu)) ctime += 0x20;
    d->last_timestamp = ctime;
  }
  gk_status st = gk__fit_data_message(d, def, local, p + 1, d->pos, compressed,
                                      ctime);
  if (st != GK_OK) return st;
  *used = total;
  return GK_OK;
}

/* ---- the state machine -------------------------------------------------- */

static int step(gk_fit_decoder *d, const uint8_t *p, size_t n, size_t *used,
                size_t *need, int direct) {
  int st;
  switch (d->state) {
    case GK__FIT_ST_HEADER:
      return step_header(d, p, n, used, need); /* CRC starts inside */
    case GK__FIT_ST_RECORDS:
      if (n < 1) return (*need = 1), GK__NEED;
      st = (p[0] & 0xC0) == 0x40 ? step_definition(d, p, n, used, need)
                                 : step_data(d, p, n, used, need);
      /* In the caller's buffer the CRC runs over long spans (see
         gk_fit_feed); a record completed in the pending buffer is added
         here. */
      if (st == GK_OK && !direct) d->crc = gk_fit_crc16(d->crc, p, *used);
      return st;
    case GK__FIT_ST_CRC: {
      if (n < 2) return (*need = 2), GK__NEED;
      if (gk__rd_u16le(p) != d->crc) {
        if (!(d->options & GK_FIT_ACCEPT_BAD_CRC))
          return gk__fit_fail(d, GK_E_CRC, "file CRC does not match", d->pos);
        d->stats.crc_mismatches++;
      }
      d->state = GK__FIT_ST_HEADER;
      *used = 2;
      return GK_OK;
    }
    default:
      return d->err.code ? d->err.code : GK_E_ARG;
  }
}

static int ensure_pend(gk_fit_decoder *d, size_t need) {
  if (need <= d->pend_cap) return 1;
  size_t cap = d->pend_cap ? d->pend_cap : 256;
  while (cap < need) cap *= 2;
  uint8_t *np = (uint8_t *)d->alloc->realloc(d->alloc->ctx, d->pend,
                                             d->pend_cap, cap);
  if (np == NULL) return 0;
  d->pend = np;
  d->pend_cap = cap;
  return 1;
}

static gk_status feed(gk_fit_decoder *d, const void *buf, size_t len) {
  const uint8_t *p = (const uint8_t *)buf;
  const uint8_t *crc_from = NULL; /* records in buf not yet in d->crc */
  int st = GK_OK;
  if (d == NULL || (p == NULL && len > 0)) return GK_E_ARG;
  if (d->state == GK__FIT_ST_FAILED) return d->err.code;
#define FLUSH_CRC()                                                    \
  do {                                                                 \
    if (crc_from) d->crc = gk_fit_crc16(d->crc, crc_from, (size_t)(p - crc_from)); \
    crc_from = NULL;                                                   \
  } while (0)
  for (;;) {
    if (d->state == GK__FIT_ST_RECORDS && d->pos >= d->data_end) {
      FLUSH_CRC();
      d->state = GK__FIT_ST_CRC;
    }
    size_t used = 0, need = 0;
    if (d->pend_len > 0) {
      st = step(d, d->pend, d->pend_len, &used, &need, 0);
      if (st == GK__NEED) {
        if (len == 0) return GK_OK;
        if (!ensure_pend(d, need))
          return gk__fit_fail(d, GK_E_NOMEM, "out of memory", d->pos);
        size_t take = need - d->pend_len;
        if (take > len) take = len;
        memcpy(d->pend + d->pend_len, p, take);
        d->pend_len += take;
        p += take;
        len -= take;
        continue;
      }
      if (st != GK_OK) return (gk_status)st;
      d->pend_len = 0;
    } else {
      if (len == 0) break;
      if (d->state == GK__FIT_ST_RECORDS) {
        /* The hot loop: whole data records in the caller's buffer, with
           the checks of step_data; anything else (definitions, errors,
           records that run past the buffer or the data section) goes the
           ordinary way below. */
        uint64_t pos = d->pos;
        const uint64_t end = d->data_end;
        const uint8_t *q = p;
        size_t left = len;
        while (left > 0 && pos < end) {
          uint8_t h = q[0];
          if ((h & 0xC0) == 0x40) break; /* a definition */
          int compressed = (h & 0x80) != 0;
          uint8_t local =
              compressed ? (uint8_t)((h >> 5) & 0x03) : (uint8_t)(h & 0x0F);
          struct gk__fit_def *def = d->defs[local];
          if (def == NULL || !def->valid) break;
          size_t total = 1 + (size_t)def->data_size;
          if (left < total || pos + total > end) break;
          uint32_t ctime = 0;
          if (compressed) {
            uint32_t toff = h & 0x1F;
            uint32_t last = d->last_timestamp;
            ctime = (last & ~0x1Fu) + toff;
            if (toff < (last & 0x1Fu)) ctime += 0x20;
            d->last_timestamp = ctime;
          }
          if (crc_from == NULL) crc_from = q;
          gk_status dst =
              gk__fit_data_message(d, def, local, q + 1, pos, compressed, ctime);
          if (dst != GK_OK) {
            d->pos = pos;
            return dst;
          }
          q += total;
          left -= total;
          pos += total;
        }
        d->pos = pos;
        p = q;
        len = left;
        if (left == 0 || pos >= end) continue;
      }
      int in_records = d->state == GK__FIT_ST_RECORDS;
      st = step(d, p, len, &used, &need, 1);
      if (st == GK__NEED) {
        FLUSH_CRC();
        if (!ensure_pend(d, need))
          return gk__fit_fail(d, GK_E_NOMEM, "out of memory", d->pos);
        memcpy(d->pend, p, len);
        d->pend_len = len;
        p += len;
        len = 0;
        break;
      }
      if (st != GK_OK) return (gk_status)st;
      if (in_records && crc_from == NULL) crc_from = p;
      p += used;
      len -= used;
    }
    d->pos += used;
  }
  FLUSH_CRC();
#undef FLUSH_CRC
  return GK_OK;
}

/* stats.bytes: the input consumed, decoded or held pending; after a
   failure, up to the start of the unit that failed, however the input was
   chunked. */
gk_status gk_fit_feed(gk_fit_decoder *d, const void *buf, size_t len) {
  if (d == NULL) return GK_E_ARG;
  int was_failed = d->state == GK__FIT_ST_FAILED;
  gk_status st = feed(d, buf, len);
  if (!was_failed)
    d->stats.bytes =
        d->state == GK__FIT_ST_FAILED ? d->pos : d->pos + d->pend_len;
  return st;
}

gk_status gk_fit_finish(gk_fit_decoder *d) {
  if (d == NULL) return GK_E_ARG;
  if (d->state == GK__FIT_ST_FAILED) return d->err.code;
  if (d->state == GK__FIT_ST_RECORDS && d->pos >= d->data_end && d->pend_len == 0)
    d->state = GK__FIT_ST_CRC;
  if (d->state == GK__FIT_ST_HEADER && d->pend_len == 0) {
    if (d->stats.files == 0)
      return gk__fit_fail(d, GK_E_TRUNCATED, "empty input: no FIT header",
                          d->pos + d->pend_len);
    return GK_OK;
  }
  const char *msg;
  if (d->state == GK__FIT_ST_HEADER)
    msg = "input ends inside a FIT file header (truncated)";
  else if (d->state == GK__FIT_ST_CRC)
    msg = "input ends before the file CRC (truncated)";
  else if (d->pend_len > 0)
    msg = "input ends inside a record (truncated)";
  else
    msg = "input ends before the end of the data section the header declares "
          "(truncated)";
  d->stats.bytes = d->pos + d->pend_len;
  return gk__fit_fail(d, GK_E_TRUNCATED, msg, d->pos + d->pend_len);
}

/* ---- lifecycle ---------------------------------------------------------- */

gk_status gk_fit_decoder_new(gk_fit_decoder **out, const gk_alloc *alloc,
                             unsigned options, gk_fit_mesg_cb cb, void *user) {
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  alloc = gk__alloc_or_default(alloc);
  gk_fit_decoder *d =
      (gk_fit_decoder *)alloc->malloc(alloc->ctx, sizeof(gk_fit_decoder));
  if (d == NULL) return GK_E_NOMEM;
  memset(d, 0, sizeof *d);
  d->alloc = alloc;
  d->options = options;
  d->cb = cb;
  d->user = user;
  d->state = GK__FIT_ST_HEADER;
  d->devdesc_gen = 1;
  *out = d;
  return GK_OK;
}

void gk_fit_decoder_free(gk_fit_decoder *d) {
  if (d == NULL) return;
  const gk_alloc *a = d->alloc;
  for (int i = 0; i < 16; i++)
    if (d->defs[i]) a->free(a->ctx, d->defs[i], sizeof(struct gk__fit_def));
  a->free(a->ctx, d->pend, d->pend_cap);
  a->free(a->ctx, d->devdescs, d->cap_devdescs * sizeof *d->devdescs);
  a->free(a->ctx, d->fields, d->cap_fields * sizeof *d->fields);
  a->free(a->ctx, d->fidx, d->cap_fields * sizeof *d->fidx);
  a->free(a->ctx, d->vals, d->cap_vals * sizeof *d->vals);
  a->free(a->ctx, d->text, d->cap_text);
  a->free(a->ctx, d, sizeof *d);
}

const gk_err *gk_fit_error(const gk_fit_decoder *d) { return &d->err; }

const gk_fit_stats *gk_fit_decoder_stats(const gk_fit_decoder *d) {
  return &d->stats;
}

gk_status gk_fit_decode(const void *buf, size_t len, unsigned options,
                        gk_fit_mesg_cb cb, void *user, gk_err *err,
                        gk_fit_stats *stats) {
  gk_fit_decoder *d;
  gk_status st = gk_fit_decoder_new(&d, NULL, options, cb, user);
  if (st != GK_OK) {
    gk__set_err(err, st, gk_strerror(st), 0);
    return st;
  }
  st = gk_fit_feed(d, buf, len);
  if (st == GK_OK) st = gk_fit_finish(d);
  if (err) *err = d->err;
  if (stats) *stats = d->stats;
  gk_fit_decoder_free(d);
  return st;
}
