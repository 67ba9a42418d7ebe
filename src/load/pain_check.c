/*
** pain_check.c -- a pain entry typed as text, checked field by field: the
** one check `gaitkeeper pain add` and the web app's pain form both use.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/load.h"

static int given(const char *s) { return s != NULL && s[0] != '\0'; }

static int score(const char *v, int *out, char *msg, size_t size) {
  if (!given(v)) {
    *out = -1;
    return 0;
  }
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (v[0] == ' ' || v[0] == '+' || v[0] == '-' || *end != '\0' || errno ||
      n < 0 || n > 10) {
    snprintf(msg, size, "a whole number from 0 to 10");
    return -1;
  }
  *out = (int)n;
  return 0;
}

gk_status gk_pain_entry_check(const gk_pain_fields *in, gk_pain_entry *out,
                              gk_pain_field_errors *errs) {
  if (in == NULL || out == NULL || errs == NULL) return GK_E_ARG;
  memset(out, 0, sizeof *out);
  memset(errs, 0, sizeof *errs);
  out->during = out->after = out->morning = -1;
  out->onset_km = NAN;
  int bad = 0;
  if (!given(in->date)) {
    snprintf(errs->date, sizeof errs->date, "a date YYYY-MM-DD is required");
    bad = 1;
  } else if (gk_day_parse(in->date, &out->day) != GK_OK) {
    snprintf(errs->date, sizeof errs->date, "a date YYYY-MM-DD (a real day)");
    bad = 1;
  }
  bad |= score(in->during, &out->during, errs->during, sizeof errs->during);
  bad |= score(in->after, &out->after, errs->after, sizeof errs->after);
  bad |= score(in->morning, &out->morning, errs->morning,
               sizeof errs->morning);
  if (given(in->onset_km)) {
    char *end;
    errno = 0;
    double x = strtod(in->onset_km, &end);
    if (*end != '\0' || errno || !isfinite(x) || x < 0 || x > 1000) {
      snprintf(errs->onset_km, sizeof errs->onset_km,
               "a distance in km from 0 to 1000");
      bad = 1;
    } else {
      out->onset_km = x;
    }
  }
  if (given(in->activity)) {
    const char *v = in->activity;
    char *end;
    errno = 0;
    long long id = strtoll(v, &end, 10);
    if (v[0] == '+' || v[0] == ' ' || *end != '\0' || errno || id < 1) {
      snprintf(errs->activity, sizeof errs->activity,
               "a run's id (a whole number from 1)");
      bad = 1;
    } else {
      out->activity_id = id;
    }
  }
  int have_note = 0;
  if (given(in->note)) {
    size_t n = strlen(in->note);
    if (n >= sizeof out->note) {
      snprintf(errs->note, sizeof errs->note, "at most %zu bytes (got %zu)",
               sizeof out->note - 1, n);
      bad = 1;
    } else {
      memcpy(out->note, in->note, n + 1);
      have_note = 1;
    }
  }
  if (!bad && out->during < 0 && out->after < 0 && out->morning < 0 &&
      !have_note) {
    snprintf(errs->entry, sizeof errs->entry,
             "give at least one score (during, after, next morning) or a "
             "note");
    bad = 1;
  }
  return bad ? GK_E_ARG : GK_OK;
}
