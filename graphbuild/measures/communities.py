"""Communities of the entity graph, on the array engine at every size: Louvain (igraph)
or Leiden (leidenalg), seeded, numbered by decreasing size.

On big graphs :class:`BackgroundCommunities` runs the detection in a forked child while
the parent computes the centralities: both are single-threaded C loops, so on two cores
the communities cost no wall time.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd

from graphbuild.core.fork import Forked
from graphbuild.measures.arrays import ArrayGraph

__all__ = ["COMMUNITY_METHODS", "communities", "communities_from_tables", "renumber",
           "BackgroundCommunities"]

#: community detection methods
COMMUNITY_METHODS = ("louvain", "leiden")


def communities(graph: nx.Graph | ArrayGraph, method: str = "louvain",
                weight: str = "weight", seed: int = 42, resolution: float = 1.0,
                ) -> pd.Series:
    """Community id of every node.

    Parameters
    ----------
    graph : networkx.Graph or ArrayGraph
        The graph (a networkx graph is turned into an :class:`ArrayGraph` first).
    method : str
        ``louvain`` (igraph's ``community_multilevel``, Blondel et al. 2008) or ``leiden``
        (``leidenalg``, Traag, Waltman & van Eck 2019; ``pip install graphbuild[leiden]``),
        both optimising modularity (Newman & Girvan 2004) on the tie strengths.
    weight : str
        Edge attribute of a networkx graph giving the tie strength.
    seed : int
        Seed of the randomised passes: the same graph and seed give the same partition.
    resolution : float
        Modularity resolution (larger: smaller communities).

    Returns
    -------
    pandas.Series
        Community per node id (``entity_id``), renumbered so 0 is the largest community
        (ties: the one holding the smallest id); isolated nodes are communities of their
        own.

    Raises
    ------
    ValueError
        For an unknown method, or Leiden without ``leidenalg``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> communities(G).to_dict()
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1}
    """
    if method not in COMMUNITY_METHODS:
        raise ValueError(f"unknown community method {method!r}; choose from "
                         + ", ".join(COMMUNITY_METHODS))
    ag = graph if isinstance(graph, ArrayGraph) else ArrayGraph.from_networkx(graph, weight)
    n = ag.n
    if n == 0:
        return pd.Series(dtype="int64", index=pd.Index(ag.ids, name="entity_id"),
                         name="community")
    if ag.m == 0:
        membership = np.arange(n)
    elif method == "leiden":
        try:
            import leidenalg
        except ImportError as exc:   # pragma: no cover - depends on the installation
            raise ValueError("Leiden needs the leidenalg package: pip install "
                             "'graphbuild[leiden]' (or use --communities louvain)") from exc
        part = leidenalg.find_partition(ag.igraph(), leidenalg.RBConfigurationVertexPartition,
                                        weights=ag.tie.tolist(),
                                        resolution_parameter=resolution, seed=seed)
        membership = np.asarray(part.membership)
    else:
        random.seed(seed)                 # igraph draws from Python's random module
        parts = ag.igraph().community_multilevel(weights=ag.tie.tolist(),
                                                 resolution=resolution)
        membership = np.asarray(parts.membership)
    return renumber(membership, ag.ids)


def communities_from_tables(entities: pd.DataFrame, edges: pd.DataFrame,
                            method: str = "louvain", weight: str = "weight", seed: int = 42,
                            resolution: float = 1.0,
                            graph: ArrayGraph | None = None) -> pd.Series:
    """:func:`communities` of the graph of ``entities``/``edges`` (``graph``: its array
    graph, when the caller built it already).

    >>> ents = pd.DataFrame({"entity_id": list("abxy")})
    >>> eds = pd.DataFrame({"source": ["a", "x"], "target": ["b", "y"], "weight": [1, 1]})
    >>> communities_from_tables(ents, eds).to_dict()
    {'a': 0, 'b': 0, 'x': 1, 'y': 1}
    """
    graph = graph if graph is not None else ArrayGraph.from_tables(entities, edges, weight)
    return communities(graph, method, seed=seed, resolution=resolution)


def renumber(membership: np.ndarray, ids: np.ndarray) -> pd.Series:
    """Community labels ``0..k-1`` by decreasing size, ties by the smallest member id.

    >>> renumber(np.array([5, 5, 2, 7]), np.array(["c", "d", "a", "b"], dtype=object)).tolist()
    [0, 0, 1, 2]
    """
    frame = pd.DataFrame({"c": membership, "key": pd.Series(ids, dtype=object).astype(str)})
    stats = frame.groupby("c").agg(size=("key", "size"), first=("key", "min"))
    stats = stats.sort_values(["size", "first"], ascending=[False, True], kind="stable")
    rank = pd.Series(np.arange(len(stats)), index=stats.index)
    return pd.Series(rank.reindex(membership).to_numpy(np.int64),
                     index=pd.Index(ids, name="entity_id"), name="community")


class BackgroundCommunities:
    """:func:`communities` of an :class:`ArrayGraph` computed in a forked child
    (:class:`graphbuild.core.fork.Forked`) while this process goes on; :meth:`result`
    waits for it. Only the raw labels travel back (a small integer array).

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": list("abcd")}),
    ...     pd.DataFrame({"source": ["a", "c"], "target": ["b", "d"], "weight": [1, 1]}))
    >>> BackgroundCommunities(ag, "louvain", 42).result().tolist()
    [0, 0, 1, 1]
    """

    def __init__(self, ag: ArrayGraph, method: str = "louvain", seed: int = 42,
                 resolution: float = 1.0) -> None:
        self.ag = ag
        ag.igraph()                                  # built once, shared by both sides
        self.job = Forked(_labels, ag, method, seed, resolution)

    def result(self) -> pd.Series:
        return renumber(self.job.result(), self.ag.ids)


def _labels(ag: ArrayGraph, method: str, seed: int, resolution: float) -> np.ndarray:
    return communities(ag, method, seed=seed, resolution=resolution).to_numpy(np.int64)
