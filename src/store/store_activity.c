/*
** store_activity.c -- activities in the store: add (summary, laps,
** sessions, samples in one transaction), find by content hash, read back,
** list.
**
** Samples: one row per activity in `samples`, one BLOB per column (NULL
** when the column has no value at all), each the column's n values in the
** compact lossless codec of store_series.c (encoding 1): 1-3 bytes a value
** for watch data instead of 8, every value proved to decode bit for bit.
** One row per run rather than one per sample, and a fifth of the bytes,
** is what lets an import store thousands of runs per second.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_internal.h"
#include "store_internal.h"
#include "store_series.h"

/* The schema (store_schema.c) has a column per summary field as of
   schema 1: a new gk_summary field needs a migration adding its columns. */
_Static_assert(GK_SUM_COUNT == 22,
               "gk_summary changed: add a store migration for its columns");
_Static_assert(GK_COL_COUNT == 15,
               "gk_series changed: add a store migration for its columns");

/* samples.encoding: 1 = each column BLOB is one store_series.c codec
   stream (the only one written); 0 = each column BLOB is n plain
   little-endian doubles (read only). */
#define SERIES_ENCODING_PLAIN 0
#define SERIES_ENCODING_COLUMNS 1

static int64_t hash_to_i64(uint64_t h) {
  int64_t v;
  memcpy(&v, &h, sizeof v);
  return v;
}

static uint64_t i64_to_hash(int64_t v) {
  uint64_t h;
  memcpy(&h, &v, sizeof h);
  return h;
}

/* ---- binding and reading helpers ----------------------------------------- */

static int bind_real(sqlite3_stmt *st, int i, double v) {
  return isnan(v) || isinf(v) ? sqlite3_bind_null(st, i)
                              : sqlite3_bind_double(st, i, v);
}

/* A string that lives until the statement is reset (the caller's). */
static int bind_str(sqlite3_stmt *st, int i, const char *s) {
  return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

static double col_real(sqlite3_stmt *st, int i) {
  return sqlite3_column_type(st, i) == SQLITE_NULL
             ? NAN
             : sqlite3_column_double(st, i);
}

/* Copy a text column into out (size bytes), truncated; "" for NULL. */
static void col_str(sqlite3_stmt *st, int i, char *out, size_t size) {
  const unsigned char *t = sqlite3_column_text(st, i);
  size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
  if (n >= size) n = size - 1;
  if (n) memcpy(out, t, n);
  out[n] = '\0';
}

static int bind_summary(sqlite3_stmt *st, int first, const gk_summary *m) {
  int i = first, rc = SQLITE_OK;
#define BIND_SUM(ID, name) \
  if (rc == SQLITE_OK) rc = bind_real(st, i++, m->name);
  GK_SUMMARY_FIELDS(BIND_SUM)
#undef BIND_SUM
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, i, m->computed);
  return rc;
}

static void col_summary(sqlite3_stmt *st, int first, gk_summary *m) {
  int i = first;
#define COL_SUM(ID, name) m->name = col_real(st, i++);
  GK_SUMMARY_FIELDS(COL_SUM)
#undef COL_SUM
  m->computed = (uint32_t)sqlite3_column_int64(st, i);
}

/* "manufacturer product name" without empty parts. */
static void device_text(const gk_source *src, char *out, size_t size) {
  const char *parts[3] = {src->manufacturer, src->product, src->product_name};
  size_t n = 0;
  out[0] = '\0';
  for (int k = 0; k < 3; k++) {
    const char *p = parts[k];
    size_t len = strnlen(p, GK_NAME_MAX);
    if (len == 0) continue;
    if (n && n + 1 < size) out[n++] = ' ';
    if (n + len >= size) len = size - 1 - n;
    memcpy(out + n, p, len);
    n += len;
    out[n] = '\0';
  }
}

/* ---- find ---------------------------------------------------------------- */

gk_status gk_store_find_hash(gk_store *s, uint64_t content_hash, int64_t *id) {
  if (s == NULL || id == NULL) return GK_E_ARG;
  *id = 0;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_FIND_HASH);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, hash_to_i64(content_hash));
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status out = GK_OK;
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  else if (rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "looking up a file");
  sqlite3_reset(st);
  return out;
}

