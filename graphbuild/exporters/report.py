"""The centrality report (Markdown)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import DISTANCE_NOTE, MEASURES
from .safety import atomic_write_text

if TYPE_CHECKING:
    from ..pipeline import EntityGraph

TOP = 20


def _md(text: object) -> str:
    """Escape text for a Markdown table cell (pipes, newlines, HTML, link and code syntax:
    a document-derived ``[x](javascript:...)`` must not become a link).

    >>> _md("[a](javascript:x) `b` <i>|")
    '\\\\[a\\\\](javascript:x) \\\\`b\\\\` &lt;i&gt;\\\\|'
    """
    s = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    for ch in "[]`*_":
        s = s.replace(ch, "\\" + ch)
    return s.replace("<", "&lt;").replace(">", "&gt;")


def _table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "_none_\n"
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False, name=None):
        cells = [f"{v:.4g}" if isinstance(v, float) else _md(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def summary_counts(eg: EntityGraph) -> dict[str, int]:
    """The corpus summary the report and the CLI print."""
    kept = eg.mentions["status"].eq("kept")
    return {"documents": len(eg.documents), "paragraphs": len(eg.paragraphs),
            "mentions": int(kept.sum()), "mentions dropped": int((~kept).sum()),
            "entities": len(eg.entities), "edges": len(eg.edges)}


def render_report(eg: EntityGraph) -> str:
    """Markdown report: summary, top entities by each measure, top edges with evidence."""
    out = ["# graphbuild report", "", "## Corpus", ""]
    out.append(_table(pd.DataFrame(list(summary_counts(eg).items()), columns=["what", "count"])))
    from ..reconcile import describe, reconcile

    out += ["## Reconciliation", ""]
    out += [f"- {_md(line)}" for line in describe(reconcile(eg))] + [""]
    if eg.filters_removed:
        out += ["## Filters", ""]
        out.append(_table(pd.DataFrame(list(eg.filters_removed.items()),
                                       columns=["filter", "removed"])))
    out += ["## Top entities", "", DISTANCE_NOTE, ""]
    nodes = eg.nodes_table()
    for measure in MEASURES:
        if measure not in nodes:
            continue
        top = nodes.sort_values([measure, "label"], ascending=[False, True]).head(TOP)
        out += [f"### {measure}", ""]
        out.append(_table(top[["label", "type", measure]]))
    out += ["## Strongest edges", ""]
    edges = eg.edges_table(evidence_limit=10).head(TOP)
    labels = eg.entities.set_index("entity_id")["label"]
    view = pd.DataFrame({"source": edges["source"].map(labels),
                         "target": edges["target"].map(labels), "weight": edges["weight"],
                         "documents": edges["documents"], "evidence": edges["evidence"]})
    out.append(_table(view))
    return "\n".join(out)


def write_report(eg: EntityGraph, path: str | os.PathLike[str]) -> Path:
    atomic_write_text(path, render_report(eg))
    return Path(path)
