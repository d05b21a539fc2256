"""Small, named resolution rules over single surface forms.

Each takes and returns plain values; the order in which :func:`graphbuild.resolve.resolve`
applies them is documented there. Person rules live in :mod:`.persons`, abbreviation
definitions in :mod:`.abbreviations`, the user's file in :mod:`.aliases`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from graphbuild.core import lexicon as data
from graphbuild.core.nonentities import (  # noqa: F401 - the rules resolution applies, in one place
    _MONTHS,
    NOT_ENTITY_RULES,
    is_bare_date,
    is_date,
    is_header_field,
    is_marking,
    is_pronoun,
    is_reference_label,
    not_entity_reason,
    strip_marking_prefix,
)
from graphbuild.core.types import TYPE_ORDER

#: ties in type voting go to the earlier type in this order (most specific first)

_WS = re.compile(r"\s+")
_QUOTES = "\"'“”‘’`«»"
# 'U.S.', 'U.K.', 'E.U.', 'D.C.' and single initials ('A.') keep their final period
_DOTTED_ABBREV = re.compile(r"(?:^|[\s\-])(?:[A-Za-z]\.){2,}$|(?:^|\s)[A-Z]\.$")
_KNOWN_ABBREV = {"inc.", "co.", "corp.", "ltd.", "jr.", "sr.", "st.", "dr.", "mr.", "mrs.",
                 "ms.", "gen.", "col.", "lt.", "sgt.", "no.", "bros.", "dept.", "govt."}


# --- cleanup ------------------------------------------------------------------------------

_ITEM_PREFIX = re.compile(r"^[^\s()]{1,6}\)\s+(?=\S)")


def clean_surface(surface: str) -> str:
    """Trim whitespace, quotes, trailing ``:``/``,``/``;``, a possessive ``'s``, a final
    period that does not end an abbreviation, and a marking or item letter left in front
    with its closing parenthesis only (``C) Restrepo``).

    >>> [clean_surface(s) for s in ["Venezuela:", "Latin America.", "U.S.", " GOV 's", '"FARC"']]
    ['Venezuela', 'Latin America', 'U.S.', 'GOV', 'FARC']
    >>> clean_surface("C) Restrepo"), clean_surface("(C) Restrepo"), clean_surface("FARC)")
    ('Restrepo', 'Restrepo', 'FARC)')
    """
    s = _WS.sub(" ", surface).strip()
    item = _ITEM_PREFIX.match(s)
    if item and "(" not in item.group():       # "C) Restrepo", "DSC) Subcommittee 13"
        s = s[item.end():]
    s = strip_marking_prefix(s)                # "(S/NF) Uribe"
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


# --- not entities: graphbuild.core.nonentities (shared with the NER span repair) --------

_CITATION = re.compile(r"^[A-Z]\.\s+[A-Z][A-Z .'\-]+$")
_CITATION_NEXT = re.compile(r"^\s*\d{2,}")


def is_reference_citation(text: str, following: str) -> bool:
    """A lettered cable reference (``REF: A. BOGOTA 2409``): a letter, a period, a post in
    capitals, then the cable number in the text that follows.

    >>> is_reference_citation("A. BOGOTA", " 2409 B. STATE")
    True
    >>> is_reference_citation("A. BOGOTA", " met")
    False
    """
    return bool(_CITATION.match(text)) and bool(_CITATION_NEXT.match(following))


# --- variants of a name -------------------------------------------------------------------

_MONTH_TOKEN = re.compile(rf"^(?:{_MONTHS})\.?$", re.IGNORECASE)
_DAY_NEXT = re.compile(r"^\s*\d{1,2}(?:st|nd|rd|th)?\b")


def strip_trailing_date(text: str, following: str) -> str:
    """Drop a month name glued to the end of a name when a day number follows it in the text
    (``Ambassador [PER Kislyak May ] 28``).

    >>> strip_trailing_date("Kislyak May", " 28 and"), strip_trailing_date("Theresa May", " said")
    ('Kislyak', 'Theresa May')
    """
    head, _, last = text.rpartition(" ")
    if head and _MONTH_TOKEN.match(last) and _DAY_NEXT.match(following):
        return head.strip()
    return text


_COMPOUND = re.compile(
    r"^(?P<stem>.+?)-(?:origin|produced|made|based|born|built|backed|led|owned|sponsored|"
    r"supplied|manufactured|controlled|funded|trained|registered|flagged|bound|linked)$",
    re.IGNORECASE)


def strip_compound_suffix(text: str, known: set[str] | frozenset[str] = frozenset()) -> str:
    """``Swedish-origin`` -> ``Swedish`` when the stem is a demonym of the built-in table or a
    name (match key) in ``known``; other compounds are left alone.

    >>> strip_compound_suffix("Swedish-origin"), strip_compound_suffix("FARC-linked", {"farc"})
    ('Swedish', 'FARC')
    >>> strip_compound_suffix("anti-tank")
    'anti-tank'
    """
    m = _COMPOUND.match(text)
    if not m:
        return text
    stem = m.group("stem")
    if match_key(stem) in _demonym_keys() or match_key(stem) in known:
        return stem
    return text


def cut_colon_run_on(text: str, known: set[str] | frozenset[str]) -> str:
    """``Government of Colombia: Talking Points`` -> ``Government of Colombia`` when the part
    before the colon is itself a name (match key) in ``known``.

    >>> cut_colon_run_on("Government of Colombia: Talking Points", {"government of colombia"})
    'Government of Colombia'
    """
    head, sep, _ = text.partition(": ")
    if sep and head and match_key(head) in known:
        return head.strip()
    return text


@lru_cache(maxsize=1)
def _demonym_keys() -> dict[str, str]:
    return {match_key(k): v for k, v in data.demonyms().items()}


@lru_cache(maxsize=1)
def _variant_keys() -> dict[str, str]:
    return {match_key(k): v for k, v in data.variants().items()}


def demonym_place(text: str) -> str | None:
    """The place a demonym refers to (``Venezuelan`` -> ``Venezuela``), any case.

    >>> demonym_place("VENEZUELAN"), demonym_place("Uribe")
    ('Venezuela', None)
    """
    return _demonym_keys().get(match_key(text))


def known_variant(text: str) -> str | None:
    """The canonical name of a known variant (``U.S.``, ``US`` -> ``United States``).

    >>> known_variant("US"), known_variant("U.S."), known_variant("Spain")
    ('United States', 'United States', None)
    """
    return _variant_keys().get(match_key(text))


# --- keys, labels, types, ids -------------------------------------------------------------

_INITIALISM = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?")


# room for every name of a Cablegate-sized corpus (some 700 k distinct inputs): a cache
# smaller than the names it cycles through misses on every call. resolve() empties it
# when done, so it does not hold a corpus's names after the build.
@lru_cache(maxsize=1 << 20)
def match_key(text: str) -> str:
    """The key under which case, accent, spacing and dotting variants merge.

    >>> match_key("RUSSIA") == match_key("Russia") == match_key(" russia ")
    True
    >>> match_key("U.S.") == match_key("US") == match_key("U.S")
    True
    >>> match_key("Chávez") == match_key("Chavez")
    True
    >>> match_key("the United States") == match_key("United States")
    True
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), s)
    s = _WS.sub(" ", s).strip().casefold()
    # a leading article is not part of the name: "the United States" = "United States"
    return s[4:] if s.startswith("the ") and len(s) > 4 else s


