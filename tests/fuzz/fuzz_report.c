/*
** fuzz_report.c -- libFuzzer harness for the report's readers of the
** documents it is given (the plan JSON and the stored gait analysis JSON:
** text from the store, untrusted) and the three outputs built from them.
** The input is split at its first NUL byte: plan JSON before, gait JSON
** after (no NUL: the whole input is both).  Seeds in tests/data/report/.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf = (char *)malloc(size + 2);
  if (buf == NULL) return 0;
  memcpy(buf, data, size);
  buf[size] = buf[size + 1] = '\0';
  const char *plan = buf, *gait = buf;
  size_t cut = strlen(buf);
  if (cut < size) gait = buf + cut + 1;

  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = 20000;
  in.plan_json = plan;
  in.gait_json = gait;
  in.gait_day = 19990;
  gk_buf b = {0};
  gk_report_html(&in, &b, NULL);
  b.len = 0;
  gk_report_text(&in, GK_REPORT_COLOR, &b, NULL);
  b.len = 0;
  gk_report_json(&in, &b, NULL);
  gk_buf_free(&b);
  free(buf);
  return 0;
}
