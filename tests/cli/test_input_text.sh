#!/usr/bin/env bash
# Text the runner gives: an answers file that starts with a UTF-8 byte
# order mark is read as the JSON it is (checked, then stored as valid
# JSON); `pain add` with an empty note and no score is refused, stores
# nothing.
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
summary
