"""Centrality, as DataFrames indexed by entity id, on the one array engine
(:class:`~graphbuild.measures.arrays.ArrayGraph`: igraph's C code and scipy) at every size.

Measures (:data:`MEASURES`), computed on the edge column chosen with ``--weight`` (``weight``
by default; ``npmi`` is shifted to ``(npmi + 1) / 2`` so every tie is positive):

* ``degree``: number of neighbours; ``strength``: sum of edge weights (Barrat et al. 2004);
* ``betweenness`` (Freeman 1977; Brandes 2001), normalised as networkx does: exact up to
  :data:`BETWEENNESS_EXACT_MAX_NODES` nodes, above that estimated from seeded source nodes
  (Brandes & Pich 2007);
* ``closeness``: ``(r-1)/Σd`` scaled by ``(r-1)/(n-1)``, ``r`` the nodes reachable (the
  Wasserman & Faust correction, so it stays meaningful on a disconnected graph);
* ``harmonic``: ``Σ 1/d / (n-1)`` (Marchiori & Latora 2000; Rochat 2009), 0 for isolates;
* closeness and harmonic are exact up to :data:`CLOSENESS_EXACT_MAX_NODES` nodes, above
  that estimated from seeded source nodes (Eppstein & Wang 2004);
* ``eigenvector`` (Bonacich 1987), per connected component scaled by its share of nodes;
* ``pagerank`` (Brin & Page 1998), damping 0.85, igraph's PRPACK solver.

Path-based measures (betweenness, closeness, harmonic) treat a strong tie as a *short* path:
**distance = 1 / weight** (Opsahl, Agneessens & Skvoretz 2010; Newman 2001).

networkx's own algorithms are the test oracles (``tests/oracles.py``): on small graphs the
values here equal theirs.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.sparse.linalg import eigsh
from threadpoolctl import threadpool_limits

from graphbuild.core.fork import Forked
from graphbuild.measures.arrays import ArrayGraph, igraph_graph

__all__ = ["MEASURES", "centralities", "centralities_from_tables", "rank_correlation",
           "brokers", "betweenness_note", "top_overlap", "DISTANCE_NOTE"]

MEASURES = ("degree", "strength", "betweenness", "closeness", "harmonic", "eigenvector",
            "pagerank")

#: graphs with more nodes than this get sampled betweenness
BETWEENNESS_EXACT_MAX_NODES = 1000
#: number of source nodes sampled above that size
BETWEENNESS_SAMPLES = 500
#: graphs with more nodes than this get closeness/harmonic estimated from sampled sources
CLOSENESS_EXACT_MAX_NODES = 2000
#: number of source nodes sampled above that size
CLOSENESS_SAMPLES = 500
#: on big graphs each sampled source costs one Dijkstra over every edge, so the number of
#: sources is also capped by ``SAMPLE_BUDGET / edges`` (never below :data:`MIN_SAMPLES`):
#: 500 sources up to 100k edges, 50 at 1 M edges, 8 from 6 M edges on
SAMPLE_BUDGET = 5e7
MIN_SAMPLES = 8
#: sampled sources x edges above which the two halves of the sources run on two cores
PARALLEL_MIN_WORK = 2e7
#: components up to this size get their eigenvector from a dense eigendecomposition
DENSE_EIGEN_MAX_NODES = 1_000
#: what the report says about path lengths
DISTANCE_NOTE = ("Betweenness, closeness and harmonic centrality use path length = 1/weight "
                 "(a pair that co-occurs in more units is closer).")


def sample_size(n_nodes: int, n_edges: int, cap: int) -> int:
    """Sources sampled for a path measure on a graph of ``n_nodes``/``n_edges``: at most
    ``cap`` and at most :data:`SAMPLE_BUDGET` / ``n_edges`` (at least :data:`MIN_SAMPLES`),
    never more than the nodes.

    >>> sample_size(5_000, 50_000, 500), sample_size(250_000, 10_000_000, 500)
    (500, 8)
    """
    budget = max(MIN_SAMPLES, int(SAMPLE_BUDGET / max(n_edges, 1)))
    return max(0, min(n_nodes, cap, budget))


def betweenness_note(n_nodes: int, seed: int = 42, n_edges: int = 0,
                     stability: float | None = None) -> str:
    """How betweenness is computed for a graph of ``n_nodes`` nodes and ``n_edges`` edges,
    with its error: the Hoeffding bound every sampled value keeps (each source adds a term
    in [0, 1], so with k sources all ``n`` values are within ±sqrt(ln(2n/0.05) / 2k) of
    exact with probability 0.95), and ``stability``, the top-20 agreement of the two
    halves of the sources (:func:`centralities` measures it on the graph itself).

    >>> betweenness_note(10)
    'exact'
    >>> print(betweenness_note(250_000, 42, 10_000_000, 0.85))  # doctest: +NORMALIZE_WHITESPACE
    sampled from k=8 sources (seed 42; Brandes and Pich 2007): every value within ±1.00 of
    exact with probability 0.95 (Hoeffding); top-20 agreement of the two half-samples 0.85;
    closeness/harmonic estimated from 8 sources
    """
    if n_nodes <= BETWEENNESS_EXACT_MAX_NODES:
        return "exact"
    k = sample_size(n_nodes, n_edges, BETWEENNESS_SAMPLES)
    bound = min(1.0, math.sqrt(math.log(2 * n_nodes / 0.05) / (2 * k)))
    note = (f"sampled from k={k} sources (seed {seed}; Brandes and Pich 2007): every value "
            f"within ±{bound:.2f} of exact with probability 0.95 (Hoeffding)")
    if stability is not None:
        note += f"; top-20 agreement of the two half-samples {stability:.2f}"
    if n_nodes > CLOSENESS_EXACT_MAX_NODES:
        note += (f"; closeness/harmonic estimated from "
                 f"{sample_size(n_nodes, n_edges, CLOSENESS_SAMPLES)} sources")
    return note


def centralities(graph: nx.Graph | ArrayGraph, weight: str = "weight", seed: int = 42,
                 measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Centrality of every node, one column per measure.

    Parameters
    ----------
    graph : networkx.Graph or ArrayGraph
        The graph; a networkx graph is turned into an :class:`ArrayGraph` first (node ids
        as they are, an edge without ``weight`` counts 1).
    weight : str
        Edge attribute giving the tie strength (``npmi`` shifted to ``(npmi + 1) / 2``);
        ignored for an :class:`ArrayGraph`, which holds its ties already.
    seed : int
        Seed of the sampled sources on big graphs.
    measures : sequence of str, optional
        Which of :data:`MEASURES` (default: all).

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (``entity_id``), in the graph's node order, one float column
        per measure. Empty and disconnected graphs work (isolates get 0 for every path
        measure).

    Raises
    ------
    ValueError
        For an unknown measure.

    Examples
    --------
    >>> G = nx.path_graph(3)
    >>> centralities(G).loc[1, ["degree", "betweenness", "harmonic"]].tolist()
    [2.0, 1.0, 1.0]
    """
    measures = list(measures or MEASURES)
    bad = [m for m in measures if m not in MEASURES]
    if bad:
        raise ValueError(f"unknown measure(s) {', '.join(bad)}; choose from "
                         + ", ".join(MEASURES))
    ag = graph if isinstance(graph, ArrayGraph) else ArrayGraph.from_networkx(graph, weight)
    n = ag.n
    index = pd.Index(ag.ids, name="entity_id")
    if n == 0:
        return pd.DataFrame(columns=measures, index=index, dtype="float64")
    out: dict[str, np.ndarray] = {}
    if "degree" in measures:
        out["degree"] = (np.bincount(ag.src, minlength=n)
                         + np.bincount(ag.dst, minlength=n)).astype(np.float64)
    if "strength" in measures:
        out["strength"] = (np.bincount(ag.src, ag.tie, minlength=n)
                           + np.bincount(ag.dst, ag.tie, minlength=n))
    # a tie of strength 0 is infinitely long, a self-loop is no path
    path = (ag.tie > 0) & (ag.src != ag.dst)
    src, dst = ag.src[path], ag.dst[path]
    with np.errstate(divide="ignore"):
        dist = 1.0 / ag.tie[path]
    stability = None
    if "betweenness" in measures:
        shared = ag.igraph() if path.all() else None
        out["betweenness"], halves = betweenness_arrays(n, src, dst, dist, seed, ag.m,
                                                        graph=shared, halves=True)
        stability = top_overlap(*halves)
    if "closeness" in measures or "harmonic" in measures:
        out["closeness"], out["harmonic"] = closeness_harmonic_arrays(n, src, dst, dist,
                                                                      seed, ag.m)
    if "eigenvector" in measures:
        out["eigenvector"] = eigenvector(ag)
    if "pagerank" in measures:
        out["pagerank"] = pagerank(ag)
    frame = pd.DataFrame({m: out[m] for m in measures}, index=index).astype("float64")
    if stability is not None:
        # how far to trust the betweenness ranking: top-20 agreement of the two halves of
        # the sampled sources (1.0 when exact); the report and build.json state it
        frame.attrs["betweenness_stability"] = stability
    return frame


