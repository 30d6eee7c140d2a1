#!/bin/bash
# Times `picket decode --format ais --raw` against `gpsdecode -u -j` on the same ~50 MB file, in
# the same run, and prints the throughput ratio (CPU time user+sys, and wall time: on a loaded
# machine the CPU figure is the meaningful one).
# Usage: bench/ais/decode_vs_gpsdecode.sh [BUILD_DIR [SOURCE.nmea]]   (default: build)
# Uses BUILD_DIR/src/picket when it has the decode command, else
# BUILD_DIR/bench/ais/ais_decode_file (the same engine and output loop).
set -eu
build=${1:-build}
# Input: the encoder's realistic mix written by ais_bench (/tmp/picket_ais_mix.nmea) when present,
# else gpsd's sample.aivdm (which is mostly comment lines), repeated to ~50 MB.
src=${2:-/tmp/picket_ais_mix.nmea}
[ -s "$src" ] || src=tests/golden/ais/sample.aivdm
big=/tmp/picket_ais_bench_50mb_$(basename "$src").nmea
if [ ! -s "$big" ]; then
  : > "$big"
  while [ "$(stat -c %s "$big")" -lt 50000000 ]; do cat "$src" "$src" "$src" "$src" >> "$big"; done
fi
if "$build/src/picket" decode --help >/dev/null 2>&1; then
  picket=("$build/src/picket" decode --format ais --raw)
else
  picket=("$build/bench/ais/ais_decode_file" --raw)
fi
mb=$(( $(stat -c %s "$big") / 1000000 ))
cpu() {  # prints "cpu_seconds wall_seconds" for the command, output to $1
  local out=$1; shift
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -o /tmp/picket_ais_time.txt -f "%U %S" "$@" > "$out" 2>/dev/null
  local c; c=$(tail -1 /tmp/picket_ais_time.txt)
  local t1; t1=$(date +%s.%N)
  echo "$(echo "$c" | awk '{print $1 + $2}') $(echo "$t1 - $t0" | bc -l)"
}
# Both write their JSON to /dev/null: the comparison is decode + format + write(2), not the
# file system. Message counts come from a separate run.
read -r pc pw < <(cpu /dev/null "${picket[@]}" "$big")
read -r gc gw < <(cpu /dev/null sh -c "gpsdecode -u -j < $big")
echo "input: $big ($mb MB, $("${picket[@]}" "$big" | wc -l) messages)"
printf 'picket (%s): CPU %.2f s (%.0f MB/s), wall %.2f s\n' "${picket[*]}" "$pc" "$(echo "$mb / $pc" | bc -l)" "$pw"
printf 'gpsdecode -u -j: CPU %.2f s (%.0f MB/s), wall %.2f s\n' "$gc" "$(echo "$mb / $gc" | bc -l)" "$gw"
printf 'ratio (CPU): %.1fx   ratio (wall): %.1fx\n' "$(echo "$gc / $pc" | bc -l)" "$(echo "$gw / $pw" | bc -l)"
