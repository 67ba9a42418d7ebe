/*
** gaitkeeper/core.h -- version, status codes, error detail, allocator.
**
** Every library call that can fail returns a gk_status.  Parsers also fill
** an optional gk_err with a static message and the byte offset (and, for
** text formats, line and column) where the problem was found.  The library
** never prints and never exits.
*/
#ifndef GK_CORE_H
#define GK_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(GK_BUILDING_LIBRARY) && defined(__GNUC__)
#define GK_API __attribute__((visibility("default")))
#else
#define GK_API
#endif

#define GK_VERSION_MAJOR 0
#define GK_VERSION_MINOR 1
#define GK_VERSION_PATCH 0
#define GK_VERSION_HEX \
  ((GK_VERSION_MAJOR << 16) | (GK_VERSION_MINOR << 8) | GK_VERSION_PATCH)

/* The library's version as "MAJOR.MINOR.PATCH"; a static string. */
GK_API const char *gk_version(void);

/* One status enum for the whole library. */
typedef enum gk_status {
  GK_OK = 0,          /* success */
  GK_E_TRUNCATED,     /* input ended in the middle of a structure */
  GK_E_CORRUPT,       /* input is malformed */
  GK_E_CRC,           /* a checksum does not match */
  GK_E_NOMEM,         /* an allocation failed */
  GK_E_LIMIT,         /* input exceeds a hard limit of the library */
  GK_E_IO,            /* reading or writing a file failed */
  GK_E_UNSUPPORTED,   /* valid input that this version cannot handle */
  GK_E_ARG,           /* the caller passed an invalid argument */
  GK_E_NOT_FOUND,     /* a requested item does not exist */
  GK_E_STOPPED,       /* a callback asked to stop */
  GK_STATUS_COUNT     /* number of codes; not a status */
} gk_status;

/* A short, static, human-readable description of a status code. */
GK_API const char *gk_strerror(gk_status code);

/*
** Where and why a parse failed.  msg is a static string (never freed);
** offset is the byte offset in the input where the problem was detected;
** line and col are 1-based for text formats and 0 otherwise.
*/
typedef struct gk_err {
  gk_status code;
  const char *msg;
  uint64_t offset;
  uint32_t line;
  uint32_t col;
} gk_err;

/*
** An injectable allocator.  realloc receives the old size; free receives
** the size too (either may be ignored).  A NULL gk_alloc pointer anywhere
** in the API means the C library's allocator.
*/
typedef struct gk_alloc {
  void *(*malloc)(void *ctx, size_t size);
  void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t size);
  void (*free)(void *ctx, void *ptr, size_t size);
  void *ctx;
} gk_alloc;

/* SHA-256 (FIPS 180-4) of buf[0..len) into out[32]. */
GK_API void gk_sha256(const void *buf, size_t len, uint8_t out[32]);

#ifdef __cplusplus
}
#endif

#endif /* GK_CORE_H */
