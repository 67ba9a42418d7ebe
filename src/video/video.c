/*
** src/video/video.c -- a video file read frame by frame with FFmpeg
** (libavformat, libavcodec; libswscale only for pixel formats the warp does
** not read directly).
**
** Open: the file (or a memory buffer through a custom AVIOContext with
** seek), a short list of container formats (no playlists or other formats
** that open further files), the best video stream, its decoder with two
** threads, and the display matrix.  Decode: packets -> frames with the
** send/receive API, timestamps from best_effort_timestamp in the stream's
** time base; a read error or a cut file ends the frames with an error that
** names the byte; a packet the decoder refuses is skipped and counted, up
** to GK_VIDEO_MAX_DECODE_ERRORS in a row.
*/
#define _POSIX_C_SOURCE 200809L /* stat */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "core/core_internal.h"
#include "video/video_internal.h"

/* Container formats gaitkeeper reads (libavformat's demuxer names); none
   of them follows references to other files. */
#define GK_VIDEO_FORMATS "mov,matroska,webm,avi,mpegts,mpeg,flv,ivf,h264,hevc,mjpeg"
#define GK_VIDEO_IO_BUF 32768
#define GK_VIDEO_MSG 128

typedef struct gk__video_mem {
  const uint8_t *buf;
  size_t len;
  size_t pos;
} gk__video_mem;

struct gk_video {
  AVFormatContext *fmt;
  AVIOContext *avio;        /* only for gk_video_open_mem */
  gk__video_mem mem;
  AVCodecContext *dec;
  AVStream *st;
  int stream;
  AVPacket *pkt;
  AVFrame *frame;
  /* libswscale to yuv420p, for the other pixel formats */
  struct SwsContext *sws;
  uint8_t *conv[4];
  int conv_stride[4];
  int conv_w, conv_h;
  gk_video_info info;
  /* decoding state */
  int flushing;             /* NULL packet sent */
  int ended;                /* the decoder said AVERROR_EOF */
  gk_status pending;        /* the error to report once drained */
  uint64_t pending_offset;
  int64_t frames;           /* frames returned */
  int64_t first_pts, prev_pts;
  int64_t min_ticks, max_ticks; /* frame spacing so far, in time base ticks */
  double min_dt;            /* min_ticks in seconds; INFINITY before two */
  double last_t;
  int64_t last_pos;         /* byte position of the last packet read */
  int errors_in_row;
  uint64_t errors_from;     /* byte position of the first of them */
  int video_packets_no_frame;
  int packets_no_frame;
  /* gk_video_skip_until: pictures before skip_until (seconds from the
     first frame) that nothing refers to are not decoded */
  double skip_until;
  int skipped;              /* a packet went in with AVDISCARD_NONREF */
  char msg[GK_VIDEO_MSG];
};

/* ---- the display matrix -------------------------------------------- */

int gk__video_orientation(const int32_t m[9], int *rotation_deg,
                          int *mirrored) {
  *rotation_deg = 0;
  *mirrored = 0;
  double a = m[0] / 65536.0, b = m[1] / 65536.0;
  double c = m[3] / 65536.0, d = m[4] / 65536.0;
  double det = a * d - b * c;
  if (!isfinite(det) || det == 0) return 0;
  int32_t u[9];
  memcpy(u, m, sizeof u);
  if (det < 0) {
    /* Take the mirror out (x of the source), leaving a pure turn. */
    *mirrored = 1;
    u[0] = -u[0];
    u[3] = -u[3];
    u[6] = -u[6];
  }
  double ccw = av_display_rotation_get(u);
  if (!isfinite(ccw)) {
    *mirrored = 0;
    return 0;
  }
  /* Counter-clockwise angle -> the clockwise turn, snapped to 90. */
  long q = lround(-ccw / 90.0);
  *rotation_deg = (int)(((q % 4) + 4) % 4) * 90;
  return 1;
}

void gk__video_display_size(int coded_w, int coded_h, int rotation_deg,
                            int *w, int *h) {
  int swap = rotation_deg == 90 || rotation_deg == 270;
  *w = swap ? coded_h : coded_w;
  *h = swap ? coded_w : coded_h;
}

/* ---- memory input --------------------------------------------------- */

