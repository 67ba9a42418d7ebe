/*
** cmd_import.c -- `gaitkeeper import [--json] [--jobs N] PATH...`: bring
** a runner's watch files into the store.
**
** PATHs are files or folders (walked recursively in name order, hidden
** files and folders skipped, symbolic links followed but every folder
** visited once, so a link loop ends).  Each file is recognised by its
** content (FIT, GPX, TCX; anything else is ignored and counted), hashed
** (FNV-1a 64 of its bytes) and skipped at once, before decoding, when a
** file with the same bytes is stored already (a second copy inside one
** import is decoded, then found a duplicate when stored); the others
** are decoded -- in parallel, one worker thread per core -- and the runs
** stored by this (the main) thread, one transaction per file, in the order
** of the file list.  Memory is bounded: at most a window of decoded
** activities waits for the writer, and each worker keeps one file buffer.
**
** What counts as a run: sport "running" with any sub-sport (road, trail,
** treadmill, track, ...), and an activity whose file names no sport (GPX
** without a type, TCX "Other", FIT without a sport) when it has data.
** Walking, hiking, cycling, swimming, multisport and every other named
** sport are skipped and counted by sport.  A damaged file is imported up to
** the damage ("partial", listed in the summary) when anything was read;
** a file with nothing usable has failed.  A bad file never stops the
** import and never touches the store; a store that cannot be written
** fails that file only.
**
** Output: one summary line on stdout,
**   imported N runs, skipped D duplicates, skipped S other sports
**   (cycling 3, swimming 1), failed F
** then a line for partial files and one for ignored files when there are
** any; failures and partial files are explained on stderr as they happen.
** --json prints exactly {"imported": N, "skipped_duplicates": D,
** "skipped_other_sport": S, "failed": [{"path": P, "error": E}, ...]}.
** A progress line goes to stderr when stderr is a terminal.
** Exit status: 0, or 1 when a file failed or the store cannot be opened,
** 2 on a usage error.
*/
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gaitkeeper/activity.h"
#include "gaitkeeper/formats.h"
#include "gaitkeeper/import.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/store.h"
#include "gaitkeeper/xml_activity.h"

#define IMPORT_MAX_FILE (256u << 20) /* bytes; a larger file has failed */
#define IMPORT_MAX_DEPTH 64          /* folder nesting walked */
#define IMPORT_MAX_JOBS 64
#define SNIFF_BYTES 4096
/* The input bytes in flight at once across all jobs: files being read and
   decoded, or decoded and waiting to be written.  A worker waits for room
   before it reads a file, except the one whose file the writer needs next
   (which always goes on, so the import never stalls): the peak is about
   this much input plus one file, decoded, whatever --jobs is.  Decoding
   takes about 2-3 bytes of memory per byte of GPX/TCX.  The environment
   variable GAITKEEPER_IMPORT_BUDGET_MB sets it (1..65536, for tests and
   small machines); docs/STORE.md, "Import". */
#define IMPORT_BUDGET_BYTES ((size_t)256 << 20)

typedef struct result {
  int ready;
  gk_import_file f;        /* the library's outcome for the file */
  size_t cost;             /* its bytes of the budget, given back when
                              written */
} result;

typedef struct strpair {
  char *path;
  char *text;
} strpair;

typedef struct list {
  strpair *v;
  size_t n, cap;
} list;

typedef struct sport_count {
  char name[GK_NAME_MAX];
  size_t n;
} sport_count;

typedef struct importer {
  /* the files to look at, in order, each with the PATH argument it was
     found under (roots[file_root[i]]) */
  char **files;
  size_t *file_root;
  size_t *file_cost; /* its bytes of the budget, from the walk's stat() */
  size_t n_files, cap_files;
  struct {
    char *abs;  /* the argument made absolute and canonical, or NULL */
    size_t cut; /* files under it: abs + (file path + cut) */
  } * roots;
  size_t n_roots;
  /* the folders walked (device, inode): each once */
  struct {
    dev_t dev;
    ino_t ino;
  } * dirs;
  size_t n_dirs, cap_dirs;

  /* the pipeline: workers claim files in order, at most `window` ahead of
     the writer; results wait in slots[index % window] */
  pthread_mutex_t mu;
  pthread_cond_t cv_claim, cv_ready;
  size_t next_claim, next_write, window;
  result *slots;
  size_t budget, in_flight; /* input bytes (IMPORT_BUDGET_BYTES) */
  char db_path[4096];
  int64_t runner; /* the runner it imports for (the workers' reads too) */
  int oom;

  /* totals */
  size_t imported, duplicates, other, ignored;
  sport_count *sports;
  size_t n_sports;
  list failed, partial;
  list broken;              /* dangling or looping links inside folders */
  struct {
    dev_t dev;
    ino_t ino;
  } store_ids[4];           /* the store and its -wal, -shm, -journal */
  size_t n_store_ids, store_skipped;
  int json, progress;
  double last_progress;
} importer;

