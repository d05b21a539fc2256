"""Count stage: entity co-occurrence within units, and the association measures of each pair.

Units (``--unit``):

``paragraph`` (default)
    a paragraph of the document (the cable's ``¶N``; SUBJECT line = paragraph 0).
``sentence``
    a sentence inside a paragraph (see :func:`split_sentences` for the rule).
``window:K``
    every run of ``K`` consecutive tokens inside a paragraph, sliding one token at a time
    (the skip-gram windows of widyr / tidytext); a paragraph shorter than ``K`` tokens is one
    window. A token is a word; a mention counts as **one** token whatever its length, so
    ``Revolutionary Armed Forces of Colombia`` does not push its neighbours away. Two
    mentions ``d`` tokens apart share ``K - d`` windows, so closer pairs weigh more.
``document``
    the whole document (its subject and body).

Only mentions in edge sections (SUBJECT and body by default) count; windows and sentences
never cross a paragraph boundary.

Edge columns, for entities ``a`` and ``b``, where ``p_x`` is the number of units mentioning
``x`` and ``N`` the number of units in the corpus:

* ``weight`` = ``w`` = number of distinct units mentioning both (a unit counts once however
  often they repeat in it);
* ``documents`` = number of distinct documents holding such a unit;
* ``npmi`` = ``log(w·N / (p_a·p_b)) / −log(w/N)``, normalised pointwise mutual information
  in ``[-1, 1]``: 1 when the two are only ever seen together, 0 when they meet as often as
  chance predicts, negative when less (Bouma 2009, "Normalized (pointwise) mutual
  information in collocation extraction", GSCL);
* ``jaccard`` = ``w / (p_a + p_b − w)`` (Jaccard 1912);
* ``dice`` = ``2w / (p_a + p_b)`` (Dice 1945).

``N`` counts every unit of the corpus, also those without a mention, when the
``paragraphs`` table is given (the pipeline always gives it); without it, only the units that
hold at least one mention are known and ``N`` is their number.

The ``evidence`` table keeps one row per (edge, paragraph) behind the edge: for the paragraph,
sentence and window units the paragraph holding the unit, for the document unit every
paragraph of the document that mentions one of the two entities.

Counting is vectorised, never looped pair by pair in Python: distinct (unit, entity)
incidences are integer-coded; for units inside a paragraph they are packed into int64 keys and
paired with numpy (one sort each, :func:`graphbuild.count.pairs.count_sorted_pairs`), for
the document unit joined with themselves on the unit (a pandas self-merge). Given an
engine's ``mapper``, the incidences are cut into blocks of whole documents, each block is
counted by a worker, and the blocks are added up: the same tables, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphbuild.core import tables
from graphbuild.core.tables import sorted_codes, take_strings
from graphbuild.count.pairs import count_block, count_sorted_pairs, merge_counts, split_blocks
from graphbuild.count.units import sub_unit_incidences
from graphbuild.segment import EDGE_SECTIONS

#: ``map(fn, items)`` on an engine: the results in item order (see :mod:`graphbuild.engines`)
Mapper = Callable[[Callable, list], Iterator]

#: the unit names ``--unit`` accepts (``window:K`` with a positive integer K)
UNITS = ("paragraph", "sentence", "window:K", "document")
#: edge columns that can drive layout and centrality (``--weight``)
WEIGHT_COLUMNS = ("weight", "npmi", "jaccard", "dice")


@dataclass
class Cooccurrence:
    """Result of :func:`cooccurrence`: the ``edges`` and ``evidence`` tables.

    ``unit`` is the unit used, ``n_units`` the ``N`` of the formulas and ``unit_counts`` the
    ``p_x`` of every entity (a Series indexed by entity id).
    """

    edges: pd.DataFrame
    evidence: pd.DataFrame
    unit: str = "paragraph"
    n_units: int = 0
    unit_counts: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))


def parse_unit(unit: str) -> tuple[str, int]:
    """``"window:5"`` -> ``("window", 5)``; ``"sentence"`` -> ``("sentence", 0)``.

    >>> parse_unit("window:10"), parse_unit("Paragraph")
    (('window', 10), ('paragraph', 0))

    Raises ``ValueError`` with the accepted forms on anything else.
    """
    name = unit.strip().lower()
    if name in ("paragraph", "sentence", "document"):
        return name, 0
    m = re.fullmatch(r"window:(\d+)", name)
    if m and int(m.group(1)) >= 1:
        return "window", int(m.group(1))
    raise ValueError(f"unknown unit {unit!r}: use paragraph, sentence, document or window:K "
                     "(K a positive number of tokens)")


def unit_incidences(mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                    ) -> pd.DataFrame:
    """Distinct ``(doc_id, paragraph, entity_id)`` rows of kept mentions in edge sections."""
    keep = (mentions["status"].eq("kept") & mentions["entity_id"].notna()
            & mentions["section"].isin(list(sections)))
    inc = mentions.loc[keep, ["doc_id", "paragraph", "entity_id"]]
    return inc.drop_duplicates().reset_index(drop=True)


def _edge_mask(mentions: pd.DataFrame, sections: Sequence[str]) -> pd.Series:
    """Kept, resolved mentions in edge sections: the ones that make edges."""
    return (mentions["status"].eq("kept") & mentions["entity_id"].notna()
            & mentions["section"].isin(list(sections)))


def cooccurrence(mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                 unit: str = "paragraph", paragraphs: pd.DataFrame | None = None,
                 mapper: Mapper | None = None, blocks: int = 1) -> Cooccurrence:
    """Count co-occurring entity pairs per unit and their association measures.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The resolved mentions table (``doc_id, paragraph, entity_id, section, status``).
    sections : sequence of str
        Sections whose mentions make edges (SUBJECT and body by default).
    unit : str
        ``paragraph``, ``sentence``, ``window:K`` or ``document`` (module docstring);
        ``sentence`` and ``window:K`` need the ``paragraphs`` table (its text).
    paragraphs : pandas.DataFrame, optional
        The paragraphs table: its units are the ``N`` of the association measures.
    mapper : callable, optional
        An engine's ``map(fn, items)``: the pairs of ``blocks`` blocks of whole documents
        are counted by its workers (a Dask cluster) and added up here.
    blocks : int
        How many blocks to cut the incidences into when ``mapper`` is given.

    Returns
    -------
    Cooccurrence
        The ``edges`` and ``evidence`` tables, the unit, ``N`` and ``p_x``.

    Raises
    ------
    ValueError
        For an unknown unit or a missing ``paragraphs`` table.

    Examples
    --------

    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["d", "d", "d", "d"], "paragraph": [1, 1, 1, 2],
    ...                   "entity_id": ["a", "b", "a", "b"], "section": ["body"] * 4,
    ...                   "status": ["kept"] * 4})
    >>> cooccurrence(m).edges[["source", "target", "weight", "documents", "dice"]
    ...                       ].values.tolist()
    [['a', 'b', 1, 1, 0.6666666666666666]]
    """
    kind, k = parse_unit(unit)
    unit_name = f"window:{k}" if kind == "window" else kind
    sections = list(sections)
    keep = _edge_mask(mentions, sections)
    paras = None
    if paragraphs is not None:
        paras = paragraphs[paragraphs["section"].isin(sections)]
    if kind in ("sentence", "window"):
        if paras is None:
            raise ValueError(f"unit {unit_name!r} needs the paragraphs table (their text)")
        inc, n_units = sub_unit_incidences(mentions.loc[keep], paras, kind, k)
        ent, ent_names, ent_strings = sorted_codes(inc["entity_id"])
        doc, _, doc_strings = sorted_codes(inc["doc_id"])
        # the unit inside the document: (paragraph, sub)
        parts = [inc["paragraph"].to_numpy(dtype=np.int64), inc["sub"].to_numpy(dtype=np.int64)]
    else:
        # code the whole columns and select the kept rows from the codes: cheaper than
        # gathering the string columns of millions of mentions first (codes of entities or
        # documents seen only in other rows are never used, and sorted codes keep the order)
        rows = keep.to_numpy(dtype=bool)
        ent, ent_names, ent_strings = sorted_codes(mentions["entity_id"])
        doc, _, doc_strings = sorted_codes(mentions["doc_id"])
        ent, doc = ent[rows], doc[rows]
        para = np.asarray(mentions["paragraph"].to_numpy()[rows], dtype=np.int64)
        parts = [para] if kind == "paragraph" else []
        n_units = -1
        if paras is not None:
            unit_cols = ["doc_id", "paragraph"] if kind == "paragraph" else ["doc_id"]
            n_units = len(paras[unit_cols].drop_duplicates())
    if len(ent) == 0:
        return Cooccurrence(tables.empty("edges"), tables.empty("evidence"), unit_name,
                            max(int(n_units), 0))
    n_ent = len(ent_names)
    if kind == "document":
        # the document unit has one row per (document, entity, paragraph): pandas merges
        unit_code, unit_keys = pd.factorize(doc, sort=True)
        if n_units < 0:
            n_units = len(unit_keys)
        codes = pd.DataFrame({"u": unit_code.astype(np.int64), "e": ent, "d": doc, "p": para,
                              }).drop_duplicates(["u", "e", "p"])
        per_unit = codes.drop_duplicates(["u", "e"])
        p_x = np.bincount(per_unit["e"].to_numpy(), minlength=n_ent)
    else:
        inc_unit, inc_ent, unit_doc, unit_para = _distinct_incidences(doc, parts, ent, n_ent)
        if n_units < 0:
            n_units = len(unit_doc)
        p_x = np.bincount(inc_ent, minlength=n_ent)
    seen = np.flatnonzero(p_x)
    unit_counts = pd.Series(p_x[seen], dtype="int64",
                            index=pd.Index(ent_names[seen], name="entity_id"))
    if kind == "document":
        edges, ev = _count_document_pairs(codes, per_unit, p_x, n_units)
    else:
        edges, ev = _count_unit_pairs(inc_unit, inc_ent, unit_doc, unit_para, n_ent, p_x,
                                      n_units, dedupe=kind != "paragraph", mapper=mapper,
                                      blocks=blocks)
        inc_unit = inc_ent = unit_doc = unit_para = None
    # the per-mention codes are no longer needed: freed before the tables are built
    ent = doc = parts = para = inc = codes = per_unit = None
    if edges is None:
        return Cooccurrence(tables.empty("edges"), tables.empty("evidence"), unit_name,
                            int(n_units), unit_counts)
    return Cooccurrence(*_code_tables(edges, ev, ent_strings, doc_strings), unit_name,
                        int(n_units), unit_counts)


def _code_tables(edges: dict, ev: dict, ent_strings, doc_strings,
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``edges`` and ``evidence`` tables from their code columns (``edges``: ``a, b``
    and the counts; ``ev``: ``e_a, e_b, d, p``). Each code column is taken out of its dict
    as it is converted, so at most one of them lives twice: at Cablegate scale the evidence
    columns are 30 M rows, 240 MB each as int64 codes."""
    # columns as they are (copy=False): a dict of arrays would otherwise be copied into
    # one consolidated block
    out = pd.DataFrame({"source": take_strings(ent_strings, edges.pop("a")),
                        "target": take_strings(ent_strings, edges.pop("b"))})
    for c in tables.SCHEMAS["edges"]:
        if c not in ("source", "target"):
            out[c] = edges.pop(c)
    # dictionary-coded: the codes are ranks among the sorted names already, so the
    # categories are the sorted names (tens of millions of rows, no string per row)
    evidence = pd.DataFrame({"source": tables.category_from_codes(ev.pop("e_a"),
                                                                  ent_strings)}, copy=False)
    evidence["target"] = tables.category_from_codes(ev.pop("e_b"), ent_strings)
    evidence["doc_id"] = tables.category_from_codes(ev.pop("d"), doc_strings)
    evidence["paragraph"] = ev.pop("p")
    return tables.conform("edges", out), tables.conform("evidence", evidence)


