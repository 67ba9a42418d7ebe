/*
** cmd_video.c -- the pose on a video file.
**
**   gaitkeeper video [--out DIR] [--format openpose|mediapipe]
**                    [--model lite|full|heavy] [--threads N] [--smooth]
**                    [--smooth-region] [--no-refine] [--json] VIDEO
**
** Runs BlazePose on every frame (gk_pose_video) and writes the runner's
** keypoints for other tools: --format openpose (default) one BODY_25 JSON
** file per frame, VIDEO's name + _000000000000_keypoints.json, in image
** pixels; --format mediapipe one JSON file (VIDEO's name + .json), a list
** of frames of 33 landmarks {x, y, z, visibility} normalised to the image
** as MediaPipe writes them.  The keypoints written are those the gait
** analysis reads: the legs repaired (labels swapped back; a far leg lying
** on the near one left out: OpenPose's 0, 0, 0, or MediaPipe's landmark
** at the near leg's place with visibility 0); --no-leg-repair writes them
** as the model gave them.  Without --out only the summary is printed.
** --smooth writes the landmarks one-euro smoothed over time as MediaPipe's
** VIDEO mode does (the gait capture keeps the unsmoothed ones);
** --smooth-region builds each next region from smoothed auxiliary
** landmarks; --no-refine leaves out the heatmap refinement.
**
** `gaitkeeper gait VIDEO` (gk_gait_import reads the video) shows the same
** progress bar (on a terminal, gk_cli_video_progress) and summary line
** (gk_cli_video_summary).
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gaitkeeper/gait_import.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/pose.h"

int gk_cli_is_video_path(const char *path) {
  return gk_gait_is_video_name(path);
}

typedef struct progress {
  int tty;
  int drawn;
} progress;
_Static_assert(sizeof(progress) <= sizeof(gk_cli_progress),
               "gk_cli_progress holds a progress");

static int draw_progress(void *ctx, int64_t done, int64_t total) {
  progress *p = (progress *)ctx;
  if (!p->tty) return 0;
  char bar[41];
  int fill = total > 0 ? (int)(40 * (double)done / (double)total) : 0;
  if (fill > 40) fill = 40;
  for (int i = 0; i < 40; i++) bar[i] = i < fill ? '#' : '.';
  bar[40] = '\0';
  if (total > 0)
    fprintf(stderr, "\r[%s] %" PRId64 "/%" PRId64 " frames", bar, done, total);
  else
    fprintf(stderr, "\r%" PRId64 " frames", done);
  p->drawn = 1;
  return 0;
}

static void print_video_error(const char *verb, const char *file,
                              const gk_err *e) {
  fprintf(stderr, "gaitkeeper: %s: %s: %s", verb, file,
          e->msg ? e->msg : gk_strerror(e->code));
  if (e->offset) fprintf(stderr, " (byte %" PRIu64 ")", e->offset);
  fputc('\n', stderr);
}

/* The summary line: frames, speed, backend and SIMD, what was found. */
static void print_summary(FILE *out, const char *path,
                          const gk_pose_options *o,
                          const gk_pose_video_stats *s) {
  const gk_video_info *vi = &s->info;
  fprintf(out,
          "%s: %dx%d %s, %" PRId64 " frames in %.1f s (%.1f frames/s), %s, "
          "BlazePose %s; runner found in %" PRId64 " frames, detector ran "
          "%" PRId64 " times\n",
          path, vi->width, vi->height, vi->codec, s->frames, s->seconds, s->fps,
          s->describe, gk_pose_model_name(o->model), s->frames_found,
          s->detector_runs);
  if (vi->rotation_deg || vi->mirrored)
    fprintf(out, "  the picture is turned %d degrees%s for display\n",
            vi->rotation_deg, vi->mirrored ? " and mirrored" : "");
  if (s->resampled)
    fprintf(out, "  variable frame rate: landmarks resampled to a fixed "
                 "grid\n");
  if (s->near_side >= 0)
    fprintf(out, "  legs by the model's depth order: the %s side faces the "
                 "camera; %" PRId64 " frames with left and right swapped "
                 "back, %" PRId64 " frames with the far leg on the near one "
                 "left out (collapsed)\n",
            s->near_side == 0 ? "left" : "right", s->legs_repaired,
            s->legs_collapsed);
  else if (s->legs_collapsed)
    fprintf(out, "  legs: no side faces the camera throughout (no depth "
                 "repair); %" PRId64 " frames with both legs on one, the "
                 "less visible left out (collapsed)\n",
            s->legs_collapsed);
  if (s->switches_refused)
    fprintf(out, "  %" PRId64 " detections of someone else were not "
                 "followed\n", s->switches_refused);
  if (s->stopped_early)
    fprintf(out, "  the stream is damaged: analysed up to %.2f s, then "
                 "stopped (%s, byte %" PRIu64 ")\n",
            s->stopped_at_s, s->damage.msg ? s->damage.msg : "damaged",
            s->damage.offset);
}

