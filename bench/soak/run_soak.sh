#!/usr/bin/env bash
# Soak of the real `picket serve` (issue #18, point 3): N minutes at a given AIS rate over ZeroMQ,
# with the demo's rules on the Timor layer, the SQLite store, track history and the recording on
# (as a user runs it), a console on PUB measuring message-to-track latency and an operator
# acknowledging every new alert. Every 5 s it samples the server's RSS and CPU, the disk used
# (store, history, recording), the ingest queue depth, late drops, the persistence backlog and
# the client's latency window; at the end it writes soak.csv, soak.png and a summary.
#
#   bench/soak/run_soak.sh [--minutes 10] [--rate 20000] [--vessels 10000] [--every 5]
#                          [--out DIR] [--no-persist] [--kill9-at SECONDS] [--port-base 28000]
#                          [--sender-nice 10] [--build build/release]
#
# The sender runs under `nice -n 10`: it yields to the server when both want a core, and its CPU
# time is measured (/proc) and reported beside the server's, so a reader can see how much of the
# machine it took. On a machine that others load heavily a niced sender is starved and cannot
# hold the rate (client.jsonl's sent_rate shows it): use --sender-nice 0 there. --kill9-at T kills the server with SIGKILL T seconds in, restarts it on the
# same files, and after the soak checks that every acknowledgement the server confirmed is in
# the store and the recording (picket_soak_client check). Not a test: run it by hand (minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

minutes=10 rate=20000 vessels=10000 every=5 out="" persist=1 kill9_at="" port_base=28000 nice=10
build="$root/build/release"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --vessels) vessels="$2"; shift 2 ;;
    --every) every="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-persist) persist=0; shift ;;
    --kill9-at) kill9_at="$2"; shift 2 ;;
    --port-base) port_base="$2"; shift 2 ;;
    --sender-nice) nice="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run_soak.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
picket="$build/src/picket"
client="$build/bench/soak/picket_soak_client"
for b in "$picket" "$client"; do
  [[ -x "$b" ]] || { echo "run_soak.sh: $b missing: ninja -C $build picket picket_soak_client" >&2; exit 1; }
done
[[ -n "$out" ]] || out="$(mktemp -d -t picket-soak.XXXXXX)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
seconds=$((minutes * 60))
p() { echo $((port_base + $1)); }

# The server's config: the demo's rules and layers (Timor), one AIS feed the client pushes to.
cfg="$out/server.yaml"
{
  echo "region: {name: soak, origin: {lat: -8.8, lon: 125.3}}"
  echo "feeds:"
  echo "  - {id: ais, kind: ais, format: nmea-ais, socket: pull, endpoint: \"tcp://127.0.0.1:$(p 1)\"}"
  echo "rules: $root/config/demo/rules.yaml"
  echo "outputs:"
  echo "  publish: tcp://127.0.0.1:$(p 2)"
  echo "  snapshot: tcp://127.0.0.1:$(p 3)"
  echo "  commands: tcp://127.0.0.1:$(p 4)"
  # The operator client of this benchmark acknowledges over loopback without CURVE keys.
  echo "  insecure_local_commands: true"
  echo "  http: {enabled: true, bind: 127.0.0.1, port: $(p 5)}"
  if [[ $persist == 1 ]]; then
    echo "  database: $out/picket.db"
    echo "  recording: $out/recording"
  fi
  echo "tick: 1s"
} >"$cfg"

