"""What a reporter reads first, computed from the tables (deterministic, no language model):
the top entities of each type with their strongest ties, the key relationships once what
every document shares is set aside, surprising ties (NPMI with a minimum support), brokers
between named communities, and what rose or faded between the earlier and the later half of
the dated documents. ``graphbuild.export.report.brief`` writes them as ``brief.md`` and
``brief.html``, each statement with its citation.

Every function takes the build's tables and returns a small :class:`pandas.DataFrame`
(ids, labels and counts), so a notebook can open what the brief says.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphbuild.core.tables import positions

__all__ = ["background_entities", "top_entities", "strongest_ties", "key_relationships",
           "surprising_ties", "community_names", "bridges", "halves", "changes"]

#: an entity in at least this share of the documents is background, what every document
#: shares (the corpus' own country, "U.S."), set apart from the key relationships
BACKGROUND_SHARE = 1 / 3
#: below this many documents no entity is background (two cables share everything)
BACKGROUND_MIN_DOCUMENTS = 10
#: the types of the actors whose ties are the key relationships
ACTOR_TYPES = ("PER", "ORG")


def background_entities(entities: pd.DataFrame, n_documents: int,
                        share: float = BACKGROUND_SHARE,
                        min_documents: int = BACKGROUND_MIN_DOCUMENTS) -> pd.Series:
    """The entities mentioned in at least ``share`` of the ``n_documents`` documents (none
    when there are fewer than ``min_documents``), most widespread first: their share of
    the documents, indexed by ``entity_id``.

    Parameters
    ----------
    entities : pandas.DataFrame
        The entities table (``entity_id``, ``documents``).
    n_documents : int
        Documents in the corpus.
    share : float
        The smallest share of documents that makes an entity background.
    min_documents : int
        Corpora smaller than this have no background.

    Returns
    -------
    pandas.Series
        Share of documents per background ``entity_id``.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["us", "farc", "uribe"], "documents": [9, 2, 4]})
    >>> background_entities(ents, 12).to_dict()
    {'us': 0.75, 'uribe': 0.3333333333333333}
    >>> background_entities(ents, 9).empty
    True
    """
    if n_documents < min_documents or entities.empty:
        return pd.Series(dtype=float, name="share")
    frac = entities["documents"].to_numpy(dtype=float) / n_documents
    keep = frac >= share - 1e-12
    out = pd.Series(frac[keep], index=pd.Index(entities["entity_id"].to_numpy()[keep],
                                               name="entity_id"), name="share")
    return out.sort_values(ascending=False, kind="stable")


def top_entities(entities: pd.DataFrame, entity_type: str, n: int = 8) -> pd.DataFrame:
    """The ``n`` entities of ``entity_type`` mentioned in the most documents (then the most
    mentions, then the label): a spread over many cables says more than one long cable.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                      "type": ["PER", "PER", "ORG"], "mentions": [9, 3, 5],
    ...                      "documents": [1, 2, 4]})
    >>> top_entities(ents, "PER")["entity_id"].tolist()
    ['b', 'a']
    """
    of_type = entities[entities["type"].astype(str) == entity_type]
    return (of_type.sort_values(["documents", "mentions", "label"],
                                ascending=[False, False, True], kind="stable")
            .head(n).reset_index(drop=True))


def _labelled(edges: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """``edges`` (a few rows: call it on what is kept, not on the whole table) with plain
    string ends and each end's label and type."""
    labels = entities.set_index("entity_id")
    types = labels["type"].astype(str)
    source, target = edges["source"].astype(str), edges["target"].astype(str)
    return edges.assign(
        source=source, target=target,
        source_label=source.map(labels["label"]).to_numpy(),
        target_label=target.map(labels["label"]).to_numpy(),
        source_type=source.map(types).to_numpy(), target_type=target.map(types).to_numpy())


def _end_mask(edges: pd.DataFrame, entities: pd.DataFrame, types=None, exclude=(),
              ) -> np.ndarray:
    """Edges whose two ends are entities of ``types`` (any type for ``None``) and outside
    ``exclude``: on integer positions (millions of edges at scale, never made strings)."""
    ids = entities["entity_id"]
    ok = np.ones(len(ids), dtype=bool)
    if types is not None:
        ok &= entities["type"].astype(str).isin(list(types)).to_numpy()
    skip = positions(pd.Series(list(exclude), dtype=object), ids)
    ok[skip[skip >= 0]] = False
    ps, pt = positions(edges["source"], ids), positions(edges["target"], ids)
    return (ps >= 0) & (pt >= 0) & ok[np.maximum(ps, 0)] & ok[np.maximum(pt, 0)]


