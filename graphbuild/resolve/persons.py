"""Person names: titles and roles off the front, then surname subsumption.

Reference for the subsumption idea: a single surname refers to the full name that contains it
when that full name is the only candidate in scope (the "one sense per discourse" heuristic of
Gale, Church & Yarowsky 1992, applied to names as in coreference baselines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graphbuild.resolve import data
from graphbuild.resolve.rules import demonym_place

_TOKEN_END = re.compile(r"[.,]+$")
# an office or bureau acronym in front of a role: WHA, EUR/PRA, NEA/I, S/CT
_OFFICE = re.compile(r"^[A-Z][A-Z0-9&.]*(?:/[A-Z0-9&.]+)*$")


@lru_cache(maxsize=1 << 16)
def _norm(token: str) -> str:
    return _TOKEN_END.sub("", token).casefold()


def _title_length(tokens: list[str]) -> int:
    """How many leading tokens form a title (0 when none).

    >>> _title_length(["Deputy", "Foreign", "Minister", "Ryabkov"]), _title_length(["Uribe"])
    (3, 0)
    """
    if not tokens:
        return 0
    titles = _by_first().get(_norm(tokens[0]))
    if not titles:   # most names: no title starts with their first word
        return 0
    folded = [_norm(t) for t in tokens[:_LONGEST]]
    for title in titles:
        n = len(title)
        if tuple(folded[:n]) == title:
            return n
    return 0


_LONGEST = 6


@lru_cache(maxsize=1)
def _by_first() -> dict[str, list[tuple[str, ...]]]:
    """Titles indexed by their first token, longest first."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for title in data.titles():
        out.setdefault(title[0], []).append(title)
    return out



def strip_title(name: str) -> str:
    """Remove titles and roles from the front of a person name, never the whole name.

    >>> [strip_title(s) for s in ["DCM Darchiyev", "FM Sergey Lavrov", "President Uribe",
    ...                           "Deputy Foreign Minister Ryabkov", "President"]]
    ['Darchiyev', 'Sergey Lavrov', 'Uribe', 'Ryabkov', 'President']
    """
    tokens = name.split()
    while len(tokens) > 1:
        n = _title_length(tokens)
        # never strip to nothing, nor to a remainder that starts in lower case
        # ("Deputy Secretary | of State Blinken" when the longer title is not in the table)
        if n == 0 or n >= len(tokens) or not tokens[n][:1].isupper():
            break
        tokens = tokens[n:]
    return " ".join(tokens)


def role_person(name: str) -> str | None:
    """The person named by ``[OFFICE] TITLE Name`` (a role phrase annotated as ORG or LOC),
    or ``None`` when ``name`` is not such a phrase. Only a bureau acronym in front or a
    title written in capitals (``A/S``, ``PDAS``, ``DCM``) counts, and at most three name
    words may follow: ``King County`` and ``Major League Baseball`` are not people.

    >>> role_person("WHA A/S Shannon"), role_person("WHA PDAS Kelly"), role_person("DCM Ruiz")
    ('Shannon', 'Kelly', 'Ruiz')
    >>> role_person("Minister of Defense"), role_person("King County")
    (None, None)
    >>> role_person("UN General Assembly") is None
    True
    """
    tokens = name.split()
    i = 0
    # at most two office acronyms that are not themselves titles
    while i < min(2, len(tokens)) and _OFFICE.match(tokens[i]) and not _title_length(tokens[i:]):
        i += 1
    n = _title_length(tokens[i:])
    if n == 0:
        return None
    rest = tokens[i + n:]
    title = tokens[i:i + n]
    if not rest or len(rest) > 3 or not all(t[:1].isupper() for t in rest):
        return None
    if not all(t.isupper() for t in title):  # "UN General Assembly" is no person
        return None
    return " ".join(rest)


def strip_office(name: str) -> str:
    """``WHA A/S Shannon`` annotated as PER: drop the office and the title.

    >>> strip_office("WHA A/S Shannon"), strip_office("Nate Young")
    ('Shannon', 'Nate Young')
    >>> strip_office("U.S. Secretary of State Kerry"), strip_office("Russian FM Lavrov")
    ('Kerry', 'Lavrov')
    >>> strip_office("Venezuela's President Hugo Chavez")
    'Hugo Chavez'
    """
    head, _, rest = name.partition(" ")
    if len(rest.split()) >= 2 and head.endswith(("'s", "’s")):  # "Venezuela's Hugo Chavez"
        name = rest
    person = role_person(name)
    if person is None:
        head, _, rest = name.partition(" ")
        if rest and (demonym_place(head) is not None or _OFFICE.match(head)) \
                and _title_length(rest.split()):
            person = strip_title(rest)
    return person if person is not None else strip_title(name)


def surname_candidates(surname_key: str, full_keys: Iterable[str], last_only: bool = False,
                       ) -> list[str]:
    """The full names (match keys of two or more tokens) that contain ``surname_key`` as a
    token after the first: the last name, or one of two family names (``Chavez`` in
    ``Hugo Chavez Frias``). ``last_only`` (used across the corpus, where a middle name is
    weaker evidence) accepts the last token only.

    >>> surname_candidates("lavrov", ["sergey lavrov", "lavrov", "nate young"])
    ['sergey lavrov']
    >>> surname_candidates("chavez", ["hugo chavez frias"]), surname_candidates(
    ...     "chavez", ["hugo chavez frias"], last_only=True)
    (['hugo chavez frias'], [])
    """
    out = []
    for full in full_keys:
        tokens = full.split()
        if len(tokens) > 1 and (tokens[-1] == surname_key if last_only
                                else surname_key in tokens[1:]):
            out.append(full)
    return sorted(set(out))


def is_single_name(key: str) -> bool:
    """A one-token name that may be a surname (letters, at least two).

    >>> is_single_name("lavrov"), is_single_name("sergey lavrov"), is_single_name("x")
    (True, False, False)
    """
    return " " not in key and len(key) > 1 and any(c.isalpha() for c in key)
