/*
** akps.c -- the Kujala Anterior Knee Pain Scale (Kujala et al., Arthroscopy
** 1993;9:159-63): 13 items, each answer worth the points of data/akps.json
** (the journal table of J Orthop 2023;42:54-62); the score is their sum,
** 0..100, higher is better.  Only a complete questionnaire is scored: a
** partial sum would read as a worse knee.
*/
#include <math.h>

#include <cjson/cJSON.h>

#include "clinic/clinic_internal.h"

double gk_akps_score(const gk_intake *in, int *n_answered) {
  int answered = 0;
  double total = 0;
  int bad = 0;
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(
      gk__clinic_data(GK__CF_AKPS), "items");
  const cJSON *item = cJSON_IsArray(items) ? items->child : NULL;
  if (cJSON_GetArraySize(items) != GK_AKPS_ITEMS) bad = 1;
  for (int i = 0; in != NULL && i < GK_AKPS_ITEMS; i++) {
    int a = in->akps[i];
    const cJSON *answers =
        item ? cJSON_GetObjectItemCaseSensitive(item, "answers") : NULL;
    if (a >= 0) {
      const cJSON *ans = cJSON_GetArrayItem(answers, a);
      const cJSON *pts = cJSON_GetObjectItemCaseSensitive(ans, "points");
      if (cJSON_IsNumber(pts)) {
        total += pts->valuedouble;
        answered++;
      } else {
        bad = 1; /* an index past the item's answers: not a valid intake */
      }
    }
    if (item) item = item->next;
  }
  if (n_answered != NULL) *n_answered = answered;
  if (bad || answered != GK_AKPS_ITEMS) return NAN;
  return total;
}
