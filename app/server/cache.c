/*
** cache.c -- the pages that are read far more often than the store changes
** (Today, the report), kept as written, per (page, runner, day), for as
** long as the store is unchanged.
**
** "Unchanged" is SQLite's data_version (gk_store_data_version) read on one
** long-lived read-only handle to the store: it changes on every commit of
** any other connection -- this server's own requests (each opens its own
** handle) and any other process, the CLI importing while the server runs.
** The version is read before the page is built, so a commit that lands
** while a page is being built can only make the kept page newer than its
** version says: the next request sees a new version and builds it again.
** Never stale, at worst built once more.  When the store is replaced (a
** new file at the path) the handle is opened again and every kept page is
** old; when the version cannot be read (no store yet, a store read as
** immutable) nothing is kept.
**
** Threads: libmicrohttpd serves each connection on its own thread; the
** slots and the handle are behind one mutex.  One page per key is built at
** a time: a request that finds its page being built for the same version
** waits for it instead of building it again (50 clients asking for the
** report at once build it once).  At most GK_SRV_CACHE_SLOTS pages are
** kept (the least recently used goes); each is the size of its page.
*/
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "gaitkeeper/store.h"
#include "server.h"

#define GK_SRV_CACHE_SLOTS 8

enum { SLOT_EMPTY, SLOT_BUILDING, SLOT_READY };

typedef struct gen {
  uint64_t epoch;   /* which opening of the handle (a replaced file) */
  int64_t version;  /* its data_version */
} gen;

typedef struct slot {
  int state;
  int kind;
  int64_t runner, day;
  gen g;
  uint64_t used;    /* last use, for the least recently used */
  int status;
  const char *content_type;
  int report_page;
  gk_buf body;
} slot;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t built = PTHREAD_COND_INITIALIZER;
static slot slots[GK_SRV_CACHE_SLOTS];
static uint64_t tick;
static gk_store *watch;       /* the long-lived handle */
static dev_t watch_dev;
static ino_t watch_ino;
static uint64_t watch_epoch;

/* The store's version now; 1, or 0 when it cannot be told (nothing is
   kept then).  Called with mu held. */
static int current_gen(const char *db_path, gen *g) {
  struct stat sb;
  if (db_path == NULL || stat(db_path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    gk_store_close(watch);
    watch = NULL;
    return 0;
  }
  if (watch != NULL && (sb.st_dev != watch_dev || sb.st_ino != watch_ino)) {
    gk_store_close(watch); /* a new file at the path */
    watch = NULL;
  }
  if (watch == NULL) {
    if (gk_store_open_ex(&watch, db_path, GK_STORE_READ_ONLY, NULL, NULL, 0) !=
        GK_OK) {
      watch = NULL;
      return 0;
    }
    watch_dev = sb.st_dev;
    watch_ino = sb.st_ino;
    watch_epoch++;
  }
  int64_t v = 0;
  if (gk_store_data_version(watch, &v) != GK_OK) {
    gk_store_close(watch);
    watch = NULL;
    return 0;
  }
  g->epoch = watch_epoch;
  g->version = v;
  return 1;
}

static int same_gen(gen a, gen b) {
  return a.epoch == b.epoch && a.version == b.version;
}

static int copy_out(const slot *s, gk_srv_response *rs) {
  gk_buf_put(&rs->body, s->body.data, s->body.len);
  if (rs->body.oom) return 0;
  rs->status = s->status;
  rs->content_type = s->content_type;
  rs->report_page = s->report_page;
  rs->cached = 1;
  return 1;
}

void gk_srv_cached(const gk_srv_request *rq, int kind, int64_t day,
                   gk_srv_fill_fn fill, gk_srv_response *rs) {
  pthread_mutex_lock(&mu);
  gen g;
  if (!current_gen(rq->db_path, &g)) {
    pthread_mutex_unlock(&mu);
    fill(rq, day, rs);
    return;
  }
  slot *mine = NULL;
  for (;;) {
    slot *waiting = NULL;
    for (size_t i = 0; i < GK_SRV_CACHE_SLOTS; i++) {
      slot *s = &slots[i];
      if (s->state == SLOT_EMPTY || s->kind != kind || s->runner != rq->runner ||
          s->day != day || !same_gen(s->g, g))
        continue;
      if (s->state == SLOT_READY) {
        s->used = ++tick;
        int ok = copy_out(s, rs);
        pthread_mutex_unlock(&mu);
        if (!ok) {
          gk_buf_free(&rs->body);
          memset(&rs->body, 0, sizeof rs->body);
          rs->cached = 0;
          fill(rq, day, rs);
        }
        return;
      }
      waiting = s; /* being built for this version: wait for it */
    }
    if (waiting == NULL) break;
    pthread_cond_wait(&built, &mu);
  }
  /* a slot to build into: the same key's old page, else an empty one,
     else the least recently used one not being built */
  slot *same = NULL, *empty = NULL, *oldest = NULL;
  for (size_t i = 0; i < GK_SRV_CACHE_SLOTS; i++) {
    slot *s = &slots[i];
    if (s->state == SLOT_EMPTY) {
      if (empty == NULL) empty = s;
      continue;
    }
    if (s->state != SLOT_READY) continue;
    if (s->kind == kind && s->runner == rq->runner && s->day == day) same = s;
    if (oldest == NULL || s->used < oldest->used) oldest = s;
  }
  mine = same ? same : empty ? empty : oldest;
  if (mine == NULL) { /* every slot is being built: build it uncached */
    pthread_mutex_unlock(&mu);
    fill(rq, day, rs);
    return;
  }
  gk_buf_free(&mine->body);
  memset(&mine->body, 0, sizeof mine->body);
  mine->state = SLOT_BUILDING;
  mine->kind = kind;
  mine->runner = rq->runner;
  mine->day = day;
  mine->g = g;
  mine->used = ++tick;
  pthread_mutex_unlock(&mu);

  fill(rq, day, rs);

  pthread_mutex_lock(&mu);
  mine->state = SLOT_EMPTY;
  if (rs->status == 200 && !rs->body.oom) {
    gk_buf_put(&mine->body, rs->body.data, rs->body.len);
    if (!mine->body.oom) {
      mine->state = SLOT_READY;
      mine->status = rs->status;
      mine->content_type = rs->content_type;
      mine->report_page = rs->report_page;
    }
  }
  if (mine->state != SLOT_READY) {
    gk_buf_free(&mine->body);
    memset(&mine->body, 0, sizeof mine->body);
  }
  pthread_cond_broadcast(&built);
  pthread_mutex_unlock(&mu);
}

void gk_srv_cache_clear(void) {
  pthread_mutex_lock(&mu);
  for (size_t i = 0; i < GK_SRV_CACHE_SLOTS; i++) {
    if (slots[i].state == SLOT_BUILDING) continue;
    gk_buf_free(&slots[i].body);
    memset(&slots[i], 0, sizeof slots[i]);
  }
  gk_store_close(watch);
  watch = NULL;
  pthread_mutex_unlock(&mu);
}
