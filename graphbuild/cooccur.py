"""Count stage: entity co-occurrence within units (paragraphs by default).

``weight`` is the number of distinct units in which both entities are mentioned (a unit
counts once however often they repeat); ``documents`` the number of distinct documents.
The ``evidence`` table keeps every (edge, unit) incidence so each edge can show the
paragraphs behind it.

Counting is vectorised: distinct (unit, entity) incidences are integer-coded and joined with
themselves on the unit (a pandas self-merge), never looped pair by pair in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import tables
from .segment import EDGE_SECTIONS


@dataclass
class Cooccurrence:
    """Result of :func:`cooccurrence`: the ``edges`` and ``evidence`` tables."""

    edges: pd.DataFrame
    evidence: pd.DataFrame


def unit_incidences(mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                    ) -> pd.DataFrame:
    """Distinct ``(doc_id, paragraph, entity_id)`` rows of kept mentions in edge sections."""
    keep = (mentions["status"].eq("kept") & mentions["entity_id"].notna()
            & mentions["section"].isin(list(sections)))
    inc = mentions.loc[keep, ["doc_id", "paragraph", "entity_id"]]
    return inc.drop_duplicates().reset_index(drop=True)


def cooccurrence(mentions: pd.DataFrame, sections: Sequence[str] = EDGE_SECTIONS,
                 ) -> Cooccurrence:
    """Count co-occurring entity pairs per unit.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"doc_id": ["d", "d", "d", "d"], "paragraph": [1, 1, 1, 2],
    ...                   "entity_id": ["a", "b", "a", "b"], "section": ["body"] * 4,
    ...                   "status": ["kept"] * 4})
    >>> cooccurrence(m).edges.values.tolist()
    [['a', 'b', 1, 1]]
    """
    inc = unit_incidences(mentions, sections)
    if inc.empty:
        return Cooccurrence(tables.empty("edges"), tables.empty("evidence"))
    ent_code, ent_names = pd.factorize(inc["entity_id"], sort=True)
    unit_code, units = pd.factorize(pd.MultiIndex.from_frame(inc[["doc_id", "paragraph"]]),
                                    sort=True)
    doc_code, doc_names = pd.factorize(inc["doc_id"], sort=True)
    codes = pd.DataFrame({"u": unit_code.astype(np.int64), "e": ent_code.astype(np.int64),
                          "d": doc_code.astype(np.int64)})
    pairs = codes.merge(codes[["u", "e"]], on="u", suffixes=("_a", "_b"))
    pairs = pairs[pairs["e_a"] < pairs["e_b"]]
    if pairs.empty:
        return Cooccurrence(tables.empty("edges"), tables.empty("evidence"))
    pairs = pairs.sort_values(["e_a", "e_b", "u"], kind="stable")
    grouped = pairs.groupby(["e_a", "e_b"], sort=True)
    weight = grouped.size()
    documents = pairs.drop_duplicates(["e_a", "e_b", "d"]).groupby(["e_a", "e_b"]).size()
    a = weight.index.get_level_values(0).to_numpy()
    b = weight.index.get_level_values(1).to_numpy()
    names = np.asarray(ent_names, dtype=object)
    edges = pd.DataFrame({"source": names[a], "target": names[b],
                          "weight": weight.to_numpy(), "documents": documents.to_numpy()})
    unit_tuples = units[pairs["u"].to_numpy()]
    evidence = pd.DataFrame({"source": names[pairs["e_a"].to_numpy()],
                             "target": names[pairs["e_b"].to_numpy()],
                             "doc_id": unit_tuples.get_level_values(0),
                             "paragraph": unit_tuples.get_level_values(1)})
    return Cooccurrence(tables.conform("edges", edges), tables.conform("evidence", evidence))
