"""The corpus-level steps of the extract stage: parse documents read in memory
(:func:`parse_corpus`), keep the documents a filter asks for (:func:`filter_documents`), and
the NER pass over the raw documents (:func:`recognize`).

Every build runs the same steps in this order, whoever parsed the files: parse (one process
or an engine's workers) -> document filter -> NER. NER runs last so a filter never pays for
recognising documents it drops, and after the annotated documents are parsed so their
mentions can be looked for in the raw ones (the corpus gazetteer).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from graphbuild.core import tables
from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.extract.batch import assemble_chunks, parse_documents_chunk
from graphbuild.extract.corpus import MENTION_COLUMNS, CorpusTables, Recognizer
from graphbuild.extract.gazetteer import corpus_spans
from graphbuild.extract.ner import is_all_caps
from graphbuild.extract.spans import repair_spans
from graphbuild.read import Document
from graphbuild.read.filters import DocumentFilter
from graphbuild.segment import segment_text

__all__ = ["parse_corpus", "filter_documents", "recognize"]

NO_NER_NOTICE = ("no inline annotations: read with 0 mentions (install graphbuild[ner] to "
                 "run NER on raw documents)")


def parse_corpus(docs: Iterable[Document], diagnostics: Diagnostics | None = None,
                 recognizer: Recognizer | None = None,
                 progress: Callable[[int], None] | None = None,
                 keep_text: bool = False) -> CorpusTables:
    """Parse documents into the three corpus tables, NER included.

    Parameters
    ----------
    docs : iterable of Document
        Documents read in memory (:func:`graphbuild.read_text`, :func:`~graphbuild.read.
        read_documents`).
    diagnostics : Diagnostics, optional
        Collects the problems found.
    recognizer : Recognizer, optional
        NER for the documents without inline annotations (:class:`~graphbuild.extract.ner.
        SpacyRecognizer`); without one they keep 0 mentions, with a notice.
    progress : callable, optional
        Called with the number of documents parsed, as they are.
    keep_text : bool
        Keep every document's clean text in ``texts`` (``graphbuild annotate``).

    Returns
    -------
    CorpusTables
        ``documents``, ``paragraphs`` and ``mentions``, the same rows a build over the same
        files gives.

    Raises
    ------
    InputError
        When there is no document.

    Examples
    --------
    >>> from graphbuild.read import read_text
    >>> c = parse_corpus(read_text("¶1. [PER Ana  ] met [LOC Lima  ].", "d1"))
    >>> c.mentions[["surface", "paragraph"]].values.tolist()
    [['Ana', 1], ['Lima', 1]]
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    docs = list(docs)
    chunk = parse_documents_chunk(docs, keep_text, progress)
    paths = list(dict.fromkeys(d.source_path or d.doc_id for d in docs))
    corpus = assemble_chunks([chunk], paths, diagnostics)
    return recognize(corpus, recognizer, diagnostics, keep_text=keep_text)


def filter_documents(corpus: CorpusTables, keep: DocumentFilter) -> tuple[CorpusTables, int]:
    """The corpus restricted to the documents ``keep`` accepts, and how many it removed.

    Raises :class:`~graphbuild.core.diagnostics.InputError` when no document is left.

    >>> from graphbuild.read import read_text
    >>> c = parse_corpus(read_text("TAGS: PREL\\nSUBJECT: X\\n\\n¶1. [PER Ana  ].", "d"))
    >>> filter_documents(c, DocumentFilter(tags=["VE"]))
    Traceback (most recent call last):
    ...
    graphbuild.core.diagnostics.InputError: none of the 1 documents matches the filters
    """
    mask = keep.mask(corpus.documents).to_numpy(bool)
    if not mask.any():
        raise InputError(f"none of the {len(mask)} documents matches the filters")
    if mask.all():
        return corpus, 0
    ids = set(corpus.documents.loc[mask, "doc_id"].astype(str))
    ments = corpus.mentions[corpus.mentions["doc_id"].isin(ids)].reset_index(drop=True)
    ments["mention_id"] = np.arange(len(ments), dtype=np.int64)
    out = CorpusTables(corpus.documents[mask].reset_index(drop=True),
                       corpus.paragraphs[corpus.paragraphs["doc_id"].isin(ids)]
                       .reset_index(drop=True), ments,
                       {d: t for d, t in corpus.texts.items() if d in ids},
                       [d for d in corpus.needs_ner if d in ids])
    return out, int((~mask).sum())


