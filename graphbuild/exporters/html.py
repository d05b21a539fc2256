"""Interactive HTML graph (pyvis / vis-network), one self-contained offline file.

pyvis is used for its vis-network bundle and option model, but nodes and edges are added
directly (``from_nx`` renames ``weight`` to ``width`` and is quadratic), every
document-derived string is HTML-escaped (pyvis escapes nothing), and the CDN tags pyvis adds
even with ``cdn_resources="in_line"`` (pyvis #229) are removed.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from .safety import atomic_write_text

#: colour of each entity type (colour-blind-safe Okabe-Ito palette)
TYPE_COLORS = {"PER": "#E69F00", "LOC": "#56B4E9", "ORG": "#009E73", "MISC": "#CC79A7"}
DEFAULT_COLOR = "#999999"

_REMOTE_TAG = re.compile(
    r"<link[^>]*href=\"(?:https?:)?//[^\"]*\"[^>]*/?>"
    r"|<script[^>]*src=\"(?:https?:)?//[^\"]*\"[^>]*>\s*</script>"
    r"|<!--.*?-->", re.S)


def render_html(G: nx.Graph, size_by: str = "pagerank", title: str = "graphbuild") -> str:
    """Return the HTML page of ``G`` (nodes with ``label``/``type``, edges with ``weight``)."""
    net = Network(height="100vh", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    values = [float(d.get(size_by) or 0) for _, d in G.nodes(data=True)]
    top = max(values) if values else 1.0
    for node, d in G.nodes(data=True):
        label = str(d.get("label", node))
        etype = str(d.get("type", ""))
        tip = (f"{label} ({etype})\nmentions: {d.get('mentions', '')}\n"
               f"documents: {d.get('documents', '')}")
        net.add_node(html.escape(str(node)), label=html.escape(label), title=html.escape(tip),
                     color=TYPE_COLORS.get(etype, DEFAULT_COLOR),
                     value=1 + 29 * (float(d.get(size_by) or 0) / top if top else 0))
    for u, v, d in G.edges(data=True):
        w = d.get("weight", 1)
        net.add_edge(html.escape(str(u)), html.escape(str(v)), value=float(w),
                     title=html.escape(f"weight {w}, documents {d.get('documents', '')}"))
    net.toggle_physics(G.number_of_nodes() <= 400)
    page = net.generate_html()
    page = _REMOTE_TAG.sub("", page)
    return page.replace("<title>", f"<title>{html.escape(title)}", 1) if "<title>" in page else page


def write_html(G: nx.Graph, path: str | os.PathLike[str], size_by: str = "pagerank") -> Path:
    """Write the self-contained HTML page of ``G`` atomically."""
    atomic_write_text(path, render_html(G, size_by))
    return Path(path)
