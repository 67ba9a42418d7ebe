#!/usr/bin/env bash
# The store as a user meets it: `gaitkeeper import` (folders, duplicates,
# other sports, bad and damaged files, --json), `runs`, `pain add` / `pain`,
# which store is used (--db before or after the verb, GAITKEEPER_DB, the
# default path), file permissions, stores that are not ours or too new,
# and an import killed with SIGKILL halfway then run again.
# Usage: test_import.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
data=$2
shared=$3
gen="$(dirname "$gk")/gen_runs"
. "$(dirname "$0")/lib.sh"
# JSON helpers (node): the number of runs in a store, a value of the runs.
nruns() { "$gk" --db "$1" runs --json | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).length));'; }
unset GAITKEEPER_DB XDG_DATA_HOME
export HOME="$tmp/home"
if [ ! -x "$gen" ]; then
  echo "FAIL: $gen not built"; echo "0 passed, 1 failed"; exit 1
fi

# ---- a folder as a runner has it ------------------------------------------
in="$tmp/in"
"$gen" "$in" 6
"$gen" --first 10 "$in/2024" 2 # a subfolder
"$gen" --sport cycling --first 100 "$in" 1
"$gen" --sport swimming --first 101 "$in" 1
"$gen" --sport walking --first 102 "$in" 1
mkdir "$in/.hidden" && cp "$in/run-00000.fit" "$in/.hidden/copy.fit" # skipped
cp "$in/run-00001.fit" "$in/.also-hidden.fit"                          # skipped
echo "my training notes" >"$in/notes.txt"                               # ignored
cp "$data/fit/n_bad_header_crc.fit" "$in/broken.fit"                    # failed
size=$(stat -c %s "$in/run-00002.fit")
head -c $((size / 2)) "$in/run-00002.fit" >"$in/cut-short.fit"          # partial
ln -s .. "$in/2024/loop"                                                # a link loop
ln -s "$in/run-00003.fit" "$in/link-to-run.fit"                         # a duplicate

db="$tmp/a.db"
GAITKEEPER_DB="$db" "$gk" import "$in" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "import: exit 1 when a file failed" test $rc -eq 1
check "import: summary line" grep -qx "imported 9 runs, skipped 1 duplicates, skipped 3 other sports (cycling 1, swimming 1, walking 1), failed 1" "$tmp/out"
check "import: partial file listed" grep -q "^  $in/cut-short.fit: byte $((size / 2)): " "$tmp/out"
check "import: ignored file counted" grep -qx "ignored 1 file that is not FIT, GPX or TCX activities" "$tmp/out"
check "import: bad file named on stderr" grep -q "^gaitkeeper: import: $in/broken.fit: byte 12: file header CRC does not match" "$tmp/err"
check "import: no progress bar when stderr is not a terminal" bash -c "! grep -q 'importing \[' '$tmp/err'"
check "store file is 0600" test "$(stat -c %a "$db")" = 600
check "nine runs stored" test "$(nruns "$db")" -eq 9

# the runs: one row each, oldest first, absolute paths, no hidden file
"$gk" --db "$db" runs --json >"$tmp/runs.json"
check "runs --json: ids, order, paths, sports" node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const dir = process.argv[2];
  const ok = r.length === 9 &&
    new Set(r.map(x => x.id)).size === 9 &&
    new Set(r.map(x => x.source_path)).size === 9 &&
    r.every((x, i) => i === 0 || x.start >= r[i - 1].start) &&
    r.every(x => x.source_path.startsWith(dir + "/") && !x.source_path.includes("/.")) &&
    r.every(x => x.source_format === "fit") &&
    r.filter(x => x.sport === "running").length === 8 &&
    r.filter(x => x.partial).length === 1 &&
    r.every(x => x.distance_m > 1000 && x.avg_hr > 60) &&
    r.every(x => x.sport !== "running" || x.avg_cadence_spm > 120);
  const keys = ["id", "start", "sport", "distance_m", "elapsed_s", "timer_s", "moving_s",
    "ascent_m", "avg_hr", "max_hr", "avg_cadence_spm", "max_cadence_spm", "avg_speed_mps",
    "avg_stance_time_ms", "avg_vertical_oscillation_mm", "avg_step_length_mm",
    "stance_balance_left_pct", "source_format", "source_path"];
  process.exit(ok && r.every(x => keys.every(k => k in x)) ? 0 : 1);' "$tmp/runs.json" "$in"
