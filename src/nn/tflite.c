/*
** src/nn/tflite.c -- a bounds-checked TFLite flatbuffer reader into
** gk_nn_model.
**
** Every offset, vtable and vector length is checked against the buffer
** before it is read; nothing recurses except the sparse traversal, whose
** depth is bounded by GK_NN_TFL_MAX_SPARSE_DIMS.  Only subgraph 0 is read.
** Constants are widened to float32 (FLOAT16), DEQUANTIZE and DENSIFY of
** constants are folded, INT32 operands (PAD paddings, RESIZE sizes,
** RESHAPE shapes) become operator parameters, operators that feed no kept
** output are dropped and the tensor list is compacted to what remains.
** Each kept operator's shapes are checked so that a runner never reads
** outside a tensor.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "nn/nn_internal.h"

/* Expanded dimensions of a sparse tensor (rank + blocked dimensions). */
#define GK_NN_TFL_MAX_SPARSE_DIMS 8
/* Largest dilated filter extent, (k - 1) * dilation, along one axis. */
#define GK_NN_TFL_MAX_WINDOW 65536
/* Longest tensor name kept (longer names are cut). */
#define GK_NN_TFL_MAX_NAME 256u

/* TFLite enum values used here (schema.fbs). */
enum {
  TFL_ADD = 0, TFL_CONCATENATION = 2, TFL_CONV_2D = 3,
  TFL_DEPTHWISE_CONV_2D = 4, TFL_DEPTH_TO_SPACE = 5, TFL_DEQUANTIZE = 6,
  TFL_LOGISTIC = 14, TFL_MAX_POOL_2D = 17, TFL_RESHAPE = 22,
  TFL_RESIZE_BILINEAR = 23, TFL_PAD = 34, TFL_DENSIFY = 124
};
enum { TT_FLOAT32 = 0, TT_FLOAT16 = 1, TT_INT32 = 2 };

/* ---- arena -------------------------------------------------------------- */

typedef struct gk_nn_chunk {
  struct gk_nn_chunk *next;
  max_align_t data[];
} gk_nn_chunk;

static void *arena_alloc(gk_nn_model *m, size_t n) {
  size_t total;
  if (!gk__add_ok(n, sizeof(gk_nn_chunk), &total)) return NULL;
  gk_nn_chunk *c = (gk_nn_chunk *)calloc(1, total);
  if (c == NULL) return NULL;
  c->next = (gk_nn_chunk *)m->arena_;
  m->arena_ = c;
  return c->data;
}

void gk_nn_model_free(gk_nn_model *m) {
  if (m == NULL) return;
  gk_nn_chunk *c = (gk_nn_chunk *)m->arena_;
  while (c) {
    gk_nn_chunk *n = c->next;
    free(c);
    c = n;
  }
  free(m);
}

/* ---- flatbuffer access -------------------------------------------------- */

typedef struct fbt {
  size_t pos;      /* table start */
  size_t vt;       /* vtable start */
  unsigned vtlen;  /* vtable bytes */
  unsigned tlen;   /* table inline bytes */
} fbt;

typedef struct rd {
  const uint8_t *b;
  size_t len;
  gk_err *err;
  gk_status st;
} rd;

static int fail(rd *r, gk_status code, const char *msg, uint64_t off) {
  if (r->st == GK_OK) {
    r->st = GK_CORRUPT(code);
    gk__set_err(r->err, r->st, msg, off);
  }
  return 0;
}

static int in_range(const rd *r, size_t pos, size_t n) {
  return pos <= r->len && n <= r->len - pos;
}

/* The table at pos. */
static int fb_table(rd *r, size_t pos, fbt *t) {
  if (!in_range(r, pos, 4))
    return fail(r, GK_E_CORRUPT, "tflite: table offset out of range", pos);
  int32_t so = (int32_t)gk__rd_u32le(r->b + pos);
  int64_t vt = (int64_t)pos - (int64_t)so;
  if (vt < 0 || (uint64_t)vt > r->len || !in_range(r, (size_t)vt, 4) ||
      (vt & 1))
    return fail(r, GK_E_CORRUPT, "tflite: vtable out of range", pos);
  t->pos = pos;
  t->vt = (size_t)vt;
  t->vtlen = gk__rd_u16le(r->b + t->vt);
  t->tlen = gk__rd_u16le(r->b + t->vt + 2);
  if (t->vtlen < 4 || (t->vtlen & 1u) || !in_range(r, t->vt, t->vtlen))
    return fail(r, GK_E_CORRUPT, "tflite: bad vtable size", t->vt);
  if (t->tlen < 4 || !in_range(r, pos, t->tlen))
    return fail(r, GK_E_CORRUPT, "tflite: table runs past the end", pos);
  return 1;
}

/* Absolute position of field id holding size bytes, or 0 when absent. */
static size_t fb_field(rd *r, const fbt *t, unsigned id, size_t size) {
  size_t e = 4 + 2 * (size_t)id;
  if (e + 2 > t->vtlen) return 0;
  unsigned off = gk__rd_u16le(r->b + t->vt + e);
  if (off == 0) return 0;
  if (off < 4 || off + size > t->tlen) {
    fail(r, GK_E_CORRUPT, "tflite: field outside its table", t->pos);
    return 0;
  }
  return t->pos + off;
}

static int32_t fb_i32(rd *r, const fbt *t, unsigned id, int32_t def) {
  size_t p = fb_field(r, t, id, 4);
  return p ? (int32_t)gk__rd_u32le(r->b + p) : def;
}
static uint32_t fb_u32(rd *r, const fbt *t, unsigned id, uint32_t def) {
  size_t p = fb_field(r, t, id, 4);
  return p ? gk__rd_u32le(r->b + p) : def;
}
static int fb_u8(rd *r, const fbt *t, unsigned id, int def) {
  size_t p = fb_field(r, t, id, 1);
  return p ? r->b[p] : def;
}
static int fb_i8(rd *r, const fbt *t, unsigned id, int def) {
  size_t p = fb_field(r, t, id, 1);
  return p ? (int)(int8_t)r->b[p] : def;
}

/* The target of the offset field id: 1 present, 0 absent or bad. */
static int fb_ref(rd *r, const fbt *t, unsigned id, size_t *target) {
  size_t p = fb_field(r, t, id, 4);
  if (p == 0) return 0;
  uint32_t o = gk__rd_u32le(r->b + p);
  if (o == 0 || !in_range(r, p, (size_t)o) || !in_range(r, p + o, 4))
    return fail(r, GK_E_CORRUPT, "tflite: offset out of range", p);
  *target = p + o;
  return 1;
}

/* Vector field id of elements of esize bytes: *start (first element) and
   *n; 1 present, 0 absent (n = 0) or bad. */
static int fb_vec(rd *r, const fbt *t, unsigned id, size_t esize,
                  size_t *start, uint32_t *n) {
  size_t v;
  *n = 0;
  *start = 0;
  if (!fb_ref(r, t, id, &v)) return 0;
  uint32_t cnt = gk__rd_u32le(r->b + v);
  size_t bytes;
  if (!gk__mul_ok(cnt, esize, &bytes) || !in_range(r, v + 4, bytes))
    return fail(r, GK_E_TRUNCATED, "tflite: vector runs past the end", v);
  *start = v + 4;
  *n = cnt;
  return 1;
}

