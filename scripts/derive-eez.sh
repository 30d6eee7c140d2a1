#!/usr/bin/env bash
# Derives the outer limit of the exclusive economic zones (200 nautical miles from land) for
# the control room's map, from the basemap's land (data/basemap/basemap.gpkg, made by
# scripts/derive-basemap.sh, which runs first). No Debian or npm package carries EEZ data (the
# Flanders Marine Institute's boundaries are not packaged), so this is the geometric limit:
# every island's outline buffered by 200 NM and the buffers merged. It is where the high seas
# begin; the lateral boundaries between neighbours' zones (median lines and treaties) are not
# derived, and land outside BASEMAP_REGION is not counted, so within 200 NM of the region's
# edge a limit may be missing.
# How: each island (land simplified to 0.01 deg, about a kilometre) is buffered in World
# Mercator (EPSG:3395) by 200 NM times the Mercator scale at its centroid's latitude; over the
# 200 NM the scale changes by at most about 2 % at 20 deg of latitude, so the limit is within
# about 4 NM. GEOS through GDAL's SQLite dialect (SpatiaLite) does the buffers and the union.
# Output: data/basemap/tiles-v2/eez.json, a GeoJSON MultiLineString clipped to the region, served
# with the tiles (/tiles/eez.json); derive-basemap.sh remakes tiles-v2/ whole, so this runs after it.
# Idempotent: left alone when newer than the land and this script.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out_dir="$here/data/basemap"
gpkg="$out_dir/basemap.gpkg"
out="$out_dir/tiles-v2/eez.json"
script="$here/scripts/derive-eez.sh"
read -r -a region <<< "${BASEMAP_REGION:-90 -20 155 15}"

[ -f "$gpkg" ] || { echo "derive-eez: missing $gpkg (run scripts/derive-basemap.sh)" >&2; exit 1; }
[ -d "$out_dir/tiles-v2" ] || { echo "derive-eez: missing $out_dir/tiles-v2 (run scripts/derive-basemap.sh)" >&2; exit 1; }
if [ -f "$out" ] && [ "$out" -nt "$gpkg" ] && [ "$out" -nt "$script" ]; then
  echo "derive-eez: $out is up to date"
  exit 0
fi
echo "derive-eez: buffering the land by 200 NM (about 10 s of CPU)"
parts="$out_dir/eez-parts.tmp.gpkg"; zone="$out_dir/eez-zone.tmp.gpkg"; tmp="$out.tmp"
rm -f "$parts" "$zone" "$tmp"
trap 'rm -f "$parts" "$zone" "$tmp"' EXIT
ogr2ogr -f GPKG "$parts" "$gpkg" land -explodecollections -unsetFid -nlt POLYGON -nln parts
# 370,400 m = 200 NM; the Mercator scale at latitude phi is 1/cos(phi).
ogr2ogr -f GPKG "$zone" "$parts" -dialect sqlite -nln zone -nlt MULTIPOLYGON \
  -sql "SELECT ST_Multi(ST_Transform(ST_Union(ST_Buffer(
          ST_Transform(ST_SimplifyPreserveTopology(geom, 0.01), 3395),
          370400.0 / cos(radians(ST_Y(ST_Centroid(geom)))))), 4326)) AS geom
        FROM parts"
ogr2ogr -f GeoJSON "$tmp" "$zone" -dialect sqlite -nln eez -nlt MULTILINESTRING \
  -sql "SELECT 'EEZ 200 NM' AS name, ST_Multi(ST_SimplifyPreserveTopology(ST_Boundary(geom), 0.005)) AS geom
        FROM zone" \
  -clipdst "${region[@]}" -lco COORDINATE_PRECISION=4 -lco RFC7946=YES
mv -f "$tmp" "$out"
echo "derive-eez: $out, $(wc -c < "$out") bytes"
