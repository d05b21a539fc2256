"""Which part of a built graph an export writes: the whole graph, or the view the filters
of ``graphbuild export`` pick (an ego neighbourhood, entity types, a minimum weight, the
most central entities). Every format of :mod:`graphbuild.export.formats` writes the tables
this returns, so a GraphRAG, FtM or pyvis file of a view holds the same entities and ties.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from graphbuild.core.diagnostics import InputError
from graphbuild.core.ranking import rank_order
from graphbuild.core.tables import Tables, pair_positions
from graphbuild.query import ego_tables, graph_frames, subset, type_list

__all__ = ["select_view"]


def select_view(tables: Tables, ego: str | None = None, radius: int = 1,
                types: str | Iterable[str] | None = None, min_weight: int = 1,
                top: int | None = None, top_by: str = "pagerank") -> Tables:
    """The tables of the view the export filters describe (measures keep the values of the
    whole graph, as in an ego page).

    Applied in this order: ``ego``/``radius`` (with ``types``, hops pass through those
    types only), ``types``, ``min_weight`` (edges, and their evidence), ``top`` (the
    entities ranked highest by ``top_by``, and the edges among them).

    Parameters
    ----------
    tables : Tables
        A build (or a loaded output folder).
    ego : str, optional
        Keep the entities within ``radius`` hops of this one (id, label or alias).
    radius : int
        Hops around ``ego``.
    types : str or iterable of str, optional
        Keep entities of these types (``"PER,ORG"`` or a list).
    min_weight : int
        Keep edges seen in at least this many units.
    top : int, optional
        Keep the ``top`` entities ranked highest by ``top_by``.
    top_by : str
        A column of the nodes table: ``pagerank``, ``degree``, ``mentions``...

    Returns
    -------
    Tables
        The restricted tables; ``filters_removed`` says what each filter removed.

    Examples
    --------
    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> view = select_view(eg, types="PER", min_weight=1)
    >>> sorted(view.entities["type"].unique())
    ['PER']
    >>> len(select_view(eg, top=3).entities)
    3
    """
    view = tables
    removed = dict(tables.filters_removed)
    if ego is not None:
        view = ego_tables(view, ego, radius, types)
        removed.update(view.filters_removed)
    wanted = type_list(types)
    if wanted is not None and ego is None:   # an ego view already kept only these types
        before = len(view.entities)
        view = subset(view, view.entities.loc[
            view.entities["type"].astype(str).isin(wanted), "entity_id"])
        removed[f"entities not of type {','.join(wanted)}"] = before - len(view.entities)
    if min_weight > 1:
        keep = view.edges["weight"] >= min_weight
        rows = pair_positions(view.evidence["source"], view.evidence["target"],
                              view.edges["source"], view.edges["target"])
        edge_kept = keep.to_numpy()
        ev_keep = (rows >= 0) & edge_kept[rows.clip(min=0)]
        removed[f"edges below weight {min_weight}"] = int((~keep).sum())
        view = replace(view, edges=view.edges[keep].reset_index(drop=True),
                       evidence=view.evidence[ev_keep].reset_index(drop=True))
    if top is not None:
        nodes, _, _ = graph_frames(view)
        if top_by not in nodes.columns:
            raise InputError(f"--top-by: no measure {top_by!r}; choose from "
                             + ", ".join(c for c in nodes.columns if nodes[c].dtype.kind
                                         in "if"))
        order = rank_order(nodes, top_by, top)
        before = len(view.entities)
        view = subset(view, nodes["entity_id"].iloc[order])
        removed[f"entities below the top {top} by {top_by}"] = before - len(view.entities)
    return replace(view, filters_removed=removed)
