/*
** clinician.c -- the names of the clinician's entry kinds and an entry's
** defaults (gaitkeeper/clinician.h).  The check against the data is in
** src/clinic/clinician.c.
*/
#include "gaitkeeper/clinician.h"

#include <string.h>

#include "gaitkeeper/json.h"

static const char *const kind_names[GK_CLIN_KIND_COUNT] = {
    [GK_CLIN_STAGE] = "stage",
    [GK_CLIN_ADD_EXERCISE] = "add_exercise",
    [GK_CLIN_DROP_EXERCISE] = "drop_exercise",
    [GK_CLIN_DOSE] = "dose",
    [GK_CLIN_NOTE] = "note",
    [GK_CLIN_FINDING] = "finding",
};

const char *gk_clinician_kind_name(gk_clinician_kind k) {
  return (unsigned)k < GK_CLIN_KIND_COUNT ? kind_names[k] : NULL;
}

int gk_clinician_kind_parse(const char *name) {
  if (name == NULL) return -1;
  for (int k = 0; k < GK_CLIN_KIND_COUNT; k++)
    if (strcmp(name, kind_names[k]) == 0) return k;
  return -1;
}

void gk_clinician_entry_init(gk_clinician_entry *e) {
  memset(e, 0, sizeof *e);
  e->day = INT64_MIN;
  e->kind = GK_CLIN_NOTE;
  e->severity = GK_SEV_CAUTION;
}

void gk_clinician_write_json(const gk_clinician_entry *e, gk_buf *b) {
  char d[11];
  gk_buf_putc(b, '{');
  gk_json_key(b, "id");
  gk_json_i64(b, e->id);
  gk_buf_putc(b, ',');
  gk_json_key(b, "date");
  gk_json_str(b, gk_day_format(e->day, d));
  gk_buf_putc(b, ',');
  gk_json_key(b, "kind");
  gk_json_str_or_null(b, gk_clinician_kind_name(e->kind));
  gk_buf_putc(b, ',');
  gk_json_key(b, "target");
  gk_json_str(b, e->target);
  gk_buf_putc(b, ',');
  gk_json_key(b, "text");
  gk_json_str(b, e->text);
  gk_buf_putc(b, ',');
  gk_json_key(b, "reason");
  gk_json_str(b, e->reason);
  gk_buf_putc(b, ',');
  gk_json_key(b, "author");
  gk_json_str(b, e->author);
  gk_buf_putc(b, ',');
  gk_json_key(b, "severity");
  gk_json_str(b, gk_severity_name(e->severity));
  gk_buf_putc(b, '}');
}

void gk_clinician_describe(const gk_clinician_entry *e, gk_buf *out) {
  static const char *const words[GK_CLIN_KIND_COUNT] = {
      [GK_CLIN_STAGE] = "stage",
      [GK_CLIN_ADD_EXERCISE] = "added the exercise",
      [GK_CLIN_DROP_EXERCISE] = "dropped the exercise",
      [GK_CLIN_DOSE] = "set the dose of",
      [GK_CLIN_NOTE] = "note",
      [GK_CLIN_FINDING] = "finding",
  };
  char d[11];
  gk_buf_puts(out, e->day == INT64_MIN ? "undated" : gk_day_format(e->day, d));
  gk_buf_puts(out, ", ");
  gk_buf_puts(out, e->author[0] ? e->author : "the clinician");
  gk_buf_puts(out, ": ");
  gk_buf_puts(out, (unsigned)e->kind < GK_CLIN_KIND_COUNT ? words[e->kind]
                                                          : "entry");
  if (e->target[0]) {
    gk_buf_putc(out, ' ');
    gk_buf_puts(out, e->target);
  }
  if (e->text[0]) {
    gk_buf_puts(out, ": ");
    gk_buf_puts(out, e->text);
  }
  if (e->reason[0]) {
    gk_buf_puts(out, " (reason: ");
    gk_buf_puts(out, e->reason);
    gk_buf_putc(out, ')');
  }
}
