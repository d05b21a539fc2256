"""A built output folder as a store: the tables as Parquet, read back without re-parsing.

``graphbuild build`` writes one Parquet file per table (typed columns survive, unlike CSV)
and ``build.json`` (what filters removed, analysis settings, version; the stage timings
are in ``timings.json``, the one file that differs between two builds of the same input).
:func:`load` reads a folder back into a :class:`~graphbuild.core.tables.Tables` bundle, so
the explorer commands (``neighbors``, ``path``, ``evidence``, ``ego``) and a notebook start
instantly on a corpus that took minutes to build.

Files (see :data:`PARQUET_TABLES`): ``nodes.parquet`` (entities + every node measure, e.g.
centralities or ``community``), ``entities.parquet``, ``edges.parquet`` (every edge column),
``evidence.parquet``, ``mentions.parquet``, ``paragraphs.parquet`` (with text),
``documents.parquet``, ``resolution.parquet``, ``problems.parquet``, ``ambiguous.parquet``
(names resolution left apart) and ``communities.parquet`` (the per-community summary). The
community of each entity is the ``community`` column of ``nodes.parquet``. (The per-period
tables of ``--period`` are not stored: a loaded folder has no timeline.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from graphbuild._version import __version__
from graphbuild.core import tables as schema
from graphbuild.core.diagnostics import Diagnostics, InputError, Problem
from graphbuild.core.files import atomic_write, json_safe
from graphbuild.core.tables import Tables

__all__ = ["write_store", "write_parquet", "load", "PARQUET_TABLES", "META_FILE"]

#: table name -> file name of the Parquet files a build writes
PARQUET_TABLES = {
    "nodes": "nodes.parquet", "entities": "entities.parquet", "edges": "edges.parquet",
    "evidence": "evidence.parquet", "mentions": "mentions.parquet",
    "paragraphs": "paragraphs.parquet", "documents": "documents.parquet",
    "resolution": "resolution.parquet", "problems": "problems.parquet",
    "ambiguous": "ambiguous.parquet", "communities": "communities.parquet",
    "stability": "stability.parquet",
}
#: every build writes all of them: a folder without one of them is damaged (a query on it
#: would answer from part of the build), and is refused with one line (``stability``, added
#: later, may be missing from an older folder: it then reads as empty)
REQUIRED = tuple(t for t in PARQUET_TABLES if t != "stability")
META_FILE = "build.json"
#: stage timings: the one file that differs between two builds of the same input
TIMINGS_FILE = "timings.json"


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as Parquet (typed columns preserved), atomically.

    Dictionary-coded (categorical) columns are written without min/max statistics: for
    them Arrow compares the strings of every page, which took 40% of the time of writing
    Cablegate's evidence and mentions tables; the other columns keep theirs.

    >>> import tempfile
    >>> p = write_parquet(pd.DataFrame({"a": [1]}), Path(tempfile.mkdtemp()) / "t.parquet")
    >>> pd.read_parquet(p)["a"].tolist()
    [1]
    """
    coded = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    options = ({"write_statistics": [str(c) for c in frame.columns if c not in coded]}
               if coded else {})
    return atomic_write(path, lambda fh: frame.to_parquet(fh, index=False, **options))


