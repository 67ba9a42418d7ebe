/*
** fuzz_gaitimport.c -- libFuzzer harness: any bytes as an uploaded gait
** capture through gk_gait_import (no store): the first byte picks the
** name it is given (.zip of OpenPose JSON, .json, .csv, .c3d, .trc, .trc
** with a frame rate) and, by (first / 6) % 2, whether a picture size is
** given (MediaPipe's fractions are refused without one); the rest is the
** file, whose first bytes also go to gk_gait_import_option as every
** option's value.  Seeds: tests/data/gaitimport/.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
  /* the options as text (the CLI's and the Gait page's): the input's
     first bytes as every option's value */
  static const char *const opts[] = {"image-size", "fps",  "view",
                                     "height-cm",  "speed", "surface"};
  char text[64];
  size_t tl = size - 1 < sizeof text - 1 ? size - 1 : sizeof text - 1;
  memcpy(text, data + 1, tl);
  text[tl] = '\0';
  for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
    gk_gait_import_options t;
    gk_gait_import_options_init(&t);
    char msg[300];
    (void)gk_gait_import_option(&t, opts[i], text, msg, sizeof msg);
  }
  /* MediaPipe's fractions of the picture are analysed given its size */
  if ((data[0] / 6) % 2) {
    char msg[300];
    (void)gk_gait_import_option(&o, "image-size", "1920x1080", msg,
                                sizeof msg);
  }
  gk_gait_source src = {name, NULL, data + 1, size - 1};
  gk_gait_import_result r;
  (void)gk_gait_import(&src, NULL, &o, &r);
  gk_gait_import_clear(&r);
  return 0;
}
