"""The one compact array engine every heavy measure runs on.

An undirected graph as integer arrays (:class:`ArrayGraph`): vertex ``i`` is ``ids[i]``,
edge ``k`` joins ``src[k]`` and ``dst[k]`` with tie strength ``tie[k]``. It is built once
from the tables (or from a networkx graph a user holds) and shared by every centrality
(igraph's C code, scipy) and the community detection. networkx graphs stay the views users
touch; they are never what a measure is computed on.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from graphbuild.core.tables import positions
from graphbuild.graph.filters import driving_weight

__all__ = ["ArrayGraph", "igraph_graph"]


#: edges handed to igraph per slice (see :func:`_igraph`)
IGRAPH_EDGE_SLICE = 1 << 18


def igraph_graph(n: int, src: np.ndarray, dst: np.ndarray):
    """The undirected igraph graph of ``n`` vertices and the edges ``src[i]-dst[i]``, in
    that order.

    The edges go in as pairs of Python ints, one slice of :data:`IGRAPH_EDGE_SLICE` at a
    time: python-igraph reads a sequence of int pairs about twice as fast as a numpy array
    (which it converts element by element, through temporaries of several hundred bytes
    an edge), and the slices keep only one slice's ints alive (11 M edges at Cablegate
    scale).

    >>> igraph_graph(3, np.array([0, 1]), np.array([1, 2])).get_edgelist()
    [(0, 1), (1, 2)]
    """
    src, dst, step = np.asarray(src), np.asarray(dst), IGRAPH_EDGE_SLICE
    pairs = itertools.chain.from_iterable(
        zip(src[i:i + step].tolist(), dst[i:i + step].tolist(), strict=True)
        for i in range(0, len(src), step))
    return ig.Graph(n=n, edges=pairs, directed=False)



@dataclass
class ArrayGraph:
    """An undirected graph as arrays: vertex ``i`` is ``ids[i]``, edge ``k`` joins
    ``src[k]`` and ``dst[k]`` with tie strength ``tie[k]`` (the ``--weight`` column, npmi
    shifted to (npmi+1)/2 as :func:`graphbuild.graph.views.driving_weight` does).

    Every measure and the community detection run on this one structure, built once per
    graph from the tables (or from a networkx graph a user holds).

    >>> ag = ArrayGraph.from_tables(pd.DataFrame({"entity_id": ["a", "b", "c"]}),
    ...     pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 1]}))
    >>> ag.src.tolist(), ag.dst.tolist(), ag.tie.tolist()
    ([0, 1], [1, 2], [2.0, 1.0])
    """

    ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    tie: np.ndarray
    _igraph: object = field(default=None, repr=False)
    _adjacency: object = field(default=None, repr=False)

    @classmethod
    def from_tables(cls, entities: pd.DataFrame, edges: pd.DataFrame, weight: str = "weight",
                    ) -> ArrayGraph:
        """Code the edge ends by their row in ``entities``.

        Raises ``ValueError`` when an edge names an entity missing from ``entities``."""

        ids = entities["entity_id"]
        src = positions(edges["source"], ids)
        dst = positions(edges["target"], ids)
        if len(src) and (src.min() < 0 or dst.min() < 0):
            raise ValueError("the edges table names entities that are not in the entities "
                             "table")
        tie = (driving_weight(edges, weight).to_numpy(np.float64) if len(edges)
               else np.empty(0))
        return cls(ids.to_numpy(dtype=object), src, dst, tie)

    @classmethod
    def from_networkx(cls, G: nx.Graph, weight: str = "weight") -> ArrayGraph:
        """The graph ``G`` (any hashable node ids, in ``G``'s node order); an edge without
        the ``weight`` attribute is a tie of strength 1 (the networkx convention).

        >>> ag = ArrayGraph.from_networkx(nx.Graph([("a", "b")]))
        >>> ag.ids.tolist(), ag.tie.tolist()
        (['a', 'b'], [1.0])
        """
        ids = list(G.nodes)
        index = {v: i for i, v in enumerate(ids)}
        m = G.number_of_edges()
        src = np.empty(m, dtype=np.int64)
        dst = np.empty(m, dtype=np.int64)
        tie = np.empty(m, dtype=np.float64)
        for k, (u, v, d) in enumerate(G.edges(data=True)):
            src[k], dst[k] = index[u], index[v]
            value = d.get(weight)
            tie[k] = 1.0 if value is None else float(value)
        if weight == "npmi":
            tie = (tie + 1.0) / 2.0
        out = np.empty(len(ids), dtype=object)
        out[:] = ids
        return cls(out, src, dst, tie)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.src)

    def igraph(self):
        """The igraph graph of every edge (built once, shared by measures and communities)."""
        if self._igraph is None:
            self._igraph = igraph_graph(self.n, self.src, self.dst)
        return self._igraph

    def adjacency(self):
        """Symmetric scipy CSR matrix of tie strengths."""
        if self._adjacency is None:
            self._adjacency = csr_matrix(
                (np.concatenate((self.tie, self.tie)),
                 (np.concatenate((self.src, self.dst)), np.concatenate((self.dst, self.src)))),
                shape=(self.n, self.n))
        return self._adjacency
