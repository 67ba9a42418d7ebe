/*
** test_course.c -- a scripted 12-week course, written into a store with the
** project's own writers (gk_store_add_answers, gk_store_add_activity,
** gk_store_add_pain, gk_record_session, gk_assess_keep), then read back as
** the runner and the clinician see it: the plan on each visit
** (gk_assess) and the course over weeks (gk_course_build).
**
** The story: a first visit in stage 1 (pain 6/10 running, 3/10 in daily
** life); pain settles; the intake of week 2 passes stage 1; the mobility
** gate is met in week 3 (running starts: capped, cadence 160 is low for
** 3.2 m/s, target 168); the screen of week 6 passes stability; a flare in
** week 7 (7/10 during a run, the next morning worse) steps the plan back to
** stage 1; it settles and the plan returns to stage 4 two weeks later;
** cadence is held at 168 from week 7 and by week 10 the target moves to
** 176.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/course.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"
#include "gaitkeeper/store.h"
#include "test.h"

static char tmpdir[256];
static int64_t D0; /* Monday of week 0 */

#define W(w, d) (D0 + 7 * (w) + (d))

static const char *NO_FLAGS =
    "\"trauma\": false, \"swelling_within_2h\": false, \"locking\": false, "
    "\"giving_way\": false, \"night_pain\": false, \"rest_pain\": false, "
    "\"fever_or_unwell\": false, \"hot_red_swollen\": false, "
    "\"can_bear_weight\": true, \"can_flex_90\": true, "
    "\"bony_tenderness\": false, \"pain_on_hop\": false, "
    "\"hip_or_groin_pain\": false, \"constant_pain\": false, "
    "\"unexplained_weight_loss\": false, \"kneecap_dislocation\": false";

static void intake(gk_store *s, int64_t day, int pain_run, int pain_daily,
                   const char *akps) {
  char json[2048];
  snprintf(json, sizeof json,
           "{\"age\": 34, \"sex\": \"female\", \"onset\": \"gradual\", %s, "
           "\"morning_stiffness_min\": 5, \"pain_now\": 1, \"pain_run\": %d, "
           "\"pain_daily\": %d, \"last_run_settled\": %s, "
           "\"walk_30min_pain\": false, \"akps\": %s}",
           NO_FLAGS, pain_run, pain_daily, pain_run > 5 ? "false" : "true",
           akps);
  ASSERT_EQ_INT(gk_store_add_answers(s, "intake", day, json, NULL), GK_OK);
}

static void screen(gk_store *s, int64_t day, const char *json) {
  ASSERT_EQ_INT(gk_store_add_answers(s, "screen", day, json, NULL), GK_OK);
}

/* A 30-minute run at 3.2 m/s, one sample every 5 s, its cadence around
   `cad` (alternating +/- 1), `share` of its minutes at cad, the others 4
   below (outside the +/- 3 band of a target at cad). */
static void run(gk_store *s, int64_t day, double cad, double share) {
  gk_activity *a = NULL;
  ASSERT_EQ_INT(gk_activity_new(&a, NULL), GK_OK);
  snprintf(a->sport, sizeof a->sport, "running");
  a->start_time = day * 86400 + 7 * 3600;
  a->source.content_hash = 0x9e3779b97f4a7c15ull ^ (uint64_t)day;
  snprintf(a->source.format, sizeof a->source.format, "fit");
  double sum = 0;
  size_t n = 0;
  for (int m = 0; m < 30; m++) {
    double c = (double)m < share * 30.0 ? cad : cad - 4;
    for (int k = 0; k < 12; k++) {
      gk_sample x;
      gk_sample_clear(&x);
      x.time_s = m * 60 + k * 5;
      x.speed_mps = 3.2;
      x.distance_m = 3.2 * x.time_s;
      x.cadence_spm = c + (k % 2 ? 1 : -1);
      sum += x.cadence_spm;
      n++;
      ASSERT_EQ_INT(gk_activity_add_sample(a, &x), GK_OK);
    }
  }
  a->summary.distance_m = 3.2 * 1800;
  a->summary.timer_s = a->summary.elapsed_s = 1800;
  a->summary.avg_speed_mps = 3.2;
  a->summary.avg_cadence_spm = sum / (double)n;
  ASSERT_EQ_INT(gk_store_add_activity(s, a, NULL), GK_OK);
  gk_activity_free(a);
}

