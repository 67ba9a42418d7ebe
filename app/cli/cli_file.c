/*
** cli_file.c -- how the program writes the files it hands to people (the
** report, exports, the demo's files): readable by their owner only, written
** whole or not at all.  The bytes go to a temporary file beside the target
** (mkstemp: mode 0600), which is flushed to disk and then renamed over the
** target; on any failure the temporary file is removed and the target is
** left as it was (absent, or its old content).
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int gk_cli_out_open(gk_cli_out *o, const char *verb, const char *path) {
  memset(o, 0, sizeof *o);
  int n = snprintf(o->path, sizeof o->path, "%s", path);
  int m = snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", path);
  if (n < 0 || (size_t)n >= sizeof o->path || m < 0 ||
      (size_t)m >= sizeof o->tmp) {
    fprintf(stderr, "gaitkeeper: %s: %s: path too long\n", verb, path);
    return 1;
  }
  /* The rename would replace whatever the target is: refuse a target that
     exists and is not a regular file (a device such as /dev/null, a FIFO,
     a directory), and a symbolic link (the rename would replace the link,
     not write where it points). */
  struct stat sb;
  if (lstat(path, &sb) == 0) {
    if (S_ISLNK(sb.st_mode)) {
      fprintf(stderr, "gaitkeeper: %s: %s: is a symbolic link; give the "
              "file it points to\n", verb, path);
      return 1;
    }
    if (!S_ISREG(sb.st_mode)) {
      fprintf(stderr, "gaitkeeper: %s: %s: exists and is not a regular "
              "file\n", verb, path);
      return 1;
    }
  }
  int fd = mkstemp(o->tmp); /* 0600 */
  if (fd < 0) {
    fprintf(stderr, "gaitkeeper: %s: %s: cannot create: %s\n", verb, path,
            strerror(errno));
    return 1;
  }
  o->f = fdopen(fd, "wb");
  if (o->f == NULL) {
    fprintf(stderr, "gaitkeeper: %s: %s: cannot create: %s\n", verb, path,
            strerror(errno));
    close(fd);
    unlink(o->tmp);
    return 1;
  }
  return 0;
}

void gk_cli_out_abort(gk_cli_out *o) {
  if (o->f != NULL) fclose(o->f);
  o->f = NULL;
  unlink(o->tmp);
}

int gk_cli_out_commit(gk_cli_out *o, const char *verb) {
  int bad = o->f == NULL || fflush(o->f) != 0 || ferror(o->f) ||
            fsync(fileno(o->f)) != 0;
  int err = errno;
  if (o->f != NULL && fclose(o->f) != 0 && !bad) {
    bad = 1;
    err = errno;
  }
  o->f = NULL;
  if (!bad && rename(o->tmp, o->path) != 0) {
    bad = 1;
    err = errno;
  }
  if (bad) {
    fprintf(stderr, "gaitkeeper: %s: %s: cannot write: %s\n", verb, o->path,
            strerror(err));
    unlink(o->tmp);
    return 1;
  }
  return 0;
}

int gk_cli_write_file(const char *verb, const char *path, const void *data,
                      size_t len) {
  gk_cli_out o;
  if (gk_cli_out_open(&o, verb, path) != 0) return 1;
  if (len > 0 && fwrite(data, 1, len, o.f) != len) {
    fprintf(stderr, "gaitkeeper: %s: %s: cannot write: %s\n", verb, path,
            strerror(errno));
    gk_cli_out_abort(&o);
    return 1;
  }
  return gk_cli_out_commit(&o, verb);
}
