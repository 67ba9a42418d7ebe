/*
** test_runners.c -- several runners in one store (schema 5): names, the
** default runner, archive and search, every read and write scoped to one
** runner, the assessment of one unaffected by another's data, and stores of
** schemas 1 to 4 migrated forward with their rows owned by "Runner 1".
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/plan.h"
#include "gaitkeeper/store.h"
#include "store/store_hooks.h"
#include "test.h"

#define DAY 20000

static char tmpdir[256];

static void path_in_tmp(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", tmpdir, name);
}

static long read_be32(const char *path, long offset) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  unsigned char b[4];
  long v = -1;
  if (fseek(f, offset, SEEK_SET) == 0 && fread(b, 1, 4, f) == 4)
    v = ((long)b[0] << 24) | ((long)b[1] << 16) | ((long)b[2] << 8) | b[3];
  fclose(f);
  return v;
}

static int64_t count(gk_store *s, const char *table) {
  int64_t n = -1;
  CHECK_EQ_INT(gk__store_count(s, table, &n), GK_OK);
  return n;
}

static gk_store *open_new(const char *name) {
  char path[300];
  path_in_tmp(path, sizeof path, name);
  unlink(path);
  gk_store *s = NULL;
  if (!CHECK_EQ_INT(gk_store_open(&s, path, NULL), GK_OK)) return NULL;
  return s;
}

static gk_store *reopen(gk_store *s, unsigned flags) {
  char path[300];
  snprintf(path, sizeof path, "%s", gk_store_path(s));
  gk_store_close(s);
  s = NULL;
  char msg[256];
  if (!CHECK_EQ_INT(gk_store_open_ex(&s, path, flags, NULL, msg, sizeof msg),
                    GK_OK))
    fprintf(stderr, "  %s\n", msg);
  return s;
}

/* A run of minutes minutes at 3 m/s and cad steps/min on day. */
static gk_activity *make_run(uint64_t hash, int64_t day, int minutes,
                             double cad) {
  gk_activity *a = NULL;
  if (gk_activity_new(&a, NULL) != GK_OK) return NULL;
  snprintf(a->sport, sizeof a->sport, "running");
  memcpy(a->source.format, "fit", 4);
  a->source.content_hash = hash;
  a->start_time = day * 86400 + 7 * 3600;
  for (int i = 0; i <= minutes * 6; i++) {
    gk_sample s;
    gk_sample_clear(&s);
    s.time_s = 10.0 * i;
    s.distance_m = 30.0 * i;
    s.speed_mps = 3.0;
    s.cadence_spm = cad;
    s.hr_bpm = 140;
    gk_activity_add_sample(a, &s);
  }
  gk_activity_summarize(a, 0, a->series.n, 1, &a->summary);
  return a;
}

static int64_t add_run(gk_store *s, uint64_t hash, int64_t day, int minutes,
                       double cad) {
  gk_activity *a = make_run(hash, day, minutes, cad);
  int64_t id = 0;
  CHECK_TRUE(a != NULL);
  if (a) CHECK_EQ_INT(gk_store_add_activity(s, a, &id), GK_OK);
  gk_activity_free(a);
  return id;
}

static int64_t add_pain(gk_store *s, int64_t day, int during, int64_t run) {
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = day;
  e.during = during;
  e.after = e.morning = -1;
  e.onset_km = NAN;
  e.activity_id = run;
  int64_t id = 0;
  CHECK_EQ_INT(gk_store_add_pain(s, &e, &id), GK_OK);
  return id;
}

/* ---- names ---------------------------------------------------------------- */

