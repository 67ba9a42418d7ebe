/*
** load_day.c -- UTC calendar days as Unix days: from and to civil dates,
** weeks starting on Monday, "YYYY-MM-DD".  Proleptic Gregorian calendar
** (H. Hinnant's days_from_civil / civil_from_days algorithms).
*/
#include "core/core_internal.h"
#include "gaitkeeper/load.h"

int64_t gk_day_from_civil(int64_t year, int month, int mday) {
  int64_t y = year - (month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                              /* 0..399 */
  int64_t mp = month > 2 ? month - 3 : month + 9;           /* March = 0 */
  int64_t doy = (153 * mp + 2) / 5 + mday - 1;              /* 0..365 */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;      /* 0..146096 */
  return era * 146097 + doe - 719468;
}

int64_t gk_day_of_time(int64_t t) {
  int64_t d = t / 86400;
  if (t % 86400 < 0) d--;
  return d;
}

int64_t gk_day_week_start(int64_t day) {
  /* Day 0 (1970-01-01) was a Thursday: Monday-based weekday 3. */
  int64_t wd = ((day % 7) + 7 + 3) % 7;
  return day - wd;
}

static int is_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

gk_status gk_day_parse(const char *s, int64_t *day) {
  if (s == NULL || day == NULL) return GK_E_ARG;
  int v[8], k = 0;
  for (int i = 0; i < 10; i++) {
    char c = s[i];
    if (i == 4 || i == 7) {
      if (c != '-') return GK_E_ARG;
      continue;
    }
    if (c < '0' || c > '9') return GK_E_ARG;
    v[k++] = c - '0';
  }
  if (s[10] != '\0') return GK_E_ARG;
  int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
  int m = v[4] * 10 + v[5];
  int d = v[6] * 10 + v[7];
  static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
  if (y < 1900 || m < 1 || m > 12 || d < 1) return GK_E_ARG;
  int dim = mdays[m - 1] + (m == 2 && is_leap(y));
  if (d > dim) return GK_E_ARG;
  *day = gk_day_from_civil(y, m, d);
  return GK_OK;
}

