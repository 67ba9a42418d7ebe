/*
** test_store.c -- the SQLite store (gaitkeeper/store.h): where it lives,
** file permissions, schema versions, refusing what is not a store or is
** too new, activities and the pain log written and read back, and every
** write being all-or-nothing (duplicates, and a failure injected at each
** statement of a write in turn).
**
** Also: opening a store never drops the locks of the process's other
** connections to it; read-only opening; damaged stores (missing tables).
**
** The store's file header is read and patched here byte by byte (SQLite's
** documented file format: user_version at offset 60, application_id at 68,
** both big-endian) so the test needs no SQLite of its own.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/fit_activity.h"
#include "gaitkeeper/store.h"
#include "store/store_hooks.h"
#include "store/store_series.h"
#include "test.h"

#ifndef GK_TEST_DATA
#define GK_TEST_DATA "tests/data"
#endif

static char tmpdir[256];

static void path_in_tmp(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", tmpdir, name);
}

static int file_mode(const char *path) {
  struct stat sb;
  if (stat(path, &sb) != 0) return -1;
  return (int)(sb.st_mode & 07777);
}

static int exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* Read or patch a big-endian u32 of a file's header. */
static long read_be32(const char *path, long offset) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  unsigned char b[4];
  long v = -1;
  if (fseek(f, offset, SEEK_SET) == 0 && fread(b, 1, 4, f) == 4)
    v = ((long)b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
  fclose(f);
  return v;
}

static int write_be32(const char *path, long offset, uint32_t v) {
  FILE *f = fopen(path, "r+b");
  if (f == NULL) return -1;
  unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 8), (unsigned char)v};
  int rc =
      (fseek(f, offset, SEEK_SET) == 0 && fwrite(b, 1, 4, f) == 4) ? 0 : -1;
  if (fclose(f) != 0) rc = -1;
  return rc;
}

static int64_t count(gk_store *s, const char *table) {
  int64_t n = -1;
  if (gk__store_count(s, table, &n) != GK_OK) return -1;
  return n;
}

/* Double equality that treats NaN as equal to NaN (and tells -0 from 0). */
static int same_double(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- a hand-made activity ------------------------------------------------ */

static gk_activity *make_activity(uint64_t hash, int64_t start, size_t n) {
  gk_activity *a = NULL;
  if (gk_activity_new(&a, NULL) != GK_OK) return NULL;
  snprintf(a->sport, sizeof a->sport, "%s", "running");
  snprintf(a->sub_sport, sizeof a->sub_sport, "%s", "trail");
  a->start_time = start;
  a->flags = GK_ACT_HR_MERGED;
  memcpy(a->source.format, "fit", 4);
  snprintf(a->source.manufacturer, sizeof a->source.manufacturer, "%s",
           "garmin");
  snprintf(a->source.product, sizeof a->source.product, "%s", "fenix5");
  a->source.serial = 0xFEDCBA9876543210ull; /* > INT64_MAX */
  a->source.content_hash = hash;
  gk_activity_set_path(a, "/runs/morning run.fit");
  for (size_t i = 0; i < n; i++) {
    gk_sample s;
    gk_sample_clear(&s);
    s.time_s = (double)i;
    s.distance_m = 2.9 * (double)i;
    s.speed_mps = 2.9 + 0.01 * (double)(i % 7);
    s.hr_bpm = (i % 5 == 3) ? NAN : 120.0 + (double)(i % 30); /* gaps */
    s.cadence_spm = 163.5;
    s.lat_deg = 48.1374 + 1e-6 * (double)i;
    s.lon_deg = -11.5755 - 1e-6 * (double)i;
    if (i == 1) s.altitude_m = -0.0; /* a signed zero survives */
    /* power, dynamics: no value at all (stored as NULL columns) */
    gk_activity_add_sample(a, &s);
  }
  gk_activity_summarize(a, 0, a->series.n, 1, &a->summary);
  a->summary.calories = NAN;
  a->summary.avg_hr = 131.0;
  a->summary.computed &= ~(1u << GK_SUM_AVG_HR);
  gk_session se;
  memset(&se, 0, sizeof se);
  snprintf(se.sport, sizeof se.sport, "%s", "running");
  se.on_foot = 1;
  se.n_laps = 2;
  se.n_samples = n;
  se.summary = a->summary;
  gk_activity_add_session(a, &se);
  for (int k = 0; k < 2; k++) {
    gk_lap l = {k * 10.0, 10.0,  10.0, 29.0, 130.0 + k,
                NAN,      163.5, NAN,  2.9,  k == 0 ? 0 : -1};
    gk_activity_add_lap(a, &l);
  }
  return a;
}

static void check_same_activity(const gk_activity *got,
                                const gk_activity *want) {
  CHECK_STR(got->sport, want->sport);
  CHECK_STR(got->sub_sport, want->sub_sport);
  CHECK_EQ_INT(got->start_time, want->start_time);
  CHECK_EQ_INT(got->flags, want->flags);
  CHECK_STR(got->source.format, want->source.format);
  CHECK_STR(got->source.manufacturer, want->source.manufacturer);
  CHECK_STR(got->source.product, want->source.product);
  CHECK_STR(got->source.product_name, want->source.product_name);
  CHECK_TRUE(got->source.serial == want->source.serial);
  CHECK_TRUE(got->source.content_hash == want->source.content_hash);
  CHECK_STR(got->source.path, want->source.path);
#define SUM_SAME(ID, name) \
  CHECK_TRUE(same_double(got->summary.name, want->summary.name));
  GK_SUMMARY_FIELDS(SUM_SAME)
#undef SUM_SAME
  CHECK_EQ_INT(got->summary.computed, want->summary.computed);
  CHECK_EQ_INT(got->n_laps, want->n_laps);
  for (size_t i = 0; i < got->n_laps && i < want->n_laps; i++) {
    const gk_lap *x = &got->laps[i], *y = &want->laps[i];
    CHECK_TRUE(same_double(x->start_s, y->start_s));
    CHECK_TRUE(same_double(x->distance_m, y->distance_m));
    CHECK_TRUE(same_double(x->max_hr, y->max_hr));
    CHECK_TRUE(same_double(x->avg_cadence_rpm, y->avg_cadence_rpm));
    CHECK_EQ_INT(x->session, y->session);
  }
  CHECK_EQ_INT(got->n_sessions, want->n_sessions);
  for (size_t i = 0; i < got->n_sessions && i < want->n_sessions; i++) {
    const gk_session *x = &got->sessions[i], *y = &want->sessions[i];
    CHECK_STR(x->sport, y->sport);
    CHECK_EQ_INT(x->on_foot, y->on_foot);
    CHECK_EQ_INT(x->first_lap, y->first_lap);
    CHECK_EQ_INT(x->n_laps, y->n_laps);
    CHECK_EQ_INT(x->n_samples, y->n_samples);
    CHECK_TRUE(same_double(x->summary.distance_m, y->summary.distance_m));
    CHECK_TRUE(same_double(x->summary.calories, y->summary.calories));
  }
  CHECK_EQ_INT(got->series.n, want->series.n);
  if (got->series.n != want->series.n) return;
  size_t bad = 0;
#define COL_SAME(name)                       \
  for (size_t i = 0; i < got->series.n; i++) \
    if (!same_double(got->series.name[i], want->series.name[i])) bad++;
  GK_SERIES_COLUMNS(COL_SAME)
#undef COL_SAME
  CHECK_EQ_INT(bad, 0);
}

/* ---- tests --------------------------------------------------------------- */

static void test_default_path(void) {
  char out[256];
  setenv("XDG_DATA_HOME", "/data/xdg/", 1);
  setenv("HOME", "/home/runner", 1);
  ASSERT_EQ_INT(gk_store_default_path(out, sizeof out), GK_OK);
  CHECK_STR(out, "/data/xdg/gaitkeeper/gaitkeeper.db");
  setenv("XDG_DATA_HOME", "relative/is/ignored", 1);
  ASSERT_EQ_INT(gk_store_default_path(out, sizeof out), GK_OK);
  CHECK_STR(out, "/home/runner/.local/share/gaitkeeper/gaitkeeper.db");
  unsetenv("XDG_DATA_HOME");
  ASSERT_EQ_INT(gk_store_default_path(out, sizeof out), GK_OK);
  CHECK_STR(out, "/home/runner/.local/share/gaitkeeper/gaitkeeper.db");
  CHECK_EQ_INT(gk_store_default_path(out, 10), GK_E_LIMIT);
  unsetenv("HOME");
  CHECK_EQ_INT(gk_store_default_path(out, sizeof out), GK_E_NOT_FOUND);
  CHECK_EQ_INT(gk_store_default_path(NULL, 0), GK_E_ARG);
}

/* The directories and files are owner-only whatever the umask. */
static void test_create_permissions(void) {
  char dir[300], path[320], wal[330], shm[330];
  path_in_tmp(dir, sizeof dir, "perm/a/b");
  snprintf(path, sizeof path, "%s/gk.db", dir);
  snprintf(wal, sizeof wal, "%s-wal", path);
  snprintf(shm, sizeof shm, "%s-shm", path);
  mode_t old = umask(0);
  gk_store *s = NULL;
  gk_err err;
  gk_status st = gk_store_open(&s, path, &err);
  CHECK_EQ_INT(umask(old), 0); /* the open restored the caller's umask */
  ASSERT_EQ_INT(st, GK_OK);
  CHECK_STR(gk_store_path(s), path);
  CHECK_EQ_INT(file_mode(dir), 0700);
  char up[300];
  path_in_tmp(up, sizeof up, "perm/a");
  CHECK_EQ_INT(file_mode(up), 0700);
  CHECK_EQ_INT(file_mode(path), 0600);
  gk_activity *a = make_activity(1, 1700000000, 10);
  ASSERT_TRUE(a != NULL);
  old = umask(0);
  CHECK_EQ_INT(gk_store_add_activity(s, a, NULL), GK_OK);
  umask(old);
  gk_activity_free(a);
  /* WAL mode: the -wal and -shm files exist while the store is open */
  CHECK_TRUE(exists(wal));
  CHECK_TRUE(exists(shm));
  CHECK_EQ_INT(file_mode(wal), 0600);
  CHECK_EQ_INT(file_mode(shm), 0600);
  gk_store_close(s);
  CHECK_EQ_INT(file_mode(path), 0600);
  /* the header says WAL: file format read/write versions 2 at 18, 19 */
  FILE *f = fopen(path, "rb");
  unsigned char h[20] = {0};
  if (f) {
    CHECK_EQ_INT(fread(h, 1, 20, f), 20);
    fclose(f);
  }
  CHECK_EQ_INT(h[18], 2);
  CHECK_EQ_INT(h[19], 2);
  /* an existing file keeps its mode (the store never loosens or changes
     what the user set) */
  CHECK_EQ_INT(chmod(path, 0640), 0);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(file_mode(path), 0640);
}

static void test_migrations(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "mig.db");
  /* an empty file (e.g. touched by the user) is a new store */
  FILE *f = fopen(path, "wb");
  ASSERT_TRUE(f != NULL);
  fclose(f);
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
  CHECK_EQ_INT(read_be32(path, 68), 0x474b5354); /* "GKST" */
  /* reopening an up-to-date store changes nothing */
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = 20000;
  e.during = 3;
  e.after = e.morning = -1;
  e.onset_km = NAN;
  CHECK_EQ_INT(gk_store_add_pain(s, &e, NULL), GK_OK);
  gk_store_close(s);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "pain"), 1);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
  /* two connections at once: both see the same, up-to-date schema */
  gk_store *s2 = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  ASSERT_EQ_INT(gk_store_open(&s2, path, NULL), GK_OK);
  CHECK_EQ_INT(gk_store_add_pain(s2, &e, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "pain"), 2);
  gk_store_close(s2);
  gk_store_close(s);
}

