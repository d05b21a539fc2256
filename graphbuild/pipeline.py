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
import numpy as np
import pandas as pd

from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.core.memory import release_memory
from graphbuild.count.cooccur import cooccurrence
from graphbuild.extract.corpus import CorpusTables, Recognizer, parse_corpus
from graphbuild.graph.views import filter_tables, to_networkx
from graphbuild.measures.centrality import (
    ARRAY_ENGINE_MIN_EDGES,
    COMMUNITY_METHODS,
    betweenness_note,
    centralities_from_tables,
    communities_from_tables,
    community_summary,
)
from graphbuild.measures.timeline import Timeline, timeline
from graphbuild.read import Document, read_documents
from graphbuild.read.filters import seen_dates
from graphbuild.resolve import UserAliases, load_aliases, resolve
from graphbuild.segment import EDGE_SECTIONS

#: above this many rows a table gets no CSV file (the most rows a spreadsheet opens)
CSV_MAX_ROWS = 1_048_576
#: mentions + evidence rows from which :meth:`EntityGraph.export` writes on two cores
PARALLEL_EXPORT_MIN_ROWS = 500_000

OUTPUT_FILES = ("graph.graphml", "graph.gexf", "graph.html", "nodes.csv", "edges.csv",
                "mentions.csv", "documents.csv", "resolution.csv", "warnings.csv",
                "reconciliation.csv", "report.md", "report.html", "graph.json",
                "nodes.parquet", "edges.parquet", "mentions.parquet", "evidence.parquet",
                "paragraphs.parquet", "documents.parquet", "entities.parquet")