/* Element i of a vector of tables. */
static int fb_vec_table(rd *r, size_t start, uint32_t i, fbt *t) {
  size_t e = start + 4 * (size_t)i;
  uint32_t o = gk__rd_u32le(r->b + e);
  if (o == 0 || !in_range(r, e, o))
    return fail(r, GK_E_CORRUPT, "tflite: table offset out of range", e);
  return fb_table(r, e + o, t);
}

/* A table field (sub-table). */
static int fb_subtable(rd *r, const fbt *t, unsigned id, fbt *out) {
  size_t p;
  if (!fb_ref(r, t, id, &p)) return 0;
  return fb_table(r, p, out);
}

/* ---- the raw graph ------------------------------------------------------ */

typedef struct rawt {
  int type;
  int rank;
  int32_t dims[GK_NN_MAX_RANK];
  size_t count;
  size_t data, data_len;  /* constant bytes in the file (len 0: none) */
  size_t sparsity;        /* table position, 0: dense */
  size_t name, name_len;
  size_t at;              /* the tensor table's offset, for errors */
  const float *f;         /* materialized float32 values */
  int constant;           /* has (or folds to) constant values */
  int producer;           /* raw op index, -1 */
  int needed;
  int32_t newidx;
} rawt;

typedef struct rawop {
  int code;
  size_t at;
  int n_in;
  int32_t in[GK_NN_MAX_OP_INPUTS];
  int32_t out;
  int has_opt;
  fbt opt;
  int live;
} rawop;

typedef struct ctx {
  rd r;
  gk_nn_model *m;
  rawt *t;
  uint32_t nt;
  rawop *op;
  uint32_t nop;
} ctx;

static int read_tensor(ctx *c, fbt *tt, uint32_t i, size_t bufs,
                       uint32_t nbuf) {
  rd *r = &c->r;
  rawt *t = &c->t[i];
  size_t s;
  uint32_t n;
  t->at = tt->pos;
  t->producer = -1;
  t->newidx = -1;
  fb_vec(r, tt, 0, 4, &s, &n);
  if (r->st) return 0;
  if (n > GK_NN_MAX_RANK)
    return fail(r, GK_E_UNSUPPORTED, "tflite: tensor rank above 4", tt->pos);
  t->rank = (int)n;
  t->count = 1;
  for (uint32_t k = 0; k < n; k++) {
    int32_t d = (int32_t)gk__rd_u32le(r->b + s + 4 * k);
    if (d < 1)
      return fail(r, GK_E_CORRUPT, "tflite: tensor dimension below 1",
                  s + 4 * k);
    t->dims[k] = d;
    if (!gk__mul_ok(t->count, (size_t)d, &t->count) ||
        t->count > GK_NN_MAX_ELEMS)
      return fail(r, GK_E_LIMIT, "tflite: tensor above GK_NN_MAX_ELEMS",
                  tt->pos);
  }
  t->type = fb_u8(r, tt, 1, TT_FLOAT32);
  uint32_t b = fb_u32(r, tt, 2, 0);
  if (b >= nbuf && !(b == 0 && nbuf == 0))
    return fail(r, GK_E_CORRUPT, "tflite: tensor buffer index out of range",
                tt->pos);
  if (fb_vec(r, tt, 3, 1, &s, &n)) {
    t->name = s;
    t->name_len = n < GK_NN_TFL_MAX_NAME ? n : GK_NN_TFL_MAX_NAME;
  }
  size_t sp;
  if (fb_ref(r, tt, 6, &sp)) t->sparsity = sp;
  if (r->st) return 0;
  if (nbuf > 0) {
    fbt bt;
    if (!fb_vec_table(r, bufs, b, &bt)) return 0;
    if (fb_vec(r, &bt, 0, 1, &s, &n) && n > 0) {
      t->data = s;
      t->data_len = n;
    } else {
      /* Buffers outside the flatbuffer (models above 2 GB): offset from the
         start of the file. */
      size_t po = fb_field(r, &bt, 1, 8), ps = fb_field(r, &bt, 2, 8);
      if (po && ps) {
        uint64_t o = gk__rd_u64le(r->b + po), z = gk__rd_u64le(r->b + ps);
        if (o > 1 && z > 0) {
          if (o > r->len || z > r->len - o)
            return fail(r, GK_E_TRUNCATED,
                        "tflite: buffer runs past the end", bt.pos);
          t->data = (size_t)o;
          t->data_len = (size_t)z;
        }
      }
    }
  }
  t->constant = t->data_len > 0;
  return r->st == GK_OK;
}

static int read_op(ctx *c, fbt *ot, uint32_t i, const int *codes,
                   uint32_t ncodes) {
  rd *r = &c->r;
  rawop *o = &c->op[i];
  size_t s;
  uint32_t n;
  o->at = ot->pos;
  uint32_t oc = fb_u32(r, ot, 0, 0);
  if (r->st) return 0;
  if (oc >= ncodes)
    return fail(r, GK_E_CORRUPT, "tflite: operator code index out of range",
                ot->pos);
  o->code = codes[oc];
  fb_vec(r, ot, 1, 4, &s, &n);
  if (r->st) return 0;
  if (n > GK_NN_MAX_OP_INPUTS)
    return fail(r, GK_E_UNSUPPORTED, "tflite: operator with over 8 inputs",
                ot->pos);
  o->n_in = (int)n;
  for (uint32_t k = 0; k < n; k++) {
    int32_t x = (int32_t)gk__rd_u32le(r->b + s + 4 * k);
    if (x < -1 || x >= (int32_t)c->nt)
      return fail(r, GK_E_CORRUPT, "tflite: operator input out of range",
                  s + 4 * k);
    o->in[k] = x;
  }
  fb_vec(r, ot, 2, 4, &s, &n);
  if (r->st) return 0;
  if (n != 1)
    return fail(r, GK_E_UNSUPPORTED, "tflite: operator without one output",
                ot->pos);
  o->out = (int32_t)gk__rd_u32le(r->b + s);
  if (o->out < 0 || o->out >= (int32_t)c->nt)
    return fail(r, GK_E_CORRUPT, "tflite: operator output out of range", s);
  o->has_opt = fb_subtable(r, ot, 4, &o->opt);
  return r->st == GK_OK;
}

/* ---- constants ---------------------------------------------------------- */

static float half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) & 1u, e = (h >> 10) & 0x1fu,
           f = h & 0x3ffu;
  float v;
  if (e == 0)
    v = ldexpf((float)f, -24);
  else if (e == 31)
    v = f ? NAN : INFINITY;
  else
    v = ldexpf((float)(f | 0x400u), (int)e - 25);
  return sign ? -v : v;
}

static size_t type_size(int type) {
  switch (type) {
    case TT_FLOAT32: return 4;
    case TT_FLOAT16: return 2;
    case TT_INT32: return 4;
    default: return 0;
  }
}

