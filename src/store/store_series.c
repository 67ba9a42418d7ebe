/*
** store_series.c -- one column of samples <-> one compact, lossless BLOB.
**
** Watch data are integers in disguise: a FIT distance is a count of
** centimetres divided by 100, an altitude raw / 5 - 500, a latitude a count
** of semicircles times 180 / 2^31 (= k / 2^29 with k = 45 x semicircles),
** a GPX coordinate a decimal string.  So a column is stored, when it can be
** exactly, as integers k with one scale s and offset o such that every
** value is (double)k / s - o bit for bit, written as zig-zag LEB128 varints
** of the differences between consecutive k (1-3 bytes for 1 Hz data instead
** of 8).  The encoder proves it: it decodes every value it writes and falls
** back to plain doubles for the column at the first mismatch (or when the
** integers would not pay).  NaN (no value) is a bit in a presence bitmap.
**
** BLOB layout (multi-byte numbers little-endian):
**   codec 0  plain: [0] then n IEEE-754 doubles
**   codec 1  scaled: [1] [flags: bit 0 = bitmap present] [s: double]
**            [o: double] [bitmap: ceil(n/8) bytes, bit i (LSB first) set
**            when value i is present; absent = every value present]
**            then one varint per present value: zigzag(k_i - k_prev),
**            k_prev starting at 0.
** A column without any value is not encoded at all (NULL in the table).
*/
#include "store_series.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define CODEC_PLAIN 0
#define CODEC_SCALED 1
#define FLAG_BITMAP 0x01
#define ROUNDER 6755399441055744.0 /* 1.5 x 2^52: (y + R) - R rounds y */
#define Y_LIMIT 2251799813685248.0 /* 2^51: where that rounding holds */

/* Scales and offsets tried, most likely first (FIT profile scales, FIT
   altitude's offset 500, decimal places of text formats, 2^29 for
   semicircle degrees, binary fractions). */
static const struct {
  double s, o;
} cands[] = {
    {1, 0},   {10, 0},          {100, 0},   {1000, 0}, {5, 500}, {64, 0},
    {128, 0}, {536870912.0, 0}, {5, 0},     {2, 0},    {4, 0},   {16, 0},
    {1e4, 0}, {1e5, 0},         {1e6, 0},   {1e7, 0},  {1e8, 0}, {1e9, 0},
    {256, 0}, {1024, 0},        {65536, 0},
};
#define N_CANDS (sizeof cands / sizeof cands[0])

static void put_f64(unsigned char *p, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(u >> (8 * i));
}

static double get_f64(const unsigned char *p) {
  uint64_t u = 0;
  for (int i = 0; i < 8; i++) u |= (uint64_t)p[i] << (8 * i);
  double v;
  memcpy(&v, &u, 8);
  return v;
}

static int same_bits(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

/* The one formula, shared by encoder and decoder: (double)k / s - o.  For
   a power-of-two s the division is exact, and so is the multiplication by
   1 / s that replaces it (same result, bit for bit; faster). */
typedef struct scaling {
  double s, o, inv; /* inv: 1 / s when s is a power of two, else 0 */
} scaling;

static scaling make_scaling(double s, double o) {
  int e;
  scaling x = {s, o, frexp(s, &e) == 0.5 ? 1.0 / s : 0.0};
  return x;
}

static double from_k(int64_t k, const scaling *c) {
  return (c->inv != 0 ? (double)k * c->inv : (double)k / c->s) - c->o;
}

/* k for v under (s, o); *ok says whether from_k(k) gives v back exactly.
   The rounding need not be exact: the check is. */
static int64_t to_k(double v, const scaling *c, int *ok) {
  double x = (v + c->o) * c->s;
  if (!(fabs(x) < Y_LIMIT)) {
    *ok = 0;
    return 0;
  }
  int64_t k = (int64_t)((x + ROUNDER) - ROUNDER);
  *ok = same_bits(from_k(k, c), v);
  return k;
}

/* Pass 1: the k of every present value under (s, o) into k[] (as
   doubles, integers below 2^51); 0 when some value does not come back
   exactly.  Without gaps the loop has no branch and no early exit, so the
   compiler vectorises it; rounding adds and subtracts 1.5 x 2^52 (round to
   nearest for |y| < 2^51; any rounding would do: the check decides). */
static int scale_dense(const double *v, size_t n, const scaling *c, double *k) {
  const double s = c->s, o = c->o, inv = c->inv;
  uint64_t bad = 0;
  if (inv != 0) {
    for (size_t i = 0; i < n; i++) {
      double x = v[i], y = (x + o) * s;
      double kd = (y + ROUNDER) - ROUNDER, back = kd * inv - o;
      uint64_t xb, bb;
      memcpy(&xb, &x, 8);
      memcpy(&bb, &back, 8);
      bad |= (xb ^ bb) | (uint64_t) !(fabs(y) < Y_LIMIT);
      k[i] = kd;
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      double x = v[i], y = (x + o) * s;
      double kd = (y + ROUNDER) - ROUNDER, back = kd / s - o;
      uint64_t xb, bb;
      memcpy(&xb, &x, 8);
      memcpy(&bb, &back, 8);
      bad |= (xb ^ bb) | (uint64_t) !(fabs(y) < Y_LIMIT);
      k[i] = kd;
    }
  }
  return bad == 0;
}

static int scale_all(const double *v, size_t n, size_t present,
                     const scaling *c, double *k) {
  if (present == n) return scale_dense(v, n, c, k);
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    double x = v[i];
    if (x != x) continue; /* NaN: no value */
    double y = (x + c->o) * c->s;
    if (!(fabs(y) < Y_LIMIT)) return 0;
    double kd = (y + ROUNDER) - ROUNDER;
    if (!same_bits(from_k((int64_t)kd, c), x)) return 0;
    k[j++] = kd;
  }
  return 1;
}

