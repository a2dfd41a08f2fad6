"""Measurement from Python: annotator, sampler with the synthetic and replay sources,
attribution, the marker file `synergy record` reads, and the PyTorch forward-hook helper."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

from conftest import NOT_BUILT

synergy = pytest.importorskip("synergy", reason=NOT_BUILT)


def busy(seconds):
    t = time.perf_counter()
    while time.perf_counter() - t < seconds:
        pass


def test_annotator_scopes_and_marker_file(tmp_path):
    ann = synergy.Annotator()
    with ann.scope("conv1", "Conv"):
        busy(0.002)
    with ann.scope("relu1", "Relu"):
        pass
    with ann.scope("conv1", "Conv"):
        pass
    rs = ann.regions()
    assert [(r["name"], r["op_type"], r["run"]) for r in rs] == [
        ("conv1", "Conv", 0), ("relu1", "Relu", 0), ("conv1", "Conv", 1)]
    assert rs[0]["t1_s"] - rs[0]["t0_s"] >= 0.002
    assert rs[0]["t1_s"] <= rs[1]["t0_s"] <= rs[1]["t1_s"] <= rs[2]["t0_s"]
    # Times are on the steady clock the sampler uses.
    assert abs(rs[2]["t1_s"] - synergy.now_s()) < 1.0
    path = tmp_path / "markers.csv"
    ann.write_markers(str(path))
    assert path.read_text().splitlines()[0] == "time [s],event,name,op_type"
    # A Region handle marks by hand, as the torch hooks do.
    region = ann.region("pool1", "MaxPool")
    region.begin()
    region.end()
    assert ann.regions()[-1]["name"] == "pool1" and region.id == ann.region("pool1", "MaxPool").id
    unended = synergy.Annotator()
    unended.region("open").begin()
    with pytest.raises(RuntimeError, match="'open' begun but never ended"):
        unended.regions()


def test_sampler_synthetic_energy_matches_the_curve():
    # 5 W ± 1 W at 3 Hz: the exact integral over each region is known in closed form; at
    # 2 kHz the trapezoid rule is within a few mJ·ms of it (the curve changes slowly).
    src = synergy.SyntheticSource(base_w=5.0, amplitude_w=1.0, frequency_hz=3.0)
    ann = synergy.Annotator()
    with synergy.Sampler(src, rate_hz=2000) as s:
        busy(0.01)
        for name in ("a", "b", "c"):
            with ann.scope(name):
                busy(0.03)
        busy(0.01)
    tr = s.take_trace()
    assert len(tr) > 50 and tr.watts.shape == (len(tr), 1)
    assert s.stats()["fault"] == ""
    for e in synergy.attribute(tr, ann.regions()):
        exact = src.exact_energy(e["t0_s"], e["t1_s"])
        assert e["energy_j"] == pytest.approx(exact, rel=2e-3)
        assert e["time_s"] == pytest.approx(e["t1_s"] - e["t0_s"])


def test_replay_source_and_marker_file_path(tmp_path):
    # A constant 2 W trace replayed: any region of length d gets 2·d J.
    csv = tmp_path / "trace.csv"
    csv.write_text("time [s],board [W]\n" + "".join(f"{k * 0.001:.3f},2.0\n" for k in range(50)))
    src = synergy.ReplaySource(synergy.read_csv_trace(str(csv)))
    ann = synergy.Annotator()
    with synergy.Sampler(src, rate_hz=1000) as s:
        busy(0.005)
        with ann.scope("layer", "Conv"):
            busy(0.02)
        busy(0.005)
    markers = tmp_path / "markers.csv"
    ann.write_markers(str(markers))
    (e,) = synergy.attribute(s.take_trace(), str(markers))
    assert e["name"] == "layer"
    assert e["energy_j"] == pytest.approx(2.0 * e["time_s"], rel=1e-9)
    with pytest.raises(TypeError, match="SyntheticSource or ReplaySource"):
        synergy.Sampler("not a source")
    with pytest.raises(ValueError):
        synergy.Sampler(src, rate_hz=0)
    bad = tmp_path / "bad.csv"
    bad.write_text("time [s],board [W]\n0.0,nan\n")
    with pytest.raises(ValueError, match="bad.csv:2"):
        synergy.read_csv_trace(str(bad))


class FakeHandle:
    def __init__(self, hooks, fn):
        self.hooks, self.fn = hooks, fn

    def remove(self):
        self.hooks.remove(self.fn)


class FakeModule:
    """The part of torch.nn.Module that torch_hooks uses: children, named_modules and the two
    forward hooks, called as torch calls them."""

    def __init__(self, **children):
        self._children = children
        self._pre, self._post = [], []

    def children(self):
        return iter(self._children.values())

    def named_modules(self, prefix=""):
        yield prefix, self
        for name, child in self._children.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def register_forward_pre_hook(self, fn):
        self._pre.append(fn)
        return FakeHandle(self._pre, fn)

    def register_forward_hook(self, fn):
        self._post.append(fn)
        return FakeHandle(self._post, fn)

    def __call__(self, x):
        for h in self._pre:
            h(self, (x,))
        for c in self._children.values():
            x = c(x)
        for h in self._post:
            h(self, (x,), x)
        return x


class Conv2d(FakeModule):
    pass


class ReLU(FakeModule):
    pass


def fake_model():
    return FakeModule(features=FakeModule(conv=Conv2d(), act=ReLU()), head=Conv2d())


def test_torch_hooks_on_a_module_like_object():
    ann = synergy.Annotator()
    model = fake_model()
    handles = synergy.torch_hooks.annotate(model, ann)
    assert handles.names == ["features.conv", "features.act", "head"]
    model(0)
    model(0)
    handles.remove()
    model(0)  # hooks removed: no more regions
    rs = ann.regions()
    assert [(r["name"], r["op_type"], r["run"]) for r in rs] == [
        ("features.conv", "Conv2d", 0), ("features.act", "ReLU", 0), ("head", "Conv2d", 0),
        ("features.conv", "Conv2d", 1), ("features.act", "ReLU", 1), ("head", "Conv2d", 1)]
    with pytest.raises(ValueError, match="no leaf modules"):
        synergy.torch_hooks.annotate(type("Empty", (), {"named_modules": lambda self: iter(())})())


HOOKED_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {test_dir!r})
    import synergy, synergy.torch_hooks
    from test_measure import fake_model
    model = fake_model()
    synergy.torch_hooks.annotate(model)
    model(0)
""")