/* ---- add ----------------------------------------------------------------- */

static const double *series_column(const gk_series *se, int k) {
  switch (k) {
#define COL_CASE(name) \
  case GK_COL_##name:  \
    return se->name;
    GK_SERIES_COLUMNS(COL_CASE)
#undef COL_CASE
    default:
      return NULL;
  }
}

static double *series_column_mut(gk_series *se, int k) {
  return (double *)series_column(se, k);
}

/* ---- encoding the samples ------------------------------------------------ */

gk_status gk__store_encode(const gk_activity *a, gk_store_prepared *p) {
  const gk_series *se = &a->series;
  size_t n = se->n, bound = gk__series_encode_bound(n), need;
  p->n = n;
  memset(p->off, 0, sizeof p->off);
  memset(p->len, 0, sizeof p->len);
  if (n == 0) return GK_OK;
  if (n > GK_MAX_SAMPLES) return GK_E_LIMIT;
  if (p->k_cap < n) {
    double *k = (double *)realloc(p->k, n * sizeof *k);
    if (k == NULL) return GK_E_NOMEM;
    p->k = k;
    p->k_cap = n;
  }
  size_t pos = 0;
  for (int c = 0; c < GK_COL_COUNT; c++) {
    const double *v = series_column(se, c);
    if (v == NULL) continue;
    if (!gk__add_ok(pos, bound, &need)) return GK_E_LIMIT;
    if (p->cap < need) { /* grows by halves: columns are mostly small */
      size_t cap = p->cap + p->cap / 2;
      if (cap < need) cap = need;
      unsigned char *d = (unsigned char *)realloc(p->data, cap);
      if (d == NULL) return GK_E_NOMEM;
      p->data = d;
      p->cap = cap;
    }
    p->off[c] = pos;
    p->len[c] = gk__series_encode(v, n, p->data + pos, p->k);
    pos += p->len[c];
  }
  return GK_OK;
}

gk_status gk_store_prepare(const gk_activity *a, gk_store_prepared **out) {
  if (out == NULL) return GK_E_ARG;
  *out = NULL;
  if (a == NULL) return GK_E_ARG;
  gk_store_prepared *p = (gk_store_prepared *)calloc(1, sizeof *p);
  if (p == NULL) return GK_E_NOMEM;
  gk_status st = gk__store_encode(a, p);
  if (st != GK_OK) {
    gk_store_prepared_free(p);
    return st;
  }
  /* the scratch is not needed any more */
  free(p->k);
  p->k = NULL;
  p->k_cap = 0;
  *out = p;
  return GK_OK;
}

void gk_store_prepared_free(gk_store_prepared *p) {
  if (p == NULL) return;
  free(p->data);
  free(p->k);
  free(p);
}

static gk_status add_samples(gk_store *s, int64_t id,
                             const gk_store_prepared *p) {
  if (p->n == 0) return GK_OK;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ADD_SAMPLES);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, id);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, (sqlite3_int64)p->n);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int(st, 3, SERIES_ENCODING_COLUMNS);
  for (int k = 0; k < GK_COL_COUNT && rc == SQLITE_OK; k++)
    /* p outlives the step; the bindings are cleared right after it */
    rc = p->len[k] ? sqlite3_bind_blob64(st, 4 + k, p->data + p->off[k],
                                         p->len[k], SQLITE_STATIC)
                   : sqlite3_bind_null(st, 4 + k);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status out = GK_OK;
  if (rc != SQLITE_DONE) out = gk__store_fail(s, rc, "storing the samples");
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return out;
}

