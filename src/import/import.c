/*
** import.c -- one watch file's bytes: recognised, hashed, a stored
** duplicate skipped before decoding, decoded (a damaged file up to the
** damage), classified (a run, another sport, not an activity) and its
** samples encoded; then stored in one transaction (gaitkeeper/import.h).
**
** What counts as a run: sport "running" with any sub-sport, and an
** activity whose file names no sport when it has data and moves like a
** run (looks_like_run).  docs/STORE.md, "Import".
*/
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gaitkeeper/formats.h"
#include "gaitkeeper/import.h"
#include "gaitkeeper/xml_activity.h"

/*
** A file that names no sport (a GPX track without <type>, a TCX "Other")
** is taken as a run only when it moves like one: an average speed of
** GK_RUN_SPEED_MIN..GK_RUN_SPEED_MAX m/s (about 9:15 to 2:20 per km) and,
** where the device recorded a cadence, GK_RUN_CADENCE_MIN..MAX strides per
** minute.  A walk, a ride or a drive is then skipped as "unknown" rather
** than stored as a run with a doubled cadence.
*/
#define GK_RUN_SPEED_MIN 1.8
#define GK_RUN_SPEED_MAX 7.0
#define GK_RUN_CADENCE_MIN 65.0
#define GK_RUN_CADENCE_MAX 110.0
static int looks_like_run(const gk_activity *a) {
  const gk_summary *s = &a->summary;
  double v = s->avg_speed_mps;
  if (isnan(v) && s->timer_s > 0) v = s->distance_m / s->timer_s;
  double c = s->avg_cadence_rpm;
  int cad_ok = isnan(c) || (c >= GK_RUN_CADENCE_MIN && c <= GK_RUN_CADENCE_MAX);
  if (!isnan(v)) return v >= GK_RUN_SPEED_MIN && v <= GK_RUN_SPEED_MAX && cad_ok;
  return !isnan(c) && cad_ok;
}

static void describe(const gk_err *err, gk_status st, char *out, size_t size) {
  const char *why =
      err->msg ? err->msg : gk_strerror(err->code ? err->code : st);
  if (err->line)
    snprintf(out, size, "line %" PRIu32 ", column %" PRIu32 ": %s", err->line,
             err->col, why);
  else
    snprintf(out, size, "byte %" PRIu64 ": %s", err->offset, why);
}

void gk_import_decode(const void *data, size_t len, gk_store *rd,
                      const char *stored_path, gk_import_file *r) {
  if (r == NULL) return;
  memset(r, 0, sizeof *r);
  if (data == NULL || len == 0) {
    r->outcome = GK_IMPORT_IGNORED;
    return;
  }
  gk_format fmt = gk_sniff_format(data, len < 4096 ? len : 4096);
  if (fmt == GK_FORMAT_UNKNOWN) {
    r->outcome = GK_IMPORT_IGNORED;
    return;
  }
  /* Stored already?  Then done, before any decoding. */
  uint64_t hash = gk_fnv1a64(data, len);
  int64_t id = 0;
  if (rd != NULL && gk_store_find_hash(rd, hash, &id) == GK_OK && id != 0) {
    r->outcome = GK_IMPORT_DUPLICATE;
    r->id = id;
    return;
  }
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_activity *a = NULL;
  gk_status st = gk_read_activity(
      data, len, GK_READ_PARTIAL | GK_READ_NO_HASH | GK_XML_UNKNOWN_ON_FOOT,
      &fmt, &a, &err);
  if (st != GK_OK) {
    r->outcome = GK_IMPORT_FAILED;
    describe(&err, st, r->msg, sizeof r->msg);
    return;
  }
  a->source.content_hash = hash;
  int has_data = a->series.n >= 2 || a->n_laps > 0 || a->n_sessions > 0;
  if (a->flags & GK_ACT_PARTIAL) {
    r->partial = 1;
    describe(&err, GK_E_CORRUPT, r->msg, sizeof r->msg);
    if (!has_data) { /* damaged before anything usable */
      r->outcome = GK_IMPORT_FAILED;
      gk_activity_free(a);
      return;
    }
  }
  if (strcmp(a->sport, "running") == 0 ||
      (a->sport[0] == '\0' && has_data && looks_like_run(a))) {
    if (stored_path != NULL && gk_activity_set_path(a, stored_path) != GK_OK) {
      gk_activity_free(a);
      r->outcome = GK_IMPORT_FAILED;
      snprintf(r->msg, sizeof r->msg, "out of memory");
      return;
    }
    gk_status es = gk_store_prepare(a, &r->prep);
    if (es != GK_OK) {
      gk_activity_free(a);
      r->outcome = GK_IMPORT_FAILED;
      snprintf(r->msg, sizeof r->msg, "cannot encode the samples: %s",
               gk_strerror(es));
      return;
    }
    r->outcome = GK_IMPORT_RUN;
    r->act = a;
    return;
  }
  if (a->sport[0] == '\0' && has_data) {
    r->outcome = GK_IMPORT_OTHER; /* names no sport, does not move like a run */
    snprintf(r->sport, sizeof r->sport, "unknown");
  } else if (a->sport[0] == '\0') {
    r->outcome = GK_IMPORT_IGNORED; /* e.g. a FIT settings or course file */
  } else {
    r->outcome = GK_IMPORT_OTHER;
    snprintf(r->sport, sizeof r->sport, "%s", a->sport);
  }
  gk_activity_free(a);
}

gk_status gk_import_store(gk_store *s, gk_import_file *f) {
  if (s == NULL || f == NULL) return GK_E_ARG;
  if (f->outcome != GK_IMPORT_RUN || f->act == NULL) return GK_OK;
  int64_t id = 0;
  gk_status st = gk_store_add_prepared(s, f->act, f->prep, &id);
  if (st == GK_OK) {
    f->id = id;
  } else if (st == GK_E_ARG &&
             gk_store_find_hash(s, f->act->source.content_hash, &id) ==
                 GK_OK &&
             id != 0) {
    f->outcome = GK_IMPORT_DUPLICATE; /* stored meanwhile */
    f->partial = 0;
    f->id = id;
    st = GK_OK;
  } else {
    f->outcome = GK_IMPORT_FAILED;
    f->partial = 0;
    snprintf(f->msg, sizeof f->msg, "cannot store: %s", gk_store_errmsg(s));
  }
  gk_activity_free(f->act);
  gk_store_prepared_free(f->prep);
  f->act = NULL;
  f->prep = NULL;
  return st;
}

void gk_import_file_clear(gk_import_file *f) {
  if (f == NULL) return;
  gk_activity_free(f->act);
  gk_store_prepared_free(f->prep);
  f->act = NULL;
  f->prep = NULL;
}
