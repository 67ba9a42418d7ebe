/*
** gaitkeeper/fit.h -- the FIT decoder.
**
** FIT is the binary format of sports watches and bike computers.  The
** decoder reads the whole protocol: 12- and 14-byte file headers with their
** CRCs, files chained back to back, normal and compressed-timestamp record
** headers, little- and big-endian definitions, every base type with its
** invalid value, developer fields, and the full profile (names, scale,
** offset, units, enum value names, subfields and components).
**
** Two ways in, the same output:
**   - streaming: gk_fit_decoder_new(), gk_fit_feed() with chunks of any size,
**     gk_fit_finish(); one callback per message;
**   - whole buffer: gk_fit_decode(), which reads the caller's buffer in place.
**
** Messages are handed to the callback in decoder-owned storage that is valid
** only during the call: copy what you keep.  Memory does not grow with the
** length of the input; it grows only with the largest definition seen.
** A decoder is not thread-safe; separate decoders are independent.
*/
#ifndef GK_FIT_H
#define GK_FIT_H

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* FIT base types (the low 5 bits of a definition's base type byte). */
enum gk_fit_base_type {
  GK_FIT_ENUM = 0x00,
  GK_FIT_SINT8 = 0x01,
  GK_FIT_UINT8 = 0x02,
  GK_FIT_SINT16 = 0x03,
  GK_FIT_UINT16 = 0x04,
  GK_FIT_SINT32 = 0x05,
  GK_FIT_UINT32 = 0x06,
  GK_FIT_STRING = 0x07,
  GK_FIT_FLOAT32 = 0x08,
  GK_FIT_FLOAT64 = 0x09,
  GK_FIT_UINT8Z = 0x0A,
  GK_FIT_UINT16Z = 0x0B,
  GK_FIT_UINT32Z = 0x0C,
  GK_FIT_BYTE = 0x0D,
  GK_FIT_SINT64 = 0x0E,
  GK_FIT_UINT64 = 0x0F,
  GK_FIT_UINT64Z = 0x10
};

/* Seconds from the Unix epoch to the FIT epoch, 1989-12-31T00:00:00Z. */
#define GK_FIT_EPOCH_UNIX 631065600
/* date_time values below this are seconds since the device was switched on,
   not UTC. */
#define GK_FIT_DATE_TIME_MIN 0x10000000u

/* The kind of one decoded value. */
typedef enum gk_fit_vkind {
  GK_FIT_V_NULL = 0, /* invalid element of an array */
  GK_FIT_V_NUM,      /* v.f: a number, scale and offset applied */
  GK_FIT_V_I64,      /* v.i: a signed 64-bit integer (sint64) */
  GK_FIT_V_U64,      /* v.u: an unsigned 64-bit integer (uint64, uint64z) */
  GK_FIT_V_STR,      /* v.s: NUL-terminated UTF-8 text */
  GK_FIT_V_ENUM,     /* v.u: raw value of a named type; see gk_fit_enum_name */
  GK_FIT_V_TIME      /* v.u: date_time, seconds since the FIT epoch (UTC when
                        >= GK_FIT_DATE_TIME_MIN, else device-relative) */
} gk_fit_vkind;

typedef struct gk_fit_value {
  union {
    double f;
    int64_t i;
    uint64_t u;
    const char *s;
  } v;
  uint8_t kind; /* gk_fit_vkind */
} gk_fit_value;

/* gk_fit_field.flags */
#define GK_FIT_F_ARRAY 0x01     /* the value is an array (n_values may be 1) */
#define GK_FIT_F_UNKNOWN 0x02   /* not in the profile: name is NULL, raw values */
#define GK_FIT_F_SUBFIELD 0x04  /* a subfield chosen by a reference field */
#define GK_FIT_F_EXPANDED 0x08  /* filled from another field's components */
#define GK_FIT_F_DEVELOPER 0x10 /* a developer field */
#define GK_FIT_F_AS_BYTES 0x20  /* size not a multiple of the base type size:
                                   decoded as bytes */

typedef struct gk_fit_field {
  const char *name;  /* profile, subfield or developer name; NULL if unknown */
  const char *units; /* never NULL; "" when none */
  uint8_t num;       /* field number (developer: field definition number) */
  uint8_t base_type; /* enum gk_fit_base_type as stored in the file */
  uint8_t flags;     /* GK_FIT_F_* */
  uint8_t dev_index; /* developer data index (developer fields only) */
  uint16_t type;     /* internal: profile type for gk_fit_enum_name */
  uint16_t n_values; /* >= 1 */
  const gk_fit_value *values;
} gk_fit_field;

typedef struct gk_fit_mesg {
  const char *name;   /* profile name, or NULL for a message not in it */
  uint16_t num;       /* global message number */
  uint8_t local;      /* local message type 0..15 */
  uint8_t has_timestamp; /* timestamp holds a date_time (field 253 or a
                            compressed-timestamp header) */
  uint32_t timestamp;
  uint64_t offset;    /* byte offset of the record header in the input */
  uint16_t n_fields;  /* profile and unknown fields, subfields, expansions */
  uint16_t n_dev_fields;
  const gk_fit_field *fields;
  const gk_fit_field *dev_fields;
} gk_fit_mesg;

/* The name of an enum value, or NULL when the profile has none. */
GK_API const char *gk_fit_enum_name(const gk_fit_field *f, uint64_t raw);

/* The field named name (profile/subfield/developer name), or NULL. */
GK_API const gk_fit_field *gk_fit_mesg_field(const gk_fit_mesg *m,
                                             const char *name);
/* The first field with this number that is not a subfield, or NULL. */
GK_API const gk_fit_field *gk_fit_mesg_field_num(const gk_fit_mesg *m,
                                                 uint8_t num);
/* A value as a double: numbers as they are, enums, date_times and 64-bit
   integers as numbers; NaN for strings and null elements. */
GK_API double gk_fit_value_num(const gk_fit_value *v);

/* Convenience: the first value of field num as a double; NaN if absent or
   not numeric (numbers, enums and date_times are numeric). */
GK_API double gk_fit_mesg_num(const gk_fit_mesg *m, uint8_t num);

/* Called once per data message.  Return 0 to go on, non-zero to stop
   (the decoder then returns GK_E_STOPPED). */
typedef int (*gk_fit_mesg_cb)(void *user, const gk_fit_mesg *mesg);

/* Options for gk_fit_decoder_new / gk_fit_decode. */
#define GK_FIT_ACCEPT_BAD_CRC 0x01 /* a CRC mismatch is counted, not an error */
#define GK_FIT_NO_EXPAND 0x02      /* no subfields or components */

typedef struct gk_fit_stats {
  uint64_t bytes;          /* input bytes consumed */
  uint64_t messages;       /* data messages delivered */
  uint64_t definitions;    /* definition messages read */
  uint32_t files;          /* FIT files (headers) seen, chained ones too */
  uint32_t crc_mismatches; /* header or file CRCs that did not match */
  uint32_t bytes_fallbacks; /* fields decoded as bytes (odd sizes) */
  uint32_t unknown_dev_fields; /* developer fields with no description */
} gk_fit_stats;

typedef struct gk_fit_decoder gk_fit_decoder;

/*
** Create a streaming decoder.  cb receives each data message (may be NULL
** to only validate).  Returns GK_OK and stores the decoder in *out, or
** GK_E_NOMEM / GK_E_ARG.
*/
GK_API gk_status gk_fit_decoder_new(gk_fit_decoder **out /* OUT */,
                                    const gk_alloc *alloc, unsigned options,
                                    gk_fit_mesg_cb cb, void *user);

/*
** Feed the next len bytes.  Chunks may split anything anywhere.  After an
** error the decoder stays failed; gk_fit_error() tells where and why.
*/
GK_API gk_status gk_fit_feed(gk_fit_decoder *d, const void *buf, size_t len);

/* End of input.  GK_E_TRUNCATED when the input stopped inside a file. */
GK_API gk_status gk_fit_finish(gk_fit_decoder *d);

GK_API const gk_err *gk_fit_error(const gk_fit_decoder *d);
GK_API const gk_fit_stats *gk_fit_decoder_stats(const gk_fit_decoder *d);
GK_API void gk_fit_decoder_free(gk_fit_decoder *d);

/*
** Whole-buffer fast path: decode buf[0..len) in place.  err and stats may
** be NULL.  The same messages, errors and offsets as the streaming decoder.
*/
GK_API gk_status gk_fit_decode(const void *buf, size_t len, unsigned options,
                               gk_fit_mesg_cb cb, void *user,
                               gk_err *err /* OUT, optional */,
                               gk_fit_stats *stats /* OUT, optional */);

/* True when buf looks like the start of a FIT file (header size 12 or 14,
   ".FIT" signature). */
GK_API int gk_fit_sniff(const void *buf, size_t len);

/* FIT's CRC-16, continued from crc (start with 0). */
GK_API uint16_t gk_fit_crc16(uint16_t crc, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* GK_FIT_H */
