/*
** gaitkeeper/xml_activity.h -- GPX (1.0, 1.1) and TCX (v2) files into a
** gk_activity.
**
** Both readers stream the file through libexpat; the rules (which element
** or extension feeds which value, cadence, distance, sport, limits, errors)
** are in docs/FORMATS.md, sections "GPX" and "TCX".  In short:
**   - GPX: the track points of every <trk>/<trkseg>, in file order; routes
**     and waypoints are not read; no laps, no sessions;
**   - TCX: the Trackpoints of every <Activity> (one session each) and its
**     <Lap>s, whose figures are the device's summary;
**   - cadence as recorded is kept in cadence_rpm (strides/min for running);
**     cadence_spm is 2 x that when the sport is on foot;
**   - a file without any time gives an activity flagged
**     GK_ACT_START_UNKNOWN whose time_s are all NaN and whose summary has
**     no time-based figure.
*/
#ifndef GK_XML_ACTIVITY_H
#define GK_XML_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/formats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ------------------------------------------------------------- */

#define GK_XML_MAX_TEXT 4096u /* bytes of one element's text that are kept;
                                 a longer value is dropped (bad_values) */
#define GK_XML_MAX_DEPTH 256u /* element nesting; deeper is GK_E_LIMIT */
/* A file whose points have times on fewer than this share of them is read
   as a file without times (as gpxpy's has_times): its few times are
   ignored rather than its many untimed points dropped. */
#define GK_XML_MIN_TIMED_PCT 75u

/* ---- options ------------------------------------------------------------ */

/* A damaged file (malformed or truncated XML) yields what was read before
   the damage: GK_OK, the activity flagged GK_ACT_PARTIAL, err telling where
   and why.  Same value as GK_READ_PARTIAL. */
#define GK_XML_PARTIAL 0x100u
/* A file that names no sport (GPX without <type>, TCX Sport="Other") is
   taken as on foot: cadence_spm = 2 x cadence_rpm.  Without it such a file
   is on foot only when its points carry TCX RunCadence.  gk_read_activity
   passes it through. */
#define GK_XML_UNKNOWN_ON_FOOT 0x200u
/* Leave source.content_hash 0 (the caller has hashed the bytes already).
   Same value as GK_READ_NO_HASH. */
#define GK_XML_NO_HASH 0x400u

/* ---- what the reader did ------------------------------------------------ */

typedef struct gk_xml_stats {
  uint32_t points;        /* trkpt / Trackpoint elements read */
  uint32_t bad_positions; /* positions dropped: latitude beyond +-90,
                             longitude beyond +-180, not a number, or one of
                             the two missing */
  uint32_t bad_times;     /* times that are not ISO 8601 (the point is then
                             untimed) */
  uint32_t ignored_times; /* times dropped because fewer than
                             GK_XML_MIN_TIMED_PCT % of the points had one */
  uint32_t bad_values;    /* other values dropped: not a number, out of
                             range, or longer than GK_XML_MAX_TEXT */
  uint32_t laps;          /* TCX laps */
  uint32_t activities;    /* TCX activities (sessions) */
  uint32_t tracks;        /* GPX trk, TCX Track elements */
} gk_xml_stats;

/* ---- reading ------------------------------------------------------------ */

/*
** Read one GPX (or TCX) file from buf[0..len) into a new activity stored in
** *out, to be freed with gk_activity_free().  err is optional.  The input
** may start with a UTF-8 byte-order mark and whitespace; its encoding is
** UTF-8, UTF-16, ISO-8859-1, US-ASCII or windows-1252.
**
** Returns GK_OK; GK_E_CORRUPT for malformed XML and GK_E_TRUNCATED for XML
** that ends early (err: static message, byte offset, 1-based line and
** column in characters), unless GK_XML_PARTIAL; GK_E_UNSUPPORTED when the
** root element is not <gpx> (<TrainingCenterDatabase>), for an unknown
** encoding and for a document that declares entities (<!ENTITY ...>: refused
** outright, so no entity expansion can blow up); GK_E_LIMIT past
** GK_MAX_SAMPLES / GK_MAX_LAPS / GK_MAX_SESSIONS / GK_XML_MAX_DEPTH;
** GK_E_NOMEM; GK_E_ARG.  On failure *out is NULL.  A valid file without
** track points gives an activity with no samples.  Thread-safe for separate
** calls.
*/
GK_API gk_status gk_gpx_read_activity(const void *buf, size_t len,
                                      unsigned options,
                                      gk_activity **out /* OUT */,
                                      gk_err *err /* OUT, optional */);
GK_API gk_status gk_tcx_read_activity(const void *buf, size_t len,
                                      unsigned options,
                                      gk_activity **out /* OUT */,
                                      gk_err *err /* OUT, optional */);

/*
** The same for format GK_FORMAT_GPX or GK_FORMAT_TCX (GK_E_ARG otherwise),
** also filling *stats (optional; zeroed first, filled on failure too).
*/
GK_API gk_status gk_xml_read_activity(gk_format format, const void *buf,
                                      size_t len, unsigned options,
                                      gk_activity **out /* OUT */,
                                      gk_xml_stats *stats /* OUT, optional */,
                                      gk_err *err /* OUT, optional */);

#ifdef __cplusplus
}
#endif

#endif /* GK_XML_ACTIVITY_H */
