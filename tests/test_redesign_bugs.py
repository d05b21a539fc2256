"""Three defects found while reading the code for the redesign, each pinned by a test that
failed before its fix (checked against commit 999f8da)."""

from __future__ import annotations

import copy
import json
import re

from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app
from test_gexf import dated_graph


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)'
                                r"</script>", text, re.S).group(1))


def test_ego_page_has_its_evidence(tmp_path, seeds_dir):
    """``graphbuild ego`` wrote its page without the evidence tables: every edge's panel
    was empty. Now every edge of the ego page lists the paragraphs behind it."""
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["build", str(seeds_dir), "-o", str(out)]).exit_code == 0
    ego = tmp_path / "ego"
    result = CliRunner().invoke(app, ["ego", "Lavrov", "--in", str(out), "-o", str(ego)])
    assert result.exit_code == 0, result.output
    data = page_data(ego / "graph.html")
    assert data["edges"] and all(e["ev"] for e in data["edges"])
    texts = {p["text"] for p in data["paras"]}
    assert any("Lavrov" in t for t in texts)
    # the counts the panel shows equal the evidence table of the whole build
    eg = gb.load(out)
    ids = [n["id"] for n in data["nodes"]]
    for e in data["edges"]:
        s, t = sorted((ids[e["s"]], ids[e["t"]]))
        rows = eg.evidence[(eg.evidence["source"] == s) & (eg.evidence["target"] == t)]
        assert e["evn"] == len(rows)


def test_export_leaves_the_settings_alone(tmp_path, seeds_dir):
    """``EntityGraph.export`` added ``csv_skipped``/``graph_files`` to the build's own
    settings, so a second export with other limits reported the first one's cuts."""
    eg = gb.build(seeds_dir)
    before = copy.deepcopy(eg.settings)
    eg.export(tmp_path / "a", csv_max_rows=1)
    assert eg.settings == before
    meta = json.loads((tmp_path / "a" / "build.json").read_text(encoding="utf-8"))
    assert "mentions.csv" in meta["settings"]["csv_skipped"]
    eg.export(tmp_path / "b")
    meta = json.loads((tmp_path / "b" / "build.json").read_text(encoding="utf-8"))
    assert "csv_skipped" not in meta["settings"]
    assert "CSV files not written" not in (tmp_path / "b" / "report.md").read_text()


def test_timeline_follows_the_weight_option():
    """The per-period centralities used the ``weight`` column whatever ``--weight`` said.

    2008 holds two cables of one paragraph each, both mentioning Chavez and FARC: N = 2
    units, p = 2 for each, w = 2, so npmi = 1 (w/N = 1) and the tie strength is (1 + 1) / 2
    = 1; by co-occurrence count it is 2."""
    def strength(tl, period, entity):
        c = tl.centrality
        return float(c[(c["period"] == period) & (c["entity_id"] == entity)]["strength"].iloc[0])

    assert strength(dated_graph("year").timeline, "2008", "chavez") == 2.0
    assert strength(dated_graph("year", weight="npmi").timeline, "2008", "chavez") == 1.0
