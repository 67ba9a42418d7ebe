/*
** bench_nn.c -- time one pose model's inference on each runner: XNNPACK
** with 1 and with 2 threads, and the plain C reference kernels.  Reads the
** .tflite file, fills every input with the same fixed pattern, runs each
** runner once to warm up and then ITERATIONS times, and prints the median
** and best wall time per inference, the median CPU time, the runner's
** describe() (the SIMD level XNNPACK uses) and the largest difference of
** each runner's outputs from the reference's, relative as in the tests:
** |a - b| / max(1, |b|).
**
**   bench_nn MODEL.tflite [ITERATIONS]      (ITERATIONS default 20)
**
** MODEL is e.g. models/node_modules/@mediapipe/pose/pose_landmark_full.tflite
** (scripts/setup-models.sh installs them).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/nn.h"

#define BENCH_MAX_ITER 10000

static double now_ms(clockid_t clk) {
  struct timespec ts;
  clock_gettime(clk, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 20, n = 0;
  unsigned char *b = (unsigned char *)malloc(cap);
  while (b != NULL) {
    n += fread(b + n, 1, cap - n, f);
    if (n < cap) break;
    unsigned char *nb = (unsigned char *)realloc(b, cap * 2);
    if (nb == NULL) {
      free(b);
      b = NULL;
      break;
    }
    b = nb;
    cap *= 2;
  }
  fclose(f);
  *len = n;
  return b;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef struct bench_run {
  const char *label;
  gk_nn_backend backend;
  int threads;
} bench_run;

/* The outputs of the reference run, to compare the others with. */
static float *ref_out[GK_NN_MAX_IO];

static int bench_one(const gk_nn_model *m, const bench_run *b, int iters,
                     double *times, double *cpu) {
  gk_nn_runner *r = NULL;
  gk_err err = {0};
  if (gk_nn_runner_new(m, b->backend, b->threads, &r, &err) != GK_OK) {
    printf("%-16s unavailable: %s\n", b->label, err.msg ? err.msg : "?");
    return 0;
  }
  for (int i = 0; i < m->n_inputs; i++) {
    const gk_nn_tensor *t = &m->tensors[m->inputs[i]];
    float *in = gk_nn_input(r, i);
    for (size_t e = 0; e < t->count; e++)
      in[e] = (float)((e * 7919u) % 1000u) / 500.0f - 1.0f;
  }
  int ok = gk_nn_run(r, &err) == GK_OK; /* warm-up */
  for (int k = 0; ok && k < iters; k++) {
    double w0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    ok = gk_nn_run(r, &err) == GK_OK;
    times[k] = now_ms(CLOCK_MONOTONIC) - w0;
    cpu[k] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
  }
  if (!ok) {
    printf("%-16s failed: %s\n", b->label, err.msg ? err.msg : "?");
    gk_nn_runner_free(r);
    return 0;
  }
  qsort(times, (size_t)iters, sizeof(double), cmp_double);
  qsort(cpu, (size_t)iters, sizeof(double), cmp_double);
  double worst = 0;
  for (int j = 0; j < m->n_outputs; j++) {
    const gk_nn_tensor *t = &m->tensors[m->outputs[j]];
    const float *o = gk_nn_output(r, j);
    if (b->backend == GK_NN_BACKEND_REF) {
      ref_out[j] = (float *)malloc(t->count * sizeof(float));
      if (ref_out[j]) memcpy(ref_out[j], o, t->count * sizeof(float));
    } else if (ref_out[j] != NULL) {
      for (size_t e = 0; e < t->count; e++) {
        double d = fabs((double)o[e] - ref_out[j][e]) /
                   fmax(1.0, fabs((double)ref_out[j][e]));
        if (!(d <= worst)) worst = d;
      }
    }
  }
  printf("%-16s %9.2f ms median %9.2f best %9.2f cpu  %-18s", b->label,
         times[iters / 2], times[0], cpu[iters / 2], gk_nn_runner_describe(r));
  if (b->backend != GK_NN_BACKEND_REF && ref_out[0] != NULL)
    printf("  max rel diff vs reference %.3g", worst);
  printf("\n");
  gk_nn_runner_free(r);
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_nn MODEL.tflite [ITERATIONS]\n");
    return 2;
  }
  char *end = NULL;
  long iters_l = argc > 2 ? strtol(argv[2], &end, 10) : 20;
  if ((end != NULL && *end != '\0') || iters_l < 1 ||
      iters_l > BENCH_MAX_ITER) {
    fprintf(stderr, "bench_nn: ITERATIONS must be 1..%d\n", BENCH_MAX_ITER);
    return 2;
  }
  int iters = (int)iters_l;
  size_t len = 0;
  unsigned char *buf = slurp(argv[1], &len);
  if (buf == NULL) {
    fprintf(stderr, "bench_nn: cannot read %s\n", argv[1]);
    return 1;
  }
  gk_nn_model *m = NULL;
  gk_err err = {0};
  gk_status st = gk_nn_model_read(buf, len, NULL, 0, &m, &err);
  free(buf);
  if (st != GK_OK) {
    fprintf(stderr, "bench_nn: %s: %s (at %llu)\n", argv[1],
            err.msg ? err.msg : gk_strerror(st),
            (unsigned long long)err.offset);
    return 1;
  }
  printf("%s: %zu operators, %zu tensors, %d iterations\n", argv[1], m->n_ops,
         m->n_tensors, iters);
  double *times = (double *)malloc((size_t)iters * sizeof(double));
  double *cpu = (double *)malloc((size_t)iters * sizeof(double));
  static const bench_run runs[] = {
      {"reference", GK_NN_BACKEND_REF, 1},
      {"XNNPACK 1 thread", GK_NN_BACKEND_XNNPACK, 1},
      {"XNNPACK 2 threads", GK_NN_BACKEND_XNNPACK, 2}};
  int rc = 0;
  for (size_t i = 0; times && cpu && i < sizeof(runs) / sizeof(runs[0]); i++)
    if (!bench_one(m, &runs[i], iters, times, cpu)) rc = 1;
  for (int j = 0; j < GK_NN_MAX_IO; j++) free(ref_out[j]);
  free(times);
  free(cpu);
  gk_nn_model_free(m);
  return rc;
}
