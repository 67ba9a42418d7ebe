#!/usr/bin/env bash
# `gaitkeeper gait` on a lab capture: the RBDS running trial with its static
# trial (text and JSON, the stored capture), a synthetic C3D from
# tests/data/gait3d, and the errors: a missing file, a truncated C3D, a
# marker the model needs missing, usage errors.
# Usage: test_gait.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1 data=$2 shared=$3
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB="$tmp/store.db"
stored() { sqlite3 "$GAITKEEPER_DB" "SELECT count(*) FROM $1" 2>/dev/null; }

# A synthetic trial (anatomical markers in the run, force under the steps).
"$gk" gait --json --no-store "$data/gait3d/y_force.c3d" >"$tmp/syn.json"
check "synthetic trial exits 0" test $? -eq 0
check "synthetic: 3d, force events, cadence 171.4" json_has "$tmp/syn.json" \
  'r.kind === "3d" && r.events === "force" && Math.abs(r.summary.cadence_spm.mean - 171.43) < 0.5'
check "synthetic: knee_fppa refused with a reason" json_has "$tmp/syn.json" \
  'r.summary.knee_fppa_peak_stance_deg.refused === true && r.summary.knee_fppa_peak_stance_deg.note.length > 10'
check "--no-store stores nothing" test ! -e "$GAITKEEPER_DB"

# Errors.
"$gk" gait "$tmp/none.c3d" 2>"$tmp/err1"
check "missing file exits 1" test $? -eq 1
check "missing file named" grep -q "gaitkeeper: gait: $tmp/none.c3d: cannot open" "$tmp/err1"
head -c 3000 "$data/gait3d/y_force.c3d" >"$tmp/trunc.c3d"
"$gk" gait --no-store "$tmp/trunc.c3d" 2>"$tmp/err2"
check "truncated C3D exits 1" test $? -eq 1
check "truncated C3D: the byte and the problem" grep -q "trunc.c3d: byte [0-9]*: C3D file ends" "$tmp/err2"
"$gk" gait --no-store "$data/gait3d/n_missing_marker.c3d" 2>"$tmp/err3"
check "missing marker exits 1" test $? -eq 1
check "missing marker named with its purpose" grep -q "marker R.Ankle not found: needed for the right ankle joint centre" "$tmp/err3"
"$gk" gait --no-store "$data/gait3d/y_force.c3d" >"$tmp/ms.out" 2>&1
check "the marker set used is said" grep -q "marker set: rbds (recognised from the labels)" "$tmp/ms.out"
"$gk" gait --no-store --marker-set plugin_gait "$data/gait3d/y_force.c3d" 2>"$tmp/ms.err" >/dev/null
check "a named set that does not fit exits 1" test $? -eq 1
check "a named set that does not fit names the marker" grep -q "running trial: marker LASI not found" "$tmp/ms.err"
"$gk" gait --no-store --marker-set helen "$data/gait3d/y_force.c3d" 2>"$tmp/ms2.err" >/dev/null
check "an unknown set is named" grep -q 'no marker set "helen"' "$tmp/ms2.err"
"$gk" gait --hip-centre middle "$data/gait3d/y_force.c3d" 2>/dev/null >/dev/null
check "bad --hip-centre is a usage error" test $? -eq 2
"$gk" gait --speed fast "$data/gait3d/y_force.c3d" 2>/dev/null
check "bad --speed is a usage error" test $? -eq 2
"$gk" gait 2>/dev/null
check "no capture is a usage error" test $? -eq 2
"$gk" gait --view up "$data/gait3d/y_force.c3d" 2>/dev/null
check "bad --view is a usage error" test $? -eq 2
"$gk" gait --surface ice "$data/gait3d/y_force.c3d" 2>"$tmp/surf.err" >/dev/null
check "bad --surface is a usage error" test $? -eq 2
check "bad --surface names the choices" grep -q "surface takes treadmill or overground (got 'ice')" "$tmp/surf.err"

rbds="$shared/mocap/fukuchi_RBDS2017"
if [ ! -f "$rbds/RBDS001runT35.c3d" ]; then
  echo "skipped the RBDS part: $rbds not found"
