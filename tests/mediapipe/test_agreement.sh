#!/usr/bin/env bash
# ctest mediapipe_agreement: gaitkeeper's BlazePose against MediaPipe's own
# PoseLandmarker (run_mediapipe.mjs) on the same frames and model files: the
# first 60 frames of ../shared/data/pose/videos/sports2d_demo.mp4 (H.264), the
# full model, gaitkeeper's landmarks smoothed as MediaPipe's VIDEO mode smooths
# its own (--smooth; both refined from the heatmap).  Where both follow the
# same person (hips' midpoints closer than a torso: compare.mjs --same-person),
# the median landmark distance of at least 95% of the frames must be within 3%
# of the picture's diagonal (61 px), at least 50 frames must be compared, and
# the median over all landmarks must be under 3 px.  Measured 2026-12-07: 59
# frames, median 1.6 px, p95 34.6 px, 57/59 within 61 px; without the heatmap
# refinement and the smoothing the median was 4.9 px (refined, unsmoothed
# 3.6 px), so the last check fails if either goes astray.  2026-12-08,
# the landmarks written with 6 decimals instead of 3: median 1.5 px, p95
# 34.2 px, 57/59.
# Skips, saying so, when the clip, ffmpeg or Chromium is absent.
# Usage: test_agreement.sh GAITKEEPER SHARED_DATA_DIR
. "$(dirname "$0")/lib.sh"
ffmpeg -nostdin -v error -i "$clip" -frames:v 60 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$tmp/c.mp4" || exit 1
"$gk" video --format mediapipe --smooth --out "$tmp/gk" "$tmp/c.mp4" || exit 1
node "$here/run_mediapipe.mjs" "$tmp/c.mp4" "$tmp/mp.json" --model full >/dev/null || exit 1
node "$here/compare.mjs" "$tmp/gk/c.json" "$tmp/mp.json" --width 1768 --height 994 \
  --same-person --px 61 | tee "$tmp/cmp.txt" || exit 1
n=$(sed -n 's/^frames compared: //p' "$tmp/cmp.txt")
[ "${n:-0}" -ge 50 ] || { echo "FAIL: only ${n:-0} frames compared"; exit 1; }
med=$(sed -n 's/^landmark distance px: median \([0-9.]*\),.*/\1/p' "$tmp/cmp.txt")
awk -v m="${med:-99}" 'BEGIN { exit !(m < 3) }' || { echo "FAIL: median ${med:-?} px, not under 3"; exit 1; }
echo "agreement: ok"