static void test_names(void) {
  gk_store *s = open_new("names.db");
  ASSERT_TRUE(s != NULL);
  int64_t ann = 0, id = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "  Ann Lee \t", &ann), GK_OK);
  CHECK_TRUE(ann > 0);
  gk_runner_row r;
  CHECK_EQ_INT(gk_store_get_runner(s, ann, &r), GK_OK);
  CHECK_STR(r.name, "Ann Lee"); /* trimmed */
  CHECK_EQ_INT(r.archived, 0);
  CHECK_TRUE(r.created_at > 0);
  CHECK_EQ_INT(r.n_runs, 0);
  CHECK_TRUE(r.last_run_time == INT64_MIN);
  /* the same name in another case is taken */
  CHECK_EQ_INT(gk_store_add_runner(s, "ann lee", &id), GK_E_ARG);
  CHECK_EQ_INT(id, 0);
  char want[128];
  snprintf(want, sizeof want,
           "a runner named \"ann lee\" already exists (id %lld)",
           (long long)ann);
  CHECK_STR(gk_store_errmsg(s), want);
  static const struct {
    const char *name, *msg;
  } bad[] = {
      {"", "a runner's name cannot be empty"},
      {"   ", "a runner's name cannot be empty"},
      {"Ann\nLee", "a runner's name cannot hold control characters (byte 4)"},
      {"Ann\x7f", "a runner's name cannot hold control characters (byte 4)"},
      {"Ann\xc2\x85", "a runner's name must be UTF-8 text (byte 4 is not)"},
      {"Ann\xff", "a runner's name must be UTF-8 text (byte 4 is not)"},
      {"Ann\xc3", "a runner's name must be UTF-8 text (byte 4 is not)"},
      {"0042", "a runner's name cannot be digits only (that reads as an id)"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    CHECK_EQ_INT(gk_store_add_runner(s, bad[i].name, NULL), GK_E_ARG);
    CHECK_STR(gk_store_errmsg(s), bad[i].msg);
  }
  CHECK_EQ_INT(gk_store_add_runner(s, NULL, NULL), GK_E_ARG);
  /* 80 characters (of two bytes each) fit, 81 do not */
  char name[400] = "";
  for (int i = 0; i < 80; i++) strcat(name, "\xc3\xa9"); /* e acute */
  CHECK_EQ_INT(gk_store_add_runner(s, name, &id), GK_OK);
  CHECK_EQ_INT(gk_store_get_runner(s, id, &r), GK_OK);
  CHECK_STR(r.name, name);
  strcat(name, "x");
  CHECK_EQ_INT(gk_store_add_runner(s, name, NULL), GK_E_ARG);
  CHECK_STR(gk_store_errmsg(s), "a runner's name is at most 80 characters");
  /* digits with anything else are a name */
  int64_t r7 = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "Runner 7", &r7), GK_OK);
  /* rename: to a taken name refused, to its own name in another case fine */
  CHECK_EQ_INT(gk_store_rename_runner(s, r7, "ANN LEE"), GK_E_ARG);
  CHECK_EQ_INT(gk_store_rename_runner(s, ann, "ANN LEE"), GK_OK);
  CHECK_EQ_INT(gk_store_get_runner(s, ann, &r), GK_OK);
  CHECK_STR(r.name, "ANN LEE");
  CHECK_EQ_INT(gk_store_rename_runner(s, 999, "Zoe"), GK_E_NOT_FOUND);
  CHECK_STR(gk_store_errmsg(s), "no runner with id 999");
  CHECK_EQ_INT(gk_store_rename_runner(s, r7, "\t"), GK_E_ARG);
  CHECK_EQ_INT(gk_store_get_runner(s, r7, &r), GK_OK);
  CHECK_STR(r.name, "Runner 7");
  CHECK_EQ_INT(gk_store_archive_runner(s, 999, 1), GK_E_NOT_FOUND);
  CHECK_EQ_INT(gk_store_get_runner(s, 999, &r), GK_E_NOT_FOUND);
  /* find: digits are an id, anything else a name, case ignored */
  CHECK_EQ_INT(gk_store_find_runner(s, "ann lee", &id), GK_OK);
  CHECK_EQ_INT(id, ann);
  CHECK_EQ_INT(gk_store_find_runner(s, " runner 7 ", &id), GK_OK);
  CHECK_EQ_INT(id, r7);
  snprintf(want, sizeof want, "%lld", (long long)r7);
  CHECK_EQ_INT(gk_store_find_runner(s, want, &id), GK_OK);
  CHECK_EQ_INT(id, r7);
  CHECK_EQ_INT(gk_store_find_runner(s, "Bob", &id), GK_E_NOT_FOUND);
  CHECK_EQ_INT(id, 0);
  CHECK_STR(gk_store_errmsg(s), "no runner named \"Bob\"");
  CHECK_EQ_INT(gk_store_find_runner(s, "4711", &id), GK_E_NOT_FOUND);
  CHECK_STR(gk_store_errmsg(s), "no runner with id 4711");
  CHECK_EQ_INT(gk_store_find_runner(s, "99999999999999999999999", &id),
               GK_E_NOT_FOUND);
  CHECK_EQ_INT(gk_store_find_runner(s, "", &id), GK_E_NOT_FOUND);
  CHECK_EQ_INT(gk_store_use_runner(s, 4711), GK_E_NOT_FOUND);
  gk_store_close(s);
}

