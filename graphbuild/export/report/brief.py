"""Export stage, the brief: ``brief.md`` and ``brief.html``, the one or two screens a
reporter reads before opening the graph (also the first section of ``report.html``).

Deterministic and without any language model: every figure comes from the tables
(:mod:`graphbuild.measures.highlights` computes what to say) and every quoted statement
carries its citation — cable id, date and ¶ — with a link that opens the tie in
``graph.html`` (``graph.html#edge=SOURCE|TARGET``; ``#node=ID`` for an entity). Sections:
the corpus in one paragraph, the top people, organisations and places, key relationships,
brokers between named communities, what changed between the earlier and the later half of
the dated documents, surprising ties, and what the reader should know (redactions, dropped
mentions, ambiguous names, how far to trust the ranking).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from graphbuild.core.files import atomic_write
from graphbuild.core.tables import Tables, pair_positions
from graphbuild.export.notebook import notebook_html
from graphbuild.export.report.render import (
    Block,
    Cards,
    Columns,
    Heading,
    Para,
    Quote,
    Table,
    plural,
    render_html_report,
    render_markdown,
)
from graphbuild.measures.highlights import (
    background_entities,
    bridges,
    changes,
    community_names,
    halves,
    key_relationships,
    strongest_ties,
    surprising_ties,
    top_entities,
)
from graphbuild.measures.summary import summary_of
from graphbuild.query import highlight_spans, snippet, window

__all__ = ["Brief", "brief_blocks", "citations", "render_brief", "render_brief_html", "shifted",
           "write_brief", "node_link", "edge_link"]

TYPE_TITLES = (("PER", "People"), ("ORG", "Organisations"), ("LOC", "Places"))
#: entities per type table, relationships and surprising ties quoted
TOP_PER_TYPE = 5
KEY_TIES = 5
SURPRISING = 3
BROKERS = 4
#: characters of a quoted paragraph
QUOTE_CHARS = 260
#: a tie must be seen in this many paragraphs, of this many documents, to count as surprising
MIN_SUPPORT = 3
MIN_DOCUMENTS = 2


def node_link(entity_id: str) -> str:
    """The ``graph.html`` link that opens an entity.

    >>> node_link("hugo-chavez")
    'graph.html#node=hugo-chavez'
    """
    return "graph.html#node=" + quote(str(entity_id), safe="")


def edge_link(source: str, target: str) -> str:
    """The ``graph.html`` link that opens the tie ``source``–``target`` and its evidence.

    >>> edge_link("farc", "uribe")
    'graph.html#edge=farc|uribe'
    """
    return f"graph.html#edge={quote(str(source), safe='')}|{quote(str(target), safe='')}"


def citations(eg: Tables, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """For each entity-id pair, the paragraph the brief quotes: the earliest-dated body
    paragraph that names both (a header line only when no body paragraph does; ties by
    document id and ¶). Returns ``source, target, doc_id, paragraph, created, text,
    surfaces`` (``surfaces``: the pair's spellings in that paragraph, ``|``-joined; also
    ``source_surfaces``/``target_surfaces``, each entity's), one row per pair in order
    (empty ``doc_id`` for a pair without evidence).

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> citations(eg, [("chavez", "uribe")])[["doc_id", "paragraph"]].values.tolist()
    [['09STATE83014', 3]]
    """
    cols = ["source", "target", "doc_id", "paragraph", "created", "text", "surfaces",
            "source_surfaces", "target_surfaces"]
    keys = [tuple(sorted(map(str, p))) for p in pairs]
    if not keys:
        return pd.DataFrame(columns=cols)
    ids = {x for k in keys for x in k}
    ev = eg.evidence
    ev = ev[ev["source"].isin(ids) & ev["target"].isin(ids)]
    ev = pd.DataFrame({"source": ev["source"].astype(str).to_numpy(),
                       "target": ev["target"].astype(str).to_numpy(),
                       "doc_id": ev["doc_id"].astype(str).to_numpy(),
                       "paragraph": ev["paragraph"].to_numpy()})
    wanted = pd.MultiIndex.from_tuples(keys, names=["source", "target"])
    ev = ev[pd.MultiIndex.from_frame(ev[["source", "target"]]).isin(wanted)]
    created = eg.documents.set_index(eg.documents["doc_id"].astype(str))["created"] \
        if "created" in eg.documents else pd.Series(dtype=object)
    ev = ev.assign(created=ev["doc_id"].map(created).astype("string").fillna("9999"),
                   header=ev["paragraph"].to_numpy() < 1)
    best = (ev.sort_values(["source", "target", "header", "created", "doc_id", "paragraph"],
                           kind="stable").drop_duplicates(["source", "target"]))
    paras = eg.paragraphs
    paras = paras[paras["doc_id"].isin(set(best["doc_id"]))]
    text = pd.Series(paras["text"].to_numpy(), index=pd.MultiIndex.from_arrays(
        [paras["doc_id"].astype(str).to_numpy(), paras["paragraph"].to_numpy()]))
    m = eg.mentions
    m = m[m["entity_id"].isin(ids) & m["doc_id"].isin(set(best["doc_id"]))]
    m = pd.DataFrame({"doc_id": m["doc_id"].astype(str).to_numpy(),
                      "paragraph": m["paragraph"].to_numpy(),
                      "entity_id": m["entity_id"].astype(str).to_numpy(),
                      "surface": m["surface"].astype(str).to_numpy()})
    rows = []
    chosen = {(r.source, r.target): r for r in best.itertuples(index=False)}
    for s, t in keys:
        r = chosen.get((s, t))
        if r is None:
            rows.append((s, t, "", 0, "", "", "", "", ""))
            continue
        here = m[(m["doc_id"] == r.doc_id) & (m["paragraph"] == r.paragraph)
                 & m["entity_id"].isin([s, t])]

        def joined(frame: pd.DataFrame) -> str:
            return "|".join(sorted(set(frame["surface"]), key=lambda x: (-len(x), x)))
        created_text = "" if r.created == "9999" else str(r.created)[:10]
        rows.append((s, t, r.doc_id, int(r.paragraph), created_text,
                     str(text.get((r.doc_id, r.paragraph), "")), joined(here),
                     joined(here[here["entity_id"] == s]), joined(here[here["entity_id"] == t])))
    return pd.DataFrame(rows, columns=cols)


def where(paragraph: int) -> str:
    """How a paragraph number reads in a citation: ``¶3``, or the part of the cable the
    negative and zero numbers stand for.

    >>> [where(p) for p in (3, 0, -1, -2)]
    ['¶3', 'subject line', 'header', 'signature']
    """
    return {0: "subject line", -1: "header", -2: "signature"}.get(int(paragraph),
                                                                 f"¶{paragraph}")


def _cite(row) -> str:
    doc = f"{row.doc_id}" + (f" ({row.created})" if row.created else "")
    return f"{doc} {where(row.paragraph)}"


def pair_snippet(text: str, a: str, b: str, width: int = QUOTE_CHARS) -> str:
    """About ``width`` characters of ``text`` (whitespace collapsed, ``…`` where cut) that
    show a spelling of each entity (``a``, ``b``: ``|``-joined spellings), around their two
    closest occurrences: one window when they fit in it, else a window around each.

    >>> pair_snippet("Uribe spoke. " + "x " * 200 + "Chavez listened. " + "y " * 100 + "FARC.",
    ...              "Uribe", "FARC", 30)
    'Uribe spoke. x… …y y y y y FARC.'
    """
    flat = " ".join(str(text).split())
    if len(flat) <= width:
        return flat
    sa, sb = highlight_spans(flat, a), highlight_spans(flat, b)
    if not sa or not sb:
        return snippet(flat, "|".join(x for x in (a, b) if x), width)
    x, y = min(((p, q) for p in sa for q in sb),
               key=lambda pq: (abs(pq[0][0] - pq[1][0]), pq[0][0]))
    (lo, lo_end), (hi_start, hi) = sorted((x, y))
    if hi - lo + 20 <= width:
        return window(flat, lo, hi, width)
    first, second = window(flat, lo, lo_end, width // 2), window(flat, hi_start, hi, width // 2)
    return first + (" " if first.endswith("…") or second.startswith("…") else " … ") + second


def _quote(row, lead: str = "") -> Quote:
    short = pair_snippet(row.text, row.source_surfaces, row.target_surfaces)
    return Quote(lead + _cite(row), short, highlight_spans(short, row.surfaces),
                 href=edge_link(row.source, row.target))


def _mentions_from(value: str) -> str:
    parts = []
    for source in [s.strip() for s in str(value).split(",") if s.strip()]:
        if source == "annotation":
            parts.append("inline annotations in the documents")
        elif source.startswith("spacy:"):
            model, _, version = source[len("spacy:"):].rpartition("-")
            parts.append(f"spaCy named-entity recognition (model {model or version}"
                         f"{', version ' + version if model else ''}): expect some names "
                         "missed or mistyped")
        else:
            parts.append(source)
    return "; ".join(parts) or "nowhere (no mention was found)"


def _top_counts(column: pd.Series, n: int = 5) -> str:
    counts = column.dropna().astype(str)
    counts = counts[counts.str.strip().ne("")].value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    text = ", ".join(f"{k} {v:,}" for k, v in counts.head(n).items())
    return text + (f" and {len(counts) - n} more" if len(counts) > n else "")


def _corpus_para(eg: Tables) -> Para:
    docs = eg.documents
    text = [plural(len(docs), "document")]
    if "created" in docs and docs["created"].notna().any():
        dates = docs["created"].dropna().astype(str).str.slice(0, 10).sort_values()
        text.append(f" dated {dates.iloc[0]} to {dates.iloc[-1]}"
                    + ("" if len(dates) == len(docs) else f" ({len(docs) - len(dates):,} "
                       "undated)"))
    for col, what in (("origin", "from"), ("classification", "classified")):
        if col in docs and docs[col].notna().any():
            text.append(f"; {what} {_top_counts(docs[col])}")
    ents, edges = eg.entities, eg.edges
    text.append(f". Entities come from {_mentions_from(eg.settings.get('mentions_from', ''))}."
                f" {len(ents):,} entities and {len(edges):,} ties; a tie is two entities "
                f"named in one {eg.settings.get('unit', 'paragraph')}, its weight the number "
                "of such paragraphs.")
    return Para("".join(text))


def _seen(eg: Tables, ids: list[str]) -> dict[str, tuple[str, str]]:
    """First and last sighting of each entity: ``date (doc ¶n)``."""
    m = eg.mentions
    m = m[m["entity_id"].isin(set(ids)) & m["status"].eq("kept")]
    if m.empty or "created" not in eg.documents:
        return {}
    created = eg.documents.set_index(eg.documents["doc_id"].astype(str))["created"]
    f = pd.DataFrame({"entity_id": m["entity_id"].astype(str).to_numpy(),
                      "doc_id": m["doc_id"].astype(str).to_numpy(),
                      "paragraph": m["paragraph"].to_numpy()})
    f["created"] = f["doc_id"].map(created).astype("string")
    f = f.dropna(subset=["created"]).sort_values(["entity_id", "created", "doc_id",
                                                   "paragraph"], kind="stable")
    first = f.drop_duplicates("entity_id", keep="first").set_index("entity_id")
    # the last document's first paragraph naming the entity
    last_doc = f.drop_duplicates("entity_id", keep="last")[["entity_id", "doc_id"]]
    last = (f.merge(last_doc, on=["entity_id", "doc_id"])
            .drop_duplicates("entity_id", keep="first").set_index("entity_id"))

    def one(r) -> str:
        return f"{str(r.created)[:10]} ({r.doc_id} {where(r.paragraph)})"
    return {e: (one(first.loc[e]), one(last.loc[e])) for e in first.index}


def _top_blocks(eg: Tables, background: pd.Series) -> list[Block]:
    """People, organisations and places side by side (one after the other in Markdown)."""
    labels = eg.entities.set_index("entity_id")["label"]
    columns: list[tuple[str, list[Block]]] = []
    for etype, title in TYPE_TITLES:
        top = top_entities(eg.entities, etype, TOP_PER_TYPE)
        if top.empty:
            continue
        ids = top["entity_id"].astype(str).tolist()
        ties = strongest_ties(eg.edges, ids, exclude=set(background.index))
        seen = _seen(eg, ids)
        frame = pd.DataFrame({
            "entity": top["label"].astype(str),
            "mentions": top["mentions"].astype(int), "documents": top["documents"].astype(int),
            "first seen": [seen.get(i, ("", ""))[0] for i in ids],
            "last seen": [seen.get(i, ("", ""))[1] for i in ids],
            "strongest ties (paragraphs)": [", ".join(f"{labels.get(o, o)} ({w})"
                                                      for o, w in ties[i]) for i in ids]})
        if not seen:      # an undated corpus: no empty columns
            frame = frame.drop(columns=["first seen", "last seen"])
        columns.append((title, [Cards(frame, lines=[
            [c] if c != "mentions" else ["mentions", "documents"]
            for c in frame.columns[1:] if c != "documents"])]))
    return [Columns(columns)] if columns else []


def _tie_blocks(eg: Tables, ties: pd.DataFrame, what: str) -> list[Block]:
    cited = citations(eg, list(zip(ties["source"], ties["target"], strict=True)))
    blocks: list[Block] = []
    for tie, cite in zip(ties.itertuples(index=False), cited.itertuples(index=False),
                         strict=True):
        detail = (f"{plural(int(tie.weight), 'paragraph')} in "
                  f"{plural(int(tie.documents), 'document')}")
        if what == "npmi":
            detail += f", NPMI {tie.npmi:.2f}"
        lead = f"{tie.source_label} — {tie.target_label} ({detail}) · "
        if cite.doc_id:
            blocks.append(_quote(cite, lead))
        else:
            blocks.append(Para(lead.rstrip(" ·")))
    return blocks


def brief_blocks(eg: Tables) -> list[Block]:
    """The brief's blocks, shared by ``brief.md``, ``brief.html`` and the first section of
    ``report.html`` (there :func:`shifted` one level down).

    >>> import graphbuild as gb
    >>> eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    >>> [b.text for b in brief_blocks(eg) if isinstance(b, Heading) and b.level == 2][:2]
    ['The corpus', 'Top entities']
    """
    h1, h2 = 1, 2
    background = background_entities(eg.entities, len(eg.documents))
    labels = eg.entities.set_index("entity_id")["label"]
    blocks: list[Block] = [Heading(h1, "Brief"), Heading(h2, "The corpus"), _corpus_para(eg)]
    if len(background):
        blocks.append(Para("Named in a third of the documents or more, so set apart from the "
                           "relationships below (what the corpus is about, not a finding): "
                           + ", ".join(f"{labels.get(e, e)} ({share:.0%})"
                                       for e, share in background.head(10).items()) + "."))
    blocks += [Heading(h2, "Top entities"),
               Para("By documents that name them (then mentions); first and last seen (in a "
                    "dated corpus) with the cable and paragraph; ties are paragraphs shared"
                    + (", leaving out the entities set apart above." if len(background)
                       else "."))]
    blocks += _top_blocks(eg, background)
    key = key_relationships(eg.edges, eg.entities, exclude=set(background.index), n=KEY_TIES)
    blocks += [Heading(h2, "Key relationships"),
               Para("The strongest ties between people and organisations, each with the "
                    "earliest paragraph that names both (the link opens the tie and all its "
                    "paragraphs in graph.html).")]
    blocks += _tie_blocks(eg, key, "weight") or [Para("No tie between people or "
                                                      "organisations.")]
    blocks += _broker_blocks(eg, background, h2)
    blocks += _change_blocks(eg, h2, background)
    shown = set(zip(key["source"], key["target"], strict=True))
    min_docs = MIN_DOCUMENTS if len(eg.documents) > 1 else 1
    odd = surprising_ties(eg.edges, eg.entities, MIN_SUPPORT, SURPRISING, shown,
                          types=("PER", "ORG", "LOC"), min_documents=min_docs,
                          exclude=set(background.index))
    support = (f"in at least {MIN_SUPPORT} paragraphs"
               + (f" of {min_docs} documents or more" if min_docs > 1 else ""))
    blocks += [Heading(h2, "Surprising ties"),
               Para("Pairs named together far more often than their frequencies predict "
                    f"(highest NPMI, {support}).")]
    blocks += _tie_blocks(eg, odd, "npmi") or [Para(f"No tie is seen {support}.")]
    blocks += _caveat_blocks(eg, h2)
    return blocks


def _broker_blocks(eg: Tables, background: pd.Series, h2: int) -> list[Block]:
    part = eg.partition()
    if part.empty or "betweenness" not in eg.centrality:
        return []
    summary = summary_of(eg)
    names = community_names(summary, eg.entities)
    found = bridges(eg.edges, part, eg.centrality["betweenness"], n=BROKERS,
                    exclude=set(background.index))
    if found.empty:
        return []
    labels = eg.entities.set_index("entity_id")["label"]
    blocks: list[Block] = [
        Heading(h2, "Brokers"),
        Para("Entities on the most shortest paths that tie into several communities "
             "(communities named by their top members; the first reached holds the most "
             "of the broker's ties).")]
    rows = []
    for r in found.itertuples(index=False):
        reached = [names.get(c, str(c)) for c in r.reached[:2]]
        more = len(r.reached) - len(reached)
        rows.append((str(labels.get(r.entity_id, r.entity_id)),
                     names.get(r.community, str(r.community)),
                     "; ".join(reached) + (f"; and {more} more" if more > 0 else "")))
    return blocks + [Table(pd.DataFrame(rows, columns=["broker", "its community",
                                                       "reaches"]))]


def _change_blocks(eg: Tables, h2: int, background: pd.Series) -> list[Block]:
    half, early, late = halves(eg.documents)
    if half.empty:
        return []
    m = eg.mentions
    kept = m[m["status"].eq("kept")]
    occ = pd.DataFrame({"key": kept["entity_id"], "doc_id": kept["doc_id"]})
    moved = changes(occ, half, min_documents=3, n=4)
    labels = eg.entities.set_index("entity_id")["label"]
    sizes = half.value_counts()
    blocks: list[Block] = [
        Heading(h2, "What changed"),
        Para(f"The dated documents split at their median date: earlier {early[0]} to "
             f"{early[1]} ({int(sizes.get('earlier', 0)):,} documents), later {late[0]} to "
             f"{late[1]} ({int(sizes.get('later', 0)):,}). Share of each half's documents "
             "that name the entity (in 3 documents or more):")]
    if moved.empty:
        return blocks + [Para("Nothing rose or faded.")]
    entity_table = Table(pd.DataFrame({
        "entity": moved["key"].map(labels).fillna(moved["key"]).astype(str),
        "trend": moved["trend"],
        "earlier": [f"{a:,} ({s:.0%})" for a, s in zip(moved["earlier"],
                                                         moved["earlier_share"], strict=True)],
        "later": [f"{a:,} ({s:.0%})" for a, s in zip(moved["later"], moved["later_share"],
                                                       strict=True)]}))
    # ties: the 2,000 strongest are enough to find the ones that moved; a tie to what every
    # document names moves with the other end, already in the table above
    skip = set(background.index)
    edges = eg.edges[~(eg.edges["source"].isin(skip) | eg.edges["target"].isin(skip))]
    strong = edges.nlargest(2000, "weight")[["source", "target"]].astype(str)
    ev = eg.evidence
    edge = pair_positions(ev["source"], ev["target"], strong["source"], strong["target"])
    names = (strong["source"] + "|" + strong["target"]).to_numpy()
    tie_moves = changes(pd.DataFrame({"key": names[edge[edge >= 0]],
                                      "doc_id": ev["doc_id"].to_numpy()[edge >= 0]}),
                        half, min_documents=3, n=2)
    columns: list[tuple[str, list[Block]]] = [("Entities", [entity_table])]
    if len(tie_moves):
        ends = tie_moves["key"].str.split("|", n=1, expand=True)
        columns.append(("Ties", [
            Para("Ties (among the 2,000 strongest, leaving out those to the entities set "
                 "apart):" if skip else "Ties (among the 2,000 strongest):"),
            Table(pd.DataFrame({
            "tie": [f"{labels.get(a, a)} — {labels.get(b, b)}" for a, b in
                    zip(ends[0], ends[1], strict=True)],
            "trend": tie_moves["trend"],
            "earlier": [f"{a:,} ({s:.0%})" for a, s in zip(
                tie_moves["earlier"], tie_moves["earlier_share"], strict=True)],
            "later": [f"{a:,} ({s:.0%})" for a, s in zip(
                tie_moves["later"], tie_moves["later_share"], strict=True)]}))]))
    return [*blocks, Columns(columns)]


def _caveat_blocks(eg: Tables, h2: int) -> list[Block]:
    notes: list[str] = []
    paras = eg.paragraphs
    if "redactions" in paras and len(paras):
        red = paras["redactions"].fillna(0).to_numpy() > 0
        if red.any():
            docs = paras["doc_id"][red].nunique()
            notes.append(f"{int(red.sum()):,} paragraphs in {docs:,} documents carry redaction "
                         "markers (a protected source): the people behind them are not in "
                         "the graph.")
    m = eg.mentions
    dropped = m["reason"][m["status"].ne("kept")]
    if len(dropped):
        reasons = dropped.astype(str).value_counts()
        reasons = reasons.sort_index().sort_values(ascending=False, kind="stable")
        notes.append(f"{len(dropped):,} of {len(m):,} mentions were dropped as not "
                     "entities (" + ", ".join(f"{r or 'other'} {n:,}" for r, n in
                                              reasons.head(6).items())
                     + "); resolution.csv lists each.")
    amb = eg.ambiguous
    if amb is not None and len(amb):
        names = (amb.groupby("name", sort=True)["mentions"].sum()
                 .sort_values(ascending=False, kind="stable"))
        notes.append(f"{len(names):,} names were left ambiguous, not merged (such as "
                     + ", ".join(map(str, names.head(5).index)) + "): a surname shared by "
                     "several people stays on its own node.")
    alone = int(eg.filters_removed.get("entities without an edge", 0))
    if alone:
        notes.append(f"{plural(alone, 'entity', 'entities')} sharing no "
                     "paragraph with another are not in the graph.")
    st = eg.stability
    if st is not None and len(st):
        pr = st[st["measure"] == "pagerank"].sort_values(["rank", "entity_id"]).head(5)
        labels = eg.entities.set_index("entity_id")["label"]
        if len(pr):
            runs = eg.settings.get("stability", "").split(" bootstrap")[0] or "several"
            notes.append(f"Resampling the documents {runs} times, the top 5 by PageRank rank "
                         + ", ".join(f"{labels.get(e, e)} {lo}–{hi}" for e, lo, hi in
                                     zip(pr["entity_id"], pr["rank_lo"], pr["rank_hi"],
                                         strict=True))
                         + " in 95% of the resamples (report.html: every measure).")
    note = eg.settings.get("betweenness", "")
    if note and note != "exact":
        notes.append(f"Brokers rank by betweenness {note}.")
    warnings = len(eg.diagnostics.warnings)
    if warnings:
        notes.append(f"{warnings:,} warnings about the input are in warnings.csv.")
    if not notes:
        notes.append("Nothing was dropped, redacted or left ambiguous.")
    return [Heading(h2, "What the reader should know"), *[Para(n) for n in notes]]


def render_brief(eg: Tables) -> str:
    """``brief.md``: the Markdown of :func:`brief_blocks`.

    >>> import graphbuild as gb
    >>> render_brief(gb.build("seeds/cable_09STATE83014_annotated.txt")).splitlines()[0]
    '# Brief'
    """
    return render_markdown(brief_blocks(eg))


def render_brief_html(eg: Tables) -> str:
    """``brief.html``: one self-contained page of :func:`brief_blocks`.

    >>> import graphbuild as gb
    >>> render_brief_html(gb.build("seeds/cable_09STATE83014_annotated.txt"))[:15]
    '<!DOCTYPE html>'
    """
    return _html(brief_blocks(eg))


def _html(blocks: list[Block]) -> str:
    return render_html_report(blocks, title="graphbuild brief", compact=True)


def shifted(blocks: list[Block], by: int) -> list[Block]:
    """``blocks`` with every heading ``by`` levels deeper (the brief inside the report).

    >>> shifted([Heading(1, "Brief"), Para("x")], 1)[0]
    Heading(level=2, text='Brief')
    """
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(Heading(b.level + by, b.text))
        elif isinstance(b, Columns):
            out.append(Columns([(t, shifted(inner, by)) for t, inner in b.columns],
                               b.level + by))
        else:
            out.append(b)
    return out


def write_brief(eg: Tables, out_dir: str | os.PathLike[str],
                blocks: list[Block] | None = None) -> dict[str, Path]:
    """Write ``brief.md`` and ``brief.html`` into ``out_dir`` (``blocks``: the
    :func:`brief_blocks` already computed, e.g. for the report).

    >>> import tempfile, graphbuild as gb
    >>> sorted(write_brief(gb.build("seeds/cable_09STATE83014_annotated.txt"),
    ...                    tempfile.mkdtemp()))
    ['brief.html', 'brief.md']
    """
    blocks = brief_blocks(eg) if blocks is None else blocks
    out = Path(out_dir)
    atomic_write(out / "brief.md", render_markdown(blocks))
    atomic_write(out / "brief.html", _html(blocks))
    return {"brief.md": out / "brief.md", "brief.html": out / "brief.html"}


@dataclass
class Brief:
    """The brief as a notebook shows it: the page inline (an ``<iframe srcdoc>``), the
    Markdown where a front end prefers it, the Markdown as ``str()``."""

    markdown: str
    html: str
    height: int = 800

    def _repr_html_(self) -> str:
        return notebook_html(self.html, self.height)

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __str__(self) -> str:
        return self.markdown
