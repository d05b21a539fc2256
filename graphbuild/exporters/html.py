"""Interactive HTML explorer: one self-contained, offline file (vis-network or, for very large
views, sigma.js + graphology inlined).

What the page offers (issue 4): colour by entity type with a legend, node size by a chosen
centrality, edge width by weight, type-ahead search that selects and centres, click-to-focus
neighbourhood dimming, an evidence panel (edge -> the paragraphs behind it with both
entities highlighted; node -> strongest links and documents), type checkboxes and a
minimum-weight slider, PNG export, and a notice of what was left out when the graph is
larger than ``max_nodes``.

Why not pyvis' own template: it pulls Bootstrap from a CDN even with
``cdn_resources="in_line"`` (pyvis #229), escapes no node id or title, and leaves physics on
(1k nodes took 65 s to stabilise in headless Chromium). Here the vis-network bundle is read
from ``vendor/`` and inlined, positions are precomputed in Python (:mod:`graphbuild.layout`)
with physics off, and every document-derived string travels as JSON data that the page's
script only ever writes with ``textContent`` (or vis-network's canvas / ``innerText``
tooltips), never as markup.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Hashable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..layout import layout_positions
from .safety import atomic_write_text

#: colour of each entity type (colour-blind-safe Okabe-Ito palette)
TYPE_COLORS = {"PER": "#E69F00", "LOC": "#56B4E9", "ORG": "#009E73", "MISC": "#CC79A7"}
DEFAULT_COLOR = "#999999"
#: centralities (node attributes) a page can be sized by
SIZE_BY = ("pagerank", "degree", "strength", "betweenness", "closeness", "eigenvector",
           "mentions", "documents")
DEFAULT_MAX_NODES = 400
#: from this many shown nodes on, ``renderer="auto"`` draws with sigma.js (WebGL) instead
#: of vis-network (canvas 2D): see benchmarks/html_interactive.py for the measurements
SIGMA_FROM = 3000
#: smallest and largest node radius on screen (px at zoom 1)
NODE_SIZE = (6.0, 36.0)
#: paragraphs embedded per edge; the rest are counted and are in edges.csv
DEFAULT_EVIDENCE_LIMIT = 10
#: distinct paragraphs embedded in one page (keeps a 400-node page of a big corpus small)
DEFAULT_MAX_PARAGRAPHS = 5000
#: documents listed per node in the evidence panel
NODE_DOCS_LIMIT = 15
#: other names (aliases, surface forms) embedded per node for the search box
NODE_ALIASES_LIMIT = 20

# JSON is not safe verbatim inside <script>: "</script>" or "<!--" in a paragraph would end
# or corrupt the element, and U+2028/2029 are line breaks to older JS parsers. Unicode
# escapes mean the same string to JSON.parse and never form markup.
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")
_PLACEHOLDER = re.compile(r"/\*\{\{(\w+)\}\}\*/")


def json_for_script(obj: Any) -> str:
    """Serialise ``obj`` as JSON that can sit inside a ``<script>`` element unchanged.

    >>> json_for_script({"name": "</script><script>alert(1)</script>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    >>> json.loads(json_for_script(["a\\u2028b & c"])) == ["a\\u2028b & c"]
    True
    """
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE.sub(lambda m: _SCRIPT_ESCAPES[m.group()], text)


@cache
def _asset(folder: str, name: str) -> str:
    return resources.files("graphbuild.exporters").joinpath(folder, name).read_text("utf-8")


def select_nodes(G: nx.Graph, size_by: str = "pagerank", max_nodes: int | None = 400,
                 ) -> list[Hashable]:
    """The ``max_nodes`` nodes with the highest ``size_by`` (ties: label, then id).

    ``None`` or ``0`` keeps every node. Order is the ranking, strongest first.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"label": "A", "degree": 1}), ("b", {"label": "B", "degree": 3}),
    ...                   ("c", {"label": "C", "degree": 3})])
    >>> select_nodes(G, "degree", 2)
    ['b', 'c']
    """
    ranked = sorted(G.nodes(data=True),
                    key=lambda nd: (-_num(nd[1].get(size_by)), str(nd[1].get("label", nd[0])),
                                    str(nd[0])))
    if max_nodes:
        ranked = ranked[:max_nodes]
    return [n for n, _ in ranked]


def node_radii(G: nx.Graph, size_by: str) -> dict[Hashable, float]:
    """The radius vis-network will draw each node with (its default linear scaling of
    ``value`` onto :data:`NODE_SIZE`), so the layout can keep the discs apart.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"degree": 1}), ("b", {"degree": 3})])
    >>> node_radii(G, "degree")
    {'a': 6.0, 'b': 36.0}
    """
    values = {v: _num(d.get(size_by)) for v, d in G.nodes(data=True)}
    lo, hi = min(values.values(), default=0.0), max(values.values(), default=0.0)
    small, big = NODE_SIZE
    return {v: small + (0.5 if hi == lo else (x - lo) / (hi - lo)) * (big - small)
            for v, x in values.items()}


def _num(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return 0.0
    return x if x == x and abs(x) != float("inf") else 0.0  # NaN/inf would break JSON


def _page_data(G: nx.Graph, size_by: str, title: str, max_nodes: int | None, seed: int,
               evidence: pd.DataFrame | None, paragraphs: pd.DataFrame | None,
               mentions: pd.DataFrame | None, evidence_limit: int, max_paragraphs: int,
               positions: Mapping[Hashable, tuple[float, float]] | None,
               total: tuple[int, int] | None = None) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-able Python values (``total``:
    nodes and edges of the whole graph when ``G`` is already a selection of it)."""
    keep = select_nodes(G, size_by, max_nodes)
    # a copy in ranking order, not G.subgraph(keep): a subgraph view can iterate in set
    # order, which changes from one process to the next (and with it layout and page)
    rank = {v: i for i, v in enumerate(keep)}
    H = nx.Graph()
    H.add_nodes_from((v, G.nodes[v]) for v in keep)
    H.add_edges_from((u, v, d) for u in keep for v, d in G.adj[u].items()
                     if rank.get(v, -1) > rank[u])
    if positions is None:
        positions = layout_positions(H, seed=seed, radius=node_radii(H, size_by))
    pos = positions
    index = {v: i for i, v in enumerate(keep)}
    types = sorted({str(d.get("type") or "") for _, d in H.nodes(data=True)},
                   key=lambda t: (t not in TYPE_COLORS, list(TYPE_COLORS).index(t)
                                  if t in TYPE_COLORS else 0, t))
    type_index = {t: i for i, t in enumerate(types)}
    nodes = []
    for v in keep:
        d = H.nodes[v]
        x, y = pos.get(v, (0.0, 0.0))
        nodes.append({"id": str(v), "label": str(d.get("label", v)),
                      "type": type_index[str(d.get("type") or "")],
                      "value": _num(d.get(size_by)), "x": x, "y": y,
                      "mentions": int(_num(d.get("mentions"))),
                      "documents": int(_num(d.get("documents")))})
    edges = []
    edge_index: dict[tuple[str, str], int] = {}
    for u, v, d in H.edges(data=True):  # u ranks before v (insertion order above)
        edge_index[tuple(sorted((str(u), str(v))))] = len(edges)
        edges.append({"s": index[u], "t": index[v], "w": _num(d.get("weight", 1)),
                      "d": int(_num(d.get("documents"))), "ev": [], "evn": 0})
    paras = _evidence_paragraphs(edges, edge_index, evidence, paragraphs, mentions,
                                 {str(v): i for v, i in index.items()}, evidence_limit,
                                 max_paragraphs)
    node_docs = _node_documents(mentions, [str(v) for v in keep])
    # resolution labels an entity by its most informative form ("Revolutionary Armed Force
    # of Colombia"), but readers search for what the text says ("FARC"): the page searches
    # every other name of a node too
    for node, names in zip(nodes, _node_aliases(H, mentions, keep), strict=True):
        if names:
            node["alias"] = names
    max_w = max((e["w"] for e in edges), default=1)
    return {
        "title": title, "sizeBy": size_by,
        "types": [{"name": t or "?", "color": TYPE_COLORS.get(t, DEFAULT_COLOR),
                   "count": sum(1 for n in nodes if n["type"] == i)}
                  for i, t in enumerate(types)],
        "nodes": nodes, "edges": edges, "paras": paras, "nodeDocs": node_docs,
        "maxWeight": max_w, "sizeRange": list(NODE_SIZE),
        "total": ({"nodes": G.number_of_nodes(), "edges": G.number_of_edges()} if total is None
                  else {"nodes": int(total[0]), "edges": int(total[1])}),
        "shown": {"nodes": H.number_of_nodes(), "edges": H.number_of_edges()},
        "maxNodes": max_nodes or 0,
    }


