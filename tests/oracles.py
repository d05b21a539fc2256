"""Reference implementations the streamed writers and the array measures are checked
against (test oracles, never used by the package).

* GraphML: ``nx.write_graphml`` of the networkx graph of the same tables, every value
  cleaned as the package cleans it (:func:`graphml_ready`);
* GEXF: :func:`render_gexf`, an element-by-element renderer over a networkx graph;
* node-link JSON: ``nx.node_link_data``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import quoteattr

import networkx as nx
import pandas as pd

from graphbuild.core.files import json_safe
from graphbuild.export.gexf import (
    EDGE_OWN,
    NODE_OWN,
    gexf_head,
    gexf_type,
    gexf_value,
    node_color,
    spell_lines,
)
from graphbuild.export.graphml import clean_value
from graphbuild.export.palette import rgb
from graphbuild.export.safety import xml_safe


def tables_of(G: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The entities and edges tables of a networkx graph (node and edge attributes as
    columns), what the streamed writers take."""
    ents = pd.DataFrame([{"entity_id": n, **d} for n, d in G.nodes(data=True)])
    if ents.empty:
        ents = pd.DataFrame({"entity_id": pd.Series(dtype=object)})
    edges = pd.DataFrame([{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)])
    if edges.empty:
        edges = pd.DataFrame({"source": pd.Series(dtype=object),
                              "target": pd.Series(dtype=object)})
    return ents, edges


def write_graphml_nx(G: nx.Graph, path) -> None:
    """GraphML as networkx writes it for ``G`` with its values cleaned."""
    nx.write_graphml(graphml_ready(G), path, named_key_ids=True, infer_numeric_types=True)


def node_link(G: nx.Graph) -> dict:
    """The node-link dict of ``G`` with JSON-safe values (NaN/inf -> ``null``)."""
    return json_safe(nx.node_link_data(G, edges="edges"))


