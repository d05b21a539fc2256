"""Output folders as stores: Parquet tables and graph.json written by a build are read back
without re-parsing, with the same tables, types and graph."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pyarrow.parquet as pq
import pytest

import graphbuild as gb
from explore_corpus import write_corpus
from graphbuild.core.diagnostics import InputError
from graphbuild.store import PARQUET_TABLES, write_store


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("store")
    eg = gb.build(write_corpus(root / "corpus"), keep_isolated=True)
    paths = eg.export(root / "out")
    return eg, root / "out", paths


def test_export_writes_parquet_and_graph_json(built):
    _, out, paths = built
    for name in [*PARQUET_TABLES.values(), "graph.json", "build.json", "report.html"]:
        assert name in paths and (out / name).is_file(), name


def test_parquet_keeps_types(built):
    _, out, _ = built
    # read with pyarrow directly, not through graphbuild
    edges = pq.read_table(out / "edges.parquet")
    assert str(edges.schema.field("weight").type) == "int64"
    assert str(edges.schema.field("source").type) in ("string", "large_string")
    nodes = pq.read_table(out / "nodes.parquet").to_pandas()
    # 12 entities (explore_corpus docstring); Ana: 4 mentions (d1¶1, ¶2 "ANA", ¶6, ¶8)
    assert len(nodes) == 12
    assert nodes.set_index("id").loc["ana", "mentions"] == 4
    assert nodes.set_index("id").loc["ana", "degree"] == 4.0   # Bo, Paris, Dee, Abe


def test_load_round_trip(built):
    eg, out, _ = built
    back = gb.load(out)
    for name in ("entities", "edges", "evidence", "mentions", "paragraphs", "documents"):
        pd.testing.assert_frame_equal(getattr(back, name).reset_index(drop=True),
                                      getattr(eg, name).reset_index(drop=True),
                                      check_dtype=True, obj=name)
    pd.testing.assert_frame_equal(back.nodes_table(), eg.nodes_table())
    pd.testing.assert_frame_equal(back.edges_table(), eg.edges_table())
    assert back.summary() == eg.summary()
    assert nx.utils.graphs_equal(back.graph(), eg.graph())
    # what the report is made of comes back too: the partition and its summary, the
    # analysis settings, the reconciliation (files found/read), the ambiguous names
    pd.testing.assert_series_equal(back.community.sort_index(), eg.community.sort_index(),
                                   check_names=False, check_index_type=False)
    pd.testing.assert_frame_equal(back.communities, eg.communities)
    assert back.settings == eg.settings
    pd.testing.assert_frame_equal(back.reconciliation(), eg.reconciliation())
    # 2 files found and read (d1.txt, d2.txt)
    assert back.reconciliation().query("what == 'files'")["count"].tolist() == [2, 2]
    pd.testing.assert_frame_equal(back.ambiguous.reset_index(drop=True),
                                  eg.ambiguous.reset_index(drop=True))


def test_load_keeps_extra_node_measures(tmp_path):
    # a measure or community column added by analysis comes back as a node column
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True)
    eg.centrality["community"] = range(len(eg.centrality))
    eg.centrality["harmonic"] = 1.5
    write_store(eg, tmp_path / "out")
    back = gb.load(tmp_path / "out")
    pd.testing.assert_frame_equal(back.nodes_table(), eg.nodes_table())
    assert back.nodes_table().set_index("id").loc["bo", "harmonic"] == 1.5


def test_graph_json_is_node_link(built):
    eg, out, _ = built
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    G = nx.node_link_graph(data, edges="edges")
    # 12 nodes, 12 edges (explore_corpus docstring table)
    assert G.number_of_nodes() == 12 and G.number_of_edges() == 12
    assert G.edges["bo", "cy"]["weight"] == 3 and G.edges["bo", "cy"]["documents"] == 2
    # the id collision of explore_corpus: the city got the "-2" suffix
    assert G.nodes["saint-etienne-2"]["label"] == "Saint-Étienne"
    assert G.nodes["saint-etienne"]["label"] == "Saint Étienne"


def test_graph_json_has_no_nan(tmp_path):
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True)
    eg.centrality.loc["ana", "pagerank"] = float("nan")
    eg.export(tmp_path / "out")
    text = (tmp_path / "out" / "graph.json").read_text(encoding="utf-8")
    assert "NaN" not in text
    assert json.loads(text)["nodes"][2]["pagerank"] is None   # ana is the 3rd entity


def test_load_errors_are_one_line(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        gb.load(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="not a graphbuild output folder"):
        gb.load(tmp_path / "empty")


def test_damaged_or_foreign_tables_are_one_line_errors(tmp_path):
    eg = gb.build(write_corpus(tmp_path / "corpus"), keep_isolated=True)
    write_store(eg, tmp_path / "out")
    (tmp_path / "out" / "edges.parquet").write_bytes(b"not parquet")
    with pytest.raises(InputError, match=r"edges.parquet: cannot read"):
        gb.load(tmp_path / "out")
    write_store(eg, tmp_path / "out")
    eg.evidence.drop(columns=["paragraph"]).to_parquet(tmp_path / "out" / "evidence.parquet")
    with pytest.raises(InputError, match=r"evidence.parquet: .*lacks columns \['paragraph'\]"):
        gb.load(tmp_path / "out")


def test_loaded_graph_exports_the_same_files(built, tmp_path):
    _, out, _ = built
    gb.load(out).export(tmp_path / "again")
    for name in ["nodes.csv", "edges.csv", "mentions.csv", "documents.csv", "resolution.csv",
                 "warnings.csv", "graph.graphml", "graph.json"]:
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
