#!/usr/bin/env bash
# What the CLI reads and writes cannot hurt the machine.  Outputs: a target
# that exists and is not a regular file (a FIFO, a device) or is a symbolic
# link (here one to /dev/null) is refused with a clear message and left as
# it was.  Inputs (gk_cli_read_file: gait, fit summary, intake --answers):
# a FIFO returns at once with an error, /dev/zero and a directory are
# refused by what they are, and a sparse file over the input cap is refused
# by its size before it is read (small peak RSS).
# Usage: test_io.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
data=$2
. "$(dirname "$0")/lib.sh"
unset GAITKEEPER_DB

"$gk" demo --dir "$tmp/demo" >/dev/null 2>&1
check "demo exits 0" test $? -eq 0
db=$tmp/demo/gaitkeeper.db
[ -f "$db" ] || db=$(ls "$tmp"/demo/*.db | head -1)

# ---- outputs ----
mkfifo "$tmp/fifo.html"
timeout 20 "$gk" --db "$db" report --date 2026-11-01 -o "$tmp/fifo.html" >/dev/null 2>"$tmp/o1.err"
check "report -o FIFO: exit 1" test $? -eq 1
check "report -o FIFO: still a FIFO" test -p "$tmp/fifo.html"
check "report -o FIFO: says not a regular file" grep -q "fifo.html: exists and is not a regular file" "$tmp/o1.err"
ln -s /dev/null "$tmp/null.html"
timeout 20 "$gk" --db "$db" report --date 2026-11-01 -o "$tmp/null.html" >/dev/null 2>"$tmp/o2.err"
check "report -o symlink to /dev/null: exit 1" test $? -eq 1
check "report -o symlink to /dev/null: the link is kept" test "$(readlink "$tmp/null.html")" = /dev/null
check "report -o symlink: says so" grep -q "null.html: is a symbolic link" "$tmp/o2.err"
check "no temporary file left" bash -c '! ls "$0" | grep -q tmp-' "$tmp"
if [ "$(id -u)" = 0 ] && mknod "$tmp/null" c 1 3 2>/dev/null; then
  timeout 20 "$gk" --db "$db" report --date 2026-11-01 -o "$tmp/null" >/dev/null 2>"$tmp/o3.err"
  check "report -o char device: exit 1, device kept" bash -c 'test $0 -eq 1 && test -c "$1"' $? "$tmp/null"
fi
mkfifo "$tmp/fifo.wav"
timeout 20 "$gk" --db "$db" plan export --wav "$tmp/fifo.wav" --bpm 170 --minutes 0.1 >/dev/null 2>"$tmp/o4.err"
check "plan export --wav FIFO: refused, still a FIFO" bash -c 'test $0 -ne 0 && test -p "$1" && grep -q "not a regular file" "$2"' $? "$tmp/fifo.wav" "$tmp/o4.err"
# A regular file is still replaced.
echo old >"$tmp/r.html"
"$gk" --db "$db" report --date 2026-11-01 -o "$tmp/r.html" >/dev/null 2>&1
check "report -o regular file: replaced" grep -q "<!DOCTYPE html>" "$tmp/r.html"

# ---- inputs ----
mkfifo "$tmp/in.c3d"
timeout 10 "$gk" gait "$tmp/in.c3d" >/dev/null 2>"$tmp/i1.err"
rc=$?
check "gait FIFO: returns promptly (no hang)" test $rc -ne 124
check "gait FIFO: exit 1, not a regular file" bash -c 'test $0 -eq 1 && grep -q "in.c3d: not a regular file" "$1"' $rc "$tmp/i1.err"
timeout 10 "$gk" fit summary /dev/zero >/dev/null 2>"$tmp/i2.err"
rc=$?
check "fit summary /dev/zero: refused at once" bash -c 'test $0 -eq 1 && grep -q "/dev/zero: not a regular file" "$1"' $rc "$tmp/i2.err"
mkdir "$tmp/dir.c3d"
timeout 10 "$gk" fit summary "$tmp/dir.c3d" >/dev/null 2>"$tmp/i3.err"
check "fit summary directory: says is a directory" bash -c 'test $0 -eq 1 && grep -q "dir.c3d: is a directory" "$1"' $? "$tmp/i3.err"
timeout 10 "$gk" --db "$db" intake --answers "$tmp/dir.c3d" >/dev/null 2>"$tmp/i4.err"
check "intake --answers directory: says is a directory" bash -c 'test $0 -ne 0 && grep -q "is a directory" "$1"' $? "$tmp/i4.err"
truncate -s 3G "$tmp/big.c3d"
if [ -x /usr/bin/time ]; then
  timeout 20 /usr/bin/time -f '%M' -o "$tmp/rss" "$gk" gait "$tmp/big.c3d" >/dev/null 2>"$tmp/i5.err"
  rc=$?
  check "gait 3 GB sparse file: exit 1, too large" bash -c 'test $0 -eq 1 && grep -q "big.c3d: too large" "$1"' $rc "$tmp/i5.err"
  check "gait 3 GB sparse file: peak RSS under 100 MB" test "$(tail -1 "$tmp/rss")" -lt 100000
else
  timeout 20 "$gk" gait "$tmp/big.c3d" >/dev/null 2>"$tmp/i5.err"
  check "gait 3 GB sparse file: exit 1, too large" bash -c 'test $0 -eq 1 && grep -q "big.c3d: too large" "$1"' $? "$tmp/i5.err"
fi
# ---- each reader's own cap ----
truncate -s 2M "$tmp/big-answers.json"
timeout 20 "$gk" --db "$db" intake --answers "$tmp/big-answers.json" >/dev/null 2>"$tmp/cap1.err"
check "answers over 1 MiB: exit 1, by its size" bash -c 'test $0 -eq 1 && grep -q "big-answers.json: too large (2097152 bytes; the limit is 1048576)" "$1"' $? "$tmp/cap1.err"
head -c 1100000 /dev/zero | tr '\0' ' ' | timeout 20 "$gk" --db "$db" screen --answers - >/dev/null 2>"$tmp/cap2.err"
check "answers on stdin over 1 MiB: refused" bash -c 'test $0 -ne 0 && grep -q "too large" "$1"' $? "$tmp/cap2.err"
truncate -s 65M "$tmp/big.json"
timeout 20 "$gk" --db "$db" gait --no-store --fps 30 "$tmp/big.json" >/dev/null 2>"$tmp/cap3.err"
check "keypoints over 64 MiB: refused by size" grep -q "big.json: too large (68157440 bytes; the limit is 67108864)" "$tmp/cap3.err"
# ---- -o - : the page on standard output ----
(cd "$tmp" && "$gk" --db "$db" report --date 2026-11-01 -o - >"$tmp/stdout.html" 2>"$tmp/stdout.err")
check "report -o -: exit 0" test $? -eq 0
check "report -o -: the HTML on stdout" grep -q "^<!DOCTYPE html>" "$tmp/stdout.html"
check "report -o -: no file named -" test ! -e "$tmp/-"
check "report -o -: no 'Report written' line in the page" bash -c '! grep -q "Report written" "$0"' "$tmp/stdout.html"
summary
