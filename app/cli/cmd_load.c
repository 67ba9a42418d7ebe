/*
** cmd_load.c -- `gaitkeeper load [--date YYYY-MM-DD] [--weeks N|all]
** [--json]`: the training-load and pain report.
**
** Reads the stored runs and the pain log, keeps the runs (sport "running",
** or unknown: many GPX files do not say; not those without a real start
** time), and runs gk_load_analyze as of --date (default today, UTC).
** Text: the weekly table (the last --weeks weeks, default 12), the longest
** run in the 30 days before the date, the load numbers, cadence against
** speed, then every finding with its evidence.  --json: one object with
** every week and every finding (null for NaN); see docs/METRICS.md.
*/
#include "cmd_load.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/activity.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"

#define DEFAULT_WEEKS 12

/* ---- JSON --------------------------------------------------------------- */

static void json_report(gk_buf *b, const gk_load_report *r,
                        const gk_history *h) {
  char iso[21];
  gk_buf_putc(b, '{');
  gk_json_key(b, "date");
  gk_json_day(b, r->day);
  gk_buf_putc(b, ',');
  gk_json_key(b, "runs");
  gk_json_u64(b, r->n_runs);
  gk_buf_putc(b, ',');
  gk_json_key(b, "first_run");
  gk_json_day(b, r->first_run_day);
  gk_buf_putc(b, ',');
  gk_json_key(b, "last_run");
  gk_json_day(b, r->last_run_day);
  gk_buf_putc(b, ',');
  gk_json_key(b, "left_out");
  gk_buf_putc(b, '{');
  gk_json_key(b, "other_sport");
  gk_json_u64(b, h->other_sport);
  gk_buf_putc(b, ',');
  gk_json_key(b, "unknown_start");
  gk_json_u64(b, h->unknown_start);
  gk_buf_puts(b, "},");
  gk_json_key(b, "unknown_sport_counted");
  gk_json_u64(b, h->unknown_sport);
  gk_buf_putc(b, ',');

  gk_json_key(b, "findings");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < r->n_findings; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_finding_write_json(&r->findings[i], b);
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "weekly");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < r->n_weekly; i++) {
    const gk_load_week *w = &r->weekly[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "week_start");
    gk_json_day(b, w->week_start);
    gk_buf_putc(b, ',');
    gk_json_key(b, "distance_m");
    gk_json_num(b, w->distance_m);
    gk_buf_putc(b, ',');
    gk_json_key(b, "duration_s");
    gk_json_num(b, w->duration_s);
    gk_buf_putc(b, ',');
    gk_json_key(b, "runs");
    gk_json_i64(b, w->runs);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");

  gk_json_key(b, "longest_run_30d_m");
  gk_json_num(b, r->longest_run_30d_m);
  gk_buf_putc(b, ',');
  gk_json_key(b, "two_week_ratio");
  gk_json_num(b, r->two_week_ratio);
  gk_buf_putc(b, ',');
  gk_json_key(b, "acwr");
  gk_json_num(b, r->acwr);
  gk_buf_putc(b, ',');
  gk_json_key(b, "monotony");
  gk_json_num(b, r->monotony); /* null also when +inf (no variation) */
  gk_buf_putc(b, ',');

  const gk_cadence_fit *c = &r->cadence;
  gk_json_key(b, "cadence_trend");
  gk_buf_putc(b, '{');
  gk_json_key(b, "window_from");
  gk_json_day(b, c->window_from);
  gk_buf_putc(b, ',');
  gk_json_key(b, "runs");
  gk_json_u64(b, c->n);
  gk_buf_putc(b, ',');
  gk_json_key(b, "slope_spm_per_mps");
  gk_json_num(b, c->slope_spm_per_mps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "intercept_spm");
  gk_json_num(b, c->intercept_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "r2");
  gk_json_num(b, c->r2);
  gk_buf_putc(b, ',');
  gk_json_key(b, "mean_cadence_spm");
  gk_json_num(b, c->mean_cadence_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "speed_min_mps");
  gk_json_num(b, c->speed_min_mps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "speed_max_mps");
  gk_json_num(b, c->speed_max_mps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "reference_speed_mps");
  gk_json_num(b, c->ref_speed_mps);
  gk_buf_putc(b, ',');
  gk_json_key(b, "cadence_at_reference_spm");
  gk_json_num(b, c->cadence_at_ref_spm);
  gk_buf_putc(b, ',');
  gk_json_key(b, "reference_extrapolated");
  gk_buf_puts(b, c->ref_extrapolated ? "true" : "false");
  gk_buf_putc(b, ',');
  gk_json_key(b, "source");
  if (c->source) gk_json_str(b, c->source);
  else gk_buf_puts(b, "null");
  gk_buf_putc(b, ',');
  gk_json_key(b, "points");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < r->n_cadence_points; i++) {
    const gk_cadence_point *p = &r->cadence_points[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "activity_id");
    gk_json_i64(b, p->activity_id);
    gk_buf_putc(b, ',');
    gk_json_key(b, "start");
    gk_json_str(b, gk_time_iso8601(p->start_time, iso));
    gk_buf_putc(b, ',');
    gk_json_key(b, "speed_mps");
    gk_json_num(b, p->speed_mps);
    gk_buf_putc(b, ',');
    gk_json_key(b, "cadence_spm");
    gk_json_num(b, p->cadence_spm);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "]}}\n");
}

