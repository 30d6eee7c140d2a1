#!/usr/bin/env bash
# Issue 15's real-radar goal: a real radar capture through picket with defaults plus the radar's
# site; of the targets the radar's own tracker confirms (CAT048 I048/161 + I048/170 CNF), the
# share picket confirms (bench/asterix/real_radar_confirmation.cpp says how it is matched).
#
# The capture is fetched at bench time into build/bench-data/ (2.7 MB, never committed):
#   Barcelona (LEBL) en-route radar, 2023-05-02 08:00-09:00 UTC, 44,085 CAT048 blocks, Mode S
#   plots with the radar's own track numbers and status; no CAT034 (no antenna period is sent).
#   From alexalvaroUPC/PGTA_Second_Project (a UPC course's CAT048 decoder), the course's sample
#   file; the radar's position is the one that project converts plots with (geoStuff.cs).
#
#   bench/asterix/real_radar.sh [BUILD_DIR [OPTIONS]]   (default build/release; OPTIONS go to
#   picket_bench_real_radar: --watches air, --no-velocity, --no-address, --no-status, --missed)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/release}
data=build/bench-data
mkdir -p "$data"
repo=https://raw.githubusercontent.com/alexalvaroUPC/PGTA_Second_Project
commit=d6aef55613d5eb77b0112fd03c67cb388e92cf9b
file="$data/bcn-230502-0800-0900.ast"
if [ ! -s "$file" ]; then
  curl -fsSL -o "$file" "$repo/$commit/PGTA_Second_Project/230502-est-080001_BCN_60MN_08_09%20(1).ast"
fi
# The figure in docs/radar.md is for exactly these bytes.
echo "1e2fa372e6a9d59a34c8c0df355450c756c78765104220c34fc57c498e2f307c  $file" | sha256sum -c --quiet
cmake --build "$build" --target picket_bench_real_radar >/dev/null
"$build/bench/asterix/picket_bench_real_radar" "$file" --site 41.30070233,2.102058194,27.257 \
  --date 2023-05-02 "${@:2}"
