#!/usr/bin/env bash
# Measures the map's frame rate with 5,000 and 50,000 moving tracks in headless chromium, and
# the time to the first picture. picket_web_fake_feed serves the page, the tiles and a small live
# feed (for the first picture); bench/web/map_fps.mjs then feeds the page synthetic tracks.
#   bench/web/run_map_fps.sh BUILD_DIR [TRACKS...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:?usage: run_map_fps.sh BUILD_DIR [TRACKS...]}"
shift
feed="$(find "$build" -name picket_web_fake_feed -type f -perm -u+x | head -n 1)"
[[ -n "$feed" ]] || { echo "picket_web_fake_feed not built in $build" >&2; exit 1; }
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
(cd "$root" && exec "$feed" --port "$port" --tracks 500 --rate 1 --static web --tiles data/basemap/tiles-v2) >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/api/snapshot" 2>/dev/null && break; sleep 0.2; done
echo "load: $(uptime)"
PICKET_URL="http://127.0.0.1:$port/" node "$root/bench/web/map_fps.mjs" "$@"
