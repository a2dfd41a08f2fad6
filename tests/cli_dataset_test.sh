#!/usr/bin/env bash
# End-to-end test of datasets from anywhere (docs/datasets.md): `synergy fit`, `predict` and
# `report` on CSV rows that name their networks by source (a Caffe .prototxt beside the
# dataset, a zoo name, an ONNX file from the shared data) and carry a free platform label.
# Expected numbers are derived by hand in tests/data/datasets/*.prototxt and minimal.csv:
# conv 1 ns per MAC on pytorch-1.13/cpu-1t, half of every time on jetson-orin/trt.
#   cli_dataset_test.sh <synergy> <shared-data-dir>
set -euo pipefail
synergy=$1 data=${2:-}
fixtures=$(cd "$(dirname "$0")/data/datasets" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# The per-driver coefficient of class $2 in model file $1.
coefficient() { grep -A3 "\"$2\": {" "$1" | sed -n 's/.*"per_driver": *\([-0-9.e+]*\).*/\1/p' | head -1; }
# Whether $1 and $2 agree to 1e-9 relative.
close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-9 * (b < 0 ? -b : b)) }'; }

if ! "$synergy" count "$fixtures/tiny.prototxt" > /dev/null 2>&1; then
  echo "cli_dataset_test: skipped (this synergy has no Caffe importer)"
  exit 0
fi

# Run from elsewhere: model files are found relative to the dataset, not the working folder.
cd "$tmp"

# --platform chooses rows: conv 1 ns/MAC on the CPU, 0.5 ns/MAC on the board.
"$synergy" fit "$fixtures/minimal.csv" --platform pytorch-1.13/cpu-1t -o cpu.json > cpu.txt
"$synergy" fit "$fixtures/minimal.csv" --platform jetson-orin/trt -o trt.json > trt.txt
close "$(coefficient cpu.json conv)" 1e-9 || fail "fit --platform cpu: conv $(coefficient cpu.json conv) s/MAC, expected 1e-9"
close "$(coefficient trt.json conv)" 0.5e-9 || fail "fit --platform trt: conv $(coefficient trt.json conv) s/MAC, expected 0.5e-9"
close "$(coefficient cpu.json fully_connected)" 2e-9 || fail "fit: FC $(coefficient cpu.json fully_connected) s/MAC, expected 2e-9"
grep -q '"platform": "jetson-orin/trt"' trt.json || fail "fit: the model names its platform"
grep -q "jetson-orin/trt, paper" trt.txt || fail "fit: Table 7 names the platform"
# --backend is an alias of --platform.
"$synergy" fit "$fixtures/minimal.csv" --backend jetson-orin/trt -o alias.json > /dev/null
close "$(coefficient alias.json conv)" 0.5e-9 || fail "fit --backend: not the platform's rows"
# Two platforms and no choice: an error listing them; an unknown platform likewise.
"$synergy" fit "$fixtures/minimal.csv" -o x.json 2> err && fail "fit without --platform on two platforms"
grep -q "pytorch-1.13/cpu-1t, jetson-orin/trt" err || fail "fit: platforms not listed: $(cat err)"
"$synergy" fit "$fixtures/minimal.csv" --platform tpu -o x.json 2> err && fail "fit: unknown platform accepted"
grep -q -- "--platform tpu" err || fail "fit: unknown platform message: $(cat err)"
# Energy: only the CPU rows have it (3 nJ per conv MAC).
"$synergy" fit "$fixtures/minimal.csv" --platform pytorch-1.13/cpu-1t --target energy -o e.json > /dev/null
close "$(coefficient e.json conv)" 3e-9 || fail "fit energy: conv $(coefficient e.json conv) J/MAC, expected 3e-9"

# predict with the fitted model: tiny's total is 6.912 + 0.128 + 0.1 + 1.28 = 8.42 µs.
"$synergy" predict cpu.json "$fixtures/tiny.prototxt" --json > p.json
total=$(grep -A1 '"total"' p.json | sed -n 's/.*"time_s": *\([-0-9.e+]*\).*/\1/p')
close "$total" 8.42e-6 || fail "predict: total $total s, expected 8.42e-6"
# fit --json: per-network results, the fallback share and the weighting chosen (auto, with
# fewer than 3 training networks, means absolute); an unknown weighting is refused.
"$synergy" fit "$fixtures/minimal.csv" --platform pytorch-1.13/cpu-1t --json -o j.json > fit.json 2> /dev/null
grep -q '"leave_network_out_networks"' fit.json || fail "fit --json: no per-network results"
grep -q '"fallback_share"' fit.json || fail "fit --json: no fallback share"
grep -q '"weighting": "absolute"' fit.json || fail "fit --json: the weighting chosen"
"$synergy" fit "$fixtures/minimal.csv" --platform pytorch-1.13/cpu-1t --weighting cubic -o x.json 2> err && fail "fit: unknown weighting accepted"
"$synergy" predict cpu.json "$fixtures/tiny.prototxt" --json | grep -q '"fallback_share"' || fail "predict --json: no fallback share"

