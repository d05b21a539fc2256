"""The report: ``report.md`` and ``report.html`` from the same list of blocks.

Sections: corpus, resolution (largest merges, dropped forms, ambiguous names),
reconciliation (nothing lost), what the filters removed, analysis settings, top entities per
measure (rank table + bar charts), rank correlation between measures and brokers, degree
distribution (log-log), communities (one table with sizes, types, top entities, brokers and
representative paragraphs, and a sizes chart; only when there is a partition), the timeline
(with ``--period``), strongest edges with their evidence paragraphs, and the warnings by
kind.

Both files are self-contained: charts are matplotlib PNGs embedded as base64 ``data:`` URIs
(in the Markdown as reference-style images defined at the end of the file, so the text stays
readable). Everything that comes from the documents is escaped for the target format:
:func:`md_escape` for Markdown, :func:`html.escape` for HTML, and ``$`` is never parsed as
TeX by matplotlib (``text.parse_math`` off).
"""

from __future__ import annotations

import base64
import html
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graphbuild.export.safety import atomic_write_text
from graphbuild.measures.centrality import DISTANCE_NOTE, MEASURES

if TYPE_CHECKING:
    from graphbuild.pipeline import EntityGraph

TOP = 20
#: bars per "top entities" chart
TOP_CHART = 15
#: strongest edges whose evidence paragraphs are quoted in full
QUOTED_EDGES = 5
#: paragraphs quoted per edge, and characters per quoted paragraph
QUOTED_PARAGRAPHS = 2
QUOTE_CHARS = 600
#: node-table columns that are not measures
NON_MEASURES = {"id", "label", "type", "other_types", "aliases", "mentions", "paragraphs",
                "documents", "community"}


# --- escaping ------------------------------------------------------------------------------
_MD_SPECIAL = "\\`*_[]<>|#!~$"


def md_escape(text: object) -> str:
    """Escape document-derived text for Markdown (tables and paragraphs): Markdown syntax
    characters get a backslash, ``&`` becomes ``&amp;`` and newlines become spaces, so no
    label can open a link, emphasis, raw HTML or a new table cell.

    >>> md_escape("<b>A|B</b> *x* & [y](z)")
    '\\\\<b\\\\>A\\\\|B\\\\</b\\\\> \\\\*x\\\\* &amp; \\\\[y\\\\](z)'
    """
    s = str(text).replace("&", "&amp;")
    s = "".join("\\" + c if c in _MD_SPECIAL else c for c in s)
    return " ".join(s.split())


_md = md_escape  # the name older code used


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.4g}"
    if value is None or value is pd.NA:
        return ""
    return str(value)


# --- blocks ----------------------------------------------------------------------------------
@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Table:
    frame: pd.DataFrame


@dataclass
class Figure:
    key: str
    alt: str
    png: bytes


@dataclass
class Quote:
    source: str
    text: str
    marks: list[tuple[int, int]]


Block = Heading | Para | Table | Figure | Quote


# --- charts ----------------------------------------------------------------------------------
def _plot(draw, width: float = 6.0, height: float = 3.2, ncols: int = 1, nplots: int = 1,
          ) -> bytes:
    """Run ``draw(ax, i)`` on ``nplots`` axes of a fresh figure and return PNG bytes (no
    pyplot state, labels never parsed as TeX, missing-glyph warnings silenced)."""
    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    nrows = -(-nplots // ncols)
    with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False,
                                "font.size": 8}), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = MplFigure(figsize=(width, height * nrows), dpi=90)
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        for i in range(nplots):
            draw(axes[i], i)
        for ax in axes[nplots:]:
            ax.set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _bars(ax, labels: list[str], values: list[float], title: str, color: str) -> None:
    ax.barh(range(len(values)), values, color=color)
    ax.set_yticks(range(len(values)), [str(x)[:32] for x in labels])
    ax.invert_yaxis()
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)


def bar_chart(labels: list[str], values: list[float], title: str, color: str = "#0072B2",
              ) -> bytes:
    """Horizontal bar chart (first value on top) as PNG bytes.

    >>> bar_chart(["a$b", "c"], [2.0, 1.0], "t")[:4]
    b'\\x89PNG'
    """
    return _plot(lambda ax, i: _bars(ax, labels, values, title, color),
                 height=max(1.6, 0.2 * len(values) + 0.8))


