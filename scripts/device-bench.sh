#!/usr/bin/env bash
# Runs every bench from an unpacked device kit (scripts/device-kit.sh) on a machine without node
# or network, and writes bench/results/<bench>-gpu.json in the kit folder.
#   bash device-bench.sh [--adapter hardware|lavapipe|swiftshader] [--quick]
# Without --adapter the benches run their WebGPU rows on every adapter found.
set -euo pipefail
cd "$(dirname "$0")"
[ -x bin/node ] || { mkdir -p bin && xz -dc node.xz >bin/node && chmod +x bin/node; }
dawn=node_modules/webgpu/dist/linux-x64/dawn.node
[ -f "$dawn" ] || xz -dk "$dawn.xz"
# The kit's Vulkan loader serves when the system has none; the GPU's own driver (ICD) is the system's.
export LD_LIBRARY_PATH="$PWD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
mkdir -p bench/results
# Runs bin/node ARGS… with the GPU drivers' native stderr noise filtered, as the CLI does.
quiet() {
  bin/node -e "import('./dist/stderr-filter.js').then(async (m) => process.exit(await m.runFiltered(process.execPath, process.argv.slice(1))))" "$@"
}
args=("$@")
quick=()
for a in "$@"; do [ "$a" = --quick ] && quick=(--quick); done
adapter=()
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = --adapter ] && adapter=(--adapter "${args[$((i + 1))]}"); done
# Peers need /usr/bin/python3 with numpy, scipy, scikit-learn and lmfit; without them specmap's rows alone.
peers=()
/usr/bin/python3 -c 'import numpy, scipy, sklearn, lmfit' 2>/dev/null || peers=(--no-peers)
quiet -e "import('./dist/cli.js').then(async (m) => process.exit(await m.main(['doctor'])))" || true
status=0
for b in peaks nmf mrf loads; do
  [ -f "bench/$b.mjs" ] || continue
  echo "=== $b"
  extra=()
  [ "$b" = loads ] && [ ${#quick[@]} -gt 0 ] && extra=(--rows 8192)
  [ "$b" != loads ] && extra=("${quick[@]}" "${peers[@]}")
  if quiet bench/"$b".mjs ${extra[@]+"${extra[@]}"} ${adapter[@]+"${adapter[@]}"}; then
    for f in bench/results/"$b"*.json; do
      [ -f "$f" ] || continue
      case "$f" in *-gpu.json) continue ;; esac
      mv "$f" "${f%.json}-gpu.json"
    done
  else
    status=1
  fi
done
exit $status
