/*
** report_model.c -- build the report's model once from its documents: the
** load analysis (and, for the daily chart, the load rules' own numbers on
** every day of the last 16 weeks), the findings of load, gait and plan
** merged, the gait metrics against their reference bands
** (data/report_bands.json), and the plan's parts.  Every writer (HTML, text,
** JSON) reads this model, so they never disagree.
*/
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "gaitkeeper/clinician.h"
#include "gaitkeeper/load.h"
#include "report/report_internal.h"

/* The spike rule's threshold (load.single_run_spike, Frandsen et al. 2025;
   docs/METRICS.md): a run over 1.10 x the longest of the 30 days before is
   a spike.  Used only to state the safe length of the next run when the
   load analysis reported no spike to read the threshold from. */
#define SPIKE_RATIO_DEFAULT 1.10

/* ---- small helpers -------------------------------------------------------- */

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : NAN;
}

int gk__severity_parse(const char *s) {
  if (s == NULL) return -1;
  if (strcmp(s, "info") == 0) return GK_SEV_INFO;
  if (strcmp(s, "caution") == 0) return GK_SEV_CAUTION;
  if (strcmp(s, "warning") == 0) return GK_SEV_WARNING;
  if (strcmp(s, "refer") == 0) return GK_SEV_REFER;
  return -1;
}

static int64_t jday(const cJSON *v) {
  int64_t d;
  if (cJSON_IsString(v) && v->valuestring &&
      gk_day_parse(v->valuestring, &d) == GK_OK)
    return d;
  return INT64_MIN;
}

/* Why a finding matters: the longest prefix of its code listed in
   data/report_text.json "why_it_matters" ("load.", "gait.", ...). */
static const char *why_for(const gk__report *r, const char *code) {
  const cJSON *why = cJSON_GetObjectItemCaseSensitive(r->text_data,
                                                      "why_it_matters");
  const char *best = NULL;
  size_t best_len = 0;
  if (code == NULL) return NULL;
  for (const cJSON *c = why ? why->child : NULL; c; c = c->next) {
    size_t n = c->string ? strlen(c->string) : 0;
    if (n > best_len && strncmp(code, c->string, n) == 0) {
      const char *t = jstr(c, "text");
      if (t) {
        best = t;
        best_len = n;
      }
    }
  }
  return best;
}

static int same_finding(const gk__rfinding *a, const gk__rfinding *b) {
  return a->code && b->code && strcmp(a->code, b->code) == 0 && a->text &&
         b->text && strcmp(a->text, b->text) == 0;
}

static void add_finding(gk__report *r, const gk__rfinding *f) {
  if (f->code == NULL || f->text == NULL) return;
  for (size_t i = 0; i < r->n_findings; i++)
    if (same_finding(&r->findings[i], f)) return;
  if (r->n_findings >= GK__REPORT_MAX_FINDINGS) {
    r->n_findings_dropped++;
    return;
  }
  gk__rfinding *d = &r->findings[r->n_findings++];
  *d = *f;
  d->why = why_for(r, f->code);
  d->repeat_of = -1;
  d->n_repeats = 0;
  d->explained_by = -1;
  if (d->severity == GK_SEV_REFER) r->refer = 1;
}

static void add_json_findings(gk__report *r, const cJSON *arr,
                              const char *origin) {
  if (!cJSON_IsArray(arr)) return;
  for (const cJSON *f = arr->child; f; f = f->next) {
    if (!cJSON_IsObject(f)) continue;
    gk__rfinding x;
    memset(&x, 0, sizeof x);
    x.code = jstr(f, "code");
    x.text = jstr(f, "text");
    x.severity = gk__severity_parse(jstr(f, "severity"));
    if (x.severity < 0) x.severity = GK_SEV_INFO;
    x.source = jstr(f, "source");
    x.evidence_note = jstr(f, "evidence_note");
    x.value = jnum(f, "value");
    x.threshold = jnum(f, "threshold");
    x.date_from = x.date_to = INT64_MIN;
    const cJSON *dates = cJSON_GetObjectItemCaseSensitive(f, "dates");
    if (cJSON_IsArray(dates) && cJSON_GetArraySize(dates) == 2) {
      x.date_from = jday(cJSON_GetArrayItem(dates, 0));
      x.date_to = jday(cJSON_GetArrayItem(dates, 1));
    }
    x.origin = jstr(f, "origin") ? jstr(f, "origin") : origin;
    add_finding(r, &x);
  }
}

static int by_severity(const void *pa, const void *pb) {
  const gk__rfinding *a = (const gk__rfinding *)pa,
                     *b = (const gk__rfinding *)pb;
  if (a->severity != b->severity) return b->severity - a->severity;
  if (a->date_to != b->date_to) return a->date_to < b->date_to ? 1 : -1;
  return strcmp(a->code, b->code);
}

/* The plan explains each finding code once (docs/PLAN.md "Findings and
   chains"): its chain and how sure the chain is, given to every finding of
   that code, whichever document it came from. */
