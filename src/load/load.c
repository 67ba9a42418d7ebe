/*
** load.c -- training load and pain analysis (gk_load_analyze).
**
** Plan, then run: one pass over the runs fills a day array spanning the
** history (first run's day .. the analysed day D): per day the distance,
** the time, the number of runs and the longest run.  Every rule then reads
** that array (windows of at most 30 days per run checked), so the analysis
** is O(runs + days + pain entries x log) with a fixed number of
** allocations: the day array, the report's arrays and one index of the
** pain log.  The thresholds and their evidence are in load_rules.c; the
** definitions in docs/METRICS.md.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "gaitkeeper/load.h"
#include "load_internal.h"

/* One UTC day of the history. */
typedef struct day_acc {
  double dist;    /* metres, runs with a valid distance */
  double dur;     /* seconds, runs with a valid duration */
  double longest; /* longest single run, metres; -1 when none */
  int runs;
} day_acc;

typedef struct ctx {
  const gk_load_run *runs;
  size_t n_runs;
  const gk_pain_entry *pain;
  size_t n_pain;
  int64_t day;   /* D */
  int64_t first; /* first day of the history (first run's day) */
  int64_t oldest; /* runs before this day are ignored */
  size_t ndays;  /* D - first + 1, 0 without runs */
  day_acc *d;    /* d[k] is day first + k */
  gk_load_report *out;
  size_t cap_findings;
} ctx;

/* ---- helpers ------------------------------------------------------------ */

static int valid_len(double x) { return isfinite(x) && x >= 0; }
static int valid_score(int s) { return s >= 0 && s <= 10; }

/* Is run r part of the analysis?  Stores its day. */
static int run_day(const ctx *c, const gk_load_run *r, int64_t *dd) {
  int64_t t = gk_day_of_time(r->start_time);
  if (t > c->day || t < c->oldest) return 0;
  *dd = t;
  return 1;
}

static const day_acc *day_at(const ctx *c, int64_t dd) {
  static const day_acc none = {0, 0, -1, 0};
  if (c->ndays == 0 || dd < c->first || dd > c->day) return &none;
  return &c->d[dd - c->first];
}

/* Sum of distances on days [from, to], clipped to the history. */
static double sum_dist(const ctx *c, int64_t from, int64_t to) {
  double s = 0;
  if (c->ndays == 0) return 0;
  if (from < c->first) from = c->first;
  if (to > c->day) to = c->day;
  for (int64_t k = from; k <= to; k++) s += c->d[k - c->first].dist;
  return s;
}

/* Longest single run on days [from, to]; -1 when none. */
static double max_run(const ctx *c, int64_t from, int64_t to) {
  double m = -1;
  if (c->ndays == 0) return -1;
  if (from < c->first) from = c->first;
  if (to > c->day) to = c->day;
  for (int64_t k = from; k <= to; k++)
    if (c->d[k - c->first].longest > m) m = c->d[k - c->first].longest;
  return m;
}

static const char *ymd(int64_t day, char out[11]) {
  return gk_day_format(day, out);
}

static double km(double m) { return m / 1000.0; }

/* Append a finding (room was reserved; grows by doubling if an estimate was
   short).  Returns NULL on allocation failure. */
static gk_finding *add_finding(ctx *c, int rule, gk_severity sev,
                               double value, double threshold,
                               int64_t activity_id, int64_t from,
                               int64_t to) {
  gk_load_report *o = c->out;
  if (o->n_findings == c->cap_findings) {
    size_t ncap = c->cap_findings ? c->cap_findings * 2 : 16, bytes;
    if (!gk__mul_ok(ncap, sizeof *o->findings, &bytes)) return NULL;
    gk_finding *nf = (gk_finding *)realloc(o->findings, bytes);
    if (nf == NULL) return NULL;
    o->findings = nf;
    c->cap_findings = ncap;
  }
  gk_finding *f = &o->findings[o->n_findings++];
  memset(f, 0, sizeof *f);
  f->code = gk__load_rules[rule].code;
  f->severity = sev;
  f->value = value;
  f->threshold = threshold;
  f->activity_id = activity_id;
  f->date_from = from;
  f->date_to = to;
  f->source = gk__load_rules[rule].source;
  f->evidence_note = gk__load_rules[rule].evidence_note;
  return f;
}

#define TEXT(f, ...) snprintf((f)->text, sizeof (f)->text, __VA_ARGS__)

/* ---- weekly volume ------------------------------------------------------ */

