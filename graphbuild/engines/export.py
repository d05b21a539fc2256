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
#: pyvis' add_edge scans every edge added before (quadratic): the HTML view stays small
HTML_NODES, HTML_EDGES = 300, 3_000


def evidence_strings_fast(evidence, limit: int | None = None):
    """Same result as :func:`graphbuild.exporters.tables.evidence_strings` (``doc:¶n``
    joined by ``; `` per edge, indexed by sorted ``(source, target)``), built with Arrow
    list kernels instead of a Python join per edge.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"source": ["a", "a", "a"], "target": ["c", "b", "b"],
    ...                    "doc_id": ["d", "d", "e"], "paragraph": [1, 2, 3]})
    >>> evidence_strings_fast(ev).tolist()
    ['d:¶2; e:¶3', 'd:¶1']
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if evidence.empty:
        return pd.Series(dtype="string")
    s_code, s_names = pd.factorize(evidence["source"], sort=True)
    t_code, t_names = pd.factorize(evidence["target"], sort=True)
    order = np.lexsort((t_code, s_code))           # stable: refs keep their row order
    s_code, t_code = s_code[order], t_code[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (s_code[1:] != s_code[:-1]) | (t_code[1:] != t_code[:-1])
    starts = np.flatnonzero(new)
    offsets = np.append(starts, len(order)).astype(np.int64)
    doc = pa.array(evidence["doc_id"].to_numpy(object)[order], pa.string())
    par = pc.cast(pa.array(evidence["paragraph"].to_numpy(np.int64)[order]), pa.string())
    refs = pc.binary_join_element_wise(doc, par, ":¶")
    lists = pa.ListArray.from_arrays(pa.array(offsets), refs)
    if limit is not None:
        lists = pc.list_slice(lists, 0, limit)
    joined = pc.binary_join(lists, "; ").to_numpy(zero_copy_only=False)
    index = pd.MultiIndex.from_arrays([np.asarray(s_names, object)[s_code[starts]],
                                       np.asarray(t_names, object)[t_code[starts]]],
                                      names=["source", "target"])
    return pd.Series(joined, index=index, name="ref")


def export_scaled(eg, out_dir: str | os.PathLike[str], size_by: str = "pagerank",
                  ) -> dict[str, Path]:
    """Write the output files of a big :class:`~graphbuild.pipeline.EntityGraph`."""
    from ..analysis import MEASURES
    from .scaled import view_tables

    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    node_cols = ["label", "type", "mentions", "paragraphs", "documents", *MEASURES]

    def view(max_nodes: int, max_edges: int):
        ents, eds = view_tables(eg.entities, eg.edges, eg.centrality, max_nodes, max_edges)
        nodes = ents.merge(eg.centrality, left_on="entity_id", right_index=True, how="left")
        return to_networkx(nodes, eds, node_cols, ["weight", "documents"])

    paths: dict[str, Path] = {
        "graph.graphml": write_graphml(view(eg.max_view_nodes, 20_000), out / "graph.graphml"),
        "graph.html": write_html(view(min(HTML_NODES, eg.max_view_nodes), HTML_EDGES),
                                 out / "graph.html", size_by=size_by),
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
