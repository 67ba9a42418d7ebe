/*
** test_progression.c -- the exercise log's rules (gaitkeeper/
** exercise_log.h): checking a session, the steps of data/exercises.json
** (and that a malformed copy is refused naming the file and key), and each
** boundary of the progression: exactly at the target and one short, pain
** at the limit and one over, two sessions and one, a flare before, between
** and after the sessions, adherence over the window; then the plan and its
** JSON carry the step.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"
#include "core/data_internal.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/plan.h"
#include "test.h"

#define DAY 20000

static gk_exercise_session sess(const char *id, int64_t day, int step,
                                int sets, int reps, int hold, int pain) {
  gk_exercise_session s;
  gk_exercise_session_init(&s);
  snprintf(s.exercise_id, sizeof s.exercise_id, "%s", id);
  s.day = day;
  s.step = step;
  s.sets = sets;
  s.reps = reps;
  s.hold_s = hold;
  s.pain = pain;
  return s;
}

static gk_exercise_progress prog(const char *id, const gk_exercise_session *s,
                                 size_t n, const gk_finding *f, size_t nf) {
  gk_exercise_progress p;
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_status st = gk_exercise_progress_of(id, DAY, s, n, f, nf, &p, &err);
  if (st != GK_OK) fprintf(stderr, "progress: %s\n", err.msg ? err.msg : "?");
  CHECK_EQ_INT(st, GK_OK);
  return p;
}

static void test_check(void) {
  gk_err err;
  gk_exercise_session s = sess("bridge", DAY, 4, 3, 10, -1, 2);
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_OK);
  s.step = 5;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_STR(err.msg, "step: bridge has steps 1 to 4 (got 5)");
  s.step = 0;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  s.step = 1;
  s.pain = 11;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_TRUE(strncmp(err.msg, "pain:", 5) == 0);
  s.pain = 10;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_OK);
  s.sets = GK_EXERCISE_MAX_SETS + 1;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_TRUE(strncmp(err.msg, "sets:", 5) == 0);
  s.sets = 3;
  s.reps = GK_EXERCISE_MAX_REPS + 1;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_TRUE(strncmp(err.msg, "reps:", 5) == 0);
  s.reps = 10;
  s.hold_s = GK_EXERCISE_MAX_HOLD_S + 1;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_TRUE(strncmp(err.msg, "hold:", 5) == 0);
  s.hold_s = -1;
  s.load_kg = -0.5;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_TRUE(strncmp(err.msg, "load:", 5) == 0);
  s.load_kg = 20;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_OK);
  s.day = GK_DAY_MAX + 1;
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_ARG);
  CHECK_TRUE(strncmp(err.msg, "day:", 4) == 0);
  s.day = DAY;
  snprintf(s.exercise_id, sizeof s.exercise_id, "bridges");
  CHECK_EQ_INT(gk_exercise_session_check(&s, &err), GK_E_NOT_FOUND);
  CHECK_STR(err.msg,
            "exercise: 'bridges' is not an exercise of data/exercises.json");
  const char *close[3];
  CHECK_EQ_INT(gk_exercise_close_ids("bridges", close, 3), 3);
  CHECK_STR(close[0], "bridge");
  CHECK_EQ_INT(gk_exercise_close_ids("squat", close, 3), 3);
  CHECK_TRUE(strstr(close[0], "squat") != NULL);
  CHECK_TRUE(gk_exercise_session_check(NULL, &err) == GK_E_ARG);
}

static void test_steps_data(void) {
  gk_exercise_step st[GK_EXERCISE_MAX_STEPS];
  int pw = 0;
  CHECK_EQ_INT(gk_exercise_steps("bridge", st, &pw), 4);
  CHECK_EQ_INT(pw, 3);
  CHECK_STR(st[0].dose, "3 sets of 12-15, every other day.");
  CHECK_STR(st[2].name, "Single-leg bridge");
  CHECK_STR(st[3].load, "weight");
  CHECK_EQ_INT(st[1].hold_s, 5);
  CHECK_EQ_INT(gk_exercise_steps("clamshell", st, NULL), 4);
  CHECK_STR(st[3].name, "Banded side-steps");
  CHECK_EQ_INT(gk_exercise_steps("iso_quad_set", st, NULL), 3);
  CHECK_EQ_INT(gk_exercise_steps("nope", st, NULL), 0);

  /* Every exercise has steps, step 1 its dose. */
  cJSON *ex = gk__data_json("exercises.json");
  cJSON *run = gk__data_json("running.json");
  ASSERT_TRUE(ex != NULL && run != NULL);
  gk_err err;
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_OK);
  const cJSON *e;
  size_t n = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ex, "exercises")) {
    const char *id = cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring;
    int k = gk_exercise_steps(id, st, NULL);
    CHECK_TRUE(k >= 1 && k <= GK_EXERCISE_MAX_STEPS);
    if (k < 2 && strcmp(id, "foam_roll_thigh") != 0)
      fprintf(stderr, "%s: %d step\n", id, k);
    CHECK_TRUE(k >= 2 || strcmp(id, "foam_roll_thigh") == 0);
    CHECK_STR(st[0].dose,
              cJSON_GetObjectItemCaseSensitive(e, "dose")->valuestring);
    n++;
  }
  CHECK_TRUE(n >= 39);

  /* A malformed copy: GK_E_CORRUPT naming the file and the key. */
  cJSON *bridge = NULL;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ex, "exercises")) {
    if (strcmp(cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring,
               "bridge") == 0)
      bridge = (cJSON *)e;
  }
  ASSERT_TRUE(bridge != NULL);
  cJSON *steps = cJSON_GetObjectItemCaseSensitive(bridge, "steps");
  cJSON *s2 = cJSON_GetArrayItem(steps, 1);
  cJSON_ReplaceItemInObjectCaseSensitive(s2, "sets", cJSON_CreateNumber(0));
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_E_CORRUPT);
  CHECK_STR(err.msg, "data/exercises.json: exercise 'bridge': "
                     "\"steps[1].sets\" is missing or out of range");
  cJSON_ReplaceItemInObjectCaseSensitive(s2, "sets", cJSON_CreateNumber(3));
  cJSON_ReplaceItemInObjectCaseSensitive(s2, "step", cJSON_CreateNumber(3));
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_E_CORRUPT);
  CHECK_TRUE(strstr(err.msg, "steps[1].step") != NULL);
  cJSON_ReplaceItemInObjectCaseSensitive(s2, "step", cJSON_CreateNumber(2));
  cJSON_DeleteItemFromObjectCaseSensitive(bridge, "per_week");
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_E_CORRUPT);
  CHECK_TRUE(strstr(err.msg, "'bridge': \"per_week\"") != NULL);
  cJSON_AddNumberToObject(bridge, "per_week", 3);
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_OK);
  cJSON_DeleteItemFromObjectCaseSensitive(s2, "reps");
  cJSON_DeleteItemFromObjectCaseSensitive(s2, "hold_s");
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_E_CORRUPT);
  CHECK_TRUE(strstr(err.msg, "reps or hold_s") != NULL);
  cJSON_AddNumberToObject(s2, "reps", 12);
  cJSON *pr = cJSON_GetObjectItemCaseSensitive(ex, "progression");
  cJSON_ReplaceItemInObjectCaseSensitive(pr, "flare_min_severity",
                                         cJSON_CreateString("bad"));
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_E_CORRUPT);
  CHECK_STR(err.msg, "data/exercises.json: \"progression.flare_min_severity\" "
                     "is missing or out of range");
  cJSON_ReplaceItemInObjectCaseSensitive(pr, "flare_min_severity",
                                         cJSON_CreateString("caution"));
  cJSON_DeleteItemFromObjectCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(run, "pain_limits"), "during_max");
  CHECK_EQ_INT(gk__progression_validate(ex, run, &err), GK_E_CORRUPT);
  CHECK_TRUE(strstr(err.msg, "data/running.json") != NULL);
  cJSON_Delete(ex);
  cJSON_Delete(run);
}

