/*
** c3d.c -- the C3D reader: header, parameters (c3d_params.c), 3D point
** data in integer and float form, analog channels, force platforms.
**
** The parameter section's 4-byte header gives the processor type (84
** Intel, 85 DEC, 86 MIPS), which picks the readers for every 16-bit word
** and float of the file, the 512-byte header included.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "core/core_internal.h"
#include "formats/c3d/c3d_internal.h"
#include "gaitkeeper/capture.h"

#define C3D_BLOCK 512u

static gk_status fail(gk_err *err, gk_status code, const char *msg,
                      size_t off) {
  gk__set_err(err, code, msg, off);
  return GK_CORRUPT(code);
}

/* Value of a parameter's first element, or dflt. */
static double num_or(const gk__c3d *c, const char *g, const char *n,
                     double dflt) {
  double v = gk__c3d_num(c, gk__c3d_find(c, g, n), 0, 0);
  return isnan(v) ? dflt : v;
}

static int str_eq_trim(const char *s, size_t n, const char *lit) {
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\0')) n--;
  size_t m = strlen(lit);
  if (n != m) return 0;
  for (size_t i = 0; i < n; i++) {
    int x = (unsigned char)s[i], y = (unsigned char)lit[i];
    if (x >= 'a' && x <= 'z') x -= 32;
    if (y >= 'a' && y <= 'z') y -= 32;
    if (x != y) return 0;
  }
  return 1;
}

/* First string of GROUP:NAME, or NULL. */
static const char *str0(const gk__c3d *c, const char *g, const char *n,
                        size_t *len) {
  const char *s;
  if (!gk__c3d_str(gk__c3d_find(c, g, n), 0, &s, len)) return NULL;
  return s;
}

/* n labels from GROUP:BASE, BASE2, BASE3, ... ; missing ones are "". */
static gk_status read_labels(gk__c3d *c, gk_capture *cap, const char *group,
                             const char *base, size_t n, char ***out) {
  size_t bytes;
  if (!gk__mul_ok(n ? n : 1, sizeof(char *), &bytes)) return GK_E_NOMEM;
  char **labels = (char **)gk__capture_alloc(cap, bytes);
  if (labels == NULL) return GK_E_NOMEM;
  size_t k = 0;
  for (unsigned part = 1; k < n && part < 100; part++) {
    char name[32];
    size_t bl = strlen(base);
    if (bl > 20) break;
    memcpy(name, base, bl);
    if (part == 1) {
      name[bl] = '\0';
    } else if (part < 10) {
      name[bl] = (char)('0' + part);
      name[bl + 1] = '\0';
    } else {
      name[bl] = (char)('0' + part / 10);
      name[bl + 1] = (char)('0' + part % 10);
      name[bl + 2] = '\0';
    }
    const gk__c3d_param *p = gk__c3d_find(c, group, name);
    if (p == NULL) break;
    size_t m = gk__c3d_n_str(p);
    for (size_t i = 0; i < m && k < n; i++) {
      const char *s;
      size_t sl;
      gk__c3d_str(p, i, &s, &sl);
      labels[k] = gk__capture_label(cap, s, sl);
      if (labels[k] == NULL) return GK_E_NOMEM;
      k++;
    }
  }
  for (; k < n; k++) {
    labels[k] = gk__capture_label(cap, "", 0);
    if (labels[k] == NULL) return GK_E_NOMEM;
  }
  *out = labels;
  return GK_OK;
}

/* Finite value or NaN. */
static double fin(double v) { return isfinite(v) ? v : NAN; }

