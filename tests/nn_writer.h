/*
** nn_writer.h -- a tiny TFLite flatbuffer writer for the tests and the fuzz
** seeds: enough of the schema to write small models (tensors with FLOAT32,
** FLOAT16 or INT32 buffers and optional sparsity, operators with options
** tables).  Objects are built as a small tree, then written front to back
** (each table's vtable just before it, children after their parent, as
** unsigned offsets require).  Test code: aborts on misuse, never on input.
*/
#ifndef GK_NN_WRITER_H
#define GK_NN_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TW_MAX_NODES 1024
#define TW_MAX_FIELDS 12
#define TW_MAX_ITEMS 64

enum { TW_TABLE, TW_VEC, TW_TABVEC };

typedef struct tw_node {
  int kind;
  int nf;
  struct {
    int id, size;
    uint64_t v;
    struct tw_node *ref;
  } f[TW_MAX_FIELDS];
  const void *data; /* TW_VEC: count * esize bytes (copied at write) */
  uint32_t count;
  int esize;
  struct tw_node *items[TW_MAX_ITEMS];
} tw_node;

typedef struct tw {
  tw_node nodes[TW_MAX_NODES];
  int n;
  uint8_t *b;
  size_t len, cap;
} tw;

static tw_node *tw_new(tw *w, int kind) {
  if (w->n >= TW_MAX_NODES) abort();
  tw_node *x = &w->nodes[w->n++];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  return x;
}
static tw_node *tw_table(tw *w) { return tw_new(w, TW_TABLE); }
static void tw_scalar(tw_node *t, int id, int size, uint64_t v) {
  if (t->nf >= TW_MAX_FIELDS) abort();
  t->f[t->nf].id = id;
  t->f[t->nf].size = size;
  t->f[t->nf].v = v;
  t->f[t->nf].ref = NULL;
  t->nf++;
}
static void tw_i32(tw_node *t, int id, int32_t v) { tw_scalar(t, id, 4, (uint32_t)v); }
static void tw_u8(tw_node *t, int id, int v) { tw_scalar(t, id, 1, (uint8_t)v); }
static void tw_ref(tw_node *t, int id, tw_node *child) {
  tw_scalar(t, id, 4, 0);
  t->f[t->nf - 1].ref = child;
}
static tw_node *tw_vec(tw *w, const void *data, uint32_t count, int esize) {
  tw_node *v = tw_new(w, TW_VEC);
  v->data = data;
  v->count = count;
  v->esize = esize;
  return v;
}
static tw_node *tw_str(tw *w, const char *s) {
  return tw_vec(w, s, (uint32_t)strlen(s), 1);
}
static tw_node *tw_tabvec(tw *w, tw_node *const *items, int n) {
  tw_node *v = tw_new(w, TW_TABVEC);
  if (n > TW_MAX_ITEMS) abort();
  v->count = (uint32_t)n;
  for (int k = 0; k < n; k++) v->items[k] = items[k];
  return v;
}

static size_t tw_grow(tw *w, size_t n) {
  size_t at = (w->len + 3) & ~(size_t)3;
  if (at + n > w->cap) {
    w->cap = (at + n) * 2 + 64;
    w->b = (uint8_t *)realloc(w->b, w->cap);
    if (w->b == NULL) abort();
  }
  memset(w->b + w->len, 0, at + n - w->len);
  w->len = at + n;
  return at;
}
static void tw_w32(tw *w, size_t at, uint32_t v) {
  for (int k = 0; k < 4; k++) w->b[at + k] = (uint8_t)(v >> (8 * k));
}

static size_t tw_emit(tw *w, tw_node *x);

/* Write child and point the offset slot at it. */
static void tw_link(tw *w, size_t slot, tw_node *child) {
  size_t at = tw_emit(w, child);
  tw_w32(w, slot, (uint32_t)(at - slot));
}

