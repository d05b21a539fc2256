"""No input may crash a build or silently corrupt it (issue 23): ids that cannot collide,
one sanitiser for every reader, order-independent document ids, right incremental builds,
annotate's escapes, output never inside input, damaged folders, bounded aliases files.

Each finding of the issue has a regression test and a variant the example does not cover.
The expected values are written by hand from the inputs below.
"""

from __future__ import annotations

import json
import os
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import graphbuild as gb
from graphbuild.cli import app
from graphbuild.core.names import slugify
from graphbuild.export.annotated import inline
from graphbuild.read.annotations import strip_columns
from graphbuild.resolve.entities import _unique_slugs


def cli(*args: str):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result


def write(folder, files: dict[str, str | bytes]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def warnings_of(out) -> pd.DataFrame:
    return pd.read_csv(out / "warnings.csv", keep_default_na=False)


# --- entity ids -----------------------------------------------------------------------------
@pytest.mark.parametrize("names", [
    ["[ORG A.B.C.  ]", "[PER A B C  ]", "[ORG A B C 2  ]"],            # the example
    ["[PER Ana Lopez  ]", "[ORG Ana-Lopez  ]", "[LOC Ana Lopez 2  ]"],  # the second
    # variant: the suffix chain itself is taken twice over, with the names in reverse order
    ["[ORG X 3  ]", "[ORG X 2  ]", "[PER X.  ]", "[LOC X  ]", "[MISC X!  ]"],
])
def test_entity_ids_never_collide_and_export_succeeds(tmp_path, names):
    src = write(tmp_path / "in", {"a.txt": "¶1. " + " met ".join(names) + " .\n"})
    result = cli("build", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    nodes = pd.read_csv(tmp_path / "out" / "nodes.csv")
    assert nodes["id"].is_unique
    # every annotated name is an entity of its own (different type or different words)
    ents = pd.read_parquet(tmp_path / "out" / "entities.parquet")
    assert ents["entity_id"].is_unique
    assert len(ents) >= 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aB2 -.~_é", min_size=0, max_size=6), max_size=30))
def test_unique_slugs_property(forms):
    ids = _unique_slugs(forms)
    assert len(set(ids)) == len(ids) == len(forms)
    # an entity whose slug no other entity holds before it keeps its plain slug
    for i, form in enumerate(forms):
        base = slugify(form)
        if base not in [slugify(f) for f in forms[:i]]:
            assert ids[i] == base


# --- one sanitiser for every reader ---------------------------------------------------------
def test_lone_surrogate_in_jsonl_is_replaced_not_fatal(tmp_path):
    record = ('{"id": "r\\ud800", "text": "Ann met Bob in \\ud800 Lima", "meta": '
              '{"subject": "x\\udfff"}, "spans": [{"start": 0, "end": 3, "label": "PER"}, '
              '{"start": 8, "end": 11, "label": "PER"}, {"start": 17, "end": 21, '
              '"label": "LOC"}]}')
    ok = '{"id": "s", "text": "Cy met Di", "label": [[0, 2, "PER"], [7, 9, "PER"]]}'
    src = write(tmp_path / "in", {"d.jsonl": ok + "\n" + record + "\n"})
    result = cli("build", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    m = pd.read_parquet(tmp_path / "out" / "mentions.parquet")
    assert sorted(m["surface"]) == ["Ann", "Bob", "Cy", "Di", "Lima"]
    assert "r\ufffd" in set(m["doc_id"])
    w = warnings_of(tmp_path / "out")
    row = w[w["code"] == "lone-surrogate"]
    assert len(row) == 1 and row["line"].iloc[0] == 2


def test_removed_characters_shift_jsonl_offsets(tmp_path):
    # zero-width space at 3, NUL at 16: the spans index the text as given
    record = json.dumps({"text": "Ann\u200b Lopez met B\u0000ob", "spans": [
        {"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 19, "label": "PER"}]})
    eg = gb.build(write(tmp_path / "in", {"d.jsonl": record + "\n"}))
    assert sorted(eg.mentions["surface"]) == ["Ann Lopez", "Bob"]


def test_bidi_and_zero_width_do_not_make_lookalike_entities(tmp_path):
    src = write(tmp_path / "in", {
        "a.txt": "¶1. [PER Uri\u200bbe  ] met [PER Lula  ] .\n",
        "b.txt": "¶1. [PER Uribe  ] met [PER Lu\u202ela  ] .\n",
        # variant: an HTML cable page with the characters as character references
        "c.html": ("<html><body><code><pre>¶1. [PER Uri&#x200B;be  ] met "
                   "[PER Lu&#8238;la  ] .</pre></code></body></html>"),
    })
    result = cli("build", src, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    ents = pd.read_parquet(tmp_path / "out" / "entities.parquet")
    assert sorted(ents["label"]) == ["Lula", "Uribe"]
    w = warnings_of(tmp_path / "out")
    found = {(r.code, os.path.basename(r.source_path), r.line) for r in w.itertuples()}
    assert {("zero-width", "a.txt", 1), ("bidi", "b.txt", 1)} <= found
    assert any(code == "char-reference" and name == "c.html" for code, name, _ in found)


def test_controls_and_nul_are_removed_with_a_located_warning(tmp_path):
    # line 2: ESC at column 12 (then BEL), NUL at column 30, counted by hand
    src = write(tmp_path / "in", {"a.txt": "¶1. [PER Ana  ] met [PER Cy  ]\n¶2. "
                                           "[PER Bo\x1b\x07b  ] and [LOC Li\x00ma  ] .\n"})
    out = tmp_path / "out"
    assert cli("build", src, "-o", out).exit_code == 0
    ents = pd.read_parquet(out / "entities.parquet")
    assert sorted(ents["label"]) == ["Ana", "Bob", "Cy", "Lima"]
    w = warnings_of(out)
    got = {(r.code, r.line, r.column, r.message) for r in w.itertuples()}
    assert ("control", 2, 12, "2 control character(s) removed") in got
    assert ("nul-bytes", 2, 30, "1 NUL character(s) removed") in got


# --- document ids ---------------------------------------------------------------------------
DUPLICATES = {
    "a/same.txt": "¶1. [PER Ana Lopez  ] met [PER Bo Ki  ] .\n",
    "b/same.txt": "¶1. [PER Cy Do  ] met [PER Ed Fa  ] .\n",
    "a/same~2.txt": "¶1. [PER Gu Ha  ] met [PER Ik Ju  ] .\n",
    # variant: two records with one id in one file, and the id again in another file
    "a/recs.jsonl": ('{"id": "r", "text": "Ann met Bob", "label": [[0, 3, "PER"], '
                     '[8, 11, "PER"]]}\n{"id": "r", "text": "Cat met Dan", "label": '
                     '[[0, 3, "PER"], [8, 11, "PER"]]}\n'),
    "b/r.txt": "¶1. [PER Eve  ] met [PER Fay  ] .\n",
}


def _people_by_document(out) -> dict[str, tuple[str, ...]]:
    m = pd.read_parquet(out / "mentions.parquet")
    return {d: tuple(sorted(g["surface"])) for d, g in m.groupby("doc_id")}


def test_duplicate_document_ids_never_merge_and_ignore_listing_order(tmp_path):
    src = write(tmp_path / "in", DUPLICATES)
    forward = [src / name for name in sorted(DUPLICATES)]
    assert cli("build", *forward, "-o", tmp_path / "f").exit_code == 0
    assert cli("build", *reversed(forward), "-o", tmp_path / "r").exit_code == 0
    expected = {"same": ("Ana Lopez", "Bo Ki"), "same~2": ("Gu Ha", "Ik Ju"),
                "same~3": ("Cy Do", "Ed Fa"), "r": ("Ann", "Bob"), "r~2": ("Cat", "Dan"),
                "r~3": ("Eve", "Fay")}
    assert _people_by_document(tmp_path / "f") == expected
    assert _people_by_document(tmp_path / "r") == expected
    # no false edge between the people of two documents that share a name
    edges = pd.read_csv(tmp_path / "f" / "edges.csv")
    pairs = {tuple(sorted(p)) for p in zip(edges["source"], edges["target"], strict=True)}
    assert ("ana-lopez", "cy-do") not in pairs and ("ann", "cat") not in pairs


# --- incremental builds ---------------------------------------------------------------------
def test_build_dir_content_hash_and_damaged_chunk(tmp_path):
    src = write(tmp_path / "in", {"a.txt": "¶1. [PER Ana Lopez  ] met [PER Bo Ki  ] .\n",
                                  "b.txt": "¶1. [PER Cy Do  ] met [PER Ed Fa  ] .\n"})
    out, bd = tmp_path / "out", tmp_path / "bd"

    def labels() -> list[str]:
        result = cli("build", src, "-o", out, "--build-dir", bd)
        assert result.exit_code == 0, result.output
        return sorted(pd.read_parquet(out / "entities.parquet")["label"])

    assert labels() == ["Ana Lopez", "Bo Ki", "Cy Do", "Ed Fa"]
    # the same size and mtime, other bytes: read again
    st_a = os.stat(src / "a.txt")
    (src / "a.txt").write_text("¶1. [PER Ana Lopez  ] met [PER Jo Ki  ] .\n", encoding="utf-8")
    os.utime(src / "a.txt", ns=(st_a.st_atime_ns, st_a.st_mtime_ns))
    assert os.stat(src / "a.txt").st_size == st_a.st_size
    assert labels() == ["Ana Lopez", "Cy Do", "Ed Fa", "Jo Ki"]
    assert labels() == ["Ana Lopez", "Cy Do", "Ed Fa", "Jo Ki"]   # reused: the same answer
    # a truncated chunk: reported, its files read again, the build goes on
    for chunk in sorted((bd / "chunks").glob("*.mentions.parquet")):
        chunk.write_bytes(chunk.read_bytes()[:40])
    assert labels() == ["Ana Lopez", "Cy Do", "Ed Fa", "Jo Ki"]
    assert "build-dir-damaged" in set(warnings_of(out)["code"])
    assert labels() == ["Ana Lopez", "Cy Do", "Ed Fa", "Jo Ki"]


# --- annotate -------------------------------------------------------------------------------
def test_annotate_escapes_markup_found_in_raw_text(tmp_path):
    # JSONL text is text (its spans say where the mentions are): markup-like brackets in it
    # must not become entities after annotate -> build. Variants: a cable page with the
    # bracket as a character reference, and a document id '..'
    said = 'Ana said "[PER Fake Person  ] and [ORG FARC  ]" \\\\[x] [sic] in Lima'
    records = [{"id": "j1", "text": said, "label": [[0, 3, "PER"], [len(said) - 4,
                                                                    len(said), "LOC"]]},
               {"id": "..", "text": "Lima and Quito", "label": [[0, 4, "LOC"],
                                                               [9, 14, "LOC"]]}]
    page = ("<html><body><code><pre>¶1. [PER Bo  ] met [PER Cy  ] [Note: a \\\\[b] "
            "in [LOC Quito  ].</pre></code></body></html>")
    src = write(tmp_path / "in", {"d.jsonl": "".join(json.dumps(r) + "\n" for r in records),
                                  "p.html": page})
    before = gb.build(src, keep_isolated=True).mentions
    ann = tmp_path / "ann"
    result = cli("annotate", src, "-o", ann, "--no-cache")
    assert result.exit_code == 0, result.output
    assert not [p.name for p in ann.iterdir() if p.name.startswith(".")]
    after = gb.build(ann, keep_isolated=True).mentions
    # exactly the original mentions: same surfaces, types and clean-text offsets
    key = ["surface", "type", "start", "end"]
    assert sorted(map(tuple, after[key].values.tolist())) == \
        sorted(map(tuple, before[key].values.tolist()))
    assert "Fake Person" not in set(after["surface"])
    texts = gb.build(ann, keep_isolated=True).paragraphs["text"].tolist()
    assert any('"[PER Fake Person  ] and [ORG FARC  ]" \\\\[x] [sic] in Lima' in t
               for t in texts)


bracketed = st.text(alphabet="ab [] \\PERLOC\n", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(bracketed, st.sampled_from(["PER", "LOC", "ORG", "MISC"]),
                          st.text(alphabet="Abc d", min_size=1, max_size=6)), max_size=5),
       bracketed)
def test_inline_then_strip_gives_back_text_and_mentions(pieces, tail):
    text, mentions = "", []
    for before, etype, name in pieces:
        name = name.strip() or "A"
        text += before + " "
        mentions.append((len(text), len(text) + len(name), etype))
        text += name + " "
    text += tail
    written = inline(text, mentions)
    back = strip_columns(written)
    assert back.clean == text
    assert list(zip(back.starts, back.ends, back.types, strict=True)) == mentions
    assert set(back.statuses) <= {"kept"}


def test_long_closed_annotation_is_not_called_unclosed(tmp_path):
    long_name = "Ana " * 90                   # 360 characters
    src = write(tmp_path / "in", {"a.txt": f"¶1. [PER {long_name} ] met [PER Bo  ] and "
                                           "[LOC Lima  ] .\n¶2. [PER Cy never closed\n"})
    out = tmp_path / "out"
    assert cli("build", src, "-o", out).exit_code == 0
    w = warnings_of(out)
    assert list(w.loc[w["code"].str.endswith("annotation"), "code"]) == [
        "long-annotation", "unclosed-annotation"]
    paras = pd.read_parquet(out / "paragraphs.parquet")["text"].tolist()
    assert "[PER" not in paras[0]             # the long one's markup is gone


# --- output folder --------------------------------------------------------------------------
def test_output_inside_or_around_input_is_refused(tmp_path):
    src = write(tmp_path / "in", {"a.txt": "¶1. [PER Ana  ] met [PER Bo  ] .\n"})
    for out in (src, src / "out", src / "deep" / "er"):
        result = cli("build", src, "-o", out)
        assert result.exit_code == 2 and "the input folder" in result.output
    # variant: annotate follows the same rule (its files would be read back as documents)
    result = cli("annotate", src, "-o", src / "annotated", "--no-cache")
    assert result.exit_code == 2 and "the input folder" in result.output
    assert not (src / "annotated").exists()
    # variant: an input file inside the output folder (replacing it would delete it)
    result = cli("build", src / "a.txt", "-o", tmp_path)
    assert result.exit_code == 2
    assert not (src / "out").exists() and (src / "a.txt").is_file()


def test_output_symlink_is_followed_and_a_dangling_one_refused(tmp_path):
    src = write(tmp_path / "in", {"a.txt": "¶1. [PER Ana  ] met [PER Bo  ] .\n"})
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    assert cli("build", src, "-o", link).exit_code == 0
    assert link.is_symlink() and (target / "graph.html").is_file()
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    result = cli("build", src, "-o", dangling)
    assert result.exit_code == 2 and "does not exist" in result.output


# --- damaged folders and the terminal ---------------------------------------------------------
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "out"
    assert cli("build", "seeds", "-o", out).exit_code == 0
    return out


@pytest.mark.parametrize("missing", ["mentions.parquet", "documents.parquet",
                                     "resolution.parquet"])
def test_every_query_command_on_a_damaged_folder_gives_one_line(tmp_path, built, missing):
    import shutil
    damaged = tmp_path / "damaged"
    shutil.copytree(built, damaged)
    (damaged / missing).unlink()
    for args in (["path", "Lavrov", "Uribe"], ["evidence", "Lavrov", "Uribe"],
                 ["neighbors", "Lavrov"], ["report"], ["ego", "Lavrov", "-o", tmp_path / "e"]):
        result = cli(*args, "--in", damaged)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and missing in lines[0] and "Traceback" not in result.output


def test_labels_and_text_reach_the_terminal_escaped(tmp_path, built):
    import shutil
    folder = tmp_path / "hostile"
    shutil.copytree(built, folder)
    evil = "Lavrov\x1b]0;pwned\x07\x1b[2J\u202e"
    for table in ("entities", "nodes"):
        frame = pd.read_parquet(folder / f"{table}.parquet")
        col = "entity_id" if "entity_id" in frame else "id"
        frame.loc[frame[col] == "sergey-lavrov", "label"] = evil
        frame.to_parquet(folder / f"{table}.parquet", index=False)
    ev = pd.read_parquet(folder / "paragraphs.parquet")
    ev["text"] = ev["text"].str.replace("Lavrov", "Lav\x1b[31mrov", regex=False)
    ev.to_parquet(folder / "paragraphs.parquet", index=False)
    for args in (["neighbors", "sergey-lavrov"], ["evidence", "sergey-lavrov", "russia"]):
        result = cli(*args, "--in", folder)
        assert result.exit_code in (0, 1), result.output
        assert "\x1b" not in result.output and "\u202e" not in result.output
        assert "\\x1b" in result.output


# --- aliases files --------------------------------------------------------------------------
def test_aliases_files_are_bounded_and_strict(tmp_path, monkeypatch):
    src = write(tmp_path / "in", {"a.txt": "¶1. [PER Hugo Chavez  ] and [PER Chavez  ] in "
                                           "[LOC Caracas  ] .\n"})
    out = tmp_path / "out"
    result = cli("build", src, "-o", out, "--aliases", "/dev/zero")
    assert result.exit_code == 2 and "not a regular file" in result.output
    os.mkfifo(tmp_path / "fifo")
    assert cli("build", src, "-o", out, "--aliases", tmp_path / "fifo").exit_code == 2
    unbalanced = write(tmp_path, {"bad.csv": 'name,type,aliases\n"Hugo Chavez,PER,Chavez\n'
                                             'X,PER,Y\n'}) / "bad.csv"
    result = cli("build", src, "-o", out, "--aliases", unbalanced)
    assert result.exit_code == 2 and re.search(r"bad\.csv:\d+: .*quote", result.output)
    big = write(tmp_path, {"big.csv": "name,type,aliases\n" + "A,PER,B\n" * 200}) / "big.csv"
    import sys
    monkeypatch.setattr(sys.modules["graphbuild.resolve.aliases"], "MAX_ALIASES_BYTES", 1000)
    result = cli("build", src, "-o", out, "--aliases", big)
    assert result.exit_code == 2 and "limit" in result.output
    monkeypatch.undo()
    # a zero-width character in an alias is removed (with a warning), so the alias works
    zw = write(tmp_path, {"zw.csv": "name,type,aliases\nHugo Chavez,PER,Cha\u200bvez\n"})
    result = cli("build", src, "-o", out, "--aliases", zw / "zw.csv")
    assert result.exit_code == 0, result.output
    assert sorted(pd.read_parquet(out / "entities.parquet")["label"]) == ["Caracas",
                                                                          "Hugo Chavez"]
    w = warnings_of(out)
    assert ((w["code"] == "zero-width") & w["source_path"].str.endswith("zw.csv")).any()


# --- no input ends a build with a traceback ---------------------------------------------------
ANNOTATION_LIKE = st.lists(st.sampled_from(
    list("[]¶ \n\t.PERLOCORGMISCxyz0123") + ["[PER ", "  ]", "[LOC ", "&#x202e;", "&amp;",
                                           "<pre>", "</pre>", "\\[", "\ud800", "\x00", "\x1b",
                                           "\u200b", "{", "}", '"', ":", "-DOCSTART-",
                                           "B-PER", "I-PER", "O", '{"text": "',
                                           '"spans": [[0, 3, "PER"]]}']),
                           max_size=60).map("".join)


@pytest.mark.parametrize("suffix", [".txt", ".html", ".conll", ".jsonl"])
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), ANNOTATION_LIKE,
                      st.text(max_size=120).map(lambda t: t)))
def test_no_input_ends_a_build_with_a_traceback(tmp_path, suffix, data):
    path = tmp_path / f"fuzz{suffix}"
    if isinstance(data, str):
        data = data.encode("utf-8", errors="surrogatepass")
    path.write_bytes(data)
    try:
        eg = gb.build(path)
    except gb.InputError as exc:     # the one expected failure: nothing readable at all
        assert "no readable document" in str(exc)
        return
    assert eg.entities["entity_id"].is_unique
    for table in (eg.mentions, eg.paragraphs, eg.documents):
        for col in table.columns:
            if table[col].dtype == object:
                for value in table[col].dropna():
                    if isinstance(value, str):
                        value.encode("utf-8")      # no lone surrogate survives


# --- the same input gives the same bytes ------------------------------------------------------
def _build_in_subprocess(args: list[str], seed: str) -> None:
    import subprocess
    import sys

    from conftest import REPO
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": seed}
    prog = ("import sys\nfrom graphbuild.cli import main\n"
            f"sys.argv = ['graphbuild', *{args!r}]\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", prog], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def test_same_input_same_bytes_in_any_order_with_any_worker_count(tmp_path):
    from benchmarks.generate import generate

    corpus = generate(320, seed=11, out=tmp_path / "corpus", per_dir=100)
    files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
    assert len(files) >= 300
    runs = {"a": (["build", str(corpus), "--workers", "2"], "1"),
            "b": (["build", str(corpus), "--workers", "2"], "2"),
            # the file list reversed, one worker, another hash seed
            "c": (["build", *reversed(files), "--workers", "1"], "3")}
    for name, (args, seed) in runs.items():
        _build_in_subprocess([*args, "-o", str(tmp_path / name)], seed)
    ref = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    assert {"graph.html", "graph.graphml", "graph.gexf", "nodes.csv", "report.md",
            "build.json", "graph.json"} <= set(ref)
    for name in ("b", "c"):
        got = {p.name: p.read_bytes() for p in (tmp_path / name).iterdir()}
        assert sorted(got) == sorted(ref)
        differ = sorted(f for f in ref if ref[f] != got[f])
        # wall-clock seconds: the one file that cannot repeat
        assert differ == ["timings.json"], (name, differ)


def test_a_document_that_breaks_a_stage_is_skipped_and_counted(tmp_path, monkeypatch):
    import sys
    batch = sys.modules["graphbuild.extract.batch"]
    real = batch.parse_document_columns

    def breaks_on_b(doc):
        if doc.doc_id == "b":
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(batch, "parse_document_columns", breaks_on_b)
    src = write(tmp_path / "in", {"a.txt": "¶1. [PER Ana  ] met [PER Bo  ] .\n",
                                  "b.txt": "¶1. [PER Cy  ] met [PER Di  ] .\n",
                                  "c.txt": "¶1. [PER Ed  ] met [PER Fa  ] .\n"})
    eg = gb.build(src)
    assert sorted(eg.documents["doc_id"]) == ["a", "c"]
    assert sorted(eg.entities["label"]) == ["Ana", "Bo", "Ed", "Fa"]
    skipped = [p for p in eg.diagnostics.problems if p.code == "document-error"]
    assert len(skipped) == 1 and skipped[0].source_path.endswith("b.txt")
    assert "boom" in skipped[0].message
