/*
** progression.c -- the exercise log's rules (gaitkeeper/exercise_log.h):
** checking a session before it is stored, each exercise's steps, and where
** an exercise stands from its sessions: this week's step, adherence, and
** when to move up or step back.  The rules' numbers are data
** (data/exercises.json "progression", each exercise's "steps", "per_week"
** and optional "pain_max"; the pain limit of data/running.json
** "pain_limits"), checked here whenever they are read: a malformed file is
** GK_E_CORRUPT naming the file and key.
*/
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"
#include "clinic/plan_internal.h"
#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/json.h"

#define MAX_TO_PROGRESS 10 /* progression.sessions_to_progress, at most */
#define MAX_PER_WEEK 28
#define MAX_ADHERENCE_DAYS 90

static const cJSON *item(const cJSON *o, const char *k) {
  return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* An integer member in lo..hi into *out; missing: *out = dflt when
   optional, else an error. */
static int int_member(const cJSON *o, const char *k, int lo, int hi,
                      int optional, int dflt, int *out) {
  const cJSON *v = item(o, k);
  if (v == NULL && optional) {
    *out = dflt;
    return 1;
  }
  if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
      v->valuedouble < lo || v->valuedouble > hi)
    return 0;
  *out = (int)v->valuedouble;
  return 1;
}

static gk_status bad_ex(gk_err *err, const char *id, const char *key) {
  char q[64];
  return gk__clinic_fail(err, GK_E_CORRUPT,
                         "data/exercises.json: exercise '%s': \"%s\" is "
                         "missing or out of range",
                         gk__clinic_quote(id, q), key);
}

/* Read (and check) the steps of one exercise object. */
static gk_status read_steps(const cJSON *ex, gk_exercise_step *out, int *n,
                            int *per_week, gk_err *err) {
  const char *id = gk__clinic_json_string(ex, "id");
  const cJSON *steps = item(ex, "steps");
  int count = cJSON_GetArraySize(steps);
  if (!cJSON_IsArray(steps) || count < 1 || count > GK_EXERCISE_MAX_STEPS)
    return bad_ex(err, id, "steps");
  int i = 0;
  const cJSON *s;
  char key[48];
  cJSON_ArrayForEach(s, steps) {
    gk_exercise_step *o = &out[i];
    int num = 0;
    snprintf(key, sizeof key, "steps[%d].step", i);
    if (!int_member(s, "step", i + 1, i + 1, 0, 0, &num))
      return bad_ex(err, id, key);
    o->step = num;
    o->name = gk__clinic_json_string(s, "name");
    o->dose = gk__clinic_json_string(s, "dose");
    o->load = gk__clinic_json_string(s, "load");
    snprintf(key, sizeof key, "steps[%d].name", i);
    if (o->name == NULL || o->name[0] == '\0') return bad_ex(err, id, key);
    snprintf(key, sizeof key, "steps[%d].dose", i);
    if (o->dose == NULL || o->dose[0] == '\0') return bad_ex(err, id, key);
    snprintf(key, sizeof key, "steps[%d].load", i);
    if (o->load == NULL || (strcmp(o->load, "bodyweight") != 0 &&
                            strcmp(o->load, "band") != 0 &&
                            strcmp(o->load, "weight") != 0))
      return bad_ex(err, id, key);
    snprintf(key, sizeof key, "steps[%d].sets", i);
    if (!int_member(s, "sets", 1, GK_EXERCISE_MAX_SETS, 0, 0, &o->sets))
      return bad_ex(err, id, key);
    snprintf(key, sizeof key, "steps[%d].reps", i);
    if (!int_member(s, "reps", 1, GK_EXERCISE_MAX_REPS, 1, -1, &o->reps))
      return bad_ex(err, id, key);
    snprintf(key, sizeof key, "steps[%d].hold_s", i);
    if (!int_member(s, "hold_s", 1, GK_EXERCISE_MAX_HOLD_S, 1, -1,
                    &o->hold_s))
      return bad_ex(err, id, key);
    if (o->reps < 0 && o->hold_s < 0) {
      snprintf(key, sizeof key, "steps[%d].reps or hold_s", i);
      return bad_ex(err, id, key);
    }
    i++;
  }
  *n = i;
  int pw = 0;
  if (!int_member(ex, "per_week", 1, MAX_PER_WEEK, 0, 0, &pw))
    return bad_ex(err, id, "per_week");
  if (per_week) *per_week = pw;
  return GK_OK;
}

