"""The explorer commands reading a built folder: in-process through typer's CliRunner, and
as a user runs them (a subprocess) for exit codes and the one-line error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import graphbuild as gb
from explore_corpus import write_corpus
from graphbuild.cli import app

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    gb.build(write_corpus(root / "corpus"), keep_isolated=True).export(root / "out")
    return root / "out"


def run_process(*args: str, columns: int = 80) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(columns), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "graphbuild", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def run(*args: str):
    """In-process run; ``returncode``/``stdout``/``stderr`` like a finished process."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def test_neighbors_table(out_dir):
    r = run_process("neighbors", "ana", "--in", str(out_dir))
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if "│" in ln]
    # strongest first: Bo (w2), then Abe, Dee, Paris (w1, label order); at 80 columns the
    # label column comes first (the ids take room a narrow terminal does not have)
    assert [ln.split("│")[1].strip() for ln in lines] == ["Bo", "Abe", "Dee", "Paris"]
    assert "Ana [ana]: 4 neighbours" in r.stdout
    wide = run_process("neighbors", "ana", "--in", str(out_dir), columns=120)
    assert [ln.split("│")[1].strip() for ln in wide.stdout.splitlines() if "│" in ln] == [
        "bo", "abe", "dee", "paris"]
    assert max(map(len, r.stdout.splitlines())) <= 80


def test_unknown_entity_exits_2_with_one_line(out_dir):
    r = run_process("neighbors", "Anna", "--in", str(out_dir))
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["error: no entity matches 'Anna'; did you mean "
                                             "Ana?"]
    assert "Traceback" not in r.stderr + r.stdout


def test_missing_folder_exits_2(tmp_path):
    r = run_process("path", "a", "b", "--in", str(tmp_path / "nope"))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "no such folder" in r.stderr


def test_default_in_is_output(out_dir, tmp_path, monkeypatch):
    # without --in, commands read ./output
    monkeypatch.chdir(tmp_path)
    r = run("evidence", "bo", "cy")
    assert r.returncode == 2 and "output: no such folder" in r.stderr
    (tmp_path / "output").symlink_to(out_dir)
    r = run("evidence", "bo", "cy")
    assert r.returncode == 0, r.stderr


def test_path_prints_both_kinds_with_evidence(out_dir):
    r = run("path", "Ana", "Rome", "--in", str(out_dir))
    assert r.returncode == 0, r.stderr
    shortest, strongest = r.stdout.split("strongest path")
    # hand-computed in test_query: fewest hops via Dee, strongest via Bo and Cy (11/6)
    assert "shortest path: 2 hop(s), length 2" in shortest
    assert "Ana — Dee" in shortest and "Dee — Rome" in shortest
    assert ": 3 hop(s), length 1.833" in strongest
    assert "Bo — Cy" in strongest and "weight 3, documents 2" in strongest
    assert "d1:¶3" in strongest and "Bo wrote to Cy" in strongest


def test_no_path_exits_1(out_dir):
    r = run("path", "ana", "lima", "--in", str(out_dir))
    assert r.returncode == 1
    assert "no path between Ana and Lima" in r.stderr


def test_evidence_prints_paragraph_text(out_dir):
    r = run("evidence", "Cy", "BO", "--in", str(out_dir))
    assert r.returncode == 0, r.stderr
    assert "Cy — Bo: 3 paragraph(s)" in r.stdout
    for ref, text in [("d1:¶3", "Bo wrote to Cy"), ("d1:¶4", "Bo and Cy again"),
                      ("d2:¶1", "Bo phoned Cy about Acme")]:
        assert ref in r.stdout and text in r.stdout
    r = run("evidence", "ana", "rome", "--in", str(out_dir))
    assert r.returncode == 1 and "never mentioned in the same paragraph" in r.stderr
    # --limit says how many there are in all: 2 shown of the 3
    r = run("evidence", "Cy", "BO", "-n", "2", "--in", str(out_dir))
    assert "Cy — Bo: 2 of 3 paragraph(s)" in r.stdout
    assert "d1:¶3" in r.stdout and "d1:¶4" in r.stdout and "d2:¶1" not in r.stdout


def test_ego_writes_subgraph(out_dir, tmp_path):
    r = run("ego", "dee", "-o", str(tmp_path / "ego"), "--in", str(out_dir), "-r", "1")
    assert r.returncode == 0, r.stderr
    # radius 1 around Dee: Dee, Ana, Rome (no Ana-Rome edge) -> 3 nodes, 2 edges
    nodes = (tmp_path / "ego" / "nodes.csv").read_text().splitlines()
    edges = (tmp_path / "ego" / "edges.csv").read_text().splitlines()
    assert sorted(ln.split(",")[0] for ln in nodes[1:]) == ["ana", "dee", "rome"]
    assert len(edges) == 1 + 2
    assert (tmp_path / "ego" / "graph.html").stat().st_size > 1000


def test_ego_refuses_to_overwrite_the_input_folder(out_dir):
    before = (out_dir / "nodes.csv").read_text()
    r = run("ego", "dee", "-o", str(out_dir), "--in", str(out_dir))
    assert r.returncode == 2 and "would overwrite" in r.stderr
    assert (out_dir / "nodes.csv").read_text() == before


