"""Per-layer energy of a torchvision model's inference, every leaf module a region (issue 16).

    synergy record --source synthetic -o out -- /usr/bin/python3 examples/python/record_torch.py
    synergy attribute --trace out/trace.csv --markers out/markers.csv

(--source synthetic is a dry run; on a machine with a power source leave it out.)
"""
import sys

import torch
import torchvision

import synergy.torch_hooks

name = sys.argv[1] if len(sys.argv) > 1 else "mobilenet_v2"
model = getattr(torchvision.models, name)(weights=None).eval()
torch.set_num_threads(1)  # the SyNERGY protocol: single-threaded, batch 1
x = torch.randn(1, 3, 224, 224)
synergy.torch_hooks.annotate(model)  # regions go to $SYNERGY_MARKER_FILE at exit
with torch.no_grad():
    for _ in range(5):  # five runs, as in the paper
        model(x)
