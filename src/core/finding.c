/*
** finding.c -- names of the finding severities; a finding as JSON.
*/
#include "gaitkeeper/finding.h"

#include <stdint.h>
#include <string.h>

const char *gk_severity_name(gk_severity s) {
  switch (s) {
    case GK_SEV_INFO: return "info";
    case GK_SEV_CAUTION: return "caution";
    case GK_SEV_WARNING: return "warning";
    case GK_SEV_REFER: return "refer";
  }
  return "unknown";
}

int gk_severity_from_name(const char *name) {
  if (name == NULL) return -1;
  for (int s = GK_SEV_INFO; s <= GK_SEV_REFER; s++)
    if (strcmp(name, gk_severity_name((gk_severity)s)) == 0) return s;
  return -1;
}

void gk_finding_write_json(const gk_finding *f, gk_buf *b) {
  char d[11];
  gk_buf_putc(b, '{');
  gk_json_key(b, "code");
  gk_json_str_or_null(b, f->code);
  gk_buf_putc(b, ',');
  gk_json_key(b, "severity");
  gk_json_str(b, gk_severity_name(f->severity));
  gk_buf_putc(b, ',');
  gk_json_key(b, "value");
  gk_json_num(b, f->value);
  gk_buf_putc(b, ',');
  gk_json_key(b, "threshold");
  gk_json_num(b, f->threshold);
  gk_buf_putc(b, ',');
  gk_json_key(b, "activity_id");
  if (f->activity_id) gk_json_i64(b, f->activity_id);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "dates");
  if (f->date_from == INT64_MIN) {
    gk_buf_puts(b, "null");
  } else {
    gk_buf_putc(b, '[');
    gk_json_str(b, gk_day_format(f->date_from, d));
    gk_buf_putc(b, ',');
    gk_json_str(b, gk_day_format(f->date_to, d));
    gk_buf_putc(b, ']');
  }
  gk_buf_putc(b, ',');
  gk_json_key(b, "text");
  gk_json_str(b, f->text);
  gk_buf_putc(b, ',');
  gk_json_key(b, "source");
  gk_json_str_or_null(b, f->source);
  gk_buf_putc(b, ',');
  gk_json_key(b, "evidence_note");
  gk_json_str_or_null(b, f->evidence_note);
  gk_buf_putc(b, '}');
}
