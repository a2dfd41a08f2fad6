#!/usr/bin/python3
"""Per-layer latency of PyTorch models as a SyNERGY dataset CSV (docs/datasets.md).

For each network (a torchvision name such as resnet18, or MODULE:FACTORY of your own, e.g.
mynets.py:build), this exports the ONNX file (weights as initializers) and measures every
ONNX node's time on the CPU with forward pre/post hooks on every module, with the protocol of
`synergy profile` (run/profile.hpp): warm-up forwards that are not recorded, then R rounds,
round-robin over the networks. The CSV names each network by its .onnx path relative to the
CSV and each layer by its ONNX node name, so `synergy fit` reads it without conversion.

Which module's time goes to which ONNX node (torch.onnx.export names nodes after module
scopes: module "layer1.0.conv1" → "/layer1/layer1.0/conv1/Conv"; its second call "relu_1"):
  - a leaf module with nodes in its scope: its time goes to the first of them (the others 0);
  - a leaf module without nodes (BatchNorm folded into the convolution before it at export,
    Dropout removed in eval mode): its time goes to the node of the leaf module called just
    before it (the convolution), counted as "folded";
  - a module's own functional operations (torch.flatten, x + y, torch.cat, F.avg_pool2d in
    forward) are nodes directly in its scope ("/layer1/layer1.0/Add", "/Flatten"): they get the
    module's time less its children's (the residual); a residual with no node to take it
    (Python overhead of a container) is reported, not used. A negative residual (timer noise)
    counts as 0. One node takes all of it. Several (Inception-v3's pooling and Concat,
    ShuffleNetV2's Slices, Concat and channel shuffle) share it in proportion to their own
    torch functions' times: --op-forwards forwards (after one more warm-up) run under a
    TorchFunctionMode that times each torch function a module's forward calls itself
    (perf_counter_ns; not those of a child module, nor those a torch function calls), and
    the functions are matched by the ONNX op they export to (torch.cat → Concat,
    F.avg_pool2d → AveragePool, Tensor.view → Reshape, ...; table ONNX_OF) to the scope's
    nodes of that op in graph order. Several calls of one op and one node of it (a nested
    torch.cat, fused into one Concat) all go to that node; a chunk's Slices share its time; a
    function whose op has no node in the scope (Tensor.contiguous; the transpose of a channel
    shuffle that synergy imports as one layer) joins the function before it. Python overhead
    between the functions is shared in the same proportions, so each network's total is what
    an equal split gives. When the functions do not match the nodes, the residual is split
    equally, with a warning naming the module. (PyTorch's profiler would time the same
    operators, but Debian's torch 1.13 has no Kineto: its events have 1 µs resolution and
    nest wrongly when timestamps tie.)
Hook overhead (about a microsecond a module) is inside these times.

--trace FILE also writes PyTorch's profiler trace (prof.export_chrome_trace) of a few
forwards, each leaf module annotated with record_function named after its ONNX node (or its
module path when it has none), and an anchor annotation "synergy.anchor" whose args.steady_s
is time.monotonic() (CLOCK_MONOTONIC, the clock of `synergy record`) at its start, so that
`synergy attribute --markers FILE` puts the layers on a power trace's clock and
`synergy import-profile FILE` reads the same layers.

Needs Debian's python3-torch, python3-torchvision and python3-onnx; run with /usr/bin/python3.
Never needed by the tests.
"""

