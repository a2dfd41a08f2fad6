#!/usr/bin/env bash
# The main job: SyNERGY on this machine. Installs missing Debian packages, builds the
# `synergy` program (Release), then:
#   1. lists the power sources (and why each missing one is missing);
#   2. profiles the paper's 12 networks layer by layer on the reference CPU runner with both
#      backends (OpenBLAS and Eigen), 1 warm-up + 20 round-robin rounds — with per-layer energy
#      when a power source exists, latency only otherwise;
#   3. fits the paper's layer-type model and the class-aware per-layer model, validates them
#      leaving whole networks out (Table 7) and on held-out GoogLeNet, AlexNet, VGG_CNN_S
#      (Table 8) next to the noise ceiling, and draws Figure 4 and per-type breakdowns;
#   4. writes the count report of every zoo network.
# Everything goes to out/ (out/main: dataset, models, tables, plots, summary.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
build="$root/build/release"
out="$root/out/main"
rounds="${SYNERGY_ROUNDS:-20}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSYNERGY_BUILD_TESTS=OFF \
  -DSYNERGY_BUILD_BENCH=OFF -DSYNERGY_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target synergy_cli count_report
synergy="$build/tools/cli/synergy"
mkdir -p "$out"
{
  echo "# SyNERGY on this machine ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
  echo
  echo "## Power sources"
  echo '```text'
  "$synergy" sources
  echo '```'
  echo
  echo "## Profile: 12 networks, OpenBLAS and Eigen, $rounds round-robin rounds after 1 warm-up"
  echo '```text'
  "$synergy" profile --networks paper --backends openblas,eigen --rounds "$rounds" --warmup 1 -o "$out"
  echo '```'
  for backend in openblas eigen; do
    for model in paper class-aware; do
      echo
      echo "## Fit: $model model, $backend"
      echo '```text'
      "$synergy" fit "$out/dataset.csv" --backend "$backend" --model "$model" -o "$out/model_${backend}_${model}.json"
      echo '```'
    done
  done
  echo
  echo "## Prediction of GoogLeNet with the paper model fitted on all 12 networks (OpenBLAS)"
  echo '```text'
  "$synergy" predict "$out/model_openblas_paper.json" googlenet
  echo '```'
  echo
  "$synergy" report "$out/dataset.csv" -o "$out" --format both
} 2>&1 | tee "$out/summary.md"
for format in text csv json; do
  "$build/examples/count_report" --format "$format" --out "$root/out/counts" >/dev/null
done
echo "main job written to $out (summary.md, dataset.csv/json, table7.md, table8.md, fig4_*.svg/png, breakdown_*.svg/png) and out/counts/"
