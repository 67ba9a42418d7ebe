/*
** fuzz_course.c -- libFuzzer harness for the report's reader of the course
** over weeks (course_json: gk_course_write_json's document, text that could
** come from anywhere) and the charts and text built from it, with a small
** pain log for the pain chart.  The whole input is the course document.
** Seeds in tests/data/course/.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = (char *)malloc(size + 1);
  if (buf == NULL) return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  gk_pain_entry pain[4];
  memset(pain, 0, sizeof pain);
  for (int i = 0; i < 4; i++) {
    pain[i].day = 20000 - 30 + 9 * i;
    pain[i].during = 6 - i;
    pain[i].after = i == 2 ? -1 : 5 - i;
    pain[i].morning = 3;
    pain[i].onset_km = NAN;
  }
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = 20000;
  in.pain = pain;
  in.n_pain = 4;
  in.course_json = buf;
  gk_buf b = {0};
  gk_report_html(&in, &b, NULL);
  b.len = 0;
  gk_report_text(&in, GK_REPORT_COLOR, &b, NULL);
  gk_buf_free(&b);
  free(buf);
  return 0;
}
