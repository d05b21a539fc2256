"""What an :class:`~graphbuild.entity_graph.EntityGraph` offers other tools: exports for
Gephi, GraphRAG, OpenAleph and pyvis, and the pyvis and ipysigma objects of the graph
(methods over the tables, each a thin call to its export module)."""

from __future__ import annotations

import os
from pathlib import Path

from graphbuild.export.formats import export_as
from graphbuild.export.pyvis_net import to_pyvis
from graphbuild.export.widgets import to_ipysigma

__all__ = ["Interop"]


class Interop:
    """Mixed into :class:`~graphbuild.entity_graph.EntityGraph` (which holds the tables)."""

    def export_as(self, fmt: str, out_dir: str | os.PathLike[str], **view) -> dict[str, Path]:
        """Write the graph (or a view) for another tool: ``graphml``, ``gexf``,
        ``graphrag``, ``ftm`` or ``pyvis`` (what ``graphbuild export`` writes).

        Parameters
        ----------
        fmt : str
            The format (:data:`graphbuild.export.formats.FORMATS`).
        out_dir : str or os.PathLike
            The folder (created).
        **view
            ``ego``, ``radius``, ``types``, ``min_weight``, ``top``, ``top_by``,
            ``size_by``, ``max_nodes``, ``color_by``: :func:`graphbuild.export.formats.
            export_as`.

        Returns
        -------
        dict of str to pathlib.Path
            File name -> path.

        Examples
        --------
        >>> import tempfile, graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> sorted(eg.export_as("graphrag", tempfile.mkdtemp()))[0]
        'documents.parquet'
        """
        return export_as(self, fmt, out_dir, **view)

    def to_pyvis(self, size_by: str = "pagerank", max_nodes: int | None = 400,
                 physics: bool = False, **options):
        """The graph as a :class:`pyvis.network.Network` to customise; write it with
        :func:`graphbuild.write_pyvis_html` (offline, escaped).

        Parameters
        ----------
        size_by, max_nodes
            The measure sizing the nodes, and how many of the top ones to keep.
        physics : bool
            Let vis-network's physics move the nodes (off: the layout's positions).
        **options
            As :func:`graphbuild.export.pyvis_net.to_pyvis`.

        Returns
        -------
        pyvis.network.Network

        Examples
        --------
        >>> import graphbuild as gb
        >>> len(gb.build("seeds/cable_09STATE83014_annotated.txt").to_pyvis(max_nodes=4).nodes)
        4
        """
        return to_pyvis(self, size_by, max_nodes, physics, **options)

    def to_ipysigma(self, size_by: str = "pagerank", max_nodes: int | None = 400, **options):
        """A live :class:`ipysigma.Sigma` widget of the top entities (``widgets`` extra).

        Parameters
        ----------
        size_by, max_nodes, **options
            As :func:`graphbuild.export.widgets.to_ipysigma`.

        Returns
        -------
        ipysigma.Sigma

        Examples
        --------
        >>> import graphbuild as gb
        >>> len(gb.build("seeds/cable_09STATE83014_annotated.txt").to_ipysigma(max_nodes=6).layout)
        6
        """
        return to_ipysigma(self, size_by, max_nodes, **options)
