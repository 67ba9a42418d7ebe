/*
** test_stick_figure.c -- the SVG stick figure of a 2D gait figure: valid
** structure (balanced tags), a title and an accessible label, no script,
** every number finite, both sides drawn with distinct styles, and gaps
** left out.
*/
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "gaitkeeper/gait.h"
#include "gaitkeeper/sim.h"
#include "gaitkeeper/stick_figure.h"
#include "test.h"

/* Tags balance (a stack of names); self-closing tags count as closed. */
static int balanced(const char *s) {
  char stack[32][16];
  int sp = 0;
  for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
    int close = p[1] == '/';
    const char *n = p + 1 + close;
    size_t len = 0;
    while (isalnum((unsigned char)n[len])) len++;
    if (len == 0 || len >= 16) return 0;
    const char *end = strchr(p, '>');
    if (end == NULL) return 0;
    int self = end[-1] == '/';
    if (close) {
      if (sp == 0 || strncmp(stack[sp - 1], n, len) != 0 ||
          stack[sp - 1][len] != '\0')
        return 0;
      sp--;
    } else if (!self) {
      if (sp == 32) return 0;
      memcpy(stack[sp], n, len);
      stack[sp][len] = '\0';
      sp++;
    }
  }
  return sp == 0;
}

/* Every number inside attribute values is finite and within the viewBox
   (with room for the margin). */
static int numbers_ok(const char *s) {
  for (const char *p = strstr(s, "=\""); p; p = strstr(p + 1, "=\"")) {
    const char *v = p + 2;
    if (!(isdigit((unsigned char)*v) || *v == '-')) continue;
    char *end;
    double d = strtod(v, &end);
    if (!isfinite(d) || d < -1 || d > 10000) return 0;
  }
  return strstr(s, "nan") == NULL && strstr(s, "inf") == NULL;
}

static gk_gait *analysed(gk_capture_view v) {
  gk_sim_runner2d_options o;
  gk_sim_runner2d_defaults(&o);
  o.view = v;
  o.camera_height_m = 0.1;
  o.duration_s = 4;
  o.pelvic_drop_deg[1] = 10;
  gk_capture *c = NULL;
  if (gk_sim_runner2d(&o, &c, NULL, NULL) != GK_OK) return NULL;
  gk_gait *g = NULL;
  gk_gait2d_options go = {0};
  gk_status st = gk_gait2d_analyse(c, &go, &g, NULL);
  gk_capture_free(c);
  return st == GK_OK ? g : NULL;
}

static void test_svg(void) {
  gk_gait *g = analysed(GK_VIEW_REAR);
  ASSERT_TRUE(g != NULL);
  ASSERT_TRUE(g->n_figures >= 3);
  for (size_t i = 0; i < g->n_figures; i++) {
    gk_buf b = {0};
    ASSERT_EQ_INT(gk_stick_figure_svg(&g->figures[i], 200, &b), GK_OK);
    gk_buf_putc(&b, '\0');
    const char *s = b.data;
    CHECK_TRUE(strncmp(s, "<svg ", 5) == 0);
    CHECK_TRUE(balanced(s));
    CHECK_TRUE(numbers_ok(s));
    CHECK_TRUE(strstr(s, "<title>Runner at ") != NULL);
    CHECK_TRUE(strstr(s, g->figures[i].label) != NULL);
    CHECK_TRUE(strstr(s, "role=\"img\"") != NULL);
    CHECK_TRUE(strstr(s, "aria-label=") != NULL);
    CHECK_TRUE(strstr(s, "viewBox=\"0 0 100.0 100.0\"") != NULL);
    CHECK_TRUE(strstr(s, "<script") == NULL && strstr(s, "onload") == NULL);
    CHECK_TRUE(strstr(s, "class=\"l\"") != NULL); /* left */
    CHECK_TRUE(strstr(s, "class=\"r\"") != NULL); /* right, dashed */
    CHECK_TRUE(strstr(s, "stroke-dasharray:3 2") != NULL);
    CHECK_TRUE(strstr(s, "class=\"p\"") != NULL); /* pelvis */
    CHECK_TRUE(strstr(s, "class=\"v\"") != NULL); /* vertical */
    gk_buf_free(&b);
  }
  /* the pelvis line of the peak-drop figure is tilted in the SVG: the
     left hip (contralateral to the right stance) lower */
  struct gk_gait_figure *f = &g->figures[3];
  CHECK_TRUE(strstr(f->label, "right stance") != NULL);
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_stick_figure_svg(f, 200, &b), GK_OK);
  gk_buf_putc(&b, '\0');
  const char *p = strstr(b.data, "class=\"p\"");
  ASSERT_TRUE(p != NULL);
  double x1, y1, x2, y2;
  ASSERT_EQ_INT(sscanf(p, "class=\"p\" x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\"",
                       &x1, &y1, &x2, &y2), 4);
  /* x1,y1: LHip; from behind the left hip is on the image left */
  CHECK_TRUE(x1 < x2);
  double tilt = atan2(y1 - y2, x2 - x1) * 180 / 3.14159265358979;
  printf("  pelvis line in the peak-drop figure: %.1f deg, left hip lower\n",
         tilt);
  CHECK_TRUE(tilt > 5 && tilt < 15);
  gk_buf_free(&b);
  gk_gait_free(g);
}

static void test_gaps_and_bad_input(void) {
  static const char *const names[3] = {"LHip", "LKnee", "RHip"};
  double xy[6] = {10, 10, NAN, NAN, 30, 12};
  struct gk_gait_figure f;
  memset(&f, 0, sizeof f);
  strcpy(f.label, "a <test> & \"quote\"");
  f.n_points = 3;
  f.xy = xy;
  f.point_names = names;
  gk_buf b = {0};
  ASSERT_EQ_INT(gk_stick_figure_svg(&f, 0, &b), GK_OK);
  gk_buf_putc(&b, '\0');
  CHECK_TRUE(balanced(b.data));
  CHECK_TRUE(numbers_ok(b.data));
  CHECK_TRUE(strstr(b.data, "a &lt;test&gt; &amp; &quot;quote&quot;") != NULL);
  CHECK_TRUE(strstr(b.data, "class=\"l\"") == NULL); /* knee missing */
  gk_buf_free(&b);
  xy[4] = NAN;
  CHECK_EQ_INT(gk_stick_figure_svg(&f, 100, &b), GK_E_NOT_FOUND);
  CHECK_EQ_INT(gk_stick_figure_svg(NULL, 100, &b), GK_E_ARG);
  gk_buf_free(&b);
}

int main(void) {
  RUN(test_svg);
  RUN(test_gaps_and_bad_input);
  return TEST_SUMMARY();
}