/* ---- the default runner --------------------------------------------------- */

static void test_default_runner(void) {
  /* a new store: the first per-runner use creates "Runner 1" */
  gk_store *s = open_new("default.db");
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(count(s, "runner"), 0);
  add_pain(s, DAY, 2, 0);
  CHECK_EQ_INT(count(s, "runner"), 1);
  int64_t first = 0, id = 0;
  CHECK_EQ_INT(gk_store_current_runner(s, &first), GK_OK);
  gk_runner_row r;
  CHECK_EQ_INT(gk_store_get_runner(s, first, &r), GK_OK);
  CHECK_STR(r.name, "Runner 1");
  CHECK_EQ_INT(r.n_pain, 1);
  CHECK_EQ_INT(r.last_pain_day, DAY);
  /* a second runner: a new handle must choose */
  int64_t bea = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "Bea", &bea), GK_OK);
  s = reopen(s, 0);
  ASSERT_TRUE(s != NULL);
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = DAY;
  e.during = 1;
  e.after = e.morning = -1;
  e.onset_km = NAN;
  CHECK_EQ_INT(gk_store_add_pain(s, &e, NULL), GK_E_ARG);
  CHECK_STR(gk_store_errmsg(s), "this store holds 2 runners; choose one");
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_E_ARG);
  CHECK_EQ_INT(id, 0);
  int64_t n = 0;
  CHECK_EQ_INT(gk_store_find_hash(s, 1, &n), GK_E_ARG);
  CHECK_EQ_INT(count(s, "pain"), 1);
  /* the same read-only */
  s = reopen(s, GK_STORE_READ_ONLY);
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_E_ARG);
  CHECK_EQ_INT(gk_store_use_runner(s, bea), GK_OK);
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_OK);
  CHECK_EQ_INT(id, bea);
  /* Bea archived: Runner 1 is the only active one again */
  s = reopen(s, 0);
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(gk_store_archive_runner(s, bea, 1), GK_OK);
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_OK);
  CHECK_EQ_INT(id, first);
  /* everyone archived: none is chosen by default, any can be chosen */
  CHECK_EQ_INT(gk_store_archive_runner(s, first, 1), GK_OK);
  s = reopen(s, 0);
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_E_ARG);
  CHECK_STR(gk_store_errmsg(s),
            "every runner of this store is archived; choose one");
  CHECK_EQ_INT(count(s, "runner"), 2); /* no new "Runner 1" */
  CHECK_EQ_INT(gk_store_use_runner(s, bea), GK_OK);
  add_pain(s, DAY + 1, 3, 0);
  CHECK_EQ_INT(gk_store_get_runner(s, bea, &r), GK_OK);
  CHECK_EQ_INT(r.n_pain, 1);
  CHECK_EQ_INT(r.archived, 1);
  gk_store_close(s);

  /* a clinic's new store: its first runner added by name, no "Runner 1" */
  s = open_new("clinic.db");
  ASSERT_TRUE(s != NULL);
  int64_t ann = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "Ann", &ann), GK_OK);
  add_pain(s, DAY, 4, 0);
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_OK);
  CHECK_EQ_INT(id, ann);
  CHECK_EQ_INT(count(s, "runner"), 1);
  gk_store_close(s);

  /* read-only, a store without runners: reads are empty, none is made */
  s = open_new("empty.db");
  ASSERT_TRUE(s != NULL);
  s = reopen(s, GK_STORE_READ_ONLY);
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_OK);
  CHECK_EQ_INT(id, 0);
  CHECK_EQ_INT(gk_store_find_hash(s, 1, &n), GK_OK);
  CHECK_EQ_INT(n, 0);
  CHECK_EQ_INT(count(s, "runner"), 0);
  gk_store_close(s);
}

/* ---- list, search, archive ------------------------------------------------ */

typedef struct seen_runners {
  int n;
  int64_t ids[8];
  gk_runner_row last;
} seen_runners;

static int on_runner(void *user, const gk_runner_row *r) {
  seen_runners *c = (seen_runners *)user;
  if (c->n < 8) c->ids[c->n] = r->id;
  c->n++;
  c->last = *r;
  return 0;
}