static gk_status add_laps(gk_store *s, int64_t id, const gk_activity *a) {
  for (size_t i = 0; i < a->n_laps; i++) {
    const gk_lap *l = &a->laps[i];
    sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ADD_LAP);
    if (st == NULL) return GK_E_IO;
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    if (rc == SQLITE_OK) rc = bind_real(st, 3, l->start_s);
    if (rc == SQLITE_OK) rc = bind_real(st, 4, l->elapsed_s);
    if (rc == SQLITE_OK) rc = bind_real(st, 5, l->timer_s);
    if (rc == SQLITE_OK) rc = bind_real(st, 6, l->distance_m);
    if (rc == SQLITE_OK) rc = bind_real(st, 7, l->avg_hr);
    if (rc == SQLITE_OK) rc = bind_real(st, 8, l->max_hr);
    if (rc == SQLITE_OK) rc = bind_real(st, 9, l->avg_cadence_spm);
    if (rc == SQLITE_OK) rc = bind_real(st, 10, l->avg_cadence_rpm);
    if (rc == SQLITE_OK) rc = bind_real(st, 11, l->avg_speed_mps);
    if (rc == SQLITE_OK)
      rc = l->session >= 0 ? sqlite3_bind_int(st, 12, l->session)
                           : sqlite3_bind_null(st, 12);
    if (rc == SQLITE_OK) rc = gk__store_step(s, st);
    if (rc != SQLITE_DONE) {
      gk_status out = gk__store_fail(s, rc, "storing a lap");
      sqlite3_reset(st);
      return out;
    }
  }
  return GK_OK;
}

static gk_status add_sessions(gk_store *s, int64_t id, const gk_activity *a) {
  for (size_t i = 0; i < a->n_sessions; i++) {
    const gk_session *se = &a->sessions[i];
    sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ADD_SESSION);
    if (st == NULL) return GK_E_IO;
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_text(st, 3, se->sport,
                             (int)strnlen(se->sport, GK_NAME_MAX),
                             SQLITE_STATIC);
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_text(st, 4, se->sub_sport,
                             (int)strnlen(se->sub_sport, GK_NAME_MAX),
                             SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = bind_real(st, 5, se->start_s);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int(st, 6, se->on_foot != 0);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 7, se->first_lap);
    if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, 8, se->n_laps);
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_int64(st, 9, (sqlite3_int64)se->first_sample);
    if (rc == SQLITE_OK)
      rc = sqlite3_bind_int64(st, 10, (sqlite3_int64)se->n_samples);
    if (rc == SQLITE_OK) rc = bind_summary(st, 11, &se->summary);
    if (rc == SQLITE_OK) rc = gk__store_step(s, st);
    if (rc != SQLITE_DONE) {
      gk_status out = gk__store_fail(s, rc, "storing a session");
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      return out;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
  }
  return GK_OK;
}

static gk_status add_row(gk_store *s, const gk_activity *a, int64_t *id) {
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_ADD_ACTIVITY);
  if (st == NULL) return GK_E_IO;
  char device[3 * GK_NAME_MAX];
  device_text(&a->source, device, sizeof device);
  char sport[GK_NAME_MAX], sub_sport[GK_NAME_MAX], format[8];
  /* NUL-terminated copies, whatever the caller's arrays hold */
  snprintf(sport, sizeof sport, "%.*s", GK_NAME_MAX - 1, a->sport);
  snprintf(sub_sport, sizeof sub_sport, "%.*s", GK_NAME_MAX - 1, a->sub_sport);
  snprintf(format, sizeof format, "%.*s", 7, a->source.format);
  char manu[GK_NAME_MAX], product[GK_NAME_MAX], pname[GK_NAME_MAX];
  snprintf(manu, sizeof manu, "%.*s", GK_NAME_MAX - 1, a->source.manufacturer);
  snprintf(product, sizeof product, "%.*s", GK_NAME_MAX - 1, a->source.product);
  snprintf(pname, sizeof pname, "%.*s", GK_NAME_MAX - 1,
           a->source.product_name);
  int i = 1;
  int rc = sqlite3_bind_int64(st, i++, hash_to_i64(a->source.content_hash));
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, i++, a->start_time);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int(st, i++, (a->flags & GK_ACT_START_UNKNOWN) != 0);
  if (rc == SQLITE_OK) rc = sqlite3_bind_int64(st, i++, a->flags);
  /* local buffers: alive until the statement is reset below */
  if (rc == SQLITE_OK) rc = bind_str(st, i++, sport);
  if (rc == SQLITE_OK) rc = bind_str(st, i++, sub_sport);
  if (rc == SQLITE_OK) rc = bind_str(st, i++, format);
  if (rc == SQLITE_OK)
    rc = a->source.path
             ? sqlite3_bind_text(st, i, a->source.path, -1, SQLITE_STATIC)
             : sqlite3_bind_null(st, i);
  i++;
  if (rc == SQLITE_OK)
    rc = device[0] ? bind_str(st, i, device) : sqlite3_bind_null(st, i);
  i++;
  if (rc == SQLITE_OK) rc = bind_str(st, i++, manu);
  if (rc == SQLITE_OK) rc = bind_str(st, i++, product);
  if (rc == SQLITE_OK) rc = bind_str(st, i++, pname);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, i++, hash_to_i64(a->source.serial));
  if (rc == SQLITE_OK) rc = bind_summary(st, i, &a->summary);
  i += GK_SUM_COUNT + 1;
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, i++, (sqlite3_int64)a->series.n);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, i++, (sqlite3_int64)a->n_laps);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, i++, (sqlite3_int64)a->n_sessions);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64(st, i++, (sqlite3_int64)time(NULL));
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  gk_status out = GK_OK;
  if (rc == SQLITE_DONE) {
    *id = sqlite3_last_insert_rowid(s->db);
  } else if (rc == SQLITE_CONSTRAINT_UNIQUE) {
    gk__store_fail(s, rc, "storing the run");
    snprintf(s->errmsg, sizeof s->errmsg,
             "a file with the same content is already stored");
    out = GK_E_ARG;
  } else {
    out = gk__store_fail(s, rc, "storing the run");
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  return out;
}

