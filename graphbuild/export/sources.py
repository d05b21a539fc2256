"""What the explorer page says about sources and time, beyond the graph itself: each
named document's date, classification, origin and subject; which entities are countries or
the names of their peoples; and the months of every shown edge's evidence, of the documents
and of each shown entity's mentions (the page's date-range control and histograms).

Everything here is plain JSON-able data; the page writes it with ``textContent`` only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphbuild.core import lexicon
from graphbuild.core.tables import positions
from graphbuild.export.report.render import plural

__all__ = ["document_info", "is_country_or_people", "starts_without_countries", "time_data",
           "source_line",
           "not_drawn", "reader_documents", "DOC_FIELDS", "NOT_DRAWN_LIMIT",
           "READER_DOCUMENTS", "READER_CHARS"]

#: documents whose text the page embeds for its reader, and the most characters of them
READER_DOCUMENTS = 200
READER_CHARS = 1_500_000
#: entities the page is not drawing that its search still finds (most mentioned first)
NOT_DRAWN_LIMIT = 20_000
#: drawn neighbours named for each of them
NOT_DRAWN_TIES = 3


def not_drawn(entities: pd.DataFrame, edges: pd.DataFrame, shown: list[str],
              limit: int = NOT_DRAWN_LIMIT) -> list[list]:
    """The entities the page does not draw, for its search: ``[label, type, mentions,
    [[drawn node index, weight], ...]]`` — their strongest ties to drawn entities (at most
    :data:`NOT_DRAWN_TIES`; equal weights: the more central drawn entity, the smaller
    index, first) — the ``limit`` most mentioned.

    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                      "type": ["PER", "ORG", "LOC"], "mentions": [5, 3, 1]})
    >>> eds = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "c"],
    ...                     "weight": [2, 1, 4]})
    >>> not_drawn(ents, eds, ["a"])
    [['B', 'ORG', 3, [[0, 2]]], ['C', 'LOC', 1, [[0, 1]]]]
    """
    drawn = pd.Series(shown, dtype=object)
    ids = entities["entity_id"].astype(str).reset_index(drop=True)
    rest = entities.reset_index(drop=True)[positions(ids, drawn) < 0]
    if rest.empty:
        return []
    rest = rest.sort_values(["mentions", "entity_id"], ascending=[False, True],
                            kind="stable").head(limit)
    rest_ids = pd.Series(rest["entity_id"].astype(str).to_numpy(), dtype=object)
    ties: dict[int, list[list[int]]] = {}
    if len(edges):
        s_drawn, t_drawn = positions(edges["source"], drawn), positions(edges["target"], drawn)
        s_rest, t_rest = positions(edges["source"], rest_ids), positions(edges["target"], rest_ids)
        w = edges["weight"].to_numpy()
        one = (s_rest >= 0) & (t_drawn >= 0)
        two = (t_rest >= 0) & (s_drawn >= 0)
        pairs = pd.DataFrame({"other": np.concatenate([s_rest[one], t_rest[two]]),
                              "node": np.concatenate([t_drawn[one], s_drawn[two]]),
                              "w": np.concatenate([w[one], w[two]])})
        pairs = pairs.sort_values(["other", "w", "node"], ascending=[True, False, True],
                                  kind="stable").groupby("other").head(NOT_DRAWN_TIES)
        for o, n, x in pairs.itertuples(index=False, name=None):
            ties.setdefault(int(o), []).append([int(n), int(x)])
    return [[str(label), str(etype), int(m), ties.get(k, [])] for k, (label, etype, m) in
            enumerate(zip(rest["label"], rest["type"].astype(str), rest["mentions"],
                          strict=True))]


def source_line(documents: pd.DataFrame | None) -> str:
    """The source line of an exported picture: tool and version, the corpus and its dates
    (no build time: two builds of the same input write the same page).

    >>> source_line(pd.DataFrame({"doc_id": ["a", "b"], "created": ["2004-11-02", None]}))
    'graphbuild ... · 2 documents · 2004-11-02 – 2004-11-02'
    """
    from graphbuild._version import __version__

    line = f"graphbuild {__version__}"
    if documents is None:
        return line
    line += f" · {plural(len(documents), 'document')}"
    if "created" in documents and documents["created"].notna().any():
        days = documents["created"].dropna().astype(str).str.slice(0, 10)
        line += f" · {days.min()} – {days.max()}"
    return line


def is_country_or_people(label: str, entity_type: str) -> bool:
    """Whether an entity is a country (or region) or the name of its people: what every
    cable of a country's embassy names, and what the page's "hide countries and
    nationalities" takes away (places and ``MISC`` only; cities and people stay).

    >>> [is_country_or_people(x, t) for x, t in [("Venezuela", "LOC"), ("Colombians", "MISC"),
    ...  ("U.S.", "LOC"), ("Caracas", "LOC"), ("Venezuelan", "PER")]]
    [True, True, True, False, False]
    """
    if entity_type not in ("LOC", "MISC", "GPE", "NORP"):
        return False
    key = label.strip().casefold()
    people = lexicon.demonyms_folded()
    canonical = lexicon.variants().get(label.strip(), "")
    return (key in lexicon.countries() or key in people or key.removesuffix("s") in people
            or canonical.casefold() in lexicon.countries())


#: the first picture leaves countries and nationalities out when they hold this share of
#: the 20 strongest ties (and the corpus has at least START_MIN_DOCUMENTS documents)
START_CP_SHARE = 0.25
START_MIN_DOCUMENTS = 10


def starts_without_countries(nodes: list[dict], edges: list[dict]) -> bool:
    """Whether the page opens with "hide countries and nationalities" on.

    The first picture of an embassy's cables is otherwise its country and its people:
    on 250 Bogota/Caracas cables the strongest ties were Colombia–Colombian (190) and
    Colombia–U.S. (163), and Chavez's top neighbours Venezuela, Venezuelan, Colombia...
    When a quarter of the 20 strongest ties touch a country or a people, the page opens on
    the people, organisations and places between them (sized by their ties there); one
    click brings the countries back, and the legend says they are hidden. Small corpora
    (no entity named in 10 documents or more) open with everything.

    >>> nodes = [{"cp": 1, "documents": 12}, {"documents": 12}, {"documents": 3}]
    >>> starts_without_countries(nodes, [{"s": 0, "t": 1, "w": 5}, {"s": 1, "t": 2, "w": 1}])
    True
    >>> starts_without_countries(nodes[1:], [{"s": 0, "t": 1, "w": 5}])
    False
    """
    if not edges or max((n.get("documents", 0) for n in nodes), default=0) < START_MIN_DOCUMENTS:
        return False
    top = sorted(edges, key=lambda e: -e["w"])[:20]
    touching = sum(1 for e in top if nodes[e["s"]].get("cp") or nodes[e["t"]].get("cp"))
    return touching >= START_CP_SHARE * len(top)


#: what the panels say of a document, from the documents table
DOC_FIELDS = ("created", "classification", "origin", "subject")


def document_info(documents: pd.DataFrame | None, ids: set[str]) -> dict[str, list[str]]:
    """``doc_id -> [date, classification, origin, subject]`` for the documents the page
    names (listed under a node or quoting an edge): the node panel shows them.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "created": ["2009-08-10 21:09", None],
    ...                      "subject": ["ARMS", "X"]})
    >>> document_info(docs, {"a"})
    {'a': ['2009-08-10', '', '', 'ARMS']}
    """
    if documents is None or not len(documents) or not ids:
        return {}
    rows = documents[documents["doc_id"].astype(str).isin(ids)]
    cols = {f: (rows[f].astype("string").fillna("") if f in rows
                else pd.Series("", index=rows.index, dtype="string")) for f in DOC_FIELDS}
    cols["created"] = cols["created"].str.slice(0, 10)
    return {str(d): [str(cols[f].loc[i]) for f in DOC_FIELDS]
            for i, d in zip(rows.index, rows["doc_id"].astype(str), strict=True)}


def _months(created: pd.Series) -> pd.Series:
    """``YYYY-MM`` of each date (``<NA>`` when undated or unparsable)."""
    month = created.astype("string").str.slice(0, 7)
    return month.where(month.str.fullmatch(r"\d{4}-\d{2}").fillna(False).astype(bool))


def _month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included.

    >>> _month_range("2004-11", "2005-02")
    ['2004-11', '2004-12', '2005-01', '2005-02']
    """
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


