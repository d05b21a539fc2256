"""Finding input files and decoding them.

Everything that can go wrong before a reader sees text is handled here, as a warning with
the file (and line:column where there is one) rather than a crash:

* paths: a missing path or a glob matching nothing is fatal (:class:`InputError`); folders
  are walked recursively in sorted order, following directory symlinks but visiting each real
  directory once (a symlink loop is reported, not followed forever); unreadable folders,
  hidden files, other suffixes, FIFOs/devices and files reached twice are skipped *and
  counted*, so the reconciliation can say where every file went;
* bytes: empty (or whitespace-only) files, binary files and files over
  :data:`MAX_FILE_BYTES` are skipped with a warning; a UTF-8/16/32 byte order mark is
  honoured; invalid UTF-8 falls back to cp1252 (then latin-1) with a warning at the line and
  column of the first bad byte; CRLF and CR become LF; the text is then sanitised
  (:mod:`graphbuild.core.text`: NUL, controls, lone surrogates, bidi and zero-width
  characters), one warning per kind at the first one's line and column.
"""

from __future__ import annotations

import codecs
import glob
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.core.files import is_glob
from graphbuild.core.text import sanitise

#: file name suffixes a directory walk picks up (an explicit file is always read)
TEXT_SUFFIXES = {".txt", ".html", ".htm", ".conll", ".bio", ".iob", ".jsonl", ".md", ""}

#: files larger than this are skipped with a warning (a 100 MB cable dump is still read)
MAX_FILE_BYTES = 512 * 1024 * 1024

#: share of control bytes in the first 8 KiB above which a file is called binary
BINARY_THRESHOLD = 0.10