def test_process_annotator_writes_the_marker_file(tmp_path):
    # As under `synergy record`: SYNERGY_MARKER_FILE names the file, written at exit.
    script = tmp_path / "infer.py"
    script.write_text(HOOKED_SCRIPT.format(test_dir=os.path.dirname(__file__)))
    markers = tmp_path / "markers.csv"
    env = dict(os.environ, SYNERGY_MARKER_FILE=str(markers))
    subprocess.run([sys.executable, str(script)], env=env, check=True)
    lines = markers.read_text().splitlines()
    assert lines[0] == "time [s],event,name,op_type"
    assert [ln.split(",", 1)[1] for ln in lines[1:]] == [
        "begin,features.conv,Conv2d", "end,features.conv,Conv2d",
        "begin,features.act,ReLU", "end,features.act,ReLU",
        "begin,head,Conv2d", "end,head,Conv2d"]


def record_and_attribute(program, tmp_path, script_text, leaves):
    script = tmp_path / "infer.py"
    script.write_text(script_text)
    out = tmp_path / "rec"
    subprocess.run([program, "record", "--source", "synthetic", "-o", str(out), "--",
                    sys.executable, str(script)], check=True, capture_output=True, text=True)
    r = subprocess.run([program, "attribute", "--trace", str(out / "trace.csv"), "--markers",
                        str(out / "markers.csv"), "--format", "csv"],
                       check=True, capture_output=True, text=True)
    for leaf in leaves:
        assert f"{leaf}," in r.stdout, f"{leaf} missing from:\n{r.stdout}"


def test_record_lists_every_leaf_module(synergy_program, tmp_path):
    script = HOOKED_SCRIPT.format(test_dir=os.path.dirname(__file__)) + "import time; time.sleep(0.05)\n"
    record_and_attribute(synergy_program, tmp_path, script, ["features.conv", "features.act", "head"])


def test_record_a_real_torch_model(synergy_program, tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed for this python3")
    script = textwrap.dedent("""
        import torch, synergy.torch_hooks
        model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(),
                                    torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                    torch.nn.Linear(8, 4)).eval()
        synergy.torch_hooks.annotate(model)
        with torch.no_grad():
            for _ in range(3):
                model(torch.randn(1, 3, 64, 64))
    """)
    del torch
    record_and_attribute(synergy_program, tmp_path, script, ["0", "1", "2", "3", "4"])


def test_record_example_lists_every_torchvision_leaf(synergy_program, tmp_path):
    # The 20-line example of docs/python.md on a real torchvision network (resnet18: its
    # `relu` module runs twice per block, which gives two runs of one region, not an error).
    torch = pytest.importorskip("torch", reason="PyTorch is not installed for this python3")
    torchvision = pytest.importorskip("torchvision", reason="torchvision is not installed")
    from conftest import SOURCE_DIR
    model = torchvision.models.resnet18(weights=None)
    leaves = [n for n, _ in synergy.torch_hooks.leaf_modules(model)]
    # conv1, bn1, relu, maxpool (4); 8 BasicBlocks × conv1, bn1, relu, conv2, bn2 (40); three
    # downsample conv + bn (6); avgpool, fc (2): 52 leaves.
    assert len(leaves) == 52
    del torch
    script = (SOURCE_DIR / "examples" / "python" / "record_torch.py").read_text()
    script = script.replace('else "mobilenet_v2"', 'else "resnet18"')
    record_and_attribute(synergy_program, tmp_path, script, leaves)
