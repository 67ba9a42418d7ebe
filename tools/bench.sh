#!/usr/bin/env bash
# make bench: decode the real FIT corpus repeatedly with gaitkeeper and with
# the official FIT SDK for JavaScript, side by side in one run, and print
# MB/s, messages/s and the ratio per file; then peak memory of
# `gaitkeeper fit dump --format none` on a small and a large input.
# Usage: tools/bench.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:-build/release}
secs=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/data/fit"
if [ ! -d "$data" ]; then
  echo "bench: $data not found (the benchmark reads ../shared/data beside the project)"
  exit 0
fi
# Record-heavy runs and rides from several devices.
files=(
  "$data/python-fitparse/garmin-edge-500-activity.fit"
  "$data/python-fitparse/2019-02-17-062644-ELEMNT-297E-195-0.fit"
  "$data/python-fitparse/activity-large-fenxi2-multisport.fit"
  "$data/goldencheetah/fenix6x_trail_4077461142.fit"
  "$data/goldencheetah/Fr955v19.28andStryd.fit"
  "$data/tormoder-fit/bpg__garmin.fit"
)
ours=$(mktemp) sdk=$(mktemp)
trap 'rm -f "$ours" "$sdk"' EXIT
"$root/$build/bench_fit" --seconds "$secs" "${files[@]}" > "$ours"
node "$root/tools/bench_fit_sdk.mjs" "${files[@]}" > "$sdk"
node - "$ours" "$sdk" <<'JS'
const fs = require('fs');
const rd = f => fs.readFileSync(f, 'utf8').trim().split('\n').map(l => JSON.parse(l));
const ours = rd(process.argv[2]), sdk = rd(process.argv[3]);
const pad = (s, n) => String(s).padStart(n);
console.log('file'.padEnd(44) + pad('bytes', 9) + pad('gk MB/s', 9) + pad('sdk MB/s', 9) + pad('ratio', 7) + pad('gk msg/s', 11));
let tb = 0, tg = 0, ts = 0;
ours.forEach((o, i) => {
  const s = sdk[i];
  tb += o.bytes; tg += o.seconds_per_decode; ts += s.seconds_per_decode;
  console.log(o.file.split('/').pop().padEnd(44) + pad(o.bytes, 9) + pad(o.mb_per_s.toFixed(1), 9) +
    pad(s.mb_per_s.toFixed(2), 9) + pad((o.mb_per_s / s.mb_per_s).toFixed(0) + 'x', 7) + pad(Math.round(o.messages_per_s), 11));
});
console.log('all files'.padEnd(44) + pad(tb, 9) + pad((tb / tg / 1e6).toFixed(1), 9) + pad((tb / ts / 1e6).toFixed(2), 9) + pad((ts / tg).toFixed(0) + 'x', 7));
JS
# Peak memory of the streaming decoder must not grow with the input.
big=$(mktemp)
for i in $(seq 40); do cat "$data/python-fitparse/2019-02-17-062644-ELEMNT-297E-195-0.fit"; done > "$big"
for f in "$data/python-fitparse/garmin-fenix-5-run.fit" "$big"; do
  rss=$( { /usr/bin/time -f '%M' "$root/$build/gaitkeeper" fit dump --format none "$f" >/dev/null; } 2>&1 | tail -1)
  echo "peak RSS, fit dump --format none, $(stat -c %s "$f") bytes: ${rss} KiB"
done
rm -f "$big"
