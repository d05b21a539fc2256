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
    """Escape text for a Markdown table cell (pipes, newlines, HTML)."""
    s = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
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
    out += _resolution_section(eg)
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
    out += analysis_sections(eg)
    return "\n".join(out)


def _resolution_section(eg: EntityGraph) -> list[str]:
    """How surface forms became entities: largest merges, drops, ambiguous names."""
    from ..resolve import dropped_forms, largest_merges

    audit = eg.resolution
    if "rule" not in audit:
        return []
    kept = audit["entity_id"].notna() & audit["entity_id"].ne("")
    out = ["## Resolution", "",
           f"{int(kept.sum()):,} surface forms (distinct spelling and type, as annotated) "
           f"became {len(eg.entities):,} entities; {int((~kept).sum()):,} forms "
           f"({int(audit.loc[~kept, 'mentions'].sum()):,} mentions) were dropped as not "
           "entities. Every form, its entity and the rule that decided are in "
           "`resolution.csv`.", "", "### Largest merges", ""]
    merges = largest_merges(audit, eg.entities, TOP)
    out.append(_table(merges[["label", "type", "forms", "mentions", "surfaces"]]))
    out += ["### Dropped", ""]
    dropped = dropped_forms(audit)
    out.append(_table(dropped.groupby("rule", sort=True).agg(
        forms=("surface", "size"), mentions=("mentions", "sum"),
        examples=("surface", lambda s: ", ".join(s.head(8)))).reset_index()))
    amb = getattr(eg, "ambiguous", None)
    out += ["### Ambiguous names left apart", ""]
    if amb is None or amb.empty:
        out.append("_none_\n")
    else:
        view = (amb.groupby(["kind", "name", "candidates"], sort=True)
                .agg(documents=("doc_id", "nunique"), mentions=("mentions", "sum"))
                .reset_index().sort_values("mentions", ascending=False, kind="stable"))
        out.append(_table(view.head(TOP)))
    return out


def analysis_sections(eg: EntityGraph) -> list[str]:
    """Markdown sections of issue 6's analysis: settings, rank correlation, brokers,
    communities and time (each only when there is something to show)."""
    out: list[str] = []
    s = eg.settings
    if s:
        out += ["## Analysis settings", ""]
        out.append(_table(pd.DataFrame(
            [("unit", s.get("unit")), ("units (N)", s.get("units")),
             ("edge weight driving centrality", s.get("weight")),
             ("path length", "1/weight"), ("betweenness", s.get("betweenness")),
             ("communities", s.get("communities")), ("seed", s.get("seed"))],
            columns=["setting", "value"]).astype(str)))
    if len(eg.centrality) > 1:
        corr = eg.rank_correlation().round(2).reset_index(names="measure")
        out += ["## Rank correlation between measures (Spearman)", ""]
        out.append(_table(corr))
        b = eg.brokers(TOP)
        if len(b):
            out += ["## Brokers", "", "Betweenness rank minus degree rank: entities on more "
                    "shortest paths than their number of contacts suggests.", ""]
            out.append(_table(b.reset_index()[["label", "degree", "betweenness",
                                               "broker_score"]]))
    comm = eg.communities
    if len(comm):
        comm = comm[comm["size"] > 1]
        out += ["## Communities", "", f"{len(comm)} communities with 2 or more entities "
                f"({s.get('communities', 'louvain')}); singletons not listed.", ""]
        out.append(_table(comm.head(TOP)[["community", "size", "top_entities", "brokers",
                                          "paragraphs"]]))
    tl = eg.timeline
    if tl is not None and len(tl.trends):
        labels = eg.entities.set_index("entity_id")["label"]
        trends = tl.trends.assign(source=tl.trends["source"].map(labels),
                                  target=tl.trends["target"].map(labels))
        cols = ["source", "target", "first", "last", "peak", "slope"]
        out += [f"## Over time (per {tl.period})", "",
                f"Periods: {tl.periods[0]} to {tl.periods[-1]}; "
                f"{len(tl.undated)} undated document(s) left out.", "", "### Rising edges", ""]
        out.append(_table(trends[trends["trend"] == "rising"].head(TOP)[cols]))
        out += ["### Fading edges", ""]
        out.append(_table(trends[trends["trend"] == "fading"].head(TOP)[cols]))
        lead = (tl.centrality.sort_values(["period", "pagerank", "entity_id"],
                                          ascending=[True, False, True])
                .groupby("period").head(3))
        lead = lead.assign(label=lead["entity_id"].map(labels))
        out += ["### Most central entities per period (PageRank)", ""]
        out.append(_table(lead[["period", "label", "pagerank", "degree"]]))
    return out


def write_report(eg: EntityGraph, path: str | os.PathLike[str]) -> Path:
    atomic_write_text(path, render_report(eg))
    return Path(path)