def time_data(documents: pd.DataFrame | None, evidence_rows: pd.DataFrame,
              mentions: pd.DataFrame | None, node_ids: list[str],
              n_edges: int | None = None) -> dict:
    """The page's time data, by month: ``months`` (every month from the first dated
    document to the last), ``docMonths`` (documents per month), ``edgeMonths`` (per shown
    edge, ``[[month index, paragraphs], ...]`` of its evidence; undated paragraphs are not
    in it) and ``nodeMonths`` (per shown entity, its mentions per month, same form).
    Empty when no document is dated.

    ``evidence_rows``: ``edge`` (index of the shown edge) and ``doc_id`` per evidence
    paragraph of the shown edges (``n_edges`` of them; default: the largest index + 1).

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "created": ["2004-11-02", "2005-01-20 10:00"]})
    >>> ev = pd.DataFrame({"edge": [0, 0, 1], "doc_id": ["a", "b", "b"]})
    >>> m = pd.DataFrame({"doc_id": ["a", "b", "b"], "entity_id": ["x", "x", "y"],
    ...                   "status": ["kept"] * 3})
    >>> t = time_data(docs, ev, m, ["x", "y"])
    >>> t["months"], t["docMonths"]
    (['2004-11', '2004-12', '2005-01'], [1, 0, 1])
    >>> t["edgeMonths"], t["nodeMonths"]
    ([[[0, 1], [2, 1]], [[2, 1]]], [[[0, 1], [2, 1]], [[2, 1]]])
    """
    if documents is None or "created" not in documents or not len(documents):
        return {}
    month = _months(documents["created"])
    dated = month.notna().to_numpy()
    if not dated.any():
        return {}
    months = _month_range(month[dated].min(), month[dated].max())
    index = {mo: i for i, mo in enumerate(months)}
    doc_month = pd.Series(month.map(index).fillna(-1).astype("int64").to_numpy(),
                          index=documents["doc_id"].astype(str).to_numpy())
    doc_month = doc_month[~doc_month.index.duplicated()]
    doc_counts = np.bincount(doc_month[doc_month >= 0].to_numpy(), minlength=len(months))

    def sparse(owner: np.ndarray, mon: np.ndarray, n_owners: int) -> list[list[list[int]]]:
        keep = mon >= 0
        owner, mon = owner[keep], mon[keep]
        out: list[list[list[int]]] = [[] for _ in range(n_owners)]
        if not len(owner):
            return out
        key, count = np.unique(owner.astype(np.int64) * len(months) + mon, return_counts=True)
        for k, c in zip(key.tolist(), count.tolist(), strict=True):
            out[k // len(months)].append([k % len(months), int(c)])
        return out

    universe = pd.Series(doc_month.index, dtype=object)
    if n_edges is None:
        n_edges = int(evidence_rows["edge"].max()) + 1 if len(evidence_rows) else 0
    ev_doc = positions(evidence_rows["doc_id"].astype(str).reset_index(drop=True), universe)
    ev_mon = np.where(ev_doc >= 0, doc_month.to_numpy()[np.maximum(ev_doc, 0)], -1)
    out = {"months": months, "docMonths": doc_counts.astype(int).tolist(),
           "edgeMonths": sparse(evidence_rows["edge"].to_numpy(), ev_mon, n_edges),
           "nodeMonths": [[] for _ in node_ids]}
    if mentions is not None and len(mentions):
        m = mentions[["doc_id", "entity_id"]][mentions["status"].eq("kept").to_numpy()]
        ent = positions(m["entity_id"].astype(str).reset_index(drop=True),
                        pd.Series(node_ids, dtype=object))
        m_doc = positions(m["doc_id"].astype(str).reset_index(drop=True), universe)
        ok = (ent >= 0) & (m_doc >= 0)
        mon = doc_month.to_numpy()[m_doc[ok]]
        out["nodeMonths"] = sparse(ent[ok], mon, len(node_ids))
    return out


def reader_documents(wanted: list[str], paragraphs: pd.DataFrame | None,
                     mentions: pd.DataFrame | None, node_ids: list[str],
                     max_documents: int = READER_DOCUMENTS,
                     max_chars: int = READER_CHARS) -> dict:
    """The text the page's document reader shows: of the ``wanted`` documents (most
    important first), as many as fit in ``max_documents`` documents and ``max_chars``
    characters, each as its paragraphs ``[number, section, text, [[start, end, node
    index], ...]]`` (the mentions of drawn entities, offsets into the paragraph text).
    Returns ``{"docs": {doc_id: paragraphs}, "limit": [max_documents, max_chars],
    "left": documents wanted but not embedded}``.

    >>> paras = pd.DataFrame({"doc_id": ["d", "d"], "paragraph": [1, 2], "section": ["body"] * 2,
    ...                       "start": [0, 12], "text": ["¶1. Ana met.", "¶2. Bo came."]})
    >>> m = pd.DataFrame({"doc_id": ["d", "d"], "paragraph": [1, 2], "start": [4, 16],
    ...                   "end": [7, 18], "entity_id": ["ana", "bo"], "status": ["kept"] * 2})
    >>> reader_documents(["d"], paras, m, ["ana"])["docs"]["d"]
    [[1, 'body', '¶1. Ana met.', [[4, 7, 0]]], [2, 'body', '¶2. Bo came.', []]]
    """
    out: dict = {"docs": {}, "limit": [max_documents, max_chars], "left": 0}
    if paragraphs is None or not len(paragraphs) or not wanted:
        return out
    chosen = list(dict.fromkeys(wanted))
    universe = pd.Series(chosen, dtype=object)
    rows = paragraphs[positions(paragraphs["doc_id"], universe) >= 0]
    rows = rows.assign(doc=rows["doc_id"].astype(str))
    sizes = rows.groupby("doc")["text"].agg(lambda t: int(t.astype(str).str.len().sum()))
    keep, used = [], 0
    for d in chosen:
        n = int(sizes.get(d, 0))
        if len(keep) >= max_documents or used + n > max_chars:
            continue
        keep.append(d)
        used += n
    out["left"] = len(chosen) - len(keep)
    # in the document's own order (header lines, subject, body, signature)
    rows = rows[rows["doc"].isin(set(keep))].sort_values(["doc", "start"], kind="stable")
    spans: dict[tuple[str, int], list[list[int]]] = {}
    if mentions is not None and len(mentions):
        m = mentions[["doc_id", "paragraph", "start", "end", "entity_id"]][
            mentions["status"].eq("kept").to_numpy()]
        m = m[positions(m["doc_id"], pd.Series(keep, dtype=object)) >= 0]
        node = positions(m["entity_id"].astype(str).reset_index(drop=True),
                         pd.Series(node_ids, dtype=object))
        m = m[node >= 0].assign(node=node[node >= 0])
        starts = rows.set_index(["doc", "paragraph"])["start"]
        for doc, par, a, b, k in zip(m["doc_id"].astype(str), m["paragraph"], m["start"],
                                     m["end"], m["node"], strict=True):
            base = starts.get((doc, int(par)))
            if base is not None:
                spans.setdefault((doc, int(par)), []).append([int(a - base), int(b - base),
                                                              int(k)])
    docs: dict[str, list] = {}
    for doc, par, sec, text in zip(rows["doc"], rows["paragraph"], rows["section"].astype(str),
                                   rows["text"].astype(str), strict=True):
        docs.setdefault(doc, []).append([int(par), sec, text,
                                         sorted(spans.get((doc, int(par)), []))])
    out["docs"] = {d: docs[d] for d in keep if d in docs}
    return out
