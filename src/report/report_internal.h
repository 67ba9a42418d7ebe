/*
** report_internal.h -- the report's model: what every output (HTML, text,
** JSON) shows, built once from the input documents by report_model.c, and
** the helpers the writers share (escaping, the palette, the SVG charts).
*/
#ifndef GK_REPORT_INTERNAL_H
#define GK_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/finding.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"

struct cJSON;

/* ---- palette ---------------------------------------------------------------
** Every colour the HTML uses, with the background it is drawn on and the
** contrast it must keep there (WCAG 2.1: 4.5 for text, 3 for the graphical
** objects of a chart; 1 for purely decorative fills, which carry no
** information alone).  tests/unit/test_report.c computes every ratio. */
typedef struct gk__report_color {
  const char *name; /* CSS custom property name without "--" */
  const char *hex;  /* "#rrggbb" */
  const char *on;   /* "#rrggbb" background it is drawn on */
  double min_ratio; /* required contrast ratio */
} gk__report_color;

extern const gk__report_color gk__report_palette[];
extern const size_t gk__report_palette_n;
/* The hex of palette entry `name` ("#000000" when unknown). */
const char *gk__report_color_hex(const char *name);

/* ---- the model ------------------------------------------------------------ */

/* One finding as shown: from the load analysis, the gait JSON or the plan
   JSON.  Strings point into the input or the parsed documents. */
typedef struct gk__rfinding {
  const char *code;
  int severity; /* gk_severity */
  const char *text;
  const char *source;        /* may be NULL */
  const char *evidence_note; /* may be NULL */
  const char *why;           /* why it matters (data/report_text.json) */
  double value, threshold;   /* NaN when none */
  int64_t date_from, date_to;/* INT64_MIN when none */
  const char *origin;        /* "training load", "gait", "plan" */
  /* from the plan's finding of the same code (NULL when the plan gives
     none): the chain it belongs to, the chain's evidence, how sure */
  const char *chain, *chain_id, *chain_source, *how_sure;
  /* Repeats: findings of the same code and severity are shown once, as
     the most recent (the first in the sorted list).  repeat_of is that
     finding's index, or -1 for the one shown; n_repeats counts the others
     on the one shown. */
  int repeat_of;
  size_t n_repeats;
  /* A finding shown whose explanation (the chain, else why it matters)
     and how sure are the same as an earlier one's refers to it: that
     finding's index, else -1. */
  int explained_by;
} gk__rfinding;

/* One day of the daily load chart. */
typedef struct gk__rday {
  int64_t day;
  double distance_m;    /* the day's runs (0 when none) */
  double longest_m;     /* the longest run of the day */
  double longest30_m;   /* longest run on the 30 days before (NaN: none) */
  double spike_ratio;   /* the day's longest run / longest30 when the load
                           rules called it a spike; NaN otherwise */
  int rest_gap;         /* 1: inside a reported rest gap */
  int pain_during;      /* -1: not given */
  int pain_morning;     /* -1: not given */
} gk__rday;

/* One gait metric as shown in the gait panel. */
typedef struct gk__rmetric {
  const char *name;  /* JSON name, e.g. "pelvic_drop_peak_stance_deg" */
  const char *label; /* plain label */
  const char *unit;
  int per_side, refused;
  double left, right, value, asymmetry, asymmetry_pct;
  double band_low, band_high; /* NaN: no band */
  const char *band_source, *band_note;
  const char *quality; /* "good", "fair", "poor", "none", or NULL */
  const char *note;    /* reliability or why refused; may be NULL */
  unsigned n_left, n_right;
} gk__rmetric;

#define GK__REPORT_MAX_METRICS 32
#define GK__REPORT_MAX_FINDINGS 128
#define GK__REPORT_DAYS 112  /* 16 weeks in the daily chart */
#define GK__REPORT_WEEKS 26  /* the weekly chart */

