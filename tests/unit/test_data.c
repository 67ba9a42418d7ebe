/*
** test_data.c -- the data/ files compiled into the library: every one is
** present, parses as a JSON object with an "about" text, and every rule or
** item in it that states a threshold or a decision names its evidence,
** and every finding pattern in data/ (chains' "match", exercises'
** "answers" and the progression's "flare_codes", education items' "for")
** can match a finding some rule emits.
*/
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "gaitkeeper/assess.h"
#include "gaitkeeper/data.h"
#include "test.h"

/* Every object with a "threshold", "gate" or "urgency" member (a rule) must
   have a "source" string. */
static int rules_cite(const cJSON *node, const char *file) {
  int ok = 1;
  if (cJSON_IsObject(node)) {
    int rule = cJSON_GetObjectItemCaseSensitive(node, "threshold") != NULL ||
               cJSON_GetObjectItemCaseSensitive(node, "urgency") != NULL;
    if (rule) {
      const cJSON *src = cJSON_GetObjectItemCaseSensitive(node, "source");
      if (!cJSON_IsString(src) || src->valuestring[0] == '\0') {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "code");
        if (id == NULL) id = cJSON_GetObjectItemCaseSensitive(node, "id");
        fprintf(stderr, "%s: rule %s has no source\n", file,
                cJSON_IsString(id) ? id->valuestring : "(unnamed)");
        ok = 0;
      }
    }
  }
  for (const cJSON *c = node ? node->child : NULL; c; c = c->next)
    ok &= rules_cite(c, file);
  return ok;
}

static void test_every_file_parses(void) {
  size_t n = 0;
  for (const char *name; (name = gk_data_name(n)) != NULL; n++) {
    size_t len = 0;
    const char *text = gk_data_text(name, &len);
    ASSERT_TRUE(text != NULL);
    CHECK_EQ_INT(strlen(text), len);
    cJSON *j = gk__data_json(name);
    if (j == NULL) {
      fprintf(stderr, "%s: not valid JSON near: %.40s\n", name,
              cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
    }
    CHECK_TRUE(cJSON_IsObject(j));
    const cJSON *about = cJSON_GetObjectItemCaseSensitive(j, "about");
    CHECK_TRUE(cJSON_IsString(about));
    CHECK_TRUE(rules_cite(j, name));
    /* the shared tree: the same parse, the same tree on every call */
    const cJSON *s = gk__data(name);
    CHECK_TRUE(s != NULL && s == gk__data(name));
    CHECK_TRUE(cJSON_Compare(j, s, 1));
    cJSON_Delete(j);
  }
  CHECK_TRUE(gk_data_text("no-such-file.json", NULL) == NULL);
  CHECK_TRUE(gk__data("no-such-file.json") == NULL);
  CHECK_TRUE(gk__data(NULL) == NULL);
  CHECK_TRUE(gk_data_name(n) == NULL);
}

/* '*' matches any run of characters (as gk__plan_match_any). */
static int glob(const char *p, const char *s) {
  if (*p == '\0') return *s == '\0';
  if (*p == '*') return glob(p + 1, s) || (*s && glob(p, s + 1));
  return *p == *s && glob(p + 1, s + 1);
}

#define CODES_MAX 512
static char codes[CODES_MAX][96];
static size_t n_codes;

static void add_code(const char *c) {
  if (n_codes < CODES_MAX) snprintf(codes[n_codes++], 96, "%s", c);
}

/* Every "code" string anywhere in node (the rules' finding codes). */
static void collect_codes(const cJSON *node) {
  for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
    if (c->string && strcmp(c->string, "code") == 0 && cJSON_IsString(c))
      add_code(c->valuestring);
    collect_codes(c);
  }
}

static int pattern_reachable(const char *pat) {
  for (size_t i = 0; i < n_codes; i++)
    if (glob(pat, codes[i])) return 1;
  return 0;
}

/* Each string of the array member `member` of every object in node. */
static int patterns_reachable(const cJSON *node, const char *member,
                              const char *file) {
  int ok = 1;
  for (const cJSON *c = node ? node->child : NULL; c; c = c->next) {
    if (c->string && strcmp(c->string, member) == 0 && cJSON_IsArray(c)) {
      const cJSON *p;
      cJSON_ArrayForEach(p, c) {
        if (cJSON_IsString(p) && !pattern_reachable(p->valuestring)) {
          fprintf(stderr, "%s: %s pattern '%s' matches no finding any rule "
                  "emits\n", file, member, p->valuestring);
          ok = 0;
        }
      }
    }
    ok &= patterns_reachable(c, member, file);
  }
  return ok;
}

