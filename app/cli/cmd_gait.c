/*
** cmd_gait.c -- gait analysis of one capture.
**
**   gaitkeeper gait [--static FILE] [--marker-set NAME]
**                   [--hip-centre bell|harrington] [--height-cm H] [--mass-kg M]
**                   [--speed MPS] [--fps N] [--view rear|front|left|right]
**                   [--surface treadmill|overground]
**                   [--date YYYY-MM-DD] [--model lite|full|heavy] [--no-leg-repair] [--json]
**                   [--no-store] PATH
**
** PATH is a lab capture (.c3d, or .trc from OpenSim: 3D markers), pose
** keypoints (a folder of OpenPose JSON, a MediaPipe or COCO-17 .csv/.json,
** or a Sports2D .trc given with --fps or --view: 2D), or a video (.mp4,
** .mov, .mkv, .webm, ...: BlazePose finds the keypoints, cmd_video.c).  Prints the per-side
** summary and the findings (or, with --json, gk_gait_write_json's object)
** and stores the analysis unless --no-store.  Exit status: 0 done, 1 a
** problem with the input or the store, 2 a usage error.
*/
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/keypoints.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/pose.h"
#include "gaitkeeper/stick_figure.h"
#include "gaitkeeper/store.h"

static void usage(void) {
  fprintf(
      stderr,
      "usage: gaitkeeper [--db PATH] gait [--static FILE] [--marker-set "
      "rbds|plugin_gait|cluster4]\n"
      "           [--hip-centre bell|harrington] [--height-cm H] "
      "[--mass-kg M]\n"
      "           [--speed MPS] [--fps N] [--view rear|front|left|right]\n"
      "           [--surface treadmill|overground] [--date YYYY-MM-DD] "
      "[--json] [--no-store] PATH\n"
      "  PATH: .c3d or .trc (3D markers; --static: the standing trial), or\n"
      "        pose keypoints: an OpenPose JSON folder, a MediaPipe or "
      "COCO-17\n"
      "        .csv/.json file, a Sports2D .trc with --fps (2D)\n");
}

static int parse_pos(const char *opt, const char *v, double lo, double hi,
                     double *out) {
  char *end;
  errno = 0;
  double x = strtod(v, &end);
  if (v[0] == '\0' || *end != '\0' || errno || !isfinite(x) || x < lo ||
      x > hi) {
    fprintf(stderr,
            "gaitkeeper: gait: %s takes a number from %g to %g "
            "(got '%s')\n",
            opt, lo, hi, v);
    return 2;
  }
  *out = x;
  return 0;
}

static const char *ext_of(const char *path) {
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  if (dot == NULL || (slash && dot < slash)) return "";
  return dot + 1;
}

static int ext_is(const char *path, const char *ext) {
  const char *e = ext_of(path);
  size_t n = strlen(ext);
  if (strlen(e) != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = e[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != ext[i]) return 0;
  }
  return 1;
}

static void print_err(const char *path, gk_status st, const gk_err *e) {
  if (e->line > 0 && e->col > 0)
    fprintf(stderr, "gaitkeeper: gait: %s: line %u, column %u: %s\n", path,
            e->line, e->col, e->msg ? e->msg : gk_strerror(st));
  else if (e->line > 0)
    fprintf(stderr, "gaitkeeper: gait: %s: line %u: %s\n", path, e->line,
            e->msg ? e->msg : gk_strerror(st));
  else if (e->offset > 0)
    fprintf(stderr, "gaitkeeper: gait: %s: byte %llu: %s\n", path,
            (unsigned long long)e->offset, e->msg ? e->msg : gk_strerror(st));
  else
    fprintf(stderr, "gaitkeeper: gait: %s: %s\n", path,
            e->msg ? e->msg : gk_strerror(st));
}

/* Read a 3D file (C3D or TRC) into *out; prints errors. */
static int read_3d(const char *path, gk_capture **out) {
  size_t len = 0;
  unsigned char *buf = gk_cli_read_file(path, GK_CLI_MAX_INPUT_BYTES, &len);
  if (buf == NULL) return 1;
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = ext_is(path, "trc") ? gk_trc_read(buf, len, 0, out, &e)
                                     : gk_c3d_read(buf, len, 0, out, &e);
  free(buf);
  if (st != GK_OK) {
    print_err(path, st, &e);
    return 1;
  }
  gk_capture_set_path(*out, path);
  return 0;
}

