/*
** cmd_intake.c -- the intake: symptoms, history, red-flag questions and the
** Kujala Anterior Knee Pain Scale (docs/CLINIC.md).
**
**   gaitkeeper intake [--answers FILE.json] [--date YYYY-MM-DD] [--json]
**   gaitkeeper intake show [--json]
**
** The work is shared with `screen` in cmd_answers.c.
*/
#include "cli.h"
#include "cmd_answers.h"

int gk_cmd_intake(int argc, char **argv) {
  return gk_cli_answers_main(GK_CLI_INTAKE, argc, argv);
}
