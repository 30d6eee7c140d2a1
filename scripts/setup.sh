#!/usr/bin/env bash
# Installs every Debian and npm package picket needs on a fresh Debian 12 machine.
# Idempotent: re-running only installs what is missing. Works as root, or as a normal
# user with sudo. Afterwards derives the demo border layers and the map's basemap tiles from the
# npm border packages.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

# as_root CMD...: runs CMD as root, directly when we are root, else through sudo. The
# environment (DEBIAN_FRONTEND) is kept both ways. A plain "$SUDO -E" would expand to "-E" as root.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi
}

APT_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang libclang-rt-14-dev libfuzzer-14-dev
  # libraries (fixed choices in the brief, plus yaml-cpp for config, nlohmann-json, SQLite)
  libgdal-dev gdal-bin libgeos-dev libboost-dev libzmq3-dev cppzmq-dev libeigen3-dev catch2
  libgeographiclib-dev libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libbenchmark-dev
  # the recording's compression (issue #18)
  libzstd-dev
  # the shared store (issue 16 item 3): libpq, and the PostgreSQL + PostGIS server its tests and
  # bench start as a throwaway cluster (scripts/pg-cluster.sh)
  libpq-dev postgresql-15 postgresql-15-postgis-3
  # reference tools used by tests: gpsd's AIS decoder, Wireshark's ASTERIX dissector
  gpsd-clients tshark
  # the control room's browser test; its WebGL on Mesa's llvmpipe through EGL (cheaper than
  # Chromium's own SwiftShader here: tests/browser/chromium.mjs)
  chromium libegl-mesa0 libgl1-mesa-dri
  # scripts (bench/soak/plot_soak.py draws with Debian's matplotlib)
  python3 curl python3-matplotlib bc
)

# Node.js and npm: Debian's own when the machine has none (a machine may already carry a newer
# Node.js whose package conflicts with Debian's npm; then that one is used as it is).
if ! command -v npm >/dev/null 2>&1; then APT_PACKAGES+=(nodejs npm); fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | as_root debconf-set-selections
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already installed"
fi

# npm packages: the control room's libraries, the browser driver, the CoT validator and the
# border data. package-lock.json pins them; `npm ci` is reproducible and skips no-op installs.
if [ ! -d "$here/web/node_modules" ] || [ "$here/web/package-lock.json" -nt "$here/web/node_modules/.package-lock.json" ]; then
  echo "setup: installing npm packages in web/"
  (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error)
else
  echo "setup: npm packages already installed"
fi

# Border layers for the demo and the tests, derived from the npm data packages.
"$here/scripts/derive-borders.sh"
# The control room map's basemap (land, territorial seas, borders) as vector tiles picket serves.
"$here/scripts/derive-basemap.sh"
# The exclusive economic zones' outer limit (200 NM from land) drawn over the basemap.
"$here/scripts/derive-eez.sh"
