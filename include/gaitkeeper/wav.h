/*
** gaitkeeper/wav.h -- a metronome click track for cadence retraining: a
** WAV file (RIFF, 16-bit PCM, mono) with one short decaying click per beat
** at the asked rate.  Beat k starts at sample round(k * 60 * rate / bpm),
** so the rate does not drift however long the track.  Streamed through a
** write callback: memory does not grow with the length.
*/
#ifndef GK_WAV_H
#define GK_WAV_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GK_WAV_BPM_MIN 30.0
#define GK_WAV_BPM_MAX 300.0
#define GK_WAV_MINUTES_MAX 120.0
#define GK_WAV_DEFAULT_RATE 22050u
#define GK_WAV_HEADER_BYTES 44u
#define GK_WAV_CLICK_MS 25.0   /* length of one click */

/* Receives the file's bytes in order; returns 0 to go on, non-zero to stop
   (the call then returns GK_E_IO). */
typedef int (*gk_wav_write_fn)(void *user, const void *data, size_t len);

/*
** Write a click track: bpm GK_WAV_BPM_MIN..GK_WAV_BPM_MAX, minutes
** (0, GK_WAV_MINUTES_MAX], sample_rate 8000..96000 (0: GK_WAV_DEFAULT_RATE).
** The data size is round(minutes * 60 * rate) samples.  Returns GK_OK,
** GK_E_ARG (a value out of range; err says which), GK_E_NOMEM or GK_E_IO
** (the callback stopped).  Thread-safe.
*/
GK_API gk_status gk_wav_metronome(double bpm, double minutes,
                                  uint32_t sample_rate, gk_wav_write_fn write,
                                  void *user, gk_err *err /* OUT */);

#ifdef __cplusplus
}
#endif

#endif /* GK_WAV_H */
