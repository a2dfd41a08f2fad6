#!/usr/bin/env bash
# The main job, for now: installs missing Debian packages, builds the project (Release), and
# writes the count report of the zoo networks — per-layer tables and totals as text, CSV and
# JSON — to out/counts/, printing the text tables.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
build="$root/build/release"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSYNERGY_BUILD_TESTS=OFF \
  -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target count_report
for format in text csv json; do
  "$build/examples/count_report" --format "$format" --out "$root/out/counts" >/dev/null
done
"$build/examples/count_report" --format text
echo "count report written to $root/out/counts/ (.txt, .csv, .json per network)"