static void test_patterns_reachable(void) {
  static const char *const rule_files[] = {
      "screen.json", "intake.json", "red_flags.json", "gait_rules.json",
      "load_rules.json", "gait2d.json"};
  n_codes = 0;
  for (size_t i = 0; i < sizeof rule_files / sizeof rule_files[0]; i++) {
    cJSON *j = gk__data_json(rule_files[i]);
    CHECK_TRUE(j != NULL);
    collect_codes(j);
    cJSON_Delete(j);
  }
  /* Findings the C code names itself (src/clinic/intake.c, running.c). */
  add_code("intake.akps");
  add_code("cadence.low_for_speed");
  /* gate.<name>: a gate of data/stages.json not met. */
  cJSON *st = gk__data_json("stages.json");
  ASSERT_TRUE(st != NULL);
  const cJSON *stage;
  cJSON_ArrayForEach(stage, cJSON_GetObjectItemCaseSensitive(st, "stages")) {
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(stage, "gates")) {
      const cJSON *nm = cJSON_GetObjectItemCaseSensitive(g, "name");
      char buf[96];
      if (!cJSON_IsString(nm)) continue;
      snprintf(buf, sizeof buf, "gate.%s", nm->valuestring);
      add_code(buf);
    }
  }
  cJSON_Delete(st);
  /* stage.<n>: the stage, which education items may name ("for"). */
  for (int s = 1; s <= 4; s++) {
    char buf[16];
    snprintf(buf, sizeof buf, "stage.%d", s);
    add_code(buf);
  }
  CHECK_TRUE(n_codes > 40 && n_codes < CODES_MAX);
  static const struct {
    const char *file, *member;
  } uses[] = {{"chains.json", "match"},
              {"exercises.json", "answers"},
              {"exercises.json", "flare_codes"},
              {"stages.json", "for"}};
  for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++) {
    cJSON *j = gk__data_json(uses[i].file);
    CHECK_TRUE(j != NULL);
    CHECK_TRUE(patterns_reachable(j, uses[i].member, uses[i].file));
    cJSON_Delete(j);
  }
}

/* ---- one pain rule -------------------------------------------------------
** The pain limits are stated once, in data/running.json "pain_limits"
** (ideally under during_ideal_max, never over during_max); every rule that
** judges pain uses those two numbers, and every "N/10" a runner reads in a
** data file is one of them. */

static double num_at(const cJSON *o, const char *a, const char *b) {
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
  if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
  return cJSON_IsNumber(x) ? x->valuedouble : -1;
}

static double threshold_of(const cJSON *node, const char *key,
                           const char *value) {
  if (node == NULL) return -1;
  const cJSON *k = cJSON_GetObjectItemCaseSensitive(node, key);
  if (cJSON_IsString(k) && strcmp(k->valuestring, value) == 0)
    return num_at(node, "threshold", NULL);
  for (const cJSON *c = node->child; c; c = c->next) {
    double t = threshold_of(c, key, value);
    if (t >= 0) return t;
  }
  return -1;
}

/* Every "N/10" in a string a runner may read (not "source", "evidence" or
   "evidence_note": those quote the papers) is ideal or max.  Returns the
   number of strays, printed. */
static int stray_pain_numbers(const cJSON *node, const char *file,
                              const char *member, double ideal, double max) {
  int n = 0;
  if (cJSON_IsString(node) && member &&
      strcmp(member, "source") != 0 && strncmp(member, "evidence", 8) != 0) {
    const char *t = node->valuestring;
    for (const char *p = strstr(t, "/10"); p; p = strstr(p + 1, "/10")) {
      const char *q = p;
      while (q > t && q[-1] >= '0' && q[-1] <= '9') q--;
      if (q == p) continue; /* "{value}/10" */
      double v = 0;
      for (const char *r = q; r < p; r++) v = v * 10 + (*r - '0');
      if (v != ideal && v != max) {
        fprintf(stderr, "%s: \"%s\": %.0f/10 is not the pain rule's %.0f or "
                        "%.0f: %s\n", file, member, v, ideal, max, t);
        n++;
      }
    }
  }
  for (const cJSON *c = node ? node->child : NULL; c; c = c->next)
    n += stray_pain_numbers(c, file, c->string ? c->string : member, ideal,
                            max);
  return n;
}