/* ---- small helpers ------------------------------------------------------- */

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = (char *)malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_progress(importer *im) {
  if (im->progress) fputs("\r\033[K", stderr);
}

static void show_progress(importer *im, size_t done, int force) {
  if (!im->progress) return;
  double t = now_s();
  if (!force && t - im->last_progress < 0.1) return;
  im->last_progress = t;
  size_t total = im->n_files ? im->n_files : 1;
  int width = 30, fill = (int)(done * (size_t)width / total);
  char bar[31];
  for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
  bar[width] = '\0';
  fprintf(stderr, "\rimporting [%s] %zu/%zu files, %zu runs", bar, done,
          im->n_files, im->imported);
  fflush(stderr);
}

static int list_add(list *l, const char *path, const char *text) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    strpair *v = (strpair *)realloc(l->v, cap * sizeof *v);
    if (v == NULL) return -1;
    l->v = v;
    l->cap = cap;
  }
  char *p = dup_str(path), *t = dup_str(text);
  if (p == NULL || t == NULL) {
    free(p);
    free(t);
    return -1;
  }
  l->v[l->n].path = p;
  l->v[l->n].text = t;
  l->n++;
  return 0;
}

static void list_free(list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].path);
    free(l->v[i].text);
  }
  free(l->v);
}

static void fail(importer *im, const char *path, const char *why) {
  if (list_add(&im->failed, path, why) != 0) im->oom = 1;
  if (!im->json) {
    clear_progress(im);
    gk_buf m = {0}; /* a file name may hold terminal escapes */
    gk_buf_puts(&m, "gaitkeeper: import: ");
    gk_buf_put_clean(&m, path, strlen(path));
    gk_buf_puts(&m, ": ");
    gk_buf_put_clean(&m, why, strlen(why));
    gk_buf_putc(&m, '\n');
    if (m.len) fwrite(m.data, 1, m.len, stderr);
    gk_buf_free(&m);
  }
}

static void count_sport(importer *im, const char *sport) {
  im->other++;
  for (size_t i = 0; i < im->n_sports; i++)
    if (strcmp(im->sports[i].name, sport) == 0) {
      im->sports[i].n++;
      return;
    }
  sport_count *v =
      (sport_count *)realloc(im->sports, (im->n_sports + 1) * sizeof *v);
  if (v == NULL) {
    im->oom = 1;
    return;
  }
  im->sports = v;
  snprintf(v[im->n_sports].name, GK_NAME_MAX, "%s", sport);
  v[im->n_sports].n = 1;
  im->n_sports++;
}

/* ---- walking the paths --------------------------------------------------- */

static int add_file(importer *im, const char *path, size_t root,
                    const struct stat *sb) {
  if (im->n_files == im->cap_files) {
    size_t cap = im->cap_files ? im->cap_files * 2 : 256;
    char **v = (char **)realloc(im->files, cap * sizeof *v);
    if (v == NULL) return -1;
    im->files = v;
    size_t *r = (size_t *)realloc(im->file_root, cap * sizeof *r);
    if (r == NULL) return -1;
    im->file_root = r;
    size_t *c = (size_t *)realloc(im->file_cost, cap * sizeof *c);
    if (c == NULL) return -1;
    im->file_cost = c;
    im->cap_files = cap;
  }
  char *p = dup_str(path);
  if (p == NULL) return -1;
  im->file_root[im->n_files] = root;
  /* a file over the cap is only sniffed (then failed) */
  im->file_cost[im->n_files] =
      sb->st_size <= 0                               ? 0
      : (uint64_t)sb->st_size > IMPORT_MAX_FILE ? SNIFF_BYTES
                                                     : (size_t)sb->st_size;
  im->files[im->n_files++] = p;
  return 0;
}

