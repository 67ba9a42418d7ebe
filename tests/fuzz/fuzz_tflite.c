/*
** fuzz_tflite.c -- libFuzzer harness for the TFLite reader
** (gk_nn_model_read, all outputs and the first one only); a model that
** loads and is cheap (FUZZ_TFLITE_BUDGET multiply-adds, activations
** included) is also run on the reference kernels with zero and one-valued
** inputs.  Seeds: tests/data/tflite/y_* (written by
** `test_nn --write-seeds DIR`).  The input is read from an exact-size heap
** copy (so ASan sees any read past the end).  A model that loads must be
** consistent (every index in range, constants with values, an output made
** by an operator); a failure leaves no model and a message.  Otherwise:
** abort().
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/nn.h"

#define FUZZ_TFLITE_BUDGET (1u << 20)

/* Rough work of one inference, saturating at the budget. */
static size_t cost(const gk_nn_model *m) {
  size_t total = 0;
  for (size_t i = 0; i < m->n_ops; i++) {
    const gk_nn_op *op = &m->ops[i];
    size_t c = m->tensors[op->out].count, w = 1;
    if (op->kind == GK_NN_CONV_2D || op->kind == GK_NN_DEPTHWISE_CONV_2D) {
      const gk_nn_tensor *f = &m->tensors[op->in[1]];
      w = (size_t)f->dims[1] * (size_t)f->dims[2];
      if (op->kind == GK_NN_CONV_2D) w *= (size_t)f->dims[3];
    } else if (op->kind == GK_NN_MAX_POOL_2D) {
      w = (size_t)op->filter_h * (size_t)op->filter_w;
    }
    if (w && c > FUZZ_TFLITE_BUDGET / w) return FUZZ_TFLITE_BUDGET + 1;
    total += c * w + 1;
    if (total > FUZZ_TFLITE_BUDGET) return total;
  }
  for (size_t i = 0; i < m->n_tensors; i++) {
    total += m->tensors[i].count;
    if (total > FUZZ_TFLITE_BUDGET) return total;
  }
  return total;
}

static void run(const gk_nn_model *m) {
  if (cost(m) > FUZZ_TFLITE_BUDGET) return;
  gk_nn_runner *r = NULL;
  gk_err err;
  if (gk_nn_runner_new(m, GK_NN_BACKEND_REF, 1, &r, &err) != GK_OK) return;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < m->n_inputs; i++) {
      float *in = gk_nn_input(r, i);
      for (size_t k = 0; k < m->tensors[m->inputs[i]].count; k++)
        in[k] = (float)pass;
    }
    gk_nn_run(r, &err);
    for (int i = 0; i < m->n_outputs; i++) {
      const float *o = gk_nn_output(r, i);
      volatile float sink = 0;
      for (size_t k = 0; k < m->tensors[m->outputs[i]].count; k++) sink += o[k];
      (void)sink;
    }
  }
  gk_nn_runner_free(r);
}

static void check(const gk_nn_model *m) {
  int32_t nt = (int32_t)m->n_tensors;
  for (int i = 0; i < m->n_inputs; i++)
    if (m->inputs[i] < 0 || m->inputs[i] >= nt || m->tensors[m->inputs[i]].data)
      abort();
  for (int i = 0; i < m->n_outputs; i++)
    if (m->outputs[i] < 0 || m->outputs[i] >= nt || m->tensors[m->outputs[i]].data)
      abort();
  for (size_t i = 0; i < m->n_ops; i++) {
    const gk_nn_op *op = &m->ops[i];
    if ((unsigned)op->kind >= GK_NN_OP_KIND_COUNT || op->out < 0 || op->out >= nt ||
        op->n_in < 1 || op->n_in > GK_NN_MAX_OP_INPUTS || m->tensors[op->out].data)
      abort();
    for (int k = 0; k < op->n_in; k++)
      if (op->in[k] >= nt || (op->in[k] < 0 && !(k == 2 && op->kind <= GK_NN_DEPTHWISE_CONV_2D)))
        abort();
  }
  for (size_t i = 0; i < m->n_tensors; i++) {
    const gk_nn_tensor *t = &m->tensors[i];
    if (t->name == NULL || t->rank < 0 || t->rank > GK_NN_MAX_RANK ||
        t->count > GK_NN_MAX_ELEMS)
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = (uint8_t *)malloc(size ? size : 1);
  if (copy == NULL) return 0;
  memcpy(copy, data, size);
  data = copy;
  gk_nn_model *m = NULL;
  gk_err err = {0};
  gk_status st = gk_nn_model_read(data, size, NULL, 0, &m, &err);
  if (st != GK_OK && (m != NULL || err.msg == NULL)) abort();
  if (st == GK_OK) {
    check(m);
    run(m);
    /* The first output by name: the same file with dead code dropped. */
    const char *keep[1] = {m->n_outputs > 0 ? m->tensors[m->outputs[0]].name : ""};
    char name[64];
    snprintf(name, sizeof name, "%s", keep[0]);
    keep[0] = name;
    gk_nn_model_free(m);
    m = NULL;
    if (gk_nn_model_read(data, size, keep, 1, &m, &err) == GK_OK) {
      check(m);
      if (m->n_outputs != 1) abort();
      run(m);
    }
  }
  gk_nn_model_free(m);
  free(copy);
  return 0;
}