else
  "$gk" gait --static "$rbds/RBDS001static.c3d" --speed 3.5 --date 2015-03-20 \
    "$rbds/RBDS001runT35.c3d" >"$tmp/rbds.txt"
  check "RBDS text exits 0" test $? -eq 0
  check "RBDS text: stored" grep -q "^stored as capture 1" "$tmp/rbds.txt"
  check "RBDS text: the table" grep -Eq "^knee_flexion_peak_stance_deg +4[0-9.]+ +3[89][0-9.]*" "$tmp/rbds.txt"
  check "RBDS text: events from the force" grep -q "events from vertical force" "$tmp/rbds.txt"
  check "RBDS text: the label swap noted" grep -q "R.MT1 and R.MT5" "$tmp/rbds.txt"
  check "RBDS text: findings section" grep -q "^findings:" "$tmp/rbds.txt"
  check "one capture stored" test "$(stored captures)" = 1
  "$gk" gait --json --static "$rbds/RBDS001static.c3d" --speed 3.5 \
    "$rbds/RBDS001runT35.c3d" >"$tmp/rbds.json"
  check "RBDS JSON exits 0" test $? -eq 0
  check "RBDS JSON: shape" json_has "$tmp/rbds.json" \
    'r.kind === "3d" && r.fps === 150 && r.n_steps.left >= 40 && r.n_steps.right >= 40 && Array.isArray(r.findings)'
  check "RBDS JSON: cadence 165-178 at 3.5 m/s" json_has "$tmp/rbds.json" \
    'r.summary.cadence_spm.mean > 165 && r.summary.cadence_spm.mean < 178 && r.speed_mps === 3.5'
  check "RBDS JSON: every required metric present" json_has "$tmp/rbds.json" \
    '["cadence_spm","contact_time_ms","knee_flexion_ic_deg","knee_flexion_peak_stance_deg","hip_adduction_peak_stance_deg","hip_internal_rotation_peak_stance_deg","pelvic_drop_peak_stance_deg","knee_abduction_peak_stance_deg","ankle_dorsiflexion_peak_stance_deg","foot_angle_ic_deg","shank_angle_ic_deg","overstride_leg_lengths","loading_rate_bw_s"].every(k => r.summary[k] && typeof r.summary[k].left === "number" && typeof r.summary[k].right === "number")'
  check "RBDS JSON: mass from the force, about 62 kg" json_has "$tmp/rbds.json" \
    'Math.abs(r.mass_kg - 62) < 3'
  check "two captures stored" test "$(stored captures)" = 2
  # without the static trial the running trial lacks the anatomical markers
  "$gk" gait --no-store "$rbds/RBDS001runT35.c3d" 2>"$tmp/err4"
  check "no static trial: exit 1" test $? -eq 1
  check "no static trial: the missing marker named" grep -q "running trial: marker .* not found: needed for" "$tmp/err4"
fi

# 2D keypoints in a Sports2D TRC (pixels, "m" in the header), given --fps:
# the fuzz seed without its selector byte, a side view filmed at 24 fps.
tail -c +2 "$data/gait2d/y_sports2d_side.trc" >"$tmp/s2d.trc"
"$gk" gait --fps 24 --no-store --json "$tmp/s2d.trc" >"$tmp/s2d.json" 2>"$tmp/err"
check "Sports2D TRC: exits 0" test $? -eq 0
check "Sports2D TRC: 2D side view, cadence" json_has "$tmp/s2d.json" \
  'r.kind === "2d" && r.view === "left" && Math.abs(r.summary.cadence_spm.mean - 168) < 5'
printf 'PathFileType\t4\t(X/Y/Z)\tx.trc\nDataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\n30\t30\t1\t1\tm\t30\nFrame#\tTime\tNose\t\t\n\t\tX1\tY1\tZ1\n\n1\t0\t1\t2\t0\n' >"$tmp/nose.trc"
"$gk" gait --fps 30 --no-store "$tmp/nose.trc" >/dev/null 2>"$tmp/err"
check "TRC without hips and ankles: exit 1, says what is needed" bash -c 'test $0 -eq 1 && grep -q "LHip" "$1"' $? "$tmp/err"

# A bad file inside an OpenPose folder: named, with the place inside it.
mkdir "$tmp/opbad"
cp "$data/openpose/y_body25.json" "$tmp/opbad/run_000000000000_keypoints.json"
cp "$data/openpose/y_body25.json" "$tmp/opbad/run_000000000001_keypoints.json"
cp "$data/openpose/n_syntax.json" "$tmp/opbad/run_000000000002_keypoints.json"
"$gk" gait --no-store "$tmp/opbad" 2>"$tmp/opbad.err"
check "OpenPose folder, bad file: exit 1" test $? -eq 1
check "OpenPose folder, bad file: names the file and the place in it" \
  grep -q "opbad/run_000000000002_keypoints.json: line 1, column [0-9]*: keypoint JSON syntax error" "$tmp/opbad.err"
summary
