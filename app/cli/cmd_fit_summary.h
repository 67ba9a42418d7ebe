/*
** cmd_fit_summary.h -- `gaitkeeper fit summary [--json] FILE...`.
*/
#ifndef GK_CMD_FIT_SUMMARY_H
#define GK_CMD_FIT_SUMMARY_H

/* argc/argv after "summary": options then files.  Prints one block (or,
   with --json, one JSON object per line) per file.  Returns 0 when every
   file was read whole, 1 when a file could not be read or was damaged
   (what could be read is still printed), 2 on a usage error. */
int gk_cmd_fit_summary(int argc, char **argv);

#endif
