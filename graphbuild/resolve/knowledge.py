"""One entity, one type: a corpus-wide vote per name, settled by what the cables say about
themselves where that is certain.

A statistical model types the same word differently from one sentence to the next
(``Uribe`` PER here, ORG there; ``Brownfield``, the ambassador who signs the cables, LOC).
:func:`key_types` gives every match key one type: the majority of its mentions' types
over the whole corpus, unless cable knowledge (:func:`type_knowledge`) says otherwise:

- the signer and the ``Classified By:`` person of a cable are people (PER), their surname
  too;
- a post (``Embassy Bogota``, ``Consulate Sao Paulo``) is an organisation (ORG), its city a
  place (LOC);
- a State Department bureau or a US agency by its symbol (``WHA``, ``INL``, ``USAID``:
  ``data/offices.txt``) is an organisation (ORG);
- a country or region of the demonym table is a place (LOC), a demonym a MISC.

And a cable from a post speaks of its host country's institutions by their plain names:
:func:`qualified` keys ``GOC`` in a cable from Embassy Bogota as the Government of
Colombia and ``MFA`` there as Colombia's MFA (the post's country: :func:`post_countries`),
so the ministries of fifty countries do not become one node.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pandas as pd

from graphbuild.core import lexicon
from graphbuild.core.titles import is_demonym, strip_title
from graphbuild.resolve.rules import match_key, vote_type

__all__ = ["type_knowledge", "key_types", "post_countries", "qualified", "initials",
           "institution_keys", "named_country"]

_POSTS = ("Embassy ", "Consulate ", "Mission ")


def _people(value: object) -> list[str]:
    """Person names of a signer/classifier cell (``;``-separated, titles off)."""
    if not isinstance(value, str) or not value.strip():
        return []
    return [strip_title(v.strip()) for v in value.split(";") if v.strip()]


def type_knowledge(documents: pd.DataFrame | None) -> dict[str, str]:
    """``match key -> type`` that the cables' own structure makes certain.

    Parameters
    ----------
    documents : pandas.DataFrame or None
        The documents table (``signer``, ``classifier``, ``origin``, ``sent_from``,
        ``sent_to``, ``sent_info`` are read where present).

    Returns
    -------
    dict
        Match keys (:func:`~graphbuild.resolve.rules.match_key`) and their type.

    Examples
    --------
    >>> docs = pd.DataFrame({"signer": ["BROWNFIELD"], "classifier": ["William R. Brownfield"],
    ...                      "origin": ["Embassy Bogota"], "sent_to": ["Secretary of State"]})
    >>> k = type_knowledge(docs)
    >>> k["brownfield"], k["william r. brownfield"], k["embassy bogota"], k["bogota"]
    ('PER', 'PER', 'ORG', 'LOC')
    """
    out: dict[str, str] = {}
    if documents is not None and len(documents):
        for col in ("origin", "sent_from", "sent_to", "sent_info"):
            if col not in documents.columns:
                continue
            for cell in documents[col].dropna().astype(str).unique().tolist():
                for name in cell.split(";"):
                    name = name.strip()
                    for post in _POSTS:
                        if name.startswith(post) and len(name) > len(post):
                            out[match_key(name)] = "ORG"
                            out.setdefault(match_key(name[len(post):]), "LOC")
        for col in ("signer", "classifier"):
            if col not in documents.columns:
                continue
            for cell in documents[col].dropna().astype(str).unique().tolist():
                for person in _people(cell):
                    key = match_key(person.rstrip("."))
                    out[key] = "PER"
                    tokens = [t for t in key.replace(",", " ").split()
                              if t not in ("jr", "jr.", "sr", "sr.", "ii", "iii")]
                    if len(tokens) > 1 and len(tokens[-1]) > 2:
                        out[tokens[-1]] = "PER"     # "Brownfield" signs for William Brownfield
    for office in lexicon.offices():
        out.setdefault(match_key(office), "ORG")
    for place in lexicon.countries():
        out[match_key(place)] = "LOC"
    for demonym in lexicon.demonyms():
        out.setdefault(match_key(demonym), "MISC")
    return out


def key_types(votes: dict[str, Counter], knowledge: dict[str, str]) -> dict[str, str]:
    """One type per match key: cable knowledge where it has the key, else the majority of
    the key's mentions (ties: :data:`~graphbuild.core.types.TYPE_ORDER`).

    Parameters
    ----------
    votes : dict
        ``match key -> Counter(type -> mentions)``.
    knowledge : dict
        :func:`type_knowledge`.

    Returns
    -------
    dict
        ``match key -> type``.

    Examples
    --------
    >>> key_types({"uribe": Counter(PER=3, ORG=5), "venezuelans": Counter(LOC=2)},
    ...           {"uribe": "PER"})
    {'uribe': 'PER', 'venezuelans': 'MISC'}
    """
    out = {}
    for key, counts in votes.items():
        known = knowledge.get(key)
        if known is None and is_demonym(key) and " " not in key:
            known = "MISC"
        out[key] = known if known is not None else vote_type(counts)[0]
    return out


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """``match key -> place name`` of the countries and regions (``colombia`` ->
    ``Colombia``)."""
    return {match_key(place): place for place in lexicon.demonyms().values()}


@lru_cache(maxsize=1)
def _spelled() -> dict[str, str]:
    """``match key -> spelling`` of the institutions."""
    return {match_key(i): i for i in lexicon.institutions()}


@lru_cache(maxsize=1)
def institution_keys() -> dict[str, frozenset[str] | None]:
    """Match keys of :func:`graphbuild.core.lexicon.institutions` and their countries."""
    return {match_key(i): where for i, where in lexicon.institutions().items()}


def post_countries(doc_posts: dict[str, str], country_mentions: dict[str, Counter],
                   min_share: float = 0.3, min_mentions: int = 3) -> dict[str, str]:
    """The host country of each post: the country its cables mention most, when it holds
    ``min_share`` of their country mentions (the United States left out: every post writes
    about it). A post without one (``Secretary of State``, a mission to a multilateral
    body) gets none.

    Parameters
    ----------
    doc_posts : dict
        ``doc_id -> post`` (the documents' ``origin``).
    country_mentions : dict
        ``doc_id -> Counter(country key -> mentions)``.
    min_share, min_mentions : float, int
        What the most mentioned country needs.

    Returns
    -------
    dict
        ``post -> country name``.

    Examples
    --------
    >>> post_countries({"a": "Embassy Bogota", "b": "Embassy Bogota", "c": "Secretary of State"},
    ...                {"a": Counter(colombia=5, venezuela=2), "b": Counter(colombia=3),
    ...                 "c": Counter(iran=2, iraq=2, cuba=2)})
    {'Embassy Bogota': 'Colombia'}
    """
    per_post: dict[str, Counter] = {}
    for doc, post in doc_posts.items():
        if post and doc in country_mentions:
            per_post.setdefault(post, Counter()).update(country_mentions[doc])
    names = _country_names()
    out = {}
    for post, counts in per_post.items():
        counts.pop("united states", None)
        if not counts:
            continue
        (top, n), = counts.most_common(1)
        if n >= min_mentions and n >= min_share * sum(counts.values()) and top in names:
            out[post] = names[top]
    return out


def initials(name: str) -> str:
    """The initials a government acronym uses for a country (``Costa Rica`` -> ``cr``,
    ``Colombia`` -> ``c``).

    >>> initials("Costa Rica"), initials("Bosnia and Herzegovina")
    ('cr', 'bh')
    """
    return "".join(w[0] for w in name.casefold().split() if w not in ("and", "of", "the"))


def named_country(key: str) -> tuple[str, str] | None:
    """``(key, label)`` of an institution named with its country's demonym: ``Venezuelan
    MFA`` is ``MFA (Venezuela)``, ``Colombian government`` the Government of Colombia.

    >>> named_country("venezuelan mfa"), named_country("colombian government")
    (('mfa (venezuela)', 'MFA (Venezuela)'), ('government of colombia', 'Government of Colombia'))
    >>> named_country("colombian army") is None
    True
    """
    head, _, rest = key.partition(" ")
    if not rest:
        return None
    place = lexicon.demonyms_folded().get(head)
    if place is None:
        return None
    if rest == "government":
        name = f"Government of {place}"
        return match_key(name), name
    spelled = _spelled()
    if rest in spelled:
        return f"{rest} ({place.casefold()})", f"{spelled[rest]} ({place})"
    return None


def qualified(key: str, country: str) -> tuple[str, str] | None:
    """``(new key, label)`` of a name that means the host country's
    institution in a cable from that country: ``GOC`` in Colombia is the Government of
    Colombia; ``MFA`` is ``MFA (Colombia)``. ``None`` when the name is not such a name.

    >>> qualified("goc", "Colombia"), qualified("gocr", "Costa Rica"), qualified("goc", "Chile")
    (('government of colombia', 'Government of Colombia'), ('government of costa rica', \
'Government of Costa Rica'), ('government of chile', 'Government of Chile'))
    >>> qualified("mfa", "Brazil"), qualified("farc", "Colombia"), qualified("gob", "Peru")
    (('mfa (brazil)', 'MFA (Brazil)'), None, None)
    >>> qualified("congress", "Colombia"), qualified("congress", "Netherlands")
    (('congress (colombia)', 'Congress (Colombia)'), None)
    """
    if key.startswith("go") and 3 <= len(key) <= 5 and key[2:] == initials(country):
        name = f"Government of {country}"
        return match_key(name), name
    keys = institution_keys()
    if key in keys and (keys[key] is None or country in keys[key]):
        return f"{key} ({country.casefold()})", f"{_spelled()[key]} ({country})"
    return None
