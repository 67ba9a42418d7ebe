/*
** gait_import.c -- one gait capture from recognition to the store
** (gaitkeeper/gait_import.h): the path `gaitkeeper gait` and the web app's
** Gait page share.  Messages are written as the CLI prints them after its
** "gaitkeeper: gait: " prefix.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gaitkeeper/gait_import.h"
#include "gaitkeeper/import.h"
#include "gaitkeeper/keypoints.h"
#include "gaitkeeper/stick_figure.h"

static const char *ext_of(const char *name) {
  const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
  if (dot == NULL || (slash && dot < slash)) return "";
  return dot + 1;
}

static int ext_is(const char *name, const char *ext) {
  return strcasecmp(ext_of(name), ext) == 0;
}

static const char *const video_exts[] = {"mp4", "mov", "m4v", "mkv", "webm",
                                         "avi", "3gp", "mts", "ts"};

int gk_gait_is_video_name(const char *name) {
  if (name == NULL) return 0;
  const char *dot = strrchr(name, '.');
  if (dot == NULL || strchr(dot, '/') != NULL) return 0;
  for (size_t i = 0; i < sizeof video_exts / sizeof video_exts[0]; i++)
    if (strcasecmp(dot + 1, video_exts[i]) == 0) return 1;
  return 0;
}

gk_gait_input gk_gait_input_of(const char *name, int is_dir, double fps,
                               gk_capture_view view) {
  if (name == NULL) return GK_GAIT_IN_UNKNOWN;
  if (is_dir) return GK_GAIT_IN_FOLDER;
  if (ext_is(name, "c3d")) return GK_GAIT_IN_3D;
  if (ext_is(name, "trc"))
    return (isnan(fps) || fps <= 0) && view == GK_VIEW_UNKNOWN
               ? GK_GAIT_IN_3D
               : GK_GAIT_IN_TRC_2D;
  if (gk_gait_is_video_name(name)) return GK_GAIT_IN_VIDEO;
  if (ext_is(name, "csv") || ext_is(name, "json"))
    return GK_GAIT_IN_KEYPOINTS;
  if (ext_is(name, "zip")) return GK_GAIT_IN_ZIP;
  return GK_GAIT_IN_UNKNOWN;
}

void gk_gait_import_options_init(gk_gait_import_options *o) {
  memset(o, 0, sizeof *o);
  o->height_cm = o->mass_kg = o->speed_mps = o->fps = NAN;
  o->view = GK_VIEW_UNKNOWN;
  o->surface = GK_SURFACE_UNKNOWN;
  o->hip_centre = GK_HIP_SET;
  o->day = INT64_MIN;
}

static void say(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *out, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out, size, fmt, ap);
  va_end(ap);
}

static int number(const char *v, double lo, double hi, double *out,
                  char *msg, size_t size) {
  char *end;
  errno = 0;
  double x = strtod(v, &end);
  if (v[0] == '\0' || *end != '\0' || errno || !isfinite(x) || x < lo ||
      x > hi) {
    say(msg, size, "takes a number from %g to %g (got '%s')", lo, hi, v);
    return -1;
  }
  *out = x;
  return 0;
}

int gk_gait_import_option(gk_gait_import_options *o, const char *name,
                          const char *v, char *msg, size_t size) {
  if (msg && size) msg[0] = '\0';
  if (o == NULL || name == NULL || v == NULL) return -2;
  if (strcmp(name, "marker-set") == 0) {
    o->marker_set = v;
  } else if (strcmp(name, "hip-centre") == 0) {
    if (strcmp(v, "bell") == 0) {
      o->hip_centre = GK_HIP_BELL;
    } else if (strcmp(v, "harrington") == 0) {
      o->hip_centre = GK_HIP_HARRINGTON;
    } else {
      say(msg, size, "is bell or harrington (got \"%s\")", v);
      return -1;
    }
  } else if (strcmp(name, "height-cm") == 0) {
    return number(v, 50, 250, &o->height_cm, msg, size);
  } else if (strcmp(name, "mass-kg") == 0) {
    return number(v, 20, 300, &o->mass_kg, msg, size);
  } else if (strcmp(name, "speed") == 0) {
    return number(v, 0.5, 12, &o->speed_mps, msg, size);
  } else if (strcmp(name, "fps") == 0) {
    return number(v, 1, 10000, &o->fps, msg, size);
  } else if (strcmp(name, "surface") == 0) {
    if (strcmp(v, "treadmill") == 0) {
      o->surface = GK_SURFACE_TREADMILL;
    } else if (strcmp(v, "overground") == 0) {
      o->surface = GK_SURFACE_OVERGROUND;
    } else {
      say(msg, size, "takes treadmill or overground (got '%s')", v);
      return -1;
    }
  } else if (strcmp(name, "image-size") == 0) {
    char *end;
    errno = 0;
    long w = strtol(v, &end, 10), h = 0;
    int ok = end != v && (*end == 'x' || *end == 'X');
    if (ok) {
      const char *hv = end + 1;
      h = strtol(hv, &end, 10);
      ok = hv[0] >= '0' && hv[0] <= '9' && *end == '\0' && errno == 0;
    }
    if (!ok || v[0] < '0' || v[0] > '9' || w < 16 || w > 100000 || h < 16 ||
        h > 100000) {
      say(msg, size,
          "takes the picture's WIDTHxHEIGHT in pixels, each 16 to 100000 "
          "(got '%s')",
          v);
      return -1;
    }
    o->image_width = (int)w;
    o->image_height = (int)h;
  } else if (strcmp(name, "view") == 0) {
    if (strcmp(v, "rear") == 0)
      o->view = GK_VIEW_REAR;
    else if (strcmp(v, "front") == 0)
      o->view = GK_VIEW_FRONT;
    else if (strcmp(v, "left") == 0)
      o->view = GK_VIEW_LEFT;
    else if (strcmp(v, "right") == 0)
      o->view = GK_VIEW_RIGHT;
    else {
      say(msg, size, "takes rear, front, left or right (got '%s')", v);
      return -1;
    }
  } else {
    return -2;
  }
  return 0;
}

/* "WHERE: line L, column C: problem", as the CLI always printed it. */
static void where_msg(char *out, size_t size, const char *where, gk_status st,
                      const gk_err *e) {
  const char *m = e->msg ? e->msg : gk_strerror(st);
  if (e->line > 0 && e->col > 0)
    say(out, size, "%s: line %u, column %u: %s", where, e->line, e->col, m);
  else if (e->line > 0)
    say(out, size, "%s: line %u: %s", where, e->line, m);
  else if (e->offset > 0)
    say(out, size, "%s: byte %llu: %s", where, (unsigned long long)e->offset,
        m);
  else
    say(out, size, "%s: %s", where, m);
}

