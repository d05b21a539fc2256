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
    labels = entities.set_index("entity_id")
    types = labels["type"].astype(str)
    return edges.assign(
        source=edges["source"].astype(str), target=edges["target"].astype(str),
        source_label=edges["source"].astype(str).map(labels["label"]).to_numpy(),
        target_label=edges["target"].astype(str).map(labels["label"]).to_numpy(),
        source_type=edges["source"].astype(str).map(types).to_numpy(),
        target_type=edges["target"].astype(str).map(types).to_numpy())


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
    src, dst = edges["source"].astype(str), edges["target"].astype(str)
    touching = edges[src.isin(ids) | dst.isin(ids)]
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
    skip = set(exclude)
    e = _labelled(edges, entities)
    keep = (e["source_type"].isin(types) & e["target_type"].isin(types)
            & ~e["source"].isin(skip) & ~e["target"].isin(skip))
    return (e[keep].sort_values([weight, "documents", "source", "target"],
                                ascending=[False, False, True, True], kind="stable")
            .head(n).reset_index(drop=True))


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
    e = _labelled(edges, entities)
    keep = (e["weight"].to_numpy() >= min_support) & (e["documents"].to_numpy() >= min_documents)
    if types is not None:
        keep &= (e["source_type"].isin(types) & e["target_type"].isin(types)).to_numpy()
    skip = set(exclude)
    keep &= ~(e["source"].isin(skip) | e["target"].isin(skip)).to_numpy()
    e = e[keep]
    if exclude_pairs:
        pairs = pd.MultiIndex.from_tuples(list(exclude_pairs))
        e = e[~pd.MultiIndex.from_arrays([e["source"], e["target"]]).isin(pairs)]
    return (e.sort_values(["npmi", "weight", "source", "target"],
                          ascending=[False, False, True, True], kind="stable")
            .head(n).reset_index(drop=True))


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
    s, t = edges["source"].astype(str).to_numpy(), edges["target"].astype(str).to_numpy()
    w = edges[weight].to_numpy(dtype=float)
    part = partition.copy()
    part.index = part.index.astype(str)
    cs, ct = part.reindex(s).to_numpy(), part.reindex(t).to_numpy()
    cross = (cs != ct) & ~pd.isna(cs) & ~pd.isna(ct)
    ends = pd.DataFrame({"entity": np.concatenate([s[cross], t[cross]]),
                         "other": np.concatenate([ct[cross], cs[cross]]).astype("int64"),
                         "w": np.concatenate([w[cross], w[cross]])})
    ends = ends[~ends["entity"].isin(set(exclude))]
    per = ends.groupby(["entity", "other"], sort=True)["w"].sum().reset_index()
    reach = per.groupby("entity")["other"].size()
    many = reach[reach >= 2].index
    if not len(many):
        return pd.DataFrame(columns=["entity_id", "community", "betweenness", "reached"])
    bt = betweenness.copy()
    bt.index = bt.index.astype(str)
    table = pd.DataFrame({"entity_id": many, "betweenness": bt.reindex(many).fillna(0.0)
                          .to_numpy(), "n_reached": reach[many].to_numpy()})
    table = table.sort_values(["betweenness", "n_reached", "entity_id"],
                              ascending=[False, False, True], kind="stable").head(n)
    per = per[per["entity"].isin(set(table["entity_id"]))].sort_values(
        ["entity", "w", "other"], ascending=[True, False, True], kind="stable")
    reached = per.groupby("entity")["other"].agg(list)
    return pd.DataFrame({"entity_id": table["entity_id"].to_numpy(),
                         "community": part.reindex(table["entity_id"]).astype("int64")
                         .to_numpy(),
                         "betweenness": table["betweenness"].to_numpy(),
                         "reached": [reached[e] for e in table["entity_id"]]})


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
    occ = pd.DataFrame({"key": occurrences["key"].astype(str).to_numpy(),
                        "doc_id": occurrences["doc_id"].astype(str).to_numpy()})
    occ = occ.drop_duplicates()
    occ["half"] = occ["doc_id"].map(half)
    occ = occ.dropna(subset=["half"])
    counts = (occ.groupby(["key", "half"]).size().unstack(fill_value=0)
              .reindex(columns=["earlier", "later"], fill_value=0))
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
