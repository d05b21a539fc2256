"""Write the output files on two cores: a forked child writes one lane of files while this
process writes the other.

The export of a big build is a dozen independent writers over tables that are already in
memory (Parquet, CSV, GraphML/GEXF, the HTML page, the report). Most of them hold the GIL
(pandas, matplotlib, Python loops), so threads would not overlap them; a *forked* child
(:class:`graphbuild.core.fork.Forked`) sees the same tables without copying or pickling
them (copy-on-write: the Arrow and numpy buffers are only read), so the two lanes run side
by side for the cost of a fork. Only the small dict of written paths travels back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from graphbuild.core.fork import Forked

__all__ = ["run_lanes"]

#: a job writes some files and returns {name: path}
Job = Callable[[], dict[str, Path]]


def run_lanes(jobs: dict[str, Job], there: Sequence[str] = (), parallel: bool = True,
              ) -> dict[str, Path]:
    """Run ``jobs`` (name -> job), those named in ``there`` in a forked child and the others
    in this process at the same time (all here when ``parallel`` is false or fork is
    unavailable); return the paths they wrote, merged in the order of ``jobs`` whichever
    lane wrote them. An exception in the child is raised here; a child that dies has its
    jobs run here.

    >>> run_lanes({"a": lambda: {"a.txt": Path("a.txt")}, "b": lambda: {"b.txt": Path("b.txt")}},
    ...           there=["a"])
    {'a.txt': PosixPath('a.txt'), 'b.txt': PosixPath('b.txt')}
    """
    away = {name: job for name, job in jobs.items() if name in there}
    child = Forked(_run_all, away, enabled=parallel and bool(away))
    if not child.forked:                        # one lane: the jobs in their order
        return {file: path for job in jobs.values() for file, path in job().items()}
    done: dict[str, dict[str, Path]] = {}
    try:
        for name, job in jobs.items():
            if name not in away:
                done[name] = job()
    finally:
        done.update(child.result())
    return {file: path for name in jobs for file, path in done[name].items()}


def _run_all(jobs: dict[str, Job]) -> dict[str, dict[str, Path]]:
    return {name: job() for name, job in jobs.items()}