static void add_chains(gk__report *r) {
  const cJSON *pf = cJSON_GetObjectItemCaseSensitive(r->plan, "findings");
  if (!cJSON_IsArray(pf)) return;
  for (size_t i = 0; i < r->n_findings; i++) {
    gk__rfinding *d = &r->findings[i];
    for (const cJSON *f = pf->child; f; f = f->next) {
      const char *code = jstr(f, "code");
      if (code == NULL || strcmp(code, d->code) != 0) continue;
      d->chain = jstr(f, "chain");
      d->chain_id = jstr(f, "chain_id");
      d->chain_source = jstr(f, "chain_source");
      d->how_sure = jstr(f, "how_sure");
      if (d->chain || d->how_sure) break;
    }
  }
}

/* Findings of one code are shown once: the first of them in the sorted
   list (the most severe, then the most recent), with the others' dates. */
static void group_repeats(gk__report *r) {
  r->n_shown = 0;
  for (size_t i = 0; i < r->n_findings; i++) {
    gk__rfinding *f = &r->findings[i];
    f->repeat_of = -1;
    f->n_repeats = 0;
    for (size_t j = 0; j < i; j++) {
      gk__rfinding *h = &r->findings[j];
      if (h->repeat_of == -1 && strcmp(h->code, f->code) == 0) {
        f->repeat_of = (int)j;
        h->n_repeats++;
        break;
      }
    }
    if (f->repeat_of == -1) r->n_shown++;
  }
  /* an explanation already given is referred to, not repeated */
  for (size_t i = 0; i < r->n_findings; i++) {
    gk__rfinding *f = &r->findings[i];
    const char *why = f->chain ? f->chain : f->why;
    f->explained_by = -1;
    if (f->repeat_of != -1 || why == NULL) continue;
    for (size_t j = 0; j < i; j++) {
      const gk__rfinding *h = &r->findings[j];
      const char *hw = h->chain ? h->chain : h->why;
      if (h->repeat_of == -1 && h->explained_by == -1 && hw &&
          strcmp(hw, why) == 0 &&
          (h->how_sure == f->how_sure ||
           (h->how_sure && f->how_sure && strcmp(h->how_sure, f->how_sure) == 0))) {
        f->explained_by = (int)j;
        break;
      }
    }
  }
}

/* ---- the daily chart --------------------------------------------------------
** The line, the spikes and the rest gaps are the load rules' own results:
** the load analysis runs as of every day of the window (over the runs from
** 31 days before the window, plus the last run before that so that a gap
** reaching into the window has its start). */

static int by_start(const void *pa, const void *pb) {
  const gk_load_run *a = (const gk_load_run *)pa, *b = (const gk_load_run *)pb;
  return (a->start_time > b->start_time) - (a->start_time < b->start_time);
}

static gk_status build_days(gk__report *r) {
  const gk_report_input *in = r->in;
  const int64_t to = r->today, from = to - (GK__REPORT_DAYS - 1);
  r->n_days = GK__REPORT_DAYS;
  for (size_t i = 0; i < r->n_days; i++) {
    gk__rday *d = &r->days[i];
    d->day = from + (int64_t)i;
    d->distance_m = d->longest_m = 0;
    d->longest30_m = d->spike_ratio = NAN;
    d->rest_gap = 0;
    d->pain_during = d->pain_morning = -1;
  }
  for (size_t i = 0; i < in->n_pain; i++) {
    const gk_pain_entry *e = &in->pain[i];
    if (e->day < from || e->day > to) continue;
    gk__rday *d = &r->days[e->day - from];
    if (e->during >= 0 && e->during <= 10 && e->during > d->pain_during)
      d->pain_during = e->during;
    if (e->morning >= 0 && e->morning <= 10 && e->morning > d->pain_morning)
      d->pain_morning = e->morning;
  }
  if (in->n_runs == 0) return GK_OK;

  const int64_t cut = from - 31;
  size_t n = 0;
  int64_t before_t = INT64_MIN; /* the last run before the cut */
  size_t before_i = 0;
  for (size_t i = 0; i < in->n_runs; i++) {
    int64_t day = gk_day_of_time(in->runs[i].start_time);
    if (day > to) continue;
    if (day >= cut) n++;
    else if (in->runs[i].start_time > before_t) {
      before_t = in->runs[i].start_time;
      before_i = i;
    }
  }
  gk_load_run *sub = (gk_load_run *)malloc((n + 1) * sizeof *sub);
  if (sub == NULL) return GK_E_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < in->n_runs; i++) {
    const gk_load_run *run = &in->runs[i];
    int64_t day = gk_day_of_time(run->start_time);
    if (day > to || day < cut) continue;
    sub[k++] = *run;
    if (day >= from) {
      gk__rday *d = &r->days[day - from];
      double m = isfinite(run->distance_m) && run->distance_m > 0
                     ? run->distance_m
                     : 0;
      d->distance_m += m;
      if (m > d->longest_m) d->longest_m = m;
    }
  }
  if (before_t != INT64_MIN) sub[k++] = in->runs[before_i];
  qsort(sub, k, sizeof *sub, by_start);

  gk_status st = GK_OK;
  for (size_t i = 0; i < r->n_days && st == GK_OK; i++) {
    gk_load_report lr;
    st = gk_load_analyze(sub, k, NULL, 0, r->days[i].day, &lr);
    if (st == GK_OK) {
      r->days[i].longest30_m = lr.longest_run_30d_m;
      for (size_t f = 0; f < lr.n_findings; f++) {
        const gk_finding *x = &lr.findings[f];
        if (x->date_from == INT64_MIN) continue;
        if (strcmp(x->code, "load.single_run_spike") == 0) {
          int64_t day = x->date_from;
          if (day >= from && day <= to) {
            gk__rday *d = &r->days[day - from];
            if (isnan(d->spike_ratio) || x->value > d->spike_ratio)
              d->spike_ratio = x->value;
          }
        } else if (strcmp(x->code, "load.rest_gap") == 0) {
          for (int64_t day = x->date_from; day <= x->date_to; day++)
            if (day >= from && day <= to) r->days[day - from].rest_gap = 1;
        }
      }
    }
    gk_load_report_free(&lr);
  }
  free(sub);
  for (size_t i = 0; i < r->n_days; i++) {
    if (!isnan(r->days[i].spike_ratio)) r->n_spikes++;
    if (r->days[i].rest_gap) r->n_gap_days++;
  }
  return st;
}

