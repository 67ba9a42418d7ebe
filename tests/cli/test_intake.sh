#!/usr/bin/env bash
# `gaitkeeper intake` and `gaitkeeper screen` end to end: answers files and
# stdin are checked, stored only when valid, and assessed (AKPS, red flags,
# findings) in text and JSON; `show` prints the latest stored assessment.
# Usage: test_intake.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
data=$2/intake
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB="$tmp/store.db"
contains() { grep -qF -- "$2" "$1"; }
stored() { # kind: how many answers of that kind the store holds
  if [ ! -f "$GAITKEEPER_DB" ]; then echo 0; return; fi
  sqlite3 "$GAITKEEPER_DB" "SELECT count(*) FROM answers WHERE kind='$1'" 2>/dev/null || echo 0
}
have_sqlite=0; command -v sqlite3 >/dev/null && have_sqlite=1
have_node=0; command -v node >/dev/null && have_node=1

# Invalid files first: exit 1, the message names the file and the key,
# nothing stored (no store even created).
"$gk" intake --answers "$data/n_unknown_key.json" >"$tmp/out" 2>"$tmp/err"
check "unknown key exits 1" test $? -eq 1
check "unknown key named" contains "$tmp/err" "gaitkeeper: intake: $data/n_unknown_key.json: unknown key 'agee'"
check "nothing written on error" test ! -s "$tmp/out"
check "no store created on error" test ! -e "$GAITKEEPER_DB"
"$gk" intake --answers "$data/n_contradiction.json" 2>"$tmp/err" >/dev/null
check "contradiction exits 1" test $? -eq 1
check "contradiction names the key" contains "$tmp/err" "'swelling_within_2h': true contradicts 'trauma': false"
"$gk" intake --answers "$data/n_akps_range.json" 2>"$tmp/err" >/dev/null
check "akps range exits 1" test $? -eq 1
check "akps item named" contains "$tmp/err" "'akps[4]' (squatting): answer 7 is out of range 0..4"
printf '{"age": 150}' | "$gk" intake 2>"$tmp/err" >/dev/null
check "stdin out of range exits 1" test $? -eq 1
check "stdin named" contains "$tmp/err" "gaitkeeper: intake: <stdin>: 'age': 150 is out of range 10..100"
"$gk" screen --answers "$data/n_screen_key.json" 2>"$tmp/err" >/dev/null
check "screen nested key exits 1" test $? -eq 1
check "screen nested key named" contains "$tmp/err" "unknown key 'knee_valgs' in 'single_leg_squat.left'"
"$gk" intake --answers "$tmp/missing.json" 2>"$tmp/err" >/dev/null
check "missing file exits 1" test $? -eq 1
"$gk" intake --date 2025-02-30 --answers "$data/y_pfp.json" 2>/dev/null >/dev/null
check "bad date is a usage error" test $? -eq 2
"$gk" intake --bogus 2>/dev/null >/dev/null
check "unknown option is a usage error" test $? -eq 2
"$gk" intake show 2>"$tmp/err" >/dev/null
check "show with nothing stored exits 1" test $? -eq 1
check "still no store" test ! -e "$GAITKEEPER_DB"

# Classic patellofemoral pain from a file: AKPS 74 (hand-computed in
# tests/unit/test_intake.c), no red flag.
"$gk" intake --answers "$data/y_pfp.json" --date 2025-03-01 >"$tmp/pfp.txt"
check "pfp exits 0" test $? -eq 0
check "pfp AKPS in text" contains "$tmp/pfp.txt" "AKPS (Kujala): 74/100"
check "pfp no red flag" contains "$tmp/pfp.txt" "No red flag stops self-management."
check "pfp pattern finding" contains "$tmp/pfp.txt" "intake.pfp_pattern"
if [ $have_sqlite = 1 ]; then
  check "pfp stored" test "$(stored intake)" -eq 1
  check "stored as given" test "$(sqlite3 "$GAITKEEPER_DB" "SELECT answers FROM answers WHERE kind='intake'")" = "$(cat "$data/y_pfp.json")"
fi

# Acute trauma from stdin, JSON: refer, urgent, haemarthrosis first.
"$gk" intake --json --date 2025-03-02 <"$data/y_trauma.json" >"$tmp/trauma.json"
check "trauma exits 0" test $? -eq 0
if [ $have_node = 1 ]; then
  check "trauma JSON shape" json_has "$tmp/trauma.json" \
    'JSON.stringify(Object.keys(r).slice(0, 4)) === JSON.stringify(["akps", "refer", "red_flags", "findings"])'
  check "trauma refers" json_has "$tmp/trauma.json" \
    'r.refer === true && r.akps === null && r.red_flags[0].code === "intake.haemarthrosis" && r.red_flags[0].urgency === "urgent"'
  check "trauma findings carry refer" json_has "$tmp/trauma.json" \
    'r.findings.some(f => f.code === "intake.haemarthrosis" && f.severity === "refer") && r.date === "2025-03-02"'
fi

