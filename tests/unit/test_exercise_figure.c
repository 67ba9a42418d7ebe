/*
** test_exercise_figure.c -- every exercise of data/exercises.json has a
** pose in data/exercise_figures.json (and no pose names an unknown
** exercise), every pose draws, and the poses mean what they say: the
** wall sit's thighs are level with the hip, the calf raise's heel is above
** its toes, the lying poses are wider than tall.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gaitkeeper/data.h"
#include "report/report_internal.h"
#include "test.h"

#include "core/data_internal.h"

static cJSON *figures(cJSON *doc) {
  return cJSON_GetObjectItemCaseSensitive(doc, "figures");
}

static void test_every_exercise_has_a_figure(void) {
  cJSON *ex = gk__data_json("exercises.json");
  cJSON *fig = gk__data_json("exercise_figures.json");
  ASSERT_TRUE(ex != NULL && fig != NULL);
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(ex, "exercises");
  ASSERT_TRUE(cJSON_IsArray(list));
  int n = 0;
  for (const cJSON *e = list->child; e; e = e->next, n++) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    ASSERT_TRUE(cJSON_IsString(id));
    const cJSON *pose =
        cJSON_GetObjectItemCaseSensitive(figures(fig), id->valuestring);
    if (pose == NULL) printf("  no figure for %s\n", id->valuestring);
    CHECK_TRUE(pose != NULL);
    gk_buf b = {0};
    CHECK_EQ_INT(gk__exercise_figure_svg(pose, id->valuestring, 120, &b), GK_OK);
    gk_buf_putc(&b, '\0');
    CHECK_TRUE(b.data && strncmp(b.data, "<svg ", 5) == 0);
    CHECK_TRUE(b.data && strstr(b.data, "<title>") != NULL);
    CHECK_TRUE(b.data && strstr(b.data, "nan") == NULL);
    gk_buf_free(&b);
  }
  for (const cJSON *p = figures(fig)->child; p; p = p->next) {
    int found = 0;
    for (const cJSON *e = list->child; e && !found; e = e->next) {
      const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
      found = cJSON_IsString(id) && strcmp(id->valuestring, p->string) == 0;
    }
    if (!found) printf("  figure for unknown exercise %s\n", p->string);
    CHECK_TRUE(found);
  }
  printf("  %d exercises, %d figures\n", n, cJSON_GetArraySize(figures(fig)));
  cJSON_Delete(ex);
  cJSON_Delete(fig);
}

/* The coordinates of the first <line class="cls"> after skip lines of
   that class. */
static int nth_line(const char *s, const char *cls, int skip, double v[4]) {
  char pat[32];
  snprintf(pat, sizeof pat, "class=\"%s\" x1=", cls);
  const char *p = s;
  for (int i = 0; i <= skip; i++) {
    p = strstr(p, pat);
    if (p == NULL) return 0;
    if (i < skip) p++;
  }
  char fmt[96];
  snprintf(fmt, sizeof fmt,
           "class=\"%s\" x1=\"%%lf\" y1=\"%%lf\" x2=\"%%lf\" y2=\"%%lf\"", cls);
  return sscanf(p, fmt, &v[0], &v[1], &v[2], &v[3]) == 4;
}

static void draw(const char *id, gk_buf *b) {
  cJSON *fig = gk__data_json("exercise_figures.json");
  ASSERT_TRUE(fig != NULL);
  ASSERT_EQ_INT(gk__exercise_figure_svg(
                    cJSON_GetObjectItemCaseSensitive(figures(fig), id), id,
                    100, b),
                GK_OK);
  gk_buf_putc(b, '\0');
  cJSON_Delete(fig);
}

static void test_poses(void) {
  /* near-side segments in stick_figure.c's order: upper arm, forearm,
     thigh, shank, ankle to toe */
  gk_buf b = {0};
  double v[4];
  draw("wall_sit", &b);
  ASSERT_TRUE(b.data && nth_line(b.data, "l", 2, v)); /* thigh: level */
  CHECK_TRUE(fabs(v[1] - v[3]) < 0.5 && v[2] > v[0] + 10);
  ASSERT_TRUE(b.data && nth_line(b.data, "l", 3, v)); /* shank: vertical, going down */
  CHECK_TRUE(fabs(v[0] - v[2]) < 0.5 && v[3] > v[1] + 10);
  gk_buf_free(&b);
  draw("calf_raise", &b);
  ASSERT_TRUE(b.data && nth_line(b.data, "l", 4, v)); /* foot: toes below the ankle */
  CHECK_TRUE(v[3] > v[1] + 1 && v[2] > v[0]);
  gk_buf_free(&b);
  draw("bridge", &b);
  /* lying: the trunk (neck to pelvis, class c after the shoulder line)
     runs more across than down */
  ASSERT_TRUE(b.data && nth_line(b.data, "c", 2, v));
  CHECK_TRUE(fabs(v[2] - v[0]) > 2 * fabs(v[3] - v[1]));
  gk_buf_free(&b);
}

static void test_bad_poses(void) {
  gk_buf b = {0};
  cJSON *p = cJSON_Parse("{\"trunk\": 0, \"l_thigh\": 0, \"l_shank\": 0, "
                         "\"r_thigh\": 0, \"r_shank\": 0, \"l_arm\": 0}");
  ASSERT_TRUE(p != NULL);
  CHECK_EQ_INT(gk__exercise_figure_svg(p, "x", 100, &b), GK_E_CORRUPT);
  cJSON_AddNumberToObject(p, "r_arm", 1e9);
  CHECK_EQ_INT(gk__exercise_figure_svg(p, "x", 100, &b), GK_E_CORRUPT);
  cJSON_ReplaceItemInObject(p, "r_arm", cJSON_CreateString("up"));
  CHECK_EQ_INT(gk__exercise_figure_svg(p, "x", 100, &b), GK_E_CORRUPT);
  cJSON_ReplaceItemInObject(p, "r_arm", cJSON_CreateNumber(10));
  CHECK_EQ_INT(gk__exercise_figure_svg(p, "x", 100, &b), GK_OK);
  CHECK_EQ_INT(gk__exercise_figure_svg(NULL, "x", 100, &b), GK_E_ARG);
  gk_buf_free(&b);
  cJSON_Delete(p);
}

int main(void) {
  RUN(test_every_exercise_has_a_figure);
  RUN(test_poses);
  RUN(test_bad_poses);
  return TEST_SUMMARY();
}