# Three columns are enough: one platform ("default"), chosen without --platform.
"$synergy" fit "$fixtures/three_columns.csv" -o three.json > three.txt
close "$(coefficient three.json conv)" 1e-9 || fail "fit three columns: conv"
grep -q '"platform": "default"' three.json || fail "fit three columns: platform label"

# report: tables per platform; the network without a name is named after its file; file names
# of a platform label have no '/'. The class-aware model needs 3 layers of a class in every
# training set: all_cnn_c and squeezenet_v1.0 (by zoo name, every layer at 1 ms) join the two
# tiny networks.
cp "$fixtures"/*.prototxt .
cp "$fixtures/minimal.csv" report.csv
for platform in pytorch-1.13/cpu-1t jetson-orin/trt; do
  for net in all_cnn_c squeezenet_v1.0; do
    "$synergy" count $net --format csv | tail -n +2 | cut -d, -f1 |
      awk -v n=$net -v p="$platform" '{ print n "," $0 ",0.001,," p }' >> report.csv
  done
done
"$synergy" report report.csv -o r --format svg > report.txt 2> /dev/null || fail "report: $(cat report.txt)"
grep -q "pytorch-1.13/cpu-1t, paper" r/table7.md || fail "report: platform in Table 7"
[ -s "r/breakdown_jetson-orin_trt.dat" ] || fail "report: breakdown file of jetson-orin/trt"
grep -q "^tiny_wide " r/breakdown_jetson-orin_trt.dat || fail "report: tiny_wide named after its file"
grep -q "^tiny_caffe " r/breakdown_jetson-orin_trt.dat || fail "report: tiny_caffe by its own name"

# Counters as row features (tests/data/counters/dataset: 5 one-conv nets and their ReLUs, made
# up so that simd_ops = 2·MAC, bus_accesses = 0.5·MAC + data_volume, time_s = 1e-9·bus +
# 2e-9·simd): `fit --features counters` recovers those coefficients, the held-out errors of
# every exact model are 0, and the ReLUs (no MACs) are said to be outside the MAC chain.
counters=$(cd "$fixtures/../counters/dataset" && pwd)
"$synergy" fit "$counters/dataset.csv" --features counters -o cm.json > cm.txt 2> /dev/null ||
  fail "fit --features counters: $(cat cm.txt)"
# The value of the first "$2" number after "$1" in cm.json (one per line, as dump(2) writes).
after() { grep -A12 "\"$1\": {" cm.json | grep -A3 "\"$2\"" | sed -n 's/^ *\([-0-9.e+]*\),\{0,1\}$/\1/p' | head -${3:-1} | tail -1; }
close "$(after simd_from_macs coefficients)" 2 || fail "fit --features counters: simd ≈ $(after simd_from_macs coefficients)·MAC, expected 2"
close "$(after bus_from_macs coefficients)" 0.5 || fail "fit --features counters: bus ≈ $(after bus_from_macs coefficients)·MAC, expected 0.5"
close "$(after bus_from_macs coefficients 2)" 1 || fail "fit --features counters: bus data volume coefficient $(after bus_from_macs coefficients 2), expected 1"
grep -q "simd_ops ≈ a·MAC | 0.00 ± 0.00 % | SIMD: 0.81 ± 0.77 %" cm.txt || fail "fit --features counters: SIMD sub-model beside the paper's: $(cat cm.txt)"
grep -q "(chained) | 0.00 ± 0.00 % | 7.00 ± 6.00 %" cm.txt || fail "fit --features counters: chained error beside the paper's"
grep -q "activation not modelled: no MACs" cm.txt || fail "fit --features counters: ReLU not said"
grep -q '"kind": "synergy counter model"' cm.json || fail "fit --features counters: model kind"
# predict through the chain. c1: MACs 6912, data volume 556 + 512 = 1068 → simd 13824,
# bus 3456 + 1068 = 4524, time 1e-9·4524 + 2e-9·13824 = 32.172e-6 s.
"$synergy" predict cm.json "$counters/c1.prototxt" --json > pc.json
total=$(grep -A1 '"total"' pc.json | sed -n 's/.*"time_s": *\([-0-9.e+]*\).*/\1/p')
close "$total" 32.172e-6 || fail "predict with a counter model: total $total s, expected 32.172e-6"
# report: the counter model beside the paper's with counters, a line saying why not without.
"$synergy" report "$counters/dataset.csv" -o rc --format svg > rc.txt 2> /dev/null || fail "report with counters: $(cat rc.txt)"
grep -q "bus_accesses ≈ b·MAC + c·data volume | 0.00 ± 0.00 %" rc/counter_model.md || fail "report: counter model table"
grep -q "no counter model: no row has counter columns" r/counter_model.md || fail "report: no line saying why there is no counter model"
# No counter columns: fit --features counters says so. A counter column given on some
# layers of a network only is an error naming the row and column.
"$synergy" fit "$fixtures/minimal.csv" --platform jetson-orin/trt --features counters -o x.json 2> err && fail "fit --features counters without counters"
grep -q "no row has counter columns" err || fail "fit --features counters without counters: $(cat err)"
head -4 "$counters/dataset.csv" > partial.csv
echo "c1.prototxt,relu,5.12e-07,cpu,0," >> partial.csv
"$synergy" fit partial.csv --features counters -o x.json 2> err && fail "a partial counter column accepted"
grep -qF "partial.csv:5: column 'bus_accesses': empty here but measured in line 4" err || fail "partial counter column: $(cat err)"

