"""The graph as a live notebook widget: an :class:`ipysigma.Sigma` (sigma.js over WebGL) of
the page's entities, coloured by type, sized by a measure, laid out where ``graph.html``
puts them. Needs the ``widgets`` extra (``pip install 'graphbuild[widgets]'``)."""

from __future__ import annotations

from typing import Any

from graphbuild.core.diagnostics import InputError
from graphbuild.core.tables import Tables
from graphbuild.export.folder import page_view
from graphbuild.export.html import page_positions
from graphbuild.export.palette import TYPE_COLORS

__all__ = ["to_ipysigma"]


def to_ipysigma(tables: Tables, size_by: str = "pagerank", max_nodes: int | None = 400,
                height: int = 600, **sigma_options: Any):
    """An ipysigma widget of the ``max_nodes`` entities ranked highest by ``size_by`` and
    the ties among them.

    Parameters
    ----------
    tables : Tables
        A build, a loaded folder or a view of one.
    size_by : str
        The measure that sizes the nodes (and picks which ones are drawn).
    max_nodes : int or None
        Draw at most this many entities (``None`` or 0: all).
    height : int
        Height of the widget in pixels.
    **sigma_options
        Passed to :class:`ipysigma.Sigma` (``node_color="community"``,
        ``start_layout=True``...), overriding the defaults set here.

    Returns
    -------
    ipysigma.Sigma
        Node colour by ``type`` (the palette of ``graph.html``), size by ``size_by``,
        label = the entity's label, positions of the one layout, edge size by weight.

    Examples
    --------
    >>> import graphbuild as gb
    >>> w = to_ipysigma(gb.build("seeds/cable_09STATE83014_annotated.txt"), max_nodes=10)
    >>> type(w).__name__, len(w.layout)
    ('Sigma', 10)
    """
    try:
        from ipysigma import Sigma
    except ImportError:
        raise InputError("to_ipysigma needs ipysigma: pip install 'graphbuild[widgets]'"
                         ) from None
    G, _ = page_view(tables, size_by, max_nodes)
    xy = page_positions(G, size_by, max_nodes, tables.settings.get("seed", 42))
    H = G.subgraph(list(xy)).copy()
    options: dict[str, Any] = dict(
        height=height, node_color="type", node_color_palette=dict(TYPE_COLORS),
        node_size=size_by if size_by in next(iter(H.nodes.values()), {}) else None,
        node_label="label", edge_size="weight", edge_weight="weight",
        layout={str(v): {"x": float(x), "y": float(-y)} for v, (x, y) in xy.items()},
    )
    options.update(sigma_options)
    return Sigma(H, **{k: v for k, v in options.items() if v is not None})
