/*
** gaitkeeper/import.h -- one watch file, in memory, into the store: the
** one import every face uses (`gaitkeeper import` reads files and folders
** and calls it per file, in parallel; the web app calls it per uploaded
** file or zip entry).  docs/STORE.md, "Import", says what counts as a run.
**
** Two steps, so that the CPU work can run on worker threads and the writes
** on one: gk_import_decode (recognise, hash, skip a stored duplicate,
** decode, classify, encode the samples) needs only a read connection or
** none; gk_import_store writes a run in one transaction.  A bad file never
** touches the store.
**
** A zip of watch files (a folder's export) is read from memory by
** gk_zip_each: bounded entry count, per-entry and total uncompressed size,
** stored or deflated entries only; names are only reported, never used as
** paths.
*/
#ifndef GK_IMPORT_H
#define GK_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/activity.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_import_outcome {
  GK_IMPORT_RUN,        /* a run: decoded, then stored by gk_import_store */
  GK_IMPORT_DUPLICATE,  /* the same bytes are stored already */
  GK_IMPORT_OTHER,      /* another sport (sport[] names it, or "unknown") */
  GK_IMPORT_IGNORED,    /* not a FIT/GPX/TCX activity (or empty) */
  GK_IMPORT_FAILED      /* msg says why */
} gk_import_outcome;

typedef struct gk_import_file {
  gk_import_outcome outcome;
  int partial;              /* damaged: imported up to the damage (msg) */
  gk_activity *act;         /* GK_IMPORT_RUN until stored */
  gk_store_prepared *prep;  /* its samples, encoded */
  int64_t id;               /* the stored run's id (after gk_import_store) */
  char sport[GK_NAME_MAX];  /* GK_IMPORT_OTHER */
  char msg[512];            /* FAILED: why; partial: where and why */
} gk_import_file;

/*
** Recognise and decode one file's bytes into *out (zeroed first).  rd: a
** connection to look up duplicates (may be NULL: none found; the store
** step still refuses a second copy).  stored_path: the path to store with
** the run (may be NULL: none).  Never fails as a call: every outcome is in
** *out.  Free with gk_import_file_clear.  Thread-safe with distinct rd.
*/
GK_API void gk_import_decode(const void *data, size_t len, gk_store *rd,
                             const char *stored_path,
                             gk_import_file *out /* OUT */);

/*
** Store a GK_IMPORT_RUN (one transaction), then free its activity: the
** outcome stays RUN (id set), becomes DUPLICATE when the same bytes were
** stored meanwhile, or FAILED with the store's message.  Other outcomes
** are left as they are.  Returns the store's status (GK_OK for a
** duplicate).
*/
GK_API gk_status gk_import_store(gk_store *s, gk_import_file *f);

/* Free what *f owns; it may be cleared twice. */
GK_API void gk_import_file_clear(gk_import_file *f);

/* ---- zip archives, read from memory -------------------------------------- */

typedef struct gk_zip_limits {
  size_t max_entries;     /* files in the archive */
  size_t max_entry_bytes; /* one entry uncompressed */
  size_t max_total_bytes; /* all entries uncompressed */
} gk_zip_limits;

/* Called per file entry (folders skipped) with its name (as in the
   archive, NUL-terminated; never a path to open) and its bytes; a nonzero
   return stops the walk (GK_E_STOPPED). */
typedef int (*gk_zip_entry_fn)(void *user, const char *name,
                               const unsigned char *data, size_t len);

/*
** Check the whole archive first -- the central directory, every entry's
** sizes against the limits, every entry inflated and its CRC-32 checked --
** and only then call fn for each entry in archive order, so that a bad or
** oversized archive yields no entries at all.  GK_OK; GK_E_LIMIT (too many
** entries, an entry or the total too large: a zip bomb), GK_E_CORRUPT or
** GK_E_TRUNCATED (not a zip, damaged, CRC mismatch), GK_E_UNSUPPORTED
** (encrypted, zip64, a method other than stored/deflate), GK_E_NOMEM,
** GK_E_STOPPED; err (optional) says which entry and why.
*/
GK_API gk_status gk_zip_each(const void *data, size_t len,
                             const gk_zip_limits *lim, gk_zip_entry_fn fn,
                             void *user, gk_err *err /* OUT, optional */);

/* 1 when the bytes start like a zip archive ("PK\3\4", or an empty one). */
GK_API int gk_zip_sniff(const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* GK_IMPORT_H */
