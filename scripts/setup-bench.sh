#!/usr/bin/env bash
# Bench-only setup (not CI, not the server): the Debian Python packages Stone Soup runs on, and a
# checkout of Stone Soup (github dstl/Stone-Soup) outside this repository, for the tracker
# comparison bench/tracking/compare_stonesoup.py. Stone Soup's code is never committed here.
#
#   scripts/setup-bench.sh [STONESOUP_DIR]     (default /work/ext/stonesoup)
#
# The checkout must already exist (a git clone or work tree of dstl/Stone-Soup); this script only
# installs what it runs on and says how to run the comparison.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi
}

APT_PACKAGES=(python3 python3-numpy python3-scipy python3-ruamel.yaml python3-matplotlib
  python3-rtree python3-pymap3d python3-plotly python3-ordered-set)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-bench: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup-bench: Debian packages already installed"
fi

dir=${1:-/work/ext/stonesoup}
if [ ! -f "$dir/stonesoup/__init__.py" ]; then
  echo "setup-bench: no Stone Soup checkout at $dir (clone github.com/dstl/Stone-Soup there)" >&2
  exit 1
fi
# Debian's python, not a pyenv one: the packages above are installed for /usr/bin/python3.
PYTHONPATH="$dir" /usr/bin/python3 -c 'import stonesoup, numpy, scipy; print("setup-bench: stonesoup", getattr(stonesoup, "__version__", "?"), "imports")'
echo "setup-bench: run  STONESOUP=$dir bench/tracking/compare_stonesoup.py --help"