gk_status gk_store_add_prepared(gk_store *s, const gk_activity *a,
                                const gk_store_prepared *p, int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || a == NULL || p == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  if ((a->series.n > 0 && a->series.time_s == NULL) ||
      (a->n_laps > 0 && a->laps == NULL) ||
      (a->n_sessions > 0 && a->sessions == NULL) || p->n != a->series.n) {
    snprintf(s->errmsg, sizeof s->errmsg, "inconsistent activity");
    return GK_E_ARG;
  }
  gk_status st = gk__store_begin(s);
  if (st != GK_OK) return st;
  int64_t new_id = 0;
  st = add_row(s, a, &new_id);
  if (st == GK_OK) st = add_laps(s, new_id, a);
  if (st == GK_OK) st = add_sessions(s, new_id, a);
  if (st == GK_OK) st = add_samples(s, new_id, p);
  if (st == GK_OK) st = gk__store_commit(s);
  if (st != GK_OK) {
    gk__store_rollback(s);
    return st;
  }
  if (id != NULL) *id = new_id;
  return GK_OK;
}

gk_status gk_store_add_activity(gk_store *s, const gk_activity *a,
                                int64_t *id) {
  if (id != NULL) *id = 0;
  if (s == NULL || a == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  if (s->prep == NULL) {
    s->prep = (gk_store_prepared *)calloc(1, sizeof *s->prep);
    if (s->prep == NULL) return GK_E_NOMEM;
  }
  gk_status st = gk__store_encode(a, s->prep);
  if (st != GK_OK) {
    snprintf(s->errmsg, sizeof s->errmsg, "encoding the samples: %s",
             gk_strerror(st));
    return st;
  }
  return gk_store_add_prepared(s, a, s->prep, id);
}

/* ---- read back ----------------------------------------------------------- */

static gk_status get_laps(gk_store *s, int64_t id, gk_activity *a) {
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_GET_LAPS);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, id);
  gk_status out = GK_OK;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = gk__store_step(s, st);
    if (rc != SQLITE_ROW) break;
    gk_lap l;
    l.start_s = col_real(st, 0);
    l.elapsed_s = col_real(st, 1);
    l.timer_s = col_real(st, 2);
    l.distance_m = col_real(st, 3);
    l.avg_hr = col_real(st, 4);
    l.max_hr = col_real(st, 5);
    l.avg_cadence_spm = col_real(st, 6);
    l.avg_cadence_rpm = col_real(st, 7);
    l.avg_speed_mps = col_real(st, 8);
    l.session = sqlite3_column_type(st, 9) == SQLITE_NULL
                    ? -1
                    : sqlite3_column_int(st, 9);
    out = gk_activity_add_lap(a, &l);
    if (out != GK_OK) break;
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "reading laps");
  sqlite3_reset(st);
  return out;
}

