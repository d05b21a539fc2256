"""The knowledge tables every stage shares, shipped in ``graphbuild/data/`` as plain text or
CSV so an analyst can read and extend them: classification markings, cable header field
names, person titles and roles, demonyms, known spelling variants, the preferred casing of
cable words (for recasing all-caps cables) and a list of common English words.
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from importlib import resources

__all__ = ["markings", "header_fields", "titles", "demonyms", "countries", "variants",
           "truecase_table", "english_words", "generic_words", "offices", "institutions",
           "demonyms_folded"]


def _read(name: str) -> str:
    return resources.files("graphbuild").joinpath("data", name).read_text("utf-8")


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in _read(name).splitlines()
            if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def ambiguous_places() -> frozenset[str]:
    """Place names that name several places (casefolded): Georgia, Valencia...

    >>> {"georgia", "valencia"} <= ambiguous_places()
    True
    """
    return frozenset(ln.split("#")[0].strip().casefold() for ln in _lines("ambiguous_places.txt"))


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
def offices() -> frozenset[str]:
    """State Department bureau and office symbols and US agencies (``WHA``, ``INL/LP``,
    ``USAID``), as written.

    >>> {"WHA", "INL/LP", "USAID"} <= offices()
    True
    """
    return frozenset(_lines("offices.txt"))


@cache
def institutions() -> dict[str, frozenset[str] | None]:
    """Institutions every country has under one name (``MFA``, ``Ministry of Defense``,
    ``Central Bank``), as written, with the host countries a name is limited to (``None``:
    any; ``Congress``: the countries whose legislature is one).

    >>> institutions()["MFA"] is None, "Colombia" in institutions()["Congress"]
    (True, True)
    """
    out: dict[str, frozenset[str] | None] = {}
    for line in _lines("institutions.txt"):
        name, _, where = line.partition("|")
        out[name.strip()] = (frozenset(c.strip() for c in where.split(",") if c.strip())
                             if where else None)
    return out


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
def demonyms_folded() -> dict[str, str]:
    """Case-folded demonym -> place name (``venezuelan`` -> ``Venezuela``).

    >>> demonyms_folded()["venezuelan"]
    'Venezuela'
    """
    return {d.casefold(): p for d, p in demonyms().items()}


@cache
def countries() -> frozenset[str]:
    """Country and region names (the places of :func:`demonyms`), case-folded.

    >>> {"venezuela", "colombia"} <= countries()
    True
    """
    return frozenset(place.casefold() for place in demonyms().values())


@cache
def variants() -> dict[str, str]:
    """Known spelling variant -> canonical name (countries written as initials).

    >>> variants()["U.S."]
    'United States'
    """
    return {variant: canonical for canonical, variant in _pairs("variants.csv")}


@cache
def truecase_table() -> dict[str, str]:
    """Preferred spelling of each word, lower-cased word -> form (``venezuela`` ->
    ``Venezuela``, ``gov`` -> ``GOV``, ``the`` -> ``the``).

    Counted over the mixed-case cables of the 6,712-cable corpus (not sentence-initial
    occurrences only; words seen at least 3 times), built by
    ``benchmarks/build_truecase.py``.

    >>> truecase_table()["venezuela"]
    'Venezuela'
    """
    data = resources.files("graphbuild").joinpath("data", "truecase.txt.gz").read_bytes()
    return {form.lower(): form for form in gzip.decompress(data).decode("utf-8").split("\n")
            if form}


@cache
def english_words() -> frozenset[str]:
    """Common English words (SCOWL's american-english list, lower-case entries only; see
    ``graphbuild/data/english-words.NOTICE``).

    >>> {"coolly", "seasoning"} <= english_words(), "chavez" in english_words()
    (True, False)
    """
    data = resources.files("graphbuild").joinpath("data", "english-words.txt.gz").read_bytes()
    return frozenset(w for w in gzip.decompress(data).decode("utf-8").split("\n") if w)


@cache
def generic_words() -> frozenset[str]:
    """Words that name no particular entity on their own in a cable (``Post``,
    ``Embassy``, ``Government``, ``Interior``...), case-folded.

    >>> {"post", "embassy", "interior"} <= generic_words()
    True
    """
    return frozenset(s.casefold() for s in _lines("generic_words.txt"))
