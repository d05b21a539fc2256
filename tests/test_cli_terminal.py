"""What the build prints: one line per kind of problem, no annotation line for a raw
corpus, warnings and notices both counted, the files that matter named first."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from graphbuild.cli import app


def build(*args) -> str:
    result = CliRunner().invoke(app, ["build", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_500_identical_problems_print_one_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    # 500 lower-case labels: 500 warnings of one kind (read, with a warning each)
    lines = [f"¶{i}. [per Ana  ] met [PER Bo  ] ." for i in range(1, 501)]
    (src / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    printed = build(src, "-o", tmp_path / "out")
    kind = [ln for ln in printed.splitlines() if "[label-case]" in ln]
    assert len(kind) == 1 and "(+499 more label-case)" in kind[0]
    assert "a.txt:1:5:" in kind[0]                      # the first one, located
    csv_rows = (tmp_path / "out" / "warnings.csv").read_text(encoding="utf-8").splitlines()
    assert sum("label-case" in row for row in csv_rows) == 500   # all of them on file
    assert re.search(r"warnings / notices\s*│\s*500 / 0\s", printed)
    # how the mentions were found and where the build ran
    assert re.search(r"mentions from\s*│\s*annotation\s", printed)
    assert re.search(r"engine\s*│\s*local\s", printed)


def test_raw_corpus_prints_no_annotation_line(tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    (src / "a.txt").write_text("Ana met Bo in Lima.\n", encoding="utf-8")
    printed = build(src, "-o", tmp_path / "out", "--no-ner")
    assert not [ln for ln in printed.splitlines() if ln.startswith("annotations:")]
    assert re.search(r"mentions from\s*│\s*none\s", printed)     # no NER asked for
    assert "files: 1 found = 1 read + 0 skipped" in " ".join(printed.split())
    # the files that matter come first
    wrote = next(ln for ln in printed.splitlines() if ln.startswith("wrote "))
    assert "open graph.html, report.html, graph.graphml, nodes.csv" in " ".join(
        printed[printed.index(wrote):].split())
