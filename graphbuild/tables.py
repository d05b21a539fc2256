"""The documented tables that flow between stages.

Tables are the truth; networkx graphs are views built from them. Each table is a pandas
DataFrame with the columns and dtypes below (see ``docs/tables.md`` for the meaning of every
column). ``empty(name)`` gives a correctly typed empty table, ``conform(name, df)`` orders and
types the columns of a table a stage produced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STR = "string"
INT = "int64"
FLOAT = "float64"

SCHEMAS: dict[str, dict[str, str]] = {
    # one row per input document
    "documents": {
        "doc_id": STR, "ref_id": STR, "created": STR, "origin": STR, "classification": STR,
        "tags": STR, "subject": STR, "source_path": STR, "format": STR, "encoding": STR,
        "n_chars": INT, "n_paragraphs": INT, "n_mentions": INT,
        # annotations the extract stage found (kept or not), for the reconciliation
        "n_annotations": INT,
    },
    # one row per unit of co-occurrence; paragraph numbers are the document's own
    # (0 = SUBJECT line, -1 = other header lines, -2 = signature, N = ¶N)
    "paragraphs": {
        "doc_id": STR, "paragraph": INT, "section": STR, "start": INT, "end": INT, "text": STR,
        "portion": STR,   # the paragraph's portion mark: C, S/NF, SBU... ("" when none)
    },
    # one row per annotated or recognised mention; offsets index the document's clean text
    "mentions": {
        "mention_id": INT, "doc_id": STR, "paragraph": INT, "section": STR, "start": INT,
        "end": INT, "surface": STR, "type": STR, "source": STR, "line": INT, "column": INT,
        "status": STR, "reason": STR, "entity_id": STR,
    },
    # one row per resolved entity (a node)
    "entities": {
        "entity_id": STR, "label": STR, "type": STR, "other_types": STR, "aliases": STR,
        "mentions": INT, "paragraphs": INT, "documents": INT,
    },
    # one row per undirected entity pair (source < target); npmi/jaccard/dice: cooccur.py
    "edges": {
        "source": STR, "target": STR, "weight": INT, "documents": INT, "npmi": FLOAT,
        "jaccard": FLOAT, "dice": FLOAT,
    },
    # one row per (edge, unit): the evidence behind each edge
    "evidence": {
        "source": STR, "target": STR, "doc_id": STR, "paragraph": INT,
    },
}


def empty(name: str) -> pd.DataFrame:
    """An empty table ``name`` with its documented columns and dtypes.

    >>> list(empty("edges").columns)
    ['source', 'target', 'weight', 'documents', 'npmi', 'jaccard', 'dice']
    """
    schema = SCHEMAS[name]
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items()})


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the documented columns of ``name`` first, typed; extra columns kept."""
    schema = SCHEMAS[name]
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"table {name!r} lacks columns {missing}")
    extra = [c for c in frame.columns if c not in schema]
    out = frame[list(schema) + extra].copy()
    return out.astype({c: t for c, t in schema.items()})


def positions(values: pd.Series, universe: pd.Series | pd.Index) -> np.ndarray:
    """Row of each of ``values`` in ``universe`` (-1 where absent), like
    ``pd.Index(universe).get_indexer(values)`` but hashed by Arrow in C, with no Python
    string object per row (11 M edge ends cost 1.5 GB and 3x the time as objects).

    >>> positions(pd.Series(["b", "x", "a"]), pd.Series(["a", "b"])).tolist()
    [1, -1, 0]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(column) -> pa.Array:
        try:
            return pa.chunked_array(pa.array(column, from_pandas=True)).combine_chunks()
        except (pa.ArrowInvalid, pa.ArrowTypeError):      # mixed objects: as text
            return pa.array([None if v is None else str(v) for v in column])

    def strings(column) -> pa.Array:
        a = arrow(column)
        return a.cast(pa.large_string()) if pa.types.is_string(a.type) else a

    found = pc.index_in(strings(values), value_set=strings(universe))
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
