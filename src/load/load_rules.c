/*
** load_rules.c -- the training-load and pain rules as data.
**
** Every number the load module (load.c) compares against is defined here,
** once, next to the study it comes from, so that a clinician can review or
** change a rule without reading the analysis code.  docs/METRICS.md
** ("Training load", "Pain") explains each rule in prose; the facts and
** citations come from ../shared/EVIDENCE.md sections 3 and 4.
**
** Conventions used below:
**   - "day" is a UTC calendar day; "day D" is the day analysed;
**   - "more than X" means strictly more: a value exactly on a threshold
**     does not trigger the rule (ratios within gk__ratio_tolerance of it
**     count as on it);
**   - severities: info (for your information), caution (consider changing
**     something), warning (change something now).
*/
#include "load_internal.h"

/* Ratios within this distance of a threshold count as equal to it. */
const double gk__ratio_tolerance = 1e-9;

/* ========================================================================
** load.single_run_spike -- one run much longer than the recent longest.
**
** Frandsen et al. 2025, Br J Sports Med 59:1203-10.  5,205 runners followed
** for 18 months (588,071 sessions, 35% injured).  Each run's distance was
** compared with the longest run in the previous 30 days:
**     >10-30% longer    hazard rate ratio 1.64 (95% CI 1.31-2.05)
**     >30-100% longer   1.52 (1.16-2.00)
**     >100% longer      2.28 (1.50-3.48)
** The acute:chronic ratio showed an inverse relation and the week-to-week
** change none in the same data.  The best current rule candidate.
**
** Grading: the >30-100% band carried no more risk than the >10-30% band,
** so both are "caution"; more than twice the recent longest is "warning".
** ===================================================================== */
const int gk__spike_lookback_days = 30;  /* reference: longest run on the
                                            30 days before the run's day */
const int gk__spike_window_days = 28;    /* runs checked: day D-27 .. D */
const double gk__spike_ratio = 1.10;     /* spike: > 10% longer (caution) */
const double gk__spike_band2_ratio = 1.30;   /* > 30% longer (caution) */
const double gk__spike_warning_ratio = 2.00; /* > 100% longer (warning) */
const double gk__spike_hrr_band1 = 1.64; /* quoted in the text */
const double gk__spike_hrr_band2 = 1.52;
const double gk__spike_hrr_band3 = 2.28;

/* ========================================================================
** load.two_week_ramp -- distance of the last 2 weeks against the 2 before.
**
** Nielsen et al. 2014, J Orthop Sports Phys Ther.  874 novice runners with
** GPS watches, 202 injured.  Overall injury rates did not differ between
** <10%, 10-30% and >30% progression; for "distance-related" injuries
** (patellofemoral pain among them) progressing more than 30% over 2 weeks
** gave HR 1.59 (95% CI 0.96-2.66, P=0.07): borderline, could be chance.
** Related: the "10% rule" did not prevent injuries in an RCT of 532
** novices (Buist et al. 2008, Am J Sports Med 36:33-9).
** ===================================================================== */
const int gk__ramp_period_days = 14;     /* D-13..D against D-27..D-14 */
const double gk__ramp_ratio = 1.30;      /* ramp: > 30% more (caution) */

/* ========================================================================
** load.rest_gap, load.restart_after_rest -- a break, and coming back.
**
** Mujika & Padilla 2001, Med Sci Sports Exerc 33:413-21: metabolic changes
** within about 10 days of stopping; recently gained VO2max is fully lost
** after more than 4 weeks off (trained athletes stay above untrained
** values).  Mujika & Padilla 2000, Sports Med 30:145-54: losses are smaller
** when intensity is kept and volume cut; cross-training may help.
** Coming back at the old volume after a break is then a larger step for
** the body than it looks; the restart rule combines this with the spike
** evidence above (Frandsen 2025).  No study tested the restart rule as such.
** ===================================================================== */
const int gk__rest_gap_days = 7;         /* gap: > 7 days without a run */
const int gk__rest_window_days = 28;     /* gaps with a rest day in D-27..D */
const int gk__detrain_metabolic_days = 10; /* metabolic changes begin */
const int gk__detrain_vo2max_days = 28;  /* > 4 weeks: VO2max gains lost;
                                            gap info -> caution, restart
                                            caution -> warning */