/* ---- gait metrics ----------------------------------------------------------- */

const char *gk__report_metric_label(const gk__report *r, const char *name) {
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(r->bands, "metrics"), name);
  const char *l = jstr(m, "label");
  return l ? l : name;
}

/* The cadence typical at speed v from the table [[speed, cadence], ...],
   interpolated; NaN outside the table's speeds. */
static double cadence_at(const cJSON *table, double v) {
  double ps = NAN, pc = NAN;
  if (!cJSON_IsArray(table) || !isfinite(v)) return NAN;
  for (const cJSON *row = table->child; row; row = row->next) {
    const cJSON *s = cJSON_GetArrayItem(row, 0), *c = cJSON_GetArrayItem(row, 1);
    if (!cJSON_IsNumber(s) || !cJSON_IsNumber(c)) continue;
    double sv = s->valuedouble, cv = c->valuedouble;
    if (v == sv) return cv;
    if (!isnan(ps) && v > ps && v < sv)
      return pc + (cv - pc) * (v - ps) / (sv - ps);
    ps = sv;
    pc = cv;
  }
  return NAN;
}

static void build_metrics(gk__report *r) {
  const cJSON *summary = cJSON_GetObjectItemCaseSensitive(r->gait, "summary");
  const cJSON *bands = cJSON_GetObjectItemCaseSensitive(r->bands, "metrics");
  double speed = jnum(r->gait, "speed_mps");
  if (!cJSON_IsObject(summary)) return;
  for (const cJSON *s = summary->child; s; s = s->next) {
    if (!cJSON_IsObject(s) || s->string == NULL) continue;
    if (r->n_metrics >= GK__REPORT_MAX_METRICS) break;
    gk__rmetric *m = &r->metrics[r->n_metrics++];
    memset(m, 0, sizeof *m);
    const cJSON *band = cJSON_GetObjectItemCaseSensitive(bands, s->string);
    m->name = s->string;
    m->label = jstr(band, "label") ? jstr(band, "label") : s->string;
    m->unit = jstr(s, "unit") ? jstr(s, "unit") : jstr(band, "unit");
    m->refused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "refused"));
    m->left = jnum(s, "left");
    m->right = jnum(s, "right");
    m->value = jnum(s, "value");
    if (isnan(m->value)) m->value = jnum(s, "mean");
    m->per_side = cJSON_GetObjectItemCaseSensitive(s, "left") != NULL ||
                  cJSON_GetObjectItemCaseSensitive(s, "right") != NULL;
    m->asymmetry = jnum(s, "asymmetry");
    m->asymmetry_pct = jnum(s, "asymmetry_pct");
    double nl = jnum(s, "n_left"), nr = jnum(s, "n_right");
    m->n_left = nl >= 0 && nl < 1e6 ? (unsigned)nl : 0;
    m->n_right = nr >= 0 && nr < 1e6 ? (unsigned)nr : 0;
    m->quality = jstr(s, "quality");
    m->note = jstr(s, "note");
    if (m->note && m->note[0] == '\0') m->note = NULL;
    m->band_low = jnum(band, "low");
    m->band_high = jnum(band, "high");
    const cJSON *by_speed = cJSON_GetObjectItemCaseSensitive(band, "by_speed");
    if (by_speed) {
      double c = cadence_at(by_speed, speed);
      m->band_low = m->band_high = c; /* a reference line at this speed */
    }
    if (!(m->band_low <= m->band_high)) m->band_low = m->band_high = NAN;
    m->band_source = jstr(band, "source");
    m->band_note = jstr(band, "evidence_note");
  }
}

/* ---- the clinician's entries ---------------------------------------------- */

static void copy_str(const cJSON *e, const char *key, char *dst, size_t size) {
  const char *v = jstr(e, key);
  snprintf(dst, size, "%s", v ? v : "");
}

