#!/usr/bin/env bash
# `gaitkeeper demo` and `gaitkeeper report` end to end: the demo's store and
# report, the report's outline against the golden file
# (tests/golden/report_demo.txt: headings, chart titles and their text
# alternatives with the key numbers, the load numbers, the finding codes),
# the JSON's numbers, the terminal summary without colour when not on a
# terminal (findings under their titles, repeats shown once with the other
# dates, the walk/run phases as a table, education after the stage), files
# written 0600, usage errors and an empty store (a provisional stage, what
# could not be judged grouped by stage).
# UPDATE_GOLDEN=1 rewrites the golden file from this run.
# Usage: test_report.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
here=$(cd "$(dirname "$0")/.." && pwd)
golden=$here/golden/report_demo.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset GAITKEEPER_DB
pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node not found (needed to read the report's outline and JSON)"
  echo "0 passed, 0 failed"
  exit 0
fi
json_has() { # file, JS expression over `r` that must be true
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (!eval(process.argv[2])) {
      console.error(JSON.stringify(r, null, 1).slice(0, 2000));
      process.exit(1);
    }' "$1" "$2"
}

# The demo: a store, the runs, the answers, the report.
"$gk" demo --dir "$tmp/demo" >"$tmp/demo.out" 2>"$tmp/demo.err"
check "demo exits 0" test $? -eq 0
check "demo wrote the report" test -s "$tmp/demo/report.html"
check "demo prints the report's path" grep -q "Report: $tmp/demo/report.html" "$tmp/demo.out"
check "demo prints the stage and the findings of every source" bash -c 'grep -q "^Stage 1: pain" "$0" &&
  for o in intake pain load gait screen; do grep -Eq "^  (warning|caution|info) +[a-z_.]+ +$o\$" "$0" || exit 1; done' "$tmp/demo.out"
check "demo wrote FIT runs" test "$(ls "$tmp/demo/runs" | grep -c '\.fit$')" -ge 40
check "report file is private (0600)" test "$(stat -c %a "$tmp/demo/report.html")" = 600
check "demo refuses a directory with a store" bash -c '! "$0" demo --dir "$1" >/dev/null 2>&1' "$gk" "$tmp/demo"

# The outline against the golden file.
node "$here/golden/outline.mjs" "$tmp/demo/report.html" >"$tmp/outline.txt"
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$tmp/outline.txt" "$golden"
  echo "golden file rewritten: $golden"
fi
if diff -u "$golden" "$tmp/outline.txt" >"$tmp/outline.diff"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1))
  echo "FAIL: the demo report's outline differs from $golden:"
  head -60 "$tmp/outline.diff"
fi
check "outline has the sections in order" bash -c '
  grep "^h2: " "$0" | sed "s/^h2: //" | tr "\n" "|" | grep -q "^Your stage and this week|Your exercises|When to stop and see someone|For your clinician|What gaitkeeper found|Your course over weeks|Training load and pain|Cadence and speed|Running gait|Why these exercises|Running plan and cadence target|Gates to the next stage|Tests to repeat|Good to know|Data sources and dates|$"' "$tmp/outline.txt"

# The same report again from the store: identical (deterministic).
db=$tmp/demo/gaitkeeper.db
"$gk" --db "$db" report --date 2026-11-01 -o "$tmp/again.html" >"$tmp/again.out"
check "report -o exits 0" test $? -eq 0
check "report -o says where" grep -q "Report written: $tmp/again.html" "$tmp/again.out"
check "report -o is the demo's report" cmp -s "$tmp/demo/report.html" "$tmp/again.html"
# Written whole or not at all, owner-only: an old file is replaced, no
# temporary file stays behind, a failed write leaves the old file.
mkdir "$tmp/out" && echo old >"$tmp/out/r.html" && chmod 644 "$tmp/out/r.html"
"$gk" --db "$db" report -o "$tmp/out/r.html" --date 2026-11-01 >/dev/null
check "report -o replaces the file, 0600" bash -c 'test "$(stat -c %a "$0")" = 600 && grep -q "<!DOCTYPE html>" "$0"' "$tmp/out/r.html"
check "report -o leaves no temporary file" test "$(ls "$tmp/out" | wc -l)" -eq 1
if [ "$(id -u)" -ne 0 ]; then # root writes anywhere
  echo old >"$tmp/out/r.html"; chmod 555 "$tmp/out"
  "$gk" --db "$db" report -o "$tmp/out/r.html" --date 2026-11-01 >/dev/null 2>"$tmp/ro.err"
  check "report -o into a read-only folder: exit 1, old file kept" bash -c 'test $0 -eq 1 && grep -qx old "$1"' $? "$tmp/out/r.html"
  chmod 755 "$tmp/out"
