/*
** store_runner.c -- the runners of a store (schema 5): adding, renaming,
** archiving, listing and finding them, and the handle's runner that every
** per-runner statement is scoped by (its @runner parameter, bound in
** gk__store_stmt).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_internal.h"

/* ---- the handle's runner ------------------------------------------------- */

gk_status gk__store_scope(gk_store *s) {
  if (s->scoped) return GK_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    sqlite3_stmt *st = gk__store_stmt(s, GK__ST_RUNNER_DEFAULT);
    if (st == NULL) return GK_E_IO;
    int rc = gk__store_step(s, st);
    if (rc != SQLITE_ROW) {
      gk_status out = gk__store_fail(s, rc, "looking up the runners");
      sqlite3_reset(st);
      return out;
    }
    int64_t active = sqlite3_column_int64(st, 0);
    int64_t first = sqlite3_column_int64(st, 1);
    int64_t total = sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    if (active == 1) {
      s->runner = first;
      s->scoped = 1;
      return GK_OK;
    }
    if (active > 1) {
      snprintf(s->errmsg, sizeof s->errmsg,
               "this store holds %" PRId64 " runners; choose one", active);
      return GK_E_ARG;
    }
    if (total > 0) {
      snprintf(s->errmsg, sizeof s->errmsg,
               "every runner of this store is archived; choose one");
      return GK_E_ARG;
    }
    if (s->read_only) { /* no runner, so no data: every read is empty */
      s->runner = 0;
      s->scoped = 1;
      return GK_OK;
    }
    if (attempt > 0) break;
    /* the first runner, unless another connection just made one */
    gk_status out = GK_OK;
    st = gk__store_insert_start(s, GK__ST_RUNNER_CREATE_FIRST, &out);
    if (st == NULL) return out;
    rc = sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    out = gk__store_insert_finish(s, st, rc, "creating the first runner",
                                  NULL);
    if (out != GK_OK) return out;
  }
  snprintf(s->errmsg, sizeof s->errmsg, "the store has no runner");
  return GK_E_IO;
}

gk_status gk_store_current_runner(gk_store *s, int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || id == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status st = gk__store_scope(s);
  if (st == GK_OK) *id = s->runner;
  return st;
}

/* ---- names --------------------------------------------------------------- */

/* Length of the UTF-8 sequence at p (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n) {
  unsigned c = p[0];
  size_t len;
  unsigned min;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (len > n) return 0;
  unsigned cp = c & (0x7f >> len);
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  if (cp >= 0x80 && cp < 0xa0) return 0; /* C1 control characters */
  return len;
}

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

/* The name trimmed into out (GK_RUNNER_NAME_SIZE bytes); 0, or -1 with
   errmsg saying what is wrong. */
static int clean_name(gk_store *s, const char *name, char *out) {
  out[0] = '\0';
  if (name == NULL) {
    snprintf(s->errmsg, sizeof s->errmsg, "a runner needs a name");
    return -1;
  }
  size_t n = strlen(name), b = 0;
  while (b < n && is_space((unsigned char)name[b])) b++;
  while (n > b && is_space((unsigned char)name[n - 1])) n--;
  if (n == b) {
    snprintf(s->errmsg, sizeof s->errmsg, "a runner's name cannot be empty");
    return -1;
  }
  const unsigned char *p = (const unsigned char *)name + b;
  size_t len = n - b, chars = 0, digits = 0;
  for (size_t i = 0; i < len;) {
    if (p[i] < 0x20 || p[i] == 0x7f) {
      snprintf(s->errmsg, sizeof s->errmsg,
               "a runner's name cannot hold control characters (byte %zu)",
               i + 1);
      return -1;
    }
    size_t k = utf8_len(p + i, len - i);
    if (k == 0) {
      snprintf(s->errmsg, sizeof s->errmsg,
               "a runner's name must be UTF-8 text (byte %zu is not)", i + 1);
      return -1;
    }
    if (k == 1 && p[i] >= '0' && p[i] <= '9') digits++;
    i += k;
    if (++chars > 80) {
      snprintf(s->errmsg, sizeof s->errmsg,
               "a runner's name is at most 80 characters");
      return -1;
    }
  }
  if (digits == chars) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "a runner's name cannot be digits only (that reads as an id)");
    return -1;
  }
  memcpy(out, p, len);
  out[len] = '\0';
  return 0;
}

