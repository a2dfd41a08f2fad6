#!/usr/bin/env bash
# End-to-end test of the `synergy` program: every command on small inputs, outputs checked
# against values derived independently (AlexNet's MAC total by hand in zoo_test), and error
# paths (exit status 1 with a message naming the problem).
#   cli_test.sh <synergy> <instrumented_program> <shared-data-dir> [<fake_arm_energy_probe>]
set -euo pipefail
synergy=$1 program=$2 data=$3 fake_probe=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# An error message speaks of the program's options, never of the library's identifiers.
no_library_names() {
  if grep -qE '::|input_shape|unsupported_as_zero_cost|_options|_settings' "$1"; then fail "$2: a library name in '$(cat "$1")'"; fi
}
docs=$(cd "$(dirname "$0")/../docs" && pwd)
profiles=$(cd "$(dirname "$0")/data/runtime_profiles" && pwd)

# docs/cli.md names every option of every command, and no option a command lacks: the
# synopsis cell of each command's row against `synergy <command> --help`.
for cmd in count sources profile record attribute fit predict report import-profile fit-counters; do
  synopsis=$(grep "^| \`$cmd[ \`]" "$docs/cli.md" | awk -F '` \\| ' '{ print $1 }')
  [ -n "$synopsis" ] || fail "docs/cli.md: no row for $cmd"
  help=$("$synergy" "$cmd" --help)
  for spec in $(grep -oE '^  (-[a-zA-Z],)?--[a-z][a-z-]*' <<< "$help" | grep -v -- '--help'); do
    found=0
    for name in ${spec//,/ }; do
      if grep -qE -- "(^|[[ ])$name([] ]|\$)" <<< "$synopsis"; then found=1; fi
    done
    [ "$found" -eq 1 ] || fail "docs/cli.md: $cmd $spec missing"
  done
  for name in $(grep -oE -- '(^|[[ ])--?[a-z][a-z-]*' <<< "$synopsis" | tr -d '[ '); do
    grep -qE -- "^  (-[a-zA-Z],)?(--[a-z-]*,)?$name[ ,]" <<< "$help" || fail "docs/cli.md: $cmd has no option $name"
  done
done

# count: AlexNet (227, grouped) has 724,406,816 MACs (derived by hand in tests/zoo_test.cpp).
"$synergy" count alexnet --format json > "$tmp/alexnet.json"
grep -q '"macs": 724406816' "$tmp/alexnet.json" || fail "count alexnet: total MACs"
"$synergy" count nosuchnet 2> "$tmp/err" && fail "unknown network accepted"
grep -q "unknown zoo network 'nosuchnet'" "$tmp/err" || fail "unknown network message"

# sources: one status per kind, each with a reason.
"$synergy" sources --json > "$tmp/sources.json"
[ "$(grep -c '"reason"' "$tmp/sources.json")" -eq 9 ] || fail "sources: 7 power + 2 counter kinds"

# profile → fit → predict → report on three small networks (2 rounds; latency only here).
"$synergy" profile --networks all_cnn_c,squeezenet_v1.0,squeezenet_residual --rounds 2 --warmup 0 --source none \
  -o "$tmp/p" > "$tmp/profile.txt"
grep -q "noise ceiling openblas" "$tmp/profile.txt" || fail "profile: noise ceiling"
grep -q "OpenBLAS kernel:" "$tmp/profile.txt" || fail "profile: backend configuration"
rows=$(grep -vc '^#' "$tmp/p/dataset.csv")
# layers (without the input node) of the three networks, both backends, plus the header
expected=$(( ( $("$synergy" count all_cnn_c --format csv | grep -vc '^name,') \
             + $("$synergy" count squeezenet_v1.0 --format csv | grep -vc '^name,') \
             + $("$synergy" count squeezenet_residual --format csv | grep -vc '^name,') ) * 2 + 1 ))
[ "$rows" -eq "$expected" ] || fail "profile: $rows dataset lines, expected $expected"
"$synergy" fit "$tmp/p/dataset.csv" --backend eigen -o "$tmp/model.json" > "$tmp/fit.txt"
# A CSV dataset has no per-round times: the noise ceiling is said to be unknown, never 0 %.
grep -q "| noise ceiling | n/a" "$tmp/fit.txt" || fail "fit: unknown noise ceiling shown as n/a"
grep -q "ceiling 0.0" "$tmp/fit.txt" && fail "fit: noise ceiling printed as 0"
grep -q '"quantity": "time"' "$tmp/model.json" || fail "fit: model file"
# predict: one unit, the model's (a time model: seconds), named in the JSON keys and the text
# header, and the same total in both outputs (the text rounds to 6 decimals).
"$synergy" predict "$tmp/model.json" squeezenet_v1.1 --json > "$tmp/predict.json"
"$synergy" predict "$tmp/model.json" squeezenet_v1.1 > "$tmp/predict.txt"
grep -q '"time_s"' "$tmp/predict.json" || fail "predict --json: no time_s key"
grep -q '"unit"\|_ms"\|"total": [0-9]' "$tmp/predict.json" && fail "predict --json: a value without its unit in the key"
head -1 "$tmp/predict.txt" | grep -q "time_s" || fail "predict: the text header names no unit"
grep -q " ms$" "$tmp/predict.txt" && fail "predict: text in ms"
json_total=$(grep -A1 '"total"' "$tmp/predict.json" | sed -n 's/.*"time_s": *\([-0-9.e+]*\).*/\1/p')
text_total=$(awk '$1 == "total" { print $2 }' "$tmp/predict.txt")
[ -n "$json_total" ] && [ -n "$text_total" ] || fail "predict: no total"
awk -v j="$json_total" -v t="$text_total" 'BEGIN { d = j - t; exit !(d < 5e-7 && d > -5e-7) }' ||
  fail "predict: text total $text_total differs from JSON total $json_total"
"$synergy" report "$tmp/p/dataset.csv" -o "$tmp/r" --format svg > /dev/null 2>&1
[ -s "$tmp/r/table7.md" ] || fail "report: table7"
if command -v gnuplot > /dev/null; then [ -s "$tmp/r/fig4_openblas_conv.svg" ] || fail "report: figure 4"; fi
"$synergy" fit "$tmp/p/dataset.csv" --target energy -o "$tmp/e.json" 2> "$tmp/err" && fail "energy fit without energy"
grep -q "no energy" "$tmp/err" || fail "energy fit message"

# The energy path of profile, dry-run with the synthetic source: every layer gets an energy,
# and an energy model can be fitted.
# Only the profiled backend is printed: no Eigen column, configuration or noise ceiling.
"$synergy" profile --networks all_cnn_c,squeezenet_v1.0 --backends openblas --rounds 2 --warmup 0 --source synthetic \
  -o "$tmp/pe" > "$tmp/pe.txt" 2> /dev/null
grep -q "^network (median ms) *openblas$" "$tmp/pe.txt" || fail "profile --backends openblas: the table's columns"
grep -qi "eigen" "$tmp/pe.txt" && fail "profile --backends openblas: prints eigen"
"$synergy" profile --backends openblas,nosuch -o "$tmp/pb" 2> "$tmp/err" && fail "profile: unknown backend accepted"
grep -q -- "--backends openblas,nosuch: unknown backend 'nosuch'" "$tmp/err" || fail "profile: unknown backend message"
if grep -v '^#' "$tmp/pe/dataset.csv" | tail -n +2 | grep -q ',$'; then fail "profile: a layer without energy"; fi
"$synergy" fit "$tmp/pe/dataset.csv" --target energy -o "$tmp/em.json" --json > "$tmp/efit.json" 2>/dev/null
grep -q '"quantity": "energy"' "$tmp/em.json" || fail "energy model"
grep -q '"leave_network_out"' "$tmp/efit.json" || fail "fit --json"

# record (synthetic dry run) → attribute: three layers, three runs each.
"$synergy" record --source synthetic -o "$tmp/rec" -- "$program" > "$tmp/rec.txt"
grep -q "conv1 .*Convolution *3" "$tmp/rec.txt" || fail "record: conv1 runs"
"$synergy" record --source synthetic --format json -o "$tmp/recj" -- "$program" > "$tmp/rec.json"
[ "$(grep -c '"runs": 3' "$tmp/rec.json")" -eq 3 ] || fail "record --format json: three layers of three runs"
[ "$(head -c 1 "$tmp/rec.json")" = "{" ] || fail "record --format json: the program's output mixed into the JSON"
"$synergy" attribute --trace "$tmp/rec/trace.csv" --markers "$tmp/rec/markers.csv" --format csv > "$tmp/attr.csv"
[ "$(grep -c ',3,' "$tmp/attr.csv")" -eq 3 ] || fail "attribute: three layers of three runs"
# record flags runs shorter than one sample as attribute does on the same files: at 4 Hz (one
# sample per 250 ms) relu1, one pass over 4 MiB (milliseconds), is flagged in all three runs.
"$synergy" record --source synthetic --rate 4 --format csv -o "$tmp/slow" -- "$program" > "$tmp/slow.csv" 2> /dev/null
"$synergy" attribute --trace "$tmp/slow/trace.csv" --markers "$tmp/slow/markers.csv" --format csv > "$tmp/slow_attr.csv"
grep -q '^relu1,.*,3$' "$tmp/slow_attr.csv" || fail "attribute: relu1 at 4 Hz not flagged"
grep -q '^relu1,.*,3$' "$tmp/slow.csv" || fail "record: relu1 at 4 Hz not flagged as attribute flags it"
"$synergy" record --source synthetic --rate 4 -o "$tmp/slow" -- "$program" > "$tmp/slow.txt" 2> /dev/null
grep -q "^\* runs shorter" "$tmp/slow.txt" || fail "record: no footnote for flagged runs"

# count: an unsupported layer is an error naming it, or — asked — zero cost and marked.
# conv 3×3 pad 1 on 8×8×3 → 8×8×4: 8·8·4·27 = 6,912 MACs.
cat > "$tmp/odd.prototxt" <<'PROTO'
input: "data" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8
layer { name: "conv" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 pad: 1 } }
layer { name: "odd" type: "MyLayer" bottom: "c" top: "o" }
PROTO
if "$synergy" count "$tmp/odd.prototxt" > /dev/null 2> "$tmp/err"; then
  fail "count: unsupported layer accepted"
