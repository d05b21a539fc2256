"""Fast co-occurrence counting on integer codes (numpy), same tables as
:func:`graphbuild.cooccur.cooccurrence`.

The foundation counts with a pandas self-merge. Here every distinct ``(unit, entity)``
incidence is an integer pair; within a unit of ``k`` entities (sorted), incidence ``i`` pairs
with the ``k-1-i`` entities after it. Those pairs are generated with ``np.repeat`` and
``np.arange`` arithmetic (no Python loop), packed into one ``int64`` key
``a * n_entities + b`` and counted with one sort (``np.unique``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphbuild.core import tables
from graphbuild.count.cooccur import Cooccurrence, association, unit_incidences
from graphbuild.segment import EDGE_SECTIONS


@dataclass
class PairCounts:
    """Edges as code arrays (``a < b``) and, optionally, their evidence incidences."""

    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    documents: np.ndarray
    ev_a: np.ndarray | None = None
    ev_b: np.ndarray | None = None
    ev_unit: np.ndarray | None = None


def unit_pairs(unit: np.ndarray, entity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All within-unit index pairs ``(i, j)``, ``i < j``, of incidences sorted by
    ``(unit, entity)``.

    >>> i, j = unit_pairs(np.array([0, 0, 0, 1]), np.array([1, 2, 3, 1]))
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1), (0, 2), (1, 2)]
    """
    n = len(unit)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    change = np.flatnonzero(np.diff(unit)) + 1
    starts = np.concatenate(([0], change))
    sizes = np.diff(np.concatenate((starts, [n])))
    group_start = np.repeat(starts, sizes)
    group_end = group_start + np.repeat(sizes, sizes)
    idx = np.arange(n, dtype=np.int64)
    partners = group_end - idx - 1              # how many later incidences in the same unit
    total = int(partners.sum())
    i = np.repeat(idx, partners)
    # offset of each pair within its run of partners: 1, 2, ..., partners[i]
    run_start = np.repeat(np.cumsum(partners) - partners, partners)
    j = i + (np.arange(total, dtype=np.int64) - run_start) + 1
    return i, j


def _packed_unit_pairs(unit: np.ndarray, entity: np.ndarray, n: np.int64, n_units: np.int64,
                       ) -> np.ndarray:
    """``(entity[i] * n + entity[j]) * n_units + unit[i]`` for every pair ``(i, j)`` of
    :func:`unit_pairs`, without materialising ``i`` (fewer passes over the pairs array, the
    largest of the count stage).

    >>> _packed_unit_pairs(np.array([0, 0, 0, 1]), np.array([1, 2, 3, 1]), 4, 2).tolist()
    [12, 14, 22]
    """
    n_inc = len(unit)
    if n_inc == 0:
        return np.empty(0, np.int64)
    starts = np.concatenate(([0], np.flatnonzero(unit[1:] != unit[:-1]) + 1))
    ends = np.append(starts[1:], n_inc)
    idx = np.arange(n_inc, dtype=np.int64)
    # how many later incidences in the same unit
    partners = np.repeat(ends, np.diff(np.append(starts, n_inc))) - idx - 1
    first_slot = np.cumsum(partners) - partners      # first pair of each incidence
    # pair t of incidence i pairs it with j = i + 1 + (t - first_slot[i])
    j = np.arange(int(first_slot[-1] + partners[-1]), dtype=np.int64)
    j += np.repeat(idx + 1 - first_slot, partners)
    combined = np.repeat((entity * n) * n_units + unit, partners)
    # entity[j] * n_units computed in j's own buffer: the pairs arrays are the largest of
    # the count stage (tens of millions of rows at Cablegate scale), and each temporary
    # one more of them ('clip' reads every index before its slot is written: unbuffered)
    np.take(entity, j, out=j, mode="clip")
    j *= n_units
    combined += j
    return combined


