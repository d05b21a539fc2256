"""Read -> segment -> extract, per document: the rows of the three tables everything else
starts from.

:func:`parse_document_columns` is a pure function of one :class:`~graphbuild.read.Document`
(picklable, so engines can run it in other processes or on a cluster): the markup is
stripped, the clean text segmented into units (:mod:`graphbuild.segment`) and every mention
placed in its unit. :mod:`graphbuild.extract.batch` gathers the rows of many documents into
the ``documents``, ``paragraphs`` and ``mentions`` tables of :mod:`graphbuild.core.tables`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import sub
from typing import Protocol

import pandas as pd

from graphbuild.core.diagnostics import Problem
from graphbuild.core.nonentities import REDACTION
from graphbuild.read import Document
from graphbuild.read.annotations import strip_columns
from graphbuild.segment import Unit, portion_mark, segment_text

META_COLUMNS = ("ref_id", "created", "origin", "classification", "tags", "subject",
                "precedence", "sent", "sent_from", "sent_to", "sent_info", "references",
                "classifier", "classifier_office", "signer")


class Recognizer(Protocol):
    """Finds mentions in raw text (NER). ``recognize`` returns ``(start, end, type)`` spans."""

    name: str

    def recognize(self, texts: list[str]) -> list[list[tuple[int, int, str]]]: ...


@dataclass
class ParsedDocument:
    """Rows of one document for the three tables, plus its problems."""

    document: dict
    paragraphs: list[dict] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    clean_text: str = ""
    needs_ner: bool = False


#: column order of a document's paragraph rows and mention rows (as in ParsedDocument)
PARAGRAPH_COLUMNS = ("doc_id", "paragraph", "section", "start", "end", "text", "portion",
                     "redactions")
MENTION_COLUMNS = ("doc_id", "paragraph", "section", "start", "end", "surface", "type",
                   "source", "line", "column", "status", "reason", "entity_id")


@dataclass
class ParsedColumns:
    """:class:`ParsedDocument` with its paragraph and mention rows as columns (one list per
    column, in :data:`PARAGRAPH_COLUMNS` / :data:`MENTION_COLUMNS` order): what the engines
    append to their tables without building a dict per row."""

    document: dict
    paragraphs: dict[str, list]
    mentions: dict[str, list]
    problems: list[Problem]
    clean_text: str
    needs_ner: bool

    def rows(self) -> ParsedDocument:
        """The same document as rows (one dict per paragraph and per mention)."""
        return ParsedDocument(self.document, _rows(self.paragraphs), _rows(self.mentions),
                              self.problems, self.clean_text, self.needs_ner)


def _rows(columns: dict[str, list]) -> list[dict]:
    """Columns -> one dict per row.

    >>> _rows({"a": [1, 2], "b": ["x", "y"]})
    [{'a': 1, 'b': 'x'}, {'a': 2, 'b': 'y'}]
    """
    names = list(columns)
    return [dict(zip(names, values, strict=True))
            for values in zip(*columns.values(), strict=True)]


def parse_document(doc: Document) -> ParsedDocument:
    """Strip annotations, segment into units and place every mention in its unit.

    Parameters
    ----------
    doc : Document
        One document as read (:func:`graphbuild.read_text`, :func:`graphbuild.read_documents`).

    Returns
    -------
    ParsedDocument
        Its ``document`` row, ``paragraphs`` and ``mentions`` rows (dicts), the problems found,
        its clean text and whether it needs NER (it has no inline annotation).

    Examples
    --------
    >>> from graphbuild.read import read_text
    >>> parsed = parse_document(read_text("¶1. [PER Ana  ] met [PER Bo  ].", "d1")[0])
    >>> [(m["surface"], m["paragraph"]) for m in parsed.mentions]
    [('Ana', 1), ('Bo', 1)]
    """
    return parse_document_columns(doc).rows()


def parse_document_columns(doc: Document) -> ParsedColumns:
    """:func:`parse_document` with the rows as columns (see :class:`ParsedColumns`).

    >>> from graphbuild.read import read_text
    >>> p = parse_document_columns(read_text("¶1. [PER Ana  ] met [LOC Lima  ].", "d1")[0])
    >>> p.mentions["surface"], p.mentions["start"], p.mentions["line"], p.mentions["column"]
    (['Ana', 'Lima'], [4, 12], [1, 1], [5, 21])
    """
    problems: list[Problem] = []
    if doc.spans is not None:
        clean = doc.text
        starts = [s for s, _, _ in doc.spans]
        cols = (starts, [e for _, e, _ in doc.spans], [clean[s:e] for s, e, _ in doc.spans],
                [t for _, _, t in doc.spans], starts, ["kept"] * len(starts),
                [""] * len(starts))
        needs_ner = False
    else:
        stripped = strip_columns(doc.text)
        clean = stripped.clean
        cols = (stripped.starts, stripped.ends, stripped.surfaces, stripped.types,
                stripped.marked, stripped.statuses, stripped.reasons)
        if stripped.findings:
            lines, columns = doc.locate_many([at for _, _, at in stripped.findings])
            problems = [Problem(code, message, doc.source_path, line, col)
                        for (code, message, _), line, col
                        in zip(stripped.findings, lines, columns, strict=True)]
        needs_ner = not stripped.has_annotations
    units = segment_text(clean, doc.units)
    document = _document_row(doc, clean, units)
    mentions = _mention_columns(doc, units, *cols, source="annotation")
    document["n_mentions"] = len(mentions["start"])
    document["n_annotations"] = len(cols[0])   # counted here for the reconciliation
    return ParsedColumns(document, _paragraph_columns(doc.doc_id, clean, units), mentions,
                         problems, clean, needs_ner)


def _document_row(doc: Document, clean: str, units: list[Unit]) -> dict:
    row = {c: doc.meta.get(c) for c in META_COLUMNS}
    if not row.get("subject"):
        subj = next((u for u in units if u.section == "subject"), None)
        if subj is not None:
            text = " ".join(clean[subj.start:subj.end].split())
            row["subject"] = text.split(":", 1)[1].strip() if ":" in text else text
    row.update(doc_id=doc.doc_id, source_path=doc.source_path, format=doc.format,
               encoding=doc.encoding, n_chars=len(clean),
               n_paragraphs=len({u.paragraph for u in units if u.section == "body"}))
    return row


def _paragraph_columns(doc_id: str, clean: str, units: list[Unit]) -> dict[str, list]:
    """One row per paragraph number; the two halves of a header around SUBJECT are one row.

    >>> from graphbuild.segment import Unit
    >>> units = [Unit(-1, "header", 0, 2), Unit(0, "subject", 2, 5), Unit(-1, "header", 5, 7)]
    >>> _paragraph_columns("d", "h SUBJ h", units)["start"]
    [0, 2]
    >>> _paragraph_columns("d", "XXXXXXXXXXXX met xxxxxxxx", [Unit(1, "body", 0, 25)]
    ...                    )["redactions"]
    [2]
    """
    merged: dict[int, list] = {}
    for u in units:
        if u.paragraph in merged:
            row = merged[u.paragraph]
            row[1], row[2] = min(row[1], u.start), max(row[2], u.end)
        else:
            merged[u.paragraph] = [u.section, u.start, u.end]
    ordered = sorted(merged.items(), key=lambda kv: kv[1][1])
    sections = [sec for _, (sec, _, _) in ordered]
    texts = [clean[s:e] for _, (_, s, e) in ordered]
    return {"doc_id": [doc_id] * len(ordered), "paragraph": [p for p, _ in ordered],
            "section": sections, "start": [s for _, (_, s, _) in ordered],
            "end": [e for _, (_, _, e) in ordered], "text": [t.strip() for t in texts],
            "portion": [portion_mark(t) if sec == "body" else ""
                        for sec, t in zip(sections, texts, strict=True)],
            # protected sources: each redaction marker is a person or group the cable hides
            "redactions": [len(REDACTION.findall(t)) if "XXXX" in t or "xxxx" in t else 0
                           for t in texts]}


def _mention_columns(doc: Document, units: list[Unit], starts: Sequence[int],
                     ends: Sequence[int], surfaces: Sequence[str], types: Sequence[str],
                     marked: Sequence[int], statuses: Sequence[str], reasons: Sequence[str],
                     source: str) -> dict[str, list]:
    """The mention columns: each mention placed in the unit holding its start, and located
    (line, column) in the source file at its marked offset (0, 0 when it has none, ``-1``).

    >>> from graphbuild.read import read_text
    >>> doc = read_text("ab\\ncd", "d")[0]
    >>> cols = _mention_columns(doc, [], [3], [5], ["cd"], ["PER"], [3], ["kept"], [""], "x")
    >>> cols["paragraph"], cols["section"], cols["line"], cols["column"]
    ([-1], ['header'], [2], [1])
    """
    n = len(starts)
    unit_starts = [u.start for u in units]
    # a mention before the first unit belongs to a header paragraph -1: index -1 picks it
    paragraphs = [u.paragraph for u in units] + [-1]
    sections = [u.section for u in units] + ["header"]
    # the unit of each mention: bisect_right(unit_starts, s) - 1, mapped in C (no bytecode
    # per mention); -1 (before the first unit) picks the header entries appended above
    where = list(map(sub, map(bisect.bisect_right, repeat(unit_starts), starts), repeat(1)))
    if n and min(marked) >= 0:
        lines, columns = doc.locate_many(marked)
    else:   # NER mentions (marked -1) have no place in the source file
        located = [doc.locate(m) if m >= 0 else (0, 0) for m in marked]
        lines, columns = [x for x, _ in located], [y for _, y in located]
    return {"doc_id": [doc.doc_id] * n, "paragraph": list(map(paragraphs.__getitem__, where)),
            "section": list(map(sections.__getitem__, where)), "start": list(starts),
            "end": list(ends),
            "surface": list(surfaces), "type": list(types), "source": [source] * n,
            "line": lines, "column": columns, "status": list(statuses),
            "reason": list(reasons), "entity_id": [None] * n}


@dataclass
class CorpusTables:
    """The parsed corpus: the ``documents``, ``paragraphs`` and ``mentions`` tables.

    ``needs_ner`` lists the documents without any inline annotation (raw documents, for
    NER) and ``texts`` holds their clean text (every document's, when asked for), keyed by
    document id; the NER pass (:func:`graphbuild.extract.recognize`) empties both.
    """

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame
    texts: dict[str, str] = field(default_factory=dict)
    needs_ner: list[str] = field(default_factory=list)
