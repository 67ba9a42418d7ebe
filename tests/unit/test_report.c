/*
** test_report.c -- the runner's knee report (gaitkeeper/report.h): the HTML
** page's structure (sections in order, one h1, h2 then h3, every chart an
** <svg role="img"> with a <title> and a <desc>, no script, nothing loaded
** from outside), escaping of hostile text, missing and unreadable
** documents, the terminal summary's colour, the JSON's numbers against the
** load analysis, and the WCAG contrast of every colour of the palette; the
** plan's provisional flag, what it could not judge (grouped) and its
** education points; a title for every finding code gaitkeeper can emit;
** repeated findings shown once; the walk/run phases as a table and the
** plan's chains.
*/
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "gaitkeeper/course.h"
#include "gaitkeeper/data.h"
#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"
#include "gaitkeeper/store.h"
#include "report/report_internal.h"
#include "test.h"

/* ---- a synthetic runner ---------------------------------------------------- */

#define TODAY_Y 2026
#define TODAY_M 11
#define TODAY_D 1

static gk_load_run runs[80];
static size_t n_runs;
static gk_pain_entry pain[20];
static size_t n_pain;

/* 8 weeks of 3 runs (long run 12 km), a 3-week gap, then 4 weeks with a
   long run of 15, 17, 19, 21 km; pain rising at the end. */
static void make_history(int64_t today) {
  n_runs = n_pain = 0;
  int64_t w0 = gk_day_week_start(today) - 7 * 15;
  for (int w = 0; w < 16; w++) {
    if (w >= 8 && w <= 10) continue;
    for (int k = 0; k < 3; k++) {
      gk_load_run *r = &runs[n_runs];
      int64_t day = w0 + 7 * w + 2 * k + 1;
      if (day > today) continue;
      r->id = (int64_t)n_runs + 1;
      r->start_time = day * 86400 + 7 * 3600;
      r->distance_m = k == 2 ? (w < 8 ? 12000 : 15000 + 2000 * (w - 11)) : 7000;
      r->avg_speed_mps = 2.8 + 0.1 * k;
      r->duration_s = r->distance_m / r->avg_speed_mps;
      r->avg_cadence_spm = 158 + 9 * (r->avg_speed_mps - 2.9);
      n_runs++;
      if (w >= 12 && k == 2 && n_pain < 20) {
        gk_pain_entry *e = &pain[n_pain++];
        memset(e, 0, sizeof *e);
        e->id = (int64_t)n_pain;
        e->day = day;
        e->during = 3 + (w - 12);
        e->after = -1;
        e->morning = 2 + (w - 12);
        e->onset_km = NAN;
        e->activity_id = r->id;
      }
    }
  }
}

static const char PLAN_JSON[] =
    "{\"stage\":2,\"stage_name\":\"Mobility\",\"gates\":[{\"name\":"
    "\"pain_during_running\",\"met\":false,\"value\":6,\"target\":3,"
    "\"label\":\"Pain during running at most 3/10\"},{\"name\":\"k2w\","
    "\"met\":true,\"value\":11,\"target\":10}],\"exercises\":[{\"id\":"
    "\"wall_sit\",\"name\":\"Wall sit\",\"dose\":\"5 x 45 s\",\"why\":["
    "\"pain.over_limit\"]},{\"id\":\"calf\",\"name\":\"Calf stretch\","
    "\"dose\":\"3 x 30 s each side\",\"why\":[\"screen.dorsiflexion_limited\"]}"
    "],\"running\":{\"mode\":\"walk_run\",\"text\":\"Walk/run phase 2, every "
    "other day\",\"phase\":2},\"cadence\":{\"baseline_spm\":158,"
    "\"target_spm\":166},\"refer\":false,\"findings\":[{\"code\":"
    "\"screen.dorsiflexion_limited\",\"severity\":\"caution\",\"value\":7,"
    "\"threshold\":10,\"text\":\"Right ankle dorsiflexion is limited.\","
    "\"source\":\"Bennell 1998\",\"evidence_note\":null,\"dates\":null,"
    "\"origin\":\"screen\",\"chain\":\"A stiff ankle turns the shin in.\","
    "\"chain_source\":\"Chain source A\",\"how_sure\":\"Very limited "
    "evidence.\"},{\"code\":\"load.single_run_spike\",\"severity\":"
    "\"caution\",\"text\":\"A spike (the plan's copy).\",\"origin\":\"load\","
    "\"chain\":\"Too much, too soon.\",\"chain_source\":\"Chain source B\","
    "\"how_sure\":\"Observational studies.\"}],\"provisional\":false,"
    "\"stage_title\":\"Restore movement\",\"unknown\":[],\"education\":["
    "\"Load education is the core. (Esculier et al. 2018 (BJSM 52:659))\","
    "\"A point without a source.\"]}";

static const char GAIT_JSON[] =
    "{\"kind\":\"2d\",\"view\":\"rear\",\"fps\":30,\"speed_mps\":3.0,"
    "\"n_steps\":{\"left\":14,\"right\":14},\"summary\":{"
    "\"cadence_spm\":{\"left\":160,\"right\":161,\"mean\":160.5,\"unit\":"
    "\"steps/min\",\"quality\":\"good\",\"n_left\":14,\"n_right\":14},"
    "\"pelvic_drop_peak_stance_deg\":{\"left\":4.8,\"right\":8.9,"
    "\"asymmetry\":-4.1,\"unit\":\"deg\",\"quality\":\"fair\",\"note\":"
    "\"least reliable 2D measure\"},\"knee_flexion_ic_deg\":{\"refused\":true,"
    "\"note\":\"needs a side view\"}},\"notes\":[\"1 gap filled\"],"
    "\"figures\":[{\"label\":\"initial contact, left\",\"frame\":3,"
    "\"points\":{}}],\"findings\":[{\"code\":\"gait.pelvic_drop\","
    "\"severity\":\"warning\",\"value\":8.9,\"threshold\":7,\"text\":\"Your "
    "pelvis drops on the left when you land on the right.\",\"source\":"
    "\"Bramah et al. 2018\",\"evidence_note\":\"2D pelvic drop is the least "
    "reliable measure\",\"dates\":null}]}";

static gk_report_input base_input(int64_t today) {
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = today;
  in.runs = runs;
  in.n_runs = n_runs;
  in.pain = pain;
  in.n_pain = n_pain;
  in.plan_json = PLAN_JSON;
  in.gait_json = GAIT_JSON;
  in.gait_day = today - 3;
  return in;
}

static char *html_of(const gk_report_input *in) {
  gk_buf b = {0};
  gk_status st = gk_report_html(in, &b, NULL);
  if (st != GK_OK || b.oom) {
    fprintf(stderr, "gk_report_html: %s\n", gk_strerror(st));
    gk_buf_free(&b);
    return NULL;
  }
  gk_buf_putc(&b, '\0');
  return b.data;
}

static size_t count(const char *s, const char *needle) {
  size_t n = 0;
  for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  return n;
}

/* ---- structure ------------------------------------------------------------- */

/* The h2 ids in document order must be exactly `want`. */
static int sections_in_order(const char *html, const char *const *want,
                             size_t n) {
  const char *p = html;
  size_t i = 0;
  while ((p = strstr(p, "<h2 id=\"")) != NULL) {
    p += 8;
    size_t len = strcspn(p, "\"");
    if (i >= n || strlen(want[i]) != len || strncmp(p, want[i], len) != 0) {
      fprintf(stderr, "section %zu: got %.*s, expected %s\n", i, (int)len, p,
              i < n ? want[i] : "(none)");
      return 0;
    }
    i++;
  }
  if (i != n) fprintf(stderr, "%zu sections, expected %zu\n", i, n);
  return i == n;
}

/* Without a plan (no education section). */
static const char *const SECTIONS[] = {
    "s-stage",  "s-clinician", "s-for-clinician", "s-findings",
    "s-load",   "s-cadence",   "s-gait",          "s-exercises",
    "s-running", "s-gates",    "s-sources"};
#define N_SECTIONS (sizeof SECTIONS / sizeof SECTIONS[0])
/* With a plan that has education points. */
static const char *const SECTIONS_PLAN[] = {
    "s-stage",   "s-doex",     "s-clinician", "s-for-clinician",
    "s-findings", "s-load",    "s-cadence",   "s-gait",
    "s-exercises", "s-running", "s-gates",    "s-education", "s-sources"};
#define N_SECTIONS_PLAN (sizeof SECTIONS_PLAN / sizeof SECTIONS_PLAN[0])

/* Headings: one h1 first, no h3 before an h2, nothing below h3. */
static int headings_ok(const char *html) {
  int level_seen[7] = {0};
  const char *p = html;
  int first = 1;
  while ((p = strstr(p, "<h")) != NULL) {
    p += 2;
    if (*p < '1' || *p > '6' || (p[1] != '>' && p[1] != ' ')) continue;
    int lv = *p - '0';
    if (first && lv != 1) return 0;
    first = 0;
    if (lv > 3) return 0;
    if (lv == 3 && !level_seen[2]) return 0;
    if (lv == 1 && level_seen[1]) return 0; /* one h1 */
    level_seen[lv] = 1;
  }
  return level_seen[1] && level_seen[2];
}

/* Every <svg> has role="img", aria-labelledby, a non-empty <title> and a
   <desc> before its first drawing. */
static int svgs_accessible(const char *html, size_t *n_svg) {
  const char *p = html;
  *n_svg = 0;
  while ((p = strstr(p, "<svg")) != NULL) {
    const char *end = strstr(p, "</svg>");
    const char *tag_end = strchr(p, '>');
    if (end == NULL || tag_end == NULL) return 0;
    size_t tag_len = (size_t)(tag_end - p);
    char tag[512];
    snprintf(tag, sizeof tag, "%.*s", (int)(tag_len < 511 ? tag_len : 511), p);
    if (strstr(tag, "role=\"img\"") != NULL &&
        strstr(tag, "aria-label=\"Stick figure") != NULL &&
        strncmp(tag_end + 1, "<title>", 7) == 0) {
      p = end; /* a stick figure: labelled by aria-label and its title */
      continue;
    }
    if (strstr(tag, "role=\"img\"") == NULL ||
        strstr(tag, "aria-labelledby=") == NULL) {
      fprintf(stderr, "svg without role/aria: %s\n", tag);
      return 0;
    }
    if (strncmp(tag_end + 1, "<title", 6) != 0) {
      fprintf(stderr, "svg without a leading <title>: %.80s\n", tag_end + 1);
      return 0;
    }
    const char *tt = strchr(tag_end + 1, '>');
    if (tt == NULL || tt[1] == '<') return 0; /* empty title */
    const char *desc = strstr(tag_end, "<desc");
    if (desc == NULL || desc > end) return 0;
    (*n_svg)++;
    p = end;
  }
  return 1;
}

