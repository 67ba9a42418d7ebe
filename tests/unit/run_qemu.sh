#!/bin/sh
# run_qemu.sh CPU PROGRAM ARGS... -- PROGRAM under qemu-x86_64 -cpu CPU;
# exit 77 (ctest's skip) with a message when qemu-x86_64 is not installed.
cpu=$1
shift
if ! command -v qemu-x86_64 >/dev/null 2>&1; then
  echo "skipped: qemu-x86_64 not installed (Debian package qemu-user)"
  exit 77
fi
exec qemu-x86_64 -cpu "$cpu" "$@"