static void pain(gk_store *s, int64_t day, int during, int after,
                 int morning) {
  gk_pain_entry e;
  memset(&e, 0, sizeof e);
  e.day = day;
  e.during = during;
  e.after = after;
  e.morning = morning;
  e.onset_km = NAN;
  ASSERT_EQ_INT(gk_store_add_pain(s, &e, NULL), GK_OK);
}

static void session(gk_store *s, int64_t day, const char *id, int step,
                    int sets, int reps, int hold, int pain_score) {
  gk_exercise_session x;
  gk_exercise_session_init(&x);
  x.day = day;
  snprintf(x.exercise_id, sizeof x.exercise_id, "%s", id);
  x.step = step;
  x.sets = sets;
  x.reps = reps;
  x.hold_s = hold;
  x.pain = pain_score;
  gk_err e;
  gk_status st = gk_record_session(s, &x, NULL, &e);
  if (st != GK_OK) fprintf(stderr, "session: %s\n", e.msg ? e.msg : "?");
  ASSERT_EQ_INT(st, GK_OK);
}

/* The plan as the runner sees it on a day; keeps what it prescribes. */
static gk_assessment *visit(gk_store *s, int64_t day) {
  static gk_assessment a;
  gk_assessment_free(&a);
  gk_err e;
  if (gk_assess(s, day, &a, &e) != GK_OK || a.plan == NULL) {
    fprintf(stderr, "assess: %s %s\n", e.msg ? e.msg : "?", a.plan_error);
    return NULL;
  }
  int rec = 0;
  if (gk_assess_keep(s, &a, &rec, &e) != GK_OK) return NULL;
  return &a;
}

static const gk_plan_gate *gate(const gk_plan *p, const char *name) {
  for (size_t i = 0; i < p->n_gates; i++)
    if (strcmp(p->gates[i].name, name) == 0) return &p->gates[i];
  return NULL;
}

static const gk_plan_exercise *exercise(const gk_plan *p, const char *id) {
  for (size_t i = 0; i < p->n_exercises; i++)
    if (strcmp(p->exercises[i].id, id) == 0) return &p->exercises[i];
  return NULL;
}

static const gk_plan_retest *retest(const gk_plan *p, const char *test) {
  for (size_t i = 0; i < p->n_retests; i++)
    if (strcmp(p->retests[i].test, test) == 0) return &p->retests[i];
  return NULL;
}

static const char *AKPS_W0 = "[1,1,1,2,1,2,1,1,1,1,1,1,1]";  /* 67 */
static const char *AKPS_W2 = "[1,1,1,1,1,1,1,1,1,1,1,1,1]";  /* 72 */
static const char *AKPS_W6 = "[0,0,0,1,0,1,0,1,1,0,1,0,0]";  /* 88 */
static const char *AKPS_W10 = "[0,0,0,0,0,0,0,0,0,0,0,0,0]"; /* 100 */

static const char *SCREEN_W0 =
    "{\"knee_to_wall_cm\": {\"left\": 7, \"right\": 8},"
    " \"deep_squat\": {\"full_depth\": false, \"pain\": true},"
    " \"lunge\": {\"pain\": true}, \"walk_30min_pain\": false}";
static const char *SCREEN_W3 =
    "{\"knee_to_wall_cm\": {\"left\": 11, \"right\": 11.5},"
    " \"deep_squat\": {\"full_depth\": true, \"pain\": false},"
    " \"lunge\": {\"pain\": false}, \"walk_30min_pain\": false,"
    " \"single_leg_squat\": {\"left\": {\"knee_valgus\": true, "
    "\"pelvic_drop\": true, \"trunk_lean\": false, \"pain\": false},"
    " \"right\": {\"knee_valgus\": false, \"pelvic_drop\": false, "
    "\"trunk_lean\": false, \"pain\": false}},"
    " \"single_leg_bridge_reps\": {\"left\": 14, \"right\": 20},"
    " \"calf_raise_reps\": {\"left\": 18, \"right\": 22}}";
static const char *SCREEN_W6 =
    "{\"knee_to_wall_cm\": {\"left\": 12, \"right\": 12},"
    " \"deep_squat\": {\"full_depth\": true, \"pain\": false},"
    " \"lunge\": {\"pain\": false}, \"walk_30min_pain\": false,"
    " \"single_leg_squat\": {\"left\": {\"knee_valgus\": false, "
    "\"pelvic_drop\": false, \"trunk_lean\": false, \"pain\": false},"
    " \"right\": {\"knee_valgus\": false, \"pelvic_drop\": false, "
    "\"trunk_lean\": false, \"pain\": false}},"
    " \"single_leg_bridge_reps\": {\"left\": 26, \"right\": 27},"
    " \"calf_raise_reps\": {\"left\": 26, \"right\": 27},"
    " \"hop_pain\": {\"left\": false, \"right\": false}}";