static gk_status weekly(ctx *c) {
  gk_load_report *o = c->out;
  if (c->ndays == 0) return GK_OK;
  int64_t w0 = gk_day_week_start(c->first), w1 = gk_day_week_start(c->day);
  size_t n = (size_t)((w1 - w0) / 7 + 1);
  o->weekly = (gk_load_week *)calloc(n, sizeof *o->weekly);
  if (o->weekly == NULL) return GK_E_NOMEM;
  o->n_weekly = n;
  for (size_t i = 0; i < n; i++) o->weekly[i].week_start = w0 + 7 * (int64_t)i;
  for (size_t k = 0; k < c->ndays; k++) {
    int64_t dd = c->first + (int64_t)k;
    gk_load_week *w = &o->weekly[(dd - w0) / 7];
    w->distance_m += c->d[k].dist;
    w->duration_s += c->d[k].dur;
    w->runs += c->d[k].runs;
  }
  return GK_OK;
}

/* ---- load.single_run_spike ---------------------------------------------- */

static gk_status spikes(ctx *c) {
  const double tol = gk__ratio_tolerance;
  int64_t from = c->day - (gk__spike_window_days - 1);
  for (size_t i = 0; i < c->n_runs; i++) {
    const gk_load_run *r = &c->runs[i];
    int64_t rd;
    if (!run_day(c, r, &rd) || rd < from) continue;
    if (!valid_len(r->distance_m) || r->distance_m <= 0) continue;
    double ref = max_run(c, rd - gk__spike_lookback_days, rd - 1);
    if (ref <= 0) continue; /* no reference run: nothing to compare with */
    double ratio = r->distance_m / ref;
    if (!(ratio > gk__spike_ratio + tol)) continue;
    double hrr;
    const char *band;
    gk_severity sev = GK_SEV_CAUTION;
    if (ratio > gk__spike_warning_ratio + tol) {
      sev = GK_SEV_WARNING;
      hrr = gk__spike_hrr_band3;
      band = "more than twice as long as";
    } else if (ratio > gk__spike_band2_ratio + tol) {
      hrr = gk__spike_hrr_band2;
      band = "30-100% longer than";
    } else {
      hrr = gk__spike_hrr_band1;
      band = "10-30% longer than";
    }
    gk_finding *f = add_finding(c, GK__R_SPIKE, sev, ratio, gk__spike_ratio,
                                r->id, rd, rd);
    if (f == NULL) return GK_E_NOMEM;
    char d1[11];
    TEXT(f,
         "Your run on %s (%.1f km) was %.*f%% longer than your longest run "
         "in the %d days before it (%.1f km). In a study of 5,205 runners, "
         "runs %s the recent longest came with an injury rate %.2f times as "
         "high. Build up long runs in steps of 10%% or less.",
         ymd(rd, d1), km(r->distance_m),
         ratio < 1.11 ? 2 : ratio < 1.2 ? 1 : 0, /* 10.01%, not 10% */
         (ratio - 1) * 100,
         gk__spike_lookback_days, km(ref), band, hrr);
  }
  return GK_OK;
}

/* ---- load.two_week_ramp ------------------------------------------------- */

static gk_status ramp(ctx *c) {
  const int p = gk__ramp_period_days;
  int64_t d = c->day;
  if (c->ndays == 0 || c->first > d - (2 * p - 1)) return GK_OK;
  double last = sum_dist(c, d - (p - 1), d);
  double prev = sum_dist(c, d - (2 * p - 1), d - p);
  if (!(prev > 0)) return GK_OK;
  double ratio = last / prev;
  c->out->two_week_ratio = ratio;
  if (!(ratio > gk__ramp_ratio + gk__ratio_tolerance)) return GK_OK;
  gk_finding *f = add_finding(c, GK__R_RAMP, GK_SEV_CAUTION, ratio,
                              gk__ramp_ratio, 0, d - (p - 1), d);
  if (f == NULL) return GK_E_NOMEM;
  char d1[11], d2[11];
  TEXT(f,
       "You ran %.1f km in the last 2 weeks (%s to %s), %.0f%% more than in "
       "the 2 weeks before (%.1f km). In novice runners, more than 30%% over "
       "2 weeks was linked to more overuse injuries such as runner's knee, "
       "but the link was borderline and may be chance.",
       km(last), ymd(d - (p - 1), d1), ymd(d, d2), (ratio - 1) * 100,
       km(prev));
  return GK_OK;
}

/* ---- load.rest_gap and load.restart_after_rest -------------------------- */