/* Read pose keypoints (folder, CSV, JSON) into *out; prints errors. */
static int read_2d(const char *path, const gk_kp_options *ko, double fps,
                   gk_capture **out) {
  struct stat sb;
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st;
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    char bad[256];
    st = gk_openpose_read_dir_named(path, fps, ko, out, &e, bad, sizeof bad);
    if (st != GK_OK && bad[0] != '\0') {
      /* name the file in the folder, and the place inside it */
      char where[4400];
      size_t pl = strlen(path);
      snprintf(where, sizeof where, "%s%s%s", path,
               pl && path[pl - 1] == '/' ? "" : "/", bad);
      print_err(where, st, &e);
      return 1;
    }
  } else {
    size_t len = 0;
    unsigned char *buf = gk_cli_read_file(path, GK_MAX_KP_INPUT, &len);
    if (buf == NULL) return 1;
    if (ext_is(path, "csv")) {
      st = gk_mediapipe_read_csv(buf, len, ko, out, &e);
      if (st != GK_OK) {
        gk_err e2;
        memset(&e2, 0, sizeof e2);
        if (gk_coco_read_csv(buf, len, ko, out, &e2) == GK_OK) st = GK_OK;
      }
    } else if (ext_is(path, "json")) {
      st = gk_mediapipe_read_json(buf, len, ko, out, &e);
      if (st != GK_OK) {
        gk_err e2;
        memset(&e2, 0, sizeof e2);
        if (gk_coco_read_json(buf, len, ko, out, &e2) == GK_OK ||
            gk_openpose_read(buf, len, ko, out, &e2) == GK_OK)
          st = GK_OK;
      }
    } else {
      fprintf(stderr,
              "gaitkeeper: gait: %s: not a capture gaitkeeper reads (.c3d, "
              ".trc, .csv, .json or a folder of OpenPose JSON)\n",
              path);
      free(buf);
      return 1;
    }
    free(buf);
  }
  if (st != GK_OK) {
    print_err(path, st, &e);
    return 1;
  }
  gk_capture_set_path(*out, path);
  return 0;
}

/* ---- text output ----------------------------------------------------------
 */

static void cell(char *out, size_t size, double v) {
  if (isnan(v))
    snprintf(out, size, "-");
  else if (fabs(v) >= 100)
    snprintf(out, size, "%.0f", v);
  else if (fabs(v) >= 10)
    snprintf(out, size, "%.1f", v);
  else
    snprintf(out, size, "%.2f", v);
}

static void print_text(const char *path, const gk_gait *g) {
  size_t nl = 0, nr = 0;
  for (size_t i = 0; i < g->n_steps; i++) {
    if (g->steps[i].side == GK_LEFT)
      nl++;
    else
      nr++;
  }
  static const char *const ev[] = {"none", "vertical force", "foot markers"};
  printf(
      "%s: %s capture, %s, %.0f frames/s, %zu frames (%.1f s); events "
      "from %s\n",
      path, g->kind == GK_CAPTURE_2D ? "2D" : "3D", gk_view_name(g->view),
      g->fps, g->n_frames, g->duration_s,
      ev[(unsigned)g->events < 3 ? g->events : 0]);
  if (g->kind == GK_CAPTURE_3D && g->marker_set[0])
    printf("marker set: %s (%s), %s; hip centres %s, knee and ankle "
           "centres %s\n",
           g->marker_set, g->marker_set_how,
           g->static_trial ? "calibrated on the static trial"
                           : "no static trial",
           g->hip_centre, g->knee_ankle_centres);
  printf("steps: %zu left, %zu right", nl, nr);
  if (!isnan(g->speed_mps)) printf("; speed %.2f m/s", g->speed_mps);
  if (!isnan(g->mass_kg)) printf("; mass %.1f kg", g->mass_kg);
  if (!isnan(g->leg_length_mm))
    printf("; leg length %.0f mm", g->leg_length_mm);
  printf("\n\n%-38s %8s %8s %8s %7s %8s  %-11s %s\n", "metric", "left", "right",
         "mean", "sd", "L-R", "unit", "quality");
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const gk_gait_stat *s = &g->stat[m];
    if (s->refused) continue;
    char l[24], r[24], mn[24], sd[24], as[24];
    if (s->per_side) {
      if (s->n_left + s->n_right == 0) continue;
      cell(l, sizeof l, s->left);
      cell(r, sizeof r, s->right);
      cell(mn, sizeof mn, s->mean);
      cell(sd, sizeof sd, s->sd);
      cell(as, sizeof as, s->asymmetry);
    } else {
      if (isnan(s->value)) continue;
      snprintf(l, sizeof l, "-");
      snprintf(r, sizeof r, "-");
      cell(mn, sizeof mn, s->value);
      snprintf(sd, sizeof sd, "-");
      snprintf(as, sizeof as, "-");
    }
    printf("%-38s %8s %8s %8s %7s %8s  %-11s %s\n",
           gk_gait_metric_name((gk_gait_metric)m), l, r, mn, sd, as,
           s->unit ? s->unit : "", gk_quality_name(s->quality));
  }
  int any = 0;
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const gk_gait_stat *s = &g->stat[m];
    if (!s->refused) continue;
    if (!any) printf("\nnot measured:\n");
    any = 1;
    printf("  %s: %s\n", gk_gait_metric_name((gk_gait_metric)m), s->note);
  }
  any = 0;
  for (int m = 0; m < GK_GM_COUNT; m++) {
    const gk_gait_stat *s = &g->stat[m];
    if (s->refused || s->note[0] == '\0') continue;
    if (!any) printf("\nreliability:\n");
    any = 1;
    printf("  %s: %s\n", gk_gait_metric_name((gk_gait_metric)m), s->note);
  }
  if (g->n_notes) printf("\nnotes:\n");
  for (size_t i = 0; i < g->n_notes; i++) printf("  - %s\n", g->notes[i]);
  printf("\nfindings:%s\n", g->n_findings ? "" : " none");
  for (size_t i = 0; i < g->n_findings; i++) {
    const gk_finding *f = &g->findings[i];
    printf("  [%s] %s: %s\n", gk_severity_name(f->severity), f->code, f->text);
    printf("      evidence: %s%s%s%s\n", f->source ? f->source : "",
           f->evidence_note ? " (" : "",
           f->evidence_note ? f->evidence_note : "",
           f->evidence_note ? ")" : "");
  }
}

