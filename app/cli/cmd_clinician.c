/*
** cmd_clinician.c -- the clinician's hand over the plan
** (gaitkeeper/clinician.h; docs/PLAN.md, "The clinician's hand").
**
**   gaitkeeper clinician stage N --reason TEXT
**   gaitkeeper clinician add-exercise ID [--dose TEXT]
**   gaitkeeper clinician drop-exercise ID
**   gaitkeeper clinician dose ID TEXT
**   gaitkeeper clinician note TEXT
**   gaitkeeper clinician finding NAME TEXT [--severity info|caution|warning]
**   gaitkeeper clinician [list] [--json]
**
** Every entry also takes --date YYYY-MM-DD (the day it applies from;
** default today, UTC), --by NAME and --reason TEXT.  Entries are checked
** by gk_clinician_check (the one check the web app calls too) before they
** are stored; a bad one is a usage error (exit 2) saying what is wrong.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gaitkeeper/clinician.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/store.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: gaitkeeper clinician stage N --reason TEXT\n"
          "       gaitkeeper clinician add-exercise ID [--dose TEXT]\n"
          "       gaitkeeper clinician drop-exercise ID\n"
          "       gaitkeeper clinician dose ID TEXT\n"
          "       gaitkeeper clinician note TEXT\n"
          "       gaitkeeper clinician finding NAME TEXT "
          "[--severity info|caution|warning]\n"
          "       gaitkeeper clinician [list] [--json] [--date YYYY-MM-DD]\n"
          "  each entry also takes --date YYYY-MM-DD (from when; default "
          "today), --by NAME, --reason TEXT\n");
}

/* Copy s into a field of size; 0 when it does not fit. */
static int put(char *dst, size_t size, const char *s) {
  size_t n = strlen(s);
  if (n >= size) return 0;
  memcpy(dst, s, n + 1);
  return 1;
}

/* ---- list -------------------------------------------------------------- */

typedef struct list_ctx {
  int json, n, skipped;
  gk_buf *b;
} list_ctx;

static int on_entry(void *user, const gk_clinician_entry *e) {
  list_ctx *c = (list_ctx *)user;
  if (gk_clinician_check(e, NULL) != GK_OK) { /* never print what the check
                                                  refuses (control bytes) */
    c->skipped++;
    return 0;
  }
  if (c->json) {
    if (c->n) gk_buf_putc(c->b, ',');
    gk_clinician_write_json(e, c->b);
  } else {
    gk_buf t = {0};
    char id[24];
    snprintf(id, sizeof id, "%lld  ", (long long)e->id);
    gk_buf_puts(&t, id);
    gk_clinician_describe(e, &t);
    gk_cli_wrap(stdout, t.data ? t.data : "", 0, 78);
    gk_buf_free(&t);
  }
  c->n++;
  return 0;
}

static int list(int64_t day, int json) {
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store("clinician", GK_STORE_READ_ONLY, &s);
  if (st == GK_E_NOT_FOUND) {
    if (json) printf("[]\n");
    else printf("No clinician's entries.\n");
    return 0;
  }
  if (st != GK_OK) return 1;
  gk_buf b = {0};
  list_ctx c = {json, 0, 0, &b};
  if (json) gk_buf_putc(&b, '[');
  st = gk_store_each_clinician(s, day, on_entry, &c);
  int rc = 0;
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: clinician: %s: %s\n", gk_store_path(s),
            gk_store_errmsg(s));
    rc = 1;
  } else if (json) {
    gk_buf_puts(&b, "]\n");
    if (b.oom) {
      fprintf(stderr, "gaitkeeper: clinician: out of memory\n");
      rc = 1;
    } else {
      fwrite(b.data, 1, b.len, stdout);
    }
  } else if (c.n == 0) {
    printf("No clinician's entries.\n");
  }
  if (c.skipped)
    fprintf(stderr, "gaitkeeper: clinician: %d stored entr%s cannot be "
                    "shown (they fail the check)\n",
            c.skipped, c.skipped == 1 ? "y" : "ies");
  gk_buf_free(&b);
  gk_store_close(s);
  return rc;
}

/* ---- add --------------------------------------------------------------- */

