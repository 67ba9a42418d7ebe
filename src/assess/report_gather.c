/*
** report_gather.c -- the report's documents for one assessment, gathered
** once for every face (gaitkeeper/assess.h, gk_report_gather): the plan as
** `gaitkeeper plan --json` prints it, the data sources and their dates,
** the assessment's notes, and the course over weeks.
*/
#include <stdio.h>
#include <string.h>

#include "gaitkeeper/assess.h"
#include "gaitkeeper/course.h"

#define PLAN_MISSING                                                   \
  "The plan could not be built from the store (see the message printed " \
  "with the report)."

gk_status gk_report_gather(gk_store *store, const gk_assessment *as,
                           gk_report_bundle *b) {
  return gk_report_gather_ex(store, as, GK_GATHER_COURSE, b);
}

gk_status gk_report_gather_ex(gk_store *store, const gk_assessment *as,
                              unsigned what, gk_report_bundle *b) {
  if (b == NULL) return GK_E_ARG;
  memset(b, 0, sizeof *b);
  if (as == NULL) return GK_E_ARG;
  const gk_history *h = &as->history;
  const gk_capture_row *cap = &as->capture;
  const gk_plan *plan = as->plan;
  int64_t day = as->day;

  if (plan != NULL) {
    gk_plan_write_json(plan, &b->plan_buf);
    gk_buf_putc(&b->plan_buf, '\0');
    if (b->plan_buf.oom) return GK_E_NOMEM;
  }

  gk_report_source *src = b->src;
  size_t ns = 0;
  int64_t pain_from = INT64_MIN, pain_to = INT64_MIN;
  for (size_t i = 0; i < h->n_pain; i++) {
    if (pain_from == INT64_MIN || h->pain[i].day < pain_from)
      pain_from = h->pain[i].day;
    if (pain_to == INT64_MIN || h->pain[i].day > pain_to)
      pain_to = h->pain[i].day;
  }
  snprintf(b->runs_detail, sizeof b->runs_detail,
           "%zu runs (%zu FIT, %zu GPX, %zu TCX)%s", h->n_runs, h->fit,
           h->gpx, h->tcx,
           h->other_sport || h->unknown_start
               ? "; other sports and runs without a real start time left out"
               : "");
  src[ns++] = (gk_report_source){"Runs", b->runs_detail,
                                 as->load.first_run_day,
                                 as->load.last_run_day};
  snprintf(b->pain_detail, sizeof b->pain_detail, "%zu entries", h->n_pain);
  src[ns++] = (gk_report_source){"Pain log", b->pain_detail, pain_from,
                                 pain_to};
  if (as->have_capture) {
    snprintf(b->cap_detail, sizeof b->cap_detail, "%s, %s view%s%s%s",
             cap->kind, cap->view, cap->source_path[0] ? ", from " : "",
             cap->source_path,
             as->capture_old ? "; old: record a new one" : "");
    src[ns++] = (gk_report_source){"Gait capture", b->cap_detail,
                                   as->capture_day, INT64_MIN};
  } else {
    src[ns++] = (gk_report_source){"Gait capture", "none", INT64_MIN,
                                   INT64_MIN};
  }
  src[ns++] = (gk_report_source){"Intake answers",
                                 as->intake_json ? "given" : "none",
                                 as->intake_day, INT64_MIN};
  src[ns++] = (gk_report_source){"Screen answers",
                                 as->screen_json ? "given" : "none",
                                 as->screen_day, INT64_MIN};
  src[ns++] = (gk_report_source){
      "Plan", plan ? "built from the data above" : "could not be built",
      plan ? day : INT64_MIN, INT64_MIN};
  if (store != NULL) {
    snprintf(b->store_detail, sizeof b->store_detail, "%s",
             gk_store_path(store));
    src[ns++] = (gk_report_source){"Store", b->store_detail, INT64_MIN,
                                   INT64_MIN};
  }
  for (size_t i = 0; i < as->n_notes; i++)
    src[ns++] = (gk_report_source){"Note", as->notes[i], INT64_MIN,
                                   INT64_MIN};

  gk_report_input *in = &b->in;
  in->today = day;
  in->load = &as->load;
  in->runs = h->runs;
  in->n_runs = h->n_runs;
  in->pain = h->pain;
  in->n_pain = h->n_pain;
  in->plan_json = plan ? b->plan_buf.data : NULL;
  in->plan_missing_why = PLAN_MISSING;
  in->gait_json = as->have_capture ? cap->analysis : NULL;
  in->gait_day = as->have_capture ? cap->day : INT64_MIN;
  in->sources = src;
  in->n_sources = ns;

  /* The course over weeks: every visit's plan rebuilt as of its day (the
     costliest part: left out when the caller shows no course). */
  if (!(what & GK_GATHER_COURSE)) {
    snprintf(b->course_error, sizeof b->course_error, "not gathered");
    return GK_OK;
  }
  gk_course course;
  gk_err cerr;
  memset(&cerr, 0, sizeof cerr);
  gk_status cst = gk_course_build(store, day, &course, &cerr);
  if (cst == GK_OK) {
    gk_course_write_json(&course, &b->course_buf);
    if (!b->course_buf.oom) in->course_json = b->course_buf.data;
  } else {
    snprintf(b->course_error, sizeof b->course_error, "%s: %s",
             cerr.msg ? cerr.msg : "building it", gk_strerror(cst));
  }
  gk_course_free(&course);
  return GK_OK;
}

void gk_report_bundle_free(gk_report_bundle *b) {
  if (b == NULL) return;
  gk_buf_free(&b->plan_buf);
  gk_buf_free(&b->course_buf);
  memset(b, 0, sizeof *b);
}