typedef struct gk__report {
  const gk_report_input *in;
  int64_t today;
  gk_load_report own_load; /* when the input gave none */
  const gk_load_report *load;

  struct cJSON *plan;      /* NULL: none or unreadable */
  int plan_unreadable;     /* plan_json given but not valid JSON */
  struct cJSON *gait;
  struct cJSON *course;    /* the course over weeks; NULL: none */
  struct gk__rcourse *crs; /* the course read (course_chart.c); NULL: none
                              or malformed (the section is left out) */
  int gait_unreadable;
  /* shared trees (gk__data): read only, never freed */
  const struct cJSON *text_data;    /* data/report_text.json */
  const struct cJSON *bands;        /* data/report_bands.json */
  const struct cJSON *figures_data; /* data/exercise_figures.json */

  gk__rfinding findings[GK__REPORT_MAX_FINDINGS];
  size_t n_findings;
  size_t n_findings_dropped;
  int refer;               /* the plan says refer, or a refer finding */

  /* the daily chart: GK__REPORT_DAYS days ending today */
  gk__rday days[GK__REPORT_DAYS];
  size_t n_days;
  size_t n_spikes, n_gap_days;
  /* the weekly chart: load->weekly[week_from .. n_weekly) */
  size_t week_from;

  gk__rmetric metrics[GK__REPORT_MAX_METRICS];
  size_t n_metrics;

  size_t n_shown;            /* findings shown: those with repeat_of -1 */

  /* the plan's parts (NULL when absent) */
  int stage;                  /* 0: unknown */
  int stage_zero;             /* the plan's stage is 0 (refer) */
  int provisional;            /* the plan says its stage is provisional */
  const char *stage_name, *stage_title, *stage_goal;
  const struct cJSON *gates, *all_gates, *exercises, *running, *cadence,
      *this_week, *unknown, *education;
  const struct cJSON *clinician; /* the clinician's entries, as applied */
  int stage_by_clinician, stage_computed;
  double cadence_baseline_spm, cadence_target_spm;

  double run_cap_m;           /* 1.1 x the longest run in 30 days, NaN */
  const struct cJSON *retests; /* the plan's "retests" (tests to repeat,
                                  docs/PLAN.md "Re-tests"); NULL: none */
} gk__report;

/* Build the model (GK_OK, GK_E_ARG, GK_E_NOMEM); free with
   gk__report_free (also after a failure). */
gk_status gk__report_build(gk__report *r, const gk_report_input *in);
void gk__report_free(gk__report *r);

/* What to do this week, as plain sentences: the plan's "this_week" items,
   else what the plan implies (running, exercises, cadence), then the
   run-length cap and the pain rule with their sources.  Returns the count
   (at most max). */
typedef struct gk__rweek_item {
  char text[1024];
  const char *source; /* may be NULL */
} gk__rweek_item;
size_t gk__report_this_week(const gk__report *r, gk__rweek_item *items,
                            size_t max);

/* One of the plan's re-tests in plain words into out (always
   terminated): "<name>, due <date>" (with "now, since" when it is due);
   with_why adds ": <why>". */
void gk__report_retest(const struct cJSON *t, int with_why, char *out,
                       size_t size);

/* The plain-language title of a finding code (data/report_text.json
   "titles"); for "gate.<name>" the gate's label, for "stage.<n>" the
   stage's core exercises; else made from the code ("load.single_run_spike"
   -> "Single run spike").  Written into out (always terminated); returns
   out. */
const char *gk__report_code_title(const gk__report *r, const char *code,
                                  char *out, size_t size);

/* The plan's running text in plain words, into out (always terminated):
   each gate it names among those data/running.json puts before running
   is given by its short label, and a pain gate with its limit ("Pain
   during running (at most 5/10)"), instead of its label with how it is
   measured. */
void gk__report_running_plain(const gk__report *r, char *out, size_t size);
/* One clinician's entry (the plan's "clinician" item) in plain words into
   out: "2025-06-05, A. Physio: stage 2: reason. (what it changed)". */
void gk__report_clinician_entry(const struct cJSON *e, gk_buf *out);
/* The entry that set the stage (the last applied stage entry), or NULL. */
const struct cJSON *gk__report_stage_entry(const gk__report *r);

/* The latest break of the load analysis (more than 7 days without a run)
   in plain words ("no run from 2026-09-01 to 2026-09-20 (20 days)", or
   "no run since ...: N days so far, the break goes on") into out: 1, or 0
   (out empty) when there was none. */
int gk__report_break(const gk__report *r, char *out, size_t size);

/* The short label of the plan's gate `name` (from "all_gates" or
   "gates") into out: 1, or 0 when the plan has no such gate. */
int gk__report_gate_label(const gk__report *r, const char *name, char *out,
                          size_t size);

/* A gate's label without its trailing explanation in parentheses ("Pain
   in daily life (intake)" -> "Pain in daily life"), into out. */
void gk__report_short_label(const char *label, char *out, size_t size);

/* The conditions of a provisional stage: the gates of earlier stages not
   measured (all_gates with "met" null and a stage below the plan's), their
   short labels and how to measure each (NULL when the data has none).
   Returns how many were written (at most max). */
typedef struct gk__rcondition {
  char label[256];
  const char *how;
} gk__rcondition;
size_t gk__report_conditions(const gk__report *r, gk__rcondition *out,
                             size_t max);

/* ---- chart primitives (svg_chart.c), shared by the report's charts ---- */

/* A value range mapped onto a pixel range. */
typedef struct gk__chart_scale {
  double lo, hi, p0, p1; /* value range -> pixel range */
} gk__chart_scale;

/* A "nice" tick step (1, 2, 2.5, 5 x 10^k) for a range split into about
   n parts; 1 for an empty or non-finite range. */
double gk__chart_nice_step(double range, int n);
/* "14 Jul". */
void gk__chart_day_short(int64_t day, char out[16]);
/* An SVG <text> at (x, y), s escaped. */
void gk__chart_text_at(gk_buf *b, double x, double y, const char *anchor,
                       const char *color, const char *s);

/* What the plan could not judge, grouped: the sentences as the plan gives
   them, and the gates not measured as one list per stage ("; "-separated
   short labels).  Returns the number of lines written (at most max). */
typedef struct gk__runknown {
  int stage;          /* 0: a sentence; 1..9: the gates of that stage */
  const char *text;   /* the sentence (stage 0) */
  char gates[1024];   /* the labels (stage > 0) */
  size_t n_gates;
} gk__runknown;
size_t gk__report_unknown(const gk__report *r, gk__runknown *out, size_t max);

/* An education point "text (source)" split at its final parenthesis:
   *text_len bytes of text, and the source (NULL when none) of *source_len
   bytes. */
void gk__report_split_source(const char *s, size_t *text_len,
                             const char **source, size_t *source_len);

/* put(b, the first n bytes of s as a string): for writers such as the HTML
   escaper or gk_json_str that take NUL-terminated text.  Sets b->oom when
   out of memory. */
void gk__report_put_n(gk_buf *b, const char *s, size_t n,
                      void (*put)(gk_buf *b, const char *s));

/* ---- helpers ------------------------------------------------------------- */

/* Text escaped for HTML text and attribute values (& < > " ' / become
   entities, so no text can close a tag or form a URL's "//"; control characters other than tab and newline are dropped;
   invalid UTF-8 becomes U+FFFD). */