static void test_newer_schema_refused(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "newer.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_store_close(s);
  ASSERT_EQ_INT(write_be32(path, 60, GK_STORE_SCHEMA_VERSION + 2), 0);
  gk_err err;
  char msg[200];
  CHECK_EQ_INT(gk_store_open_ex(&s, path, 0, &err, msg, sizeof msg),
               GK_E_UNSUPPORTED);
  CHECK_TRUE(s == NULL);
  CHECK_EQ_INT(err.code, GK_E_UNSUPPORTED);
  CHECK_STR(err.msg, "store was written by a newer gaitkeeper");
  char want[200];
  snprintf(want, sizeof want,
           "store was written by a newer gaitkeeper (schema %d, this build "
           "knows %d)",
           GK_STORE_SCHEMA_VERSION + 2, GK_STORE_SCHEMA_VERSION);
  CHECK_STR(msg, want);
  /* untouched: still the newer version */
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION + 2);
  CHECK_EQ_INT(gk_store_open(&s, path, NULL), GK_E_UNSUPPORTED);
}

static void test_not_a_store_refused(void) {
  char path[300], wal[310];
  path_in_tmp(path, sizeof path, "notes.txt");
  snprintf(wal, sizeof wal, "%s-wal", path);
  const char text[] =
      "These are my running notes, not a database. They are long enough "
      "to fill what SQLite reads as a header, and then some more words.\n";
  FILE *f = fopen(path, "wb");
  ASSERT_TRUE(f != NULL);
  fwrite(text, 1, sizeof text - 1, f);
  fclose(f);
  gk_store *s = NULL;
  gk_err err;
  char msg[200];
  CHECK_EQ_INT(gk_store_open_ex(&s, path, 0, &err, msg, sizeof msg),
               GK_E_CORRUPT);
  CHECK_TRUE(s == NULL);
  CHECK_STR(err.msg, "not a gaitkeeper store");
  CHECK_TRUE(strstr(msg, "not a gaitkeeper store") == msg);
  /* the file is left as it was, and no WAL was made beside it */
  char back[sizeof text];
  f = fopen(path, "rb");
  ASSERT_TRUE(f != NULL);
  size_t n = fread(back, 1, sizeof back, f);
  fclose(f);
  CHECK_EQ_INT(n, sizeof text - 1);
  CHECK_TRUE(memcmp(back, text, sizeof text - 1) == 0);
  CHECK_TRUE(!exists(wal));

  /* an SQLite database of another program (another application_id) */
  path_in_tmp(path, sizeof path, "other.db");
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_store_close(s);
  ASSERT_EQ_INT(write_be32(path, 68, 0x12345678), 0);
  CHECK_EQ_INT(gk_store_open_ex(&s, path, 0, &err, msg, sizeof msg),
               GK_E_CORRUPT);
  CHECK_TRUE(strstr(msg, "another program") != NULL);

  /* a directory, and a missing file with GK_STORE_NO_CREATE */
  CHECK_EQ_INT(gk_store_open(&s, tmpdir, &err), GK_E_IO);
  path_in_tmp(path, sizeof path, "missing/none.db");
  CHECK_EQ_INT(gk_store_open_ex(&s, path, GK_STORE_NO_CREATE, &err, NULL, 0),
               GK_E_NOT_FOUND);
  CHECK_TRUE(!exists(path));
  char dir[300];
  path_in_tmp(dir, sizeof dir, "missing");
  CHECK_TRUE(!exists(dir));
  CHECK_EQ_INT(gk_store_open(&s, "", &err), GK_E_ARG);
  CHECK_EQ_INT(gk_store_open(NULL, path, &err), GK_E_ARG);
}

