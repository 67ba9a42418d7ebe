/*
** gaitkeeper/formats.h -- reading a run from any supported file: FIT, GPX
** or TCX, recognised by content, not by file name.
*/
#ifndef GK_FORMATS_H
#define GK_FORMATS_H

#include "gaitkeeper/activity.h"
#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_format {
  GK_FORMAT_UNKNOWN = 0,
  GK_FORMAT_FIT,
  GK_FORMAT_GPX,
  GK_FORMAT_TCX
} gk_format;

/* "fit", "gpx", "tcx" or "unknown". */
GK_API const char *gk_format_name(gk_format f);

/* The format of a file from its first bytes (len may be the whole file or
   its first few kilobytes): FIT by its header, GPX and TCX by their root
   element (a byte-order mark and leading whitespace or comments are
   skipped). */
GK_API gk_format gk_sniff_format(const void *buf, size_t len);

/* gk_read_activity options (FIT's GK_FIT_ACCEPT_BAD_CRC passes through) */
#define GK_READ_PARTIAL 0x100 /* a damaged file yields what was read before
                                 the damage (flag GK_ACT_PARTIAL) with GK_OK;
                                 err still tells where and why */
#define GK_READ_NO_HASH 0x400 /* leave source.content_hash 0: the caller
                                 hashed the bytes (gk_fnv1a64) already */
/* GK_XML_UNKNOWN_ON_FOOT (xml_activity.h) passes through to GPX and TCX. */

/*
** Read one activity from buf[0..len), whatever its format.  On success
** *out owns a new activity (free with gk_activity_free) and *fmt (may be
** NULL) says which format it was.  Errors: GK_E_UNSUPPORTED for an
** unrecognised format, or the reader's status with err filled (offset, and
** line/column for XML).
*/
GK_API gk_status gk_read_activity(const void *buf, size_t len, unsigned options,
                                  gk_format *fmt /* OUT, optional */,
                                  gk_activity **out /* OUT */,
                                  gk_err *err /* OUT, optional */);

#ifdef __cplusplus
}
#endif

#endif /* GK_FORMATS_H */
