#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan+UBSan) and runs each for SECONDS
# (default 600) on its seed corpus and dictionary, one at a time. Crashes land in
# tests/fuzz/artifacts/; turn each into a regression test (a corpus file plus a unit test) before
# fixing it. Each run's last libFuzzer lines (executions, coverage) go to tests/fuzz/logs/.
#   scripts/run-fuzzers.sh [SECONDS] [NAME-FILTER]
# With a filter only the matching fuzzers are built and run (e.g. `600 http`, `600 ais`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
filter=${2:-}
cmake --preset fuzz >/dev/null
# The fuzzers are the inputs of the aggregate target picket_fuzzers (tests/fuzz/CMakeLists.txt).
mapfile -t all < <(ninja -C build/fuzz -t query tests/fuzz/picket_fuzzers |
                   sed -n 's|^    \(tests/fuzz/.*\)$|\1|p')
selected=()
for rel in "${all[@]}"; do
  [[ -n "$filter" && "$(basename "$rel")" != *"$filter"* ]] && continue
  selected+=("$rel")
done
if [[ ${#selected[@]} -eq 0 ]]; then
  echo "no fuzzer matches '$filter' (have: ${all[*]##*/})" >&2
  exit 2
fi
ninja -C build/fuzz -j2 "${selected[@]}"
mkdir -p tests/fuzz/artifacts tests/fuzz/corpus-work tests/fuzz/logs
status=0
for rel in "${selected[@]}"; do
  bin="build/fuzz/$rel"
  name=$(basename "$bin")
  area=$(basename "$(dirname "$bin")")   # tests/fuzz/<area>/ holds its seeds and dictionary
  corpus_dir="tests/fuzz/corpus-work/$name"
  mkdir -p "$corpus_dir"
  seed_args=()
  [ -d "tests/fuzz/$area/corpus" ] && seed_args+=("tests/fuzz/$area/corpus")
  dict_args=()
  for dict in tests/fuzz/"$area"/*.dict; do [ -f "$dict" ] && dict_args+=("-dict=$dict"); done
  log="tests/fuzz/logs/$name.log"
  echo "== $name for ${seconds}s (seeds: ${seed_args[*]:-none}; dict: ${dict_args[*]:-none})"
  if ! "$bin" -max_total_time="$seconds" -print_final_stats=1 \
       -artifact_prefix="tests/fuzz/artifacts/$name-" \
       "${dict_args[@]}" "$corpus_dir" "${seed_args[@]}" >"$log" 2>&1; then
    status=1
    echo "   FINDING: see $log and tests/fuzz/artifacts/"
  fi
  grep -a -E '^#[0-9]+[[:space:]]+DONE|^Done|stat::number_of_executed_units|^==[0-9]+==ERROR|^SUMMARY' "$log" | sed 's/^/   /'
done
exit $status