/* 1 when the folder was walked already (a link loop or a second link). */
static int visited(importer *im, const struct stat *sb) {
  for (size_t i = 0; i < im->n_dirs; i++)
    if (im->dirs[i].dev == sb->st_dev && im->dirs[i].ino == sb->st_ino)
      return 1;
  if (im->n_dirs == im->cap_dirs) {
    size_t cap = im->cap_dirs ? im->cap_dirs * 2 : 64;
    void *v = realloc(im->dirs, cap * sizeof *im->dirs);
    if (v == NULL) {
      im->oom = 1;
      return 1;
    }
    im->dirs = v;
    im->cap_dirs = cap;
  }
  im->dirs[im->n_dirs].dev = sb->st_dev;
  im->dirs[im->n_dirs].ino = sb->st_ino;
  im->n_dirs++;
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(importer *im, const char *path, int depth, int top,
                 size_t root) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    int err = errno;
    char why[300];
    struct stat lsb;
    if (top) {
      snprintf(why, sizeof why, "cannot read: %s", strerror(err));
      fail(im, path, why);
    } else if (lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode)) {
      /* a link inside a folder that leads nowhere: said, by name */
      if (list_add(&im->broken, path,
                   err == ELOOP ? "a loop of links"
                                : err == ENOENT ? "a link to nothing"
                                                : strerror(err)) != 0)
        im->oom = 1;
    } else {
      im->ignored++;
    }
    return;
  }
  if (S_ISREG(sb.st_mode)) {
    /* the store itself (or its journal) inside an imported folder: never
       opened, since closing any descriptor of it would drop the store's
       locks (docs/STORE.md) */
    for (size_t k = 0; k < im->n_store_ids; k++)
      if (im->store_ids[k].dev == sb.st_dev &&
          im->store_ids[k].ino == sb.st_ino) {
        im->store_skipped++;
        return;
      }
    if (add_file(im, path, root, &sb) != 0) im->oom = 1;
    return;
  }
  if (!S_ISDIR(sb.st_mode)) { /* devices, pipes, sockets: never opened */
    im->ignored++;
    return;
  }
  if (visited(im, &sb)) return;
  if (depth >= IMPORT_MAX_DEPTH) {
    fail(im, path, "folders nested too deep");
    return;
  }
  DIR *d = opendir(path);
  if (d == NULL) {
    char why[300];
    snprintf(why, sizeof why, "cannot read the folder: %s", strerror(errno));
    fail(im, path, why);
    return;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue; /* hidden, ".", ".." */
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **v = (char **)realloc(names, cap * sizeof *v);
      if (v == NULL) {
        im->oom = 1;
        break;
      }
      names = v;
    }
    if ((names[n] = dup_str(e->d_name)) == NULL) {
      im->oom = 1;
      break;
    }
    n++;
  }
  closedir(d);
  if (n > 1) qsort(names, n, sizeof *names, by_name);
  size_t plen = strlen(path);
  while (plen > 1 && path[plen - 1] == '/') plen--;
  for (size_t i = 0; i < n; i++) {
    size_t len = plen + 1 + strlen(names[i]) + 1;
    char *child = (char *)malloc(len);
    if (child == NULL) {
      im->oom = 1;
    } else {
      snprintf(child, len, "%.*s%s%s", (int)plen, path,
               path[plen - 1] == '/' ? "" : "/", names[i]);
      walk(im, child, depth + 1, 0, root);
      free(child);
    }
    free(names[i]);
  }
  free(names);
}

/* ---- the workers: read, recognise, hash, skip duplicates, decode --------- */

/* Read up to want bytes at buf (fewer at end of file); -1 on error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t want) {
  size_t got = 0;
  while (got < want) {
    ssize_t r = read(fd, buf + got, want - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

typedef struct wbuf {
  unsigned char *p;
  size_t cap;
} wbuf;

/* The absolute path of file i, as stored: its argument made canonical once
   (realpath), then the rest of the path as walked (links inside a folder
   are kept as the runner named them). */
static gk_status stored_path(importer *im, size_t i, char **out) {
  const char *path = im->files[i];
  size_t r = im->file_root[i];
  const char *abs = im->roots[r].abs;
  if (abs == NULL) {
    *out = dup_str(path);
    return *out ? GK_OK : GK_E_NOMEM;
  }
  const char *rest = path + im->roots[r].cut;
  size_t la = strcmp(abs, "/") == 0 ? 0 : strlen(abs), lr = strlen(rest);
  char *full = (char *)malloc(la + lr + 1);
  if (full == NULL) return GK_E_NOMEM;
  memcpy(full, abs, la);
  memcpy(full + la, rest, lr + 1);
  *out = full;
  return GK_OK;
}