/* An event handler attribute: " on<letters>=" inside a tag. */
static int has_event_attr(const char *html) {
  int in_tag = 0;
  for (const char *p = html; *p; p++) {
    if (*p == '<') in_tag = 1;
    else if (*p == '>') in_tag = 0;
    else if (in_tag && p[0] == ' ' && p[1] == 'o' && p[2] == 'n') {
      const char *q = p + 3;
      while (*q >= 'a' && *q <= 'z') q++;
      if (q > p + 3 && *q == '=') return 1;
    }
  }
  return 0;
}

static int nothing_external(const char *html) {
  return strstr(html, "<script") == NULL && strstr(html, "http://") == NULL &&
         strstr(html, "https://") == NULL && strstr(html, "//") == NULL &&
         strstr(html, "src=") == NULL && strstr(html, "href=") == NULL &&
         strstr(html, "url(") == NULL && strstr(html, "@import") == NULL &&
         !has_event_attr(html);
}

static void test_structure(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  ASSERT_TRUE(n_runs > 30);
  gk_report_input in = base_input(today);
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strncmp(html, "<!DOCTYPE html>", 15) == 0);
  CHECK_TRUE(strstr(html, "name=\"viewport\"") != NULL);
  CHECK_TRUE(strstr(html, "@media print") != NULL);
  CHECK_TRUE(strstr(html, "<html lang=\"en\">") != NULL);
  CHECK_TRUE(sections_in_order(html, SECTIONS_PLAN, N_SECTIONS_PLAN));
  CHECK_TRUE(headings_ok(html));
  size_t n_svg = 0;
  CHECK_TRUE(svgs_accessible(html, &n_svg));
  CHECK_EQ_INT(n_svg, 5); /* weekly, daily, cadence x2, gait bands */
  CHECK_TRUE(nothing_external(html));
  /* the plan's content */
  CHECK_TRUE(strstr(html, "<strong>Stage 2: Restore movement</strong>") != NULL);
  CHECK_TRUE(strstr(html, "Wall sit") != NULL);
  CHECK_TRUE(strstr(html, "5 x 45 s") != NULL);
  CHECK_TRUE(strstr(html, "1 of 2 met") != NULL);
  CHECK_TRUE(strstr(html, "target 166") != NULL);
  /* the gait panel: values, the refused metric, the stick-figure note */
  CHECK_TRUE(strstr(html, "8.9 deg") != NULL);
  /* a metric this view cannot measure: one line under the table, no row */
  CHECK_TRUE(strstr(html, "Not measurable from this view: ") != NULL);
  CHECK_TRUE(strstr(html, "not measured from this view") == NULL);
  CHECK_TRUE(strstr(html, "too few points to draw") != NULL);
  CHECK_TRUE(strstr(html, "0 to 5 deg") != NULL); /* pelvic drop band */
  /* findings from all three documents, most severe first */
  const char *w = strstr(html, "gait.pelvic_drop"),
             *c = strstr(html, "screen.dorsiflexion_limited");
  CHECK_TRUE(w != NULL && c != NULL && w < c);
  CHECK_TRUE(strstr(html, "load.single_run_spike") != NULL);
  /* the clinician box is always there; no red-flag box without refer */
  CHECK_TRUE(strstr(html, "When to stop and see someone") != NULL);
  CHECK_TRUE(strstr(html, "s-redflags") == NULL);
  free(html);
}

static void test_refer_on_top(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.plan_json =
      "{\"stage\":0,\"stage_name\":\"See a clinician\",\"refer\":{"
      "\"refer\":true,\"reasons\":[\"Knee osteoarthritis pattern: book a "
      "routine appointment.\"]},"
      "\"findings\":[{\"code\":\"intake.night_pain\",\"severity\":\"refer\","
      "\"text\":\"Night pain with bony tenderness.\",\"source\":\"NHS\"},"
      "{\"code\":\"intake.osteoarthritis\",\"severity\":\"info\","
      "\"text\":\"Osteoarthritis pattern, routine.\",\"source\":\"NICE\"}]}";
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  static const char *const want[] = {
      "s-redflags", "s-stage",  "s-doex", "s-clinician", "s-for-clinician",
      "s-findings", "s-load",   "s-cadence",   "s-gait",
      "s-exercises", "s-running", "s-gates",   "s-sources"};
  CHECK_TRUE(sections_in_order(html, want, sizeof want / sizeof want[0]));
  const char *rf = strstr(html, "Night pain with bony tenderness");
  CHECK_TRUE(rf != NULL && rf < strstr(html, "s-stage"));
  /* the red-flag box holds only what needs a doctor: the routine
     osteoarthritis note is a finding among the others */
  const char *box_end = strstr(strstr(html, "s-redflags"), "</section>");
  const char *oa = strstr(html, "Osteoarthritis pattern, routine.");
  CHECK_TRUE(oa != NULL && oa > box_end);
  CHECK_TRUE(strstr(html, "routine appointment") == NULL ||
             strstr(html, "routine appointment") > box_end);
  CHECK_TRUE(strstr(html, "already shows a reason to see one") != NULL);
  free(html);
}

/* ---- escaping --------------------------------------------------------------- */

static void test_hostile_text(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.plan_json =
      "{\"stage\":1,\"stage_name\":\"<script>alert(1)</script>\","
      "\"exercises\":[{\"name\":\"Squat & \\\"hold\\\" <b>\",\"dose\":"
      "\"<img src=x onerror=alert(1)>\",\"why\":[\"a<b\",\"gate.z\"]}],"
      "\"running\":{\"<i>k</i>\":\"</dd><script>x</script>\"},"
      "\"gates\":[{\"name\":\"'quoted'\",\"met\":true,\"value\":\"<u>\","
      "\"target\":1}],"
      "\"findings\":[{\"code\":\"x.<svg onload=alert(1)>\",\"severity\":"
      "\"caution\",\"text\":\"</p><script>bad()</script>\",\"source\":"
      "\"https://evil.example/\",\"how_sure\":\"<script>h</script>\","
      "\"chain\":\"<b>c</b>\",\"chain_source\":\"<i>s</i>\"}],"
      "\"provisional\":true,\"stage_title\":\"<script>t</script>\","
      "\"unknown\":[\"<script>u</script>\",\"Gate \\\"<b>g</b>\\\" (stage 1): "
      "not measured.\"],\"education\":[\"<img src=x> (<i>src</i>)\"],"
      "\"all_gates\":[{\"name\":\"z\",\"label\":\"<b>z</b>\"}]}";
  in.gait_json =
      "{\"kind\":\"2d\",\"view\":\"<rear>\",\"summary\":{\"<m>\":{\"left\":1,"
      "\"right\":2,\"unit\":\"<u>\",\"note\":\"</td><script>\"}},"
      "\"notes\":[\"<img src=//x>\", \"a\\u0001b\"],\"figures\":[{\"label\":"
      "\"</p><script>\"}]}";
  gk_report_source src[1] = {
      {"</title><script>", "--><!-- \"&'", INT64_MIN, INT64_MIN}};
  in.sources = src;
  in.n_sources = 1;
  in.plan_missing_why = "<b>never shown: there is a plan</b>";
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "<script") == NULL);
  CHECK_TRUE(strstr(html, "<img") == NULL);
  CHECK_TRUE(strstr(html, "<svg onload") == NULL);
  CHECK_TRUE(strstr(html, "<b>") == NULL && strstr(html, "<u>") == NULL &&
             strstr(html, "<i>") == NULL && strstr(html, "<m>") == NULL);
  CHECK_TRUE(strstr(html, "&lt;script&gt;t&lt;&#47;script&gt;") != NULL); /* the stage title */
  CHECK_TRUE(strstr(html, "Squat &amp; &quot;hold&quot; &lt;b&gt;") != NULL);
  CHECK_TRUE(strstr(html, "&#39;quoted&#39;") != NULL);
  CHECK_TRUE(strstr(html, "Stage 1 gate not measured:</strong> &lt;b&gt;g"
                          "&lt;&#47;b&gt;.") != NULL);
  CHECK_TRUE(strstr(html, "Gates not met yet: &lt;b&gt;z&lt;&#47;b&gt;") !=
             NULL);
  CHECK_TRUE(strstr(html, "--&gt;&lt;!-- &quot;&amp;&#39;") != NULL);
  CHECK_TRUE(strstr(html, "\x01") == NULL);
  CHECK_TRUE(strstr(html, "https://") == NULL); /* an URL as text is escaped */
  CHECK_TRUE(!has_event_attr(html));
  size_t n_svg = 0;
  CHECK_TRUE(svgs_accessible(html, &n_svg));
  free(html);

  /* the escaper alone: entities, control characters, invalid UTF-8 */
  gk_buf b = {0};
  gk__html_esc(&b, "a<b>&\"'\x01\x7F\xC3\xA9\xFF\xE2\x82");
  gk_buf_putc(&b, '\0');
  CHECK_STR(b.data, "a&lt;b&gt;&amp;&quot;&#39;\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD"
                    "\xEF\xBF\xBD");
  gk_buf_free(&b);
  memset(&b, 0, sizeof b);
  gk__html_esc(&b, "https://x//y");
  gk_buf_putc(&b, '\0');
  CHECK_STR(b.data, "https:&#47;&#47;x&#47;&#47;y");
  gk_buf_free(&b);
}

/* An "https://" in a source must still not appear literally: sources are
   text, and the page must hold no URL. */
static void test_no_url_in_output(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.plan_json =
      "{\"stage\":1,\"findings\":[{\"code\":\"x.y\",\"severity\":\"info\","
      "\"text\":\"see https://example.org//x\",\"source\":\"s\"}]}";
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "://") == NULL);
  CHECK_TRUE(strstr(html, "//") == NULL);
  CHECK_TRUE(strstr(html, "example.org") != NULL); /* shown, defused */
  free(html);
}

/* ---- missing documents --------------------------------------------------------- */

static void test_missing_everything(void) {
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  in.gait_day = INT64_MIN;
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(sections_in_order(html, SECTIONS, N_SECTIONS));
  CHECK_TRUE(strstr(html, "No plan yet") != NULL);
  CHECK_TRUE(strstr(html, "No gait capture yet") != NULL);
  CHECK_TRUE(strstr(html, "No runs yet") != NULL);
  CHECK_TRUE(strstr(html, "there is no plan yet") != NULL);
  size_t n_svg = 0;
  CHECK_TRUE(svgs_accessible(html, &n_svg));
  CHECK_EQ_INT(n_svg, 4); /* no gait chart without a capture */
  CHECK_TRUE(strstr(html, "No runs yet, so no weekly distance") != NULL);
  CHECK_TRUE(nothing_external(html));
  free(html);

  /* unreadable documents are said so, not an error */
  in.plan_json = "{\"stage\": 1,";
  in.gait_json = "[1, 2";
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "plan could not be read") != NULL);
  CHECK_TRUE(strstr(html, "gait capture could not be read") != NULL);
  free(html);

  /* documents of the wrong shape: every member ignored, nothing crashes */
  in.plan_json = "{\"stage\":\"two\",\"gates\":{\"a\":1},\"exercises\":"
                 "[1,\"x\",null],\"running\":[],\"cadence\":7,\"findings\":"
                 "[{\"code\":5},{\"text\":\"t\"},3]}";
  in.gait_json = "{\"summary\":[],\"figures\":{},\"notes\":7,\"findings\":"
                 "{}}";
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "Stage not set") != NULL);
  free(html);
}

