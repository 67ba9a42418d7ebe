#!/usr/bin/env bash
# The web app in Debian's Chromium (tests/browser/test_app.mjs): starts
# `gaitkeeper serve` on a new store and hands its printed URL to the
# browser.  Skips, saying so, only when Chromium is not installed.
# Usage: test_browser.sh GAITKEEPER SHAREDDATA
set -u
gk=$1
shared=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIP: Chromium is not installed ($chromium); scripts/install-deps.sh check installs it"
  exit 0
fi
if [ ! -d "$here/node_modules/puppeteer-core" ]; then
  echo "FAIL: puppeteer-core is missing: run tests/browser/setup.sh (make check does)"
  exit 1
fi
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
"$gk" --db "$tmp/store.db" serve --port 0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 100); do grep -q 'token=' "$tmp/out" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/?token=[0-9a-f]*' "$tmp/out")
fit=$shared/fit/python-fitparse/garmin-fenix-5-run.fit
# Chromium reads an upload by a plain absolute path (no ..)
[ -f "$fit" ] && fit=$(realpath "$fit")
[ -f "$fit" ] || { echo "SKIP: the FIT upload case ($fit is absent)"; fit=-; }
c3d=$shared/mocap/fukuchi_RBDS2017/RBDS001runT35.c3d
[ -f "$c3d" ] && c3d=$(realpath "$c3d")
[ -f "$c3d" ] || { echo "SKIP: the gait upload case ($c3d is absent)"; c3d=-; }
CHROMIUM=$chromium node "$here/test_app.mjs" "$url" "$fit" "$c3d"
rc=$?
kill -TERM $pid; wait $pid; src=$?; pid=
[ $src -eq 0 ] || { echo "FAIL: the server exited $src"; rc=1; }
exit $rc
