"""``graphbuild annotate``: inline output that reads back to the same mention table."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.export.annotated import inline, write_annotated
from graphbuild.extract import parse_corpus
from graphbuild.read import read_documents

COLUMNS = ["doc_id", "paragraph", "section", "start", "end", "surface", "type"]


def test_inline_form_and_unwritable_mentions() -> None:
    diag = Diagnostics()
    text = "Uribe met Chavez [sic] in Caracas."
    out = inline(text, [(0, 5, "PER"), (10, 16, "PER"), (2, 8, "ORG"), (17, 22, "MISC"),
                        (26, 33, "LOC")], diag, "x")
    assert out == "[PER Uribe  ] met [PER Chavez  ] [sic] in [LOC Caracas  ]."
    # one overlaps Uribe, one contains a bracket: both reported
    assert [p.code for p in diag.warnings] == ["annotate-skipped", "annotate-skipped"]


def _table(paths, recognizer=None):
    diag = Diagnostics()
    tables = parse_corpus(read_documents(paths, diag), diag, recognizer)
    m = tables.mentions[COLUMNS].sort_values(["doc_id", "start", "end"])
    return m.reset_index(drop=True), diag


@pytest.mark.ner
def test_round_trip_of_the_seeds(seeds_dir: Path, tmp_path: Path, recognizer) -> None:
    original, _ = _table([seeds_dir], recognizer)
    recognizer.clear_gazetteer()
    diag = Diagnostics()
    corpus = parse_corpus(read_documents([seeds_dir], diag), diag, recognizer, keep_text=True)
    paths = write_annotated(corpus, tmp_path, diag)
    assert sorted(p.name for p in paths) == ["04CARACAS3025.txt", "09STATE83014.txt"]
    assert (tmp_path / "documents.csv").is_file()
    text = (tmp_path / "04CARACAS3025.txt").read_text(encoding="utf-8")
    assert "[LOC Venezuela  ]" in text and "[ORG United Nations  ]" in text
    # no model needed to read it back: every document is annotated now
    again, _ = _table([tmp_path / "04CARACAS3025.txt", tmp_path / "09STATE83014.txt"])
    assert len(again) == len(original) > 200
    assert again.equals(original)


def test_round_trip_of_span_annotations(tmp_path: Path) -> None:
    """Annotated input (JSONL spans; offsets counted by hand) reads back identically."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "d1", "text": "¶1. (C) Ann met Bo in Lima.\\n¶2. (C) Bo left '
                   'Peru.", "label": [[8, 11, "PER"], [16, 18, "PER"], [22, 26, "LOC"], '
                   '[36, 38, "PER"], [44, 48, "LOC"]]}\n', encoding="utf-8")
    original, _ = _table([src])
    diag = Diagnostics()
    corpus = parse_corpus(read_documents([src], diag), diag, None, keep_text=True)
    paths = write_annotated(corpus, tmp_path / "out", diag)
    assert paths[0].read_text(encoding="utf-8") == (
        "¶1. (C) [PER Ann  ] met [PER Bo  ] in [LOC Lima  ].\n"
        "¶2. (C) [PER Bo  ] left [LOC Peru  ].")
    again, _ = _table(paths)
    assert again.equals(original)
    assert original["paragraph"].tolist() == [1, 1, 1, 2, 2]