# Bone stress: the text prints the red flag with whom to see.
"$gk" intake --answers "$data/y_bone_stress.json" --date 2025-03-03 >"$tmp/bone.txt"
check "bone stress exits 0" test $? -eq 0
check "bone stress red flag" contains "$tmp/bone.txt" "[SOON] intake.bone_stress"
check "bone stress whom" contains "$tmp/bone.txt" "see: GP or sports physician"
check "bone stress refer line" contains "$tmp/bone.txt" "REFER: see a clinician"

# show: the latest stored intake (the bone stress one, 2025-03-03).
"$gk" intake show --json >"$tmp/show.json"
check "show exits 0" test $? -eq 0
if [ $have_node = 1 ]; then
  check "show is the latest" json_has "$tmp/show.json" \
    'r.date === "2025-03-03" && r.red_flags.some(f => f.code === "intake.bone_stress")'
fi
# show --date: the one in force on a day (a dated assessment)
"$gk" intake show --date 2025-03-02 --json >"$tmp/show2.json"
check "show --date exits 0" test $? -eq 0
if [ $have_node = 1 ]; then
  check "show --date is the one given by then" json_has "$tmp/show2.json" \
    'r.date === "2025-03-02" && r.red_flags[0].code === "intake.haemarthrosis"'
fi
"$gk" intake show --date 2025-02-30 2>"$tmp/show4.err" >/dev/null
check "show --date not a day: exits 2" test $? -eq 2
check "show --date not a day: says so" contains "$tmp/show4.err" "--date takes YYYY-MM-DD (got '2025-02-30')"
"$gk" intake show --date 1999-01-01 2>"$tmp/show3.err" >/dev/null
check "show --date before any: exits 1" test $? -eq 1
check "show --date before any: says so" contains "$tmp/show3.err" "no answers given on or before 1999-01-01"
if [ $have_sqlite = 1 ]; then
  check "three intakes stored, none of the invalid ones" test "$(stored intake)" -eq 3
fi

# The screen from a file.
"$gk" screen --answers "$data/y_screen.json" --date 2025-03-04 --json >"$tmp/screen.json"
check "screen exits 0" test $? -eq 0
if [ $have_node = 1 ]; then
  check "screen findings" json_has "$tmp/screen.json" \
    'r.refer === false && ["screen.dorsiflexion_limited", "screen.dorsiflexion_asymmetry", "screen.deep_squat_limited", "screen.lunge_pain", "screen.sls_knee_valgus", "screen.sls_pelvic_drop", "screen.sls_pain", "screen.hip_weak", "screen.hip_asymmetry", "screen.calf_endurance_low", "screen.calf_asymmetry", "screen.side_plank_asymmetry"].every(c => r.findings.some(f => f.code === c))'
  check "screen sides" json_has "$tmp/screen.json" \
    'r.findings.every((f, i) => f.code !== "screen.sls_pelvic_drop" || r.sides[i] === "left") && !r.findings.some(f => f.code === "screen.hop_pain" || f.code === "screen.side_plank_low")'
fi
"$gk" screen show >"$tmp/screen.txt"
check "screen show exits 0" test $? -eq 0
check "screen show text" contains "$tmp/screen.txt" "Functional screen of 2025-03-04"
if [ $have_sqlite = 1 ]; then
  check "one screen stored" test "$(stored screen)" -eq 1
fi

# On a terminal (a pseudo-terminal from util-linux's `script`): the questions
# are asked one by one, a bad answer is asked again, Enter skips, and the
# answers given are checked and stored like a file's.
if command -v script >/dev/null; then
  export GAITKEEPER_DB="$tmp/tty.db"
  printf '34\nfemale\n170\n60\n9\nright\nfront\ngradual\nmaybe\nn\n' |
    script -qec "'$gk' intake --date 2026-11-01" /dev/null >"$tmp/tty.txt" 2>&1
  check "terminal: exits 0" test $? -eq 0
  check "terminal: asks the questions" contains "$tmp/tty.txt" "Your age in years"
  check "terminal: asks again after a bad answer" contains "$tmp/tty.txt" "answer yes or no"
  check "terminal: assessed" contains "$tmp/tty.txt" "Intake of 2026-11-01"
  if [ $have_sqlite = 1 ]; then
    ans=$(sqlite3 "$GAITKEEPER_DB" "SELECT answers FROM answers WHERE kind='intake'")
    check "terminal: answers stored" bash -c 'case "$0" in *\"age\":*34*\"sex\":*\"female\"*\"side\":*\"right\"*\"trauma\":*false*) exit 0;; *) exit 1;; esac' "$ans"
  fi
  # every question skipped with Enter: each question's help is shown above it
  export GAITKEEPER_DB="$tmp/tty2.db"
  yes '' | head -n 60 |
    script -qec "'$gk' intake --date 2026-11-01" /dev/null >"$tmp/tty2.txt" 2>&1
  check "terminal: a question's help is shown" contains "$tmp/tty2.txt" \
    "(A walk at a pace you could keep up for half an hour, on level ground.)"
  check "terminal: the first visit's morning-after question" contains "$tmp/tty2.txt" \
    "After your last run, was the knee back to its usual level by the next morning"
else
  echo "skipped: terminal intake (no 'script' command to make a pseudo-terminal)"
fi

summary