elif ! grep -q "this build has no Caffe importer" "$tmp/err"; then
  grep -q "MyLayer" "$tmp/err" && grep -q -- "--zero-cost-unsupported" "$tmp/err" || fail "count: unsupported message"
  no_library_names "$tmp/err" "count: unsupported layer"
  # Standard output is the table alone; the importer's notes go to standard error.
  "$synergy" count --zero-cost-unsupported "$tmp/odd.prototxt" > "$tmp/odd.txt" 2> "$tmp/odd.err"
  grep -q "^note: odd (MyLayer): counted as zero cost" "$tmp/odd.err" || fail "count: zero-cost note on standard error"
  grep -q "note:" "$tmp/odd.txt" && fail "count: a note on standard output"
  grep -q "^TOTAL" "$tmp/odd.txt" || fail "count: table"
  grep -q " 1 layers" "$tmp/odd.txt" && fail "count: 1 layers (plural of one)"
  # A Data layer (a train_val file) without --input: the message names the program's option.
  printf '%s\n' 'layer { name: "data" type: "Data" top: "data" top: "label" }' \
    'layer { name: "conv" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 3 pad: 1 } }' \
    > "$tmp/data.prototxt"
  "$synergy" count "$tmp/data.prototxt" 2> "$tmp/err" && fail "count: Data layer without --input accepted"
  grep -q -- "give --input WIDTHxHEIGHTxCHANNELS" "$tmp/err" || fail "count: Data layer message"
  no_library_names "$tmp/err" "count: Data layer"
  "$synergy" count --input 8x8x3 --json "$tmp/data.prototxt" > "$tmp/data.json" 2> /dev/null
  grep -q '"macs": 6912' "$tmp/data.json" || fail "count --input: MACs"
  "$synergy" count --zero-cost-unsupported --json "$tmp/odd.prototxt" > "$tmp/odd.json"
  grep -q '"macs": 6912' "$tmp/odd.json" || fail "count: zero-cost MACs"
  grep -q '"type": "MyLayer"' "$tmp/odd.json" || fail "count: zero-cost note in JSON"
  # A train_val file fed by a Data layer needs --input (ALL-CNN-C at 32×32: 270,798,336 MACs).
  if [ -f "$data/prototxt/ALL_CNN_C_train_val.prototxt" ]; then
    "$synergy" count "$data/prototxt/ALL_CNN_C_train_val.prototxt" 2> "$tmp/err" && fail "count: Data layer without --input"
    grep -q -- "--input WIDTHxHEIGHTxCHANNELS" "$tmp/err" || fail "count: --input hint"
    "$synergy" count --input 32x32x3 --json "$data/prototxt/ALL_CNN_C_train_val.prototxt" > "$tmp/allcnn.json"
    grep -q '"macs": 270798336' "$tmp/allcnn.json" || fail "count --input: ALL-CNN-C MACs"
  fi
