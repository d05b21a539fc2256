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
from ``vendor/`` and inlined, positions are precomputed in Python
(:mod:`graphbuild.measures.layout`) with physics off, and every document-derived string
travels as JSON data that the page's script only ever writes with ``textContent`` (or
vis-network's canvas / ``innerText`` tooltips), never as markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Hashable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graphbuild.core.names import alias_list
from graphbuild.core.ranking import rank_order
from graphbuild.core.tables import kept_mentions
from graphbuild.export.palette import DEFAULT_COLOR, TYPE_COLORS
from graphbuild.export.sources import (
    document_info,
    is_country_or_people,
    not_drawn,
    reader_documents,
    source_line,
    starts_without_countries,
    time_data,
)
from graphbuild.measures.layout import layout_positions

#: centralities (node attributes) a page can be sized by
SIZE_BY = ("pagerank", "degree", "strength", "betweenness", "closeness", "eigenvector",
           "mentions", "documents")
DEFAULT_MAX_NODES = 400
#: from this many shown nodes on, ``renderer="auto"`` draws with sigma.js (WebGL) instead
#: of vis-network (canvas 2D): see benchmarks/html_interactive.py for the measurements
SIGMA_FROM = 3000
#: smallest and largest node radius on screen (px at zoom 1)
NODE_SIZE = (6.0, 36.0)
#: paragraphs embedded per edge (the panel pages through them ten at a time); the rest
#: are counted, and ``graphbuild evidence`` prints them (edges.csv has their references)
DEFAULT_EVIDENCE_LIMIT = 30
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
    return resources.files("graphbuild.export").joinpath(folder, name).read_text("utf-8")


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
    ids = list(G.nodes)
    frame = pd.DataFrame({"entity_id": pd.Series([str(v) for v in ids], dtype=object),
                          "label": pd.Series([G.nodes[v].get("label", v) for v in ids],
                                             dtype=object),
                          size_by: pd.Series([G.nodes[v].get(size_by) for v in ids],
                                             dtype=object)})
    order = rank_order(frame, size_by, max_nodes or None)
    return [ids[i] for i in order]


def page_graph(G: nx.Graph, size_by: str = "pagerank", max_nodes: int | None = 400,
               ) -> nx.Graph:
    """The graph the page draws: the :func:`select_nodes` of ``G`` and the edges among
    them, nodes in ranking order.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> list(page_graph(G, "degree", 2).edges)
    [('a', 'b')]
    """
    keep = select_nodes(G, size_by, max_nodes)
    # a copy in ranking order, not G.subgraph(keep): a subgraph view can iterate in set
    # order, which changes from one process to the next (and with it layout and page)
    rank = {v: i for i, v in enumerate(keep)}
    H = nx.Graph()
    H.add_nodes_from((v, G.nodes[v]) for v in keep)
    H.add_edges_from((u, v, d) for u in keep for v, d in G.adj[u].items()
                     if rank.get(v, -1) > rank[u])
    return H


def page_positions(G: nx.Graph, size_by: str = "pagerank", max_nodes: int | None = 400,
                   seed: int = 42) -> dict[Hashable, tuple[float, float]]:
    """Where the page draws each of its nodes: :func:`graphbuild.measures.layout.
    layout_positions` of :func:`page_graph`, discs kept apart at their drawn size. The
    export computes them once and hands them to the page and to ``graph.gexf``."""
    H = page_graph(G, size_by, max_nodes)
    return layout_positions(H, seed=seed, radius=node_radii(H, size_by))


def node_radii(G: nx.Graph, size_by: str) -> dict[Hashable, float]:
    """The radius vis-network will draw each node with (its default linear scaling of
    ``value`` onto :data:`NODE_SIZE`), so the layout can keep the discs apart.

    >>> G = nx.Graph()
    >>> G.add_nodes_from([("a", {"degree": 1}), ("b", {"degree": 3})])
    >>> node_radii(G, "degree")
    {'a': 6.0, 'b': 36.0}
    """
    values = {v: finite(d.get(size_by)) for v, d in G.nodes(data=True)}
    lo, hi = min(values.values(), default=0.0), max(values.values(), default=0.0)
    small, big = NODE_SIZE
    return {v: small + (0.5 if hi == lo else (x - lo) / (hi - lo)) * (big - small)
            for v, x in values.items()}


