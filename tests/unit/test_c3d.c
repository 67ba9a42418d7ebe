/*
** test_c3d.c -- the C3D and TRC readers on files built in memory: Intel
** integer and float, DEC float, MIPS big-endian; gaps; analog with a
** negative scale; broken parameter chains; every truncation; TRC gaps,
** units and malformed rows.
**
** With an argument DIR, also writes the fuzz seeds (y_*, n_*) into DIR/c3d
** and DIR/trc.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/c3d/c3d_internal.h"
#include "gaitkeeper/capture.h"
#include "test.h"

/* ---- a small C3D writer ------------------------------------------------- */

typedef struct spec {
  int proc;     /* GK__C3D_INTEL, _DEC, _MIPS */
  int is_float;
  int units_m;  /* POINT:UNITS "m" */
  int n_points; /* 0..4 */
  int n_frames;
  int n_analog; /* 0..2 */
  int spf;      /* analog samples per frame */
  int chain;    /* 0 good, 1 loops back, 2 points outside */
  int plate;    /* write FORCE_PLATFORM */
} spec;

typedef struct wbuf {
  uint8_t b[4096];
  size_t n;
  int proc;
} wbuf;

static void w16(wbuf *w, size_t at, unsigned v) {
  if (w->proc == GK__C3D_MIPS) {
    w->b[at] = (uint8_t)(v >> 8);
    w->b[at + 1] = (uint8_t)v;
  } else {
    w->b[at] = (uint8_t)v;
    w->b[at + 1] = (uint8_t)(v >> 8);
  }
}

static void wf(wbuf *w, size_t at, double d) {
  float f = (float)d;
  uint32_t u;
  if (w->proc == GK__C3D_DEC) {
    f = (float)(d * 4.0);
    memcpy(&u, &f, 4);
    if (d == 0) u = 0;
    w->b[at] = (uint8_t)(u >> 16);
    w->b[at + 1] = (uint8_t)(u >> 24);
    w->b[at + 2] = (uint8_t)u;
    w->b[at + 3] = (uint8_t)(u >> 8);
    return;
  }
  memcpy(&u, &f, 4);
  if (w->proc == GK__C3D_MIPS) {
    w->b[at] = (uint8_t)(u >> 24);
    w->b[at + 1] = (uint8_t)(u >> 16);
    w->b[at + 2] = (uint8_t)(u >> 8);
    w->b[at + 3] = (uint8_t)u;
  } else {
    w->b[at] = (uint8_t)u;
    w->b[at + 1] = (uint8_t)(u >> 8);
    w->b[at + 2] = (uint8_t)(u >> 16);
    w->b[at + 3] = (uint8_t)(u >> 24);
  }
}

/* Parameter entries; each remembers where its "next" word is. */
typedef struct pw {
  wbuf *w;
  size_t pos;
  size_t last_word; /* 0 when none yet */
} pw;

static size_t entry_start(pw *p, int nl, int gid, const char *name) {
  size_t e = p->pos, n = strlen(name);
  (void)nl;
  if (p->last_word) w16(p->w, p->last_word, (unsigned)(e - p->last_word));
  p->w->b[e] = (uint8_t)(int8_t)nl;
  p->w->b[e + 1] = (uint8_t)(int8_t)gid;
  memcpy(p->w->b + e + 2, name, n);
  p->last_word = e + 2 + n;
  w16(p->w, p->last_word, 0);
  return e + 2 + n + 2;
}

static void group(pw *p, int id, const char *name) {
  size_t q = entry_start(p, (int)strlen(name), -id, name);
  p->w->b[q] = 0; /* description */
  p->pos = q + 1;
}

/* type -1/1/2/4; data: n elements as numbers (or text for -1). */
static void param(pw *p, int gid, const char *name, int type, int nd,
                  const int *dims, const double *num, const char *text) {
  size_t q = entry_start(p, -(int)strlen(name), gid, name); /* locked */
  wbuf *w = p->w;
  w->b[q] = (uint8_t)(int8_t)type;
  w->b[q + 1] = (uint8_t)nd;
  q += 2;
  size_t n = 1;
  for (int d = 0; d < nd; d++) {
    w->b[q++] = (uint8_t)dims[d];
    n *= (size_t)dims[d];
  }
  for (size_t i = 0; i < n; i++) {
    if (type == -1) w->b[q++] = (uint8_t)text[i];
    else if (type == 1) w->b[q++] = (uint8_t)num[i];
    else if (type == 2) {
      w16(w, q, (unsigned)(int)num[i]);
      q += 2;
    } else {
      wf(w, q, num[i]);
      q += 4;
    }
  }
  w->b[q++] = 0; /* description */
  p->pos = q;
}

