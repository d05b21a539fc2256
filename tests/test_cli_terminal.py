"""What the build prints: one line per kind of problem, no annotation line for a raw
corpus, warnings and notices both counted, the files that matter named first."""

from __future__ import annotations

import io
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
    assert "open graph.html, brief.html, report.html, graph.graphml" in " ".join(
        printed[printed.index(wrote):].split())


def test_progress_names_each_stage_with_counts(tmp_path):
    from rich.console import Console

    import graphbuild as gb
    from explore_corpus import write_corpus
    from graphbuild.cli.progress import StageProgress

    con = Console(record=True, force_terminal=True, width=80, file=io.StringIO())
    with StageProgress(con) as shown:
        gb.build(write_corpus(tmp_path / "corpus"), progress=shown)
    assert shown.steps == ["reading", "resolving", "counting pairs", "measuring"]
    text = con.export_text()
    # the two files of the corpus counted, with a rate; no line wider than 80 columns
    assert re.search(r"reading .* 2/2 [\d.,]+ files/s", text)
    # (the recording holds every redraw, one after the other: each one fits)
    frames = re.split(r"(?=[✓⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] )", text)
    assert max(len(f.rstrip("\n")) for f in frames) <= 80


def test_progress_of_ner_in_documents_and_words(tmp_path, recognizer, seeds_dir):
    from rich.console import Console

    import graphbuild as gb
    from graphbuild.cli.progress import StageProgress

    raw = seeds_dir / "cable_04CARACAS3025_raw.txt"
    con = Console(record=True, force_terminal=True, width=80, file=io.StringIO())
    recognizer.progress = shown = StageProgress(con)
    try:
        with shown:
            gb.build(raw, recognizer=recognizer, progress=shown)
    finally:
        recognizer.progress = None
    assert shown.steps[:2] == ["reading", "NER"]
    assert re.search(r"NER .* 1/1 [\d.,]+ docs/s [\d.,k]+ words/s", con.export_text())
