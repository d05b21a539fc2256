"""Write the output files on two cores: a forked child writes one lane of files while this
process writes the other.

The export of a big build is a dozen independent writers over tables that are already in
memory (Parquet, CSV, GraphML/GEXF, the HTML page, the report). Most of them hold the GIL
(pandas, matplotlib, Python loops), so threads would not overlap them; a *forked* child
sees the same tables without copying or pickling them (copy-on-write: the Arrow and numpy
buffers are only read), so the two lanes run side by side for the cost of a fork. Only
the small dict of written paths travels back.

Falls back to writing everything in this process where fork is not available (not on
Linux/macOS), on one core, or when the child dies; an exception raised by a writer in
the child is re-raised here, so errors look the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

#: a job writes some files and returns {name: path}
Job = Callable[[], dict[str, Path]]

_SHARED: dict[str, list[tuple[str, Job]]] = {}


def run_lanes(jobs: dict[str, Job], there: Sequence[str] = (), parallel: bool = True,
              ) -> dict[str, Path]:
    """Run ``jobs`` (name -> job), those named in ``there`` in a forked child and the others
    in this process at the same time (all here when ``parallel`` is false or fork is
    unavailable); return the paths they wrote, merged in the order of ``jobs`` whichever
    lane wrote them.

    >>> run_lanes({"a": lambda: {"a.txt": Path("a.txt")}, "b": lambda: {"b.txt": Path("b.txt")}},
    ...           there=["a"])
    {'a.txt': PosixPath('a.txt'), 'b.txt': PosixPath('b.txt')}
    """
    away = [(name, job) for name, job in jobs.items() if name in there]
    child = _start(away) if parallel and away and (os.cpu_count() or 1) > 1 else None
    if child is None:                               # one lane: the jobs in their order
        return {file: path for job in jobs.values() for file, path in job().items()}
    done: dict[str, dict[str, Path]] = {}
    try:
        for name, job in jobs.items():
            if name not in there:
                done[name] = job()
    finally:
        outcome = _finish(child)
    if outcome is None:                             # the child died: its jobs run here
        for name, job in away:
            done[name] = job()
    elif isinstance(outcome, BaseException):
        raise outcome
    else:
        done.update(outcome)
    return {file: path for name in jobs for file, path in done[name].items()}


def _start(jobs: list[tuple[str, Job]]):
    import multiprocessing as mp

    try:
        ctx = mp.get_context("fork")
    except ValueError:                               # no fork on this platform
        return None
    _SHARED["jobs"] = jobs
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender,), daemon=True)
    process.start()
    sender.close()
    _SHARED.pop("jobs", None)                        # the child has its own copy
    return process, receiver


def _finish(child) -> dict[str, dict[str, Path]] | BaseException | None:
    process, receiver = child
    try:
        outcome = receiver.recv()
    except EOFError:                                 # killed (e.g. out of memory)
        outcome = None
    process.join()
    receiver.close()
    return outcome


def _child(sender) -> None:
    try:
        sender.send({name: job() for name, job in _SHARED["jobs"]})
    except BaseException as exc:  # noqa: BLE001 - re-raised by the parent
        try:
            sender.send(exc)
        except Exception:                            # an exception that does not pickle
            sender.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