/* The id of the runner named name (compared as the table does), 0 when
   none; -1 on a failure (errmsg set). */
static int64_t id_of_name(gk_store *s, const char *name) {
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_FIND_RUNNER);
  if (st == NULL) return -1;
  int rc = sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  int64_t id = 0;
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64(st, 0);
  else if (rc != SQLITE_DONE) {
    gk__store_fail(s, rc, "looking up a runner");
    id = -1;
  }
  sqlite3_reset(st);
  return id;
}

/* The name is taken, said with the runner who has it. */
static gk_status name_taken(gk_store *s, const char *name, int64_t other) {
  snprintf(s->errmsg, sizeof s->errmsg,
           "a runner named \"%s\" already exists (id %" PRId64 ")", name,
           other);
  return GK_E_ARG;
}

/* ---- add, rename, archive ------------------------------------------------ */

gk_status gk_store_add_runner(gk_store *s, const char *name, int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  char clean[GK_RUNNER_NAME_SIZE];
  if (clean_name(s, name, clean) != 0) return GK_E_ARG;
  int64_t other = id_of_name(s, clean);
  if (other < 0) return GK_E_IO;
  if (other > 0) return name_taken(s, clean, other);
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, GK__ST_ADD_RUNNER, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_text(st, 1, clean, -1, SQLITE_STATIC);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
  /* a name taken meanwhile by another connection: UNIQUE, GK_E_ARG */
  return gk__store_insert_finish(s, st, rc, "adding the runner", id);
}

/* One UPDATE of runner id in its own transaction; GK_E_NOT_FOUND when no
   row changed. */
static gk_status update_runner(gk_store *s, enum gk__stmt_id which,
                               int64_t id, const char *text, int value,
                               const char *doing) {
  gk_status out = GK_OK;
  sqlite3_stmt *st = gk__store_insert_start(s, which, &out);
  if (st == NULL) return out;
  int rc = sqlite3_bind_int64(st, 1, id);
  if (rc == SQLITE_OK)
    rc = text ? sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC)
              : sqlite3_bind_int(st, 2, value);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  if (rc == SQLITE_DONE && sqlite3_changes(s->db) == 0) {
    sqlite3_reset(st);
    gk__store_rollback(s);
    snprintf(s->errmsg, sizeof s->errmsg, "no runner with id %" PRId64, id);
    return GK_E_NOT_FOUND;
  }
  if (rc != SQLITE_DONE) out = gk__store_fail(s, rc, doing);
  sqlite3_reset(st);
  if (out == GK_OK) out = gk__store_commit(s);
  if (out != GK_OK) gk__store_rollback(s);
  return out;
}

gk_status gk_store_rename_runner(gk_store *s, int64_t id, const char *name) {
  if (s == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  char clean[GK_RUNNER_NAME_SIZE];
  if (clean_name(s, name, clean) != 0) return GK_E_ARG;
  int64_t other = id_of_name(s, clean);
  if (other < 0) return GK_E_IO;
  if (other > 0 && other != id) return name_taken(s, clean, other);
  return update_runner(s, GK__ST_RENAME_RUNNER, id, clean, 0,
                       "renaming the runner");
}

gk_status gk_store_archive_runner(gk_store *s, int64_t id, int archived) {
  if (s == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  return update_runner(s, GK__ST_ARCHIVE_RUNNER, id, NULL, archived != 0,
                       "archiving the runner");
}

/* ---- list, get, find, use ------------------------------------------------ */

static void read_row(sqlite3_stmt *st, gk_runner_row *r) {
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(st, 0);
  const unsigned char *t = sqlite3_column_text(st, 1);
  size_t n = t ? (size_t)sqlite3_column_bytes(st, 1) : 0;
  if (n >= sizeof r->name) n = sizeof r->name - 1;
  if (n) memcpy(r->name, t, n);
  r->name[n] = '\0';
  r->created_at = sqlite3_column_int64(st, 2);
  r->archived = sqlite3_column_int(st, 3) != 0;
  r->n_runs = sqlite3_column_int64(st, 4);
  r->last_run_time = sqlite3_column_type(st, 5) == SQLITE_NULL
                         ? INT64_MIN
                         : sqlite3_column_int64(st, 5);
  r->n_pain = sqlite3_column_int64(st, 6);
  r->last_pain_day = sqlite3_column_type(st, 7) == SQLITE_NULL
                         ? INT64_MIN
                         : sqlite3_column_int64(st, 7);
}

gk_status gk_store_each_runner(gk_store *s, const char *search,
                               int include_archived,
                               int (*fn)(void *user, const gk_runner_row *r),
                               void *user) {
  if (s == NULL || fn == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_RUNNER);
  if (st == NULL) return GK_E_IO;
  int rc = search && search[0]
               ? sqlite3_bind_text(st, 1, search, -1, SQLITE_STATIC)
               : SQLITE_OK;
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st, 2, include_archived != 0);
  gk_runner_row *r = (gk_runner_row *)malloc(sizeof *r);
  if (r == NULL) {
    sqlite3_reset(st);
    return GK_E_NOMEM;
  }
  gk_status out = GK_OK;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = gk__store_step(s, st);
    if (rc != SQLITE_ROW) break;
    read_row(st, r);
    if (fn(user, r) != 0) {
      out = GK_E_STOPPED;
      break;
    }
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "listing the runners");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  free(r);
  return out;
}

