/*
** src/video/video_internal.h -- what the decoder and the warp share.
**   video.c       opening (file or memory), the display matrix, decoding
**   video_warp.c  gk_video_warp and gk_video_frame_rgb8 (no FFmpeg)
*/
#ifndef GK_VIDEO_INTERNAL_H
#define GK_VIDEO_INTERNAL_H

#include "gaitkeeper/video.h"

/*
** From a display matrix (FFmpeg's 3x3, 16.16 fixed point) to the clockwise
** turn (0, 90, 180, 270) and the mirror flag of gaitkeeper/video.h.
** Returns 0 for a matrix with no usable 2x2 part (rotation 0, no mirror).
*/
int gk__video_orientation(const int32_t m[9], int *rotation_deg,
                          int *mirrored);

/* The display size of a coded_w x coded_h picture turned by rotation_deg. */
void gk__video_display_size(int coded_w, int coded_h, int rotation_deg,
                            int *w, int *h);

#endif /* GK_VIDEO_INTERNAL_H */