static void test_one_pain_rule(void) {
  cJSON *run = gk__data_json("running.json");
  ASSERT_TRUE(run != NULL);
  double ideal = num_at(run, "pain_limits", "during_ideal_max");
  double max = num_at(run, "pain_limits", "during_max");
  CHECK_TRUE(ideal == 2 && max == 5);
  CHECK_TRUE(num_at(run, "pause", "pain_run_over") == max);
  cJSON_Delete(run);

  cJSON *st = gk__data_json("stages.json");
  ASSERT_TRUE(st != NULL);
  CHECK_TRUE(threshold_of(st, "name", "pain_during_running") == max);
  CHECK_TRUE(threshold_of(st, "name", "pain_daily_life") == ideal);
  CHECK_TRUE(threshold_of(st, "name", "pain_free_running") == ideal);
  cJSON_Delete(st);
  cJSON *in = gk__data_json("intake.json");
  ASSERT_TRUE(in != NULL);
  CHECK_TRUE(threshold_of(in, "code", "intake.pain_run_over_limit") == max);
  CHECK_TRUE(threshold_of(in, "code", "intake.pain_run_above_ideal") == ideal);
  cJSON_Delete(in);
  cJSON *lr = gk__data_json("load_rules.json");
  ASSERT_TRUE(lr != NULL);
  CHECK_TRUE(threshold_of(lr, "code", "pain.over_limit") == max);
  cJSON_Delete(lr);

  /* the test itself: a stray number is caught, the rule's are not */
  cJSON *probe = cJSON_Parse("{\"a\":{\"text\":\"hold at 3/10, {value}/10\","
                             "\"source\":\"3/10 in the paper\"},"
                             "\"b\":[\"2/10 or 5/10\"]}");
  ASSERT_TRUE(probe != NULL);
  CHECK_EQ_INT(stray_pain_numbers(probe, "probe", NULL, ideal, max), 1);
  cJSON_Delete(probe);

  int strays = 0;
  for (size_t i = 0; gk_data_name(i) != NULL; i++) {
    cJSON *j = gk__data_json(gk_data_name(i));
    if (j == NULL) continue;
    strays += stray_pain_numbers(j, gk_data_name(i), NULL, ideal, max);
    cJSON_Delete(j);
  }
  CHECK_EQ_INT(strays, 0);
}

/* data/retests.json: the three tests, each with a source; the gait
   capture's old limit is the one of gk_assess's old-capture note.  Every
   gate of data/stages.json says what measures it. */
static void test_retests(void) {
  cJSON *r = gk__data_json("retests.json");
  ASSERT_TRUE(r != NULL);
  static const char *const tests[] = {"akps", "screen", "gait_capture"};
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(r, "tests");
  CHECK_EQ_INT(cJSON_GetArraySize(arr), 3);
  for (size_t i = 0; i < 3; i++) {
    const cJSON *t = cJSON_GetArrayItem(arr, (int)i);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "test");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(t, "source");
    CHECK_TRUE(cJSON_IsString(id) && strcmp(id->valuestring, tests[i]) == 0);
    CHECK_TRUE(cJSON_IsString(src) && src->valuestring[0] != '\0');
    if (i == 2) {
      const cJSON *old =
          cJSON_GetObjectItemCaseSensitive(t, "capture_old_days");
      CHECK_TRUE(cJSON_IsNumber(old));
      CHECK_EQ_INT(old->valueint, GK_ASSESS_CAPTURE_OLD_DAYS);
    }
  }
  cJSON_Delete(r);
  cJSON *s = gk__data_json("stages.json");
  ASSERT_TRUE(s != NULL);
  const cJSON *st, *g;
  cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(s, "stages")) {
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(st, "gates")) {
      const cJSON *f = cJSON_GetObjectItemCaseSensitive(g, "from");
      int ok = cJSON_IsString(f) && (strcmp(f->valuestring, "screen") == 0 ||
                                     strcmp(f->valuestring, "intake") == 0 ||
                                     strcmp(f->valuestring, "pain log") == 0 ||
                                     strcmp(f->valuestring, "runs") == 0);
      if (!ok)
        fprintf(stderr, "stages.json: gate %s has no valid \"from\"\n",
                cJSON_GetObjectItemCaseSensitive(g, "name")->valuestring);
      CHECK_TRUE(ok);
    }
  }
  cJSON_Delete(s);
}

int main(void) {
  RUN(test_every_file_parses);
  RUN(test_patterns_reachable);
  RUN(test_one_pain_rule);
  RUN(test_retests);
  return TEST_SUMMARY();
}
