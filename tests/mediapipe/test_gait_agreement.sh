#!/usr/bin/env bash
# ctest mediapipe_gait_agreement: the gait answer from gaitkeeper's own pose
# against the gait answer from MediaPipe's PoseLandmarker keypoints
# (run_mediapipe.mjs, the same full model) on the same frames: the walker of
# ../shared/data/pose/videos/sports2d_demo.mp4, frames 74-199 (as
# tests/cli/handcount_walk.sh), cut to H.264.  MediaPipe's keypoints go
# through `gaitkeeper gait --image-size` (the same analysis), so what is
# compared is what the pose changes in the answer.  gaitkeeper reads the
# cut and phone-like variants made from it with the ffmpeg CLI: the picture
# turned a quarter and a 90-degree display matrix to turn it back, HEVC
# (libx265) and a variable frame rate (every 7th frame dropped, timestamps
# kept).  Checked (gait_compare.mjs) on the H.264 cut (the pixels MediaPipe saw): every
# contact within 2 frames of MediaPipe's on the same side, at least 4
# matched, none unmatched; cadence over the matched contacts within 2
# steps/min; contact time within 67 ms (two frames: contact and toe-off
# each to one frame) and knee flexion at initial contact within 5 deg
# (medians over the steps).  The variants are encoded again, which moves
# the occluded far leg's heel by up to 2-3 frames: contacts within 3
# frames, none unmatched, cadence within 4 steps/min (one contact 3 frames
# off moves a cadence over 4 steps of 74 frames by 4), contact time within
# 67 ms, knee flexion within 5 deg.
# Measured 2026-12-08 against MediaPipe's 6 contacts (cadence 97.8 over the
# matched ones): the cut 5 matched, cadence 96.4, contact time 7.1 ms and
# knee flexion 0.7 deg apart; turned 6 matched, 100.8 against 98.6, 23 ms,
# 0.9 deg; HEVC 5 matched (the last far-leg contact 2.2 frames late), 94.5
# against 97.8, 24 ms, 2.5 deg; variable rate 6 matched, 98.2 against 98.6,
# 25 ms, 3.6 deg (before the walk rule joined lifts under 0.25 s, one
# stance of the near foot split in two there: the model exchanged the legs
# for 0.2 s as the far one swung past).
# Skips, saying so, when the clip, ffmpeg, node or Chromium is absent.
# Usage: test_gait_agreement.sh GAITKEEPER SHARED_DATA_DIR
. "$(dirname "$0")/lib.sh"
cut="trim=start_frame=74:end_frame=200,setpts=PTS-STARTPTS"
ffmpeg -nostdin -v error -i "$clip" -vf "$cut" -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p "$tmp/walk.mp4" || exit 1
node "$here/run_mediapipe.mjs" "$tmp/walk.mp4" "$tmp/mp.json" --model full >/dev/null || exit 1
"$gk" gait --no-store --json --fps 30 --image-size 1768x994 "$tmp/mp.json" >"$tmp/mp_gait.json" ||
  { echo "FAIL: gait on MediaPipe's keypoints"; exit 1; }
# as a phone held on its side writes it: the picture turned a quarter
# clockwise, with a display matrix that turns it back
ffmpeg -nostdin -v error -i "$tmp/walk.mp4" -vf transpose=clock -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p "$tmp/turned.mp4" || exit 1
ffmpeg -nostdin -v error -i "$tmp/turned.mp4" -c copy -metadata:s:v:0 rotate=90 "$tmp/walk_rot90.mp4" || exit 1
ffmpeg -nostdin -v error -i "$tmp/walk.mp4" -vf "select='not(eq(mod(n\,7)\,3))'" -fps_mode vfr \
  -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$tmp/walk_vfr.mp4" || exit 1
variants="walk walk_rot90 walk_vfr"
if ffmpeg -hide_banner -encoders 2>/dev/null | grep -q libx265; then
  ffmpeg -nostdin -v error -i "$tmp/walk.mp4" -c:v libx265 -preset ultrafast -x265-params log-level=error \
    -pix_fmt yuv420p -tag:v hvc1 "$tmp/walk_hevc.mp4" || exit 1
  variants="$variants walk_hevc"
else
  echo "SKIP (one variant): ffmpeg has no libx265 encoder, no HEVC clip"
fi
rc=0
for v in $variants; do
  echo "== $v"
  if ! "$gk" gait --no-store --json "$tmp/$v.mp4" >"$tmp/$v.json" 2>"$tmp/$v.err"; then
    echo "FAIL: gait on $v.mp4: $(cat "$tmp/$v.err")"
    rc=1
    continue
  fi
  if [ "$v" = walk ]; then
    node "$here/gait_compare.mjs" "$tmp/$v.json" "$tmp/mp_gait.json" || rc=1
  else
    node "$here/gait_compare.mjs" "$tmp/$v.json" "$tmp/mp_gait.json" --frames 3 --unmatched 0 \
      --cadence 4 --contact 67 --knee 5 || rc=1
  fi
done
[ $rc -eq 0 ] && echo "gait agreement: ok"
exit $rc