/* bridge step 1: 3 x 12; the pain limit 5/10. */
static void test_rules(void) {
  gk_exercise_progress p = prog("bridge", NULL, 0, NULL, 0);
  CHECK_EQ_INT(p.step, 1);
  CHECK_EQ_INT(p.n_steps, 4);
  CHECK_EQ_INT(p.change, 0);
  CHECK_TRUE(isnan(p.adherence));
  CHECK_EQ_INT(p.sessions_14d, 0);
  CHECK_STR(p.step_dose, "3 sets of 12-15, every other day.");
  CHECK_TRUE(strstr(p.next, "Start at step 1") != NULL);

  /* exactly at the target, twice, pain at the limit: move up */
  gk_exercise_session s[4];
  s[0] = sess("bridge", DAY - 3, 1, 3, 12, -1, 5);
  s[1] = sess("bridge", DAY - 1, 1, 3, 12, -1, 0);
  p = prog("bridge", s, 2, NULL, 0);
  CHECK_EQ_INT(p.change, 1);
  CHECK_EQ_INT(p.step, 2);
  CHECK_EQ_INT(p.last_step, 1);
  CHECK_STR(p.step_name, "Bridge with a 5 s hold");
  CHECK_TRUE(strstr(p.next, "Move up to step 2") != NULL);
  /* any order */
  gk_exercise_session r[2] = {s[1], s[0]};
  CHECK_EQ_INT(prog("bridge", r, 2, NULL, 0).change, 1);
  /* one rep short in either: stay */
  s[0].reps = 11;
  p = prog("bridge", s, 2, NULL, 0);
  CHECK_EQ_INT(p.change, 0);
  CHECK_EQ_INT(p.step, 1);
  CHECK_TRUE(strstr(p.next, "1 more session reaching 3 x 12") != NULL);
  s[0].reps = 12;
  s[1].sets = 2;
  CHECK_EQ_INT(prog("bridge", s, 2, NULL, 0).change, 0);
  s[1].sets = 3;
  /* one session only: stay */
  p = prog("bridge", &s[1], 1, NULL, 0);
  CHECK_EQ_INT(p.change, 0);
  CHECK_TRUE(strstr(p.next, "1 more session") != NULL);
  /* pain 6 in the earlier one: not inside the limit, stay */
  s[0].pain = 6;
  CHECK_EQ_INT(prog("bridge", s, 2, NULL, 0).change, 0);
  s[0].pain = 5;
  /* no pain score: nothing reported, inside */
  s[0].pain = -1;
  CHECK_EQ_INT(prog("bridge", s, 2, NULL, 0).change, 1);
  s[0].pain = 5;
  /* pain 6 in the latest at step 1: stay at 1, ease off; at step 2: back */
  s[1].pain = 6;
  p = prog("bridge", s, 2, NULL, 0);
  CHECK_EQ_INT(p.change, 0);
  CHECK_EQ_INT(p.step, 1);
  CHECK_TRUE(strstr(p.next, "ease off") != NULL);
  s[2] = sess("bridge", DAY, 2, 3, 12, 5, 6);
  p = prog("bridge", s, 3, NULL, 0);
  CHECK_EQ_INT(p.change, -1);
  CHECK_EQ_INT(p.step, 1);
  CHECK_EQ_INT(p.last_step, 2);
  CHECK_TRUE(strstr(p.next, "Step back to step 1") != NULL);
  s[2].pain = 5;
  CHECK_EQ_INT(prog("bridge", s, 3, NULL, 0).change, 0);
  /* the earlier session at another step does not count toward step 2 */
  s[1].pain = 0;
  s[1].step = 1;
  p = prog("bridge", s, 3, NULL, 0);
  CHECK_EQ_INT(p.change, 0);
  CHECK_EQ_INT(p.step, 2);
  /* a hold: 5 s at step 2 */
  s[1] = sess("bridge", DAY - 1, 2, 3, 12, 5, 0);
  CHECK_EQ_INT(prog("bridge", s, 3, NULL, 0).change, 1);
  s[1].hold_s = 4;
  CHECK_EQ_INT(prog("bridge", s, 3, NULL, 0).change, 0);
  /* sessions after the day are not seen */
  s[0] = sess("bridge", DAY + 1, 1, 3, 12, -1, 9);
  CHECK_EQ_INT(prog("bridge", s, 1, NULL, 0).step, 1);
  CHECK_TRUE(isnan(prog("bridge", s, 1, NULL, 0).adherence));
  /* the top step reached: keep it */
  s[0] = sess("bridge", DAY - 2, 4, 3, 10, -1, 1);
  s[1] = sess("bridge", DAY - 1, 4, 3, 10, -1, 1);
  p = prog("bridge", s, 2, NULL, 0);
  CHECK_EQ_INT(p.change, 0);
  CHECK_EQ_INT(p.step, 4);
  CHECK_TRUE(strstr(p.next, "last step") != NULL);
  /* an exercise's own pain limit: hops stop over 2/10 */
  s[0] = sess("hop_progression", DAY - 2, 2, 1, 10, -1, 2);
  s[1] = sess("hop_progression", DAY - 1, 2, 1, 10, -1, 3);
  CHECK_EQ_INT(prog("hop_progression", s, 2, NULL, 0).change, -1);
  s[1].pain = 2;
  CHECK_EQ_INT(prog("hop_progression", s, 2, NULL, 0).change, 1);
}

