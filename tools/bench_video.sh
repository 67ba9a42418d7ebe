#!/usr/bin/env bash
# The pose benchmark: gaitkeeper's BlazePose against MediaPipe's own
# PoseLandmarker (tests/mediapipe/run_mediapipe.mjs: tasks-vision in headless
# Chromium, CPU, on the same model files) on the same clip, for each model.
# For each of lite, full and heavy: `gaitkeeper video --json` (its frames/s),
# MediaPipe's frames/s end to end (Chromium's start, the model's load, decoding
# and every frame) and in detectForVideo alone, the ratios, and how far the two
# tracks are apart (tests/mediapipe/compare.mjs; informative here, not a gate).
# Then the SIMD level gaitkeeper ran at, and with a CLIP4K, the full model's
# peak resident memory on it (/usr/bin/time; the issue's bound: 300 MB).
# The load average is printed before and after: the figures move with it.
# Usage: tools/bench_video.sh GAITKEEPER [VIDEO [CLIP4K]]
#   VIDEO defaults to ../shared/data/pose/videos/sports2d_demo.mp4.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gk=${1:?usage: tools/bench_video.sh GAITKEEPER [VIDEO]}
video=${2:-$root/../shared/data/pose/videos/sports2d_demo.mp4}
clip4k=${3:-}
[ -x "$gk" ] || { echo "bench_video: $gk not found or not executable (build first)" >&2; exit 1; }
[ -f "$video" ] || { echo "bench_video: $video not found" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "bench_video: node not found (apt-get install nodejs)" >&2; exit 1; }
"$root/tests/mediapipe/setup.sh"
"$root/scripts/setup-models.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stem=$(basename "$video")
stem=${stem%.*}
# field FILE KEY: a number from a one-object JSON file.
field() { node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = o[process.argv[2]]; if (typeof v !== "number") process.exit(1); console.log(v)' "$1" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# text FILE KEY: a string from a one-object JSON file.
text() { node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(String(o[process.argv[2]]))' "$1" "$2"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "pose benchmark: $video ($(nproc) cores, load average $(loadavg))"
printf '%-6s %12s %14s %14s %10s %10s\n' model "gaitkeeper" "MediaPipe e2e" "MP detect" "ratio e2e" "ratio det"
for model in lite full heavy; do
  "$gk" video --model "$model" --format mediapipe --out "$tmp/gk-$model" --json "$video" >"$tmp/gk-$model.json"
  node "$root/tests/mediapipe/run_mediapipe.mjs" "$video" "$tmp/mp-$model.json" --model "$model" >/dev/null
  gk_fps=$(field "$tmp/gk-$model.json" frames_per_s)
  mp_fps=$(field "$tmp/mp-$model.json.timing.json" fps_end_to_end)
  mp_det=$(field "$tmp/mp-$model.json.timing.json" fps_detect)
  printf '%-6s %12s %14s %14s %9sx %9sx\n' "$model" "$gk_fps" "$mp_fps" "$mp_det" \
    "$(ratio "$gk_fps" "$mp_fps")" "$(ratio "$gk_fps" "$mp_det")"
  width=$(field "$tmp/mp-$model.json.timing.json" width)
  height=$(field "$tmp/mp-$model.json.timing.json" height)
  node "$root/tests/mediapipe/compare.mjs" "$tmp/gk-$model/$stem.json" "$tmp/mp-$model.json" \
    --width "$width" --height "$height" --same-person | sed 's/^/         /' || true
done
echo "frames/s: gaitkeeper's from its --json summary; ratio = gaitkeeper / MediaPipe"
echo "gaitkeeper ran on: $(text "$tmp/gk-full.json" backend); load average after: $(loadavg)"
if [ -n "$clip4k" ]; then
  [ -x /usr/bin/time ] || { echo "bench_video: /usr/bin/time not found (apt-get install time)" >&2; exit 1; }
  /usr/bin/time -f '%M' -o "$tmp/rss4k" "$gk" video --model full --json "$clip4k" >"$tmp/gk-4k.json"
  echo "4K, full model: $(field "$tmp/gk-4k.json" width)x$(field "$tmp/gk-4k.json" height)" \
    "$(text "$tmp/gk-4k.json" codec), $(field "$tmp/gk-4k.json" frames_per_s) frames/s," \
    "peak RSS $(awk '{ printf "%.0f", $1 / 1024 }' "$tmp/rss4k") MiB (bound 300 MB);" \
    "load average $(loadavg)"
fi
