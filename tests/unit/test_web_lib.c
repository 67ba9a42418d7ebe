/*
** test_web_lib.c -- the library functions the web app and the CLI share:
** gk_pain_entry_check (every field's message), gk_zip_each (a good zip,
** limits, damage, a zip bomb), gk_import_decode of bytes that are no
** activity, and the report's sections (gk_report_input.sections).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaitkeeper/gait_import.h"
#include "gaitkeeper/import.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"
#include "gaitkeeper/sim.h"
#include "test.h"

static void test_pain_ok(void) {
  gk_pain_fields f = {"2026-01-05", "3", "", "0", "2.5", "", "a note"};
  gk_pain_entry e;
  gk_pain_field_errors fe;
  CHECK_EQ_INT(gk_pain_entry_check(&f, &e, &fe), GK_OK);
  CHECK_EQ_INT(e.during, 3);
  CHECK_EQ_INT(e.after, -1);
  CHECK_EQ_INT(e.morning, 0);
  CHECK_NEAR(e.onset_km, 2.5, 1e-12);
  CHECK_STR(e.note, "a note");
  CHECK_EQ_INT(e.activity_id, 0);
}

static void test_pain_every_field(void) {
  gk_pain_fields f = {"2026-02-30", "+3", "11", " 2", "-1", "0", NULL};
  gk_pain_entry e;
  gk_pain_field_errors fe;
  CHECK_EQ_INT(gk_pain_entry_check(&f, &e, &fe), GK_E_ARG);
  CHECK_TRUE(strstr(fe.date, "real day") != NULL);
  CHECK_TRUE(strstr(fe.during, "0 to 10") != NULL);
  CHECK_TRUE(strstr(fe.after, "0 to 10") != NULL);
  CHECK_TRUE(strstr(fe.morning, "0 to 10") != NULL);
  CHECK_TRUE(strstr(fe.onset_km, "0 to 1000") != NULL);
  CHECK_TRUE(strstr(fe.activity, "from 1") != NULL);
  CHECK_STR(fe.note, "");
  /* nothing given but the date */
  gk_pain_fields g = {"2026-01-05", "", "", "", "", "", ""};
  CHECK_EQ_INT(gk_pain_entry_check(&g, &e, &fe), GK_E_ARG);
  CHECK_TRUE(strstr(fe.entry, "at least one") != NULL);
  /* no date */
  gk_pain_fields h = {NULL, "1", NULL, NULL, NULL, NULL, NULL};
  CHECK_EQ_INT(gk_pain_entry_check(&h, &e, &fe), GK_E_ARG);
  CHECK_TRUE(strstr(fe.date, "required") != NULL);
  char note[300];
  memset(note, 'n', sizeof note - 1);
  note[sizeof note - 1] = '\0';
  gk_pain_fields k = {"2026-01-05", "1", NULL, NULL, NULL, NULL, note};
  CHECK_EQ_INT(gk_pain_entry_check(&k, &e, &fe), GK_E_ARG);
  CHECK_TRUE(strstr(fe.note, "at most 255") != NULL);
}

typedef struct seen {
  int n;
  char names[4][64];
  size_t lens[4];
} seen;

static int each(void *user, const char *name, const unsigned char *d,
                size_t len) {
  seen *s = (seen *)user;
  (void)d;
  if (s->n < 4) {
    snprintf(s->names[s->n], sizeof s->names[0], "%s", name);
    s->lens[s->n] = len;
  }
  s->n++;
  return 0;
}

