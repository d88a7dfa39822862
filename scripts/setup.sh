#!/usr/bin/env bash
# Sets up specmap on a fresh Debian/Ubuntu machine: system packages for software WebGPU
# (SwiftShader ships with Debian's chromium; Dawn needs libvulkan1; lavapipe, the faster software
# adapter, from mesa-vulkan-drivers >= 24: see scripts/lavapipe.sh), npm packages, the build, and
# `specmap doctor` (which measures lavapipe's vector width once). SPECMAP_NO_LAVAPIPE=1 skips lavapipe.
# Optional: `scripts/setup.sh --peers` also installs the Python peers the benchmarks compare with.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
{ [ -x /usr/bin/chromium ] && [ -f /usr/lib/chromium/vk_swiftshader_icd.json ]; } || need+=(chromium)
# ldconfig lives in /sbin, outside a normal user's PATH on Debian. The list is read whole (no
# `grep -q` in a pipe: under pipefail its early exit fails ldconfig with SIGPIPE on a long list).
libs=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true)
case "$libs" in *'libvulkan.so.1 '*) ;; *) need+=(libvulkan1) ;; esac
# h5py writes the tests' HDF5 files the way Python users' tools write them (test/data/calibrated).
/usr/bin/python3 -c 'import h5py' 2>/dev/null || need+=(python3-h5py)
if [ "${1:-}" = "--peers" ]; then
  /usr/bin/python3 -c 'import numpy, sklearn, scipy, lmfit' 2>/dev/null || need+=(python3-numpy python3-sklearn python3-scipy python3-lmfit)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} (apt)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "${SPECMAP_NO_LAVAPIPE:-}" != 1 ] && command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  . scripts/lavapipe.sh
  install_lavapipe "$sudo"
fi

# `npm ci` installs exactly what package-lock.json pins (it lists every platform's optional
# packages) and never rewrites it, so a fresh clone stays clean. It replaces node_modules, so a
# node_modules that is a link to an install shared with other checkouts is left alone.
if [ -L node_modules ]; then
  echo "setup: node_modules is a link to a shared install; not reinstalling"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (versions from package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
node bin/specmap.js doctor | sed 's/^/setup: /'