static int mem_read(void *opaque, uint8_t *buf, int size) {
  gk__video_mem *m = (gk__video_mem *)opaque;
  if (m->pos >= m->len || size <= 0) return AVERROR_EOF;
  size_t n = m->len - m->pos;
  if (n > (size_t)size) n = (size_t)size;
  memcpy(buf, m->buf + m->pos, n);
  m->pos += n;
  return (int)n;
}

static int64_t mem_seek(void *opaque, int64_t offset, int whence) {
  gk__video_mem *m = (gk__video_mem *)opaque;
  if (whence & AVSEEK_SIZE) return (int64_t)m->len;
  whence &= ~AVSEEK_FORCE;
  int64_t base;
  switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)m->pos; break;
    case SEEK_END: base = (int64_t)m->len; break;
    default: return AVERROR(EINVAL);
  }
  if ((offset > 0 && base > INT64_MAX - offset)) return AVERROR(EINVAL);
  int64_t to = base + offset;
  if (to < 0 || (uint64_t)to > (uint64_t)m->len) return AVERROR(EINVAL);
  m->pos = (size_t)to;
  return to;
}

/* ---- open ------------------------------------------------------------ */

static gk_status fail(gk_err *err, gk_status code, const char *msg,
                      uint64_t offset) {
  gk__set_err(err, code, msg, offset);
  return code;
}

static void copy_name(char *dst, size_t n, const char *src) {
  snprintf(dst, n, "%s", src ? src : "");
}

static int direct_format(enum AVPixelFormat f) {
  switch (f) {
    case AV_PIX_FMT_YUV420P:
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_NV12:
    case AV_PIX_FMT_YUV422P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUV444P:
    case AV_PIX_FMT_YUVJ444P:
      return 1;
    default:
      return 0;
  }
}

static void fill_info(gk_video *v) {
  gk_video_info *in = &v->info;
  AVStream *st = v->st;
  const AVCodecParameters *par = st->codecpar;
  in->coded_width = par->width;
  in->coded_height = par->height;
  size_t sd_size = 0;
  const uint8_t *sd =
      av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &sd_size);
  if (sd != NULL && sd_size >= 9 * sizeof(int32_t)) {
    int32_t m[9];
    memcpy(m, sd, sizeof m);
    gk__video_orientation(m, &in->rotation_deg, &in->mirrored);
  }
  gk__video_display_size(par->width, par->height, in->rotation_deg,
                         &in->width, &in->height);
  in->fps = NAN;
  if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
    in->fps = av_q2d(st->avg_frame_rate);
  in->duration_s = NAN;
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0 &&
      st->time_base.num > 0 && st->time_base.den > 0)
    in->duration_s = (double)st->duration * av_q2d(st->time_base);
  else if (v->fmt->duration != AV_NOPTS_VALUE && v->fmt->duration > 0)
    in->duration_s = (double)v->fmt->duration / AV_TIME_BASE;
  in->frames_hint = st->nb_frames > 0 ? st->nb_frames : -1;
  in->variable_rate = 0;
  in->decode_errors = 0;
  copy_name(in->codec, sizeof in->codec, avcodec_get_name(par->codec_id));
  copy_name(in->container, sizeof in->container, v->fmt->iformat->name);
  copy_name(in->pix_fmt, sizeof in->pix_fmt,
            av_get_pix_fmt_name((enum AVPixelFormat)par->format));
}

