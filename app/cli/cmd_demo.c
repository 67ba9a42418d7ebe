/*
** cmd_demo.c -- `gaitkeeper demo`: the main job on sample data.
*/
#include <stdio.h>

#include "cli.h"

int gk_cmd_demo(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "gaitkeeper demo: not built yet\n");
  return 1;
}