def count_pairs(unit: np.ndarray, entity: np.ndarray, doc: np.ndarray, n_entities: int,
                evidence: bool = True) -> PairCounts:
    """Count entity pairs over distinct ``(unit, entity)`` incidences given as codes.

    ``unit``/``entity``/``doc`` are equal-length integer arrays; ``doc[k]`` is the document of
    ``unit[k]`` and units of one document have consecutive codes. Returns weights (distinct
    units) and documents (distinct docs) per pair, and the ``(a, b, unit)`` evidence sorted
    by ``(a, b, unit)``.

    >>> pc = count_pairs(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0, 0, 0, 0]), 2)
    >>> pc.a.tolist(), pc.b.tolist(), pc.weight.tolist(), pc.documents.tolist()
    ([0], [1], [2], [1])
    """
    unit = np.asarray(unit, np.int64)
    entity = np.asarray(entity, np.int64)
    doc = np.asarray(doc, np.int64)
    if len(unit) == 0:
        e = np.empty(0, np.int64)
        return PairCounts(e, e, e, e, e, e, e)
    n = np.int64(max(n_entities, 1))
    n_units = int(unit.max()) + 1
    # document of each unit code (units of one document are consecutive codes)
    unit_doc = np.zeros(n_units, np.int64)
    unit_doc[unit] = doc
    # one int64 sort instead of a lexsort: (unit, entity) packed
    if float(n_units) * float(n) < 9e18:
        unit, entity = np.divmod(np.sort(unit * n + entity), n)
    else:                                            # astronomically large: a two-key sort
        order = np.lexsort((entity, unit))
        unit, entity = unit[order], entity[order]
    return count_sorted_pairs(unit, entity, unit_doc, int(n), evidence)


def count_sorted_pairs(unit: np.ndarray, entity: np.ndarray, unit_doc: np.ndarray,
                       n_entities: int, evidence: bool = True) -> PairCounts:
    """:func:`count_pairs` on incidences that are already distinct and sorted by
    ``(unit, entity)``, with ``unit_doc[u]`` the document of unit code ``u`` (codes
    ``0 .. len(unit_doc) - 1``, a document's units consecutive). The caller that has just
    deduplicated the incidences with a sort saves a second sort of them here.

    >>> pc = count_sorted_pairs(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]),
    ...                         np.array([0, 0]), 2)
    >>> pc.a.tolist(), pc.b.tolist(), pc.weight.tolist(), pc.ev_unit.tolist()
    ([0], [1], [2], [0, 1])
    """
    unit = np.asarray(unit, np.int64)
    entity = np.asarray(entity, np.int64)
    unit_doc = np.asarray(unit_doc, np.int64)
    n = np.int64(max(n_entities, 1))
    n_units = np.int64(max(len(unit_doc), 1))
    # pairs sorted by (pair, unit): one sort of a packed int64 key when it fits
    if float(n) * float(n) * float(n_units) < 9e18:
        combined = _packed_unit_pairs(unit, entity, n, n_units)
        combined.sort()
        key, pair_unit = np.divmod(combined, n_units)
        del combined
    else:                                            # astronomically large: two-key sort
        i, j = unit_pairs(unit, entity)
        key = entity[i] * n + entity[j]
        pair_unit = unit[i]
        order = np.lexsort((pair_unit, key))
        key, pair_unit = key[order], pair_unit[order]
    if len(key) == 0:
        e = np.empty(0, np.int64)
        return PairCounts(e, e, e, e, e, e, e) if evidence else PairCounts(e, e, e, e)
    starts = np.flatnonzero(key[1:] != key[:-1]) + 1
    starts = np.concatenate(([0], starts))
    weight = np.diff(np.append(starts, len(key)))
    # pairs are grouped by key and sorted by unit inside; a document's units are
    # consecutive, so a new document starts where (key, doc) changes
    pair_doc = unit_doc[pair_unit]
    new_doc = np.ones(len(key), dtype=bool)
    new_doc[1:] = (key[1:] != key[:-1]) | (pair_doc[1:] != pair_doc[:-1])
    documents = np.add.reduceat(new_doc.astype(np.int64), starts)
    del pair_doc, new_doc
    # the second entity in key's own buffer (one pairs-sized array less at the peak)
    ev_a = np.empty_like(key)
    ev_b = key
    np.divmod(key, n, out=(ev_a, ev_b))
    del key
    out = PairCounts(ev_a[starts], ev_b[starts], weight, documents)
    if evidence:
        out.ev_a, out.ev_b, out.ev_unit = ev_a, ev_b, pair_unit
    return out


