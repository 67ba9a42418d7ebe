/*
** cli.h -- the gaitkeeper program's verbs.  Each verb is one file; main.c
** parses the global options and dispatches.
*/
#ifndef GK_CLI_H
#define GK_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "gaitkeeper/store.h"

/* Every verb: argc/argv after the verb's own name.  Returns the exit
   status (0 success, 1 a problem with the input, 2 a usage error). */
int gk_cmd_fit(int argc, char **argv);
int gk_cmd_demo(int argc, char **argv);
int gk_cmd_import(int argc, char **argv);
int gk_cmd_runs(int argc, char **argv);
int gk_cmd_pain(int argc, char **argv);
int gk_cmd_gait(int argc, char **argv); /* cmd_gait.c */
int gk_cmd_intake(int argc, char **argv); /* cmd_intake.c */
int gk_cmd_screen(int argc, char **argv); /* cmd_screen.c */
int gk_cmd_plan(int argc, char **argv); /* cmd_plan.c */
int gk_cmd_clinician(int argc, char **argv); /* cmd_clinician.c */
int gk_cmd_video(int argc, char **argv); /* cmd_video.c */
int gk_cmd_done(int argc, char **argv); /* cmd_done.c */
int gk_cmd_course(int argc, char **argv); /* cmd_course.c */
int gk_cmd_runners(int argc, char **argv); /* cmd_runners.c */

/* ---- the store (cli_db.c) ------------------------------------------------
** Which store a verb uses: --db PATH (or --db=PATH) anywhere on the command
** line, before or after the verb; else $GAITKEEPER_DB; else the default
** ($XDG_DATA_HOME/gaitkeeper/gaitkeeper.db, see gaitkeeper/store.h). */

/* Remove every --db option from argv[1..argc) (up to a "--"), remembering
   the last one's path; returns the new argc, or -1 after printing a usage
   error (--db without a path). */
int gk_cli_take_db_option(int argc, char **argv);

/* The store's path by that precedence into out; prints an error and
   returns -1 when there is none (no HOME) or it is too long. */
int gk_cli_db_path(char *out, size_t size);

/* Remove every --runner NAME|ID too (same function); the last one's text,
   or NULL when none was given. */
const char *gk_cli_runner_option(void);

/* Scope an open store to the verb's runner: --runner's (found by name or
   id, archived ones too), else the store's only active runner (a new store
   gets "Runner 1").  GK_OK, or the status after printing
   "gaitkeeper: VERB: PATH: reason" (an unknown runner named, GK_E_ARG;
   several runners and no --runner: "choose one with --runner NAME|ID"). */
gk_status gk_cli_scope_store(const char *verb, gk_store *s);

/* gk_cli_open_store flag: open without choosing a runner (the runners
   verb). */
#define GK_CLI_ANY_RUNNER 0x100u

/* Open the store (flags: 0 to create it when missing, GK_STORE_NO_CREATE,
   or GK_STORE_READ_ONLY for verbs that only read) for the verb named in
   `verb` (for messages).  A read-only open of a store with an older schema
   is retried writable (which upgrades it) and succeeds when the store can
   be written.  Returns GK_OK with *out; otherwise prints
   "gaitkeeper: VERB: PATH: reason" (except for GK_E_NOT_FOUND with
   GK_STORE_NO_CREATE or GK_STORE_READ_ONLY, which the caller handles) and
   returns the status.  The store is scoped to the verb's runner
   (gk_cli_scope_store) unless flags has GK_CLI_ANY_RUNNER. */
gk_status gk_cli_open_store(const char *verb, unsigned flags,
                            gk_store **out);

/* Print s word-wrapped to width columns, every line indented by indent
   spaces (words longer than a line stay whole). */
void gk_cli_wrap(FILE *out, const char *s, int indent, int width);

/* ---- files handed to people (cli_file.c) ---------------------------------
** Owner-only (0600) and whole or not at all: written to a temporary file
** beside the target, flushed to disk, then renamed over it.  Every function
** prints "gaitkeeper: VERB: PATH: problem" and returns 1 on failure (the
** target untouched, the temporary file removed), 0 on success.  A target
** that exists and is not a regular file (a device, a FIFO, a directory) or
** is a symbolic link is refused by gk_cli_out_open, never replaced. */
typedef struct gk_cli_out {
  FILE *f;          /* write here between open and commit */
  char path[4096];  /* the target */
  char tmp[4200];   /* the temporary file */
} gk_cli_out;
int gk_cli_out_open(gk_cli_out *o, const char *verb, const char *path);
int gk_cli_out_commit(gk_cli_out *o, const char *verb);
void gk_cli_out_abort(gk_cli_out *o);
/* The whole file at once. */
int gk_cli_write_file(const char *verb, const char *path, const void *data,
                      size_t len);

/* The largest input file the CLI reads whole, by reader: lab captures
   (C3D, TRC) and FIT files 256 MiB; pose keypoints GK_MAX_KP_INPUT (64
   MiB, keypoints.h); intake and screen answers 1 MiB (a full set is a few
   kB).  A larger file is refused by its size before any byte is read. */
#define GK_CLI_MAX_INPUT_BYTES ((size_t)256 * 1024 * 1024)
#define GK_CLI_MAX_ANSWERS_BYTES ((size_t)1 << 20)

/* Read a whole regular file of at most max bytes into memory; prints an
   error naming the file and returns NULL on failure.  A directory ("is a
   directory"), a FIFO or a device ("not a regular file") and a file over
   max ("too large") are refused before any byte is read; a FIFO never
   blocks the open.  Free with free(). */
unsigned char *gk_cli_read_file(const char *path, size_t max, size_t *len);

/* cmd_video.c: 1 when path names a video file by its extension (.mp4,
   .mov, .mkv, .webm, ...). */
int gk_cli_is_video_path(const char *path);
struct gk_pose_options;
struct gk_pose_video_stats;
/* The progress bar of a video's pose (on a terminal only, on stderr): a
   gk_pose_progress_fn with a gk_cli_progress as its context; _end wipes
   the bar. */
typedef struct gk_cli_progress {
  int opaque[4];
} gk_cli_progress;
void gk_cli_video_progress_init(gk_cli_progress *p);
int gk_cli_video_progress(void *ctx, int64_t done, int64_t total);
void gk_cli_video_progress_end(gk_cli_progress *p);
/* The summary line of a video's pose on stdout. */
void gk_cli_video_summary(const char *path, const struct gk_pose_options *o,
                          const struct gk_pose_video_stats *s);

#endif