static int collect_run(void *user, const gk_run_row *r) {
  gk_run_row *rows = (gk_run_row *)user;
  for (int i = 0; i < 4; i++)
    if (rows[i].id == 0) {
      rows[i] = *r;
      return 0;
    }
  return 1;
}

static int stop_at_first(void *user, const gk_run_row *r) {
  (void)r;
  ++*(int *)user;
  return 1;
}

static void test_activities(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "runs.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_activity *late = make_activity(0xFFFFFFFFFFFFFFFFull, 1800000000, 300);
  gk_activity *early = make_activity(42, 1700000000, 5);
  ASSERT_TRUE(late != NULL && early != NULL);
  early->flags |= GK_ACT_PARTIAL;
  int64_t id_late = 0, id_early = 0, found = -1;
  CHECK_EQ_INT(gk_store_find_hash(s, 42, &found), GK_OK);
  CHECK_EQ_INT(found, 0);
  ASSERT_EQ_INT(gk_store_add_activity(s, late, &id_late), GK_OK);
  ASSERT_EQ_INT(gk_store_add_activity(s, early, &id_early), GK_OK);
  CHECK_TRUE(id_late > 0 && id_early > id_late);
  CHECK_EQ_INT(gk_store_find_hash(s, 42, &found), GK_OK);
  CHECK_EQ_INT(found, id_early);
  CHECK_EQ_INT(gk_store_find_hash(s, 0xFFFFFFFFFFFFFFFFull, &found), GK_OK);
  CHECK_EQ_INT(found, id_late);
  CHECK_EQ_INT(gk_store_find_hash(s, 7, &found), GK_OK);
  CHECK_EQ_INT(found, 0);

  /* read back whole: every value, NaN included, as it was */
  gk_activity *back = NULL;
  ASSERT_EQ_INT(gk_store_get_activity(s, id_late, &back), GK_OK);
  check_same_activity(back, late);
  CHECK_TRUE(isnan(back->summary.calories));
  CHECK_TRUE(isnan(back->series.hr_bpm[3]));
  CHECK_TRUE(isnan(back->series.power_w[0]));
  CHECK_TRUE(signbit(back->series.altitude_m[1]));
  gk_activity_free(back);
  CHECK_EQ_INT(gk_store_get_activity(s, 9999, &back), GK_E_NOT_FOUND);
  CHECK_TRUE(back == NULL);
  CHECK_EQ_INT(count(s, "laps"), 4);
  CHECK_EQ_INT(count(s, "sessions"), 2);
  CHECK_EQ_INT(count(s, "samples"), 2);

  /* listed oldest first */
  gk_run_row rows[4];
  memset(rows, 0, sizeof rows);
  CHECK_EQ_INT(gk_store_each_run(s, collect_run, rows), GK_OK);
  CHECK_EQ_INT(rows[0].id, id_early);
  CHECK_EQ_INT(rows[1].id, id_late);
  CHECK_EQ_INT(rows[2].id, 0);
  CHECK_EQ_INT(rows[1].start_time, 1800000000);
  CHECK_STR(rows[1].sport, "running");
  CHECK_STR(rows[1].sub_sport, "trail");
  CHECK_STR(rows[1].source_format, "fit");
  CHECK_STR(rows[1].source_path, "/runs/morning run.fit");
  CHECK_STR(rows[1].device, "garmin fenix5");
  CHECK_TRUE(rows[1].content_hash == 0xFFFFFFFFFFFFFFFFull);
  CHECK_EQ_INT(rows[1].n_samples, 300);
  CHECK_EQ_INT(rows[1].n_laps, 2);
  CHECK_TRUE(rows[1].imported_at > 1700000000);
  CHECK_TRUE(same_double(rows[1].summary.distance_m, late->summary.distance_m));
  CHECK_NEAR(rows[1].summary.avg_hr, 131.0, 0);
  CHECK_TRUE(isnan(rows[1].summary.calories));
  CHECK_TRUE(isnan(rows[1].summary.avg_power_w));
  /* NaN is stored as NULL, a value as a value */
  int64_t nulls = -1;
  CHECK_EQ_INT(gk__store_count_null(s, "calories", &nulls), GK_OK);
  CHECK_EQ_INT(nulls, 2);
  CHECK_EQ_INT(gk__store_count_null(s, "avg_hr", &nulls), GK_OK);
  CHECK_EQ_INT(nulls, 0);
  CHECK_EQ_INT(gk__store_count_null(s, "id; DROP TABLE pain", &nulls),
               GK_E_ARG);
  CHECK_EQ_INT(rows[1].summary.computed, late->summary.computed);
  CHECK_TRUE(rows[0].flags & GK_ACT_PARTIAL);
  int calls = 0;
  CHECK_EQ_INT(gk_store_each_run(s, stop_at_first, &calls), GK_E_STOPPED);
  CHECK_EQ_INT(calls, 1);
  /* after a stopped listing the store still writes (no read left open) */
  gk_activity *third = make_activity(43, 1750000000, 0); /* no samples */
  ASSERT_TRUE(third != NULL);
  CHECK_EQ_INT(gk_store_add_activity(s, third, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "samples"), 2);
  gk_activity_free(third);
  gk_activity_free(late);
  gk_activity_free(early);
  gk_store_close(s);
}

/* A failed write leaves the store as it was. */
static void test_rollback(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "rollback.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_activity *a = make_activity(100, 1700000000, 50);
  ASSERT_TRUE(a != NULL);
  ASSERT_EQ_INT(gk_store_add_activity(s, a, NULL), GK_OK);

  /* the same content again: refused, nothing written */
  int64_t id = -1;
  a->start_time += 3600;
  CHECK_EQ_INT(gk_store_add_activity(s, a, &id), GK_E_ARG);
  CHECK_EQ_INT(id, 0);
  CHECK_TRUE(strstr(gk_store_errmsg(s), "already stored") != NULL);
  CHECK_EQ_INT(count(s, "activities"), 1);
  CHECK_EQ_INT(count(s, "laps"), 2);
  CHECK_EQ_INT(count(s, "sessions"), 1);
  CHECK_EQ_INT(count(s, "samples"), 1);

  /* a failure at each statement of the write in turn: the run, its laps,
     its session, its samples or the commit; each leaves nothing behind */
  a->source.content_hash = 101;
  int failures = 0, k;
  for (k = 1; k < 40; k++) {
    gk__store_fail_after(s, k);
    gk_status st = gk_store_add_activity(s, a, &id);
    if (st == GK_OK) break;
    failures++;
    CHECK_EQ_INT(st, GK_E_IO);
    CHECK_TRUE(strstr(gk_store_errmsg(s), "injected") != NULL);
    CHECK_EQ_INT(count(s, "activities"), 1);
    CHECK_EQ_INT(count(s, "laps"), 2);
    CHECK_EQ_INT(count(s, "sessions"), 1);
    CHECK_EQ_INT(count(s, "samples"), 1);
  }
  gk__store_fail_after(s, 0);
  /* begin, run, 2 laps, session, samples, commit */
  CHECK_EQ_INT(failures, 7);
  CHECK_EQ_INT(count(s, "activities"), 2);
  CHECK_EQ_INT(count(s, "laps"), 4);
  gk_activity *back = NULL;
  ASSERT_EQ_INT(gk_store_get_activity(s, id, &back), GK_OK);
  check_same_activity(back, a);
  gk_activity_free(back);

  /* the pain log too */
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = 20400;
  e.during = 4;
  e.after = 2;
  e.morning = -1;
  e.onset_km = 3.5;
  e.activity_id = id;
  for (k = 1; k < 10; k++) {
    gk__store_fail_after(s, k);
    if (gk_store_add_pain(s, &e, NULL) == GK_OK) break;
    CHECK_EQ_INT(count(s, "pain"), 0);
  }
  gk__store_fail_after(s, 0);
  CHECK_EQ_INT(k, 5); /* fails at begin, run lookup, insert, commit */
  CHECK_EQ_INT(count(s, "pain"), 1);
  gk_activity_free(a);
  gk_store_close(s);
}