static gk_status read_plates(gk__c3d *c, gk_capture *cap) {
  double used = num_or(c, "FORCE_PLATFORM", "USED", 0);
  if (!(used >= 1)) return GK_OK;
  size_t n = used > GK_MAX_C3D_PLATES ? GK_MAX_C3D_PLATES : (size_t)used;
  cap->plates =
      (gk_force_plate *)gk__capture_alloc(cap, n * sizeof(gk_force_plate));
  if (cap->plates == NULL) return GK_E_NOMEM;
  cap->n_plates = n;
  const gk__c3d_param *type = gk__c3d_find(c, "FORCE_PLATFORM", "TYPE");
  const gk__c3d_param *corners = gk__c3d_find(c, "FORCE_PLATFORM", "CORNERS");
  const gk__c3d_param *origin = gk__c3d_find(c, "FORCE_PLATFORM", "ORIGIN");
  const gk__c3d_param *chan = gk__c3d_find(c, "FORCE_PLATFORM", "CHANNEL");
  const gk__c3d_param *calm = gk__c3d_find(c, "FORCE_PLATFORM", "CAL_MATRIX");
  size_t ncal = 0;
  if (calm != NULL && calm->type == 4 && calm->n_dims >= 2 &&
      calm->dims[0] == calm->dims[1] && calm->dims[0] <= GK_PLATE_MAX_CHANNELS)
    ncal = calm->dims[0];
  size_t per = 0;
  if (chan != NULL && chan->n_dims >= 1) per = chan->dims[0];
  if (chan != NULL && chan->n_dims == 0) per = 1;
  if (per > GK_PLATE_MAX_CHANNELS) per = GK_PLATE_MAX_CHANNELS;
  for (size_t i = 0; i < n; i++) {
    gk_force_plate *fp = &cap->plates[i];
    double t = gk__c3d_num(c, type, i, 0);
    /* a plate type is a small integer; anything else is unknown (0) */
    fp->type = (t >= 0 && t <= 1000 && t == floor(t)) ? (int32_t)t : 0;
    for (size_t k = 0; k < 4; k++)
      for (size_t a = 0; a < 3; a++)
        fp->corners_mm[k][a] = fin(gk__c3d_num(c, corners, i * 12 + k * 3 + a, 0));
    for (size_t a = 0; a < 3; a++)
      fp->origin_mm[a] = fin(gk__c3d_num(c, origin, i * 3 + a, 0));
    for (size_t k = 0; k < GK_PLATE_MAX_CHANNELS; k++) fp->channel[k] = -1;
    fp->n_channels = (uint32_t)per;
    for (size_t k = 0; k < per; k++) {
      double ch = gk__c3d_num(c, chan, i * per + k, 0);
      if (ch >= 1 && ch <= (double)cap->n_analog) fp->channel[k] = (int32_t)ch - 1;
    }
    /* a plate's matrix only when every element is there */
    if (ncal > 0 && (i + 1) * ncal * ncal <= calm->n_elems) {
      fp->n_cal = (uint32_t)ncal;
      for (size_t col = 0; col < ncal; col++)
        for (size_t row = 0; row < ncal; row++)
          fp->cal[row][col] =
              fin(gk__c3d_num(c, calm, i * ncal * ncal + col * ncal + row, 0));
    }
  }
  return GK_OK;
}