static gk_status open_stream(gk_video *v, gk_err *err) {
  int r = avformat_find_stream_info(v->fmt, NULL);
  if (r < 0)
    return fail(err, GK_E_CORRUPT, "the file's streams cannot be read", 0);
  const AVCodec *codec = NULL;
  int s = av_find_best_stream(v->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (s == AVERROR_DECODER_NOT_FOUND)
    return fail(err, GK_E_UNSUPPORTED, "no decoder for the video's codec", 0);
  if (s < 0 ||
      (v->fmt->streams[s]->disposition & AV_DISPOSITION_ATTACHED_PIC))
    return fail(err, GK_E_UNSUPPORTED, "the file has no video stream", 0);
  v->stream = s;
  v->st = v->fmt->streams[s];
  const AVCodecParameters *par = v->st->codecpar;
  if (par->width <= 0 || par->height <= 0)
    return fail(err, GK_E_CORRUPT, "the video stream has no picture size", 0);
  if (par->width > GK_VIDEO_MAX_SIDE || par->height > GK_VIDEO_MAX_SIDE)
    return fail(err, GK_E_LIMIT, "the video is larger than 8192 pixels", 0);
  /* Read only the chosen stream. */
  for (unsigned i = 0; i < v->fmt->nb_streams; i++)
    if ((int)i != s) v->fmt->streams[i]->discard = AVDISCARD_ALL;
  v->dec = avcodec_alloc_context3(codec);
  if (v->dec == NULL) return fail(err, GK_E_NOMEM, "out of memory", 0);
  if (avcodec_parameters_to_context(v->dec, par) < 0)
    return fail(err, GK_E_CORRUPT, "the video stream's parameters are bad", 0);
  v->dec->thread_count = 2;
  v->dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  v->dec->pkt_timebase = v->st->time_base;
  if (avcodec_open2(v->dec, codec, NULL) < 0)
    return fail(err, GK_E_UNSUPPORTED, "the video decoder cannot be opened",
                0);
  v->pkt = av_packet_alloc();
  v->frame = av_frame_alloc();
  if (v->pkt == NULL || v->frame == NULL)
    return fail(err, GK_E_NOMEM, "out of memory", 0);
  fill_info(v);
  v->first_pts = AV_NOPTS_VALUE;
  v->prev_pts = AV_NOPTS_VALUE;
  v->min_dt = INFINITY;
  v->last_pos = 0;
  v->pending = GK_OK;
  v->skip_until = -INFINITY;
  return GK_OK;
}

/* The library never prints: FFmpeg's log (process-wide) is silenced. */
static void quiet_log(void *avcl, int level, const char *fmt, va_list vl) {
  (void)avcl;
  (void)level;
  (void)fmt;
  (void)vl;
}
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static void quiet_init(void) { av_log_set_callback(quiet_log); }

static gk_video *video_new(void) {
  pthread_once(&quiet_once, quiet_init);
  gk_video *v = (gk_video *)calloc(1, sizeof *v);
  if (v == NULL) return NULL;
  v->stream = -1;
  v->fmt = avformat_alloc_context();
  if (v->fmt == NULL) {
    free(v);
    return NULL;
  }
  v->fmt->format_whitelist = av_strdup(GK_VIDEO_FORMATS);
  v->fmt->protocol_whitelist = av_strdup("file");
  if (v->fmt->format_whitelist == NULL || v->fmt->protocol_whitelist == NULL) {
    avformat_free_context(v->fmt);
    free(v);
    return NULL;
  }
  return v;
}

static gk_status open_failed(int r, gk_err *err) {
  if (r == AVERROR(ENOENT) || r == AVERROR(EACCES) || r == AVERROR(EISDIR) ||
      r == AVERROR(EIO))
    return fail(err, GK_E_IO, "the file cannot be opened", 0);
  if (r == AVERROR(ENOMEM)) return fail(err, GK_E_NOMEM, "out of memory", 0);
  return fail(err, GK_E_CORRUPT, "not a video file gaitkeeper can read", 0);
}

gk_status gk_video_open(const char *path, gk_video **out, gk_err *err) {
  if (out == NULL) return fail(err, GK_E_ARG, "no output pointer", 0);
  *out = NULL;
  if (path == NULL) return fail(err, GK_E_ARG, "no file name", 0);
  struct stat sb;
  if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == 0)
    return fail(err, GK_E_TRUNCATED, "the file is empty", 0);
  gk_video *v = video_new();
  if (v == NULL) return fail(err, GK_E_NOMEM, "out of memory", 0);
  /* A plain path, never a URL or a protocol prefix. */
  AVDictionary *opt = NULL;
  av_dict_set(&opt, "protocol_whitelist", "file", 0);
  int r = avformat_open_input(&v->fmt, path, NULL, &opt);
  av_dict_free(&opt);
  if (r < 0) {
    /* avformat_open_input freed the context. */
    v->fmt = NULL;
    gk_video_close(v);
    return open_failed(r, err);
  }
  gk_status st = open_stream(v, err);
  if (st != GK_OK) {
    gk_video_close(v);
    return st;
  }
  *out = v;
  return GK_OK;
}

