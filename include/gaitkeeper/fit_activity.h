/*
** gaitkeeper/fit_activity.h -- a FIT activity file into a gk_activity.
**
** The rules (which message and field feeds which value, what is the
** device's summary and what is computed) are in docs/FORMATS.md, section
** "FIT -> activity".
*/
#ifndef GK_FIT_ACTIVITY_H
#define GK_FIT_ACTIVITY_H

#include "gaitkeeper/activity.h"
#include "gaitkeeper/fit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options for gk_fit_read_activity (GK_FIT_ACCEPT_BAD_CRC from fit.h is
   passed to the decoder; GK_FIT_NO_EXPAND is ignored: the reader needs
   components, e.g. compressed_speed_distance and event_timestamp_12). */
#define GK_FIT_ACT_PARTIAL 0x100 /* a damaged file still yields what was read
                                    before the damage: GK_OK, the activity
                                    flagged GK_ACT_PARTIAL, and err telling
                                    where and why */
#define GK_FIT_ACT_NO_HASH 0x400 /* leave source.content_hash 0 (the caller
                                    has hashed the bytes already) */

/*
** Decode buf[0..len) (one FIT file, or several chained) into a new activity
** stored in *out, to be freed with gk_activity_free().  err is optional.
**
** Returns GK_OK; or the decoder's status for a damaged file (unless
** GK_FIT_ACT_PARTIAL); GK_E_LIMIT past GK_MAX_SAMPLES / GK_MAX_LAPS /
** GK_MAX_SESSIONS or too many HR points; GK_E_NOMEM; GK_E_ARG.  On failure
** *out is NULL.  A valid FIT file with no activity data (e.g. settings)
** gives an activity with no samples, laps or sessions.  Thread-safe for
** separate calls.
*/
GK_API gk_status gk_fit_read_activity(const void *buf, size_t len,
                                      unsigned options,
                                      gk_activity **out /* OUT */,
                                      gk_err *err /* OUT, optional */);

#ifdef __cplusplus
}
#endif

#endif /* GK_FIT_ACTIVITY_H */
