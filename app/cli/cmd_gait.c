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
#include "gaitkeeper/gait_import.h"
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
      "           [--image-size WIDTHxHEIGHT] "
      "[--surface treadmill|overground]\n"
      "           [--date YYYY-MM-DD] [--json] [--no-store] PATH\n"
      "  PATH: .c3d or .trc (3D markers; --static: the standing trial), or\n"
      "        pose keypoints: an OpenPose JSON folder, a MediaPipe or "
      "COCO-17\n"
      "        .csv/.json file, a Sports2D .trc with --fps (2D); MediaPipe's\n"
      "        landmarks are fractions of the picture: --image-size gives its\n"
      "        pixels\n");
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

/* The store, opened when there is an analysis to store. */
static gk_status open_store(void *ctx, gk_store **out) {
  (void)ctx;
  return gk_cli_open_store("gait", 0, out);
}

int gk_cmd_gait(int argc, char **argv) {
  const char *path = NULL, *static_path = NULL;
  int json = 0, store = 1;
  gk_gait_import_options o;
  gk_gait_import_options_init(&o);
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
          "--hip-centre", "--image-size",
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
      if (strcmp(a, "--static") == 0) {
        static_path = v;
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
        if (gk_day_parse(v, &o.day) != GK_OK) {
          fprintf(stderr,
                  "gaitkeeper: gait: --date takes a date YYYY-MM-DD "
                  "(got '%s')\n",
                  v);
          return 2;
        }
      } else { /* the options gk_gait_import_option reads */
        char msg[300];
        if (gk_gait_import_option(&o, a + 2, v, msg, sizeof msg) != 0) {
          fprintf(stderr, "gaitkeeper: gait: %s %s\n", a, msg);
          return 2;
        }
      }
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
  gk_gait_input in =
      gk_gait_input_of(path, S_ISDIR(sb.st_mode), o.fps, o.view);
  if (static_path && in != GK_GAIT_IN_3D) {
    fprintf(stderr,
            "gaitkeeper: gait: --static is for 3D lab captures "
            "(.c3d, .trc)\n");
    return 2;
  }
  /* the files are read here, with the CLI's limits and messages; a
     folder and a video are read by the library */
  gk_gait_source src = {path, NULL, NULL, 0}, stsrc = {static_path, NULL,
                                                        NULL, 0};
  unsigned char *buf = NULL, *stbuf = NULL;
  int rc = 1;
  if (in == GK_GAIT_IN_FOLDER || in == GK_GAIT_IN_VIDEO) {
    src.path = path;
  } else {
    size_t max = in == GK_GAIT_IN_3D || in == GK_GAIT_IN_TRC_2D ||
                         in == GK_GAIT_IN_ZIP
                     ? GK_CLI_MAX_INPUT_BYTES
                     : GK_MAX_KP_INPUT;
    if ((buf = gk_cli_read_file(path, max, &src.len)) == NULL) goto out;
    src.data = buf;
  }
  if (static_path) {
    stbuf = gk_cli_read_file(static_path, GK_CLI_MAX_INPUT_BYTES, &stsrc.len);
    if (stbuf == NULL) goto out;
    stsrc.data = stbuf;
  }
  o.pose = po;
  gk_cli_progress pr;
  gk_cli_video_progress_init(&pr);
  o.progress = gk_cli_video_progress;
  o.progress_ctx = &pr;
  o.pictures = 1;
  if (store) o.open_store = open_store;
  gk_gait_import_result r;
  gk_status st = gk_gait_import(&src, static_path ? &stsrc : NULL, &o, &r);
  gk_cli_video_progress_end(&pr);
  if (r.video && !json) gk_cli_video_summary(path, &po, &r.video_stats);
  if (r.warning[0]) fprintf(stderr, "gaitkeeper: gait: %s\n", r.warning);
  if (st != GK_OK) {
    if (r.msg[0]) fprintf(stderr, "gaitkeeper: gait: %s\n", r.msg);
    if (r.usage) rc = 2;
    gk_gait_import_clear(&r);
    goto out;
  }
  if (store && !json) printf("stored as capture %" PRId64 "\n", r.capture_id);
  if (json) {
    fwrite(r.json.data, 1, r.json.len, stdout);
    putchar('\n');
  } else {
    print_text(path, r.gait);
  }
  gk_gait_import_clear(&r);
  rc = 0;
out:
  free(buf);
  free(stbuf);
  return rc;
}
