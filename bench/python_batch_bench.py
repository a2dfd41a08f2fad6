#!/usr/bin/env python3
"""Throughput of the batched estimate through the Python binding (issue 16's goal: at least
1 M candidate estimates per second per core).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_batch_bench.py

One process, one thread: estimates per CPU second of the process, i.e. per core. Prints, for
MobileNet-style candidates of several depths, the batched rate (Model.estimate_mobilenet over a
NumPy array), its ratio to the 1 M/s goal, and its ratio to a Python loop that builds each
candidate as a Network and estimates it (what a search without the batch call would pay).
The batched path memoises each (input shape, block) it has seen in the call, so its rate
depends on how often blocks repeat: the rows of synergy.dask_sweep's search space repeat a
lot; the last line ("13*") draws every block width from 1..4096 instead, so that nearly
every block is new (the memo's worst case). Build the module with -DCMAKE_BUILD_TYPE=Release:
a Debug build is about two orders of magnitude slower.
"""
import argparse
import os
import time

import numpy as np

import synergy
from synergy.dask_sweep import random_candidates

HERE = os.path.dirname(os.path.abspath(__file__))
GOAL = 1_000_000


def best_rate(fn, count, repeats):
    """Estimates per CPU second of this process (per core: the work is single-threaded), the
    best of ``repeats``: CPU time, not wall time, so other jobs on a shared machine do not
    count against it."""
    best = float("inf")
    for _ in range(repeats):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return count / best


def main():
    ap = argparse.ArgumentParser(description="batched-estimate throughput of the binding")
    ap.add_argument("--candidates", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--model", default=os.path.join(HERE, "..", "examples", "python",
                                                    "example_energy_model.json"))
    a = ap.parse_args()
    if not synergy._synergy.build_optimized:
        print("warning: the module was built without optimisation (Debug): figures are not "
              "representative; configure with -DCMAKE_BUILD_TYPE=Release")
    model = synergy.Model.load(a.model)
    print(f"{'blocks':>6} {'layers':>6} {'batched est/s':>14} {'÷ 1 M goal':>10} "
          f"{'loop est/s':>11} {'batched ÷ loop':>14}")
    for blocks, label in ((4, "4"), (7, "7"), (13, "13"), (13, "13*")):
        rows = random_candidates(a.candidates, blocks, seed=1)
        if label.endswith("*"):  # widths from 1..4096, sorted: nearly every block new
            widths = np.random.default_rng(2).integers(1, 4097, (len(rows), blocks))
            rows[:, 4::3] = np.sort(widths, axis=1)
        layers = len(synergy.mobilenet_candidate(rows[0])) - 1
        batched = best_rate(lambda: model.estimate_mobilenet(rows), len(rows), a.repeats)
        few = rows[:max(1, a.candidates // 200)]
        loop = best_rate(lambda: [model.estimate(synergy.mobilenet_candidate(r)) for r in few],
                         len(few), a.repeats)
        print(f"{label:>6} {layers:>6} {batched:>14,.0f} {batched / GOAL:>10.2f} "
              f"{loop:>11,.0f} {batched / loop:>14.1f}")


if __name__ == "__main__":
    main()
