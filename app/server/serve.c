/*
** serve.c -- `gaitkeeper serve [--port N]` (the store: --db PATH, as for
** every verb): the local web app on libmicrohttpd.
**
** Two daemons, one on 127.0.0.1 and one on ::1 (when the machine has IPv6),
** never a wildcard address; port 0 picks a free port (the ::1 daemon then
** takes the same one).  A thread per connection; at most
** GK_SRV_MAX_CONNECTIONS connections per daemon; a connection idle for
** GK_SRV_TIMEOUT_S is closed, whatever it was in the middle of; request
** headers beyond the connection's memory are refused with 431.
**
** Every request: the Host must be 127.0.0.1:PORT, [::1]:PORT or
** localhost:PORT (DNS rebinding); GET /?token=T exchanges the printed
** one-time token for the session cookie; everything else needs the
** session.  A POST also needs the same origin (Sec-Fetch-Site, when sent,
** same-origin; Origin, else Referer, naming this server) and the session's
** CSRF token in its "csrf" field; its body is capped (forms
** GK_SRV_FORM_BYTES, uploads GK_SRV_UPLOAD_BYTES: 413) before it is
** parsed.  Every response carries the security headers (docs/SERVER.md).
**
** One line per request on stderr: method, path (no query), status, ms --
** never a form's content.  SIGINT or SIGTERM: stop accepting, let the
** requests in flight finish (each store write is one transaction; a
** request cut short leaves nothing half stored), exit 0.
*/
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gaitkeeper/load.h"
#include "server.h"

/* style-src 'unsafe-inline': the report's exercise figures are SVG with
   their own <style> element; scripts stay 'self' only */
#define CSP_APP                                                            \
  "default-src 'none'; img-src 'self' data:; style-src 'self' "            \
  "'unsafe-inline'; "                                                      \
  "script-src 'self'; connect-src 'self'; form-action 'self'; "            \
  "frame-ancestors 'none'; base-uri 'none'"
/* the standalone report inlines its style sheet (it is also a file) */
#define CSP_REPORT                                                         \
  "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "  \
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

static char db_path[4096];
/* set once the first daemon has its port; read by connection threads */
static atomic_uint port;
static atomic_int in_flight, uploads;

typedef struct req {
  double t0;
  int status;
  int cached; /* the page was the one kept (cache.c) */
  int upload;      /* counted in `uploads` */
  int too_big;     /* the body passed its cap: being discarded */
  size_t cap, discarded;
  char csrf[GK_SRV_TOKEN_HEX + 1];
  char sid[GK_SRV_TOKEN_HEX + 1];
  int64_t runner; /* the session's chosen runner */
  char method[8];
  char path[128];  /* for the log line */
  gk_buf body;
} req;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The runner id text names (all digits, at most 18), else fallback. */
static int64_t runner_of(const char *text, int64_t fallback) {
  if (text == NULL || text[0] == '\0') return fallback;
  int64_t v = 0;
  for (size_t i = 0; text[i]; i++) {
    if (text[i] < '0' || text[i] > '9' || i >= 18) return -1; /* refused */
    v = v * 10 + (text[i] - '0');
  }
  return v > 0 ? v : -1;
}

/* ---- responses ----------------------------------------------------------- */