def test_report_is_rewritten_from_the_folder(out_dir, tmp_path):
    r = run("report", "--in", str(out_dir), "-o", str(tmp_path / "again"))
    assert r.returncode == 0, r.stderr
    first = (out_dir / "report.md").read_text(encoding="utf-8")
    again = (tmp_path / "again" / "report.md").read_text(encoding="utf-8")
    # same text (the chart data at the end may differ in bytes, not in what they show)
    def body(md: str) -> str:
        return md.split("\n[degree-distribution]: ")[0]
    assert body(again) == body(first) and "| Bo | Cy | 3 | 2 |" in body(again)
    assert (tmp_path / "again" / "report.html").is_file()


def test_unknown_weight_or_sort_column_is_a_user_error(out_dir):
    r = run("path", "ana", "rome", "--weight", "npmix", "--in", str(out_dir))
    assert r.returncode == 2 and "no edge column 'npmix'; edges have weight, documents" in r.stderr
    r = run("neighbors", "ana", "--by", "nope", "--in", str(out_dir))
    assert r.returncode == 2 and "cannot sort by 'nope'" in r.stderr


def test_json_and_csv_equal_the_python_api(out_dir):
    import io
    import json

    from graphbuild import query

    eg = gb.load(out_dir)
    r = run_process("neighbors", "ana", "--in", str(out_dir), "--json")
    assert r.returncode == 0, r.stderr
    got = pd.DataFrame(json.loads(r.stdout)).set_index("entity_id")
    want = query.neighbors(eg, "ana")
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_names=False)
    r = run_process("evidence", "Cy", "BO", "--in", str(out_dir), "--csv")
    assert r.returncode == 0, r.stderr
    got = pd.read_csv(io.StringIO(r.stdout), keep_default_na=False)
    want = query.evidence(eg, "Cy", "BO")
    assert got["text"].tolist() == want["text"].tolist()
    assert list(got.columns) == list(want.columns)
    r = run_process("path", "Ana", "Cy", "--in", str(out_dir), "--json")
    rows = json.loads(r.stdout)
    assert {row["kind"] for row in rows} == {"shortest", "strongest"}
    both = run_process("neighbors", "ana", "--in", str(out_dir), "--json", "--csv")
    assert both.returncode == 2 and "choose one" in both.stderr


def test_types_filter_neighbors_path_and_ego(out_dir, tmp_path):
    import json

    from graphbuild import query

    eg = gb.load(out_dir)
    # Bo's neighbours (explore_corpus): Cy 3 and Ana 2 (PER), Paris 1 (LOC), Acme 1 (ORG)
    r = run_process("neighbors", "bo", "--in", str(out_dir), "-t", "per", "--json")
    assert r.returncode == 0, r.stderr
    got = pd.DataFrame(json.loads(r.stdout)).set_index("entity_id")
    assert got.index.tolist() == ["cy", "ana"]
    pd.testing.assert_frame_equal(got, query.neighbors(eg, "bo", types="PER"),
                                  check_dtype=False, check_names=False)
    r = run("neighbors", "bo", "--in", str(out_dir), "--types", "LOC,ORG")
    assert "Bo [bo]: 2 neighbours (LOC,ORG)" in r.stdout and "Cy" not in r.stdout
    r = run("neighbors", "bo", "--in", str(out_dir), "--types", "PERSON")
    assert r.returncode == 2 and "unknown type(s) PERSON" in r.stderr
    # Ana to Rome: through Dee (PER); no path through places only (Paris meets no Rome)
    r = run_process("path", "Ana", "Rome", "--in", str(out_dir), "-t", "PER", "--json")
    assert [(h["source"], h["target"]) for h in json.loads(r.stdout)
            if h["kind"] == "shortest"] == [("ana", "dee"), ("dee", "rome")]
    r = run_process("path", "Ana", "Rome", "--in", str(out_dir), "-t", "LOC")
    assert r.returncode == 1 and "through LOC entities only" in r.stderr
    # ego of Bo, people only: Bo, Ana, Cy; ties Ana-Bo (2 paragraphs) and Bo-Cy (3)
    r = run("ego", "bo", "-o", str(tmp_path / "e"), "--in", str(out_dir), "-t", "PER")
    assert r.returncode == 0, r.stderr
    said = " ".join(r.stdout.split())
    assert "bo: 3 entities within 1 hop(s), 2 ties, 5 evidence paragraphs" in said
    assert "evidence.csv (" in said and " kB)" in said or " B)" in said
    nodes = pd.read_csv(tmp_path / "e" / "nodes.csv")
    assert sorted(nodes["id"]) == ["ana", "bo", "cy"]
    # at most 1 paragraph per tie in evidence.csv, and said so
    r = run("ego", "bo", "-o", str(tmp_path / "e1"), "--in", str(out_dir), "-t", "PER",
            "--max-evidence", "1")
    said = " ".join(r.stdout.split())
    assert "2 evidence paragraphs of 5 (at most 1 per tie" in said
    ev = pd.read_csv(tmp_path / "e1" / "evidence.csv")
    assert len(ev) == 2 and ev.groupby(["source", "target"]).size().max() == 1