static int collect_pain(void *user, const gk_pain_entry *e) {
  gk_pain_entry *out = (gk_pain_entry *)user;
  for (int i = 0; i < 4; i++)
    if (out[i].id == 0) {
      out[i] = *e;
      return 0;
    }
  return 1;
}

static void test_pain(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "pain.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_activity *a = make_activity(7, 1700000000, 3);
  ASSERT_TRUE(a != NULL);
  int64_t run = 0;
  ASSERT_EQ_INT(gk_store_add_activity(s, a, &run), GK_OK);
  gk_activity_free(a);

  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = 20100;
  e.during = 6;
  e.after = 4;
  e.morning = 2;
  e.onset_km = 3.2;
  e.activity_id = run;
  snprintf(e.note, sizeof e.note, "%s",
           "outside of the knee, downhill; \"sharp\"");
  int64_t id1 = 0, id2 = 0;
  ASSERT_EQ_INT(gk_store_add_pain(s, &e, &id1), GK_OK);
  gk_pain_entry f;
  memset(&f, 0, sizeof f);
  f.day = 20090; /* earlier: listed first */
  f.during = 0;
  f.after = -1;
  f.morning = -1;
  f.onset_km = NAN;
  ASSERT_EQ_INT(gk_store_add_pain(s, &f, &id2), GK_OK);
  CHECK_TRUE(id1 > 0 && id2 > id1);

  /* invalid entries are refused, nothing written */
  gk_pain_entry bad = e;
  bad.during = 11;
  CHECK_EQ_INT(gk_store_add_pain(s, &bad, NULL), GK_E_ARG);
  bad = e;
  bad.morning = -2;
  CHECK_EQ_INT(gk_store_add_pain(s, &bad, NULL), GK_E_ARG);
  bad = e;
  bad.onset_km = -1;
  CHECK_EQ_INT(gk_store_add_pain(s, &bad, NULL), GK_E_ARG);
  bad = e;
  bad.onset_km = INFINITY;
  CHECK_EQ_INT(gk_store_add_pain(s, &bad, NULL), GK_E_ARG);
  bad = e;
  bad.activity_id = run + 100;
  CHECK_EQ_INT(gk_store_add_pain(s, &bad, NULL), GK_E_NOT_FOUND);
  CHECK_TRUE(strstr(gk_store_errmsg(s), "no run with id") != NULL);
  bad = e;
  memset(bad.note, 'x', sizeof bad.note); /* not terminated */
  CHECK_EQ_INT(gk_store_add_pain(s, &bad, NULL), GK_E_ARG);
  CHECK_EQ_INT(count(s, "pain"), 2);

  gk_pain_entry got[4];
  memset(got, 0, sizeof got);
  CHECK_EQ_INT(gk_store_each_pain(s, collect_pain, got), GK_OK);
  CHECK_EQ_INT(got[0].id, id2);
  CHECK_EQ_INT(got[0].day, 20090);
  CHECK_EQ_INT(got[0].during, 0);
  CHECK_EQ_INT(got[0].after, -1);
  CHECK_EQ_INT(got[0].morning, -1);
  CHECK_TRUE(isnan(got[0].onset_km));
  CHECK_EQ_INT(got[0].activity_id, 0);
  CHECK_STR(got[0].note, "");
  CHECK_EQ_INT(got[1].id, id1);
  CHECK_EQ_INT(got[1].during, 6);
  CHECK_EQ_INT(got[1].after, 4);
  CHECK_EQ_INT(got[1].morning, 2);
  CHECK_NEAR(got[1].onset_km, 3.2, 0);
  CHECK_EQ_INT(got[1].activity_id, run);
  CHECK_STR(got[1].note, e.note);
  CHECK_EQ_INT(got[2].id, 0);
  gk_store_close(s);
}

/* A real decoded FIT run survives the store bit for bit. */
static void test_fit_roundtrip(void) {
  FILE *f = fopen(GK_TEST_DATA "/fit/y_activity.fit", "rb");
  ASSERT_TRUE(f != NULL);
  static unsigned char buf[1 << 20];
  size_t len = fread(buf, 1, sizeof buf, f);
  fclose(f);
  gk_activity *a = NULL;
  ASSERT_EQ_INT(gk_fit_read_activity(buf, len, 0, &a, NULL), GK_OK);
  char path[300];
  path_in_tmp(path, sizeof path, "fit.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  int64_t id = 0;
  CHECK_EQ_INT(gk_store_add_activity(s, a, &id), GK_OK);
  gk_store_close(s);
  /* a new connection reads it back */
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_activity *back = NULL;
  CHECK_EQ_INT(gk_store_get_activity(s, id, &back), GK_OK);
  if (back) check_same_activity(back, a);
  gk_activity_free(back);
  gk_activity_free(a);
  gk_store_close(s);
}

/* One column through the codec: every value back bit for bit; returns the
   encoded size. */
static size_t codec_roundtrip(const double *v, size_t n) {
  unsigned char *buf = (unsigned char *)malloc(gk__series_encode_bound(n));
  double *k = (double *)malloc((n ? n : 1) * sizeof *k);
  double *back = (double *)malloc((n + 9) * sizeof *back);
  size_t len = 0;
  if (buf && k && back) {
    len = gk__series_encode(v, n, buf, k);
    if (len > 0) {
      CHECK_TRUE(len <= gk__series_encode_bound(n));
      CHECK_EQ_INT(gk__series_decode(buf, len, n, back), GK_OK);
      size_t bad = 0;
      for (size_t i = 0; i < n; i++)
        if (!(isnan(v[i]) ? isnan(back[i])
                          : memcmp(&v[i], &back[i], sizeof v[i]) == 0))
          bad++;
      CHECK_EQ_INT(bad, 0);
      /* every shorter prefix is refused, never read past */
      for (size_t cut = 0; cut < len; cut += 1 + len / 64)
        CHECK_TRUE(gk__series_decode(buf, cut, n, back) != GK_OK);
      /* and so is a wrong count (one short is only noticed when the last
         value is present: the count itself is stored beside the column) */
      if (n > 1 && !isnan(v[n - 1]))
        CHECK_TRUE(gk__series_decode(buf, len, n - 1, back) != GK_OK);
      CHECK_TRUE(gk__series_decode(buf, len, n + 9, back) != GK_OK);
    }
  }
  free(buf);
  free(k);
  free(back);
  return len;
}

static uint32_t xorshift(uint32_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

static void test_series_codec(void) {
  enum { N = 3000 };
  static double v[N];
  uint32_t x = 12345;
#define RND() xorshift(&x)
  /* seconds at 1 Hz: a byte a value */
  for (int i = 0; i < N; i++) v[i] = i;
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + N);
  /* FIT distance (cm / 100), altitude (raw / 5 - 500), speed (mm/s / 1000),
     cadence in steps/min (multiples of 1/64), latitude from semicircles */
  uint32_t cm = 0;
  for (int i = 0; i < N; i++) v[i] = (cm += 250 + RND() % 100) / 100.0;
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + 2 * N);
  for (int i = 0; i < N; i++) v[i] = (double)(2600 + RND() % 300) / 5.0 - 500.0;
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + 2 * N);
  for (int i = 0; i < N; i++) v[i] = (double)(2500 + RND() % 1000) / 1000.0;
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + 2 * N);
  for (int i = 0; i < N; i++) {
    uint32_t whole = 80 + RND() % 10, frac = RND() % 128;
    v[i] = 2.0 * (whole + frac / 128.0);
  }
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + 2 * N);
  int32_t semi = 574299000;
  for (int i = 0; i < N; i++)
    v[i] = (semi += (int32_t)(RND() % 400) - 200) * (180.0 / 2147483648.0);
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + 3 * N);
  /* GPX coordinates: decimal text read by strtod */
  for (int i = 0; i < N; i++) {
    char t[32];
    snprintf(t, sizeof t, "%.7f", 46.0 + (double)(RND() % 1000000) / 1e7);
    v[i] = strtod(t, NULL);
  }
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + 4 * N);
  /* gaps (NaN) keep their places */
  for (int i = 0; i < N; i++)
    v[i] = (i % 7 == 3 || i > N - 5) ? NAN : 60 + i % 90;
  CHECK_TRUE(codec_roundtrip(v, N) <= 18 + N / 8 + 1 + N);
  /* values that are not scaled integers: plain doubles, still exact */
  for (int i = 0; i < N; i++) v[i] = sin(i * 0.37) * 1e-3 + i;
  CHECK_EQ_INT(codec_roundtrip(v, N), 1 + 8 * N);
  /* awkward values anywhere in a column */
  static const double odd[] = {-0.0,   INFINITY,          -INFINITY,
                               1e300,  -1e-300,           4503599627370497.0,
                               5e-324, 9007199254740993.0};
  for (size_t j = 0; j < sizeof odd / sizeof odd[0]; j++) {
    for (int i = 0; i < 64; i++) v[i] = i;
    v[37] = odd[j];
    CHECK_TRUE(codec_roundtrip(v, 64) > 0);
  }
  /* nothing to store */
  for (int i = 0; i < 10; i++) v[i] = NAN;
  CHECK_EQ_INT(codec_roundtrip(v, 10), 0);
  CHECK_EQ_INT(codec_roundtrip(v, 0), 0);
  v[0] = 42.5;
  CHECK_TRUE(codec_roundtrip(v, 1) > 0);
  /* garbage is refused or decodes to something, never crashes */
  unsigned char junk[256];
  double out[64];
  for (int t = 0; t < 2000; t++) {
    size_t len = RND() % sizeof junk;
    for (size_t i = 0; i < len; i++) junk[i] = (unsigned char)RND();
    if (len) junk[0] = (unsigned char)(RND() % 3);
    (void)gk__series_decode(junk, len, RND() % 64, out);
  }