# Errors name file, line and field.
bad() {  # bad <expected message> <csv lines...>
  local want=$1; shift
  printf '%s\n' "$@" > bad.csv
  "$synergy" fit bad.csv -o x.json 2> err && fail "accepted: $*"
  grep -qF -- "$want" err || fail "message '$(cat err)' lacks '$want'"
}
bad "bad.csv:2: column 'layer': 'conv9' is not a node of 'tiny.prototxt'" \
  "network,layer,time_s" "tiny.prototxt,conv9,1e-6"
bad "bad.csv:1: missing column 'time_s'" "network,layer,energy_J" "tiny.prototxt,conv,1e-6"
bad "bad.csv:2: column 'time_s': -1e-6 is negative" "network,layer,time_s" "tiny.prototxt,conv,-1e-6"
bad "bad.csv:2: column 'energy_J': not a finite number: 'inf'" \
  "network,layer,time_s,energy_J" "tiny.prototxt,conv,1e-6,inf"
bad "bad.csv:2: column 'macs': 6900 in the file, 6912 from 'tiny.prototxt'" \
  "network,layer,time_s,macs" "tiny.prototxt,conv,1e-6,6900"
bad "bad.csv:2: network 'tiny_caffe' on platform 'default' has no row for 1 of its 4 layers ('fc')" \
  "network,layer,time_s" "tiny.prototxt,conv,1e-6" "tiny.prototxt,relu,1e-6" "tiny.prototxt,pool,1e-6"
bad "bad.csv:2: column 'network': cannot load 'nosuch.onnx'" "network,layer,time_s" "nosuch.onnx,conv,1e-6"