def recognize(corpus: CorpusTables, recognizer: Recognizer | None,
              diagnostics: Diagnostics, keep_text: bool = False) -> CorpusTables:
    """Run NER on the documents of ``corpus`` that have no inline annotation.

    The annotated documents' mentions (``(surface, type)`` of the kept ones) are first given
    to a recognizer that takes a gazetteer, so what analysts annotated is found in the raw
    documents too. The model's spans are repaired (:func:`~graphbuild.extract.spans.
    repair_spans`: markings cut, joined names split, edge words trimmed, demonyms typed
    MISC), and a one-word name the model took often across the corpus is added where it
    missed it (:func:`~graphbuild.extract.gazetteer.corpus_spans`). Recognised mentions are
    placed in their units like annotated ones
    (``source`` = the recognizer's name, no source line). Without a recognizer each raw
    document gets a notice. ``texts`` is emptied unless ``keep_text``.

    Returns the same ``corpus`` object, its mentions table extended.
    """
    pending = list(corpus.needs_ner)
    corpus.needs_ner = []
    if pending and recognizer is None:
        paths = dict(zip(corpus.documents["doc_id"].astype(str),
                         corpus.documents["source_path"].astype(str), strict=True))
        for doc_id in pending:
            diagnostics.notice("no-annotations", NO_NER_NOTICE, paths.get(doc_id, doc_id))
    elif pending:
        if hasattr(recognizer, "add_gazetteer"):
            m = corpus.mentions
            kept = m[m["status"].eq("kept") & m["source"].eq("annotation")]
            recognizer.add_gazetteer(sorted(set(zip(kept["surface"].astype(str),
                                                    kept["type"].astype(str), strict=True))))
        texts = [corpus.texts[d] for d in pending]
        found = [repair_spans(text, spans)
                 for text, spans in zip(texts, recognizer.recognize(texts), strict=True)]
        extra = corpus_spans(texts, found, [is_all_caps(t) for t in texts])
        found = [sorted(a + b) for a, b in zip(found, extra, strict=True)]
        rows = _recognized_rows(pending, texts, found, recognizer.name)
        _add_mentions(corpus, rows)
    if not keep_text:
        corpus.texts = {}
    return corpus


def _recognized_rows(doc_ids: list[str], texts: list[str],
                     spans: list[list[tuple[int, int, str]]], source: str) -> dict[str, list]:
    """Mention columns of recognised spans, each placed in the unit holding its start."""
    cols: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
    for doc_id, text, found in zip(doc_ids, texts, spans, strict=True):
        units = segment_text(text)
        starts = [u.start for u in units]
        for s, e, etype in found:
            k = bisect.bisect_right(starts, s) - 1
            unit = units[k] if k >= 0 else None
            cols["doc_id"].append(doc_id)
            cols["paragraph"].append(unit.paragraph if unit else -1)
            cols["section"].append(unit.section if unit else "header")
            cols["start"].append(s)
            cols["end"].append(e)
            cols["surface"].append(text[s:e])
            cols["type"].append(etype)
            cols["source"].append(source)
            cols["line"].append(0)
            cols["column"].append(0)
            cols["status"].append("kept")
            cols["reason"].append("")
            cols["entity_id"].append(None)
    return cols


def _add_mentions(corpus: CorpusTables, rows: dict[str, list]) -> None:
    """Append mention rows, keep the table in document order (stable) and renumber the
    mention ids; the documents' ``n_mentions`` follow."""
    if not rows["doc_id"]:
        return
    new = pd.DataFrame(rows)
    new.insert(0, "mention_id", 0)
    both = pd.concat([corpus.mentions, tables.conform("mentions", new)], ignore_index=True)
    order = pd.Series(np.arange(len(corpus.documents)),
                      index=corpus.documents["doc_id"].astype(str))
    position = order.reindex(both["doc_id"].astype(str)).to_numpy()
    both = both.iloc[np.argsort(position, kind="stable")].reset_index(drop=True)
    both["mention_id"] = np.arange(len(both), dtype=np.int64)
    corpus.mentions = tables.conform("mentions", both)
    counts = corpus.mentions["doc_id"].astype(str).value_counts()
    docs = corpus.documents
    docs["n_mentions"] = docs["doc_id"].astype(str).map(counts).fillna(0).astype("int64")