def small_multiples(charts: list[tuple[str, list[str], list[float]]], ncols: int = 2,
                    color: str = "#0072B2") -> bytes:
    """One PNG with a horizontal bar chart per ``(title, labels, values)``.

    >>> small_multiples([("a", ["x"], [1.0]), ("b", ["y"], [2.0])])[:4]
    b'\\x89PNG'
    """
    rows = max((len(c[1]) for c in charts), default=1)
    return _plot(lambda ax, i: _bars(ax, charts[i][1], charts[i][2], charts[i][0], color),
                 width=4.4 * ncols, height=max(1.6, 0.2 * rows + 0.8), ncols=ncols,
                 nplots=len(charts))


def degree_distribution_chart(degrees: pd.Series) -> bytes:
    """Log-log scatter of P(k): the share of entities with degree ``k`` (``k`` >= 1).

    >>> degree_distribution_chart(pd.Series([1, 1, 2, 0]))[:4]
    b'\\x89PNG'
    """
    counts = degrees[degrees > 0].value_counts().sort_index()
    share = counts / len(degrees)

    def draw(ax, i):
        ax.loglog(counts.index.astype(float), share.to_numpy(), "o", color="#D55E00")
        ax.set_xlabel("degree k (distinct co-occurring entities)")
        ax.set_ylabel("P(k), share of entities")
        ax.set_title("Degree distribution (log-log)")
        ax.grid(True, which="both", alpha=0.3)

    return _plot(draw)


# --- sections --------------------------------------------------------------------------------
def summary_counts(eg: EntityGraph) -> dict[str, int]:
    """The corpus summary the report and the CLI print.

    >>> import graphbuild as gb
    >>> counts = summary_counts(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> counts["mentions"], counts["mentions dropped"]   # 180 annotations, 10 not entities
    (170, 10)
    """
    kept = eg.mentions["status"].eq("kept")
    return {"documents": len(eg.documents), "paragraphs": len(eg.paragraphs),
            "mentions": int(kept.sum()), "mentions dropped": int((~kept).sum()),
            "entities": len(eg.entities), "edges": len(eg.edges)}


def measure_columns(nodes: pd.DataFrame) -> list[str]:
    """Numeric node columns that rank entities: :data:`MEASURES` first, then any other
    measure the build added (``community`` and entity counts excluded).

    >>> measure_columns(pd.DataFrame({"label": ["a"], "mentions": [1], "community": [0],
    ...                               "katz": [2.0], "pagerank": [1.0]}))
    ['pagerank', 'katz']
    """
    numeric = [c for c in nodes.columns if c not in NON_MEASURES
               and pd.api.types.is_numeric_dtype(nodes[c])
               and not pd.api.types.is_bool_dtype(nodes[c])]
    return [m for m in MEASURES if m in numeric] + [c for c in numeric if c not in MEASURES]


