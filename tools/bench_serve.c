/*
** bench_serve.c -- the web app's benchmark (tools/bench_serve.sh runs it):
**
**   bench_serve store DB          write a store for a runner with ten years
**                                 of training (tools/synth_history.c, as
**                                 bench_course) and intake/screen visits
**   bench_serve latency PORT COOKIE PATH N
**                                 N GET PATH one after another: p50, p95,
**                                 max (ms) and errors (any status but 200)
**   bench_serve load PORT COOKIE SECONDS CLIENTS PATH...
**                                 CLIENTS threads on loopback, each asking
**                                 for the PATHs in turn for SECONDS:
**                                 requests, errors, requests/s, p95
*/
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/store.h"
#include "synth_history.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int make_store(const char *path) {
  int64_t today = (int64_t)(time(NULL) / 86400);
  gk_store *s = NULL;
  size_t nr = 0, np = 0;
  int visits = 0;
  if (gk_store_open(&s, path, NULL) != GK_OK) return 1;
  int rc = gk_synth_store(s, today, &nr, &np, &visits);
  gk_store_close(s);
  if (rc != 0) return 1;
  printf("store: %zu runs, %zu pain entries, %d visits over ten years\n", nr,
         np, visits);
  return 0;
}

static int port;
static const char *cookie;

/* One GET on a new connection: 1 when the answer is a 200, read whole. */
static int get(const char *path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return 0;
  }
  char req[1024];
  int n = snprintf(req, sizeof req,
                   "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
                   "Connection: close\r\n\r\n",
                   path, port, cookie);
  if (write(fd, req, (size_t)n) != n) {
    close(fd);
    return 0;
  }
  char buf[65536], head[16] = "";
  size_t got = 0;
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0) {
    if (got < sizeof head - 1) {
      size_t k = sizeof head - 1 - got < (size_t)r ? sizeof head - 1 - got
                                                   : (size_t)r;
      memcpy(head + got, buf, k);
      head[got + k] = '\0';
    }
    got += (size_t)r;
  }
  /* no TIME_WAIT on the client's side: 50 clients open thousands of
     connections a second and would run out of loopback ports */
  struct linger lg = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(fd);
  return r == 0 && strncmp(head, "HTTP/1.1 200", 12) == 0;
}

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

static double pct(double *v, size_t n, double p) {
  if (n == 0) return NAN;
  size_t k = (size_t)ceil(p * (double)n) - 1;
  return v[k < n ? k : n - 1];
}

typedef struct worker {
  pthread_t t;
  double until;
  char **paths;
  int n_paths;
  size_t requests, errors, n_lat, cap_lat;
  double *lat;
} worker;

static void *work(void *arg) {
  worker *w = (worker *)arg;
  for (size_t i = 0; now_ms() < w->until; i++) {
    double t = now_ms();
    int ok = get(w->paths[i % (size_t)w->n_paths]);
    t = now_ms() - t;
    w->requests++;
    if (!ok) w->errors++;
    if (w->n_lat < w->cap_lat) w->lat[w->n_lat++] = t;
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "store") == 0) return make_store(argv[2]);
  if (argc == 6 && strcmp(argv[1], "latency") == 0) {
    port = atoi(argv[2]);
    cookie = argv[3];
    int n = atoi(argv[5]);
    if (n < 1) n = 1;
    double *lat = (double *)calloc((size_t)n, sizeof *lat);
    if (lat == NULL) return 1;
    int errors = 0;
    for (int i = 0; i < n; i++) {
      double t = now_ms();
      if (!get(argv[4])) errors++;
      lat[i] = now_ms() - t;
    }
    qsort(lat, (size_t)n, sizeof *lat, cmp);
    printf("GET %-8s %d requests: p50 %.1f ms, p95 %.1f ms, max %.1f ms, "
           "%d errors\n",
           argv[4], n, pct(lat, (size_t)n, 0.5), pct(lat, (size_t)n, 0.95),
           lat[n - 1], errors);
    free(lat);
    return errors != 0;
  }
  if (argc >= 7 && strcmp(argv[1], "load") == 0) {
    port = atoi(argv[2]);
    cookie = argv[3];
    double secs = atof(argv[4]);
    int clients = atoi(argv[5]);
    if (clients < 1 || clients > 1000 || !(secs > 0)) return 2;
    worker *w = (worker *)calloc((size_t)clients, sizeof *w);
    if (w == NULL) return 1;
    double until = now_ms() + secs * 1e3;
    for (int i = 0; i < clients; i++) {
      w[i].until = until;
      w[i].paths = argv + 6;
      w[i].n_paths = argc - 6;
      w[i].cap_lat = 100000;
      w[i].lat = (double *)malloc(w[i].cap_lat * sizeof(double));
      if (w[i].lat == NULL || pthread_create(&w[i].t, NULL, work, &w[i]))
        return 1;
    }
    size_t req = 0, err = 0, nl = 0;
    for (int i = 0; i < clients; i++) {
      pthread_join(w[i].t, NULL);
      req += w[i].requests;
      err += w[i].errors;
      nl += w[i].n_lat;
    }
    double *all = (double *)malloc((nl ? nl : 1) * sizeof *all);
    if (all == NULL) return 1;
    size_t k = 0;
    for (int i = 0; i < clients; i++) {
      memcpy(all + k, w[i].lat, w[i].n_lat * sizeof *all);
      k += w[i].n_lat;
      free(w[i].lat);
    }
    qsort(all, nl, sizeof *all, cmp);
    printf("load: %d clients for %.0f s: %zu requests (%.0f/s), %zu errors, "
           "p50 %.1f ms, p95 %.1f ms\n",
           clients, secs, req, (double)req / secs, err, pct(all, nl, 0.5),
           pct(all, nl, 0.95));
    free(all);
    free(w);
    return err != 0;
  }
  fprintf(stderr,
          "usage: bench_serve store DB | latency PORT COOKIE PATH N | load "
          "PORT COOKIE SECONDS CLIENTS PATH...\n");
  return 2;
}
