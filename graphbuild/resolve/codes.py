"""Integer codes for the resolve stage: every rule runs once per distinct value, mentions carry
codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

AUDIT_COLUMNS = ["surface", "type", "entity_id", "label", "rule", "mentions", "note"]
AMBIGUOUS_COLUMNS = ["kind", "name", "type", "doc_id", "candidates", "mentions"]
DEFINITION_COLUMNS = ["doc_id", "short", "long", "how"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "mentions" else "string")
                         for c in columns})




# --- codes ----------------------------------------------------------------------------------

def _factorize(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct values (as ``str``, the way the rules read them).

    >>> _factorize(pd.Series(["b", "a", "b"]))
    (array([0, 1, 0]), ['b', 'a'])
    """
    if isinstance(values.dtype, pd.StringDtype) and not values.hasnans:
        # already text: hashed as it is (astype(str) would copy millions of strings first)
        codes, uniques = pd.factorize(values)
    else:
        codes, uniques = pd.factorize(values.astype(str))
    return codes.astype(np.int64), [str(u) for u in uniques]


def _index_of(values: list[str], value: str) -> int:
    return values.index(value) if value in values else -2


class _Interner:
    """Distinct strings numbered in the order they are first seen.

    >>> k = _Interner(["a"]); [k.add("b"), k.add("a"), k.add("b")], k.values
    ([1, 0, 1], ['a', 'b'])
    """

    def __init__(self, values: list[str] | None = None) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}
        for v in values or ():
            self.add(v)

    def add(self, value: str) -> int:
        code = self._index.get(value)
        if code is None:
            code = self._index[value] = len(self.values)
            self.values.append(value)
        return code


def _strings(values: list[str], codes: np.ndarray) -> pd.Series:
    """``values[codes]`` as a ``string`` column (code -1 -> <NA>), gathered by Arrow from the
    distinct values instead of converting one Python string per mention.

    >>> _strings(["x", "y", "x"], np.array([2, -1, 1])).tolist()
    ['x', <NA>, 'y']
    """
    # 32-bit offsets (half the offset memory of large_string for millions of rows)
    # unless the column's text could pass 2 GiB
    sizes = np.array([len(v.encode("utf-8")) for v in values] or [0], dtype=np.int64)
    fits = len(values) == 0 or int(sizes.max()) * len(codes) < 2**31 - 1 or \
        int(sizes[codes[codes >= 0]].sum()) < 2**31 - 1
    taken = pc.take(pa.array(values, type=pa.string() if fits else pa.large_string()),
                    pa.array(codes, type=pa.int64(), mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken))


def _first_last(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last position of each code 0..n-1 in ``codes``.

    >>> _first_last(np.array([1, 0, 1]), 2)
    (array([1, 0]), array([1, 2]))
    """
    pos = np.arange(len(codes))
    first = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, pos)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, codes, pos)
    return first, last