static gk_status read_all(gk__c3d *c, unsigned options, gk_capture *cap,
                          gk_err *err) {
  const uint8_t *b = c->buf;
  size_t len = c->len;
  if (len < C3D_BLOCK)
    return fail(err, GK_E_TRUNCATED, "C3D header is shorter than 512 bytes",
                len);
  if (b[1] != 0x50)
    return fail(err, GK_E_CORRUPT, "not a C3D file (byte 1 is not 0x50)", 1);
  if (b[0] < 2)
    return fail(err, GK_E_CORRUPT,
                "C3D parameter block number is below 2", 0);
  size_t pstart = (size_t)(b[0] - 1) * C3D_BLOCK;
  if (pstart + 4 > len)
    return fail(err, GK_E_TRUNCATED,
                "C3D file ends before its parameter section", len);
  int proc = b[pstart + 3] - 83;
  if (proc < GK__C3D_INTEL || proc > GK__C3D_MIPS)
    return fail(err, GK_E_UNSUPPORTED,
                "C3D processor type is not 84 (Intel), 85 (DEC) or 86 (MIPS)",
                pstart + 3);
  c->proc = proc;
  size_t pend = len;
  if (b[pstart + 2] > 0) {
    pend = pstart + (size_t)b[pstart + 2] * C3D_BLOCK;
    if (pend > len) pend = len;
  }
  gk_status st = gk__c3d_walk_params(c, pstart + 4, pend, err);
  if (st != GK_OK) return st;

  /* header */
  size_t h_points = gk__c3d_u16(c, b + 2);
  size_t h_analog = gk__c3d_u16(c, b + 4);
  size_t first = gk__c3d_u16(c, b + 6);
  size_t last = gk__c3d_u16(c, b + 8);
  double scale = gk__c3d_f32(c, b + 12);
  size_t dstart = gk__c3d_u16(c, b + 16);
  size_t h_spf = gk__c3d_u16(c, b + 18);
  double rate = gk__c3d_f32(c, b + 20);

  /* parameters override */
  scale = num_or(c, "POINT", "SCALE", scale);
  rate = num_or(c, "POINT", "RATE", rate);
  double ds = gk__c3d_num(c, gk__c3d_find(c, "POINT", "DATA_START"), 0, 1);
  if (ds >= 1 && ds <= 65535) dstart = (size_t)ds;
  if (!isfinite(scale) || scale == 0)
    return fail(err, GK_E_CORRUPT, "C3D point scale is zero or not a number",
                12);
  if (!isfinite(rate) || rate <= 0 || rate > 1e6)
    return fail(err, GK_E_CORRUPT, "C3D frame rate is not positive", 20);
  int is_float = scale < 0;
  double ascale = fabs(scale);

  size_t n_frames = last >= first ? last - first + 1 : 0;
  const gk__c3d_param *pf = gk__c3d_find(c, "POINT", "FRAMES");
  if (pf != NULL && (last == 65535 || last < first)) {
    double v = gk__c3d_num(c, pf, 0, 1);
    if (v >= 0 && v <= (double)GK_MAX_C3D_FRAMES) n_frames = (size_t)v;
  }
  if (n_frames > GK_MAX_C3D_FRAMES)
    return fail(err, GK_E_LIMIT, "C3D file has too many frames", 8);
  if (h_points > GK_MAX_C3D_POINTS)
    return fail(err, GK_E_LIMIT, "C3D file has too many points", 2);

  /* analog layout */
  size_t spf = h_spf, n_analog = 0;
  if (h_analog > 0) {
    if (spf == 0) {
      double arate = num_or(c, "ANALOG", "RATE", NAN);
      double r = arate / rate;
      if (r >= 1 && r <= GK_MAX_C3D_ANALOG_PER_FRAME && r == floor(r))
        spf = (size_t)r;
    }
    if (spf == 0 || h_analog % spf != 0)
      return fail(err, GK_E_CORRUPT,
                  "C3D analog words per frame are not a multiple of the "
                  "samples per frame",
                  4);
    if (spf > GK_MAX_C3D_ANALOG_PER_FRAME)
      return fail(err, GK_E_LIMIT, "C3D file has too many analog samples "
                                   "per frame", 18);
    n_analog = h_analog / spf;
    if (n_analog > GK_MAX_C3D_ANALOG)
      return fail(err, GK_E_LIMIT, "C3D file has too many analog channels",
                  4);
  }

  /* data section size */
  if (dstart < 2)
    return fail(err, GK_E_CORRUPT, "C3D data start block is below 2", 16);
  size_t doff = (dstart - 1) * C3D_BLOCK;
  size_t word = is_float ? 4 : 2;
  size_t per_frame, frame_bytes, total;
  if (!gk__mul_ok(h_points, 4, &per_frame) ||
      !gk__add_ok(per_frame, h_analog, &per_frame) ||
      !gk__mul_ok(per_frame, word, &frame_bytes) ||
      !gk__mul_ok(frame_bytes, n_frames, &total))
    return fail(err, GK_E_LIMIT, "C3D data size overflows", 2);
  if (doff > len || total > len - doff) {
    size_t have = doff > len ? 0 : (len - doff) / (frame_bytes ? frame_bytes : 1);
    return fail(err, GK_E_TRUNCATED, "C3D file ends inside its data",
                doff > len ? len : doff + have * frame_bytes);
  }
  size_t nv;
  if (!gk__mul_ok(n_frames, h_points, &nv) || !gk__mul_ok(nv, 3, &nv) ||
      nv > GK_MAX_CAPTURE_VALUES)
    return fail(err, GK_E_LIMIT, "C3D file has too many point values", 2);
  size_t n_samples = n_frames * spf, na;
  if (!gk__mul_ok(n_samples, n_analog, &na) || na > GK_MAX_CAPTURE_VALUES)
    return fail(err, GK_E_LIMIT, "C3D file has too many analog values", 4);

  /* the model */
  cap->kind = GK_CAPTURE_3D;
  cap->view = GK_VIEW_3D;
  cap->frame_rate_hz = rate;
  cap->first_frame = (uint32_t)first;
  cap->n_frames = n_frames;
  cap->n_points = h_points;
  memcpy(cap->source.format, "C3D", 4);
  static const char *const procs[] = {"", "intel", "dec", "mips"};
  memcpy(cap->source.processor, procs[proc], strlen(procs[proc]) + 1);
  cap->source.float_data = is_float;

  double ufac = 1.0;
  size_t ulen;
  const char *u = str0(c, "POINT", "UNITS", &ulen);
  if (u != NULL) {
    size_t k = ulen;
    while (k > 0 && (u[k - 1] == ' ' || u[k - 1] == '\0')) k--;
    if (k > sizeof cap->source.units - 1) k = sizeof cap->source.units - 1;
    memcpy(cap->source.units, u, k);
    cap->source.units[k] = '\0';
    if (str_eq_trim(u, ulen, "m")) ufac = 1000.0;
    else if (str_eq_trim(u, ulen, "cm")) ufac = 10.0;
  } else {
    memcpy(cap->source.units, "mm", 3);
  }

  st = read_labels(c, cap, "POINT", "LABELS", h_points, &cap->point_labels);
  if (st != GK_OK) return fail(err, st, "out of memory", 0);
  cap->xyz = gk__capture_nan_array(cap, nv);
  cap->residual = gk__capture_nan_array(cap, n_frames * h_points);
  if (cap->xyz == NULL || cap->residual == NULL)
    return fail(err, GK_E_NOMEM, "out of memory", 0);

  /* analog calibration */
  cap->n_analog = n_analog;
  cap->n_analog_samples = n_analog ? n_samples : 0;
  double *aoff = NULL, *amul = NULL;
  int aunsigned = 0;
  if (n_analog > 0) {
    cap->analog_rate_hz = rate * (double)spf;
    st = read_labels(c, cap, "ANALOG", "LABELS", n_analog, &cap->analog_labels);
    if (st == GK_OK)
      st = read_labels(c, cap, "ANALOG", "UNITS", n_analog, &cap->analog_units);
    if (st != GK_OK) return fail(err, st, "out of memory", 0);
    size_t fl;
    const char *fs = str0(c, "ANALOG", "FORMAT", &fl);
    if (fs != NULL && str_eq_trim(fs, fl, "UNSIGNED")) aunsigned = 1;
    aoff = gk__capture_nan_array(cap, n_analog);
    amul = gk__capture_nan_array(cap, n_analog);
    if (aoff == NULL || amul == NULL)
      return fail(err, GK_E_NOMEM, "out of memory", 0);
    double gen = num_or(c, "ANALOG", "GEN_SCALE", 1.0);
    const gk__c3d_param *sc = gk__c3d_find(c, "ANALOG", "SCALE");
    const gk__c3d_param *of = gk__c3d_find(c, "ANALOG", "OFFSET");
    for (size_t k = 0; k < n_analog; k++) {
      double s = gk__c3d_num(c, sc, k, 0);
      double o = gk__c3d_num(c, of, k, aunsigned);
      if (isnan(s)) s = 1.0;
      if (isnan(o)) o = 0.0;
      amul[k] = s * gen;
      aoff[k] = o;
      const char *un = cap->analog_units[k];
      if (strcmp(un, "Nm") == 0 || strcmp(un, "N.m") == 0 ||
          strcmp(un, "N*m") == 0) {
        amul[k] *= 1000.0;
        char *nu = gk__capture_label(cap, "Nmm", 3);
        if (nu == NULL) return fail(err, GK_E_NOMEM, "out of memory", 0);
        cap->analog_units[k] = nu;
      }
    }
    if (!(options & GK_C3D_SKIP_ANALOG)) {
      cap->analog = gk__capture_nan_array(cap, na);
      if (cap->analog == NULL) return fail(err, GK_E_NOMEM, "out of memory", 0);
    } else {
      cap->n_analog_samples = 0;
    }
  }

  /* subject (Vicon's PROCESSING group, in mm and kg) */
  double h = num_or(c, "PROCESSING", "Height", NAN);
  double m = num_or(c, "PROCESSING", "Bodymass", NAN);
  if (h > 0 && h < 3000) cap->subject_height_mm = h;
  if (m > 0 && m < 500) cap->subject_mass_kg = m;
  /* Plug-in Gait's knee and ankle widths, tibial torsion, marker size */
  for (int sd = 0; sd < 2; sd++) {
    double kw = num_or(c, "PROCESSING", sd ? "RKneeWidth" : "LKneeWidth", NAN);
    double aw =
        num_or(c, "PROCESSING", sd ? "RAnkleWidth" : "LAnkleWidth", NAN);
    double tt =
        num_or(c, "PROCESSING", sd ? "RTibialTorsion" : "LTibialTorsion", NAN);
    if (kw > 20 && kw < 300) cap->knee_width_mm[sd] = kw;
    if (aw > 20 && aw < 300) cap->ankle_width_mm[sd] = aw;
    if (tt > -90 && tt < 90) cap->tibial_torsion_deg[sd] = tt;
  }
  double md = num_or(c, "PROCESSING", "MarkerDiameter", NAN);
  if (md > 1 && md < 100) cap->marker_diameter_mm = md;

  /* the data */
  const uint8_t *p = b + doff;
  for (size_t f = 0; f < n_frames; f++) {
    for (size_t k = 0; k < h_points; k++) {
      double v[4];
      for (int a = 0; a < 4; a++) {
        if (is_float) v[a] = gk__c3d_f32(c, p + 4 * a);
        else v[a] = (double)(int16_t)gk__c3d_u16(c, p + 2 * a);
      }
      p += 4 * word;
      double rw = v[3];
      int valid = isfinite(rw) && rw > -32769.0 && rw < 65536.0;
      int16_t w = 0;
      if (valid) {
        long lw = (long)rw;
        w = (int16_t)(uint16_t)(lw & 0xffff);
        if (rw < 0 || w < 0) valid = 0;
      }
      size_t at = f * h_points + k;
      if (!valid) continue; /* gap: NaN as allocated */
      double mul = is_float ? ufac : ascale * ufac;
      double x = v[0] * mul, y = v[1] * mul, z = v[2] * mul;
      if (!isfinite(x) || !isfinite(y) || !isfinite(z)) continue;
      cap->xyz[at * 3] = x;
      cap->xyz[at * 3 + 1] = y;
      cap->xyz[at * 3 + 2] = z;
      cap->residual[at] = (double)(w & 0xff) * ascale * ufac;
    }
    for (size_t s = 0; s < spf && n_analog > 0; s++) {
      for (size_t k = 0; k < n_analog; k++) {
        double raw;
        if (is_float) raw = gk__c3d_f32(c, p);
        else if (aunsigned) raw = (double)gk__c3d_u16(c, p);
        else raw = (double)(int16_t)gk__c3d_u16(c, p);
        p += word;
        if (cap->analog != NULL)
          cap->analog[(f * spf + s) * n_analog + k] =
              fin((raw - aoff[k]) * amul[k]);
      }
    }
  }
  st = read_plates(c, cap);
  if (st != GK_OK) return fail(err, st, "out of memory", 0);
  return GK_OK;
}

gk_status gk_c3d_read(const void *buf, size_t len, unsigned options,
                      gk_capture **out, gk_err *err) {
  if (err != NULL) memset(err, 0, sizeof *err);
  if (out == NULL || (buf == NULL && len > 0)) {
    gk__set_err(err, GK_E_ARG, "invalid argument", 0);
    return GK_E_ARG;
  }
  *out = NULL;
  gk__c3d c;
  memset(&c, 0, sizeof c);
  c.buf = (const uint8_t *)buf;
  c.len = len;
  gk_capture *cap = gk__capture_new();
  if (cap == NULL) {
    gk__set_err(err, GK_E_NOMEM, "out of memory", 0);
    return GK_E_NOMEM;
  }
  gk_status st = read_all(&c, options, cap, err);
  free(c.params);
  if (st != GK_OK) {
    gk_capture_free(cap);
    return st;
  }
  *out = cap;
  return GK_OK;
}