static double pval(int f, int k, int a) { return 100.0 * k + 10.0 * f + a + 1; }
static double araw(int f, int k, int s) { return 10.0 * k + 2.0 * f + s - 5; }
static const double ascale[2] = {2.0, -0.5};
static const double aoff[2] = {3, 0};
#define GEN 1.5

static size_t build(const spec *sp, wbuf *w) {
  memset(w, 0, sizeof *w);
  w->proc = sp->proc;
  double scale = sp->units_m ? 0.0005 : 0.5;
  if (sp->is_float) scale = -scale;
  int na = sp->n_analog * sp->spf;
  w->b[0] = 2;
  w->b[1] = 0x50;
  w16(w, 2, (unsigned)sp->n_points);
  w16(w, 4, (unsigned)na);
  w16(w, 6, 1);
  w16(w, 8, (unsigned)sp->n_frames);
  wf(w, 12, scale);
  w16(w, 16, 3);
  w16(w, 18, (unsigned)sp->spf);
  wf(w, 20, 100.0);
  /* parameter section: block 2 */
  w->b[512] = 1;
  w->b[513] = 0x50;
  w->b[514] = 1;
  w->b[515] = (uint8_t)(83 + sp->proc);
  pw p = {w, 516, 0};
  double v;
  int dims[3];
  group(&p, 1, "POINT");
  v = sp->n_points;
  param(&p, 1, "USED", 2, 0, NULL, &v, NULL);
  v = scale;
  param(&p, 1, "SCALE", 4, 0, NULL, &v, NULL);
  v = 100;
  param(&p, 1, "RATE", 4, 0, NULL, &v, NULL);
  dims[0] = sp->units_m ? 1 : 2;
  param(&p, 1, "UNITS", -1, 1, dims, NULL, sp->units_m ? "m" : "mm");
  size_t chain_word = p.last_word;
  dims[0] = 6; /* trailing spaces are trimmed */
  dims[1] = sp->n_points;
  param(&p, 1, "LABELS", -1, 2, dims, NULL, "LKNE  RKNE  ");
  group(&p, 2, "ANALOG");
  if (sp->n_analog) {
    v = sp->n_analog;
    param(&p, 2, "USED", 2, 0, NULL, &v, NULL);
    dims[0] = 3;
    dims[1] = sp->n_analog;
    param(&p, 2, "LABELS", -1, 2, dims, NULL, "FZ MX ");
    param(&p, 2, "UNITS", -1, 2, dims, NULL, "N  Nm ");
    dims[0] = sp->n_analog;
    param(&p, 2, "SCALE", 4, 1, dims, ascale, NULL);
    param(&p, 2, "OFFSET", 2, 1, dims, aoff, NULL);
    v = GEN;
    param(&p, 2, "GEN_SCALE", 4, 0, NULL, &v, NULL);
    v = 100.0 * sp->spf;
    param(&p, 2, "RATE", 4, 0, NULL, &v, NULL);
  }
  if (sp->plate) {
    group(&p, 3, "FORCE_PLATFORM");
    v = 1;
    param(&p, 3, "USED", 2, 0, NULL, &v, NULL);
    dims[0] = 1;
    v = 2;
    param(&p, 3, "TYPE", 2, 1, dims, &v, NULL);
    double ch[6] = {1, 2, 0, 0, 0, 0};
    dims[0] = 6;
    dims[1] = 1;
    param(&p, 3, "CHANNEL", 2, 2, dims, ch, NULL);
    double co[12] = {600, 400, 0, 0, 400, 0, 0, 0, 0, 600, 0, 0};
    dims[0] = 3;
    dims[1] = 4;
    dims[2] = 1;
    param(&p, 3, "CORNERS", 4, 3, dims, co, NULL);
    double og[3] = {1, -2, -40};
    dims[0] = 3;
    dims[1] = 1;
    param(&p, 3, "ORIGIN", 4, 2, dims, og, NULL);
  }
  if (p.pos > 1024) abort(); /* one parameter block */
  if (sp->chain == 1) w16(w, chain_word, (unsigned)(uint16_t)-20);
  if (sp->chain == 2) w16(w, chain_word, 3000);
  /* data: block 3 */
  size_t q = 1024;
  for (int f = 0; f < sp->n_frames; f++) {
    for (int k = 0; k < sp->n_points; k++) {
      int gap = (f == 1 && k == 1);
      for (int a = 0; a < 3; a++) {
        double mm = pval(f, k, a), stored = sp->units_m ? mm / 1000 : mm;
        if (sp->is_float) {
          wf(w, q, stored);
          q += 4;
        } else {
          w16(w, q, (unsigned)(int)lround(stored / fabs(scale)));
          q += 2;
        }
      }
      double res = gap ? -1 : (3 << 8) | 2; /* cameras 1+2, residual 2 */
      if (sp->is_float) {
        wf(w, q, res);
        q += 4;
      } else {
        w16(w, q, (unsigned)(int)res);
        q += 2;
      }
    }
    for (int s = 0; s < sp->spf; s++)
      for (int k = 0; k < sp->n_analog; k++) {
        if (sp->is_float) {
          wf(w, q, araw(f, k, s));
          q += 4;
        } else {
          w16(w, q, (unsigned)(int)araw(f, k, s));
          q += 2;
        }
      }
  }
  w->n = q;
  return q;
}

