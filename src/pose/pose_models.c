/*
** pose_models.c -- finding, checking and loading the BlazePose models:
** the files of npm @mediapipe/pose@0.5.1675469404 (Apache-2.0), whose
** SHA-256 sums are below and in models/SHA256SUMS (a test keeps the two
** alike).  The detector is the whole of pose_solution_packed_assets.data.
*/
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gaitkeeper/pose.h"
#include "pose/pose_internal.h"

#ifndef GK_MODELS_DIR
#define GK_MODELS_DIR "models/node_modules/@mediapipe/pose"
#endif

#define DETECTOR_FILE "pose_solution_packed_assets.data"

static const struct {
  const char *file, *sha256;
} sums[] = {
    {DETECTOR_FILE,
     "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85"},
    {"pose_landmark_lite.tflite",
     "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"},
    {"pose_landmark_full.tflite",
     "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"},
    {"pose_landmark_heavy.tflite",
     "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe"},
};

const char *gk__pose_model_sha256(const char *file_name) {
  for (size_t i = 0; i < sizeof sums / sizeof sums[0]; i++)
    if (strcmp(sums[i].file, file_name) == 0) return sums[i].sha256;
  return NULL;
}

const char *gk_pose_model_name(gk_pose_model m) {
  switch (m) {
    case GK_POSE_LITE: return "lite";
    case GK_POSE_HEAVY: return "heavy";
    case GK_POSE_FULL: break;
  }
  return "full";
}

int gk_pose_model_parse(const char *s) {
  if (s == NULL) return -1;
  if (strcmp(s, "lite") == 0) return GK_POSE_LITE;
  if (strcmp(s, "full") == 0) return GK_POSE_FULL;
  if (strcmp(s, "heavy") == 0) return GK_POSE_HEAVY;
  return -1;
}

const char *gk_pose_models_dir(const gk_pose_options *o) {
  if (o != NULL && o->models_dir != NULL && o->models_dir[0] != '\0')
    return o->models_dir;
  const char *env = getenv("GAITKEEPER_MODELS");
  if (env != NULL && env[0] != '\0') return env;
  return GK_MODELS_DIR;
}

/* Read a whole model file (at most GK_NN_MAX_INPUT bytes) and check its
   hash.  On failure err->msg says what, with the path in file. */