fi

# The ARM Energy Probe options: a malformed --shunt, a probe that is not there, a probe without
# shunts — each an error naming the problem (this machine has no probe).
"$synergy" record --shunt 3:0.02 -o "$tmp/rp" -- true 2> "$tmp/err" && fail "record --shunt 3:0.02"
grep -q "expected CHANNEL:OHM with CHANNEL 0, 1 or 2" "$tmp/err" || fail "--shunt message"
"$synergy" record --shunt 0:0.02 --device "$tmp/no-tty" -o "$tmp/rp" -- true 2> "$tmp/err" && fail "record without probe"
grep -q "no-tty: cannot open serial device" "$tmp/err" || fail "missing probe message"
"$synergy" record --source arm-energy-probe -o "$tmp/rp" -- true 2> "$tmp/err" && fail "probe without shunts"
grep -q "needs the shunt resistance" "$tmp/err" || fail "probe shunt message"
grep -q -- "--shunt CHANNEL:OHM" "$tmp/err" || fail "probe shunt message: the option"
no_library_names "$tmp/err" "probe without shunts"
"$synergy" record --source synthetic --rate 0 -o "$tmp/r0" -- true 2> "$tmp/err" && fail "record --rate 0 accepted"
grep -q -- "--rate 0: the sampling rate must be > 0 Hz" "$tmp/err" || fail "--rate message"
grep -q "sampler" "$tmp/err" && fail "--rate message names the library's sampler"

