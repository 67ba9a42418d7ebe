#!/usr/bin/env bash
# `gaitkeeper plan` end to end: an empty store, a red flag (refer), a classic
# runner's knee with a screen, the exports (FIT workouts, metronome WAV) and
# the usage errors.
# Usage: test_plan.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
data=$2
. "$(dirname "$0")/lib.sh"
have_node=1
command -v node >/dev/null || have_node=0
jcheck() { # name, file, expression (skipped without node)
  if [ $have_node -eq 1 ]; then check "$1" json_has "$2" "$3"; fi
}

# 1. No store yet: a provisional stage 1, what was not judged, no store made.
export GAITKEEPER_DB="$tmp/empty.db"
"$gk" plan --date 2025-06-01 --json >"$tmp/empty.json"
check "empty: exits 0" test $? -eq 0
check "empty: no store created" test ! -e "$tmp/empty.db"
jcheck "empty: stage 1 provisional" "$tmp/empty.json" \
  'r.stage === 1 && r.stage_name === "pain" && r.provisional === true && r.refer === false'
jcheck "empty: unknowns listed" "$tmp/empty.json" 'r.unknown.length >= 4'
jcheck "empty: member order" "$tmp/empty.json" \
  'Object.keys(r).slice(0, 8).join() === "stage,stage_name,gates,exercises,running,cadence,refer,findings"'
jcheck "empty: no running until the gates before it are known" "$tmp/empty.json" \
  'r.running.mode === "not_yet" && r.running.phases.length === 6 && r.running.max_single_run_m === null && r.running.text.includes("No running yet")'
"$gk" plan --date 2025-06-01 >"$tmp/empty.txt"
check "empty: text names the stage" grep -q "Stage 1 of 4: pain" "$tmp/empty.txt"

# 2. A red flag: swelling within two hours of an injury.
export GAITKEEPER_DB="$tmp/refer.db"
cat >"$tmp/trauma.json" <<'J'
{"age": 31, "onset": "sudden", "trauma": true, "swelling_within_2h": true,
 "can_bear_weight": true, "can_flex_90": true, "pain_run": 8, "pain_daily": 6}
J
"$gk" intake --answers "$tmp/trauma.json" --date 2025-06-01 >/dev/null 2>&1
check "refer: intake stored" test $? -le 1
"$gk" plan --date 2025-06-01 --json >"$tmp/refer.json"
check "refer: exits 0" test $? -eq 0
jcheck "refer: stage 0, urgent, no exercises, no running" "$tmp/refer.json" \
  'r.stage === 0 && r.refer === true && r.urgency === "urgent" && r.exercises.length === 0 && r.running.mode === "stop" && typeof r.refer_to === "string"'
"$gk" plan export --fit "$tmp/refer-fit" --date 2025-06-01 2>"$tmp/refer.err"
check "refer: no workouts (exit 1)" test $? -eq 1
check "refer: says why" grep -q "clinician" "$tmp/refer.err"
"$gk" plan export --wav "$tmp/x.wav" --date 2025-06-01 2>"$tmp/nobpm.err"
check "refer: no cadence target, no --bpm: usage error" test $? -eq 2
check "refer: no wav left" test ! -e "$tmp/x.wav"

# 3. Classic runner's knee with a screen that finds a stiff ankle.
export GAITKEEPER_DB="$tmp/pfp.db"
cat >"$tmp/pfp.json" <<'J'
{"age": 24, "sex": "female", "pain_location": "around_kneecap", "onset": "gradual",
 "trauma": false, "locking": false, "giving_way": false, "night_pain": false,
 "rest_pain": false, "fever_or_unwell": false, "hot_red_swollen": false,
 "can_bear_weight": true, "bony_tenderness": false, "pain_on_hop": false,
 "morning_stiffness_min": 0, "worse_with": ["stairs_down", "squat", "sitting"],
 "pain_run": 5, "pain_daily": 3}
J
cat >"$tmp/screen.json" <<'J'
{"knee_to_wall_cm": {"left": 7, "right": 11}, "deep_squat": {"full_depth": true, "pain": true},
 "single_leg_squat": {"left": {"knee_valgus": true, "pelvic_drop": true, "trunk_lean": false, "pain": false},
                      "right": {"knee_valgus": false, "pelvic_drop": false, "trunk_lean": false, "pain": false}},
 "walk_30min_pain": false}
