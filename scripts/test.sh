#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, then configures, builds and runs ctest in
# three configurations — clang (Debug), g++ with AddressSanitizer + UndefinedBehaviorSanitizer
# (Debug), and g++ optimised (RelWithDebInfo: -O2 finds warnings that only inlining shows) —
# all with -Wall -Wextra -Wpedantic -Werror on project code. Build trees go to build/<config>.
# Exit status: 0 when all pass.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
jobs=$(nproc)

run() {  # name, build type, then cmake options
  local name=$1 type=$2
  shift 2
  echo "=== $name ($type) ==="
  cmake -S "$root" -B "$root/build/$name" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@"
  cmake --build "$root/build/$name" -j "$jobs"
  ctest --test-dir "$root/build/$name" -j "$jobs" --output-on-failure --timeout 600
}

run clang Debug -DCMAKE_CXX_COMPILER=clang++ -DSYNERGY_CONSUMER_TESTS=OFF
run sanitize Debug -DCMAKE_CXX_COMPILER=g++ -DSYNERGY_SANITIZE=address,undefined \
  -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_CONSUMER_TESTS=OFF
run gcc RelWithDebInfo -DCMAKE_CXX_COMPILER=g++
