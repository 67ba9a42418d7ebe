/*
** cmd_report.h -- `gaitkeeper report [-o FILE.html] [--json] [--date
** YYYY-MM-DD]`: the runner's knee report from everything in the store
** (docs/REPORT.md).
*/
#ifndef GK_CMD_REPORT_H
#define GK_CMD_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gaitkeeper/store.h"

typedef enum gk_cli_report_format {
  GK_CLI_REPORT_TEXT = 0, /* the terminal summary */
  GK_CLI_REPORT_HTML,
  GK_CLI_REPORT_JSON
} gk_cli_report_format;

/* The summary numbers a caller may print after writing a report. */
typedef struct gk_cli_report_info {
  size_t bytes;      /* bytes written */
  size_t runs, pain, findings;
  int has_gait, has_plan;
} gk_cli_report_info;

/*
** Build the report of store (NULL: an empty history) as of day (Unix days)
** and write it: to the file `path` (created 0600: it is health data) when
** path is not NULL, else to out.  color: ANSI colour in the text summary.
** Prints "gaitkeeper: report: ..." on errors.  Returns 0, or 1 on failure.
** info (optional) gets the summary numbers.
*/
int gk_cli_report_write(gk_store *store, int64_t day, gk_cli_report_format fmt,
                        const char *path, FILE *out, int color,
                        gk_cli_report_info *info);

/* The verb: argc/argv after "report". */
int gk_cmd_report(int argc, char **argv);

#endif