/* The progression rules of the data files. */
typedef struct rules {
  int to_progress;       /* sessions at target to move up */
  int adherence_days;
  int flare_sev;         /* gk_severity */
  const cJSON *flare_codes;
  int pain_max;          /* running.json pain_limits.during_max */
} rules;

static gk_status read_rules(const cJSON *exj, const cJSON *runj, rules *r,
                            gk_err *err) {
  const cJSON *pr = item(exj, "progression");
  const char *sev = gk__clinic_json_string(pr, "flare_min_severity");
  r->flare_sev = sev ? gk_severity_from_name(sev) : -1;
  r->flare_codes = item(pr, "flare_codes");
  const char *bad = NULL;
  if (!cJSON_IsObject(pr))
    bad = "progression";
  else if (!int_member(pr, "sessions_to_progress", 1, MAX_TO_PROGRESS, 0, 0,
                       &r->to_progress))
    bad = "progression.sessions_to_progress";
  else if (!int_member(pr, "adherence_days", 1, MAX_ADHERENCE_DAYS, 0, 0,
                       &r->adherence_days))
    bad = "progression.adherence_days";
  else if (r->flare_sev < 0)
    bad = "progression.flare_min_severity";
  else if (!cJSON_IsArray(r->flare_codes) ||
           cJSON_GetArraySize(r->flare_codes) < 1)
    bad = "progression.flare_codes";
  if (bad == NULL) {
    const cJSON *c;
    cJSON_ArrayForEach(c, r->flare_codes) if (!cJSON_IsString(c)) bad =
        "progression.flare_codes";
  }
  if (bad != NULL)
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "data/exercises.json: \"%s\" is missing or out of "
                           "range",
                           bad);
  if (!int_member(item(runj, "pain_limits"), "during_max", 0, 10, 0, 0,
                  &r->pain_max))
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "data/running.json: \"pain_limits.during_max\" is "
                           "missing or out of range");
  return GK_OK;
}

/* Check every exercise of the files (exposed for the tests: a malformed
   copy must be refused). */
gk_status gk__progression_validate(const cJSON *exj, const cJSON *runj,
                                   gk_err *err) {
  if (exj == NULL || runj == NULL)
    return gk__clinic_fail(err, GK_E_CORRUPT,
                           "data/exercises.json or running.json cannot be "
                           "read");
  rules r;
  gk_status st = read_rules(exj, runj, &r, err);
  const cJSON *ex;
  cJSON_ArrayForEach(ex, item(exj, "exercises")) {
    if (st != GK_OK) break;
    gk_exercise_step steps[GK_EXERCISE_MAX_STEPS];
    int n = 0, pm = 0;
    const char *id = gk__clinic_json_string(ex, "id");
    if (id == NULL || strlen(id) >= GK_EXERCISE_ID_MAX)
      return bad_ex(err, id, "id");
    st = read_steps(ex, steps, &n, NULL, err);
    if (st == GK_OK && !int_member(ex, "pain_max", 0, 10, 1, 0, &pm))
      st = bad_ex(err, id, "pain_max");
  }
  return st;
}

static const cJSON *find_exercise(const cJSON *exj, const char *id) {
  const cJSON *ex;
  cJSON_ArrayForEach(ex, item(exj, "exercises")) {
    const char *e = gk__clinic_json_string(ex, "id");
    if (e != NULL && id != NULL && strcmp(e, id) == 0) return ex;
  }
  return NULL;
}

int gk_exercise_steps(const char *id, gk_exercise_step out[GK_EXERCISE_MAX_STEPS],
                      int *per_week) {
  const cJSON *ex = find_exercise(gk__clinic_data(GK__CF_EXERCISES), id);
  int n = 0;
  if (ex == NULL || read_steps(ex, out, &n, per_week, NULL) != GK_OK) return 0;
  return n;
}

/* ---- close ids ------------------------------------------------------------ */

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63) la = 63;
  if (lb > 63) lb = 63;
  size_t row[64];
  for (size_t j = 0; j <= lb; j++) row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      if (up + 1 < best) best = up + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

