"""Property-based tests (hypothesis): random annotated documents with markup-like noise and
unicode never crash the pipeline, writing annotations inline and reading them back keeps
every mention, and the vectorised counter equals a brute-force oracle written here."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import graphbuild as gb
from graphbuild.core.diagnostics import Diagnostics
from graphbuild.count.cooccur import cooccurrence
from graphbuild.extract import parse_corpus
from graphbuild.read import read_documents, read_text
from graphbuild.resolve import resolve
from graphbuild.segment import EDGE_SECTIONS

TYPES = ("PER", "LOC", "ORG", "MISC")
KNOWN_OPENER = re.compile(r"\[(?:PER|LOC|ORG|MISC)(?: |\n|$)", re.I)

# Unicode text without line breaks, NULs or surrogates (C = control/format/unassigned/...;
# the markup characters are added back on purpose below)
_chars = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                       blacklist_characters="¶[]")
MARKUP = ["[sic]", "[1]", "[", "]", "[ABC ", "[Note: x]", "  ]", "<b>", "</a>", "&amp;",
          "&#x000A;", "<script>", "[PER", "[per x  ]", "[XYZ q  ]", "U.S.", "¶", "¶1988",
          "\t", "é", "中文", "🙂", "\u200b", "\ufeff"]
noise = st.lists(st.one_of(st.text(_chars, max_size=12), st.sampled_from(MARKUP)),
                 max_size=6).map("".join)
surface = st.text(_chars, min_size=1, max_size=25).filter(
    lambda s: s == s.strip() and "  " not in s and not s.startswith(("'", '"')))
mention = st.tuples(st.sampled_from(TYPES), surface)
paragraph = st.lists(st.tuples(noise, mention), max_size=5)
document = st.lists(paragraph, min_size=1, max_size=5)


def write_inline(doc: list) -> tuple[str, list[tuple[int, str, str]]]:
    """The annotated text of ``doc`` and the (paragraph, surface, type) written."""
    lines, written = [], []
    for number, para in enumerate(doc, start=1):
        parts = [f"¶{number}. "]
        for text, (etype, surf) in para:
            parts.append(f"{text} [{etype} {surf}  ]")
            written.append((number, surf, etype))
        parts.append(" .")
        lines.append("".join(parts))
    return "\n".join(lines) + "\n", written


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(document)
def test_round_trip_keeps_every_mention(doc):
    text, written = write_inline(doc)
    # the noise must not itself contain an annotation: exactly the written openers
    assume(len(KNOWN_OPENER.findall(text)) == len(written))
    d = Diagnostics()
    corpus = parse_corpus(read_text(text, "doc", fmt="text"), d)
    m = corpus.mentions
    kept = m[m["status"].eq("kept")]
    got = sorted(zip(kept["paragraph"], kept["surface"], kept["type"], strict=True))
    assert got == sorted(written)
    # offsets point at the surface in the clean paragraph text
    para_text = {int(r.paragraph): (r.start, r.text) for r in corpus.paragraphs.itertuples()}
    for r in kept.itertuples():
        assert r.start >= para_text[int(r.paragraph)][0]
    # nothing silently dropped: every dropped row has its warning
    assert len(m) - len(kept) == sum(p.code.endswith(("annotation", "type"))
                                     for p in d.warnings)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(["", "<code><pre>"]))
def test_no_crash_on_any_file(tmp_path_factory, doc, encoding, newline, wrapper):
    """Any such document, in any encoding and line-end style, wrapped as HTML or not, goes
    through the whole pipeline and its reconciliation balances."""
    text, written = write_inline(doc)
    data = (wrapper + text.replace("\n", newline)).encode(encoding, errors="replace")
    folder = tmp_path_factory.mktemp("doc")
    (folder / "doc.txt").write_bytes(data)
    d = Diagnostics()
    try:
        eg = gb.build(str(folder), diagnostics=d)
    except gb.InputError:
        # only possible when the file was skipped, with its reason recorded
        assert d.counts["files found"] == 1 and sum(d.skipped_files.values()) == 1
        return
    table = eg.reconciliation()
    assert "unaccounted" not in set(table["outcome"])
    assert "reconciliation" not in {p.code for p in d.problems}


def brute_force(mentions: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int, set]]:
    """Oracle: for every unit, every pair of distinct entities in it."""
    units: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in mentions.itertuples():
        if r.status == "kept" and isinstance(r.entity_id, str) and r.section in EDGE_SECTIONS:
            units[(r.doc_id, int(r.paragraph))].add(r.entity_id)
    weight: dict = defaultdict(int)
    docs: dict = defaultdict(set)
    evidence: dict = defaultdict(set)
    for (doc_id, para), ents in units.items():
        for a, b in itertools.combinations(sorted(ents), 2):
            weight[(a, b)] += 1
            docs[(a, b)].add(doc_id)
            evidence[(a, b)].add((doc_id, para))
    return {k: (weight[k], len(docs[k]), evidence[k]) for k in weight}


def as_dict(co) -> dict[tuple[str, str], tuple[int, int, set]]:
    ev: dict = defaultdict(set)
    for r in co.evidence.itertuples():
        ev[(r.source, r.target)].add((r.doc_id, int(r.paragraph)))
    return {(r.source, r.target): (int(r.weight), int(r.documents), ev[(r.source, r.target)])
            for r in co.edges.itertuples()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(document, min_size=1, max_size=4))
def test_counter_equals_brute_force_on_parsed_documents(docs):
    d = Diagnostics()
    parsed = []
    for i, doc in enumerate(docs):
        text, _ = write_inline(doc)
        parsed += read_text(text, f"d{i}", fmt="text")
    corpus = parse_corpus(parsed, d)
    res = resolve(corpus.mentions)
    assert as_dict(cooccurrence(res.mentions)) == brute_force(res.mentions)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(-2, 4),
                          st.sampled_from(["x", "y", "z", "w", None]),
                          st.sampled_from(["body", "subject", "header", "signature"]),
                          st.sampled_from(["kept", "kept", "dropped"])), max_size=40))
def test_counter_equals_brute_force_on_random_tables(rows):
    mentions = pd.DataFrame(rows, columns=["doc_id", "paragraph", "entity_id", "section",
                                           "status"])
    mentions["entity_id"] = mentions["entity_id"].astype("string")
    assert as_dict(cooccurrence(mentions)) == brute_force(mentions)


def test_files_read_back_in_every_encoding(tmp_path):
    """One fixed example through real files: the surfaces survive the encodings."""
    text, written = write_inline([[("x [sic] ", ("PER", "José")), (" y", ("LOC", "Bogotá"))]])
    for enc in ("utf-8", "utf-8-sig", "cp1252", "utf-16"):
        f = tmp_path / f"{enc}.txt"
        f.write_bytes(text.replace("\n", "\r\n").encode(enc))
        d = Diagnostics()
        docs = list(read_documents([f], d))
        corpus = parse_corpus(docs, d)
        kept = corpus.mentions[corpus.mentions["status"].eq("kept")]
        assert sorted(zip(kept["paragraph"], kept["surface"], kept["type"],
                          strict=True)) == sorted(written), enc