"$gk" --db "$db" runs >"$tmp/runs.txt"
check "runs: a header and one line a run" test "$(wc -l <"$tmp/runs.txt")" -eq 10
check "runs: aligned columns" bash -c "head -1 '$tmp/runs.txt' | grep -q '^id  start (UTC)  '"
check "runs: the partial run says so" grep -q "cut-short.fit (partial)" "$tmp/runs.txt"

# the same folder again: every run a duplicate, the store unchanged
GAITKEEPER_DB="$db" "$gk" import "$in" >"$tmp/out" 2>/dev/null
check "again: all duplicates" grep -qx "imported 0 runs, skipped 10 duplicates, skipped 3 other sports (cycling 1, swimming 1, walking 1), failed 1" "$tmp/out"
check "again: still nine runs" test "$(nruns "$db")" -eq 9

# --json: exactly the documented shape
GAITKEEPER_DB="$db" "$gk" import --json "$in" >"$tmp/out.json" 2>"$tmp/err"
check "--json: exit 1 (a file failed)" test $? -eq 1
check "--json: nothing on stderr for the failure" test ! -s "$tmp/err"
check "--json: shape and values" node -e '
  const txt = require("fs").readFileSync(process.argv[1], "utf8");
  const j = JSON.parse(txt);
  const ok = JSON.stringify(Object.keys(j)) ===
      JSON.stringify(["imported", "skipped_duplicates", "skipped_other_sport", "failed", "broken_links", "skipped_store_files"]) &&
    j.broken_links.length === 0 && j.skipped_store_files === 0 &&
    j.imported === 0 && j.skipped_duplicates === 10 && j.skipped_other_sport === 3 &&
    j.failed.length === 1 && JSON.stringify(Object.keys(j.failed[0])) === "[\"path\",\"error\"]" &&
    j.failed[0].path === process.argv[2] + "/broken.fit" &&
    /header CRC/.test(j.failed[0].error) &&
    txt.startsWith("{\"imported\": 0, \"skipped_duplicates\": 10, ");
  process.exit(ok ? 0 : 1);' "$tmp/out.json" "$in"
"$gk" --db "$tmp/ok.db" import "$in/run-00000.fit" --json >"$tmp/ok.json"
check "--json after the path; exit 0" test $? -eq 0
check "--json: one imported" grep -qx '{"imported": 1, "skipped_duplicates": 0, "skipped_other_sport": 0, "failed": \[\], "broken_links": \[\], "skipped_store_files": 0}' "$tmp/ok.json"

# ---- which store: --db > GAITKEEPER_DB > default ---------------------------
one="$in/run-00004.fit"
GAITKEEPER_DB="$tmp/env.db" "$gk" --db "$tmp/opt1.db" import "$one" >/dev/null
check "--db before the verb wins over GAITKEEPER_DB" test "$(nruns "$tmp/opt1.db")" -eq 1
check "  (GAITKEEPER_DB not created)" test ! -e "$tmp/env.db"
GAITKEEPER_DB="$tmp/env.db" "$gk" import "$one" --db "$tmp/opt2.db" >/dev/null
check "--db after the verb" test "$(nruns "$tmp/opt2.db")" -eq 1
check "--db=PATH form" test "$("$gk" runs --json --db="$tmp/opt2.db" | grep -c '"id":')" -eq 1
GAITKEEPER_DB="$tmp/env.db" "$gk" import "$one" >/dev/null
check "GAITKEEPER_DB" test "$(GAITKEEPER_DB="$tmp/env.db" "$gk" runs --json | grep -c '"id":')" -eq 1
"$gk" import "$one" >/dev/null
def="$HOME/.local/share/gaitkeeper"
check "default: ~/.local/share/gaitkeeper/gaitkeeper.db" test -f "$def/gaitkeeper.db"
check "default: directory created 0700" test "$(stat -c %a "$def")" = 700
check "default: file 0600" test "$(stat -c %a "$def/gaitkeeper.db")" = 600
XDG_DATA_HOME="$tmp/xdg" "$gk" import "$one" >/dev/null
check "XDG_DATA_HOME" test -f "$tmp/xdg/gaitkeeper/gaitkeeper.db"
"$gk" --db "$tmp/new/deep/x.db" import "$one" >/dev/null
check "--db: missing directories created 0700" test "$(stat -c %a "$tmp/new/deep")" = 700
"$gk" --db >/dev/null 2>"$tmp/err"
check "--db without a path: exit 2" test $? -eq 2
"$gk" import >/dev/null 2>&1
check "import without a path: exit 2" test $? -eq 2
"$gk" import --frobnicate "$one" >/dev/null 2>&1
check "import: unknown option: exit 2" test $? -eq 2
"$gk" --db "$tmp/none.db" runs >"$tmp/out"
check "runs on a missing store: exit 0, says so" grep -q "no runs stored yet" "$tmp/out"
check "  and creates nothing" test ! -e "$tmp/none.db"
check "runs --json on a missing store: []" test "$("$gk" --db "$tmp/none.db" runs --json)" = "[]"

