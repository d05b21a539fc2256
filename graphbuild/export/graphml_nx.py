"""GraphML for Gephi, igraph and graphology.

Traps avoided: networkx's default key ids ``d0, d1...`` collide with what Gephi treats as
label keys (gephi/gephi#1840) -> ``named_key_ids=True``; mixed int/float values declare a key
twice and igraph rejects the file -> every attribute has one Python type, and
``infer_numeric_types=True``; numpy values, lists and ``None`` make ``write_graphml`` raise
-> values are plain scalars, lists are joined, missing values are left out.
"""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from graphbuild.export.safety import atomic_path, xml_safe

#: attributes written as doubles whatever their values (Gephi sizes/weights by them)
FLOAT_ATTRIBUTES = {"weight", "degree", "strength", "betweenness", "closeness", "eigenvector",
                    "pagerank", "npmi", "jaccard", "dice", "alpha", "x", "y", "size",
                    "harmonic"}


def graphml_ready(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose attributes GraphML writers and readers all accept."""
    H = nx.Graph()
    H.graph.update({k: _clean(k, v) for k, v in G.graph.items() if _clean(k, v) is not None})
    for n, d in G.nodes(data=True):
        H.add_node(xml_safe(str(n)), **_attrs(d))
    for u, v, d in G.edges(data=True):
        H.add_edge(xml_safe(str(u)), xml_safe(str(v)), **_attrs(d))
    return H


def _attrs(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        c = _clean(k, v)
        if c is not None:
            out[k] = c
    return out


def _clean(key: str, value):
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:   # NaN
        return None
    if isinstance(value, (list, tuple, set)):
        value = "|".join(str(x) for x in value)
    if key in FLOAT_ATTRIBUTES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return xml_safe(value)
    return value


def write_graphml(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as GraphML that Gephi, igraph and graphology-graphml read cleanly."""
    tmp, final = atomic_path(path)
    try:
        nx.write_graphml(graphml_ready(G), tmp, named_key_ids=True, infer_numeric_types=True)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final