int gk_cmd_clinician(int argc, char **argv) {
  int64_t day = gk_day_of_time((int64_t)time(NULL));
  const char *sub = argc > 0 ? argv[0] : "list";
  if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
    usage(stdout);
    return 0;
  }
  int kind = -1, n_args = 0;
  if (strcmp(sub, "stage") == 0) kind = GK_CLIN_STAGE, n_args = 1;
  else if (strcmp(sub, "add-exercise") == 0) kind = GK_CLIN_ADD_EXERCISE, n_args = 1;
  else if (strcmp(sub, "drop-exercise") == 0) kind = GK_CLIN_DROP_EXERCISE, n_args = 1;
  else if (strcmp(sub, "dose") == 0) kind = GK_CLIN_DOSE, n_args = 2;
  else if (strcmp(sub, "note") == 0) kind = GK_CLIN_NOTE, n_args = 1;
  else if (strcmp(sub, "finding") == 0) kind = GK_CLIN_FINDING, n_args = 2;
  else if (strcmp(sub, "list") != 0 && sub[0] != '-') {
    fprintf(stderr, "gaitkeeper: clinician: unknown entry '%s'\n", sub);
    usage(stderr);
    return 2;
  }
  int i = strcmp(sub, "list") == 0 || kind >= 0 ? 1 : 0;

  gk_clinician_entry e;
  gk_clinician_entry_init(&e);
  const char *pos[2] = {NULL, NULL};
  int n_pos = 0, json = 0, fits = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--date") == 0) {
      if (v == NULL || gk_day_parse(v, &day) != GK_OK) {
        fprintf(stderr, "gaitkeeper: clinician: --date needs a date as "
                        "YYYY-MM-DD%s%s\n", v ? ", not " : "", v ? v : "");
        return 2;
      }
      i++;
    } else if (kind < 0 && strcmp(a, "--json") == 0) {
      json = 1;
    } else if (kind >= 0 && v != NULL && strcmp(a, "--by") == 0) {
      fits &= put(e.author, sizeof e.author, v);
      i++;
    } else if (kind >= 0 && v != NULL && strcmp(a, "--reason") == 0) {
      fits &= put(e.reason, sizeof e.reason, v);
      i++;
    } else if (kind == GK_CLIN_ADD_EXERCISE && v != NULL &&
               strcmp(a, "--dose") == 0) {
      fits &= put(e.text, sizeof e.text, v);
      i++;
    } else if (kind == GK_CLIN_FINDING && v != NULL &&
               strcmp(a, "--severity") == 0) {
      int sv = gk_severity_from_name(v);
      if (sv < 0 || sv > GK_SEV_WARNING) {
        fprintf(stderr, "gaitkeeper: clinician: --severity is info, caution "
                        "or warning, not %s\n", v);
        return 2;
      }
      e.severity = (gk_severity)sv;
      i++;
    } else if (a[0] != '-' && n_pos < n_args) {
      pos[n_pos++] = a;
    } else {
      fprintf(stderr, "gaitkeeper: clinician: unknown option or missing "
                      "value '%s'\n", a);
      usage(stderr);
      return 2;
    }
  }
  if (kind < 0) return list(day, json);
  if (n_pos != n_args) {
    fprintf(stderr, "gaitkeeper: clinician %s: needs %s\n", sub,
            kind == GK_CLIN_STAGE   ? "the stage (1-4)"
            : kind == GK_CLIN_NOTE  ? "the note's text"
            : kind == GK_CLIN_DOSE  ? "the exercise id and the dose"
            : kind == GK_CLIN_FINDING ? "the finding's name and its text"
                                      : "the exercise id");
    usage(stderr);
    return 2;
  }
  e.kind = (gk_clinician_kind)kind;
  e.day = day;
  if (kind == GK_CLIN_NOTE) fits &= put(e.text, sizeof e.text, pos[0]);
  else fits &= put(e.target, sizeof e.target, pos[0]);
  if (n_args == 2) fits &= put(e.text, sizeof e.text, pos[1]);
  if (!fits) {
    fprintf(stderr, "gaitkeeper: clinician %s: a text is too long (name up "
                    "to %d bytes, text %d, reason %d, --by %d)\n",
            sub, GK_CLIN_TARGET_MAX - 1, GK_CLIN_TEXT_MAX - 1,
            GK_CLIN_REASON_MAX - 1, GK_CLIN_AUTHOR_MAX - 1);
    return 2;
  }
  gk_err err;
  if (gk_clinician_check(&e, &err) != GK_OK) {
    fprintf(stderr, "gaitkeeper: clinician %s: %s\n", sub, err.msg);
    return 2;
  }
  gk_store *s = NULL;
  if (gk_cli_open_store("clinician", 0, &s) != GK_OK) return 1;
  int64_t id = 0;
  gk_status st = gk_store_add_clinician(s, &e, &id);
  int rc = 0;
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: clinician: %s: %s\n", gk_store_path(s),
            gk_store_errmsg(s));
    rc = 1;
  } else {
    char d[11];
    printf("stored clinician's entry %lld (%s, from %s)\n", (long long)id,
           gk_clinician_kind_name(e.kind), gk_day_format(e.day, d));
  }
  gk_store_close(s);
  return rc;
}
