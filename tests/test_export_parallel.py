"""The two-core export (a forked child writes the page and the reports) gives the same files
as writing them one by one; errors and a dying child are handled; tables too big for a
spreadsheet get no CSV and say so (issue 8)."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app
from graphbuild.export import folder
from graphbuild.export import lanes as parallel

SEED = "seeds/cable_09STATE83014_annotated.txt"


@pytest.fixture(scope="module")
def eg(corpora_dir):
    fixtures = sorted(str(p) for p in (corpora_dir / "fixtures").glob("*"))[:6]
    return gb.build([SEED, *fixtures])


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_parallel_export_writes_the_same_bytes(eg, tmp_path):
    one = eg.export(tmp_path / "one", parallel=False)
    two = eg.export(tmp_path / "two", parallel=True)
    assert list(one) == list(two)                       # same files, same order
    a, b = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert sorted(a) == sorted(b)
    assert "report.html" in a and "graph.html" in a and "mentions.parquet" in a
    for name in a:
        assert a[name] == b[name], name


def test_lanes_merge_in_job_order_and_run_each_job_once(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()

    def job(name):
        def run():
            (calls / f"{name}-{os.getpid()}").write_text("x")
            return {f"{name}.txt": tmp_path / f"{name}.txt"}
        return run

    jobs = {n: job(n) for n in "abcd"}
    got = parallel.run_lanes(jobs, there=("b", "d"))
    assert list(got) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    ran = sorted(p.name for p in calls.iterdir())
    assert [r.split("-")[0] for r in ran] == list("abcd")            # once each
    pids = {r.split("-")[0]: int(r.split("-")[1]) for r in ran}
    assert pids["a"] == pids["c"] == os.getpid()
    assert pids["b"] == pids["d"] != os.getpid()                    # in the child


def test_an_error_in_the_child_reaches_the_caller(eg, tmp_path, monkeypatch):
    parent = os.getpid()

    def full_disk(*args, **kwargs):
        assert os.getpid() != parent, "the page is written in the child"
        raise OSError(28, "No space left on device", "graph.html")

    monkeypatch.setattr(folder, "render_html", full_disk)
    with pytest.raises(OSError, match="No space left"):
        eg.export(tmp_path / "out", parallel=True)
    assert not (tmp_path / "out").exists()               # atomic: nothing half-written


def test_a_dead_child_is_replaced_by_writing_here(eg, tmp_path, monkeypatch):
    parent = os.getpid()
    real = folder.render_html

    def dies_in_child(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(9)                                  # as if killed for memory
        return real(*args, **kwargs)

    monkeypatch.setattr(folder, "render_html", dies_in_child)
    eg.export(tmp_path / "out", parallel=True)
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"report.md", "graph.html", "graph.graphml", "graph.gexf"} <= names
    assert (tmp_path / "out" / "graph.html").read_bytes() == \
        eg.to_html("pagerank", 400).encode("utf-8")


def test_tables_over_the_csv_limit_get_parquet_only(eg, tmp_path):
    n_mentions, n_edges = len(eg.mentions), len(eg.edges)
    assert n_edges > n_mentions > 10
    eg.export(tmp_path / "out", csv_max_rows=n_mentions)    # mentions fit, edges do not
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert "mentions.csv" in names and "edges.csv" not in names
    assert "nodes.csv" in names and "documents.csv" in names
    # nothing is lost: the Parquet file holds every edge
    assert len(pd.read_parquet(tmp_path / "out" / "edges.parquet")) == n_edges
    skipped = json.loads((tmp_path / "out" / "build.json").read_text())["settings"][
        "csv_skipped"]
    assert skipped.startswith(f"edges.csv: {n_edges:,} rows (more than {n_mentions:,}")
    assert "edges.parquet" in skipped
    assert "CSV files not written" in (tmp_path / "out" / "report.md").read_text()
    eg.export(tmp_path / "all", csv_max_rows=None)
    assert {"edges.csv", "mentions.csv"} <= {p.name for p in (tmp_path / "all").iterdir()}
    assert "csv_skipped" not in eg.settings


def test_cli_csv_max_rows(tmp_path):
    res = CliRunner().invoke(app, ["build", SEED, "-o", str(tmp_path / "out"),
                                   "--csv-max-rows", "5"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "not written: edges.csv" in said and "; mentions.csv:" in said
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert "mentions.csv" not in names and "mentions.parquet" in names
    res = CliRunner().invoke(app, ["build", SEED, "-o", str(tmp_path / "all"),
                                   "--csv-max-rows", "0"])
    assert res.exit_code == 0, res.output
    assert "mentions.csv" in {p.name for p in (tmp_path / "all").iterdir()}
