"""Explorer queries (neighbours, paths, evidence, ego) on the handmade corpus of
``explore_corpus.py``, whose edges are counted by hand in that module's docstring. Every query
runs both on the freshly built graph and on the one read back from the output folder."""

from __future__ import annotations

import math

import igraph
import networkx as nx
import pytest

import graphbuild as gb
from explore_corpus import write_corpus
from graphbuild.query import EntityNotFound, NoPath, match_entity


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("explore")
    eg = gb.build(write_corpus(root / "corpus"), keep_isolated=True)
    eg.export(root / "out")
    return eg, root / "out"


@pytest.fixture(params=["built", "loaded"])
def eg(request, built):
    graph, folder = built
    return graph if request.param == "built" else gb.load(folder)


# --- matching ------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "expected"), [
    ("ana", "ana"),                 # id
    ("Ana", "ana"),                 # label
    ("ANA", "ana"),                 # alias (d1¶2)
    ("  aNa ", "ana"),              # case and spacing
    ("zed corp", "zed-corp"),       # label, lower case
    ("Zed-Corp", "zed-corp"),       # slug of the name
    # Saint-Étienne (the city, LOC, id saint-etienne-2) and Saint Étienne (the saint, PER,
    # id saint-etienne): see explore_corpus
    ("Saint-Étienne", "saint-etienne-2"),  # exact label wins over the folded match (which
                                           # also hits the saint's id saint-etienne)
    ("saint-etienne", "saint-etienne"),    # exact id
    ("SAINT ÉTIENNE", "saint-etienne"),    # folded label: only the saint's has a space
    ("saint etienne", "saint-etienne"),    # ... and accents fold too
])
def test_match_entity_is_forgiving(eg, name, expected):
    assert match_entity(eg.entities, name) == expected


def test_miss_suggests_close_names(eg):
    with pytest.raises(EntityNotFound, match=r"no entity matches 'Anna'; did you mean Ana\?"):
        match_entity(eg.entities, "Anna")
    with pytest.raises(EntityNotFound, match=r"no entity matches 'qqqqq' \(ids and labels"):
        match_entity(eg.entities, "qqqqq")


def test_ambiguous_name_lists_candidates(eg):
    # "SAINT-ETIENNE" folds (case, accents) to the saint's id "saint-etienne" and to the
    # city's label "Saint-Étienne": two entities, listed in id order
    with pytest.raises(EntityNotFound, match=r"ambiguous: Saint Étienne \[saint-etienne\], "
                                             r"Saint-Étienne \[saint-etienne-2\]"):
        match_entity(eg.entities, "SAINT-ETIENNE")


# --- neighbours ----------------------------------------------------------------------------
def test_neighbors_strongest_first(eg):
    # Ana: Bo (w2), then the w1 ties Abe, Dee, Paris in label order
    frame = eg.neighbors("ana")
    assert frame.index.tolist() == ["bo", "abe", "dee", "paris"]
    assert frame["weight"].tolist() == [2, 1, 1, 1]
    assert frame.loc["bo", ["label", "type", "documents"]].tolist() == ["Bo", "PER", 1]
    # Cy: Bo (w3, 2 documents), then Abe, Acme, Rome (w1)
    frame = eg.neighbors("CY")
    assert frame.index.tolist() == ["bo", "abe", "acme", "rome"]
    assert frame.loc["bo", ["weight", "documents"]].tolist() == [3, 2]
    assert eg.neighbors("cy", limit=2).index.tolist() == ["bo", "abe"]


def test_neighbors_of_isolated_entity_is_empty(eg):
    assert eg.neighbors("Zed Corp").empty


# --- paths ---------------------------------------------------------------------------------
def test_shortest_and_strongest_paths_differ(eg):
    # Ana -> Rome: fewest hops = Ana-Dee-Rome (2 hops, length 1/1 + 1/1 = 2);
    # strongest = Ana-Bo-Cy-Rome (3 hops, length 1/2 + 1/3 + 1/1 = 11/6 < 2)
    short = eg.path("Ana", "Rome")
    assert list(zip(short["source"], short["target"], strict=True)) == [
        ("ana", "dee"), ("dee", "rome")]
    assert short["distance"].sum() == pytest.approx(2.0)
    strong = eg.path("Ana", "Rome", kind="strongest")
    assert list(zip(strong["source"], strong["target"], strict=True)) == [
        ("ana", "bo"), ("bo", "cy"), ("cy", "rome")]
    assert strong["distance"].sum() == pytest.approx(11 / 6)
    assert strong["weight"].tolist() == [2, 3, 1]
    assert strong.index.tolist() == [1, 2, 3]


def test_shortest_path_ties_go_to_the_strongest(eg):
    # Ana -> Cy has two 2-hop paths: via Bo (1/2 + 1/3) and via Abe (1 + 1). Abe comes first
    # in node order, so a plain breadth-first search would pick it; the strongest is via Bo.
    hops = eg.path("ana", "cy")
    assert hops["target"].tolist() == ["bo", "cy"]


def test_path_hops_carry_their_evidence(eg):
    hops = eg.path("Ana", "Rome", kind="strongest")
    # evidence = doc:¶paragraph of every paragraph where both ends of the hop co-occur
    assert hops["evidence"].tolist() == ["d1:¶1; d1:¶2", "d1:¶3; d1:¶4; d2:¶1", "d1:¶5"]
    assert hops["source_label"].tolist() == ["Ana", "Bo", "Cy"]


