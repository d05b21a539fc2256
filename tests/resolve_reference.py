"""Slow reference implementation of :func:`graphbuild.resolve.resolve`: a verbatim copy of
the per-mention loops as they were before the vectorised rewrite, kept as an independent
oracle for ``tests/test_resolve_fast.py``. Do not optimise this file."""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter, defaultdict

import pandas as pd

from graphbuild.core import tables
from graphbuild.core.lexicon import truecase_table
from graphbuild.core.names import slugify
from graphbuild.resolve.abbreviations import (
    Definition,
    is_definition,
    is_short_form,
    long_form_in_text,
)
from graphbuild.resolve.aliases import UserAliases, load_aliases
from graphbuild.resolve.knowledge import key_types, type_knowledge
from graphbuild.resolve.persons import (
    dominant_person,
    is_single_name,
    person_groups,
    role_person,
    strip_office,
    surname_candidates,
    title_before,
    title_key,
    title_person,
)
from graphbuild.resolve.rules import (
    choose_label,
    clean_surface,
    cut_colon_run_on,
    demonym_place,
    is_reference_citation,
    known_variant,
    match_key,
    not_entity_reason,
    strip_compound_suffix,
    strip_trailing_date,
    vote_type,
)

__all__ = ["resolve", "document_texts", "find_definitions"]

# the result containers and column lists are shared with the package: the oracle checks the
# resolution algorithm, not the dataclass that holds its tables
from graphbuild.resolve import Resolution
from graphbuild.resolve.codes import AMBIGUOUS_COLUMNS, AUDIT_COLUMNS, DEFINITION_COLUMNS, _empty
from graphbuild.resolve.placement import MERGE_RULES, _definition_tables, long_form_key


