/*
** test_data.c -- the data/ files compiled into the library: every one is
** present, parses as a JSON object with an "about" text, and every rule or
** item in it that states a threshold or a decision names its evidence.
*/
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

int main(void) {
  RUN(test_every_file_parses);
  return TEST_SUMMARY();
}
