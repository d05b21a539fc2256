"""Restricting a corpus by document metadata (``--since --until --origin --tag
--classification``), before anything is counted."""

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

    >>> from graphbuild.read import read_text
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
        """Whether the :class:`~graphbuild.read.document.Document` ``doc`` is kept."""
        return self.keeps(doc.meta)

    def mask(self, documents: pd.DataFrame) -> pd.Series:
        """Which rows of a documents table are kept (a boolean Series on its index).

        >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "created": ["2009-06-25", None],
        ...                      "tags": ["PREL VE", ""]})
        >>> DocumentFilter(tags=["ve"]).mask(docs).tolist()
        [True, False]
        """
        cols = [c for c in ("created", "origin", "tags", "classification")
                if c in documents.columns]
        rows = documents[cols].astype(object).where(documents[cols].notna(), None)
        return pd.Series([self.keeps(dict(zip(cols, r, strict=True)))
                          for r in rows.itertuples(index=False, name=None)],
                         index=documents.index, dtype=bool)

    def keeps(self, meta) -> bool:
        """Whether a document with metadata ``meta`` (``created``, ``origin``, ``tags``,
        ``classification``) is kept."""
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
