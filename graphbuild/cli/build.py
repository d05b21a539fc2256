"""``graphbuild build`` and ``graphbuild annotate``: read documents, write a folder."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from graphbuild.cli.common import (
    ENGINES,
    Debug,
    Format,
    Model,
    NoCache,
    NProcess,
    _fail,
    _one_line,
    _parse_types,
    app,
    err,
    escape,
    out,
)
from graphbuild.cli.progress import StageProgress
from graphbuild.core.diagnostics import Diagnostics, InputError


@app.command()
def build(
    inputs: Annotated[list[Path], typer.Argument(
        help="Files, folders (read recursively) or glob patterns to read.",
        show_default=False)],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created).")] =
        Path("output"),
    min_weight: Annotated[int, typer.Option(
        "--min-weight", min=1, help="Keep edges seen in at least this many units "
                                    "(paragraphs by default, see --unit).")] = 1,
    types: Annotated[str | None, typer.Option(
        "--types", help="Comma-separated entity types to keep, e.g. PER,ORG "
                        "(default: PER,LOC,ORG,MISC).")] = None,
    fmt: Format = None,
    size_by: Annotated[str, typer.Option(
        "--size-by", help="Centrality that sizes nodes in graph.html (and picks which "
                          "nodes it shows): pagerank, degree, strength, betweenness, "
                          "closeness, eigenvector, mentions or documents.")] = "pagerank",
    max_nodes: Annotated[int, typer.Option(
        "--max-nodes", min=0, help="graph.html shows at most this many entities, the highest "
                                   "by --size-by, and says what it left out (0: all).")] = 400,
    full_graph: Annotated[bool, typer.Option(
        "--full-graph", help="graph.html shows every entity (same as --max-nodes 0).")] = False,
    csv_max_rows: Annotated[int, typer.Option(
        "--csv-max-rows", min=0, help="A table of more rows gets no CSV file, only its "
                                      "Parquet file (the default is the most a spreadsheet "
                                      "opens; 0: write every CSV).")] = 1_048_576,
    aliases: Annotated[Path | None, typer.Option(
        "--aliases", help="Your aliases file (TOML or CSV: canonical name, type, aliases; "
                          "plus an exclude list). It wins over every automatic rule.",
        show_default=False)] = None,
    judgements: Annotated[Path | None, typer.Option(
        "--judgements", help="Your decisions (TOML: merge, distinct, split, exclude, "
                             "retype), as review.html downloads them or `graphbuild merge` "
                             "writes them; replayed over every rule.",
        show_default=False)] = None,
    link_demonyms: Annotated[bool, typer.Option(
        "--link-demonyms", help="Link demonyms to their country (Swedish -> Sweden, "
                                "Venezuelan -> Venezuela).")] = False,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit with code 1 if any warning was raised (the outputs are "
                         "still written).")] = False,
    debug: Debug = False,
    model: Model = None,
    no_ner: Annotated[bool, typer.Option(
        "--no-ner", help="Do not run NER: raw documents are read with 0 mentions.")] = False,
    n_process: NProcess = 1,
    no_cache: NoCache = False,
    gazetteer: Annotated[Path | None, typer.Option(
        "--gazetteer", help="CSV/TSV of known names (columns alias or label, and type) that "
                            "NER must find in raw documents, e.g. your aliases file.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Keep documents created on or after this ISO date (2009, 2009-06, "
                        "2009-06-25).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Keep documents created on or before this ISO date.")] = None,
    origin: Annotated[list[str] | None, typer.Option(
        "--origin", help="Keep documents whose origin contains this text, e.g. Caracas "
                         "(repeatable: any).")] = None,
    tag: Annotated[list[str] | None, typer.Option(
        "--tag", help="Keep documents with this TAGS code, e.g. PREL (repeatable: any).")]
        = None,
    classification: Annotated[list[str] | None, typer.Option(
        "--classification", help="Keep documents of this classification; SECRET also keeps "
                                 "SECRET//NOFORN (repeatable: any).")] = None,
    unit: Annotated[str, typer.Option(
        "--unit", help="Unit of co-occurrence: paragraph, sentence, window:K (K tokens, "
                       "sliding) or document.")] = "paragraph",
    weight: Annotated[str, typer.Option(
        "--weight", help="Edge column driving layout, centrality and the backbone: weight "
                         "(units together), npmi, jaccard or dice.")] = "weight",
    min_mentions: Annotated[int, typer.Option(
        "--min-mentions", min=1, help="Keep entities mentioned at least this often.")] = 1,
    keep_isolated: Annotated[bool, typer.Option(
        "--keep-isolated", help="Keep entities that share no paragraph with another in the "
                                "graph (left out by default; mentions.csv has them).")
    ] = False,
    top: Annotated[int | None, typer.Option(
        "--top", min=1, help="Keep only the N most central entities (see --top-by).")] = None,
    top_by: Annotated[str, typer.Option(
        "--top-by", help="Centrality ranking --top: degree, strength, betweenness, closeness, "
                         "harmonic, eigenvector or pagerank.")] = "pagerank",
    k_core: Annotated[int | None, typer.Option(
        "--k-core", min=1, help="Keep the K-core (entities with at least K neighbours "
                                "inside it).")] = None,
    ego: Annotated[str | None, typer.Option(
        "--ego", help="Keep only the neighbourhood of this entity (id, label or alias).")] = None,
    radius: Annotated[int, typer.Option(
        "--radius", min=1, help="Hops around --ego.")] = 1,
    backbone: Annotated[str | None, typer.Option(
        "--backbone", help="Keep the statistically significant edges: disparity "
                           "(Serrano et al. 2009).")] = None,
    alpha: Annotated[float, typer.Option(
        "--alpha", min=0.0, max=1.0, help="Significance level of --backbone; each edge keeps "
                                          "its alpha.")] = 0.05,
    community_method: Annotated[str, typer.Option(
        "--communities", help="Community detection: louvain (seeded), leiden (needs "
                              "leidenalg) or none.")] = "louvain",
    period: Annotated[str | None, typer.Option(
        "--period", help="Per-period graphs from document dates: year or month "
                         "(adds time spells to graph.gexf).")] = None,
    color_by: Annotated[str, typer.Option(
        "--color-by", help="Colour graph.gexf nodes by type or community.")] = "type",
    seed: Annotated[int, typer.Option(
        "--seed", help="Seed of Louvain/Leiden, sampled betweenness and the layout.")] = 42,
    stability: Annotated[int, typer.Option(
        "--stability", min=0, help="Resample the documents N times (bootstrap) and report "
                                   "each top entity's 95% rank interval.")] = 0,
    engine: Annotated[str | None, typer.Option(
        "--engine", help="Where reading/extraction/counting run: 'local' (all cores of this "
                         "machine) or 'dask' (a Dask cluster, see --scheduler). Same tables "
                         "either way. Default: this process.")] = None,
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
    graph.html, brief.html/brief.md, report.html/report.md, graph.graphml, graph.gexf,
    nodes.csv, edges.csv, mentions.csv, documents.csv, resolution.csv, warnings.csv and the
    Parquet tables into the output folder.

    Edges: two entities are linked when mentioned in the same paragraph; weight = distinct
    paragraphs, documents = distinct documents. Header (TAGS, REF, E.O.) and signature
    mentions are recorded but create no edges. Entities that share no paragraph with another
    are left out of the graph (mentions.csv keeps them; --keep-isolated keeps them in it).

    Raw cables: the routing block, REF, Classified By and the signer become documents.csv
    columns, never names; NER reads the SUBJECT line and the body with markings, paragraph
    numbers and redactions blanked (counted per paragraph: "source protected" in evidence).

    Resolution: markings (S/NF, SBU), routing codes, redactions, numbers, header fields (DECL),
    reference labels (Ref A), dates and bare titles (DCM) are dropped (kept in mentions.csv
    with the reason); abbreviations defined in the text (Government of Venezuela ( GOV )),
    titles (FM, DCM), full names and surnames of one person and case variants are merged;
    each name gets one type; resolution.csv says what happened to every form and why.

    Problems in the input are warnings (warnings.csv, with file:line:column); the
    reconciliation (annotations found = kept + dropped, files found = read + skipped) is
    printed and written to reconciliation.csv. The output folder is replaced as a whole
    only once every file is written. Exit codes: 0 done, 1 warnings with --strict,
    2 a problem with the input or options, 3 an internal error.
    """
    from graphbuild.core.files import check_output_dir
    from graphbuild.export.folder import export_folder
    from graphbuild.pipeline import build as run_build
    from graphbuild.read import READERS
    from graphbuild.read.filters import DocumentFilter

    type_list = _parse_types(types)
    if engine is not None and engine not in ENGINES:
        _fail(f"--engine: unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if fmt is not None and fmt not in READERS:
        _fail(f"--format: unknown format {fmt!r}; choose from {', '.join(sorted(READERS))}")
    analysis = _analysis_options(unit, weight, top_by, backbone, community_method, period,
                                 color_by)
    analysis.update(min_mentions=min_mentions, top=top, k_core=k_core, ego=ego, radius=radius,
                    alpha=alpha, seed=seed, keep_isolated=keep_isolated, stability=stability)
    from graphbuild.export.html import SIZE_BY

    if size_by not in SIZE_BY:
        _fail(f"--size-by: unknown measure {size_by!r}; choose from {', '.join(SIZE_BY)}")
    diagnostics = Diagnostics()
    try:
        check_output_dir(out_dir, inputs)
    except ValueError as exc:
        _fail(str(exc))
    try:
        doc_filter = DocumentFilter(since, until, origin or [], tag or [],
                                    classification or [])
        with StageProgress(err) as shown:
            recognizer = None
            if not no_ner:
                recognizer = _recognizer(model, n_process, no_cache, diagnostics, shown)
            if recognizer is not None and gazetteer is not None:
                from graphbuild.extract.ner import gazetteer_from_file

                recognizer.add_gazetteer(gazetteer_from_file(gazetteer))
            eg = run_build([str(p) for p in inputs], min_weight=min_weight, types=type_list,
                           fmt=fmt, diagnostics=diagnostics,
                           progress=shown,
                           aliases=str(aliases) if aliases else None,
                           link_demonyms=link_demonyms, recognizer=recognizer,
                           doc_filter=doc_filter if doc_filter.active else None,
                           engine=engine, workers=workers or None, scheduler=scheduler,
                           build_dir=build_dir, judgements=judgements, **analysis)
            shown.stage("writing files")
            paths, written_settings = export_folder(
                eg, out_dir, size_by=size_by, color_by=color_by,
                max_nodes=None if full_graph or max_nodes == 0 else max_nodes,
                csv_max_rows=csv_max_rows or None)
    except InputError as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc))
    except OSError as exc:
        if debug:
            traceback.print_exc()
        where = getattr(exc, "filename", "") or ""
        _fail(f"{where}: {exc.strerror or exc}" if where else str(exc.strerror or exc))
    except MemoryError:
        if debug:
            traceback.print_exc()
        _fail("out of memory (try fewer or smaller inputs)", code=3)
    except Exception as exc:   # a bug: one line, the traceback only with --debug
        if debug:
            traceback.print_exc()
        _fail(f"internal error: {type(exc).__name__}: {_one_line(str(exc))} "
              "(run with --debug for the traceback)", code=3)
    _print_problems(diagnostics)
    _print_summary(eg, paths, out_dir, written_settings)
    _print_reconciliation(eg)
    if strict and diagnostics.warnings:
        _fail(f"{len(diagnostics.warnings)} warning(s) and --strict given", code=1)


