/*
** cli_db.c -- the one place that decides which store a verb uses: the
** global option --db PATH (before or after the verb), the environment
** variable GAITKEEPER_DB, then the default path; and opens it with a clear
** message when it cannot.  The same for the runner every verb works on: the
** global option --runner NAME|ID, else the store's only active runner
** (gk_store_current_runner).  Verbs that only read open it with
** GK_STORE_READ_ONLY, so a store they cannot write (another user's, on a
** read-only mount, in a read-only directory) can still be read.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *db_option;     /* the last --db given, or NULL */
static const char *runner_option; /* the last --runner given, or NULL */

int gk_cli_take_db_option(int argc, char **argv) {
  int out = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) { /* everything after it is an operand */
      while (i < argc) argv[out++] = argv[i++];
      break;
    }
    if (strcmp(a, "--db") == 0) {
      if (i + 1 >= argc || argv[i + 1][0] == '\0') {
        fprintf(stderr, "gaitkeeper: --db needs a path\n");
        return -1;
      }
      db_option = argv[++i];
      continue;
    }
    if (strcmp(a, "--runner") == 0) {
      if (i + 1 >= argc || argv[i + 1][0] == '\0') {
        fprintf(stderr, "gaitkeeper: --runner needs a name or an id\n");
        return -1;
      }
      runner_option = argv[++i];
      continue;
    }
    if (strncmp(a, "--runner=", 9) == 0) {
      if (a[9] == '\0') {
        fprintf(stderr, "gaitkeeper: --runner needs a name or an id\n");
        return -1;
      }
      runner_option = a + 9;
      continue;
    }
    if (strncmp(a, "--db=", 5) == 0) {
      if (a[5] == '\0') {
        fprintf(stderr, "gaitkeeper: --db needs a path\n");
        return -1;
      }
      db_option = a + 5;
      continue;
    }
    argv[out++] = argv[i];
  }
  argv[out] = NULL;
  return out;
}

int gk_cli_db_path(char *out, size_t size) {
  const char *p = db_option;
  if (p == NULL) {
    const char *env = getenv("GAITKEEPER_DB");
    if (env != NULL && env[0] != '\0') p = env;
  }
  if (p != NULL) {
    size_t n = strlen(p);
    if (n >= size) {
      fprintf(stderr, "gaitkeeper: the store's path is too long\n");
      return -1;
    }
    memcpy(out, p, n + 1);
    return 0;
  }
  gk_status st = gk_store_default_path(out, size);
  if (st == GK_E_NOT_FOUND) {
    fprintf(stderr,
            "gaitkeeper: no store path: set HOME, XDG_DATA_HOME or "
            "GAITKEEPER_DB, or pass --db PATH\n");
    return -1;
  }
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: the store's default path is too long\n");
    return -1;
  }
  return 0;
}

const char *gk_cli_runner_option(void) { return runner_option; }

gk_status gk_cli_scope_store(const char *verb, gk_store *s) {
  gk_status st;
  int64_t id = 0;
  if (runner_option != NULL) {
    st = gk_store_find_runner(s, runner_option, &id);
    if (st == GK_OK) st = gk_store_use_runner(s, id);
    if (st == GK_E_NOT_FOUND) {
      fprintf(stderr, "gaitkeeper: %s: %s: ", verb, gk_store_path(s));
      gk_cli_wrap(stderr, gk_store_errmsg(s), 0, 100000);
      fprintf(stderr,
              "gaitkeeper: %s: `gaitkeeper runners list --all` lists the "
              "runners\n",
              verb);
      return GK_E_ARG; /* not the caller's "no store yet" */
    }
  } else {
    st = gk_store_current_runner(s, &id);
    if (st == GK_E_ARG) {
      fprintf(stderr, "gaitkeeper: %s: %s: %s with --runner NAME|ID\n", verb,
              gk_store_path(s), gk_store_errmsg(s));
      return st;
    }
  }
  if (st != GK_OK)
    fprintf(stderr, "gaitkeeper: %s: %s: %s\n", verb, gk_store_path(s),
            gk_store_errmsg(s));
  return st;
}

/* The store opened, then scoped to the runner (unless GK_CLI_ANY_RUNNER):
   closed again when no runner can be chosen. */
static gk_status scoped(const char *verb, unsigned flags, gk_store **out) {
  if (flags & GK_CLI_ANY_RUNNER) return GK_OK;
  gk_status st = gk_cli_scope_store(verb, *out);
  if (st != GK_OK) {
    gk_store_close(*out);
    *out = NULL;
  }
  return st;
}

gk_status gk_cli_open_store(const char *verb, unsigned flags, gk_store **out) {
  char path[4096];
  *out = NULL;
  if (gk_cli_db_path(path, sizeof path) != 0) return GK_E_ARG;
  char msg[512];
  unsigned cli_flags = flags;
  flags &= ~GK_CLI_ANY_RUNNER;
  gk_status st = gk_store_open_ex(out, path, flags, NULL, msg, sizeof msg);
  if (st == GK_E_UNSUPPORTED && (flags & GK_STORE_READ_ONLY)) {
    /* an older schema: a writable open upgrades it (and refuses a newer
       one as the read-only open did); if the store cannot be written,
       the read-only open's message says what to do */
    char again[512];
    unsigned wflags = (flags & ~GK_STORE_READ_ONLY) | GK_STORE_NO_CREATE;
    if (gk_store_open_ex(out, path, wflags, NULL, again, sizeof again) ==
        GK_OK)
      return scoped(verb, cli_flags, out);
  }
  if (st == GK_E_NOT_FOUND &&
      (flags & (GK_STORE_NO_CREATE | GK_STORE_READ_ONLY)))
    return st;
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: %s: %s: %s\n", verb, path, msg);
    return st;
  }
  return scoped(verb, cli_flags, out);
}
