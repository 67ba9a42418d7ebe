/*
** cmd_fit.c -- `gaitkeeper fit dump`: decode FIT files, print every message
** as JSON lines or CSV (or nothing, for benchmarks), and report damage with
** the file, the byte offset and the problem.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_fit_summary.h"
#include "gaitkeeper/fit.h"
#include "gaitkeeper/json.h"

enum { FMT_JSONL, FMT_CSV, FMT_NONE };

struct dump {
  int format;
  gk_buf out;
};

static void flush_out(struct dump *d) {
  if (d->out.len) fwrite(d->out.data, 1, d->out.len, stdout);
  d->out.len = 0;
}

static void put_value(gk_buf *b, const gk_fit_field *f, const gk_fit_value *v,
                      int csv) {
  char tmp[24];
  switch (v->kind) {
    case GK_FIT_V_NUM:
      gk_json_num(b, v->v.f);
      break;
    case GK_FIT_V_I64:
      gk_json_i64(b, v->v.i);
      break;
    case GK_FIT_V_U64:
      gk_json_u64(b, v->v.u);
      break;
    case GK_FIT_V_STR:
      gk_json_str(b, v->v.s);
      break;
    case GK_FIT_V_ENUM: {
      const char *name = gk_fit_enum_name(f, v->v.u);
      if (name == NULL) gk_json_u64(b, v->v.u);
      else if (csv) gk_buf_puts(b, name);
      else gk_json_str(b, name);
      break;
    }
    case GK_FIT_V_TIME:
      if (v->v.u >= GK_FIT_DATE_TIME_MIN) {
        gk_time_iso8601((int64_t)v->v.u + GK_FIT_EPOCH_UNIX, tmp);
        if (csv) gk_buf_puts(b, tmp);
        else gk_json_str(b, tmp);
      } else {
        gk_json_u64(b, v->v.u);
      }
      break;
    default:
      gk_buf_puts(b, csv ? "" : "null");
  }
}

static void put_field_value(gk_buf *b, const gk_fit_field *f, int csv) {
  if (!(f->flags & GK_FIT_F_ARRAY)) {
    put_value(b, f, &f->values[0], csv);
    return;
  }
  gk_buf_putc(b, csv ? '"' : '[');
  for (unsigned i = 0; i < f->n_values; i++) {
    if (i) gk_buf_putc(b, csv ? '|' : ',');
    put_value(b, f, &f->values[i], csv);
  }
  gk_buf_putc(b, csv ? '"' : ']');
}

static void put_key(gk_buf *b, const gk_fit_field *f) {
  if (f->name) {
    gk_json_str(b, f->name);
  } else {
    char tmp[8];
    snprintf(tmp, sizeof tmp, "\"%u\"", f->num);
    gk_buf_puts(b, tmp);
  }
}

static int on_mesg(void *user, const gk_fit_mesg *m) {
  struct dump *d = (struct dump *)user;
  gk_buf *b = &d->out;
  char tmp[32];
  const char *name = m->name;
  if (name == NULL) {
    snprintf(tmp, sizeof tmp, "unknown_%u", m->num);
    name = tmp;
  }
  if (d->format == FMT_NONE) return 0;
  if (d->format == FMT_JSONL) {
    gk_buf_puts(b, "{\"mesg\":");
    gk_json_str(b, name);
    gk_buf_puts(b, ",\"fields\":{");
    for (unsigned i = 0; i < m->n_fields; i++) {
      if (i) gk_buf_putc(b, ',');
      put_key(b, &m->fields[i]);
      gk_buf_putc(b, ':');
      put_field_value(b, &m->fields[i], 0);
    }
    gk_buf_putc(b, '}');
    if (m->n_dev_fields) {
      gk_buf_puts(b, ",\"developer_fields\":{");
      for (unsigned i = 0; i < m->n_dev_fields; i++) {
        if (i) gk_buf_putc(b, ',');
        put_key(b, &m->dev_fields[i]);
        gk_buf_putc(b, ':');
        put_field_value(b, &m->dev_fields[i], 0);
      }
      gk_buf_putc(b, '}');
    }
    gk_buf_puts(b, "}\n");
  } else {
    /* CSV: message, then name,value,units triples */
    gk_buf_puts(b, name);
    for (unsigned pass = 0; pass < 2; pass++) {
      const gk_fit_field *fs = pass ? m->dev_fields : m->fields;
      unsigned n = pass ? m->n_dev_fields : m->n_fields;
      for (unsigned i = 0; i < n; i++) {
        gk_buf_putc(b, ',');
        if (fs[i].name) gk_json_str(b, fs[i].name);
        else {
          snprintf(tmp, sizeof tmp, "%u", fs[i].num);
          gk_buf_puts(b, tmp);
        }
        gk_buf_putc(b, ',');
        put_field_value(b, &fs[i], 1);
        gk_buf_putc(b, ',');
        gk_buf_puts(b, fs[i].units);
      }
    }
    gk_buf_putc(b, '\n');
  }
  if (b->len > (1u << 20)) flush_out(d);
  return 0;
}