void gk__report_clinician_entry(const cJSON *e, gk_buf *out) {
  gk_clinician_entry c;
  gk_clinician_entry_init(&c);
  int kind = gk_clinician_kind_parse(jstr(e, "kind"));
  c.kind = kind < 0 ? GK_CLIN_KIND_COUNT : (gk_clinician_kind)kind;
  int64_t day;
  const char *date = jstr(e, "date");
  if (date != NULL && gk_day_parse(date, &day) == GK_OK) c.day = day;
  copy_str(e, "author", c.author, sizeof c.author);
  copy_str(e, "target", c.target, sizeof c.target);
  copy_str(e, "text", c.text, sizeof c.text);
  copy_str(e, "reason", c.reason, sizeof c.reason);
  gk_clinician_describe(&c, out);
  const char *effect = jstr(e, "effect");
  if (effect && effect[0]) {
    gk_buf_puts(out, ". ");
    gk_buf_putc(out, (char)toupper((unsigned char)effect[0]));
    gk_buf_puts(out, effect + 1);
    gk_buf_putc(out, '.');
  }
}

const cJSON *gk__report_stage_entry(const gk__report *r) {
  if (!r->stage_by_clinician || r->clinician == NULL) return NULL;
  const cJSON *last = NULL;
  for (const cJSON *e = r->clinician->child; e; e = e->next) {
    const char *k = jstr(e, "kind");
    if (k && strcmp(k, "stage") == 0 &&
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "applied")))
      last = e;
  }
  return last;
}

/* ---- the plan --------------------------------------------------------------- */

static void read_plan(gk__report *r) {
  const cJSON *p = r->plan;
  if (!cJSON_IsObject(p)) return;
  double stage = jnum(p, "stage");
  r->stage = stage >= 1 && stage <= 9 ? (int)stage : 0;
  r->stage_zero = stage == 0;
  r->stage_name = jstr(p, "stage_name");
  r->stage_title = jstr(p, "stage_title");
  r->stage_goal = jstr(p, "stage_goal");
  r->provisional =
      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "provisional"));
  r->gates = cJSON_GetObjectItemCaseSensitive(p, "gates");
  r->all_gates = cJSON_GetObjectItemCaseSensitive(p, "all_gates");
  r->unknown = cJSON_GetObjectItemCaseSensitive(p, "unknown");
  r->education = cJSON_GetObjectItemCaseSensitive(p, "education");
  r->clinician = cJSON_GetObjectItemCaseSensitive(p, "clinician");
  if (!cJSON_IsArray(r->clinician) || r->clinician->child == NULL)
    r->clinician = NULL;
  r->stage_by_clinician =
      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "stage_by_clinician"));
  double sc = jnum(p, "stage_computed");
  r->stage_computed = sc >= 0 && sc <= 9 ? (int)sc : 0; /* NaN: absent */
  if (!cJSON_IsArray(r->unknown)) r->unknown = NULL;
  if (!cJSON_IsArray(r->education)) r->education = NULL;
  r->exercises = cJSON_GetObjectItemCaseSensitive(p, "exercises");
  r->running = cJSON_GetObjectItemCaseSensitive(p, "running");
  r->cadence = cJSON_GetObjectItemCaseSensitive(p, "cadence");
  r->this_week = cJSON_GetObjectItemCaseSensitive(p, "this_week");
  r->retests = cJSON_GetObjectItemCaseSensitive(p, "retests");
  if (!cJSON_IsArray(r->retests) || r->retests->child == NULL)
    r->retests = NULL;
  r->cadence_baseline_spm = jnum(r->cadence, "baseline_spm");
  r->cadence_target_spm = jnum(r->cadence, "target_spm");
  const cJSON *refer = cJSON_GetObjectItemCaseSensitive(p, "refer");
  if (cJSON_IsTrue(refer) ||
      (cJSON_IsObject(refer) &&
       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(refer, "refer"))))
    r->refer = 1;
}

/* ---- titles, labels, what could not be judged --------------------------------- */

/* The index of the '(' matching a final ')' of s[0..len), when it follows a
   space; 0 when there is none. */
static size_t final_paren(const char *s, size_t len) {
  if (len < 3 || s[len - 1] != ')') return 0;
  int depth = 0;
  for (size_t i = len; i-- > 0;) {
    if (s[i] == ')') depth++;
    else if (s[i] == '(' && --depth == 0)
      return i > 0 && s[i - 1] == ' ' ? i : 0;
  }
  return 0;
}

void gk__report_put_n(gk_buf *b, const char *s, size_t n,
                      void (*put)(gk_buf *b, const char *s)) {
  char *tmp = (char *)malloc(n + 1);
  if (tmp == NULL) {
    b->oom = 1;
    return;
  }
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  put(b, tmp);
  free(tmp);
}

void gk__report_split_source(const char *s, size_t *text_len,
                             const char **source, size_t *source_len) {
  size_t len = s ? strlen(s) : 0, open = s ? final_paren(s, len) : 0;
  *source = NULL;
  *source_len = 0;
  *text_len = len;
  if (open == 0) return;
  size_t t = open;
  while (t > 0 && s[t - 1] == ' ') t--;
  if (t == 0) return;
  *text_len = t;
  *source = s + open + 1;
  *source_len = len - open - 2;
}

void gk__report_short_label(const char *label, char *out, size_t size) {
  size_t n, sl;
  const char *src;
  if (size == 0) return;
  gk__report_split_source(label ? label : "", &n, &src, &sl);
  snprintf(out, size, "%.*s", (int)(n < 4096 ? n : 4096), label ? label : "");
}

