/*
** test_gait_rbds.c -- the 3D gait analysis against the Fukuchi et al. 2017
** running dataset, subject RBDS001 (GK_SHARED_DATA/mocap/fukuchi_RBDS2017,
** ../shared/data/MANIFEST.md section 3a):
**   - RBDS001runT35.c3d with RBDS001static.c3d at 3.5 m/s against the
**     dataset's own Visual3D output, RBDS001processed.txt (columns
**     {R,L}{hip,knee,ankle}Ang{X,Z}35; Z sagittal, flexion and
**     dorsiflexion positive; X frontal, hip adduction positive):
**       knee flexion at initial contact (0%) and peak knee flexion in
**       stance (0-40%) within 3 deg; peak hip adduction in stance within
**       3 deg; hip, knee and ankle sagittal curves within 5 deg RMS over
**       the time-normalised stride;
**   - the 2.5 m/s trial as text (RBDS001runT25markers.txt, 150 Hz, and
**     RBDS001runT25forces.txt, 300 Hz, whose "Time" column is the sample
**     number and Fy the vertical force): cadence from the force contacts
**     and from the markers alone (no force: foot-marker events) within
**     1 step/min.
** Every measured difference is printed.  Skips, saying so, when the shared
** data folder is absent.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capture_internal.h"
#include "gait/gait3d_internal.h"
#include "gaitkeeper/capture.h"
#include "gaitkeeper/gait.h"
#include "test.h"

#ifndef GK_SHARED_DATA
#define GK_SHARED_DATA "../shared/data"
#endif
#define DIR_RBDS GK_SHARED_DATA "/mocap/fukuchi_RBDS2017/"

static gk_capture *load_c3d(const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s%s", DIR_RBDS, name);
  size_t len;
  char *b = test_read_file(path, &len);
  if (!CHECK_TRUE(b != NULL)) return NULL;
  gk_capture *cap = NULL;
  gk_err err;
  gk_status st = gk_c3d_read(b, len, 0, &cap, &err);
  free(b);
  if (!CHECK_EQ_INT(st, GK_OK)) return NULL;
  return cap;
}

/* ---- RBDS001processed.txt ------------------------------------------------ */

typedef struct table {
  char **names;
  size_t n_cols, n_rows;
  double *v; /* row-major */
} table;

static void table_free(table *t) {
  for (size_t i = 0; i < t->n_cols; i++) free(t->names[i]);
  free(t->names);
  free(t->v);
}

/* A tab-separated table with a header line (empty cells NaN). */
static int table_read(const char *path, table *t) {
  memset(t, 0, sizeof *t);
  size_t len;
  char *b = test_read_file(path, &len);
  if (b == NULL) return 0;
  char *line = b, *nl = strchr(line, '\n');
  if (nl == NULL) {
    free(b);
    return 0;
  }
  *nl = '\0';
  size_t cap = 256;
  t->names = (char **)calloc(cap, sizeof *t->names);
  for (char *p = line;;) {
    char *tab = strchr(p, '\t');
    size_t n = tab ? (size_t)(tab - p) : strlen(p);
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ')) n--;
    if (t->n_cols < cap) {
      t->names[t->n_cols] = (char *)calloc(n + 1, 1);
      memcpy(t->names[t->n_cols], p, n);
      t->n_cols++;
    }
    if (tab == NULL) break;
    p = tab + 1;
  }
  size_t rows_cap = 1024;
  t->v = (double *)malloc(rows_cap * t->n_cols * sizeof(double));
  for (char *p = nl + 1; *p;) {
    char *e = strchr(p, '\n');
    if (e) *e = '\0';
    if (*p && *p != '\r') {
      if (t->n_rows == rows_cap) {
        rows_cap *= 2;
        t->v = (double *)realloc(t->v, rows_cap * t->n_cols * sizeof(double));
      }
      double *row = t->v + t->n_rows * t->n_cols;
      char *q = p;
      for (size_t c = 0; c < t->n_cols; c++) {
        char *end;
        double x = strtod(q, &end);
        row[c] = end == q ? NAN : x;
        char *tab = strchr(q, '\t');
        if (tab == NULL) {
          for (size_t k = c + 1; k < t->n_cols; k++) row[k] = NAN;
          break;
        }
        q = tab + 1;
      }
      t->n_rows++;
    }
    if (e == NULL) break;
    p = e + 1;
  }
  free(b);
  return 1;
}

static long col(const table *t, const char *name) {
  for (size_t i = 0; i < t->n_cols; i++)
    if (strcmp(t->names[i], name) == 0) return (long)i;
  return -1;
}

static double cell(const table *t, size_t r, long c) {
  return c < 0 || r >= t->n_rows ? NAN : t->v[r * t->n_cols + (size_t)c];
}

/* ---- 3.5 m/s against Visual3D ------------------------------------------- */