# record with an ARM Energy Probe (a fake one on a pseudo-terminal, streaming a constant
# 5 W + 0.8 W): the three layers are attributed 5.8 W × their duration, nothing is lost, and
# the probe is stopped when recording ends.
if [ -n "$fake_probe" ]; then
  coproc FAKE { "$fake_probe" 30 2> "$tmp/fake.err"; }
  fake_pid=$FAKE_PID  # bash unsets FAKE_PID once the coprocess ends
  read -r tty <&"${FAKE[0]}"
  "$synergy" record --shunt 0:0.02 --shunt 2:0.05 --device "$tty" -o "$tmp/aep" -- "$program" > "$tmp/aep.txt" 2> "$tmp/aep.err" ||
    { cat "$tmp/aep.err" >&2; fail "record with the probe"; }
  wait "$fake_pid" 2> /dev/null || true
  grep -q "stopped by the host" "$tmp/fake.err" || fail "probe not stopped"
  grep -q "arm-energy-probe" "$tmp/aep.err" || fail "record: source name"
  grep -q " 0 lost by the source" "$tmp/aep.err" || fail "record: lost frames"
  head -1 "$tmp/aep/trace.csv" | grep -q "channel0 \[W\],channel2 \[W\]" || fail "record: probe channels in trace.csv"
  for layer in conv1 relu1 fc1; do
    awk -v l="$layer" '$1 == l && $3 == 3 { p = $4 / $6; ok = (p > 5.79 && p < 5.81) } END { exit !ok }' "$tmp/aep.txt" ||
      { cat "$tmp/aep.txt" >&2; fail "record with the probe: $layer at 5.8 W"; }
  done
fi

