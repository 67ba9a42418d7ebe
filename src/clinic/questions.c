/*
** questions.c -- the intake and screen questions as a flat list (sides and
** AKPS items expanded), the one reader of a typed answer, and the builder
** of the answers object from typed answers.  The terminal's questions and
** the web app's forms both go through here; the whole object is then
** checked by the answers parser (answers.c) and the questionnaire's own
** checks (intake.c, screen.c).
*/
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"
#include "gaitkeeper/questions.h"

static const char *const side_names[2] = {"left", "right"};

/* Copy src into dst with the first "{side}" replaced by side (or kept
   as is when side is NULL).  0 when it does not fit. */
static int fill_side(char *dst, size_t cap, const char *src,
                     const char *side) {
  const char *at = side ? strstr(src, "{side}") : NULL;
  int n = at ? snprintf(dst, cap, "%.*s%s%s", (int)(at - src), src, side,
                        at + 6)
             : snprintf(dst, cap, "%s", src);
  return n >= 0 && (size_t)n < cap;
}

static gk_status add_akps_items(gk_question *out, size_t max, size_t *n,
                                const cJSON *parent, gk_err *err) {
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_AKPS), "items");
  if (cJSON_GetArraySize(items) != GK_AKPS_ITEMS)
    return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                           "data/akps.json: not %d items (a build defect)",
                           GK_AKPS_ITEMS);
  const char *help = gk__clinic_json_string(parent, "help");
  int i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, items) {
    i++;
    if (*n < max) {
      gk_question *q = &out[*n];
      memset(q, 0, sizeof *q);
      snprintf(q->key, sizeof q->key, "akps.%d", i);
      const char *text = gk__clinic_json_string(item, "question");
      snprintf(q->prompt, sizeof q->prompt, "AKPS %d. %s", i,
               text ? text : "?");
      q->help = i == 1 ? help : NULL;
      q->group = "AKPS";
      q->type = GK_QUESTION_AKPS_ITEM;
      q->min = -INFINITY;
      q->max = INFINITY;
      const cJSON *a;
      cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(item, "answers")) {
        const char *t = gk__clinic_json_string(a, "text");
        if (t == NULL || q->n_values >= GK_QUESTION_VALUES_MAX)
          return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                                 "data/akps.json: item %d has a bad answer "
                                 "list (a build defect)",
                                 i);
        q->values[q->n_values++] = t;
      }
    }
    (*n)++;
  }
  return GK_OK;
}

gk_status gk_questions(gk_questionnaire w, gk_question *out, size_t max,
                       size_t *n, gk_err *err) {
  if (n == NULL || (out == NULL && max != 0) ||
      (w != GK_QUESTIONS_INTAKE && w != GK_QUESTIONS_SCREEN))
    return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  *n = 0;
  gk__clinic_file f = w == GK_QUESTIONS_INTAKE ? GK__CF_INTAKE : GK__CF_SCREEN;
  const cJSON *root = gk__clinic_data(f);
  const cJSON *qs = cJSON_GetObjectItemCaseSensitive(root, "questions");
  if (!cJSON_IsArray(qs))
    return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                           "data/%s is missing or invalid (a build defect)",
                           gk__clinic_file_name(f));
  const cJSON *item;
  cJSON_ArrayForEach(item, qs) {
    const char *key = gk__clinic_json_string(item, "key");
    const char *prompt = gk__clinic_json_string(item, "prompt");
    const char *type = gk__clinic_json_string(item, "type");
    if (key == NULL || prompt == NULL || type == NULL)
      return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                             "data/%s: a question without key, prompt or "
                             "type (a build defect)",
                             gk__clinic_file_name(f));
    if (strcmp(type, "akps") == 0) {
      gk_status st = add_akps_items(out, max, n, item, err);
      if (st != GK_OK) return st;
      continue;
    }
    gk_question_type t;
    if (strcmp(type, "number") == 0) t = GK_QUESTION_NUMBER;
    else if (strcmp(type, "yesno") == 0) t = GK_QUESTION_YESNO;
    else if (strcmp(type, "choice") == 0) t = GK_QUESTION_CHOICE;
    else if (strcmp(type, "list") == 0) t = GK_QUESTION_LIST;
    else
      return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                             "data/%s: question '%s' has unknown type '%s'",
                             gk__clinic_file_name(f), key, type);
    int sides = strstr(key, "{side}") != NULL;
    for (int s = 0; s < (sides ? 2 : 1); s++) {
      if (*n < max) {
        gk_question *q = &out[*n];
        memset(q, 0, sizeof *q);
        const char *side = sides ? side_names[s] : NULL;
        if (!fill_side(q->key, sizeof q->key, key, side) ||
            !fill_side(q->prompt, sizeof q->prompt, prompt, side))
          return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                                 "data/%s: question '%s' is too long",
                                 gk__clinic_file_name(f), key);
        q->help = gk__clinic_json_string(item, "help");
        q->unit = gk__clinic_json_string(item, "unit");
        q->type = t;
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(item, "min");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(item, "max");
        q->min = cJSON_IsNumber(mn) ? mn->valuedouble : -INFINITY;
        q->max = cJSON_IsNumber(mx) ? mx->valuedouble : INFINITY;
        q->integer =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "integer"));
        const cJSON *v;
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(item, "values")) {
          if (!cJSON_IsString(v) || q->n_values >= GK_QUESTION_VALUES_MAX)
            return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                                   "data/%s: question '%s' has a bad value "
                                   "list",
                                   gk__clinic_file_name(f), key);
          q->values[q->n_values++] = v->valuestring;
        }
        if ((t == GK_QUESTION_CHOICE || t == GK_QUESTION_LIST) &&
            q->n_values == 0)
          return gk__clinic_fail(err, GK_E_UNSUPPORTED,
                                 "data/%s: question '%s' has no values",
                                 gk__clinic_file_name(f), key);
      }
      (*n)++;
    }
  }
  return GK_OK;
}