def _evidence_paragraphs(edges: list[dict], edge_index: dict[tuple[str, str], int],
                         evidence: pd.DataFrame | None, paragraphs: pd.DataFrame | None,
                         mentions: pd.DataFrame | None, node_index: dict[str, int],
                         limit: int, max_paragraphs: int) -> list[dict]:
    """Fill each edge's ``ev`` (paragraph indices) and ``evn`` (all its paragraphs); return
    the embedded paragraphs with the spans of every shown entity's mentions in them."""
    if evidence is None or paragraphs is None or not len(evidence) or not edge_index:
        return []
    # the evidence table can hold tens of millions of rows: keep those between shown
    # entities (vectorised) before anything runs per row
    shown = list(node_index)
    ev = evidence[evidence["source"].isin(shown) & evidence["target"].isin(shown)]
    ev = ev[["source", "target", "doc_id", "paragraph"]].astype(
        {"source": str, "target": str, "doc_id": str, "paragraph": "int64"})
    ev = ev.assign(edge=_edge_rows(edge_index, ev["source"], ev["target"]))
    ev = ev[ev["edge"] >= 0]
    counts = ev.groupby("edge").size()
    for e, n in zip(counts.index.tolist(), counts.tolist(), strict=True):
        edges[int(e)]["evn"] = int(n)
    # strongest edges claim the paragraph budget first; within an edge, document order
    weights = np.array([e["w"] for e in edges], dtype="float64")
    ev = ev.assign(w=weights[ev["edge"].to_numpy()])
    ev = ev.sort_values(["w", "edge", "doc_id", "paragraph"],
                        ascending=[False, True, True, True], kind="stable")
    ev = ev.groupby("edge", sort=False).head(limit)
    para_tab = _paragraph_lookup(paragraphs, ev)
    pidx: dict[tuple[str, int], int] = {}
    for e, doc, par in zip(ev["edge"].tolist(), ev["doc_id"].tolist(),
                           ev["paragraph"].tolist(), strict=True):
        k = (doc, int(par))
        if k not in pidx:
            if len(pidx) >= max_paragraphs or k not in para_tab:
                continue
            pidx[k] = len(pidx)
        edges[int(e)]["ev"].append(pidx[k])
    spans: dict[int, list[list[int]]] = {i: [] for i in pidx.values()}
    if mentions is not None and len(mentions) and pidx:
        m = mentions
        if "status" in m.columns:
            m = m[m["status"] == "kept"]
        m = m[m["entity_id"].astype(str).isin(node_index.keys())
              & m["doc_id"].astype(str).isin({doc for doc, _ in pidx})]
        for doc, par, s, t, ent in zip(m["doc_id"].astype(str).tolist(), m["paragraph"].tolist(),
                                       m["start"].tolist(), m["end"].tolist(),
                                       m["entity_id"].astype(str).tolist(), strict=True):
            i = pidx.get((doc, int(par)))
            if i is not None:
                spans[i].append([int(s), int(t), node_index[ent]])
    out = []
    for (doc, par), i in pidx.items():
        start, text, section = para_tab[(doc, par)]
        # mention offsets index the document's clean text; the panel needs them relative
        # to the paragraph, and clipped in case a span straddles the paragraph boundary
        local = sorted([max(s - start, 0), min(t - start, len(text)), ent]
                       for s, t, ent in spans[i] if t > start and s - start < len(text))
        out.append({"doc": doc, "p": par, "sec": section, "text": text,
                    "spans": local})
    return out


