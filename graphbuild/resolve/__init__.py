"""Resolve stage: mentions -> entities (one node per real-world entity).

:func:`resolve` applies, in this order:

1. :func:`~graphbuild.resolve.rules.clean_surface` to every kept mention;
2. grouping by :func:`~graphbuild.resolve.rules.match_key` (case and spacing variants merge);
3. :func:`~graphbuild.resolve.rules.choose_label` (most frequent well-cased spelling);
4. :func:`~graphbuild.resolve.rules.vote_type` (majority type, ties by ``TYPE_ORDER``);
5. a stable ``entity_id``: the slug of the label (``-2``, ``-3``... for slug collisions,
   assigned in key order so ids do not depend on input order).

Dropped mentions keep ``entity_id`` empty and their reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import tables
from .rules import choose_label, clean_surface, match_key, slugify, vote_type

__all__ = ["resolve", "Resolution"]


@dataclass
class Resolution:
    """Result of :func:`resolve`: mentions with ``entity_id`` and the ``entities`` table."""

    mentions: pd.DataFrame
    entities: pd.DataFrame
    audit: pd.DataFrame


def resolve(mentions: pd.DataFrame) -> Resolution:
    """Give each kept mention an ``entity_id`` and build the entities table.

    >>> import pandas as pd
    >>> from graphbuild.corpus import parse_document
    >>> from graphbuild.readers import read_text
    >>> p = parse_document(read_text("¶1. [LOC RUSSIA  ] and [LOC Russia:  ] .", "d")[0])
    >>> r = resolve(pd.DataFrame(p.mentions).assign(mention_id=[0, 1]))
    >>> r.entities[["entity_id", "label", "mentions"]].values.tolist()
    [['russia', 'Russia', 2]]
    """
    m = mentions.copy()
    kept = m["status"].eq("kept")
    cleaned = m.loc[kept, "surface"].map(clean_surface)
    empty = cleaned.eq("")
    if empty.any():
        idx = cleaned.index[empty]
        m.loc[idx, "status"] = "dropped"
        m.loc[idx, "reason"] = "empty-after-cleanup"
        cleaned = cleaned[~empty]
    m["clean"] = pd.Series(cleaned, dtype="string")
    m["key"] = m["clean"].map(match_key, na_action="ignore")
    live = m[m["key"].notna()]

    rows = []
    for key, group in live.groupby("key", sort=True):
        etype, others = vote_type(group["type"])
        label = choose_label(group["clean"])
        aliases = sorted(set(group["clean"]) - {label})
        rows.append({"key": key, "label": label, "type": etype,
                     "other_types": " ".join(others), "aliases": "|".join(aliases),
                     "mentions": len(group), "paragraphs":
                     group[["doc_id", "paragraph"]].drop_duplicates().shape[0],
                     "documents": group["doc_id"].nunique()})
    ents = pd.DataFrame(rows, columns=["key", "label", "type", "other_types", "aliases",
                                       "mentions", "paragraphs", "documents"])
    ents["entity_id"] = _unique_slugs(ents["label"].tolist())
    key_to_id = dict(zip(ents["key"], ents["entity_id"], strict=True))
    m["entity_id"] = m["key"].map(key_to_id).astype("string")
    audit = _audit(m)
    mentions_out = tables.conform("mentions", m.drop(columns=["key"]))
    entities = tables.conform("entities", ents.drop(columns=["key"]))
    return Resolution(mentions_out, entities, audit)


def _unique_slugs(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        base = slugify(label)
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}-{n}")
    return out


def _audit(m: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (surface, type) as annotated: where it went and why."""
    rule = m["reason"].where(m["status"].ne("kept"), "case-variant")
    frame = m.assign(rule=rule)
    grouped = (frame.groupby(["surface", "type", "entity_id", "rule"], dropna=False, sort=True)
               .size().rename("mentions").reset_index())
    return grouped
