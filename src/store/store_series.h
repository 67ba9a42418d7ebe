/*
** store_series.h -- the compact, lossless encoding of one column of
** samples (store_series.c describes the format).  No SQLite here.
*/
#ifndef GK_STORE_SERIES_H
#define GK_STORE_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

/* Bytes gk__series_encode may write for n values. */
size_t gk__series_encode_bound(size_t n);

/* Encode v[0..n) at out (gk__series_encode_bound(n) bytes), using k (n
   values) as scratch; returns the size, or 0 when no value is present (the
   column is not stored).  Lossless: decoding gives every value back bit
   for bit (NaN as NaN). */
size_t gk__series_encode(const double *v, size_t n, unsigned char *out,
                         double *k);

/* Decode a column of n values; GK_E_CORRUPT when p[0..len) is not a valid
   encoding of n values, GK_E_UNSUPPORTED for an unknown codec. */
gk_status gk__series_decode(const unsigned char *p, size_t len, size_t n,
                            double *out);

#endif /* GK_STORE_SERIES_H */