static int stop_runner(void *user, const gk_runner_row *r) {
  (void)user;
  (void)r;
  return 1;
}

static void test_list(void) {
  gk_store *s = open_new("list.db");
  ASSERT_TRUE(s != NULL);
  int64_t joanna = 0, anna = 0, bob = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "Joanna", &joanna), GK_OK);
  CHECK_EQ_INT(gk_store_add_runner(s, "anna", &anna), GK_OK);
  CHECK_EQ_INT(gk_store_add_runner(s, "Bob", &bob), GK_OK);
  CHECK_EQ_INT(gk_store_use_runner(s, anna), GK_OK);
  add_run(s, 11, DAY - 3, 20, 170);
  add_run(s, 12, DAY - 1, 25, 170);
  add_pain(s, DAY - 1, 2, 0);
  seen_runners c;
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, NULL, 0, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3); /* by name, case ignored: anna, Bob, Joanna */
  CHECK_EQ_INT(c.ids[0], anna);
  CHECK_EQ_INT(c.ids[1], bob);
  CHECK_EQ_INT(c.ids[2], joanna);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, "ANN", 0, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  CHECK_EQ_INT(c.ids[0], anna);
  CHECK_EQ_INT(c.ids[1], joanna);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, "anna", 0, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, "%", 0, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 0); /* no wildcards */
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, "", 0, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  /* counts and the last run */
  gk_runner_row r;
  CHECK_EQ_INT(gk_store_get_runner(s, anna, &r), GK_OK);
  CHECK_EQ_INT(r.n_runs, 2);
  CHECK_EQ_INT(r.last_run_time, (int64_t)(DAY - 1) * 86400 + 7 * 3600);
  CHECK_EQ_INT(r.n_pain, 1);
  CHECK_EQ_INT(r.last_pain_day, DAY - 1);
  CHECK_EQ_INT(gk_store_get_runner(s, bob, &r), GK_OK);
  CHECK_EQ_INT(r.n_runs, 0);
  CHECK_TRUE(r.last_pain_day == INT64_MIN);
  /* archived: hidden by default, listed on request, data kept */
  CHECK_EQ_INT(gk_store_archive_runner(s, anna, 1), GK_OK);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, "ann", 0, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 1);
  CHECK_EQ_INT(c.ids[0], joanna);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, "ann", 1, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  CHECK_EQ_INT(c.ids[0], anna);
  CHECK_EQ_INT(gk_store_find_runner(s, "ANNA", &r.id), GK_OK);
  CHECK_EQ_INT(r.id, anna);
  CHECK_EQ_INT(gk_store_get_runner(s, anna, &r), GK_OK);
  CHECK_EQ_INT(r.archived, 1);
  CHECK_EQ_INT(r.n_runs, 2);
  CHECK_EQ_INT(gk_store_archive_runner(s, anna, 0), GK_OK);
  CHECK_EQ_INT(gk_store_get_runner(s, anna, &r), GK_OK);
  CHECK_EQ_INT(r.archived, 0);
  CHECK_EQ_INT(gk_store_each_runner(s, NULL, 1, stop_runner, NULL),
               GK_E_STOPPED);
  CHECK_EQ_INT(gk_store_each_runner(s, NULL, 1, NULL, NULL), GK_E_ARG);
  /* read-only: listed, not written */
  s = reopen(s, GK_STORE_READ_ONLY);
  ASSERT_TRUE(s != NULL);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_runner(s, NULL, 1, on_runner, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  CHECK_EQ_INT(gk_store_add_runner(s, "Cleo", NULL), GK_E_ARG);
  CHECK_EQ_INT(gk_store_archive_runner(s, bob, 1), GK_E_ARG);
  gk_store_close(s);
}

/* ---- isolation ------------------------------------------------------------ */

/* What one runner was given (ids as stored). */
typedef struct filled {
  int64_t runs[2], pain[2], capture, intake, screen, clinician, session,
      target;
  int64_t shared_run; /* the file both runners hold */
} filled;

