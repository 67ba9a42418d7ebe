/*
** gaitkeeper/finding.h -- one finding: something gaitkeeper noticed in the
** runner's data (load, pain, gait, screen), with its evidence.  Every
** module that produces findings produces these; every output reads them.
*/
#ifndef GK_FINDING_H
#define GK_FINDING_H

#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_severity {
  GK_SEV_INFO = 0,
  GK_SEV_CAUTION,
  GK_SEV_WARNING,
  GK_SEV_REFER /* stop self-management: see a clinician */
} gk_severity;

/* "info", "caution", "warning", "refer". */
GK_API const char *gk_severity_name(gk_severity s);
/* The severity with that name (as gk_severity_name writes it), or -1. */
GK_API int gk_severity_from_name(const char *name);

#define GK_FINDING_TEXT_MAX 512

typedef struct gk_finding {
  const char *code;     /* stable code, e.g. "load.single_run_spike" */
  gk_severity severity;
  double value;         /* the measured value (NaN when none) */
  double threshold;     /* the threshold it was compared with (NaN: none) */
  int64_t activity_id;  /* the run concerned, or 0 */
  int64_t date_from;    /* the dates concerned, Unix days (days since
                           1970-01-01), or INT64_MIN when none */
  int64_t date_to;
  char text[GK_FINDING_TEXT_MAX]; /* plain language for the runner */
  const char *source;   /* evidence: authors and year, e.g.
                           "Frandsen et al. 2025 (BJSM 59:1203-10)" */
  const char *evidence_note; /* how sure we are, e.g. "disputed", or NULL */
} gk_finding;

/*
** One finding as a JSON object, the shape every output shares:
**   {"code", "severity", "value", "threshold", "activity_id" (or null),
**    "dates": ["YYYY-MM-DD", "YYYY-MM-DD"] or null, "text", "source",
**    "evidence_note"}
** (NaN numbers and missing strings are null).
*/
GK_API void gk_finding_write_json(const gk_finding *f, gk_buf *b);

#ifdef __cplusplus
}
#endif

#endif /* GK_FINDING_H */
