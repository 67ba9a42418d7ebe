/*
** gait_findings.c -- gait findings from a gait summary (3D or 2D), by the
** rules of data/gait_rules.json: which metric, which comparison, the
** threshold, the evidence and how reliable each way of measuring is.
** The rules' meaning is described in that file's "about" and in
** docs/METRICS.md ("Gait findings"); the evidence in ../shared/EVIDENCE.md
** sections 1 and 2.
**
** A finding's source and evidence note point to text kept in the result
** (g->arena_), so they live as long as the result does.
*/
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/data_internal.h"
#include "gait/gait3d_internal.h"

const char *gk__gait_keep(gk_gait *g, const char *s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s);
  size_t head = sizeof(void *);
  char *blk = (char *)malloc(head + n + 1);
  if (blk == NULL) return NULL;
  memcpy(blk, &g->arena_, sizeof(void *));
  memcpy(blk + head, s, n + 1);
  g->arena_ = blk;
  return blk + head;
}

static const char *str(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *k) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
  return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static gk_severity severity_of(const char *s) {
  if (s && strcmp(s, "warning") == 0) return GK_SEV_WARNING;
  if (s && strcmp(s, "caution") == 0) return GK_SEV_CAUTION;
  return GK_SEV_INFO;
}

/* The cadence typical at speed v from by_speed [[v, spm], ...] (sorted by
   speed): linear between the points, the end segments extended. */
static double cadence_at(const cJSON *by_speed, double v) {
  int n = cJSON_GetArraySize(by_speed);
  if (n < 2 || n > 64) return NAN;
  double sv[64], cv[64];
  for (int i = 0; i < n; i++) {
    const cJSON *p = cJSON_GetArrayItem(by_speed, i);
    const cJSON *a = cJSON_GetArrayItem(p, 0), *b = cJSON_GetArrayItem(p, 1);
    if (!cJSON_IsNumber(a) || !cJSON_IsNumber(b)) return NAN;
    sv[i] = a->valuedouble;
    cv[i] = b->valuedouble;
    if (i > 0 && !(sv[i] > sv[i - 1])) return NAN;
  }
  int k = 0;
  while (k < n - 2 && v > sv[k + 1]) k++;
  return cv[k] + (cv[k + 1] - cv[k]) * (v - sv[k]) / (sv[k + 1] - sv[k]);
}

/* Append one finding; returns it, or NULL when the list is full. */
static gk_finding *add_finding(gk_gait *g, const cJSON *rule) {
  if (g->n_findings >= sizeof g->findings / sizeof g->findings[0]) return NULL;
  gk_finding *f = &g->findings[g->n_findings];
  memset(f, 0, sizeof *f);
  f->code = gk__gait_keep(g, str(rule, "code"));
  f->severity = severity_of(str(rule, "severity"));
  f->value = f->threshold = NAN;
  f->activity_id = 0;
  f->date_from = f->date_to = INT64_MIN;
  f->source = gk__gait_keep(g, str(rule, "source"));
  f->evidence_note = gk__gait_keep(g, str(rule, "evidence_note"));
  if (f->code == NULL || f->source == NULL) return NULL;
  g->n_findings++;
  return f;
}

/* "<what>: <detail>. <advice> <reliability>" into f->text. */
static void compose(gk_finding *f, const gk_gait *g, const cJSON *rule,
                    const char *detail) {
  const char *rel =
      str(rule, g->kind == GK_CAPTURE_2D ? "reliability_2d" : "reliability_3d");
  const char *what = str(rule, "what"), *advice = str(rule, "advice");
  snprintf(f->text, sizeof f->text, "%s: %s.%s%s%s%s", what ? what : f->code,
           detail, advice ? " " : "", advice ? advice : "",
           rel && rel[0] ? " " : "", rel ? rel : "");
}

