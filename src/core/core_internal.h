/*
** core_internal.h -- helpers shared by the library's modules (not public).
*/
#ifndef GK_CORE_INTERNAL_H
#define GK_CORE_INTERNAL_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "gaitkeeper/core.h"

extern const gk_alloc gk__libc_alloc;

/* The allocator to use: the caller's, or libc's when NULL. */
static inline const gk_alloc *gk__alloc_or_default(const gk_alloc *a) {
  return a ? a : &gk__libc_alloc;
}

/* Detection site for corrupt input: GK_CORRUPT(GK_E_CORRUPT). */
gk_status gk__corrupt(gk_status code, const char *file, int line);
#define GK_CORRUPT(code) gk__corrupt((code), __FILE__, __LINE__)

void gk__set_err(gk_err *err, gk_status code, const char *msg, uint64_t offset);

/* Overflow-checked size arithmetic: return 1 and store on success. */
static inline int gk__mul_ok(size_t a, size_t b, size_t *out) {
  if (b != 0 && a > SIZE_MAX / b) return 0;
  *out = a * b;
  return 1;
}
static inline int gk__add_ok(size_t a, size_t b, size_t *out) {
  if (a > SIZE_MAX - b) return 0;
  *out = a + b;
  return 1;
}

/* Endian-explicit readers; never cast packed structs. */
static inline uint16_t gk__rd_u16le(const uint8_t *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint16_t gk__rd_u16be(const uint8_t *p) {
  return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t gk__rd_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}
static inline uint32_t gk__rd_u32be(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
         ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static inline uint64_t gk__rd_u64le(const uint8_t *p) {
  return (uint64_t)gk__rd_u32le(p) | ((uint64_t)gk__rd_u32le(p + 4) << 32);
}
static inline uint64_t gk__rd_u64be(const uint8_t *p) {
  return ((uint64_t)gk__rd_u32be(p) << 32) | (uint64_t)gk__rd_u32be(p + 4);
}
static inline void gk__wr_u16le(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline void gk__wr_u32le(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* Length of the valid UTF-8 sequence at s (n >= 1 bytes left), or 0 when
   it is not one (overlong forms and surrogates are not valid). */
static inline size_t gk__utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else
    return 0;
  if (len > n || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; k++)
    if (s[k] < 0x80 || s[k] > 0xBF) return 0;
  return len;
}

/* The proleptic Gregorian date of a day count since 1970-01-01. */
static inline void gk__civil_from_days(int64_t days, int64_t *y, int64_t *m,
                                       int64_t *d) {
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

/*
** Zero-lag low-pass (src/core/filter.c): a second-order Butterworth section
** with design cut-off fc Hz at sampling rate fs Hz, run forwards then
** backwards (fourth-order roll-off, no phase shift; the pair is -6 dB at fc,
** so a caller wanting -3 dB at f designs at f / 0.802, Winter 2009), in
** place over x[0], x[stride], ... (n samples).  Non-finite samples split
** the signal; each finite run of at least min_run samples is filtered on its
** own (shorter runs are left as they are), padded at both ends by up to pad
** samples of odd reflection.  work: n + 2 * pad doubles.  Nothing happens
** when fc >= 0.45 fs.
*/
void gk__lowpass_zerolag(double *x, size_t n, size_t stride, double fc,
                         double fs, size_t pad, size_t min_run,
                         double *work);

#endif /* GK_CORE_INTERNAL_H */