static void test_zip(void) {
  size_t len = 0;
  char *z = test_read_file(GK_TEST_DATA "/zip/y_two.zip", &len);
  ASSERT_TRUE(z != NULL);
  CHECK_TRUE(gk_zip_sniff(z, len));
  gk_zip_limits lim = {10, 1 << 20, 4 << 20};
  seen s;
  memset(&s, 0, sizeof s);
  gk_err err = {0};
  CHECK_EQ_INT(gk_zip_each(z, len, &lim, each, &s, &err), GK_OK);
  CHECK_EQ_INT(s.n, 2); /* the folder entry skipped */
  CHECK_STR(s.names[0], "a.gpx");
  CHECK_EQ_INT((int)s.lens[0], 211);
  CHECK_STR(s.names[1], "b/../c.txt"); /* a name, never a path */
  CHECK_EQ_INT((int)s.lens[1], 5);
  /* limits: entries, one entry's size */
  gk_zip_limits one = {1, 1 << 20, 4 << 20};
  memset(&s, 0, sizeof s);
  CHECK_EQ_INT(gk_zip_each(z, len, &one, each, &s, &err), GK_E_LIMIT);
  CHECK_EQ_INT(s.n, 0);
  gk_zip_limits small = {10, 100, 4 << 20};
  CHECK_EQ_INT(gk_zip_each(z, len, &small, each, &s, &err), GK_E_LIMIT);
  CHECK_EQ_INT(s.n, 0);
  /* every truncation: an error, never a crash, never an entry */
  for (size_t cut = 0; cut < len; cut++) {
    memset(&s, 0, sizeof s);
    gk_status st = gk_zip_each(z, cut, &lim, each, &s, &err);
    if (st == GK_OK) CHECK_TRUE(0);
    CHECK_EQ_INT(s.n, 0);
  }
  /* a flipped byte in the first entry's data: CRC or inflate error */
  char *d = (char *)malloc(len);
  ASSERT_TRUE(d != NULL);
  memcpy(d, z, len);
  d[30 + 5 + 3] ^= 0x55; /* inside a.gpx's deflated bytes */
  memset(&s, 0, sizeof s);
  CHECK_TRUE(gk_zip_each(d, len, &lim, each, &s, &err) != GK_OK);
  CHECK_EQ_INT(s.n, 0);
  free(d);
  free(z);
  /* a zip bomb: 2 MiB of zeros in 2 kB */
  z = test_read_file(GK_TEST_DATA "/zip/n_bomb.zip", &len);
  ASSERT_TRUE(z != NULL);
  gk_zip_limits bomb = {10, 1 << 20, 1 << 20};
  memset(&s, 0, sizeof s);
  CHECK_EQ_INT(gk_zip_each(z, len, &bomb, each, &s, &err), GK_E_LIMIT);
  CHECK_TRUE(err.msg && strstr(err.msg, "larger than allowed") != NULL);
  CHECK_EQ_INT(s.n, 0);
  free(z);
  CHECK_TRUE(!gk_zip_sniff("hello", 5));
}

static void test_import_not_activity(void) {
  gk_import_file f;
  gk_import_decode("just text\n", 10, NULL, "x", &f);
  CHECK_EQ_INT(f.outcome, GK_IMPORT_IGNORED);
  gk_import_decode(NULL, 0, NULL, NULL, &f);
  CHECK_EQ_INT(f.outcome, GK_IMPORT_IGNORED);
  /* a FIT header and nothing usable: failed with a reason */
  static const unsigned char fit[14] = {14, 0x20, 0x08, 0x08, 100, 0, 0, 0,
                                        '.', 'F', 'I', 'T', 0, 0};
  gk_import_decode(fit, sizeof fit, NULL, NULL, &f);
  CHECK_TRUE(f.outcome == GK_IMPORT_FAILED || f.outcome == GK_IMPORT_IGNORED);
  if (f.outcome == GK_IMPORT_FAILED) CHECK_TRUE(f.msg[0] != '\0');
  gk_import_file_clear(&f);
}

static char *html_of(unsigned sections) {
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = 20000;
  in.sections = sections;
  gk_buf b = {0};
  if (gk_report_html(&in, &b, NULL) != GK_OK) return NULL;
  gk_buf_putc(&b, '\0');
  return b.data;
}

