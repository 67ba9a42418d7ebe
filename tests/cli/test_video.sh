#!/usr/bin/env bash
# `gaitkeeper video` and `gaitkeeper gait VIDEO`: the pose on a real clip
# (../shared/data/pose/videos/sports2d_demo.mp4: a person walking across a
# 1768x994 VP9 picture, 30 fps, 230 frames), phone-like variants made with
# the ffmpeg CLI (a 90-degree display matrix, H.264 moved to the front and
# cut in the middle), and the errors: missing or altered model files, not a
# video, nobody in view.
# Usage: test_video.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1 data=$2 shared=$3
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB="$tmp/store.db"
src=$(cd "$(dirname "$0")/../.." && pwd)
models=${GAITKEEPER_MODELS:-$src/models/node_modules/@mediapipe/pose}
clip=$shared/pose/videos/sports2d_demo.mp4

if [ ! -f "$models/pose_landmark_full.tflite" ]; then
  echo "SKIP: the pose models are not installed ($models); run scripts/setup-models.sh"
  exit 0
fi
if ! command -v ffmpeg >/dev/null 2>&1; then
  echo "SKIP: ffmpeg (the CLI, to make test clips) is not installed"
  exit 0
fi

# ---- errors ---------------------------------------------------------------
GAITKEEPER_MODELS=$tmp/nomodels "$gk" video "$data/../cli/lib.sh" 2>"$tmp/e0" >/dev/null
check "not a video exits 1" test $? -eq 1
printf 'not a video at all\n' >"$tmp/text.mp4"
"$gk" video "$tmp/text.mp4" 2>"$tmp/e1" >/dev/null
check "a text file named .mp4 exits 1" test $? -eq 1
check "a text file: named, with the problem" grep -q "video: $tmp/text.mp4: " "$tmp/e1"

ffmpeg -v error -f lavfi -i testsrc2=size=320x240:rate=30 -t 2 -pix_fmt yuv420p \
  -c:v libx264 -preset ultrafast "$tmp/nobody.mp4"
GAITKEEPER_MODELS=$tmp/nomodels "$gk" video "$tmp/nobody.mp4" 2>"$tmp/e2" >/dev/null
check "missing models exit 1" test $? -eq 1
check "missing models: the file named, and how to install" \
  grep -q "$tmp/nomodels/pose_solution_packed_assets.data: model file not found (install the models with scripts/setup-models.sh" "$tmp/e2"
