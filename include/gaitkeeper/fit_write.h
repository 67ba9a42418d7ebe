/*
** gaitkeeper/fit_write.h -- a small, general FIT writer.
**
** Builds one FIT file in a growable memory buffer: the file header, the
** definition and data messages the caller asks for, and the file CRC.  It
** knows the framing of FIT (headers, record headers, definitions, byte
** order, base types, CRCs), not the profile: the caller chooses message and
** field numbers and writes values in the order of its definitions.  Used by
** the tests, the fuzz seeds and the exports.
**
**   gk_fit_writer *w;
**   gk_fit_writer_new(&w, NULL, 0);
**   gk_fit_field_def f[] = {{253, 4, GK_FIT_UINT32}, {3, 1, GK_FIT_UINT8}};
**   gk_fit_write_definition(w, 0, 20, 2, f, 0, NULL);    (record)
**   gk_fit_msg_begin(w, 0);
**   gk_fit_put_u32(w, 1000000000);
**   gk_fit_put_u8(w, 142);
**   gk_fit_msg_end(w);
**   gk_fit_writer_finish(w, &data, &len);
**   ... use data[0..len) ...
**   gk_fit_writer_free(w);
**
** Every call checks its arguments and returns a gk_status; the writer never
** prints.  A failed call leaves the output as it was before the call (a
** message whose puts failed is dropped whole by gk_fit_msg_end).  Memory
** grows with the output only (amortized doubling); no allocation per field.
** A writer is not thread-safe; separate writers are independent.
*/
#ifndef GK_FIT_WRITE_H
#define GK_FIT_WRITE_H

#include "gaitkeeper/fit.h"