def _edge_rows(edge_index: dict[tuple[str, str], int], source: pd.Series,
               target: pd.Series) -> np.ndarray:
    """``edge_index.get((source, target), -1)`` for every row, vectorised (integer keys
    instead of a tuple and a dict lookup per evidence row).

    >>> _edge_rows({("a", "b"): 0}, pd.Series(["a", "b", "a"]), pd.Series(["b", "a", "c"]))
    array([ 0, -1, -1])
    """
    if not len(source):
        return np.zeros(0, dtype="int64")
    pairs = list(edge_index)
    ids = pd.Index(pd.unique(np.array([x for pair in pairs for x in pair] or [""], object)))
    n = np.int64(len(ids))
    left = np.array([p[0] for p in pairs], object)
    right = np.array([p[1] for p in pairs], object)
    keys = pd.Index(ids.get_indexer(left).astype("int64") * n + ids.get_indexer(right))
    s, t = ids.get_indexer(source), ids.get_indexer(target)
    found = keys.get_indexer(np.where((s >= 0) & (t >= 0), s.astype("int64") * n + t, -1))
    values = np.array(list(edge_index.values()), dtype="int64")
    return np.where(found >= 0, values[found], -1)


def _paragraph_lookup(paragraphs: pd.DataFrame, ev: pd.DataFrame,
                      ) -> dict[tuple[str, int], tuple[int, str, str]]:
    """``(doc_id, paragraph) -> (start, text, section)`` for the paragraphs of ``ev``
    (first row of each, as ``drop_duplicates`` keeps it); the other paragraphs of a corpus
    (millions) are never looked up, so never turned into Python objects."""
    ptab = paragraphs[paragraphs["doc_id"].astype(str).isin(ev["doc_id"].unique())]
    ptab = ptab.astype({"doc_id": str, "paragraph": "int64"}).drop_duplicates(
        ["doc_id", "paragraph"])
    wanted = pd.MultiIndex.from_frame(ev[["doc_id", "paragraph"]].drop_duplicates())
    ptab = ptab[pd.MultiIndex.from_frame(ptab[["doc_id", "paragraph"]]).isin(wanted)]
    sections = ptab["section"].tolist() if "section" in ptab.columns else [""] * len(ptab)
    return {(d, int(p)): (int(s), str(t), str(sec)) for d, p, s, t, sec in
            zip(ptab["doc_id"].tolist(), ptab["paragraph"].tolist(), ptab["start"].tolist(),
                ptab["text"].tolist(), sections, strict=True)}


