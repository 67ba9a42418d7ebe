/*
** load_internal.h -- the load module's rules (data/load_rules.json, with
** the evidence for every number; read by load_rules.c) as load.c reads
** them.
*/
#ifndef GK_LOAD_INTERNAL_H
#define GK_LOAD_INTERNAL_H

#include "gaitkeeper/finding.h"

/* One rule: its stable code, where its evidence comes from and, when the
   evidence is weak, disputed or extrapolated, a note saying so (the note's
   first word is one of "disputed", "borderline", "extrapolated",
   "secondary", "untested", "indirect"). */
typedef struct gk__load_rule {
  const char *code;
  const char *source;
  const char *evidence_note; /* NULL: no caveat beyond the source */
} gk__load_rule;

enum gk__load_rule_id {
  GK__R_SPIKE,
  GK__R_RAMP,
  GK__R_REST_GAP,
  GK__R_RESTART,
  GK__R_ACWR,
  GK__R_MONOTONY,
  GK__R_PAIN_OVER,
  GK__R_PAIN_ONSET,
  GK__R_PAIN_RISING,
  GK__R_COUNT
};

extern gk__load_rule gk__load_rules[GK__R_COUNT];

/* Read the rules (data/load_rules.json) into the variables below, once per
   process (thread-safe).  Returns NULL when they were read, else what is
   wrong with the file (the analysis then fails with GK_E_CORRUPT). */
const char *gk__load_rules_init(void);

/* Ratios are compared with this tolerance, so that a value exactly on a
   threshold (e.g. a run exactly 10% longer, in centimetres) never crosses
   it by floating-point rounding. */
extern double gk__ratio_tolerance;

/* load.single_run_spike */
extern int gk__spike_lookback_days;
extern int gk__spike_window_days;
extern double gk__spike_ratio;
extern double gk__spike_band2_ratio;
extern double gk__spike_warning_ratio;
extern double gk__spike_hrr_band1;
extern double gk__spike_hrr_band2;
extern double gk__spike_hrr_band3;

/* load.two_week_ramp */
extern int gk__ramp_period_days;
extern double gk__ramp_ratio;

/* load.rest_gap, load.restart_after_rest */
extern int gk__rest_gap_days;
extern int gk__rest_window_days;
extern int gk__detrain_metabolic_days;
extern int gk__detrain_vo2max_days;
extern int gk__restart_week_days;
extern int gk__restart_lookback_days;
extern int gk__restart_relevant_days; /* a restart this recent is reported
                                         whatever the rest-gap window */
extern double gk__restart_ratio;

/* load.acwr */
extern int gk__acwr_acute_days;
extern int gk__acwr_chronic_days;
extern double gk__acwr_sweet_low;
extern double gk__acwr_sweet_high;
extern double gk__acwr_danger;

/* load.monotony */
extern int gk__monotony_days;
extern double gk__monotony_limit;

/* pain.over_limit, pain.onset_earlier, pain.rising */
extern int gk__pain_window_days;
extern int gk__pain_during_limit;
extern int gk__pain_morning_lookback_days;
extern int gk__onset_entries;
extern int gk__onset_window_days;
extern int gk__pain_rising_days;
extern double gk__pain_nprs_mcid;

/* cadence against speed */
extern int gk__cadence_window_days;
extern int gk__cadence_min_runs;
extern double gk__cadence_ref_speed_mps;
extern const char *gk__cadence_source;

#endif /* GK_LOAD_INTERNAL_H */
