"""Whole-graph exports streamed from the tables (issue 8) against independent oracles:
networkx's own writers (GraphML, node-link JSON) and the reference GEXF renderer on the
networkx graph of the same tables, two GraphML readers, and plain-Python versions of the
vectorised evidence strings and CSV neutralising."""

from __future__ import annotations

import json

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import graphbuild as gb
from graphbuild.export import folder as folder_module
from graphbuild.export.gexf import write_gexf as write_gexf_tables
from graphbuild.export.graphml import write_graphml as write_graphml_tables
from graphbuild.export.html import render_html
from graphbuild.export.json import write_node_link as write_node_link_tables
from graphbuild.export.safety import neutralize_csv_cell, safe_csv_frame
from graphbuild.export.tables import evidence_column, write_csv
from graphbuild.export.view import GraphTables
from graphbuild.graph import to_networkx
from graphbuild.measures.layout import layout_positions
from oracles import graphml_ready, node_link, render_gexf

HOSTILE = ["plain", "AT&T <Corp>", 'say "hi"', "it's", 'both \' and "', "tab\there",
           "cr\rlf\nend", "ctrl\x0c\x00\x1fchars", "=SUM(A1)", "+1", "-x", "@cmd",
           "non-char \ufffe\uffff", "Ünïcödé 東京", "", " lead space", "a]]>b"]


