/*
** upload.c -- the Runs page's upload: every file part named "files" is a
** watch file (FIT, GPX, TCX) or a zip of them, read from memory and given
** to the library's one import (gk_import_decode, gk_import_store: the same
** calls `gaitkeeper import` makes per file), each run stored in its own
** transaction.  A zip is read by gk_zip_each, which checks the whole
** archive (entry count, sizes, CRCs) before any entry is imported: a zip
** bomb or a damaged zip stores nothing.  Names, of files or of zip
** entries, are shown and stored as text only ("upload: NAME"); nothing is
** ever written under them.
*/
#include <stdio.h>
#include <string.h>

#include "gaitkeeper/import.h"
#include "server.h"

typedef struct tally {
  gk_store *s;
  gk_buf *html;
  size_t imported, duplicates, other, ignored, failed, partial;
} tally;

static void row(tally *t, const char *name, const char *outcome,
                const char *cls, const char *why) {
  gk_buf *b = t->html;
  gk_buf_puts(b, "<tr class=\"");
  gk_buf_puts(b, cls);
  gk_buf_puts(b, "\"><td>");
  gk_srv_escs(b, name && name[0] ? name : "(no name)");
  gk_buf_puts(b, "</td><td>");
  gk_buf_puts(b, outcome);
  if (why && why[0]) {
    gk_buf_puts(b, ": ");
    gk_srv_escs(b, why);
  }
  gk_buf_puts(b, "</td></tr>");
}

static void one_file(tally *t, const char *name, const unsigned char *data,
                     size_t len) {
  char stored[600];
  snprintf(stored, sizeof stored, "upload: %s", name ? name : "");
  gk_import_file f;
  gk_import_decode(data, len, t->s, stored, &f);
  if (f.outcome == GK_IMPORT_RUN) gk_import_store(t->s, &f);
  switch (f.outcome) {
    case GK_IMPORT_RUN:
      t->imported++;
      if (f.partial) {
        t->partial++;
        row(t, name, "imported up to damage", "partial", f.msg);
      } else {
        row(t, name, "imported", "imported", NULL);
      }
      break;
    case GK_IMPORT_DUPLICATE:
      t->duplicates++;
      row(t, name, "duplicate", "duplicate", "the same file is stored already");
      break;
    case GK_IMPORT_OTHER:
      t->other++;
      row(t, name, "skipped", "other", f.sport);
      break;
    case GK_IMPORT_IGNORED:
      t->ignored++;
      row(t, name, "failed", "failed", "not a FIT, GPX or TCX activity");
      break;
    case GK_IMPORT_FAILED:
      t->failed++;
      row(t, name, "failed", "failed", f.msg);
      break;
  }
  gk_import_file_clear(&f);
}

static int zip_entry(void *user, const char *name, const unsigned char *data,
                     size_t len) {
  one_file((tally *)user, name, data, len);
  return 0;
}

void gk_srv_upload_runs(const gk_srv_request *rq, gk_buf *html) {
  gk_buf rows = {0};
  tally t;
  memset(&t, 0, sizeof t);
  t.html = &rows;
  char msg[512] = "";
  if (gk_srv_open(rq, GK_STORE_NO_CREATE, &t.s, msg, sizeof msg) != 0) {
    gk_buf_puts(html, "<p class=\"bad\" role=\"alert\">Nothing imported: the "
                      "store cannot be written: ");
    gk_srv_escs(html, msg);
    gk_buf_puts(html, "</p>");
    return;
  }
  size_t files = 0;
  for (size_t i = 0; i < rq->form->n; i++) {
    const gk_form_field *f = &rq->form->f[i];
    if (strcmp(f->name, "files") != 0 || f->filename == NULL) continue;
    if (f->filename[0] == '\0' && f->len == 0) continue; /* none chosen */
    files++;
    const unsigned char *data = (const unsigned char *)f->value;
    if (gk_zip_sniff(data, f->len)) {
      gk_zip_limits lim = {GK_SRV_ZIP_ENTRIES, GK_SRV_ZIP_ENTRY_BYTES,
                           GK_SRV_ZIP_TOTAL_BYTES};
      gk_err err;
      memset(&err, 0, sizeof err);
      gk_status st = gk_zip_each(data, f->len, &lim, zip_entry, &t, &err);
      if (st != GK_OK) {
        char why[400];
        snprintf(why, sizeof why, "%s%s; nothing in it was imported",
                 err.msg ? err.msg : gk_strerror(st),
                 st == GK_E_LIMIT ? " (limits: 2000 files, 64 MiB each, "
                                    "256 MiB in all, unzipped)"
                                  : "");
        t.failed++;
        row(&t, f->filename, "failed", "failed", why);
      }
    } else {
      one_file(&t, f->filename, data, f->len);
    }
  }
  gk_store_close(t.s);
  if (files == 0) {
    gk_buf_puts(html, "<p class=\"bad\" role=\"alert\">No file was chosen."
                      "</p>");
    gk_buf_free(&rows);
    return;
  }
  char line[300];
  snprintf(line, sizeof line,
           "<section aria-labelledby=\"s-import\"><h2 id=\"s-import\">Import"
           "</h2><p class=\"%s\" role=\"status\">Imported %zu run%s, %zu "
           "duplicate%s, %zu other sport%s, %zu failed.</p>",
           t.failed ? "bad" : "ok", t.imported, t.imported == 1 ? "" : "s",
           t.duplicates, t.duplicates == 1 ? "" : "s", t.other,
           t.other == 1 ? "" : "s", t.failed + t.ignored);
  gk_buf_puts(html, line);
  gk_buf_puts(html, "<div class=\"tbl\"><table class=\"import\"><thead><tr>"
                    "<th>File</th><th>Result</th></tr></thead><tbody>");
  gk_buf_put(html, rows.data ? rows.data : "", rows.len);
  gk_buf_puts(html, "</tbody></table></div></section>");
  gk_buf_free(&rows);
}