static enum MHD_Result respond(struct MHD_Connection *c, req *r,
                            gk_srv_response *rs) {
  if (rs->body.oom) {
    gk_buf_free(&rs->body);
    memset(&rs->body, 0, sizeof rs->body);
    gk_srv_error_page(rs, 500, "Out of memory", "The server ran out of "
                      "memory for this page.");
  }
  /* the body's bytes go to the response as they are (malloc'd by gk_buf,
     freed by libmicrohttpd when sent): no copy of a page per request */
  struct MHD_Response *m;
  if (rs->body.data != NULL) {
    m = MHD_create_response_from_buffer(rs->body.len, rs->body.data,
                                        MHD_RESPMEM_MUST_FREE);
    if (m == NULL) gk_buf_free(&rs->body);
  } else {
    m = MHD_create_response_from_buffer(0, (char *)"",
                                        MHD_RESPMEM_PERSISTENT);
  }
  memset(&rs->body, 0, sizeof rs->body);
  if (m == NULL) return MHD_NO;
  MHD_add_response_header(m, "Content-Type",
                          rs->content_type ? rs->content_type
                                           : "text/html; charset=utf-8");
  MHD_add_response_header(m, "Content-Security-Policy",
                          rs->report_page ? CSP_REPORT : CSP_APP);
  MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(m, "Cache-Control", "no-store");
  MHD_add_response_header(m, "X-Frame-Options", "DENY");
  MHD_add_response_header(m, "Cross-Origin-Resource-Policy", "same-origin");
  if (rs->disposition[0])
    MHD_add_response_header(m, "Content-Disposition", rs->disposition);
  if (rs->location[0]) MHD_add_response_header(m, "Location", rs->location);
  if (rs->set_cookie[0])
    MHD_add_response_header(m, "Set-Cookie", rs->set_cookie);
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, m);
  MHD_destroy_response(m);
  if (r) {
    r->status = rs->status;
    r->cached = rs->cached;
  }
  return ok;
}

static enum MHD_Result refuse(struct MHD_Connection *c, req *r, int status,
                              const char *title, const char *msg) {
  gk_srv_response rs;
  memset(&rs, 0, sizeof rs);
  gk_srv_error_page(&rs, status, title, msg);
  return respond(c, r, &rs);
}

/* ---- checks ---------------------------------------------------------------- */

static int host_ok(const char *h) {
  if (h == NULL) return 0;
  char want[64];
  static const char *const names[] = {"127.0.0.1", "[::1]", "localhost"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(want, sizeof want, "%s:%u", names[i], atomic_load(&port));
    if (strcasecmp(h, want) == 0) return 1;
  }
  return 0;
}

/* "http://HOST" with HOST one of ours, followed by end (Origin) or '/'
   (Referer). */
static int origin_ok(const char *o, int referer) {
  if (o == NULL || strncmp(o, "http://", 7) != 0) return 0;
  const char *h = o + 7;
  size_t n = strcspn(h, "/");
  if (!referer && h[n] != '\0') return 0;
  if (referer && h[n] != '/') return 0;
  char host[80];
  if (n >= sizeof host) return 0;
  memcpy(host, h, n);
  host[n] = '\0';
  return host_ok(host);
}

/* Browsers send Sec-Fetch-Site (a header no page can set): it must say
   same-origin.  Under Referrer-Policy no-referrer a browser's form POST
   carries "Origin: null", so null passes only beside Sec-Fetch-Site
   same-origin; any other Origin must be this server.  A client without
   Sec-Fetch-Site needs an Origin, else a Referer, naming this server. */
static int same_origin(struct MHD_Connection *c) {
  const char *sfs =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
  if (sfs != NULL && strcmp(sfs, "same-origin") != 0) return 0;
  const char *o = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
  if (o != NULL && strcmp(o, "null") == 0) return sfs != NULL;
  if (o != NULL) return origin_ok(o, 0);
  if (sfs != NULL) return 1;
  const char *ref =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Referer");
  return ref != NULL && origin_ok(ref, 1);
}

static const char *const USE_URL =
    "Open gaitkeeper with the address `gaitkeeper serve` printed when it "
    "started (it carries a one-time key). Each address works once: if it "
    "was used already, restart `gaitkeeper serve` for a new one.";

