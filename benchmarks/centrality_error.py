"""How far graphbuild's sampled path measures are from the exact values.

Builds (or reuses) the graph of a generated corpus, computes exact weighted betweenness
and harmonic centrality with igraph / scipy (every node a source, split over the cores;
cached under ``benchmarks/data/``, never timed in tests), then the build's estimator at
several sample sizes, and prints for each: seconds, top-20 overlap and Spearman over all
nodes against exact, and the top-20 overlap between the two half-samples (what the report
shows as stability).

    python -m benchmarks.centrality_error --docs 10000
    python -m benchmarks.centrality_error --docs 10000 --samples 96 500 1000 2000
    python -m benchmarks.centrality_error --seeds-of /tmp/graphbuild-bench/out-251287

``--seeds-of FOLDER``: for a folder a build wrote (too big for an exact reference), the
build's estimate under seeds 42 and 43 and the top-20 overlap between them.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from graphbuild.core.fork import fork_map
from graphbuild.measures.arrays import ArrayGraph
from graphbuild.measures.centrality import (
    betweenness_arrays,
    closeness_harmonic_arrays,
    top_overlap,
)

DATA = Path(__file__).resolve().parent / "data"


def graph_of(docs: int) -> ArrayGraph:
    """The graph the build makes of the generated corpus of ``docs`` cables."""
    folder = DATA / f"graph-{docs}"
    if not (folder / "edges.parquet").is_file():
        import graphbuild as gb
        from benchmarks.generate import generate
        corpus = DATA / str(docs)
        if not corpus.is_dir():
            generate(docs, out=corpus)
        gb.build(corpus).export(folder)
    return ArrayGraph.from_tables(pd.read_parquet(folder / "entities.parquet"),
                                  pd.read_parquet(folder / "edges.parquet"))


def _exact_part(args):
    n, src, dst, dist, vertices = args
    import igraph
    g = igraph.Graph(n=n, edges=np.column_stack([src, dst]).tolist(), directed=False)
    weights = dist.tolist()
    between = np.asarray(g.betweenness(weights=weights, directed=False, sources=vertices,
                                       targets=None), np.float64)
    harmonic = np.asarray(g.harmonic_centrality(vertices=vertices, weights=weights,
                                                normalized=True), np.float64)
    return between, vertices, harmonic


def exact(ag: ArrayGraph, docs: int, workers: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact normalised betweenness and harmonic centrality (cached): igraph, every node a
    source, the sources split over ``workers`` forked processes."""
    cache = DATA / f"exact-{docs}.npz"
    if cache.is_file():
        data = np.load(cache)
        return data["betweenness"], data["harmonic"]
    n = ag.n
    src, dst, dist = ag.src, ag.dst, 1.0 / ag.tie
    parts = np.array_split(np.arange(n), workers * 8)
    t = time.perf_counter()
    raw, harmonic = np.zeros(n), np.zeros(n)
    for between, vertices, harm in fork_map(
            _exact_part, [(n, src, dst, dist, p.tolist()) for p in parts], workers):
        raw += between
        harmonic[vertices] = harm
    betweenness = raw * (2.0 / ((n - 1) * (n - 2)))
    print(f"exact: {time.perf_counter() - t:.0f} s on {workers} processes")
    np.savez(cache, betweenness=betweenness, harmonic=harmonic)
    return betweenness, harmonic


def two_seeds(folder: Path) -> None:
    """Top-20 overlap of the build's betweenness under two seeds, and of each one's halves."""
    ag = ArrayGraph.from_tables(pd.read_parquet(folder / "entities.parquet"),
                                pd.read_parquet(folder / "edges.parquet"))
    print(f"{folder}: {ag.n:,} entities, {ag.m:,} edges")
    estimates = {}
    for seed in (42, 43):
        t = time.perf_counter()
        estimates[seed], halves = betweenness_arrays(ag.n, ag.src, ag.dst, 1.0 / ag.tie, seed,
                                                     ag.m, halves=True)
        print(f"seed {seed}: {time.perf_counter() - t:.1f} s, top-20 half vs half "
              f"{top_overlap(*halves):.2f}")
    print(f"top-20 overlap between the seeds: {top_overlap(estimates[42], estimates[43]):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--samples", type=int, nargs="*", default=[])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--exact-only", action="store_true", help="compute the cache and stop")
    ap.add_argument("--seeds-of", help="a built folder: two seeds' top-20 overlap")
    args = ap.parse_args()
    if args.seeds_of:
        two_seeds(Path(args.seeds_of))
        return
    ag = graph_of(args.docs)
    print(f"{args.docs:,} cables: {ag.n:,} entities, {ag.m:,} edges")
    true_b, true_h = exact(ag, args.docs, args.workers)
    if args.exact_only:
        return
    src, dst, dist = ag.src, ag.dst, 1.0 / ag.tie
    print("| measure | sources | seconds | top-20 vs exact | Spearman vs exact | "
          "top-20 half vs half |")
    print("|---|---|---|---|---|---|")
    for k in args.samples or [None]:
        t = time.perf_counter()
        est, halves = betweenness_arrays(ag.n, src, dst, dist, samples=k, halves=True)
        dt = time.perf_counter() - t
        rho = spearmanr(est, true_b).statistic
        print(f"| betweenness | {k or 'default'} | {dt:.1f} | "
              f"{top_overlap(est, true_b):.2f} | {rho:.3f} | "
              f"{top_overlap(*halves):.2f} |")
        t = time.perf_counter()
        _, harm = closeness_harmonic_arrays(ag.n, src, dst, dist, samples=k)
        dt = time.perf_counter() - t
        print(f"| harmonic | {k or 'default'} | {dt:.1f} | {top_overlap(harm, true_h):.2f} | "
              f"{spearmanr(harm, true_h).statistic:.3f} | |")


if __name__ == "__main__":
    main()
