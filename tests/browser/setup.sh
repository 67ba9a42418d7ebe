#!/bin/sh
# Installs puppeteer-core (pinned in package.json and package-lock.json) into
# tests/browser/node_modules, for the web app's browser tests
# (test_browser.sh).  Idempotent: does nothing when it is there.  Needs node
# and npm, and the npm registry.  puppeteer-core never downloads a browser:
# the tests drive Debian's /usr/bin/chromium.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$here/node_modules/puppeteer-core" ] && exit 0
for tool in npm node; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "tests/browser/setup.sh: $tool not found; install Node.js and npm (Debian: apt-get install nodejs npm)" >&2
        exit 1
    fi
done
cd "$here"
if ! npm ci --no-audit --no-fund; then
    echo "tests/browser/setup.sh: 'npm ci' failed in tests/browser (is the npm registry reachable?)" >&2
    exit 1
fi
[ -d "$here/node_modules/puppeteer-core" ] || {
    echo "tests/browser/setup.sh: npm ci ran but puppeteer-core is still missing" >&2
    exit 1
}