def _corpus_blocks(eg: EntityGraph) -> list[Block]:
    counts = summary_counts(eg)
    counts["warnings"] = len(eg.diagnostics.warnings)
    blocks: list[Block] = [Heading(2, "Corpus"),
                           Table(pd.DataFrame(list(counts.items()), columns=["what", "count"]))]
    docs = eg.documents
    if "created" in docs and docs["created"].notna().any():
        dates = docs["created"].dropna().astype(str).sort_values()
        blocks.append(Para(f"Documents dated from {dates.iloc[0]} to {dates.iloc[-1]} "
                           f"({len(dates)} of {len(docs)} dated)."))
    if "format" in docs and len(docs):
        fmt = docs["format"].astype(str).value_counts().rename_axis("format")
        blocks.append(Table(fmt.rename("documents").reset_index()))
    blocks += [Heading(2, "Resolution"),
               Para("How mentions became entities: spelling variants of a name (case, "
                    "accents, spacing, dots) merge into one entity, an abbreviation joins the "
                    "long form it is defined with and a surname the only full name that holds "
                    "it; the type is the majority vote of its mentions.")]
    m = eg.mentions
    # only the columns used, then the rows: the mentions table has millions of rows
    kept = m["surface"][m["status"].eq("kept")]
    ents = eg.entities
    aliased = ents["aliases"].fillna("").astype(str).ne("") if "aliases" in ents else \
        pd.Series(False, index=ents.index)
    conflicts = ents["other_types"].fillna("").astype(str).ne("") if "other_types" in ents \
        else pd.Series(False, index=ents.index)
    rows = [("kept mentions", len(kept)),
            ("distinct spellings", int(kept.nunique()) if len(kept) else 0),
            ("entities", len(ents)),
            ("entities merging several spellings", int(aliased.sum())),
            ("entities annotated with several types", int(conflicts.sum()))]
    blocks.append(Table(pd.DataFrame(rows, columns=["what", "count"])))
    if len(ents):
        by_type = ents["type"].astype(str).value_counts().rename_axis("type")
        blocks.append(Table(by_type.rename("entities").reset_index()))
    dropped = m["reason"][m["status"].ne("kept")]
    if len(dropped):
        reasons = dropped.fillna("").astype(str).value_counts().rename_axis("reason")
        blocks += [Para("Mentions dropped, by reason:"),
                   Table(reasons.rename("mentions").reset_index())]
    if conflicts.any():
        view = ents.loc[conflicts].sort_values("mentions", ascending=False).head(TOP)
        blocks += [Para("Entities annotated with several types (kept type first):"),
                   Table(view[["label", "type", "other_types", "mentions"]])]
    return blocks


def _filter_blocks(eg: EntityGraph) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Filters")]
    if eg.filters_removed:
        blocks.append(Table(pd.DataFrame(list(eg.filters_removed.items()),
                                         columns=["filter", "removed"])))
    else:
        blocks.append(Para("No filter removed anything: every entity and edge is shown."))
    return blocks


def _measure_blocks(eg: EntityGraph, nodes: pd.DataFrame) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Top entities"), Para(DISTANCE_NOTE)]
    if nodes.empty:
        return blocks + [Para("No entity.")]
    charts = []
    ranks = pd.DataFrame(index=pd.RangeIndex(1, min(TOP, len(nodes)) + 1, name="rank"))
    for measure in measure_columns(nodes):
        top = nodes.sort_values([measure, "label"], ascending=[False, True],
                                na_position="last").head(TOP)
        ranks[measure] = [f"{label} ({_fmt(float(v))})" for label, v in
                          zip(top["label"].astype(str), top[measure].fillna(0), strict=True)]
        chart = top.head(TOP_CHART)
        if chart[measure].fillna(0).abs().sum() > 0:
            charts.append((f"top {len(chart)} by {measure}", chart["label"].astype(str).tolist(),
                           chart[measure].fillna(0).astype(float).tolist()))
    if charts:
        # one figure for all measures: drawing is the slow part of a report (~0.3 s each)
        blocks.append(Figure("top-entities", "top entities by each measure",
                             small_multiples(charts)))
    blocks += [Para(f"The {len(ranks)} highest-ranked entities by each measure (value in "
                    "brackets; ties in label order):"), Table(ranks.reset_index())]
    return blocks


def _degree_blocks(eg: EntityGraph, nodes: pd.DataFrame) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Degree distribution")]
    degree = _degrees(eg)
    if degree.empty or not (degree > 0).any():
        return blocks + [Para("No edge, so no degree distribution.")]
    isolated = int((degree == 0).sum())
    no_edge = "1 entity has no edge" if isolated == 1 else f"{isolated} entities have no edge"
    blocks.append(Para(f"Degree = number of distinct entities an entity co-occurs with. "
                       f"Max {int(degree.max())}, median {degree.median():g}; {no_edge} "
                       f"(not on the log-log plot)."))
    blocks.append(Figure("degree-distribution", "degree distribution, log-log",
                         degree_distribution_chart(degree)))
    return blocks


def _degrees(eg: EntityGraph) -> pd.Series:
    from graphbuild.core.tables import positions

    ids = eg.entities["entity_id"]
    # each edge end's row in the entities table, hashed by Arrow (22 M ends at scale);
    # an end outside the table (a filtered view) is not counted, as reindex dropped it
    ends = np.concatenate([positions(eg.edges["source"], ids),
                           positions(eg.edges["target"], ids)])
    counts = np.bincount(ends[ends >= 0], minlength=len(ids))
    return pd.Series(counts.astype(int), index=pd.Index(ids, name="entity_id"),
                     name="count")


