"""The explorer commands: read a folder written by ``graphbuild build``, never re-parse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.cli.common import _LONE_BREAK, InDir, _fail, _load, _query, app, escape, out

AsJson = Annotated[bool, typer.Option(
    "--json", help="Print the result as JSON records (the Python API's frame), for jq.")]
AsCsv = Annotated[bool, typer.Option(
    "--csv", help="Print the result as CSV (cells a spreadsheet would run are quoted).")]
Types = Annotated[str | None, typer.Option(
    "--types", "-t", help="Only entities of these types, comma-separated (PER,ORG).")]


def _emit(frame, as_json: bool, as_csv: bool, index: str | None = None) -> bool:
    """Print ``frame`` as JSON or CSV when asked (True), else leave it to the table view.

    Plain stdout, no terminal styling: the output is for a program. JSON keeps every
    character (it is escaped by the encoder); CSV cells are neutralised for spreadsheets.
    """
    if as_json and as_csv:
        _fail("--json and --csv: choose one")
    if not (as_json or as_csv):
        return False
    import sys

    data = frame.reset_index(names=index) if index else frame.reset_index(drop=True)
    if as_json:
        sys.stdout.write(data.to_json(orient="records", force_ascii=False,
                                      double_precision=15) + "\n")
    else:
        from graphbuild.export.safety import safe_csv_frame
        safe_csv_frame(data).to_csv(sys.stdout, index=False, lineterminator="\n")
    return True


def _highlighted(text: str, surfaces) -> str:
    from graphbuild.query import highlight_spans

    out, pos = [], 0
    for a, b in highlight_spans(text, surfaces):
        out += [escape(text[pos:a]), f"[bold yellow]{escape(text[a:b])}[/]"]
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out)


@app.command()
def neighbors(
    entity: Annotated[str, typer.Argument(help="Entity id, label or alias (any case).")],
    in_dir: InDir = Path("output"),
    limit: Annotated[int, typer.Option("--limit", "-n", min=1,
                                       help="Show at most this many neighbours.")] = 30,
    by: Annotated[str, typer.Option("--by", help="Edge column to rank by.")] = "weight",
    types: Types = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """The entities that co-occur with ENTITY, strongest first (weight = paragraphs)."""
    from graphbuild.core.names import match_entity
    from graphbuild.query import neighbors as run_neighbors

    eg = _load(in_dir)
    frame = _query(run_neighbors, eg, entity, by=by, types=types)
    if _emit(frame.head(limit), as_json, as_csv, index="entity_id"):
        return
    eid = match_entity(eg.entities, entity, eg.resolution)
    label = eg.entities.set_index("entity_id").loc[eid, "label"]
    of_types = f" ({types.upper()})" if types else ""
    table = Table(title=escape(f"{label} [{eid}]: {len(frame)} neighbours{of_types}"))
    wide = out.width >= 100   # at 80 columns the label says enough; ids take room
    for c in (["id"] if wide else []) + list(frame.columns):
        table.add_column(c, justify="right" if c not in ("id", "label", "type") else "left")
    for eid_, row in frame.head(limit).iterrows():
        table.add_row(*([escape(str(eid_))] if wide else []),
                      *[escape(_cell(v)) for v in row.tolist()])
    out.print(table)
    if len(frame) > limit:
        out.print(f"... {len(frame) - limit} more (--limit)")


def _cell(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else "" if v is None else str(v)


@app.command()
def path(
    source: Annotated[str, typer.Argument(help="First entity (id, label or alias).")],
    target: Annotated[str, typer.Argument(help="Second entity.")],
    in_dir: InDir = Path("output"),
    kind: Annotated[str, typer.Option(
        "--kind", help="shortest (fewest hops), strongest (least total 1/weight) or both.")
    ] = "both",
    weight: Annotated[str, typer.Option("--weight", help="Edge column giving strength.")
                      ] = "weight",
    show: Annotated[int, typer.Option("--evidence", "-e", min=0,
                                      help="Paragraphs quoted per hop.")] = 1,
    types: Annotated[str | None, typer.Option(
        "--types", "-t", help="Pass only through entities of these types (PER,ORG).")
    ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Shortest and strongest paths between two entities, with the evidence of each hop.

    Shortest = fewest hops (ties: the strongest of them). Strongest = least total distance,
    a hop costing 1/weight (a pair seen together in 4 paragraphs is 4 times closer).
    """
    from graphbuild.query import PATH_KINDS, snippet
    from graphbuild.query import evidence as run_evidence
    from graphbuild.query import path as run_path

    kinds = PATH_KINDS if kind == "both" else (kind,)
    if kind != "both" and kind not in PATH_KINDS:
        _fail(f"--kind must be shortest, strongest or both, not {kind!r}")
    eg = _load(in_dir)
    if as_json or as_csv:      # the hops of each kind, one table, a ``kind`` column first
        import pandas as pd
        frames = [_query(run_path, eg, source, target, kind=k, weight=weight, types=types)
                  for k in kinds]
        _emit(pd.concat([f.assign(kind=k)[["kind", *f.columns]] for f, k in
                         zip(frames, kinds, strict=True)], ignore_index=True), as_json, as_csv)
        return
    for k in kinds:
        hops = _query(run_path, eg, source, target, kind=k, weight=weight, types=types)
        total = hops["distance"].sum()
        out.print(f"[bold]{k} path[/]: {len(hops)} hop(s), length {total:.4g} (sum of 1/weight)")
        for _, hop in hops.iterrows():
            out.print(f"  {escape(str(hop.source_label))} — {escape(str(hop.target_label))}  "
                      f"[dim]weight {_cell(hop.weight)}, documents {_cell(hop.documents)}[/]")
            if show:
                ev = run_evidence(eg, hop.source, hop.target, limit=show)
                for row in ev.itertuples(index=False):
                    text = str(row.text) if isinstance(row.text, str) else ""
                    short = snippet(text, row.surfaces, 240)
                    out.print(f"      [cyan]{escape(f'{row.doc_id}:¶{row.paragraph}')}[/] "
                              + _highlighted(short, row.surfaces), soft_wrap=True)
        out.print()


