"""Which graph the graph files hold, as tables: the nodes (entities with their measures and
community) and edges of :meth:`EntityGraph.graph`, in networkx's order, and the cut to the
top entities above a million edges.

The streamed writers (:mod:`graphbuild.export.graphml`, :mod:`~graphbuild.export.gexf`,
:mod:`~graphbuild.export.json`) write *the same bytes* the networkx-based writers give for
the graph :func:`graphbuild.graph.to_networkx` builds from the same tables (the networkx
writers are kept as test oracles, ``tests/oracles.py``):

* node order = table order; edge order and orientation = networkx's ``G.edges()`` (each
  edge under its endpoint that comes first in node order, in table order), see
  :func:`nx_edge_order`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from graphbuild.core.ranking import rank_order
from graphbuild.core.tables import positions
from graphbuild.export.values import Values


@dataclass
class GraphTables:
    """Nodes and edges in networkx's order, attributes as :class:`Values`.

    ``ids`` are the node ids (str), ``source``/``target`` node positions per edge (``source``
    first in node order), ``node_attrs``/``edge_attrs`` attribute name -> values, in the
    order of the networkx attribute dicts.

    >>> ents = pd.DataFrame({"entity_id": ["b", "a"], "label": ["B", "A"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> gt = GraphTables.of(ents, edges, ["label"], ["weight"])
    >>> gt.ids, gt.source.tolist(), gt.target.tolist()
    (['b', 'a'], [0], [1])
    """

    ids: list[str]
    source: np.ndarray
    target: np.ndarray
    node_attrs: dict[str, Values]
    edge_attrs: dict[str, Values]
    #: nodes from this position on came from the edges only (no attributes at all)
    n_attributed: int | None = None

    @classmethod
    def of(cls, entities: pd.DataFrame, edges: pd.DataFrame,
           node_columns: Sequence[str] | None = None,
           edge_columns: Sequence[str] | None = None) -> GraphTables:
        """The graph :func:`graphbuild.graph.to_networkx` would build from these tables
        (same arguments), without building it."""
        node_columns = [c for c in (node_columns or entities.columns) if c != "entity_id"]
        edge_columns = [c for c in (edge_columns or edges.columns)
                        if c not in ("source", "target")]
        ids = entities["entity_id"].tolist()
        index = pd.Index(ids)
        s = index.get_indexer(edges["source"])
        t = index.get_indexer(edges["target"])
        extra: list = []
        if (s < 0).any() or (t < 0).any():
            # endpoints missing from the entities become attribute-less nodes, appended
            # in the order networkx's add_edges_from meets them
            ends = np.column_stack([edges["source"].to_numpy(object),
                                    edges["target"].to_numpy(object)]).ravel()
            known = np.column_stack([s, t]).ravel() >= 0
            extra = list(dict.fromkeys(ends[~known].tolist()))
            index = pd.Index(ids + extra)
            s = index.get_indexer(edges["source"])
            t = index.get_indexer(edges["target"])
        order, src, tgt = nx_edge_order(s, t)
        node_attrs = {c: Values.of(entities[c]) for c in node_columns}
        if extra:
            node_attrs = {c: _pad(v, len(extra)) for c, v in node_attrs.items()}
        edge_attrs = {c: Values.of(edges[c]).take(order) for c in edge_columns}
        return cls([str(i) for i in ids + extra], src, tgt, node_attrs, edge_attrs,
                   len(ids) if extra else None)


def _pad(v: Values, n: int) -> Values:
    """``v`` followed by ``n`` missing values."""
    if v.kind == "object":
        return Values("object", np.append(v.present, np.zeros(n, bool)), None,
                      v.items + [None] * n)
    if isinstance(v.data, pa.Array):
        data = pa.concat_arrays([v.data, pa.nulls(n, v.data.type)])
    else:
        data = np.append(v.data, np.zeros(n, v.data.dtype))
    return Values(v.kind, np.append(v.present, np.zeros(n, bool)), data)


def nx_edge_order(source: np.ndarray, target: np.ndarray,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order in which ``nx.Graph.edges()`` yields the edges of a graph whose nodes were
    added first (positions ``0..n-1``) and whose edges were then added row by row: each edge
    comes under its endpoint that is first in node order (the ``u`` of ``(u, v)``), edges of
    one node in insertion order. Returns ``(rows, u, v)``.

    >>> rows, u, v = nx_edge_order(np.array([2, 0, 1]), np.array([0, 1, 2]))
    >>> rows.tolist(), u.tolist(), v.tolist()
    ([0, 1, 2], [0, 0, 1], [2, 1, 2])
    """
    u = np.minimum(source, target)
    v = np.maximum(source, target)
    rows = np.argsort(u, kind="stable")
    return rows, u[rows], v[rows]



def top_rows(nodes: pd.DataFrame, size_by: str, n: int) -> np.ndarray:
    """Positions (in table order) of the ``n`` rows ranked highest by ``size_by``
    (:func:`graphbuild.core.ranking.rank_order`).

    >>> nodes = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                       "degree": [1.0, 3.0, 3.0]})
    >>> top_rows(nodes, "degree", 2).tolist()
    [1, 2]
    """
    return np.sort(rank_order(nodes, size_by, n))


#: GraphML/GEXF/graph.json of a graph with more edges hold the top entities only (Gephi
#: desktop becomes unusable past about a million edges; the full graph is in the tables)
GRAPH_FILE_MAX_EDGES = 1_000_000


def graph_file_view(nodes: pd.DataFrame, edges: pd.DataFrame, size_by: str = "pagerank",
                    max_edges: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and edges the graph files hold: everything up to ``max_edges`` edges, else
    the most entities by ``size_by`` (ranked as :func:`top_rows`) whose graph has at most
    ``max_edges`` edges (default :data:`GRAPH_FILE_MAX_EDGES`), and the edges among them.

    >>> nodes = pd.DataFrame({"entity_id": list("abcd"), "label": list("ABCD"),
    ...                       "pagerank": [0.4, 0.3, 0.2, 0.1]})
    >>> edges = pd.DataFrame({"source": list("aabc"), "target": list("bcdd")})
    >>> n, e = graph_file_view(nodes, edges, max_edges=2)
    >>> n["entity_id"].tolist(), e.values.tolist()
    (['a', 'b', 'c'], [['a', 'b'], ['a', 'c']])
    """
    max_edges = GRAPH_FILE_MAX_EDGES if max_edges is None else max_edges
    if len(edges) <= max_edges:
        return nodes, edges
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[rank_order(nodes, size_by)] = np.arange(len(nodes))
    src = positions(edges["source"], nodes["entity_id"])
    dst = positions(edges["target"], nodes["entity_id"])
    # an edge is in the view of the top k entities when both ends rank below k
    last = np.maximum(rank[src], rank[dst])
    within = np.cumsum(np.bincount(last, minlength=len(nodes)))
    k = int(np.searchsorted(within, max_edges, side="right"))
    return nodes[rank < k], edges[last < k]
