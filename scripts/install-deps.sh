#!/usr/bin/env bash
# Install the Debian packages gaitkeeper needs, only those missing.
# Uses sudo when not root.  Usage: scripts/install-deps.sh [build|check|bench]
set -euo pipefail
what=${1:-build}
pkgs=(cmake make gcc libc6-dev libsqlite3-dev libexpat1-dev libcjson-dev pkg-config
      libavformat-dev libavcodec-dev libavutil-dev libswscale-dev
      libxnnpack-dev libpthreadpool-dev libcpuinfo-dev libjpeg-dev
      libmicrohttpd-dev zlib1g-dev)  # the web app (gaitkeeper serve); zlib: uploaded zips
case "$what" in
  check) pkgs+=(clang libclang-rt-dev chromium sqlite3 time ffmpeg qemu-user curl iproute2 python3) ;;  # chromium: the report's rendering test, MediaPipe and the web app's browser test; curl, iproute2 (ss), python3 (zip files): the web app's HTTP test; sqlite3: CLI tests look into the store; time: the import memory test; ffmpeg: phone-like test clips; qemu-user (7.2 or later for AVX2): the XNNPACK runner on CPUs without AVX-512 or AVX
  bench) pkgs+=(time chromium ffmpeg) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm (tests and benchmarks only): any install will do, Debian's
# packages when there is none.
if [ "$what" != build ]; then
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
