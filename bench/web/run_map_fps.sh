#!/usr/bin/env bash
# Starts the generated-track feed (picket_web_fake_feed, 5,000 tracks at 1 Hz each) and measures
# the map's frame rate in headless chromium.
#   bench/web/run_map_fps.sh BUILD_DIR [TRACKS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:?usage: run_map_fps.sh BUILD_DIR [TRACKS]}"
tracks="${2:-5000}"
feed="$(find "$build" -name picket_web_fake_feed -type f -perm -u+x | head -n 1)"
[[ -n "$feed" ]] || { echo "picket_web_fake_feed not built in $build" >&2; exit 1; }
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
(cd "$root" && exec "$feed" --port "$port" --tracks "$tracks" --rate 1 --static web) >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/api/snapshot" 2>/dev/null && break; sleep 0.2; done
PICKET_URL="http://127.0.0.1:$port/" PICKET_MIN_TRACKS="$tracks" node "$root/bench/web/map_fps.mjs"