/* ---- reading one typed answer ------------------------------------------- */

/* text without leading and trailing white space, into out. */
static const char *trimmed(const char *text, char *out, size_t size) {
  while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
    text++;
  size_t n = strlen(text);
  while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
                   text[n - 1] == '\r' || text[n - 1] == '\n'))
    n--;
  if (n >= size) n = size - 1; /* the caller checks the length first */
  memcpy(out, text, n);
  out[n] = '\0';
  return out;
}

static int same_ci(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 0;
  return *a == *b;
}

/* The index of tok among q's values: the value itself (exactly, then
   ignoring case) or its 1-based number; -1 if none. */
static int pick(const gk_question *q, const char *tok) {
  for (int i = 0; i < q->n_values; i++)
    if (strcmp(q->values[i], tok) == 0) return i;
  for (int i = 0; i < q->n_values; i++)
    if (same_ci(q->values[i], tok)) return i;
  char *end;
  errno = 0;
  long n = strtol(tok, &end, 10);
  if (tok[0] >= '0' && tok[0] <= '9' && *end == '\0' && errno == 0 &&
      n >= 1 && n <= q->n_values)
    return (int)n - 1;
  return -1;
}

static void values_list(const gk_question *q, char *out, size_t size) {
  size_t o = 0;
  out[0] = '\0';
  for (int i = 0; i < q->n_values; i++) {
    int n = snprintf(out + o, size - o, "%s%s", i ? ", " : "", q->values[i]);
    if (n < 0 || (size_t)n >= size - o) break;
    o += (size_t)n;
  }
}

static gk_status refuse(gk_err *err, const gk_question *q, const char *why) {
  (void)q;
  return gk__clinic_fail(err, GK_E_CORRUPT, "%s", why);
}

