/*
** test_trc2d.c -- 2D pose keypoints from a TRC file (Sports2D, Pose2Sim):
** the simulated runner written as Sports2D writes its pixel TRC (y down,
** "m" in the header whatever the units) and its metre TRC (y up), read
** back, made 2D and analysed: the same numbers as the runner analysed
** directly.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/sim.h"
#include "test.h"

/* The capture as TRC text; y_sign -1 turns y up, scale multiplies. */
static void write_trc(const gk_capture *c, double y_sign, double scale,
                      gk_buf *b) {
  char line[256];
  gk_buf_puts(b, "PathFileType\t4\t(X/Y/Z)\trunner.trc\n"
                 "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\t"
                 "OrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n");
  snprintf(line, sizeof line, "%g\t%g\t%zu\t%zu\tm\t%g\t1\t%zu\n",
           c->frame_rate_hz, c->frame_rate_hz, c->n_frames, c->n_points,
           c->frame_rate_hz, c->n_frames);
  gk_buf_puts(b, line);
  gk_buf_puts(b, "Frame#\tTime");
  for (size_t p = 0; p < c->n_points; p++) {
    gk_buf_putc(b, '\t');
    gk_buf_puts(b, c->point_labels[p]);
    gk_buf_puts(b, "\t\t");
  }
  gk_buf_puts(b, "\n\t");
  for (size_t p = 0; p < c->n_points; p++) {
    snprintf(line, sizeof line, "\tX%zu\tY%zu\tZ%zu", p + 1, p + 1, p + 1);
    gk_buf_puts(b, line);
  }
  gk_buf_puts(b, "\n\n");
  for (size_t f = 0; f < c->n_frames; f++) {
    snprintf(line, sizeof line, "%zu\t%.6f", f + 1, f / c->frame_rate_hz);
    gk_buf_puts(b, line);
    for (size_t p = 0; p < c->n_points; p++) {
      const double *q = gk_capture_point(c, f, p);
      if (isfinite(q[0]) && isfinite(q[1]))
        snprintf(line, sizeof line, "\t%.6f\t%.6f\t0", q[0] * scale,
                 y_sign * q[1] * scale);
      else
        snprintf(line, sizeof line, "\t\t\t");
      gk_buf_puts(b, line);
    }
    gk_buf_putc(b, '\n');
  }
}

static gk_gait *analyse(gk_capture *c, double fps) {
  gk_gait2d_options o = {fps, GK_VIEW_UNKNOWN, NAN, NAN};
  gk_gait *g = NULL;
  gk_err e;
  gk_status st = gk_gait2d_analyse(c, &o, &g, &e);
  if (st != GK_OK) fprintf(stderr, "analyse: %s\n", e.msg ? e.msg : "?");
  return st == GK_OK ? g : NULL;
}

static void check_same(const gk_gait *a, const gk_gait *b) {
  CHECK_EQ_INT(a->view, b->view);
  CHECK_EQ_INT(a->n_steps, b->n_steps);
  const int ms[] = {GK_GM_CADENCE, GK_GM_KNEE_FLEX_PEAK, GK_GM_TRUNK_LEAN,
                    GK_GM_OVERSTRIDE_LL};
  for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
    const gk_gait_stat *x = &a->stat[ms[k]], *y = &b->stat[ms[k]];
    if (!CHECK_TRUE(isfinite(x->mean) && isfinite(y->mean)))
      fprintf(stderr, "  %s missing\n", gk_gait_metric_name(ms[k]));
    else CHECK_NEAR(x->mean, y->mean, 0.05 * (fabs(x->mean) + 1));
  }
}

static void test_sports2d_trc(void) {
  gk_sim_runner2d_options o;
  gk_sim_runner2d_defaults(&o);
  o.view = GK_VIEW_LEFT;
  o.fps = 60;
  o.duration_s = 8;
  gk_capture *sim = NULL;
  gk_err e;
  ASSERT_EQ_INT(gk_sim_runner2d(&o, &sim, NULL, &e), GK_OK);
  gk_gait *direct = analyse(sim, 60);
  ASSERT_TRUE(direct != NULL);
  CHECK_NEAR(direct->stat[GK_GM_CADENCE].mean, o.cadence_spm, 1.5);

  const double signs[2] = {1, -1}, scales[2] = {1, 0.001};
  for (int k = 0; k < 2; k++) {
    gk_buf b = {0};
    write_trc(sim, signs[k], scales[k], &b);
    gk_capture *trc = NULL;
    ASSERT_EQ_INT(gk_trc_read(b.data, b.len, 0, &trc, &e), GK_OK);
    int flipped = -1;
    ASSERT_EQ_INT(gk_capture_to_2d(trc, GK_VIEW_UNKNOWN, 60, &flipped, &e),
                  GK_OK);
    CHECK_EQ_INT(flipped, k == 1); /* the metre file has y up */
    CHECK_EQ_INT(trc->kind, GK_CAPTURE_2D);
    CHECK_TRUE(isnan(gk_capture_point(trc, 0, 0)[2]));
    gk_gait *g = analyse(trc, 0); /* the frame rate from the file */
    ASSERT_TRUE(g != NULL);
    check_same(direct, g);
    gk_gait_free(g);
    gk_capture_free(trc);
    gk_buf_free(&b);
  }

  /* no hips or ankles: refused, saying what is needed */
  gk_buf b = {0};
  gk_buf_puts(&b, "PathFileType\t4\t(X/Y/Z)\tx.trc\nDataRate\tCameraRate\t"
                  "NumFrames\tNumMarkers\tUnits\tOrigDataRate\n30\t30\t1\t1\t"
                  "m\t30\nFrame#\tTime\tNose\t\t\n\t\tX1\tY1\tZ1\n\n1\t0\t1\t"
                  "2\t0\n");
  gk_capture *t = NULL;
  ASSERT_EQ_INT(gk_trc_read(b.data, b.len, 0, &t, &e), GK_OK);
  CHECK_EQ_INT(gk_capture_to_2d(t, GK_VIEW_UNKNOWN, 30, NULL, &e),
               GK_E_NOT_FOUND);
  CHECK_TRUE(e.msg != NULL && strstr(e.msg, "LHip") != NULL);
  gk_capture_free(t);
  gk_buf_free(&b);
  gk_gait_free(direct);
  gk_capture_free(sim);
}

int main(void) {
  RUN(test_sports2d_trc);
  return TEST_SUMMARY();
}