/* ---- the verb -------------------------------------------------------------
 */

/* Stills from the video at the analysis' figures (initial contact, peak
   knee flexion or pelvic drop), square crops around the runner, 320 px;
   a failure only costs the pictures (said on stderr). */
#define PICTURE_PX 320
static void add_pictures(const char *path, gk_gait *g) {
  int64_t frames[4];
  double crops[4][4];
  size_t which[4], n = 0;
  for (size_t i = 0; i < g->n_figures && i < 4; i++) {
    if (gk_stick_figure_crop(&g->figures[i], crops[n]) != GK_OK) continue;
    frames[n] = (int64_t)g->figures[i].frame;
    which[n++] = i;
  }
  gk_buf jpegs[4];
  memset(jpegs, 0, sizeof jpegs);
  gk_err e;
  gk_status st = gk_pose_pictures_jpeg(path, n, frames,
                                       (const double(*)[4])crops, PICTURE_PX,
                                       PICTURE_PX, jpegs, &e);
  if (st != GK_OK)
    fprintf(stderr, "gaitkeeper: gait: %s: no pictures for the report: %s\n",
            path, e.msg ? e.msg : gk_strerror(st));
  for (size_t k = 0; k < n; k++) {
    if (st == GK_OK && !jpegs[k].oom && jpegs[k].len > 0) {
      gk_buf b64;
      memset(&b64, 0, sizeof b64);
      gk_buf_put_base64(&b64, jpegs[k].data, jpegs[k].len);
      struct gk_gait_figure *f = &g->figures[which[k]];
      if (!b64.oom && b64.data != NULL) {
        f->photo_b64 = b64.data; /* owned by g now */
        memcpy(f->photo_crop, crops[k], sizeof f->photo_crop);
      } else {
        gk_buf_free(&b64);
      }
    }
    gk_buf_free(&jpegs[k]);
  }
}

