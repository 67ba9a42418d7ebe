#!/usr/bin/env bash
# The import benchmark: N distinct realistic runs (default 1000) written as
# FIT files by tools/gen_runs (gaitkeeper's own FIT writer), imported into a
# fresh store with `gaitkeeper import` (best of 3 runs, each into a new
# store; /usr/bin/time for the peak RSS), then imported again (every file a
# duplicate); and the official Garmin FIT SDK for JavaScript decoding the
# same files once (tools/bench_sdk_decode_dir.mjs, decoding only, files
# read beforehand).  Prints runs/s, MB/s, CPU time, peak RSS, the store's
# size and the ratio to the SDK.
# Usage: tools/bench_import.sh BUILD_DIR [N]
set -euo pipefail
build=${1:-build/release}
n=${2:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build="$root/$build" ;; esac
gk="$build/gaitkeeper"
gen="$build/gen_runs"
for x in "$gk" "$gen"; do
  [ -x "$x" ] || { echo "bench_import: $x not found (build first)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench_import: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp/runs" "$n"
bytes=$(find "$tmp/runs" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
echo "import benchmark: $n runs, $bytes bytes of FIT ($(nproc) cores)"

best=""
for i in 1 2 3; do
  rm -f "$tmp"/store.db*
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
    "$gk" --db "$tmp/store.db" import "$tmp/runs" >"$tmp/out"
  grep -q "^imported $n runs, skipped 0 duplicates" "$tmp/out" ||
    { echo "bench_import: unexpected result: $(cat "$tmp/out")" >&2; exit 1; }
  read -r wall user sys rss <"$tmp/time"
  if [ -z "$best" ] || awk "BEGIN {exit !($wall < $best)}"; then
    best=$wall best_cpu=$(awk "BEGIN {print $user + $sys}") best_rss=$rss
  fi
done
store_bytes=$(stat -c %s "$tmp/store.db")
/usr/bin/time -f '%e %M' -o "$tmp/time2" \
  "$gk" --db "$tmp/store.db" import "$tmp/runs" >"$tmp/out"
read -r wall2 rss2 <"$tmp/time2"

awk -v n="$n" -v b="$bytes" -v w="$best" -v cpu="$best_cpu" -v rss="$best_rss" \
    -v sb="$store_bytes" -v w2="$wall2" 'BEGIN {
  printf "gaitkeeper import:  %.2f s wall (%.2f s CPU): %.0f runs/s, %.1f MB/s, peak RSS %.1f MiB\n",
         w, cpu, n / w, b / 1e6 / w, rss / 1024
  printf "  store: %.1f MB (%.1f kB a run, samples included)\n", sb / 1e6, sb / 1e3 / n
  printf "  again (all duplicates): %.2f s, %.0f files/s\n", w2, n / w2
}'

if ! command -v node >/dev/null; then
  echo "official SDK: node not found; ratio not measured"
  exit 0
fi
if ! node "$root/tools/bench_sdk_decode_dir.mjs" "$tmp/runs" >"$tmp/sdk" 2>"$tmp/sdk_err"; then
  echo "official SDK: $(cat "$tmp/sdk_err"); ratio not measured"
  exit 0
fi
node - "$tmp/sdk" "$best" "$best_cpu" <<'JS'
const fs = require('fs');
const s = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const wall = Number(process.argv[3]), cpu = Number(process.argv[4]);
console.log(`official SDK decode alone: ${s.seconds.toFixed(2)} s: ${s.files_per_s.toFixed(0)} files/s, ` +
  `${s.mb_per_s.toFixed(1)} MB/s` + (s.errors ? ` (${s.errors} decode errors)` : ''));
console.log(`ratio: import ${(s.seconds / wall).toFixed(1)}x faster than the SDK's decode alone ` +
  `(wall time; ${(s.seconds / cpu).toFixed(1)}x per CPU second)`);
JS
