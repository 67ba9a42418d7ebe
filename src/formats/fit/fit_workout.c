/*
** fit_workout.c -- FIT workout files (gaitkeeper/fit_workout.h): file_id
** (type 5 workout), workout (26) and workout_step (27) messages written
** with the FIT writer.  Message and field numbers are the official
** profile's (include/gaitkeeper/fit_ids.h, generated from the FIT SDK).
*/
#include "gaitkeeper/fit_workout.h"

#include <string.h>

#include "gaitkeeper/fit_ids.h"
#include "gaitkeeper/fit_write.h"

#define FIT_EPOCH_UNIX 631065600 /* 1989-12-31T00:00:00Z */
#define FIT_FILE_WORKOUT 5
#define FIT_SPORT_RUNNING 1
#define FIT_MANUFACTURER_DEVELOPMENT 255
#define FIT_DURATION_TIME 0
#define FIT_TARGET_CADENCE 3
#define FIT_TARGET_OPEN 2

static gk_status fail(gk_err *err, gk_status code, const char *msg,
                      uint64_t where) {
  if (err) {
    err->code = code;
    err->msg = msg;
    err->offset = where;
    err->line = err->col = 0;
  }
  return code;
}

/* s truncated to size-1 bytes, not cutting a UTF-8 sequence. */
static void fit_str(char *dst, size_t size, const char *s) {
  memset(dst, 0, size);
  if (s == NULL) return;
  size_t n = strlen(s);
  if (n > size - 1) {
    n = size - 1;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  }
  memcpy(dst, s, n);
}

