#!/usr/bin/env bash
# Installs the Python peers the benchmarks compare with (Debian packages; /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --peers
