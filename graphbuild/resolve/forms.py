"""The single-form rules of the resolve stage (1-5): cleanup, user names, not-entities, name
normalisation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from graphbuild.resolve.aliases import UserAliases
from graphbuild.resolve.codes import _first_last
from graphbuild.resolve.persons import role_person, strip_office, title_key
from graphbuild.resolve.rules import (
    cut_colon_run_on,
    is_reference_citation,
    may_be_reference_citation,
    may_end_with_date,
    not_entity_reason,
    strip_compound_suffix,
    strip_trailing_date,
)

# --- one surface form -----------------------------------------------------------------------

#: bits of a mention's text context: a cable number follows, a day number follows
_CITES, _DAY_FOLLOWS = 1, 2


def _context_flags(m: pd.DataFrame, kept: np.ndarray, surf_code: np.ndarray,
                   clean: list[str], doc_code: np.ndarray, docs: list[str],
                   texts: dict[str, str]) -> tuple[np.ndarray, dict[int, str]]:
    """Per mention, what the 16 characters after it say (:data:`_CITES`,
    :data:`_DAY_FOLLOWS`), and those characters by mention index. Only mentions whose clean
    form could be a lettered reference or end with a month name read the text: the others
    cannot trigger :func:`~.rules.is_reference_citation` or :func:`~.rules.strip_trailing_date`.
    """
    context = np.zeros(len(m), dtype=np.int64)
    following: dict[int, str] = {}
    may = np.array([may_be_reference_citation(c) or may_end_with_date(c) for c in clean]
                   or [False], dtype=bool)
    idx = np.flatnonzero(kept & may[surf_code]) if len(m) else np.zeros(0, np.int64)
    ends = m["end"].astype(int).to_numpy()
    for i in idx.tolist():
        after = texts.get(docs[doc_code[i]], "")[ends[i]:ends[i] + 16]
        c = clean[surf_code[i]]
        following[i] = after
        context[i] = (_CITES * is_reference_citation(c, after)
                      + _DAY_FOLLOWS * (strip_trailing_date(c, after) != c))
    return context, following


def _forms(kept: np.ndarray, surf_code: np.ndarray, type_code: np.ndarray,
           context: np.ndarray, n_types: int) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """Number the distinct ``(surface, type, context)`` of the kept mentions (-1 for the
    others): ``(form code per mention, [(surface, type, context, first mention)] per form)``.

    >>> codes, forms = _forms(np.array([True, True, False, True]), np.array([0, 1, 0, 0]),
    ...                       np.array([0, 0, 0, 0]), np.array([0, 0, 0, 0]), 1)
    >>> codes.tolist(), forms
    ([0, 1, -1, 0], [(0, 0, 0, 0), (1, 0, 0, 1)])
    """
    form_code = np.full(len(kept), -1, dtype=np.int64)
    idx = np.flatnonzero(kept)
    combined = (surf_code[idx] * n_types + type_code[idx]) * 4 + context[idx]
    codes, uniques = pd.factorize(combined)
    form_code[idx] = codes
    first = idx[_first_last(codes, len(uniques))[0]] if len(idx) else idx
    out = [(u // 4 // n_types, u // 4 % n_types, u % 4, i)
           for u, i in zip(uniques.tolist(), first.tolist(), strict=True)]
    return form_code, out


@dataclass
class _Form:
    """What the single-form rules made of one ``(surface, type, context)``: the name, the
    (possibly corrected) type, the rules applied, a drop reason or the user's entity."""

    name: str
    type: str
    rules: list[str]
    reason: str | None = None
    forced: tuple[str, str | None] | None = None
    key: str = ""
    #: the title stripped from the surface (:func:`~.persons.title_key` form), else ""
    title: str = ""

    def run_ons(self, known: set[str]) -> None:
        """Cut ``Name: Talking Points`` and ``Name-backed`` when ``Name`` is a known name."""
        nm = cut_colon_run_on(self.name, known)
        if nm != self.name:
            self.rules.append("colon-run-on")
        nm2 = strip_compound_suffix(nm, known)
        if nm2 != nm:
            self.rules.append("compound-suffix")
        self.name = nm2


def _form(surface: str, clean: str, etype: str, context: int, following: str | None,
          aliases: UserAliases | None) -> _Form:
    """Rules 1-5 of :func:`resolve` for one form (``following``: the text after one of its
    mentions, only needed when ``context`` says a day number follows).

    >>> f = _form("DCM Darchiyev", "DCM Darchiyev", "PER", 0, None, None)
    >>> f.name, f.rules, f.reason
    ('Darchiyev', ['title-stripped'], None)
    >>> _form("S/NF", "S/NF", "ORG", 0, None, None).reason
    'marking'
    """
    f = _Form(clean, etype, ["cleanup"] if " ".join(surface.split()) != clean else [])
    if aliases is not None:
        if aliases.excluded(clean):
            f.reason = "user-exclude"
            return f
        f.forced = aliases.lookup(clean)
        if f.forced is not None:
            return f
    why = _not_entity(clean)
    if why is None and context & _CITES:
        why = "reference-citation"
    if why is not None:
        f.reason = why
        return f
    nm = strip_trailing_date(clean, following or "") if context & _DAY_FOLLOWS else clean
    if nm != clean:
        f.rules.append("date-stripped")
    if etype == "PER":
        stripped = strip_office(nm)
        if stripped != nm:
            f.rules.append("title-stripped")
            if nm.endswith(stripped):
                f.title = title_key(nm[:len(nm) - len(stripped)].split())
            nm = stripped
    else:
        person = role_person(nm)
        if person is not None:
            f.rules.append("role-person")
            nm, f.type = person, "PER"
    f.name = nm
    if aliases is not None:
        f.forced = aliases.lookup(nm)
    return f


# as match_key's: room for a Cablegate-sized corpus's cleaned surfaces (forms of one
# surface with other types or contexts ask again); emptied by resolve() when done
@lru_cache(maxsize=1 << 20)
def _not_entity(clean: str) -> str | None:
    return not_entity_reason(clean)
