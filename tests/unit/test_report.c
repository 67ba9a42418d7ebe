/*
** test_report.c -- the runner's knee report (gaitkeeper/report.h): the HTML
** page's structure (sections in order, one h1, h2 then h3, every chart an
** <svg role="img"> with a <title> and a <desc>, no script, nothing loaded
** from outside), escaping of hostile text, missing and unreadable
** documents, the terminal summary's colour, the JSON's numbers against the
** load analysis, and the WCAG contrast of every colour of the palette.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/load.h"
#include "gaitkeeper/report.h"
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
    "\"source\":\"Bennell 1998\",\"evidence_note\":null,\"dates\":null}]}";

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

static const char *const SECTIONS[] = {
    "s-stage",     "s-findings", "s-load",  "s-cadence",   "s-gait",
    "s-exercises", "s-running",  "s-gates", "s-clinician", "s-sources"};
#define N_SECTIONS (sizeof SECTIONS / sizeof SECTIONS[0])

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
  CHECK_TRUE(sections_in_order(html, SECTIONS, N_SECTIONS));
  CHECK_TRUE(headings_ok(html));
  size_t n_svg = 0;
  CHECK_TRUE(svgs_accessible(html, &n_svg));
  CHECK_EQ_INT(n_svg, 5); /* weekly, daily, cadence x2, gait bands */
  CHECK_TRUE(nothing_external(html));
  /* the plan's content */
  CHECK_TRUE(strstr(html, "Stage 2: Mobility") != NULL);
  CHECK_TRUE(strstr(html, "Wall sit") != NULL);
  CHECK_TRUE(strstr(html, "5 x 45 s") != NULL);
  CHECK_TRUE(strstr(html, "1 of 2 met") != NULL);
  CHECK_TRUE(strstr(html, "target 166") != NULL);
  /* the gait panel: values, the refused metric, the stick-figure note */
  CHECK_TRUE(strstr(html, "8.9 deg") != NULL);
  CHECK_TRUE(strstr(html, "not measured from this view") != NULL);
  CHECK_TRUE(strstr(html, "too few points to draw") != NULL);
  CHECK_TRUE(strstr(html, "0 to 5 deg") != NULL); /* pelvic drop band */
  /* findings from all three documents, most severe first */
  const char *w = strstr(html, "gait.pelvic_drop"),
             *c = strstr(html, "screen.dorsiflexion_limited");
  CHECK_TRUE(w != NULL && c != NULL && w < c);
  CHECK_TRUE(strstr(html, "load.single_run_spike") != NULL);
  /* the clinician box is always there; no red-flag box without refer */
  CHECK_TRUE(strstr(html, "When to see a clinician") != NULL);
  CHECK_TRUE(strstr(html, "s-redflags") == NULL);
  free(html);
}

static void test_refer_on_top(void) {
  int64_t today = gk_day_from_civil(TODAY_Y, TODAY_M, TODAY_D);
  make_history(today);
  gk_report_input in = base_input(today);
  in.plan_json =
      "{\"stage\":0,\"stage_name\":\"See a clinician\",\"refer\":true,"
      "\"findings\":[{\"code\":\"intake.night_pain\",\"severity\":\"refer\","
      "\"text\":\"Night pain with bony tenderness.\",\"source\":\"NHS\"}]}";
  char *html = html_of(&in);
  ASSERT_TRUE(html != NULL);
  static const char *const want[] = {
      "s-redflags", "s-stage",     "s-findings", "s-load",
      "s-cadence",  "s-gait",      "s-exercises", "s-running",
      "s-gates",    "s-clinician", "s-sources"};
  CHECK_TRUE(sections_in_order(html, want, sizeof want / sizeof want[0]));
  const char *rf = strstr(html, "Night pain with bony tenderness");
  CHECK_TRUE(rf != NULL && rf < strstr(html, "s-stage"));
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
      "\"<img src=x onerror=alert(1)>\",\"why\":[\"a<b\"]}],"
      "\"running\":{\"<i>k</i>\":\"</dd><script>x</script>\"},"
      "\"gates\":[{\"name\":\"'quoted'\",\"met\":true,\"value\":\"<u>\","
      "\"target\":1}],"
      "\"findings\":[{\"code\":\"x.<svg onload=alert(1)>\",\"severity\":"
      "\"caution\",\"text\":\"</p><script>bad()</script>\",\"source\":"
      "\"https://evil.example/\"}]}";
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
  CHECK_TRUE(strstr(html, "&lt;script&gt;alert(1)&lt;&#47;script&gt;") != NULL);
  CHECK_TRUE(strstr(html, "Squat &amp; &quot;hold&quot; &lt;b&gt;") != NULL);
  CHECK_TRUE(strstr(html, "&#39;quoted&#39;") != NULL);
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
               lr.n_findings + 2);
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
      CHECK_TRUE(0);
      continue;
    }
    char hex[8];
    memcpy(hex, p, 7);
    hex[7] = '\0';
    int known = 0;
    for (size_t i = 0; i < gk__report_palette_n; i++)
      if (strcmp(gk__report_palette[i].hex, hex) == 0) known = 1;
    if (!known) fprintf(stderr, "colour %s is not in the palette\n", hex);
    CHECK_TRUE(known);
    used++;
  }
  CHECK_TRUE(used > 20);
  CHECK_TRUE(count(html, "<svg") == 5);
  free(html);
}

int main(void) {
  RUN(test_structure);
  RUN(test_refer_on_top);
  RUN(test_hostile_text);
  RUN(test_no_url_in_output);
  RUN(test_missing_everything);
  RUN(test_bad_arguments);
  RUN(test_text_colour);
  RUN(test_json_numbers);
  RUN(test_palette_contrast);
  return TEST_SUMMARY();
}