/* ---- text --------------------------------------------------------------- */

/* Seconds as H:MM:SS (hours capped at 99999). */
static void hms(double s, char out[16]) {
  if (!isfinite(s) || s < 0) {
    snprintf(out, 16, "-");
    return;
  }
  if (s > 99999.0 * 3600) s = 99999.0 * 3600;
  unsigned t = (unsigned)(s + 0.5);
  snprintf(out, 16, "%u:%02u:%02u", t / 3600 % 100000, t / 60 % 60, t % 60);
}

static void text_report(FILE *out, const gk_load_report *r,
                        const gk_history *h,
                        size_t weeks) {
  char d1[11], d2[11], t[16];
  fprintf(out, "Training load as of %s (UTC days; weeks start on Monday)\n",
          gk_day_format(r->day, d1));
  if (r->n_runs == 0)
    fprintf(out, "No runs up to this date.\n");
  else
    fprintf(out, "Runs analysed: %zu, from %s to %s\n", r->n_runs,
            gk_day_format(r->first_run_day, d1),
            gk_day_format(r->last_run_day, d2));
  if (h->other_sport || h->unknown_start)
    fprintf(out,
            "Left out: %zu activities of other sports, %zu without a real "
            "start time.\n",
            h->other_sport, h->unknown_start);
  if (h->unknown_sport)
    fprintf(out, "Counted as runs: %zu activities whose sport is not "
                 "recorded.\n",
            h->unknown_sport);

  if (r->n_weekly) {
    size_t from = weeks && weeks < r->n_weekly ? r->n_weekly - weeks : 0;
    fprintf(out, "\nWeekly volume");
    if (from) fprintf(out, " (last %zu of %zu weeks; --weeks all shows every "
                           "week)", r->n_weekly - from, r->n_weekly);
    fprintf(out, "\n  %-10s  %8s  %9s  %4s\n", "week of", "km", "time",
            "runs");
    for (size_t i = from; i < r->n_weekly; i++) {
      const gk_load_week *w = &r->weekly[i];
      hms(w->duration_s, t);
      fprintf(out, "  %-10s  %8.1f  %9s  %4d\n",
              gk_day_format(w->week_start, d1), w->distance_m / 1000, t,
              w->runs);
    }
  }

  fprintf(out, "\n");
  if (isnan(r->longest_run_30d_m))
    fprintf(out, "Longest run in the 30 days before %s: none\n",
            gk_day_format(r->day, d1));
  else
    fprintf(out,
            "Longest run in the 30 days before %s: %.1f km (a run over "
            "%.1f km on that day would be more than 10%% longer)\n",
            gk_day_format(r->day, d1), r->longest_run_30d_m / 1000,
            r->longest_run_30d_m * 1.1 / 1000);
  if (!isnan(r->two_week_ratio))
    fprintf(out, "Last 2 weeks against the 2 before: %.2f x distance\n",
            r->two_week_ratio);
  if (!isnan(r->acwr))
    fprintf(out,
            "Acute:chronic workload ratio (EWMA 7/28 days, distance): %.2f "
            "(disputed; information only)\n",
            r->acwr);
  if (isinf(r->monotony))
    fprintf(out, "Monotony (7 days, minutes): no day-to-day variation\n");
  else if (!isnan(r->monotony))
    fprintf(out, "Monotony (7 days, minutes): %.2f\n", r->monotony);

  const gk_cadence_fit *c = &r->cadence;
  if (c->n > 0) {
    fprintf(out, "\nCadence against speed (runs since %s: %zu)\n",
            gk_day_format(c->window_from, d1), c->n);
    if (!isnan(c->cadence_at_ref_spm))
      fprintf(out,
              "  %.0f steps/min at %.1f m/s%s; %+.1f steps/min per m/s "
              "(r2 %.2f; speeds %.2f-%.2f m/s)\n",
              c->cadence_at_ref_spm, c->ref_speed_mps,
              c->ref_extrapolated ? " (extrapolated)" : "",
              c->slope_spm_per_mps, c->r2, c->speed_min_mps,
              c->speed_max_mps);
    else
      fprintf(out, "  average %.0f steps/min (too few runs or speeds for a "
                   "line)\n",
              c->mean_cadence_spm);
    if (c->source) {
      char src[512];
      snprintf(src, sizeof src, "Source: %s", c->source);
      gk_cli_wrap(out, src, 2, 78);
    }
  }

  fprintf(out, "\nFindings (%zu)\n", r->n_findings);
  if (r->n_findings == 0) fprintf(out, "  none\n");
  for (size_t i = 0; i < r->n_findings; i++) {
    const gk_finding *f = &r->findings[i];
    char head[160];
    int n = snprintf(head, sizeof head, "%s  %s", gk_severity_name(f->severity),
                     f->code);
    if (f->date_from != INT64_MIN && n > 0 && (size_t)n < sizeof head) {
      if (f->date_from == f->date_to)
        n += snprintf(head + n, sizeof head - (size_t)n, "  %s",
                      gk_day_format(f->date_from, d1));
      else
        n += snprintf(head + n, sizeof head - (size_t)n, "  %s to %s",
                      gk_day_format(f->date_from, d1),
                      gk_day_format(f->date_to, d2));
    }
    if (f->activity_id && n > 0 && (size_t)n < sizeof head)
      snprintf(head + n, sizeof head - (size_t)n, "  run %lld",
               (long long)f->activity_id);
    fprintf(out, "\n  %s\n", head);
    gk_cli_wrap(out, f->text, 4, 78);
    char line[1024];
    snprintf(line, sizeof line, "value %.4g, threshold %.4g", f->value,
             f->threshold);
    gk_cli_wrap(out, line, 4, 78);
    if (f->source) {
      snprintf(line, sizeof line, "Source: %s", f->source);
      gk_cli_wrap(out, line, 4, 78);
    }
    if (f->evidence_note) {
      snprintf(line, sizeof line, "How sure: %s", f->evidence_note);
      gk_cli_wrap(out, line, 4, 78);
    }
  }
}