def centralities_from_tables(entities: pd.DataFrame, edges: pd.DataFrame,
                             weight: str = "weight", seed: int = 42,
                             measures: Sequence[str] | None = None,
                             graph: ArrayGraph | None = None) -> pd.DataFrame:
    """:func:`centralities` of the graph of ``entities``/``edges``, indexed by entity id in
    ``entities`` order.

    Parameters
    ----------
    entities, edges : pandas.DataFrame
        The tables (``entity_id``; ``source``, ``target`` and the ``weight`` column).
    weight : str
        The edge column that drives the measures (``--weight``).
    seed : int
        Seed of the sampled sources on big graphs.
    measures : sequence of str, optional
        Which of :data:`MEASURES` (default: all).
    graph : ArrayGraph, optional
        The array graph of these tables, when the caller built it already (it is shared
        with the community detection).

    Returns
    -------
    pandas.DataFrame
        One float column per measure, indexed by entity id.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"]})
    >>> eds = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]})
    >>> centralities_from_tables(ents, eds).loc["b", ["degree", "betweenness"]].tolist()
    [2.0, 1.0]
    """
    graph = graph if graph is not None else ArrayGraph.from_tables(entities, edges, weight)
    return centralities(graph, seed=seed, measures=measures)


def betweenness_arrays(n: int, src: np.ndarray, dst: np.ndarray, dist: np.ndarray,
                       seed: int = 42, n_edges: int | None = None, graph=None,
                       samples: int | None = None, halves: bool = False):
    """Normalised betweenness on ``distance`` with igraph's C Brandes algorithm, for the
    graph of ``n`` nodes and edges ``src[i] - dst[i]`` of length ``dist[i]``.

    Exact: unordered-pair dependency sums / ((n-1)(n-2)/2). Sampled (above
    :data:`BETWEENNESS_EXACT_MAX_NODES`, or when ``samples`` is given): ``samples`` (default
    :func:`sample_size`) sources, drawn as ``random.Random(seed).sample`` of the nodes (as
    networkx draws them), and the sums are scaled as networkx's
    ``betweenness_centrality(k=...)`` does (a sampled source is not its own endpoint, so it
    is scaled by k-1). igraph compares path lengths with a tiny tolerance, so two paths
    whose 1/weight sums differ only by rounding (0.1 + 0.1 + 0.1 vs 0.3) are both shortest.
    ``graph`` is an igraph graph of these edges, if one is built.

    ``halves``: also return the estimates of the two halves of the sources, each scaled on
    its own (no extra work: the whole estimate is their sum), whose agreement
    (:func:`top_overlap`) says how stable the ranking is. Exact values are their own
    halves.

    >>> betweenness_arrays(3, np.array([0, 1]), np.array([1, 2]), np.array([1.0, 1.0])).tolist()
    [0.0, 1.0, 0.0]
    """
    if n <= 2:
        zeros = np.zeros(n)
        return (zeros, (zeros, zeros)) if halves else zeros
    g = graph if graph is not None else igraph_graph(n, src, dst)
    weights = dist.tolist() if len(dist) else None
    if samples is None and n <= BETWEENNESS_EXACT_MAX_NODES or samples is not None \
            and samples >= n:
        raw = np.asarray(g.betweenness(weights=weights, directed=False), np.float64)
        exact = raw * (2.0 / ((n - 1) * (n - 2)))
        return (exact, (exact, exact)) if halves else exact
    k = samples if samples is not None else sample_size(
        n, len(src) if n_edges is None else n_edges, BETWEENNESS_SAMPLES)
    # random.sample picks positions, so sampling range(n) picks the nodes networkx would
    sources = random.Random(seed).sample(range(n), k)
    parts = [sources[:k // 2], sources[k // 2:]] if k >= 2 else [sources]

    def dependencies(part: list[int]) -> np.ndarray:
        return np.asarray(g.betweenness(weights=weights, directed=False, sources=part,
                                        targets=None), np.float64)

    # the second half in a forked child (the graph is shared, not copied) while this
    # process computes the first, when the work is worth a fork: one extra process only
    if len(parts) > 1 and k * len(src) >= PARALLEL_MIN_WORK:
        second = Forked(dependencies, parts[1])
        raws = [dependencies(parts[0]), second.result()]
    else:
        raws = [dependencies(part) for part in parts]
    estimates = [_scaled(raw, part, n) for raw, part in zip(raws, parts, strict=True)]
    whole = _scaled(raws[0] + raws[-1], sources, n) if len(parts) > 1 else estimates[0]
    if not halves:
        return whole
    return whole, (estimates[0], estimates[-1])


def _scaled(raw: np.ndarray, sources: list[int], n: int) -> np.ndarray:
    """Dependency sums from ``sources`` scaled to the all-pairs normalisation."""
    k = len(sources)
    per = np.full(n, float(k))
    per[sources] = k - 1
    return 2.0 * raw / (np.maximum(per, 1.0) * (n - 2))


def top_overlap(a: np.ndarray, b: np.ndarray, k: int = 20) -> float:
    """Share of the ``k`` highest values of ``a`` that are among the ``k`` highest of ``b``
    (ties broken by position, as every ranking of graphbuild breaks them by id).

    >>> top_overlap(np.array([5, 4, 3, 2, 1.0]), np.array([5, 1, 4, 3, 2.0]), k=2)
    0.5
    """
    k = min(k, len(a))
    if k == 0:
        return 1.0
    top_a = set(np.argsort(-np.asarray(a), kind="stable")[:k].tolist())
    top_b = set(np.argsort(-np.asarray(b), kind="stable")[:k].tolist())
    return len(top_a & top_b) / k


def closeness_harmonic_arrays(n: int, src: np.ndarray, dst: np.ndarray, dist: np.ndarray,
                              seed: int = 42, n_edges: int | None = None, block: int = 256,
                              samples: int | None = None, exact: bool = False,
                              ) -> tuple[np.ndarray, np.ndarray]:
    """Closeness (Wasserman-Faust) and normalised harmonic centrality from shortest
    distances (scipy's Dijkstra, block by block: no n x n matrix in memory).

    Up to :data:`CLOSENESS_EXACT_MAX_NODES` nodes every node is a source (exact). Above,
    distances come from :func:`sample_size` seeded source nodes (at most
    :data:`CLOSENESS_SAMPLES`) and each node's averages over the sources estimate its
    averages over all nodes (Eppstein & Wang 2004): closeness = (share of sources reached)
    / (mean distance to them), harmonic = mean of 1/d over the sources (0 for unreached) —
    both exact when the sources are all nodes.

    >>> c, h = closeness_harmonic_arrays(3, np.array([0, 1]), np.array([1, 2]),
    ...                                  np.array([1.0, 1.0]))
    >>> c.tolist(), h.tolist()
    ([0.6666666666666666, 1.0, 0.6666666666666666], [0.75, 1.0, 0.75])
    """
    close = np.zeros(n)
    harm = np.zeros(n)
    if n < 2:
        return close, harm
    # each edge once: with directed=False scipy walks the matrix and its transpose, so the
    # mirrored copy would only double the memory and the edges each Dijkstra scans
    A = csr_matrix((dist, (src, dst)), shape=(n, n))
    if exact or (samples is None and n <= CLOSENESS_EXACT_MAX_NODES) or (
            samples is not None and samples >= n):
        sources = np.arange(n)
    else:
        k = samples if samples is not None else sample_size(
            n, len(src) if n_edges is None else n_edges, CLOSENESS_SAMPLES)
        sources = np.array(sorted(random.Random(seed).sample(range(n), k)), dtype=np.int64)
    reached = np.zeros(n)      # sources reaching each node (itself left out)
    total = np.zeros(n)        # sum of distances from those sources
    inverse = np.zeros(n)      # sum of 1/distance
    for start in range(0, len(sources), block):
        idx = sources[start:start + block]
        D = dijkstra(A, directed=False, indices=idx)
        D[np.arange(len(idx)), idx] = np.inf          # a source is not its own target
        finite = np.isfinite(D)
        reached += finite.sum(axis=0)
        total += np.where(finite, D, 0.0).sum(axis=0)
        with np.errstate(divide="ignore"):
            inverse += np.where(finite, 1.0 / D, 0.0).sum(axis=0)
    is_source = np.zeros(n, dtype=bool)
    is_source[sources] = True
    others = len(sources) - is_source            # sources other than the node itself
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(others > 0, reached / others, 0.0)
        mean_d = np.where(reached > 0, total / reached, np.inf)
        close = np.where(reached > 0, share / mean_d, 0.0)
        harm = np.where(others > 0, inverse / others, 0.0)
    return close, harm


def eigenvector(ag: ArrayGraph) -> np.ndarray:
    """Eigenvector centrality per connected component (the leading eigenvector of the
    component's weighted adjacency, non-negative, unit L2 norm), times the component's share
    of nodes; 0 for isolates. Bonacich (1987).

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": list("abcde")}),
    ...     pd.DataFrame({"source": ["a", "b", "d"], "target": ["b", "c", "e"],
    ...                   "weight": [1, 1, 1]}))
    >>> np.round(eigenvector(ag), 4).tolist()
    [0.3, 0.4243, 0.3, 0.2828, 0.2828]
    """
    n = ag.n
    out = np.zeros(n)
    if ag.m == 0:
        return out
    A = ag.adjacency()
    n_comp, label = connected_components(A, directed=False)
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(n_comp + 1))
    for c in range(n_comp):
        members = order[bounds[c]:bounds[c + 1]]
        if len(members) < 2:
            continue
        # the giant component is often the whole graph: then no copy of the matrix
        sub = A if len(members) == n else A[members][:, members]
        if len(members) <= DENSE_EIGEN_MAX_NODES:
            _, vecs = np.linalg.eigh(sub.toarray())
            vec = vecs[:, -1]
        else:
            # Lanczos from a positive start vector converges to the Perron vector
            _, vecs = eigsh(sub.astype(np.float64, copy=False), k=1, which="LA",
                            v0=np.ones(len(members)), tol=1e-10)
            vec = vecs[:, 0]
        vec = np.abs(vec)
        norm = np.linalg.norm(vec)
        if norm > 0:
            out[members] = vec / norm * (len(members) / n)
    return out


def pagerank(ag: ArrayGraph, damping: float = 0.85) -> np.ndarray:
    """PageRank of every vertex (Brin & Page 1998): igraph's PRPACK solver on the tie
    strengths, uniform teleport; an isolated vertex spreads its rank uniformly, as
    networkx's ``pagerank`` does with dangling nodes.

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": ["a", "b", "c"]}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]}))
    >>> np.round(pagerank(ag), 4).tolist()
    [0.2568, 0.4865, 0.2568]
    """
    n = ag.n
    if n == 0:
        return np.zeros(0)
    if ag.m == 0:
        return np.full(n, 1.0 / n)
    # one OpenMP thread: PRPACK's parallel sums add in a varying order, so rebuilds would
    # differ in the last bits (and flip ties in every ranking); one thread is bit-stable
    with threadpool_limits(limits=1, user_api="openmp"):
        values = ag.igraph().pagerank(weights=ag.tie.tolist(), directed=False,
                                      damping=damping)
    return np.asarray(values, dtype=np.float64)


def rank_correlation(centrality: pd.DataFrame, method: str = "spearman") -> pd.DataFrame:
    """Rank correlation between every pair of measures.

    Parameters
    ----------
    centrality : pandas.DataFrame
        Measures indexed by entity id.
    method : str
        ``spearman`` (Spearman's rho) or ``kendall``.

    Returns
    -------
    pandas.DataFrame
        Measures by measures; a constant measure (all nodes equal) has no ranking: its row
        and column are NaN.

    Raises
    ------
    ValueError
        For another method.

    Examples
    --------
    >>> c = pd.DataFrame({"degree": [1, 2, 3], "pagerank": [0.1, 0.3, 0.2]})
    >>> rank_correlation(c).loc["degree", "pagerank"]
    np.float64(0.5)
    """
    if method not in ("spearman", "kendall"):
        raise ValueError("method must be 'spearman' or 'kendall'")
    cols = [c for c in centrality.columns if c in MEASURES] or list(centrality.columns)
    return centrality[cols].astype("float64").corr(method=method)


def brokers(centrality: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Entities with high betweenness relative to their degree.

    ``broker_score`` = percentile rank of betweenness − percentile rank of degree (both in
    (0, 1], ties averaged): positive when an entity lies on more shortest paths than its
    number of contacts would suggest — it bridges groups rather than being a hub inside one.

    Parameters
    ----------
    centrality : pandas.DataFrame
        Measures indexed by entity id (``degree`` and ``betweenness`` at least).
    n : int
        How many to return.

    Returns
    -------
    pandas.DataFrame
        ``degree, betweenness, broker_score`` of the entities with betweenness > 0, sorted
        by score, then betweenness, then id.

    Examples
    --------
    >>> c = pd.DataFrame({"degree": [5, 2, 1, 1], "betweenness": [0.2, 0.6, 0.0, 0.0]},
    ...                  index=["hub", "bridge", "x", "y"])
    >>> brokers(c).index.tolist()
    ['bridge', 'hub']
    """
    if centrality.empty or "betweenness" not in centrality or "degree" not in centrality:
        return pd.DataFrame(columns=["degree", "betweenness", "broker_score"], dtype="float64")
    score = (centrality["betweenness"].rank(pct=True) - centrality["degree"].rank(pct=True))
    frame = centrality[["degree", "betweenness"]].assign(broker_score=score)
    frame = frame[frame["betweenness"] > 0]
    order = np.lexsort((frame.index.astype(str), -frame["betweenness"].to_numpy(),
                        -frame["broker_score"].to_numpy()))
    return frame.iloc[order].head(n)
