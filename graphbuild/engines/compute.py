"""Heavy measures on big graphs with python-igraph, built straight from the edge table.

networkx stays the face users touch (views, exports); the centrality *numbers* of a big
graph come from igraph, which is 20-50x faster and needs a fifth of the memory (issue #8
measurements: PageRank 31 s -> 1.6 s, eigenvector 104 s -> 4.6 s at 8 M edges). The graph is
built from integer arrays, never converted from networkx.

The choice is made by size (:func:`choose_engine`):

* ``networkx`` for small graphs (exactly the foundation's :func:`graphbuild.analysis.centralities`);
* ``igraph`` exact betweenness/closeness while ``nodes * edges`` stays under
  :data:`EXACT_BUDGET`;
* above it, betweenness and closeness are estimated from ``k`` random sources (Brandes &
  Pich 2007, "Centrality estimation in large networks"; Eppstein & Wang 2004 for closeness),
  with a fixed seed so a rebuild gives the same numbers.

Path length is ``1/weight`` as in :mod:`graphbuild.analysis`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..analysis import MEASURES

#: ``nodes * edges`` up to which networkx computes exact measures (a few seconds)
NETWORKX_BUDGET = 1e5
#: ``nodes * edges`` up to which igraph computes exact betweenness/closeness (about 2-5 s)
EXACT_BUDGET = 1e9
#: sampled sources for estimates on bigger graphs, fewer on huge ones (each source costs
#: one Dijkstra over all edges): ``min(SAMPLES, max(MIN_SAMPLES, SAMPLE_WORK / edges))``
SAMPLES = 256
MIN_SAMPLES = 16
SAMPLE_WORK = 3e7


def choose_engine(n_nodes: int, n_edges: int) -> str:
    """``"networkx"``, ``"igraph"`` (exact) or ``"igraph-sampled"`` for a graph size.

    >>> choose_engine(40, 300), choose_engine(2_500, 84_000), choose_engine(63_000, 8_000_000)
    ('networkx', 'igraph', 'igraph-sampled')
    """
    work = float(n_nodes) * float(n_edges)
    if work <= NETWORKX_BUDGET:
        return "networkx"
    return "igraph" if work <= EXACT_BUDGET else "igraph-sampled"


def igraph_from_tables(entities: pd.DataFrame, edges: pd.DataFrame):
    """An undirected ``igraph.Graph`` whose vertex ``i`` is ``entities.entity_id[i]``;
    edge attribute ``weight`` and ``distance = 1/weight``.

    >>> import pandas as pd
    >>> g = igraph_from_tables(pd.DataFrame({"entity_id": ["a", "b"]}),
    ...                        pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]}))
    >>> g.vcount(), [float(d) for d in g.es["distance"]]
    (2, [0.5])
    """
    import igraph as ig

    ids = pd.Index(entities["entity_id"].astype(object))
    src = ids.get_indexer(edges["source"].astype(object))
    dst = ids.get_indexer(edges["target"].astype(object))
    g = ig.Graph(n=len(ids), edges=np.column_stack((src, dst)).tolist(), directed=False)
    w = edges["weight"].to_numpy(np.float64)
    g.es["weight"] = w.tolist()
    g.es["distance"] = (1.0 / w).tolist()
    return g


def centralities_igraph(entities: pd.DataFrame, edges: pd.DataFrame, exact: bool = True,
                        samples: int = SAMPLES, seed: int = 42) -> pd.DataFrame:
    """The :data:`~graphbuild.analysis.MEASURES` of every entity, computed with igraph.

    Normalisations follow networkx: betweenness divided by ``(n-1)(n-2)/2``, closeness with
    the Wasserman-Faust correction for disconnected graphs, eigenvector per connected
    component scaled by the component's share of nodes, PageRank with damping 0.85.

    >>> import pandas as pd
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"]})
    >>> eds = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]})
    >>> centralities_igraph(ents, eds).loc["b", ["degree", "betweenness"]].tolist()
    [2.0, 1.0]
    """
    g = igraph_from_tables(entities, edges)
    n = g.vcount()
    index = pd.Index(entities["entity_id"].astype(object), name="entity_id")
    if n == 0:
        return pd.DataFrame(columns=list(MEASURES), index=index, dtype="float64")
    rng = np.random.default_rng(seed)
    degree = np.asarray(g.degree(), np.float64)
    strength = np.asarray(g.strength(weights="weight"), np.float64)
    k = min(samples, n)
    if exact or k >= n:
        sources = None
        between = np.asarray(g.betweenness(weights="distance"), np.float64)
    else:
        sources = np.sort(rng.choice(n, size=k, replace=False)).tolist()
        # dependencies accumulated from k sources, scaled to all n (Brandes & Pich 2007)
        between = np.asarray(g.betweenness(weights="distance", sources=sources,
                                           targets=None), np.float64) * (n / k)
    if n > 2:
        between = between * 2.0 / ((n - 1) * (n - 2))
    closeness = _closeness(g, sources)
    harmonic = _harmonic(g, sources)
    eigen = _eigenvector(g)
    pagerank = np.asarray(g.pagerank(weights="weight" if g.ecount() else None, damping=0.85),
                          np.float64)
    frame = pd.DataFrame({"degree": degree, "strength": strength, "betweenness": between,
                          "closeness": closeness, "harmonic": harmonic, "eigenvector": eigen,
                          "pagerank": pagerank}, index=index).astype("float64")
    return frame[list(MEASURES)]


def _harmonic(g, sources: list[int] | None) -> np.ndarray:
    """networkx's harmonic centrality: ``sum(1/d(u, v))`` over the other nodes (not
    normalised). With ``sources``, the sum over the sampled nodes is scaled to all n."""
    n = g.vcount()
    if n <= 1:
        return np.zeros(n)
    if sources is None:
        return np.asarray(g.harmonic_centrality(weights="distance", normalized=False),
                          np.float64)
    d = np.asarray(g.distances(source=sources, weights="distance"), np.float64)
    with np.errstate(divide="ignore"):
        inv = np.where(np.isfinite(d) & (d > 0), 1.0 / d, 0.0)
    return inv.sum(axis=0) * ((n - 1) / max(len(sources) - 1, 1))


def _closeness(g, sources: list[int] | None) -> np.ndarray:
    """networkx's closeness: ``(r-1)/sum(d) * (r-1)/(n-1)`` with ``r`` reachable nodes.

    With ``sources``, distances from the sampled nodes estimate each node's mean distance
    (Eppstein & Wang 2004); the reachable share is estimated the same way.
    """
    n = g.vcount()
    if n <= 1:
        return np.zeros(n)
    if sources is None:
        # igraph's normalised closeness is (r-1)/sum over the r nodes v reaches; networkx
        # further scales by (r-1)/(n-1) (Wasserman & Faust) so isolated pieces rank lower
        raw = np.nan_to_num(np.asarray(g.closeness(weights="distance", normalized=True),
                                       np.float64))
        size = np.asarray(g.connected_components().sizes(), np.float64)
        reach = size[np.asarray(g.connected_components().membership)]
        return raw * (reach - 1) / (n - 1)
    d = np.asarray(g.distances(source=sources, weights="distance"), np.float64)
    finite = np.isfinite(d)
    d = np.where(finite, d, 0.0)
    k = len(sources)
    share = finite.sum(axis=0) / k                 # estimated share of nodes reachable
    mean = np.divide(d.sum(axis=0), np.maximum(finite.sum(axis=0) - 0, 1))
    reach = share * n
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(mean > 0, 1.0 / mean * (reach - 1) / (n - 1), 0.0)
    return out


def _eigenvector(g) -> np.ndarray:
    """Eigenvector centrality per connected component, scaled by its share of nodes
    (the foundation's convention, :func:`graphbuild.analysis._eigenvector`), L2-normed as
    networkx returns it."""
    n = g.vcount()
    out = np.zeros(n)
    for comp in g.connected_components():
        if len(comp) < 2:
            continue
        sub = g.subgraph(comp)
        vals = np.abs(np.asarray(sub.eigenvector_centrality(weights="weight", scale=False),
                                 np.float64))
        norm = np.linalg.norm(vals)
        if norm > 0:
            vals = vals / norm
        out[comp] = vals * (len(comp) / n)
    return out


def communities(entities: pd.DataFrame, edges: pd.DataFrame, seed: int = 42) -> pd.Series:
    """Louvain communities (igraph ``community_multilevel`` on ``weight``), numbered by
    decreasing size; indexed by entity id. Blondel et al. (2008).

    >>> import pandas as pd
    >>> ents = pd.DataFrame({"entity_id": list("abcd")})
    >>> eds = pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"], "weight": [1, 1]})
    >>> communities(ents, eds).tolist()
    [0, 0, 1, 1]
    """
    import random

    g = igraph_from_tables(entities, edges)
    random.seed(seed)                 # igraph draws from Python's random module
    parts = g.community_multilevel(weights="weight" if g.ecount() else None)
    membership = np.asarray(parts.membership)
    sizes = np.bincount(membership)
    rank = np.empty_like(sizes)
    rank[np.lexsort((np.arange(len(sizes)), -sizes))] = np.arange(len(sizes))
    return pd.Series(rank[membership], index=pd.Index(entities["entity_id"].astype(object),
                                                      name="entity_id"), name="community")


def centralities_auto(entities: pd.DataFrame, edges: pd.DataFrame, seed: int = 42,
                      ) -> tuple[pd.DataFrame, str]:
    """Centralities with the engine :func:`choose_engine` picks; returns ``(frame, engine)``."""
    engine = choose_engine(len(entities), len(edges))
    if engine == "networkx":
        from ..analysis import centralities
        from ..graph import to_networkx

        return centralities(to_networkx(entities, edges, ["label"] if "label" in entities
                                        else [], ["weight"]), seed=seed), engine
    k = int(min(SAMPLES, max(MIN_SAMPLES, SAMPLE_WORK / max(len(edges), 1))))
    return centralities_igraph(entities, edges, exact=engine == "igraph", samples=k,
                               seed=seed), engine
