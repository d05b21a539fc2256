"""Titles and roles in names: how many leading tokens of a name are a title (``Deputy
Foreign Minister``), and the person a role phrase names (``WHA A/S Shannon`` -> ``Shannon``).

Shared by the NER span repair (:mod:`graphbuild.extract.spans`) and resolution
(:mod:`graphbuild.resolve.persons`), so a title is a title in both.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graphbuild.core import lexicon

__all__ = ["title_length", "strip_title", "role_person", "strip_office", "is_demonym",
           "is_office"]


@lru_cache(maxsize=1)
def _demonyms() -> frozenset[str]:
    names = {d.casefold() for d in lexicon.demonyms()}
    return frozenset(names | {n + "s" for n in names if not n.endswith("s")})


def is_demonym(token: str) -> bool:
    """Whether ``token`` is a demonym (``Venezuelan``, ``VENEZUELANS``), any case.

    >>> is_demonym("VENEZUELANS"), is_demonym("Uribe")
    (True, False)
    """
    return token.strip(".,;:").casefold() in _demonyms()


def is_office(token: str) -> bool:
    """Whether ``token`` looks like an office or bureau symbol (``WHA``, ``EUR/PRA``).

    >>> is_office("EUR/PRA"), is_office("Uribe")
    (True, False)
    """
    return bool(_OFFICE.match(token))


_TOKEN_END = re.compile(r"[.,]+$")
# an office or bureau acronym in front of a role: WHA, EUR/PRA, NEA/I, S/CT
_OFFICE = re.compile(r"^[A-Z][A-Z0-9&.]*(?:/[A-Z0-9&.]+)*$")


@lru_cache(maxsize=1 << 16)
def _norm(token: str) -> str:
    return _TOKEN_END.sub("", token).casefold()


def title_length(tokens: list[str]) -> int:
    """How many leading tokens form a title (0 when none).

    >>> title_length(["Deputy", "Foreign", "Minister", "Ryabkov"]), title_length(["Uribe"])
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
    for title in lexicon.titles():
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
        n = title_length(tokens)
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
    while i < min(2, len(tokens)) and _OFFICE.match(tokens[i]) and not title_length(tokens[i:]):
        i += 1
    n = title_length(tokens[i:])
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
        if rest and (is_demonym(head) or _OFFICE.match(head)) \
                and title_length(rest.split()):
            person = strip_title(rest)
    return person if person is not None else strip_title(name)