static gk_status get_sessions(gk_store *s, int64_t id, gk_activity *a) {
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_GET_SESSIONS);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, id);
  gk_status out = GK_OK;
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = gk__store_step(s, st);
    if (rc != SQLITE_ROW) break;
    gk_session se;
    memset(&se, 0, sizeof se);
    col_str(st, 0, se.sport, sizeof se.sport);
    col_str(st, 1, se.sub_sport, sizeof se.sub_sport);
    se.start_s = col_real(st, 2);
    se.on_foot = sqlite3_column_int(st, 3);
    se.first_lap = (uint32_t)sqlite3_column_int64(st, 4);
    se.n_laps = (uint32_t)sqlite3_column_int64(st, 5);
    se.first_sample = (size_t)sqlite3_column_int64(st, 6);
    se.n_samples = (size_t)sqlite3_column_int64(st, 7);
    col_summary(st, 8, &se.summary);
    out = gk_activity_add_session(a, &se);
    if (out != GK_OK) break;
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "reading sessions");
  sqlite3_reset(st);
  return out;
}

static gk_status get_samples(gk_store *s, int64_t id, gk_activity *a) {
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_GET_SAMPLES);
  if (st == NULL) return GK_E_IO;
  int rc = sqlite3_bind_int64(st, 1, id);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  if (rc == SQLITE_DONE) { /* no samples */
    sqlite3_reset(st);
    return GK_OK;
  }
  if (rc != SQLITE_ROW) {
    gk_status out = gk__store_fail(s, rc, "reading samples");
    sqlite3_reset(st);
    return out;
  }
  gk_status out = GK_OK;
  sqlite3_int64 n = sqlite3_column_int64(st, 0);
  int encoding = sqlite3_column_int(st, 1);
  if (encoding != SERIES_ENCODING_PLAIN &&
      encoding != SERIES_ENCODING_COLUMNS) {
    snprintf(s->errmsg, sizeof s->errmsg,
             "samples of run %lld: unknown encoding %d", (long long)id,
             encoding);
    out = GK_E_UNSUPPORTED;
  } else if (n < 0 || (uint64_t)n > GK_MAX_SAMPLES) {
    snprintf(s->errmsg, sizeof s->errmsg, "samples of run %lld: bad count",
             (long long)id);
    out = GK_E_CORRUPT;
  }
  /* Grow the series by appending rows, then fill the columns. */
  gk_sample empty;
  gk_sample_clear(&empty);
  for (sqlite3_int64 i = 0; out == GK_OK && i < n; i++)
    out = gk_activity_add_sample(a, &empty);
  for (int k = 0; out == GK_OK && k < GK_COL_COUNT && n > 0; k++) {
    int type = sqlite3_column_type(st, 2 + k);
    if (type == SQLITE_NULL) continue; /* no value: NaN, as appended */
    const unsigned char *blob =
        type == SQLITE_BLOB
            ? (const unsigned char *)sqlite3_column_blob(st, 2 + k)
            : NULL;
    size_t len = (size_t)sqlite3_column_bytes(st, 2 + k);
    double *dst = series_column_mut(&a->series, k);
    if (blob == NULL) {
      out = sqlite3_errcode(s->db) == SQLITE_NOMEM ? GK_E_NOMEM : GK_E_CORRUPT;
    } else if (encoding == SERIES_ENCODING_PLAIN) {
      if (len != (size_t)n * 8) {
        out = GK_E_CORRUPT;
      } else {
        for (sqlite3_int64 i = 0; i < n; i++) {
          uint64_t u = 0;
          for (int b = 0; b < 8; b++) u |= (uint64_t)blob[i * 8 + b] << (8 * b);
          memcpy(&dst[i], &u, 8);
        }
      }
    } else {
      out = gk__series_decode(blob, len, (size_t)n, dst);
    }
    if (out != GK_OK && s->errmsg[0] == '\0')
      snprintf(s->errmsg, sizeof s->errmsg,
               "samples of run %lld: a column is damaged", (long long)id);
  }
  sqlite3_reset(st);
  return out;
}