static void test_flares(void) {
  gk_exercise_session s[2];
  s[0] = sess("wall_sit", DAY - 6, 2, 1, 5, 45, 2);
  s[1] = sess("wall_sit", DAY - 3, 2, 1, 5, 45, 2);
  gk_finding f;
  memset(&f, 0, sizeof f);
  f.code = "pain.over_limit";
  f.severity = GK_SEV_CAUTION;
  f.date_from = f.date_to = DAY - 10; /* before both: move up */
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, 1);
  f.date_to = DAY - 6; /* on the day of the first: stay */
  gk_exercise_progress q = prog("wall_sit", s, 2, &f, 1);
  CHECK_EQ_INT(q.change, 0);
  CHECK_TRUE(strstr(q.next, "Stay at step 2 (the pain flared on ") != NULL);
  CHECK_TRUE(strstr(q.next, "after 1 more session reaching") != NULL);
  f.date_to = DAY - 4; /* between: stay, one more after the flare */
  q = prog("wall_sit", s, 2, &f, 1);
  CHECK_EQ_INT(q.change, 0);
  CHECK_TRUE(strstr(q.next, "after 1 more session reaching 1 x 5 with 45 s") !=
             NULL);
  /* a third session after the flare makes two after it: move up */
  gk_exercise_session s3[3] = {s[0], s[1], sess("wall_sit", DAY - 2, 2, 1, 5,
                                                45, 2)};
  CHECK_EQ_INT(prog("wall_sit", s3, 3, &f, 1).change, 1);
  f.date_to = DAY - 3; /* on the latest's day or after: step back */
  gk_exercise_progress p = prog("wall_sit", s, 2, &f, 1);
  CHECK_EQ_INT(p.change, -1);
  CHECK_EQ_INT(p.step, 1);
  CHECK_TRUE(strstr(p.next, "flared") != NULL);
  f.severity = GK_SEV_INFO; /* not a flare */
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, 1);
  f.severity = GK_SEV_WARNING;
  f.code = "pain.rising";
  f.date_from = DAY - 13;
  f.date_to = DAY;
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, -1);
  f.code = "load.acwr"; /* another code */
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, 1);
  f.code = "pain.over_limit"; /* undated: counts as today */
  f.date_from = f.date_to = INT64_MIN;
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, -1);
  /* one rep short of 5 holds, or a hold 1 s short: stay */
  f.code = "load.acwr";
  s[1].reps = 4;
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, 0);
  s[1].reps = 5;
  s[1].hold_s = 44;
  CHECK_EQ_INT(prog("wall_sit", s, 2, &f, 1).change, 0);
}

