/*
** gaitkeeper/questions.h -- the intake and screen questions as a list a
** face can ask, and the one reader of a typed answer.
**
** The questions come from data/intake.json and data/screen.json (one
** source of truth for keys, prompts, types, ranges and help text); a
** question whose key holds "{side}" is given twice, left then right, and
** the intake's AKPS question is given as its 13 items (data/akps.json).
**
** The terminal (`gaitkeeper intake`, `gaitkeeper screen`) and the web app's
** forms both read a person's typed answers with gk_question_read and build
** the answers object with gk_answers_from_text, so the same text is
** accepted or refused, with the same message, in both.  The answers object
** is then checked as a whole by gk_intake_parse / gk_screen_parse.
*/
#ifndef GK_QUESTIONS_H
#define GK_QUESTIONS_H

#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_questionnaire {
  GK_QUESTIONS_INTAKE = 0, /* data/intake.json (with the AKPS items) */
  GK_QUESTIONS_SCREEN      /* data/screen.json */
} gk_questionnaire;

typedef enum gk_question_type {
  GK_QUESTION_NUMBER = 0, /* min..max, whole numbers when integer */
  GK_QUESTION_YESNO,      /* yes / no */
  GK_QUESTION_CHOICE,     /* one of values */
  GK_QUESTION_LIST,       /* any of values, each at most once */
  GK_QUESTION_AKPS_ITEM   /* one AKPS item: one of values (answer texts) */
} gk_question_type;

#define GK_QUESTION_KEY_MAX 96
#define GK_QUESTION_PROMPT_MAX 512
#define GK_QUESTION_VALUES_MAX 16

typedef struct gk_question {
  /* The answers object's dotted key with the side filled in
     ("single_leg_squat.left.knee_valgus"); AKPS items are "akps.1" ..
     "akps.13" (the answers object holds them as the array "akps"). */
  char key[GK_QUESTION_KEY_MAX];
  char prompt[GK_QUESTION_PROMPT_MAX]; /* with the side filled in */
  const char *help;  /* how to measure or answer; NULL when none */
  const char *unit;  /* numbers: "cm", "reps", ...; NULL when none */
  const char *group; /* AKPS items: "AKPS"; NULL otherwise */
  gk_question_type type;
  double min, max; /* numbers; -inf / +inf when open */
  int integer;     /* numbers: whole numbers only */
  int n_values;    /* choice, list, AKPS item */
  const char *values[GK_QUESTION_VALUES_MAX];
} gk_question;

/* The questions of w, in the order they are asked, into out (room for
   max); *n is the number there are (which may exceed max: then out holds
   the first max).  Pointers in out stay valid for the life of the
   process. */
GK_API gk_status gk_questions(gk_questionnaire w, gk_question *out,
                              size_t max, size_t *n /* OUT */, gk_err *err);

/* Read one answer as a person typed it (a terminal line, a form field).
   Blank text means "unknown" and reads as null.  Numbers: a decimal
   number in range.  Yes/no: y, yes, true, n, no, false (any case).
   Choices and AKPS items: a value as listed or its 1-based number in the
   list.  Lists: values or numbers separated by commas or spaces, or
   "none".  On GK_OK, appends the JSON value (null, a number, true/false,
   a string, an array of strings; an AKPS item's 0-based answer index) to
   json.  Otherwise returns GK_E_CORRUPT with err->msg a message fit to
   show next to the field (thread-local, valid until the next call). */
GK_API gk_status gk_question_read(const gk_question *q, const char *text,
                                  gk_buf *json, gk_err *err);

/* The text of each answer, given the question (for example a form
   field's submitted value); NULL or "" means unknown. */
typedef const char *(*gk_answer_text_fn)(void *user, const gk_question *q);

typedef struct gk_answer_problem {
  char key[GK_QUESTION_KEY_MAX]; /* "" when about the answers as a whole */
  char msg[320];
} gk_answer_problem;

/* Read every answer of w through text_of, build the answers object (JSON,
   as the answers file and the store hold it) into json, and check it as a
   whole with gk_intake_parse / gk_screen_parse.  Every field's problem is
   listed in problems (room for max; *n_problems counts them all), so a
   form can show each message next to its field.  Returns GK_OK when there
   is none, GK_E_CORRUPT when some answer was refused (json then holds the
   answers that could be read), or another status on a build defect. */
GK_API gk_status gk_answers_from_text(gk_questionnaire w,
                                      gk_answer_text_fn text_of, void *user,
                                      gk_buf *json,
                                      gk_answer_problem *problems, size_t max,
                                      size_t *n_problems /* OUT */,
                                      gk_err *err);

/* The answer to q in an answers object (JSON text) as text that
   gk_question_read reads back to the same value: for filling a form with
   the last answers.  Writes "" when q is unanswered or the object cannot
   be read. */
GK_API void gk_answer_text(const gk_question *q, const char *json,
                           size_t len, char *out, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* GK_QUESTIONS_H */
