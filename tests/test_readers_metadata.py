"""Document metadata: documents.csv, corpus filters and first/last seen dates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from graphbuild.core.diagnostics import InputError
from graphbuild.pipeline import build
from graphbuild.read.filters import DocumentFilter

REPO = Path(__file__).resolve().parents[1]

# from the fixtures' metadata tables (grep -o "href='/origin/[^']*'>[^<]*" *.html etc.):
# created year, origin, classification, has VE tag
FIXTURES = {
    "02BOGOTA3281": ("2002", "Embassy Bogota", "SECRET", True),
    "03THEHAGUE1865": ("2003", "Embassy The Hague", "CONFIDENTIAL", False),
    "04CARACAS2200": ("2004", "Embassy Caracas", "CONFIDENTIAL", True),
    "05LIMA4861": ("2005", "Embassy Lima", "CONFIDENTIAL", False),
    "08MANAMA492": ("2008", "Embassy Manama", "CONFIDENTIAL", False),
    "09CARACAS1181": ("2009", "Embassy Caracas", "CONFIDENTIAL", True),
    "09SANJOSE525": ("2009", "Embassy San Jose", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", False),
    "09STATE83014": ("2009", "Secretary of State", "SECRET", True),
    "10CARACAS43": ("2010", "Embassy Caracas", "CONFIDENTIAL", True),
    "10STATE17263": ("2010", "Secretary of State", "SECRET", False),
    "10STATE284": ("2010", "Secretary of State", "CONFIDENTIAL", False),
    "66BUENOSAIRES2481": ("1966", "Embassy Buenos Aires", "UNCLASSIFIED", False),
}


def _cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200",
           "GRAPHBUILD_CACHE": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-m", "graphbuild", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kwargs,want", [
    ({"origins": ["caracas"]}, ["04CARACAS2200", "09CARACAS1181", "10CARACAS43"]),
    ({"tags": ["VE"]}, ["02BOGOTA3281", "04CARACAS2200", "09CARACAS1181", "09STATE83014",
                        "10CARACAS43"]),
    ({"since": "2009", "until": "2009"}, ["09CARACAS1181", "09SANJOSE525", "09STATE83014"]),
    ({"classifications": ["SECRET"]}, ["02BOGOTA3281", "09STATE83014", "10STATE17263"]),
    ({"classifications": ["unclassified"], "until": "1999-12-31"}, ["66BUENOSAIRES2481"]),
])
def test_filters_restrict_the_corpus(corpora_dir: Path, kwargs, want) -> None:
    # the hand-written lists agree with the FIXTURES table
    if "origins" in kwargs:
        assert want == sorted(d for d, v in FIXTURES.items() if "Caracas" in v[1])
    if "tags" in kwargs:
        assert want == sorted(d for d, v in FIXTURES.items() if v[3])
    eg = build(corpora_dir / "fixtures", doc_filter=DocumentFilter(**kwargs))
    assert sorted(eg.documents["doc_id"]) == want
    assert eg.filters_removed["documents outside the filters"] == 12 - len(want)


def test_cli_filters(corpora_dir: Path, tmp_path: Path) -> None:
    proc = _cli("build", str(corpora_dir / "fixtures"), "-o", str(tmp_path / "out"),
                "--no-ner", "--tag", "VE", "--tag", "CS", "--since", "2009-08-10",
                "--origin", "State", "--origin", "San Jose", "--classification", "secret",
                "--classification", "UNCLASSIFIED", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    # 09STATE83014: VE, 2009-08-10 21:09, Secretary of State, SECRET; 09SANJOSE525 is
    # dated 2009-06-25, before --since
    assert sorted(docs["doc_id"]) == ["09STATE83014"]


def test_documents_csv_values(corpora_dir: Path, tmp_path: Path) -> None:
    proc = _cli("build", str(corpora_dir / "fixtures"), "-o", str(tmp_path / "out"),
                "--no-ner", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    docs = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str,
                       keep_default_na=False).set_index("doc_id")
    assert sorted(docs.index) == sorted(FIXTURES)
    for doc_id, (year, origin, cls, ve) in FIXTURES.items():
        row = docs.loc[doc_id]
        assert row["created"].startswith(year + "-") and len(row["created"]) == 16
        assert (row["origin"], row["classification"]) == (origin, cls)
        assert ("VE" in row["tags"].split()) == ve
    assert docs.loc["09SANJOSE525", "ref_id"] == "09SANJOSE525"
    assert docs.loc["04CARACAS2200", "tags"] == "PGOV VE"


def test_no_document_left_and_bad_dates_are_exit_2(corpora_dir: Path, tmp_path: Path) -> None:
    proc = _cli("build", str(corpora_dir / "fixtures"), "-o", str(tmp_path / "o"), "--no-ner",
                "--origin", "Atlantis", tmp_path=tmp_path)
    assert proc.returncode == 2 and "matches the filters" in proc.stderr
    with pytest.raises(InputError):
        DocumentFilter(since="June 2009")


def test_first_and_last_seen(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Ann met Bo.", "label": [[0, 3, "PER"], [8, 10, "PER"]],
         "meta": {"created": "2004-07-09 15:03"}},
        {"id": "b", "text": "Ann met Cy.", "label": [[0, 3, "PER"], [8, 10, "PER"]],
         "meta": {"created": "2009-08-10 21:09"}},
        {"id": "c", "text": "Dee alone.", "label": [[0, 3, "PER"]]},
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    eg = build(path, keep_isolated=True)   # Dee (alone) has no date and no edge
    seen = eg.entities.set_index("label")[["first_seen", "last_seen"]]
    assert seen.to_dict("index") == {
        "Ann": {"first_seen": "2004-07-09 15:03", "last_seen": "2009-08-10 21:09"},
        "Bo": {"first_seen": "2004-07-09 15:03", "last_seen": "2004-07-09 15:03"},
        "Cy": {"first_seen": "2009-08-10 21:09", "last_seen": "2009-08-10 21:09"},
        "Dee": {"first_seen": "", "last_seen": ""}}
    G = eg.graph()
    ann = eg.entities.loc[eg.entities["label"] == "Ann", "entity_id"].iloc[0]
    assert (G.nodes[ann]["first_seen"], G.nodes[ann]["last_seen"]) == (
        "2004-07-09 15:03", "2009-08-10 21:09")
    # --since restricts before counting: Bo disappears, Ann's first_seen moves
    eg2 = build(path, doc_filter=DocumentFilter(since="2005"))
    assert sorted(eg2.entities["label"]) == ["Ann", "Cy"]
    assert eg2.entities.set_index("label").loc["Ann", "first_seen"] == "2009-08-10 21:09"
    assert eg2.filters_removed["documents outside the filters"] == 2
