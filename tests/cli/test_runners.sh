#!/usr/bin/env bash
# Several runners in one store: `gaitkeeper runners` (list, add, rename,
# archive, unarchive) and --runner NAME|ID scoping import, pain, runs, plan
# and report; a store of two runners without --runner, an unknown runner.
# Usage: test_runners.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
data=$2
. "$(dirname "$0")/lib.sh"
have_node=1
command -v node >/dev/null || have_node=0
jcheck() { # name, file, expression (skipped without node)
  if [ $have_node -eq 1 ]; then check "$1" json_has "$2" "$3"; fi
}
run=$data/gpx/y_basic.gpx
other=$data/tcx/y_run.tcx

# 1. One runner: the concept never shows; a first "Runner 1" is made.
export GAITKEEPER_DB="$tmp/one.db"
"$gk" runners >"$tmp/out" 2>&1
check "no store: runners lists nobody" grep -q "no runners yet" "$tmp/out"
check "no store: none created by listing" test ! -e "$tmp/one.db"
"$gk" import "$run" >/dev/null 2>&1
check "one: import without --runner" test $? -eq 0
"$gk" runs --json >"$tmp/one.json"
jcheck "one: the run listed" "$tmp/one.json" 'r.length === 1'
"$gk" runners list --json >"$tmp/r1.json"
jcheck "one: Runner 1 made on first use" "$tmp/r1.json" \
  'r.length === 1 && r[0].name === "Runner 1" && r[0].runs === 1'

# 2. A clinic: two runners, each with their own runs and pain.
export GAITKEEPER_DB="$tmp/clinic.db"
"$gk" runners add "Ann Lee" >"$tmp/out"
check "add: says the id" grep -qx "added runner 1: Ann Lee" "$tmp/out"
"$gk" runners add "  Ben Ode " >"$tmp/out"
check "add: trimmed" grep -qx "added runner 2: Ben Ode" "$tmp/out"
"$gk" runners add "ann lee" >/dev/null 2>"$tmp/err"
check "add: a taken name (any case) fails" test $? -eq 1
check "add: says who has it" grep -q 'a runner named "ann lee" already exists (id 1)' "$tmp/err"
"$gk" runners add "1234" >/dev/null 2>"$tmp/err"
check "add: digits only refused" grep -q "digits only" "$tmp/err"
"$gk" --runner "ann lee" import "$run" >/dev/null
check "import --runner NAME" test $? -eq 0
"$gk" import --runner 2 "$run" "$other" >"$tmp/out"
check "import --runner ID: the same file is Ben's too" grep -q "^imported 2 runs, skipped 0 duplicates" "$tmp/out"
"$gk" import --runner 2 "$run" >"$tmp/out"
check "import: a duplicate per runner" grep -q "skipped 1 duplicates" "$tmp/out"
"$gk" --runner Ben\ Ode pain add --date 2025-05-30 --during 7 >/dev/null
check "pain add --runner" test $? -eq 0
"$gk" --runner=1 pain add --date 2025-05-31 --during 1 >/dev/null
"$gk" --runner 1 pain --json >"$tmp/pa.json"
jcheck "pain: Ann sees only hers" "$tmp/pa.json" 'r.length === 1 && r[0].during === 1'
"$gk" pain --json --runner 2 >"$tmp/pb.json"
jcheck "pain: Ben sees only his" "$tmp/pb.json" 'r.length === 1 && r[0].during === 7'
"$gk" --runner 1 runs --json >"$tmp/ra.json"
"$gk" --runner 2 runs --json >"$tmp/rb.json"
jcheck "runs: Ann one" "$tmp/ra.json" 'r.length === 1'
jcheck "runs: Ben two" "$tmp/rb.json" 'r.length === 2'
"$gk" --runner 1 plan --date 2025-06-01 --json >"$tmp/plan_a.json"
check "plan --runner" test $? -eq 0
"$gk" --runner 1 report --date 2025-06-01 --json >"$tmp/rep_a.json"
check "report --runner" test $? -eq 0
jcheck "report: Ann's pain only" "$tmp/rep_a.json" \
  'r.sources.some(s => s.what === "Pain log" && s.detail === "1 entries" && s.from === "2025-05-31")'
