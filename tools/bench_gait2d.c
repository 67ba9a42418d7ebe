/*
** bench_gait2d.c -- the 2D gait analysis end to end: 10,000 frames of the
** synthetic runner (BODY_25, rear view, 30 fps, 2 px noise) written as an
** OpenPose folder (one JSON file per frame), then read and analysed
** (target < 1 s), and the analysis alone (target < 20 ms).  Prints the
** best of several runs.  Usage: bench_gait2d [frames] [folder]
*/
#define _DEFAULT_SOURCE 1 /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gaitkeeper/gait.h"
#include "gaitkeeper/keypoints.h"
#include "gaitkeeper/sim.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  long frames = argc > 1 ? strtol(argv[1], NULL, 10) : 10000;
  if (frames < 100 || frames > 1000000) frames = 10000;
  char tmpl[] = "/tmp/gk_bench_gait2d_XXXXXX";
  const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
  if (dir == NULL) {
    perror("bench_gait2d: mkdtemp");
    return 1;
  }
  gk_sim_runner2d_options o;
  gk_sim_runner2d_defaults(&o);
  o.fps = 30;
  o.duration_s = (double)frames / o.fps;
  o.camera_height_m = 0.1;
  o.noise_px = 2;
  gk_capture *sim = NULL;
  gk_err e = {0};
  if (gk_sim_runner2d(&o, &sim, NULL, &e) != GK_OK ||
      gk_sim_write_openpose_dir(sim, NULL, dir, &e) != GK_OK) {
    fprintf(stderr, "bench_gait2d: %s\n", e.msg);
    return 1;
  }
  gk_capture_free(sim);
  double best_all = 1e9, best_an = 1e9;
  size_t steps = 0;
  for (int rep = 0; rep < 3; rep++) {
    double t0 = now();
    gk_capture *c = NULL;
    if (gk_openpose_read_dir(dir, 30, NULL, &c, &e) != GK_OK) {
      fprintf(stderr, "bench_gait2d: read: %s\n", e.msg);
      return 1;
    }
    gk_gait2d_options go = {0};
    gk_gait *g = NULL;
    if (gk_gait2d_analyse(c, &go, &g, &e) != GK_OK) {
      fprintf(stderr, "bench_gait2d: analyse: %s\n", e.msg);
      return 1;
    }
    double t1 = now();
    if (t1 - t0 < best_all) best_all = t1 - t0;
    steps = g->n_steps;
    gk_gait_free(g);
    for (int k = 0; k < 5; k++) {
      double a = now();
      if (gk_gait2d_analyse(c, &go, &g, &e) != GK_OK) return 1;
      double b = now();
      if (b - a < best_an) best_an = b - a;
      gk_gait_free(g);
    }
    gk_capture_free(c);
  }
  printf("bench_gait2d: %ld frames (%zu steps): OpenPose folder read + "
         "analysis %.3f s (target < 1 s); analysis alone %.2f ms (target < "
         "20 ms)\n",
         frames, steps, best_all, best_an * 1000);
  if (argc <= 2) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_gait2d: cannot remove %s\n", dir);
  }
  return 0;
}
