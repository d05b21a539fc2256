"""Graph stage, filters: restrict the entities and edges tables before anything is
measured, and say how many rows each filter removed (the report lists them).

The tables are the truth; structural filters (k-core, ego) look at the graph the tables
describe, never at a view a user holds.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from graphbuild.core.names import EntityNotFound, match_entity
from graphbuild.core.ranking import rank_order
from graphbuild.graph.views import ego_tables

__all__ = ["filter_tables", "keep_top", "disparity_alpha", "driving_weight", "BACKBONES"]

#: backbone methods ``--backbone`` accepts
BACKBONES = ("disparity",)


def driving_weight(edges: pd.DataFrame, weight: str = "weight") -> pd.Series:
    """The positive edge strength used by centrality, layout and the backbone.

    ``weight``, ``jaccard`` and ``dice`` are used as they are; ``npmi`` (in [-1, 1]) is
    shifted to ``(npmi + 1) / 2`` so that a pair seen less often than chance is a weak tie,
    never a negative one (an edge has ``w >= 1``, so npmi > -1 and the value is > 0).

    >>> import pandas as pd
    >>> driving_weight(pd.DataFrame({"npmi": [-0.5, 1.0]}), "npmi").tolist()
    [0.25, 1.0]
    """
    if weight not in edges.columns:
        raise ValueError(f"unknown edge weight {weight!r}; edges have "
                         + ", ".join(c for c in edges.columns if c not in ("source", "target")))
    values = edges[weight].astype("float64")
    if weight == "npmi":
        values = (values + 1.0) / 2.0
    return values


def disparity_alpha(edges: pd.DataFrame, weight: str = "weight") -> pd.Series:
    """The disparity-filter significance ``alpha`` of every edge (Serrano et al. 2009).

    For node ``i`` with degree ``k_i`` and strength ``s_i``, an edge of weight ``w_ij`` has
    ``p_ij = w_ij / s_i`` and ``alpha_ij = (1 - p_ij) ** (k_i - 1)``: the probability that
    a node spreading ``s_i`` uniformly at random over ``k_i`` edges gives one of them a share
    at least ``p_ij``. An edge is kept by the backbone at level ``A`` when it is significant
    for at least one end, so its ``alpha`` is ``min(alpha_ij, alpha_ji)``; a node of degree 1
    gives ``alpha = 1`` (no evidence either way), so its edge survives only if it matters to
    the other end.

    Reference: M. Á. Serrano, M. Boguñá, A. Vespignani, "Extracting the multiscale backbone
    of complex weighted networks", PNAS 106(16):6483-6488, 2009, eq. 2.

    Parameters
    ----------
    edges : pandas.DataFrame
        The edges table (``source``, ``target`` and the ``weight`` column).
    weight : str
        The edge column that is the tie strength (``npmi`` shifted to (npmi+1)/2).

    Returns
    -------
    pandas.Series
        ``alpha`` of every edge, on the edges' index.

    Examples
    --------
    >>> import pandas as pd
    >>> eds = pd.DataFrame({"source": ["a", "a", "a"], "target": ["b", "c", "d"],
    ...                     "weight": [8, 1, 1]})
    >>> disparity_alpha(eds).round(4).tolist()   # a: k=3, s=10 -> (1-0.8)**2, (1-0.1)**2
    [0.04, 0.81, 0.81]
    """
    if edges.empty:
        return pd.Series(dtype="float64", index=edges.index)
    w = driving_weight(edges, weight)
    ends = pd.concat([pd.DataFrame({"node": edges["source"], "w": w}),
                      pd.DataFrame({"node": edges["target"], "w": w})])
    strength = ends.groupby("node")["w"].sum()
    degree = ends.groupby("node").size()

    def side(col: str) -> np.ndarray:
        s = strength.reindex(edges[col]).to_numpy()
        k = degree.reindex(edges[col]).to_numpy()
        p = np.divide(w.to_numpy(), s, out=np.ones(len(s)), where=s > 0)
        return np.power(np.clip(1.0 - p, 0.0, 1.0), k - 1)

    return pd.Series(np.minimum(side("source"), side("target")), index=edges.index,
                     name="alpha")


def filter_tables(entities: pd.DataFrame, edges: pd.DataFrame, min_weight: int = 1,
                  types: Iterable[str] | None = None, min_mentions: int = 1, *,
                  k_core: int | None = None, ego: str | None = None, radius: int = 1,
                  backbone: str | None = None, alpha: float = 0.05, weight: str = "weight",
                  keep_isolated: bool = True,
                  ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Restrict ``entities``/``edges`` and say how many rows each filter removed.

    Applied in this order (each sees the result of the previous ones): ``types``,
    ``min_mentions`` (entities), ``min_weight`` (edges), ``backbone`` (edges), ``k_core``,
    ``ego``/``radius`` (entities), then, with ``keep_isolated=False``, the entities left
    without an edge (a builds' default: a node with no link says nothing in a graph, and
    lone mentions are where extraction debris lives; the mentions table keeps them).
    Otherwise entities left without edges stay: a filter never silently drops an entity it
    was not asked to drop. ``--top`` (the most central entities) comes after these, from a
    measure: :func:`keep_top`.

    Parameters
    ----------
    entities, edges : pandas.DataFrame
        The tables.
    min_weight : int
        Keep edges seen in at least this many units.
    types : iterable of str, optional
        Keep entities of these types (any case).
    min_mentions : int
        Keep entities mentioned at least this often.
    k_core : int, optional
        Keep the K-core (entities with at least K neighbours inside it).
    ego : str, optional
        Keep the neighbourhood of this entity (id, label or alias,
        :func:`graphbuild.core.names.match_entity`).
    radius : int
        Hops around ``ego``.
    backbone : str, optional
        ``disparity``: keep the edges with ``alpha < alpha`` (:func:`disparity_alpha`); the
        kept edges carry their ``alpha`` column.
    alpha : float
        The significance level of the backbone.
    weight : str
        The edge column that drives the backbone.
    keep_isolated : bool
        Keep the entities without an edge (after the other filters).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame, dict)
        The kept entities, the kept edges, and what each filter removed (label -> rows).

    Raises
    ------
    EntityNotFound
        For an unknown ``ego`` entity (a ``LookupError``).
    ValueError
        For an unknown backbone or weight column.

    Examples
    --------
    >>> import pandas as pd
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "type": ["PER", "LOC", "LOC"],
    ...                      "mentions": [3, 1, 2]})
    >>> eds = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [1, 4]})
    >>> e, d, removed = filter_tables(ents, eds, min_weight=2)
    >>> d.values.tolist(), removed
    ([['a', 'c', 4]], {'edges below min_weight': 1})
    >>> e, d, removed = filter_tables(ents, eds, min_weight=2, keep_isolated=False)
    >>> e["entity_id"].tolist(), removed["entities without an edge"]
    (['a', 'c'], 1)
    """
    removed: dict[str, int] = {}
    keep = pd.Series(True, index=entities.index)
    if types:
        wanted = {t.upper() for t in types}
        mask = entities["type"].isin(wanted)
        removed["entities of other types"] = int((keep & ~mask).sum())
        keep &= mask
    if min_mentions > 1:
        mask = entities["mentions"] >= min_mentions
        removed["entities below min_mentions"] = int((keep & ~mask).sum())
        keep &= mask
    ents = entities[keep]
    # edges name entities of the table: with every entity kept there is nothing to drop
    # (and no set lookup over millions of edges)
    eds = edges if bool(keep.all()) else _drop_dangling(ents, edges, removed)
    if min_weight > 1:
        mask = eds["weight"] >= min_weight
        removed["edges below min_weight"] = int((~mask).sum())
        eds = eds[mask]
    if backbone:
        if backbone not in BACKBONES:
            raise ValueError(f"unknown backbone {backbone!r}; choose from {', '.join(BACKBONES)}")
        if not 0 < alpha <= 1:
            raise ValueError(f"alpha must be in (0, 1], got {alpha}")
        eds = eds.assign(alpha=disparity_alpha(eds, weight))
        mask = eds["alpha"] < alpha
        removed[f"edges not significant at alpha {alpha:g} (disparity backbone)"] = int(
            (~mask).sum())
        eds = eds[mask]
    if k_core is not None and k_core > 0:
        G = _structure(ents, eds)
        core = nx.core_number(G) if G.number_of_nodes() else {}
        inside = {n for n, c in core.items() if c >= k_core}
        ents = _keep_entities(ents, inside, f"entities outside the {k_core}-core", removed)
        eds = _drop_dangling(ents, eds, removed)
    if ego:
        center = match_entity(entities, ego)
        if center not in set(ents["entity_id"]):
            raise EntityNotFound(f"entity {ego!r} ({center}) was removed by an earlier "
                                 "filter")
        near, _ = ego_tables(ents, eds, center, radius)
        ents = _keep_entities(ents, set(near["entity_id"]),
                              f"entities beyond {radius} hop(s) of {ego}", removed)
        eds = _drop_dangling(ents, eds, removed)
    if not keep_isolated:
        linked = pd.unique(pd.concat([eds["source"], eds["target"]], ignore_index=True)
                           .astype(str))
        mask = ents["entity_id"].astype(str).isin(linked)
        removed["entities without an edge"] = int((~mask).sum())
        ents = ents[mask]
    return ents, eds, removed


