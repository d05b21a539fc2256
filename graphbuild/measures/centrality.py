"""Analyse stage: centrality, brokers and communities, as DataFrames indexed by entity id.

Functions take a networkx graph (nodes = entity ids, edges carrying the edge-table columns)
or plain tables, so another engine (igraph, a compact engine for big graphs) can produce the
same frames.

Measures (:data:`MEASURES`), computed on the edge column chosen with ``--weight`` (``weight``
by default; ``npmi`` is shifted to ``(npmi + 1) / 2`` so every tie is positive):

* ``degree``: number of neighbours; ``strength``: sum of edge weights (Barrat et al. 2004);
* ``betweenness`` (Freeman 1977; Brandes 2001), normalised: exact up to
  :data:`BETWEENNESS_EXACT_MAX_NODES` nodes, above that estimated from
  :data:`BETWEENNESS_SAMPLES` source nodes drawn with a fixed seed (Brandes & Pich 2007),
  computed by igraph (C) with networkx's normalisation;
* ``closeness``: ``(r-1)/Σd`` scaled by ``(r-1)/(n-1)``, ``r`` the nodes reachable (the
  Wasserman & Faust correction, so it stays meaningful on a disconnected graph);
* ``harmonic``: ``Σ 1/d / (n-1)`` (Marchiori & Latora 2000; Rochat 2009), 0 for isolates;
* closeness and harmonic are exact up to :data:`CLOSENESS_EXACT_MAX_NODES` nodes, above
  that estimated from :data:`CLOSENESS_SAMPLES` seeded source nodes (Eppstein & Wang 2004);
* ``eigenvector`` (Bonacich 1987), per connected component scaled by its share of nodes;
* ``pagerank`` (Brin & Page 1998), damping 0.85.

Path-based measures (betweenness, closeness, harmonic) treat a strong tie as a *short* path:
**distance = 1 / weight** (Opsahl, Agneessens & Skvoretz 2010; Newman 2001).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

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
#: from this many edges on, :func:`centralities_from_tables` and
#: :func:`communities_from_tables` work on integer arrays (igraph, scipy) instead of a
#: networkx graph: same measures and normalisations, 20-50x faster and a fifth of the memory
ARRAY_ENGINE_MIN_EDGES = 100_000

#: what the report says about path lengths
DISTANCE_NOTE = ("Betweenness, closeness and harmonic centrality use path length = 1/weight "
                 "(a pair that co-occurs in more units is closer).")

#: community detection methods
COMMUNITY_METHODS = ("louvain", "leiden")


def sample_size(n_nodes: int, n_edges: int, cap: int) -> int:
    """Sources sampled for a path measure on a graph of ``n_nodes``/``n_edges``: at most
    ``cap`` and at most :data:`SAMPLE_BUDGET` / ``n_edges`` (at least :data:`MIN_SAMPLES`),
    never more than the nodes.

    >>> sample_size(5_000, 50_000, 500), sample_size(250_000, 10_000_000, 500)
    (500, 8)
    """
    budget = max(MIN_SAMPLES, int(SAMPLE_BUDGET / max(n_edges, 1)))
    return max(0, min(n_nodes, cap, budget))


def betweenness_note(n_nodes: int, seed: int = 42, n_edges: int = 0) -> str:
    """How betweenness is computed for a graph of ``n_nodes`` nodes and ``n_edges`` edges.

    >>> betweenness_note(10)
    'exact'
    >>> betweenness_note(250_000, 42, 10_000_000)
    'sampled from k=8 sources, seed=42; closeness/harmonic estimated from 8 sources'
    """
    if n_nodes <= BETWEENNESS_EXACT_MAX_NODES:
        return "exact"
    k = sample_size(n_nodes, n_edges, BETWEENNESS_SAMPLES)
    note = f"sampled from k={k} sources, seed={seed}"
    if n_nodes > CLOSENESS_EXACT_MAX_NODES:
        note += (f"; closeness/harmonic estimated from "
                 f"{sample_size(n_nodes, n_edges, CLOSENESS_SAMPLES)} sources")
    return note


def add_distance(G: nx.Graph, weight: str = "weight") -> None:
    """Store ``distance = 1/weight`` on every edge (in place)."""
    for _, _, d in G.edges(data=True):
        w = _tie(d.get(weight), weight)
        d["distance"] = 1.0 / w if w > 0 else float("inf")


def _tie(value, weight: str) -> float:
    """The positive strength of a tie (npmi shifted to (npmi+1)/2, as graph.driving_weight);
    an edge without the attribute counts 1 (the networkx convention)."""
    if value is None:
        return 1.0
    v = float(value)
    return (v + 1.0) / 2.0 if weight == "npmi" else v


def centralities(G: nx.Graph, weight: str = "weight", seed: int = 42,
                 measures: Sequence[str] | None = None) -> pd.DataFrame:
    """Centrality of every node, one column per measure of :data:`MEASURES` (or ``measures``).

    Works on empty and disconnected graphs (isolates get 0 for every path measure).

    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, 1, "weight")
    >>> centralities(G).loc[1, ["degree", "betweenness", "harmonic"]].tolist()
    [2.0, 1.0, 1.0]

    References: see the module docstring.
    """
    measures = list(measures or MEASURES)
    bad = [m for m in measures if m not in MEASURES]
    if bad:
        raise ValueError(f"unknown measure(s) {', '.join(bad)}; choose from "
                         + ", ".join(MEASURES))
    nodes = list(G.nodes)
    if not nodes:
        return pd.DataFrame(columns=measures, index=pd.Index([], name="entity_id"),
                            dtype="float64")
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_weighted_edges_from((u, v, _tie(d.get(weight), weight))
                              for u, v, d in G.edges(data=True))
    add_distance(H, "weight")
    out: dict[str, dict] = {}
    if "degree" in measures:
        out["degree"] = dict(H.degree())
    if "strength" in measures:
        out["strength"] = dict(H.degree(weight="weight"))
    if "betweenness" in measures:
        out["betweenness"] = _betweenness(H, nodes, seed)
    if "closeness" in measures or "harmonic" in measures:
        close, harm = _closeness_harmonic(H, nodes, seed)
        if "closeness" in measures:
            out["closeness"] = close
        if "harmonic" in measures:
            out["harmonic"] = harm
    if "eigenvector" in measures:
        out["eigenvector"] = _eigenvector(H, "weight")
    if "pagerank" in measures:
        out["pagerank"] = (nx.pagerank(H, weight="weight") if H.number_of_edges()
                           else {v: 1 / len(nodes) for v in nodes})
    frame = pd.DataFrame(out, index=nodes).astype("float64")
    frame.index.name = "entity_id"
    return frame[measures]


def _path_arrays(H: nx.Graph, nodes: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(src, dst, distance)`` index arrays of the edges of ``H`` usable by path measures
    (no self-loops, finite distance), in ``H.edges`` order."""
    index = {v: i for i, v in enumerate(nodes)}
    pairs = [(index[u], index[v], d["distance"]) for u, v, d in H.edges(data=True)
             if u != v and math.isfinite(d["distance"])]
    arr = np.array(pairs, dtype=np.float64).reshape(-1, 3)
    return arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]


