/*
** gaitkeeper/data.h -- the knowledge gaitkeeper is built with: the files of
** the project's data/ folder (thresholds, questionnaires, red flags,
** exercises, stage gates, each rule with its evidence), compiled into the
** library by cmake/embed_data.cmake.  A clinician reviews and changes the
** rules in data/ without reading C; a rebuild carries the change in.
*/
#ifndef GK_DATA_H
#define GK_DATA_H

#include <stddef.h>

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The text of the data file `name` (e.g. "gait_rules.json"), NUL-terminated,
   with its length in *len (may be NULL); NULL when there is no such file. */
GK_API const char *gk_data_text(const char *name, size_t *len);

/* The name of data file i (0-based, in name order), or NULL past the end. */
GK_API const char *gk_data_name(size_t i);

#ifdef __cplusplus
}
#endif

#endif /* GK_DATA_H */
