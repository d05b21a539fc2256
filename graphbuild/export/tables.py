"""CSV versions of the tables (spreadsheet-safe) and the evidence column of ``edges.csv``.

Parquet, the typed truth, is written by :func:`graphbuild.store.write_parquet`."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from graphbuild.core.files import atomic_write
from graphbuild.export.safety import safe_csv_frame
from graphbuild.export.values import float_text

#: rows formatted per step by the Arrow CSV writer
CSV_CHUNK_ROWS = 200_000


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as UTF-8 CSV with spreadsheet-formula cells neutralised, atomically.

    The bytes are those of ``frame.to_csv(index=False, lineterminator="\\n")``; tables of
    plain columns (numbers, booleans, text) are formatted by Arrow kernels in chunks
    (pandas' writer makes a Python string per cell: minutes for millions of mentions),
    others by pandas.

    >>> import tempfile
    >>> p = write_csv(pd.DataFrame({"a": ["=1", 'x,"y" z'], "n": [1.5, None]}),
    ...               tempfile.mkdtemp() + "/t.csv")
    >>> p.read_text(encoding="utf-8").splitlines()
    ['a,n', "'=1,1.5", '"x,""y"" z",']
    """
    safe = safe_csv_frame(frame)
    if len(safe.columns) > 1 and all(_arrow_csv_column(safe[c].iloc[:0]) is not None
                                     for c in safe.columns):
        atomic_write(path, lambda fh: _write_csv_arrow(safe, fh))
    else:
        atomic_write(path, safe.to_csv(index=False, lineterminator="\n"))
    return Path(path)


def _arrow_csv_column(column: pd.Series):
    """The CSV text of ``column`` as pandas writes it (Arrow strings, unquoted; ``""`` for a
    missing value), or ``None`` for a dtype left to pandas (object, dates...)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pc.cast(pa.array(column.to_numpy()), pa.string())
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        values = column.to_numpy("float64")
        return pc.if_else(pa.array(np.isnan(values)), "", float_text(values))
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pc.if_else(pa.array(column.to_numpy()), "True", "False")
    if isinstance(dtype, pd.Int64Dtype | pd.Int32Dtype):
        return pc.fill_null(pc.cast(pa.array(column), pa.string()), "")
    if isinstance(dtype, pd.StringDtype):
        arr = pa.array(column, pa.string())
        return pc.fill_null(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr, "")
    return None


def _csv_quote(arr):
    """QUOTE_MINIMAL as pandas' writer applies it with ``lineterminator="\\n"``: a cell
    holding ``,``, ``"`` or a newline is quoted, inner quotes doubled."""
    import pyarrow.compute as pc

    needs = pc.match_substring_regex(arr, '[,"\n]')
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, arr)


