"""Unit tests of the output-safety helpers: file names from document ids, CSV cells, XML
characters, atomic writes and the atomic output folder."""

from __future__ import annotations

import csv
import io
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from graphbuild.core.files import (
    MANIFEST,
    atomic_output_dir,
    safe_filename,
    safe_output_path,
)
from graphbuild.core.files import atomic_write as atomic_write_text
from graphbuild.export.safety import neutralize_csv_cell, safe_csv_frame, xml_safe
from graphbuild.export.tables import write_csv
from oracles import write_graphml_of as write_graphml

HOSTILE_IDS = ["../../etc/passwd", "/etc/passwd", "..", ".", "", "a/../../b", "C:\\x\\y",
               "con", "NUL.txt", "x\x00y", "\n", "~", "~root/.ssh", ".hidden", "a" * 5000,
               "﹒﹒／etc", "..\u2215..\u2215x", "%2e%2e%2fetc", "$(rm -rf /)", "*", "a:b",
               "09STATE83014", "São Paulo"]


@pytest.mark.parametrize("doc_id", HOSTILE_IDS)
def test_names_from_document_ids_stay_in_the_folder(tmp_path, doc_id):
    out = tmp_path / "out"
    out.mkdir()
    path = safe_output_path(out, doc_id, ".html")
    assert path.parent == out
    assert path.resolve().parent == out.resolve()
    name = path.name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and len(name) <= 125
    path.write_text("x")                     # a real file can be created under that name
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["out", name])


def test_distinct_readable_names_are_kept():
    assert safe_filename("09STATE83014") == "09STATE83014"
    assert safe_filename("São Paulo") == "São_Paulo"


@pytest.mark.parametrize("cell,expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Uribe", "Uribe"), ("", ""), ("a=b", "a=b"),
    (-3, -3), (2.5, 2.5)])
def test_csv_cells(cell, expected):
    assert neutralize_csv_cell(cell) == expected


def test_csv_frame_neutralises_object_and_string_columns(tmp_path):
    frame = pd.DataFrame({"a": pd.Series(["=x", "ok", None], dtype="string"),
                          "b": ["+y", "@z", "fine"], "n": [-1, 2, 3]})
    write_csv(frame, tmp_path / "t.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8"))))
    assert rows == [["a", "b", "n"], ["'=x", "'+y", "-1"], ["ok", "'@z", "2"],
                    ["", "fine", "3"]]
    assert safe_csv_frame(frame)["n"].tolist() == [-1, 2, 3]


def test_xml_safe_keeps_legal_and_replaces_illegal():
    legal = "tab\t nl\n cr\r é 中 🙂 \x7f \x85 \ue000 \ufffd"
    assert xml_safe(legal) == legal
    illegal = "".join(chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32)]) + "\ufffe\uffff"
    assert xml_safe(illegal) == "\ufffd" * len(illegal)


def test_graphml_with_every_control_character_parses(tmp_path):
    G = nx.Graph()
    weird = "".join(chr(c) for c in range(0, 32)) + "\ufffe\uffff<&>\"'"
    G.add_node("n1", label="a" + weird, type="PER")
    G.add_node("n\x01" + weird, label="b", type="LOC")
    G.add_edge("n1", "n\x01" + weird, weight=2)
    write_graphml(G, tmp_path / "g.graphml")
    ET.parse(tmp_path / "g.graphml")
    H = nx.read_graphml(tmp_path / "g.graphml")
    assert H.number_of_nodes() == 2 and H.number_of_edges() == 1


def test_atomic_write_has_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "f.txt", "hello")
    finally:
        os.umask(old)
    assert (tmp_path / "f.txt").read_text() == "hello"
    assert stat.S_IMODE((tmp_path / "f.txt").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]     # no temporary left


def test_atomic_output_dir_replaces_only_on_success(tmp_path):
    out = tmp_path / "out"
    with atomic_output_dir(out) as tmp:
        (tmp / "a.csv").write_text("v1")
    assert (out / "a.csv").read_text() == "v1"
    (out / "mine.txt").write_text("user")
    (out / "sub").mkdir()
    (out / "sub" / "keep.txt").write_text("deep")
    with pytest.raises(RuntimeError), atomic_output_dir(out) as tmp:
        (tmp / "a.csv").write_text("v2")
        raise RuntimeError("interrupted")
    assert (out / "a.csv").read_text() == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]     # temp removed
    with atomic_output_dir(out) as tmp:
        (tmp / "b.csv").write_text("v3")
    # a.csv was ours (listed in the manifest) and is gone; the user's files are carried over
    assert sorted(p.name for p in out.iterdir()) == sorted(["b.csv", "mine.txt", "sub",
                                                            MANIFEST])
    assert (out / "sub" / "keep.txt").read_text() == "deep"
    assert (out / MANIFEST).read_text() == "b.csv\n"


def test_atomic_output_dir_refuses_current_folder_and_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="current folder"), atomic_output_dir("."):
        pass
    with pytest.raises(ValueError, match="current folder"), atomic_output_dir(".."):
        pass
    Path("f").write_text("x")
    with pytest.raises(ValueError, match="not a folder"), atomic_output_dir("f"):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]
