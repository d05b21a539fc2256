"""Built-in tables shipped in ``graphbuild/resolve/data/`` (markings, header fields, titles,
demonyms, known variants). Plain text / CSV so an analyst can read and extend them.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources


def _read(name: str) -> str:
    return resources.files("graphbuild.resolve").joinpath("data", name).read_text("utf-8")


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in _read(name).splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def markings() -> frozenset[str]:
    """Classification and handling marking tokens (upper case).

    >>> {"SBU", "NF", "NOFORN"} <= markings()
    True
    """
    return frozenset(s.upper() for s in _lines("markings.txt"))


@cache
def header_fields() -> frozenset[str]:
    """Cable header field names, case-folded.

    >>> "decl" in header_fields()
    True
    """
    return frozenset(s.casefold() for s in _lines("header_fields.txt"))


@cache
def titles() -> tuple[tuple[str, ...], ...]:
    """Person titles and roles as case-folded token tuples, longest first.

    >>> ("dcm",) in titles() and ("foreign", "minister") in titles()
    True
    """
    out = {tuple(s.casefold().split()) for s in _lines("titles.txt")}
    return tuple(sorted(out, key=lambda t: (-len(t), t)))


def _pairs(name: str) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(_read(name))))
    return [(a.strip(), b.strip()) for a, b in rows[1:] if a.strip() and b.strip()]


@cache
def demonyms() -> dict[str, str]:
    """Demonym -> place name.

    >>> demonyms()["Venezuelan"]
    'Venezuela'
    """
    return dict(_pairs("demonyms.csv"))


@cache
def variants() -> dict[str, str]:
    """Known spelling variant -> canonical name (countries written as initials).

    >>> variants()["U.S."]
    'United States'
    """
    return {variant: canonical for canonical, variant in _pairs("variants.csv")}
