#!/bin/sh
# Tests fit_oracle.mjs without gaitkeeper: it must pass the SDK's own decoding of
# every file (selftest_fake_gaitkeeper.mjs), and must fail, with a readable first
# difference, on deliberately altered decodings. Needs ../shared/data/fit (skips
# otherwise) and the SDK (tests/oracle/setup.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "$here/../.." && pwd)/../shared/data/fit
fake="$here/selftest_fake_gaitkeeper.mjs"
oracle="$here/fit_oracle.mjs"

"$here/setup.sh" || exit 1
if [ ! -d "$data" ]; then
    echo "skipped: ../shared/data/fit not found (real-data tests need ../shared/data beside the project)"
    echo "0 passed, 0 failed"
    exit 0
fi

passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# expect MODE want(0|1) FILE...
expect() {
    mode=$1; want=$2; shift 2
    FAKE_GK_MODE=$mode node "$oracle" --gaitkeeper "$fake" "$@" >"$out" 2>&1
    rc=$?
    if [ "$want" = 0 ] && [ $rc = 0 ] && grep -q '^ok ' "$out" && ! grep -q '^FAIL' "$out"; then
        passed=$((passed + 1)); echo "ok selftest ${mode:-exact} (oracle passed)"
    elif [ "$want" = 1 ] && [ $rc = 1 ] && grep -q '^FAIL .*: ' "$out"; then
        passed=$((passed + 1)); echo "ok selftest $mode (oracle failed as it should: $(grep -m1 '^FAIL' "$out" | cut -c1-220))"
    else
        failed=$((failed + 1)); echo "FAIL selftest ${mode:-exact}: oracle exit $rc, wanted $want"; sed 's/^/    /' "$out" | tail -n 5
    fi
}

run6x="$data/goldencheetah/fenix6x_trail_4077461142.fit"
coros="$data/python-fitparse/coros-pace-2-cycling-misaligned-fields.fit"
hrv="$data/fitparse-rs/hrv-activity.fit"

expect "" 0 "$data"
expect tiny 0 "$run6x"
expect spelling 0 "$run6x" "$hrv" "$coros"
expect value 1 "$run6x"
expect drop 1 "$run6x"
expect truncate 1 "$run6x"
expect text 1 "$run6x"
expect devname 1 "$run6x"
expect bytes 1 "$coros"
expect badjson 1 "$run6x"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
