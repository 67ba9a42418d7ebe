/*
** kp_json.c -- JSON keypoint readers (cJSON): OpenPose per-frame files and
** directories, MediaPipe landmark lists, COCO-17 results.
**
** cJSON parses whole buffers, so every input is bounded by GK_MAX_KP_INPUT
** before parsing, and every value read is type-checked (cJSON_IsNumber,
** cJSON_IsArray, ...).
*/
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"
#include "formats/keypoints/kp_internal.h"

static gk_status fail(gk_err *err, gk_status code, const char *msg,
                      uint64_t offset) {
  gk__set_err(err, code, msg, offset);
  return GK_CORRUPT(code);
}

/* Does the input end inside a string, array or object that is otherwise
   well nested (a truncation rather than a syntax error)? */
static int unclosed(const char *s, size_t n) {
  char stack[CJSON_NESTING_LIMIT + 1];
  size_t depth = 0;
  int str = 0, esc = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (str) {
      if (esc) esc = 0;
      else if (c == '\\') esc = 1;
      else if (c == '"') str = 0;
    } else if (c == '"') {
      str = 1;
    } else if (c == '[' || c == '{') {
      if (depth == sizeof stack) return 0;
      stack[depth++] = c == '[' ? ']' : '}';
    } else if (c == ']' || c == '}') {
      if (depth == 0 || stack[depth - 1] != c) return 0;
      depth--;
    }
  }
  return str || depth > 0;
}

/* Parse buf[0..len) as JSON; on failure set err at the error position. */
static gk_status parse(const void *buf, size_t len, cJSON **root,
                       gk_err *err) {
  *root = NULL;
  if (buf == NULL && len != 0)
    return fail(err, GK_E_ARG, "no input buffer", 0);
  if (len > GK_MAX_KP_INPUT)
    return fail(err, GK_E_LIMIT, "keypoint JSON input is too large", 0);
  if (len == 0) return fail(err, GK_E_TRUNCATED, "keypoint JSON is empty", 0);
  const char *end = NULL;
  cJSON *r = cJSON_ParseWithLengthOpts((const char *)buf, len, &end, 0);
  if (r == NULL) {
    size_t off = len;
    if (end != NULL && end >= (const char *)buf &&
        end <= (const char *)buf + len)
      off = (size_t)(end - (const char *)buf);
    int trunc = off >= len || unclosed((const char *)buf, len);
    if (trunc) off = len;
    gk__set_err(err, trunc ? GK_E_TRUNCATED : GK_E_CORRUPT,
                trunc ? "keypoint JSON ends early"
                      : "keypoint JSON syntax error",
                off > len ? len : off);
    if (err != NULL) gk__kp_line_col((const char *)buf, off > len ? len : off,
                                     &err->line, &err->col);
    return GK_CORRUPT(trunc ? GK_E_TRUNCATED : GK_E_CORRUPT);
  }
  /* only white space may follow the value */
  size_t off = (size_t)(end - (const char *)buf);
  while (off < len && (((const char *)buf)[off] == ' ' ||
                       ((const char *)buf)[off] == '\t' ||
                       ((const char *)buf)[off] == '\r' ||
                       ((const char *)buf)[off] == '\n' ||
                       ((const char *)buf)[off] == '\0'))
    off++;
  if (off < len) {
    cJSON_Delete(r);
    gk__set_err(err, GK_E_CORRUPT, "keypoint JSON has data after its end",
                off);
    if (err != NULL)
      gk__kp_line_col((const char *)buf, off, &err->line, &err->col);
    return GK_CORRUPT(GK_E_CORRUPT);
  }
  *root = r;
  return GK_OK;
}

static double num(const cJSON *v) { return v->valuedouble; }

/* Read n (x, y, c) triples from a JSON number array into p. */
static const char *triples(const cJSON *arr, size_t n, double *p) {
  double v[3];
  size_t i = 0, k = 0;
  const cJSON *e;
  cJSON_ArrayForEach(e, arr) {
    if (!cJSON_IsNumber(e)) return "keypoint array holds a non-number";
    v[k++] = num(e);
    if (k == 3) {
      if (i >= n) return "keypoint array is too long";
      const char *m = gk__kp_point(p + i * 3, v[0], v[1], v[2]);
      if (m != NULL) return m;
      i++;
      k = 0;
    }
  }
  return (i == n && k == 0) ? NULL : "keypoint array has the wrong length";
}