def _community_blocks(eg: EntityGraph, nodes: pd.DataFrame) -> list[Block]:
    """One section for the partition of the node table's ``community`` column: one row per
    community (size, types, edges, top entities, brokers, representative paragraphs, from
    :meth:`EntityGraph.community_summary` of that same partition) and a sizes chart."""
    if "community" not in nodes or nodes["community"].isna().all():
        return []
    summary = eg.community_summary()
    types = (nodes.dropna(subset=["community"])
             .assign(community=lambda f: f["community"].astype("int64"),
                     type=lambda f: f["type"].astype(str))
             .groupby("community")["type"].value_counts(sort=True))
    type_text = {c: ", ".join(f"{t} {n}" for (_, t), n in group.items())
                 for c, group in types.groupby(level=0)}
    table = pd.DataFrame({
        "community": summary["community"], "size": summary["size"],
        "types": summary["community"].map(type_text).fillna(""),
        "internal edges": summary["internal_edges"],
        "external edges": summary["external_edges"],
        "top entities (by pagerank)": summary["top_entities"],
        "brokers": summary["brokers"], "paragraphs": summary["paragraphs"]})
    several = int((table["size"] > 1).sum())
    blocks: list[Block] = [
        Heading(2, "Communities"),
        Para(f"{len(table)} communities, {several} of them with 2 or more entities; the "
             f"largest {min(TOP, len(table))}. Brokers are the members with the most edge "
             "weight to other communities (→ the communities they reach); paragraphs are the "
             "most representative ones (they mention most of the community's top entities)."),
        Table(table.head(TOP))]
    chart = table.head(30)
    blocks.append(Figure("community-sizes", "community sizes",
                         bar_chart([f"community {c}" for c in chart["community"]],
                                   chart["size"].astype(float).tolist(),
                                   "Community sizes (entities)", color="#009E73")))
    return blocks


def _edge_blocks(eg: EntityGraph) -> list[Block]:
    from graphbuild.query import highlight_spans, snippet

    blocks: list[Block] = [Heading(2, "Strongest edges")]
    if eg.edges.empty:
        return blocks + [Para("No edge.")]
    blocks.append(Para("weight = distinct paragraphs in which both entities are mentioned; "
                       "documents = distinct documents; evidence = document:¶paragraph."))
    edges = eg.edges_table(evidence_limit=5, top=TOP)   # evidence of these edges only
    labels = eg.entities.set_index("entity_id")["label"]
    view = pd.DataFrame({"source": edges["source"].map(labels),
                         "target": edges["target"].map(labels)})
    for col in edges.columns:
        if col not in ("source", "target", "evidence"):
            view[col] = edges[col].to_numpy()
    view["evidence"] = edges["evidence"].to_numpy()
    blocks.append(Table(view))
    blocks.append(Heading(3, f"Evidence of the {min(QUOTED_EDGES, len(edges))} strongest edges"))
    pairs = list(zip(edges["source"].head(QUOTED_EDGES).tolist(),
                     edges["target"].head(QUOTED_EDGES).tolist(), strict=True))
    quoted = quoted_evidence(eg, pairs, QUOTED_PARAGRAPHS)
    for (s, t), ev in zip(pairs, quoted, strict=True):
        blocks.append(Para(f"{labels[s]} — {labels[t]}"))
        for row in ev.itertuples(index=False):
            text = str(row.text) if isinstance(row.text, str) else ""
            short = snippet(text, row.surfaces, QUOTE_CHARS)
            marks = highlight_spans(short, row.surfaces)
            blocks.append(Quote(f"{row.doc_id}:¶{row.paragraph}", short, marks))
    return blocks