/* The file inside a folder or zip: "NAME/FILE". */
static void inside_msg(char *out, size_t size, const char *name,
                       const char *file, gk_status st, const gk_err *e) {
  char where[4400];
  size_t nl = strlen(name);
  snprintf(where, sizeof where, "%s%s%s", name,
           nl && name[nl - 1] == '/' ? "" : "/", file);
  where_msg(out, size, where, st, e);
}

static gk_status read_3d(const gk_gait_source *src, gk_capture **out,
                         gk_gait_import_result *r) {
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = ext_is(src->name, "trc")
                     ? gk_trc_read(src->data, src->len, 0, out, &e)
                     : gk_c3d_read(src->data, src->len, 0, out, &e);
  if (st != GK_OK) {
    where_msg(r->msg, sizeof r->msg, src->name, st, &e);
    return st;
  }
  gk_capture_set_path(*out, src->name);
  return GK_OK;
}

/* ---- an OpenPose folder's files as a zip ---------------------------------- */

typedef struct zip_frames {
  size_t n, cap;
  char **names;
  unsigned char **bufs;
  size_t *lens;
  int oom;
} zip_frames;

static int zip_take(void *user, const char *name, const unsigned char *data,
                    size_t len) {
  zip_frames *z = (zip_frames *)user;
  /* the folder's own name in front is kept: it sorts alike */
  size_t nl = strlen(name);
  if (nl < 6 || strcasecmp(name + nl - 5, ".json") != 0) return 0;
  if (z->n == z->cap) {
    size_t nc = z->cap ? z->cap * 2 : 256;
    char **nn = (char **)realloc(z->names, nc * sizeof *nn);
    if (nn) z->names = nn;
    unsigned char **nb = (unsigned char **)realloc(z->bufs, nc * sizeof *nb);
    if (nb) z->bufs = nb;
    size_t *nlens = (size_t *)realloc(z->lens, nc * sizeof *nlens);
    if (nlens) z->lens = nlens;
    if (!nn || !nb || !nlens) {
      z->oom = 1;
      return 1;
    }
    z->cap = nc;
  }
  char *nm = (char *)malloc(nl + 1);
  unsigned char *b = (unsigned char *)malloc(len ? len : 1);
  if (nm == NULL || b == NULL) {
    free(nm);
    free(b);
    z->oom = 1;
    return 1;
  }
  memcpy(nm, name, nl + 1);
  if (len) memcpy(b, data, len);
  z->names[z->n] = nm;
  z->bufs[z->n] = b;
  z->lens[z->n++] = len;
  return 0;
}

