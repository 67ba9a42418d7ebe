/*
** gaitkeeper/video.h -- reading a video file frame by frame (FFmpeg's
** libavformat and libavcodec) and sampling regions of a frame straight from
** its YUV planes as RGB floats, for the pose models.
**
** Coordinates: "display" pixels are those of the picture as a viewer shows
** it, after the stream's display matrix (a phone's rotation, and a mirror)
** is applied; x right, y down, pixel centres at .5.  Every sampling call
** takes display coordinates; the rotation is applied inside.  Timestamps
** are the stream's own (variable frame rate and slow-motion clips keep
** their real spacing), in seconds from the first frame.
**
** The library never prints.  Errors name the problem in err->msg and the
** byte offset in the file where known.  err->msg is static text, except
** the damage message of gk_video_next ("the stream is damaged at byte N
** (frame K, 12.3 s)"), which lives in the gk_video until the next call on
** it or gk_video_close.
**
** Threads: a gk_video is used by one thread at a time.  gk_video_warp and
** gk_video_frame_rgb8 only read the frame (and allocate nothing), so
** several threads may sample one frame at once, until the next
** gk_video_next on its gk_video.  FFmpeg's log is silenced for the whole
** process on the first open.
**
** Rotation: the display matrix is read as ffmpeg's own player applies it
** (its angle is counter-clockwise); angles are snapped to a multiple of
** 90 degrees.  A mirrored matrix (negative determinant) is taken as: turn
** the decoded picture clockwise by rotation_deg, then flip it left-right.
*/
#ifndef GK_VIDEO_H
#define GK_VIDEO_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GK_VIDEO_MAX_SIDE 8192      /* pixels, either side */
#define GK_VIDEO_MAX_FRAMES (1u << 20)
/* Packets the decoder may refuse before the stream counts as damaged:
   consecutive ones (a few bad packets are skipped and counted). */
#define GK_VIDEO_MAX_DECODE_ERRORS 8
/* Packets read without a decoded picture before the stream counts as
   damaged (video packets; and any packets, for files whose video stream
   never delivers). */
#define GK_VIDEO_MAX_VIDEO_PACKETS_NO_FRAME 512
#define GK_VIDEO_MAX_PACKETS_NO_FRAME 8192

typedef struct gk_video gk_video;

typedef struct gk_video_info {
  int width, height;          /* display size (after rotation) */
  int coded_width, coded_height; /* as decoded */
  int rotation_deg;           /* 0, 90, 180 or 270: clockwise turn that
                                 makes the decoded picture upright */
  int mirrored;               /* 1: the display matrix also flips x */
  double fps;                 /* the stream's average frame rate; NaN
                                 unknown */
  double duration_s;          /* NaN unknown */
  int64_t frames_hint;        /* frames the container announces; -1 */
  int variable_rate;          /* 1: frame spacing varies by > 10% plus
                                 one tick of the time base (set while
                                 decoding, from the frames so far) */
  int64_t decode_errors;      /* packets the decoder refused and skipped */
  char codec[32];             /* "h264", "hevc", "vp9", ... */
  char container[32];         /* "mov,mp4,m4a,3gp,3g2,mj2", ... */
  char pix_fmt[32];           /* the decoder's pixel format */
} gk_video_info;

typedef struct gk_video_frame {
  int64_t index;              /* 0-based, in decode output order (of the
                                 frames returned) */
  double t_s;                 /* presentation time from the first frame */
  int width, height;          /* display size */
  /* private: the decoded planes (8-bit Y, U, V; chroma subsampled by
     chroma_w_shift / chroma_h_shift) and the coded size */
  const uint8_t *plane_[3];
  int stride_[3];
  int chroma_w_shift_, chroma_h_shift_;
  int chroma_step_;           /* 1 planar; 2 interleaved U,V (nv12) */
  int coded_w_, coded_h_;
  int rotation_deg_, mirrored_;
  int full_range_;            /* 1: 0..255 (JPEG); 0: 16..235 */
  int bt709_;                 /* 1: BT.709 matrix; 0: BT.601 */
} gk_video_frame;

/* Open a file (path) or a buffer (gk_video_open_mem; buf must outlive the
   gk_video) and find its best video stream.  No video stream, or not a
   media file: GK_E_CORRUPT / GK_E_UNSUPPORTED with a message. */
GK_API gk_status gk_video_open(const char *path, gk_video **out, gk_err *err);
GK_API gk_status gk_video_open_mem(const void *buf, size_t len,
                                   gk_video **out, gk_err *err);
GK_API const gk_video_info *gk_video_get_info(const gk_video *v);

/*
** Decode the next frame into *f (valid until the next call).  Returns GK_OK
** with *got = 1 for a frame, GK_OK with *got = 0 at the end of the stream.
** A damaged stream: the frames before the damage are returned, then an
** error (GK_E_CORRUPT or GK_E_TRUNCATED) whose err->offset is the byte
** position in the file and err->msg says what; the caller may stop there.
*/
GK_API gk_status gk_video_next(gk_video *v, gk_video_frame *f, int *got,
                               gk_err *err);
GK_API void gk_video_close(gk_video *v);

/*
** Let the decoder leave pictures out until t_s (seconds from the first
** frame, as gk_video_frame.t_s): a packet whose presentation time is
** before t_s goes to the decoder with FFmpeg's AVDISCARD_NONREF, so a
** picture no other picture refers to (most B frames of H.264 and HEVC; a
** VP9 frame that refreshes no reference) is not decoded and gk_video_next
** does not return it.  Pictures others refer to are still decoded and
** returned, with their own timestamps; every frame at or after t_s is
** decoded.  For a reader that looks at a frame now and then (the pose's
** first pass).  -INFINITY (the default, and NaN) decodes every frame.
** Once a picture may have been left out, index counts the frames
** returned and info.variable_rate is no longer updated (a gap left by a
** skipped picture is not the stream's spacing).
*/
GK_API void gk_video_skip_until(gk_video *v, double t_s);

/*
** Sample an out_w x out_h RGB image from frame f into rgb (out_w*out_h*3
** floats, row-major, interleaved R G B), bilinear, straight from the YUV
** planes (BT.601 limited range, or full range when the stream says so;
** BT.709 when the stream's colorspace is BT.709).
** Output pixel (i, j) (column i, row j, centre at i+.5, j+.5) samples the
** display point (m[0]*(i+.5) + m[1]*(j+.5) + m[2],
**                m[3]*(i+.5) + m[4]*(j+.5) + m[5]).
** Values are scaled from 0..255 to lo..hi; points outside the picture give
** `border` (already scaled).  Allocates nothing.
*/
GK_API void gk_video_warp(const gk_video_frame *f, const double m[6],
                          int out_w, int out_h, float lo, float hi,
                          float border, float *rgb);

/* An 8-bit RGB copy of the whole frame scaled to out_w x out_h (for
   pictures in the report); rgb holds out_w*out_h*3 bytes. */
GK_API void gk_video_frame_rgb8(const gk_video_frame *f, int out_w, int out_h,
                                uint8_t *rgb);

#ifdef __cplusplus
}
#endif

#endif /* GK_VIDEO_H */
