#!/usr/bin/env bash
# The demo's report reads like a handout: tests/render/handout_check.mjs
# finds no contradiction about running, cadence or pain limits, no
# non-refer finding in the red-flag box and no jargon in the runner's
# sheet (and fails on pages that have them, to show it can); the runner's
# sheet alone prints on one A4 page (headless Chromium --print-to-pdf,
# pages counted in the PDF).  Skips the print check, saying so, only
# without chromium; skips everything without node.
# Usage: test_report_handout.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node not found"
  echo "0 passed, 0 failed"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
checker=$here/render/handout_check.mjs

"$gk" demo --dir "$tmp/demo" >/dev/null 2>&1
check "demo exits 0" test -s "$tmp/demo/report.html"
"$gk" --db "$tmp/demo/gaitkeeper.db" plan --json --date 2026-11-01 >"$tmp/plan.json"
check "the demo's plan pauses running" node -e '
  const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  process.exit(p.running.mode === "pause_then_walk_run" ? 0 : 1)' "$tmp/plan.json"
page=$tmp/demo/report.html
check "the page is consistent" node "$checker" "$page" "$tmp/plan.json"

# The checker fails on pages that contradict themselves, each for its own
# reason: caught PAGE PLAN PATTERN -- exits 1 and prints PATTERN.
caught() { local out; out=$(node "$checker" "$1" "$2"); test $? -eq 1 && grep -q "$3" <<<"$out"; }
sed 's|<h3>This week</h3><ul>|&<li>Keep running as usual.</li>|' "$page" >"$tmp/go.html"
check "running held and prescribed in two sentences is caught" caught "$tmp/go.html" "$tmp/plan.json" 'running: "Pain during running is over 5/10: stop running'
sed 's|<div class="clinical">|&<p>Keep any single run no more than 10% longer than your longest run of the previous 30 days.</p>|' "$page" >"$tmp/cap.html"
check "a run-cap rule in the clinician's part while running is held is caught" caught "$tmp/cap.html" "$tmp/plan.json" 'the plan holds running (pause_then_walk_run) but "Keep any single run'
sed 's|<div class="clinical">|&<p>Pain during exercise: never above 4/10.</p>|' "$page" >"$tmp/max.html"
check "a second pain maximum in the clinician's part is caught" caught "$tmp/max.html" "$tmp/plan.json" "pain: two maxima"
sed 's|<div class="clinical">|&<p>Pain is fine ideally under 3/10.</p>|' "$page" >"$tmp/ideal.html"
check "a second pain ideal is caught" caught "$tmp/ideal.html" "$tmp/plan.json" "against the plan's ideal 2/10"
sed 's|Deep squat without pain||' "$page" >"$tmp/gate.html"
check "a gate before running left out of the runner's sheet is caught" caught "$tmp/gate.html" "$tmp/plan.json" 'the gate "Deep squat without pain" is not named'
# a plan that prescribes walk/run: two cadence targets disagree
node -e '
  const fs = require("fs"); const p = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  p.running.mode = "walk_run"; p.cadence.target_spm = 167;
  fs.writeFileSync(process.argv[2], JSON.stringify(p))' "$tmp/plan.json" "$tmp/walkrun.json"
sed -e 's|<h3>This week</h3><ul>|&<li>Cadence: aim for about 167 steps per minute on easy runs.</li>|' \
    -e 's|<div class="clinical">|&<p>Target about 172 steps/min.</p>|' "$page" >"$tmp/cad2.html"
sed 's|<h3>This week</h3><ul>|&<li>Effort: RPE 3.</li>|' "$page" >"$tmp/rpe.html"
check "a glossary term on the runner's sheet is caught" caught "$tmp/rpe.html" "$tmp/plan.json" 'the term "RPE"'
sed 's|<strong>ICC</strong>|ICC|' "$page" >"$tmp/icc.html"
check "a glossary term not explained is caught" caught "$tmp/icc.html" "$tmp/plan.json" '"ICC" explained 0 times'
check "two cadence targets are caught" caught "$tmp/cad2.html" "$tmp/walkrun.json" "cadence: two targets"
check "a walk/run plan against a page that holds running is caught" caught "$page" "$tmp/walkrun.json" "the plan prescribes running (walk_run)"

