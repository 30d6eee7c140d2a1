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
# One clang-format process for every file: it names each file that differs in its warnings.
mapfile -t bad < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files differ from .clang-format (fix: scripts/check-format.sh --fix):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "check-format: ${#files[@]} files match .clang-format"
