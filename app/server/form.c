/*
** form.c -- the bodies of the web app's POSTs, held whole in memory (the
** server has capped them: GK_SRV_FORM_BYTES, GK_SRV_UPLOAD_BYTES), parsed
** in place: every name and value is decoded into the body buffer itself
** and NUL-terminated there, so nothing is allocated.  At most
** GK_SRV_MAX_FIELDS fields or parts; every read is checked against the end.
**
** application/x-www-form-urlencoded: name=value pairs joined by '&', '+'
** a space, %XX a byte (a malformed escape is an error).
** multipart/form-data (RFC 7578): parts between "--boundary" lines, each
** with headers (Content-Disposition: form-data; name="..."[;
** filename="..."]; at most 2 KiB of headers a part) and a body that ends
** at CRLF "--boundary".  A file's name is kept only as text to show.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server.h"

#define PART_HEADERS_MAX 2048

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decode s[0..n) in place; returns the new length or -1. */
static long url_decode(char *s, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '+') {
      s[o++] = ' ';
    } else if (c == '%') {
      if (n - i < 3) return -1;
      int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
      if (h < 0 || l < 0) return -1;
      s[o++] = (char)(h * 16 + l);
      i += 2;
    } else {
      s[o++] = c;
    }
  }
  return (long)o;
}

int gk_form_urlencoded(char *body, size_t len, gk_form *form, char *msg,
                       size_t msg_size) {
  form->n = 0;
  body[len] = '\0';
  size_t i = 0;
  while (i < len) {
    size_t end = i;
    while (end < len && body[end] != '&') end++;
    if (end > i) {
      if (form->n == GK_SRV_MAX_FIELDS) {
        snprintf(msg, msg_size, "the form has more than %d fields",
                 GK_SRV_MAX_FIELDS);
        return -1;
      }
      size_t eq = i;
      while (eq < end && body[eq] != '=') eq++;
      long nl = url_decode(body + i, eq - i);
      long vl = eq < end ? url_decode(body + eq + 1, end - eq - 1) : 0;
      if (nl < 0 || vl < 0) {
        snprintf(msg, msg_size, "the form holds a malformed %%-escape");
        return -1;
      }
      body[i + (size_t)nl] = '\0';
      gk_form_field *f = &form->f[form->n++];
      f->name = body + i;
      f->filename = NULL;
      if (eq < end) {
        body[eq + 1 + (size_t)vl] = '\0';
        f->value = body + eq + 1;
        f->len = (size_t)vl;
      } else {
        f->value = body + end; /* the '&' or the final NUL, made a NUL */
        f->len = 0;
      }
    }
    if (end < len) body[end] = '\0';
    i = end + 1;
  }
  return 0;
}

int gk_form_boundary(const char *ct, char *out, size_t size) {
  if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0) return -1;
  const char *p = ct + 19;
  while (*p) {
    while (*p == ';' || *p == ' ' || *p == '\t') p++;
    if (strncasecmp(p, "boundary=", 9) == 0) {
      p += 9;
      size_t n;
      if (*p == '"') {
        p++;
        n = strcspn(p, "\"");
        if (p[n] != '"') return -1;
      } else {
        n = strcspn(p, "; \t");
      }
      if (n == 0 || n > 70 || n + 1 > size) return -1;
      memcpy(out, p, n);
      out[n] = '\0';
      return 0;
    }
    p += strcspn(p, ";");
  }
  return -1;
}

/* memmem over [p, end) */
static char *find(char *p, const char *end, const char *needle, size_t nl) {
  if (nl == 0) return p;
  while ((size_t)(end - p) >= nl) {
    char *q = (char *)memchr(p, needle[0], (size_t)(end - p) - nl + 1);
    if (q == NULL) return NULL;
    if (memcmp(q, needle, nl) == 0) return q;
    p = q + 1;
  }
  return NULL;
}

/* The name and filename parameters of a Content-Disposition value h
   (NUL-terminated, end at hend): each value NUL-terminated in place. */
