"""The resolve stage's tables: one row per entity (label, type vote, counts, stable id), the
audit and the ambiguous names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np
import pandas as pd

from graphbuild.core.names import free_name, slugify
from graphbuild.resolve.codes import AMBIGUOUS_COLUMNS, AUDIT_COLUMNS, _empty, _first_last
from graphbuild.resolve.forms import _Form
from graphbuild.resolve.placement import (
    _Placement,
)
from graphbuild.resolve.rules import (
    choose_label,
    vote_type,
)


def _tally(table: dict[str, dict[str, int]], key: str, value: str, n: int) -> None:
    """``table[key][value] += n``, creating what is missing.

    >>> t = {}; _tally(t, "k", "a", 2); _tally(t, "k", "a", 1); t
    {'k': {'a': 3}}
    """
    counts = table.get(key)
    if counts is None:
        counts = table[key] = {}
    counts[value] = counts.get(value, 0) + n


def _label(counts: Mapping[str, int]) -> str:
    """:func:`~.rules.choose_label` over the spellings (one spelling is its own label)."""
    # a Counter counts as its mapping: no list of one spelling per mention
    return next(iter(counts)) if len(counts) == 1 else choose_label(counts)


def _entities(combo: np.ndarray, combo_of: list[tuple[int, int, int]], forms: list[_Form],
              placed: _Placement, paragraph: pd.Series, ldoc: np.ndarray,
              live_idx: np.ndarray, long_spellings: dict[str, Counter],
              combo_types: list[str] | None = None,
              country_labels: dict[str, str] | None = None,
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per target key (sorted; ``key, id_form, label, type, other_types, aliases,
    mentions, paragraphs, documents``) and the row of each combination. The type is the
    vote of ``combo_types`` (the type each combination's mentions stand for; default: the
    form's type); ``other_types`` lists the other types the mentions were given.
    ``country_labels``: the labels of the names keyed by a country (``GOC`` -> ``Government
    of Colombia`` when no mention spells it so; ``MFA`` -> ``MFA (Colombia)``)."""
    country_labels = country_labels or {}
    counts = np.bincount(combo, minlength=len(combo_of)).tolist()
    # plain dicts of counts (what Counter holds, without building a Counter per key:
    # there are a few hundred thousand at Cablegate scale)
    spellings: dict[str, dict[str, int]] = {}
    own: dict[str, dict[str, int]] = {}
    type_counts: dict[str, dict[str, int]] = {}
    seen_types: dict[str, dict[str, int]] = {}
    for c, (f, _, _) in enumerate(combo_of):
        tk, form, n = placed.target[c], forms[f], counts[c]
        _tally(spellings, tk, form.name, n)
        if form.key == tk:
            _tally(own, tk, form.name, n)
        _tally(type_counts, tk, combo_types[c] if combo_types else form.type, n)
        _tally(seen_types, tk, form.type, n)
    order = sorted(spellings)
    row_of = {tk: i for i, tk in enumerate(order)}
    ent_of_combo = np.array([row_of[tk] for tk in placed.target], dtype=np.int64)
    size, paras, docs = _spread(ent_of_combo[combo], ldoc,
                                paragraph.to_numpy()[live_idx], len(order))
    rows = []
    for i, tk in enumerate(order):
        counts_tk = spellings[tk]
        if tk in placed.user_entity:
            label = placed.user_entity[tk][0]
        elif tk in placed.variant_targets:  # spelling variants: the most frequent well-cased
            label = _label(counts_tk)
        elif own.get(tk):
            label = _label(own[tk])
        elif tk in placed.table_label:
            label = placed.table_label[tk]
        elif tk in long_spellings:
            label = _label(long_spellings[tk])
        else:
            label = _label(counts_tk)
        extra = country_labels.get(tk)
        if extra is not None and tk not in placed.user_entity and not own.get(tk):
            label = extra
        vote = vote_type(type_counts[tk])[0]
        utype = placed.user_entity.get(tk, (None, None))[1]
        if utype:
            vote = utype
        others = sorted((set(seen_types[tk]) | set(type_counts[tk])) - {vote})
        rows.append({"key": tk, "id_form": label,
                     "label": label, "type": vote, "other_types": " ".join(others),
                     "aliases": "|".join(sorted(set(counts_tk) - {label})),
                     "mentions": size[i], "paragraphs": paras[i], "documents": docs[i]})
    ents = pd.DataFrame(rows, columns=["key", "id_form", "label", "type", "other_types",
                                       "aliases", "mentions", "paragraphs", "documents"])
    ents["entity_id"] = _unique_slugs(ents["id_form"].tolist())
    return ents, ent_of_combo


