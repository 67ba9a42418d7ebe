/*
** course.c -- the runner's course over weeks (gaitkeeper/course.h): the
** plan rebuilt as of every day with a record and one day a week between,
** each change of stage with the gate that moved it, and the AKPS of every
** intake.  The plan of each day is gk_assess's, so the time line shows
** exactly what the plan said (or would have said) on that day.
*/
#include "gaitkeeper/course.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/clinic.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/load.h"

/* ---- the days to evaluate ------------------------------------------------- */

enum { VISIT_INTAKE = 1, VISIT_SCREEN = 2 };

typedef struct days_ctx {
  int64_t *day;
  unsigned char *visit;
  size_t n, cap;
  int64_t today;
  int oom;
} days_ctx;

static void add_day(days_ctx *c, int64_t day, int visit) {
  if (day > c->today || day < GK_DAY_MIN || c->oom) return;
  if (c->n == c->cap) {
    size_t ncap = c->cap ? c->cap * 2 : 256;
    int64_t *nd = (int64_t *)realloc(c->day, ncap * sizeof *nd);
    if (nd == NULL) {
      c->oom = 1;
      return;
    }
    c->day = nd;
    unsigned char *nv = (unsigned char *)realloc(c->visit, ncap);
    if (nv == NULL) {
      c->oom = 1;
      return;
    }
    c->visit = nv;
    c->cap = ncap;
  }
  c->day[c->n] = day;
  c->visit[c->n++] = (unsigned char)visit;
}

static void unreadable(gk_course *c, int64_t day, const char *kind,
                       const char *why) {
  c->unreadable_total++;
  if (c->n_unreadable >= sizeof c->unreadable / sizeof c->unreadable[0])
    return;
  c->unreadable[c->n_unreadable].day = day;
  snprintf(c->unreadable[c->n_unreadable].kind,
           sizeof c->unreadable[c->n_unreadable].kind, "%s", kind);
  snprintf(c->unreadable[c->n_unreadable].why,
           sizeof c->unreadable[c->n_unreadable].why, "%s",
           why ? why : "not valid answers");
  c->n_unreadable++;
}

typedef struct akps_ctx {
  days_ctx *days;
  gk_course *course;
} akps_ctx;

static int on_answers_intake(void *user, int64_t id, int64_t day,
                             const char *json) {
  (void)id;
  akps_ctx *a = (akps_ctx *)user;
  add_day(a->days, day, VISIT_INTAKE);
  if (day > a->days->today) return 0;
  gk_intake ik;
  gk_intake_result r;
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_course *c = a->course;
  if (gk_intake_parse(json, strlen(json), &ik, &e) != GK_OK ||
      gk_intake_assess(&ik, &r, &e) != GK_OK) {
    unreadable(c, day, "intake", e.msg);
    return 0;
  }
  if (!isfinite(r.akps)) return 0;
  gk_course_akps *n = (gk_course_akps *)realloc(
      c->akps, (c->n_akps + 1) * sizeof *c->akps);
  if (n == NULL) {
    c->oom_ = 1;
    return 1;
  }
  c->akps = n;
  c->akps[c->n_akps].day = day;
  c->akps[c->n_akps++].score = r.akps;
  return 0;
}

static int on_answers_screen(void *user, int64_t id, int64_t day,
                             const char *json) {
  (void)id;
  akps_ctx *a = (akps_ctx *)user;
  add_day(a->days, day, VISIT_SCREEN);
  if (day > a->days->today) return 0;
  gk_screen sc;
  gk_err e;
  memset(&e, 0, sizeof e);
  if (gk_screen_parse(json, strlen(json), &sc, &e) != GK_OK)
    unreadable(a->course, day, "screen", e.msg);
  return 0;
}

static int on_clinician(void *user, const gk_clinician_entry *e) {
  add_day((days_ctx *)user, e->day, 0);
  return 0;
}

static int on_pain(void *user, const gk_pain_entry *e) {
  add_day((days_ctx *)user, e->day, 0);
  return 0;
}

