"""JSONL reader: the doccano / Label Studio / Prodigy shapes, and bad records."""

from __future__ import annotations

import json
from pathlib import Path

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.extract import parse_corpus
from graphbuild.read import read_documents

TEXT = "Ann Lee met officials of the UN in Lima on Monday."
# by hand: Ann Lee = 0-7, UN = 29-31, Lima = 35-39, Monday = 43-49
WANT = [("Ann Lee", "PER"), ("UN", "ORG"), ("Lima", "LOC")]


def _write(tmp_path: Path, records: list, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)
                    + "\n", encoding="utf-8")
    return path


def test_the_four_shapes_give_the_same_mentions(tmp_path: Path) -> None:
    records = [
        {"id": "prodigy", "text": TEXT, "spans": [
            {"start": 0, "end": 7, "label": "PERSON"}, {"start": 29, "end": 31, "label": "ORG"},
            {"start": 35, "end": 39, "label": "GPE"}, {"start": 43, "end": 49, "label": "DATE"}]},
        {"id": "doccano", "text": TEXT, "label": [[0, 7, "PER"], [29, 31, "ORG"],
                                                  [35, 39, "LOC"]]},
        {"id": "doccano2", "text": TEXT, "entities": [
            {"start_offset": 0, "end_offset": 7, "label": "PER"},
            {"start_offset": 29, "end_offset": 31, "label": "ORG"},
            {"start_offset": 35, "end_offset": 39, "label": "LOC"}]},
        {"id": "labelstudio", "data": {"text": TEXT}, "annotations": [{"result": [
            {"value": {"start": 0, "end": 7, "labels": ["PER"]}},
            {"value": {"start": 29, "end": 31, "labels": ["ORG"]}},
            {"value": {"start": 35, "end": 39, "labels": ["LOC"]}}]}]},
    ]
    diag = Diagnostics()
    docs = list(read_documents([_write(tmp_path, records)], diag))
    assert [d.doc_id for d in docs] == ["prodigy", "doccano", "doccano2", "labelstudio"]
    for d in docs:
        assert [(d.text[s:e], t) for s, e, t in d.spans] == WANT
    # the DATE span is not an entity type: reported, not silently dropped
    assert [p.code for p in diag.problems] == ["jsonl-label-ignored"]
    tables = parse_corpus(docs, diag)
    assert len(tables.mentions) == 12


def test_bad_lines_and_spans_are_reported_with_line(tmp_path: Path) -> None:
    records = [{"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "PER"}],
                "meta": {"created": "2009-06-25 18:06", "origin": "Embassy Lima"}},
               "{not json",
               {"text": "Bo", "spans": [{"start": 0, "end": 9, "label": "PER"}]},
               {"nothing": 1}]
    diag = Diagnostics()
    docs = list(read_documents([_write(tmp_path, records)], diag))
    assert len(docs) == 2
    assert docs[0].meta == {"created": "2009-06-25 18:06", "origin": "Embassy Lima"}
    assert docs[1].spans == []
    assert [(p.code, p.line) for p in diag.problems] == [
        ("jsonl-bad-line", 2), ("jsonl-bad-span", 3), ("jsonl-no-text", 4)]
