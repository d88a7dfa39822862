#!/usr/bin/env bash
# The test command (README, CI): set up, type-check, lint (ESLint, Prettier), then every vitest
# suite: CPU references,
# GPU parity in Node (Dawn: on lavapipe and on SwiftShader) and in headless Chromium (SwiftShader). GPU tests never skip: no adapter = failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --noEmit
npm run --silent lint
# The GPU drivers' native stderr noise (Dawn, Vulkan loader) is filtered as in the CLI.
node scripts/quiet-stderr.mjs npx vitest run "$@"