int gk__report_gate_label(const gk__report *r, const char *name, char *out,
                          size_t size) {
  const cJSON *sets[2] = {r->all_gates, r->gates};
  for (int k = 0; k < 2; k++)
    for (const cJSON *g = cJSON_IsArray(sets[k]) ? sets[k]->child : NULL; g;
         g = g->next) {
      const char *n = jstr(g, "name"), *label = jstr(g, "label");
      if (n && label && name && strcmp(n, name) == 0) {
        gk__report_short_label(label, out, size);
        return 1;
      }
    }
  return 0;
}

const char *gk__report_code_title(const gk__report *r, const char *code,
                                  char *out, size_t size) {
  if (size == 0) return out;
  out[0] = '\0';
  if (code == NULL) return out;
  const cJSON *titles =
      cJSON_GetObjectItemCaseSensitive(r->text_data, "titles");
  const char *t = jstr(titles, code);
  if (t) {
    snprintf(out, size, "%s", t);
    return out;
  }
  char shortl[256];
  if (strncmp(code, "gate.", 5) == 0 &&
      gk__report_gate_label(r, code + 5, shortl, sizeof shortl)) {
    snprintf(out, size, "Gate not met yet: %s", shortl);
    return out;
  }
  if (strncmp(code, "stage.", 6) == 0 && code[6] >= '1' && code[6] <= '9' &&
      code[7] == '\0') {
    snprintf(out, size, "Core exercise of stage %c", code[6]);
    return out;
  }
  /* made from the code: "load.single_run_spike" -> "Single run spike" */
  const char *s = strrchr(code, '.');
  s = s && s[1] ? s + 1 : code;
  size_t k = 0;
  for (; *s && k + 1 < size; s++, k++) {
    char c = *s == '_' ? ' ' : *s;
    if (k == 0 && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    out[k] = c;
  }
  out[k] = '\0';
  return out;
}

size_t gk__report_conditions(const gk__report *r, gk__rcondition *out,
                             size_t max) {
  size_t n = 0;
  if (!r->provisional || r->all_gates == NULL) return 0;
  for (const cJSON *g = r->all_gates->child; g && n < max; g = g->next) {
    const cJSON *met = cJSON_GetObjectItemCaseSensitive(g, "met");
    double st = jnum(g, "stage");
    if (!cJSON_IsNull(met) || !(st >= 1 && st < r->stage)) continue;
    const char *label = jstr(g, "label");
    if (label == NULL) label = jstr(g, "name");
    if (label == NULL) continue;
    gk__report_short_label(label, out[n].label, sizeof out[n].label);
    out[n++].how = jstr(g, "how_to_measure");
  }
  return n;
}

/* A line `Gate "LABEL" (stage N): not measured.` of the plan's "unknown":
   1 with the stage and the label's bounds. */
static int unknown_gate(const char *s, int *stage, const char **label,
                        size_t *label_len) {
  static const char head[] = "Gate \"", tail[] = "): not measured.";
  static const char mid[] = "\" (stage ";
  if (strncmp(s, head, sizeof head - 1) != 0) return 0;
  const char *m = NULL;
  for (const char *p = s; (p = strstr(p, mid)) != NULL; p++) m = p;
  if (m == NULL || m < s + sizeof head - 1) return 0;
  const char *d = m + sizeof mid - 1;
  if (*d < '1' || *d > '9' || strcmp(d + 1, tail) != 0) return 0;
  *stage = *d - '0';
  *label = s + sizeof head - 1;
  *label_len = (size_t)(m - *label);
  return 1;
}

size_t gk__report_unknown(const gk__report *r, gk__runknown *out, size_t max) {
  size_t n = 0;
  if (r->unknown == NULL) return 0;
  int st;
  const char *label;
  size_t len;
  for (const cJSON *u = r->unknown->child; u && n < max; u = u->next) {
    if (!cJSON_IsString(u) || u->valuestring == NULL) continue;
    if (unknown_gate(u->valuestring, &st, &label, &len)) continue;
    memset(&out[n], 0, sizeof out[n]);
    out[n++].text = u->valuestring;
  }
  for (int stage = 1; stage <= 9 && n < max; stage++) {
    gk__runknown *g = &out[n];
    memset(g, 0, sizeof *g);
    g->stage = stage;
    size_t used = 0;
    int full = 0;
    for (const cJSON *u = r->unknown->child; u; u = u->next) {
      if (!cJSON_IsString(u) || u->valuestring == NULL ||
          !unknown_gate(u->valuestring, &st, &label, &len) || st != stage)
        continue;
      char one[512], shortl[512];
      snprintf(one, sizeof one, "%.*s", (int)(len < 500 ? len : 500), label);
      gk__report_short_label(one, shortl, sizeof shortl);
      size_t need = strlen(shortl) + (g->n_gates ? 2 : 0);
      if (!full && used + need + sizeof "; and more" < sizeof g->gates) {
        used += (size_t)snprintf(g->gates + used, sizeof g->gates - used,
                                 "%s%s", g->n_gates ? "; " : "", shortl);
      } else if (!full) {
        full = 1;
        snprintf(g->gates + used, sizeof g->gates - used, "; and more");
      }
      g->n_gates++;
    }
    if (g->n_gates) n++;
  }
  return n;
}

/* ---- this week --------------------------------------------------------------- */

static const char *text_item(const gk__report *r, const char *key,
                             const char **source) {
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(r->text_data, key);
  if (source) *source = jstr(o, "source");
  return jstr(o, "text");
}

/* A JSON value as plain text (arrays joined by ", "). */
static void plain(const cJSON *v, char *out, size_t size) {
  if (cJSON_IsString(v)) snprintf(out, size, "%s", v->valuestring);
  else if (cJSON_IsNumber(v)) snprintf(out, size, "%g", v->valuedouble);
  else if (cJSON_IsBool(v)) snprintf(out, size, "%s", cJSON_IsTrue(v) ? "yes" : "no");
  else {
    char *t = cJSON_PrintUnformatted(v);
    snprintf(out, size, "%s", t ? t : "");
    cJSON_free(t);
  }
}

size_t gk__report_this_week(const gk__report *r, gk__rweek_item *items,
                            size_t max) {
  size_t n = 0;
  /* A rest going on longer than the method allows, first (the plan's
     rest_alert: "Day 6 without running ..."). */
  const char *alert = jstr(r->running, "rest_alert");
  if (r->plan && alert != NULL && n < max) {
    snprintf(items[n].text, sizeof items[n].text, "%s", alert);
    items[n++].source = jstr(cJSON_GetObjectItemCaseSensitive(r->plan,
                                                              "running"),
                             "rest_alert_source");
  }
  if (r->plan && cJSON_IsArray(r->this_week) && r->this_week->child) {
    for (const cJSON *c = r->this_week->child; c && n < max; c = c->next) {
      plain(c, items[n].text, sizeof items[n].text);
      items[n++].source = NULL;
    }
  } else if (r->plan) {
    const char *rs = jstr(r->running, "summary");
    if (rs != NULL && n < max) {
      snprintf(items[n].text, sizeof items[n].text, "Running: %s", rs);
      items[n++].source = NULL;
    } else if (jstr(r->running, "text") != NULL && n < max) {
      char plain_text[sizeof items[n].text - 16];
      gk__report_running_plain(r, plain_text, sizeof plain_text);
      snprintf(items[n].text, sizeof items[n].text, "Running: %s", plain_text);
      items[n++].source = NULL;
    }
    int ne = cJSON_IsArray(r->exercises) ? cJSON_GetArraySize(r->exercises) : 0;
    if (ne > 0 && n < max) {
      snprintf(items[n].text, sizeof items[n].text,
               "Do the %d exercise%s of the exercise plan, at the doses "
               "given.", ne, ne == 1 ? "" : "s");
      items[n++].source = NULL;
    }
    if (isfinite(r->cadence_target_spm) && gk__report_running_prescribed(r) &&
        n < max) {
      snprintf(items[n].text, sizeof items[n].text,
               "Cadence: aim for about %.0f steps per minute on easy runs.",
               r->cadence_target_spm);
      items[n++].source = NULL;
    }
  }
  /* The tests due now (the plan's re-tests with due_now). */
  const cJSON *rt, *retests = r->plan != NULL ? r->retests : NULL;
  cJSON_ArrayForEach(rt, retests) {
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rt, "due_now")) ||
        jstr(rt, "name") == NULL || n >= max)
      continue;
    gk__report_retest(rt, 0, items[n].text, sizeof items[n].text);
    items[n++].source = NULL;
  }
  /* The single-run cap: the plan's when there is a plan (none while its
     running is paused, stopped or rebuilt by walk/run), else the load's. */
  double cap = r->run_cap_m;
  if (r->running != NULL) {
    const char *mode = jstr(r->running, "mode");
    const cJSON *pc =
        cJSON_GetObjectItemCaseSensitive(r->running, "max_single_run_m");
    if (mode != NULL && strcmp(mode, "continue_capped") != 0) cap = NAN;
    else if (cJSON_IsNumber(pc)) cap = pc->valuedouble;
  }
  const char *src, *t = text_item(r, "run_cap", &src);
  if (t && isfinite(cap) && n < max) {
    snprintf(items[n].text, sizeof items[n].text, "%s Today that is at most "
             "%.1f km.", t, cap / 1000);
    items[n++].source = src;
  }
  t = gk__report_pain_rule(r, &src);
  if (t && n < max) {
    snprintf(items[n].text, sizeof items[n].text, "%s", t);
    items[n++].source = src;
  }
  return n;
}