@app.command()
def annotate(
    inputs: Annotated[list[Path], typer.Argument(
        help="Files, folders or glob patterns of raw (or annotated) documents.",
        show_default=False)],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder (created).")] =
        Path("annotated"),
    fmt: Format = None,
    model: Model = None,
    n_process: NProcess = 1,
    no_cache: NoCache = False,
    debug: Debug = False,
) -> None:
    """Write each document as <doc_id>.txt with its mentions inline ([PER Uribe  ]), NER
    finding those of raw documents, plus documents.csv. Correct the files by hand and
    `graphbuild build` the folder: it reads back to the same mention table."""
    from graphbuild.core.files import check_output_dir
    from graphbuild.engines import open_engine
    from graphbuild.export.annotated import write_annotated
    from graphbuild.extract import recognize
    from graphbuild.extract.ner import NerUnavailable
    from graphbuild.read import READERS

    if fmt is not None and fmt not in READERS:
        _fail(f"--format: unknown format {fmt!r}; choose from {', '.join(sorted(READERS))}")
    try:   # the same rule as build: never write where the next build reads
        check_output_dir(out_dir, inputs)
    except ValueError as exc:
        _fail(str(exc))
    diagnostics = Diagnostics()
    try:
        with StageProgress(err) as shown, open_engine("local", 1) as engine:
            corpus = engine.parse([str(p) for p in inputs], diagnostics, fmt, keep_text=True,
                                  progress=shown)
            recognizer = _recognizer(model, n_process, no_cache, diagnostics, shown)
            recognize(corpus, recognizer, diagnostics, keep_text=True)
        paths = write_annotated(corpus, out_dir, diagnostics)
    except (InputError, NerUnavailable, OSError) as exc:
        if debug:
            traceback.print_exc()
        _fail(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}"
              if isinstance(exc, OSError) else str(exc))
    _print_problems(diagnostics)
    n_mentions = int(corpus.mentions["status"].eq("kept").sum())
    out.print(f"wrote {len(paths)} annotated documents ({n_mentions:,} mentions) and "
              f"documents.csv to [bold]{escape(str(out_dir))}/[/]")