"$gk" --runner 2 report --date 2025-06-01 --json >"$tmp/rep_b.json"
jcheck "report: Ben's pain only" "$tmp/rep_b.json" \
  'r.sources.some(s => s.what === "Pain log" && s.detail === "1 entries" && s.from === "2025-05-30")'
"$gk" runners --json >"$tmp/list.json"
jcheck "list: both with counts" "$tmp/list.json" \
  'r.length === 2 && r[0].name === "Ann Lee" && r[0].runs === 1 && r[1].runs === 2 && r[1].pain_entries === 1 && r[1].last_pain === "2025-05-30"'
"$gk" runners list --search "ODE" >"$tmp/out"
check "list --search: case ignored" grep -q "Ben Ode" "$tmp/out"
check "list --search: only matches" sh -c "! grep -q 'Ann Lee' '$tmp/out'"

# 3. Two runners and no --runner: a clear error; an unknown runner named.
for verb in runs pain plan report; do
  "$gk" $verb >/dev/null 2>"$tmp/err"
  check "$verb without --runner fails" test $? -ne 0
  check "$verb without --runner: says so" \
    grep -q "this store holds 2 runners; choose one with --runner NAME|ID" "$tmp/err"
done
"$gk" import "$run" >/dev/null 2>"$tmp/err"
check "import without --runner fails" test $? -eq 1
"$gk" pain add --date 2025-06-01 --during 2 >/dev/null 2>&1
check "pain add without --runner fails" test $? -eq 1
"$gk" --runner Zoe pain >/dev/null 2>"$tmp/err"
check "unknown runner: fails" test $? -eq 1
check "unknown runner: named" grep -q 'no runner named "Zoe"' "$tmp/err"
"$gk" --runner 42 runs >/dev/null 2>"$tmp/err"
check "unknown id: named" grep -q "no runner with id 42" "$tmp/err"
"$gk" --runner >/dev/null 2>"$tmp/err"
check "--runner without a value" grep -q "needs a name or an id" "$tmp/err"

# 4. Archive: hidden, data kept, still chosen by name; the other is the
#    default again.
"$gk" runners archive "Ben Ode" >"$tmp/out"
check "archive" grep -q "archived runner 2" "$tmp/out"
"$gk" runners >"$tmp/out"
check "archived: hidden" sh -c "! grep -q 'Ben Ode' '$tmp/out'"
"$gk" runners --all >"$tmp/out"
check "archived: listed with --all" grep -q "Ben Ode (archived)" "$tmp/out"
"$gk" pain --json >"$tmp/p.json"
jcheck "archived: the only active runner is the default" "$tmp/p.json" 'r.length === 1 && r[0].during === 1'
"$gk" --runner "Ben Ode" pain --json >"$tmp/p.json"
jcheck "archived: data kept, chosen by name" "$tmp/p.json" 'r.length === 1 && r[0].during === 7'
"$gk" runners unarchive 2 >/dev/null
"$gk" runs >/dev/null 2>&1
check "unarchived: two again" test $? -ne 0
"$gk" runners rename 2 "Ben O." >/dev/null
"$gk" --runner "ben o." runs --json >"$tmp/rb.json"
jcheck "renamed: found by the new name" "$tmp/rb.json" 'r.length === 2'
"$gk" runners rename 1 "Ben O." >/dev/null 2>"$tmp/err"
check "rename to a taken name fails" grep -q "already exists (id 2)" "$tmp/err"
"$gk" runners archive Nobody >/dev/null 2>"$tmp/err"
check "archive: unknown runner named" grep -q 'no runner named "Nobody"' "$tmp/err"
"$gk" runners frobnicate >/dev/null 2>&1
check "unknown subcommand: usage error" test $? -eq 2
summary
