"""Exports of big graphs: tables stream to Parquet/CSV; GraphML and HTML show a view.

A networkx graph costs about 330 bytes per weighted edge, and pyvis pages become unusable
long before that, so for big graphs (``EntityGraph.max_view_nodes``) ``graph.graphml`` and
``graph.html`` hold the top entities by PageRank and their strongest edges, while the whole
graph is in ``nodes.csv``/``edges.csv`` and the Parquet tables under ``tables/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..exporters.graphml import write_graphml
from ..exporters.html import write_html
from ..exporters.report import write_report
from ..exporters.tables import write_csv, write_parquet
from ..graph import to_networkx

#: mentions.csv is replaced by tables/mentions.parquet above this many rows
CSV_MENTION_LIMIT = 1_000_000
#: references per edge in edges.csv (all of them are in tables/evidence.parquet)
EVIDENCE_LIMIT = 10


def export_scaled(eg, out_dir: str | os.PathLike[str], size_by: str = "pagerank",
                  ) -> dict[str, Path]:
    """Write the output files of a big :class:`~graphbuild.pipeline.EntityGraph`."""
    from ..analysis import MEASURES
    from .scaled import view_tables

    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    ents, eds = view_tables(eg.entities, eg.edges, eg.centrality, eg.max_view_nodes)
    nodes = ents.merge(eg.centrality, left_on="entity_id", right_index=True, how="left")
    node_cols = ["label", "type", "mentions", "paragraphs", "documents", *MEASURES]
    G = to_networkx(nodes, eds, node_cols, ["weight", "documents"])
    paths: dict[str, Path] = {
        "graph.graphml": write_graphml(G, out / "graph.graphml"),
        "graph.html": write_html(G, out / "graph.html", size_by=size_by),
        "nodes.csv": write_csv(eg.nodes_table(), out / "nodes.csv"),
        "edges.csv": write_csv(eg.edges_table(evidence_limit=EVIDENCE_LIMIT),
                               out / "edges.csv"),
        "documents.csv": write_csv(eg.documents, out / "documents.csv"),
        "resolution.csv": write_csv(eg.resolution, out / "resolution.csv"),
        "warnings.csv": write_csv(eg.problems, out / "warnings.csv"),
        "report.md": write_report(eg, out / "report.md"),
    }
    if len(eg.mentions) <= CSV_MENTION_LIMIT:
        paths["mentions.csv"] = write_csv(eg.mentions, out / "mentions.csv")
    for name in ("documents", "paragraphs", "mentions", "entities", "edges", "evidence"):
        paths[f"tables/{name}.parquet"] = write_parquet(getattr(eg, name),
                                                        out / "tables" / f"{name}.parquet")
    return paths
