/*
** nn_run.c -- load a .tflite, fill each input with the deterministic
** pseudo-random values in [-1, 1] that tests/oracle/tflite_ref.mjs also
** makes, run the reference kernels and report the load and inference
** times; with -o FILE, write every output as little-endian float32, one
** after the other, in the model's output order.
**   nn_run MODEL [-o FILE] [-n RUNS] [-b ref|auto|xnnpack] [--upto K]
** (--upto K: only the first K operators, the output being operator K-1's;
** for finding where two evaluations part.)
** The input: s = 12345; for each element s = s * 1664525 + 1013904223
** (mod 2^32), value = (s >> 8) / 2^23 - 1.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/nn.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  const char *path = NULL, *outp = NULL;
  int runs = 1;
  long upto = 0;
  gk_nn_backend be = GK_NN_BACKEND_REF;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) outp = argv[++i];
    else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) runs = (int)strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--upto") == 0 && i + 1 < argc) upto = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "-b") == 0 && i + 1 < argc) {
      const char *b = argv[++i];
      be = strcmp(b, "auto") == 0      ? GK_NN_BACKEND_AUTO
           : strcmp(b, "xnnpack") == 0 ? GK_NN_BACKEND_XNNPACK
                                       : GK_NN_BACKEND_REF;
    } else path = argv[i];
  }
  if (path == NULL || runs < 1) {
    fprintf(stderr, "usage: nn_run MODEL [-o FILE] [-n RUNS] [-b ref|auto|xnnpack]\n");
    return 2;
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(len > 0 ? (size_t)len : 1);
  if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
    fprintf(stderr, "%s: read failed\n", path);
    return 1;
  }
  fclose(f);
  gk_err err = {0};
  gk_nn_model *m = NULL;
  double t0 = now();
  gk_status st = gk_nn_model_read(buf, (size_t)len, NULL, 0, &m, &err);
  double t1 = now();
  free(buf);
  if (st != GK_OK) {
    fprintf(stderr, "%s: %s: %s (at %llu)\n", path, gk_strerror(st),
            err.msg ? err.msg : "", (unsigned long long)err.offset);
    return 1;
  }
  /* --upto K: run the first K operators; the output is operator K-1's. */
  if (upto > 0 && (size_t)upto <= m->n_ops) {
    m->n_ops = (size_t)upto;
    m->outputs[0] = m->ops[upto - 1].out;
    m->n_outputs = 1;
  }
  gk_nn_runner *r = NULL;
  st = gk_nn_runner_new(m, be, 0, &r, &err);
  if (st != GK_OK) {
    fprintf(stderr, "%s: runner: %s\n", path, err.msg ? err.msg : "");
    return 1;
  }
  for (int i = 0; i < m->n_inputs; i++) {
    float *in = gk_nn_input(r, i);
    uint32_t s = 12345u;
    for (size_t k = 0; k < m->tensors[m->inputs[i]].count; k++) {
      s = s * 1664525u + 1013904223u;
      in[k] = (float)(s >> 8) / 8388608.0f - 1.0f;
    }
  }
  double best = 1e30;
  for (int k = 0; k < runs; k++) {
    double a = now();
    st = gk_nn_run(r, &err);
    double b = now() - a;
    if (b < best) best = b;
    if (st != GK_OK) {
      fprintf(stderr, "%s: run: %s\n", path, err.msg ? err.msg : "");
      return 1;
    }
  }
  printf("%s: %zu tensors, %zu ops, load %.1f ms, %s run %.1f ms (best of %d)\n",
         path, m->n_tensors, m->n_ops, (t1 - t0) * 1e3,
         gk_nn_runner_describe(r), best * 1e3, runs);
  if (outp) {
    FILE *o = fopen(outp, "wb");
    if (o == NULL) {
      perror(outp);
      return 1;
    }
    for (int i = 0; i < m->n_outputs; i++)
      fwrite(gk_nn_output(r, i), sizeof(float),
             m->tensors[m->outputs[i]].count, o);
    fclose(o);
  }
  gk_nn_runner_free(r);
  gk_nn_model_free(m);
  return 0;
}