# Bytes that never occur in text: C0 controls except \t \n \f \r ESC, plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def iter_input_paths(inputs: Iterable[str | os.PathLike[str]], diagnostics: Diagnostics,
                     ) -> Iterator[Path]:
    """Expand files, directories (recursively) and globs into files, each once, sorted.

    The files come in one canonical order, sorted by path whatever the order of
    ``inputs``, so the same files give the same document order, ids and output bytes
    (a file reached by two paths is read under the first in that order). Raises
    :class:`InputError` for a path that does not exist. Every file met is counted in
    ``diagnostics.counts["files found"]``; those not yielded are recorded with
    :meth:`Diagnostics.skip` and a reason.

    >>> d = Diagnostics()
    >>> [p.name for p in iter_input_paths(["seeds"], d)], d.counts["files found"]
    (['cable_04CARACAS3025_raw.txt', 'cable_09STATE83014_annotated.txt'], 2)
    """
    found: list[Path] = []
    for raw in inputs:
        text = os.fspath(raw)
        if is_glob(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError(f"{text}: no file matches this pattern")
            candidates = [Path(m) for m in matches]
        else:
            candidates = [Path(text)]
        for path in candidates:
            if not path.exists():
                what = "broken symbolic link" if path.is_symlink() else "no such file or directory"
                raise InputError(f"{path}: {what}")
            if path.is_dir():
                found.extend(_walk(path, diagnostics))
            else:
                diagnostics.counts["files found"] += 1
                found.append(path)
    seen: set[tuple[int, int]] = set()
    for path in sorted(found, key=_path_order):
        if _accept(path, seen, diagnostics):
            yield path


def _path_order(path: Path) -> tuple[bytes, ...]:
    """Sort key of a path: its components as bytes (a file name that is not UTF-8 still
    sorts, and ``a/b`` sorts next to ``a/c``)."""
    return tuple(os.fsencode(part) for part in path.parts)


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can be printed and written as UTF-8.

    File names that are not valid UTF-8 (an archive unpacked from cp1252) reach Python with
    lone surrogates, which no UTF-8 writer accepts; their bytes are decoded like file
    contents (invalid UTF-8 bytes as cp1252).

    >>> display_path(os.fsdecode(b"caf\\xe9.txt")), display_path("seeds/a.txt")
    ('café.txt', 'seeds/a.txt')
    """
    return os.fsencode(path).decode("utf-8", errors=_FALLBACK)


def _accept(path: Path, seen: set[tuple[int, int]], diagnostics: Diagnostics) -> bool:
    """Whether a found file should be read: a regular file not read before.

    Files are identified by (device, inode), which also catches hard and symbolic links,
    at one ``stat`` per file (resolving every path component is quadratic in the depth).
    """
    spath = display_path(path)
    try:
        st = path.stat()
    except OSError as err:   # broken symlink inside a folder, permission on the parent...
        diagnostics.skip("unreadable", f"cannot read file: {err.strerror or err}", spath)
        return False
    if not stat.S_ISREG(st.st_mode):
        diagnostics.skip("not-a-file", "not a regular file (FIFO, socket or device), skipped",
                         spath)
        return False
    key = (st.st_dev, st.st_ino)
    if key in seen:
        diagnostics.skip("duplicate-path", "same file as one read before (a second path or "
                         "link to it), skipped", spath, severity="notice")
        return False
    seen.add(key)
    return True


def _walk(root: Path, diagnostics: Diagnostics) -> Iterator[Path]:
    """Candidate files under ``root`` (not hidden, an input suffix), each folder's files
    before its subfolders.

    Iterative (``os.walk`` recurses, and a hostile archive nests folders deeper than
    Python's recursion limit); follows folder symlinks, each real folder visited once.
    """
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as err:
            diagnostics.warn("unreadable-folder", f"cannot list folder: {err.strerror or err}",
                             display_path(folder))
            continue
        if (st.st_dev, st.st_ino) in visited:
            diagnostics.warn("symlink-loop", "folder already visited (symlink loop or second "
                             "link), skipped", display_path(folder))
            continue
        visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            diagnostics.warn("unreadable-folder", f"cannot list folder: {err.strerror or err}",
                             display_path(folder))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()          # follows symlinks, like os.walk(followlinks)
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name.startswith("."):
                    diagnostics.notice("hidden-folder", "hidden folder not walked",
                                       display_path(path))
                else:
                    subfolders.append(path)
                continue
            diagnostics.counts["files found"] += 1
            if entry.name.startswith("."):
                diagnostics.skip("hidden-file", "hidden file, skipped", display_path(path),
                                 severity="notice")
                continue
            if path.suffix.lower() not in TEXT_SUFFIXES:
                diagnostics.skip("skipped-suffix", f"suffix {display_path(path.suffix)!r} is "
                                 "not an input format, skipped", display_path(path),
                                 severity="notice")
                continue
            yield path
        stack.extend(reversed(subfolders))


def read_source(path: Path, diagnostics: Diagnostics, data: bytes | None = None,
                ) -> tuple[str, str] | None:
    """Read and decode one file; ``None`` (with the reason recorded) when it is skipped.

    Returns ``(text, encoding)`` with LF line ends, sanitised (:func:`sanitise_text`). ``data``: the
    file's bytes when the caller has already read them (the local engine hashes them).

    >>> text, enc = read_source(Path("seeds/cable_09STATE83014_annotated.txt"), Diagnostics())
    >>> enc, text.startswith("<code><pre>")
    ('utf-8', True)
    """
    spath = display_path(path)
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_FILE_BYTES:
            diagnostics.skip("too-large", f"{size:,} bytes is over the {MAX_FILE_BYTES:,}-byte "
                             "limit, skipped", spath)
            return None
        if data is None:
            data = path.read_bytes()
    except OSError as err:
        diagnostics.skip("unreadable", f"cannot read file: {err.strerror or err}", spath)
        return None
    # (isspace: whether strip() would leave nothing, without copying the file's bytes)
    if not data or data.isspace():
        diagnostics.skip("empty-file", "empty file, skipped", spath)
        return None
    if looks_binary(data):
        diagnostics.skip("binary-file", "looks binary (control bytes), skipped", spath)
        return None
    text, encoding = decode_bytes(data, spath, diagnostics)
    text = sanitise_text(text, spath, diagnostics)
    if not text or text.isspace():
        diagnostics.skip("empty-file", "no text after decoding, skipped", spath)
        return None
    return text, encoding


def sanitise_text(text: str, path: str, diagnostics: Diagnostics, line: int | None = None,
                  ) -> str:
    """:func:`graphbuild.core.text.sanitise` with one warning per kind of character
    found, at the file, line and column of the first one. ``line``: when ``text`` is a
    field of one line of the file (a JSON string), that line; no column is given then.

    >>> d = Diagnostics()
    >>> sanitise_text("Uri\\u200bbe\\nAna\\x00", "a.txt", d)
    'Uribe\\nAna'
    >>> [(p.code, p.line, p.column) for p in d.problems]
    [('nul-bytes', 2, 4), ('zero-width', 1, 4)]
    """
    clean = sanitise(text)
    for code, message, pos in clean.messages():
        if line is None:
            at = text.count("\n", 0, pos) + 1
            column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        else:
            at, column = line + text.count("\n", 0, pos), 0
        diagnostics.warn(code, message, path, at, column)
    return clean.text


def looks_binary(data: bytes) -> bool:
    """True when the first 8 KiB hold more than :data:`BINARY_THRESHOLD` control bytes
    (UTF-16/32 text with a byte order mark is text).

    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR")
    True
    >>> looks_binary(b"a\\x00b is text with one NUL")
    False
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
                        codecs.BOM_UTF32_BE)):
        return False
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > BINARY_THRESHOLD * len(sample)


