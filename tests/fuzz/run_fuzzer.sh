#!/usr/bin/env bash
# Run one libFuzzer harness under ctest: replay every kept reproducer
# (tests/data/<fmt>/crash-*), then fuzz for a bounded time from the seeds
# (tests/data/<fmt>/y_* and n_*).  Usage: run_fuzzer.sh BINARY FMT SECONDS TESTS_DIR
set -euo pipefail
bin=$1 fmt=$2 secs=$3 tests=$4
seeds="$tests/data/$fmt"
shopt -s nullglob
crashers=("$seeds"/crash-*)
if [ ${#crashers[@]} -gt 0 ]; then
  echo "replaying ${#crashers[@]} kept reproducer(s)"
  "$bin" -runs=1 "${crashers[@]}"
fi
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Anything the fuzzer finds is kept in the build directory and shown, so
# that it can be added to tests/data/<fmt>/ as crash-<name> for good.
artifacts="$PWD/fuzz-artifacts-$fmt"
mkdir -p "$artifacts"
status=0
"$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" || status=$?
if [ "$status" -ne 0 ]; then
  for f in "$artifacts"/*; do
    [ -f "$f" ] || continue
    echo "reproducer kept: $f ($(stat -c %s "$f") bytes); base64:"
    head -c 4096 "$f" | base64
  done
fi
exit "$status"