def _node_documents(mentions: pd.DataFrame | None, ids: list[str]) -> list[list]:
    """Per shown node: ``[total_documents, [[doc_id, mentions], ...]]`` (most mentions
    first, at most :data:`NODE_DOCS_LIMIT`)."""
    if mentions is None or not len(mentions):
        return [[0, []] for _ in ids]
    m = mentions
    if "status" in m.columns:
        m = m[m["status"] == "kept"]
    m = m[m["entity_id"].astype(str).isin(set(ids))]
    counts = (m.assign(entity_id=m["entity_id"].astype(str), doc_id=m["doc_id"].astype(str))
              .groupby(["entity_id", "doc_id"]).size().rename("n").reset_index()
              .sort_values(["entity_id", "n", "doc_id"], ascending=[True, False, True]))
    totals = counts.groupby("entity_id", sort=False).size()
    per: dict[str, list] = {str(e): [int(t), []] for e, t in totals.items()}
    top = counts[counts.groupby("entity_id", sort=False).cumcount() < NODE_DOCS_LIMIT]
    for ent, doc, n in zip(top["entity_id"], top["doc_id"], top["n"], strict=True):
        per[ent][1].append([doc, int(n)])
    return [per.get(i, [0, []]) for i in ids]


def _node_aliases(G: nx.Graph, mentions: pd.DataFrame | None,
                  ids: list[Hashable]) -> list[list[str]]:
    """Per node of ``ids``: its other names, i.e. its ``aliases`` attribute (``|``-separated,
    as in the entities table) and the surface forms of its kept mentions (their ``clean``
    form where the table has one: "Venezuela:" -> "Venezuela"), without the label and
    without case-only repeats; most frequent first, at most :data:`NODE_ALIASES_LIMIT`.

    >>> G = nx.Graph()
    >>> G.add_node("farc", label="Revolutionary Armed Force of Colombia")
    >>> m = pd.DataFrame({"entity_id": ["farc"] * 3, "status": "kept",
    ...                   "surface": ["FARC", "FARC", "Revolutionary Armed Force of Colombia"]})
    >>> _node_aliases(G, m, ["farc"])
    [['FARC']]
    """
    counts: dict[str, dict[str, int]] = {str(v): {} for v in ids}
    for v in ids:
        given = G.nodes[v].get("aliases")
        names = given.split("|") if isinstance(given, str) else list(given or [])
        for name in names:
            counts[str(v)][str(name)] = 0
    column = next((c for c in ("clean", "surface")
                   if mentions is not None and c in mentions.columns), None)
    if mentions is not None and len(mentions) and column is not None:
        m = mentions
        if "status" in m.columns:
            m = m[m["status"] == "kept"]
        m = m[m["entity_id"].astype(str).isin(counts.keys())]
        sizes = m.groupby([m["entity_id"].astype(str), m[column].astype(str)]).size()
        for (ent, surface), n in sizes.items():
            counts[ent][surface] = counts[ent].get(surface, 0) + int(n)
    out = []
    for v in ids:
        seen = {str(G.nodes[v].get("label", v)).strip().lower()}
        names = []
        for name, _ in sorted(counts[str(v)].items(), key=lambda kv: (-kv[1], kv[0])):
            key = name.strip().lower()
            if key and key not in seen:
                seen.add(key)
                names.append(name.strip())
        out.append(names[:NODE_ALIASES_LIMIT])
    return out


