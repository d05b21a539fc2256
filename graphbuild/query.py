"""Explorer queries over a built graph: neighbours, paths, evidence, ego sub-graphs.

Every function takes the tables of a build (a :class:`~graphbuild.core.tables.Tables`
bundle: a fresh build, or an output folder read back with :func:`graphbuild.store.load`)
and returns pandas DataFrames or networkx graphs; none writes a file. The CLI commands
``graphbuild neighbors|path|evidence|ego`` and the ``EntityGraph`` methods of the same
names are thin layers over them.

Entity names are matched forgivingly (:func:`graphbuild.core.names.match_entity`): id,
label or alias, ignoring case, spacing and accents; a miss raises
:class:`~graphbuild.core.names.EntityNotFound` with a "did you mean".

Paths: *shortest* = fewest hops (ties broken by the strongest of them); *strongest* = the
smallest total distance, where a hop costs ``1/weight`` (a pair seen together in 4
paragraphs is 4 times closer than a pair seen once; Opsahl et al. 2010), computed with
Dijkstra's algorithm (Dijkstra 1959).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

import networkx as nx
import pandas as pd

from graphbuild.core.diagnostics import InputError
from graphbuild.core.names import EntityNotFound, match_entity
from graphbuild.core.tables import Tables
from graphbuild.core.types import parse_types
from graphbuild.graph.views import ego_tables as neighbourhood
from graphbuild.graph.views import to_networkx
from graphbuild.measures.centrality import MEASURES

__all__ = ["PATH_KINDS", "EntityNotFound", "NoPath", "graph_frames", "graph", "neighbors",
           "weighted_graph", "path", "evidence", "highlight_spans", "snippet", "window", "subset",
           "ego_tables", "ego", "references"]

PATH_KINDS = ("shortest", "strongest")


class NoPath(InputError):
    """The two entities are not connected."""


def graph_frames(tables: Tables) -> tuple[pd.DataFrame, list[str], list[str]]:
    """``(nodes, node_columns, edge_columns)`` of :func:`graph`: the entities with their
    measures (and ``community``), and which columns become node and edge attributes. The
    networkx view and the streamed graph files are built from exactly these.

    >>> import graphbuild as gb
    >>> nodes, ncols, ecols = graph_frames(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> ncols[:3], ecols[:2]
    (['label', 'type', 'mentions'], ['weight', 'documents'])
    """
    nodes = tables.entities.merge(tables.centrality, left_on="entity_id", right_index=True,
                                  how="left")
    node_cols = ["label", "type", "mentions", "paragraphs", "documents", *MEASURES]
    node_cols += [c for c in ("first_seen", "last_seen") if c in nodes.columns]
    part = tables.partition()
    if len(part):
        nodes["community"] = nodes["entity_id"].map(part).astype("Int64")
        node_cols.append("community")
    edge_cols = [c for c in tables.edges.columns if c not in ("source", "target")]
    return nodes, node_cols, edge_cols


def graph(tables: Tables) -> nx.Graph:
    """The networkx view of the whole graph: node attributes ``label, type, mentions,
    paragraphs, documents`` + centralities (+ ``community``); edge attributes ``weight,
    documents`` and the association measures.

    >>> import graphbuild as gb
    >>> G = graph(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> G.nodes["sergey-lavrov"]["type"]
    'PER'
    """
    nodes, node_cols, edge_cols = graph_frames(tables)
    return to_networkx(nodes, tables.edges, node_cols, edge_cols)


# --- neighbours --------------------------------------------------------------------------
def _edge_columns(edges: pd.DataFrame) -> list[str]:
    return [c for c in edges.columns if c not in ("source", "target")]


def type_list(types: str | Iterable[str] | None) -> list[str] | None:
    """The entity types of ``types`` (``"PER,ORG"`` or a list, any case), checked; ``None``
    for all. Raises :class:`InputError` naming an unknown type.

    >>> type_list("per, org"), type_list(["LOC"]), type_list(None)
    (['PER', 'ORG'], ['LOC'], None)
    """
    if types is None:
        return None
    text = types if isinstance(types, str) else ",".join(types)
    try:
        return parse_types(text)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def neighbors(eg: Tables, entity: str, limit: int | None = None,
              by: str = "weight", types: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The entities linked to ``entity``, strongest first.

    Returns a DataFrame indexed by neighbour id (``id``) with ``label, type`` and every edge
    column (``weight, documents`` and whatever measures the build added), sorted by ``by``
    (descending), then ``documents`` and label; only neighbours of ``types`` when given.

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> int(neighbors(eg, "Chavez").loc["venezuelan", "weight"])
    1
    >>> set(neighbors(eg, "Chavez", types="PER")["type"])
    {'PER'}
    """
    wanted = type_list(types)
    eid = match_entity(eg.entities, entity, eg.resolution)
    edges = eg.edges
    touching = edges[(edges["source"] == eid) | (edges["target"] == eid)]
    other = touching["target"].where(touching["source"] == eid, touching["source"])
    ents = eg.entities.set_index("entity_id")
    frame = pd.DataFrame({"id": other.to_numpy(),
                          "label": ents["label"].reindex(other).to_numpy(),
                          "type": ents["type"].reindex(other).to_numpy()})
    for col in _edge_columns(edges):
        frame[col] = touching[col].to_numpy()
    if by not in frame:
        raise InputError(f"cannot sort by {by!r}: edges have "
                         f"{', '.join(_edge_columns(edges))}")
    keys = [by] + [k for k in ("documents",) if k in frame and k != by] + ["label"]
    frame = frame.sort_values(keys, ascending=[False] * (len(keys) - 1) + [True],
                              kind="stable").set_index("id")
    if wanted is not None:
        frame = frame[frame["type"].astype(str).isin(wanted)]
    return frame.head(limit) if limit is not None else frame


# --- paths ---------------------------------------------------------------------------------
def weighted_graph(eg: Tables, weight: str = "weight") -> nx.Graph:
    """The entity graph with ``distance = 1/weight`` on every edge with a positive weight
    (edges whose weight is 0 or negative, e.g. a negative NPMI, are left out).

    >>> import graphbuild as gb
    >>> G = weighted_graph(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> e = G.edges["revolutionary-armed-force-of-colombia", "venezuela"]   # FARC
    >>> e["weight"], e["distance"]
    (4, 0.25)
    """
    edges = eg.edges
    if weight not in edges:
        raise InputError(f"no edge column {weight!r}; edges have "
                         f"{', '.join(_edge_columns(edges))}")
    w = pd.to_numeric(edges[weight], errors="coerce")
    keep = w > 0
    G = nx.Graph()
    G.add_nodes_from(eg.entities["entity_id"].tolist())
    cols = _edge_columns(edges)
    for s, t, dist, attrs in zip(edges.loc[keep, "source"], edges.loc[keep, "target"],
                                 (1.0 / w[keep]).tolist(),
                                 edges.loc[keep, cols].to_dict("records"), strict=True):
        G.add_edge(s, t, distance=float(dist), **attrs)
    return G


def _shortest(G: nx.Graph, a: str, b: str) -> list[str]:
    """Fewest hops; among the paths with fewest hops, the smallest total distance.

    Hop counts to ``b`` (breadth-first) keep only the edges that bring a walk one hop closer;
    Dijkstra over those directed edges then picks the strongest of the shortest paths.
    """
    if a == b:
        return [a]
    hops = nx.single_source_shortest_path_length(G, b)
    if a not in hops:
        raise nx.NetworkXNoPath
    D = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        if u in hops and v in hops:
            if hops[u] == hops[v] + 1:
                D.add_edge(u, v, distance=d["distance"])
            elif hops[v] == hops[u] + 1:
                D.add_edge(v, u, distance=d["distance"])
    return nx.dijkstra_path(D, a, b, weight="distance")


def path(eg: Tables, a: str, b: str, kind: str = "shortest", weight: str = "weight",
         evidence_limit: int | None = 5,
         types: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The hops of the ``kind`` path (``shortest`` or ``strongest``) from ``a`` to ``b``.

    One row per hop: ``step, source, source_label, target, target_label, weight,
    documents, distance, evidence`` (``doc_id:¶paragraph`` of up to ``evidence_limit``
    paragraphs where both ends co-occur, ``None`` for all). ``distance`` is ``1/weight``;
    its sum is the length of the path. With ``types``, the path only passes through
    entities of those types (the two ends may be of any). Raises :class:`NoPath` when ``a``
    and ``b`` are not connected and :class:`EntityNotFound` for an unknown name.

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> hops = path(eg, "Chavez", "Lavrov")
    >>> len(hops), hops["source"].iloc[0], hops["target"].iloc[-1]
    (2, 'chavez', 'sergey-lavrov')
    """
    if kind not in PATH_KINDS:
        raise InputError(f"path kind must be one of {', '.join(PATH_KINDS)}, not {kind!r}")
    sa, sb = (match_entity(eg.entities, a, eg.resolution),
              match_entity(eg.entities, b, eg.resolution))
    G = weighted_graph(eg, weight)
    wanted = type_list(types)
    if wanted is not None:
        ents = eg.entities
        keep = set(ents.loc[ents["type"].astype(str).isin(wanted), "entity_id"]) | {sa, sb}
        G = G.subgraph(keep)
    labels = eg.entities.set_index("entity_id")["label"]
    through = f" through {', '.join(wanted)} entities only" if wanted else ""
    try:
        nodes = _shortest(G, sa, sb) if kind == "shortest" else \
            nx.dijkstra_path(G, sa, sb, weight="distance")
    except nx.NetworkXNoPath:
        raise NoPath(f"no path between {labels[sa]} and {labels[sb]}{through}: they are in "
                     "different connected components") from None
    rows = []
    for step, (u, v) in enumerate(zip(nodes, nodes[1:], strict=False), start=1):
        d = G.edges[u, v]
        rows.append({"step": step, "source": u, "source_label": labels[u], "target": v,
                     "target_label": labels[v], "weight": d.get("weight"),
                     "documents": d.get("documents"), "distance": d["distance"],
                     "evidence": "; ".join(_refs(eg, u, v, evidence_limit))})
    cols = ["step", "source", "source_label", "target", "target_label", "weight",
            "documents", "distance", "evidence"]
    return pd.DataFrame(rows, columns=cols).set_index("step")


def _edge_evidence(eg: Tables, a: str, b: str) -> pd.DataFrame:
    s, t = sorted((a, b))
    ev = eg.evidence
    return ev[(ev["source"] == s) & (ev["target"] == t)]


def _refs(eg: Tables, a: str, b: str, limit: int | None) -> list[str]:
    ev = _edge_evidence(eg, a, b)
    if limit is not None:
        ev = ev.head(limit)
    return [f"{d}:¶{p}" for d, p in zip(ev["doc_id"], ev["paragraph"], strict=True)]


# --- evidence ------------------------------------------------------------------------------
def evidence(eg: Tables, a: str, b: str, limit: int | None = None) -> pd.DataFrame:
    """The paragraphs in which ``a`` and ``b`` co-occur, with their text.

    Columns ``doc_id, paragraph, created, subject, text, surfaces, redactions``
    (``surfaces``: the spellings of ``a`` and ``b`` in that paragraph, ``|``-joined, to
    highlight them; ``redactions``: the redaction markers in it, sources the cable
    protects), in document and paragraph order. Empty when the two never co-occur.

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> evidence(eg, "Uribe", "chavez")["paragraph"].tolist()
    [3]
    """
    sa, sb = (match_entity(eg.entities, a, eg.resolution),
              match_entity(eg.entities, b, eg.resolution))
    ev = _edge_evidence(eg, sa, sb)[["doc_id", "paragraph"]]
    if limit is not None:
        ev = ev.head(limit)
    extra = ["redactions"] if "redactions" in eg.paragraphs else []
    paras = eg.paragraphs[["doc_id", "paragraph", "text", *extra]]
    out = ev.merge(paras, on=["doc_id", "paragraph"], how="left")
    docs = eg.documents
    meta = [c for c in ("created", "subject") if c in docs]
    if meta:
        out = out.merge(docs[["doc_id", *meta]], on="doc_id", how="left")
    m = eg.mentions
    m = m[m["entity_id"].isin([sa, sb])]
    surf = (m.groupby(["doc_id", "paragraph"])["surface"]
            .agg(lambda s: "|".join(sorted(set(map(str, s)), key=lambda x: (-len(x), x)))))
    key = pd.MultiIndex.from_frame(out[["doc_id", "paragraph"]])
    out["surfaces"] = surf.reindex(key).to_numpy() if len(out) else pd.Series(dtype=object)
    cols = ["doc_id", "paragraph", *meta, "text", "surfaces", *extra]
    return out[cols].reset_index(drop=True)


def highlight_spans(text: str, surfaces: str | None) -> list[tuple[int, int]]:
    """``(start, end)`` of every occurrence of the ``|``-joined ``surfaces`` in ``text``
    (case-insensitive, longest first, non-overlapping, whole words: ``Venezuela`` is not
    marked inside ``Venezuelan``).

    >>> highlight_spans("Uribe met URIBE in Venezuelan Venezuela", "Uribe|Venezuela")
    [(0, 5), (10, 15), (30, 39)]
    """
    if not surfaces or not isinstance(surfaces, str):
        return []
    parts = sorted({s for s in surfaces.split("|") if s.strip()}, key=lambda s: (-len(s), s))
    if not parts:
        return []

    def whole(part: str) -> str:
        # word boundaries only where the surface itself starts/ends with a word character
        return ((r"(?<!\w)" if re.match(r"\w", part) else "") + re.escape(part)
                + (r"(?!\w)" if re.search(r"\w$", part) else ""))

    pattern = re.compile("|".join(whole(p) for p in parts), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def snippet(text: str, surfaces: str | None, width: int = 300) -> str:
    """At most ``width`` characters of ``text`` (whitespace collapsed) around the first
    occurrence of one of the ``|``-joined ``surfaces``, with ``…`` where cut.

    >>> snippet("a " * 50 + "Uribe spoke." + " b" * 50, "Uribe", 21)
    '…a a a a Uribe spoke.…'
    """
    flat = " ".join(str(text).split())
    if len(flat) <= width:
        return flat
    spans = highlight_spans(flat, surfaces)
    return window(flat, *(spans[0] if spans else (0, 0)), width)


def entity_quotes(mentions: pd.DataFrame, paragraphs: pd.DataFrame, per_entity: int,
                  cut: Callable[[str, str], str]) -> dict[str, list[str]]:
    """The first ``per_entity`` paragraphs (in mention order) naming each entity, as
    ``"DOC ¶P: " + cut(text, spelling)``, its spelling there passed to ``cut``.

    >>> m = pd.DataFrame({"entity_id": ["a", "a", "a"], "doc_id": ["d", "d", "e"],
    ...                   "paragraph": [1, 1, 2], "surface": ["Ana", "Ana", "ANA"]})
    >>> p = pd.DataFrame({"doc_id": ["d", "e"], "paragraph": [1, 2],
    ...                   "text": ["Ana spoke.", "ANA left."]})
    >>> entity_quotes(m, p, 2, lambda text, spelling: text.upper())
    {'a': ['d ¶1: ANA SPOKE.', 'e ¶2: ANA LEFT.']}
    """
    first = mentions.drop_duplicates(["entity_id", "doc_id", "paragraph"])
    first = first.groupby("entity_id", sort=False).head(per_entity)
    lookup = pd.Series(paragraphs["text"].to_numpy(), index=pd.MultiIndex.from_arrays(
        [paragraphs["doc_id"].astype(str), paragraphs["paragraph"].astype("int64")]))
    lookup = lookup[~lookup.index.duplicated()]
    key = pd.MultiIndex.from_arrays([first["doc_id"].astype(str),
                                     first["paragraph"].astype("int64")])
    found = lookup.reindex(key).to_numpy()
    out: dict[str, list[str]] = {}
    for e, d, p, spelling, text in zip(first["entity_id"], first["doc_id"],
                                       first["paragraph"], first["surface"], found,
                                       strict=True):
        if isinstance(text, str) and text.strip():
            out.setdefault(e, []).append(f"{d} ¶{p}: {cut(text, str(spelling))}")
    return out


def window(flat: str, lo: int, hi: int, width: int) -> str:
    """``width`` characters of ``flat`` centred on ``flat[lo:hi]`` (kept inside the text),
    with ``…`` where cut.

    >>> window("abcdefghij", 4, 5, 4)
    '…cdef…'
    """
    start = max(0, min((lo + hi) // 2 - width // 2, len(flat) - width))
    end = start + width
    return ("…" if start > 0 else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")


# --- ego sub-graphs --------------------------------------------------------------------------
def subset(eg: Tables, entity_ids: Iterable[str]) -> Tables:
    """``eg`` restricted to ``entity_ids`` and the edges among them (measures keep the values
    computed on the whole graph).

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> farc = "revolutionary-armed-force-of-colombia"   # FARC, under its defined long form
    >>> subset(eg, [farc, "venezuela", "uribe"]).edges[["source", "target"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['revolutionary-armed-force-of-colombia', 'uribe'],
     ['revolutionary-armed-force-of-colombia', 'venezuela'], ['uribe', 'venezuela']]
    """
    ids = set(entity_ids)
    ents = eg.entities[eg.entities["entity_id"].isin(ids)].reset_index(drop=True)
    edges = eg.edges[eg.edges["source"].isin(ids) & eg.edges["target"].isin(ids)]
    ev = eg.evidence[eg.evidence["source"].isin(ids) & eg.evidence["target"].isin(ids)]
    cent = eg.centrality[eg.centrality.index.isin(ids)]
    # the communities of the kept entities; their summary is recomputed on demand
    # (EntityGraph.community_summary), never the whole graph's
    comm = eg.community[eg.community.index.isin(ids)]
    return replace(eg, entities=ents, edges=edges.reset_index(drop=True),
                   evidence=ev.reset_index(drop=True), centrality=cent, community=comm,
                   communities=pd.DataFrame())


def ego(eg: Tables, entity: str, radius: int = 1,
        types: str | Iterable[str] | None = None) -> nx.Graph:
    """The networkx sub-graph of the entities within ``radius`` hops of ``entity`` (node and
    edge attributes as in :func:`graph`; ``G.graph["center"]`` is the centre id).

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> G = ego(eg, "Lavrov")
    >>> G.graph["center"], "clinton" in G, "nate-young" in G
    ('sergey-lavrov', True, False)
    """
    G = graph(ego_tables(eg, entity, radius, types))
    G.graph["center"] = match_entity(eg.entities, entity, eg.resolution)
    return G


def ego_tables(eg: Tables, entity: str, radius: int = 1,
               types: str | Iterable[str] | None = None) -> Tables:
    """Like :func:`ego`, but the restricted tables (of the same class as ``eg``). With
    ``types``, only the centre and the entities of those types are kept (hops are counted
    through them only).

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt", keep_isolated=True)
    >>> len(ego_tables(eg, "nate young").entities)    # alone (SBU is a marking)
    1
    """
    if radius < 0:
        raise InputError(f"radius must be 0 or more, not {radius}")
    center = match_entity(eg.entities, entity, eg.resolution)
    wanted = type_list(types)
    entities, edges = eg.entities, eg.edges
    if wanted is not None:
        keep = entities["type"].astype(str).isin(wanted) | entities["entity_id"].eq(center)
        entities = entities[keep]
        ids = set(entities["entity_id"])
        edges = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]
    ents, _ = neighbourhood(entities, edges, center, radius)
    sub = subset(eg, ents["entity_id"])
    sub.filters_removed = {**eg.filters_removed,
                           f"entities beyond {radius} hop(s) of {center}":
                           len(eg.entities) - len(sub.entities)}
    return sub


def references(documents: pd.DataFrame) -> pd.DataFrame:
    """The cable -> cable links of the ``REF:`` lines: one row per (citing cable, cited id).

    Parameters
    ----------
    documents : pandas.DataFrame
        A build's documents table (``eg.documents``).

    Returns
    -------
    pandas.DataFrame
        ``doc_id`` (the citing document), ``ref_id`` (its reference id), ``cites`` (the
        cited cable's id) and ``in_corpus`` (whether the cited cable is one of the built
        documents, by reference id), in document order.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "ref_id": ["08X1", "08X2"],
    ...                      "references": ["08X2; 07Y9", None]})
    >>> references(docs).values.tolist()
    [['a', '08X1', '08X2', True], ['a', '08X1', '07Y9', False]]
    """
    docs = documents
    cols = ["doc_id", "ref_id", "cites", "in_corpus"]
    if "references" not in docs.columns or docs.empty:
        return pd.DataFrame(columns=cols)
    cited = docs[["doc_id", "ref_id", "references"]].dropna(subset=["references"])
    cited = cited.assign(cites=cited["references"].astype(str).str.split("; ")) \
        .explode("cites")
    cited = cited[cited["cites"].astype(bool)]
    known = set(docs["ref_id"].dropna().astype(str))
    cited["in_corpus"] = cited["cites"].isin(known)
    return cited[cols].reset_index(drop=True)