def _recognizer(model: str | None, n_process: int, no_cache: bool, diagnostics: Diagnostics,
                shown: StageProgress):
    """The NER recognizer for raw documents, or ``None`` with a warning when spaCy or a
    model is missing (a model named with ``--model`` that is missing is an error)."""
    from graphbuild.extract.ner import auto_recognizer

    recognizer, why = auto_recognizer(model, n_process=n_process, use_cache=not no_cache,
                                      progress=shown)
    if recognizer is None:
        diagnostics.warn("ner-unavailable", f"NER is off: {why}")
        err.print(f"[yellow]warning:[/] NER is off, raw documents get 0 mentions: "
                  f"{escape(why)}", highlight=False)
    return recognizer
def _print_reconciliation(eg) -> None:
    from graphbuild.resolve.reconcile import describe

    for line in describe(eg.reconciliation()):   # folded to the terminal's width
        out.print(escape(line), highlight=False)
    replay = eg.settings.get("judgements")
    if replay:
        stale = len(replay["stale"])
        out.print(escape(f"judgements: {replay['applied']:,} applied from {replay['file']}"
                         + (f", {stale:,} stale (matching nothing; see warnings.csv)"
                            if stale else "")), highlight=False)
def _analysis_options(unit: str, weight: str, top_by: str, backbone: str | None,
                      community_method: str, period: str | None, color_by: str) -> dict:
    """Check the analysis options up front (exit 2 with the accepted values)."""
    from graphbuild.count.cooccur import WEIGHT_COLUMNS, parse_unit
    from graphbuild.graph import BACKBONES
    from graphbuild.measures.centrality import MEASURES
    from graphbuild.measures.timeline import PERIODS

    try:
        parse_unit(unit)
    except ValueError as exc:
        _fail(f"--unit: {exc}")
    checks = [("--weight", weight, WEIGHT_COLUMNS), ("--top-by", top_by, MEASURES),
              ("--backbone", backbone, BACKBONES),
              ("--communities", community_method, ("louvain", "leiden", "none")),
              ("--period", period, PERIODS), ("--color-by", color_by, ("type", "community"))]
    for name, value, allowed in checks:
        if value is not None and value not in allowed:
            _fail(f"{name}: unknown value {value!r}; choose from {', '.join(allowed)}")
    return {"unit": unit, "weight": weight, "top_by": top_by, "backbone": backbone,
            "community_method": None if community_method == "none" else community_method,
            "period": period}


