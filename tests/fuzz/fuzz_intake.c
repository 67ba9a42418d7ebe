/*
** fuzz_intake.c -- libFuzzer harness: any bytes as intake answers (parse,
** then assess and write the JSON when they parse) and as screen answers
** (the same).  Seeds: tests/data/intake/.
*/
#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/clinic.h"

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
  return 0;
}
