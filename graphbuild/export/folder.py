"""The output folder of a build, and the two other things the export stage writes: the
explorer page of a set of tables and an ego sub-graph's folder.

Every file format has one writer (GraphML :mod:`~graphbuild.export.graphml`, GEXF
:mod:`~graphbuild.export.gexf`, node-link JSON :mod:`~graphbuild.export.json`, CSV
:mod:`~graphbuild.export.tables`, Parquet :mod:`graphbuild.store`, the page
:mod:`~graphbuild.export.html`, the reports :mod:`~graphbuild.export.report`), and one
layout serves the page and the GEXF: the page's entities are laid out first and keep their
positions in ``graph.gexf``, the other entities of the file are placed around them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from graphbuild.core.files import atomic_output_dir, atomic_write
from graphbuild.core.names import match_entity
from graphbuild.core.tables import Tables, positions
from graphbuild.export.gexf import write_gexf
from graphbuild.export.graphml import write_graphml
from graphbuild.export.html import page_positions, render_html
from graphbuild.export.json import write_node_link
from graphbuild.export.lanes import run_lanes
from graphbuild.export.report import write_reports
from graphbuild.export.tables import edges_table, write_csv
from graphbuild.export.view import GRAPH_FILE_MAX_EDGES, GraphTables, graph_file_view, top_rows
from graphbuild.graph.views import to_networkx
from graphbuild.measures.layout import extend_positions
from graphbuild.measures.summary import summary_of
from graphbuild.query import ego_tables, graph_frames
from graphbuild.resolve.reconcile import reconciliation_table
from graphbuild.store import write_store

__all__ = ["export_folder", "page", "page_view", "write_ego", "OUTPUT_FILES", "CSV_MAX_ROWS"]

#: above this many rows a table gets no CSV file (the most rows a spreadsheet opens)
CSV_MAX_ROWS = 1_048_576
#: mentions + evidence rows from which :func:`export_folder` writes on two cores
PARALLEL_EXPORT_MIN_ROWS = 500_000
#: whole-graph GEXF files get ``viz:position`` up to this many nodes and edges; above, the
#: layout alone took minutes (118 s for 18 k nodes / 520 k edges) and a picture of that
#: many nodes is unreadable anyway: Gephi lays the graph out itself (ForceAtlas 2)
LAYOUT_MAX_NODES = 3000
LAYOUT_MAX_EDGES = 30_000

OUTPUT_FILES = ("graph.graphml", "graph.gexf", "graph.html", "nodes.csv", "edges.csv",
                "mentions.csv", "documents.csv", "resolution.csv", "warnings.csv",
                "reconciliation.csv", "brief.md", "brief.html", "report.md", "report.html",
                "graph.json",
                "nodes.parquet", "edges.parquet", "mentions.parquet", "evidence.parquet",
                "paragraphs.parquet", "documents.parquet", "entities.parquet")


def page_view(tables: Tables, size_by: str, max_nodes: int | None):
    """The networkx graph the page may show (the top ``max_nodes`` entities by ``size_by``
    and the edges among them, never the whole graph) and the size of the whole graph."""
    nodes, node_cols, edge_cols = graph_frames(tables)
    edges = tables.edges
    if not max_nodes or len(nodes) <= max_nodes:
        return to_networkx(nodes, edges, node_cols, edge_cols), None
    kept = nodes.iloc[top_rows(nodes, size_by, max_nodes)]
    ids = kept["entity_id"]
    inside = edges["source"].isin(ids) & edges["target"].isin(ids)
    G = to_networkx(kept, edges[inside], node_cols, edge_cols)
    # edge ends outside the node table count as nodes too (as a graph of the edges would
    # hold them); hashed by Arrow, 22 M ends at Cablegate scale
    src, dst = edges["source"], edges["target"]
    outside = pd.concat([src[positions(src, nodes["entity_id"]) < 0],
                         dst[positions(dst, nodes["entity_id"]) < 0]])
    return G, (len(nodes) + outside.nunique(), len(edges))


def page(tables: Tables, size_by: str = "pagerank", max_nodes: int | None = 400,
         title: str = "graphbuild", **options) -> str:
    """The self-contained explorer page of ``tables``.

    Parameters
    ----------
    tables : Tables
        What a build produced (or a sub-graph of it).
    size_by : str
        The measure that sizes the nodes and picks which ones the page shows.
    max_nodes : int or None
        Show at most this many entities (``None``: all); the page says what it left out.
    title : str
        The page's title.
    **options
        Passed to :func:`graphbuild.export.html.render_html` (``positions``,
        ``renderer``, ``evidence_limit``...).

    Returns
    -------
    str
        The HTML page, its evidence panel fed by the paragraphs of ``tables``.

    Examples
    --------
    >>> import graphbuild as gb
    >>> page(gb.build("seeds/cable_09STATE83014_annotated.txt"))[:15]
    '<!DOCTYPE html>'
    """
    G, total = page_view(tables, size_by, max_nodes)
    return render_html(G, size_by=size_by, title=title, max_nodes=max_nodes,
                       evidence=tables.evidence, paragraphs=tables.paragraphs,
                       mentions=tables.mentions, documents=tables.documents,
                       entities=tables.entities, all_edges=tables.edges, total=total,
                       seed=tables.settings.get("seed", 42), **options)


@dataclass
class GraphFilesPlan:
    """What the graph files and the page of a set of tables hold: the file tables, the
    layout (page positions, extended to the file's entities when it is small enough) and
    the notes saying what was cut."""

    tables: GraphTables
    gexf_positions: dict | None
    note: str
    cut_note: str
    page_graph: object
    page_total: tuple[int, int] | None
    page_positions: dict


def graph_files_plan(tables: Tables, size_by: str = "pagerank", max_nodes: int | None = 400,
                     no_csv: Iterable[str] = ()) -> GraphFilesPlan:
    """The one plan every writer of ``graph.graphml``, ``graph.gexf``, ``graph.json`` and
    ``graph.html`` follows (the build's folder and ``graphbuild export``): the file holds
    the whole graph up to :data:`~graphbuild.export.view.GRAPH_FILE_MAX_EDGES` edges (else
    the top entities by ``size_by``), the page its ``max_nodes`` top entities, and the GEXF
    the page's positions extended to the file's other entities (small files only).

    >>> import graphbuild as gb
    >>> plan = graph_files_plan(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> len(plan.tables.ids) == len(plan.page_positions), plan.cut_note
    (True, '')
    """
    settings = tables.settings
    nodes, node_cols, edge_cols = graph_frames(tables)
    shown_nodes, shown_edges = graph_file_view(nodes, tables.edges, size_by)
    note = cut = ""
    if len(shown_edges) < len(tables.edges):
        whole = "edges.parquet" + ("" if "edges.csv" in set(no_csv) else " / edges.csv")
        cut = (f"this file holds the {len(shown_nodes):,} entities ranked highest by "
               f"{size_by} of {len(nodes):,} and the {len(shown_edges):,} edges among "
               f"them (at most {GRAPH_FILE_MAX_EDGES:,}); the whole graph is in {whole}")
        note = "; " + cut
    gt = GraphTables.of(shown_nodes, shown_edges, node_cols, edge_cols)
    seed = settings.get("seed", 42)
    page_graph, total = page_view(tables, size_by, max_nodes)
    page_xy = page_positions(page_graph, size_by, max_nodes, seed)
    weight = settings.get("weight", "weight")
    if len(gt.ids) <= LAYOUT_MAX_NODES and len(gt.source) <= LAYOUT_MAX_EDGES:
        file_graph = to_networkx(shown_nodes, shown_edges, [], [weight])
        gexf_xy = extend_positions(file_graph, page_xy, seed=seed, weight=weight)
    else:
        gexf_xy = None
        note = (f"; no layout (viz:position) above {LAYOUT_MAX_NODES:,} nodes or "
                f"{LAYOUT_MAX_EDGES:,} edges: lay it out in Gephi (e.g. ForceAtlas 2)" + note)
    return GraphFilesPlan(gt, gexf_xy, note, cut, page_graph, total, page_xy)


def export_folder(tables: Tables, out_dir: str | os.PathLike[str], size_by: str = "pagerank",
                  color_by: str = "type", max_nodes: int | None = 400, atomic: bool = True,
                  csv_max_rows: int | None = CSV_MAX_ROWS, parallel: bool | None = None,
                  ) -> tuple[dict[str, Path], dict]:
    """Write every output file of a build into ``out_dir``.

    Parameters
    ----------
    tables : Tables
        What the build produced; nothing in it is changed.
    out_dir : str or os.PathLike
        The output folder.
    size_by : str
        The measure that sizes nodes (page, GEXF) and ranks the entities a page or a huge
        graph file keeps.
    color_by : str
        ``type`` or ``community``: the node colours of ``graph.gexf``.
    max_nodes : int or None
        ``graph.html`` shows at most this many entities (``None``: all).
    atomic : bool
        Write into a temporary sibling folder that replaces ``out_dir`` only once complete:
        an interrupted export leaves the previous folder as it was.
    csv_max_rows : int or None
        A table of more rows gets no CSV file, only its Parquet file (default 1,048,576,
        the most a spreadsheet opens; ``None``: no limit).
    parallel : bool, optional
        Write the page and the reports in a forked child while this process writes the
        tables (default: from :data:`PARALLEL_EXPORT_MIN_ROWS` mentions and evidence rows).

    Returns
    -------
    (dict, dict)
        File name -> path, and the settings recorded in ``build.json`` (those of
        ``tables`` plus what the export decided: ``csv_skipped``, ``graph_files``).
    """
    if atomic:
        with atomic_output_dir(out_dir) as tmp:
            written, settings = export_folder(tables, tmp, size_by, color_by, max_nodes,
                                              False, csv_max_rows, parallel)
        return ({name: Path(out_dir) / p.relative_to(tmp) for name, p in written.items()},
                settings)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = {k: v for k, v in tables.settings.items()
                if k not in ("csv_skipped", "graph_files")}
    big = {name: rows for name, rows in (("edges.csv", len(tables.edges)),
                                         ("mentions.csv", len(tables.mentions)))
           if csv_max_rows is not None and rows > csv_max_rows}
    if big:
        settings["csv_skipped"] = (
            "; ".join(f"{name}: {rows:,} rows" for name, rows in big.items())
            + f" (more than {csv_max_rows:,}, the most a spreadsheet opens): every row "
            "is in " + " and ".join(n.replace(".csv", ".parquet") for n in big)
            + " (graphbuild build --csv-max-rows 0 writes the CSV too)")
    # Tables are the truth: the whole graph is written straight from them; networkx is
    # only built for the small views (the page's entities, the GEXF layout of a small one)
    plan = graph_files_plan(tables, size_by, max_nodes, big)
    if plan.cut_note:
        settings["graph_files"] = plan.cut_note
    # the summary of the partition being written (a partition set by hand is summarised)
    view = replace(tables, settings=settings, communities=summary_of(tables),
                   communities_of=tables.partition())
    gt, gexf_xy, note = plan.tables, plan.gexf_positions, plan.note
    seed = settings.get("seed", 42)
    page_graph, total, page_xy = plan.page_graph, plan.page_total, plan.page_positions
    timeline = tables.timeline

    def graph_files() -> dict[str, Path]:
        return {
            "graph.graphml": write_graphml(gt, out / "graph.graphml"),
            "graph.gexf": write_gexf(
                gt, out / "graph.gexf", color_by=color_by, size_by=size_by, positions=gexf_xy,
                node_spells=timeline.node_spells if timeline else None,
                edge_spells=timeline.edge_spells if timeline else None,
                description=graph_description(settings) + note),
            "graph.json": write_node_link(gt, out / "graph.json")}

    def page_file() -> dict[str, Path]:
        text = render_html(page_graph, size_by=size_by, max_nodes=max_nodes,
                           evidence=tables.evidence, paragraphs=tables.paragraphs,
                           mentions=tables.mentions, documents=tables.documents,
                           entities=tables.entities, all_edges=tables.edges,
                           total=total, seed=seed, positions=page_xy)
        return {"graph.html": atomic_write(out / "graph.html", text)}

    def csv_files() -> dict[str, Path]:
        frames = {"nodes.csv": tables.nodes_table,
                  "edges.csv": lambda: edges_table(tables.edges, tables.evidence),
                  "mentions.csv": lambda: tables.mentions,
                  "documents.csv": lambda: tables.documents,
                  "resolution.csv": lambda: tables.resolution,
                  "warnings.csv": lambda: tables.problems,
                  "reconciliation.csv": lambda: reconciliation_table(
                      tables.documents, tables.mentions, tables.diagnostics)}
        # one table at a time: the edges table with its evidence column is built, written
        # and released before the next one
        return {name: write_csv(frame(), out / name) for name, frame in frames.items()
                if name not in big}

    def reports() -> dict[str, Path]:
        return write_reports(view, out)

    def store() -> dict[str, Path]:
        return write_store(view, out)

    if parallel is None:
        parallel = len(tables.mentions) + len(tables.evidence) >= PARALLEL_EXPORT_MIN_ROWS
    # the lanes balance at 10k and at 251k cables (measured, one job at a time: 251k
    # page 23 s + reports 16 s | store 33 s + graph files 5 s + CSVs 4 s; 10k 4 + 3 |
    # 2 + 3 + 6): the page and the reports in the child, the rest here
    written = run_lanes({"graph files": graph_files, "page": page_file, "csv": csv_files,
                         "reports": reports, "store": store},
                        there=("page", "reports"), parallel=parallel)
    return written, settings


def graph_description(settings: dict) -> str:
    return (f"graphbuild entity co-occurrence graph; unit: {settings.get('unit', 'paragraph')}"
            f"; weight: {settings.get('weight', 'weight')}; distance = 1/weight")


def write_ego(tables: Tables, entity: str, out_dir: str | os.PathLike[str],
              radius: int = 1, types=None, max_evidence: int | None = None,
              ) -> dict[str, Path]:
    """Write the ego sub-graph of ``entity``: ``graph.graphml``, ``graph.html`` (with its
    evidence panel), ``nodes.csv``, ``edges.csv`` (with evidence) and ``evidence.csv``
    (paragraph text, at most ``max_evidence`` paragraphs per tie, ``None`` for all).
    ``types`` keeps only the centre and entities of those types. Measures keep their
    whole-graph values.

    Raises :class:`~graphbuild.core.names.EntityNotFound` for an unknown name.

    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> sorted(write_ego(eg, "Lavrov", tempfile.mkdtemp()))
    ['edges.csv', 'evidence.csv', 'graph.graphml', 'graph.html', 'nodes.csv']
    """
    sub = ego_tables(tables, entity, radius, types)
    center = match_entity(tables.entities, entity, tables.resolution)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nodes, node_cols, edge_cols = graph_frames(sub)
    gt = GraphTables.of(nodes, sub.edges, node_cols, edge_cols)
    ev = sub.evidence
    if max_evidence is not None:
        # the first paragraphs of each tie, in the evidence table's order
        ev = ev.groupby(["source", "target"], observed=True, sort=False).head(max_evidence)
    ev = ev.merge(tables.paragraphs[["doc_id", "paragraph", "text"]],
                  on=["doc_id", "paragraph"], how="left")
    label = tables.entities.set_index("entity_id")["label"].get(center, center)
    return {
        "graph.graphml": write_graphml(gt, out / "graph.graphml"),
        "graph.html": atomic_write(out / "graph.html",
                                   page(sub, max_nodes=None, title=f"{label}: ego graph")),
        "nodes.csv": write_csv(sub.nodes_table(), out / "nodes.csv"),
        "edges.csv": write_csv(edges_table(sub.edges, sub.evidence), out / "edges.csv"),
        "evidence.csv": write_csv(ev, out / "evidence.csv"),
    }
