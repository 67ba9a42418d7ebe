/*
** xml_common.c -- the streaming XML reader shared by GPX and TCX.
**
** Input flows: prolog filter (drops a UTF-8 byte-order mark and leading
** whitespace, which expat would reject before an XML declaration) ->
** 64 KiB blocks at fixed stream positions (so the caller's chunking never
** changes what expat reports, see pass()) -> expat, in non-namespace mode
** (a name's prefix is stripped, so gpxtpx:hr, ns3:hr and a default-
** namespace hr are all "hr", and a document with an undeclared prefix
** still reads) -> element stack and text capture -> the format's handlers
** (gpx.c, tcx.c) -> points -> rows of the activity.
**
** Hardening: any <!ENTITY> declaration stops the parse (GK_E_UNSUPPORTED),
** so no entity can expand; expat's billion-laughs limits are set as well;
** external entities are never loaded; element text is kept up to
** GK_XML_MAX_TEXT bytes; nesting is limited to GK_XML_MAX_DEPTH; samples,
** laps and sessions to the model's limits.
*/
#include "formats/xml/xml_internal.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "core/core_internal.h"

/* Debian's libexpat is built with XML_DTD (its expat_config.h); the
   declarations of the billion-laughs setters are behind that macro. */
#ifndef XML_DTD
#define XML_DTD 1
#endif
#include <expat.h>

#if XML_MAJOR_VERSION < 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION < 4)
#error "libexpat 2.4 or later is needed (billion-laughs protection)"
#endif

/* Expat's billion-laughs protection: at most this output per input byte
   once this much has been expanded.  Entity declarations are refused
   anyway; this is the second line. */
#define XML_MAX_AMPLIFICATION 10.0f
#define XML_AMPLIFICATION_THRESHOLD (1u << 20)

/* Bytes handed to XML_Parse at once. */
#define XML_BLOCK (64u * 1024u)

/* Plausible ranges: a value outside is dropped (stats.bad_values). */
#define ALT_MIN_M -12000.0
#define ALT_MAX_M 100000.0
#define DIST_MAX_M 1e8
#define HR_MIN 1.0
#define HR_MAX 300.0
#define CAD_MAX 300.0
#define POWER_MAX_W 10000.0
#define SPEED_MAX_MPS 200.0

typedef struct impl {
  gk__xml_reader r; /* first: a gk__xml_reader * is an impl * */
  XML_Parser p;
  int finished;

  /* the prolog filter */
  int lead;              /* 0: byte-order mark?  1: whitespace  2: through */
  unsigned bom_have;     /* bytes of a UTF-8 BOM seen and held */
  int skip_cr;           /* the last skipped byte was a CR */
  uint64_t skipped;      /* bytes dropped before expat's first byte */
  uint32_t skip_lines;   /* line breaks among them */
  uint32_t skip_col;     /* characters after the last one */
  /* expat gets the input in blocks of XML_BLOCK bytes at fixed positions
     of the stream, whatever the caller's chunks: see pass() */
  unsigned char *block;
  size_t block_n;

  /* the error */
  const char *msg;
  uint64_t offset;
  uint32_t line, col;
  int damage; /* the document itself is malformed or truncated */

  /* text capture */
  int capturing;
  int cap_kind;
  unsigned cap_depth;
  size_t text_len;
  int text_over;
  char text[GK_XML_MAX_TEXT + 1];
} impl;

static impl *impl_of(gk__xml_reader *r) { return (impl *)r; }

/* ---- names -------------------------------------------------------------- */

static const char *const el_names[GK__EL_COUNT] = {
    [GK__EL_gpx] = "gpx",
    [GK__EL_trk] = "trk",
    [GK__EL_trkseg] = "trkseg",
    [GK__EL_trkpt] = "trkpt",
    [GK__EL_ele] = "ele",
    [GK__EL_time] = "time",
    [GK__EL_type] = "type",
    [GK__EL_extensions] = "extensions",
    [GK__EL_TrainingCenterDatabase] = "TrainingCenterDatabase",
    [GK__EL_Activity] = "Activity",
    [GK__EL_Id] = "Id",
    [GK__EL_Lap] = "Lap",
    [GK__EL_TotalTimeSeconds] = "TotalTimeSeconds",
    [GK__EL_DistanceMeters] = "DistanceMeters",
    [GK__EL_MaximumSpeed] = "MaximumSpeed",
    [GK__EL_Calories] = "Calories",
    [GK__EL_AverageHeartRateBpm] = "AverageHeartRateBpm",
    [GK__EL_MaximumHeartRateBpm] = "MaximumHeartRateBpm",
    [GK__EL_Value] = "Value",
    [GK__EL_Cadence] = "Cadence",
    [GK__EL_Track] = "Track",
    [GK__EL_Trackpoint] = "Trackpoint",
    [GK__EL_Time] = "Time",
    [GK__EL_Position] = "Position",
    [GK__EL_LatitudeDegrees] = "LatitudeDegrees",
    [GK__EL_LongitudeDegrees] = "LongitudeDegrees",
    [GK__EL_AltitudeMeters] = "AltitudeMeters",
    [GK__EL_HeartRateBpm] = "HeartRateBpm",
    [GK__EL_Extensions] = "Extensions",
    [GK__EL_Creator] = "Creator",
    [GK__EL_Name] = "Name",
    [GK__EL_UnitId] = "UnitId",
    [GK__EL_ProductID] = "ProductID",
};