J
"$gk" intake --answers "$tmp/pfp.json" --date 2025-06-01 >/dev/null 2>&1
"$gk" screen --answers "$tmp/screen.json" --date 2025-06-01 >/dev/null 2>&1
"$gk" plan --date 2025-06-01 --json >"$tmp/pfp-plan.json"
check "pfp: exits 0" test $? -eq 0
jcheck "pfp: stage 1, not provisional" "$tmp/pfp-plan.json" \
  'r.stage === 1 && r.provisional === false && r.refer === false'
jcheck "pfp: gates with value and target" "$tmp/pfp-plan.json" \
  'r.gates.some(g => g.name === "pain_during_running" && g.met === true && g.value === 5 && g.target === 5) && r.gates.some(g => g.name === "pain_daily_life" && g.met === false && g.value === 3 && g.target === 2)'
jcheck "pfp: quadriceps sets and ankle mobilisation" "$tmp/pfp-plan.json" \
  'r.exercises.some(e => e.id === "iso_quad_set") && r.exercises.some(e => e.id === "knee_to_wall_mobilisation" && e.why.length > 0)'
jcheck "pfp: screen findings in their chains" "$tmp/pfp-plan.json" \
  'r.findings.some(f => f.code === "screen.dorsiflexion_limited" && f.chain_id === "ankle_mobility")'

# Exports.
"$gk" plan export --fit "$tmp/fit" --date 2025-06-01 >/dev/null
check "fit: exits 0" test $? -eq 0
check "fit: six walk/run workouts" test "$(ls "$tmp/fit" | grep -c '^walk_run_[1-6]\.fit$')" -eq 6
check "fit: each is a FIT file" bash -c "for f in '$tmp'/fit/*.fit; do [ \"\$(dd if=\$f bs=1 skip=8 count=4 2>/dev/null)\" = .FIT ] || exit 1; done"
"$gk" plan export --wav "$tmp/click.wav" --bpm 170 --minutes 0.5 --date 2025-06-01 >/dev/null
check "wav: exits 0" test $? -eq 0
check "wav: size 44 + 0.5 min x 22050 Hz x 2 bytes" test "$(stat -c %s "$tmp/click.wav")" -eq 1323044
check "wav: RIFF/WAVE" test "$(head -c 4 "$tmp/click.wav")$(dd if="$tmp/click.wav" bs=1 skip=8 count=4 2>/dev/null)" = "RIFFWAVE"

# 3b. Re-tests: when the Kujala score and the screen are due, from the days
#     the store holds them (a complete score; a knee-to-wall gate not met).
export GAITKEEPER_DB="$tmp/rt.db"
cat >"$tmp/rt-intake.json" <<'J'
{"age": 30, "onset": "gradual", "trauma": false, "locking": false, "giving_way": false,
 "night_pain": false, "rest_pain": false, "fever_or_unwell": false, "hot_red_swollen": false,
 "can_bear_weight": true, "bony_tenderness": false, "pain_on_hop": false,
 "morning_stiffness_min": 0, "pain_run": 1, "pain_daily": 0,
 "akps": [0,0,0,0,0,0,0,0,0,0,0,0,0]}
J
"$gk" intake --answers "$tmp/rt-intake.json" --date 2025-06-01 >/dev/null 2>&1
"$gk" screen --answers "$tmp/screen.json" --date 2025-06-01 >/dev/null 2>&1
"$gk" plan --date 2025-06-14 --json >"$tmp/rt-14.json"
"$gk" plan --date 2025-06-15 --json >"$tmp/rt-15.json"
"$gk" plan --date 2025-06-29 --json >"$tmp/rt-29.json"
jcheck "re-tests: the last member" "$tmp/rt-14.json" 'Object.keys(r).pop() === "retests"'
jcheck "re-tests: 13 days after the screen, not yet; the score 28 days after the intake" "$tmp/rt-14.json" \
  'r.stage === 2 && r.retests.length === 2 && r.retests[0].test === "akps" && r.retests[0].due === "2025-06-29" && r.retests[0].due_now === false && r.retests[1].test === "screen" && r.retests[1].due === "2025-06-15" && r.retests[1].due_now === false'
jcheck "re-tests: 14 days after the screen, due" "$tmp/rt-15.json" \
  'r.retests[1].due_now === true && r.retests[0].due_now === false'
jcheck "re-tests: 28 days after the intake, due" "$tmp/rt-29.json" \
  'r.retests[0].due_now === true && r.retests[0].why.includes("100/100")'
"$gk" plan --date 2025-06-15 >"$tmp/rt-15.txt"
check "re-tests: the text lists them" bash -c 'grep -q "^Re-tests" "$0" && grep -q "\[due now\] Repeat the functional screen" "$0" && grep -q "\[due 2025-06-29\] Repeat the Kujala" "$0"' "$tmp/rt-15.txt"
export GAITKEEPER_DB="$tmp/pfp.db"

# 4. As of a day: answers, pain entries and captures after it are invisible,
#    and said to be left out; a capture 91 days or more before it is old.
"$gk" intake --answers "$tmp/trauma.json" --date 2025-07-01 >/dev/null 2>&1
"$gk" pain add --date 2025-06-10 --during 2 --note later >/dev/null
"$gk" gait --fps 30 --date 2025-03-01 "$data/gait2d/y_coco_rear.csv" >/dev/null 2>&1
check "as of: capture of 2025-03-01 stored" test $? -eq 0
"$gk" gait --fps 30 --date 2025-08-01 "$data/gait2d/y_coco_rear.csv" >/dev/null 2>&1
"$gk" plan --date 2025-06-01 --json >"$tmp/asof.json" 2>"$tmp/asof.err"
check "as of: exits 0" test $? -eq 0
jcheck "as of: the later red-flag intake is not seen (stage 1, no referral)" "$tmp/asof.json" \
  'r.stage === 1 && r.refer === false'
check "as of: later answers said to be left out" \
  grep -q "intake answers given on 2025-07-01, after 2025-06-01, are left out" "$tmp/asof.err"
check "as of: the later pain entry said to be left out" \
  grep -q "0 runs and 1 pain log entry recorded for later days are left out" "$tmp/asof.err"
check "as of: the capture of 2025-03-01 is 92 days old" \
  grep -q "gait capture is from 2025-03-01, 92 days (13 weeks) before 2025-06-01" "$tmp/asof.err"
"$gk" plan --date 2025-05-30 >"$tmp/asof.txt" 2>"$tmp/asof-text.err"
check "as of: the text plan shows its notes" grep -q "^Notes" "$tmp/asof.txt"
check "as of: 90 days is not old yet" bash -c "! grep -q 'gait capture is from' '$tmp/asof.txt'"
check "as of: notes not repeated on stderr" test ! -s "$tmp/asof-text.err"
"$gk" plan --date 2025-07-01 --json >"$tmp/asof-late.json" 2>/dev/null
jcheck "as of: on the day of the red-flag intake, referral" "$tmp/asof-late.json" \
  'r.stage === 0 && r.refer === true'
"$gk" report --date 2025-06-01 --json >"$tmp/asof-report.json" 2>"$tmp/asof-report.err"
check "as of: report exits 0" test $? -eq 0
jcheck "as of: report sources are those of 2025-06-01" "$tmp/asof-report.json" \
  'const s = Object.fromEntries(r.sources.filter(x => x.what !== "Note").map(x => [x.what, x])); s["Gait capture"].from === "2025-03-01" && s["Gait capture"].detail.includes("old") && s["Intake answers"].from === "2025-06-01" && s["Pain log"].detail === "0 entries" && r.sources.some(x => x.what === "Note" && x.detail.includes("2025-07-01"))'
check "as of: report keeps its notes on the page, not stderr" test ! -s "$tmp/asof-report.err"

# Usage errors.
"$gk" plan export --wav "$tmp/y.wav" --bpm 500 2>/dev/null
check "bpm out of range: exit 2" test $? -eq 2
"$gk" plan --date 2025-13-01 2>/dev/null
check "bad date: exit 2" test $? -eq 2
"$gk" plan export 2>/dev/null
check "export without --fit or --wav: exit 2" test $? -eq 2
"$gk" plan --bogus 2>/dev/null
check "unknown option: exit 2" test $? -eq 2

summary
