#!/usr/bin/env bash
# `gaitkeeper done`: record sessions, list the log, an unknown exercise (with
# close ids), values out of range, and the plan's step moving up after two
# sessions at the target inside the pain limit (and back after a painful one).
# Usage: test_done.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"
have_node=1
command -v node >/dev/null || have_node=0
jcheck() { # name, file, expression (skipped without node)
  if [ $have_node -eq 1 ]; then check "$1" json_has "$2" "$3"; fi
}
export GAITKEEPER_DB="$tmp/g.db"

# 1. An empty log.
"$gk" done --list >"$tmp/empty.txt"
check "empty list: exits 0" test $? -eq 0
check "empty list: says so" grep -q "no exercise session logged yet" "$tmp/empty.txt"
check "empty list: no store created" test ! -e "$tmp/g.db"

# 2. Before any session the plan starts every exercise at step 1.
"$gk" plan --date 2025-06-10 --json >"$tmp/p0.json"
check "plan before: exits 0" test $? -eq 0
jcheck "plan before: iso_quad_set at step 1, adherence unknown" "$tmp/p0.json" \
  'r.exercises.some(e => e.id === "iso_quad_set" && e.step === 1 && e.n_steps === 3 && e.change === 0 && e.adherence === null && e.sessions_14d === 0 && e.next.includes("Start at step 1"))'

# 3. One session at the target (the defaults: this week's step and dose).
"$gk" done iso_quad_set --date 2025-06-08 --pain 2 >"$tmp/d1.txt"
check "record: exits 0" test $? -eq 0
check "record: says what was stored" grep -q "session 1 stored: iso_quad_set on 2025-06-08, step 1 of 3" "$tmp/d1.txt"
check "record: the target dose by default" grep -q "3 sets x 10, 5 s holds, pain 2/10" "$tmp/d1.txt"
check "record: one more to go" grep -q "1 more session" "$tmp/d1.txt"
"$gk" plan --date 2025-06-10 --json >"$tmp/p1.json"
jcheck "plan after one: still step 1" "$tmp/p1.json" \
  'r.exercises.some(e => e.id === "iso_quad_set" && e.step === 1 && e.change === 0 && e.sessions_14d === 1)'

# 4. The second, at the target with pain at the limit (5/10): the step moves up.
"$gk" done iso_quad_set --date 2025-06-09 --sets 3 --reps 10 --hold 5 --pain 5 --note "left knee" >"$tmp/d2.txt"
check "second: exits 0" test $? -eq 0
check "second: the plan moves up" grep -q "Now: step 2 of 3" "$tmp/d2.txt"
"$gk" plan --date 2025-06-10 --json >"$tmp/p2.json"
jcheck "plan after two: step 2, change +1, adherence 2/14" "$tmp/p2.json" \
  'r.exercises.some(e => e.id === "iso_quad_set" && e.step === 2 && e.change === 1 && e.step_name === "Quadriceps sets, 10 s holds" && Math.abs(e.adherence - 2/14) < 1e-9 && e.next.includes("Move up"))'
"$gk" plan --date 2025-06-10 >"$tmp/p2.txt"
check "text plan: this week's step" grep -q "This week: step 2 of 3, Quadriceps sets, 10 s holds" "$tmp/p2.txt"
"$gk" plan --date 2025-06-08 --json >"$tmp/p2early.json"
jcheck "as of the first day: the second is not seen" "$tmp/p2early.json" \
  'r.exercises.some(e => e.id === "iso_quad_set" && e.step === 1 && e.sessions_14d === 1)'

# 5. The default step is now 2; pain over the limit steps back.
"$gk" done iso_quad_set --date 2025-06-10 --pain 6 >"$tmp/d3.txt"
check "third: stored at step 2" grep -q "step 2 of 3" "$tmp/d3.txt"
check "third: steps back" grep -q "Step back to step 1" "$tmp/d3.txt"
"$gk" plan --date 2025-06-10 --json >"$tmp/p3.json"
jcheck "plan after pain 6: step 1, change -1" "$tmp/p3.json" \
  'r.exercises.some(e => e.id === "iso_quad_set" && e.step === 1 && e.change === -1)'

