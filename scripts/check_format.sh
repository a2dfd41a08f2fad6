#!/usr/bin/env bash
# Checks that every C++ file of the project follows the one .clang-format (clang-format 14, as
# Debian bookworm ships it). Generated files are left out: the single header (its parts are
# checked in include/) and the protobuf schema's generated code (not in the repository).
#   check_format.sh          report files that differ and exit 1
#   check_format.sh --fix    reformat them in place
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "check_format.sh: clang-format is not installed" >&2; exit 1; }
mapfile -t files < <(git ls-files -- '*.hpp' '*.cpp' '*.h' '*.cc' ':!:single_include/*' 2>/dev/null ||
  find include tests bench examples tools -name '*.[ch]pp')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "not formatted with .clang-format (run scripts/check_format.sh --fix):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "formatting: ${#files[@]} files follow .clang-format"