fi

# JSON: the numbers the page shows.
"$gk" --db "$db" report --date 2026-11-01 --json >"$tmp/r.json"
check "report --json exits 0" test $? -eq 0
check "json: date and 112 days" json_has "$tmp/r.json" 'r.date === "2026-11-01" && r.load.daily.length === 112'
check "json: the restart spike and the long-run spikes" json_has "$tmp/r.json" \
  'r.findings.filter(f => f.code === "load.single_run_spike").length >= 2 && r.load.spike_days >= 4'
check "json: the three-week gap is shaded" json_has "$tmp/r.json" 'r.load.rest_gap_days >= 14'
check "json: pain over the limit, most severe first" json_has "$tmp/r.json" \
  'r.findings[0].severity === "warning" || r.findings[0].severity === "refer"'
check "json: longest run in 30 days is the 20 km" json_has "$tmp/r.json" \
  'Math.abs(r.load.longest_run_30d_m - 20000) < 150'
check "json: low cadence for the speed" json_has "$tmp/r.json" \
  'r.cadence.runs >= 20 && r.cadence.mean_spm > 150 && r.cadence.mean_spm < 165'
check "json: every finding has its evidence" json_has "$tmp/r.json" \
  'r.findings.every(f => typeof f.source === "string" && f.source.length > 0)'
check "json: every finding has a written title, not one made from its code" json_has "$tmp/r.json" \
  'r.findings.every(f => { const s = f.code.split(".").pop().replace(/_/g, " ");
     return typeof f.title === "string" && f.title !== s[0].toUpperCase() + s.slice(1); })'
check "json: every finding kept; repeats point to the one shown" json_has "$tmp/r.json" \
  'r.findings.filter(f => f.code === "pain.over_limit").length >= 3 &&
   r.findings.filter(f => f.repeat_of !== null).length >= 3 &&
   r.findings.every(f => f.repeat_of === null || (r.findings[f.repeat_of].code === f.code &&
     r.findings[f.repeat_of].repeat_of === null))'
check "json: the plan chains its findings" json_has "$tmp/r.json" \
  'r.findings.filter(f => f.how_sure && f.chain).length >= 10'
check "json: a settled plan with its education" json_has "$tmp/r.json" \
  'r.plan.provisional === false && r.plan.stage === 1 && r.plan.education.length >= 3 &&
   r.plan.education.every(e => e.text && e.source)'

# Text: no colour when not on a terminal; the sections are there.
"$gk" --db "$db" report --date 2026-11-01 >"$tmp/r.txt"
check "report text exits 0" test $? -eq 0
check "text: no ANSI escapes off a terminal" bash -c '! grep -q $'"'"'\033'"'"' "$0"' "$tmp/r.txt"
check "text: stage, findings, clinician box" bash -c 'grep -q "Your stage and this week" "$0" && grep -q "pain.over_limit" "$0" && grep -q "When to see a clinician" "$0"' "$tmp/r.txt"
check "text: repeats shown once with the other dates" bash -c '
  test "$(grep -c "WARNING  Pain over the limits" "$0")" = 1 &&
  grep -q "^    2026-10-31 (pain.over_limit); also on 2026-10-29, 2026-10-25$" "$0" &&
  test "$(grep -c "(load.single_run_spike)" "$0")" = 1' "$tmp/r.txt"
check "text: titles, not codes, head the findings" bash -c '
  grep -q "CAUTION  Knee moves inward in the single-leg squat" "$0" && ! grep -q "Sls knee valgus" "$0"' "$tmp/r.txt"
check "text: the walk/run phases as a table, no phase to start at while running is paused" bash -c '
  grep -q "^  Phase  Walk/run pattern" "$0" && grep -q "^  1 .*2 min walk, 3 min run" "$0" &&
  ! grep -q "start here" "$0" && grep -q "^  6 .*27 min continuous" "$0"' "$tmp/r.txt"
check "text: the latest break" grep -q "Latest break: no run from 2026-09-07 to 2026-09-27 (21 days)" "$tmp/r.txt"
check "text: education after the stage, with sources" bash -c '
  awk "/^Good to know/{g=NR} /^What gaitkeeper found/{f=NR} END{exit !(g && f && g < f)}" "$0" &&
  grep -q "(Esculier et al. 2018" "$0"' "$tmp/r.txt"
check "html: the phases table and the chains" bash -c '
  grep -q "<th scope=\"col\">Walk/run pattern</th>" "$0" && grep -q "How sure:</strong>" "$0" &&
  grep -q "Also on:</strong>" "$0"' "$tmp/demo/report.html"

# An empty store: the report says what is missing.
GAITKEEPER_DB=$tmp/none.db "$gk" report --date 2026-11-01 >"$tmp/empty.txt"
check "empty store exits 0" test $? -eq 0
check "empty store: no runs, no gait, a plan from nothing known" bash -c 'grep -q "No runs yet" "$0" && grep -q "No gait capture yet" "$0" && grep -q "Stage 1: pain" "$0"' "$tmp/empty.txt"
check "empty store: the stage is provisional, what is unknown is listed" bash -c '
  grep -q "^  Stage 1: pain (PROVISIONAL)$" "$0" && grep -q "Not yet known" "$0" &&
  grep -q "No intake answers" "$0" &&
  for st in 1 2 3 4; do test "$(grep -c "^    - Stage $st gates not measured:" "$0")" = 1 || exit 1; done &&
  ! grep -q "not measured\.$" "$0"' "$tmp/empty.txt"
GAITKEEPER_DB=$tmp/none.db "$gk" report --date 2026-11-01 --json >"$tmp/empty.json"
check "empty store json: provisional, unknown, education" json_has "$tmp/empty.json" \
  'r.plan.provisional === true && r.plan.unknown.length >= 17 && r.plan.education.length >= 3'

check "empty store is not created" test ! -e "$tmp/none.db"
GAITKEEPER_DB=$tmp/none.db "$gk" report --date 2026-11-01 -o "$tmp/empty.html" >/dev/null
check "empty store: HTML written" grep -q "No gait capture yet" "$tmp/empty.html"
check "empty store html: provisional next to the stage, unknown gates by stage" bash -c '
  grep -q "<strong>Stage 1: Calm the pain</strong><span class=\"badge\">Provisional</span>" "$0" &&
  grep -q "<strong>Stage 4 gates not measured:</strong>" "$0" && grep -q "0 of 4 met; 4 not measured\." "$0"' "$tmp/empty.html"

# Usage errors.
"$gk" --db "$db" report --bogus >/dev/null 2>&1
check "unknown option is a usage error" test $? -eq 2
"$gk" --db "$db" report --date 2026-13-01 >/dev/null 2>&1
check "bad date is a usage error" test $? -eq 2
"$gk" --db "$db" report -o >/dev/null 2>&1
check "-o without a file is a usage error" test $? -eq 2
"$gk" --db "$db" report -o "$tmp/no/such/dir/r.html" 2>"$tmp/err.txt"
check "unwritable output fails" test $? -eq 1
check "the error names the file" grep -q "gaitkeeper: report: $tmp/no/such/dir/r.html" "$tmp/err.txt"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
