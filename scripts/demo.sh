#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install everything, build, and run `picket demo`
# (simulator + server + control room on the Timor border, embedded defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh release
exec build/release/src/picket demo "$@"
