/*
** exercise_read.c -- an exercise session typed as text (the options of
** `gaitkeeper done`, the web app's form) read into a gk_exercise_session:
** the one reader both faces call, so both take and refuse the same text
** with the same words.
*/
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/exercise_log.h"
#include "gaitkeeper/load.h"

static int given(const char *s) { return s != NULL && s[0] != '\0'; }

/* A whole number lo..hi (digits only): 1 read, 0 not given, -1 refused
   with msg. */
static int whole(const char *v, int lo, int hi, int *out, char *msg,
                 size_t size) {
  if (!given(v)) return 0;
  long n = 0;
  size_t i = 0;
  for (; v[i] >= '0' && v[i] <= '9' && i < 9; i++) n = n * 10 + (v[i] - '0');
  if (v[i] != '\0' || n < lo || n > hi) {
    snprintf(msg, size, "a whole number from %d to %d", lo, hi);
    return -1;
  }
  *out = (int)n;
  return 1;
}

/* The library's check names its field first ("step: ..."): put it there. */
static void place(gk_exercise_field_errors *e, const char *msg) {
  static const struct {
    const char *prefix;
    size_t off;
  } map[] = {{"step", offsetof(gk_exercise_field_errors, step)},
             {"sets", offsetof(gk_exercise_field_errors, sets)},
             {"reps", offsetof(gk_exercise_field_errors, reps)},
             {"hold", offsetof(gk_exercise_field_errors, hold)},
             {"load", offsetof(gk_exercise_field_errors, load)},
             {"pain", offsetof(gk_exercise_field_errors, pain)},
             {"note", offsetof(gk_exercise_field_errors, note)},
             {"day", offsetof(gk_exercise_field_errors, date)},
             {"exercise", offsetof(gk_exercise_field_errors, exercise)}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strncmp(msg, map[i].prefix, strlen(map[i].prefix)) == 0) {
      snprintf((char *)e + map[i].off, 160, "%s", msg);
      return;
    }
  snprintf(e->other, sizeof e->other, "%s", msg);
}

gk_status gk_exercise_session_read(const gk_exercise_fields *in,
                                   int64_t today, int this_week_step,
                                   gk_exercise_session *out,
                                   gk_exercise_field_errors *e) {
  if (in == NULL || out == NULL || e == NULL) return GK_E_ARG;
  memset(e, 0, sizeof *e);
  gk_exercise_session_init(out);
  out->day = today;
  gk_status st = GK_E_ARG;
  const char *id = in->exercise ? in->exercise : "";
  gk_exercise_step steps[GK_EXERCISE_MAX_STEPS];
  int n_steps = 0;
  if (!given(id)) {
    snprintf(e->exercise, sizeof e->exercise, "which exercise? (its id, as "
             "the plan gives it)");
  } else if (strlen(id) >= sizeof out->exercise_id ||
             (n_steps = gk_exercise_steps(id, steps, NULL)) == 0) {
    snprintf(e->exercise, sizeof e->exercise,
             "not an exercise of data/exercises.json");
    st = GK_E_NOT_FOUND;
  } else {
    memcpy(out->exercise_id, id, strlen(id) + 1);
  }
  if (given(in->date) && gk_day_parse(in->date, &out->day) != GK_OK)
    snprintf(e->date, sizeof e->date, "a date YYYY-MM-DD (a real day)");
  int have_step = whole(in->step, 1, GK_EXERCISE_MAX_STEPS, &out->step,
                        e->step, sizeof e->step);
  int have_sets = whole(in->sets, 0, GK_EXERCISE_MAX_SETS, &out->sets,
                        e->sets, sizeof e->sets);
  int have_reps = whole(in->reps, 0, GK_EXERCISE_MAX_REPS, &out->reps,
                        e->reps, sizeof e->reps);
  int have_hold = whole(in->hold, 0, GK_EXERCISE_MAX_HOLD_S, &out->hold_s,
                        e->hold, sizeof e->hold);
  whole(in->pain, 0, 10, &out->pain, e->pain, sizeof e->pain);
  if (given(in->load)) {
    char *end;
    errno = 0;
    double x = strtod(in->load, &end);
    if (*end != '\0' || errno || !isfinite(x) || x < 0 ||
        x > GK_EXERCISE_MAX_LOAD_KG || in->load[0] == ' ' ||
        in->load[0] == '+')
      snprintf(e->load, sizeof e->load, "kilograms from 0 to %g",
               GK_EXERCISE_MAX_LOAD_KG);
    else
      out->load_kg = x;
  }
  if (in->note != NULL) {
    if (strlen(in->note) >= sizeof out->note)
      snprintf(e->note, sizeof e->note, "at most %zu bytes",
               sizeof out->note - 1);
    else
      memcpy(out->note, in->note, strlen(in->note) + 1);
  }
  /* what is not given: this week's step and its dose */
  if (have_step == 0) out->step = this_week_step >= 1 ? this_week_step : 1;
  if (n_steps > 0 && out->step >= 1 && out->step <= n_steps) {
    const gk_exercise_step *t = &steps[out->step - 1];
    if (have_sets == 0) out->sets = t->sets;
    if (have_reps == 0) out->reps = t->reps;
    if (have_hold == 0) out->hold_s = t->hold_s;
  }
  int bad = e->exercise[0] || e->date[0] || e->step[0] || e->sets[0] ||
            e->reps[0] || e->hold[0] || e->load[0] || e->pain[0] ||
            e->note[0];
  if (bad) return st;
  gk_err err;
  memset(&err, 0, sizeof err);
  st = gk_exercise_session_check(out, &err);
  if (st != GK_OK) place(e, err.msg ? err.msg : gk_strerror(st));
  return st;
}
