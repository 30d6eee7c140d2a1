#!/usr/bin/env bash
# Hot standby, the 10-kill figure (issue 16, item 4; docs/deployment.md "Hot standby"): runs the
# standby end-to-end test with 10 runs, each killing the primary with SIGKILL at another point of
# an alert burst, and prints one line per run (failover seconds, alerts seen, doubled, track ids
# kept). Usage: scripts/standby-kills.sh [build dir] [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
kills=${2:-10}
ninja -C "$build" -j2 picket picket_tests_e2e_standby >/dev/null
PICKET_BINARY="$PWD/$build/src/picket" PICKET_STANDBY_KILLS="$kills" \
    "$build/tests/e2e/picket_tests_e2e_standby" 2>&1 |
    grep -E "^standby run|passed|failed|FAILED"
