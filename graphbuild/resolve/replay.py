"""Replay the analyst's judgements (:mod:`graphbuild.resolve.judgements`) on what the
automatic resolution produced: they win over every rule.

Order: ``distinct`` (names an automatic rule had merged are taken apart again, so a
rejected merge never comes back), ``split``, ``merge`` (transitively: A = B and B = C make
one entity; a ``distinct`` pair that the merges would join is an error naming both
lines), ``retype``, ``exclude``. Only the mentions table's ``entity_id``, ``status``,
``reason``, ``rule`` and ``resolved_type`` change; the entities and the audit are
recounted from it, so the counting stage sees one table as always.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from graphbuild.core.diagnostics import InputError, Problem
from graphbuild.core.names import EntityNotFound, match_entity, slugify
from graphbuild.core.tables import kept_mentions
from graphbuild.resolve.entities import _audit
from graphbuild.resolve.judgements import Judgement, Judgements
from graphbuild.resolve.resolution import Resolution
from graphbuild.resolve.rules import match_key

__all__ = ["apply_judgements", "Replay"]

RULE = "judgement"


@dataclass
class Replay:
    """What a replay did: the decisions applied (one line each), those that matched
    nothing (stale: ``(where, what)``) and the warnings for the build."""

    applied: list[str] = field(default_factory=list)
    stale: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def settings(self) -> dict:
        """What ``build.json`` and the report record."""
        return {"file": self.source, "applied": len(self.applied),
                "decisions": self.applied, "stale": [f"{w}: {t}" for w, t in self.stale]}

    def _stale(self, j: Judgement, text: str) -> None:
        self.stale.append((j.where, text))
        path, _, line = j.where.rpartition(":")
        self.problems.append(Problem("stale-judgement", f"{j.kind}: {text}; the decision "
                                     "was not applied", path, int(line or 0)))


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.why: dict[tuple[str, str], str] = {}

    def find(self, x: str) -> str:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def union(self, keep: str, other: str, where: str) -> None:
        a, b = self.find(keep), self.find(other)
        if a != b:
            self.parent[b] = a
            self.why[(a, b)] = where

    def lines(self) -> list[str]:
        return sorted(set(self.why.values()))


def apply_judgements(res: Resolution, judgements: Judgements,
                     documents: pd.DataFrame | None = None) -> tuple[Resolution, Replay]:
    """``res`` with ``judgements`` applied, and what was applied.

    Parameters
    ----------
    res : Resolution
        What :func:`graphbuild.resolve.resolve` returned.
    judgements : Judgements
        The decisions (:func:`~graphbuild.resolve.judgements.load_judgements`).
    documents : pandas.DataFrame, optional
        The documents table: document ids in ``docs`` that it lacks are warned about.

    Returns
    -------
    tuple of (Resolution, Replay)

    Raises
    ------
    InputError
        A contradiction (a ``distinct`` pair the merges join), naming the lines.

    Examples
    --------
    >>> from graphbuild.extract.corpus import parse_document
    >>> from graphbuild.read import read_text
    >>> from graphbuild.resolve import resolve
    >>> from graphbuild.resolve.judgements import parse_judgements
    >>> p = parse_document(read_text("¶1. [PER Ana Diaz  ] met [PER Diaz  ] and [ORG Post  ].",
    ...                              "d")[0])
    >>> res = resolve(pd.DataFrame(p.mentions).assign(mention_id=range(3)))
    >>> j = parse_judgements('[[distinct]]\\nnames = ["Ana Diaz", "Diaz"]\\n', "j")
    >>> new, done = apply_judgements(res, j)
    >>> sorted(new.entities["label"]), done.applied
    (['Ana Diaz', 'Diaz'], ['distinct Ana Diaz ≠ Diaz (j:1)'])
    """
    m = res.mentions.copy()
    ents = res.entities
    for col in ("entity_id", "rule", "resolved_type", "status", "reason"):
        if col in m:
            m[col] = m[col].astype(object)
    alive = (m["status"] == "kept") & m["entity_id"].notna()
    key = m["clean"].astype(object).fillna(m["surface"]).map(match_key) \
        if "clean" in m else m["surface"].map(match_key)
    out = Replay(source=judgements.source)
    known_docs = set(documents["doc_id"].astype(str)) if documents is not None else None
    union = _Union()
    labels: dict[str, str] = dict(zip(ents["entity_id"], ents["label"].astype(str),
                                      strict=True))
    types: dict[str, str] = dict(zip(ents["entity_id"], ents["type"].astype(str),
                                     strict=True))
    created: dict[str, str] = {}            # match key of a new label -> its id
    touched: set[str] = set()

    def resolve_name(j: Judgement, name: str) -> str | None:
        k = match_key(name)
        if k in created:
            return union.find(created[k])
        try:
            return union.find(match_entity(ents, name))
        except EntityNotFound as exc:
            out._stale(j, str(exc).split(" (ids and labels")[0])
            return None

    def scope(j: Judgement) -> pd.Series:
        if not j.docs:
            return pd.Series(True, index=m.index)
        if known_docs is not None:
            unknown = [d for d in j.docs if d not in known_docs]
            if unknown:
                out._stale(j, f"no document {', '.join(map(repr, unknown[:5]))} in this "
                              "corpus")
        return m["doc_id"].astype(str).isin(j.docs)

    def new_entity(label: str, like: str) -> str:
        base = slugify(label)
        eid, n = base, 2
        while eid in labels:
            eid, n = f"{base}-{n}", n + 1
        labels[eid], types[eid] = label, types.get(like, "MISC")
        created[match_key(label)] = eid
        touched.add(eid)
        return eid

    def move(mask: pd.Series, to: str) -> None:
        touched.update(m.loc[mask, "entity_id"].dropna().unique().tolist())
        m.loc[mask, "entity_id"] = to
        m.loc[mask, "rule"] = RULE
        touched.add(to)

    # --- distinct: take apart what a rule merged ---------------------------------------
    apart: list[tuple[Judgement, list[str]]] = []
    for j in judgements.of("distinct"):
        ids = [resolve_name(j, n) for n in j.names]
        if None in ids:
            continue
        seen: set[str] = set()            # entities already claimed by an earlier name
        final = []
        for name, eid in zip(j.names, ids, strict=True):
            if eid not in seen:
                seen.add(eid)
                final.append(eid)
                continue
            mask = alive & (m["entity_id"] == eid) & (key == match_key(name))
            if not mask.any():
                out._stale(j, f"no mention of {labels[eid]!r} is spelled {name!r}")
                final.append(eid)
                continue
            final.append(new_entity(name, eid))
            move(mask, final[-1])
        apart.append((j, final))
        out.applied.append(j.describe())

    # --- split ------------------------------------------------------------------------------
    for j in judgements.of("split"):
        eid = resolve_name(j, j.names[0])
        if eid is None:
            continue
        mask = alive & (m["entity_id"] == eid) & scope(j)
        if not mask.any():
            if known_docs is None or set(j.docs) & known_docs:   # else scope() said so
                out._stale(j, f"{labels[eid]!r} has no mention in those documents")
            continue
        label = j.label or f"{labels[eid]} ({j.docs[0]})"
        same = [e for e, lab in labels.items() if e != eid and match_key(lab)
                == match_key(label)]
        # split towards an entity of that name when there is one (the other Uribe)
        move(mask, union.find(same[0]) if same else new_entity(label, eid))
        out.applied.append(j.describe())

    # --- merge --------------------------------------------------------------------------------
    scoped: list[tuple[Judgement, list[str]]] = []
    for j in judgements.of("merge"):
        ids = [resolve_name(j, n) for n in j.names]
        ids = [i for i in ids if i is not None]
        if len(set(ids)) < 2:
            if len(ids) == len(j.names):
                out._stale(j, "the names are already one entity")
            continue
        if j.docs:
            scoped.append((j, ids))
        else:
            for other in ids[1:]:
                union.union(ids[0], other, j.where)
            if j.label:
                labels[union.find(ids[0])] = j.label
        out.applied.append(j.describe())
    for j, final in apart:
        roots = [union.find(e) for e in final]
        if len(set(roots)) < len(roots):
            raise InputError(f"{j.where}: contradiction: {' ≠ '.join(j.names)}, but the "
                             f"merges at {', '.join(union.lines())} make them one entity")
    if union.parent:
        root = {e: union.find(e) for e in union.parent}
        touched.update(root)
        touched.update(root.values())
        moved = alive & m["entity_id"].isin(list(root))
        m.loc[moved, "entity_id"] = m.loc[moved, "entity_id"].map(root)
        m.loc[moved, "rule"] = RULE
    for j, ids in scoped:
        target = union.find(ids[0])
        mask = alive & m["entity_id"].isin([union.find(i) for i in ids[1:]]) & scope(j)
        move(mask, target)
        if j.label:
            labels[target] = j.label

    # --- retype, exclude ----------------------------------------------------------------------
    for j in judgements.of("retype"):
        eid = resolve_name(j, j.names[0])
        if eid is not None:
            types[eid] = j.type
            touched.add(eid)
            out.applied.append(j.describe())
    for j in judgements.of("exclude"):
        eid = resolve_name(j, j.names[0])
        if eid is None:
            continue
        mask = alive & (m["entity_id"] == eid) & scope(j)
        if not mask.any():
            if not j.docs or known_docs is None or set(j.docs) & known_docs:
                out._stale(j, f"{labels[eid]!r} has no mention in those documents")
            continue
        touched.add(eid)
        m.loc[mask, ["status", "reason", "rule"]] = ["dropped", "judged not an entity",
                                                     RULE]
        m.loc[mask, "entity_id"] = None
        out.applied.append(j.describe())

    if not touched:
        return res, out
    return _recount(res, m, labels, types, touched), out


def _recount(res: Resolution, m: pd.DataFrame, labels: dict[str, str],
             types: dict[str, str], touched: set[str]) -> Resolution:
    """The entities of ``touched`` counted again from ``m`` (the others unchanged) and the
    audit rebuilt."""
    ents = res.entities
    mine = kept_mentions(m, entity_ids=touched)
    m.loc[mine.index, "resolved_type"] = mine["entity_id"].map(types)
    rows = []
    for eid, g in mine.groupby("entity_id", sort=True):
        label = labels[eid]
        vote = types[eid]
        names = g["name"].astype(object).fillna(g["surface"]).astype(str)
        rows.append({"entity_id": eid, "label": label, "type": vote,
                     "other_types": " ".join(sorted(set(g["type"].astype(str)) - {vote})),
                     "aliases": "|".join(sorted(set(names) - {label})),
                     "mentions": len(g),
                     "paragraphs": int(g[["doc_id", "paragraph"]].drop_duplicates().shape[0]),
                     "documents": int(g["doc_id"].nunique())})
    keep = ents[~ents["entity_id"].isin(touched)]
    fresh = pd.DataFrame(rows, columns=list(ents.columns))
    entities = (pd.concat([keep, fresh.astype(keep.dtypes.to_dict(), errors="ignore")],
                          ignore_index=True)
                .sort_values("entity_id", kind="stable").reset_index(drop=True))
    for col in ("rule", "resolved_type"):
        m[col] = m[col].astype("category")
    for col in ("status", "reason", "entity_id"):
        m[col] = m[col].astype(res.mentions[col].dtype)
    codes = tuple(pd.factorize(m[c].astype(object), use_na_sentinel=True)[0].astype(np.int64)
                  for c in ("surface", "type", "entity_id", "rule"))
    audit = _audit(m, codes, entities.set_index("entity_id")["label"])
    notes = res.audit.set_index(["surface", "type", "entity_id"])["note"]
    notes = notes[~notes.index.duplicated()]
    audit["note"] = notes.reindex(pd.MultiIndex.from_frame(
        audit[["surface", "type", "entity_id"]])).fillna("").to_numpy()
    audit["note"] = audit["note"].astype("string")
    return replace(res, mentions=m, entities=entities, audit=audit)

