/*
** fit_internal.h -- the decoder's state, shared by fit_decode.c (framing:
** headers, CRCs, record headers, definitions) and fit_mesg.c (turning one
** data message into fields: values, subfields, components, developer
** fields).
*/
#ifndef GK_FIT_INTERNAL_H
#define GK_FIT_INTERNAL_H

#include "core/core_internal.h"
#include "fit_profile.h"
#include "gaitkeeper/fit.h"

/* Hard limits (anything that grows is bounded). */
#define GK_FIT_MAX_DEV_DESCS 4096    /* developer field descriptions kept */
#define GK_FIT_MAX_DEV_NAME 256      /* bytes kept of a developer name/unit */
#define GK_FIT_MAX_ACCUM 64          /* accumulated (message, field) pairs */
#define GK_FIT_MAX_RECORD (1 + 255 * 255 + 255 * 255) /* largest data record */

#define GK__FIT_MESG_FIELD_DESCRIPTION 206
#define GK__FIT_MESG_DEVELOPER_DATA_ID 207
#define GK__FIT_FIELD_TIMESTAMP 253

/* How a field's profile (or subfield) turns raw values into values. */
struct gk__fit_xform {
  uint8_t kind;        /* enum gk__fit_kind */
  uint8_t apply_scale;
  uint16_t type;
  double scale;
  double offset;
};

/* How a single little-endian value is read and converted (the hot path). */
enum gk__fit_op {
  GK__FIT_OP_GENERIC = 0, /* read_raw + make_value */
  GK__FIT_OP_U8,          /* unsigned, a plain number */
  GK__FIT_OP_U16,
  GK__FIT_OP_U32,
  GK__FIT_OP_U8_SCALED,   /* unsigned, raw / scale - offset */
  GK__FIT_OP_U16_SCALED,
  GK__FIT_OP_U32_SCALED,
  GK__FIT_OP_S32,         /* sint32 (positions), a plain number */
  GK__FIT_OP_ENUM8,       /* a named type in one byte */
  GK__FIT_OP_TIME32,      /* date_time */
  GK__FIT_OP_S8,          /* signed, a plain number */
  GK__FIT_OP_S16,
  GK__FIT_OP_S8_SCALED,   /* signed, raw / scale - offset */
  GK__FIT_OP_S16_SCALED,
  GK__FIT_OP_S32_SCALED,
  GK__FIT_OP_F32,         /* float32, a plain number */
  GK__FIT_OP_F32_SCALED
};

/* One field of a definition, compiled once when the definition arrives. */
struct gk__fit_fdef {
  uint32_t off;      /* offset in the data record (after the header byte) */
  uint8_t num;
  uint8_t size;
  uint8_t base;      /* base type 0x00..0x10 */
  uint8_t bsize;     /* size of one value of the base type */
  uint8_t count;     /* values in the field (size when as_bytes) */
  uint8_t as_bytes;  /* size not a multiple of bsize */
  uint8_t single;    /* one value, read directly: the common case */
  uint8_t op;        /* for single fields: how to read and convert it in one
                        step (enum gk__fit_op) */
  uint8_t eop;       /* for arrays: how to read and convert each element with
                        the field's own transformation (enum gk__fit_op) */
  int8_t as_array;   /* 1 array, 0 first value only (profile says scalar) */
  uint8_t seed;      /* accumulated field: seed the accumulator */
  uint8_t accum_hint; /* its accumulator's slot when last seeded (a hint) */
  uint64_t inv;      /* the base type's invalid raw value */
  struct gk__fit_xform x;         /* the field's own transformation */
  gk_fit_field tmpl;              /* the output field, values aside */
  double seed_scale, seed_offset; /* component units for the accumulator */
  const struct gk__fit_field *pf; /* profile field, or NULL */
  const struct gk__fit_field *simple_target; /* see gk__fit_def.simple */
};

/* For a component source of a simple definition: its conversion into
   simple_target, compiled once (see expand_simple in fit_mesg.c). */
#define GK__FIT_MAX_SIMPLE 8 /* more component sources: not simple */
struct gk__fit_simple {
  double c_scale, c_offset; /* the component's */
  double t_scale, t_offset; /* the target field's */
  double t_inv;             /* the target's invalid value */
  uint8_t t_enum;           /* the target is a named type */
  gk_fit_field tmpl;        /* the output field, values aside */
};



/* One developer field of a definition. */
struct gk__fit_ddef {
  uint32_t off;      /* developer fields may start past 65535 */
  uint8_t num;
  uint8_t size;
  uint8_t dev_index;
  uint32_t gen; /* devdesc_gen when desc was looked up (0: never) */
  const struct gk__fit_devdesc *desc; /* cached description, or NULL */
  struct gk__fit_fdef fd; /* compiled from desc when desc is set */
};