void gk__html_esc(gk_buf *b, const char *s);
/* printf into b (truncated at 1023 bytes). */
void gk__bprintf(gk_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* printf, then the result escaped for HTML. */
void gk__besc_printf(gk_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* "info", "caution", "warning", "refer" -> gk_severity; -1 unknown. */
int gk__severity_parse(const char *s);

/* The plain label of a gait metric (from data/report_bands.json), or its
   JSON name. */
const char *gk__report_metric_label(const gk__report *r, const char *name);

/* ---- charts (svg_chart.c): each writes one <svg role="img"> with a <title>
   and a <desc> that states the key numbers. */
void gk__svg_weekly(gk_buf *b, const gk__report *r);
void gk__svg_daily(gk_buf *b, const gk__report *r);
void gk__svg_cadence_speed(gk_buf *b, const gk__report *r);
void gk__svg_cadence_time(gk_buf *b, const gk__report *r);
void gk__svg_gait_bands(gk_buf *b, const gk__report *r);
/* The key numbers of each chart as one sentence (also the <desc>). */
void gk__chart_desc_weekly(gk_buf *b, const gk__report *r);
void gk__chart_desc_daily(gk_buf *b, const gk__report *r);
void gk__chart_desc_cadence(gk_buf *b, const gk__report *r);

/* Whether finding k, a repeat of finding head, has the dates of head or
   of an earlier repeat (a code found on one day by two rules): its dates
   are not listed again. */
int gk__report_date_shown(const gk__report *r, size_t head, size_t k);

/* Whether the plan prescribes running now (walk/run or capped runs; not
   while running is paused or stopped); 1 without a plan or a mode. */
int gk__report_running_prescribed(const gk__report *r);
/* Whether the single-run cap applies (the plan continues capped runs, or
   there is no plan). */
int gk__report_running_capped(const gk__report *r);
/* The pain rule, stated once: the plan's pain_rule, else its running
   pain_limits, else data/report_text.json's; *source its source. */
const char *gk__report_pain_rule(const gk__report *r, const char **source);

/* ---- the course over weeks (course_chart.c) ------------------------------
** The course document (gaitkeeper/course.h gk_course_write_json) read into
** bounded arrays; strings and the per-day value arrays point into
** r->course. */
#define GK__COURSE_DAYS 240     /* GK_COURSE_MAX_DAYS */
#define GK__COURSE_CHANGES 240
#define GK__COURSE_AKPS 240
#define GK__COURSE_PAIN 512     /* pain log entries drawn */

typedef struct gk__cday {
  int64_t day;
  int stage;          /* 0 refer, 1..4; -1 no plan that day */
  int provisional, by_clinician, visit;
  int screened; /* screen answers given that day (the screen charts) */
  const struct cJSON *value; /* the gates' values, as "gates"; may be NULL */
} gk__cday;

typedef struct gk__cchange {
  int64_t day;
  int from, to, by_clinician;
  const char *gate, *why; /* may be "" */
} gk__cchange;

typedef struct gk__cakps {
  int64_t day;
  double score;
} gk__cakps;

typedef struct gk__rcourse {
  gk__cday days[GK__COURSE_DAYS];      /* oldest first */
  size_t n_days;
  size_t days_left_out;
  gk__cchange changes[GK__COURSE_CHANGES];
  size_t n_changes;
  gk__cakps akps[GK__COURSE_AKPS];
  size_t n_akps;
  const struct cJSON *gates;           /* the course's "gates" (an array) */
  double akps_mic, pain_mic;           /* NaN when not given */
  const char *akps_mic_source, *pain_mic_source; /* may be NULL */
  int64_t from, to;                    /* the charts' days: the first
                                          evaluated day .. today */
} gk__rcourse;

/* Read r->course into r->crs: GK_OK (r->crs NULL when there is no course),
   GK_E_CORRUPT when the document is not a course (r->crs NULL: the section
   is left out), GK_E_NOMEM. */
gk_status gk__course_read(gk__report *r);

/* The course's charts, each one <svg role="img"> with <title> and <desc>:
   the stage per evaluated day; the AKPS with the minimal important change
   around the first score; the pain log's three series with the pain limit
   and the pain MIC around the first week's mean; one small chart per
   screen gate (gate k of the course's gates).  Each returns 0 (nothing
   written) when it has nothing to draw. */
int gk__svg_course_stage(gk_buf *b, const gk__report *r);
int gk__svg_course_akps(gk_buf *b, const gk__report *r);
int gk__svg_course_pain(gk_buf *b, const gk__report *r);
int gk__svg_course_gate(gk_buf *b, const gk__report *r, size_t k);
/* The key numbers of each as one sentence (also the <desc>); nothing when
   there is nothing to draw. */
void gk__course_desc_stage(gk_buf *b, const gk__report *r);
void gk__course_desc_akps(gk_buf *b, const gk__report *r);
void gk__course_desc_pain(gk_buf *b, const gk__report *r);
void gk__course_desc_gate(gk_buf *b, const gk__report *r, size_t k);
/* The screen gates the course charts (data order): their indexes in the
   course's gates with at least one visit's value; returns the count. */
size_t gk__course_screen_gates(const gk__report *r, size_t *idx, size_t max);
/* A change of stage in plain words: "2026-03-02: stage 1 -> 2. why" (and
   "set by the clinician"). */
void gk__course_change_text(gk_buf *b, const gk__cchange *c);
/* The pain limit during running the chart marks: the plan's pain rule
   (during_max), else data/running.json's; NaN when neither. */
double gk__course_pain_limit(const gk__report *r);

/* ---- exercise figures ---------------------------------------------------- */

/* The side-view stick figure (one inline <svg>) of an exercise pose of
   data/exercise_figures.json, titled with `name`, width_px wide.
   GK_E_ARG when pose is not an object; GK_E_CORRUPT when an angle is
   missing, not a number or out of range; else gk_stick_figure_svg's. */
gk_status gk__exercise_figure_svg(const struct cJSON *pose, const char *name,
                                  double width_px, gk_buf *out);

#endif /* GK_REPORT_INTERNAL_H */
