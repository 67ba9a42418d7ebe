/*
** cmd_report.c -- `gaitkeeper report [-o FILE.html] [--json] [--date
** YYYY-MM-DD]`: gathers the documents the report reads from the store --
** everything as of --date, by gk_assess (gaitkeeper/assess.h), as the plan
** verb reads it: the runs and the pain log up to the day with their load
** analysis, the latest gait capture's JSON by then, the dates of the
** latest intake and screen answers by then, the plan (as `gaitkeeper plan
** --json` prints it; when it cannot be built the report says why), and
** notes on what was left out -- and writes the HTML page (-o), the
** report's data as JSON (--json) or the terminal summary (ANSI colour only
** when standard output is a terminal and NO_COLOR is unset or empty).
*/
#define _POSIX_C_SOURCE 200809L
#include "cmd_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_plan.h"
#include "gaitkeeper/course.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"

#define PLAN_MISSING                                                   \
  "The plan could not be built from the store (see the message printed " \
  "with the report)."

static void usage(FILE *out) {
  fprintf(out, "usage: gaitkeeper report [-o FILE.html | -o -] [--json] "
               "[--date YYYY-MM-DD]\n"
               "  -o - writes the HTML page to standard output\n");
}

int gk_cli_report_write(gk_store *store, int64_t day, gk_cli_report_format fmt,
                        const char *path, FILE *out, int color,
                        gk_cli_report_info *info) {
  int rc = 1;
  gk_buf b = {0}, plan_buf = {0}, course_buf = {0};
  gk_assessment as;
  gk_status st;
  if (gk_cli_assess(store, day, "report", 0, &as) != 0) goto done;
  if (store != NULL) gk_cli_keep("report", &as);
  const gk_history *h = &as.history;
  const gk_capture_row *cap = &as.capture;
  const gk_plan *plan = as.plan;

  /* The plan, as `gaitkeeper plan --json` prints it. */
  if (plan != NULL) {
    gk_plan_write_json(plan, &plan_buf);
    gk_buf_putc(&plan_buf, '\0');
    if (plan_buf.oom) {
      fprintf(stderr, "gaitkeeper: report: out of memory\n");
      goto done;
    }
  }

  /* data sources and dates */
  gk_report_source src[8 + GK_ASSESS_MAX_NOTES];
  size_t ns = 0;
  char runs_detail[256], pain_detail[128], cap_detail[700], store_detail[4200];
  int64_t pain_from = INT64_MIN, pain_to = INT64_MIN;
  for (size_t i = 0; i < h->n_pain; i++) {
    if (pain_from == INT64_MIN || h->pain[i].day < pain_from)
      pain_from = h->pain[i].day;
    if (pain_to == INT64_MIN || h->pain[i].day > pain_to) pain_to = h->pain[i].day;
  }
  snprintf(runs_detail, sizeof runs_detail,
           "%zu runs (%zu FIT, %zu GPX, %zu TCX)%s", h->n_runs, h->fit, h->gpx,
           h->tcx, h->other_sport || h->unknown_start
                      ? "; other sports and runs without a real start time "
                        "left out"
                      : "");
  src[ns++] = (gk_report_source){"Runs", runs_detail, as.load.first_run_day,
                                 as.load.last_run_day};
  snprintf(pain_detail, sizeof pain_detail, "%zu entries", h->n_pain);
  src[ns++] = (gk_report_source){"Pain log", pain_detail, pain_from, pain_to};
  if (as.have_capture) {
    snprintf(cap_detail, sizeof cap_detail, "%s, %s view%s%s%s", cap->kind,
             cap->view, cap->source_path[0] ? ", from " : "", cap->source_path,
             as.capture_old ? "; old: record a new one" : "");
    src[ns++] = (gk_report_source){"Gait capture", cap_detail, as.capture_day,
                                   INT64_MIN};
  } else {
    src[ns++] = (gk_report_source){"Gait capture", "none", INT64_MIN,
                                   INT64_MIN};
  }
  src[ns++] = (gk_report_source){"Intake answers",
                                 as.intake_json ? "given" : "none", as.intake_day,
                                 INT64_MIN};
  src[ns++] = (gk_report_source){"Screen answers",
                                 as.screen_json ? "given" : "none", as.screen_day,
                                 INT64_MIN};
  src[ns++] = (gk_report_source){
      "Plan", plan ? "built from the data above" : "could not be built",
      plan ? day : INT64_MIN, INT64_MIN};
  if (store != NULL) {
    snprintf(store_detail, sizeof store_detail, "%s", gk_store_path(store));
    src[ns++] = (gk_report_source){"Store", store_detail, INT64_MIN, INT64_MIN};
  }
  /* What the assessment left out, and an old capture, in its words. */
  for (size_t i = 0; i < as.n_notes; i++)
    src[ns++] = (gk_report_source){"Note", as.notes[i], INT64_MIN, INT64_MIN};

  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = day;
  in.load = &as.load;
  in.runs = h->runs;
  in.n_runs = h->n_runs;
  in.pain = h->pain;
  in.n_pain = h->n_pain;
  in.plan_json = plan ? plan_buf.data : NULL;
  in.plan_missing_why = PLAN_MISSING;
  in.gait_json = as.have_capture ? cap->analysis : NULL;
  in.gait_day = as.have_capture ? cap->day : INT64_MIN;
  in.sources = src;
  in.n_sources = ns;
  /* The course over weeks: every visit's plan rebuilt as of its day. */
  gk_course course;
  gk_err cerr;
  gk_status cst = gk_course_build(store, day, &course, &cerr);
  if (cst == GK_OK) {
    gk_course_write_json(&course, &course_buf);
    if (!course_buf.oom) in.course_json = course_buf.data;
  } else {
    fprintf(stderr, "gaitkeeper: report: the course over weeks is left out "
                    "(%s: %s)\n",
            cerr.msg ? cerr.msg : "building it", gk_strerror(cst));
  }
  gk_course_free(&course);

  gk_err err;
  memset(&err, 0, sizeof err);
  if (fmt == GK_CLI_REPORT_HTML) st = gk_report_html(&in, &b, &err);
  else if (fmt == GK_CLI_REPORT_JSON) st = gk_report_json(&in, &b, &err);
  else st = gk_report_text(&in, color ? GK_REPORT_COLOR : 0, &b, &err);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: report: %s\n",
            err.msg ? err.msg : gk_strerror(st));
    goto done;
  }
  if (path != NULL) {
    if (gk_cli_write_file("report", path, b.data, b.len) != 0) goto done;
  } else if (fwrite(b.data, 1, b.len, out) != b.len || fflush(out) != 0) {
    fprintf(stderr, "gaitkeeper: report: cannot write the output\n");
    goto done;
  }
  if (info) {
    info->bytes = b.len;
    info->runs = h->n_runs;
    info->pain = h->n_pain;
    info->findings = as.load.n_findings;
    info->has_gait = as.have_capture;
    info->has_plan = plan != NULL;
  }
  rc = 0;
