#!/bin/sh
# Installs the BlazePose models (npm @mediapipe/pose, pinned in
# models/package.json and package-lock.json, Apache-2.0) into
# models/node_modules/@mediapipe/pose and checks every file against
# models/SHA256SUMS.  Idempotent.  Needs npm and the npm registry once;
# gaitkeeper itself never fetches anything.  The pose detector is
# pose_solution_packed_assets.data (the whole file is the detector's
# .tflite: bytes 0 to 2,962,288).
set -eu
here=$(cd "$(dirname "$0")/../models" && pwd)
dir="$here/node_modules/@mediapipe/pose"
check() {
    (cd "$dir" && sha256sum --quiet -c "$here/SHA256SUMS")
}
if [ -d "$dir" ] && check 2>/dev/null; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "scripts/setup-models.sh: npm not found; install Node.js and npm (Debian: apt-get install nodejs npm) to install the pose models" >&2
    exit 1
fi
cd "$here"
if ! npm ci --no-audit --no-fund --ignore-scripts; then
    echo "scripts/setup-models.sh: 'npm ci' failed in models/ (is the npm registry reachable?)" >&2
    exit 1
fi
if ! check; then
    echo "scripts/setup-models.sh: the files in $dir do not match models/SHA256SUMS" >&2
    exit 1
fi
