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
  /* more red-flag questions (yes/no: 1, 0, -1), after the first set:
     the Ottawa knee rule's two tenderness sites (after trauma), the NHS
     pathway's weight loss, pain in the hip or groin (hip pathology and
     femoral-neck stress fracture can present as knee pain), a kneecap that
     has dislocated, and pain present all the time (day, night and rest) */
  int patellar_tenderness, fibular_head_tenderness, unexplained_weight_loss,
      hip_or_groin_pain, kneecap_dislocation, constant_pain;
  /* shoes and surfaces (yes/no: 1, 0, -1): a different kind of running
     shoe, or a different main running surface, in the last 3 months */
  int shoe_change_recent, surface_change_recent;
  /* a first visit's stage-1 gates without a pain log (yes/no: 1, 0, -1):
     the knee back to its usual level by the morning after the last run,
     and pain on a brisk 30-minute walk (the screen's answer counts when
     both are given) */
  int last_run_settled, walk_30min_pain;
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
  /* strength, per side ([0] left, [1] right; NaN unknown): hand-held
     dynamometry in % of body weight, or repetition tests without a device */
  double hip_abduction_pct_bw[2];
  double side_lying_abduction_reps[2];
  double knee_extension_pct_bw[2];
  double single_leg_sit_to_stand_reps[2];
  /* foot posture, per side: Foot Posture Index (FPI-6 total, -12..+12)
     and navicular drop (mm) */
  double foot_posture_index[2];
  double navicular_drop_mm[2];
  /* mobility, per side: seated thoracic rotation, prone hip internal and
     external rotation (degrees); arm overhead against a wall (1/0/-1) */
  double thoracic_rotation_deg[2];
  double hip_internal_rotation_deg[2];
  double hip_external_rotation_deg[2];
  int shoulder_flexion_full[2];
} gk_screen;

/* ---- parsing -------------------------------------------------------------
** Answers are one JSON object per questionnaire (docs/CLINIC.md lists every
** key, its type and range; data/intake.json and data/screen.json hold the
** same list for the interactive questions and the checks).  Every key is
** optional: a missing key or null is "unknown".  Unknown keys, wrong types,
** out-of-range values and contradictory answers are errors whose message
** names the key; on error *out is left all unknown (nothing stored half).
** err->msg points to storage that stays valid until the next parse call in
** the same thread (it names the key); err->offset is 0. */

/* Set every answer to unknown. */
GK_API void gk_intake_init(gk_intake *in);
GK_API void gk_screen_init(gk_screen *s);

GK_API gk_status gk_intake_parse(const char *json, size_t len, gk_intake *out,
                                 gk_err *err);
GK_API gk_status gk_screen_parse(const char *json, size_t len, gk_screen *out,
                                 gk_err *err);

/* The Kujala Anterior Knee Pain Scale (Kujala et al. 1993), 0..100 exactly
   as published (data/akps.json); NaN unless all 13 items are answered.
   *n_answered (optional) receives the number of items answered. */
GK_API double gk_akps_score(const gk_intake *in, int *n_answered);

/* ---- assessment ---------------------------------------------------------- */

typedef enum gk_urgency {
  GK_URGENCY_NONE = 0,
  GK_URGENCY_ROUTINE,   /* book a routine appointment */
  GK_URGENCY_SOON,      /* within days to two weeks */
  GK_URGENCY_URGENT,    /* same day or next day */
  GK_URGENCY_EMERGENCY  /* now: emergency department */
} gk_urgency;

/* "none", "routine", "soon", "urgent", "emergency". */
GK_API const char *gk_urgency_name(gk_urgency u);

/* One red flag that fired (rules in data/red_flags.json).  The strings are
   static: they stay valid for the life of the process. */
typedef struct gk_red_flag {
  const char *code;    /* e.g. "intake.ottawa_knee" (== its finding code) */
  const char *text;    /* plain language: what it may be, what to do */
  gk_urgency urgency;
  const char *who;     /* whom to see, e.g. "emergency department" */
  int stops_plan;      /* 1: stop self-management until seen (refer) */
  const char *source;  /* evidence */
} gk_red_flag;

