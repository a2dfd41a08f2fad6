#!/usr/bin/python3
"""Counts the multiply-accumulates of a torchvision network's Conv2d and Linear modules with
PyTorch forward hooks, independently of synergy, to check `synergy count` on its ONNX export.

  torch_macs.py [--size 224] [--compare OUT_DIR] NAME [NAME ...]
  e.g. torch_macs.py mobilenet_v3_large convnext_tiny
       torch_macs.py --compare /tmp/onnx --synergy build/gcc/tools/cli/synergy mnasnet1_0

Conventions (those of docs/counting-conventions.md, SyNERGY Eq 1 and the FC rule):
  - Conv2d: one MAC per output element per weight it reads,
    out.numel() * (in_channels / groups) * kernel_h * kernel_w; bias adds are not MACs.
  - Linear: out.numel() * in_features (a Linear on a channels-last tensor, ConvNeXt's
    position-wise layers, applies at every position, so every output element costs in_features).
Nothing else is counted (BatchNorm is folded into the convolution by the exporter; activations,
pooling, the squeeze-and-excitation gate's multiply, LayerNorm and layer scale are not MACs
here). The network is built with weights=None (no download) in eval mode, batch 1, input
1x3xSIZExSIZE.

--compare OUT_DIR runs `SYNERGY count --json OUT_DIR/NAME.onnx` and compares its summed `macs`
of conv and fc layers (every layer whose MACs are weight MACs) with the hook figure, exit 1 on
any difference.

Needs Debian's python3-torch and python3-torchvision; run with /usr/bin/python3. Never needed by
the tests.
"""
import argparse
import json
import pathlib
import subprocess
import sys


def hook_macs(name: str, size: int) -> tuple[int, int, int]:
    """(conv MACs, linear MACs, number of hooked module calls) of torchvision network `name`."""
    import torch
    import torchvision

    if not hasattr(torchvision.models, name):
        sys.exit(f"torchvision.models has no network '{name}'")
    model = getattr(torchvision.models, name)(weights=None).eval()
    totals = {"conv": 0, "linear": 0, "calls": 0}

    def on_conv(module, _inputs, output):
        k_h, k_w = module.kernel_size
        totals["conv"] += output.numel() * (module.in_channels // module.groups) * k_h * k_w
        totals["calls"] += 1

    def on_linear(module, _inputs, output):
        totals["linear"] += output.numel() * module.in_features
        totals["calls"] += 1

    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            module.register_forward_hook(on_conv)
        elif isinstance(module, torch.nn.Linear):
            module.register_forward_hook(on_linear)
        elif isinstance(module, (torch.nn.Conv1d, torch.nn.Conv3d, torch.nn.ConvTranspose2d)):
            sys.exit(f"{name}: {type(module).__name__} is not counted by this script")
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    return totals["conv"], totals["linear"], totals["calls"]


def synergy_macs(synergy: str, onnx_path: pathlib.Path) -> int:
    """Sum of `macs` over every layer of `synergy count --json onnx_path`."""
    result = subprocess.run([synergy, "count", "--json", str(onnx_path)], check=True,
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    return sum(int(layer["macs"]) for layer in report["layers"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--compare", type=pathlib.Path,
                        help="folder of NAME.onnx exports to count with synergy and compare")
    parser.add_argument("--synergy", default="synergy", help="the synergy program")
    args = parser.parse_args()
    failed = False
    for name in args.names:
        conv, linear, calls = hook_macs(name, args.size)
        total = conv + linear
        line = (f"{name}: hooks {total} MACs (conv {conv}, linear {linear}, {calls} calls) "
                f"= {total / 1e9:.3f} G")
        if args.compare:
            ours = synergy_macs(args.synergy, args.compare / f"{name}.onnx")
            same = ours == total
            failed |= not same
            line += f"; synergy {ours} {'equal' if same else 'DIFFERENT'}"
        print(line, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
