"""Person names: titles and roles off the front, then surname subsumption.

Reference for the subsumption idea: a single surname refers to the full name that contains it
when that full name is the only candidate in scope (the "one sense per discourse" heuristic of
Gale, Church & Yarowsky 1992, applied to names as in coreference baselines).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from graphbuild.core import lexicon
from graphbuild.core.titles import role_person, strip_office, strip_title, title_length

__all__ = ["role_person", "strip_office", "strip_title", "title_length",
           "surname_candidates", "is_single_name", "same_person", "is_junk_candidate",
           "dominant_person", "SURNAME_SHARE", "title_before", "title_key", "title_person"]

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


#: the share of the mentions of the full names with a surname that one person must hold for
#: the lone surname to join that person across the corpus (measured on the gold set and the
#: Bogota/Caracas subset: benchmarks/gold.py, docs/resolution.md)
SURNAME_SHARE = 0.75
#: the least share the chosen person's full-name mentions must hold of those and the lone
#: surname's together: "Uribe" alone 700 times beside "Mario Uribe" 15 times is someone
#: else (the president), known by his surname
SURNAME_SUPPORT = 0.1


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """Whether the tokens of ``short`` appear in ``long`` in order.

    >>> is_subsequence(["hugo", "chavez"], ["hugo", "rafael", "chavez", "frias"])
    True
    """
    it = iter(long)
    return all(t in it for t in short)


def same_person(a: str, b: str) -> bool:
    """Two full-name keys that name one person: the shorter one's tokens appear in the
    longer in order, starting with the same first name (``alvaro uribe`` /
    ``alvaro uribe velez``; not ``mario uribe`` / ``alvaro uribe``).

    >>> same_person("alvaro uribe", "alvaro uribe velez")
    True
    >>> same_person("mario uribe", "alvaro uribe")
    False
    """
    x, y = a.split(), b.split()
    if len(x) > len(y):
        x, y = y, x
    return len(x) > 1 and x[0] == y[0] and is_subsequence(x, y)


#: endings of the adjectives, participles and adverbs a model leaves in front of a surname
#: ("Local Chavez", "Abandoned Chavez"); given names that are also words (Bill, Mark, Rose,
#: Frank) do not end so
_NOT_A_GIVEN_NAME = ("ed", "ing", "ly", "al", "ic", "ous", "ive", "ary", "ist", "ern")


def is_junk_candidate(full_key: str, surname_key: str) -> bool:
    """A "full name" that is a surname with debris in front rather than a person: a title
    (``Presidents Chavez``), an acronym (``MAS Chavez``, ``MERCOSUR Abandoned Chavez``), a
    word cables write in lower case that is an adjective or a participle (``Local Chavez``).

    >>> [is_junk_candidate(k, "chavez") for k in ["local chavez", "presidents chavez",
    ...                                         "mercosur abandoned chavez", "hugo chavez"]]
    [True, True, True, False]
    >>> is_junk_candidate("bill clinton", "clinton")
    False
    """
    table = lexicon.truecase_table()
    for t in full_key.split():
        if t == surname_key:
            continue
        form = table.get(t)
        if title_length([t]):
            return True
        if form is not None and form.isupper() and len(t) > 2:
            return True
        if form is not None and form.islower() and len(t) > 4 and t.endswith(_NOT_A_GIVEN_NAME):
            return True
    return False


def person_groups(counts: dict[str, int]) -> dict[str, str]:
    """Full-name keys that name one person (:func:`same_person` with every other member),
    each mapped to the group's most mentioned key. A key that fits two groups
    (``juan santos`` beside ``juan manuel santos`` and ``juan carlos santos``) stays alone.

    >>> person_groups({"alvaro uribe": 109, "alvaro uribe velez": 20, "mario uribe": 15})
    {'alvaro uribe': 'alvaro uribe', 'alvaro uribe velez': 'alvaro uribe', \
'mario uribe': 'mario uribe'}
    >>> person_groups({"juan manuel santos": 9, "juan carlos santos": 5, "juan santos": 2})
    {'juan manuel santos': 'juan manuel santos', 'juan carlos santos': 'juan carlos santos', \
'juan santos': 'juan santos'}
    """
    groups: list[list[str]] = []
    # a group can only take a key that shares its first name and another token: groups
    # are looked up by (first token, token), never compared with every other group
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    alone: list[str] = []
    for k in sorted(counts, key=lambda k: (-counts[k], k)):
        tokens = k.split()
        near = {g for t in tokens[1:] for g in index.get((tokens[0], t), ())}
        fits = [g for g in sorted(near) if all(same_person(k, other) for other in groups[g])]
        if len(fits) == 1:
            groups[fits[0]].append(k)
            g = fits[0]
        elif not fits:
            groups.append([k])
            g = len(groups) - 1
        else:
            alone.append(k)
            continue
        for t in tokens[1:]:
            if g not in index[(tokens[0], t)]:
                index[(tokens[0], t)].append(g)
    out = {k: g[0] for g in groups for k in g}
    out.update({k: k for k in alone})
    return out


def dominant_person(candidates: dict[str, int], surname_key: str,
                    share: float = SURNAME_SHARE, alone: int = 0,
                    support: float = SURNAME_SUPPORT) -> tuple[str | None, str]:
    """The full name a lone surname stands for across the corpus, and why.

    Candidates that name one person (:func:`person_groups`) are pooled; debris
    (:func:`is_junk_candidate`) does not count when real names exist. The person with the
    most mentions is chosen when it holds at least ``share`` of the mentions; then the
    most mentioned of its spellings is returned -- unless the surname alone (``alone``
    mentions) is so much more frequent than that person's full names (less than
    ``support`` of the two together) that it names someone else.

    Parameters
    ----------
    candidates : dict
        ``full-name key -> mentions`` of the person names that hold the surname.
    surname_key : str
        The surname's match key.
    share : float
        The least share of mentions that makes one person dominant.
    alone : int
        Mentions of the surname on its own.
    support : float
        The least share of the person's full-name mentions in those and ``alone``.

    Returns
    -------
    (str or None, str)
        The chosen key (``None``: no one dominates) and a note for the audit.

    Examples
    --------
    >>> key, note = dominant_person({"alvaro uribe": 109, "alvaro uribe velez": 20,
    ...                              "mario uribe": 15, "local uribe": 40}, "uribe")
    >>> key, note.split(": ")[1]
    ('alvaro uribe', '90% of the 144 mentions of full names with this surname (mario uribe 10%)')
    >>> dominant_person({"juan manuel santos": 30, "francisco santos": 25}, "santos")[0] is None
    True
    >>> dominant_person({"mario uribe": 3}, "uribe", alone=60)
    (None, 'mario uribe: 100% of the 3 mentions of full names with this surname; the surname \
alone has 60 mentions')
    """
    if not candidates:
        return None, ""
    real = {k: n for k, n in candidates.items() if not is_junk_candidate(k, surname_key)}
    pool = real or candidates
    sizes: dict[str, int] = {}
    for k, head in person_groups(pool).items():
        sizes[head] = sizes.get(head, 0) + pool[k]
    ranked = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(sizes.values())
    best, best_n = ranked[0]
    rest = ", ".join(f"{k} {n / total:.0%}" for k, n in ranked[1:4])
    note = (f"{best}: {best_n / total:.0%} of the {total} mentions of full names with this "
            f"surname" + (f" ({rest})" if rest else ""))
    supported = best_n >= support * (best_n + alone)
    if not supported:
        note += f"; the surname alone has {alone} mentions"
    return (best if best_n >= share * total and supported else None), note


_LAST_WORDS = re.compile(r"((?:[A-Za-z][\w./'\-]*[ \t]+){1,4})$")
#: words before a title that do not change whose title it is
_TITLE_QUALIFIERS = frozenset(["former", "ex", "then", "acting", "current", "new", "late"])


def title_key(words: list[str]) -> str:
    """The comparable form of a title: its last word, case-folded (``Colombian President``
    and ``President`` -> ``president``; ``former Senator`` -> ``senator``).

    >>> title_key(["Colombian", "President"]), title_key(["former", "Senator"])
    ('president', 'senator')
    """
    return words[-1].strip(".,").casefold() if words else ""


def title_before(text: str) -> str:
    """The title written right before a name, from the text that precedes it
    (:func:`title_key` form; ``""`` when none): ``... said President `` -> ``president``.

    >>> title_before("a meeting with President "), title_before("former Senator ")
    ('president', 'senator')
    >>> title_before("met with "), title_before("")
    ('', '')
    """
    m = _LAST_WORDS.search(text[-48:])
    if m is None:
        return ""
    words = m.group(1).split()
    for k in range(len(words), 0, -1):          # the longest title that ends the text
        tail = words[-k:]
        if title_length(tail) == k:
            return title_key(tail)
    return ""


def title_person(titled: dict[str, dict[str, int]], lone: dict[str, int],
                 share: float = SURNAME_SHARE) -> tuple[str | None, str]:
    """The person a lone surname stands for by the titles written before it: each titled
    lone mention (``President Uribe``) votes for the one person whose full names carry that
    title (``President Alvaro Uribe``; not ``Senator Mario Uribe``).

    Parameters
    ----------
    titled : dict
        ``person key -> {title: mentions}`` of the candidates' full names.
    lone : dict
        ``title -> mentions`` of the lone surname.
    share : float
        The least share of the votes the chosen person must hold.

    Returns
    -------
    (str or None, str)
        The person (``None``: the titles do not decide) and a note for the audit.

    Examples
    --------
    >>> title_person({"alvaro uribe": {"president": 4}, "mario uribe": {"senator": 3}},
    ...              {"president": 15, "senator": 1, "": 40})
    ('alvaro uribe', 'alvaro uribe: 15 of the 16 titled mentions (president); mario uribe 1')
    """
    votes: dict[str, int] = {}
    names: dict[str, set[str]] = {}
    for title, n in lone.items():
        if not title:
            continue
        holders = [p for p, ts in titled.items() if title in ts]
        if len(holders) == 1:
            votes[holders[0]] = votes.get(holders[0], 0) + n
            names.setdefault(holders[0], set()).add(title)
    total = sum(votes.values())
    if total < 2:
        return None, ""
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    best, n = ranked[0]
    rest = ", ".join(f"{k} {v}" for k, v in ranked[1:4])
    note = (f"{best}: {n} of the {total} titled mentions ({', '.join(sorted(names[best]))})"
            + (f"; {rest}" if rest else ""))
    return (best if n >= share * total else None), note
