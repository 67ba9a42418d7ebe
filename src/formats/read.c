/*
** read.c -- any supported file into a gk_activity: the format recognised
** from the content (gk_sniff_format), then the format's reader.
*/
#include "gaitkeeper/formats.h"

#include <string.h>

#include "core/core_internal.h"
#include "gaitkeeper/fit.h"
#include "gaitkeeper/fit_activity.h"
#include "gaitkeeper/xml_activity.h"

const char *gk_format_name(gk_format f) {
  switch (f) {
    case GK_FORMAT_FIT:
      return "fit";
    case GK_FORMAT_GPX:
      return "gpx";
    case GK_FORMAT_TCX:
      return "tcx";
    default:
      return "unknown";
  }
}

/*
** The prolog of an XML document, read far enough to see the root element's
** name.  Code units are bytes (UTF-8, possibly after its byte-order mark)
** or 16-bit units (UTF-16 with a byte-order mark, or without one when the
** document starts with '<' as 00 3C / 3C 00); only ASCII matters here.
*/
typedef struct prolog {
  const unsigned char *p;
  size_t len, pos; /* in bytes */
  int width;       /* 1 or 2 */
  int big_endian;
} prolog;

/* The code unit at pos, or -1 past the end. */
static long unit(const prolog *x, size_t pos) {
  if (x->width == 1) return pos < x->len ? x->p[pos] : -1;
  if (pos + 1 >= x->len) return -1;
  return x->big_endian ? (x->p[pos] << 8) | x->p[pos + 1]
                       : x->p[pos] | (x->p[pos + 1] << 8);
}

static long cur(const prolog *x) { return unit(x, x->pos); }
static void next(prolog *x) { x->pos += (size_t)x->width; }

/* The next units are the ASCII string s. */
static int looking_at(const prolog *x, const char *s) {
  size_t pos = x->pos;
  for (; *s; s++, pos += (size_t)x->width)
    if (unit(x, pos) != (unsigned char)*s) return 0;
  return 1;
}

/* Skip past the ASCII string end; 0 when the input ends first. */
static int skip_past(prolog *x, const char *end) {
  while (cur(x) >= 0) {
    if (looking_at(x, end)) {
      x->pos += strlen(end) * (size_t)x->width;
      return 1;
    }
    next(x);
  }
  return 0;
}

/* <!DOCTYPE ...>, with an internal subset [...] and quoted strings. */
static int skip_doctype(prolog *x) {
  int depth = 0;
  long quote = 0;
  for (long c; (c = cur(x)) >= 0; next(x)) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      depth++;
    } else if (c == ']') {
      if (depth > 0) depth--;
    } else if (c == '<' && depth > 0 && looking_at(x, "<!--")) {
      if (!skip_past(x, "-->")) return 0;
      x->pos -= (size_t)x->width; /* the loop steps past the '>' */
    } else if (c == '>' && depth == 0) {
      next(x);
      return 1;
    }
  }
  return 0;
}

static int name_char(long c) {
  return c > 0x7F || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
         c == ':';
}

static gk_format sniff_xml(const unsigned char *p, size_t len) {
  prolog x = {p, len, 0, 1, 0};
  if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    x.pos = 3;
  } else if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
    x.width = 2, x.big_endian = 1, x.pos = 2;
  } else if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
    x.width = 2, x.pos = 2;
  } else if (len >= 2 && p[0] == 0 && p[1] == '<') {
    x.width = 2, x.big_endian = 1;
  } else if (len >= 2 && p[0] == '<' && p[1] == 0) {
    x.width = 2;
  }
  for (;;) {
    long c = cur(&x);
    if (c < 0) return GK_FORMAT_UNKNOWN;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      next(&x);
      continue;
    }
    if (c != '<') return GK_FORMAT_UNKNOWN;
    if (looking_at(&x, "<?")) {
      if (!skip_past(&x, "?>")) return GK_FORMAT_UNKNOWN;
    } else if (looking_at(&x, "<!--")) {
      if (!skip_past(&x, "-->")) return GK_FORMAT_UNKNOWN;
    } else if (looking_at(&x, "<!DOCTYPE")) {
      if (!skip_doctype(&x)) return GK_FORMAT_UNKNOWN;
    } else {
      break;
    }
  }
  /* the root element's name, its prefix dropped */
  next(&x);
  char name[32];
  size_t n = 0;
  for (long c; (c = cur(&x)) >= 0 && name_char(c); next(&x)) {
    if (c == ':') {
      n = 0;
      continue;
    }
    if (n + 1 >= sizeof name) return GK_FORMAT_UNKNOWN;
    name[n++] = c > 0x7F ? '?' : (char)c;
  }
  long end = cur(&x);
  if (end < 0 || n == 0) return GK_FORMAT_UNKNOWN;
  if (!(end == ' ' || end == '\t' || end == '\r' || end == '\n' ||
        end == '>' || end == '/'))
    return GK_FORMAT_UNKNOWN;
  name[n] = '\0';
  if (strcmp(name, "gpx") == 0) return GK_FORMAT_GPX;
  if (strcmp(name, "TrainingCenterDatabase") == 0) return GK_FORMAT_TCX;
  return GK_FORMAT_UNKNOWN;
}

gk_format gk_sniff_format(const void *buf, size_t len) {
  if (buf == NULL || len == 0) return GK_FORMAT_UNKNOWN;
  if (gk_fit_sniff(buf, len)) return GK_FORMAT_FIT;
  return sniff_xml((const unsigned char *)buf, len);
}

gk_status gk_read_activity(const void *buf, size_t len, unsigned options,
                           gk_format *fmt, gk_activity **out, gk_err *err) {
  if (fmt) *fmt = GK_FORMAT_UNKNOWN;
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  if (buf == NULL && len > 0) {
    gk__set_err(err, GK_E_ARG, "no input", 0);
    return GK_E_ARG;
  }
  gk_format f = gk_sniff_format(buf, len);
  if (fmt) *fmt = f;
  switch (f) {
    case GK_FORMAT_FIT: {
      unsigned o = options & GK_FIT_ACCEPT_BAD_CRC;
      if (options & GK_READ_PARTIAL) o |= GK_FIT_ACT_PARTIAL;
      if (options & GK_READ_NO_HASH) o |= GK_FIT_ACT_NO_HASH;
      return gk_fit_read_activity(buf, len, o, out, err);
    }
    case GK_FORMAT_GPX:
    case GK_FORMAT_TCX: {
      unsigned o = options & (GK_XML_UNKNOWN_ON_FOOT | GK_XML_NO_HASH);
      if (options & GK_READ_PARTIAL) o |= GK_XML_PARTIAL;
      return gk_xml_read_activity(f, buf, len, o, out, NULL, err);
    }
    default:
      gk__set_err(err, GK_E_UNSUPPORTED,
                  "not a FIT, GPX or TCX file (unrecognised content)", 0);
      return GK_E_UNSUPPORTED;
  }
}
