#!/usr/bin/env bash
# The test command (README, CI): set up, type-check, lint (ESLint, Prettier), then every vitest
# suite: CPU references,
# GPU parity in Node (Dawn) and in headless Chromium. GPU tests never skip: no adapter = failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc --noEmit
npm run --silent lint
npx vitest run "$@"