def keep_top(entities: pd.DataFrame, edges: pd.DataFrame, scores: pd.Series, n: int,
             by: str = "pagerank", removed: dict[str, int] | None = None,
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` entities ranked highest by ``scores`` (a measure indexed by entity id,
    ranked by :func:`graphbuild.core.ranking.rank_order`) and the edges among them;
    ``removed`` counts what went.

    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"], "label": ["A", "B", "C"]})
    >>> eds = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "weight": [1, 1]})
    >>> e, d = keep_top(ents, eds, pd.Series({"a": 0.1, "b": 0.5, "c": 0.3}), 2)
    >>> e["entity_id"].tolist(), d.values.tolist()
    (['b', 'c'], [['b', 'c', 1]])
    """
    removed = {} if removed is None else removed
    ranked = entities.assign(_score=entities["entity_id"].map(scores).to_numpy())
    chosen = set(entities["entity_id"].iloc[rank_order(ranked, "_score", n)])
    ents = _keep_entities(entities, chosen, f"entities outside the top {n} by {by}", removed)
    return ents, _drop_dangling(ents, edges, removed)


def _keep_entities(ents: pd.DataFrame, ids: set, label: str, removed: dict[str, int],
                   ) -> pd.DataFrame:
    mask = ents["entity_id"].isin(ids)
    removed[label] = removed.get(label, 0) + int((~mask).sum())
    return ents[mask]


def _drop_dangling(ents: pd.DataFrame, eds: pd.DataFrame, removed: dict[str, int],
                   ) -> pd.DataFrame:
    """Edges whose two ends are kept entities; the rest counted as removed."""
    ids = set(ents["entity_id"])
    kept = eds[eds["source"].isin(ids) & eds["target"].isin(ids)]
    if len(kept) < len(eds):
        removed["edges of removed entities"] = (removed.get("edges of removed entities", 0)
                                                + len(eds) - len(kept))
    return kept


def _structure(ents: pd.DataFrame, eds: pd.DataFrame, weight: str = "weight") -> nx.Graph:
    """A bare graph (ids and the driving weight) for the structural filters."""
    G = nx.Graph()
    G.add_nodes_from(ents["entity_id"].tolist())
    w = driving_weight(eds, weight) if len(eds) else pd.Series(dtype="float64")
    G.add_weighted_edges_from(zip(eds["source"].tolist(), eds["target"].tolist(), w.tolist(),
                                  strict=True))
    return G


