"""Write documents back in the inline annotation form ``[TYPE text  ]``.

``graphbuild annotate INPUT -o DIR`` reads raw (or already annotated) documents, finds
their mentions (NER for raw ones) and writes one ``<doc_id>.txt`` per document: the clean
text with every kept mention wrapped as ``[PER Uribe  ]``. Reading that folder gives the
same mention table (same clean text, same paragraphs, same offsets), so an analyst can
correct the NER output by hand and build again.

A mention that cannot be written inline without changing the text (it overlaps another,
contains a bracket or surrounding blanks) is left out with a warning, never silently. A
bracket of the text that could be read as markup is written ``\\[`` (the reader's escape),
so what a raw document says can never become an entity.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.core.files import atomic_write
from graphbuild.export.tables import write_csv
from graphbuild.extract import CorpusTables
from graphbuild.read.annotations import escape_brackets

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._~\-]+")


def inline(text: str, mentions: Iterable[tuple[int, int, str]],
           diagnostics: Diagnostics | None = None, source: str = "") -> str:
    """``text`` with each ``(start, end, type)`` mention written as ``[TYPE surface  ]``.

    >>> inline("Uribe met Chavez in Caracas.", [(0, 5, "PER"), (10, 16, "PER"), (20, 27, "LOC")])
    '[PER Uribe  ] met [PER Chavez  ] in [LOC Caracas  ].'

    Brackets of the text that the reader could take for markup are escaped
    (:func:`~graphbuild.read.annotations.escape_brackets`), so a raw document cannot plant
    an entity:

    >>> print(inline("[ORG Fake  ] met Ana", [(17, 20, "PER")]))
    \\[ORG Fake  ] met [PER Ana  ]
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
        out.append(escape_brackets(text[pos:start]))
        out.append(f"[{etype} {surface}  ]")
        pos = end
    out.append(escape_brackets(text[pos:]))
    return "".join(out)


def file_name(doc_id: str) -> str:
    """A safe file name for a document id.

    >>> file_name("09STATE83014"), file_name("a/b c"), file_name("..")
    ('09STATE83014.txt', 'a_b_c.txt', 'document.txt')
    """
    # never hidden (a leading dot), never empty: a walk of the folder skips hidden files
    return (_UNSAFE_ID.sub("_", doc_id).strip("._") or "document") + ".txt"


def write_annotated(corpus: CorpusTables, out_dir: str | os.PathLike[str],
                    diagnostics: Diagnostics) -> list[Path]:
    """Write ``<doc_id>.txt`` (the clean text with its kept mentions inline) per document
    and ``documents.csv``. ``corpus`` must hold every document's text
    (:func:`graphbuild.parse_corpus` with ``keep_text=True``).

    >>> import tempfile
    >>> from graphbuild.extract import parse_corpus
    >>> from graphbuild.read import read_text
    >>> c = parse_corpus(read_text("¶1. [PER Ana  ] met [LOC Lima  ].", "d1"), keep_text=True)
    >>> [p.read_text() for p in write_annotated(c, tempfile.mkdtemp(), Diagnostics())]
    ['¶1. [PER Ana  ] met [LOC Lima  ].']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    used: set[str] = set()
    m = corpus.mentions
    kept = m[m["status"].eq("kept") & (m["end"] > m["start"])]
    by_doc = {str(d): list(zip(g["start"].tolist(), g["end"].tolist(),
                               g["type"].astype(str).tolist(), strict=True))
              for d, g in kept.groupby(kept["doc_id"].astype(str), sort=False)}
    for doc_id, source in zip(corpus.documents["doc_id"].astype(str),
                              corpus.documents["source_path"].astype(str), strict=True):
        name = file_name(doc_id)
        stem, n = name[:-4], 2
        while name in used:
            name = f"{stem}~{n}.txt"
            n += 1
        used.add(name)
        text = inline(corpus.texts.get(doc_id, ""), by_doc.get(doc_id, []), diagnostics,
                      source)
        paths.append(atomic_write(out / name, text))
    write_csv(corpus.documents, out / "documents.csv")
    return paths
