#!/usr/bin/env bash
# Packs what a bare Linux x86-64 machine with a GPU (e.g. NVIDIA with its Vulkan driver) and no
# network needs to run the benches: the node binary (xz), the bundled benches and dist/, npm
# webgpu's linux-x64 binary, the Vulkan loader library and scripts/device-bench.sh.
#   bash scripts/device-kit.sh [OUT.tar]      (default specmap-device-kit.tar; at most 60 MiB)
# On the device: tar xf specmap-device-kit.tar && bash specmap-device-kit/device-bench.sh [ARGS…]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-specmap-device-kit.tar}")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
kit="$stage/specmap-device-kit"
mkdir -p "$kit/bench" "$kit/lib" "$kit/node_modules/webgpu/dist/linux-x64" "$kit/bench/peers"

npm run --silent build
cp -r dist "$kit/dist"
# Each bench bundled as scripts/bench.mjs does (WGSL inlined; webgpu stays external).
for f in bench/*.ts; do
  name=$(basename "$f" .ts)
  case "$name" in _*) continue ;; esac
  npx esbuild "$f" --bundle --format=esm --platform=node --target=es2022 --loader:.wgsl=text \
    --external:webgpu --log-level=warning --outfile="$kit/bench/$name.mjs" \
    --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
done
cp bench/peers/* "$kit/bench/peers/" 2>/dev/null || true
w=node_modules/webgpu
cp "$w/package.json" "$w/index.js" "$kit/node_modules/webgpu/"
cp "$w/dist/linux-x64/dawn.node" "$kit/node_modules/webgpu/dist/linux-x64/"
loader=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | awk '/libvulkan\.so\.1 .*x86-64/ { print $NF; exit }')
[ -n "$loader" ] || { echo "device-kit: libvulkan.so.1 not found (apt-get install libvulkan1)" >&2; exit 2; }
cp -L "$loader" "$kit/lib/libvulkan.so.1"
xz -T0 -6 -c "$(command -v node)" >"$kit/node.xz"
xz -T0 -6 "$kit/node_modules/webgpu/dist/linux-x64/dawn.node"
cp scripts/device-bench.sh "$kit/device-bench.sh"
tar -C "$stage" -cf "$out" specmap-device-kit
size=$(stat -c %s "$out")
limit=$((60 * 1024 * 1024))
echo "device-kit: $out ($((size / 1024 / 1024)) MiB)"
[ "$size" -le "$limit" ] || { echo "device-kit: over 60 MiB" >&2; exit 1; }
