/*
** clinician.c -- the names of the clinician's entry kinds and an entry's
** defaults (gaitkeeper/clinician.h).  The check against the data is in
** src/clinic/clinician.c.
*/
#include "gaitkeeper/clinician.h"

#include <string.h>

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
