"""Engines: where the read/extract and count stages run (this process, all cores of this
machine, a Dask cluster) without changing what they compute. See ``docs/scale.md``.

An :class:`Engine` offers ``map(fn, items)`` (results in item order) and parses files with
it (:meth:`Engine.parse`); the count stage hands it blocks of documents when it is
distributed (:attr:`Engine.blocks`). Every engine gives the same tables (tested).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.core.fork import cpu_count, fork_map
from graphbuild.engines.local import EngineStats, parse_files
from graphbuild.extract import CorpusTables

ENGINES = ("local", "dask")

__all__ = ["ENGINES", "Engine", "EngineStats", "open_engine"]


class Engine:
    """An engine session: ``map`` over its workers and the corpus parse built on it.

    ``name`` is ``local`` (``workers`` forked processes; 1: this process) or ``dask`` (a
    ``distributed`` client). Use :func:`open_engine`, which closes a Dask client when done.
    """

    def __init__(self, name: str, workers: int, client=None) -> None:
        self.name = name
        self.workers = workers
        self.client = client

    @property
    def distributed(self) -> bool:
        """Whether the count stage should hand its blocks to the workers (Dask)."""
        return self.client is not None

    @property
    def blocks(self) -> int:
        """Document blocks the count stage cuts the corpus into on this engine."""
        return 2 * max(self.workers, 1) if self.distributed else 1

    def map(self, fn: Callable, items: list) -> Iterator:
        """``fn`` over ``items`` on the workers, results in order."""
        if self.client is not None:
            from graphbuild.engines.dask import dask_mapper

            return dask_mapper(self.client)(fn, items)
        return fork_map(fn, items, self.workers)

    def parse(self, inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
              fmt: str | None = None, build_dir: str | os.PathLike[str] | None = None,
              stats: EngineStats | None = None, progress: Callable[[int], None] | None = None,
              keep_text: bool = False) -> CorpusTables:
        """Read, segment and extract every input file on this engine's workers."""
        if stats is not None:
            stats.workers = self.workers
        return parse_files(inputs, diagnostics, fmt, self.map, build_dir, stats=stats,
                           progress=progress, keep_text=keep_text)


@contextlib.contextmanager
def open_engine(name: str = "local", workers: int | None = None,
                scheduler: str | None = None) -> Iterator[Engine]:
    """An :class:`Engine` for the session.

    ``local`` runs on ``workers`` processes (default: every core this process may use);
    ``dask`` connects to ``scheduler`` or starts a ``LocalCluster`` of ``workers`` (default
    2) processes.

    Raises :class:`~graphbuild.core.diagnostics.InputError` for an unknown engine, a
    missing ``dask`` extra or an unreachable scheduler.
    """
    if name not in ENGINES:
        raise InputError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    if name == "local":
        yield Engine("local", workers or cpu_count())
        return
    try:
        from graphbuild.engines.dask import dask_client
    except ImportError as exc:       # dask is an optional extra
        raise InputError("--engine dask needs dask and distributed: pip install "
                         "'graphbuild[dask]'") from exc
    try:
        ctx = dask_client(scheduler, workers)
        client = ctx.__enter__()
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        n = len(client.scheduler_info().get("workers", {})) or workers or 2
        yield Engine("dask", n, client)
    finally:
        ctx.__exit__(None, None, None)
