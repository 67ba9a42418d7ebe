/*
** c3d_params.c -- the C3D parameter section: groups and parameters of every
** type, walked through their "next" offsets with bounds checks.
**
** An entry: int8 name length (negative = locked), int8 group id (negative
** = a group, positive = a parameter of that group), the name, int16 offset
** of the next entry counted from this word, then for a parameter: int8 type
** (-1 char, 1 byte, 2 int16, 4 float), uint8 dimension count (0..7), the
** dimensions (uint8), the data; and for both a description (uint8 length,
** text).  A zero name length or a zero offset ends the chain.  The chain
** must move forward and stay inside the section, so a loop or a wild
** pointer ends the walk with an error instead of looping.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "formats/c3d/c3d_internal.h"
#include "gaitkeeper/capture.h"

uint16_t gk__c3d_u16(const gk__c3d *c, const uint8_t *p) {
  return c->proc == GK__C3D_MIPS ? gk__rd_u16be(p) : gk__rd_u16le(p);
}

double gk__c3d_f32(const gk__c3d *c, const uint8_t *p) {
  uint32_t u;
  float f;
  if (c->proc == GK__C3D_MIPS) {
    u = gk__rd_u32be(p);
  } else if (c->proc == GK__C3D_DEC) {
    /* DEC F: the two 16-bit words swapped; then the IEEE reading is 4x
       the value.  A zero exponent is zero (or DEC's reserved operand). */
    u = ((uint32_t)gk__rd_u16le(p) << 16) | gk__rd_u16le(p + 2);
    if (((u >> 23) & 0xffu) == 0) return 0.0;
    memcpy(&f, &u, sizeof f);
    return (double)f / 4.0;
  } else {
    u = gk__rd_u32le(p);
  }
  memcpy(&f, &u, sizeof f);
  return (double)f;
}

static gk_status fail(gk_err *err, gk_status code, const char *msg,
                      size_t off) {
  gk__set_err(err, code, msg, off);
  return GK_CORRUPT(code);
}

gk_status gk__c3d_walk_params(gk__c3d *c, size_t start, size_t end,
                              gk_err *err) {
  const uint8_t *b = c->buf;
  size_t cap = 0;
  size_t pos = start;
  c->params = NULL;
  c->n_params = 0;
  if (end > c->len) end = c->len;
  for (;;) {
    if (pos + 2 > end)
      return fail(err, GK_E_TRUNCATED,
                  "C3D parameter section ends inside an entry", end);
    int nl = (int8_t)b[pos];
    int gid = (int8_t)b[pos + 1];
    if (nl == 0 || gid == 0) break; /* end of the chain */
    size_t namelen = (size_t)(nl < 0 ? -nl : nl);
    size_t word = pos + 2 + namelen; /* the "next" offset */
    if (word + 2 > end)
      return fail(err, GK_E_TRUNCATED,
                  "C3D parameter section ends inside an entry", end);
    int next = (int16_t)gk__c3d_u16(c, b + word);
    gk__c3d_param prm;
    memset(&prm, 0, sizeof prm);
    prm.name = b + pos + 2;
    prm.name_len = namelen;
    prm.group = gid;
    prm.locked = nl < 0;
    prm.offset = pos;
    size_t q = word + 2;
    if (gid > 0) {
      if (q + 2 > end)
        return fail(err, GK_E_TRUNCATED,
                    "C3D parameter section ends inside an entry", end);
      prm.type = (int8_t)b[q];
      prm.n_dims = b[q + 1];
      size_t esize;
      switch (prm.type) {
        case -1: esize = 1; break;
        case 1: esize = 1; break;
        case 2: esize = 2; break;
        case 4: esize = 4; break;
        default:
          return fail(err, GK_E_CORRUPT,
                      "C3D parameter type is not -1, 1, 2 or 4", q);
      }
      if (prm.n_dims > 7)
        return fail(err, GK_E_CORRUPT,
                    "C3D parameter has more than 7 dimensions", q + 1);
      q += 2;
      if (q + prm.n_dims > end)
        return fail(err, GK_E_TRUNCATED,
                    "C3D parameter section ends inside an entry", end);
      size_t n = 1;
      for (unsigned d = 0; d < prm.n_dims; d++) {
        prm.dims[d] = b[q + d];
        n *= prm.dims[d]; /* at most 255^7 < 2^56: no overflow */
      }
      q += prm.n_dims;
      size_t bytes;
      if (!gk__mul_ok(n, esize, &bytes) || bytes > end - q)
        return fail(err, GK_E_TRUNCATED,
                    "C3D parameter data run past the parameter section", q);
      prm.n_elems = n;
      prm.data = b + q;
    }
    if (c->n_params == cap) {
      if (cap >= GK_MAX_C3D_PARAMS)
        return fail(err, GK_E_LIMIT, "C3D file has too many parameters", pos);
      size_t ncap = cap ? cap * 2 : 64;
      gk__c3d_param *np =
          (gk__c3d_param *)realloc(c->params, ncap * sizeof *np);
      if (np == NULL) return fail(err, GK_E_NOMEM, "out of memory", pos);
      c->params = np;
      cap = ncap;
    }
    c->params[c->n_params++] = prm;
    if (next == 0) break;
    if (next < 0)
      return fail(err, GK_E_CORRUPT,
                  "C3D parameter chain points backwards (a loop)", word);
    size_t npos = word + (size_t)next;
    if (npos <= pos) /* cannot happen with next > 0; kept as a guard */
      return fail(err, GK_E_CORRUPT,
                  "C3D parameter chain points backwards (a loop)", word);
    if (npos > end)
      return fail(err, GK_E_CORRUPT,
                  "C3D parameter chain points outside the parameter section",
                  word);
    if (npos == end) break;
    pos = npos;
  }
  return GK_OK;
}