gk_status gk_question_read(const gk_question *q, const char *text,
                           gk_buf *json, gk_err *err) {
  char line[512], msg[320], vals[256];
  if (q == NULL || json == NULL)
    return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  if (text == NULL) text = "";
  if (strlen(text) >= sizeof line)
    return refuse(err, q, "the answer is too long");
  trimmed(text, line, sizeof line);
  for (const char *p = line; *p; p++)
    if ((unsigned char)*p < 0x20)
      return refuse(err, q, "the answer holds a control character");
  if (line[0] == '\0') {
    gk_buf_puts(json, "null");
    return GK_OK;
  }
  switch (q->type) {
    case GK_QUESTION_NUMBER: {
      char *end;
      errno = 0;
      /* A decimal comma is what many runners type. */
      char *comma = strchr(line, ',');
      if (comma != NULL && strchr(comma + 1, ',') == NULL &&
          strchr(line, '.') == NULL)
        *comma = '.';
      double x = strtod(line, &end);
      int is_number = end != line && *end == '\0' && errno == 0 &&
                      isfinite(x) && strpbrk(line, "xXpPnN") == NULL;
      int in_range = is_number && x >= q->min && x <= q->max;
      if (!in_range || (q->integer && x != floor(x))) {
        if (isfinite(q->min) && isfinite(q->max))
          snprintf(msg, sizeof msg, "give a %snumber from %g to %g%s%s",
                   q->integer ? "whole " : "", q->min, q->max,
                   q->unit ? " " : "", q->unit ? q->unit : "");
        else
          snprintf(msg, sizeof msg, "give a %snumber",
                   q->integer ? "whole " : "");
        return refuse(err, q, msg);
      }
      gk_json_num(json, x == 0 ? 0 : x); /* no "-0" */
      return GK_OK;
    }
    case GK_QUESTION_YESNO:
      if (same_ci(line, "y") || same_ci(line, "yes") || same_ci(line, "true")) {
        gk_buf_puts(json, "true");
        return GK_OK;
      }
      if (same_ci(line, "n") || same_ci(line, "no") || same_ci(line, "false")) {
        gk_buf_puts(json, "false");
        return GK_OK;
      }
      return refuse(err, q, "answer yes or no (or leave it blank: unknown)");
    case GK_QUESTION_CHOICE:
    case GK_QUESTION_AKPS_ITEM: {
      int i = pick(q, line);
      if (i < 0) {
        if (q->type == GK_QUESTION_AKPS_ITEM)
          snprintf(msg, sizeof msg, "pick one of the %d answers (1 to %d)",
                   q->n_values, q->n_values);
        else {
          values_list(q, vals, sizeof vals);
          snprintf(msg, sizeof msg, "pick one of: %s", vals);
        }
        return refuse(err, q, msg);
      }
      if (q->type == GK_QUESTION_AKPS_ITEM) gk_json_i64(json, i);
      else gk_json_str(json, q->values[i]);
      return GK_OK;
    }
    case GK_QUESTION_LIST: {
      unsigned seen = 0;
      int any = 0;
      if (!same_ci(line, "none")) {
        char *next = line;
        for (;;) {
          next += strspn(next, ", ");
          if (*next == '\0') break;
          char *tok = next;
          next += strcspn(next, ", ");
          if (*next != '\0') *next++ = '\0';
          int i = pick(q, tok);
          if (i < 0 || i >= 32) {
            char qt[64];
            values_list(q, vals, sizeof vals);
            snprintf(msg, sizeof msg, "'%s' is not one of: %s",
                     gk__clinic_quote(tok, qt), vals);
            return refuse(err, q, msg);
          }
          seen |= 1u << i;
          any = 1;
        }
      }
      /* In the order of the values, each once. */
      gk_buf_putc(json, '[');
      int first = 1;
      for (int i = 0; any && i < q->n_values && i < 32; i++) {
        if (!(seen & (1u << i))) continue;
        if (!first) gk_buf_putc(json, ',');
        gk_json_str(json, q->values[i]);
        first = 0;
      }
      gk_buf_putc(json, ']');
      return GK_OK;
    }
  }
  return gk__clinic_fail(err, GK_E_ARG, "invalid question type");
}

/* ---- the answers object ------------------------------------------------- */