def quoted_evidence(eg: EntityGraph, pairs: list[tuple[str, str]], limit: int,
                    ) -> list[pd.DataFrame]:
    """Per entity-id pair, its first ``limit`` evidence paragraphs: ``doc_id, paragraph,
    text, surfaces``, as :func:`graphbuild.query.evidence` gives them, but with each big
    table (evidence, paragraphs, mentions: millions of rows) filtered once for all pairs,
    and surfaces gathered for the quoted paragraphs only.

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> quoted_evidence(eg, [("uribe", "chavez")], 2)[0]["paragraph"].tolist()
    [3]
    """
    ids = {x for pair in pairs for x in pair}
    ev = eg.evidence
    ev = ev[ev["source"].isin(ids) & ev["target"].isin(ids)]
    frames = []
    for a, b in pairs:
        s, t = sorted((a, b))
        frames.append(ev[(ev["source"] == s) & (ev["target"] == t)][["doc_id", "paragraph"]]
                      .head(limit))
    docs = {d for f in frames for d in f["doc_id"].tolist()}
    paras = eg.paragraphs[["doc_id", "paragraph", "text"]]
    paras = paras[paras["doc_id"].isin(docs)]
    m = eg.mentions
    m = m[m["entity_id"].isin(ids) & m["doc_id"].isin(docs)]
    out = []
    for (a, b), rows in zip(pairs, frames, strict=True):
        rows = rows.merge(paras, on=["doc_id", "paragraph"], how="left")
        mm = m[m["entity_id"].isin([a, b])]
        surf = (mm.groupby(["doc_id", "paragraph"])["surface"]
                .agg(lambda x: "|".join(sorted(set(map(str, x)), key=lambda y: (-len(y), y)))))
        key = pd.MultiIndex.from_frame(rows[["doc_id", "paragraph"]])
        rows["surfaces"] = surf.reindex(key).to_numpy() if len(rows) else \
            pd.Series(dtype=object)
        out.append(rows.reset_index(drop=True))
    return out


def _warning_blocks(eg: EntityGraph) -> list[Block]:
    problems = eg.problems
    if problems.empty:
        return []
    kinds = (problems.groupby(["severity", "code"]).size().rename("count").reset_index()
             .sort_values("count", ascending=False))
    return [Heading(2, "Warnings"),
            Para("Problems found in the input, by kind (each one with file:line in "
                 "warnings.csv):"), Table(kinds)]


def report_blocks(eg: EntityGraph) -> list[Block]:
    """Every block of the report, in order (shared by the Markdown and HTML renderers).

    >>> import graphbuild as gb
    >>> blocks = report_blocks(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> [b.text for b in blocks if isinstance(b, Heading) and b.level == 2][:3]
    ['Corpus', 'Resolution', 'Reconciliation']
    """
    nodes = eg.nodes_table()
    return [Heading(1, "graphbuild report"), *_corpus_blocks(eg), *_resolution_blocks(eg),
            *_reconciliation_blocks(eg), *_filter_blocks(eg), *_settings_blocks(eg),
            *_measure_blocks(eg, nodes), *_correlation_blocks(eg), *_degree_blocks(eg, nodes),
            *_community_blocks(eg, nodes), *_time_blocks(eg),
            *_edge_blocks(eg), *_warning_blocks(eg)]


# --- Markdown ----------------------------------------------------------------------------------
def _md_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "_none_\n"
    cols = [md_escape(c) for c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(md_escape(_fmt(v)) for v in row) + " |")
    return "\n".join(lines) + "\n"


def render_markdown(blocks: list[Block]) -> str:
    """Markdown text of ``blocks``; figures are reference-style images whose base64 data is
    defined at the end of the file.

    >>> print(render_markdown([Heading(2, "A_b"), Table(pd.DataFrame({"x": ["|"]}))]), end="")
    ## A\\_b
    <BLANKLINE>
    | x |
    |---|
    | \\| |
    <BLANKLINE>
    """
    out: list[str] = []
    refs: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + md_escape(b.text), ""]
        elif isinstance(b, Para):
            out += [md_escape(b.text), ""]
        elif isinstance(b, Table):
            out.append(_md_table(b.frame))
        elif isinstance(b, Figure):
            out += [f"![{md_escape(b.alt)}][{b.key}]", ""]
            refs.append(f"[{b.key}]: data:image/png;base64,"
                        f"{base64.b64encode(b.png).decode('ascii')}")
        elif isinstance(b, Quote):
            out += [f"> **{md_escape(b.source)}** {md_escape(b.text)}", ""]
    return "\n".join(out + refs) + "\n"


