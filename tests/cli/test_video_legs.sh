#!/usr/bin/env bash
# The legs from BlazePose's depth order on a real side-view clip: the walker
# of ../shared/data/pose/videos/sports2d_demo.mp4, frames 74-199 (she enters
# at the right at frame 74 and walks to the left, her left side towards the
# camera, as frames 74, 120 and 160 show), cut to H.264 with the ffmpeg CLI.
# BlazePose's z is smaller nearer the camera (MediaPipe/ML Kit: negative z is
# between the hips and the camera), so the left leg must come out as the
# near one.  Measured 2026-12-07, full model: left side near, 0 frames
# swapped back, 3 frames with the far leg collapsed on the near one left out;
# per side, cadence 110 / 141 steps/min before and after, contact time
# 175 / 78.8 ms before, 175 / 75.8 ms after (the split does not come from
# swapped legs on this clip: see docs/METRICS.md).
# Usage: test_video_legs.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1 data=$2 shared=$3
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB="$tmp/store.db"
src=$(cd "$(dirname "$0")/../.." && pwd)
models=${GAITKEEPER_MODELS:-$src/models/node_modules/@mediapipe/pose}
clip=$shared/pose/videos/sports2d_demo.mp4
[ -f "$models/pose_landmark_full.tflite" ] || { echo "SKIP: the pose models are not installed ($models)"; exit 0; }
command -v ffmpeg >/dev/null 2>&1 || { echo "SKIP: ffmpeg (the CLI) is not installed"; exit 0; }
[ -f "$clip" ] || { echo "SKIP: $clip is absent"; exit 0; }
: "$data"

ffmpeg -nostdin -v error -i "$clip" -vf "trim=start_frame=74:end_frame=200,setpts=PTS-STARTPTS" \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$tmp/walk.mp4" || exit 1

"$gk" video --json "$tmp/walk.mp4" >"$tmp/v.json"
check "video --json exits 0" test $? -eq 0
check "the left side faces the camera" json_has "$tmp/v.json" 'r.near_side === "left"'
check "no frame has its labels swapped by the depth order" json_has "$tmp/v.json" 'r.legs_repaired === 0'
check "1 to 6 frames with the far leg collapsed (measured 3)" \
  json_has "$tmp/v.json" 'r.legs_collapsed >= 1 && r.legs_collapsed <= 6'
"$gk" video --json --no-leg-repair "$tmp/walk.mp4" >"$tmp/v0.json"
check "--no-leg-repair: nothing repaired or left out" \
  json_has "$tmp/v0.json" 'r.near_side === "unknown" && r.legs_repaired === 0 && r.legs_collapsed === 0'

"$gk" video --model lite --json "$tmp/walk.mp4" >"$tmp/vl.json"
check "lite: the left side faces the camera too" json_has "$tmp/vl.json" 'r.near_side === "left"'

"$gk" gait --no-store --no-leg-repair "$tmp/walk.mp4" >"$tmp/before.txt" 2>&1
check "gait before exits 0" test $? -eq 0
"$gk" gait --no-store "$tmp/walk.mp4" >"$tmp/after.txt" 2>&1
check "gait after exits 0" test $? -eq 0
check "gait says the near side and the counts" \
  grep -q "the left side faces the camera; 0 frames with left and right swapped back, [1-6] frames with the far leg" "$tmp/after.txt"
side() { awk -v m="$2" '$1 == m { print $2, $3 }' "$1"; }
for m in cadence_spm contact_time_ms; do
  echo "$m left right: before $(side "$tmp/before.txt" $m), after $(side "$tmp/after.txt" $m)"
done
split() { side "$1" "$2" | awk '{ d = $1 - $2; print d < 0 ? -d : d }'; }
b=$(split "$tmp/before.txt" cadence_spm) a=$(split "$tmp/after.txt" cadence_spm)
check "cadence left-right split not wider after ($b -> $a)" awk -v a="$a" -v b="$b" 'BEGIN { exit !(a <= b + 0.5) }'
b=$(split "$tmp/before.txt" contact_time_ms) a=$(split "$tmp/after.txt" contact_time_ms)
check "contact time split within 10 ms of before ($b -> $a)" awk -v a="$a" -v b="$b" 'BEGIN { exit !(a <= b + 10) }'
summary
