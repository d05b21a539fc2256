"""The corpus rules of the resolve stage: abbreviations and surnames placed per form and
document, then the known variants, demonyms and the user's names per (form, target, rule)."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from graphbuild.resolve.aliases import UserAliases
from graphbuild.resolve.codes import _Interner
from graphbuild.resolve.forms import _Form
from graphbuild.resolve.persons import surname_candidates
from graphbuild.resolve.rules import (
    demonym_place,
    known_variant,
    match_key,
)

# --- abbreviations and surnames (per form and document) ------------------------------------

#: rules that join one name to a different canonical name
MERGE_RULES = ("abbreviation", "surname-document", "surname-corpus", "known-variant",
               "demonym", "user-alias")
#: the corpus rule that placed a mention, by the code kept per mention
CORPUS_RULES = ("", "abbreviation", "surname-document", "surname-corpus")


def _definition_tables(definitions: list) -> tuple[dict, dict, dict]:
    """``(doc_id, short key) -> long key``, ``short key -> {long keys}`` (no chains) and the
    spellings of each long form."""
    doc_defs: dict[tuple[str, str], str] = {}
    corpus_defs: dict[str, set[str]] = defaultdict(set)
    long_spellings: dict[str, Counter] = defaultdict(Counter)
    for d in definitions:
        sk, lk = match_key(d.short), match_key(d.long)
        if sk == lk:
            continue
        doc_defs.setdefault((d.doc_id, sk), lk)
        corpus_defs[sk].add(lk)
        long_spellings[lk][d.long] += 1
    for sk in list(corpus_defs):  # a long form that is itself defined elsewhere: no chains
        corpus_defs[sk] = {lk for lk in corpus_defs[sk] if lk not in corpus_defs}
    return doc_defs, corpus_defs, long_spellings


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
                    by_token: dict[str, set[str]], target: np.ndarray, how: np.ndarray,
                    ambiguous: list[dict]) -> None:
    """A one-word person name joins the only full name containing it in its document, else the
    only full name ending with it in the corpus; several candidates: listed as ambiguous.
    Only the documents that hold a candidate are looked into (``full``: the live mention is
    a person name of two or more words)."""
    sel = np.flatnonzero(cand)
    n_keys = len(keys.values)
    in_scope = full & np.isin(ldoc, np.unique(ldoc[sel]))
    f_key = np.array([keys.add(f.key) for f in forms], dtype=np.int64)
    doc_full: dict[int, set[str]] = defaultdict(set)
    for x in np.unique(ldoc[in_scope] * n_keys + f_key[lform[in_scope]]).tolist():
        d, k = divmod(x, n_keys)
        doc_full[d].add(keys.values[k])
    pairs, inverse, counts = _pairs(sel, lform, ldoc, len(docs))
    placed = np.full(len(pairs), -1, dtype=np.int64)
    rule_of = np.zeros(len(pairs), dtype=np.int8)
    for j, (f, d) in enumerate(pairs):
        k = forms[f].key
        cands = surname_candidates(k, doc_full.get(d, ()))
        rule = "surname-document"
        if not cands:
            cands, rule = sorted(by_token.get(k, ())), "surname-corpus"
        if len(cands) == 1:
            placed[j] = keys.add(cands[0])
            rule_of[j] = CORPUS_RULES.index(rule)
        elif len(cands) > 1:
            ambiguous.append({"kind": rule.replace("surname", "surname-in"),
                              "name": forms[f].name, "type": forms[f].type, "doc_id": docs[d],
                              "candidates": cands, "mentions": int(counts[j])})
    _assign(sel, placed[inverse], target, how, rule_of[inverse])


# --- the corpus-wide tables, per (form, target, rule) ---------------------------------------

def _combos(lform: np.ndarray, target: np.ndarray, how: np.ndarray, n_keys: int,
            ) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """Number the distinct ``(form, target key, corpus rule)`` of the live mentions.

    >>> _combos(np.array([0, 0, 1]), np.array([3, 3, 3]), np.array([0, 0, 1]), 4)
    (array([0, 0, 1]), [(0, 3, 0), (1, 3, 1)])
    """
    codes, uniques = pd.factorize((lform * n_keys + target) * 4 + how)
    return codes.astype(np.int64), [(u // 4 // n_keys, u // 4 % n_keys, u % 4)
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