static void disposition(char *h, char *hend, char **name, char **filename) {
  char *p = h;
  while (p < hend && (p = memchr(p, ';', (size_t)(hend - p))) != NULL) {
    p++;
    while (p < hend && (*p == ' ' || *p == '\t')) p++;
    char **out = NULL;
    size_t pl = 0;
    if (strncasecmp(p, "name=", 5) == 0) out = name, pl = 4;
    else if (strncasecmp(p, "filename=", 9) == 0) out = filename, pl = 8;
    if (out == NULL) continue;
    char *v = p + pl + 1, *e;
    if (*v == '"') {
      v++;
      e = memchr(v, '"', (size_t)(hend - v));
      if (e == NULL) return;
    } else {
      e = v + strcspn(v, "; \t");
    }
    int last = *e == '\0';
    *e = '\0';
    *out = v;
    if (last) return;
    p = e + 1;
  }
}

int gk_form_multipart(char *body, size_t len, const char *boundary,
                      gk_form *form, char *msg, size_t msg_size) {
  form->n = 0;
  body[len] = '\0';
  const char *end = body + len;
  char delim[80]; /* CRLF "--" boundary */
  size_t bl = strlen(boundary);
  if (bl == 0 || bl > 70) {
    snprintf(msg, msg_size, "the upload has no multipart boundary");
    return -1;
  }
  snprintf(delim, sizeof delim, "\r\n--%s", boundary);
  size_t dl = bl + 4;
  /* the first delimiter may start the body without its CRLF */
  char *p;
  if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
    p = body + dl - 2;
  else if ((p = find(body, end, delim, dl)) != NULL)
    p += dl;
  else {
    snprintf(msg, msg_size, "the upload is not multipart/form-data");
    return -1;
  }
  for (;;) {
    /* after a delimiter: "--" ends the body, CRLF starts a part */
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') return 0;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n') break;
    p += 2;
    size_t room = (size_t)(end - p) < PART_HEADERS_MAX ? (size_t)(end - p)
                                                       : PART_HEADERS_MAX;
    char *hend = find(p, p + room, "\r\n\r\n", 4);
    if (hend == NULL) {
      snprintf(msg, msg_size, "a part of the upload has no end to its "
               "headers (or more than %d bytes of them)", PART_HEADERS_MAX);
      return -1;
    }
    *hend = '\0';
    char *name = NULL, *filename = NULL;
    for (char *h = p; h < hend;) {
      char *nl = find(h, hend, "\r\n", 2);
      char *he = nl ? nl : hend;
      *he = '\0';
      if (strncasecmp(h, "Content-Disposition:", 20) == 0)
        disposition(h + 20, he, &name, &filename);
      h = he + 2;
    }
    char *data = hend + 4;
    if (data > end) break;
    char *stop = find(data, end, delim, dl);
    if (stop == NULL) break;
    if (name != NULL) {
      if (form->n == GK_SRV_MAX_FIELDS) {
        snprintf(msg, msg_size, "the upload has more than %d parts",
                 GK_SRV_MAX_FIELDS);
        return -1;
      }
      gk_form_field *f = &form->f[form->n++];
      f->name = name;
      f->filename = filename;
      f->value = data;
      f->len = (size_t)(stop - data);
    }
    *stop = '\0'; /* the CR of the delimiter: the value's NUL */
    p = stop + dl;
  }
  snprintf(msg, msg_size, "the upload ended in the middle of a part");
  return -1;
}

const gk_form_field *gk_form_get(const gk_form *form, const char *name) {
  if (form == NULL) return NULL;
  for (size_t i = 0; i < form->n; i++)
    if (strcmp(form->f[i].name, name) == 0) return &form->f[i];
  return NULL;
}

const char *gk_form_str(const gk_form *form, const char *name) {
  const gk_form_field *f = gk_form_get(form, name);
  return f ? f->value : "";
}
