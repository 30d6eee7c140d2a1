#!/usr/bin/env bash
# `picket demo --sectors N` (default 3): N sector servers, a regional server fusing their track
# streams, and the control room on one machine over loopback (docs/deployment.md). Builds first
# if needed; extra arguments go to `picket demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
sectors="${1:-3}"
[[ $# -gt 0 ]] && shift
[[ -x build/release/src/picket ]] || scripts/build.sh release
exec build/release/src/picket demo --sectors "$sectors" "$@"
