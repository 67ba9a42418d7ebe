/*
** cmd_answers.c -- `gaitkeeper intake` and `gaitkeeper screen`.
**
**   gaitkeeper intake|screen [--answers FILE.json] [--date YYYY-MM-DD]
**                            [--json]
**   gaitkeeper intake|screen show [--date YYYY-MM-DD] [--json]
**
** Where the answers come from: --answers FILE ("-" for stdin); else, on a
** terminal, the questions of data/intake.json or data/screen.json, asked
** one by one (Enter skips a question: unknown; bad input is asked again);
** else the JSON read from stdin.  The answers are checked (unknown keys,
** types, ranges, contradictions: the message names the key) and only then
** stored as given (gk_store_add_answers) for the day of --date (default
** today, UTC).  The assessment is printed: red flags first, most urgent
** first, with whom to see; then the findings; or --json.  `show` prints the
** assessment of the latest stored answers.
**
** Exit status: 0 done; 1 invalid answers or a store problem (nothing
** stored); 2 usage error.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "cmd_answers.h"
#include "gaitkeeper/clinic.h"
#include "gaitkeeper/data.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/questions.h"
#include "gaitkeeper/store.h"

static const char *verb_name(gk_cli_questionnaire w) {
  return w == GK_CLI_INTAKE ? "intake" : "screen";
}

static void usage(gk_cli_questionnaire w, FILE *out) {
  const char *v = verb_name(w);
  fprintf(out,
          "usage: gaitkeeper [--db PATH] %s [--answers FILE.json] "
          "[--date YYYY-MM-DD] [--json]\n"
          "       gaitkeeper [--db PATH] %s show [--date YYYY-MM-DD] [--json]\n"
          "  without --answers: the questions on a terminal, else the JSON "
          "on stdin\n"
          "  every key is described in docs/CLINIC.md\n",
          v, v);
}

/* ---- reading ------------------------------------------------------------- */

static char *read_stream(FILE *f, size_t *len) {
  size_t cap = 1 << 14, n = 0;
  char *buf = malloc(cap + 1);
  while (buf != NULL) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    if (cap >= GK_CLI_MAX_ANSWERS_BYTES) { /* as a file: the answers cap */
      free(buf);
      return NULL;
    }
    char *nb = realloc(buf, cap * 2 + 1);
    if (nb == NULL) {
      free(buf);
      return NULL;
    }
    buf = nb;
    cap *= 2;
  }
  if (buf == NULL || ferror(f)) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* One line from stdin without its newline; 0 at end of input. */
static int read_line(char *out, size_t size) {
  if (fgets(out, (int)size, stdin) == NULL) return 0;
  size_t n = strlen(out);
  if (n > 0 && out[n - 1] == '\n') {
    out[--n] = '\0';
  } else {
    int c; /* too long: drop the rest of the line */
    while ((c = getchar()) != EOF && c != '\n') {
    }
  }
  while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\r' ||
                   out[n - 1] == '\t'))
    out[--n] = '\0';
  size_t lead = strspn(out, " \t");
  memmove(out, out + lead, n - lead + 1);
  return 1;
}

/* ---- interactive questions ----------------------------------------------- */

/* The questions are the library's (gk_questions) and each typed answer is
   read by gk_question_read, the same reader the web app's forms use. */

typedef struct asker {
  int eof;
  const char *last_group;
  char line[512];
} asker;

static void show_question(const gk_question *q, asker *a) {
  if (q->group != NULL &&
      (a->last_group == NULL || strcmp(a->last_group, q->group) != 0))
    fprintf(stderr, "%s (Enter skips an item)\n", q->group);
  a->last_group = q->group;
  if (q->help != NULL && q->help[0] != '\0') fprintf(stderr, "  (%s)\n", q->help);
  switch (q->type) {
    case GK_QUESTION_NUMBER:
      if (isfinite(q->min) && isfinite(q->max))
        fprintf(stderr, "%s [%g-%g]: ", q->prompt, q->min, q->max);
      else
        fprintf(stderr, "%s: ", q->prompt);
      break;
    case GK_QUESTION_YESNO:
      fprintf(stderr, "%s? [y/n]: ", q->prompt);
      break;
    case GK_QUESTION_CHOICE:
    case GK_QUESTION_AKPS_ITEM:
    case GK_QUESTION_LIST:
      fprintf(stderr, "%s%s\n", q->prompt,
              q->type == GK_QUESTION_LIST
                  ? " (numbers or names, separated by commas; 'none'):"
                  : ":");
      for (int i = 0; i < q->n_values; i++)
        fprintf(stderr, "    %d) %s\n", i + 1, q->values[i]);
      fprintf(stderr, "  %s: ",
              q->type == GK_QUESTION_LIST ? "" : "number or name");
      break;
  }
}

