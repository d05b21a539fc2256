"""Read stage: files, folders and globs in, :class:`Document` objects out.

One module per input format; :func:`read_documents` detects the format of each file from its
content (``--format`` overrides) and yields documents in a stable order (sorted paths).

>>> from graphbuild.diagnostics import Diagnostics
>>> docs = list(read_documents(["seeds/cable_09STATE83014_annotated.txt"], Diagnostics()))
>>> docs[0].doc_id
'09STATE83014'
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graphbuild.core.diagnostics import Diagnostics, InputError, LineIndex
from graphbuild.read.annotations import strip_columns
from graphbuild.read.cable_html import SourceMap, looks_like_cable_html, parse_cable_html
from graphbuild.read.cable_page import canonical_ref_id, normalise_created, parse_preamble
from graphbuild.read.conll import looks_like_conll, read_conll
from graphbuild.read.jsonl import looks_like_jsonl, read_jsonl
from graphbuild.read.textio import display_path, iter_input_paths, read_source

__all__ = ["Document", "read_documents", "read_text", "READERS", "detect_format"]

_REF_IN_NAME = re.compile(r"(?<![A-Z0-9])(\d{2}[A-Z][A-Z0-9]*?[A-Z]\d+)(?![A-Z0-9])")


@dataclass
class Document:
    """A document as read: text plus where it came from.

    ``text`` may still contain inline annotations (``[PER Uribe  ]``); ``spans`` holds
    mentions a reader already knows (CoNLL, JSONL) as ``(start, end, type)`` offsets into
    ``text``; ``units`` optionally gives the reader's own segmentation as ``(start, end)``.
    ``source_map`` maps offsets of ``text`` to offsets of the source file's decoded text.
    """

    doc_id: str
    text: str
    source_path: str = ""
    format: str = "text"
    encoding: str = "utf-8"
    meta: dict[str, str] = field(default_factory=dict)
    source_map: SourceMap = field(default_factory=SourceMap.identity)
    source_text: str = ""
    spans: list[tuple[int, int, str]] | None = None
    units: list[tuple[int, int]] | None = None
    _lines: LineIndex | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False, compare=False)

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of an offset into ``text``."""
        if self._lines is None:
            self._lines = LineIndex(self.source_text or self.text)
        return self._lines.locate(self.source_map.to_source(offset))

    def locate_many(self, offsets: Sequence[int]) -> tuple[list[int], list[int]]:
        """:meth:`locate` for many offsets at once: ``(lines, columns)``.

        The line starts are computed once per document (not a ``LineIndex`` per lookup
        path) and the lookups run in one loop with local names.

        >>> d = Document("d", "ab\\ncd\\n")
        >>> d.locate_many([0, 3, 4]), [d.locate(o) for o in (0, 3, 4)]
        (([1, 2, 2], [1, 1, 2]), [(1, 1), (2, 1), (2, 2)])
        """
        sources = self.source_map.to_source_many(offsets)
        if self._line_starts is None:
            # the usual case, offsets in reading order: count the line breaks between one
            # offset and the next (linear in the text, no table of line starts to build)
            located = _locate_ascending(self.source_text or self.text, sources)
            if located is not None:
                return located
            self._line_starts = line_starts(self.source_text or self.text).tolist()
        starts, find = self._line_starts, bisect.bisect_right
        lines, columns = [], []
        for src in sources:
            i = find(starts, src) - 1      # like LineIndex.locate: the last start <= src
            lines.append(i + 1)
            columns.append(src - starts[i] + 1)
        return lines, columns


def _locate_ascending(text: str, sources: list[int]) -> tuple[list[int], list[int]] | None:
    """1-based ``(lines, columns)`` of ascending offsets into ``text`` (as the search over
    the line starts in :meth:`Document.locate_many` gives them), ``None`` when the offsets
    are not ascending or one is negative.

    The line of an offset is 1 + the line breaks before it, its column the distance to the
    last of them; both are carried from one offset to the next, so each break is counted
    once and ``rfind`` never scans further back than the previous offset.

    >>> _locate_ascending("ab\\ncd\\n", [0, 3, 4, 9]), _locate_ascending("ab", [1, 0])
    (([1, 2, 2, 3], [1, 1, 2, 4]), None)
    """
    lines, columns = [], []
    count, rfind = text.count, text.rfind
    line, last_break, prev = 1, -1, 0
    for src in sources:
        if src != prev:
            if src < prev:
                return None
            breaks = count("\n", prev, src)
            if breaks:
                line += breaks
                last_break = rfind("\n", prev, src)
            prev = src
        lines.append(line)
        columns.append(src - last_break)
    return lines, columns


def line_starts(text: str) -> np.ndarray:
    """Offsets where the lines of ``text`` start (0, then one past every newline).

    >>> line_starts("ab\\ncd\\n").tolist(), line_starts("中\\nb").tolist()
    ([0, 3, 6], [0, 2])
    """
    lengths = np.fromiter(map(len, text.split("\n")), dtype=np.int64)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return starts


Reader = Callable[[str, str, str, Diagnostics], list[Document]]


def _read_cable_html(text: str, path: str, encoding: str, diagnostics: Diagnostics,
                     ) -> list[Document]:
    body, smap, meta = parse_cable_html(text)
    meta = cable_metadata(body, meta, path, diagnostics)
    doc_id = meta.get("ref_id") or doc_id_from_path(path)
    return [Document(doc_id, body, path, "cable-html", encoding, meta, smap, text)]


