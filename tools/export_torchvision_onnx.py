#!/usr/bin/python3
"""Exports torchvision networks (built with weights=None: no download) to ONNX, so a user can
count a PyTorch model with synergy's ONNX importer. Not used by the tests.

Needs Debian's python3-torch and python3-torchvision (apt-get install python3-torchvision).

  export_torchvision_onnx.py [--opset 13] [--size 224] OUT_DIR NAME [NAME ...]
  e.g. export_torchvision_onnx.py out resnet18 mobilenet_v2 squeezenet1_1

Each network is exported in eval mode with a 1×3×SIZE×SIZE input to OUT_DIR/NAME.onnx. Count it
with the library (synergy::io::import_onnx); the exporter folds BatchNorm into the preceding
convolutions, so the counts match the module-level MACs that ptflops and fvcore report for
convolutions and linear layers, not their totals (docs/counting-conventions.md).
"""
import argparse
import pathlib
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    try:
        import torch
        import torchvision
    except ImportError:
        sys.exit("needs python3-torch and python3-torchvision (apt-get install python3-torchvision)")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names:
        if not hasattr(torchvision.models, name):
            sys.exit(f"torchvision.models has no network '{name}'")
        model = getattr(torchvision.models, name)(weights=None).eval()
        x = torch.zeros(1, 3, args.size, args.size)
        path = args.out / f"{name}.onnx"
        torch.onnx.export(model, x, str(path), opset_version=args.opset,
                          input_names=["input"], output_names=["output"])
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