/* Ask q until the answer reads (or is skipped); its text. */
static const char *ask(void *user, const gk_question *q) {
  asker *a = user;
  gk_buf scratch = {0};
  while (!a->eof) {
    show_question(q, a);
    if (!read_line(a->line, sizeof a->line)) {
      a->eof = 1;
      fputc('\n', stderr);
      break;
    }
    gk_err e = {0};
    scratch.len = 0;
    if (gk_question_read(q, a->line, &scratch, &e) == GK_OK) {
      gk_buf_free(&scratch);
      return a->line;
    }
    fprintf(stderr, "  %s\n", e.msg ? e.msg : "please answer again");
  }
  gk_buf_free(&scratch);
  return ""; /* end of input: the rest unknown */
}

/* Ask every question of the questionnaire; the answers as a JSON text
   (malloc'd), or NULL on failure (said on stderr). */
static char *interactive(gk_cli_questionnaire w) {
  asker a;
  memset(&a, 0, sizeof a);
  fprintf(stderr,
          "gaitkeeper %s: answer each question; Enter skips it (unknown).\n",
          verb_name(w));
  gk_buf json = {0};
  gk_answer_problem problems[8];
  size_t n_problems = 0;
  gk_err err = {0};
  gk_status st = gk_answers_from_text(
      w == GK_CLI_INTAKE ? GK_QUESTIONS_INTAKE : GK_QUESTIONS_SCREEN, ask, &a,
      &json, problems, 8, &n_problems, &err);
  /* Every field was read as typed; a problem of the whole (a contradiction)
     is reported by the check that follows, which names the keys. */
  if (st != GK_OK && (n_problems == 0 || problems[0].key[0] != '\0')) {
    fprintf(stderr, "gaitkeeper %s: %s\n", verb_name(w),
            n_problems ? problems[0].msg : (err.msg ? err.msg : gk_strerror(st)));
    gk_buf_free(&json);
    return NULL;
  }
  char *out = malloc(json.len + 1);
  if (out != NULL) {
    memcpy(out, json.data ? json.data : "", json.len);
    out[json.len] = '\0';
  }
  gk_buf_free(&json);
  return out;
}

/* ---- assessment output --------------------------------------------------- */

typedef struct assessment {
  gk_intake_result intake;
  gk_screen_result screen;
} assessment;

static void print_findings(const gk_finding *f, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (f[i].severity == GK_SEV_REFER) continue; /* shown as red flags */
    printf("  [%s] %s\n    %s\n", gk_severity_name(f[i].severity), f[i].code,
           f[i].text);
    if (f[i].source) printf("    evidence: %s\n", f[i].source);
    if (f[i].evidence_note) printf("    how sure: %s\n", f[i].evidence_note);
  }
}

