"""The corpus rules of the resolve stage: abbreviations and surnames placed per form and
document, then the known variants, demonyms and the user's names per (form, target, rule)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from graphbuild.resolve.aliases import UserAliases
from graphbuild.resolve.codes import _Interner
from graphbuild.resolve.forms import _Form
from graphbuild.resolve.knowledge import (
    _country_names,
    institution_keys,
    named_country,
    post_countries,
    qualified,
)
from graphbuild.resolve.persons import (
    dominant_person,
    person_groups,
    surname_candidates,
    title_person,
)
from graphbuild.resolve.rules import (
    demonym_place,
    known_variant,
    match_key,
)

# --- abbreviations and surnames (per form and document) ------------------------------------

#: rules that join one name to a different canonical name
MERGE_RULES = ("abbreviation", "surname-document", "surname-corpus", "name-variant",
               "long-form-variant", "post-country", "abbreviation+post-country",
               "known-variant", "demonym", "user-alias")
#: the corpus rule that placed a mention, by the code kept per mention
CORPUS_RULES = ("", "abbreviation", "surname-document", "surname-corpus", "name-variant",
                "long-form-variant", "post-country", "abbreviation+post-country")
#: the rules that make a mention a person's
PERSON_RULES = frozenset({2, 3, 4})
_RULE_SLOTS = 8             # room for the codes of CORPUS_RULES in a packed combination


_TOKEN_SPLIT = re.compile(r"[\s\-/,.()]+")
_LONG_STOPWORDS = frozenset(["of", "the", "and", "for", "de", "del", "la", "las", "los",
                             "el", "y", "in", "on", "to", "a", "an", "at"])


def long_form_key(key: str) -> str:
    """What the spellings of one long form share: its words without function words,
    singular, demonyms as their place, in sorted order (``Revolutionary Armed Forces of
    Colombia`` = ``revolutionary armed force of colombia`` = ``Colombian Revolutionary
    Armed Forces``).

    >>> long_form_key("revolutionary armed forces of colombia") == long_form_key(
    ...     "colombian revolutionary armed force")
    True
    """
    words = []
    for t in _TOKEN_SPLIT.split(key.casefold()):
        if not t or t in _LONG_STOPWORDS:
            continue
        place = demonym_place(t)
        if place is not None:
            t = place.casefold()
        elif len(t) > 3 and t.endswith("s") and not t.endswith("ss"):
            t = t[:-1]
        words.append(t)
    return " ".join(sorted(words))


#: the share of an abbreviation's definitions one long form must hold to be its meaning
#: across the corpus when the definitions differ (``DAS``: the Colombian agency in most
#: cables, the US title in a few)
DEFINITION_SHARE = 0.75


def _definition_tables(definitions: list) -> tuple[dict, dict, dict, dict]:
    """``(doc_id, short key) -> long key``, ``short key -> {long keys}`` (no chains; the
    spellings of one long form, :func:`long_form_key`, count as one, and a long form with
    :data:`DEFINITION_SHARE` of the definitions stands alone), the spellings of each long
    form and ``long_form_key -> long key`` of the long forms chosen."""
    doc_defs: dict[tuple[str, str], str] = {}
    by_short: dict[str, Counter] = defaultdict(Counter)
    long_spellings: dict[str, Counter] = defaultdict(Counter)
    for d in definitions:
        sk, lk = match_key(d.short), match_key(d.long)
        if sk == lk:
            continue
        doc_defs.setdefault((d.doc_id, sk), lk)
        by_short[sk][lk] += 1
        long_spellings[lk][d.long] += 1
    corpus_defs: dict[str, set[str]] = {}
    canonical: dict[str, str] = {}
    for sk, longs in by_short.items():
        groups: dict[str, Counter] = defaultdict(Counter)
        for lk, n in longs.items():
            groups[long_form_key(lk)][lk] += n
        heads = {norm: g.most_common(1)[0][0] for norm, g in groups.items()}
        sizes = {norm: sum(g.values()) for norm, g in groups.items()}
        best = max(sizes, key=lambda k: (sizes[k], k))
        if sizes[best] >= DEFINITION_SHARE * sum(sizes.values()):
            corpus_defs[sk] = {heads[best]}
        else:
            corpus_defs[sk] = set(heads.values())
        for norm, head in heads.items():
            canonical.setdefault(norm, head)
    for sk in list(corpus_defs):  # a long form that is itself defined elsewhere: no chains
        corpus_defs[sk] = {lk for lk in corpus_defs[sk] if lk not in corpus_defs}
    # the document's own definition, in the spelling the corpus settled on
    for (doc, sk), lk in list(doc_defs.items()):
        doc_defs[(doc, sk)] = canonical.get(long_form_key(lk), lk)
    return doc_defs, corpus_defs, long_spellings, canonical


def _place_long_variants(cand: np.ndarray, lform: np.ndarray, forms: list[_Form],
                         keys: _Interner, canonical: dict[str, str], target: np.ndarray,
                         how: np.ndarray) -> None:
    """A spelling of a defined long form (``Revolutionary Armed Force of Colombia``) joins
    the spelling the corpus settled on (``long-form-variant``)."""
    sel = np.flatnonzero(cand)
    heads = {}
    for f in set(lform[sel].tolist()):
        head = canonical.get(long_form_key(forms[f].key))
        heads[f] = keys.add(head) if head is not None and head != forms[f].key else -1
    to = np.array([heads[f] for f in lform[sel].tolist()], dtype=np.int64)
    _assign(sel, to, target, how, CORPUS_RULES.index("long-form-variant"))


def _pairs(sel: np.ndarray, lform: np.ndarray, ldoc: np.ndarray, n_docs: int,
           ) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray]:
    """The distinct ``(form, document)`` of the selected live mentions, each mention's pair
    and each pair's number of mentions.

    >>> _pairs(np.array([0, 2]), np.array([5, 5, 5]), np.array([1, 1, 1]), 3)
    ([(5, 1)], array([0, 0]), array([2]))
    """
    pairs, inverse, counts = np.unique(lform[sel] * n_docs + ldoc[sel], return_inverse=True,
                                       return_counts=True)
    return ([divmod(p, n_docs) for p in pairs.tolist()], inverse.reshape(-1), counts)


def _place_abbreviations(cand: np.ndarray, lform: np.ndarray, ldoc: np.ndarray,
                         forms: list[_Form], docs: list[str], keys: _Interner,
                         doc_defs: dict, corpus_defs: dict, target: np.ndarray,
                         how: np.ndarray, ambiguous: list[dict]) -> None:
    """``ABBR`` joins the long form defined in its document, else the only one defined in the
    corpus; with several and none in its document it is listed as ambiguous."""
    sel = np.flatnonzero(cand)
    pairs, inverse, counts = _pairs(sel, lform, ldoc, len(docs))
    placed = np.full(len(pairs), -1, dtype=np.int64)
    for j, (f, d) in enumerate(pairs):
        k = forms[f].key
        lk = doc_defs.get((docs[d], k))
        if lk is None and len(corpus_defs[k]) == 1:
            lk = next(iter(corpus_defs[k]))
        if lk is not None:
            placed[j] = keys.add(lk)
        elif corpus_defs[k]:
            ambiguous.append({"kind": "abbreviation", "name": forms[f].name,
                              "type": forms[f].type, "doc_id": docs[d],
                              "candidates": sorted(corpus_defs[k]), "mentions": int(counts[j])})
    _assign(sel, placed[inverse], target, how, CORPUS_RULES.index("abbreviation"))


def _assign(sel: np.ndarray, to: np.ndarray, target: np.ndarray, how: np.ndarray,
            rule: np.ndarray | int) -> None:
    """Send the selected mentions whose new target is not -1 there, noting the rule."""
    hit = to >= 0
    target[sel[hit]] = to[hit]
    how[sel[hit]] = rule[hit] if isinstance(rule, np.ndarray) else rule


def _place_surnames(cand: np.ndarray, full: np.ndarray, lform: np.ndarray, ldoc: np.ndarray,
                    forms: list[_Form], docs: list[str], keys: _Interner,
                    full_counts: dict[str, int], single_counts: dict[str, int],
                    title_choices: dict[str, tuple[str | None, str]],
                    target: np.ndarray, how: np.ndarray, ambiguous: list[dict],
                    notes: dict[str, str]) -> None:
    """A one-word person name joins the person its titled mentions point to
    (``title_choices``: "President Uribe" is the "President Alvaro Uribe"), else the person
    who dominates the corpus's full names with that surname
    (:func:`~.persons.dominant_person`: by share of mentions); ``surname-document`` when
    that person is named in its document. Otherwise the only person among the full names
    containing it in its document, else it is listed as ambiguous. ``full``: the live
    mention is a person name of two or more words; ``full_counts``: mentions per full-name
    key; ``notes`` gets the evidence behind each corpus decision (surname key -> note) for
    the audit."""
    sel = np.flatnonzero(cand)
    n_keys = len(keys.values)
    in_scope = full & np.isin(ldoc, np.unique(ldoc[sel]))
    f_key = np.array([keys.add(f.key) for f in forms], dtype=np.int64)
    doc_full: dict[int, set[str]] = defaultdict(set)
    for x in np.unique(ldoc[in_scope] * n_keys + f_key[lform[in_scope]]).tolist():
        d, k = divmod(x, n_keys)
        doc_full[d].add(keys.values[k])
    by_token = surname_index(full_counts)
    corpus_choice: dict[str, str | None] = {}
    pairs, inverse, counts = _pairs(sel, lform, ldoc, len(docs))
    placed = np.full(len(pairs), -1, dtype=np.int64)
    rule_of = np.zeros(len(pairs), dtype=np.int8)
    for j, (f, d) in enumerate(pairs):
        k = forms[f].key
        if k not in corpus_choice:
            # the titles written before the surname first ("President Uribe" is the one
            # "President Alvaro Uribe"), else the share of mentions
            corpus_choice[k], note = title_choices.get(k, (None, ""))
            if corpus_choice[k] is None:
                corpus_choice[k], note2 = dominant_person(by_token.get(k, {}), k,
                                                          alone=single_counts.get(k, 0))
                note = "; ".join(x for x in (note, note2) if x)
            if note:
                notes[k] = note
        chosen, rule = corpus_choice[k], "surname-corpus"
        doc_cands = surname_candidates(k, doc_full.get(d, ()))
        if doc_cands:
            in_doc, _ = dominant_person({c: full_counts.get(c, 1) for c in doc_cands}, k,
                                        share=1.0, alone=single_counts.get(k, 0))
            # the document's own full name, where the corpus has no other say (or agrees)
            if in_doc is not None and (chosen is None or chosen == in_doc):
                chosen, rule = in_doc, "surname-document"
        if chosen is not None:
            placed[j] = keys.add(chosen)
            rule_of[j] = CORPUS_RULES.index(rule)
        elif doc_cands or by_token.get(k):
            kind = "surname-in-document" if doc_cands else "surname-in-corpus"
            ambiguous.append({"kind": kind, "name": forms[f].name, "type": forms[f].type,
                              "doc_id": docs[d],
                              "candidates": sorted(doc_cands or by_token[k]),
                              "mentions": int(counts[j])})
    _assign(sel, placed[inverse], target, how, rule_of[inverse])


def surname_index(full_counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """``surname -> {full-name key: mentions}``: across the corpus a surname is one of a full
    name's last two words (Spanish names end with two family names: Hugo Chavez Frias is
    "Chavez"), never its first.

    >>> surname_index({"hugo chavez frias": 3})["chavez"]
    {'hugo chavez frias': 3}
    """
    by_token: dict[str, dict[str, int]] = defaultdict(dict)
    for k, n in full_counts.items():
        for t in set(k.split()[1:][-2:]):
            by_token[t][k] = n
    return by_token


def title_choices(lone_titles: dict[str, Counter], full_titles: dict[str, Counter],
                  full_counts: dict[str, int]) -> dict[str, tuple[str | None, str]]:
    """Per lone surname, the person its titled mentions point to
    (:func:`~.persons.title_person`), over the persons (:func:`~.persons.person_groups`)
    whose full names hold the surname."""
    if not lone_titles:
        return {}
    head = person_groups(full_counts)
    titled: dict[str, Counter] = defaultdict(Counter)
    for k, ts in full_titles.items():
        if k in head:
            titled[head[k]].update(ts)
    by_token = surname_index(full_counts)
    out = {}
    for k, ts in lone_titles.items():
        persons = {head[c] for c in by_token.get(k, ())}
        if persons:
            out[k] = title_person({p: titled.get(p, {}) for p in persons}, dict(ts))
    return out


def _place_post_country(lform: np.ndarray, ldoc: np.ndarray, forms: list[_Form],
                        docs: list[str], keys: _Interner, doc_post: dict[str, str],
                        target: np.ndarray, how: np.ndarray) -> dict[str, str]:
    """The host country's institutions (:func:`~.knowledge.qualified`): ``GOC`` and ``MFA``
    in a cable from Embassy Bogota become the Government of Colombia and Colombia's MFA
    (``post-country``); one named with its country's demonym (``Venezuelan MFA``,
    ``Colombian government``: :func:`~.knowledge.named_country`) is that country's
    anywhere. Returns the labels the new names need (key -> label)."""
    countries = set(_country_names())
    n_keys = len(keys.values)
    is_country = np.array([k in countries for k in keys.values], dtype=bool)
    hit = is_country[target]
    per_doc: dict[str, Counter] = defaultdict(Counter)
    if hit.any():
        pairs, counts = np.unique(ldoc[hit] * n_keys + target[hit], return_counts=True)
        for p, c in zip(pairs.tolist(), counts.tolist(), strict=True):
            d, k = divmod(p, n_keys)
            per_doc[docs[d]][keys.values[k]] += c
    country_of = post_countries(doc_post, per_doc)
    free = np.array([f.forced is None for f in forms], dtype=bool)[lform] if len(forms) \
        else np.zeros(0, bool)
    # only names that can mean a country's institution are looked at, once per document
    named = {k: named_country(k) for k in keys.values}
    maybe = np.array([named[k] is not None or k in institution_keys()
                      or (k.startswith("go") and 3 <= len(k) <= 5) for k in keys.values],
                     dtype=bool)
    sel = np.flatnonzero(free & maybe[target]
                         & ((how == 0) | (how == CORPUS_RULES.index("abbreviation"))))
    labels: dict[str, str] = {}
    # decided once per distinct (name, document): millions of mentions, far fewer pairs
    pairs, inverse = np.unique(target[sel] * len(docs) + ldoc[sel], return_inverse=True)
    decided = np.full(len(pairs), -1, dtype=np.int64)
    for p, (t, d) in enumerate(divmod(x, len(docs)) for x in pairs.tolist()):
        key = keys.values[t]
        country = country_of.get(doc_post.get(docs[d], ""))
        q = named[key] or (qualified(key, country) if country else None)
        if q is not None:
            decided[p] = keys.add(q[0])
            labels[q[0]] = q[1]
    to = decided[inverse.reshape(-1)]
    rule = np.where(how[sel] == CORPUS_RULES.index("abbreviation"),
                    CORPUS_RULES.index("abbreviation+post-country"),
                    CORPUS_RULES.index("post-country")).astype(np.int8)
    _assign(sel, to, target, how, rule)
    return labels


def _place_name_variants(cand: np.ndarray, lform: np.ndarray, forms: list[_Form],
                         keys: _Interner, full_counts: dict[str, int], target: np.ndarray,
                         how: np.ndarray) -> None:
    """Full names of one person (``Alvaro Uribe Velez``, ``Alvaro Uribe``:
    :func:`~.persons.person_groups`) join the most mentioned of them (``name-variant``)."""
    head = {k: h for k, h in person_groups(full_counts).items() if h != k}
    if not head:
        return
    sel = np.flatnonzero(cand)
    to = np.array([keys.add(head[forms[f].key]) if forms[f].key in head else -1
                   for f in lform[sel].tolist()], dtype=np.int64)
    _assign(sel, to, target, how, CORPUS_RULES.index("name-variant"))


# --- the corpus-wide tables, per (form, target, rule) ---------------------------------------

def _combos(lform: np.ndarray, target: np.ndarray, how: np.ndarray, n_keys: int,
            ) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Number the distinct ``(form, target key, corpus rule)`` of the live mentions.

    >>> _combos(np.array([0, 0, 1]), np.array([3, 3, 3]), np.array([0, 0, 1]), 4)
    (array([0, 0, 1]), [(0, 3, 0), (1, 3, 1)])
    """
    slots = _RULE_SLOTS
    codes, uniques = pd.factorize((lform * n_keys + target) * slots + how)
    return codes.astype(np.int64), [(u // slots // n_keys, u // slots % n_keys, u % slots)
                                    for u in uniques.tolist()]


class _Placement:
    """Rules 9-11 of :func:`resolve` for each ``(form, target, rule)``: the final target key
    and rule chain, and the labels and user entities they imply.

    The tables are filled as if the mentions were visited in order: an assignment by the
    last mention that makes it wins, a ``setdefault`` by the first (see :meth:`settle`).
    """

    def __init__(self) -> None:
        self.target: list[str] = []
        self.chain: list[list[str]] = []
        self.table_label: dict[str, str] = {}
        self.variant_targets: set[str] = set()
        self.user_entity: dict[str, tuple[str, str | None]] = {}
        self._assign: list[tuple[int, dict, str, object]] = []
        self._default: list[tuple[int, str, str]] = []

    def add(self, c: int, form: _Form, tk: str, how: int, aliases: UserAliases | None,
            link_demonyms: bool) -> None:
        chain = [*form.rules, CORPUS_RULES[how]] if how else [*form.rules]
        if form.forced is not None:
            tk = match_key(form.forced[0])
            self._assign.append((c, self.user_entity, tk, form.forced))
            chain.append("user-alias")
        else:
            # "us" in lower case is a pronoun, "US" the country
            canonical = None if form.name.islower() else known_variant(tk)
            if canonical is not None:
                ck = match_key(canonical)
                self._assign.append((c, self.table_label, ck, canonical))
                self.variant_targets.add(ck)
                if ck != tk:
                    tk = ck
                    chain.append("known-variant")
            if link_demonyms:
                place = demonym_place(tk)
                if place is not None:
                    tk = match_key(place)
                    self._default.append((c, tk, place))
                    chain.append("demonym")
            if aliases is not None and (hit := aliases.lookup(tk)) is not None:
                tk = match_key(hit[0])
                self._assign.append((c, self.user_entity, tk, hit))
                chain.append("user-alias")
        self.target.append(tk)
        self.chain.append(chain)

    def settle(self, first: np.ndarray, last: np.ndarray) -> None:
        """Fill the tables: assignments in the order of each combination's last mention,
        then the ``setdefault``s in the order of their first."""
        for _, table, k, v in sorted(self._assign, key=lambda e: last[e[0]]):
            table[k] = v
        for _, k, v in sorted(self._default, key=lambda e: first[e[0]]):
            self.table_label.setdefault(k, v)

    def rule(self, c: int, form: _Form, key_to_label: dict[str, str]) -> str:
        """The rule chain of combination ``c``; a spelling that differs from the label of its
        own entity, placed by no merge rule, is a ``case-variant``."""
        chain, tk = self.chain[c], self.target[c]
        if form.key == tk and form.name != key_to_label[tk] and \
                not any(r in MERGE_RULES for r in chain):
            chain = [*chain, "case-variant"]
        return "+".join(chain) or "exact"