# Runtime profiles as datasets (tests/data/runtime_profiles, README.md there), when this
# synergy imports ONNX: ONNX Runtime's profile of tiny.onnx has two runs of each node; means by
# hand Conv (120 + 100)/2 = 110 µs, Flatten 2 µs. The PyTorch trace's BatchNorm annotation
# ("features.1", no node) goes to the Conv before it, and Flatten, a functional op without
# annotation, has no event: time 0, listed. Then fit reads the imported CSV unchanged (with
# two zoo networks at 1 ms a layer: fitting needs networks to leave out).
profiles=$(cd "$fixtures/../runtime_profiles" && pwd)
if "$synergy" count "$profiles/tiny.onnx" > /dev/null 2>&1; then
  mkdir rp && cp "$profiles/tiny.onnx" rp/
  "$synergy" import-profile "$profiles/onnxruntime_profile.json" --network rp/tiny.onnx --platform ort/cpu \
    -o rp/ort.csv 2> rp/err || fail "import-profile ONNX Runtime: $(cat rp/err)"
  grep -q '^tiny.onnx,/features/features.0/Conv,0.00011,ort/cpu,2,0.0001,0.00011,' rp/ort.csv || fail "import-profile: Conv row: $(cat rp/ort.csv)"
  grep -q '^tiny.onnx,/Flatten,2e-06,ort/cpu,2,' rp/ort.csv || fail "import-profile: Flatten row"
  grep -q "10 layer events: 10 matched, 0 .*, 0 unmatched" rp/err || fail "import-profile: counts: $(cat rp/err)"
  "$synergy" import-profile "$profiles/pytorch_trace.json" --network rp/tiny.onnx --platform pt \
    -o rp/pt.csv 2> rp/err || fail "import-profile PyTorch: $(cat rp/err)"
  grep -q "8 matched, 2 of modules folded" rp/err || fail "import-profile PyTorch: counts: $(cat rp/err)"
  grep -q "1 of 5 layers have no event and get time 0: '/Flatten'" rp/err || fail "import-profile: missing layer not listed"
  grep -q '^tiny.onnx,/Flatten,0,pt,0,' rp/pt.csv || fail "import-profile PyTorch: Flatten row"
  for net in all_cnn_c squeezenet_v1.0; do
    "$synergy" count $net --format csv | tail -n +2 | cut -d, -f1 |
      awk -v n=$net '{ print n "," $0 ",0.001,ort/cpu,1,0.001,0.001,0" }' >> rp/ort.csv
  done
  "$synergy" fit rp/ort.csv -o rp/ort.json > rp/fit.txt 2>&1 || fail "fit on an imported profile: $(cat rp/fit.txt)"
  grep -q '"platform": "ort/cpu"' rp/ort.json || fail "fit on an imported profile: platform"
  # The tool's own dataset (tiny_pytorch.csv, network tiny.onnx beside it) is read unchanged.
  cp "$profiles/tiny_pytorch.csv" rp/
  for net in all_cnn_c squeezenet_v1.0; do
    "$synergy" count $net --format csv | tail -n +2 | cut -d, -f1 |
      awk -v n=$net '{ print n "," $0 ",0.001,pytorch-1.13/cpu-1t,1,0.001,0.001,0" }' >> rp/tiny_pytorch.csv
  done
  "$synergy" fit rp/tiny_pytorch.csv -o rp/pt.json > rp/fit.txt 2>&1 || fail "fit on profile_pytorch.py's CSV: $(cat rp/fit.txt)"
  # A profile of another network: no event names a layer, an error (nothing written).
  "$synergy" import-profile "$profiles/onnxruntime_profile.json" --network squeezenet_v1.0 --platform x \
    -o rp/x.csv 2> rp/err && fail "import-profile: a profile of another network accepted"
  grep -q "no event names a layer of squeezenet_v1.0" rp/err || fail "import-profile: message $(cat rp/err)"
  grep -q "10 unmatched" rp/err || fail "import-profile: unmatched not counted"
  [ ! -e rp/x.csv ] || fail "import-profile: wrote a dataset on error"
else
  echo "cli_dataset_test: runtime-profile part skipped (this synergy has no ONNX importer)"
fi

# ONNX exports (shared data, skipped when absent): two PyTorch graphs both named torch_jit stay
# two networks, named after their files; a zoo network in the same dataset by its zoo name.
onnx=$data/onnx
if [ -n "$data" ] && [ -f "$onnx/squeezenet1_1_op11.weights_as_inputs.onnx" ] &&
   [ -f "$onnx/mobilenet_v2_op13.weights_as_inputs.onnx" ]; then
  echo "network,layer,time_s,platform" > onnx.csv
  for src in "$onnx/squeezenet1_1_op11.weights_as_inputs.onnx" "$onnx/mobilenet_v2_op13.weights_as_inputs.onnx" squeezenet_v1.1; do
    "$synergy" count "$src" --format csv | tail -n +2 | cut -d, -f1 |
      awk -v s="$src" '{ print s "," $0 ",0.0001,pytorch-1.13/cpu-1t" }' >> onnx.csv
  done
  "$synergy" report onnx.csv -o ro --format svg > /dev/null 2>&1 || fail "report on ONNX rows"
  for n in squeezenet1_1_op11.weights_as_inputs mobilenet_v2_op13.weights_as_inputs squeezenet_v1.1; do
    grep -q "^$n " ro/breakdown_pytorch-1.13_cpu-1t.dat || fail "report: network $n"
  done
  grep -q "^torch_jit " ro/breakdown_pytorch-1.13_cpu-1t.dat && fail "report: an exporter's name used"
  "$synergy" fit onnx.csv -o onnx.json > /dev/null || fail "fit on ONNX rows"
else
  echo "cli_dataset_test: ONNX part skipped (no $onnx/*.onnx)"
fi
echo "cli_dataset_test: all passed"
