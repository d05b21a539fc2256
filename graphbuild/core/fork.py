"""Work on other cores through ``fork``: one helper for every stage that uses them.

A forked child sees the parent's memory (tables, a loaded spaCy model, an igraph graph)
copy-on-write, without pickling it: only the items handed out and the results that come
back travel through pipes. That is why graphbuild forks rather than spawning workers that
would re-import pandas and re-load models.

* :func:`fork_map` runs ``fn`` over items on a pool of forked workers, results in order
  (parsing batches of files, NER blocks, counting blocks);
* :class:`Forked` runs one call in a forked child while the parent goes on (communities
  beside the centralities, one lane of output files beside the other).

Both fall back to running in this process where ``fork`` does not exist (not on Linux or
macOS), on one core, or (``Forked``) when the child dies; an exception raised in a child is
re-raised in the parent, so errors look the same either way.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["fork_map", "Forked", "can_fork", "cpu_count"]

#: what forked children run, by token: set before the fork, so the child has it already
_SHARED: dict[int, Any] = {}
_TOKENS = itertools.count()


def _context():
    import multiprocessing as mp

    try:
        return mp.get_context("fork")
    except ValueError:                      # no fork on this platform
        return None


def can_fork() -> bool:
    """Whether this platform can fork worker processes."""
    return _context() is not None


def cpu_count() -> int:
    """The cores this process may use (its CPU affinity where the system says so).

    >>> cpu_count() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                  # not on Linux
        return max(1, os.cpu_count() or 1)


def fork_map(fn: Callable[[Any], Any], items: Sequence[Any], processes: int,
             ) -> Iterator[Any]:
    """``map(fn, items)`` on ``processes`` forked workers, results in item order, streamed.

    Parameters
    ----------
    fn : callable
        Any callable, a closure or a bound method too: the workers inherit it through
        ``fork``; it is never pickled. Items and results are.
    items : sequence
        What to hand out, one call each.
    processes : int
        Workers to fork (at most one per item); 1 or less runs in this process.

    Returns
    -------
    iterator
        ``fn(item)`` for each item, in order.

    Examples
    --------
    >>> list(fork_map(lambda x: x * x, [1, 2, 3], 2))
    [1, 4, 9]
    """
    ctx = _context()
    if processes <= 1 or len(items) <= 1 or ctx is None:
        yield from map(fn, items)
        return
    token = next(_TOKENS)
    _SHARED[token] = fn
    try:
        with ctx.Pool(min(processes, len(items))) as pool:
            yield from pool.imap(_call_shared, [(token, item) for item in items])
    finally:
        _SHARED.pop(token, None)


def _call_shared(args: tuple[int, Any]) -> Any:
    token, item = args
    return _SHARED[token](item)


class Forked:
    """``fn(*args)`` computed in a forked child while this process goes on.

    :meth:`result` waits for the child and returns the value (pickled back), re-raises the
    exception it raised, or computes ``fn(*args)`` here when the child could not be forked
    or died (killed for memory, say), so the result never depends on where it was computed.

    Examples
    --------
    >>> Forked(sum, [1, 2, 3]).result()
    6
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, enabled: bool = True) -> None:
        self.fn, self.args = fn, args
        self.process = None
        ctx = _context() if enabled and cpu_count() > 1 else None
        if ctx is None:
            return
        token = next(_TOKENS)
        _SHARED[token] = (fn, args)
        self.receiver, sender = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_child, args=(token, sender), daemon=True)
        self.process.start()
        sender.close()
        _SHARED.pop(token, None)             # the child has its own copy

    @property
    def forked(self) -> bool:
        """Whether a child is computing the result."""
        return self.process is not None

    def result(self) -> Any:
        if self.process is None:
            return self.fn(*self.args)
        try:
            kind, value = self.receiver.recv()
        except EOFError:                     # the child died: compute here
            kind, value = "died", None
        self.process.join()
        self.receiver.close()
        self.process = None
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        return self.fn(*self.args)


def _child(token: int, sender) -> None:
    fn, args = _SHARED[token]
    try:
        sender.send(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - re-raised by the parent
        try:
            sender.send(("error", exc))
        except Exception:                    # an exception that does not pickle
            sender.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sender.close()
