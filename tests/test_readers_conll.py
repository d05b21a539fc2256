"""CoNLL readers against entity counts computed independently of graphbuild.

Expected counts come from awk (IOB1 and IOB2 alike: an entity starts at B-X, or at I-X when
the previous token was not tagged X; the bad tag "0" is read as O):

    awk '{t=(NF>=2)?$NF:"O"; if(t=="0")t="O"; ty=substr(t,3);
          if(t ~ /^B-/ || (t ~ /^I-/ && pty!=ty)) c[ty]++; pty=(t=="O")?"":ty}
         END{for(k in c) print k, c[k]}' FILE

and are re-counted in ``_independent_counts`` below with a few lines of plain Python.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graphbuild.core.diagnostics import Diagnostics
from graphbuild.extract import parse_corpus
from graphbuild.read import detect_format, read_documents, read_text

WIKIGOLD = ("conll", "wikigold.conll.txt")
RE3D = ("conll", "re3d_us_state_dept")

# awk output (command in the module docstring)
WIKIGOLD_COUNTS = {"PER": 934, "LOC": 1014, "ORG": 898, "MISC": 712}
RE3D_CONLL4_COUNTS = {"PER": 54, "LOC": 125, "ORG": 279, "MISC": 5}
# re3dtypes: Person 54, Location 125, Organisation 279, Nationality 5 (-> PER/LOC/ORG/MISC);
# Temporal 36, Money 11, Vehicle 11, DocumentReference 6, Quantity 5, CommsIdentifier 1,
# Weapon 1 are not entity types and are ignored
RE3D_TYPES_IGNORED_TOKENS = {"Temporal": 73, "Money": 36, "Vehicle": 22,
                             "DocumentReference": 20, "Quantity": 8, "CommsIdentifier": 2,
                             "Weapon": 2}


def _independent_counts(path: Path) -> Counter:
    """Entity starts per raw label, by the IOB rule, without graphbuild."""
    counts: Counter = Counter()
    prev = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split()
        tag = cols[-1] if len(cols) >= 2 else "O"
        tag = "O" if tag in ("0", "O") or cols[:1] == ["-DOCSTART-"] else tag
        label = tag[2:]
        if tag.startswith("B-") or (tag.startswith("I-") and prev != label):
            counts[label] += 1
        prev = "" if tag == "O" else label
    return counts


def _read(path: Path) -> tuple[list, Diagnostics]:
    diag = Diagnostics()
    return list(read_documents([path], diag)), diag


def test_wikigold_entity_counts(corpora_dir: Path) -> None:
    path = corpora_dir.joinpath(*WIKIGOLD)
    assert _independent_counts(path) == Counter(WIKIGOLD_COUNTS)
    docs, diag = _read(path)
    assert {d.format for d in docs} == {"conll"}
    # grep -c DOCSTART wikigold.conll.txt -> 145
    assert len(docs) == 145
    got = Counter(t for d in docs for _, _, t in d.spans)
    assert got == Counter(WIKIGOLD_COUNTS)


def test_wikigold_bad_tag_warns_with_line(corpora_dir: Path) -> None:
    docs, diag = _read(corpora_dir.joinpath(*WIKIGOLD))
    bad = [p for p in diag.problems if p.code == "conll-bad-tag"]
    assert [(p.line, p.severity) for p in bad] == [(7461, "warning")]
    assert "'0'" in bad[0].message


def test_re3d_entity_counts_both_files(corpora_dir: Path) -> None:
    folder = corpora_dir.joinpath(*RE3D)
    conll4 = folder / "re3d_us_state_dept.conll4.conll"
    types = folder / "re3d_us_state_dept.re3dtypes.conll"
    assert _independent_counts(conll4) == Counter(RE3D_CONLL4_COUNTS)
    indep = _independent_counts(types)
    mapped = {"PER": indep["Person"], "LOC": indep["Location"], "ORG": indep["Organisation"],
              "MISC": indep["Nationality"]}
    assert mapped == RE3D_CONLL4_COUNTS
    for path in (conll4, types):
        docs, diag = _read(path)
        assert len(docs) == 22          # grep -c DOCSTART -> 22
        assert Counter(t for d in docs for _, _, t in d.spans) == Counter(RE3D_CONLL4_COUNTS)
    ignored = {p.message.split("'")[1]: int(p.message.split()[0]) for p in diag.problems
               if p.code == "conll-label-ignored"}
    assert ignored == RE3D_TYPES_IGNORED_TOKENS


def test_iob1_and_iob2_read_the_same_entities() -> None:
    iob1 = "Ann I-PER\nBo B-PER\nmet O\nthe I-ORG\nUN I-ORG\nin O\nRome I-LOC\n"
    iob2 = "Ann B-PER\nBo B-PER\nmet O\nthe B-ORG\nUN I-ORG\nin O\nRome B-LOC\n"
    for text in (iob1, iob2):
        doc = read_text(text, "x", fmt="conll")[0]
        assert [(doc.text[s:e], t) for s, e, t in doc.spans] == [
            ("Ann", "PER"), ("Bo", "PER"), ("the UN", "ORG"), ("Rome", "LOC")]


def test_conll_sentences_are_units_and_mentions_keep_source_lines(tmp_path: Path) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text("-DOCSTART- O\n\nAnn B-PER\nmet O\nBo B-PER\n\nRome B-LOC\n"
                    "-DOCSTART- O\n\nZed B-PER\n", encoding="utf-8")
    diag = Diagnostics()
    docs = list(read_documents([path], diag))
    assert [d.doc_id for d in docs] == ["tiny-001", "tiny-002"]
    tables = parse_corpus(docs, diag)
    m = tables.mentions
    assert m[["doc_id", "paragraph", "surface", "type", "line"]].values.tolist() == [
        ["tiny-001", 1, "Ann", "PER", 3], ["tiny-001", 1, "Bo", "PER", 5],
        ["tiny-001", 2, "Rome", "LOC", 7], ["tiny-002", 1, "Zed", "PER", 10]]


@pytest.mark.parametrize("text,fmt", [
    ("-DOCSTART- O\n\nThe B-ORG\nUN I-ORG\n", "conll"),
    ('{"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "PER"}]}\n', "jsonl"),
    ("<code><pre>SUBJECT: X</pre></code>", "cable-html"),
    ("¶1. (C) Plain text about Lima.\n", "text"),
])
def test_format_is_detected_from_content(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt
