"""networkx node-link JSON (``graph.json``), streamed from the tables."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.core.files import atomic_write, json_safe
from graphbuild.export.values import Values, chunks, join, json_strings, utf8_strings, write_array
from graphbuild.export.view import GraphTables

__all__ = ["write_node_link"]


def _json_values(v: Values) -> Callable[[slice], pa.Array]:
    """``text(rows)``: the JSON text of the values of a chunk as :func:`json_safe` +
    ``json.dumps`` give it (missing and non-finite -> ``null``)."""
    if v.kind == "object":
        texts = utf8_strings([json.dumps(json_safe(x), ensure_ascii=False, allow_nan=False)
                              for x in v.items])
        return lambda rows: texts[rows.start:rows.stop]
    if v.kind == "str":
        texts = pc.fill_null(json_strings(v.data), "null")   # node columns: small
        return lambda rows: texts[rows.start:rows.stop]

    def text(rows: slice) -> pa.Array:
        part = v.slice(rows)
        if part.kind == "float":   # NaN and infinities: null (as json_safe)
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


def write_node_link(gt: GraphTables, path: str | os.PathLike[str]) -> Path:
    """Write ``gt`` as networkx node-link JSON, the bytes
    ``json.dumps(json_safe(nx.node_link_data(G, edges="edges")), ensure_ascii=False)``
    gives for the graph of the same tables (``nx.node_link_graph(data,
    edges="edges")`` reads it).

    >>> import tempfile, networkx as nx, pandas as pd
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A", "B"]})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> p = write_node_link(GraphTables.of(ents, edges), tempfile.mkdtemp() + "/g.json")
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

    return atomic_write(path, write)
