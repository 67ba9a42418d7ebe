/*
** gpx.c -- GPX 1.0 and 1.1 track points into a gk_activity.
**
** Read: every <trkpt> of every <trkseg> of every <trk> (in file order),
** with lat/lon, <ele>, <time>, GPX 1.0 <speed>, and below the point (in
** <extensions> or not, at any depth) the values named hr / heartrate,
** cad / cadence, power / PowerInWatts / watts and speed, whatever their
** prefix or namespace: Garmin's TrackPointExtension (gpxtpx:hr, ns3:hr),
** the bare <power> of Strava and <speed> of Apple.  The first non-empty
** <trk><type> names the sport.  <gpx creator> goes to source.product_name.
** Routes (<rte>) and waypoints (<wpt>) are plans, not recordings: skipped.
** Rules: docs/FORMATS.md, "GPX".
*/
#include <math.h>
#include <string.h>

#include "formats/xml/xml_internal.h"

enum { K_TYPE = 100 };

static void gpx_start(gk__xml_reader *r, int id, const char *local,
                      const char **atts) {
  int parent = gk__xml_up(r, 1);
  if (r->in_point) {
    if (r->depth == r->point_depth + 1 && id == GK__EL_ele) {
      gk__xml_capture(r, GK__PV_ALTITUDE);
    } else if (r->depth == r->point_depth + 1 && id == GK__EL_time) {
      gk__xml_capture(r, GK__PV_TIME);
    } else {
      int pv = gk__xml_ext_to_pv(gk__xml_ext_id(local));
      if (pv >= 0) gk__xml_capture(r, pv);
    }
    return;
  }
  switch (id) {
    case GK__EL_gpx:
      if (r->depth == 1) {
        const char *creator = gk__xml_attr(atts, "creator");
        if (creator)
          gk__xml_copy_name(r->a->source.product_name, creator,
                            strlen(creator));
      }
      break;
    case GK__EL_trk:
      if (parent == GK__EL_gpx && r->depth == 2) {
        r->stats.tracks++;
        r->seg_break = 1;
      }
      break;
    case GK__EL_trkseg:
      if (parent == GK__EL_trk) r->seg_break = 1;
      break;
    case GK__EL_type:
      if (parent == GK__EL_trk && !r->have_sport) gk__xml_capture(r, K_TYPE);
      break;
    case GK__EL_trkpt:
      if (parent == GK__EL_trkseg && gk__xml_up(r, 2) == GK__EL_trk) {
        gk__xml_point_begin(r);
        const char *lat = gk__xml_attr(atts, "lat");
        const char *lon = gk__xml_attr(atts, "lon");
        if (lat) gk__xml_point_value(r, GK__PV_LAT, lat, strlen(lat), 0);
        if (lon) gk__xml_point_value(r, GK__PV_LON, lon, strlen(lon), 0);
      }
      break;
    default:
      break;
  }
}

static void gpx_text(gk__xml_reader *r, int kind, const char *s, size_t n,
                     int over) {
  if (kind == K_TYPE) {
    gk__xml_sport(s, n, r->sport, r->sub_sport);
    if (r->sport[0] != '\0') r->have_sport = 1;
    return;
  }
  gk__xml_point_value(r, kind, s, n, over);
}

static void gpx_end(gk__xml_reader *r, int id) {
  if (id == GK__EL_trkpt && r->in_point && r->depth == r->point_depth)
    gk__xml_point_end(r);
}

static gk_status gpx_finish(gk__xml_reader *r) {
  gk_activity *a = r->a;
  gk__xml_finish_rows(r);
  memcpy(a->sport, r->sport, sizeof a->sport);
  memcpy(a->sub_sport, r->sub_sport, sizeof a->sub_sport);
  gk__xml_set_start(r, r->any_timed ? r->first_t : NAN);
  int on_foot = gk_sport_is_on_foot(a->sport) ||
                (a->sport[0] == '\0' &&
                 ((r->options & GK_XML_UNKNOWN_ON_FOOT) || r->any_run_cadence));
  size_t n = a->series.n;
  gk__xml_convert_cadence(r, 0, n, on_foot);
  gk__xml_summarize(r, 0, n, on_foot, &a->summary);
  return GK_OK;
}

const gk__xml_ops gk__gpx_ops = {
    GK_FORMAT_GPX, "gpx",      "not a GPX file: the root element is not <gpx>",
    gpx_start,     gpx_text,   gpx_end,
    gpx_finish,    NULL,
};

gk_status gk_gpx_read_activity(const void *buf, size_t len, unsigned options,
                               gk_activity **out, gk_err *err) {
  return gk_xml_read_activity(GK_FORMAT_GPX, buf, len, options, out, NULL,
                              err);
}
