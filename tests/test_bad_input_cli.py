"""The CLI facing broken input and broken runs: one-line fatal errors, --strict, --debug,
the reconciliation, an interrupted build (kill -9), byte-identical rebuilds, CSV injection
and XML-illegal characters in every output file."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from conftest import REPO
from graphbuild.export.safety import xml_safe

BAD = REPO / "tests" / "data" / "bad"
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def run_cli(*args: str, cwd: Path = REPO, code: str | None = None,
            env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``graphbuild`` in a fresh interpreter; ``code`` runs first (fault injection)."""
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200",
           **(env_extra or {})}
    prog = (code or "") + "\nimport sys\nfrom graphbuild.cli import main\n" \
        f"sys.argv = ['graphbuild', *{list(args)!r}]\nmain()\n"
    return subprocess.run([sys.executable, "-c", prog], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def invoke(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI in this process (faster than a fresh interpreter); same result shape."""
    from typer.testing import CliRunner

    from graphbuild.cli import app

    r = CliRunner().invoke(app, list(args))
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise r.exception
    return subprocess.CompletedProcess(args, r.exit_code, r.stdout, r.stderr)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    lines = proc.stderr.strip().splitlines()
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --- fatal problems ------------------------------------------------------------------------
@pytest.mark.parametrize("setup,expected", [
    ("missing", "no such file or directory"),
    ("empty-folder", "no readable document"),
    ("only-bad", "no readable document"),
    ("glob", "no file matches this pattern"),
    ("broken-link", "broken symbolic link"),
])
def test_fatal_input_problem_is_one_line_exit_2(tmp_path, setup, expected):
    if setup == "missing":
        target = tmp_path / "nope"
    elif setup == "empty-folder":
        target = tmp_path / "empty"
        target.mkdir()
    elif setup == "only-bad":
        target = tmp_path / "bad"
        target.mkdir()
        for name in ("binary.txt", "empty.txt"):
            shutil.copy(BAD / name, target / name)
    elif setup == "glob":
        target = tmp_path / "*.nothing"
    else:
        target = tmp_path / "link.txt"
        os.symlink(tmp_path / "gone", target)
    proc = invoke("build", str(target), "-o", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert expected in one_line_error(proc)
    assert not (tmp_path / "out").exists()


def test_output_folder_problems_are_one_line_exit_2(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    proc = invoke("build", str(REPO / "seeds"), "-o", str(afile))
    assert proc.returncode == 2
    assert "is not a folder" in one_line_error(proc)
    # the current folder would be replaced as a whole: refused, nothing touched
    proc = run_cli("build", str(REPO / "seeds"), "-o", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "current folder" in one_line_error(proc)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_internal_error_is_one_line_exit_3_and_debug_shows_traceback(tmp_path):
    # fault injection: a writer raises, as a bug would (write_csv is looked up when the
    # export runs, whichever engine built the tables)
    boom = ("import graphbuild.export.folder as t\n"
            "def boom(*a, **k):\n    raise RuntimeError('boom\\nsecond line')\n"
            "t.write_csv = boom\n")
    proc = run_cli("build", "seeds/", "-o", str(tmp_path / "o"), code=boom)
    assert proc.returncode == 3
    line = one_line_error(proc)
    assert "internal error: RuntimeError: boom second line" in line and "--debug" in line
    proc = run_cli("build", "seeds/", "-o", str(tmp_path / "o"), "--debug", code=boom)
    assert proc.returncode == 3
    assert "Traceback (most recent call last)" in proc.stderr
    assert "RuntimeError: boom" in proc.stderr


def test_debug_shows_traceback_of_input_error(tmp_path):
    proc = invoke("build", str(tmp_path / "nope"), "-o", str(tmp_path / "o"), "--debug")
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "InputError" in proc.stderr


# --- warnings, --strict, reconciliation -----------------------------------------------------
def test_strict_turns_warnings_into_exit_1_but_writes_outputs(tmp_path):
    strict = run_cli("build", str(BAD), "-o", str(tmp_path / "strict"), "--strict")
    assert strict.returncode == 1
    # the per-file counts of test_bad_input.CASES: 7 files with one warning (unclosed,
    # empty_annotation, unknown_label, invalid_utf8, cp1252, nul, unclosed_at_end), nested.txt
    # and lowercase_label.txt with two -> 11; + binary.txt + empty.txt = 13
    assert strict.stderr.strip().splitlines()[-1] == "error: 13 warning(s) and --strict given"
    assert "Traceback" not in strict.stderr
    assert (tmp_path / "strict" / "warnings.csv").is_file()
    # seeds have notices only: --strict passes
    clean = invoke("build", str(REPO / "seeds"), "-o", str(tmp_path / "seeds"), "--strict")
    assert clean.returncode == 0, clean.stderr


def test_reconciliation_is_printed_written_and_reported(tmp_path):
    proc = invoke("build", str(BAD), "-o", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    # counts: see test_bad_input.test_whole_bad_folder_reconciles
    ann = ("annotations: 27 found = 21 kept + 6 dropped (empty-annotation 1, "
           "nested-annotation 1, unclosed-annotation 3, unknown-type 1)")
    files = "files: 14 found = 12 read + 2 skipped (binary-file 1, empty-file 1)"
    # long lines fold at the terminal's width (80 columns here): compare the words
    printed = " ".join(proc.stdout.split())
    assert ann in printed and files in printed
    assert "documents: 12 read from 12 file(s)" in printed
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    with (tmp_path / "o" / "reconciliation.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["what", "outcome", "reason", "count"]
    assert ["annotations", "found", "", "27"] in rows and ["files", "read", "", "12"] in rows
    report = (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    assert "## Reconciliation" in report and ann in report and files in report


# --- atomic output folder -------------------------------------------------------------------
def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def without_timings(files: dict[str, bytes]) -> dict[str, bytes]:
    """``files`` without timings.json (wall-clock seconds; its stage names are checked)."""
    timings = json.loads(files["timings.json"])
    assert set(timings) >= {"parse", "ner", "resolve", "count", "analyse"}
    return {k: v for k, v in files.items() if k != "timings.json"}


def test_kill_9_during_export_leaves_previous_output_complete(tmp_path):
    out = tmp_path / "out"
    first = run_cli("build", "seeds/", "-o", str(out))
    assert first.returncode == 0, first.stderr
    (out / "my-notes.txt").write_text("the analyst's own file")
    before = snapshot(out)
    marker = tmp_path / "exporting"
    # fault injection: the CSV writer (called after graph.graphml and graph.html are
    # written) announces itself, then hangs until killed
    hang = ("import time, pathlib, graphbuild.export.folder as t\n"
            "def hang(*a, **k):\n"
            f"    pathlib.Path({str(marker)!r}).write_text('x')\n"
            "    time.sleep(120)\n"
            "t.write_csv = hang\n")
    prog = hang + ("import sys\nfrom graphbuild.cli import main\n"
                   f"sys.argv = ['graphbuild', 'build', 'seeds/', '-o', {str(out)!r}]\nmain()\n")
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-c", prog], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "build ended before reaching the export"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # graph.graphml is already written into the temporary folder at this point
        temps = [p for p in tmp_path.iterdir() if p.name.startswith(".out.graphbuild-tmp-")]
        assert len(temps) == 1 and (temps[0] / "graph.graphml").is_file()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before                      # byte for byte, nothing half-written
    assert nx.read_graphml(out / "graph.graphml").number_of_nodes() > 0
    # a build that fails on its input does not touch the folder either
    failed = invoke("build", str(tmp_path / "nope"), "-o", str(out))
    assert failed.returncode == 2
    assert snapshot(out) == before
    # the next build cleans the dead build's temporary folder and keeps the analyst's file
    again = run_cli("build", "seeds/", "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []
    assert (out / "my-notes.txt").read_text() == "the analyst's own file"
    # the rebuild is the same build: every file byte for byte, except the stage timings
    # (wall-clock measurements, different on every run)
    again_files = snapshot(out)
    assert sorted(again_files) == sorted(before)
    assert without_timings(again_files) == without_timings(before)


# --- determinism ----------------------------------------------------------------------------
def test_two_builds_are_byte_identical(tmp_path):
    a = run_cli("build", "seeds/", str(BAD), "-o", str(tmp_path / "a"),
                env_extra={"PYTHONHASHSEED": "1"})
    b = run_cli("build", "seeds/", str(BAD), "-o", str(tmp_path / "b"),
                env_extra={"PYTHONHASHSEED": "2"})
    assert a.returncode == 0 and b.returncode == 0
    files_a, files_b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert sorted(files_a) == sorted(files_b)
    # the data files the issue requires to be identical (graph.html is today as well, but
    # its page is another issue's)
    data_files = [n for n in files_a if n.endswith((".graphml", ".gexf", ".csv", ".md",
                                                    ".parquet"))]
    for name in data_files:
        assert files_a[name] == files_b[name], name
    assert {"graph.graphml", "nodes.csv", "edges.csv", "mentions.csv"} <= set(files_a)


# --- hostile content: CSV injection, XML-illegal characters ----------------------------------
HOSTILE = {
    "=cmd.txt": ("¶1. [PER =HYPERLINK(\"http://evil.example\",\"x\")  ] met [ORG +1+2  ] in "
                 "[LOC -3+4  ] with [MISC @SUM(A1:A2)  ] and [XYZ =1+1  ] .\n"
                 "¶2. [PER =HYPERLINK(\"http://evil.example\",\"x\")  ] saw [LOC Lima  ] .\n"),
    "@at.txt": "¶1. [PER +cmd|' /C calc'!A0  ] and [LOC -Lima  ] and [ORG @Org  ] .\n",
    "ctl.txt": ("¶1. [PER Bell\x07Man  ] met [ORG Esc\x1bCorp  ] in [LOC Form\x0cFeed  ] "
                "near [MISC Non\ufffeChar\uffff  ] .\n¶2. Vertical\x0btab [PER Bell\x07Man  ] "
                "and [LOC Del\x7fta  ] .\n"),
}


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile")
    for name, text in HOSTILE.items():
        (src / name).write_bytes(text.encode("utf-8"))
    out = tmp_path_factory.mktemp("hostile-out") / "out"
    # explicit relative names, so source paths and doc ids start with '=' and '@'
    proc = run_cli("build", "-o", str(out), "--", *HOSTILE, cwd=src)
    assert proc.returncode == 0, proc.stderr
    return out


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_every_csv_cell_is_neutralised(hostile_out):
    csvs = sorted(hostile_out.glob("*.csv"))
    assert {p.name for p in csvs} >= {"nodes.csv", "edges.csv", "mentions.csv",
                                      "documents.csv", "resolution.csv", "warnings.csv",
                                      "reconciliation.csv"}
    seen_payload = set()
    for path in csvs:
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell.startswith(CSV_TRIGGERS):
                        assert _is_number(cell), f"{path.name}: {cell!r}"
                    if cell.startswith("'") and cell[1:2] in "=+-@":
                        seen_payload.add(path.name)
    # the payloads did reach these files (neutralised), so the test looked at real cells
    assert {"nodes.csv", "mentions.csv", "documents.csv", "resolution.csv",
            "edges.csv"} <= seen_payload


def test_ego_evidence_csv_is_neutralised(hostile_out, tmp_path):
    # evidence.csv of an ego export comes from the dictionary-coded evidence table: its
    # doc_id "=cmd" (from =cmd.txt) must be neutralised like every other cell
    proc = run_cli("ego", "Lima", "--in", str(hostile_out), "-o", str(tmp_path / "ego"))
    assert proc.returncode == 0, proc.stderr
    with (tmp_path / "ego" / "evidence.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert "'=cmd" in {r["doc_id"] for r in rows}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(CSV_TRIGGERS) or _is_number(cell), cell


def test_xml_illegal_characters_are_replaced_and_files_parse(hostile_out):
    igraph = pytest.importorskip("igraph")
    xml_files = sorted(hostile_out.glob("*.graphml")) + sorted(hostile_out.glob("*.gexf"))
    assert xml_files
    for path in xml_files:
        root = ET.parse(path).getroot()       # raises on any XML 1.0-illegal character
        text = ET.tostring(root, encoding="unicode")
        for bad in "\x07\x0b\x0c\x1b\ufffe\uffff":
            assert bad not in text
    g = igraph.Graph.Read_GraphML(str(hostile_out / "graph.graphml"))
    G = nx.read_graphml(hostile_out / "graph.graphml")
    with (hostile_out / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        # (undo the CSV-injection quote to get the label back)
        csv_labels = {row["id"]: row["label"][1:] if row["label"].startswith("'")
                      and row["label"][1:2] in "=+-@" else row["label"]
                      for row in csv.DictReader(fh)}
    # the readers' sanitiser removed the controls and replaced the noncharacters before
    # anything else saw the text, so the labels (nodes.csv keeps them verbatim) are clean...
    assert {"BellMan", "EscCorp", "Non\ufffdChar\ufffd", "Delta"} <= set(csv_labels.values())
    assert all(xml_safe(label) == label for label in csv_labels.values())
    # ...and GraphML writes them as they are
    assert {n: d["label"] for n, d in G.nodes(data=True)} == {
        n: xml_safe(label) for n, label in csv_labels.items()}
    assert sorted(g.vs["label"]) == sorted(xml_safe(v) for v in csv_labels.values())


def test_hostile_names_stay_inside_the_output_folder(hostile_out):
    # every file the build wrote is directly inside the output folder
    parent = hostile_out.parent
    assert sorted(p.name for p in parent.iterdir()) == ["out"]
    assert all(p.parent == hostile_out for p in hostile_out.rglob("*"))
