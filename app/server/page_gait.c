/*
** page_gait.c -- the Gait page's upload: one capture (keypoints: an
** OpenPose folder as a .zip, MediaPipe or COCO-17 .csv/.json, OpenPose
** .json; a lab capture: .c3d or .trc, with a static trial as a second
** file; a video) and the options `gaitkeeper gait` takes, given to the
** library's one gait path (gk_gait_import: recognise, read, analyse,
** findings, store).  Files are read from the request's memory; only a
** video is written, to a private temporary file (mkstemp in $TMPDIR,
** 0600, unlinked at once: the decoder reads it through /proc/self/fd).
** The uploaded name is shown and stored as text only ("upload: NAME"),
** never used as a path.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gaitkeeper/gait_import.h"
#include "server.h"

static void bad(gk_buf *html, const char *what, const char *why) {
  gk_buf_puts(html, "<p class=\"bad\" role=\"alert\">");
  gk_srv_escs(html, what);
  if (why && why[0]) {
    gk_buf_puts(html, ": ");
    gk_srv_escs(html, why);
  }
  gk_buf_puts(html, "</p>");
}

typedef struct store_ctx {
  const gk_srv_request *rq;
  char msg[512];
} store_ctx;

/* The store scoped to the request's runner (gk_srv_open). */
static gk_status open_store(void *ctx, gk_store **out) {
  store_ctx *c = (store_ctx *)ctx;
  return gk_srv_open(c->rq, GK_STORE_NO_CREATE, out, c->msg, sizeof c->msg)
             ? GK_E_IO
             : GK_OK;
}

/* The video's bytes into a private file, unlinked at once; its fd, or -1
   (msg says why). */
static int video_file(const gk_form_field *f, char *msg, size_t size) {
  const char *dir = getenv("TMPDIR");
  char tmpl[4200];
  snprintf(tmpl, sizeof tmpl, "%s/gaitkeeper-video-XXXXXX",
           dir && dir[0] == '/' ? dir : "/tmp");
  mode_t old = umask(077);
  int fd = mkstemp(tmpl);
  umask(old);
  if (fd < 0) {
    snprintf(msg, size, "no private temporary file for the video: %s",
             strerror(errno));
    return -1;
  }
  fchmod(fd, 0600);
  unlink(tmpl);
  size_t done = 0;
  while (done < f->len) {
    ssize_t w = write(fd, f->value + done, f->len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      snprintf(msg, size, "the video could not be written to a temporary "
               "file: %s", strerror(errno));
      close(fd);
      return -1;
    }
    done += (size_t)w;
  }
  return fd;
}

static const char *const FIELDS[] = {"view",       "fps",        "surface",
                                     "speed",      "marker-set", "height-cm",
                                     "mass-kg",    "image-size"};

int gk_srv_upload_gait(const gk_srv_request *rq, gk_buf *html) {
  const gk_form *fm = rq->form;
  const gk_form_field *cf = gk_form_get(fm, "capture");
  const gk_form_field *sf = gk_form_get(fm, "static");
  if (cf == NULL || cf->filename == NULL ||
      (cf->filename[0] == '\0' && cf->len == 0)) {
    bad(html, "No capture was chosen", NULL);
    return 422;
  }
  if (sf && sf->filename && sf->filename[0] == '\0' && sf->len == 0)
    sf = NULL; /* no static trial chosen */
  gk_gait_import_options o;
  gk_gait_import_options_init(&o);
  for (size_t i = 0; i < sizeof FIELDS / sizeof *FIELDS; i++) {
    const char *v = gk_form_str(fm, FIELDS[i]);
    if (v[0] == '\0') continue;
    char msg[300];
    if (gk_gait_import_option(&o, FIELDS[i], v, msg, sizeof msg) != 0) {
      char what[400];
      snprintf(what, sizeof what, "Not analysed: %s %s", FIELDS[i], msg);
      bad(html, what, NULL);
      return 422;
    }
  }
  const char *date = gk_form_str(fm, "date");
  if (date[0] && gk_day_parse(date, &o.day) != GK_OK) {
    bad(html, "Not analysed: the date is YYYY-MM-DD (a real day)", NULL);
    return 422;
  }
  char name[600], stname[600];
  snprintf(name, sizeof name, "upload: %s",
           cf->filename[0] ? cf->filename : "(no name)");
  snprintf(stname, sizeof stname, "upload: %s",
           sf && sf->filename[0] ? sf->filename : "(no name)");
  gk_gait_source src = {name, NULL, cf->value, cf->len};
  gk_gait_source sts = {stname, NULL, sf ? sf->value : NULL,
                        sf ? sf->len : 0};
  char fdpath[64];
  int fd = -1;
  if (gk_gait_is_video_name(cf->filename)) {
    char msg[300];
    if ((fd = video_file(cf, msg, sizeof msg)) < 0) {
      bad(html, "Not analysed", msg);
      return 500;
    }
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    src.path = fdpath;
    src.data = NULL;
    src.len = 0;
    o.pictures = 1;
  }
  store_ctx sc;
  memset(&sc, 0, sizeof sc);
  sc.rq = rq;
  o.open_store = open_store;
  o.store_ctx = &sc;
  gk_gait_import_result r;
  gk_status st = gk_gait_import(&src, sf ? &sts : NULL, &o, &r);
  if (fd >= 0) close(fd);
  int status = 200;
  if (st != GK_OK) {
    if (r.store_failed)
      bad(html, "Not stored: the store cannot be written",
          r.msg[0] ? r.msg : sc.msg);
    else
      bad(html, "Not analysed", r.msg);
    status = r.store_failed ? 500 : 422;
  } else {
    const gk_gait *g = r.gait;
    char line[900];
    snprintf(line, sizeof line,
             "<p class=\"ok\" role=\"status\">Stored as capture %" PRId64
             ": %s capture%s%s, %zu steps, %zu finding%s.</p>",
             r.capture_id, g->kind == GK_CAPTURE_2D ? "2D" : "3D",
             g->kind == GK_CAPTURE_2D ? ", view " : "",
             g->kind == GK_CAPTURE_2D ? gk_view_name(g->view) : "",
             g->n_steps, g->n_findings,
             g->n_findings == 1 ? "" : "s");
    gk_buf_puts(html, line);
    if (r.warning[0]) bad(html, "Note", r.warning);
  }
  gk_gait_import_clear(&r);
  return status;
}

