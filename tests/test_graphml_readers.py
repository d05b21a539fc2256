"""GraphML read back by two independent readers: python-igraph and graphology-graphml."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest

import graphbuild as gb
from conftest import farc_id, farc_label
from js_readers import graphology_read
from oracles import write_graphml_of as write_graphml


@pytest.fixture(scope="module")
def seeds_export(tmp_path_factory, seeds_dir):
    eg = gb.build(seeds_dir, backbone="disparity", alpha=0.5)
    out = tmp_path_factory.mktemp("graphml")
    return eg, eg.export(out)["graph.graphml"]


NODE_NUMERIC = ("mentions", "paragraphs", "documents", "degree", "strength", "betweenness",
                "closeness", "harmonic", "eigenvector", "pagerank", "community")
EDGE_NUMERIC = ("weight", "documents", "npmi", "jaccard", "dice", "alpha")


def test_igraph_reads_names_and_types(seeds_export):
    eg, path = seeds_export
    g = ig.Graph.Read_GraphML(str(path))
    assert g.vcount() == len(eg.entities) and g.ecount() == len(eg.edges)
    assert not g.is_directed()
    assert {"label", "type", *NODE_NUMERIC} <= set(g.vs.attributes())
    assert set(EDGE_NUMERIC) <= set(g.es.attributes())
    farc = farc_id(eg)
    v = g.vs.find(id=farc)
    assert v["label"] == farc_label(eg) and v["type"] == "ORG"
    for col in NODE_NUMERIC:
        assert isinstance(v[col], (int, float)) and not isinstance(v[col], bool), col
    nodes = eg.nodes_table().set_index("id")
    assert v["mentions"] == nodes.loc[farc, "mentions"]
    assert v["community"] == nodes.loc[farc, "community"]
    assert v["pagerank"] == pytest.approx(nodes.loc[farc, "pagerank"])
    e = g.es[0]
    s, t = g.vs[e.source]["id"], g.vs[e.target]["id"]
    row = eg.edges.set_index(["source", "target"]).loc[tuple(sorted((s, t)))]
    for col in EDGE_NUMERIC:
        assert e[col] == pytest.approx(row[col]), col


def test_graphology_reads_names_and_types(seeds_export):
    eg, path = seeds_export
    g = graphology_read("graphml", path)
    assert (g["order"], g["size"]) == (len(eg.entities), len(eg.edges))
    node = next(n for n in g["nodes"] if n["key"] == farc_id(eg))
    assert node["attributes"]["label"] == farc_label(eg) and node["attributes"]["type"] == "ORG"
    for col in NODE_NUMERIC:
        assert node["types"][col] == "number", col
    edge = g["edges"][0]
    for col in EDGE_NUMERIC:
        assert edge["types"][col] == "number", col


def test_tricky_strings_survive_both_readers(tmp_path):
    G = nx.Graph()
    G.add_node("a&b", label='AT&T <"Corp">', type="ORG", mentions=3)
    G.add_node("c", label="Ctrl\x0cchar", type="PER", mentions=1)
    G.add_edge("a&b", "c", weight=2, documents=1, npmi=-0.5)
    path = write_graphml(G, tmp_path / "t.graphml")
    g = ig.Graph.Read_GraphML(str(path))
    assert sorted(g.vs["label"]) == ['AT&T <"Corp">', "Ctrl\ufffdchar"]
    assert g.es[0]["npmi"] == -0.5 and g.es[0]["weight"] == 2.0
    j = graphology_read("graphml", path)
    labels = sorted(n["attributes"]["label"] for n in j["nodes"])
    assert labels == ['AT&T <"Corp">', "Ctrl\ufffdchar"]
    assert j["edges"][0]["attributes"]["npmi"] == -0.5


def test_empty_graph(tmp_path):
    path = write_graphml(nx.Graph(), tmp_path / "e.graphml")
    assert ig.Graph.Read_GraphML(str(path)).vcount() == 0
    assert graphology_read("graphml", path)["order"] == 0
