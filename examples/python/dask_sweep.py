"""A NAS sweep and a profiling campaign spread over a Dask cluster (issue 16).

    PYTHONPATH=build/release/python /usr/bin/python3 examples/python/dask_sweep.py --check
    ... --scheduler tcp://10.0.0.5:8786          # a real cluster (`dask-scheduler` there)
    ... --profile a.onnx b.onnx --out merged.csv # each worker profiles files (a board each)

(a) Sweeps --candidates MobileNet-style candidates (default 10⁷ of 7 blocks: 47 layers each)
in batches of --batch over the workers: each batch is one call of Model.estimate_mobilenet
(GIL released), each worker returns its batch's Pareto front of (accuracy proxy = parameter
count, predicted energy), the client merges them. --check runs the same sweep in this process too and asserts
the results are equal. (b) With --profile, `synergy profile` runs on the workers, one task per
file, and the datasets are merged into one CSV with a platform column naming the worker.

Without --scheduler a LocalCluster of --workers processes with one thread each is started.
The model defaults to examples/python/example_energy_model.json (illustrative coefficients,
not a measurement: fit your own with `synergy fit`).
"""
import argparse
import os
import time

import numpy as np

import synergy
from synergy import dask_sweep

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--candidates", type=int, default=10_000_000)
    ap.add_argument("--batch", type=int, default=250_000, help="candidates per task")
    ap.add_argument("--blocks", type=int, default=7, help="depthwise-separable blocks")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default=os.path.join(HERE, "example_energy_model.json"))
    ap.add_argument("--check", action="store_true", help="also run in this process; compare")
    ap.add_argument("--profile", nargs="*", default=[], help="network files to profile")
    ap.add_argument("--out", default="merged_dataset.csv", help="merged profiling CSV")
    a = ap.parse_args()

    from distributed import Client, LocalCluster
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        client = Client(LocalCluster(n_workers=a.workers, processes=True, threads_per_worker=1,
                                     dashboard_address=None))
    model = synergy.Model.load(a.model)
    kw = dict(candidates=a.candidates, batch_size=a.batch, blocks=a.blocks, seed=a.seed)

    t = time.perf_counter()
    front = dask_sweep.sweep(model, client=client, **kw)
    dt = time.perf_counter() - t
    workers = len(client.scheduler_info()["workers"])
    cpu = front["cpu_s"]
    print(f"sweep: {front['evaluated']:,} candidates on {workers} workers in {dt:.2f} s wall "
          f"({front['evaluated'] / dt / 1e6:.2f} M estimates/s); {front['invalid']} invalid")
    print(f"  worker CPU: {cpu['draw']:.2f} s drawing candidates (NumPy), {cpu['estimate']:.2f} s "
          f"estimating ({front['evaluated'] / cpu['estimate'] / 1e6:.2f} M estimates per CPU "
          f"second), {cpu['front']:.2f} s Pareto filtering")
    print(f"Pareto front (max parameters, min {model.quantity} in {model.unit}): "
          f"{len(front['index'])} candidates")
    for i in np.linspace(0, len(front["index"]) - 1, min(5, len(front["index"]))).astype(int):
        print(f"  #{front['index'][i]:>9}  {front['estimate'][i]:.4e} {model.unit}  "
              f"{front['proxy'][i]:>11,} params  {front['macs'][i]:>13,} MACs  "
              f"res {front['rows'][i][0]}")

    if a.check:
        t = time.perf_counter()
        single = dask_sweep.sweep(model, client=None, **kw)
        ds = time.perf_counter() - t
        same = all(np.array_equal(front[k], single[k])
                   for k in ("index", "rows", "estimate", "proxy", "macs"))
        print(f"single process: {ds:.2f} s; result equal to the distributed one: {same}")
        if not same:
            raise SystemExit("the distributed front differs from the single-process one")

    if a.profile:
        text = dask_sweep.profile_networks(a.profile, client=client)
        with open(a.out, "w") as f:
            f.write(text)
        print(f"profiled {len(a.profile)} networks on the workers → {a.out} "
              f"({text.count(chr(10)) - 1} layer rows)")
    client.close()


if __name__ == "__main__":
    main()
