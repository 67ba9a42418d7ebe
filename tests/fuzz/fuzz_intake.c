/*
** fuzz_intake.c -- libFuzzer harness: any bytes as intake answers (parse,
** then assess and write the JSON when they parse) and as screen answers
** (the same); the same bytes, split at newlines, as the typed answers of
** the intake's and the screen's questions (gk_answers_from_text, the
** reader the terminal and the web forms share), and as an answers object
** read back to text (gk_answer_text).  Seeds: tests/data/intake/.
*/
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/questions.h"

/* Typed answers: the input's lines, one per question in turn. */
typedef struct lines {
  const char *p, *end;
  char line[700];
} lines;

static const char *next_line(void *user, const gk_question *q) {
  lines *l = user;
  (void)q;
  size_t n = 0;
  while (l->p < l->end && *l->p != '\n') {
    if (n + 1 < sizeof l->line) l->line[n++] = *l->p;
    l->p++;
  }
  if (l->p < l->end) l->p++;
  l->line[n] = '\0'; /* a NUL inside cuts the line, as a C string does */
  return l->line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static gk_intake_result ir;
  static gk_screen_result sr;
  gk_intake in;
  gk_screen sc;
  gk_err err = {0};
  const char *text = (const char *)data;
  if (gk_intake_parse(text, size, &in, &err) == GK_OK &&
      gk_intake_assess(&in, &ir, &err) == GK_OK) {
    gk_buf b = {0};
    gk_intake_result_write_json(&ir, &b);
    gk_buf_free(&b);
  }
  if (gk_screen_parse(text, size, &sc, &err) == GK_OK &&
      gk_screen_assess(&sc, &sr, &err) == GK_OK) {
    gk_buf b = {0};
    gk_screen_result_write_json(&sr, &b);
    gk_buf_free(&b);
  }
  for (int w = 0; w < 2; w++) {
    lines l = {text, text + size, {0}};
    gk_buf json = {0};
    gk_answer_problem p[4];
    size_t np = 0;
    gk_answers_from_text(w ? GK_QUESTIONS_SCREEN : GK_QUESTIONS_INTAKE,
                         next_line, &l, &json, p, 4, &np, &err);
    gk_buf_free(&json);
  }
  static gk_question qs[160];
  size_t n = 0;
  if (gk_questions(GK_QUESTIONS_INTAKE, qs, 160, &n, NULL) == GK_OK) {
    char out[256];
    for (size_t i = 0; i < n && i < 160; i++)
      gk_answer_text(&qs[i], text, size, out, sizeof out);
  }
  return 0;
}
