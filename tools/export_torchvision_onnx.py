#!/usr/bin/python3
"""Exports torchvision networks (built with weights=None: no download) to ONNX, so a user can
count a PyTorch model with synergy's ONNX importer.

Needs Debian's python3-torch and python3-torchvision (apt-get install python3-torchvision), and
for --weightless python3-onnx.

  export_torchvision_onnx.py [--opset 13] [--size 224] [--weightless | --no-params]
                             OUT_DIR NAME [NAME ...]
  e.g. export_torchvision_onnx.py out resnet18 mobilenet_v2 squeezenet1_1

Each network is exported in eval mode with a 1×3×SIZE×SIZE input to OUT_DIR/NAME.onnx. Count it
with the library (synergy::io::import_onnx); the exporter folds BatchNorm into the preceding
convolutions, so the counts match the module-level MACs that ptflops and fvcore report for
convolutions and linear layers, not their totals (docs/counting-conventions.md).

--weightless writes the same graph without weight values: every float initializer becomes a
typed graph input (element type and shape, no data), so a file is tens of kB. Integer
initializers (shapes, axes, pads) stay, since the graph's shape arithmetic reads them. The
files under tests/data/onnx/ were written this way (--opset 13) for the importer's tests, which
do not need torch.

--no-params exports with torch.onnx.export(..., export_params=False), what a user who does not
want the weights in the file writes: every parameter is a typed graph input, and the exporter
does not fold BatchNorm into the convolutions (BatchNormalization nodes stay), so the graph
differs from the --weightless one.
"""
import argparse
import pathlib
import sys


def make_weightless(path: pathlib.Path) -> None:
    """Moves every floating-point initializer of the model at `path` to a typed graph input."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(path))
    graph = model.graph
    floating = {TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE, TensorProto.BFLOAT16}
    inputs = {i.name for i in graph.input}
    keep = []
    for init in graph.initializer:
        if init.data_type in floating:
            if init.name not in inputs:
                graph.input.append(
                    helper.make_tensor_value_info(init.name, init.data_type, list(init.dims)))
        else:
            keep.append(init)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("names", nargs="+")
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--weightless", action="store_true",
                        help="weights as typed graph inputs without data (a few tens of kB)")
    parser.add_argument("--no-params", action="store_true",
                        help="export_params=False: parameters as typed graph inputs, unfolded")
    args = parser.parse_args()
    if args.weightless and args.no_params:
        sys.exit("--weightless and --no-params exclude each other")
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
                          input_names=["input"], output_names=["output"],
                          export_params=not args.no_params)
        if args.weightless:
            make_weightless(path)
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
