"""Small, named resolution rules. Each takes and returns plain values; the order in which
:func:`graphbuild.resolve.resolve` applies them is documented there.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

#: ties in type voting go to the earlier type in this order (most specific first)
TYPE_ORDER = ("PER", "ORG", "LOC", "MISC")

_WS = re.compile(r"\s+")
_QUOTES = "\"'“”‘’`«»"
# 'U.S.', 'U.K.', 'E.U.', 'D.C.' and single initials ('A.') keep their final period
_DOTTED_ABBREV = re.compile(r"(?:^|[\s\-])(?:[A-Za-z]\.){2,}$|(?:^|\s)[A-Z]\.$")
_KNOWN_ABBREV = {"inc.", "co.", "corp.", "ltd.", "jr.", "sr.", "st.", "dr.", "mr.", "mrs.",
                 "ms.", "gen.", "col.", "lt.", "sgt.", "no.", "bros.", "dept.", "govt."}


def clean_surface(surface: str) -> str:
    """Trim whitespace, quotes, trailing ``:``/``,``/``;``, a possessive ``'s`` and a final
    period that does not end an abbreviation.

    >>> [clean_surface(s) for s in ["Venezuela:", "Latin America.", "U.S.", " GOV 's", '"FARC"']]
    ['Venezuela', 'Latin America', 'U.S.', 'GOV', 'FARC']
    """
    s = _WS.sub(" ", surface).strip()
    previous = None
    while s != previous:
        previous = s
        s = s.strip(_QUOTES + " ")
        s = s.rstrip(":,;")
        for possessive in (" 's", "'s", "’s", " ’s"):
            if s.endswith(possessive) and len(s) > len(possessive) + 1:
                s = s[: -len(possessive)]
        if s.endswith(".") and not is_abbreviation(s):
            s = s[:-1]
        s = s.strip()
    return s


def is_abbreviation(text: str) -> bool:
    """True when the final period of ``text`` belongs to an abbreviation.

    >>> is_abbreviation("U.S."), is_abbreviation("Latin America."), is_abbreviation("Inc.")
    (True, False, True)
    """
    last = text.rsplit(" ", 1)[-1].lower()
    return bool(_DOTTED_ABBREV.search(text)) or last in _KNOWN_ABBREV


def match_key(text: str) -> str:
    """The key under which case and spacing variants merge.

    >>> match_key("RUSSIA") == match_key("Russia") == match_key(" russia ")
    True
    """
    s = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", s).strip().casefold()


def is_well_cased(text: str) -> bool:
    """Mixed case reads better than ALL CAPS: ``Russia`` beats ``RUSSIA`` as a label.

    Acronyms (no lower-case letter in any spelling) are fine as they are.
    """
    letters = [c for c in text if c.isalpha()]
    return not letters or any(c.islower() for c in letters)


def choose_label(spellings: Iterable[str]) -> str:
    """The most frequent well-cased spelling; ties go to the lexicographically first.

    >>> choose_label(["RUSSIA", "RUSSIA", "Russia"])
    'Russia'
    >>> choose_label(["FARC", "FARC"])
    'FARC'
    """
    counts = Counter(spellings)
    well = {s: n for s, n in counts.items() if is_well_cased(s)}
    pool = well or counts
    return min(pool, key=lambda s: (-pool[s], s))


def vote_type(types: Iterable[str]) -> tuple[str, list[str]]:
    """Majority type and the other types seen (ties broken by :data:`TYPE_ORDER`).

    >>> vote_type(["LOC", "LOC", "MISC"])
    ('LOC', ['MISC'])
    """
    counts = Counter(types)
    rank = {t: i for i, t in enumerate(TYPE_ORDER)}
    best = min(counts, key=lambda t: (-counts[t], rank.get(t, len(rank)), t))
    others = sorted(t for t in counts if t != best)
    return best, others


def slugify(text: str) -> str:
    """A readable, stable identifier.

    >>> slugify("Government of Venezuela"), slugify("U.S."), slugify("São Paulo")
    ('government-of-venezuela', 'u-s', 'sao-paulo')
    """
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s or "entity"