/* Value k of a raw FLOAT32/FLOAT16 buffer at byte position p. */
static float raw_value(const rd *r, int type, size_t p, size_t k) {
  if (type == TT_FLOAT16) return half_to_float(gk__rd_u16le(r->b + p + 2 * k));
  uint32_t u = gk__rd_u32le(r->b + p + 4 * k);
  float v;
  memcpy(&v, &u, sizeof v);
  return v;
}

typedef struct spvec {
  size_t pos;   /* first element */
  uint32_t n;
  int esize;    /* 4, 2, 1 */
} spvec;

static uint32_t spv_get(const rd *r, const spvec *v, uint32_t i) {
  const uint8_t *p = r->b + v->pos + (size_t)i * (size_t)v->esize;
  return v->esize == 4 ? gk__rd_u32le(p) : v->esize == 2 ? gk__rd_u16le(p) : *p;
}

/* A SparseIndexVector union (type field tid, value field tid + 1). */
static int read_spvec(rd *r, const fbt *dm, unsigned tid, spvec *v) {
  int ty = fb_u8(r, dm, tid, 0);
  fbt vt;
  memset(v, 0, sizeof *v);
  if (ty < 1 || ty > 3)
    return fail(r, GK_E_CORRUPT, "tflite: sparse index vector missing",
                dm->pos);
  if (!fb_subtable(r, dm, tid + 1, &vt))
    return fail(r, GK_E_CORRUPT, "tflite: sparse index vector missing",
                dm->pos);
  v->esize = ty == 1 ? 4 : ty == 2 ? 2 : 1;
  if (!fb_vec(r, &vt, 0, (size_t)v->esize, &v->pos, &v->n))
    return fail(r, GK_E_CORRUPT, "tflite: sparse index vector missing",
                vt.pos);
  return 1;
}

typedef struct sparse {
  int n;                                    /* expanded dimensions */
  int rank;
  int order[GK_NN_TFL_MAX_SPARSE_DIMS];     /* traversal order */
  int nblock;
  int block_dim[GK_NN_MAX_RANK];            /* original dim of block i */
  int32_t size[GK_NN_TFL_MAX_SPARSE_DIMS];  /* size of expanded dim j */
  int csr[GK_NN_TFL_MAX_SPARSE_DIMS];       /* per level: 1 sparse */
  spvec seg[GK_NN_TFL_MAX_SPARSE_DIMS], idx[GK_NN_TFL_MAX_SPARSE_DIMS];
  int32_t at[GK_NN_TFL_MAX_SPARSE_DIMS];    /* index per expanded dim */
  const rawt *t;
  float *out;
  size_t next;                              /* next stored value */
  size_t nvals;
  size_t esize;
} sparse;

static void sparse_emit(rd *r, sparse *s) {
  if (s->next >= s->nvals) {
    fail(r, GK_E_CORRUPT, "tflite: sparse tensor has too few values",
         s->t->at);
    return;
  }
  size_t off = 0;
  for (int d = 0; d < s->rank; d++) {
    int32_t v = s->at[d];
    for (int b = 0; b < s->nblock; b++)
      if (s->block_dim[b] == d)
        v = v * s->size[s->rank + b] + s->at[s->rank + b];
    off = off * (size_t)s->t->dims[d] + (size_t)v;
  }
  s->out[off] = raw_value(r, s->t->type, s->t->data, s->next);
  s->next++;
}

/* Depth-limited: level < s->n <= GK_NN_TFL_MAX_SPARSE_DIMS. */
static void sparse_walk(rd *r, sparse *s, int level, uint32_t prev) {
  if (r->st) return;
  if (level == s->n) {
    sparse_emit(r, s);
    return;
  }
  int dim = s->order[level];
  if (!s->csr[level]) {
    for (int32_t i = 0; i < s->size[dim] && !r->st; i++) {
      s->at[dim] = i;
      sparse_walk(r, s, level + 1, prev * (uint32_t)s->size[dim] + (uint32_t)i);
    }
    return;
  }
  const spvec *sg = &s->seg[level], *ix = &s->idx[level];
  if (prev + 1 >= sg->n + 0u || prev + 1 < prev) {
    fail(r, GK_E_CORRUPT, "tflite: sparse segment index out of range",
         sg->pos);
    return;
  }
  uint32_t a = spv_get(r, sg, prev), b = spv_get(r, sg, prev + 1);
  if (a > b || b > ix->n) {
    fail(r, GK_E_CORRUPT, "tflite: sparse segments out of order", sg->pos);
    return;
  }
  for (uint32_t i = a; i < b && !r->st; i++) {
    uint32_t v = spv_get(r, ix, i);
    if (v >= (uint32_t)s->size[dim]) {
      fail(r, GK_E_CORRUPT, "tflite: sparse index out of range", ix->pos);
      return;
    }
    s->at[dim] = (int32_t)v;
    sparse_walk(r, s, level + 1, i);
  }
}