/* bridge: 3 a week, so 6 in 14 days is full adherence. */
static void test_adherence(void) {
  gk_exercise_session s[10];
  for (int i = 0; i < 10; i++) s[i] = sess("bridge", DAY - i, 1, 1, 5, -1, 0);
  gk_exercise_progress p = prog("bridge", s, 3, NULL, 0);
  CHECK_EQ_INT(p.sessions_14d, 3);
  CHECK_NEAR(p.adherence, 0.5, 1e-12);
  p = prog("bridge", s, 10, NULL, 0);
  CHECK_EQ_INT(p.sessions_14d, 10);
  CHECK_NEAR(p.adherence, 1.0, 1e-12);
  s[0].day = DAY - 13; /* the window's first day */
  p = prog("bridge", s, 1, NULL, 0);
  CHECK_EQ_INT(p.sessions_14d, 1);
  CHECK_NEAR(p.adherence, 1.0 / 6.0, 1e-12);
  s[0].day = DAY - 14; /* just outside: 0, known */
  p = prog("bridge", s, 1, NULL, 0);
  CHECK_EQ_INT(p.sessions_14d, 0);
  CHECK_NEAR(p.adherence, 0.0, 1e-12);
  /* another exercise's sessions do not count */
  s[0] = sess("clamshell", DAY, 1, 3, 15, -1, 0);
  CHECK_TRUE(isnan(prog("bridge", s, 1, NULL, 0).adherence));
}

