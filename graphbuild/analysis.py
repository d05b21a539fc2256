"""Analyse stage: centrality measures, as a DataFrame indexed by entity id.

Path-based measures (betweenness, closeness) treat a strong tie as a *short* path:
``distance = 1 / weight``. Eigenvector and PageRank use ``weight`` directly.

References: Freeman (1977) for betweenness and closeness; Bonacich (1987) for eigenvector
centrality; Brin & Page (1998) for PageRank; Opsahl, Agneessens & Skvoretz (2010) on the
weight-as-inverse-distance convention.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

MEASURES = ("degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank")

#: what the report says about path lengths
DISTANCE_NOTE = ("Betweenness and closeness use path length = 1/weight "
                 "(a pair that co-occurs in more paragraphs is closer).")


def add_distance(G: nx.Graph, weight: str = "weight") -> None:
    """Store ``distance = 1/weight`` on every edge (in place)."""
    for _, _, d in G.edges(data=True):
        w = d.get(weight) or 0
        d["distance"] = 1.0 / w if w > 0 else float("inf")


def centralities(G: nx.Graph, weight: str = "weight", seed: int = 42) -> pd.DataFrame:
    """Degree, strength, betweenness, closeness, eigenvector and PageRank of every node.

    Returns a DataFrame indexed by node id with one column per measure in :data:`MEASURES`.

    >>> G = nx.path_graph(3)
    >>> nx.set_edge_attributes(G, 1, "weight")
    >>> centralities(G).loc[1, ["degree", "betweenness"]].tolist()
    [2.0, 1.0]

    References: see the module docstring.
    """
    nodes = list(G.nodes)
    if not nodes:
        return pd.DataFrame(columns=list(MEASURES), index=pd.Index([], name="entity_id"),
                            dtype="float64")
    H = G.copy()
    add_distance(H, weight)
    degree = dict(H.degree())
    strength = dict(H.degree(weight=weight))
    betweenness = nx.betweenness_centrality(H, weight="distance", normalized=True)
    closeness = nx.closeness_centrality(H, distance="distance")
    eigen = _eigenvector(H, weight)
    pagerank = nx.pagerank(H, weight=weight) if H.number_of_edges() else {n: 1 / len(nodes)
                                                                          for n in nodes}
    frame = pd.DataFrame({"degree": degree, "strength": strength, "betweenness": betweenness,
                          "closeness": closeness, "eigenvector": eigen, "pagerank": pagerank},
                         index=nodes).astype("float64")
    frame.index.name = "entity_id"
    return frame[list(MEASURES)]


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
        try:
            vals = nx.eigenvector_centrality(sub, weight=weight, max_iter=1000, tol=1e-10)
        except nx.PowerIterationFailedConvergence:
            vals = nx.eigenvector_centrality_numpy(sub, weight=weight)
        share = len(comp) / n
        for k, v in vals.items():
            out[k] = abs(float(v)) * share
    return out