int gk_cmd_gait(int argc, char **argv) {
  const char *path = NULL, *static_path = NULL, *marker_set = NULL;
  gk_hip_centre hip_centre = GK_HIP_SET;
  double height_cm = NAN, mass_kg = NAN, speed = NAN, fps = NAN;
  gk_capture_view view = GK_VIEW_UNKNOWN;
  gk_surface surface = GK_SURFACE_UNKNOWN;
  int json = 0, store = 1, have_date = 0;
  int64_t day = INT64_MIN;
  gk_pose_options po;
  memset(&po, 0, sizeof po);
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--json") == 0) {
      json = 1;
      continue;
    }
    if (strcmp(a, "--no-store") == 0) {
      store = 0;
      continue;
    }
    if (strcmp(a, "--no-leg-repair") == 0) {
      po.no_leg_repair = 1;
      continue;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage();
      return 0;
    }
    if (a[0] == '-' && a[1] == '-') {
      static const char *const with_value[] = {
          "--static", "--height-cm", "--mass-kg", "--speed", "--marker-set",
          "--hip-centre",
          "--fps",    "--view",      "--date",    "--model", "--surface"};
      int known = 0;
      for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
        if (strcmp(a, with_value[k]) == 0) known = 1;
      if (!known) {
        fprintf(stderr, "gaitkeeper: gait: unknown option '%s'\n", a);
        usage();
        return 2;
      }
      if (i + 1 >= argc) {
        fprintf(stderr, "gaitkeeper: gait: %s needs a value\n", a);
        usage();
        return 2;
      }
      const char *v = argv[++i];
      int rc = 0;
      if (strcmp(a, "--static") == 0) {
        static_path = v;
      } else if (strcmp(a, "--marker-set") == 0) {
        marker_set = v;
      } else if (strcmp(a, "--hip-centre") == 0) {
        if (strcmp(v, "bell") == 0) {
          hip_centre = GK_HIP_BELL;
        } else if (strcmp(v, "harrington") == 0) {
          hip_centre = GK_HIP_HARRINGTON;
        } else {
          fprintf(stderr,
                  "gaitkeeper: gait: --hip-centre is bell or harrington (got "
                  "\"%s\")\n",
                  v);
          return 2;
        }
      } else if (strcmp(a, "--height-cm") == 0) {
        rc = parse_pos(a, v, 50, 250, &height_cm);
      } else if (strcmp(a, "--mass-kg") == 0) {
        rc = parse_pos(a, v, 20, 300, &mass_kg);
      } else if (strcmp(a, "--speed") == 0) {
        rc = parse_pos(a, v, 0.5, 12, &speed);
      } else if (strcmp(a, "--fps") == 0) {
        rc = parse_pos(a, v, 1, 10000, &fps);
      } else if (strcmp(a, "--surface") == 0) {
        if (strcmp(v, "treadmill") == 0) {
          surface = GK_SURFACE_TREADMILL;
        } else if (strcmp(v, "overground") == 0) {
          surface = GK_SURFACE_OVERGROUND;
        } else {
          fprintf(stderr,
                  "gaitkeeper: gait: --surface takes treadmill or overground "
                  "(got '%s')\n",
                  v);
          return 2;
        }
      } else if (strcmp(a, "--model") == 0) {
        int m = gk_pose_model_parse(v);
        if (m < 0) {
          fprintf(stderr,
                  "gaitkeeper: gait: --model is lite, full or heavy (got "
                  "'%s')\n",
                  v);
          return 2;
        }
        po.model = (gk_pose_model)m;
      } else if (strcmp(a, "--date") == 0) {
        if (gk_day_parse(v, &day) != GK_OK) {
          fprintf(stderr,
                  "gaitkeeper: gait: --date takes a date YYYY-MM-DD "
                  "(got '%s')\n",
                  v);
          return 2;
        }
        have_date = 1;
      } else { /* --view */
        if (strcmp(v, "rear") == 0)
          view = GK_VIEW_REAR;
        else if (strcmp(v, "front") == 0)
          view = GK_VIEW_FRONT;
        else if (strcmp(v, "left") == 0)
          view = GK_VIEW_LEFT;
        else if (strcmp(v, "right") == 0)
          view = GK_VIEW_RIGHT;
        else {
          fprintf(stderr,
                  "gaitkeeper: gait: --view takes rear, front, left "
                  "or right (got '%s')\n",
                  v);
          return 2;
        }
      }
      if (rc) return rc;
      continue;
    }
    if (path != NULL) {
      fprintf(stderr,
              "gaitkeeper: gait: one capture at a time (got '%s' "
              "and '%s')\n",
              path, a);
      usage();
      return 2;
    }
    path = a;
  }
  if (path == NULL) {
    fprintf(stderr,
            "gaitkeeper: gait: which capture? (a .c3d, .trc, .csv, "
            ".json file or an OpenPose folder)\n");
    usage();
    return 2;
  }
  (void)have_date;

  struct stat sb;
  if (stat(path, &sb) != 0) {
    fprintf(stderr, "gaitkeeper: gait: %s: cannot open: %s\n", path,
            strerror(errno));
    return 1;
  }
  if (static_path && stat(static_path, &sb) != 0) {
    fprintf(stderr, "gaitkeeper: gait: %s: cannot open: %s\n", static_path,
            strerror(errno));
    return 1;
  }
  stat(path, &sb);
  int is_dir = S_ISDIR(sb.st_mode);
  int three_d =
      !is_dir && (ext_is(path, "c3d") || (ext_is(path, "trc") && isnan(fps) &&
                                          view == GK_VIEW_UNKNOWN));
  gk_capture *cap = NULL, *stc = NULL;
  gk_gait *g = NULL;
  int is_video = 0, video_resampled = 0;
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st;
  int rc = 1;
  if (three_d) {
    if (read_3d(path, &cap) != 0) goto out;
    if (static_path && read_3d(static_path, &stc) != 0) goto out;
    gk_gait3d_options o = {isnan(height_cm) ? NAN : height_cm * 10, mass_kg,
                           speed, marker_set, hip_centre};
    st = gk_gait3d_analyse(cap, stc, &o, &g, &e);
    if (st != GK_OK) {
      print_err(path, st, &e);
      goto out;
    }
  } else {
    if (static_path) {
      fprintf(stderr,
              "gaitkeeper: gait: --static is for 3D lab captures "
              "(.c3d, .trc)\n");
      rc = 2;
      goto out;
    }
    if (!is_dir && gk_cli_is_video_path(path)) {
      gk_pose_video_stats vs;
      if (gk_cli_video_capture("gait", path, &po, json, &cap, &vs) != 0)
        goto out;
      is_video = 1;
      video_resampled = vs.resampled;
      /* --fps: the rate the clip was filmed at (a slow-motion clip plays
         slower than it was filmed) */
      if (!isnan(fps)) cap->frame_rate_hz = fps;
      cap->view = view;
    } else if (ext_is(path, "trc")) { /* Sports2D / Pose2Sim keypoints */
      if (read_3d(path, &cap) != 0) goto out;
      st = gk_capture_to_2d(cap, view, isnan(fps) ? 0 : fps, NULL, &e);
      if (st != GK_OK) {
        print_err(path, st, &e);
        goto out;
      }
    } else {
      gk_kp_options ko;
      memset(&ko, 0, sizeof ko);
      ko.fps = isnan(fps) ? 0 : fps;
      ko.view = view;
      if (read_2d(path, &ko, isnan(fps) ? 0 : fps, &cap) != 0) goto out;
    }
    gk_gait2d_options o2 = {isnan(fps) ? 0 : fps, view,
                            isnan(height_cm) ? NAN : height_cm * 10, speed,
                            surface};
    st = gk_gait2d_analyse(cap, &o2, &g, &e);
    if (st != GK_OK) { /* the analysis' offset is a frame, not a byte */
      if (e.offset > 0)
        fprintf(stderr, "gaitkeeper: gait: %s: from frame %llu: %s\n", path,
                (unsigned long long)e.offset,
                e.msg ? e.msg : gk_strerror(st));
      else
        fprintf(stderr, "gaitkeeper: gait: %s: %s\n", path,
                e.msg ? e.msg : gk_strerror(st));
      goto out;
    }
  }
  if (is_video && !video_resampled) add_pictures(path, g);
  if (!(g->speed_mps > 0) && speed > 0) g->speed_mps = speed;
  st = gk_gait_findings(g, &e);
  if (st != GK_OK) {
    print_err(path, st, &e);
    goto out;
  }
  gk_buf b;
  memset(&b, 0, sizeof b);
  gk_gait_write_json(g, 0, &b);
  if (b.oom) {
    fprintf(stderr, "gaitkeeper: gait: %s: out of memory\n", path);
    gk_buf_free(&b);
    goto out;
  }
  if (store) {
    gk_store *s = NULL;
    if (gk_cli_open_store("gait", 0, &s) != GK_OK) {
      gk_buf_free(&b);
      goto out;
    }
    int64_t id = 0;
    char kind[3] = {g->kind == GK_CAPTURE_2D ? '2' : '3', 'd', '\0'};
    st = gk_store_add_capture(s, kind, gk_view_name(g->view), path, day, b.data,
                              &id);
    if (st != GK_OK) {
      fprintf(stderr, "gaitkeeper: gait: %s: %s\n", gk_store_path(s),
              gk_store_errmsg(s));
      gk_store_close(s);
      gk_buf_free(&b);
      goto out;
    }
    gk_store_close(s);
    if (!json) printf("stored as capture %" PRId64 "\n", id);
  }
  if (json) {
    fwrite(b.data, 1, b.len, stdout);
    putchar('\n');
  } else {
    print_text(path, g);
  }
  gk_buf_free(&b);
  rc = 0;
out:
  gk_gait_free(g);
  gk_capture_free(cap);
  gk_capture_free(stc);
  return rc;
}
