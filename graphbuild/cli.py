"""The ``graphbuild`` command line: a thin layer over :mod:`graphbuild.pipeline`."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from .diagnostics import Diagnostics, InputError

app = typer.Typer(
    help="Build entity co-occurrence graphs from annotated or raw documents "
         "(WikiLeaks cables, plain text, CoNLL).",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True)
out = Console()

ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")


@app.callback()
def _root() -> None:
    """graphbuild: entity graphs an analyst can trust. See `graphbuild build --help`."""


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _parse_types(types: str | None) -> list[str] | None:
    if not types:
        return None
    wanted = [t.strip().upper() for t in types.split(",") if t.strip()]
    bad = [t for t in wanted if t not in ENTITY_TYPES]
    if bad:
        _fail(f"--types: unknown type(s) {', '.join(bad)}; choose from {', '.join(ENTITY_TYPES)}")
    return wanted


@app.command()
def build(
    inputs: Annotated[list[Path], typer.Argument(
        help="Files, folders (read recursively) or glob patterns to read.",
        show_default=False)],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created).")] =
        Path("output"),
    min_weight: Annotated[int, typer.Option(
        "--min-weight", min=1, help="Keep edges seen in at least this many paragraphs.")] = 1,
    types: Annotated[str | None, typer.Option(
        "--types", help="Comma-separated entity types to keep, e.g. PER,ORG "
                        "(default: PER,LOC,ORG,MISC).")] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="Force the input format instead of detecting it.")] = None,
    size_by: Annotated[str, typer.Option(
        "--size-by", help="Centrality that sizes nodes in graph.html.")] = "pagerank",
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit with code 1 if any warning was raised.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Read documents, resolve entities, count co-occurrence per paragraph and write
    graph.graphml, graph.html, nodes.csv, edges.csv, mentions.csv, documents.csv,
    resolution.csv, warnings.csv and report.md into the output folder.

    Edges: two entities are linked when they are mentioned in the same paragraph; weight =
    number of distinct paragraphs, documents = number of distinct documents. Mentions in the
    header (TAGS, REF, E.O. lines) and the signature are recorded but create no edges.
    """
    from .pipeline import build as run_build

    type_list = _parse_types(types)
    diagnostics = Diagnostics()
    try:
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("parsing documents", total=None)
            eg = run_build([str(p) for p in inputs], min_weight=min_weight, types=type_list,
                           fmt=fmt, diagnostics=diagnostics,
                           progress=lambda: bar.advance(task))
        paths = eg.export(out_dir, size_by=size_by)
    except InputError as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc))
    except OSError as exc:
        if debug:
            traceback.print_exc()
        _fail(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}")
    _print_problems(diagnostics)
    _print_summary(eg, paths, out_dir)
    if strict and diagnostics.warnings:
        _fail(f"{len(diagnostics.warnings)} warning(s) and --strict given", code=1)


def _print_problems(diagnostics: Diagnostics, limit: int = 20) -> None:
    for p in diagnostics.problems[:limit]:
        style = "yellow" if p.severity == "warning" else "dim"
        err.print(escape(str(p)), style=style, highlight=False, soft_wrap=True)
    if len(diagnostics.problems) > limit:
        err.print(f"... and {len(diagnostics.problems) - limit} more in warnings.csv")


def _print_summary(eg, paths: dict, out_dir: Path) -> None:
    table = Table(title="graphbuild", show_header=False)
    for k, v in eg.summary().items():
        table.add_row(k, f"{v:,}")
    table.add_row("warnings", f"{len(eg.diagnostics.warnings):,}")
    out.print(table)
    out.print(f"wrote {len(paths)} files to [bold]{out_dir}/[/]: " + ", ".join(paths))


# --- explorer commands: read a built output folder, never re-parse -------------------------
InDir = Annotated[Path, typer.Option(
    "--in", help="Output folder written by `graphbuild build` (read, not re-parsed).")]


def _load(in_dir: Path):
    from .store import load

    try:
        return load(in_dir)
    except InputError as exc:
        _fail(str(exc))


def _query(fn, *args, **kwargs):
    """Run a query; unknown names and other user errors exit 2 with one line."""
    from .query import NoPath

    try:
        return fn(*args, **kwargs)
    except NoPath as exc:
        _fail(str(exc), code=1)
    except InputError as exc:
        _fail(str(exc))