/* Give the handle's runner one of everything; k (1, 2) makes it differ. */
static void fill(gk_store *s, int k, filled *f) {
  memset(f, 0, sizeof *f);
  f->runs[0] = add_run(s, 100 * (uint64_t)k + 1, DAY - 10 - k, 20 + k, 165);
  f->runs[1] = add_run(s, 100 * (uint64_t)k + 2, DAY - 5 - k, 25 + k, 168);
  f->shared_run = add_run(s, 777, DAY - 2, 30, 170);
  f->pain[0] = add_pain(s, DAY - 5 - k, k, f->runs[1]);
  f->pain[1] = add_pain(s, DAY - 1, k + 2, 0);
  char json[64];
  snprintf(json, sizeof json, "{\"runner\": %d}", k);
  CHECK_EQ_INT(gk_store_add_capture(s, k == 1 ? "3d" : "2d", "side", NULL,
                                    DAY - 3, json, &f->capture),
               GK_OK);
  CHECK_EQ_INT(gk_store_add_answers(s, "intake", DAY - 20, json, &f->intake),
               GK_OK);
  CHECK_EQ_INT(gk_store_add_answers(s, "screen", DAY - 19, json, &f->screen),
               GK_OK);
  gk_clinician_entry c;
  gk_clinician_entry_init(&c);
  c.day = DAY - 4;
  snprintf(c.text, sizeof c.text, "note for runner %d", k);
  CHECK_EQ_INT(gk_store_add_clinician(s, &c, &f->clinician), GK_OK);
  gk_exercise_session e;
  gk_exercise_session_init(&e);
  e.day = DAY - 2;
  snprintf(e.exercise_id, sizeof e.exercise_id, "bridge");
  e.sets = 2 + k;
  CHECK_EQ_INT(gk_store_add_session(s, &e, &f->session), GK_OK);
  gk_cadence_target t;
  memset(&t, 0, sizeof t);
  t.day = DAY - 6;
  t.baseline_spm = 160 + k;
  t.target_spm = 168 + k;
  t.speed_mps = NAN;
  CHECK_EQ_INT(gk_store_add_cadence_target(s, &t, &f->target), GK_OK);
}

typedef struct ids {
  int n;
  int64_t v[8];
} ids;

static void put(ids *c, int64_t id) {
  if (c->n < 8) c->v[c->n] = id;
  c->n++;
}
static int on_run(void *u, const gk_run_row *r) {
  put((ids *)u, r->id);
  return 0;
}
static int on_pain(void *u, const gk_pain_entry *e) {
  put((ids *)u, e->id);
  return 0;
}
static int on_capture(void *u, const gk_capture_row *r) {
  put((ids *)u, r->id);
  return 0;
}
static int on_answers(void *u, int64_t id, int64_t day, const char *json) {
  (void)day;
  (void)json;
  put((ids *)u, id);
  return 0;
}
static int on_clinician(void *u, const gk_clinician_entry *e) {
  put((ids *)u, e->id);
  return 0;
}
static int on_session(void *u, const gk_exercise_session *e) {
  put((ids *)u, e->id);
  return 0;
}