static int on_capture(void *user, const gk_capture_row *r) {
  add_day((days_ctx *)user,
          r->day != INT64_MIN ? r->day : gk_day_of_time(r->created_at), 0);
  return 0;
}

static int on_session(void *user, const gk_exercise_session *e) {
  add_day((days_ctx *)user, e->day, 0);
  return 0;
}

static int cmp_day(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* VISIT_* bits of the answers given on day. */
static int visit_of(const days_ctx *c, int64_t day) {
  int v = 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->day[i] == day) v |= c->visit[i];
  return v;
}

/* ---- changes -------------------------------------------------------------- */

static void num_text(char *out, size_t size, double v) {
  if (isnan(v)) snprintf(out, size, "not measured");
  else snprintf(out, size, "%.4g", v);
}

/* One gate's state in words: "Deep squat without pain: met (1; target ==
   1)". */
static void gate_words(const gk_course *c, const gk_course_day *cur, size_t g,
                       char *out, size_t size) {
  const gk_course_gate *gt = &c->gates[g];
  char v[32], t[32];
  num_text(v, sizeof v, cur->value[g]);
  num_text(t, sizeof t, gt->target);
  /* "3/10", "12 cm" */
  const char *sp = gt->unit[0] == '/' || gt->unit[0] == '%' ? "" : " ";
  int known = isfinite(cur->value[g]);
  snprintf(out, size, "%.120s: %s (%s%s%s; target %s %s%s%s)",
           gt->label[0] ? gt->label : gt->name,
           cur->met[g] == 1   ? "met"
           : cur->met[g] == 0 ? "not met"
                              : "no longer known",
           v, gt->unit[0] && known ? sp : "", known ? gt->unit : "", gt->cmp,
           t, gt->unit[0] ? sp : "", gt->unit);
}

/* Why the stage moved from prev to cur: the gates of the stage left (up)
   that became met, or of the new stage (down) that stopped being met (up
   to three, the first named in ch->gate); else the first gate that
   changed at all. */
static void explain(gk_course *c, const gk_course_day *prev,
                    const gk_course_day *cur, gk_course_change *ch) {
  int up = cur->stage > prev->stage;
  size_t picked[3], n = 0;
  for (size_t g = 0; g < c->n_gates && n < 3; g++) {
    int st = c->gates[g].stage;
    int in_range = up ? st >= prev->stage && st < cur->stage
                      : st == cur->stage;
    if (!in_range) continue;
    if ((up && prev->met[g] != 1 && cur->met[g] == 1) ||
        (!up && prev->met[g] != 0 && cur->met[g] == 0))
      picked[n++] = g;
  }
  for (size_t g = 0; g < c->n_gates && n == 0; g++)
    if (c->gates[g].stage >= 1 && prev->met[g] != cur->met[g]) picked[n++] = g;
  if (n == 0) return;
  snprintf(ch->gate, sizeof ch->gate, "%s", c->gates[picked[0]].name);
  size_t used = 0;
  for (size_t k = 0; k < n && used < sizeof ch->why; k++) {
    char one[256];
    gate_words(c, cur, picked[k], one, sizeof one);
    int w = snprintf(ch->why + used, sizeof ch->why - used, "%s%s",
                     k ? "; " : "", one);
    if (w < 0) break;
    used += (size_t)w;
  }
}

/* ---- the course ------------------------------------------------------------- */

static gk_status fail(gk_err *err, gk_status st, const char *what) {
  if (err != NULL) {
    memset(err, 0, sizeof *err);
    err->code = st;
    err->msg = what;
  }
  return st;
}

static void gates_from(gk_course *c, const gk_plan *p) {
  c->n_gates = p->n_gates < GK_COURSE_MAX_GATES ? p->n_gates
                                                : GK_COURSE_MAX_GATES;
  for (size_t g = 0; g < c->n_gates; g++) {
    const gk_plan_gate *pg = &p->gates[g];
    gk_course_gate *o = &c->gates[g];
    snprintf(o->name, sizeof o->name, "%s", pg->name ? pg->name : "");
    snprintf(o->label, sizeof o->label, "%s", pg->label ? pg->label : "");
    snprintf(o->unit, sizeof o->unit, "%s", pg->unit ? pg->unit : "");
    snprintf(o->cmp, sizeof o->cmp, "%s", pg->cmp ? pg->cmp : "");
    snprintf(o->from, sizeof o->from, "%s", pg->from ? pg->from : "");
    o->stage = pg->stage;
    o->target = pg->target;
  }
}