# ---- stores that are not ours, or too new ----------------------------------
printf 'These are my notes, not a database at all, but long enough.\n' >"$tmp/notes.db"
cp "$tmp/notes.db" "$tmp/notes.orig"
"$gk" --db "$tmp/notes.db" import "$one" >/dev/null 2>"$tmp/err"
check "not a store: exit 1" test $? -eq 1
check "not a store: said so" grep -q "notes.db: not a gaitkeeper store" "$tmp/err"
check "not a store: file untouched" cmp -s "$tmp/notes.db" "$tmp/notes.orig"
cp "$tmp/opt1.db" "$tmp/newer.db"
printf '\x00\x00\x00\x07' | dd of="$tmp/newer.db" bs=1 seek=60 conv=notrunc 2>/dev/null
"$gk" --db "$tmp/newer.db" runs >/dev/null 2>"$tmp/err"
check "newer schema: exit 1" test $? -eq 1
check "newer schema: message" grep -q "store was written by a newer gaitkeeper (schema 7, this build knows 5)" "$tmp/err"

# ---- the pain log -----------------------------------------------------------
p() { "$gk" --db "$tmp/pain.db" pain "$@"; }
p add --during 3 >/dev/null 2>"$tmp/err"
check "pain add without --date: exit 2" test $? -eq 2
check "  says --date is required" grep -q -- "--date YYYY-MM-DD is required" "$tmp/err"
for bad in "--during 11" "--during -1" "--during 3.5" "--during abc" "--after ''" \
           "--morning 99" "--onset-km -2" "--onset-km x" "--activity 0" "--activity 1x"; do
  eval "p add --date 2026-11-02 $bad" >/dev/null 2>"$tmp/err"
  check "pain add $bad: exit 2" test $? -eq 2
done
p add --date 2026-02-30 --during 2 >/dev/null 2>"$tmp/err"
check "pain add: impossible date: exit 2" test $? -eq 2
check "  says what a date is" grep -q "YYYY-MM-DD" "$tmp/err"
p add --date 2026-11-02 >/dev/null 2>&1
check "pain add: nothing to log: exit 2" test $? -eq 2
p add --date 2026-11-02 --during 4 --bogus 1 >/dev/null 2>&1
check "pain add: unknown option: exit 2" test $? -eq 2
p add --date 2026-11-02 --during 4 --note "$(head -c 300 /dev/zero | tr '\0' x)" >/dev/null 2>&1
check "pain add: note too long: exit 2" test $? -eq 2
check "  invalid entries store nothing" test ! -e "$tmp/pain.db"
"$gk" --db "$tmp/pain.db" import "$one" >/dev/null
p add --date 2026-11-02 --during 6 --after 4 --morning 2 --onset-km 3.5 \
  --activity 1 --note "outside of the knee, downhill" >"$tmp/out"
