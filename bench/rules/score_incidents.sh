#!/usr/bin/env bash
# Incident figures (issue #14; docs/rules.md "Incident figures"): for each scenario, record a
# simulated run through the whole server pipeline, replay it, and score the incidents it raised
# against the truth events of the scenario's rules (`picket score --alerts`). Prints one line per
# scenario and the per-kind breakdown; the JSON scores stay in OUT.
#
#   bench/rules/score_incidents.sh [--build build/release] [--out /tmp/picket-incidents]
#                                  [--seed N] [NAME ...]
# NAME: demo, honduras, gambia (held out until the second round of fixes), sixaola (held out:
# written before the third round, run once after it), busy (busy coast, first 2 h).
# Default: demo honduras gambia. --seed runs the scenarios with another seed (held-out noise).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/release out=/tmp/picket-incidents seed=
names=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) names+=("$1"); shift ;;
  esac
done
[[ ${#names[@]} -gt 0 ]] || names=(demo honduras gambia)
picket=$build/src/picket
mkdir -p "$out"
cd "$root"

scenario_of() {
  case $1 in
    demo) echo "config/scenarios/timor-demo.yaml config/demo/server.yaml" ;;
    honduras) echo "config/scenarios/gulf-of-honduras.yaml config/scenarios/gulf-of-honduras-server.yaml" ;;
    gambia) echo "config/scenarios/gambia-coast.yaml config/scenarios/gambia-coast-server.yaml" ;;
    sixaola) echo "config/scenarios/sixaola-coast.yaml config/scenarios/sixaola-coast-server.yaml" ;;
    busy) echo "config/scenarios/busy-coast.yaml config/bench/busy-coast-server.yaml --duration 2h" ;;
    *) echo "score_incidents.sh: unknown scenario $1" >&2; exit 2 ;;
  esac
}

for n in "${names[@]}"; do
  read -r scenario config extra <<<"$(scenario_of "$n")"
  rm -rf "$out/$n-rec" "$out/$n-truth"
  # shellcheck disable=SC2086  # $extra is a list of arguments
  "$picket" sim "$scenario" --record "$out/$n-rec" --config "$config" --truth "$out/$n-truth" \
    --quiet ${seed:+--seed "$seed"} $extra 2>"$out/$n-sim.log"
  "$picket" replay "$out/$n-rec" --out "$out/$n-out.txt" --quiet 2>"$out/$n-replay.log"
  "$picket" score --alerts "$out/$n-out.txt" --events "$out/$n-truth/events.jsonl" \
    --out "$out/$n-score.json"
  python3 - "$out/$n-score.json" "$n${seed:+ (seed $seed)}" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
o, i = s["overall"], s["incidents"]
print(f"{sys.argv[2]}: truth events {o['truth_events']} (scripted {o['scripted_events']}), "
      f"recall {o['recall']:.2f}, scripted recall {o['scripted_recall']:.2f} | incidents "
      f"{i['incidents']}, false {i['false_incidents']}, precision {i['precision']:.2f}, "
      f"false/h {i['false_per_hour']:.1f}, incidents per event {i['incidents_per_event']:.2f}, "
      f"split events {i['split_events']}")
for k, v in s["kinds"].items():
    print(f"  {k:18s} truth {v['truth_events']:3d} matched {v['matched']:3d} evidence "
          f"{v['evidence']:3d} false {v['false_evidence']:3d} precision {v['precision']:.2f}")
PY
done