int gk_cli_video_progress(void *ctx, int64_t done, int64_t total) {
  return draw_progress(ctx, done, total);
}

void gk_cli_video_progress_end(gk_cli_progress *p) {
  progress *pr = (progress *)p;
  if (pr->drawn) fputs("\r\033[K", stderr);
  pr->drawn = 0;
}

void gk_cli_video_progress_init(gk_cli_progress *p) {
  progress *pr = (progress *)p;
  pr->tty = isatty(2);
  pr->drawn = 0;
}

void gk_cli_video_summary(const char *path, const gk_pose_options *o,
                          const gk_pose_video_stats *s) {
  print_summary(stdout, path, o, s);
}

/* ---- writing keypoints ------------------------------------------------ */

/* BODY_25 from MediaPipe's 33: -1 = made from two points, -2 = none. */
static const int body25_from_mp[25] = {
    0,  -1, 12, 14, 16, 11, 13, 15, -1, 24, 26, 28, 23,
    25, 27, 5,  2,  8,  7,  31, -2, 29, 32, -2, 30};

typedef struct writer {
  progress pr;  /* first: the progress callback gets the same context */
  const char *dir, *stem;
  int mediapipe;
  int smooth;   /* write res->smoothed */
  int width, height;
  gk_buf json;  /* mediapipe: the whole list */
  int failed;
  int64_t frames;
} writer;

static void put_num(gk_buf *b, double v) {
  char t[32];
  snprintf(t, sizeof t, "%.3f", v);
  gk_buf_puts(b, t);
}

/* A fraction of the picture: 6 decimals (a 4K picture's 1/1000 is 3.8
   pixels, its 1/1000000 well under one). */
static void put_frac(gk_buf *b, double v) {
  char t[32];
  snprintf(t, sizeof t, "%.6f", v);
  gk_buf_puts(b, t);
}

