"""The notebook object: :class:`EntityGraph`, every table of a build and ways to view them.

It holds the tables (it *is* a :class:`~graphbuild.core.tables.Tables` bundle) and offers
views that delegate to the stage that owns each one (queries to :mod:`graphbuild.query`,
measures to :mod:`graphbuild.measures`, files to :mod:`graphbuild.export`); no stage imports
it back.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from graphbuild import query
from graphbuild.core.ranking import rank_order
from graphbuild.core.tables import Tables
from graphbuild.export.folder import CSV_MAX_ROWS, export_folder, page, write_ego
from graphbuild.export.graphml import write_graphml
from graphbuild.export.interop import Interop
from graphbuild.export.notebook import notebook_html
from graphbuild.export.report.brief import Brief, render_brief, render_brief_html
from graphbuild.export.tables import edges_table
from graphbuild.export.view import GraphTables
from graphbuild.measures.centrality import brokers, rank_correlation
from graphbuild.measures.summary import summary_of
from graphbuild.resolve.reconcile import reconciliation_table
from graphbuild.store import load as load_tables

__all__ = ["EntityGraph", "load"]


@dataclass
class EntityGraph(Tables, Interop):
    """Everything a build produced: the tables (the truth) and views of them.

    Tables: ``documents``, ``paragraphs``, ``mentions``, ``entities``, ``edges``,
    ``evidence``, ``centrality`` (indexed by entity id), ``resolution`` (audit),
    ``ambiguous`` (names resolution left apart) and ``problems`` (warnings and notices);
    ``community`` (community id per entity id), ``communities`` (per-community summary),
    ``timeline`` (per-period tables, with ``--period``) and ``settings`` (unit, weight, N,
    betweenness method...). Each is documented in ``docs/tables.md``.

    Examples
    --------
    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> eg.entities.set_index("entity_id").loc["sergey-lavrov", "type"]
    'PER'
    """

    @classmethod
    def of(cls, tables: Tables) -> EntityGraph:
        """An :class:`EntityGraph` over the tables of ``tables`` (no copy)."""
        return cls(**{f: getattr(tables, f) for f in Tables.__dataclass_fields__})

    # --- views -------------------------------------------------------------------------
    def community_summary(self) -> pd.DataFrame:
        """One row per community of :meth:`partition`.

        Returns
        -------
        pandas.DataFrame
            ``community, size, internal_edges, external_edges, top_entities, brokers,
            paragraphs`` (and id lists), from :func:`graphbuild.measures.summary.
            community_summary`: ``communities`` when it was computed from that same
            partition, else computed now (and kept in ``communities``), so a partition set
            by hand or read back from a folder is never described by another one's summary.

        Examples
        --------
        >>> import graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> int(eg.community_summary()["size"].sum()) == len(eg.entities)
        True
        """
        if not self.communities_current():
            part = self.partition()
            self.communities = summary_of(self)
            self.communities_of = part.copy()
        return self.communities

    def edges_table(self, evidence_limit: int | None = None, top: int | None = None,
                    ) -> pd.DataFrame:
        """The edges, strongest first, with an ``evidence`` column (``edges.csv``).

        Parameters
        ----------
        evidence_limit : int, optional
            At most this many ``doc_id:¶paragraph`` references per edge.
        top : int, optional
            Only the ``top`` strongest edges (their evidence alone is formatted).

        Returns
        -------
        pandas.DataFrame
            The edge columns and ``evidence``.

        Examples
        --------
        >>> import graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> eg.edges_table(evidence_limit=1, top=1)["evidence"].str.count("¶").tolist()
        [1]
        """
        return edges_table(self.edges, self.evidence, evidence_limit, top)

    def graph(self) -> nx.Graph:
        """The networkx view of the whole graph.

        Returns
        -------
        networkx.Graph
            Node attributes ``label, type, mentions, paragraphs, documents`` + the
            centralities (+ ``community``); edge attributes ``weight, documents`` and the
            association measures. At Cablegate scale (10 M edges) prefer the tables,
            :meth:`ego` or a filtered build; :meth:`export` writes the whole graph from the
            tables without it.

        Examples
        --------
        >>> import graphbuild as gb
        >>> G = gb.build("seeds/cable_09STATE83014_annotated.txt").graph()
        >>> G.nodes["sergey-lavrov"]["label"]
        'Sergey Lavrov'
        """
        return query.graph(self)

    def to_graphml(self, path: str | os.PathLike[str]) -> Path:
        """Write the whole graph as GraphML (what ``graph.graphml`` holds, for Gephi,
        igraph or graphology), streamed from the tables.

        Parameters
        ----------
        path : str or os.PathLike
            The file.

        Returns
        -------
        pathlib.Path
            ``path``.

        Examples
        --------
        >>> import tempfile, networkx as nx, graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> p = eg.to_graphml(Path(tempfile.mkdtemp()) / "g.graphml")
        >>> nx.read_graphml(p).number_of_edges() == len(eg.edges)
        True
        """
        nodes, node_cols, edge_cols = query.graph_frames(self)
        return write_graphml(GraphTables.of(nodes, self.edges, node_cols, edge_cols), path)

    def top(self, measure: str = "pagerank", n: int = 20) -> pd.DataFrame:
        """The ``n`` entities ranked highest by ``measure``.

        Parameters
        ----------
        measure : str
            A centrality (``pagerank``, ``degree``...) or an entity column (``mentions``).
        n : int
            How many.

        Returns
        -------
        pandas.DataFrame
            ``label, type, <measure>``, indexed by entity id, highest first (ties by label,
            then id: :func:`graphbuild.core.ranking.rank_order`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> gb.build("seeds/cable_09STATE83014_annotated.txt").top("mentions", 1).index[0]
        'venezuela'
        """
        nodes = self.nodes_table().rename(columns={"id": "entity_id"})
        chosen = nodes.iloc[rank_order(nodes, measure, n)].set_index("entity_id")
        return chosen[["label", "type", measure]]

    def brokers(self, n: int = 10) -> pd.DataFrame:
        """Entities with high betweenness relative to their degree.

        Parameters
        ----------
        n : int
            How many.

        Returns
        -------
        pandas.DataFrame
            ``degree, betweenness, broker_score, label`` indexed by entity id
            (:func:`graphbuild.measures.centrality.brokers`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> list(gb.build("seeds/cable_09STATE83014_annotated.txt").brokers(3).columns)
        ['degree', 'betweenness', 'broker_score', 'label']
        """
        out = brokers(self.centrality, n)
        return out.assign(label=self.entities.set_index("entity_id")["label"].reindex(
            out.index).to_numpy())

    def rank_correlation(self, method: str = "spearman") -> pd.DataFrame:
        """Rank correlation between the centrality measures.

        Parameters
        ----------
        method : str
            ``spearman`` or ``kendall``.

        Returns
        -------
        pandas.DataFrame
            Measures by measures.

        Examples
        --------
        >>> import graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> float(eg.rank_correlation().loc["degree", "degree"])
        1.0
        """
        return rank_correlation(self.centrality, method)

    def evidence_for(self, a: str, b: str, limit: int | None = None) -> pd.DataFrame:
        """The paragraphs in which ``a`` and ``b`` are mentioned together.

        Parameters
        ----------
        a, b : str
            Entity ids, labels or aliases (any case).
        limit : int, optional
            At most this many paragraphs.

        Returns
        -------
        pandas.DataFrame
            ``doc_id, paragraph, created, subject, text, surfaces``
            (:func:`graphbuild.query.evidence`; ``eg.evidence`` is the evidence *table*).

        Examples
        --------
        >>> import graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> eg.evidence_for("Uribe", "Chavez")["paragraph"].tolist()
        [3]
        """
        return query.evidence(self, a, b, limit)

    def neighbors(self, entity: str, limit: int | None = None, by: str = "weight",
                  types: str | list[str] | None = None) -> pd.DataFrame:
        """The entities co-occurring with ``entity``, strongest first.

        Parameters
        ----------
        entity : str
            An id, label or alias (any case).
        limit : int, optional
            At most this many.
        by : str
            The edge column to rank by.
        types : str or list of str, optional
            Only neighbours of these types (``"PER,ORG"``).

        Returns
        -------
        pandas.DataFrame
            ``label, type`` and the edge columns, indexed by neighbour id
            (:func:`graphbuild.query.neighbors`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> int(eg.neighbors("Chavez").loc["venezuelan", "weight"])
        1
        """
        return query.neighbors(self, entity, limit, by, types)

    def path(self, a: str, b: str, kind: str = "shortest", weight: str = "weight",
             types: str | list[str] | None = None) -> pd.DataFrame:
        """The hops of a path from ``a`` to ``b``, with the evidence of each.

        Parameters
        ----------
        a, b : str
            Entity ids, labels or aliases.
        kind : str
            ``shortest`` (fewest hops) or ``strongest`` (least total 1/weight).
        weight : str
            The edge column giving strength.
        types : str or list of str, optional
            Only pass through entities of these types.

        Returns
        -------
        pandas.DataFrame
            One row per hop (:func:`graphbuild.query.path`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> eg.path("Chavez", "Lavrov")["target"].iloc[-1]
        'sergey-lavrov'
        """
        return query.path(self, a, b, kind, weight, types=types)

    def ego(self, entity: str, radius: int = 1,
            types: str | list[str] | None = None) -> nx.Graph:
        """The networkx sub-graph within ``radius`` hops of ``entity``.

        Parameters
        ----------
        entity : str
            An id, label or alias.
        radius : int
            Hops.
        types : str or list of str, optional
            Keep only the centre and entities of these types.

        Returns
        -------
        networkx.Graph
            As :meth:`graph`, restricted (:func:`graphbuild.query.ego`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> "clinton" in gb.build("seeds/cable_09STATE83014_annotated.txt").ego("Lavrov")
        True
        """
        return query.ego(self, entity, radius, types)

    def export_ego(self, entity: str, out_dir: str | os.PathLike[str], radius: int = 1,
                   types: str | list[str] | None = None,
                   max_evidence: int | None = None) -> dict[str, Path]:
        """Write the ego sub-graph of ``entity`` (GraphML, HTML with evidence, CSV).

        Parameters
        ----------
        entity : str
            An id, label or alias.
        out_dir : str or os.PathLike
            The folder.
        radius : int
            Hops.
        types : str or list of str, optional
            Keep only the centre and entities of these types.
        max_evidence : int, optional
            At most this many paragraphs per tie in ``evidence.csv`` (default: all).

        Returns
        -------
        dict
            File name -> path (:func:`graphbuild.export.folder.write_ego`).

        Examples
        --------
        >>> import tempfile, graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> "graph.html" in eg.export_ego("Lavrov", tempfile.mkdtemp())
        True
        """
        return write_ego(self, entity, out_dir, radius, types, max_evidence)

    def brief(self, height: int = 800):
        """The brief an editor reads first (what ``brief.html`` holds), to show in Jupyter.

        Parameters
        ----------
        height : int
            Height of the inline frame, in pixels.

        Returns
        -------
        graphbuild.export.report.brief.Brief
            Shows the page inline in a notebook; ``.markdown`` / ``str()`` is ``brief.md``.

        Examples
        --------
        >>> import graphbuild as gb
        >>> str(gb.build("seeds/cable_09STATE83014_annotated.txt").brief()).splitlines()[0]
        '# Brief'
        """
        return Brief(render_brief(self), render_brief_html(self), height)

    @staticmethod
    def load(out_dir: str | os.PathLike[str] = "output") -> EntityGraph:
        """Read a built output folder back without re-parsing (:func:`load`)."""
        return load(out_dir)

    def to_html(self, size_by: str = "pagerank", max_nodes: int | None = 400,
                title: str = "graphbuild", **options) -> str:
        """The self-contained explorer page.

        Parameters
        ----------
        size_by : str
            The measure that sizes the nodes and picks which ones are shown.
        max_nodes : int or None
            At most this many entities (``None``: all); only their networkx graph is
            built, never the whole graph's.
        title : str
            The page's title.
        **options
            As :func:`graphbuild.export.html.render_html`.

        Returns
        -------
        str
            The HTML (:func:`graphbuild.export.folder.page`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> gb.build("seeds/cable_09STATE83014_annotated.txt").to_html()[:15]
        '<!DOCTYPE html>'
        """
        return page(self, size_by, max_nodes, title, **options)

    def show(self, size_by: str = "pagerank", max_nodes: int | None = 400,
             height: int = 650, **options):
        """Display the interactive graph inline in Jupyter (embedded with ``srcdoc``, no
        file, so it also works in VS Code and Colab).

        Parameters
        ----------
        size_by, max_nodes, **options
            As :meth:`to_html`.
        height : int
            The height of the frame, in pixels.

        Returns
        -------
        IPython.display.HTML
            The page in an iframe.

        Examples
        --------
        >>> import graphbuild as gb
        >>> view = gb.build("seeds/cable_09STATE83014_annotated.txt").show(height=400)
        >>> view.data.startswith('<div class="graphbuild"><iframe srcdoc=')
        True
        """
        from IPython.display import HTML

        return HTML(notebook_html(self.to_html(size_by, max_nodes, **options), height))

    def reconciliation(self) -> pd.DataFrame:
        """Annotations found = kept + dropped; files found = read + skipped (by reason).

        Returns
        -------
        pandas.DataFrame
            ``what, outcome, reason, count``
            (:func:`graphbuild.resolve.reconcile.reconciliation_table`).

        Examples
        --------
        >>> import graphbuild as gb
        >>> r = gb.build("seeds/cable_09STATE83014_annotated.txt").reconciliation()
        >>> r.set_index(["what", "outcome"]).loc[("annotations", "found"), "count"].item()
        180
        """
        return reconciliation_table(self.documents, self.mentions, self.diagnostics)

    def export(self, out_dir: str | os.PathLike[str], size_by: str = "pagerank",
               color_by: str = "type", max_nodes: int | None = 400,
               atomic: bool = True, csv_max_rows: int | None = CSV_MAX_ROWS,
               parallel: bool | None = None) -> dict[str, Path]:
        """Write every output file into ``out_dir``.

        Parameters
        ----------
        out_dir : str or os.PathLike
            The output folder (replaced as a whole once complete, with ``atomic``).
        size_by, color_by, max_nodes, atomic, csv_max_rows, parallel
            As :func:`graphbuild.export.folder.export_folder`.

        Returns
        -------
        dict
            File name -> path. The build's ``settings`` are not changed; what the export
            decided (CSV files left out, graph files cut to the top entities) is in
            ``build.json`` and the report.

        Examples
        --------
        >>> import tempfile, graphbuild as gb
        >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
        >>> "graph.graphml" in eg.export(tempfile.mkdtemp())
        True
        """
        written, _ = export_folder(self, out_dir, size_by, color_by, max_nodes, atomic,
                                   csv_max_rows, parallel)
        return written

    # --- Jupyter -------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        """Counts, entities by type, what filters removed and the top 10 entities by
        PageRank (every document-derived string HTML-escaped)."""
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
        top = ""
        if "pagerank" in self.centrality and len(self.entities):
            frame = self.top("pagerank", 10)
            frame["pagerank"] = frame["pagerank"].map(lambda v: f"{v:.4f}")
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


def load(out_dir: str | os.PathLike[str] = "output") -> EntityGraph:
    """Read a folder written by ``graphbuild build`` back, without re-parsing.

    Parameters
    ----------
    out_dir : str or os.PathLike
        The output folder.

    Returns
    -------
    EntityGraph
        The tables of the build (:func:`graphbuild.store.load`) with every view.

    Raises
    ------
    InputError
        When the folder does not exist, holds no graphbuild output, or is damaged.

    Examples
    --------
    >>> import tempfile, graphbuild as gb
    >>> folder = tempfile.mkdtemp()
    >>> _ = gb.build("seeds/cable_09STATE83014_annotated.txt").export(folder)
    >>> gb.load(folder).neighbors("Lavrov").index[0]
    'clinton'
    """
    return EntityGraph.of(load_tables(out_dir))
