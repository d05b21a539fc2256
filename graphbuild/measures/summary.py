"""What each community is about, from the tables (no language model): its size, top
entities, brokers to other communities and the paragraphs that represent it best."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphbuild.core.tables import Tables, positions
from graphbuild.graph.filters import driving_weight

__all__ = ["community_summary", "summary_of"]


def community_summary(community: pd.Series, centrality: pd.DataFrame, edges: pd.DataFrame,
                      entities: pd.DataFrame | None = None,
                      mentions: pd.DataFrame | None = None, measure: str = "pagerank",
                      top: int = 5, n_brokers: int = 3, n_paragraphs: int = 3,
                      weight: str = "weight") -> pd.DataFrame:
    """One row per community, computed from the tables (no language model).

    Parameters
    ----------
    community : pandas.Series
        Community id per entity id.
    centrality : pandas.DataFrame
        Measures indexed by entity id (``measure`` ranks the top entities).
    edges : pandas.DataFrame
        The edges table (``weight`` column: the tie strength).
    entities : pandas.DataFrame, optional
        The entities table, for labels.
    mentions : pandas.DataFrame, optional
        The mentions table, for the representative paragraphs.
    measure : str
        The measure that ranks a community's top entities.
    top, n_brokers, n_paragraphs : int
        How many top entities, brokers and paragraphs per community.
    weight : str
        The edge column that is the tie strength.

    Returns
    -------
    pandas.DataFrame
        ``community, size, internal_edges, external_edges, top_entities`` (by ``measure``),
        ``brokers`` (members with the most edge weight to other communities, with the
        communities they reach), ``paragraphs`` (the most representative units: the paragraphs
        that mention most of the community's top entities — at least two —, ties broken by the
        number of members mentioned) and ``top_ids``/``broker_ids``/``paragraph_refs``/
        ``broker_reach`` (per broker, the communities it reaches) as lists for programs;
        largest community first.

    Examples
    --------
    >>> comm = pd.Series({"a": 0, "b": 0, "c": 1})
    >>> cent = pd.DataFrame({"pagerank": [0.5, 0.3, 0.2]}, index=["a", "b", "c"])
    >>> eds = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [2, 1]})
    >>> community_summary(comm, cent, eds)[["community", "size", "brokers"]].values.tolist()
    [[0, 2, 'b → 1'], [1, 1, 'c → 0']]
    """
    cols = ["community", "size", "internal_edges", "external_edges", "top_entities",
            "brokers", "paragraphs", "top_ids", "broker_ids", "paragraph_refs", "broker_reach"]
    if community.empty:
        return pd.DataFrame(columns=cols)
    labels = {}
    if entities is not None and "label" in entities:
        labels = dict(zip(entities["entity_id"], entities["label"].astype(str), strict=True))
    name = lambda e: labels.get(e, str(e))  # noqa: E731
    comm = community.to_dict()
    # integer codes instead of dict lookups: the edge table can have millions of rows
    members = pd.Index(community.index.astype(object))
    code = community.to_numpy(np.int64)
    si = positions(edges["source"], community.index.to_series())
    ti = positions(edges["target"], community.index.to_series())
    inside = (si >= 0) & (ti >= 0)
    si, ti = si[inside], ti[inside]
    cs, ct = code[si], code[ti]
    if inside.any():
        # the weight column alone: edges.loc[inside] would copy the whole table (its
        # id strings are a gigabyte at Cablegate scale) to read one column
        w = driving_weight(edges[[weight]] if weight in edges else edges, weight
                           ).to_numpy(np.float64)[inside]
    else:
        w = np.zeros(0)
    same = cs == ct
    n_comm = int(code.max()) + 1 if len(code) else 1
    internal = np.bincount(cs[same], minlength=n_comm)
    external = (np.bincount(cs[~same], minlength=n_comm)
                + np.bincount(ct[~same], minlength=n_comm))
    score = centrality[measure] if measure in centrality else pd.Series(dtype="float64")
    # everything below is grouped once over all communities (thousands of singletons on a
    # big corpus make a per-community scan quadratic)
    nodes = pd.DataFrame({"node": list(comm), "c": list(comm.values())})
    nodes["score"] = nodes["node"].map(score).fillna(0.0).astype("float64")
    nodes["key"] = nodes["node"].astype(str)
    nodes = nodes.sort_values(["c", "score", "key"], ascending=[True, False, True],
                              kind="stable")
    top_of = nodes.groupby("c").head(top).groupby("c")["node"].agg(list).to_dict()
    size_of = nodes.groupby("c").size().to_dict()
    brokers_of = _brokers(si[~same], ti[~same], cs[~same], ct[~same], w[~same], code,
                          members.to_numpy(), n_brokers)
    refs_of: dict[int, list[str]] = {}
    if mentions is not None and len(mentions):
        member = positions(mentions["entity_id"], community.index.to_series())
        keep = member >= 0
        if "status" in mentions:
            keep &= mentions["status"].eq("kept").to_numpy(dtype=bool, na_value=False)
        if "section" in mentions:
            keep &= mentions["section"].isin(["subject", "body"]).to_numpy(dtype=bool)
        top_member = np.zeros(len(members), dtype=bool)
        top_member[members.get_indexer([e for ids in top_of.values() for e in ids])] = True
        # integer codes: (document, paragraph, member) per kept mention, distinct; the
        # document code is its rank among the sorted doc ids (the order the choice breaks
        # ties by). Keys are packed into int64 and counted with sorts, never grouped by
        # pandas over millions of rows
        # the whole column is coded (no copy of its kept rows' strings); a document's
        # rank among all the ids orders the kept ones as their rank among themselves.
        # Each array is freed, or reused in place, once the next one is made: at
        # Cablegate scale every one is 9 M rows
        doc_code, doc_names = pd.factorize(mentions["doc_id"])
        doc_names = np.asarray(doc_names, dtype=object)
        by_name = np.argsort(doc_names, kind="stable")
        doc_rank = np.empty(len(doc_names), dtype=np.int64)
        doc_rank[by_name] = np.arange(len(doc_names))
        unit = doc_rank[doc_code[keep]] if len(doc_code) else np.zeros(0, dtype=np.int64)
        del doc_code, doc_rank
        para = mentions["paragraph"].to_numpy(np.int64)[keep]
        who = member[keep].astype(np.int64)
        del member, keep
        p_low = int(para.min()) if len(para) else 0
        n_p = int(para.max()) - p_low + 1 if len(para) else 1
        n_e = max(len(members), 1)
        unit *= n_p                                       # (document, paragraph)
        unit += para
        unit -= p_low
        del para
        per_unit = int(unit.max()) + 1 if len(unit) else 1
        unit *= n_e
        unit += who
        del who
        inc = _distinct(unit, in_place=True)
        del unit
        inc_unit, inc_e = np.divmod(inc, n_e)
        del inc
        # (community, document, paragraph) of each distinct incidence, and its top flag
        cell = code[inc_e]
        cell *= per_unit
        cell += inc_unit
        del inc_unit
        is_top = top_member[inc_e]
        del inc_e
        top_cells, tops_in = _counts(cell[is_top])
        del is_top
        cells, members_in = _counts(cell, in_place=True)
        del cell
        chosen = top_cells[tops_in >= 2]
        n_top = tops_in[tops_in >= 2]
        n_members = members_in[np.searchsorted(cells, chosen)]
        c_of, unit_of = chosen // per_unit, chosen % per_unit
        doc_of, par_of = unit_of // n_p, unit_of % n_p + p_low
        # per community: most top entities, then most members, then doc_id, then paragraph
        order = np.lexsort((par_of, doc_of, -n_members, -n_top, c_of))
        c_sorted = c_of[order]
        first = np.searchsorted(c_sorted, c_sorted)
        order = order[np.arange(len(order)) - first < n_paragraphs]
        per = pd.DataFrame({"c": c_of[order],
                            "doc_id": doc_names[by_name][doc_of[order]],
                            "paragraph": par_of[order]})
        for c, d, p in zip(per["c"], per["doc_id"], per["paragraph"], strict=True):
            refs_of.setdefault(int(c), []).append(f"{d}:¶{p}")
    rows = []
    for cid in sorted(size_of):
        top_ids = top_of.get(cid, [])
        brk = brokers_of.get(int(cid), [])
        refs = refs_of.get(int(cid), [])
        rows.append({"community": int(cid), "size": int(size_of[cid]),
                     "internal_edges": int(internal[cid]),
                     "external_edges": int(external[cid]),
                     "top_entities": "; ".join(name(e) for e in top_ids),
                     "brokers": "; ".join(f"{name(e)} → {', '.join(map(str, reach))}"
                                          for e, reach in brk),
                     "paragraphs": "; ".join(refs), "top_ids": top_ids,
                     "broker_ids": [e for e, _ in brk], "paragraph_refs": refs,
                     "broker_reach": [list(map(int, reach)) for _, reach in brk]})
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values(["size", "community"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)


def _brokers(xs: np.ndarray, xt: np.ndarray, cs: np.ndarray, ct: np.ndarray,
             w: np.ndarray, code: np.ndarray, ids: np.ndarray, n_brokers: int,
             ) -> dict[int, list]:
    """Per community, its ``n_brokers`` members with the most edge weight to other
    communities (ties: the smaller id) and the communities each one reaches, from the
    edges that cross communities (member positions ``xs``/``xt``, their communities
    ``cs``/``ct``, weights ``w``; ``code``: the community of each member).

    A member's community is its own, so the weight per (community, member) is a
    ``bincount`` over members: no table of every crossing edge in both directions (tens
    of millions of rows at Cablegate scale).

    >>> ids = np.array(["a", "b", "c"], dtype=object)
    >>> _brokers(np.array([0, 0]), np.array([1, 2]), np.array([0, 0]), np.array([1, 2]),
    ...          np.array([2.0, 1.0]), np.array([0, 1, 2]), ids, 1)
    {0: [('a', [1, 2])], 1: [('b', [0])], 2: [('c', [0])]}
    """
    if len(xs) == 0:
        return {}
    n = len(ids)
    strength = np.bincount(xs, weights=w, minlength=n) + np.bincount(xt, weights=w, minlength=n)
    crossing = np.flatnonzero((np.bincount(xs, minlength=n) + np.bincount(xt, minlength=n)) > 0)
    per = pd.DataFrame({"own": code[crossing], "node": crossing, "w": strength[crossing],
                        "key": ids[crossing].astype(str)})
    per = per.sort_values(["own", "w", "key"], ascending=[True, False, True],
                          kind="stable").groupby("own").head(n_brokers)
    # the communities each chosen broker reaches (only the few chosen ones are looked at)
    chosen = np.zeros(n, dtype=bool)
    chosen[per["node"].to_numpy()] = True
    a, b = chosen[xs], chosen[xt]
    n_comm = np.int64(int(code.max()) + 1)
    reached = np.unique(np.concatenate((xs[a] * n_comm + ct[a], xt[b] * n_comm + cs[b])))
    reach: dict[int, list[int]] = {}
    for node, other in zip((reached // n_comm).tolist(), (reached % n_comm).tolist(),
                           strict=True):
        reach.setdefault(node, []).append(other)
    out: dict[int, list] = {}
    for own, node in zip(per["own"].tolist(), per["node"].tolist(), strict=True):
        out.setdefault(int(own), []).append((ids[node], reach[node]))
    return out


def _distinct(keys: np.ndarray, in_place: bool = False) -> np.ndarray:
    """The sorted distinct values of an int64 array (a sort and a neighbour mask: faster
    than ``np.unique``, which hashes first); ``in_place`` sorts ``keys`` itself."""
    if in_place:
        keys.sort()
    else:
        keys = np.sort(keys)
    if len(keys) == 0:
        return keys
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    return keys[keep]


def _counts(keys: np.ndarray, in_place: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of an int64 array and how often each occurs; ``in_place``
    sorts ``keys`` itself."""
    if in_place:
        keys.sort()
    else:
        keys = np.sort(keys)
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.diff(np.append(starts, len(keys)))


def summary_of(tables: Tables) -> pd.DataFrame:
    """The community summary of ``tables``' partition: ``tables.communities`` when it
    describes that partition, else computed now (nothing in ``tables`` is changed).

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> summary_of(eg) is eg.communities
    True
    """
    if tables.communities_current():
        return tables.communities
    weight = tables.settings.get("weight", "weight")
    if weight not in tables.edges.columns:
        weight = "weight"
    return community_summary(tables.partition(), tables.centrality, tables.edges,
                             tables.entities, tables.mentions, weight=weight)
