"""Give freed memory back to the operating system between pipeline stages.

A stage of a Cablegate-sized build frees gigabytes of temporaries (pair arrays, hash tables,
Python strings). The allocators keep much of it for reuse: glibc's ``malloc`` holds freed
heap pages, Arrow's pool (mimalloc or jemalloc) holds freed segments. Resident memory then
stays at the stage's peak, and the next stage's peak adds to it. :func:`release_memory` asks
both to return what they hold unused; it changes no value, only what the process keeps.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache

__all__ = ["release_memory"]


@lru_cache(maxsize=1)
def _libc_trim():
    """glibc's ``malloc_trim`` (None elsewhere: macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_memory() -> None:
    """Return the allocators' unused memory to the operating system (best effort).

    >>> release_memory()   # no value changes; resident memory may drop
    """
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except (ImportError, AttributeError):
        pass
    trim = _libc_trim()
    if trim is not None:
        trim(0)
