"""Decisions an analyst should review, found in a build's tables and ranked by how much
each would change the graph (mentions involved × confidence): what ``review.html`` lists.

* ``merge`` — names that probably name one entity: a surname and the one full name that
  ends with it, an acronym and the long form whose initials it spells, a name and a longer
  form of it (titles, second surnames), spellings a letter or two apart (transliterations),
  names resolution left apart as ambiguous.
* ``exclude`` — names that are probably not entities: codes with digits, run-ons of
  markings, generic words, lone lower-case words, one-off names with no tie.
* ``retype`` — entities whose mentions disagree on the type.
* ``split`` — an entity whose spellings are two full names of different people sharing a
  surname.

Confidences are the rule's prior (stated per rule in :data:`CONFIDENCE`), not a trained
model: the page shows the evidence so the analyst decides.
"""

from __future__ import annotations

import re
from itertools import combinations

import pandas as pd

from graphbuild.core import lexicon
from graphbuild.core.names import alias_list, slugify
from graphbuild.core.tables import Tables, kept_mentions
from graphbuild.core.titles import title_length

__all__ = ["review_candidates", "CONFIDENCE"]

#: prior confidence of each rule
CONFIDENCE = {"surname": 0.8, "surname-ambiguous": 0.35, "acronym": 0.7, "longer-form": 0.6,
              "spelling": 0.5, "ambiguous": 0.4, "junk-code": 0.8, "junk-generic": 0.7,
              "junk-lower": 0.6, "plural": 0.7, "junk-lone": 0.3, "type": 0.6, "split-surname": 0.6,
              "split-place": 0.5}
#: two groups of a place's documents sharing at most this share of their other entities
SPLIT_OVERLAP = 0.05
_STOP = {"of", "the", "and", "for", "de", "del", "la", "el", "y", "on", "in", "to"}
_DIGIT = re.compile(r"\d")
#: a long form of a country's name ("Bolivarian Republic of Venezuela")
_STATE = re.compile(r"\b(republic|kingdom|federation|commonwealth|emirates|state) of\b")