def finite(value: Any) -> float:
    """``value`` as a float, 0 where it is missing, not a number or infinite (NaN and
    infinity would break the page's JSON).

    >>> finite("2.5"), finite(None), finite(float("nan"))
    (2.5, 0.0, 0.0)
    """
    try:
        x = float(value)
    except (TypeError, ValueError):
        return 0.0
    return x if x == x and abs(x) != float("inf") else 0.0


def _page_data(G: nx.Graph, size_by: str, title: str, max_nodes: int | None, seed: int,
               evidence: pd.DataFrame | None, paragraphs: pd.DataFrame | None,
               mentions: pd.DataFrame | None, evidence_limit: int, max_paragraphs: int,
               positions: Mapping[Hashable, tuple[float, float]] | None,
               total: tuple[int, int] | None = None,
               documents: pd.DataFrame | None = None,
               entities: pd.DataFrame | None = None,
               all_edges: pd.DataFrame | None = None) -> dict[str, Any]:
    """Everything the page's script needs, as plain JSON-able Python values (``total``:
    nodes and edges of the whole graph when ``G`` is already a selection of it)."""
    H = page_graph(G, size_by, max_nodes)
    keep = list(H)
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
                      "value": finite(d.get(size_by)), "x": x, "y": y,
                      "mentions": int(finite(d.get("mentions"))),
                      "documents": int(finite(d.get("documents")))})
        if is_country_or_people(str(d.get("label", v)), str(d.get("type") or "")):
            nodes[-1]["cp"] = 1       # "hide countries and nationalities" hides it
    edges = []
    edge_index: dict[tuple[str, str], int] = {}
    for u, v, d in H.edges(data=True):  # u ranks before v (insertion order above)
        edge_index[tuple(sorted((str(u), str(v))))] = len(edges)
        edges.append({"s": index[u], "t": index[v], "w": finite(d.get("weight", 1)),
                      "d": int(finite(d.get("documents"))), "ev": [], "evn": 0})
    paras, rows = _evidence_paragraphs(edges, edge_index, evidence, paragraphs, mentions,
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
        "title": title, "sizeBy": size_by, "startHideCp": starts_without_countries(nodes, edges),
        "types": [{"name": t or "?", "color": TYPE_COLORS.get(t, DEFAULT_COLOR),
                   "count": sum(1 for n in nodes if n["type"] == i)}
                  for i, t in enumerate(types)],
        "nodes": nodes, "edges": edges, "paras": paras, "nodeDocs": node_docs,
        "docs": document_info(documents, {d for _, listed in node_docs for d, _ in listed}
                               | {p["doc"] for p in paras}),
        "maxWeight": max_w, "sizeRange": list(NODE_SIZE),
        "total": ({"nodes": G.number_of_nodes(), "edges": G.number_of_edges()} if total is None
                  else {"nodes": int(total[0]), "edges": int(total[1])}),
        "shown": {"nodes": H.number_of_nodes(), "edges": H.number_of_edges()},
        "maxNodes": max_nodes or 0,
        "time": time_data(documents, rows, mentions, [str(v) for v in keep], len(edges)),
        "source": source_line(documents),
        # the reader: the documents listed under the most central nodes first, then those
        # quoted as evidence
        "reader": reader_documents(
            [d for _, listed in node_docs for d, _ in listed] + [p["doc"] for p in paras],
            paragraphs, mentions, [str(v) for v in keep]),
        "others": (not_drawn(entities, all_edges, [str(v) for v in keep])
                   if entities is not None and all_edges is not None else []),
    }