static const char *detraining_text(int64_t rest) {
  if (rest > gk__detrain_vo2max_days)
    return "After more than 4 weeks off, recently gained aerobic fitness "
           "(VO2max) is largely lost.";
  if (rest > gk__detrain_metabolic_days)
    return "After about 10 days off, measurable losses of fitness "
           "(metabolic changes) have begun.";
  return "Little fitness is lost in a break this short, though metabolic "
         "changes begin within about 10 days.";
}

/* A gap of rest days [g0, g1] (no run on any of them). */
static gk_status rest_gap(ctx *c, int64_t g0, int64_t g1, int ongoing) {
  int64_t rest = g1 - g0 + 1;
  gk_severity sev =
      rest > gk__detrain_vo2max_days ? GK_SEV_CAUTION : GK_SEV_INFO;
  gk_finding *f = add_finding(c, GK__R_REST_GAP, sev, (double)rest,
                              (double)gk__rest_gap_days, 0, g0, g1);
  if (f == NULL) return GK_E_NOMEM;
  char d1[11], d2[11];
  if (ongoing)
    TEXT(f, "You have not run for %lld days (last run %s). %s Restart "
            "below your previous volume and build up.",
         (long long)rest, ymd(g0 - 1, d1), detraining_text(rest));
  else
    TEXT(f, "You did not run for %lld days (%s to %s). %s",
         (long long)rest, ymd(g0, d1), ymd(g1, d2), detraining_text(rest));
  return GK_OK;
}

/* The restart after a gap: last run before it on day a, first after on b. */
static gk_status restart(ctx *c, int64_t a, int64_t b) {
  const double tol = gk__ratio_tolerance;
  int64_t rest = b - a - 1;
  int64_t end = b + (gk__restart_week_days - 1);
  if (end > c->day) end = c->day;
  double pre_week = sum_dist(c, a - (gk__restart_week_days - 1), a);
  double pre_long = max_run(c, a - (gk__restart_lookback_days - 1), a);
  double post_week = sum_dist(c, b, end);
  double post_long = max_run(c, b, end);
  double week_ratio = pre_week > 0 ? post_week / pre_week : NAN;
  double run_ratio =
      pre_long > 0 && post_long >= 0 ? post_long / pre_long : NAN;
  int by_week = week_ratio >= gk__restart_ratio - tol;
  int by_run = run_ratio >= gk__restart_ratio - tol;
  if (!by_week && !by_run) return GK_OK;

  /* The run that matched the longest before the gap: the earliest such. */
  int64_t act = 0, act_t = 0, act_day = 0;
  int have = 0;
  double act_dist = 0;
  if (by_run) {
    for (size_t i = 0; i < c->n_runs; i++) {
      const gk_load_run *r = &c->runs[i];
      int64_t rd;
      if (!run_day(c, r, &rd) || rd < b || rd > end) continue;
      if (!valid_len(r->distance_m) ||
          r->distance_m < pre_long * (gk__restart_ratio - tol))
        continue;
      if (!have || r->start_time < act_t) {
        have = 1;
        act = r->id;
        act_t = r->start_time;
        act_day = rd;
        act_dist = r->distance_m;
      }
    }
  }
  double value = by_week && by_run ? fmax(week_ratio, run_ratio)
                 : by_week         ? week_ratio
                                   : run_ratio;
  gk_severity sev =
      rest > gk__detrain_vo2max_days ? GK_SEV_WARNING : GK_SEV_CAUTION;
  gk_finding *f = add_finding(c, GK__R_RESTART, sev, value,
                              gk__restart_ratio, act, b, end);
  if (f == NULL) return GK_E_NOMEM;
  char d1[11], d2[11];
  const char *advice =
      "Fitness falls during a break, so coming back at your old load is a "
      "bigger step than it looks: start lower and build up.";
  if (by_week && have)
    TEXT(f,
         "After %lld days off you ran %.1f km in your first week back (from "
         "%s), as much as or more than the week before the break (%.1f km), "
         "and your %.1f km run on %s was at least as long as your longest "
         "before it (%.1f km). %s",
         (long long)rest, km(post_week), ymd(b, d1), km(pre_week),
         km(act_dist), ymd(act_day, d2), km(pre_long), advice);
  else if (by_week)
    TEXT(f,
         "After %lld days off you ran %.1f km in your first week back (from "
         "%s), as much as or more than the week before the break (%.1f km). "
         "%s",
         (long long)rest, km(post_week), ymd(b, d1), km(pre_week), advice);
  else
    TEXT(f,
         "After %lld days off, your %.1f km run on %s was as long as or "
         "longer than your longest run in the %d days before the break "
         "(%.1f km). %s",
         (long long)rest, km(act_dist), ymd(act_day, d1),
         gk__restart_lookback_days, km(pre_long), advice);
  /* The knee pain that followed: the first painful entry of the log on or
     after the restart. */
  int64_t first_pain = INT64_MAX;
  for (size_t i = 0; i < c->n_pain; i++) {
    const gk_pain_entry *e = &c->pain[i];
    if (e->day < b || e->day > c->day || e->day >= first_pain) continue;
    if ((valid_score(e->during) && e->during > 0) ||
        (valid_score(e->after) && e->after > 0) ||
        (valid_score(e->morning) && e->morning > 0))
      first_pain = e->day;
  }
  if (first_pain != INT64_MAX) {
    size_t used = strlen(f->text);
    snprintf(f->text + used, sizeof f->text - used,
             " Your knee pain log starts on %s, %lld days after this "
             "restart.",
             ymd(first_pain, d1), (long long)(first_pain - b));
  }
  return GK_OK;
}