def resolve(mentions: pd.DataFrame, paragraphs: pd.DataFrame | None = None, *,
            documents: pd.DataFrame | None = None,
            texts: dict[str, str] | None = None,
            aliases: UserAliases | str | os.PathLike[str] | None = None,
            link_demonyms: bool = False) -> Resolution:
    """Give each kept mention an ``entity_id`` and build the entities and audit tables.

    ``paragraphs`` (the corpus table) or ``texts`` (``doc_id -> clean text``) let the
    abbreviation and context rules read the words around a mention; without them those rules
    are skipped. ``aliases`` is a :class:`UserAliases` or a path to a TOML/CSV file.

    """
    if aliases is not None and not isinstance(aliases, UserAliases):
        aliases = load_aliases(aliases)
    m = mentions.copy().reset_index(drop=True)
    for col, default in (("reason", ""), ("source", "annotation"), ("line", 0), ("column", 0),
                         ("section", "body"), ("entity_id", None)):
        if col not in m.columns:
            m[col] = default
    m["reason"] = m["reason"].fillna("").astype("string")
    n = len(m)
    status = m["status"].astype(str).tolist()
    reason = m["reason"].astype(str).tolist()
    surface = m["surface"].astype(str).tolist()
    etype = m["type"].astype(str).tolist()
    doc = m["doc_id"].astype(str).tolist()
    if texts is None and paragraphs is not None and len(paragraphs):
        texts = document_texts(paragraphs, m[m["status"].eq("kept")])
    texts = texts or {}
    ends = m["end"].astype(int).tolist()
    following = [texts.get(d, "")[e:e + 16] for d, e in zip(doc, ends, strict=True)]

    cache: dict[str, str] = {}
    clean = [cache.get(s) or cache.setdefault(s, clean_surface(s)) for s in surface]
    name = list(clean)
    rules: list[list[str]] = [[] for _ in range(n)]
    forced: dict[int, tuple[str, str | None]] = {}
    why_cache: dict[str, str | None] = {}
    title_cache: dict[str, str] = {}
    role_cache: dict[str, str | None] = {}
    live: list[int] = []
    surface_title: dict[int, str] = {}
    for i in range(n):
        if status[i] != "kept":
            continue
        if " ".join(surface[i].split()) != clean[i]:
            rules[i].append("cleanup")
        if aliases is not None:
            if aliases.excluded(clean[i]):
                status[i], reason[i] = "dropped", "user-exclude"
                continue
            hit = aliases.lookup(clean[i])
            if hit is not None:
                forced[i] = hit
                live.append(i)
                continue
        why = why_cache.get(clean[i], "?")
        if why == "?":
            why = why_cache[clean[i]] = not_entity_reason(clean[i])
        if why is None and is_reference_citation(clean[i], following[i]):
            why = "reference-citation"
        if why is not None:
            status[i], reason[i] = "dropped", why
            continue
        live.append(i)
        nm = strip_trailing_date(clean[i], following[i])
        if nm != clean[i]:
            rules[i].append("date-stripped")
        if etype[i] == "PER":
            stripped = title_cache.get(nm) or title_cache.setdefault(nm, strip_office(nm))
            if stripped != nm:
                rules[i].append("title-stripped")
                if nm.endswith(stripped):
                    surface_title[i] = title_key(nm[:len(nm) - len(stripped)].split())
                nm = stripped
        else:
            person = role_cache[nm] if nm in role_cache else \
                role_cache.setdefault(nm, role_person(nm))
            if person is not None:
                rules[i].append("role-person")
                nm, etype[i] = person, "PER"
        name[i] = nm
        if aliases is not None and (hit := aliases.lookup(nm)) is not None:
            forced[i] = hit

    known = {match_key(x) for x in {name[i] for i in live}}
    for i in live:
        if i in forced:
            continue
        nm = cut_colon_run_on(name[i], known)
        if nm != name[i]:
            rules[i].append("colon-run-on")
        nm2 = strip_compound_suffix(nm, known)
        if nm2 != nm:
            rules[i].append("compound-suffix")
        name[i] = nm2
    key_cache: dict[str, str] = {}
    key = [key_cache.get(x) or key_cache.setdefault(x, match_key(x)) for x in name]
    target = list(key)

    # --- abbreviations -------------------------------------------------------------------
    live_frame = pd.DataFrame({"doc_id": [doc[i] for i in live],
                               "start": m["start"].astype(int).to_numpy()[live],
                               "end": [ends[i] for i in live], "name": [name[i] for i in live]})
    definitions = find_definitions(live_frame, texts) if texts else []
    # which long form each abbreviation means across the corpus is read by the code under
    # test (its rules are checked by hand in test_resolve_corpus.py); this reference checks
    # what is done with it, mention by mention
    doc_defs, corpus_defs, long_spellings, canonical = _definition_tables(definitions)
    ambiguous: list[dict] = []
    abbreviated: set[int] = set()
    for i in live:
        k = key[i]
        if i in forced or k not in corpus_defs:
            continue
        lk = doc_defs.get((doc[i], k))
        if lk is None and len(corpus_defs[k]) == 1:
            lk = next(iter(corpus_defs[k]))
        if lk is None:
            if corpus_defs[k]:
                ambiguous.append({"kind": "abbreviation", "name": name[i], "type": etype[i],
                                  "doc_id": doc[i], "candidates": sorted(corpus_defs[k])})
            continue
        target[i] = lk
        rules[i].append("abbreviation")
        abbreviated.add(i)

    person_rule: set[int] = set()
    if corpus_defs:
        for i in live:
            if i in forced or i in abbreviated or " " not in key[i]:
                continue
            head = canonical.get(long_form_key(key[i]))
            if head is not None and head != key[i]:
                target[i] = head
                rules[i].append("long-form-variant")
                abbreviated.add(i)

    # --- types: a vote per key, cable knowledge, surnames of full names -------------------
    votes: dict[str, Counter] = defaultdict(Counter)
    for i in live:
        votes[key[i]][etype[i]] += 1
    knowledge = type_knowledge(documents)
    ktype = key_types(votes, knowledge)
    lean: dict[str, int] = defaultdict(int)
    for k, counts in votes.items():
        if " " in k and ktype.get(k) == "PER":
            lean[k.rsplit(" ", 1)[1]] += sum(counts.values())
    for k, c in lean.items():
        if k in votes:
            votes[k]["PER"] += c
    ktype = key_types(votes, knowledge)

    def is_full(i: int) -> bool:
        return ktype.get(key[i], etype[i]) == "PER" and len(key[i].split()) > 1

    def is_single(i: int) -> bool:
        k, t = key[i], ktype.get(key[i], etype[i])
        if not is_single_name(k):
            return False
        form = truecase_table().get(k)
        return t == "PER" or (t == "ORG" and not (form is not None and form.isupper()))

    full_counts: dict[str, int] = defaultdict(int)
    for i in live:
        if i not in forced and is_full(i):
            full_counts[key[i]] += 1
    groups = person_groups(dict(full_counts))
    for i in live:
        if i in forced or i in abbreviated or not is_full(i):
            continue
        if groups[key[i]] != key[i]:
            target[i] = groups[key[i]]
            rules[i].append("name-variant")
            person_rule.add(i)

    # --- surnames ------------------------------------------------------------------------
    doc_full: dict[str, set[str]] = defaultdict(set)
    by_token: dict[str, dict[str, int]] = defaultdict(dict)
    single_counts: dict[str, int] = defaultdict(int)
    for i in live:
        if is_full(i):
            doc_full[doc[i]].add(key[i])
        if is_single(i):
            single_counts[key[i]] += 1
    for k, c in full_counts.items():
        for t in set(k.split()[1:][-2:]):
            by_token[t][k] = c
    # titles before the lone surnames and the full names
    starts = m["start"].astype(int).tolist()
    lone_titles: dict[str, Counter] = defaultdict(Counter)
    titled: dict[str, Counter] = defaultdict(Counter)
    for i in live:
        lone = i not in forced and i not in abbreviated and is_single(i)
        whole = i not in forced and is_full(i)
        if not (lone or whole):
            continue
        text = texts.get(doc[i], "")
        t = surface_title.get(i) or (title_before(text[max(0, starts[i] - 48):starts[i]])
                                     if text else "")
        if lone:
            lone_titles[key[i]][t] += 1
        else:
            titled[groups[key[i]]][t] += 1
    title_choice = {}
    for k, ts in lone_titles.items():
        persons = {groups[c] for c in by_token.get(k, ())}
        if persons:
            title_choice[k] = title_person({p: titled.get(p, {}) for p in persons}, dict(ts))
    notes: dict[str, str] = {}
    corpus_choice: dict[str, str | None] = {}
    for i in live:
        k = key[i]
        if i in forced or i in abbreviated or not is_single(i):
            continue
        if k not in corpus_choice:
            corpus_choice[k], note = title_choice.get(k, (None, ""))
            if corpus_choice[k] is None:
                corpus_choice[k], note2 = dominant_person(by_token.get(k, {}), k,
                                                          alone=single_counts[k])
                note = "; ".join(x for x in (note, note2) if x)
            if note:
                notes[k] = note
        chosen, rule = corpus_choice[k], "surname-corpus"
        cands = surname_candidates(k, doc_full.get(doc[i], ()))
        if cands:
            in_doc, _ = dominant_person({c: full_counts.get(c, 1) for c in cands}, k,
                                        share=1.0, alone=single_counts[k])
            if in_doc is not None and (chosen is None or chosen == in_doc):
                chosen, rule = in_doc, "surname-document"
        if chosen is not None:
            target[i] = chosen
            rules[i].append(rule)
            person_rule.add(i)
        elif cands or by_token.get(k):
            kind = "surname-in-document" if cands else "surname-in-corpus"
            ambiguous.append({"kind": kind, "name": name[i], "type": etype[i],
                              "doc_id": doc[i], "candidates": sorted(cands or by_token[k])})

    # --- tables, demonyms, the user's names ----------------------------------------------
    table_label: dict[str, str] = {}
    variant_targets: set[str] = set()
    user_entity: dict[str, tuple[str, str | None]] = {}
    for i in live:
        if i in forced:
            uname, utype = forced[i]
            target[i] = match_key(uname)
            user_entity[target[i]] = (uname, utype)
            rules[i].append("user-alias")
            continue
        # "us" in lower case is a pronoun, "US" the country
        canonical = None if name[i].islower() else known_variant(target[i])
        if canonical is not None:
            table_label[match_key(canonical)] = canonical
            variant_targets.add(match_key(canonical))
            if match_key(canonical) != target[i]:
                target[i] = match_key(canonical)
                rules[i].append("known-variant")
        if link_demonyms:
            place = demonym_place(target[i])
            if place is not None:
                target[i] = match_key(place)
                table_label.setdefault(target[i], place)
                rules[i].append("demonym")
        if aliases is not None and (hit := aliases.lookup(target[i])) is not None:
            target[i] = match_key(hit[0])
            user_entity[target[i]] = hit
            rules[i].append("user-alias")

    # --- entities ------------------------------------------------------------------------
    live_set = set(live)
    m["status"] = pd.array(status, dtype="string")
    m["reason"] = pd.array(reason, dtype="string")
    m["clean"] = _category(clean)
    m["name"] = _category([name[i] if i in live_set else None for i in range(n)])
    frame = pd.DataFrame({"target": [target[i] for i in live], "key": [key[i] for i in live],
                          "name": [name[i] for i in live], "type": [etype[i] for i in live],
                          "doc_id": [doc[i] for i in live],
                          "paragraph": m["paragraph"].to_numpy()[live]})
    # aggregate with pandas, then decide labels and types on small per-entity counters
    # (a Python loop over groups of a DataFrame is far too slow for 100k entities)
    spellings: dict[str, Counter] = defaultdict(Counter)
    own: dict[str, Counter] = defaultdict(Counter)
    for (tk, nm, k), c in frame.groupby(["target", "name", "key"], sort=False).size().items():
        spellings[tk][nm] += c
        if k == tk:
            own[tk][nm] += c
    type_counts: dict[str, Counter] = defaultdict(Counter)
    seen_types: dict[str, Counter] = defaultdict(Counter)
    for i in live:
        voted = "PER" if i in person_rule else (ktype.get(target[i])
                                                or ktype.get(key[i], etype[i]))
        type_counts[target[i]][voted] += 1
        seen_types[target[i]][etype[i]] += 1
    size = frame.groupby("target").size()
    paras = frame.drop_duplicates(["target", "doc_id", "paragraph"]).groupby("target").size()
    docs = frame.drop_duplicates(["target", "doc_id"]).groupby("target").size()
    rows = []
    for tk in sorted(spellings):
        counts = spellings[tk]
        if tk in user_entity:
            label = user_entity[tk][0]
        elif tk in variant_targets:  # spelling variants: the most frequent well-cased one
            label = choose_label(counts.elements())
        elif own[tk]:
            label = choose_label(own[tk].elements())
        elif tk in table_label:
            label = table_label[tk]
        elif tk in long_spellings:
            label = choose_label(long_spellings[tk].elements())
        else:
            label = choose_label(counts.elements())
        vote = vote_type(type_counts[tk].elements())[0]
        utype = user_entity.get(tk, (None, None))[1]
        if utype:
            vote = utype
        others = sorted((set(seen_types[tk]) | set(type_counts[tk])) - {vote})
        rows.append({"key": tk, "id_form": label,
                     "label": label, "type": vote, "other_types": " ".join(others),
                     "aliases": "|".join(sorted(set(counts) - {label})),
                     "mentions": int(size[tk]), "paragraphs": int(paras[tk]),
                     "documents": int(docs[tk])})
    ents = pd.DataFrame(rows, columns=["key", "id_form", "label", "type", "other_types",
                                       "aliases", "mentions", "paragraphs", "documents"])
    ents["entity_id"] = _unique_slugs(ents["id_form"].tolist())
    key_to_id = dict(zip(ents["key"], ents["entity_id"], strict=True))
    key_to_label = dict(zip(ents["key"], ents["label"], strict=True))

    entity_id: list[str | None] = [None] * n
    rule_out: list[str] = [""] * n
    for i in range(n):
        if i not in live_set:
            rule_out[i] = reason[i] or status[i]
            continue
        entity_id[i] = key_to_id[target[i]]
        chain = rules[i]
        if key[i] == target[i] and name[i] != key_to_label[target[i]] and \
                not any(r in MERGE_RULES for r in chain):
            chain = [*chain, "case-variant"]
        rule_out[i] = "+".join(chain) or "exact"
    m["entity_id"] = pd.array(entity_id, dtype="string")
    m["rule"] = _category(rule_out)
    ent_type = dict(zip(ents["key"], ents["type"], strict=True))
    m["resolved_type"] = _category([ent_type[target[i]] if i in live_set else etype[i]
                                    for i in range(n)])

    audit = _audit(m, ents.set_index("entity_id")["label"])
    audit["note"] = pd.array([notes.get(match_key(clean_surface(str(su))), "")
                              if "surname" in str(ru) else ""
                              for su, ru in zip(audit["surface"], audit["rule"], strict=True)],
                             dtype="string")
    amb = _ambiguous(ambiguous, key_to_label)
    defs = pd.DataFrame([d.__dict__ for d in definitions], columns=DEFINITION_COLUMNS)
    mentions_out = tables.conform("mentions", m)
    entities = tables.conform("entities", ents.drop(columns=["key", "id_form"]))
    return Resolution(mentions_out, entities, audit, amb, defs.astype("string"))


