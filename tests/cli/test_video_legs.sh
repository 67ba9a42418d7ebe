#!/usr/bin/env bash
# The legs from BlazePose's depth order on a real side-view clip: the walker
# of ../shared/data/pose/videos/sports2d_demo.mp4, frames 74-199 (she enters
# at the right at frame 74 and walks to the left, her left side towards the
# camera, as frames 74, 120 and 160 show), cut to H.264 with the ffmpeg CLI.
# BlazePose's z is smaller nearer the camera (MediaPipe/ML Kit: negative z is
# between the hips and the camera), so the left leg must come out as the
# near one.  Measured 2026-12-07, full model: left side near, 0 frames
# swapped back, 3 frames with the far leg collapsed on the near one left
# out.  Measured 2026-12-08 with the walk rule (heatmap-refined landmarks):
# 5 frames left out; contacts (frames of the cut) 0.7, 20.1, 38.2, 56.1,
# 74.4, 94.8 with the repair and the same but 55.2 without (by eye: 56);
# cadence left / right 93.5 / 98.9 with, 95.1 / 96.5 without; contact time
# 890.7 / 883.1 ms with, 890.7 / 898.4 without.
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

"$gk" gait --no-store --no-leg-repair --json "$tmp/walk.mp4" >"$tmp/before.json" 2>"$tmp/before.err"
check "gait before exits 0" test $? -eq 0
"$gk" gait --no-store --json "$tmp/walk.mp4" >"$tmp/after.json" 2>"$tmp/after.err"
check "gait after exits 0" test $? -eq 0
"$gk" gait --no-store "$tmp/walk.mp4" >"$tmp/after.txt" 2>&1
check "gait says the near side and the counts" \
  grep -q "the left side faces the camera; 0 frames with left and right swapped back, [1-6] frames with the far leg" "$tmp/after.txt"
# Leaving the collapsed frames out must not move the events: the same
# contacts, each within a frame (per side, 2-3 steps: one frame moves a
# side's cadence by about 5 steps/min, so the sides' split is no measure).
node -e '
  const fs = require("fs");
  const b = JSON.parse(fs.readFileSync(process.argv[1])), a = JSON.parse(fs.readFileSync(process.argv[2]));
  const ic = r => r.steps.map(s => s.ic_s * r.fps);
  const x = ic(b), y = ic(a);
  console.log("contacts (frames of the cut) before " + x.map(f => f.toFixed(1)).join(" ") +
              ", after " + y.map(f => f.toFixed(1)).join(" "));
  for (const m of ["cadence_spm", "contact_time_ms"])
    console.log(m + " left right: before " + b.summary[m].left.toFixed(1) + " " + b.summary[m].right.toFixed(1) +
                ", after " + a.summary[m].left.toFixed(1) + " " + a.summary[m].right.toFixed(1));
  process.exit(x.length >= 4 && x.length === y.length && x.every((f, i) => Math.abs(f - y[i]) <= 1) ? 0 : 1);
' "$tmp/before.json" "$tmp/after.json"
check "the same contacts before and after, each within 1 frame" test $? -eq 0
split() { node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1])).summary[process.argv[2]];
  console.log(Math.abs(m.left - m.right))' "$1" "$2"; }
b=$(split "$tmp/before.json" contact_time_ms) a=$(split "$tmp/after.json" contact_time_ms)
check "contact time split within 10 ms of before ($b -> $a)" awk -v a="$a" -v b="$b" 'BEGIN { exit !(a <= b + 10) }'
summary
