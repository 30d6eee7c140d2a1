#!/usr/bin/env bash
# A throwaway PostgreSQL + PostGIS cluster for the shared store's tests and bench (issue 16
# item 3): initdb in a directory of its own, listening only on a Unix socket in that directory
# (no TCP port to collide with anyone's), superuser `picket` with trust authentication.
#
#   scripts/pg-cluster.sh start DIR [--fast]   prints the conninfo on stdout
#   scripts/pg-cluster.sh stop DIR             stops it and removes DIR
#
# --fast turns fsync off (tests: they kill picket, never PostgreSQL, so what a commit reported
# is in PostgreSQL either way); the bench runs without it (commits durable on disk).
# initdb refuses to run as root: as root the cluster belongs to the `postgres` user (runuser).
# Exits 77 (ctest's skip) when the PostgreSQL server binaries or PostGIS are not installed.
set -euo pipefail
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR [--fast]" >&2
  exit 2
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
      echo "pg-cluster: PostgreSQL server binaries not found (Debian postgresql-15)" >&2
      exit 77
    fi
    if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
      echo "pg-cluster: PostGIS not installed (Debian postgresql-15-postgis-3)" >&2
      exit 77
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      if ! id postgres >/dev/null 2>&1; then
        echo "pg-cluster: running as root and there is no 'postgres' user to own the cluster" >&2
        exit 77
      fi
      chown postgres "$dir"
      # postgres must reach DIR: a mkdtemp parent is 0700.
      chmod a+x "$(dirname "$dir")"
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U picket --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    opts="-c listen_addresses='' -c unix_socket_directories='$dir' -c port=5432"
    opts+=" -c max_connections=40 -c shared_buffers=32MB"
    if [ "${3:-}" = "--fast" ]; then opts+=" -c fsync=off -c full_page_writes=off"; fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 60 start \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "host=$dir port=5432 user=picket dbname=postgres"
    ;;
  stop)
    if [ -d "$dir/data" ] && [ -n "$bindir" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR [--fast]" >&2
    exit 2
    ;;
esac
