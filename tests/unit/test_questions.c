/*
** test_questions.c -- the question list (sides and AKPS items expanded),
** the reader of typed answers, the answers object built from typed text,
** each problem attached to its field, and the round trip back to text.
*/
#include <stdint.h>

#include "gaitkeeper/clinic.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/questions.h"
#include "test.h"

#define QMAX 200
static gk_question qs[QMAX];

static const gk_question *find(size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(qs[i].key, key) == 0) return &qs[i];
  return NULL;
}

/* The JSON gk_question_read makes of text, or "ERR: msg". */
static const char *read_as(const gk_question *q, const char *text) {
  static char out[512];
  gk_buf b = {0};
  gk_err e = {0};
  if (gk_question_read(q, text, &b, &e) == GK_OK)
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.data ? b.data : "");
  else
    snprintf(out, sizeof out, "ERR: %s", e.msg ? e.msg : "?");
  gk_buf_free(&b);
  return out;
}

static void test_intake_list(void) {
  size_t n = 0;
  ASSERT_EQ_INT(gk_questions(GK_QUESTIONS_INTAKE, qs, QMAX, &n, NULL), GK_OK);
  ASSERT_TRUE(n > 13 && n <= QMAX);
  const gk_question *age = find(n, "age");
  ASSERT_TRUE(age != NULL);
  CHECK_EQ_INT(age->type, GK_QUESTION_NUMBER);
  CHECK_NEAR(age->min, 10, 0);
  CHECK_NEAR(age->max, 100, 0);
  const gk_question *sex = find(n, "sex");
  ASSERT_TRUE(sex != NULL);
  CHECK_EQ_INT(sex->type, GK_QUESTION_CHOICE);
  CHECK_EQ_INT(sex->n_values, 3);
  /* The AKPS as 13 items, in order, each with its answers. */
  int items = 0;
  for (size_t i = 0; i < n; i++)
    if (qs[i].type == GK_QUESTION_AKPS_ITEM) {
      items++;
      char want[16];
      snprintf(want, sizeof want, "akps.%d", items);
      CHECK_STR(qs[i].key, want);
      CHECK_TRUE(qs[i].n_values >= 2);
      CHECK_STR(qs[i].group, "AKPS");
    }
  CHECK_EQ_INT(items, GK_AKPS_ITEMS);
  CHECK_TRUE(find(n, "akps") == NULL);
  /* A count with no room. */
  size_t m = 0;
  CHECK_EQ_INT(gk_questions(GK_QUESTIONS_INTAKE, NULL, 0, &m, NULL), GK_OK);
  CHECK_EQ_INT((int)m, (int)n);
}

static void test_screen_sides(void) {
  size_t n = 0;
  ASSERT_EQ_INT(gk_questions(GK_QUESTIONS_SCREEN, qs, QMAX, &n, NULL), GK_OK);
  int left = 0, right = 0;
  for (size_t i = 0; i < n; i++) {
    CHECK_TRUE(strstr(qs[i].key, "{side}") == NULL);
    CHECK_TRUE(strstr(qs[i].prompt, "{side}") == NULL);
    if (strstr(qs[i].key, ".left") || strstr(qs[i].key, "left.")) left++;
    if (strstr(qs[i].key, ".right") || strstr(qs[i].key, "right.")) right++;
  }
  CHECK_TRUE(left > 5);
  CHECK_EQ_INT(left, right);
}