def _betweenness(H: nx.Graph, nodes: list, seed: int) -> dict:
    """Normalised betweenness of the nodes of ``H`` (see :func:`betweenness_arrays`)."""
    src, dst, dist = _path_arrays(H, nodes)
    values = betweenness_arrays(len(nodes), src, dst, dist, seed, H.number_of_edges())
    return dict(zip(nodes, values.tolist(), strict=True))


def betweenness_arrays(n: int, src: np.ndarray, dst: np.ndarray, dist: np.ndarray,
                       seed: int = 42, n_edges: int | None = None, graph=None) -> np.ndarray:
    """Normalised betweenness on ``distance`` with igraph's C Brandes algorithm, for the
    graph of ``n`` nodes and edges ``src[i] - dst[i]`` of length ``dist[i]``.

    Exact: unordered-pair dependency sums / ((n-1)(n-2)/2). Sampled (above
    :data:`BETWEENNESS_EXACT_MAX_NODES`): :func:`sample_size` sources, drawn as
    ``random.Random(seed).sample`` of the nodes (as networkx draws them), and the sums are
    scaled as networkx's ``betweenness_centrality(k=...)`` does (a sampled source is not its
    own endpoint, so it is scaled by k-1). igraph compares path lengths with a tiny
    tolerance, so two paths whose 1/weight sums differ only by rounding (0.1 + 0.1 + 0.1 vs
    0.3) are both shortest. ``graph`` is an igraph graph of these edges, if one is built.

    >>> betweenness_arrays(3, np.array([0, 1]), np.array([1, 2]), np.array([1.0, 1.0])).tolist()
    [0.0, 1.0, 0.0]
    """
    import random

    if n <= 2:
        return np.zeros(n)
    g = graph if graph is not None else _igraph(n, src, dst)
    weights = dist.tolist() if len(dist) else None
    if n <= BETWEENNESS_EXACT_MAX_NODES:
        raw = np.asarray(g.betweenness(weights=weights, directed=False), np.float64)
        return raw * (2.0 / ((n - 1) * (n - 2)))
    k = sample_size(n, len(src) if n_edges is None else n_edges, BETWEENNESS_SAMPLES)
    # random.sample picks positions, so sampling range(n) picks the nodes networkx would
    sources = random.Random(seed).sample(range(n), k)
    raw = np.asarray(g.betweenness(weights=weights, directed=False, sources=sources,
                                   targets=None), np.float64)
    per = np.full(n, float(k))
    per[sources] = k - 1
    return 2.0 * raw / (np.maximum(per, 1.0) * (n - 2))


