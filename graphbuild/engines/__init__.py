"""Execution engines: how the read/extract/count stages run (one process, all cores, a
Dask cluster) without changing what they compute. See ``docs/scale.md``.

:func:`run_engine` is what :func:`graphbuild.pipeline.build` calls for ``engine="local"`` or
``engine="dask"``: it parses the inputs and returns the corpus tables plus the counter to
use (the integer-code counter, on the cluster for Dask).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.count.pairs import cooccurrence_fast
from graphbuild.engines.local import EngineStats, parse_files, process_mapper
from graphbuild.extract.corpus import CorpusTables

ENGINES = ("local", "dask")

__all__ = ["ENGINES", "EngineStats", "engine_session", "default_workers"]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:          # not on Linux
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def engine_session(engine: str, workers: int | None = None, scheduler: str | None = None,
                   ) -> Iterator[tuple[Callable, Callable]]:
    """Yield ``(parse, count)`` for ``engine``: ``parse(inputs, diagnostics, fmt, build_dir,
    stats, progress) -> CorpusTables`` and ``count(mentions) -> Cooccurrence``.

    Raises :class:`~graphbuild.diagnostics.InputError` for an unknown engine.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "local":
        mapper = process_mapper(workers or default_workers())
        yield _parser(mapper), cooccurrence_fast
        return
    try:
        from graphbuild.engines.dask import cooccurrence_dask, dask_client, dask_mapper
    except ImportError as exc:       # dask is an optional extra
        raise InputError("--engine dask needs dask and distributed: pip install "
                         "'graphbuild[dask]'") from exc
    try:
        ctx = dask_client(scheduler, workers)
        client = ctx.__enter__()
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from exc
    try:
        yield (_parser(dask_mapper(client)),
               lambda mentions, sections=None: cooccurrence_dask(client, mentions,
                                                                  *([sections] if sections
                                                                    else [])))
    finally:
        ctx.__exit__(None, None, None)


def _parser(mapper) -> Callable:
    def parse(inputs: Iterable, diagnostics: Diagnostics, fmt: str | None = None,
              build_dir=None, stats: EngineStats | None = None, progress=None,
              ) -> CorpusTables:
        return parse_files(inputs, diagnostics, fmt, mapper, build_dir, stats=stats,
                           progress=progress)
    return parse