static gk_status gaps(ctx *c) {
  if (c->ndays == 0) return GK_OK;
  gk_load_report *o = c->out;
  int64_t window = c->day - (gk__rest_window_days - 1);
  int64_t last = INT64_MIN, newest_a = INT64_MIN, newest_b = INT64_MIN;
  gk_status st;
  for (size_t k = 0; k < c->ndays; k++) {
    if (c->d[k].runs == 0) continue;
    int64_t b = c->first + (int64_t)k;
    if (last != INT64_MIN && b - last - 1 > gk__rest_gap_days) {
      newest_a = last;
      newest_b = b;
      if (b - 1 >= window) {
        if ((st = rest_gap(c, last + 1, b - 1, 0)) != GK_OK) return st;
        if ((st = restart(c, last, b)) != GK_OK) return st;
      }
    }
    last = b;
  }
  /* The newest break ended before the window: its restart still matters
     while it is recent (a restart at full volume is often how the pain
     began, weeks before the visit). */
  if (newest_b != INT64_MIN && newest_b - 1 < window &&
      newest_b > c->day - gk__restart_relevant_days &&
      (st = restart(c, newest_a, newest_b)) != GK_OK)
    return st;
  if (newest_b != INT64_MIN) {
    o->break_from = newest_a + 1;
    o->break_to = newest_b - 1;
  }
  /* The gap still going on: the days after the last run, day D included. */
  if (c->day - last > gk__rest_gap_days) {
    o->break_from = last + 1;
    o->break_to = c->day;
    o->break_ongoing = 1;
    return rest_gap(c, last + 1, c->day, 1);
  }
  double m = max_run(c, o->break_to != INT64_MIN &&
                                o->break_to + 1 > c->day - gk__spike_lookback_days
                            ? o->break_to + 1
                            : c->day - gk__spike_lookback_days,
                     c->day - 1);
  if (m >= 0) o->longest_run_30d_since_break_m = m;
  return GK_OK;
}

/* ---- load.acwr ---------------------------------------------------------- */

static gk_status acwr(ctx *c) {
  const int nc = gk__acwr_chronic_days;
  if (c->ndays < (size_t)nc) return GK_OK;
  const double la = 2.0 / (gk__acwr_acute_days + 1);
  const double lc = 2.0 / (nc + 1);
  double a = 0, ch = 0; /* both start at 0 the day before the first run */
  for (size_t k = 0; k < c->ndays; k++) {
    a = la * c->d[k].dist + (1 - la) * a;
    ch = lc * c->d[k].dist + (1 - lc) * ch;
  }
  if (!(ch > 0)) return GK_OK;
  double r = a / ch;
  c->out->acwr = r;
  gk_finding *f = add_finding(c, GK__R_ACWR, GK_SEV_INFO, r, gk__acwr_danger,
                              0, c->day - (nc - 1), c->day);
  if (f == NULL) return GK_E_NOMEM;
  TEXT(f,
       "Your acute:chronic workload ratio is %.2f (the last week's running "
       "distance against the last 4 weeks', as weighted averages). Zones of "
       "%.1f-%.1f (\"sweet spot\") and %.1f or more (\"danger\") were "
       "proposed, but later work showed the ratio predicts injury barely "
       "better than chance; it is shown for information only.",
       r, gk__acwr_sweet_low, gk__acwr_sweet_high, gk__acwr_danger);
  return GK_OK;
}

/* ---- load.monotony ------------------------------------------------------ */

