"""The pipeline's stages at scale: same tables, faster implementations.

:func:`build_with_engine` parses with an engine (:mod:`graphbuild.engines`), then
:func:`build_scaled` resolves (:func:`~graphbuild.engines.resolve_fast.resolve_fast`),
counts (integer codes), filters with vectorised joins and computes the measures with the
engine :func:`~graphbuild.engines.compute.choose_engine` picks by graph size. Big graphs
get GraphML/HTML views of their top entities (``EntityGraph.max_view_nodes``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..corpus import CorpusTables
from ..diagnostics import Diagnostics
from ..graph import filter_tables
from ..segment import EDGE_SECTIONS
from . import EngineStats, engine_session
from .compute import centralities_auto
from .pairs import cooccurrence_fast
from .resolve_fast import resolve_fast

#: graphs above this many entities are shown (GraphML/HTML) as their top entities
VIEW_NODES = 2_000


def build_scaled(corpus: CorpusTables, diagnostics: Diagnostics, min_weight: int = 1,
                 types: Sequence[str] | None = None, sections: Sequence[str] = EDGE_SECTIONS,
                 counter: Callable | None = None):
    """Resolve, count, filter and analyse (see the module docstring); an ``EntityGraph``."""
    from ..pipeline import EntityGraph

    counter = counter or cooccurrence_fast
    timings: dict[str, float] = {}
    t = time.perf_counter()
    res = resolve_fast(corpus.mentions)
    timings["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    co = counter(res.mentions, sections)
    timings["count"] = time.perf_counter() - t
    ents, edges, removed = filter_tables(res.entities, co.edges, min_weight=min_weight,
                                         types=types)
    evidence = co.evidence
    if len(edges) < len(co.edges):
        # evidence rows are grouped by edge in edge order: weight = rows per edge
        keep = np.zeros(len(co.edges), dtype=bool)
        keep[edges.index.to_numpy()] = True
        evidence = evidence[np.repeat(keep, co.edges["weight"].to_numpy())]
    t = time.perf_counter()
    ents = ents.reset_index(drop=True)
    edges = edges.reset_index(drop=True)
    cent, engine = centralities_auto(ents, edges)
    timings["analyse"] = time.perf_counter() - t
    eg = EntityGraph(corpus.documents, corpus.paragraphs, res.mentions, ents, edges,
                     evidence.reset_index(drop=True), cent, res.audit, diagnostics, removed,
                     timings)
    eg.analysis_engine = engine
    if len(ents) > VIEW_NODES:
        eg.max_view_nodes = VIEW_NODES
    return eg


def build_with_engine(inputs: list, *, engine: str = "local", workers: int | None = None,
                      scheduler: str | None = None,
                      build_dir: str | os.PathLike[str] | None = None,
                      stats: EngineStats | None = None, min_weight: int = 1,
                      types: Sequence[str] | None = None, fmt: str | None = None,
                      diagnostics: Diagnostics | None = None, progress=None):
    """:func:`graphbuild.pipeline.build` on an engine (``local`` or ``dask``)."""
    diagnostics = diagnostics or Diagnostics()
    stats = stats if stats is not None else EngineStats()
    with engine_session(engine, workers, scheduler) as (parse, count):
        t = time.perf_counter()
        bar = (lambda n: [progress() for _ in range(n)]) if progress is not None else None
        corpus = parse(inputs, diagnostics, fmt, build_dir, stats, bar)
        parse_time = time.perf_counter() - t
        eg = build_scaled(corpus, diagnostics, min_weight, types, EDGE_SECTIONS, count)
    eg.timings = {"parse": parse_time, **eg.timings}
    eg.engine_stats = stats
    return eg


def view_tables(entities: pd.DataFrame, edges: pd.DataFrame, centrality: pd.DataFrame,
                max_nodes: int = VIEW_NODES, max_edges: int = 20_000, by: str = "pagerank",
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``max_nodes`` entities ranked highest by ``by`` and their strongest edges.

    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"]})
    >>> eds = pd.DataFrame({"source": ["a", "a"], "target": ["b", "c"], "weight": [1, 2]})
    >>> cent = pd.DataFrame({"pagerank": [0.5, 0.1, 0.4]}, index=["a", "b", "c"])
    >>> view_tables(ents, eds, cent, max_nodes=2)[1].values.tolist()
    [['a', 'c', 2]]
    """
    score = centrality[by].reindex(entities["entity_id"]).fillna(0).to_numpy()
    top = entities.iloc[np.argsort(-score, kind="stable")[:max_nodes]]
    ids = set(top["entity_id"])
    eds = edges[edges["source"].isin(ids) & edges["target"].isin(ids)]
    if len(eds) > max_edges:
        eds = eds.sort_values("weight", ascending=False, kind="stable").head(max_edges)
    return entities[entities["entity_id"].isin(ids)], eds
