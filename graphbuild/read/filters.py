"""Document metadata in use: restricting a corpus (``--since --until --origin --tag
--classification``) and dating entities (``first_seen``/``last_seen``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from graphbuild.core.diagnostics import InputError

_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?: \d{2}:\d{2})?)?)?$")


@dataclass
class DocumentFilter:
    """Which documents to keep, from their metadata; every given criterion must hold.

    ``since``/``until`` are ISO dates or prefixes (``2009``, ``2009-06``, ``2009-06-25``),
    both inclusive, compared with ``created``; a document without a date fails a date
    criterion. ``origins``: case-insensitive substrings (``caracas`` keeps ``Embassy
    Caracas``). ``tags``: the document has at least one of them. ``classifications``:
    ``SECRET`` keeps ``SECRET`` and ``SECRET//NOFORN``.

    >>> from graphbuild.readers import read_text
    >>> doc = read_text("TAGS: PREL VE\\nSUBJECT: X", "d")[0]
    >>> doc.meta.update(created="2009-06-25 18:06", origin="Embassy Caracas",
    ...                 classification="SECRET//NOFORN")
    >>> DocumentFilter(since="2009-06", tags=["ve"], classifications=["secret"])(doc)
    True
    >>> DocumentFilter(until="2008")(doc), DocumentFilter(origins=["Lima"])(doc)
    (False, False)
    """

    since: str | None = None
    until: str | None = None
    origins: Sequence[str] = field(default_factory=list)
    tags: Sequence[str] = field(default_factory=list)
    classifications: Sequence[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not _DATE.match(value.strip()):
                raise InputError(f"--{name} {value!r}: use an ISO date such as 2009, 2009-06 "
                                 "or 2009-06-25")
        self.origins = [o.strip().lower() for o in self.origins if o.strip()]
        self.tags = [t.strip().upper() for t in self.tags if t.strip()]
        self.classifications = [c.strip().upper() for c in self.classifications if c.strip()]

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.origins or self.tags
                    or self.classifications)

    def __call__(self, doc) -> bool:
        meta = doc.meta
        created = (meta.get("created") or "").strip()
        if self.since and (not created or created < self.since.strip()):
            return False
        if self.until and (not created or created[:len(self.until.strip())]
                           > self.until.strip()):
            return False
        if self.origins:
            origin = (meta.get("origin") or "").lower()
            if not any(o in origin for o in self.origins):
                return False
        if self.tags:
            tags = set((meta.get("tags") or "").upper().split())
            if not tags.intersection(self.tags):
                return False
        if self.classifications:
            cls = (meta.get("classification") or "").upper()
            if not any(cls == c or cls.startswith(c + "//") for c in self.classifications):
                return False
        return True


def seen_dates(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """``first_seen``/``last_seen`` per ``entity_id``: the earliest and latest ``created``
    of the documents that mention it (``""`` when none of them is dated).

    >>> m = pd.DataFrame({"entity_id": ["a", "a", "b"], "doc_id": ["d1", "d2", "d3"]})
    >>> d = pd.DataFrame({"doc_id": ["d1", "d2", "d3"],
    ...                   "created": ["2009-01-02 10:00", "2004-05-06 11:00", None]})
    >>> seen_dates(m, d).values.tolist()
    [['2004-05-06 11:00', '2009-01-02 10:00'], ['', '']]
    """
    import numpy as np

    from graphbuild.core.tables import positions
    from graphbuild.count.cooccur import _sorted_codes

    ids = mentions["entity_id"]
    known = ids.notna().to_numpy()
    # the whole columns coded by Arrow, then the known rows' codes taken (no copy of
    # millions of strings, no Python string per row); codes are ranks among sorted ids
    entity_code, entity_names, _ = _sorted_codes(ids)
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