static gk_status monotony(ctx *c) {
  const int n = gk__monotony_days;
  int64_t d = c->day;
  if (c->ndays == 0 || c->first > d - (n - 1)) return GK_OK;
  double sum = 0, sq = 0;
  for (int64_t k = d - (n - 1); k <= d; k++) {
    double m = day_at(c, k)->dur / 60.0; /* minutes */
    sum += m;
    sq += m * m;
  }
  double mean = sum / n;
  if (!(mean > 0)) return GK_OK;
  double var = sq / n - mean * mean;
  double sd = var > 0 ? sqrt(var) : 0;
  double mono = sd > 1e-9 * mean ? mean / sd : INFINITY;
  c->out->monotony = mono;
  if (!(mono > gk__monotony_limit)) return GK_OK;
  gk_finding *f = add_finding(c, GK__R_MONOTONY, GK_SEV_CAUTION, mono,
                              gk__monotony_limit, 0, d - (n - 1), d);
  if (f == NULL) return GK_E_NOMEM;
  char mtext[32];
  if (isinf(mono)) snprintf(mtext, sizeof mtext, "at its maximum");
  else snprintf(mtext, sizeof mtext, "%.2f", mono);
  TEXT(f,
       "Your training monotony over the last 7 days is %s (average daily "
       "running time divided by how much it varies from day to day; above "
       "%.1f is high). Very even loads with little contrast between easier, "
       "harder and rest days have been linked with overtraining and "
       "illness. Mix easy or rest days between harder ones.",
       mtext, gk__monotony_limit);
  return GK_OK;
}

/* ---- pain --------------------------------------------------------------- */

/* The worst score an entry gives (during, after, morning); -1 when none. */
static int worst(const gk_pain_entry *e) {
  int w = -1;
  if (valid_score(e->during) && e->during > w) w = e->during;
  if (valid_score(e->after) && e->after > w) w = e->after;
  if (valid_score(e->morning) && e->morning > w) w = e->morning;
  return w;
}

/* Sort the pain log's index by day, then id, keeping input order for ties
   (a stable bottom-up merge sort with a scratch array: qsort would need a
   file-level pointer to the entries, which is not thread-safe). */
static void sort_index(size_t *idx, size_t *tmp, size_t n,
                       const gk_pain_entry *base) {
  for (size_t w = 1; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n;
      size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const gk_pain_entry *a = &base[idx[i]], *b = &base[idx[j]];
        int le = a->day < b->day || (a->day == b->day && a->id <= b->id);
        tmp[k++] = le ? idx[i++] : idx[j++];
      }
      while (i < mid) tmp[k++] = idx[i++];
      while (j < hi) tmp[k++] = idx[j++];
    }
    memcpy(idx, tmp, n * sizeof *idx);
  }
}

double gk_pain_mic(const char **source) {
  gk__load_rules_init();
  if (source != NULL)
    *source = "Piva et al. 2009 (J Rehabil Med): the smallest important "
              "change on the 0-10 numeric pain scale";
  return gk__pain_nprs_mcid;
}

unsigned gk_pain_flare(const gk_pain_entry *pain, size_t n,
                       const gk_pain_entry *e,
                       const gk_pain_entry **before) {
  if (before != NULL) *before = NULL;
  if (e == NULL || (pain == NULL && n > 0)) return 0;
  gk__load_rules_init();
  unsigned m = 0;
  if (valid_score(e->during) && e->during > gk__pain_during_limit)
    m |= GK_PAIN_FLARE_DURING;
  if (!valid_score(e->morning)) return m;
  /* The morning before: the latest earlier-day entry (by day, then id)
     with a morning score, at most the lookback before. */
  const gk_pain_entry *p = NULL;
  for (size_t i = 0; i < n; i++) {
    const gk_pain_entry *q = &pain[i];
    if (q->day >= e->day || e->day - q->day > gk__pain_morning_lookback_days ||
        !valid_score(q->morning))
      continue;
    if (p == NULL || q->day > p->day || (q->day == p->day && q->id > p->id))
      p = q;
  }
  if (p != NULL && e->morning > p->morning) {
    m |= GK_PAIN_FLARE_MORNING;
    if (before != NULL) *before = p;
  }
  return m;
}

static gk_status pain_rules(ctx *c) {
  int64_t d = c->day;
  size_t n = 0;
  for (size_t i = 0; i < c->n_pain; i++)
    if (c->pain[i].day <= d) n++;
  if (n == 0) return GK_OK;
  size_t *idx = (size_t *)malloc(2 * n * sizeof *idx);
  if (idx == NULL) return GK_E_NOMEM;
  size_t *tmp = idx + n;
  n = 0;
  for (size_t i = 0; i < c->n_pain; i++)
    if (c->pain[i].day <= d) idx[n++] = i;
  sort_index(idx, tmp, n, c->pain);

  gk_status st = GK_OK;
  char d1[11], d2[11];
  int64_t win = d - (gk__pain_window_days - 1);

  /* pain.over_limit: pain during > limit, or morning worse than before. */
  for (size_t k = 0; k < n; k++) {
    const gk_pain_entry *e = &c->pain[idx[k]];
    if (e->day < win) continue;
    const gk_pain_entry *p = NULL;
    unsigned flare = gk_pain_flare(c->pain, c->n_pain, e, &p);
    if (flare & GK_PAIN_FLARE_DURING) {
      gk_finding *f = add_finding(c, GK__R_PAIN_OVER, GK_SEV_WARNING,
                                  e->during, gk__pain_during_limit,
                                  e->activity_id, e->day, e->day);
      if (f == NULL) goto nomem;
      TEXT(f,
           "On %s you rated your knee pain during running %d/10, above the "
           "%d/10 limit knee-pain programmes advise (ideally under 2/10). "
           "Make the next runs shorter or easier until pain during running "
           "stays at %d/10 or less.",
           ymd(e->day, d1), e->during, gk__pain_during_limit,
           gk__pain_during_limit);
    }
    if (flare & GK_PAIN_FLARE_MORNING) {
      gk_finding *f = add_finding(c, GK__R_PAIN_OVER, GK_SEV_CAUTION,
                                  e->morning, p->morning, e->activity_id,
                                  e->day, e->day);
      if (f == NULL) goto nomem;
      TEXT(f,
           "The morning after %s your knee pain was %d/10, worse than the "
           "morning before (%d/10, logged with %s). Pain should settle by "
           "the next morning; when it is worse, the load was too much: "
           "reduce the next run.",
           ymd(e->day, d1), e->morning, p->morning, ymd(p->day, d2));
    }
  }

  /* pain.onset_earlier: the last N entries with an onset, strictly
     decreasing, all within the window. */
  {
    const int need = gk__onset_entries < 2   ? 2
                     : gk__onset_entries > 8 ? 8
                                             : gk__onset_entries;
    const gk_pain_entry *last[8];
    int got = 0;
    for (size_t k = n; k-- > 0 && got < need;) {
      const gk_pain_entry *e = &c->pain[idx[k]];
      if (isfinite(e->onset_km) && e->onset_km >= 0) last[got++] = e;
    }
    int64_t owin = d - (gk__onset_window_days - 1);
    if (got == need && last[need - 1]->day >= owin) {
      int dec = 1;
      for (int i = 0; i + 1 < need; i++) /* last[0] is the newest */
        if (!(last[i]->onset_km < last[i + 1]->onset_km)) dec = 0;
      if (dec) {
        const gk_pain_entry *nw = last[0], *old = last[need - 1];
        gk_finding *f = add_finding(c, GK__R_PAIN_ONSET, GK_SEV_CAUTION,
                                    nw->onset_km, old->onset_km,
                                    nw->activity_id, old->day, nw->day);
        if (f == NULL) goto nomem;
        TEXT(f,
             "Knee pain started earlier in each of your last %d logged runs "
             "that say where it began: from %.1f km (%s) down to %.1f km "
             "(%s). Pain coming on sooner suggests the knee tolerates less "
             "at the moment: shorten or ease your runs.",
             need, old->onset_km, ymd(old->day, d1), nw->onset_km,
             ymd(nw->day, d2));
      }
    }
  }

  /* pain.rising: mean worst pain of the last 7 days above the 7 before. */
  {
    const int p = gk__pain_rising_days;
    double s1 = 0, s0 = 0;
    int n1 = 0, n0 = 0;
    for (size_t k = 0; k < n; k++) {
      const gk_pain_entry *e = &c->pain[idx[k]];
      int w = worst(e);
      if (w < 0) continue;
      if (e->day >= d - (p - 1)) s1 += w, n1++;
      else if (e->day >= d - (2 * p - 1)) s0 += w, n0++;
    }
    if (n1 > 0 && n0 > 0 && s1 / n1 > s0 / n0 + 1e-12) {
      double m1 = s1 / n1, m0 = s0 / n0;
      gk_finding *f = add_finding(c, GK__R_PAIN_RISING, GK_SEV_CAUTION, m1,
                                  m0, 0, d - (2 * p - 1), d);
      if (f == NULL) goto nomem;
      TEXT(f,
           "Your average knee pain over the last 7 days (%.1f/10, %d "
           "%s) is higher than in the 7 days before (%.1f/10, %d %s). Pain "
           "should not rise from week to week: reduce your running load.%s",
           m1, n1, n1 == 1 ? "entry" : "entries", m0, n0,
           n0 == 1 ? "entry" : "entries",
           m1 - m0 < gk__pain_nprs_mcid
               ? " The rise is small and may be day-to-day variation."
               : "");
    }
  }
  goto done;
nomem:
  st = GK_E_NOMEM;
done:
  free(idx);
  return st;
}

