#!/bin/sh
# Installs the official Garmin FIT SDK for JavaScript (pinned in package.json and
# package-lock.json) into tests/oracle/node_modules. Idempotent: does nothing when
# it is already there. Needs node and npm, and the npm registry.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

if [ -d "$here/node_modules/@garmin/fitsdk" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "tests/oracle/setup.sh: npm not found; install Node.js and npm (Debian: apt-get install nodejs npm) to run the FIT SDK oracle" >&2
    exit 1
fi
if ! command -v node >/dev/null 2>&1; then
    echo "tests/oracle/setup.sh: node not found; install Node.js (Debian: apt-get install nodejs) to run the FIT SDK oracle" >&2
    exit 1
fi
cd "$here"
if ! npm ci --no-audit --no-fund; then
    echo "tests/oracle/setup.sh: 'npm ci' failed in tests/oracle (is the npm registry reachable?)" >&2
    exit 1
fi
if [ ! -d "$here/node_modules/@garmin/fitsdk" ]; then
    echo "tests/oracle/setup.sh: npm ci ran but node_modules/@garmin/fitsdk is still missing" >&2
    exit 1
fi
