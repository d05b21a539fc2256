"""Whole-graph exports streamed from the tables (issue 8): GraphML, GEXF and node-link JSON
written without building a networkx graph.

At Cablegate scale (≈ 250 k entities, ≈ 10 M edges) a networkx graph costs gigabytes and
its writers minutes (ElementTree, ``quoteattr`` per value). Here each column of the nodes
and edges tables is formatted once, vectorised (Arrow string kernels; floats with Python's
own ``repr`` on their distinct values only), and the XML/JSON lines of a chunk of rows are
joined by one Arrow call and written straight from the Arrow buffer.

The documents are *the same bytes* the networkx-based writers give for the graph that
:func:`graphbuild.graph.to_networkx` builds from the same tables (tests compare them):

* node order = table order; edge order and orientation = networkx's ``G.edges()`` (each
  edge under its endpoint that comes first in node order, in table order), see
  :func:`nx_edge_order`;
* GraphML as ``nx.write_graphml(graphml_ready(G), named_key_ids=True,
  infer_numeric_types=True)`` (ElementTree escaping and indentation);
* GEXF as :func:`graphbuild.exporters.gexf.render_gexf`;
* JSON as ``json.dumps(store.node_link(G), ensure_ascii=False)``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.export.safety import atomic_path, xml_safe

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
    ``errors="replace"``, as :func:`safety.atomic_write_text` does, makes of it)."""
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