/* ---- cadence against speed ---------------------------------------------- */

static int cadence_ok(const gk_load_run *r) {
  return isfinite(r->avg_cadence_spm) && r->avg_cadence_spm > 0 &&
         isfinite(r->avg_speed_mps) && r->avg_speed_mps > 0;
}

static gk_status cadence(ctx *c) {
  gk_load_report *o = c->out;
  gk_cadence_fit *fit = &o->cadence;
  int64_t from = c->day - (gk__cadence_window_days - 1);
  fit->window_from = from;
  size_t n = 0;
  for (size_t i = 0; i < c->n_runs; i++) {
    int64_t rd;
    if (run_day(c, &c->runs[i], &rd) && rd >= from && cadence_ok(&c->runs[i]))
      n++;
  }
  if (n == 0) return GK_OK;
  gk_cadence_point *pt = (gk_cadence_point *)malloc(n * sizeof *pt);
  if (pt == NULL) return GK_E_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < c->n_runs; i++) {
    const gk_load_run *r = &c->runs[i];
    int64_t rd;
    if (!run_day(c, r, &rd) || rd < from || !cadence_ok(r)) continue;
    /* insertion by start time, then id (runs usually come sorted) */
    size_t j = k++;
    while (j > 0 && (pt[j - 1].start_time > r->start_time ||
                     (pt[j - 1].start_time == r->start_time &&
                      pt[j - 1].activity_id > r->id))) {
      pt[j] = pt[j - 1];
      j--;
    }
    pt[j].activity_id = r->id;
    pt[j].start_time = r->start_time;
    pt[j].speed_mps = r->avg_speed_mps;
    pt[j].cadence_spm = r->avg_cadence_spm;
  }
  o->cadence_points = pt;
  o->n_cadence_points = n;

  double sx = 0, sy = 0, lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    sx += pt[i].speed_mps;
    sy += pt[i].cadence_spm;
    lo = fmin(lo, pt[i].speed_mps);
    hi = fmax(hi, pt[i].speed_mps);
  }
  double mx = sx / n, my = sy / n, sxx = 0, sxy = 0, syy = 0;
  for (size_t i = 0; i < n; i++) {
    double dx = pt[i].speed_mps - mx, dy = pt[i].cadence_spm - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  fit->n = n;
  fit->mean_cadence_spm = my;
  fit->speed_min_mps = lo;
  fit->speed_max_mps = hi;
  if (n >= (size_t)gk__cadence_min_runs && sxx > 1e-12 * n) {
    fit->slope_spm_per_mps = sxy / sxx;
    fit->intercept_spm = my - fit->slope_spm_per_mps * mx;
    fit->r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1.0;
    fit->cadence_at_ref_spm =
        fit->intercept_spm + fit->slope_spm_per_mps * fit->ref_speed_mps;
    fit->ref_extrapolated =
        fit->ref_speed_mps < lo || fit->ref_speed_mps > hi;
  }
  return GK_OK;
}

/* ---- sorting findings --------------------------------------------------- */

static int cmp_finding(const void *x, const void *y) {
  const gk_finding *a = (const gk_finding *)x, *b = (const gk_finding *)y;
  if (a->severity != b->severity) return a->severity > b->severity ? -1 : 1;
  if (a->date_to != b->date_to) return a->date_to > b->date_to ? -1 : 1;
  int s = strcmp(a->code, b->code);
  if (s) return s;
  if (a->activity_id != b->activity_id)
    return a->activity_id < b->activity_id ? -1 : 1;
  if (a->date_from != b->date_from) return a->date_from > b->date_from ? -1 : 1;
  if (a->value > b->value) return -1;
  if (a->value < b->value) return 1;
  return 0;
}

/* ---- entry points ------------------------------------------------------- */

void gk_load_report_free(gk_load_report *r) {
  if (r == NULL) return;
  free(r->weekly);
  free(r->findings);
  free(r->cadence_points);
  memset(r, 0, sizeof *r);
}

