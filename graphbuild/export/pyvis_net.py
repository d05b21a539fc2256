"""The graph as a :class:`pyvis.network.Network`, for users who want to customise the
picture in pyvis (physics, its option buttons, their own colours), and a writer that makes
pyvis' page safe and offline.

``graph.html`` (:mod:`graphbuild.export.html`) stays the explorer: evidence, search,
filters, sources and time. pyvis is for customising. Its own template, as of pyvis 0.3.2,
loads Bootstrap from a CDN even with ``cdn_resources="in_line"`` (pyvis #229) and writes
the heading unescaped; :func:`write_pyvis_html` renders with everything inlined, drops the
remote links (Bootstrap only styles pyvis' cards) and escapes what pyvis would not. The
nodes are added one by one with :meth:`~pyvis.network.Network.add_node` (pyvis'
``from_nx`` is quadratic), at the positions of the one layout (``page_positions``), with
physics off unless asked for.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any

from graphbuild.core.diagnostics import InputError
from graphbuild.core.files import atomic_write
from graphbuild.core.tables import Tables
from graphbuild.export.folder import page_view
from graphbuild.export.html import NODE_SIZE, finite, node_radii, page_positions
from graphbuild.export.palette import DEFAULT_COLOR, TYPE_COLORS

__all__ = ["to_pyvis", "write_pyvis_html", "pyvis_page"]

#: a ``<link>`` or ``<script>`` element that loads something from the network
_REMOTE = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>"""
                     r"""|<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//[^>]*>\s*</script>""",
                     re.IGNORECASE | re.DOTALL)
#: ties in grey, drawn under the nodes (pyvis' default colours each edge like its node)
EDGE_COLOR = {"color": "#8c8c8c", "opacity": 0.5, "highlight": "#333333", "hover": "#555555"}
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.DOTALL)


def to_pyvis(tables: Tables, size_by: str = "pagerank", max_nodes: int | None = 400,
             physics: bool = False, height: str = "750px", width: str = "100%",
             title: str = "", **network_options: Any):
    """The graph (its ``max_nodes`` entities ranked highest by ``size_by``) as a pyvis
    network.

    Parameters
    ----------
    tables : Tables
        A build, a loaded folder or a view of one (:func:`~graphbuild.export.selection.
        select_view`).
    size_by : str
        The measure that sizes the nodes (and picks which ones are kept).
    max_nodes : int or None
        Keep at most this many entities (``None`` or 0: all).
    physics : bool
        Let vis-network's physics move the nodes (off: they stay where the layout put
        them, the positions ``graph.html`` uses).
    height, width : str
        CSS size of the drawing.
    title : str
        A heading above the drawing (plain text, escaped on writing).
    **network_options
        Passed to :class:`pyvis.network.Network` (``select_menu``, ``filter_menu``,
        ``neighborhood_highlight``, ``bgcolor``...).

    Returns
    -------
    pyvis.network.Network
        Node ids are entity ids; each node has ``label``, ``title`` (a plain-text tooltip),
        ``color`` by type, ``value`` (the measure), ``x``/``y``; each edge ``value``
        (weight) and ``title``. Write it with :func:`write_pyvis_html`.

    Examples
    --------
    >>> import graphbuild as gb
    >>> net = to_pyvis(gb.build("seeds/cable_09STATE83014_annotated.txt"), max_nodes=5)
    >>> len(net.nodes), net.options.physics.enabled
    (5, False)
    """
    from pyvis.network import Network

    G, _ = page_view(tables, size_by, max_nodes)
    xy = page_positions(G, size_by, max_nodes, tables.settings.get("seed", 42))
    radius = node_radii(G, size_by)
    net = Network(height=height, width=width, heading=title, cdn_resources="in_line",
                  **network_options)
    for node in xy:
        d = G.nodes[node]
        kind = str(d.get("type", ""))
        tip = (f"{d.get('label', node)} ({kind})\n"
               f"{int(d.get('mentions', 0) or 0):,} mentions in "
               f"{int(d.get('documents', 0) or 0):,} documents\n"
               f"{size_by}: {_fmt(d.get(size_by))}")
        net.add_node(str(node), label=str(d.get("label", node)), title=tip,
                     color=TYPE_COLORS.get(kind, DEFAULT_COLOR), size=radius[node],
                     value=finite(d.get(size_by)), x=float(xy[node][0]), y=float(xy[node][1]),
                     type=kind)
    for u, v, d in G.edges(data=True):
        if u in xy and v in xy:
            weight = d.get("weight", 1)
            net.add_edge(str(u), str(v), value=finite(weight), color=EDGE_COLOR, title=(
                f"{G.nodes[u].get('label', u)} – {G.nodes[v].get('label', v)}: together in "
                f"{int(weight):,} paragraphs of {int(d.get('documents', 0) or 0):,} "
                "documents"))
    net.toggle_physics(physics)
    net.options.nodes = {"scaling": {"min": NODE_SIZE[0], "max": NODE_SIZE[1]}}
    return net