gk_status gk_video_open_mem(const void *buf, size_t len, gk_video **out,
                            gk_err *err) {
  if (out == NULL) return fail(err, GK_E_ARG, "no output pointer", 0);
  *out = NULL;
  if (buf == NULL && len > 0) return fail(err, GK_E_ARG, "no buffer", 0);
  if (len == 0)
    return fail(err, GK_E_TRUNCATED, "the file is empty", 0);
  gk_video *v = video_new();
  if (v == NULL) return fail(err, GK_E_NOMEM, "out of memory", 0);
  v->mem.buf = (const uint8_t *)buf;
  v->mem.len = len;
  uint8_t *iobuf = (uint8_t *)av_malloc(GK_VIDEO_IO_BUF);
  if (iobuf != NULL)
    v->avio = avio_alloc_context(iobuf, GK_VIDEO_IO_BUF, 0, &v->mem, mem_read,
                                 NULL, mem_seek);
  if (v->avio == NULL) {
    av_free(iobuf);
    gk_video_close(v);
    return fail(err, GK_E_NOMEM, "out of memory", 0);
  }
  v->fmt->pb = v->avio;
  v->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
  int r = avformat_open_input(&v->fmt, NULL, NULL, NULL);
  if (r < 0) {
    v->fmt = NULL;
    gk_video_close(v);
    return open_failed(r, err);
  }
  gk_status st = open_stream(v, err);
  if (st != GK_OK) {
    gk_video_close(v);
    return st;
  }
  *out = v;
  return GK_OK;
}

const gk_video_info *gk_video_get_info(const gk_video *v) {
  return v ? &v->info : NULL;
}

void gk_video_close(gk_video *v) {
  if (v == NULL) return;
  av_frame_free(&v->frame);
  av_packet_free(&v->pkt);
  avcodec_free_context(&v->dec);
  if (v->fmt != NULL) avformat_close_input(&v->fmt);
  if (v->avio != NULL) {
    av_freep(&v->avio->buffer);
    avio_context_free(&v->avio);
  }
  sws_freeContext(v->sws);
  av_freep(&v->conv[0]);
  free(v);
}

/* ---- decode ------------------------------------------------------------ */

/* The damage message: "the stream is damaged at byte N (frame K, 12.3 s)". */
static gk_status damaged(gk_video *v, gk_status code, uint64_t offset,
                         const char *what, gk_err *err) {
  double t = v->frames > 0 ? v->last_t : 0.0;
  snprintf(v->msg, sizeof v->msg, "%s at byte %llu (frame %lld, %.1f s)",
           what, (unsigned long long)offset, (long long)v->frames, t);
  gk__set_err(err, code, v->msg, offset);
  return code;
}

static uint64_t read_position(gk_video *v) {
  int64_t p = v->fmt->pb ? avio_tell(v->fmt->pb) : -1;
  if (v->last_pos > p) p = v->last_pos;
  return p > 0 ? (uint64_t)p : 0;
}

/* Convert a frame libswscale must handle into v->conv (yuv420p).  YUV
   keeps its range and matrix; grey and RGB become full-range BT.601. */
static gk_status convert(gk_video *v, const AVFrame *fr, int *full_range,
                         int *bt709, gk_err *err) {
  if (v->conv[0] == NULL || v->conv_w != fr->width || v->conv_h != fr->height) {
    av_freep(&v->conv[0]);
    if (av_image_alloc(v->conv, v->conv_stride, fr->width, fr->height,
                       AV_PIX_FMT_YUV420P, 32) < 0)
      return fail(err, GK_E_NOMEM, "out of memory", 0);
    v->conv_w = fr->width;
    v->conv_h = fr->height;
  }
  enum AVPixelFormat pf = (enum AVPixelFormat)fr->format;
  v->sws = sws_getCachedContext(v->sws, fr->width, fr->height, pf, fr->width,
                                fr->height, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                                NULL, NULL, NULL);
  const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(pf);
  if (v->sws == NULL || d == NULL)
    return fail(err, GK_E_UNSUPPORTED, "the video's pixel format is not read",
                0);
  int yuv = !(d->flags & AV_PIX_FMT_FLAG_RGB) && d->nb_components >= 3;
  int src_full = yuv ? fr->color_range == AVCOL_RANGE_JPEG : 1;
  int cs = yuv && fr->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709
                                                    : SWS_CS_ITU601;
  sws_setColorspaceDetails(v->sws, sws_getCoefficients(cs), src_full,
                           sws_getCoefficients(cs), src_full, 0, 1 << 16,
                           1 << 16);
  sws_scale(v->sws, (const uint8_t *const *)fr->data, fr->linesize, 0,
            fr->height, v->conv, v->conv_stride);
  *full_range = src_full;
  *bt709 = cs == SWS_CS_ITU709;
  return GK_OK;
}

