/*
** answers.c -- the clinic's shared machinery: its data files, messages
** that name the key, and the generic, strict answers parser that both the
** intake and the screen use.  The questions (types, ranges, allowed values)
** come from data/intake.json and data/screen.json; the C field tables
** (intake.c, screen.c) only say where each answer is stored.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"
#include "core/data_internal.h"

/* ---- data files ---------------------------------------------------------- */

static const char *const file_names[GK__CF_COUNT] = {
    [GK__CF_INTAKE] = "intake.json",
    [GK__CF_SCREEN] = "screen.json",
    [GK__CF_AKPS] = "akps.json",
    [GK__CF_RED_FLAGS] = "red_flags.json",
    [GK__CF_EXERCISES] = "exercises.json",
    [GK__CF_RUNNING] = "running.json",
};

const char *gk__clinic_file_name(gk__clinic_file f) {
  return (unsigned)f < GK__CF_COUNT ? file_names[f] : "?";
}

/* Parsed once and never freed (gk__data): finding codes, sources and texts
   point into these trees for the life of the process. */
const cJSON *gk__clinic_data(gk__clinic_file f) {
  if ((unsigned)f >= GK__CF_COUNT) return NULL;
  return gk__data(file_names[f]);
}

/* ---- errors -------------------------------------------------------------- */

static _Thread_local char message[320];

gk_status gk__clinic_fail(gk_err *err, gk_status code, const char *fmt, ...) {
  if (err == NULL) return code;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  err->code = code;
  err->msg = message;
  err->offset = 0;
  err->line = 0;
  err->col = 0;
  return code;
}

const char *gk__clinic_quote(const char *s, char out[64]) {
  size_t n = 0;
  if (s == NULL) s = "";
  for (; s[n] != '\0' && n < 60; n++) {
    unsigned char c = (unsigned char)s[n];
    out[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
  }
  if (s[n] != '\0') { /* cut: mark it */
    out[57] = out[58] = out[59] = '.';
    n = 60;
  }
  out[n] = '\0';
  return out;
}

/* ---- small JSON helpers -------------------------------------------------- */

const char *gk__clinic_json_string(const cJSON *obj, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

void gk__clinic_finding_clear(gk_finding *f) {
  memset(f, 0, sizeof *f);
  f->value = NAN;
  f->threshold = NAN;
  f->date_from = INT64_MIN;
  f->date_to = INT64_MIN;
}

static size_t put_num(char *out, size_t size, double v) {
  if (size == 0) return 0;
  int n = isfinite(v) ? snprintf(out, size, "%.6g", v) : snprintf(out, size, "?");
  if (n < 0) return 0;
  return (size_t)n < size ? (size_t)n : size - 1;
}

void gk__clinic_template(char *out, size_t size, const char *tmpl,
                         const char *side, double value, double threshold,
                         double left, double right) {
  size_t o = 0;
  if (size == 0) return;
  if (tmpl == NULL) tmpl = "";
  while (*tmpl != '\0' && o + 1 < size) {
    if (*tmpl == '{') {
      static const char *const names[] = {"{side}", "{value}", "{threshold}",
                                          "{left}", "{right}"};
      size_t k;
      for (k = 0; k < 5; k++)
        if (strncmp(tmpl, names[k], strlen(names[k])) == 0) break;
      if (k < 5) {
        if (k == 0) {
          const char *s = side ? side : "?";
          size_t sl = strlen(s);
          if (sl > size - 1 - o) sl = size - 1 - o;
          memcpy(out + o, s, sl);
          o += sl;
        } else {
          double v = k == 1 ? value : k == 2 ? threshold : k == 3 ? left : right;
          o += put_num(out + o, size - o, v);
        }
        tmpl += strlen(names[k]);
        continue;
      }
    }
    out[o++] = *tmpl++;
  }
  out[o] = '\0';
}

/* ---- fields and questions ------------------------------------------------ */

const gk__field *gk__field_find(const gk__field *fields, size_t n,
                                const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(fields[i].key, key) == 0) return &fields[i];
  return NULL;
}

/* Whether pattern (with an optional "{side}") names key. */
static int key_matches(const char *pattern, const char *key) {
  const char *p = strstr(pattern, "{side}");
  if (p == NULL) return strcmp(pattern, key) == 0;
  size_t pre = (size_t)(p - pattern);
  if (strncmp(pattern, key, pre) != 0) return 0;
  static const char *const sides[] = {"left", "right"};
  for (int s = 0; s < 2; s++) {
    size_t sl = strlen(sides[s]);
    if (strncmp(key + pre, sides[s], sl) == 0 &&
        strcmp(key + pre + sl, p + 6) == 0)
      return 1;
  }
  return 0;
}

const cJSON *gk__question_find(gk__clinic_file f, const char *key) {
  const cJSON *root = gk__clinic_data(f);
  const cJSON *qs = cJSON_GetObjectItemCaseSensitive(root, "questions");
  const cJSON *q;
  cJSON_ArrayForEach(q, qs) {
    const char *k = gk__clinic_json_string(q, "key");
    if (k != NULL && key_matches(k, key)) return q;
  }
  return NULL;
}

double gk__field_value(const gk__field *fd, const void *obj) {
  const char *base = (const char *)obj + fd->offset;
  int i;
  unsigned u;
  double d;
  switch (fd->type) {
    case GK__F_NUM:
      memcpy(&d, base, sizeof d);
      return d;
    case GK__F_YESNO:
      memcpy(&i, base, sizeof i);
      return i < 0 ? NAN : (double)i;
    case GK__F_CHOICE:
      memcpy(&i, base, sizeof i);
      return i <= 0 ? NAN : (double)i;
    case GK__F_LIST:
      memcpy(&u, base, sizeof u);
      return (double)u;
    case GK__F_STR:
    case GK__F_AKPS:
      break;
  }
  return NAN;
}

/* ---- the parser ---------------------------------------------------------- */

#define MAX_FIELDS 128
#define MAX_KEY 96

typedef struct parse_ctx {
  gk__clinic_file file;
  const gk__field *fields;
  size_t n_fields;
  void *obj;
  unsigned char seen[MAX_FIELDS];
  gk_err *err;
} parse_ctx;

/* Whether some field key starts with "prefix." */
static int is_prefix(const parse_ctx *c, const char *prefix) {
  size_t n = strlen(prefix);
  for (size_t i = 0; i < c->n_fields; i++)
    if (strncmp(c->fields[i].key, prefix, n) == 0 &&
        c->fields[i].key[n] == '.')
      return 1;
  return 0;
}

/* The list of allowed values of q, joined for a message. */
static const char *values_text(const cJSON *q, char *out, size_t size) {
  size_t o = 0;
  const cJSON *v;
  out[0] = '\0';
  cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(q, "values")) {
    if (!cJSON_IsString(v)) continue;
    int n = snprintf(out + o, size - o, "%s%s", o ? ", " : "", v->valuestring);
    if (n < 0 || (size_t)n >= size - o) break;
    o += (size_t)n;
  }
  return out;
}