def _top_rows(edges: pd.DataFrame, keys: list[str], ascending: list[bool], n: int,
              ) -> pd.DataFrame:
    """The first ``n`` rows of ``edges`` sorted by ``keys`` (stable, ``NaN`` last; the ends
    as plain strings, so ties go to the smaller id). The full sort runs only on the rows
    that can be among them — those at or above the ``n``-th largest value of the first
    key, which is sorted descending — and only those ends are made strings.

    >>> eds = pd.DataFrame({"source": list("abcd"), "target": list("wxyz"),
    ...                     "w": [1.0, 3.0, float("nan"), 3.0]})
    >>> _top_rows(eds, ["w", "source"], [False, True], 2)["source"].tolist()
    ['b', 'd']
    """
    first = edges[keys[0]].to_numpy(dtype=float)
    known = first[~np.isnan(first)]
    if n > 0 and len(known) >= n:
        edges = edges[first >= np.sort(known)[len(known) - n]]
    edges = edges.assign(source=edges["source"].astype(str), target=edges["target"].astype(str))
    return edges.sort_values(keys, ascending=ascending, kind="stable").head(n)


def strongest_ties(edges: pd.DataFrame, entity_ids: list[str], exclude=(), n: int = 3,
                   weight: str = "weight") -> dict[str, list[tuple[str, int]]]:
    """Per entity of ``entity_ids``, its ``n`` strongest neighbours outside ``exclude`` as
    ``(neighbour id, weight)``, strongest first (ties: the smaller id).

    Examples
    --------
    >>> eds = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "c"],
    ...                     "weight": [1, 3, 2]})
    >>> strongest_ties(eds, ["a", "c"], exclude={"b"})
    {'a': [('c', 3)], 'c': [('a', 3)]}
    """
    ids = set(entity_ids)
    skip = set(exclude)
    wanted = pd.Series(list(entity_ids), dtype=object)
    touching = edges[(positions(edges["source"], wanted) >= 0)
                     | (positions(edges["target"], wanted) >= 0)]
    s, t = touching["source"].astype(str).to_numpy(), touching["target"].astype(str).to_numpy()
    w = touching[weight].to_numpy()
    pairs = pd.DataFrame({"entity": np.concatenate([s, t]), "other": np.concatenate([t, s]),
                          "w": np.concatenate([w, w])})
    pairs = pairs[pairs["entity"].isin(ids) & ~pairs["other"].isin(skip)]
    pairs = pairs.sort_values(["entity", "w", "other"], ascending=[True, False, True],
                              kind="stable").groupby("entity").head(n)
    out: dict[str, list[tuple[str, int]]] = {e: [] for e in entity_ids}
    for e, o, x in pairs.itertuples(index=False, name=None):
        out[e].append((o, int(x)))
    return out


def key_relationships(edges: pd.DataFrame, entities: pd.DataFrame, exclude=(), n: int = 8,
                      types: tuple[str, ...] = ACTOR_TYPES,
                      weight: str = "weight") -> pd.DataFrame:
    """The ``n`` strongest ties between actors (both ends of ``types``, neither in
    ``exclude``): ``source, target, source_label, target_label, source_type, target_type``
    and the edge columns, strongest first (ties: more documents, then the ids).

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                      "type": ["PER", "ORG", "LOC"]})
    >>> eds = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [2, 5],
    ...                     "documents": [1, 1]})
    >>> key_relationships(eds, ents)[["source_label", "target_label", "weight"]].values.tolist()
    [['A', 'B', 2]]
    """
    top = _top_rows(edges[_end_mask(edges, entities, types, exclude)],
                    [weight, "documents", "source", "target"], [False, False, True, True], n)
    return _labelled(top, entities).reset_index(drop=True)


def surprising_ties(edges: pd.DataFrame, entities: pd.DataFrame, min_support: int = 3,
                    n: int = 6, exclude_pairs=(), types: tuple[str, ...] | None = None,
                    min_documents: int = 1, exclude=()) -> pd.DataFrame:
    """Pairs that co-occur far more than their frequencies predict: the highest NPMI among
    the edges with ``weight >= min_support`` paragraphs in ``documents >= min_documents``
    (NPMI alone ranks pairs seen once, together, first; one cable's phrasing is not a
    pattern), outside ``exclude_pairs`` (``(source, target)`` tuples) and without an end in
    ``exclude``; highest first, ties by weight then the ids.

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                      "type": ["PER", "ORG", "LOC"]})
    >>> eds = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [3, 1],
    ...                     "documents": [2, 1], "npmi": [0.4, 1.0]})
    >>> surprising_ties(eds, ents)["target"].tolist()
    ['b']
    """
    keep = (edges["weight"].to_numpy() >= min_support) \
        & (edges["documents"].to_numpy() >= min_documents)
    e = edges[keep]
    e = e[_end_mask(e, entities, types, exclude)]
    # the first n once the excluded pairs are out are among the first n + len(pairs)
    e = _top_rows(e, ["npmi", "weight", "source", "target"], [False, False, True, True],
                  n + len(exclude_pairs))
    if exclude_pairs:
        pairs = pd.MultiIndex.from_tuples(list(exclude_pairs))
        e = e[~pd.MultiIndex.from_arrays([e["source"], e["target"]]).isin(pairs)]
    return _labelled(e.head(n), entities).reset_index(drop=True)