static size_t tw_emit(tw *w, tw_node *x) {
  if (x->kind == TW_VEC) {
    size_t bytes = (size_t)x->count * (size_t)x->esize;
    size_t at = tw_grow(w, 4 + bytes + 1); /* strings keep a NUL */
    tw_w32(w, at, x->count);
    if (bytes) memcpy(w->b + at + 4, x->data, bytes);
    return at;
  }
  if (x->kind == TW_TABVEC) {
    size_t at = tw_grow(w, 4 + 4 * (size_t)x->count);
    tw_w32(w, at, x->count);
    for (uint32_t k = 0; k < x->count; k++)
      tw_link(w, at + 4 + 4 * k, x->items[k]);
    return at;
  }
  /* Table: vtable, then soffset and the fields (4 bytes each). */
  int maxid = -1;
  for (int k = 0; k < x->nf; k++)
    if (x->f[k].id > maxid) maxid = x->f[k].id;
  size_t vtlen = 4 + 2 * (size_t)(maxid + 1);
  size_t vt = tw_grow(w, (vtlen + 3) & ~(size_t)3);
  size_t tlen = 4 + 4 * (size_t)x->nf;
  size_t t = tw_grow(w, tlen);
  w->b[vt] = (uint8_t)vtlen;
  w->b[vt + 1] = (uint8_t)(vtlen >> 8);
  w->b[vt + 2] = (uint8_t)tlen;
  w->b[vt + 3] = (uint8_t)(tlen >> 8);
  tw_w32(w, t, (uint32_t)(int32_t)(t - vt));
  for (int k = 0; k < x->nf; k++) {
    size_t off = 4 + 4 * (size_t)k;
    w->b[vt + 4 + 2 * x->f[k].id] = (uint8_t)off;
    w->b[vt + 5 + 2 * x->f[k].id] = (uint8_t)(off >> 8);
    uint64_t v = x->f[k].v;
    for (int q = 0; q < x->f[k].size; q++) w->b[t + off + q] = (uint8_t)(v >> (8 * q));
  }
  for (int k = 0; k < x->nf; k++)
    if (x->f[k].ref) tw_link(w, t + 4 + 4 * (size_t)k, x->f[k].ref);
  return t;
}

/* ---- models ------------------------------------------------------------- */

#define TM_MAX 64

typedef struct tm {
  tw w;
  tw_node *tensors[TM_MAX], *ops[TM_MAX], *bufs[TM_MAX], *codes[TM_MAX];
  int nt, nop, nbuf, ncodes;
  int code_val[TM_MAX];
  int32_t in[8], out[8];
  int nin, nout;
  /* copies of small arrays the nodes point at */
  int32_t ints[4096];
  int nints;
} tm;

static void tm_init(tm *m) {
  memset(m, 0, sizeof *m);
  m->bufs[m->nbuf++] = tw_table(&m->w); /* buffer 0: empty */
}

static const int32_t *tm_ints(tm *m, const int32_t *v, int n) {
  if (m->nints + n > 4096) abort();
  int32_t *p = m->ints + m->nints;
  memcpy(p, v, (size_t)n * sizeof *v);
  m->nints += n;
  return p;
}

/* A tensor; data (len bytes, copied by the caller's lifetime: kept until
   tm_finish) makes it a constant.  type 0 FLOAT32, 1 FLOAT16, 2 INT32. */
static int tm_tensor(tm *m, const char *name, int rank, const int32_t *dims,
                     int type, const void *data, size_t len,
                     tw_node *sparsity) {
  tw *w = &m->w;
  tw_node *t = tw_table(w);
  tw_ref(t, 0, tw_vec(w, tm_ints(m, dims, rank), (uint32_t)rank, 4));
  tw_u8(t, 1, type);
  if (data) {
    tw_node *b = tw_table(w);
    tw_ref(b, 0, tw_vec(w, data, (uint32_t)len, 1));
    tw_i32(t, 2, m->nbuf);
    m->bufs[m->nbuf++] = b;
  }
  tw_ref(t, 3, tw_str(w, name));
  if (sparsity) tw_ref(t, 6, sparsity);
  m->tensors[m->nt] = t;
  return m->nt++;
}

static int tm_code(tm *m, int code) {
  for (int k = 0; k < m->ncodes; k++)
    if (m->code_val[k] == code) return k;
  tw_node *c = tw_table(&m->w);
  tw_u8(c, 0, code > 127 ? 127 : code);
  tw_i32(c, 3, code);
  tw_i32(c, 2, 1);
  m->code_val[m->ncodes] = code;
  m->codes[m->ncodes] = c;
  return m->ncodes++;
}