static void print_text(gk_cli_questionnaire w, const assessment *a,
                       int64_t day, int64_t id) {
  char d[11];
  gk_day_format(day, d);
  printf("%s of %s (answers #%" PRId64 ")\n",
         w == GK_CLI_INTAKE ? "Intake" : "Functional screen", d, id);
  if (w == GK_CLI_INTAKE) {
    const gk_intake_result *r = &a->intake;
    if (isnan(r->akps))
      printf("AKPS (Kujala): not scored (%d of 13 items answered)\n",
             r->akps_answered);
    else
      printf("AKPS (Kujala): %g/100\n", r->akps);
    if (r->n_red_flags > 0) {
      printf("\nRED FLAGS, most urgent first:\n");
      for (size_t i = 0; i < r->n_red_flags; i++) {
        const gk_red_flag *f = &r->red_flags[i];
        char up[16];
        const char *u = gk_urgency_name(f->urgency);
        size_t k = 0;
        for (; u[k] && k + 1 < sizeof up; k++)
          up[k] = (char)(u[k] >= 'a' && u[k] <= 'z' ? u[k] - 32 : u[k]);
        up[k] = '\0';
        printf("  [%s] %s\n    %s\n    see: %s\n    evidence: %s\n", up,
               f->code, f->text, f->who, f->source);
      }
    }
    printf("\n%s\n",
           r->refer ? "REFER: see a clinician as above before following a "
                      "self-managed plan."
                    : "No red flag stops self-management.");
    size_t shown = 0;
    for (size_t i = 0; i < r->n_findings; i++)
      if (r->findings[i].severity != GK_SEV_REFER) shown++;
    if (shown > 0) {
      printf("\nFindings:\n");
      print_findings(r->findings, r->n_findings);
    }
  } else {
    const gk_screen_result *r = &a->screen;
    if (r->n_findings == 0) {
      printf("No findings: nothing answered fell outside its target.\n");
    } else {
      printf("Findings:\n");
      print_findings(r->findings, r->n_findings);
    }
  }
}

static void print_json(gk_cli_questionnaire w, const assessment *a,
                       int64_t day, int64_t id) {
  gk_buf b = {0};
  char d[11];
  if (w == GK_CLI_INTAKE) gk_intake_result_write_json(&a->intake, &b);
  else gk_screen_result_write_json(&a->screen, &b);
  /* Append the day and the answers' id after the shared members. */
  if (b.len > 0 && !b.oom) {
    b.len--; /* the closing brace */
    gk_buf_puts(&b, ",\"date\":");
    gk_json_str(&b, gk_day_format(day, d));
    gk_buf_puts(&b, ",\"answers_id\":");
    gk_json_i64(&b, id);
    gk_buf_putc(&b, '}');
  }
  if (!b.oom) printf("%.*s\n", (int)b.len, b.data);
  gk_buf_free(&b);
}

/* Check and assess the answers; prints the error naming `name`. */
static int check(gk_cli_questionnaire w, const char *name, const char *json,
                 size_t len, assessment *a) {
  gk_err err = {0};
  gk_status st;
  const char *v = verb_name(w);
  if (memchr(json, '\0', len) != NULL) {
    fprintf(stderr, "gaitkeeper: %s: %s: contains a NUL byte: not JSON text\n",
            v, name);
    return 1;
  }
  if (w == GK_CLI_INTAKE) {
    gk_intake in;
    st = gk_intake_parse(json, len, &in, &err);
    if (st == GK_OK) st = gk_intake_assess(&in, &a->intake, &err);
  } else {
    gk_screen s;
    st = gk_screen_parse(json, len, &s, &err);
    if (st == GK_OK) st = gk_screen_assess(&s, &a->screen, &err);
  }
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: %s: %s: %s\n", v, name,
            err.msg ? err.msg : gk_strerror(st));
    return 1;
  }
  return 0;
}

/* ---- the verbs ----------------------------------------------------------- */

static int show(gk_cli_questionnaire w, int argc, char **argv) {
  const char *v = verb_name(w);
  int json = 0;
  int64_t as_of = INT64_MAX; /* --date: the latest given on or before it */
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
      if (gk_day_parse(argv[++i], &as_of) != GK_OK) {
        fprintf(stderr, "gaitkeeper: %s show: --date takes YYYY-MM-DD (got "
                        "'%s')\n",
                v, argv[i]);
        return 2;
      }
    } else {
      fprintf(stderr, "gaitkeeper: %s show: unknown option '%s'\n", v,
              argv[i]);
      usage(w, stderr);
      return 2;
    }
  }
  gk_store *s = NULL;
  char verb[32];
  snprintf(verb, sizeof verb, "%s show", v);
  gk_status st = gk_cli_open_store(verb, GK_STORE_READ_ONLY, &s);
  if (st == GK_E_NOT_FOUND) {
    fprintf(stderr, "gaitkeeper: %s show: no answers stored yet (run "
                    "`gaitkeeper %s`)\n", v, v);
    return 1;
  }
  if (st != GK_OK) return 1;
  char *text = NULL;
  int64_t day = 0, id = 0;
  st = gk_store_latest_answers(s, v, as_of, &text, &day, &id);
  int rc = 0;
  if (st == GK_E_NOT_FOUND) {
    char d[11];
    if (as_of != INT64_MAX)
      fprintf(stderr, "gaitkeeper: %s show: no answers given on or before "
                      "%s\n", v, gk_day_format(as_of, d));
    else
      fprintf(stderr, "gaitkeeper: %s show: no answers stored yet (run "
                      "`gaitkeeper %s`)\n", v, v);
    rc = 1;
  } else if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: %s show: %s: %s\n", v, gk_store_path(s),
            gk_store_errmsg(s));
    rc = 1;
  } else {
    static assessment a;
    char name[64];
    snprintf(name, sizeof name, "stored answers #%" PRId64, id);
    rc = check(w, name, text, strlen(text), &a);
    if (rc == 0) {
      if (json) print_json(w, &a, day, id);
      else print_text(w, &a, day, id);
    }
  }
  free(text);
  gk_store_close(s);
  return rc;
}