/* ---- OpenPose ----------------------------------------------------------- */

/* One OpenPose frame into s (a new frame). */
static gk_status op_frame(gk__kp_seq *s, const void *buf, size_t len,
                          gk_err *err) {
  cJSON *root;
  gk_status st = parse(buf, len, &root, err);
  if (st != GK_OK) return st;
  const char *msg = NULL;
  st = GK_E_CORRUPT;
  const cJSON *people = cJSON_GetObjectItemCaseSensitive(root, "people");
  if (!cJSON_IsObject(root) || !cJSON_IsArray(people)) {
    msg = "OpenPose JSON has no \"people\" list";
    goto done;
  }
  if ((st = gk__kp_seq_frame(s)) != GK_OK) {
    msg = "too many keypoint frames";
    goto done;
  }
  const cJSON *person;
  cJSON_ArrayForEach(person, people) {
    const cJSON *kp =
        cJSON_GetObjectItemCaseSensitive(person, "pose_keypoints_2d");
    st = GK_E_CORRUPT;
    if (!cJSON_IsObject(person) || !cJSON_IsArray(kp)) {
      msg = "OpenPose person has no \"pose_keypoints_2d\" list";
      goto done;
    }
    int n = cJSON_GetArraySize(kp);
    if (n == 0) continue; /* pose disabled for this person */
    gk_kp_model m = n == 75 ? GK_KP_BODY25 : n == 54 ? GK_KP_COCO18
                                                     : GK_KP_UNKNOWN;
    if (m == GK_KP_UNKNOWN) {
      st = GK_E_UNSUPPORTED;
      msg = "pose_keypoints_2d is neither BODY_25 (75) nor COCO-18 (54)";
      goto done;
    }
    if (s->model == GK_KP_UNKNOWN) {
      s->model = m;
      gk_kp_labels(m, &s->n_points);
    }
    if (s->model != m) {
      msg = "OpenPose frames mix BODY_25 and COCO-18";
      goto done;
    }
    double *p = gk__kp_seq_person(s, &st);
    if (p == NULL) {
      msg = st == GK_E_LIMIT ? "too many people in keypoint frames"
                             : "out of memory";
      goto done;
    }
    if ((msg = triples(kp, s->n_points, p)) != NULL) {
      st = GK_E_CORRUPT;
      goto done;
    }
  }
  st = GK_OK;
done:
  cJSON_Delete(root);
  if (st != GK_OK) return fail(err, st, msg, 0);
  return GK_OK;
}

static gk_status finish(gk__kp_seq *s, const gk_kp_options *opt,
                        const char *format, int normalised, gk_capture **out,
                        gk_err *err) {
  if (s->model == GK_KP_UNKNOWN) { /* only empty frames: BODY_25 */
    s->model = GK_KP_BODY25;
    gk_kp_labels(s->model, &s->n_points);
  }
  gk_status st = gk__kp_build(s, opt, format, normalised, out);
  gk__kp_seq_free(s);
  if (st != GK_OK)
    return fail(err, st, st == GK_E_NOMEM ? "out of memory"
                                          : "keypoint capture is too large",
                0);
  return GK_OK;
}

gk_status gk_openpose_read(const void *buf, size_t len,
                           const gk_kp_options *opt, gk_capture **out,
                           gk_err *err) {
  if (out == NULL) return fail(err, GK_E_ARG, "no output capture", 0);
  *out = NULL;
  gk__kp_seq s;
  gk__kp_seq_init(&s, GK_KP_UNKNOWN);
  gk_status st = op_frame(&s, buf, len, err);
  if (st != GK_OK) {
    gk__kp_seq_free(&s);
    return st;
  }
  return finish(&s, opt, "OPENPOS", 0, out, err);
}

