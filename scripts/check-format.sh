#!/usr/bin/env bash
# Checks that every C++ file git knows matches the repository's .clang-format (clang-format 14,
# Debian 12's). With --fix, rewrites the files instead. Exit status 1 lists the files that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=check
[ "${1:-}" = "--fix" ] && mode=fix
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
if [ "$mode" = fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue   # deleted in the work tree, not yet in the index
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files differ from .clang-format (fix: scripts/check-format.sh --fix):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files match .clang-format"
