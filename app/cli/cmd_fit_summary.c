/*
** cmd_fit_summary.c -- `gaitkeeper fit summary [--json] FILE...`: read FIT
** activities and print, per file, the run's summary: sport, start, distance,
** times, pace, heart rate, cadence in steps per minute, running dynamics,
** laps and sessions.  Text by default; --json gives one JSON object per
** line with the summary field names of gaitkeeper/activity.h.
*/
#include "cmd_fit_summary.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gaitkeeper/activity.h"
#include "gaitkeeper/fit_activity.h"
#include "gaitkeeper/json.h"

static const char *const summary_names[GK_SUM_COUNT] = {
#define NAME(ID, name) #name,
    GK_SUMMARY_FIELDS(NAME)
#undef NAME
};

static void summary_values(const gk_summary *s, double v[GK_SUM_COUNT]) {
#define GET(ID, name) v[GK_SUM_##ID] = s->name;
  GK_SUMMARY_FIELDS(GET)
#undef GET
}

static void flush(gk_buf *b) {
  if (b->len) fwrite(b->data, 1, b->len, stdout);
  b->len = 0;
}

/* ---- JSON --------------------------------------------------------------- */

/* A name, or null when empty. */
static void json_name(gk_buf *b, const char *s) {
  if (s == NULL || s[0] == '\0') gk_buf_puts(b, "null");
  else gk_json_str(b, s);
}

/* The summary's fields as "key":value pairs, then "computed":[...]. */
static void json_summary(gk_buf *b, const gk_summary *s) {
  double v[GK_SUM_COUNT];
  summary_values(s, v);
  for (unsigned k = 0; k < GK_SUM_COUNT; k++) {
    gk_json_key(b, summary_names[k]);
    gk_json_num(b, v[k]);
    gk_buf_putc(b, ',');
  }
  gk_json_key(b, "computed");
  gk_buf_putc(b, '[');
  int first = 1;
  for (unsigned k = 0; k < GK_SUM_COUNT; k++)
    if (s->computed & (1u << k)) {
      if (!first) gk_buf_putc(b, ',');
      gk_json_str(b, summary_names[k]);
      first = 0;
    }
  gk_buf_putc(b, ']');
}

static void json_time(gk_buf *b, const gk_activity *a, double rel_s) {
  if ((a->flags & GK_ACT_START_UNKNOWN) || isnan(rel_s)) {
    gk_buf_puts(b, "null");
    return;
  }
  char iso[21];
  gk_json_str(b, gk_time_iso8601(a->start_time + (int64_t)floor(rel_s), iso));
}

