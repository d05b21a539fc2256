"""Escaping shared by every exporter (safe *writing* is :mod:`graphbuild.core.files`).

* XML: characters XML 1.0 forbids (control codes from OCR'd cables) are replaced
  (:func:`xml_safe`), so every GraphML/GEXF reader accepts the file.
* CSV: text cells a spreadsheet would evaluate are neutralised (:func:`neutralize_csv_cell`,
  OWASP "CSV injection").
"""

from __future__ import annotations

import re

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
