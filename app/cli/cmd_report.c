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

static void usage(FILE *out) {
  fprintf(out, "usage: gaitkeeper report [-o FILE.html | -o -] [--json] "
               "[--date YYYY-MM-DD]\n"
               "  -o - writes the HTML page to standard output\n");
}

int gk_cli_report_write(gk_store *store, int64_t day, gk_cli_report_format fmt,
                        const char *path, FILE *out, int color,
                        gk_cli_report_info *info) {
  int rc = 1;
  gk_buf b = {0};
  gk_assessment as;
  gk_report_bundle rb;
  memset(&rb, 0, sizeof rb);
  gk_status st;
  if (gk_cli_assess(store, day, "report", 0, &as) != 0) goto done;
  if (store != NULL) gk_cli_keep("report", &as);
  /* the report's documents, gathered as the web app gathers them */
  if (gk_report_gather(store, &as, &rb) != GK_OK) {
    fprintf(stderr, "gaitkeeper: report: out of memory\n");
    goto done;
  }
  if (rb.course_error[0])
    fprintf(stderr, "gaitkeeper: report: the course over weeks is left out "
                    "(%s)\n", rb.course_error);

  gk_err err;
  memset(&err, 0, sizeof err);
  if (fmt == GK_CLI_REPORT_HTML) st = gk_report_html(&rb.in, &b, &err);
  else if (fmt == GK_CLI_REPORT_JSON) st = gk_report_json(&rb.in, &b, &err);
  else st = gk_report_text(&rb.in, color ? GK_REPORT_COLOR : 0, &b, &err);
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
    info->runs = as.history.n_runs;
    info->pain = as.history.n_pain;
    info->findings = as.load.n_findings;
    info->has_gait = as.have_capture;
    info->has_plan = as.plan != NULL;
  }
  rc = 0;
done:
  gk_buf_free(&b);
  gk_report_bundle_free(&rb);
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