gk_status gk_store_get_activity(gk_store *s, int64_t id, gk_activity **out) {
  if (out != NULL) *out = NULL;
  if (s == NULL || out == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_GET_ACTIVITY);
  if (st == NULL) return GK_E_IO;
  /* One read transaction for the four queries: a consistent snapshot. */
  gk_status res = GK_OK;
  int own_txn = sqlite3_get_autocommit(s->db);
  if (own_txn && gk__store_exec_script(s, "BEGIN") != SQLITE_OK)
    return gk__store_fail(s, sqlite3_errcode(s->db), "starting a read");
  gk_activity *a = NULL;
  int rc = sqlite3_bind_int64(st, 1, id);
  if (rc == SQLITE_OK) rc = gk__store_step(s, st);
  if (rc == SQLITE_DONE) {
    snprintf(s->errmsg, sizeof s->errmsg, "no run with id %lld", (long long)id);
    res = GK_E_NOT_FOUND;
  } else if (rc != SQLITE_ROW) {
    res = gk__store_fail(s, rc, "reading a run");
  } else {
    res = gk_activity_new(&a, NULL);
  }
  if (res == GK_OK) {
    a->start_time = sqlite3_column_int64(st, 0);
    a->flags = (uint32_t)sqlite3_column_int64(st, 1);
    col_str(st, 2, a->sport, sizeof a->sport);
    col_str(st, 3, a->sub_sport, sizeof a->sub_sport);
    col_str(st, 4, a->source.format, sizeof a->source.format);
    if (sqlite3_column_type(st, 5) != SQLITE_NULL)
      res = gk_activity_set_path(a, (const char *)sqlite3_column_text(st, 5));
    col_str(st, 6, a->source.manufacturer, sizeof a->source.manufacturer);
    col_str(st, 7, a->source.product, sizeof a->source.product);
    col_str(st, 8, a->source.product_name, sizeof a->source.product_name);
    a->source.serial = i64_to_hash(sqlite3_column_int64(st, 9));
    a->source.content_hash = i64_to_hash(sqlite3_column_int64(st, 10));
    col_summary(st, 11, &a->summary);
  }
  sqlite3_reset(st);
  if (res == GK_OK) res = get_laps(s, id, a);
  if (res == GK_OK) res = get_sessions(s, id, a);
  if (res == GK_OK) res = get_samples(s, id, a);
  if (own_txn) gk__store_exec_script(s, "COMMIT");
  if (res != GK_OK) {
    gk_activity_free(a);
    return res;
  }
  *out = a;
  return GK_OK;
}

/* ---- list ---------------------------------------------------------------- */

gk_status gk_store_each_run(gk_store *s,
                            int (*fn)(void *user, const gk_run_row *r),
                            void *user) {
  if (s == NULL || fn == NULL) return GK_E_ARG;
  s->errmsg[0] = '\0';
  gk_status scope = gk__store_scope(s);
  if (scope != GK_OK) return scope;
  sqlite3_stmt *st = gk__store_stmt(s, GK__ST_EACH_RUN);
  if (st == NULL) return GK_E_IO;
  gk_run_row *r = (gk_run_row *)malloc(sizeof *r); /* 4 kB+: not on stack */
  if (r == NULL) return GK_E_NOMEM;
  gk_status out = GK_OK;
  int rc;
  while ((rc = gk__store_step(s, st)) == SQLITE_ROW) {
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->start_time = sqlite3_column_int64(st, 1);
    r->flags = (uint32_t)sqlite3_column_int64(st, 2);
    col_str(st, 3, r->sport, sizeof r->sport);
    col_str(st, 4, r->sub_sport, sizeof r->sub_sport);
    col_str(st, 5, r->source_format, sizeof r->source_format);
    col_str(st, 6, r->source_path, sizeof r->source_path);
    col_str(st, 7, r->device, sizeof r->device);
    r->content_hash = i64_to_hash(sqlite3_column_int64(st, 8));
    r->n_samples = sqlite3_column_int64(st, 9);
    r->n_laps = sqlite3_column_int64(st, 10);
    r->imported_at = sqlite3_column_int64(st, 11);
    col_summary(st, 12, &r->summary);
    if (fn(user, r) != 0) {
      out = GK_E_STOPPED;
      break;
    }
  }
  if (out == GK_OK && rc != SQLITE_DONE)
    out = gk__store_fail(s, rc, "listing runs");
  sqlite3_reset(st); /* ends the read transaction */
  free(r);
  return out;
}