static spec base_spec(int proc, int is_float) {
  spec s = {proc, is_float, 0, 2, 3, 2, 2, 0, 1};
  return s;
}

static void check_capture(const spec *sp) {
  wbuf w;
  size_t n = build(sp, &w);
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_c3d_read(w.b, n, 0, &cap, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s at %llu\n", err.msg, (unsigned long long)err.offset);
    return;
  }
  CHECK_EQ_INT(cap->n_frames, sp->n_frames);
  CHECK_EQ_INT(cap->n_points, sp->n_points);
  CHECK_NEAR(cap->frame_rate_hz, 100, 1e-9);
  CHECK_EQ_INT(cap->source.float_data, sp->is_float);
  CHECK_STR(cap->point_labels[0], "LKNE");
  CHECK_STR(cap->point_labels[1], "RKNE");
  for (int f = 0; f < sp->n_frames; f++)
    for (int k = 0; k < sp->n_points; k++) {
      const double *pt = gk_capture_point(cap, (size_t)f, (size_t)k);
      double r = cap->residual[(size_t)f * cap->n_points + (size_t)k];
      if (f == 1 && k == 1) {
        CHECK_TRUE(isnan(pt[0]) && isnan(pt[1]) && isnan(pt[2]) && isnan(r));
        continue;
      }
      for (int a = 0; a < 3; a++) CHECK_NEAR(pt[a], pval(f, k, a), 1e-3);
      CHECK_NEAR(r, 1.0, 1e-6);
    }
  CHECK_EQ_INT(cap->n_analog, sp->n_analog);
  CHECK_EQ_INT(cap->n_analog_samples, (size_t)(sp->n_frames * sp->spf));
  if (sp->n_analog) CHECK_NEAR(cap->analog_rate_hz, 100.0 * sp->spf, 1e-9);
  else CHECK_TRUE(isnan(cap->analog_rate_hz));
  if (sp->n_analog == 2) {
    CHECK_STR(cap->analog_labels[0], "FZ");
    CHECK_STR(cap->analog_labels[1], "MX");
    CHECK_STR(cap->analog_units[0], "N");
    CHECK_STR(cap->analog_units[1], "Nmm"); /* converted from Nm */
    for (int f = 0; f < sp->n_frames; f++)
      for (int s = 0; s < sp->spf; s++)
        for (int k = 0; k < 2; k++) {
          double want = (araw(f, k, s) - aoff[k]) * ascale[k] * GEN;
          if (k == 1) want *= 1000.0;
          CHECK_NEAR(cap->analog[(size_t)(f * sp->spf + s) * 2 + (size_t)k],
                     want, 1e-6);
        }
  }
  if (sp->plate) {
    CHECK_EQ_INT(cap->n_plates, 1);
    CHECK_EQ_INT(cap->plates[0].type, 2);
    CHECK_EQ_INT(cap->plates[0].channel[0], 0);
    CHECK_EQ_INT(cap->plates[0].channel[1], 1);
    CHECK_EQ_INT(cap->plates[0].channel[2], -1);
    CHECK_NEAR(cap->plates[0].corners_mm[0][0], 600, 1e-9);
    CHECK_NEAR(cap->plates[0].corners_mm[1][1], 400, 1e-9);
    CHECK_NEAR(cap->plates[0].origin_mm[2], -40, 1e-9);
    if (sp->n_analog == 2)
      CHECK_NEAR(gk_capture_plate_value(cap, 0, 0, 1), cap->analog[2], 0);
  }
  gk_capture_free(cap);
}