static void process(importer *im, gk_store *rd, size_t index, wbuf *b,
                    result *r) {
  const char *path = im->files[index];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r->f.outcome = GK_IMPORT_FAILED;
    snprintf(r->f.msg, sizeof r->f.msg, "cannot open: %s", strerror(errno));
    return;
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
    close(fd);
    r->f.outcome = GK_IMPORT_IGNORED;
    return;
  }
  size_t size = (size_t)sb.st_size;
  if ((uint64_t)sb.st_size > IMPORT_MAX_FILE) size = SNIFF_BYTES;
  if (b->cap < size) {
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < size) cap *= 2;
    unsigned char *p = (unsigned char *)realloc(b->p, cap);
    if (p == NULL) {
      close(fd);
      r->f.outcome = GK_IMPORT_FAILED;
      snprintf(r->f.msg, sizeof r->f.msg, "out of memory");
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  /* recognise it from its first bytes before reading the rest */
  ssize_t head = read_full(fd, b->p, size < SNIFF_BYTES ? size : SNIFF_BYTES);
  if (head < 0) {
    r->f.outcome = GK_IMPORT_FAILED;
    snprintf(r->f.msg, sizeof r->f.msg, "cannot read: %s", strerror(errno));
    close(fd);
    return;
  }
  gk_format fmt = gk_sniff_format(b->p, (size_t)head);
  if (fmt == GK_FORMAT_UNKNOWN) {
    close(fd);
    r->f.outcome = GK_IMPORT_IGNORED;
    return;
  }
  if ((uint64_t)sb.st_size > IMPORT_MAX_FILE) {
    close(fd);
    r->f.outcome = GK_IMPORT_FAILED;
    snprintf(r->f.msg, sizeof r->f.msg, "larger than %u MB", IMPORT_MAX_FILE >> 20);
    return;
  }
  size_t len = (size_t)head;
  if (len < size) {
    ssize_t rest = read_full(fd, b->p + len, size - len);
    if (rest < 0) {
      r->f.outcome = GK_IMPORT_FAILED;
      snprintf(r->f.msg, sizeof r->f.msg, "cannot read: %s", strerror(errno));
      close(fd);
      return;
    }
    len += (size_t)rest;
  }
  close(fd);

  /* the library's one import of a file's bytes (gaitkeeper/import.h):
     a stored duplicate skipped before decoding, then decoded and
     classified */
  char *stored = NULL;
  if (stored_path(im, index, &stored) != GK_OK) {
    r->f.outcome = GK_IMPORT_FAILED;
    snprintf(r->f.msg, sizeof r->f.msg, "out of memory");
    return;
  }
  gk_import_decode(b->p, len, rd, stored, &r->f);
  free(stored);
}

static void *worker(void *arg) {
  importer *im = (importer *)arg;
  /* its own read connection: duplicates are found before decoding */
  gk_store *rd = NULL;
  if (gk_store_open_ex(&rd, im->db_path, GK_STORE_READ_ONLY, NULL, NULL, 0) !=
      GK_OK)
    rd = NULL;
  if (rd != NULL && gk_store_use_runner(rd, im->runner) != GK_OK) {
    gk_store_close(rd); /* the writer still finds the duplicates */
    rd = NULL;
  }
  wbuf b = {NULL, 0};
  for (;;) {
    pthread_mutex_lock(&im->mu);
    while (im->next_claim < im->n_files &&
           im->next_claim >= im->next_write + im->window)
      pthread_cond_wait(&im->cv_claim, &im->mu);
    if (im->next_claim >= im->n_files) {
      pthread_mutex_unlock(&im->mu);
      break;
    }
    size_t i = im->next_claim++;
    /* room in the byte budget (the size the walk saw), unless the writer
       needs this file next */
    size_t cost = im->file_cost[i];
    while (i != im->next_write && im->in_flight > 0 &&
           im->in_flight + cost > im->budget)
      pthread_cond_wait(&im->cv_claim, &im->mu);
    im->in_flight += cost;
    pthread_mutex_unlock(&im->mu);

    result r;
    memset(&r, 0, sizeof r);
    process(im, rd, i, &b, &r);
    r.cost = cost;
    if (b.cap > (8u << 20)) { /* keep memory low: the bytes are decoded */
      free(b.p);
      b.p = NULL;
      b.cap = 0;
    }
    r.ready = 1;
    pthread_mutex_lock(&im->mu);
    im->slots[i % im->window] = r;
    pthread_cond_broadcast(&im->cv_ready);
    pthread_mutex_unlock(&im->mu);
  }
  free(b.p);
  gk_store_close(rd);
  return NULL;
}