static void test_bad_arguments(void) {
  gk_report_input in;
  memset(&in, 0, sizeof in);
  gk_buf b = {0};
  in.today = GK_DAY_MAX + 1;
  CHECK_EQ_INT(gk_report_html(&in, &b, NULL), GK_E_ARG);
  in.today = 20000;
  in.n_runs = 3; /* without runs */
  CHECK_EQ_INT(gk_report_html(&in, &b, NULL), GK_E_ARG);
  CHECK_EQ_INT(gk_report_text(&in, 0, &b, NULL), GK_E_ARG);
  CHECK_EQ_INT(gk_report_json(&in, &b, NULL), GK_E_ARG);
  CHECK_EQ_INT(gk_report_html(NULL, &b, NULL), GK_E_ARG);
  in.n_runs = 0;
  CHECK_EQ_INT(gk_report_html(&in, NULL, NULL), GK_E_ARG);
  gk_buf_free(&b);
}

/* ---- text and JSON ------------------------------------------------------------- */

static void test_text_colour(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.gait_json = "{\"kind\":\"2d\",\"notes\":[\"a\\u001b[31mred\"]}";
  gk_buf plain = {0}, col = {0};
  ASSERT_EQ_INT(gk_report_text(&in, 0, &plain, NULL), GK_OK);
  ASSERT_EQ_INT(gk_report_text(&in, GK_REPORT_COLOR, &col, NULL), GK_OK);
  gk_buf_putc(&plain, '\0');
  gk_buf_putc(&col, '\0');
  CHECK_TRUE(strchr(plain.data, '\033') == NULL); /* a note cannot inject */
  CHECK_TRUE(strstr(col.data, "\033[1m") != NULL);
  CHECK_TRUE(strstr(plain.data, "Your stage and this week") != NULL);
  CHECK_TRUE(strstr(plain.data, "When to see a clinician") != NULL);
  CHECK_TRUE(strstr(plain.data, "Stage 2: Mobility") != NULL);
  /* sections in the HTML order */
  const char *a = strstr(plain.data, "What gaitkeeper found"),
             *b = strstr(plain.data, "Training load and pain"),
             *c = strstr(plain.data, "Data sources and dates");
  CHECK_TRUE(a && b && c && a < b && b < c);
  /* no line longer than 78 columns (plain) */
  size_t col_n = 0, longest = 0;
  for (const char *p = plain.data; *p; p++) {
    if (*p == '\n') col_n = 0;
    else if (((unsigned char)*p & 0xC0) != 0x80 && ++col_n > longest)
      longest = col_n;
  }
  CHECK_TRUE(longest <= 78);
  gk_buf_free(&plain);
  gk_buf_free(&col);
}

static void test_json_numbers(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_report_json(&in, &b, NULL), GK_OK);
  cJSON *j = cJSON_ParseWithLength(b.data, b.len);
  ASSERT_TRUE(j != NULL);
  gk_load_report lr;
  ASSERT_EQ_INT(gk_load_analyze(runs, n_runs, pain, n_pain, today, &lr), GK_OK);
  const cJSON *load = cJSON_GetObjectItem(j, "load");
  const cJSON *daily = cJSON_GetObjectItem(load, "daily");
  CHECK_EQ_INT(cJSON_GetArraySize(daily), 112);
  const cJSON *last = cJSON_GetArrayItem(daily, 111);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(last, "date")),
            "2026-11-01");
  /* the chart's line on today is the load analysis's number */
  CHECK_NEAR(cJSON_GetObjectItem(last, "longest_30d_m")->valuedouble,
             lr.longest_run_30d_m, 1e-9);
  CHECK_NEAR(cJSON_GetObjectItem(load, "longest_run_30d_m")->valuedouble,
             lr.longest_run_30d_m, 1e-9);
  CHECK_NEAR(cJSON_GetObjectItem(load, "run_cap_m")->valuedouble,
             1.1 * lr.longest_run_30d_m, 1e-6);
  /* the restart: the 15-km run after the gap is a spike (15 / 12 = 1.25),
     and the gap's days are shaded: 3 weeks without runs, minus the days
     before the rule's 7 */
  int spike_15 = 0, gap_days = 0;
  for (const cJSON *d = daily->child; d; d = d->next) {
    const cJSON *sr = cJSON_GetObjectItem(d, "spike_ratio");
    if (cJSON_IsNumber(sr) &&
        fabs(cJSON_GetObjectItem(d, "distance_m")->valuedouble - 15000) < 1 &&
        fabs(sr->valuedouble - 1.25) < 1e-9)
      spike_15 = 1;
    gap_days += cJSON_IsTrue(cJSON_GetObjectItem(d, "rest_gap"));
  }
  CHECK_TRUE(spike_15);
  CHECK_TRUE(gap_days >= 21 && gap_days <= 26);
  CHECK_EQ_INT(cJSON_GetObjectItem(load, "rest_gap_days")->valueint, gap_days);
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(load, "weekly")), 16);
  /* the plan and gait parts */
  CHECK_EQ_INT(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "plan"), "stage")
                   ->valueint, 2);
  CHECK_NEAR(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "cadence"),
                                 "target_spm")->valuedouble, 166, 0);
  const cJSON *g = cJSON_GetObjectItem(j, "gait");
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(g, "metrics")), 3);
  /* cadence band: the typical cadence at 3.0 m/s, interpolated between
     172 at 3.16 and 169 at 2.68 */
  const cJSON *cad = cJSON_GetArrayItem(cJSON_GetObjectItem(g, "metrics"), 0);
  CHECK_NEAR(cJSON_GetObjectItem(cad, "band_low")->valuedouble,
             169 + 3 * (3.0 - 2.68) / (3.16 - 2.68), 1e-9);
  /* every finding once, the refer flag off */
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItem(j, "refer")));
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")),
               lr.n_findings + 3); /* the plan's copy of the spike has its
                                      own text, so it is kept too */
  gk_load_report_free(&lr);
  cJSON_Delete(j);
  gk_buf_free(&b);
}

/* ---- contrast ------------------------------------------------------------------ */

