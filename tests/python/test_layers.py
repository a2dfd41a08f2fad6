"""The layer kinds added to the library for modern ConvNets, built from Python: counts derived
by hand from the definitions in include/synergy/layers/ (each derivation beside its assert)."""
import pytest

from conftest import NOT_BUILT

synergy = pytest.importorskip("synergy", reason=NOT_BUILT)


def test_squeeze_excitation_block_broadcasts_the_gate():
    # An SE block (MobileNetV3) on an 8×8×16 map: squeeze → 1×1×16, excite through 4 channels,
    # hard_sigmoid gate, and the gate (1×1×16) multiplied into the map by broadcasting.
    net = synergy.Network("se", (8, 8, 16))
    net.add("squeeze", synergy.avg_pool2d(global_pool=True))
    net.add("fc1", synergy.conv2d(out_channels=4, kernel=1))
    net.add("relu", synergy.activation())
    net.add("fc2", synergy.conv2d(out_channels=16, kernel=1))
    net.add("gate", synergy.activation(kind="hard_sigmoid"))
    net.add("scale", synergy.eltwise(op="prod"), inputs=["data", "gate"])
    rows = {r.name: r for r in net.layers}
    # squeeze: 16 channels × (8·8 − 1) additions = 1,008 ops.
    # fc1: 1·1·4 outputs × 16 inputs = 64 MACs, 4 bias ops, 64 weights, 4 biases; relu 4 ops.
    # fc2: 16 outputs × 4 inputs = 64 MACs, 16 bias ops, 64 weights, 16 biases; gate 16 ops.
    # scale: n = 8·8·16 = 1,024; ops = (2 − 1)·n = 1,024; data volume with one broadcast
    # input = (2 − 1)·n + 1·z + n = 1,024 + 16 + 1,024 = 2,064.
    assert rows["squeeze"].output == (1, 1, 16) and rows["squeeze"].ops == 1_008
    assert rows["gate"].ops == 16 and rows["gate"].output == (1, 1, 16)
    assert rows["scale"].output == (8, 8, 16)
    assert (rows["scale"].ops, rows["scale"].data_volume) == (1_024, 2_064)
    assert net.macs == 64 + 64
    assert net.ops == 1_008 + 4 + 4 + 16 + 16 + 1_024  # 2,072
    assert net.params == 64 + 4 + 64 + 16  # 148
    # The broadcast input may come first: the output still has the full shape.
    net.add("scale2", synergy.eltwise(op="prod"), inputs=["gate", "scale"])
    assert net.layers[-1].output == (8, 8, 16) and net.layers[-1].data_volume == 2_064
    # A map that is neither the full shape nor 1×1×z cannot be combined: the layer is named.
    net.add("half", synergy.max_pool2d(kernel=2, stride=2), inputs="data")
    with pytest.raises(ValueError, match="bad"):
        net.add("bad", synergy.eltwise(), inputs=["data", "half"])


@pytest.mark.parametrize("kind", ["hard_sigmoid", "hard_swish", "silu", "gelu"])
def test_new_activation_kinds(kind):
    # One application of the function per element: 4·2·3 = 24 ops, shape unchanged.
    a = synergy.activation(kind=kind, input=(4, 2, 3))
    assert (a.output, a.ops, a.macs, a.params) == ((4, 2, 3), 24, 0, 0)


def test_layer_norm():
    # 4×2×8: n = 64. Per element 5 ops (mean add, subtract, square, variance add, scale by
    # 1/√(σ² + ε)), + γ multiply and β add with affine = 7 → 448; γ, β: 8 weights, 8 biases;
    # data volume = 64 + 8 + 8 + 64 = 144. Without affine: 5·64 = 320 ops, 64 + 64 = 128.
    ln = synergy.layer_norm(input=(4, 2, 8))
    assert (ln.output, ln.macs, ln.ops, ln.weights, ln.biases, ln.data_volume) == (
        (4, 2, 8), 0, 448, 8, 8, 144)
    plain = synergy.layer_norm(affine=False, input=(4, 2, 8))
    assert (plain.ops, plain.params, plain.data_volume) == (320, 0, 128)