done:
  gk_buf_free(&b);
  gk_buf_free(&plan_buf);
  gk_buf_free(&course_buf);
  gk_assessment_free(&as);
  return rc;
}

int gk_cmd_report(int argc, char **argv) {
  const char *path = NULL;
  int json = 0;
  int64_t day = gk_day_of_time((int64_t)time(NULL));
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (i + 1 >= argc || argv[i + 1][0] == '\0') {
        fprintf(stderr, "gaitkeeper: report: %s needs a file name\n", a);
        return 2;
      }
      path = argv[++i];
    } else if (strcmp(a, "--json") == 0) {
      json = 1;
    } else if (strcmp(a, "--date") == 0) {
      if (i + 1 >= argc || gk_day_parse(argv[i + 1], &day) != GK_OK) {
        fprintf(stderr,
                "gaitkeeper: report: --date needs a date as YYYY-MM-DD%s%s\n",
                i + 1 < argc ? ", not " : "", i + 1 < argc ? argv[i + 1] : "");
        return 2;
      }
      i++;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "gaitkeeper: report: unknown option '%s'\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (json && path) {
    fprintf(stderr, "gaitkeeper: report: choose -o FILE.html or --json, not "
                    "both\n");
    return 2;
  }
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("report", GK_STORE_READ_ONLY, &s);
  if (st != GK_OK && st != GK_E_NOT_FOUND) return 1;
  /* A store that does not exist yet: an empty history, said in the report. */
  const char *nc = getenv("NO_COLOR");
  int color = !json && !path && isatty(STDOUT_FILENO) &&
              (nc == NULL || nc[0] == '\0');
  gk_cli_report_info info;
  memset(&info, 0, sizeof info);
  /* -o - : the HTML page on standard output (nothing renamed over it) */
  int to_stdout = path != NULL && strcmp(path, "-") == 0;
  int rc = gk_cli_report_write(st == GK_OK ? s : NULL, day,
                               path   ? GK_CLI_REPORT_HTML
                               : json ? GK_CLI_REPORT_JSON
                                      : GK_CLI_REPORT_TEXT,
                               to_stdout ? NULL : path, stdout,
                               to_stdout ? 0 : color, &info);
  gk_store_close(s);
  if (rc == 0 && path && !to_stdout)
    printf("Report written: %s (%zu bytes)\n", path, info.bytes);
  return rc;
}
