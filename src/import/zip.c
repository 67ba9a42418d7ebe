/*
** zip.c -- a bounded reader of zip archives held in memory (the web app's
** upload of a folder's export; gaitkeeper/import.h, gk_zip_each).
**
** Read from the end: the end-of-central-directory record (searched in the
** last 64 KiB + 22 bytes), then each central-directory entry, then its
** local header for the data's offset.  Every offset and size is checked
** against the buffer before it is read; entry count, each entry's declared
** size and their total are checked against the limits before anything is
** inflated; inflating never writes past the declared size (a larger output
** is a corrupt entry), and the CRC-32 is checked.  Only stored (0) and
** deflate (8); encrypted entries and zip64 are refused.  Names are handed
** to the caller as text, never opened.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gaitkeeper/import.h"

#define EOCD_SIG 0x06054b50u
#define CDIR_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u
#define ZIP_NAME_MAX 1024

static uint16_t rd16(const unsigned char *p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}
static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

int gk_zip_sniff(const void *data, size_t len) {
  const unsigned char *p = (const unsigned char *)data;
  if (p == NULL || len < 4) return 0;
  uint32_t sig = rd32(p);
  return sig == LOCAL_SIG || sig == EOCD_SIG;
}

typedef struct zentry {
  char name[ZIP_NAME_MAX + 1];
  unsigned char *data;
  size_t len;
} zentry;

static gk_status fail(gk_err *err, gk_status st, const char *msg,
                      size_t offset) {
  if (err) {
    err->code = st;
    err->msg = msg;
    err->offset = offset;
  }
  return st;
}

static gk_status inflate_into(const unsigned char *src, size_t clen,
                              unsigned char *dst, size_t ulen) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return GK_E_NOMEM;
  gk_status st = GK_OK;
  size_t in_done = 0, out_done = 0;
  unsigned char spare;
  for (;;) {
    size_t in_chunk = clen - in_done > 1u << 30 ? 1u << 30 : clen - in_done;
    z.next_in = (Bytef *)(src + in_done);
    z.avail_in = (uInt)in_chunk;
    /* one spare byte past the declared size: output beyond it is a lie */
    if (out_done < ulen) {
      size_t oc = ulen - out_done > 1u << 30 ? 1u << 30 : ulen - out_done;
      z.next_out = dst + out_done;
      z.avail_out = (uInt)oc;
    } else {
      z.next_out = &spare;
      z.avail_out = 1;
    }
    uInt in_before = z.avail_in, out_before = z.avail_out;
    int rc = inflate(&z, Z_NO_FLUSH);
    in_done += in_before - z.avail_in;
    size_t produced = out_before - z.avail_out;
    if (out_done >= ulen && produced > 0) {
      st = GK_E_CORRUPT;
      break;
    }
    out_done += produced;
    if (rc == Z_STREAM_END) {
      if (out_done != ulen) st = GK_E_CORRUPT;
      break;
    }
    if (rc == Z_MEM_ERROR) {
      st = GK_E_NOMEM;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      st = GK_E_CORRUPT;
      break;
    }
    if (in_before == z.avail_in && produced == 0) { /* no progress: ended */
      st = GK_E_TRUNCATED;
      break;
    }
  }
  inflateEnd(&z);
  return st;
}

