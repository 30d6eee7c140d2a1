#!/usr/bin/env bash
# The ceiling (issue #18, point 4): the highest message rate at which the deployed server (store,
# track history, recording, a PUB subscriber and a /ws client on) keeps p99 <= 20 ms, for a given
# number of vessels. Runs picket_bench_latency at rising rates and prints one row per rate: the
# offered and sent rates, p50/p99/max, late drops, the process's CPU (server, sender and
# receivers share it: the benchmark is one process) and whether it saturated.
#
#   bench/pipeline/find_ceiling.sh [--vessels 10000] [--rates "5000 10000 20000 30000 40000"]
#                                  [--seconds 30] [--rules FILE] [--build build/release]
#
# Stops at the first rate that misses the goal (a higher one would miss it too, and a saturated
# run takes minutes to drain). Not a test: run it by hand on a quiet machine (`uptime` first).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
vessels=10000 rates="5000 10000 20000 30000 40000" seconds=30 build="$root/build/release"
rules="$root/config/bench/busy-coast-rules.yaml" goal_ms=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --vessels) vessels="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --rules) rules="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "find_ceiling.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
bench="$build/bench/pipeline/picket_bench_latency"
[[ -x "$bench" ]] || { echo "find_ceiling.sh: $bench missing: ninja -C $build picket_bench_latency" >&2; exit 1; }

echo "ceiling: $vessels vessels, rules $(basename "$rules"), ${seconds} s a rate, goal p99 <= $goal_ms ms; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %9s %8s %8s %9s %6s %6s %s\n' rate sent/s p50_ms p99_ms max_ms late cpu% verdict
ceiling=0
for rate in $rates; do
  out="$(mktemp)"
  TIMEFORMAT='%U %S %R'
  times=$({ time "$bench" "$rate" "$vessels" "$seconds" "$rules" >"$out" 2>&1 || true; } 2>&1)
  sent=$(sed -n 's/.*in [0-9.]* s (\([0-9]*\) msg\/s offered).*/\1/p' "$out")
  read -r p50 p99 max < <(sed -n 's/.*p50 \([0-9.]*\) ms  p90 [0-9.]* ms  p99 \([0-9.]*\) ms  max \([0-9.]*\) ms.*/\1 \2 \3/p' "$out")
  late=$(sed -n 's/.*tracks, \([0-9]*\) late measurements dropped.*/\1/p' "$out")
  cpu=$(awk '{printf "%.0f", 100 * ($1 + $2) / $3}' <<<"$times")
  verdict=ok
  grep -q SATURATED "$out" && verdict=saturated
  [[ -n "$p99" ]] || { verdict="failed (see $out)"; p99=inf; }
  if [[ $verdict == ok ]] && awk -v p="$p99" -v g="$goal_ms" 'BEGIN {exit !(p <= g)}' && [[ "${late:-0}" == 0 ]]; then
    ceiling=$rate
  elif [[ $verdict == ok ]]; then
    verdict="over goal"
  fi
  printf '%8s %9s %8s %8s %9s %6s %6s %s\n' "$rate" "${sent:-?}" "${p50:-?}" "$p99" "${max:-?}" "${late:-?}" "${cpu:-?}" "$verdict"
  [[ $verdict == ok ]] || { echo "stopped at $rate msg/s"; [[ $verdict == failed* ]] || rm -f "$out"; break; }
  rm -f "$out"
done
echo "ceiling at $vessels vessels: $ceiling msg/s (p99 <= $goal_ms ms, no late drops, not saturated)"
