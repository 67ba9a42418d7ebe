/*
** xml_internal.h -- what gpx.c, tcx.c and xml_common.c share (not public).
**
** xml_common.c owns the expat parser, the input's prolog (byte-order mark,
** leading whitespace), the hardening, the element stack, text capture,
** number and time parsing, the current point and how it becomes a row, and
** the finishing steps both formats need.  gpx.c and tcx.c say which
** elements matter (gk__xml_ops) and build sport, laps and sessions.
**
** The streaming reader (gk__xml_reader_new / _feed / _finish) is what the
** public functions use; tests and fuzzers use it directly to feed the input
** in chunks of any size.
*/
#ifndef GK_XML_INTERNAL_H
#define GK_XML_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/formats.h"
#include "gaitkeeper/xml_activity.h"

/* ---- element names ------------------------------------------------------ */

/* Local names (the part after any prefix) the readers act on.  Structural
   names are matched case-sensitively; extension names (inside <extensions>
   / <Extensions>) case-insensitively, see gk__xml_ext_id. */
enum gk__xml_el {
  GK__EL_OTHER = 0,
  /* GPX */
  GK__EL_gpx,
  GK__EL_trk,
  GK__EL_trkseg,
  GK__EL_trkpt,
  GK__EL_ele,
  GK__EL_time,
  GK__EL_type,
  GK__EL_extensions,
  /* TCX */
  GK__EL_TrainingCenterDatabase,
  GK__EL_Activity,
  GK__EL_Id,
  GK__EL_Lap,
  GK__EL_TotalTimeSeconds,
  GK__EL_DistanceMeters,
  GK__EL_MaximumSpeed,
  GK__EL_Calories,
  GK__EL_AverageHeartRateBpm,
  GK__EL_MaximumHeartRateBpm,
  GK__EL_Value,
  GK__EL_Cadence,
  GK__EL_Track,
  GK__EL_Trackpoint,
  GK__EL_Time,
  GK__EL_Position,
  GK__EL_LatitudeDegrees,
  GK__EL_LongitudeDegrees,
  GK__EL_AltitudeMeters,
  GK__EL_HeartRateBpm,
  GK__EL_Extensions,
  GK__EL_Creator,
  GK__EL_Name,
  GK__EL_UnitId,
  GK__EL_ProductID,
  GK__EL_COUNT
};

/* Extension values, by local name inside an extensions element. */
enum gk__xml_ext {
  GK__EXT_NONE = 0,
  GK__EXT_HR,          /* hr, heartrate, heart_rate */
  GK__EXT_CADENCE,     /* cad, cadence */
  GK__EXT_RUN_CADENCE, /* RunCadence (TCX TPX): strides/min, on foot */
  GK__EXT_POWER,       /* power, PowerInWatts, Watts */
  GK__EXT_SPEED,       /* speed, Speed */
  /* TCX lap extension (LX) */
  GK__EXT_AVG_SPEED,       /* AvgSpeed */
  GK__EXT_AVG_RUN_CADENCE, /* AvgRunCadence */
  GK__EXT_MAX_RUN_CADENCE, /* MaxRunCadence */
  GK__EXT_MAX_BIKE_CADENCE, /* MaxBikeCadence */
  GK__EXT_AVG_WATTS        /* AvgWatts */
};

/* Point values, for gk__xml_point_value. */
enum gk__xml_pv {
  GK__PV_TIME,
  GK__PV_LAT,
  GK__PV_LON,
  GK__PV_ALTITUDE,
  GK__PV_DISTANCE,
  GK__PV_HR,
  GK__PV_CADENCE,
  GK__PV_RUN_CADENCE,
  GK__PV_POWER,
  GK__PV_SPEED
};

typedef struct gk__xml_reader gk__xml_reader;

