/*
** bench_fit.c -- decode FIT files repeatedly in one process and report
** throughput, one JSON line per file (the same shape as
** tools/bench_fit_sdk.mjs prints for the official SDK):
**   {"file", "bytes", "messages", "seconds_per_decode", "mb_per_s",
**    "messages_per_s"}
** Usage: bench_fit [--seconds S | --runs N] [--stream] FILE...
** Every value of every message is touched, as a consumer would.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/fit.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double sink;

static int touch(void *user, const gk_fit_mesg *m) {
  (void)user;
  double s = 0;
  for (unsigned i = 0; i < m->n_fields + m->n_dev_fields; i++) {
    const gk_fit_field *f = &m->fields[i];
    for (unsigned k = 0; k < f->n_values; k++) s += f->values[k].v.f;
  }
  sink += s;
  return 0;
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

int main(int argc, char **argv) {
  double seconds = 2.0;
  int stream = 0, i = 1;
  long max_runs = 0; /* --runs N: a fixed count (for instruction counting) */
  for (; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds = atof(argv[++i]);
    else if (strcmp(argv[i], "--stream") == 0) stream = 1;
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) max_runs = atol(argv[++i]);
  }
  for (; i < argc; i++) {
    size_t len;
    unsigned char *buf = slurp(argv[i], &len);
    if (!buf) {
      fprintf(stderr, "bench_fit: cannot read %s\n", argv[i]);
      return 1;
    }
    gk_fit_stats st;
    long runs = 0;
    double t0 = now(), t;
    do {
      if (stream) {
        gk_fit_decoder *d;
        gk_fit_decoder_new(&d, NULL, GK_FIT_ACCEPT_BAD_CRC, touch, NULL);
        for (size_t o = 0; o < len; o += 65536)
          if (gk_fit_feed(d, buf + o, len - o < 65536 ? len - o : 65536)) break;
        gk_fit_finish(d);
        st = *gk_fit_decoder_stats(d);
        gk_fit_decoder_free(d);
      } else {
        gk_fit_decode(buf, len, GK_FIT_ACCEPT_BAD_CRC, touch, NULL, NULL, &st);
      }
      runs++;
      t = now() - t0;
    } while (max_runs ? runs < max_runs : t < seconds);
    double per = t / (double)runs;
    printf("{\"file\":\"%s\",\"bytes\":%zu,\"messages\":%llu,"
           "\"seconds_per_decode\":%.9f,\"mb_per_s\":%.2f,"
           "\"messages_per_s\":%.0f}\n",
           argv[i], len, (unsigned long long)st.messages, per,
           (double)len / per / 1e6, (double)st.messages / per);
    free(buf);
  }
  return sink == 12345.678 ? 1 : 0;
}
