"""Escaping and safe writing shared by every exporter."""

from __future__ import annotations

import os
import re
import tempfile
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
    """A copy of ``frame`` whose text cells are neutralised for spreadsheets."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralize_csv_cell, na_action="ignore")
    return out


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and rename (never a half file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
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
    return Path(tmp), final