static void test_read(void) {
  size_t n = 0;
  ASSERT_EQ_INT(gk_questions(GK_QUESTIONS_INTAKE, qs, QMAX, &n, NULL), GK_OK);
  const gk_question *age = find(n, "age"), *sex = find(n, "sex");
  const gk_question *ww = find(n, "worse_with"), *a1 = find(n, "akps.1");
  const gk_question *trauma = find(n, "trauma");
  ASSERT_TRUE(age && sex && ww && a1 && trauma);
  CHECK_STR(read_as(age, " 34 "), "34");
  CHECK_STR(read_as(age, ""), "null");
  CHECK_STR(read_as(age, "   "), "null");
  CHECK_STR(read_as(age, "34,5"), "34.5"); /* a decimal comma */
  CHECK_TRUE(strncmp(read_as(age, "9"), "ERR: give a number from 10 to 100",
                     33) == 0);
  CHECK_TRUE(strncmp(read_as(age, "abc"), "ERR:", 4) == 0);
  CHECK_TRUE(strncmp(read_as(age, "nan"), "ERR:", 4) == 0);
  CHECK_TRUE(strncmp(read_as(age, "inf"), "ERR:", 4) == 0);
  CHECK_TRUE(strncmp(read_as(age, "0x20"), "ERR:", 4) == 0);
  CHECK_TRUE(strncmp(read_as(age, "3\x01"), "ERR:", 4) == 0);
  CHECK_STR(read_as(trauma, "Yes"), "true");
  CHECK_STR(read_as(trauma, "n"), "false");
  CHECK_TRUE(strncmp(read_as(trauma, "maybe"), "ERR: answer yes or no", 21) ==
             0);
  CHECK_STR(read_as(sex, "female"), "\"female\"");
  CHECK_STR(read_as(sex, "FEMALE"), "\"female\"");
  CHECK_STR(read_as(sex, "2"), "\"male\"");
  CHECK_TRUE(strncmp(read_as(sex, "4"), "ERR: pick one of:", 17) == 0);
  CHECK_STR(read_as(ww, "none"), "[]");
  /* Each value once, in the listed order, by name or number. */
  char want[128], both[64];
  snprintf(both, sizeof both, "%s, 1 %s", ww->values[1], ww->values[1]);
  snprintf(want, sizeof want, "[\"%s\",\"%s\"]", ww->values[0],
           ww->values[1]);
  CHECK_STR(read_as(ww, both), want);
  CHECK_TRUE(strncmp(read_as(ww, "1,zzz"), "ERR: 'zzz' is not one of", 24) ==
             0);
  CHECK_STR(read_as(a1, "1"), "0");
  CHECK_STR(read_as(a1, a1->values[2]), "2");
  CHECK_TRUE(strncmp(read_as(a1, "0"), "ERR:", 4) == 0);
  char longer[600];
  memset(longer, '1', sizeof longer - 1);
  longer[sizeof longer - 1] = '\0';
  CHECK_TRUE(strncmp(read_as(age, longer), "ERR: the answer is too long", 27) ==
             0);
}

/* Form fields: key=value pairs. */
typedef struct fields {
  const char *const *kv; /* key, value, ..., NULL */
} fields;

static const char *field(void *user, const gk_question *q) {
  const fields *f = user;
  for (size_t i = 0; f->kv[i] != NULL; i += 2)
    if (strcmp(f->kv[i], q->key) == 0) return f->kv[i + 1];
  return NULL;
}

static void test_from_text(void) {
  static const char *const kv[] = {"age",     "34",   "sex",    "female",
                                   "trauma",  "no",   "akps.1", "1",
                                   "akps.13", "3",    NULL};
  fields f = {kv};
  gk_buf json = {0};
  gk_answer_problem p[8];
  size_t np = 99;
  ASSERT_EQ_INT(gk_answers_from_text(GK_QUESTIONS_INTAKE, field, &f, &json, p,
                                     8, &np, NULL),
                GK_OK);
  CHECK_EQ_INT((int)np, 0);
  gk_buf_putc(&json, '\0');
  CHECK_TRUE(strstr(json.data, "\"age\":34") != NULL);
  CHECK_TRUE(strstr(json.data, "\"sex\":\"female\"") != NULL);
  CHECK_TRUE(strstr(json.data, "\"trauma\":false") != NULL);
  CHECK_TRUE(strstr(json.data, "\"akps\":[0,null") != NULL);
  CHECK_TRUE(strstr(json.data, ",2]") != NULL);
  /* The object reads back as the answers file does. */
  gk_intake in;
  CHECK_EQ_INT(gk_intake_parse(json.data, strlen(json.data), &in, NULL),
               GK_OK);
  /* And each answer back to text that reads to the same value. */
  size_t n = 0;
  ASSERT_EQ_INT(gk_questions(GK_QUESTIONS_INTAKE, qs, QMAX, &n, NULL), GK_OK);
  char t[256];
  gk_answer_text(find(n, "age"), json.data, strlen(json.data), t, sizeof t);
  CHECK_STR(t, "34");
  gk_answer_text(find(n, "trauma"), json.data, strlen(json.data), t, sizeof t);
  CHECK_STR(t, "no");
  gk_answer_text(find(n, "akps.13"), json.data, strlen(json.data), t,
                 sizeof t);
  CHECK_STR(t, "3");
  gk_answer_text(find(n, "akps.2"), json.data, strlen(json.data), t, sizeof t);
  CHECK_STR(t, "");
  gk_answer_text(find(n, "height_cm"), json.data, strlen(json.data), t,
                 sizeof t);
  CHECK_STR(t, "");
  gk_answer_text(find(n, "age"), "{oops", 5, t, sizeof t);
  CHECK_STR(t, "");
  gk_buf_free(&json);
}