#: edges handed to igraph per slice (see :func:`_igraph`)
IGRAPH_EDGE_SLICE = 1 << 18


def _igraph(n: int, src: np.ndarray, dst: np.ndarray):
    """The undirected igraph graph of ``n`` vertices and the edges ``src[i]-dst[i]``, in
    that order.

    The edges go in as pairs of Python ints, one slice of :data:`IGRAPH_EDGE_SLICE` at a
    time: python-igraph reads a sequence of int pairs about twice as fast as a numpy array
    (which it converts element by element, through temporaries of several hundred bytes
    an edge), and the slices keep only one slice's ints alive (11 M edges at Cablegate
    scale).

    >>> _igraph(3, np.array([0, 1]), np.array([1, 2])).get_edgelist()
    [(0, 1), (1, 2)]
    """
    import itertools

    import igraph as ig

    src, dst, step = np.asarray(src), np.asarray(dst), IGRAPH_EDGE_SLICE
    pairs = itertools.chain.from_iterable(
        zip(src[i:i + step].tolist(), dst[i:i + step].tolist(), strict=True)
        for i in range(0, len(src), step))
    return ig.Graph(n=n, edges=pairs, directed=False)


def _closeness_harmonic(H: nx.Graph, nodes: list, seed: int = 42) -> tuple[dict, dict]:
    """Closeness and harmonic centrality of the nodes of ``H``
    (see :func:`closeness_harmonic_arrays`)."""
    src, dst, dist = _path_arrays(H, nodes)
    close, harm = closeness_harmonic_arrays(len(nodes), src, dst, dist, seed,
                                            H.number_of_edges())
    return (dict(zip(nodes, close.tolist(), strict=True)),
            dict(zip(nodes, harm.tolist(), strict=True)))