int gk_cli_answers_main(gk_cli_questionnaire w, int argc, char **argv) {
  const char *v = verb_name(w);
  if (argc > 0 && strcmp(argv[0], "show") == 0)
    return show(w, argc - 1, argv + 1);
  const char *file = NULL;
  int json = 0, have_date = 0;
  int64_t day = 0;
  for (int i = 0; i < argc; i++) {
    const char *opt = argv[i];
    if (strcmp(opt, "--json") == 0) {
      json = 1;
    } else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      usage(w, stdout);
      return 0;
    } else if (strcmp(opt, "--answers") == 0 || strcmp(opt, "--date") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "gaitkeeper: %s: %s needs a value\n", v, opt);
        usage(w, stderr);
        return 2;
      }
      const char *val = argv[++i];
      if (opt[2] == 'a') {
        file = val;
      } else if (gk_day_parse(val, &day) != GK_OK) {
        fprintf(stderr,
                "gaitkeeper: %s: --date takes a date YYYY-MM-DD (a real "
                "day; got '%s')\n",
                v, val);
        return 2;
      } else {
        have_date = 1;
      }
    } else {
      fprintf(stderr, "gaitkeeper: %s: unknown option '%s'\n", v, opt);
      usage(w, stderr);
      return 2;
    }
  }
  if (!have_date) day = (int64_t)(time(NULL) / 86400);

  char *text = NULL;
  size_t len = 0;
  const char *name;
  if (file != NULL && strcmp(file, "-") != 0) {
    name = file;
    text = (char *)gk_cli_read_file(file, GK_CLI_MAX_ANSWERS_BYTES, &len);
    if (text == NULL) return 1;
    /* gk_cli_read_file does not terminate the text: store needs a C
       string. */
    char *t = realloc(text, len + 1);
    if (t == NULL) {
      free(text);
      fprintf(stderr, "gaitkeeper: %s: out of memory\n", v);
      return 1;
    }
    text = t;
    text[len] = '\0';
  } else if (file == NULL && isatty(STDIN_FILENO)) {
    name = "answers";
    text = interactive(w);
    if (text == NULL) return 1; /* said */
    len = strlen(text);
  } else {
    name = "<stdin>";
    text = read_stream(stdin, &len);
    if (text == NULL) {
      fprintf(stderr, "gaitkeeper: %s: <stdin>: read error or too large\n",
              v);
      return 1;
    }
  }

  /* A leading UTF-8 byte order mark (some editors write one) is not JSON:
     drop it, so that the answers are checked and stored as JSON text. */
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    memmove(text, text + 3, len - 3 + 1);
    len -= 3;
  }
  static assessment a;
  int rc = check(w, name, text, len, &a);
  if (rc != 0) {
    free(text);
    return rc;
  }
  gk_store *s = NULL;
  if (gk_cli_open_store(v, 0, &s) != GK_OK) {
    free(text);
    return 1;
  }
  int64_t id = 0;
  gk_status st = gk_store_add_answers(s, v, day, text, &id);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: %s: %s: %s\n", v, gk_store_path(s),
            gk_store_errmsg(s));
    rc = 1;
  } else if (json) {
    print_json(w, &a, day, id);
  } else {
    print_text(w, &a, day, id);
  }
  gk_store_close(s);
  free(text);
  return rc;
}
