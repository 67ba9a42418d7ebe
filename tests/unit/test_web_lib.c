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

#include "gaitkeeper/import.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"
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

int main(void) {
  RUN(test_pain_ok);
  RUN(test_pain_every_field);
  RUN(test_zip);
  RUN(test_import_not_activity);
  RUN(test_report_sections);
  return TEST_SUMMARY();
}