size_t gk_exercise_close_ids(const char *id, const char **out, size_t n) {
  if (id == NULL || out == NULL || n == 0) return 0;
  size_t got = 0, dist[16];
  if (n > 16) n = 16;
  const cJSON *ex;
  cJSON_ArrayForEach(ex, item(gk__clinic_data(GK__CF_EXERCISES),
                              "exercises")) {
    const char *e = gk__clinic_json_string(ex, "id");
    if (e == NULL) continue;
    size_t d = edit_distance(id, e);
    /* a part of the id typed ("squat") counts as close */
    if (id[0] != '\0' && strstr(e, id) != NULL && d > 1) d = 1;
    size_t k = got < n ? got++ : n;
    if (k == n) {
      if (d >= dist[n - 1]) continue;
      k = n - 1;
    }
    while (k > 0 && dist[k - 1] > d) {
      out[k] = out[k - 1];
      dist[k] = dist[k - 1];
      k--;
    }
    out[k] = e;
    dist[k] = d;
  }
  return got;
}

/* ---- checking a session --------------------------------------------------- */

void gk_exercise_session_init(gk_exercise_session *s) {
  if (s == NULL) return;
  memset(s, 0, sizeof *s);
  s->step = 1;
  s->reps = s->hold_s = s->pain = -1;
  s->load_kg = NAN;
}

/* The bundled files, checked once per process: they never change. */
static gk_status validate_bundled(gk_err *err) {
  static atomic_int ok;
  if (atomic_load(&ok)) return GK_OK;
  gk_status st = gk__progression_validate(gk__clinic_data(GK__CF_EXERCISES),
                                          gk__clinic_data(GK__CF_RUNNING),
                                          err);
  if (st == GK_OK) atomic_store(&ok, 1);
  return st;
}

gk_status gk_exercise_session_check(const gk_exercise_session *s,
                                    gk_err *err) {
  if (s == NULL) return gk__clinic_fail(err, GK_E_ARG, "no session");
  if (memchr(s->exercise_id, '\0', sizeof s->exercise_id) == NULL ||
      s->exercise_id[0] == '\0')
    return gk__clinic_fail(err, GK_E_ARG, "exercise: no exercise id");
  if (memchr(s->note, '\0', sizeof s->note) == NULL)
    return gk__clinic_fail(err, GK_E_ARG, "note: at most %d bytes",
                           GK_EXERCISE_NOTE_MAX - 1);
  const cJSON *exj = gk__clinic_data(GK__CF_EXERCISES);
  gk_status st = validate_bundled(err);
  if (st != GK_OK) return st;
  char q[64];
  const cJSON *ex = find_exercise(exj, s->exercise_id);
  if (ex == NULL)
    return gk__clinic_fail(err, GK_E_NOT_FOUND,
                           "exercise: '%s' is not an exercise of "
                           "data/exercises.json",
                           gk__clinic_quote(s->exercise_id, q));
  gk_exercise_step steps[GK_EXERCISE_MAX_STEPS];
  int n = 0;
  st = read_steps(ex, steps, &n, NULL, err);
  if (st != GK_OK) return st;
  if (s->day < GK_DAY_MIN || s->day > GK_DAY_MAX)
    return gk__clinic_fail(err, GK_E_ARG, "day: outside 1900..9999");
  if (s->step < 1 || s->step > n)
    return gk__clinic_fail(err, GK_E_ARG, "step: %s has steps 1 to %d (got %d)",
                           s->exercise_id, n, s->step);
  if (s->sets < 0 || s->sets > GK_EXERCISE_MAX_SETS)
    return gk__clinic_fail(err, GK_E_ARG, "sets: 0 to %d (got %d)",
                           GK_EXERCISE_MAX_SETS, s->sets);
  if (s->reps < -1 || s->reps > GK_EXERCISE_MAX_REPS)
    return gk__clinic_fail(err, GK_E_ARG, "reps: 0 to %d per set (got %d)",
                           GK_EXERCISE_MAX_REPS, s->reps);
  if (s->hold_s < -1 || s->hold_s > GK_EXERCISE_MAX_HOLD_S)
    return gk__clinic_fail(err, GK_E_ARG,
                           "hold: 0 to %d seconds (got %d)",
                           GK_EXERCISE_MAX_HOLD_S, s->hold_s);
  if (!(isnan(s->load_kg) || (isfinite(s->load_kg) && s->load_kg >= 0 &&
                              s->load_kg <= GK_EXERCISE_MAX_LOAD_KG)))
    return gk__clinic_fail(err, GK_E_ARG, "load: 0 to %g kg",
                           GK_EXERCISE_MAX_LOAD_KG);
  if (s->pain < -1 || s->pain > 10)
    return gk__clinic_fail(err, GK_E_ARG, "pain: 0 to 10 (got %d)", s->pain);
  return GK_OK;
}

