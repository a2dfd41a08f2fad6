#!/usr/bin/env bash
# End-to-end test of the `synergy` program on PyTorch ONNX exports, as a new user runs it (issue
# 12): count, then profile → fit → predict on two exports whose graphs are both called
# `torch_jit` (every torch.onnx export is), with no other step.
#   cli_onnx_test.sh <synergy>
#
# tests/data/onnx/tiny_se_net.onnx (2.5 kB) is this PyTorch module at 1×3×32×32, exported like
# tools/export_torchvision_onnx.py --weightless (opset 13, eval, BatchNorm folded):
#   stem = Conv2d(3, 8, 3, stride 2, pad 1, bias=False), BatchNorm2d(8), Hardswish()
#   dw   = Conv2d(8, 8, 3, pad 1, groups=8, bias=False), BatchNorm2d(8), ReLU()
#   se   = AdaptiveAvgPool2d(1), Conv2d(8, 4, 1), ReLU(), Conv2d(4, 8, 1), Hardsigmoid()
#   pw   = Conv2d(8, 16, 1, bias=False), BatchNorm2d(16)
#   head = AdaptiveAvgPool2d(1), Flatten(), Dropout(0.2), Linear(16, 10)
#   forward: x = dw(stem(x)); x = x * se(x); return head(pw(x))
# Its MACs by hand: stem 16·16·8·(3·3·3) = 55,296; dw 16·16·8·9 = 18,432; se 8·4 + 4·8 = 64;
# pw 16·16·16·8 = 32,768; linear 16·10 = 160; total 106,720.
set -euo pipefail
synergy=$1
case $synergy in */*) synergy=$(cd "$(dirname "$synergy")" && pwd)/$(basename "$synergy") ;; esac
onnx=$(cd "$(dirname "$0")/data/onnx" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! "$synergy" count "$onnx/tiny_se_net.onnx" > /dev/null 2>&1; then
  echo "cli_onnx_test: skipped (this synergy has no ONNX importer)"
  exit 0
fi

# count: the MACs derived above, and mobilenet_v3_small's torchvision figure (56,510,400 by
# forward hooks on its Conv2d and Linear modules: tools/torch_macs.py; 0.06 GFLOPS published).
"$synergy" count --json "$onnx/tiny_se_net.onnx" > "$tmp/tiny.json"
grep -q '"macs": 106720' "$tmp/tiny.json" || fail "count tiny_se_net: total MACs, expected 106720"
"$synergy" count --json "$onnx/mobilenet_v3_small.onnx" > "$tmp/mnv3s.json"
grep -q '"macs": 56510400' "$tmp/mnv3s.json" || fail "count mobilenet_v3_small: total MACs"

# profile two exports (both graphs named torch_jit) from another folder than the dataset's.
cp "$onnx/tiny_se_net.onnx" "$onnx/mobilenet_v3_small.onnx" "$tmp/"
mkdir "$tmp/run"
cd "$tmp/run"
"$synergy" profile --networks ../tiny_se_net.onnx,../mobilenet_v3_small.onnx --backends eigen \
  --rounds 2 --warmup 0 --source none -o out > profile.txt
# Every dataset row names its network by file, relative to the dataset (docs/datasets.md):
# two networks, never one `torch_jit`; each with one row per layer (count's CSV rows).
networks=$(grep -v '^#' out/dataset.csv | tail -n +2 | cut -d, -f1 | sort -u | tr '\n' ' ')
[ "$networks" = "../../mobilenet_v3_small.onnx ../../tiny_se_net.onnx " ] ||
  fail "profile: dataset networks '$networks', expected the two files relative to run/out/"
for n in tiny_se_net mobilenet_v3_small; do
  rows=$(grep -c "^\.\./\.\./$n\.onnx," out/dataset.csv)
  layers=$("$synergy" count --format csv "../$n.onnx" | grep -vc '^name,')
  [ "$rows" -eq "$layers" ] || fail "profile $n: $rows rows, expected $layers layers"
done

# fit reads the files the rows name; predict an export by file, every layer counted.
cd "$tmp"
"$synergy" fit run/out/dataset.csv -o model.json > fit.txt || fail "fit on the profiled exports"
grep -q '"quantity": "time"' model.json || fail "fit: model file"
"$synergy" predict model.json tiny_se_net.onnx --json > predict.json || fail "predict tiny_se_net"
grep -q '"network": "tiny_se_net"' predict.json || fail "predict: network named after its file"
total=$(grep -A1 '"total"' predict.json | sed -n 's/.*"time_s": *\([-0-9.e+]*\).*/\1/p')
awk -v t="$total" 'BEGIN { exit !(t > 0) }' || fail "predict: total time '$total' not positive"
echo "cli_onnx_test: passed"
