"""A built output folder as a store: write the tables as Parquet, read them back.

``graphbuild build`` writes, next to the CSV files, one Parquet file per table (typed
columns survive, unlike CSV) and ``graph.json`` (networkx node-link). :func:`load` reads a
folder back into an :class:`~graphbuild.pipeline.EntityGraph` without re-parsing any
document, so the explorer commands (``neighbors``, ``path``, ``evidence``, ``ego``) and a
notebook start instantly on a corpus that took minutes to build.

Files (see :data:`PARQUET_TABLES`): ``nodes.parquet`` (entities + every node measure, e.g.
centralities or ``community``), ``entities.parquet``, ``edges.parquet`` (every edge column),
``evidence.parquet``, ``mentions.parquet``, ``paragraphs.parquet`` (with text),
``documents.parquet``, ``resolution.parquet``, ``problems.parquet``, ``ambiguous.parquet``
(names resolution left apart), ``communities.parquet`` (the per-community summary) and
``build.json`` (what filters removed, timings, analysis settings, version). The community of
each entity is the ``community`` column of ``nodes.parquet``. (The per-period tables of
``--period`` are not stored: a loaded folder has no timeline.)
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from graphbuild.core import tables
from graphbuild.core.diagnostics import Diagnostics, InputError, Problem
from graphbuild.export.safety import atomic_write_text
from graphbuild.export.stream import GraphTables, view_frames, write_node_link_tables
from graphbuild.export.tables import write_parquet

if TYPE_CHECKING:
    from graphbuild.pipeline import EntityGraph

#: table name -> file name of the Parquet files a build writes
PARQUET_TABLES = {
    "nodes": "nodes.parquet", "entities": "entities.parquet", "edges": "edges.parquet",
    "evidence": "evidence.parquet", "mentions": "mentions.parquet",
    "paragraphs": "paragraphs.parquet", "documents": "documents.parquet",
    "resolution": "resolution.parquet", "problems": "problems.parquet",
    "ambiguous": "ambiguous.parquet", "communities": "communities.parquet",
}
#: tables without which a folder cannot be explored
REQUIRED = ("entities", "nodes", "edges", "evidence", "paragraphs")
META_FILE = "build.json"
GRAPH_JSON = "graph.json"


def node_link(G: nx.Graph) -> dict:
    """The node-link dict of ``G`` with JSON-safe values (NaN/inf -> ``null``).

    >>> G = nx.Graph(); G.add_edge("a", "b", weight=2)
    >>> node_link(G)["edges"]
    [{'weight': 2, 'source': 'a', 'target': 'b'}]
    """
    data = nx.node_link_data(G, edges="edges")
    return _json_safe(data)


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA:
        return None
    return value


def write_graph_json(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write ``G`` as networkx node-link JSON (``nx.node_link_graph(data, edges="edges")``
    reads it back).

    >>> import tempfile
    >>> path = write_graph_json(nx.path_graph(3), tempfile.mkdtemp() + "/graph.json")
    >>> nx.node_link_graph(json.loads(path.read_text()), edges="edges").number_of_edges()
    2
    """
    atomic_write_text(path, json.dumps(node_link(G), ensure_ascii=False, allow_nan=False))
    return Path(path)


def write_store(eg: EntityGraph, out_dir: str | os.PathLike[str],
                G: nx.Graph | None = None, tables: GraphTables | None = None,
                ) -> dict[str, Path]:
    """Write the Parquet tables, ``graph.json`` and ``build.json`` of ``eg`` into ``out_dir``.

    ``graph.json`` is written from ``G`` when given, else streamed from the tables
    (``tables``: the :class:`~graphbuild.exporters.stream.GraphTables` of ``eg``'s view,
    computed when not given), the same bytes without building a networkx graph.

    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> sorted(write_store(eg, tempfile.mkdtemp()))[:3]
    ['ambiguous.parquet', 'build.json', 'communities.parquet']
    """
    from graphbuild import __version__

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "nodes": eg.nodes_table(), "entities": eg.entities, "edges": eg.edges,
        "evidence": eg.evidence, "mentions": eg.mentions, "paragraphs": eg.paragraphs,
        "documents": eg.documents, "resolution": eg.resolution,
        # the skip marks make a loaded folder's reconciliation the same as the build's
        "problems": eg.problems.assign(skipped=[p.skipped for p in eg.diagnostics.problems]),
        "ambiguous": eg.ambiguous, "communities": eg.community_summary(),
    }
    paths = {PARQUET_TABLES[name]: write_parquet(frame.reset_index(drop=True),
                                                 out / PARQUET_TABLES[name])
             for name, frame in frames.items()}
    if G is not None:
        paths[GRAPH_JSON] = write_graph_json(G, out / GRAPH_JSON)
    else:
        if tables is None:
            nodes, node_cols, edge_cols = view_frames(eg)
            tables = GraphTables.of(nodes, eg.edges, node_cols, edge_cols)
        paths[GRAPH_JSON] = write_node_link_tables(tables, out / GRAPH_JSON)
    meta = {"graphbuild": __version__, "filters_removed": eg.filters_removed,
            "timings": {k: round(v, 6) for k, v in eg.timings.items()},
            "settings": eg.settings,
            "counts": {str(k): int(v) for k, v in eg.diagnostics.counts.items()}}
    atomic_write_text(out / META_FILE, json.dumps(_json_safe(meta), indent=2) + "\n")
    paths[META_FILE] = out / META_FILE
    return paths


