#!/usr/bin/env bash
# `gaitkeeper clinician`: the clinician's entries over the plan -- stored,
# checked, dated (as of --date), applied and shown as the clinician's.
# Usage: test_clinician.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"
have_node=1
command -v node >/dev/null || have_node=0
jcheck() { # name, file, expression (skipped without node)
  if [ $have_node -eq 1 ]; then check "$1" json_has "$2" "$3"; fi
}
export GAITKEEPER_DB="$tmp/c.db"

# Nothing stored yet: an empty list, no store made.
out=$("$gk" clinician list)
check "empty: exit 0" test $? -eq 0
check "empty: says so" test "$out" = "No clinician's entries."
check "empty: no store created" test ! -e "$tmp/c.db"

# Checked before storing: each a usage error (exit 2) saying what is wrong.
"$gk" clinician stage 3 --date 2025-06-01 2>"$tmp/e1"
check "stage without a reason: exit 2" test $? -eq 2
check "stage without a reason: says so" grep -q "needs a reason" "$tmp/e1"
"$gk" clinician stage 5 --reason x 2>"$tmp/e2"
check "stage 5: exit 2" test $? -eq 2
"$gk" clinician add-exercise no_such_thing 2>"$tmp/e3"
check "unknown exercise: exit 2, names the data" bash -c "grep -q exercises.json '$tmp/e3'"
"$gk" clinician note "$(printf 'bell\033[2J')" 2>"$tmp/e4"
check "control characters: exit 2" test $? -eq 2
"$gk" clinician finding Bad "x" 2>/dev/null
check "finding name: exit 2" test $? -eq 2
"$gk" clinician finding tilt "x" --severity refer 2>/dev/null
check "finding of severity refer: exit 2" test $? -eq 2
"$gk" clinician note "$(head -c 1100 /dev/zero | tr '\0' a)" 2>"$tmp/e5"
check "a note too long: exit 2" test $? -eq 2
check "nothing stored by the refused ones" test ! -e "$tmp/c.db"

# An intake (stage 1), then the clinician's entries.
cat >"$tmp/intake.json" <<'J'
{"age": 24, "sex": "female", "pain_location": "around_kneecap", "onset": "gradual",
 "trauma": false, "locking": false, "giving_way": false, "night_pain": false,
 "rest_pain": false, "fever_or_unwell": false, "hot_red_swollen": false,
 "can_bear_weight": true, "bony_tenderness": false, "pain_on_hop": false,
 "morning_stiffness_min": 0, "pain_now": 2, "pain_run": 5, "pain_daily": 3}
J
"$gk" intake --answers "$tmp/intake.json" --date 2025-06-01 >/dev/null 2>&1
"$gk" clinician stage 2 --reason "daily pain settled on testing" --by "A. Physio" --date 2025-06-05 >"$tmp/o1"
check "stage stored: exit 0" test $? -eq 0
check "stage stored: says the id" grep -q "stored clinician's entry 1 (stage, from 2025-06-05)" "$tmp/o1"
"$gk" clinician drop-exercise hip_flexor_stretch --reason "no hip flexor tightness" --date 2025-06-05 >/dev/null
"$gk" clinician add-exercise side_plank --dose "2 x 20 s each side" --date 2025-06-05 >/dev/null
"$gk" clinician finding lateral_tilt "Lateral patellar tilt on palpation" --severity warning --date 2025-06-05 >/dev/null
"$gk" clinician note "Night shifts: trains at 6 am" --date 2025-06-05 >/dev/null
check "store is private" test "$(stat -c %a "$tmp/c.db")" = 600

"$gk" plan --date 2025-06-04 --json >"$tmp/before.json"
jcheck "as of the day before: the computed plan, untouched" "$tmp/before.json" \
  'r.stage === 1 && r.stage_by_clinician === false && r.clinician.length === 0 && !r.findings.some(f => f.origin === "clinician")'
"$gk" plan --date 2025-06-05 --json >"$tmp/after.json"
jcheck "from the day: the clinician's stage, with the computed one beside it" "$tmp/after.json" \
  'r.stage === 2 && r.stage_computed === 1 && r.stage_by_clinician === true'
jcheck "exercises: dropped, added with its dose, marked" "$tmp/after.json" \
  '!r.exercises.some(e => e.id === "hip_flexor_stretch") && r.exercises.some(e => e.id === "side_plank" && e.dose === "2 x 20 s each side" && e.by_clinician === "added")'
jcheck "their finding, as theirs" "$tmp/after.json" \
  'r.findings.some(f => f.code === "clinician.lateral_tilt" && f.origin === "clinician" && f.severity === "warning")'
jcheck "every entry listed with what it did" "$tmp/after.json" \
  'r.clinician.length === 5 && r.clinician.every(c => c.applied === true && typeof c.effect === "string") && r.clinician[0].author === "A. Physio"'
"$gk" plan --date 2025-06-05 >"$tmp/after.txt"
check "text: the stage says who set it and why" grep -q "Set by A. Physio on 2025-06-05: daily pain settled" "$tmp/after.txt"
check "text: the added exercise is marked" grep -q "Side plank (added by the clinician)" "$tmp/after.txt"
check "text: the entries are listed" grep -q "The clinician's entries (5)" "$tmp/after.txt"
"$gk" report --date 2025-06-05 --json >"$tmp/report.json"
jcheck "the report shows their finding as theirs" "$tmp/report.json" \
  'r.findings.some(f => f.code === "clinician.lateral_tilt" && f.origin === "clinician")'
jcheck "the report's plan lists every entry, the stage as theirs" "$tmp/report.json" \
  'r.plan.stage === 2 && r.plan.stage_by_clinician === true && r.plan.clinician.length === 5 && r.plan.clinician.some(c => c.kind === "note" && c.text.includes("Night shifts"))'
"$gk" report --date 2025-06-05 -o "$tmp/report.html" >/dev/null
check "report page: the stage says who set it" grep -q "Set by A. Physio</strong> on 2025-06-05: daily pain settled on testing (the tests alone give stage 1)" "$tmp/report.html"
check "report page: the clinician's entries, each with what it did" bash -c \
  'grep -q "The clinician&#8217;s entries" "$0" && grep -q "dropped the exercise hip_flexor_stretch (reason: no hip flexor tightness). Dropped from the plan." "$0"' "$tmp/report.html"
"$gk" report --date 2025-06-05 >"$tmp/report.txt"
check "report text: the entries listed" grep -q "^The clinician's entries" "$tmp/report.txt"
"$gk" report --date 2025-06-04 -o "$tmp/report0.html" >/dev/null
check "report the day before: no entries section" bash -c '! grep -q "clinician&#8217;s entries" "$0"' "$tmp/report0.html"
"$gk" clinician list --json >"$tmp/list.json"
jcheck "list --json: all five, oldest first" "$tmp/list.json" \
  'r.length === 5 && r[0].kind === "stage" && r[4].kind === "note"'
"$gk" clinician list --date 2025-06-04 --json >"$tmp/list0.json"
jcheck "list as of a day before them: none" "$tmp/list0.json" 'r.length === 0'
"$gk" clinician bogus 2>/dev/null
check "unknown entry kind: exit 2" test $? -eq 2
summary