static double channel(int v) {
  double c = v / 255.0;
  return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(const char *hex) {
  unsigned r, g, b;
  if (hex == NULL || strlen(hex) != 7 ||
      sscanf(hex, "#%02x%02x%02x", &r, &g, &b) != 3)
    return NAN;
  return 0.2126 * channel((int)r) + 0.7152 * channel((int)g) +
         0.0722 * channel((int)b);
}

static double contrast(const char *a, const char *b) {
  double la = luminance(a), lb = luminance(b);
  if (la < lb) {
    double t = la;
    la = lb;
    lb = t;
  }
  return (la + 0.05) / (lb + 0.05);
}

/* Every colour of the page is in the palette (#fff: the page background);
   *used counts them. */
static int colours_in_palette(const char *html, size_t *used) {
  int ok = 1;
  *used = 0;
  for (const char *p = html; (p = strchr(p, '#')) != NULL; p++) {
    if (p > html && p[-1] == '&') continue; /* a character reference */
    size_t n = 0;
    while (n < 7 && ((p[1 + n] >= '0' && p[1 + n] <= '9') ||
                     (p[1 + n] >= 'a' && p[1 + n] <= 'f')))
      n++;
    if (n != 6 && n != 3) continue;
    if (n == 3) {
      if (strncmp(p, "#fff", 4) == 0) continue; /* the page background */
      fprintf(stderr, "short colour %.4s\n", p);
      ok = 0;
      continue;
    }
    char hex[8];
    memcpy(hex, p, 7);
    hex[7] = '\0';
    int known = 0;
    for (size_t i = 0; i < gk__report_palette_n; i++)
      if (strcmp(gk__report_palette[i].hex, hex) == 0) known = 1;
    if (!known) fprintf(stderr, "colour %s is not in the palette\n", hex);
    if (!known) ok = 0;
    (*used)++;
  }
  return ok;
}

static void test_palette_contrast(void) {
  /* the formula itself: black on white is 21, white on white 1 */
  CHECK_NEAR(contrast("#000000", "#ffffff"), 21.0, 1e-9);
  CHECK_NEAR(contrast("#ffffff", "#ffffff"), 1.0, 1e-9);
  CHECK_NEAR(contrast("#767676", "#ffffff"), 4.54, 0.01);
  ASSERT_TRUE(gk__report_palette_n >= 10);
  for (size_t i = 0; i < gk__report_palette_n; i++) {
    const gk__report_color *c = &gk__report_palette[i];
    double r = contrast(c->hex, c->on);
    if (!CHECK_TRUE(r >= c->min_ratio))
      fprintf(stderr, "  %s %s on %s: %.2f < %.1f\n", c->name, c->hex, c->on,
              r, c->min_ratio);
    /* text colours reach AA (4.5); chart marks at least 3 (WCAG 1.4.11) */
    CHECK_TRUE(c->min_ratio == 4.5 || c->min_ratio == 3.0 ||
               c->min_ratio == 1.0);
  }
  /* every colour the page uses is in the palette */
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  size_t used = 0;
  CHECK_TRUE(colours_in_palette(html, &used));
  CHECK_TRUE(used > 20);
  CHECK_TRUE(count(html, "<svg") - count(html, "aria-label=\"Stick figure") == 5);
  free(html);
}


/* ---- the plan's provisional stage, unknowns, education ---------------------- */

static char *text_of(const gk_report_input *in) {
  gk_buf b = {0};
  if (gk_report_text(in, 0, &b, NULL) != GK_OK || b.oom) {
    gk_buf_free(&b);
    return NULL;
  }
  gk_buf_putc(&b, '\0');
  return b.data;
}

static cJSON *json_of(const gk_report_input *in) {
  gk_buf b = {0};
  cJSON *j = NULL;
  if (gk_report_json(in, &b, NULL) == GK_OK && !b.oom)
    j = cJSON_ParseWithLength(b.data, b.len);
  gk_buf_free(&b);
  return j;
}

/* The shape of an empty store's plan (`gaitkeeper plan --json`). */
static const char PROVISIONAL_PLAN[] =
    "{\"stage\":1,\"stage_name\":\"pain\",\"gates\":[{\"name\":\"pain_daily_"
    "life\",\"met\":null,\"value\":null,\"target\":2,\"label\":\"Pain in "
    "daily life (intake)\",\"unit\":\"/10\",\"comparison\":\"<=\"}],"
    "\"exercises\":[],\"running\":{\"mode\":\"walk_run\"},\"refer\":false,"
    "\"findings\":[],\"provisional\":true,\"stage_title\":\"Calm the pain\","
    "\"stage_goal\":\"Bring pain inside the limits.\",\"unknown\":["
    "\"No intake answers: the Kujala score could not be judged (gaitkeeper "
    "intake).\","
    "\"Gate \\\"Pain during running (the highest in the pain log of the last "
    "14 days, else the intake)\\\" (stage 1): not measured.\","
    "\"Gate \\\"Pain in daily life (intake)\\\" (stage 1): not measured.\","
    "\"Gate \\\"Knee-to-wall distance, the shorter side\\\" (stage 2): not "
    "measured.\","
    "\"No cadence baseline: whether cadence retraining is called for is "
    "unknown.\"],\"education\":[\"Recovery takes time: the median was 71 "
    "days. (Nielsen et al. 2014 (PLoS One 9:e99877))\"]}";

static void test_provisional_and_unknown(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = today;
  in.gait_day = INT64_MIN;
  in.plan_json = PROVISIONAL_PLAN;
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(sections_in_order(html, SECTIONS_PLAN, N_SECTIONS_PLAN));
  CHECK_TRUE(headings_ok(html));
  CHECK_TRUE(nothing_external(html));
  /* the stage with the flag, its title and goal, all before "This week" */
  const char *stage = strstr(html, "<strong>Stage 1: Calm the pain</strong>"),
             *badge = strstr(html, "<span class=\"badge\">Provisional</span>"),
             *week = strstr(html, "<h3>This week</h3>");
  CHECK_TRUE(stage && badge && week && stage < badge && badge < week);
  CHECK_TRUE(strstr(html, "Calm the pain") != NULL);
  CHECK_TRUE(strstr(html, "Bring pain inside the limits.") != NULL);
  CHECK_TRUE(strstr(html, "nothing is assumed passed") != NULL);
  /* what could not be judged: sentences as given, gates one line a stage
     with their short labels */
  const char *nk = strstr(html, "<h3>Not yet known</h3>");
  CHECK_TRUE(nk != NULL && nk > week && nk < strstr(html, "s-education"));
  CHECK_TRUE(strstr(html, "No intake answers: the Kujala score could not "
                          "be judged (gaitkeeper intake).") != NULL);
  CHECK_TRUE(strstr(html, "No cadence baseline") != NULL);
  CHECK_TRUE(strstr(html, "<strong>Stage 1 gates not measured:</strong> Pain "
                          "during running; Pain in daily life.") != NULL);
  CHECK_TRUE(strstr(html, "<strong>Stage 2 gate not measured:</strong> "
                          "Knee-to-wall distance, the shorter side.") != NULL);
  CHECK_TRUE(strstr(html, "(stage 1): not measured") == NULL);
  CHECK_EQ_INT(count(html, "gates not measured:"), 1);
  /* the gate itself says "not measured", not "not yet" */
  CHECK_TRUE(strstr(html, "0 of 1 met; 1 not measured.") != NULL);
  CHECK_TRUE(strstr(html, "at most 2&#47;10") != NULL);
  /* education: text, then the source as evidence */
  CHECK_TRUE(strstr(html, "Recovery takes time: the median was 71 days. "
                          "<span class=\"evidence\">(Nielsen et al. 2014 "
                          "(PLoS One 9:e99877))</span>") != NULL);
  free(html);

  char *txt = text_of(&in);
  ASSERT_TRUE(txt != NULL);
  CHECK_TRUE(strstr(txt, "Stage 1: pain (PROVISIONAL)") != NULL);
  CHECK_TRUE(strstr(txt, "Not yet known") != NULL);
  CHECK_TRUE(strstr(txt, "- Stage 1 gates not measured: Pain during running; "
                         "Pain in daily life.") != NULL);
  CHECK_TRUE(strstr(txt, "(stage 1): not measured") == NULL);
  const char *gk = strstr(txt, "Good to know"),
             *found = strstr(txt, "What gaitkeeper found");
  CHECK_TRUE(gk && found && gk < found && strstr(gk, "71 days") < found);
  CHECK_TRUE(strstr(txt, "[?] Pain in daily life (intake): not measured; "
                         "target at most 2/10") != NULL);
  free(txt);

  cJSON *j = json_of(&in);
  ASSERT_TRUE(j != NULL);
  const cJSON *plan = cJSON_GetObjectItem(j, "plan");
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(plan, "provisional")));
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(plan, "stage_title")),
            "Calm the pain");
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(plan, "unknown")), 5);
  const cJSON *ed = cJSON_GetArrayItem(cJSON_GetObjectItem(plan, "education"), 0);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(ed, "text")),
            "Recovery takes time: the median was 71 days.");
  CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(ed, "source")),
            "Nielsen et al. 2014 (PLoS One 9:e99877)");
  cJSON_Delete(j);

  /* a settled plan says nothing provisional; a point without a source is
     shown whole */
  make_history(today);
  in = base_input(today);
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "Provisional") == NULL);
  CHECK_TRUE(strstr(html, "Not yet known") == NULL);
  CHECK_TRUE(strstr(html, "<li>A point without a source.</li>") != NULL);
  CHECK_TRUE(strstr(html, "Load education is the core. <span "
                          "class=\"evidence\">(Esculier et al. 2018 (BJSM "
                          "52:659))</span>") != NULL);
  free(html);
  txt = text_of(&in);
  ASSERT_TRUE(txt != NULL);
  CHECK_TRUE(strstr(txt, "PROVISIONAL") == NULL);
  free(txt);

  /* the splitter and the short label alone */
  size_t tl, sl;
  const char *src;
  gk__report_split_source("a (b (c)) (d (e))", &tl, &src, &sl);
  CHECK_EQ_INT(tl, 9);
  CHECK_TRUE(src != NULL && sl == 5 && strncmp(src, "d (e)", 5) == 0);
  gk__report_split_source("(all in brackets)", &tl, &src, &sl);
  CHECK_TRUE(src == NULL && tl == 17);
  gk__report_split_source("unbalanced)", &tl, &src, &sl);
  CHECK_TRUE(src == NULL && tl == 11);
  char lab[64];
  gk__report_short_label("Pain in daily life (intake)", lab, sizeof lab);
  CHECK_STR(lab, "Pain in daily life");
  gk__report_short_label("Sides with pain on hopping", lab, sizeof lab);
  CHECK_STR(lab, "Sides with pain on hopping");
}

/* ---- a title for every finding code --------------------------------------- */

#define MAX_CODES 256
static char codes_found[MAX_CODES][64];
static size_t n_codes_found;

static int is_finding_prefix(const char *s, size_t n) {
  static const char *const prefixes[] = {"load", "pain",   "cadence", "gait",
                                         "intake", "screen", "plan"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (strlen(prefixes[i]) == n && strncmp(s, prefixes[i], n) == 0) return 1;
  return 0;
}

static void add_code(const char *s, size_t n) {
  if (n == 0 || n >= sizeof codes_found[0]) return;
  for (size_t i = 0; i < n_codes_found; i++)
    if (strlen(codes_found[i]) == n && strncmp(codes_found[i], s, n) == 0)
      return;
  if (n_codes_found < MAX_CODES) {
    memcpy(codes_found[n_codes_found], s, n);
    codes_found[n_codes_found++][n] = '\0';
  }
}

/* Every "code" member of a data file whose prefix is a finding's. */
static void codes_in_json(const cJSON *node) {
  if (cJSON_IsObject(node)) {
    const char *c =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(node, "code"));
    const char *dot = c ? strchr(c, '.') : NULL;
    if (dot && is_finding_prefix(c, (size_t)(dot - c))) add_code(c, strlen(c));
  }
  for (const cJSON *k = node ? node->child : NULL; k; k = k->next)
    codes_in_json(k);
}

/* Every token prefix.name_with_underscores in text (a header's list, or a
   string literal "prefix.name" in C source); file names (.json, .h, .c)
   are not codes. */
static void codes_in_text(const char *t, int literals_only) {
  for (const char *p = t; *p; p++) {
    if (literals_only && *p != '"') continue;
    const char *s = literals_only ? p + 1 : p;
    if (!literals_only && p > t &&
        ((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '_' || p[-1] == '.'))
      continue;
    const char *q = s;
    while (*q >= 'a' && *q <= 'z') q++;
    if (*q != '.' || !is_finding_prefix(s, (size_t)(q - s))) continue;
    const char *e = q + 1;
    while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '_')
      e++;
    if (e == q + 1) continue;
    if (literals_only && *e != '"') continue;
    size_t rest = (size_t)(e - q - 1);
    if ((rest == 4 && strncmp(q + 1, "json", 4) == 0) ||
        (rest == 1 && (q[1] == 'h' || q[1] == 'c')))
      continue;
    add_code(s, (size_t)(e - s));
  }
}

static void codes_in_file(const char *path, int literals_only) {
  size_t len = 0;
  char *t = test_read_file(path, &len);
  if (!CHECK_TRUE(t != NULL)) {
    fprintf(stderr, "  cannot read %s\n", path);
    return;
  }
  codes_in_text(t, literals_only);
  free(t);
}

static void codes_in_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!CHECK_TRUE(d != NULL)) {
    fprintf(stderr, "  cannot list %s\n", dir);
    return;
  }
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    size_t n = strlen(e->d_name);
    if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0) continue;
    char path[1024];
    int w = snprintf(path, sizeof path, "%.700s/%.255s", dir, e->d_name);
    if (!CHECK_TRUE(w > 0 && (size_t)w < sizeof path)) continue;
    codes_in_file(path, 1);
  }
  closedir(d);
}

/* The codes without a title in data/report_text.json; 0 when all have. */
static size_t codes_without_title(const cJSON *titles) {
  size_t missing = 0;
  for (size_t i = 0; i < n_codes_found; i++) {
    const char *t = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(titles, codes_found[i]));
    if (t == NULL || t[0] == '\0') {
      fprintf(stderr, "  finding code %s has no title in "
                      "data/report_text.json \"titles\"\n", codes_found[i]);
      missing++;
    }
  }
  return missing;
}