/* ---- progress --------------------------------------------------------------- */

/* Whether session s reached step t's target. */
static int at_target(const gk_exercise_session *s, const gk_exercise_step *t) {
  if (s->sets < t->sets) return 0;
  if (t->reps > 0 && s->reps < t->reps) return 0;
  if (t->hold_s > 0 && s->hold_s < t->hold_s) return 0;
  return 1;
}

/* Is a (day, id, index) later than b? */
static int later(const gk_exercise_session *a, size_t ia,
                 const gk_exercise_session *b, size_t ib) {
  if (a->day != b->day) return a->day > b->day;
  if (a->id != b->id) return a->id > b->id;
  return ia > ib;
}

/* The day of the latest flare (a finding with a flare code at the flare
   severity or worse: its last date, or day when undated); INT64_MIN when
   none. */
static int64_t latest_flare(const rules *r, const gk_finding *f, size_t n,
                            int64_t day) {
  int64_t best = INT64_MIN;
  for (size_t i = 0; f != NULL && i < n; i++) {
    if (f[i].code == NULL || (int)f[i].severity < r->flare_sev) continue;
    int match = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, r->flare_codes) {
      if (cJSON_IsString(c) && strcmp(c->valuestring, f[i].code) == 0)
        match = 1;
    }
    if (!match) continue;
    int64_t d = f[i].date_to != INT64_MIN ? f[i].date_to : day;
    if (d > best) best = d;
  }
  return best;
}