def _evidence_paragraphs(edges: list[dict], edge_index: dict[tuple[str, str], int],
                         evidence: pd.DataFrame | None, paragraphs: pd.DataFrame | None,
                         mentions: pd.DataFrame | None, node_index: dict[str, int],
                         limit: int, max_paragraphs: int) -> list[dict]:
    """Fill each edge's ``ev`` (paragraph indices) and ``evn`` (all its paragraphs); return
    the embedded paragraphs with the spans of every shown entity's mentions in them, and
    every evidence row of the shown edges (``edge``, ``doc_id``: the page's time data)."""
    no_rows = pd.DataFrame({"edge": np.zeros(0, np.int64), "doc_id": np.zeros(0, object)})
    if evidence is None or paragraphs is None or not len(evidence) or not edge_index:
        return [], no_rows
    # the evidence table can hold tens of millions of rows: keep those between shown
    # entities (vectorised) before anything runs per row
    shown = list(node_index)
    ev = evidence[evidence["source"].isin(shown) & evidence["target"].isin(shown)]
    edge = _edge_rows(edge_index, ev["source"], ev["target"])
    ev = ev[["doc_id", "paragraph"]][edge >= 0]
    edge = edge[edge >= 0]
    rows = pd.DataFrame({"edge": edge, "doc_id": ev["doc_id"].to_numpy()})
    counts = np.bincount(edge, minlength=len(edges))
    for e in np.flatnonzero(counts).tolist():
        edges[e]["evn"] = int(counts[e])
    # strongest edges claim the paragraph budget first; within an edge, document order.
    # Sorted on integers (an edge's rank, the doc_id's rank among the sorted doc ids,
    # the paragraph): the order of sorting the rows by (-weight, edge, doc_id, paragraph),
    # without comparing millions of strings
    weights = np.array([e["w"] for e in edges], dtype="float64")
    edge_rank = np.empty(len(edges), dtype=np.int64)
    edge_rank[np.lexsort((np.arange(len(edges)), -weights))] = np.arange(len(edges))
    doc_rank = _sorted_codes(ev["doc_id"])
    paragraph = ev["paragraph"].to_numpy("int64")
    order = _row_order(edge_rank[edge], doc_rank, paragraph)
    ranked = edge_rank[edge][order]
    first = np.searchsorted(ranked, ranked)              # start of each row's edge
    order = order[np.arange(len(order)) - first < limit]
    ev = pd.DataFrame({"edge": edge[order], "doc_id": _text_rows(ev["doc_id"], order),
                       "paragraph": paragraph[order]})
    para_tab = _paragraph_lookup(paragraphs, ev, max_paragraphs)
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
        m = kept_mentions(mentions, ["doc_id", "paragraph", "start", "end", "entity_id"])
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
        start, text, section, redacted = para_tab[(doc, par)]
        # mention offsets index the document's clean text; the panel needs them relative
        # to the paragraph, and clipped in case a span straddles the paragraph boundary
        local = sorted([max(s - start, 0), min(t - start, len(text)), ent]
                       for s, t, ent in spans[i] if t > start and s - start < len(text))
        row = {"doc": doc, "p": par, "sec": section, "text": text, "spans": local}
        if redacted:
            row["red"] = redacted       # "source protected" in the evidence panel
        out.append(row)
    return out, rows


def _row_order(first: np.ndarray, second: np.ndarray, third: np.ndarray) -> np.ndarray:
    """``np.lexsort((third, second, first))`` (rows by first, then second, then third, ties
    in row order) as one stable sort of a packed int64 key when the three ranges fit in
    it: a three-key lexsort of the millions of evidence rows of the shown edges takes
    several times longer.

    >>> _row_order(np.array([1, 0, 1, 0]), np.array([0, 5, 0, 2]), np.array([-2, 3, -3, 3]))
    array([3, 1, 2, 0])
    """
    if not len(first):
        return np.zeros(0, dtype=np.int64)
    spans = []
    for values in (second, third):
        lo = int(values.min())
        spans.append((lo, int(values.max()) - lo + 1))
    if float(int(first.max()) + 1) * spans[0][1] * spans[1][1] >= 2.0 ** 62:
        return np.lexsort((third, second, first))
    key = first.astype(np.int64) * spans[0][1] + (second - spans[0][0])
    key *= spans[1][1]
    key += third - spans[1][0]
    return np.argsort(key, kind="stable")


def _edge_rows(edge_index: dict[tuple[str, str], int], source: pd.Series,
               target: pd.Series) -> np.ndarray:
    """``edge_index.get((source, target), -1)`` for every row, vectorised (integer keys
    instead of a tuple and a dict lookup per evidence row).

    >>> _edge_rows({("a", "b"): 0}, pd.Series(["a", "b", "a"]), pd.Series(["b", "a", "c"]))
    array([ 0, -1, -1])
    """
    from graphbuild.core.tables import pair_positions

    pairs = list(edge_index)
    if not pairs:
        return np.full(len(source), -1, dtype="int64")
    found = pair_positions(_text(source), _text(target),
                           pd.Series([p[0] for p in pairs], dtype=object),
                           pd.Series([p[1] for p in pairs], dtype=object))
    values = np.array(list(edge_index.values()), dtype="int64")
    return np.where(found >= 0, values[np.maximum(found, 0)], -1)


