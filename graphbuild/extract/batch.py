"""Read, segment and extract a batch of documents into table rows, and assemble the
batches into the corpus tables: the one parse path, whether one process runs it or an
engine's workers do (:mod:`graphbuild.engines`).

A batch's rows are gathered as columns and typed once; each row keeps the position of its
file (``_file``) and its order inside the batch (``_seq``), so :func:`assemble_chunks` puts
the rows of chunks that came back in any order in input order. Repeated document ids are
renamed there, once, the same way for every engine.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from graphbuild.core import tables
from graphbuild.core.diagnostics import Diagnostics, InputError, Problem
from graphbuild.core.names import free_name
from graphbuild.extract.corpus import (
    MENTION_COLUMNS,
    PARAGRAPH_COLUMNS,
    CorpusTables,
    parse_document_columns,
)
from graphbuild.read import Document, read_file

__all__ = ["Chunk", "parse_batch", "parse_documents_chunk", "assemble_chunks", "file_key"]

_ORDER = ("_file", "_seq")          # internal columns: input file and row order inside it


def file_key(path: str) -> str:
    """The text a batch's rows name their file by: the path itself, with the bytes of an
    undecodable file name (``caf\\xe9.txt`` unpacked on Linux) written as ``\\xe9``, since
    a table column cannot hold the lone surrogates Python decodes them to.

    >>> file_key("a/b.txt"), file_key(os.fsdecode(b"caf\\xe9.txt"))
    ('a/b.txt', 'caf\\\\xe9.txt')
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass
class Chunk:
    """Parsed tables of one batch of documents, the problems found, the files' fingerprints
    and, for the documents that need NER (no inline annotation), their clean text."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, dict] = field(default_factory=dict)


def parse_batch(paths: Sequence[str], fmt: str | None = None, keep_text: bool = False,
                ) -> Chunk:
    """Read and parse ``paths`` (in order) into one :class:`Chunk`: what an engine's
    worker runs on each batch of files.

    ``keep_text`` keeps the clean text of every document (``graphbuild annotate`` writes
    it back); otherwise only the documents that need NER keep theirs.

    >>> c = parse_batch(["seeds/cable_09STATE83014_annotated.txt"])
    >>> c.documents["doc_id"].tolist(), len(c.mentions) > 50
    (['09STATE83014'], True)
    """
    diagnostics = Diagnostics()
    batch = _Batch(keep_text)
    files: dict[str, dict] = {}
    for path in paths:
        p = Path(path)
        try:
            st = os.stat(p)
            # the bytes are read once: hashed for the manifest, then decoded by the reader
            # (S_ISREG of that stat is what p.is_file() would answer)
            data = _read_regular(p, st.st_size) if stat.S_ISREG(st.st_mode) else None
        except OSError as err:           # removed or locked since the folder was listed
            diagnostics.skip("unreadable", f"cannot read file: {err.strerror or err}",
                             str(path))
            continue
        info = {"size": st.st_size, "mtime_ns": st.st_mtime_ns,
                "sha256": hashlib.sha256(data).hexdigest() if data is not None else ""}
        files[str(path)] = info
        for doc in read_file(p, diagnostics, fmt, data):
            batch.add(doc, file_key(str(path)), diagnostics)
    return batch.chunk(diagnostics, files)


def parse_documents_chunk(docs: Iterable[Document], keep_text: bool = False,
                          progress: Callable[[int], None] | None = None) -> Chunk:
    """:func:`parse_batch` for documents already read (``read_text``, a notebook): the same
    rows, from the same per-document parse; a document's ``source_path`` stands for its
    file.

    >>> from graphbuild.read import read_text
    >>> parse_documents_chunk(read_text("¶1. [PER Ana  ] met [PER Bo  ].", "d")).mentions[
    ...     "surface"].tolist()
    ['Ana', 'Bo']
    """
    diagnostics = Diagnostics()
    batch = _Batch(keep_text)
    for doc in docs:
        batch.add(doc, file_key(doc.source_path or doc.doc_id), diagnostics)
        if progress is not None:
            progress(1)
    return batch.chunk(diagnostics, {})


class _Batch:
    """The rows of a batch, gathered column by column (one list per column) and typed once:
    a dict per row and DataFrame-from-records cost more than the parse."""

    def __init__(self, keep_text: bool) -> None:
        self.keep_text = keep_text
        self.docs: list[dict] = []
        self.paras: dict[str, list] = {c: [] for c in PARAGRAPH_COLUMNS}
        self.ments: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
        # the file of every row is kept as (file, rows) per document: see _order_columns
        self.para_runs: list[tuple[str, int]] = []
        self.ment_runs: list[tuple[str, int]] = []

    def add(self, doc: Document, file: str, diagnostics: Diagnostics) -> None:
        try:
            parsed = parse_document_columns(doc)
        except Exception as exc:   # one document must not end the build: skip, count, go on
            diagnostics.skip("document-error", f"document {doc.doc_id!r} could not be "
                             f"parsed ({type(exc).__name__}: {exc}); skipped",
                             doc.source_path, unit="documents")
            return
        diagnostics.extend(parsed.problems)
        text = parsed.clean_text if (parsed.needs_ner or self.keep_text) else None
        self.docs.append({**parsed.document, "_file": file, "_seq": len(self.docs),
                          "_text": text, "_ner": parsed.needs_ner})
        _append(self.paras, parsed.paragraphs, self.para_runs, file)
        _append(self.ments, parsed.mentions, self.ment_runs, file)

    def chunk(self, diagnostics: Diagnostics, files: dict[str, dict]) -> Chunk:
        self.paras.update(_order_columns(self.para_runs))
        self.ments.update(_order_columns(self.ment_runs))
        mention_cols = [c for c in tables.SCHEMAS["mentions"] if c != "mention_id"]
        documents = _typed(self.docs, list(tables.SCHEMAS["documents"]))
        documents["_text"] = pd.Series([d["_text"] for d in self.docs], dtype=object)
        documents["_ner"] = np.array([d["_ner"] for d in self.docs], dtype=bool)
        return Chunk(documents, _typed_columns(self.paras, list(tables.SCHEMAS["paragraphs"])),
                     _typed_columns(self.ments, mention_cols), diagnostics.problems, files)


def _read_regular(path: Path, size: int) -> bytes | None:
    """The bytes of the regular file ``path`` (``Path.read_bytes()``, which the caller ran
    after ``Path.is_file()``), by plain ``os`` calls: a buffered file object and a second
    ``stat`` cost more than reading a small cable. On any error the original two calls run
    again, so a file that vanished or cannot be opened behaves exactly as before."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return path.read_bytes() if path.is_file() else None
    try:
        parts = []
        # to the end of the file (it may have grown since it was stat'ed)
        while chunk := os.read(fd, 1 << 20 if parts else size + 1):
            parts.append(chunk)
    except OSError:
        return path.read_bytes() if path.is_file() else None
    finally:
        os.close(fd)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _append(table: dict[str, list], columns: dict[str, list], runs: list[tuple[str, int]],
            file: str) -> None:
    """Append one document's columns to a batch's columns, and its file and row count to
    ``runs``.

    >>> t, runs = {"a": [1]}, [("f", 1)]
    >>> _append(t, {"a": [2, 3]}, runs, "g"); t, runs
    ({'a': [1, 2, 3]}, [('f', 1), ('g', 2)])
    """
    for name, values in columns.items():
        table[name].extend(values)
    runs.append((file, len(next(iter(columns.values()))) if columns else 0))