# 6. The list, as text and JSON.
"$gk" done --list >"$tmp/list.txt"
check "list: exits 0" test $? -eq 0
check "list: three sessions" test "$(grep -c iso_quad_set "$tmp/list.txt")" -eq 3
check "list: the note" grep -q "left knee" "$tmp/list.txt"
"$gk" done --list --json >"$tmp/list.json"
jcheck "list json: fields" "$tmp/list.json" \
  'r.length === 3 && r[1].pain === 5 && r[1].hold_s === 5 && r[1].note === "left knee" && r[2].step === 2 && r[0].load_kg === null'

# 7. An unknown exercise: says so, names close ids, stores nothing.
"$gk" done iso_quad_sets --date 2025-06-10 2>"$tmp/bad.err"
check "bad id: exits 1" test $? -eq 1
check "bad id: says so" grep -q "no exercise 'iso_quad_sets'" "$tmp/bad.err"
check "bad id: names the close one" grep -q "close: iso_quad_set" "$tmp/bad.err"

# 8. Out of range: usage errors naming the field, nothing stored.
"$gk" done iso_quad_set --pain 11 2>"$tmp/r1.err"
check "pain 11: exit 2" test $? -eq 2
check "pain 11: names --pain" grep -q -- "--pain takes a whole number from 0 to 10" "$tmp/r1.err"
"$gk" done iso_quad_set --step 4 --date 2025-06-10 2>"$tmp/r2.err"
check "step 4 of 3: exit 2" test $? -eq 2
check "step 4 of 3: names the step" grep -q "step: iso_quad_set has steps 1 to 3 (got 4)" "$tmp/r2.err"
"$gk" done iso_quad_set --date 2025-02-30 2>"$tmp/r3.err"
check "bad date: exit 2" test $? -eq 2
"$gk" done iso_quad_set --load -1 2>"$tmp/r4.err"
check "negative load: exit 2" test $? -eq 2
"$gk" done 2>"$tmp/r5.err"
check "no id: exit 2" test $? -eq 2
"$gk" done iso_quad_set --frobnicate 1 2>"$tmp/r6.err"
check "unknown option: exit 2" test $? -eq 2
check "nothing more stored" test "$(sqlite3 "$tmp/g.db" 'SELECT count(*) FROM exercise_session' 2>/dev/null || echo 3)" = 3
"$gk" done --list --json >"$tmp/list2.json"
jcheck "still three sessions" "$tmp/list2.json" 'r.length === 3'

# 9. The report shows this week's step, adherence and the next sentence.
"$gk" report --date 2025-06-10 >"$tmp/report.txt"
check "report text: exits 0" test $? -eq 0
check "report text: the step and adherence" grep -q "This week: step 1 of 3, Quadriceps sets, 5 s holds; 3 sessions in the last" "$tmp/report.txt"
check "report text: why it stepped back" grep -q "Step back to step 1" "$tmp/report.txt"
"$gk" report --date 2025-06-10 -o "$tmp/report.html" >/dev/null
check "report html: the step in the exercise list" grep -q '<span class="exstep">This week: step 1 of 3, Quadriceps sets, 5 s holds; 3 sessions in the last 14 days (adherence 21%).</span>' "$tmp/report.html"
check "report html: the next sentence" grep -q '<span class="exnext">Step back to step 1' "$tmp/report.html"

# 10. Each value not given is the step's own: --reps alone keeps the hold.
export GAITKEEPER_DB="$tmp/h.db"
"$gk" done iso_quad_set --date 2025-06-08 --reps 8 >"$tmp/h1.txt"
check "reps only: the step's sets and hold kept" grep -q "3 sets x 8, 5 s holds" "$tmp/h1.txt"
summary