static void json_activity(gk_buf *b, const char *path, const gk_activity *a) {
  char tmp[32];
  gk_buf_putc(b, '{');
  gk_json_key(b, "file");
  gk_json_str(b, path);
  gk_buf_puts(b, ",");
  gk_json_key(b, "format");
  json_name(b, a->source.format);
  gk_buf_puts(b, ",");
  gk_json_key(b, "sport");
  json_name(b, a->sport);
  gk_buf_puts(b, ",");
  gk_json_key(b, "sub_sport");
  json_name(b, a->sub_sport);
  gk_buf_puts(b, ",");
  gk_json_key(b, "start_time");
  json_time(b, a, 0);
  gk_buf_puts(b, ",");
  gk_json_key(b, "start_time_device_s");
  if (a->flags & GK_ACT_START_UNKNOWN) gk_json_i64(b, a->start_time);
  else gk_buf_puts(b, "null");
  gk_buf_puts(b, ",");
  gk_json_key(b, "manufacturer");
  json_name(b, a->source.manufacturer);
  gk_buf_puts(b, ",");
  gk_json_key(b, "product");
  json_name(b, a->source.product);
  gk_buf_puts(b, ",");
  gk_json_key(b, "product_name");
  json_name(b, a->source.product_name);
  gk_buf_puts(b, ",");
  gk_json_key(b, "serial");
  if (a->source.serial) gk_json_u64(b, a->source.serial);
  else gk_buf_puts(b, "null");
  gk_buf_puts(b, ",");
  gk_json_key(b, "content_hash");
  snprintf(tmp, sizeof tmp, "fnv1a64:%016" PRIx64, a->source.content_hash);
  gk_json_str(b, tmp);
  gk_buf_puts(b, ",");
  gk_json_key(b, "partial");
  gk_buf_puts(b, (a->flags & GK_ACT_PARTIAL) ? "true" : "false");
  gk_buf_puts(b, ",");
  gk_json_key(b, "hr_merged");
  gk_buf_puts(b, (a->flags & GK_ACT_HR_MERGED) ? "true" : "false");
  gk_buf_puts(b, ",");
  gk_json_key(b, "samples");
  gk_json_u64(b, a->series.n);
  gk_buf_puts(b, ",");
  json_summary(b, &a->summary);

  gk_buf_puts(b, ",\"sessions\":[");
  for (size_t i = 0; i < a->n_sessions; i++) {
    const gk_session *se = &a->sessions[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "sport");
    json_name(b, se->sport);
    gk_buf_puts(b, ",");
    gk_json_key(b, "sub_sport");
    json_name(b, se->sub_sport);
    gk_buf_puts(b, ",");
    gk_json_key(b, "start_s");
    gk_json_num(b, se->start_s);
    gk_buf_puts(b, ",");
    gk_json_key(b, "start_time");
    json_time(b, a, se->start_s);
    gk_buf_puts(b, ",");
    gk_json_key(b, "on_foot");
    gk_buf_puts(b, se->on_foot ? "true" : "false");
    gk_buf_puts(b, ",");
    gk_json_key(b, "first_lap");
    gk_json_u64(b, se->first_lap);
    gk_buf_puts(b, ",");
    gk_json_key(b, "n_laps");
    gk_json_u64(b, se->n_laps);
    gk_buf_puts(b, ",");
    gk_json_key(b, "samples");
    gk_json_u64(b, se->n_samples);
    gk_buf_puts(b, ",");
    json_summary(b, &se->summary);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],\"laps\":[");
  for (size_t i = 0; i < a->n_laps; i++) {
    const gk_lap *l = &a->laps[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_puts(b, "{\"start_s\":");
    gk_json_num(b, l->start_s);
    gk_buf_puts(b, ",\"elapsed_s\":");
    gk_json_num(b, l->elapsed_s);
    gk_buf_puts(b, ",\"timer_s\":");
    gk_json_num(b, l->timer_s);
    gk_buf_puts(b, ",\"distance_m\":");
    gk_json_num(b, l->distance_m);
    gk_buf_puts(b, ",\"avg_hr\":");
    gk_json_num(b, l->avg_hr);
    gk_buf_puts(b, ",\"max_hr\":");
    gk_json_num(b, l->max_hr);
    gk_buf_puts(b, ",\"avg_cadence_spm\":");
    gk_json_num(b, l->avg_cadence_spm);
    gk_buf_puts(b, ",\"avg_cadence_rpm\":");
    gk_json_num(b, l->avg_cadence_rpm);
    gk_buf_puts(b, ",\"avg_speed_mps\":");
    gk_json_num(b, l->avg_speed_mps);
    gk_buf_puts(b, ",\"session\":");
    if (l->session >= 0) gk_json_i64(b, l->session);
    else gk_buf_puts(b, "null");
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "]}\n");
}

/* ---- text --------------------------------------------------------------- */