const int gk__restart_week_days = 7;     /* the first 7 days back */
const int gk__restart_lookback_days = 30; /* longest run before the gap:
                                            the 30 days ending on the last
                                            run before it */
const double gk__restart_ratio = 1.00;   /* back at or above (>=) the week
                                            before the gap, or a run at or
                                            above the longest before it */

/* ========================================================================
** load.acwr -- acute:chronic workload ratio (information only).
**
** Williams et al. 2017, Br J Sports Med 51:209: exponentially weighted
** moving averages, EWMA_t = lambda * load_t + (1 - lambda) * EWMA_t-1, with
** lambda = 2 / (N + 1), N = 7 days (acute) and 28 days (chronic).
** Gabbett 2016, Br J Sports Med 50:273-80, proposed 0.8-1.3 as a "sweet
** spot" and >= 1.5 as a "danger zone".
** Impellizzeri et al. 2020, Sports Med: dividing acute load by random
** "chronic" loads reproduced the published odds ratios; prediction barely
** above chance (c-statistic 0.57).  Also mathematical coupling of the two
** windows (BJSM 53:921; Lolli et al., authors unverified).  In runners,
** Frandsen 2025 found an inverse relation.  Disputed: always "info", never
** a reason for advice.
** ===================================================================== */
const int gk__acwr_acute_days = 7;
const int gk__acwr_chronic_days = 28;    /* also: history needed */
const double gk__acwr_sweet_low = 0.8;   /* quoted in the text only */
const double gk__acwr_sweet_high = 1.3;
const double gk__acwr_danger = 1.5;      /* the finding's threshold field */

/* ========================================================================
** load.monotony -- the same load day after day.
**
** Foster 1998, Med Sci Sports Exerc 30:1164-8 (read in secondary
** descriptions only): monotony = mean daily load over 7 days / its standard
** deviation (rest days count as 0); > 2.0 as a risk threshold (secondary
** only).  Foster's load is session RPE x minutes (Foster et al. 2001, J
** Strength Cond Res 15:109-15); gaitkeeper has no RPE, so load here is
** minutes of running.  Standard deviation: population (divide by 7).
** ===================================================================== */
const int gk__monotony_days = 7;         /* D-6 .. D */
const double gk__monotony_limit = 2.0;   /* > 2.0: caution */

/* ========================================================================
** pain.over_limit, pain.onset_earlier, pain.rising -- the pain log.
**
** "My Knee Cap" (La Trobe University; toolkit per De Oliveira Silva et al.
** 2020, JMIR): pain ideally < 2/10 during activity, never > 5/10 during
** exercise, back to baseline within 60 minutes, not worse the next
** morning.
** Silbernagel et al. 2007, Am J Sports Med 35:897-906: the pain-monitoring
** model (continue running while pain stays within limits, settles by the
** next morning and does not rise week on week) was no worse than rest, in
** 38 patients with Achilles tendinopathy.  Its use for patellofemoral pain
** is extrapolated.
** Piva et al. 2009, J Rehabil Med: the smallest important change on the
** 0-10 numeric pain scale is 1.16 points.
** ===================================================================== */
const int gk__pain_window_days = 14;     /* entries on D-13 .. D */
const int gk__pain_during_limit = 5;     /* > 5/10 during: warning */
const int gk__pain_morning_lookback_days = 7; /* the "morning before" comes
                                            from an entry at most 7 days
                                            earlier */
const int gk__onset_entries = 3;         /* the last 3 entries with an
                                            onset, strictly decreasing */
const int gk__onset_window_days = 28;    /* ... all on D-27 .. D */
const int gk__pain_rising_days = 7;      /* mean D-6..D above D-13..D-7 */
const double gk__pain_nprs_mcid = 1.16;  /* quoted in the note only */

