/*
** fuzz_form.c -- libFuzzer harness: any bytes as the web app's form bodies
** (app/server/form.c): as application/x-www-form-urlencoded, and as
** multipart/form-data with the boundary the seeds use ("gkb") and with a
** boundary taken from the input's first line as a Content-Type.  Every
** field found must lie inside the body.  Seeds: tests/data/form/.
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inside(const gk_form *f, const char *body, size_t len) {
  for (size_t i = 0; i < f->n; i++) {
    const char *v = f->f[i].value;
    if (v < body || v > body + len || f->f[i].len > (size_t)(body + len - v))
      abort();
    if (strlen(f->f[i].name) > len) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static gk_form form;
  char msg[200];
  char *body = (char *)malloc(size + 1);
  if (body == NULL) return 0;
  memcpy(body, data, size);
  if (gk_form_urlencoded(body, size, &form, msg, sizeof msg) == 0)
    check_inside(&form, body, size);
  memcpy(body, data, size);
  if (gk_form_multipart(body, size, "gkb", &form, msg, sizeof msg) == 0)
    check_inside(&form, body, size);
  /* the first line as a Content-Type, the rest as the body */
  const uint8_t *nl = memchr(data, '\n', size);
  if (nl != NULL) {
    size_t hl = (size_t)(nl - data);
    char ct[256], boundary[80];
    if (hl < sizeof ct) {
      memcpy(ct, data, hl);
      ct[hl] = '\0';
      if (gk_form_boundary(ct, boundary, sizeof boundary) == 0) {
        size_t bl = size - hl - 1;
        memcpy(body, nl + 1, bl);
        if (gk_form_multipart(body, bl, boundary, &form, msg, sizeof msg) == 0)
          check_inside(&form, body, bl);
      }
    }
  }
  free(body);
  return 0;
}
