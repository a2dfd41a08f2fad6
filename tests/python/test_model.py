"""Predictions and batched estimates: hand-derived values; batch equals one-by-one."""
import json

import numpy as np
import pytest

from conftest import NOT_BUILT

synergy = pytest.importorskip("synergy", reason=NOT_BUILT)

# An energy model of the paper's family (response = a · driver per layer class), with round
# coefficients so that the expected values below can be derived by hand.
TYPE_SUM_MODEL = {
    "schema": "synergy.network_model", "version": 1,
    "response": {"quantity": "energy", "unit": "J"},
    "scheme": "layer_type", "family": "layer_type_sum", "coefficients": ["per_driver"],
    "classes": {"conv": {"driver": "macs", "per_driver": 1e-9},
                "fully_connected": {"driver": "macs", "per_driver": 2e-9},
                "pool": {"driver": "ops", "per_driver": 1e-10},
                "activation": {"driver": "ops", "per_driver": 1e-10}}}


def tiny_net():
    net = synergy.Network("tiny", (32, 32, 3))
    net.add("conv1", synergy.conv2d(out_channels=32, kernel=3, padding=1))
    net.add("relu1", synergy.activation())
    return net


def test_predict_by_hand(tmp_path):
    # conv1: 884,736 MACs × 1e-9 J = 8.84736e-4 J; relu1: 32·32·32 = 32,768 ops × 1e-10 J =
    # 3.2768e-6 J; total 8.84736e-4 + 0.032768e-4 = 8.880128e-4 J.
    p = synergy.predict(TYPE_SUM_MODEL, tiny_net())
    assert p.quantity == "energy" and p.unit == "J"
    assert p.layers == ["conv1", "relu1"] and p.layer_classes == ["conv", "activation"]
    assert p.layer_energy_j == pytest.approx([8.84736e-4, 3.2768e-6], rel=1e-12)
    assert p.energy_j == pytest.approx(8.880128e-4, rel=1e-12)
    # The same model from a file, and as a time model: the unit moves into the name.
    path = tmp_path / "m.json"
    time_model = dict(TYPE_SUM_MODEL, response={"quantity": "time", "unit": "s"})
    path.write_text(json.dumps(time_model))
    t = synergy.predict(str(path), tiny_net())
    assert t.time_s == pytest.approx(8.880128e-4, rel=1e-12) and not hasattr(t, "energy_j")


def test_model_errors(tmp_path):
    with pytest.raises(ValueError, match="layer 'relu1': .*no coefficients for layer class 'activation'"):
        # AlexNet's second layer, relu1, is an activation: the model has no such class.
        m = dict(TYPE_SUM_MODEL, classes={"conv": {"driver": "macs", "per_driver": 1e-9}})
        synergy.predict(m, "alexnet")
    with pytest.raises(FileNotFoundError):
        synergy.Model.load(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="bad.json: not JSON"):
        synergy.Model.load(tmp_path / "bad.json")
    with pytest.raises(ValueError, match="schema is 'other'"):
        synergy.Model.load(dict(TYPE_SUM_MODEL, schema="other"))


def test_one_candidate_by_hand():
    # [resolution 32, stem 8, one block: kernel 3, stride 1, 16 channels], no batch norm:
    # stem conv 3×3/2 pad 1 → 16×16×8: 16·16·8·27 = 55,296 MACs; relu 2,048 ops;
    # dw 3×3 → 16×16×8: 16·16·8·9 = 18,432 MACs; relu 2,048; pw 1×1 → 16×16×16:
    # 16·16·16·8 = 32,768 MACs; relu 4,096; global avg pool: 16·(256 − 1) = 4,080 ops;
    # fc 16 → 1000: 16,000 MACs. MACs 122,496.
    # Energy: conv 106,496·1e-9 + fc 16,000·2e-9 + pool 4,080·1e-10 + relu 8,192·1e-10
    #       = 1.06496e-4 + 3.2e-5 + 4.08e-7 + 8.192e-7 = 1.397232e-4 J.
    # Parameters: 216 + 8 + 72 + 8 + 128 + 16 + 16,000 + 1,000 = 17,448.
    model = synergy.Model.load(TYPE_SUM_MODEL)
    rows = np.array([[32, 8, 3, 1, 16]], dtype=np.int64)
    est, macs, params = model.estimate_mobilenet(rows, batch_norm=False, counts=True)
    assert est[0] == pytest.approx(1.397232e-4, rel=1e-12)
    assert (macs[0], params[0]) == (122_496, 17_448)
    net = synergy.mobilenet_candidate(rows[0], batch_norm=False)
    assert net.macs == 122_496 and net.params == 17_448


