#!/usr/bin/env bash
# The gait answer on real video against a count by eye (ctest
# cli_video_handcount).
# The walker of ../shared/data/pose/videos/sports2d_demo.mp4 (30 fps; she
# enters at frame 74 and walks to the image left, left side to the camera).
# Initial contacts by hand: frames 90-153 were cut with ffmpeg to a 600x240
# window following her feet (crop x = 1282 - (n - 74) * 10.1 - 300, y 750),
# tiled 4x4 per picture and looked at frame by frame; frames 162-173 in a
# 520x220 window at x 130, y 774, and 166-171 twice enlarged.  A contact is
# the first frame where the leading foot's heel is on the grass: frames 94,
# 113, 130, 147 and 168 (about +-1 frame each; her foot is already down at
# 74, where she comes into view, so that contact is not counted).  Cadence
# by hand: 4 steps in 74 frames = 97.3 steps/min (3 steps in 53 frames from
# 94 to 147 = 101.9: her last step, 21 frames, is slower than the others,
# 17-19).
# Measured 2026-12-07 (full model) before the walk rule: contacts at frames
# 102, 118, 137 (foot flat, 5-8 frames late), cadence 126 steps/min; on the
# heatmap-refined landmarks 13 contacts (92, 101, 111, 115, 120, 131, 135,
# ...), cadence 160.
# Measured 2026-12-08 with the walk rule (src/gait/gait2d.c walk_contacts):
# contacts 74.7, 94.1, 112.2, 130.1, 148.4, 168.8; over the counted interval
# 94-168 that is 4 steps in 74.7 frames = 96.4 steps/min, and the clip's
# cadence (all 5 steps) 95.6, against 97.3 by hand.
# Checked: each contact by hand has one of gaitkeeper's within 2 frames and
# no other is found in 90-172; gaitkeeper's cadence over its contacts in that
# interval, and its summary cadence, within 2 steps/min of the hand's.
# Usage: handcount_walk.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1 data=$2 shared=$3
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB="$tmp/store.db"
src=$(cd "$(dirname "$0")/../.." && pwd)
models=${GAITKEEPER_MODELS:-$src/models/node_modules/@mediapipe/pose}
clip=$shared/pose/videos/sports2d_demo.mp4
[ -f "$models/pose_landmark_full.tflite" ] || { echo "SKIP: the pose models are not installed ($models)"; exit 0; }
command -v ffmpeg >/dev/null 2>&1 || { echo "SKIP: ffmpeg (the CLI) is not installed"; exit 0; }
command -v node >/dev/null 2>&1 || { echo "SKIP: node is not installed"; exit 0; }
[ -f "$clip" ] || { echo "SKIP: $clip is absent"; exit 0; }
: "$data"
first=74 # the cut's frame 0 is the clip's frame 74
ffmpeg -nostdin -v error -i "$clip" -vf "trim=start_frame=$first:end_frame=200,setpts=PTS-STARTPTS" \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$tmp/walk.mp4" || exit 1
"$gk" gait --no-store --json "$tmp/walk.mp4" >"$tmp/g.json" 2>"$tmp/g.err"
check "gait exits 0" test $? -eq 0
hand='[94, 113, 130, 147, 168]'
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const first = +process.argv[2], hand = JSON.parse(process.argv[3]);
  const ic = r.steps.map(s => s.ic_s * r.fps + first)
                    .filter(f => f >= 90 && f <= 172).sort((a, b) => a - b);
  const spm = ic.length > 1 ? (ic.length - 1) / ((ic[ic.length - 1] - ic[0]) / r.fps) * 60 : NaN;
  const byHand = (hand.length - 1) / ((hand[hand.length - 1] - hand[0]) / r.fps) * 60;
  const all = r.summary.cadence_spm.mean;
  console.log("contacts by hand " + hand.join(" ") + "; gaitkeeper " + ic.map(f => f.toFixed(1)).join(" ") +
              "; cadence by hand " + byHand.toFixed(1) + ", gaitkeeper over those contacts " +
              spm.toFixed(1) + ", over the clip " + all.toFixed(1));
  let ok = ic.length === hand.length && hand.every((h, i) => Math.abs(ic[i] - h) <= 2);
  ok = ok && Math.abs(spm - byHand) <= 2 && Math.abs(all - byHand) <= 2;
  process.exit(ok ? 0 : 1);' "$tmp/g.json" $first "$hand"
check "contacts within 2 frames of the hand count, cadence within 2 steps/min" test $? -eq 0
summary
