/*
** cmd_screen.c -- the functional screen: ankle mobility, squat, lunge,
** single-leg squat control, hip, calf and trunk endurance, hop and walk
** (docs/CLINIC.md).
**
**   gaitkeeper screen [--answers FILE.json] [--date YYYY-MM-DD] [--json]
**   gaitkeeper screen show [--json]
**
** The work is shared with `intake` in cmd_answers.c.
*/
#include "cli.h"
#include "cmd_answers.h"

int gk_cmd_screen(int argc, char **argv) {
  return gk_cli_answers_main(GK_CLI_SCREEN, argc, argv);
}
