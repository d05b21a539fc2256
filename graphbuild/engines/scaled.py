"""Run the read/segment/extract stages on an engine (see :mod:`graphbuild.engines`).

:func:`parse_with_engine` returns the same corpus tables as
:func:`graphbuild.corpus.parse_corpus`; :func:`graphbuild.pipeline.build` then resolves,
counts and analyses them like any other corpus.
"""

from __future__ import annotations

import os

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.engines import EngineStats, engine_session
from graphbuild.extract.corpus import CorpusTables


def parse_with_engine(inputs: list, *, engine: str = "local", workers: int | None = None,
                      scheduler: str | None = None,
                      build_dir: str | os.PathLike[str] | None = None,
                      stats: EngineStats | None = None, fmt: str | None = None,
                      diagnostics: Diagnostics | None = None, progress=None) -> CorpusTables:
    """Read, segment and extract on an engine (``local`` or ``dask``): the corpus tables,
    identical to :func:`graphbuild.corpus.parse_corpus` over the serially read documents."""
    diagnostics = diagnostics or Diagnostics()
    stats = stats if stats is not None else EngineStats()
    with engine_session(engine, workers, scheduler) as (parse, _count):
        bar = (lambda n: [progress() for _ in range(n)]) if progress is not None else None
        return parse(inputs, diagnostics, fmt, build_dir, stats, bar)
