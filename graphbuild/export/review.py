"""``review.html``: the candidates of :func:`graphbuild.measures.candidates.
review_candidates` with their evidence, to accept, reject or edit; the page writes the
decisions as a judgements file (:mod:`graphbuild.resolve.judgements`) the user downloads.
One offline file; every document-derived string reaches the page as JSON inside a script
element and is written with ``textContent``, never as HTML."""

from __future__ import annotations

import html
import os
from pathlib import Path

from graphbuild.core.files import atomic_write
from graphbuild.core.tables import Tables, kept_mentions
from graphbuild.export.html import _asset, json_for_script
from graphbuild.measures.candidates import review_candidates
from graphbuild.query import entity_quotes, snippet

__all__ = ["review_page", "write_review"]

SNIPPETS = 2
DOCS = 8
SHARED = 6


def _evidence(tables: Tables, ids: set[str]) -> tuple[dict, dict, dict]:
    """Per entity id: a few snippets (``doc ¶p: text``), its documents, its neighbours."""
    m = kept_mentions(tables.mentions, entity_ids=ids)
    snippets = entity_quotes(m, tables.paragraphs, SNIPPETS,
                             lambda text, spelling: snippet(text, spelling, 220))
    docs = {e: list(dict.fromkeys(g["doc_id"].astype(str)))
            for e, g in m.groupby("entity_id", sort=False)}
    ed = tables.edges
    ed = ed[ed["source"].isin(ids) | ed["target"].isin(ids)]
    neigh: dict[str, dict[str, float]] = {}
    for s, t, w in zip(ed["source"], ed["target"], ed["weight"], strict=True):
        if s in ids:
            neigh.setdefault(s, {})[t] = float(w)
        if t in ids:
            neigh.setdefault(t, {})[s] = float(w)
    return snippets, docs, neigh


def review_page(tables: Tables, limit: int = 60, title: str = "graphbuild review"
                ) -> tuple[str, dict[str, int]]:
    """The page and the number of candidates of each kind.

    Parameters
    ----------
    tables : Tables
        A build or a loaded folder.
    limit : int
        Candidates of each kind.
    title : str
        The page's title.

    Returns
    -------
    tuple of (str, dict)

    Examples
    --------
    >>> import graphbuild as gb
    >>> page, counts = review_page(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> page[:15], sorted(counts)
    ('<!DOCTYPE html>', ['exclude', 'merge', 'retype', 'split'])
    """
    cand = review_candidates(tables, limit)
    ids = {i for group in cand["ids"] for i in group}
    snippets, docs, neigh = _evidence(tables, ids)
    label = dict(zip(tables.entities["entity_id"], tables.entities["label"].astype(str),
                     strict=True))
    items = []
    for n, row in enumerate(cand.itertuples(index=False)):
        shared = []
        if row.kind == "merge" and len(row.ids) == 2:
            a, b = (neigh.get(i, {}) for i in row.ids)
            # strongest first, ties by id: a set's order changes with each process
            shared = [label.get(x, x) for x in sorted(set(a) & set(b),
                                                      key=lambda x: (-(a[x] + b[x]), x))[:SHARED]]
        items.append({
            "n": n, "kind": row.kind, "rule": row.rule, "names": list(row.names),
            "ids": list(row.ids), "type": row.type, "label": row.label,
            "docs": list(row.docs), "mentions": int(row.mentions),
            "confidence": float(row.confidence), "impact": float(row.impact), "why": row.why,
            "evidence": [{"name": label.get(i, i), "snippets": snippets.get(i, []),
                          "docs": docs.get(i, [])[:DOCS], "n_docs": len(docs.get(i, [])),
                          "neighbours": len(neigh.get(i, {}))} for i in row.ids],
            "shared": shared})
    counts = {k: int((cand["kind"] == k).sum()) for k in ("merge", "exclude", "retype",
                                                          "split")}
    data = {"title": title, "items": items, "types": ["PER", "ORG", "LOC", "MISC"],
            "entities": len(tables.entities)}
    page = (_asset("templates", "review.html")
            .replace("__TITLE__", html.escape(title))
            .replace("__DATA__", json_for_script(data))
            .replace("__SHARED__", _asset("templates", "judgements.js"))
            .replace("__SCRIPT__", _asset("templates", "review.js")))
    return page, counts


def write_review(tables: Tables, path: str | os.PathLike[str], limit: int = 60,
                 ) -> tuple[Path, dict[str, int]]:
    """Write :func:`review_page` to ``path``.

    Parameters
    ----------
    tables : Tables
        A build or a loaded folder.
    path : str or os.PathLike
        The file.
    limit : int
        Candidates of each kind.

    Returns
    -------
    tuple of (pathlib.Path, dict)
        The file and the number of candidates of each kind.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> write_review(eg, tempfile.mkdtemp() + "/review.html")[0].name
    'review.html'
    """
    page, counts = review_page(tables, limit)
    return atomic_write(Path(path), page), counts