def decode_bytes(data: bytes, source: str, diagnostics: Diagnostics) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 (BOM allowed; UTF-16/32 with a BOM), else cp1252, else
    latin-1, with a warning at the line and column of the first invalid byte.

    Returns ``(text, encoding)``. CRLF and CR line ends become ``\\n``.

    >>> decode_bytes("café".encode("cp1252"), "x.txt", Diagnostics())
    ('café', 'cp1252')
    >>> decode_bytes(b"\\xef\\xbb\\xbfa\\r\\nb\\rc", "x.txt", Diagnostics())
    ('a\\nb\\nc', 'utf-8')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
                encoding = "utf-8" if codec == "utf-8-sig" else codec
                return _normalise_newlines(text), encoding
            except UnicodeDecodeError:
                break   # a BOM followed by garbage: fall through to the fallbacks
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
            err = UnicodeDecodeError(err.encoding, data, err.start - 3, err.end - 3, err.reason)
        # Invalid bytes are decoded one by one as cp1252 (latin-1 for its 5 holes) and valid
        # UTF-8 stays UTF-8: a UTF-8 file with one stray cp1252 byte keeps its accents, and a
        # pure cp1252 file decodes exactly as with the cp1252 codec.
        text = data.decode("utf-8", errors=_FALLBACK)
        bad = _fallback_count(data)
        has_utf8 = any(b >= 0x80 for b in data) and bad < sum(b >= 0x80 for b in data)
        encoding = "utf-8+cp1252" if has_utf8 else "cp1252"
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        column = len(data[line_start:err.start].decode("utf-8", errors=_FALLBACK)) + 1
        diagnostics.warn("encoding", f"not valid UTF-8 ({bad} bad byte(s), first 0x"
                         f"{data[err.start]:02x}); decoded as {encoding}", source, line, column)
    return _normalise_newlines(text), encoding


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode the offending bytes as cp1252 (latin-1 where undefined)."""
    assert isinstance(err, UnicodeDecodeError)
    chunk = err.object[err.start:err.end]
    out = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk)
    return out, err.end


_FALLBACK = "graphbuild-cp1252"
codecs.register_error(_FALLBACK, _cp1252_fallback)


def _fallback_count(data: bytes) -> int:
    """How many bytes of ``data`` are not valid UTF-8."""
    count = 0

    def counting(err: UnicodeError) -> tuple[str, int]:
        nonlocal count
        assert isinstance(err, UnicodeDecodeError)
        count += err.end - err.start
        return "", err.end

    codecs.register_error("graphbuild-count", counting)
    data.decode("utf-8", errors="graphbuild-count")
    return count


def _normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
