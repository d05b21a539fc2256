"""Safe writing, shared by every stage that writes a file.

* One file: :func:`atomic_write` writes into a temporary sibling, flushes it to disk
  (``fsync``) and renames it over the target, so a reader sees the old file or the new
  one, never half of one, even after ``kill -9`` or a power cut.
* A whole output folder: :func:`atomic_output_dir` yields a temporary sibling folder that
  replaces the target only once every file is written (one ``renameat2(RENAME_EXCHANGE)``
  on Linux), so an interrupted build leaves the previous output complete; the user's own
  files in the old folder are carried over.
* Names derived from document ids stay inside the output folder (:func:`safe_filename`,
  :func:`safe_output_path`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import itertools
import math
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_write", "atomic_output_dir", "check_output_dir", "is_glob", "safe_filename",
           "safe_output_path", "remove_stale_temporaries", "json_safe", "MANIFEST"]

#: what :func:`atomic_write` accepts: text (UTF-8), bytes, or a function writing to the
#: binary file handle it is given (Parquet, streamed XML)
Content = str | bytes | Callable[[IO[bytes]], None]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], content: Content) -> Path:
    """Write ``content`` to ``path`` atomically and durably; returns the path.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write (its folder is created).
    content : str, bytes or callable
        Text (written as UTF-8; a lone surrogate becomes ``?`` instead of aborting the
        whole export), bytes, or ``write(fh)`` called with the binary handle of the
        temporary file.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> p = atomic_write(Path(tempfile.mkdtemp()) / "a.txt", "é")
    >>> p.read_bytes(), atomic_write(p, lambda fh: fh.write(b"x")).read_text()
    (b'\\xc3\\xa9', 'x')
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", dir=final.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(content, str):
                fh.write(content.encode("utf-8", errors="replace"))
            elif isinstance(content, bytes | bytearray | memoryview):
                fh.write(content)
            else:
                content(fh)
            fh.flush()
            os.fsync(fh.fileno())
        # the usual permissions (0o666 less the umask), not mkstemp's 0600
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final


def json_safe(value):
    """``value`` with JSON-safe leaves, for every JSON file graphbuild writes: numpy
    scalars as Python ones, NaN, infinities and ``pd.NA`` as ``None``, tuples as lists,
    keys as strings.

    >>> json_safe({"a": float("nan"), 1: (2, float("inf"))})
    {'a': None, '1': [2, None]}
    """
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is not None and type(value).__name__ == "NAType":     # pandas.NA
        return None
    return value


# --- file names from document ids ---------------------------------------------------------
_UNSAFE_NAME = re.compile(r"[^\w.\-]+")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)


def safe_filename(name: str, max_length: int = 120) -> str:
    """A file name derived from ``name`` (a document id...) that names exactly one file
    inside a folder: no separators, no ``..``, no control characters, not hidden, not a
    Windows device name, at most ``max_length`` characters.

    >>> safe_filename("../../etc/passwd"), safe_filename("09STATE83014"), safe_filename("")
    ('etc_passwd', '09STATE83014', '_')
    >>> safe_filename("CON"), safe_filename(".bashrc"), safe_filename("a/b\\\\c\\x00d")
    ('_CON', 'bashrc', 'a_b_c_d')
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = _UNSAFE_NAME.sub("_", s)
    s = re.sub(r"\.{2,}", ".", s).strip("._-") or "_"
    if _WINDOWS_RESERVED.match(s):
        s = "_" + s
    return s[:max_length].rstrip(".") or "_"


def safe_output_path(out_dir: str | os.PathLike[str], name: str, suffix: str = "") -> Path:
    """``out_dir / safe_filename(name) + suffix``, checked to lie inside ``out_dir``.

    >>> safe_output_path("out", "../x", ".html").as_posix()
    'out/x.html'
    """
    base = Path(out_dir)
    path = base / (safe_filename(name) + suffix)
    if path.resolve().parent != base.resolve():   # cannot happen after safe_filename
        raise ValueError(f"{name!r} would be written outside {base}")
    return path


# --- atomic output folder ---------------------------------------------------------------
#: hidden file listing what the last build wrote, so the next build knows which files of the
#: old folder are its own (replaced) and which are the user's (carried over)
MANIFEST = ".graphbuild-files"
_TMP_INFIX = ".graphbuild-tmp-"


def check_output_dir(out_dir: str | os.PathLike[str],
                     inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The folder a build may replace, or ``ValueError`` saying why not.

    Refused: an existing non-folder; the current folder or one of its parents; a folder
    equal to, inside or around one of ``inputs`` (the next build would read its own pages
    as documents, or replacing it would delete the inputs); a symbolic link that points
    nowhere. A symbolic link to a folder is followed: the folder it points to is replaced
    and the link stays.

    >>> check_output_dir("output").name
    'output'
    >>> try:
    ...     check_output_dir("seeds/out", ["seeds"])
    ... except ValueError as exc:
    ...     print(str(exc)[:61])
    seeds/out: the output folder is inside the input folder seeds
    """
    out = Path(out_dir)
    if out.is_symlink():
        if not out.exists():
            raise ValueError(f"{out}: a symbolic link to {os.readlink(out)!r}, which does not "
                             "exist; remove the link or give its target")
        out = Path(os.path.realpath(out))
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder")
    absolute = out.resolve()
    cwd = Path.cwd().resolve()
    if absolute == cwd or absolute in cwd.parents:
        raise ValueError(f"{out}: the output folder must not be the current folder or one "
                         "of its parents (it is replaced as a whole); use e.g. -o output/")
    for raw in inputs:
        given = os.fspath(raw)
        if is_glob(given):
            if "**" not in given:    # a flat pattern never reaches into a subfolder
                continue
            given = _glob_root(given)
        source = Path(given).resolve()
        if absolute == source or source in absolute.parents:
            where = "is" if absolute == source else "is inside"
            raise ValueError(f"{Path(out_dir)}: the output folder {where} the input "
                             f"{'folder ' if source.is_dir() else ''}{raw} (the next build "
                             "would read its own files); choose an output folder outside "
                             "the inputs")
        if absolute in source.parents:
            raise ValueError(f"{Path(out_dir)}: the input {raw} is inside the output folder, "
                             "which a build replaces as a whole; choose another output folder")
    return out