/* Natural order: digit runs compare as numbers. */
static int natcmp(const char *a, const char *b) {
  while (*a && *b) {
    if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
      while (*a == '0') a++;
      while (*b == '0') b++;
      size_t la = 0, lb = 0;
      while (a[la] >= '0' && a[la] <= '9') la++;
      while (b[lb] >= '0' && b[lb] <= '9') lb++;
      if (la != lb) return la < lb ? -1 : 1;
      int c = memcmp(a, b, la);
      if (c != 0) return c;
      a += la;
      b += lb;
      continue;
    }
    if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
    a++;
    b++;
  }
  return *a ? 1 : *b ? -1 : 0;
}

static int natcmp_q(const void *x, const void *y) {
  int c = natcmp(*(char *const *)x, *(char *const *)y);
  return c ? c : strcmp(*(char *const *)x, *(char *const *)y);
}

static int ends_with_json(const char *s) {
  size_t n = strlen(s);
  return n > 5 && strcmp(s + n - 5, ".json") == 0;
}

/* The last digit run of a name, or 0. */
static uint32_t last_number(const char *s) {
  const char *d = NULL;
  for (const char *p = s; *p; p++)
    if (*p >= '0' && *p <= '9' && (p == s || p[-1] < '0' || p[-1] > '9'))
      d = p;
  if (d == NULL) return 0;
  unsigned long long v = 0;
  while (*d >= '0' && *d <= '9' && v < UINT32_MAX)
    v = v * 10 + (unsigned)(*d++ - '0');
  return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static gk_status read_file(const char *path, char **buf, size_t *len,
                           gk_err *err) {
  *buf = NULL;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return fail(err, GK_E_IO, "cannot open a keypoint file", 0);
  char *b = (char *)malloc(GK_MAX_KP_INPUT < 65536 ? GK_MAX_KP_INPUT : 65536);
  size_t cap = 65536, n = 0;
  gk_status st = GK_OK;
  while (b != NULL) {
    if (n == cap) {
      if (cap > GK_MAX_KP_INPUT) {
        st = fail(err, GK_E_LIMIT, "keypoint JSON input is too large", 0);
        break;
      }
      char *nb = (char *)realloc(b, cap * 2);
      if (nb == NULL) break;
      b = nb;
      cap *= 2;
    }
    size_t r = fread(b + n, 1, cap - n, f);
    n += r;
    if (r == 0) {
      if (ferror(f)) st = fail(err, GK_E_IO, "cannot read a keypoint file", 0);
      fclose(f);
      f = NULL;
      if (st == GK_OK) {
        *buf = b;
        *len = n;
        return GK_OK;
      }
      break;
    }
  }
  if (f != NULL) fclose(f);
  free(b);
  return st != GK_OK ? st : fail(err, GK_E_NOMEM, "out of memory", 0);
}

gk_status gk_openpose_read_dir(const char *dir, double fps,
                               const gk_kp_options *opt, gk_capture **out,
                               gk_err *err) {
  return gk_openpose_read_dir_named(dir, fps, opt, out, err, NULL, 0);
}

gk_status gk_openpose_read_dir_named(const char *dir, double fps,
                                     const gk_kp_options *opt,
                                     gk_capture **out, gk_err *err,
                                     char *failed, size_t failed_size) {
  if (out != NULL) *out = NULL;
  if (failed != NULL && failed_size > 0) failed[0] = '\0';
  if (dir == NULL || out == NULL || isinf(fps) || fps < 0)
    return fail(err, GK_E_ARG, "bad directory, output or frame rate", 0);
  DIR *d = opendir(dir);
  if (d == NULL) return fail(err, GK_E_IO, "cannot open the directory", 0);
  char **names = NULL;
  size_t n = 0, capn = 0;
  gk_status st = GK_OK;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!ends_with_json(e->d_name)) continue;
    if (n >= GK_MAX_KP_FRAMES) {
      st = fail(err, GK_E_LIMIT, "too many keypoint files", 0);
      break;
    }
    if (n == capn) {
      size_t nc = capn ? capn * 2 : 128;
      char **nn = (char **)realloc(names, nc * sizeof *nn);
      if (nn == NULL) {
        st = fail(err, GK_E_NOMEM, "out of memory", 0);
        break;
      }
      names = nn;
      capn = nc;
    }
    size_t l = strlen(e->d_name);
    if ((names[n] = (char *)malloc(l + 1)) == NULL) {
      st = fail(err, GK_E_NOMEM, "out of memory", 0);
      break;
    }
    memcpy(names[n++], e->d_name, l + 1);
  }
  closedir(d);
  gk__kp_seq s;
  gk__kp_seq_init(&s, GK_KP_UNKNOWN);
  if (st == GK_OK && n > 1) qsort(names, n, sizeof *names, natcmp_q);
  size_t dl = strlen(dir);
  for (size_t i = 0; st == GK_OK && i < n; i++) {
    size_t nl = strlen(names[i]);
    char *path = (char *)malloc(dl + nl + 2);
    if (path == NULL) {
      st = fail(err, GK_E_NOMEM, "out of memory", 0);
      break;
    }
    memcpy(path, dir, dl);
    path[dl] = '/';
    memcpy(path + dl + 1, names[i], nl + 1);
    char *buf;
    size_t len = 0;
    st = read_file(path, &buf, &len, err);
    free(path);
    if (st == GK_OK) {
      gk_err e2;
      st = op_frame(&s, buf, len, &e2);
      free(buf);
      if (st != GK_OK && err != NULL) *err = e2;
    }
    if (st != GK_OK && failed != NULL && failed_size > 0)
      snprintf(failed, failed_size, "%s", names[i]);
  }
  uint32_t first = n ? last_number(names[0]) : 0;
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  if (st != GK_OK) {
    gk__kp_seq_free(&s);
    return st;
  }
  gk_kp_options o;
  if (opt != NULL) o = *opt;
  else memset(&o, 0, sizeof o);
  o.fps = fps;
  st = finish(&s, &o, "OPENPOS", 0, out, err);
  if (st == GK_OK) (*out)->first_frame = first;
  return st;
}

