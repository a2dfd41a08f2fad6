#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, checks the formatting (clang-format), then
# configures, builds and runs ctest in three configurations — clang (Debug), g++ with
# AddressSanitizer + UndefinedBehaviorSanitizer (Debug), and g++ optimised (RelWithDebInfo: -O2
# finds warnings that only inlining shows) — all with -Wall -Wextra -Wpedantic -Werror on
# project code, then the threaded tests (sampler, annotator, ring buffer, serial probe) under
# ThreadSanitizer (clang). Build trees go to build/<config>. Exit status: 0 when all pass.
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

"$root/scripts/check_format.sh"

run clang Debug -DCMAKE_CXX_COMPILER=clang++ -DSYNERGY_CONSUMER_TESTS=OFF
run sanitize Debug -DCMAKE_CXX_COMPILER=g++ -DSYNERGY_SANITIZE=address,undefined \
  -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_CONSUMER_TESTS=OFF
run gcc RelWithDebInfo -DCMAKE_CXX_COMPILER=g++

# The main job's own build (Release, -O3: g++ 12 warns at -O3 where -O2 does not), so that
# ./scripts/main.sh cannot break unseen.
echo "=== release (main job's targets) ==="
cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSYNERGY_BUILD_TESTS=OFF \
  -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_BUILD_EXAMPLES=ON
cmake --build "$root/build/release" -j "$jobs" --target synergy_cli count_report

# ThreadSanitizer on the tests whose code runs threads: the sampler, the annotator and its
# ring buffer (measure_test), the serial probe with its fake device (serial_probe_test) and the
# sampler under injected faults (fault_injection_test).
echo "=== tsan (Debug) ==="
cmake -S "$root" -B "$root/build/tsan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DSYNERGY_SANITIZE=thread -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_CONSUMER_TESTS=OFF -DSYNERGY_BUILD_CLI=OFF
cmake --build "$root/build/tsan" -j "$jobs" --target measure_test serial_probe_test fault_injection_test
for t in measure_test serial_probe_test fault_injection_test; do
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$root/build/tsan/tests/$t" --gtest_brief=1
done