static int element_id(const char *local) {
  for (int i = 1; i < GK__EL_COUNT; i++)
    if (strcmp(el_names[i], local) == 0) return i;
  return GK__EL_OTHER;
}

static int ascii_lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int name_ieq(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
      return 0;
  return *a == *b;
}

int gk__xml_ext_id(const char *local) {
  static const struct {
    const char *name;
    int id;
  } ext[] = {
      {"hr", GK__EXT_HR},
      {"heartrate", GK__EXT_HR},
      {"heart_rate", GK__EXT_HR},
      {"cad", GK__EXT_CADENCE},
      {"cadence", GK__EXT_CADENCE},
      {"RunCadence", GK__EXT_RUN_CADENCE},
      {"power", GK__EXT_POWER},
      {"PowerInWatts", GK__EXT_POWER},
      {"Watts", GK__EXT_POWER},
      {"speed", GK__EXT_SPEED},
      {"AvgSpeed", GK__EXT_AVG_SPEED},
      {"AvgRunCadence", GK__EXT_AVG_RUN_CADENCE},
      {"MaxRunCadence", GK__EXT_MAX_RUN_CADENCE},
      {"MaxBikeCadence", GK__EXT_MAX_BIKE_CADENCE},
      {"AvgWatts", GK__EXT_AVG_WATTS},
  };
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
    if (name_ieq(local, ext[i].name)) return ext[i].id;
  return GK__EXT_NONE;
}

const char *gk__xml_local(const char *name) {
  const char *c = strrchr(name, ':');
  return c ? c + 1 : name;
}

const char *gk__xml_attr(const char **atts, const char *local) {
  if (atts == NULL) return NULL;
  for (size_t i = 0; atts[i] && atts[i + 1]; i += 2)
    if (strcmp(gk__xml_local(atts[i]), local) == 0) return atts[i + 1];
  return NULL;
}

int gk__xml_up(const gk__xml_reader *r, unsigned n) {
  return n < r->depth ? r->stack[r->depth - n] : GK__EL_OTHER;
}

void gk__xml_capture(gk__xml_reader *r, int kind) {
  impl *ri = impl_of(r);
  ri->capturing = 1;
  ri->cap_kind = kind;
  ri->cap_depth = r->depth;
  ri->text_len = 0;
  ri->text_over = 0;
}

/* ---- errors ------------------------------------------------------------- */

static uint32_t clamp_u32(uint64_t v) {
  return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Where the parser is, in the caller's input (the prolog filter's bytes
   and lines added back).  Columns are 1-based, in characters. */
static void where(impl *ri) {
  XML_Index i = XML_GetCurrentByteIndex(ri->p);
  XML_Size line = XML_GetCurrentLineNumber(ri->p);
  XML_Size col = XML_GetCurrentColumnNumber(ri->p);
  ri->offset = ri->skipped + (i > 0 ? (uint64_t)i : 0);
  if (line < 1) line = 1;
  uint64_t l = (uint64_t)ri->skip_lines + line;
  uint64_t c = (uint64_t)col + 1 + (line == 1 ? ri->skip_col : 0);
  ri->line = clamp_u32(l);
  ri->col = clamp_u32(c);
}

void gk__xml_fail(gk__xml_reader *r, gk_status st, const char *msg) {
  impl *ri = impl_of(r);
  if (r->st != GK_OK) return;
  r->st = GK_CORRUPT(st);
  ri->msg = msg;
  ri->damage = 0;
  where(ri);
  XML_StopParser(ri->p, XML_FALSE);
}

/* Expat stopped on its own: the document's error. */
static void expat_failed(impl *ri, int final) {
  gk__xml_reader *r = &ri->r;
  if (r->st != GK_OK) return; /* a handler stopped it: that error stands */
  enum XML_Error code = XML_GetErrorCode(ri->p);
  gk_status st = GK_E_CORRUPT;
  int damage = 1;
  switch (code) {
    case XML_ERROR_NO_MEMORY:
      st = GK_E_NOMEM;
      damage = 0;
      break;
    case XML_ERROR_NO_ELEMENTS:
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_PARTIAL_CHAR:
    case XML_ERROR_UNCLOSED_CDATA_SECTION:
      st = final ? GK_E_TRUNCATED : GK_E_CORRUPT;
      break;
    case XML_ERROR_UNKNOWN_ENCODING:
      st = GK_E_UNSUPPORTED;
      damage = 0;
      break;
    case XML_ERROR_AMPLIFICATION_LIMIT_BREACH:
      st = GK_E_LIMIT;
      damage = 0;
      break;
    default:
      break;
  }
  r->st = GK_CORRUPT(st);
  ri->msg = XML_ErrorString(code);
  if (ri->msg == NULL) ri->msg = "malformed XML";
  ri->damage = damage;
  where(ri);
}