static void test_t35_against_visual3d(void) {
  gk_capture *run = load_c3d("RBDS001runT35.c3d");
  gk_capture *stc = load_c3d("RBDS001static.c3d");
  table ref;
  int have_ref = table_read(DIR_RBDS "RBDS001processed.txt", &ref);
  CHECK_TRUE(have_ref);
  if (run == NULL || stc == NULL || !have_ref) {
    gk_capture_free(run);
    gk_capture_free(stc);
    if (have_ref) table_free(&ref);
    return;
  }
  CHECK_EQ_INT(ref.n_rows, 101);
  gk_gait3d_options opt = {NAN, NAN, 3.5};
  gk_gait *g = NULL;
  gk_err err;
  static gk__gait3d_curves cv;
  gk_status st = gk__gait3d_analyse_curves(run, stc, &opt, &g, &cv, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s\n", err.msg);
    goto done;
  }
  CHECK_EQ_INT(g->events, GK_EVENTS_FORCE);
  printf(
      "     T35: %zu steps (%zu left and %zu right strides averaged), "
      "cadence %.1f steps/min, contact %.0f ms\n",
      g->n_steps, cv.n_cycles[0], cv.n_cycles[1], g->stat[GK_GM_CADENCE].mean,
      g->stat[GK_GM_CONTACT_TIME].mean);
  CHECK_TRUE(cv.n_cycles[0] >= 30 && cv.n_cycles[1] >= 30);
  /* the labels of R.MT1 and R.MT5 are exchanged in this running trial */
  int swap_noted = 0;
  for (size_t i = 0; i < g->n_notes; i++)
    if (strstr(g->notes[i], "R.MT1 and R.MT5")) swap_noted = 1;
  CHECK_TRUE(swap_noted);

  static const char sides[2] = {'L', 'R'};
  for (int s = 0; s < 2; s++) {
    char name[64];
    snprintf(name, sizeof name, "%ckneeAngZ35", sides[s]);
    long ck = col(&ref, name);
    snprintf(name, sizeof name, "%chipAngZ35", sides[s]);
    long ch = col(&ref, name);
    snprintf(name, sizeof name, "%cankleAngZ35", sides[s]);
    long ca = col(&ref, name);
    snprintf(name, sizeof name, "%chipAngX35", sides[s]);
    long cx = col(&ref, name);
    if (!CHECK_TRUE(ck >= 0 && ch >= 0 && ca >= 0 && cx >= 0)) continue;
    double knee_ic_ref = cell(&ref, 0, ck);
    double knee_pk_ref = -INFINITY, hip_add_ref = -INFINITY;
    for (size_t r = 0; r <= 40; r++) {
      knee_pk_ref = fmax(knee_pk_ref, cell(&ref, r, ck));
      hip_add_ref = fmax(hip_add_ref, cell(&ref, r, cx));
    }
    const gk_gait_stat *kic = &g->stat[GK_GM_KNEE_FLEX_IC];
    const gk_gait_stat *kpk = &g->stat[GK_GM_KNEE_FLEX_PEAK];
    const gk_gait_stat *had = &g->stat[GK_GM_HIP_ADDUCTION];
    double mk_ic = s ? kic->right : kic->left;
    double mk_pk = s ? kpk->right : kpk->left;
    double mh = s ? had->right : had->left;
    printf("     %c knee flexion at IC: %.1f vs Visual3D %.1f (diff %+.1f)\n",
           sides[s], mk_ic, knee_ic_ref, mk_ic - knee_ic_ref);
    printf("     %c peak knee flexion in stance: %.1f vs %.1f (diff %+.1f)\n",
           sides[s], mk_pk, knee_pk_ref, mk_pk - knee_pk_ref);
    printf("     %c peak hip adduction in stance: %.1f vs %.1f (diff %+.1f)\n",
           sides[s], mh, hip_add_ref, mh - hip_add_ref);
    CHECK_NEAR(mk_ic, knee_ic_ref, 3.0);
    CHECK_NEAR(mk_pk, knee_pk_ref, 3.0);
    CHECK_NEAR(mh, hip_add_ref, 3.0);
    /* sagittal curves: RMS over 0..100% of the stride */
    static const int which[3] = {0, 3, 5}; /* hip flex, knee flex, ankle DF */
    const long cols[3] = {ch, ck, ca};
    static const char *const jn[3] = {"hip", "knee", "ankle"};
    for (int j = 0; j < 3; j++) {
      double ss = 0, bias = 0;
      for (size_t r = 0; r <= 100; r++) {
        double d = cv.curve[which[j]][s][r] - cell(&ref, r, cols[j]);
        ss += d * d;
        bias += d;
      }
      double rms = sqrt(ss / 101);
      printf(
          "     %c %s sagittal curve: RMS difference %.2f deg (mean "
          "offset %+.2f)\n",
          sides[s], jn[j], rms, bias / 101);
      CHECK_TRUE(rms <= 5.0);
    }
  }
done:
  gk_gait_free(g);
  gk_capture_free(run);
  gk_capture_free(stc);
  table_free(&ref);
}