/* Seconds as h:mm:ss, or "-". */
static const char *hms(double s, char out[32]) {
  if (isnan(s) || s < 0 || s > 1e9) return "-";
  long t = lround(s);
  snprintf(out, 32, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  return out;
}

/* A number with the given decimals, or "-". */
static const char *fmt(double v, int decimals, char out[32]) {
  if (isnan(v)) return "-";
  snprintf(out, 32, "%.*f", decimals, v);
  return out;
}

/* "*" after a value computed from the samples. */
static const char *mark(const gk_summary *s, unsigned id) {
  return (s->computed & (1u << id)) ? "*" : "";
}

/* Pace per km from a speed, or "-". */
static const char *pace(double mps, char out[32]) {
  if (isnan(mps) || mps <= 0.05) return "-";
  long sec = lround(1000.0 / mps);
  snprintf(out, 32, "%ld:%02ld /km", sec / 60, sec % 60);
  return out;
}

static void text_speed(gk_buf *b, const gk_summary *s, int on_foot) {
  char t1[32], t2[32], t3[32], line[160];
  if (on_foot)
    snprintf(line, sizeof line, "  pace        %s%s (%s m/s avg, %s max)\n",
             pace(s->avg_speed_mps, t1), mark(s, GK_SUM_AVG_SPEED_MPS),
             fmt(s->avg_speed_mps, 2, t2), fmt(s->max_speed_mps, 2, t3));
  else
    snprintf(line, sizeof line, "  speed       %s km/h%s avg, %s max\n",
             fmt(s->avg_speed_mps * 3.6, 1, t1), mark(s, GK_SUM_AVG_SPEED_MPS),
             fmt(s->max_speed_mps * 3.6, 1, t2));
  gk_buf_puts(b, line);
}

static void text_activity(gk_buf *b, const char *path, const gk_activity *a) {
  const gk_summary *s = &a->summary;
  char t1[32], t2[32], t3[32], t4[32], t5[32], line[320];
  /* pace for a run (or an unnamed activity with steps), speed otherwise */
  int on_foot = gk_sport_is_on_foot(a->sport) ||
                (a->n_sessions <= 1 && !isnan(s->avg_cadence_spm));

  snprintf(line, sizeof line, "%s\n", path);
  gk_buf_puts(b, line);
  snprintf(line, sizeof line, "  sport       %s%s%s\n",
           a->sport[0] ? a->sport : "unknown", a->sub_sport[0] ? " / " : "",
           a->sub_sport);
  gk_buf_puts(b, line);
  if (a->flags & GK_ACT_START_UNKNOWN) {
    snprintf(line, sizeof line,
             "  start       unknown (device clock: %" PRId64 " s)\n",
             a->start_time);
  } else {
    char iso[21];
    snprintf(line, sizeof line, "  start       %s\n",
             gk_time_iso8601(a->start_time, iso));
  }
  gk_buf_puts(b, line);
  if (a->source.manufacturer[0] || a->source.product[0]) {
    snprintf(line, sizeof line, "  device      %s %s%s%s\n",
             a->source.manufacturer, a->source.product,
             a->source.product_name[0] ? " " : "", a->source.product_name);
    gk_buf_puts(b, line);
  }
  snprintf(line, sizeof line, "  distance    %s km%s\n",
           fmt(s->distance_m / 1000.0, 2, t1), mark(s, GK_SUM_DISTANCE_M));
  gk_buf_puts(b, line);
  snprintf(line, sizeof line,
           "  time        %s%s elapsed, %s%s timer, %s%s moving\n",
           hms(s->elapsed_s, t1), mark(s, GK_SUM_ELAPSED_S),
           hms(s->timer_s, t2), mark(s, GK_SUM_TIMER_S),
           hms(s->moving_s, t3), mark(s, GK_SUM_MOVING_S));
  gk_buf_puts(b, line);
  text_speed(b, s, on_foot);
  snprintf(line, sizeof line, "  heart rate  %s%s avg, %s%s max (bpm)%s\n",
           fmt(s->avg_hr, 0, t1), mark(s, GK_SUM_AVG_HR), fmt(s->max_hr, 0, t2),
           mark(s, GK_SUM_MAX_HR),
           (a->flags & GK_ACT_HR_MERGED) ? ", HR merged from HR messages" : "");
  gk_buf_puts(b, line);
  if (!isnan(s->avg_cadence_spm) || !isnan(s->max_cadence_spm))
    snprintf(line, sizeof line, "  cadence     %s%s avg, %s%s max (steps/min)\n",
             fmt(s->avg_cadence_spm, 1, t1), mark(s, GK_SUM_AVG_CADENCE_SPM),
             fmt(s->max_cadence_spm, 1, t2), mark(s, GK_SUM_MAX_CADENCE_SPM));
  else
    snprintf(line, sizeof line, "  cadence     %s%s avg, %s%s max (per min, "
                                "as recorded)\n",
             fmt(s->avg_cadence_rpm, 1, t1), mark(s, GK_SUM_AVG_CADENCE_RPM),
             fmt(s->max_cadence_rpm, 1, t2), mark(s, GK_SUM_MAX_CADENCE_RPM));
  gk_buf_puts(b, line);
  if (!isnan(s->avg_stance_time_ms) || !isnan(s->avg_vertical_oscillation_mm) ||
      !isnan(s->avg_step_length_mm)) {
    snprintf(line, sizeof line,
             "  dynamics    ground contact %s%s ms (left %s%s %%), vertical "
             "oscillation %s%s mm,\n"
             "              step length %s%s mm, vertical ratio %s%s %%\n",
             fmt(s->avg_stance_time_ms, 1, t1), mark(s, GK_SUM_AVG_STANCE_TIME_MS),
             fmt(s->stance_balance_left_pct, 1, t2),
             mark(s, GK_SUM_STANCE_BALANCE_LEFT_PCT),
             fmt(s->avg_vertical_oscillation_mm, 1, t3),
             mark(s, GK_SUM_AVG_VERTICAL_OSCILLATION_MM),
             fmt(s->avg_step_length_mm, 1, t4), mark(s, GK_SUM_AVG_STEP_LENGTH_MM),
             fmt(s->avg_vertical_ratio_pct, 2, t5),
             mark(s, GK_SUM_AVG_VERTICAL_RATIO_PCT));
    gk_buf_puts(b, line);
  }
  if (!isnan(s->avg_power_w)) {
    snprintf(line, sizeof line, "  power       %s%s W avg\n",
             fmt(s->avg_power_w, 0, t1), mark(s, GK_SUM_AVG_POWER_W));
    gk_buf_puts(b, line);
  }
  snprintf(line, sizeof line,
           "  climb       %s%s m up, %s%s m down; steps %s%s; calories %s%s\n",
           fmt(s->ascent_m, 0, t1), mark(s, GK_SUM_ASCENT_M),
           fmt(s->descent_m, 0, t2), mark(s, GK_SUM_DESCENT_M),
           fmt(s->total_steps, 0, t3), mark(s, GK_SUM_TOTAL_STEPS),
           fmt(s->calories, 0, t4), mark(s, GK_SUM_CALORIES));
  gk_buf_puts(b, line);
  snprintf(line, sizeof line, "  laps        %zu\n", a->n_laps);
  gk_buf_puts(b, line);
  if (a->n_sessions > 1) {
    snprintf(line, sizeof line, "  sessions    %zu\n", a->n_sessions);
    gk_buf_puts(b, line);
    for (size_t i = 0; i < a->n_sessions; i++) {
      const gk_session *se = &a->sessions[i];
      const gk_summary *ss = &se->summary;
      double cad = se->on_foot ? ss->avg_cadence_spm : ss->avg_cadence_rpm;
      char cadence[48] = "-";
      if (!isnan(cad))
        snprintf(cadence, sizeof cadence, "%.1f %s", cad,
                 se->on_foot ? "steps/min" : "per min");
      snprintf(line, sizeof line,
               "    %zu %-12s %s km  %s  %s  HR %s/%s  cadence %s\n", i + 1,
               se->sport[0] ? se->sport : "unknown",
               fmt(ss->distance_m / 1000.0, 2, t1), hms(ss->timer_s, t2),
               se->on_foot ? pace(ss->avg_speed_mps, t3) : "-",
               fmt(ss->avg_hr, 0, t4), fmt(ss->max_hr, 0, t5), cadence);
      gk_buf_puts(b, line);
    }
  }
  if (s->computed)
    gk_buf_puts(b, "  (* computed from the samples; the rest is the device's "
                   "own summary)\n");
  if (a->flags & GK_ACT_PARTIAL)
    gk_buf_puts(b, "  (the file is damaged: this covers what was read before "
                   "the damage)\n");
  gk_buf_putc(b, '\n');
}

/* ---- the verb ----------------------------------------------------------- */

static void usage(void) {
  fprintf(stderr,
          "usage: gaitkeeper fit summary [--json] [--accept-bad-crc] FILE...\n");
}

int gk_cmd_fit_summary(int argc, char **argv) {
  int json = 0, i;
  unsigned options = GK_FIT_ACT_PARTIAL;
  for (i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--json") == 0) json = 1;
    else if (strcmp(a, "--accept-bad-crc") == 0) options |= GK_FIT_ACCEPT_BAD_CRC;
    else if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "gaitkeeper: fit summary: unknown option '%s'\n", a);
      usage();
      return 2;
    } else {
      break;
    }
  }
  if (i >= argc) {
    usage();
    return 2;
  }
  int rc = 0;
  gk_buf out = {0};
  for (; i < argc; i++) {
    const char *path = argv[i];
    size_t len = 0;
    unsigned char *buf = gk_cli_read_file(path, GK_CLI_MAX_INPUT_BYTES, &len);
    if (buf == NULL) {
      rc = 1;
      continue;
    }
    gk_activity *a = NULL;
    gk_err err;
    memset(&err, 0, sizeof err);
    gk_status st = gk_fit_read_activity(buf, len, options, &a, &err);
    free(buf);
    if (st != GK_OK) {
      fprintf(stderr, "gaitkeeper: %s: byte %llu: %s\n", path,
              (unsigned long long)err.offset, err.msg ? err.msg : gk_strerror(st));
      rc = 1;
      continue;
    }
    if (a->flags & GK_ACT_PARTIAL) {
      fprintf(stderr,
              "gaitkeeper: %s: byte %llu: %s (summary of what was read "
              "before it)\n",
              path, (unsigned long long)err.offset,
              err.msg ? err.msg : gk_strerror(err.code));
      rc = 1;
    }
    if (json) json_activity(&out, path, a);
    else text_activity(&out, path, a);
    gk_activity_free(a);
    flush(&out);
  }
  fflush(stdout);
  if (out.oom) {
    fprintf(stderr, "gaitkeeper: fit summary: out of memory\n");
    rc = 1;
  }
  gk_buf_free(&out);
  return rc;
}
