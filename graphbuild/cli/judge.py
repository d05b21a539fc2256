"""``graphbuild merge|distinct|split|exclude|retype`` and ``graphbuild review``: the
analyst's decisions about entities, appended to the judgements file ``build
--judgements`` replays (:mod:`graphbuild.resolve.judgements`)."""

from __future__ import annotations

import getpass
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from graphbuild.cli.common import InDir, _fail, _load, _query, app, escape, out

JudgementsFile = Annotated[Path, typer.Option(
    "--judgements", "-j", help="The judgements file to append to (created; the file "
                               "`graphbuild build --judgements` reads).")]
Docs = Annotated[list[str] | None, typer.Option(
    "--docs", help="Only in these documents (repeatable, or comma-separated ids).")]
Why = Annotated[str | None, typer.Option("--why", help="Why (kept in the file).")]
By = Annotated[str | None, typer.Option("--by", help="Who decides (default: your login).")]

HEADER = ("# graphbuild judgements: an analyst's decisions about entities.\n"
          "# `graphbuild build ... --judgements THIS_FILE` replays them over every "
          "automatic rule.\n")


def _docs(docs: list[str] | None) -> list[str] | None:
    ids = [d.strip() for item in docs or [] for d in item.split(",") if d.strip()]
    return ids or None


def _record(kind: str, names: list[str], in_dir: Path, file: Path, *, docs=None,
            label=None, etype=None, by=None, why=None) -> None:
    from graphbuild.core.files import atomic_write
    from graphbuild.core.names import match_entity
    from graphbuild.resolve.judgements import Judgement, judgement_toml, parse_judgements

    eg = _load(in_dir)
    ids = [_query(match_entity, eg.entities, n, eg.resolution) for n in names]
    if kind == "merge" and len(set(ids)) < len(ids):
        _fail(f"{' and '.join(map(repr, names))} are already one entity ({ids[0]})")
    docs = _docs(docs)
    if docs:
        known = set(eg.documents["doc_id"].astype(str))
        unknown = [d for d in docs if d not in known]
        if unknown:
            _fail(f"--docs: no document {', '.join(map(repr, unknown[:5]))} in {in_dir}")
    try:
        by = by or getpass.getuser()
    except (KeyError, OSError):
        by = None
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    j = Judgement(kind, names, "", label=label, type=etype, docs=docs, by=by, when=when,
                  why=why)
    old = ""
    if file.exists():
        try:
            old = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{file}: cannot read ({exc})")
    text = (old or HEADER) + judgement_toml(j)
    _query(parse_judgements, text, str(file))      # the file stays one that builds read
    try:
        atomic_write(file, text)
    except OSError as exc:
        _fail(f"{file}: {exc.strerror or exc}")
    line = text.count("\n", 0, text.rindex(f"[[{kind}]]")) + 1
    out.print(escape(f"{file}:{line}: {j.summary()}"), highlight=False)


@app.command()
def merge(names: Annotated[list[str], typer.Argument(help="Two or more entity names.")],
          judgements: JudgementsFile = Path("judgements.toml"), in_dir: InDir = Path("output"),
          label: Annotated[str | None, typer.Option("--label", help="Name of the merged "
                                                    "entity (default: the first).")] = None,
          docs: Docs = None, why: Why = None, by: By = None) -> None:
    """Record that NAMES are one entity (everywhere, or only in --docs)."""
    if len(names) < 2:
        _fail("merge needs two or more names")
    _record("merge", names, in_dir, judgements, docs=docs, label=label, by=by, why=why)


@app.command()
def distinct(names: Annotated[list[str], typer.Argument(help="Two or more names.")],
             judgements: JudgementsFile = Path("judgements.toml"),
             in_dir: InDir = Path("output"), why: Why = None, by: By = None) -> None:
    """Record that NAMES are different entities: an automatic merge of them is undone,
    and a merge that would join them is an error."""
    if len(names) < 2:
        _fail("distinct needs two or more names")
    _record("distinct", names, in_dir, judgements, by=by, why=why)


@app.command()
def split(name: Annotated[str, typer.Argument(help="The entity to split.")],
          docs: Annotated[list[str], typer.Option(
              "--docs", help="Its mentions in these documents become another entity.")],
          judgements: JudgementsFile = Path("judgements.toml"), in_dir: InDir = Path("output"),
          label: Annotated[str | None, typer.Option("--label", help="Name of the new "
                                                    "entity.")] = None,
          why: Why = None, by: By = None) -> None:
    """Record that NAME's mentions in --docs are another entity (--label)."""
    _record("split", [name], in_dir, judgements, docs=docs, label=label, by=by, why=why)


@app.command()
def exclude(name: Annotated[str, typer.Argument(help="Not an entity.")],
            judgements: JudgementsFile = Path("judgements.toml"),
            in_dir: InDir = Path("output"), docs: Docs = None, why: Why = None,
            by: By = None) -> None:
    """Record that NAME is not an entity (everywhere, or only in --docs)."""
    _record("exclude", [name], in_dir, judgements, docs=docs, by=by, why=why)


@app.command()
def retype(name: Annotated[str, typer.Argument(help="The entity.")],
           new_type: Annotated[str, typer.Argument(metavar="TYPE",
                                                   help="PER, ORG, LOC or MISC.")],
           judgements: JudgementsFile = Path("judgements.toml"),
           in_dir: InDir = Path("output"), why: Why = None, by: By = None) -> None:
    """Record that NAME is of type TYPE."""
    from graphbuild.core.types import ENTITY_TYPES

    if new_type.upper() not in ENTITY_TYPES:
        _fail(f"unknown type {new_type!r}; use one of {', '.join(ENTITY_TYPES)}")
    _record("retype", [name], in_dir, judgements, etype=new_type.upper(), by=by, why=why)


@app.command()
def review(in_dir: InDir = Path("output"),
           out_file: Annotated[Path | None, typer.Option(
               "--out", "-o", help="The page (default: review.html in the --in folder).")]
           = None,
           limit: Annotated[int, typer.Option(
               "--limit", min=1, help="Candidates of each kind, highest impact first.")] = 60,
           ) -> None:
    """Write review.html: candidate merges, junk, type conflicts and splits, ranked by how
    much each would change the graph, to accept, reject or edit; the page downloads the
    decisions as a judgements file."""
    from graphbuild.export.review import write_review

    t = time.perf_counter()
    eg = _load(in_dir)
    target = out_file or in_dir / "review.html"
    try:
        path, counts = write_review(eg, target, limit=limit)
    except OSError as exc:
        _fail(f"{getattr(exc, 'filename', '') or target}: {exc.strerror or exc}")
    kinds = ", ".join(f"{n:,} {k}" for k, n in counts.items())
    out.print(escape(f"{kinds} candidates in {time.perf_counter() - t:.1f} s"))
    out.print(f"wrote [bold]{escape(str(path))}[/]")