def render_html(G: nx.Graph, size_by: str = "pagerank", title: str = "graphbuild", *,
                max_nodes: int | None = DEFAULT_MAX_NODES, seed: int = 42,
                evidence: pd.DataFrame | None = None, paragraphs: pd.DataFrame | None = None,
                mentions: pd.DataFrame | None = None,
                evidence_limit: int = DEFAULT_EVIDENCE_LIMIT,
                max_paragraphs: int = DEFAULT_MAX_PARAGRAPHS,
                positions: Mapping[Hashable, tuple[float, float]] | None = None,
                renderer: str = "auto", total: tuple[int, int] | None = None) -> str:
    """Return the self-contained explorer page of ``G``.

    ``G`` has node attributes ``label``, ``type``, ``mentions``, ``documents`` and the
    centralities, edge attributes ``weight`` and ``documents`` (as
    :meth:`EntityGraph.graph` gives). ``evidence``, ``paragraphs`` and ``mentions`` are the
    pipeline tables; with them the evidence panel shows the paragraph text behind each
    edge. At most ``max_nodes`` nodes (ranked by ``size_by``; ``None``/``0``: all) are
    drawn, and the page says what was left out. ``renderer``: ``"vis"`` (vis-network,
    canvas 2D), ``"sigma"`` (sigma.js + graphology, WebGL: for 10k+ nodes) or ``"auto"``
    (sigma from :data:`SIGMA_FROM` shown nodes on). ``total`` (nodes, edges): the size of
    the whole graph when ``G`` holds only the entities the page may show (what
    :meth:`EntityGraph.to_html` passes, so it never builds the whole graph).

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2)
    >>> page = render_html(G, size_by="degree")
    >>> page.startswith("<!DOCTYPE html>") and "https://" not in page.split("vis-network")[0]
    True
    """
    if renderer not in ("auto", "vis", "sigma"):
        raise ValueError(f"renderer must be 'auto', 'vis' or 'sigma', not {renderer!r}")
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}, not {size_by!r}")
    if max_nodes is not None and max_nodes < 0:
        raise ValueError(f"max_nodes must be >= 0, not {max_nodes}")
    data = _page_data(G, size_by, title, max_nodes, seed, evidence, paragraphs, mentions,
                      evidence_limit, max_paragraphs, positions, total)
    if renderer == "auto":
        renderer = "sigma" if data["shown"]["nodes"] >= SIGMA_FROM else "vis"
    data["renderer"] = renderer
    libs = {"vis": ["vis-network.min.js"],
            "sigma": ["graphology.umd.min.js", "sigma.min.js"]}[renderer]
    parts = {
        "TITLE": html.escape(title),
        "CSS": _asset("templates", "explorer.css"),
        "LIB": "\n".join(_asset("vendor", f) for f in libs),
        "VIEW": _asset("templates", f"explorer-{renderer}.js"),
        "APP": _asset("templates", "explorer-ui.js"),
        "DATA": json_for_script(data),
    }
    # one pass over the template: inserted text is never scanned again for placeholders
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("templates", "explorer.html"))


def write_html(G: nx.Graph, path: str | os.PathLike[str], size_by: str = "pagerank",
               **options: Any) -> Path:
    """Write the explorer page of ``G`` atomically (``options`` as :func:`render_html`).

    >>> import tempfile
    >>> G = nx.Graph([("a", "b")])
    >>> p = write_html(G, Path(tempfile.mkdtemp()) / "g.html", size_by="degree")
    >>> p.read_text(encoding="utf-8").count("vis.Network") > 0
    True
    """
    atomic_write_text(path, render_html(G, size_by, **options))
    return Path(path)


def notebook_html(page: str, height: int = 650) -> str:
    """An ``<iframe srcdoc>`` holding ``page``: shows inline in Jupyter, VS Code and Colab
    without a file on disk (a file-backed iframe breaks there), and keeps the page's script
    isolated from the notebook.

    The iframe is wrapped in a ``<div>``: IPython warns about HTML that starts with
    ``<iframe`` (suggesting its file/URL-backed ``IFrame``, which is what must be avoided).

    >>> notebook_html("<p>a & b</p>", 100)[:69]
    '<div class="graphbuild"><iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p&gt;"'
    """
    return (f'<div class="graphbuild"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'style="width:100%;height:{int(height)}px;border:0" '
            'title="graphbuild explorer"></iframe></div>')
