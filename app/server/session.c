/*
** session.c -- who may use the web app: whoever opened the printed URL.
**
** At start the server makes a one-time token (32 random bytes from
** getrandom, hex) and prints it in its URL.  The first GET carrying it is
** given a session: a new random id in an HttpOnly, SameSite=Strict cookie,
** and a per-session CSRF token that every form carries in a hidden field.
** The token is then spent: a second use is refused.  Secrets are compared
** in constant time.  At most GK_SRV_MAX_SESSIONS sessions: the oldest goes
** when a new one is made; a session unused for GK_SRV_SESSION_IDLE_S is
** signed out.  A session remembers the runner last chosen on the Runners
** page (the pages a GET shows); a form carries its own runner.  Sessions live in memory only (a restart signs
** everyone out; the new URL is printed).
*/
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <string.h>
#include <sys/random.h>

#include "server.h"

typedef struct session {
  char sid[GK_SRV_TOKEN_HEX + 1];
  char csrf[GK_SRV_TOKEN_HEX + 1];
  int64_t runner;  /* the runner chosen on the Runners page; 0: none */
  time_t last_use; /* idle longer than GK_SRV_SESSION_IDLE_S: signed out */
} session;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char one_time[GK_SRV_TOKEN_HEX + 1];
static int spent;
static session sessions[GK_SRV_MAX_SESSIONS];
static size_t n_sessions, next_slot;

static int random_hex(char out[GK_SRV_TOKEN_HEX + 1]) {
  unsigned char raw[GK_SRV_TOKEN_HEX / 2];
  size_t got = 0;
  while (got < sizeof raw) {
    ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
    if (r < 0) return -1;
    got += (size_t)r;
  }
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof raw; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[GK_SRV_TOKEN_HEX] = '\0';
  return 0;
}

int gk_secret_eq(const char *a, const char *b) {
  if (a == NULL || b == NULL) return 0;
  size_t la = strlen(a), lb = strlen(b);
  /* every byte of the expected length is looked at, whatever a holds */
  unsigned diff = (unsigned)(la ^ lb);
  for (size_t i = 0; i < lb; i++)
    diff |= (unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)b[i];
  return diff == 0 && lb > 0;
}

int gk_session_init(char token[GK_SRV_TOKEN_HEX + 1]) {
  pthread_mutex_lock(&mu);
  int rc = random_hex(one_time);
  spent = 0;
  n_sessions = next_slot = 0;
  memcpy(token, one_time, sizeof one_time);
  pthread_mutex_unlock(&mu);
  return rc;
}

int gk_session_redeem(const char *tok, char sid[GK_SRV_TOKEN_HEX + 1]) {
  pthread_mutex_lock(&mu);
  int ok = !spent && gk_secret_eq(tok, one_time);
  if (ok) {
    session *s = &sessions[next_slot];
    if (random_hex(s->sid) != 0 || random_hex(s->csrf) != 0) {
      ok = 0;
    } else {
      spent = 1;
      s->runner = 0;
      s->last_use = time(NULL);
      memcpy(sid, s->sid, sizeof s->sid);
      next_slot = (next_slot + 1) % GK_SRV_MAX_SESSIONS;
      if (n_sessions < GK_SRV_MAX_SESSIONS) n_sessions++;
    }
  }
  pthread_mutex_unlock(&mu);
  return ok;
}

int gk_session_find(const char *sid, char csrf[GK_SRV_TOKEN_HEX + 1],
                    int64_t *runner) {
  if (sid == NULL) return 0;
  time_t now = time(NULL);
  pthread_mutex_lock(&mu);
  int found = 0;
  for (size_t i = 0; i < n_sessions; i++) /* all compared: no early exit */
    if (gk_secret_eq(sid, sessions[i].sid) && sessions[i].sid[0] != '\0') {
      if (now - sessions[i].last_use > GK_SRV_SESSION_IDLE_S) {
        sessions[i].sid[0] = '\0'; /* expired: signed out for good */
        continue;
      }
      sessions[i].last_use = now;
      memcpy(csrf, sessions[i].csrf, sizeof sessions[i].csrf);
      if (runner) *runner = sessions[i].runner;
      found = 1;
    }
  pthread_mutex_unlock(&mu);
  return found;
}

void gk_session_set_runner(const char *sid, int64_t runner) {
  if (sid == NULL) return;
  pthread_mutex_lock(&mu);
  for (size_t i = 0; i < n_sessions; i++)
    if (sessions[i].sid[0] != '\0' && gk_secret_eq(sid, sessions[i].sid))
      sessions[i].runner = runner;
  pthread_mutex_unlock(&mu);
}

/* ---- form nonces: a form sent twice is stored once ----------------------
** Every rendered form that stores something carries a fresh nonce; the
** first POST with it spends it, a second (a reload, a double click, the
** back button) is refused as already saved.  Two tabs have two nonces:
** both are stored.  The last GK_SRV_NONCES issued are remembered. */
#define GK_SRV_NONCES 256
static char nonces[GK_SRV_NONCES][GK_SRV_TOKEN_HEX + 1];
static size_t next_nonce;

int gk_session_nonce(char out[GK_SRV_TOKEN_HEX + 1]) {
  pthread_mutex_lock(&mu);
  int rc = random_hex(nonces[next_nonce]);
  if (rc == 0) memcpy(out, nonces[next_nonce], GK_SRV_TOKEN_HEX + 1);
  next_nonce = (next_nonce + 1) % GK_SRV_NONCES;
  pthread_mutex_unlock(&mu);
  return rc;
}

int gk_session_spend(const char *nonce) {
  pthread_mutex_lock(&mu);
  int found = 0;
  for (size_t i = 0; i < GK_SRV_NONCES; i++)
    if (nonces[i][0] && gk_secret_eq(nonce, nonces[i])) {
      nonces[i][0] = '\0';
      found = 1;
    }
  pthread_mutex_unlock(&mu);
  return found;
}