def _write_csv_arrow(frame: pd.DataFrame, fh) -> None:
    """Header and rows of ``frame`` (columns accepted by :func:`_arrow_csv_column`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from graphbuild.export.values import write_array

    header = _csv_quote(pa.array([str(c) for c in frame.columns], pa.string())).to_pylist()
    fh.write((",".join(header) + "\n").encode("utf-8"))
    for start in range(0, len(frame), CSV_CHUNK_ROWS):
        part = frame.iloc[start:start + CSV_CHUNK_ROWS]
        cells = [_csv_quote(_arrow_csv_column(part[c])) for c in frame.columns]
        rows = pc.binary_join_element_wise(*cells, ",")
        write_array(fh, pc.binary_join_element_wise(rows, "\n", ""))



def evidence_strings(evidence: pd.DataFrame, limit: int | None = None) -> pd.Series:
    """``doc_id:¶paragraph`` joined by ``; `` per edge, indexed by ``(source, target)``
    (sorted); within an edge the evidence rows keep their table order, and ``limit`` keeps
    the first ones.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "doc_id": ["d", "d"],
    ...                    "paragraph": [2, 3]})
    >>> evidence_strings(ev).tolist()
    ['d:¶2; d:¶3']
    """
    if evidence.empty:
        return pd.Series(dtype="string")
    pairs = (evidence[["source", "target"]].drop_duplicates()
             .sort_values(["source", "target"], kind="stable").reset_index(drop=True))
    values = evidence_column(pairs, evidence, limit)
    return pd.Series(values, index=pd.MultiIndex.from_frame(pairs), name="ref")


def evidence_column(edges: pd.DataFrame, evidence: pd.DataFrame, limit: int | None = None,
                    ) -> pd.api.extensions.ExtensionArray:
    """The evidence string of every row of ``edges`` (``doc_id:¶paragraph`` joined by
    ``; ``, evidence in table order, at most ``limit``; NaN for an edge without evidence).

    Vectorised for tens of millions of evidence rows: each evidence row finds its edge by an
    integer key (no Python call per edge), rows are stably sorted by edge, the references
    are built by Arrow kernels and joined per edge as Arrow lists.

    >>> import pandas as pd
    >>> edges = pd.DataFrame({"source": ["a", "a"], "target": ["c", "b"]})
    >>> ev = pd.DataFrame({"source": ["a", "a", "a"], "target": ["b", "c", "b"],
    ...                    "doc_id": ["d", "d", "e"], "paragraph": [1, 2, 3]})
    >>> evidence_column(edges, ev).tolist(), evidence_column(edges, ev, 1).tolist()
    (['d:¶2', 'd:¶1; e:¶3'], ['d:¶2', 'd:¶1'])
    >>> evidence_column(edges.assign(target=["x", "b"]), ev).tolist()
    [nan, 'd:¶1; e:¶3']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = pd.StringDtype("pyarrow", na_value=np.nan)   # what a column of str infers
    if evidence.empty or edges.empty:
        return pd.array([np.nan] * len(edges), dtype=dtype)
    from graphbuild.core.tables import positions

    # integer keys hashed by Arrow (no Python string per evidence row: 30 M at Cablegate
    # scale); only evidence rows whose two ends are both edge ends are looked up at all
    ids = pd.Series(pd.unique(pd.concat([edges["source"], edges["target"]],
                                        ignore_index=True)))
    n = np.int64(len(ids))
    edge_key = positions(edges["source"], ids) * n + positions(edges["target"], ids)
    es, et = positions(evidence["source"], ids), positions(evidence["target"], ids)
    both = np.flatnonzero((es >= 0) & (et >= 0))
    row = np.full(len(evidence), -1, dtype=np.int64)
    row[both] = pd.Index(edge_key).get_indexer(es[both] * n + et[both])
    keep = np.flatnonzero(row >= 0)
    order = keep[np.argsort(row[keep], kind="stable")]   # stable: table order per edge
    take = pa.array(order)
    # Arrow all the way: tens of millions of references never become Python strings
    doc = _arrow_text(evidence["doc_id"], order)
    if pd.api.types.is_integer_dtype(evidence["paragraph"]):
        par = pc.cast(pa.array(evidence["paragraph"].to_numpy("int64")).take(take), pa.string())
    else:
        par = _arrow_text(evidence["paragraph"]).take(take)
    refs = pc.binary_join_element_wise(doc, par, ":¶")
    if isinstance(refs, pa.ChunkedArray):
        refs = refs.combine_chunks()
    counts = np.bincount(row[keep], minlength=len(edges))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype("int32"))
    lists = pa.ListArray.from_arrays(offsets, refs)
    if limit is not None:
        lists = pc.list_slice(lists, 0, limit)
    joined = pc.if_else(pa.array(counts > 0), pc.binary_join(lists, "; "), None)
    return pd.array(joined, dtype=dtype)


def _arrow_text(column: pd.Series, rows: np.ndarray | None = None):
    """``column.astype(str)`` (its ``rows`` only, when given) as one Arrow string array
    (zero-copy for Arrow-backed text; a dictionary-coded column is decoded for those rows
    only).

    >>> _arrow_text(pd.Series([1, 2])).to_pylist()
    ['1', '2']
    >>> _arrow_text(pd.Series(["x", "y", "x"], dtype="category"), np.array([2, 1])).to_pylist()
    ['x', 'y']
    """
    import pyarrow as pa

    if isinstance(column.dtype, pd.CategoricalDtype):
        names = _arrow_text(pd.Series(column.cat.categories))
        codes = column.cat.codes.to_numpy()
        codes = codes if rows is None else codes[rows]
        return names.take(pa.array(codes.astype(np.int64), mask=codes < 0))
    arr = pa.array(column.astype(str), pa.string())
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr if rows is None else arr.take(pa.array(np.asarray(rows, dtype=np.int64)))


def edges_table(edges: pd.DataFrame, evidence: pd.DataFrame,
                evidence_limit: int | None = None, top: int | None = None) -> pd.DataFrame:
    """Edges sorted by weight (strongest first) with an ``evidence`` column
    (``doc_id:¶paragraph; ...``, at most ``evidence_limit`` references per edge): the table
    of ``edges.csv``. With ``top``, only the ``top`` strongest edges (their evidence alone is
    formatted).

    >>> edges = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [1, 3],
    ...                       "documents": [1, 1]})
    >>> ev = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "doc_id": ["d", "d"],
    ...                    "paragraph": [1, 2]})
    >>> edges_table(edges, ev)[["target", "evidence"]].values.tolist()
    [['c', 'd:¶2'], ['b', 'd:¶1']]
    """
    # sort first: with ``top`` the evidence of the other (millions of) edges is never built
    if top is not None and len(edges) > top > 0:
        # only the rows that can make the top are sorted: those at least as heavy as the
        # top-th weight (every lighter row sorts after all of them)
        weights = edges["weight"].to_numpy()
        kth = np.partition(weights, len(weights) - top)[len(weights) - top]
        edges = edges[weights >= kth]
    edges = edges.sort_values(["weight", "documents", "source", "target"],
                              ascending=[False, False, True, True], kind="stable")
    edges = (edges.head(top) if top is not None else edges).copy()
    edges["evidence"] = (evidence_column(edges, evidence, evidence_limit)
                         if len(evidence) else "")
    return edges