def hostile_tables(seed: int, n: int = 40, m: int = 120) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities and edges with hostile strings, missing values and a random edge order."""
    rng = np.random.default_rng(seed)
    ids = [f"e{i}" if i % 7 else f"id&{i}<" for i in range(n)]
    labels = [HOSTILE[i % len(HOSTILE)] + f" {i}" if i % 5 else HOSTILE[i % len(HOSTILE)]
              for i in range(n)]
    ents = pd.DataFrame({
        "entity_id": ids, "label": labels,
        "type": rng.choice(["PER", "LOC", "ORG", "MISC", "=X"], n),
        "mentions": rng.integers(1, 50, n),
        "pagerank": np.where(rng.random(n) < 0.1, np.nan, rng.random(n)),
        "degree": rng.integers(0, 9, n),                          # int, written as double
        "first_seen": [HOSTILE[i % len(HOSTILE)] if i % 3 else "" for i in range(n)],
        "community": pd.array([None if i % 6 == 0 else int(i % 4) for i in range(n)],
                              dtype="Int64"),
    })
    pairs = {tuple(sorted(rng.choice(n, 2, replace=False).tolist())) for _ in range(m)}
    pairs = sorted(pairs)
    rng.shuffle(pairs)                                           # not in node order
    edges = pd.DataFrame({
        "source": [ids[a] for a, _ in pairs], "target": [ids[b] for _, b in pairs],
        "weight": rng.integers(1, 30, len(pairs)),
        "documents": rng.integers(1, 10, len(pairs)),
        "npmi": np.where(rng.random(len(pairs)) < 0.1, np.nan,
                         rng.uniform(-1, 1, len(pairs)).round(rng.integers(1, 17))),
        "dice": rng.random(len(pairs)) * 1e-7,                  # exponent notation
    })
    return ents, edges


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_streamed_files_equal_the_networkx_written_ones(tmp_path, seed):
    ents, edges = hostile_tables(seed)
    G = to_networkx(ents, edges)
    gt = GraphTables.of(ents, edges)
    nx.write_graphml(graphml_ready(G), tmp_path / "nx.graphml", named_key_ids=True,
                     infer_numeric_types=True)
    write_graphml_tables(gt, tmp_path / "s.graphml")
    assert (tmp_path / "s.graphml").read_bytes() == (tmp_path / "nx.graphml").read_bytes()

    pos = layout_positions(G, seed=seed)
    for color_by in ("type", "community"):
        write_gexf_tables(gt, tmp_path / "s.gexf", positions=pos, color_by=color_by,
                          description="d <&>")
        expected = render_gexf(G, positions=pos, color_by=color_by, description="d <&>")
        assert (tmp_path / "s.gexf").read_text(encoding="utf-8") == expected

    write_node_link_tables(gt, tmp_path / "s.json")
    expected = json.dumps(node_link(G), ensure_ascii=False, allow_nan=False)
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == expected


def test_streamed_graphml_read_by_networkx_and_igraph(tmp_path):
    ents, edges = hostile_tables(3)
    path = write_graphml_tables(GraphTables.of(ents, edges), tmp_path / "g.graphml")
    # expected labels written out by hand: XML-illegal characters become U+FFFD
    want = {i: lab.replace("\x0c", "\ufffd").replace("\x00", "\ufffd")
            .replace("\x1f", "\ufffd").replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
            for i, lab in zip(ents["entity_id"], ents["label"],
                              strict=True)}
    H = nx.read_graphml(path)
    assert H.number_of_nodes() == len(ents) and H.number_of_edges() == len(edges)
    for node, label in want.items():
        # an XML parser turns a raw CR in character data into LF (XML 1.0 section 2.11)
        assert H.nodes[node]["label"] == label.replace("\r", "\n")
    for row in edges.itertuples():
        d = H.edges[row.source, row.target]
        assert d["weight"] == float(row.weight) and d["documents"] == row.documents
        assert ("npmi" in d) == (row.npmi == row.npmi)
        if row.npmi == row.npmi:
            assert d["npmi"] == row.npmi
    g = ig.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (len(ents), len(edges))
    # (igraph gives an id holding "&" back as "&#38;", for networkx's file too: labels only)
    assert sorted(g.vs["label"]) == sorted(v.replace("\r", "\n") for v in want.values())
    assert sorted(g.es["weight"]) == sorted(edges["weight"].astype(float))


def test_edge_endpoint_missing_from_entities_becomes_bare_node(tmp_path):
    ents = pd.DataFrame({"entity_id": ["b", "a"], "label": ["B", "A"]})
    edges = pd.DataFrame({"source": ["a", "x"], "target": ["z", "b"], "weight": [1, 2]})
    G = to_networkx(ents, edges)
    gt = GraphTables.of(ents, edges)
    assert gt.ids == list(G.nodes)
    nx.write_graphml(graphml_ready(G), tmp_path / "nx.graphml", named_key_ids=True,
                     infer_numeric_types=True)
    write_graphml_tables(gt, tmp_path / "s.graphml")
    assert (tmp_path / "s.graphml").read_bytes() == (tmp_path / "nx.graphml").read_bytes()
    write_node_link_tables(gt, tmp_path / "s.json")
    assert json.loads((tmp_path / "s.json").read_text()) == node_link(G)
    write_gexf_tables(gt, tmp_path / "s.gexf", positions={})
    assert (tmp_path / "s.gexf").read_text() == render_gexf(G, positions={})


def test_empty_graph_equals_networkx(tmp_path):
    ents = pd.DataFrame({"entity_id": pd.Series([], dtype=str), "label": pd.Series([], dtype=str)})
    edges = pd.DataFrame({"source": pd.Series([], dtype=str),
                          "target": pd.Series([], dtype=str), "weight": pd.Series([], dtype=int)})
    G = to_networkx(ents, edges)
    nx.write_graphml(graphml_ready(G), tmp_path / "nx.graphml", named_key_ids=True,
                     infer_numeric_types=True)
    write_graphml_tables(GraphTables.of(ents, edges), tmp_path / "s.graphml")
    assert (tmp_path / "s.graphml").read_bytes() == (tmp_path / "nx.graphml").read_bytes()


def naive_evidence(edges: pd.DataFrame, evidence: pd.DataFrame, limit: int | None) -> list:
    """The evidence column, one Python loop per edge (the obvious, slow way)."""
    out = []
    for s, t in zip(edges["source"], edges["target"], strict=True):
        rows = evidence[(evidence["source"] == s) & (evidence["target"] == t)]
        refs = [f"{d}:¶{p}" for d, p in zip(rows["doc_id"], rows["paragraph"], strict=True)]
        refs = refs[:limit] if limit is not None else refs
        out.append("; ".join(refs) if refs else None)
    return out


@pytest.mark.parametrize("limit", [None, 1, 3])
def test_evidence_column_equals_a_loop_per_edge(limit):
    rng = np.random.default_rng(5)
    edges = pd.DataFrame({"source": ["a", "a", "b", "c", "a"], "target": ["b", "c", "c", "d", "d"]})
    picks = rng.integers(0, 4, 60)            # edge a-d (row 4) never has evidence
    evidence = pd.DataFrame({
        "source": edges["source"].to_numpy()[picks], "target": edges["target"].to_numpy()[picks],
        "doc_id": rng.choice(["09X1", "=evil", "d;2"], 60), "paragraph": rng.integers(-2, 9, 60)})
    evidence = pd.concat([evidence, pd.DataFrame(
        {"source": ["z"], "target": ["a"], "doc_id": ["q"], "paragraph": [1]})])
    got = evidence_column(edges, evidence, limit)
    want = naive_evidence(edges, evidence, limit)
    assert [None if isinstance(g, float) else g for g in got] == want


def test_safe_csv_frame_equals_cell_by_cell():
    frame = pd.DataFrame({"s": HOSTILE, "n": range(len(HOSTILE)),
                          "o": pd.Series([HOSTILE[i] if i % 2 else -i for i in range(len(HOSTILE))],
                                         dtype=object)})
    want = frame.astype(object).map(neutralize_csv_cell)
    got = safe_csv_frame(frame).astype(object)
    assert got.values.tolist() == want.values.tolist()


@pytest.fixture(scope="module")
def seeds_eg(seeds_dir):
    return gb.build(seeds_dir)


def test_html_of_top_entities_equals_page_of_full_graph(seeds_eg):
    eg = seeds_eg
    for size_by, n in (("pagerank", 10), ("degree", 25), ("mentions", 3)):
        full = render_html(eg.graph(), size_by=size_by, max_nodes=n, evidence=eg.evidence,
                           paragraphs=eg.paragraphs, mentions=eg.mentions,
                           documents=eg.documents, entities=eg.entities, all_edges=eg.edges)
        assert eg.to_html(size_by, n) == full


def test_export_never_builds_the_full_networkx_graph(seeds_eg, tmp_path, monkeypatch):
    def refuse(self):
        raise AssertionError("export built the full networkx graph")

    monkeypatch.setattr(type(seeds_eg), "graph", refuse)
    monkeypatch.setattr(folder_module, "LAYOUT_MAX_EDGES", 1)   # as if the graph were big
    paths = seeds_eg.export(tmp_path / "out", max_nodes=5)
    text = paths["graph.gexf"].read_text(encoding="utf-8")
    assert "<viz:position" not in text and "no layout (viz:position) above" in text
    G = nx.read_gexf(paths["graph.gexf"])
    assert G.number_of_edges() == len(seeds_eg.edges)
    back = nx.node_link_graph(json.loads(paths["graph.json"].read_text()), edges="edges")
    assert back.number_of_edges() == len(seeds_eg.edges)


def test_edges_table_top_equals_head(seeds_eg):
    eg = seeds_eg
    pd.testing.assert_frame_equal(eg.edges_table(evidence_limit=2, top=7),
                                  eg.edges_table(evidence_limit=2).head(7))


def test_edges_csv_evidence_is_neutralised(tmp_path):
    edges = pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [1]})
    evidence = pd.DataFrame({"source": ["a"], "target": ["b"], "doc_id": ["=HYPERLINK(1)"],
                             "paragraph": [2]})
    table = edges.assign(evidence=evidence_column(edges, evidence))
    text = write_csv(table, tmp_path / "e.csv").read_text(encoding="utf-8")
    assert text.splitlines()[1] == "a,b,1,'=HYPERLINK(1):¶2"


def test_quoted_evidence_equals_query_evidence(seeds_eg):
    from graphbuild.export.report.sections import quoted_evidence
    from graphbuild.query import evidence

    eg = seeds_eg
    top = eg.edges_table(top=5)
    pairs = list(zip(top["source"], top["target"], strict=True))
    for (s, t), got in zip(pairs, quoted_evidence(eg, pairs, 2), strict=True):
        want = evidence(eg, s, t, limit=2)[["doc_id", "paragraph", "text", "surfaces"]]
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("seed", [0, 1])
def test_arrow_csv_equals_pandas_to_csv(tmp_path, seed):
    rng = np.random.default_rng(seed)
    n = 300
    text = pd.Series([HOSTILE[i] + ("" if i % 4 else ',"q"') for i in
                      rng.integers(0, len(HOSTILE), n)], dtype="str")
    frame = pd.DataFrame({
        "text": text.where(rng.random(n) > 0.1),                   # missing cells too
        "int": rng.integers(-10**12, 10**12, n),
        "float": np.where(rng.random(n) < 0.1, np.nan, rng.normal(0, 1e6, n)
                          * 10.0 ** rng.integers(-320, 300, n).clip(-300, 300)),
        "flag": rng.random(n) < 0.5,
        "maybe": pd.array([None if i % 5 == 0 else i for i in range(n)], dtype="Int64"),
        "col,with \"quote\"": rng.integers(0, 3, n),
    })
    frame.loc[3, "float"] = np.inf
    frame.loc[4, "float"] = -0.0
    path = write_csv(frame, tmp_path / "t.csv")
    want = safe_csv_frame(frame).to_csv(index=False, lineterminator="\n")
    assert path.read_bytes() == want.encode("utf-8")
    assert pd.read_csv(path)["int"].tolist() == frame["int"].tolist()


def test_big_graph_files_hold_the_top_entities(tmp_path, monkeypatch):
    """Above the cap, GraphML/GEXF/graph.json hold the most top-ranked entities whose graph
    fits; nodes.csv/edges.csv keep the whole graph. Expected sets computed here from the
    CSV tables, independently of the exporter's code."""
    import csv
    import json

    import networkx as nx

    import graphbuild as gb
    from graphbuild.export import view

    monkeypatch.setattr(view, "GRAPH_FILE_MAX_EDGES", 40)
    eg = gb.build("seeds/cable_09STATE83014_annotated.txt")
    assert len(eg.edges) > 40
    eg.export(tmp_path)
    with open(tmp_path / "nodes.csv", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(tmp_path / "edges.csv", encoding="utf-8") as f:
        edges = [(r["source"], r["target"]) for r in csv.DictReader(f)]
    assert len(edges) == len(eg.edges)                      # the tables stay whole
    ranked = [r["id"] for r in sorted(nodes, key=lambda r: (-float(r["pagerank"]),
                                                            r["label"], r["id"]))]

    def induced(k):
        top = set(ranked[:k])
        return {(a, b) for a, b in edges if a in top and b in top}

    k = max(k for k in range(len(ranked) + 1) if len(induced(k)) <= 40)
    G = nx.read_graphml(tmp_path / "graph.graphml")
    assert set(G.nodes) == set(ranked[:k])
    assert {tuple(sorted(e)) for e in G.edges} == {tuple(sorted(e)) for e in induced(k)}
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == k and len(data["edges"]) == len(induced(k))
    gexf = (tmp_path / "graph.gexf").read_text(encoding="utf-8")
    assert f"holds the {k:,} entities ranked highest by pagerank" in gexf
