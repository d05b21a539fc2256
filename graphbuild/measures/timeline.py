"""Time: per-period graphs from document dates (``--period year|month``).

Each document falls in the period of its ``created`` date (the cable's date; ``YYYY-MM-DD``
with an optional time). A per-period graph counts co-occurrence over that period's documents
only, with the same unit as the whole graph — the Network-of-Thrones method of one network
per book, here one per year or month. Documents without a parsable date are left out of the
per-period tables (and counted, so the report can say so).

Tables (all long format, easy to pivot or plot):

* ``edges``: ``period, source, target, weight, documents`` per period;
* ``trends``: one row per edge: ``first, last, peak, periods, slope, trend``; ``slope`` is
  the least-squares slope of the edge's *share* of its period's total weight over the
  period index (shares, so a year with many more cables does not make every edge "rise"),
  ``trend`` is ``rising`` (slope > 0), ``fading`` (slope < 0) or ``stable``;
* ``centrality``: ``period, entity_id`` + degree, strength, betweenness and PageRank of
  each entity in each period's graph (entities mentioned that period, also without edges).

Spells (``node_spells``/``edge_spells``: id -> list of ``(start, end)`` ISO dates, one per run
of consecutive periods) feed the GEXF export so Gephi's timeline can play the graph.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from graphbuild.count.cooccur import cooccurrence
from graphbuild.measures.centrality import centralities_from_tables
from graphbuild.segment import EDGE_SECTIONS

PERIODS = ("year", "month")
#: measures computed on every period's graph
PERIOD_MEASURES = ("degree", "strength", "betweenness", "pagerank")


@dataclass
class Timeline:
    """Per-period tables; see the module docstring."""

    period: str
    periods: list[str]
    edges: pd.DataFrame
    trends: pd.DataFrame
    centrality: pd.DataFrame
    node_spells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    edge_spells: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    undated: list[str] = field(default_factory=list)


def document_periods(documents: pd.DataFrame, period: str = "year") -> pd.Series:
    """The period label of every document (``"2009"`` or ``"2009-08"``), NA when undated.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...                      "created": ["2009-08-10 21:09", "1966-12-28", None]})
    >>> document_periods(docs, "month").tolist()
    ['2009-08', '1966-12', <NA>]
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; choose from {', '.join(PERIODS)}")
    created = documents["created"].astype("string").str.strip()
    dates = pd.to_datetime(created.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    fmt = "%Y" if period == "year" else "%Y-%m"
    labels = pd.Series(dates.dt.strftime(fmt).to_numpy(), index=documents["doc_id"].to_numpy(),
                       dtype="string")
    labels.index.name = "doc_id"
    return labels


def period_bounds(label: str) -> tuple[str, str]:
    """First and last day of a period label, as ISO dates.

    >>> period_bounds("2009"), period_bounds("2008-02")
    (('2009-01-01', '2009-12-31'), ('2008-02-01', '2008-02-29'))
    """
    if len(label) == 4:
        return f"{label}-01-01", f"{label}-12-31"
    year, month = int(label[:4]), int(label[5:7])
    return f"{label}-01", f"{label}-{calendar.monthrange(year, month)[1]:02d}"


def _all_periods(labels: Sequence[str], period: str) -> list[str]:
    """Every period between the first and the last label (empty periods included)."""
    if not labels:
        return []
    lo, hi = min(labels), max(labels)
    freq = "YS" if period == "year" else "MS"
    fmt = "%Y" if period == "year" else "%Y-%m"
    return [d.strftime(fmt) for d in pd.date_range(lo, hi, freq=freq)]


def timeline(mentions: pd.DataFrame, documents: pd.DataFrame, period: str = "year",
             unit: str = "paragraph", paragraphs: pd.DataFrame | None = None,
             sections: Sequence[str] = EDGE_SECTIONS, entities: Sequence[str] | None = None,
             seed: int = 42, weight: str = "weight") -> Timeline:
    """Per-period co-occurrence, edge trends, centrality over time and GEXF spells.

    Parameters
    ----------
    mentions, documents : pandas.DataFrame
        The resolved mentions and the documents (``created`` dates).
    period : str
        ``year`` or ``month``.
    unit : str
        The unit of co-occurrence (:func:`graphbuild.cooccurrence`).
    paragraphs : pandas.DataFrame, optional
        The paragraphs table (the ``N`` of the association measures, per period).
    sections : sequence of str
        Sections whose mentions make edges.
    entities : sequence of str, optional
        Restrict the tables to these entity ids (the filtered graph's nodes).
    seed : int
        Seed of the sampled measures.
    weight : str
        The edge column that drives each period's centralities (``--weight``, computed
        within the period: its N is the period's units).

    Returns
    -------
    Timeline
        ``edges``, ``trends``, ``centrality`` per period, node and edge spells, and the
        undated documents (module docstring).

    Raises
    ------
    ValueError
        For an unknown period.

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "paragraph": [1, 1, 1, 1],
    ...                   "entity_id": ["x", "y", "x", "y"], "section": ["body"] * 4,
    ...                   "status": ["kept"] * 4})
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "created": ["2008-05-01", "2010-01-02"]})
    >>> t = timeline(m, docs)
    >>> t.periods, t.edges["period"].tolist()
    (['2008', '2009', '2010'], ['2008', '2010'])
    >>> t.edge_spells[("x", "y")]
    [('2008-01-01', '2008-12-31'), ('2010-01-01', '2010-12-31')]
    """
    labels = document_periods(documents, period)
    undated = sorted(labels[labels.isna()].index.astype(str))
    dated = labels.dropna()
    periods = _all_periods(sorted(set(dated)), period)
    keep_ents = set(entities) if entities is not None else None
    m = mentions[mentions["doc_id"].isin(dated.index)]
    if keep_ents is not None:
        m = m[m["entity_id"].isin(keep_ents)]
    m = m.assign(_period=m["doc_id"].map(dated))
    edge_rows, cent_rows = [], []
    node_periods: dict[str, set[str]] = {}
    for label in periods:
        pm = m[m["_period"] == label]
        if pm.empty:
            continue
        docs = set(pm["doc_id"])
        paras = paragraphs[paragraphs["doc_id"].isin(docs)] if paragraphs is not None else None
        co = cooccurrence(pm, sections, unit, paras)
        edge_rows.append(co.edges[["source", "target", "weight", "documents"]].assign(
            period=label))
        counted = pm[pm["status"].eq("kept") & pm["entity_id"].notna()
                     & pm["section"].isin(list(sections))]
        nodes = sorted(set(counted["entity_id"]))
        for n in nodes:
            node_periods.setdefault(n, set()).add(label)
        c = centralities_from_tables(pd.DataFrame({"entity_id": nodes}), co.edges,
                                     weight=weight, seed=seed,
                                     measures=PERIOD_MEASURES).reset_index()
        cent_rows.append(c.assign(period=label))
    edges = (pd.concat(edge_rows, ignore_index=True) if edge_rows else
             pd.DataFrame(columns=["source", "target", "weight", "documents", "period"]))
    edges = edges[["period", "source", "target", "weight", "documents"]]
    cent = (pd.concat(cent_rows, ignore_index=True) if cent_rows else
            pd.DataFrame(columns=["entity_id", *PERIOD_MEASURES, "period"]))
    cent = cent[["period", "entity_id", *PERIOD_MEASURES]]
    edge_periods: dict[tuple[str, str], set[str]] = {}
    for p, s, t in zip(edges["period"], edges["source"], edges["target"], strict=True):
        edge_periods.setdefault((s, t), set()).add(p)
    return Timeline(period, periods, edges, edge_trends(edges, periods), cent,
                    {n: spells(ps, periods) for n, ps in node_periods.items()},
                    {e: spells(ps, periods) for e, ps in edge_periods.items()}, undated)


def period_graph(tl: Timeline, period: str, labels: pd.DataFrame | None = None) -> nx.Graph:
    """The networkx graph of one period: its entities (with their period centralities)
    and edges (``weight``, ``documents``); ``labels`` (the entities table) adds ``label``
    and ``type``.

    >>> m = pd.DataFrame({"doc_id": ["a", "a"], "paragraph": [1, 1], "entity_id": ["x", "y"],
    ...                   "section": ["body"] * 2, "status": ["kept"] * 2})
    >>> t = timeline(m, pd.DataFrame({"doc_id": ["a"], "created": ["2008-05-01"]}))
    >>> G = period_graph(t, "2008")
    >>> sorted(G.nodes), G.edges["x", "y"]["weight"], G.nodes["x"]["degree"]
    (['x', 'y'], 1, 1.0)
    """
    if period not in tl.periods:
        raise ValueError(f"no period {period!r}; periods are {', '.join(tl.periods)}")
    G = nx.Graph(period=period)
    info = {}
    if labels is not None and len(labels):
        info = labels.set_index("entity_id")[["label", "type"]].to_dict("index")
    cent = tl.centrality[tl.centrality["period"] == period]
    for row in cent.to_dict("records"):
        node = row.pop("entity_id")
        row.pop("period")
        G.add_node(node, **info.get(node, {}), **{k: float(v) for k, v in row.items()})
    e = tl.edges[tl.edges["period"] == period]
    G.add_edges_from((s, t, {"weight": int(w), "documents": int(d)}) for s, t, w, d in zip(
        e["source"], e["target"], e["weight"], e["documents"], strict=True))
    return G


def spells(present: set[str], periods: Sequence[str]) -> list[tuple[str, str]]:
    """One ``(start, end)`` ISO interval per run of consecutive periods in ``present``.

    >>> spells({"2001", "2002", "2004"}, ["2001", "2002", "2003", "2004"])
    [('2001-01-01', '2002-12-31'), ('2004-01-01', '2004-12-31')]
    """
    out: list[tuple[str, str]] = []
    run: list[str] = []
    for p in list(periods) + [None]:
        if p is not None and p in present:
            run.append(p)
        elif run:
            out.append((period_bounds(run[0])[0], period_bounds(run[-1])[1]))
            run = []
    return out


def edge_trends(edges: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Per edge: first/last/peak period, number of periods, share slope and trend.

    >>> e = pd.DataFrame({"period": ["1", "2", "2"], "source": ["a", "a", "b"],
    ...                   "target": ["b", "c", "c"], "weight": [2, 1, 3]})
    >>> edge_trends(e, ["1", "2"])[["source", "target", "slope", "trend"]].values.tolist()
    [['a', 'b', -1.0, 'fading'], ['b', 'c', 0.75, 'rising'], ['a', 'c', 0.25, 'rising']]
    """
    cols = ["source", "target", "first", "last", "peak", "periods", "slope", "trend"]
    if edges.empty or not periods:
        return pd.DataFrame(columns=cols)
    index = {p: i for i, p in enumerate(periods)}
    totals = edges.groupby("period")["weight"].sum()
    share = edges.assign(share=edges["weight"] / edges["period"].map(totals),
                         t=edges["period"].map(index))
    wide = share.pivot_table(index=["source", "target"], columns="t", values="share",
                             aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=range(len(periods)), fill_value=0.0)
    x = np.arange(len(periods), dtype="float64")
    y = wide.to_numpy(dtype="float64")
    if len(periods) > 1:
        xc = x - x.mean()
        slope = (y - y.mean(axis=1, keepdims=True)) @ xc / (xc @ xc)
    else:
        slope = np.zeros(len(wide))
    present = y > 0
    first = present.argmax(axis=1)
    last = len(periods) - 1 - present[:, ::-1].argmax(axis=1)
    peak = y.argmax(axis=1)
    eps = 1e-12
    trend = np.where(slope > eps, "rising", np.where(slope < -eps, "fading", "stable"))
    p = np.asarray(periods, dtype=object)
    out = pd.DataFrame({"source": wide.index.get_level_values(0),
                        "target": wide.index.get_level_values(1),
                        "first": p[first], "last": p[last], "peak": p[peak],
                        "periods": present.sum(axis=1), "slope": slope, "trend": trend})
    order = np.lexsort((out["target"], out["source"], -np.abs(out["slope"].to_numpy())))
    return out.iloc[order].reset_index(drop=True)
