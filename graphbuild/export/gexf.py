"""GEXF 1.3 for Gephi and Gephi Lite (graphology-gexf), streamed from the tables.

networkx's ``write_gexf`` is not used because of three traps: it writes ``<graph name="">``
(not allowed by the 1.3 schema), the 1.2 namespace under ``version="1.3"``, and
``timeformat="long"`` for integer times, which Gephi's timeline ignores. Here:

* namespace ``http://gexf.net/1.3`` (viz: ``http://gexf.net/1.3/viz``) with its
  ``xsi:schemaLocation``, ``version="1.3"``, no ``name`` on ``<graph>``;
* typed attributes declared once per class (``integer``, ``double``, ``boolean``,
  ``string``), attribute ids equal to their names so every reader shows the same names;
  the edge ``weight`` is GEXF's own ``weight`` attribute of ``<edge>``;
* colours by entity type or by community (``viz:color``), layout positions
  (``viz:position``, the same layout as ``graph.html``: :mod:`graphbuild.measures.layout`) and sizes
  (``viz:size``, from a centrality);
* with a timeline, ``mode="dynamic" timeformat="date"`` and one ``<spell>`` per run of
  consecutive periods in ISO dates (no per-period attribute values: graphology-gexf rejects
  them, and Gephi's timeline only needs the spells).

Every string is made XML-safe (control characters replaced) and escaped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.core.files import atomic_write
from graphbuild.export.palette import COMMUNITY_COLORS, DEFAULT_COLOR, TYPE_COLORS, rgb
from graphbuild.export.safety import xml_safe
from graphbuild.export.values import (
    Values,
    chunks,
    float_text,
    join,
    piece,
    quote_attr,
    utf8_strings,
    write_array,
    xml_clean,
)
from graphbuild.export.view import GraphTables

__all__ = ["write_gexf", "gexf_type", "gexf_head", "NODE_OWN", "EDGE_OWN"]

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
SCHEMA_LOCATION = "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
#: node attributes never written as attvalues (they are GEXF's own fields)
NODE_OWN = {"label"}
#: edge attributes never written as attvalues (GEXF's own ``weight``)
EDGE_OWN = {"weight"}


def gexf_type(values: Sequence) -> str | None:
    """The GEXF type of a column of Python values (``None`` values ignored).

    >>> gexf_type([1, 2]), gexf_type([1, 2.5]), gexf_type(["a", 1]), gexf_type([None])
    ('integer', 'double', 'string', None)
    """
    seen = [v.item() if hasattr(v, "item") else v for v in values if v is not None]
    seen = [v for v in seen if not (isinstance(v, float) and v != v)]
    if not seen:
        return None
    if all(isinstance(v, bool) for v in seen):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in seen):
        return "integer" if all(-2**31 <= v < 2**31 for v in seen) else "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seen):
        return "double"
    return "string"


def gexf_value(v, kind: str) -> str:
    """The text of one attribute value of GEXF type ``kind``."""
    if hasattr(v, "item"):
        v = v.item()
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        return repr(float(v))
    if kind in ("integer", "long"):
        return str(int(v))
    return xml_safe(str(v))


def gexf_head(description: str, dynamic: bool, node_keys: Mapping[str, str],
              edge_keys: Mapping[str, str]) -> list[str]:
    """The lines before ``<nodes>``: declaration, meta (today's date, ``description``), the
    ``<graph>`` opening and the typed attribute declarations.

    >>> gexf_head("d", False, {"type": "string"}, {})[-2]
    '      <attribute id="type" title="type" type="string"/>'
    """
    today = dt.date.today().isoformat()
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           f'xsi:schemaLocation="{SCHEMA_LOCATION}" version="1.3">',
           f'  <meta lastmodifieddate="{today}">',
           "    <creator>graphbuild</creator>",
           f"    <description>{escape(xml_safe(description))}</description>",
           "  </meta>"]
    mode = ' mode="dynamic" timeformat="date" timerepresentation="interval"' if dynamic else \
        ' mode="static"'
    out.append(f'  <graph defaultedgetype="undirected"{mode}>')
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        if not keys:
            continue
        out.append(f'    <attributes class="{cls}" mode="static">')
        for k, kind in keys.items():
            out.append(f"      <attribute id={quoteattr(xml_safe(k))} "
                       f"title={quoteattr(xml_safe(k))} type=\"{kind}\"/>")
        out.append("    </attributes>")
    return out


def spell_lines(spells, pad: str) -> list[str]:
    """The ``<spells>`` block of one element (ISO ``(start, end)`` intervals)."""
    if not spells:
        return []
    rows = [f'{pad}  <spell start="{s}" end="{e}"/>' for s, e in spells]
    return [f"{pad}<spells>", *rows, f"{pad}</spells>"]


def node_color(d: Mapping, color_by: str) -> str:
    """The colour of a node with attributes ``d``, by ``type`` or by ``community``."""
    if color_by == "community":
        c = d.get("community")
        if c is None or int(c) < 0:
            return DEFAULT_COLOR
        return COMMUNITY_COLORS[int(c) % len(COMMUNITY_COLORS)]
    return TYPE_COLORS.get(str(d.get("type", "")), DEFAULT_COLOR)


def _gexf_kind(v: Values) -> str | None:
    """:func:`gexf_type` of a column (``None`` when no row has a value)."""
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
    the reference writer writes them (strings in numeric attributes left out)."""
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
            texts = [None if x is None or (numeric and isinstance(x, str)) else gexf_value(x, kind)
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
    return pa.array(["".join(line + "\n" for line in spell_lines(spells(i), pad)) for i in ids],
                    pa.string())


def _node_colors(gt: GraphTables, color_by: str) -> pa.Array:
    """The ``<viz:color>`` line of every node (:func:`node_color`)."""
    n = len(gt.ids)
    if color_by == "community":
        v = gt.node_attrs.get("community")
        colors = np.full(n, DEFAULT_COLOR, dtype=object)
        if v is not None and v.kind in ("int", "float"):
            c = np.where(v.present, v.data, -1).astype("int64")
            ok = v.present & (c >= 0)
            colors[ok] = np.asarray(COMMUNITY_COLORS, object)[c[ok] % len(COMMUNITY_COLORS)]
        elif v is not None:
            colors = np.array([node_color({"community": x}, "community") for x in v.items],
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
    line = {c: '        <viz:color r="{}" g="{}" b="{}"/>\n'.format(*rgb(c))
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
        # text or mixed values: float() as the reference writer does (it raises where that raises)
        items = v.items if v.kind == "object" else v.data.to_pylist()
        values = np.array([float(x or 0) for x in items], "float64")
    top = max(values.tolist()) if n else 0.0   # Python's max, as the reference writer (NaN first)
    sizes = 5.0 + 45.0 * (values / top) if top > 0 else np.full(n, 10.0)
    return join('        <viz:size value="', float_text(sizes), '"/>\n')


def write_gexf(gt: GraphTables, path: str | os.PathLike[str], *,
                      color_by: str = "type", size_by: str = "pagerank",
                      positions=None, node_spells=None, edge_spells=None,
                      description: str = "") -> Path:
    """Write ``gt`` as GEXF 1.3, streamed in chunks (the bytes the reference writer in
    ``tests/oracles.py`` renders for the same graph and ``positions``). ``positions``
    maps node id -> ``(x, y)``; ``None`` writes no ``viz:position`` (big graphs: Gephi
    lays them out itself).

    >>> import tempfile, networkx as nx
    >>> ents = pd.DataFrame({"entity_id": ["a", "b"], "label": ["A", "B"], "type": "PER"})
    >>> edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [2]})
    >>> p = write_gexf(GraphTables.of(ents, edges), tempfile.mkdtemp() + "/g.gexf")
    >>> nx.read_gexf(p).edges["a", "b"]["weight"]
    2.0
    """
    if color_by not in ("type", "community"):
        raise ValueError("color_by must be 'type' or 'community'")
    node_keys, node_lines = _gexf_attvalues(gt.node_attrs, NODE_OWN)
    edge_keys, edge_lines = _gexf_attvalues(gt.edge_attrs, EDGE_OWN)
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

    return atomic_write(path, write)