/* Expand the sparse constant t into out (t->count floats, zeroed). */
static int densify(ctx *c, const rawt *t, float *out) {
  rd *r = &c->r;
  fbt sp, dm;
  size_t s;
  uint32_t n, nb, nd;
  sparse z;
  memset(&z, 0, sizeof z);
  z.t = t;
  z.out = out;
  z.rank = t->rank;
  z.esize = type_size(t->type);
  if (t->type != TT_FLOAT32 && t->type != TT_FLOAT16)
    return fail(r, GK_E_UNSUPPORTED, "tflite: sparse tensor not float",
                t->at);
  z.nvals = t->data_len / z.esize;
  if (!fb_table(r, t->sparsity, &sp)) return 0;
  fb_vec(r, &sp, 0, 4, &s, &n);
  size_t bs;
  fb_vec(r, &sp, 1, 4, &bs, &nb);
  size_t dms;
  fb_vec(r, &sp, 2, 4, &dms, &nd);
  if (r->st) return 0;
  if (n < (uint32_t)t->rank || n > GK_NN_TFL_MAX_SPARSE_DIMS ||
      nb != n - (uint32_t)t->rank || nd != n)
    return fail(r, GK_E_CORRUPT, "tflite: sparsity dimensions inconsistent",
                sp.pos);
  z.n = (int)n;
  z.nblock = (int)nb;
  int seen[GK_NN_TFL_MAX_SPARSE_DIMS] = {0};
  for (uint32_t k = 0; k < n; k++) {
    int32_t o = (int32_t)gk__rd_u32le(r->b + s + 4 * k);
    if (o < 0 || o >= (int32_t)n || seen[o])
      return fail(r, GK_E_CORRUPT, "tflite: bad sparse traversal order", s);
    seen[o] = 1;
    z.order[k] = o;
  }
  int blocked[GK_NN_MAX_RANK] = {0};
  for (uint32_t k = 0; k < nb; k++) {
    int32_t d = (int32_t)gk__rd_u32le(r->b + bs + 4 * k);
    if (d < 0 || d >= t->rank || blocked[d])
      return fail(r, GK_E_CORRUPT, "tflite: bad sparse block map", bs);
    blocked[d] = 1;
    z.block_dim[k] = d;
  }
  /* Per traversal level: the dimension's metadata. */
  for (uint32_t k = 0; k < n; k++) {
    if (!fb_vec_table(r, dms, k, &dm)) return 0;
    int fmt = fb_u8(r, &dm, 0, 0);
    int32_t ds = fb_i32(r, &dm, 1, 0);
    if (r->st) return 0;
    int dim = z.order[k];
    if (fmt == 0) {
      if (ds < 1)
        return fail(r, GK_E_CORRUPT, "tflite: bad dense_size", dm.pos);
      z.size[dim] = ds;
    } else if (fmt == 1) {
      z.csr[k] = 1;
      if (!read_spvec(r, &dm, 2, &z.seg[k]) ||
          !read_spvec(r, &dm, 4, &z.idx[k]))
        return 0;
    } else {
      return fail(r, GK_E_UNSUPPORTED, "tflite: unknown sparse format",
                  dm.pos);
    }
  }
  /* Sizes of the expanded dimensions: block sizes come from the dense
     metadata of the block dimensions; the rest follow from the shape. */
  for (int b = 0; b < z.nblock; b++) {
    int j = z.rank + b;
    int lvl = -1;
    for (int k = 0; k < z.n; k++)
      if (z.order[k] == j) lvl = k;
    if (lvl < 0 || z.csr[lvl] || z.size[j] < 1 ||
        t->dims[z.block_dim[b]] % z.size[j] != 0)
      return fail(r, GK_E_CORRUPT, "tflite: bad sparse block size", sp.pos);
  }
  for (int d = 0; d < z.rank; d++) {
    int32_t want = t->dims[d];
    for (int b = 0; b < z.nblock; b++)
      if (z.block_dim[b] == d) want /= z.size[z.rank + b];
    int lvl = -1;
    for (int k = 0; k < z.n; k++)
      if (z.order[k] == d) lvl = k;
    if (!z.csr[lvl] && z.size[d] != want)
      return fail(r, GK_E_CORRUPT, "tflite: dense_size does not match shape",
                  sp.pos);
    z.size[d] = want;
  }
  sparse_walk(r, &z, 0, 0);
  return r->st == GK_OK;
}

/* The float32 values of constant tensor i (widened, densified). */
static const float *materialize(ctx *c, int32_t i) {
  rawt *t = &c->t[i];
  rd *r = &c->r;
  if (t->f) return t->f;
  if (!t->constant) {
    fail(r, GK_E_UNSUPPORTED, "tflite: operand is not a constant", t->at);
    return NULL;
  }
  size_t bytes;
  if (!gk__mul_ok(t->count, sizeof(float), &bytes)) {
    fail(r, GK_E_LIMIT, "tflite: constant too large", t->at);
    return NULL;
  }
  float *f = (float *)arena_alloc(c->m, bytes);
  if (f == NULL) {
    fail(r, GK_E_NOMEM, "tflite: out of memory", t->at);
    return NULL;
  }
  if (t->sparsity) {
    if (!densify(c, t, f)) return NULL;
  } else {
    size_t es = type_size(t->type);
    if (t->type != TT_FLOAT32 && t->type != TT_FLOAT16) {
      fail(r, GK_E_UNSUPPORTED, "tflite: constant type not float", t->at);
      return NULL;
    }
    if (t->data_len != t->count * es) {
      fail(r, GK_E_CORRUPT, "tflite: constant size does not match its shape",
           t->data);
      return NULL;
    }
    for (size_t k = 0; k < t->count; k++) f[k] = raw_value(r, t->type, t->data, k);
  }
  t->f = f;
  return f;
}

/* INT32 constant i with exactly want values (want 0: any) into v. */
static int read_i32(ctx *c, int32_t i, int32_t *v, size_t want, size_t *got) {
  const rawt *t = &c->t[i];
  rd *r = &c->r;
  if (t->type != TT_INT32 || !t->constant || t->sparsity ||
      t->data_len != t->count * 4 || (want && t->count != want) ||
      t->count > 8)
    return fail(r, GK_E_UNSUPPORTED, "tflite: expected a small INT32 constant",
                t->at);
  for (size_t k = 0; k < t->count; k++)
    v[k] = (int32_t)gk__rd_u32le(r->b + t->data + 4 * k);
  if (got) *got = t->count;
  return 1;
}

/* ---- operators ---------------------------------------------------------- */

static int opfail(ctx *c, gk_status code, const char *msg, uint32_t opi) {
  return fail(&c->r, code, msg, opi);
}

static int act_of(int a, gk_nn_act *out) {
  if (a < 0 || a > 3) return 0;
  *out = (gk_nn_act)a;
  return 1;
}

static int padding_of(ctx *c, const rawop *o, uint32_t opi, int v,
                      gk_nn_op *op) {
  (void)o;
  if (v != 0 && v != 1)
    return opfail(c, GK_E_UNSUPPORTED, "tflite: unknown padding", opi);
  op->padding_same = v == 0;
  return 1;
}

/* Output size of a window along one axis (TFLite's ComputeOutSize). */
static int32_t out_size(int same, int32_t in, int32_t k, int stride,
                        int dil) {
  int64_t eff = ((int64_t)k - 1) * dil + 1;
  if (same) return (int32_t)(((int64_t)in + stride - 1) / stride);
  if (eff > in) return 0;
  return (int32_t)(((int64_t)in - eff + stride) / stride);
}

static const rawt *T(ctx *c, int32_t i) { return &c->t[i]; }

static int same_dims(const rawt *a, int rank, const int32_t *d) {
  if (a->rank != rank) return 0;
  for (int k = 0; k < rank; k++)
    if (a->dims[k] != d[k]) return 0;
  return 1;
}