static void mics(gk_course *c) {
  c->pain_mic = gk_pain_mic(&c->pain_mic_source);
  c->akps_mic = NAN;
  c->akps_mic_source = NULL;
  const cJSON *a = gk__data("akps.json");
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(a, "mic");
  const cJSON *pts = cJSON_GetObjectItemCaseSensitive(m, "points");
  if (cJSON_IsNumber(pts) && pts->valuedouble > 0 && pts->valuedouble < 100)
    c->akps_mic = pts->valuedouble;
  if (isfinite(c->akps_mic))
    c->akps_mic_source =
        "Crossley et al. 2004 (Arch Phys Med Rehabil 85:815-22): about 8-10 "
        "points (remembered, not read; data/akps.json)";
}

gk_status gk_course_build(gk_store *store, int64_t today, gk_course *c,
                          gk_err *err) {
  if (c == NULL) return fail(err, GK_E_ARG, "no place for the course");
  memset(c, 0, sizeof *c);
  c->today = today;
  if (err != NULL) memset(err, 0, sizeof *err);
  if (today < GK_DAY_MIN || today > GK_DAY_MAX)
    return fail(err, GK_E_ARG, "the day is out of range");
  mics(c);
  if (store == NULL) return GK_OK;

  days_ctx dc;
  memset(&dc, 0, sizeof dc);
  dc.today = today;
  akps_ctx ac = {&dc, c};
  gk_status st = gk_store_each_answers(store, "intake", today,
                                       on_answers_intake, &ac);
  if (st == GK_OK)
    st = gk_store_each_answers(store, "screen", today, on_answers_screen, &ac);
  if (st == GK_OK)
    st = gk_store_each_clinician(store, today, on_clinician, &dc);
  if (st == GK_OK) st = gk_store_each_pain(store, on_pain, &dc);
  if (st == GK_OK) st = gk_store_each_capture(store, on_capture, &dc);
  if (st == GK_OK) st = gk_store_each_session(store, today, on_session, &dc);
  if (dc.oom || c->oom_) st = GK_E_NOMEM;
  if (st != GK_OK) {
    free(dc.day);
    free(dc.visit);
    return fail(err, st, "reading the records");
  }
  if (dc.n == 0) {
    free(dc.day);
    free(dc.visit);
    return GK_OK;
  }
  /* The course starts at the first visit (intake or screen answers) when
     there is one, else at the first record; one day a week between it and
     today, and today. */
  int64_t first = INT64_MAX, first_visit = INT64_MAX;
  for (size_t i = 0; i < dc.n; i++) {
    if (dc.day[i] < first) first = dc.day[i];
    if (dc.visit[i] && dc.day[i] < first_visit) first_visit = dc.day[i];
  }
  if (first_visit != INT64_MAX) first = first_visit;
  for (int64_t d = first + 7; d < today && !dc.oom; d += 7) add_day(&dc, d, 0);
  add_day(&dc, today, 0);
  if (dc.oom) {
    free(dc.day);
    free(dc.visit);
    return fail(err, GK_E_NOMEM, "listing the days");
  }
  /* sorted, distinct; the visits marked */
  int64_t *days = (int64_t *)malloc(dc.n * sizeof *days);
  if (days == NULL) {
    free(dc.day);
    free(dc.visit);
    return fail(err, GK_E_NOMEM, "listing the days");
  }
  memcpy(days, dc.day, dc.n * sizeof *days);
  qsort(days, dc.n, sizeof *days, cmp_day);
  size_t nd = 0;
  for (size_t i = 0; i < dc.n; i++)
    if (days[i] >= first && (nd == 0 || days[nd - 1] != days[i]))
      days[nd++] = days[i];
  size_t from = nd > GK_COURSE_MAX_DAYS ? nd - GK_COURSE_MAX_DAYS : 0;
  c->days_left_out = from;

  gk_history all;
  st = gk_history_load(store, INT64_MAX, &all);
  if (st != GK_OK) {
    gk_history_free(&all);
    free(days);
    free(dc.day);
    free(dc.visit);
    return fail(err, st, "reading the runs and pain log");
  }
  c->days = (gk_course_day *)calloc(nd - from, sizeof *c->days);
  c->changes = (gk_course_change *)calloc(nd - from, sizeof *c->changes);
  if (c->days == NULL || c->changes == NULL) st = GK_E_NOMEM;
  for (size_t i = from; i < nd && st == GK_OK; i++) {
    gk_assessment a;
    st = gk_assess_with(store, days[i], &all, &a, err);
    if (st != GK_OK) {
      gk_assessment_free(&a);
      break;
    }
    gk_course_day *o = &c->days[c->n_days++];
    memset(o, 0, sizeof *o);
    o->day = days[i];
    int v = visit_of(&dc, days[i]);
    o->visit = v != 0;
    o->screened = (v & VISIT_SCREEN) != 0;
    const gk_plan *p = a.plan;
    o->stage = p ? p->stage : -1;
    o->provisional = p ? p->provisional : 0;
    o->by_clinician = p && p->stage_by_clinician != NULL;
    if (p && c->n_gates == 0) gates_from(c, p);
    for (size_t g = 0; g < GK_COURSE_MAX_GATES; g++) {
      o->met[g] = -1;
      o->value[g] = NAN;
    }
    for (size_t g = 0; p && g < c->n_gates && g < p->n_gates; g++) {
      if (strcmp(p->gates[g].name, c->gates[g].name) != 0) continue;
      o->met[g] = (signed char)p->gates[g].met;
      o->value[g] = p->gates[g].value;
    }
    /* a change of stage from the day before */
    if (c->n_days >= 2) {
      const gk_course_day *prev = &c->days[c->n_days - 2];
      if (prev->stage != o->stage && prev->stage >= 0 && o->stage >= 0) {
        gk_course_change *ch = &c->changes[c->n_changes++];
        memset(ch, 0, sizeof *ch);
        ch->day = o->day;
        ch->from = prev->stage;
        ch->to = o->stage;
        ch->by_clinician = o->by_clinician;
        if (o->by_clinician) {
          const gk_clinician_entry *ce = &p->stage_by_clinician->entry;
          snprintf(ch->why, sizeof ch->why, "Set by %.60s: %.240s",
                   ce->author[0] ? ce->author : "the clinician", ce->reason);
        } else if (o->stage == 0) {
          snprintf(ch->why, sizeof ch->why, "Referred: %s",
                   p->refer_to ? p->refer_to : "see a clinician");
        } else {
          explain(c, prev, o, ch);
        }
      }
    }
    gk_assessment_free(&a);
  }
  gk_history_free(&all);
  free(days);
  free(dc.day);
  free(dc.visit);
  if (st != GK_OK && (err == NULL || err->msg == NULL))
    fail(err, st, "rebuilding a day's plan");
  return st;
}