/* ---- the request cycle ----------------------------------------------------- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
  (void)cls;
  (void)version;
  req *r = (req *)*con_cls;
  if (r == NULL) { /* the headers are in: every check before any body */
    r = (req *)calloc(1, sizeof *r);
    if (r == NULL) return MHD_NO;
    *con_cls = r;
    atomic_fetch_add(&in_flight, 1);
    r->t0 = now_ms();
    snprintf(r->method, sizeof r->method, "%s", method);
    snprintf(r->path, sizeof r->path, "%s", url);
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int is_post = strcmp(method, "POST") == 0;
    if (!is_get && !is_post)
      return refuse(c, r, 405, "Not allowed", "Only GET and POST are used.");
    if (!host_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")))
      return refuse(c, r, 400, "Wrong address",
                    "This server answers only to 127.0.0.1, [::1] or "
                    "localhost with its own port.");
    if (is_get && strcmp(url, "/style.css") == 0) {
      gk_srv_request rq;
      memset(&rq, 0, sizeof rq);
      rq.method = method;
      rq.path = url;
      gk_srv_response rs;
      memset(&rs, 0, sizeof rs);
      gk_srv_route(&rq, &rs);
      return respond(c, r, &rs);
    }
    const char *tok =
        MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    if (is_get && tok != NULL) {
      char sid[GK_SRV_TOKEN_HEX + 1];
      if (strcmp(url, "/") != 0 || !gk_session_redeem(tok, sid))
        return refuse(c, r, 403, "This address does not work (any more)",
                      USE_URL);
      gk_srv_response rs;
      memset(&rs, 0, sizeof rs);
      rs.status = 303;
      snprintf(rs.location, sizeof rs.location, "/");
      snprintf(rs.set_cookie, sizeof rs.set_cookie,
               "gk_session=%s; HttpOnly; SameSite=Strict; Path=/", sid);
      gk_buf_puts(&rs.body, "<!DOCTYPE html><title>Signed in</title>"
                            "<a href=\"/\">Continue</a>");
      return respond(c, r, &rs);
    }
    const char *sid =
        MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "gk_session");
    if (!gk_session_find(sid, r->csrf, &r->runner))
      return refuse(c, r, 403, "Not signed in", USE_URL);
    snprintf(r->sid, sizeof r->sid, "%s", sid);
    if (is_get) {
      gk_srv_request rq;
      memset(&rq, 0, sizeof rq);
      rq.method = method;
      rq.path = url;
      rq.query_date =
          MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "date");
      rq.query_q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
      const char *all =
          MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "all");
      rq.query_all = all != NULL && strcmp(all, "1") == 0;
      rq.db_path = db_path;
      rq.csrf = r->csrf;
      rq.sid = r->sid;
      rq.runner = runner_of(
          MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "runner"),
          r->runner);
      rq.today = gk_day_of_time((int64_t)time(NULL));
      gk_srv_response rs;
      memset(&rs, 0, sizeof rs);
      gk_srv_route(&rq, &rs);
      return respond(c, r, &rs);
    }
    /* a POST */
    if (!same_origin(c))
      return refuse(c, r, 403, "Refused: not from this page",
                    "A change can only be sent from gaitkeeper's own pages "
                    "(the request came from another site, or said nothing "
                    "of where it came from).");
    r->upload = gk_srv_is_upload(url);
    r->cap = r->upload ? GK_SRV_UPLOAD_BYTES : GK_SRV_FORM_BYTES;
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl != NULL && strtoull(cl, NULL, 10) > r->cap) {
      char msg[200];
      snprintf(msg, sizeof msg, "%s is at most %u %s; this one was larger. "
               "Nothing was stored.",
               r->upload ? "An upload" : "A form",
               r->upload ? GK_SRV_UPLOAD_BYTES >> 20 : GK_SRV_FORM_BYTES >> 10,
               r->upload ? "MiB" : "KiB");
      r->upload = 0;
      return refuse(c, r, 413, "Too large", msg);
    }
    if (r->upload) {
      if (atomic_fetch_add(&uploads, 1) >= GK_SRV_MAX_UPLOADS) {
        atomic_fetch_sub(&uploads, 1);
        r->upload = 0;
        return refuse(c, r, 503, "Busy",
                      "Other uploads are being imported; try again in a "
                      "moment.");
      }
    }
    return MHD_YES;
  }
  if (*upload_data_size > 0) { /* a piece of the body */
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    if (!r->too_big && r->body.len + n > r->cap) {
      r->too_big = 1;
      gk_buf_free(&r->body);
      memset(&r->body, 0, sizeof r->body);
    }
    if (r->too_big) {
      r->discarded += n;
      return r->discarded > 2 * (size_t)r->cap ? MHD_NO : MHD_YES;
    }
    gk_buf_put(&r->body, upload_data, n);
    return r->body.oom ? MHD_NO : MHD_YES;
  }
  /* the whole body is in */
  if (r->too_big)
    return refuse(c, r, 413, "Too large",
                  r->upload ? "An upload is at most 32 MiB. Nothing was "
                              "stored."
                            : "A form is at most 64 KiB. Nothing was "
                              "stored.");
  if (!gk_buf_reserve(&r->body, 1))
    return refuse(c, r, 500, "Out of memory", "Nothing was stored.");
  static char empty[1];
  char *body = r->body.data ? r->body.data : empty;
  gk_form *form = (gk_form *)calloc(1, sizeof *form);
  if (form == NULL) return MHD_NO;
  char msg[200] = "";
  const char *ct =
      MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
  char boundary[80];
  int prc;
  if (ct != NULL && gk_form_boundary(ct, boundary, sizeof boundary) == 0)
    prc = gk_form_multipart(body, r->body.len, boundary, form, msg, sizeof msg);
  else if (ct != NULL &&
           strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
    prc = gk_form_urlencoded(body, r->body.len, form, msg, sizeof msg);
  else {
    prc = -1;
    snprintf(msg, sizeof msg, "the form was not sent as a form (Content-"
             "Type)");
  }
  enum MHD_Result ok;
  if (prc != 0) {
    ok = refuse(c, r, 400, "The form could not be read", msg);
  } else if (!gk_secret_eq(gk_form_str(form, "csrf"), r->csrf)) {
    ok = refuse(c, r, 403, "Refused: the form's key is missing or wrong",
                "Reload the page and send the form again.");
  } else {
    gk_srv_request rq;
    memset(&rq, 0, sizeof rq);
    rq.method = method;
    rq.path = url;
    rq.db_path = db_path;
    rq.csrf = r->csrf;
    rq.sid = r->sid;
    /* a form is for the runner it was shown for, whatever another tab
       chose since */
    rq.runner = runner_of(gk_form_get(form, "runner") ? gk_form_str(form, "runner")
                                                      : NULL,
                          r->runner);
    rq.form = form;
    rq.today = gk_day_of_time((int64_t)time(NULL));
    gk_srv_response rs;
    memset(&rs, 0, sizeof rs);
    gk_srv_route(&rq, &rs);
    ok = respond(c, r, &rs);
  }
  free(form);
  return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)c;
  req *r = (req *)*con_cls;
  if (r == NULL) return;
  *con_cls = NULL;
  /* the log line: no query, no form content */
  fprintf(stderr, "gaitkeeper serve: %s %s %d %.0f ms%s%s\n", r->method,
          r->path, r->status ? r->status : 0, now_ms() - r->t0,
          r->cached ? " (cached)" : "",
          toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
          : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? " (timed out)"
                                                          : " (cut)");
  if (r->upload) atomic_fetch_sub(&uploads, 1);
  gk_buf_free(&r->body);
  free(r);
  atomic_fetch_sub(&in_flight, 1);
}