def _read_plain(text: str, path: str, encoding: str, diagnostics: Diagnostics,
                ) -> list[Document]:
    meta = cable_metadata(text, {}, path, diagnostics)
    doc_id = meta.get("ref_id") or doc_id_from_path(path)
    return [Document(doc_id, text, path, "text", encoding, meta, SourceMap.identity(), text)]


def cable_metadata(text: str, table: dict[str, str], path: str, diagnostics: Diagnostics,
                   ) -> dict[str, str]:
    """Document metadata from a page's metadata table (wins) and the text's preamble.

    The reference id (from the table, else the file name when it holds one) is
    canonicalised; a repaired or malformed id is reported. ``created`` becomes ISO
    ``YYYY-MM-DD HH:MM``; tags are space-separated.

    >>> m = cable_metadata("TAGS: PREL\\nSUBJECT: X", {"ref_id": "09SECTION01OF03SANJOSE525",
    ...                    "created": "2009-06-25 18:06"}, "p.html", Diagnostics())
    >>> m["ref_id"], m["ref_id_raw"], m["created"], m["tags"], m["subject"]
    ('09SANJOSE525', '09SECTION01OF03SANJOSE525', '2009-06-25 18:06', 'PREL', 'X')
    """
    stripped = strip_columns(text)   # cached: the extract stage strips the same text
    if stripped.has_annotations:
        # read the preamble as the reader of the document will see it: without markup
        text = stripped.clean
    meta = {**parse_preamble(text), **{k: v for k, v in table.items() if v}}
    raw = table.get("ref_id")
    if not raw:
        m = _REF_IN_NAME.search(Path(path).stem)
        raw = m.group(1) if m else None
    if raw:
        ref, problem = canonical_ref_id(raw)
        meta["ref_id"] = ref
        if problem:
            meta["ref_id_raw"] = raw
            if problem == "repaired":
                diagnostics.warn("ref-id-repaired", f"malformed reference id {raw!r} "
                                 f"repaired to {ref!r}", path)
            else:
                diagnostics.warn("ref-id-malformed", f"reference id {raw!r} does not match "
                                 "NNORIGINNUMBER (e.g. 09STATE83014); kept as is", path)
    if "created" in meta:
        iso = normalise_created(meta["created"])
        if iso:
            meta["created"] = iso
        else:
            diagnostics.warn("bad-date", f"created date {meta['created']!r} not understood",
                             path)
            del meta["created"]
    return meta


#: format name -> reader(text, path, encoding, diagnostics) -> documents
READERS: dict[str, Reader] = {"cable-html": _read_cable_html, "text": _read_plain,
                               "conll": read_conll, "jsonl": read_jsonl}

#: content sniffers tried in order; later formats (CoNLL, JSONL) register themselves here
SNIFFERS: list[tuple[str, Callable[[str, str], bool]]] = [
    ("jsonl", looks_like_jsonl),
    ("conll", looks_like_conll),
    ("cable-html", lambda text, path: looks_like_cable_html(text)),
]


def detect_format(text: str, path: str = "") -> str:
    """The reader name for a decoded file, from its content."""
    for name, sniff in SNIFFERS:
        if sniff(text, path):
            return name
    return "text"


def doc_id_from_path(path: str) -> str:
    """A cable reference id found in the file name, else the file stem.

    >>> doc_id_from_path("seeds/cable_04CARACAS3025_raw.txt")
    '04CARACAS3025'
    """
    stem = Path(path).stem
    m = _REF_IN_NAME.search(stem)
    return m.group(1) if m else stem


def read_text(text: str, doc_id: str = "doc", fmt: str | None = None,
              diagnostics: Diagnostics | None = None) -> list[Document]:
    """Read documents from a string (handy in notebooks and tests)."""
    diagnostics = diagnostics or Diagnostics()
    fmt = fmt or detect_format(text)
    docs = READERS[fmt](text, f"<{doc_id}>", "utf-8", diagnostics)
    for d in docs:
        if d.doc_id in (f"<{doc_id}>", doc_id_from_path(f"<{doc_id}>")):
            d.doc_id = doc_id
        d.source_path = d.source_path or doc_id
    return docs


def read_file(path: Path, diagnostics: Diagnostics, fmt: str | None = None,
              data: bytes | None = None) -> list[Document]:
    """Read one file; unreadable, binary and empty files are reported and skipped.

    ``data``: the file's bytes, when the caller has read them already.
    """
    spath = display_path(path)
    loaded = read_source(path, diagnostics, data)
    if loaded is None:
        return []
    text, encoding = loaded
    name = fmt or detect_format(text, spath)
    if name not in READERS:
        raise InputError(f"unknown format {name!r}; known: {', '.join(sorted(READERS))}")
    docs = READERS[name](text, spath, encoding, diagnostics)
    if docs:
        diagnostics.counts["files read"] += 1
    else:
        diagnostics.skip("no-document", f"no document found (read as {name})", spath)
    return docs


def read_documents(inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
                   fmt: str | None = None) -> Iterator[Document]:
    """Yield the documents of every input path (files, folders, globs), in sorted order.

    Raises :class:`~graphbuild.diagnostics.InputError` when a path does not exist.
    Document ids are made unique (a repeated id gets ``~2``, ``~3`` with a warning).
    """
    seen: dict[str, int] = {}
    for path in iter_input_paths(inputs, diagnostics):
        for doc in read_file(path, diagnostics, fmt):
            n = seen.get(doc.doc_id, 0) + 1
            seen[doc.doc_id] = n
            if n > 1:
                new_id = f"{doc.doc_id}~{n}"
                diagnostics.warn("duplicate-doc-id", f"document id {doc.doc_id!r} seen before; "
                                 f"this one is {new_id!r}", doc.source_path)
                doc.doc_id = new_id
            yield doc
