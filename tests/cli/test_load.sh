#!/usr/bin/env bash
# `gaitkeeper load` end to end: a store with one run and a pain log, the
# findings and weekly volume it must report, in text and JSON.
# Usage: test_load.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB="$tmp/store.db"

# An empty history: no findings, no store created.
"$gk" load --date 2026-11-22 --json >"$tmp/empty.json"
check "empty history exits 0" test $? -eq 0
check "empty history: no findings" json_has "$tmp/empty.json" 'r.findings.length === 0 && r.date === "2026-11-22"'

# One run on 2026-10-31 (the demo's last run: 5.0 km), then pain.
"$gk" demo --dir "$tmp/demo" >/dev/null
"$gk" import "$tmp/demo/runs/2026-10-31.fit" >/dev/null
check "imported" test "$("$gk" runs --json | node -e 'console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).length)')" -eq 1
"$gk" pain add --date 2026-11-20 --during 7 --after 4 --morning 2 --note "sharp at the kneecap" >/dev/null
"$gk" pain add --date 2026-11-21 --morning 4 >/dev/null

"$gk" load --date 2026-11-22 --json >"$tmp/load.json"
check "load exits 0" test $? -eq 0
check "date" json_has "$tmp/load.json" 'r.date === "2026-11-22"'
check "the run's week" json_has "$tmp/load.json" \
  'r.weekly.some(w => w.week_start === "2026-10-26" && w.runs === 1 && Math.abs(w.distance_m - 5003) < 10)'
check "22 days without running: rest gap" json_has "$tmp/load.json" \
  'r.findings.some(f => f.code === "load.rest_gap" && f.value === 22 && f.threshold === 7)'
check "pain 7/10 during: over the limit (warning)" json_has "$tmp/load.json" \
  'r.findings.some(f => f.code === "pain.over_limit" && f.severity === "warning" && f.value === 7)'
check "morning pain worse than the morning before" json_has "$tmp/load.json" \
  'r.findings.some(f => f.code === "pain.over_limit" && f.severity === "caution")'
check "every finding has its source" json_has "$tmp/load.json" \
  'r.findings.every(f => typeof f.source === "string" && f.source.length > 0 && typeof f.text === "string")'
check "most severe first" json_has "$tmp/load.json" 'r.findings[0].severity === "warning"'

"$gk" load --date 2026-11-22 >"$tmp/load.txt"
check "text report names the rules" grep -q "pain.over_limit" "$tmp/load.txt"
check "text report cites its evidence" grep -qi "Mujika" "$tmp/load.txt"
"$gk" load --date 2026-13-40 >/dev/null 2>&1
check "bad date is a usage error" test $? -eq 2

summary