/* Evaluate one rule; returns 1 when the metric had a value to judge. */
static int apply_rule(gk_gait *g, const cJSON *rule, int *out_of_room) {
  const char *metric = str(rule, "metric"), *cmp = str(rule, "compare");
  double thr = num(rule, "threshold");
  int m = gk_gait_metric_find(metric);
  if (m < 0 || cmp == NULL || isnan(thr)) return 0;
  const gk_gait_stat *s = &g->stat[m];
  if (s->refused || s->quality == GK_QUALITY_NONE) return 0;
  const char *unit = s->unit ? s->unit : "";
  if (s->quality == GK_QUALITY_POOR) {
    gk_gait_note(g,
                 "%s: not judged for %s: too few steps (%u left, %u "
                 "right) for a reliable summary",
                 metric, str(rule, "code"), s->n_left, s->n_right);
    return 1;
  }
  char detail[256];
  gk_finding *f = NULL;
  if (strcmp(cmp, "side_above") == 0) {
    double l = s->per_side ? s->left : NAN, r = s->per_side ? s->right : NAN;
    double worst = NAN;
    const char *side = NULL;
    if (!isnan(l) && (isnan(r) || l >= r)) {
      worst = l;
      side = "left";
    } else if (!isnan(r)) {
      worst = r;
      side = "right";
    } else if (!isnan(s->mean)) {
      worst = s->mean;
    }
    if (isnan(worst)) return 0;
    if (!(worst > thr)) return 1;
    f = add_finding(g, rule);
    if (f == NULL) {
      *out_of_room = 1;
      return 1;
    }
    f->value = worst;
    f->threshold = thr;
    if (side)
      snprintf(detail, sizeof detail,
               "%s %.3g %s (left %.3g, right %.3g), above %.3g %s", side, worst,
               unit, l, r, thr, unit);
    else
      snprintf(detail, sizeof detail, "%.3g %s, above %.3g %s", worst, unit,
               thr, unit);
  } else if (strcmp(cmp, "below_speed_reference") == 0) {
    double v = g->speed_mps;
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(rule, "speed_range");
    double lo = cJSON_GetArraySize(range) == 2
                    ? cJSON_GetArrayItem(range, 0)->valuedouble
                    : 0;
    double hi = cJSON_GetArraySize(range) == 2
                    ? cJSON_GetArrayItem(range, 1)->valuedouble
                    : 100;
    if (isnan(s->mean)) return 0;
    if (!(v > 0)) {
      gk_gait_note(g,
                   "cadence %.0f steps/min not judged: the running speed "
                   "is unknown (give --speed), and cadence is judged "
                   "against speed, never a fixed 180",
                   s->mean);
      return 1;
    }
    if (v < lo || v > hi) {
      gk_gait_note(g,
                   "cadence not judged: %.2f m/s is outside the speeds "
                   "with a reference (%.1f-%.1f m/s)",
                   v, lo, hi);
      return 1;
    }
    double ref =
        cadence_at(cJSON_GetObjectItemCaseSensitive(rule, "by_speed"), v);
    if (isnan(ref)) return 0;
    double limit = thr * ref;
    if (!(s->mean < limit)) return 1;
    f = add_finding(g, rule);
    if (f == NULL) {
      *out_of_room = 1;
      return 1;
    }
    f->value = s->mean;
    f->threshold = limit;
    snprintf(detail, sizeof detail,
             "%.0f steps/min at %.2f m/s, where about %.0f is typical (below "
             "%.0f counts as low)",
             s->mean, v, ref, limit);
  } else if (strcmp(cmp, "asymmetry_pct") == 0 ||
             strcmp(cmp, "asymmetry_abs") == 0) {
    int pct = strcmp(cmp, "asymmetry_pct") == 0;
    double a = pct ? s->asymmetry_pct : fabs(s->asymmetry);
    if (isnan(a)) return 0;
    if (!(a > thr)) return 1;
    /* A time measured from frames (events from markers or keypoints): each
       event is timed to about one frame, so a left-right difference under
       two frames may be timing alone. */
    if (unit != NULL && strcmp(unit, "ms") == 0 &&
        g->events == GK_EVENTS_MARKERS && g->fps > 0 &&
        fabs(s->asymmetry) < 2000.0 / g->fps) {
      gk_gait_note(g,
                   "%s: left %.0f, right %.0f ms differ by less than two "
                   "frames (%.0f ms at %.0f fps), which timing alone can "
                   "explain: not judged",
                   gk_gait_metric_name((gk_gait_metric)m), s->left, s->right,
                   2000.0 / g->fps, g->fps);
      return 1;
    }
    f = add_finding(g, rule);
    if (f == NULL) {
      *out_of_room = 1;
      return 1;
    }
    f->value = a;
    f->threshold = thr;
    if (pct)
      snprintf(detail, sizeof detail,
               "left %.3g, right %.3g %s: %.3g%% apart (over %.3g%%)", s->left,
               s->right, unit, a, thr);
    else
      snprintf(detail, sizeof detail,
               "left %.3g, right %.3g %s: %.3g %s apart (over %.3g %s)",
               s->left, s->right, unit, a, unit, thr, unit);
  } else {
    return 0;
  }
  compose(f, g, rule, detail);
  return 1;
}

gk_status gk_gait_findings(gk_gait *g, gk_err *err) {
  if (g == NULL) {
    if (err) {
      err->code = GK_E_ARG;
      err->msg = "no gait result";
      err->offset = 0;
      err->line = err->col = 0;
    }
    return GK_E_ARG;
  }
  g->n_findings = 0;
  const cJSON *root = gk__data("gait_rules.json");
  const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
  if (!cJSON_IsArray(rules)) {
    if (err) {
      err->code = GK_E_CORRUPT;
      err->msg = "data/gait_rules.json: missing or has no \"rules\" list";
      err->offset = 0;
      err->line = err->col = 0;
    }
    return GK_E_CORRUPT;
  }
  /* Walking, not running: each foot down for more than half its stride
     and both feet down between steps (no flight).  The rules are running
     rules; they are not judged on a walk. */
  const gk_gait_stat *duty = &g->stat[GK_GM_DUTY_FACTOR];
  const gk_gait_stat *flight = &g->stat[GK_GM_FLIGHT_TIME];
  if (duty->quality != GK_QUALITY_NONE && flight->quality != GK_QUALITY_NONE &&
      duty->mean > 0.55 && flight->mean < -30) {
    gk_gait_note(g,
                 "this looks like walking, not running: duty factor %.2f "
                 "(each foot on the ground for more than half its stride) "
                 "and both feet down for %.0f ms between steps; the gait "
                 "rules are for running and are not judged",
                 duty->mean, -flight->mean);
    return GK_OK;
  }
  int full = 0;
  const char *last_code = NULL;
  int code_judged = 0;
  for (const cJSON *r = rules->child; r != NULL; r = r->next) {
    const char *code = str(r, "code");
    if (code == NULL) continue;
    if (last_code == NULL || strcmp(code, last_code) != 0) code_judged = 0;
    last_code = code;
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "fallback")) &&
        code_judged)
      continue;
    code_judged |= apply_rule(g, r, &full);
    if (full) {
      gk_gait_note(g,
                   "more findings than fit the list; the rest are left "
                   "out");
      break;
    }
  }
  return GK_OK;
}
