/*
** clinic_internal.h -- shared helpers of src/clinic: the clinic's data
** files (read once, kept for the life of the process, so that finding
** codes, sources and red-flag texts can point into them), error messages
** that name the key, the field tables that map answer keys to struct
** members, and the generic answers parser and condition evaluator.
*/
#ifndef GK_CLINIC_INTERNAL_H
#define GK_CLINIC_INTERNAL_H

#include <stddef.h>

#include "gaitkeeper/clinic.h"

struct cJSON;

/* ---- data files ---------------------------------------------------------- */

typedef enum gk__clinic_file {
  GK__CF_INTAKE = 0, /* data/intake.json */
  GK__CF_SCREEN,     /* data/screen.json */
  GK__CF_AKPS,       /* data/akps.json */
  GK__CF_RED_FLAGS,  /* data/red_flags.json */
  GK__CF_EXERCISES,  /* data/exercises.json */
  GK__CF_RUNNING,    /* data/running.json */
  GK__CF_COUNT
} gk__clinic_file;

/* The parsed data file, cached for the life of the process (thread-safe:
   the first caller to finish parsing installs it).  NULL only when the
   file is missing or invalid, a build defect. */
const struct cJSON *gk__clinic_data(gk__clinic_file f);

/* The file name of f, e.g. "intake.json". */
const char *gk__clinic_file_name(gk__clinic_file f);

/* ---- errors -------------------------------------------------------------- */

/* Fill err (may be NULL) with code and a printf-style message kept in
   thread-local storage (valid until the next gk__clinic_fail in the same
   thread).  Returns code. */
gk_status gk__clinic_fail(gk_err *err, gk_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A key or value quoted for a message: at most 60 bytes, bytes outside
   printable ASCII as '?'.  Writes into out (64 bytes). */
const char *gk__clinic_quote(const char *s, char out[64]);

/* ---- fields -------------------------------------------------------------- */

typedef enum gk__ftype {
  GK__F_NUM = 0, /* double; NaN unknown */
  GK__F_YESNO,   /* int 1/0; -1 unknown */
  GK__F_CHOICE,  /* int-sized enum: index in "values" + 1; 0 unknown */
  GK__F_STR,     /* char[16]: one of "values"; "" unknown */
  GK__F_LIST,    /* unsigned bit flags: bit i = values[i] */
  GK__F_AKPS     /* int[13]: answer index, -1 unknown */
} gk__ftype;

typedef struct gk__field {
  const char *key;   /* the answers key; dotted for nested objects */
  gk__ftype type;
  size_t offset;     /* of the member in the struct */
} gk__field;

extern const gk__field gk__intake_fields[];
extern const size_t gk__intake_field_count;
extern const gk__field gk__screen_fields[];
extern const size_t gk__screen_field_count;

/* The field of `key`, or NULL. */
const gk__field *gk__field_find(const gk__field *fields, size_t n,
                                const char *key);

/* The question object of data file f for `key` (with {side} expanded), or
   NULL. */
const struct cJSON *gk__question_find(gk__clinic_file f, const char *key);

/* Parse the answers JSON of questionnaire f into obj (already set to all
   unknown by the caller; left so on error). */
gk_status gk__answers_parse(gk__clinic_file f, const gk__field *fields,
                            size_t n_fields, const char *json, size_t len,
                            void *obj, gk_err *err);

/* A field's value as a number: NaN when unknown (yes/no as 1/0; choice as
   its index + 1; list as its bit flags). */
double gk__field_value(const gk__field *fd, const void *obj);

/* ---- conditions (data/red_flags.json, data/intake.json "findings") -------
** Evaluate a condition over the intake.  *out is 1 when it holds, else 0.
** A malformed condition (a data defect) returns GK_E_UNSUPPORTED with a
** message naming the rule. */
gk_status gk__condition_eval(const struct cJSON *cond, const gk_intake *in,
                             const char *rule, int depth, int *out,
                             gk_err *err);

/* Every rule of data/red_flags.json that fires for `in`, highest urgency
   first (data order within one urgency), into out[0..max); notes (may be
   NULL) receives each one's evidence_note (or NULL). */
gk_status gk__red_flags_eval(const gk_intake *in, gk_red_flag *out,
                             const char **notes, size_t max, size_t *n,
                             gk_err *err);

/* Fill a finding's text from a template: {side}, {value}, {threshold},
   {left}, {right} replaced (numbers in their shortest form; NULL side or
   NaN numbers as "?"). */
void gk__clinic_template(char *out, size_t size, const char *tmpl,
                         const char *side, double value, double threshold,
                         double left, double right);

/* A finding with every member cleared (NaN numbers, no dates). */
void gk__clinic_finding_clear(gk_finding *f);

/* progression.c: check the steps, per_week, pain_max and the
   "progression" rules of an exercises.json and the pain limit of a
   running.json (parsed); GK_E_CORRUPT naming the file and key. */
gk_status gk__progression_validate(const struct cJSON *exercises,
                                   const struct cJSON *running, gk_err *err);

/* A string member of a JSON object, or NULL. */
const char *gk__clinic_json_string(const struct cJSON *obj, const char *name);

#endif /* GK_CLINIC_INTERNAL_H */