static void test_titles_complete(void) {
  n_codes_found = 0;
  for (size_t i = 0; gk_data_name(i) != NULL; i++) {
    cJSON *j = gk__data_json(gk_data_name(i));
    codes_in_json(j);
    cJSON_Delete(j);
  }
  size_t from_data = n_codes_found;
  char root[1024];
  snprintf(root, sizeof root, "%s/../..", GK_TEST_DATA);
  char path[1200];
  snprintf(path, sizeof path, "%s/include/gaitkeeper/clinic.h", root);
  codes_in_file(path, 0);
  static const char *const dirs[] = {"src/load", "src/clinic", "src/gait"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
    codes_in_dir(path);
  }
  /* the collection itself works: rules of every source, and the codes
     only the C code emits */
  CHECK_TRUE(from_data >= 55);
  static const char *const must[] = {
      "load.single_run_spike", "pain.over_limit",  "gait.pelvic_drop",
      "intake.ottawa_knee",    "screen.walk_pain", "screen.sls_trunk_lean",
      "intake.akps",           "cadence.low_for_speed", "plan.hip_and_knee"};
  for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
    int found = 0;
    for (size_t k = 0; k < n_codes_found; k++)
      found |= strcmp(codes_found[k], must[i]) == 0;
    if (!CHECK_TRUE(found)) fprintf(stderr, "  %s not collected\n", must[i]);
  }
  for (size_t k = 0; k < n_codes_found; k++)
    CHECK_TRUE(strstr(codes_found[k], ".json") == NULL);

  cJSON *text = gk__data_json("report_text.json");
  ASSERT_TRUE(text != NULL);
  const cJSON *titles = cJSON_GetObjectItemCaseSensitive(text, "titles");
  ASSERT_TRUE(cJSON_IsObject(titles));
  CHECK_EQ_INT(codes_without_title(titles), 0);
  /* the check can fail: a new rule's code without a title is reported */
  size_t n = n_codes_found;
  add_code("load.new_rule", 13);
  fprintf(stderr, "  (expected:)\n");
  CHECK_EQ_INT(codes_without_title(titles), 1);
  n_codes_found = n;
  /* no title left over for a code nothing emits */
  for (const cJSON *t = titles->child; t; t = t->next) {
    int used = 0;
    for (size_t k = 0; k < n_codes_found; k++)
      used |= strcmp(codes_found[k], t->string) == 0;
    if (!CHECK_TRUE(used)) fprintf(stderr, "  title for unknown code %s\n",
                                   t->string);
  }
  cJSON_Delete(text);

  /* the titles as shown, and the fallback for a code without one */
  gk__report r;
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  in.plan_json = "{\"stage\":2,\"all_gates\":[{\"name\":\"knee_to_wall_cm\","
                 "\"label\":\"Knee-to-wall distance, the shorter side "
                 "(screen)\",\"stage\":2}]}";
  ASSERT_EQ_INT(gk__report_build(&r, &in), GK_OK);
  char t[128];
  CHECK_STR(gk__report_code_title(&r, "screen.sls_knee_valgus", t, sizeof t),
            "Knee moves inward in the single-leg squat");
  CHECK_STR(gk__report_code_title(&r, "x.some_new_code", t, sizeof t),
            "Some new code");
  CHECK_STR(gk__report_code_title(&r, "gate.knee_to_wall_cm", t, sizeof t),
            "Gate not met yet: Knee-to-wall distance, the shorter side");
  CHECK_STR(gk__report_code_title(&r, "stage.3", t, sizeof t),
            "Core exercise of stage 3");
  CHECK_STR(gk__report_code_title(&r, "nodot", t, 4), "Nod");
  gk__report_free(&r);
}

/* ---- repeated findings -------------------------------------------------------- */

static void test_repeats_grouped(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  /* pain over the limit (6/10 during a run) on three days of the rule's
     14 */
  static const int ago[] = {1, 4, 9};
  for (size_t i = 0; i < sizeof ago / sizeof ago[0] && n_pain < 20; i++) {
    gk_pain_entry *e = &pain[n_pain++];
    memset(e, 0, sizeof *e);
    e->id = (int64_t)n_pain;
    e->day = today - ago[i];
    e->during = 6;
    e->after = -1;
    e->morning = -1;
    e->onset_km = NAN;
  }
  gk_report_input in = base_input(today);
  cJSON *j = json_of(&in);
  ASSERT_TRUE(j != NULL);
  /* the JSON keeps every finding; repeats point to the one shown */
  const cJSON *fs = cJSON_GetObjectItem(j, "findings");
  int n_over = 0, n_groups = 0, n_repeats = 0, idx = 0;
  for (const cJSON *f = fs->child; f; f = f->next, idx++) {
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(f, "code"));
    const cJSON *rep = cJSON_GetObjectItem(f, "repeat_of");
    if (cJSON_IsNumber(rep)) {
      n_repeats++;
      const cJSON *head = cJSON_GetArrayItem(fs, rep->valueint);
      CHECK_TRUE(rep->valueint < idx);
      CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(head, "code")), code);
      CHECK_TRUE(cJSON_IsNull(cJSON_GetObjectItem(head, "repeat_of")));
    } else {
      n_groups++;
    }
    if (strcmp(code, "pain.over_limit") == 0 &&
        strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "severity")),
               "warning") == 0)
      n_over++;
    CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(f, "title")));
  }
  CHECK_TRUE(n_over >= 3);
  CHECK_TRUE(n_repeats >= n_over - 1);
  cJSON_Delete(j);

  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  /* one article per code, whatever the severities of its repeats */
  CHECK_EQ_INT(count(html, "<article"), n_groups);
  const char *over = strstr(html, "<code>pain.over_limit</code>");
  CHECK_TRUE(over != NULL);
  CHECK_EQ_INT(count(html, "<code>pain.over_limit</code>"), 1);
  CHECK_TRUE(strstr(html, "Pain over the limits</h3>") != NULL);
  /* the one shown is the most recent; the others' dates follow */
  gk_load_report lr;
  ASSERT_EQ_INT(gk_load_analyze(runs, n_runs, pain, n_pain, today, &lr), GK_OK);
  int64_t newest = INT64_MIN, oldest = INT64_MAX;
  for (size_t i = 0; i < lr.n_findings; i++)
    if (strcmp(lr.findings[i].code, "pain.over_limit") == 0 &&
        lr.findings[i].severity == GK_SEV_WARNING) {
      if (lr.findings[i].date_to > newest) newest = lr.findings[i].date_to;
      if (lr.findings[i].date_to < oldest) oldest = lr.findings[i].date_to;
    }
  gk_load_report_free(&lr);
  char dn[11], dold[11], want[64];
  gk_day_format(newest, dn);
  gk_day_format(oldest, dold);
  snprintf(want, sizeof want, "On %s you rated", dn);
  const char *shown = strstr(html, want), *also = strstr(html, "Also on:</strong>");
  CHECK_TRUE(shown != NULL && also != NULL && shown < also);
  CHECK_TRUE(also != NULL && strstr(also, dold) != NULL &&
             strstr(also, dold) < strstr(also, "</p>"));
  snprintf(want, sizeof want, "On %s you rated", dold);
  CHECK_TRUE(strstr(html, want) == NULL); /* an older text is not repeated */
  free(html);

  char *txt = text_of(&in);
  ASSERT_TRUE(txt != NULL);
  CHECK_EQ_INT(count(txt, "(pain.over_limit)"), 1);
  CHECK_TRUE(strstr(txt, "CAUTION  Pain over the limits") == NULL);
  snprintf(want, sizeof want, "%s (pain.over_limit); also on ", dn);
  CHECK_TRUE(strstr(txt, want) != NULL);
  CHECK_TRUE(strstr(txt, "WARNING  Pain over the limits") != NULL);
  free(txt);
}

/* ---- the running plan's phases and the plan's chains --------------------------- */

static void test_phases_and_chains(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.plan_json =
      "{\"stage\":1,\"stage_name\":\"pain\",\"running\":{\"mode\":\"walk_run\","
      "\"text\":\"Walk/run from phase 2.\",\"phase\":2,\"phases\":["
      "{\"phase\":1,\"walk_min\":2,\"run_min\":3,\"repeats\":3,"
      "\"continuous_min\":0,\"total_km\":1.6,\"rpe\":3},"
      "{\"phase\":2,\"walk_min\":2,\"run_min\":3,\"repeats\":5,"
      "\"continuous_min\":0,\"total_km\":2.4,\"rpe\":3},"
      "{\"phase\":6,\"walk_min\":0,\"run_min\":0,\"repeats\":1,"
      "\"continuous_min\":27,\"total_km\":3.2,\"rpe\":5}],"
      "\"progression_rules\":[\"A rest day between runs.\",\"Each phase "
      "twice.\"],\"walk_run_source\":\"Trials 2023\",\"rest_days_max\":7,"
      "\"max_single_run_m\":22002.6,\"cap_factor\":1.1,\"pain_limits\":{"
      "\"during_max\":5,\"text\":\"Never over 5/10.\",\"source\":\"La "
      "Trobe\"},\"extra_member\":\"kept\"},"
      "\"findings\":[{\"code\":\"load.single_run_spike\",\"severity\":"
      "\"caution\",\"text\":\"plan copy\",\"chain\":\"Too much, too soon.\","
      "\"chain_id\":\"training_load\",\"chain_source\":\"Frandsen 2025\","
      "\"how_sure\":\"Observational studies.\"},{\"code\":\"screen.hip_weak\","
      "\"severity\":\"caution\",\"text\":\"Weak hips.\",\"chain\":\"Too "
      "much, too soon.\",\"chain_source\":\"Frandsen 2025\",\"how_sure\":"
      "\"Observational studies.\"}],"
      "\"exercises\":[{\"name\":\"Wall sit\",\"dose\":\"5 x 45 s\",\"why\":["
      "\"pain.over_limit\",\"gate.a\",\"gate.b\",\"gate.c\",\"stage.1\"]}],"
      "\"all_gates\":[{\"name\":\"a\",\"label\":\"Gate A (log)\"},{\"name\":"
      "\"b\",\"label\":\"Gate B\"},{\"name\":\"c\",\"label\":\"Gate A\"}]}";
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(headings_ok(html));
  const char *run = strstr(html, "id=\"s-running\"");
  ASSERT_TRUE(run != NULL);
  CHECK_TRUE(strstr(run, "<th scope=\"col\">Walk/run pattern</th>") != NULL);
  CHECK_TRUE(strstr(run, "<tr class=\"current\"><th scope=\"row\">Phase 2 "
                         "(start here)</th><td data-label=\"Walk/run "
                         "pattern\">2 min walk, 3 min run</td>") != NULL);
  CHECK_EQ_INT(count(run, "class=\"current\""), 1);
  CHECK_TRUE(strstr(run, "27 min continuous running") != NULL);
  CHECK_TRUE(strstr(run, "Start at phase 2 of 3.") != NULL);
  CHECK_TRUE(strstr(run, "<li>Each phase twice.</li>") != NULL);
  /* walk/run: no single-run cap; the pain limits on the runner's sheet */
  CHECK_TRUE(strstr(run, "at most 22.0 km") == NULL);
  CHECK_TRUE(strstr(run, "Never over 5&#47;10.") == NULL);
  const char *limits = strstr(html, "Never over 5&#47;10.");
  CHECK_TRUE(limits != NULL && limits < strstr(html, "s-for-clinician"));
  CHECK_EQ_INT(count(html, "Never over 5&#47;10."), 1);
  CHECK_TRUE(strstr(run, "Extra member") != NULL); /* an unknown member */
  CHECK_TRUE(strstr(run, "walk_min") == NULL && strstr(run, "Walk min") == NULL);
  /* the plan's chain and how sure, on the load analysis's own finding */
  const char *spike = strstr(html, "<code>load.single_run_spike</code>");
  const char *art = spike;
  while (art > html && strncmp(art, "<article", 8) != 0) art--;
  CHECK_TRUE(spike && art > html);
  const char *how = strstr(art, "<strong>How sure:</strong> Observational "
                                "studies. <span class=\"evidence\">(Frandsen "
                                "2025)</span>");
  CHECK_TRUE(how != NULL && how < spike);
  const char *why = strstr(art, "<strong>Why it matters:</strong> Too much, "
                                "too soon.");
  CHECK_TRUE(why != NULL && why < spike);
  /* the same chain again refers to the first, not repeated */
  CHECK_EQ_INT(count(html, "Too much, too soon."), 1);
  const char *hip = strstr(html, "Weak hips.");
  CHECK_TRUE(hip != NULL && hip > spike &&
             strstr(hip, "<strong>Why it matters, how sure:</strong> as for "
                         "&#8220;A run much longer than your recent "
                         "longest&#8221; above.") != NULL);
  /* a finding the plan does not explain keeps the general why */
  const char *gait = strstr(html, "<code>gait.pelvic_drop</code>");
  CHECK_TRUE(gait != NULL);
  while (gait > html && strncmp(gait, "<article", 8) != 0) gait--;
  CHECK_TRUE(strstr(gait, "How you run changes the load on the kneecap") <
             strstr(gait, "</article>"));
  /* exercise reasons: titles, the gates as one list (a label once) */
  CHECK_TRUE(strstr(html, "Pain over the limits. Gates not met yet: Gate A; "
                          "Gate B. Core exercise of stage 1") != NULL);
  free(html);

  char *txt = text_of(&in);
  ASSERT_TRUE(txt != NULL);
  CHECK_TRUE(strstr(txt, "  Phase  Walk/run pattern") != NULL);
  CHECK_TRUE(strstr(txt, "  2      2 min walk, 3 min run     5        2.4 km "
                         "   RPE 3   <- start here\n") != NULL);
  CHECK_TRUE(strstr(txt, "  6      27 min continuous         1        3.2 km "
                         "   RPE 5\n") != NULL);
  CHECK_TRUE(strstr(txt, "How sure: Observational studies. (Frandsen 2025)") !=
             NULL);
  CHECK_TRUE(strstr(txt, "Why it matters: Too much, too soon.") != NULL);
  CHECK_TRUE(strstr(txt, "Why it matters, how sure: as for \"A run much "
                         "longer than your") != NULL);
  free(txt);

  cJSON *j = json_of(&in);
  ASSERT_TRUE(j != NULL);
  int with_chain = 0;
  for (const cJSON *f = cJSON_GetObjectItem(j, "findings")->child; f;
       f = f->next) {
    const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(f, "code"));
    const char *hs = cJSON_GetStringValue(cJSON_GetObjectItem(f, "how_sure"));
    if (strcmp(code, "load.single_run_spike") == 0) {
      CHECK_STR(hs, "Observational studies.");
      CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(f, "chain_id")),
                "training_load");
      with_chain++;
    } else if (strcmp(code, "screen.hip_weak") == 0) {
      CHECK_STR(hs, "Observational studies.");
    } else {
      CHECK_TRUE(hs == NULL);
    }
  }
  CHECK_TRUE(with_chain >= 1);
  cJSON_Delete(j);
}

