/*
** gaitkeeper/report.h -- the runner's knee report: one self-contained HTML
** page (inline CSS and SVG charts, no script, nothing loaded from outside),
** a terminal summary, and the same content as one JSON object.
**
** The report reads documents, not other modules' internals: the runs and
** the pain log (and the load analysis built from them, gaitkeeper/load.h),
** the plan as JSON text (the shape `gaitkeeper plan --json` prints), the
** latest gait capture as JSON text (gk_gait_write_json), and a list of data
** sources with their dates.  Whatever is missing is said plainly in its
** section; nothing missing is an error.  The sections, charts and what each
** shows are described in docs/REPORT.md.
*/
#ifndef GK_REPORT_H
#define GK_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One line of the "data sources and dates" section. */
typedef struct gk_report_source {
  const char *what;   /* e.g. "Runs", "Pain log", "Gait capture" */
  const char *detail; /* e.g. "42 runs (FIT), store /home/x/gk.db"; may be
                         NULL */
  int64_t day_from;   /* Unix days; INT64_MIN when none */
  int64_t day_to;     /* Unix days; INT64_MIN when a single day or none */
} gk_report_source;

/*
** Everything the report shows.  Any pointer may be NULL (with its count 0):
** the report then says what is missing and how to add it.
*/
typedef struct gk_report_input {
  int64_t today;                /* the report's day (Unix days, UTC) */
  const gk_load_report *load;   /* the load analysis of runs/pain as of
                                   today; NULL: the report builds it */
  const gk_load_run *runs;      /* the runs (any order) */
  size_t n_runs;
  const gk_pain_entry *pain;    /* the pain log (any order) */
  size_t n_pain;
  const char *plan_json;        /* the plan (`gaitkeeper plan --json`
                                   shape); NULL: no plan */
  const char *plan_missing_why; /* why there is no plan (shown); may be
                                   NULL */
  const char *gait_json;        /* the latest gait capture (gait.h JSON);
                                   NULL: none */
  int64_t gait_day;             /* the capture's day; INT64_MIN unknown */
  const char *stick_figures_svg;/* SVG markup of the runner at initial
                                   contact (already safe SVG, inlined as
                                   given); NULL: none */
  const gk_report_source *sources;
  size_t n_sources;
  const char *course_json;      /* the course over weeks (gaitkeeper/
                                   course.h gk_course_write_json); NULL:
                                   none */
  unsigned sections;            /* gk_report_html only: 0 the whole page;
                                   else GK_REPORT_FRAGMENT and/or the
                                   GK_REPORT_SEC_* wanted */
} gk_report_input;

/* gk_report_input.sections: which parts gk_report_html writes, for a face
   that shows the report's own sections inside its pages (the web app's
   Today, Runs and Gait pages).  0 is the whole document. */
#define GK_REPORT_FRAGMENT 0x1u     /* no <html>/<head>/<style> wrapper:
                                       the sections only (style them with
                                       gk_report_css) */
#define GK_REPORT_SEC_TODAY 0x2u    /* red flags, stage and this week, the
                                       exercises to do, when to stop */
#define GK_REPORT_SEC_UNKNOWN 0x4u  /* what is not yet known and how to
                                       find it out */
#define GK_REPORT_SEC_LOAD 0x8u     /* training load with its chart */
#define GK_REPORT_SEC_CADENCE 0x10u /* cadence and its target */
#define GK_REPORT_SEC_GAIT 0x20u    /* the gait capture's analysis */
#define GK_REPORT_SEC_RUNNING 0x40u /* the running prescription */
#define GK_REPORT_SEC_FINDINGS 0x80u/* every finding with its evidence */
#define GK_REPORT_SEC_ALL 0xfffeu   /* every section (the whole page's) */

/* The report's style sheet (the one the whole page inlines) into out, for
   a face that serves it as a file.  GK_OK or GK_E_NOMEM. */
GK_API gk_status gk_report_css(gk_buf *out);

/*
** The report as one HTML document into out (appended).  GK_OK, GK_E_ARG
** (NULL in or out, or today outside GK_DAY_MIN..GK_DAY_MAX), GK_E_NOMEM.
** A plan or gait document that is not valid JSON is not an error: its
** section says it could not be read, and err (optional) is left untouched.
** Thread-safe: no shared state.
*/
GK_API gk_status gk_report_html(const gk_report_input *in, gk_buf *out,
                                gk_err *err /* OUT, optional */);

/* gk_report_text flags */
#define GK_REPORT_COLOR 0x1u /* ANSI colour (only for a terminal) */

/* The terminal summary: plain text, wrapped at 78 columns, ANSI colour
   only with GK_REPORT_COLOR.  Statuses as gk_report_html. */
GK_API gk_status gk_report_text(const gk_report_input *in, unsigned flags,
                                gk_buf *out, gk_err *err /* OUT, optional */);

/* The report's data as one JSON object (and a newline); the keys are listed
   in docs/REPORT.md.  Statuses as gk_report_html. */
GK_API gk_status gk_report_json(const gk_report_input *in, gk_buf *out,
                                gk_err *err /* OUT, optional */);

#ifdef __cplusplus
}
#endif

#endif /* GK_REPORT_H */