static int write_frame(void *ctx, const gk_video_frame *f,
                       const gk_pose_result *r) {
  writer *w = (writer *)ctx;
  w->frames++;
  w->width = f->width;
  w->height = f->height;
  const double(*lm)[5] = w->smooth && r->have_smoothed
                             ? (const double(*)[5])r->smoothed
                             : (const double(*)[5])r->lm;
  if (w->mediapipe) {
    gk_buf *b = &w->json;
    gk_buf_puts(b, f->index ? ",\n[" : "[\n[");
    if (r->found)
      for (int i = 0; i < GK_POSE_LANDMARKS; i++) {
        /* a point the leg repair left out (the far leg lay on the near
           one): where the near leg's is, not visible */
        int o = isnan(lm[i][0]) ? i + (i % 2 ? 1 : -1) : i;
        int gone = o != i || isnan(lm[o][0]);
        gk_buf_puts(b, i ? ",{\"x\":" : "{\"x\":");
        put_frac(b, isnan(lm[o][0]) ? 0 : lm[o][0] / f->width);
        gk_buf_puts(b, ",\"y\":");
        put_frac(b, isnan(lm[o][1]) ? 0 : lm[o][1] / f->height);
        gk_buf_puts(b, ",\"z\":");
        put_frac(b, isnan(lm[o][2]) ? 0 : lm[o][2] / f->width);
        gk_buf_puts(b, ",\"visibility\":");
        put_num(b, gone ? 0 : lm[i][3]);
        gk_buf_puts(b, "}");
      }
    gk_buf_puts(b, "]");
    return b->oom;
  }
  gk_buf b;
  memset(&b, 0, sizeof b);
  gk_buf_puts(&b, "{\"version\":1.3,\"people\":[");
  if (r->found) {
    gk_buf_puts(&b, "{\"person_id\":[-1],\"pose_keypoints_2d\":[");
    for (int k = 0; k < 25; k++) {
      double x = 0, y = 0, c = 0;
      int m = body25_from_mp[k];
      if (m >= 0 && isnan(lm[m][0])) {
        /* left out by the leg repair: OpenPose's missing point */
      } else if (m >= 0) {
        x = lm[m][0], y = lm[m][1], c = lm[m][3];
      } else if (m == -1) { /* Neck: shoulders; MidHip: hips */
        int a = k == 1 ? 11 : 23, bb = k == 1 ? 12 : 24;
        x = (lm[a][0] + lm[bb][0]) / 2;
        y = (lm[a][1] + lm[bb][1]) / 2;
        c = fmin(lm[a][3], lm[bb][3]);
      }
      if (k) gk_buf_puts(&b, ",");
      put_num(&b, x);
      gk_buf_puts(&b, ",");
      put_num(&b, y);
      gk_buf_puts(&b, ",");
      put_num(&b, c);
    }
    gk_buf_puts(&b, "]}");
  }
  gk_buf_puts(&b, "]}\n");
  char path[4400];
  snprintf(path, sizeof path, "%s/%s_%012" PRId64 "_keypoints.json", w->dir,
           w->stem, f->index);
  int rc = b.oom ? 1 : gk_cli_write_file("video", path, b.data, b.len);
  gk_buf_free(&b);
  if (rc != 0) w->failed = 1;
  return rc != 0;
}

static void usage(void) {
  fprintf(stderr,
          "usage: gaitkeeper video [--out DIR] [--format openpose|mediapipe] "
          "[--model lite|full|heavy] [--threads N] [--no-leg-repair] "
          "[--smooth] [--smooth-region] [--no-refine] [--json] VIDEO\n");
}