static void test_report_sections(void) {
  char *whole = html_of(0);
  char *frag = html_of(GK_REPORT_FRAGMENT | GK_REPORT_SEC_ALL);
  char *today = html_of(GK_REPORT_FRAGMENT | GK_REPORT_SEC_TODAY);
  char *load = html_of(GK_REPORT_FRAGMENT | GK_REPORT_SEC_LOAD);
  ASSERT_TRUE(whole && frag && today && load);
  CHECK_TRUE(strncmp(whole, "<!DOCTYPE html>", 15) == 0);
  CHECK_TRUE(strstr(frag, "<html") == NULL && strstr(frag, "<style") == NULL);
  /* the fragment of every section is the whole page's body */
  CHECK_TRUE(strstr(whole, frag) != NULL);
  CHECK_TRUE(strstr(today, "id=\"s-stage\"") != NULL);
  CHECK_TRUE(strstr(today, "id=\"s-load\"") == NULL);
  CHECK_TRUE(strstr(load, "id=\"s-load\"") != NULL);
  CHECK_TRUE(strstr(load, "id=\"s-stage\"") == NULL);
  gk_buf css = {0};
  CHECK_EQ_INT(gk_report_css(&css), GK_OK);
  gk_buf_putc(&css, '\0');
  CHECK_TRUE(css.data && strstr(whole, css.data) != NULL);
  gk_buf_free(&css);
  free(whole);
  free(frag);
  free(today);
  free(load);
}

/* MediaPipe's fractions of the picture: the picture's size is an option of
   `gaitkeeper gait` and of the Gait page (gk_gait_import_option); without
   it such keypoints are refused, with it they are analysed as pixels. */
static void test_gait_image_size(void) {
  gk_gait_import_options o;
  gk_gait_import_options_init(&o);
  char msg[300];
  CHECK_EQ_INT(gk_gait_import_option(&o, "image-size", "1920x1080", msg,
                                     sizeof msg), 0);
  CHECK_EQ_INT(o.image_width, 1920);
  CHECK_EQ_INT(o.image_height, 1080);
  static const char *const bad[] = {"1920",    "1920x",  "x1080", "-16x16",
                                    "15x1080", "1920x1080p", "",
                                    "100001x16", " 1920x1080", "1920x+1080",
                                    "1920x 1080"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK_EQ_INT(gk_gait_import_option(&o, "image-size", bad[i], msg,
                                       sizeof msg), -1);
    CHECK_TRUE(strstr(msg, "WIDTHxHEIGHT") != NULL);
  }
  CHECK_EQ_INT(o.image_width, 1920); /* a refused value changes nothing */

  gk_sim_runner2d_options so;
  gk_sim_runner2d_defaults(&so);
  so.view = GK_VIEW_LEFT;
  so.fps = 60;
  so.model = GK_KP_MEDIAPIPE33;
  so.duration_s = 6;
  gk_capture *c = NULL;
  gk_sim_truth t;
  gk_err e;
  memset(&e, 0, sizeof e);
  ASSERT_EQ_INT(gk_sim_runner2d(&so, &c, &t, &e), GK_OK);
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_sim_write_mediapipe_json(c, 1920, 1080, &b), GK_OK);
  gk_gait_source src = {"run.json", NULL, b.data, b.len};
  gk_gait_import_options_init(&o);
  o.fps = 60;
  gk_gait_import_result r;
  CHECK_EQ_INT(gk_gait_import(&src, NULL, &o, &r), GK_E_ARG);
  CHECK_TRUE(r.usage == 1 && r.gait == NULL);
  CHECK_TRUE(strstr(r.msg, "run.json: the keypoints are fractions of the "
                           "picture") != NULL &&
             strstr(r.msg, "--image-size WIDTHxHEIGHT") != NULL);
  gk_gait_import_clear(&r);
  o.image_width = 1920;
  o.image_height = 1080;
  CHECK_EQ_INT(gk_gait_import(&src, NULL, &o, &r), GK_OK);
  if (CHECK_TRUE(r.gait != NULL)) {
    CHECK_NEAR(r.gait->stat[GK_GM_CADENCE].mean, t.cadence_spm, 1);
    CHECK_NEAR(r.gait->stat[GK_GM_KNEE_FLEX_PEAK].left,
               t.knee_flexion_peak_deg, 1);
  }
  gk_gait_import_clear(&r);
  gk_buf_free(&b);
  gk_capture_free(c);
}

int main(void) {
  RUN(test_pain_ok);
  RUN(test_pain_every_field);
  RUN(test_zip);
  RUN(test_import_not_activity);
  RUN(test_report_sections);
  RUN(test_gait_image_size);
  return TEST_SUMMARY();
}