def graphml_ready(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose attributes GraphML writers and readers all accept."""
    H = nx.Graph()
    H.graph.update(_attrs(G.graph))
    for n, d in G.nodes(data=True):
        H.add_node(xml_safe(str(n)), **_attrs(d))
    for u, v, d in G.edges(data=True):
        H.add_edge(xml_safe(str(u)), xml_safe(str(v)), **_attrs(d))
    return H


def _attrs(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        c = clean_value(k, v)
        if c is not None:
            out[k] = c
    return out


def render_gexf(G: nx.Graph, *, color_by: str = "type", size_by: str = "pagerank",
                weight: str = "weight", positions: Mapping | None = None,
                node_spells: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                edge_spells: Mapping[tuple[str, str], Sequence[tuple[str, str]]] | None = None,
                description: str = "") -> str:
    """The GEXF 1.3 document of ``G`` (see the module docstring for what it holds).

    ``color_by`` is ``"type"`` or ``"community"`` (the node attribute); ``positions`` maps
    node -> ``(x, y)`` (every node at the origin when not given); spells map node ids /
    ``(source, target)`` pairs to ISO ``(start, end)`` intervals.

    """
    if color_by not in ("type", "community"):
        raise ValueError("color_by must be 'type' or 'community'")
    positions = positions or {}
    dynamic = bool(node_spells or edge_spells)
    node_keys = _keys((d for _, d in G.nodes(data=True)), NODE_OWN)
    edge_keys = _keys((d for _, _, d in G.edges(data=True)), EDGE_OWN)
    sizes = [float(d.get(size_by) or 0) for _, d in G.nodes(data=True)]
    top = max(sizes) if sizes else 0.0
    out = gexf_head(description, dynamic, node_keys, edge_keys)
    out.append("    <nodes>")
    for n, d in G.nodes(data=True):
        nid = xml_safe(str(n))
        label = xml_safe(str(d.get("label", n)))
        out.append(f"      <node id={quoteattr(nid)} label={quoteattr(label)}>")
        out += _attvalues(d, node_keys, "        ")
        out += spell_lines((node_spells or {}).get(n), "        ")
        color = node_color(d, color_by)
        r, g, b = rgb(color)
        x, y = positions.get(n, (0.0, 0.0))
        size = 5.0 + 45.0 * (float(d.get(size_by) or 0) / top) if top > 0 else 10.0
        out.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        out.append(f'        <viz:position x="{x!r}" y="{y!r}" z="0.0"/>')
        out.append(f'        <viz:size value="{size!r}"/>')
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for i, (u, v, d) in enumerate(G.edges(data=True)):
        w = d.get("weight")
        wattr = f' weight="{float(w)!r}"' if w is not None else ""
        out.append(f'      <edge id="{i}" source={quoteattr(xml_safe(str(u)))} '
                   f'target={quoteattr(xml_safe(str(v)))}{wattr}>')
        out += _attvalues(d, edge_keys, "        ")
        key = (u, v) if (u, v) in (edge_spells or {}) else (v, u)
        out += spell_lines((edge_spells or {}).get(key), "        ")
        out.append("      </edge>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    return "\n".join(out) + "\n"


def _keys(dicts, own: set[str]) -> dict[str, str]:
    columns: dict[str, list] = {}
    for d in dicts:
        for k, v in d.items():
            if k not in own:
                columns.setdefault(k, []).append(v)
    out = {}
    for k, values in columns.items():
        kind = gexf_type(values)
        if kind is not None:
            out[k] = kind
    return out


def _attvalues(d: Mapping, keys: Mapping[str, str], pad: str) -> list[str]:
    rows = []
    for k, kind in keys.items():
        v = d.get(k)
        if v is None or (isinstance(v, float) and v != v):
            continue
        if kind in ("integer", "long", "double") and isinstance(v, str):
            continue
        rows.append(f"{pad}  <attvalue for={quoteattr(xml_safe(k))} "
                    f"value={quoteattr(gexf_value(v, kind))}/>")
    return [f"{pad}<attvalues>", *rows, f"{pad}</attvalues>"] if rows else []




def graph_tables(G: nx.Graph):
    """The :class:`~graphbuild.export.view.GraphTables` of a networkx graph: what the
    package's streamed writers write."""
    from graphbuild.export.view import GraphTables

    return GraphTables.of(*tables_of(G))


def write_graphml_of(G: nx.Graph, path):
    """The package's GraphML writer on the tables of ``G``."""
    from graphbuild.export.graphml import write_graphml

    return write_graphml(graph_tables(G), path)


def write_gexf_of(G: nx.Graph, path, **options):
    """The package's GEXF writer on the tables of ``G``."""
    from graphbuild.export.gexf import write_gexf

    return write_gexf(graph_tables(G), path, **options)


def nx_centralities(G: nx.Graph, weight: str = "weight", seed: int = 42,
                    k: int | None = None, sources: int | None = None) -> pd.DataFrame:
    """The measures of :mod:`graphbuild.measures.centrality` computed by networkx's own
    algorithms (the oracle): ``k`` sampled betweenness sources (networkx's seeded
    sampling), closeness/harmonic from ``sources`` seeded sources when given (as
    Eppstein & Wang, averaged over the sources)."""
    import random

    import numpy as np

    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        w = d.get(weight, 1.0)
        w = (float(w) + 1.0) / 2.0 if weight == "npmi" else float(w)
        H.add_edge(u, v, weight=w, distance=1.0 / w)
    nodes = list(H)
    n = len(nodes)
    out = {"degree": dict(H.degree()), "strength": dict(H.degree(weight="weight"))}
    out["betweenness"] = nx.betweenness_centrality(H, k=k, seed=seed, weight="distance")
    if sources is None:
        out["closeness"] = nx.closeness_centrality(H, distance="distance")
        harm = nx.harmonic_centrality(H, distance="distance")
        out["harmonic"] = {v: h / (n - 1) if n > 1 else 0.0 for v, h in harm.items()}
    else:
        picked = random.Random(seed).sample(range(n), sources)
        dist = {nodes[s]: nx.single_source_dijkstra_path_length(H, nodes[s],
                                                                 weight="distance")
                for s in picked}
        close, harm = {}, {}
        for v in nodes:
            others = [s for s in dist if s != v]
            d = [dist[s][v] for s in others if v in dist[s]]
            close[v] = (len(d) / len(others)) / (sum(d) / len(d)) if d else 0.0
            harm[v] = sum(1.0 / x for x in d) / len(others) if others else 0.0
        out["closeness"], out["harmonic"] = close, harm
    eig = dict.fromkeys(nodes, 0.0)
    for comp in nx.connected_components(H):
        if len(comp) < 2:
            continue
        sub = H.subgraph(comp)
        if len(comp) > 2:
            vals = nx.eigenvector_centrality_numpy(sub, weight="weight")
        else:                                    # two nodes: the vector (1, 1)
            vals = dict.fromkeys(comp, 1.0)
        norm = np.sqrt(sum(v * v for v in vals.values()))
        for node, v in vals.items():
            eig[node] = abs(v) / norm * len(comp) / n
    out["eigenvector"] = eig
    out["pagerank"] = nx.pagerank(H, weight="weight", tol=1e-13, max_iter=10_000)
    frame = pd.DataFrame(out, index=pd.Index(nodes, name="entity_id")).astype("float64")
    return frame
