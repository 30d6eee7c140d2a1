#!/usr/bin/env bash
# Hot standby, the 10-kill figure (issue 16, item 4; docs/deployment.md "Hot standby"): runs a
# standby end-to-end test with 10 runs, each killing the primary with SIGKILL at another point of
# an alert burst, and prints one line per run (failover seconds, alerts seen, doubled, track ids
# kept; on PostgreSQL also the acks and what the standby found missing at takeover).
# Usage: scripts/standby-kills.sh [build dir] [kills] [sqlite|postgresql]
#   sqlite (default): each server on its own SQLite file (tests/e2e/standby_test.cpp);
#   postgresql: the pair on one PostgreSQL store, a throwaway cluster (tests/e2e/pg_standby_test.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
kills=${2:-10}
store=${3:-sqlite}
case "$store" in
  sqlite) target=picket_tests_e2e_standby; filter=() ;;
  postgresql) target=picket_tests_e2e_shared_store; filter=("[standby]") ;;
  *) echo "usage: $0 [build dir] [kills] [sqlite|postgresql]" >&2; exit 2 ;;
esac
ninja -C "$build" -j2 picket "$target" >/dev/null
PICKET_BINARY="$PWD/$build/src/picket" PICKET_STANDBY_KILLS="$kills" \
    "$build/tests/e2e/$target" "${filter[@]}" 2>&1 |
    grep -E "^(pg )?standby run|passed|failed|FAILED|skipped"