def _spread(entity: np.ndarray, doc: np.ndarray, paragraph: np.ndarray, n: int,
            ) -> tuple[list[int], list[int], list[int]]:
    """Mentions, distinct (document, paragraph) and distinct documents per entity code.

    >>> _spread(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([1, 1, 1]), 2)
    ([2, 1], [2, 1], [2, 1])
    """
    para_code, _ = pd.factorize(paragraph, use_na_sentinel=False)
    n_paras = int(para_code.max(initial=-1)) + 1
    n_docs = max(int(doc.max(initial=-1)) + 1, 1)
    # distinct (entity, document, paragraph) by one sort: hashing millions of mostly
    # distinct keys (pd.unique) is several times slower
    key = np.sort((entity.astype(np.int64) * n_docs + doc) * max(n_paras, 1) + para_code)
    in_doc = key // max(n_paras, 1)
    new_para = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, bool)
    new_doc = np.r_[True, in_doc[1:] != in_doc[:-1]] if len(key) else np.zeros(0, bool)
    owner = in_doc // n_docs
    return (np.bincount(entity, minlength=n).tolist(),
            np.bincount(owner[new_para], minlength=n).tolist(),
            np.bincount(owner[new_doc], minlength=n).tolist())


def _unique_slugs(forms: list[str]) -> list[str]:
    """One id per entity, unique by construction.

    The rule: an entity's id is the slug of its name (:func:`~graphbuild.core.names.slugify`);
    the first entity (in table order, which is sorted by name key) whose slug is free keeps
    it; a later one with the same slug takes ``slug-2``, ``slug-3``..., skipping every
    suffixed id that is itself a slug of some entity or already given. So ``A B C 2`` keeps
    ``a-b-c-2`` even when two other names slug to ``a-b-c``.

    >>> _unique_slugs(["A.B.C.", "A B C", "A B C 2"])
    ['a-b-c', 'a-b-c-3', 'a-b-c-2']
    """
    bases = [slugify(form) for form in forms]
    taken = set(bases)
    first: set[str] = set()
    out = []
    for base in bases:
        if base not in first:
            first.add(base)
            out.append(base)
            continue
        out.append(free_name(base, taken, "-"))
    if len(set(out)) != len(out):      # the rule above cannot clash; say so loudly if it did
        raise AssertionError("entity ids are not unique")
    return out


def _audit(m: pd.DataFrame, codes: tuple[np.ndarray, ...], labels: pd.Series) -> pd.DataFrame:
    """One row per distinct (surface, type) as annotated and the entity it went to; when the
    mentions of one form were placed by different rules, the rules are joined by ``; ``
    (most frequent first). ``codes``: surface, type, entity (-1: none) and rule per mention,
    counted with numpy; only the distinct rows become strings."""
    if len(m) == 0:
        return _empty(AUDIT_COLUMNS)
    row = codes[0]
    for code in codes[1:]:   # combine pairwise, renumbering densely so nothing overflows
        a, _ = pd.factorize(row)
        b, _ = pd.factorize(code)
        row = a.astype(np.int64) * (int(b.max(initial=0)) + 1) + b
    row, uniques = pd.factorize(row)
    first = _first_last(row, len(uniques))[0]
    cols = ["surface", "type", "entity_id"]
    per_rule = pd.DataFrame({
        "surface": m["surface"].take(first).reset_index(drop=True),
        "type": m["type"].take(first).reset_index(drop=True),
        "entity_id": m["entity_id"].take(first).fillna("").reset_index(drop=True),
        "rule": m["rule"].take(first).reset_index(drop=True),
        "n": np.bincount(row, minlength=len(uniques)).astype(np.int64)})
    per_rule = per_rule.sort_values([*cols, "n", "rule"],
                                    ascending=[True, True, True, False, True], kind="stable")
    # the rows of one (surface, type, entity) are now adjacent, most frequent rule first
    per_rule = per_rule.reset_index(drop=True)
    same = pd.DataFrame({c: pd.factorize(per_rule[c])[0] for c in cols}).to_numpy()
    starts = np.flatnonzero(np.r_[True, (same[1:] != same[:-1]).any(axis=1)])
    rule = per_rule["rule"].astype(object).to_numpy()
    joined = rule[starts].copy()
    bounds = np.r_[starts, len(per_rule)]
    for g in np.flatnonzero(np.diff(bounds) > 1).tolist():   # few forms have several rules
        joined[g] = "; ".join(rule[bounds[g]:bounds[g + 1]].tolist())
    rows = per_rule.loc[starts, cols].reset_index(drop=True)
    rows["rule"] = joined
    rows["mentions"] = np.add.reduceat(per_rule["n"].to_numpy(), starts) if len(starts) \
        else np.zeros(0, np.int64)
    rows = rows.sort_values(cols, kind="stable").reset_index(drop=True)
    label_of = labels.to_dict()
    rows["label"] = [label_of.get(e, "") if e else "" for e in rows["entity_id"].tolist()]
    rows["note"] = ""           # filled by resolve() where a decision needs explaining
    out = rows[AUDIT_COLUMNS]
    return out.astype({c: "string" for c in AUDIT_COLUMNS if c != "mentions"}
                      | {"mentions": "int64"})


def _ambiguous(rows: list[dict], labels: dict[str, str]) -> pd.DataFrame:
    if not rows:
        return _empty(AMBIGUOUS_COLUMNS)
    frame = pd.DataFrame(rows)
    frame["candidates"] = frame["candidates"].map(
        lambda ks: "; ".join(labels.get(k, k) for k in ks))
    out = (frame.groupby(["kind", "name", "type", "doc_id", "candidates"], sort=True)
           ["mentions"].sum().reset_index())
    return out[AMBIGUOUS_COLUMNS].astype({c: "string" for c in AMBIGUOUS_COLUMNS
                                          if c != "mentions"})