typedef struct named_frame {
  const char *name;
  const void *buf;
  size_t len;
} named_frame;

static int frame_cmp(const void *x, const void *y) {
  const named_frame *a = (const named_frame *)x, *b = (const named_frame *)y;
  int c = natcmp(a->name, b->name);
  return c ? c : strcmp(a->name, b->name);
}

gk_status gk_openpose_read_frames(size_t n, const char *const *names,
                                  const void *const *bufs, const size_t *lens,
                                  double fps, const gk_kp_options *opt,
                                  gk_capture **out, gk_err *err, char *failed,
                                  size_t failed_size) {
  if (out != NULL) *out = NULL;
  if (failed != NULL && failed_size > 0) failed[0] = '\0';
  if (out == NULL || (n > 0 && (names == NULL || bufs == NULL ||
                                lens == NULL)) ||
      isinf(fps) || fps < 0)
    return fail(err, GK_E_ARG, "bad frames, output or frame rate", 0);
  named_frame *f = (named_frame *)calloc(n ? n : 1, sizeof *f);
  if (f == NULL) return fail(err, GK_E_NOMEM, "out of memory", 0);
  size_t m = 0;
  gk_status st = GK_OK;
  for (size_t i = 0; i < n; i++) {
    if (names[i] == NULL || !ends_with_json(names[i])) continue;
    if (m >= GK_MAX_KP_FRAMES) {
      st = fail(err, GK_E_LIMIT, "too many keypoint files", 0);
      break;
    }
    f[m].name = names[i];
    f[m].buf = bufs[i];
    f[m++].len = lens[i];
  }
  if (st == GK_OK && m == 0)
    st = fail(err, GK_E_NOT_FOUND, "no OpenPose .json file in it", 0);
  if (st == GK_OK && m > 1) qsort(f, m, sizeof *f, frame_cmp);
  gk__kp_seq s;
  gk__kp_seq_init(&s, GK_KP_UNKNOWN);
  for (size_t i = 0; st == GK_OK && i < m; i++) {
    if (f[i].len > GK_MAX_KP_INPUT) {
      st = fail(err, GK_E_LIMIT, "keypoint JSON input is too large", 0);
    } else {
      gk_err e2;
      memset(&e2, 0, sizeof e2);
      st = op_frame(&s, f[i].buf, f[i].len, &e2);
      if (st != GK_OK && err != NULL) *err = e2;
    }
    if (st != GK_OK && failed != NULL && failed_size > 0)
      snprintf(failed, failed_size, "%s", f[i].name);
  }
  uint32_t first = m ? last_number(f[0].name) : 0;
  free(f);
  if (st != GK_OK) {
    gk__kp_seq_free(&s);
    return st;
  }
  gk_kp_options o;
  if (opt != NULL) o = *opt;
  else memset(&o, 0, sizeof o);
  o.fps = fps;
  st = finish(&s, &o, "OPENPOS", 0, out, err);
  if (st == GK_OK) (*out)->first_frame = first;
  return st;
}

