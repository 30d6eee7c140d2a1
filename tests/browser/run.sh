#!/usr/bin/env bash
# Runs the browser test against a real server: starts `picket demo` (simulator + server + control
# room) on a free port, waits for /api/snapshot, runs control_room.mjs, stops the demo.
#   PICKET_BINARY=build/src/picket tests/browser/run.sh [test.mjs]
# Env: PICKET_DEMO_ARGS replaces the default demo arguments (after --http-port).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${PICKET_BINARY:?set PICKET_BINARY to the built picket executable}"
test_script="${1:-$here/control_room.mjs}"

if [[ ! -d "$root/web/node_modules/playwright-core" ]]; then
  echo "run.sh: web/node_modules/playwright-core missing: run 'npm install' in web/" >&2
  exit 1
fi
# Below the ephemeral range, as free_port.mjs says why.
port="$(cd "$here" && node --input-type=module -e 'import { freePort } from "./free_port.mjs"; console.log(await freePort());')"
log="$(mktemp -t picket-demo.XXXXXX.log)"
# shellcheck disable=SC2086
(cd "$root" && exec "$binary" demo --http-port "$port" ${PICKET_DEMO_ARGS:---speed 20 --quiet}) >"$log" 2>&1 &
demo_pid=$!
cleanup() {
  kill "$demo_pid" 2>/dev/null || true
  wait "$demo_pid" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

url="http://127.0.0.1:$port/"
for _ in $(seq 1 150); do
  if curl -fsS -o /dev/null "${url}api/snapshot" 2>/dev/null; then break; fi
  if ! kill -0 "$demo_pid" 2>/dev/null; then
    echo "run.sh: picket demo exited early:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
curl -fsS -o /dev/null "${url}api/snapshot" || { echo "run.sh: no /api/snapshot on $url" >&2; cat "$log" >&2; exit 1; }

status=0
PICKET_URL="$url" node "$test_script" || status=$?
if [[ $status -ne 0 ]]; then
  echo "---- picket demo log (tail) ----" >&2
  tail -n 40 "$log" >&2
fi
exit $status