#define GK_RED_FLAG_MAX 16
#define GK_CLINIC_FINDINGS_MAX 64 /* >= the most the rules can emit */

typedef struct gk_intake_result {
  double akps;           /* 0..100, NaN when incomplete */
  int akps_answered;     /* items answered, 0..13 */
  int refer;             /* 1 when any red flag stops the plan */
  gk_urgency urgency;    /* the highest urgency among the red flags */
  size_t n_red_flags;    /* highest urgency first */
  gk_red_flag red_flags[GK_RED_FLAG_MAX];
  /* Every red flag again as a finding (severity GK_SEV_REFER when it stops
     the plan, GK_SEV_WARNING otherwise), then the intake findings
     (intake.*: AKPS band, pain above limits, pain in daily life, history
     pointing beyond the knee, osteoarthritis, downhill pain, shoes and
     surfaces).  code/source/evidence_note are
     static strings (valid for the life of the process). */
  size_t n_findings;
  gk_finding findings[GK_CLINIC_FINDINGS_MAX];
} gk_intake_result;

GK_API gk_status gk_intake_assess(const gk_intake *in, gk_intake_result *out,
                                  gk_err *err);

/* Screen findings (screen.*; the codes, thresholds and sources are in
   data/screen.json and docs/CLINIC.md):
     screen.dorsiflexion_limited     knee-to-wall below the limit (a side)
     screen.dorsiflexion_asymmetry   side difference above the limit
     screen.deep_squat_limited       no full depth
     screen.deep_squat_pain, screen.lunge_pain
     screen.sls_knee_valgus, screen.sls_pelvic_drop, screen.sls_trunk_lean,
     screen.sls_pain                 single-leg squat, per side
     screen.hip_weak                 single-leg bridge reps below target
     screen.hip_asymmetry            bridge reps side difference
     screen.calf_endurance_low, screen.calf_asymmetry
     screen.side_plank_low, screen.side_plank_asymmetry
     screen.hip_abductor_weak, screen.hip_abductor_asymmetry (dynamometer),
     screen.hip_abductor_endurance_low, screen.hip_abductor_reps_asymmetry
                                     side-lying leg lifts to fatigue
     screen.quad_weak, screen.quad_reps_asymmetry (single-leg sit-to-stand),
     screen.quad_asymmetry (dynamometer knee extension)
     screen.foot_pronated, screen.foot_supinated (Foot Posture Index),
     screen.foot_navicular_drop
     screen.mobility_thoracic_rotation, screen.mobility_hip_internal_rotation,
     screen.mobility_hip_external_rotation,
     screen.mobility_hip_rotation_asymmetry, screen.mobility_shoulder_flexion
     screen.hop_pain                 (warning: bone-stress screening sign)
     screen.walk_pain                pain walking 30 minutes
   Each finding's activity_id is 0; value is the measured value, threshold
   the target; for per-side findings the text names the side and
   `side` in the result arrays below tells the plan which side is affected. */
typedef struct gk_screen_result {
  size_t n_findings;
  gk_finding findings[GK_CLINIC_FINDINGS_MAX];
  gk_body_side finding_side[GK_CLINIC_FINDINGS_MAX]; /* per finding */
} gk_screen_result;

GK_API gk_status gk_screen_assess(const gk_screen *s, gk_screen_result *out,
                                  gk_err *err);

/* {"akps" (number or null), "refer" (true/false), "red_flags": [{"code",
    "text", "urgency", "who", "stops_plan", "source"}], "findings": [...],
    "akps_answered", "urgency"} */
GK_API void gk_intake_result_write_json(const gk_intake_result *r,
                                        gk_buf *b);
/* {"refer": false, "findings": [...], "sides": ["left"|"right"|null per
   finding]} (the screen alone never refers; "refer" is kept for the same
   shape as the intake). */
GK_API void gk_screen_result_write_json(const gk_screen_result *r,
                                        gk_buf *b);

#ifdef __cplusplus
}
#endif

#endif /* GK_CLINIC_H */
