/*
** capture_internal.h -- building a gk_capture (for the readers; not public).
*/
#ifndef GK_CAPTURE_INTERNAL_H
#define GK_CAPTURE_INTERNAL_H

#include <stddef.h>

#include "gaitkeeper/capture.h"

/* A new, empty capture: kind 3D, view unknown, rates and subject NaN. */
gk_capture *gk__capture_new(void);

/* size zeroed bytes owned by cap (freed by gk_capture_free), or NULL. */
void *gk__capture_alloc(gk_capture *cap, size_t size);

/* n doubles owned by cap, or NULL when n * 8 overflows or memory is out.
   All set to NaN. */
double *gk__capture_nan_array(gk_capture *cap, size_t n);

/* A copy of s[0..n) owned by cap, cut at a NUL, trailing spaces trimmed,
   cut to GK_MAX_LABEL - 1 bytes; NULL when memory is out. */
char *gk__capture_label(gk_capture *cap, const char *s, size_t n);

#endif /* GK_CAPTURE_INTERNAL_H */
