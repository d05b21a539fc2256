"""The resolve stage's main function: mentions -> entities, audit, ambiguous names (see the
package docstring for the rules, in order)."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graphbuild.core import lexicon, tables
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
from graphbuild.resolve.knowledge import key_types, type_knowledge
from graphbuild.resolve.persons import is_single_name, title_before
from graphbuild.resolve.placement import (
    PERSON_RULES,
    _combos,
    _definition_tables,
    _place_abbreviations,
    _place_long_variants,
    _place_name_variants,
    _place_post_country,
    _place_surnames,
    _Placement,
    surname_index,
    title_choices,
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


def _may_be_surname(key: str, etype: str) -> bool:
    """A one-word name typed PER, or ORG by a model that often types surnames so
    (``Uribe``), but not an acronym (``FARC``: written in capitals in mixed-case cables)."""
    if etype == "PER":
        return True
    form = lexicon.truecase_table().get(key)
    return etype == "ORG" and not (form is not None and form.isupper())


def _titles(lone: np.ndarray, full: np.ndarray, lform: np.ndarray, ldoc: np.ndarray,
            live_idx: np.ndarray, starts: pd.Series, forms: list, docs: list[str],
            texts: dict[str, str]) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """The titles written before the lone surnames and the full names (a title in the
    surface itself counts too: ``President Uribe`` annotated whole): ``key -> Counter``."""
    lone_t: dict[str, Counter] = defaultdict(Counter)
    full_t: dict[str, Counter] = defaultdict(Counter)
    pick = np.flatnonzero(lone | full)
    if not len(pick):
        return lone_t, full_t
    start = starts.to_numpy()[live_idx[pick]].astype(np.int64).tolist()
    for j, s0 in zip(pick.tolist(), start, strict=True):
        f = forms[lform[j]]
        text = texts.get(docs[ldoc[j]], "")
        t = f.title or (title_before(text[max(0, s0 - 48):s0]) if text else "")
        (lone_t if lone[j] else full_t)[f.key][t] += 1
    return lone_t, full_t


def _notes(audit: pd.DataFrame, notes: dict[str, str]) -> pd.Series:
    """The audit's ``note``: for a lone surname placed across the corpus, the share of
    mentions that decided it."""
    if not notes or audit.empty:
        return pd.Series([""] * len(audit), dtype="string", index=audit.index)
    keys = [match_key(clean_surface(str(s))) for s in audit["surface"].tolist()]
    rules = audit["rule"].astype(str).tolist()
    return pd.Series([notes.get(k, "") if "surname" in r else ""
                      for k, r in zip(keys, rules, strict=True)], dtype="string",
                     index=audit.index)


def resolve(mentions: pd.DataFrame, paragraphs: pd.DataFrame | None = None, *,
            documents: pd.DataFrame | None = None,
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
    documents : pandas.DataFrame, optional
        The documents table: the cables' signers, classifiers and posts settle types
        (:func:`~graphbuild.resolve.knowledge.type_knowledge`).
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
    doc_defs, corpus_defs, long_spellings, canonical = _definition_tables(definitions)
    if corpus_defs:
        cand = np.array([keys.values[k] in corpus_defs for k in f_key.tolist()]) & f_free
        _place_abbreviations(cand[lform], lform, ldoc, forms, docs, keys, doc_defs,
                             corpus_defs, target, how, ambiguous)
        # the other spellings of the long forms (plural, word order, demonym)
        multi = np.array([" " in f.key for f in forms], dtype=bool)
        cand = (multi & f_free)[lform] & (how == 0)
        if cand.any():
            _place_long_variants(cand, lform, forms, keys, canonical, target, how)

    # --- one type per name: a corpus vote, settled by cable knowledge ----------------------
    form_n = np.bincount(lform, minlength=len(forms)).tolist() if len(forms) else []
    votes: dict[str, Counter] = defaultdict(Counter)
    for f, n in zip(forms, form_n, strict=True):
        if n and f.reason is None:
            votes[f.key][f.type] += n
    knowledge = type_knowledge(documents)
    ktype = key_types(votes, knowledge)
    # a word that is a person's surname elsewhere in the corpus leans PER by as many
    # mentions as those full names have ("Uribe", typed ORG as often as PER by the model)
    surname_votes: dict[str, int] = defaultdict(int)
    for k, counts in votes.items():
        if " " in k and ktype.get(k) == "PER":
            surname_votes[k.rsplit(" ", 1)[1]] += sum(counts.values())
    for k, n in surname_votes.items():
        if k in votes:
            votes[k]["PER"] += n
    ktype = key_types(votes, knowledge)

    # --- full names of one person, then lone surnames ------------------------------------
    f_type = [ktype.get(f.key, f.type) for f in forms]
    full = np.array([t == "PER" and len(f.key.split()) > 1
                     for f, t in zip(forms, f_type, strict=True)], dtype=bool)
    full_counts: dict[str, int] = {}
    for f, n, is_full in zip(forms, form_n, full.tolist(), strict=True):
        if n and is_full and f.forced is None and f.reason is None:
            full_counts[f.key] = full_counts.get(f.key, 0) + n
    cand = (full & f_free)[lform] & (how == 0) if len(forms) else np.zeros(0, bool)
    if cand.any():
        _place_name_variants(cand, lform, forms, keys, full_counts, target, how)
    single = np.array([is_single_name(f.key) and _may_be_surname(f.key, t)
                       for f, t in zip(forms, f_type, strict=True)], dtype=bool)
    cand = (single & f_free)[lform] & (how == 0) if len(forms) else np.zeros(0, bool)
    notes: dict[str, str] = {}
    if cand.any():
        # titles are read only where they can decide: lone surnames that some full names
        # hold, and those full names
        by_token = surname_index(full_counts)
        lone_keys = {f.key for f, one in zip(forms, single.tolist(), strict=True)
                     if one and f.key in by_token}
        held = {k for lk in lone_keys for k in by_token[lk]}
        f_lone = np.array([f.key in lone_keys for f in forms], dtype=bool)
        f_held = np.array([f.key in held for f in forms], dtype=bool)
        lone_titles, full_titles = _titles(cand & f_lone[lform],
                                           (full & f_free & f_held)[lform], lform, ldoc,
                                           live_idx, m["start"], forms, docs, texts)
        choices = title_choices(lone_titles, full_titles, full_counts)
        single_counts: dict[str, int] = {}
        for f, n, one in zip(forms, form_n, single.tolist(), strict=True):
            if n and one:
                single_counts[f.key] = single_counts.get(f.key, 0) + n
        _place_surnames(cand, full[lform], lform, ldoc, forms, docs, keys, full_counts,
                        single_counts, choices, target, how, ambiguous, notes)

    # --- the host country's institutions -------------------------------------------------
    country_labels: dict[str, str] = {}
    if documents is not None and "origin" in documents.columns and len(live_idx):
        doc_post = dict(zip(documents["doc_id"].astype(str),
                            documents["origin"].fillna("").astype(str), strict=True))
        country_labels = _place_post_country(lform, ldoc, forms, docs, keys, doc_post,
                                             target, how)

    # --- tables, demonyms, the user's names (once per form, target and rule) -------------
    combo, combo_of = _combos(lform, target, how, len(keys.values))
    placed = _Placement()
    for c, (f, t, h) in enumerate(combo_of):
        placed.add(c, forms[f], keys.values[t], h, aliases, link_demonyms)
    placed.settle(*_first_last(combo, len(combo_of)))

    # --- entities: a mention placed by a person rule votes PER, any other the type of
    # the name it went to -----------------------------------------------------------------
    combo_types = [("PER" if h in PERSON_RULES else
                    ktype.get(placed.target[c]) or ktype.get(forms[f].key, forms[f].type))
                   for c, (f, _, h) in enumerate(combo_of)]
    ents, ent_of_combo = _entities(combo, combo_of, forms, placed, m["paragraph"], ldoc,
                                   live_idx, long_spellings, combo_types, country_labels)
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
    # one entity, one type: every mention of an entity carries the entity's type
    rtype = _Interner(types)
    e_type = np.array([rtype.add(t) for t in ents["type"].tolist()] or [0], dtype=np.int64)
    rtype_code = type_code.copy()
    rtype_code[live_idx] = e_type[ent_of_combo[combo]]

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
    audit["note"] = _notes(audit, notes)
    amb = _ambiguous(ambiguous, key_to_label)
    defs = pd.DataFrame([d.__dict__ for d in definitions], columns=DEFINITION_COLUMNS)
    mentions_out = tables.conform("mentions", m)
    entities = tables.conform("entities", ents.drop(columns=["key", "id_form"]))
    match_key.cache_clear()
    _not_entity.cache_clear()
    return Resolution(mentions_out, entities, audit, amb, defs.astype("string"))
