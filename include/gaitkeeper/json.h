/*
** gaitkeeper/json.h -- a growable byte buffer and JSON writing helpers,
** shared by every JSON and CSV output of the library and the program.
*/
#ifndef GK_JSON_H
#define GK_JSON_H

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growable buffer.  Zero-initialise it ({0}); free with gk_buf_free().
   Appends never fail silently: on allocation failure the buffer keeps its
   contents and sets oom. */
typedef struct gk_buf {
  char *data;
  size_t len;
  size_t cap;
  int oom;
} gk_buf;

GK_API void gk_buf_free(gk_buf *b);
GK_API int gk_buf_reserve(gk_buf *b, size_t extra);
GK_API void gk_buf_put(gk_buf *b, const void *p, size_t n);
GK_API void gk_buf_puts(gk_buf *b, const char *s);
GK_API void gk_buf_putc(gk_buf *b, char c);
/* n bytes of s as text safe for a terminal: every control character (C0,
   DEL, and the UTF-8 C1 controls U+0080..U+009F, which some terminals obey
   as escape sequences) becomes a space; everything else is kept. */
GK_API void gk_buf_put_clean(gk_buf *b, const char *s, size_t n);

/* A JSON string literal, quotes included; invalid UTF-8 bytes become
   U+FFFD. */
GK_API void gk_json_str(gk_buf *b, const char *s);
/* Base64 (RFC 4648, with padding) of data[0..n). */
GK_API void gk_buf_put_base64(gk_buf *b, const void *data, size_t n);
/* A JSON number: the shortest decimal that reads back as the same double;
   null for NaN and infinities. */
GK_API void gk_json_num(gk_buf *b, double v);
GK_API void gk_json_i64(gk_buf *b, int64_t v);
GK_API void gk_json_u64(gk_buf *b, uint64_t v);
/* An object member's name and its colon: "k": */
GK_API void gk_json_key(gk_buf *b, const char *k);
/* A JSON string, or null when s is NULL. */
GK_API void gk_json_str_or_null(gk_buf *b, const char *s);
/* A day (Unix days) as "YYYY-MM-DD", or null for INT64_MIN (no day). */
GK_API void gk_json_day(gk_buf *b, int64_t day);

/* Format Unix seconds as ISO-8601 UTC, "YYYY-MM-DDTHH:MM:SSZ", into out
   (at least 21 bytes).  Returns out. */
GK_API char *gk_time_iso8601(int64_t unix_seconds, char out[21]);

/* Format a day (Unix days: days since 1970-01-01) as "YYYY-MM-DD" into
   out (11 bytes); years are clamped to 0000..9999.  Returns out. */
GK_API char *gk_day_format(int64_t day, char out[11]);

#ifdef __cplusplus
}
#endif

#endif /* GK_JSON_H */