static void log_mhd(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  fputs("gaitkeeper serve: ", stderr);
  vfprintf(stderr, fmt, ap);
}

static struct MHD_Daemon *start(int v6, unsigned want_port) {
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                   MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
                   MHD_USE_ERROR_LOG | MHD_USE_POLL;
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  struct sockaddr *sa;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  if (v6) {
    flags |= MHD_USE_IPv6;
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons((uint16_t)want_port);
    a6.sin6_addr = in6addr_loopback;
    sa = (struct sockaddr *)&a6;
  } else {
    a4.sin_family = AF_INET;
    a4.sin_port = htons((uint16_t)want_port);
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa = (struct sockaddr *)&a4;
  }
  return MHD_start_daemon(
      flags, (uint16_t)want_port, NULL, NULL, handle, NULL,
      MHD_OPTION_SOCK_ADDR, sa,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)GK_SRV_TIMEOUT_S,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)GK_SRV_MAX_CONNECTIONS,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)2 * GK_SRV_HEADER_BYTES,
      MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
      MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
      MHD_OPTION_END);
}

static void usage(void) {
  fprintf(stderr, "usage: gaitkeeper [--db PATH] serve [--port N]\n"
                  "  N 0 (the default) picks a free port\n");
}

int gk_serve_main(int argc, char **argv, const char *path) {
  long want = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      char *end;
      errno = 0;
      want = strtol(argv[++i], &end, 10);
      if (errno || *end != '\0' || argv[i][0] == '\0' || want < 0 ||
          want > 65535) {
        fprintf(stderr, "gaitkeeper: serve: --port takes 0 to 65535 (got "
                        "'%s')\n", argv[i]);
        return 2;
      }
    } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage();
      return 0;
    } else {
      fprintf(stderr, "gaitkeeper: serve: unknown option '%s'\n", argv[i]);
      usage();
      return 2;
    }
  }
  snprintf(db_path, sizeof db_path, "%s", path);
  /* a thread per connection: without a cap glibc gives threads up to 8
     malloc arenas per core, each keeping what its requests freed (50
     clients: the server's RSS in the middle of the load test 82 to 107 MB
     over three runs with 2 arenas, 106 MB in one run without; the runs
     vary as much as that) */
  mallopt(M_ARENA_MAX, 2);
  /* the store exists (created 0600, or upgraded) before anyone asks */
  gk_store *s = NULL;
  char msg[512] = "";
  if (gk_store_open_ex(&s, db_path, 0, NULL, msg, sizeof msg) != GK_OK) {
    fprintf(stderr, "gaitkeeper: serve: %s: %s\n", db_path, msg);
    return 1;
  }
  gk_store_close(s);

  char token[GK_SRV_TOKEN_HEX + 1];
  if (gk_session_init(token) != 0) {
    fprintf(stderr, "gaitkeeper: serve: no random numbers: %s\n",
            strerror(errno));
    return 1;
  }
  /* the daemons' threads inherit a mask without SIGINT/SIGTERM: only this
     thread takes them, in sigwait */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct MHD_Daemon *d4 = start(0, (unsigned)want);
  if (d4 == NULL) {
    fprintf(stderr, "gaitkeeper: serve: cannot listen on 127.0.0.1:%ld\n",
            want);
    return 1;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d4, MHD_DAEMON_INFO_BIND_PORT);
  atomic_store(&port, info ? info->port : (unsigned)want);
  struct MHD_Daemon *d6 = start(1, atomic_load(&port)); /* no IPv6: 127.0.0.1 only */
  printf("gaitkeeper is serving %s on this computer only:\n"
         "http://127.0.0.1:%u/?token=%s\n",
         db_path, atomic_load(&port), token);
  fflush(stdout);

  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, "gaitkeeper serve: stopping (%s): finishing the requests "
                  "in flight\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  MHD_quiesce_daemon(d4);
  if (d6) MHD_quiesce_daemon(d6);
  /* in-flight requests finish (each store write is one transaction), at
     most a connection timeout and a little more */
  for (int i = 0; i < (GK_SRV_TIMEOUT_S + 5) * 20 && atomic_load(&in_flight);
       i++) {
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  MHD_stop_daemon(d4);
  if (d6) MHD_stop_daemon(d6);
  gk_srv_cache_clear();
  fprintf(stderr, "gaitkeeper serve: stopped\n");
  return 0;
}