/* ---- 2.5 m/s: cadence from force and from markers ------------------------ */

/* The marker text as a capture (150 Hz, mm): "Time" then <name>X, Y, Z. */
static gk_capture *markers_capture(const table *t) {
  gk_capture *cap = gk__capture_new();
  if (cap == NULL) return NULL;
  size_t np = (t->n_cols - 1) / 3;
  cap->kind = GK_CAPTURE_3D;
  cap->frame_rate_hz = 150; /* the Time column is rounded; 1/150 s */
  cap->first_frame = 1;
  cap->n_frames = t->n_rows;
  cap->n_points = np;
  cap->point_labels = (char **)gk__capture_alloc(cap, np * sizeof(char *));
  cap->xyz = gk__capture_nan_array(cap, t->n_rows * np * 3);
  cap->residual = gk__capture_nan_array(cap, t->n_rows * np);
  if (!cap->point_labels || !cap->xyz || !cap->residual) {
    gk_capture_free(cap);
    return NULL;
  }
  for (size_t p = 0; p < np; p++) {
    const char *nm = t->names[1 + 3 * p];
    size_t n = strlen(nm);
    cap->point_labels[p] = gk__capture_label(cap, nm, n > 0 ? n - 1 : 0);
  }
  for (size_t r = 0; r < t->n_rows; r++)
    for (size_t p = 0; p < np; p++)
      for (int a = 0; a < 3; a++)
        cap->xyz[(r * np + p) * 3 + (size_t)a] =
            t->v[r * t->n_cols + 1 + 3 * p + (size_t)a];
  return cap;
}

static void test_t25_cadence(void) {
  table mk, fc;
  int ok_m = table_read(DIR_RBDS "RBDS001runT25markers.txt", &mk);
  int ok_f = table_read(DIR_RBDS "RBDS001runT25forces.txt", &fc);
  CHECK_TRUE(ok_m && ok_f);
  gk_capture *stc = load_c3d("RBDS001static.c3d");
  gk_capture *run = ok_m ? markers_capture(&mk) : NULL;
  double *fy = NULL;
  gk__contact *ct = NULL;
  gk_gait *g = NULL;
  if (!ok_m || !ok_f || stc == NULL || !CHECK_TRUE(run != NULL)) goto done;
  CHECK_EQ_INT(mk.n_rows, 4500);
  CHECK_EQ_INT(fc.n_rows, 9000);
  CHECK_STR(mk.names[1], "R.ASISX");
  long cy = col(&fc, "Fy");
  if (!CHECK_TRUE(cy >= 0)) goto done;
  fy = (double *)malloc(fc.n_rows * sizeof *fy);
  for (size_t r = 0; r < fc.n_rows; r++) fy[r] = cell(&fc, r, cy);
  ct = (gk__contact *)calloc(256, sizeof *ct);
  size_t nc = gk__force_contacts(fy, fc.n_rows, 300.0, ct, 256);
  if (!CHECK_TRUE(nc >= 60 && nc <= 256)) goto done;
  double sum = 0;
  for (size_t i = 1; i < nc; i++) sum += ct[i].on_s - ct[i - 1].on_s;
  double cad_force = 60.0 * (double)(nc - 1) / sum;

  gk_gait3d_options opt = {NAN, NAN, 2.5};
  gk_err err;
  gk_status st = gk_gait3d_analyse(run, stc, &opt, &g, &err);
  if (!CHECK_EQ_INT(st, GK_OK)) {
    fprintf(stderr, "  %s\n", err.msg);
    goto done;
  }
  CHECK_EQ_INT(g->events, GK_EVENTS_MARKERS);
  double cad_mk = g->stat[GK_GM_CADENCE].mean;
  printf(
      "     T25: %zu force contacts -> %.2f steps/min; markers (Zeni "
      "events, %zu steps) -> %.2f steps/min; difference %+.2f\n",
      nc, cad_force, g->n_steps, cad_mk, cad_mk - cad_force);
  CHECK_NEAR(cad_mk, cad_force, 1.0);
  /* the 2.5 m/s cadence is near the manifest's derived ~157 steps/min */
  CHECK_TRUE(cad_force > 150 && cad_force < 165);
done:
  gk_gait_free(g);
  free(fy);
  free(ct);
  gk_capture_free(run);
  gk_capture_free(stc);
  if (ok_m) table_free(&mk);
  if (ok_f) table_free(&fc);
}

int main(void) {
  if (!test_shared_data_present(GK_SHARED_DATA "/mocap/fukuchi_RBDS2017"))
    return 0;
  RUN(test_t35_against_visual3d);
  RUN(test_t25_cadence);
  return TEST_SUMMARY();
}