void gk__report_retest(const cJSON *t, int with_why, char *out,
                       size_t size) {
  if (size == 0) return;
  const char *name = jstr(t, "name"), *due = jstr(t, "due");
  const char *why = jstr(t, "why");
  int now = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "due_now"));
  snprintf(out, size, "%s%s%s%s%s%s", name ? name : "A test",
           due ? (now ? ", due now (since " : ", due on ") : "",
           due ? due : "", due && now ? ")" : "",
           with_why && why ? ": " : "", with_why && why ? why : "");
}

int gk__report_date_shown(const gk__report *r, size_t head, size_t k) {
  const gk__rfinding *o = &r->findings[k];
  for (size_t j = head; j < k; j++) {
    const gk__rfinding *p = &r->findings[j];
    if ((j == head || p->repeat_of == (int)head) &&
        p->date_from == o->date_from && p->date_to == o->date_to)
      return 1;
  }
  return 0;
}

/* The plan's gate of that name with its label, from "all_gates", else
   "gates"; NULL when none. */
static const cJSON *plan_gate(const gk__report *r, const char *name) {
  const cJSON *lists[2] = {r->all_gates, r->gates};
  for (int k = 0; k < 2; k++) {
    const cJSON *g;
    cJSON_ArrayForEach(g, lists[k]) {
      const char *n = jstr(g, "name");
      if (n && strcmp(n, name) == 0 && jstr(g, "label")) return g;
    }
  }
  return NULL;
}