/* ---- expat handlers ----------------------------------------------------- */

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  impl *ri = (impl *)ud;
  gk__xml_reader *r = &ri->r;
  if (r->st != GK_OK) return;
  if (r->depth >= GK_XML_MAX_DEPTH) {
    gk__xml_fail(r, GK_E_LIMIT, "elements nested too deeply");
    return;
  }
  const char *local = gk__xml_local(name);
  int id = element_id(local);
  r->depth++;
  r->stack[r->depth] = (uint8_t)id;
  if (r->depth == 1 && strcmp(local, r->ops->root) != 0) {
    gk__xml_fail(r, GK_E_UNSUPPORTED, r->ops->not_root);
    return;
  }
  if ((id == GK__EL_extensions || id == GK__EL_Extensions) &&
      r->ext_depth == 0)
    r->ext_depth = r->depth;
  r->ops->start(r, id, local, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  impl *ri = (impl *)ud;
  gk__xml_reader *r = &ri->r;
  (void)name;
  if (r->st != GK_OK || r->depth == 0) return;
  int id = r->stack[r->depth];
  if (ri->capturing && ri->cap_depth == r->depth) {
    ri->capturing = 0;
    ri->text[ri->text_len] = '\0';
    r->ops->text(r, ri->cap_kind, ri->text, ri->text_len, ri->text_over);
    if (r->st != GK_OK) return;
  }
  r->ops->end(r, id);
  if (r->ext_depth == r->depth) r->ext_depth = 0;
  if (ri->capturing && ri->cap_depth >= r->depth) ri->capturing = 0;
  r->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  impl *ri = (impl *)ud;
  if (ri->r.st != GK_OK || !ri->capturing || ri->cap_depth != ri->r.depth ||
      len <= 0)
    return;
  size_t n = (size_t)len, room = GK_XML_MAX_TEXT - ri->text_len;
  if (n > room) {
    n = room;
    ri->text_over = 1;
  }
  memcpy(ri->text + ri->text_len, s, n);
  ri->text_len += n;
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name,
                                   int is_parameter_entity,
                                   const XML_Char *value, int value_length,
                                   const XML_Char *base,
                                   const XML_Char *system_id,
                                   const XML_Char *public_id,
                                   const XML_Char *notation_name) {
  (void)name;
  (void)is_parameter_entity;
  (void)value;
  (void)value_length;
  (void)base;
  (void)system_id;
  (void)public_id;
  (void)notation_name;
  gk__xml_fail(&((impl *)ud)->r, GK_E_UNSUPPORTED,
               "entity declarations are not allowed");
}

/* windows-1252: 0x80..0x9F; the five bytes it leaves undefined map to the
   C1 controls of the same value (as in the WHATWG decoder). */
