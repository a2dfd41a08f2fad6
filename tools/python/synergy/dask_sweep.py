"""NAS sweeps and profiling campaigns spread over a Dask cluster (or run in one process).

Sweep: MobileNet-style candidates (see ``Model.estimate_mobilenet``) are drawn in batches, each
batch from its own seeded generator (``numpy.random.default_rng([seed, batch])``), so a batch
is the same whichever worker runs it. A worker estimates its batch in one call of the binding
and returns the batch's Pareto front; the client merges the fronts. The Pareto front of a
union is the front of the union of the parts' fronts, and ties are broken by the candidates'
global index, so the distributed result equals the single-process one exactly.

Accuracy proxy (stated, not measured): the candidate's parameter count. Within one family of
networks, more parameters mean more capacity and, to first order, higher accuracy; it is a
stand-in for a trained accuracy predictor, which a real search would put in its place. The
front maximises the proxy and minimises the predicted energy (or time).

Profiling: ``profile_networks`` runs ``synergy profile`` on each network file on a worker
(each worker stands for a machine or board) and merges the per-layer datasets into one CSV
with a ``platform`` column naming the worker.
"""
import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
import time

import numpy as np

from . import _synergy

#: Choices of the MobileNet-style search space.
RESOLUTIONS = (96, 128, 160, 192, 224)
STEM_CHANNELS = (8, 16, 24, 32)
KERNELS = (3, 5, 7)
STRIDES = (1, 2)
CHANNELS = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def random_candidates(count, blocks, seed, batch=0):
    """``count`` candidate rows (int64, ``2 + 3·blocks`` columns: resolution, stem channels,
    then kernel, stride, out_channels per block) from ``default_rng([seed, batch])``. At most
    4 blocks have stride 2, so every candidate keeps a feature map of at least 3×3."""
    rng = np.random.default_rng([seed, batch])
    rows = np.empty((count, 2 + 3 * blocks), dtype=np.int64)
    rows[:, 0] = rng.choice(RESOLUTIONS, count)
    rows[:, 1] = rng.choice(STEM_CHANNELS, count)
    strides = np.ones((count, blocks), dtype=np.int64)
    # Four stride-2 positions per candidate (the stem halves the input once more).
    keys = rng.random((count, blocks))
    picks = np.argsort(keys, axis=1)[:, :min(4, blocks)]
    np.put_along_axis(strides, picks, 2, axis=1)
    rows[:, 2::3] = rng.choice(KERNELS, (count, blocks))
    rows[:, 3::3] = strides
    rows[:, 4::3] = np.sort(rng.choice(CHANNELS, (count, blocks)), axis=1)  # widths grow
    return rows


def pareto_front(proxy, cost, index):
    """Indices (into the arrays) of the non-dominated points: maximal ``proxy``, minimal
    ``cost``. A point is kept when no other has cost ≤ and proxy ≥ with one strict; among
    exact ties the lowest ``index`` is kept. Sorted by cost ascending. NaN costs are dropped."""
    proxy, cost, index = np.asarray(proxy), np.asarray(cost), np.asarray(index)
    ok = np.flatnonzero(~np.isnan(cost))
    order = ok[np.lexsort((index[ok], -proxy[ok], cost[ok]))]
    p = proxy[order]
    best_before = np.concatenate(([-np.inf], np.maximum.accumulate(p)[:-1].astype(float)))
    return order[p > best_before]


def sweep_batch(model, batch, batch_size, blocks, seed, classes=1000):
    """Estimates one batch and returns its Pareto front as a dict of arrays: ``index`` (global
    candidate number), ``rows``, ``estimate`` (J or s), ``proxy`` (parameters), ``macs``;
    ``evaluated`` counts the candidates, ``invalid`` the NaN estimates, ``cpu_s`` the CPU
    seconds spent drawing, estimating and filtering. ``model``: a Model, a JSON path or dict."""
    t0 = time.process_time()
    if not isinstance(model, _synergy.Model):
        model = _synergy.Model.load(model)
    rows = random_candidates(batch_size, blocks, seed, batch)
    t1 = time.process_time()
    est, macs, params = model.estimate_mobilenet(rows, classes=classes, invalid="nan",
                                                 counts=True)
    t2 = time.process_time()
    index = batch * batch_size + np.arange(batch_size, dtype=np.int64)
    keep = pareto_front(params, est, index)
    return {"index": index[keep], "rows": rows[keep], "estimate": est[keep],
            "proxy": params[keep], "macs": macs[keep], "evaluated": batch_size,
            "invalid": int(np.isnan(est).sum()),
            # CPU seconds of this process: drawing candidates, estimating, the rest (front).
            "cpu_s": {"draw": t1 - t0, "estimate": t2 - t1, "front": time.process_time() - t2}}


