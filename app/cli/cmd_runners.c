/*
** cmd_runners.c -- `gaitkeeper runners`: the runners of a store (a
** clinic's patients): list (with search), add, rename, archive, unarchive.
** The other verbs work on one runner, chosen with --runner NAME|ID.
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gaitkeeper/json.h"

static void usage(void) {
  fprintf(stderr,
          "usage: gaitkeeper runners [list] [--all] [--search TEXT] [--json]\n"
          "       gaitkeeper runners add NAME\n"
          "       gaitkeeper runners rename ID|NAME NEW_NAME\n"
          "       gaitkeeper runners archive ID|NAME\n"
          "       gaitkeeper runners unarchive ID|NAME\n");
}

typedef struct list_ctx {
  int json;
  size_t n;
  gk_buf out;
} list_ctx;

static void put_day(gk_buf *b, int64_t day, int json) {
  char d[11];
  if (day == INT64_MIN) {
    gk_buf_puts(b, json ? "null" : "-");
  } else if (json) {
    gk_json_day(b, day);
  } else {
    gk_buf_puts(b, gk_day_format(day, d));
  }
}

static int64_t day_of(int64_t t) {
  if (t == INT64_MIN) return INT64_MIN;
  return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

static int on_runner(void *user, const gk_runner_row *r) {
  list_ctx *c = (list_ctx *)user;
  gk_buf *b = &c->out;
  char num[32];
  if (c->json) {
    gk_buf_puts(b, c->n ? ",\n  {" : "\n  {");
    gk_json_key(b, "id");
    gk_json_i64(b, r->id);
    gk_buf_putc(b, ',');
    gk_json_key(b, "name");
    gk_json_str(b, r->name);
    gk_buf_putc(b, ',');
    gk_json_key(b, "archived");
    gk_buf_puts(b, r->archived ? "true" : "false");
    gk_buf_putc(b, ',');
    gk_json_key(b, "created");
    put_day(b, day_of(r->created_at), 1);
    gk_buf_putc(b, ',');
    gk_json_key(b, "runs");
    gk_json_i64(b, r->n_runs);
    gk_buf_putc(b, ',');
    gk_json_key(b, "last_run");
    put_day(b, day_of(r->last_run_time), 1);
    gk_buf_putc(b, ',');
    gk_json_key(b, "pain_entries");
    gk_json_i64(b, r->n_pain);
    gk_buf_putc(b, ',');
    gk_json_key(b, "last_pain");
    put_day(b, r->last_pain_day, 1);
    gk_buf_putc(b, '}');
  } else {
    if (c->n == 0)
      gk_buf_puts(b, "   ID  RUNS  LAST RUN    PAIN  LAST PAIN   NAME\n");
    snprintf(num, sizeof num, "%5" PRId64 "  %4" PRId64 "  ", r->id,
             r->n_runs);
    gk_buf_puts(b, num);
    put_day(b, day_of(r->last_run_time), 0);
    gk_buf_puts(b, r->last_run_time == INT64_MIN ? "         " : "");
    snprintf(num, sizeof num, "  %4" PRId64 "  ", r->n_pain);
    gk_buf_puts(b, num);
    put_day(b, r->last_pain_day, 0);
    gk_buf_puts(b, r->last_pain_day == INT64_MIN ? "         " : "");
    gk_buf_puts(b, "  ");
    gk_buf_put_clean(b, r->name, strlen(r->name)); /* no terminal escapes */
    if (r->archived) gk_buf_puts(b, " (archived)");
    gk_buf_putc(b, '\n');
  }
  c->n++;
  return 0;
}

static int cmd_list(int argc, char **argv) {
  int all = 0, json = 0;
  const char *search = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--all") == 0) {
      all = 1;
    } else if (strcmp(argv[i], "--json") == 0) {
      json = 1;
    } else if (strcmp(argv[i], "--search") == 0 && i + 1 < argc) {
      search = argv[++i];
    } else {
      fprintf(stderr, "gaitkeeper: runners: unexpected '%s'\n", argv[i]);
      usage();
      return 2;
    }
  }
  gk_store *s = NULL;
  gk_status st = gk_cli_open_store(
      "runners", GK_STORE_READ_ONLY | GK_CLI_ANY_RUNNER, &s);
  if (st == GK_E_NOT_FOUND) { /* no store yet: nobody in it */
    printf(json ? "[]\n" : "no runners yet: the first is made on first use, "
                           "or add one with `gaitkeeper runners add NAME`\n");
    return 0;
  }
  if (st != GK_OK) return 1;
  list_ctx c;
  memset(&c, 0, sizeof c);
  c.json = json;
  if (json) gk_buf_putc(&c.out, '[');
  st = gk_store_each_runner(s, search, all, on_runner, &c);
  if (json) gk_buf_puts(&c.out, c.n ? "\n]\n" : "]\n");
  if (c.out.oom) st = GK_E_NOMEM;
  int rc = 0;
  if (st == GK_OK) {
    if (!json && c.n == 0)
      printf(search ? "no runner's name holds that text%s\n"
                    : "no runners%s\n",
             all ? "" : " (archived ones are listed with --all)");
    else
      fwrite(c.out.data, 1, c.out.len, stdout);
  } else {
    fprintf(stderr, "gaitkeeper: runners: %s: %s\n", gk_store_path(s),
            st == GK_E_NOMEM ? "out of memory" : gk_store_errmsg(s));
    rc = 1;
  }
  gk_buf_free(&c.out);
  gk_store_close(s);
  return rc;
}

