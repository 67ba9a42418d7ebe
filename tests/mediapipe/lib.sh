# Sourced by the MediaPipe comparison tests (test_agreement.sh,
# test_gait_agreement.sh) with GAITKEEPER SHARED_DATA_DIR as $1 $2: sets
# gk, shared, here, clip (the demo clip) and tmp (removed on exit), or
# exits 0 saying SKIP when ffmpeg, node, Chromium or the clip is absent.
set -u
gk=$1 shared=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
clip=$shared/pose/videos/sports2d_demo.mp4
for need in ffmpeg node; do
  command -v $need >/dev/null 2>&1 || { echo "SKIP: $need is not installed"; exit 0; }
done
[ -x /usr/bin/chromium ] || { echo "SKIP: /usr/bin/chromium is not installed"; exit 0; }
[ -f "$clip" ] || { echo "SKIP: $clip is absent"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
