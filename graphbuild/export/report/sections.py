"""The sections of the report, each a function of the tables returning blocks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphbuild.core.tables import Tables, positions
from graphbuild.export.report.charts import bar_chart, degree_distribution_chart
from graphbuild.export.report.render import (
    Block,
    Choice,
    Figure,
    Heading,
    Para,
    Quote,
    Table,
    fmt,
    plural,
)
from graphbuild.export.tables import edges_table
from graphbuild.measures.centrality import DISTANCE_NOTE, MEASURES, brokers, rank_correlation
from graphbuild.measures.highlights import community_names
from graphbuild.measures.summary import summary_of
from graphbuild.query import highlight_spans, snippet
from graphbuild.resolve import dropped_forms, largest_merges
from graphbuild.resolve.reconcile import describe, reconciliation_table

TOP = 20
#: bars per "top entities" chart
TOP_CHART = 15
#: strongest edges whose evidence paragraphs are quoted in full
QUOTED_EDGES = 5
#: paragraphs quoted per edge, and characters per quoted paragraph
QUOTED_PARAGRAPHS = 2
QUOTE_CHARS = 600
#: node-table columns that are not measures
NON_MEASURES = {"id", "label", "type", "other_types", "aliases", "mentions", "paragraphs",
                "documents", "community"}


def measure_columns(nodes: pd.DataFrame) -> list[str]:
    """Numeric node columns that rank entities: :data:`MEASURES` first, then any other
    measure the build added (``community`` and entity counts excluded).

    >>> measure_columns(pd.DataFrame({"label": ["a"], "mentions": [1], "community": [0],
    ...                               "katz": [2.0], "pagerank": [1.0]}))
    ['pagerank', 'katz']
    """
    numeric = [c for c in nodes.columns if c not in NON_MEASURES
               and pd.api.types.is_numeric_dtype(nodes[c])
               and not pd.api.types.is_bool_dtype(nodes[c])]
    return [m for m in MEASURES if m in numeric] + [c for c in numeric if c not in MEASURES]


def _corpus_blocks(eg: Tables) -> list[Block]:
    counts = eg.summary()
    counts["warnings"] = len(eg.diagnostics.warnings)
    blocks: list[Block] = [Heading(2, "Corpus"),
                           Table(pd.DataFrame(list(counts.items()), columns=["what", "count"]))]
    docs = eg.documents
    if "created" in docs and docs["created"].notna().any():
        dates = docs["created"].dropna().astype(str).sort_values()
        blocks.append(Para(f"Documents dated from {dates.iloc[0]} to {dates.iloc[-1]} "
                           f"({len(dates)} of {len(docs)} dated)."))
    if "format" in docs and len(docs):
        fmt = docs["format"].astype(str).value_counts().rename_axis("format")
        blocks.append(Table(fmt.rename("documents").reset_index()))
    blocks += [Heading(2, "Resolution"),
               Para("How mentions became entities: spelling variants of a name (case, "
                    "accents, spacing, dots) merge into one entity, an abbreviation joins the "
                    "long form it is defined with and a surname the only full name that holds "
                    "it; the type is the majority vote of its mentions.")]
    m = eg.mentions
    # only the columns used, then the rows: the mentions table has millions of rows
    kept = m["surface"][m["status"].eq("kept")]
    ents = eg.entities
    aliased = ents["aliases"].fillna("").astype(str).ne("") if "aliases" in ents else \
        pd.Series(False, index=ents.index)
    conflicts = ents["other_types"].fillna("").astype(str).ne("") if "other_types" in ents \
        else pd.Series(False, index=ents.index)
    rows = [("kept mentions", len(kept)),
            ("distinct spellings", int(kept.nunique()) if len(kept) else 0),
            ("entities", len(ents)),
            ("entities merging several spellings", int(aliased.sum())),
            ("entities annotated with several types", int(conflicts.sum()))]
    blocks.append(Table(pd.DataFrame(rows, columns=["what", "count"])))
    if len(ents):
        by_type = ents["type"].astype(str).value_counts().rename_axis("type")
        blocks.append(Table(by_type.rename("entities").reset_index()))
    dropped = m["reason"][m["status"].ne("kept")]
    if len(dropped):
        reasons = dropped.fillna("").astype(str).value_counts().rename_axis("reason")
        blocks += [Para("Mentions dropped, by reason:"),
                   Table(reasons.rename("mentions").reset_index())]
    if conflicts.any():
        view = ents.loc[conflicts].sort_values("mentions", ascending=False).head(TOP)
        blocks += [Para("Entities annotated with several types (kept type first):"),
                   Table(view[["label", "type", "other_types", "mentions"]])]
    return blocks


def _filter_blocks(eg: Tables) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Filters")]
    if eg.filters_removed:
        blocks.append(Table(pd.DataFrame(list(eg.filters_removed.items()),
                                         columns=["filter", "removed"])))
    else:
        blocks.append(Para("No filter removed anything: every entity and edge is shown."))
    return blocks


def _measure_blocks(eg: Tables, nodes: pd.DataFrame) -> list[Block]:
    """One ranking table with a measure selector (HTML) or one column per measure
    (Markdown), instead of a chart per measure: the measures mostly agree, and where they
    differ the table shows it."""
    blocks: list[Block] = [Heading(2, "Top entities"), Para(DISTANCE_NOTE)]
    if nodes.empty:
        return blocks + [Para("No entity.")]
    ranks = pd.DataFrame(index=pd.RangeIndex(1, min(TOP, len(nodes)) + 1, name="rank"))
    # closeness is in nodes.csv but not ranked here: on a graph in pieces harmonic
    # centrality is the closeness that compares entities of different components
    measures = [m for m in measure_columns(nodes) if m != "closeness"]
    if "betweenness" in measures and eg.settings.get("betweenness"):
        blocks.append(Para(f"Betweenness: {eg.settings['betweenness']}."))
    if "harmonic" in measures:
        blocks.append(Para("Closeness is ranked as harmonic centrality (the mean of "
                           "1/distance over all other entities, 0 for one out of reach; "
                           "Marchiori and Latora 2000): unlike classic closeness it compares "
                           "entities of different components. nodes.csv has both."))
    options = []
    for measure in measures:
        top = nodes.sort_values([measure, "label"], ascending=[False, True],
                                na_position="last").head(TOP)
        ranks[measure] = [f"{label} ({fmt(float(v))})" for label, v in
                          zip(top["label"].astype(str), top[measure].fillna(0), strict=True)]
        options.append((measure, pd.DataFrame({
            "rank": range(1, len(top) + 1), "entity": top["label"].astype(str).to_numpy(),
            "type": top["type"].astype(str).to_numpy(),
            measure: top[measure].fillna(0).astype(float).to_numpy(),
            "mentions": top["mentions"].astype(int).to_numpy(),
            "documents": top["documents"].astype(int).to_numpy()})))
    blocks += [Para(f"The {len(ranks)} highest-ranked entities by each measure (ties in "
                    "label order); choose the measure above the table:"),
               Choice("ranking", options, ranks.reset_index())]
    return blocks


def _stability_blocks(eg: Tables) -> list[Block]:
    """The rank intervals of ``--stability N``: one table per measure (a selector)."""
    st = eg.stability
    if st is None or st.empty:
        return []
    labels = eg.entities.set_index("entity_id")["label"]
    options = []
    for measure, rows in st.groupby("measure", sort=False):
        top = rows.sort_values(["rank", "entity_id"], kind="stable").head(TOP)
        options.append((measure, pd.DataFrame({
            "rank": top["rank"].astype(int).to_numpy(),
            "entity": top["entity_id"].map(labels).fillna(top["entity_id"]).astype(str)
            .to_numpy(),
            "95% interval": [f"{lo}–{hi}" for lo, hi in zip(top["rank_lo"], top["rank_hi"],
                                                              strict=True)],
            f"share in the top {TOP}": [f"{x:.0%}" for x in top["top_share"]]})))
    combined = pd.concat([frame.assign(measure=m) for m, frame in options], ignore_index=True)
    return [Heading(2, "Rank stability"),
            Para(f"{eg.settings.get('stability', 'bootstrap over documents')}. Each "
                 "resample draws the documents with replacement and recomputes the measures; "
                 "the interval holds the entity's rank in 95% of them (a wide one: do not "
                 "quote the rank)."),
            Choice("stability", options,
                   combined[["measure", "rank", "entity", "95% interval",
                             f"share in the top {TOP}"]])]


def _degree_blocks(eg: Tables, nodes: pd.DataFrame) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Degree distribution")]
    degree = _degrees(eg)
    if degree.empty or not (degree > 0).any():
        return blocks + [Para("No edge, so no degree distribution.")]
    isolated = int((degree == 0).sum())
    no_edge = "1 entity has no edge" if isolated == 1 else f"{isolated} entities have no edge"
    blocks.append(Para(f"Degree = number of distinct entities an entity co-occurs with. "
                       f"Max {int(degree.max())}, median {degree.median():g}; {no_edge} "
                       f"(not on the log-log plot)."))
    blocks.append(Figure("degree-distribution", "degree distribution, log-log",
                         degree_distribution_chart(degree)))
    return blocks


def _degrees(eg: Tables) -> pd.Series:
    ids = eg.entities["entity_id"]
    # each edge end's row in the entities table, hashed by Arrow (22 M ends at scale);
    # an end outside the table (a filtered view) is not counted, as reindex dropped it
    ends = np.concatenate([positions(eg.edges["source"], ids),
                           positions(eg.edges["target"], ids)])
    counts = np.bincount(ends[ends >= 0], minlength=len(ids))
    return pd.Series(counts.astype(int), index=pd.Index(ids, name="entity_id"),
                     name="count")


def _community_blocks(eg: Tables, nodes: pd.DataFrame) -> list[Block]:
    """One section for the partition of the node table's ``community`` column: one row per
    community (size, types, edges, top entities, brokers, representative paragraphs, from
    ``communities``, the summary of that same partition) and a sizes chart."""
    if "community" not in nodes or nodes["community"].isna().all():
        return []
    summary = summary_of(eg)
    types = (nodes.dropna(subset=["community"])
             .assign(community=lambda f: f["community"].astype("int64"),
                     type=lambda f: f["type"].astype(str))
             .groupby("community")["type"].value_counts(sort=True))
    type_text = {c: ", ".join(f"{t} {n}" for (_, t), n in group.items())
                 for c, group in types.groupby(level=0)}
    names = community_names(summary, eg.entities)
    labels = eg.entities.set_index("entity_id")["label"]
    table = pd.DataFrame({
        "community": summary["community"].map(names), "size": summary["size"],
        "types": summary["community"].map(type_text).fillna(""),
        "internal edges": summary["internal_edges"],
        "external edges": summary["external_edges"],
        "top entities (by pagerank)": summary["top_entities"],
        "brokers": [_broker_text(ids, reach, names, labels) for ids, reach in
                    zip(summary["broker_ids"], summary["broker_reach"] if "broker_reach" in
                        summary else [[]] * len(summary), strict=True)],
        "paragraphs": summary["paragraphs"]})
    several = int((table["size"] > 1).sum())
    blocks: list[Block] = [
        Heading(2, "Communities"),
        Para(f"{len(table)} communities, {several} of them with 2 or more entities; the "
             f"largest {min(TOP, len(table))}, each named by its top 3 members. Brokers are "
             "the members with the most edge weight to other communities (→ how many they "
             "reach); paragraphs are the most representative ones (they mention most of the "
             "community's top entities)."),
        Table(table.head(TOP))]
    chart = table.head(30)
    blocks.append(Figure("community-sizes", "community sizes",
                         bar_chart([str(c) for c in chart["community"]],
                                   chart["size"].astype(float).tolist(),
                                   "Community sizes (entities)", color="#009E73")))
    return blocks


def _broker_text(ids, reach, names: dict, labels: pd.Series) -> str:
    """``"Lula → 12 other communities"`` per broker: how far it reaches, not a list of
    community numbers (the communities are named in the table's first column)."""
    return "; ".join(f"{labels.get(i, i)} → {len(list(r))} other "
                     f"communit{'y' if len(list(r)) == 1 else 'ies'}"
                     for i, r in zip(list(ids), list(reach), strict=False))


def _edge_blocks(eg: Tables) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Strongest edges")]
    if eg.edges.empty:
        return blocks + [Para("No edge.")]
    blocks.append(Para("weight = distinct paragraphs in which both entities are mentioned; "
                       "documents = distinct documents; evidence = document:¶paragraph."))
    # the evidence of these edges only
    edges = edges_table(eg.edges, eg.evidence, evidence_limit=5, top=TOP)
    labels = eg.entities.set_index("entity_id")["label"]
    view = pd.DataFrame({"source": edges["source"].map(labels),
                         "target": edges["target"].map(labels)})
    for col in edges.columns:
        if col not in ("source", "target", "evidence"):
            view[col] = edges[col].to_numpy()
    view["evidence"] = edges["evidence"].to_numpy()
    blocks.append(Table(view))
    blocks.append(Heading(3, f"Evidence of the {min(QUOTED_EDGES, len(edges))} strongest edges"))
    pairs = list(zip(edges["source"].head(QUOTED_EDGES).tolist(),
                     edges["target"].head(QUOTED_EDGES).tolist(), strict=True))
    quoted = quoted_evidence(eg, pairs, QUOTED_PARAGRAPHS)
    for (s, t), ev in zip(pairs, quoted, strict=True):
        blocks.append(Para(f"{labels[s]} — {labels[t]}"))
        for row in ev.itertuples(index=False):
            text = str(row.text) if isinstance(row.text, str) else ""
            short = snippet(text, row.surfaces, QUOTE_CHARS)
            marks = highlight_spans(short, row.surfaces)
            blocks.append(Quote(f"{row.doc_id}:¶{row.paragraph}", short, marks))
    return blocks


def quoted_evidence(eg: Tables, pairs: list[tuple[str, str]], limit: int,
                    ) -> list[pd.DataFrame]:
    """Per entity-id pair, its first ``limit`` evidence paragraphs: ``doc_id, paragraph,
    text, surfaces``, as :func:`graphbuild.query.evidence` gives them, but with each big
    table (evidence, paragraphs, mentions: millions of rows) filtered once for all pairs,
    and surfaces gathered for the quoted paragraphs only.

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> quoted_evidence(eg, [("uribe", "chavez")], 2)[0]["paragraph"].tolist()
    [3]
    """
    ids = {x for pair in pairs for x in pair}
    ev = eg.evidence
    ev = ev[ev["source"].isin(ids) & ev["target"].isin(ids)]
    frames = []
    for a, b in pairs:
        s, t = sorted((a, b))
        frames.append(ev[(ev["source"] == s) & (ev["target"] == t)][["doc_id", "paragraph"]]
                      .head(limit))
    docs = {d for f in frames for d in f["doc_id"].tolist()}
    paras = eg.paragraphs[["doc_id", "paragraph", "text"]]
    paras = paras[paras["doc_id"].isin(docs)]
    m = eg.mentions
    m = m[m["entity_id"].isin(ids) & m["doc_id"].isin(docs)]
    out = []
    for (a, b), rows in zip(pairs, frames, strict=True):
        rows = rows.merge(paras, on=["doc_id", "paragraph"], how="left")
        mm = m[m["entity_id"].isin([a, b])]
        surf = (mm.groupby(["doc_id", "paragraph"])["surface"]
                .agg(lambda x: "|".join(sorted(set(map(str, x)), key=lambda y: (-len(y), y)))))
        key = pd.MultiIndex.from_frame(rows[["doc_id", "paragraph"]])
        rows["surfaces"] = surf.reindex(key).to_numpy() if len(rows) else \
            pd.Series(dtype=object)
        out.append(rows.reset_index(drop=True))
    return out


def _warning_blocks(eg: Tables) -> list[Block]:
    problems = eg.problems
    if problems.empty:
        return []
    kinds = (problems.groupby(["severity", "code"]).size().rename("count").reset_index()
             .sort_values("count", ascending=False))
    return [Heading(2, "Warnings"),
            Para("Problems found in the input, by kind (each one with file:line in "
                 "warnings.csv):"), Table(kinds)]


def _judgement_blocks(replay: dict) -> list[Block]:
    """The analyst's judgements (``--judgements``): how many were applied, which are stale."""
    stale = list(replay.get("stale", []))
    blocks: list[Block] = [Heading(3, "Your judgements"), Para(
        f"{plural(int(replay.get('applied', 0)), 'judgement')} from {replay.get('file', '')} "
        "applied over every automatic rule"
        + (f"; stale (matching nothing any more, not applied): {len(stale):,}"
           if stale else "; none is stale (each matches something)."))]
    if stale:
        blocks.append(Table(pd.DataFrame({"stale judgement": stale})))
    applied = list(replay.get("decisions", []))
    if applied:
        blocks.append(Table(pd.DataFrame({"applied": applied[:TOP * 5]})))
    return blocks


def _resolution_blocks(eg: Tables) -> list[Block]:
    """How surface forms became entities: largest merges, drops, ambiguous names."""
    audit = eg.resolution
    if "rule" not in audit:
        return []
    kept = audit["entity_id"].notna() & audit["entity_id"].ne("")
    resolved = int(audit.loc[kept, "entity_id"].nunique())
    alone = int(eg.filters_removed.get("entities without an edge", 0))
    left_out = (f" ({alone:,} of them share no paragraph with another and are left out of "
                "the graph)" if alone else "")
    blocks: list[Block] = [Para(
        f"{int(kept.sum()):,} surface forms (distinct spelling and type, as annotated) "
        f"became {resolved:,} entities{left_out}; {int((~kept).sum()):,} forms "
        f"({int(audit.loc[~kept, 'mentions'].sum()):,} mentions) were dropped as not "
        "entities. Every form, its entity and the rule that decided are in resolution.csv."),
        Heading(3, "Largest merges")]
    replay = eg.settings.get("judgements")
    if replay:
        blocks[-1:-1] = _judgement_blocks(replay)
    merges = largest_merges(audit, eg.entities, TOP)
    blocks.append(Table(merges[["label", "type", "forms", "mentions", "surfaces"]]))
    blocks.append(Heading(3, "Dropped"))
    dropped = dropped_forms(audit)
    if dropped.empty:
        blocks.append(Para("Nothing was dropped."))
    else:
        blocks.append(Table(dropped.groupby("rule", sort=True).agg(
            forms=("surface", "size"), mentions=("mentions", "sum"),
            examples=("surface", lambda s: ", ".join(s.head(8)))).reset_index()))
    amb = getattr(eg, "ambiguous", None)
    blocks.append(Heading(3, "Ambiguous names left apart"))
    if amb is None or amb.empty:
        blocks.append(Para("None."))
    else:
        view = (amb.groupby(["kind", "name", "candidates"], sort=True)
                .agg(documents=("doc_id", "nunique"), mentions=("mentions", "sum"))
                .reset_index().sort_values("mentions", ascending=False, kind="stable"))
        blocks.append(Table(view.head(TOP)))
    return blocks


def _reconciliation_blocks(eg: Tables) -> list[Block]:
    """Nothing lost: annotations found = kept + dropped; files found = read + skipped."""
    return [Heading(2, "Reconciliation"),
            *[Para(line) for line in describe(reconciliation_table(
                eg.documents, eg.mentions, eg.diagnostics))]]


def _settings_blocks(eg: Tables) -> list[Block]:
    s = eg.settings
    if not s:
        return []
    return [Heading(2, "Analysis settings"), Table(pd.DataFrame(
        [("unit", s.get("unit")), ("units (N)", s.get("units")),
         ("edge weight driving centrality", s.get("weight")),
         ("path length", "1/weight"), ("betweenness", s.get("betweenness")),
         ("communities", s.get("communities")), ("seed", s.get("seed")),
         ("rank stability", s.get("stability", "not measured (--stability N)")),
         ("mentions from", s.get("mentions_from", "")), ("engine", s.get("engine", ""))]
        # what the output folder holds of the biggest tables (graph files, CSVs)
        + [(label, s[key]) for key, label in (("graph_files", "graph files"),
                                              ("csv_skipped", "CSV files not written"))
           if s.get(key)],
        columns=["setting", "value"]).astype(str))]


def _broker_blocks(eg: Tables) -> list[Block]:
    if len(eg.centrality) <= 1:
        return []
    b = brokers(eg.centrality, TOP)
    labels = eg.entities.set_index("entity_id")["label"]
    b = b.assign(label=labels.reindex(b.index).to_numpy())
    if not len(b):
        return []
    return [Heading(2, "Brokers"),
            Para("Betweenness rank minus degree rank: entities on more shortest paths "
                 "than their number of contacts suggests."),
            Table(b.reset_index()[["label", "degree", "betweenness", "broker_score"]])]


def _correlation_blocks(eg: Tables) -> list[Block]:
    if len(eg.centrality) <= 1:
        return []
    corr = rank_correlation(eg.centrality).round(2).reset_index(names="measure")
    return [Heading(2, "Rank correlation between measures (Spearman)"),
            Para("How far the measures agree on the order of all entities (1: the same "
                 "order)."), Table(corr)]


def _time_blocks(eg: Tables) -> list[Block]:
    tl = eg.timeline
    if tl is None or not len(tl.trends):
        return []
    labels = eg.entities.set_index("entity_id")["label"]
    trends = tl.trends.assign(source=tl.trends["source"].map(labels),
                              target=tl.trends["target"].map(labels))
    cols = ["source", "target", "first", "last", "peak", "slope"]
    lead = (tl.centrality.sort_values(["period", "pagerank", "entity_id"],
                                      ascending=[True, False, True])
            .groupby("period").head(3))
    lead = lead.assign(label=lead["entity_id"].map(labels))
    return [Heading(2, f"Over time (per {tl.period})"),
            Para(f"Periods: {tl.periods[0]} to {tl.periods[-1]}; "
                 f"{len(tl.undated)} undated document(s) left out."),
            Heading(3, "Rising edges"),
            Table(trends[trends["trend"] == "rising"].head(TOP)[cols]),
            Heading(3, "Fading edges"),
            Table(trends[trends["trend"] == "fading"].head(TOP)[cols]),
            Heading(3, "Most central entities per period (PageRank)"),
            Table(lead[["period", "label", "pagerank", "degree"]])]