def _initials(label: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", label) if w and w.lower() not in _STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def _key(label: str) -> str:
    return slugify(label).replace("-", " ")


def _near(a: str, b: str, limit: int = 2) -> bool:
    """Levenshtein distance of ``a`` and ``b`` at most ``limit`` (banded)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


def review_candidates(tables: Tables, limit: int = 60) -> pd.DataFrame:
    """The candidates, highest impact first, at most ``limit`` of each kind.

    Parameters
    ----------
    tables : Tables
        A build or a loaded folder.
    limit : int
        Candidates of each kind to keep.

    Returns
    -------
    pandas.DataFrame
        ``kind`` (merge, exclude, retype, split), ``rule``, ``names`` (labels), ``ids``,
        ``type`` (the suggested type for ``retype``), ``docs`` (the documents a ``split``
        would move), ``label`` (the suggested label), ``mentions`` (involved),
        ``confidence``, ``impact`` (= mentions × confidence), ``why`` (one line).

    Examples
    --------
    >>> import graphbuild as gb
    >>> c = review_candidates(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> c[["kind", "rule"]].values.tolist()
    [['merge', 'longer-form'], ['exclude', 'junk-code'], ['retype', 'type']]
    >>> c["names"].tolist()     # the first one a reviewer rejects: embassies are not cities
    [['Embassies Madrid', 'Madrid'], ['M-136 AT4'], ['Madrid']]
    """
    ents = tables.entities
    label = dict(zip(ents["entity_id"], ents["label"].astype(str), strict=True))
    etype = dict(zip(ents["entity_id"], ents["type"].astype(str), strict=True))
    size = dict(zip(ents["entity_id"], ents["mentions"].astype(int), strict=True))
    rows: list[dict] = []

    def add(kind, rule, ids, why, **extra):
        n = sum(size.get(i, 0) for i in ids)
        conf = extra.pop("confidence", CONFIDENCE[rule])
        rows.append({"kind": kind, "rule": rule, "ids": list(ids),
                     "names": [label.get(i, i) for i in ids], "mentions": n,
                     "confidence": conf, "impact": round(n * conf, 3), "why": why,
                     "type": extra.get("type", ""), "docs": extra.get("docs", []),
                     "label": extra.get("label", label.get(ids[0], ""))})

    # --- merges -------------------------------------------------------------------------
    by_last: dict[tuple[str, str], list[str]] = {}
    singles = []
    for e, lab in label.items():
        toks = lab.split()
        if etype[e] == "PER" and len(toks) > 1:
            by_last.setdefault((toks[-1].casefold(), "PER"), []).append(e)
        elif len(toks) == 1:
            singles.append(e)
    seen: set[frozenset] = set()
    for e in singles:
        fulls = by_last.get((label[e].casefold(), "PER"), [])
        if etype[e] not in ("PER", "ORG", "MISC") or not fulls:
            continue
        rule = "surname" if len(fulls) == 1 else "surname-ambiguous"
        for f in fulls:
            seen.add(frozenset((e, f)))
            add("merge", rule, [f, e], f"{label[e]!r} is the surname of {label[f]!r}"
                + ("" if len(fulls) == 1 else f" (and of {len(fulls) - 1} other full "
                   "name(s))"))
    by_initials: dict[str, list[str]] = {}
    for e, lab in label.items():
        if len(lab.split()) >= 2:
            ini = _initials(lab)
            if len(ini) >= 2:
                by_initials.setdefault(ini, []).append(e)
    for e, lab in label.items():
        if lab.isupper() and 2 <= len(lab) <= 6 and lab.isalpha():
            for f in by_initials.get(lab, []):
                if frozenset((e, f)) not in seen:
                    seen.add(frozenset((e, f)))
                    add("merge", "acronym", [f, e], f"{lab} spells the initials of "
                        f"{label[f]!r}")
    keys = {e: _key(lab) for e, lab in label.items()}
    # two blockings: by the first letters (spellings, longer forms that add words at the
    # end) and by the last word (titles and long forms that add words in front)
    blocks: dict[tuple[str, str], list[str]] = {}
    for e, k in keys.items():
        if len(k) >= 3:
            blocks.setdefault((etype[e], k[:2]), []).append(e)
            blocks.setdefault((etype[e], "$" + k.rsplit(" ", 1)[-1]), []).append(e)
    for (kind, _), members in blocks.items():
        if len(members) > 400:          # a block that big is a common prefix, not a name
            members = sorted(members, key=lambda x: -size[x])[:400]
        for a, b in combinations(members, 2):
            if frozenset((a, b)) in seen:
                continue
            ka, kb = keys[a], keys[b]
            short, long_ = (a, b) if len(ka) <= len(kb) else (b, a)
            ks, kl = keys[short], keys[long_]
            tl = label[long_].split()
            stripped = " ".join(tl[title_length(tl):]).casefold()
            if kl == ks + "s" or ks == kl + "s":
                seen.add(frozenset((a, b)))
                add("merge", "plural", [long_, short] if size[long_] >= size[short]
                    else [short, long_], f"{label[long_]!r} is the plural of {label[short]!r}")
            elif ((kl.startswith(ks + " ") or kl.endswith(" " + ks) or _key(stripped) == ks)
                    and (kind in ("PER", "ORG") or (kind == "LOC" and _STATE.search(kl)))):
                seen.add(frozenset((a, b)))
                add("merge", "longer-form", [long_, short],
                    f"{label[short]!r} is part of {label[long_]!r}")
            elif len(ks) >= 6 and ka != kb and _near(ka, kb):
                seen.add(frozenset((a, b)))
                keep, other = (a, b) if size[a] >= size[b] else (b, a)
                add("merge", "spelling", [keep, other],
                    f"{label[a]!r} and {label[b]!r} are spelled a letter or two apart")
    amb = tables.ambiguous
    if len(amb):
        by_label = {v.casefold(): k for k, v in label.items()}
        for row in amb.itertuples(index=False):
            cands = [by_label.get(c.strip().casefold()) for c in str(row.candidates).split(";")]
            cands = [c for c in cands if c]
            name_id = by_label.get(str(row.name).casefold())
            for c in cands:
                if name_id and c != name_id and frozenset((c, name_id)) not in seen:
                    seen.add(frozenset((c, name_id)))
                    add("merge", "ambiguous", [c, name_id], f"resolution left {row.name!r} "
                        f"apart: {row.candidates} could claim it")

    # --- junk ----------------------------------------------------------------------------
    degree = pd.concat([tables.edges["source"], tables.edges["target"]]).value_counts()
    generic = lexicon.generic_words()
    for e, lab in label.items():
        low = lab.casefold()
        if _DIGIT.search(lab) and not re.search(r"[a-z]{3}", lab):
            add("exclude", "junk-code", [e], f"{lab!r} looks like a code (digits, no word)")
        elif low in generic or low.rstrip("s") in generic:
            add("exclude", "junk-generic", [e], f"{lab!r} is a generic word")
        elif lab[:1].islower() or not lab[:1].isalnum():
            add("exclude", "junk-lower", [e], f"{lab!r} starts with "
                + ("a lower-case letter" if lab[:1].islower() else f"{lab[:1]!r}"))
        elif size[e] == 1 and degree.get(e, 0) == 0:
            add("exclude", "junk-lone", [e], f"{lab!r} is named once and tied to nothing")

    # --- types ---------------------------------------------------------------------------
    m = kept_mentions(tables.mentions)
    m = m[m["entity_id"].notna()]
    if len(m):
        votes = m.groupby(["entity_id", "type"], observed=True).size()
        for e, counts in votes.groupby(level=0):
            counts = counts.droplevel(0)
            if e not in label or len(counts) < 2:
                continue
            other = counts.drop(etype[e], errors="ignore")
            if not len(other):
                continue
            best = str(other.idxmax())
            share = float(other.max() / counts.sum())
            if share >= 0.2:
                add("retype", "type", [e], f"{int(other.max())} of {int(counts.sum())} "
                    f"mentions were typed {best}, the entity is {etype[e]}", type=best,
                    confidence=round(CONFIDENCE["type"] * share * 2, 3))

    # --- splits --------------------------------------------------------------------------
    if "aliases" in ents:
        docs_of = m.groupby(["entity_id", "surface"], observed=True)["doc_id"].agg(
            lambda s: sorted(set(map(str, s))))
        for e, aliases in zip(ents["entity_id"], ents["aliases"], strict=True):
            if etype[e] != "PER" or aliases is None:
                continue
            names = [label[e], *alias_list(aliases)]
            fulls = {n for n in names if len(n.split()) > 1}
            # in sorted order: a set is iterated in an order that changes with each process
            firsts = {n.split()[0].casefold(): n for n in sorted(fulls)
                      if title_length(n.split()) == 0}
            if len(firsts) >= 2:
                other = sorted(firsts.values(), key=lambda n: (n == label[e], n))[0]
                docs = docs_of.get((e, other), []) if len(docs_of) else []
                if docs and other != label[e]:
                    add("split", "split-surname", [e], f"{label[e]!r} is spelled as "
                        f"{', '.join(sorted(firsts.values()))}: different first names",
                        docs=list(docs), label=other)

    # a lone surname given to one person in documents that name only another person of
    # that surname ("Uribe" in a cable about Mario Uribe, resolved to Alvaro Uribe)
    if len(m):
        lone = m[m["entity_id"].isin(list(label))].assign(
            _tok=m["surface"].astype(str).str.split().str.len())
        full_in = lone[lone["_tok"] > 1].groupby("doc_id", observed=True)["entity_id"].agg(set)
        single = lone[lone["_tok"] == 1]
        single = single.assign(_fold=single["surface"].astype(str).str.casefold())
        single_of = {e: g for e, g in single.groupby("entity_id", sort=False, observed=True)}
        for (last, _), members in by_last.items():
            if len(members) < 2:
                continue
            for e in members:
                mine = single_of.get(e)
                if mine is None:
                    continue
                mine = mine[mine["_fold"] == last]
                for other in members:
                    if other == e:
                        continue
                    docs = sorted({str(d) for d in mine["doc_id"]
                                   if other in full_in.get(d, set())
                                   and e not in full_in.get(d, set())})
                    if docs:
                        n = int(mine["doc_id"].astype(str).isin(docs).sum())
                        add("split", "split-surname", [e], f"{last.title()!r} is resolved "
                            f"to {label[e]!r}, but {len(docs)} document(s) name only "
                            f"{label[other]!r}", docs=docs, label=label[other],
                            confidence=round(CONFIDENCE["split-surname"] * n
                                             / max(size[e], 1), 3))

    # a place name that names several places (data/ambiguous_places.txt: "Georgia" the
    # country in Tbilisi's cables, the state in Washington's; "Valencia" in Caracas and in
    # Madrid) whose documents, grouped by the posts that wrote them, fall into groups that
    # share almost no other entity (on its own, that test flags every place two embassies
    # write about: 79 on 330 cables)
    docs = tables.documents
    if len(m) and "origin" in docs:
        origin = dict(zip(docs["doc_id"].astype(str), docs["origin"].fillna("").astype(str),
                          strict=True))
        named = m[["doc_id", "entity_id"]].drop_duplicates().astype(str)
        in_doc = named.groupby("doc_id", sort=False)["entity_id"].agg(set)
        known = lexicon.ambiguous_places()
        places = [e for e in label if etype[e] == "LOC" and label[e].casefold() in known]
        place_docs = named[named["entity_id"].isin(places)].groupby(
            "entity_id", sort=False)["doc_id"].agg(list)
        for e, dl in place_docs.items():
            groups: dict[str, list[str]] = {}
            for d in dl:
                groups.setdefault(origin.get(d, ""), []).append(d)
            groups = {o: g for o, g in groups.items() if o and len(g) >= 2}
            if len(groups) < 2:
                continue
            ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))
            main, main_docs = ranked[0]
            near = set().union(*(in_doc[d] for d in main_docs)) - {e}
            for other, odocs in ranked[1:]:
                theirs = set().union(*(in_doc[d] for d in odocs)) - {e}
                overlap = len(near & theirs) / max(1, len(near | theirs))
                if overlap <= SPLIT_OVERLAP:
                    add("split", "split-place", [e], f"{label[e]!r} in {len(odocs)} "
                        f"documents from {other} shares {overlap:.0%} of its neighbours "
                        f"with its {len(main_docs)} documents from {main}",
                        docs=sorted(odocs), label=f"{label[e]} ({other})",
                        confidence=round(CONFIDENCE["split-place"] * (1 - overlap), 3))

    frame = pd.DataFrame(rows, columns=["kind", "rule", "names", "ids", "type", "docs",
                                        "label", "mentions", "confidence", "impact", "why"])
    frame = frame.sort_values(["kind", "impact", "mentions"], ascending=[True, False, False],
                              kind="stable")
    order = {"merge": 0, "exclude": 1, "retype": 2, "split": 3}
    frame = frame.groupby("kind", sort=False).head(limit)
    return frame.sort_values("kind", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True)
