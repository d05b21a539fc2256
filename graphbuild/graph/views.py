"""Graph stage, views: networkx graphs built from the tables, for what users touch (a
filtered graph, an ego graph, the HTML page), and the neighbourhood of an entity as tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import pandas as pd

__all__ = ["to_networkx", "ego_tables"]


def to_networkx(entities: pd.DataFrame, edges: pd.DataFrame,
                node_columns: Sequence[str] | None = None,
                edge_columns: Sequence[str] | None = None) -> nx.Graph:
    """Build an undirected networkx graph: nodes from ``entities``, edges from ``edges``.

    Parameters
    ----------
    entities : pandas.DataFrame
        One row per node (``entity_id`` and attribute columns).
    edges : pandas.DataFrame
        One row per edge (``source``, ``target`` and attribute columns).
    node_columns, edge_columns : sequence of str, optional
        The columns that become attributes (default: all).

    Returns
    -------
    networkx.Graph
        Node attributes are the entity columns (``label, type, mentions, paragraphs,
        documents``...) and edge attributes the edge columns (``weight, documents``...), as
        plain Python values (missing ones ``None``). Nodes appear in table order, so output
        files are deterministic.

    Examples
    --------
    >>> import pandas as pd
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A", "B"]})
    >>> G = to_networkx(ents, pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]}))
    >>> G.nodes["a"]["label"], G.edges["a", "b"]["weight"]
    ('A', 2)
    """
    node_columns = [c for c in (node_columns or entities.columns) if c != "entity_id"]
    edge_columns = [c for c in (edge_columns or edges.columns) if c not in ("source", "target")]
    G = nx.Graph()
    ids = entities["entity_id"].tolist()
    attrs = entities[node_columns].astype(object).where(entities[node_columns].notna(), None)
    G.add_nodes_from((nid, {k: _py(v) for k, v in zip(node_columns, row, strict=True)})
                     for nid, row in zip(ids, attrs.itertuples(index=False, name=None),
                                         strict=True))
    eattrs = edges[edge_columns].astype(object).where(edges[edge_columns].notna(), None)
    G.add_edges_from((s, t, {k: _py(v) for k, v in zip(edge_columns, row, strict=True)})
                     for s, t, row in zip(edges["source"].tolist(), edges["target"].tolist(),
                                          eattrs.itertuples(index=False, name=None),
                                          strict=True))
    return G


def _py(value):
    """numpy scalars -> Python scalars (networkx writers and JSON want plain values)."""
    return value.item() if hasattr(value, "item") else value


def ego_tables(entities: pd.DataFrame, edges: pd.DataFrame, center: str, radius: int = 1,
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities within ``radius`` hops of ``center`` and the edges among them."""
    frontier = {center}
    seen = {center}
    for _ in range(radius):
        touching = edges[edges["source"].isin(frontier) | edges["target"].isin(frontier)]
        nxt = set(touching["source"]) | set(touching["target"])
        frontier = nxt - seen
        seen |= nxt
    ents = entities[entities["entity_id"].isin(seen)]
    eds = edges[edges["source"].isin(seen) & edges["target"].isin(seen)]
    return ents, eds