# attribute with another runtime's profile as markers (tests/data/runtime_profiles): ONNX
# Runtime's times count from its session's start, so --markers-offset 10 puts them on a
# constant 3 W trace sampled every 10 µs from 10 s. Conv runs 120 and 100 µs: mean energy
# 3 W × 110 µs = 3.3e-4 J. Without the offset the layers lie outside the trace: an error, and
# the note says which time base the profile has.
awk 'BEGIN { print "time [s],power [W]"; for (k = 0; k <= 500; k++) printf "%.6f,3\n", 10 + k * 1e-5 }' > "$tmp/p3w.csv"
"$synergy" attribute --trace "$tmp/p3w.csv" --markers "$profiles/onnxruntime_profile.json" --markers-offset 10 \
  --format csv > "$tmp/ort_attr.csv" 2> "$tmp/err" || fail "attribute with an ONNX Runtime profile: $(cat "$tmp/err")"
grep -q '^/features/features.0/Conv,Conv,2,0.00033,' "$tmp/ort_attr.csv" || fail "attribute ORT: Conv energy: $(cat "$tmp/ort_attr.csv")"
"$synergy" attribute --trace "$tmp/p3w.csv" --markers "$profiles/onnxruntime_profile.json" 2> "$tmp/err" && fail "attribute: profile off the trace accepted"
grep -q "times from ONNX Runtime's profiling start" "$tmp/err" || fail "attribute: time base not said: $(cat "$tmp/err")"
grep -q -- "--markers-offset" "$tmp/err" || fail "attribute: offset not suggested"
# PyTorch's trace from tools/profile_pytorch.py carries its steady-clock anchor (steady_s
# 10962.953761683 at ts 151 µs): its first Conv begins 47 µs later, at 10962.953808683 s.
awk 'BEGIN { print "time [s],power [W]"; for (k = 0; k <= 1000; k++) printf "%.6f,2\n", 10962.9535 + k * 1e-6 }' > "$tmp/p2w.csv"
"$synergy" attribute --trace "$tmp/p2w.csv" --markers "$profiles/pytorch_trace.json" --format csv > "$tmp/pt_attr.csv" 2> "$tmp/err" ||
  fail "attribute with a PyTorch trace: $(cat "$tmp/err")"
grep -q "steady clock (the trace's anchor)" "$tmp/err" || fail "attribute: PyTorch anchor not used"
# Conv events of 52 and 21 µs at 2 W: mean 2 W × 36.5 µs = 7.3e-5 J.
awk -F, '$1 == "/features/features.0/Conv" && $3 == 2 { d = $4 - 7.3e-5; ok = (d < 1e-10 && d > -1e-10) } END { exit !ok }' "$tmp/pt_attr.csv" ||
  fail "attribute PyTorch: Conv energy: $(cat "$tmp/pt_attr.csv")"

# count of an imported Caffe file equals the zoo network built from it (when data and the
# Caffe importer are present): AlexNet's deploy file.
if [ -f "$data/prototxt/bvlc_alexnet_deploy.prototxt" ] && "$synergy" count "$data/prototxt/bvlc_alexnet_deploy.prototxt" \
     --format json > "$tmp/alexnet_caffe.json" 2> "$tmp/err"; then
  grep -q '"macs": 724406816' "$tmp/alexnet_caffe.json" || fail "count prototxt: total MACs"
fi

# attribute on real recordings, when the shared data is present.
if [ -d "$data/mlperf_tiny" ]; then
  bin="$data/mlperf_tiny/traces/v1.0/STMicroelectronics/NUCLEO-U575ZI-Q/ad/trace1-energy.bin"
  "$synergy" attribute --trace "$bin" --rule rectangle --format csv > "$tmp/w.csv"
  [ "$(grep -c '^window' "$tmp/w.csv")" -eq 5 ] || fail "attribute: 5 MLPerf Tiny windows"
  "$synergy" attribute --trace "$data/power_logs/tegrastats_xavier-nx_timestamped.log" --markers "$tmp/rec/markers.csv" \
    2> "$tmp/err" && fail "multi-channel trace without --channels"
  grep -q "say which to sum" "$tmp/err" || fail "channels message"
fi
echo "cli_test: all passed"
