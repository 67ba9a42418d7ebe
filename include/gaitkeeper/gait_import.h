/*
** gaitkeeper/gait_import.h -- one gait capture, from recognition to the
** store: the one path `gaitkeeper gait` and the web app's Gait page both
** take (docs/GAIT.md, "One capture, two faces").
**
**   recognise  by the name's extension (and, for .trc, whether a frame
**              rate or a view is given: Sports2D keypoints are 2D)
**   read       C3D, TRC, MediaPipe or COCO-17 CSV/JSON, OpenPose JSON (one
**              frame, a folder, or a folder's files as a zip), or a video
**              (its path: BlazePose finds the keypoints)
**   analyse    gk_gait3d_analyse (with the static trial) or
**              gk_gait2d_analyse
**   findings   gk_gait_findings
**   store      gk_store_add_capture of gk_gait_write_json's object
**
** The caller reads files (with its own size limits and messages) and hands
** their bytes in; only a folder and a video are read here, by path.  Every
** problem is a message naming the file (or the file inside the folder or
** zip) and the place in it, as `gaitkeeper gait` prints it.
*/
#ifndef GK_GAIT_IMPORT_H
#define GK_GAIT_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/capture.h"
#include "gaitkeeper/core.h"
#include "gaitkeeper/gait.h"
#include "gaitkeeper/json.h"
#include "gaitkeeper/pose.h"
#include "gaitkeeper/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_gait_input {
  GK_GAIT_IN_UNKNOWN = 0, /* not a capture gaitkeeper reads */
  GK_GAIT_IN_3D,          /* .c3d, or .trc without a frame rate or view */
  GK_GAIT_IN_TRC_2D,      /* .trc with a frame rate or view (Sports2D) */
  GK_GAIT_IN_KEYPOINTS,   /* .csv or .json (MediaPipe, COCO-17, OpenPose) */
  GK_GAIT_IN_FOLDER,      /* a folder of OpenPose JSON (by path) */
  GK_GAIT_IN_ZIP,         /* a .zip of OpenPose JSON (in memory) */
  GK_GAIT_IN_VIDEO        /* .mp4, .mov, .mkv, .webm, ... (by path) */
} gk_gait_input;

/* What a capture named name is; is_dir: it is a folder.  fps > 0 or a view
   makes a .trc 2D keypoints. */
GK_API gk_gait_input gk_gait_input_of(const char *name, int is_dir,
                                      double fps, gk_capture_view view);

/* 1 when name ends in a video extension (.mp4, .mov, .m4v, .mkv, .webm,
   .avi, .3gp, .mts, .ts; any case). */
GK_API int gk_gait_is_video_name(const char *name);

/* One input: name is shown in messages, picks the reader by its extension
   and is stored with the capture; a folder or a video is read from path,
   anything else from data[0..len). */
typedef struct gk_gait_source {
  const char *name;
  const char *path;  /* GK_GAIT_IN_FOLDER, GK_GAIT_IN_VIDEO; else NULL */
  const void *data;
  size_t len;
} gk_gait_source;

/* Opens the store when there is something to store (so that a bad capture
   never creates or touches one); the opener reports its own failure. */
typedef gk_status (*gk_gait_store_open_fn)(void *ctx, gk_store **out);

typedef struct gk_gait_import_options {
  const char *marker_set;   /* 3D: NULL recognised from the labels */
  gk_hip_centre hip_centre; /* 3D */
  double height_cm;         /* NaN: unknown */
  double mass_kg;           /* 3D; NaN: unknown */
  double speed_mps;         /* NaN: unknown */
  double fps;               /* 2D (and a video's filmed rate); NaN */
  gk_capture_view view;     /* 2D */
  gk_surface surface;       /* 2D */
  /* 2D keypoints in fractions of the picture (MediaPipe's landmarks): the
     picture's size in pixels; 0: not given (such keypoints are refused:
     their angles and lengths would be squeezed by the picture's aspect) */
  int image_width, image_height;
  gk_pose_options pose;     /* video */
  gk_pose_progress_fn progress; /* video, optional */
  void *progress_ctx;
  int pictures;             /* video: stills for the report's figures */
  int64_t day;              /* the capture's day; INT64_MIN: unknown */
  gk_gait_store_open_fn open_store; /* NULL: nothing is stored */
  void *store_ctx;
} gk_gait_import_options;

/* Defaults: NaN numbers, unknown view and surface, day unknown, no store. */
GK_API void gk_gait_import_options_init(gk_gait_import_options *o);

/*
** Set one option from text, as `gaitkeeper gait --NAME VALUE` and the Gait
** page's fields give it: "marker-set" (kept as a pointer: value must
** outlive o), "hip-centre" (bell, harrington), "height-cm" (50..250),
** "mass-kg" (20..300), "speed" (0.5..12 m/s), "fps" (1..10000), "view"
** (rear, front, left, right), "surface" (treadmill, overground),
** "image-size" (WIDTHxHEIGHT in pixels, 16..100000 each).  0, or -1
** with what the value must be in msg ("takes a number from 1 to 10000
** (got 'x')"), to follow the option's name; -2 for an unknown name.
*/
GK_API int gk_gait_import_option(gk_gait_import_options *o, const char *name,
                                 const char *value, char *msg, size_t size);

typedef struct gk_gait_import_result {
  gk_gait_input input;
  gk_gait *gait;             /* the analysis with its findings, or NULL */
  gk_buf json;               /* gk_gait_write_json's object (stored) */
  int video;                 /* the keypoints came from a video */
  gk_pose_video_stats video_stats; /* when video and read */
  int64_t capture_id;        /* > 0 when stored */
  int usage;                 /* the failure is in the options, not a file */
  int store_failed;          /* the failure is the store's */
  char msg[4800];            /* the failure: "NAME: line L, column C: ..." */
  char warning[4800];        /* pictures not made: "NAME: ..." or "" */
} gk_gait_import_result;

/*
** Recognise, read, analyse, find, store (when o->open_store).  st_trial:
** the 3D static trial, or NULL.  GK_OK with out->gait; otherwise the
** status and out->msg (also for GK_E_NOMEM).  Free with
** gk_gait_import_clear; out is zeroed first.
*/
GK_API gk_status gk_gait_import(const gk_gait_source *capture,
                                const gk_gait_source *st_trial,
                                const gk_gait_import_options *o,
                                gk_gait_import_result *out /* OUT */);

GK_API void gk_gait_import_clear(gk_gait_import_result *r);

#ifdef __cplusplus
}
#endif

#endif /* GK_GAIT_IMPORT_H */