check "pain add: exit 0" test $? -eq 0
check "pain add: confirms" grep -qx "pain entry 1 added for 2026-11-02" "$tmp/out"
p add --date 2026-10-30 --morning 1 >/dev/null
p add --date 2026-11-03 --during 2 --activity 999 >/dev/null 2>"$tmp/err"
check "pain add: unknown run: exit 1" test $? -eq 1
check "  names the run id" grep -q "no run with id 999" "$tmp/err"
p --json >"$tmp/pain.json"
check "pain --json: entries oldest first, nulls where not given" node -e '
  const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ok = e.length === 2 && e[0].date === "2026-10-30" && e[0].morning === 1 &&
    e[0].during === null && e[0].after === null && e[0].onset_km === null &&
    e[0].activity_id === null && e[1].date === "2026-11-02" && e[1].during === 6 &&
    e[1].after === 4 && e[1].morning === 2 && e[1].onset_km === 3.5 &&
    e[1].activity_id === 1 && e[1].note === "outside of the knee, downhill";
  process.exit(ok ? 0 : 1);' "$tmp/pain.json"
p list >"$tmp/pain.txt"
check "pain list: table" grep -q "2026-11-02       6      4        2       3.5    1  outside of the knee, downhill" "$tmp/pain.txt"
check "pain (no verb) lists too" cmp -s "$tmp/pain.txt" <(p)
check "pain log file is 0600" test "$(stat -c %a "$tmp/pain.db")" = 600

# ---- killed halfway, then run again ------------------------------------------
"$gen" "$tmp/many" 600
kdb="$tmp/kill.db"
# the store made first (its schema alone is some 400 kB of WAL frames), so
# the log below grows with runs only
"$gk" --db "$kdb" runners add "Runner 1" >/dev/null
"$gk" --db "$kdb" import --jobs 1 "$tmp/many" >/dev/null 2>&1 &
pid=$!
# kill it once a few runs are committed: the write-ahead log has grown
# (a run is a few hundred kB of WAL frames); polling stat is quick
for _ in $(seq 20000); do
  wal=$(stat -c %s "$kdb-wal" 2>/dev/null || echo 0)
  [ "$wal" -gt 400000 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.001
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
before=$(nruns "$kdb")
check "killed halfway (some runs stored, not all: $before)" test "$before" -gt 0 -a "$before" -lt 600
"$gk" --db "$kdb" import --json "$tmp/many" >"$tmp/out.json" 2>/dev/null
check "re-run: the rest imported, the stored ones duplicates" node -e '
  const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const before = Number(process.argv[2]);
  process.exit(j.imported === 600 - before && j.skipped_duplicates === before &&
               j.failed.length === 0 ? 0 : 1);' "$tmp/out.json" "$before"
"$gk" --db "$kdb" runs --json >"$tmp/k.json"
check "after the kill: exactly 600 runs, no duplicates" node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  process.exit(r.length === 600 && new Set(r.map(x => x.source_path)).size === 600 &&
               new Set(r.map(x => x.start)).size === 600 ? 0 : 1);' "$tmp/k.json"

# ---- real recordings (skipped without ../shared/data) -----------------------
fenix="$shared/fit/python-fitparse/garmin-fenix-5-run.fit"
if [ -f "$fenix" ]; then
  "$gk" --db "$tmp/real.db" import "$shared/fit" "$shared/gpx_tcx" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  check "real data: import ran through (exit $rc)" test $rc -le 1
  check "real data: summary printed" grep -q "^imported [0-9]* runs, skipped [0-9]* duplicates, skipped [0-9]* other sports (.*cycling" "$tmp/out"
  "$gk" --db "$tmp/real.db" runs --json >"$tmp/real.json"
  check "garmin-fenix-5-run.fit: distance 157.56 m, avg HR 90" node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const f = r.filter(x => x.source_path.endsWith("/garmin-fenix-5-run.fit"));
    process.exit(f.length === 1 && Math.abs(f[0].distance_m - 157.56) < 1e-9 &&
                 f[0].avg_hr === 90 && f[0].sport === "running" ? 0 : 1);' "$tmp/real.json"
  check "real data: no cycling stored" node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    process.exit(r.length > 5 && r.every(x => x.sport === "running" || x.sport === null) ? 0 : 1);' "$tmp/real.json"
else
  echo "skip: $fenix not found (real-data checks need ../shared/data)"
fi

summary
