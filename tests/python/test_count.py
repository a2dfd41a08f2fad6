"""Counting through the bindings: values from independent sources or derived by hand."""
import numpy as np
import pytest

from conftest import NOT_BUILT

synergy = pytest.importorskip("synergy", reason=NOT_BUILT)


def test_resnet50_macs_from_the_issue():
    # Issue 16's done-when figure (and the zoo test's): ResNet-50 at 224×224, 3,857,973,248.
    assert synergy.count("resnet50").macs == 3_857_973_248


def test_onnx_file_and_bytes(data_dir):
    path = data_dir / "onnx" / "resnet18_op13.weights_as_inputs.onnx"
    # ../shared/data/onnx/README.md: conv + FC MACs counted with PyTorch forward hooks.
    net = synergy.count(path)
    assert net.macs == 1_814_073_344
    assert synergy.count(str(path)).macs == 1_814_073_344
    assert synergy.count(path.read_bytes()).macs == 1_814_073_344


def test_caffe_file(data_dir):
    # AlexNet (227×227, grouped conv2/4/5) is published as 724,406,816 MACs (Netscope, and
    # the SyNERGY paper's Table 1 rounds it to 724 M).
    net = synergy.count(data_dir / "prototxt" / "bvlc_alexnet_deploy.prototxt")
    assert net.macs == 724_406_816


def test_conv_layer_by_hand():
    # 32×32×3 input, 32 filters 3×3, padding 1: output 32×32×32;
    # MACs = 32·32·32·3·3·3 = 884,736; weights = 3·3·3·32 = 864; biases = 32;
    # data volume = 32·32·3 + 864 + 32·32·32 = 3,072 + 864 + 32,768 = 36,704.
    conv = synergy.conv2d(out_channels=32, kernel=3, padding=1, input=(32, 32, 3))
    assert conv.output == (32, 32, 32)
    assert (conv.macs, conv.weights, conv.biases, conv.data_volume) == (884_736, 864, 32, 36_704)
    # Rectangular: 7×5 input, kernel (3, 1), stride (2, 1): Ox = (7−3)/2+1 = 3, Oy = 5.
    c2 = synergy.conv2d(out_channels=4, kernel=(3, 1), stride=(2, 1), input=(7, 5, 2), bias=False)
    assert c2.output == (3, 5, 4)
    assert c2.macs == 3 * 5 * 4 * 3 * 1 * 2


def test_network_builder_branches_and_numpy():
    net = synergy.Network("tiny", (8, 8, 4))
    net.add("a", synergy.conv2d(out_channels=4, kernel=1))
    net.add("b", synergy.conv2d(out_channels=4, kernel=3, padding=1), inputs="data")
    net.add("sum", synergy.eltwise(), inputs=["a", "b"])
    net.add("cat", synergy.concat(), inputs=["sum", 0])
    net.add("pool", synergy.max_pool2d(kernel=2, stride=2))
    net.add("fc", synergy.fully_connected(outputs=10))
    # a: 8·8·4·4 = 1,024; b: 8·8·4·9·4 = 9,216; fc: (4·4·8)·10 = 1,280 → 11,520 MACs.
    assert net.macs == 11_520
    # pool: 4·4·8 outputs × (2·2 − 1) comparisons = 384 ops; sum: 8·8·4 = 256 additions.
    rows = {r.name: r for r in net.layers}
    assert rows["pool"].ops == 384 and rows["sum"].ops == 256
    assert rows["cat"].output == (8, 8, 8) and rows["cat"].inputs == ["sum", "data"]
    cols = net.to_numpy()
    assert list(cols["name"]) == ["data", "a", "b", "sum", "cat", "pool", "fc"]
    assert cols["macs"].dtype == np.int64 and int(cols["macs"].sum()) == 11_520
    assert net.by_layer_type()["conv2d"]["macs"] == 10_240
    assert net.layer("pool").input == (8, 8, 8)


def test_errors_are_python_exceptions(tmp_path):
    with pytest.raises(ValueError, match="unknown zoo network 'nope'"):
        synergy.count("nope")
    with pytest.raises(FileNotFoundError, match="missing.onnx"):
        synergy.count(tmp_path / "missing.onnx")
    with pytest.raises(ValueError, match="not an ONNX ModelProto"):
        synergy.count(b"\xff\xff not a protobuf")
    bad = tmp_path / "bad.prototxt"
    bad.write_text('name: "x"\ninput: "data"\nlayer { name: "c" type: "Nope" bottom: "data" top: "c" }\n')
    with pytest.raises(ValueError, match="bad.prototxt"):
        synergy.count(bad)
    with pytest.raises(ValueError, match="out_channels"):
        synergy.conv2d(out_channels=0, kernel=3, input=(8, 8, 3)).macs
    with pytest.raises(ValueError, match="kernel: expected an int"):
        synergy.conv2d(out_channels=1, kernel="3")
    with pytest.raises(ValueError, match="activation kind: unknown value 'swishy'"):
        synergy.activation(kind="swishy")
    net = synergy.Network("n", (4, 4, 1))
    with pytest.raises(ValueError, match="layer 'big'"):
        net.add("big", synergy.conv2d(out_channels=1, kernel=9))
    with pytest.raises(ValueError, match="no input layer named 'ghost'"):
        net.add("x", synergy.activation(), inputs="ghost")


def test_count_a_model_torch_just_exported(tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed for this python3")
    import io
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
                                torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                torch.nn.Linear(8, 4)).eval()
    x = torch.randn(1, 3, 32, 32)
    path = tmp_path / "tiny.onnx"
    torch.onnx.export(model, x, str(path), opset_version=13)
    # conv: 32·32·8 outputs × 3·3·3 = 221,184 MACs; linear: 8·4 = 32 → 221,216.
    assert synergy.count(path).macs == 221_216
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=13)
    assert synergy.count(buf.getvalue()).macs == 221_216