/* The store opened for writing and the runner named by text found; 0, or
   the exit code after printing why. */
static int open_and_find(const char *verb, const char *text, gk_store **s,
                         int64_t *id) {
  if (gk_cli_open_store(verb, GK_STORE_NO_CREATE | GK_CLI_ANY_RUNNER, s) !=
      GK_OK) {
    if (*s == NULL) {
      char path[4096];
      if (gk_cli_db_path(path, sizeof path) == 0)
        fprintf(stderr, "gaitkeeper: %s: %s: no store at this path\n", verb,
                path);
    }
    return 1;
  }
  gk_status st = gk_store_find_runner(*s, text, id);
  if (st != GK_OK) {
    fprintf(stderr, "gaitkeeper: %s: %s: ", verb, gk_store_path(*s));
    gk_cli_wrap(stderr, gk_store_errmsg(*s), 0, 100000);
    gk_store_close(*s);
    *s = NULL;
    return 1;
  }
  return 0;
}

static int say_failure(const char *verb, gk_store *s, gk_status st) {
  fprintf(stderr, "gaitkeeper: %s: ", verb);
  gk_cli_wrap(stderr, gk_store_errmsg(s)[0] ? gk_store_errmsg(s)
                                            : gk_strerror(st),
              0, 100000);
  gk_store_close(s);
  return 1;
}

int gk_cmd_runners(int argc, char **argv) {
  const char *sub = argc > 0 ? argv[0] : "list";
  if (argc > 0 && strncmp(sub, "--", 2) == 0) return cmd_list(argc, argv);
  if (strcmp(sub, "list") == 0) return cmd_list(argc - 1, argv + 1);
  if (strcmp(sub, "add") == 0) {
    if (argc != 2) {
      usage();
      return 2;
    }
    gk_store *s = NULL;
    if (gk_cli_open_store("runners add", GK_CLI_ANY_RUNNER, &s) != GK_OK)
      return 1;
    int64_t id = 0;
    gk_status st = gk_store_add_runner(s, argv[1], &id);
    if (st != GK_OK) return say_failure("runners add", s, st);
    gk_runner_row r;
    if (gk_store_get_runner(s, id, &r) != GK_OK)
      return say_failure("runners add", s, GK_E_IO);
    gk_buf b = {0};
    gk_buf_put_clean(&b, r.name, strlen(r.name));
    printf("added runner %" PRId64 ": %.*s\n", id, (int)b.len,
           b.data ? b.data : "");
    gk_buf_free(&b);
    gk_store_close(s);
    return 0;
  }
  if (strcmp(sub, "rename") == 0) {
    if (argc != 3) {
      usage();
      return 2;
    }
    gk_store *s = NULL;
    int64_t id = 0;
    int rc = open_and_find("runners rename", argv[1], &s, &id);
    if (rc) return rc;
    gk_status st = gk_store_rename_runner(s, id, argv[2]);
    if (st != GK_OK) return say_failure("runners rename", s, st);
    printf("renamed runner %" PRId64 "\n", id);
    gk_store_close(s);
    return 0;
  }
  if (strcmp(sub, "archive") == 0 || strcmp(sub, "unarchive") == 0) {
    int archive = strcmp(sub, "archive") == 0;
    const char *verb = archive ? "runners archive" : "runners unarchive";
    if (argc != 2) {
      usage();
      return 2;
    }
    gk_store *s = NULL;
    int64_t id = 0;
    int rc = open_and_find(verb, argv[1], &s, &id);
    if (rc) return rc;
    gk_status st = gk_store_archive_runner(s, id, archive);
    if (st != GK_OK) return say_failure(verb, s, st);
    if (archive)
      printf("archived runner %" PRId64
             " (its data kept; --runner %" PRId64 " still chooses it)\n",
             id, id);
    else
      printf("runner %" PRId64 " is listed again\n", id);
    gk_store_close(s);
    return 0;
  }
  fprintf(stderr, "gaitkeeper: runners: unknown subcommand '%s'\n", sub);
  usage();
  return 2;
}