/* Every read of the handle shows f and nothing of other. */
static void check_sees_only(gk_store *s, int k, const filled *f,
                            const filled *other) {
  ids c;
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_run(s, on_run, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  CHECK_EQ_INT(c.v[0], f->runs[0]);
  CHECK_EQ_INT(c.v[1], f->runs[1]);
  CHECK_EQ_INT(c.v[2], f->shared_run);
  int64_t id = -1;
  CHECK_EQ_INT(gk_store_find_hash(s, 100 * (uint64_t)k + 1, &id), GK_OK);
  CHECK_EQ_INT(id, f->runs[0]);
  CHECK_EQ_INT(gk_store_find_hash(s, 100 * (uint64_t)(3 - k) + 1, &id), GK_OK);
  CHECK_EQ_INT(id, 0);
  CHECK_EQ_INT(gk_store_find_hash(s, 777, &id), GK_OK);
  CHECK_EQ_INT(id, f->shared_run);
  gk_activity *a = NULL;
  CHECK_EQ_INT(gk_store_get_activity(s, f->runs[1], &a), GK_OK);
  if (a) CHECK_EQ_INT(a->source.content_hash, 100 * (uint64_t)k + 2);
  gk_activity_free(a);
  a = NULL;
  for (int i = 0; i < 2; i++) {
    CHECK_EQ_INT(gk_store_get_activity(s, other->runs[i], &a),
                 GK_E_NOT_FOUND);
    CHECK_TRUE(a == NULL);
  }
  CHECK_EQ_INT(gk_store_get_activity(s, other->shared_run, &a),
               GK_E_NOT_FOUND);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_pain(s, on_pain, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  CHECK_EQ_INT(c.v[0], f->pain[0]);
  CHECK_EQ_INT(c.v[1], f->pain[1]);
  gk_capture_row row;
  CHECK_EQ_INT(gk_store_latest_capture(s, NULL, INT64_MAX, &row), GK_OK);
  CHECK_EQ_INT(row.id, f->capture);
  free(row.analysis);
  CHECK_EQ_INT(gk_store_latest_capture(s, k == 1 ? "2d" : "3d", INT64_MAX,
                                       &row),
               GK_E_NOT_FOUND);
  free(row.analysis);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_capture(s, on_capture, &c), GK_OK);
  CHECK_EQ_INT(c.n, 1);
  CHECK_EQ_INT(c.v[0], f->capture);
  char *json = NULL;
  char want[64];
  snprintf(want, sizeof want, "{\"runner\": %d}", k);
  CHECK_EQ_INT(gk_store_latest_answers(s, "intake", INT64_MAX, &json, NULL,
                                       &id),
               GK_OK);
  CHECK_EQ_INT(id, f->intake);
  if (json) CHECK_STR(json, want);
  free(json);
  json = NULL;
  CHECK_EQ_INT(gk_store_latest_answers(s, "screen", INT64_MAX, &json, NULL,
                                       &id),
               GK_OK);
  CHECK_EQ_INT(id, f->screen);
  free(json);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_answers(s, "intake", INT64_MAX, on_answers, &c),
               GK_OK);
  CHECK_EQ_INT(c.n, 1);
  CHECK_EQ_INT(c.v[0], f->intake);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_answers(s, "screen", INT64_MAX, on_answers, &c),
               GK_OK);
  CHECK_EQ_INT(c.n, 1);
  CHECK_EQ_INT(c.v[0], f->screen);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_clinician(s, INT64_MAX, on_clinician, &c), GK_OK);
  CHECK_EQ_INT(c.n, 1);
  CHECK_EQ_INT(c.v[0], f->clinician);
  gk_cadence_target t;
  CHECK_EQ_INT(gk_store_latest_cadence_target(s, INT64_MAX, &t), GK_OK);
  CHECK_EQ_INT(t.id, f->target);
  CHECK_NEAR(t.baseline_spm, 160 + k, 1e-9);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_session(s, INT64_MAX, on_session, &c), GK_OK);
  CHECK_EQ_INT(c.n, 1);
  CHECK_EQ_INT(c.v[0], f->session);
  /* a pain entry cannot name the other runner's run */
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = DAY;
  e.during = 1;
  e.after = e.morning = -1;
  e.onset_km = NAN;
  e.activity_id = other->runs[0];
  CHECK_EQ_INT(gk_store_add_pain(s, &e, NULL), GK_E_NOT_FOUND);
  /* a file stored twice for one runner is refused */
  gk_activity *dup = make_run(100 * (uint64_t)k + 1, DAY, 5, 160);
  CHECK_EQ_INT(gk_store_add_activity(s, dup, NULL), GK_E_ARG);
  CHECK_STR(gk_store_errmsg(s),
            "a file with the same content is already stored");
  gk_activity_free(dup);
}

static void test_isolation(void) {
  gk_store *s = open_new("two.db");
  ASSERT_TRUE(s != NULL);
  int64_t a = 0, b = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "Ann", &a), GK_OK);
  CHECK_EQ_INT(gk_store_add_runner(s, "Ben", &b), GK_OK);
  filled fa, fb;
  CHECK_EQ_INT(gk_store_use_runner(s, a), GK_OK);
  fill(s, 1, &fa);
  CHECK_EQ_INT(gk_store_use_runner(s, b), GK_OK);
  fill(s, 2, &fb);
  CHECK_EQ_INT(count(s, "activities"), 6); /* the shared file twice */
  CHECK_EQ_INT(gk_store_use_runner(s, a), GK_OK);
  check_sees_only(s, 1, &fa, &fb);
  CHECK_EQ_INT(gk_store_use_runner(s, b), GK_OK);
  check_sees_only(s, 2, &fb, &fa);
  /* and on fresh handles, read-only and writable */
  s = reopen(s, GK_STORE_READ_ONLY);
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(gk_store_use_runner(s, a), GK_OK);
  ids c;
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_run(s, on_run, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  CHECK_EQ_INT(c.v[0], fa.runs[0]);
  gk_store_close(s);
}