gk_status gk_exercise_progress_of(const char *id, int64_t day,
                                  const gk_exercise_session *sessions,
                                  size_t n_sessions, const gk_finding *findings,
                                  size_t n_findings, gk_exercise_progress *out,
                                  gk_err *err) {
  if (out == NULL || (sessions == NULL && n_sessions > 0))
    return gk__clinic_fail(err, GK_E_ARG, "progress: no place for it");
  memset(out, 0, sizeof *out);
  out->adherence = NAN;
  const cJSON *exj = gk__clinic_data(GK__CF_EXERCISES);
  rules r;
  gk_status st = exj ? read_rules(exj, gk__clinic_data(GK__CF_RUNNING), &r,
                                  err)
                     : gk__clinic_fail(err, GK_E_CORRUPT,
                                       "data/exercises.json cannot be read");
  if (st != GK_OK) return st;
  char q[64];
  const cJSON *ex = find_exercise(exj, id);
  if (ex == NULL)
    return gk__clinic_fail(err, GK_E_NOT_FOUND,
                           "exercise: '%s' is not an exercise of "
                           "data/exercises.json",
                           gk__clinic_quote(id, q));
  gk_exercise_step steps[GK_EXERCISE_MAX_STEPS];
  int n = 0, per_week = 0, pain_max = 0;
  st = read_steps(ex, steps, &n, &per_week, err);
  if (st != GK_OK) return st;
  if (!int_member(ex, "pain_max", 0, 10, 1, r.pain_max, &pain_max))
    return bad_ex(err, id, "pain_max");

  /* The latest sessions (newest first), the count in the window, all. */
  const gk_exercise_session *last[MAX_TO_PROGRESS];
  size_t last_i[MAX_TO_PROGRESS], n_last = 0, ever = 0, window = 0;
  const size_t k_max = (size_t)r.to_progress;
  for (size_t i = 0; i < n_sessions; i++) {
    const gk_exercise_session *s = &sessions[i];
    if (s->day > day || strcmp(s->exercise_id, id) != 0) continue;
    ever++;
    if (s->day > day - r.adherence_days) window++;
    size_t k = n_last < k_max ? n_last++ : k_max;
    if (k == k_max) {
      if (!later(s, i, last[k_max - 1], last_i[k_max - 1])) continue;
      k = k_max - 1;
    }
    while (k > 0 && later(s, i, last[k - 1], last_i[k - 1])) {
      last[k] = last[k - 1];
      last_i[k] = last_i[k - 1];
      k--;
    }
    last[k] = s;
    last_i[k] = i;
  }
  out->n_steps = n;
  out->sessions_14d = window;
  if (ever > 0) {
    double a = (double)window /
               ((double)per_week * (double)r.adherence_days / 7.0);
    out->adherence = a > 1 ? 1 : a;
  }
  int cur = n_last ? last[0]->step : 1;
  if (cur < 1) cur = 1;
  if (cur > n) cur = n;
  out->last_step = cur;
  const gk_exercise_step *t = &steps[cur - 1];
  int64_t flare = latest_flare(&r, findings, n_findings, day);
  const char *reg = gk__clinic_json_string(ex, "regression");

  if (n_last == 0) {
    snprintf(out->next, sizeof out->next,
             "Start at step 1 (%s). Move up after %d sessions that each "
             "reach the dose with pain no higher than %d/10.",
             t->name, r.to_progress, pain_max);
  } else if (last[0]->pain > pain_max ||
             (flare != INT64_MIN && flare >= last[0]->day)) {
    const char *why = last[0]->pain > pain_max
                          ? "the pain during the last session was over the "
                            "limit"
                          : "the pain flared after the last session";
    if (cur > 1) {
      out->change = -1;
      snprintf(out->next, sizeof out->next,
               "Step back to step %d (%s): %s (limit %d/10). Move up again "
               "after %d sessions at the dose inside the limit.",
               cur - 1, steps[cur - 2].name, why, pain_max, r.to_progress);
    } else {
      snprintf(out->next, sizeof out->next,
               "Stay at step 1 and ease off (%s): %s (limit %d/10).",
               reg ? reg : "a smaller dose", why, pain_max);
    }
  } else {
    /* The latest sessions at the current step that reached its dose
       inside the limit, counting only those after any flare. */
    size_t good = 0;
    int by_flare = 0; /* the count stopped at a flare */
    for (size_t k = 0; k < n_last; k++) {
      const gk_exercise_session *s = last[k];
      if (s->step != cur || !at_target(s, t) || s->pain > pain_max) break;
      if (flare != INT64_MIN && s->day <= flare) {
        by_flare = 1;
        break;
      }
      good++;
    }
    if (good >= k_max && cur < n) {
      out->change = +1;
      snprintf(out->next, sizeof out->next,
               "Move up to step %d (%s): the last %d sessions reached the "
               "dose with pain no higher than %d/10.",
               cur + 1, steps[cur].name, r.to_progress, pain_max);
    } else if (good >= k_max) {
      snprintf(out->next, sizeof out->next,
               "The last step, reached: keep this dose, inside the pain "
               "limit (%d/10).",
               pain_max);
    } else {
      size_t need = k_max - good;
      char dose[64], why[64];
      if (t->reps > 0 && t->hold_s > 0)
        snprintf(dose, sizeof dose, "%d x %d with %d s holds", t->sets,
                 t->reps, t->hold_s);
      else if (t->reps > 0)
        snprintf(dose, sizeof dose, "%d x %d", t->sets, t->reps);
      else
        snprintf(dose, sizeof dose, "%d x %d s", t->sets, t->hold_s);
      why[0] = '\0';
      if (by_flare) {
        char d[11];
        snprintf(why, sizeof why, " (the pain flared on %s)",
                 gk_day_format(flare, d));
      }
      snprintf(out->next, sizeof out->next,
               "Stay at step %d%s: move up after %zu more session%s "
               "reaching %s and pain no higher than %d/10.",
               cur, why, need, need == 1 ? "" : "s", dose, pain_max);
    }
  }
  out->step = cur + out->change;
  out->step_name = steps[out->step - 1].name;
  out->step_dose = steps[out->step - 1].dose;
  return GK_OK;
}

/* ---- the plan ---------------------------------------------------------------- */

gk_status gk__plan_progression(gk_plan *p, const gk_plan_input *in,
                               gk_err *err) {
  gk__plan_priv *pv = (gk__plan_priv *)p->priv_;
  /* the whole file, as the plan's other data are checked when read */
  gk_status vs = validate_bundled(err);
  if (vs != GK_OK) return vs;
  for (size_t i = 0; i < p->n_exercises; i++) {
    gk_plan_exercise *o = &pv->exercises_out[i];
    o->adherence = NAN;
    gk_exercise_progress g;
    gk_status st = gk_exercise_progress_of(o->id, in->day, in->sessions,
                                           in->n_sessions, in->findings,
                                           in->n_findings, &g, err);
    if (st == GK_E_NOT_FOUND) continue; /* a clinician's own exercise */
    if (st != GK_OK) return st;
    o->step = g.step;
    o->n_steps = g.n_steps;
    o->step_name = g.step_name;
    o->step_dose = g.step_dose;
    o->sessions_14d = g.sessions_14d;
    o->adherence = g.adherence;
    o->change = g.change;
    o->next = gk__plan_strdup(pv, g.next);
  }
  return GK_OK;
}