@dataclass
class EntityGraph:
    """Everything a build produced: the tables (the truth) and ways to view them.

    Tables: ``documents``, ``paragraphs``, ``mentions``, ``entities``, ``edges``,
    ``evidence``, ``centrality`` (indexed by entity id), ``resolution`` (audit),
    ``ambiguous`` (names resolution left apart) and ``problems`` (warnings and notices);
    ``community`` (community id per entity id), ``communities`` (per-community summary),
    ``timeline`` (per-period tables, with ``--period``) and ``settings`` (unit, weight, N,
    betweenness method...).
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
    ambiguous: pd.DataFrame = field(default_factory=pd.DataFrame)
    community: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    communities: pd.DataFrame = field(default_factory=pd.DataFrame)
    timeline: Timeline | None = None
    settings: dict = field(default_factory=dict)
    #: the partition ``communities`` was computed from (see :meth:`community_summary`)
    _summary_of: pd.Series | None = field(default=None, init=False, repr=False,
                                          compare=False)

    # --- views -------------------------------------------------------------------------
    @property
    def problems(self) -> pd.DataFrame:
        return self.diagnostics.to_frame()

    def partition(self) -> pd.Series:
        """Community id per entity id: ``community`` (the analysis stage's, or one the user
        set), else a ``community`` column the user added to ``centrality``; empty when
        there is none. Every view (node table, graph, report) reads communities here, so
        they never disagree."""
        if len(self.community):
            return self.community
        if "community" in self.centrality:
            return self.centrality["community"].dropna().astype("int64")
        return pd.Series(dtype="int64", name="community")

    def community_summary(self) -> pd.DataFrame:
        """One row per community of :meth:`partition` (:func:`analysis.community_summary`):
        ``communities`` when it was computed from that same partition, else computed now
        (and kept in ``communities``), so a partition set by hand or read back from a
        folder is never described by the summary of another one."""
        part = self.partition()
        if self._summary_of is not None and self._summary_of.equals(part):
            return self.communities
        weight = self.settings.get("weight", "weight")
        if weight not in self.edges.columns:
            weight = "weight"
        self.communities = community_summary(part, self.centrality, self.edges,
                                             self.entities, self.mentions, weight=weight)
        self._summary_of = part.copy()
        return self.communities

    def nodes_table(self) -> pd.DataFrame:
        """``id,label,type,mentions,paragraphs,documents`` + the other entity columns + one
        column per centrality measure, then ``community`` (:meth:`partition`) if any."""
        nodes = self.entities.rename(columns={"entity_id": "id"})
        cols = ["id", "label", "type", "mentions", "paragraphs", "documents"]
        extra = [c for c in nodes.columns if c not in cols]
        nodes = nodes[cols + extra]
        cent = self.centrality.drop(columns=["community"], errors="ignore")
        cent = cent.reindex(nodes["id"]).reset_index(drop=True)
        table = pd.concat([nodes.reset_index(drop=True), cent], axis=1)
        part = self.partition()
        if len(part):
            table["community"] = part.reindex(nodes["id"]).astype("Int64").to_numpy()
        return table

    def edges_table(self, evidence_limit: int | None = None, top: int | None = None,
                    ) -> pd.DataFrame:
        """Edges sorted by weight (strongest first) with an ``evidence`` column
        (``doc_id:¶paragraph; ...``, at most ``evidence_limit`` references per edge); with
        ``top``, only the ``top`` strongest edges (their evidence alone is formatted).

        >>> eg = build("seeds/cable_09STATE83014_annotated.txt")
        >>> eg.edges_table(evidence_limit=1, top=1)["evidence"].str.count("¶").tolist()
        [1]
        """
        from graphbuild.export.tables import evidence_column

        # sort first: with ``top`` the evidence of the other (millions of) edges is never built
        edges = self.edges
        if top is not None and len(edges) > top > 0:
            # only the rows that can make the top are sorted: those at least as heavy as
            # the top-th weight (every lighter row sorts after all of them)
            weights = edges["weight"].to_numpy()
            kth = np.partition(weights, len(weights) - top)[len(weights) - top]
            edges = edges[weights >= kth]
        edges = edges.sort_values(["weight", "documents", "source", "target"],
                                  ascending=[False, False, True, True], kind="stable")
        edges = (edges.head(top) if top is not None else edges).copy()
        edges["evidence"] = (evidence_column(edges, self.evidence, evidence_limit)
                             if len(self.evidence) else "")
        return edges

    def graph(self) -> nx.Graph:
        """The networkx view: node attributes ``label, type, mentions, paragraphs,
        documents`` + centralities; edge attributes ``weight, documents``.

        It holds the whole graph: at Cablegate scale (10 M edges) prefer the tables, a
        filtered :func:`build`, :meth:`ego` or :meth:`to_html`'s top entities;
        :meth:`export` writes the full graph from the tables without it."""
        from graphbuild.export.stream import view_frames

        nodes, node_cols, edge_cols = view_frames(self)
        return to_networkx(nodes, self.edges, node_cols, edge_cols)

    def top(self, measure: str = "pagerank", n: int = 20) -> pd.DataFrame:
        """The ``n`` entities ranked highest by ``measure``, as a DataFrame."""
        nodes = self.nodes_table().set_index("id")
        return nodes.sort_values([measure, "label"], ascending=[False, True]).head(n)[
            ["label", "type", measure]]

    def brokers(self, n: int = 10) -> pd.DataFrame:
        """Entities with high betweenness relative to degree (:func:`analysis.brokers`)."""
        from graphbuild.measures.centrality import brokers

        out = brokers(self.centrality, n)
        return out.assign(label=self.entities.set_index("entity_id")["label"].reindex(
            out.index).to_numpy())

    def rank_correlation(self, method: str = "spearman") -> pd.DataFrame:
        """Rank correlation between the centrality measures."""
        from graphbuild.measures.centrality import rank_correlation

        return rank_correlation(self.centrality, method)

    def evidence_for(self, a: str, b: str, limit: int | None = None) -> pd.DataFrame:
        """The paragraphs in which ``a`` and ``b`` (ids, labels or aliases, any case) are
        mentioned together: ``doc_id, paragraph, created, subject, text, surfaces``.
        (``eg.evidence`` is the evidence *table*; see :func:`graphbuild.query.evidence`.)"""
        from graphbuild.query import evidence

        return evidence(self, a, b, limit)

    # --- explorer queries (graphbuild.query), forgiving about names ---------------------
    def neighbors(self, entity: str, limit: int | None = None, by: str = "weight",
                  ) -> pd.DataFrame:
        """Entities co-occurring with ``entity``, strongest first, indexed by id
        (:func:`graphbuild.query.neighbors`)."""
        from graphbuild.query import neighbors

        return neighbors(self, entity, limit, by)

    def path(self, a: str, b: str, kind: str = "shortest", weight: str = "weight",
             ) -> pd.DataFrame:
        """Hops of the ``shortest`` (fewest hops) or ``strongest`` (least total 1/weight)
        path from ``a`` to ``b``, with evidence (:func:`graphbuild.query.path`)."""
        from graphbuild.query import path

        return path(self, a, b, kind, weight)

    def ego(self, entity: str, radius: int = 1) -> nx.Graph:
        """networkx sub-graph within ``radius`` hops of ``entity``
        (:func:`graphbuild.query.ego`)."""
        from graphbuild.query import ego

        return ego(self, entity, radius)

    def export_ego(self, entity: str, out_dir: str | os.PathLike[str], radius: int = 1,
                   ) -> dict[str, Path]:
        """Write the ego sub-graph as GraphML, HTML and CSV (:func:`graphbuild.query.write_ego`)."""
        from graphbuild.query import write_ego

        return write_ego(self, entity, out_dir, radius)

    @staticmethod
    def load(out_dir: str | os.PathLike[str] = "output") -> EntityGraph:
        """Read a built output folder back without re-parsing (:func:`graphbuild.store.load`)."""
        from graphbuild.store import load

        return load(out_dir)

    def to_html(self, size_by: str = "pagerank", max_nodes: int | None = 400,
                title: str = "graphbuild", **options) -> str:
        """The self-contained explorer page (at most ``max_nodes`` nodes by ``size_by``;
        ``None``: all), with the evidence panel fed by the paragraph tables.

        With ``max_nodes``, only the networkx graph of the top ``max_nodes`` entities (and
        the edges among them) is built, never the whole graph: the page is the same as
        the one of the full graph.
        """
        from graphbuild.export.html import render_html
        from graphbuild.export.stream import top_rows, view_frames

        nodes, node_cols, edge_cols = view_frames(self)
        if not max_nodes or len(nodes) <= max_nodes:
            G, total = to_networkx(nodes, self.edges, node_cols, edge_cols), None
        else:
            kept = nodes.iloc[top_rows(nodes, size_by, max_nodes)]
            ids = kept["entity_id"]
            inside = self.edges["source"].isin(ids) & self.edges["target"].isin(ids)
            G = to_networkx(kept, self.edges[inside], node_cols, edge_cols)
            from graphbuild.core.tables import positions

            # edge ends outside the node table count as nodes too (as a graph of the edges
            # would hold them); hashed by Arrow, 22 M ends at Cablegate scale
            src, dst = self.edges["source"], self.edges["target"]
            outside = pd.concat([src[positions(src, nodes["entity_id"]) < 0],
                                 dst[positions(dst, nodes["entity_id"]) < 0]])
            total = (len(nodes) + outside.nunique(), len(self.edges))
        return render_html(G, size_by=size_by, title=title, max_nodes=max_nodes,
                           evidence=self.evidence, paragraphs=self.paragraphs,
                           mentions=self.mentions, total=total, **options)

    def show(self, size_by: str = "pagerank", max_nodes: int | None = 400,
             height: int = 650, **options):
        """Display the interactive graph inline in Jupyter (HTML embedded via ``srcdoc``,
        no file, so it also works in VS Code and Colab)."""
        from IPython.display import HTML

        from graphbuild.export.html import notebook_html

        return HTML(notebook_html(self.to_html(size_by, max_nodes, **options), height))

    def summary(self) -> dict[str, int]:
        from graphbuild.export.report import summary_counts

        return summary_counts(self)

    def _repr_html_(self) -> str:
        """Jupyter view: counts, entities by type, what filters removed and the top 10
        entities by PageRank (every document-derived string HTML-escaped)."""
        cell = "padding:2px 8px;text-align:left"
        counts = "".join(f'<tr><th style="{cell}">{html.escape(k)}</th>'
                         f'<td style="{cell};text-align:right">{v:,}</td></tr>'
                         for k, v in self.summary().items())
        warn = len(self.diagnostics.warnings)
        counts += (f'<tr><th style="{cell}">warnings</th><td style="{cell};text-align:right">'
                   f'{warn:,}</td></tr>')
        types = ""
        if len(self.entities):
            by_type = self.entities["type"].astype(str).value_counts()
            types = ", ".join(f"{html.escape(t)} {n:,}" for t, n in by_type.items())
        removed = "; ".join(f"{html.escape(k)}: {v:,}" for k, v in self.filters_removed.items())
        measure = "pagerank" if "pagerank" in self.centrality else None
        top = ""
        if measure and len(self.entities):
            frame = self.top(measure, 10)
            frame[measure] = frame[measure].map(lambda v: f"{v:.4f}")
            top = (f"<p style='margin:.5em 0 .2em'>Top entities by PageRank</p>"
                   f"{frame.to_html(escape=True, border=0)}")
        return ("<div style='font-family:sans-serif'><strong>EntityGraph</strong>"
                f"<table style='border-collapse:collapse'>{counts}</table>"
                + (f"<p style='margin:.3em 0'>Entity types: {types}</p>" if types else "")
                + (f"<p style='margin:.3em 0'>Filters removed: {removed}</p>" if removed else "")
                + top + "<p style='color:#666;margin:.3em 0'>Tables: <code>.entities</code>, "
                "<code>.edges</code>, <code>.evidence</code>, <code>.mentions</code>, "
                "<code>.paragraphs</code>, <code>.documents</code>; views: "
                "<code>.graph()</code>, <code>.show()</code>, <code>.top()</code>, "
                "<code>.neighbors()</code>, <code>.path()</code>, <code>.ego()</code></p></div>")

    def __repr__(self) -> str:
        s = self.summary()
        return ("EntityGraph(" + ", ".join(f"{k.replace(' ', '_')}={v}" for k, v in s.items())
                + ")")

    # --- export ------------------------------------------------------------------------
    def reconciliation(self) -> pd.DataFrame:
        """Annotations found = kept + dropped; files found = read + skipped (by reason)."""
        from graphbuild.resolve.reconcile import reconcile

        return reconcile(self)

    def export(self, out_dir: str | os.PathLike[str], size_by: str = "pagerank",
               color_by: str = "type", max_nodes: int | None = 400,
               atomic: bool = True, csv_max_rows: int | None = CSV_MAX_ROWS,
               parallel: bool | None = None) -> dict[str, Path]:
        """Write every output file into ``out_dir``; returns name -> path.

        ``color_by`` (``type`` or ``community``) colours the nodes of ``graph.gexf``;
        ``graph.html`` shows at most ``max_nodes`` entities (``None``: all).
        A table of more than ``csv_max_rows`` rows (default 1,048,576, the most a
        spreadsheet opens; ``None``: no limit) gets no CSV file, only its Parquet file
        (``mentions.parquet``, ``edges.parquet``: the truth, with every column);
        ``settings["csv_skipped"]``, ``build.json`` and the report say which.
        With ``atomic`` (the default) the files are written into a temporary sibling folder
        that replaces ``out_dir`` only once complete: an interrupted export leaves the
        previous ``out_dir`` as it was. ``parallel`` (default: for builds of more than
        :data:`PARALLEL_EXPORT_MIN_ROWS` mentions and evidence rows) writes the page and
        the reports in a forked child while this process writes the tables: the same
        bytes, on two cores.
        """
        if atomic:
            from graphbuild.export.safety import atomic_output_dir

            with atomic_output_dir(out_dir) as tmp:
                written = self.export(tmp, size_by=size_by, color_by=color_by,
                                      max_nodes=max_nodes, atomic=False,
                                      csv_max_rows=csv_max_rows, parallel=parallel)
            return {name: Path(out_dir) / p.relative_to(tmp) for name, p in written.items()}
        from graphbuild.export import stream
        from graphbuild.export.gexf_nx import gexf_positions
        from graphbuild.export.lanes import run_lanes
        from graphbuild.export.report import write_reports
        from graphbuild.export.stream import (
            GraphTables,
            graph_file_view,
            view_frames,
            write_gexf_tables,
            write_graphml_tables,
        )
        from graphbuild.export.tables import write_csv
        from graphbuild.store import write_store

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        big = {name: rows for name, rows in (("edges.csv", len(self.edges)),
                                             ("mentions.csv", len(self.mentions)))
               if csv_max_rows is not None and rows > csv_max_rows}
        self.settings.pop("csv_skipped", None)
        if big:
            self.settings["csv_skipped"] = (
                "; ".join(f"{name}: {rows:,} rows" for name, rows in big.items())
                + f" (more than {csv_max_rows:,}, the most a spreadsheet opens): every row "
                "is in " + " and ".join(n.replace(".csv", ".parquet") for n in big)
                + " (graphbuild build --csv-max-rows 0 writes the CSV too)")
        # Tables are the truth: the full graph is written straight from them (no networkx
        # graph, which at 10 M edges costs gigabytes and minutes); networkx is only built
        # for the small views (the HTML's top entities, the GEXF layout of a small graph).
        nodes, node_cols, edge_cols = view_frames(self)
        shown_nodes, shown_edges = graph_file_view(nodes, self.edges, size_by)
        note = ""
        self.settings.pop("graph_files", None)
        if len(shown_edges) < len(self.edges):
            whole = "edges.parquet" + ("" if "edges.csv" in big else " / edges.csv")
            note = (f"; this file holds the {len(shown_nodes):,} entities ranked highest by "
                    f"{size_by} of {len(nodes):,} and the {len(shown_edges):,} edges among "
                    f"them (at most {stream.GRAPH_FILE_MAX_EDGES:,}); the whole graph is in "
                    f"{whole}")
            self.settings["graph_files"] = note[2:]
        gt = GraphTables.of(shown_nodes, shown_edges, node_cols, edge_cols)
        weight = self.settings.get("weight", "weight")
        positions, layout_note = gexf_positions(
            lambda: to_networkx(shown_nodes, shown_edges, node_cols, edge_cols), len(gt.ids),
            len(gt.source), weight=weight, seed=self.settings.get("seed", 42))
        note = layout_note + note

        def graph_files() -> dict[str, Path]:
            return {
                "graph.graphml": write_graphml_tables(gt, out / "graph.graphml"),
                "graph.gexf": write_gexf_tables(
                    gt, out / "graph.gexf", color_by=color_by, size_by=size_by,
                    positions=positions,
                    node_spells=self.timeline.node_spells if self.timeline else None,
                    edge_spells=self.timeline.edge_spells if self.timeline else None,
                    description=self._description() + note)}

        def page() -> dict[str, Path]:
            return {"graph.html": _write_page(self, out / "graph.html", size_by, max_nodes)}

        def csv_files() -> dict[str, Path]:
            tables = {"nodes.csv": self.nodes_table,
                      "edges.csv": self.edges_table, "mentions.csv": lambda: self.mentions,
                      "documents.csv": lambda: self.documents,
                      "resolution.csv": lambda: self.resolution,
                      "warnings.csv": lambda: self.problems,
                      "reconciliation.csv": self.reconciliation}
            # one table at a time: the edges table with its evidence column is built,
            # written and released before the next one
            return {name: write_csv(frame(), out / name) for name, frame in tables.items()
                    if name not in big}

        def reports() -> dict[str, Path]:
            return write_reports(self, out)

        def store() -> dict[str, Path]:
            return write_store(self, out, tables=gt)

        if parallel is None:
            parallel = len(self.mentions) + len(self.evidence) >= PARALLEL_EXPORT_MIN_ROWS
        # the lanes balance at 10k and at 251k cables (measured, one job at a time: 251k
        # page 23 s + reports 16 s | store 33 s + graph files 5 s + CSVs 4 s; 10k 4 + 3 |
        # 2 + 3 + 6): the page and the reports in the child, the rest here
        return run_lanes({"graph files": graph_files, "page": page, "csv": csv_files,
                          "reports": reports, "store": store},
                         there=("page", "reports"), parallel=parallel)

    def _description(self) -> str:
        s = self.settings
        return (f"graphbuild entity co-occurrence graph; unit: {s.get('unit', 'paragraph')}; "
                f"weight: {s.get('weight', 'weight')}; distance = 1/weight")


def _write_page(eg: EntityGraph, path: Path, size_by: str, max_nodes: int | None) -> Path:
    from graphbuild.export.safety import atomic_write_text

    atomic_write_text(path, eg.to_html(size_by, max_nodes))
    return path


def build_from_tables(corpus: CorpusTables, diagnostics: Diagnostics | None = None,
                      min_weight: int = 1, types: Sequence[str] | None = None,
                      sections: Sequence[str] = EDGE_SECTIONS,
                      aliases: UserAliases | str | os.PathLike[str] | None = None,
                      link_demonyms: bool = False, *, unit: str = "paragraph",
                      weight: str = "weight", min_mentions: int = 1, top: int | None = None,
                      top_by: str = "pagerank", k_core: int | None = None,
                      ego: str | None = None, radius: int = 1, backbone: str | None = None,
                      alpha: float = 0.05, community_method: str | None = "louvain",
                      period: str | None = None, seed: int = 42,
                      consume: bool = False) -> EntityGraph:
    """Resolve, count, filter and analyse already parsed corpus tables.

    ``aliases`` (a TOML/CSV file or :class:`~graphbuild.resolve.UserAliases`) and
    ``link_demonyms`` are passed to :func:`~graphbuild.resolve.resolve`. ``unit`` and
    ``weight`` are those of :mod:`graphbuild.cooccur`; the filters those of
    :func:`graphbuild.graph.filter_tables`; ``community_method`` is ``louvain``, ``leiden``
    or ``None``; ``period`` (``year``/``month``) adds the per-period :class:`Timeline`.
    ``consume`` hands ``corpus`` over (what :func:`build` does with the tables it parsed):
    its mentions table becomes the resolved one as soon as resolution ends, so the columns
    resolution replaced are freed instead of living on beside them.
    Raises :class:`InputError` for a bad option (unknown unit, weight, entity...).
    """
    diagnostics = diagnostics or Diagnostics()
    timings: dict[str, float] = {}
    t = time.perf_counter()
    res = resolve(corpus.mentions, corpus.paragraphs, aliases=aliases,
                  link_demonyms=link_demonyms)
    if consume:
        corpus.mentions = res.mentions
    # each stage's temporaries go back to the system before the next stage's peak
    release_memory()
    timings["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    try:
        co = cooccurrence(res.mentions, sections, unit, corpus.paragraphs)
        ents, edges, removed = filter_tables(
            res.entities, co.edges, min_weight=min_weight, types=types,
            min_mentions=min_mentions, top=top, top_by=top_by, k_core=k_core, ego=ego,
            radius=radius, backbone=backbone, alpha=alpha, weight=weight)
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
    # small graphs: networkx; big ones: one integer-array graph shared by the measures and
    # the communities (igraph/scipy), never a networkx graph of millions of edges
    graph = None
    if len(edges) >= ARRAY_ENGINE_MIN_EDGES:
        from graphbuild.measures.arrays import ArrayGraph

        graph = ArrayGraph.from_tables(ents, edges, weight)
    background = None
    if graph is not None and community_method in COMMUNITY_METHODS and os.cpu_count() != 1:
        from graphbuild.measures.arrays import BackgroundCommunities

        # Louvain on the second core while this one computes the centralities
        background = BackgroundCommunities(graph, community_method, seed)
    cent = centralities_from_tables(ents, edges, weight=weight, seed=seed, graph=graph)
    timings["centrality"] = time.perf_counter() - t
    comm = pd.Series(dtype="int64")
    summary = pd.DataFrame()
    if community_method:
        t_comm = time.perf_counter()
        try:
            comm = (background.result() if background is not None else
                    communities_from_tables(ents, edges, community_method, weight=weight,
                                            seed=seed, graph=graph))
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        # with the background engine: only the wait beyond the centralities
        timings["communities"] = time.perf_counter() - t_comm
        summary = community_summary(comm, cent, edges, ents, res.mentions, weight=weight)
    del graph
    release_memory()
    timings["analyse"] = time.perf_counter() - t
    tl = None
    if period:
        t = time.perf_counter()
        try:
            tl = timeline(res.mentions, corpus.documents, period, co.unit, corpus.paragraphs,
                          sections, entities=list(ents["entity_id"]), seed=seed)
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        if tl.undated:
            diagnostics.notice("undated", f"{len(tl.undated)} document(s) without a "
                               "created date are left out of the per-period graphs: "
                               + ", ".join(tl.undated[:5])
                               + (" ..." if len(tl.undated) > 5 else ""))
        timings["timeline"] = time.perf_counter() - t
    settings = {"unit": co.unit, "units": co.n_units, "weight": weight, "seed": seed,
                "betweenness": betweenness_note(len(ents), seed, len(edges)),
                "measures_engine": "networkx" if len(edges) < ARRAY_ENGINE_MIN_EDGES
                else "igraph+scipy",
                "communities": community_method or "none", "period": period or "none"}
    eg = EntityGraph(corpus.documents, corpus.paragraphs, res.mentions,
                     ents.reset_index(drop=True), edges.reset_index(drop=True),
                     evidence.reset_index(drop=True), cent, res.audit, diagnostics,
                     removed, timings, ambiguous=res.ambiguous, community=comm,
                     communities=summary, timeline=tl, settings=settings)
    if community_method:
        eg._summary_of = comm.copy()
    return eg


def build(inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
          min_weight: int = 1, types: Sequence[str] | None = None, fmt: str | None = None,
          recognizer: Recognizer | None = None, diagnostics: Diagnostics | None = None,
          progress: Callable[[], None] | None = None,
          aliases: UserAliases | str | os.PathLike[str] | None = None,
          link_demonyms: bool = False,
          doc_filter: Callable[[Document], bool] | None = None, engine: str | None = None,
          workers: int | None = None, scheduler: str | None = None,
          build_dir: str | os.PathLike[str] | None = None, stats=None,
          **analysis) -> EntityGraph:
    """Build the entity graph of files, folders or globs.

    ``analysis`` takes the keyword options of :func:`build_from_tables` (``unit``,
    ``weight``, ``min_mentions``, ``top``, ``top_by``, ``k_core``, ``ego``, ``radius``,
    ``backbone``, ``alpha``, ``community_method``, ``period``, ``seed``).

    >>> eg = build("seeds/cable_09STATE83014_annotated.txt")
    >>> eg.entities.set_index("entity_id").loc["revolutionary-armed-force-of-colombia", "type"]
    'ORG'

    ``aliases`` (the user's TOML/CSV aliases file) and ``link_demonyms`` steer entity
    resolution (see :func:`graphbuild.resolve.resolve`). ``doc_filter`` (e.g. a
    :class:`~graphbuild.readers.metadata.DocumentFilter`) restricts the corpus before
    anything is counted.

    Raises :class:`~graphbuild.diagnostics.InputError` when nothing can be read or the
    aliases file is wrong.
    ``engine`` (``"local"``: all cores; ``"dask"``: a Dask cluster, ``scheduler`` address or
    a LocalCluster of ``workers``) runs read/extract/count in parallel with the same
    tables; ``build_dir`` keeps a manifest so a rebuild re-reads only changed files
    (see ``docs/scale.md``). ``stats`` (an :class:`~graphbuild.engines.EngineStats`) is
    filled with what the engine read.

    Raises :class:`~graphbuild.diagnostics.InputError` when nothing can be read.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if aliases is not None and not isinstance(aliases, UserAliases):
        aliases = load_aliases(aliases)  # a wrong file fails before any reading
    diagnostics = diagnostics or Diagnostics()
    if engine is not None and recognizer is None and doc_filter is None:
        # The engine replaces the read/segment/extract stages only (parallel, streaming,
        # incremental); resolution, counting and analysis below are the same for all.
        from graphbuild.engines.scaled import parse_with_engine

        t = time.perf_counter()
        corpus = parse_with_engine(list(inputs), engine=engine, workers=workers,
                                   scheduler=scheduler, build_dir=build_dir, stats=stats,
                                   fmt=fmt, diagnostics=diagnostics, progress=progress)
        read_time, parse_time = 0.0, time.perf_counter() - t
        release_memory()
        if corpus.documents.empty:
            raise InputError("no readable document in " + ", ".join(map(str, inputs)))
        n_read = n_kept = len(corpus.documents)
    else:
        if engine is not None:
            diagnostics.notice("engine-serial", f"--engine {engine} is not used with NER or "
                               "document filters: documents are parsed in this process")
        t = time.perf_counter()
        docs = list(read_documents(inputs, diagnostics, fmt))
        read_time = time.perf_counter() - t
        if not docs:
            raise InputError("no readable document in " + ", ".join(map(str, inputs)))
        n_read = len(docs)
        if doc_filter is not None:
            docs = [d for d in docs if doc_filter(d)]
            if not docs:
                raise InputError(f"none of the {n_read} documents matches the filters")
        n_kept = len(docs)
        t = time.perf_counter()
        corpus = parse_corpus(docs, diagnostics, recognizer, progress)
        parse_time = time.perf_counter() - t
    eg = build_from_tables(corpus, diagnostics, min_weight, types, aliases=aliases,
                           link_demonyms=link_demonyms, consume=True, **analysis)
    eg.timings = {"read": read_time, "parse": parse_time, **eg.timings}
    if n_kept < n_read:
        eg.filters_removed = {"documents outside the filters": n_read - n_kept,
                              **eg.filters_removed}
    from graphbuild.resolve.reconcile import check, warn_later_drops

    warn_later_drops(eg.documents, eg.mentions, diagnostics)
    check(eg.reconciliation(), diagnostics)
    return eg