def test_batch_equals_one_by_one(example_model_path):
    from synergy.dask_sweep import random_candidates
    model = synergy.Model.load(example_model_path)
    rows = random_candidates(300, blocks=6, seed=7)
    est = model.estimate_mobilenet(rows)
    one = np.array([model.estimate(synergy.mobilenet_candidate(r)) for r in rows])
    np.testing.assert_array_equal(est, one)  # same layers, same order: bit-identical sums
    via_predict = synergy.predict(model, synergy.mobilenet_candidate(rows[0]))
    assert via_predict.energy_j == est[0]


def test_batch_errors(example_model_path):
    model = synergy.Model.load(example_model_path)
    with pytest.raises(ValueError, match="expected 2 \\+ 3·blocks"):
        model.estimate_mobilenet(np.zeros((2, 6), dtype=np.int64))
    with pytest.raises(ValueError, match="integer array"):
        model.estimate_mobilenet(np.ones((2, 5)))
    # Row 1 asks for a block of 0 channels: the library's error, with the row and the field.
    rows = np.array([[224, 8, 3, 1, 16], [224, 8, 3, 1, 0]], dtype=np.int64)
    with pytest.raises(ValueError, match="candidate row 1: .*out_channels"):
        model.estimate_mobilenet(rows)
    est = model.estimate_mobilenet(rows, invalid="nan")
    assert np.isfinite(est[0]) and np.isnan(est[1])


def test_batch_memo_equals_one_by_one(example_model_path):
    # The batched path memoises each (input shape, block) segment: repeated rows and blocks
    # (hits), rows whose widths are all new (misses), and an invalid row between two copies of
    # a valid one must all give what the one-by-one path gives, bit for bit.
    from synergy.dask_sweep import random_candidates
    model = synergy.Model.load(example_model_path)
    rows = random_candidates(400, blocks=13, seed=11)
    rng = np.random.default_rng(5)
    rows[200:, 4::3] = np.sort(rng.integers(1, 2049, (200, 13)), axis=1)  # mostly new blocks
    rows = np.concatenate([rows, rows[::-1]])  # every row again: all hits
    est, macs, params = model.estimate_mobilenet(rows, counts=True)
    for r, e, mc, pc in zip(rows, est, macs, params):
        net = synergy.mobilenet_candidate(r)
        assert (e, mc, pc) == (model.estimate(net), net.macs, net.params)
    bad = rows[:3].copy()
    bad[1, 4 + 3 * 5] = 0  # block 6 of row 1: 0 output channels, after 5 memoised blocks
    bad[2] = bad[0]
    with pytest.raises(ValueError, match="candidate row 1: .*out_channels"):
        model.estimate_mobilenet(bad)
    e = model.estimate_mobilenet(bad, invalid="nan")
    assert np.isnan(e[1]) and e[0] == e[2] == est[0]


def test_batch_without_memo_equals_one_by_one(example_model_path):
    # 2,000 rows of 13 blocks whose widths are drawn from 1..4096: nearly every block is new,
    # so after its first window of 2¹⁴ segment lookups (15 per row: about row 1,092) the memo
    # turns itself off and the rest is computed layer by layer. Both parts must equal the
    # one-by-one path bit for bit.
    from synergy.dask_sweep import random_candidates
    model = synergy.Model.load(example_model_path)
    rows = random_candidates(2000, blocks=13, seed=13)
    rows[:, 4::3] = np.sort(np.random.default_rng(9).integers(1, 4097, (2000, 13)), axis=1)
    est, macs, params = model.estimate_mobilenet(rows, counts=True)
    for i in list(range(0, 2000, 50)) + list(range(1990, 2000)):
        net = synergy.mobilenet_candidate(rows[i])
        assert (est[i], macs[i], params[i]) == (model.estimate(net), net.macs, net.params), i
