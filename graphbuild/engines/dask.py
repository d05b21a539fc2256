"""Dask engine: the same read/extract/count work as the local engine, as Dask tasks.

``--engine dask`` starts a :class:`distributed.LocalCluster` (``--workers`` processes, one
thread each) or connects to a running scheduler (``--scheduler tcp://host:8786``). Files are
parsed by :func:`graphbuild.engines.local.parse_batch` on the workers, a batch per task, and
the results come back in input order, so the tables equal the local engine's. Counting
splits the unit incidences into blocks of whole documents; every block counts its pairs with
the global entity codes and the parent adds the blocks up (paragraphs and documents never
span blocks, so sums are exact).

Workers must see the input files at the same paths (a shared file system) and have
graphbuild installed; see ``docs/scale.md``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from graphbuild.count.cooccur import Cooccurrence
from graphbuild.count.pairs import PairCounts, count_pairs, encode_incidences, tables_from_counts
from graphbuild.engines.local import Mapper
from graphbuild.segment import EDGE_SECTIONS


def dask_mapper(client) -> Mapper:
    """``map`` over a Dask client: tasks submitted at once, results yielded in order and
    released as soon as they are read (the cluster does not keep the whole corpus)."""
    def run(fn: Callable, items: list) -> Iterator:
        futures = client.map(fn, items, pure=False)
        for i in range(len(futures)):
            yield futures[i].result()
            futures[i] = None          # drop the reference so the cluster frees the result
    return run


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None,
                processes: bool = True):
    """A ``distributed.Client``: connected to ``scheduler`` or to a new LocalCluster."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    with LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=processes,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


def _count_block(args: tuple[np.ndarray, np.ndarray, np.ndarray, int]) -> PairCounts:
    unit, entity, doc, n_entities = args
    return count_pairs(unit, entity, doc, n_entities)


def cooccurrence_dask(client, mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                      blocks: int | None = None) -> Cooccurrence:
    """:func:`graphbuild.cooccur.cooccurrence` with the pair counting done on the cluster.

    Identical tables to the local counter.
    """
    enc = encode_incidences(mentions, sections)
    if enc is None:
        return tables_from_counts(None, None)
    n_blocks = blocks or max(1, len(client.scheduler_info().get("workers", {})) * 2)
    # cut between documents: doc codes ascend with unit codes
    cuts = np.searchsorted(enc.doc_of_unit_sorted, np.linspace(0, enc.n_docs, n_blocks + 1)[1:-1])
    order = np.argsort(enc.unit, kind="stable")
    unit, entity, doc = enc.unit[order], enc.entity[order], enc.doc[order]
    unit_cuts = np.searchsorted(unit, cuts)
    parts = np.split(np.arange(len(unit)), unit_cuts)
    tasks = [(unit[p], entity[p], doc[p], enc.n_entities) for p in parts if len(p)]
    results = list(dask_mapper(client)(_count_block, tasks))
    merged = merge_counts(results, enc.n_entities)
    return tables_from_counts(enc, merged)


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
