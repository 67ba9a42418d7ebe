#!/usr/bin/env bash
# Text the runner gives: an answers file that starts with a UTF-8 byte
# order mark is read as the JSON it is (checked, then stored as valid
# JSON); `pain add` with an empty note and no score is refused, stores
# nothing; a note holding terminal escapes (ESC, a C1 control) is stored as
# given but never printed raw; `report --date 1900-01-02` works as `plan`
# and `load` do.
# Usage: test_input_text.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
data=$2/intake
. "$(dirname "$0")/lib.sh"
export GAITKEEPER_DB=$tmp/gk.db

printf '\xEF\xBB\xBF' >"$tmp/bom.json"
cat "$data/y_pfp.json" >>"$tmp/bom.json"
"$gk" intake --answers "$tmp/bom.json" >"$tmp/out" 2>"$tmp/err"
check "intake answers with a BOM: exit 0" test $? -eq 0
check "intake answers with a BOM: no store error" bash -c '! grep -q "CHECK\|constraint\|gk.db" "$0"' "$tmp/err"
if command -v sqlite3 >/dev/null 2>&1; then
  check "stored answers are valid JSON without the BOM" bash -c \
    'test "$(sqlite3 "$0" "SELECT json_valid(answers) AND substr(answers,1,1)='"'"'{'"'"' FROM answers")" = 1' "$GAITKEEPER_DB"
fi

"$gk" pain add --date 2026-11-01 --note '' >/dev/null 2>"$tmp/perr"
check "pain add --note '' alone: usage error 2" test $? -eq 2
check "pain add --note '': says a non-empty note" grep -q "non-empty --note" "$tmp/perr"
"$gk" pain --json >"$tmp/pain.json" 2>/dev/null
check "pain add --note '': nothing stored" bash -c '! grep -q "\"date\"" "$0"' "$tmp/pain.json"
"$gk" pain add --date 2026-11-01 --note 'sore after hills' >/dev/null 2>&1
check "pain add with a note alone: stored" test $? -eq 0

note=$(printf 'clear\033[2Jscreen\302\233 and\007bell')
"$gk" pain add --date 2026-11-02 --during 2 --note "$note" >/dev/null 2>&1
check "pain add with escapes: stored" test $? -eq 0
"$gk" pain >"$tmp/list" 2>&1
check "pain list: no ESC, BEL or C1 byte printed" bash -c \
  '! LC_ALL=C grep -q "$(printf "[\033\007]")" "$0" && ! LC_ALL=C grep -q "$(printf "\302\233")" "$0"' "$tmp/list"
check "pain list: the words of the note kept" grep -q "clear \[2Jscreen  and bell" "$tmp/list"
"$gk" pain --json >"$tmp/pj" 2>&1
check "pain --json: the note escaped, not raw" bash -c '! LC_ALL=C grep -q "$(printf "\033")" "$0" && grep -q "u001b" "$0"' "$tmp/pj"
"$gk" report --date 1900-01-02 >"$tmp/r1900" 2>"$tmp/r1900.err"
check "report --date 1900-01-02: exit 0" test $? -eq 0
check "report --date 1900-01-02: no error" test ! -s "$tmp/r1900.err"
"$gk" report >"$tmp/rnow" 2>&1
check "report: the note's escapes not printed" bash -c '! LC_ALL=C grep -q "$(printf "\033")" "$0"' "$tmp/rnow"
summary
