/*
** cmd_demo.c -- `gaitkeeper demo [--dir DIR]`: the main job on a sample
** runner.
**
** Writes, with gaitkeeper's own writers, a realistic runner with classic
** runner's knee: 16 weeks of FIT runs up to the sample's fixed "today"
** (2026-11-01) -- eight weeks of steady base, a three-week rest gap, a
** restart that jumps straight back to (and past) the old long run, then
** long runs growing faster than the rule of thumb allows -- at a cadence a
** little low for the runner's speed; and a pain log whose pain during runs
** and the next morning rises after the restart, starting earlier in each
** run.  Then it imports everything into a new store in DIR (a new
** temporary directory by default) with the same library calls as the
** `import` and `pain` verbs, writes DIR/report.html with the `report`
** verb's code, and prints the path and a short summary.  Everything is
** deterministic: the same files, store content and report every time.
**
** With them: the intake and screen answers (intake.json, screen.json) of
** classic patellofemoral pain -- front-of-knee pain, worse on stairs down
** and in squats, no red flag; limited ankle dorsiflexion on the right, and
** the right single-leg squat with the knee caving in and the pelvis
** dropping -- checked with gk_intake_parse / gk_screen_parse and stored as
** the `intake` and `screen` verbs store them; and a 2D gait capture filmed
** from behind (the simulated runner of gaitkeeper/sim.h, with more pelvic
** drop in right stance), written as OpenPose JSON, read back and analysed
** as `gaitkeeper gait` does.  A step this build cannot do yet is reported,
** and the rest of the demo goes on.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_plan.h"
#include "cmd_report.h"
#include "gaitkeeper/clinic.h"
#include "gaitkeeper/formats.h"
#include "gaitkeeper/gait.h"
#include "gaitkeeper/keypoints.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/sim.h"
#include "gaitkeeper/store.h"
#include "sample_runs.h"

/* The sample's fixed "today": 2026-11-01, a Sunday. */
#define DEMO_TODAY_Y 2026
#define DEMO_TODAY_M 11
#define DEMO_TODAY_D 1
#define DEMO_WEEKS 16

/* One planned run: week (0 = the Monday 16 weeks before today's week ends),
   weekday (0 Monday .. 6 Sunday), km, pace in s/km, and the pain logged for
   it (-1 none): during, next morning, where it began (km, NaN none). */
typedef struct demo_run {
  int week, weekday;
  double km, pace;
  int during, morning;
  double onset_km;
  const char *note;
} demo_run;

#define NONE -1, -1, NAN, NULL

static const demo_run plan[] = {
    /* weeks 0-7: steady base, 4 runs a week, the long run growing slowly */
    {0, 1, 6.5, 345, NONE}, {0, 3, 7.0, 320, NONE}, {0, 5, 5.0, 360, NONE},
    {0, 6, 11.0, 365, 1, 0, NAN, NULL},
    {1, 1, 6.8, 345, NONE}, {1, 3, 7.2, 318, NONE}, {1, 5, 5.0, 360, NONE},
    {1, 6, 11.5, 365, NONE},
    {2, 1, 7.0, 342, NONE}, {2, 3, 7.5, 316, NONE}, {2, 5, 5.2, 358, NONE},
    {2, 6, 12.0, 363, 1, 1, NAN, NULL},
    {3, 1, 7.0, 342, NONE}, {3, 3, 7.5, 315, NONE}, {3, 5, 5.0, 360, NONE},
    {3, 6, 12.0, 362, NONE},
    {4, 1, 7.2, 340, NONE}, {4, 3, 7.8, 314, NONE}, {4, 5, 5.3, 357, NONE},
    {4, 6, 12.5, 362, 2, 1, NAN, "a dull ache at the front of the knee late "
                                 "in the run"},
    {5, 1, 7.0, 340, NONE}, {5, 3, 8.0, 313, NONE}, {5, 5, 5.0, 358, NONE},
    {5, 6, 12.5, 360, 1, 0, NAN, NULL},
    {6, 1, 7.3, 339, NONE}, {6, 3, 8.0, 312, NONE}, {6, 5, 5.5, 356, NONE},
    {6, 6, 13.0, 360, 2, 1, 11.0, NULL},
    {7, 1, 7.5, 338, NONE}, {7, 3, 8.0, 312, NONE}, {7, 5, 5.0, 356, NONE},
    {7, 6, 13.0, 360, 2, 1, 11.5, NULL},
    /* weeks 8-10: no running (three weeks away) */
    /* week 11: the restart, straight back to the old volume and a longer
       long run */
    {11, 0, 8.0, 335, NONE}, {11, 2, 9.0, 330, NONE}, {11, 4, 8.0, 335, NONE},
    {11, 6, 15.0, 355, 3, 2, 12.0, "front of the knee, worse on the stairs "
                                   "down afterwards"},
    /* weeks 12-14: the long run keeps jumping */
    {12, 1, 8.0, 335, NONE}, {12, 3, 9.0, 325, 2, 2, NAN, NULL},
    {12, 5, 8.0, 340, NONE},
    {12, 6, 17.0, 357, 4, 3, 12.0, "sore going down stairs the next day"},
    {13, 1, 8.5, 335, NONE}, {13, 3, 10.0, 325, 3, 2, NAN, NULL},
    {13, 5, 8.0, 340, NONE}, {13, 6, 18.0, 358, 5, 3, 10.0, NULL},
    {14, 1, 9.0, 335, NONE}, {14, 3, 10.0, 325, 4, 3, 8.0, NULL},
    {14, 5, 8.0, 340, NONE},
    {14, 6, 20.0, 360, 6, 4, 7.5, "had to walk the last kilometre; squats "
                                  "hurt"},
    /* week 15: the knee complains on shorter runs */
    {15, 1, 7.0, 345, 5, 4, 5.0, NULL},
    {15, 3, 6.0, 350, 6, 5, 4.0, "pain from the first few kilometres, behind "
                                 "and around the kneecap"},
    {15, 5, 5.0, 355, 6, 5, 3.0, "stairs down hurt all day"},
};
#define N_PLAN (sizeof plan / sizeof plan[0])

