/*
** server.h -- gaitkeeper's local web app (`gaitkeeper serve`): a face on
** the library, like app/cli.  It only wires library functions together:
** what the CLI and the web both need is one library function both call.
**
**   serve.c    the daemons (127.0.0.1 and ::1 only), limits, the request
**              cycle (Host, session, CSRF and origin checks, bodies),
**              signals and the clean shutdown
**   session.c  the one-time token, the session cookie, the CSRF token
**   form.c     application/x-www-form-urlencoded and multipart/form-data
**              parsers over a body held in memory (bounded)
**   pages.c    the routes and their HTML
**   upload.c   runs (FIT/GPX/TCX files or a zip)
**   page_gait.c  the Gait page's capture upload (gk_gait_import)
**
** docs/SERVER.md describes the security model, the limits and the pages.
*/
#ifndef GK_SERVER_H
#define GK_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/json.h"
#include "gaitkeeper/store.h"

/* ---- limits (docs/SERVER.md, "Limits") ---------------------------------- */
#define GK_SRV_TIMEOUT_S 10           /* a connection idle this long is cut */
#define GK_SRV_MAX_CONNECTIONS 64     /* at once, per address family */
#define GK_SRV_HEADER_BYTES (16u << 10) /* request line + headers (431) */
#define GK_SRV_FORM_BYTES (64u << 10)   /* a form's body (413) */
#define GK_SRV_UPLOAD_BYTES (32u << 20) /* an upload's body (413) */
#define GK_SRV_MAX_UPLOADS 4          /* upload bodies held at once (503) */
#define GK_SRV_MAX_SESSIONS 16        /* browsers signed in at once */
#define GK_SRV_SESSION_IDLE_S (12 * 3600) /* unused this long: signed out */
#define GK_SRV_MAX_FIELDS 256         /* fields or parts in one form */
#define GK_SRV_ZIP_ENTRIES 2000       /* files in an uploaded zip */
#define GK_SRV_ZIP_ENTRY_BYTES (64u << 20)  /* one file inside, unzipped */
#define GK_SRV_ZIP_TOTAL_BYTES (256u << 20) /* all files inside, unzipped */

/* ---- forms (form.c) ----------------------------------------------------- */

typedef struct gk_form_field {
  const char *name;     /* NUL-terminated, inside the body buffer */
  const char *value;    /* NUL-terminated (a file's bytes may hold NULs) */
  size_t len;           /* value's length in bytes */
  const char *filename; /* multipart file parts: as sent (never a path to
                           open); NULL for plain fields */
} gk_form_field;

typedef struct gk_form {
  gk_form_field f[GK_SRV_MAX_FIELDS];
  size_t n;
} gk_form;

/* Parse body (len bytes, modified in place: decoded and NUL-terminated;
   body[len] must be writable and is set to NUL) into *form.  0, or -1
   with a plain message in msg: malformed, too many fields. */
int gk_form_urlencoded(char *body, size_t len, gk_form *form, char *msg,
                       size_t msg_size);
/* The boundary from a Content-Type "multipart/form-data; boundary=..."
   into out (at most 70 bytes, RFC 2046); 0, or -1 when there is none. */
int gk_form_boundary(const char *content_type, char *out, size_t size);
int gk_form_multipart(char *body, size_t len, const char *boundary,
                      gk_form *form, char *msg, size_t msg_size);
/* The first field named name, or NULL. */
const gk_form_field *gk_form_get(const gk_form *form, const char *name);
/* Its value, or "" when absent. */
const char *gk_form_str(const gk_form *form, const char *name);

/* ---- sessions (session.c) ----------------------------------------------- */

#define GK_SRV_TOKEN_HEX 64 /* 32 random bytes as hex */

/* Make the one-time token (getrandom); 0 or -1. */
int gk_session_init(char token[GK_SRV_TOKEN_HEX + 1]);
/* Exchange the one-time token for a new session: 1 with the session id
   (for the cookie) when tok is the token and unused; 0 otherwise. */
int gk_session_redeem(const char *tok, char sid[GK_SRV_TOKEN_HEX + 1]);
/* The session named by a Cookie header's gk_session value: 1 and its CSRF
   token and chosen runner (0: none; runner may be NULL), or 0 (unknown or
   idle too long: signed out). */
int gk_session_find(const char *sid, char csrf[GK_SRV_TOKEN_HEX + 1],
                    int64_t *runner);
/* Remember runner as the session's chosen one. */
void gk_session_set_runner(const char *sid, int64_t runner);
/* A new form nonce (docs/SERVER.md, "The same form twice"); 0 or -1. */
int gk_session_nonce(char out[GK_SRV_TOKEN_HEX + 1]);
/* 1 when nonce was issued and not yet spent (it is spent now); else 0. */
int gk_session_spend(const char *nonce);
/* 1 when a and b are equal, in time independent of where they differ. */
int gk_secret_eq(const char *a, const char *b);