def _has_wildcard(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def is_glob(path: str) -> bool:
    """Whether an input is read as a glob pattern: it has a wildcard and no file or folder
    has that very name (``data[1].txt`` that exists is a file).

    >>> is_glob("cables/*.html"), is_glob("seeds")
    (True, False)
    """
    return _has_wildcard(path) and not os.path.lexists(path)


def _glob_root(pattern: str) -> str:
    """The folder part of a glob pattern before its first wildcard (``a/b/*.txt`` ->
    ``a/b``)."""
    parts = Path(pattern).parts
    fixed = list(itertools.takewhile(lambda p: not _has_wildcard(p), parts))
    return os.path.join(*fixed) if fixed else "."


@contextlib.contextmanager
def atomic_output_dir(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary sibling folder to write into; on success it replaces ``out_dir``.

    The swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere), so at
    every instant ``out_dir`` is either the complete previous output or the complete new
    one. Files of the old folder that the previous build did not write (listed in
    :data:`MANIFEST`) are carried over as hard links (or copies). On any exception the
    temporary folder is removed and ``out_dir`` is untouched.
    """
    final = check_output_dir(out_dir)   # a symbolic link: its target is replaced
    parent = final.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    mode = (final.stat().st_mode & 0o7777) if final.is_dir() else (0o777 & ~_umask())
    remove_stale_temporaries(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}{_TMP_INFIX}{os.getpid()}-", dir=parent))
    try:
        yield tmp
        written = sorted(p.name for p in tmp.iterdir())
        if final.is_dir():
            _carry_over(final, tmp, set(written))
        atomic_write(tmp / MANIFEST, "\n".join(written) + "\n")
        os.chmod(tmp, mode)
        _fsync_dir(tmp)
        _swap(tmp, final)
        _fsync_dir(parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)   # the old folder after a swap, else the new


def remove_stale_temporaries(out_dir: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary siblings of ``out_dir`` left by builds that were killed (their
    process is gone); returns what was removed. A running build's folder is left alone."""
    final = Path(out_dir)
    removed = []
    pattern = f".{_glob_escape(final.name)}{_TMP_INFIX}*"
    for entry in sorted(final.absolute().parent.glob(pattern)):
        pid_text = entry.name[len(final.name) + 1 + len(_TMP_INFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or not entry.is_dir() or _alive(int(pid_text)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _glob_escape(name: str) -> str:
    """``name`` with glob metacharacters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _carry_over(old: Path, new: Path, written: set[str]) -> None:
    try:
        ours = set((old / MANIFEST).read_text(encoding="utf-8").split("\n"))
    except OSError:
        ours = set()
    for entry in sorted(old.iterdir()):
        if entry.name in written or entry.name in ours or entry.name == MANIFEST:
            continue
        target = new / entry.name
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target)


def _link_or_copy(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap(tmp: Path, final: Path) -> None:
    """Put ``tmp`` at ``final``; afterwards ``tmp`` holds the old folder (if there was one)."""
    if not final.exists():
        os.rename(tmp, final)
        return
    if _exchange(tmp, final):
        return
    # No atomic exchange here: two renames, the old folder aside for an instant.
    aside = Path(tempfile.mkdtemp(prefix=f".{final.name}{_TMP_INFIX}{os.getpid()}-old-",
                                  dir=final.parent))
    aside.rmdir()
    os.rename(final, aside)
    os.rename(tmp, final)
    os.rename(aside, tmp)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux ``renameat2``; False when unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0