/* gk_assess of one runner is the same with another runner's data beside it
   (the plan as JSON). */
static void plan_json(gk_store *s, gk_buf *b) {
  gk_assessment as;
  gk_err err;
  CHECK_EQ_INT(gk_assess(s, DAY, &as, &err), GK_OK);
  CHECK_TRUE(as.plan != NULL);
  if (as.plan != NULL) gk_plan_write_json(as.plan, b);
  gk_assessment_free(&as);
}

static void test_assess_unaffected(void) {
  gk_store *alone = open_new("alone.db");
  gk_store *both = open_new("both.db");
  ASSERT_TRUE(alone != NULL && both != NULL);
  int64_t a1 = 0, a2 = 0, b2 = 0;
  CHECK_EQ_INT(gk_store_add_runner(alone, "Ann", &a1), GK_OK);
  CHECK_EQ_INT(gk_store_add_runner(both, "Ann", &a2), GK_OK);
  CHECK_EQ_INT(gk_store_add_runner(both, "Ben", &b2), GK_OK);
  CHECK_EQ_INT(gk_store_use_runner(alone, a1), GK_OK);
  CHECK_EQ_INT(gk_store_use_runner(both, a2), GK_OK);
  filled fa, fa2, fb;
  fill(alone, 1, &fa);
  fill(both, 1, &fa2);
  /* Ben: much more running, more pain, a clinician's stage */
  CHECK_EQ_INT(gk_store_use_runner(both, b2), GK_OK);
  fill(both, 2, &fb);
  for (int d = 1; d <= 20; d++) {
    add_run(both, 5000 + (uint64_t)d, DAY - d, 60, 150);
    add_pain(both, DAY - d, 8, 0);
  }
  gk_clinician_entry c;
  gk_clinician_entry_init(&c);
  c.day = DAY - 1;
  c.kind = GK_CLIN_STAGE;
  snprintf(c.target, sizeof c.target, "1");
  snprintf(c.reason, sizeof c.reason, "flare");
  CHECK_EQ_INT(gk_store_add_clinician(both, &c, NULL), GK_OK);
  gk_buf ja = {0}, jb = {0}, jben = {0};
  plan_json(both, &jben);
  CHECK_EQ_INT(gk_store_use_runner(both, a2), GK_OK);
  plan_json(alone, &ja);
  plan_json(both, &jb);
  CHECK_TRUE(ja.len > 100);
  CHECK_EQ_INT(ja.len, jb.len);
  if (ja.len == jb.len && ja.data && jb.data)
    CHECK_TRUE(memcmp(ja.data, jb.data, ja.len) == 0);
  /* and Ben's plan is another (the comparison can fail) */
  CHECK_TRUE(jben.len != ja.len ||
             (jben.data && ja.data && memcmp(jben.data, ja.data, ja.len) != 0));
  gk_buf_free(&ja);
  gk_buf_free(&jb);
  gk_buf_free(&jben);
  gk_store_close(alone);
  gk_store_close(both);
}

/* ---- migration ------------------------------------------------------------ */

/* A store of an older schema (downgrade, one of everything for one
   runner) reopened: every row kept, owned by "Runner 1" (id 1). */