def _unique_slugs(forms: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for form in forms:
        base = slugify(form)
        k = seen.get(base, 0) + 1
        seen[base] = k
        out.append(base if k == 1 else f"{base}-{k}")
    return out


def _audit(m: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """One row per distinct (surface, type) as annotated and the entity it went to; when the
    mentions of one form were placed by different rules, the rules are joined by ``; ``
    (most frequent first)."""
    frame = m[["surface", "type", "entity_id", "rule"]].copy()
    frame["entity_id"] = frame["entity_id"].fillna("")
    cols = ["surface", "type", "entity_id"]
    per_rule = (frame.groupby([*cols, "rule"], sort=False).size().rename("n").reset_index()
                .sort_values([*cols, "n", "rule"], ascending=[True, True, True, False, True],
                             kind="stable"))
    grouped = per_rule.groupby(cols, sort=True)
    rows = pd.DataFrame({"rule": grouped["rule"].agg("; ".join), "mentions": grouped["n"].sum()})
    rows = rows.reset_index()
    rows["label"] = rows["entity_id"].map(lambda e: labels.get(e, "") if e else "")
    rows["note"] = ""
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
           .size().rename("mentions").reset_index())
    return out[AMBIGUOUS_COLUMNS].astype({c: "string" for c in AMBIGUOUS_COLUMNS
                                          if c != "mentions"})


_OPEN = re.compile(r"^\s*\(\s*$")
_CLOSE = re.compile(r"^\s*\)")
_TEXT_SHORT = re.compile(r"^\s*\(\s*([^()\s][^()]{0,14}?)\s*\)")
_BEFORE_OPEN = re.compile(r"\(\s*$")

def document_texts(paragraphs: pd.DataFrame, mentions: pd.DataFrame | None = None,
                   ) -> dict[str, str]:
    """Rebuild each document's clean text (offsets as in the mentions table) from the
    ``paragraphs`` table; gaps between paragraphs become spaces.

    ``text`` is the stripped slice ``clean[start:end]``; the mentions tell how much leading
    space was stripped, so offsets line up.

    """
    by_doc: dict[str, list] = {}
    if mentions is not None and len(mentions):
        for doc_id, g in mentions.sort_values("start").groupby("doc_id", sort=False):
            by_doc[doc_id] = list(zip(g["start"].tolist(), g["end"].tolist(),
                                      g["surface"].tolist(), strict=True))
    out: dict[str, str] = {}
    for doc_id, group in paragraphs.sort_values("start").groupby("doc_id", sort=False):
        spans = by_doc.get(doc_id, [])
        starts = [s for s, _, _ in spans]
        parts: list[str] = []
        pos = 0
        for start, end, text in zip(group["start"], group["end"], group["text"], strict=True):
            start, end, text = int(start), int(end), str(text)
            off = start + _lead(start, end, text, spans, starts)
            if off + len(text) <= pos:
                continue
            if off >= pos:
                parts.append(" " * (off - pos))
                parts.append(text)
            else:
                parts.append(text[pos - off:])
            pos = off + len(text)
        out[doc_id] = "".join(parts)
    return out


def _lead(start: int, end: int, text: str, spans: list, starts: list[int]) -> int:
    slack = max(0, (end - start) - len(text))
    i = bisect.bisect_left(starts, start)
    if slack == 0 or i >= len(spans) or spans[i][0] >= end:
        return 0
    ms, me, surface = spans[i]
    for k in range(slack + 1):
        if text[ms - start - k: me - start - k] == surface:
            return k
    return 0


def find_definitions(mentions: pd.DataFrame, texts: dict[str, str]) -> list[Definition]:
    """Definitions around kept mentions (columns ``doc_id, start, end, name``; ``name`` is the
    mention's normalised form), in three shapes:

    - two adjacent mentions with a parenthesis between them: ``[Long] ( [ABBR] )`` or
      ``[ABBR] ( [Long] )`` (``annotated-pair``);
    - a mention followed by an unannotated ``( ABBR )`` (``annotated-long``);
    - an annotated ``( [ABBR] )`` after unannotated words (``annotated-short``, long form by
      :func:`long_form_in_text`).

    """
    found: list[Definition] = []
    for doc_id, g in mentions.sort_values(["doc_id", "start"]).groupby("doc_id", sort=False):
        text = texts.get(doc_id)
        if not text:
            continue
        rows = list(zip(g["start"].tolist(), g["end"].tolist(), g["name"].tolist(),
                        strict=True))
        paired: set[int] = set()
        for i, (s, e, name) in enumerate(rows):
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            if nxt is not None and _OPEN.match(text[e:nxt[0]]) and _CLOSE.match(text[nxt[1]:]):
                a, b = name, nxt[2]
                short, long = (b, a) if len(b) <= len(a) else (a, b)
                if is_definition(short, long):
                    found.append(Definition(doc_id, short, long, "annotated-pair"))
                    paired.update((i, i + 1))
                    continue
            if i in paired:
                continue
            after = _TEXT_SHORT.match(text[e:e + 40])
            if after and (nxt is None or nxt[0] >= e + after.end()):
                short = after.group(1).strip()
                if is_definition(short, name):
                    found.append(Definition(doc_id, short, name, "annotated-long"))
                    continue
            prev_end = rows[i - 1][1] if i else 0
            before = text[max(prev_end, s - 200):s]
            if _BEFORE_OPEN.search(before) and _CLOSE.match(text[e:]) and is_short_form(name):
                head = _BEFORE_OPEN.sub("", before)
                long = clean_surface(long_form_in_text(name, head) or "")
                if long:
                    found.append(Definition(doc_id, name, long, "annotated-short"))
    return found


def _category(values: list) -> pd.Categorical:
    """The values (None: missing) dictionary-coded over their sorted distinct strings."""
    names = sorted({v for v in values if v is not None})
    return pd.Categorical(values, categories=pd.Index(pd.array(names, dtype="string")))