/* Decode one file in fixed-size chunks: memory does not grow with the
   file. */
static int dump_file(struct dump *d, const char *path, unsigned options) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "gaitkeeper: %s: cannot open: ", path);
    perror(NULL);
    return 1;
  }
  gk_fit_decoder *dec;
  if (gk_fit_decoder_new(&dec, NULL, options, on_mesg, d) != GK_OK) {
    fclose(f);
    fprintf(stderr, "gaitkeeper: %s: out of memory\n", path);
    return 1;
  }
  static unsigned char chunk[1 << 18];
  gk_status st = GK_OK;
  int read_error = 0;
  for (;;) {
    size_t n = fread(chunk, 1, sizeof chunk, f);
    if (n > 0) st = gk_fit_feed(dec, chunk, n);
    if (st != GK_OK) break;
    if (n < sizeof chunk) {
      read_error = ferror(f);
      break;
    }
  }
  fclose(f);
  if (st == GK_OK && !read_error) st = gk_fit_finish(dec);
  flush_out(d);
  fflush(stdout);
  int rc = 0;
  if (read_error) {
    fprintf(stderr, "gaitkeeper: %s: read error\n", path);
    rc = 1;
  } else if (st != GK_OK) {
    const gk_err *e = gk_fit_error(dec);
    fprintf(stderr, "gaitkeeper: %s: byte %llu: %s\n", path,
            (unsigned long long)e->offset, e->msg ? e->msg : gk_strerror(st));
    rc = 1;
  }
  const gk_fit_stats *s = gk_fit_decoder_stats(dec);
  if (s->crc_mismatches)
    fprintf(stderr, "gaitkeeper: %s: warning: %u CRC mismatch(es) accepted\n",
            path, s->crc_mismatches);
  gk_fit_decoder_free(dec);
  return rc;
}

static int cmd_dump(int argc, char **argv) {
  struct dump d;
  memset(&d, 0, sizeof d);
  d.format = FMT_JSONL;
  unsigned options = 0;
  int nfiles = 0, rc = 0, i;
  for (i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--format") == 0 && i + 1 < argc) {
      const char *v = argv[++i];
      if (strcmp(v, "jsonl") == 0) d.format = FMT_JSONL;
      else if (strcmp(v, "csv") == 0) d.format = FMT_CSV;
      else if (strcmp(v, "none") == 0) d.format = FMT_NONE;
      else {
        fprintf(stderr, "gaitkeeper: fit dump: unknown format '%s' "
                        "(jsonl, csv or none)\n", v);
        return 2;
      }
    } else if (strcmp(a, "--accept-bad-crc") == 0) {
      options |= GK_FIT_ACCEPT_BAD_CRC;
    } else if (strcmp(a, "--") == 0) {
      i++;
      break;
    } else if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "gaitkeeper: fit dump: unknown option '%s'\n", a);
      return 2;
    } else {
      break;
    }
  }
  for (; i < argc; i++) {
    nfiles++;
    if (dump_file(&d, argv[i], options) != 0) rc = 1;
  }
  gk_buf_free(&d.out);
  if (nfiles == 0) {
    fprintf(stderr, "usage: gaitkeeper fit dump [--format jsonl|csv|none] "
                    "[--accept-bad-crc] FILE...\n");
    return 2;
  }
  return rc;
}

int gk_cmd_fit(int argc, char **argv) {
  if (argc >= 1 && strcmp(argv[0], "dump") == 0)
    return cmd_dump(argc - 1, argv + 1);
  if (argc >= 1 && strcmp(argv[0], "summary") == 0)
    return gk_cmd_fit_summary(argc - 1, argv + 1);
  fprintf(stderr, "usage: gaitkeeper fit dump [--format jsonl|csv|none] "
                  "[--accept-bad-crc] FILE...\n"
                  "       gaitkeeper fit summary [--json] [--accept-bad-crc] "
                  "FILE...\n");
  return 2;
}