#undef RND
}

static void remove_tree(const char *dir) {
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* A schema-1 store (before captures and answers) is migrated forward and
   keeps what it held. */
static void test_migrate_from_v1(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "v1.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = 20100;
  e.during = 4;
  e.after = e.morning = -1;
  e.onset_km = NAN;
  CHECK_EQ_INT(gk_store_add_pain(s, &e, NULL), GK_OK);
  CHECK_EQ_INT(gk__store_downgrade_to_v1(s), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), 1);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "pain"), 1);
  CHECK_EQ_INT(count(s, "captures"), 0);
  CHECK_EQ_INT(count(s, "answers"), 0);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
}

static void test_migrate_from_v2(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "v2.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(gk_store_add_answers(s, "intake", 20000, "{}", NULL), GK_OK);
  CHECK_EQ_INT(gk__store_downgrade_to_v2(s), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), 2);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "answers"), 1);
  CHECK_EQ_INT(count(s, "clinician"), 0);
  gk_clinician_entry e;
  gk_clinician_entry_init(&e);
  e.day = 20001;
  snprintf(e.text, sizeof e.text, "after the upgrade");
  CHECK_EQ_INT(gk_store_add_clinician(s, &e, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "clinician"), 1);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
}

/* A schema-3 store (as gaitkeeper wrote it before the exercise log) is
   migrated forward: its entries kept, the exercise log added. */
static void test_migrate_from_v3(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "v3.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_clinician_entry c;
  gk_clinician_entry_init(&c);
  c.day = 20000;
  snprintf(c.text, sizeof c.text, "before the upgrade");
  CHECK_EQ_INT(gk_store_add_clinician(s, &c, NULL), GK_OK);
  CHECK_EQ_INT(gk__store_downgrade_to_v3(s), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), 3);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "clinician"), 1);
  CHECK_EQ_INT(count(s, "exercise_session"), 0);
  gk_exercise_session e;
  gk_exercise_session_init(&e);
  e.day = 20001;
  snprintf(e.exercise_id, sizeof e.exercise_id, "bridge");
  e.sets = 3;
  e.reps = 12;
  CHECK_EQ_INT(gk_store_add_session(s, &e, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "exercise_session"), 1);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
  CHECK_EQ_INT(GK_STORE_SCHEMA_VERSION, 5);
}

typedef struct sess_seen {
  int n;
  int64_t ids[8];
  gk_exercise_session first, last;
} sess_seen;

static int on_sess(void *user, const gk_exercise_session *e) {
  sess_seen *c = (sess_seen *)user;
  if (c->n < 8) c->ids[c->n] = e->id;
  if (c->n == 0) c->first = *e;
  c->n++;
  c->last = *e;
  return 0;
}

static void test_exercise_sessions(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "sessions.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_exercise_session e;
  gk_exercise_session_init(&e);
  snprintf(e.exercise_id, sizeof e.exercise_id, "wall_sit");
  e.day = 20010;
  e.sets = 1;
  e.reps = 5;
  e.hold_s = 30;
  e.pain = 3;
  e.load_kg = 2.5;
  snprintf(e.note, sizeof e.note, "left knee");
  int64_t id1 = 0, id2 = 0, id3 = 0;
  CHECK_EQ_INT(gk_store_add_session(s, &e, &id1), GK_OK);
  e.day = 20005; /* logged later for an earlier day: listed first */
  e.pain = -1;
  e.load_kg = NAN;
  e.reps = -1;
  e.note[0] = '\0';
  CHECK_EQ_INT(gk_store_add_session(s, &e, &id2), GK_OK);
  e.day = 20020;
  CHECK_EQ_INT(gk_store_add_session(s, &e, &id3), GK_OK);
  CHECK_TRUE(id1 > 0 && id2 > id1 && id3 > id2);
  sess_seen c;
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_session(s, 20010, on_sess, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  CHECK_EQ_INT(c.ids[0], id2);
  CHECK_EQ_INT(c.ids[1], id1);
  CHECK_EQ_INT(c.first.pain, -1);
  CHECK_EQ_INT(c.first.reps, -1);
  CHECK_TRUE(isnan(c.first.load_kg));
  CHECK_EQ_INT(c.last.pain, 3);
  CHECK_EQ_INT(c.last.hold_s, 30);
  CHECK_EQ_INT(c.last.step, 1);
  CHECK_NEAR(c.last.load_kg, 2.5, 1e-12);
  CHECK_STR(c.last.note, "left knee");
  CHECK_STR(c.last.exercise_id, "wall_sit");
  CHECK_TRUE(c.last.created_at > 0);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_session(s, INT64_MAX, on_sess, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  /* out of range: refused, nothing stored */
  e.pain = 11;
  CHECK_EQ_INT(gk_store_add_session(s, &e, NULL), GK_E_ARG);
  e.pain = -1;
  e.step = 0;
  CHECK_EQ_INT(gk_store_add_session(s, &e, NULL), GK_E_ARG);
  e.step = 1;
  e.exercise_id[0] = '\0';
  CHECK_EQ_INT(gk_store_add_session(s, &e, NULL), GK_E_ARG);
  CHECK_EQ_INT(count(s, "exercise_session"), 3);
  /* a failed write leaves nothing behind */
  snprintf(e.exercise_id, sizeof e.exercise_id, "bridge");
  gk__store_fail_after(s, 1);
  CHECK_TRUE(gk_store_add_session(s, &e, NULL) != GK_OK);
  CHECK_EQ_INT(count(s, "exercise_session"), 3);
  gk_store_close(s);
}

/* A schema-3 store is migrated forward and gains the cadence targets; a
   target is read back as of its day, the latest of a day last. */
static void test_cadence_targets(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "targets-v3.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_clinician_entry ce;
  gk_clinician_entry_init(&ce);
  ce.day = 20001;
  snprintf(ce.text, sizeof ce.text, "before the upgrade");
  CHECK_EQ_INT(gk_store_add_clinician(s, &ce, NULL), GK_OK);
  CHECK_EQ_INT(gk__store_downgrade_to_v3(s), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), 3);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "clinician"), 1);
  CHECK_EQ_INT(count(s, "cadence_target"), 0);
  gk_cadence_target t, got;
  memset(&t, 0, sizeof t);
  CHECK_EQ_INT(gk_store_latest_cadence_target(s, INT64_MAX, &got),
               GK_E_NOT_FOUND);
  t.day = 20010;
  t.baseline_spm = 160;
  t.target_spm = 168;
  t.speed_mps = NAN;
  snprintf(t.origin, sizeof t.origin, "runs");
  int64_t id1 = 0, id2 = 0;
  CHECK_EQ_INT(gk_store_add_cadence_target(s, &t, &id1), GK_OK);
  t.target_spm = 176;
  t.day = 20030;
  t.speed_mps = 3.1;
  CHECK_EQ_INT(gk_store_add_cadence_target(s, &t, &id2), GK_OK);
  CHECK_EQ_INT(gk_store_latest_cadence_target(s, 20029, &got), GK_OK);
  CHECK_EQ_INT(got.id, id1);
  CHECK_NEAR(got.target_spm, 168, 1e-9);
  CHECK_TRUE(isnan(got.speed_mps));
  CHECK_TRUE(strcmp(got.origin, "runs") == 0);
  CHECK_EQ_INT(gk_store_latest_cadence_target(s, 20030, &got), GK_OK);
  CHECK_EQ_INT(got.id, id2);
  CHECK_NEAR(got.speed_mps, 3.1, 1e-9);
  CHECK_EQ_INT(gk_store_latest_cadence_target(s, 20009, &got), GK_E_NOT_FOUND);
  /* out of range: refused, nothing stored */
  t.target_spm = 261;
  CHECK_EQ_INT(gk_store_add_cadence_target(s, &t, NULL), GK_E_ARG);
  t.target_spm = 59.9;
  CHECK_EQ_INT(gk_store_add_cadence_target(s, &t, NULL), GK_E_ARG);
  t.target_spm = 170;
  t.baseline_spm = NAN;
  CHECK_EQ_INT(gk_store_add_cadence_target(s, &t, NULL), GK_E_ARG);
  CHECK_EQ_INT(count(s, "cadence_target"), 2);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
}