sed 's|<h3>This week</h3><ul>|&<li>Cadence: aim for about 167 steps per minute on easy runs.</li>|' "$page" >"$tmp/cad.html"
check "a cadence target while paused is caught" bash -c '! node "$0" "$1" "$2" >/dev/null' "$checker" "$tmp/cad.html" "$tmp/plan.json"
sed 's|<h3>This week</h3><ul>|&<li>Keep pain under 3/10.</li>|' "$page" >"$tmp/pain.html"
check "a second pain limit is caught" bash -c '! node "$0" "$1" "$2" >/dev/null' "$checker" "$tmp/pain.html" "$tmp/plan.json"
sed 's|<div class="runner">|&<section class="redflags"><article class="finding sev-info"><h3>x</h3></article></section>|' "$page" >"$tmp/rf.html"
check "a routine finding in the red-flag box is caught" bash -c '! node "$0" "$1" "$2" >/dev/null' "$checker" "$tmp/rf.html" "$tmp/plan.json"
sed 's|<h3>This week</h3><ul>|&<li>Your ACWR is 0.68.</li>|' "$page" >"$tmp/j.html"
check "jargon in the runner's sheet is caught" bash -c '! node "$0" "$1" "$2" >/dev/null' "$checker" "$tmp/j.html" "$tmp/plan.json"
check "the runner's sheet comes before the clinician's part" bash -c '
  a=$(grep -bo "id=\"s-doex\"" "$0" | cut -d: -f1); b=$(grep -bo "<div class=\"clinical\">" "$0" | cut -d: -f1)
  test -n "$a" && test -n "$b" && test "$a" -lt "$b"' "$page"

# pages PDF: the number of page objects
pages() { node -e '
  const d = require("fs").readFileSync(process.argv[1]).toString("latin1");
  console.log((d.match(/\/Type\s*\/Page[^s]/g) || []).length)' "$1"; }
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium not found: the one-page print check"
else
  pdf() {
    HOME=$tmp timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
      --no-first-run --disable-extensions --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$tmp/profile" \
      --no-pdf-header-footer --print-to-pdf="$2" "file://$1" >/dev/null 2>&1
  }
  # the runner's sheet alone: the clinician's part hidden
  sed 's|</style>|.clinical{display:none}</style>|' "$page" >"$tmp/runner.html"
  pdf "$tmp/runner.html" "$tmp/runner.pdf"
  pdf "$page" "$tmp/all.pdf"
  n=$(pages "$tmp/runner.pdf"); all=$(pages "$tmp/all.pdf")
  echo "printed A4: runner's sheet $n page(s), whole report $all pages"
  check "the runner's sheet prints on one page" test "$n" = 1
  check "the whole report prints on more (the check sees pages)" test "$all" -gt 1
  # with every re-test due now in "This week" it still fits
  sed 's|<h3>This week</h3><ul>|&<li>Repeat the Kujala score (AKPS): the intake\&#39;s 13 questions, due now (since 2026-10-30)</li><li>Repeat the functional screen, due now (since 2026-10-30)</li><li>Record a new gait capture, due now (since 2026-10-30)</li>|' \
    "$tmp/runner.html" >"$tmp/retests.html"
  pdf "$tmp/retests.html" "$tmp/retests.pdf"
  check "the runner's sheet with three tests due prints on one page" test "$(pages "$tmp/retests.pdf")" = 1
  # the same sheet with two more copies of the exercises does not fit: the
  # count can fail
  node -e '
    const fs = require("fs"); let h = fs.readFileSync(process.argv[1], "utf8");
    const m = h.match(/<ol class="exlist">[\s\S]*?<\/ol>/)[0];
    fs.writeFileSync(process.argv[2], h.replace(m, m + m + m))' "$tmp/runner.html" "$tmp/long.html"
  pdf "$tmp/long.html" "$tmp/long.pdf"
  check "a longer sheet is seen to overflow" test "$(pages "$tmp/long.pdf")" -gt 1
fi
echo "$pass passed, $fail failed"
test "$fail" -eq 0
