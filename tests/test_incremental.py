"""Incremental builds: a build folder's manifest makes a rebuild re-read only new or
changed files, and the tables equal a fresh build's."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pandas as pd
import pytest

import graphbuild.extract.batch as local_engine
from benchmarks.generate import generate
from graphbuild.engines import EngineStats
from graphbuild.pipeline import build

TABLES = ("documents", "paragraphs", "mentions", "entities", "edges", "evidence")


@pytest.fixture
def counted_reads(monkeypatch):
    """Every file the engine reads, in order (the engine runs in-process with workers=1)."""
    reads: list[str] = []
    real = local_engine.read_file

    def counting(path, *args, **kwargs):
        reads.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(local_engine, "read_file", counting)
    return reads


def _build(inputs, build_dir=None):
    stats = EngineStats()
    eg = build(inputs, engine="local", workers=1, build_dir=build_dir, stats=stats)
    return eg, stats


def _same(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_adding_ten_cables_reads_only_those_ten(tmp_path, counted_reads):
    corpus = generate(40, seed=2, out=tmp_path / "corpus", per_dir=100)
    extra = generate(50, seed=2, out=tmp_path / "extra", per_dir=100)
    build_dir = tmp_path / "build"
    eg1, s1 = _build([str(corpus)], build_dir)
    assert (s1.files_read, s1.files_reused, len(counted_reads)) == (40, 0, 40)
    manifest = json.loads((build_dir / "manifest.json").read_text())
    some = sorted(manifest["files"])[0]
    with open(some, "rb") as fh:
        assert manifest["files"][some]["sha256"] == hashlib.sha256(fh.read()).hexdigest()

    # the generator numbers cables 0..49 (last 6 digits of the name): 40..49 are new
    new = [p for p in (extra / "0000").glob("*.txt") if int(p.stem[-6:]) >= 40]
    assert len(new) == 10
    for path in new:
        shutil.copy(path, corpus / "0000" / path.name)
    counted_reads.clear()
    eg2, s2 = _build([str(corpus)], build_dir)
    assert sorted(counted_reads) == sorted(str(corpus / "0000" / p.name) for p in new)
    assert (s2.files_read, s2.files_reused) == (10, 40)
    assert len(eg2.documents) == 50
    fresh, _ = _build([str(corpus)])
    _same(eg2, fresh)

    # nothing changed: nothing read, same tables
    counted_reads.clear()
    eg3, s3 = _build([str(corpus)], build_dir)
    assert counted_reads == [] and s3.files_reused == 50
    _same(eg3, fresh)


def test_changed_and_removed_files(tmp_path, counted_reads):
    corpus = generate(20, seed=4, out=tmp_path / "corpus", per_dir=100)
    build_dir = tmp_path / "build"
    _build([str(corpus)], build_dir)
    files = sorted(corpus.rglob("*.txt"))
    changed, removed = files[3], files[7]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("¶</a>1 . \n", "¶</a>1 . \n[PER Zed Newman  ] and "
                                    "[LOC Nowhere Land  ] met . \n", 1), encoding="utf-8")
    os.utime(changed, ns=(1, 1))          # a new mtime even on a coarse clock
    removed.unlink()
    counted_reads.clear()
    eg, stats = _build([str(corpus)], build_dir)
    assert counted_reads == [str(changed)]
    assert (stats.files_read, stats.files_reused) == (1, 18)
    assert "zed-newman" in set(eg.entities["entity_id"])
    assert removed.name not in " ".join(eg.documents["source_path"])
    fresh, _ = _build([str(corpus)])
    _same(eg, fresh)


def test_cache_of_another_format_is_not_used(tmp_path, counted_reads):
    corpus = generate(5, seed=4, out=tmp_path / "corpus")
    build_dir = tmp_path / "build"
    _build([str(corpus)], build_dir)
    counted_reads.clear()
    stats = EngineStats()
    build([str(corpus)], engine="local", workers=1, build_dir=build_dir, stats=stats,
          fmt="cable-html")
    assert stats.files_read == 5 and len(counted_reads) == 5