/* ---- MediaPipe JSON ----------------------------------------------------- */

static double member(const cJSON *o, const char *name, int required,
                     const char **msg) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  if (v == NULL) {
    if (required) *msg = "MediaPipe landmark lacks x or y";
    return NAN;
  }
  if (!cJSON_IsNumber(v)) {
    *msg = "MediaPipe landmark member is not a number";
    return NAN;
  }
  return num(v);
}

gk_status gk_mediapipe_read_json(const void *buf, size_t len,
                                 const gk_kp_options *opt, gk_capture **out,
                                 gk_err *err) {
  if (out == NULL) return fail(err, GK_E_ARG, "no output capture", 0);
  *out = NULL;
  cJSON *root;
  gk_status st = parse(buf, len, &root, err);
  if (st != GK_OK) return st;
  gk__kp_seq s;
  gk__kp_seq_init(&s, GK_KP_MEDIAPIPE33);
  const char *msg = NULL;
  st = GK_E_CORRUPT;
  int scale = opt != NULL && opt->image_width > 0 && opt->image_height > 0 &&
              isfinite(opt->image_width) && isfinite(opt->image_height);
  if (!cJSON_IsArray(root)) {
    msg = "MediaPipe JSON is not a list of frames";
    goto done;
  }
  const cJSON *frame;
  cJSON_ArrayForEach(frame, root) {
    if (!cJSON_IsArray(frame)) {
      msg = "MediaPipe frame is not a list of landmarks";
      goto done;
    }
    if ((st = gk__kp_seq_frame(&s)) != GK_OK) {
      msg = "too many keypoint frames";
      goto done;
    }
    st = GK_E_CORRUPT;
    int k = cJSON_GetArraySize(frame);
    if (k == 0) continue;
    if (k != 33) {
      msg = "MediaPipe frame does not hold 33 landmarks";
      goto done;
    }
    double *p = gk__kp_seq_person(&s, &st);
    if (p == NULL) {
      msg = "too many keypoint detections";
      goto done;
    }
    st = GK_E_CORRUPT;
    const cJSON *lm;
    size_t i = 0;
    cJSON_ArrayForEach(lm, frame) {
      if (!cJSON_IsObject(lm)) {
        msg = "MediaPipe landmark is not an object";
        goto done;
      }
      double x = member(lm, "x", 1, &msg), y = member(lm, "y", 1, &msg);
      (void)member(lm, "z", 0, &msg);
      double v = member(lm, "visibility", 0, &msg);
      if (msg != NULL) goto done;
      if (scale) {
        x *= opt->image_width;
        y *= opt->image_height;
      }
      if ((msg = gk__kp_point(p + i * 3, x, y, v)) != NULL) goto done;
      i++;
    }
  }
  st = GK_OK;
done:
  cJSON_Delete(root);
  if (st != GK_OK) {
    gk__kp_seq_free(&s);
    return fail(err, st, msg, 0);
  }
  return finish(&s, opt, "MPJSON", !scale, out, err);
}

/* ---- COCO-17 JSON ------------------------------------------------------- */