static gk_status read_zip(const gk_gait_source *src, const gk_kp_options *ko,
                          double fps, gk_capture **out,
                          gk_gait_import_result *r) {
  zip_frames z;
  memset(&z, 0, sizeof z);
  gk_zip_limits lim = {GK_MAX_KP_FRAMES, GK_MAX_KP_INPUT,
                       (size_t)256 << 20};
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st = gk_zip_each(src->data, src->len, &lim, zip_take, &z, &e);
  if (z.oom) {
    st = GK_E_NOMEM;
    say(r->msg, sizeof r->msg, "%s: out of memory", src->name);
  } else if (st != GK_OK) {
    where_msg(r->msg, sizeof r->msg, src->name, st, &e);
  } else {
    char bad[256];
    memset(&e, 0, sizeof e);
    st = gk_openpose_read_frames(z.n, (const char *const *)z.names,
                                 (const void *const *)z.bufs, z.lens, fps, ko,
                                 out, &e, bad, sizeof bad);
    if (st != GK_OK && bad[0] != '\0')
      inside_msg(r->msg, sizeof r->msg, src->name, bad, st, &e);
    else if (st != GK_OK)
      where_msg(r->msg, sizeof r->msg, src->name, st, &e);
    else
      gk_capture_set_path(*out, src->name);
  }
  for (size_t i = 0; i < z.n; i++) {
    free(z.names[i]);
    free(z.bufs[i]);
  }
  free(z.names);
  free(z.bufs);
  free(z.lens);
  return st;
}

/* Pose keypoints: a folder, a zip, a CSV or JSON file. */
static gk_status read_2d(const gk_gait_source *src, gk_gait_input in,
                         const gk_kp_options *ko, double fps,
                         gk_capture **out, gk_gait_import_result *r) {
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st;
  if (in == GK_GAIT_IN_FOLDER) {
    char bad[256];
    st = gk_openpose_read_dir_named(src->path, fps, ko, out, &e, bad,
                                    sizeof bad);
    if (st != GK_OK && bad[0] != '\0') {
      inside_msg(r->msg, sizeof r->msg, src->name, bad, st, &e);
      return st;
    }
  } else if (in == GK_GAIT_IN_ZIP) {
    return read_zip(src, ko, fps, out, r);
  } else if (ext_is(src->name, "csv")) {
    st = gk_mediapipe_read_csv(src->data, src->len, ko, out, &e);
    if (st != GK_OK) {
      gk_err e2;
      memset(&e2, 0, sizeof e2);
      if (gk_coco_read_csv(src->data, src->len, ko, out, &e2) == GK_OK)
        st = GK_OK;
    }
  } else {
    st = gk_mediapipe_read_json(src->data, src->len, ko, out, &e);
    if (st != GK_OK) {
      gk_err e2;
      memset(&e2, 0, sizeof e2);
      if (gk_coco_read_json(src->data, src->len, ko, out, &e2) == GK_OK ||
          gk_openpose_read(src->data, src->len, ko, out, &e2) == GK_OK)
        st = GK_OK;
    }
  }
  if (st != GK_OK) {
    where_msg(r->msg, sizeof r->msg, src->name, st, &e);
    return st;
  }
  gk_capture_set_path(*out, src->name);
  return GK_OK;
}

/* Stills from the video at the analysis' figures (initial contact, peak
   knee flexion or pelvic drop), square crops around the runner, 320 px; a
   failure only costs the pictures (r->warning). */