mkdir "$tmp/altered"
cp "$models"/*.tflite "$models"/pose_solution_packed_assets.data "$tmp/altered/"
printf '\x01' | dd of="$tmp/altered/pose_landmark_full.tflite" bs=1 seek=100000 conv=notrunc 2>/dev/null
GAITKEEPER_MODELS=$tmp/altered "$gk" video "$tmp/nobody.mp4" 2>"$tmp/e3" >/dev/null
check "an altered model exits 1" test $? -eq 1
check "an altered model: named, SHA-256 said" \
  grep -q "altered/pose_landmark_full.tflite: model file's SHA-256 differs" "$tmp/e3"
"$gk" video "$tmp/nobody.mp4" 2>"$tmp/e4" >/dev/null
check "nobody in view exits 1" test $? -eq 1
check "nobody in view: said" grep -q "no person was found" "$tmp/e4"
"$gk" video --model medium "$tmp/nobody.mp4" 2>"$tmp/e5"
check "a bad --model exits 2" test $? -eq 2

if [ ! -f "$clip" ]; then
  echo "SKIP (the rest): $clip is absent"
  summary
  exit $?
fi

# ---- the real clip ----------------------------------------------------------
"$gk" video --json "$clip" >"$tmp/v.json"
check "the clip exits 0" test $? -eq 0
check "all 230 frames decoded, a person in at least 150" json_has "$tmp/v.json" \
  'r.frames === 230 && r.frames_found >= 150 && r.width === 1768 && r.height === 994'
check "backend and speed reported" json_has "$tmp/v.json" \
  'r.frames_per_s > 0 && /XNNPACK|reference/.test(r.backend) && r.model === "full"'
"$gk" video "$clip" >"$tmp/v.txt"
check "summary line: frames/s and the SIMD level" \
  grep -Eq "230 frames in [0-9.]+ s \([0-9.]+ frames/s\), (XNNPACK [A-Z0-9.-]+|reference)" "$tmp/v.txt"

"$gk" video --out "$tmp/op" "$clip" >/dev/null
check "openpose: one file per frame" test "$(ls "$tmp/op" | wc -l)" -eq 230
check "openpose: BODY_25 arrays" json_has "$tmp/op/sports2d_demo_000000000100_keypoints.json" \
  'r.people.length === 1 && r.people[0].pose_keypoints_2d.length === 75'
"$gk" gait --no-store --json --fps 30 "$tmp/op" >"$tmp/g_op.json" 2>"$tmp/g_op.err"
check "the written keypoints read back by gait (read, then analysed as a walk)" \
  json_has "$tmp/g_op.json" 'r.notes.some(n => n.startsWith("Walking"))' 
"$gk" video --format mediapipe --out "$tmp/mp" "$clip" >/dev/null
check "mediapipe: one JSON list of 230 frames of 33" json_has "$tmp/mp/sports2d_demo.json" \
  'r.length === 230 && r.filter(f => f.length === 33).length >= 150 && r[100][0].x > 0 && r[100][0].x < 1'
# MediaPipe's landmarks are fractions of the picture: gait asks for its
# size rather than analyse angles squeezed by the 16:9 aspect; given it,
# the file is read and analysed as the OpenPose folder is.
"$gk" gait --no-store --fps 30 "$tmp/mp/sports2d_demo.json" >/dev/null 2>"$tmp/g_mp.err"
check "mediapipe keypoints without the picture's size: exit 2" test $? -eq 2
check "... the file named, and --image-size asked for" \
  grep -q "sports2d_demo.json: the keypoints are fractions of the picture.*--image-size WIDTHxHEIGHT" "$tmp/g_mp.err"
"$gk" gait --no-store --fps 30 --image-size 1768by994 "$tmp/mp/sports2d_demo.json" >/dev/null 2>"$tmp/g_mp.err"
check "a malformed --image-size: exit 2, what it takes" \
  grep -q -- "--image-size takes the picture's WIDTHxHEIGHT in pixels" "$tmp/g_mp.err"
"$gk" gait --no-store --json --fps 30 --image-size 1768x994 "$tmp/mp/sports2d_demo.json" >"$tmp/g_mp.json" 2>"$tmp/g_mp.err"
check "with --image-size: read and analysed" test $? -eq 0
# The walker crossing the lawn is the one followed, not the person doing
# jumping jacks on the box (hips high in the picture, x about 0.37): from
# frame 80 to 190 her hips are low (y > 0.6) and move right to left.
check "the walker is followed, right to left" json_has "$tmp/mp/sports2d_demo.json" \
  '[80, 110, 140, 170, 190].every(i => r[i].length === 33 && r[i][23].y > 0.6) && r[80][23].x > r[140][23].x + 0.2 && r[140][23].x > r[190][23].x + 0.2'

# The clip is walking, not running: the analysis says it found a walk
# (double support, the pelvis highest at mid-stance) and times its contacts
# by the walk rule (docs/METRICS.md).
"$gk" gait --no-store --json "$clip" >"$tmp/g.json" 2>"$tmp/g.err"
check "gait on a walking clip exits 0" test $? -eq 0
check "gait on a walking clip: a walk is said" \
  json_has "$tmp/g.json" 'r.notes.some(n => n.startsWith("Walking"))'
# The keypoints written are those analysed (the legs repaired): gait on
# the MediaPipe file gives the video's own answer.
check "the written keypoints give the video's answer (the same contacts and cadence)" \
  node -e 'const f = n => JSON.parse(require("fs").readFileSync(n)); const a = f(process.argv[1]), b = f(process.argv[2]);
    process.exit(a.steps.length >= 4 && a.steps.length === b.steps.length &&
      a.steps.every((s, i) => Math.abs(s.ic_s - b.steps[i].ic_s) < 0.005) &&
      Math.abs(a.summary.cadence_spm.mean - b.summary.cadence_spm.mean) < 0.5 ? 0 : 1)' "$tmp/g_mp.json" "$tmp/g.json"
check "gait on a walking clip stores nothing" test ! -s "$GAITKEEPER_DB" -o "$(sqlite3 "$GAITKEEPER_DB" 'SELECT count(*) FROM capture' 2>/dev/null || echo 0)" = 0

# The same picture with a display matrix (tagged without re-encoding, as a
# phone writes it): the display size turns, and so does the runner (lying
# across the turned picture: nose and ankle apart in x, not in y).
ffmpeg -v error -i "$clip" -frames:v 60 -c:v libx264 -preset ultrafast -pix_fmt yuv420p "$tmp/up.mp4"
ffmpeg -v error -i "$tmp/up.mp4" -c copy -metadata:s:v:0 rotate=90 "$tmp/rot.mp4"

# --smooth writes the landmarks one-euro smoothed (MediaPipe's VIDEO mode):
# the same bytes every run, the same frames found, near the unsmoothed ones
# and steadier (the hips' frame-to-frame path shorter); --no-refine leaves
# out the heatmap refinement and gives other landmarks.
"$gk" video --format mediapipe --out "$tmp/u" "$tmp/up.mp4" >/dev/null
"$gk" video --format mediapipe --smooth --out "$tmp/s1" "$tmp/up.mp4" >/dev/null
"$gk" video --format mediapipe --smooth --out "$tmp/s2" "$tmp/up.mp4" >/dev/null
"$gk" video --format mediapipe --no-refine --out "$tmp/nr" "$tmp/up.mp4" >/dev/null
check "smoothed: the same bytes twice" cmp -s "$tmp/s1/up.json" "$tmp/s2/up.json"
export U="$tmp/u/up.json"
check "smoothed: same frames, within 1% of the diagonal of the unsmoothed, steadier" \
  json_has "$tmp/s1/up.json" '(() => {
    const u = JSON.parse(require("fs").readFileSync(process.env.U, "utf8"));
    const W = 1768, H = 994, diag = Math.hypot(W, H);
    const hip = f => [(f[23].x + f[24].x) / 2 * W, (f[23].y + f[24].y) / 2 * H];
    if (r.length !== u.length || r.some((f, i) => f.length !== u[i].length)) return false;
    const d = [];
    let pu = 0, ps = 0;
    for (let i = 0; i < r.length; i++) {
      if (!r[i].length) continue;
      for (let k = 0; k < 33; k++)
        d.push(Math.hypot((r[i][k].x - u[i][k].x) * W, (r[i][k].y - u[i][k].y) * H));
      if (i && r[i - 1].length) {
        const a = hip(u[i]), b = hip(u[i - 1]), c = hip(r[i]), e = hip(r[i - 1]);
        pu += Math.hypot(a[0] - b[0], a[1] - b[1]);
        ps += Math.hypot(c[0] - e[0], c[1] - e[1]);
      }
    }
    d.sort((a, b) => a - b);
    return d.length > 0 && d[d.length >> 1] < 0.01 * diag && d[d.length >> 1] > 0 && ps < pu;
  })()'
check "no refinement: other landmarks" sh -c "! cmp -s '$tmp/u/up.json' '$tmp/nr/up.json'"
"$gk" video --json "$tmp/rot.mp4" >"$tmp/rot.json"
check "rotated: display size turned, rotation said" json_has "$tmp/rot.json" \
  'r.width === 994 && r.height === 1768 && (r.rotation_deg === 90 || r.rotation_deg === 270) && r.frames === 60 && r.frames_found >= 30'
"$gk" video --format mediapipe --out "$tmp/rot" "$tmp/rot.mp4" >/dev/null
check "rotated: the runner lies across the turned picture" json_has "$tmp/rot/rot.json" \
  'r.filter(f => f.length === 33 && Math.abs(f[0].x - f[27].x) * 994 > 2 * Math.abs(f[0].y - f[27].y) * 1768).length >= 30'

# A clip cut in the middle: the frames before the cut are analysed.
ffmpeg -v error -i "$clip" -c:v libx264 -preset ultrafast -pix_fmt yuv420p \
  -movflags +faststart "$tmp/whole.mp4"
size=$(stat -c %s "$tmp/whole.mp4")
head -c $((size / 2)) "$tmp/whole.mp4" >"$tmp/cut.mp4"
"$gk" video --json "$tmp/cut.mp4" >"$tmp/cut.json" 2>"$tmp/cut.err"
check "a cut clip exits 0 with the frames before the cut" json_has "$tmp/cut.json" \
  'r.frames > 50 && r.frames < 230 && r.stopped_early === true'

summary