def closeness_harmonic_arrays(n: int, src: np.ndarray, dst: np.ndarray, dist: np.ndarray,
                              seed: int = 42, n_edges: int | None = None, block: int = 256,
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
    import random

    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    close = np.zeros(n)
    harm = np.zeros(n)
    if n < 2:
        return close, harm
    # each edge once: with directed=False scipy walks the matrix and its transpose, so the
    # mirrored copy would only double the memory and the edges each Dijkstra scans
    A = csr_matrix((dist, (src, dst)), shape=(n, n))
    if n <= CLOSENESS_EXACT_MAX_NODES:
        sources = np.arange(n)
    else:
        k = sample_size(n, len(src) if n_edges is None else n_edges, CLOSENESS_SAMPLES)
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


def _eigenvector(G: nx.Graph, weight: str) -> dict:
    """Eigenvector centrality per connected component scaled by component size share.

    On a disconnected graph the leading eigenvector lives on one component only; computing
    it per component (and weighting by the component's share of nodes) keeps every
    component's ranking meaningful.
    """
    out = dict.fromkeys(G.nodes, 0.0)
    n = G.number_of_nodes()
    for comp in nx.connected_components(G):
        if len(comp) < 2:
            continue
        # A subgraph view iterates its node *set*, whose order follows string hashing
        # (PYTHONHASHSEED): the power iteration then sums in another order and the last
        # digits change between runs. A copy in G's node order is deterministic.
        members = [n for n in G if n in comp]
        sub = nx.Graph()
        sub.add_nodes_from(members)
        sub.add_edges_from(G.edges(members, data=True))
        if len(comp) > 100:
            # ARPACK (C) on big components; the power iteration is pure Python
            vals = nx.eigenvector_centrality_numpy(sub, weight=weight)
        else:
            try:
                vals = nx.eigenvector_centrality(sub, weight=weight, max_iter=1000, tol=1e-10)
            except nx.PowerIterationFailedConvergence:
                vals = nx.eigenvector_centrality_numpy(sub, weight=weight)
        share = len(comp) / n
        for k, v in vals.items():
            out[k] = abs(float(v)) * share
    return out


def rank_correlation(centrality: pd.DataFrame, method: str = "spearman") -> pd.DataFrame:
    """Rank correlation between every pair of measures (Spearman's rho by default).

    A constant measure (all nodes equal) has no ranking: its row and column are NaN.

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
    number of contacts would suggest — it bridges groups rather than being a hub inside
    one. Only entities with betweenness > 0 qualify; sorted by score, then betweenness.

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


# --- communities --------------------------------------------------------------------------------

def communities(G: nx.Graph, method: str = "louvain", weight: str = "weight", seed: int = 42,
                resolution: float = 1.0) -> pd.Series:
    """Community id of every node: Louvain (networkx, seeded) or Leiden (leidenalg).

    Ids are renumbered so community 0 is the largest (ties: the one holding the smallest
    node id); isolated nodes are communities of their own. Leiden optimises the same
    modularity (RB configuration model with ``resolution``); it needs the ``leidenalg``
    package (``pip install graphbuild[leiden]``).

    References: Blondel et al. (2008) for Louvain; Traag, Waltman & van Eck (2019) for
    Leiden; Newman & Girvan (2004) for modularity.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> communities(G).to_dict()
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1}
    """
    if method not in COMMUNITY_METHODS:
        raise ValueError(f"unknown community method {method!r}; choose from "
                         + ", ".join(COMMUNITY_METHODS))
    nodes = list(G.nodes)
    if not nodes:
        return pd.Series(dtype="int64", index=pd.Index([], name="entity_id"), name="community")
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_weighted_edges_from((u, v, _tie(d.get(weight), weight))
                              for u, v, d in G.edges(data=True))
    if method == "leiden":
        groups = _leiden(H, nodes, seed, resolution)
    elif H.number_of_edges() == 0:
        groups = [{v} for v in nodes]
    else:
        groups = nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                                  seed=seed)
    groups = sorted(groups, key=lambda g: (-len(g), min(str(v) for v in g)))
    label = {v: i for i, g in enumerate(groups) for v in g}
    return pd.Series([label[v] for v in nodes], index=pd.Index(nodes, name="entity_id"),
                     name="community", dtype="int64")


def _leiden(H: nx.Graph, nodes: list, seed: int, resolution: float) -> list[set]:
    try:
        import igraph as ig
        import leidenalg
    except ImportError as exc:   # pragma: no cover - depends on the installation
        raise ValueError("Leiden needs the leidenalg package: pip install "
                         "'graphbuild[leiden]' (or use --communities louvain)") from exc
    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()])
    g.es["weight"] = [d["weight"] for _, _, d in H.edges(data=True)]
    part = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition,
                                    weights="weight" if g.ecount() else None,
                                    resolution_parameter=resolution, seed=seed)
    return [{nodes[i] for i in members} for members in part]


def community_summary(community: pd.Series, centrality: pd.DataFrame, edges: pd.DataFrame,
                      entities: pd.DataFrame | None = None,
                      mentions: pd.DataFrame | None = None, measure: str = "pagerank",
                      top: int = 5, n_brokers: int = 3, n_paragraphs: int = 3,
                      weight: str = "weight") -> pd.DataFrame:
    """One row per community, computed from the tables (no language model).

    Columns: ``community, size, internal_edges, external_edges, top_entities`` (by
    ``measure``), ``brokers`` (members with the most edge weight to other communities,
    with the communities they reach), ``paragraphs`` (the most representative units: the
    paragraphs that mention most of the community's top entities — at least two —, ties
    broken by the number of members mentioned) and ``top_ids``/``broker_ids``/
    ``paragraph_refs`` as lists for programs. Labels come from ``entities`` when given.

    >>> comm = pd.Series({"a": 0, "b": 0, "c": 1})
    >>> cent = pd.DataFrame({"pagerank": [0.5, 0.3, 0.2]}, index=["a", "b", "c"])
    >>> eds = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 1]})
    >>> community_summary(comm, cent, eds)[["community", "size", "brokers"]].values.tolist()
    [[0, 2, 'b → 1'], [1, 1, 'c → 0']]
    """
    cols = ["community", "size", "internal_edges", "external_edges", "top_entities",
            "brokers", "paragraphs", "top_ids", "broker_ids", "paragraph_refs"]
    if community.empty:
        return pd.DataFrame(columns=cols)
    labels = {}
    if entities is not None and "label" in entities:
        labels = dict(zip(entities["entity_id"], entities["label"].astype(str), strict=True))
    name = lambda e: labels.get(e, str(e))  # noqa: E731
    comm = community.to_dict()
    # integer codes instead of dict lookups: the edge table can have millions of rows
    from graphbuild.core.tables import positions

    members = pd.Index(community.index.astype(object))
    code = community.to_numpy(np.int64)
    si = positions(edges["source"], community.index.to_series())
    ti = positions(edges["target"], community.index.to_series())
    inside = (si >= 0) & (ti >= 0)
    si, ti = si[inside], ti[inside]
    cs, ct = code[si], code[ti]
    if inside.any():
        from graphbuild.graph.views import driving_weight

        # the weight column alone: edges.loc[inside] would copy the whole table (its
        # id strings are a gigabyte at Cablegate scale) to read one column
        w = driving_weight(edges[[weight]] if weight in edges else edges, weight
                           ).to_numpy(np.float64)[inside]
    else:
        w = np.zeros(0)
    same = cs == ct
    n_comm = int(code.max()) + 1 if len(code) else 1
    internal = np.bincount(cs[same], minlength=n_comm)
    external = (np.bincount(cs[~same], minlength=n_comm)
                + np.bincount(ct[~same], minlength=n_comm))
    score = centrality[measure] if measure in centrality else pd.Series(dtype="float64")
    # everything below is grouped once over all communities (thousands of singletons on a
    # big corpus make a per-community scan quadratic)
    nodes = pd.DataFrame({"node": list(comm), "c": list(comm.values())})
    nodes["score"] = nodes["node"].map(score).fillna(0.0).astype("float64")
    nodes["key"] = nodes["node"].astype(str)
    nodes = nodes.sort_values(["c", "score", "key"], ascending=[True, False, True],
                              kind="stable")
    top_of = nodes.groupby("c").head(top).groupby("c")["node"].agg(list).to_dict()
    size_of = nodes.groupby("c").size().to_dict()
    brokers_of = _brokers(si[~same], ti[~same], cs[~same], ct[~same], w[~same], code,
                          members.to_numpy(), n_brokers)
    refs_of: dict[int, list[str]] = {}
    if mentions is not None and len(mentions):
        member = positions(mentions["entity_id"], community.index.to_series())
        keep = member >= 0
        if "status" in mentions:
            keep &= mentions["status"].eq("kept").to_numpy(dtype=bool, na_value=False)
        if "section" in mentions:
            keep &= mentions["section"].isin(["subject", "body"]).to_numpy(dtype=bool)
        top_member = np.zeros(len(members), dtype=bool)
        top_member[members.get_indexer([e for ids in top_of.values() for e in ids])] = True
        # integer codes: (document, paragraph, member) per kept mention, distinct; the
        # document code is its rank among the sorted doc ids (the order the choice breaks
        # ties by). Keys are packed into int64 and counted with sorts, never grouped by
        # pandas over millions of rows
        # the whole column is coded (no copy of its kept rows' strings); a document's
        # rank among all the ids orders the kept ones as their rank among themselves.
        # Each array is freed, or reused in place, once the next one is made: at
        # Cablegate scale every one is 9 M rows
        doc_code, doc_names = pd.factorize(mentions["doc_id"])
        doc_names = np.asarray(doc_names, dtype=object)
        by_name = np.argsort(doc_names, kind="stable")
        doc_rank = np.empty(len(doc_names), dtype=np.int64)
        doc_rank[by_name] = np.arange(len(doc_names))
        unit = doc_rank[doc_code[keep]] if len(doc_code) else np.zeros(0, dtype=np.int64)
        del doc_code, doc_rank
        para = mentions["paragraph"].to_numpy(np.int64)[keep]
        who = member[keep].astype(np.int64)
        del member, keep
        p_low = int(para.min()) if len(para) else 0
        n_p = int(para.max()) - p_low + 1 if len(para) else 1
        n_e = max(len(members), 1)
        unit *= n_p                                       # (document, paragraph)
        unit += para
        unit -= p_low
        del para
        per_unit = int(unit.max()) + 1 if len(unit) else 1
        unit *= n_e
        unit += who
        del who
        inc = _distinct(unit, in_place=True)
        del unit
        inc_unit, inc_e = np.divmod(inc, n_e)
        del inc
        # (community, document, paragraph) of each distinct incidence, and its top flag
        cell = code[inc_e]
        cell *= per_unit
        cell += inc_unit
        del inc_unit
        is_top = top_member[inc_e]
        del inc_e
        top_cells, tops_in = _counts(cell[is_top])
        del is_top
        cells, members_in = _counts(cell, in_place=True)
        del cell
        chosen = top_cells[tops_in >= 2]
        n_top = tops_in[tops_in >= 2]
        n_members = members_in[np.searchsorted(cells, chosen)]
        c_of, unit_of = chosen // per_unit, chosen % per_unit
        doc_of, par_of = unit_of // n_p, unit_of % n_p + p_low
        # per community: most top entities, then most members, then doc_id, then paragraph
        order = np.lexsort((par_of, doc_of, -n_members, -n_top, c_of))
        c_sorted = c_of[order]
        first = np.searchsorted(c_sorted, c_sorted)
        order = order[np.arange(len(order)) - first < n_paragraphs]
        per = pd.DataFrame({"c": c_of[order],
                            "doc_id": doc_names[by_name][doc_of[order]],
                            "paragraph": par_of[order]})
        for c, d, p in zip(per["c"], per["doc_id"], per["paragraph"], strict=True):
            refs_of.setdefault(int(c), []).append(f"{d}:¶{p}")
    rows = []
    for cid in sorted(size_of):
        top_ids = top_of.get(cid, [])
        brk = brokers_of.get(int(cid), [])
        refs = refs_of.get(int(cid), [])
        rows.append({"community": int(cid), "size": int(size_of[cid]),
                     "internal_edges": int(internal[cid]),
                     "external_edges": int(external[cid]),
                     "top_entities": "; ".join(name(e) for e in top_ids),
                     "brokers": "; ".join(f"{name(e)} → {', '.join(map(str, reach))}"
                                          for e, reach in brk),
                     "paragraphs": "; ".join(refs), "top_ids": top_ids,
                     "broker_ids": [e for e, _ in brk], "paragraph_refs": refs})
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values(["size", "community"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def _brokers(xs: np.ndarray, xt: np.ndarray, cs: np.ndarray, ct: np.ndarray,
             w: np.ndarray, code: np.ndarray, ids: np.ndarray, n_brokers: int,
             ) -> dict[int, list]:
    """Per community, its ``n_brokers`` members with the most edge weight to other
    communities (ties: the smaller id) and the communities each one reaches, from the
    edges that cross communities (member positions ``xs``/``xt``, their communities
    ``cs``/``ct``, weights ``w``; ``code``: the community of each member).

    A member's community is its own, so the weight per (community, member) is a
    ``bincount`` over members: no table of every crossing edge in both directions (tens
    of millions of rows at Cablegate scale).

    >>> ids = np.array(["a", "b", "c"], dtype=object)
    >>> _brokers(np.array([0, 0]), np.array([1, 2]), np.array([0, 0]), np.array([1, 2]),
    ...          np.array([2.0, 1.0]), np.array([0, 1, 2]), ids, 1)
    {0: [('a', [1, 2])], 1: [('b', [0])], 2: [('c', [0])]}
    """
    if len(xs) == 0:
        return {}
    n = len(ids)
    strength = np.bincount(xs, weights=w, minlength=n) + np.bincount(xt, weights=w, minlength=n)
    crossing = np.flatnonzero((np.bincount(xs, minlength=n) + np.bincount(xt, minlength=n)) > 0)
    per = pd.DataFrame({"own": code[crossing], "node": crossing, "w": strength[crossing],
                        "key": ids[crossing].astype(str)})
    per = per.sort_values(["own", "w", "key"], ascending=[True, False, True],
                          kind="stable").groupby("own").head(n_brokers)
    # the communities each chosen broker reaches (only the few chosen ones are looked at)
    chosen = np.zeros(n, dtype=bool)
    chosen[per["node"].to_numpy()] = True
    a, b = chosen[xs], chosen[xt]
    n_comm = np.int64(int(code.max()) + 1)
    reached = np.unique(np.concatenate((xs[a] * n_comm + ct[a], xt[b] * n_comm + cs[b])))
    reach: dict[int, list[int]] = {}
    for node, other in zip((reached // n_comm).tolist(), (reached % n_comm).tolist(),
                           strict=True):
        reach.setdefault(node, []).append(other)
    out: dict[int, list] = {}
    for own, node in zip(per["own"].tolist(), per["node"].tolist(), strict=True):
        out.setdefault(int(own), []).append((ids[node], reach[node]))
    return out


def _distinct(keys: np.ndarray, in_place: bool = False) -> np.ndarray:
    """The sorted distinct values of an int64 array (a sort and a neighbour mask: faster
    than ``np.unique``, which hashes first); ``in_place`` sorts ``keys`` itself."""
    if in_place:
        keys.sort()
    else:
        keys = np.sort(keys)
    if len(keys) == 0:
        return keys
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


def _counts(keys: np.ndarray, in_place: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an int64 array and how often each occurs; ``in_place``
    sorts ``keys`` itself."""
    if in_place:
        keys.sort()
    else:
        keys = np.sort(keys)
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.append(starts, len(keys)))


