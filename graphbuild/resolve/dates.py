"""When each entity was seen: the earliest and latest ``created`` date of the documents
that mention it (the ``first_seen``/``last_seen`` columns of the entities table)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphbuild.core.tables import positions, sorted_codes

__all__ = ["seen_dates"]


def seen_dates(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``first_seen``/``last_seen`` per ``entity_id``: the earliest and latest ``created``
    of the documents that mention it (``""`` when none of them is dated).

    >>> m = pd.DataFrame({"entity_id": ["a", "a", "b"], "doc_id": ["d1", "d2", "d3"]})
    >>> d = pd.DataFrame({"doc_id": ["d1", "d2", "d3"],
    ...                   "created": ["2009-01-02 10:00", "2004-05-06 11:00", None]})
    >>> seen_dates(m, d).values.tolist()
    [['2004-05-06 11:00', '2009-01-02 10:00'], ['', '']]
    """
    ids = mentions["entity_id"]
    known = ids.notna().to_numpy()
    # the whole columns coded by Arrow, then the known rows' codes taken (no copy of
    # millions of strings, no Python string per row); codes are ranks among sorted ids
    entity_code, entity_names, _ = sorted_codes(ids)
    entity_code = entity_code[known]
    # dates as ranks (sorted ISO strings sort as dates): a groupby over integers, not over
    # millions of strings; -1 = undated or unknown document
    date_rank, dates = pd.factorize(documents["created"], sort=True)
    doc_row = positions(mentions["doc_id"], documents["doc_id"])[known]
    rank = np.where(doc_row >= 0, date_rank[np.maximum(doc_row, 0)], -1)
    dated = rank >= 0
    grouped = pd.Series(rank[dated]).groupby(entity_code[dated])
    labels = np.append(np.asarray(dates, dtype=object), "")     # rank -1 -> ""
    first = grouped.min().reindex(range(len(entity_names)), fill_value=-1).to_numpy()
    last = grouped.max().reindex(range(len(entity_names)), fill_value=-1).to_numpy()
    return pd.DataFrame({"first_seen": labels[first].astype(str),
                         "last_seen": labels[last].astype(str)},
                        index=pd.Index(np.asarray(entity_names, dtype=object)))