struct gk__fit_def {
  uint8_t valid;
  uint8_t big_endian;
  uint8_t n_fields;
  uint8_t n_dev;
  uint8_t has_expansions; /* some field has subfields or components */
  uint8_t special;        /* developer_data_id or field_description */
  uint8_t simple;         /* every expansion is one whole-value component
                             into a field the record does not hold (e.g.
                             speed -> enhanced_speed): a fast path */
  uint8_t n_comp_src;     /* fields with components, in definition order */
  uint8_t n_sub_src;      /* fields with subfields, in definition order */
  uint8_t comp_src[255];
  uint8_t sub_src[255];
  struct gk__fit_simple simple_x[GK__FIT_MAX_SIMPLE]; /* by comp_src index */
  uint16_t global;
  uint32_t data_size;     /* bytes of a data record after its header byte */
  uint32_t max_values;    /* values read from the fields themselves */
  const struct gk__fit_message *pm;
  struct gk__fit_fdef fields[255];
  struct gk__fit_ddef dev[255];
};

/* A developer field description (from field_description messages). */
struct gk__fit_devdesc {
  uint8_t dev_index;
  uint8_t num;
  uint8_t base;
  uint8_t has_scale;
  uint8_t has_offset;
  double scale;
  double offset;
  char name[GK_FIT_MAX_DEV_NAME];
  char units[GK_FIT_MAX_DEV_NAME];
};

struct gk__fit_accum {
  uint16_t mesg;
  uint8_t field;
  uint8_t used;
  double value; /* accumulated value */
  double last;  /* last value seen */
};

enum gk__fit_state {
  GK__FIT_ST_HEADER = 0, /* expecting a file header */
  GK__FIT_ST_RECORDS,    /* inside the data section */
  GK__FIT_ST_CRC,        /* expecting the 2-byte file CRC */
  GK__FIT_ST_FAILED
};

struct gk_fit_decoder {
  const gk_alloc *alloc;
  unsigned options;
  gk_fit_mesg_cb cb;
  void *user;

  int state;
  uint64_t pos;        /* absolute offset of the next unconsumed byte */
  uint64_t data_end;   /* absolute offset where the current data section ends */
  uint16_t crc;        /* running CRC of the current file */

  /* Bytes of a unit (header, record, CRC) split across feed() chunks. */
  uint8_t *pend;
  size_t pend_len;
  size_t pend_cap;

  struct gk__fit_def *defs[16];

  uint32_t last_timestamp;
  uint8_t have_timestamp;

  /* Developer data: which indices have a developer_data_id, and the
     descriptions, in arrival order (the first description of a number
     wins, as in the official SDK). */
  uint8_t dev_id_seen[256];
  struct gk__fit_devdesc *devdescs;
  uint32_t devdesc_gen; /* changes whenever devdescs change (>= 1) */
  size_t n_devdescs;
  size_t cap_devdescs;

  struct gk__fit_accum accum[GK_FIT_MAX_ACCUM];
  unsigned n_accum;
  /* Where the running CRC has reached in the caller's current buffer
     (whole-buffer path: the CRC is computed over long spans, not per
     record). */
  const uint8_t *crc_from;

  /* Output storage, reused for every message; grows only with the largest
     message seen. */
  gk_fit_field *fields;
  uint32_t *fidx;       /* first value index of each field */
  size_t cap_fields;
  gk_fit_value *vals;
  size_t cap_vals;
  size_t n_vals;
  uint8_t fix_values;   /* some field's values pointer must be set from
                           fidx at the end of the message */
  char *text;           /* decoded strings */
  size_t cap_text;
  size_t n_text;

  gk_err err;
  gk_fit_stats stats;
};

/* Decode one data record (after its header byte) and call the callback.
   p points at the record body of def->data_size bytes. */
gk_status gk__fit_data_message(gk_fit_decoder *d, struct gk__fit_def *def,
                               uint8_t local, const uint8_t *p, uint64_t offset,
                               int compressed, uint32_t ctime);

/* How one element of a compiled field is read and converted with the
   field's own transformation (f->x): an enum gk__fit_op, GENERIC when no
   operation fits. */
uint8_t gk__fit_elem_op(const struct gk__fit_fdef *f, int big_endian);

gk_status gk__fit_fail(gk_fit_decoder *d, gk_status code, const char *msg,
                       uint64_t offset);

/* Size of one value of each base type, 0 for an unknown base type. */
extern const uint8_t gk__fit_base_size[17];
extern const uint64_t gk__fit_invalid_raw[17];

#endif /* GK_FIT_INTERNAL_H */
