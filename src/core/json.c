/*
** json.c -- growable buffer, JSON strings and numbers, ISO-8601 times.
*/
#include "gaitkeeper/json.h"

#include "core_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gk_buf_free(gk_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int gk_buf_reserve(gk_buf *b, size_t extra) {
  if (b->oom) return 0;
  if (extra > SIZE_MAX / 2 - b->len) {
    b->oom = 1;
    return 0;
  }
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap *= 2;
  char *p = (char *)realloc(b->data, cap);
  if (p == NULL) {
    b->oom = 1;
    return 0;
  }
  b->data = p;
  b->cap = cap;
  return 1;
}

void gk_buf_put(gk_buf *b, const void *p, size_t n) {
  if (!gk_buf_reserve(b, n)) return;
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void gk_buf_puts(gk_buf *b, const char *s) { gk_buf_put(b, s, strlen(s)); }

void gk_buf_putc(gk_buf *b, char c) {
  if (!gk_buf_reserve(b, 1)) return;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
}

void gk_buf_put_clean(gk_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
        (unsigned char)s[i + 1] <= 0x9F) {
      gk_buf_putc(b, ' ');
      i++;
    } else {
      gk_buf_putc(b, c < 0x20 || c == 0x7F ? ' ' : (char)c);
    }
  }
}

void gk_json_str(gk_buf *b, const char *s) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s);
  if (!gk_buf_reserve(b, n * 6 + 2)) return;
  char *o = b->data + b->len;
  *o++ = '"';
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c >= 0x80) {
      size_t l = gk__utf8_len(p + i, n - i);
      if (l == 0) {
        memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        i++;
      } else {
        memcpy(o, p + i, l);
        o += l;
        i += l;
      }
      continue;
    }
    i++;
    switch (c) {
      case '"': *o++ = '\\'; *o++ = '"'; break;
      case '\\': *o++ = '\\'; *o++ = '\\'; break;
      case '\n': *o++ = '\\'; *o++ = 'n'; break;
      case '\r': *o++ = '\\'; *o++ = 'r'; break;
      case '\t': *o++ = '\\'; *o++ = 't'; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          *o++ = '\\'; *o++ = 'u'; *o++ = '0'; *o++ = '0';
          *o++ = hex[c >> 4]; *o++ = hex[c & 15];
        } else
          *o++ = (char)c;
    }
  }
  *o++ = '"';
  b->len = (size_t)(o - b->data);
  b->data[b->len] = '\0';
}

void gk_json_i64(gk_buf *b, int64_t v) {
  char tmp[24];
  int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
  gk_buf_put(b, tmp, (size_t)n);
}

void gk_json_u64(gk_buf *b, uint64_t v) {
  char tmp[24];
  int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
  gk_buf_put(b, tmp, (size_t)n);
}

void gk_json_num(gk_buf *b, double v) {
  if (!isfinite(v)) {
    gk_buf_put(b, "null", 4);
    return;
  }
  if (v == trunc(v) && fabs(v) < 1e15) {
    /* integers: fast and exact */
    char tmp[24], *e = tmp + sizeof tmp, *q = e;
    long long i = (long long)v;
    unsigned long long u = i < 0 ? 0ull - (unsigned long long)i : (unsigned long long)i;
    do {
      *--q = (char)('0' + u % 10);
      u /= 10;
    } while (u);
    if (i < 0 || (i == 0 && signbit(v))) {
      if (i < 0) *--q = '-';
    }
    gk_buf_put(b, q, (size_t)(e - q));
    return;
  }
  char tmp[32];
  int n = 0;
  for (int prec = 15; prec <= 17; prec++) {
    n = snprintf(tmp, sizeof tmp, "%.*g", prec, v);
    if (strtod(tmp, NULL) == v) break;
  }
  gk_buf_put(b, tmp, (size_t)n);
}

char *gk_time_iso8601(int64_t t, char out[21]) {
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    days--;
  }
  int64_t y, m, d;
  gk__civil_from_days(days, &y, &m, &d);
  if (y < 0) y = 0;
  if (y > 9999) y = 9999;
  snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
           (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
  return out;
}

char *gk_day_format(int64_t day, char out[11]) {
  /* Clamp far enough out that the arithmetic cannot overflow; the year is
     clamped to 0..9999 below anyway. */
  if (day < -800000) day = -800000;
  if (day > 3000000) day = 3000000;
  int64_t y, m, d;
  gk__civil_from_days(day, &y, &m, &d);
  if (y < 0) y = 0, m = 1, d = 1;
  if (y > 9999) y = 9999, m = 12, d = 31;
  unsigned yy = (unsigned)y, mm = (unsigned)m, dd = (unsigned)d;
  out[0] = (char)('0' + yy / 1000);
  out[1] = (char)('0' + yy / 100 % 10);
  out[2] = (char)('0' + yy / 10 % 10);
  out[3] = (char)('0' + yy % 10);
  out[4] = '-';
  out[5] = (char)('0' + mm / 10);
  out[6] = (char)('0' + mm % 10);
  out[7] = '-';
  out[8] = (char)('0' + dd / 10);
  out[9] = (char)('0' + dd % 10);
  out[10] = '\0';
  return out;
}

void gk_json_key(gk_buf *b, const char *k) {
  gk_json_str(b, k);
  gk_buf_putc(b, ':');
}

void gk_json_str_or_null(gk_buf *b, const char *s) {
  if (s) gk_json_str(b, s);
  else gk_buf_puts(b, "null");
}

void gk_json_day(gk_buf *b, int64_t day) {
  char d[11];
  if (day == INT64_MIN) gk_buf_puts(b, "null");
  else gk_json_str(b, gk_day_format(day, d));
}

void gk_buf_put_base64(gk_buf *b, const void *data, size_t n) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *p = (const unsigned char *)data;
  if (!gk_buf_reserve(b, (n + 2) / 3 * 4 + 1)) return;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < n) v |= p[i + 2];
    char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63],
                 i + 1 < n ? tab[(v >> 6) & 63] : '=',
                 i + 2 < n ? tab[v & 63] : '='};
    gk_buf_put(b, q, 4);
  }
}