@pytest.mark.parametrize("kind", ["shortest", "strongest"])
def test_path_to_itself_has_no_hop(eg, kind):
    hops = eg.path("ana", "ANA", kind=kind)
    assert hops.empty and "evidence" in hops.columns


def test_no_path_between_components(eg):
    with pytest.raises(NoPath, match="no path between Ana and Lima"):
        eg.path("Ana", "Lima")
    with pytest.raises(NoPath, match="no path between Zed Corp and Ana"):
        eg.path("Zed Corp", "Ana", kind="strongest")     # isolated entity


def test_strongest_path_matches_an_independent_dijkstra(eg):
    # oracle: networkx Dijkstra on a graph built here from the edges table, length = sum 1/w
    G = nx.Graph()
    for s, t, w in eg.edges[["source", "target", "weight"]].itertuples(index=False):
        G.add_edge(s, t, d=1.0 / w)
    for a, b in [("paris", "rome"), ("acme", "dee"), ("abe", "paris")]:
        expected = nx.dijkstra_path_length(G, a, b, weight="d")
        got = eg.path(a, b, kind="strongest")["distance"].sum()
        assert math.isclose(got, expected)
        assert len(eg.path(a, b)) == nx.shortest_path_length(G, a, b)


# --- evidence ------------------------------------------------------------------------------
def test_evidence_paragraphs_with_text(eg):
    ev = eg.evidence_for("Cy", "bo")   # either order, any case
    assert list(zip(ev["doc_id"], ev["paragraph"], strict=True)) == [
        ("d1", 3), ("d1", 4), ("d2", 1)]
    assert "Bo wrote to Cy" in ev["text"].iloc[0]
    assert "Bo phoned Cy about Acme" in ev["text"].iloc[2]
    assert ev["surfaces"].iloc[0] == "Bo|Cy"
    assert len(eg.evidence_for("bo", "cy", limit=2)) == 2


def test_evidence_of_a_pair_that_never_cooccurs_is_empty(eg):
    assert eg.evidence_for("Ana", "Rome").empty


# --- ego -----------------------------------------------------------------------------------
def test_ego_graph(eg):
    # radius 1 around Ana: Ana, Bo, Abe, Dee, Paris; edges among them: Ana-Bo, Ana-Paris,
    # Bo-Paris, Ana-Dee, Abe-Ana = 5
    G = eg.ego("ANA")
    assert sorted(G) == ["abe", "ana", "bo", "dee", "paris"]
    assert G.number_of_edges() == 5
    assert G.graph["center"] == "ana"
    assert G.edges["ana", "bo"]["weight"] == 2
    # radius 2 adds Cy (via Bo, Abe), Rome (via Dee), Acme (via Bo); 6 more edges among
    # them: Bo-Cy, Abe-Cy, Dee-Rome, Cy-Rome, Acme-Bo, Acme-Cy
    G2 = eg.ego("ana", radius=2)
    assert G2.number_of_nodes() == 8 and G2.number_of_edges() == 11


def test_export_ego_files_read_by_igraph(eg, tmp_path):
    paths = eg.export_ego("Cy", tmp_path / "ego")
    assert sorted(paths) == ["edges.csv", "evidence.csv", "graph.graphml", "graph.html",
                             "nodes.csv"]
    # radius 1 around Cy: Cy, Bo, Abe, Acme, Rome; edges: Bo-Cy, Abe-Cy, Acme-Cy, Cy-Rome,
    # Acme-Bo = 5
    g = igraph.Graph.Read_GraphML(str(paths["graph.graphml"]))
    assert sorted(g.vs["label"]) == ["Abe", "Acme", "Bo", "Cy", "Rome"]
    assert g.ecount() == 5
    assert sorted(g.es["weight"]) == [1.0, 1.0, 1.0, 1.0, 3.0]
    evidence = paths["evidence.csv"].read_text(encoding="utf-8")
    assert "Bo phoned Cy about Acme" in evidence


def test_highlight_whole_words_only():
    from graphbuild.query import highlight_spans, snippet

    text = "the Venezuelan view of Venezuela, U.S. and U.S.-Russian talks"
    # "Venezuela" at 23..32 only (not inside "Venezuelan"); "U.S." ends with "." so it may
    # be followed by "-": both occurrences (34..38, 43..47) are marked
    assert highlight_spans(text, "Venezuela|U.S.") == [(23, 32), (34, 38), (43, 47)]
    assert highlight_spans(text, None) == []
    # a 20-character window centred on "Bo" (characters 87..89 -> centre 88): 78..98 =
    # "x Cy met Bo y y y y " (stripped), cut on both sides
    assert snippet("x " * 40 + "Cy met Bo" + " y" * 40, "Bo", 20) == "…x Cy met Bo y y y y…"


def test_an_entity_left_out_of_the_graph_is_named_as_such(tmp_path) -> None:
    eg = gb.build(write_corpus(tmp_path / "corpus"))      # default: Zed Corp has no edge
    with pytest.raises(EntityNotFound, match=r"'Zed Corp' is an entity \(zed-corp\) that "
                                             r"the build left out of the graph"):
        eg.neighbors("Zed Corp")
