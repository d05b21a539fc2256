"""Broken and hostile input files: the exact warning (code, file, line, column) and the exact
fate of every annotation (kept, or dropped with its reason).

The files are in ``tests/data/bad/``. Lines and columns are 1-based and count characters of
the decoded file (a BOM is not a character; CRLF is one line end). Every expected position
below was counted by hand on the file's text, shown in the comment next to it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import graphbuild as gb
from conftest import REPO
from graphbuild.core.diagnostics import Diagnostics, InputError
from graphbuild.read import read_documents
from graphbuild.resolve.reconcile import reconciliation_table

BAD = REPO / "tests" / "data" / "bad"


def build(path: Path) -> tuple[gb.EntityGraph, Diagnostics]:
    d = Diagnostics()
    return gb.build(str(path), diagnostics=d), d


def warnings_of(d: Diagnostics) -> list[tuple[str, str, int, int]]:
    return [(p.code, Path(p.source_path).name, p.line, p.column) for p in d.warnings]


def mention_rows(eg: gb.EntityGraph) -> list[tuple]:
    m = eg.mentions
    return [(r.surface, r.type, int(r.paragraph), int(r.line), int(r.column), r.status,
             r.reason) for r in m.itertuples()]


# (file, expected warnings, expected mentions (surface, type, ¶, line, column, status, reason))
CASES = [
    # "¶1. [PER Foo and more\n¶2. [LOC Bar  ] here ." -- '[' of PER is character 5 of line 1;
    # the unclosed annotation stops at the line end, the next line's annotation survives
    ("unclosed.txt", [("unclosed-annotation", "unclosed.txt", 1, 5)],
     [("Foo and more", "PER", 1, 1, 5, "dropped", "unclosed-annotation"),
      ("Bar", "LOC", 2, 2, 5, "kept", "")]),
    # "¶1. Talks with [PER  ] and [ORG FARC  ] ." -- '¶1. Talks with ' is 15 characters
    ("empty_annotation.txt", [("empty-annotation", "empty_annotation.txt", 1, 16)],
     [("", "PER", 1, 1, 16, "dropped", "empty-annotation"),
      ("FARC", "ORG", 1, 1, 28, "kept", "")]),
    # "¶1. [XYZ foo  ] met [PER Ana  ] ." -- [XYZ at 5; '[XYZ foo  ] met ' is 16 more -> 21
    ("unknown_label.txt", [("unknown-type", "unknown_label.txt", 1, 5)],
     [("foo", "XYZ", 1, 1, 5, "dropped", "unknown-type"),
      ("Ana", "PER", 1, 1, 21, "kept", "")]),
    # line 1 "¶1. [PER a [LOC b  ] c  ] d": the outer PER is closed after the inner -> nested;
    # line 2 "¶2. [ORG Bank of [LOC Spain  ] loans": no second ']' -> the ORG is unclosed.
    # [LOC on line 1 at 4 + len('[PER a ') + 1 = 12; on line 2 at 4 + len('[ORG Bank of ') + 1
    ("nested.txt", [("nested-annotation", "nested.txt", 1, 5),
                    ("unclosed-annotation", "nested.txt", 2, 5)],
     [("a", "PER", 1, 1, 5, "dropped", "nested-annotation"),
      ("b", "LOC", 1, 1, 12, "kept", ""),
      ("Bank of", "ORG", 2, 2, 5, "dropped", "unclosed-annotation"),
      ("Spain", "LOC", 2, 2, 18, "kept", "")]),
    # "¶1. He said [sic] that [1] [Note: x] [ABC def and [PER Ana  ] ." -- ordinary brackets:
    # no warning; 4+8+6+5+4+10+13 = 50 characters before [PER
    ("ordinary_brackets.txt", [], [("Ana", "PER", 1, 1, 51, "kept", "")]),
    # line 2 "[PER Ana  ] caf\xe9 .": the bad byte is character 16 of line 2; valid UTF-8
    # elsewhere ('Bogotá') is still decoded as UTF-8
    ("invalid_utf8.txt", [("encoding", "invalid_utf8.txt", 2, 16)],
     [("Bogotá", "LOC", 1, 1, 5, "kept", ""), ("Ana", "PER", 1, 2, 1, "kept", "")]),
    # the whole file is cp1252: its first byte (¶ = 0xb6) is already invalid UTF-8;
    # '¶1. [PER José  ] visited ' is 25 characters
    ("cp1252.txt", [("encoding", "cp1252.txt", 1, 1)],
     [("José", "PER", 1, 1, 5, "kept", ""), ("Bogotá", "LOC", 1, 1, 26, "kept", "")]),
    # UTF-8 BOM: no warning, and the BOM is not a column
    ("bom.txt", [], [("Ana", "PER", 1, 1, 5, "kept", ""), ("Lima", "LOC", 1, 1, 21, "kept", "")]),
    # CRLF: "¶1. [PER Ana  ] met\r\n[LOC Lima  ] .\r\n\r\n¶2. [PER Ana  ] left [LOC Quito  ]"
    ("crlf.txt", [], [("Ana", "PER", 1, 1, 5, "kept", ""), ("Lima", "LOC", 1, 2, 1, "kept", ""),
                      ("Ana", "PER", 2, 4, 5, "kept", ""),
                      ("Quito", "LOC", 2, 4, 22, "kept", "")]),
    # "¶1. [PER A\0na  ] met [LOC Lima  ] ." -- the NUL is character 11; it is removed, so
    # positions after it on the same line count the text without it (Lima: 22 - 1)
    ("nul.txt", [("nul-bytes", "nul.txt", 1, 11)],
     [("Ana", "PER", 1, 1, 5, "kept", ""), ("Lima", "LOC", 1, 1, 21, "kept", "")]),
    # "¶1. [PER Ana  ] and [LOC" -- '[LOC' cut off by the end of the file, at 21
    ("unclosed_at_end.txt", [("unclosed-annotation", "unclosed_at_end.txt", 1, 21)],
     [("Ana", "PER", 1, 1, 5, "kept", ""), ("", "LOC", 1, 1, 21, "dropped",
                                            "unclosed-annotation")]),
    # "¶1. [per Ana  ] met [Loc Lima  ] [see above] ." -- known labels in the wrong case,
    # with the annotator's padding: read, with a warning; '¶1. [per Ana  ] met ' is 20
    ("lowercase_label.txt", [("label-case", "lowercase_label.txt", 1, 5),
                             ("label-case", "lowercase_label.txt", 1, 21)],
     [("Ana", "PER", 1, 1, 5, "kept", ""), ("Lima", "LOC", 1, 1, 21, "kept", "")]),
]


@pytest.mark.parametrize("name,warnings,mentions", CASES, ids=[c[0] for c in CASES])
def test_bad_file(name, warnings, mentions):
    eg, d = build(BAD / name)
    assert warnings_of(d) == warnings
    assert mention_rows(eg) == mentions
    # nothing lost: every dropped mention has a warning at the same place
    dropped = eg.mentions[eg.mentions["status"].eq("dropped")]
    assert sorted(zip(dropped["line"], dropped["column"], strict=True)) == sorted(
        (w[2], w[3]) for w in warnings if w[0].endswith(("annotation", "type")))


def test_bad_warning_messages_are_one_line_with_file_line_column():
    eg, d = build(BAD / "nested.txt")
    text = str(d.warnings[0])
    assert text == (f"{BAD / 'nested.txt'}:1:5: warning: nested annotation [PER a; kept as "
                    "text, mention dropped [nested-annotation]")
    assert "\n" not in text


def test_ordinary_brackets_stay_in_the_text():
    eg, _ = build(BAD / "ordinary_brackets.txt")
    assert eg.paragraphs["text"].tolist() == ["¶1. He said [sic] that [1] [Note: x] [ABC def "
                                              "and Ana ."]


@pytest.mark.parametrize("name,code", [("binary.txt", "binary-file"), ("empty.txt",
                                                                         "empty-file")])
def test_skipped_file_alone_is_fatal_with_its_reason(name, code):
    d = Diagnostics()
    with pytest.raises(InputError, match="no readable document"):
        gb.build(str(BAD / name), diagnostics=d)
    assert [(p.code, Path(p.source_path).name) for p in d.warnings] == [(code, name)]


def test_whole_bad_folder_reconciles(tmp_path):
    """The folder of bad files: counted by hand from CASES and the file list.

    Annotations ([TYPE openers) per file: unclosed 2, empty_annotation 2, unknown_label 2,
    nested 4, ordinary_brackets 1, invalid_utf8 2, cp1252 2, bom 2, crlf 4, nul 2,
    unclosed_at_end 2, lowercase_label 2 -> 27 found. Dropped: unclosed-annotation 3
    (unclosed, nested line 2, unclosed_at_end), nested-annotation 1, empty-annotation 1,
    unknown-type 1 -> 6; kept 21. Files: 14 found; binary.txt and empty.txt skipped; 12 read.
    """
    eg, d = build(BAD)
    table = reconciliation_table(eg.documents, eg.mentions, d)
    got = {(r.what, r.outcome, r.reason): r.count for r in table.itertuples()}
    assert got == {
        ("annotations", "found", ""): 27, ("annotations", "kept", ""): 21,
        ("annotations", "dropped", "empty-annotation"): 1,
        ("annotations", "dropped", "nested-annotation"): 1,
        ("annotations", "dropped", "unclosed-annotation"): 3,
        ("annotations", "dropped", "unknown-type"): 1,
        ("files", "found", ""): 14, ("files", "read", ""): 12,
        ("files", "skipped", "binary-file"): 1, ("files", "skipped", "empty-file"): 1,
        ("documents", "read", ""): 12}
    # an independent count of the openers in the raw files agrees with "found"
    openers = 0
    for f in BAD.iterdir():
        raw = f.read_bytes().decode("utf-8", errors="replace")
        openers += len(re.findall(r"\[(?:(?i:PER|LOC|ORG|MISC)|XYZ)(?: |$)", raw))
    assert openers == 27
    assert "reconciliation" not in {p.code for p in d.problems}


def test_reconciliation_on_the_seed_balances():
    """The annotated seed: 180 ``[TYPE `` openers (counted with grep, see below), none broken;
    the raw seed has none. ``grep -o '\\[\\(PER\\|LOC\\|ORG\\|MISC\\) ' seed | wc -l`` = 180."""
    eg = gb.build(str(REPO / "seeds"))
    raw = (REPO / "seeds" / "cable_09STATE83014_annotated.txt").read_text(encoding="utf-8")
    assert len(re.findall(r"\[(?:PER|LOC|ORG|MISC) ", raw)) == 180
    table = eg.reconciliation()
    rows = {(r.what, r.outcome, r.reason): r.count for r in table.itertuples()}
    # Resolution then drops what is not an entity (grep -oE on the seed, | sort | uniq -c):
    # 4 [ORG S/NF ] + 2 [ORG SBU ] markings, 1 [LOC DECL: ] header field, 2 [LOC Ref A ]
    # reference labels, 1 [PER A. BOGOTA ] reference citation -> 180 - 10 = 170 kept.
    assert rows == {("annotations", "found", ""): 180, ("annotations", "kept", ""): 170,
                    ("annotations", "dropped", "marking"): 6,
                    ("annotations", "dropped", "header-field"): 1,
                    ("annotations", "dropped", "reference-label"): 2,
                    ("annotations", "dropped", "reference-citation"): 1,
                    ("files", "found", ""): 2, ("files", "read", ""): 2,
                    ("documents", "read", ""): 2}


# --- paths -----------------------------------------------------------------------------------
def test_missing_path_is_fatal(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_documents([tmp_path / "nope"], Diagnostics()))


def test_glob_without_match_is_fatal(tmp_path):
    with pytest.raises(InputError, match="no file matches"):
        list(read_documents([str(tmp_path / "*.txt")], Diagnostics()))


def test_empty_folder_is_fatal(tmp_path):
    with pytest.raises(InputError, match="no readable document"):
        gb.build(str(tmp_path))


def test_symlink_loop_is_walked_once(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    shutil.copy(BAD / "bom.txt", corpus / "sub" / "a.txt")
    os.symlink("..", corpus / "sub" / "loop")       # sub/loop -> corpus
    d = Diagnostics()
    eg = gb.build(str(corpus), diagnostics=d)
    assert eg.documents["doc_id"].tolist() == ["a"]
    # os.walk sorted: corpus, corpus/sub, corpus/sub/loop (= corpus, seen) -> one warning
    assert [(p.code, p.source_path) for p in d.warnings] == [
        ("symlink-loop", str(corpus / "sub" / "loop"))]


def test_unreadable_files_are_skipped_and_counted(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(BAD / "bom.txt", corpus / "a.txt")
    os.symlink(tmp_path / "gone.txt", corpus / "b.txt")          # dangling link
    os.mkfifo(corpus / "c.txt")                                   # would block a reader
    locked = corpus / "d.txt"
    shutil.copy(BAD / "bom.txt", locked)
    locked.chmod(0)
    (corpus / ".hidden.txt").write_text("[PER X  ]")
    (corpus / "e.pdf").write_bytes(b"%PDF-1.4")
    d = Diagnostics()
    eg = gb.build(str(corpus), diagnostics=d)
    locked_readable = os.access(locked, os.R_OK)      # root reads a mode-000 file
    reasons = {(p.code, Path(p.source_path).name) for p in d.problems}
    assert {("unreadable", "b.txt"), ("not-a-file", "c.txt"), ("hidden-file", ".hidden.txt"),
            ("skipped-suffix", "e.pdf")} <= reasons
    assert (("unreadable", "d.txt") in reasons) == (not locked_readable)
    read = 2 if locked_readable else 1
    assert d.counts["files found"] == 6
    assert d.counts["files read"] == read
    assert sum(d.skipped_files.values()) == 6 - read
    assert len(eg.documents) == read


def test_same_file_twice_is_read_once(tmp_path):
    d = Diagnostics()
    eg = gb.build([str(BAD / "bom.txt"), str(BAD / "bom.txt")], diagnostics=d)
    assert len(eg.documents) == 1
    assert d.skipped_files == {"duplicate-path": 1}


def test_utf16_with_bom_is_text(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("¶1. [PER Ana  ] met [LOC Lima  ] .\n".encode("utf-16"))
    eg, d = build(f)
    assert d.warnings == []
    assert eg.mentions["surface"].tolist() == ["Ana", "Lima"]
    assert eg.documents["encoding"].tolist() == ["utf-16"]


def test_hundred_megabyte_document(tmp_path):
    """One 100 MB document: read, segmented and counted without trouble.

    Built from one 10,074-byte paragraph (82 bytes holding 3 annotations, 370 x 27 bytes of
    filler, 2 newlines) repeated
    ceil(100e6 / 10,074) = 9,927 times: 29,781 kept mentions, 3 entities, 3 edges of
    weight 9,927."""
    para = ("The minister [PER Ana Lopez  ] met officials of [ORG FARC  ] in [LOC Caracas  ] . "
            + "lorem ipsum dolor sit amet " * 370 + "\n\n")
    assert len(para.encode()) == 82 + 27 * 370 + 2 == 10_074
    n = -(-100_000_000 // 10_074)
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        for _ in range(n):
            fh.write(para)
    assert big.stat().st_size >= 100_000_000
    eg, d = build(big)
    assert d.warnings == []
    assert int(eg.mentions["status"].eq("kept").sum()) == 3 * 9_927
    assert sorted(eg.edges["weight"].tolist()) == [9_927] * 3
    assert len(eg.entities) == 3


def test_warnings_csv_has_every_problem(tmp_path):
    eg, d = build(BAD)
    eg.export(tmp_path / "out")
    frame = pd.read_csv(tmp_path / "out" / "warnings.csv", keep_default_na=False)
    assert list(frame.columns) == ["severity", "code", "source_path", "line", "column",
                                   "message"]
    assert len(frame) == len(d.problems)
    warned = frame[frame["severity"].eq("warning")]
    assert sorted(zip(warned["code"], warned["source_path"].map(lambda s: Path(s).name),
                      warned["line"], warned["column"], strict=True)) == sorted(
        [w for _, ws, _ in CASES for w in ws] + [("binary-file", "binary.txt", 0, 0),
                                                 ("empty-file", "empty.txt", 0, 0)])


def test_mention_dropped_by_resolution_is_reported(tmp_path):
    # "¶1. [PER Ana  ] and [PER .  ] ." -- '.' is empty once cleaned; '[PER .' is at 4+16+1.
    # A resolution rule, not broken input: a notice (--strict passes), never silent.
    f = tmp_path / "dot.txt"
    f.write_text("¶1. [PER Ana  ] and [PER .  ] .\n", encoding="utf-8")
    eg, d = build(f)
    assert d.warnings == []
    assert [(p.severity, p.code, Path(p.source_path).name, p.line, p.column)
            for p in d.problems] == [("notice", "empty-after-cleanup", "dot.txt", 1, 21)]
    assert mention_rows(eg) == [("Ana", "PER", 1, 1, 5, "kept", ""),
                                (".", "PER", 1, 1, 21, "dropped", "empty-after-cleanup")]


def test_undecodable_file_name(tmp_path):
    """A file name in cp1252 bytes (an archive unpacked on Linux) is read and reported."""
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("¶1. [PER Ana  ] met [LOC Lima  ] .\n", encoding="utf-8")
    eg, d = build(tmp_path)
    assert eg.documents["source_path"].tolist() == [str(tmp_path / "café.txt")]
    assert eg.documents["doc_id"].tolist() == ["café"]
    eg.export(tmp_path.parent / (tmp_path.name + "-out"))   # every file writes as UTF-8
    assert "café" in (tmp_path.parent / (tmp_path.name + "-out") / "documents.csv").read_text(
        encoding="utf-8")


def test_unclosed_markup_stays_linear(tmp_path):
    """200,000 unclosed '<pre>' and '<a id=par1' openers (2.6 MB): a rescan from every
    opener would take tens of minutes; run in a subprocess so a regression fails, not hangs."""
    import subprocess
    import sys

    f = tmp_path / "hostile.html"
    f.write_text("<pre>x" * 100_000 + "<a id=par1 x" * 100_000 + "[PER Ana  ]",
                 encoding="utf-8")
    code = ("import graphbuild as gb, sys; eg = gb.build(sys.argv[1]); "
            "print(int(eg.mentions['status'].eq('kept').sum()))")
    proc = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1"]


def test_terminal_escapes_in_names_are_not_printed(tmp_path):
    """A file name carrying an OSC title sequence and a colour code: the warning shows them
    as escapes, so printing it cannot drive the analyst's terminal."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "\x1b]0;pwned\x07\x1b[31mevil\u202e.txt").write_text("")
    (corpus / "ok.txt").write_text("¶1. [PER Ana  ] .", encoding="utf-8")
    d = Diagnostics()
    gb.build(str(corpus), diagnostics=d)
    (problem,) = d.warnings
    assert problem.source_path.endswith("\x1b]0;pwned\x07\x1b[31mevil\u202e.txt")  # data kept
    assert str(problem) == (f"{corpus}/\\x1b]0;pwned\\x07\\x1b[31mevil\\u202e.txt: warning: "
                            "empty file, skipped [empty-file]")


def test_folders_nested_deeper_than_the_recursion_limit():
    """1,200 nested folders (a hostile archive): walked without RecursionError.

    Built outside pytest's tmp_path on purpose: pytest's clean-up of old temporary folders
    (shutil.rmtree) itself recurses, and a leftover tree would break later sessions."""
    import subprocess
    import sys
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="graphbuild-deep-"))
    depth = sys.getrecursionlimit() + 200
    try:
        fd = os.open(root, os.O_RDONLY)
        try:
            for _ in range(depth):
                os.mkdir("a", dir_fd=fd)
                inner = os.open("a", os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = inner
            out = os.open("x.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(out, "¶1. [PER Ana  ] met [LOC Lima  ] .".encode())
            os.close(out)
        finally:
            os.close(fd)
        eg, d = build(root)
        assert eg.mentions["surface"].tolist() == ["Ana", "Lima"]
        assert d.counts["files read"] == 1
    finally:
        # GNU rm walks deep trees iteratively
        subprocess.run(["rm", "-rf", str(root)], check=True)


def test_reconciliation_survives_reading_in_worker_processes():
    """Engines read files in workers with their own Diagnostics and ship back only the
    problems and the tables; the file equation must still balance (counts as in
    test_whole_bad_folder_reconciles)."""
    import pickle

    from graphbuild.extract import parse_corpus
    from graphbuild.read import read_file
    from graphbuild.read.textio import iter_input_paths

    main = Diagnostics()
    docs = []
    for path in iter_input_paths([BAD], main):
        worker = Diagnostics()
        docs += read_file(path, worker)
        main.extend(pickle.loads(pickle.dumps(worker.problems)))   # as across processes
    corpus = parse_corpus(docs, main)
    table = reconciliation_table(corpus.documents, corpus.mentions, main)
    files = {(r.outcome, r.reason): r.count for r in table.itertuples() if r.what == "files"}
    assert files == {("found", ""): 14, ("read", ""): 12, ("skipped", "binary-file"): 1,
                     ("skipped", "empty-file"): 1}