def load(out_dir: str | os.PathLike[str] = "output") -> EntityGraph:
    """Read a folder written by ``graphbuild build`` (or :meth:`EntityGraph.export`) back
    into an :class:`~graphbuild.pipeline.EntityGraph`, without re-parsing the documents.

    Node measures (centralities, ``community``...) come back from ``nodes.parquet``, so
    ``eg.nodes_table()`` of the loaded graph equals the one that was written.

    >>> import tempfile, graphbuild as gb
    >>> folder = tempfile.mkdtemp()
    >>> _ = gb.build("seeds/cable_09STATE83014_annotated.txt").export(folder)
    >>> load(folder).entities.set_index("entity_id").loc["sergey-lavrov", "aliases"]
    'Lavrov'

    Raises :class:`~graphbuild.diagnostics.InputError` (one line, for the CLI) when the
    folder does not exist or holds no graphbuild output.
    """
    from graphbuild.pipeline import EntityGraph

    folder = Path(out_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (build one first: "
                         f"graphbuild build INPUTS -o {folder})")
    missing = [PARQUET_TABLES[t] for t in REQUIRED if not (folder / PARQUET_TABLES[t]).is_file()]
    if missing:
        raise InputError(f"{folder}: not a graphbuild output folder (missing "
                         f"{', '.join(missing)}; rebuild with graphbuild build INPUTS -o "
                         f"{folder})")
    frames: dict[str, pd.DataFrame] = {}
    for name, file in PARQUET_TABLES.items():
        path = folder / file
        if path.is_file():
            try:
                frames[name] = pd.read_parquet(path)
            except Exception as exc:  # pyarrow raises several types for a damaged file
                raise InputError(f"{path}: cannot read ({exc})") from exc
        else:
            frames[name] = pd.DataFrame()
    for name in ("entities", "edges", "evidence", "paragraphs", "mentions", "documents"):
        if not (folder / PARQUET_TABLES[name]).is_file():
            frames[name] = tables.empty(name)     # optional table absent: empty, typed
        else:
            try:   # same columns and dtypes as a fresh build (extra columns kept)
                frames[name] = tables.conform(name, frames[name])
            except (ValueError, TypeError) as exc:
                raise InputError(f"{folder / PARQUET_TABLES[name]}: {exc} (written by another "
                                 "graphbuild version? rebuild the folder)") from exc
    entities = frames["entities"]
    nodes = frames["nodes"]
    if "id" not in nodes:
        raise InputError(f"{folder / PARQUET_TABLES['nodes']}: no 'id' column (rebuild the "
                         "folder)")
    # everything in nodes.parquet that is not an entity column is a measure: the loaded
    # graph then gives back the same nodes_table() whatever measures the build computed;
    # the community column is the partition (EntityGraph.community), not a measure
    entity_cols = set(entities.columns) | {"id", "community"}
    measure_cols = [c for c in nodes.columns if c not in entity_cols]
    centrality = nodes.set_index("id")[measure_cols]
    centrality.index.name = "entity_id"
    community = pd.Series(dtype="int64", name="community")
    if "community" in nodes and nodes["community"].notna().any():
        known = nodes.dropna(subset=["community"])
        community = pd.Series(known["community"].astype("int64").to_numpy(),
                              index=pd.Index(known["id"], name="entity_id"), name="community")
    meta = _read_meta(folder / META_FILE)
    settings = meta.get("settings", {})
    eg = EntityGraph(
        documents=frames["documents"], paragraphs=frames["paragraphs"],
        mentions=frames["mentions"], entities=entities, edges=frames["edges"],
        evidence=frames["evidence"], centrality=centrality, resolution=frames["resolution"],
        diagnostics=_diagnostics(frames["problems"], meta.get("counts", {})),
        filters_removed={str(k): int(v) for k, v in meta.get("filters_removed", {}).items()},
        timings={str(k): float(v) for k, v in meta.get("timings", {}).items()},
        ambiguous=frames["ambiguous"], community=community,
        communities=_list_columns(frames["communities"]),
        settings=settings if isinstance(settings, dict) else {})
    if len(community) and len(eg.communities):
        # communities.parquet was written from this very column (write_store)
        eg._summary_of = community.copy()
    return eg


def _list_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives list cells back as numpy arrays; make them lists again."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and len(out) and hasattr(out[col].iloc[0], "tolist") \
                and not isinstance(out[col].iloc[0], str):
            out[col] = out[col].map(lambda v: v.tolist() if hasattr(v, "tolist") else v)
    return out


def _read_meta(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    return data if isinstance(data, dict) else {}


def _diagnostics(problems: pd.DataFrame, counts: dict | None = None) -> Diagnostics:
    diag = Diagnostics()
    for row in problems.to_dict("records"):
        diag.add(Problem(str(row.get("code", "")), str(row.get("message", "")),
                         str(row.get("source_path", "") or ""), int(row.get("line", 0) or 0),
                         int(row.get("column", 0) or 0), str(row.get("severity", "warning")),
                         str(row.get("skipped", "") or "")))
    if isinstance(counts, dict):
        diag.counts.update({str(k): int(v) for k, v in counts.items()})
    return diag
