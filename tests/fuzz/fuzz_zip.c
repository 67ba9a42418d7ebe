/*
** fuzz_zip.c -- libFuzzer harness: any bytes as a zip archive
** (gk_zip_each, src/import/zip.c) with small limits, every entry's bytes
** read through.  Seeds: tests/data/zip/.
*/
#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(void *user, const char *name, const unsigned char *d,
                size_t len) {
  unsigned *sum = (unsigned *)user;
  for (size_t i = 0; name[i]; i++) *sum += (unsigned char)name[i];
  for (size_t i = 0; i < len; i++) *sum += d[i];
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gk_zip_limits lim = {64, 1 << 20, 4 << 20};
  unsigned sum = 0;
  gk_err err = {0};
  (void)gk_zip_sniff(data, size);
  (void)gk_zip_each(data, size, &lim, each, &sum, &err);
  return 0;
}
