"""Resolve stage: mentions -> entities (one node per real-world entity, every merge explained).

:func:`resolve` applies the rules below to every kept mention, in this order; the first four
look at one surface form, the rest at the corpus:

1. **user exclude** (``--aliases`` file): the surface is dropped (``user-exclude``);
2. **cleanup** (:func:`~.rules.clean_surface`): whitespace, quotes, trailing ``:,;``, a final
   period that is not an abbreviation's, possessive ``'s``;
3. **user alias**: a surface the user named skips every automatic rule below;
4. **not entities** (:func:`~.rules.not_entity_reason`, then
   :func:`~.rules.is_reference_citation`): markings, header fields, reference labels, bare
   dates, lettered cable references -> ``status=dropped`` with the reason;
5. **name normalisation**: a month glued before a day number (:func:`~.rules.strip_trailing_date`),
   titles and roles off person names (:func:`~.persons.strip_office`), role phrases annotated
   as ORG/LOC become persons (:func:`~.persons.role_person`), then
   :func:`~.rules.cut_colon_run_on` and :func:`~.rules.strip_compound_suffix`;
6. **case and variant key** (:func:`~.rules.match_key`);
7. **abbreviations** (:mod:`.abbreviations`): ``ABBR`` joins the long form defined in the same
   document, else the only long form defined anywhere in the corpus; an abbreviation with
   several corpus definitions and none in its document is left apart and listed;
8. **surnames** (:func:`~.persons.surname_candidates`): a one-word person name joins the only
   full name containing it (after the first name) in the same document, else the only full
   name ending with it in the corpus; several candidates -> left apart and listed as
   ambiguous;
9. **known variants** (:func:`~.rules.known_variant`: ``U.S.`` -> ``United States``);
10. **demonyms** (:func:`~.rules.demonym_place`, only with ``link_demonyms=True``);
11. **user alias** of the resulting name (so ``GOV`` follows its long form into a user entity);
12. **label**: the user's name when given; for abbreviations, surnames and demonyms the
    most frequent well-cased spelling of the canonical (most informative) name; for case and
    spelling variants the most frequent well-cased spelling of all
    (:func:`~.rules.choose_label`). **Type**: :func:`~.rules.vote_type` (minority types kept
    in ``other_types``; the user's type wins). A stable ``entity_id``: the slug of the label
    (``government-of-venezuela``), ``-2``, ``-3``... on collisions, assigned in canonical-name
    order so ids do not depend on input order.

Nothing disappears: dropped mentions stay in the mentions table with their reason and an empty
``entity_id``; every mention carries the ``rule`` chain that placed it.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphbuild.core import tables
from graphbuild.resolve.abbreviations import document_texts, find_definitions
from graphbuild.resolve.aliases import UserAliases, load_aliases
from graphbuild.resolve.persons import is_single_name, role_person, strip_office, surname_candidates
from graphbuild.resolve.rules import (
    choose_label,
    clean_surface,
    cut_colon_run_on,
    demonym_place,
    is_reference_citation,
    known_variant,
    match_key,
    may_be_reference_citation,
    may_end_with_date,
    not_entity_reason,
    slugify,
    strip_compound_suffix,
    strip_trailing_date,
    vote_type,
)

__all__ = ["resolve", "Resolution", "UserAliases", "load_aliases", "largest_merges",
           "dropped_forms", "AUDIT_COLUMNS",
           "AMBIGUOUS_COLUMNS"]

AUDIT_COLUMNS = ["surface", "type", "entity_id", "label", "rule", "mentions"]
AMBIGUOUS_COLUMNS = ["kind", "name", "type", "doc_id", "candidates", "mentions"]
DEFINITION_COLUMNS = ["doc_id", "short", "long", "how"]
#: rules that join one name to a different canonical name
MERGE_RULES = ("abbreviation", "surname-document", "surname-corpus", "known-variant",
               "demonym", "user-alias")


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "mentions" else "string")
                         for c in columns})


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

    ``paragraphs`` (the corpus table) or ``texts`` (``doc_id -> clean text``) let the
    abbreviation and context rules read the words around a mention; without them those rules
    are skipped. ``aliases`` is a :class:`UserAliases` or a path to a TOML/CSV file.

    >>> from graphbuild.corpus import parse_document
    >>> from graphbuild.readers import read_text
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


# --- codes ----------------------------------------------------------------------------------

def _factorize(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and the distinct values (as ``str``, the way the rules read them).

    >>> _factorize(pd.Series(["b", "a", "b"]))
    (array([0, 1, 0]), ['b', 'a'])
    """
    if isinstance(values.dtype, pd.StringDtype) and not values.hasnans:
        # already text: hashed as it is (astype(str) would copy millions of strings first)
        codes, uniques = pd.factorize(values)
    else:
        codes, uniques = pd.factorize(values.astype(str))
    return codes.astype(np.int64), [str(u) for u in uniques]