def _highlighted(text: str, surfaces) -> str:
    from .query import highlight_spans

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
) -> None:
    """The entities that co-occur with ENTITY, strongest first (weight = paragraphs)."""
    from .query import match_entity
    from .query import neighbors as run_neighbors

    eg = _load(in_dir)
    frame = _query(run_neighbors, eg, entity, by=by)
    eid = match_entity(eg.entities, entity)
    label = eg.entities.set_index("entity_id").loc[eid, "label"]
    table = Table(title=escape(f"{label} [{eid}]: {len(frame)} neighbours"))
    cols = ["id", *frame.columns]
    for c in cols:
        table.add_column(c, justify="right" if c not in ("id", "label", "type") else "left")
    for eid_, row in frame.head(limit).iterrows():
        table.add_row(escape(str(eid_)), *[escape(_cell(v)) for v in row.tolist()])
    out.print(table)
    if len(frame) > limit:
        out.print(f"... {len(frame) - limit} more (--limit)")


def _cell(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return "" if v is None else str(v)


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
) -> None:
    """Shortest and strongest paths between two entities, with the evidence of each hop.

    Shortest = fewest hops (ties: the strongest of them). Strongest = least total distance,
    a hop costing 1/weight (a pair seen together in 4 paragraphs is 4 times closer).
    """
    from .query import PATH_KINDS, snippet
    from .query import evidence as run_evidence
    from .query import path as run_path

    kinds = PATH_KINDS if kind == "both" else (kind,)
    if kind != "both" and kind not in PATH_KINDS:
        _fail(f"--kind must be shortest, strongest or both, not {kind!r}")
    eg = _load(in_dir)
    for k in kinds:
        hops = _query(run_path, eg, source, target, kind=k, weight=weight)
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
) -> None:
    """The paragraphs in which two entities are mentioned together, with their text."""
    from .query import evidence as run_evidence
    from .query import match_entity

    eg = _load(in_dir)
    ev = _query(run_evidence, eg, source, target, limit=limit)
    labels = eg.entities.set_index("entity_id")["label"]
    a, b = match_entity(eg.entities, source), match_entity(eg.entities, target)
    if ev.empty:
        _fail(f"{labels[a]} and {labels[b]} are never mentioned in the same paragraph", code=1)
    out.print(f"[bold]{escape(str(labels[a]))} — {escape(str(labels[b]))}[/]: "
              f"{len(ev)} paragraph(s)\n")
    for row in ev.itertuples(index=False):
        head = f"{row.doc_id}:¶{row.paragraph}"
        subject = getattr(row, "subject", None)
        if isinstance(subject, str) and subject:
            head += f"  {subject}"
        out.print(f"[cyan]{escape(head)}[/]")
        text = str(row.text) if isinstance(row.text, str) else ""
        out.print(_highlighted(text, row.surfaces) + "\n", soft_wrap=True)


@app.command()
def ego(
    entity: Annotated[str, typer.Argument(help="Centre entity (id, label or alias).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the sub-graph.")],
    in_dir: InDir = Path("output"),
    radius: Annotated[int, typer.Option("--radius", "-r", min=0,
                                        help="Hops from the centre.")] = 1,
) -> None:
    """Export the sub-graph around ENTITY: graph.graphml, graph.html, nodes.csv, edges.csv
    and evidence.csv (measures keep their whole-graph values)."""
    from .query import write_ego

    if out_dir.resolve() == in_dir.resolve():
        _fail(f"-o {out_dir} is the --in folder: the sub-graph would overwrite the whole "
              "graph's files; choose another folder")
    eg = _load(in_dir)
    try:
        paths = _query(write_ego, eg, entity, out_dir, radius=radius)
    except OSError as exc:
        _fail(f"{getattr(exc, 'filename', '') or out_dir}: {exc.strerror or exc}")
    out.print(f"wrote {len(paths)} files to [bold]{escape(str(out_dir))}/[/]: "
              + ", ".join(paths))


@app.command()
def report(
    in_dir: InDir = Path("output"),
    out_dir: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder for report.md and report.html (default: the --in folder).")
    ] = None,
) -> None:
    """Write report.md and report.html again from a built folder (no re-parsing)."""
    from .exporters.report import write_reports

    eg = _load(in_dir)
    target = out_dir or in_dir
    try:
        target.mkdir(parents=True, exist_ok=True)
        paths = write_reports(eg, target)
    except OSError as exc:
        _fail(f"{getattr(exc, 'filename', '') or target}: {exc.strerror or exc}")
    out.print(f"wrote {', '.join(paths)} to [bold]{escape(str(target))}/[/]")


def main() -> None:
    """Console-script entry point: user mistakes exit 2 with one line, no traceback."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