static void test_plan(void) {
  gk_plan_input in;
  gk_plan_input_init(&in);
  in.day = DAY;
  gk_exercise_session s[2];
  s[0] = sess("iso_quad_set", DAY - 2, 1, 3, 10, 5, 1);
  s[1] = sess("iso_quad_set", DAY - 1, 1, 3, 10, 5, 1);
  in.sessions = s;
  in.n_sessions = 2;
  gk_plan *p = NULL;
  gk_err err;
  ASSERT_EQ_INT(gk_plan_build(&in, &p, &err), GK_OK);
  const gk_plan_exercise *iso = NULL, *other = NULL;
  for (size_t i = 0; i < p->n_exercises; i++) {
    if (strcmp(p->exercises[i].id, "iso_quad_set") == 0)
      iso = &p->exercises[i];
    else if (other == NULL)
      other = &p->exercises[i];
  }
  ASSERT_TRUE(iso != NULL && other != NULL);
  CHECK_EQ_INT(iso->step, 2);
  CHECK_EQ_INT(iso->change, 1);
  CHECK_EQ_INT(iso->n_steps, 3);
  CHECK_EQ_INT(iso->sessions_14d, 2);
  CHECK_NEAR(iso->adherence, 2.0 / 14.0, 1e-12);
  CHECK_TRUE(iso->next != NULL && strstr(iso->next, "Move up") != NULL);
  CHECK_EQ_INT(other->step, 1);
  CHECK_TRUE(isnan(other->adherence));
  gk_buf b = {0};
  gk_plan_write_json(p, &b);
  gk_buf_putc(&b, '\0');
  cJSON *j = cJSON_Parse(b.data);
  ASSERT_TRUE(j != NULL);
  const cJSON *e;
  int seen = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(j, "exercises")) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    const cJSON *ad = cJSON_GetObjectItemCaseSensitive(e, "adherence");
    CHECK_TRUE(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(e, "step")));
    CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "next")));
    if (strcmp(id->valuestring, "iso_quad_set") == 0) {
      seen = 1;
      CHECK_EQ_INT(cJSON_GetObjectItemCaseSensitive(e, "step")->valueint, 2);
      CHECK_EQ_INT(cJSON_GetObjectItemCaseSensitive(e, "change")->valueint, 1);
      CHECK_EQ_INT(
          cJSON_GetObjectItemCaseSensitive(e, "sessions_14d")->valueint, 2);
      CHECK_TRUE(cJSON_IsNumber(ad));
      CHECK_STR(cJSON_GetObjectItemCaseSensitive(e, "step_name")->valuestring,
                "Quadriceps sets, 10 s holds");
    } else {
      CHECK_TRUE(cJSON_IsNull(ad));
    }
  }
  CHECK_TRUE(seen);
  cJSON_Delete(j);
  gk_buf_free(&b);
  gk_plan_free(p);
  /* a NULL array with a count */
  in.sessions = NULL;
  CHECK_EQ_INT(gk_plan_build(&in, &p, &err), GK_E_ARG);
}