def _index_of(values: list[str], value: str) -> int:
    return values.index(value) if value in values else -2


class _Interner:
    """Distinct strings numbered in the order they are first seen.

    >>> k = _Interner(["a"]); [k.add("b"), k.add("a"), k.add("b")], k.values
    ([1, 0, 1], ['a', 'b'])
    """

    def __init__(self, values: list[str] | None = None) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}
        for v in values or ():
            self.add(v)

    def add(self, value: str) -> int:
        code = self._index.get(value)
        if code is None:
            code = self._index[value] = len(self.values)
            self.values.append(value)
        return code


def _strings(values: list[str], codes: np.ndarray) -> pd.Series:
    """``values[codes]`` as a ``string`` column (code -1 -> <NA>), gathered by Arrow from the
    distinct values instead of converting one Python string per mention.

    >>> _strings(["x", "y", "x"], np.array([2, -1, 1])).tolist()
    ['x', <NA>, 'y']
    """
    # 32-bit offsets (half the offset memory of large_string for millions of rows)
    # unless the column's text could pass 2 GiB
    sizes = np.array([len(v.encode("utf-8")) for v in values] or [0], dtype=np.int64)
    fits = len(values) == 0 or int(sizes.max()) * len(codes) < 2**31 - 1 or \
        int(sizes[codes[codes >= 0]].sum()) < 2**31 - 1
    taken = pc.take(pa.array(values, type=pa.string() if fits else pa.large_string()),
                    pa.array(codes, type=pa.int64(), mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken))


def _first_last(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last position of each code 0..n-1 in ``codes``.

    >>> _first_last(np.array([1, 0, 1]), 2)
    (array([1, 0]), array([1, 2]))
    """
    pos = np.arange(len(codes))
    first = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, pos)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, codes, pos)
    return first, last


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


# --- abbreviations and surnames (per form and document) ------------------------------------

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
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per target key (sorted; ``key, id_form, label, type, other_types, aliases,
    mentions, paragraphs, documents``) and the row of each combination."""
    counts = np.bincount(combo, minlength=len(combo_of)).tolist()
    # plain dicts of counts (what Counter holds, without building a Counter per key:
    # there are a few hundred thousand at Cablegate scale)
    spellings: dict[str, dict[str, int]] = {}
    own: dict[str, dict[str, int]] = {}
    type_counts: dict[str, dict[str, int]] = {}
    for c, (f, _, _) in enumerate(combo_of):
        tk, form, n = placed.target[c], forms[f], counts[c]
        _tally(spellings, tk, form.name, n)
        if form.key == tk:
            _tally(own, tk, form.name, n)
        _tally(type_counts, tk, form.type, n)
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
        vote, others = vote_type(type_counts[tk])
        utype = placed.user_entity.get(tk, (None, None))[1]
        if utype:
            others = sorted(set(type_counts[tk]) - {utype})
            vote = utype
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
    seen: dict[str, int] = {}
    out = []
    for form in forms:
        base = slugify(form)
        k = seen.get(base, 0) + 1
        seen[base] = k
        out.append(base if k == 1 else f"{base}-{k}")
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