static void migrate_from(int version) {
  char name[32];
  snprintf(name, sizeof name, "from-v%d.db", version);
  gk_store *s = open_new(name);
  ASSERT_TRUE(s != NULL);
  int64_t r1 = 0;
  CHECK_EQ_INT(gk_store_current_runner(s, &r1), GK_OK); /* makes Runner 1 */
  filled f, none;
  memset(&none, 0, sizeof none);
  fill(s, 1, &f);
  gk_status st = version == 1   ? gk__store_downgrade_to_v1(s)
                 : version == 2 ? gk__store_downgrade_to_v2(s)
                 : version == 3 ? gk__store_downgrade_to_v3(s)
                                : gk__store_downgrade_to_v4(s);
  CHECK_EQ_INT(st, GK_OK);
  gk_store_close(s);
  char old[300];
  path_in_tmp(old, sizeof old, name);
  CHECK_EQ_INT(read_be32(old, 60), version);
  s = NULL;
  CHECK_EQ_INT(gk_store_open(&s, old, NULL), GK_OK);
  ASSERT_TRUE(s != NULL);
  char path[300];
  snprintf(path, sizeof path, "%s", gk_store_path(s));
  CHECK_EQ_INT(count(s, "runner"), 1);
  gk_runner_row r;
  CHECK_EQ_INT(gk_store_get_runner(s, 1, &r), GK_OK);
  CHECK_STR(r.name, "Runner 1");
  CHECK_EQ_INT(r.n_runs, 3);
  CHECK_EQ_INT(r.n_pain, 2);
  CHECK_EQ_INT(count(s, "laps") + count(s, "samples") > 0, 1);
  int64_t id = 0;
  CHECK_EQ_INT(gk_store_current_runner(s, &id), GK_OK);
  CHECK_EQ_INT(id, 1);
  ids c;
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_run(s, on_run, &c), GK_OK);
  CHECK_EQ_INT(c.n, 3);
  CHECK_EQ_INT(c.v[0], f.runs[0]);
  gk_activity *a = NULL;
  CHECK_EQ_INT(gk_store_get_activity(s, f.runs[0], &a), GK_OK);
  if (a) CHECK_EQ_INT(a->series.n, 21 * 6 + 1);
  gk_activity_free(a);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_pain(s, on_pain, &c), GK_OK);
  CHECK_EQ_INT(c.n, 2);
  /* the tables of later schemas come back empty; those it had, kept */
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_capture(s, on_capture, &c), GK_OK);
  CHECK_EQ_INT(c.n, version >= 2 ? 1 : 0);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_answers(s, "intake", INT64_MAX, on_answers, &c),
               GK_OK);
  CHECK_EQ_INT(c.n, version >= 2 ? 1 : 0);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_clinician(s, INT64_MAX, on_clinician, &c), GK_OK);
  CHECK_EQ_INT(c.n, version >= 3 ? 1 : 0);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_session(s, INT64_MAX, on_session, &c), GK_OK);
  CHECK_EQ_INT(c.n, version >= 4 ? 1 : 0);
  gk_cadence_target t;
  CHECK_EQ_INT(gk_store_latest_cadence_target(s, INT64_MAX, &t),
               version >= 4 ? GK_OK : GK_E_NOT_FOUND);
  /* a second runner after the upgrade sees none of it */
  int64_t bea = 0;
  CHECK_EQ_INT(gk_store_add_runner(s, "Bea", &bea), GK_OK);
  CHECK_EQ_INT(gk_store_use_runner(s, bea), GK_OK);
  memset(&c, 0, sizeof c);
  CHECK_EQ_INT(gk_store_each_run(s, on_run, &c), GK_OK);
  CHECK_EQ_INT(c.n, 0);
  CHECK_EQ_INT(gk_store_get_activity(s, f.runs[0], &a), GK_E_NOT_FOUND);
  /* the file Runner 1 holds can be Bea's too */
  CHECK_TRUE(add_run(s, 101, DAY, 10, 160) > 0);
  gk_store_close(s);
  CHECK_EQ_INT(read_be32(path, 60), GK_STORE_SCHEMA_VERSION);
}

static void test_migrate_v1(void) { migrate_from(1); }
static void test_migrate_v2(void) { migrate_from(2); }
static void test_migrate_v3(void) { migrate_from(3); }
static void test_migrate_v4(void) { migrate_from(4); }

/* An empty store of schema 4 gains no runner until one is used. */
static void test_migrate_empty_v4(void) {
  gk_store *s = open_new("empty-v4.db");
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(gk__store_downgrade_to_v4(s), GK_OK);
  s = reopen(s, 0);
  ASSERT_TRUE(s != NULL);
  CHECK_EQ_INT(count(s, "runner"), 0);
  gk_store_close(s);
}

int main(void) {
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/gk-test-runners-XXXXXX",
           t && t[0] ? t : "/tmp");
  if (mkdtemp(tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  RUN(test_names);
  RUN(test_default_runner);
  RUN(test_list);
  RUN(test_isolation);
  RUN(test_assess_unaffected);
  RUN(test_migrate_v1);
  RUN(test_migrate_v2);
  RUN(test_migrate_v3);
  RUN(test_migrate_v4);
  RUN(test_migrate_empty_v4);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
  return TEST_SUMMARY();
}
