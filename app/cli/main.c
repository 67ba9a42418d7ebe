/*
** main.c -- gaitkeeper's command line: global options and verb dispatch.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd_load.h"
#include "cmd_report.h"
#include "gaitkeeper/core.h"
#include "server.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: gaitkeeper <verb> [options]\n"
          "\n"
          "verbs:\n"
          "  fit dump [--format jsonl|csv|none] [--accept-bad-crc] FILE...\n"
          "                 decode FIT files and print every message\n"
          "  fit summary [--json] [--accept-bad-crc] FILE...\n"
          "                 decode FIT runs and print their summary\n"
          "  demo [--dir DIR]\n"
          "                 write a sample runner (months of runs, pain log,\n"
          "                 ...) into a new store and write its report\n"
          "  import [--json] [--jobs N] PATH...\n"
          "                 import FIT/GPX/TCX runs (files or folders) into "
          "the store\n"
          "  runs [--json]  list the stored runs\n"
          "  pain add --date YYYY-MM-DD [--during N] [--after N] "
          "[--morning N]\n"
          "           [--onset-km X] [--activity ID] [--note TEXT]\n"
          "                 log knee pain (scores 0-10)\n"
          "  pain [--json]  list the pain log\n"
          "  load [--date YYYY-MM-DD] [--weeks N|all] [--json]\n"
          "                 training load and pain findings, with their "
          "evidence\n"
          "  intake [--answers FILE.json] [--date YYYY-MM-DD] [--json]\n"
          "                 symptoms, red flags and the Kujala AKPS: asked on "
          "a terminal,\n"
          "                 or a JSON file / stdin (docs/CLINIC.md); stored\n"
          "  screen [--answers FILE.json] [--date YYYY-MM-DD] [--json]\n"
          "                 the functional screen (ankle, squat, single-leg "
          "control, strength)\n"
          "  intake show | screen show [--json]\n"
          "                 the assessment of the latest stored answers\n"
          "  plan [--date YYYY-MM-DD] [--json]\n"
          "                 the staged plan: stage and gates, exercises, "
          "running, cadence\n"
          "  plan export --fit DIR | --wav FILE [--bpm N] [--minutes M]\n"
          "                 watch workouts (FIT) or a metronome click track "
          "(WAV)\n"
          "  course [--date YYYY-MM-DD] [--json]\n"
          "                 the course over weeks: the stage on every visit, "
          "each change\n"
          "                 of stage with the gate that moved it, the AKPS "
          "over time\n"
          "  done EXERCISE_ID [--step N] [--sets N] [--reps N] [--hold S]\n"
          "       [--load KG] [--pain 0-10] [--date YYYY-MM-DD] [--note TEXT]\n"
          "                 log one exercise session; says the exercise's "
          "step and when to\n"
          "                 move up\n"
          "  done --list [--json]\n"
          "                 the exercise log\n"
          "  clinician stage N --reason TEXT | add-exercise ID [--dose TEXT] |\n"
          "            drop-exercise ID | dose ID TEXT | note TEXT |\n"
          "            finding NAME TEXT [--severity S]  [--date D] [--by NAME]\n"
          "                 the clinician's own decisions over the plan, dated\n"
          "  clinician [list] [--json]\n"
          "                 the clinician's entries\n"
          "  report [-o FILE.html] [--json] [--date YYYY-MM-DD]\n"
          "                 the runner's knee report: a web page (-o), its "
          "data (--json)\n"
          "                 or a summary in the terminal\n"
          "  gait [--static FILE] [--height-cm H] [--mass-kg M] [--speed MPS]\n"
          "       [--fps N] [--view rear|front|left|right] [--date YYYY-MM-DD]\n"
          "       [--model lite|full|heavy] [--json] [--no-store] PATH\n"
          "                 gait analysis of a lab capture (.c3d, .trc), "
          "pose keypoints\n"
          "                 or a video (.mp4, .mov, ...), with findings; "
          "stored unless\n"
          "                 --no-store\n"
          "  video [--out DIR] [--format openpose|mediapipe] "
          "[--model lite|full|heavy]\n"
          "        [--json] VIDEO\n"
          "                 the runner's keypoints from a video (BlazePose), "
          "for other tools\n"
          "  runners [list] [--all] [--search TEXT] [--json]\n"
          "                 the runners of the store (a clinic's patients);\n"
          "                 archived ones with --all\n"
          "  runners add NAME | rename ID|NAME NEW | archive ID|NAME |\n"
          "          unarchive ID|NAME\n"
          "                 add, rename, archive (data kept) or bring back a "
          "runner\n"
          "  serve [--port N]\n"
          "                 the local web app on 127.0.0.1 (port 0 or none: "
          "a free one);\n"
          "                 open the printed address (docs/SERVER.md)\n"
          "  version        print the version\n"
          "  help           this text\n"
          "\n"
          "global options:\n"
          "  --db PATH      the store to use (before or after the verb); else\n"
          "                 $GAITKEEPER_DB, else "
          "$XDG_DATA_HOME/gaitkeeper/gaitkeeper.db\n"
          "                 (~/.local/share/gaitkeeper/gaitkeeper.db)\n"
          "  --runner NAME|ID\n"
          "                 the runner every verb works on (before or after "
          "the verb);\n"
          "                 needed when the store holds several runners\n");
}

void gk_cli_wrap(FILE *out, const char *s, int indent, int width) {
  /* Built in a buffer, each word cleaned of control characters (a note or
     a name may hold terminal escapes), then written at once. */
  gk_buf b = {0};
  int col = 0;
  while (s && *s) {
    while (*s == ' ') s++;
    if (!*s) break;
    size_t n = strcspn(s, " ");
    if (col > 0 && col + 1 + (int)n > width) {
      gk_buf_putc(&b, '\n');
      col = 0;
    }
    if (col == 0) {
      for (int i = 0; i < indent; i++) gk_buf_putc(&b, ' ');
      col = indent;
    } else {
      gk_buf_putc(&b, ' ');
      col++;
    }
    gk_buf_put_clean(&b, s, n);
    col += (int)n;
    s += n;
  }
  if (col > 0) gk_buf_putc(&b, '\n');
  if (b.len) fwrite(b.data, 1, b.len, out);
  gk_buf_free(&b);
}

