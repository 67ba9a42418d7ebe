/*
** c3d_internal.h -- the C3D parameter section, walked and indexed (not
** public).  c3d_params.c walks it; c3d.c reads the header and the data.
*/
#ifndef GK_C3D_INTERNAL_H
#define GK_C3D_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

enum { GK__C3D_INTEL = 1, GK__C3D_DEC = 2, GK__C3D_MIPS = 3 };

typedef struct gk__c3d_param {
  const uint8_t *name; /* not terminated */
  size_t name_len;
  int group;           /* > 0: a parameter of that group; < 0: a group */
  int locked;
  int type;            /* -1 char, 1 byte, 2 int16, 4 float */
  unsigned n_dims;
  unsigned dims[7];
  size_t n_elems;      /* product of dims (1 when n_dims == 0) */
  const uint8_t *data; /* n_elems * |type| bytes */
  size_t offset;       /* of the entry in the file */
} gk__c3d_param;

typedef struct gk__c3d {
  const uint8_t *buf;
  size_t len;
  int proc;
  gk__c3d_param *params;
  size_t n_params;
} gk__c3d;

/* Number readers for the file's processor type. */
uint16_t gk__c3d_u16(const gk__c3d *c, const uint8_t *p);
double gk__c3d_f32(const gk__c3d *c, const uint8_t *p);

/* Walk the parameter section [start, end): fill c->params (malloc'ed; the
   caller frees).  Errors name the byte offset. */
gk_status gk__c3d_walk_params(gk__c3d *c, size_t start, size_t end,
                              gk_err *err);

/* GROUP:NAME (case-insensitive), or NULL. */
const gk__c3d_param *gk__c3d_find(const gk__c3d *c, const char *group,
                                  const char *name);

/* Element i of a numeric parameter as a number; NaN when out of range or
   the parameter is text.  Int16 is signed unless unsigned_int is set. */
double gk__c3d_num(const gk__c3d *c, const gk__c3d_param *p, size_t i,
                   int unsigned_int);

/* String i of a char parameter (dims[0] bytes each): pointer and length,
   or 0 when absent. */
int gk__c3d_str(const gk__c3d_param *p, size_t i, const char **s, size_t *n);

/* Number of strings of a char parameter. */
size_t gk__c3d_n_str(const gk__c3d_param *p);

#endif /* GK_C3D_INTERNAL_H */