def merge_fronts(parts):
    """The Pareto front of the union of batch fronts (dicts as sweep_batch returns)."""
    cat = {k: np.concatenate([p[k] for p in parts]) for k in
           ("index", "rows", "estimate", "proxy", "macs")}
    keep = pareto_front(cat["proxy"], cat["estimate"], cat["index"])
    out = {k: v[keep] for k, v in cat.items()}
    out["evaluated"] = sum(p["evaluated"] for p in parts)
    out["invalid"] = sum(p["invalid"] for p in parts)
    out["cpu_s"] = {k: sum(p["cpu_s"][k] for p in parts) for k in parts[0]["cpu_s"]}
    return out


def sweep(model, candidates, batch_size=250_000, blocks=13, seed=0, client=None,
          classes=1000):
    """Sweeps ``candidates`` (a multiple of ``batch_size``) MobileNet-style candidates and
    returns the merged Pareto front (see merge_fronts). ``client``: a dask.distributed Client
    (batches become tasks, the model is sent once as a dict), or None to run in this process.
    ValueError when candidates is not a positive multiple of batch_size."""
    if candidates <= 0 or candidates % batch_size:
        raise ValueError(f"sweep: candidates={candidates} must be a positive multiple of "
                         f"batch_size={batch_size}")
    if not isinstance(model, _synergy.Model):
        model = _synergy.Model.load(model)
    spec = model.to_dict()  # plain data: pickled once per worker, loaded there
    batches = range(candidates // batch_size)
    if client is None:
        parts = [sweep_batch(spec, b, batch_size, blocks, seed, classes) for b in batches]
    else:
        spec_future = client.scatter(spec, broadcast=True)
        # submit, not map: Client.map has a batch_size argument of its own.
        futures = [client.submit(sweep_batch, spec_future, b, batch_size, blocks, seed, classes,
                                 pure=False) for b in batches]
        parts = client.gather(futures)
    return merge_fronts(parts)


def synergy_program():
    """Path of the `synergy` program: $SYNERGY_PROGRAM, else `synergy` on PATH.
    FileNotFoundError naming both when neither exists."""
    path = os.environ.get("SYNERGY_PROGRAM") or shutil.which("synergy")
    if not path or not os.path.exists(path):
        raise FileNotFoundError("the synergy program: set SYNERGY_PROGRAM or put synergy on PATH")
    return path


def _worker_label():
    """The Dask worker's name when run on one, else host name and process id."""
    try:
        from distributed import get_worker
        return f"{socket.gethostname()}-worker-{get_worker().name}"
    except (ImportError, ValueError):
        return f"{socket.gethostname()}-{os.getpid()}"


def profile_network(path, platform=None, rounds=2, program=None):
    """Profiles one network file (or zoo name) with ``synergy profile`` (OpenBLAS backend, one
    thread, no power source: per-layer time; ``rounds`` ≥ 2) and returns its dataset rows as
    dicts, each with ``platform`` (default: the Dask worker's name, else host name and process
    id) and ``source`` (the file) added.
    RuntimeError with the program's message when it fails."""
    program = program or synergy_program()
    platform = platform or _worker_label()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([program, "profile", "--networks", str(path), "--backends", "openblas",
                            "--rounds", str(rounds), "--warmup", "0", "--source", "none",
                            "-o", out], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"synergy profile {path}: {r.stderr.strip() or r.stdout.strip()}")
        with open(os.path.join(out, "dataset.csv"), newline="") as f:
            # Lines starting with '#' describe the machine (OpenBLAS build, cores): the
            # platform column stands for them in the merged dataset.
            rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    for row in rows:
        row["platform"] = platform
        row["source"] = str(path)
    return rows


def profile_networks(paths, client=None, rounds=2, program=None):
    """Profiles every network file, one task each (on ``client``'s workers, or here when
    None), and returns the merged dataset as CSV text with a ``platform`` column naming the
    worker that measured each row (in real use: one worker per machine or board)."""
    if client is None:
        parts = [profile_network(p, rounds=rounds, program=program) for p in paths]
    else:
        futures = client.map(profile_network, list(paths), rounds=rounds, program=program,
                             pure=False)
        parts = client.gather(futures)
    rows = [r for part in parts for r in part]
    if not rows:
        raise ValueError("profile_networks: no rows (no networks given?)")
    fields = list(rows[0].keys())
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
