#!/usr/bin/env bash
# The web app's benchmark (make bench): a store for a runner with ten years
# of data (bench_serve store), `gaitkeeper serve` on it, then
#   1. 200 GETs each of / (Today) and /report, one after another, while an
#      import of many runs (FIT files from tools/gen_runs, zipped) runs
#      through the web upload (POST /runs) again and again: p50, p95, max;
#   2. 50 concurrent clients on loopback for 30 s over /, /report, /runs,
#      /gait: requests, errors (must be 0), p95; the server's RSS
#      (/proc/PID/status VmRSS) at the start and every second over the load.
# Usage: tools/bench_serve.sh BUILD_DIR [RUNS] [SECONDS] [CLIENTS]
set -euo pipefail
build=${1:-build/release}
nruns=${2:-200}
secs=${3:-30}
clients=${4:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build="$root/$build" ;; esac
gk="$build/gaitkeeper" bench="$build/bench_serve" gen="$build/gen_runs"
for x in "$gk" "$bench" "$gen"; do
  [ -x "$x" ] || { echo "bench_serve: $x not found (build first)" >&2; exit 1; }
done
for t in curl zip; do
  command -v $t >/dev/null || { echo "bench_serve: $t not found" >&2; exit 1; }
done
tmp=$(mktemp -d)
srv=
imp=
trap '[ -n "$imp" ] && kill $imp 2>/dev/null; [ -n "$srv" ] && kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
"$bench" store "$tmp/gk.db"
"$gen" --first 5000 "$tmp/runs" "$nruns" >/dev/null
(cd "$tmp/runs" && zip -q0 "$tmp/runs.zip" ./*.fit)
echo "upload: $nruns runs, $(stat -c %s "$tmp/runs.zip") bytes in one zip ($(nproc) cores, $(cut -d' ' -f1-3 /proc/loadavg) load)"
"$gk" --db "$tmp/gk.db" serve --port 0 >"$tmp/out" 2>"$tmp/err" &
srv=$!
for _ in $(seq 1 100); do grep -q 'token=' "$tmp/out" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/?token=[0-9a-f]*' "$tmp/out")
port=$(echo "$url" | sed 's|http://127.0.0.1:\([0-9]*\)/.*|\1|')
base=http://127.0.0.1:$port
cookie=$(curl -s -D - -o /dev/null "$url" | grep -io 'gk_session=[0-9a-f]*')
csrf=$(curl -s -b "$cookie" "$base/runs" | grep -o 'name="csrf" value="[0-9a-f]*' | sed 's/.*value="//')
rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$srv/status"; }
echo "server RSS at the start: $(rss)"

# 1. pages while an import runs through the web upload (each pass after the
#    first finds duplicates: the upload is still decoded and hashed)
( while :; do
    curl -s -o /dev/null -b "$cookie" -H "Origin: $base" -F "csrf=$csrf" \
      -F "files=@$tmp/runs.zip" "$base/runs"
  done ) &
imp=$!
sleep 0.5
"$bench" latency "$port" "$cookie" / 200
"$bench" latency "$port" "$cookie" /report 200
kill $imp 2>/dev/null; wait $imp 2>/dev/null || true; imp=
command -v sqlite3 >/dev/null &&
  echo "runs in the store after the import: $(sqlite3 "$tmp/gk.db" 'SELECT count(*) FROM activities')"

# 2. the load test, the RSS sampled every second
"$bench" load "$port" "$cookie" "$secs" "$clients" / /report /runs /gait &
load=$!
# the RSS every second over the load: steady means no growth from the
# first half to the second
: >"$tmp/rss"
while kill -0 $load 2>/dev/null; do
  awk '/^VmRSS/ {print $2}' "/proc/$srv/status" >>"$tmp/rss"
  sleep 1
done
wait $load
awk -v end="$(awk '/^VmRSS/ {print $2}' "/proc/$srv/status")" '
  { v[NR] = $1 }
  END {
    h = int(NR / 2); a = 1e18; b = 0; c = 1e18; d = 0
    for (i = 1; i <= NR; i++)
      if (i <= h) { if (v[i] < a) a = v[i]; if (v[i] > b) b = v[i] }
      else { if (v[i] < c) c = v[i]; if (v[i] > d) d = v[i] }
    printf "server RSS over the load (%d samples, 1 s apart): first half %d-%d kB, second half %d-%d kB; at the end %d kB\n", NR, a, b, c, d, end
  }' "$tmp/rss"
