#!/usr/bin/env bash
# Time and memory of `synergy count` on a very deep Caffe file: N ReLU layers in a chain
# (default 1,500,000, the size a fuzzer-made input reached), with and without the per-layer
# table (--json also builds every row). Prints wall seconds, peak resident memory (GNU time)
# and bytes per layer, so that the memory per layer is a measured figure, not a guess.
#   large_network.sh SYNERGY_PROGRAM [LAYERS]
set -euo pipefail
synergy=${1:?usage: large_network.sh SYNERGY_PROGRAM [LAYERS]}
layers=${2:-1500000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk -v n="$layers" 'BEGIN {
  print "name: \"relu_chain\"\ninput: \"data\"\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }"
  prev = "data"
  for (i = 0; i < n; ++i) {
    printf "layer { name: \"r%d\" type: \"ReLU\" bottom: \"%s\" top: \"r%d\" }\n", i, prev, i
    prev = "r" i
  }
}' >"$work/chain.prototxt"
size=$(stat -c %s "$work/chain.prototxt")
echo "file: $layers ReLU layers, $((size / 1048576)) MiB of prototxt"
for mode in text json; do
  args=()
  [ "$mode" = json ] && args=(--json)
  /usr/bin/time -f "%e %M" -o "$work/t" "$synergy" count "${args[@]}" "$work/chain.prototxt" >/dev/null
  read -r t kb <"$work/t"
  awk -v m="$mode" -v t="$t" -v kb="$kb" -v n="$layers" 'BEGIN {
    printf "count (%s): %.2f s, %.0f MB peak, %.0f bytes per layer, %.2f µs per layer\n",
           m, t, kb / 1024, kb * 1024 / n, t * 1e6 / n }'
done