def write_store(tables: Tables, out_dir: str | os.PathLike[str],
                settings: dict | None = None) -> dict[str, Path]:
    """Write the Parquet tables and ``build.json`` of ``tables`` into ``out_dir``.

    Parameters
    ----------
    tables : Tables
        What a build produced.
    out_dir : str or os.PathLike
        The folder (created).
    settings : dict, optional
        The settings to record in ``build.json`` (default ``tables.settings``; the export
        stage adds what it decided, e.g. which CSV files it left out).

    Returns
    -------
    dict
        File name -> path, in writing order.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> sorted(write_store(eg, tempfile.mkdtemp()))[:3]
    ['ambiguous.parquet', 'build.json', 'communities.parquet']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = {
        "nodes": tables.nodes_table(), "entities": tables.entities, "edges": tables.edges,
        "evidence": tables.evidence, "mentions": tables.mentions,
        "paragraphs": tables.paragraphs, "documents": tables.documents,
        "resolution": tables.resolution,
        # the skip marks make a loaded folder's reconciliation the same as the build's
        "problems": tables.problems.assign(
            skipped=[p.skipped for p in tables.diagnostics.problems]),
        "ambiguous": tables.ambiguous, "communities": tables.communities,
        "stability": tables.stability,
    }
    paths = {PARQUET_TABLES[name]: write_parquet(frame.reset_index(drop=True),
                                                 out / PARQUET_TABLES[name])
             for name, frame in frames.items()}
    meta = {"graphbuild": __version__, "filters_removed": tables.filters_removed,
            "settings": tables.settings if settings is None else settings,
            "counts": {str(k): int(v) for k, v in tables.diagnostics.counts.items()}}
    paths[META_FILE] = atomic_write(out / META_FILE,
                                    json.dumps(json_safe(meta), indent=2) + "\n")
    # wall-clock seconds differ on every run: kept apart, so every other file of two
    # builds of the same input is the same, byte for byte
    timings = {k: round(v, 6) for k, v in tables.timings.items()}
    paths[TIMINGS_FILE] = atomic_write(out / TIMINGS_FILE,
                                       json.dumps(json_safe(timings), indent=2) + "\n")
    return paths


def load(out_dir: str | os.PathLike[str] = "output") -> Tables:
    """Read a folder written by ``graphbuild build`` back, without re-parsing documents.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The output folder.

    Returns
    -------
    Tables
        Every table of the build. Node measures (centralities, ``community``...) come back
        from ``nodes.parquet``, so ``nodes_table()`` of the loaded tables equals the one
        that was written.

    Raises
    ------
    InputError
        One line, for the CLI: the folder does not exist, holds no graphbuild output, or a
        file in it is damaged.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> folder = tempfile.mkdtemp()
    >>> _ = gb.build("seeds/cable_09STATE83014_annotated.txt").export(folder)
    >>> load(folder).entities.set_index("entity_id").loc["sergey-lavrov", "aliases"]
    'Lavrov'
    """
    folder = Path(out_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder (build one first: "
                         f"graphbuild build INPUTS -o {folder})")
    missing = [PARQUET_TABLES[t] for t in REQUIRED if not (folder / PARQUET_TABLES[t]).is_file()]
    if missing:
        what = ("not a graphbuild output folder" if len(missing) == len(REQUIRED)
                else "a damaged graphbuild output folder")
        raise InputError(f"{folder}: {what} (missing {', '.join(missing)}; rebuild with "
                         f"graphbuild build INPUTS -o {folder})")
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
            frames[name] = schema.empty(name)     # optional table absent: empty, typed
        else:
            try:   # same columns and dtypes as a fresh build (extra columns kept)
                frames[name] = schema.conform(name, frames[name])
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
    # the community column is the partition (Tables.community), not a measure
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
    return Tables(
        documents=frames["documents"], paragraphs=frames["paragraphs"],
        mentions=frames["mentions"], entities=entities, edges=frames["edges"],
        evidence=frames["evidence"], centrality=centrality, resolution=frames["resolution"],
        diagnostics=_diagnostics(frames["problems"], meta.get("counts", {})),
        filters_removed={str(k): int(v) for k, v in meta.get("filters_removed", {}).items()},
        timings=_timings(folder, meta),
        ambiguous=frames["ambiguous"], community=community,
        communities=_list_columns(frames["communities"]), stability=frames["stability"],
        settings=settings if isinstance(settings, dict) else {},
        # communities.parquet was written from this very column (write_store)
        communities_of=community.copy() if len(community) and len(frames["communities"])
        else None)


def _list_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives list cells back as numpy arrays; make them lists again."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and len(out) and hasattr(out[col].iloc[0], "tolist") \
                and not isinstance(out[col].iloc[0], str):
            out[col] = out[col].map(lambda v: v.tolist() if hasattr(v, "tolist") else v)
    return out


def _timings(folder: Path, meta: dict) -> dict[str, float]:
    """Stage seconds from ``timings.json`` (a folder of an older version: ``build.json``)."""
    data = _read_meta(folder / TIMINGS_FILE) or meta.get("timings", {})
    return {str(k): float(v) for k, v in data.items() if isinstance(v, int | float)}


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
