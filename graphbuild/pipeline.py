"""The whole flow, read -> segment -> extract -> resolve -> count -> graph -> analyse -> export,
as one function (:func:`build`) returning an :class:`EntityGraph` that holds every table.

The CLI and the notebook API are thin layers over this module.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from .analysis import MEASURES, centralities
from .cooccur import cooccurrence
from .corpus import CorpusTables, Recognizer, parse_corpus
from .diagnostics import Diagnostics, InputError
from .graph import filter_tables, to_networkx
from .readers import read_documents
from .resolve import resolve
from .segment import EDGE_SECTIONS

OUTPUT_FILES = ("graph.graphml", "graph.html", "nodes.csv", "edges.csv", "mentions.csv",
                "documents.csv", "resolution.csv", "warnings.csv", "report.md")


@dataclass
class EntityGraph:
    """Everything a build produced: the tables (the truth) and ways to view them.

    Tables: ``documents``, ``paragraphs``, ``mentions``, ``entities``, ``edges``,
    ``evidence``, ``centrality`` (indexed by entity id), ``resolution`` (audit) and
    ``problems`` (warnings and notices).
    """

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    edges: pd.DataFrame
    evidence: pd.DataFrame
    centrality: pd.DataFrame
    resolution: pd.DataFrame
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    filters_removed: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    #: when set (scale engines), GraphML/HTML show the top-N entities by PageRank; the
    #: tables and CSV/Parquet files always hold the whole graph
    max_view_nodes: int | None = None

    # --- views -------------------------------------------------------------------------
    @property
    def problems(self) -> pd.DataFrame:
        return self.diagnostics.to_frame()

    def nodes_table(self) -> pd.DataFrame:
        """``id,label,type,mentions,paragraphs,documents`` + one column per centrality."""
        nodes = self.entities.rename(columns={"entity_id": "id"})
        cols = ["id", "label", "type", "mentions", "paragraphs", "documents"]
        extra = [c for c in nodes.columns if c not in cols]
        nodes = nodes[cols + extra]
        cent = self.centrality.reindex(nodes["id"]).reset_index(drop=True)
        return pd.concat([nodes.reset_index(drop=True), cent], axis=1)

    def edges_table(self, evidence_limit: int | None = None) -> pd.DataFrame:
        """Edges sorted by weight (strongest first) with an ``evidence`` column."""
        from .exporters.tables import evidence_strings

        if self.max_view_nodes is not None:      # big graph: Arrow kernels, same strings
            from .engines.export import evidence_strings_fast as evidence_strings
        ev = evidence_strings(self.evidence, evidence_limit)
        edges = self.edges.copy()
        key = pd.MultiIndex.from_frame(edges[["source", "target"]])
        edges["evidence"] = ev.reindex(key).to_numpy() if len(ev) else ""
        return edges.sort_values(["weight", "documents", "source", "target"],
                                 ascending=[False, False, True, True], kind="stable")

    def graph(self) -> nx.Graph:
        """The networkx view: node attributes ``label, type, mentions, paragraphs,
        documents`` + centralities; edge attributes ``weight, documents``."""
        nodes = self.entities.merge(self.centrality, left_on="entity_id", right_index=True,
                                    how="left")
        node_cols = ["label", "type", "mentions", "paragraphs", "documents", *MEASURES]
        edge_cols = [c for c in self.edges.columns if c not in ("source", "target")]
        return to_networkx(nodes, self.edges, node_cols, edge_cols)

    def top(self, measure: str = "pagerank", n: int = 20) -> pd.DataFrame:
        """The ``n`` entities ranked highest by ``measure``, as a DataFrame."""
        nodes = self.nodes_table().set_index("id")
        return nodes.sort_values([measure, "label"], ascending=[False, True]).head(n)[
            ["label", "type", measure]]

    def evidence_for(self, a: str, b: str) -> pd.DataFrame:
        """The paragraphs behind the edge between entity ids ``a`` and ``b``."""
        s, t = sorted((a, b))
        ev = self.evidence[(self.evidence["source"] == s) & (self.evidence["target"] == t)]
        return ev.merge(self.paragraphs, on=["doc_id", "paragraph"], how="left")[
            ["doc_id", "paragraph", "text"]]

    def to_html(self, size_by: str = "pagerank") -> str:
        from .exporters.html import render_html

        return render_html(self.graph(), size_by=size_by)

    def show(self, size_by: str = "pagerank"):
        """Display the interactive graph inline in Jupyter (HTML embedded, no file)."""
        from IPython.display import HTML

        page = self.to_html(size_by)
        return HTML(f'<iframe srcdoc="{html.escape(page)}" style="width:100%;height:600px;'
                    'border:0"></iframe>')

    def summary(self) -> dict[str, int]:
        from .exporters.report import summary_counts

        return summary_counts(self)

    def _repr_html_(self) -> str:
        counts = "".join(f"<tr><th>{html.escape(k)}</th><td>{v:,}</td></tr>"
                         for k, v in self.summary().items())
        top = self.top("pagerank", 10) if len(self.entities) else pd.DataFrame()
        return (f"<div><strong>EntityGraph</strong><table>{counts}</table>"
                f"<p>Top entities by PageRank</p>{top.to_html(escape=True)}</div>")

    def __repr__(self) -> str:
        s = self.summary()
        return ("EntityGraph(" + ", ".join(f"{k.replace(' ', '_')}={v}" for k, v in s.items())
                + ")")

    # --- export ------------------------------------------------------------------------
    def export(self, out_dir: str | os.PathLike[str], size_by: str = "pagerank",
               ) -> dict[str, Path]:
        """Write every output file into ``out_dir``; returns name -> path."""
        from .exporters.graphml import write_graphml
        from .exporters.html import write_html
        from .exporters.report import write_report
        from .exporters.tables import write_csv

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if self.max_view_nodes is not None:
            from .engines.export import export_scaled

            return export_scaled(self, out, size_by=size_by)
        G = self.graph()
        paths = {
            "graph.graphml": write_graphml(G, out / "graph.graphml"),
            "graph.html": write_html(G, out / "graph.html", size_by=size_by),
            "nodes.csv": write_csv(self.nodes_table(), out / "nodes.csv"),
            "edges.csv": write_csv(self.edges_table(), out / "edges.csv"),
            "mentions.csv": write_csv(self.mentions, out / "mentions.csv"),
            "documents.csv": write_csv(self.documents, out / "documents.csv"),
            "resolution.csv": write_csv(self.resolution, out / "resolution.csv"),
            "warnings.csv": write_csv(self.problems, out / "warnings.csv"),
            "report.md": write_report(self, out / "report.md"),
        }
        return paths


def build_from_tables(corpus: CorpusTables, diagnostics: Diagnostics | None = None,
                      min_weight: int = 1, types: Sequence[str] | None = None,
                      sections: Sequence[str] = EDGE_SECTIONS, fast: bool = False,
                      counter: Callable | None = None) -> EntityGraph:
    """Resolve, count, filter and analyse already parsed corpus tables.

    ``fast=True`` (the scale engines) runs the same stages with the vectorised resolver,
    the integer-code pair ``counter`` and igraph measures for big graphs
    (:mod:`graphbuild.engines`); the tables are the same.
    """
    diagnostics = diagnostics or Diagnostics()
    if fast:
        from .engines.scaled import build_scaled

        return build_scaled(corpus, diagnostics, min_weight, types, sections, counter)
    timings: dict[str, float] = {}
    t = time.perf_counter()
    res = resolve(corpus.mentions)
    timings["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    co = cooccurrence(res.mentions, sections)
    timings["count"] = time.perf_counter() - t
    ents, edges, removed = filter_tables(res.entities, co.edges, min_weight=min_weight,
                                         types=types)
    keep = set(zip(edges["source"], edges["target"], strict=True))
    evidence = co.evidence[[pair in keep for pair in
                            zip(co.evidence["source"], co.evidence["target"], strict=True)]]
    t = time.perf_counter()
    G = to_networkx(ents, edges, ["label"], ["weight"])
    cent = centralities(G)
    timings["analyse"] = time.perf_counter() - t
    return EntityGraph(corpus.documents, corpus.paragraphs, res.mentions,
                       ents.reset_index(drop=True), edges.reset_index(drop=True),
                       evidence.reset_index(drop=True), cent, res.audit, diagnostics,
                       removed, timings)


def build(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
          min_weight: int = 1, types: Sequence[str] | None = None, fmt: str | None = None,
          recognizer: Recognizer | None = None, diagnostics: Diagnostics | None = None,
          progress: Callable[[], None] | None = None, engine: str | None = None,
          workers: int | None = None, scheduler: str | None = None,
          build_dir: str | os.PathLike[str] | None = None, stats=None) -> EntityGraph:
    """Build the entity graph of files, folders or globs.

    >>> eg = build("seeds/cable_09STATE83014_annotated.txt")
    >>> eg.entities.set_index("entity_id").loc["farc", "type"]
    'ORG'

    ``engine`` (``"local"``: all cores; ``"dask"``: a Dask cluster, ``scheduler`` address or
    a LocalCluster of ``workers``) runs read/extract/count in parallel with the same
    tables; ``build_dir`` keeps a manifest so a rebuild re-reads only changed files
    (see ``docs/scale.md``). ``stats`` (an :class:`~graphbuild.engines.EngineStats`) is
    filled with what the engine read.

    Raises :class:`~graphbuild.diagnostics.InputError` when nothing can be read.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    diagnostics = diagnostics or Diagnostics()
    if engine is not None and recognizer is None:
        from .engines.scaled import build_with_engine

        return build_with_engine(list(inputs), engine=engine, workers=workers,
                                 scheduler=scheduler, build_dir=build_dir, stats=stats,
                                 min_weight=min_weight, types=types, fmt=fmt,
                                 diagnostics=diagnostics, progress=progress)
    t = time.perf_counter()
    docs = list(read_documents(inputs, diagnostics, fmt))
    read_time = time.perf_counter() - t
    if not docs:
        raise InputError("no readable document in " + ", ".join(map(str, inputs)))
    t = time.perf_counter()
    corpus = parse_corpus(docs, diagnostics, recognizer, progress)
    parse_time = time.perf_counter() - t
    eg = build_from_tables(corpus, diagnostics, min_weight, types)
    eg.timings = {"read": read_time, "parse": parse_time, **eg.timings}
    return eg