/* gk_record_session checks before it stores; gk_assess reads the log as of
   the day into the plan. */
static void test_record_and_assess(void) {
  const char *t = getenv("TMPDIR");
  char dir[256], path[300];
  snprintf(dir, sizeof dir, "%s/gk-test-prog-XXXXXX", t && t[0] ? t : "/tmp");
  ASSERT_TRUE(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/s.db", dir);
  gk_store *st = NULL;
  ASSERT_EQ_INT(gk_store_open(&st, path, NULL), GK_OK);
  gk_err err;
  int64_t id = 0;
  gk_exercise_session s = sess("iso_quad_sets", DAY - 2, 1, 3, 10, 5, 1);
  CHECK_EQ_INT(gk_record_session(st, &s, &id, &err), GK_E_NOT_FOUND);
  CHECK_EQ_INT(id, 0);
  s = sess("iso_quad_set", DAY - 2, 4, 3, 10, 5, 1);
  CHECK_EQ_INT(gk_record_session(st, &s, &id, &err), GK_E_ARG);
  CHECK_STR(err.msg, "step: iso_quad_set has steps 1 to 3 (got 4)");
  s.step = 1;
  CHECK_EQ_INT(gk_record_session(st, &s, &id, &err), GK_OK);
  CHECK_TRUE(id > 0);
  s.day = DAY - 1;
  CHECK_EQ_INT(gk_record_session(st, &s, NULL, &err), GK_OK);
  s.day = DAY + 5; /* after the day: not seen */
  s.pain = 9;
  CHECK_EQ_INT(gk_record_session(st, &s, NULL, &err), GK_OK);
  CHECK_EQ_INT(gk_record_session(NULL, &s, NULL, &err), GK_E_ARG);
  gk_assessment a;
  ASSERT_EQ_INT(gk_assess(st, DAY, &a, &err), GK_OK);
  CHECK_EQ_INT(a.n_sessions, 2);
  ASSERT_TRUE(a.plan != NULL);
  int seen = 0;
  for (size_t i = 0; i < a.plan->n_exercises; i++) {
    const gk_plan_exercise *e = &a.plan->exercises[i];
    if (strcmp(e->id, "iso_quad_set") != 0) continue;
    seen = 1;
    CHECK_EQ_INT(e->step, 2);
    CHECK_EQ_INT(e->change, 1);
  }
  CHECK_TRUE(seen);
  gk_assessment_free(&a);
  ASSERT_EQ_INT(gk_assess(st, DAY + 5, &a, &err), GK_OK);
  CHECK_EQ_INT(a.n_sessions, 3);
  for (size_t i = 0; a.plan && i < a.plan->n_exercises; i++)
    if (strcmp(a.plan->exercises[i].id, "iso_quad_set") == 0)
      CHECK_EQ_INT(a.plan->exercises[i].change, 0); /* pain 9 at step 1 */
  gk_assessment_free(&a);
  gk_store_close(st);
  unlink(path);
  rmdir(dir);
}

/* The one reader of a typed session (done's options, the web's form). */
static void test_read_typed(void) {
  gk_exercise_session s;
  gk_exercise_field_errors e;
  gk_exercise_fields in = {"iso_quad_set", "", "", "", "", "", "", "", ""};
  /* nothing given but the id: this week's step (2) and its dose */
  ASSERT_EQ_INT(gk_exercise_session_read(&in, 20000, 2, &s, &e), GK_OK);
  CHECK_EQ_INT(s.step, 2);
  CHECK_EQ_INT(s.sets, 3);
  CHECK_EQ_INT(s.reps, 10);
  CHECK_EQ_INT(s.hold_s, 10);
  CHECK_TRUE(s.day == 20000);
  CHECK_TRUE(isnan(s.load_kg));
  CHECK_EQ_INT(s.pain, -1);
  /* given values win; the step's dose for the rest */
  gk_exercise_fields in2 = {"iso_quad_set", "2026-12-01", "3", "2", NULL,
                            NULL, "2.5", "4", "ok"};
  ASSERT_EQ_INT(gk_exercise_session_read(&in2, 20000, 1, &s, &e), GK_OK);
  CHECK_EQ_INT(s.step, 3);
  CHECK_EQ_INT(s.sets, 2);
  CHECK_EQ_INT(s.reps, 5);
  CHECK_EQ_INT(s.hold_s, 30);
  CHECK_NEAR(s.load_kg, 2.5, 0);
  CHECK_EQ_INT(s.pain, 4);
  CHECK_STR(s.note, "ok");
  /* every bad field named at once */
  gk_exercise_fields bad = {"iso_quad_set", "2026-02-30", "x", "-1", "+3",
                            "3601", "-2", "11", NULL};
  CHECK_EQ_INT(gk_exercise_session_read(&bad, 20000, 1, &s, &e), GK_E_ARG);
  CHECK_STR(e.date, "a date YYYY-MM-DD (a real day)");
  CHECK_TRUE(e.step[0] && e.sets[0] && e.reps[0] && e.hold[0]);
  CHECK_STR(e.pain, "a whole number from 0 to 10");
  CHECK_TRUE(strncmp(e.load, "kilograms from 0 to", 19) == 0);
  /* a step beyond the exercise's: the library's check, put by the step */
  gk_exercise_fields far = {"iso_quad_set", NULL, "4", NULL, NULL,
                            NULL, NULL, NULL, NULL};
  CHECK_EQ_INT(gk_exercise_session_read(&far, 20000, 1, &s, &e), GK_E_ARG);
  CHECK_TRUE(strstr(e.step, "steps 1 to 3") != NULL);
  /* an unknown exercise and none */
  gk_exercise_fields unk = {"iso_quad", NULL, NULL, NULL, NULL,
                            NULL, NULL, NULL, NULL};
  CHECK_EQ_INT(gk_exercise_session_read(&unk, 20000, 1, &s, &e),
               GK_E_NOT_FOUND);
  CHECK_TRUE(e.exercise[0] != '\0');
  gk_exercise_fields none = {NULL, NULL, NULL, NULL, NULL,
                             NULL, NULL, NULL, NULL};
  CHECK_EQ_INT(gk_exercise_session_read(&none, 20000, 1, &s, &e), GK_E_ARG);
  CHECK_TRUE(e.exercise[0] != '\0');
}

int main(void) {
  RUN(test_check);
  RUN(test_steps_data);
  RUN(test_rules);
  RUN(test_flares);
  RUN(test_adherence);
  RUN(test_plan);
  RUN(test_record_and_assess);
  RUN(test_read_typed);
  return TEST_SUMMARY();
}