static void report_init(gk_load_report *o, int64_t day) {
  memset(o, 0, sizeof *o);
  o->day = day;
  o->first_run_day = INT64_MIN;
  o->last_run_day = INT64_MIN;
  o->longest_run_30d_m = NAN;
  o->break_from = o->break_to = INT64_MIN;
  o->longest_run_30d_since_break_m = NAN;
  o->two_week_ratio = NAN;
  o->acwr = NAN;
  o->monotony = NAN;
  o->cadence.slope_spm_per_mps = NAN;
  o->cadence.intercept_spm = NAN;
  o->cadence.r2 = NAN;
  o->cadence.mean_cadence_spm = NAN;
  o->cadence.speed_min_mps = NAN;
  o->cadence.speed_max_mps = NAN;
  o->cadence.ref_speed_mps = gk__cadence_ref_speed_mps;
  o->cadence.cadence_at_ref_spm = NAN;
  o->cadence.source = gk__cadence_source;
}

gk_status gk_load_analyze(const gk_load_run *runs, size_t n_runs,
                          const gk_pain_entry *pain, size_t n_pain,
                          int64_t day, gk_load_report *out) {
  if (out == NULL) return GK_E_ARG;
  const char *rules_problem = gk__load_rules_init(); /* before report_init:
                                                        it reads the rules */
  report_init(out, day);
  if ((runs == NULL && n_runs) || (pain == NULL && n_pain) ||
      day < GK_DAY_MIN || day > GK_DAY_MAX)
    return GK_E_ARG;
  if (rules_problem != NULL) return GK_E_CORRUPT;

  ctx c;
  memset(&c, 0, sizeof c);
  c.runs = runs;
  c.n_runs = n_runs;
  c.pain = pain;
  c.n_pain = n_pain;
  c.day = day;
  c.oldest = day - (GK_LOAD_MAX_HISTORY_DAYS - 1);
  c.out = out;

  /* Pass 1: the history's span and how many runs are recent. */
  int64_t first = INT64_MAX, last = INT64_MIN;
  size_t recent = 0, used = 0;
  for (size_t i = 0; i < n_runs; i++) {
    int64_t rd;
    if (!run_day(&c, &runs[i], &rd)) continue;
    used++;
    if (rd < first) first = rd;
    if (rd > last) last = rd;
    if (rd > day - gk__spike_window_days) recent++;
  }
  out->n_runs = used;
  gk_status st = GK_OK;
  if (used) {
    out->first_run_day = first;
    out->last_run_day = last;
    c.first = first;
    c.ndays = (size_t)(day - first + 1);
    c.d = (day_acc *)malloc(c.ndays * sizeof *c.d);
    if (c.d == NULL) return GK_E_NOMEM;
    for (size_t k = 0; k < c.ndays; k++) {
      c.d[k].dist = 0;
      c.d[k].dur = 0;
      c.d[k].longest = -1;
      c.d[k].runs = 0;
    }
    /* Pass 2: fill the days. */
    for (size_t i = 0; i < n_runs; i++) {
      const gk_load_run *r = &runs[i];
      int64_t rd;
      if (!run_day(&c, r, &rd)) continue;
      day_acc *a = &c.d[rd - first];
      a->runs++;
      if (valid_len(r->distance_m)) {
        a->dist += r->distance_m;
        if (r->distance_m > a->longest) a->longest = r->distance_m;
      }
      if (valid_len(r->duration_s)) a->dur += r->duration_s;
    }
    double m = max_run(&c, day - gk__spike_lookback_days, day - 1);
    if (m >= 0) out->longest_run_30d_m = m;
  }

  /* Room for the findings: at most one spike per recent run, a few gaps
     and restarts, the single-value rules, two per recent pain entry. */
  size_t recent_pain = 0;
  for (size_t i = 0; i < n_pain; i++)
    if (pain[i].day <= day && pain[i].day > day - gk__pain_window_days)
      recent_pain++;
  c.cap_findings = recent + 2 * recent_pain + 16;
  out->findings = (gk_finding *)malloc(c.cap_findings * sizeof *out->findings);
  if (out->findings == NULL) {
    st = GK_E_NOMEM;
    goto fail;
  }

  if ((st = weekly(&c)) != GK_OK) goto fail;
  if ((st = spikes(&c)) != GK_OK) goto fail;
  if ((st = ramp(&c)) != GK_OK) goto fail;
  if ((st = gaps(&c)) != GK_OK) goto fail;
  if ((st = acwr(&c)) != GK_OK) goto fail;
  if ((st = monotony(&c)) != GK_OK) goto fail;
  if ((st = pain_rules(&c)) != GK_OK) goto fail;
  if ((st = cadence(&c)) != GK_OK) goto fail;

  if (out->n_findings > 1)
    qsort(out->findings, out->n_findings, sizeof *out->findings, cmp_finding);
  free(c.d);
  return GK_OK;
fail:
  free(c.d);
  gk_load_report_free(out);
  report_init(out, day);
  return st;
}