/* The runner's cadence: a little low for the speed (about 158 steps/min at
   2.9 m/s, where runners typically take about 170). */
static double demo_cadence(double pace_s) {
  double v = 1000.0 / pace_s;
  return 158.0 + 9.0 * (v - 2.9);
}

static int import_file(gk_store *s, const char *path, int64_t *id) {
  size_t len = 0;
  unsigned char *buf = gk_cli_read_file(path, GK_CLI_MAX_INPUT_BYTES, &len);
  if (buf == NULL) return -1;
  gk_activity *a = NULL;
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_status st = gk_read_activity(buf, len, 0, NULL, &a, &err);
  free(buf);
  if (st == GK_OK) st = gk_activity_set_path(a, path);
  if (st == GK_OK) st = gk_store_add_activity(s, a, id);
  gk_activity_free(a);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: demo: %s: %s%s%s\n", path,
            err.msg ? err.msg : gk_strerror(st),
            st == GK_E_IO ? ": " : "", st == GK_E_IO ? gk_store_errmsg(s) : "");
    return -1;
  }
  return 0;
}

/* The runner's answers: classic patellofemoral pain, no red flag. */
static const char INTAKE_JSON[] =
    "{\n"
    "  \"age\": 34, \"sex\": \"female\", \"height_cm\": 168, "
    "\"mass_kg\": 61,\n"
    "  \"side\": \"right\", \"pain_location\": \"around_kneecap\", "
    "\"onset\": \"gradual\",\n"
    "  \"trauma\": false, \"swelling_within_2h\": false, "
    "\"patellar_tenderness\": false,\n"
    "  \"fibular_head_tenderness\": false, \"can_bear_weight\": true, "
    "\"can_flex_90\": true,\n"
    "  \"locking\": false, \"giving_way\": false, \"kneecap_dislocation\": "
    "false, \"swelling\": false,\n"
    "  \"hot_red_swollen\": false, \"fever_or_unwell\": false, "
    "\"night_pain\": false, \"rest_pain\": false,\n"
    "  \"constant_pain\": false, \"bony_tenderness\": false, "
    "\"pain_on_hop\": false, \"hip_or_groin_pain\": false,\n"
    "  \"unexplained_weight_loss\": false, \"grinding\": true, "
    "\"morning_stiffness_min\": 5,\n"
    "  \"worse_with\": [\"stairs_down\", \"squat\", \"sitting\", "
    "\"running\", \"downhill\"],\n"
    "  \"history\": [\"ankle_sprain\"],\n"
    "  \"pain_now\": 2, \"pain_run\": 6, \"pain_daily\": 3, "
    "\"shoes_km\": 650,\n"
    "  \"akps\": [0, 0, 0, 1, 2, 2, 1, 1, 1, 0, 0, 0, 0]\n"
    "}\n";