server_pid="" client_pid=""
cleanup() {
  [[ -n "$client_pid" ]] && kill "$client_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

start_server() {
  (cd "$root" && exec "$picket" serve --config "$cfg" --quiet) >>"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$(p 5)/metrics" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run_soak.sh: the server did not come up:" >&2
  tail -20 "$out/server.log" >&2
  exit 1
}

# utime + stime of a process, in clock ticks (0 once it has gone).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
metric() {  # sum of a metric family's samples in the last /metrics scrape
  awk -v n="$1" '$1 == n || index($1, n "{") == 1 {s += $2} END {printf "%.0f", s}' "$out/.metrics"
}
disk() { du -sb "$@" 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }

echo "soak: $minutes min at $rate msg/s, $vessels vessels, persistence $([[ $persist == 1 ]] && echo on || echo off), out $out"
echo "soak: load before: $(uptime)"
start_server
nice -n "$nice" "$client" run --feed "tcp://127.0.0.1:$(p 1)" --publish "tcp://127.0.0.1:$(p 2)" \
  --commands "tcp://127.0.0.1:$(p 4)" --rate "$rate" --vessels "$vessels" --seconds "$seconds" \
  --every "$every" --acks "$out/acks.txt" >"$out/client.jsonl" 2>"$out/client.log" &
client_pid=$!

hz=$(getconf CLK_TCK)
csv="$out/server.csv"
echo "t_s,rss_mb,server_cpu_pct,client_cpu_pct,db_mb,history_mb,recording_mb,queue_depth,late_dropped,persist_backlog_bytes,history_backlog,held_messages,persist_dropped,load1" >"$csv"
t0=$(date +%s.%N)
server_cpu_prev=0 client_cpu_prev=0 server_cpu_base=0 t_prev=0 killed=0
while kill -0 "$client_pid" 2>/dev/null; do
  sleep "$every"
  # A client that ended during the sleep has no CPU to read (its delta would be negative).
  kill -0 "$client_pid" 2>/dev/null || break
  t=$(echo "$(date +%s.%N) - $t0" | bc)
  if [[ -n "$kill9_at" && $killed == 0 ]] && (($(echo "$t >= $kill9_at" | bc))); then
    echo "soak: kill -9 the server at t=${t%.*} s, restarting it on the same files"
    kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true
    killed=1
    start_server
    server_cpu_prev=0
  fi
  curl -fsS "http://127.0.0.1:$(p 5)/metrics" >"$out/.metrics" 2>/dev/null || : >"$out/.metrics"
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
  s_cpu=$(cpu_ticks "$server_pid") c_cpu=$(cpu_ticks "$client_pid")
  dt=$(echo "$t - $t_prev" | bc)
  s_pct=$(echo "scale=1; 100 * ($s_cpu - $server_cpu_prev) / $hz / $dt" | bc)
  c_pct=$(echo "scale=1; 100 * ($c_cpu - $client_cpu_prev) / $hz / $dt" | bc)
  server_cpu_prev=$s_cpu client_cpu_prev=$c_cpu t_prev=$t
  echo "$t,$((rss_kb / 1024)),$s_pct,$c_pct,$(($(disk "$out"/picket.db*) / 1048576)),$(($(disk "$out/picket-history") / 1048576)),$(($(disk "$out/recording") / 1048576)),$(metric picket_ingest_queue_depth),$(metric picket_tracker_late_dropped_total),$(metric 'picket_persist_backlog{queue="recording_bytes"}'),$(metric 'picket_persist_backlog{queue="history_points"}'),$(metric picket_publish_held_messages),$(metric picket_persist_dropped_total),$(cut -d' ' -f1 /proc/loadavg)" >>"$csv"
done
wait "$client_pid" || true
client_pid=""
# Where the fusion thread's time went (picket_fusion_work_*, docs/outputs.md), from the last scrape:
# a message waits for the piece running when it arrives, so the long pieces set the tail.
echo "soak: fusion thread work (count, mean, max, pieces over 5 / 20 ms), last scrape:"
awk -F'"' '
  /^picket_fusion_work_seconds_count/ {split($0, v, " "); n[$2] = v[2]}
  /^picket_fusion_work_seconds_sum/ {split($0, v, " "); s[$2] = v[2]}
  /^picket_fusion_work_max_seconds/ {split($0, v, " "); m[$2] = v[2]}
  /^picket_fusion_work_seconds_bucket/ && $4 == "0.005" {split($0, v, " "); b5[$2] = v[2]}
  /^picket_fusion_work_seconds_bucket/ && $4 == "0.02" {split($0, v, " "); b20[$2] = v[2]}
  END {for (w in n) if (n[w] > 0)
         printf "  %-13s %10d  mean %8.3f ms  max %8.2f ms  >5ms %6d  >20ms %5d\n",
                w, n[w], 1e3 * s[w] / n[w], 1e3 * m[w], n[w] - b5[w], n[w] - b20[w]}' "$out/.metrics"
kill -INT "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
echo "soak: load after: $(uptime)"
tail -1 "$out/client.log"

if [[ $persist == 1 && -n "$kill9_at" ]]; then
  echo "soak: checking every confirmed acknowledgement after the kill -9"
  "$client" check --db "$out/picket.db" --recording "$out/recording" --acks "$out/acks.txt" | tee "$out/check.json"
fi
/usr/bin/python3 "$here/plot_soak.py" "$out"