# --- the same measures from the tables, on the engine that fits the size ----------------------

def centralities_from_tables(entities: pd.DataFrame, edges: pd.DataFrame,
                             weight: str = "weight", seed: int = 42,
                             measures: Sequence[str] | None = None, graph=None,
                             ) -> pd.DataFrame:
    """:func:`centralities` of the graph of ``entities``/``edges``, indexed by entity id
    in ``entities`` order.

    Below :data:`ARRAY_ENGINE_MIN_EDGES` edges it builds a networkx graph and calls
    :func:`centralities`; from there on it works on integer arrays
    (:func:`graphbuild.engines.compute.centralities_arrays`: igraph and scipy, same
    measures, normalisations and seeded samples). ``graph`` is an
    :class:`~graphbuild.engines.compute.ArrayGraph` of these tables, if one is built.

    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"]})
    >>> eds = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]})
    >>> centralities_from_tables(ents, eds).loc["b", ["degree", "betweenness"]].tolist()
    [2.0, 1.0]
    """
    if graph is None and len(edges) < ARRAY_ENGINE_MIN_EDGES:
        from graphbuild.graph.views import to_networkx

        G = to_networkx(entities, edges, [], [weight])
        return centralities(G, weight=weight, seed=seed, measures=measures)
    from graphbuild.measures.arrays import ArrayGraph, centralities_arrays

    graph = graph if graph is not None else ArrayGraph.from_tables(entities, edges, weight)
    return centralities_arrays(graph, seed, measures)