static const char SCREEN_JSON[] =
    "{\n"
    "  \"knee_to_wall_cm\": {\"left\": 11.5, \"right\": 7.0},\n"
    "  \"deep_squat\": {\"full_depth\": true, \"pain\": true},\n"
    "  \"lunge\": {\"pain\": false},\n"
    "  \"single_leg_squat\": {\n"
    "    \"left\": {\"knee_valgus\": false, \"pelvic_drop\": false, "
    "\"trunk_lean\": false, \"pain\": false},\n"
    "    \"right\": {\"knee_valgus\": true, \"pelvic_drop\": true, "
    "\"trunk_lean\": false, \"pain\": true}\n"
    "  },\n"
    "  \"single_leg_bridge_reps\": {\"left\": 22, \"right\": 14},\n"
    "  \"calf_raise_reps\": {\"left\": 27, \"right\": 24},\n"
    "  \"side_plank_s\": {\"left\": 45, \"right\": 30},\n"
    "  \"hop_pain\": {\"left\": false, \"right\": false},\n"
    "  \"walk_30min_pain\": false\n"
    "}\n";

/* Write the answers file, check it as the intake/screen verbs do, store it.
   Returns 1 stored, 0 not (said why), -1 a failure of the store. */
static int add_answers(gk_store *s, const char *dir, const char *kind,
                       const char *text, int64_t day, char *why,
                       size_t why_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.json", dir, kind);
  if (gk_cli_write_file("demo", path, text, strlen(text)) != 0) return -1;
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_status st;
  if (strcmp(kind, "intake") == 0) {
    gk_intake in;
    gk_intake_init(&in);
    st = gk_intake_parse(text, strlen(text), &in, &err);
  } else {
    gk_screen sc;
    gk_screen_init(&sc);
    st = gk_screen_parse(text, strlen(text), &sc, &err);
  }
  if (st != GK_OK) {
    snprintf(why, why_size, "not stored: %s", err.msg ? err.msg : gk_strerror(st));
    return 0;
  }
  if (gk_store_add_answers(s, kind, day, text, NULL) != GK_OK) {
    fprintf(stderr, "gaitkeeper: demo: %s: %s\n", kind, gk_store_errmsg(s));
    return -1;
  }
  return 1;
}

/* The 2D capture: a simulated runner filmed from behind, more pelvic drop
   in right stance, a cadence a little low for 3.0 m/s; written as OpenPose
   JSON and analysed as `gaitkeeper gait --fps 30 --view rear` does.
   Returns 1 stored, 0 not (said why), -1 a failure of the store. */
static int add_capture(gk_store *s, const char *dir, int64_t day, char *why,
                       size_t why_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/gait-rear-openpose", dir);
  if (mkdir(path, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "gaitkeeper: demo: %s: cannot create: %s\n", path,
            strerror(errno));
    return -1;
  }
  gk_sim_runner2d_options o;
  gk_sim_runner2d_defaults(&o);
  o.view = GK_VIEW_REAR;
  o.fps = 30;
  o.duration_s = 10;
  o.height_mm = 1680;
  o.speed_mps = 3.0;
  o.cadence_spm = 158;
  o.contact_time_ms = 200;
  o.pelvic_drop_deg[GK_SIM_LEFT] = 5;
  o.pelvic_drop_deg[GK_SIM_RIGHT] = 9;
  o.knee_fppa_deg[GK_SIM_LEFT] = 6;
  o.knee_fppa_deg[GK_SIM_RIGHT] = 13;
  o.noise_px = 1.5;
  o.dropout_rate = 0.01;
  o.seed = 7;
  gk_err err;
  memset(&err, 0, sizeof err);
  gk_capture *cap = NULL, *back = NULL;
  gk_gait *g = NULL;
  gk_buf b = {0};
  int rc = 0;
  gk_status st = gk_sim_runner2d(&o, &cap, NULL, &err);
  if (st == GK_OK) st = gk_sim_write_openpose_dir(cap, NULL, path, &err);
  if (st == GK_OK) {
    gk_kp_options ko;
    memset(&ko, 0, sizeof ko);
    ko.fps = o.fps;
    ko.view = GK_VIEW_REAR;
    st = gk_openpose_read_dir(path, o.fps, &ko, &back, &err);
  }
  if (st == GK_OK) {
    gk_gait2d_options o2 = {o.fps, GK_VIEW_REAR, o.height_mm, o.speed_mps};
    st = gk_gait2d_analyse(back, &o2, &g, &err);
  }
  if (st == GK_OK) st = gk_gait_findings(g, &err);
  if (st != GK_OK) {
    snprintf(why, why_size, "not analysed: %s%s%s", gk_strerror(st),
             err.msg ? ": " : "", err.msg ? err.msg : "");
    goto out;
  }
  gk_gait_write_json(g, 0, &b);
  if (b.oom) {
    fprintf(stderr, "gaitkeeper: demo: gait: out of memory\n");
    rc = -1;
    goto out;
  }
  gk_buf_putc(&b, '\0');
  if (gk_store_add_capture(s, "2d", gk_view_name(g->view), path, day, b.data,
                           NULL) != GK_OK) {
    fprintf(stderr, "gaitkeeper: demo: gait: %s\n", gk_store_errmsg(s));
    rc = -1;
    goto out;
  }
  rc = 1;
out:
  gk_buf_free(&b);
  gk_gait_free(g);
  gk_capture_free(back);
  gk_capture_free(cap);
  return rc;
}