void gk_course_free(gk_course *c) {
  if (c == NULL) return;
  free(c->days);
  free(c->changes);
  free(c->akps);
  memset(c, 0, sizeof *c);
}

/* ---- JSON -------------------------------------------------------------------- */

void gk_course_write_json(const gk_course *c, gk_buf *b) {
  gk_buf_putc(b, '{');
  gk_json_key(b, "today");
  gk_json_day(b, c->today);
  gk_buf_putc(b, ',');
  gk_json_key(b, "gates");
  gk_buf_putc(b, '[');
  for (size_t g = 0; g < c->n_gates; g++) {
    const gk_course_gate *o = &c->gates[g];
    if (g) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "name");
    gk_json_str(b, o->name);
    gk_buf_putc(b, ',');
    gk_json_key(b, "label");
    gk_json_str(b, o->label);
    gk_buf_putc(b, ',');
    gk_json_key(b, "unit");
    gk_json_str(b, o->unit);
    gk_buf_putc(b, ',');
    gk_json_key(b, "comparison");
    gk_json_str(b, o->cmp);
    gk_buf_putc(b, ',');
    gk_json_key(b, "from");
    gk_json_str(b, o->from);
    gk_buf_putc(b, ',');
    gk_json_key(b, "stage");
    gk_json_i64(b, o->stage);
    gk_buf_putc(b, ',');
    gk_json_key(b, "target");
    gk_json_num(b, o->target);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "days");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < c->n_days; i++) {
    const gk_course_day *d = &c->days[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "date");
    gk_json_day(b, d->day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "stage");
    if (d->stage >= 0) gk_json_i64(b, d->stage);
    else gk_buf_puts(b, "null");
    gk_buf_putc(b, ',');
    gk_json_key(b, "provisional");
    gk_buf_puts(b, d->provisional ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "by_clinician");
    gk_buf_puts(b, d->by_clinician ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "visit");
    gk_buf_puts(b, d->visit ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "screen");
    gk_buf_puts(b, d->screened ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "met");
    gk_buf_putc(b, '[');
    for (size_t g = 0; g < c->n_gates; g++) {
      if (g) gk_buf_putc(b, ',');
      gk_buf_puts(b, d->met[g] == 1 ? "true" : d->met[g] == 0 ? "false"
                                                              : "null");
    }
    gk_buf_puts(b, "],");
    gk_json_key(b, "value");
    gk_buf_putc(b, '[');
    for (size_t g = 0; g < c->n_gates; g++) {
      if (g) gk_buf_putc(b, ',');
      gk_json_num(b, d->value[g]);
    }
    gk_buf_puts(b, "]}");
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "days_left_out");
  gk_json_i64(b, (int64_t)c->days_left_out);
  gk_buf_putc(b, ',');
  gk_json_key(b, "changes");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < c->n_changes; i++) {
    const gk_course_change *ch = &c->changes[i];
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "date");
    gk_json_day(b, ch->day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "from");
    gk_json_i64(b, ch->from);
    gk_buf_putc(b, ',');
    gk_json_key(b, "to");
    gk_json_i64(b, ch->to);
    gk_buf_putc(b, ',');
    gk_json_key(b, "by_clinician");
    gk_buf_puts(b, ch->by_clinician ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "gate");
    gk_json_str_or_null(b, ch->gate[0] ? ch->gate : NULL);
    gk_buf_putc(b, ',');
    gk_json_key(b, "why");
    gk_json_str(b, ch->why);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "akps");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < c->n_akps; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "date");
    gk_json_day(b, c->akps[i].day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "score");
    gk_json_num(b, c->akps[i].score);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "akps_mic");
  gk_json_num(b, c->akps_mic);
  gk_buf_putc(b, ',');
  gk_json_key(b, "akps_mic_source");
  gk_json_str_or_null(b, c->akps_mic_source);
  gk_buf_putc(b, ',');
  gk_json_key(b, "pain_mic");
  gk_json_num(b, c->pain_mic);
  gk_buf_putc(b, ',');
  gk_json_key(b, "pain_mic_source");
  gk_json_str_or_null(b, c->pain_mic_source);
  gk_buf_putc(b, ',');
  gk_json_key(b, "unreadable");
  gk_buf_putc(b, '[');
  for (size_t i = 0; i < c->n_unreadable; i++) {
    if (i) gk_buf_putc(b, ',');
    gk_buf_putc(b, '{');
    gk_json_key(b, "date");
    gk_json_day(b, c->unreadable[i].day);
    gk_buf_putc(b, ',');
    gk_json_key(b, "kind");
    gk_json_str(b, c->unreadable[i].kind);
    gk_buf_putc(b, ',');
    gk_json_key(b, "why");
    gk_json_str(b, c->unreadable[i].why);
    gk_buf_putc(b, '}');
  }
  gk_buf_puts(b, "],");
  gk_json_key(b, "unreadable_total");
  gk_json_i64(b, (int64_t)c->unreadable_total);
  gk_buf_putc(b, '}');
}
