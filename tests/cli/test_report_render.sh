#!/usr/bin/env bash
# The demo's report in headless Chromium (Debian's chromium package): it
# loads with no console message (the page has no script, and its
# Content-Security-Policy turns anything loaded from outside into a console
# error, so any such message is a defect), and screenshots at phone width
# (390 px) and desktop width (1280 px) are checked by
# tests/render/png_check.mjs for their size and for not being blank.  A
# page that does load something is checked too, to show the console check
# can fail.  Skips, saying so, only when chromium (or node) is missing.
# Usage: test_report_render.sh GAITKEEPER TESTS_DATA_DIR SHARED_DATA_DIR
set -u
gk=$1
here=$(cd "$(dirname "$0")/.." && pwd)
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
  echo "SKIP: chromium not found (Debian: apt-get install chromium; scripts/install-deps.sh check installs it)"
  echo "0 passed, 0 failed"
  exit 0
fi
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node not found (needed to read the screenshots)"
  echo "0 passed, 0 failed"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}

# shot PAGE WIDTH HEIGHT OUT.png: the page rendered, its log in OUT.log.
shot() {
  HOME=$tmp timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
    --no-first-run --disable-extensions --disable-background-networking \
    --hide-scrollbars --user-data-dir="$tmp/profile" \
    --enable-logging=stderr --v=0 --window-size="$2,$3" \
    --screenshot="$4" "file://$1" >"$4.log" 2>&1
}
console_clean() { ! grep -q ":CONSOLE" "$1"; }

"$gk" demo --dir "$tmp/demo" >/dev/null
check "demo exits 0" test -s "$tmp/demo/report.html"

shot "$tmp/demo/report.html" 390 2400 "$tmp/phone.png"
check "phone screenshot taken" test -s "$tmp/phone.png"
check "phone: no console messages" console_clean "$tmp/phone.png.log"
grep ":CONSOLE" "$tmp/phone.png.log" | head -5
check "phone: 390 px wide, not blank" node "$here/render/png_check.mjs" \
  "$tmp/phone.png" --width 390 --min-height 2400 --min-colours 64 --min-ink 0.05

shot "$tmp/demo/report.html" 1280 2400 "$tmp/desktop.png"
check "desktop screenshot taken" test -s "$tmp/desktop.png"
check "desktop: no console messages" console_clean "$tmp/desktop.png.log"
check "desktop: 1280 px wide, not blank" node "$here/render/png_check.mjs" \
  "$tmp/desktop.png" --width 1280 --min-height 2400 --min-colours 64 --min-ink 0.05

# The checks can fail: a page that loads an image and runs a script under
# the same policy logs console errors, and an empty page is blank.
cat >"$tmp/bad.html" <<'HTML'
<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy"
content="default-src 'none'; style-src 'unsafe-inline'"></head><body>
<img src="data:image/png;base64,AAAA" alt=""><script>console.error(1)</script>
</body></html>
HTML
shot "$tmp/bad.html" 390 600 "$tmp/bad.png"
check "a page that loads something logs console messages" bash -c '! ( ! grep -q ":CONSOLE" "$0" )' "$tmp/bad.png.log"
check "a blank page is found blank" bash -c '! node "$0" "$1" --width 390 --min-ink 0.05 >/dev/null 2>&1' \
  "$here/render/png_check.mjs" "$tmp/bad.png"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