static int name_eq(const uint8_t *a, size_t n, const char *s) {
  size_t m = strlen(s);
  if (m != n) return 0;
  for (size_t i = 0; i < n; i++) {
    int x = a[i], y = (unsigned char)s[i];
    if (x >= 'a' && x <= 'z') x -= 32;
    if (y >= 'a' && y <= 'z') y -= 32;
    if (x != y) return 0;
  }
  return 1;
}

const gk__c3d_param *gk__c3d_find(const gk__c3d *c, const char *group,
                                  const char *name) {
  for (size_t g = 0; g < c->n_params; g++) {
    const gk__c3d_param *gp = &c->params[g];
    if (gp->group >= 0 || !name_eq(gp->name, gp->name_len, group)) continue;
    int id = -gp->group;
    for (size_t i = 0; i < c->n_params; i++) {
      const gk__c3d_param *p = &c->params[i];
      if (p->group == id && name_eq(p->name, p->name_len, name)) return p;
    }
  }
  return NULL;
}

double gk__c3d_num(const gk__c3d *c, const gk__c3d_param *p, size_t i,
                   int unsigned_int) {
  if (p == NULL || i >= p->n_elems) return NAN;
  switch (p->type) {
    case 1: return (double)p->data[i];
    case 2: {
      uint16_t u = gk__c3d_u16(c, p->data + 2 * i);
      return unsigned_int ? (double)u : (double)(int16_t)u;
    }
    case 4: return gk__c3d_f32(c, p->data + 4 * i);
    default: return NAN;
  }
}

size_t gk__c3d_n_str(const gk__c3d_param *p) {
  if (p == NULL || p->type != -1) return 0;
  if (p->n_dims == 0) return 1;
  size_t n = 1;
  for (unsigned d = 1; d < p->n_dims; d++) n *= p->dims[d];
  return n;
}

int gk__c3d_str(const gk__c3d_param *p, size_t i, const char **s, size_t *n) {
  if (i >= gk__c3d_n_str(p)) return 0;
  size_t w = p->n_dims == 0 ? 1 : p->dims[0];
  *s = (const char *)p->data + i * w;
  *n = w;
  return 1;
}