gk_status gk_fit_workout_write(const char *name, const gk_workout_step *steps,
                               size_t n_steps, int64_t time_created,
                               gk_buf *out, gk_err *err) {
  if (out == NULL || steps == NULL || n_steps == 0 ||
      n_steps > GK_WKT_MAX_STEPS)
    return fail(err, GK_E_ARG, "workout: needs 1 to 64 steps and an output",
                0);
  for (size_t i = 0; i < n_steps; i++) {
    const gk_workout_step *s = &steps[i];
    if (s->duration_s < 1 || s->duration_s > 86400)
      return fail(err, GK_E_ARG, "workout: a step's duration is outside 1 s..24 h (offset: step index)", i);
    if ((unsigned)s->intensity > GK_WKT_COOLDOWN)
      return fail(err, GK_E_ARG, "workout: a step's intensity is unknown (offset: step index)", i);
    if (s->cadence_low_spm || s->cadence_high_spm) {
      if (s->cadence_low_spm < 30 || s->cadence_high_spm > 300 ||
          s->cadence_low_spm > s->cadence_high_spm)
        return fail(err, GK_E_ARG, "workout: a step's cadence target is outside 30..300 steps/min or low > high (offset: step index)", i);
    }
  }
  int64_t t = time_created - FIT_EPOCH_UNIX;
  if (t < 0x10000000 || t > 0xFFFFFFF0LL) t = 0x10000000; /* a real date */

  gk_fit_writer *w = NULL;
  gk_status st = gk_fit_writer_new(&w, NULL, 0);
  if (st != GK_OK) return fail(err, st, "workout: out of memory", 0);

  static const gk_fit_field_def file_id[] = {
      {GK_FIT_FILE_ID_TYPE, 1, GK_FIT_ENUM},
      {GK_FIT_FILE_ID_MANUFACTURER, 2, GK_FIT_UINT16},
      {GK_FIT_FILE_ID_PRODUCT, 2, GK_FIT_UINT16},
      {GK_FIT_FILE_ID_SERIAL_NUMBER, 4, GK_FIT_UINT32Z},
      {GK_FIT_FILE_ID_TIME_CREATED, 4, GK_FIT_UINT32}};
  st = gk_fit_write_definition(w, 0, GK_FIT_MESG_FILE_ID, 5, file_id, 0, NULL);
  if (st == GK_OK) st = gk_fit_msg_begin(w, 0);
  if (st == GK_OK) {
    gk_fit_put_u8(w, FIT_FILE_WORKOUT);
    gk_fit_put_u16(w, FIT_MANUFACTURER_DEVELOPMENT);
    gk_fit_put_u16(w, 0);
    gk_fit_put_u32(w, 1);
    gk_fit_put_u32(w, (uint32_t)t);
    st = gk_fit_msg_end(w);
  }

  static const gk_fit_field_def workout[] = {
      {GK_FIT_WORKOUT_WKT_NAME, GK_WKT_NAME_MAX, GK_FIT_STRING},
      {GK_FIT_WORKOUT_SPORT, 1, GK_FIT_ENUM},
      {GK_FIT_WORKOUT_NUM_VALID_STEPS, 2, GK_FIT_UINT16}};
  char buf[GK_WKT_NOTES_MAX];
  if (st == GK_OK)
    st = gk_fit_write_definition(w, 1, GK_FIT_MESG_WORKOUT, 3, workout, 0,
                                 NULL);
  if (st == GK_OK) st = gk_fit_msg_begin(w, 1);
  if (st == GK_OK) {
    fit_str(buf, GK_WKT_NAME_MAX, name ? name : "gaitkeeper");
    gk_fit_put_bytes(w, buf, GK_WKT_NAME_MAX);
    gk_fit_put_u8(w, FIT_SPORT_RUNNING);
    gk_fit_put_u16(w, (uint16_t)n_steps);
    st = gk_fit_msg_end(w);
  }

  static const gk_fit_field_def step[] = {
      {GK_FIT_WORKOUT_STEP_MESSAGE_INDEX, 2, GK_FIT_UINT16},
      {GK_FIT_WORKOUT_STEP_WKT_STEP_NAME, GK_WKT_NAME_MAX, GK_FIT_STRING},
      {GK_FIT_WORKOUT_STEP_DURATION_TYPE, 1, GK_FIT_ENUM},
      {GK_FIT_WORKOUT_STEP_DURATION_VALUE, 4, GK_FIT_UINT32},
      {GK_FIT_WORKOUT_STEP_TARGET_TYPE, 1, GK_FIT_ENUM},
      {GK_FIT_WORKOUT_STEP_TARGET_VALUE, 4, GK_FIT_UINT32},
      {GK_FIT_WORKOUT_STEP_CUSTOM_TARGET_VALUE_LOW, 4, GK_FIT_UINT32},
      {GK_FIT_WORKOUT_STEP_CUSTOM_TARGET_VALUE_HIGH, 4, GK_FIT_UINT32},
      {GK_FIT_WORKOUT_STEP_INTENSITY, 1, GK_FIT_ENUM},
      {GK_FIT_WORKOUT_STEP_NOTES, GK_WKT_NOTES_MAX, GK_FIT_STRING}};
  if (st == GK_OK)
    st = gk_fit_write_definition(w, 2, GK_FIT_MESG_WORKOUT_STEP, 10, step, 0,
                                 NULL);
  for (size_t i = 0; st == GK_OK && i < n_steps; i++) {
    const gk_workout_step *s = &steps[i];
    int cad = s->cadence_low_spm != 0;
    st = gk_fit_msg_begin(w, 2);
    if (st != GK_OK) break;
    gk_fit_put_u16(w, (uint16_t)i);
    fit_str(buf, GK_WKT_NAME_MAX, s->name);
    gk_fit_put_bytes(w, buf, GK_WKT_NAME_MAX);
    gk_fit_put_u8(w, FIT_DURATION_TIME);
    gk_fit_put_u32(w, s->duration_s * 1000u); /* scale 1000: ms */
    gk_fit_put_u8(w, cad ? FIT_TARGET_CADENCE : FIT_TARGET_OPEN);
    gk_fit_put_u32(w, 0); /* target_value 0: custom low/high */
    if (cad) {
      gk_fit_put_u32(w, s->cadence_low_spm);
      gk_fit_put_u32(w, s->cadence_high_spm);
    } else {
      gk_fit_put_invalid(w);
      gk_fit_put_invalid(w);
    }
    gk_fit_put_u8(w, (uint8_t)s->intensity);
    fit_str(buf, GK_WKT_NOTES_MAX, s->notes);
    gk_fit_put_bytes(w, buf, GK_WKT_NOTES_MAX);
    st = gk_fit_msg_end(w);
  }

  const uint8_t *data = NULL;
  size_t len = 0;
  if (st == GK_OK) st = gk_fit_writer_finish(w, &data, &len);
  if (st == GK_OK) {
    gk_buf_put(out, data, len);
    if (out->oom) st = GK_E_NOMEM;
  }
  gk_fit_writer_free(w);
  if (st != GK_OK)
    return fail(err, st == GK_E_NOMEM ? GK_E_NOMEM : st,
                st == GK_E_NOMEM ? "workout: out of memory"
                                 : "workout: the FIT writer refused a message",
                0);
  return GK_OK;
}