/* What a format adds to the common reader. */
typedef struct gk__xml_ops {
  gk_format format;
  const char *root;     /* local name the root element must have */
  const char *not_root; /* static message when it has another */
  /* An element opened: its id, its local name and its attributes (name,
     value, ..., NULL; names with any prefix).  The stack already holds it
     (depth >= 1). */
  void (*start)(gk__xml_reader *r, int id, const char *local,
                const char **atts);
  /* The text of an element the format asked for with gk__xml_capture(r,
     kind), when it closes; over: it was longer than GK_XML_MAX_TEXT. */
  void (*text)(gk__xml_reader *r, int kind, const char *s, size_t n,
               int over);
  /* An element closes (after text); the stack still holds it. */
  void (*end)(gk__xml_reader *r, int id);
  /* After the last byte (or the damage, with GK_XML_PARTIAL): build sport,
     sessions, laps, summaries.  Returns GK_OK or GK_E_NOMEM. */
  gk_status (*finish)(gk__xml_reader *r);
  /* Free the format's state (r->fmt); may be NULL. */
  void (*release)(gk__xml_reader *r);
} gk__xml_ops;

extern const gk__xml_ops gk__gpx_ops;
extern const gk__xml_ops gk__tcx_ops;

/* ---- the reader --------------------------------------------------------- */

/* The reader's state that the formats use.  The parser and the prolog
   state live behind it in xml_common.c. */
struct gk__xml_reader {
  const gk__xml_ops *ops;
  const gk_alloc *al;
  unsigned options;
  gk_activity *a;
  gk_xml_stats stats;
  gk_status st; /* first error; GK_OK while reading goes on */

  /* the element stack: ids, depth 1 = the root */
  unsigned depth;
  uint8_t stack[GK_XML_MAX_DEPTH + 1];
  unsigned ext_depth; /* depth of the innermost extensions element, or 0 */

  /* time base: every time is held as seconds since base (UTC) */
  int have_base;
  int64_t base;

  /* the current point */
  int in_point;
  unsigned point_depth;
  gk_sample pt;
  double pt_lat, pt_lon; /* NaN until read */
  int pt_pos_bad;        /* a coordinate was unreadable or out of range */
  int pt_run_cadence;    /* the point has a TCX RunCadence */
  int pt_cad_explicit;   /* the point has a <Cadence>/<cad>: it wins */

  /* rows */
  size_t timed_rows;     /* rows with a time */
  int any_timed;         /* after gk__xml_finish_rows: the rows are timed */
  int have_last_t;
  double last_t;         /* time of the last timed row */
  size_t last_t_row;     /* its index */
  double first_t;        /* time of the first timed row */
  int any_run_cadence;   /* a row's cadence came from RunCadence */

  /* segments: rows where a new trkseg / Track starts (for distances from
     positions, which do not bridge two segments) */
  int seg_break;
  size_t *seg_rows;
  size_t n_seg_rows, seg_rows_cap;

  /* format state */
  char sport[GK_NAME_MAX];
  char sub_sport[GK_NAME_MAX];
  int have_sport;
  void *fmt; /* the format's own state (tcx.c), owned by the format */
};

/* ---- streaming (tests and fuzzers use these) ----------------------------- */

/* A new reader for GK_FORMAT_GPX or GK_FORMAT_TCX.  GK_E_ARG, GK_E_NOMEM. */
gk_status gk__xml_reader_new(gk__xml_reader **out, gk_format format,
                             unsigned options);
/* Feed the next len bytes (any size, 0 included).  Returns GK_OK, or the
   first error (the same one on every later call). */
gk_status gk__xml_reader_feed(gk__xml_reader *r, const void *buf, size_t len);
/* End of input: on success *out owns the activity.  stats and err are
   optional.  The reader is freed in every case. */
gk_status gk__xml_reader_finish(gk__xml_reader *r, gk_activity **out,
                                gk_xml_stats *stats, gk_err *err);
/* Free a reader without finishing (NULL is a no-op). */
void gk__xml_reader_free(gk__xml_reader *r);

/* ---- for the formats ---------------------------------------------------- */

/* The current element's text is wanted: ops->text gets it with kind when
   the element closes.  Text of child elements is not included; a child
   that asks for its own text ends this capture. */