/* ---- the verb ----------------------------------------------------------- */

/* "all" (0: every week) or a whole number of weeks, 1 or more. */
static int parse_weeks(const char *s, size_t *weeks) {
  if (strcmp(s, "all") == 0) {
    *weeks = 0;
    return 1;
  }
  size_t n = 0;
  if (*s == '\0') return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || n > 1000000) return 0;
    n = n * 10 + (size_t)(*s - '0');
  }
  if (n == 0) return 0;
  *weeks = n;
  return 1;
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: gaitkeeper load [--date YYYY-MM-DD] [--weeks N|all] "
          "[--json]\n");
}

int gk_cmd_load(gk_store *store, int argc, char **argv) {
  int json = 0;
  size_t weeks = DEFAULT_WEEKS;
  int64_t day = gk_day_of_time((int64_t)time(NULL));
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--json") == 0) {
      json = 1;
    } else if (strcmp(a, "--date") == 0) {
      if (i + 1 >= argc || gk_day_parse(argv[i + 1], &day) != GK_OK) {
        fprintf(stderr,
                "gaitkeeper: load: --date needs a date as YYYY-MM-DD%s%s\n",
                i + 1 < argc ? ", not " : "", i + 1 < argc ? argv[i + 1] : "");
        return 2;
      }
      i++;
    } else if (strcmp(a, "--weeks") == 0) {
      if (i + 1 >= argc || !parse_weeks(argv[i + 1], &weeks)) {
        fprintf(stderr, "gaitkeeper: load: --weeks needs a number of weeks "
                        "(1 or more) or \"all\"\n");
        return 2;
      }
      i++;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "gaitkeeper: load: unknown option '%s'\n", a);
      usage(stderr);
      return 2;
    }
  }

  gk_history h;
  int rc = 0;
  {
    gk_status st = gk_history_load(store, day, &h); /* NULL: empty */
    if (st != GK_OK) {
      const char *detail = gk_store_errmsg(store);
      fprintf(stderr, "gaitkeeper: load: reading the store: %s%s%s\n",
              gk_strerror(st), detail && detail[0] ? ": " : "",
              detail ? detail : "");
      rc = 1;
      goto done;
    }
  }

  gk_load_report r;
  gk_status st = gk_load_analyze(h.runs, h.n_runs, h.pain, h.n_pain, day, &r);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: load: %s\n", gk_strerror(st));
    gk_load_report_free(&r);
    rc = 1;
    goto done;
  }
  if (json) {
    gk_buf b = {0};
    json_report(&b, &r, &h);
    if (b.oom) {
      fprintf(stderr, "gaitkeeper: load: out of memory\n");
      rc = 1;
    } else {
      fwrite(b.data, 1, b.len, stdout);
    }
    gk_buf_free(&b);
  } else {
    text_report(stdout, &r, &h, weeks);
  }
  gk_load_report_free(&r);
  if (fflush(stdout) != 0) rc = 1;
done:
  gk_history_free(&h);
  return rc;
}

int gk_cmd_load_main(int argc, char **argv) {
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("load", GK_STORE_READ_ONLY, &s);
  if (st != GK_OK && st != GK_E_NOT_FOUND) return 1;
  /* A store that does not exist yet: nothing imported, an empty history. */
  int rc = gk_cmd_load(st == GK_OK ? s : NULL, argc, argv);
  gk_store_close(s);
  return rc;
}