def is_well_cased(text: str) -> bool:
    """Mixed case reads better than ALL CAPS: ``Russia`` beats ``RUSSIA`` as a label.

    Acronyms (no lower-case letter in any spelling) are fine as they are.

    >>> is_well_cased("Russia"), is_well_cased("RUSSIA"), is_well_cased("1988")
    (True, False, True)
    """
    if text[:4].casefold() == "the ":  # "the SBAH" is as shouted as "SBAH"
        text = text[4:]
    letters = [c for c in text if c.isalpha()]
    return not letters or any(c.islower() for c in letters)


def choose_label(spellings: Iterable[str]) -> str:
    """The most frequent well-cased spelling; ties go to the lexicographically first.

    A spelling in capitals only loses to a mixed-case spelling *of the same name* (``RUSSIA``
    to ``Russia``); an acronym stays a candidate (``U.S.`` may beat ``United States``).

    >>> choose_label(["RUSSIA", "RUSSIA", "Russia"])
    'Russia'
    >>> choose_label(["FARC", "FARC"]), choose_label(["U.S.", "U.S.", "United States"])
    ('FARC', 'U.S.')
    >>> choose_label(["the United States", "the United States", "United States"])
    'United States'
    """
    counts = Counter(spellings)
    keys = {s: match_key(s) for s in counts}
    mixed = {keys[s] for s in counts if is_well_cased(s)}
    pool = {s: n for s, n in counts.items() if is_well_cased(s) or keys[s] not in mixed}
    # "the United States" loses to "United States" when both are seen
    bare = {keys[s] for s in pool if not s.casefold().startswith("the ")}
    pool = {s: n for s, n in pool.items()
            if not s.casefold().startswith("the ") or keys[s] not in bare} or pool
    return min(pool, key=lambda s: (-pool[s], s))


def vote_type(types: Iterable[str]) -> tuple[str, list[str]]:
    """Majority type and the other types seen (ties broken by :data:`TYPE_ORDER`).

    >>> vote_type(["LOC", "LOC", "MISC"])
    ('LOC', ['MISC'])
    >>> vote_type(["MISC", "ORG"])
    ('ORG', ['MISC'])
    """
    counts = Counter(types)     # a mapping of counts is counted as it is
    rank = {t: i for i, t in enumerate(TYPE_ORDER)}
    best = min(counts, key=lambda t: (-counts[t], rank.get(t, len(rank)), t))
    others = sorted(t for t in counts if t != best)
    return best, others


# --- cheap pre-filters for the rules that read the text after a mention --------------------

def may_be_reference_citation(text: str) -> bool:
    """The half of :func:`is_reference_citation` that looks at the name alone: only names
    that pass it need the following text.

    >>> may_be_reference_citation("A. BOGOTA"), may_be_reference_citation("Bogota")
    (True, False)
    """
    return bool(_CITATION.match(text))


def may_end_with_date(text: str) -> bool:
    """The half of :func:`strip_trailing_date` that looks at the name alone (a last word that
    is a month name).

    >>> may_end_with_date("Kislyak May"), may_end_with_date("May"), may_end_with_date("Uribe")
    (True, False, False)
    """
    head, _, last = text.rpartition(" ")
    return bool(head) and bool(_MONTH_TOKEN.match(last))
