#!/usr/bin/env bash
# Compile-time cost of `static_assert` on a 200-layer network's totals (goal: < 1 s and
# < 500 MB added with g++ 12). Compiles the same translation unit twice — with the network
# counted only at run time, then also in a static_assert — and prints wall time, peak memory
# (GNU time's maximum resident set size) and the differences. Best of 3 runs each.
#   compile_time.sh [compiler] [include dir]
set -euo pipefail
cxx=${1:-g++}
inc=${2:-$(cd "$(dirname "$0")/../include" && pwd)}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for layers in 200; do
  for mode in 0 1; do
    cat >"$work/tu$mode.cpp" <<CPP
#include "chain_network.hpp"
#if $mode
static_assert(bench::chain_network($layers).totals().macs == bench::chain_macs($layers));
#endif
int main(int argc, char**) { return bench::chain_network(argc).totals().macs > 0 ? 0 : 1; }
CPP
  done
done
measure() {  # prints "seconds kilobytes", the best of 3
  local best_t=999 best_m=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/t" "$cxx" -std=c++20 -O2 -I"$inc" -I"$here" -c "$1" \
      -o "$work/out.o"
    read -r t m <"$work/t"
    if awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}
read -r t0 m0 < <(measure "$work/tu0.cpp")
read -r t1 m1 < <(measure "$work/tu1.cpp")
awk -v t0="$t0" -v t1="$t1" -v m0="$m0" -v m1="$m1" -v cxx="$cxx" 'BEGIN {
  printf "compiler: %s\n", cxx
  printf "without static_assert: %.2f s, %.0f MB\n", t0, m0 / 1024
  printf "with static_assert of a 200-layer network: %.2f s, %.0f MB\n", t1, m1 / 1024
  printf "added by the static_assert: %.2f s, %.0f MB (goal: < 1 s, < 500 MB)\n", t1 - t0, (m1 - m0) / 1024
}'
