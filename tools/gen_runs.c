/*
** gen_runs.c -- write N distinct, realistic runs as FIT activity files with
** gaitkeeper's own FIT writer (include/gaitkeeper/fit_write.h), for the
** import benchmark (tools/bench_import.sh) and the import tests.
**
**   gen_runs [--sport running|walking|cycling|swimming] [--first K]
**            DIR N
**
** Writes DIR/run-00000.fit ... (numbered from K, default 0), one run every
** 31 hours from 2023-01-02T06:00Z.  Run k is deterministic in k, and
** differs from every other in date, distance (3-16 km, a long run of up to
** 30 km every seventh), pace (4:10-6:50 /km), heart rate, cadence,
** course and terrain: every fifth is a trail run with real hills, every
** ninth a treadmill run without GPS, and two runs in three carry running
** dynamics (vertical oscillation, ground contact time and balance, step
** length) as a chest strap or pod records them.  1 Hz records, a lap per
** kilometre, a session and an activity message, as a watch writes them.
** --sport writes the same shapes under another sport (for tests of what
** import skips).
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sample_runs.h"

/* 2023-01-02T06:00:00Z; run k starts k x 31 hours later. */
#define FIRST_START_UNIX 1672639200u

static int usage(void) {
  fprintf(stderr,
          "usage: gen_runs [--sport running|walking|cycling|swimming]"
          " [--first K] DIR N\n");
  return 2;
}

int main(int argc, char **argv) {
  uint8_t sport = 1;
  unsigned long first = 0;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--sport") == 0 && i + 1 < argc) {
      const char *s = argv[++i];
      if (strcmp(s, "running") == 0)
        sport = 1;
      else if (strcmp(s, "cycling") == 0)
        sport = 2;
      else if (strcmp(s, "swimming") == 0)
        sport = 5;
      else if (strcmp(s, "walking") == 0)
        sport = 11;
      else
        return usage();
    } else if (strcmp(argv[i], "--first") == 0 && i + 1 < argc) {
      first = strtoul(argv[++i], NULL, 10);
    } else {
      return usage();
    }
  }
  if (argc - i != 2) return usage();
  const char *dir = argv[i];
  char *end;
  unsigned long n = strtoul(argv[i + 1], &end, 10);
  if (*end != '\0' || n > 1000000) return usage();
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "gen_runs: %s: %s\n", dir, strerror(errno));
    return 1;
  }
  char path[4096];
  for (unsigned long k = first; k < first + n; k++) {
    snprintf(path, sizeof path, "%s/%s-%05lu.fit", dir,
             sport == 1 ? "run" : "other", k);
    if (gk_sample_run_write(path, (uint32_t)k, sport,
                            FIRST_START_UNIX + (uint32_t)k * 31u * 3600u) != 0) {
      fprintf(stderr, "gen_runs: %s: cannot write\n", path);
      return 1;
    }
  }
  return 0;
}
