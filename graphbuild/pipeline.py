"""The whole flow, read -> segment -> extract -> resolve -> count -> graph -> measure, as one
function (:func:`build`) returning an :class:`~graphbuild.entity_graph.EntityGraph` that
holds every table (export is :meth:`EntityGraph.export`).

The CLI and the notebook API are thin layers over this module; each step below is a plain
function of the stage that owns it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.core.memory import release_memory
from graphbuild.core.progress import stage
from graphbuild.count import cooccurrence
from graphbuild.engines import Engine, EngineStats, open_engine
from graphbuild.entity_graph import EntityGraph
from graphbuild.extract import CorpusTables, Recognizer, filter_documents, recognize
from graphbuild.graph import filter_tables, keep_top
from graphbuild.measures.arrays import ArrayGraph
from graphbuild.measures.centrality import betweenness_note, centralities
from graphbuild.measures.communities import (
    COMMUNITY_METHODS,
    BackgroundCommunities,
    communities,
)
from graphbuild.measures.stability import bootstrap_ranks
from graphbuild.measures.summary import community_summary
from graphbuild.measures.timeline import timeline
from graphbuild.read.filters import DocumentFilter
from graphbuild.resolve import UserAliases, load_aliases, resolve
from graphbuild.resolve.dates import seen_dates
from graphbuild.resolve.judgements import Judgements, load_judgements
from graphbuild.resolve.reconcile import check, reconciliation_table, warn_later_drops
from graphbuild.resolve.replay import apply_judgements
from graphbuild.segment import EDGE_SECTIONS

__all__ = ["build", "build_from_tables"]

#: from this many edges on, the communities are detected in a forked child while this
#: process computes the centralities (a fork costs more than a small graph's Louvain)
BACKGROUND_MIN_EDGES = 100_000


def build_from_tables(corpus: CorpusTables, diagnostics: Diagnostics | None = None,
                      min_weight: int = 1, types: Sequence[str] | None = None,
                      sections: Sequence[str] = EDGE_SECTIONS,
                      aliases: UserAliases | str | os.PathLike[str] | None = None,
                      link_demonyms: bool = False, *, unit: str = "paragraph",
                      weight: str = "weight", min_mentions: int = 1, top: int | None = None,
                      top_by: str = "pagerank", k_core: int | None = None,
                      ego: str | None = None, radius: int = 1, backbone: str | None = None,
                      alpha: float = 0.05, keep_isolated: bool = False,
                      community_method: str | None = "louvain",
                      period: str | None = None, seed: int = 42, consume: bool = False,
                      engine: Engine | None = None, progress: Any = None,
                      judgements: Judgements | str | os.PathLike[str] | None = None,
                      stability: int = 0) -> EntityGraph:
    """Resolve, count, filter and measure already parsed corpus tables.

    Parameters
    ----------
    corpus : CorpusTables
        The parsed corpus (:func:`graphbuild.parse_corpus`, or an engine's parse).
    diagnostics : Diagnostics, optional
        Collects the problems found.
    min_weight, types, min_mentions, k_core, ego, radius, backbone, alpha, keep_isolated
        The filters of :func:`graphbuild.graph.filter_tables`, in that order (entities
        without an edge are left out of the graph unless ``keep_isolated``).
    sections : sequence of str
        Sections whose mentions make edges.
    aliases : UserAliases or path, optional
        The user's aliases file (TOML/CSV), for :func:`graphbuild.resolve`.
    judgements : Judgements or path, optional
        The analyst's decisions (merge, distinct, split, exclude, retype), replayed after
        the automatic resolution and over it (:mod:`graphbuild.resolve.replay`).
    link_demonyms : bool
        Join demonyms to their country (Swedish -> Sweden).
    unit, weight : str
        The unit of co-occurrence and the edge column that drives the measures
        (:mod:`graphbuild.count`).
    top, top_by
        Keep the ``top`` entities ranked highest by the measure ``top_by`` (last filter).
    community_method : str or None
        ``louvain``, ``leiden`` or ``None``.
    period : str, optional
        ``year`` or ``month``: adds the per-period timeline.
    seed : int
        Seed of Louvain/Leiden, the sampled measures and the layout.
    consume : bool
        Hand ``corpus`` over (what :func:`build` does with the tables it parsed): its
        mentions table becomes the resolved one as soon as resolution ends, so the columns
        resolution replaced are freed instead of living on beside them.
    engine : Engine, optional
        The engine of the session: a distributed one counts pairs on its workers.
    progress : object, optional
        Told each stage as it begins, when it has a ``stage(name)`` method
        (:mod:`graphbuild.core.progress`).
    stability : int
        Bootstrap resamples of the documents whose rank intervals go in the ``stability``
        table (:mod:`graphbuild.measures.stability`); 0 for none.

    Returns
    -------
    EntityGraph
        Every table of the build.

    Raises
    ------
    InputError
        For a bad option (unknown unit, weight, entity...).

    Examples
    --------
    >>> import graphbuild as gb
    >>> corpus = gb.parse_corpus(gb.read_text("¶1. [PER Ana  ] met [PER Bo  ].", "d"))
    >>> build_from_tables(corpus).edges[["source", "target", "weight"]].values.tolist()
    [['ana', 'bo', 1]]
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    stage(progress, "resolving")
    res = resolve(corpus.mentions, corpus.paragraphs, documents=corpus.documents,
                  aliases=aliases, link_demonyms=link_demonyms)
    replayed = None
    if judgements is not None:
        if not isinstance(judgements, Judgements):
            judgements = load_judgements(judgements)
        res, replayed = apply_judgements(res, judgements, corpus.documents)
        diagnostics.extend(replayed.problems)
    if consume:
        corpus.mentions = res.mentions
    # each stage's temporaries go back to the system before the next stage's peak
    release_memory()
    timings["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    stage(progress, "counting pairs")
    distributed = engine is not None and engine.distributed
    try:
        co = cooccurrence(res.mentions, sections, unit, corpus.paragraphs,
                          mapper=engine.map if distributed else None,
                          blocks=engine.blocks if distributed else 1)
        ents, edges, removed = filter_tables(
            res.entities, co.edges, min_weight=min_weight, types=types,
            min_mentions=min_mentions, k_core=k_core, ego=ego, radius=radius,
            backbone=backbone, alpha=alpha, weight=weight, keep_isolated=keep_isolated)
        if top is not None and top > 0:
            scores = centralities(ArrayGraph.from_tables(ents, edges, weight), seed=seed,
                                  measures=[top_by])[top_by]
            ents, edges = keep_top(ents, edges, scores, top, top_by, removed)
    except (ValueError, LookupError) as exc:
        raise InputError(str(exc.args[0] if exc.args else exc)) from exc
    timings["count"] = time.perf_counter() - t
    release_memory()
    seen = seen_dates(res.mentions, corpus.documents)
    ents = ents.assign(first_seen=ents["entity_id"].map(seen["first_seen"]).fillna(""),
                       last_seen=ents["entity_id"].map(seen["last_seen"]).fillna(""))
    evidence = co.evidence
    if len(edges) < len(co.edges):
        # vectorised pair lookup: the evidence table can hold millions of rows
        keep = pd.MultiIndex.from_frame(edges[["source", "target"]])
        evidence = evidence[pd.MultiIndex.from_frame(evidence[["source", "target"]]).isin(keep)]
    t = time.perf_counter()
    stage(progress, "measuring")
    # one integer-array graph shared by the measures and the communities
    graph = ArrayGraph.from_tables(ents, edges, weight)
    if community_method is not None and community_method not in COMMUNITY_METHODS:
        raise InputError(f"unknown community method {community_method!r}; choose from "
                         + ", ".join(COMMUNITY_METHODS))
    background = None
    if community_method and len(edges) >= BACKGROUND_MIN_EDGES:
        # Louvain on the second core while this one computes the centralities
        background = BackgroundCommunities(graph, community_method, seed)
    cent = centralities(graph, seed=seed)
    timings["centrality"] = time.perf_counter() - t
    comm = pd.Series(dtype="int64")
    summary = pd.DataFrame()
    if community_method:
        t_comm = time.perf_counter()
        try:
            comm = (background.result() if background is not None else
                    communities(graph, community_method, seed=seed))
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        # with the background child: only the wait beyond the centralities
        timings["communities"] = time.perf_counter() - t_comm
        summary = community_summary(comm, cent, edges, ents, res.mentions, weight=weight)
    del graph
    release_memory()
    timings["analyse"] = time.perf_counter() - t
    tl = None
    if period:
        t = time.perf_counter()
        stage(progress, f"per {period}")
        try:
            tl = timeline(res.mentions, corpus.documents, period, co.unit, corpus.paragraphs,
                          sections, entities=list(ents["entity_id"]), seed=seed,
                          weight=weight)
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        if tl.undated:
            diagnostics.notice("undated", f"{len(tl.undated)} document(s) without a "
                               "created date are left out of the per-period graphs: "
                               + ", ".join(tl.undated[:5])
                               + (" ..." if len(tl.undated) > 5 else ""))
        timings["timeline"] = time.perf_counter() - t
    stable = pd.DataFrame()
    if stability and stability > 0:
        t = time.perf_counter()
        stage(progress, "bootstrap")
        stable = bootstrap_ranks(ents, edges, evidence, corpus.documents, cent, stability,
                                 seed=seed)
        timings["stability"] = time.perf_counter() - t
    settings = {"unit": co.unit, "units": co.n_units, "weight": weight, "seed": seed,
                "betweenness": betweenness_note(len(ents), seed, len(edges),
                                                cent.attrs.get("betweenness_stability")),
                "measures_engine": "igraph+scipy",
                "communities": community_method or "none", "period": period or "none"}
    if replayed is not None:
        settings["judgements"] = replayed.settings()
    if stability and stability > 0:
        settings["stability"] = (f"{stability} bootstrap resamples of the "
                                 f"{len(corpus.documents):,} documents (seed {seed}): "
                                 "95% rank intervals of " + ", ".join(
                                     sorted(set(stable["measure"])) if len(stable) else []))
    eg = EntityGraph(corpus.documents, corpus.paragraphs, res.mentions,
                     ents.reset_index(drop=True), edges.reset_index(drop=True),
                     evidence.reset_index(drop=True), cent, res.audit, diagnostics,
                     removed, timings, ambiguous=res.ambiguous, community=comm,
                     communities=summary, timeline=tl, settings=settings, stability=stable)
    if community_method:
        eg.communities_of = comm.copy()
    return eg


def build(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
          min_weight: int = 1, types: Sequence[str] | None = None, fmt: str | None = None,
          recognizer: Recognizer | None = None, diagnostics: Diagnostics | None = None,
          progress: Callable[[int], None] | None = None,
          aliases: UserAliases | str | os.PathLike[str] | None = None,
          link_demonyms: bool = False, doc_filter: DocumentFilter | None = None,
          engine: str | None = None, workers: int | None = None, scheduler: str | None = None,
          build_dir: str | os.PathLike[str] | None = None, stats: EngineStats | None = None,
          **analysis) -> EntityGraph:
    """Build the entity graph of files, folders or globs.

    Parameters
    ----------
    inputs : str, os.PathLike or iterable of them
        Files, folders (read recursively) or glob patterns.
    min_weight, types
        Keep edges seen in at least ``min_weight`` units, entities of these types.
    fmt : str, optional
        Force the input format (``cable-html``, ``text``, ``conll``, ``jsonl``).
    recognizer : Recognizer, optional
        NER for raw documents (:func:`graphbuild.extract.ner.auto_recognizer`).
    diagnostics : Diagnostics, optional
        Collects the problems found.
    progress : callable, optional
        Called with the number of files parsed, as batches finish. An object that also has
        ``start(total, **details)`` is told the number of files first, and one with
        ``stage(name)`` each later stage (:mod:`graphbuild.core.progress`).
    aliases : UserAliases or path, optional
        The user's aliases file.
    link_demonyms : bool
        Join demonyms to their country.
    doc_filter : DocumentFilter, optional
        Keep only the documents it accepts (before anything is counted or recognised).
    engine : str, optional
        ``local`` (all cores, or ``workers``) or ``dask`` (a cluster at ``scheduler``, or a
        ``LocalCluster`` of ``workers``); default: this process. Every engine gives the
        same tables.
    workers : int, optional
        Worker processes of the engine.
    scheduler : str, optional
        A running Dask scheduler's address.
    build_dir : str or os.PathLike, optional
        Keep parsed chunks and a manifest, so a rebuild re-reads only changed files.
    stats : EngineStats, optional
        Filled with what the engine read.
    **analysis
        The keyword options of :func:`build_from_tables` (``unit``, ``weight``,
        ``min_mentions``, ``top``, ``top_by``, ``k_core``, ``ego``, ``radius``,
        ``backbone``, ``alpha``, ``keep_isolated``, ``community_method``, ``period``,
        ``seed``, ``judgements``).

    Returns
    -------
    EntityGraph
        Every table of the build and its views.

    Raises
    ------
    InputError
        When nothing can be read, no document matches the filters, or an option or the
        aliases file is wrong.

    Examples
    --------
    >>> eg = build("seeds/cable_09STATE83014_annotated.txt")
    >>> eg.entities.set_index("entity_id").loc["revolutionary-armed-force-of-colombia", "type"]
    'ORG'
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    if aliases is not None and not isinstance(aliases, UserAliases):
        aliases = load_aliases(aliases)  # a wrong file fails before any reading
    judgements = analysis.get("judgements")
    if judgements is not None and not isinstance(judgements, Judgements):
        analysis["judgements"] = load_judgements(judgements)   # so does a judgements file
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    if aliases is not None:
        diagnostics.extend(aliases.problems)
    name = engine or "local"
    n_workers = workers if engine is not None else (workers or 1)
    with open_engine(name, n_workers, scheduler) as eng:
        t = time.perf_counter()
        corpus = eng.parse(list(inputs), diagnostics, fmt, build_dir, stats, progress)
        parse_time = time.perf_counter() - t
        release_memory()
        removed = {}
        if doc_filter is not None and doc_filter.active:
            corpus, gone = filter_documents(corpus, doc_filter)
            if gone:
                removed["documents outside the filters"] = gone
        t = time.perf_counter()
        recognize(corpus, recognizer, diagnostics)   # a spaCy recognizer announces itself
        ner_time = time.perf_counter() - t
        eg = build_from_tables(corpus, diagnostics, min_weight, types, aliases=aliases,
                               link_demonyms=link_demonyms, consume=True, engine=eng,
                               progress=progress, **analysis)
    eg.timings = {"parse": parse_time, "ner": ner_time, **eg.timings}
    eg.filters_removed = {**removed, **eg.filters_removed}
    # how the mentions were found (inline annotations, which NER model and version) and
    # where the build ran: the summary, build.json and the report say it
    # (the distinct values first: astype(str) over millions of mention rows costs seconds)
    found = eg.mentions["source"].dropna().unique() if "source" in eg.mentions else []
    eg.settings = {**eg.settings, "engine": name,
                   "mentions_from": ", ".join(sorted({str(f) for f in found})) or "none"}
    warn_later_drops(eg.documents, eg.mentions, diagnostics)
    check(reconciliation_table(eg.documents, eg.mentions, diagnostics), diagnostics)
    return eg