def test_data_movement_layers():
    # channel_shuffle on 3×3×8, 4 groups: shape unchanged, every element read and written:
    # data volume 2·72 = 144, nothing computed.
    cs = synergy.channel_shuffle(groups=4, input=(3, 3, 8))
    assert (cs.output, cs.ops, cs.macs, cs.data_volume) == ((3, 3, 8), 0, 0, 144)
    with pytest.raises(ValueError, match="channel_shuffle"):  # 8 channels in 3 groups
        synergy.channel_shuffle(groups=3, input=(3, 3, 8)).output
    # slice: channels [2, 6) of 4×4×8 → 4×4×4, data volume 2·64 = 128; columns [1, 3) of
    # 4×5×2 → 2×5×2, 2·20 = 40.
    s = synergy.slice(begin=2, end=6, input=(4, 4, 8))
    assert (s.output, s.data_volume) == ((4, 4, 4), 128)
    sx = synergy.slice(axis="x", begin=1, end=3, input=(4, 5, 2))
    assert (sx.output, sx.data_volume) == ((2, 5, 2), 40)
    assert synergy.slice(axis="y", end=1, input=(4, 5, 2)).output == (4, 1, 2)
    with pytest.raises(ValueError, match="axis: unknown value 'w'"):
        synergy.slice(axis="w", end=1)
    with pytest.raises(ValueError, match="end"):  # past the 8 channels
        synergy.slice(begin=2, end=9, input=(4, 4, 8)).output
    # transpose: output axis i = input axis perm[i]: (z, x, y) of 4×5×2 = 2×4×5; data volume
    # 2·40 = 80. The default identity permutation is a layout change: shape kept, 80 too.
    t = synergy.transpose(perm=("z", "x", "y"), input=(4, 5, 2))
    assert (t.output, t.data_volume, t.ops) == ((2, 4, 5), 80, 0)
    assert synergy.transpose(input=(4, 5, 2)).output == (4, 5, 2)
    with pytest.raises(ValueError, match="permutation"):
        synergy.transpose(perm=("x", "x", "z"), input=(4, 5, 2)).output
    with pytest.raises(ValueError, match="perm"):
        synergy.transpose(perm="xyz")
    # pad: 1 before on both axes, (2, 0) after: 4×5×3 → (4+1+2)×(5+1+0)×3 = 7×6×3;
    # data volume = input 60 + output 126 = 186.
    p = synergy.pad(begin=1, end=(2, 0), input=(4, 5, 3))
    assert (p.output, p.data_volume, p.ops) == ((7, 6, 3), 186, 0)
    with pytest.raises(ValueError, match="pad"):
        synergy.pad(begin=-1, input=(4, 5, 3)).output


def test_identity_and_opaque_count_nothing():
    i = synergy.identity(input=(4, 5, 3))
    assert i.output == (4, 5, 3) and i.cost() == dict.fromkeys(
        ["macs", "ops", "weights", "biases", "params", "data_volume"], 0)
    o = synergy.opaque(output_shape=(2, 2, 7), input=(4, 4, 3))
    assert o.output == (2, 2, 7) and (o.macs, o.ops, o.data_volume) == (0, 0, 0)
    with pytest.raises(ValueError, match="output_shape"):
        synergy.opaque(output_shape=(2, 2))


def test_matmul_counts_attention_products():
    # ViT-B/16's Q·Kᵀ per block: 12 heads, M = N = 197 tokens, K = 64 values per head, as
    # (x, y, z) = (K, M, heads) times (N, K, heads): 12·197·197·64 = 29,805,312 MACs; data
    # volume 64·197·12 + 197·64·12 + 197·197·12 = 151,296 + 151,296 + 465,708 = 768,300.
    q = synergy.matmul(input=(64, 197, 12), rhs=(197, 64, 12))
    assert q.output == (197, 197, 12)
    assert (q.macs, q.ops, q.params, q.data_volume) == (29_805_312, 0, 0, 768_300)
    with pytest.raises(ValueError, match="rhs.y"):
        synergy.matmul(input=(7, 5, 3), rhs=(4, 6, 3)).macs  # K: 7 columns, 6 rows
    with pytest.raises(ValueError, match="rhs.z"):
        synergy.matmul(input=(7, 5, 3), rhs=(4, 7, 1)).macs  # a batch of 1 is not broadcast
    # In a network both operands come from the producers (A first): 7×5×3 (3 batches of 5×7)
    # times its transpose 5×7×3: 5×5×3, 3·5·5·7 = 525 MACs.
    net = synergy.Network("attention", (7, 5, 3))
    net.add("kt", synergy.transpose(perm=("y", "x", "z")))
    net.add("scores", synergy.matmul(), inputs=["data", "kt"])
    assert net.layers[-1].output == (5, 5, 3) and net.macs == 525
    assert net.by_layer_type()["matmul"]["layers"] == 1


def test_shufflenet_v2_unit_in_a_network():
    # ShuffleNetV2's basic unit on 4×4×8: split the channels in two, a 1×1 conv on the right
    # half, concatenate, shuffle. MACs: right conv 4·4·4 outputs × 4 inputs = 256.
    # Data volume: each slice 2·(4·4·4) = 128; the shuffle 2·(4·4·8) = 256.
    net = synergy.Network("shuffle_unit", (4, 4, 8))
    net.add("left", synergy.slice(axis="z", begin=0, end=4), inputs="data")
    net.add("right", synergy.slice(axis="z", begin=4, end=8), inputs="data")
    net.add("conv", synergy.conv2d(out_channels=4, kernel=1, bias=False))
    net.add("cat", synergy.concat(), inputs=["left", "conv"])
    net.add("shuffle", synergy.channel_shuffle(groups=2))
    net.add("ln", synergy.layer_norm())
    net.add("id", synergy.identity())
    rows = {r.name: r for r in net.layers}
    assert net.macs == 256
    assert rows["left"].output == rows["right"].output == (4, 4, 4)
    assert (rows["left"].data_volume, rows["shuffle"].data_volume) == (128, 256)
    assert rows["id"].output == (4, 4, 8) and rows["ln"].ops == 7 * 128
    types = net.by_layer_type()
    assert types["slice"]["layers"] == 2 and types["channel_shuffle"]["data_volume"] == 256