import argparse
import importlib
import importlib.util
import json
import os
import re
import statistics
import sys
import time


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("networks", nargs="+",
                   help="torchvision model names or MODULE:FACTORY (a .py path or module name), "
                        "each optionally @WxHxC for an input of its own (inception_v3@299x299x3)")
    p.add_argument("-o", "--output", required=True, help="dataset CSV to write")
    p.add_argument("--onnx-dir", default=None,
                   help="where to write the .onnx files (default: beside the CSV)")
    p.add_argument("--input", default="224x224x3",
                   help="input WIDTHxHEIGHTxCHANNELS, batch 1, of every network without an "
                        "@WxHxC of its own (default 224x224x3; inception_v3 is made for "
                        "299x299x3 but runs at 224x224x3 too)")
    p.add_argument("--threads", type=int, default=1, help="threads of torch and of the BLAS it calls (torch.set_num_threads, OPENBLAS_NUM_THREADS; default 1)")
    p.add_argument("--warmup", type=int, default=2, help="warm-up rounds (default 2)")
    p.add_argument("--rounds", type=int, default=20, help="measured rounds (default 20)")
    p.add_argument("--platform", default=None,
                   help="platform label (default pytorch-<version>/cpu-<threads>t)")
    p.add_argument("--opset", type=int, default=13, help="ONNX opset (default 13)")
    p.add_argument("--op-forwards", type=int, default=3,
                   help="timed forwards that split a module's own time among several ONNX "
                        "nodes by their torch functions' times (default 3; 0: split equally)")
    p.add_argument("--trace", default=None,
                   help="also write the profiler trace of --trace-iterations forwards of the "
                        "first network here")
    p.add_argument("--trace-iterations", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--synergy", default=None,
                   help="the synergy program, to list the layers its ONNX importer sees (default: "
                        "synergy on PATH, else build/*/tools/cli/synergy of this repository)")
    return p.parse_args(argv)


def find_synergy(given):
    """The synergy program: `given`, else on PATH, else a build of this repository."""
    import glob
    import shutil
    if given:
        return given
    found = shutil.which("synergy")
    if found:
        return found
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    builds = sorted(glob.glob(os.path.join(root, "build", "*", "tools", "cli", "synergy")),
                    key=os.path.getmtime, reverse=True)
    return builds[0] if builds else None