static void test_problems_by_field(void) {
  static const char *const kv[] = {"age", "9", "sex", "robot", "trauma",
                                   "yes", "mass_kg", "60", NULL};
  fields f = {kv};
  gk_buf json = {0};
  gk_answer_problem p[8];
  size_t np = 0;
  gk_err e = {0};
  CHECK_EQ_INT(gk_answers_from_text(GK_QUESTIONS_INTAKE, field, &f, &json, p,
                                    8, &np, &e),
               GK_E_CORRUPT);
  ASSERT_EQ_INT((int)np, 2);
  CHECK_STR(p[0].key, "age");
  CHECK_STR(p[1].key, "sex");
  CHECK_TRUE(strstr(p[1].msg, "female") != NULL);
  /* The answers that read are kept (a form shows them again). */
  gk_buf_putc(&json, '\0');
  CHECK_TRUE(strstr(json.data, "\"mass_kg\":60") != NULL);
  CHECK_TRUE(strstr(json.data, "\"age\"") == NULL);
  gk_buf_free(&json);
  /* A room for one problem still counts them all. */
  np = 0;
  CHECK_EQ_INT(gk_answers_from_text(GK_QUESTIONS_INTAKE, field, &f, &json, p,
                                    1, &np, NULL),
               GK_E_CORRUPT);
  CHECK_EQ_INT((int)np, 2);
  gk_buf_free(&json);
}

/* A contradiction of the whole is put on the field its message names. */
static void test_whole_object_problem(void) {
  size_t n = 0;
  ASSERT_EQ_INT(gk_questions(GK_QUESTIONS_INTAKE, qs, QMAX, &n, NULL), GK_OK);
  const gk_question *a2 = find(n, "akps.2");
  ASSERT_TRUE(a2 != NULL);
  /* "can_bear_weight: true contradicts akps[1]: weight bearing impossible"
     -- the last answer of item 2 is "impossible". */
  char last[8];
  snprintf(last, sizeof last, "%d", a2->n_values);
  const char *kv[] = {"can_bear_weight", "yes", "akps.2", last, NULL};
  fields f = {kv};
  gk_buf json = {0};
  gk_answer_problem p[4];
  size_t np = 0;
  CHECK_EQ_INT(gk_answers_from_text(GK_QUESTIONS_INTAKE, field, &f, &json, p,
                                    4, &np, NULL),
               GK_E_CORRUPT);
  ASSERT_EQ_INT((int)np, 1);
  CHECK_STR(p[0].key, "can_bear_weight");
  CHECK_TRUE(strstr(p[0].msg, "contradicts") != NULL);
  gk_buf_free(&json);
}

static void test_screen_from_text(void) {
  size_t n = 0;
  ASSERT_EQ_INT(gk_questions(GK_QUESTIONS_SCREEN, qs, QMAX, &n, NULL), GK_OK);
  const gk_question *num = NULL;
  for (size_t i = 0; i < n && num == NULL; i++)
    if (qs[i].type == GK_QUESTION_NUMBER && strstr(qs[i].key, "left"))
      num = &qs[i];
  ASSERT_TRUE(num != NULL);
  char v[32];
  snprintf(v, sizeof v, "%g", num->max);
  const char *kv[] = {num->key, v, NULL};
  fields f = {kv};
  gk_buf json = {0};
  gk_answer_problem p[4];
  size_t np = 0;
  ASSERT_EQ_INT(gk_answers_from_text(GK_QUESTIONS_SCREEN, field, &f, &json, p,
                                     4, &np, NULL),
                GK_OK);
  gk_screen s;
  CHECK_EQ_INT(gk_screen_parse(json.data, json.len, &s, NULL), GK_OK);
  char t[64];
  gk_answer_text(num, json.data, json.len, t, sizeof t);
  CHECK_STR(t, v);
  gk_buf_free(&json);
}

int main(void) {
  RUN(test_intake_list);
  RUN(test_screen_sides);
  RUN(test_read);
  RUN(test_from_text);
  RUN(test_problems_by_field);
  RUN(test_whole_object_problem);
  RUN(test_screen_from_text);
  return TEST_SUMMARY();
}