@dataclass
class Incidences:
    """Distinct ``(unit, entity)`` incidences as codes, with the names behind the codes.

    Entity codes follow sorted entity ids and unit codes sorted ``(doc_id, paragraph)``, as
    the foundation's sorted ``factorize`` gives, so results come out in the same order.
    """

    unit: np.ndarray
    entity: np.ndarray
    doc: np.ndarray
    entity_names: np.ndarray
    doc_names: np.ndarray
    unit_doc: np.ndarray
    unit_para: np.ndarray

    @property
    def n_entities(self) -> int:
        return len(self.entity_names)

    @property
    def n_docs(self) -> int:
        return len(self.doc_names)

    @property
    def doc_of_unit_sorted(self) -> np.ndarray:
        return self.unit_doc


def encode_incidences(mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                      ) -> Incidences | None:
    """Integer-code the distinct incidences of kept mentions in edge sections (None if none)."""
    inc = unit_incidences(mentions, sections)
    if inc.empty:
        return None
    ent_code, ent_names = pd.factorize(inc["entity_id"], sort=True)
    doc_code, doc_names = pd.factorize(inc["doc_id"], sort=True)
    para = inc["paragraph"].to_numpy(np.int64)
    order = np.lexsort((para, doc_code))
    d_sorted, p_sorted = doc_code[order], para[order]
    new_unit = np.ones(len(order), dtype=bool)
    new_unit[1:] = (d_sorted[1:] != d_sorted[:-1]) | (p_sorted[1:] != p_sorted[:-1])
    unit_code = np.empty(len(order), np.int64)
    unit_code[order] = np.cumsum(new_unit) - 1
    return Incidences(unit_code, ent_code.astype(np.int64), doc_code.astype(np.int64),
                      np.asarray(ent_names, dtype=object), np.asarray(doc_names, dtype=object),
                      d_sorted[new_unit], p_sorted[new_unit])


def tables_from_counts(enc: Incidences | None, pc: PairCounts | None) -> Cooccurrence:
    """The ``edges`` and ``evidence`` tables of counted codes."""
    if enc is None or pc is None or len(pc.a) == 0:
        return Cooccurrence(tables.empty("edges"), tables.empty("evidence"))
    names = enc.entity_names
    edges = pd.DataFrame({"source": names[pc.a], "target": names[pc.b],
                          "weight": pc.weight, "documents": pc.documents})
    # association measures as in graphbuild.cooccur: p_x = units mentioning x, N = units
    # (without a paragraphs table, the units that hold a mention)
    p_x = np.bincount(enc.entity, minlength=len(names))
    edges = edges.assign(**association(edges["weight"].to_numpy(), p_x[pc.a], p_x[pc.b],
                                       len(enc.unit_doc)))
    evidence = pd.DataFrame({"source": names[pc.ev_a], "target": names[pc.ev_b],
                             "doc_id": enc.doc_names[enc.unit_doc[pc.ev_unit]],
                             "paragraph": enc.unit_para[pc.ev_unit]})
    return Cooccurrence(tables.conform("edges", edges), tables.conform("evidence", evidence))


def cooccurrence_fast(mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                      ) -> Cooccurrence:
    """Drop-in replacement for :func:`graphbuild.cooccur.cooccurrence` (identical tables).

    >>> m = pd.DataFrame({"doc_id": ["d", "d", "d", "d"], "paragraph": [1, 1, 1, 2],
    ...                   "entity_id": ["a", "b", "a", "b"], "section": ["body"] * 4,
    ...                   "status": ["kept"] * 4})
    >>> cooccurrence_fast(m).edges.values.tolist()
    [['a', 'b', 1, 1, 0.0, 0.5, 0.6666666666666666]]
    """
    enc = encode_incidences(mentions, sections)
    if enc is None:
        return tables_from_counts(None, None)
    return tables_from_counts(enc, count_pairs(enc.unit, enc.entity, enc.doc, enc.n_entities))