/* Index of string s in q's "values", or -1. */
static int value_index(const cJSON *q, const char *s) {
  int i = 0;
  const cJSON *v;
  cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(q, "values")) {
    if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0) return i;
    i++;
  }
  return -1;
}

static gk_status parse_number(parse_ctx *c, const char *key, const cJSON *q,
                              const cJSON *v, double *out) {
  const cJSON *mn = cJSON_GetObjectItemCaseSensitive(q, "min");
  const cJSON *mx = cJSON_GetObjectItemCaseSensitive(q, "max");
  const char *unit = gk__clinic_json_string(q, "unit");
  int integer = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(q, "integer"));
  double lo = cJSON_IsNumber(mn) ? mn->valuedouble : -INFINITY;
  double hi = cJSON_IsNumber(mx) ? mx->valuedouble : INFINITY;
  if (!cJSON_IsNumber(v))
    return gk__clinic_fail(c->err, GK_E_CORRUPT,
                           "'%s' must be a number from %g to %g (or null)",
                           key, lo, hi);
  double x = v->valuedouble;
  if (!isfinite(x) || x < lo || x > hi)
    return gk__clinic_fail(c->err, GK_E_CORRUPT,
                           "'%s': %g is out of range %g..%g%s%s", key, x, lo,
                           hi, unit ? " " : "", unit ? unit : "");
  if (integer && x != floor(x))
    return gk__clinic_fail(c->err, GK_E_CORRUPT,
                           "'%s': %g is not a whole number", key, x);
  *out = x;
  return GK_OK;
}

