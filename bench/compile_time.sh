#!/usr/bin/env bash
# Compile-time costs, best of 3 runs each, wall time and peak memory (GNU time's maximum
# resident set size):
#   1. each umbrella header alone (`-fsyntax-only` of a file that only includes it): the core
#      synergy.hpp (goal: <= 3 s here), model.hpp, measurement.hpp;
#   2. `static_assert` on a 200-layer network's totals (goal: < 1 s and < 500 MB added with
#      g++ 12): the same translation unit with the network counted only at run time, then also
#      in a static_assert, and the differences.
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
eigen=$(pkg-config --cflags eigen3 2>/dev/null || echo -I/usr/include/eigen3)
umbrella() {  # prints "seconds kilobytes" of -fsyntax-only on a file including only $1, best of 3
  local best_t=999 best_m=0
  echo "#include <synergy/$1>" >"$work/umbrella.cpp"
  for _ in 1 2 3; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %M" -o "$work/t" "$cxx" -std=c++20 -fsyntax-only -I"$inc" $eigen "$work/umbrella.cpp"
    read -r t m <"$work/t"
    if awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}
echo "compiler: $cxx"
for h in synergy.hpp model.hpp measurement.hpp; do
  read -r t m < <(umbrella "$h")
  awk -v h="$h" -v t="$t" -v m="$m" 'BEGIN {
    printf "#include <synergy/%s> alone: %.2f s, %.0f MB%s\n", h, t, m / 1024, h == "synergy.hpp" ? " (goal: <= 3 s)" : "" }'
done
read -r t0 m0 < <(measure "$work/tu0.cpp")
read -r t1 m1 < <(measure "$work/tu1.cpp")
awk -v t0="$t0" -v t1="$t1" -v m0="$m0" -v m1="$m1" -v cxx="$cxx" 'BEGIN {
  printf "without static_assert: %.2f s, %.0f MB\n", t0, m0 / 1024
  printf "with static_assert of a 200-layer network: %.2f s, %.0f MB\n", t1, m1 / 1024
  printf "added by the static_assert: %.2f s, %.0f MB (goal: < 1 s, < 500 MB)\n", t1 - t0, (m1 - m0) / 1024
}'
