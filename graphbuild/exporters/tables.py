"""CSV and Parquet versions of the tables."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .safety import atomic_path, atomic_write_text, safe_csv_frame


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as UTF-8 CSV with spreadsheet-formula cells neutralised, atomically."""
    text = safe_csv_frame(frame).to_csv(index=False, lineterminator="\n")
    atomic_write_text(path, text)
    return Path(path)


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a table as Parquet (typed columns preserved), atomically."""
    tmp, final = atomic_path(path)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def evidence_strings(evidence: pd.DataFrame, limit: int | None = None) -> pd.Series:
    """``doc_id:¶paragraph`` joined by ``; `` per edge, indexed by ``(source, target)``.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "doc_id": ["d", "d"],
    ...                    "paragraph": [2, 3]})
    >>> evidence_strings(ev).tolist()
    ['d:¶2; d:¶3']
    """
    if evidence.empty:
        return pd.Series(dtype="string")
    ref = evidence["doc_id"].astype(str) + ":¶" + evidence["paragraph"].astype(str)
    frame = evidence[["source", "target"]].assign(ref=ref)
    if limit is not None:
        frame = frame.groupby(["source", "target"], sort=False).head(limit)
    return frame.groupby(["source", "target"], sort=True)["ref"].agg("; ".join)