/* Translate and check live raw op opi into op. */
static int build_op(ctx *c, uint32_t opi, gk_nn_op *op) {
  rd *r = &c->r;
  rawop *o = &c->op[opi];
  fbt *ot = o->has_opt ? &o->opt : NULL;
  const rawt *out = T(c, o->out);
  memset(op, 0, sizeof *op);
  for (int k = 0; k < GK_NN_MAX_OP_INPUTS; k++) op->in[k] = -1;
  op->out = o->out;
  op->stride_h = op->stride_w = 1;
  op->dilation_h = op->dilation_w = 1;
  op->depth_multiplier = 1;
  /* Every input the operator reads as data must be present. */
  int n_data = o->n_in;
  if (o->code == TFL_PAD || o->code == TFL_RESIZE_BILINEAR ||
      o->code == TFL_RESHAPE)
    n_data = 1;
  if (o->code == TFL_CONV_2D || o->code == TFL_DEPTHWISE_CONV_2D)
    n_data = 2;
  if (o->n_in < 1)
    return opfail(c, GK_E_CORRUPT, "tflite: operator without inputs", opi);
  for (int k = 0; k < n_data && k < o->n_in; k++)
    if (o->in[k] < 0)
      return opfail(c, GK_E_CORRUPT, "tflite: operator input missing", opi);
  if (out->type != TT_FLOAT32)
    return opfail(c, GK_E_UNSUPPORTED, "tflite: operator output not FLOAT32",
                  opi);
  const rawt *x = T(c, o->in[0]);
  int a = 0;
  switch (o->code) {
    case TFL_PAD: {
      if (o->n_in != 2 || o->in[1] < 0)
        return opfail(c, GK_E_CORRUPT, "tflite: PAD needs 2 inputs", opi);
      const rawt *p = T(c, o->in[1]);
      int32_t v[8];
      if (p->rank != 2 || p->dims[0] != x->rank || p->dims[1] != 2 ||
          !read_i32(c, o->in[1], v, (size_t)x->rank * 2, NULL))
        return opfail(c, GK_E_UNSUPPORTED, "tflite: PAD paddings", opi);
      int32_t d[GK_NN_MAX_RANK];
      for (int k = 0; k < x->rank; k++) {
        if (v[2 * k] < 0 || v[2 * k + 1] < 0)
          return opfail(c, GK_E_UNSUPPORTED, "tflite: negative PAD", opi);
        op->pads[k][0] = v[2 * k];
        op->pads[k][1] = v[2 * k + 1];
        d[k] = (int32_t)((int64_t)x->dims[k] + v[2 * k] + v[2 * k + 1]);
      }
      if (!same_dims(out, x->rank, d))
        return opfail(c, GK_E_CORRUPT, "tflite: PAD output shape", opi);
      op->kind = GK_NN_PAD;
      op->n_in = 1;
      op->in[0] = o->in[0];
      return 1;
    }
    case TFL_CONV_2D:
    case TFL_DEPTHWISE_CONV_2D: {
      int dw = o->code == TFL_DEPTHWISE_CONV_2D;
      if (o->n_in < 2 || o->n_in > 3 || ot == NULL)
        return opfail(c, GK_E_CORRUPT, "tflite: convolution operands", opi);
      const rawt *w = T(c, o->in[1]);
      if (x->rank != 4 || w->rank != 4 || out->rank != 4 || !w->constant)
        return opfail(c, GK_E_UNSUPPORTED,
                      "tflite: convolution needs 4-D tensors, constant filter",
                      opi);
      if (!padding_of(c, o, opi, fb_u8(r, ot, 0, 0), op)) return 0;
      op->stride_w = fb_i32(r, ot, 1, 0);
      op->stride_h = fb_i32(r, ot, 2, 0);
      if (dw) {
        op->depth_multiplier = fb_i32(r, ot, 3, 1);
        a = fb_i8(r, ot, 4, 0);
        op->dilation_w = fb_i32(r, ot, 5, 1);
        op->dilation_h = fb_i32(r, ot, 6, 1);
      } else {
        a = fb_i8(r, ot, 3, 0);
        op->dilation_w = fb_i32(r, ot, 4, 1);
        op->dilation_h = fb_i32(r, ot, 5, 1);
      }
      if (r->st) return 0;
      if (!act_of(a, &op->act))
        return opfail(c, GK_E_UNSUPPORTED, "tflite: fused activation", opi);
      if (op->stride_w < 1 || op->stride_h < 1 || op->dilation_w < 1 ||
          op->dilation_h < 1 || op->stride_w > 1024 || op->stride_h > 1024 ||
          op->dilation_w > 1024 || op->dilation_h > 1024)
        return opfail(c, GK_E_CORRUPT, "tflite: bad stride or dilation", opi);
      /* Keeps every window index of the kernels inside int32. */
      if (((int64_t)w->dims[1] - 1) * op->dilation_h >= GK_NN_TFL_MAX_WINDOW ||
          ((int64_t)w->dims[2] - 1) * op->dilation_w >= GK_NN_TFL_MAX_WINDOW)
        return opfail(c, GK_E_UNSUPPORTED, "tflite: convolution window too large",
                      opi);
      int32_t oc;
      if (dw) {
        if (w->dims[0] != 1 || w->dims[3] % x->dims[3] != 0)
          return opfail(c, GK_E_CORRUPT,
                        "tflite: depthwise filter channels do not match input",
                        opi);
        oc = w->dims[3];
        op->depth_multiplier = w->dims[3] / x->dims[3];
      } else {
        if (w->dims[3] != x->dims[3])
          return opfail(c, GK_E_CORRUPT,
                        "tflite: conv filter channels do not match input", opi);
        oc = w->dims[0];
      }
      int32_t want[4] = {x->dims[0],
                         out_size(op->padding_same, x->dims[1], w->dims[1],
                                  op->stride_h, op->dilation_h),
                         out_size(op->padding_same, x->dims[2], w->dims[2],
                                  op->stride_w, op->dilation_w),
                         oc};
      if (!same_dims(out, 4, want))
        return opfail(c, GK_E_CORRUPT, "tflite: convolution output shape", opi);
      op->kind = dw ? GK_NN_DEPTHWISE_CONV_2D : GK_NN_CONV_2D;
      op->n_in = 3;
      op->in[0] = o->in[0];
      op->in[1] = o->in[1];
      if (!materialize(c, o->in[1])) return 0;
      if (o->n_in == 3 && o->in[2] >= 0) {
        const rawt *bt = T(c, o->in[2]);
        if (!bt->constant || bt->count != (size_t)oc)
          return opfail(c, GK_E_CORRUPT, "tflite: convolution bias", opi);
        if (!materialize(c, o->in[2])) return 0;
        op->in[2] = o->in[2];
      }
      return 1;
    }
    case TFL_MAX_POOL_2D: {
      if (o->n_in != 1 || ot == NULL || x->rank != 4 || out->rank != 4)
        return opfail(c, GK_E_CORRUPT, "tflite: MAX_POOL_2D operands", opi);
      if (!padding_of(c, o, opi, fb_u8(r, ot, 0, 0), op)) return 0;
      op->stride_w = fb_i32(r, ot, 1, 0);
      op->stride_h = fb_i32(r, ot, 2, 0);
      op->filter_w = fb_i32(r, ot, 3, 0);
      op->filter_h = fb_i32(r, ot, 4, 0);
      a = fb_i8(r, ot, 5, 0);
      if (r->st) return 0;
      if (!act_of(a, &op->act))
        return opfail(c, GK_E_UNSUPPORTED, "tflite: fused activation", opi);
      if (op->stride_w < 1 || op->stride_h < 1 || op->filter_w < 1 ||
          op->filter_h < 1 || op->stride_w > 1024 || op->stride_h > 1024 ||
          op->filter_w > 1024 || op->filter_h > 1024)
        return opfail(c, GK_E_CORRUPT, "tflite: bad pool window", opi);
      int32_t want[4] = {x->dims[0],
                         out_size(op->padding_same, x->dims[1], op->filter_h,
                                  op->stride_h, 1),
                         out_size(op->padding_same, x->dims[2], op->filter_w,
                                  op->stride_w, 1),
                         x->dims[3]};
      if (!same_dims(out, 4, want))
        return opfail(c, GK_E_CORRUPT, "tflite: MAX_POOL_2D output shape", opi);
      op->kind = GK_NN_MAX_POOL_2D;
      op->n_in = 1;
      op->in[0] = o->in[0];
      return 1;
    }
    case TFL_ADD: {
      if (o->n_in != 2)
        return opfail(c, GK_E_CORRUPT, "tflite: ADD needs 2 inputs", opi);
      if (ot) a = fb_i8(r, ot, 0, 0);
      if (r->st) return 0;
      if (!act_of(a, &op->act))
        return opfail(c, GK_E_UNSUPPORTED, "tflite: fused activation", opi);
      const rawt *y = T(c, o->in[1]);
      /* NumPy broadcasting, aligned on the last dimension. */
      int rk = x->rank > y->rank ? x->rank : y->rank;
      int32_t want[GK_NN_MAX_RANK];
      for (int k = 0; k < rk; k++) {
        int kx = k - (rk - x->rank), ky = k - (rk - y->rank);
        int32_t dx = kx >= 0 ? x->dims[kx] : 1, dy = ky >= 0 ? y->dims[ky] : 1;
        if (dx != dy && dx != 1 && dy != 1)
          return opfail(c, GK_E_CORRUPT, "tflite: ADD shapes do not broadcast",
                        opi);
        want[k] = dx > dy ? dx : dy;
      }
      if (!same_dims(out, rk, want))
        return opfail(c, GK_E_CORRUPT, "tflite: ADD output shape", opi);
      for (int k = 0; k < 2; k++)
        if (T(c, o->in[k])->constant && !materialize(c, o->in[k])) return 0;
      op->kind = GK_NN_ADD;
      op->n_in = 2;
      op->in[0] = o->in[0];
      op->in[1] = o->in[1];
      return 1;
    }
    case TFL_DEPTH_TO_SPACE: {
      if (o->n_in != 1 || ot == NULL || x->rank != 4)
        return opfail(c, GK_E_CORRUPT, "tflite: DEPTH_TO_SPACE operands", opi);
      op->block_size = fb_i32(r, ot, 0, 0);
      if (r->st) return 0;
      int bs = op->block_size;
      if (bs < 1 || bs > 64 || x->dims[3] % (bs * bs) != 0)
        return opfail(c, GK_E_CORRUPT, "tflite: bad block_size", opi);
      int32_t want[4] = {x->dims[0], x->dims[1] * bs, x->dims[2] * bs,
                         x->dims[3] / (bs * bs)};
      if (!same_dims(out, 4, want))
        return opfail(c, GK_E_CORRUPT, "tflite: DEPTH_TO_SPACE output shape",
                      opi);
      op->kind = GK_NN_DEPTH_TO_SPACE;
      op->n_in = 1;
      op->in[0] = o->in[0];
      return 1;
    }
    case TFL_RESIZE_BILINEAR: {
      if (o->n_in != 2 || o->in[1] < 0 || x->rank != 4 || out->rank != 4)
        return opfail(c, GK_E_CORRUPT, "tflite: RESIZE_BILINEAR operands", opi);
      int32_t v[2];
      if (!read_i32(c, o->in[1], v, 2, NULL)) return 0;
      int32_t want[4] = {x->dims[0], v[0], v[1], x->dims[3]};
      if (!same_dims(out, 4, want))
        return opfail(c, GK_E_CORRUPT, "tflite: RESIZE_BILINEAR output shape",
                      opi);
      if (ot) {
        op->align_corners = fb_u8(r, ot, 2, 0) != 0;
        op->half_pixel_centers = fb_u8(r, ot, 3, 0) != 0;
      }
      if (r->st) return 0;
      /* TFLite refuses the two together (a sample would fall past the
         last row) */
      if (op->align_corners && op->half_pixel_centers)
        return opfail(c, GK_E_CORRUPT,
                      "tflite: RESIZE_BILINEAR with both align_corners and "
                      "half_pixel_centers", opi);
      op->kind = GK_NN_RESIZE_BILINEAR;
      op->n_in = 1;
      op->in[0] = o->in[0];
      return 1;
    }
    case TFL_RESHAPE: {
      if (o->n_in < 1 || o->n_in > 2 || out->count != x->count)
        return opfail(c, GK_E_CORRUPT, "tflite: RESHAPE element count", opi);
      op->kind = GK_NN_RESHAPE;
      op->n_in = 1;
      op->in[0] = o->in[0];
      if (x->constant && !materialize(c, o->in[0])) return 0;
      return 1;
    }
    case TFL_CONCATENATION: {
      if (o->n_in < 1 || ot == NULL)
        return opfail(c, GK_E_CORRUPT, "tflite: CONCATENATION operands", opi);
      int axis = fb_i32(r, ot, 0, 0);
      a = fb_i8(r, ot, 1, 0);
      if (r->st) return 0;
      if (!act_of(a, &op->act))
        return opfail(c, GK_E_UNSUPPORTED, "tflite: fused activation", opi);
      if (axis < 0) axis += out->rank;
      if (axis < 0 || axis >= out->rank)
        return opfail(c, GK_E_CORRUPT, "tflite: concatenation axis", opi);
      int64_t sum = 0;
      for (int k = 0; k < o->n_in; k++) {
        const rawt *y = T(c, o->in[k]);
        if (y->rank != out->rank)
          return opfail(c, GK_E_CORRUPT, "tflite: CONCATENATION ranks", opi);
        for (int d = 0; d < y->rank; d++)
          if (d != axis && y->dims[d] != out->dims[d])
            return opfail(c, GK_E_CORRUPT, "tflite: CONCATENATION shapes", opi);
        sum += y->dims[axis];
        if (y->constant && !materialize(c, o->in[k])) return 0;
        op->in[k] = o->in[k];
      }
      if (sum != out->dims[axis])
        return opfail(c, GK_E_CORRUPT, "tflite: CONCATENATION output shape",
                      opi);
      op->kind = GK_NN_CONCATENATION;
      op->n_in = o->n_in;
      op->axis = axis;
      return 1;
    }
    case TFL_LOGISTIC: {
      if (o->n_in != 1 || !same_dims(out, x->rank, x->dims))
        return opfail(c, GK_E_CORRUPT, "tflite: LOGISTIC shape", opi);
      op->kind = GK_NN_LOGISTIC;
      op->n_in = 1;
      op->in[0] = o->in[0];
      return 1;
    }
    default:
      return opfail(c, GK_E_UNSUPPORTED, "tflite: unsupported operator", opi);
  }
}

