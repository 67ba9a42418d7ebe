/*
** cli.h -- the gaitkeeper program's verbs.  Each verb is one file; main.c
** parses the global options and dispatches.
*/
#ifndef GK_CLI_H
#define GK_CLI_H

#include <stdio.h>

/* Every verb: argc/argv after the verb's own name.  Returns the exit
   status (0 success, 1 a problem with the input, 2 a usage error). */
int gk_cmd_fit(int argc, char **argv);
int gk_cmd_demo(int argc, char **argv);

/* Read a whole file into memory; prints an error naming the file and
   returns NULL on failure.  Free with free(). */
unsigned char *gk_cli_read_file(const char *path, size_t *len);

#endif