def _paragraph_lookup(paragraphs: pd.DataFrame, ev: pd.DataFrame, budget: int | None = None,
                      ) -> dict[tuple[str, int], tuple[int, str, str, int]]:
    """``(doc_id, paragraph) -> (start, text, section, redactions)`` for the paragraphs of ``ev``
    (first row of each, as ``drop_duplicates`` keeps it); with ``budget``, only for the first
    ``budget`` of them (in ``ev`` order) that the table has, the most a page embeds. The
    other paragraphs of a corpus (millions) are matched on integer keys, never turned into
    Python objects.

    >>> paras = pd.DataFrame({"doc_id": ["d", "d", "e"], "paragraph": [1, 2, 1],
    ...                       "start": [0, 10, 0], "text": ["a", "b", "c"]})
    >>> ev = pd.DataFrame({"doc_id": ["e", "x", "d"], "paragraph": [1, 1, 2]})
    >>> _paragraph_lookup(paras, ev, 1), len(_paragraph_lookup(paras, ev))
    ({('e', 1): (0, 'c', '', 0)}, 2)
    """
    from graphbuild.core.tables import positions

    if not len(ev) or not len(paragraphs):
        return {}
    doc_code, docs = pd.factorize(ev["doc_id"].astype(str))
    par = ev["paragraph"].to_numpy("int64")
    low, span = int(par.min()), int(par.max() - par.min()) + 1
    key = doc_code.astype(np.int64) * span + (par - low)
    distinct, first = np.unique(key, return_index=True)
    wanted = distinct[np.argsort(first, kind="stable")]         # in ev order
    p_doc = positions(paragraphs["doc_id"].astype(str), pd.Series(docs, dtype=object))
    p_par = paragraphs["paragraph"].to_numpy("int64")
    rows = np.flatnonzero((p_doc >= 0) & (p_par >= low) & (p_par < low + span))
    p_key = p_doc[rows].astype(np.int64) * span + (p_par[rows] - low)
    have, have_first = np.unique(p_key, return_index=True)      # first row of each key
    wanted = wanted[np.isin(wanted, have)]
    if budget is not None:
        wanted = wanted[:budget]
    take = rows[have_first[np.searchsorted(have, wanted)]]
    ptab = paragraphs.iloc[take]
    sections = (ptab["section"].tolist() if "section" in ptab.columns
                else [""] * len(ptab))
    redactions = (ptab["redactions"].tolist() if "redactions" in ptab.columns
                  else [0] * len(ptab))
    names = np.asarray(docs, dtype=object)[wanted // span].tolist()
    return {(d, int(p)): (int(s), str(t), str(sec), int(r)) for d, p, s, t, sec, r in
            zip(names, (wanted % span + low).tolist(), ptab["start"].tolist(),
                ptab["text"].tolist(), sections, redactions, strict=True)}


def _text(column: pd.Series) -> pd.Series:
    """``column`` as text: a dictionary-coded (categorical) column as it is, else
    ``astype(str)``."""
    return column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype(str)


def _text_rows(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """``column.astype(str)`` at ``rows`` as Python strings, decoding only those rows."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        names = np.asarray(column.cat.categories.astype(str), dtype=object)
        return names[column.cat.codes.to_numpy()[rows]]
    return column.astype(str).to_numpy(object)[rows]


def _sorted_codes(values: pd.Series) -> np.ndarray:
    """Each value's rank among the sorted distinct values (``pd.factorize(values,
    sort=True)[0]``), sorting only the distinct values (none for a categorical column
    over sorted categories: its codes are the ranks).

    >>> _sorted_codes(pd.Series(["b", "a", "b", "c"])).tolist()
    [1, 0, 1, 2]
    """
    if (isinstance(values.dtype, pd.CategoricalDtype)
            and values.cat.categories.is_monotonic_increasing
            and (values.cat.codes.to_numpy() >= 0).all()):
        return values.cat.codes.to_numpy().astype(np.int64)
    codes, uniques = pd.factorize(values.astype(str))
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(np.asarray(uniques, dtype=object), kind="stable")] = np.arange(len(uniques))
    return rank[codes] if len(codes) else codes.astype(np.int64)


def _node_documents(mentions: pd.DataFrame | None, ids: list[str]) -> list[list]:
    """Per shown node: ``[total_documents, [[doc_id, mentions], ...]]`` (most mentions
    first, at most :data:`NODE_DOCS_LIMIT`)."""
    if mentions is None or not len(mentions):
        return [[0, []] for _ in ids]
    from graphbuild.core.tables import positions

    m = kept_mentions(mentions, ["entity_id", "doc_id"])

    # millions of mentions at scale: counted on integer codes (entity = row in ``ids``,
    # document = rank among the sorted doc ids), strings only for the rows shown
    ent = positions(m["entity_id"].astype(str), pd.Series(ids, dtype=object))
    m = m[ent >= 0]
    ent = ent[ent >= 0]
    doc_rank, doc_names = pd.factorize(m["doc_id"].astype(str), sort=True)
    pair, n = np.unique(ent * np.int64(max(len(doc_names), 1)) + doc_rank,
                        return_counts=True)
    p_ent, p_doc = pair // max(len(doc_names), 1), pair % max(len(doc_names), 1)
    # per entity: most mentions first, then doc_id order
    order = np.lexsort((p_doc, -n, p_ent))
    p_ent, p_doc, n = p_ent[order], p_doc[order], n[order]
    first = np.searchsorted(p_ent, p_ent)
    totals = np.bincount(p_ent, minlength=len(ids))
    per: list[list] = [[int(t), []] for t in totals.tolist()]
    show = np.flatnonzero(np.arange(len(p_ent)) - first < NODE_DOCS_LIMIT)
    names = np.asarray(doc_names, dtype=object)
    for e, d, k in zip(p_ent[show].tolist(), names[p_doc[show]].tolist(),
                       n[show].tolist(), strict=True):
        per[e][1].append([d, int(k)])
    return per


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
        for name in alias_list(G.nodes[v].get("aliases")):
            counts[str(v)][str(name)] = 0
    column = next((c for c in ("clean", "surface")
                   if mentions is not None and c in mentions.columns), None)
    if mentions is not None and len(mentions) and column is not None:
        m = kept_mentions(mentions, ["entity_id", column])
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
                documents: pd.DataFrame | None = None,
                entities: pd.DataFrame | None = None,
                all_edges: pd.DataFrame | None = None,
                evidence_limit: int = DEFAULT_EVIDENCE_LIMIT,
                max_paragraphs: int = DEFAULT_MAX_PARAGRAPHS,
                positions: Mapping[Hashable, tuple[float, float]] | None = None,
                renderer: str = "auto", total: tuple[int, int] | None = None) -> str:
    """Return the self-contained explorer page of ``G``.

    ``G`` has node attributes ``label``, ``type``, ``mentions``, ``documents`` and the
    centralities, edge attributes ``weight`` and ``documents`` (as :meth:`EntityGraph.graph`
    gives). ``evidence``, ``paragraphs``, ``mentions`` and ``documents`` are the pipeline
    tables; with them the evidence panel shows the paragraph text behind each edge, and a
    node's documents with their date, classification, origin and subject; ``entities`` and
    ``all_edges`` (the whole graph's tables) let the search find the entities the page does
    not draw. At most ``max_nodes`` nodes (ranked by ``size_by``; ``None``/``0``: all) are
    drawn, and the page says what was left out. ``renderer``: ``"vis"`` (vis-network, canvas
    2D), ``"sigma"`` (sigma.js + graphology, WebGL: for 10k+ nodes) or ``"auto"`` (sigma
    from :data:`SIGMA_FROM` shown nodes on). ``total`` (nodes, edges): the size of the whole
    graph when ``G`` holds only the entities the page may show (what
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
                      evidence_limit, max_paragraphs, positions, total, documents, entities,
                      all_edges)
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
        # the exports and the "this is wrong" decisions (judgements.js is shared with
        # review.html)
        "EXPORT": "\n".join(_asset("templates", f) for f in (
            "explorer-export.js", "judgements.js", "explorer-judge.js")),
        "DATA": json_for_script(data),
    }
    # one pass over the template: inserted text is never scanned again for placeholders
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("templates", "explorer.html"))