/* ---- the writer (this thread) -------------------------------------------- */

static void write_result(importer *im, gk_store *s, const char *path,
                         result *r) {
  gk_import_file *f = &r->f;
  if (f->outcome == GK_IMPORT_RUN) gk_import_store(s, f);
  switch (f->outcome) {
    case GK_IMPORT_RUN:
      im->imported++;
      if (f->partial) {
        if (list_add(&im->partial, path, f->msg) != 0) im->oom = 1;
        clear_progress(im);
        fprintf(stderr,
                "gaitkeeper: import: %s: damaged at %s; imported what was "
                "read before it\n",
                path, f->msg);
      }
      break;
    case GK_IMPORT_DUPLICATE:
      im->duplicates++;
      break;
    case GK_IMPORT_OTHER:
      count_sport(im, f->sport);
      break;
    case GK_IMPORT_IGNORED:
      im->ignored++;
      break;
    case GK_IMPORT_FAILED:
      fail(im, path, f->msg);
      break;
  }
  gk_import_file_clear(f);
}

static int by_count(const void *a, const void *b) {
  const sport_count *x = (const sport_count *)a, *y = (const sport_count *)b;
  if (x->n != y->n) return x->n < y->n ? 1 : -1;
  return strcmp(x->name, y->name);
}

static void print_summary(importer *im) {
  gk_buf out = {0};
  char tmp[128];
  if (im->json) {
    snprintf(tmp, sizeof tmp,
             "{\"imported\": %zu, \"skipped_duplicates\": %zu, "
             "\"skipped_other_sport\": %zu, \"failed\": [",
             im->imported, im->duplicates, im->other);
    gk_buf_puts(&out, tmp);
    for (size_t i = 0; i < im->failed.n; i++) {
      if (i) gk_buf_puts(&out, ", ");
      gk_buf_puts(&out, "{\"path\": ");
      gk_json_str(&out, im->failed.v[i].path);
      gk_buf_puts(&out, ", \"error\": ");
      gk_json_str(&out, im->failed.v[i].text);
      gk_buf_putc(&out, '}');
    }
    gk_buf_puts(&out, "], \"broken_links\": [");
    for (size_t i = 0; i < im->broken.n; i++) {
      if (i) gk_buf_puts(&out, ", ");
      gk_buf_puts(&out, "{\"path\": ");
      gk_json_str(&out, im->broken.v[i].path);
      gk_buf_puts(&out, ", \"error\": ");
      gk_json_str(&out, im->broken.v[i].text);
      gk_buf_putc(&out, '}');
    }
    snprintf(tmp, sizeof tmp, "], \"skipped_store_files\": %zu}\n",
             im->store_skipped);
    gk_buf_puts(&out, tmp);
  } else {
    snprintf(tmp, sizeof tmp,
             "imported %zu runs, skipped %zu duplicates, skipped %zu other "
             "sports",
             im->imported, im->duplicates, im->other);
    gk_buf_puts(&out, tmp);
    if (im->n_sports) {
      qsort(im->sports, im->n_sports, sizeof *im->sports, by_count);
      gk_buf_puts(&out, " (");
      for (size_t i = 0; i < im->n_sports; i++) {
        snprintf(tmp, sizeof tmp, "%s%s %zu", i ? ", " : "", im->sports[i].name,
                 im->sports[i].n);
        gk_buf_puts(&out, tmp);
      }
      gk_buf_putc(&out, ')');
    }
    snprintf(tmp, sizeof tmp, ", failed %zu\n", im->failed.n);
    gk_buf_puts(&out, tmp);
    if (im->partial.n) {
      snprintf(tmp, sizeof tmp,
               "partial: %zu damaged file%s imported up to the damage:\n",
               im->partial.n, im->partial.n == 1 ? "" : "s");
      gk_buf_puts(&out, tmp);
      for (size_t i = 0; i < im->partial.n; i++) {
        gk_buf_puts(&out, "  ");
        gk_buf_put_clean(&out, im->partial.v[i].path,
                         strlen(im->partial.v[i].path));
        gk_buf_puts(&out, ": ");
        gk_buf_put_clean(&out, im->partial.v[i].text,
                         strlen(im->partial.v[i].text));
        gk_buf_putc(&out, '\n');
      }
    }
    if (im->broken.n) {
      snprintf(tmp, sizeof tmp, "%zu broken link%s, not followed:\n",
               im->broken.n, im->broken.n == 1 ? "" : "s");
      gk_buf_puts(&out, tmp);
      for (size_t i = 0; i < im->broken.n; i++) {
        gk_buf_puts(&out, "  ");
        gk_buf_put_clean(&out, im->broken.v[i].path,
                         strlen(im->broken.v[i].path));
        gk_buf_puts(&out, ": ");
        gk_buf_puts(&out, im->broken.v[i].text);
        gk_buf_putc(&out, '\n');
      }
    }
    if (im->store_skipped) {
      snprintf(tmp, sizeof tmp,
               "skipped the store's own file%s inside the folder\n",
               im->store_skipped == 1 ? "" : "s");
      gk_buf_puts(&out, tmp);
    }
    if (im->ignored) {
      snprintf(tmp, sizeof tmp,
               "ignored %zu file%s that %s not FIT, GPX or TCX activities\n",
               im->ignored, im->ignored == 1 ? "" : "s",
               im->ignored == 1 ? "is" : "are");
      gk_buf_puts(&out, tmp);
    }
  }
  if (out.len) fwrite(out.data, 1, out.len, stdout);
  fflush(stdout);
  gk_buf_free(&out);
}