/* ---- pages (pages.c) ---------------------------------------------------- */

typedef struct gk_srv_request {
  const char *method, *path;  /* path without the query */
  const char *query_date;     /* ?date=, or NULL */
  const char *query_q;        /* ?q= (the Runners page's search), or NULL */
  int query_all;              /* ?all=1: archived runners too */
  const char *db_path;
  const char *csrf;           /* the session's CSRF token */
  const char *sid;            /* the session's id (the Runners page sets its
                                 runner) */
  int64_t runner;             /* the runner this request is for (a form's
                                 own "runner" field, else ?runner=, else the
                                 session's); 0: the store's only one */
  gk_form *form;              /* POST: the parsed body; else NULL */
  int64_t today;              /* the server's day (UTC) */
} gk_srv_request;

typedef struct gk_srv_response {
  int status;
  const char *content_type;   /* static */
  gk_buf body;
  char disposition[160];      /* Content-Disposition, or "" */
  char location[256];         /* 303 See Other target, or "" */
  char set_cookie[160];       /* Set-Cookie, or "" */
  int report_page;            /* the standalone report: its inline style */
  int cached;                 /* 1: the page as kept (cache.c), for the log */
} gk_srv_response;

/* ---- pages kept while the store is unchanged (cache.c) ------------------- */

/* Writes the page for rq as of day into rs (status 200: it may be kept). */
typedef void (*gk_srv_fill_fn)(const gk_srv_request *rq, int64_t day,
                               gk_srv_response *rs);
/* The page `kind` (the caller's number for it) of rq's runner as of day:
   the one kept if the store has not changed since it was written, else
   fill's, kept when its status is 200.  rq->runner must be resolved. */
void gk_srv_cached(const gk_srv_request *rq, int kind, int64_t day,
                   gk_srv_fill_fn fill, gk_srv_response *rs);
/* Drop every kept page and the store handle (the server's stop). */
void gk_srv_cache_clear(void);

/* The page's head, the nav (with the request's runner named in it) and
   the <h1>; and its end. */
void gk_srv_page_start(gk_buf *b, const char *title, const char *active);
void gk_srv_page_end(gk_buf *b);
/* A form's hidden fields: the CSRF token, a one-time nonce, the runner. */
void gk_srv_hidden_keys(gk_buf *b, const gk_srv_request *rq);
/* printf into b (each call at most 1 KiB). */
void gk_srv_printf(gk_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Open the store (flags of gk_store_open_ex) scoped to the request's
   runner; 0, or -1 with the message in msg. */
int gk_srv_open(const gk_srv_request *rq, unsigned flags, gk_store **s,
                char *msg, size_t msg_size);

/* ---- the Runners, Intake and Screen pages (page_runners.c,
   page_answers.c) ---------------------------------------------------------- */
void gk_srv_page_runners(const gk_srv_request *rq, gk_srv_response *rs);
void gk_srv_page_answers(const gk_srv_request *rq, int screen,
                         gk_srv_response *rs);

/* Route a request (GET or a checked POST) to its page. */
void gk_srv_route(const gk_srv_request *rq, gk_srv_response *rs);
/* A plain page with a heading and a message (errors: 400, 403, 404, 413,
   ...). */
void gk_srv_error_page(gk_srv_response *rs, int status, const char *title,
                       const char *msg);
/* 1 when a POST to path is an upload (its larger body limit and
   multipart); 0 a form. */
int gk_srv_is_upload(const char *path);

/* ---- uploads (upload.c) ------------------------------------------------- */

/* The Runs page's upload: every file part named "files" (FIT, GPX, TCX, or
   a zip of them), imported by the library's one import; the summary per
   file into html (escaped). */
void gk_srv_upload_runs(const gk_srv_request *rq, gk_buf *html);

/* The Gait page's upload (page_gait.c): the file part "capture" (and
   "static", a 3D static trial) with the fields `gaitkeeper gait` takes as
   options, through gk_gait_import into the store; what was stored, or
   the problem naming the file, into html (escaped).  The page's status. */
int gk_srv_upload_gait(const gk_srv_request *rq, gk_buf *html);
/* The upload form's fields and its button (inside the page's form). */
void gk_srv_gait_fields(gk_buf *b);

/* HTML-escape s (n bytes; control characters dropped) into b. */
void gk_srv_esc(gk_buf *b, const char *s, size_t n);
void gk_srv_escs(gk_buf *b, const char *s);

/* The web app's entry (`gaitkeeper serve`): argv after the verb, and the
   store's path (main.c resolves --db as for every verb). */
int gk_serve_main(int argc, char **argv, const char *db_path);

#endif