/* Pass 2: header, bitmap and varints; 0 when not smaller than plain. */
static size_t write_scaled(const double *v, size_t n, size_t present, double s,
                           double o, const double *k, unsigned char *out) {
  size_t plain = 1 + 8 * n;
  unsigned char *p = out;
  *p++ = CODEC_SCALED;
  *p++ = present < n ? FLAG_BITMAP : 0;
  put_f64(p, s);
  put_f64(p + 8, o);
  p += 16;
  if (present < n) {
    size_t nb = (n + 7) / 8;
    memset(p, 0, nb);
    for (size_t i = 0; i < n; i++)
      if (!isnan(v[i])) p[i / 8] |= (unsigned char)(1u << (i % 8));
    p += nb;
  }
  /* stop once it would not be smaller (room for one more varint each
     time round) */
  const unsigned char *limit = out + plain;
  int64_t prev = 0;
  for (size_t j = 0; j < present; j++) {
    if (limit - p <= 10) return 0;
    int64_t kj = (int64_t)k[j];
    uint64_t d = (uint64_t)kj - (uint64_t)prev; /* |k| < 2^51: exact */
    uint64_t z = (d << 1) ^ (uint64_t) - (int64_t)(d >> 63);
    if (z < 0x80) {
      *p++ = (unsigned char)z;
    } else {
      while (z >= 0x80) {
        *p++ = (unsigned char)(z | 0x80);
        z >>= 7;
      }
      *p++ = (unsigned char)z;
    }
    prev = kj;
  }
  return (size_t)(p - out);
}

size_t gk__series_encode_bound(size_t n) { return 1 + 8 * n + 32; }

size_t gk__series_encode(const double *v, size_t n, unsigned char *out,
                         double *k) {
  size_t first = 0, present = 0;
  while (first < n && isnan(v[first])) first++;
  if (first == n) return 0;
  for (size_t i = first; i < n; i++) present += v[i] == v[i]; /* not NaN */
  for (size_t c = 0; c < N_CANDS; c++) {
    /* a quick look at the first few values before the whole column */
    scaling sc = make_scaling(cands[c].s, cands[c].o);
    int ok = 1;
    for (size_t i = first, seen = 0; i < n && seen < 4 && ok; i++) {
      if (isnan(v[i])) continue;
      to_k(v[i], &sc, &ok);
      seen++;
    }
    if (!ok || !scale_all(v, n, present, &sc, k)) continue;
    size_t len = write_scaled(v, n, present, cands[c].s, cands[c].o, k, out);
    if (len) return len;
    break; /* fits, but does not pay: larger scales would not either */
  }
  out[0] = CODEC_PLAIN;
  for (size_t i = 0; i < n; i++) put_f64(out + 1 + 8 * i, v[i]);
  return 1 + 8 * n;
}

gk_status gk__series_decode(const unsigned char *p, size_t len, size_t n,
                            double *out) {
  if (len < 1) return GK_E_CORRUPT;
  if (p[0] == CODEC_PLAIN) {
    if (len != 1 + 8 * n) return GK_E_CORRUPT;
    for (size_t i = 0; i < n; i++) out[i] = get_f64(p + 1 + 8 * i);
    return GK_OK;
  }
  if (p[0] != CODEC_SCALED) return GK_E_UNSUPPORTED;
  if (len < 18 || (p[1] & ~FLAG_BITMAP) != 0) return GK_E_CORRUPT;
  double s = get_f64(p + 2), o = get_f64(p + 10);
  if (!(s > 0) || !isfinite(s) || !isfinite(o)) return GK_E_CORRUPT;
  scaling sc = make_scaling(s, o);
  const unsigned char *q = p + 18, *end = p + len, *bm = NULL;
  if (p[1] & FLAG_BITMAP) {
    size_t nb = (n + 7) / 8;
    if ((size_t)(end - q) < nb) return GK_E_CORRUPT;
    bm = q;
    q += nb;
    if (n % 8 && (bm[nb - 1] >> (n % 8)) != 0) return GK_E_CORRUPT;
  }
  int64_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (bm != NULL && !(bm[i / 8] & (1u << (i % 8)))) {
      out[i] = NAN;
      continue;
    }
    uint64_t z = 0;
    int shift = 0;
    for (;;) {
      if (q >= end || shift > 63) return GK_E_CORRUPT;
      unsigned char b = *q++;
      z |= (uint64_t)(b & 0x7F) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    uint64_t d = (z >> 1) ^ (uint64_t) - (int64_t)(z & 1);
    k = (int64_t)((uint64_t)k + d);
    out[i] = from_k(k, &sc);
  }
  return q == end ? GK_OK : GK_E_CORRUPT;
}
