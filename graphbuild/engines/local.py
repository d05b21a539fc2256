"""Local engine: parse files in parallel on all cores, stream the results in chunks, and
reuse the chunks of unchanged files on the next build (incremental builds).

Work is split by *files*: a batch of paths goes to a worker process, which reads, strips,
segments and extracts them (:func:`parse_batch`) and returns three small typed tables. The
parent never holds the corpus text, only the tables. With a build folder, each batch's
tables are written to Parquet as they arrive (``chunks/*.parquet``) and a manifest
(``manifest.json``) records every input file's size, mtime, SHA-256 and chunk, so the next
build re-reads only new or changed files.

The tables equal those of :func:`graphbuild.corpus.parse_corpus` on the same inputs (a test
proves it), so the rest of the pipeline cannot tell which engine ran.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from graphbuild import __version__
from graphbuild.core import tables
from graphbuild.core.diagnostics import Diagnostics, InputError, Problem
from graphbuild.extract.corpus import (
    MENTION_COLUMNS,
    PARAGRAPH_COLUMNS,
    CorpusTables,
    parse_document_columns,
)
from graphbuild.read import read_file
from graphbuild.read.textio import iter_input_paths

#: files per worker task: large enough to amortise pickling, small enough to balance cores
BATCH_FILES = 256
MANIFEST = "manifest.json"
_ORDER = ("_file", "_seq")          # internal columns: input file and row order inside it

Mapper = Callable[[Callable, list], Iterator]


@dataclass
class Chunk:
    """Parsed tables of one batch of files plus the problems found and file fingerprints."""

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, dict] = field(default_factory=dict)


@dataclass
class EngineStats:
    """What an engine did: how many files it read and how many it reused from the cache."""

    files_read: int = 0
    files_reused: int = 0
    chunks: int = 0
    workers: int = 1


def fingerprint(path: str | os.PathLike[str]) -> dict:
    """Size and mtime of a file (cheap; the SHA-256 is computed when the file is read)."""
    st = os.stat(path)
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def parse_batch(paths: Sequence[str], fmt: str | None = None) -> Chunk:
    """Read and parse ``paths`` (in order) into one :class:`Chunk`. Runs in a worker.

    >>> c = parse_batch(["seeds/cable_09STATE83014_annotated.txt"])
    >>> c.documents["doc_id"].tolist(), len(c.mentions) > 50
    (['09STATE83014'], True)
    """
    diagnostics = Diagnostics()
    docs: list[dict] = []
    # paragraphs and mentions are gathered column by column (one list per column) and typed
    # once per batch: a dict per row and DataFrame-from-records cost more than the parse
    paras: dict[str, list] = {c: [] for c in PARAGRAPH_COLUMNS}
    ments: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
    # the file of every row is kept as (file, rows) per document: see _order_columns
    para_runs: list[tuple[str, int]] = []
    ment_runs: list[tuple[str, int]] = []
    files: dict[str, dict] = {}
    for path in paths:
        p = Path(path)
        st = os.stat(p)                  # what fingerprint() does (and raises, if missing)
        info = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
        # the bytes are read once: hashed for the manifest, then decoded by the reader
        # (S_ISREG of that stat is what p.is_file() would answer)
        data = _read_regular(p, st.st_size) if stat.S_ISREG(st.st_mode) else None
        info["sha256"] = hashlib.sha256(data).hexdigest() if data is not None else ""
        files[str(path)] = info
        for doc in read_file(p, diagnostics, fmt, data):
            parsed = parse_document_columns(doc)
            diagnostics.extend(parsed.problems)
            if parsed.needs_ner:
                diagnostics.notice("no-annotations", "no inline annotations: read with 0 "
                                   "mentions (install graphbuild[ner] to run NER on raw "
                                   "documents)", parsed.document["source_path"])
            docs.append({**parsed.document, "_file": str(path), "_seq": len(docs)})
            _append(paras, parsed.paragraphs, para_runs, str(path))
            _append(ments, parsed.mentions, ment_runs, str(path))
    paras.update(_order_columns(para_runs))
    ments.update(_order_columns(ment_runs))
    mention_cols = [c for c in tables.SCHEMAS["mentions"] if c != "mention_id"]
    return Chunk(_typed(docs, list(tables.SCHEMAS["documents"])),
                 _typed_columns(paras, list(tables.SCHEMAS["paragraphs"])),
                 _typed_columns(ments, mention_cols), diagnostics.problems, files)


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


def batches(paths: Sequence[str], size: int = BATCH_FILES) -> list[list[str]]:
    """Split ``paths`` into consecutive batches of at most ``size``.

    >>> batches(["a", "b", "c"], 2)
    [['a', 'b'], ['c']]
    """
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


def process_mapper(workers: int) -> Mapper:
    """``map`` over worker processes (ordered results, streamed), or in-process for 1."""
    def run(fn: Callable, items: list) -> Iterator:
        if workers <= 1 or len(items) <= 1:
            yield from map(fn, items)
            return
        # forkserver/spawn would re-import pandas in every worker; fork shares it for free
        with get_context("fork").Pool(min(workers, len(items))) as pool:
            yield from pool.imap(fn, items)
    return run


def _parse_task(args: tuple[list[str], str | None]) -> Chunk:
    return parse_batch(*args)


class BuildFolder:
    """A build folder: ``manifest.json`` + ``chunks/NNNNNN.{documents,paragraphs,mentions}
    .parquet``. Chunks of files that changed are filtered, never re-parsed whole."""

    def __init__(self, root: str | os.PathLike[str], fmt: str | None = None):
        self.root = Path(root)
        self.chunk_dir = self.root / "chunks"
        self.fmt = fmt
        self.files: dict[str, dict] = {}
        self.next_chunk = 0
        path = self.root / MANIFEST
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            # another graphbuild version or input format: the cache says nothing valid
            if data.get("version") == __version__ and data.get("format") == fmt:
                self.files = data.get("files", {})
                self.next_chunk = int(data.get("next_chunk", 0))
        if not self.files and self.chunk_dir.exists():
            shutil.rmtree(self.chunk_dir)
        self.chunk_dir.mkdir(parents=True, exist_ok=True)

    def unchanged(self, path: str) -> bool:
        """True when ``path`` has the size and mtime recorded (then it is not read again)."""
        old = self.files.get(path)
        if old is None:
            return False
        try:
            now = fingerprint(path)
        except OSError:
            return False
        return old["size"] == now["size"] and old["mtime_ns"] == now["mtime_ns"]

    def write(self, chunk: Chunk) -> str:
        name = f"{self.next_chunk:06d}"
        self.next_chunk += 1
        for table in ("documents", "paragraphs", "mentions"):
            getattr(chunk, table).to_parquet(self.chunk_dir / f"{name}.{table}.parquet")
        problems = pd.DataFrame([p.__dict__ for p in chunk.problems],
                                columns=["code", "message", "source_path", "line", "column",
                                         "severity"])
        problems.to_parquet(self.chunk_dir / f"{name}.problems.parquet")
        for path, info in chunk.files.items():
            self.files[path] = {**info, "chunk": name}
        return name

    def load(self, keep: set[str]) -> list[Chunk]:
        """Chunks on disk restricted to the files in ``keep``; emptied chunks are deleted."""
        used = {info["chunk"] for p, info in self.files.items() if p in keep}
        out = []
        for name in sorted({info["chunk"] for info in self.files.values()}):
            parts = [self.chunk_dir / f"{name}.{t}.parquet"
                     for t in ("documents", "paragraphs", "mentions", "problems")]
            if name not in used:
                for p in parts:
                    p.unlink(missing_ok=True)
                continue
            frames = [pd.read_parquet(p) for p in parts]
            d, pa, me, pr = (f[f[col].isin(keep)] for f, col in
                             zip(frames, ("_file", "_file", "_file", "source_path"),
                                 strict=True))
            problems = [Problem(**{k: (int(v) if k in ("line", "column") else v)
                                   for k, v in row.items()})
                        for row in pr.to_dict("records")]
            out.append(Chunk(d, pa, me, problems))
        self.files = {p: info for p, info in self.files.items() if p in keep}
        return out

    def save(self) -> None:
        data = {"version": __version__, "format": self.fmt, "next_chunk": self.next_chunk,
                "files": self.files}
        tmp = self.root / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(data, indent=0, sort_keys=True), encoding="utf-8")
        tmp.replace(self.root / MANIFEST)


def input_paths(inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
                ) -> list[str]:
    """Every input file, in the order the serial reader would read them."""
    return [str(p) for p in iter_input_paths(inputs, diagnostics)]


def parse_files(inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
                fmt: str | None = None, mapper: Mapper | None = None,
                build_dir: str | os.PathLike[str] | None = None,
                batch_files: int = BATCH_FILES, stats: EngineStats | None = None,
                progress: Callable[[int], None] | None = None) -> CorpusTables:
    """Parse every input file with ``mapper`` (in-process by default) into corpus tables.

    With ``build_dir``, files unchanged since the last build (same size and mtime) are not
    read again: their rows come from the build folder's chunks.

    Raises :class:`~graphbuild.diagnostics.InputError` when no document can be read.
    """
    mapper = mapper or process_mapper(1)
    stats = stats if stats is not None else EngineStats()
    paths = input_paths(inputs, diagnostics)
    folder = BuildFolder(build_dir, fmt) if build_dir is not None else None
    todo = [p for p in paths if folder is None or not folder.unchanged(p)]
    stats.files_read = len(todo)
    stats.files_reused = len(paths) - len(todo)
    keep = set(paths) - set(todo)
    chunks = folder.load(keep) if folder is not None else []
    for chunk in mapper(_parse_task, [(b, fmt) for b in batches(todo, batch_files)]):
        stats.chunks += 1
        if folder is not None:
            folder.write(chunk)
        chunks.append(chunk)
        if progress is not None:
            progress(len(chunk.files))
    if folder is not None:
        folder.save()
    return assemble_chunks(chunks, paths, diagnostics)


def assemble_chunks(chunks: list[Chunk], paths: Sequence[str], diagnostics: Diagnostics,
                    ) -> CorpusTables:
    """Concatenate chunks in input-path order, make document ids unique (as the serial
    reader does) and number mentions; problems go to ``diagnostics`` in path order.

    ``chunks`` is emptied as its tables are taken: at Cablegate scale the chunks hold
    gigabytes, and keeping them alive next to the concatenated tables doubles the peak.
    """
    position = {p: i for i, p in enumerate(paths)}
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
    if docs.empty:
        raise InputError("no readable document in the inputs")
    diagnostics.extend(problems)
    paras = _ordered(parts.pop("paragraphs"))
    ments = _ordered(parts.pop("mentions"))
    _unique_doc_ids(docs, paras, ments, diagnostics)
    drop = ["_pos", "_seq"]
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
                        tables.conform("mentions", mentions))


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
    """Rename repeated document ids ``id~2``, ``id~3``... in reading order (in place)."""
    dup = docs["doc_id"].duplicated(keep=False)
    if not dup.any():
        return
    seen: dict[str, int] = {}
    for i in range(len(docs)):
        old = docs.at[i, "doc_id"]
        n = seen.get(old, 0) + 1
        seen[old] = n
        if n == 1:
            continue
        new = f"{old}~{n}"
        while new in seen:
            n += 1
            new = f"{old}~{n}"
        f = docs.at[i, "_pos"]
        diagnostics.warn("duplicate-doc-id", f"document id {old!r} seen before; this one "
                         f"is {new!r}", docs.at[i, "source_path"])
        docs.at[i, "doc_id"] = new
        for frame in (paras, ments):
            if not frame.empty:
                frame.loc[(frame["_pos"] == f) & (frame["doc_id"] == old), "doc_id"] = new