static void test_intel_int(void) {
  spec s = base_spec(GK__C3D_INTEL, 0);
  check_capture(&s);
}
static void test_intel_float(void) {
  spec s = base_spec(GK__C3D_INTEL, 1);
  check_capture(&s);
}
static void test_dec_float(void) {
  spec s = base_spec(GK__C3D_DEC, 1);
  check_capture(&s);
  wbuf w;
  build(&s, &w);
  gk_capture *cap;
  ASSERT_EQ_INT(gk_c3d_read(w.b, w.n, 0, &cap, NULL), GK_OK);
  CHECK_STR(cap->source.processor, "dec");
  gk_capture_free(cap);
}
static void test_dec_int(void) {
  spec s = base_spec(GK__C3D_DEC, 0);
  check_capture(&s);
}
static void test_mips(void) {
  spec s = base_spec(GK__C3D_MIPS, 1);
  check_capture(&s);
  s.is_float = 0;
  check_capture(&s);
}
static void test_units_m(void) {
  spec s = base_spec(GK__C3D_INTEL, 1);
  s.units_m = 1;
  check_capture(&s);
  s.is_float = 0;
  check_capture(&s);
}
static void test_no_analog(void) {
  spec s = base_spec(GK__C3D_INTEL, 0);
  s.n_analog = 0;
  s.spf = 0;
  s.plate = 0;
  check_capture(&s);
}

static void test_dec_conversion(void) {
  /* DEC F 1.0 is 0x4080 0x0000 (words little-endian): bytes 80 40 00 00 */
  gk__c3d c = {NULL, 0, GK__C3D_DEC, NULL, 0};
  const uint8_t one[4] = {0x80, 0x40, 0, 0};
  const uint8_t m25[4] = {0x20, 0xC1, 0, 0}; /* -2.5 */
  CHECK_NEAR(gk__c3d_f32(&c, one), 1.0, 0);
  CHECK_NEAR(gk__c3d_f32(&c, m25), -2.5, 0);
}

static void test_chain_errors(void) {
  for (int mode = 1; mode <= 2; mode++) {
    spec s = base_spec(GK__C3D_INTEL, 0);
    s.chain = mode;
    wbuf w;
    build(&s, &w);
    gk_capture *cap = (gk_capture *)&w; /* must be reset to NULL */
    gk_err err;
    gk_status st = gk_c3d_read(w.b, w.n, 0, &cap, &err);
    CHECK_EQ_INT(st, GK_E_CORRUPT);
    CHECK_TRUE(cap == NULL);
    CHECK_TRUE(err.msg != NULL &&
               strstr(err.msg, mode == 1 ? "backwards" : "outside") != NULL);
    CHECK_TRUE(err.offset > 512 && err.offset < 1024);
  }
}

