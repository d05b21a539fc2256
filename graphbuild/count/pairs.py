"""Pair counting on integer codes (numpy), the kernel of the count stage.

Every distinct ``(unit, entity)`` incidence is an integer pair; within a unit of ``k``
entities (sorted), incidence ``i`` pairs with the ``k-1-i`` entities after it. Those pairs
are generated with ``np.repeat`` and ``np.arange`` arithmetic (no Python loop), packed into
one ``int64`` key per (pair, unit) and counted with one sort.

Blocks of whole documents count independently (:func:`split_blocks`), on an engine's
workers, and :func:`merge_counts` adds them up exactly: no unit and no document spans two
blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PairCounts", "count_sorted_pairs", "unit_pairs", "split_blocks", "merge_counts",
           "count_block"]


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


def split_blocks(unit: np.ndarray, unit_doc: np.ndarray, blocks: int,
                 ) -> list[tuple[int, int, int, int]]:
    """Cut incidences sorted by unit into at most ``blocks`` runs of whole documents.

    Returns ``(first incidence, end incidence, first unit, end unit)`` per block, so that
    block ``k`` is ``unit[a:b] - u0`` with ``unit_doc[u0:u1]``.

    >>> split_blocks(np.array([0, 0, 1, 2, 2]), np.array([0, 0, 1]), 2)
    [(0, 3, 0, 2), (3, 5, 2, 3)]
    """
    n_units = len(unit_doc)
    if blocks <= 1 or n_units == 0:
        return [(0, len(unit), 0, n_units)]
    n_docs = int(unit_doc[-1]) + 1
    # unit codes follow (doc, paragraph): a document's units are consecutive
    doc_cuts = np.linspace(0, n_docs, blocks + 1)[1:-1].astype(np.int64)
    unit_cuts = np.unique(np.searchsorted(unit_doc, doc_cuts))
    unit_bounds = [0, *[int(u) for u in unit_cuts if 0 < u < n_units], n_units]
    inc_bounds = np.searchsorted(unit, unit_bounds)
    return [(int(inc_bounds[i]), int(inc_bounds[i + 1]), unit_bounds[i], unit_bounds[i + 1])
            for i in range(len(unit_bounds) - 1) if unit_bounds[i + 1] > unit_bounds[i]]


def count_block(task: tuple[np.ndarray, np.ndarray, np.ndarray, int, int]) -> PairCounts:
    """Count one block (``(unit, entity, unit_doc, n_entities, first unit)``, units local to
    the block) and give its evidence units back in the global numbering: what an engine's
    worker runs."""
    unit, entity, unit_doc, n_entities, u0 = task
    pc = count_sorted_pairs(unit, entity, unit_doc, n_entities)
    if pc.ev_unit is not None and u0:
        pc.ev_unit += u0
    return pc


def merge_counts(parts: list[PairCounts], n_entities: int) -> PairCounts:
    """Add up pair counts of disjoint document blocks (weights and documents are sums;
    evidence is re-sorted by ``(a, b, unit)``).

    >>> a = PairCounts(np.array([0]), np.array([1]), np.array([1]), np.array([1]),
    ...                np.array([0]), np.array([1]), np.array([0]))
    >>> b = PairCounts(np.array([0]), np.array([1]), np.array([2]), np.array([1]),
    ...                np.array([0, 0]), np.array([1, 1]), np.array([3, 4]))
    >>> m = merge_counts([a, b], 2)
    >>> m.weight.tolist(), m.documents.tolist(), m.ev_unit.tolist()
    ([3], [2], [0, 3, 4])
    """
    n = np.int64(max(n_entities, 1))
    key = np.concatenate([p.a * n + p.b for p in parts])
    weight = np.concatenate([p.weight for p in parts])
    docs = np.concatenate([p.documents for p in parts])
    ukey, inverse = np.unique(key, return_inverse=True)
    w = np.bincount(inverse, weights=weight, minlength=len(ukey)).astype(np.int64)
    d = np.bincount(inverse, weights=docs, minlength=len(ukey)).astype(np.int64)
    ev_key = np.concatenate([p.ev_a * n + p.ev_b for p in parts])
    ev_unit = np.concatenate([p.ev_unit for p in parts])
    order = np.lexsort((ev_unit, ev_key))
    return PairCounts(ukey // n, ukey % n, w, d, ev_key[order] // n, ev_key[order] % n,
                      ev_unit[order])