void gk_srv_gait_fields(gk_buf *b) {
  char line[600];
  snprintf(line, sizeof line,
           "<div><label for=\"g-capture\">Capture: keypoints (an OpenPose "
           "folder as a .zip, MediaPipe or COCO-17 .csv or .json), a lab "
           "capture (.c3d, .trc) or a video; at most %u MiB</label>"
           "<input id=\"g-capture\" name=\"capture\" type=\"file\" "
           "required accept=\".zip,.json,.csv,.c3d,.trc,.mp4,.mov,.m4v,"
           ".mkv,.webm,.avi\"></div>",
           GK_SRV_UPLOAD_BYTES >> 20);
  gk_buf_puts(b, line);
  gk_buf_puts(
      b,
      "<div><label for=\"g-static\">Static trial (3D, optional: the standing "
      "calibration trial)</label><input id=\"g-static\" name=\"static\" "
      "type=\"file\" accept=\".c3d,.trc\"></div>"
      "<div><label for=\"g-view\">Camera view (2D)</label><select "
      "id=\"g-view\" name=\"view\"><option value=\"\">not given</option>"
      "<option value=\"rear\">rear</option><option value=\"front\">front"
      "</option><option value=\"left\">left side</option><option "
      "value=\"right\">right side</option></select></div>"
      "<div><label for=\"g-fps\">Frames per second (2D; as filmed)</label>"
      "<input id=\"g-fps\" name=\"fps\" type=\"number\" min=\"1\" "
      "max=\"10000\" step=\"any\"></div>"
      "<div><label for=\"g-size\">Picture size, pixels (MediaPipe "
      "landmarks; e.g. 1920x1080)</label><input id=\"g-size\" "
      "name=\"image-size\" type=\"text\" pattern=\"[0-9]+x[0-9]+\" "
      "maxlength=\"13\"></div>"
      "<div><label for=\"g-surface\">Surface</label><select id=\"g-surface\" "
      "name=\"surface\"><option value=\"\">judge from the capture</option>"
      "<option value=\"treadmill\">treadmill</option><option "
      "value=\"overground\">overground</option></select></div>"
      "<div><label for=\"g-speed\">Speed, m/s (treadmill belt)</label>"
      "<input id=\"g-speed\" name=\"speed\" type=\"number\" min=\"0.5\" "
      "max=\"12\" step=\"any\"></div>"
      "<div><label for=\"g-ms\">Marker set (3D)</label><select id=\"g-ms\" "
      "name=\"marker-set\"><option value=\"\">recognise from the labels"
      "</option><option value=\"rbds\">rbds</option><option "
      "value=\"plugin_gait\">plugin_gait</option><option "
      "value=\"cluster4\">cluster4</option></select></div>"
      "<div><label for=\"g-height\">Height, cm (optional)</label><input "
      "id=\"g-height\" name=\"height-cm\" type=\"number\" min=\"50\" "
      "max=\"250\" step=\"any\"></div>"
      "<div><label for=\"g-mass\">Mass, kg (3D, optional)</label><input "
      "id=\"g-mass\" name=\"mass-kg\" type=\"number\" min=\"20\" max=\"300\" "
      "step=\"any\"></div>"
      "<div><label for=\"g-date\">Date of the capture (optional)</label>"
      "<input id=\"g-date\" name=\"date\" type=\"date\"></div>"
      "<div><button type=\"submit\">Analyse and store</button></div>");
}
