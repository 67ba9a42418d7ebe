/*
** data.c -- look up the data/ files compiled into the library.
*/
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
