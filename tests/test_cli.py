"""The CLI end to end on seeds/, read back with independent readers."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest

from conftest import REPO

OUTPUTS = ["graph.graphml", "graph.html", "nodes.csv", "edges.csv", "mentions.csv",
           "documents.csv", "resolution.csv", "warnings.csv", "report.md"]


def run_cli(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "graphbuild", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("build", "seeds/", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_every_output_file_exists(built):
    out, proc = built
    for name in OUTPUTS:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    assert "documents" in proc.stdout and "entities" in proc.stdout


def test_graphml_reads_back_identical(built):
    out, _ = built
    G = nx.read_graphml(out / "graph.graphml")
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False)
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    assert set(G.nodes) == set(nodes["id"])
    assert G.number_of_edges() == len(edges)
    for row in edges.itertuples():
        assert G.edges[row.source, row.target]["weight"] == pytest.approx(float(row.weight))
        assert isinstance(G.edges[row.source, row.target]["weight"], float)
    for row in nodes.itertuples():
        assert G.nodes[row.id]["label"] == row.label
        assert G.nodes[row.id]["type"] == row.type
        assert G.nodes[row.id]["mentions"] == row.mentions
        assert G.degree(row.id) == row.degree


def test_graphml_has_named_keys_and_no_duplicate_declarations(built):
    out, _ = built
    import xml.etree.ElementTree as ET

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = ET.parse(out / "graph.graphml").getroot().findall("g:key", ns)
    ids = [k.get("id") for k in keys]
    assert not any(i.startswith("d") and i[1:].isdigit() for i in ids)
    declared = [(k.get("for"), k.get("attr.name")) for k in keys]
    assert len(declared) == len(set(declared))
    weight = next(k for k in keys if k.get("attr.name") == "weight")
    assert weight.get("attr.type") == "double"


def test_graphml_opens_in_igraph(built):
    igraph = pytest.importorskip("igraph")
    out, _ = built
    g = igraph.Graph.Read_GraphML(str(out / "graph.graphml"))
    edges = pd.read_csv(out / "edges.csv")
    assert g.ecount() == len(edges)
    assert sorted(g.es["weight"]) == sorted(edges["weight"].astype(float))


def test_nodes_csv_agrees_with_graph(built):
    out, _ = built
    nodes = pd.read_csv(out / "nodes.csv", keep_default_na=False)
    edges = pd.read_csv(out / "edges.csv", keep_default_na=False)
    assert list(nodes.columns[:6]) == ["id", "label", "type", "mentions", "paragraphs",
                                       "documents"]
    for col in ["degree", "strength", "betweenness", "closeness", "eigenvector", "pagerank"]:
        assert col in nodes.columns
    degree = pd.concat([edges["source"], edges["target"]]).value_counts()
    strength = (pd.concat([edges[["source", "weight"]].rename(columns={"source": "n"}),
                           edges[["target", "weight"]].rename(columns={"target": "n"})])
                .groupby("n")["weight"].sum())
    by_id = nodes.set_index("id")
    assert (by_id["degree"] == degree.reindex(by_id.index, fill_value=0)).all()
    assert (by_id["strength"] == strength.reindex(by_id.index, fill_value=0)).all()
    assert by_id["pagerank"].sum() == pytest.approx(1.0)
    # edges.csv carries its evidence as doc_id:¶paragraph refs, one per unit of weight
    assert (edges["evidence"].str.count(";") + 1 == edges["weight"]).all()


def test_report_has_summary_and_rankings(built):
    out, _ = built
    report = (out / "report.md").read_text()
    for heading in ["## Corpus", "## Top entities", "## Strongest edges"]:
        assert heading in report
    # the rankings: one rank table with a column per measure (pagerank, betweenness...)
    header = next(ln for ln in report.splitlines() if ln.startswith("| rank |"))
    assert {"pagerank", "betweenness", "degree"} <= set(header.strip("| ").split(" | "))
    assert "1/weight" in report


def test_missing_input_is_one_line_exit_2(tmp_path):
    proc = run_cli("build", str(tmp_path / "nope"), "-o", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "no such file or directory" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_empty_folder_is_one_line_exit_2(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = run_cli("build", str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "no readable document" in proc.stderr


def test_unknown_type_option_is_rejected(tmp_path):
    proc = run_cli("build", "seeds/", "-o", str(tmp_path / "o"), "--types", "PER,FOO")
    assert proc.returncode == 2
    assert "FOO" in proc.stderr and "Traceback" not in proc.stderr


def test_types_and_min_weight_filter(tmp_path):
    proc = run_cli("build", "seeds/", "-o", str(tmp_path), "--types", "LOC,ORG",
                   "--min-weight", "3")
    assert proc.returncode == 0, proc.stderr
    nodes = pd.read_csv(tmp_path / "nodes.csv")
    edges = pd.read_csv(tmp_path / "edges.csv")
    assert set(nodes["type"]) <= {"LOC", "ORG"}
    assert (edges["weight"] >= 3).all()


def test_help_explains_options():
    proc = run_cli("build", "--help")
    assert proc.returncode == 0
    for opt in ["--out", "--min-weight", "--types"]:
        assert opt in proc.stdout