gk_status gk_zip_each(const void *data, size_t len, const gk_zip_limits *lim,
                      gk_zip_entry_fn fn, void *user, gk_err *err) {
  const unsigned char *p = (const unsigned char *)data;
  if (p == NULL || lim == NULL || fn == NULL)
    return fail(err, GK_E_ARG, "zip: no data", 0);
  if (len < 22) return fail(err, GK_E_TRUNCATED, "not a zip archive", 0);
  /* the end record: the last signature within 65535 + 22 bytes */
  size_t lo = len > 65557 ? len - 65557 : 0, eocd = SIZE_MAX;
  for (size_t i = len - 22 + 1; i-- > lo;)
    if (rd32(p + i) == EOCD_SIG) {
      eocd = i;
      break;
    }
  if (eocd == SIZE_MAX)
    return fail(err, GK_E_CORRUPT, "not a zip archive (no central directory)",
                0);
  const unsigned char *e = p + eocd;
  size_t n = rd16(e + 10), cd_size = rd32(e + 12), cd_off = rd32(e + 16);
  if (rd16(e + 4) != 0 || rd16(e + 6) != 0 || rd16(e + 8) != n)
    return fail(err, GK_E_UNSUPPORTED, "zip archives split over several "
                "disks are not read", eocd);
  if (n == 0xffff || cd_off == 0xffffffffu || cd_size == 0xffffffffu)
    return fail(err, GK_E_UNSUPPORTED, "zip64 archives are not read", eocd);
  if (n > lim->max_entries)
    return fail(err, GK_E_LIMIT, "the zip holds more files than allowed",
                eocd);
  if (cd_off > eocd || cd_size > eocd - cd_off)
    return fail(err, GK_E_CORRUPT, "zip: the central directory lies outside "
                "the archive", eocd);

  zentry *v = (zentry *)calloc(n ? n : 1, sizeof *v);
  if (v == NULL) return fail(err, GK_E_NOMEM, "zip: out of memory", 0);
  size_t nv = 0, total = 0, off = cd_off, cd_end = cd_off + cd_size;
  gk_status st = GK_OK;
  for (size_t k = 0; k < n && st == GK_OK; k++) {
    if (cd_end - off < 46 || rd32(p + off) != CDIR_SIG) {
      st = fail(err, GK_E_CORRUPT, "zip: a damaged central directory", off);
      break;
    }
    const unsigned char *c = p + off;
    unsigned flags = rd16(c + 8), method = rd16(c + 10);
    uint32_t crc = rd32(c + 16);
    size_t clen = rd32(c + 20), ulen = rd32(c + 24);
    size_t nlen = rd16(c + 28), xlen = rd16(c + 30), mlen = rd16(c + 32);
    size_t loff = rd32(c + 42);
    if (cd_end - off - 46 < nlen + xlen + mlen) {
      st = fail(err, GK_E_CORRUPT, "zip: a damaged central directory", off);
      break;
    }
    const char *name = (const char *)(c + 46);
    off += 46 + nlen + xlen + mlen;
    if (nlen > 0 && name[nlen - 1] == '/') continue; /* a folder */
    if (nlen > ZIP_NAME_MAX) {
      st = fail(err, GK_E_LIMIT, "zip: a file name is too long", off);
      break;
    }
    if (flags & 0x1u) {
      st = fail(err, GK_E_UNSUPPORTED, "zip: encrypted files are not read",
                off);
      break;
    }
    if (method != 0 && method != 8) {
      st = fail(err, GK_E_UNSUPPORTED, "zip: a file is compressed with a "
                "method other than deflate", off);
      break;
    }
    if (clen == 0xffffffffu || ulen == 0xffffffffu || loff == 0xffffffffu) {
      st = fail(err, GK_E_UNSUPPORTED, "zip64 archives are not read", off);
      break;
    }
    if (ulen > lim->max_entry_bytes) {
      st = fail(err, GK_E_LIMIT, "zip: a file inside is larger than allowed "
                "uncompressed", off);
      break;
    }
    if (ulen > lim->max_total_bytes - total) {
      st = fail(err, GK_E_LIMIT, "zip: the files inside add up to more than "
                "allowed uncompressed", off);
      break;
    }
    total += ulen;
    /* the local header: where the data starts */
    if (loff > len || len - loff < 30 || rd32(p + loff) != LOCAL_SIG) {
      st = fail(err, GK_E_CORRUPT, "zip: a file's local header is missing",
                loff);
      break;
    }
    size_t data_off = loff + 30 + rd16(p + loff + 26) + rd16(p + loff + 28);
    if (data_off > len || len - data_off < clen ||
        (method == 0 && clen != ulen)) {
      st = fail(err, GK_E_TRUNCATED, "zip: a file's data runs past the end",
                loff);
      break;
    }
    zentry *z = &v[nv];
    memcpy(z->name, name, nlen);
    z->name[nlen] = '\0';
    for (size_t i = 0; i < nlen; i++)
      if (z->name[i] == '\0') z->name[i] = '?';
    z->data = (unsigned char *)malloc(ulen ? ulen : 1);
    if (z->data == NULL) {
      st = fail(err, GK_E_NOMEM, "zip: out of memory", off);
      break;
    }
    nv++;
    z->len = ulen;
    if (method == 0) {
      memcpy(z->data, p + data_off, ulen);
    } else {
      st = inflate_into(p + data_off, clen, z->data, ulen);
      if (st != GK_OK) {
        fail(err, st, st == GK_E_NOMEM ? "zip: out of memory"
                                       : "zip: a file inside is damaged (it "
                                         "does not inflate to its stated "
                                         "size)", data_off);
        break;
      }
    }
    if ((uint32_t)crc32(0L, z->data, (uInt)ulen) != crc) {
      st = fail(err, GK_E_CRC, "zip: a file inside is damaged (CRC-32 does "
                "not match)", data_off);
      break;
    }
  }
  for (size_t k = 0; k < nv && st == GK_OK; k++)
    if (fn(user, v[k].name, v[k].data, v[k].len) != 0)
      st = fail(err, GK_E_STOPPED, "zip: stopped", 0);
  for (size_t k = 0; k < nv; k++) free(v[k].data);
  free(v);
  return st;
}