/* src into dst, cut to fit. */
static void copy_text(char *dst, size_t cap, const char *src) {
  size_t n = 0;
  while (n + 1 < cap && src[n] != '\0') n++;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* The object at dotted key's parent in root (created as needed); the last
   component in leaf.  NULL when the key is bad or memory ran out. */
static cJSON *parent_of(cJSON *root, const char *key, char *leaf,
                        size_t leaf_size) {
  char part[GK_QUESTION_KEY_MAX];
  cJSON *node = root;
  const char *p = key;
  for (;;) {
    const char *dot = strchr(p, '.');
    if (dot == NULL) break;
    size_t n = (size_t)(dot - p);
    if (n == 0 || n >= sizeof part) return NULL;
    memcpy(part, p, n);
    part[n] = '\0';
    cJSON *child = cJSON_GetObjectItemCaseSensitive(node, part);
    if (child == NULL) child = cJSON_AddObjectToObject(node, part);
    if (!cJSON_IsObject(child)) return NULL;
    node = child;
    p = dot + 1;
  }
  copy_text(leaf, leaf_size, p);
  return node;
}

static void add_problem(gk_answer_problem *problems, size_t max, size_t *n,
                        const char *key, const char *msg) {
  if (*n < max) {
    copy_text(problems[*n].key, sizeof problems[*n].key, key);
    copy_text(problems[*n].msg, sizeof problems[*n].msg, msg);
  }
  (*n)++;
}

/* The question key a whole-object message names: its first 'quoted' word,
   with "akps[i]" as "akps.(i+1)"; "" when it names none of the
   questions. */
static void key_of_message(const char *msg, const gk_question *qs, size_t n,
                           char *out, size_t size) {
  out[0] = '\0';
  const char *a = strchr(msg, '\'');
  const char *b = a ? strchr(a + 1, '\'') : NULL;
  if (b == NULL || (size_t)(b - a - 1) >= size) return;
  char k[GK_QUESTION_KEY_MAX];
  snprintf(k, sizeof k, "%.*s", (int)(b - a - 1), a + 1);
  int item;
  char tail;
  if (sscanf(k, "akps[%d]%c", &item, &tail) == 2 && tail == ']' &&
      item >= 0 && item < GK_AKPS_ITEMS)
    snprintf(k, sizeof k, "akps.%d", item + 1);
  for (size_t i = 0; i < n; i++)
    if (strcmp(qs[i].key, k) == 0) {
      snprintf(out, size, "%s", k);
      return;
    }
}

#define QUESTIONS_MAX 160

gk_status gk_answers_from_text(gk_questionnaire w, gk_answer_text_fn text_of,
                               void *user, gk_buf *json,
                               gk_answer_problem *problems, size_t max,
                               size_t *n_problems, gk_err *err) {
  if (text_of == NULL || json == NULL || n_problems == NULL ||
      (problems == NULL && max != 0))
    return gk__clinic_fail(err, GK_E_ARG, "invalid argument");
  *n_problems = 0;
  static _Thread_local gk_question qs[QUESTIONS_MAX];
  size_t n = 0;
  gk_status st = gk_questions(w, qs, QUESTIONS_MAX, &n, err);
  if (st != GK_OK) return st;
  if (n > QUESTIONS_MAX)
    return gk__clinic_fail(err, GK_E_LIMIT, "more than %d questions",
                           QUESTIONS_MAX);
  cJSON *root = cJSON_CreateObject();
  cJSON *akps = NULL;
  int akps_any = 0;
  gk_buf one = {0};
  st = root ? GK_OK : GK_E_NOMEM;
  for (size_t i = 0; i < n && st == GK_OK; i++) {
    const gk_question *q = &qs[i];
    gk_err e = {0};
    one.len = 0;
    gk_status r = gk_question_read(q, text_of(user, q), &one, &e);
    if (r != GK_OK) {
      add_problem(problems, max, n_problems, q->key, e.msg ? e.msg : "?");
      if (q->type != GK_QUESTION_AKPS_ITEM) continue;
      one.len = 0;
      gk_buf_puts(&one, "null");
    }
    cJSON *v = cJSON_ParseWithLength(one.data, one.len);
    if (v == NULL) {
      st = GK_E_NOMEM;
      break;
    }
    if (q->type == GK_QUESTION_AKPS_ITEM) {
      if (akps == NULL) akps = cJSON_CreateArray();
      if (akps == NULL) {
        cJSON_Delete(v);
        st = GK_E_NOMEM;
        break;
      }
      if (!cJSON_IsNull(v)) akps_any = 1;
      cJSON_AddItemToArray(akps, v);
      continue;
    }
    if (cJSON_IsNull(v)) { /* unknown: left out */
      cJSON_Delete(v);
      continue;
    }
    char leaf[GK_QUESTION_KEY_MAX];
    cJSON *parent = parent_of(root, q->key, leaf, sizeof leaf);
    if (parent == NULL) {
      cJSON_Delete(v);
      st = gk__clinic_fail(err, GK_E_UNSUPPORTED,
                           "question key '%s' cannot be stored (a build "
                           "defect)",
                           q->key);
      break;
    }
    cJSON_AddItemToObject(parent, leaf, v);
  }
  gk_buf_free(&one);
  if (akps != NULL) {
    if (akps_any && st == GK_OK) cJSON_AddItemToObject(root, "akps", akps);
    else cJSON_Delete(akps);
  }
  char *text = st == GK_OK ? cJSON_PrintUnformatted(root) : NULL;
  cJSON_Delete(root);
  if (st == GK_OK && text == NULL) st = GK_E_NOMEM;
  if (st != GK_OK) {
    free(text);
    return st == GK_E_NOMEM ? gk__clinic_fail(err, st, "out of memory") : st;
  }
  gk_buf_puts(json, text);
  if (*n_problems == 0) {
    /* The whole object: the same checks an answers file gets. */
    gk_err e = {0};
    gk_status r;
    if (w == GK_QUESTIONS_INTAKE) {
      gk_intake in;
      r = gk_intake_parse(text, strlen(text), &in, &e);
    } else {
      gk_screen sc;
      r = gk_screen_parse(text, strlen(text), &sc, &e);
    }
    if (r != GK_OK) {
      char key[GK_QUESTION_KEY_MAX];
      const char *m = e.msg ? e.msg : gk_strerror(r);
      key_of_message(m, qs, n, key, sizeof key);
      add_problem(problems, max, n_problems, key, m);
    }
  }
  free(text);
  return *n_problems ? gk__clinic_fail(err, GK_E_CORRUPT,
                                       "%zu answer%s could not be taken",
                                       *n_problems,
                                       *n_problems == 1 ? "" : "s")
                     : GK_OK;
}

/* ---- an answer back as text --------------------------------------------- */

void gk_answer_text(const gk_question *q, const char *json, size_t len,
                    char *out, size_t size) {
  if (out == NULL || size == 0) return;
  out[0] = '\0';
  if (q == NULL || json == NULL || len == 0) return;
  cJSON *root = cJSON_ParseWithLength(json, len);
  if (!cJSON_IsObject(root)) {
    cJSON_Delete(root);
    return;
  }
  const cJSON *v = NULL;
  int item = 0;
  if (q->type == GK_QUESTION_AKPS_ITEM &&
      sscanf(q->key, "akps.%d", &item) == 1 && item >= 1) {
    v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "akps"),
                           item - 1);
  } else {
    const cJSON *node = root;
    char part[GK_QUESTION_KEY_MAX];
    const char *p = q->key;
    for (;;) {
      const char *dot = strchr(p, '.');
      size_t n = dot ? (size_t)(dot - p) : strlen(p);
      if (n >= sizeof part) {
        node = NULL;
        break;
      }
      memcpy(part, p, n);
      part[n] = '\0';
      node = cJSON_GetObjectItemCaseSensitive(node, part);
      if (node == NULL || dot == NULL) break;
      p = dot + 1;
    }
    v = node;
  }
  if (v == NULL || cJSON_IsNull(v)) {
    /* unknown */
  } else if (q->type == GK_QUESTION_NUMBER && cJSON_IsNumber(v)) {
    snprintf(out, size, "%.10g", v->valuedouble);
  } else if (q->type == GK_QUESTION_YESNO && cJSON_IsBool(v)) {
    snprintf(out, size, "%s", cJSON_IsTrue(v) ? "yes" : "no");
  } else if (q->type == GK_QUESTION_CHOICE && cJSON_IsString(v)) {
    snprintf(out, size, "%s", v->valuestring);
  } else if (q->type == GK_QUESTION_AKPS_ITEM && cJSON_IsNumber(v) &&
             v->valuedouble >= 0 && v->valuedouble < q->n_values) {
    snprintf(out, size, "%d", (int)v->valuedouble + 1);
  } else if (q->type == GK_QUESTION_LIST && cJSON_IsArray(v)) {
    size_t o = 0;
    const cJSON *e;
    int any = 0;
    cJSON_ArrayForEach(e, v) {
      if (!cJSON_IsString(e)) continue;
      int n = snprintf(out + o, size - o, "%s%s", any ? "," : "",
                       e->valuestring);
      if (n < 0 || (size_t)n >= size - o) {
        out[o] = '\0';
        break;
      }
      o += (size_t)n;
      any = 1;
    }
    if (!any) snprintf(out, size, "none");
  }
  cJSON_Delete(root);
}