typedef struct clin_seen {
  int n;
  int64_t ids[8];
  gk_clinician_entry last;
} clin_seen;

static int on_clin(void *user, const gk_clinician_entry *e) {
  clin_seen *c = (clin_seen *)user;
  if (c->n < 8) c->ids[c->n] = e->id;
  c->n++;
  c->last = *e;
  return 0;
}

static void test_clinician_entries(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "clin.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_clinician_entry e;
  gk_clinician_entry_init(&e);
  e.kind = GK_CLIN_STAGE;
  e.day = 20010;
  snprintf(e.target, sizeof e.target, "3");
  snprintf(e.reason, sizeof e.reason, "seen in clinic");
  snprintf(e.author, sizeof e.author, "A. Physio");
  int64_t id1 = 0, id2 = 0, id3 = 0;
  CHECK_EQ_INT(gk_store_add_clinician(s, &e, &id1), GK_OK);
  e.kind = GK_CLIN_FINDING;
  e.day = 20005; /* entered later, dated earlier */
  e.severity = GK_SEV_WARNING;
  snprintf(e.target, sizeof e.target, "tilt");
  snprintf(e.text, sizeof e.text, "lateral tilt");
  CHECK_EQ_INT(gk_store_add_clinician(s, &e, &id2), GK_OK);
  e.day = 20020;
  CHECK_EQ_INT(gk_store_add_clinician(s, &e, &id3), GK_OK);
  CHECK_TRUE(id1 > 0 && id2 > id1 && id3 > id2);
  /* a kind or severity out of range, an unterminated field: refused */
  gk_clinician_entry bad = e;
  bad.kind = (gk_clinician_kind)99;
  CHECK_EQ_INT(gk_store_add_clinician(s, &bad, NULL), GK_E_ARG);
  bad = e;
  bad.severity = GK_SEV_REFER;
  CHECK_EQ_INT(gk_store_add_clinician(s, &bad, NULL), GK_E_ARG);
  bad = e;
  memset(bad.author, 'x', sizeof bad.author);
  CHECK_EQ_INT(gk_store_add_clinician(s, &bad, NULL), GK_E_ARG);
  CHECK_EQ_INT(count(s, "clinician"), 3);
  /* oldest first by day; as of a day, later ones unseen */
  clin_seen c;
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_clinician(s, INT64_MAX, on_clin, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  CHECK_EQ_INT(c.ids[0], id2);
  CHECK_EQ_INT(c.ids[1], id1);
  CHECK_EQ_INT(c.ids[2], id3);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_clinician(s, 20010, on_clin, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  CHECK_EQ_INT(c.last.kind, GK_CLIN_STAGE);
  CHECK_STR(c.last.target, "3");
  CHECK_STR(c.last.reason, "seen in clinic");
  CHECK_STR(c.last.author, "A. Physio");
  CHECK_TRUE(c.last.created_at > 0);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_clinician(s, 20004, on_clin, &c), GK_OK);
  CHECK_EQ_INT(c.n, 0);
  gk_store_close(s);
}

static int count_rows(void *user, const gk_capture_row *row) {
  (void)row;
  (*(int *)user)++;
  return 0;
}

static void test_documents(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "docs.db");
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_capture_row row;
  CHECK_EQ_INT(gk_store_latest_capture(s, NULL, INT64_MAX, &row),
               GK_E_NOT_FOUND);
  int64_t id1 = 0, id2 = 0, id3 = 0;
  CHECK_EQ_INT(gk_store_add_capture(s, "3d", "3d", "/lab/run.c3d", 20000,
                                    "{\"kind\":\"3d\"}", &id1),
               GK_OK);
  CHECK_EQ_INT(gk_store_add_capture(s, "2d", "rear", NULL, INT64_MIN,
                                    "{\"kind\":\"2d\"}", &id2),
               GK_OK);
  CHECK_TRUE(id2 > id1 && id1 > 0);
  /* not JSON, or a wrong kind: refused, nothing stored */
  CHECK_EQ_INT(gk_store_add_capture(s, "2d", "rear", NULL, INT64_MIN,
                                    "{\"kind\":", &id3),
               GK_E_ARG);
  CHECK_EQ_INT(id3, 0);
  CHECK_EQ_INT(gk_store_add_capture(s, "4d", "", NULL, 1, "{}", NULL),
               GK_E_ARG);
  CHECK_EQ_INT(count(s, "captures"), 2);
  ASSERT_EQ_INT(gk_store_latest_capture(s, NULL, INT64_MAX, &row), GK_OK);
  CHECK_EQ_INT(row.id, id2);
  CHECK_STR(row.kind, "2d");
  CHECK_STR(row.view, "rear");
  CHECK_STR(row.source_path, "");
  CHECK_TRUE(row.day == INT64_MIN);
  CHECK_STR(row.analysis, "{\"kind\":\"2d\"}");
  free(row.analysis);
  ASSERT_EQ_INT(gk_store_latest_capture(s, "3d", INT64_MAX, &row), GK_OK);
  CHECK_EQ_INT(row.id, id1);
  CHECK_STR(row.source_path, "/lab/run.c3d");
  CHECK_EQ_INT(row.day, 20000);
  free(row.analysis);
  /* as of a day: the 2d capture has no day of its own and was stored today,
     so as of day 20000 (and 20001) the 3d one is the latest; the day before
     it, none; a later 3d capture of an earlier day does not hide it */
  ASSERT_EQ_INT(gk_store_latest_capture(s, NULL, 20000, &row), GK_OK);
  CHECK_EQ_INT(row.id, id1);
  free(row.analysis);
  CHECK_EQ_INT(gk_store_latest_capture(s, NULL, 19999, &row), GK_E_NOT_FOUND);
  CHECK_EQ_INT(gk_store_add_capture(s, "3d", "3d", "/lab/old.c3d", 19990,
                                    "{\"kind\":\"3d\"}", &id3),
               GK_OK);
  ASSERT_EQ_INT(gk_store_latest_capture(s, "3d", 20001, &row), GK_OK);
  CHECK_EQ_INT(row.id, id1);
  free(row.analysis);
  ASSERT_EQ_INT(gk_store_latest_capture(s, NULL, 19999, &row), GK_OK);
  CHECK_EQ_INT(row.id, id3);
  free(row.analysis);
  CHECK_EQ_INT(gk_store_latest_capture(s, NULL, 19989, &row), GK_E_NOT_FOUND);
  int n = 0;
  CHECK_EQ_INT(gk_store_each_capture(s, count_rows, &n), GK_OK);
  CHECK_EQ_INT(n, 3);

  char *json = NULL;
  int64_t day = 0, id = 0;
  CHECK_EQ_INT(gk_store_latest_answers(s, "intake", INT64_MAX, &json, &day, &id),
               GK_E_NOT_FOUND);
  CHECK_TRUE(json == NULL);
  CHECK_EQ_INT(gk_store_add_answers(s, "intake", 20010, "{\"age\":30}", &id1),
               GK_OK);
  CHECK_EQ_INT(gk_store_add_answers(s, "intake", 20005, "{\"age\":29}", NULL),
               GK_OK);
  CHECK_EQ_INT(gk_store_add_answers(s, "screen", 20011, "{}", NULL), GK_OK);
  CHECK_EQ_INT(gk_store_add_answers(s, "screen", 20011, "[", NULL), GK_E_ARG);
  CHECK_EQ_INT(gk_store_add_answers(s, "plan", 20011, "{}", NULL), GK_E_ARG);
  /* the latest by day, whatever the order they were entered in */
  ASSERT_EQ_INT(
      gk_store_latest_answers(s, "intake", INT64_MAX, &json, &day, &id), GK_OK);
  CHECK_STR(json, "{\"age\":30}");
  CHECK_EQ_INT(day, 20010);
  CHECK_EQ_INT(id, id1);
  free(json);
  /* as of a day: answers given later are not seen; the day itself counts */
  ASSERT_EQ_INT(gk_store_latest_answers(s, "intake", 20009, &json, &day, NULL),
                GK_OK);
  CHECK_STR(json, "{\"age\":29}");
  CHECK_EQ_INT(day, 20005);
  free(json);
  ASSERT_EQ_INT(gk_store_latest_answers(s, "intake", 20010, &json, &day, NULL),
                GK_OK);
  CHECK_EQ_INT(day, 20010);
  free(json);
  CHECK_EQ_INT(gk_store_latest_answers(s, "intake", 20004, &json, NULL, NULL),
               GK_E_NOT_FOUND);
  CHECK_TRUE(json == NULL);
  CHECK_EQ_INT(count(s, "answers"), 3);
  CHECK_EQ_INT(count(s, "captures"), 3);
  gk_store_close(s);
}