/* Variable rate: the spacing (in ticks of the time base) varies by more
   than 10% plus one tick (a millisecond time base rounds 120 fps to 8 and
   9 ms). */
static void note_timing(gk_video *v, int64_t pts) {
  /* Once pictures may have been left out (gk_video_skip_until), a gap
     between two frames is no longer the stream's own spacing. */
  if (v->prev_pts != AV_NOPTS_VALUE && pts > v->prev_pts && !v->skipped) {
    int64_t d = pts - v->prev_pts;
    if (v->min_ticks == 0 || d < v->min_ticks) v->min_ticks = d;
    if (d > v->max_ticks) v->max_ticks = d;
    double tb = av_q2d(v->st->time_base);
    v->min_dt = (double)v->min_ticks * tb;
    if ((double)(v->max_ticks - v->min_ticks) > 0.1 * (double)v->min_ticks + 1)
      v->info.variable_rate = 1;
  }
  v->prev_pts = pts;
}

static gk_status emit(gk_video *v, gk_video_frame *f, gk_err *err) {
  AVFrame *fr = v->frame;
  if (fr->width <= 0 || fr->height <= 0 || fr->width > GK_VIDEO_MAX_SIDE ||
      fr->height > GK_VIDEO_MAX_SIDE)
    return damaged(v, GK_E_LIMIT, read_position(v),
                   "a picture larger than 8192 pixels", err);
  if (v->frames >= (int64_t)GK_VIDEO_MAX_FRAMES)
    return fail(err, GK_E_LIMIT, "the video has more than 1048576 frames",
                read_position(v));
  enum AVPixelFormat pf = (enum AVPixelFormat)fr->format;
  memset(f, 0, sizeof *f);
  f->chroma_step_ = 1;
  if (direct_format(pf)) {
    for (int i = 0; i < 3; i++) {
      f->plane_[i] = fr->data[i];
      f->stride_[i] = fr->linesize[i];
    }
    if (pf == AV_PIX_FMT_NV12) {
      f->plane_[2] = fr->data[1] + 1;
      f->stride_[2] = fr->linesize[1];
      f->chroma_step_ = 2;
    }
    f->chroma_w_shift_ = (pf == AV_PIX_FMT_YUV444P || pf == AV_PIX_FMT_YUVJ444P) ? 0 : 1;
    f->chroma_h_shift_ =
        (pf == AV_PIX_FMT_YUV420P || pf == AV_PIX_FMT_YUVJ420P ||
         pf == AV_PIX_FMT_NV12) ? 1 : 0;
    f->full_range_ = fr->color_range == AVCOL_RANGE_JPEG ||
                     pf == AV_PIX_FMT_YUVJ420P || pf == AV_PIX_FMT_YUVJ422P ||
                     pf == AV_PIX_FMT_YUVJ444P;
    f->bt709_ = fr->colorspace == AVCOL_SPC_BT709;
  } else {
    gk_status st = convert(v, fr, &f->full_range_, &f->bt709_, err);
    if (st != GK_OK) return st;
    for (int i = 0; i < 3; i++) {
      f->plane_[i] = v->conv[i];
      f->stride_[i] = v->conv_stride[i];
    }
    f->chroma_w_shift_ = 1;
    f->chroma_h_shift_ = 1;
  }
  f->coded_w_ = fr->width;
  f->coded_h_ = fr->height;
  f->rotation_deg_ = v->info.rotation_deg;
  f->mirrored_ = v->info.mirrored;
  gk__video_display_size(fr->width, fr->height, f->rotation_deg_, &f->width,
                         &f->height);
  /* Time: best_effort_timestamp in the stream's time base, from the first
     frame; frames without one follow the previous at the average rate. */
  int64_t pts = fr->best_effort_timestamp;
  double t;
  if (pts != AV_NOPTS_VALUE) {
    if (v->first_pts == AV_NOPTS_VALUE) v->first_pts = pts;
    t = (double)(pts - v->first_pts) * av_q2d(v->st->time_base);
    note_timing(v, pts);
  } else {
    double step = isfinite(v->info.fps) && v->info.fps > 0
                      ? 1.0 / v->info.fps : 1.0 / 30;
    t = v->frames > 0 ? v->last_t + step : 0.0;
  }
  f->t_s = t;
  f->index = v->frames++;
  v->last_t = t;
  v->video_packets_no_frame = 0;
  v->packets_no_frame = 0;
  v->errors_in_row = 0;
  return GK_OK;
}