def _distinct_incidences(doc: np.ndarray, parts: list[np.ndarray], ent: np.ndarray,
                         n_ent: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct ``(unit, entity)`` incidences sorted by unit then entity, from the document
    code, the unit's position inside the document (``parts``: paragraph, then sub-unit) and
    the entity code of every row.

    Returns dense unit codes (in ``(doc, paragraph, sub)`` order) and entity codes of the
    incidences, and the document code and paragraph of every unit. Everything is packed into
    one int64 key per row and deduplicated with a single sort instead of a
    hash factorize of the unit plus a ``drop_duplicates`` of a DataFrame (not ``np.unique``:
    numpy 2.4 hashes integers before sorting, some 50 times slower than a sort here).
    """
    # one int64 per unit: the doc code, then each part as an offset into its range (mixed
    # radix), so sorting keys sorts units by (doc, paragraph, sub)
    spans = [(int(v.min()), int(v.max()) - int(v.min()) + 1) for v in parts]
    n_keys = int(doc.max()) + 1
    for _, span in spans:
        n_keys *= span
    if n_keys * n_ent < 2 ** 62:
        key = doc.astype(np.int64)
        for values, (lo, span) in zip(parts, spans, strict=True):
            key = key * span + (values - lo)
        key_doc = key_para = None
    else:                                   # too many for one int64: dense unit codes first
        order = np.lexsort((*parts[::-1], doc))
        cols = [doc[order], *(v[order] for v in parts)]
        new_key = np.ones(len(order), dtype=bool)
        new_key[1:] = np.any([c[1:] != c[:-1] for c in cols], axis=0)
        key = np.empty(len(order), np.int64)
        key[order] = np.cumsum(new_key) - 1
        key_doc, key_para = cols[0][new_key], cols[1][new_key]
    packed = key * np.int64(n_ent) + ent
    packed.sort()
    first = np.ones(len(packed), dtype=bool)
    first[1:] = packed[1:] != packed[:-1]
    unit_key, inc_ent = np.divmod(packed[first], np.int64(n_ent))
    new_unit = np.ones(len(unit_key), dtype=bool)
    new_unit[1:] = unit_key[1:] != unit_key[:-1]
    inc_unit = np.cumsum(new_unit) - 1
    unit_key = unit_key[new_unit]
    if key_doc is not None:
        return inc_unit, inc_ent, key_doc[unit_key], key_para[unit_key]
    # decode the units' document and paragraph from their keys: drop the sub-unit digit,
    # then split off the paragraph digit
    for _, span in spans[:0:-1]:
        unit_key = unit_key // span
    lo, span = spans[0]
    unit_doc, unit_para = np.divmod(unit_key, span)
    return inc_unit, inc_ent, unit_doc, unit_para + lo


def _count_unit_pairs(unit: np.ndarray, ent: np.ndarray, unit_doc: np.ndarray,
                      unit_para: np.ndarray, n_entities: int, p_x: np.ndarray, n_units: int,
                      dedupe: bool, mapper: Mapper | None = None, blocks: int = 1,
                      ) -> tuple[dict | None, dict]:
    """Edge and evidence columns (entity/document codes) for units that lie inside one
    paragraph (paragraph, sentence, window), from distinct incidences sorted by
    ``(unit, entity)``, counted on packed integer keys
    (:func:`graphbuild.count.pairs.count_sorted_pairs`: one sort, no Python loop per pair).
    ``dedupe``: several units per paragraph (sentences, windows), so evidence rows repeat.
    With ``mapper``, blocks of whole documents are counted by its workers
    (:func:`~graphbuild.count.pairs.count_block`) and merged."""
    pc = _counted(unit, ent, unit_doc, n_entities, mapper, blocks)
    if len(pc.a) == 0:
        return None, {}
    edges = {"a": pc.a, "b": pc.b, "weight": pc.weight, "documents": pc.documents,
             **association(pc.weight, p_x[pc.a], p_x[pc.b], n_units)}
    p = unit_para[pc.ev_unit]
    # the document of each evidence unit in the unit array's own buffer (no longer needed)
    d = np.take(unit_doc, pc.ev_unit, out=pc.ev_unit, mode="clip")
    pc.ev_unit = None
    ev = {"e_a": pc.ev_a, "e_b": pc.ev_b, "d": d, "p": p}
    if dedupe:
        # evidence is sorted by (a, b, unit) and units by (doc, paragraph, sub): the
        # sentences or windows of one paragraph are adjacent, so a paragraph repeats only
        # next to itself
        keep = np.ones(len(d), dtype=bool)
        keep[1:] = ((pc.ev_a[1:] != pc.ev_a[:-1]) | (pc.ev_b[1:] != pc.ev_b[:-1])
                    | (d[1:] != d[:-1]) | (p[1:] != p[:-1]))
        ev = {c: v[keep] for c, v in ev.items()}
    return edges, ev


def _counted(unit: np.ndarray, ent: np.ndarray, unit_doc: np.ndarray, n_entities: int,
             mapper: Mapper | None, blocks: int):
    """The pair counts of the incidences, in one block here or in ``blocks`` blocks on
    ``mapper``'s workers (the same arrays either way)."""
    parts = split_blocks(unit, unit_doc, blocks) if mapper is not None else []
    if len(parts) <= 1:
        return count_sorted_pairs(unit, ent, unit_doc, n_entities)
    tasks = [(unit[a:b] - u0, ent[a:b], unit_doc[u0:u1], n_entities, u0)
             for a, b, u0, u1 in parts]
    return merge_counts(list(mapper(count_block, tasks)), n_entities)


def _count_document_pairs(codes: pd.DataFrame, per_unit: pd.DataFrame, p_x: np.ndarray,
                          n_units: int) -> tuple[dict | None, dict]:
    """Edge and evidence columns (codes) for the document unit: a self-merge of the incidences on
    the unit; the evidence is every paragraph of the document that mentions one of the two."""
    pairs = per_unit.merge(per_unit[["u", "e"]], on="u", suffixes=("_a", "_b"))
    pairs = pairs[pairs["e_a"] < pairs["e_b"]]
    if pairs.empty:
        return None, {}
    weight = pairs.groupby(["e_a", "e_b"], sort=True).size()
    documents = pairs.drop_duplicates(["e_a", "e_b", "d"]).groupby(
        ["e_a", "e_b"], sort=True).size()
    a = weight.index.get_level_values(0).to_numpy()
    b = weight.index.get_level_values(1).to_numpy()
    edges = {"a": a, "b": b, "weight": weight.to_numpy(), "documents": documents.to_numpy(),
             **association(weight.to_numpy(), p_x[a], p_x[b], n_units)}
    where = codes[["u", "e", "p"]]
    ev = pd.concat([
        pairs[["u", "e_a", "e_b", "d"]].merge(where, left_on=["u", side], right_on=["u", "e"])
        for side in ("e_a", "e_b")])
    ev = ev[["e_a", "e_b", "d", "p"]].drop_duplicates().sort_values(
        ["e_a", "e_b", "d", "p"], kind="stable")
    return edges, {c: ev[c].to_numpy() for c in ("e_a", "e_b", "d", "p")}


def association(w, p_a, p_b, n_units: int) -> dict[str, np.ndarray]:
    """``npmi``, ``jaccard`` and ``dice`` from co-occurrence ``w``, unit counts and ``N``.

    >>> {k: round(float(v[0]), 4) for k, v in association([2], [3], [4], 10).items()}
    {'npmi': 0.3174, 'jaccard': 0.4, 'dice': 0.5714}
    """
    counts = np.asarray(w)
    # fresh float copies: the arithmetic below works in place (temporaries of millions of
    # edges cost more in page faults than in arithmetic), and must not touch the inputs
    w = counts.astype("float64")
    p_a = np.array(p_a, dtype="float64")
    p_b = np.array(p_b, dtype="float64")
    n = float(max(n_units, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_ab = w / n
        npmi = w * n
        p_sum = p_a * p_b                             # p_a·p_b first, p_a + p_b below
        np.log(np.divide(npmi, p_sum, out=npmi), out=npmi)              # pmi
        if (counts.dtype.kind in "iu" and len(counts)
                and counts.min() >= 0 and counts.max() <= len(counts)):
            # integer weights take few values: -log(w / N) from a table of them, the same
            # float operations on the same values, at a fraction of the logarithms
            neg_log = -np.log(np.arange(int(counts.max()) + 1, dtype="float64") / n)[counts]
        else:
            neg_log = -np.log(p_ab)
        np.divide(npmi, neg_log, out=npmi)
        npmi[p_ab >= 1.0] = 1.0
        np.clip(npmi, -1.0, 1.0, out=npmi)
        np.add(p_a, p_b, out=p_sum)
        jaccard = np.divide(w, np.subtract(p_sum, w, out=p_a), out=p_a)
        dice = np.divide(np.multiply(w, 2, out=p_b), p_sum, out=p_b)
    return {"npmi": npmi, "jaccard": jaccard, "dice": dice}
