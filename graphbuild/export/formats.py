"""``graphbuild export``: one function that writes a built graph (or a view of it) in any
of the formats other tools read, each through its one writer.

========  =======================================  ========================================
format    files                                    for
========  =======================================  ========================================
graphml   ``graph.graphml``                        Gephi, igraph, graphology, yEd
gexf      ``graph.gexf`` (positions, colours)      Gephi, Gephi Lite
graphrag  ``entities/relationships/text_units/     GraphRAG's community reports ("bring
          documents.parquet``                      your own graph")
ftm       ``entities.ftm.json``                    OpenAleph, nomenklatura, ``ftm``
pyvis     ``pyvis.html``                           a pyvis page to customise (offline)
========  =======================================  ========================================
"""

from __future__ import annotations

import os
from pathlib import Path

from graphbuild.core.diagnostics import InputError
from graphbuild.core.tables import Tables
from graphbuild.export.folder import graph_description, graph_files_plan
from graphbuild.export.ftm import write_ftm
from graphbuild.export.gexf import write_gexf
from graphbuild.export.graphml import write_graphml
from graphbuild.export.graphrag import GRAPHRAG_FILES, write_graphrag
from graphbuild.export.pyvis_net import to_pyvis, write_pyvis_html
from graphbuild.export.selection import select_view

__all__ = ["FORMATS", "export_as"]

#: format -> what it writes
FORMATS = {"graphml": ("graph.graphml",), "gexf": ("graph.gexf",),
           "graphrag": GRAPHRAG_FILES, "ftm": ("entities.ftm.json",),
           "pyvis": ("pyvis.html",)}


def export_as(tables: Tables, fmt: str, out_dir: str | os.PathLike[str], *,
              ego: str | None = None, radius: int = 1, types=None, min_weight: int = 1,
              top: int | None = None, top_by: str = "pagerank", size_by: str = "pagerank",
              max_nodes: int | None = 400, color_by: str = "type",
              counts: dict[str, int] | None = None) -> dict[str, Path]:
    """Write ``tables`` (or the view the filters pick) in format ``fmt`` into ``out_dir``.

    Parameters
    ----------
    tables : Tables
        A build or a loaded output folder (nothing is parsed again).
    fmt : str
        One of :data:`FORMATS`: ``graphml``, ``gexf``, ``graphrag``, ``ftm``, ``pyvis``.
    out_dir : str or os.PathLike
        The folder (created).
    ego, radius, types, min_weight, top, top_by
        The view: :func:`graphbuild.export.selection.select_view`.
    size_by : str
        The measure that sizes nodes (GEXF, pyvis) and ranks the entities a capped file
        keeps.
    max_nodes : int or None
        pyvis: draw at most this many entities (``None``: all).
    color_by : str
        GEXF: colour by ``type`` or ``community``.
    counts : dict, optional
        Filled with what was written (FtM: entities per schema, ``MISC`` left out).

    Returns
    -------
    dict of str to pathlib.Path
        File name -> path.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> list(export_as(eg, "graphml", tempfile.mkdtemp(), ego="Lavrov"))
    ['graph.graphml']
    """
    if fmt not in FORMATS:
        raise InputError(f"--format: unknown format {fmt!r}; choose from "
                         + ", ".join(FORMATS))
    view = select_view(tables, ego=ego, radius=radius, types=types, min_weight=min_weight,
                       top=top, top_by=top_by)
    filtered = ego is not None or types is not None or min_weight > 1 or top is not None
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {} if counts is None else counts
    counts.update(entities=len(view.entities), ties=len(view.edges))
    if fmt in ("graphml", "gexf"):
        plan = graph_files_plan(view, size_by, max_nodes)
        if fmt == "graphml":
            return {"graph.graphml": write_graphml(plan.tables, out / "graph.graphml")}
        return {"graph.gexf": write_gexf(plan.tables, out / "graph.gexf", color_by=color_by,
                                         size_by=size_by, positions=plan.gexf_positions,
                                         description=graph_description(view.settings)
                                         + plan.note)}
    if fmt == "graphrag":
        return write_graphrag(view, out, whole_corpus=not filtered)
    if fmt == "ftm":
        path, ftm_counts = write_ftm(view, out / "entities.ftm.json")
        counts.update(ftm_counts)
        return {"entities.ftm.json": path}
    net = to_pyvis(view, size_by=size_by, max_nodes=max_nodes)
    return {"pyvis.html": write_pyvis_html(net, out / "pyvis.html")}
