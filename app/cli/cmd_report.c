/*
** cmd_report.c -- `gaitkeeper report [-o FILE.html] [--json] [--date
** YYYY-MM-DD]`: gathers the documents the report reads from the store --
** the runs and the pain log (cli_history.c) with their load analysis, the
** latest gait capture's JSON, the dates of the latest intake and screen
** answers -- and writes the HTML page (-o), the report's data as JSON
** (--json) or the terminal summary (ANSI colour only when standard output
** is a terminal and NO_COLOR is unset or empty).
**
** The plan comes from the plan verb's own builder (cmd_plan.c,
** gk_cli_plan_build), as `gaitkeeper plan --json` prints it; when it cannot
** be built the report says why.
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
#include "cli_history.h"
#include "cmd_plan.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"

#define PLAN_MISSING                                                   \
  "The plan could not be built from the store (see the message printed " \
  "with the report)."

static void usage(FILE *out) {
  fprintf(out, "usage: gaitkeeper report [-o FILE.html] [--json] "
               "[--date YYYY-MM-DD]\n");
}

int gk_cli_report_write(gk_store *store, int64_t day, gk_cli_report_format fmt,
                        const char *path, FILE *out, int color,
                        gk_cli_report_info *info) {
  gk_cli_history h;
  gk_capture_row cap;
  memset(&cap, 0, sizeof cap);
  int have_cap = 0, rc = 1;
  char *intake = NULL, *screen = NULL;
  int64_t intake_day = INT64_MIN, screen_day = INT64_MIN;
  gk_load_report lr;
  memset(&lr, 0, sizeof lr);
  gk_buf b = {0}, plan_buf = {0};
  gk_plan *plan = NULL;

  gk_status st = gk_cli_history_load(store, &h);
  if (st != GK_OK) {
    const char *detail = store ? gk_store_errmsg(store) : "";
    fprintf(stderr, "gaitkeeper: report: reading the store: %s%s%s\n",
            gk_strerror(st), detail[0] ? ": " : "", detail);
    goto done;
  }
  if (store != NULL) {
    st = gk_store_latest_capture(store, NULL, &cap);
    if (st == GK_OK) have_cap = 1;
    else if (st != GK_E_NOT_FOUND) {
      fprintf(stderr, "gaitkeeper: report: reading the gait capture: %s: %s\n",
              gk_strerror(st), gk_store_errmsg(store));
      goto done;
    }
    if (gk_store_latest_answers(store, "intake", &intake, &intake_day, NULL) !=
        GK_OK)
      intake_day = INT64_MIN;
    if (gk_store_latest_answers(store, "screen", &screen, &screen_day, NULL) !=
        GK_OK)
      screen_day = INT64_MIN;
  }
  st = gk_load_analyze(h.runs, h.n_runs, h.pain, h.n_pain, day, &lr);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: report: %s\n", gk_strerror(st));
    goto done;
  }

  /* The plan, as `gaitkeeper plan --json` prints it. */
  if (gk_cli_plan_build_with(store, day, "report", &h, &lr, &plan) == 0) {
    gk_plan_write_json(plan, &plan_buf);
    gk_buf_putc(&plan_buf, '\0');
    if (plan_buf.oom) {
      fprintf(stderr, "gaitkeeper: report: out of memory\n");
      goto done;
    }
  }

  /* data sources and dates */
  gk_report_source src[8];
  size_t ns = 0;
  char runs_detail[256], pain_detail[128], cap_detail[700], store_detail[4200];
  int64_t pain_from = INT64_MIN, pain_to = INT64_MIN;
  for (size_t i = 0; i < h.n_pain; i++) {
    if (pain_from == INT64_MIN || h.pain[i].day < pain_from)
      pain_from = h.pain[i].day;
    if (pain_to == INT64_MIN || h.pain[i].day > pain_to) pain_to = h.pain[i].day;
  }
  snprintf(runs_detail, sizeof runs_detail,
           "%zu runs (%zu FIT, %zu GPX, %zu TCX)%s", h.n_runs, h.fit, h.gpx,
           h.tcx, h.other_sport || h.unknown_start
                      ? "; other sports and runs without a real start time "
                        "left out"
                      : "");
  src[ns++] = (gk_report_source){"Runs", runs_detail, lr.first_run_day,
                                 lr.last_run_day};
  snprintf(pain_detail, sizeof pain_detail, "%zu entries", h.n_pain);
  src[ns++] = (gk_report_source){"Pain log", pain_detail, pain_from, pain_to};
  if (have_cap) {
    snprintf(cap_detail, sizeof cap_detail, "%s, %s view%s%s", cap.kind,
             cap.view, cap.source_path[0] ? ", from " : "", cap.source_path);
    src[ns++] = (gk_report_source){"Gait capture", cap_detail, cap.day,
                                   INT64_MIN};
  } else {
    src[ns++] = (gk_report_source){"Gait capture", "none", INT64_MIN,
                                   INT64_MIN};
  }
  src[ns++] = (gk_report_source){"Intake answers",
                                 intake ? "given" : "none", intake_day,
                                 INT64_MIN};
  src[ns++] = (gk_report_source){"Screen answers",
                                 screen ? "given" : "none", screen_day,
                                 INT64_MIN};
  src[ns++] = (gk_report_source){
      "Plan", plan ? "built from the data above" : "could not be built",
      plan ? day : INT64_MIN, INT64_MIN};
  if (store != NULL) {
    snprintf(store_detail, sizeof store_detail, "%s", gk_store_path(store));
    src[ns++] = (gk_report_source){"Store", store_detail, INT64_MIN, INT64_MIN};
  }

  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = day;
  in.load = &lr;
  in.runs = h.runs;
  in.n_runs = h.n_runs;
  in.pain = h.pain;
  in.n_pain = h.n_pain;
  in.plan_json = plan ? plan_buf.data : NULL;
  in.plan_missing_why = PLAN_MISSING;
  in.gait_json = have_cap ? cap.analysis : NULL;
  in.gait_day = have_cap ? cap.day : INT64_MIN;
  in.sources = src;
  in.n_sources = ns;

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
    info->runs = h.n_runs;
    info->pain = h.n_pain;
    info->findings = lr.n_findings;
    info->has_gait = have_cap;
    info->has_plan = plan != NULL;
  }
  rc = 0;
done:
  gk_buf_free(&b);
  gk_buf_free(&plan_buf);
  gk_plan_free(plan);
  gk_load_report_free(&lr);
  free(cap.analysis);
  free(intake);
  free(screen);
  gk_cli_history_free(&h);
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
  int rc = gk_cli_report_write(st == GK_OK ? s : NULL, day,
                               path   ? GK_CLI_REPORT_HTML
                               : json ? GK_CLI_REPORT_JSON
                                      : GK_CLI_REPORT_TEXT,
                               path, stdout, color, &info);
  gk_store_close(s);
  if (rc == 0 && path)
    printf("Report written: %s (%zu bytes)\n", path, info.bytes);
  return rc;
}