unsigned char *gk_cli_read_file(const char *path, size_t max, size_t *len) {
  /* O_NONBLOCK so that opening a FIFO returns at once instead of waiting
     for a writer; fstat before any byte is read, so that a device, FIFO
     or directory is refused and an oversized file is refused by its size. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "gaitkeeper: %s: cannot open: %s\n", path,
            strerror(errno));
    return NULL;
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    fprintf(stderr, "gaitkeeper: %s: cannot open: %s\n", path,
            strerror(errno));
    close(fd);
    return NULL;
  }
  if (!S_ISREG(sb.st_mode)) {
    fprintf(stderr, "gaitkeeper: %s: %s\n", path,
            S_ISDIR(sb.st_mode) ? "is a directory" : "not a regular file");
    close(fd);
    return NULL;
  }
  if ((uintmax_t)sb.st_size > max) {
    fprintf(stderr,
            "gaitkeeper: %s: too large (%jd bytes; the limit is %ju)\n",
            path, (intmax_t)sb.st_size, (uintmax_t)max);
    close(fd);
    return NULL;
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl != -1) (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  /* Read at most the size seen plus one byte (a file that grows while it
     is read is still refused at the cap). */
  size_t cap = (size_t)sb.st_size + 1, n = 0;
  unsigned char *buf = (unsigned char *)malloc(cap);
  int err = 0;
  while (buf != NULL) {
    if (n == cap) {
      if (cap > max) break;
      size_t nc = cap * 2 > max + 1
                      ? max + 1 : cap * 2;
      unsigned char *nb = (unsigned char *)realloc(buf, nc);
      if (nb == NULL) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap = nc;
    }
    ssize_t got = read(fd, buf + n, cap - n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      err = errno;
      break;
    }
    if (got == 0) break;
    n += (size_t)got;
  }
  close(fd);
  if (buf == NULL || err || n > max) {
    if (buf == NULL)
      fprintf(stderr, "gaitkeeper: %s: out of memory\n", path);
    else if (err)
      fprintf(stderr, "gaitkeeper: %s: read error: %s\n", path,
              strerror(err));
    else
      fprintf(stderr, "gaitkeeper: %s: too large (the limit is %ju bytes)\n",
              path, (uintmax_t)max);
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  argc = gk_cli_take_db_option(argc, argv);
  if (argc < 0) return 2;
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *verb = argv[1];
  if (strcmp(verb, "fit") == 0) return gk_cmd_fit(argc - 2, argv + 2);
  if (strcmp(verb, "demo") == 0) return gk_cmd_demo(argc - 2, argv + 2);
  if (strcmp(verb, "import") == 0) return gk_cmd_import(argc - 2, argv + 2);
  if (strcmp(verb, "runs") == 0) return gk_cmd_runs(argc - 2, argv + 2);
  if (strcmp(verb, "pain") == 0) return gk_cmd_pain(argc - 2, argv + 2);
  if (strcmp(verb, "intake") == 0) return gk_cmd_intake(argc - 2, argv + 2);
  if (strcmp(verb, "screen") == 0) return gk_cmd_screen(argc - 2, argv + 2);
  if (strcmp(verb, "load") == 0) return gk_cmd_load_main(argc - 2, argv + 2);
  if (strcmp(verb, "gait") == 0) return gk_cmd_gait(argc - 2, argv + 2);
  if (strcmp(verb, "video") == 0) return gk_cmd_video(argc - 2, argv + 2);
  if (strcmp(verb, "report") == 0) return gk_cmd_report(argc - 2, argv + 2);
  if (strcmp(verb, "plan") == 0) return gk_cmd_plan(argc - 2, argv + 2);
  if (strcmp(verb, "clinician") == 0)
    return gk_cmd_clinician(argc - 2, argv + 2);
  if (strcmp(verb, "done") == 0) return gk_cmd_done(argc - 2, argv + 2);
  if (strcmp(verb, "course") == 0) return gk_cmd_course(argc - 2, argv + 2);
  if (strcmp(verb, "runners") == 0) return gk_cmd_runners(argc - 2, argv + 2);
  if (strcmp(verb, "serve") == 0) {
    /* the web app (app/server), on the store --db names */
    char path[4096];
    if (gk_cli_db_path(path, sizeof path) != 0) return 1;
    return gk_serve_main(argc - 2, argv + 2, path);
  }
  if (strcmp(verb, "version") == 0 || strcmp(verb, "--version") == 0) {
    printf("gaitkeeper %s\n", gk_version());
    return 0;
  }
  if (strcmp(verb, "help") == 0 || strcmp(verb, "--help") == 0 ||
      strcmp(verb, "-h") == 0) {
    usage(stdout);
    return 0;
  }
  fprintf(stderr, "gaitkeeper: unknown verb '%s'\n", verb);
  usage(stderr);
  return 2;
}