static const unsigned short cp1252_80[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static int XMLCALL on_unknown_encoding(void *ud, const XML_Char *name,
                                       XML_Encoding *info) {
  (void)ud;
  if (!name_ieq(name, "windows-1252") && !name_ieq(name, "cp1252"))
    return XML_STATUS_ERROR;
  for (int i = 0; i < 256; i++)
    info->map[i] = (i >= 0x80 && i < 0xA0) ? cp1252_80[i - 0x80] : i;
  info->data = NULL;
  info->convert = NULL;
  info->release = NULL;
  return XML_STATUS_OK;
}

/* ---- the reader --------------------------------------------------------- */

gk_status gk__xml_reader_new(gk__xml_reader **out, gk_format format,
                             unsigned options) {
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  const gk__xml_ops *ops = format == GK_FORMAT_GPX   ? &gk__gpx_ops
                           : format == GK_FORMAT_TCX ? &gk__tcx_ops
                                                     : NULL;
  if (ops == NULL) return GK_E_ARG;
  const gk_alloc *al = gk__alloc_or_default(NULL);
  impl *ri = (impl *)al->malloc(al->ctx, sizeof *ri);
  if (ri == NULL) return GK_E_NOMEM;
  memset(ri, 0, sizeof *ri);
  gk__xml_reader *r = &ri->r;
  r->ops = ops;
  r->al = al;
  r->options = options;
  if (gk_activity_new(&r->a, NULL) != GK_OK) {
    al->free(al->ctx, ri, sizeof *ri);
    return GK_E_NOMEM;
  }
  memcpy(r->a->source.format, format == GK_FORMAT_GPX ? "gpx" : "tcx", 4);
  r->pt_lat = r->pt_lon = NAN;
  r->last_t = r->first_t = NAN;

  ri->block = (unsigned char *)al->malloc(al->ctx, XML_BLOCK);
  ri->p = XML_ParserCreate(NULL);
  if (ri->p == NULL || ri->block == NULL) {
    gk__xml_reader_free(r);
    return GK_E_NOMEM;
  }
  XML_SetUserData(ri->p, ri);
  XML_SetElementHandler(ri->p, on_start, on_end);
  XML_SetCharacterDataHandler(ri->p, on_text);
  XML_SetEntityDeclHandler(ri->p, on_entity_decl);
  XML_SetUnknownEncodingHandler(ri->p, on_unknown_encoding, NULL);
  XML_SetParamEntityParsing(ri->p, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetBillionLaughsAttackProtectionMaximumAmplification(
      ri->p, XML_MAX_AMPLIFICATION);
  XML_SetBillionLaughsAttackProtectionActivationThreshold(
      ri->p, XML_AMPLIFICATION_THRESHOLD);
  *out = r;
  return GK_OK;
}

void gk__xml_reader_free(gk__xml_reader *r) {
  if (r == NULL) return;
  impl *ri = impl_of(r);
  if (ri->p) XML_ParserFree(ri->p);
  if (ri->block) r->al->free(r->al->ctx, ri->block, XML_BLOCK);
  if (r->ops->release) r->ops->release(r);
  if (r->seg_rows)
    r->al->free(r->al->ctx, r->seg_rows, r->seg_rows_cap * sizeof(size_t));
  gk_activity_free(r->a);
  const gk_alloc *al = r->al;
  al->free(al->ctx, ri, sizeof *ri);
}

static gk_status parse(impl *ri, const char *s, size_t n, int final) {
  if (XML_Parse(ri->p, s, (int)n, final) == XML_STATUS_ERROR)
    expat_failed(ri, final);
  return ri->r.st;
}

static const unsigned char utf8_bom[3] = {0xEF, 0xBB, 0xBF};

/*
** Bytes for expat.  Expat's results are not quite independent of how its
** input is split: it guesses the encoding from the first bytes it gets
** (UTF-16 when the second is 0, so one byte alone is taken as UTF-8), and
** a few errors are named and placed differently when a token is cut (junk
** after the root element, fed byte by byte, is "junk after document
** element" at its first byte; whole, "not well-formed" a few bytes on).
** So expat always gets XML_BLOCK bytes starting at a multiple of XML_BLOCK
** in the stream (the last block shorter), whatever the caller's chunks:
** straight from the caller's buffer when a whole block is there, else
** through the staging block.  Reading in chunks then gives exactly what
** reading the whole does, and tiny chunks cost no re-scanning in expat.
*/
static gk_status pass(impl *ri, const char *s, size_t n) {
  while (n > 0 && ri->r.st == GK_OK) {
    if (ri->block_n == 0 && n >= XML_BLOCK) {
      parse(ri, s, XML_BLOCK, 0);
      s += XML_BLOCK;
      n -= XML_BLOCK;
      continue;
    }
    size_t k = XML_BLOCK - ri->block_n;
    if (k > n) k = n;
    memcpy(ri->block + ri->block_n, s, k);
    ri->block_n += k;
    s += k;
    n -= k;
    if (ri->block_n == XML_BLOCK) {
      ri->block_n = 0;
      parse(ri, (const char *)ri->block, XML_BLOCK, 0);
    }
  }
  return ri->r.st;
}

gk_status gk__xml_reader_feed(gk__xml_reader *r, const void *buf, size_t len) {
  if (r == NULL || (buf == NULL && len > 0)) return GK_E_ARG;
  impl *ri = impl_of(r);
  if (r->st != GK_OK) return r->st;
  if (ri->finished) return GK_E_ARG;
  const unsigned char *p = (const unsigned char *)buf;
  while (ri->lead < 2 && len > 0) {
    unsigned char b = *p;
    if (ri->lead == 0) {
      if (b == utf8_bom[ri->bom_have]) {
        p++;
        len--;
        if (++ri->bom_have == 3) {
          ri->skipped += 3;
          ri->lead = 1;
        }
        continue;
      }
      if (ri->bom_have > 0) {
        /* not a BOM after all: give expat the bytes held */
        ri->lead = 2;
        if (pass(ri, (const char *)utf8_bom, ri->bom_have) != GK_OK)
          return r->st;
        break;
      }
      ri->lead = 1;
    }
    if (b == '\n') {
      if (!ri->skip_cr) ri->skip_lines++;
      ri->skip_col = 0;
      ri->skip_cr = 0;
    } else if (b == '\r') {
      ri->skip_lines++;
      ri->skip_col = 0;
      ri->skip_cr = 1;
    } else if (b == ' ' || b == '\t') {
      ri->skip_col++;
      ri->skip_cr = 0;
    } else {
      ri->lead = 2;
      break;
    }
    ri->skipped++;
    p++;
    len--;
  }
  if (len == 0) return GK_OK;
  return pass(ri, (const char *)p, len);
}

gk_status gk__xml_reader_finish(gk__xml_reader *r, gk_activity **out,
                                gk_xml_stats *stats, gk_err *err) {
  if (out) *out = NULL;
  if (r == NULL || out == NULL) {
    gk__xml_reader_free(r);
    return GK_E_ARG;
  }
  impl *ri = impl_of(r);
  if (r->st == GK_OK && !ri->finished) {
    if (ri->lead == 0 && ri->bom_have > 0 && ri->bom_have < 3)
      pass(ri, (const char *)utf8_bom, ri->bom_have);
    if (r->st == GK_OK)
      parse(ri, (const char *)ri->block, ri->block_n, 1); /* the last */
  }
  ri->finished = 1;
  gk_status st = r->st;
  if (st != GK_OK) {
    if (err) {
      err->code = st;
      err->msg = ri->msg;
      err->offset = ri->offset;
      err->line = ri->line;
      err->col = ri->col;
    }
    int keep = (r->options & GK_XML_PARTIAL) && ri->damage &&
               (r->stats.points > 0 || r->stats.laps > 0);
    if (!keep) goto done;
    r->a->flags |= GK_ACT_PARTIAL;
    r->st = GK_OK;
    r->in_point = 0; /* the point the damage cut is not kept */
  }
  st = r->ops->finish(r);
  if (st == GK_OK) st = r->st;
  if (st != GK_OK) {
    if (err) {
      err->code = st;
      err->msg = r->st == st && ri->msg ? ri->msg
                 : st == GK_E_LIMIT     ? "activity exceeds a hard limit"
                                        : "out of memory";
      err->offset = ri->offset;
      err->line = ri->line;
      err->col = ri->col;
    }
    goto done;
  }
  *out = r->a;
  r->a = NULL;
done:
  if (stats) *stats = r->stats;
  gk__xml_reader_free(r);
  return st;
}

/* ---- numbers and times -------------------------------------------------- */

static int is_space(int c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n) {
  while (*n > 0 && is_space((unsigned char)**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n > 0 && is_space((unsigned char)(*s)[*n - 1])) (*n)--;
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/*
** Decimal to double without the C locale: up to 19 significant digits in
** an integer, then one correctly rounded operation when the integer and
** the power of ten are both exact in a double (the usual case: 15 digits,
** |exponent| <= 22), else long double arithmetic (within an ulp or so).
*/
int gk__xml_parse_double(const char *s, size_t n, double *out) {
  static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                 1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                 1e18, 1e19, 1e20, 1e21, 1e22};
  trim(&s, &n);
  size_t i = 0;
  int neg = 0;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  uint64_t mant = 0;
  int sig = 0, digits = 0;
  long exp10 = 0;
  for (; i < n && is_digit((unsigned char)s[i]); i++, digits++) {
    int d = s[i] - '0';
    if (mant == 0 && d == 0) continue;
    if (sig < 19) {
      mant = mant * 10 + (uint64_t)d;
      sig++;
    } else {
      exp10++;
    }
  }
  if (i < n && s[i] == '.') {
    for (i++; i < n && is_digit((unsigned char)s[i]); i++, digits++) {
      int d = s[i] - '0';
      if (mant == 0 && d == 0) {
        exp10--;
      } else if (sig < 19) {
        mant = mant * 10 + (uint64_t)d;
        sig++;
        exp10--;
      }
    }
  }
  if (digits == 0) return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= n || !is_digit((unsigned char)s[i])) return 0;
    long e = 0;
    for (; i < n && is_digit((unsigned char)s[i]); i++)
      if (e < 100000) e = e * 10 + (s[i] - '0');
    exp10 += eneg ? -e : e;
  }
  if (i != n) return 0;
  double v;
  if (mant == 0) {
    v = 0.0;
  } else if (mant <= (1ull << 53) && exp10 >= -22 && exp10 <= 22) {
    v = exp10 < 0 ? (double)mant / p10[-exp10] : (double)mant * p10[exp10];
  } else if (exp10 > 400) {
    return 0; /* overflows */
  } else if (exp10 < -400) {
    v = 0.0;
  } else {
    v = (double)((long double)mant * powl(10.0L, (long double)exp10));
  }
  if (!isfinite(v)) return 0;
  *out = neg ? -v : v;
  return 1;
}

/* Exactly k digits at s[*i]. */
static int fixed_digits(const char *s, size_t n, size_t *i, int k, int *out) {
  int v = 0;
  for (int j = 0; j < k; j++, (*i)++) {
    if (*i >= n || !is_digit((unsigned char)s[*i])) return 0;
    v = v * 10 + (s[*i] - '0');
  }
  *out = v;
  return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m) {
  static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : dim[m - 1];
}

int gk__xml_parse_time(const char *s, size_t n, int64_t *sec, double *frac) {
  trim(&s, &n);
  size_t i = 0;
  int y, mo, d, h, mi, se = 0;
  if (!fixed_digits(s, n, &i, 4, &y) || i >= n || s[i++] != '-' ||
      !fixed_digits(s, n, &i, 2, &mo) || i >= n || s[i++] != '-' ||
      !fixed_digits(s, n, &i, 2, &d) || i >= n ||
      (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
    return 0;
  i++;
  if (!fixed_digits(s, n, &i, 2, &h) || i >= n || s[i++] != ':' ||
      !fixed_digits(s, n, &i, 2, &mi))
    return 0;
  double f = 0;
  if (i < n && s[i] == ':') {
    i++;
    if (!fixed_digits(s, n, &i, 2, &se)) return 0;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
      i++;
      if (i >= n || !is_digit((unsigned char)s[i])) return 0;
      double scale = 0.1;
      for (int k = 0; i < n && is_digit((unsigned char)s[i]); i++, k++)
        if (k < 9) {
          f += (s[i] - '0') * scale;
          scale /= 10;
        }
    }
  }
  int64_t off = 0;
  if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
    i++;
  } else if (i < n && (s[i] == '+' || s[i] == '-')) {
    int neg = s[i++] == '-';
    int oh, om = 0;
    if (!fixed_digits(s, n, &i, 2, &oh)) return 0;
    if (i < n && s[i] == ':') i++;
    if (i < n && !fixed_digits(s, n, &i, 2, &om)) return 0;
    if (oh > 23 || om > 59) return 0;
    off = (neg ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
  }
  if (i != n) return 0;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
      mi > 59 || se > 60)
    return 0;
  *sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  *frac = f < 1.0 ? f : 0.999999999;
  return 1;
}

double gk__xml_time(gk__xml_reader *r, const char *s, size_t n, int over) {
  trim(&s, &n);
  if (n == 0) return NAN;
  int64_t sec;
  double frac;
  if (over || !gk__xml_parse_time(s, n, &sec, &frac)) {
    r->stats.bad_times++;
    return NAN;
  }
  if (!r->have_base) {
    r->have_base = 1;
    r->base = sec;
  }
  return (double)(sec - r->base) + frac;
}

double gk__xml_number(gk__xml_reader *r, const char *s, size_t n, int over,
                      double lo, double hi) {
  trim(&s, &n);
  if (n == 0 && !over) return NAN; /* empty: absent, not bad */
  double v;
  if (over || !gk__xml_parse_double(s, n, &v) || v < lo || v > hi) {
    r->stats.bad_values++;
    return NAN;
  }
  return v;
}

/* ---- names -------------------------------------------------------------- */

void gk__xml_copy_name(char dst[GK_NAME_MAX], const char *s, size_t n) {
  trim(&s, &n);
  if (n > GK_NAME_MAX - 1) {
    n = GK_NAME_MAX - 1;
    /* do not cut a UTF-8 sequence (expat's text is valid UTF-8) */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  }
  for (size_t i = 0; i < n; i++)
    dst[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
  dst[n] = '\0';
}

void gk__xml_sport(const char *s, size_t n, char sport[GK_NAME_MAX],
                   char sub_sport[GK_NAME_MAX]) {
  /* normalized: lower case, every other character than [a-z0-9] -> '_' */
  static const struct {
    const char *name, *sport, *sub;
  } map[] = {
      {"running", "running", ""},
      {"run", "running", ""},
      {"9", "running", ""}, /* Strava's GPX exports: 9 is a run */
      {"jogging", "running", ""},
      {"trail_running", "running", "trail"},
      {"trailrun", "running", "trail"},
      {"trail_run", "running", "trail"},
      {"treadmill_running", "running", "treadmill"},
      {"treadmill", "running", "treadmill"},
      {"indoor_running", "running", "indoor_running"},
      {"track_running", "running", "track"},
      {"street_running", "running", "street"},
      {"virtualrun", "running", "virtual_activity"},
      {"virtual_run", "running", "virtual_activity"},
      {"walking", "walking", ""},
      {"walk", "walking", ""},
      {"hiking", "hiking", ""},
      {"hike", "hiking", ""},
      {"cycling", "cycling", ""},
      {"biking", "cycling", ""},
      {"bike", "cycling", ""},
      {"ride", "cycling", ""},
      {"road_biking", "cycling", "road"},
      {"road_cycling", "cycling", "road"},
      {"mountain_biking", "cycling", "mountain"},
      {"mountainbikeride", "cycling", "mountain"},
      {"virtualride", "cycling", "virtual_activity"},
      {"virtual_ride", "cycling", "virtual_activity"},
      {"indoor_cycling", "cycling", "indoor_cycling"},
      {"swimming", "swimming", ""},
      {"swim", "swimming", ""},
      {"other", "", ""},
  };
  char norm[GK_NAME_MAX];
  trim(&s, &n);
  size_t k = 0;
  for (size_t i = 0; i < n && k < GK_NAME_MAX - 1; i++) {
    int c = ascii_lower((unsigned char)s[i]);
    if ((unsigned char)s[i] >= 0x80) {
      /* one '_' per UTF-8 character */
      if (((unsigned char)s[i] & 0xC0) == 0x80) continue;
      c = '_';
    } else if (!((c >= 'a' && c <= 'z') || is_digit(c))) {
      c = '_';
    }
    norm[k++] = (char)c;
  }
  norm[k] = '\0';
  sub_sport[0] = '\0';
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(norm, map[i].name) == 0) {
      memcpy(sport, map[i].sport, strlen(map[i].sport) + 1);
      memcpy(sub_sport, map[i].sub, strlen(map[i].sub) + 1);
      return;
    }
  memcpy(sport, norm, k + 1);
}

/* ---- points ------------------------------------------------------------- */

void gk__xml_point_begin(gk__xml_reader *r) {
  r->in_point = 1;
  r->point_depth = r->depth;
  gk_sample_clear(&r->pt);
  r->pt_lat = r->pt_lon = NAN;
  r->pt_pos_bad = 0;
  r->pt_run_cadence = 0;
  r->pt_cad_explicit = 0;
  r->stats.points++;
}

/* A coordinate: a number within +-limit, else the position is bad. */
static void coordinate(gk__xml_reader *r, double *dst, const char *s,
                       size_t n, int over, double limit) {
  trim(&s, &n);
  double v;
  if (over || n == 0 || !gk__xml_parse_double(s, n, &v) || v < -limit ||
      v > limit) {
    r->pt_pos_bad = 1;
    return;
  }
  *dst = v;
}

void gk__xml_point_value(gk__xml_reader *r, int pv, const char *s, size_t n,
                         int over) {
  if (!r->in_point) return;
  gk_sample *p = &r->pt;
  double v;
  switch (pv) {
    case GK__PV_TIME:
      p->time_s = gk__xml_time(r, s, n, over);
      break;
    case GK__PV_LAT:
      coordinate(r, &r->pt_lat, s, n, over, 90.0);
      break;
    case GK__PV_LON:
      coordinate(r, &r->pt_lon, s, n, over, 180.0);
      break;
    case GK__PV_ALTITUDE:
      v = gk__xml_number(r, s, n, over, ALT_MIN_M, ALT_MAX_M);
      if (!isnan(v)) p->altitude_m = v;
      break;
    case GK__PV_DISTANCE:
      v = gk__xml_number(r, s, n, over, 0.0, DIST_MAX_M);
      if (!isnan(v)) p->distance_m = v;
      break;
    case GK__PV_HR:
      v = gk__xml_number(r, s, n, over, HR_MIN, HR_MAX);
      if (!isnan(v)) p->hr_bpm = v;
      break;
    case GK__PV_CADENCE:
      v = gk__xml_number(r, s, n, over, 0.0, CAD_MAX);
      if (!isnan(v)) {
        p->cadence_rpm = v;
        r->pt_cad_explicit = 1;
      }
      break;
    case GK__PV_RUN_CADENCE:
      v = gk__xml_number(r, s, n, over, 0.0, CAD_MAX);
      if (!isnan(v)) {
        if (!r->pt_cad_explicit) p->cadence_rpm = v;
        r->pt_run_cadence = 1;
      }
      break;
    case GK__PV_POWER:
      v = gk__xml_number(r, s, n, over, 0.0, POWER_MAX_W);
      if (!isnan(v)) p->power_w = v;
      break;
    case GK__PV_SPEED:
      v = gk__xml_number(r, s, n, over, 0.0, SPEED_MAX_MPS);
      if (!isnan(v)) p->speed_mps = v;
      break;
    default:
      break;
  }
}

/* Nothing but (maybe) a time. */
static int sample_empty(const gk_sample *s) {
  double v[GK_COL_COUNT];
#define GET(name) v[GK_COL_##name] = s->name;
  GK_SERIES_COLUMNS(GET)
#undef GET
  for (unsigned c = 0; c < GK_COL_COUNT; c++)
    if (c != GK_COL_time_s && !isnan(v[c])) return 0;
  return 1;
}

/* Row i starts a segment. */
static void mark_segment(gk__xml_reader *r, size_t i) {
  if (r->n_seg_rows == r->seg_rows_cap) {
    size_t cap = r->seg_rows_cap ? r->seg_rows_cap * 2 : 16;
    void *p = r->al->realloc(r->al->ctx, r->seg_rows,
                             r->seg_rows_cap * sizeof(size_t),
                             cap * sizeof(size_t));
    if (p == NULL) {
      gk__xml_fail(r, GK_E_NOMEM, "out of memory");
      return;
    }
    r->seg_rows = (size_t *)p;
    r->seg_rows_cap = cap;
  }
  r->seg_rows[r->n_seg_rows++] = i;
}

void gk__xml_point_end(gk__xml_reader *r) {
  if (!r->in_point) return;
  r->in_point = 0;
  gk_activity *a = r->a;
  gk_series *se = &a->series;
  gk_sample *p = &r->pt;
  a->stats.records++;

  if (!r->pt_pos_bad && !isnan(r->pt_lat) && !isnan(r->pt_lon)) {
    p->lat_deg = r->pt_lat;
    p->lon_deg = r->pt_lon;
  } else if (r->pt_pos_bad || !isnan(r->pt_lat) || !isnan(r->pt_lon)) {
    r->stats.bad_positions++;
  }
  if (sample_empty(p)) {
    a->stats.empty++;
    return;
  }
  int timed = !isnan(p->time_s);
  if (timed && r->have_last_t && p->time_s == r->last_t &&
      r->last_t_row + 1 == se->n) {
    /* the same time as the row before: fill its gaps */
    size_t i = r->last_t_row;
#define FILL(name) \
  if (isnan(se->name[i])) se->name[i] = p->name;
    GK_SERIES_COLUMNS(FILL)
#undef FILL
    a->stats.merged++;
    if (r->pt_run_cadence) r->any_run_cadence = 1;
    return;
  }
  if (timed && r->have_last_t && p->time_s < r->last_t)
    a->flags |= GK_ACT_TIME_BACKWARDS;
  gk_status st = gk_activity_add_sample(a, p);
  if (st != GK_OK) {
    gk__xml_fail(r, st,
                 st == GK_E_LIMIT ? "too many track points (GK_MAX_SAMPLES)"
                                  : "out of memory");
    return;
  }
  size_t row = se->n - 1;
  if (timed) {
    if (r->timed_rows++ == 0) r->first_t = p->time_s;
    r->have_last_t = 1;
    r->last_t = p->time_s;
    r->last_t_row = row;
  }
  if (r->pt_run_cadence) r->any_run_cadence = 1;
  if (r->seg_break) {
    r->seg_break = 0;
    mark_segment(r, row);
  }
}

/* ---- finishing ---------------------------------------------------------- */

/* Keep only the timed rows; sessions' ranges and segment marks follow. */
static void drop_untimed(gk__xml_reader *r) {
  gk_activity *a = r->a;
  gk_series *se = &a->series;
  size_t n = se->n, ns = a->n_sessions, w = 0, fs = 0, fe = 0, mk = 0;
  size_t old_f[GK_MAX_SESSIONS], old_e[GK_MAX_SESSIONS];
  for (size_t k = 0; k < ns; k++) {
    old_f[k] = a->sessions[k].first_sample;
    old_e[k] = old_f[k] + a->sessions[k].n_samples;
  }
  /* sessions and marks are in row order: one pass with cursors */
  for (size_t i = 0; i <= n; i++) {
    for (; fs < ns && old_f[fs] <= i; fs++) a->sessions[fs].first_sample = w;
    for (; fe < ns && old_e[fe] <= i; fe++)
      a->sessions[fe].n_samples = w - a->sessions[fe].first_sample;
    for (; mk < r->n_seg_rows && r->seg_rows[mk] <= i; mk++)
      r->seg_rows[mk] = w;
    if (i == n || isnan(se->time_s[i])) continue;
    if (w != i) {
#define MOVE(name) se->name[w] = se->name[i];
      GK_SERIES_COLUMNS(MOVE)
#undef MOVE
    }
    w++;
  }
  a->stats.untimed += (uint32_t)(n - w);
  se->n = w;
}

/* Distances from positions, segment by segment, when no row has one. */
static void distances_from_positions(gk__xml_reader *r) {
  gk_series *se = &r->a->series;
  for (size_t i = 0; i < se->n; i++)
    if (!isnan(se->distance_m[i])) return;
  double cum = 0, plat = 0, plon = 0;
  int have_prev = 0, brk = 0;
  size_t mk = 0;
  for (size_t i = 0; i < se->n; i++) {
    for (; mk < r->n_seg_rows && r->seg_rows[mk] <= i; mk++)
      if (r->seg_rows[mk] == i) brk = 1;
    double la = se->lat_deg[i], lo = se->lon_deg[i];
    if (isnan(la) || isnan(lo)) continue;
    if (have_prev && !brk) cum += gk_haversine_m(plat, plon, la, lo);
    se->distance_m[i] = cum;
    plat = la;
    plon = lo;
    have_prev = 1;
    brk = 0;
  }
}

void gk__xml_finish_rows(gk__xml_reader *r) {
  gk_activity *a = r->a;
  gk_series *se = &a->series;
  size_t n = se->n, nt = r->timed_rows;
  r->any_timed = 0;
  if (nt > 0 && nt * 100 < (uint64_t)n * GK_XML_MIN_TIMED_PCT) {
    /* mostly untimed: the few times are ignored */
    for (size_t i = 0; i < n; i++) se->time_s[i] = NAN;
    r->stats.ignored_times = (uint32_t)nt;
    a->flags &= ~GK_ACT_TIME_BACKWARDS;
    for (size_t k = 0; k < a->n_sessions; k++)
      a->sessions[k].start_s = NAN;
  } else if (nt > 0) {
    if (nt < n) drop_untimed(r);
    r->any_timed = 1;
  }
  distances_from_positions(r);
}

void gk__xml_set_start(gk__xml_reader *r, double start_rel) {
  gk_activity *a = r->a;
  if (isnan(start_rel) || !r->have_base) {
    /* no start: relative times mean nothing */
    a->start_time = 0;
    a->flags |= GK_ACT_START_UNKNOWN;
    for (size_t i = 0; i < a->n_laps; i++) a->laps[i].start_s = NAN;
    for (size_t i = 0; i < a->n_sessions; i++) a->sessions[i].start_s = NAN;
    return;
  }
  double f = floor(start_rel);
  a->start_time = r->base + (int64_t)f;
  gk_series *se = &a->series;
  for (size_t i = 0; i < se->n; i++) se->time_s[i] -= f;
  for (size_t i = 0; i < a->n_laps; i++) a->laps[i].start_s -= f;
  for (size_t i = 0; i < a->n_sessions; i++) a->sessions[i].start_s -= f;
}

void gk__xml_convert_cadence(gk__xml_reader *r, size_t first, size_t n,
                             int on_foot) {
  gk_series *se = &r->a->series;
  for (size_t i = first; i < first + n && i < se->n; i++)
    se->cadence_spm[i] = on_foot ? 2.0 * se->cadence_rpm[i] : NAN;
}

void gk__xml_summarize(gk__xml_reader *r, size_t first, size_t n, int on_foot,
                       gk_summary *out) {
  gk_activity_summarize(r->a, first, n, on_foot, out);
  uint32_t drop = 0;
  if (!r->any_timed) {
    /* no time at all: nothing time-based */
    out->elapsed_s = NAN;
    out->timer_s = NAN;
    out->moving_s = NAN;
    out->total_steps = NAN;
    drop |= (1u << GK_SUM_ELAPSED_S) | (1u << GK_SUM_TIMER_S) |
            (1u << GK_SUM_MOVING_S) | (1u << GK_SUM_TOTAL_STEPS);
  }
  if (!on_foot) {
    out->avg_cadence_spm = NAN;
    out->max_cadence_spm = NAN;
    out->total_steps = NAN;
    out->avg_stance_time_ms = NAN;
    out->avg_vertical_oscillation_mm = NAN;
    out->avg_step_length_mm = NAN;
    out->avg_vertical_ratio_pct = NAN;
    out->stance_balance_left_pct = NAN;
    drop |= (1u << GK_SUM_AVG_CADENCE_SPM) | (1u << GK_SUM_MAX_CADENCE_SPM) |
            (1u << GK_SUM_TOTAL_STEPS) | (1u << GK_SUM_AVG_STANCE_TIME_MS) |
            (1u << GK_SUM_AVG_VERTICAL_OSCILLATION_MM) |
            (1u << GK_SUM_AVG_STEP_LENGTH_MM) |
            (1u << GK_SUM_AVG_VERTICAL_RATIO_PCT) |
            (1u << GK_SUM_STANCE_BALANCE_LEFT_PCT);
  }
  out->computed &= ~drop;
}

/* ---- public entry ------------------------------------------------------- */

gk_status gk_xml_read_activity(gk_format format, const void *buf, size_t len,
                               unsigned options, gk_activity **out,
                               gk_xml_stats *stats, gk_err *err) {
  if (stats) memset(stats, 0, sizeof *stats);
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  if ((buf == NULL && len > 0) ||
      (format != GK_FORMAT_GPX && format != GK_FORMAT_TCX)) {
    gk__set_err(err, GK_E_ARG, buf == NULL ? "no input" : "not an XML format",
                0);
    return GK_E_ARG;
  }
  gk__xml_reader *r;
  gk_status st = gk__xml_reader_new(&r, format, options);
  if (st != GK_OK) {
    gk__set_err(err, st, "out of memory", 0);
    return st;
  }
  (void)gk__xml_reader_feed(r, buf, len); /* an error is kept for finish */
  st = gk__xml_reader_finish(r, out, stats, err);
  if (st == GK_OK && !(options & GK_XML_NO_HASH))
    (*out)->source.content_hash = gk_fnv1a64(buf, len);
  return st;
}

/* The point value an extension element carries (GK__PV_*), or -1. */
int gk__xml_ext_to_pv(int ext) {
  switch (ext) {
    case GK__EXT_HR:
      return GK__PV_HR;
    case GK__EXT_CADENCE:
      return GK__PV_CADENCE;
    case GK__EXT_RUN_CADENCE:
      return GK__PV_RUN_CADENCE;
    case GK__EXT_POWER:
      return GK__PV_POWER;
    case GK__EXT_SPEED:
      return GK__PV_SPEED;
    default:
      return -1;
  }
}
