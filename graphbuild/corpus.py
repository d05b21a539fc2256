"""Read -> segment -> extract, per document: the three tables everything else starts from.

:func:`parse_document` is a pure function of one :class:`~graphbuild.readers.Document`
(picklable, so engines can run it in other processes or on a cluster);
:func:`parse_corpus` concatenates its rows into the ``documents``, ``paragraphs`` and
``mentions`` tables documented in :mod:`graphbuild.tables`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from . import tables
from .diagnostics import Diagnostics, Problem
from .extract import has_annotations, strip_annotations
from .readers import Document
from .segment import Unit, portion_mark, segment_text

META_COLUMNS = ("ref_id", "created", "origin", "classification", "tags", "subject")


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


def parse_document(doc: Document) -> ParsedDocument:
    """Strip annotations, segment into units and place every mention in its unit.

    >>> from graphbuild.readers import read_text
    >>> parsed = parse_document(read_text("¶1. [PER Ana  ] met [PER Bo  ].", "d1")[0])
    >>> [(m["surface"], m["paragraph"]) for m in parsed.mentions]
    [('Ana', 1), ('Bo', 1)]
    """
    problems: list[Problem] = []
    if doc.spans is not None:
        clean = doc.text
        raw = [(s, e, doc.text[s:e], t, s, "kept", "", "annotation") for s, e, t in doc.spans]
    else:
        clean, annotations, findings = strip_annotations(doc.text)
        raw = [(a.start, a.end, a.surface, a.type, a.marked_start, a.status, a.reason,
                "annotation") for a in annotations]
        for f in findings:
            line, col = doc.locate(f.marked_start)
            problems.append(Problem(f.code, f.message, doc.source_path, line, col))
    units = segment_text(clean, doc.units)
    parsed = ParsedDocument(_document_row(doc, clean, units), clean_text=clean)
    parsed.paragraphs = _paragraph_rows(doc.doc_id, clean, units)
    parsed.mentions = _place_mentions(doc, units, raw)
    parsed.problems = problems
    if doc.spans is None and not has_annotations(doc.text):
        parsed.needs_ner = True
    parsed.document["n_mentions"] = len(parsed.mentions)
    parsed.document["n_annotations"] = len(raw)   # counted here for the reconciliation
    return parsed


def add_recognized(parsed: ParsedDocument, doc: Document, spans: list[tuple[int, int, str]],
                   source: str) -> None:
    """Attach NER spans (offsets into ``parsed.clean_text``) to a parsed document."""
    units = segment_text(parsed.clean_text, doc.units)
    raw = [(s, e, parsed.clean_text[s:e], t, -1, "kept", "", source) for s, e, t in spans]
    parsed.mentions = _place_mentions(doc, units, raw)
    parsed.document["n_mentions"] = len(parsed.mentions)
    parsed.needs_ner = False


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


def _paragraph_rows(doc_id: str, clean: str, units: list[Unit]) -> list[dict]:
    """One row per paragraph number; the two halves of a header around SUBJECT are one row."""
    merged: dict[int, list] = {}
    for u in units:
        if u.paragraph in merged:
            row = merged[u.paragraph]
            row[1], row[2] = min(row[1], u.start), max(row[2], u.end)
        else:
            merged[u.paragraph] = [u.section, u.start, u.end]
    return [{"doc_id": doc_id, "paragraph": p, "section": sec, "start": s, "end": e,
             "text": clean[s:e].strip(),
             "portion": portion_mark(clean[s:e]) if sec == "body" else ""}
            for p, (sec, s, e) in sorted(merged.items(), key=lambda kv: kv[1][1])]


def _place_mentions(doc: Document, units: list[Unit], raw: list[tuple]) -> list[dict]:
    starts = [u.start for u in units]
    rows = []
    for start, end, surface, etype, marked, status, reason, source in raw:
        i = bisect.bisect_right(starts, start) - 1
        unit = units[i] if i >= 0 else Unit(-1, "header", 0, 0)
        line, col = doc.locate(marked) if marked >= 0 else (0, 0)
        rows.append({"doc_id": doc.doc_id, "paragraph": unit.paragraph,
                     "section": unit.section, "start": start, "end": end, "surface": surface,
                     "type": etype, "source": source, "line": line, "column": col,
                     "status": status, "reason": reason, "entity_id": None})
    return rows


@dataclass
class CorpusTables:
    """The parsed corpus: ``documents``, ``paragraphs`` and ``mentions`` tables."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame


def parse_corpus(docs: Iterable[Document], diagnostics: Diagnostics | None = None,
                 recognizer: Recognizer | None = None, progress=None) -> CorpusTables:
    """Parse documents into the three corpus tables.

    Documents without any annotation go through ``recognizer`` (NER) when one is given;
    otherwise they are kept with 0 mentions and a notice.
    """
    diagnostics = diagnostics or Diagnostics()
    parsed_docs: list[ParsedDocument] = []
    originals: list[Document] = []
    for doc in docs:
        parsed = parse_document(doc)
        diagnostics.extend(parsed.problems)
        parsed_docs.append(parsed)
        originals.append(doc)
        if progress is not None:
            progress()
    pending = [i for i, p in enumerate(parsed_docs) if p.needs_ner]
    if pending and recognizer is not None and hasattr(recognizer, "add_gazetteer"):
        # gazetteer propagation: what analysts annotated is looked for in the raw documents
        recognizer.add_gazetteer(sorted({(m["surface"], m["type"]) for p in parsed_docs
                                         for m in p.mentions if m["status"] == "kept"}))
    if pending and recognizer is not None:
        spans = recognizer.recognize([parsed_docs[i].clean_text for i in pending])
        for i, doc_spans in zip(pending, spans, strict=True):
            add_recognized(parsed_docs[i], originals[i], doc_spans, recognizer.name)
    for p in parsed_docs:
        if p.needs_ner:
            diagnostics.notice("no-annotations", "no inline annotations: read with 0 mentions "
                               "(install graphbuild[ner] to run NER on raw documents)",
                               p.document["source_path"])
    return assemble(parsed_docs)


def assemble(parsed_docs: list[ParsedDocument]) -> CorpusTables:
    """Concatenate per-document rows into typed tables; mention ids follow document order."""
    documents = pd.DataFrame([p.document for p in parsed_docs],
                             columns=list(tables.SCHEMAS["documents"]))
    paragraphs = pd.DataFrame([r for p in parsed_docs for r in p.paragraphs],
                              columns=list(tables.SCHEMAS["paragraphs"]))
    mention_cols = [c for c in tables.SCHEMAS["mentions"] if c != "mention_id"]
    mentions = pd.DataFrame([r for p in parsed_docs for r in p.mentions], columns=mention_cols)
    mentions.insert(0, "mention_id", range(len(mentions)))
    return CorpusTables(tables.conform("documents", documents),
                        tables.conform("paragraphs", paragraphs),
                        tables.conform("mentions", mentions))