int gk_cmd_video(int argc, char **argv) {
  const char *path = NULL, *out = NULL, *format = "openpose";
  int json = 0;
  gk_pose_options o;
  memset(&o, 0, sizeof o);
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--json") == 0) {
      json = 1;
    } else if (strcmp(a, "--no-leg-repair") == 0) {
      o.no_leg_repair = 1;
    } else if (strcmp(a, "--smooth") == 0) {
      o.smooth_landmarks = 1;
    } else if (strcmp(a, "--smooth-region") == 0) {
      o.smooth_region = 1;
    } else if (strcmp(a, "--no-refine") == 0) {
      o.no_refine = 1;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage();
      return 0;
    } else if (strcmp(a, "--out") == 0 || strcmp(a, "--format") == 0 ||
               strcmp(a, "--model") == 0 || strcmp(a, "--threads") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "gaitkeeper: video: %s needs a value\n", a);
        usage();
        return 2;
      }
      const char *v = argv[++i];
      if (strcmp(a, "--out") == 0) {
        out = v;
      } else if (strcmp(a, "--threads") == 0) {
        char *end = NULL;
        long t = strtol(v, &end, 10);
        if (end == v || *end != '\0' || t < 1 || t > 64) {
          fprintf(stderr,
                  "gaitkeeper: video: --threads takes 1 to 64 (got '%s')\n", v);
          return 2;
        }
        o.threads = (int)t;
      } else if (strcmp(a, "--format") == 0) {
        if (strcmp(v, "openpose") != 0 && strcmp(v, "mediapipe") != 0) {
          fprintf(stderr,
                  "gaitkeeper: video: --format is openpose or mediapipe "
                  "(got '%s')\n", v);
          return 2;
        }
        format = v;
      } else {
        int m = gk_pose_model_parse(v);
        if (m < 0) {
          fprintf(stderr,
                  "gaitkeeper: video: --model is lite, full or heavy (got "
                  "'%s')\n", v);
          return 2;
        }
        o.model = (gk_pose_model)m;
      }
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "gaitkeeper: video: unknown option '%s'\n", a);
      usage();
      return 2;
    } else if (path != NULL) {
      fprintf(stderr, "gaitkeeper: video: one video at a time\n");
      return 2;
    } else {
      path = a;
    }
  }
  if (path == NULL) {
    fprintf(stderr, "gaitkeeper: video: which video?\n");
    usage();
    return 2;
  }
  struct stat sb;
  if (out != NULL) {
    if (stat(out, &sb) != 0) {
      if (mkdir(out, 0700) != 0) {
        fprintf(stderr, "gaitkeeper: video: %s: cannot create: %s\n", out,
                strerror(errno));
        return 1;
      }
    } else if (!S_ISDIR(sb.st_mode)) {
      fprintf(stderr, "gaitkeeper: video: %s: not a folder\n", out);
      return 1;
    }
  }
  /* the stem: the video's file name without its extension */
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char stem[256];
  snprintf(stem, sizeof stem, "%s", base);
  char *dot = strrchr(stem, '.');
  if (dot && dot != stem) *dot = '\0';
  writer w;
  memset(&w, 0, sizeof w);
  w.dir = out;
  w.stem = stem;
  w.mediapipe = strcmp(format, "mediapipe") == 0;
  w.smooth = o.smooth_landmarks;
  w.pr.tty = isatty(2);
  gk_pose_video_stats stats;
  gk_err e;
  char file[4200];
  /* keypoints are written frame by frame; the capture is not needed */
  gk_status st = gk_pose_video(path, &o, draw_progress,
                               out ? write_frame : NULL, &w, NULL, &stats, &e,
                               file, sizeof file);
  if (w.pr.drawn) fputs("\r\033[K", stderr);
  if (st != GK_OK) {
    gk_buf_free(&w.json);
    if (!w.failed) print_video_error("video", file, &e);
    return 1;
  }
  if (out && w.mediapipe) {
    gk_buf_puts(&w.json, w.frames ? "\n]\n" : "[]\n");
    char p[4400];
    snprintf(p, sizeof p, "%s/%s.json", out, stem);
    int rc = w.json.oom ? 1 : gk_cli_write_file("video", p, w.json.data,
                                                w.json.len);
    gk_buf_free(&w.json);
    if (rc != 0) return 1;
  }
  if (json) {
    const gk_video_info *vi = &stats.info;
    printf("{\"video\":");
    gk_buf b;
    memset(&b, 0, sizeof b);
    gk_json_str(&b, path);
    fwrite(b.data, 1, b.len, stdout);
    gk_buf_free(&b);
    printf(",\"width\":%d,\"height\":%d,\"rotation_deg\":%d,\"mirrored\":%s,"
           "\"codec\":\"%s\",\"fps\":%.3f,\"variable_rate\":%s,"
           "\"frames\":%" PRId64 ",\"frames_found\":%" PRId64
           ",\"detector_runs\":%" PRId64 ",\"redetections\":%" PRId64
           ",\"switches_refused\":%" PRId64 ",\"near_side\":\"%s\","
           "\"legs_repaired\":%" PRId64 ",\"legs_collapsed\":%" PRId64
           ",\"seconds\":%.3f,\"first_pass_frames\":%" PRId64
           ",\"first_pass_seconds\":%.3f,\"first_pass_cpu_seconds\":%.3f,"
           "\"frames_per_s\":%.2f,\"backend\":\"%s\",\"model\":\"%s\","
           "\"stopped_early\":%s,\"stopped_at_s\":%.3f}\n",
           vi->width, vi->height, vi->rotation_deg,
           vi->mirrored ? "true" : "false", vi->codec,
           isfinite(vi->fps) ? vi->fps : 0.0,
           vi->variable_rate ? "true" : "false", stats.frames,
           stats.frames_found, stats.detector_runs, stats.redetections,
           stats.switches_refused,
           stats.near_side == 0 ? "left" : stats.near_side == 1 ? "right"
                                                                 : "unknown",
           stats.legs_repaired, stats.legs_collapsed, stats.seconds,
           stats.frames_first, stats.seconds_first, stats.cpu_seconds_first,
           stats.fps, stats.describe,
           gk_pose_model_name(o.model), stats.stopped_early ? "true" : "false",
           stats.stopped_at_s);
  } else {
    print_summary(stdout, path, &o, &stats);
    if (out)
      printf("  keypoints written to %s (%s)\n", out, format);
  }
  return 0;
}
