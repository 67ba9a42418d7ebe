#!/usr/bin/env bash
# `gaitkeeper course`: an empty store, a first visit in stage 1 that pain
# settling and a second intake move to stage 2 (the change dated, with its
# gate), the AKPS over time, the JSON shape, and bad arguments.
# Usage: test_course.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"
have_node=1
command -v node >/dev/null || have_node=0
jcheck() { # name, file, expression (skipped without node)
  if [ $have_node -eq 1 ]; then check "$1" json_has "$2" "$3"; fi
}
export GAITKEEPER_DB="$tmp/g.db"

"$gk" course --date 2026-03-01 >"$tmp/empty.txt"
check "empty store: exits 0" test $? -eq 0
check "empty store: says what starts it" grep -q "No records yet" "$tmp/empty.txt"
check "empty store: no store created" test ! -e "$tmp/g.db"

flags='"trauma": false, "swelling_within_2h": false, "locking": false, "giving_way": false, "night_pain": false, "rest_pain": false, "fever_or_unwell": false, "hot_red_swollen": false, "can_bear_weight": true, "can_flex_90": true, "bony_tenderness": false, "pain_on_hop": false, "hip_or_groin_pain": false, "constant_pain": false'
cat >"$tmp/i0.json" <<J
{"age": 34, "sex": "female", "onset": "gradual", $flags, "morning_stiffness_min": 5,
 "pain_run": 6, "pain_daily": 3, "last_run_settled": false, "walk_30min_pain": false,
 "akps": [1,1,1,2,1,2,1,1,1,1,1,1,1]}
J
cat >"$tmp/i2.json" <<J
{"age": 34, "sex": "female", "onset": "gradual", $flags, "morning_stiffness_min": 5,
 "pain_run": 2, "pain_daily": 1, "last_run_settled": true, "walk_30min_pain": false,
 "akps": [0,0,0,1,0,1,0,1,1,0,1,0,0]}
J
cat >"$tmp/s0.json" <<J
{"knee_to_wall_cm": {"left": 7, "right": 8}, "deep_squat": {"full_depth": false, "pain": true},
 "lunge": {"pain": true}, "walk_30min_pain": false}
J
"$gk" intake --answers "$tmp/i0.json" --date 2026-03-02 >/dev/null
check "intake stored" test $? -eq 0
"$gk" screen --answers "$tmp/s0.json" --date 2026-03-02 >/dev/null
check "screen stored" test $? -eq 0
for d in 2026-03-04 2026-03-06 2026-03-09 2026-03-11 2026-03-13; do
  "$gk" pain add --date $d --after 2 --morning 1 >/dev/null
done
"$gk" intake --answers "$tmp/i2.json" --date 2026-03-16 >/dev/null
check "second intake stored" test $? -eq 0

"$gk" course --date 2026-03-20 >"$tmp/c.txt" 2>"$tmp/c.err"
check "course: exits 0" test $? -eq 0
check "course: the first visit in stage 1" grep -q "2026-03-02  stage 1 pain.*\[visit\]" "$tmp/c.txt"
check "course: the change on the second visit, with its gate" \
  grep -q "2026-03-16: stage 1 pain -> 2 mobility. Pain during running" "$tmp/c.txt"
check "course: the AKPS, with the important change said" \
  grep -q "2026-03-16  88  (+21 since the first: an important improvement)" "$tmp/c.txt"
check "course: the screen's values on the day of the screen only" \
  grep -q "Knee-to-wall distance, the shorter side (target >= 10 cm): 2026-03-02 7$" "$tmp/c.txt"
check "course: nothing on stderr" test ! -s "$tmp/c.err"

"$gk" course --date 2026-03-20 --json >"$tmp/c.json"
check "course --json: exits 0" test $? -eq 0
jcheck "course --json: days, changes, akps and the MICs" "$tmp/c.json" \
  'r.days[0].date === "2026-03-02" && r.days[0].stage === 1 && r.days[0].visit === true && r.changes.length === 1 && r.changes[0].date === "2026-03-16" && r.changes[0].from === 1 && r.changes[0].to === 2 && r.changes[0].gate === "pain_during_running" && r.changes[0].why.includes("Pain in daily life (intake): met (1/10") && r.akps.length === 2 && r.akps[1].score === 88 && r.akps_mic === 10 && Math.abs(r.pain_mic - 1.16) < 1e-9 && r.gates.length === r.days[0].met.length && r.days.filter(d => d.screen).length === 1 && r.days.filter(d => d.visit).length === 2 && r.gates.find(g => g.name === "knee_to_wall_cm").from === "screen"'
# as of a day before the second visit: no change yet
"$gk" course --date 2026-03-10 --json >"$tmp/c10.json"
jcheck "course as of an earlier day: what was known then" "$tmp/c10.json" \
  'r.changes.length === 0 && r.akps.length === 1'

# answers that cannot be read (written into the file by hand): said, not
# silently dropped
if command -v sqlite3 >/dev/null; then
  sqlite3 "$tmp/g.db" "INSERT INTO answers (kind, day, answers, created_at, runner_id) VALUES ('intake', $(( $(date -u -d 2026-03-18 +%s) / 86400 )), '{\"akps\": [9]}', 0, (SELECT min(id) FROM runner))"
  "$gk" course --date 2026-03-20 >"$tmp/u.txt"
  check "unreadable answers: said" grep -q "Note: the intake answers of 2026-03-18 cannot be read" "$tmp/u.txt"
  "$gk" course --date 2026-03-20 --json >"$tmp/u.json"
  jcheck "unreadable answers: in the JSON" "$tmp/u.json" \
    'r.unreadable.length === 1 && r.unreadable[0].date === "2026-03-18" && r.unreadable[0].kind === "intake" && r.unreadable_total === 1 && r.akps.length === 2'
else
  echo "skipped: unreadable answers (no sqlite3 to write them by hand)"
fi

"$gk" course --date 2026-02-30 >/dev/null 2>"$tmp/bad.err"
check "bad date: exits 2" test $? -eq 2
check "bad date: says so" grep -q "course: --date takes YYYY-MM-DD (got '2026-02-30')" "$tmp/bad.err"
"$gk" course --frobnicate >/dev/null 2>"$tmp/bad2.err"
check "unknown argument: exits 2" test $? -eq 2
summary
