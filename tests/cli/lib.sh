# lib.sh -- what the CLI tests share.  Each test_*.sh sources it after
# `set -u` and reading its arguments:  . "$(dirname "$0")/lib.sh"
# It gives:
#   $tmp                a new directory, removed when the test exits
#   check NAME CMD...   run CMD; count it passed, or print "FAIL: NAME"
#   json_has FILE EXPR  true when the JavaScript expression EXPR over the
#                       parsed JSON of FILE (named r) is true; else prints
#                       the JSON's start to stderr
#   summary             print "N passed, N failed"; false when any failed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {
  local name=$1; shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
json_has() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (!eval(process.argv[2])) {
      console.error(JSON.stringify(r, null, 1).slice(0, 3000));
      process.exit(1);
    }' "$1" "$2"
}
summary() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