static void usage(void) {
  fprintf(stderr,
          "usage: gaitkeeper [--db PATH] import [--json] [--jobs N] "
          "PATH...\n");
}

static long online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n;
}

int gk_cmd_import(int argc, char **argv) {
  importer im;
  memset(&im, 0, sizeof im);
  long jobs = 0;
  /* options anywhere (up to a "--"); the rest are paths, kept in place */
  int n_paths = 0, i;
  for (i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--json") == 0) {
      im.json = 1;
    } else if (strcmp(a, "--jobs") == 0 || strncmp(a, "--jobs=", 7) == 0) {
      const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : "");
      char *end;
      errno = 0;
      jobs = strtol(v, &end, 10);
      if (errno || end == v || *end != '\0' || jobs < 1 ||
          jobs > IMPORT_MAX_JOBS) {
        fprintf(stderr, "gaitkeeper: import: --jobs takes 1 to %d\n",
                IMPORT_MAX_JOBS);
        return 2;
      }
    } else if (strcmp(a, "--") == 0) {
      while (++i < argc) argv[n_paths++] = argv[i];
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "gaitkeeper: import: unknown option '%s'\n", a);
      usage();
      return 2;
    } else {
      argv[n_paths++] = argv[i];
    }
  }
  if (n_paths == 0) {
    usage();
    return 2;
  }

  im.budget = IMPORT_BUDGET_BYTES;
  const char *bmb = getenv("GAITKEEPER_IMPORT_BUDGET_MB");
  if (bmb != NULL && bmb[0] != '\0') {
    char *end = NULL;
    errno = 0;
    long mb = strtol(bmb, &end, 10);
    if (errno || *end != '\0' || mb < 1 || mb > 65536) {
      fprintf(stderr, "gaitkeeper: import: GAITKEEPER_IMPORT_BUDGET_MB is a "
                      "number of megabytes from 1 to 65536, not %s\n", bmb);
      return 2;
    }
    im.budget = (size_t)mb << 20;
  }
  gk_store *s = NULL;
  if (gk_cli_open_store("import", 0, &s) != GK_OK) return 1;
  snprintf(im.db_path, sizeof im.db_path, "%s", gk_store_path(s));
  if (gk_store_current_runner(s, &im.runner) != GK_OK) { /* chosen at open */
    gk_store_close(s);
    return 1;
  }
  im.progress = isatty(STDERR_FILENO);

  /* the store's files, by device and inode (stat only: never opened) */
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
  for (size_t k = 0; k < sizeof sfx / sizeof sfx[0]; k++) {
    char sp[4200];
    struct stat ssb;
    snprintf(sp, sizeof sp, "%s%s", im.db_path, sfx[k]);
    if (stat(sp, &ssb) == 0) {
      im.store_ids[im.n_store_ids].dev = ssb.st_dev;
      im.store_ids[im.n_store_ids].ino = ssb.st_ino;
      im.n_store_ids++;
    }
  }

  im.roots = calloc((size_t)n_paths, sizeof *im.roots);
  if (im.roots == NULL) {
    fprintf(stderr, "gaitkeeper: import: out of memory\n");
    gk_store_close(s);
    return 1;
  }
  for (i = 0; i < n_paths; i++) {
    char real[PATH_MAX];
    size_t cut = strlen(argv[i]);
    while (cut > 1 && argv[i][cut - 1] == '/') cut--;
    if (cut == 1 && argv[i][0] == '/') cut = 0; /* "/": keep the slash */
    im.roots[i].cut = cut;
    im.roots[i].abs = realpath(argv[i], real) ? dup_str(real) : NULL;
    im.n_roots++;
    walk(&im, argv[i], 0, 1, (size_t)i);
  }

  if (jobs == 0)
    jobs = online_cpus() < IMPORT_MAX_JOBS ? online_cpus() : IMPORT_MAX_JOBS;
  if ((size_t)jobs > im.n_files) jobs = im.n_files ? (long)im.n_files : 1;
  im.window = (size_t)jobs * 4;

  im.slots = (result *)calloc(im.window, sizeof *im.slots);
  pthread_t *tid = (pthread_t *)calloc((size_t)jobs, sizeof *tid);
  int rc_init = pthread_mutex_init(&im.mu, NULL) |
                pthread_cond_init(&im.cv_claim, NULL) |
                pthread_cond_init(&im.cv_ready, NULL);
  if (im.slots == NULL || tid == NULL || rc_init != 0) {
    fprintf(stderr, "gaitkeeper: import: out of memory\n");
    free(im.slots);
    free(tid);
    gk_store_close(s);
    return 1;
  }
  long started = 0;
  if (im.n_files > 0)
    for (; started < jobs; started++)
      if (pthread_create(&tid[started], NULL, worker, &im) != 0) break;
  if (im.n_files > 0 && started == 0) {
    /* no thread at all: do the work here, one file at a time */
    im.window = 1;
    gk_store *rd = s;
    wbuf b = {NULL, 0};
    for (size_t k = 0; k < im.n_files; k++) {
      result r;
      memset(&r, 0, sizeof r);
      process(&im, rd, k, &b, &r);
      write_result(&im, s, im.files[k], &r);
      show_progress(&im, k + 1, 0);
    }
    free(b.p);
  } else {
    for (size_t k = 0; k < im.n_files; k++) {
      pthread_mutex_lock(&im.mu);
      result *slot = &im.slots[k % im.window];
      while (!slot->ready) pthread_cond_wait(&im.cv_ready, &im.mu);
      result r = *slot;
      memset(slot, 0, sizeof *slot);
      im.next_write = k + 1;
      pthread_cond_broadcast(&im.cv_claim);
      pthread_mutex_unlock(&im.mu);
      write_result(&im, s, im.files[k], &r);
      pthread_mutex_lock(&im.mu);
      im.in_flight -= r.cost; /* written: its memory is given back */
      pthread_cond_broadcast(&im.cv_claim);
      pthread_mutex_unlock(&im.mu);
      show_progress(&im, k + 1, 0);
    }
  }
  for (long t = 0; t < started; t++) pthread_join(tid[t], NULL);
  clear_progress(&im);
  gk_store_close(s);

  if (im.oom) fprintf(stderr, "gaitkeeper: import: out of memory\n");
  print_summary(&im);
  int rc = (im.failed.n || im.oom) ? 1 : 0;

  pthread_mutex_destroy(&im.mu);
  pthread_cond_destroy(&im.cv_claim);
  pthread_cond_destroy(&im.cv_ready);
  for (size_t k = 0; k < im.n_files; k++) free(im.files[k]);
  free(im.files);
  free(im.file_root);
  free(im.file_cost);
  for (size_t k = 0; k < im.n_roots; k++) free(im.roots[k].abs);
  free(im.roots);
  free(im.dirs);
  free(im.slots);
  free(im.sports);
  free(tid);
  list_free(&im.failed);
  list_free(&im.partial);
  list_free(&im.broken);
  return rc;
}