def communities_from_tables(entities: pd.DataFrame, edges: pd.DataFrame,
                            method: str = "louvain", weight: str = "weight", seed: int = 42,
                            resolution: float = 1.0, graph=None) -> pd.Series:
    """:func:`communities` of the graph of ``entities``/``edges``: networkx's seeded Louvain
    (or Leiden) below :data:`ARRAY_ENGINE_MIN_EDGES` edges, igraph's C Louvain (or Leiden)
    on integer arrays from there on (:func:`graphbuild.engines.compute.communities_arrays`).

    >>> ents = pd.DataFrame({"entity_id": list("abxy")})
    >>> eds = pd.DataFrame({"source": ["a", "x"], "target": ["b", "y"], "weight": [1, 1]})
    >>> communities_from_tables(ents, eds).to_dict()
    {'a': 0, 'b': 0, 'x': 1, 'y': 1}

    Raises ``ValueError`` for an unknown method.
    """
    if method not in COMMUNITY_METHODS:
        raise ValueError(f"unknown community method {method!r}; choose from "
                         + ", ".join(COMMUNITY_METHODS))
    if graph is None and len(edges) < ARRAY_ENGINE_MIN_EDGES:
        from graphbuild.graph.views import to_networkx

        G = to_networkx(entities, edges, [], [weight])
        return communities(G, method, weight=weight, seed=seed, resolution=resolution)
    from graphbuild.measures.arrays import ArrayGraph, communities_arrays

    graph = graph if graph is not None else ArrayGraph.from_tables(entities, edges, weight)
    return communities_arrays(graph, method, seed, resolution)
