"""The resolve stage's main function: mentions -> entities, audit, ambiguous names (see the
package docstring for the rules, in order)."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphbuild.core import tables
from graphbuild.resolve.abbreviations import document_texts, find_definitions
from graphbuild.resolve.aliases import UserAliases, load_aliases
from graphbuild.resolve.codes import (
    AMBIGUOUS_COLUMNS,
    DEFINITION_COLUMNS,
    _empty,
    _factorize,
    _first_last,
    _index_of,
    _Interner,
    _strings,
)
from graphbuild.resolve.entities import _ambiguous, _audit, _entities
from graphbuild.resolve.forms import _context_flags, _form, _forms, _not_entity
from graphbuild.resolve.persons import is_single_name
from graphbuild.resolve.placement import (
    _combos,
    _definition_tables,
    _place_abbreviations,
    _place_surnames,
    _Placement,
)
from graphbuild.resolve.rules import (
    clean_surface,
    match_key,
)


@dataclass
class Resolution:
    """Result of :func:`resolve`.

    ``mentions`` (with ``entity_id``, ``status``, ``reason`` and the extra columns ``clean``,
    ``name``, ``rule``), ``entities`` (one row per node), ``audit`` (one row per annotated
    surface form and type: ``surface,type,entity_id,label,rule,mentions``), ``ambiguous``
    (names left apart because several entities could claim them) and ``definitions`` (the
    abbreviation definitions found in the text).
    """

    mentions: pd.DataFrame
    entities: pd.DataFrame
    audit: pd.DataFrame
    ambiguous: pd.DataFrame = field(default_factory=lambda: _empty(AMBIGUOUS_COLUMNS))
    definitions: pd.DataFrame = field(default_factory=lambda: _empty(DEFINITION_COLUMNS))

    def summary(self) -> dict[str, int]:
        """Surface forms in, entities out, dropped forms, ambiguous names."""
        kept = self.audit["entity_id"].notna() & self.audit["entity_id"].ne("")
        return {"surface forms": int(kept.sum()), "entities": len(self.entities),
                "dropped surface forms": int((~kept).sum()),
                "dropped mentions": int(self.audit.loc[~kept, "mentions"].sum()),
                "ambiguous names": int(self.ambiguous[["kind", "name"]]
                                       .drop_duplicates().shape[0])}

    def largest_merges(self, n: int = 20) -> pd.DataFrame:
        """Entities made of the most distinct surface forms: ``entity_id, label, type,
        forms, mentions, surfaces`` (surfaces joined by `` | ``)."""
        return largest_merges(self.audit, self.entities, n)

    def dropped(self) -> pd.DataFrame:
        """Dropped surface forms with their reason and mention count."""
        return dropped_forms(self.audit)


def largest_merges(audit: pd.DataFrame, entities: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The ``n`` entities made of the most distinct annotated surface forms."""
    kept = audit[audit["entity_id"].notna() & audit["entity_id"].ne("")]
    if kept.empty:
        return pd.DataFrame(columns=["entity_id", "label", "type", "forms", "mentions",
                                     "surfaces"])
    kept = kept.sort_values("mentions", ascending=False, kind="stable")
    g = kept.groupby("entity_id")
    out = pd.DataFrame({"forms": g["surface"].nunique(), "mentions": g["mentions"].sum()})
    ents = entities.set_index("entity_id")[["label", "type"]]
    out = out.join(ents).reset_index()
    out = out[out["forms"] > 1].sort_values(["forms", "mentions", "entity_id"],
                                            ascending=[False, False, True]).head(n)
    # the surfaces of the n shown entities only (a Python join per entity: 190 k at scale)
    shown = kept[kept["entity_id"].isin(out["entity_id"])]
    surfaces = shown.groupby("entity_id")["surface"].agg(
        lambda s: " | ".join(dict.fromkeys(s)))
    out["surfaces"] = surfaces.reindex(out["entity_id"]).to_numpy()
    return out[["entity_id", "label", "type", "forms", "mentions", "surfaces"]]


def dropped_forms(audit: pd.DataFrame) -> pd.DataFrame:
    """Dropped surface forms, most mentioned first: ``surface, type, rule, mentions``."""
    d = audit[audit["entity_id"].isna() | audit["entity_id"].eq("")]
    return d.sort_values(["mentions", "surface"], ascending=[False, True])[
        ["surface", "type", "rule", "mentions"]]