static gk_status parse_akps(parse_ctx *c, const char *key, const cJSON *v,
                            int out[GK_AKPS_ITEMS]) {
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_AKPS), "items");
  if (cJSON_GetArraySize(items) != GK_AKPS_ITEMS)
    return gk__clinic_fail(c->err, GK_E_UNSUPPORTED,
                           "data/akps.json: not %d items", GK_AKPS_ITEMS);
  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != GK_AKPS_ITEMS)
    return gk__clinic_fail(
        c->err, GK_E_CORRUPT,
        "'%s' must be an array of %d answers (the 0-based index of the "
        "answer to each item, or null)%s",
        key, GK_AKPS_ITEMS, cJSON_IsArray(v) ? ": wrong count" : "");
  int i = 0;
  const cJSON *a, *item = items->child;
  cJSON_ArrayForEach(a, v) {
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(item, "answers"));
    const char *name = gk__clinic_json_string(item, "key");
    if (cJSON_IsNull(a)) {
      out[i] = -1;
    } else if (!cJSON_IsNumber(a) || !isfinite(a->valuedouble) ||
               a->valuedouble != floor(a->valuedouble)) {
      return gk__clinic_fail(c->err, GK_E_CORRUPT,
                             "'%s[%d]' (%s) must be a whole number 0..%d or "
                             "null",
                             key, i, name ? name : "?", n - 1);
    } else if (a->valuedouble < 0 || a->valuedouble > n - 1) {
      return gk__clinic_fail(c->err, GK_E_CORRUPT,
                             "'%s[%d]' (%s): answer %g is out of range 0..%d",
                             key, i, name ? name : "?", a->valuedouble, n - 1);
    } else {
      out[i] = (int)a->valuedouble;
    }
    i++;
    item = item->next;
  }
  return GK_OK;
}

static gk_status parse_value(parse_ctx *c, const gk__field *fd,
                             const char *key, const cJSON *v) {
  char *base = (char *)c->obj + fd->offset;
  char vals[256], q1[64];
  const cJSON *q = gk__question_find(c->file, fd->key);
  if (q == NULL)
    return gk__clinic_fail(c->err, GK_E_UNSUPPORTED,
                           "data/%s: no question for key '%s'",
                           gk__clinic_file_name(c->file), fd->key);
  if (cJSON_IsNull(v)) return GK_OK; /* unknown: leave as initialised */
  switch (fd->type) {
    case GK__F_NUM: {
      double x = NAN;
      gk_status st = parse_number(c, key, q, v, &x);
      if (st == GK_OK) memcpy(base, &x, sizeof x);
      return st;
    }
    case GK__F_YESNO: {
      if (!cJSON_IsBool(v))
        return gk__clinic_fail(c->err, GK_E_CORRUPT,
                               "'%s' must be true or false (or null)", key);
      int x = cJSON_IsTrue(v) ? 1 : 0;
      memcpy(base, &x, sizeof x);
      return GK_OK;
    }
    case GK__F_CHOICE:
    case GK__F_STR: {
      int idx = cJSON_IsString(v) ? value_index(q, v->valuestring) : -1;
      if (idx < 0) {
        if (!cJSON_IsString(v))
          return gk__clinic_fail(c->err, GK_E_CORRUPT,
                                 "'%s' must be one of %s (or null)", key,
                                 values_text(q, vals, sizeof vals));
        return gk__clinic_fail(c->err, GK_E_CORRUPT,
                               "'%s': '%s' is not one of %s", key,
                               gk__clinic_quote(v->valuestring, q1),
                               values_text(q, vals, sizeof vals));
      }
      if (fd->type == GK__F_CHOICE) {
        int x = idx + 1;
        memcpy(base, &x, sizeof x);
      } else {
        snprintf(base, 16, "%s", v->valuestring);
      }
      return GK_OK;
    }
    case GK__F_LIST: {
      if (!cJSON_IsArray(v))
        return gk__clinic_fail(c->err, GK_E_CORRUPT,
                               "'%s' must be a list of %s (or null)", key,
                               values_text(q, vals, sizeof vals));
      unsigned bits = 0;
      int i = 0;
      const cJSON *e;
      cJSON_ArrayForEach(e, v) {
        int idx = cJSON_IsString(e) ? value_index(q, e->valuestring) : -1;
        if (idx < 0 || idx >= 32)
          return gk__clinic_fail(
              c->err, GK_E_CORRUPT, "'%s[%d]': %s%s%s is not one of %s", key,
              i, cJSON_IsString(e) ? "'" : "",
              cJSON_IsString(e) ? gk__clinic_quote(e->valuestring, q1)
                                : "a non-string",
              cJSON_IsString(e) ? "'" : "", values_text(q, vals, sizeof vals));
        if (bits & (1u << idx))
          return gk__clinic_fail(c->err, GK_E_CORRUPT,
                                 "'%s[%d]': '%s' is listed twice", key, i,
                                 e->valuestring);
        bits |= 1u << idx;
        i++;
      }
      memcpy(base, &bits, sizeof bits);
      return GK_OK;
    }
    case GK__F_AKPS: {
      int tmp[GK_AKPS_ITEMS];
      gk_status st = parse_akps(c, key, v, tmp);
      if (st == GK_OK) memcpy(base, tmp, sizeof tmp);
      return st;
    }
  }
  return gk__clinic_fail(c->err, GK_E_UNSUPPORTED, "'%s': bad field type",
                         key);
}

