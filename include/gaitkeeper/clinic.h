/*
** gaitkeeper/clinic.h -- the clinical engine's inputs: the intake
** (symptoms, history, red-flag questions, the Kujala Anterior Knee Pain
** Scale) and the functional screen, as parsed and checked from the
** runner's answers (JSON; every key is documented in docs/CLINIC.md).
**
** Unknown values: a number is NaN, a yes/no answer is -1, an enumerated
** answer is 0 (its _UNKNOWN value), an AKPS item is -1.  Nothing is
** guessed: a rule that needs an unknown answer does not fire, and the plan
** says what it could not judge.
*/
#ifndef GK_CLINIC_H
#define GK_CLINIC_H

#include <stddef.h>
#include <stdint.h>

#include "gaitkeeper/core.h"
#include "gaitkeeper/finding.h"
#include "gaitkeeper/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- intake --------------------------------------------------------------- */

typedef enum gk_body_side {
  GK_SIDE_UNKNOWN = 0,
  GK_SIDE_LEFT,
  GK_SIDE_RIGHT,
  GK_SIDE_BOTH
} gk_body_side;

typedef enum gk_pain_location {
  GK_LOC_UNKNOWN = 0,
  GK_LOC_FRONT,
  GK_LOC_AROUND_KNEECAP,
  GK_LOC_BEHIND_KNEECAP,
  GK_LOC_BELOW_KNEECAP,
  GK_LOC_INSIDE,
  GK_LOC_OUTSIDE,
  GK_LOC_BACK,
  GK_LOC_DIFFUSE
} gk_pain_location;

typedef enum gk_onset { GK_ONSET_UNKNOWN = 0, GK_ONSET_GRADUAL, GK_ONSET_SUDDEN } gk_onset;

/* worse_with: bit flags */
#define GK_WORSE_STAIRS_DOWN 0x001u
#define GK_WORSE_STAIRS_UP 0x002u
#define GK_WORSE_SQUAT 0x004u
#define GK_WORSE_KNEELING 0x008u
#define GK_WORSE_SITTING 0x010u
#define GK_WORSE_RUNNING 0x020u
#define GK_WORSE_DOWNHILL 0x040u
#define GK_WORSE_JUMPING 0x080u

/* history: bit flags */
#define GK_HIST_ANKLE_SPRAIN 0x001u
#define GK_HIST_BACK_PROBLEMS 0x002u
#define GK_HIST_PREGNANCY_LAST_2Y 0x004u
#define GK_HIST_KNEE_SURGERY 0x008u
#define GK_HIST_HIP_PROBLEMS 0x010u
#define GK_HIST_STRESS_FRACTURE 0x020u
#define GK_HIST_OSTEOPOROSIS 0x040u
#define GK_HIST_LOW_ENERGY_AVAILABILITY 0x080u /* disordered eating, missed
                                                  periods (RED-S signs) */

#define GK_AKPS_ITEMS 13

typedef struct gk_intake {
  double age;            /* years */
  char sex[16];          /* "female", "male", "other" or "" */
  double height_cm, mass_kg;
  gk_body_side side;
  gk_pain_location pain_location;
  gk_onset onset;
  /* yes/no: 1, 0, or -1 unknown */
  int trauma, swelling_within_2h, locking, giving_way, night_pain, rest_pain,
      fever_or_unwell, hot_red_swollen, can_bear_weight, can_flex_90,
      bony_tenderness, pain_on_hop, swelling, grinding;
  double morning_stiffness_min;
  unsigned worse_with;   /* GK_WORSE_* */
  unsigned history;      /* GK_HIST_* */
  double pain_now, pain_run, pain_daily; /* 0..10 */
  double shoes_km;
  int akps[GK_AKPS_ITEMS]; /* 0-based answer index per item, -1 unknown */
} gk_intake;

/* ---- screen --------------------------------------------------------------- */

typedef struct gk_sls_side { /* single-leg squat, one side; 1/0/-1 */
  int knee_valgus, pelvic_drop, trunk_lean, pain;
} gk_sls_side;

typedef struct gk_screen {
  double knee_to_wall_cm[2];   /* [0] left, [1] right; NaN unknown */
  int deep_squat_full_depth, deep_squat_pain; /* 1/0/-1 */
  int lunge_pain;
  gk_sls_side single_leg_squat[2];
  double single_leg_bridge_reps[2];
  double calf_raise_reps[2];
  double side_plank_s[2];
  int hop_pain[2];
  int walk_30min_pain;
} gk_screen;

#ifdef __cplusplus
}
#endif

#endif /* GK_CLINIC_H */
