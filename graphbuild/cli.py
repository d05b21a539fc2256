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
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
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
    engine: Annotated[str, typer.Option(
        "--engine", help="Where reading/extraction/counting run: 'local' (all cores of this "
                         "machine) or 'dask' (a Dask cluster, see --scheduler). Same tables "
                         "either way.")] = "local",
    workers: Annotated[int, typer.Option(
        "--workers", min=0, help="Worker processes (0 = one per core).")] = 0,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786 "
                            "(with --engine dask; default: a local cluster).")] = None,
    build_dir: Annotated[Path | None, typer.Option(
        "--build-dir", help="Keep parsed chunks and a manifest of input hashes here; a "
                            "rebuild re-reads only new or changed files.")] = None,
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
                           progress=lambda: bar.advance(task), engine=engine,
                           workers=workers or None, scheduler=scheduler,
                           build_dir=build_dir)
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


def main() -> None:
    """Console-script entry point: user mistakes exit 2 with one line, no traceback."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