void gk__report_running_plain(const gk__report *r, char *out, size_t size) {
  if (size == 0) return;
  out[0] = '\0';
  const char *t = jstr(r->running, "text");
  if (t == NULL) return;
  /* The gates the plan names in its running text: the ones it puts before
     running (data/running.json before_running), not met or not known. */
  enum { MAXG = 16 };
  const cJSON *g[MAXG];
  size_t ng = 0;
  const cJSON *data = gk__data("running.json");
  const cJSON *name;
  cJSON_ArrayForEach(name, cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(
                                   data, "before_running"), "gates")) {
    if (!cJSON_IsString(name) || ng == MAXG) continue;
    const cJSON *x = plan_gate(r, name->valuestring);
    if (x && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "met")))
      g[ng++] = x;
  }
  size_t o = 0;
  while (*t && o + 1 < size) {
    /* the longest label of those gates starting here */
    const cJSON *best = NULL;
    size_t bl = 0;
    for (size_t i = 0; i < ng; i++) {
      const char *l = jstr(g[i], "label");
      size_t ll = strlen(l);
      if (ll > bl && strncmp(t, l, ll) == 0) best = g[i], bl = ll;
    }
    if (best == NULL) {
      out[o++] = *t++;
      continue;
    }
    char rep[512], lim[64] = "";
    gk__report_short_label(jstr(best, "label"), rep, sizeof rep);
    /* a pain gate says its limit, unless it is not known yet */
    const char *unit = jstr(best, "unit"), *cmp = jstr(best, "comparison");
    double target = jnum(best, "target");
    if (unit && strcmp(unit, "/10") == 0 && cmp && isfinite(target) &&
        strncmp(t + bl, " (not yet known)", 16) != 0)
      snprintf(lim, sizeof lim, " (%s %g/10)",
               strcmp(cmp, "<=") == 0   ? "at most"
               : strcmp(cmp, ">=") == 0 ? "at least"
                                        : cmp,
               target);
    int k = snprintf(out + o, size - o, "%s%s", rep, lim);
    if (k < 0 || (size_t)k >= size - o) {
      o = size - 1;
      break;
    }
    o += (size_t)k;
    t += bl;
  }
  out[o < size ? o : size - 1] = '\0';
}

int gk__report_break(const gk__report *r, char *out, size_t size) {
  const gk_load_report *l = r->load;
  if (size) out[0] = '\0';
  if (l == NULL || l->break_from == INT64_MIN || l->break_from == 0 ||
      l->break_to < l->break_from)
    return 0;
  char a[11], z[11];
  long long days = (long long)(l->break_to - l->break_from + 1);
  if (l->break_ongoing)
    snprintf(out, size, "no run since %s: %lld days so far, the break goes on",
             gk_day_format(l->break_from - 1, a), days);
  else
    snprintf(out, size, "no run from %s to %s (%lld days)",
             gk_day_format(l->break_from, a), gk_day_format(l->break_to, z),
             days);
  return 1;
}

int gk__report_running_prescribed(const gk__report *r) {
  const char *mode = jstr(r->running, "mode");
  if (r->plan == NULL || mode == NULL) return 1; /* no plan: runs go on */
  return strcmp(mode, "continue_capped") == 0 || strcmp(mode, "walk_run") == 0;
}

int gk__report_running_capped(const gk__report *r) {
  const char *mode = jstr(r->running, "mode");
  return r->plan == NULL || mode == NULL || strcmp(mode, "continue_capped") == 0;
}

const char *gk__report_pain_rule(const gk__report *r, const char **source) {
  const cJSON *pr = cJSON_GetObjectItemCaseSensitive(r->plan, "pain_rule");
  if (!cJSON_IsObject(pr) || jstr(pr, "text") == NULL)
    pr = cJSON_GetObjectItemCaseSensitive(r->running, "pain_limits");
  if (cJSON_IsObject(pr) && jstr(pr, "text")) {
    if (source) *source = jstr(pr, "source");
    return jstr(pr, "text");
  }
  return text_item(r, "pain_rule", source);
}

/* ---- build ------------------------------------------------------------------ */