gk_status gk_store_get_runner(gk_store *s, int64_t id, gk_runner_row *out) {
  if (s == NULL || out == NULL) return GK_E_ARG;
  memset(out, 0, sizeof *out);
  s->errmsg[0] = '\0';
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_RUNNER);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int(st, 2, 1);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 3, id);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status ret = GK_OK;
  if (rc == SQLITE_ROW) {
    read_row(st, out);
  } else if (rc == SQLITE_DONE) {
    snprintf(s->errmsg, sizeof s->errmsg, "no runner with id %" PRId64, id);
    ret = GK_E_NOT_FOUND;
  } else {
    ret = gk__store_fail(s, rc, "reading a runner");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return ret;
}

/* Is runner id stored?  GK_OK, GK_E_NOT_FOUND (errmsg set) or a failure. */
static gk_status runner_exists(gk_store *s, int64_t id) {
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_FIND_RUNNER);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, id);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status out = GK_OK;
  if (rc == SQLITE_DONE) {
    snprintf(s->errmsg, sizeof s->errmsg, "no runner with id %" PRId64, id);
    out = GK_E_NOT_FOUND;
  } else if (rc != SQLITE_ROW) {
    out = gk__store_fail(s, rc, "looking up a runner");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return out;
}

gk_status gk_store_find_runner(gk_store *s, const char *name_or_id,
                               int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || id == NULL || name_or_id == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  const char *p = name_or_id;
  size_t n = strlen(p);
  while (n > 0 && is_space((unsigned char)*p)) p++, n--;
  while (n > 0 && is_space((unsigned char)p[n - 1])) n--;
  if (n == 0 || n >= GK_RUNNER_NAME_SIZE) {
    snprintf(s->errmsg, sizeof s->errmsg, "no runner named \"%.*s\"",
             (int)(n > 80 ? 80 : n), p);
    return GK_E_NOT_FOUND;
  }
  size_t digits = 0;
  while (digits < n && p[digits] >= '0' && p[digits] <= '9') digits++;
  if (digits == n) {
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
      if (v > (INT64_MAX - 9) / 10) {
        snprintf(s->errmsg, sizeof s->errmsg, "no runner with id %.*s",
                 (int)n, p);
        return GK_E_NOT_FOUND;
      }
      v = v * 10 + (p[i] - '0');
    }
    gk_status st = runner_exists(s, v);
    if (st == GK_OK) *id = v;
    return st;
  }
  char name[GK_RUNNER_NAME_SIZE];
  memcpy(name, p, n);
  name[n] = '\0';
  int64_t found = id_of_name(s, name);
  if (found < 0) return GK_E_IO;
  if (found == 0) {
    snprintf(s->errmsg, sizeof s->errmsg, "no runner named \"%s\"", name);
    return GK_E_NOT_FOUND;
  }
  *id = found;
  return GK_OK;
}

gk_status gk_store_use_runner(gk_store *s, int64_t id) {
  if (s == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status st = runner_exists(s, id);
  if (st != GK_OK) return st;
  s->runner = id;
  s->scoped = 1;
  return GK_OK;
}
