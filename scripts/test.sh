#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, then configures, builds and runs ctest in
# three configurations — g++ (-Werror), clang (-Werror), and g++ with AddressSanitizer +
# UndefinedBehaviorSanitizer. Build trees go to build/<config>. Exit status: 0 when all pass.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
jobs=$(nproc)

run() {  # name, then cmake options
  local name=$1
  shift
  echo "=== $name ==="
  cmake -S "$root" -B "$root/build/$name" -G Ninja -DCMAKE_BUILD_TYPE=Debug "$@"
  cmake --build "$root/build/$name" -j "$jobs"
  ctest --test-dir "$root/build/$name" -j "$jobs" --output-on-failure --timeout 600
}

run clang -DCMAKE_CXX_COMPILER=clang++ -DSYNERGY_CONSUMER_TESTS=OFF
run sanitize -DCMAKE_CXX_COMPILER=g++ -DSYNERGY_SANITIZE=address,undefined \
  -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_CONSUMER_TESTS=OFF
run gcc -DCMAKE_CXX_COMPILER=g++
