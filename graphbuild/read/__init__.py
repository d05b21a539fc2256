"""Read stage: files, folders and globs in, :class:`Document` objects out.

One module per input format; :func:`read_documents` detects the format of each file from its
content (``--format`` overrides) and yields documents in a stable order (sorted paths).

>>> from graphbuild.core.diagnostics import Diagnostics
>>> docs = list(read_documents(["seeds/cable_09STATE83014_annotated.txt"], Diagnostics()))
>>> docs[0].doc_id
'09STATE83014'
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.core.names import free_name
from graphbuild.read.annotations import strip_columns
from graphbuild.read.cable_html import looks_like_cable_html, parse_cable_html, unsafe_char_refs
from graphbuild.read.cable_page import canonical_ref_id, normalise_created, parse_preamble
from graphbuild.read.conll import looks_like_conll, read_conll
from graphbuild.read.document import Document, SourceMap
from graphbuild.read.jsonl import looks_like_jsonl, read_jsonl
from graphbuild.read.routing import parse_references
from graphbuild.read.textio import display_path, iter_input_paths, read_source

__all__ = ["Document", "read_documents", "read_text", "READERS", "detect_format"]

_REF_IN_NAME = re.compile(r"(?<![A-Z0-9])(\d{2}[A-Z][A-Z0-9]*?[A-Z]\d+)(?![A-Z0-9])")


Reader = Callable[[str, str, str, Diagnostics], list[Document]]


def _read_cable_html(text: str, path: str, encoding: str, diagnostics: Diagnostics,
                     ) -> list[Document]:
    body, smap, meta = parse_cable_html(text)
    refs, first = unsafe_char_refs(text)
    if refs:
        diagnostics.warn("char-reference", f"{refs} character reference(s) to control, bidi "
                         "or zero-width characters removed", path,
                         text.count("\n", 0, first) + 1, first - text.rfind("\n", 0, first))
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
    ``YYYY-MM-DD HH:MM``; tags are space-separated; the cables the ``REF:`` field cites are
    ``references`` (``; ``-separated ids, :func:`~graphbuild.read.routing.parse_references`).

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
    if "ref" in meta:
        refs = parse_references(meta["ref"], meta.get("ref_id"))
        if refs:
            meta["references"] = "; ".join(refs)
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
    """Read documents from a string (handy in notebooks and tests).

    Parameters
    ----------
    text : str
        The document: a cable page, plain text, CoNLL or JSONL.
    doc_id : str
        The id of a document that names none itself.
    fmt : str, optional
        Force the format; default: detected from the text.
    diagnostics : Diagnostics, optional
        Collects the problems found.

    Returns
    -------
    list of Document
        One document (several for CoNLL/JSONL).

    Examples
    --------
    >>> [d.doc_id for d in read_text("¶1. [PER Ana  ] met [PER Bo  ].", "d1")]
    ['d1']
    """
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
    try:
        docs = READERS[name](text, spath, encoding, diagnostics)
    except Exception as exc:   # one bad file must not end the build: report, skip it
        diagnostics.skip("reader-error", f"could not be read as {name} "
                         f"({type(exc).__name__}: {exc}); file skipped", spath)
        return []
    if docs:
        diagnostics.counts["files read"] += 1
        _unique_in_file(docs, spath, diagnostics)
    else:
        diagnostics.skip("no-document", f"no document found (read as {name})", spath)
    return docs


def _unique_in_file(docs: list[Document], path: str, diagnostics: Diagnostics) -> None:
    """Documents of one file that repeat an id (two JSONL records ``"id": "x"``) become
    ``x~2``, ``x~3``... in file order, skipping ids the file already uses; ids repeated
    across files are made unique when the corpus is assembled, by the same rule."""
    ids = [d.doc_id for d in docs]
    if len(set(ids)) == len(ids):
        return
    taken = set(ids)
    seen: set[str] = set()
    for d in docs:
        if d.doc_id not in seen:
            seen.add(d.doc_id)
            continue
        new = free_name(d.doc_id, taken, "~")
        diagnostics.warn("duplicate-doc-id", f"document id {d.doc_id!r} seen before in this "
                         f"file; this one is {new!r}", path)
        d.doc_id = new


def read_documents(inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
                   fmt: str | None = None) -> Iterator[Document]:
    """Yield the documents of every input path (files, folders, globs), in sorted order.

    Parameters
    ----------
    inputs : iterable of str or os.PathLike
        Files, folders (read recursively) or glob patterns.
    diagnostics : Diagnostics
        Collects the problems found (unreadable, binary, empty files...).
    fmt : str, optional
        Force the format (``cable-html``, ``text``, ``conll``, ``jsonl``); default: detected
        from each file's content.

    Returns
    -------
    iterator of Document
        The documents, ids as the documents give them: the extract stage makes them unique
        when it assembles the corpus tables (:func:`graphbuild.extract.assemble_chunks`).

    Raises
    ------
    InputError
        When a path does not exist.

    Examples
    --------
    >>> from graphbuild.core.diagnostics import Diagnostics
    >>> [d.doc_id for d in read_documents(["seeds"], Diagnostics())]
    ['04CARACAS3025', '09STATE83014']
    """
    for path in iter_input_paths(inputs, diagnostics):
        yield from read_file(path, diagnostics, fmt)
