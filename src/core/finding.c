/*
** finding.c -- names of the finding severities.
*/
#include "gaitkeeper/finding.h"

const char *gk_severity_name(gk_severity s) {
  switch (s) {
    case GK_SEV_INFO: return "info";
    case GK_SEV_CAUTION: return "caution";
    case GK_SEV_WARNING: return "warning";
    case GK_SEV_REFER: return "refer";
  }
  return "unknown";
}