def _print_problems(diagnostics: Diagnostics, limit: int = 20) -> None:
    for first, n in (groups := diagnostics.grouped())[:limit]:   # one line per kind
        err.print(escape(str(first)) + (f"  (+{n - 1} more {first.code})" if n > 1 else ""),
                  style="yellow" if first.severity == "warning" else "dim", highlight=False,
                  soft_wrap=True)
    if len(groups) > limit:
        err.print(f"... and {len(groups) - limit} more kinds of problem in warnings.csv")


def _print_summary(eg, paths: dict, out_dir: Path, settings: dict) -> None:
    table = Table(title="graphbuild", show_header=False)
    for k, v in eg.summary().items():
        table.add_row(k, f"{v:,}")
    for key, row in (("mentions_from", "mentions from"), ("engine", "engine")):
        if settings.get(key):
            table.add_row(row, escape(str(settings[key])))
    notices = sum(p.severity != "warning" for p in eg.diagnostics.problems)
    table.add_row("warnings / notices", f"{len(eg.diagnostics.warnings):,} / {notices:,}")
    out.print(table)
    main = [n for n in ("graph.html", "brief.html", "report.html", "graph.graphml")
            if n in paths]
    out.print(f"wrote {len(paths)} files to [bold]{escape(str(out_dir))}/[/]: open "
              f"{', '.join(main)} (all: {', '.join(n for n in paths if n not in main)})")
    if settings.get("csv_skipped"):
        out.print(f"not written: {escape(settings['csv_skipped'])}")