/* The single-run cap in "This week": the plan's while it lets running go
   on capped, none while running is rebuilt by walk/run, the load's without
   a plan. */
static void test_run_cap_follows_the_plan(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  char *html = html_of(&in); /* the fixture plan: walk/run */
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "Today that is at most") == NULL);
  free(html);
  in.plan_json = NULL;
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "Today that is at most") != NULL);
  free(html);
  in.plan_json =
      "{\"stage\":4,\"stage_name\":\"conditioning\",\"gates\":[],"
      "\"exercises\":[],\"running\":{\"mode\":\"continue_capped\","
      "\"max_single_run_m\":12345},\"refer\":false,\"findings\":[]}";
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "Today that is at most 12.3 km") != NULL);
  free(html);
}

/* A plan with no running yet (mode not_yet): the runner's sheet names the
   gates still to meet in plain words (short labels, a pain gate with its
   limit), keeps the plan's "meanwhile", and gives no cadence target, no run
   cap and no phase to start at anywhere. */
static const char NOT_YET_PLAN[] =
    "{\"stage\":1,\"stage_name\":\"pain\",\"stage_title\":\"Calm the pain\","
    "\"gates\":[{\"name\":\"pain_during_running\",\"met\":false,\"value\":4,"
    "\"target\":5,\"unit\":\"/10\",\"comparison\":\"<=\",\"label\":\"Pain "
    "during running (the highest in the pain log of the last 14 days, else "
    "the intake)\"},{\"name\":\"pain_settles_next_morning\",\"met\":false,"
    "\"value\":1,\"target\":0,\"unit\":\"findings\",\"comparison\":\"<=\","
    "\"label\":\"Pain settles by the next morning and is not rising (pain "
    "log, last 14 days: pain.over_limit and pain.rising findings)\"},"
    "{\"name\":\"pain_free_running\",\"met\":false,\"value\":4,\"target\":2,"
    "\"unit\":\"/10\",\"comparison\":\"<=\",\"label\":\"Pain during "
    "running\"}],\"all_gates\":[{\"name\":\"lunge_pain_free\",\"met\":null,"
    "\"label\":\"Lunge without pain\",\"stage\":2}],"
    "\"exercises\":[],\"running\":{\"mode\":\"not_yet\",\"phase\":0,"
    "\"max_single_run_m\":null,\"phases\":[{\"phase\":1,\"walk_min\":2,"
    "\"run_min\":3,\"repeats\":5,\"total_km\":1.6}],\"text\":\"No running "
    "yet. Running starts again, with walk/run, once these are met: Pain "
    "during running (the highest in the pain log of the last 14 days, else "
    "the intake); Pain settles by the next morning and is not rising (pain "
    "log, last 14 days: pain.over_limit and pain.rising findings); Lunge "
    "without pain (not yet known). Until then keep active inside the pain "
    "limits: walking, cycling or swimming.\",\"pain_limits\":{"
    "\"during_ideal_max\":2,\"during_max\":5,\"text\":\"Pain during running "
    "ideally under 2/10 and never over 5/10.\"}},\"cadence\":{"
    "\"baseline_spm\":158,\"target_spm\":null,\"retrain\":true,"
    "\"deferred\":true,\"reason\":\"Cadence retraining is called for and "
    "starts when running does.\"},\"refer\":false,\"findings\":[]}";

static void test_not_yet_in_plain_words(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.plan_json = NOT_YET_PLAN;
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  char *cut = strstr(html, "<div class=\"clinical\">");
  ASSERT_TRUE(cut != NULL);
  *cut = '\0'; /* the runner's sheet */
  CHECK_TRUE(strstr(html, "No running yet.") != NULL);
  CHECK_TRUE(strstr(html, "once these are met: Pain during running (at most "
                          "5&#47;10); Pain settles by the next morning and is "
                          "not rising; Lunge without pain (not yet known). "
                          "Until then keep active") != NULL);
  CHECK_TRUE(strstr(html, "pain.over_limit") == NULL);
  CHECK_TRUE(strstr(html, "the highest in the pain log") == NULL);
  CHECK_TRUE(strstr(html, "at most 2&#47;10") == NULL); /* not stage 4's */
  *cut = '<';
  CHECK_TRUE(strstr(html, "steps per minute") == NULL);
  CHECK_TRUE(strstr(html, "Target about") == NULL);
  CHECK_TRUE(strstr(html, "Today that is at most") == NULL);
  CHECK_TRUE(strstr(html, "Longest single run") == NULL);
  CHECK_TRUE(strstr(html, "start here") == NULL);
  CHECK_TRUE(strstr(html, "None while no running is prescribed: Cadence "
                          "retraining is called for and starts when running "
                          "does.") != NULL);
  /* the plan's whole text, codes and all, stays in the clinician's part */
  CHECK_TRUE(strstr(cut, "pain.over_limit and pain.rising findings") != NULL);
  free(html);
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_report_text(&in, 0, &b, NULL), GK_OK);
  gk_buf_putc(&b, '\0');
  CHECK_TRUE(strstr(b.data, "start here") == NULL);
  CHECK_TRUE(strstr(b.data, "Cadence target:") == NULL);
  gk_buf_free(&b);
}

/* The latest break of the load analysis is shown with the training load
   (HTML, text, JSON); while it goes on there is no run cap. */
static void test_break_shown(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today); /* a 3-week gap, then 4 weeks of runs */
  gk_report_input in = base_input(today);
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "<dt>Latest break</dt><dd>no run from ") != NULL);
  /* the last run before it on day 54 of the history, the next on day 78 */
  CHECK_TRUE(strstr(html, "(23 days)</dd>") != NULL);
  free(html);
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_report_json(&in, &b, NULL), GK_OK);
  gk_buf_putc(&b, '\0');
  cJSON *j = cJSON_Parse(b.data);
  ASSERT_TRUE(j != NULL);
  const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, "load");
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(l, "break_from")));
  CHECK_TRUE(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(l, "break_ongoing")));
  cJSON_Delete(j);
  gk_buf_free(&b);

  /* 20 days on, no run since: the break goes on; without a plan the run
     cap is gone with it (the plan's rule: only runs after the break). */
  in.today = today + 20;
  in.plan_json = NULL;
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "the break goes on") != NULL);
  CHECK_TRUE(strstr(html, "Today that is at most") == NULL);
  free(html);
  b = (gk_buf){0};
  ASSERT_EQ_INT(gk_report_text(&in, 0, &b, NULL), GK_OK);
  gk_buf_putc(&b, '\0');
  CHECK_TRUE(strstr(b.data, "Latest break: no run since ") != NULL);
  gk_buf_free(&b);
}

/* The runner's sheet shows the exercises' doses and instructions as
   data/exercises.json gives them: a pain number there ("N/10") is one of
   the pain rule's (data/running.json pain_limits) and is the exercise's
   own limit only when its source says so (gives the same N/10); every
   other dose says "inside the pain rule". */
static int pain_numbers_ok(const char *id, const char *field, const char *t,
                           const char *source, int ideal, int max) {
  int ok = 1;
  for (const char *p = t ? strstr(t, "/10") : NULL; p; p = strstr(p + 3, "/10")) {
    const char *d = p;
    while (d > t && d[-1] >= '0' && d[-1] <= '9') d--;
    if (d == p) continue;
    char num[8];
    snprintf(num, sizeof num, "%.*s/10", (int)(p - d), d);
    int n = atoi(num);
    if (n != ideal && n != max) {
      fprintf(stderr, "  %s %s: %s is not the pain rule's %d/10 or %d/10\n",
              id, field, num, ideal, max);
      ok = 0;
    }
    if (source == NULL || strstr(source, num) == NULL) {
      fprintf(stderr, "  %s %s: its own limit %s, which its source does not "
                      "give\n", id, field, num);
      ok = 0;
    }
  }
  return ok;
}

