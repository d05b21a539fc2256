"""Finding input files and decoding them."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..diagnostics import Diagnostics, InputError

#: file name suffixes a directory walk picks up (an explicit file is always read)
TEXT_SUFFIXES = {".txt", ".html", ".htm", ".conll", ".bio", ".iob", ".jsonl", ".md", ""}


def iter_input_paths(inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
                     ) -> Iterator[Path]:
    """Expand files, directories (recursively, sorted) and globs into files, each once.

    Raises :class:`InputError` for a path that does not exist. Directory symlink loops are
    walked once and reported.
    """
    seen: set[Path] = set()
    for raw in inputs:
        text = os.fspath(raw)
        if any(ch in text for ch in "*?[") and not os.path.exists(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError(f"{text}: no file matches this pattern")
            candidates = [Path(m) for m in matches]
        else:
            candidates = [Path(text)]
        for path in candidates:
            if not path.exists():
                raise InputError(f"{path}: no such file or directory")
            if path.is_dir():
                yield from _walk(path, seen, diagnostics)
            elif path.resolve() not in seen:
                seen.add(path.resolve())
                yield path


def _walk(root: Path, seen: set[Path], diagnostics: Diagnostics) -> Iterator[Path]:
    visited_dirs: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = Path(dirpath).resolve()
        if real in visited_dirs:
            diagnostics.warn("symlink-loop", f"directory visited twice (symlink loop?), "
                             f"skipped: {dirpath}", dirpath)
            dirnames[:] = []
            continue
        visited_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() not in TEXT_SUFFIXES:
                diagnostics.notice("skipped-suffix", f"not an input format, skipped: {path}",
                                   str(path))
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path


def decode_bytes(data: bytes, source: str, diagnostics: Diagnostics) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (BOM allowed), else cp1252, else latin-1, with a warning.

    Returns ``(text, encoding)``. CRLF and CR line ends become ``\\n``.

    >>> decode_bytes("café".encode("cp1252"), "x.txt", Diagnostics())
    ('café', 'cp1252')
    """
    encoding = "utf-8"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
        diagnostics.warn("encoding", f"not valid UTF-8 (byte 0x{data[err.start]:02x} at line "
                         f"{line}); decoded as {encoding}", source, line)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding
