/*
** fit_values.c -- the decoder's output storage, strings and the reading of
** a field's values (arrays, invalid values, bytes for odd sizes).
*/
#include "fit_values.h"

/* ---- storage ------------------------------------------------------------ */

int gk__fit_grow(gk_fit_decoder *d, void **p, size_t *cap, size_t elem,
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

int gk__fit_reserve_fields_slow(gk_fit_decoder *d, size_t need) {
  size_t cap = d->cap_fields;
  if (!gk__fit_grow(d, (void **)&d->fields, &cap, sizeof *d->fields, need)) return 0;
  cap = d->cap_fields;
  if (!gk__fit_grow(d, (void **)&d->fidx, &cap, sizeof *d->fidx, need)) return 0;
  d->cap_fields = cap;
  return 1;
}


/* ---- strings ------------------------------------------------------------ */

/* Copy valid UTF-8 from src, dropping invalid sequences and U+FFFD, as the
   SDK's TextDecoder-then-strip does.  Returns the bytes written. */
static size_t utf8_clean(char *dst, const uint8_t *s, size_t n) {
  size_t o = 0, i = 0;
  while (i < n) {
    size_t len = gk__utf8_len(s + i, n - i);
    if (len == 0) { /* not UTF-8: dropped */
      i++;
      continue;
    }
    if (!(len == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD)) {
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
int gk__fit_add_string(gk_fit_decoder *d, const uint8_t *p, size_t n,
                      int all_parts) {
  size_t need = d->n_text + n + 2;
  if (need > d->cap_text) {
    /* Strings of earlier fields point into text: keep offsets, fix later. */
    size_t cap = d->cap_text;
    char *old = d->text;
    if (!gk__fit_grow(d, (void **)&d->text, &cap, 1, need)) return -1;
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

gk_fit_field *gk__fit_new_field(gk_fit_decoder *d, size_t *nf, const char *name,
                               const char *units, uint8_t num, uint8_t base,
                               uint8_t flags) {
  if (!reserve_fields(d, *nf + 1)) return NULL;
  d->fix_values = 1; /* values are set from fidx at the end */
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

/*
** Read a field's values from the record into the value pool.
** x: the transformation (NULL: raw).  is_array: the profile declares an
** array (-1: not in the profile, an array when several values).
** Returns the number of values added; 0 means the field is left out.
*/
int gk__fit_read_values(gk_fit_decoder *d, const struct gk__fit_fdef *f,
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
  if (f->base == GK_FIT_STRING) return gk__fit_add_string(d, p, f->size, 0);
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