static void test_exercise_pain_numbers(void) {
  cJSON *ex = gk__data_json("exercises.json");
  cJSON *run = gk__data_json("running.json");
  ASSERT_TRUE(ex != NULL && run != NULL);
  const cJSON *pl = cJSON_GetObjectItemCaseSensitive(run, "pain_limits");
  int ideal = (int)cJSON_GetNumberValue(
          cJSON_GetObjectItemCaseSensitive(pl, "during_ideal_max")),
      max = (int)cJSON_GetNumberValue(
          cJSON_GetObjectItemCaseSensitive(pl, "during_max"));
  CHECK_TRUE(ideal > 0 && max > ideal);
  /* the check can fail */
  CHECK_TRUE(!pain_numbers_ok("probe", "dose", "pain no more than 3/10", "x",
                              ideal, max));
  CHECK_TRUE(!pain_numbers_ok("probe", "dose", "stop above 2/10", "a paper",
                              ideal, max));
  CHECK_TRUE(pain_numbers_ok("probe", "dose", "stop above 2/10",
                             "its own limit 2/10", ideal, max));
  const cJSON *e;
  size_t n = 0, own = 0, rule = 0;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ex, "exercises")) {
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "id"));
    const char *src =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "source"));
    static const char *const fields[] = {"dose", "instructions", "progression",
                                         "regression"};
    int has = 0;
    for (size_t k = 0; k < 4; k++) {
      const char *t = cJSON_GetStringValue(
          cJSON_GetObjectItemCaseSensitive(e, fields[k]));
      CHECK_TRUE(pain_numbers_ok(id ? id : "?", fields[k], t, src, ideal, max));
      if (t && strstr(t, "/10")) has = 1;
      if (t && strstr(t, "inside the pain rule")) rule++;
    }
    own += (size_t)has;
    n++;
  }
  CHECK_TRUE(n > 20);
  CHECK_TRUE(rule >= 4); /* the doses that had their own 3/10 */
  CHECK_TRUE(own <= 1);  /* the hops */
  cJSON_Delete(ex);
  cJSON_Delete(run);
}

/* The glossary of the clinician's part comes from data/report_text.json:
   every term once, after the runner's sheet, none of them before it. */
static void test_glossary_from_data(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  cJSON *t = gk__data_json("report_text.json");
  ASSERT_TRUE(t != NULL);
  const cJSON *g;
  const char *cut = strstr(html, "<div class=\"clinical\">");
  ASSERT_TRUE(cut != NULL);
  size_t n = 0;
  cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(t, "glossary")) {
    const char *term =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(g, "term"));
    ASSERT_TRUE(term != NULL);
    char tag[96];
    snprintf(tag, sizeof tag, "<strong>%s</strong>", term);
    const char *at = strstr(html, tag);
    CHECK_TRUE(at != NULL && at > cut);
    CHECK_TRUE(at == NULL || strstr(at + 1, tag) == NULL);
    n++;
  }
  CHECK_TRUE(n >= 5);
  CHECK_TRUE(strstr(html, "<strong>FPPA</strong>, frontal plane projection "
                          "angle") != NULL);
  cJSON_Delete(t);
  free(html);
}

/* ---- the plan's re-tests ------------------------------------------------------ */

static const char RETEST_PLAN[] =
    "{\"stage\":2,\"stage_name\":\"mobility\",\"gates\":[],\"exercises\":[],"
    "\"running\":{\"mode\":\"walk_run\"},\"refer\":false,\"findings\":[],"
    "\"retests\":[{\"test\":\"akps\",\"name\":\"Repeat the Kujala score\","
    "\"due\":\"2099-01-01\",\"due_now\":false,\"why\":\"Every 28 days.\","
    "\"source\":\"Crossley et al. 2004\"},{\"test\":\"screen\",\"name\":"
    "\"Repeat the functional screen\",\"due\":\"2020-01-02\",\"due_now\":"
    "true,\"why\":\"14 days after the screen.\",\"source\":\"The staged "
    "method\"}]}";

static void test_retests_shown(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = today;
  in.gait_day = INT64_MIN;
  in.plan_json = RETEST_PLAN;
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(headings_ok(html));
  const char *clinical = strstr(html, "<div class=\"clinical\">");
  ASSERT_TRUE(clinical != NULL);
  /* This week (the runner's sheet) names the test due now, not the other. */
  const char *due = strstr(html, "Repeat the functional screen, due now");
  CHECK_TRUE(due != NULL && due < clinical);
  const char *later = strstr(html, "Repeat the Kujala score");
  CHECK_TRUE(later != NULL && later > clinical);
  /* The clinician's part lists both with their dates, why and source. */
  const char *sec = strstr(clinical, "Tests to repeat</h2>");
  ASSERT_TRUE(sec != NULL);
  CHECK_TRUE(strstr(sec, "2099-01-01") != NULL);
  CHECK_TRUE(strstr(sec, "<strong>now</strong>, since 2020-01-02") != NULL);
  CHECK_TRUE(strstr(sec, "14 days after the screen.") != NULL);
  CHECK_TRUE(strstr(sec, "Crossley et al. 2004") != NULL);
  free(html);

  char *text = text_of(&in);
  ASSERT_TRUE(text != NULL);
  const char *tw = strstr(text, "This week:");
  const char *tr = strstr(text, "Tests to repeat");
  ASSERT_TRUE(tw != NULL && tr != NULL);
  const char *d = strstr(tw, "- Repeat the functional screen, due now");
  CHECK_TRUE(d != NULL && d < tr);
  CHECK_TRUE(strstr(tr, "Repeat the Kujala score, due on 2099-01-01: Every "
                        "28 days.") != NULL);
  free(text);

  cJSON *j = json_of(&in);
  ASSERT_TRUE(j != NULL);
  const cJSON *rt = cJSON_GetObjectItemCaseSensitive(
      cJSON_GetObjectItemCaseSensitive(j, "plan"), "retests");
  CHECK_TRUE(cJSON_IsArray(rt) && cJSON_GetArraySize(rt) == 2);
  int found = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(j, "this_week")) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "text");
    if (cJSON_IsString(t) && strstr(t->valuestring, "functional screen"))
      found++;
  }
  CHECK_EQ_INT(found, 1);
  cJSON_Delete(j);

  /* A plan without re-tests has no such section. */
  in.plan_json = PROVISIONAL_PLAN;
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "Tests to repeat") == NULL);
  free(html);
}

/* ---- the course over weeks ------------------------------------------------- */

/* The intake of a visit: pain during running and in daily life, the 13 AKPS
   answers (0 best; the first 6 akps_a, the others akps_b). */
static void course_intake(char *out, size_t size, int pain_run, int pain_daily,
                          int akps_a, int akps_b) {
  snprintf(out, size,
           "{\"age\":34,\"sex\":\"female\",\"height_cm\":168,\"mass_kg\":61,"
           "\"side\":\"right\",\"pain_location\":\"around_kneecap\","
           "\"onset\":\"gradual\",\"trauma\":false,\"swelling_within_2h\":false,"
           "\"patellar_tenderness\":false,\"fibular_head_tenderness\":false,"
           "\"can_bear_weight\":true,\"can_flex_90\":true,\"locking\":false,"
           "\"giving_way\":false,\"kneecap_dislocation\":false,"
           "\"swelling\":false,\"hot_red_swollen\":false,"
           "\"fever_or_unwell\":false,\"night_pain\":false,\"rest_pain\":false,"
           "\"constant_pain\":false,\"bony_tenderness\":false,"
           "\"pain_on_hop\":false,\"hip_or_groin_pain\":false,"
           "\"unexplained_weight_loss\":false,\"grinding\":true,"
           "\"morning_stiffness_min\":5,\"worse_with\":[\"stairs_down\","
           "\"squat\"],\"history\":[],\"pain_now\":%d,\"pain_run\":%d,"
           "\"pain_daily\":%d,\"shoes_km\":300,"
           "\"akps\":[%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d]}",
           pain_daily, pain_run, pain_daily, akps_a, akps_a, akps_a, akps_a,
           akps_a, akps_a, akps_b, akps_b, akps_b, akps_b, akps_b, akps_b,
           akps_b);
}

/* The screen of a visit: knee-to-wall (the shorter side), the deep squat's
   and the walk's pain, single-leg bridges of the weaker side. */
static void course_screen(char *out, size_t size, double ktw, int squat_pain,
                          int walk_pain, int bridges) {
  snprintf(out, size,
           "{\"knee_to_wall_cm\":{\"left\":%.1f,\"right\":%.1f},"
           "\"deep_squat\":{\"full_depth\":true,\"pain\":%s},"
           "\"lunge\":{\"pain\":false},"
           "\"single_leg_squat\":{\"left\":{\"knee_valgus\":false,"
           "\"pelvic_drop\":false,\"trunk_lean\":false,\"pain\":false},"
           "\"right\":{\"knee_valgus\":true,\"pelvic_drop\":true,"
           "\"trunk_lean\":false,\"pain\":true}},"
           "\"single_leg_bridge_reps\":{\"left\":22,\"right\":%d},"
           "\"calf_raise_reps\":{\"left\":27,\"right\":24},"
           "\"side_plank_s\":{\"left\":45,\"right\":30},"
           "\"hop_pain\":{\"left\":false,\"right\":false},"
           "\"walk_30min_pain\":%s}",
           ktw + 1, ktw, squat_pain ? "true" : "false", bridges,
           walk_pain ? "true" : "false");
}

/* Three visits four weeks apart in a store, the pain log between them, the
   course built and written through the library: *json (malloc'd) and the
   pain log in pain[] / n_pain.  0 on failure. */
