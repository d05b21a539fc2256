"""The sampled betweenness keeps the error it states (issue 20).

On a graph just above the exact-size limit, networkx's exact weighted betweenness is the
oracle: every sampled value must lie within the Hoeffding bound the build writes in its
note, the two half-samples must add up to the whole estimate, and a sample of every node
must give the exact values.
"""

from __future__ import annotations

import math
import random
import re

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphbuild as gb
from graphbuild.measures import centrality as c
from graphbuild.measures.arrays import ArrayGraph


@pytest.fixture(scope="module")
def graph():
    rng = random.Random(5)
    G = nx.powerlaw_cluster_graph(1100, 3, 0.3, seed=5)
    for u, v in G.edges:
        # powers of two: every 1/weight path length is exact in floating point, so
        # networkx (exact comparisons) and igraph (a tolerance) see the same shortest paths
        G[u][v]["weight"] = rng.choice([1, 2, 4, 8])
    ag = ArrayGraph.from_networkx(G)
    for _, _, d in G.edges(data=True):
        d["length"] = 1.0 / d["weight"]
    exact = nx.betweenness_centrality(G, weight="length")
    return G, ag, np.array([exact[node] for node in ag.ids])


def test_sampled_values_keep_the_stated_bound(graph):
    G, ag, exact = graph
    assert ag.n > c.BETWEENNESS_EXACT_MAX_NODES       # the sampled path
    k = c.sample_size(ag.n, ag.m, c.BETWEENNESS_SAMPLES)
    note = c.betweenness_note(ag.n, 42, ag.m)
    bound = float(re.search(r"within ±([0-9.]+)", note).group(1))
    assert bound == pytest.approx(math.sqrt(math.log(2 * ag.n / 0.05) / (2 * k)), abs=0.005)
    for seed in (1, 2, 3):
        est = c.betweenness_arrays(ag.n, ag.src, ag.dst, 1.0 / ag.tie, seed, ag.m)
        assert np.abs(est - exact).max() <= bound
        # and the ranking it gives is close to the exact one where it matters
        assert c.top_overlap(est, exact) >= 0.8


def test_halves_add_up_and_a_full_sample_is_exact(graph):
    _, ag, exact = graph
    dist = 1.0 / ag.tie
    whole, (a, b) = c.betweenness_arrays(ag.n, ag.src, ag.dst, dist, 7, ag.m, halves=True)
    k = c.sample_size(ag.n, ag.m, c.BETWEENNESS_SAMPLES)
    # each half is a mean over its k/2 sources: their average is the mean over all k
    # (up to the source's own-term correction, which differs by one source per node)
    assert np.allclose((a + b) / 2, whole, atol=2.0 / k)
    full = c.betweenness_arrays(ag.n, ag.src, ag.dst, dist, samples=ag.n)
    assert np.allclose(full, exact, rtol=1e-9, atol=1e-12)


def test_the_build_states_method_bound_and_stability(tmp_path):
    # a generated corpus big enough for sampled betweenness
    from benchmarks.generate import generate

    corpus = generate(300, seed=3, out=tmp_path / "corpus")
    eg = gb.build(corpus)
    assert len(eg.entities) > c.BETWEENNESS_EXACT_MAX_NODES
    note = eg.settings["betweenness"]
    assert note.startswith("sampled from k=")
    stability = float(re.search(r"half-samples ([0-9.]+)", note).group(1))
    assert 0.0 <= stability <= 1.0
    out = tmp_path / "out"
    eg.export(out)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "within ±" in md and "half-samples" in md
    assert pd.read_csv(out / "nodes.csv")["betweenness"].notna().all()
