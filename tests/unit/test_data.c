/*
** test_data.c -- the data/ files compiled into the library: every one is
** present, parses as a JSON object with an "about" text, and every rule or
** item in it that states a threshold or a decision names its evidence,
** and every finding pattern in data/ (chains' "match", exercises'
** "answers") can match a finding some rule emits.
*/
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
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
    cJSON_Delete(j);
  }
  CHECK_TRUE(gk_data_text("no-such-file.json", NULL) == NULL);
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
  CHECK_TRUE(n_codes > 40 && n_codes < CODES_MAX);
  static const struct {
    const char *file, *member;
  } uses[] = {{"chains.json", "match"},
              {"exercises.json", "answers"}};
  for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++) {
    cJSON *j = gk__data_json(uses[i].file);
    CHECK_TRUE(j != NULL);
    CHECK_TRUE(patterns_reachable(j, uses[i].member, uses[i].file));
    cJSON_Delete(j);
  }
}

int main(void) {
  RUN(test_every_file_parses);
  RUN(test_patterns_reachable);
  return TEST_SUMMARY();
}
