"""An experiment for issue 20 (not in the build): how many of the nodes whose exact
betweenness is 0 a local test certifies, and what ranking them below every uncertified node
does to the sampled estimate's Spearman correlation with exact betweenness.

The test: node v lies on no shortest path (betweenness exactly 0) when every two of its
neighbours u, w are joined by an edge shorter than the way through v:
len(u, w) < len(u, v) + len(v, w), with len = 1/weight (strictly, with a 1e-9 margin), or
by a path through another neighbour of v that is shorter (neighbourhoods up to 150).
Co-occurrence graphs are made of paragraph cliques, so most peripheral nodes pass.

    python -m benchmarks.zero_certificates --docs 10000 --samples 96 1000

Uses the exact values cached by ``benchmarks.centrality_error`` (``benchmarks/data``).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp
from scipy.stats import spearmanr

from benchmarks.centrality_error import exact, graph_of, top_overlap
from graphbuild.measures.centrality import betweenness_arrays

MAX_DEGREE = 400
TWO_HOP_DEGREE = 150


def certified_zeros(n: int, src: np.ndarray, dst: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """Nodes the local test proves to have betweenness 0 (degree up to MAX_DEGREE)."""
    a = sp.coo_matrix((np.r_[dist, dist], (np.r_[src, dst], np.r_[dst, src])),
                      shape=(n, n)).tocsr()
    out = np.zeros(n, dtype=bool)
    for v in range(n):
        lo, hi = a.indptr[v], a.indptr[v + 1]
        nb, lv = a.indices[lo:hi], a.data[lo:hi]
        if len(nb) > MAX_DEGREE:
            continue
        if len(nb) < 2:
            out[v] = True
            continue
        sub = a[nb][:, nb].toarray()
        sub[sub == 0] = np.inf                       # not adjacent
        if len(nb) <= TWO_HOP_DEGREE and np.isinf(sub).sum() > len(nb):
            # or joined through another neighbour x of v: len(u, x) + len(x, w)
            sub = np.minimum(sub, (sub[:, :, None] + sub[None, :, :]).min(axis=1))
        via = lv[:, None] + lv[None, :]
        ok = sub < via * (1 - 1e-9)
        np.fill_diagonal(ok, True)
        out[v] = bool(ok.all())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--samples", type=int, nargs="*", default=[96])
    args = ap.parse_args()
    ag = graph_of(args.docs)
    true_b, _ = exact(ag, args.docs, 1)
    dist = 1.0 / ag.tie
    t = time.perf_counter()
    zero = certified_zeros(ag.n, ag.src, ag.dst, dist)
    dt = time.perf_counter() - t
    exact_zero = true_b == 0
    print(f"{ag.n:,} nodes, {ag.m:,} edges; exact zeros {exact_zero.sum():,} "
          f"({exact_zero.mean():.1%}); certified {zero.sum():,} in {dt:.1f} s, of which "
          f"wrong (exact > 0): {int((zero & ~exact_zero).sum())}; exact zeros certified: "
          f"{(zero & exact_zero).sum() / max(1, exact_zero.sum()):.1%}")
    print("| sources | Spearman, estimate | Spearman, certified zeros ranked last | "
          "top-20 vs exact |")
    print("|---|---|---|---|")
    for k in args.samples:
        est = betweenness_arrays(ag.n, ag.src, ag.dst, dist, samples=k)
        ranked = est + np.where(zero, 0.0, 1e-300)   # the uncertified above the certified
        ranked[zero] = 0.0
        print(f"| {k} | {spearmanr(est, true_b).statistic:.3f} | "
              f"{spearmanr(ranked, true_b).statistic:.3f} | {top_overlap(est, true_b):.2f} |")


if __name__ == "__main__":
    main()
