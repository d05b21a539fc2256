"""Write documents back in the inline annotation form ``[TYPE text  ]``.

``graphbuild annotate INPUT -o DIR`` reads raw (or already annotated) documents, finds
their mentions (NER for raw ones) and writes one ``<doc_id>.txt`` per document: the clean
text with every kept mention wrapped as ``[PER Uribe  ]``. Reading that folder gives the
same mention table (same clean text, same paragraphs, same offsets), so an analyst can
correct the NER output by hand and build again.

A mention that cannot be written inline without changing the text (it overlaps another,
contains a bracket or surrounding blanks) is left out with a warning, never silently.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from graphbuild.core import tables
from graphbuild.core.diagnostics import Diagnostics
from graphbuild.export.tables import write_csv
from graphbuild.extract.corpus import ParsedDocument, Recognizer, add_recognized, parse_document
from graphbuild.read import Document

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._~\-]+")


def inline(text: str, mentions: Iterable[tuple[int, int, str]],
           diagnostics: Diagnostics | None = None, source: str = "") -> str:
    """``text`` with each ``(start, end, type)`` mention written as ``[TYPE surface  ]``.

    >>> inline("Uribe met Chavez in Caracas.", [(0, 5, "PER"), (10, 16, "PER"), (20, 27, "LOC")])
    '[PER Uribe  ] met [PER Chavez  ] in [LOC Caracas  ].'
    """
    out: list[str] = []
    pos = 0
    for start, end, etype in sorted(mentions):
        surface = text[start:end]
        why = None
        if start < pos:
            why = "overlaps the previous mention"
        elif not surface or surface != surface.strip():
            why = "is empty or has surrounding blanks"
        elif "[" in surface or "]" in surface:
            why = "contains a bracket"
        if why:
            if diagnostics is not None:
                diagnostics.warn("annotate-skipped", f"mention {surface!r} ({etype}) at "
                                 f"{start}-{end} {why}; not written inline", source)
            continue
        out.append(text[pos:start])
        out.append(f"[{etype} {surface}  ]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def annotate_documents(docs: Iterable[Document], recognizer: Recognizer | None,
                       diagnostics: Diagnostics) -> list[ParsedDocument]:
    """Parse documents and run ``recognizer`` on those without annotations (as a build does,
    gazetteer propagation included)."""
    docs = list(docs)
    parsed = [parse_document(d) for d in docs]
    for p in parsed:
        diagnostics.extend(p.problems)
    pending = [i for i, p in enumerate(parsed) if p.needs_ner]
    if pending and recognizer is not None:
        if hasattr(recognizer, "add_gazetteer"):
            recognizer.add_gazetteer(sorted({(m["surface"], m["type"]) for p in parsed
                                             for m in p.mentions if m["status"] == "kept"}))
        spans = recognizer.recognize([parsed[i].clean_text for i in pending])
        for i, doc_spans in zip(pending, spans, strict=True):
            add_recognized(parsed[i], docs[i], doc_spans, recognizer.name)
    return parsed


def file_name(doc_id: str) -> str:
    """A safe file name for a document id.

    >>> file_name("09STATE83014"), file_name("a/b c")
    ('09STATE83014.txt', 'a_b_c.txt')
    """
    return _UNSAFE_ID.sub("_", doc_id).strip("._") + ".txt"


def write_annotated(parsed: list[ParsedDocument], out_dir: str | os.PathLike[str],
                    diagnostics: Diagnostics) -> list[Path]:
    """Write ``<doc_id>.txt`` (inline annotations) per document and ``documents.csv``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    used: set[str] = set()
    for p in parsed:
        name = file_name(p.document["doc_id"])
        stem, n = name[:-4], 2
        while name in used:
            name = f"{stem}~{n}.txt"
            n += 1
        used.add(name)
        kept = [(m["start"], m["end"], m["type"]) for m in p.mentions
                if m["status"] == "kept" and m["end"] > m["start"]]
        text = inline(p.clean_text, kept, diagnostics, p.document["source_path"])
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    docs = pd.DataFrame([p.document for p in parsed], columns=list(tables.SCHEMAS["documents"]))
    write_csv(tables.conform("documents", docs), out / "documents.csv")
    return paths
