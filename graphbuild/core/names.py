"""Names: the one forgiving matcher that turns what a user typed into an entity id, and the
slugs entity ids are made of.

Every place that takes an entity name from a person (``build --ego``, ``graphbuild
neighbors|path|evidence|ego``, the notebook methods) resolves it with :func:`match_entity`,
so a name that works in one place works in all of them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from graphbuild.core.diagnostics import InputError

__all__ = ["EntityNotFound", "fold", "slugify", "free_name", "match_entity", "alias_list"]


class EntityNotFound(InputError, LookupError):
    """No entity (or more than one) matches a name the user typed; the message suggests
    close names ("did you mean").

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["uribe"], "label": ["Uribe"]})
    >>> try:
    ...     match_entity(ents, "Urbie")
    ... except EntityNotFound as exc:
    ...     print(exc)
    no entity matches 'Urbie'; did you mean Uribe?
    """


def fold(text: str) -> str:
    """Case, accent and spacing-insensitive form of a name.

    >>> fold("  São   PAULO ")
    'sao paulo'
    """
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", s).strip().casefold()


def slugify(text: str) -> str:
    """A readable, stable identifier: ASCII letters and digits joined by ``-``.

    >>> slugify("Government of Venezuela"), slugify("U.S."), slugify("São Paulo")
    ('government-of-venezuela', 'u-s', 'sao-paulo')
    """
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s or "entity"


def free_name(base: str, taken: set[str], sep: str) -> str:
    """``base`` + ``sep`` + the smallest k >= 2 that makes a name not in ``taken``, which
    it is added to: the one clash rule of entity ids (``-k``) and document ids (``~k``).

    >>> taken = {"same", "same~2"}
    >>> free_name("same", taken, "~"), sorted(taken)
    ('same~3', ['same', 'same~2', 'same~3'])
    """
    k = 2
    while f"{base}{sep}{k}" in taken:
        k += 1
    taken.add(f"{base}{sep}{k}")
    return f"{base}{sep}{k}"


def alias_list(value) -> list[str]:
    """An entity's other names from its ``aliases`` cell: the ``|``-joined text the
    entities table holds, or a list.

    >>> alias_list("FARC|Farc"), alias_list(["GOV"]), alias_list(""), alias_list(None)
    (['FARC', 'Farc'], ['GOV'], [], [])
    """
    if isinstance(value, str):
        return [a for a in value.split("|") if a]
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [str(a) for a in value if str(a)]


def _names(entities: pd.DataFrame) -> list[tuple[str, str]]:
    """``(name, entity_id)`` for every id, label and alias."""
    out: list[tuple[str, str]] = []
    aliases = entities["aliases"] if "aliases" in entities else pd.Series("", entities.index)
    labels = entities["label"] if "label" in entities else entities["entity_id"]
    for eid, label, alias in zip(entities["entity_id"], labels, aliases, strict=True):
        out.append((str(eid), str(eid)))
        out.append((str(label), str(eid)))
        out.extend((a, str(eid)) for a in alias_list(alias))
    return out


def match_entity(entities: pd.DataFrame, name: str,
                 left_out: pd.DataFrame | None = None) -> str:
    """The ``entity_id`` that ``name`` designates.

    Parameters
    ----------
    entities : pandas.DataFrame
        The entities table (``entity_id``, ``label``, optionally ``aliases``).
    name : str
        What the user typed: an id, a label or an alias.
    left_out : pandas.DataFrame, optional
        Every resolved entity (``entity_id``, ``label``: the ``resolution`` table), so a
        miss can say that the name is an entity a filter left out of the graph.

    Returns
    -------
    str
        The entity id. Tried in order, the first rule that matches wins: the exact id; the
        exact label; id, label or alias ignoring case, accents and spacing; the slug of
        ``name`` (``"united states"`` -> ``united-states``).

    Raises
    ------
    EntityNotFound
        On a miss, with up to three close names ("did you mean"), or when the name is
        ambiguous, with the candidates.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["russia", "uribe"], "label": ["Russia", "Uribe"],
    ...                      "aliases": ["RUSSIA", ""]})
    >>> match_entity(ents, "russia"), match_entity(ents, " URIBE ")
    ('russia', 'uribe')
    >>> match_entity(ents, "Urbie")
    Traceback (most recent call last):
    ...
    graphbuild.core.names.EntityNotFound: no entity matches 'Urbie'; did you mean Uribe?
    """
    ids = entities["entity_id"].astype(str)
    if (ids == name).any():
        return name
    labels = (entities["label"] if "label" in entities else entities["entity_id"]).astype(str)
    exact = entities.loc[labels == name, "entity_id"]
    if len(exact) == 1:
        return str(exact.iloc[0])
    names = _names(entities)
    wanted = fold(name)
    hits = sorted({eid for n, eid in names if fold(n) == wanted})
    if not hits:
        slug = slugify(name)
        hits = [eid for eid in ids if eid == slug]
    if len(hits) == 1:
        return hits[0]
    label_of = dict(zip(ids, labels, strict=True))
    if len(hits) > 1:
        options = ", ".join(f"{label_of[h]} [{h}]" for h in hits[:6])
        raise EntityNotFound(f"{name!r} is ambiguous: {options}; give the id")
    by_fold: dict[str, str] = {}
    for n, eid in names:
        by_fold.setdefault(fold(n), eid)
    suggestions: list[str] = []
    for c in difflib.get_close_matches(wanted, list(by_fold), n=6, cutoff=0.6):
        label = label_of[by_fold[c]]
        if label not in suggestions:
            suggestions.append(label)
    if left_out is not None and len(left_out) and {"entity_id", "label"} <= set(left_out):
        known = left_out[left_out["entity_id"].notna() & left_out["entity_id"].ne("")]
        gone = known[(known["entity_id"].astype(str) == name)
                     | (known["label"].astype(str).map(fold) == wanted)
                     | (known["surface"].astype(str).map(fold) == wanted
                        if "surface" in known else False)]
        if len(gone):
            eid = str(gone["entity_id"].iloc[0])
            raise EntityNotFound(
                f"{name!r} is an entity ({eid}) that the build left out of the graph (a "
                "filter removed it, or it shares no paragraph with another entity: build "
                "with --keep-isolated to keep those)")
    hint = f"; did you mean {' or '.join(suggestions[:3])}?" if suggestions else \
        " (ids and labels are listed in nodes.csv)"
    raise EntityNotFound(f"no entity matches {name!r}{hint}")
