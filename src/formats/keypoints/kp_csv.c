/*
** kp_csv.c -- CSV keypoint readers: MediaPipe pose landmarks (frame, then
** x, y, z, visibility per landmark) and COCO-17 (frame, then x, y, c per
** keypoint).  Layouts and header rules: gaitkeeper/keypoints.h and
** docs/FORMATS.md, "Pose keypoints".  Errors give the byte offset, line and
** column (1-based, in bytes).
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"
#include "formats/keypoints/kp_internal.h"

typedef struct spec {
  gk_kp_model model;
  size_t n;      /* points */
  size_t comps;  /* cells per point: 4 (x y z v) or 3 (x y c) */
  const char *const *names;
  const char *format;
} spec;

typedef struct cell {
  const char *s;
  size_t n;
  size_t offset; /* in the input */
} cell;

static gk_status fail_at(gk_err *err, gk_status code, const char *msg,
                         const char *buf, size_t offset) {
  gk__set_err(err, code, msg, offset);
  if (err != NULL) gk__kp_line_col(buf, offset, &err->line, &err->col);
  return GK_CORRUPT(code);
}

static int ieq(const char *a, size_t n, const char *b) {
  size_t m = strlen(b);
  if (m != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return 0;
  return 1;
}

/* Does header cell c name component k of point i? */
static int header_ok(const spec *sp, const cell *c, size_t i, size_t k) {
  static const char *const comp4[4][3] = {
      {"x", NULL, NULL}, {"y", NULL, NULL}, {"z", NULL, NULL},
      {"v", "visibility", NULL}};
  static const char *const comp3[3][4] = {
      {"x", NULL, NULL, NULL}, {"y", NULL, NULL, NULL},
      {"c", "conf", "confidence", "score"}};
  const char *s = c->s;
  size_t n = c->n;
  if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s++, n -= 2;
  for (size_t a = 0; a < 4; a++) {
    const char *cn = sp->comps == 4 ? (a < 3 ? comp4[k][a] : NULL) : comp3[k][a];
    if (cn == NULL) continue;
    size_t cl = strlen(cn);
    /* <comp><i> */
    char idx[16];
    int il = snprintf(idx, sizeof idx, "%zu", i);
    if (n == cl + (size_t)il && ieq(s, cl, cn) &&
        memcmp(s + cl, idx, (size_t)il) == 0)
      return 1;
    /* <name>_<comp> */
    size_t nl = strlen(sp->names[i]);
    if (n == nl + 1 + cl && ieq(s, nl, sp->names[i]) && s[nl] == '_' &&
        ieq(s + nl + 1, cl, cn))
      return 1;
  }
  return 0;
}

/* A number cell: 1 and *v (NaN for empty or nan), or 0 when it is not. */
static int number(const cell *c, double *v) {
  if (c->n == 0) {
    *v = NAN;
    return 1;
  }
  if (c->n > GK_MAX_KP_CELL) return 0;
  char b[GK_MAX_KP_CELL + 1];
  memcpy(b, c->s, c->n);
  b[c->n] = '\0';
  if (ieq(b, c->n, "nan")) {
    *v = NAN;
    return 1;
  }
  char *end;
  double d = strtod(b, &end);
  if (end == b || *end != '\0' || isnan(d)) return 0;
  *v = d;
  return 1;
}

/* A frame number cell: 1 and *f, or 0. */
static int frame_no(const cell *c, long long *f) {
  if (c->n == 0 || c->n > 10) return 0;
  long long v = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (c->s[i] < '0' || c->s[i] > '9') return 0;
    v = v * 10 + (c->s[i] - '0');
  }
  if (v > 0x7fffffffLL) return 0;
  *f = v;
  return 1;
}

static int space(char ch) { return ch == ' ' || ch == '\t'; }

static gk_status read_csv(const spec *sp, const void *vbuf, size_t len,
                          const gk_kp_options *opt, gk_capture **out,
                          gk_err *err) {
  const char *buf = (const char *)vbuf;
  if (out == NULL) return fail_at(err, GK_E_ARG, "no output capture", "", 0);
  *out = NULL;
  if (buf == NULL && len != 0)
    return fail_at(err, GK_E_ARG, "no input buffer", "", 0);
  if (len > GK_MAX_KP_INPUT)
    return fail_at(err, GK_E_LIMIT, "keypoint CSV input is too large", "", 0);
  int scale = sp->model == GK_KP_MEDIAPIPE33 && opt != NULL &&
              opt->image_width > 0 && opt->image_height > 0 &&
              isfinite(opt->image_width) && isfinite(opt->image_height);
  size_t ncells = 1 + sp->n * sp->comps;
  cell *cells = (cell *)malloc(ncells * sizeof *cells);
  if (cells == NULL) return fail_at(err, GK_E_NOMEM, "out of memory", "", 0);
  gk__kp_seq s;
  gk__kp_seq_init(&s, sp->model);
  gk_status st = GK_OK;
  const char *msg = NULL;
  size_t bad = 0; /* offset of the error */
  size_t pos = 0;
  int seen_line = 0, have_frame = 0;
  long long cur = 0, first = 0;
  while (pos < len && st == GK_OK) {
    const char *l = buf + pos;
    const char *nl = (const char *)memchr(l, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - l) : len - pos;
    size_t lo = pos;
    pos += n + (nl ? 1 : 0);
    if (n > 0 && l[n - 1] == '\r') n--;
    if (n > GK_MAX_KP_LINE) {
      st = GK_E_LIMIT, msg = "keypoint CSV line is too long", bad = lo;
      break;
    }
    size_t b = 0;
    while (b < n && space(l[b])) b++;
    if (b == n) continue; /* blank */
    /* split */
    size_t k = 0, i = 0;
    while (1) {
      size_t e = i;
      while (e < n && l[e] != ',') e++;
      if (k == ncells) {
        st = GK_E_CORRUPT, msg = "keypoint CSV row has too many cells",
        bad = lo + i;
        break;
      }
      size_t a = i, z = e;
      while (a < z && space(l[a])) a++;
      while (z > a && space(l[z - 1])) z--;
      cells[k].s = l + a;
      cells[k].n = z - a;
      cells[k].offset = lo + a;
      k++;
      if (e >= n) break;
      i = e + 1;
    }
    if (st != GK_OK) break;
    if (k != ncells) {
      st = GK_E_CORRUPT, msg = "keypoint CSV row has too few cells",
      bad = lo + n;
      break;
    }
    long long f;
    if (!frame_no(&cells[0], &f)) {
      if (seen_line) {
        st = GK_E_CORRUPT, msg = "keypoint CSV frame is not an integer >= 0",
        bad = cells[0].offset;
        break;
      }
      seen_line = 1;
      for (size_t c = 1; c < ncells; c++)
        if (!header_ok(sp, &cells[c], (c - 1) / sp->comps,
                       (c - 1) % sp->comps)) {
          st = GK_E_UNSUPPORTED,
          msg = "keypoint CSV header does not name the expected column",
          bad = cells[c].offset;
          break;
        }
      continue;
    }
    seen_line = 1;
    if (!have_frame) {
      have_frame = 1;
      first = f;
      cur = f - 1;
    }
    if (f < cur) {
      st = GK_E_CORRUPT, msg = "keypoint CSV frame numbers go backwards",
      bad = cells[0].offset;
      break;
    }
    if (f - cur > (long long)GK_MAX_KP_GAP + 1) {
      st = GK_E_LIMIT, msg = "keypoint CSV frame numbers skip too many frames",
      bad = cells[0].offset;
      break;
    }
    while (cur < f && st == GK_OK) {
      st = gk__kp_seq_frame(&s);
      cur++;
    }
    if (st != GK_OK) {
      msg = st == GK_E_LIMIT ? "too many keypoint frames" : "out of memory";
      bad = cells[0].offset;
      break;
    }
    double *p = gk__kp_seq_person(&s, &st);
    if (p == NULL) {
      msg = st == GK_E_LIMIT ? "too many people in keypoint frames"
                             : "out of memory";
      bad = cells[0].offset;
      break;
    }
    for (size_t j = 0; j < sp->n; j++) {
      double v[4];
      const cell *c0 = &cells[1 + j * sp->comps];
      for (size_t q = 0; q < sp->comps; q++)
        if (!number(&c0[q], &v[q])) {
          st = GK_E_CORRUPT, msg = "keypoint CSV cell is not a number",
          bad = c0[q].offset;
          break;
        }
      if (st != GK_OK) break;
      double conf = v[sp->comps - 1];
      if (sp->comps == 4 && isinf(v[2])) {
        st = GK_E_CORRUPT, msg = "keypoint coordinate is out of range",
        bad = c0[2].offset;
        break;
      }
      if (scale) {
        v[0] *= opt->image_width;
        v[1] *= opt->image_height;
      }
      if ((msg = gk__kp_point(p + j * 3, v[0], v[1], conf)) != NULL) {
        st = GK_E_CORRUPT, bad = c0[0].offset;
        break;
      }
    }
  }
  free(cells);
  if (st != GK_OK) {
    gk__kp_seq_free(&s);
    return fail_at(err, st, msg, buf, bad > len ? len : bad);
  }
  st = gk__kp_build(&s, opt, sp->format, sp->model == GK_KP_MEDIAPIPE33 && !scale,
                    out);
  gk__kp_seq_free(&s);
  if (st != GK_OK)
    return fail_at(err, st,
                   st == GK_E_NOMEM ? "out of memory"
                                    : "keypoint capture is too large",
                   "", 0);
  (*out)->first_frame = (uint32_t)first;
  return GK_OK;
}

gk_status gk_mediapipe_read_csv(const void *buf, size_t len,
                                const gk_kp_options *opt, gk_capture **out,
                                gk_err *err) {
  static const spec sp = {GK_KP_MEDIAPIPE33, 33, 4, gk__kp_mp_names, "MPCSV"};
  return read_csv(&sp, buf, len, opt, out, err);
}

gk_status gk_coco_read_csv(const void *buf, size_t len,
                           const gk_kp_options *opt, gk_capture **out,
                           gk_err *err) {
  static const spec sp = {GK_KP_COCO17, 17, 3, gk__kp_coco_names, "COCOCSV"};
  return read_csv(&sp, buf, len, opt, out, err);
}
