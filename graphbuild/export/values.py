"""Columns formatted once, vectorised: what the streamed writers (GraphML, GEXF, node-link
JSON, CSV) are built on.

At Cablegate scale (about 250 k entities, 10 M edges) a networkx graph costs gigabytes and
its writers minutes (ElementTree, ``quoteattr`` per value). Here each column of the nodes
and edges tables is classified once (:class:`Values`), formatted by Arrow string kernels
(floats with Python's own ``repr`` on their distinct values only), and the lines of a chunk
of rows are joined by one Arrow call and written straight from the Arrow buffer
(:func:`write_array`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.export.safety import xml_safe

#: rows formatted and written per step (bounds the memory of the line strings)
CHUNK_ROWS = 200_000
#: XML 1.0-illegal characters (as :data:`safety._XML_ILLEGAL`; Arrow strings cannot hold
#: surrogates, which are handled in Python before they reach Arrow)
_XML_ILLEGAL_RE2 = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x{fffe}\\x{ffff}]"


# --- one column, formatted once --------------------------------------------------------
@dataclass
class Values:
    """A table column as the networkx view holds it: which rows have a value
    (``present``: not ``None``/NaN), the Python type(s) of those values and their text.

    ``kind`` is ``"int"``, ``"float"``, ``"bool"``, ``"str"`` or ``"object"`` (mixed
    Python values, kept as a list in ``items``).

    >>> v = Values.of(pd.Series([1.5, float("nan"), 2.0]))
    >>> v.kind, v.present.tolist(), v.text().to_pylist()
    ('float', [True, False, True], ['1.5', None, '2.0'])
    """

    kind: str
    present: np.ndarray
    data: np.ndarray | pa.Array | None = None
    items: list | None = None
    #: text of float chunks, shared by the writers (``repr`` of 10 M floats is the most
    #: expensive step; GraphML, GEXF and JSON write the same text)
    _chunk_texts: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, column: pd.Series) -> Values:
        """Classify ``column`` by dtype (object columns value by value)."""
        dtype = column.dtype
        if pd.api.types.is_bool_dtype(dtype) and not column.isna().any():
            return cls("bool", np.ones(len(column), bool), column.to_numpy(bool))
        if pd.api.types.is_integer_dtype(dtype):
            present = column.notna().to_numpy(bool)
            return cls("int", present, column.to_numpy("float64", na_value=0).astype("int64")
                       if not present.all() else column.to_numpy("int64"))
        if pd.api.types.is_float_dtype(dtype):
            data = column.to_numpy("float64", na_value=np.nan)
            return cls("float", ~np.isnan(data), data)
        if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
            present = column.notna().to_numpy(bool)
            return cls("str", present, _arrow_strings(column.where(column.notna(), None)))
        items = [None if _missing(v) else (v.item() if hasattr(v, "item") else v)
                 for v in column.astype(object).tolist()]
        present = np.array([v is not None for v in items], bool)
        kinds = {type(v) for v in items if v is not None}
        if kinds == {str}:
            return cls("str", present, _arrow_strings(items))
        return cls("object", present, None, items)

    def types(self) -> set[type]:
        """Python types of the present values."""
        if self.kind == "object":
            return {type(v) for v in self.items if v is not None}
        if not self.present.any():
            return set()
        return {{"int": int, "float": float, "bool": bool, "str": str}[self.kind]}

    def text(self, fmt: Callable[[object], str] | None = None, *, floats=repr,
             bools=("False", "True")) -> pa.Array:
        """Text of every present value (null where missing): ints as ``str``, floats as
        ``floats`` (Python ``repr`` by default), bools as ``bools``, strings unchanged;
        ``fmt`` formats each value of an ``object`` column."""
        if self.kind == "object":
            fmt = fmt or str
            return pa.array([None if v is None else fmt(v) for v in self.items], pa.string())
        if self.kind == "str":
            return self.data
        mask = pa.array(~self.present)
        if self.kind == "int":
            return pc.if_else(mask, None, pc.cast(pa.array(self.data), pa.string()))
        if self.kind == "bool":
            return pc.if_else(mask, None, pc.if_else(pa.array(self.data), bools[1], bools[0]))
        return pc.if_else(mask, None, float_text(self.data, floats))

    def as_float(self) -> Values:
        """The column with ints turned into floats (GraphML's double attributes)."""
        if self.kind == "int":
            return Values("float", self.present,
                          np.where(self.present, self.data.astype("float64"), np.nan))
        if self.kind == "object":
            items = [float(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
                     else v for v in self.items]
            return Values("object", self.present, None, items)
        return self

    def chunk_text(self, rows: slice, bools: tuple[str, str] = ("False", "True")) -> pa.Array:
        """:meth:`text` of the values of ``rows``, computed once per chunk for floats."""
        if self.kind != "float":
            return self.slice(rows).text(bools=bools)
        key = (rows.start, rows.stop)
        if key not in self._chunk_texts:
            self._chunk_texts[key] = self.slice(rows).text()
        return self._chunk_texts[key]

    def slice(self, rows: slice) -> Values:
        """The values of ``rows`` (views, no copy): chunks are formatted one at a time, so
        the text of 10 M edges never sits in memory at once."""
        if self.kind == "object":
            return Values("object", self.present[rows], None, self.items[rows])
        return Values(self.kind, self.present[rows], self.data[rows.start:rows.stop]
                      if isinstance(self.data, pa.Array) else self.data[rows])

    def take(self, index: np.ndarray) -> Values:
        """The values of rows ``index`` (in that order)."""
        if self.kind == "object":
            return Values("object", self.present[index], None,
                          [self.items[i] for i in index.tolist()])
        data = self.data.take(pa.array(index)) if isinstance(self.data, pa.Array) \
            else self.data[index]
        return Values(self.kind, self.present[index], data)


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _arrow_strings(values) -> pa.Array:
    """Python strings as an Arrow array; lone surrogates (undecodable file names), which
    Arrow's UTF-8 cannot hold, become U+FFFD as :func:`xml_safe` makes them."""
    try:
        return pa.array(values, pa.string(), from_pandas=True)
    except (UnicodeEncodeError, pa.ArrowException):
        return pa.array([None if _missing(v) else xml_safe(v) for v in list(values)],
                        pa.string())


def float_text(values: np.ndarray, fmt: Callable[[float], str] = repr) -> pa.Array:
    """``fmt`` (Python's ``repr``: the shortest round-trip text, as ``str(float)``) of
    every float, calling it once per distinct value (edge weights repeat a lot).

    >>> float_text(np.array([1.0, 0.1, 1.0, 1e-05])).to_pylist()
    ['1.0', '0.1', '1.0', '1e-05']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    texts = pa.array([fmt(v) for v in np.asarray(uniques, "float64").tolist()], pa.string())
    return texts.take(pa.array(codes))


# --- escaping, vectorised ---------------------------------------------------------------
def _replace(arr: pa.Array, pairs: Sequence[tuple[str, str]]) -> pa.Array:
    for old, new in pairs:
        arr = pc.replace_substring(arr, old, new)
    return arr


def xml_clean(arr: pa.Array) -> pa.Array:
    """:func:`xml_safe` on an Arrow string array (XML-illegal characters -> U+FFFD).

    >>> xml_clean(pa.array(["a\\x0cb", "ok"])).to_pylist()
    ['a\\ufffdb', 'ok']
    """
    return pc.replace_substring_regex(arr, _XML_ILLEGAL_RE2, "\ufffd")


def et_text(arr: pa.Array) -> pa.Array:
    """ElementTree's character-data escaping (``&``, ``<``, ``>``).

    >>> et_text(pa.array(["a<b&c"])).to_pylist()
    ['a&lt;b&amp;c']
    """
    return _replace(arr, (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")))


def et_attr(arr: pa.Array) -> pa.Array:
    """ElementTree's attribute escaping (``& < > "``, CR, LF and tab as references).

    >>> et_attr(pa.array(['a"b\\tc'])).to_pylist()
    ['a&quot;b&#09;c']
    """
    return _replace(arr, (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                          ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")))


def quote_attr(arr: pa.Array) -> pa.Array:
    """:func:`xml.sax.saxutils.quoteattr` of every string: escaped and quoted, with
    ``'...'`` when the value holds ``"`` but no ``'``.

    >>> quote_attr(pa.array(['a', 'say "x"', 'it\\'s "x"'])).to_pylist()
    ['"a"', '\\'say "x"\\'', '"it\\'s &quot;x&quot;"']
    """
    arr = _replace(arr, (("&", "&amp;"), (">", "&gt;"), ("<", "&lt;"), ("\n", "&#10;"),
                         ("\r", "&#13;"), ("\t", "&#9;")))
    dq = pc.match_substring(arr, '"')
    sq = pc.match_substring(arr, "'")
    plain = pc.binary_join_element_wise('"', arr, '"', "")
    single = pc.binary_join_element_wise("'", arr, "'", "")
    both = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', "&quot;"), '"', "")
    return pc.if_else(dq, pc.if_else(sq, both, single), plain)


def json_strings(arr: pa.Array) -> pa.Array:
    """``json.dumps(s, ensure_ascii=False)`` of every string (null stays null).

    >>> json_strings(pa.array(['a"b\\n', None])).to_pylist()
    ['"a\\\\"b\\\\n"', None]
    """
    return utf8_strings([None if s is None else json.dumps(s, ensure_ascii=False)
                         for s in arr.to_pylist()])


def utf8_strings(values: list) -> pa.Array:
    """Python strings as Arrow; a lone surrogate becomes ``?`` (what writing the text with
    ``errors="replace"``, as :func:`graphbuild.core.files.atomic_write` does, makes of it)."""
    try:
        return pa.array(values, pa.string())
    except (UnicodeEncodeError, pa.ArrowException):
        return pa.array([None if v is None else v.encode("utf-8", "replace").decode("utf-8")
                         for v in values], pa.string())


def join(*pieces) -> pa.Array:
    """Concatenate arrays (and scalar strings) element-wise."""
    return pc.binary_join_element_wise(*pieces, "")


def piece(text: pa.Array, before: str, after: str) -> pa.Array:
    """``before + text + after`` where ``text`` is present, ``""`` where it is null."""
    return pc.fill_null(join(before, text, after), "")


def write_array(fh: IO[bytes], arr: pa.Array) -> None:
    """Write the UTF-8 bytes of every string of ``arr`` back to back, straight from the
    Arrow buffer (no Python string per row). Nulls count as empty strings."""
    if isinstance(arr, pa.ChunkedArray):
        for chunk in arr.chunks:
            write_array(fh, chunk)
        return
    if len(arr) == 0:
        return
    if arr.null_count:
        arr = pc.fill_null(arr, "")
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset:arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    if data is not None and offsets[-1] > offsets[0]:
        fh.write(memoryview(data)[int(offsets[0]):int(offsets[-1])])


def chunks(n: int, size: int = CHUNK_ROWS) -> Iterator[slice]:
    """Slices covering ``range(n)`` in steps of ``size``."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))
