/*
** trc.c -- the TRC marker text format (OpenSim, Sports2D, Cortex).
**
**   PathFileType  4  (X/Y/Z)  name.trc
**   DataRate  CameraRate  NumFrames  NumMarkers  Units  OrigDataRate ...
**   150       150         150        48          mm     150 ...
**   Frame#  Time  R.ASIS      L.ASIS ...
**                 X1 Y1 Z1    X2 Y2 Z2 ...
**   1       0.000 x  y  z     x  y  z ...
**
** Cells are separated by tabs; an empty cell is a gap (NaN, and the whole
** point is a gap when any of its three cells is).  Errors give the line
** and the column (1-based, in bytes).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"
#include "gaitkeeper/capture.h"

#define TRC_MAX_CELL 64u
#define TRC_MAX_HEADER_CELLS 64u

typedef struct line {
  const char *s;
  size_t n;      /* without the end of line */
  size_t offset; /* of the line's first byte */
  uint32_t no;   /* 1-based */
} line;

typedef struct lines {
  const char *buf;
  size_t len, pos;
  uint32_t no;
} lines;

/* The next line; 0 at the end of input; -1 when it is too long. */
static int next_line(lines *L, line *out) {
  if (L->pos >= L->len) return 0;
  const char *s = L->buf + L->pos;
  const char *nl = (const char *)memchr(s, '\n', L->len - L->pos);
  size_t n = nl ? (size_t)(nl - s) : L->len - L->pos;
  out->s = s;
  out->offset = L->pos;
  out->no = ++L->no;
  L->pos += n + (nl ? 1 : 0);
  if (n > 0 && s[n - 1] == '\r') n--;
  out->n = n;
  return n > GK_MAX_TRC_LINE ? -1 : 1;
}

static int blank(const line *l) {
  for (size_t i = 0; i < l->n; i++)
    if (l->s[i] != ' ' && l->s[i] != '\t') return 0;
  return 1;
}

/* Cell i of a line (tab separated): start and length; 0 when absent. */
typedef struct cell {
  const char *s;
  size_t n;
  size_t col; /* 1-based */
} cell;

/* Split l into at most max cells; returns the number of cells. */
static size_t split(const line *l, cell *cells, size_t max) {
  size_t k = 0, start = 0;
  for (size_t i = 0; i <= l->n; i++) {
    if (i == l->n || l->s[i] == '\t') {
      if (k < max) {
        cells[k].s = l->s + start;
        cells[k].n = i - start;
        cells[k].col = start + 1;
      }
      k++;
      start = i + 1;
    }
  }
  return k;
}

static void trim(const char **s, size_t *n) {
  while (*n > 0 && (**s == ' ')) (*s)++, (*n)--;
  while (*n > 0 && ((*s)[*n - 1] == ' ')) (*n)--;
}

/* Parse a number cell: 1 ok (*v set; NaN for empty), 0 not a number. */
static int parse_num(const char *s, size_t n, double *v) {
  trim(&s, &n);
  if (n == 0) {
    *v = NAN;
    return 1;
  }
  if (n >= TRC_MAX_CELL) return 0;
  char tmp[TRC_MAX_CELL];
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  char *end;
  double d = strtod(tmp, &end);
  if (end != tmp + n) return 0;
  *v = isfinite(d) ? d : NAN;
  return 1;
}

static gk_status fail_at(gk_err *err, gk_status code, const char *msg,
                         size_t offset, uint32_t ln, size_t col) {
  gk__set_err(err, code, msg, offset);
  if (err != NULL) {
    err->line = ln;
    err->col = (uint32_t)(col > UINT32_MAX ? UINT32_MAX : col);
  }
  return GK_CORRUPT(code);
}

