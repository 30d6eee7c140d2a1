#!/usr/bin/env bash
# Runs the real scripts/setup.sh on a machine that lacks one Debian package, twice: as root and
# as a user with sudo. The package tools (dpkg-query, apt-get, debconf-set-selections, sudo, npm)
# and the identity (id) are stubs on PATH that log what they were asked; the border and basemap
# derivations are stubs too. The branch that installs must run, and run apt-get as root both ways.
# Regression: as root, "$SUDO -E apt-get" expanded to "-E apt-get" and setup failed at once.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "setup_script_test: FAIL: $*" >&2; exit 1; }

make_root() {  # make_root DIR: a project tree with the real setup.sh and stub derive scripts
  mkdir -p "$1/scripts" "$1/web"
  cp "$repo/scripts/setup.sh" "$1/scripts/setup.sh"
  printf '#!/bin/sh\necho derive-borders >> "$STUB_LOG"\n' > "$1/scripts/derive-borders.sh"
  printf '#!/bin/sh\necho derive-basemap >> "$STUB_LOG"\n' > "$1/scripts/derive-basemap.sh"
  printf '#!/bin/sh\necho derive-eez >> "$STUB_LOG"\n' > "$1/scripts/derive-eez.sh"
  chmod +x "$1/scripts/"*.sh
  echo '{}' > "$1/web/package-lock.json"
}

make_stubs() {  # make_stubs DIR UID: the package tools, logging to $STUB_LOG
  mkdir -p "$1"
  cat > "$1/id" <<EOS
#!/bin/sh
[ "\$1" = "-u" ] && { echo $2; exit 0; }
exec /usr/bin/id "\$@"
EOS
  # Every package is installed except tshark.
  cat > "$1/dpkg-query" <<'EOS'
#!/bin/sh
for last; do :; done
[ "$last" = tshark ] && exit 1
printf 'install ok installed'
EOS
  cat > "$1/apt-get" <<'EOS'
#!/bin/sh
echo "apt-get uid=$(id -u) sudo=${IN_SUDO:-no} DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-} $*" >> "$STUB_LOG"
EOS
  cat > "$1/debconf-set-selections" <<'EOS'
#!/bin/sh
echo "debconf uid=$(id -u) sudo=${IN_SUDO:-no} $(cat)" >> "$STUB_LOG"
EOS
  # sudo: only -E is allowed (the environment must reach apt-get); runs the command "as root".
  cat > "$1/sudo" <<'EOS'
#!/bin/sh
[ "$1" = "-E" ] || { echo "sudo stub: expected -E, got $1" >&2; exit 1; }
shift
IN_SUDO=yes exec "$@"
EOS
  cat > "$1/npm" <<'EOS'
#!/bin/sh
echo "npm $*" >> "$STUB_LOG"
EOS
  chmod +x "$1"/*
}

run_case() {  # run_case NAME UID
  local root="$work/$1" stubs="$work/$1-bin"
  make_root "$root"
  make_stubs "$stubs" "$2"
  export STUB_LOG="$work/$1.log"
  : > "$STUB_LOG"
  PATH="$stubs:$PATH" bash "$root/scripts/setup.sh" > "$work/$1.out" 2>&1 ||
    { cat "$work/$1.out"; fail "$1: setup.sh exited non-zero"; }
  grep -q "installing Debian packages: tshark" "$work/$1.out" || fail "$1: did not report the missing package"
  grep -q "^apt-get .* update" "$STUB_LOG" || fail "$1: no apt-get update"
  grep -qE "^apt-get .* install .*tshark" "$STUB_LOG" || fail "$1: tshark not installed"
  grep -q "DEBIAN_FRONTEND=noninteractive install" "$STUB_LOG" || fail "$1: apt-get lost DEBIAN_FRONTEND"
  grep -q "^debconf .*install-setuid boolean false" "$STUB_LOG" || fail "$1: debconf answer missing"
  grep -q "^npm ci" "$STUB_LOG" || fail "$1: npm ci not run"
  grep -q "^derive-borders" "$STUB_LOG" || fail "$1: borders not derived"
  grep -q "^derive-basemap" "$STUB_LOG" || fail "$1: basemap not derived"
  grep -q "^derive-eez" "$STUB_LOG" || fail "$1: EEZ limit not derived"
}

run_case root 0
! grep -q "sudo=yes" "$work/root.log" || fail "root: used sudo"
run_case user 1000
grep -q "^apt-get .*sudo=yes.* install" "$work/user.log" || fail "user: apt-get install not through sudo"
grep -q "^debconf .*sudo=yes" "$work/user.log" || fail "user: debconf not through sudo"
echo "setup_script_test: root and sudo-user installs both ran the install branch"
