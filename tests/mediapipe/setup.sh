#!/bin/sh
# Installs MediaPipe's tasks-vision and puppeteer-core (pinned in package.json
# and package-lock.json) into tests/mediapipe/node_modules, for the MediaPipe
# reference (run_mediapipe.mjs).  Idempotent: does nothing when they are there.
# Needs node and npm, and the npm registry.  puppeteer-core never downloads a
# browser: the reference drives Debian's /usr/bin/chromium.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

if [ -f "$here/node_modules/@mediapipe/tasks-vision/vision_bundle.mjs" ] &&
   [ -d "$here/node_modules/puppeteer-core" ]; then
    exit 0
fi
for tool in npm node; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "tests/mediapipe/setup.sh: $tool not found; install Node.js and npm (Debian: apt-get install nodejs npm) to run the MediaPipe reference" >&2
        exit 1
    fi
done
cd "$here"
if ! npm ci --no-audit --no-fund; then
    echo "tests/mediapipe/setup.sh: 'npm ci' failed in tests/mediapipe (is the npm registry reachable?)" >&2
    exit 1
fi
if [ ! -f "$here/node_modules/@mediapipe/tasks-vision/vision_bundle.mjs" ] ||
   [ ! -d "$here/node_modules/puppeteer-core" ]; then
    echo "tests/mediapipe/setup.sh: npm ci ran but tasks-vision or puppeteer-core is still missing" >&2
    exit 1
fi