def synergy_layers(synergy, onnx_path):
    """The layer names synergy's ONNX importer gives `onnx_path` (`synergy count --format csv`):
    it drops what is not a layer (Identity of a weight, folded shape arithmetic), and a dataset
    must list exactly its layers. None when there is no synergy program."""
    import subprocess
    if synergy is None:
        return None
    out = subprocess.run([synergy, "count", onnx_path, "--format", "csv"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    return [line.split(",", 1)[0] for line in out[1:] if line and not line.startswith("sum ")
            and not line.startswith("TOTAL")]


def build(spec):
    """The model for a torchvision name or MODULE:FACTORY, in eval mode, and its file stem."""
    import torchvision
    if ":" in spec:
        mod, factory = spec.rsplit(":", 1)
        if mod.endswith(".py"):
            s = importlib.util.spec_from_file_location(os.path.basename(mod)[:-3], mod)
            m = importlib.util.module_from_spec(s)
            s.loader.exec_module(m)
        else:
            m = importlib.import_module(mod)
        return getattr(m, factory)().eval(), factory
    if not hasattr(torchvision.models, spec):
        sys.exit(f"profile_pytorch: '{spec}' is no torchvision model; give MODULE:FACTORY")
    kwargs = {"weights": None}
    if spec in ("googlenet", "inception_v3"):
        kwargs["aux_logits"] = False
        kwargs["init_weights"] = False
    return getattr(torchvision.models, spec)(**kwargs).eval(), spec


def module_scope(path, call):
    """torch.onnx.export's scope of module `path` at its `call`-th call in a forward
    (torch/onnx/utils.py, _unqualified_variable_name: each level is the last non-numeric atom of
    its path and the atoms after it); call k > 0 appends _k to the last level."""
    if path == "":
        return "/"
    atoms = path.split(".")
    levels = []
    for k in range(len(atoms)):
        first = k
        while first > 0 and atoms[first].isdigit():
            first -= 1
        levels.append(".".join(atoms[first:k + 1]))
    if call:
        levels[-1] += f"_{call}"
    return "/" + "/".join(levels) + "/"


class Layout:
    """The ONNX nodes of one exported network, by scope."""

    def __init__(self, onnx_path):
        import onnx
        graph = onnx.load(onnx_path).graph
        self.nodes = [n.name for n in graph.node]
        self.op = {n.name: n.op_type for n in graph.node}
        if any(not n for n in self.nodes):
            sys.exit(f"profile_pytorch: {onnx_path} has unnamed nodes")
        self.by_scope = {}
        for n in self.nodes:
            self.by_scope.setdefault(n.rsplit("/", 1)[0] + "/", []).append(n)

    def keep(self, layers):
        """Scopes list only `layers` (the nodes synergy makes layers of): a module's time goes to
        the first layer of its scope, never to a Constant before it (ReLU6's Clip bounds, a
        pooling's pads), which has no row and would lose the time."""
        layers = set(layers)
        self.by_scope = {scope: kept for scope, nodes in self.by_scope.items()
                         if (kept := [n for n in nodes if n in layers])}


# A torch function a module's forward calls itself → the ONNX ops torch.onnx.export makes of it,
# the likelier first (the first that the scope has nodes of is taken). Functions not listed
# (Tensor.contiguous, Tensor.size, F.dropout) export to no node of their own.
ONNX_OF = {
    "add": ("Add",), "add_": ("Add",), "__add__": ("Add",), "__iadd__": ("Add",),
    "__radd__": ("Add",), "sub": ("Sub",), "__sub__": ("Sub",), "mul": ("Mul",),
    "mul_": ("Mul",), "__mul__": ("Mul",), "__rmul__": ("Mul",), "div": ("Div",),
    "__truediv__": ("Div",),
    "cat": ("Concat",), "concat": ("Concat",), "stack": ("Concat",),
    "avg_pool2d": ("AveragePool",), "max_pool2d": ("MaxPool",),
    "max_pool2d_with_indices": ("MaxPool",),
    "adaptive_avg_pool2d": ("GlobalAveragePool", "AveragePool"),
    "adaptive_max_pool2d": ("GlobalMaxPool", "MaxPool"),
    "mean": ("ReduceMean", "GlobalAveragePool"),
    "flatten": ("Flatten", "Reshape"), "view": ("Reshape",), "reshape": ("Reshape",),
    "transpose": ("Transpose",), "permute": ("Transpose",),
    "chunk": ("Split", "Slice"), "split": ("Split", "Slice"),
    "split_with_sizes": ("Split", "Slice"), "narrow": ("Slice",),
    "__getitem__": ("Slice", "Gather"),
    "relu": ("Relu",), "relu_": ("Relu",), "hardtanh": ("Clip",), "hardtanh_": ("Clip",),
    "relu6": ("Clip",), "sigmoid": ("Sigmoid",), "tanh": ("Tanh",),
    "hardsigmoid": ("HardSigmoid",), "hardswish": ("HardSwish",), "softmax": ("Softmax",),
    "log_softmax": ("LogSoftmax",), "linear": ("Gemm", "MatMul"), "matmul": ("MatMul",),
    "bmm": ("MatMul",), "__matmul__": ("MatMul",),
}
SPLITS = {"chunk", "split", "split_with_sizes"}  # one call, several Slice nodes
MAPPED = {op for ops in ONNX_OF.values() for op in ops}


class Timer:
    """Hooks on every module of `model`: per forward, each call's time and its children's."""

    def __init__(self, model, annotate=False):
        self.names = {m: n for n, m in model.named_modules()}
        self.leaf = {m: not any(True for _ in m.children()) for m in self.names}
        self.annotate = annotate
        self.label = {}  # (path, call) -> record_function name, when annotating
        self.handles = []
        for m in self.names:
            self.handles.append(m.register_forward_pre_hook(self.pre))
            self.handles.append(m.register_forward_hook(self.post))
        self.reset()

    def reset(self):
        self.calls = {}    # path -> calls so far in this forward
        self.stack = []    # [path, call, t0, children_ns, record_function]
        self.events = []   # (path, call, leaf, ns, children_ns), in completion order

    def pre(self, m, inputs):
        path = self.names[m]
        call = self.calls.get(path, 0)
        self.calls[path] = call + 1
        rf = None
        if self.annotate and self.leaf[m]:
            import torch
            rf = torch.autograd.profiler.record_function(self.label.get((path, call), path))
            rf.__enter__()
        self.stack.append([path, call, time.perf_counter_ns(), 0, rf])

    def post(self, m, inputs, output):
        t1 = time.perf_counter_ns()
        path, call, t0, children, rf = self.stack.pop()
        if rf is not None:
            rf.__exit__(None, None, None)
        ns = t1 - t0
        if self.stack:
            self.stack[-1][3] += ns
        self.events.append((path, call, self.leaf[m], ns, children))

    def remove(self):
        for h in self.handles:
            h.remove()


def own_operators(torch, timer, model, x, forwards, calls):
    """(path, call) -> [[function, ns], ...] for each module call in `calls`: the torch
    functions its forward calls itself (not inside a child module, not inside another torch
    function), in order, timed with perf_counter_ns around each under a TorchFunctionMode,
    each the median of `forwards` forwards (one preempted call does not take the split);
    None for a call whose functions differed between forwards."""
    ops = {}

    class Own(torch.overrides.TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            t0 = time.perf_counter_ns()
            out = func(*args, **(kwargs or {}))  # the mode is off inside: only the top level
            ns = time.perf_counter_ns() - t0
            if timer.stack and (key := tuple(timer.stack[-1][:2])) in calls:
                seen.setdefault(key, []).append([getattr(func, "__name__", str(func)), ns])
            return out

    for _ in range(forwards):
        seen = {}
        timer.reset()
        with Own():
            model(x)
        for key, own in seen.items():
            if key not in ops:
                ops[key] = [[f, [ns]] for f, ns in own]
            elif ops[key] is not None:
                if [f for f, _ in ops[key]] != [f for f, _ in own]:
                    ops[key] = None
                else:
                    for all_, (_, ns) in zip(ops[key], own):
                        all_[1].append(ns)
    return {key: own and [[f, statistics.median(ns)] for f, ns in own]
            for key, own in ops.items()}


def split_weights(nodes, op_of, events):
    """{node: ns} for the nodes of one module call's scope from its own torch function calls
    `events` (rules in the module doc), or the reason they do not match."""
    if events is None:
        return "its torch functions differed between timed forwards"
    by_type = {}
    for n in nodes:
        by_type.setdefault(op_of[n], []).append(n)
    # Each event's ONNX op: the first of its candidates the scope has nodes of.
    groups = {}  # (ONNX op, splits) -> [event index]
    target = [None] * len(events)
    for i, (name, _) in enumerate(events):
        for t in ONNX_OF.get(name, ()):
            if t in by_type:
                groups.setdefault((t, name in SPLITS and t == "Slice"), []).append(i)
                break
    taken = set()
    for (t, slices), idx in groups.items():
        ns = [n for n in by_type[t] if n not in taken]
        if slices and len(ns) % len(idx) == 0:  # each chunk/split: its share of the Slices
            k = len(ns) // len(idx)
            for j, i in enumerate(idx):
                target[i] = ns[j * k:(j + 1) * k]
        elif len(idx) == len(ns):
            for i, n in zip(idx, ns):
                target[i] = [n]
        elif len(ns) == 1:  # several events, one node (nested torch.cat: one Concat)
            for i in idx:
                target[i] = ns
        else:
            return f"{len(idx)} torch functions for {len(ns)} {t} nodes"
        taken.update(n for i in idx for n in target[i])
    missing = [n for n in nodes if op_of[n] in MAPPED and n not in taken]
    if missing:
        return f"no torch function for {', '.join(missing)}"
    if not taken:
        return "no torch function for any node"
    # Events of no node join the event before them (the first ones the event after them).
    weights = {n: 0.0 for n in nodes}
    last = next(t for t in target if t is not None)
    for (_, ns), t in zip(events, target):
        last = t or last
        for n in last:
            weights[n] += ns / len(last)
    if sum(weights.values()) <= 0:
        return "its functions took no measurable time"
    return weights


def split_plans(spec, layout, calls, operators):
    """scope -> {node: share} of every module call in `calls` (those whose scope has several
    nodes to share its residual); a call left out (its functions did not match) is split
    equally, with a warning."""
    plans = {}
    for path, call in sorted(calls):
        scope = module_scope(path, call)
        nodes = layout.by_scope[scope]
        w = split_weights(nodes, layout.op, operators.get((path, call), []))
        if isinstance(w, str):
            print(f"profile_pytorch: {spec}: module '{path}'" + (f" (call {call + 1})" if call
                  else "") + f": {w}; its own time is split equally among {len(nodes)} nodes",
                  file=sys.stderr)
            continue
        total = sum(w.values())
        plans[scope] = {n: v / total for n, v in w.items()}
    return plans


def assign(events, layout, tally, plans=None):
    """Node times (s) of one forward from its module events (rules in the module doc)."""
    out = {n: 0.0 for n in layout.nodes}
    # Execution order of leaf calls = the order their events completed.
    previous = None
    for path, call, leaf, ns, children in events:
        scope = module_scope(path, call)
        nodes = layout.by_scope.get(scope, [])
        if leaf:
            if nodes:
                out[nodes[0]] += ns * 1e-9
                previous = nodes[0]
            elif previous is not None:
                out[previous] += ns * 1e-9
                tally["folded"] += 1
            else:
                tally["unassigned_s"] += ns * 1e-9
        else:
            residual = max(ns - children, 0) * 1e-9
            plan = (plans or {}).get(scope)
            if plan:
                for n, share in plan.items():
                    out[n] += residual * share
            elif nodes:
                for n in nodes:
                    out[n] += residual / len(nodes)
            else:
                tally["unassigned_s"] += residual
    return out


def write_trace(torch, model, x, layout, path, iterations):
    """The profiler trace of `iterations` forwards, annotated per layer, with the anchor."""
    timer = Timer(model, annotate=True)
    # Label each leaf call by its ONNX node (or its module path when it has none): one forward
    # unannotated first tells the calls.
    with torch.no_grad():
        timer.annotate = False
        model(x)
        for p, c, leaf, _, _ in timer.events:
            if leaf:
                nodes = layout.by_scope.get(module_scope(p, c), [])
                timer.label[(p, c)] = nodes[0] if nodes else p
        timer.annotate = True
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            steady = time.monotonic()
            with torch.autograd.profiler.record_function("synergy.anchor"):
                pass
            for _ in range(iterations):
                timer.reset()
                model(x)
    timer.remove()
    prof.export_chrome_trace(path)
    with open(path) as f:
        doc = json.load(f)
    events = doc["traceEvents"] if isinstance(doc, dict) else doc
    for e in events:
        if e.get("name") == "synergy.anchor":
            e.setdefault("args", {})["steady_s"] = steady
            break
    with open(path, "w") as f:
        json.dump(doc, f)


def main(argv):
    a = parse_args(argv)
    # torch.set_num_threads does not bound OpenBLAS's own thread pool, and Debian's torch runs
    # its 1x1 and grouped convolutions and Linear layers through OpenBLAS: without this, "one
    # thread" ran those layers on every core. It must be set before torch loads OpenBLAS.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(a.threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
    import torch
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    def shape_of(text):
        w, h, c = (int(v) for v in text.lower().split("x"))
        return [1, c, h, w]
    platform = a.platform or f"pytorch-{torch.__version__.split('+')[0][:4]}/cpu-{a.threads}t"
    out_dir = os.path.dirname(os.path.abspath(a.output))
    onnx_dir = os.path.abspath(a.onnx_dir or out_dir)
    os.makedirs(onnx_dir, exist_ok=True)
    synergy = find_synergy(a.synergy)
    if synergy is None:
        print("profile_pytorch: no synergy program (--synergy): rows for every ONNX node but "
              "Identity and Constant, which synergy's importer may not all see", file=sys.stderr)
    nets = []
    for spec in a.networks:
        size = a.input
        if own := re.fullmatch(r"(.+)@(\d+x\d+x\d+)", spec, re.IGNORECASE):
            spec, size = own.groups()
        model, stem = build(spec)
        x = torch.randn(*shape_of(size))
        onnx_path = os.path.join(onnx_dir, stem + ".onnx")
        torch.onnx.export(model, x, onnx_path, opset_version=a.opset, do_constant_folding=True)
        layout = Layout(onnx_path)
        layers = synergy_layers(synergy, onnx_path)
        if layers is None:
            import onnx
            ops = {n.name: n.op_type for n in onnx.load(onnx_path).graph.node}
            layers = [n for n in layout.nodes if ops[n] not in ("Identity", "Constant")]
        unknown = [n for n in layers if n not in layout.by_scope.get(n.rsplit("/", 1)[0] + "/", [])]
        if unknown:
            sys.exit(f"profile_pytorch: synergy's layers {unknown[:3]} are no nodes of {onnx_path}")
        layout.keep(layers)
        timer = Timer(model)
        plans = {}
        with torch.no_grad():
            model(x)  # which module calls there are, and a warm-up of the timed ones
            calls = {(p, c) for p, c, leaf, _, _ in timer.events
                     if not leaf and len(layout.by_scope.get(module_scope(p, c), [])) > 1}
            if calls and a.op_forwards > 0:
                plans = split_plans(spec, layout, calls, own_operators(
                    torch, timer, model, x, a.op_forwards, calls))
        nets.append({"spec": spec, "model": model, "x": x, "layout": layout, "layers": layers,
                     "onnx": os.path.relpath(onnx_path, out_dir),
                     "timer": timer, "plans": plans, "times": {n: [] for n in layout.nodes},
                     "tally": {"folded": 0, "unassigned_s": 0.0}})
    with torch.no_grad():
        for r in range(a.warmup + a.rounds):
            for n in nets:  # round-robin: never all rounds of one network back to back
                n["timer"].reset()
                n["model"](n["x"])
                if r < a.warmup:
                    continue
                for node, t in assign(n["timer"].events, n["layout"], n["tally"],
                                      n["plans"]).items():
                    n["times"][node].append(t)
            print(f"round {r + 1}/{a.warmup + a.rounds}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    with open(a.output, "w") as f:
        f.write("network,layer,time_s,platform,rounds,min_s,mean_s,sd_s\n")
        for n in nets:
            n["timer"].remove()
            listed = set(n["layers"])
            dropped = sum(statistics.fmean(ts) for node, ts in n["times"].items()
                          if node not in listed)
            if dropped > 0:
                print(f"{n['spec']}: {dropped * 1e3:.3f} ms a forward measured on ONNX nodes that "
                      f"are no synergy layer, left out", file=sys.stderr)
            for node in n["layers"]:
                ts = n["times"][node]
                sd = statistics.stdev(ts) if len(ts) > 1 else 0.0
                f.write(f"{n['onnx']},{node},{statistics.median(ts):.9g},{platform},{len(ts)},"
                        f"{min(ts):.9g},{statistics.fmean(ts):.9g},{sd:.9g}\n")
            t = n["tally"]
            print(f"{n['spec']}: {len(n['layout'].nodes)} nodes, {t['folded'] // max(a.rounds, 1)}"
                  f" folded module calls a forward, {t['unassigned_s'] / max(a.rounds, 1) * 1e3:.3f}"
                  f" ms a forward of container overhead not assigned, {len(n['plans'])} module"
                  f" calls' own time split by their functions' times", file=sys.stderr)
    if a.trace:
        n = nets[0]
        write_trace(torch, n["model"], n["x"], n["layout"], a.trace, a.trace_iterations)


if __name__ == "__main__":
    main(sys.argv[1:])
