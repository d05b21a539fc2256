"""The graph as GraphRAG's "bring your own graph" tables: ``entities``, ``relationships``,
``text_units`` and ``documents``, with the columns, in the order, of GraphRAG's data model
(``graphrag.data_model.schemas``, version 3.3), so its community-report workflow
(``create_communities``, ``create_community_reports``) runs on a graphbuild graph.

Mapping (one row per entity, tie, paragraph and document of the view):

* ``entities``: ``id`` = entity id; ``title`` = label (made unique with the type, as
  GraphRAG joins relationships to entities by title); ``type`` PERSON / ORGANIZATION /
  GEO / MISC; ``description`` from the tables and the first paragraphs that name it;
  ``text_unit_ids`` = the paragraphs that name it; ``frequency`` = how many; ``degree``.
* ``relationships``: ``source``/``target`` = entity titles; ``weight`` = paragraphs
  together (what graphbuild's edges count, and what GraphRAG's Leiden uses);
  ``description`` with the earliest shared paragraph; ``text_unit_ids`` = the evidence;
  ``combined_degree``.
* ``text_units``: one per paragraph (id ``DOC:PARAGRAPH``), ``n_tokens`` = words
  (whitespace-separated; GraphRAG counts tokenizer tokens, about 1.3 per English word),
  ``document_id``, ``entity_ids``, ``relationship_ids``, ``covariate_ids`` (empty).
* ``documents``: ``title`` = subject (else the reference), ``text`` = the paragraphs,
  ``creation_date``, ``raw_data`` = the document's metadata.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from graphbuild.core.names import alias_list
from graphbuild.core.tables import Tables, kept_mentions, pair_positions
from graphbuild.export.report.render import plural
from graphbuild.query import entity_quotes, window
from graphbuild.store import write_parquet

__all__ = ["graphrag_tables", "write_graphrag", "GRAPHRAG_TYPES", "GRAPHRAG_FILES"]

#: graphbuild's types as GraphRAG's extraction names them
GRAPHRAG_TYPES = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "GEO", "MISC": "MISC"}
GRAPHRAG_FILES = ("entities.parquet", "relationships.parquet", "text_units.parquet",
                  "documents.parquet")
#: first paragraphs quoted in a description
QUOTES = 2


def graphrag_tables(tables: Tables, whole_corpus: bool = True) -> dict[str, pd.DataFrame]:
    """The four tables, by name.

    Parameters
    ----------
    tables : Tables
        A build or a view of one (:func:`~graphbuild.export.selection.select_view`).
    whole_corpus : bool
        Keep every document and paragraph (the whole build); ``False`` keeps the
        documents that name an entity of the view, and all their paragraphs.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``entities``, ``relationships``, ``text_units``, ``documents``.

    Examples
    --------
    >>> import graphbuild as gb
    >>> t = graphrag_tables(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> list(t["relationships"].columns)  # doctest: +NORMALIZE_WHITESPACE
    ['id', 'human_readable_id', 'source', 'target', 'description', 'weight',
     'combined_degree', 'text_unit_ids']
    """
    ents, edges, ev = tables.entities, tables.edges, tables.evidence
    m = kept_mentions(tables.mentions, entity_ids=ents["entity_id"])
    docs = tables.documents
    if not whole_corpus:
        docs = docs[docs["doc_id"].isin(m["doc_id"])]
    paras = tables.paragraphs[tables.paragraphs["doc_id"].isin(docs["doc_id"])]
    paras = paras.reset_index(drop=True)
    unit_id = _unit_ids(paras["doc_id"], paras["paragraph"])
    text = paras["text"].fillna("").astype(str)

    # --- entities -------------------------------------------------------------------
    title = _unique_titles(ents)
    m_units = _unit_ids(m["doc_id"], m["paragraph"])
    units_of = pd.Series(m_units.to_numpy(), index=m["entity_id"].to_numpy()).groupby(
        level=0, sort=False).agg(lambda s: list(dict.fromkeys(s)))
    degree = pd.concat([edges["source"], edges["target"]]).value_counts()
    eid = ents["entity_id"]
    ent_units = [units_of.get(e, []) for e in eid]
    quotes = entity_quotes(m, paras, QUOTES, lambda t, spelling: _around(t, [spelling], 240))
    entities = pd.DataFrame({
        "id": eid.astype(str).to_numpy(),
        "human_readable_id": np.arange(len(ents), dtype=np.int64),
        "title": title,
        "type": [GRAPHRAG_TYPES.get(str(t), str(t)) for t in ents["type"]],
        "description": [_entity_description(r, quotes.get(r.entity_id, []))
                        for r in ents.itertuples(index=False)],
        "text_unit_ids": ent_units,
        "frequency": np.array([len(u) for u in ent_units], dtype=np.int64),
        "degree": degree.reindex(eid).fillna(0).astype(np.int64).to_numpy(),
    })

    # --- relationships --------------------------------------------------------------
    rel_id = (edges["source"].astype(str) + "|" + edges["target"].astype(str)).to_numpy()
    row = pair_positions(ev["source"], ev["target"], edges["source"], edges["target"])
    ev_units = _unit_ids(ev["doc_id"], ev["paragraph"]).to_numpy()
    rel_units: list[list[str]] = [[] for _ in range(len(edges))]
    for r, u in zip(row.tolist(), ev_units.tolist(), strict=True):
        if r >= 0:
            rel_units[r].append(u)
    title_of = dict(zip(eid, title, strict=True))
    label_of = dict(zip(eid, ents["label"].astype(str), strict=True))
    para_text = dict(zip(unit_id, text, strict=True))
    surf = m.groupby("entity_id", sort=False)["surface"].agg(
        lambda s: "|".join(dict.fromkeys(map(str, s)))).to_dict()
    deg = degree.to_dict()
    relationships = pd.DataFrame({
        "id": rel_id,
        "human_readable_id": np.arange(len(edges), dtype=np.int64),
        "source": [title_of.get(s, s) for s in edges["source"]],
        "target": [title_of.get(t, t) for t in edges["target"]],
        "description": [
            _tie_description(label_of.get(s, s), label_of.get(t, t), w, d, units, para_text,
                             surf.get(s, "") + "|" + surf.get(t, ""))
            for s, t, w, d, units in zip(edges["source"], edges["target"], edges["weight"],
                                         _col(edges, "documents"), rel_units, strict=True)],
        "weight": edges["weight"].astype(float).to_numpy(),
        "combined_degree": np.array([deg.get(s, 0) + deg.get(t, 0) for s, t in
                                     zip(edges["source"], edges["target"], strict=True)],
                                    dtype=np.int64),
        "text_unit_ids": rel_units,
    })

    # --- text units -----------------------------------------------------------------
    ents_in = pd.Series(m["entity_id"].astype(str).to_numpy(), index=m_units.to_numpy())
    ents_in = ents_in.groupby(level=0, sort=False).agg(lambda s: list(dict.fromkeys(s)))
    rels_in: dict[str, list[str]] = {}
    for rid, units in zip(rel_id.tolist(), rel_units, strict=True):
        for u in units:
            rels_in.setdefault(u, []).append(rid)
    text_units = pd.DataFrame({
        "id": unit_id.to_numpy(),
        "human_readable_id": np.arange(len(paras), dtype=np.int64),
        "text": text.to_numpy(),
        "n_tokens": text.str.split().str.len().fillna(0).astype(np.int64).to_numpy(),
        "document_id": paras["doc_id"].astype(str).to_numpy(),
        "entity_ids": [ents_in.get(u, []) for u in unit_id],
        "relationship_ids": [rels_in.get(u, []) for u in unit_id],
        "covariate_ids": [[] for _ in range(len(paras))],
    })

    # --- documents ------------------------------------------------------------------
    units_by_doc = unit_id.groupby(paras["doc_id"].to_numpy(), sort=False).agg(list)
    text_by_doc = text.groupby(paras["doc_id"].to_numpy(), sort=False).agg("\n\n".join)
    meta = [c for c in docs.columns if c != "doc_id"]
    subject = _col(docs, "subject", "")
    ref = _col(docs, "ref_id", "")
    documents = pd.DataFrame({
        "id": docs["doc_id"].astype(str).to_numpy(),
        "human_readable_id": np.arange(len(docs), dtype=np.int64),
        "title": [str(s) if _present(s) else (str(r) if _present(r) else str(d))
                  for s, r, d in zip(subject, ref, docs["doc_id"], strict=True)],
        "text": [text_by_doc.get(d, "") for d in docs["doc_id"]],
        "text_unit_ids": [units_by_doc.get(d, []) for d in docs["doc_id"]],
        "creation_date": [str(c) if _present(c) else "" for c in _col(docs, "created", "")],
        "raw_data": [{k: ("" if not _present(v) else str(v)) for k, v in zip(meta, row,
                                                                              strict=True)}
                     for row in docs[meta].itertuples(index=False)],
    })
    return {"entities": entities, "relationships": relationships,
            "text_units": text_units, "documents": documents}


def write_graphrag(tables: Tables, out_dir: str | os.PathLike[str],
                   whole_corpus: bool = True) -> dict[str, Path]:
    """Write :func:`graphrag_tables` as ``entities.parquet``, ``relationships.parquet``,
    ``text_units.parquet`` and ``documents.parquet`` in ``out_dir``.

    Parameters
    ----------
    tables : Tables
        A build or a view of one.
    out_dir : str or os.PathLike
        The folder (created).
    whole_corpus : bool
        See :func:`graphrag_tables`.

    Returns
    -------
    dict of str to pathlib.Path
        File name -> path.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> sorted(write_graphrag(eg, tempfile.mkdtemp()))  # doctest: +NORMALIZE_WHITESPACE
    ['documents.parquet', 'entities.parquet', 'relationships.parquet',
     'text_units.parquet']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {f"{name}.parquet": write_parquet(frame, out / f"{name}.parquet")
            for name, frame in graphrag_tables(tables, whole_corpus).items()}


def _unit_ids(doc_id: pd.Series, paragraph: pd.Series) -> pd.Series:
    return (doc_id.astype(str) + ":" + paragraph.astype("int64").astype(str)).reset_index(
        drop=True)


def _unique_titles(ents: pd.DataFrame) -> list[str]:
    """Labels, with `` (TYPE)`` where two entities share one, and the id where that is not
    enough: GraphRAG finds a relationship's ends by title."""
    label = ents["label"].astype(str)
    kind = ents["type"].astype(str)
    dup = label.duplicated(keep=False)
    title = label.where(~dup, label + " (" + kind + ")")
    still = title.duplicated(keep=False)
    title = title.where(~still, title + " [" + ents["entity_id"].astype(str) + "]")
    return title.tolist()


def _entity_description(row, quotes: list[str]) -> str:
    parts = [f"{row.label} ({GRAPHRAG_TYPES.get(str(row.type), row.type)}), named "
             f"{plural(int(row.mentions), 'time')} in {plural(int(row.documents), 'document')}"]
    first, last = getattr(row, "first_seen", None), getattr(row, "last_seen", None)
    if _present(first) and _present(last):
        parts[0] += f" ({first} to {last})" if first != last else f" ({first})"
    names = [a for a in alias_list(getattr(row, "aliases", None)) if a != str(row.label)]
    if names:
        parts.append("also written " + ", ".join(names[:8]))
    return ". ".join(parts) + "." + "".join(f"\n{q}" for q in quotes)


def _tie_description(a: str, b: str, weight, documents, units: list[str],
                     para_text: dict[str, str], surfaces: str) -> str:
    head = f"{a} and {b} are named together in {plural(int(weight), 'paragraph')}"
    if _present(documents):
        head += f" of {plural(int(documents), 'document')}"
    first = next((u for u in units if para_text.get(u, "").strip()), None)
    if first is None:
        return head + "."
    return f"{head}. {first}: {_around(para_text[first], surfaces.split('|'), 300)}"


@lru_cache(maxsize=4096)
def _flat(text: str) -> tuple[str, str]:
    flat = " ".join(text.split())
    return flat, flat.lower()


def _around(text: str, spellings: list[str], width: int) -> str:
    """``width`` characters of ``text`` around the first of ``spellings`` found in it
    (case-insensitive; a plain search, not :func:`graphbuild.query.snippet`'s whole-word
    regex, which compiled per tie took 87 s for 89 k ties)."""
    flat, low = _flat(text)
    if len(flat) <= width:
        return flat
    for spelling in spellings:
        at = low.find(spelling.lower()) if spelling else -1
        if at >= 0:
            return window(flat, at, at + len(spelling), width)
    return window(flat, 0, 0, width)


def _col(frame: pd.DataFrame, name: str, default=None) -> list:
    return frame[name].tolist() if name in frame else [default] * len(frame)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) \
        and value is not pd.NA and value is not pd.NaT and str(value) != ""
