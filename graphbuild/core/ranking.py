"""The one ranking of entities by a measure, used wherever "the top N" is chosen: the
entities ``graph.html`` shows, the graph files of a huge graph, ``--top``, the report's
tables, :meth:`EntityGraph.top`. The same measure gives the same order everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["rank_order"]


def _text(column: pd.Series) -> pd.Series:
    """A column as Python strings (missing values as ``"None"``, as ``str(None)``)."""
    values = column.astype(object)
    return pd.Series(["None" if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                      else str(v) for v in values.tolist()], dtype=object)


def rank_order(entities: pd.DataFrame, by: str, n: int | None = None) -> np.ndarray:
    """Row positions of ``entities`` from the highest ``by`` down.

    Parameters
    ----------
    entities : pandas.DataFrame
        A table with ``entity_id`` (and ``label``, and the column ``by``).
    by : str
        The column to rank by. Missing, NaN, infinite or non-numeric values count as 0; a
        column the table lacks ranks every row 0.
    n : int, optional
        Keep the first ``n`` positions only.

    Returns
    -------
    numpy.ndarray
        Positions (``iloc``), highest value first; ties by label, then id, as Python
        compares strings.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                      "degree": [1.0, 3.0, 3.0]})
    >>> rank_order(ents, "degree").tolist(), rank_order(ents, "degree", 1).tolist()
    ([1, 2, 0], [1])
    """
    if by in entities.columns:
        value = pd.to_numeric(entities[by], errors="coerce").astype("float64").to_numpy()
        value = np.where(np.isfinite(value), value, 0.0)
    else:
        value = np.zeros(len(entities))
    labels = entities["label"] if "label" in entities.columns else entities["entity_id"]
    key = pd.DataFrame({"v": -value, "l": _text(labels), "i": _text(entities["entity_id"])})
    order = key.sort_values(["v", "l", "i"], kind="mergesort").index.to_numpy()
    return order if n is None else order[:n]
