/*
** plan_internal.h -- the parts of the plan shared by src/clinic/plan*.c,
** stage.c, exercises.c and running.c: the plan's private state (the data
** files it points into, the strings it owns) and each step's entry point.
*/
#ifndef GK_PLAN_INTERNAL_H
#define GK_PLAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/plan.h"

struct cJSON;

#define GK__PLAN_MAX_GATES 32
#define GK__PLAN_MAX_EXERCISES 16
#define GK__PLAN_MAX_UNKNOWN 48
#define GK__PLAN_MAX_EDUCATION 24
#define GK__PLAN_MAX_CODES 96
#define GK__PLAN_MAX_RETESTS 4
#define GK__PLAN_OWN_FINDINGS 4 /* findings the plan adds itself */ /* deficit codes the exercises are matched on */

typedef struct gk__plan_priv {
  /* The data files; the plan's strings point into them. */
  const struct cJSON *stages, *exercises, *running, *chains; /* gk__data */
  /* Strings the plan owns (copied from the input). */
  char **strings;
  size_t n_strings, cap_strings;
  int oom;

  gk_plan_gate gates[GK__PLAN_MAX_GATES];
  gk_plan_exercise exercises_out[GK__PLAN_MAX_EXERCISES];
  gk_plan_finding *findings;
  const char *unknown[GK__PLAN_MAX_UNKNOWN];
  const char *education[GK__PLAN_MAX_EDUCATION];
  /* The current stage's data object (NULL for refer). */
  const struct cJSON *stage_obj;
  /* The clinician's entries as applied (n = the input's). */
  gk_plan_clinician *clinician;
  /* The input's findings and the clinician's own, together. */
  gk_finding *all_findings;
  /* The re-test reminders (retest.c) and data/retests.json they point
     into; the plan's day. */
  const struct cJSON *retests_data; /* gk__data */
  gk_plan_retest retests[GK__PLAN_MAX_RETESTS];
  int64_t day;
} gk__plan_priv;

/* A copy of s owned by the plan (NULL for NULL; on failure sets oom and
   returns ""). */
const char *gk__plan_strdup(gk__plan_priv *pv, const char *s);
/* A printf-style string owned by the plan. */
const char *gk__plan_printf(gk__plan_priv *pv, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Add a line to the plan's "unknown" list (dropped past the limit). */
void gk__plan_unknown(gk_plan *p, const char *text);

/* Does code match pattern ('*' matches any run of characters)? */
int gk__plan_match(const char *pattern, const char *code);
/* Does code match any string of the JSON array pats? */
int gk__plan_match_any(const struct cJSON *pats, const char *code);

/* plan_findings.c: merge the findings of every source into p->findings,
   each with its chain. */
gk_status gk__plan_findings(gk_plan *p, const gk_plan_input *in,
                            gk_err *err);

/* Put the chain of data/chains.json on f. */
void gk__plan_place_in_chain(const struct cJSON *chains, gk_plan_finding *f);
/* Add a finding of the plan's own (at most GK__PLAN_OWN_FINDINGS), with
   its chain, keeping the order. */
void gk__plan_add_finding(gk_plan *p, const gk_finding *f);

/* clinician.c: the clinician's findings added to the input's (into
   pv->all_findings; *copy is the input using them); the stage they set;
   their exercise changes. */
gk_status gk__plan_clinician_findings(gk_plan *p, const gk_plan_input *in,
                                      gk_plan_input *copy);
void gk__plan_clinician_stage(gk_plan *p);
void gk__plan_clinician_exercises(gk_plan *p);
/* The stage's data object and name for stage n (1..4); 0 when none. */
int gk__plan_set_stage(gk_plan *p, int n);

/* stage.c: every stage's gates, the stage, provisional, refer. */
gk_status gk__plan_stage(gk_plan *p, const gk_plan_input *in, gk_err *err);

/* exercises.c: the exercises for the stage and the deficits. */
gk_status gk__plan_exercises(gk_plan *p, gk_err *err);

/* progression.c (via exercises.c): each exercise's step, adherence and
   change from the exercise log (in->sessions) and the flares among
   in->findings.  GK_E_CORRUPT for a malformed data file. */
gk_status gk__plan_progression(gk_plan *p, const gk_plan_input *in,
                               gk_err *err);

/* running.c: the running prescription and the cadence target. */
gk_status gk__plan_running(gk_plan *p, const gk_plan_input *in, gk_err *err);
/* running.c: the running prescription's extra JSON members. */
void gk__plan_running_json(const gk_plan *p, gk_buf *b);

/* retest.c: the re-test reminders (p->retests); after the stage, running
   and cadence.  GK_E_CORRUPT for a malformed data/retests.json. */
gk_status gk__plan_retests(gk_plan *p, const gk_plan_input *in, gk_err *err);

/* The pain during running the gates use: the highest in the pain log of
   the last 14 days, else the intake's; NaN when neither. */
double gk__plan_pain_run(const gk_plan_input *in);

/* Fill err (may be NULL) for a malformed data file. */
gk_status gk__plan_data_error(gk_err *err, const char *msg);

#endif /* GK_PLAN_INTERNAL_H */
