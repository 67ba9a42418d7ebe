#!/usr/bin/env bash
# `gaitkeeper fit dump` as a user meets it: output formats, damaged files
# (exit status, a message naming the file, the byte offset and the
# problem, and every message before the damage still written).
# Usage: test_fit_dump.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
. "$(dirname "$0")/lib.sh"

# A valid file made by gaitkeeper's own writer (the demo's sample run).
"$gk" demo --dir "$tmp/demo" >/dev/null || { echo "FAIL: demo"; echo "0 passed, 1 failed"; exit 1; }
run="$tmp/demo/runs/2026-10-31.fit"
size=$(stat -c %s "$run")

"$gk" fit dump "$run" >"$tmp/all.jsonl" 2>"$tmp/err"
check "valid file exits 0" test $? -eq 0
check "valid file: no stderr" test ! -s "$tmp/err"
total=$(wc -l <"$tmp/all.jsonl")
# sample run 7: 8.3 km, one record a second for 47:57
check "valid file: records" test "$(grep -c '"mesg":"record"' "$tmp/all.jsonl")" -eq 1806
check "first message is file_id" grep -q '^{"mesg":"file_id","fields":{"type":"activity","manufacturer":"garmin"' "$tmp/all.jsonl"
check "subfield expanded" grep -q '"garmin_product":"fenix5"' "$tmp/all.jsonl"
check "dates are ISO-8601 UTC" grep -q '"timestamp":"2026-10-31T08:00:00Z"' "$tmp/all.jsonl"
check "every line is JSON" node -e '
  const l = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  for (const x of l) JSON.parse(x);' "$tmp/all.jsonl"

"$gk" fit dump --format csv "$run" >"$tmp/all.csv"
check "csv: one line per message" test "$(wc -l <"$tmp/all.csv")" -eq "$total"
check "csv: record line" grep -q '^record,"timestamp",2026-10-31T08:00:00Z,s,' "$tmp/all.csv"
out=$("$gk" fit dump --format none "$run")
check "none: prints nothing" test -z "$out"

# Truncated in the middle: the messages before the cut, then an error.
head -c $((size / 2)) "$run" >"$tmp/half.fit"
"$gk" fit dump "$tmp/half.fit" >"$tmp/half.jsonl" 2>"$tmp/err"
check "truncated exits 1" test $? -eq 1
check "truncated: names file and byte" grep -q "^gaitkeeper: $tmp/half.fit: byte $((size / 2)): .*truncated" "$tmp/err"
n=$(wc -l <"$tmp/half.jsonl")
check "truncated: messages before the cut kept" test "$n" -gt $((total / 3)) -a "$n" -lt "$total"
check "truncated: kept messages are the originals" cmp -s "$tmp/half.jsonl" <(head -n "$n" "$tmp/all.jsonl")

# Bad file CRC: error at the CRC's offset, everything before written.
cp "$run" "$tmp/crc.fit"
printf '\x00\x00' | dd of="$tmp/crc.fit" bs=1 seek=$((size - 2)) conv=notrunc 2>/dev/null
"$gk" fit dump "$tmp/crc.fit" >"$tmp/crc.jsonl" 2>"$tmp/err"
check "bad CRC exits 1" test $? -eq 1
check "bad CRC: offset and problem" grep -q "byte $((size - 2)): file CRC does not match" "$tmp/err"
check "bad CRC: all messages written" test "$(wc -l <"$tmp/crc.jsonl")" -eq "$total"
"$gk" fit dump --accept-bad-crc "$tmp/crc.fit" >/dev/null 2>"$tmp/err"
check "--accept-bad-crc exits 0" test $? -eq 0
check "--accept-bad-crc warns" grep -q "CRC mismatch" "$tmp/err"

# Corrupt header, empty file, random bytes, missing file.
printf 'hello, this is not a FIT file at all' >"$tmp/text.fit"
"$gk" fit dump "$tmp/text.fit" >/dev/null 2>"$tmp/err"
check "not FIT exits 1" test $? -eq 1
check "not FIT: message" grep -q "text.fit: byte 0: not a FIT file" "$tmp/err"
: >"$tmp/empty.fit"
"$gk" fit dump "$tmp/empty.fit" >/dev/null 2>"$tmp/err"
check "empty exits 1" test $? -eq 1
check "empty: message" grep -q "empty.fit: byte 0: empty input" "$tmp/err"
head -c 20000 /dev/urandom >"$tmp/random.fit"
"$gk" fit dump "$tmp/random.fit" >/dev/null 2>"$tmp/err"
check "random exits 1" test $? -eq 1
"$gk" fit dump "$tmp/missing.fit" >/dev/null 2>"$tmp/err"
check "missing file exits 1" test $? -eq 1
check "missing file: message" grep -q "missing.fit: cannot open" "$tmp/err"
"$gk" fit dump --format xml "$run" >/dev/null 2>&1
check "unknown format is a usage error" test $? -eq 2

# Several files: a bad one does not stop the good ones.
"$gk" fit dump --format none "$tmp/half.fit" "$run" 2>"$tmp/err"
check "several files: exit 1 for one bad" test $? -eq 1
check "several files: only the bad one reported" test "$(wc -l <"$tmp/err")" -eq 1

# Two files chained back to back decode as one stream.
cat "$run" "$run" >"$tmp/chained.fit"
check "chained: twice the messages" test "$("$gk" fit dump "$tmp/chained.fit" | wc -l)" -eq $((total * 2))

summary
