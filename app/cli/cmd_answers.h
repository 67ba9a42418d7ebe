/*
** cmd_answers.h -- what `gaitkeeper intake` and `gaitkeeper screen` share:
** reading the answers (file, stdin or questions on a terminal), checking
** them, storing them and printing the assessment.
*/
#ifndef GK_CMD_ANSWERS_H
#define GK_CMD_ANSWERS_H

typedef enum gk_cli_questionnaire {
  GK_CLI_INTAKE = 0,
  GK_CLI_SCREEN
} gk_cli_questionnaire;

/* The verb `intake` or `screen`: argc/argv after the verb's name. */
int gk_cli_answers_main(gk_cli_questionnaire which, int argc, char **argv);

#endif
