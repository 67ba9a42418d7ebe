/*
** cmd_demo.c -- `gaitkeeper demo [--dir DIR]`: the main job on sample data.
**
** Writes a sample run as a FIT file with gaitkeeper's own FIT writer into
** DIR (a new temporary directory by default), decodes it and prints the
** run's summary.  (The full demo -- months of runs, pain log, intake,
** screen, gait capture and the report -- arrives with the report.)
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_fit_summary.h"
#include "sample_runs.h"

/* The demo's run: sample run 7 (8.3 km at 5:45 per km, 162 steps/min, with
   running dynamics), on 2026-11-01T07:30:00Z. */
#define DEMO_RUN 7u
#define DEMO_START_UNIX 1793518200u

int gk_cmd_demo(int argc, char **argv) {
  const char *dir = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) dir = argv[++i];
    else {
      fprintf(stderr, "usage: gaitkeeper demo [--dir DIR]\n");
      return 2;
    }
  }
  char tmpl[] = "/tmp/gaitkeeper-demo-XXXXXX";
  if (dir == NULL) {
    dir = mkdtemp(tmpl);
    if (dir == NULL) {
      fprintf(stderr, "gaitkeeper demo: cannot create a temporary directory: %s\n",
              strerror(errno));
      return 1;
    }
  } else if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "gaitkeeper demo: %s: cannot create: %s\n", dir,
            strerror(errno));
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/sample-run.fit", dir);
  if (gk_sample_run_write(path, DEMO_RUN, GK_SAMPLE_RUNNING, DEMO_START_UNIX) !=
      0) {
    fprintf(stderr, "gaitkeeper demo: %s: cannot write the sample run\n", path);
    return 1;
  }
  printf("Sample run written with gaitkeeper's FIT writer: %s\n\n", path);
  char *args[] = {path, NULL};
  return gk_cmd_fit_summary(1, args);
}