def render_report(eg: EntityGraph) -> str:
    """Markdown report: the sections of :func:`report_blocks` (listed in this module's
    docstring).

    >>> import graphbuild as gb
    >>> render_report(gb.build("seeds/cable_09STATE83014_annotated.txt")).splitlines()[0]
    '# graphbuild report'
    """
    return render_markdown(report_blocks(eg))


# --- HTML --------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.9em}
th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;display:block;margin:.4em 0 1.2em}
blockquote{margin:.4em 0 1em;padding:.4em .8em;border-left:4px solid #56B4E9;background:#f7fbfe}
blockquote cite{font-style:normal;font-weight:600;margin-right:.5em}
mark{background:#ffe08a}nav a{margin-right:1em}h2{border-bottom:1px solid #eee}
"""


def _html_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><em>none</em></p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for v in row:
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            cls = ' class="num"' if num else ""
            cells.append(f"<td{cls}>{html.escape(_fmt(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _marked(text: str, marks: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in marks:
        out += [html.escape(text[pos:a]), f"<mark>{html.escape(text[a:b])}</mark>"]
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def render_html_report(blocks: list[Block], title: str = "graphbuild report") -> str:
    """One self-contained HTML page of ``blocks`` (inline CSS, PNG charts as data URIs).

    >>> "<p>&lt;b&gt;</p>" in render_html_report([Para("<b>")])
    True
    """
    parts: list[str] = []
    nav: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = "s-" + "".join(c if c.isalnum() else "-" for c in b.text.lower())
            if b.level == 2:
                nav.append(f'<a href="#{anchor}">{html.escape(b.text)}</a>')
            parts.append(f'<h{b.level} id="{anchor}">{html.escape(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            parts.append(f"<p>{html.escape(b.text)}</p>")
        elif isinstance(b, Table):
            parts.append(_html_table(b.frame))
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            parts.append(f'<img alt="{html.escape(b.alt)}" src="data:image/png;base64,{data}">')
        elif isinstance(b, Quote):
            parts.append(f"<blockquote><cite>{html.escape(b.source)}</cite>"
                         f"{_marked(b.text, b.marks)}</blockquote>")
    if parts and parts[0].startswith("<h1"):
        parts.insert(1, "<nav>" + "".join(nav) + "</nav>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def render_report_html(eg: EntityGraph) -> str:
    """The HTML version of :func:`render_report` (self-contained, no external file).

    >>> import graphbuild as gb
    >>> page = render_report_html(gb.build("seeds/cable_09STATE83014_annotated.txt"))
    >>> page.startswith("<!DOCTYPE html>"), "http" in page
    (True, False)
    """
    return render_html_report(report_blocks(eg))


def _resolution_blocks(eg: EntityGraph) -> list[Block]:
    """How surface forms became entities: largest merges, drops, ambiguous names."""
    from graphbuild.resolve import dropped_forms, largest_merges

    audit = eg.resolution
    if "rule" not in audit:
        return []
    kept = audit["entity_id"].notna() & audit["entity_id"].ne("")
    blocks: list[Block] = [Para(
        f"{int(kept.sum()):,} surface forms (distinct spelling and type, as annotated) "
        f"became {len(eg.entities):,} entities; {int((~kept).sum()):,} forms "
        f"({int(audit.loc[~kept, 'mentions'].sum()):,} mentions) were dropped as not "
        "entities. Every form, its entity and the rule that decided are in resolution.csv."),
        Heading(3, "Largest merges")]
    merges = largest_merges(audit, eg.entities, TOP)
    blocks.append(Table(merges[["label", "type", "forms", "mentions", "surfaces"]]))
    blocks.append(Heading(3, "Dropped"))
    dropped = dropped_forms(audit)
    if dropped.empty:
        blocks.append(Para("Nothing was dropped."))
    else:
        blocks.append(Table(dropped.groupby("rule", sort=True).agg(
            forms=("surface", "size"), mentions=("mentions", "sum"),
            examples=("surface", lambda s: ", ".join(s.head(8)))).reset_index()))
    amb = getattr(eg, "ambiguous", None)
    blocks.append(Heading(3, "Ambiguous names left apart"))
    if amb is None or amb.empty:
        blocks.append(Para("None."))
    else:
        view = (amb.groupby(["kind", "name", "candidates"], sort=True)
                .agg(documents=("doc_id", "nunique"), mentions=("mentions", "sum"))
                .reset_index().sort_values("mentions", ascending=False, kind="stable"))
        blocks.append(Table(view.head(TOP)))
    return blocks


def _reconciliation_blocks(eg: EntityGraph) -> list[Block]:
    """Nothing lost: annotations found = kept + dropped; files found = read + skipped."""
    from graphbuild.resolve.reconcile import describe, reconcile

    return [Heading(2, "Reconciliation"),
            *[Para(line) for line in describe(reconcile(eg))]]


def _settings_blocks(eg: EntityGraph) -> list[Block]:
    s = eg.settings
    if not s:
        return []
    return [Heading(2, "Analysis settings"), Table(pd.DataFrame(
        [("unit", s.get("unit")), ("units (N)", s.get("units")),
         ("edge weight driving centrality", s.get("weight")),
         ("path length", "1/weight"), ("betweenness", s.get("betweenness")),
         ("communities", s.get("communities")), ("seed", s.get("seed"))]
        # what the output folder holds of the biggest tables (graph files, CSVs)
        + [(label, s[key]) for key, label in (("graph_files", "graph files"),
                                              ("csv_skipped", "CSV files not written"))
           if s.get(key)],
        columns=["setting", "value"]).astype(str))]


def _correlation_blocks(eg: EntityGraph) -> list[Block]:
    if len(eg.centrality) <= 1:
        return []
    corr = eg.rank_correlation().round(2).reset_index(names="measure")
    blocks: list[Block] = [Heading(2, "Rank correlation between measures (Spearman)"),
                           Table(corr)]
    b = eg.brokers(TOP)
    if len(b):
        blocks += [Heading(2, "Brokers"),
                   Para("Betweenness rank minus degree rank: entities on more shortest paths "
                        "than their number of contacts suggests."),
                   Table(b.reset_index()[["label", "degree", "betweenness", "broker_score"]])]
    return blocks


def _time_blocks(eg: EntityGraph) -> list[Block]:
    tl = eg.timeline
    if tl is None or not len(tl.trends):
        return []
    labels = eg.entities.set_index("entity_id")["label"]
    trends = tl.trends.assign(source=tl.trends["source"].map(labels),
                              target=tl.trends["target"].map(labels))
    cols = ["source", "target", "first", "last", "peak", "slope"]
    lead = (tl.centrality.sort_values(["period", "pagerank", "entity_id"],
                                      ascending=[True, False, True])
            .groupby("period").head(3))
    lead = lead.assign(label=lead["entity_id"].map(labels))
    return [Heading(2, f"Over time (per {tl.period})"),
            Para(f"Periods: {tl.periods[0]} to {tl.periods[-1]}; "
                 f"{len(tl.undated)} undated document(s) left out."),
            Heading(3, "Rising edges"),
            Table(trends[trends["trend"] == "rising"].head(TOP)[cols]),
            Heading(3, "Fading edges"),
            Table(trends[trends["trend"] == "fading"].head(TOP)[cols]),
            Heading(3, "Most central entities per period (PageRank)"),
            Table(lead[["period", "label", "pagerank", "degree"]])]


def write_report(eg: EntityGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``report.md`` atomically (see :func:`render_report`; example in
    :func:`write_reports`)."""
    atomic_write_text(path, render_report(eg))
    return Path(path)


def write_report_html(eg: EntityGraph, path: str | os.PathLike[str]) -> Path:
    """Write ``report.html`` atomically (see :func:`render_report_html`; example in
    :func:`write_reports`)."""
    atomic_write_text(path, render_report_html(eg))
    return Path(path)


def write_reports(eg: EntityGraph, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``report.md`` and ``report.html`` into ``out_dir`` (charts drawn once).

    >>> import tempfile, graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> sorted(write_reports(eg, tempfile.mkdtemp()))
    ['report.html', 'report.md']
    """
    blocks = report_blocks(eg)
    out = Path(out_dir)
    atomic_write_text(out / "report.md", render_markdown(blocks))
    atomic_write_text(out / "report.html", render_html_report(blocks))
    return {"report.md": out / "report.md", "report.html": out / "report.html"}