static int cell_is(const cell *c, const char *lit) {
  const char *s = c->s;
  size_t n = c->n;
  trim(&s, &n);
  return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static gk_status read_all(const char *buf, size_t len, gk_capture *cap,
                          gk_err *err) {
  lines L = {buf, len, 0, 0};
  line l1, l2, l3, l4, l5;
  int r;
#define GET(l, what)                                                        \
  do {                                                                      \
    r = next_line(&L, &(l));                                                \
    if (r == 0)                                                             \
      return fail_at(err, GK_E_TRUNCATED, "TRC file ends before its " what, \
                     len, L.no + 1, 1);                                     \
    if (r < 0)                                                              \
      return fail_at(err, GK_E_LIMIT, "TRC line is too long", (l).offset,   \
                     (l).no, 1);                                            \
  } while (0)
  GET(l1, "header");
  if (l1.n < 12 || memcmp(l1.s, "PathFileType", 12) != 0)
    return fail_at(err, GK_E_CORRUPT,
                   "not a TRC file (line 1 does not start with PathFileType)",
                   0, 1, 1);
  GET(l2, "header");
  GET(l3, "header");
  GET(l4, "marker names");
  GET(l5, "coordinate names");
#undef GET

  cell keys[TRC_MAX_HEADER_CELLS], vals[TRC_MAX_HEADER_CELLS];
  size_t nk = split(&l2, keys, TRC_MAX_HEADER_CELLS);
  size_t nvl = split(&l3, vals, TRC_MAX_HEADER_CELLS);
  if (nk > TRC_MAX_HEADER_CELLS) nk = TRC_MAX_HEADER_CELLS;
  if (nvl > TRC_MAX_HEADER_CELLS) nvl = TRC_MAX_HEADER_CELLS;
  double rate = NAN, cam_rate = NAN, n_markers_d = NAN;
  const char *units = NULL;
  size_t units_n = 0;
  for (size_t i = 0; i < nk && i < nvl; i++) {
    double v;
    int isnum = parse_num(vals[i].s, vals[i].n, &v);
    if (cell_is(&keys[i], "DataRate") || cell_is(&keys[i], "CameraRate") ||
        cell_is(&keys[i], "NumMarkers")) {
      if (!isnum)
        return fail_at(err, GK_E_CORRUPT, "TRC header value is not a number",
                       l3.offset + vals[i].col - 1, l3.no, vals[i].col);
      if (cell_is(&keys[i], "DataRate")) rate = v;
      else if (cell_is(&keys[i], "CameraRate")) cam_rate = v;
      else n_markers_d = v;
    } else if (cell_is(&keys[i], "Units")) {
      units = vals[i].s;
      units_n = vals[i].n;
      trim(&units, &units_n);
    }
  }
  if (isnan(rate)) rate = cam_rate;
  if (!(rate > 0 && rate <= 1e6))
    return fail_at(err, GK_E_CORRUPT, "TRC DataRate is missing or not positive",
                   l3.offset, l3.no, 1);

  double ufac = 1.0;
  if (units == NULL || units_n == 0 || (units_n == 2 && !memcmp(units, "mm", 2))) {
    memcpy(cap->source.units, "mm", 3);
  } else if (units_n == 1 && units[0] == 'm') {
    ufac = 1000.0;
    memcpy(cap->source.units, "m", 2);
  } else if (units_n == 2 && !memcmp(units, "cm", 2)) {
    ufac = 10.0;
    memcpy(cap->source.units, "cm", 3);
  } else {
    return fail_at(err, GK_E_UNSUPPORTED, "TRC Units are not mm, cm or m",
                   l3.offset, l3.no, 1);
  }

  /* marker names: cells 2, 5, 8, ... of line 4 */
  size_t n4 = split(&l4, NULL, 0);
  size_t named = n4 > 2 ? (n4 - 2 + 2) / 3 : 0;
  size_t n_markers = named;
  if (!isnan(n_markers_d)) {
    if (!(n_markers_d >= 0 && n_markers_d <= GK_MAX_C3D_POINTS) ||
        n_markers_d != floor(n_markers_d))
      return fail_at(err, GK_E_LIMIT, "TRC NumMarkers is out of range",
                     l3.offset, l3.no, 1);
    n_markers = (size_t)n_markers_d;
  }
  if (n_markers > GK_MAX_C3D_POINTS)
    return fail_at(err, GK_E_LIMIT, "TRC file has too many markers", l4.offset,
                   l4.no, 1);
  cap->n_points = n_markers;
  cap->point_labels =
      (char **)gk__capture_alloc(cap, (n_markers ? n_markers : 1) * sizeof(char *));
  if (cap->point_labels == NULL) return GK_E_NOMEM;
  {
    size_t k = 0, start = 0, idx = 0;
    for (size_t i = 0; i <= l4.n; i++) {
      if (i == l4.n || l4.s[i] == '\t') {
        if (idx >= 2 && (idx - 2) % 3 == 0) {
          k = (idx - 2) / 3;
          if (k < n_markers) {
            const char *s = l4.s + start;
            size_t n = i - start;
            trim(&s, &n);
            cap->point_labels[k] = gk__capture_label(cap, s, n);
            if (cap->point_labels[k] == NULL) return GK_E_NOMEM;
          }
        }
        idx++;
        start = i + 1;
      }
    }
    for (k = 0; k < n_markers; k++)
      if (cap->point_labels[k] == NULL) {
        cap->point_labels[k] = gk__capture_label(cap, "", 0);
        if (cap->point_labels[k] == NULL) return GK_E_NOMEM;
      }
  }

  /* count the rows */
  size_t data_pos = L.pos;
  uint32_t data_no = L.no;
  size_t rows = 0;
  line l;
  while ((r = next_line(&L, &l)) != 0) {
    if (r < 0)
      return fail_at(err, GK_E_LIMIT, "TRC line is too long", l.offset, l.no,
                     1);
    if (!blank(&l)) rows++;
    if (rows > GK_MAX_C3D_FRAMES)
      return fail_at(err, GK_E_LIMIT, "TRC file has too many frames", l.offset,
                     l.no, 1);
  }
  size_t nv;
  if (!gk__mul_ok(rows, n_markers, &nv) || !gk__mul_ok(nv, 3, &nv) ||
      nv > GK_MAX_CAPTURE_VALUES)
    return fail_at(err, GK_E_LIMIT, "TRC file has too many values", 0, 1, 1);
  cap->xyz = gk__capture_nan_array(cap, nv);
  cap->residual = gk__capture_nan_array(cap, rows * n_markers);
  if (cap->xyz == NULL || cap->residual == NULL) return GK_E_NOMEM;
  cap->n_frames = rows;
  cap->frame_rate_hz = rate;
  cap->kind = GK_CAPTURE_3D;
  cap->view = GK_VIEW_3D;
  cap->first_frame = 1;
  memcpy(cap->source.format, "TRC", 4);

  L.pos = data_pos;
  L.no = data_no;
  size_t f = 0;
  while ((r = next_line(&L, &l)) > 0) {
    if (blank(&l)) continue;
    size_t idx = 0, start = 0;
    double *row = cap->xyz + f * n_markers * 3;
    for (size_t i = 0; i <= l.n; i++) {
      if (i != l.n && l.s[i] != '\t') continue;
      const char *s = l.s + start;
      size_t n = i - start;
      double v;
      if (!parse_num(s, n, &v))
        return fail_at(err, GK_E_CORRUPT, "TRC cell is not a number",
                       l.offset + start, l.no, start + 1);
      if (idx == 0) {
        if (f == 0 && v >= 1 && v < 4294967296.0) cap->first_frame = (uint32_t)v;
      } else if (idx >= 2) {
        size_t j = idx - 2;
        if (j < n_markers * 3) {
          row[j] = v * ufac;
        } else if (!isnan(v)) {
          return fail_at(err, GK_E_CORRUPT,
                         "TRC row has more values than markers",
                         l.offset + start, l.no, start + 1);
        }
      }
      idx++;
      start = i + 1;
    }
    /* a point with any axis missing is a gap */
    for (size_t k = 0; k < n_markers; k++) {
      double *pt = row + 3 * k;
      if (isnan(pt[0]) || isnan(pt[1]) || isnan(pt[2]))
        pt[0] = pt[1] = pt[2] = NAN;
    }
    f++;
  }
  return GK_OK;
}

gk_status gk_trc_read(const void *buf, size_t len, unsigned options,
                      gk_capture **out, gk_err *err) {
  (void)options;
  if (err != NULL) memset(err, 0, sizeof *err);
  if (out == NULL || (buf == NULL && len > 0)) {
    gk__set_err(err, GK_E_ARG, "invalid argument", 0);
    return GK_E_ARG;
  }
  *out = NULL;
  gk_capture *cap = gk__capture_new();
  if (cap == NULL) {
    gk__set_err(err, GK_E_NOMEM, "out of memory", 0);
    return GK_E_NOMEM;
  }
  gk_status st = read_all((const char *)buf, len, cap, err);
  if (st == GK_E_NOMEM && err != NULL && err->msg == NULL)
    gk__set_err(err, GK_E_NOMEM, "out of memory", 0);
  if (st != GK_OK) {
    gk_capture_free(cap);
    return st;
  }
  *out = cap;
  return GK_OK;
}
