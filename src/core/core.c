/*
** core.c -- version string, status messages, the default allocator and the
** detection-site hook for corrupt input.
*/
#include "core_internal.h"

#include <stdlib.h>

#define GK_STR2(x) #x
#define GK_STR(x) GK_STR2(x)

const char *gk_version(void) {
  return GK_STR(GK_VERSION_MAJOR) "." GK_STR(GK_VERSION_MINOR) "." GK_STR(
      GK_VERSION_PATCH);
}

static const char *const status_text[GK_STATUS_COUNT] = {
    [GK_OK] = "success",
    [GK_E_TRUNCATED] = "input ends too early",
    [GK_E_CORRUPT] = "input is corrupt",
    [GK_E_CRC] = "checksum mismatch",
    [GK_E_NOMEM] = "out of memory",
    [GK_E_LIMIT] = "input exceeds a hard limit",
    [GK_E_IO] = "input/output error",
    [GK_E_UNSUPPORTED] = "unsupported input",
    [GK_E_ARG] = "invalid argument",
    [GK_E_NOT_FOUND] = "not found",
    [GK_E_STOPPED] = "stopped by the caller",
};

const char *gk_strerror(gk_status code) {
  if ((int)code < 0 || code >= GK_STATUS_COUNT) return "unknown status";
  return status_text[code];
}

static void *libc_malloc(void *ctx, size_t size) {
  (void)ctx;
  return malloc(size);
}
static void *libc_realloc(void *ctx, void *ptr, size_t old_size, size_t size) {
  (void)ctx;
  (void)old_size;
  return realloc(ptr, size);
}
static void libc_free(void *ctx, void *ptr, size_t size) {
  (void)ctx;
  (void)size;
  free(ptr);
}

const gk_alloc gk__libc_alloc = {libc_malloc, libc_realloc, libc_free, NULL};

gk_status gk__corrupt(gk_status code, const char *file, int line) {
  /* One place to set a debugger breakpoint for every detected corruption. */
  (void)file;
  (void)line;
  return code;
}

void gk__set_err(gk_err *err, gk_status code, const char *msg,
                 uint64_t offset) {
  if (err == NULL) return;
  err->code = code;
  err->msg = msg;
  err->offset = offset;
  err->line = 0;
  err->col = 0;
}