typedef struct det {
  long long id;
  size_t idx;
  const cJSON *kp;
} det;

static int det_cmp(const void *a, const void *b) {
  const det *x = (const det *)a, *y = (const det *)b;
  if (x->id != y->id) return x->id < y->id ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

gk_status gk_coco_read_json(const void *buf, size_t len,
                            const gk_kp_options *opt, gk_capture **out,
                            gk_err *err) {
  if (out == NULL) return fail(err, GK_E_ARG, "no output capture", 0);
  *out = NULL;
  cJSON *root;
  gk_status st = parse(buf, len, &root, err);
  if (st != GK_OK) return st;
  gk__kp_seq s;
  gk__kp_seq_init(&s, GK_KP_COCO17);
  const char *msg = NULL;
  det *dets = NULL;
  size_t k = 0;
  long long first_id = 0;
  st = GK_E_CORRUPT;
  if (!cJSON_IsArray(root)) {
    msg = "COCO JSON is not a list of detections";
    goto done;
  }
  int nd = cJSON_GetArraySize(root);
  if (nd < 0 || (size_t)nd > GK_MAX_KP_DETECTIONS) {
    st = GK_E_LIMIT;
    msg = "too many keypoint detections";
    goto done;
  }
  dets = (det *)malloc((size_t)(nd ? nd : 1) * sizeof *dets);
  if (dets == NULL) {
    st = GK_E_NOMEM;
    msg = "out of memory";
    goto done;
  }
  const cJSON *o;
  cJSON_ArrayForEach(o, root) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "image_id");
    const cJSON *kp = cJSON_GetObjectItemCaseSensitive(o, "keypoints");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(o, "score");
    if (!cJSON_IsObject(o) || !cJSON_IsNumber(id) || !cJSON_IsArray(kp)) {
      msg = "COCO detection lacks a numeric image_id or a keypoints list";
      goto done;
    }
    if (sc != NULL && !cJSON_IsNumber(sc)) {
      msg = "COCO detection score is not a number";
      goto done;
    }
    double v = num(id);
    if (!(v >= 0 && v < (double)GK_MAX_KP_FRAMES * 4096.0) || v != floor(v)) {
      msg = "COCO image_id is not an integer >= 0";
      goto done;
    }
    dets[k].id = (long long)v;
    dets[k].idx = k;
    dets[k].kp = kp;
    k++;
  }
  if (k > 1) qsort(dets, k, sizeof *dets, det_cmp);
  if (k > 0 && (unsigned long long)(dets[k - 1].id - dets[0].id) >=
                   GK_MAX_KP_FRAMES) {
    st = GK_E_LIMIT;
    msg = "COCO image_ids span too many frames";
    goto done;
  }
  first_id = k ? dets[0].id : 0;
  long long cur = first_id - 1;
  for (size_t i = 0; i < k; i++) {
    if (dets[i].id - cur > (long long)GK_MAX_KP_GAP + 1) {
      st = GK_E_LIMIT;
      msg = "COCO image_ids skip too many frames";
      goto done;
    }
    while (cur < dets[i].id) {
      if ((st = gk__kp_seq_frame(&s)) != GK_OK) {
        msg = "too many keypoint frames";
        goto done;
      }
      cur++;
    }
    double *p = gk__kp_seq_person(&s, &st);
    if (p == NULL) {
      msg = st == GK_E_LIMIT ? "too many people in keypoint frames"
                             : "out of memory";
      goto done;
    }
    st = GK_E_CORRUPT;
    if ((msg = triples(dets[i].kp, 17, p)) != NULL) goto done;
  }
  st = GK_OK;
done:
  free(dets);
  cJSON_Delete(root);
  if (st != GK_OK) {
    gk__kp_seq_free(&s);
    return fail(err, st, msg, 0);
  }
  gk_status r = finish(&s, opt, "COCOJS", 0, out, err);
  if (r == GK_OK)
    (*out)->first_frame =
        (uint32_t)(first_id > (long long)UINT32_MAX ? UINT32_MAX : first_id);
  return r;
}
