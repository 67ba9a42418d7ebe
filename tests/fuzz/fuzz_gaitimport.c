/*
** fuzz_gaitimport.c -- libFuzzer harness: any bytes as an uploaded gait
** capture through gk_gait_import (no store): the first byte picks the
** name it is given (.zip of OpenPose JSON, .json, .csv, .c3d, .trc, .trc
** with a frame rate), the rest is the file.  Seeds: tests/data/gaitimport/.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/gait_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"f.zip", "f.json", "f.csv",
                                      "f.c3d", "f.trc",  "g.trc"};
  if (size < 1) return 0;
  const char *name = names[data[0] % 6];
  gk_gait_import_options o;
  gk_gait_import_options_init(&o);
  if (data[0] % 6 == 5) o.fps = 30;
  gk_gait_source src = {name, NULL, data + 1, size - 1};
  gk_gait_import_result r;
  (void)gk_gait_import(&src, NULL, &o, &r);
  gk_gait_import_clear(&r);
  return 0;
}
