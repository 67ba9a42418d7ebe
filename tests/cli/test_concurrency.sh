#!/usr/bin/env bash
# The store shared by several processes at once: a large import (--jobs 2,
# so several connections in one process) while other processes add pain
# entries, import small sets of runs, store gait captures and read the
# report and the runs.  Every write whose command exited 0 must be in the
# store afterwards, the store must pass PRAGMA integrity_check, and no run
# may be stored twice.  Then the same mix with kill -9 at random moments:
# after each kill the same checks, every stored run whole (laps, sessions,
# samples), and a re-run of the killed import completes its set.
# Usage: test_concurrency.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
# GK_CONCURRENCY_SEED fixes the random kill moments (printed on each run).
set -u
gk=$1
data=$2
gen="$(dirname "$gk")/gen_runs"
. "$(dirname "$0")/lib.sh"
unset GAITKEEPER_DB XDG_DATA_HOME
export HOME="$tmp/home"
if [ ! -x "$gen" ] || ! command -v sqlite3 >/dev/null; then
  echo "FAIL: needs $gen and the sqlite3 shell"; echo "0 passed, 1 failed"; exit 1
fi
seed=${GK_CONCURRENCY_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$seed
echo "seed $seed"
kp="$data/gait2d/y_coco_rear.csv"
q() { sqlite3 -batch -noheader "$1" "$2"; }

# One writer of each kind, in a bounded loop until $stop exists.  Each one
# appends to $rec.KIND what it was told was done (exit 0), and only then.
# $1: the store, $2: a tag unique to this mix, $3: how many rounds at most.
writers() {
  local db=$1 tag=$2 max=$3 stop=$tmp/stop.$2 rec=$tmp/rec
  rm -f "$stop"
  ( for i in $(seq "$max"); do
      [ -e "$stop" ] && break
      note="$tag-pain-$i"
      "$gk" --db "$db" pain add --date 2026-03-01 --during $((i % 11)) \
        --note "$note" >/dev/null 2>>"$tmp/err.pain" && echo "$note" >>"$rec.pain"
    done ) &
  pids="$!"
  ( for i in $(seq "$max"); do
      [ -e "$stop" ] && break
      d="$tmp/small-$tag-$i"
      # the generator itself may be the process killed: then nothing of
      # this set was reported imported
      "$gen" --first $((100000 + 2 * i + 1000 * round)) "$d" 2 >/dev/null || continue
      if "$gk" --db "$db" import "$d" >"$d.out" 2>>"$tmp/err.import"; then
        for f in "$d"/*.fit; do echo "$f" >>"$rec.runs"; done
      fi
    done ) &
  pids="$pids $!"
  ( for i in $(seq "$max"); do
      [ -e "$stop" ] && break
      date=$(date -u -d "2020-01-01 + $((i + 100 * round)) days" +%F)
      out=$("$gk" --db "$db" gait --fps 30 --date "$date" "$kp" 2>>"$tmp/err.gait") &&
        echo "$(echo "$out" | sed -n 's/^stored as capture //p') $date" >>"$rec.gait"
    done ) &
  pids="$pids $!"
  ( for i in $(seq "$max"); do
      [ -e "$stop" ] && break
      "$gk" --db "$db" report --date 2026-11-01 -o "$tmp/r-$tag.html" >/dev/null 2>>"$tmp/err.read" &&
        echo ok >>"$rec.read"
      "$gk" --db "$db" runs --json >/dev/null 2>>"$tmp/err.read" && echo ok >>"$rec.read"
    done ) &
  pids="$pids $!"
}
stop_writers() { touch "$tmp/stop.$1"; wait $pids 2>/dev/null; }

# Everything recorded is in the store; the store is sound.  $1 store, $2 what.
verify() {
  local db=$1 what=$2
  check "$what: integrity_check ok" test "$(q "$db" 'PRAGMA integrity_check')" = ok
  q "$db" "SELECT note FROM pain" | sort >"$tmp/have.pain"
  q "$db" "SELECT source_path FROM activities" | sort >"$tmp/have.runs"
  q "$db" "SELECT id || ' ' || date(day * 86400, 'unixepoch') FROM captures" |
    sort >"$tmp/have.gait"
  for k in pain runs gait; do
    touch "$tmp/rec.$k"
    sort "$tmp/rec.$k" >"$tmp/want.$k"
    lost=$(comm -23 "$tmp/want.$k" "$tmp/have.$k" | wc -l)
    check "$what: no $k write lost ($(wc -l <"$tmp/want.$k") reported done, $lost missing)" \
      test "$lost" -eq 0
    [ "$lost" -eq 0 ] || comm -23 "$tmp/want.$k" "$tmp/have.$k" | head -3
  done
  check "$what: no run stored twice" test \
    "$(q "$db" 'SELECT count(*) - count(DISTINCT content_hash) FROM activities')" = 0
  check "$what: one run per file" test \
    "$(q "$db" 'SELECT count(*) - count(DISTINCT source_path) FROM activities')" = 0
  check "$what: every run whole (laps, sessions, samples)" test "$(q "$db" '
    SELECT count(*) FROM activities a WHERE
      n_laps != (SELECT count(*) FROM laps WHERE activity_id = a.id) OR
      n_sessions != (SELECT count(*) FROM sessions WHERE activity_id = a.id) OR
      n_samples != coalesce((SELECT n FROM samples WHERE activity_id = a.id), -1)')" = 0
}

# ---- the mix, to the end -----------------------------------------------------
round=0
"$gen" "$tmp/big" 300 >/dev/null
db="$tmp/mix.db"
"$gk" --db "$db" pain add --date 2026-01-01 --during 1 --note first >/dev/null &&
  echo first >>"$tmp/rec.pain"
"$gk" --db "$db" import --jobs 2 "$tmp/big" >"$tmp/big.out" 2>"$tmp/big.err" &
imp=$!
writers "$db" m 60
wait "$imp"
rc=$?
stop_writers m
check "big import: exit 0 ($(cat "$tmp/big.out"))" test $rc -eq 0
[ $rc -eq 0 ] && for f in "$tmp"/big/*.fit; do echo "$f" >>"$tmp/rec.runs"; done
verify "$db" "mix"
writes=$(cat "$tmp"/rec.pain "$tmp"/rec.runs "$tmp"/rec.gait | wc -l)
echo "mix: $writes writes reported done ($(wc -l <"$tmp/rec.pain") pain, $(wc -l <"$tmp/rec.runs") runs, $(wc -l <"$tmp/rec.gait") captures), $(wc -l <"$tmp/rec.read" 2>/dev/null || echo 0) reads"
for k in pain import gait read; do
  [ -s "$tmp/err.$k" ] && { echo "stderr of the $k processes:"; sort "$tmp/err.$k" | uniq -c | head -5; }
done
check "mix: the other processes all succeeded" \
  test ! -s "$tmp/err.pain" -a ! -s "$tmp/err.import" -a ! -s "$tmp/err.gait" -a ! -s "$tmp/err.read"

# ---- the mix, killed -------------------------------------------------------
# Each round: a new set of 120 runs imported (--jobs 2) beside the writers;
# the import and one writer process (or none) get kill -9 at a random moment.
kdb="$tmp/kill.db"
rm -f "$tmp"/rec.* "$tmp"/err.*
for round in 1 2 3 4; do
  set_dir="$tmp/set$round"
  "$gen" --first $((round * 1000)) "$set_dir" 120 >/dev/null
  "$gk" --db "$kdb" import --jobs 2 "$set_dir" >/dev/null 2>&1 &
  imp=$!
  writers "$kdb" "k$round" 40
  ms=$((300 + RANDOM % 2500)) # the import of 120 runs takes a few seconds
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  victim=$(pgrep -P "$(echo $pids | cut -d' ' -f$((RANDOM % 4 + 1)))" | head -1)
  kill -9 "$imp" $victim 2>/dev/null
  wait "$imp" 2>/dev/null
  stop_writers "k$round"
  stored=$(q "$kdb" "SELECT count(*) FROM activities WHERE source_path LIKE '$set_dir/%'")
  echo "round $round: killed the import at $stored of 120 runs${victim:+ and writer process $victim}"
  verify "$kdb" "kill round $round"
  "$gk" --db "$kdb" import --jobs 2 "$set_dir" >"$tmp/again.out" 2>&1
  check "kill round $round: re-run completes the set ($(cat "$tmp/again.out"))" test $? -eq 0 -a \
    "$(q "$kdb" "SELECT count(*) FROM activities WHERE source_path LIKE '$set_dir/%'")" = 120
  for f in "$set_dir"/*.fit; do echo "$f" >>"$tmp/rec.runs"; done
done
verify "$kdb" "after the kills"
writes=$(cat "$tmp"/rec.pain "$tmp"/rec.runs "$tmp"/rec.gait | wc -l)
echo "kills: $writes writes reported done ($(wc -l <"$tmp/rec.pain") pain, $(wc -l <"$tmp/rec.runs") runs, $(wc -l <"$tmp/rec.gait") captures)"
summary