/* Does another process see a read (SHARED) lock on the database file?
   SQLite's unix locks: the shared range is 510 bytes from 0x40000002; a
   connection in WAL mode holds a read lock there while it is open.  Asked
   from a child (F_GETLK never reports the caller's own locks).  1 yes, 0
   no, -1 the check itself failed. */
static int other_process_sees_lock(const char *path) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) _exit(3);
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0x40000002;
    fl.l_len = 510;
    if (fcntl(fd, F_GETLK, &fl) != 0) _exit(3);
    _exit(fl.l_type == F_UNLCK ? 0 : 1);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  int code = WEXITSTATUS(status);
  return code == 3 ? -1 : code;
}

/* Opening a second connection (as the import's threads do) and closing it
   must leave the first one's locks in place: a descriptor of the file
   opened and closed beside SQLite drops every POSIX lock of the process,
   and another process could then checkpoint and remove the WAL under the
   first connection. */
static void test_open_keeps_locks(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "locks.db");
  gk_store *s = NULL, *s2 = NULL, *s3 = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "pain"), 0); /* a read: the lock is held */
  ASSERT_EQ_INT(other_process_sees_lock(path), 1);
  ASSERT_EQ_INT(gk_store_open_ex(&s2, path, GK_STORE_NO_CREATE, NULL, NULL, 0),
                GK_OK);
  CHECK_EQ_INT(other_process_sees_lock(path), 1);
  ASSERT_EQ_INT(gk_store_open(&s3, path, NULL), GK_OK);
  CHECK_EQ_INT(other_process_sees_lock(path), 1);
  gk_store *r = NULL;
  ASSERT_EQ_INT(gk_store_open_ex(&r, path, GK_STORE_READ_ONLY, NULL, NULL, 0),
                GK_OK);
  CHECK_EQ_INT(other_process_sees_lock(path), 1);
  gk_store_close(r);
  gk_store_close(s3);
  gk_store_close(s2);
  CHECK_EQ_INT(other_process_sees_lock(path), 1);
  gk_store_close(s);
  CHECK_EQ_INT(other_process_sees_lock(path), 0);
}

static gk_pain_entry pain_on(int64_t day, int during) {
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = day;
  e.during = during;
  e.after = e.morning = -1;
  e.onset_km = NAN;
  return e;
}

static int count_pain(void *user, const gk_pain_entry *e) {
  (void)e;
  (*(int *)user)++;
  return 0;
}

/* GK_STORE_READ_ONLY: reads work, writes are refused with a clear message,
   nothing is created, migrated or changed. */
/* gk_store_data_version: a reading handle sees every other connection's
   commit (this process's or a child process's); reading alone does not
   change it. */