static int make_dir(const char *dir) {
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "gaitkeeper: demo: %s: cannot create: %s\n", dir,
            strerror(errno));
    return -1;
  }
  return 0;
}

int gk_cmd_demo(int argc, char **argv) {
  const char *dir = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc && argv[i + 1][0])
      dir = argv[++i];
    else {
      fprintf(stderr, "usage: gaitkeeper demo [--dir DIR]\n");
      return 2;
    }
  }
  char tmpl[] = "/tmp/gaitkeeper-demo-XXXXXX";
  if (dir == NULL) {
    dir = mkdtemp(tmpl);
    if (dir == NULL) {
      fprintf(stderr,
              "gaitkeeper: demo: cannot create a temporary directory: %s\n",
              strerror(errno));
      return 1;
    }
  } else if (make_dir(dir) != 0) {
    return 1;
  }
  if (strlen(dir) > 3000) {
    fprintf(stderr, "gaitkeeper: demo: %s: the path is too long\n", dir);
    return 1;
  }
  char db[3100], runs_dir[3100], path[3200], report[3100];
  snprintf(db, sizeof db, "%s/gaitkeeper.db", dir);
  snprintf(runs_dir, sizeof runs_dir, "%s/runs", dir);
  snprintf(report, sizeof report, "%s/report.html", dir);
  struct stat sb;
  if (stat(db, &sb) == 0) {
    fprintf(stderr,
            "gaitkeeper: demo: %s: a store is already there; give the demo a "
            "new directory\n",
            db);
    return 1;
  }
  if (make_dir(runs_dir) != 0) return 1;

  const int64_t today =
      gk_day_from_civil(DEMO_TODAY_Y, DEMO_TODAY_M, DEMO_TODAY_D);
  /* week 0 starts on the Monday DEMO_WEEKS weeks before the Monday after
     today */
  const int64_t week0 = gk_day_week_start(today) - 7 * (DEMO_WEEKS - 1);

  /* 1. the runs, as FIT files */
  double total_km = 0;
  for (size_t i = 0; i < N_PLAN; i++) {
    const demo_run *p = &plan[i];
    int64_t day = week0 + 7 * p->week + p->weekday;
    char d[11];
    gk_day_format(day, d);
    snprintf(path, sizeof path, "%s/%s.fit", runs_dir, d);
    int64_t start = day * 86400 + (p->weekday >= 5 ? 8 * 3600 : 6 * 3600 + 1800);
    gk_sample_run_spec spec = {p->km, p->pace, demo_cadence(p->pace),
                               GK_SAMPLE_ROAD};
    if (gk_sample_run_write_spec(path, (uint32_t)i, GK_SAMPLE_RUNNING,
                                 (uint32_t)start, &spec) != 0) {
      fprintf(stderr, "gaitkeeper: demo: %s: cannot write the run\n", path);
      return 1;
    }
    total_km += p->km;
  }

  /* 2. a new store, the runs imported, the pain log */
  gk_store *s = NULL;
  char msg[512];
  if (gk_store_open_ex(&s, db, 0, NULL, msg, sizeof msg) != GK_OK) {
    fprintf(stderr, "gaitkeeper: demo: %s: %s\n", db, msg);
    return 1;
  }
  int rc = 1;
  size_t n_pain = 0;
  for (size_t i = 0; i < N_PLAN; i++) {
    const demo_run *p = &plan[i];
    int64_t day = week0 + 7 * p->week + p->weekday, id = 0;
    char d[11];
    gk_day_format(day, d);
    snprintf(path, sizeof path, "%s/%s.fit", runs_dir, d);
    if (import_file(s, path, &id) != 0) goto done;
    if (p->during < 0 && p->morning < 0) continue;
    gk_pain_entry e;
    memset(&e, 0, sizeof e);
    e.day = day;
    e.during = p->during;
    e.after = p->during >= 0 ? (p->during + p->morning + 1) / 2 : -1;
    e.morning = p->morning;
    e.onset_km = p->onset_km;
    e.activity_id = id;
    if (p->note) snprintf(e.note, sizeof e.note, "%s", p->note);
    if (gk_store_add_pain(s, &e, NULL) != GK_OK) {
      fprintf(stderr, "gaitkeeper: demo: pain log: %s\n", gk_store_errmsg(s));
      goto done;
    }
    n_pain++;
  }

  /* 3. intake, screen and a gait capture (a week before today) */
  char why_intake[300] = "stored", why_screen[300] = "stored",
       why_gait[300] = "analysed and stored";
  int got = add_answers(s, dir, "intake", INTAKE_JSON, today - 6, why_intake,
                        sizeof why_intake);
  if (got >= 0)
    got = add_answers(s, dir, "screen", SCREEN_JSON, today - 6, why_screen,
                      sizeof why_screen);
  if (got >= 0) got = add_capture(s, dir, today - 5, why_gait, sizeof why_gait);
  if (got < 0) goto done;

  /* 4. the report, with the `report` verb's code */
  gk_cli_report_info info;
  memset(&info, 0, sizeof info);
  if (gk_cli_report_write(s, today, GK_CLI_REPORT_HTML, report, stdout, 0,
                          &info) != 0)
    goto done;

  /* 5. a short summary */
  char d1[11], d2[11], dt[11];
  printf("gaitkeeper demo: a sample runner with knee pain, as of %s\n\n",
         gk_day_format(today, dt));
  printf("  %zu runs written as FIT files with gaitkeeper's own FIT writer "
         "(%.0f km, %s to %s): %s\n",
         N_PLAN, total_km,
         gk_day_format(week0 + 7 * plan[0].week + plan[0].weekday, d1),
         gk_day_format(week0 + 7 * plan[N_PLAN - 1].week +
                           plan[N_PLAN - 1].weekday,
                       d2),
         runs_dir);
  printf("  %zu pain log entries, imported with the runs into the store %s\n",
         n_pain, db);
  printf("  intake answers (%s/intake.json): %s\n", dir, why_intake);
  printf("  screen answers (%s/screen.json): %s\n", dir, why_screen);
  printf("  gait capture (a simulated runner filmed from behind, OpenPose JSON "
         "in %s/gait-rear-openpose): %s\n\n", dir, why_gait);
  {
    /* the plan, as the report shows it: the stage and the findings of
       every source (one per code, the most severe kept) */
    gk_assessment as;
    const gk_plan *p = NULL;
    if (gk_cli_assess(s, today, "demo", 0, &as) == 0 && (p = as.plan) != NULL) {
      printf("Stage %d: %s%s\n", p->stage, p->stage_name,
             p->provisional ? " (provisional: some gates not measured)" : "");
      printf("Findings from every source (%zu):\n", p->n_findings);
      for (size_t i = 0; i < p->n_findings; i++)
        printf("  %-8s %-34s %s\n", gk_severity_name(p->findings[i].f.severity),
               p->findings[i].f.code,
               p->findings[i].origin ? p->findings[i].origin : "");
    }
    gk_assessment_free(&as);
  }
  printf("\nReport: %s (%zu bytes)\n", report, info.bytes);
  printf("Open it in a browser, or see the summary with:\n"
         "  gaitkeeper --db %s report --date %s\n",
         db, dt);
  rc = 0;
done:
  gk_store_close(s);
  return rc;
}