def atomic_binary(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Run ``write(fh)`` on a temporary file renamed to ``path`` once complete."""
    tmp, final = atomic_path(path)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


# --- the graph as networkx would hold it -------------------------------------------------
@dataclass
class GraphTables:
    """Nodes and edges in networkx's order, attributes as :class:`Values`.

    ``ids`` are the node ids (str), ``source``/``target`` node positions per edge (``source``
    first in node order), ``node_attrs``/``edge_attrs`` attribute name -> values, in the
    order of the networkx attribute dicts.

    >>> ents = pd.DataFrame({"entity_id": ["b", "a"], "label": ["B", "A"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> gt = GraphTables.of(ents, edges, ["label"], ["weight"])
    >>> gt.ids, gt.source.tolist(), gt.target.tolist()
    (['b', 'a'], [0], [1])
    """

    ids: list[str]
    source: np.ndarray
    target: np.ndarray
    node_attrs: dict[str, Values]
    edge_attrs: dict[str, Values]
    #: nodes from this position on came from the edges only (no attributes at all)
    n_attributed: int | None = None

    @classmethod
    def of(cls, entities: pd.DataFrame, edges: pd.DataFrame,
           node_columns: Sequence[str] | None = None,
           edge_columns: Sequence[str] | None = None) -> GraphTables:
        """The graph :func:`graphbuild.graph.to_networkx` would build from these tables
        (same arguments), without building it."""
        node_columns = [c for c in (node_columns or entities.columns) if c != "entity_id"]
        edge_columns = [c for c in (edge_columns or edges.columns)
                        if c not in ("source", "target")]
        ids = entities["entity_id"].tolist()
        index = pd.Index(ids)
        s = index.get_indexer(edges["source"])
        t = index.get_indexer(edges["target"])
        extra: list = []
        if (s < 0).any() or (t < 0).any():
            # endpoints missing from the entities become attribute-less nodes, appended
            # in the order networkx's add_edges_from meets them
            ends = np.column_stack([edges["source"].to_numpy(object),
                                    edges["target"].to_numpy(object)]).ravel()
            known = np.column_stack([s, t]).ravel() >= 0
            extra = list(dict.fromkeys(ends[~known].tolist()))
            index = pd.Index(ids + extra)
            s = index.get_indexer(edges["source"])
            t = index.get_indexer(edges["target"])
        order, src, tgt = nx_edge_order(s, t)
        node_attrs = {c: Values.of(entities[c]) for c in node_columns}
        if extra:
            node_attrs = {c: _pad(v, len(extra)) for c, v in node_attrs.items()}
        edge_attrs = {c: Values.of(edges[c]).take(order) for c in edge_columns}
        return cls([str(i) for i in ids + extra], src, tgt, node_attrs, edge_attrs,
                   len(ids) if extra else None)


def _pad(v: Values, n: int) -> Values:
    """``v`` followed by ``n`` missing values."""
    if v.kind == "object":
        return Values("object", np.append(v.present, np.zeros(n, bool)), None,
                      v.items + [None] * n)
    if isinstance(v.data, pa.Array):
        data = pa.concat_arrays([v.data, pa.nulls(n, v.data.type)])
    else:
        data = np.append(v.data, np.zeros(n, v.data.dtype))
    return Values(v.kind, np.append(v.present, np.zeros(n, bool)), data)


def nx_edge_order(source: np.ndarray, target: np.ndarray,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The order in which ``nx.Graph.edges()`` yields the edges of a graph whose nodes were
    added first (positions ``0..n-1``) and whose edges were then added row by row: each edge
    comes under its endpoint that is first in node order (the ``u`` of ``(u, v)``), edges of
    one node in insertion order. Returns ``(rows, u, v)``.

    >>> rows, u, v = nx_edge_order(np.array([2, 0, 1]), np.array([0, 1, 2]))
    >>> rows.tolist(), u.tolist(), v.tolist()
    ([0, 1, 2], [0, 0, 1], [2, 1, 2])
    """
    u = np.minimum(source, target)
    v = np.maximum(source, target)
    rows = np.argsort(u, kind="stable")
    return rows, u[rows], v[rows]


# --- GraphML ------------------------------------------------------------------------------
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
#: Python type -> GraphML attr.type, as networkx maps them
_GRAPHML_TYPES = {int: "long", float: "double", str: "string", bool: "boolean"}


def _graphml_values(name: str, v: Values) -> Values:
    """``v`` cleaned as :func:`graphml.graphml_ready` cleans attribute values: measures and
    weights as floats, strings XML-safe, lists joined (object columns value by value)."""
    from graphbuild.export.graphml_nx import FLOAT_ATTRIBUTES, _clean

    if v.kind == "object":
        items = [None if x is None else _clean(name, x) for x in v.items]
        present = np.array([x is not None for x in items], bool)
        kinds = {type(x) for x in items if x is not None}
        if kinds == {str}:
            return Values("str", present, xml_clean(pa.array(items, pa.string())))
        return Values("object", present, None, items)
    if name in FLOAT_ATTRIBUTES and v.kind in ("int", "float"):
        return v.as_float()
    if v.kind == "str":
        return Values("str", v.present, xml_clean(v.data))
    return v


def _graphml_type(types: set[type]) -> str:
    """networkx's ``infer_numeric_types``: one type per attribute, the most general."""
    if len(types) == 1:
        return _GRAPHML_TYPES[next(iter(types))]
    names = {_GRAPHML_TYPES[t] for t in types}
    return "string" if "string" in names else "double" if "double" in names else "long"


def _graphml_keys(attrs: dict[str, Values], scope: str) -> list[str]:
    """``<key>`` lines in the order networkx creates them (attribute of the first element
    holding a value first)."""
    first = sorted((int(np.argmax(v.present)), i, name, v)
                   for i, (name, v) in enumerate(attrs.items()) if v.present.any())
    lines = []
    for _, _, name, v in first:
        e = et_attr(pa.array([name], pa.string()))[0].as_py()
        lines.append(f'  <key id="{e}" for="{scope}" attr.name="{e}" '
                     f'attr.type="{_graphml_type(v.types())}" />\n')
    return lines


def _graphml_data(attrs: dict[str, Values], pad: str) -> list[tuple[np.ndarray, Callable]]:
    """Per attribute with a value somewhere: ``(present, lines)``, ``lines(rows)`` giving the
    ``<data>`` line of each row of the chunk (ElementTree's short form for an empty string).
    Numbers need no escaping and are never empty: only text goes through the kernels."""
    out = []
    for name, v in attrs.items():
        if not v.present.any():
            continue
        key = et_attr(pa.array([name], pa.string()))[0].as_py()

        def lines(rows: slice, v: Values = v, key: str = key) -> pa.Array:
            part = v.slice(rows)
            text = v.chunk_text(rows)
            if part.kind not in ("str", "object"):
                return join(f'{pad}<data key="{key}">', text, "</data>\n")
            text = et_text(text)
            return pc.if_else(pc.equal(text, ""), f'{pad}<data key="{key}" />\n',
                              join(f'{pad}<data key="{key}">', text, "</data>\n"))

        out.append((v.present, lines))
    return out


def _element_lines(opening: pa.Array, close: str, data: list, rows: slice) -> pa.Array:
    """``<x ...>`` + data lines + ``</x>`` per row, ``<x ... />`` for rows without data."""
    if not data:
        return join(opening, " />\n")
    present = np.logical_or.reduce([p[rows] for p, _ in data])
    full = join(opening, ">\n", *[pc.fill_null(lines(rows), "") for _, lines in data], close)
    if present.all():
        return full
    return pc.if_else(pa.array(present), full, join(opening, " />\n"))


def write_graphml_tables(gt: GraphTables, path: str | os.PathLike[str]) -> Path:
    """Write ``gt`` as the GraphML :func:`graphml.write_graphml` writes for the same graph
    (byte for byte), streamed in chunks of :data:`CHUNK_ROWS` rows.

    >>> import tempfile, networkx as nx
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A & co", "B"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> p = write_graphml_tables(GraphTables.of(ents, edges), tempfile.mkdtemp() + "/g.graphml")
    >>> G = nx.read_graphml(p); G.nodes["a"]["label"], G.edges["a", "b"]["weight"]
    ('A & co', 2.0)
    """
    nodes = {k: _graphml_values(k, v) for k, v in gt.node_attrs.items()}
    edges = {k: _graphml_values(k, v) for k, v in gt.edge_attrs.items()}
    ids = et_attr(xml_clean(pa.array(gt.ids, pa.string())))
    keys = _graphml_keys(nodes, "node") + _graphml_keys(edges, "edge")
    node_data = _graphml_data(nodes, "      ")
    edge_data = _graphml_data(edges, "      ")

    def write(fh: IO[bytes]) -> None:
        fh.write(_GRAPHML_HEAD.encode())
        fh.write("".join(reversed(keys)).encode())   # networkx inserts each key first
        if not gt.ids:
            fh.write(b'  <graph edgedefault="undirected" />\n</graphml>\n')
            return
        fh.write(b'  <graph edgedefault="undirected">\n')
        for rows in chunks(len(gt.ids)):
            opening = join('    <node id="', ids[rows.start:rows.stop], '"')
            write_array(fh, _element_lines(opening, "    </node>\n", node_data, rows))
        for rows in chunks(len(gt.source)):
            opening = join('    <edge source="', ids.take(pa.array(gt.source[rows])),
                           '" target="', ids.take(pa.array(gt.target[rows])), '"')
            write_array(fh, _element_lines(opening, "    </edge>\n", edge_data, rows))
        fh.write(b"  </graph>\n</graphml>\n")

    return atomic_binary(path, write)


# --- node-link JSON -------------------------------------------------------------------------
def _json_values(v: Values) -> Callable[[slice], pa.Array]:
    """``text(rows)``: the JSON text of the values of a chunk as :func:`store.node_link` +
    ``json.dumps`` give it (missing and non-finite -> ``null``)."""
    from graphbuild.store import _json_safe

    if v.kind == "object":
        texts = utf8_strings([json.dumps(_json_safe(x), ensure_ascii=False, allow_nan=False)
                              for x in v.items])
        return lambda rows: texts[rows.start:rows.stop]
    if v.kind == "str":
        texts = pc.fill_null(json_strings(v.data), "null")   # node columns: small
        return lambda rows: texts[rows.start:rows.stop]

    def text(rows: slice) -> pa.Array:
        part = v.slice(rows)
        if part.kind == "float":   # NaN and infinities: null (as store._json_safe)
            return pc.if_else(pa.array(np.isfinite(part.data)), v.chunk_text(rows), "null")
        return pc.fill_null(part.text(bools=("false", "true")), "null")

    return text


def _json_objects(attrs: dict[str, Callable], tail: list[tuple[str, pa.Array]],
                  rows: slice, plain: int | None = None) -> pa.Array:
    """One ``{"k": v, ...}`` per row: the attributes, then ``tail`` (id or source/target).
    Rows from ``plain`` on have no attributes (nodes networkx added for an edge)."""
    pieces: list = []
    for name, values in attrs.items():
        pieces += [json.dumps(str(name), ensure_ascii=False) + ": ", values(rows), ", "]
    for i, (name, values) in enumerate(tail):
        pieces += [json.dumps(name) + ": ", values]
        if i < len(tail) - 1:
            pieces.append(", ")
    full = join("{", *pieces, "}")
    if plain is not None and rows.stop > plain:
        bare = join("{", *[p for p in pieces[3 * len(attrs):]], "}")
        cut = pa.array(np.arange(rows.start, rows.stop) >= plain)
        full = pc.if_else(cut, bare, full)
    return full


def write_node_link_tables(gt: GraphTables, path: str | os.PathLike[str]) -> Path:
    """Write ``gt`` as networkx node-link JSON, the bytes
    ``json.dumps(store.node_link(G), ensure_ascii=False)`` gives (``nx.node_link_graph(data,
    edges="edges")`` reads it).

    >>> import tempfile, networkx as nx
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A", "B"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> p = write_node_link_tables(GraphTables.of(ents, edges), tempfile.mkdtemp() + "/g.json")
    >>> nx.node_link_graph(json.loads(p.read_text()), edges="edges").edges["a", "b"]
    {'weight': 2}
    """
    nodes = {k: _json_values(v) for k, v in gt.node_attrs.items()}
    edges = {k: _json_values(v) for k, v in gt.edge_attrs.items()}
    ids = json_strings(pa.array(gt.ids, pa.string()))

    def items(fh: IO[bytes], n: int, make: Callable[[slice], pa.Array]) -> None:
        for rows in chunks(n):
            lines = make(rows)
            sep = ", " if rows.start else ""
            write_array(fh, join(pc.if_else(pa.array(np.arange(rows.start, rows.stop) > 0),
                                            ", ", sep), lines))

    def write(fh: IO[bytes]) -> None:
        fh.write(b'{"directed": false, "multigraph": false, "graph": {}, "nodes": [')
        items(fh, len(gt.ids), lambda r: _json_objects(
            nodes, [("id", ids[r.start:r.stop])], r, gt.n_attributed))
        fh.write(b'], "edges": [')
        items(fh, len(gt.source), lambda r: _json_objects(
            edges, [("source", ids.take(pa.array(gt.source[r]))),
                    ("target", ids.take(pa.array(gt.target[r])))], r))
        fh.write(b"]}")

    return atomic_binary(path, write)


# --- GEXF -----------------------------------------------------------------------------------
def _gexf_kind(v: Values) -> str | None:
    """:func:`gexf.gexf_type` of a column (``None`` when no row has a value)."""
    from graphbuild.export.gexf_nx import gexf_type

    if v.kind == "object":
        return gexf_type(v.items)
    if not v.present.any():
        return None
    if v.kind == "int":
        data = v.data[v.present]
        return "integer" if data.min() >= -2**31 and data.max() < 2**31 else "long"
    return {"bool": "boolean", "float": "double", "str": "string"}[v.kind]


def _gexf_attvalues(attrs: dict[str, Values], own: set[str]) -> tuple[dict[str, str], list]:
    """The declared ``{name: type}`` and, per attribute, ``(present, <attvalue> line)`` as
    :func:`gexf._attvalues` writes them (strings in numeric attributes left out)."""
    from graphbuild.export.gexf_nx import _value

    keys: dict[str, str] = {}
    lines = []
    pad = "          "
    for name, v in attrs.items():
        if name in own:
            continue
        kind = _gexf_kind(v)
        if kind is None:
            continue
        keys[name] = kind
        head = f"{pad}<attvalue for={quoteattr_py(xml_safe(name))} value="
        if v.kind == "object":
            numeric = kind in ("integer", "long", "double")
            texts = [None if x is None or (numeric and isinstance(x, str)) else _value(x, kind)
                     for x in v.items]
            present = np.array([t is not None for t in texts], bool)
            quoted = join(head, quote_attr(utf8_strings(texts)), "/>\n")
            lines.append((present, lambda rows, q=quoted: q[rows.start:rows.stop]))
            continue

        def line(rows: slice, v: Values = v, head: str = head) -> pa.Array:
            part = v.slice(rows)
            text = v.chunk_text(rows, bools=("false", "true"))
            if part.kind == "str":
                return join(head, quote_attr(xml_clean(text)), "/>\n")
            return join(head, '"', text, '"/>\n')   # numbers: nothing to escape

        lines.append((v.present, line))
    return keys, lines


def quoteattr_py(text: str) -> str:
    """:func:`xml.sax.saxutils.quoteattr` (for the few names written once)."""
    from xml.sax.saxutils import quoteattr

    return quoteattr(text)


def _block(lines: list, rows: slice, open_: str, close: str) -> pa.Array:
    """``open_`` + the rows' lines + ``close`` where a row has a line, else ``""``."""
    if not lines:
        return pa.nulls(rows.stop - rows.start, pa.string()).fill_null("")
    present = np.logical_or.reduce([p[rows] for p, _ in lines])
    body = join(open_, *[pc.fill_null(line(rows), "") if p[rows].all() else
                         pc.if_else(pa.array(p[rows]), line(rows), "") for p, line in lines],
                close)
    return body if present.all() else pc.if_else(pa.array(present), body, "")


def _spell_lines(ids: Sequence, spells, pad: str = "        ") -> pa.Array:
    """``<spells>`` blocks per element (``spells``: a function id -> intervals or None)."""
    from graphbuild.export.gexf_nx import _spells

    return pa.array(["".join(line + "\n" for line in _spells(spells(i), pad)) for i in ids],
                    pa.string())


def _node_colors(gt: GraphTables, color_by: str) -> pa.Array:
    """The ``<viz:color>`` line of every node (:func:`gexf._node_color`)."""
    from graphbuild.export.gexf_nx import COMMUNITY_COLORS, _rgb
    from graphbuild.export.html import DEFAULT_COLOR, TYPE_COLORS

    n = len(gt.ids)
    if color_by == "community":
        v = gt.node_attrs.get("community")
        colors = np.full(n, DEFAULT_COLOR, dtype=object)
        if v is not None and v.kind in ("int", "float"):
            c = np.where(v.present, v.data, -1).astype("int64")
            ok = v.present & (c >= 0)
            colors[ok] = np.asarray(COMMUNITY_COLORS, object)[c[ok] % len(COMMUNITY_COLORS)]
        elif v is not None:
            from graphbuild.export.gexf_nx import _node_color
            colors = np.array([_node_color({"community": x}, "community") for x in v.items],
                              object)
    else:
        v = gt.node_attrs.get("type")
        if v is None:
            names = np.full(n, "", dtype=object)
        else:
            names = pc.fill_null(v.text(), "None").to_numpy(zero_copy_only=False)
            if gt.n_attributed is not None:
                names[gt.n_attributed:] = ""
        colors = pd.Series(names, dtype=object).map(
            lambda t: TYPE_COLORS.get(t, DEFAULT_COLOR)).to_numpy(object)
    line = {c: '        <viz:color r="{}" g="{}" b="{}"/>\n'.format(*_rgb(c))
            for c in set(colors.tolist())}
    return pa.array([line[c] for c in colors.tolist()], pa.string())


def _node_sizes(gt: GraphTables, size_by: str) -> pa.Array:
    """``<viz:size>`` lines: 5 + 45 * value / max (10 when no value is positive)."""
    v = gt.node_attrs.get(size_by)
    n = len(gt.ids)
    if v is None:
        values = np.zeros(n)
    elif v.kind in ("int", "float", "bool"):
        values = np.where(v.present, v.data.astype("float64"), 0.0)
    else:
        # text or mixed values: float() as render_gexf does (it raises where that raises)
        items = v.items if v.kind == "object" else v.data.to_pylist()
        values = np.array([float(x or 0) for x in items], "float64")
    top = max(values.tolist()) if n else 0.0   # Python's max, as render_gexf (NaN first)
    sizes = 5.0 + 45.0 * (values / top) if top > 0 else np.full(n, 10.0)
    return join('        <viz:size value="', float_text(sizes), '"/>\n')


def write_gexf_tables(gt: GraphTables, path: str | os.PathLike[str], *,
                      color_by: str = "type", size_by: str = "pagerank",
                      positions=None, node_spells=None, edge_spells=None,
                      description: str = "") -> Path:
    """Write ``gt`` as :func:`gexf.render_gexf` renders the same graph (byte for byte, for
    the same ``positions``), streamed in chunks. ``positions=None`` writes no
    ``viz:position`` (big graphs: Gephi lays them out itself).

    >>> import tempfile, networkx as nx
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A", "B"], "type": "PER"})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> p = write_gexf_tables(GraphTables.of(ents, edges), tempfile.mkdtemp() + "/g.gexf")
    >>> nx.read_gexf(p).edges["a", "b"]["weight"]
    2.0
    """
    from graphbuild.export.gexf_nx import _EDGE_OWN, _NODE_OWN, gexf_head

    if color_by not in ("type", "community"):
        raise ValueError("color_by must be 'type' or 'community'")
    node_keys, node_lines = _gexf_attvalues(gt.node_attrs, _NODE_OWN)
    edge_keys, edge_lines = _gexf_attvalues(gt.edge_attrs, _EDGE_OWN)
    head = gexf_head(description, bool(node_spells or edge_spells), node_keys, edge_keys)
    ids = pa.array(gt.ids, pa.string())
    qids = quote_attr(xml_clean(ids))
    label = gt.node_attrs.get("label")
    labels = ids if label is None else pc.fill_null(label.text(), "None")
    if label is not None and gt.n_attributed is not None:
        labels = pa.concat_arrays([labels[:gt.n_attributed], ids[gt.n_attributed:]])
    qlabels = quote_attr(xml_clean(labels))
    colors, sizes = _node_colors(gt, color_by), _node_sizes(gt, size_by)
    weight = gt.edge_attrs.get("weight")

    def weights(rows: slice) -> pa.Array | str:
        """`` weight="..."`` of the chunk's edges (``float(w)``), ``""`` where none."""
        if weight is None:
            return ""
        part = weight.slice(rows)
        if part.kind == "object":
            text = utf8_strings([None if w is None else repr(float(w)) for w in part.items])
        elif part.kind == "bool":
            text = float_text(part.data.astype("float64"))
        else:
            text = part.as_float().text()
        return piece(text, ' weight="', '"')

    def write(fh: IO[bytes]) -> None:
        fh.write(("\n".join(head) + "\n    <nodes>\n").encode())
        for rows in chunks(len(gt.ids)):
            r = slice(rows.start, rows.stop)
            parts = [join("      <node id=", qids[r], " label=", qlabels[r], ">\n"),
                     _block(node_lines, rows, "        <attvalues>\n", "        </attvalues>\n")]
            if node_spells:
                parts.append(_spell_lines(gt.ids[r], node_spells.get))
            parts.append(colors[r.start:r.stop])
            if positions is not None:
                xy = [positions.get(n, (0.0, 0.0)) for n in gt.ids[r]]
                parts.append(pa.array([f'        <viz:position x="{x!r}" y="{y!r}" z="0.0"/>\n'
                                       for x, y in xy], pa.string()))
            parts += [sizes[r.start:r.stop], "      </node>\n"]
            write_array(fh, join(*parts))
        fh.write(b"    </nodes>\n    <edges>\n")
        for rows in chunks(len(gt.source)):
            src, tgt = pa.array(gt.source[rows]), pa.array(gt.target[rows])
            eid = pc.cast(pa.array(np.arange(rows.start, rows.stop)), pa.string())
            w = weights(rows)
            parts = [join('      <edge id="', eid, '" source=', qids.take(src), " target=",
                          qids.take(tgt), w, ">\n"),
                     _block(edge_lines, rows, "        <attvalues>\n", "        </attvalues>\n")]
            if edge_spells:
                pairs = zip([gt.ids[i] for i in gt.source[rows]],
                            [gt.ids[i] for i in gt.target[rows]], strict=True)
                parts.append(_spell_lines(list(pairs), lambda uv: edge_spells.get(
                    uv if uv in edge_spells else (uv[1], uv[0]))))
            parts.append("      </edge>\n")
            write_array(fh, join(*parts))
        fh.write(b"    </edges>\n  </graph>\n</gexf>\n")

    return atomic_binary(path, write)


# --- the EntityGraph's view -------------------------------------------------------------
def view_frames(eg) -> tuple[pd.DataFrame, list[str], list[str]]:
    """``(nodes, node_columns, edge_columns)`` of :meth:`EntityGraph.graph`: the entities
    with their measures (and ``community``), and which columns become node and edge
    attributes. :meth:`EntityGraph.graph` builds its networkx graph from exactly these, and
    the streamed writers write the same graph from them.

    >>> import graphbuild as gb
    >>> nodes, ncols, ecols = view_frames(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> ncols[:3], ecols[:2]
    (['label', 'type', 'mentions'], ['weight', 'documents'])
    """
    from graphbuild.measures.centrality import MEASURES

    nodes = eg.entities.merge(eg.centrality, left_on="entity_id", right_index=True,
                              how="left")
    node_cols = ["label", "type", "mentions", "paragraphs", "documents", *MEASURES]
    node_cols += [c for c in ("first_seen", "last_seen") if c in nodes.columns]
    part = eg.partition()
    if len(part):
        nodes["community"] = nodes["entity_id"].map(part).astype("Int64")
        node_cols.append("community")
    edge_cols = [c for c in eg.edges.columns if c not in ("source", "target")]
    return nodes, node_cols, edge_cols


def top_rows(nodes: pd.DataFrame, size_by: str, n: int) -> np.ndarray:
    """Positions (in table order) of the ``n`` rows :func:`html.select_nodes` keeps: highest
    ``size_by`` first (missing, NaN, infinite or non-numeric count as 0), ties by label, then
    by id, as Python compares strings.

    >>> nodes = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                       "degree": [1.0, 3.0, 3.0]})
    >>> top_rows(nodes, "degree", 2).tolist()
    [1, 2]
    """
    return np.sort(_ranked(nodes, size_by)[:n])


def _ranked(nodes: pd.DataFrame, size_by: str) -> np.ndarray:
    """Row positions from the highest ``size_by`` down (the order of :func:`top_rows`)."""
    if size_by in nodes.columns:
        value = pd.to_numeric(nodes[size_by], errors="coerce").astype("float64").to_numpy()
        value = np.where(np.isfinite(value), value, 0.0)
    else:
        value = np.zeros(len(nodes))
    labels = nodes["label"] if "label" in nodes.columns else nodes["entity_id"]
    labels = [str(x) if not _missing(x) else "None" for x in labels.astype(object).tolist()]
    key = pd.DataFrame({"v": -value, "l": pd.Series(labels, dtype=object),
                        "i": pd.Series([str(x) for x in nodes["entity_id"].tolist()],
                                       dtype=object)})
    return key.sort_values(["v", "l", "i"], kind="mergesort").index.to_numpy()


#: GraphML/GEXF/graph.json of a graph with more edges hold the top entities only (Gephi
#: desktop becomes unusable past about a million edges; the full graph is in the tables)
GRAPH_FILE_MAX_EDGES = 1_000_000


def graph_file_view(nodes: pd.DataFrame, edges: pd.DataFrame, size_by: str = "pagerank",
                    max_edges: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and edges the graph files hold: everything up to ``max_edges`` edges, else
    the most entities by ``size_by`` (ranked as :func:`top_rows`) whose graph has at most
    ``max_edges`` edges (default :data:`GRAPH_FILE_MAX_EDGES`), and the edges among them.

    >>> nodes = pd.DataFrame({"entity_id": list("abcd"), "label": list("ABCD"),
    ...                       "pagerank": [0.4, 0.3, 0.2, 0.1]})
    >>> edges = pd.DataFrame({"source": list("aabc"), "target": list("bcdd")})
    >>> n, e = graph_file_view(nodes, edges, max_edges=2)
    >>> n["entity_id"].tolist(), e.values.tolist()
    (['a', 'b', 'c'], [['a', 'b'], ['a', 'c']])
    """
    from graphbuild.core.tables import positions

    max_edges = GRAPH_FILE_MAX_EDGES if max_edges is None else max_edges
    if len(edges) <= max_edges:
        return nodes, edges
    rank = np.empty(len(nodes), dtype=np.int64)
    rank[_ranked(nodes, size_by)] = np.arange(len(nodes))
    src = positions(edges["source"], nodes["entity_id"])
    dst = positions(edges["target"], nodes["entity_id"])
    # an edge is in the view of the top k entities when both ends rank below k
    last = np.maximum(rank[src], rank[dst])
    within = np.cumsum(np.bincount(last, minlength=len(nodes)))
    k = int(np.searchsorted(within, max_edges, side="right"))
    return nodes[rank < k], edges[last < k]
