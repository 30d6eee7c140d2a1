#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan+UBSan) and runs each for SECONDS
# (default 600) on its seed corpus. Crashes land in tests/fuzz/artifacts/; turn each into a
# regression test (a corpus file plus a unit test) before fixing it.
#   scripts/run-fuzzers.sh [SECONDS] [NAME-FILTER]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
filter=${2:-}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p tests/fuzz/artifacts tests/fuzz/corpus-work
status=0
for bin in $(find build/fuzz/tests/fuzz -mindepth 2 -maxdepth 2 -type f -executable -name '*fuzz*' | sort); do
  name=$(basename "$bin")
  area=$(basename "$(dirname "$bin")")   # tests/fuzz/<area>/ holds its seed corpus
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  corpus_dir="tests/fuzz/corpus-work/$name"
  mkdir -p "$corpus_dir"
  seed_args=()
  [ -d "tests/fuzz/$area/corpus" ] && seed_args+=("tests/fuzz/$area/corpus")
  echo "== $name for ${seconds}s (seeds: ${seed_args[*]:-none})"
  if ! "$bin" -max_total_time="$seconds" -artifact_prefix="tests/fuzz/artifacts/$name-" \
       "$corpus_dir" "${seed_args[@]}" 2>&1 | tail -3; then
    status=1
  fi
done
exit $status
