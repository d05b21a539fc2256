"""GraphML for Gephi, igraph and graphology, streamed from the tables.

Traps avoided: networkx's default key ids ``d0, d1...`` collide with what Gephi treats as
label keys (gephi/gephi#1840), so keys are named after their attribute; mixed int/float
values declare a key twice and igraph rejects the file, so every attribute has one type
(the most general, as networkx's ``infer_numeric_types``); measures and weights are always
doubles (Gephi sizes and weights by them); missing values are left out; XML-illegal
characters become U+FFFD.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.core.files import atomic_write
from graphbuild.export.safety import xml_safe
from graphbuild.export.values import Values, chunks, et_attr, et_text, join, write_array, xml_clean
from graphbuild.export.view import GraphTables

__all__ = ["write_graphml", "clean_value", "FLOAT_ATTRIBUTES"]

#: attributes written as doubles whatever their values (Gephi sizes/weights by them)
FLOAT_ATTRIBUTES = {"weight", "degree", "strength", "betweenness", "closeness", "eigenvector",
                    "pagerank", "npmi", "jaccard", "dice", "alpha", "x", "y", "size",
                    "harmonic"}


def clean_value(key: str, value):
    """An attribute value every GraphML writer and reader accepts (``None``: leave it out).

    >>> clean_value("weight", 2), clean_value("label", "a\x0cb"), clean_value("x", [1, 2])
    (2.0, 'a\ufffdb', '1|2')
    """
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:   # NaN
        return None
    if isinstance(value, (list, tuple, set)):
        value = "|".join(str(x) for x in value)
    if key in FLOAT_ATTRIBUTES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return xml_safe(value)
    return value



_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
#: Python type -> GraphML attr.type, as networkx maps them
_GRAPHML_TYPES = {int: "long", float: "double", str: "string", bool: "boolean"}


def _graphml_values(name: str, v: Values) -> Values:
    """``v`` cleaned as :func:`clean_value` cleans each attribute value: measures and
    weights as floats, strings XML-safe, lists joined (object columns value by value)."""
    if v.kind == "object":
        items = [None if x is None else clean_value(name, x) for x in v.items]
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


def write_graphml(gt: GraphTables, path: str | os.PathLike[str]) -> Path:
    """Write ``gt`` as GraphML that Gephi, igraph and graphology-graphml read cleanly,
    streamed in chunks of :data:`~graphbuild.export.values.CHUNK_ROWS` rows.

    The bytes are those of ``nx.write_graphml(G, named_key_ids=True,
    infer_numeric_types=True)`` for the graph of the same tables with every value cleaned
    by :func:`clean_value` (a test compares them).

    >>> import tempfile, networkx as nx, pandas as pd
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A & co", "B"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> p = write_graphml(GraphTables.of(ents, edges), tempfile.mkdtemp() + "/g.graphml")
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

    return atomic_write(path, write)
