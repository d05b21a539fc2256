"""GEXF 1.3 for Gephi and Gephi Lite (graphology-gexf), written by hand.

networkx's ``write_gexf`` is not used because of three traps: it writes ``<graph name="">``
(not allowed by the 1.3 schema), the 1.2 namespace under ``version="1.3"``, and
``timeformat="long"`` for integer times, which Gephi's timeline ignores. Here:

* namespace ``http://gexf.net/1.3`` (viz: ``http://gexf.net/1.3/viz``) with its
  ``xsi:schemaLocation``, ``version="1.3"``, no ``name`` on ``<graph>``;
* typed attributes declared once per class (``integer``, ``double``, ``boolean``,
  ``string``), attribute ids equal to their names so every reader shows the same names;
  the edge ``weight`` is GEXF's own ``weight`` attribute of ``<edge>``;
* colours by entity type or by community (``viz:color``), layout positions
  (``viz:position``, a seeded force-directed layout on the chosen weight) and sizes
  (``viz:size``, from a centrality);
* with a timeline, ``mode="dynamic" timeformat="date"`` and one ``<spell>`` per run of
  consecutive periods in ISO dates (no per-period attribute values: graphology-gexf rejects
  them, and Gephi's timeline only needs the spells).

Every string is made XML-safe (control characters replaced) and escaped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
import numpy as np

from graphbuild.export.html import DEFAULT_COLOR, TYPE_COLORS
from graphbuild.export.safety import atomic_write_text, xml_safe

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"

#: colours of communities 0, 1, 2... (Okabe-Ito, then Tableau), cycled
COMMUNITY_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                    "#CC79A7", "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#9C755F")
#: node attributes never written as attvalues (they are GEXF's own fields)
_NODE_OWN = {"label"}
#: networkx's spring layout up to this many nodes, igraph's grid Fruchterman-Reingold above
#: (networkx switches to a pure-Python sparse solver from 500 nodes on: 15 s for 1,000
#: nodes, 40 s for 2,000, against 3 s for igraph at 2,000)
SPRING_MAX_NODES = 499
_EDGE_OWN = {"weight"}


def gexf_type(values: Sequence) -> str | None:
    """The GEXF type of a column of Python values (``None`` values ignored).

    >>> gexf_type([1, 2]), gexf_type([1, 2.5]), gexf_type(["a", 1]), gexf_type([None])
    ('integer', 'double', 'string', None)
    """
    seen = [v.item() if hasattr(v, "item") else v for v in values if v is not None]
    seen = [v for v in seen if not (isinstance(v, float) and v != v)]
    if not seen:
        return None
    if all(isinstance(v, bool) for v in seen):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in seen):
        return "integer" if all(-2**31 <= v < 2**31 for v in seen) else "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return "double"
    return "string"


def _value(v, kind: str) -> str:
    if hasattr(v, "item"):
        v = v.item()
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        return repr(float(v))
    if kind in ("integer", "long"):
        return str(int(v))
    return xml_safe(str(v))


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def layout_positions(G: nx.Graph, weight: str = "weight", seed: int = 42,
                     scale: float = 1000.0) -> dict:
    """Seeded force-directed positions (Fruchterman-Reingold on the chosen weight).

    ``npmi`` is shifted to ``(npmi + 1) / 2`` like everywhere else; networkx's spring
    layout below 500 nodes, igraph's grid-accelerated one above (same model, C speed).

    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(abs(x) <= 1000 for x, _ in pos.values())
    True
    """
    nodes = list(G.nodes)
    if not nodes:
        return {}
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}

    def tie(d) -> float:
        v = d.get(weight)
        v = 1.0 if v is None else float(v)
        return (v + 1.0) / 2.0 if weight == "npmi" else v

    if len(nodes) <= SPRING_MAX_NODES:
        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_weighted_edges_from((u, v, tie(d)) for u, v, d in G.edges(data=True))
        pos = nx.spring_layout(H, weight="weight", seed=seed, scale=scale)
        return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}
    import random

    import igraph as ig

    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    start = np.random.default_rng(seed).uniform(-1, 1, size=(len(nodes), 2)).tolist()
    # igraph draws from a Python RNG: a seeded one makes the layout reproducible
    ig.set_random_number_generator(random.Random(seed))
    try:
        lay = g.layout_fruchterman_reingold(
            weights=[tie(d) for _, _, d in G.edges(data=True)] or None, seed=start,
            niter=100, grid="grid")
    finally:
        ig.set_random_number_generator(random)
    xy = np.asarray(lay.coords, dtype="float64")
    xy -= xy.mean(axis=0)
    span = np.abs(xy).max() or 1.0
    xy *= scale / span
    return {n: (float(xy[i, 0]), float(xy[i, 1])) for n, i in index.items()}


#: whole-graph exports get ``viz:position`` up to this many nodes and edges; above, the
#: layout alone took minutes (118 s for 18 k nodes / 520 k edges) and a picture of that
#: many nodes is unreadable anyway: Gephi lays the graph out itself (ForceAtlas 2)
LAYOUT_MAX_NODES = 3000
LAYOUT_MAX_EDGES = 30_000


def gexf_positions(graph: Callable[[], nx.Graph], n_nodes: int, n_edges: int,
                   weight: str = "weight", seed: int = 42) -> tuple[dict | None, str]:
    """``(positions, note)`` for a whole-graph GEXF: :func:`layout_positions` of
    ``graph()`` (only called, so only built, when the graph is small enough) up to
    :data:`LAYOUT_MAX_NODES` nodes and :data:`LAYOUT_MAX_EDGES` edges; above, ``None``
    and a note for the GEXF description saying why there is no layout.

    >>> pos, note = gexf_positions(lambda: nx.path_graph(2), 2, 1)
    >>> sorted(pos), note
    ([0, 1], '')
    >>> gexf_positions(lambda: nx.Graph(), 10**6, 10**7)[1][:46]
    '; no layout (viz:position) above 3,000 nodes o'
    """
    if n_nodes <= LAYOUT_MAX_NODES and n_edges <= LAYOUT_MAX_EDGES:
        return layout_positions(graph(), weight, seed), ""
    return None, (f"; no layout (viz:position) above {LAYOUT_MAX_NODES:,} nodes or "
                  f"{LAYOUT_MAX_EDGES:,} edges: lay it out in Gephi (e.g. ForceAtlas 2)")


def render_gexf(G: nx.Graph, *, color_by: str = "type", size_by: str = "pagerank",
                weight: str = "weight", positions: Mapping | None = None,
                node_spells: Mapping[str, Sequence[tuple[str, str]]] | None = None,
                edge_spells: Mapping[tuple[str, str], Sequence[tuple[str, str]]] | None = None,
                description: str = "", seed: int = 42) -> str:
    """The GEXF 1.3 document of ``G`` (see the module docstring for what it holds).

    ``color_by`` is ``"type"`` or ``"community"`` (the node attribute); ``positions`` maps
    node -> ``(x, y)`` (computed with :func:`layout_positions` when not given); spells map
    node ids / ``(source, target)`` pairs to ISO ``(start, end)`` intervals.

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2, documents=1)
    >>> "<gexf xmlns=\\"http://gexf.net/1.3\\"" in render_gexf(G)
    True
    """
    if color_by not in ("type", "community"):
        raise ValueError("color_by must be 'type' or 'community'")
    if positions is None:
        positions = layout_positions(G, weight, seed)
    dynamic = bool(node_spells or edge_spells)
    node_keys = _keys((d for _, d in G.nodes(data=True)), _NODE_OWN)
    edge_keys = _keys((d for _, _, d in G.edges(data=True)), _EDGE_OWN)
    sizes = [float(d.get(size_by) or 0) for _, d in G.nodes(data=True)]
    top = max(sizes) if sizes else 0.0
    out = gexf_head(description, dynamic, node_keys, edge_keys)
    out.append("    <nodes>")
    for n, d in G.nodes(data=True):
        nid = xml_safe(str(n))
        label = xml_safe(str(d.get("label", n)))
        out.append(f"      <node id={quoteattr(nid)} label={quoteattr(label)}>")
        out += _attvalues(d, node_keys, "        ")
        out += _spells((node_spells or {}).get(n), "        ")
        color = _node_color(d, color_by)
        r, g, b = _rgb(color)
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
        out += _spells((edge_spells or {}).get(key), "        ")
        out.append("      </edge>")
    out.append("    </edges>")
    out.append("  </graph>")
    out.append("</gexf>")
    return "\n".join(out) + "\n"


def gexf_head(description: str, dynamic: bool, node_keys: Mapping[str, str],
              edge_keys: Mapping[str, str]) -> list[str]:
    """The lines before ``<nodes>``: declaration, meta (today's date, ``description``), the
    ``<graph>`` opening and the typed attribute declarations.

    >>> gexf_head("d", False, {"type": "string"}, {})[-2]
    '      <attribute id="type" title="type" type="string"/>'
    """
    today = dt.date.today().isoformat()
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{SCHEMA_LOCATION}" version="1.3">',
           f'  <meta lastmodifieddate="{today}">',
           "    <creator>graphbuild</creator>",
           f"    <description>{escape(xml_safe(description))}</description>",
           "  </meta>"]
    mode = ' mode="dynamic" timeformat="date" timerepresentation="interval"' if dynamic else \
        ' mode="static"'
    out.append(f'  <graph defaultedgetype="undirected"{mode}>')
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        if not keys:
            continue
        out.append(f'    <attributes class="{cls}" mode="static">')
        for k, kind in keys.items():
            out.append(f"      <attribute id={quoteattr(xml_safe(k))} "
                       f"title={quoteattr(xml_safe(k))} type=\"{kind}\"/>")
        out.append("    </attributes>")
    return out


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
                    f"value={quoteattr(_value(v, kind))}/>")
    return [f"{pad}<attvalues>", *rows, f"{pad}</attvalues>"] if rows else []


def _spells(spells, pad: str) -> list[str]:
    if not spells:
        return []
    rows = [f'{pad}  <spell start="{s}" end="{e}"/>' for s, e in spells]
    return [f"{pad}<spells>", *rows, f"{pad}</spells>"]


def _node_color(d: Mapping, color_by: str) -> str:
    if color_by == "community":
        c = d.get("community")
        if c is None or int(c) < 0:
            return DEFAULT_COLOR
        return COMMUNITY_COLORS[int(c) % len(COMMUNITY_COLORS)]
    return TYPE_COLORS.get(str(d.get("type", "")), DEFAULT_COLOR)


def write_gexf(G: nx.Graph, path: str | os.PathLike[str], **options) -> Path:
    """Write :func:`render_gexf` of ``G`` to ``path`` atomically (options as there)."""
    atomic_write_text(path, render_gexf(G, **options))
    return Path(path)