void gk__xml_capture(gk__xml_reader *r, int kind);
/* The id of the element n levels up the stack (0: the current one), or
   GK__EL_OTHER past the root. */
int gk__xml_up(const gk__xml_reader *r, unsigned n);
/* An extension value's id from a local name; GK__EXT_NONE if none. */
int gk__xml_ext_id(const char *local);
/* The local name of a (possibly prefixed) XML name. */
const char *gk__xml_local(const char *name);
/* The value of attribute local name (prefix ignored), or NULL. */
const char *gk__xml_attr(const char **atts, const char *local);
/* Stop reading with this error (first one wins); the position is where
   the parser is. */
void gk__xml_fail(gk__xml_reader *r, gk_status st, const char *msg);

/* Begin and end a point; a value of the current point from text (checked,
   counted when bad).  point_end adds the row, merges it, or drops it. */
void gk__xml_point_begin(gk__xml_reader *r);
void gk__xml_point_value(gk__xml_reader *r, int pv, const char *s, size_t n,
                         int over);
void gk__xml_point_end(gk__xml_reader *r);

/* A number (C locale, no NaN/infinity, surrounding whitespace allowed). */
int gk__xml_parse_double(const char *s, size_t n, double *out);
/* An ISO 8601 date-time: YYYY-MM-DD('T'|' ')hh:mm[:ss[.frac]][Z|+hh:mm|
   +hhmm|+hh]; no zone is taken as UTC.  *sec: Unix seconds; *frac in
   [0, 1). */
int gk__xml_parse_time(const char *s, size_t n, int64_t *sec, double *frac);
/* A time as seconds since the reader's base (setting the base on first
   use); NaN if s is not a time (counted in bad_times). */
double gk__xml_time(gk__xml_reader *r, const char *s, size_t n, int over);
/* A checked number in [lo, hi]; NaN (counted in bad_values) otherwise. */
double gk__xml_number(gk__xml_reader *r, const char *s, size_t n, int over,
                      double lo, double hi);

/* A sport name from a GPX <type> or TCX Sport attribute into sport and
   sub_sport (FIT profile names where known; see docs/FORMATS.md). */
void gk__xml_sport(const char *s, size_t n, char sport[GK_NAME_MAX],
                   char sub_sport[GK_NAME_MAX]);
/* Copy at most GK_NAME_MAX - 1 bytes of s[0..n), whitespace trimmed. */
void gk__xml_copy_name(char dst[GK_NAME_MAX], const char *s, size_t n);

/* ---- finishing ---------------------------------------------------------- */

/* Times: when fewer than GK_XML_MIN_TIMED_PCT % of the rows have one, the
   file is taken as untimed (every time_s NaN, counted in ignored_times);
   otherwise the untimed rows are dropped (stats.untimed), sessions' sample
   ranges moving with the rows.  Then, when no row has a distance of its
   own, distances from positions. */
void gk__xml_finish_rows(gk__xml_reader *r);
/* Fix the start: start_rel (seconds since base) floored to whole seconds
   becomes start_time, and every time (rows, laps, sessions) is moved to
   be relative to it.  NaN: the start is unknown (GK_ACT_START_UNKNOWN,
   start_time 0). */
void gk__xml_set_start(gk__xml_reader *r, double start_rel);
/* cadence_spm = 2 x cadence_rpm in rows [first, first + n) when on_foot,
   NaN otherwise. */
void gk__xml_convert_cadence(gk__xml_reader *r, size_t first, size_t n,
                             int on_foot);
/* gk_activity_summarize over rows [first, first + n), then: without times,
   no time-based figure; not on foot, no steps/min, steps or running
   dynamics. */
void gk__xml_summarize(gk__xml_reader *r, size_t first, size_t n, int on_foot,
                       gk_summary *out);

/* The point value an extension element carries (GK__PV_*), or -1. */
int gk__xml_ext_to_pv(int ext);

#endif /* GK_XML_INTERNAL_H */