/* ---- the whole model ---------------------------------------------------- */

static int read_graph(ctx *c, const char *const *keep, int n_keep,
                      int32_t *outs, int *n_outs, int32_t *ins, int *n_ins) {
  rd *r = &c->r;
  fbt model, sg, t;
  size_t s, codes_s, bufs, tens, ops, io;
  uint32_t n, ncodes, nbuf, nsg;
  if (r->len < 8)
    return fail(r, GK_E_TRUNCATED, "tflite: shorter than a header", 0);
  if (memcmp(r->b + 4, "TFL3", 4) != 0)
    return fail(r, GK_E_CORRUPT, "tflite: no TFL3 file identifier", 4);
  if (!fb_table(r, gk__rd_u32le(r->b), &model)) return 0;
  if (fb_u32(r, &model, 0, 0) != 3)
    return fail(r, GK_E_UNSUPPORTED, "tflite: schema version is not 3",
                model.pos);
  fb_vec(r, &model, 1, 4, &codes_s, &ncodes);
  fb_vec(r, &model, 2, 4, &s, &nsg);
  fb_vec(r, &model, 4, 4, &bufs, &nbuf);
  if (r->st) return 0;
  if (nsg < 1) return fail(r, GK_E_CORRUPT, "tflite: no subgraph", model.pos);
  if (ncodes > GK_NN_MAX_OPS)
    return fail(r, GK_E_LIMIT, "tflite: too many operator codes", codes_s);
  int *codes = (int *)arena_alloc(c->m, (ncodes + 1) * sizeof(int));
  if (codes == NULL) return fail(r, GK_E_NOMEM, "tflite: out of memory", 0);
  for (uint32_t k = 0; k < ncodes; k++) {
    if (!fb_vec_table(r, codes_s, k, &t)) return 0;
    int dep = fb_i8(r, &t, 0, 0);
    int32_t bc = fb_i32(r, &t, 3, 0);
    if (r->st) return 0;
    if (fb_field(r, &t, 1, 4))
      codes[k] = -1; /* custom operator */
    else
      codes[k] = dep > bc ? dep : bc;
  }
  if (!fb_vec_table(r, s, 0, &sg)) return 0;
  fb_vec(r, &sg, 0, 4, &tens, &c->nt);
  fb_vec(r, &sg, 3, 4, &ops, &c->nop);
  if (r->st) return 0;
  if (c->nt > GK_NN_MAX_TENSORS)
    return fail(r, GK_E_LIMIT, "tflite: above GK_NN_MAX_TENSORS", tens);
  if (c->nop > GK_NN_MAX_OPS)
    return fail(r, GK_E_LIMIT, "tflite: above GK_NN_MAX_OPS", ops);
  c->t = (rawt *)arena_alloc(c->m, (c->nt + 1) * sizeof(rawt));
  c->op = (rawop *)arena_alloc(c->m, (c->nop + 1) * sizeof(rawop));
  if (c->t == NULL || c->op == NULL)
    return fail(r, GK_E_NOMEM, "tflite: out of memory", 0);
  for (uint32_t k = 0; k < c->nt; k++) {
    if (!fb_vec_table(r, tens, k, &t)) return 0;
    if (!read_tensor(c, &t, k, bufs, nbuf)) return 0;
  }
  for (uint32_t k = 0; k < c->nop; k++) {
    if (!fb_vec_table(r, ops, k, &t)) return 0;
    if (!read_op(c, &t, k, codes, ncodes)) return 0;
  }
  /* Graph inputs. */
  fb_vec(r, &sg, 1, 4, &io, &n);
  if (r->st) return 0;
  if (n > GK_NN_MAX_IO)
    return fail(r, GK_E_LIMIT, "tflite: above GK_NN_MAX_IO inputs", io);
  for (uint32_t k = 0; k < n; k++) {
    int32_t x = (int32_t)gk__rd_u32le(r->b + io + 4 * k);
    if (x < 0 || x >= (int32_t)c->nt || c->t[x].constant)
      return fail(r, GK_E_CORRUPT, "tflite: bad graph input", io + 4 * k);
    if (c->t[x].type != TT_FLOAT32)
      return fail(r, GK_E_UNSUPPORTED, "tflite: graph input not FLOAT32",
                  io + 4 * k);
    ins[k] = x;
  }
  *n_ins = (int)n;
  /* Graph outputs, those asked for in the order asked. */
  fb_vec(r, &sg, 2, 4, &io, &n);
  if (r->st) return 0;
  int32_t all[GK_NN_MAX_IO];
  if (n > GK_NN_MAX_IO && (keep == NULL || n_keep == 0))
    return fail(r, GK_E_LIMIT, "tflite: above GK_NN_MAX_IO outputs", io);
  if (n_keep > GK_NN_MAX_IO || n_keep < 0)
    return fail(r, GK_E_ARG, "tflite: too many outputs asked for", 0);
  uint32_t nall = 0;
  if (keep == NULL || n_keep == 0) {
    for (uint32_t k = 0; k < n; k++) {
      int32_t x = (int32_t)gk__rd_u32le(r->b + io + 4 * k);
      if (x < 0 || x >= (int32_t)c->nt)
        return fail(r, GK_E_CORRUPT, "tflite: bad graph output", io + 4 * k);
      all[nall++] = x;
    }
  } else {
    for (int q = 0; q < n_keep; q++) {
      int32_t found = -1;
      size_t kl = keep[q] ? strlen(keep[q]) : 0;
      for (uint32_t k = 0; k < n && found < 0; k++) {
        int32_t x = (int32_t)gk__rd_u32le(r->b + io + 4 * k);
        if (x < 0 || x >= (int32_t)c->nt)
          return fail(r, GK_E_CORRUPT, "tflite: bad graph output", io + 4 * k);
        if (keep[q] && c->t[x].name_len == kl &&
            memcmp(r->b + c->t[x].name, keep[q], kl) == 0)
          found = x;
      }
      if (found < 0) {
        r->st = GK_E_NOT_FOUND;
        gk__set_err(r->err, GK_E_NOT_FOUND,
                    "tflite: an output asked for is not among the outputs", 0);
        return 0;
      }
      all[nall++] = found;
    }
  }
  for (uint32_t k = 0; k < nall; k++) outs[k] = all[k];
  *n_outs = (int)nall;
  return 1;
}