#ifdef __cplusplus
extern "C" {
#endif

/* gk_fit_writer_new flags */
#define GK_FIT_W_HEADER12 0x01      /* 12-byte file header (no header CRC) */
#define GK_FIT_W_BIG_ENDIAN 0x02    /* definitions start big-endian
                                       (architecture 1); see
                                       gk_fit_writer_set_big_endian */
#define GK_FIT_W_NO_HEADER_CRC 0x04 /* 14-byte header whose CRC is 0, which
                                       FIT reads as "not set" */
#define GK_FIT_W_ODD_SIZES 0x08     /* accept field sizes that are not a
                                       multiple of the base type size (as
                                       some devices write; for test input) */

/* The header's protocol version (2.0, needed for developer fields) and
   profile version (21.217, major * 1000 + minor, as the FIT SDK writes). */
#define GK_FIT_W_PROTOCOL_VERSION 0x20
#define GK_FIT_W_PROFILE_VERSION 21217

/* One field of a definition.  base_type is enum gk_fit_base_type
   (0x00..0x10); the writer stores the canonical base type byte (with the
   endian bit 0x80 for multi-byte types).  The canonical byte itself
   (e.g. 0x84) is accepted too. */
typedef struct gk_fit_field_def {
  uint8_t num;       /* field definition number */
  uint8_t size;      /* bytes, 1..255 */
  uint8_t base_type; /* enum gk_fit_base_type */
} gk_fit_field_def;

/* One developer field of a definition (its base type comes from the
   field_description message, which the caller writes). */
typedef struct gk_fit_dev_field_def {
  uint8_t num;       /* field_definition_number */
  uint8_t size;      /* bytes, 1..255 */
  uint8_t dev_index; /* developer_data_index */
} gk_fit_dev_field_def;

typedef struct gk_fit_writer gk_fit_writer;

/*
** Create a writer and write the file header (its data size and CRCs are
** filled by gk_fit_writer_finish).  alloc may be NULL (libc).  Returns
** GK_OK and stores the writer in *out, GK_E_ARG for a NULL out or unknown
** flags, or GK_E_NOMEM.
*/
GK_API gk_status gk_fit_writer_new(gk_fit_writer **out /* OUT */,
                                   const gk_alloc *alloc, unsigned flags);

/* Free the writer and its buffer (the data of finish included).  NULL is
   a no-op. */
GK_API void gk_fit_writer_free(gk_fit_writer *w);

/* Byte order of the definitions written from now on: big-endian
   (architecture 1) when be is non-zero, else little-endian.  Definitions
   already written keep theirs.  NULL is a no-op. */
GK_API void gk_fit_writer_set_big_endian(gk_fit_writer *w, int be);

/*
** Write a definition message for local message type local (0..15), replacing
** any earlier definition of that local type.  fields[0..n_fields) and
** dev[0..n_dev) (dev may be NULL when n_dev is 0; a non-zero n_dev sets the
** record header's developer-data bit).  Checks: local < 16, every size
** 1..255, every base type known, and (without GK_FIT_W_ODD_SIZES) every size
** a multiple of its base type size.  GK_E_ARG otherwise.
*/
GK_API gk_status gk_fit_write_definition(gk_fit_writer *w, uint8_t local,
                                         uint16_t global_mesg_num,
                                         uint8_t n_fields,
                                         const gk_fit_field_def *fields,
                                         uint8_t n_dev,
                                         const gk_fit_dev_field_def *dev);

/*
** Write a data message of local type local from a prepared body: len bytes,
** the fields then the developer fields, in the definition's byte order.
** GK_E_ARG when local has no definition or len is not its size.
*/
GK_API gk_status gk_fit_write_message(gk_fit_writer *w, uint8_t local,
                                      const void *body, size_t len);

/*
** The same with a compressed-timestamp record header: local 0..3,
** time_offset 0..31 (the low five bits of the timestamp).
*/
GK_API gk_status gk_fit_write_compressed(gk_fit_writer *w, uint8_t local,
                                         uint8_t time_offset, const void *body,
                                         size_t len);

/*
** Build a data message value by value.  gk_fit_msg_begin (or _compressed)
** starts it; each put fills the definition's fields in order (a field of
** several values takes several puts), converting to the definition's byte
** order; gk_fit_msg_end checks that every byte was written and commits it.
** A put must fit in what is left of the current field, and a typed put must
** have the size of the field's base type (fields of odd size and developer
** fields take puts of any size that fits).  Puts return nothing: the first
** failure is kept and returned by gk_fit_msg_end, which then drops the
** message (or, for puts outside a message, by gk_fit_writer_finish).
*/
GK_API gk_status gk_fit_msg_begin(gk_fit_writer *w, uint8_t local);
GK_API gk_status gk_fit_msg_begin_compressed(gk_fit_writer *w, uint8_t local,
                                             uint8_t time_offset);
GK_API void gk_fit_put_u8(gk_fit_writer *w, uint8_t v);
GK_API void gk_fit_put_s8(gk_fit_writer *w, int8_t v);
GK_API void gk_fit_put_u16(gk_fit_writer *w, uint16_t v);
GK_API void gk_fit_put_s16(gk_fit_writer *w, int16_t v);
GK_API void gk_fit_put_u32(gk_fit_writer *w, uint32_t v);
GK_API void gk_fit_put_s32(gk_fit_writer *w, int32_t v);
GK_API void gk_fit_put_u64(gk_fit_writer *w, uint64_t v);
GK_API void gk_fit_put_s64(gk_fit_writer *w, int64_t v);
GK_API void gk_fit_put_f32(gk_fit_writer *w, float v);
GK_API void gk_fit_put_f64(gk_fit_writer *w, double v);
/* The rest of the current field: the bytes of s, then NULs.  s may fill the
   field exactly (no terminator); longer is an error. */
GK_API void gk_fit_put_str(gk_fit_writer *w, const char *s);
/* n raw bytes, as they are; may span several fields. */
GK_API void gk_fit_put_bytes(gk_fit_writer *w, const void *p, size_t n);
/* The rest of the current field filled with its base type's invalid value
   (0xFF bytes for a developer field). */
GK_API void gk_fit_put_invalid(gk_fit_writer *w);
GK_API gk_status gk_fit_msg_end(gk_fit_writer *w);

/*
** Append raw bytes to the data section, unchecked (they count in the data
** size and the CRC).  For deliberately malformed test input; the writer
** does not parse them, so definitions written this way are unknown to it.
*/
GK_API gk_status gk_fit_write_raw(gk_fit_writer *w, const void *p, size_t len);

/* Bytes written so far, file header included (the file CRC only after
   gk_fit_writer_finish).  0 for NULL. */
GK_API size_t gk_fit_writer_size(const gk_fit_writer *w);

/*
** Finish the file: fill the header's data size and CRC and append the file
** CRC.  *data (valid until gk_fit_writer_free) and *len receive the file.
** After finish, further writes fail with GK_E_ARG; finish again returns the
** same file.  GK_E_ARG inside an unfinished message or after a stray put,
** GK_E_LIMIT when the data section exceeds 4 GiB - 1.
*/
GK_API gk_status gk_fit_writer_finish(gk_fit_writer *w,
                                      const uint8_t **data /* OUT */,
                                      size_t *len /* OUT */);

#ifdef __cplusplus
}
#endif

#endif /* GK_FIT_WRITE_H */