static int course_store(int64_t today, char **json) {
  char dir[] = "/tmp/gk-test-course-XXXXXX", path[64], buf[2048];
  *json = NULL;
  if (mkdtemp(dir) == NULL) return 0;
  snprintf(path, sizeof path, "%s/gk.db", dir);
  gk_store *s = NULL;
  int ok = gk_store_open(&s, path, NULL) == GK_OK;
  const int64_t d0 = today - 63;
  /* visit 1: stage 1 (pain 6/10 running, 3/10 daily, the walk hurts);
     visit 2: the pain gates met; visit 3: full mobility */
  course_intake(buf, sizeof buf, 6, 3, 1, 1);
  ok = ok && gk_store_add_answers(s, "intake", d0, buf, NULL) == GK_OK;
  course_screen(buf, sizeof buf, 7.0, 1, 1, 12);
  ok = ok && gk_store_add_answers(s, "screen", d0, buf, NULL) == GK_OK;
  course_intake(buf, sizeof buf, 2, 1, 0, 1);
  ok = ok && gk_store_add_answers(s, "intake", d0 + 28, buf, NULL) == GK_OK;
  course_screen(buf, sizeof buf, 8.5, 1, 0, 18);
  ok = ok && gk_store_add_answers(s, "screen", d0 + 28, buf, NULL) == GK_OK;
  course_intake(buf, sizeof buf, 1, 0, 0, 0);
  ok = ok && gk_store_add_answers(s, "intake", d0 + 56, buf, NULL) == GK_OK;
  course_screen(buf, sizeof buf, 11.5, 0, 0, 24);
  ok = ok && gk_store_add_answers(s, "screen", d0 + 56, buf, NULL) == GK_OK;
  n_pain = 0;
  for (int k = 0; k < 18 && ok; k++) { /* every 3.5 days, easing */
    gk_pain_entry *e = &pain[n_pain < 20 ? n_pain : 19];
    memset(e, 0, sizeof *e);
    e->day = d0 + 1 + (k * 7) / 2;
    e->during = k < 4 ? 6 : k < 8 ? 3 : 1;
    e->after = k < 4 ? 5 : k < 8 ? 2 : 1;
    e->morning = k < 4 ? 4 : k < 8 ? 2 : 0;
    e->onset_km = NAN;
    ok = gk_store_add_pain(s, e, &e->id) == GK_OK;
    n_pain++;
  }
  gk_course c;
  ok = ok && gk_course_build(s, today, &c, NULL) == GK_OK;
  if (ok) {
    gk_buf b = {0};
    gk_course_write_json(&c, &b);
    gk_buf_putc(&b, '\0');
    ok = !b.oom;
    if (ok) *json = b.data;
    else gk_buf_free(&b);
  }
  gk_course_free(&c);
  gk_store_close(s);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) ok = 0;
  return ok && *json;
}

static void test_course_section(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  char *course = NULL;
  ASSERT_TRUE(course_store(today, &course));
  cJSON *doc = cJSON_Parse(course);
  ASSERT_TRUE(doc != NULL);
  const cJSON *changes = cJSON_GetObjectItemCaseSensitive(doc, "changes");
  /* the course itself moved: two changes of stage, three AKPS */
  CHECK_TRUE(cJSON_GetArraySize(changes) >= 2);
  CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "akps")), 3);

  gk_report_input in;
  memset(&in, 0, sizeof in);
  in.today = today;
  in.pain = pain;
  in.n_pain = n_pain;
  in.course_json = course;
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  const char *keep = getenv("GK_TEST_COURSE_HTML"); /* to look at it */
  FILE *f = keep ? fopen(keep, "w") : NULL;
  if (f) {
    fputs(html, f);
    fclose(f);
  }
  const char *sec = strstr(html, "<h2 id=\"s-course\">Your course over weeks</h2>");
  CHECK_TRUE(sec != NULL);
  /* in the clinician's part, before the training load */
  const char *clin = strstr(html, "<div class=\"clinical\">"),
             *load = strstr(html, "id=\"s-load\"");
  CHECK_TRUE(sec && clin && load && clin < sec && sec < load);
  /* every change of stage: its date and why, in the list and the chart */
  const cJSON *ch;
  cJSON_ArrayForEach(ch, changes) {
    const char *date = cJSON_GetObjectItemCaseSensitive(ch, "date")->valuestring;
    const char *why = cJSON_GetObjectItemCaseSensitive(ch, "why")->valuestring;
    gk_buf w = {0};
    gk__html_esc(&w, why);
    gk_buf_putc(&w, '\0');
    char item[512];
    snprintf(item, sizeof item, "<li>%s: stage %d -&gt; %d. %s", date,
             (int)cJSON_GetObjectItemCaseSensitive(ch, "from")->valuedouble,
             (int)cJSON_GetObjectItemCaseSensitive(ch, "to")->valuedouble,
             w.data);
    CHECK_TRUE(strstr(html, item) != NULL);
    if (strstr(html, item) == NULL) fprintf(stderr, "missing: %s\n", item);
    CHECK_TRUE(count(html, w.data) >= 3); /* the list, the chart, its desc */
    gk_buf_free(&w);
  }
  /* the charts: stage, AKPS, pain, a small one per screen gate */
  CHECK_TRUE(strstr(html, "id=\"ch-course-stage-t\"") != NULL);
  CHECK_TRUE(strstr(html, "id=\"ch-course-akps-t\"") != NULL);
  CHECK_TRUE(strstr(html, "id=\"ch-course-pain-t\"") != NULL);
  CHECK_EQ_INT(count(html, "id=\"ch-course-gate"), 8); /* 4 x title, desc */
  size_t n_svg = 0;
  CHECK_TRUE(svgs_accessible(html, &n_svg));
  CHECK_EQ_INT(n_svg, 4 + 3 + 4); /* the load and cadence charts, the
                                    course: stage, AKPS, pain, 4 gates */
  CHECK_TRUE(nothing_external(html));
  CHECK_TRUE(headings_ok(html));
  size_t n_colours = 0;
  CHECK_TRUE(colours_in_palette(html, &n_colours));
  /* the minimal important changes: AKPS 10 around the first score, pain
     1.16 around the first week's mean (6/10), the pain limit 5/10 */
  CHECK_TRUE(strstr(html, "within 10 points of the first score") != NULL);
  CHECK_TRUE(strstr(html, ">first +10</text>") != NULL);
  CHECK_TRUE(strstr(html, "mean pain during (6.0) plus or minus 1.16") != NULL);
  CHECK_TRUE(strstr(html, ">limit 5</text>") != NULL);
  CHECK_TRUE(strstr(html, "Minimal important change: Crossley") != NULL);
  /* the screen's values at the visits, with the targets */
  CHECK_TRUE(strstr(html, "7 cm on ") != NULL && strstr(html, "11.5 cm on ") != NULL);
  CHECK_TRUE(strstr(html, "target at least 10 cm") != NULL);
  CHECK_TRUE(strstr(html, "No course yet") == NULL);
  free(html);

  /* the JSON lists the course's charts with their descriptions */
  cJSON *js = json_of(&in);
  ASSERT_TRUE(js != NULL);
  const cJSON *charts = cJSON_GetObjectItemCaseSensitive(js, "charts"), *cj;
  size_t n_course = 0;
  cJSON_ArrayForEach(cj, charts) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(cj, "id");
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(cj, "desc");
    if (cJSON_IsString(id) && strncmp(id->valuestring, "ch-course-", 10) == 0) {
      n_course++;
      CHECK_TRUE(cJSON_IsString(ds) && strlen(ds->valuestring) > 20);
    }
  }
  CHECK_EQ_INT(n_course, 3 + 4);
  cJSON_Delete(js);

  /* the terminal summary: the same numbers in words */
  char *text = text_of(&in);
  ASSERT_TRUE(text != NULL);
  CHECK_TRUE(strstr(text, "Your course over weeks") != NULL);
  CHECK_TRUE(strstr(text, "change of 1.16 points") != NULL);
  free(text);

  /* malformed: not JSON, or JSON that is not a course: no section, no
     failure */
  static const char *const bad[] = {
      "{\"days\":[", "[1,2]", "{\"days\":{}}",
      "{\"days\":[{\"date\":\"2026-13-40\",\"stage\":1}]}",
      "{\"days\":[{\"date\":\"2026-10-01\",\"stage\":7}]}",
      "{\"days\":[],\"changes\":[{\"date\":\"2026-10-01\"}]}",
      "{\"days\":[],\"akps\":[{\"date\":\"2026-10-01\",\"score\":300}]}",
      ("{\"days\":[],\"changes\":[{\"date\":\"2026-10-01\",\"from\":-1,"
       "\"to\":2}]}")};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    in.course_json = bad[i];
    html = html_of(&in);
    CHECK_TRUE(html != NULL);
    CHECK_TRUE(html && strstr(html, "s-course") == NULL);
    CHECK_TRUE(html && strstr(html, "s-load") != NULL);
    free(html);
  }
  /* a why and a gate label from the document are text, not markup */
  in.course_json =
      "{\"gates\":[{\"name\":\"knee_to_wall_cm\",\"label\":\"<i>ktw</i>\","
      "\"unit\":\"cm\",\"comparison\":\">=\",\"target\":10}],"
      "\"days\":[{\"date\":\"2026-10-01\",\"stage\":1,\"visit\":true,"
      "\"value\":[7]},{\"date\":\"2026-10-20\",\"stage\":2,"
      "\"visit\":true,\"value\":[11]}],\"changes\":[{\"date\":"
      "\"2026-10-20\",\"from\":1,\"to\":2,\"why\":\"<script>x</script>\"}]}";
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "<li>2026-10-20: stage 1 -&gt; 2. &lt;script&gt;") != NULL);
  CHECK_TRUE(strstr(html, "&lt;i&gt;ktw&lt;&#47;i&gt;") != NULL);
  CHECK_TRUE(strstr(html, "<i>ktw") == NULL && nothing_external(html));
  free(html);
  /* empty: the section says what to record */
  in.course_json = "{\"today\":\"2026-11-01\",\"gates\":[],\"days\":[],"
                   "\"days_left_out\":0,\"changes\":[],\"akps\":[]}";
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "id=\"s-course\"") != NULL);
  CHECK_TRUE(strstr(html, "No course yet") != NULL);
  CHECK_TRUE(strstr(html, "<code>gaitkeeper screen</code>") != NULL);
  CHECK_TRUE(strstr(html, "ch-course-") == NULL);
  free(html);
  /* a course without pain, AKPS or screen values: each part says what to
     record instead of an empty chart */
  in.n_pain = 0;
  in.pain = NULL;
  in.course_json = "{\"gates\":[],\"days\":[{\"date\":\"2026-10-20\","
                   "\"stage\":1,\"provisional\":true,\"visit\":true}],"
                   "\"changes\":[],\"akps\":[]}";
  html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  CHECK_TRUE(strstr(html, "id=\"ch-course-stage-t\"") != NULL);
  CHECK_TRUE(strstr(html, ", provisional</title>") != NULL);
  CHECK_TRUE(strstr(html, "No AKPS yet") != NULL);
  CHECK_TRUE(strstr(html, "No pain logged since the course began") != NULL);
  CHECK_TRUE(strstr(html, "No screen values yet") != NULL);
  CHECK_TRUE(strstr(html, "ch-course-akps") == NULL &&
             strstr(html, "ch-course-pain") == NULL);
  free(html);
  cJSON_Delete(doc);
  free(course);
}

int main(void) {
  RUN(test_glossary_from_data);
  RUN(test_exercise_pain_numbers);
  RUN(test_not_yet_in_plain_words);
  RUN(test_break_shown);
  RUN(test_run_cap_follows_the_plan);
  RUN(test_structure);
  RUN(test_refer_on_top);
  RUN(test_hostile_text);
  RUN(test_no_url_in_output);
  RUN(test_missing_everything);
  RUN(test_bad_arguments);
  RUN(test_text_colour);
  RUN(test_json_numbers);
  RUN(test_palette_contrast);
  RUN(test_provisional_and_unknown);
  RUN(test_retests_shown);
  RUN(test_titles_complete);
  RUN(test_repeats_grouped);
  RUN(test_phases_and_chains);
  RUN(test_course_section);
  return TEST_SUMMARY();
}