static gk_status walk(parse_ctx *c, const cJSON *node, const char *prefix) {
  const cJSON *m;
  char q1[64], q2[64];
  cJSON_ArrayForEach(m, node) {
    const char *name = m->string ? m->string : "";
    char path[MAX_KEY];
    int n = prefix[0] ? snprintf(path, sizeof path, "%s.%s", prefix, name)
                      : snprintf(path, sizeof path, "%s", name);
    int bad_name = name[0] == '\0' || strchr(name, '.') != NULL ||
                   strchr(name, '{') != NULL || n < 0 ||
                   (size_t)n >= sizeof path;
    const gk__field *fd =
        bad_name ? NULL : gk__field_find(c->fields, c->n_fields, path);
    if (fd != NULL) {
      size_t i = (size_t)(fd - c->fields);
      if (c->seen[i])
        return gk__clinic_fail(c->err, GK_E_CORRUPT, "'%s' is given twice",
                               path);
      c->seen[i] = 1;
      gk_status st = parse_value(c, fd, path, m);
      if (st != GK_OK) return st;
    } else if (!bad_name && is_prefix(c, path)) {
      if (cJSON_IsNull(m)) continue;
      if (!cJSON_IsObject(m))
        return gk__clinic_fail(c->err, GK_E_CORRUPT,
                               "'%s' must be an object (see docs/CLINIC.md)",
                               path);
      gk_status st = walk(c, m, path);
      if (st != GK_OK) return st;
    } else if (prefix[0]) {
      return gk__clinic_fail(c->err, GK_E_CORRUPT,
                             "unknown key '%s' in '%s' (see docs/CLINIC.md)",
                             gk__clinic_quote(name, q1),
                             gk__clinic_quote(prefix, q2));
    } else {
      return gk__clinic_fail(c->err, GK_E_CORRUPT,
                             "unknown key '%s' (see docs/CLINIC.md)",
                             gk__clinic_quote(name, q1));
    }
  }
  return GK_OK;
}

gk_status gk__answers_parse(gk__clinic_file f, const gk__field *fields,
                            size_t n_fields, const char *json, size_t len,
                            void *obj, gk_err *err) {
  if (obj == NULL || (json == NULL && len != 0) || n_fields > MAX_FIELDS)
    return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  if (gk__clinic_data(f) == NULL || gk__clinic_data(GK__CF_AKPS) == NULL)
    return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                           "data/%s is missing or invalid (a build defect)",
                           gk__clinic_file_name(f));
  if (json == NULL || len == 0)
    return gk__clinic_fail(err, GK_E_TRUNCATED,
                           "empty input: expected a JSON object");
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
  if (root == NULL) {
    size_t at = (end != NULL && end >= json && end <= json + len)
                    ? (size_t)(end - json)
                    : 0;
    gk__clinic_fail(err, GK_E_CORRUPT, "not valid JSON (near byte %zu)", at);
    if (err) err->offset = at;
    return GK_E_CORRUPT;
  }
  /* Nothing but white space may follow the object. */
  size_t at = (end != NULL && end >= json && end <= json + len)
                  ? (size_t)(end - json)
                  : len;
  while (at < len && (json[at] == ' ' || json[at] == '\t' ||
                      json[at] == '\n' || json[at] == '\r'))
    at++;
  gk_status st = GK_OK;
  if (at < len) {
    st = gk__clinic_fail(err, GK_E_CORRUPT,
                         "unexpected content after the JSON object (byte %zu)",
                         at);
    if (err) err->offset = at;
  } else if (!cJSON_IsObject(root)) {
    st = gk__clinic_fail(err, GK_E_CORRUPT,
                         "the answers must be one JSON object {\"key\": "
                         "value, ...}");
  } else {
    parse_ctx c;
    memset(&c, 0, sizeof c);
    c.file = f;
    c.fields = fields;
    c.n_fields = n_fields;
    c.obj = obj;
    c.err = err;
    st = walk(&c, root, "");
  }
  cJSON_Delete(root);
  return st;
}
