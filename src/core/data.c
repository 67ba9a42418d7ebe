/*
** data.c -- look up the data/ files compiled into the library, and parse
** them: gk__data_json (a fresh tree for the caller) or gk__data (one tree
** per file, parsed on first use and shared for the life of the process).
*/
#include <stdatomic.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/data_internal.h"
#include "gaitkeeper/data.h"

const char *gk_data_text(const char *name, size_t *len) {
  if (name == NULL) return NULL;
  for (const gk__data_file *f = gk__data_files; f->name != NULL; f++) {
    if (strcmp(f->name, name) == 0) {
      if (len != NULL) *len = f->len;
      return f->text;
    }
  }
  return NULL;
}

const char *gk_data_name(size_t i) {
  for (size_t k = 0; gk__data_files[k].name != NULL; k++)
    if (k == i) return gk__data_files[k].name;
  return NULL;
}

cJSON *gk__data_json(const char *name) {
  size_t len = 0;
  const char *text = gk_data_text(name, &len);
  if (text == NULL) return NULL;
  return cJSON_ParseWithLength(text, len);
}

/* The shared trees, by the file's index in gk__data_files.  Never freed:
   codes, texts and sources that the library hands out point into them. */
#define GK__DATA_SHARED_MAX 64
static _Atomic(cJSON *) shared[GK__DATA_SHARED_MAX];

const cJSON *gk__data(const char *name) {
  if (name == NULL) return NULL;
  size_t i = 0;
  while (gk__data_files[i].name != NULL &&
         strcmp(gk__data_files[i].name, name) != 0)
    i++;
  if (gk__data_files[i].name == NULL) return NULL;
  if (i >= GK__DATA_SHARED_MAX) return NULL; /* tests/unit/test_data.c */
  cJSON *have = atomic_load(&shared[i]);
  if (have != NULL) return have;
  cJSON *parsed =
      cJSON_ParseWithLength(gk__data_files[i].text, gk__data_files[i].len);
  if (parsed == NULL) return NULL;
  cJSON *expected = NULL;
  if (!atomic_compare_exchange_strong(&shared[i], &expected, parsed)) {
    cJSON_Delete(parsed); /* another thread was first */
    return expected;
  }
  return parsed;
}