static void test_bad_header(void) {
  spec s = base_spec(GK__C3D_INTEL, 0);
  wbuf w;
  build(&s, &w);
  gk_capture *cap;
  gk_err err;
  w.b[515] = 99;
  CHECK_EQ_INT(gk_c3d_read(w.b, w.n, 0, &cap, &err), GK_E_UNSUPPORTED);
  CHECK_EQ_INT(err.offset, 515);
  w.b[515] = 84;
  w.b[1] = 0x51;
  CHECK_EQ_INT(gk_c3d_read(w.b, w.n, 0, &cap, &err), GK_E_CORRUPT);
  CHECK_EQ_INT(err.offset, 1);
  CHECK_EQ_INT(gk_c3d_read(NULL, 0, 0, &cap, &err), GK_E_TRUNCATED);
  CHECK_EQ_INT(gk_c3d_read(w.b, w.n, 0, NULL, &err), GK_E_ARG);
}

static void test_truncated_everywhere(void) {
  for (int fl = 0; fl <= 1; fl++) {
    spec s = base_spec(fl ? GK__C3D_MIPS : GK__C3D_INTEL, fl);
    wbuf w;
    size_t n = build(&s, &w);
    for (size_t cut = 0; cut < n; cut++) {
      uint8_t *copy = (uint8_t *)malloc(cut ? cut : 1);
      ASSERT_TRUE(copy != NULL);
      memcpy(copy, w.b, cut);
      gk_capture *cap = NULL;
      gk_err err;
      gk_status st = gk_c3d_read(copy, cut, 0, &cap, &err);
      free(copy);
      if (!CHECK_TRUE(st != GK_OK && cap == NULL && err.offset <= cut)) {
        fprintf(stderr, "  cut at %zu: status %d\n", cut, (int)st);
        gk_capture_free(cap);
        return;
      }
    }
  }
}

/* ---- TRC ---------------------------------------------------------------- */

static const char trc_good[] =
    "PathFileType\t4\t(X/Y/Z)\ttest.trc\r\n"
    "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\n"
    "60\t60\t3\t2\tm\t60\n"
    "Frame#\tTime\tR.Knee\t\t\tL Knee  \t\t\n"
    "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\n"
    "\n"
    "1\t0.000\t0.1\t0.2\t0.3\t1\t2\t3\n"
    "2\t0.017\t\t\t\t1.5\t2.5\t3.5\n"
    "3\t0.033\t0.1\t\t0.3\n";

static void test_trc(void) {
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_trc_read(trc_good, strlen(trc_good), 0, &cap, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s line %u col %u\n", err.msg, err.line, err.col);
    return;
  }
  CHECK_EQ_INT(cap->n_frames, 3);
  CHECK_EQ_INT(cap->n_points, 2);
  CHECK_NEAR(cap->frame_rate_hz, 60, 0);
  CHECK_STR(cap->source.format, "TRC");
  CHECK_STR(cap->source.units, "m");
  CHECK_STR(cap->point_labels[0], "R.Knee");
  CHECK_STR(cap->point_labels[1], "L Knee");
  CHECK_NEAR(gk_capture_point(cap, 0, 0)[1], 200, 1e-9);
  CHECK_NEAR(gk_capture_point(cap, 0, 1)[2], 3000, 1e-9);
  CHECK_TRUE(isnan(gk_capture_point(cap, 1, 0)[0]));
  CHECK_NEAR(gk_capture_point(cap, 1, 1)[0], 1500, 1e-9);
  /* a partly empty point is a gap, missing trailing cells too */
  CHECK_TRUE(isnan(gk_capture_point(cap, 2, 0)[0]));
  CHECK_TRUE(isnan(gk_capture_point(cap, 2, 1)[2]));
  CHECK_EQ_INT(gk_capture_find_point(cap, "L Knee"), 1);
  CHECK_EQ_INT(gk_capture_find_point(cap, "nope"), -1);
  gk_capture_free(cap);
}

static void trc_bad(const char *text, gk_status code, uint32_t line,
                    uint32_t col) {
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_trc_read(text, strlen(text), 0, &cap, &err);
  CHECK_EQ_INT(st, code);
  CHECK_TRUE(cap == NULL);
  CHECK_EQ_INT(err.line, line);
  if (col) CHECK_EQ_INT(err.col, col);
}