/* Stop reading: drain the decoder, then report `code` at `offset`. */
static void stop_reading(gk_video *v, gk_status code, uint64_t offset) {
  if (v->pending == GK_OK) {
    v->pending = code;
    v->pending_offset = offset;
  }
  if (!v->flushing) {
    avcodec_send_packet(v->dec, NULL);
    v->flushing = 1;
  }
}

/*
** At a clean end: whether the frames cover the duration the header
** announced (the stream's, else the container's; not an estimate from the
** bit rate).  A Matroska or WebM file cut short ends without a read error;
** this is how it shows.  Short by more than max(0.5 s, 5%): cut.
*/
static int ends_early(const gk_video *v) {
  const AVStream *st = v->st;
  if (!isfinite(v->info.duration_s) || v->info.duration_s <= 0) return 0;
  if (v->fmt->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE)
    return 0;
  double tb = av_q2d(st->time_base);
  double covered = 0;
  if (v->prev_pts != AV_NOPTS_VALUE) {
    int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time
                                                     : v->first_pts;
    double step = isfinite(v->min_dt) ? v->min_dt : 0;
    covered = (double)(v->prev_pts - start) * tb + step;
  } else if (v->frames > 0) {
    return 0; /* no timestamps to judge by */
  }
  double d = v->info.duration_s, slack = d * 0.05 > 0.5 ? d * 0.05 : 0.5;
  return d - covered > slack;
}

static gk_status report_end(gk_video *v, int *got, gk_err *err) {
  *got = 0;
  if (!v->ended && v->pending == GK_OK && ends_early(v)) {
    int64_t size = v->fmt->pb ? avio_size(v->fmt->pb) : -1;
    v->pending = GK_E_TRUNCATED;
    v->pending_offset = size > 0 ? (uint64_t)size : read_position(v);
  }
  v->ended = 1;
  if (v->pending == GK_OK) return GK_OK;
  const char *what = v->pending == GK_E_TRUNCATED
                         ? "the file ends inside the video"
                         : "the stream is damaged";
  return damaged(v, v->pending, v->pending_offset, what, err);
}

/* Whether the packet in v->pkt may be left out if nothing refers to it:
   its presentation time is known and before v->skip_until (less a
   microsecond, for the rounding of the caller's sums). */
static int skip_packet(const gk_video *v) {
  if (!(v->skip_until > -INFINITY) || v->first_pts == AV_NOPTS_VALUE ||
      v->pkt->pts == AV_NOPTS_VALUE)
    return 0;
  double t = (double)(v->pkt->pts - v->first_pts) * av_q2d(v->st->time_base);
  return t < v->skip_until - 1e-6;
}

void gk_video_skip_until(gk_video *v, double t_s) {
  if (v == NULL) return;
  v->skip_until = isnan(t_s) ? -INFINITY : t_s;
}

