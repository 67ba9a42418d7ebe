/*
** gait2d_internal.h -- signal conditioning of the 2D analysis (not public):
** short-gap filling, confidence weighting and the zero-lag Butterworth
** low-pass, on caller-provided storage (no allocation).
*/
#ifndef GK_GAIT2D_INTERNAL_H
#define GK_GAIT2D_INTERNAL_H

#include <stddef.h>

/* Confidence below which a keypoint is treated as missing. */
#define GK__KP_CONF_MIN 0.1
/* Confidence at and above which a keypoint is taken at full weight. */
#define GK__KP_CONF_FULL 0.5
/* Longest gap filled by interpolation, seconds. */
#define GK__GAP_MAX_S 0.10
/* Low-pass cut-off: GK__CUTOFF_HZ, at most GK__CUTOFF_MAX_FS of the frame
   rate. */
#define GK__CUTOFF_HZ 10.0
#define GK__CUTOFF_MAX_FS 0.3

/* The cut-off used at this frame rate (Hz). */
double gk__cutoff_hz(double fps);

/*
** Fill gaps (NaN runs) of at most max_gap samples inside x[0..n) by linear
** interpolation; longer gaps and the ends stay NaN.  Returns the number of
** samples filled.
*/
size_t gk__fill_gaps(double *x, size_t n, size_t max_gap);

/*
** Confidence weighting: a sample whose confidence c is below
** GK__KP_CONF_FULL is pulled toward the mean of its two neighbours, by
** 1 - c / GK__KP_CONF_FULL (an unknown confidence, NaN, counts as full).
** Ends and samples beside a gap are left alone.  tmp: n doubles.
*/
void gk__conf_weight(double *x, const double *c, size_t n, double *tmp);

/* Samples of odd-reflection padding for the zero-lag low-pass
   (gk__lowpass_zerolag, core_internal.h) at cut-off fc and rate fs: about
   the filter's settling time. */
size_t gk__filter_pad(double fc, double fs);

#endif /* GK_GAIT2D_INTERNAL_H */