def _order_columns(runs: list[tuple[str, int]]) -> dict:
    """The ``_file`` and ``_seq`` columns of a batch from its ``(file, rows)`` runs: the
    same values as the per-row lists ``[file] * rows`` and ``0, 1, 2...``, built without
    one Python object per row (the categories of a column are its distinct values, sorted,
    so one value per run gives them; the codes are repeated run by run).

    >>> cols = _order_columns([("b", 2), ("x", 0), ("a", 1)])
    >>> cols["_file"].tolist(), list(cols["_seq"])
    (['b', 'b', 'a'], [0, 1, 2])
    >>> bool((cols["_file"] == pd.Categorical(["b", "b", "a"])).all())
    True
    """
    kept = [(f, n) for f, n in runs if n]      # a file without rows is no category
    first = pd.Categorical([f for f, _ in kept])
    codes = np.repeat(first.codes, [n for _, n in kept])
    return {"_file": pd.Categorical.from_codes(codes, dtype=first.dtype),
            "_seq": range(len(codes))}


_SCHEMA = {**tables.SCHEMAS["documents"], **tables.SCHEMAS["paragraphs"],
           **tables.SCHEMAS["mentions"], "_file": "string", "_seq": "int64"}


def _typed(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A typed frame from row dicts (a missing key is a missing value)."""
    names = columns + list(_ORDER)
    return _typed_columns({c: [r.get(c) for r in rows] for c in names}, columns)


def _typed_columns(data: dict[str, list], columns: list[str]) -> pd.DataFrame:
    """A typed frame straight from column lists (same dtypes and values as :func:`_typed`
    on the equivalent rows).

    >>> _typed_columns({"start": [1], "surface": ["x"], "_file": ["f"], "_seq": [0]},
    ...                ["start", "surface"]).dtypes.astype(str).tolist()
    ['int64', 'string', 'category', 'int64']
    """
    frame = pd.DataFrame({c: _array(data[c], _SCHEMA[c]) for c in columns}, columns=columns)
    # the file of each row as a category: a chunk's rows come from a few hundred files, and
    # a path string per row would be most of what travels from the worker to the parent
    # (parse_batch gives it ready-made, see _order_columns)
    files, seq = data["_file"], data["_seq"]
    frame["_file"] = files if isinstance(files, pd.Categorical) else pd.Categorical(files)
    frame["_seq"] = (np.arange(seq.start, seq.stop, seq.step, dtype=np.int64)
                     if isinstance(seq, range) else np.asarray(seq, dtype=np.int64))
    return frame


def _array(values: list, dtype: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``values`` as a column of ``dtype``; strings through Arrow directly (4x faster than
    pandas' own per-element checks), else (a lone surrogate...) the pandas way."""
    if dtype == "string":
        try:
            if values and type(values[0]) is str and values.count(values[0]) == len(values):
                # one value in every row ('annotation', 'kept', ''): the same array as
                # from the list, without converting each row (list.count is a C loop)
                same = pa.repeat(pa.scalar(values[0], type=pa.large_string()), len(values))
                return pd.array(same, dtype="string")
            return pd.array(pa.array(values, type=pa.large_string()), dtype="string")
        except (pa.ArrowException, TypeError, ValueError):
            pass
    elif dtype == "int64":
        return np.array(values, dtype=np.int64)
    return pd.array(values, dtype=dtype)


def assemble_chunks(chunks: list[Chunk], paths: Sequence[str], diagnostics: Diagnostics,
                    ) -> CorpusTables:
    """Concatenate chunks in input-path order, make document ids unique and number
    mentions; problems go to ``diagnostics`` in path order. The one assembly of the corpus
    tables, whoever parsed the chunks.

    ``chunks`` is emptied as its tables are taken: at Cablegate scale the chunks hold
    gigabytes, and keeping them alive next to the concatenated tables doubles the peak.
    """
    position = {file_key(str(p)): i for i, p in enumerate(paths)}
    problems = sorted((p for c in chunks for p in c.problems),
                      key=lambda p: position.get(p.source_path, len(position)))
    parts: dict[str, list[tuple[pd.DataFrame, np.ndarray]]] = {
        "documents": [], "paragraphs": [], "mentions": []}
    while chunks:
        chunk = chunks.pop(0)
        for name, frames in parts.items():
            frames.append(_positioned(getattr(chunk, name), position))
        del chunk
    docs = _ordered(parts.pop("documents"))
    diagnostics.extend(problems)
    if docs.empty:
        raise InputError("no readable document in the inputs")
    # a file is read when a document came from it (the table is the truth, and it
    # survives workers that counted in their own diagnostics)
    diagnostics.counts["files read"] += int(docs["source_path"].nunique())
    paras = _ordered(parts.pop("paragraphs"))
    ments = _ordered(parts.pop("mentions"))
    _unique_doc_ids(docs, paras, ments, diagnostics)
    drop = ["_pos", "_seq"]
    texts = {str(i): t for i, t in zip(docs["doc_id"], docs.pop("_text"), strict=True)
             if isinstance(t, str)}
    needs_ner = [str(i) for i, n in zip(docs["doc_id"], docs.pop("_ner"), strict=True) if n]
    documents = docs.drop(columns=drop)
    paragraphs = paras.drop(columns=drop, errors="ignore")
    mentions = ments.drop(columns=drop, errors="ignore")
    del docs, paras, ments
    if paragraphs.empty:
        paragraphs = tables.empty("paragraphs")
    if mentions.empty:
        mentions = tables.empty("mentions").drop(columns=["mention_id"])
    mentions.insert(0, "mention_id", range(len(mentions)))
    return CorpusTables(tables.conform("documents", documents),
                        tables.conform("paragraphs", paragraphs),
                        tables.conform("mentions", mentions), texts, needs_ner)


def _positioned(frame: pd.DataFrame, position: dict[str, int],
                ) -> tuple[pd.DataFrame, np.ndarray]:
    """``frame`` without its ``_file`` column (taken out in place: the chunk is the
    engine's own) and the input position of each row's file: 9.5 M mention rows would
    otherwise carry 9.5 M copies of their file's path. The positions come from the
    column's categories (a chunk's few hundred files), not from its rows.

    >>> f = pd.DataFrame({"x": [1, 2, 3], "_file": pd.Categorical(["b", "a", "b"])})
    >>> rest, pos = _positioned(f, {"a": 0, "b": 7}); list(rest.columns), pos.tolist()
    (['x'], [7, 0, 7])
    """
    if "_file" not in frame:
        return frame, np.zeros(len(frame), dtype=np.int64)
    files = frame.pop("_file")
    if isinstance(files.dtype, pd.CategoricalDtype) and not files.isna().any():
        cats, codes = files.cat.categories, files.cat.codes.to_numpy()
        # only the files in use: a chunk reloaded from a build folder keeps the
        # categories of files that are gone
        used = np.flatnonzero(np.bincount(codes, minlength=len(cats)))
        where = np.full(len(cats), -1, dtype=np.int64)
        where[used] = [position[str(cats[i])] for i in used.tolist()]
        return frame, where[codes]
    codes, names = pd.factorize(files)
    where = np.array([position[str(n)] for n in names], dtype=np.int64)
    return frame, where[codes]


def _ordered(parts: list[tuple[pd.DataFrame, np.ndarray]]) -> pd.DataFrame:
    """Concatenate and sort by (input position, row order); chunks arrive in input order
    (the mapper keeps it), so the sort, a full copy, is skipped when already in order.
    The positions become the ``_pos`` column (set once, on the whole table)."""
    parts = [(f, p) for f, p in parts if not f.empty]
    if not parts:
        return pd.DataFrame()
    frame = pd.concat([f for f, _ in parts], ignore_index=True)
    pos = np.concatenate([p for _, p in parts])
    parts.clear()
    seq = frame["_seq"].to_numpy()
    frame["_pos"] = pos
    in_order = bool(np.all((pos[1:] > pos[:-1]) | ((pos[1:] == pos[:-1])
                                                    & (seq[1:] >= seq[:-1]))))
    if in_order:
        return frame
    return frame.sort_values(["_pos", "_seq"], kind="stable").reset_index(drop=True)


def _unique_doc_ids(docs: pd.DataFrame, paras: pd.DataFrame, ments: pd.DataFrame,
                    diagnostics: Diagnostics) -> None:
    """Make document ids unique (in place), by a rule that does not depend on the order
    the files were listed in.

    Documents come in canonical order (files sorted by path, then by position in the
    file). The first document with an id keeps it; each later one takes ``id~2``,
    ``id~3``..., skipping every suffixed id that any document already has, so a renamed
    duplicate can never merge into a real document called ``same~2``.
    """
    ids = docs["doc_id"].astype(str)
    dup = ids.duplicated(keep="first")
    if not dup.any():
        return
    taken = set(ids)
    for i in np.flatnonzero(dup.to_numpy()).tolist():
        old = ids.iat[i]
        new = free_name(old, taken, "~")
        f = docs.at[i, "_pos"]
        diagnostics.warn("duplicate-doc-id", f"document id {old!r} seen before; this one "
                         f"is {new!r}", docs.at[i, "source_path"])
        docs.at[i, "doc_id"] = new
        for frame in (paras, ments):
            if not frame.empty:
                frame.loc[(frame["_pos"] == f) & (frame["doc_id"] == old), "doc_id"] = new
