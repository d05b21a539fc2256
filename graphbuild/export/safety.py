"""Escaping and safe writing shared by every exporter.

* XML: characters XML 1.0 forbids (control codes from OCR'd cables) are replaced
  (:func:`xml_safe`), so every GraphML/GEXF reader accepts the file.
* CSV: text cells a spreadsheet would evaluate are neutralised (:func:`neutralize_csv_cell`,
  OWASP "CSV injection").
* File names derived from document ids are sanitised and kept inside the output folder
  (:func:`safe_filename`, :func:`safe_output_path`).
* Writes are atomic: one file via a temporary file + rename (:func:`atomic_write_text`), a
  whole output folder via a temporary sibling folder swapped in at the end
  (:func:`atomic_output_dir`), so an interrupted build (even ``kill -9``) leaves the previous
  output folder complete.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

# XML 1.0 allows \t \n \r and U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """Replace characters XML 1.0 forbids (OCR control codes) by U+FFFD.

    >>> xml_safe("a\\x0cb")
    'a\\ufffdb'
    """
    return _XML_ILLEGAL.sub("\ufffd", text)


def neutralize_csv_cell(value: object) -> object:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula (OWASP CSV injection).

    >>> neutralize_csv_cell("=HYPERLINK(1)"), neutralize_csv_cell("Uribe"), neutralize_csv_cell(-3)
    ("'=HYPERLINK(1)", 'Uribe', -3)
    """
    if isinstance(value, str) and value.startswith(_CSV_TRIGGERS):
        return "'" + value
    return value


def safe_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are neutralised for spreadsheets
    (:func:`neutralize_csv_cell` on every text cell, vectorised: millions of mentions).

    >>> safe_csv_frame(pd.DataFrame({"a": ["=1", "x"], "b": [1, "+2"]})).values.tolist()
    [["'=1", 1], ['x', "'+2"]]
    >>> safe_csv_frame(pd.DataFrame({"d": pd.Categorical(["=cmd", "ok", "=cmd"])}))["d"].tolist()
    ["'=cmd", 'ok', "'=cmd"]
    """
    out = frame.copy()
    for col in out.columns:
        column = out[col]
        if isinstance(column.dtype, pd.CategoricalDtype):
            # dictionary-coded ids (the evidence table): as the text they stand for, since
            # a neutralised cell is a value the categories do not hold
            column = out[col] = column.astype(object).where(column.notna(), None)
        if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
            continue
        try:
            # non-string cells of an object column give NaN here: never neutralised
            hit = column.str.startswith(_CSV_TRIGGERS)
        except AttributeError:    # an object column without any string
            continue
        hit = hit.fillna(False).astype(bool).to_numpy()
        if hit.any():
            out.loc[hit, col] = "'" + column[hit].astype(str)
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename (never a half file).

    The file gets the usual permissions (``0o666`` less the umask), not ``mkstemp``'s 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # errors="replace": a lone surrogate (from an undecodable file name or a JSON
        # escape) becomes "?" instead of aborting the whole export
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_path(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``(temporary, final)`` paths for writers that need a file name (Parquet, GraphML)."""
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", dir=final.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    return Path(tmp), final


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
    root = base.resolve()
    if path.resolve().parent != root:   # cannot happen after safe_filename; belt and braces
        raise ValueError(f"{name!r} would be written outside {base}")
    return path


# --- atomic output folder ---------------------------------------------------------------
#: hidden file listing what the last build wrote, so the next build knows which files of the
#: old folder are its own (replaced) and which are the user's (carried over)
MANIFEST = ".graphbuild-files"
_TMP_INFIX = ".graphbuild-tmp-"


def check_output_dir(out_dir: str | os.PathLike[str]) -> Path:
    """Refuse output folders whose replacement would pull the floor from under the user:
    an existing non-folder, the current folder or one of its parents. Raises ``ValueError``.

    >>> check_output_dir("output").name
    'output'
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder")
    absolute = out.resolve()
    cwd = Path.cwd().resolve()
    if absolute == cwd or absolute in cwd.parents:
        raise ValueError(f"{out}: the output folder must not be the current folder or one "
                         "of its parents (it is replaced as a whole); use e.g. -o output/")
    return out


@contextlib.contextmanager
def atomic_output_dir(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary sibling folder to write into; on success it replaces ``out_dir``.

    The swap is one ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere), so at
    every instant ``out_dir`` is either the complete previous output or the complete new
    one. Files of the old folder that the previous build did not write (listed in
    :data:`MANIFEST`) are carried over as hard links (or copies). On any exception the
    temporary folder is removed and ``out_dir`` is untouched.
    """
    final = check_output_dir(out_dir)
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
        (tmp / MANIFEST).write_text("\n".join(written) + "\n", encoding="utf-8")
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
    for entry in sorted(final.absolute().parent.glob(f".{glob_escape(final.name)}{_TMP_INFIX}*")):
        pid_text = entry.name[len(final.name) + 1 + len(_TMP_INFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or not entry.is_dir() or _alive(int(pid_text)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def glob_escape(name: str) -> str:
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