@app.command()
def evidence(
    source: Annotated[str, typer.Argument(help="First entity (id, label or alias).")],
    target: Annotated[str, typer.Argument(help="Second entity.")],
    in_dir: InDir = Path("output"),
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1,
                                              help="Show at most this many paragraphs.")
                     ] = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """The paragraphs in which two entities are mentioned together, with their text."""
    from graphbuild.core.names import match_entity
    from graphbuild.query import evidence as run_evidence

    eg = _load(in_dir)
    ev = (every := _query(run_evidence, eg, source, target)).head(limit or len(every))
    labels = eg.entities.set_index("entity_id")["label"]
    a, b = match_entity(eg.entities, source), match_entity(eg.entities, target)
    if ev.empty:
        _fail(f"{labels[a]} and {labels[b]} are never mentioned in the same paragraph", code=1)
    if _emit(ev, as_json, as_csv):
        return
    out.print(f"[bold]{escape(str(labels[a]))} — {escape(str(labels[b]))}[/]: {len(ev)}"
              f"{f' of {len(every)}' if len(ev) < len(every) else ''} paragraph(s)\n")
    for row in ev.itertuples(index=False):
        head = f"{row.doc_id}:¶{row.paragraph}"
        subject = getattr(row, "subject", None)
        if isinstance(subject, str) and subject:
            head += f"  {subject}"
        protected = int(getattr(row, "redactions", 0) or 0)
        tag = (f"  [yellow]source protected{f' ×{protected}' if protected > 1 else ''}[/]"
               if protected else "")
        out.print(f"[cyan]{escape(head)}[/]{tag}")
        text = str(row.text) if isinstance(row.text, str) else ""
        # a cable's hard-wrapped lines joined, so the paragraph folds at the terminal's width
        out.print(_LONE_BREAK.sub(" ", _highlighted(text, row.surfaces)) + "\n")


@app.command()
def ego(
    entity: Annotated[str, typer.Argument(help="Centre entity (id, label or alias).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the sub-graph.")],
    in_dir: InDir = Path("output"),
    radius: Annotated[int, typer.Option("--radius", "-r", min=0,
                                        help="Hops from the centre.")] = 1,
    types: Types = None,
    max_evidence: Annotated[int, typer.Option(
        "--max-evidence", min=0, help="Paragraphs per tie in evidence.csv (0: all).")] = 20,
) -> None:
    """Export the sub-graph around ENTITY: graph.graphml, graph.html, nodes.csv, edges.csv
    and evidence.csv (measures keep their whole-graph values)."""
    from graphbuild.export.folder import write_ego
    from graphbuild.query import ego_tables

    if out_dir.resolve() == in_dir.resolve():
        _fail(f"-o {out_dir} is the --in folder: the sub-graph would overwrite the whole "
              "graph's files; choose another folder")
    eg = _load(in_dir)
    sub = _query(ego_tables, eg, entity, radius, types)
    try:
        paths = _query(write_ego, eg, entity, out_dir, radius=radius, types=types,
                       max_evidence=max_evidence or None)
    except OSError as exc:
        _fail(f"{getattr(exc, 'filename', '') or out_dir}: {exc.strerror or exc}")
    n_ev = len(sub.evidence)
    kept = (n_ev if not max_evidence else int(sub.evidence.groupby(
        ["source", "target"], observed=True).size().clip(upper=max_evidence).sum()))
    ev_note = (f"{kept:,} evidence paragraphs" + (f" of {n_ev:,} (at most {max_evidence} per "
               "tie; --max-evidence 0 for all)" if kept < n_ev else ""))
    out.print(f"{escape(str(entity))}: {len(sub.entities):,} entities within {radius} "
              f"hop(s), {len(sub.edges):,} ties, {ev_note}")
    sizes = ", ".join(f"{name} ({_size(p)})" for name, p in paths.items())
    out.print(f"wrote {len(paths)} files to [bold]{escape(str(out_dir))}/[/]: "
              + escape(sizes))