gk_status gk__report_build(gk__report *r, const gk_report_input *in) {
  memset(r, 0, sizeof *r);
  r->cadence_baseline_spm = r->cadence_target_spm = r->run_cap_m = NAN;
  if (in == NULL || in->today < GK_DAY_MIN || in->today > GK_DAY_MAX ||
      (in->runs == NULL && in->n_runs) || (in->pain == NULL && in->n_pain) ||
      (in->sources == NULL && in->n_sources))
    return GK_E_ARG;
  r->in = in;
  r->today = in->today;
  r->load = in->load;
  if (r->load == NULL) {
    gk_status st = gk_load_analyze(in->runs, in->n_runs, in->pain, in->n_pain,
                                   in->today, &r->own_load);
    if (st != GK_OK) return st;
    r->load = &r->own_load;
  }
  r->text_data = gk__data("report_text.json");
  r->bands = gk__data("report_bands.json");
  r->figures_data = gk__data("exercise_figures.json");
  if (r->text_data == NULL || r->bands == NULL) return GK_E_NOMEM;
  if (in->plan_json) {
    r->plan = cJSON_Parse(in->plan_json);
    if (!cJSON_IsObject(r->plan)) {
      cJSON_Delete(r->plan);
      r->plan = NULL;
      r->plan_unreadable = 1;
    }
  }
  if (in->course_json) {
    r->course = cJSON_Parse(in->course_json);
    if (!cJSON_IsObject(r->course)) {
      cJSON_Delete(r->course);
      r->course = NULL;
    }
  }
  if (gk__course_read(r) == GK_E_NOMEM) return GK_E_NOMEM;
  if (in->gait_json) {
    r->gait = cJSON_Parse(in->gait_json);
    if (!cJSON_IsObject(r->gait)) {
      cJSON_Delete(r->gait);
      r->gait = NULL;
      r->gait_unreadable = 1;
    }
  }

  for (size_t i = 0; i < r->load->n_findings; i++) {
    const gk_finding *f = &r->load->findings[i];
    gk__rfinding x;
    memset(&x, 0, sizeof x);
    x.code = f->code;
    x.severity = (int)f->severity;
    x.text = f->text;
    x.source = f->source;
    x.evidence_note = f->evidence_note;
    x.value = f->value;
    x.threshold = f->threshold;
    x.date_from = f->date_from;
    x.date_to = f->date_to;
    x.origin = "training load";
    add_finding(r, &x);
    if (strcmp(f->code, "load.single_run_spike") == 0 &&
        isfinite(f->threshold) && isfinite(r->load->longest_run_30d_m))
      r->run_cap_m = f->threshold * r->load->longest_run_30d_m;
  }
  if (r->gait)
    add_json_findings(r, cJSON_GetObjectItemCaseSensitive(r->gait, "findings"),
                      "gait");
  if (r->plan)
    add_json_findings(r, cJSON_GetObjectItemCaseSensitive(r->plan, "findings"),
                      "plan");
  qsort(r->findings, r->n_findings, sizeof r->findings[0], by_severity);
  add_chains(r);
  group_repeats(r);
  /* Without a plan: the cap counts only the runs after the latest break,
     as the plan's does (none while the break goes on). */
  if (isnan(r->run_cap_m) && isfinite(r->load->longest_run_30d_m))
    r->run_cap_m = SPIKE_RATIO_DEFAULT * r->load->longest_run_30d_m;
  if (r->load->break_from != INT64_MIN && r->load->break_from != 0) {
    double since = r->load->longest_run_30d_since_break_m;
    r->run_cap_m = isfinite(r->run_cap_m) && isfinite(since) && since > 0
                       ? r->run_cap_m / r->load->longest_run_30d_m * since
                       : NAN;
  }

  read_plan(r);
  build_metrics(r);
  r->week_from = r->load->n_weekly > GK__REPORT_WEEKS
                     ? r->load->n_weekly - GK__REPORT_WEEKS
                     : 0;
  return build_days(r);
}

void gk__report_free(gk__report *r) {
  if (r == NULL) return;
  gk_load_report_free(&r->own_load);
  cJSON_Delete(r->plan);
  cJSON_Delete(r->gait);
  cJSON_Delete(r->course);
  free(r->crs);
  memset(r, 0, sizeof *r);
}

/* ---- text helpers -------------------------------------------------------- */

void gk__bprintf(gk_buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  gk_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

void gk__besc_printf(gk_buf *b, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  gk__html_esc(b, tmp);
}

/* The length of a valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
    if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
        (s[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;
    if (c == 0xF4 && s[1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}

void gk__html_esc(gk_buf *b, const char *s) {
  if (s == NULL) return;
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    const unsigned char *run = p;
    while (*p && *p >= 0x20 && *p < 0x80 && *p != '&' && *p != '<' &&
           *p != '>' && *p != '"' && *p != '\'' && *p != '/' && *p != 0x7F)
      p++;
    gk_buf_put(b, run, (size_t)(p - run));
    if (!*p) break;
    switch (*p) {
      case '&': gk_buf_puts(b, "&amp;"); p++; continue;
      case '<': gk_buf_puts(b, "&lt;"); p++; continue;
      case '>': gk_buf_puts(b, "&gt;"); p++; continue;
      case '"': gk_buf_puts(b, "&quot;"); p++; continue;
      case '\'': gk_buf_puts(b, "&#39;"); p++; continue;
      case '/': gk_buf_puts(b, "&#47;"); p++; continue;
      case '\t': case '\n': gk_buf_putc(b, (char)*p); p++; continue;
      default: break;
    }
    if (*p < 0x20 || *p == 0x7F) { /* other control characters: dropped */
      p++;
      continue;
    }
    size_t n = utf8_len(p);
    if (n == 0) {
      gk_buf_puts(b, "\xEF\xBF\xBD");
      p++;
    } else {
      gk_buf_put(b, p, n);
      p += n;
    }
  }
}
