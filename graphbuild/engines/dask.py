"""Dask engine: the same read/extract/count work as the local engine, as Dask tasks.

``--engine dask`` starts a :class:`distributed.LocalCluster` (``--workers`` processes, one
thread each) or connects to a running scheduler (``--scheduler tcp://host:8786``). Files are
parsed by :func:`graphbuild.extract.parse_batch` on the workers, a batch per task, and the
results come back in input order, so the tables equal the local engine's. Counting cuts the
unit incidences into blocks of whole documents (:func:`graphbuild.count.pairs.split_blocks`);
every block counts its pairs on a worker (:func:`graphbuild.count.pairs.count_block`) and
the client adds the blocks up (paragraphs and documents never span blocks, so the sums are
exact).

Workers must see the input files at the same paths (a shared file system) and have
graphbuild installed; see ``docs/scale.md``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from graphbuild.count.cooccur import Mapper


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