def _size(path: Path) -> str:
    n = path.stat().st_size
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


@app.command()
def report(
    in_dir: InDir = Path("output"),
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder for the brief and the report (default: the --in folder).")
    ] = None,
) -> None:
    """Write brief.md, brief.html, report.md and report.html again from a built folder (no
    re-parsing)."""
    from graphbuild.export.report import write_reports

    eg = _load(in_dir)
    target = out_dir or in_dir
    try:
        target.mkdir(parents=True, exist_ok=True)
        paths = write_reports(eg, target)
    except OSError as exc:
        _fail(f"{getattr(exc, 'filename', '') or target}: {exc.strerror or exc}")
    out.print(f"wrote {', '.join(paths)} to [bold]{escape(str(target))}/[/]")


@app.command("export")
def export_cmd(
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="graphml, gexf, graphrag (Parquet tables for GraphRAG), ftm "
                               "(FollowTheMoney JSON lines for OpenAleph) or pyvis (a pyvis "
                               "page, offline).", show_default=False)],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files.")],
    in_dir: InDir = Path("output"),
    ego: Annotated[str | None, typer.Option(
        "--ego", help="Only the neighbourhood of this entity (id, label or alias).")] = None,
    radius: Annotated[int, typer.Option("--radius", "-r", min=0,
                                        help="Hops around --ego.")] = 1,
    types: Types = None,
    min_weight: Annotated[int, typer.Option(
        "--min-weight", min=1, help="Only ties seen in at least this many paragraphs.")] = 1,
    top: Annotated[int | None, typer.Option(
        "--top", min=1, help="Only the N entities ranked highest by --top-by.")] = None,
    top_by: Annotated[str, typer.Option(
        "--top-by", help="Measure ranking --top: pagerank, degree, betweenness, mentions...")]
        = "pagerank",
    size_by: Annotated[str, typer.Option(
        "--size-by", help="Measure sizing the nodes (gexf, pyvis).")] = "pagerank",
    max_nodes: Annotated[int, typer.Option(
        "--max-nodes", min=0, help="pyvis: draw at most this many entities (0: all).")] = 400,
    color_by: Annotated[str, typer.Option(
        "--color-by", help="gexf: colour nodes by type or community.")] = "type",
) -> None:
    """Write a built graph, or a view of it, for another tool: Gephi (graphml, gexf),
    GraphRAG (graphrag), OpenAleph / FollowTheMoney (ftm) or pyvis (pyvis). Reads the
    --in folder; nothing is parsed again."""
    from graphbuild.export.formats import FORMATS, export_as

    if fmt not in FORMATS:
        _fail(f"--format: unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if out_dir.resolve() == in_dir.resolve():
        _fail(f"-o {out_dir} is the --in folder: choose another folder (the export would "
              "overwrite the build's own files)")
    eg = _load(in_dir)
    counts: dict[str, int] = {}
    try:
        paths = _query(export_as, eg, fmt, out_dir, ego=ego, radius=radius, types=types,
                       min_weight=min_weight, top=top, top_by=top_by, size_by=size_by,
                       max_nodes=max_nodes or None, color_by=color_by, counts=counts)
    except OSError as exc:
        _fail(f"{getattr(exc, 'filename', '') or out_dir}: {exc.strerror or exc}")
    what = (f"{counts.get('entities', 0):,} entities, {counts.get('ties', 0):,} ties")
    if fmt == "ftm":
        schemas = ", ".join(f"{counts[k]:,} {k}" for k in sorted(counts)
                            if k[:1].isupper())
        what += f" -> {schemas}"
        if counts.get("misc entities"):
            what += (f"; {counts['misc entities']:,} MISC entities (no FtM schema: listed in "
                     f"their documents' namesMentioned) and {counts.get('misc ties', 0):,} "
                     "of their ties left out")
    out.print(escape(what))
    sizes = ", ".join(f"{name} ({_size(p)})" for name, p in paths.items())
    out.print(f"wrote {len(paths)} file(s) to [bold]{escape(str(out_dir))}/[/]: "
              + escape(sizes))