/* An operator; opts (a table or NULL) with its BuiltinOptions type. */
static void tm_op(tm *m, int code, const int32_t *in, int nin, int32_t out,
                  tw_node *opts, int opt_type) {
  tw *w = &m->w;
  tw_node *o = tw_table(w);
  tw_i32(o, 0, tm_code(m, code));
  tw_ref(o, 1, tw_vec(w, tm_ints(m, in, nin), (uint32_t)nin, 4));
  tw_ref(o, 2, tw_vec(w, tm_ints(m, &out, 1), 1, 4));
  if (opts) {
    tw_u8(o, 3, opt_type);
    tw_ref(o, 4, opts);
  }
  m->ops[m->nop++] = o;
}

/* The file (malloc'ed, *len bytes). */
static uint8_t *tm_finish(tm *m, size_t *len) {
  tw *w = &m->w;
  tw_node *sg = tw_table(w);
  tw_ref(sg, 0, tw_tabvec(w, m->tensors, m->nt));
  tw_ref(sg, 1, tw_vec(w, tm_ints(m, m->in, m->nin), (uint32_t)m->nin, 4));
  tw_ref(sg, 2, tw_vec(w, tm_ints(m, m->out, m->nout), (uint32_t)m->nout, 4));
  tw_ref(sg, 3, tw_tabvec(w, m->ops, m->nop));
  tw_node *model = tw_table(w);
  tw_i32(model, 0, 3);
  tw_ref(model, 1, tw_tabvec(w, m->codes, m->ncodes));
  tw_ref(model, 2, tw_tabvec(w, &sg, 1));
  tw_ref(model, 4, tw_tabvec(w, m->bufs, m->nbuf));
  size_t hdr = tw_grow(w, 8);
  memcpy(w->b + hdr + 4, "TFL3", 4);
  tw_link(w, hdr, model);
  *len = w->len;
  uint8_t *out = w->b;
  w->b = NULL;
  w->len = w->cap = 0;
  return out;
}

/* Options tables (schema.fbs field order). */
static tw_node *tm_conv_opts(tm *m, int same, int sw, int sh, int act,
                             int dw, int dh) {
  tw_node *o = tw_table(&m->w);
  tw_u8(o, 0, same ? 0 : 1);
  tw_i32(o, 1, sw);
  tw_i32(o, 2, sh);
  tw_u8(o, 3, act);
  tw_i32(o, 4, dw);
  tw_i32(o, 5, dh);
  return o;
}
static tw_node *tm_dw_opts(tm *m, int same, int sw, int sh, int mult,
                           int act) {
  tw_node *o = tw_table(&m->w);
  tw_u8(o, 0, same ? 0 : 1);
  tw_i32(o, 1, sw);
  tw_i32(o, 2, sh);
  tw_i32(o, 3, mult);
  tw_u8(o, 4, act);
  return o;
}
static tw_node *tm_pool_opts(tm *m, int same, int sw, int sh, int fw, int fh,
                             int act) {
  tw_node *o = tw_table(&m->w);
  tw_u8(o, 0, same ? 0 : 1);
  tw_i32(o, 1, sw);
  tw_i32(o, 2, sh);
  tw_i32(o, 3, fw);
  tw_i32(o, 4, fh);
  tw_u8(o, 5, act);
  return o;
}
static tw_node *tm_act_opts(tm *m, int act) { /* AddOptions */
  tw_node *o = tw_table(&m->w);
  tw_u8(o, 0, act);
  return o;
}
static tw_node *tm_int_opts(tm *m, int32_t v) { /* DepthToSpace */
  tw_node *o = tw_table(&m->w);
  tw_i32(o, 0, v);
  return o;
}
static tw_node *tm_concat_opts(tm *m, int axis, int act) {
  tw_node *o = tw_table(&m->w);
  tw_i32(o, 0, axis);
  tw_u8(o, 1, act);
  return o;
}
static tw_node *tm_resize_opts(tm *m, int align, int half) {
  tw_node *o = tw_table(&m->w);
  tw_u8(o, 2, align);
  tw_u8(o, 3, half);
  return o;
}

/* IEEE half from float (round to nearest; normal range only, for tests). */
static uint16_t tm_half(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  uint32_t s = (u >> 16) & 0x8000u;
  int e = (int)((u >> 23) & 0xff) - 127 + 15;
  uint32_t mant = u & 0x7fffffu;
  if ((u & 0x7fffffffu) == 0) return (uint16_t)s;
  if (e <= 0 || e >= 31) abort();
  uint32_t h = s | ((uint32_t)e << 10) | (mant >> 13);
  if (mant & 0x1000u) h++;
  return (uint16_t)h;
}

#endif /* GK_NN_WRITER_H */