gk_status gk_nn_model_read(const void *buf, size_t len,
                           const char *const *keep, int n_keep,
                           gk_nn_model **out, gk_err *err) {
  if (out) *out = NULL;
  if (out == NULL || (buf == NULL && len > 0)) {
    gk__set_err(err, GK_E_ARG, "tflite: NULL argument", 0);
    return GK_E_ARG;
  }
  if (len > GK_NN_MAX_INPUT) {
    gk__set_err(err, GK_E_LIMIT, "tflite: file above GK_NN_MAX_INPUT", 0);
    return GK_E_LIMIT;
  }
  ctx c;
  memset(&c, 0, sizeof c);
  c.r.b = (const uint8_t *)buf;
  c.r.len = len;
  c.r.err = err;
  c.m = (gk_nn_model *)calloc(1, sizeof *c.m);
  if (c.m == NULL) {
    gk__set_err(err, GK_E_NOMEM, "tflite: out of memory", 0);
    return GK_E_NOMEM;
  }
  rd *r = &c.r;
  gk_nn_model *m = c.m;
  int32_t outs[GK_NN_MAX_IO], ins[GK_NN_MAX_IO];
  int n_outs = 0, n_ins = 0;
  if (!read_graph(&c, keep, n_keep, outs, &n_outs, ins, &n_ins)) goto fail;

  /* Producers, in file order: an op reads only what exists before it. */
  for (int k = 0; k < n_ins; k++) c.t[ins[k]].producer = -2;
  for (uint32_t i = 0; i < c.nop; i++) {
    rawop *o = &c.op[i];
    for (int k = 0; k < o->n_in; k++) {
      int32_t x = o->in[k];
      if (x >= 0 && !c.t[x].constant && c.t[x].producer == -1) {
        fail(r, GK_E_CORRUPT, "tflite: operator reads a tensor not yet made",
             i);
        goto fail;
      }
    }
    rawt *y = &c.t[o->out];
    if (y->constant || y->producer != -1) {
      fail(r, GK_E_CORRUPT, "tflite: operator output written twice", i);
      goto fail;
    }
    y->producer = (int)i;
  }
  /* Liveness, backwards from the kept outputs. */
  for (int k = 0; k < n_outs; k++) {
    if (c.t[outs[k]].producer < 0) {
      fail(r, GK_E_UNSUPPORTED, "tflite: output is not made by an operator",
           c.t[outs[k]].at);
      goto fail;
    }
    c.t[outs[k]].needed = 1;
  }
  for (uint32_t i = c.nop; i-- > 0;) {
    rawop *o = &c.op[i];
    if (!c.t[o->out].needed) continue;
    o->live = 1;
    for (int k = 0; k < o->n_in; k++)
      if (o->in[k] >= 0) c.t[o->in[k]].needed = 1;
  }
  /* Fold constants and translate the rest. */
  gk_nn_op *kept = (gk_nn_op *)arena_alloc(m, (c.nop + 1) * sizeof(gk_nn_op));
  if (kept == NULL) {
    fail(r, GK_E_NOMEM, "tflite: out of memory", 0);
    goto fail;
  }
  size_t nk = 0;
  for (uint32_t i = 0; i < c.nop; i++) {
    rawop *o = &c.op[i];
    if (!o->live) continue;
    rawt *y = &c.t[o->out];
    if (o->code == TFL_DEQUANTIZE || o->code == TFL_DENSIFY) {
      if (o->n_in != 1 || o->in[0] < 0 || !c.t[o->in[0]].constant) {
        fail(r, GK_E_UNSUPPORTED,
             "tflite: DEQUANTIZE or DENSIFY of a non-constant", i);
        goto fail;
      }
      rawt *x = &c.t[o->in[0]];
      if (x->count != y->count || !same_dims(y, x->rank, x->dims)) {
        fail(r, GK_E_CORRUPT, "tflite: DEQUANTIZE or DENSIFY shape", i);
        goto fail;
      }
      if (o->code == TFL_DENSIFY && !x->sparsity) {
        fail(r, GK_E_CORRUPT, "tflite: DENSIFY of a dense tensor", i);
        goto fail;
      }
      const float *f = materialize(&c, o->in[0]);
      if (f == NULL) goto fail;
      y->f = f;
      y->constant = 1;
      y->producer = -1;
      continue;
    }
    if (!build_op(&c, i, &kept[nk])) {
      if (r->st == GK_OK) fail(r, GK_E_CORRUPT, "tflite: bad operator", i);
      goto fail;
    }
    for (int k = 0; k < kept[nk].n_in; k++) {
      int32_t x = kept[nk].in[k];
      if (x >= 0 && c.t[x].constant && !materialize(&c, x)) goto fail;
    }
    nk++;
  }
  /* Compact the tensors to those the kept ops and the outputs use. */
  for (uint32_t i = 0; i < c.nt; i++) c.t[i].needed = 0;
  for (int k = 0; k < n_ins; k++) c.t[ins[k]].needed = 1;
  for (int k = 0; k < n_outs; k++) c.t[outs[k]].needed = 1;
  for (size_t i = 0; i < nk; i++) {
    c.t[kept[i].out].needed = 1;
    for (int k = 0; k < kept[i].n_in; k++)
      if (kept[i].in[k] >= 0) c.t[kept[i].in[k]].needed = 1;
  }
  for (int k = 0; k < n_outs; k++)
    if (c.t[outs[k]].constant) {
      fail(r, GK_E_UNSUPPORTED, "tflite: output folds to a constant",
           c.t[outs[k]].at);
      goto fail;
    }
  size_t nt = 0;
  for (uint32_t i = 0; i < c.nt; i++)
    if (c.t[i].needed) c.t[i].newidx = (int32_t)nt++;
  m->tensors = (gk_nn_tensor *)arena_alloc(m, (nt + 1) * sizeof(gk_nn_tensor));
  if (m->tensors == NULL) {
    fail(r, GK_E_NOMEM, "tflite: out of memory", 0);
    goto fail;
  }
  for (uint32_t i = 0; i < c.nt; i++) {
    rawt *t = &c.t[i];
    if (!t->needed) continue;
    gk_nn_tensor *d = &m->tensors[t->newidx];
    char *name = (char *)arena_alloc(m, t->name_len + 1);
    if (name == NULL) {
      fail(r, GK_E_NOMEM, "tflite: out of memory", 0);
      goto fail;
    }
    if (t->name_len) memcpy(name, r->b + t->name, t->name_len);
    d->name = name;
    d->rank = t->rank;
    memcpy(d->dims, t->dims, sizeof d->dims);
    d->count = t->count;
    d->data = t->constant ? t->f : NULL;
    if (t->constant && t->f == NULL) {
      fail(r, GK_E_UNSUPPORTED, "tflite: constant left unread", t->at);
      goto fail;
    }
    if (!t->constant && t->type != TT_FLOAT32) {
      fail(r, GK_E_UNSUPPORTED, "tflite: activation not FLOAT32", t->at);
      goto fail;
    }
  }
  for (size_t i = 0; i < nk; i++) {
    kept[i].out = c.t[kept[i].out].newidx;
    for (int k = 0; k < kept[i].n_in; k++)
      if (kept[i].in[k] >= 0) kept[i].in[k] = c.t[kept[i].in[k]].newidx;
  }
  m->n_tensors = nt;
  m->ops = kept;
  m->n_ops = nk;
  m->n_inputs = n_ins;
  m->n_outputs = n_outs;
  for (int k = 0; k < n_ins; k++) m->inputs[k] = c.t[ins[k]].newidx;
  for (int k = 0; k < n_outs; k++) m->outputs[k] = c.t[outs[k]].newidx;
  /* The raw tables are no longer needed, but they live in the arena; the
     model is small next to its weights. */
  *out = m;
  return GK_OK;
fail:
  {
    gk_status st = r->st ? r->st : GK_E_CORRUPT;
    gk_nn_model_free(m);
    return st;
  }
}

const char *gk_nn_op_name(gk_nn_op_kind k) {
  static const char *const names[GK_NN_OP_KIND_COUNT] = {
      "PAD",      "CONV_2D",     "DEPTHWISE_CONV_2D", "ADD",
      "DEPTH_TO_SPACE", "RESIZE_BILINEAR", "RESHAPE", "CONCATENATION",
      "MAX_POOL_2D", "LOGISTIC"};
  if ((int)k < 0 || k >= GK_NN_OP_KIND_COUNT) return "?";
  return names[k];
}