def community_names(summary: pd.DataFrame, entities: pd.DataFrame, top: int = 3,
                    ) -> dict[int, str]:
    """A name per community: its ``top`` members by the summary's ranking, joined with
    `` · `` (``"Venezuela · Hugo Chavez · Colombia"``), never a bare number.

    Examples
    --------
    >>> summ = pd.DataFrame({"community": [0, 1], "top_ids": [["a", "b"], ["c"]]})
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"]})
    >>> community_names(summ, ents)
    {0: 'A · B', 1: 'C'}
    """
    labels = entities.set_index("entity_id")["label"]
    return {int(c): " · ".join(str(labels.get(i, i)) for i in list(ids)[:top])
            for c, ids in zip(summary["community"], summary["top_ids"], strict=True)}


def bridges(edges: pd.DataFrame, partition: pd.Series, betweenness: pd.Series,
            n: int = 5, exclude=(), weight: str = "weight") -> pd.DataFrame:
    """Entities that connect communities: those with ties into at least two communities
    other than their own, ranked by betweenness (ties: more communities reached, then the
    id). Returns ``entity_id, community, betweenness, reached`` (``reached``: the other
    communities, most edge weight first).

    Examples
    --------
    >>> part = pd.Series({"a": 0, "b": 1, "c": 2, "d": 0})
    >>> eds = pd.DataFrame({"source": ["a", "a", "a"], "target": ["b", "c", "d"],
    ...                     "weight": [1, 2, 1]})
    >>> bridges(eds, part, pd.Series({"a": 0.5, "b": 0, "c": 0, "d": 0}))[
    ...     ["entity_id", "reached"]].values.tolist()
    [['a', [2, 1]]]
    """
    if edges.empty or partition.empty:
        return pd.DataFrame(columns=["entity_id", "community", "betweenness", "reached"])
    # edge ends as positions in the partition (integers: millions of edges at scale)
    ids = pd.Series(partition.index.astype(str), dtype=object)
    comm = partition.to_numpy().astype(np.int64)
    ps, pt = positions(edges["source"], ids), positions(edges["target"], ids)
    known = (ps >= 0) & (pt >= 0)
    cs = np.where(known, comm[np.maximum(ps, 0)], -1)
    ct = np.where(known, comm[np.maximum(pt, 0)], -1)
    cross = known & (cs != ct)
    w = edges[weight].to_numpy(dtype=float)
    ends = pd.DataFrame({"entity": np.concatenate([ps[cross], pt[cross]]),
                         "other": np.concatenate([ct[cross], cs[cross]]),
                         "w": np.concatenate([w[cross], w[cross]])})
    skip = positions(pd.Series(list(exclude), dtype=object), ids)
    ends = ends[~ends["entity"].isin(skip[skip >= 0])]
    per = ends.groupby(["entity", "other"], sort=True)["w"].sum().reset_index()
    reach = per.groupby("entity")["other"].size()
    many = reach[reach >= 2].index.to_numpy()
    if not len(many):
        return pd.DataFrame(columns=["entity_id", "community", "betweenness", "reached"])
    bt = betweenness.copy()
    bt.index = bt.index.astype(str)
    names = ids.to_numpy()[many]
    table = pd.DataFrame({"entity_id": names, "pos": many,
                          "betweenness": bt.reindex(names).fillna(0.0).to_numpy(),
                          "n_reached": reach[many].to_numpy()})
    table = table.sort_values(["betweenness", "n_reached", "entity_id"],
                              ascending=[False, False, True], kind="stable").head(n)
    per = per[per["entity"].isin(table["pos"])].sort_values(
        ["entity", "w", "other"], ascending=[True, False, True], kind="stable")
    reached = per.groupby("entity")["other"].agg(list)
    return pd.DataFrame({"entity_id": table["entity_id"].to_numpy(),
                         "community": comm[table["pos"].to_numpy()],
                         "betweenness": table["betweenness"].to_numpy(),
                         "reached": [[int(c) for c in reached[p]] for p in table["pos"]]})


