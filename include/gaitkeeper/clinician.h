/*
** gaitkeeper/clinician.h -- the clinician's hand: what a physiotherapist
** or doctor decides over the computed plan, each entry dated and kept.
**
** An entry sets the stage (with a reason), adds or drops an exercise,
** changes an exercise's dose, writes a note, or records the clinician's
** own finding.  Entries are stored (gk_store_add_clinician), read as of a
** day, and applied by the plan (gk_plan_input.clinician), which shows each
** one as the clinician's -- never mixed silently with what it computed --
** and says when one could not be applied.  One check for every face (the
** CLI's `clinician` verb, the web app's form): gk_clinician_check.
** See docs/PLAN.md, "The clinician's hand".
*/
#ifndef GK_CLINICIAN_H
#define GK_CLINICIAN_H

#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/finding.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_clinician_kind {
  GK_CLIN_STAGE = 0,     /* target "1".."4"; reason required */
  GK_CLIN_ADD_EXERCISE,  /* target an exercise id of data/exercises.json;
                            text: its dose (optional) */
  GK_CLIN_DROP_EXERCISE, /* target an exercise id */
  GK_CLIN_DOSE,          /* target an exercise id; text the dose */
  GK_CLIN_NOTE,          /* text */
  GK_CLIN_FINDING,       /* target a short name ([a-z0-9_], becomes the
                            code "clinician.NAME"); text; severity */
  GK_CLIN_KIND_COUNT
} gk_clinician_kind;

#define GK_CLIN_TARGET_MAX 64
#define GK_CLIN_TEXT_MAX 1024
#define GK_CLIN_REASON_MAX 512
#define GK_CLIN_AUTHOR_MAX 128

typedef struct gk_clinician_entry {
  int64_t id;            /* the store's id; 0 before it is stored */
  int64_t day;           /* Unix day it applies from */
  gk_clinician_kind kind;
  char target[GK_CLIN_TARGET_MAX];
  char text[GK_CLIN_TEXT_MAX];
  char reason[GK_CLIN_REASON_MAX];
  char author[GK_CLIN_AUTHOR_MAX]; /* "" when not given */
  gk_severity severity;  /* a finding's; GK_SEV_CAUTION otherwise */
  int64_t created_at;    /* Unix seconds; 0 before it is stored */
} gk_clinician_entry;

/* "stage", "add_exercise", "drop_exercise", "dose", "note", "finding"; NULL
   out of range. */
GK_API const char *gk_clinician_kind_name(gk_clinician_kind k);
/* The kind of that name, or -1. */
GK_API int gk_clinician_kind_parse(const char *name);

/* Zero *e, kind note, severity caution, day INT64_MIN. */
GK_API void gk_clinician_entry_init(gk_clinician_entry *e /* OUT */);

/* The entry as one JSON object: {"id", "date", "kind", "target", "text",
   "reason", "author", "severity"}. */
GK_API void gk_clinician_write_json(const gk_clinician_entry *e, gk_buf *b);

/* The entry in plain words, appended to out: "2025-06-05, A. Physio:
   dropped the exercise clamshell (reason: hurts the hip)" ("the
   clinician" when no author).  The one wording the CLI and the report
   share. */
GK_API void gk_clinician_describe(const gk_clinician_entry *e, gk_buf *out);

/*
** Is e a valid entry?  GK_OK, or GK_E_ARG with err->msg naming the problem
** (a static string): a day outside 1900..9999; a stage not 1..4 or without
** a reason; an exercise id not in data/exercises.json; a dose or note
** without text; a finding name not of [a-z0-9_] (1..40 characters) or
** without text, or of severity "refer" (a referral is the intake's red
** flags' job, or the clinician's own letter); text with control characters
** other than newline and tab; an unterminated field.
*/
GK_API gk_status gk_clinician_check(const gk_clinician_entry *e,
                                    gk_err *err /* OUT, optional */);

#ifdef __cplusplus
}
#endif

#endif /* GK_CLINICIAN_H */