static gk_status read_model(const char *dir, const char *name, void **buf,
                            size_t *len, gk_err *err, char *file,
                            size_t file_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (file != NULL && file_size) snprintf(file, file_size, "%s", path);
  *buf = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    err->code = errno == ENOENT ? GK_E_NOT_FOUND : GK_E_IO;
    err->msg = errno == ENOENT
                   ? "model file not found (install the models with "
                     "scripts/setup-models.sh, or set GAITKEEPER_MODELS)"
                   : "model file cannot be opened";
    return err->code;
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    close(fd);
    err->code = GK_E_IO;
    err->msg = "model file is not a regular file";
    return err->code;
  }
  if (sb.st_size <= 0 || (uint64_t)sb.st_size > GK_NN_MAX_INPUT) {
    close(fd);
    err->code = GK_E_CORRUPT;
    err->msg = "model file has the wrong size (it is not the model "
               "gaitkeeper was built for)";
    return err->code;
  }
  size_t n = (size_t)sb.st_size, got = 0;
  unsigned char *b = (unsigned char *)malloc(n);
  if (b == NULL) {
    close(fd);
    err->code = GK_E_NOMEM;
    err->msg = "out of memory reading a model";
    return err->code;
  }
  while (got < n) {
    ssize_t r = read(fd, b + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  if (got != n) {
    free(b);
    err->code = GK_E_IO;
    err->msg = "model file could not be read whole";
    return err->code;
  }
  const char *want = gk__pose_model_sha256(name);
  uint8_t h[32];
  char hex[65];
  gk_sha256(b, n, h);
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", h[i]);
  if (want == NULL || strcmp(hex, want) != 0) {
    free(b);
    err->code = GK_E_CORRUPT;
    err->msg = "model file's SHA-256 differs from the one gaitkeeper was "
               "built for (damaged or replaced; run scripts/setup-models.sh)";
    return err->code;
  }
  *buf = b;
  *len = n;
  return GK_OK;
}

static gk_status load(const char *dir, const char *name,
                      const char *const *keep, int n_keep,
                      const gk_pose_options *o, gk_nn_model **model,
                      gk_nn_runner **runner, gk_err *err, char *file,
                      size_t file_size) {
  void *buf = NULL;
  size_t len = 0;
  gk_status st = read_model(dir, name, &buf, &len, err, file, file_size);
  if (st != GK_OK) return st;
  st = gk_nn_model_read(buf, len, keep, n_keep, model, err);
  free(buf);
  if (st != GK_OK) return st;
  /* One inference thread unless asked: the decoder runs its own threads
     beside it, and XNNPACK's pool workers spin while they wait, which on a
     machine with few cores takes the decoder's (and the other model's)
     time: measured on 2 cores, 12.6 frames/s with 1 thread against 1.8
     with 2 while other work ran (docs/FORMATS.md, "Pose from video"). */
  int threads = o->threads > 0 ? o->threads : 1;
  return gk_nn_runner_new(*model, o->backend, threads, runner, err);
}

gk_status gk_pose_new(const gk_pose_options *o, gk_pose **out, gk_err *err,
                      char *file, size_t file_size) {
  static const gk_pose_options defaults;
  gk_err dummy;
  if (err == NULL) err = &dummy;
  memset(err, 0, sizeof *err);
  if (o == NULL) o = &defaults;
  *out = NULL;
  gk_pose *p = (gk_pose *)calloc(1, sizeof *p);
  if (p == NULL) return err->code = GK_E_NOMEM;
  p->min_detection = o->min_detection > 0 ? o->min_detection : 0.5;
  p->min_presence = o->min_presence > 0 ? o->min_presence : 0.5;
  p->refine = !o->no_refine;
  p->smooth_region = o->smooth_region != 0;
  p->smooth_landmarks = o->smooth_landmarks != 0;
  gk__pose_filters_reset(p);
  const char *dir = gk_pose_models_dir(o);
  static const char *const det_keep[] = {"Identity", "Identity_1"};
  /* landmarks (39 x 5), pose presence, heatmap (64 x 64 x 39 logits) */
  static const char *const lm_keep[] = {"Identity", "Identity_1",
                                        "Identity_3"};
  char lm_name[64];
  snprintf(lm_name, sizeof lm_name, "pose_landmark_%s.tflite",
           gk_pose_model_name(o->model));
  gk_status st = load(dir, DETECTOR_FILE, det_keep, 2, o, &p->det_model,
                      &p->det, err, file, file_size);
  if (st == GK_OK)
    st = load(dir, lm_name, lm_keep, p->refine ? 3 : 2, o, &p->lm_model,
              &p->lm, err, file, file_size);
  if (st != GK_OK) {
    if (err->code == GK_OK) err->code = st;
    gk_pose_free(p);
    return st;
  }
  snprintf(p->describe, sizeof p->describe, "%s",
           gk_nn_runner_describe(p->lm));
  *out = p;
  return GK_OK;
}

void gk_pose_free(gk_pose *p) {
  if (p == NULL) return;
  gk_nn_runner_free(p->det);
  gk_nn_runner_free(p->lm);
  gk_nn_model_free(p->det_model);
  gk_nn_model_free(p->lm_model);
  free(p);
}

const char *gk_pose_describe(const gk_pose *p) { return p->describe; }

void gk_pose_reset(gk_pose *p) {
  p->tracking = 0;
  gk__pose_filters_reset(p);
  p->have_last = 0;
  p->have_guide = 0;
  p->redetections = p->switches_refused = 0;
}