def resolve(mentions: pd.DataFrame, paragraphs: pd.DataFrame | None = None, *,
            texts: dict[str, str] | None = None,
            aliases: UserAliases | str | os.PathLike[str] | None = None,
            link_demonyms: bool = False) -> Resolution:
    """Give each kept mention an ``entity_id`` and build the entities and audit tables.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mentions table (:mod:`graphbuild.core.tables`).
    paragraphs : pandas.DataFrame, optional
        The paragraphs table: lets the abbreviation and context rules read the words around
        a mention (without it, or ``texts``, those rules are skipped).
    texts : dict, optional
        ``doc_id -> clean text``, instead of ``paragraphs``.
    aliases : UserAliases or path, optional
        The user's names (a TOML/CSV file): they win over every rule.
    link_demonyms : bool
        Join demonyms to their country (Swedish -> Sweden).

    Returns
    -------
    Resolution
        ``mentions`` (with ``entity_id``, ``status``, ``reason``, ``clean``, ``name``,
        ``rule``, ``resolved_type``), ``entities``, ``audit`` (how each surface form became an
        entity, or why it was dropped), ``ambiguous`` and ``definitions``.

    Examples
    --------
    >>> from graphbuild.extract.corpus import parse_document
    >>> from graphbuild.read import read_text
    >>> p = parse_document(read_text("¶1. [LOC RUSSIA  ] and [LOC Russia:  ] met "
    ...     "[ORG Government of Venezuela  ] ( [ORG GOV  ] ) and [ORG S/NF  ] .", "d")[0])
    >>> r = resolve(pd.DataFrame(p.mentions).assign(mention_id=range(5)),
    ...             pd.DataFrame(p.paragraphs))
    >>> r.entities[["entity_id", "label", "mentions"]].values.tolist()
    [['government-of-venezuela', 'Government of Venezuela', 2], ['russia', 'Russia', 2]]
    >>> r.audit.set_index("surface")["rule"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'GOV': 'abbreviation', 'Government of Venezuela': 'exact', 'RUSSIA': 'case-variant',
     'Russia:': 'cleanup', 'S/NF': 'marking'}
    """
    if aliases is not None and not isinstance(aliases, UserAliases):
        aliases = load_aliases(aliases)
    # shallow: the new and replaced columns below never write into the caller's table
    # (copy-on-write), and the untouched columns (offsets, surfaces...) stay shared
    m = mentions.copy(deep=False).reset_index(drop=True)
    for col, default in (("reason", ""), ("source", "annotation"), ("line", 0), ("column", 0),
                         ("section", "body"), ("entity_id", None)):
        if col not in m.columns:
            m[col] = default
    m["reason"] = m["reason"].fillna("").astype("string")
    # every rule below runs once per distinct value; mentions only carry integer codes
    surf_code, surfaces = _factorize(m["surface"])
    type_code, types = _factorize(m["type"])
    doc_code, docs = _factorize(m["doc_id"])
    status_code, status_values = _factorize(m["status"])
    reason_code, reason_values = _factorize(m["reason"])
    kept = status_code == _index_of(status_values, "kept")
    if texts is None and paragraphs is not None and len(paragraphs):
        located = m[["doc_id", "start", "end", "surface"]]
        texts = document_texts(paragraphs, located if kept.all() else located[kept])
    texts = texts or {}
    clean = [clean_surface(s) for s in surfaces]

    # --- one surface form at a time ------------------------------------------------------
    context, following = _context_flags(m, kept, surf_code, clean, doc_code, docs, texts)
    form_code, form_of = _forms(kept, surf_code, type_code, context, len(types))
    forms = [_form(surfaces[s], clean[s], types[t], ctx, following.get(first), aliases)
             for s, t, ctx, first in form_of]
    live_forms = [f for f in forms if f.reason is None]
    known = {match_key(f.name) for f in live_forms}
    for f in live_forms:
        if f.forced is None:
            f.run_ons(known)
    keys = _Interner()
    for f in forms:
        f.key = match_key(f.name)
    f_key = np.array([keys.add(f.key) for f in forms], dtype=np.int64)
    f_live = np.array([f.reason is None for f in forms], dtype=bool)
    f_free = np.array([f.reason is None and f.forced is None for f in forms], dtype=bool)
    live = kept & (f_live[form_code] if len(forms) else False)
    live_idx = np.flatnonzero(live)
    lform = form_code[live_idx]
    ldoc = doc_code[live_idx]
    target = f_key[lform]
    how = np.zeros(len(live_idx), dtype=np.int8)   # index into CORPUS_RULES
    ambiguous: list[dict] = []

    # --- abbreviations -------------------------------------------------------------------
    names = np.array([f.name for f in forms] or [""], dtype=object)
    # the ids gathered by Arrow and the names left as objects: a column of 9 M Python
    # strings would otherwise be converted to Arrow text, string by string
    live_frame = pd.DataFrame({"doc_id": _strings(docs, ldoc),
                               "start": m["start"].astype(int).to_numpy()[live_idx],
                               "end": m["end"].astype(int).to_numpy()[live_idx],
                               "name": pd.Series(names[lform], dtype=object)})
    definitions = find_definitions(live_frame, texts) if texts else []
    del live_frame
    doc_defs, corpus_defs, long_spellings = _definition_tables(definitions)
    if corpus_defs:
        cand = np.array([keys.values[k] in corpus_defs for k in f_key.tolist()]) & f_free
        _place_abbreviations(cand[lform], lform, ldoc, forms, docs, keys, doc_defs,
                             corpus_defs, target, how, ambiguous)

    # --- surnames ------------------------------------------------------------------------
    full = np.array([f.type == "PER" and len(keys.values[k].split()) > 1
                     for f, k in zip(forms, f_key.tolist(), strict=True)], dtype=bool)
    single = np.array([f.type == "PER" and is_single_name(keys.values[k])
                       for f, k in zip(forms, f_key.tolist(), strict=True)], dtype=bool)
    cand = (single & f_free)[lform] & (how == 0) if len(forms) else np.zeros(0, bool)
    if cand.any():
        by_token: dict[str, set[str]] = defaultdict(set)
        for k in set(f_key[full & f_live].tolist()):
            by_token[keys.values[k].split()[-1]].add(keys.values[k])
        _place_surnames(cand, full[lform], lform, ldoc, forms, docs, keys, by_token,
                        target, how, ambiguous)

    # --- tables, demonyms, the user's names (once per form, target and rule) -------------
    combo, combo_of = _combos(lform, target, how, len(keys.values))
    placed = _Placement()
    for c, (f, t, h) in enumerate(combo_of):
        placed.add(c, forms[f], keys.values[t], h, aliases, link_demonyms)
    placed.settle(*_first_last(combo, len(combo_of)))

    # --- entities ------------------------------------------------------------------------
    ents, ent_of_combo = _entities(combo, combo_of, forms, placed, m["paragraph"], ldoc,
                                   live_idx, long_spellings)
    key_to_label = dict(zip(ents["key"], ents["label"], strict=True))
    rules = _Interner()
    combo_rule = np.array([rules.add(placed.rule(c, forms[f], key_to_label))
                           for c, (f, _, _) in enumerate(combo_of)], dtype=np.int64)

    # --- the mentions table --------------------------------------------------------------
    n = len(m)
    f_reason = np.array([f.reason or "" for f in forms] or [""], dtype=object)
    dropped = kept & ~live
    status_values = [*status_values, "dropped"]
    status_code = status_code.copy()
    status_code[dropped] = len(status_values) - 1
    reason_code = reason_code.copy()
    extra = _Interner(reason_values)
    drop_reason = np.array([extra.add(r) for r in f_reason.tolist()], dtype=np.int64)
    reason_code[dropped] = drop_reason[form_code[dropped]]
    reason_values = extra.values
    # dropped mentions: the reason, else the status, stands as the rule
    rule_code = np.full(n, -1, dtype=np.int64)
    fallback = np.array([rules.add(r or s) for r in reason_values for s in status_values],
                        dtype=np.int64).reshape(len(reason_values), len(status_values))
    rule_code[~live] = fallback[reason_code[~live], status_code[~live]]
    rule_code[live_idx] = combo_rule[combo]
    ent_code = np.full(n, -1, dtype=np.int64)
    ent_code[live_idx] = ent_of_combo[combo]
    name_code = np.full(n, -1, dtype=np.int64)
    name_code[live_idx] = lform
    rtype = _Interner(types)
    f_type = np.array([rtype.add(f.type) for f in forms] or [0], dtype=np.int64)
    rtype_code = type_code.copy()
    rtype_code[live_idx] = f_type[lform]

    m["status"] = _strings(status_values, status_code)
    m["reason"] = _strings(reason_values, reason_code)
    m["entity_id"] = _strings(ents["entity_id"].tolist(), ent_code)
    # the columns resolve adds are dictionary-coded (4 bytes a row, not 20-30): at
    # Cablegate scale they are 9.5 M rows of a few hundred thousand distinct values
    m["clean"] = tables.category_of(clean, surf_code)
    m["name"] = tables.category_of(names.tolist(), name_code)
    m["rule"] = tables.category_of(rules.values, rule_code)
    m["resolved_type"] = tables.category_of(rtype.values, rtype_code)

    audit = _audit(m, (surf_code, type_code, ent_code, rule_code),
                   ents.set_index("entity_id")["label"])
    amb = _ambiguous(ambiguous, key_to_label)
    defs = pd.DataFrame([d.__dict__ for d in definitions], columns=DEFINITION_COLUMNS)
    mentions_out = tables.conform("mentions", m)
    entities = tables.conform("entities", ents.drop(columns=["key", "id_form"]))
    match_key.cache_clear()
    _not_entity.cache_clear()
    return Resolution(mentions_out, entities, audit, amb, defs.astype("string"))
