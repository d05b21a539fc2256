"""Redaction markers are protected sources: never an entity, never a link, counted per
paragraph and shown as "source protected" wherever the evidence is read (the explorer page,
``graphbuild evidence``, ``evidence()``). The corpus is written here; the counts are read
off it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app

TEXT = ("SUBJECT: TEST\n\n"
        "¶1. XXXXXXXXXXXX told [PER Ana  ] that [ORG FARC  ] and XXXXXXXXXXXX met.\n\n"
        "¶2. [PER Ana  ] and [ORG FARC  ] again.\n\n"
        "¶3. [PER Bo  ] met xxxxxxxxxxx .\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("protected")
    (root / "c.txt").write_text(TEXT, encoding="utf-8")
    gb.build(root / "c.txt", keep_isolated=True).export(root / "out")
    return root / "out"


def test_redactions_are_counted_and_never_entities(built: Path) -> None:
    eg = gb.load(built)
    body = eg.paragraphs[eg.paragraphs["section"] == "body"].set_index("paragraph")
    assert body["redactions"].to_dict() == {1: 2, 2: 0, 3: 1}
    assert not eg.entities["label"].str.contains("XXXX|xxxx").any()
    assert sorted(eg.entities["entity_id"]) == ["ana", "bo", "farc"]


def test_evidence_table_and_cli_say_source_protected(built: Path) -> None:
    eg = gb.load(built)
    ev = eg.evidence_for("Ana", "FARC")
    assert ev.set_index("paragraph")["redactions"].to_dict() == {1: 2, 2: 0}
    out = CliRunner().invoke(app, ["evidence", "Ana", "FARC", "--in", str(built)],
                             env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert out.exit_code == 0, out.output
    blocks = out.output.split("c:¶")
    protected = [b for b in blocks if "source protected" in b]
    assert len(protected) == 1 and protected[0].startswith("1") and "×2" in protected[0]


def test_the_explorer_page_marks_the_paragraph(built: Path) -> None:
    page = (built / "graph.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)'
                                r"</script>", page, re.S).group(1))
    paragraphs = {p["p"]: p.get("red", 0) for p in data["paras"]}
    assert paragraphs == {1: 2, 2: 0}
    assert "source protected" in page          # the panel's wording ships with the page