static void test_data_version(void) {
  char path[300];
  path_in_tmp(path, sizeof path, "dv.db");
  gk_store *w = NULL, *r = NULL;
  int64_t v0 = 0, v1 = 0, v2 = 0, v3 = 0;
  CHECK_EQ_INT(gk_store_data_version(NULL, &v0), GK_E_ARG);
  ASSERT_EQ_INT(gk_store_open(&w, path, NULL), GK_OK);
  gk_pain_entry e = pain_on(20300, 2);
  ASSERT_EQ_INT(gk_store_add_pain(w, &e, NULL), GK_OK);
  ASSERT_EQ_INT(gk_store_open_ex(&r, path, GK_STORE_READ_ONLY, NULL, NULL, 0),
                GK_OK);
  ASSERT_EQ_INT(gk_store_data_version(r, &v0), GK_OK);
  ASSERT_EQ_INT(gk_store_data_version(r, &v1), GK_OK);
  CHECK_TRUE(v0 == v1); /* nothing committed in between */
  e = pain_on(20301, 3);
  ASSERT_EQ_INT(gk_store_add_pain(w, &e, NULL), GK_OK);
  ASSERT_EQ_INT(gk_store_data_version(r, &v2), GK_OK);
  CHECK_TRUE(v2 != v1); /* another connection of this process wrote */
  pid_t pid = fork();
  ASSERT_TRUE(pid >= 0);
  if (pid == 0) {
    gk_store *c = NULL;
    gk_pain_entry ce = pain_on(20302, 4);
    int ok = gk_store_open(&c, path, NULL) == GK_OK &&
             gk_store_add_pain(c, &ce, NULL) == GK_OK;
    gk_store_close(c);
    _exit(ok ? 0 : 1);
  }
  int wst = 0;
  ASSERT_TRUE(waitpid(pid, &wst, 0) == pid);
  CHECK_TRUE(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
  ASSERT_EQ_INT(gk_store_data_version(r, &v3), GK_OK);
  CHECK_TRUE(v3 != v2); /* another process wrote */
  gk_store_close(r);
  gk_store_close(w);
}

static void test_read_only(void) {
  char path[300], wal[310];
  path_in_tmp(path, sizeof path, "ro.db");
  snprintf(wal, sizeof wal, "%s-wal", path);
  gk_store *s = NULL;
  gk_err err;
  char msg[300];
  /* a missing file: not found, and nothing created */
  CHECK_EQ_INT(gk_store_open_ex(&s, path, GK_STORE_READ_ONLY, &err, msg,
                                sizeof msg),
               GK_E_NOT_FOUND);
  CHECK_TRUE(!exists(path));
  /* an empty file is no store either (and stays empty) */
  FILE *f = fopen(path, "wb");
  ASSERT_TRUE(f != NULL);
  fclose(f);
  CHECK_EQ_INT(gk_store_open_ex(&s, path, GK_STORE_READ_ONLY, &err, msg,
                                sizeof msg),
               GK_E_NOT_FOUND);
  CHECK_STR(msg, "no store at this path (an empty file)");
  struct stat sb;
  CHECK_TRUE(stat(path, &sb) == 0 && sb.st_size == 0);

  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  gk_pain_entry e = pain_on(20200, 5);
  CHECK_EQ_INT(gk_store_add_pain(s, &e, NULL), GK_OK);
  gk_store_close(s);
  CHECK_TRUE(!exists(wal)); /* the last connection checkpointed */
  ASSERT_TRUE(stat(path, &sb) == 0);
  struct timespec mtime = sb.st_mtim;
  off_t size = sb.st_size;

  gk_store *r = NULL;
  ASSERT_EQ_INT(gk_store_open_ex(&r, path, GK_STORE_READ_ONLY, &err, msg,
                                 sizeof msg),
                GK_OK);
  int n = 0;
  CHECK_EQ_INT(gk_store_each_pain(r, count_pain, &n), GK_OK);
  CHECK_EQ_INT(n, 1);
  gk_pain_entry e2 = pain_on(20201, 2);
  int64_t id = 0;
  CHECK_EQ_INT(gk_store_add_pain(r, &e2, &id), GK_E_ARG);
  CHECK_EQ_INT(id, 0);
  CHECK_STR(gk_store_errmsg(r),
            "the store was opened read-only: nothing can be written");
  CHECK_EQ_INT(gk_store_add_capture(r, "2d", "rear", NULL, 1, "{}", NULL),
               GK_E_ARG);
  CHECK_EQ_INT(gk_store_add_answers(r, "intake", 1, "{}", NULL), GK_E_ARG);
  gk_activity *a = make_activity(77, 1700000000, 5);
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(gk_store_add_activity(r, a, NULL), GK_E_ARG);
  gk_activity_free(a);
  gk_store_close(r);
  /* the file was not written (same size and time) */
  ASSERT_TRUE(stat(path, &sb) == 0);
  CHECK_EQ_INT(sb.st_size, size);
  CHECK_TRUE(sb.st_mtim.tv_sec == mtime.tv_sec &&
             sb.st_mtim.tv_nsec == mtime.tv_nsec);
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(count(s, "pain"), 1);

  /* an older schema is not migrated by a read-only open */
  CHECK_EQ_INT(gk__store_downgrade_to_v1(s), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(gk_store_open_ex(&r, path, GK_STORE_READ_ONLY, &err, msg,
                                sizeof msg),
               GK_E_UNSUPPORTED);
  char want[200];
  snprintf(want, sizeof want,
           "the store's schema (1) is older than this build's (%d): open it "
           "once writable to upgrade it",
           GK_STORE_SCHEMA_VERSION);
  CHECK_STR(msg, want);
  CHECK_EQ_INT(read_be32(path, 60), 1);
  /* a newer one is refused as for a writable open */
  ASSERT_EQ_INT(write_be32(path, 60, GK_STORE_SCHEMA_VERSION + 1), 0);
  CHECK_EQ_INT(gk_store_open_ex(&r, path, GK_STORE_READ_ONLY, &err, msg,
                                sizeof msg),
               GK_E_UNSUPPORTED);
  CHECK_TRUE(strstr(msg, "newer gaitkeeper") != NULL);
  CHECK_EQ_INT(gk_store_open_ex(&r, path, GK_STORE_READ_ONLY | 0x80u, &err,
                                msg, sizeof msg),
               GK_E_ARG);
}

/* gaitkeeper's application_id without its tables: said so at open, not as
   "no such table" at the first use. */
static void test_missing_tables(void) {
  static const char *const tables[] = {"laps",     "sessions", "samples",
                                       "pain",     "captures", "answers", "clinician",
                                       "exercise_session", "cadence_target", "runner",
                                       "activities"};
  char path[300];
  path_in_tmp(path, sizeof path, "damaged.db");
  gk_store *s = NULL;
  gk_err err;
  char msg[300];
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  CHECK_EQ_INT(gk__store_drop_table(s, "pain"), GK_OK);
  CHECK_EQ_INT(gk__store_drop_table(s, "sqlite_master"), GK_E_ARG);
  gk_store_close(s);
  for (unsigned flags = 0; flags <= GK_STORE_READ_ONLY; flags += 2) {
    CHECK_EQ_INT(gk_store_open_ex(&s, path, flags, &err, msg, sizeof msg),
                 GK_E_CORRUPT);
    CHECK_TRUE(s == NULL);
    CHECK_STR(err.msg, "the store is damaged");
    CHECK_STR(msg, "the store is damaged: missing table pain");
    gk_store_close(s); /* NULL unless the check above failed */
    s = NULL;
  }
  /* none of the tables at all */
  path_in_tmp(path, sizeof path, "empty-gk.db");
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);
  for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
    CHECK_EQ_INT(gk__store_drop_table(s, tables[i]), GK_OK);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 68), 0x474b5354);
  for (unsigned flags = 0; flags <= GK_STORE_READ_ONLY; flags += 2) {
    CHECK_EQ_INT(gk_store_open_ex(&s, path, flags, &err, msg, sizeof msg),
                 GK_E_CORRUPT);
    CHECK_STR(err.msg, "not a gaitkeeper store");
    CHECK_STR(msg,
              "not a gaitkeeper store (it has gaitkeeper's id but none of "
              "its tables)");
    gk_store_close(s);
    s = NULL;
  }
}

int main(void) {
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/gk-test-store-XXXXXX",
           t && t[0] ? t : "/tmp");
  if (mkdtemp(tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  RUN(test_default_path);
  RUN(test_create_permissions);
  RUN(test_migrations);
  RUN(test_migrate_from_v1);
  RUN(test_migrate_from_v2);
  RUN(test_migrate_from_v3);
  RUN(test_exercise_sessions);
  RUN(test_cadence_targets);
  RUN(test_clinician_entries);
  RUN(test_documents);
  RUN(test_newer_schema_refused);
  RUN(test_not_a_store_refused);
  RUN(test_activities);
  RUN(test_rollback);
  RUN(test_pain);
  RUN(test_fit_roundtrip);
  RUN(test_series_codec);
  RUN(test_open_keeps_locks);
  RUN(test_read_only);
  RUN(test_data_version);
  RUN(test_missing_tables);
  remove_tree(tmpdir);
  return TEST_SUMMARY();
}
