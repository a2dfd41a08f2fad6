#!/usr/bin/python3
"""Whole-network latency of synergy's reference runner against PyTorch, single thread (issue 12).

For MobileNet v2, MobileNetV3-Large and EfficientNet-B0 (torchvision, weights=None, eval, batch 1,
224×224), measures PyTorch (torch.set_num_threads(1), torch.inference_mode) and the runner
(bench/runner_latency, OpenBLAS backend, one thread) interleaved in one run: after a warm-up,
each round runs every network on PyTorch and then on the runner, `--per-round` inferences each,
so that a change of machine load hits both sides alike. Prints per network and side the median
latency and its spread (the 10th-90th percentile range), the MACs (ours: the library's count of
the same torchvision network, imported from the ONNX export of tools/export_torchvision_onnx.py;
PyTorch's: its own forward hooks on Conv2d and Linear), latency per MAC and the ratio
ours/PyTorch (goal <= 1.0). The median ratio is of the two medians; "spread" gives the ratio's
range over rounds (each round's median of ours / its median of PyTorch).

  /usr/bin/python3 bench/runner_vs_pytorch.py [--runner build/rel/bench/runner_latency]
                                               [--rounds 15] [--per-round 3] [--warmup 3]
                                               [--torch-blas-threads 1]

Needs Debian's python3-torch and python3-torchvision (skips with a message without them) and a
Release build of the runner_latency target (-DSYNERGY_BUILD_BENCH=ON, with the ONNX importer).
Keep the machine quiet: the figures are single-thread latencies.

One thread really means one: Debian's torch runs its 1x1 and grouped convolutions and its Linear
layers through OpenBLAS's pthread build (_slow_conv2d_forward, addmm), whose thread pool
torch.set_num_threads does not control; without OPENBLAS_NUM_THREADS=1 those GEMMs ran on two
threads on a 2-core machine (both threads' CPU times grew alike). The script sets it (and
OMP_NUM_THREADS) before importing torch and prints how many of PyTorch's threads did work.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

NETWORKS = ["mobilenet_v2", "mobilenet_v3_large", "efficientnet_b0"]
ROOT = pathlib.Path(__file__).resolve().parent.parent


def percentile(values, q):
    """The q-quantile (0..1) of values, linearly interpolated."""
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def thread_cpu_s():
    """CPU seconds (user + system) of each thread of this process, by thread id (Linux)."""
    out = {}
    tick = os.sysconf("SC_CLK_TCK")
    try:
        for t in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{t}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[t] = (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        pass
    return out


def torch_macs(torch, model, x):
    """MACs of Conv2d and Linear modules from forward hooks (torchvision's GFLOPS convention)."""
    total = [0]

    def conv(m, _inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += out.numel() * k

    def linear(m, _inp, out):
        total[0] += out.numel() * m.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, torch.nn.Linear):
            hooks.append(m.register_forward_hook(linear))
    with torch.inference_mode():
        model(x)
    for h in hooks:
        h.remove()
    return total[0]


class Runner:
    """The runner_latency process: one runner per network, driven over stdin."""

    def __init__(self, exe, specs, fold):
        self.proc = subprocess.Popen([str(exe)] + (["--fold"] if fold else []) + specs,
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.macs = []
        for line in self.proc.stdout:
            if line.startswith("ready"):
                break
            fields = line.split()
            self.macs.append(int(fields[5]))  # conv + depthwise + linear MACs
        if len(self.macs) != len(specs):
            raise SystemExit(f"runner_latency did not load {specs}")

    def run(self, index, n):
        self.proc.stdin.write(f"run {index} {n}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().split()
        if not line or line[0] != "times":
            raise SystemExit("runner_latency failed (see its message above)")
        return [float(t) for t in line[1:]]

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.flush()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runner", default=str(ROOT / "build/rel/bench/runner_latency"),
                    help="the runner_latency executable (a Release build)")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--per-round", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--networks", nargs="+", default=NETWORKS)
    ap.add_argument("--torch-blas-threads", type=int, default=1,
                    help="OpenBLAS threads for PyTorch's GEMMs (default 1; before December 2026 "
                         "the figures of docs/runner-speed.md had OpenBLAS's default, one per core)")
    ap.add_argument("--fold", action="store_true",
                    help="fold BatchNorm/Scale into convolutions (no effect on these ONNX exports: "
                         "the exporter has already folded them)")
    args = ap.parse_args()
    # Before torch loads OpenBLAS: its pthread pool reads this once (see the module doc).
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.torch_blas_threads)
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import torch
        import torchvision
    except ImportError as e:
        print(f"runner_vs_pytorch: skipped, PyTorch is missing ({e}); "
              "apt-get install python3-torch python3-torchvision")
        return 0
    if not pathlib.Path(args.runner).is_file():
        print(f"runner_vs_pytorch: {args.runner} not found: build the runner_latency target "
              "(Release, -DSYNERGY_BUILD_BENCH=ON) and pass --runner")
        return 1
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.randn(1, 3, 224, 224)
    models = [getattr(torchvision.models, n)(weights=None).eval() for n in args.networks]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "tools/export_torchvision_onnx.py"), tmp]
                       + args.networks, check=True, stdout=subprocess.DEVNULL)
        ours = Runner(args.runner, [os.path.join(tmp, n + ".onnx") for n in args.networks],
                      args.fold)
    their_macs = [torch_macs(torch, m, x) for m in models]

    def torch_times(model, n):
        out = []
        with torch.inference_mode():
            for _ in range(n):
                t0 = time.perf_counter()
                model(x)
                out.append(time.perf_counter() - t0)
        return out

    for i, m in enumerate(models):  # warm-up: allocations, caches, lazy initialisation
        torch_times(m, args.warmup)
        ours.run(i, args.warmup)
    t_torch = [[] for _ in models]
    t_ours = [[] for _ in models]
    round_ratio = [[] for _ in models]
    load0 = os.getloadavg()[0]
    cpu0 = thread_cpu_s()
    for _ in range(args.rounds):
        for i, m in enumerate(models):
            a = torch_times(m, args.per_round)
            b = ours.run(i, args.per_round)
            t_torch[i] += a
            t_ours[i] += b
            round_ratio[i].append(statistics.median(b) / statistics.median(a))
    ours.close()
    load1 = os.getloadavg()[0]
    cpu1 = thread_cpu_s()
    spent = {t: cpu1[t] - cpu0.get(t, 0.0) for t in cpu1}
    busy = [t for t, s in spent.items() if s > 0.05 * sum(spent.values())]  # >5 % of the CPU time
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, 1 thread "
          f"(OpenBLAS: {args.torch_blas_threads}); "
          f"{args.rounds} rounds x {args.per_round} inferences per side, interleaved; "
          f"load average {load0:.2f} -> {load1:.2f}; PyTorch threads that worked: {len(busy)}")
    print(f"{'network':20} {'side':8} {'median ms':>10} {'p10-p90 ms':>15} {'MMAC':>8} "
          f"{'ps/MAC':>7} {'ours/torch':>11} {'round range':>12}")
    for i, name in enumerate(args.networks):
        for side, times, macs in (("pytorch", t_torch[i], their_macs[i]),
                                  ("synergy", t_ours[i], ours.macs[i])):
            med = statistics.median(times)
            line = (f"{name:20} {side:8} {med * 1e3:10.2f} "
                    f"{percentile(times, 0.1) * 1e3:7.2f}-{percentile(times, 0.9) * 1e3:<7.2f} "
                    f"{macs / 1e6:8.1f} {med / macs * 1e12:7.1f}")
            if side == "synergy":
                per_mac = (med / macs) / (statistics.median(t_torch[i]) / their_macs[i])
                line += (f" {per_mac:11.3f} {min(round_ratio[i]):5.3f}-"
                         f"{max(round_ratio[i]):<5.3f}")
            print(line)
    print("ratio: latency per MAC, ours / PyTorch's (goal <= 1.0; equal MACs make it the latency "
          "ratio); round range: the per-round ratio of medians, min-max")
    return 0


if __name__ == "__main__":
    sys.exit(main())
