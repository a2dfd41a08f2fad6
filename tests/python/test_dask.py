"""Dask: a NAS sweep on a LocalCluster of 2 worker processes equals the single-process run
(and a direct computation); profiling farmed out to workers merges into one labelled CSV."""
import csv
import io

import numpy as np
import pytest

from conftest import NOT_BUILT

synergy = pytest.importorskip("synergy", reason=NOT_BUILT)
dask_sweep = synergy.dask_sweep

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_sweep_equals_single_process(client, example_model_path):
    model = synergy.Model.load(example_model_path)
    kw = dict(candidates=40_000, batch_size=10_000, blocks=6, seed=3)
    dist = dask_sweep.sweep(model, client=client, **kw)
    single = dask_sweep.sweep(model, client=None, **kw)
    for k in ("index", "rows", "estimate", "proxy", "macs"):
        np.testing.assert_array_equal(dist[k], single[k])
    assert dist["evaluated"] == 40_000 and dist["invalid"] == 0
    # Independently of the batching: all candidates in one call, one front.
    rows = np.concatenate([dask_sweep.random_candidates(10_000, 6, 3, b) for b in range(4)])
    est, _, params = model.estimate_mobilenet(rows, counts=True)
    front = dask_sweep.pareto_front(params, est, np.arange(len(rows)))
    np.testing.assert_array_equal(front, dist["index"])
    # A front: energy rises and the proxy (parameters) rises along it.
    assert len(front) > 3
    assert np.all(np.diff(dist["estimate"]) >= 0) and np.all(np.diff(dist["proxy"]) > 0)


def test_pareto_front_by_hand():
    # (proxy, cost): a (1, 1) and b (3, 2) are on the front; c (2, 2) is dominated by b;
    # d (3, 2) ties b exactly and has a larger index, so b is kept; e (0, 5) is dominated.
    proxy = np.array([1, 3, 2, 3, 0])
    cost = np.array([1.0, 2.0, 2.0, 2.0, 5.0])
    assert list(dask_sweep.pareto_front(proxy, cost, np.arange(5))) == [0, 1]


def test_sweep_rejects_a_ragged_count(example_model_path):
    with pytest.raises(ValueError, match="multiple of batch_size"):
        dask_sweep.sweep(example_model_path, candidates=15, batch_size=10)


def test_profiling_farmed_out(client, synergy_program, data_dir):
    files = [str(data_dir / "prototxt" / "bvlc_cifar10_quick.prototxt"),
             str(data_dir / "prototxt" / "bvlc_lenet.prototxt")]
    text = dask_sweep.profile_networks(files, client=client, program=synergy_program)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["source"] for r in rows} == set(files)
    assert all(r["platform"].split("-worker-")[-1] != "" for r in rows)
    # Counts come through unchanged: cifar10_quick's conv1 is 32·32·32·5·5·3 = 2,457,600 MACs
    # (5×5, pad 2, 32 filters on 32×32×3).
    conv1 = [r for r in rows if r["layer"] == "conv1" and "cifar10" in r["source"]]
    assert conv1 and int(conv1[0]["macs"]) == 2_457_600


def test_the_example_runs_and_checks_itself(tmp_path):
    # examples/python/dask_sweep.py on its own LocalCluster of 2 workers, small sizes.
    import os
    import subprocess
    import sys
    from conftest import SOURCE_DIR
    r = subprocess.run([sys.executable, str(SOURCE_DIR / "examples" / "python" / "dask_sweep.py"),
                        "--workers", "2", "--candidates", "20000", "--batch", "10000",
                        "--blocks", "4", "--check"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=240,
                       # the package this test imported, whatever the working directory
                       env=dict(os.environ,
                                PYTHONPATH=os.path.dirname(os.path.dirname(synergy.__file__))))
    assert r.returncode == 0, r.stderr[-2000:]
    assert "sweep: 20,000 candidates on 2 workers" in r.stdout
    assert "result equal to the distributed one: True" in r.stdout
