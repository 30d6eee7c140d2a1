#!/usr/bin/env bash
# The whole test suite: builds (release preset) and runs every ctest test: unit, golden,
# end-to-end over real ZeroMQ sockets, and the browser test in Debian's chromium.
# Extra arguments go to ctest (e.g. -L fast, -R ais).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh release
ctest --preset release "$@"