/* ========================================================================
** Cadence against speed (a report field, not a finding).
**
** Cadence rises with speed: about 169 steps/min at 2.68 m/s, 172 at 3.16,
** 178 at 3.83 (Leacox et al. 2025, secondary summary).  Set cadence
** targets relative to the runner's own baseline (+5-10%), not a fixed 180:
** Heiderscheit et al. 2011, Med Sci Sports Exerc 43:296-302 (+5% and +10%
** cut knee energy absorption).  Comparing cadence at one reference speed
** keeps runs at different paces comparable.
** ===================================================================== */
const int gk__cadence_window_days = 90;  /* runs on D-89 .. D */
const int gk__cadence_min_runs = 5;      /* fewer: no line */
const double gk__cadence_ref_speed_mps = 3.0;
const char *const gk__cadence_source =
    "Leacox et al. 2025 (secondary summary: cadence rises with speed); "
    "Heiderscheit et al. 2011 (MSSE 43:296-302: targets relative to the "
    "runner's own baseline, +5-10%)";

/* ---- the rules: code, evidence, caveat ----------------------------------- */

const gk__load_rule gk__load_rules[GK__R_COUNT] = {
    [GK__R_SPIKE] =
        {"load.single_run_spike", "Frandsen et al. 2025 (BJSM 59:1203-10)",
         NULL},
    [GK__R_RAMP] =
        {"load.two_week_ramp", "Nielsen et al. 2014 (JOSPT)",
         "borderline: HR 1.59, 95% CI 0.96-2.66, P=0.07 for distance-related "
         "injuries in novices; overall injury rates did not differ by weekly "
         "progression"},
    [GK__R_REST_GAP] =
        {"load.rest_gap",
         "Mujika & Padilla 2001 (MSSE 33:413-21); Mujika & Padilla 2000 "
         "(Sports Med 30:145-54)",
         "indirect: general detraining evidence from reviews, not specific "
         "to knee pain"},
    [GK__R_RESTART] =
        {"load.restart_after_rest",
         "Mujika & Padilla 2001 (MSSE 33:413-21); Frandsen et al. 2025 "
         "(BJSM 59:1203-10)",
         "untested: combines detraining evidence with the load-spike "
         "findings; no study tested this rule directly"},
    [GK__R_ACWR] =
        {"load.acwr",
         "Williams et al. 2017 (BJSM 51:209); Gabbett 2016 (BJSM 50:273-80); "
         "Impellizzeri et al. 2020 (Sports Med)",
         "disputed: random 'chronic' loads reproduce its reported injury "
         "associations and it predicts injury barely better than chance "
         "(Impellizzeri et al. 2020); information only, never a reason for "
         "advice on its own"},
    [GK__R_MONOTONY] =
        {"load.monotony", "Foster 1998 (MSSE 30:1164-8)",
         "secondary source only: the formula and the 2.0 threshold were read "
         "in secondary descriptions; load is minutes of running, not RPE x "
         "minutes (no effort rating is recorded)"},
    [GK__R_PAIN_OVER] =
        {"pain.over_limit",
         "My Knee Cap, La Trobe University (De Oliveira Silva et al. 2020, "
         "JMIR); Silbernagel et al. 2007 (AJSM 35:897-906)",
         "extrapolated: the pain-monitoring model was tested in Achilles "
         "tendinopathy (Silbernagel 2007), not patellofemoral pain; the "
         "5/10 limit is La Trobe's clinical advice"},
    [GK__R_PAIN_ONSET] =
        {"pain.onset_earlier",
         "Silbernagel et al. 2007 (AJSM 35:897-906); My Knee Cap, La Trobe "
         "University",
         "untested: a heuristic from the pain-monitoring model; where pain "
         "starts also depends on route, pace and the day"},
    [GK__R_PAIN_RISING] =
        {"pain.rising",
         "Silbernagel et al. 2007 (AJSM 35:897-906); Piva et al. 2009 "
         "(J Rehabil Med)",
         "extrapolated: week-on-week pain rule from Achilles tendinopathy; "
         "a rise under about 1.2 points (the smallest change that matters "
         "on a 0-10 scale, Piva et al. 2009) may be day-to-day variation"},
};
