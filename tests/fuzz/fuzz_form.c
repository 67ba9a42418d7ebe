/*
** fuzz_form.c -- libFuzzer harness: any bytes as the web app's form bodies
** (app/server/form.c): as application/x-www-form-urlencoded, and as
** multipart/form-data with the boundary the seeds use ("gkb") and with a
** boundary taken from the input's first line as a Content-Type.  Every
** field found must lie inside the body.  The urlencoded fields then go
** through the readers the forms feed, as the pages call them: a pain
** entry (gk_pain_entry_check) and an exercise session
** (gk_exercise_session_read); every message they leave must be a string
** inside its field.  Seeds: tests/data/form/.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/load.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inside(const gk_form *f, const char *body, size_t len) {
  for (size_t i = 0; i < f->n; i++) {
    const char *v = f->f[i].value;
    if (v < body || v > body + len || f->f[i].len > (size_t)(body + len - v))
      abort();
    if (strlen(f->f[i].name) > len) abort();
  }
}

/* Every message in a block of fixed char arrays ends inside its array. */
static void check_messages(const char *m, size_t size, size_t each) {
  for (size_t at = 0; at + each <= size; at += each)
    if (memchr(m + at, '\0', each) == NULL) abort();
}

/* The fields as the pain and exercise pages read them. */
static void read_fields(const gk_form *f) {
  gk_pain_fields pf = {gk_form_str(f, "date"),     gk_form_str(f, "during"),
                       gk_form_str(f, "after"),    gk_form_str(f, "morning"),
                       gk_form_str(f, "onset_km"), gk_form_str(f, "activity"),
                       gk_form_str(f, "note")};
  gk_pain_entry pe;
  gk_pain_field_errors pe_err;
  memset(&pe_err, 0, sizeof pe_err);
  gk_pain_entry_check(&pf, &pe, &pe_err);
  check_messages(pe_err.date, sizeof pe_err - sizeof pe_err.entry,
                 sizeof pe_err.date);
  if (memchr(pe_err.entry, '\0', sizeof pe_err.entry) == NULL) abort();
  gk_exercise_fields ef = {gk_form_str(f, "exercise"), gk_form_str(f, "date"),
                           gk_form_str(f, "step"),     gk_form_str(f, "sets"),
                           gk_form_str(f, "reps"),     gk_form_str(f, "hold"),
                           gk_form_str(f, "load"),     gk_form_str(f, "pain"),
                           gk_form_str(f, "note")};
  const char *step = gk_form_str(f, "week_step");
  gk_exercise_session es;
  gk_exercise_field_errors ee;
  memset(&ee, 0, sizeof ee);
  gk_exercise_session_read(&ef, 20000, step ? atoi(step) % 8 : 0, &es, &ee);
  check_messages(ee.exercise, sizeof ee - sizeof ee.other, sizeof ee.exercise);
  if (memchr(ee.other, '\0', sizeof ee.other) == NULL) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static gk_form form;
  char msg[200];
  char *body = (char *)malloc(size + 1);
  if (body == NULL) return 0;
  memcpy(body, data, size);
  if (gk_form_urlencoded(body, size, &form, msg, sizeof msg) == 0) {
    check_inside(&form, body, size);
    read_fields(&form);
  }
  memcpy(body, data, size);
  if (gk_form_multipart(body, size, "gkb", &form, msg, sizeof msg) == 0)
    check_inside(&form, body, size);
  /* the first line as a Content-Type, the rest as the body */
  const uint8_t *nl = memchr(data, '\n', size);
  if (nl != NULL) {
    size_t hl = (size_t)(nl - data);
    char ct[256], boundary[80];
    if (hl < sizeof ct) {
      memcpy(ct, data, hl);
      ct[hl] = '\0';
      if (gk_form_boundary(ct, boundary, sizeof boundary) == 0) {
        size_t bl = size - hl - 1;
        memcpy(body, nl + 1, bl);
        if (gk_form_multipart(body, bl, boundary, &form, msg, sizeof msg) == 0)
          check_inside(&form, body, bl);
      }
    }
  }
  free(body);
  return 0;
}