def pyvis_page(net) -> str:
    """The HTML page of ``net``, offline and safe: vis-network, its CSS and pyvis'
    helpers inlined, no request to a CDN, the heading and (where pyvis sets tooltips
    as HTML) the tooltips escaped.

    Parameters
    ----------
    net : pyvis.network.Network
        Any pyvis network (from :func:`to_pyvis` or your own).

    Returns
    -------
    str
        The page.

    Examples
    --------
    >>> from pyvis.network import Network
    >>> net = Network()
    >>> net.add_node("a", label="<b>A</b>", title="<img src=x onerror=alert(1)>")
    >>> page = pyvis_page(net)
    >>> "cdn.jsdelivr.net" in page, 'src="https://' in page, "<img src=x" in page
    (False, False, False)
    """
    saved = net.nodes, net.heading, net.cdn_resources
    # pyvis switches its tooltips to innerHTML when a title contains "href" (otherwise
    # vis-network sets them as text): escape them exactly when they would become HTML
    as_html = any("href" in str(n.get("title", "")) for n in net.nodes)
    try:
        if as_html:
            net.nodes = [{**n, "title": _as_html(n["title"])} if "title" in n else n
                         for n in net.nodes]
        net.heading = ""          # written below, escaped, once (pyvis writes it twice)
        net.cdn_resources = "in_line"
        page = net.generate_html(notebook=False)
    finally:
        net.nodes, net.heading, net.cdn_resources = saved
    page = _REMOTE.sub("", page)
    heading = f"<h1>{html.escape(str(saved[1]))}</h1>" if saved[1] else ""
    page = _HEADING.sub("", page, count=1)
    page = _HEADING.sub(heading.replace("\\", "\\\\"), page, count=1)
    left = re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    if left:
        raise InputError(f"the pyvis page still loads {page[left.start():left.start() + 80]!r}"
                         " from the network")
    if not page.lstrip().lower().startswith("<!doctype"):
        page = "<!DOCTYPE html>\n" + page
    return page


def write_pyvis_html(net, path: str | os.PathLike[str]) -> Path:
    """Write :func:`pyvis_page` of ``net`` to ``path`` (atomically).

    Parameters
    ----------
    net : pyvis.network.Network
        The network.
    path : str or os.PathLike
        The file.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> write_pyvis_html(to_pyvis(eg), tempfile.mkdtemp() + "/pyvis.html").name
    'pyvis.html'
    """
    return atomic_write(Path(path), pyvis_page(net))


def _fmt(value: Any) -> str:
    x = finite(value)
    return f"{x:,.0f}" if x == int(x) and abs(x) >= 1 else f"{x:.4g}"


def _as_html(title) -> str:
    """A plain-text tooltip as the HTML that shows the same text (line breaks kept)."""
    return html.escape(str(title)).replace("\n", "<br>")
