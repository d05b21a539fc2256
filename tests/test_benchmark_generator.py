"""The benchmark corpus generator and the simple reference script."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from benchmarks import simple
from benchmarks.generate import generate
from graphbuild.core.diagnostics import Diagnostics
from graphbuild.count.cooccur import cooccurrence
from graphbuild.extract import parse_corpus
from graphbuild.pipeline import build
from graphbuild.read import read_documents
from graphbuild.resolve import resolve

ANCHOR = re.compile(r"<a id='par(\d+)' href='#par\1'>¶</a>\1 ")
ANNOT = re.compile(r"\[(PER|LOC|ORG|MISC) ([^\]]*?)  \]")


@pytest.fixture(scope="module")
def corpus200(tmp_path_factory):
    return generate(200, seed=11, out=tmp_path_factory.mktemp("gen200"), per_dir=64)


def _files(root):
    return sorted(root.rglob("*.txt"))


def test_same_seed_same_bytes_other_seed_differs(tmp_path):
    a = generate(25, seed=3, out=tmp_path / "a")
    b = generate(25, seed=3, out=tmp_path / "b")
    c = generate(25, seed=4, out=tmp_path / "c")
    fa, fb, fc = _files(a), _files(b), _files(c)
    assert [p.name for p in fa] == [p.name for p in fb] and len(fa) == 25
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(fa, fb, strict=True))
    assert any(x.read_bytes() != y.read_bytes() for x, y in zip(fa, fc, strict=True))


def test_shape_paragraphs_mentions_and_zipf(corpus200):
    files = _files(corpus200)
    assert len(files) == 200
    assert len({p.parent for p in files}) == 4            # 64 files per folder: 64+64+64+8
    entity_freq: Counter = Counter()
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<code><pre>") and "SUBJECT: " in text and "TAGS: " in text
        numbers = [int(m.group(1)) for m in ANCHOR.finditer(text)]
        # paragraphs numbered 1..N with N in 3..9
        assert numbers == list(range(1, len(numbers) + 1)) and 3 <= len(numbers) <= 9
        body = ANCHOR.split(text)[2::2]
        for para in body:
            assert 0 <= len(ANNOT.findall(para)) <= 12
        entity_freq.update(s.rstrip(":").casefold() for _, s in ANNOT.findall(text))
    counts = sorted(entity_freq.values(), reverse=True)
    # Zipf-like: the most frequent entity is far above the median, and most are rare
    assert counts[0] >= 20 * counts[len(counts) // 2]
    assert sum(1 for c in counts if c <= 2) > len(counts) / 3


def test_simple_script_and_graphbuild_have_identical_edge_weights(corpus200):
    reference = simple.count(_files(corpus200))
    assert len(reference) > 1000
    # the foundation's stage functions, then the whole build on the local engine
    res = resolve(parse_corpus(read_documents([str(corpus200)], Diagnostics())).mentions)
    serial = (res.entities, cooccurrence(res.mentions).edges)
    eg = build(str(corpus200), engine="local", workers=2)
    for entities, edges in (serial, (eg.entities, eg.edges)):
        key = {r.entity_id: r.label.casefold() for r in entities.itertuples()}
        ours = {tuple(sorted((key[s], key[t]))): w for s, t, w in
                zip(edges["source"], edges["target"], edges["weight"], strict=True)}
        assert ours == dict(reference)


def test_host_speed_scans_every_annotation(corpus200):
    """The host yardstick scans the whole corpus: its match count is the number of
    annotation openers, counted here by plain substring counts."""
    from benchmarks.run import REFERENCE_REGEX_MB_S, host_speed

    files = _files(corpus200)
    texts = [p.read_text(encoding="utf-8") for p in files]
    got = host_speed(files)
    assert got["bytes"] == sum(map(len, texts))
    assert got["matches"] == sum(t.count(f"[{k} ") for t in texts
                                 for k in ("PER", "LOC", "ORG", "MISC"))
    assert got["regex_mb_s"] > 0
    assert got["relative_to_reference"] == pytest.approx(got["regex_mb_s"]
                                                         / REFERENCE_REGEX_MB_S)


def test_results_table_shows_host_speed_and_earlier_simple_runs():
    from benchmarks.run import render

    base = {"docs": 1000, "bytes": 3e6, "stages_s": {"parse": 1.0}, "total_s": 5.0,
            "peak_rss_mb": 400, "peak_rss_worker_mb": 150, "mentions": 10, "entities": 2,
            "edges": 1, "evidence_rows": 1, "analysis_engine": "networkx"}
    table = render([{**base, "host": {"regex_mb_s": 120.4},
                     "simple": {"total_s": 100.0, "ratio": 20.0,
                                "measured_in_an_earlier_run": True}}])
    row = next(line for line in table.splitlines() if line.startswith("| 1,000 | 3 |"))
    assert "| 120 |" in row
    assert "| 100.0 (an earlier run) | 5.0 | 20.0x |" in table
    # a result without the yardstick (older runs) still renders, with an empty cell
    assert "| 1,000 | 3 |" in render([base])