/* Read one packet of the video stream into the decoder (or stop). */
static gk_status feed(gk_video *v, gk_err *err) {
  int r = av_read_frame(v->fmt, v->pkt);
  if (r == AVERROR_EOF) {
    stop_reading(v, GK_OK, 0);
    return GK_OK;
  }
  if (r < 0) {
    stop_reading(v, r == AVERROR(ENOMEM) ? GK_E_NOMEM : GK_E_CORRUPT,
                 read_position(v));
    return GK_OK;
  }
  if (++v->packets_no_frame > GK_VIDEO_MAX_PACKETS_NO_FRAME) {
    av_packet_unref(v->pkt);
    stop_reading(v, GK_E_CORRUPT, read_position(v));
    return GK_OK;
  }
  if (v->pkt->stream_index != v->stream) {
    av_packet_unref(v->pkt);
    return GK_OK;
  }
  if (v->pkt->pos >= 0) v->last_pos = v->pkt->pos;
  int cut = (v->pkt->flags & AV_PKT_FLAG_CORRUPT) != 0;
  uint64_t cut_at = (uint64_t)(v->pkt->pos >= 0 ? v->pkt->pos : 0);
  if (++v->video_packets_no_frame > GK_VIDEO_MAX_VIDEO_PACKETS_NO_FRAME) {
    av_packet_unref(v->pkt);
    stop_reading(v, GK_E_CORRUPT, cut_at);
    return GK_OK;
  }
  if (cut && v->fmt->pb != NULL && avio_feof(v->fmt->pb)) {
    /* The demuxer could not read the whole packet because the file ends:
       it was cut here.  The packets before it are decoded; this one not. */
    av_packet_unref(v->pkt);
    stop_reading(v, GK_E_TRUNCATED, cut_at);
    return GK_OK;
  }
  if (v->pkt->size <= 0) {
    /* Nothing to decode (and an empty packet would end the decoding). */
    av_packet_unref(v->pkt);
    return GK_OK;
  }
  /* Skip_frame is read per packet (frame threads copy it when the packet
     goes in).  A packet that may be left out does not count towards the
     video packets without a picture. */
  int skip = skip_packet(v);
  v->dec->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
  if (skip) {
    v->skipped = 1;
    v->video_packets_no_frame--;
  }
  /* A packet damaged inside the file (e.g. a transport stream's lost
     packets) still goes to the decoder, which may conceal it; it counts
     like a refused one. */
  r = avcodec_send_packet(v->dec, v->pkt);
  av_packet_unref(v->pkt);
  if (r == AVERROR(ENOMEM)) return fail(err, GK_E_NOMEM, "out of memory", 0);
  if (cut || (r < 0 && r != AVERROR(EAGAIN) && r != AVERROR_EOF)) {
    v->info.decode_errors++;
    if (v->errors_in_row++ == 0) v->errors_from = cut_at;
    if (v->errors_in_row > GK_VIDEO_MAX_DECODE_ERRORS)
      stop_reading(v, GK_E_CORRUPT, v->errors_from);
  }
  return GK_OK;
}

gk_status gk_video_next(gk_video *v, gk_video_frame *f, int *got,
                        gk_err *err) {
  if (got != NULL) *got = 0;
  if (v == NULL || f == NULL || got == NULL)
    return fail(err, GK_E_ARG, "no video, frame or flag", 0);
  if (v->ended) return report_end(v, got, err);
  av_frame_unref(v->frame);
  for (;;) {
    int r = avcodec_receive_frame(v->dec, v->frame);
    if (r == 0) {
      gk_status st = emit(v, f, err);
      if (st != GK_OK) {
        v->ended = 1;
        return st;
      }
      *got = 1;
      return GK_OK;
    }
    if (r == AVERROR_EOF) return report_end(v, got, err);
    if (r != AVERROR(EAGAIN)) {
      if (r == AVERROR(ENOMEM)) return fail(err, GK_E_NOMEM, "out of memory", 0);
      /* A picture the decoder could not finish: skipped and counted. */
      v->info.decode_errors++;
      if (v->errors_in_row++ == 0) v->errors_from = v->last_pos;
      if (v->errors_in_row > GK_VIDEO_MAX_DECODE_ERRORS)
        stop_reading(v, GK_E_CORRUPT, v->errors_from);
      if (v->flushing && v->errors_in_row > 4 * GK_VIDEO_MAX_DECODE_ERRORS)
        return report_end(v, got, err);
      continue;
    }
    if (v->flushing) return report_end(v, got, err); /* no more frames */
    gk_status st = feed(v, err);
    if (st != GK_OK) {
      v->ended = 1;
      return st;
    }
  }
}
