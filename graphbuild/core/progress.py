"""How the stages tell a progress display what they are doing, without depending on one.

A stage takes ``progress``, a callable that is called with the amount of work just done
(files read, documents recognised). A display that wants more may also have
``start(total, **details)`` — called once when a counted step begins, with how much work
is coming (``unit="files"`` or ``unit="documents", words=N``) — and ``stage(name)``, called
when an uncounted stage begins. A plain function, as a notebook passes, only counts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["announce", "stage"]


def announce(progress: Any, total: int, **details: Any) -> None:
    """Tell ``progress`` that ``total`` units of work are coming (when it has ``start``).

    >>> class Show:
    ...     def __call__(self, n): pass
    ...     def start(self, total, **details): print(total, details)
    >>> announce(Show(), 330, unit="files")
    330 {'unit': 'files'}
    >>> announce(lambda n: None, 330)      # a plain callable: nothing to tell
    """
    start = getattr(progress, "start", None)
    if callable(start):
        start(total, **details)


def stage(progress: Any, name: str) -> None:
    """Tell ``progress`` that the stage ``name`` begins (when it has ``stage``).

    >>> class Show:
    ...     def stage(self, name): print("now:", name)
    >>> stage(Show(), "resolving entities")
    now: resolving entities
    >>> stage(None, "counting")
    """
    hook = getattr(progress, "stage", None)
    if callable(hook):
        hook(name)