def halves(documents: pd.DataFrame) -> tuple[pd.Series, tuple[str, str], tuple[str, str]]:
    """Split the dated documents at their median date into an earlier and a later half
    (documents of the median day go to the earlier one). Returns the half of every dated
    document (``"earlier"``/``"later"``, indexed by ``doc_id``) and each half's first and
    last date; empty when fewer than two distinct days are dated.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": list("abcd"),
    ...                      "created": ["2004-01-02", "2004-03-01 10:00", "2005-06-01", None]})
    >>> half, early, late = halves(docs)
    >>> half.to_dict()
    {'a': 'earlier', 'b': 'earlier', 'c': 'later'}
    >>> early, late
    (('2004-01-02', '2004-03-01'), ('2005-06-01', '2005-06-01'))
    """
    empty = pd.Series(dtype=object, name="half")
    if "created" not in documents or documents.empty:
        return empty, ("", ""), ("", "")
    day = documents["created"].astype("string").str.slice(0, 10)
    day = day[day.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)]
    if day.nunique() < 2:
        return empty, ("", ""), ("", "")
    ordered = np.sort(day.to_numpy(dtype=object))
    median = ordered[(len(ordered) - 1) // 2]
    if median == ordered[-1]:   # most documents on the last day: split just before it
        median = ordered[ordered < median][-1]
    early = day.to_numpy(dtype=object) <= median
    ids = documents["doc_id"].astype(str).to_numpy()[day.index.to_numpy()]
    half = pd.Series(np.where(early, "earlier", "later"), index=pd.Index(ids, name="doc_id"),
                     name="half")
    e_days, l_days = ordered[ordered <= median], ordered[ordered > median]
    return half, (e_days[0], e_days[-1]), (l_days[0], l_days[-1])


def changes(occurrences: pd.DataFrame, half: pd.Series, min_documents: int = 3,
            n: int = 5) -> pd.DataFrame:
    """What rises or fades between the two halves of :func:`halves`: for every ``key`` of
    ``occurrences`` (``key, doc_id`` rows: an entity id per mention, or a ``source|target``
    pair per evidence paragraph) in at least ``min_documents`` dated documents, the share of
    each half's documents it occurs in. Returns ``key, earlier, later`` (its documents in
    each half), ``earlier_share``, ``later_share``, ``change`` (later − earlier share) and
    ``trend`` (``rising`` / ``fading``): the ``n`` largest rises, then the ``n`` largest
    falls (ties: the key).

    Examples
    --------
    >>> half = pd.Series(["earlier"] * 2 + ["later"] * 2, index=list("abcd"))
    >>> occ = pd.DataFrame({"doc_id": list("abcdcd"), "key": list("xxxyyz")})
    >>> changes(occ, half, min_documents=2)[["key", "earlier", "later", "trend"]
    ...                                     ].values.tolist()
    [['y', 0, 2, 'rising'], ['x', 2, 1, 'fading']]
    """
    cols = ["key", "earlier", "later", "earlier_share", "later_share", "change", "trend"]
    if half.empty or occurrences.empty:
        return pd.DataFrame(columns=cols)
    # on integer codes: one row per mention at scale (millions), never made strings
    key_code, keys = pd.factorize(occurrences["key"])
    doc_code, _ = pd.factorize(occurrences["doc_id"])
    where = positions(occurrences["doc_id"], pd.Series(half.index, dtype=object))
    later = np.where(where >= 0, half.to_numpy(dtype=object)[np.maximum(where, 0)] == "later",
                     False)
    ok = (key_code >= 0) & (where >= 0)
    n_docs = np.int64(max(int(doc_code.max()) + 1, 1)) if len(doc_code) else np.int64(1)
    pair, first = np.unique(key_code[ok].astype(np.int64) * n_docs + doc_code[ok],
                            return_index=True)
    k = (pair // n_docs).astype(np.int64)
    late = later[ok][first]
    counts = pd.DataFrame({"earlier": np.bincount(k[~late], minlength=len(keys)),
                           "later": np.bincount(k[late], minlength=len(keys))},
                          index=pd.Index(np.asarray(keys, dtype=object).astype(str),
                                         name="key"))
    counts = counts[counts.sum(axis=1) >= min_documents]
    sizes = half.value_counts()
    table = counts.assign(earlier_share=counts["earlier"] / max(int(sizes.get("earlier", 0)), 1),
                          later_share=counts["later"] / max(int(sizes.get("later", 0)), 1))
    table["change"] = table["later_share"] - table["earlier_share"]
    table = table.rename_axis("key").reset_index()
    up = table[table["change"] > 0].sort_values(["change", "key"],
                                                ascending=[False, True]).head(n)
    down = table[table["change"] < 0].sort_values(["change", "key"]).head(n)
    out = pd.concat([up.assign(trend="rising"), down.assign(trend="fading")],
                    ignore_index=True)
    out[["earlier", "later"]] = out[["earlier", "later"]].astype("int64")
    return out[cols]
