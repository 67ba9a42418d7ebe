#!/usr/bin/env bash
# import's limits: links inside a folder that lead nowhere are named and
# counted apart; the store's own files inside an imported folder are never
# opened (closing them would drop the store's locks); the input bytes in
# flight are bounded across --jobs (GAITKEEPER_IMPORT_BUDGET_MB), so the
# peak memory does not grow with the number of jobs, and a budget smaller
# than any file still finishes (the file the writer needs next always goes).
# Usage: test_import_limits.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"
gen=$(dirname "$gk")/gen_runs
have_node=1
command -v node >/dev/null || have_node=0

# ---- links and the store inside the folder ----
mkdir -p "$tmp/runs"
"$gen" "$tmp/runs" 3 >/dev/null
ln -s nowhere.fit "$tmp/runs/dead.fit"
ln -s loop2 "$tmp/runs/loop1"
ln -s loop1 "$tmp/runs/loop2"
printf 'not a run' >"$tmp/runs/notes.txt"
export GAITKEEPER_DB="$tmp/runs/gk.db"
"$gk" import "$tmp/runs" >"$tmp/o1" 2>"$tmp/e1"
check "links: exit 0" test $? -eq 0
check "links: the runs imported" grep -q "^imported 3 runs" "$tmp/o1"
check "links: three broken links, named" bash -c 'grep -q "^3 broken links, not followed:" "$0" &&
  grep -q "dead.fit: a link to nothing" "$0" && grep -q "loop1: a loop of links" "$0"' "$tmp/o1"
check "links: not counted as other files (only notes.txt is)" grep -q "^ignored 1 file that is not" "$tmp/o1"
check "store in the folder: skipped, said" grep -q "skipped the store's own files inside the folder" "$tmp/o1"
check "store in the folder: no error" test ! -s "$tmp/e1"
"$gk" import --json "$tmp/runs" >"$tmp/o2.json"
if [ $have_node -eq 1 ]; then
  check "json: broken_links and skipped_store_files" json_has "$tmp/o2.json" \
    'r.broken_links.length === 3 && r.broken_links[0].error === "a link to nothing" && r.skipped_store_files >= 1 && r.skipped_duplicates === 3'
fi
if command -v sqlite3 >/dev/null; then
  check "store in the folder: intact" test "$(sqlite3 "$tmp/runs/gk.db" 'PRAGMA integrity_check')" = ok
fi

# ---- the byte budget ----
GAITKEEPER_IMPORT_BUDGET_MB=0 "$gk" import "$tmp/runs" >/dev/null 2>"$tmp/e3"
check "budget 0: usage error 2" test $? -eq 2
check "budget 0: says what it takes" grep -q "GAITKEEPER_IMPORT_BUDGET_MB is a number of megabytes" "$tmp/e3"
mkdir "$tmp/big"
for f in 1 2 3; do # three GPX runs of about 13 MB each, different days
  awk -v f=$f -v n=120000 'BEGIN {
    print "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><type>running</type><trkseg>"
    for (i = 0; i < n; i++)
      printf "<trkpt lat=\"%.6f\" lon=\"7.000000\"><ele>100.0</ele><time>2026-0%d-01T%02d:%02d:%02dZ</time></trkpt>\n", 45 + i * 0.000027, f, int(i / 3600) % 24, int(i / 60) % 60, i % 60
    print "</trkseg></trk></gpx>" }' >"$tmp/big/r$f.gpx"
done
peak() { # budget MB, store -> peak RSS in kB (empty without /usr/bin/time)
  [ -x /usr/bin/time ] || return 0
  # (a sanitizer build keeps freed memory in quarantine, which would hide
  # the difference: keep it small for this measurement)
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1 \
  GAITKEEPER_DB=$2 GAITKEEPER_IMPORT_BUDGET_MB=$1 timeout 300 /usr/bin/time -f %M -o "$tmp/rss" \
    "$gk" import --jobs 3 "$tmp/big" >"$tmp/big.out" 2>&1 && cat "$tmp/rss"
}
small=$(peak 1 "$tmp/b1.db")
check "budget 1 MB (below every file): the import finishes, all three" grep -q "^imported 3 runs" "$tmp/big.out"
large=$(peak 1024 "$tmp/b2.db")
check "budget 1024 MB: all three" grep -q "^imported 3 runs" "$tmp/big.out"
if [ -n "$small" ] && [ -n "$large" ]; then
  echo "peak RSS with --jobs 3: budget 1 MB $small kB, budget 1024 MB $large kB"
  check "the budget lowers the peak (by at least a fifth)" test $((small * 5)) -lt $((large * 4))
else
  echo "skipped: the peak-memory comparison needs /usr/bin/time (Debian package time)"
fi
summary