static void test_trc_errors(void) {
  const char *hdr =
      "PathFileType\t4\t(X/Y/Z)\tx.trc\n"
      "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\n"
      "100\t100\t1\t1\tmm\n"
      "Frame#\tTime\tA\n"
      "\t\tX1\tY1\tZ1\n";
  char buf[512];
  snprintf(buf, sizeof buf, "%s1\t0\t1\tx2\t3\n", hdr);
  trc_bad(buf, GK_E_CORRUPT, 6, 7);
  snprintf(buf, sizeof buf, "%s1\t0\t1\t2\t3\t4\n", hdr);
  trc_bad(buf, GK_E_CORRUPT, 6, 11);
  trc_bad("hello\n", GK_E_CORRUPT, 1, 1);
  trc_bad("PathFileType\t4\n", GK_E_TRUNCATED, 2, 1);
  trc_bad("PathFileType\nDataRate\tUnits\n0\tmm\nF\n\n", GK_E_CORRUPT, 3, 1);
  trc_bad("PathFileType\nDataRate\tUnits\n10\tinch\nF\n\n", GK_E_UNSUPPORTED,
          3, 1);
  trc_bad("PathFileType\nDataRate\tNumMarkers\n10\t99999\nF\n\n", GK_E_LIMIT,
          3, 1);
  /* every truncation of the good file: an error or a capture, no crash */
  size_t n = strlen(trc_good);
  for (size_t cut = 0; cut < n; cut++) {
    char *copy = (char *)malloc(cut ? cut : 1);
    ASSERT_TRUE(copy != NULL);
    memcpy(copy, trc_good, cut);
    gk_capture *cap = NULL;
    gk_status st = gk_trc_read(copy, cut, 0, &cap, NULL);
    CHECK_TRUE((st == GK_OK) == (cap != NULL));
    gk_capture_free(cap);
    free(copy);
  }
}

/* ---- seeds -------------------------------------------------------------- */

static void put(const char *dir, const char *name, const void *b, size_t n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL) return;
  fwrite(b, 1, n, f);
  fclose(f);
}

static void write_seeds(const char *dir) {
  char d[900];
  snprintf(d, sizeof d, "%s/c3d", dir);
  static const struct {
    const char *name;
    int proc, fl, m, chain, plate;
  } seeds[] = {
      {"y_intel_int.c3d", GK__C3D_INTEL, 0, 0, 0, 1},
      {"y_intel_float.c3d", GK__C3D_INTEL, 1, 0, 0, 1},
      {"y_dec_float.c3d", GK__C3D_DEC, 1, 0, 0, 1},
      {"y_mips_int_m.c3d", GK__C3D_MIPS, 0, 1, 0, 0},
      {"n_chain_loop.c3d", GK__C3D_INTEL, 0, 0, 1, 1},
      {"n_chain_outside.c3d", GK__C3D_MIPS, 1, 0, 2, 1},
  };
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    spec s = base_spec(seeds[i].proc, seeds[i].fl);
    s.units_m = seeds[i].m;
    s.chain = seeds[i].chain;
    s.plate = seeds[i].plate;
    wbuf w;
    build(&s, &w);
    put(d, seeds[i].name, w.b, w.n);
    if (i == 0) put(d, "n_truncated.c3d", w.b, w.n - 3);
  }
  snprintf(d, sizeof d, "%s/trc", dir);
  put(d, "y_gaps_m.trc", trc_good, strlen(trc_good));
  const char *bad =
      "PathFileType\t4\t(X/Y/Z)\tx.trc\n"
      "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\n"
      "100\t100\t1\t1\tmm\n"
      "Frame#\tTime\tA\n"
      "\t\tX1\tY1\tZ1\n"
      "1\t0\t1\tx2\t3\n";
  put(d, "n_bad_cell.trc", bad, strlen(bad));
}

int main(int argc, char **argv) {
  if (argc > 1) {
    write_seeds(argv[1]);
    return 0;
  }
  RUN(test_intel_int);
  RUN(test_intel_float);
  RUN(test_dec_float);
  RUN(test_dec_int);
  RUN(test_mips);
  RUN(test_units_m);
  RUN(test_no_analog);
  RUN(test_dec_conversion);
  RUN(test_chain_errors);
  RUN(test_bad_header);
  RUN(test_truncated_everywhere);
  RUN(test_trc);
  RUN(test_trc_errors);
  return TEST_SUMMARY();
}