static const gk_course_change *change_on(const gk_course *c, int64_t day) {
  for (size_t i = 0; i < c->n_changes; i++)
    if (c->changes[i].day == day) return &c->changes[i];
  return NULL;
}

static void test_twelve_weeks(void) {
  char path[400];
  snprintf(path, sizeof path, "%s/course.db", tmpdir);
  gk_store *s = NULL;
  ASSERT_EQ_INT(gk_store_open(&s, path, NULL), GK_OK);

  /* Four weeks of running before the first visit, at 160 steps/min (low
     for 3.2 m/s: typical about 172), three runs a week. */
  for (int w = -4; w < 0; w++)
    for (int d = 0; d <= 4; d += 2) run(s, W(w, d), 160, 1.0);
  pain(s, W(-1, 4), 6, 5, 4);

  /* ---- week 0: the first visit ---------------------------------------- */
  intake(s, W(0, 0), 6, 3, AKPS_W0);
  screen(s, W(0, 0), SCREEN_W0);
  pain(s, W(0, 0), 6, 5, 4);
  gk_assessment *a = visit(s, W(0, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->stage, 1);
  CHECK_EQ_INT(gate(a->plan, "pain_during_running")->met, 0);
  CHECK_EQ_INT(a->plan->running.mode, GK_RUN_PAUSE_THEN_WALK_RUN);
  CHECK_TRUE(isnan(a->plan->cadence.target_spm)); /* no running: no target */

  /* weeks 0-2: the runner walks and does the exercises; pain settles */
  for (int w = 0; w < 3; w++)
    for (int d = 1; d <= 5; d += 2) {
      int day_pain = w == 0 ? 4 : 2;
      pain(s, W(w, d), -1, day_pain, w == 0 ? 3 : 1);
      session(s, W(w, d), "iso_quad_set", 1, 3, 10, 10, 1);
    }
  /* A rest going on is said while it happens: day 5 and more. */
  a = visit(s, W(0, 5));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->running.days_without_running, 8);
  CHECK_TRUE(a->plan->running.rest_alert != NULL &&
             strstr(a->plan->running.rest_alert, "Day 8 without running"));

  /* ---- week 2: stage 1 passed ------------------------------------------ */
  intake(s, W(2, 0), 2, 1, AKPS_W2);
  a = visit(s, W(2, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->stage, 2);
  CHECK_EQ_INT(a->plan->provisional, 0);
  CHECK_EQ_INT(gate(a->plan, "knee_to_wall_cm")->met, 0);
  CHECK_EQ_INT(a->plan->running.mode, GK_RUN_NOT_YET); /* squat, lunge hurt */

  /* ---- week 3: mobility met; running starts again from walk/run phase 1
     (24 days without a run: the break rule); cadence target ------------- */
  screen(s, W(3, 0), SCREEN_W3);
  a = visit(s, W(3, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->stage, 3);
  CHECK_EQ_INT(a->plan->running.mode, GK_RUN_WALK_RUN);
  CHECK_EQ_INT(a->plan->running.phase, 1);
  CHECK_EQ_INT(a->plan->running.days_without_running, 24);
  CHECK_NEAR(a->plan->cadence.baseline_spm, 160, 0.5);
  CHECK_NEAR(a->plan->cadence.target_spm, 168, 1e-9);
  gk_cadence_target t;
  ASSERT_EQ_INT(gk_store_latest_cadence_target(s, INT64_MAX, &t), GK_OK);
  CHECK_EQ_INT(t.day, W(3, 0));
  CHECK_NEAR(t.target_spm, 168, 1e-9);
  CHECK_NEAR(t.speed_mps, 3.2, 1e-6); /* the baseline's speed, kept */

  /* weeks 3-6: runs at about 166 with 40% of minutes within the target
     (not held); bridges at step 1, then step 2 */
  for (int w = 3; w < 7; w++)
    for (int d = 1; d <= 5; d += 2) {
      run(s, W(w, d), 168, 0.4);
      pain(s, W(w, d), 2, 1, 1);
      session(s, W(w, d), "bridge", 1, 3, 12, -1, 1);
    }
  a = visit(s, W(5, 0));
  ASSERT_TRUE(a != NULL);
  /* the runs' new cadence is not the baseline: the stored 160 is */
  CHECK_NEAR(a->plan->cadence.baseline_spm, 160, 0.5);
  CHECK_NEAR(a->plan->cadence.target_spm, 168, 1e-9);
  CHECK_EQ_INT(a->plan->cadence.held, 0);
  CHECK_TRUE(a->plan->cadence.share_within < 0.6);
  /* re-tests: the AKPS 28 days after the intake of week 2 (week 6) */
  const gk_plan_retest *rt = retest(a->plan, "akps");
  ASSERT_TRUE(rt != NULL);
  CHECK_EQ_INT(rt->due_day, W(6, 0));
  CHECK_EQ_INT(rt->due_now, 0);
  /* bridges: two sessions at step 1's dose inside the pain limit: up */
  const gk_plan_exercise *bridge = exercise(a->plan, "bridge");
  ASSERT_TRUE(bridge != NULL);
  CHECK_EQ_INT(bridge->step, 2);
  CHECK_EQ_INT(bridge->change, 1);

  /* ---- week 6: stability met ------------------------------------------- */
  intake(s, W(6, 0), 2, 0, AKPS_W6);
  screen(s, W(6, 0), SCREEN_W6);
  a = visit(s, W(6, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->stage, 4);

  /* ---- week 7: held cadence, then a flare ------------------------------ */
  for (int w = 7; w < 11; w++)
    for (int d = 1; d <= 5; d += 2) {
      run(s, W(w, d), 168, 1.0);
      int flare = w == 7 && d == 3;
      pain(s, W(w, d), flare ? 7 : 2, flare ? 6 : 1, flare ? 4 : 1);
    }
  a = visit(s, W(7, 3));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->stage, 1);
  CHECK_EQ_INT(gate(a->plan, "pain_during_running")->met, 0);
  CHECK_EQ_INT(a->plan->running.mode, GK_RUN_PAUSE_THEN_WALK_RUN);
  CHECK_EQ_INT(a->plan->cadence.deferred, 1); /* kept, not lost */

  /* ---- week 10: back in stage 4; 168 held; the target moves to 176 ----- */
  intake(s, W(10, 0), 1, 0, AKPS_W10);
  a = visit(s, W(10, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_EQ_INT(a->plan->stage, 4);
  CHECK_NEAR(a->plan->cadence.target_spm, 168, 1e-9);
  CHECK_EQ_INT(a->plan->cadence.held, 1);
  CHECK_NEAR(a->plan->cadence.next_target_spm, 176, 1e-9);
  /* six weeks since the target was set and no capture yet: a new gait
     capture is due */
  rt = retest(a->plan, "gait_capture");
  ASSERT_TRUE(rt != NULL);
  CHECK_EQ_INT(rt->due_day, W(9, 0));
  CHECK_EQ_INT(rt->due_now, 1);
  ASSERT_EQ_INT(gk_store_latest_cadence_target(s, INT64_MAX, &t), GK_OK);
  CHECK_EQ_INT(t.day, W(10, 0));
  CHECK_NEAR(t.target_spm, 176, 1e-9);
  CHECK_NEAR(t.baseline_spm, 160, 0.5);
  a = visit(s, W(11, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_NEAR(a->plan->cadence.target_spm, 176, 1e-9);
  CHECK_EQ_INT(a->plan->cadence.runs_since, 3); /* week 10's, at 168 */
  CHECK_EQ_INT(a->plan->cadence.held, 0);
  /* a past day's plan does not rewrite the history of targets */
  a = visit(s, W(5, 0));
  ASSERT_TRUE(a != NULL);
  CHECK_NEAR(a->plan->cadence.target_spm, 168, 1e-9);
  ASSERT_EQ_INT(gk_store_latest_cadence_target(s, INT64_MAX, &t), GK_OK);
  CHECK_EQ_INT(t.day, W(10, 0));
  gk_assessment_free(a);

  /* ---- the course over weeks ------------------------------------------- */
  gk_course c;
  gk_err e;
  ASSERT_EQ_INT(gk_course_build(s, W(12, 0), &c, &e), GK_OK);
  CHECK_EQ_INT(c.days[0].day, W(0, 0)); /* from the first visit */
  CHECK_EQ_INT(c.days[0].stage, 1);
  CHECK_EQ_INT(c.days[0].visit, 1);
  for (size_t i = 0; i < c.n_changes; i++) {
    char d[11];
    fprintf(stderr, "  change %s: %d -> %d  %s\n",
            gk_day_format(c.changes[i].day, d), c.changes[i].from,
            c.changes[i].to, c.changes[i].why);
  }
  const gk_course_change *ch = change_on(&c, W(2, 0));
  ASSERT_TRUE(ch != NULL);
  CHECK_EQ_INT(ch->from, 1);
  CHECK_EQ_INT(ch->to, 2);
  CHECK_TRUE(strcmp(ch->gate, "pain_during_running") == 0 ||
             strcmp(ch->gate, "pain_daily_life") == 0);
  ch = change_on(&c, W(3, 0));
  ASSERT_TRUE(ch != NULL);
  CHECK_EQ_INT(ch->from, 2);
  CHECK_EQ_INT(ch->to, 3);
  CHECK_STR(ch->gate, "knee_to_wall_cm");
  ch = change_on(&c, W(6, 0));
  ASSERT_TRUE(ch != NULL);
  CHECK_EQ_INT(ch->to, 4);
  CHECK_STR(ch->gate, "single_leg_squat_control");
  ch = change_on(&c, W(7, 3));
  ASSERT_TRUE(ch != NULL);
  CHECK_EQ_INT(ch->from, 4);
  CHECK_EQ_INT(ch->to, 1);
  CHECK_STR(ch->gate, "pain_during_running");
  CHECK_TRUE(strstr(ch->why, "not met") != NULL);
  /* back to stage 4 once the flare is out of the 14-day window */
  ch = change_on(&c, W(9, 3));
  ASSERT_TRUE(ch != NULL);
  CHECK_EQ_INT(ch->from, 1);
  CHECK_EQ_INT(ch->to, 4);
  CHECK_EQ_INT(c.n_changes, 5);
  /* AKPS at each intake: 67, 72, 88, 100 */
  ASSERT_EQ_INT(c.n_akps, 4);
  CHECK_NEAR(c.akps[0].score, 67, 1e-9);
  CHECK_NEAR(c.akps[2].score, 88, 1e-9);
  CHECK_NEAR(c.akps[3].score, 100, 1e-9);
  CHECK_NEAR(c.akps_mic, 10, 1e-9);
  CHECK_NEAR(c.pain_mic, 1.16, 1e-9);
  gk_buf b = {0};
  gk_course_write_json(&c, &b);
  CHECK_TRUE(b.data && strstr(b.data, "\"changes\":[{\"date\":\""));
  /* The report's time line: every change of stage on its date with its
     gates, and every chart of the course. */
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = W(12, 0);
  in.gait_day = INT64_MIN;
  in.course_json = b.data;
  gk_history h;
  ASSERT_EQ_INT(gk_history_load(s, W(12, 0), &h), GK_OK);
  in.runs = h.runs;
  in.n_runs = h.n_runs;
  in.pain = h.pain;
  in.n_pain = h.n_pain;
  gk_buf html = {0};
  ASSERT_EQ_INT(gk_report_html(&in, &html, NULL), GK_OK);
  ASSERT_TRUE(html.data != NULL);
  const char *sec = strstr(html.data, "Your course over weeks");
  ASSERT_TRUE(sec != NULL);
  static const char *const charts[] = {"ch-course-stage", "ch-course-akps",
                                       "ch-course-pain"};
  for (size_t k = 0; k < 3; k++) CHECK_TRUE(strstr(sec, charts[k]) != NULL);
  for (size_t i = 0; i < c.n_changes; i++) {
    char d[11];
    gk_day_format(c.changes[i].day, d);
    CHECK_TRUE(strstr(sec, d) != NULL);
    /* the first gate's label, as the change names it */
    char label[64];
    snprintf(label, sizeof label, "%.40s", c.changes[i].why);
    CHECK_TRUE(strstr(sec, label) != NULL);
  }
  gk_buf_free(&html);
  gk_history_free(&h);
  gk_buf_free(&b);
  gk_course_free(&c);
  gk_store_close(s);
}

int main(void) {
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/gk-test-course-XXXXXX",
           t && t[0] ? t : "/tmp");
  if (mkdtemp(tmpdir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  D0 = gk_day_from_civil(2026, 3, 2); /* a Monday */
  RUN(test_twelve_weeks);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
  return TEST_SUMMARY();
}