#define PICTURE_PX 320
static void add_pictures(const gk_gait_source *src, gk_gait *g,
                         gk_gait_import_result *r) {
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
  memset(&e, 0, sizeof e);
  gk_status st = gk_pose_pictures_jpeg(src->path, n, frames,
                                       (const double(*)[4])crops, PICTURE_PX,
                                       PICTURE_PX, jpegs, &e);
  if (st != GK_OK)
    say(r->warning, sizeof r->warning, "%s: no pictures for the report: %s",
        src->name, e.msg ? e.msg : gk_strerror(st));
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

static int bad_source(const gk_gait_source *s, gk_gait_input in) {
  if (s == NULL || s->name == NULL) return 1;
  if (in == GK_GAIT_IN_FOLDER || in == GK_GAIT_IN_VIDEO) return s->path == NULL;
  return s->data == NULL && s->len > 0;
}

gk_status gk_gait_import(const gk_gait_source *capture,
                         const gk_gait_source *st_trial,
                         const gk_gait_import_options *o,
                         gk_gait_import_result *r) {
  if (r == NULL) return GK_E_ARG;
  memset(r, 0, sizeof *r);
  gk_gait_import_options defaults;
  if (o == NULL) {
    gk_gait_import_options_init(&defaults);
    o = &defaults;
  }
  gk_gait_input in =
      capture && capture->name
          ? gk_gait_input_of(capture->name,
                             capture->path != NULL && capture->data == NULL &&
                                 !gk_gait_is_video_name(capture->name),
                             o->fps, o->view)
          : GK_GAIT_IN_UNKNOWN;
  r->input = in;
  if (bad_source(capture, in)) {
    r->usage = 1;
    say(r->msg, sizeof r->msg, "no capture given");
    return GK_E_ARG;
  }
  if (in == GK_GAIT_IN_UNKNOWN) {
    say(r->msg, sizeof r->msg,
        "%s: not a capture gaitkeeper reads (.c3d, .trc, .csv, .json, a "
        "folder or .zip of OpenPose JSON, or a video)",
        capture->name);
    return GK_E_UNSUPPORTED;
  }
  if (st_trial != NULL && in != GK_GAIT_IN_3D) {
    r->usage = 1;
    say(r->msg, sizeof r->msg,
        "a static trial is for 3D lab captures (.c3d, .trc)");
    return GK_E_ARG;
  }
  if (st_trial != NULL && bad_source(st_trial, GK_GAIT_IN_3D)) {
    r->usage = 1;
    say(r->msg, sizeof r->msg, "no static trial given");
    return GK_E_ARG;
  }
  gk_capture *cap = NULL, *stc = NULL;
  gk_gait *g = NULL;
  gk_err e;
  memset(&e, 0, sizeof e);
  gk_status st;
  double fps = isnan(o->fps) ? 0 : o->fps;
  if (in == GK_GAIT_IN_3D) {
    if ((st = read_3d(capture, &cap, r)) != GK_OK) goto out;
    if (st_trial && (st = read_3d(st_trial, &stc, r)) != GK_OK) goto out;
    gk_gait3d_options o3 = {isnan(o->height_cm) ? NAN : o->height_cm * 10,
                            o->mass_kg, o->speed_mps, o->marker_set,
                            o->hip_centre};
    st = gk_gait3d_analyse(cap, stc, &o3, &g, &e);
    if (st != GK_OK) {
      where_msg(r->msg, sizeof r->msg, capture->name, st, &e);
      goto out;
    }
  } else {
    if (in == GK_GAIT_IN_VIDEO) {
      char file[4200] = "";
      st = gk_pose_video(capture->path, &o->pose, o->progress, NULL,
                         o->progress_ctx, &cap, &r->video_stats, &e, file,
                         sizeof file);
      if (st != GK_OK) {
        const char *f = file[0] ? file : capture->name;
        /* the video's own path is shown by the name it was given */
        if (strcmp(f, capture->path) == 0) f = capture->name;
        if (e.offset)
          say(r->msg, sizeof r->msg, "%s: %s (byte %llu)", f,
              e.msg ? e.msg : gk_strerror(e.code),
              (unsigned long long)e.offset);
        else
          say(r->msg, sizeof r->msg, "%s: %s", f,
              e.msg ? e.msg : gk_strerror(e.code));
        goto out;
      }
      r->video = 1;
      /* the rate the clip was filmed at (a slow-motion clip plays slower
         than it was filmed) */
      if (!isnan(o->fps)) cap->frame_rate_hz = o->fps;
      cap->view = o->view;
      gk_capture_set_path(cap, capture->name);
    } else if (in == GK_GAIT_IN_TRC_2D) { /* Sports2D / Pose2Sim keypoints */
      if ((st = read_3d(capture, &cap, r)) != GK_OK) goto out;
      st = gk_capture_to_2d(cap, o->view, fps, NULL, &e);
      if (st != GK_OK) {
        where_msg(r->msg, sizeof r->msg, capture->name, st, &e);
        goto out;
      }
    } else {
      gk_kp_options ko;
      memset(&ko, 0, sizeof ko);
      ko.fps = fps;
      ko.view = o->view;
      ko.image_width = o->image_width;
      ko.image_height = o->image_height;
      if ((st = read_2d(capture, in, &ko, fps, &cap, r)) != GK_OK) goto out;
      if (cap->stats2d.normalised) {
        /* x in widths, y in heights: every angle and length would be
           squeezed by the picture's aspect (16:9: x by 1.78) */
        say(r->msg, sizeof r->msg,
            "%s: the keypoints are fractions of the picture (MediaPipe's "
            "landmarks): give the picture's size in pixels, --image-size "
            "WIDTHxHEIGHT, as the video was filmed",
            capture->name);
        r->usage = 1;
        st = GK_E_ARG;
        goto out;
      }
    }
    gk_gait2d_options o2 = {fps, o->view,
                            isnan(o->height_cm) ? NAN : o->height_cm * 10,
                            o->speed_mps, o->surface};
    st = gk_gait2d_analyse(cap, &o2, &g, &e);
    if (st != GK_OK) { /* the analysis' offset is a frame, not a byte */
      if (e.offset > 0)
        say(r->msg, sizeof r->msg, "%s: from frame %llu: %s", capture->name,
            (unsigned long long)e.offset, e.msg ? e.msg : gk_strerror(st));
      else
        say(r->msg, sizeof r->msg, "%s: %s", capture->name,
            e.msg ? e.msg : gk_strerror(st));
      goto out;
    }
  }
  if (r->video && !r->video_stats.resampled && o->pictures)
    add_pictures(capture, g, r);
  if (!(g->speed_mps > 0) && o->speed_mps > 0) g->speed_mps = o->speed_mps;
  st = gk_gait_findings(g, &e);
  if (st != GK_OK) {
    where_msg(r->msg, sizeof r->msg, capture->name, st, &e);
    goto out;
  }
  gk_gait_write_json(g, 0, &r->json);
  if (r->json.oom) {
    st = GK_E_NOMEM;
    say(r->msg, sizeof r->msg, "%s: out of memory", capture->name);
    goto out;
  }
  if (o->open_store) {
    gk_store *s = NULL;
    st = o->open_store(o->store_ctx, &s);
    if (st != GK_OK || s == NULL) {
      r->store_failed = 1;
      if (st == GK_OK) st = GK_E_IO;
      goto out;
    }
    char kind[3] = {g->kind == GK_CAPTURE_2D ? '2' : '3', 'd', '\0'};
    st = gk_store_add_capture(s, kind, gk_view_name(g->view), capture->name,
                              o->day, r->json.data, &r->capture_id);
    if (st != GK_OK) {
      r->store_failed = 1;
      say(r->msg, sizeof r->msg, "%s: %s", gk_store_path(s),
          gk_store_errmsg(s));
    }
    gk_store_close(s);
    if (st != GK_OK) goto out;
  }
  r->gait = g;
  g = NULL;
  st = GK_OK;
out:
  gk_gait_free(g);
  gk_capture_free(cap);
  gk_capture_free(stc);
  if (st != GK_OK) {
    gk_buf_free(&r->json);
    memset(&r->json, 0, sizeof r->json);
    if (r->msg[0] == '\0' && !r->store_failed)
      say(r->msg, sizeof r->msg, "%s: %s", capture->name, gk_strerror(st));
  }
  return st;
}

void gk_gait_import_clear(gk_gait_import_result *r) {
  if (r == NULL) return;
  gk_gait_free(r->gait);
  r->gait = NULL;
  gk_buf_free(&r->json);
  memset(&r->json, 0, sizeof r->json);
}
